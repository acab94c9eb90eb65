//! `sns::Topic`, rendered as aws-cdk-lib 2.276 renders `new sns.Topic(...)`, its subscriptions
//! as `aws-sns-subscriptions` makes them (an SQS queue with the queue policy statement CDK
//! writes and the subscription waiting for it; a Lambda function with its invoke permission;
//! email; HTTPS), and `grant_publish`.

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::*;
use crate::iam::{Grantable, PolicyStatement, Principal};
use crate::lambda::{Function, Permission};
use crate::object;
use crate::sqs::Queue;

/// Options of a [`Topic`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct TopicProps {
    /// Physical name (a FIFO topic's gets `.fifo` added, as CDK adds it).
    pub topic_name: Option<String>,
    /// The name shown as the sender of SMS and email.
    pub display_name: Option<String>,
    /// First-in-first-out (for FIFO queues).
    pub fifo: Option<bool>,
    /// FIFO deduplication by content.
    pub content_based_deduplication: Option<bool>,
    /// A KMS key of yours to encrypt messages at rest.
    pub master_key: Option<crate::kms::Key>,
}

impl TopicProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the physical name.
        into topic_name: String;
        /// Sets the display name.
        into display_name: String;
        /// Makes it FIFO.
        some fifo: bool;
        /// Deduplicates by content.
        some content_based_deduplication: bool;
        /// Encrypts with this key.
        cloned master_key: crate::kms::Key;
    }
}

/// Who receives a topic's messages.
#[derive(Clone)]
#[non_exhaustive]
pub enum Subscription {
    /// An SQS queue (CDK's `SqsSubscription`), raw delivery or not.
    Sqs { queue: Queue, raw_message_delivery: bool },
    /// A Lambda function (CDK's `LambdaSubscription`).
    Lambda(Function),
    /// An email address (confirmed by its owner).
    Email(String),
    /// An HTTPS endpoint (confirmed by its owner).
    Https(String),
}

impl Subscription {
    /// A queue, messages wrapped in SNS's envelope.
    pub fn sqs(queue: &Queue) -> Self {
        Subscription::Sqs { queue: queue.clone(), raw_message_delivery: false }
    }
    /// A queue, messages delivered as published.
    pub fn sqs_raw(queue: &Queue) -> Self {
        Subscription::Sqs { queue: queue.clone(), raw_message_delivery: true }
    }
    /// A Lambda function.
    pub fn lambda(function: &Function) -> Self {
        Subscription::Lambda(function.clone())
    }
    /// An email address.
    pub fn email(address: impl Into<String>) -> Self {
        Subscription::Email(address.into())
    }
    /// An HTTPS URL.
    pub fn https(url: impl Into<String>) -> Self {
        Subscription::Https(url.into())
    }
}

/// An SNS topic.
#[derive(Clone)]
pub struct Topic {
    scope: Scope,
    /// `Ref` (the ARN): the topic made here, or one imported by ARN (whose policy is not in
    /// these templates).
    arn: Val<String>,
    imported: bool,
    fifo: bool,
    policy: crate::iam::ResourcePolicy,
    key: Option<crate::kms::Key>,
}

impl AsScope for Topic {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Topic {
    /// Creates the topic. A name SNS refuses, or content deduplication on a standard topic, is
    /// an error naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: TopicProps) -> Result<Topic> {
        let scope = scope.scope().child(id, "ironcdk.sns.Topic")?;
        let fifo = props.fifo.unwrap_or(false);
        if props.content_based_deduplication == Some(true) && !fifo {
            return Err(scope.error("content-based deduplication is for FIFO topics; set fifo(true) or drop it"));
        }
        let name = match (&props.topic_name, fifo) {
            (Some(n), true) if !n.ends_with(".fifo") => Some(format!("{n}.fifo")),
            (Some(n), _) => Some(n.clone()),
            // As CDK: a FIFO topic needs a name ending in .fifo, so one is made.
            (None, true) => Some(format!("{}.fifo", scope.unique_resource_name("-", 251))),
            (None, false) => None,
        };
        if let Some(n) = &name {
            let base = n.strip_suffix(".fifo").unwrap_or(n);
            if base.is_empty() || n.len() > 256 || !base.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') || (!fifo && n.ends_with(".fifo")) {
                return Err(scope.error(format!("topic name '{n}' must be 1 to 256 letters, digits, - and _ (.fifo only at the end of a FIFO topic's)")));
            }
        }
        let mut p = CfnTopicProps::new();
        if props.content_based_deduplication == Some(true) {
            p = p.content_based_deduplication(true);
        }
        if let Some(d) = &props.display_name {
            p = p.display_name(d.clone());
        }
        if fifo {
            p = p.fifo_topic(true);
        }
        if let Some(k) = &props.master_key {
            p = p.kms_master_key_id(k.key_arn());
        }
        if let Some(n) = name {
            p = p.topic_name(n);
        }
        let resource = CfnTopic::new(&scope, "Resource", p)?;
        Ok(Topic { scope, arn: resource.ref_(), imported: false, fifo, policy: Default::default(), key: props.master_key.clone() })
    }

    /// An existing topic by ARN (CDK's `fromTopicArn`): `arn:<partition>:sns:<region>:<account>:<name>`,
    /// FIFO when its name ends in `.fifo`. Grants and subscriptions name it; its policy is not in
    /// these templates, so what would add to it is refused.
    pub fn from_topic_arn(scope: &impl AsScope, id: &str, arn: &str) -> Result<Topic> {
        let scope = scope.scope().child(id, "ironcdk.sns.ImportedTopic")?;
        let name = match arn.split(':').collect::<Vec<_>>().as_slice() {
            ["arn", _, "sns", region, account, name] if !region.is_empty() && !account.is_empty() && !name.is_empty() => (*name).to_string(),
            _ => return Err(scope.error(format!("'{arn}' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)"))),
        };
        Ok(Topic { scope, arn: Val::from(arn), imported: true, fifo: name.ends_with(".fifo"), policy: Default::default(), key: None })
    }

    /// `Ref` (the ARN).
    pub fn topic_arn(&self) -> Val<String> {
        self.arn.clone()
    }

    /// Whether it is a FIFO topic.
    pub fn fifo(&self) -> bool {
        self.fifo
    }

    /// Its KMS key, if any.
    pub fn master_key(&self) -> Option<&crate::kms::Key> {
        self.key.as_ref()
    }

    /// Adds a statement to the topic policy (`Policy` under the topic, made on first use);
    /// gives the policy's scope, for what must wait for it.
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> Result<Scope> {
        if self.imported {
            // A policy written here would replace the existing topic's whole policy.
            return Err(self.scope.error(
                "the topic is imported, so its policy is not in these templates (a TopicPolicy here would replace it); add the statement to the topic's own policy, or make the topic in the app",
            ));
        }
        self.policy.add(statement, |st| {
            let scope = self.scope.child("Policy", "ironcdk.sns.TopicPolicy")?;
            let arn = self.topic_arn();
            let policy = CfnTopicPolicy::new_lazy(&scope, "Resource", move || CfnTopicPolicyProps::new(crate::iam::policy_document(&st.borrow()), vec![arn.clone()]))?;
            crate::iam::sort_policy_lists(policy.resource(), "PolicyDocument");
            Ok(scope)
        })
    }

    /// Subscribes `to` (CDK's `addSubscription`). What SNS refuses at deploy, and CDK does not
    /// check, is an error naming the topic: a FIFO queue on a standard topic, and anything but a
    /// queue on a FIFO topic.
    pub fn add_subscription(&self, to: Subscription) -> Result<()> {
        let topic_id = self.scope.unique_id();
        if self.fifo && !matches!(to, Subscription::Sqs { .. }) {
            return Err(self.scope.error("a FIFO topic delivers to SQS queues only; subscribe a queue, or use a standard topic"));
        }
        match to {
            Subscription::Sqs { queue, raw_message_delivery } => {
                if queue.encryption() == Some(crate::sqs::QueueEncryption::KmsManaged) {
                    return Err(self.scope.error(format!(
                        "queue {} is encrypted with the AWS managed key alias/aws/sqs, whose policy SNS cannot use; encrypt it with SQS's own keys or a key of yours",
                        queue.scope().path()
                    )));
                }
                if queue.fifo() && !self.fifo {
                    return Err(self.scope.error(format!(
                        "queue {} is FIFO and the topic is standard; SNS delivers to FIFO queues from FIFO topics only",
                        queue.scope().path()
                    )));
                }
                let statement = PolicyStatement::allow()
                    .actions(["sqs:SendMessage"])
                    .principal(Principal::service("sns.amazonaws.com"))
                    .resource(queue.queue_arn())
                    .condition(object([("ArnEquals", object([("aws:SourceArn", self.topic_arn().into_value())]))]));
                let policy = queue.add_to_resource_policy(statement)?;
                // As CDK (`restrictSqsDescryption`): a queue with a key of yours lets SNS use the
                // key for this topic.
                if let Some(k) = queue.encryption_master_key() {
                    k.add_to_resource_policy(
                        PolicyStatement::allow()
                            .actions(["kms:Decrypt", "kms:GenerateDataKey"])
                            .principal(Principal::service("sns.amazonaws.com"))
                            .resource("*")
                            .condition(object([("ArnEquals", object([("aws:SourceArn", self.topic_arn().into_value())]))])),
                    );
                }
                let scope = queue.scope().child(&topic_id, "ironcdk.sns.Subscription")?;
                let mut p = CfnSubscriptionProps::new("sqs", self.topic_arn()).endpoint(queue.queue_arn());
                if raw_message_delivery {
                    p = p.raw_message_delivery(true);
                }
                let s = CfnSubscription::new(&scope, "Resource", p)?;
                // As CDK: S3 and SNS check the policy when the subscription is made.
                s.resource().scope().add_dependency(&policy)?;
            }
            Subscription::Lambda(f) => {
                f.add_permission(&format!("AllowInvoke:{topic_id}"), Permission::service("sns.amazonaws.com").source_arn(self.topic_arn()))?;
                let scope = f.scope().child(&self.scope.id(), "ironcdk.sns.Subscription")?;
                CfnSubscription::new(&scope, "Resource", CfnSubscriptionProps::new("lambda", self.topic_arn()).endpoint(f.function_arn()))?;
            }
            Subscription::Email(address) => {
                let ok = address.split_once('@').is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !address.chars().any(char::is_whitespace));
                if !ok {
                    return Err(self.scope.error(format!("'{address}' is not an email address")));
                }
                let scope = self.scope.child(&address, "ironcdk.sns.Subscription")?;
                CfnSubscription::new(&scope, "Resource", CfnSubscriptionProps::new("email", self.topic_arn()).endpoint(address.clone()))?;
            }
            Subscription::Https(url) => {
                if !url.starts_with("https://") || url.len() <= "https://".len() || url.chars().any(char::is_whitespace) {
                    return Err(self.scope.error(format!("'{url}' is not an https:// URL")));
                }
                // As CDK: '/' in a construct id becomes '--'.
                let scope = self.scope.child(&url.replace('/', "--"), "ironcdk.sns.Subscription")?;
                CfnSubscription::new(&scope, "Resource", CfnSubscriptionProps::new("https", self.topic_arn()).endpoint(url.clone()))?;
            }
        }
        Ok(())
    }

    /// Lets `grantee` publish (CDK's `grantPublish`).
    pub fn grant_publish(&self, grantee: &impl Grantable) -> Result<()> {
        grantee.grant_role().add_to_policy(PolicyStatement::allow().actions(["sns:Publish"]).resource(self.topic_arn()))
    }
}
