//! AWS IAM: `Role`, `PolicyStatement`, principals, customer managed policies, and the
//! generated L1 resources.

generated_l1!("iam");
mod grant;
mod managed_policy;
mod role;

pub use generated::*;
pub use grant::*;
pub use managed_policy::*;
pub use role::*;
