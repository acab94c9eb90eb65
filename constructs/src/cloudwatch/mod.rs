//! Amazon CloudWatch: `Metric` and `Alarm` (with SNS topics as actions; the metrics of Lambda
//! functions and SQS queues from their constructs), and the generated L1 resources.

generated_l1!("cloudwatch");
mod alarm;

pub use alarm::*;
pub use generated::*;
