//! AWS KMS: `Key` (the key policy trusting the account, rotation, aliases, CDK's grants), and
//! the generated L1 resources.

generated_l1!("kms");
mod key;

pub use generated::*;
pub use key::*;
