//! Amazon EventBridge: `Rule` on a schedule with an ECS task target, and the generated L1.

mod generated;
mod rule;
pub use generated::*;
pub use rule::*;
