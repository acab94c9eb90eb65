//! Amazon ECR: `Repository` with lifecycle rules and pull grants, and the generated L1 resources.

mod generated;
mod repository;

pub use generated::*;
pub use repository::*;
