//! `s3::Bucket`, rendered as aws-cdk-lib 2.276 renders `new s3.Bucket(...)` in a new project:
//! retained by default, encryption, block public access (the options left unset are on, as the
//! `publicAccessBlockedByDefault` flag makes them), versioning, lifecycle rules, `enforce_ssl`
//! as the bucket policy's first statement, and CDK's grants.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Duration, RemovalPolicy, Result, Scope, ToValue, Val, Value};

use super::generated::*;
use crate::iam::{policy_document, sort_policy_lists, Grantable, PolicyStatement, Principal, ResourcePolicy};
use crate::object;

/// How objects are encrypted at rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketEncryption {
    /// S3's own keys (`AES256`).
    S3Managed,
    /// The AWS managed KMS key `aws/s3` (`aws:kms`; KMS request charges apply).
    KmsManaged,
    /// A KMS key of yours: [`BucketProps::encryption_key`], or one made for the bucket (`Key`
    /// under it, rotated yearly, as CDK makes it). The bucket's grants include the key.
    Kms,
}

/// Which public access S3 blocks (CDK's `BlockPublicAccess`); an option left unset is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlockPublicAccess {
    /// Refuse new public ACLs.
    pub block_public_acls: Option<bool>,
    /// Refuse a public bucket policy.
    pub block_public_policy: Option<bool>,
    /// Ignore public ACLs.
    pub ignore_public_acls: Option<bool>,
    /// Restrict access through a public policy to AWS services and the account.
    pub restrict_public_buckets: Option<bool>,
}

impl BlockPublicAccess {
    /// Everything blocked (CDK's `BLOCK_ALL`).
    pub const BLOCK_ALL: BlockPublicAccess =
        BlockPublicAccess { block_public_acls: Some(true), block_public_policy: Some(true), ignore_public_acls: Some(true), restrict_public_buckets: Some(true) };
    /// Public ACLs blocked (CDK's `BLOCK_ACLS`; the policy options, unset, are on too).
    pub const BLOCK_ACLS: BlockPublicAccess = BlockPublicAccess { block_public_acls: Some(true), block_public_policy: None, ignore_public_acls: Some(true), restrict_public_buckets: None };
    /// Options of your own: each one given, the others on.
    pub fn custom(block_public_acls: Option<bool>, block_public_policy: Option<bool>, ignore_public_acls: Option<bool>, restrict_public_buckets: Option<bool>) -> Self {
        BlockPublicAccess { block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets }
    }
    fn render(&self) -> Value {
        let on = |o: Option<bool>| Value::Bool(o.unwrap_or(true));
        object([
            ("BlockPublicAcls", on(self.block_public_acls)),
            ("BlockPublicPolicy", on(self.block_public_policy)),
            ("IgnorePublicAcls", on(self.ignore_public_acls)),
            ("RestrictPublicBuckets", on(self.restrict_public_buckets)),
        ])
    }
    /// Whether a bucket policy granting public access would be refused.
    pub fn blocks_public_policy(&self) -> bool {
        self.block_public_policy.unwrap_or(true)
    }
}

/// A storage class objects move to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageClass {
    /// `STANDARD_IA`
    InfrequentAccess,
    /// `ONEZONE_IA`
    OneZoneInfrequentAccess,
    /// `INTELLIGENT_TIERING`
    IntelligentTiering,
    /// `GLACIER_IR`
    GlacierInstantRetrieval,
    /// `GLACIER`
    Glacier,
    /// `DEEP_ARCHIVE`
    DeepArchive,
}

impl StorageClass {
    fn as_str(self) -> &'static str {
        match self {
            StorageClass::InfrequentAccess => "STANDARD_IA",
            StorageClass::OneZoneInfrequentAccess => "ONEZONE_IA",
            StorageClass::IntelligentTiering => "INTELLIGENT_TIERING",
            StorageClass::GlacierInstantRetrieval => "GLACIER_IR",
            StorageClass::Glacier => "GLACIER",
            StorageClass::DeepArchive => "DEEP_ARCHIVE",
        }
    }
}

/// A lifecycle rule (CDK's `LifecycleRule`).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct LifecycleRule {
    /// Its id.
    pub id: Option<String>,
    /// Whether it is applied (default yes).
    pub enabled: Option<bool>,
    /// Objects whose key starts with this.
    pub prefix: Option<String>,
    /// Objects expire this long after creation.
    pub expiration: Option<Duration>,
    /// Older versions expire this long after they stop being current.
    pub noncurrent_version_expiration: Option<Duration>,
    /// Incomplete multipart uploads are aborted this long after they start.
    pub abort_incomplete_multipart_upload_after: Option<Duration>,
    /// Moves to cheaper storage: (class, after this long).
    pub transitions: Vec<(StorageClass, Duration)>,
}

impl LifecycleRule {
    /// A rule with nothing in it yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a transition.
    pub fn transition(mut self, class: StorageClass, after: Duration) -> Self {
        self.transitions.push((class, after));
        self
    }
    setters! {
        /// Sets the id.
        into id: String;
        /// Enables or disables the rule.
        some enabled: bool;
        /// Applies to keys with this prefix.
        into prefix: String;
        /// Expires objects after this long.
        some expiration: Duration;
        /// Expires noncurrent versions after this long.
        some noncurrent_version_expiration: Duration;
        /// Aborts incomplete multipart uploads after this long.
        some abort_incomplete_multipart_upload_after: Duration;
    }

    fn render(&self) -> std::result::Result<Value, String> {
        let days = |d: Duration, what: &str| -> std::result::Result<Value, String> {
            let s = d.to_seconds();
            if s == 0 || !s.is_multiple_of(86_400) {
                return Err(format!("{what} must be a whole number of days, at least one"));
            }
            Ok(Value::Int(i64::try_from(s / 86_400).unwrap_or(i64::MAX)))
        };
        if self.expiration.is_none() && self.noncurrent_version_expiration.is_none() && self.abort_incomplete_multipart_upload_after.is_none() && self.transitions.is_empty() {
            return Err("a lifecycle rule needs an action: an expiration, a noncurrent version expiration, an abort of incomplete uploads or a transition".into());
        }
        let mut m: Vec<(&str, Value)> = Vec::new();
        if let Some(d) = self.abort_incomplete_multipart_upload_after {
            m.push(("AbortIncompleteMultipartUpload", object([("DaysAfterInitiation", days(d, "the abort of incomplete uploads")?)])));
        }
        if let Some(d) = self.expiration {
            m.push(("ExpirationInDays", days(d, "the expiration")?));
        }
        if let Some(id) = &self.id {
            m.push(("Id", Value::Str(id.into())));
        }
        if let Some(d) = self.noncurrent_version_expiration {
            m.push(("NoncurrentVersionExpiration", object([("NoncurrentDays", days(d, "the noncurrent version expiration")?)])));
        }
        if let Some(p) = &self.prefix {
            m.push(("Prefix", Value::Str(p.into())));
        }
        m.push(("Status", Value::Str(if self.enabled.unwrap_or(true) { "Enabled" } else { "Disabled" }.into())));
        if !self.transitions.is_empty() {
            let mut list = Vec::new();
            for (class, after) in &self.transitions {
                list.push(object([("StorageClass", Value::Str(class.as_str().into())), ("TransitionInDays", days(*after, "a transition")?)]));
            }
            m.push(("Transitions", Value::List(list)));
        }
        Ok(object(m))
    }
}

/// Who owns objects others upload (CDK's `ObjectOwnership`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectOwnership {
    /// The bucket owner, ACLs off.
    BucketOwnerEnforced,
    /// The bucket owner when uploaded with `bucket-owner-full-control`.
    BucketOwnerPreferred,
    /// The uploader.
    ObjectWriter,
}

/// A CORS rule (CDK's `CorsRule`).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct CorsRule {
    /// Its id.
    pub id: Option<String>,
    /// Methods allowed (`GET`, `PUT`, `HEAD`, `POST`, `DELETE`).
    pub allowed_methods: Vec<String>,
    /// Origins allowed.
    pub allowed_origins: Vec<String>,
    /// Request headers allowed.
    pub allowed_headers: Vec<String>,
    /// Response headers exposed.
    pub exposed_headers: Vec<String>,
    /// Seconds browsers may cache the preflight answer.
    pub max_age: Option<u32>,
}

impl CorsRule {
    /// `methods` from `origins`.
    pub fn new<M: IntoIterator<Item = S>, O: IntoIterator<Item = T>, S: Into<String>, T: Into<String>>(methods: M, origins: O) -> Self {
        CorsRule { allowed_methods: methods.into_iter().map(Into::into).collect(), allowed_origins: origins.into_iter().map(Into::into).collect(), ..Default::default() }
    }
    /// Allows these request headers.
    pub fn headers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, headers: I) -> Self {
        self.allowed_headers = headers.into_iter().map(Into::into).collect();
        self
    }
    /// Exposes these response headers.
    pub fn expose<I: IntoIterator<Item = S>, S: Into<String>>(mut self, headers: I) -> Self {
        self.exposed_headers = headers.into_iter().map(Into::into).collect();
        self
    }
    setters! {
        /// Sets the id.
        into id: String;
        /// Sets the preflight cache time in seconds.
        some max_age: u32;
    }
    fn render(&self) -> std::result::Result<Value, String> {
        const METHODS: [&str; 5] = ["GET", "PUT", "HEAD", "POST", "DELETE"];
        if self.allowed_methods.is_empty() || self.allowed_origins.is_empty() {
            return Err("a CORS rule needs methods and origins".into());
        }
        if let Some(m) = self.allowed_methods.iter().find(|m| !METHODS.contains(&m.as_str())) {
            return Err(format!("CORS method '{m}' is not one S3 takes (GET, PUT, HEAD, POST, DELETE)"));
        }
        let list = |v: &[String]| Value::List(v.iter().map(|s| Value::Str(s.into())).collect());
        let mut m: Vec<(&str, Value)> = Vec::new();
        if !self.allowed_headers.is_empty() {
            m.push(("AllowedHeaders", list(&self.allowed_headers)));
        }
        m.push(("AllowedMethods", list(&self.allowed_methods)));
        m.push(("AllowedOrigins", list(&self.allowed_origins)));
        if !self.exposed_headers.is_empty() {
            m.push(("ExposedHeaders", list(&self.exposed_headers)));
        }
        if let Some(id) = &self.id {
            m.push(("Id", Value::Str(id.into())));
        }
        if let Some(a) = self.max_age {
            m.push(("MaxAge", Value::Int(i64::from(a))));
        }
        Ok(object(m))
    }
}

/// Options of a [`Bucket`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct BucketProps {
    /// Physical name (3 to 63 lowercase letters, digits, dots and hyphens).
    pub bucket_name: Option<String>,
    /// Encryption at rest (unset: S3's default, nothing written).
    pub encryption: Option<BucketEncryption>,
    /// S3 Bucket Keys for KMS encryption.
    pub bucket_key_enabled: Option<bool>,
    /// The key of [`BucketEncryption::Kms`].
    pub encryption_key: Option<crate::kms::Key>,
    /// Block public access (unset: S3's default for new buckets, nothing written).
    pub block_public_access: Option<BlockPublicAccess>,
    /// Keep every version of every object.
    pub versioned: Option<bool>,
    /// Lifecycle rules.
    pub lifecycle_rules: Vec<LifecycleRule>,
    /// Refuse requests not made over TLS (a bucket policy statement).
    pub enforce_ssl: bool,
    /// Removal policy (default: retain; buckets are data).
    pub removal_policy: Option<RemovalPolicy>,
    /// CORS rules.
    pub cors: Vec<CorsRule>,
    /// Object ownership.
    pub object_ownership: Option<ObjectOwnership>,
    /// Where server access logs go (default: this bucket, when a prefix is given).
    pub server_access_logs_bucket: Option<Bucket>,
    /// The key prefix of the server access logs.
    pub server_access_logs_prefix: Option<String>,
    /// Static website hosting: the index document.
    pub website_index_document: Option<String>,
    /// Static website hosting: the error document.
    pub website_error_document: Option<String>,
    /// Sends every event of the bucket to EventBridge (CDK's `eventBridgeEnabled`), for rules
    /// to match (`events::EventPattern`).
    pub event_bridge_enabled: bool,
}

impl BucketProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the physical name.
        into bucket_name: String;
        /// Sets the encryption.
        some encryption: BucketEncryption;
        /// Uses S3 Bucket Keys.
        some bucket_key_enabled: bool;
        /// Encrypts with this key (implies [`BucketEncryption::Kms`]).
        cloned encryption_key: crate::kms::Key;
        /// Sets block public access.
        some block_public_access: BlockPublicAccess;
        /// Keeps versions, or explicitly not.
        some versioned: bool;
        /// Sets the lifecycle rules.
        set lifecycle_rules: Vec<LifecycleRule>;
        /// Refuses requests without TLS.
        set enforce_ssl: bool;
        /// Sets the removal policy.
        some removal_policy: RemovalPolicy;
        /// Sets the CORS rules.
        set cors: Vec<CorsRule>;
        /// Sets the object ownership.
        some object_ownership: ObjectOwnership;
        /// Sends server access logs to this bucket.
        cloned server_access_logs_bucket: Bucket;
        /// Sets the server access logs' key prefix.
        into server_access_logs_prefix: String;
        /// Hosts a website with this index document.
        into website_index_document: String;
        /// Sets the website's error document.
        into website_error_document: String;
        /// Sends the bucket's events to EventBridge.
        set event_bridge_enabled: bool;
    }
}

/// Which object events a notification is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventType {
    /// Every way an object is created (`s3:ObjectCreated:*`).
    ObjectCreated,
    /// `s3:ObjectCreated:Put`
    ObjectCreatedPut,
    /// `s3:ObjectCreated:Post`
    ObjectCreatedPost,
    /// `s3:ObjectCreated:Copy`
    ObjectCreatedCopy,
    /// `s3:ObjectCreated:CompleteMultipartUpload`
    ObjectCreatedCompleteMultipartUpload,
    /// Every way an object is removed (`s3:ObjectRemoved:*`).
    ObjectRemoved,
    /// `s3:ObjectRemoved:Delete`
    ObjectRemovedDelete,
    /// `s3:ObjectRemoved:DeleteMarkerCreated`
    ObjectRemovedDeleteMarkerCreated,
}

impl EventType {
    fn as_str(self) -> &'static str {
        match self {
            EventType::ObjectCreated => "s3:ObjectCreated:*",
            EventType::ObjectCreatedPut => "s3:ObjectCreated:Put",
            EventType::ObjectCreatedPost => "s3:ObjectCreated:Post",
            EventType::ObjectCreatedCopy => "s3:ObjectCreated:Copy",
            EventType::ObjectCreatedCompleteMultipartUpload => "s3:ObjectCreated:CompleteMultipartUpload",
            EventType::ObjectRemoved => "s3:ObjectRemoved:*",
            EventType::ObjectRemovedDelete => "s3:ObjectRemoved:Delete",
            EventType::ObjectRemovedDeleteMarkerCreated => "s3:ObjectRemoved:DeleteMarkerCreated",
        }
    }
    /// Whether S3 counts the two as sharing an event type (`*` covers its family).
    fn overlaps(self, other: EventType) -> bool {
        let (a, b) = (self.as_str(), other.as_str());
        let family = |e: &'static str| e.rsplit_once(':').map_or(e, |(f, _)| f);
        a == b || (family(a) == family(b) && (a.ends_with('*') || b.ends_with('*')))
    }
}

/// Where a bucket sends its notifications.
#[derive(Clone)]
#[non_exhaustive]
pub enum NotificationDestination {
    /// An SNS topic (standard).
    Topic(crate::sns::Topic),
    /// An SQS queue (standard).
    Queue(crate::sqs::Queue),
    /// A Lambda function.
    Function(crate::lambda::Function),
}

/// Keys a notification is for: a prefix, a suffix, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotificationKeyFilter {
    /// Keys starting with this.
    pub prefix: Option<String>,
    /// Keys ending with this.
    pub suffix: Option<String>,
}

impl NotificationKeyFilter {
    /// Keys starting with `prefix`.
    pub fn prefix(prefix: impl Into<String>) -> Self {
        NotificationKeyFilter { prefix: Some(prefix.into()), suffix: None }
    }
    /// Keys ending with `suffix`.
    pub fn suffix(suffix: impl Into<String>) -> Self {
        NotificationKeyFilter { prefix: None, suffix: Some(suffix.into()) }
    }
    /// Also keys ending with `suffix`.
    pub fn and_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
    }
    /// Whether some key matches both filters.
    fn overlaps(&self, other: &NotificationKeyFilter) -> bool {
        let p = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a.starts_with(b.as_str()) || b.starts_with(a.as_str()),
            _ => true,
        };
        let s = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a.ends_with(b.as_str()) || b.ends_with(a.as_str()),
            _ => true,
        };
        p(&self.prefix, &other.prefix) && s(&self.suffix, &other.suffix)
    }
}

/// One notification of a bucket, as rendered: the kind of configuration, its destination
/// key (`Topic`, `Queue`, `Function`) and value, the event and the filter.
#[derive(Clone)]
struct Notification {
    list: &'static str,
    key: &'static str,
    target: Val<String>,
    event: EventType,
    filter: NotificationKeyFilter,
}

impl Notification {
    fn render(&self) -> Value {
        let mut m: Vec<(&str, Value)> = vec![("Event", Value::Str(self.event.as_str().into()))];
        let mut rules = Vec::new();
        if let Some(p) = &self.filter.prefix {
            rules.push(object([("Name", Value::Str("prefix".into())), ("Value", Value::Str(p.into()))]));
        }
        if let Some(s) = &self.filter.suffix {
            rules.push(object([("Name", Value::Str("suffix".into())), ("Value", Value::Str(s.into()))]));
        }
        if !rules.is_empty() {
            m.push(("Filter", object([("S3Key", object([("Rules", Value::List(rules))]))])));
        }
        m.push((self.key, self.target.to_value()));
        object(m)
    }
}

/// CDK's grant actions.
const READ_ACTIONS: [&str; 3] = ["s3:GetObject*", "s3:GetBucket*", "s3:List*"];
const PUT_ACTIONS: [&str; 6] = ["s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:Abort*"];
const DELETE_ACTIONS: [&str; 1] = ["s3:DeleteObject*"];
const KEY_READ_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:DescribeKey"];
const KEY_WRITE_ACTIONS: [&str; 4] = ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Decrypt"];

/// An S3 bucket, new or imported.
#[derive(Clone)]
pub struct Bucket {
    scope: Scope,
    bucket_name: Val<String>,
    bucket_arn: Val<String>,
    /// Its physical name, when given.
    literal_name: Option<String>,
    /// Its notifications (`None` for an imported bucket).
    notifications: Option<Rc<RefCell<Vec<Notification>>>>,
    resource: Option<CfnBucket>,
    /// Its encryption, as given.
    encryption: Option<BucketEncryption>,
    /// Its customer managed key, whose use its grants include.
    key: Option<crate::kms::Key>,
    /// The bucket policy (`None` for an imported bucket, whose policy is not ours to change).
    policy: Option<ResourcePolicy>,
}

impl AsScope for Bucket {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

fn check_name(scope: &Scope, n: &str) -> Result<()> {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok = (3..=63).contains(&n.len())
        && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge(n.chars().next())
        && edge(n.chars().last())
        && !n.contains("..")
        && !n.starts_with("xn--")
        && !n.ends_with("-s3alias");
    if !ok {
        return Err(scope.error(format!("bucket name '{n}' is not one S3 takes: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit")));
    }
    Ok(())
}

impl Bucket {
    /// Creates the bucket (and its policy when `enforce_ssl` asks for one). What S3 refuses (a
    /// bad name, a lifecycle rule without an action or with partial days) is an error naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: BucketProps) -> Result<Bucket> {
        let scope = scope.scope().child(id, "ironcdk.s3.Bucket")?;
        if let Some(n) = &props.bucket_name {
            check_name(&scope, n)?;
        }
        let mut rules = Vec::new();
        for r in &props.lifecycle_rules {
            let rendered = r.render().map_err(|why| scope.error(why))?;
            // The schema's uniqueItems: CloudFormation refuses two identical rules.
            if rules.contains(&rendered) {
                return Err(scope.error("two lifecycle rules are identical, which CloudFormation refuses; give each an id or drop one"));
            }
            rules.push(rendered);
        }
        let mut p = CfnBucketProps::new();
        if !props.cors.is_empty() {
            let mut rules = Vec::new();
            for r in &props.cors {
                rules.push(r.render().map_err(|why| scope.error(why))?);
            }
            p = p.cors_configuration(Val::unchecked(object([("CorsRules", Value::List(rules))])));
        }
        if let Some(o) = props.object_ownership {
            let name = match o {
                ObjectOwnership::BucketOwnerEnforced => "BucketOwnerEnforced",
                ObjectOwnership::BucketOwnerPreferred => "BucketOwnerPreferred",
                ObjectOwnership::ObjectWriter => "ObjectWriter",
            };
            p = p.ownership_controls(Val::unchecked(object([("Rules", Value::List(vec![object([("ObjectOwnership", Value::Str(name.into()))])]))])));
        }
        if props.server_access_logs_bucket.is_some() || props.server_access_logs_prefix.is_some() {
            let mut logging: Vec<(&str, Value)> = Vec::new();
            let target_encryption = props.server_access_logs_bucket.as_ref().map_or(props.encryption, |t| t.encryption);
            if matches!(target_encryption, Some(BucketEncryption::KmsManaged | BucketEncryption::Kms)) || (props.server_access_logs_bucket.is_none() && props.encryption_key.is_some()) {
                return Err(scope.error("server access logs would go to a bucket encrypted with KMS; S3 writes access logs only to buckets with S3-managed encryption"));
            }
            if let Some(target) = &props.server_access_logs_bucket {
                logging.push(("DestinationBucketName", target.bucket_name().into_value()));
            }
            if let Some(prefix) = &props.server_access_logs_prefix {
                logging.push(("LogFilePrefix", Value::Str(prefix.into())));
            }
            p = p.logging_configuration(Val::unchecked(object(logging)));
        }
        if props.website_index_document.is_some() || props.website_error_document.is_some() {
            let Some(index) = &props.website_index_document else {
                return Err(scope.error("a website error document needs an index document (website_index_document)"));
            };
            let mut w: Vec<(&str, Value)> = Vec::new();
            if let Some(e) = &props.website_error_document {
                w.push(("ErrorDocument", Value::Str(e.into())));
            }
            w.push(("IndexDocument", Value::Str(index.into())));
            p = p.website_configuration(Val::unchecked(object(w)));
        }
        let encryption = if props.encryption_key.is_some() { Some(BucketEncryption::Kms) } else { props.encryption };
        if props.encryption_key.is_some() && props.encryption.is_some_and(|e| e != BucketEncryption::Kms) {
            return Err(scope.error("an encryption key is given with another encryption; use BucketEncryption::Kms with it"));
        }
        // As CDK: KMS encryption without a key gets one of the bucket's own.
        let key = match (encryption, &props.encryption_key) {
            (Some(BucketEncryption::Kms), Some(k)) => Some(k.clone()),
            (Some(BucketEncryption::Kms), None) => Some(crate::kms::Key::new(
                &scope,
                "Key",
                crate::kms::KeyProps::new().description(format!("Created by {}", scope.path())).enable_key_rotation(true),
            )?),
            _ => None,
        };
        if let Some(e) = encryption {
            let mut default = vec![];
            if let Some(k) = &key {
                default.push(("KMSMasterKeyID", k.key_arn().into_value()));
            }
            default.push(("SSEAlgorithm", Value::Str(if e == BucketEncryption::S3Managed { "AES256" } else { "aws:kms" }.into())));
            let mut rule = vec![("ServerSideEncryptionByDefault", object(default))];
            if let Some(k) = props.bucket_key_enabled {
                rule.insert(0, ("BucketKeyEnabled", Value::Bool(k)));
            }
            p = p.bucket_encryption(Val::unchecked(object([("ServerSideEncryptionConfiguration", Value::List(vec![object(rule)]))])));
        } else if props.bucket_key_enabled.is_some() {
            return Err(scope.error("bucket keys apply to KMS encryption; set encryption to KmsManaged, or drop bucket_key_enabled"));
        }
        if let Some(n) = &props.bucket_name {
            p = p.bucket_name(n.clone());
        }
        if !rules.is_empty() {
            p = p.lifecycle_configuration(Val::unchecked(object([("Rules", Value::List(rules))])));
        }
        if let Some(b) = props.block_public_access {
            p = p.public_access_block_configuration(Val::unchecked(b.render()));
        }
        if props.versioned == Some(true) {
            p = p.versioning_configuration(Val::unchecked(object([("Status", Value::Str("Enabled".into()))])));
        }
        let notifications: Rc<RefCell<Vec<Notification>>> = Rc::default();
        let n = notifications.clone();
        let event_bridge = props.event_bridge_enabled;
        let resource = CfnBucket::new_lazy(&scope, "Resource", move || {
            let n = n.borrow();
            if n.is_empty() && !event_bridge {
                return p.clone();
            }
            let mut config: Vec<(&str, Value)> = Vec::new();
            if event_bridge {
                config.push(("EventBridgeConfiguration", object([("EventBridgeEnabled", Value::Bool(true))])));
            }
            for (list, _) in [("LambdaConfigurations", ()), ("QueueConfigurations", ()), ("TopicConfigurations", ())] {
                let items: Vec<Value> = n.iter().filter(|x| x.list == list).map(Notification::render).collect();
                if !items.is_empty() {
                    config.push((list, Value::List(items)));
                }
            }
            p.clone().notification_configuration(Val::unchecked(object(config)))
        })?;
        resource.apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Retain));
        let bucket = Bucket {
            scope,
            bucket_name: resource.ref_(),
            bucket_arn: resource.attr_arn(),
            literal_name: props.bucket_name.clone(),
            notifications: Some(notifications),
            resource: Some(resource),
            policy: Some(ResourcePolicy::default()),
            encryption,
            key,
        };
        if props.enforce_ssl {
            let arn = bucket.bucket_arn.clone();
            bucket.add_to_resource_policy(
                PolicyStatement::deny()
                    .actions(["s3:*"])
                    .principal(Principal::Aws(Val::from("*")))
                    .condition(object([("Bool", object([("aws:SecureTransport", Value::Str("false".into()))]))]))
                    .resource(arn.clone())
                    .resource(bucket.arn_for_objects("*")),
            )?;
        }
        // As CDK (with `serverAccessLogsUseBucketPolicy`): the log bucket's policy lets S3's log
        // delivery write under the prefix, for this bucket and account only. An imported log
        // bucket's policy is not in these templates: it must admit the delivery already.
        if props.server_access_logs_bucket.is_some() || props.server_access_logs_prefix.is_some() {
            let target = props.server_access_logs_bucket.clone().unwrap_or_else(|| bucket.clone());
            if target.policy.is_some() {
                let prefix = props.server_access_logs_prefix.clone().unwrap_or_default();
                target.add_to_resource_policy(
                    PolicyStatement::allow()
                        .actions(["s3:PutObject"])
                        .principal(Principal::service("logging.s3.amazonaws.com"))
                        .resource(target.arn_for_objects(&format!("{prefix}*")))
                        .condition(object([
                            ("ArnLike", object([("aws:SourceArn", bucket.bucket_arn().into_value())])),
                            ("StringEquals", object([("aws:SourceAccount", ironcdk_synth::Pseudo::AccountId.val().into_value())])),
                        ])),
                )?;
            }
        }
        Ok(bucket)
    }

    /// An existing bucket by name (CDK's `Bucket.fromBucketName`): nothing is created, and its
    /// policy is left alone.
    pub fn from_bucket_name(scope: &impl AsScope, id: &str, name: &str) -> Result<Bucket> {
        let scope = scope.scope().child(id, "ironcdk.s3.ImportedBucket")?;
        check_name(&scope, name)?;
        let arn = fns::join("", ["arn:".into(), scope.partition_value(), format!(":s3:::{name}").into()]);
        Ok(Bucket { scope, bucket_name: Val::from(name), bucket_arn: arn, literal_name: Some(name.to_string()), notifications: None, resource: None, policy: None, encryption: None, key: None })
    }

    /// An existing bucket by ARN (`arn:<partition>:s3:::<name>`).
    pub fn from_bucket_arn(scope: &impl AsScope, id: &str, arn: &str) -> Result<Bucket> {
        let scope = scope.scope().child(id, "ironcdk.s3.ImportedBucket")?;
        let name = arn.split(":::").nth(1).filter(|_| arn.starts_with("arn:") && arn.contains(":s3:::")).unwrap_or_default().to_string();
        if name.is_empty() || name.contains('/') {
            return Err(scope.error(format!("'{arn}' is not a bucket ARN (arn:aws:s3:::name)")));
        }
        check_name(&scope, &name)?;
        Ok(Bucket { scope, bucket_name: Val::from(name.as_str()), bucket_arn: Val::from(arn), literal_name: Some(name), notifications: None, resource: None, policy: None, encryption: None, key: None })
    }

    /// `Ref` (the name).
    pub fn bucket_name(&self) -> Val<String> {
        self.bucket_name.clone()
    }

    /// `Fn::GetAtt Arn`.
    pub fn bucket_arn(&self) -> Val<String> {
        self.bucket_arn.clone()
    }

    /// The customer managed key the bucket is encrypted with, if any.
    pub fn encryption_key(&self) -> Option<&crate::kms::Key> {
        self.key.as_ref()
    }

    /// `Fn::GetAtt RegionalDomainName` of a bucket of these templates (`None` for an import).
    pub fn bucket_regional_domain_name(&self) -> Option<Val<String>> {
        self.resource.as_ref().map(CfnBucket::attr_regional_domain_name)
    }

    /// The ARN of the objects matching `pattern` (`<arn>/<pattern>`).
    pub fn arn_for_objects(&self, pattern: &str) -> Val<String> {
        fns::join("", [self.bucket_arn.clone(), format!("/{pattern}").into()])
    }

    /// Adds a statement to the bucket policy (`Policy` under the bucket, made on first use).
    /// An imported bucket's policy is not changed: that is an error.
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> Result<()> {
        match self.add_to_own_policy(statement)? {
            Some(_) => Ok(()),
            None => Err(self.scope.error("this bucket is imported; its policy is not in these templates, so statements cannot be added to it")),
        }
    }

    /// Adds a statement to the bucket policy and gives the policy's scope, for what must wait
    /// for it; `None` for an imported bucket, whose policy is left as it is (as CDK does).
    pub(crate) fn add_to_own_policy(&self, statement: PolicyStatement) -> Result<Option<Scope>> {
        let Some(policy) = &self.policy else { return Ok(None) };
        policy
            .add(statement, |st| {
                let scope = self.scope.child("Policy", "ironcdk.s3.BucketPolicy")?;
                let name = self.bucket_name.clone();
                let policy = CfnBucketPolicy::new_lazy(&scope, "Resource", move || CfnBucketPolicyProps::new(name.clone(), policy_document(&st.borrow())))?;
                sort_policy_lists(policy.resource(), "PolicyDocument");
                Ok(scope)
            })
            .map(Some)
    }

    /// Whether objects are encrypted with KMS (a key of yours or `aws/s3`); `None` for an
    /// imported bucket, whose encryption is not known here.
    pub(crate) fn kms_encrypted(&self) -> Option<bool> {
        self.resource.as_ref()?;
        Some(matches!(self.encryption, Some(BucketEncryption::KmsManaged | BucketEncryption::Kms)) || self.key.is_some())
    }

    /// Sends `event` notifications for keys matching `filter` to `destination`, written in the
    /// bucket's own `NotificationConfiguration` (CDK uses a custom-resource Lambda for this;
    /// here there is none). The destination's policy (or the function's permission) admits S3
    /// from this bucket, and the bucket waits for it: S3 checks it when the notification is
    /// made. The policy names the bucket by its name when it has one, else by the account (naming
    /// a generated bucket would be a cycle). What S3 refuses is an error naming the bucket: an
    /// imported bucket, a FIFO topic or queue, a queue on the AWS managed key, and two
    /// notifications for overlapping events and keys. A topic or queue encrypted with a key of
    /// yours gets the key policy statements CDK adds for S3.
    pub fn add_event_notification(&self, event: EventType, destination: NotificationDestination, filter: NotificationKeyFilter) -> Result<()> {
        let (Some(list), Some(resource)) = (&self.notifications, &self.resource) else {
            return Err(self.scope.error("this bucket is imported; its notifications are not in these templates (CDK changes them with a custom resource, which ironcdk does not use)"));
        };
        if let Some(other) = list.borrow().iter().find(|n| n.event.overlaps(event) && n.filter.overlaps(&filter)) {
            return Err(self.scope.error(format!(
                "notifications for {} and {} overlap in events and keys, which S3 refuses (\"Configurations overlap\"); give them prefixes or suffixes that do not overlap",
                other.event.as_str(),
                event.as_str()
            )));
        }
        // Who may send: S3, from this bucket.
        let from_bucket = match &self.literal_name {
            Some(n) => object([("ArnLike", object([("aws:SourceArn", fns::join("", ["arn:".into(), self.scope.partition_value(), format!(":s3:::{n}").into()]).into_value())]))]),
            None => object([("StringEquals", object([("aws:SourceAccount", ironcdk_synth::Pseudo::AccountId.val().into_value())]))]),
        };
        let s3 = Principal::service("s3.amazonaws.com");
        let (n, waits_for) = match destination {
            NotificationDestination::Topic(t) => {
                if t.fifo() {
                    return Err(self.scope.error("S3 notifies standard topics only, not FIFO ones"));
                }
                // As CDK: S3 may use the topic's key (S3 encrypts what it publishes).
                if let Some(k) = t.master_key() {
                    k.add_to_resource_policy(PolicyStatement::allow().actions(["kms:Decrypt", "kms:GenerateDataKey"]).principal(s3.clone()).resource("*"));
                }
                let policy = t.add_to_resource_policy(PolicyStatement::allow().actions(["sns:Publish"]).principal(s3).resource(t.topic_arn()).condition(from_bucket))?;
                (Notification { list: "TopicConfigurations", key: "Topic", target: t.topic_arn(), event, filter }, policy)
            }
            NotificationDestination::Queue(q) => {
                if q.fifo() {
                    return Err(self.scope.error("S3 notifies standard queues only, not FIFO ones"));
                }
                // As CDK: the send grant includes the key's use by S3 from this bucket, and S3 may
                // use the key to check the destination when the notification is made.
                if let Some(k) = q.encryption_master_key() {
                    k.add_to_resource_policy(
                        PolicyStatement::allow().actions(["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"]).principal(s3.clone()).resource("*").condition(from_bucket.clone()),
                    );
                    k.add_to_resource_policy(PolicyStatement::allow().actions(["kms:Decrypt", "kms:GenerateDataKey*"]).principal(s3.clone()).resource("*"));
                }
                if q.encryption() == Some(crate::sqs::QueueEncryption::KmsManaged) {
                    return Err(self.scope.error(format!("queue {} is encrypted with the AWS managed key alias/aws/sqs, whose policy S3 cannot use", q.scope().path())));
                }
                let policy = q.add_to_resource_policy(
                    PolicyStatement::allow().actions(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]).principal(s3).resource(q.queue_arn()).condition(from_bucket),
                )?;
                (Notification { list: "QueueConfigurations", key: "Queue", target: q.queue_arn(), event, filter }, policy)
            }
            NotificationDestination::Function(f) => {
                let id = format!("AllowBucketNotificationsTo{}", self.scope.unique_id());
                if f.scope().find_child(&id).is_none() {
                    let mut p = crate::lambda::Permission::service("s3.amazonaws.com").source_account(ironcdk_synth::Pseudo::AccountId.val());
                    if let Some(n) = &self.literal_name {
                        p = p.source_arn(fns::join("", ["arn:".into(), self.scope.partition_value(), format!(":s3:::{n}").into()]));
                    }
                    f.add_permission(&id, p)?;
                }
                let Some(permission) = f.scope().find_child(&id) else {
                    return Err(self.scope.error("internal: the function's permission was not made"));
                };
                (Notification { list: "LambdaConfigurations", key: "Function", target: f.function_arn(), event, filter }, permission)
            }
        };
        list.borrow_mut().push(n);
        resource.resource().add_depends_on(&waits_for)?;
        Ok(())
    }

    fn grant(&self, grantee: &impl Grantable, actions: &[&str], resources: Vec<Val<String>>, key_actions: &[&str]) -> Result<()> {
        let mut s = PolicyStatement::allow().actions(actions.iter().copied());
        for r in resources {
            s = s.resource(r);
        }
        grantee.grant_role().add_to_policy(s)?;
        // As CDK: a bucket encrypted with a key of yours grants the key's use too.
        if let Some(k) = self.key.as_ref().filter(|_| !key_actions.is_empty()) {
            grantee.grant_role().add_to_policy(PolicyStatement::allow().actions(key_actions.iter().copied()).resource(k.key_arn()))?;
        }
        Ok(())
    }

    /// Lets `grantee` read objects and list the bucket (CDK's `grantRead`).
    pub fn grant_read(&self, grantee: &impl Grantable) -> Result<()> {
        self.grant(grantee, &READ_ACTIONS, vec![self.bucket_arn(), self.arn_for_objects("*")], &KEY_READ_ACTIONS)
    }

    /// Lets `grantee` write and delete objects (CDK's `grantWrite`).
    pub fn grant_write(&self, grantee: &impl Grantable) -> Result<()> {
        let actions: Vec<&str> = DELETE_ACTIONS.iter().chain(PUT_ACTIONS.iter()).copied().collect();
        self.grant(grantee, &actions, vec![self.bucket_arn(), self.arn_for_objects("*")], &KEY_WRITE_ACTIONS)
    }

    /// Lets `grantee` read, write and delete (CDK's `grantReadWrite`).
    pub fn grant_read_write(&self, grantee: &impl Grantable) -> Result<()> {
        let actions: Vec<&str> = READ_ACTIONS.iter().chain(DELETE_ACTIONS.iter()).chain(PUT_ACTIONS.iter()).copied().collect();
        let keys: Vec<&str> = KEY_READ_ACTIONS.iter().chain(KEY_WRITE_ACTIONS.iter()).copied().collect();
        self.grant(grantee, &actions, vec![self.bucket_arn(), self.arn_for_objects("*")], &keys)
    }

    /// Lets `grantee` put objects (CDK's `grantPut`).
    pub fn grant_put(&self, grantee: &impl Grantable) -> Result<()> {
        self.grant(grantee, &PUT_ACTIONS, vec![self.arn_for_objects("*")], &KEY_WRITE_ACTIONS)
    }

    /// Lets `grantee` delete objects (CDK's `grantDelete`).
    pub fn grant_delete(&self, grantee: &impl Grantable) -> Result<()> {
        self.grant(grantee, &DELETE_ACTIONS, vec![self.arn_for_objects("*")], &[])
    }
}
