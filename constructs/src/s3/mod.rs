//! `s3`: generated L1 resources (no L2 constructs yet).

generated_l1!("s3");
pub use generated::*;
