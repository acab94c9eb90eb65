//! Elastic Load Balancing v2: `NetworkLoadBalancer`, `NetworkTargetGroup`, `NetworkListener`;
//! `ApplicationTargetGroup`, imported `ApplicationListener`, `ApplicationListenerRule`; and the
//! generated L1 resources.

mod alb;
generated_l1!("elasticloadbalancingv2");
mod nlb;
mod target_group;

pub use alb::*;
pub use generated::*;
pub use nlb::*;
pub use target_group::TargetGroupRef;
