//! Amazon CloudWatch Logs: `LogGroup` with a checked retention, and the generated L1 resources.

generated_l1!("logs");
mod log_group;

pub use generated::*;
pub use log_group::*;
