//! AWS Lambda: `Function` (runtime, handler, code inline or from S3, its role and log group as
//! CDK makes them), and the generated L1 resources.

generated_l1!("lambda");
mod dead_letter;
mod function;

pub use dead_letter::*;
pub use function::*;
pub use generated::*;
