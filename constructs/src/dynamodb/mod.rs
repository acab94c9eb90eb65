//! Amazon DynamoDB: `Table` (keys, billing, global secondary indexes, streams, TTL,
//! point-in-time recovery, removal policy), and the generated L1 resources.

generated_l1!("dynamodb");
mod table;

pub use generated::*;
pub use table::*;
