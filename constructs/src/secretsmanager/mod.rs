//! AWS Secrets Manager: `Secret` (generated values, a KMS key of yours, `grant_read`, imports by
//! name or ARN) and the generated L1 resources.

generated_l1!("secretsmanager");
mod secret;

pub use generated::*;
pub use secret::*;
