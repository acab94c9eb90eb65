//! `iam`: generated L1 resources (no L2 constructs yet).

mod generated;
pub use generated::*;
