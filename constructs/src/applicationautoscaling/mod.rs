//! `applicationautoscaling`: generated L1 resources (no L2 constructs yet).

generated_l1!("applicationautoscaling");
pub use generated::*;
