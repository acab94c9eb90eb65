//! Elastic Load Balancing v2: `NetworkLoadBalancer`, `NetworkTargetGroup`, `NetworkListener`;
//! `ApplicationLoadBalancer` with its listeners and actions, `ApplicationTargetGroup`, imported
//! `ApplicationListener`s, `ApplicationListenerRule`; and the
//! generated L1 resources.

mod alb;
mod application_load_balancer;
generated_l1!("elasticloadbalancingv2");
mod nlb;
mod target_group;

pub use alb::*;
pub use application_load_balancer::*;
pub use generated::*;
pub use nlb::*;
pub use target_group::TargetGroupRef;
