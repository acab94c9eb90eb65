//! Where a function's failed asynchronous invocations go (CDK's `deadLetterQueue`,
//! `deadLetterQueueEnabled` and `deadLetterTopic`), and its X-Ray tracing.

use ironcdk_synth::{Duration, Result, Scope, Val};

use crate::iam::{PolicyStatement, Role};
use crate::sns::Topic;
use crate::sqs::{Queue, QueueProps};

/// A function's dead-letter destination: one of CDK's three options, so no two can be given
/// together.
#[derive(Clone)]
#[non_exhaustive]
pub enum DeadLetter {
    /// This queue (CDK's `deadLetterQueue`).
    Queue(Queue),
    /// A queue made for the function, `DeadLetterQueue`, keeping messages 14 days (CDK's
    /// `deadLetterQueueEnabled: true`).
    NewQueue,
    /// This topic (CDK's `deadLetterTopic`).
    Topic(Topic),
}

impl DeadLetter {
    /// Makes the queue if asked, lets `role` send to the destination (before the function's
    /// resource, as CDK), and gives the destination's ARN.
    pub(super) fn build(&self, scope: &Scope, role: &Role) -> Result<Val<String>> {
        let (arn, action) = match self {
            DeadLetter::Queue(q) => (q.queue_arn(), "sqs:SendMessage"),
            DeadLetter::NewQueue => (Queue::new(scope, "DeadLetterQueue", QueueProps::new().retention_period(Duration::days(14)))?.queue_arn(), "sqs:SendMessage"),
            DeadLetter::Topic(t) => (t.topic_arn(), "sns:Publish"),
        };
        role.add_to_policy(PolicyStatement::allow().actions([action]).resource(arn.clone()))?;
        Ok(arn)
    }
}

/// X-Ray tracing of a function (CDK's `lambda.Tracing`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tracing {
    /// Samples requests itself.
    Active,
    /// Traces requests an upstream service sampled.
    PassThrough,
    /// No tracing (Lambda's default; nothing is written).
    Disabled,
}
