//! `sqs-dead-letter-kind`: a queue whose dead-letter queue is of the other kind (FIFO and
//! standard): SQS refuses the redrive policy.

use ironcdk_template::Severity;


rule! {
    /// `sqs-dead-letter-kind`: a dead-letter queue of the other kind (FIFO or standard).
    DeadLetterQueue = "sqs-dead-letter-kind", |net, _app, out| {
        // Whether each queue is FIFO, by key (the first of a key), made when a redrive policy
        // first names one.
        let kinds: std::cell::OnceCell<ironcdk_template::hash::HashMap<(usize, &str), bool>> = std::cell::OnceCell::new();
        for (queue, fifo, dlq) in &net.queues {
            let Some(target) = dlq.as_ref().and_then(|d| d.key()) else { continue };
            let kinds = kinds.get_or_init(|| {
                let mut kinds = ironcdk_template::hash::HashMap::default();
                for (k, fifo, _) in &net.queues {
                    kinds.entry(super::by_key(k)).or_insert(*fifo);
                }
                kinds
            });
            let Some(dlq_fifo) = kinds.get(&super::by_key(target)) else { continue };
            if dlq_fifo != fifo {
                let kind = |f: bool| if f { "FIFO" } else { "standard" };
                out.at(
                    queue,
                    ID,
                    Severity::Error,
                    format!("the queue is {} and its dead-letter queue {} is {}: SQS takes a dead-letter queue of the same kind and refuses the redrive policy", kind(*fifo), out.name(target), kind(*dlq_fifo)),
                    "give the queue a dead-letter queue of its own kind",
                );
            }
        }
    }
}
