//! `sqs::Queue`, rendered as aws-cdk-lib 2.276 renders `new sqs.Queue(...)`: deleted with the
//! stack (CDK's removal policy for queues), FIFO, timings, encryption, a dead-letter queue of the
//! same kind, the queue policy (`Policy`, made on first statement) and CDK's grants.

use ironcdk_synth::{AsScope, Duration, RemovalPolicy, Result, Scope, Val, Value};

use super::generated::*;
use crate::iam::{policy_document, sort_policy_lists, Grantable, PolicyStatement, ResourcePolicy};
use crate::object;

/// How messages are encrypted at rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueEncryption {
    /// SQS's own keys (`SqsManagedSseEnabled: true`).
    SqsManaged,
    /// The AWS managed KMS key `alias/aws/sqs`.
    KmsManaged,
    /// Not encrypted (`SqsManagedSseEnabled: false`).
    Unencrypted,
    /// A KMS key of yours: [`QueueProps::encryption_master_key`], or one made for the queue
    /// (`Key` under it, as CDK makes it). The queue's grants include the key.
    Kms,
}

/// Where messages go after failing `max_receive_count` times.
#[derive(Clone)]
pub struct DeadLetterQueue {
    /// The queue.
    pub queue: Queue,
    /// Receives before a message moves there (1 to 1,000).
    pub max_receive_count: u32,
}

/// Options of a [`Queue`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct QueueProps {
    /// Physical name (a FIFO queue's ends with `.fifo`).
    pub queue_name: Option<String>,
    /// First-in-first-out, exactly once.
    pub fifo: Option<bool>,
    /// FIFO deduplication by content.
    pub content_based_deduplication: Option<bool>,
    /// How long a received message stays hidden (0 to 12 hours).
    pub visibility_timeout: Option<Duration>,
    /// How long messages are kept (1 minute to 14 days).
    pub retention_period: Option<Duration>,
    /// How long new messages wait before they can be received (0 to 15 minutes).
    pub delivery_delay: Option<Duration>,
    /// Long polling wait (0 to 20 seconds).
    pub receive_message_wait_time: Option<Duration>,
    /// Encryption at rest.
    pub encryption: Option<QueueEncryption>,
    /// The key of [`QueueEncryption::Kms`].
    pub encryption_master_key: Option<crate::kms::Key>,
    /// The dead-letter queue.
    pub dead_letter_queue: Option<DeadLetterQueue>,
    /// Removal policy (default: destroy, as CDK's queues).
    pub removal_policy: Option<RemovalPolicy>,
}

impl QueueProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sends messages that fail `max_receive_count` times to `queue`.
    pub fn dead_letter_queue(mut self, queue: &Queue, max_receive_count: u32) -> Self {
        self.dead_letter_queue = Some(DeadLetterQueue { queue: queue.clone(), max_receive_count });
        self
    }
    setters! {
        /// Sets the physical name.
        into queue_name: String;
        /// Makes it FIFO, or explicitly standard.
        some fifo: bool;
        /// Deduplicates by content.
        some content_based_deduplication: bool;
        /// Sets the visibility timeout.
        some visibility_timeout: Duration;
        /// Sets the retention period.
        some retention_period: Duration;
        /// Sets the delivery delay.
        some delivery_delay: Duration;
        /// Sets the long polling wait.
        some receive_message_wait_time: Duration;
        /// Sets the encryption.
        some encryption: QueueEncryption;
        /// Encrypts with this key (implies [`QueueEncryption::Kms`]).
        cloned encryption_master_key: crate::kms::Key;
        /// Sets the removal policy.
        some removal_policy: RemovalPolicy;
    }
}

const SEND_ACTIONS: [&str; 3] = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"];
const CONSUME_ACTIONS: [&str; 5] = ["sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];

/// An SQS queue.
#[derive(Clone)]
pub struct Queue {
    scope: Scope,
    /// Imported by ARN: its policy is not in these templates.
    imported: bool,
    arn: Val<String>,
    url: Val<String>,
    /// `Fn::GetAtt QueueName` (an imported queue's name from its ARN).
    name: Val<String>,
    fifo: bool,
    encryption: Option<QueueEncryption>,
    key: Option<crate::kms::Key>,
    /// `None`: not known (an imported queue).
    visibility_seconds: Option<i64>,
    policy: ResourcePolicy,
}

impl AsScope for Queue {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

fn seconds(scope: &Scope, d: Option<Duration>, what: &str, max: u64) -> Result<Option<i64>> {
    let Some(d) = d else { return Ok(None) };
    let s = d.to_seconds();
    if s > max {
        return Err(scope.error(format!("{what} {s} s is over SQS's {max} s")));
    }
    Ok(Some(i64::try_from(s).unwrap_or(i64::MAX)))
}

impl Queue {
    /// Creates the queue. What SQS refuses (a name of the wrong kind, timings out of range, a
    /// dead-letter queue of the other kind, content deduplication on a standard queue) is an
    /// error naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: QueueProps) -> Result<Queue> {
        let scope = scope.scope().child(id, "ironcdk.sqs.Queue")?;
        let fifo = props.fifo.unwrap_or(false) || props.queue_name.as_deref().is_some_and(|n| n.ends_with(".fifo"));
        if let Some(n) = &props.queue_name {
            let base = n.strip_suffix(".fifo").unwrap_or(n);
            if base.is_empty() || n.len() > 80 || !base.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(scope.error(format!("queue name '{n}' must be 1 to 80 letters, digits, - and _ (with .fifo at the end of a FIFO queue's)")));
            }
            if props.fifo == Some(true) && !n.ends_with(".fifo") {
                return Err(scope.error(format!("a FIFO queue's name ends with .fifo; name it '{n}.fifo'")));
            }
            if props.fifo == Some(false) && n.ends_with(".fifo") {
                return Err(scope.error(format!("queue name '{n}' ends with .fifo, which only FIFO queues take")));
            }
        }
        if props.content_based_deduplication == Some(true) && !fifo {
            return Err(scope.error("content-based deduplication is for FIFO queues; set fifo(true) or drop it"));
        }
        let visibility = seconds(&scope, props.visibility_timeout, "visibility timeout", 43_200)?;
        let retention = seconds(&scope, props.retention_period, "retention period", 1_209_600)?;
        if retention.is_some_and(|r| r < 60) {
            return Err(scope.error("retention period must be at least 60 s"));
        }
        let delay = seconds(&scope, props.delivery_delay, "delivery delay", 900)?;
        let wait = seconds(&scope, props.receive_message_wait_time, "receive wait time", 20)?;
        let mut p = CfnQueueProps::new();
        if let Some(d) = &props.dead_letter_queue {
            if d.queue.fifo != fifo {
                return Err(scope.error(format!(
                    "dead-letter queue {} is {} and this queue is {}; SQS takes a dead-letter queue of the same kind",
                    d.queue.scope.path(),
                    if d.queue.fifo { "FIFO" } else { "standard" },
                    if fifo { "FIFO" } else { "standard" }
                )));
            }
            if !(1..=1000).contains(&d.max_receive_count) {
                return Err(scope.error(format!("max receive count {} is outside SQS's 1 to 1,000", d.max_receive_count)));
            }
            p = p.redrive_policy(Val::unchecked(object([
                ("deadLetterTargetArn", d.queue.queue_arn().into_value()),
                ("maxReceiveCount", Value::Int(i64::from(d.max_receive_count))),
            ])));
        }
        if props.content_based_deduplication == Some(true) {
            p = p.content_based_deduplication(true);
        }
        if let Some(d) = delay {
            p = p.delay_seconds(d);
        }
        if fifo {
            p = p.fifo_queue(true);
        }
        let encryption = if props.encryption_master_key.is_some() { Some(QueueEncryption::Kms) } else { props.encryption };
        if props.encryption_master_key.is_some() && props.encryption.is_some_and(|e| e != QueueEncryption::Kms) {
            return Err(scope.error("an encryption key is given with another encryption; use QueueEncryption::Kms with it"));
        }
        // As CDK: KMS encryption without a key gets one of the queue's own.
        let key = match (encryption, &props.encryption_master_key) {
            (Some(QueueEncryption::Kms), Some(k)) => Some(k.clone()),
            (Some(QueueEncryption::Kms), None) => Some(crate::kms::Key::new(&scope, "Key", crate::kms::KeyProps::new().description(format!("Created by {}", scope.path())))?),
            _ => None,
        };
        if let Some(k) = &key {
            p = p.kms_master_key_id(k.key_arn());
        }
        match encryption {
            Some(QueueEncryption::Kms) => {}
            Some(QueueEncryption::KmsManaged) => p = p.kms_master_key_id("alias/aws/sqs"),
            Some(QueueEncryption::SqsManaged) => p = p.sqs_managed_sse_enabled(true),
            Some(QueueEncryption::Unencrypted) => p = p.sqs_managed_sse_enabled(false),
            None => {}
        }
        if let Some(r) = retention {
            p = p.message_retention_period(r);
        }
        if let Some(n) = &props.queue_name {
            p = p.queue_name(n.clone());
        }
        if let Some(w) = wait {
            p = p.receive_message_wait_time_seconds(w);
        }
        if let Some(v) = visibility {
            p = p.visibility_timeout(v);
        }
        let resource = CfnQueue::new(&scope, "Resource", p)?;
        resource.apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Destroy));
        Ok(Queue {
            scope,
            arn: resource.attr_arn(),
            url: resource.ref_(),
            name: resource.resource().get_att("QueueName"),
            imported: false,
            fifo,
            encryption,
            key,
            visibility_seconds: Some(visibility.unwrap_or(30)),
            policy: ResourcePolicy::default(),
        })
    }

    /// An existing queue by ARN (CDK's `fromQueueArn`): `arn:<partition>:sqs:<region>:<account>:<name>`,
    /// FIFO when its name ends in `.fifo`. Grants, event sources and dead-letter use name it;
    /// its policy is not in these templates, so what would add to it is refused.
    pub fn from_queue_arn(scope: &impl AsScope, id: &str, arn: &str) -> Result<Queue> {
        let scope = scope.scope().child(id, "ironcdk.sqs.ImportedQueue")?;
        let parts: Vec<&str> = arn.split(':').collect();
        let (region, account, name) = match parts.as_slice() {
            ["arn", _, "sqs", region, account, name] if !region.is_empty() && !account.is_empty() && !name.is_empty() => (*region, *account, *name),
            _ => return Err(scope.error(format!("'{arn}' is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)"))),
        };
        // As CDK: the URL from the ARN's parts, the domain from the deploying partition.
        let url = ironcdk_synth::fns::join("", [format!("https://sqs.{region}.").as_str().into(), ironcdk_synth::Pseudo::UrlSuffix.val(), format!("/{account}/{name}").as_str().into()]);
        Ok(Queue {
            scope,
            imported: true,
            arn: Val::from(arn),
            url,
            name: Val::from(name),
            fifo: name.ends_with(".fifo"),
            encryption: None,
            key: None,
            visibility_seconds: None,
            policy: ResourcePolicy::default(),
        })
    }

    /// `Fn::GetAtt Arn`.
    pub fn queue_arn(&self) -> Val<String> {
        self.arn.clone()
    }

    /// `Ref` (the URL).
    pub fn queue_url(&self) -> Val<String> {
        self.url.clone()
    }

    /// `Fn::GetAtt QueueName` (an imported queue's name).
    pub fn queue_name(&self) -> Val<String> {
        self.name.clone()
    }

    /// A metric of the queue (`AWS/SQS`, by `QueueName`), with `statistic` over 5 minutes.
    fn metric(&self, name: &str, statistic: crate::cloudwatch::Statistic) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new("AWS/SQS", name).dimension("QueueName", self.queue_name()).statistic(statistic)
    }

    /// Messages waiting to be received, the maximum over 5 minutes (CDK's
    /// `metricApproximateNumberOfMessagesVisible`).
    pub fn metric_approximate_number_of_messages_visible(&self) -> crate::cloudwatch::Metric {
        self.metric("ApproximateNumberOfMessagesVisible", crate::cloudwatch::Statistic::Maximum)
    }

    /// The age of the oldest message, in seconds, the maximum over 5 minutes (CDK's
    /// `metricApproximateAgeOfOldestMessage`).
    pub fn metric_approximate_age_of_oldest_message(&self) -> crate::cloudwatch::Metric {
        self.metric("ApproximateAgeOfOldestMessage", crate::cloudwatch::Statistic::Maximum)
    }

    /// Messages sent, the sum over 5 minutes (CDK's `metricNumberOfMessagesSent`).
    pub fn metric_number_of_messages_sent(&self) -> crate::cloudwatch::Metric {
        self.metric("NumberOfMessagesSent", crate::cloudwatch::Statistic::Sum)
    }

    /// Whether it is a FIFO queue.
    pub fn fifo(&self) -> bool {
        self.fifo
    }

    /// Its visibility timeout in seconds (SQS's default 30 when not given; for an imported
    /// queue, whose timeout is not known here, 30 as well: see
    /// [`Queue::known_visibility_timeout_seconds`]).
    pub fn visibility_timeout_seconds(&self) -> i64 {
        self.visibility_seconds.unwrap_or(30)
    }

    /// Its visibility timeout in seconds, when these templates say it (`None` for an imported
    /// queue).
    pub fn known_visibility_timeout_seconds(&self) -> Option<i64> {
        self.visibility_seconds
    }

    /// Its encryption, as given.
    pub fn encryption(&self) -> Option<QueueEncryption> {
        self.encryption
    }

    /// Adds a statement to the queue policy (`Policy` under the queue, made on first use);
    /// gives the policy's scope, for what must wait for it.
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> Result<Scope> {
        if self.imported {
            // A policy written here would replace the existing queue's whole policy.
            return Err(self.scope.error(
                "the queue is imported, so its policy is not in these templates (a QueuePolicy here would replace it); add the statement to the queue's own policy, or make the queue in the app",
            ));
        }
        self.policy.add(statement, |st| {
            let scope = self.scope.child("Policy", "ironcdk.sqs.QueuePolicy")?;
            let url = self.queue_url();
            let policy = CfnQueuePolicy::new_lazy(&scope, "Resource", move || CfnQueuePolicyProps::new(policy_document(&st.borrow()), vec![url.clone()]))?;
            sort_policy_lists(policy.resource(), "PolicyDocument");
            Ok(scope)
        })
    }

    /// Its customer managed key, if any.
    pub fn encryption_master_key(&self) -> Option<&crate::kms::Key> {
        self.key.as_ref()
    }

    /// Lets `grantee` send messages (CDK's `grantSendMessages`; with a key of yours, the key's
    /// encrypt and decrypt).
    pub fn grant_send_messages(&self, grantee: &impl Grantable) -> Result<()> {
        grantee.grant_role().add_to_policy(PolicyStatement::allow().actions(SEND_ACTIONS).resource(self.queue_arn()))?;
        match &self.key {
            Some(k) => k.grant_encrypt_decrypt(grantee),
            None => Ok(()),
        }
    }

    /// Lets `grantee` receive and delete messages (CDK's `grantConsumeMessages`; with a key of
    /// yours, the key's decrypt).
    pub fn grant_consume_messages(&self, grantee: &impl Grantable) -> Result<()> {
        grantee.grant_role().add_to_policy(PolicyStatement::allow().actions(CONSUME_ACTIONS).resource(self.queue_arn()))?;
        match &self.key {
            Some(k) => k.grant_decrypt(grantee),
            None => Ok(()),
        }
    }
}
