//! Elastic Load Balancing v2: `NetworkLoadBalancer`, `NetworkTargetGroup`, `NetworkListener`,
//! and the generated L1 resources.

mod generated;
mod nlb;

pub use generated::*;
pub use nlb::*;
