//! Amazon S3: `Bucket` (encryption, block public access, versioning, lifecycle rules,
//! `enforce_ssl`, grants, imports by name or ARN), and the generated L1 resources.

generated_l1!("s3");
mod bucket;

pub use bucket::*;
pub use generated::*;
