//! Amazon ECR: `Repository` with lifecycle rules and pull grants, and the generated L1 resources.

generated_l1!("ecr");
mod repository;

pub use generated::*;
pub use repository::*;
