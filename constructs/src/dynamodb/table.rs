//! `dynamodb::Table`, rendered as aws-cdk-lib 2.276 renders `new dynamodb.Table(...)`:
//! attribute definitions in the order keys appear (table, then each index), provisioned
//! 5/5 capacity unless billed per request, retained by default.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Map, RemovalPolicy, Result, Scope, Val, Value};

use super::generated::*;
use crate::iam::{Grantable, LateResource, PolicyStatement};

/// CDK's `dynamodb` read actions (`grantReadData`).
const KEY_READ_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:DescribeKey"];
const KEY_WRITE_ACTIONS: [&str; 5] = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"];
const READ_ACTIONS: &[&str] = &[
    "dynamodb:BatchGetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan",
    "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
];
/// CDK's write actions (`grantWriteData`).
const WRITE_ACTIONS: &[&str] = &["dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"];

/// The type of a key attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeType {
    /// `S`
    String,
    /// `N`
    Number,
    /// `B`
    Binary,
}

impl AttributeType {
    fn code(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
            AttributeType::Binary => "B",
        }
    }
}

/// A key attribute: its name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The attribute's name.
    pub name: String,
    /// Its type.
    pub attribute_type: AttributeType,
}

impl Attribute {
    /// A key attribute.
    pub fn new(name: impl Into<String>, attribute_type: AttributeType) -> Self {
        Attribute { name: name.into(), attribute_type }
    }
}

/// How the table is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillingMode {
    /// Per request (on demand).
    PayPerRequest,
    /// Provisioned read and write capacity units (CDK's default: 5 and 5).
    Provisioned { read: u32, write: u32 },
}

/// What a stream record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamViewType {
    /// The item after the change.
    NewImage,
    /// The item before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
    /// The keys only.
    KeysOnly,
}

impl StreamViewType {
    fn text(self) -> &'static str {
        match self {
            StreamViewType::NewImage => "NEW_IMAGE",
            StreamViewType::OldImage => "OLD_IMAGE",
            StreamViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
            StreamViewType::KeysOnly => "KEYS_ONLY",
        }
    }
}

/// Which attributes an index holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProjectionType {
    /// Every attribute (CDK's default).
    #[default]
    All,
    /// The keys only.
    KeysOnly,
}

/// How a table is encrypted at rest (it always is; this says with whose key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableEncryption {
    /// DynamoDB's own key, written explicitly (`SSEEnabled: false`, as CDK writes it).
    Default,
    /// The AWS managed key `aws/dynamodb` in KMS (`SSEEnabled: true`; KMS charges apply).
    AwsManaged,
    /// A KMS key of yours: [`TableProps::encryption_key`], or one made for the table (`Key`
    /// under it, rotated, as CDK makes it). The table's grants include the key.
    CustomerManaged,
}

/// Options of a [`Table`].
#[derive(Clone)]
#[non_exhaustive]
pub struct TableProps {
    /// The partition key.
    pub partition_key: Attribute,
    /// The sort key.
    pub sort_key: Option<Attribute>,
    /// Physical name.
    pub table_name: Option<String>,
    /// Billing (default: provisioned 5/5, as CDK).
    pub billing_mode: BillingMode,
    /// The change stream.
    pub stream: Option<StreamViewType>,
    /// The attribute holding each item's expiry time.
    pub time_to_live_attribute: Option<String>,
    /// Continuous backups.
    pub point_in_time_recovery: Option<bool>,
    /// Removal policy (default: retain; tables are data).
    pub removal_policy: RemovalPolicy,
    /// Encryption at rest (unset: DynamoDB's default, nothing written).
    pub encryption: Option<TableEncryption>,
    /// The key of [`TableEncryption::CustomerManaged`].
    pub encryption_key: Option<crate::kms::Key>,
}

impl TableProps {
    /// A table keyed by `partition_key`.
    pub fn new(partition_key: Attribute) -> Self {
        TableProps {
            partition_key,
            sort_key: None,
            table_name: None,
            billing_mode: BillingMode::Provisioned { read: 5, write: 5 },
            stream: None,
            time_to_live_attribute: None,
            point_in_time_recovery: None,
            removal_policy: RemovalPolicy::Retain,
            encryption: None,
            encryption_key: None,
        }
    }
    setters! {
        /// Sets the sort key.
        some sort_key: Attribute;
        /// Sets the physical name.
        into table_name: String;
        /// Sets the billing mode.
        set billing_mode: BillingMode;
        /// Turns the stream on.
        some stream: StreamViewType;
        /// Sets the time-to-live attribute.
        into time_to_live_attribute: String;
        /// Turns point-in-time recovery on or explicitly off.
        some point_in_time_recovery: bool;
        /// Sets the removal policy.
        set removal_policy: RemovalPolicy;
        /// Sets the encryption at rest.
        some encryption: TableEncryption;
        /// Encrypts with this key (implies [`TableEncryption::CustomerManaged`]).
        cloned encryption_key: crate::kms::Key;
    }
}

/// A local secondary index ([`Table::add_local_secondary_index`]): the table's partition key
/// with another sort key.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LocalSecondaryIndexProps {
    /// The index's name.
    pub index_name: String,
    /// Its sort key.
    pub sort_key: Attribute,
    /// What it holds.
    pub projection_type: ProjectionType,
}

impl LocalSecondaryIndexProps {
    /// An index named `index_name` sorted by `sort_key`, holding every attribute.
    pub fn new(index_name: impl Into<String>, sort_key: Attribute) -> Self {
        LocalSecondaryIndexProps { index_name: index_name.into(), sort_key, projection_type: ProjectionType::All }
    }
    setters! {
        /// Sets what it holds.
        set projection_type: ProjectionType;
    }
}

/// An index of a table, global or local, in the order it was added (which orders the
/// attribute definitions, as in CDK).
#[derive(Clone, Debug)]
enum Index {
    Global(GlobalSecondaryIndexProps),
    Local(LocalSecondaryIndexProps),
}

impl Index {
    fn name(&self) -> &str {
        match self {
            Index::Global(g) => &g.index_name,
            Index::Local(l) => &l.index_name,
        }
    }
    /// Its key attributes (a local index's partition key is the table's, listed by the table).
    fn keys(&self) -> Vec<&Attribute> {
        match self {
            Index::Global(g) => std::iter::once(&g.partition_key).chain(g.sort_key.as_ref()).collect(),
            Index::Local(l) => vec![&l.sort_key],
        }
    }
}

fn projection(p: ProjectionType) -> Value {
    let name = if p == ProjectionType::All { "ALL" } else { "KEYS_ONLY" };
    Value::Map([("ProjectionType", Value::Str(name.into()))].into_iter().collect())
}

/// A global secondary index ([`Table::add_global_secondary_index`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GlobalSecondaryIndexProps {
    /// The index's name (3 to 255 of letters, digits and `_ - .`).
    pub index_name: String,
    /// Its partition key.
    pub partition_key: Attribute,
    /// Its sort key.
    pub sort_key: Option<Attribute>,
    /// What it holds.
    pub projection_type: ProjectionType,
}

impl GlobalSecondaryIndexProps {
    /// An index named `index_name` keyed by `partition_key`, holding every attribute.
    pub fn new(index_name: impl Into<String>, partition_key: Attribute) -> Self {
        GlobalSecondaryIndexProps { index_name: index_name.into(), partition_key, sort_key: None, projection_type: ProjectionType::All }
    }
    setters! {
        /// Sets the sort key.
        some sort_key: Attribute;
        /// Sets what it holds.
        set projection_type: ProjectionType;
    }
}

/// A DynamoDB table.
///
/// ```
/// use ironcdk_constructs::dynamodb::{Attribute, AttributeType, BillingMode, Table, TableProps};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// Table::new(&stack, "Items", TableProps::new(Attribute::new("pk", AttributeType::String))
///     .billing_mode(BillingMode::PayPerRequest)).unwrap();
/// let t = app.synth_in_memory().unwrap().stacks[0].template();
/// let (_, table) = t["Resources"].as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::DynamoDB::Table").unwrap();
/// assert_eq!(table["Properties"]["BillingMode"], "PAY_PER_REQUEST");
/// ```
#[derive(Clone)]
pub struct Table {
    scope: Scope,
    /// The table made here (`None`: imported by name or ARN).
    resource: Option<CfnTable>,
    name: Val<String>,
    arn: Val<String>,
    indexes: Rc<RefCell<Vec<Index>>>,
    /// Its options (`None`: imported).
    props: Option<Rc<TableProps>>,
    key: Option<crate::kms::Key>,
}

/// What DynamoDB takes as a table name: 3 to 255 letters, digits and `_ - .`.
fn check_table_name(scope: &Scope, name: &str) -> Result<()> {
    if !(3..=255).contains(&name.len()) || !name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)) {
        return Err(scope.error(format!("table name '{name}' must be 3 to 255 letters, digits and _ - .")));
    }
    Ok(())
}

impl AsScope for Table {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

fn key_schema(partition: &Attribute, sort: Option<&Attribute>) -> Value {
    let key = |a: &Attribute, t: &str| Value::Map([("AttributeName", Value::Str(a.name.as_str().into())), ("KeyType", Value::Str(t.into()))].into_iter().collect());
    Value::List(std::iter::once(key(partition, "HASH")).chain(sort.map(|s| key(s, "RANGE"))).collect())
}

fn throughput(read: u32, write: u32) -> Value {
    Value::Map([("ReadCapacityUnits", Value::Int(i64::from(read))), ("WriteCapacityUnits", Value::Int(i64::from(write)))].into_iter().collect())
}

impl Table {
    /// Creates the table.
    pub fn new(scope: &impl AsScope, id: &str, props: TableProps) -> Result<Table> {
        let scope = scope.scope().child(id, "ironcdk.dynamodb.Table")?;
        if let Some(n) = &props.table_name {
            check_table_name(&scope, n)?;
        }
        if let BillingMode::Provisioned { read, write } = props.billing_mode {
            if read == 0 || write == 0 {
                return Err(scope.error("provisioned capacity must be at least 1 read and 1 write unit; or bill per request"));
            }
        }
        if props.encryption_key.is_some() && props.encryption.is_some_and(|e| e != TableEncryption::CustomerManaged) {
            return Err(scope.error("an encryption key is given with another encryption; use TableEncryption::CustomerManaged with it"));
        }
        // As CDK: customer managed encryption without a key gets one of the table's own.
        let key = match (props.encryption, &props.encryption_key) {
            (_, Some(k)) => Some(k.clone()),
            (Some(TableEncryption::CustomerManaged), None) => Some(crate::kms::Key::new(
                &scope,
                "Key",
                crate::kms::KeyProps::new().description(format!("Customer-managed key auto-created for encrypting DynamoDB table at {}", scope.path())).enable_key_rotation(true),
            )?),
            _ => None,
        };
        let table_key = key.clone();
        let indexes: Rc<RefCell<Vec<Index>>> = Rc::default();
        let props = Rc::new(props);
        let (p, ix) = (props.clone(), indexes.clone());
        let resource = CfnTable::new_lazy(&scope, "Resource", move || {
            let ix = ix.borrow();
            // Every key attribute once, in the order keys appear.
            let mut defined: Vec<&Attribute> = Vec::new();
            let keys = std::iter::once(&p.partition_key).chain(p.sort_key.as_ref()).chain(ix.iter().flat_map(Index::keys));
            for a in keys {
                if !defined.iter().any(|d| d.name == a.name) {
                    defined.push(a);
                }
            }
            let definitions: Vec<cfn_table::AttributeDefinition> = defined
                .iter()
                .map(|a| cfn_table::AttributeDefinition::new(a.name.clone(), Val::unchecked(Value::Str(a.attribute_type.code().into()))))
                .collect();
            let mut t = CfnTableProps::new(Val::unchecked(key_schema(&p.partition_key, p.sort_key.as_ref()))).attribute_definitions(definitions);
            match p.billing_mode {
                BillingMode::PayPerRequest => t = t.billing_mode(Val::unchecked(Value::Str("PAY_PER_REQUEST".into()))),
                BillingMode::Provisioned { read, write } => t = t.provisioned_throughput(Val::unchecked(throughput(read, write))),
            }
            let globals: Vec<Value> = ix
                .iter()
                .filter_map(|i| if let Index::Global(i) = i { Some(i) } else { None })
                .map(|i| {
                    let mut m = Map::new();
                    m.insert("IndexName", Value::Str(i.index_name.as_str().into()));
                    m.insert("KeySchema", key_schema(&i.partition_key, i.sort_key.as_ref()));
                    m.insert("Projection", projection(i.projection_type));
                    // As CDK: an index of a provisioned table gets 5/5 of its own.
                    if matches!(p.billing_mode, BillingMode::Provisioned { .. }) {
                        m.insert("ProvisionedThroughput", throughput(5, 5));
                    }
                    Value::Map(m)
                })
                .collect();
            if !globals.is_empty() {
                t = t.global_secondary_indexes(Val::unchecked(Value::List(globals)));
            }
            let locals: Vec<Value> = ix
                .iter()
                .filter_map(|i| if let Index::Local(i) = i { Some(i) } else { None })
                .map(|i| {
                    let mut m = Map::new();
                    m.insert("IndexName", Value::Str(i.index_name.as_str().into()));
                    m.insert("KeySchema", key_schema(&p.partition_key, Some(&i.sort_key)));
                    m.insert("Projection", projection(i.projection_type));
                    Value::Map(m)
                })
                .collect();
            if !locals.is_empty() {
                t = t.local_secondary_indexes(Val::unchecked(Value::List(locals)));
            }
            match (&key, p.encryption) {
                (Some(k), _) => {
                    t = t.sse_specification(Val::unchecked(crate::object([("KMSMasterKeyId", k.key_arn().into_value()), ("SSEEnabled", Value::Bool(true)), ("SSEType", Value::Str("KMS".into()))])));
                }
                (None, Some(e)) => {
                    t = t.sse_specification(Val::unchecked(Value::Map([("SSEEnabled", Value::Bool(e == TableEncryption::AwsManaged))].into_iter().collect())));
                }
                (None, None) => {}
            }
            if let Some(on) = p.point_in_time_recovery {
                t = t.point_in_time_recovery_specification(Val::unchecked(Value::Map([("PointInTimeRecoveryEnabled", Value::Bool(on))].into_iter().collect())));
            }
            if let Some(s) = p.stream {
                t = t.stream_specification(Val::unchecked(Value::Map([("StreamViewType", Value::Str(s.text().into()))].into_iter().collect())));
            }
            if let Some(n) = &p.table_name {
                t = t.table_name(n.clone());
            }
            if let Some(a) = &p.time_to_live_attribute {
                t = t.time_to_live_specification(Val::unchecked(Value::Map([("AttributeName", Value::Str(a.into())), ("Enabled", Value::Bool(true))].into_iter().collect())));
            }
            t
        })?;
        resource.apply_removal_policy(props.removal_policy);
        Ok(Table { scope, name: resource.ref_(), arn: resource.attr_arn(), resource: Some(resource), indexes, props: Some(props), key: table_key })
    }

    /// An existing table of the stack's account and region, by name (CDK's `fromTableName`):
    /// grants name its ARN; it has no indexes or stream known here.
    pub fn from_table_name(scope: &impl AsScope, id: &str, name: &str) -> Result<Table> {
        let scope = scope.scope().child(id, "ironcdk.dynamodb.ImportedTable")?;
        check_table_name(&scope, name)?;
        let arn = ironcdk_synth::fns::join("", ["arn:".into(), scope.partition_value(), ":dynamodb:".into(), scope.region_value(), ":".into(), scope.account_value(), format!(":table/{name}").as_str().into()]);
        Ok(Table { scope, resource: None, name: Val::from(name), arn, indexes: Rc::default(), props: None, key: None })
    }

    /// An existing table by ARN (CDK's `fromTableArn`): `arn:<partition>:dynamodb:<region>:<account>:table/<name>`.
    pub fn from_table_arn(scope: &impl AsScope, id: &str, arn: &str) -> Result<Table> {
        let scope = scope.scope().child(id, "ironcdk.dynamodb.ImportedTable")?;
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let name = match parts.as_slice() {
            ["arn", _, "dynamodb", _, _, resource] => resource.strip_prefix("table/").filter(|n| !n.contains('/')),
            _ => None,
        };
        let Some(name) = name else {
            return Err(scope.error(format!("'{arn}' is not a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)")));
        };
        check_table_name(&scope, name)?;
        Ok(Table { scope, resource: None, name: Val::from(name), arn: Val::from(arn), indexes: Rc::default(), props: None, key: None })
    }

    /// The table's options, or an error naming it for an imported table.
    fn own_props(&self, what: &str) -> Result<&TableProps> {
        self.props.as_deref().ok_or_else(|| self.scope.error(format!("the table is imported, so {what} cannot be known or changed here; make the table in the app to set them")))
    }

    /// Adds a global secondary index. A name used twice, more than 20 indexes, or a key
    /// attribute given two types is an error naming the table.
    pub fn add_global_secondary_index(&self, index: GlobalSecondaryIndexProps) -> Result<()> {
        self.add_index(Index::Global(index))
    }

    /// Adds a local secondary index: the table's partition key with another sort key. The table
    /// needs a sort key of its own; at most 5 local indexes.
    pub fn add_local_secondary_index(&self, index: LocalSecondaryIndexProps) -> Result<()> {
        if self.own_props("its indexes")?.sort_key.is_none() {
            return Err(self.scope.error(format!("local index '{}' needs the table to have a sort key (TableProps::sort_key)", index.index_name)));
        }
        self.add_index(Index::Local(index))
    }

    fn add_index(&self, index: Index) -> Result<()> {
        let props = self.own_props("its indexes")?;
        let n = index.name();
        if !(3..=255).contains(&n.len()) || !n.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)) {
            return Err(self.scope.error(format!("index name '{n}' must be 3 to 255 letters, digits and _ - .")));
        }
        let mut ix = self.indexes.borrow_mut();
        if ix.iter().any(|i| i.name() == n) {
            return Err(self.scope.error(format!("the table already has an index named '{n}'")));
        }
        let (global, count) = match &index {
            Index::Global(_) => (true, ix.iter().filter(|i| matches!(i, Index::Global(_))).count()),
            Index::Local(_) => (false, ix.iter().filter(|i| matches!(i, Index::Local(_))).count()),
        };
        if global && count >= 20 {
            return Err(self.scope.error("a table takes at most 20 global secondary indexes"));
        }
        if !global && count >= 5 {
            return Err(self.scope.error("a table takes at most 5 local secondary indexes"));
        }
        let known: Vec<&Attribute> = std::iter::once(&props.partition_key).chain(props.sort_key.as_ref()).chain(ix.iter().flat_map(Index::keys)).collect();
        for k in index.keys() {
            if let Some(old) = known.iter().find(|o| o.name == k.name && o.attribute_type != k.attribute_type) {
                return Err(self.scope.error(format!("attribute '{}' is a key of two types; DynamoDB defines each attribute once", old.name)));
            }
        }
        ix.push(index);
        Ok(())
    }

    /// The table's ARN, and its indexes' (`<arn>/index/*`) when it has any by the time the
    /// policy is written, added before or after the grant, as CDK grants.
    fn grant_resources(&self, statement: PolicyStatement) -> PolicyStatement {
        let arn = self.table_arn();
        let indexes = self.indexes.clone();
        let index_arn = ironcdk_synth::fns::join("", [arn.clone(), "/index/*".into()]);
        statement.resource(arn).late_resource(LateResource::new(move || (!indexes.borrow().is_empty()).then(|| index_arn.clone())))
    }

    /// Lets `grantee` read items (CDK's `grantReadData`): a statement on its role's default
    /// policy.
    pub fn grant_read_data(&self, grantee: &impl Grantable) -> Result<()> {
        self.grant_key(grantee, &KEY_READ_ACTIONS)?;
        grantee.grant_role().add_to_policy(self.grant_resources(PolicyStatement::allow().actions(READ_ACTIONS.iter().copied())))
    }

    /// Lets `grantee` write items (CDK's `grantWriteData`).
    pub fn grant_write_data(&self, grantee: &impl Grantable) -> Result<()> {
        // As CDK: here the table's statement comes before the key's.
        grantee.grant_role().add_to_policy(self.grant_resources(PolicyStatement::allow().actions(WRITE_ACTIONS.iter().copied())))?;
        self.grant_key(grantee, &KEY_WRITE_ACTIONS)
    }

    /// Lets `grantee` read and write items (CDK's `grantReadWriteData`).
    pub fn grant_read_write_data(&self, grantee: &impl Grantable) -> Result<()> {
        let mut actions: Vec<&str> = READ_ACTIONS.to_vec();
        actions.extend(WRITE_ACTIONS.iter().filter(|a| !READ_ACTIONS.contains(a)));
        // As CDK: here the table's statement comes before the key's.
        grantee.grant_role().add_to_policy(self.grant_resources(PolicyStatement::allow().actions(actions)))?;
        self.grant_key(grantee, &KEY_WRITE_ACTIONS)
    }

    /// As CDK: a table encrypted with a key of yours grants the key's use too.
    fn grant_key(&self, grantee: &impl Grantable, actions: &[&str]) -> Result<()> {
        match &self.key {
            Some(k) => grantee.grant_role().add_to_policy(PolicyStatement::allow().actions(actions.iter().copied()).resource(k.key_arn())),
            None => Ok(()),
        }
    }

    /// Whether the table has a stream.
    pub fn has_stream(&self) -> bool {
        self.props.as_ref().is_some_and(|p| p.stream.is_some())
    }

    /// Lets `grantee` read the table's stream (CDK's `grantStreamRead`). The table must have a
    /// stream.
    pub fn grant_stream_read(&self, grantee: &impl Grantable) -> Result<()> {
        if self.own_props("its stream")?.stream.is_none() {
            return Err(self.scope.error("the table has no stream to read; give it one with TableProps::stream"));
        }
        let role = grantee.grant_role();
        role.add_to_policy(PolicyStatement::allow().actions(["dynamodb:ListStreams"]).resource("*"))?;
        self.grant_key(grantee, &KEY_READ_ACTIONS)?;
        role.add_to_policy(PolicyStatement::allow().actions(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]).resource(self.table_stream_arn()))
    }

    /// `Ref` (the table's name).
    pub fn table_name(&self) -> Val<String> {
        self.name.clone()
    }

    /// `Fn::GetAtt Arn` (an imported table's ARN).
    pub fn table_arn(&self) -> Val<String> {
        self.arn.clone()
    }

    /// `Fn::GetAtt StreamArn` (the table must have a stream). An imported table's stream is not
    /// known here: synth then fails naming the table.
    pub fn table_stream_arn(&self) -> Val<String> {
        match &self.resource {
            Some(r) => r.attr_stream_arn(),
            None => {
                self.scope.add_validation(|| vec!["the stream ARN of an imported table is not known here; pass it as a value of its own".to_string()]);
                Val::from("")
            }
        }
    }
}
