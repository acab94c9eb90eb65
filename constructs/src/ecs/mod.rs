//! Amazon ECS: `Cluster`, `FargateTaskDefinition` and its containers, `FargateService` with
//! load balancer attachment and auto scaling, and the generated L1 resources.

mod cluster;
generated_l1!("ecs");
mod service;
pub(crate) mod task_definition;

pub use cluster::*;
pub use generated::*;
pub use service::*;
pub use task_definition::*;
