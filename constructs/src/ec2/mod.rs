//! Amazon EC2 and VPC: `Vpc` (new or imported), `SecurityGroup`, VPC endpoints, peering, and the
//! generated L1 resources.

mod cidr;
mod elastic_ip;
mod endpoint;
generated_l1!("ec2");
mod peering;
mod security_group;
mod vpc;
mod vpc_import;

pub use cidr::Ipv4Cidr;
pub use elastic_ip::*;
pub use endpoint::*;
pub use generated::*;
pub use peering::*;
pub use security_group::*;
pub use vpc::*;
pub use vpc_import::*;
pub(crate) use vpc_import::check_id as check_ec2_id;
