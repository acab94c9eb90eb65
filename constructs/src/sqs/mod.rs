//! Amazon SQS: `Queue` (FIFO, timings, encryption, dead-letter queue, queue policy, grants),
//! and the generated L1 resources.

generated_l1!("sqs");
mod queue;

pub use generated::*;
pub use queue::*;
