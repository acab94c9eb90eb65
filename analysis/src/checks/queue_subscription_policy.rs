//! `sns-queue-policy`: an SNS subscription of an SQS queue whose queue policy does not let SNS
//! send to it: the subscription is created and every message is dropped.

use ironcdk_template::Severity;

use super::unknown_text;
use crate::network::Key;

rule! {
    /// `sns-queue-policy`: an SNS subscription of an SQS queue whose queue policy does not let
    /// SNS send to it.
    QueueSubscriptionPolicy = "sns-queue-policy", |net, _app, out| {
        let grants = std::cell::OnceCell::new();
        for s in &net.queue_subscriptions {
            let Some(queue) = s.queue.key() else {
                out.at(&s.key, ID, Severity::Info, format!("cannot verify the subscribed queue's policy: the queue is {}", unknown_text(&s.queue)), "check that its policy lets sns.amazonaws.com call sqs:SendMessage");
                continue;
            };
            let admitted = grants.get_or_init(|| super::grants_by_target(net)).get(&super::by_key(queue)).into_iter().flatten().any(|g| g.admits("sns.amazonaws.com", "sqs:SendMessage"));
            if !admitted {
                let q: &Key = queue;
                out.at(
                    &s.key,
                    ID,
                    Severity::Error,
                    format!("the topic delivers to queue {}, and no queue policy in these templates lets sns.amazonaws.com call sqs:SendMessage on it: the subscription is made and every message is dropped", out.name(q)),
                    "add a queue policy allowing sns.amazonaws.com sqs:SendMessage with the topic as aws:SourceArn (Topic::add_subscription writes it)",
                );
            }
        }
    }
}
