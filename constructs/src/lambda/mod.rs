//! AWS Lambda: `Function` (runtime, handler, code inline or from S3, its role and log group as
//! CDK makes them), and the generated L1 resources.

generated_l1!("lambda");
mod function;

pub use function::*;
pub use generated::*;
