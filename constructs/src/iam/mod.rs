//! AWS IAM: `Role`, `PolicyStatement`, principals, and the generated L1 resources.

generated_l1!("iam");
mod role;

pub use generated::*;
pub use role::*;
