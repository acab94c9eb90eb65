//! AWS IAM: `Role`, `PolicyStatement`, principals, and the generated L1 resources.

mod generated;
mod role;

pub use generated::*;
pub use role::*;
