//! Amazon SNS: `Topic` (FIFO, subscriptions of queues, functions, email and HTTPS endpoints,
//! `grant_publish`), and the generated L1 resources.

generated_l1!("sns");
mod topic;

pub use generated::*;
pub use topic::*;
