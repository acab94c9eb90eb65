//! Amazon EventBridge: `Rule` on a schedule with an ECS task target, and the generated L1.

generated_l1!("events");
mod rule;
pub use generated::*;
pub use rule::*;
