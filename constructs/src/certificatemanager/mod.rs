//! `certificatemanager`: generated L1 resources (no L2 constructs yet).

generated_l1!("certificatemanager");
pub use generated::*;
