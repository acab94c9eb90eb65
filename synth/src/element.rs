//! Template elements: resources, parameters, conditions, mappings and outputs. Each is a node
//! of the construct tree, so all of them get CDK logical IDs from their paths.

use indexmap::IndexMap;
use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::tree::{AsScope, NodeId, Scope};
use crate::value::{ToValue, Val, Value};

/// How a resource type takes tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagFormat {
    /// `Tags: [{"Key": k, "Value": v}, ...]`
    KeyValueList,
    /// `Tags: {k: v, ...}`
    StringMap,
    /// `[{"Key": k, "Value": v}, ...]` under another property (`HostedZoneTags`).
    KeyValueListIn(&'static str),
}

impl TagFormat {
    /// The property that holds the tags.
    pub fn property(self) -> &'static str {
        match self {
            TagFormat::KeyValueList | TagFormat::StringMap => "Tags",
            TagFormat::KeyValueListIn(p) => p,
        }
    }
}

/// Resource types that hold data; they default to [`RemovalPolicy::Retain`] as in CDK's L2s.
pub const STATEFUL_TYPES: &[&str] = &[
    "AWS::DynamoDB::Table",
    "AWS::ECR::Repository",
    "AWS::EFS::FileSystem",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
];

/// What CloudFormation does with a resource removed from the template or replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalPolicy {
    /// Delete it (`DeletionPolicy`/`UpdateReplacePolicy: Delete`).
    Destroy,
    /// Keep it in the account, orphaned (`Retain`).
    Retain,
    /// Take a snapshot, then delete it (`Snapshot`; only for types that support it).
    Snapshot,
    /// Keep it unless the stack's creation itself failed (`RetainExceptOnCreate`).
    RetainExceptOnCreate,
}

impl RemovalPolicy {
    fn policies(self) -> (&'static str, &'static str) {
        match self {
            RemovalPolicy::Destroy => ("Delete", "Delete"),
            RemovalPolicy::Retain => ("Retain", "Retain"),
            RemovalPolicy::Snapshot => ("Snapshot", "Snapshot"),
            RemovalPolicy::RetainExceptOnCreate => ("RetainExceptOnCreate", "Retain"),
        }
    }
}

/// Produces a resource's `Properties` when the template is rendered. Generated L1 props
/// implement it through [`ToValue`]; L2 constructs that change after creation (a security
/// group gaining rules) pass a closure over their model.
pub trait RenderProps {
    /// The properties object.
    fn render(&self) -> Value;
}

impl<F: Fn() -> Value> RenderProps for F {
    fn render(&self) -> Value {
        self()
    }
}

/// The typed properties of one CloudFormation resource type (implemented by generated code).
pub trait CfnProps: ToValue + 'static {
    /// The CloudFormation type name, for example `AWS::EC2::VPC`.
    const TYPE_NAME: &'static str;
    /// How the type takes tags, if it does.
    const TAGGING: Option<TagFormat>;
}

/// Typed properties given once, kept as the value they render to: only the properties set take
/// room (a generated struct holds every property the type has, set or not).
struct PropsOf(Value);
impl RenderProps for PropsOf {
    fn render(&self) -> Value {
        self.0.clone()
    }
}

pub(crate) enum Override {
    Set(Vec<String>, Value),
    Delete(Vec<String>),
}

pub(crate) struct ResourceData {
    pub type_name: Cow<'static, str>,
    pub props: Box<dyn RenderProps>,
    pub tagging: Option<TagFormat>,
    pub depends_on: Vec<NodeId>,
    pub deletion_policy: Option<&'static str>,
    pub update_replace_policy: Option<&'static str>,
    /// What few resources have, apart (120 bytes a resource otherwise).
    pub rare: Option<Box<RareData>>,
    /// Property paths (`*` for every item of a list) of lists written sorted by the JSON of
    /// their resolved items (see `Resource::sort_by_json`).
    pub sorted: SortedPaths,
}

/// The paths of [`ResourceData::sorted`], in the order given: one table named for the whole
/// program (a policy document's lists, the usual case) held as it is, anything more in a list.
#[derive(Default)]
pub(crate) enum SortedPaths {
    #[default]
    None,
    Table(&'static [&'static [&'static str]]),
    List(Vec<Cow<'static, [&'static str]>>),
}

impl SortedPaths {
    /// The paths, in the order given.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[&'static str]> {
        let (table, list): (&[&[&str]], &[Cow<'static, [&'static str]>]) = match self {
            SortedPaths::None => (&[], &[]),
            SortedPaths::Table(t) => (t, &[]),
            SortedPaths::List(l) => (&[], l),
        };
        table.iter().copied().chain(list.iter().map(|p| &**p))
    }

    /// Adds `path` after the others.
    fn push(&mut self, path: Cow<'static, [&'static str]>) {
        match self {
            SortedPaths::List(list) => list.push(path),
            SortedPaths::None => *self = SortedPaths::List(vec![path]),
            SortedPaths::Table(table) => {
                let mut list: Vec<Cow<'static, [&'static str]>> = table.iter().map(|p| Cow::Borrowed(*p)).collect();
                list.push(path);
                *self = SortedPaths::List(list);
            }
        }
    }

    /// Adds the paths of `paths` after the others (as they are, when they are the first).
    fn add_table(&mut self, paths: &'static [&'static [&'static str]]) {
        match self {
            SortedPaths::None => *self = SortedPaths::Table(paths),
            _ => paths.iter().for_each(|p| self.push(Cow::Borrowed(*p))),
        }
    }
}

/// What a resource rarely has.
#[derive(Default)]
pub(crate) struct RareData {
    /// Dependencies known only once the whole program has run (see
    /// `Resource::add_depends_on_later`), resolved at prepare.
    pub depends_on_later: Vec<std::rc::Rc<dyn Fn() -> Vec<crate::tree::Scope>>>,
    pub condition: Option<crate::value::ElementRef>,
    pub metadata: crate::value::Map,
    pub overrides: Vec<Override>,
    pub id_salt: Vec<SaltPart>,
    /// A property set to the resource's logical ID (its last so many characters) at prepare;
    /// see `Resource::name_from_logical_id`.
    pub named_by_id: Option<(&'static str, usize)>,
}

impl ResourceData {
    /// What the resource rarely has, made on first use.
    pub(crate) fn rare_mut(&mut self) -> &mut RareData {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Its dependencies resolved at prepare.
    pub(crate) fn depends_on_later(&self) -> &[std::rc::Rc<dyn Fn() -> Vec<crate::tree::Scope>>] {
        self.rare.as_ref().map_or(&[], |r| &r.depends_on_later)
    }

    /// Its condition.
    pub(crate) fn condition(&self) -> Option<crate::value::ElementRef> {
        self.rare.as_ref()?.condition
    }

    /// Its own `Metadata` entries.
    pub(crate) fn metadata(&self) -> Option<&crate::value::Map> {
        self.rare.as_ref().map(|r| &r.metadata)
    }

    /// Its overrides, in the order made.
    pub(crate) fn overrides(&self) -> &[Override] {
        self.rare.as_ref().map_or(&[], |r| &r.overrides)
    }

    /// What its logical ID hashes.
    pub(crate) fn id_salt(&self) -> &[SaltPart] {
        self.rare.as_ref().map_or(&[], |r| &r.id_salt)
    }
}

/// What a salted logical ID hashes (see `Resource::add_logical_id_salt` and
/// `Resource::add_logical_id_hash`).
pub(crate) enum SaltPart {
    /// The compact JSON of every resource at or below the node.
    Subtree(NodeId),
    /// The compact JSON of a value, references resolved.
    Value(crate::value::Value),
    /// `{"Resources":{"<id>":<entry>}}` of a resource, as CDK's `_toCloudFormation` gives it.
    Entry(NodeId),
    /// What a function makes of a resource's `Properties` (given the compact JSON writer),
    /// in the order added.
    Properties(NodeId, PropertiesHash),
}

/// Turns a resource's resolved `Properties` into the bytes a logical ID hashes; the second
/// argument writes a value as compact JSON, references resolved.
pub type PropertiesHash = fn(&crate::value::Map, &dyn Fn(&crate::value::Value) -> Vec<u8>) -> Vec<u8>;

pub(crate) struct ParameterData {
    pub props: ParameterProps,
    /// The value the program says the parameter will have, for checks and reports.
    pub known: Option<String>,
    /// Whether a construct has read the known value (an import takes it when it is made).
    pub known_read: bool,
}

pub(crate) struct OutputData {
    pub value: Value,
    pub description: Option<String>,
    pub export_name: Option<Value>,
    pub condition: Option<crate::value::ElementRef>,
}

pub(crate) enum Element {
    Resource(ResourceData),
    Parameter(ParameterData),
    Condition(Value),
    Mapping(IndexMap<String, IndexMap<String, Value>>),
    Output(OutputData),
}

fn add_element(scope: &impl AsScope, id: &str, fqn: Cow<'static, str>, el: Element) -> Result<Scope> {
    let child = scope.scope().child(id, fqn)?;
    child.write(|s| s.node_mut(child.node).element = Some(Box::new(el)));
    Ok(child)
}

/// A resource in the tree (what an L1 constructor returns, wrapped in its typed handle).
/// Gives `Ref`, `Fn::GetAtt`, resource options and the escape hatches.
#[derive(Clone)]
pub struct Resource {
    scope: Scope,
}

impl AsScope for Resource {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Resource {
    /// Adds a resource with typed L1 properties.
    pub fn new<P: CfnProps>(scope: &impl AsScope, id: &str, props: P) -> Result<Resource> {
        Self::new_dynamic(scope, id, P::TYPE_NAME, P::TAGGING, Box::new(PropsOf(props.into_value())))
    }

    /// Adds a resource whose typed properties are computed at synth time, so that an L2
    /// construct changed after creation (a security group gaining rules) renders its final state.
    pub fn new_lazy<P: CfnProps>(scope: &impl AsScope, id: &str, props: impl Fn() -> P + 'static) -> Result<Resource> {
        Self::new_dynamic(scope, id, P::TYPE_NAME, P::TAGGING, Box::new(move || props().into_value()))
    }

    /// Adds a resource of any type with properties rendered at synth time: the escape hatch for
    /// types that are not generated, and the way L2s keep properties in step with their model.
    ///
    /// ```
    /// use ironcdk_synth::{App, Stack, Resource, value::Value};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Demo").unwrap();
    /// let topic = Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None,
    ///     Box::new(|| Value::Map(Default::default()))).unwrap();
    /// assert_eq!(topic.type_name(), "AWS::SNS::Topic");
    /// ```
    pub fn new_dynamic(
        scope: &impl AsScope,
        id: &str,
        type_name: impl Into<Cow<'static, str>>,
        tagging: Option<TagFormat>,
        props: Box<dyn RenderProps>,
    ) -> Result<Resource> {
        let type_name = type_name.into();
        let stateful = STATEFUL_TYPES.contains(&type_name.as_ref());
        let (deletion_policy, update_replace_policy) = if stateful {
            let (d, u) = RemovalPolicy::Retain.policies();
            (Some(d), Some(u))
        } else {
            (None, None)
        };
        // `ironcdk.Cfn(<type>)`, spelled out when read (see `Node::fqn_parts`).
        let fqn = Cow::Borrowed(crate::tree::CFN_FQN);
        let scope = add_element(
            scope,
            id,
            fqn,
            Element::Resource(ResourceData {
                type_name,
                props,
                tagging,
                depends_on: Vec::new(),
                deletion_policy,
                update_replace_policy,
                rare: None,
                sorted: SortedPaths::None,
            }),
        )?;
        Ok(Resource { scope })
    }

    /// The resource at `scope`, when that node is a resource (an L1 found by walking the tree).
    pub fn from_scope(scope: &impl AsScope) -> Option<Resource> {
        let scope = scope.scope();
        let is_resource = scope.read(|s| matches!(s.nodes.get(scope.node.idx()).and_then(|n| n.element.as_deref()), Some(Element::Resource(_))));
        is_resource.then_some(Resource { scope })
    }

    /// Runs `f` on the resource's data. A `Resource` handle is only made for a resource node,
    /// so the default is never used; it keeps this free of panics all the same.
    fn with_data<R: Default>(&self, f: impl FnOnce(&mut ResourceData) -> R) -> R {
        self.scope.write(|inner| match inner.node_mut(self.scope.node).element.as_deref_mut() {
            Some(Element::Resource(r)) => f(r),
            _ => R::default(),
        })
    }

    /// The CloudFormation type name.
    pub fn type_name(&self) -> String {
        self.with_data(|r| r.type_name.to_string())
    }

    /// `{"Ref": logicalId}`.
    pub fn ref_(&self) -> Val<String> {
        Val::unchecked(Value::Ref(self.scope.element_ref()))
    }

    /// `{"Fn::GetAtt": [logicalId, attribute]}`.
    pub fn get_att<T>(&self, attribute: &str) -> Val<T> {
        Val::unchecked(Value::GetAtt(self.scope.element_ref(), attribute.into()))
    }

    /// `{"Fn::GetAtt": [logicalId, attribute]}` of an attribute that is a list of strings
    /// (another stack then imports it as a `||`-joined export, split again, as CDK does).
    pub fn get_att_list(&self, attribute: &str) -> Val<Vec<String>> {
        Val::unchecked(Value::GetAttList(self.scope.element_ref(), attribute.into()))
    }

    /// Replaces the computed logical ID (CDK's `overrideLogicalId`).
    pub fn override_logical_id(&self, logical_id: impl Into<String>) -> Result<()> {
        let id = logical_id.into();
        if !crate::logical_id::is_valid_logical_id(&id) {
            return Err(self.scope.error(format!(
                "logical ID '{id}' is invalid: use 1 to 255 ASCII letters and digits"
            )));
        }
        self.scope.live()?.borrow_mut().node_mut(self.scope.node).rare_mut().logical_id_override = Some(id);
        Ok(())
    }

    /// Adds `DependsOn` on another construct: a resource, or every resource below an L2. A
    /// construct of another stack of the app makes this stack depend on that one instead (as
    /// CDK does), since `DependsOn` cannot leave a template.
    /// Makes this resource depend on the constructs `targets` returns when synth runs, after the
    /// whole program has: wiring whose other end may be created later (CDK's
    /// `DependencyGroup`), so the result does not depend on the order of the calls. Targets in
    /// another stack make this stack depend on theirs.
    pub fn add_depends_on_later(&self, targets: impl Fn() -> Vec<crate::tree::Scope> + 'static) {
        self.with_data(|r| r.rare_mut().depends_on_later.push(std::rc::Rc::new(targets)));
    }

    pub fn add_depends_on(&self, target: &impl AsScope) -> Result<()> {
        let target = target.scope();
        if !self.scope.same_stack(&target) {
            return self.scope.depend_on_stack_of(&target);
        }
        self.with_data(|r| {
            if !r.depends_on.contains(&target.node) {
                r.depends_on.push(target.node)
            }
        });
        Ok(())
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy`.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        let (d, u) = policy.policies();
        self.with_data(|r| {
            r.deletion_policy = Some(d);
            r.update_replace_policy = Some(u);
        });
    }

    /// Creates the resource only when `condition` holds. The condition must be in the same
    /// stack; one from elsewhere is reported, naming both, when the stack is synthesized.
    pub fn set_condition(&self, condition: &Condition) {
        let c = condition.scope.element_ref();
        self.with_data(|r| r.rare_mut().condition = Some(c));
    }

    /// Sets property `property` to this resource's logical ID when synth knows it: its last
    /// `max_len` characters (ASCII), as CDK names a resource after its `logicalId` (an IAM
    /// policy's default name, say). An overridden logical ID names it too. The properties must
    /// hold the property already (any placeholder), so that it keeps its place among them;
    /// a property override still wins.
    ///
    /// ```
    /// use ironcdk_synth::{App, Stack, Resource, value::{Map, Value}};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Demo").unwrap();
    /// let topic = Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| {
    ///     Value::Map([("TopicName", Value::Str("".into()))].into_iter().collect::<Map>())
    /// })).unwrap();
    /// topic.name_from_logical_id("TopicName", 4);
    /// let t = app.synth_in_memory().unwrap().stacks[0].template();
    /// assert_eq!(t["Resources"]["Topic"]["Properties"]["TopicName"], "opic");
    /// ```
    pub fn name_from_logical_id(&self, property: &'static str, max_len: usize) {
        self.with_data(|r| r.rare_mut().named_by_id = Some((property, max_len)));
    }

    /// Adds a `Metadata` entry.
    pub fn add_metadata(&self, key: impl Into<String>, value: impl ToValue) {
        let (key, value) = (key.into(), value.into_value());
        self.with_data(|r| {
            r.rare_mut().metadata.insert(key, value);
        });
    }

    /// Sets a property by dotted path, creating objects on the way; numeric components index
    /// lists (CDK's `addPropertyOverride("A.B.0.C", v)`).
    pub fn add_property_override(&self, path: &str, value: impl ToValue) {
        self.add_override(&format!("Properties.{path}"), value)
    }

    /// Removes a property by dotted path.
    pub fn add_property_deletion_override(&self, path: &str) {
        self.add_deletion_override(&format!("Properties.{path}"))
    }

    /// Sets any part of the resource by dotted path from its top (`Properties.X`,
    /// `UpdatePolicy`, `Metadata.Y`...).
    pub fn add_override(&self, path: &str, value: impl ToValue) {
        let parts = path.split('.').map(str::to_string).collect();
        let value = value.into_value();
        self.with_data(|r| r.rare_mut().overrides.push(Override::Set(parts, value)));
    }

    /// Removes any part of the resource by dotted path from its top.
    pub fn add_deletion_override(&self, path: &str) {
        let parts = path.split('.').map(str::to_string).collect();
        self.with_data(|r| r.rare_mut().overrides.push(Override::Delete(parts)));
    }

    /// Writes the list at `path` in the properties (`*` stands for every item of a list on the
    /// way) sorted by the compact JSON of its items once references are resolved, duplicates
    /// removed, and a list left with one item written as that item: CDK's post-processing of
    /// policy documents, which orders `Action`, `Resource` and principals that way. Paths that
    /// lead nowhere, or to something other than a list, are left alone.
    pub fn sort_by_json(&self, path: &[&'static str]) {
        self.with_data(|r| r.sorted.push(path.to_vec().into()));
    }

    /// [`Resource::sort_by_json`] for each of `paths`, named once for the whole program (a
    /// policy document's four lists, say): nothing is copied.
    pub fn sort_by_json_paths(&self, paths: &'static [&'static [&'static str]]) {
        self.with_data(|r| r.sorted.add_table(paths));
    }

    /// Makes the logical ID depend on the rendered content of `sources`: when any of them
    /// changes, so does this resource's logical ID, and CloudFormation replaces it. API Gateway
    /// deployments use this so that changing the API redeploys it.
    pub fn add_logical_id_salt(&self, source: &impl AsScope) -> Result<()> {
        let source = source.scope();
        if !self.scope.same_stack(&source) {
            return Err(Error::validation(
                self.scope.path(),
                format!("cannot salt the logical ID with {}, which is in another stack or App; salt with constructs of the same stack", source.path()),
            ));
        }
        self.with_data(|r| r.rare_mut().id_salt.push(SaltPart::Subtree(source.node)));
        Ok(())
    }

    /// Adds `value` to what the logical ID hashes (CDK's `addToLogicalId`): the MD5 of the
    /// compact JSON of every value added, in order, references resolved, then of the template
    /// entries added with [`Resource::add_logical_id_hash_entry`], is appended to the ID in
    /// lower-case hex. API Gateway deployments use it as CDK does, so a ported API keeps its
    /// deployment.
    pub fn add_logical_id_hash(&self, value: crate::value::Value) {
        self.with_data(|r| r.rare_mut().id_salt.push(SaltPart::Value(value)));
    }

    /// Adds what `hash` makes of the resolved `Properties` of `resource` to what the logical ID
    /// hashes, in the order added (Lambda's `currentVersion` hashes its function's
    /// version-locked properties this way, as CDK does).
    pub fn add_logical_id_hash_of_properties(&self, resource: &impl AsScope, hash: PropertiesHash) -> Result<()> {
        let source = resource.scope();
        if !self.scope.same_stack(&source) {
            return Err(Error::validation(
                self.scope.path(),
                format!("cannot hash {} into the logical ID: it is in another stack or App", source.path()),
            ));
        }
        self.with_data(|r| r.rare_mut().id_salt.push(SaltPart::Properties(source.node, hash)));
        Ok(())
    }

    /// Adds the template entry of `resource` (as `{"Resources":{"<id>": entry}}`) to what the
    /// logical ID hashes, after every value (CDK's API Gateway deployment hashes its API's own
    /// definition last).
    pub fn add_logical_id_hash_entry(&self, resource: &impl AsScope) -> Result<()> {
        let source = resource.scope();
        if !self.scope.same_stack(&source) {
            return Err(Error::validation(
                self.scope.path(),
                format!("cannot hash {} into the logical ID: it is in another stack or App", source.path()),
            ));
        }
        self.with_data(|r| r.rare_mut().id_salt.push(SaltPart::Entry(source.node)));
        Ok(())
    }
}

/// A typed CloudFormation parameter type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParameterType {
    /// `String`
    String,
    /// `Number`
    Number,
    /// `List<Number>`
    NumberList,
    /// `CommaDelimitedList`
    CommaDelimitedList,
    /// `AWS::EC2::VPC::Id`
    VpcId,
    /// `AWS::EC2::Subnet::Id`
    SubnetId,
    /// `List<AWS::EC2::Subnet::Id>`
    SubnetIdList,
    /// `AWS::EC2::SecurityGroup::Id`
    SecurityGroupId,
    /// `List<AWS::EC2::SecurityGroup::Id>`
    SecurityGroupIdList,
    /// `AWS::EC2::KeyPair::KeyName`
    KeyPairName,
    /// `AWS::EC2::AvailabilityZone::Name`
    AvailabilityZoneName,
    /// `AWS::SSM::Parameter::Value<String>`
    SsmString,
    /// Any other AWS-specific type, written as given.
    Other(String),
}

impl ParameterType {
    /// The name CloudFormation uses.
    pub fn name(&self) -> &str {
        match self {
            ParameterType::String => "String",
            ParameterType::Number => "Number",
            ParameterType::NumberList => "List<Number>",
            ParameterType::CommaDelimitedList => "CommaDelimitedList",
            ParameterType::VpcId => "AWS::EC2::VPC::Id",
            ParameterType::SubnetId => "AWS::EC2::Subnet::Id",
            ParameterType::SubnetIdList => "List<AWS::EC2::Subnet::Id>",
            ParameterType::SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            ParameterType::SecurityGroupIdList => "List<AWS::EC2::SecurityGroup::Id>",
            ParameterType::KeyPairName => "AWS::EC2::KeyPair::KeyName",
            ParameterType::AvailabilityZoneName => "AWS::EC2::AvailabilityZone::Name",
            ParameterType::SsmString => "AWS::SSM::Parameter::Value<String>",
            ParameterType::Other(s) => s,
        }
    }

    fn is_list(&self) -> bool {
        self.name().starts_with("List<") || *self == ParameterType::CommaDelimitedList
    }
}

/// Properties of a [`Parameter`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ParameterProps {
    /// The parameter type.
    pub type_: ParameterType,
    /// Default value.
    pub default: Option<Value>,
    /// Allowed values.
    pub allowed_values: Vec<Value>,
    /// Regular expression the value must match.
    pub allowed_pattern: Option<String>,
    /// Description shown in the console.
    pub description: Option<String>,
    /// Message shown when a constraint is violated.
    pub constraint_description: Option<String>,
    /// Minimum string length.
    pub min_length: Option<u32>,
    /// Maximum string length.
    pub max_length: Option<u32>,
    /// Minimum number.
    pub min_value: Option<f64>,
    /// Maximum number.
    pub max_value: Option<f64>,
    /// Mask the value in the console and API.
    pub no_echo: bool,
}

impl ParameterProps {
    /// A parameter of `type_` with no constraints.
    pub fn new(type_: ParameterType) -> Self {
        ParameterProps {
            type_,
            default: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            description: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: false,
        }
    }
    /// Sets the default value.
    pub fn default_value(mut self, v: impl ToValue) -> Self {
        self.default = Some(v.into_value());
        self
    }
    /// Sets the allowed values.
    pub fn allowed_values<I: IntoIterator<Item = V>, V: ToValue>(mut self, values: I) -> Self {
        self.allowed_values = values.into_iter().map(ToValue::into_value).collect();
        self
    }
    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Sets the allowed pattern.
    pub fn allowed_pattern(mut self, p: impl Into<String>) -> Self {
        self.allowed_pattern = Some(p.into());
        self
    }
    /// Masks the value.
    pub fn no_echo(mut self) -> Self {
        self.no_echo = true;
        self
    }
}

/// A template parameter.
///
/// ```
/// use ironcdk_synth::{App, Stack, Parameter, ParameterProps, ParameterType};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let env = Parameter::new(&stack, "EnvName", ParameterProps::new(ParameterType::String)
///     .allowed_values(["dev".to_string(), "prd".to_string()])
///     .default_value("dev".to_string())).unwrap();
/// let _name = env.value_as_string();
/// ```
#[derive(Clone)]
pub struct Parameter {
    scope: Scope,
    is_list: bool,
}

impl Parameter {
    /// Adds a parameter.
    pub fn new(scope: &impl AsScope, id: &str, props: ParameterProps) -> Result<Parameter> {
        if let Some(Value::Str(d)) = &props.default {
            if !props.allowed_values.is_empty()
                && !props.allowed_values.contains(&Value::Str(d.clone()))
            {
                return Err(Error::validation(
                    format!("{}/{id}", scope.scope().path()),
                    format!("default value '{d}' is not one of the allowed values; add it to allowed_values or change the default"),
                ));
            }
        }
        let is_list = props.type_.is_list();
        let scope = add_element(
            scope,
            id,
            Cow::Borrowed("ironcdk.Parameter"),
            Element::Parameter(ParameterData { props, known: None, known_read: false }),
        )?;
        Ok(Parameter { scope, is_list })
    }
    /// Declares the value this parameter will be given at deploy time (an existing VPC's id or
    /// CIDR, a route table's id), so that checks and reports can use what the template alone
    /// cannot tell them. The template is unchanged: the value is still passed at deploy.
    ///
    /// Declare it before a construct takes the parameter (right after [`Parameter::new`]): an
    /// import reads it when it is made, so a value declared later would be missed there, and
    /// synth refuses it instead.
    pub fn known_value(&self, value: impl Into<String>) -> &Self {
        let value = value.into();
        let mut late = false;
        self.scope.write(|s| {
            if let Some(Element::Parameter(p)) = s.node_mut(self.scope.node).element.as_deref_mut() {
                late = p.known_read && p.known.as_deref() != Some(value.as_str());
                p.known = Some(value.clone());
            }
        });
        if late {
            self.scope.add_validation(move || {
                vec![format!(
                    "known_value('{value}') is declared after a construct read this parameter's known value, so that construct did not see it; call known_value right after Parameter::new"
                )]
            });
        }
        self
    }

    /// The value declared with [`Parameter::known_value`], if any. A construct that reads it
    /// (an import) makes a later `known_value` an error at synth.
    pub fn known(&self) -> Option<String> {
        self.scope.write(|s| match s.node_mut(self.scope.node).element.as_deref_mut() {
            Some(Element::Parameter(p)) => {
                p.known_read = true;
                p.known.clone()
            }
            _ => None,
        })
    }

    /// The value as a string (`Ref`).
    pub fn value_as_string(&self) -> Val<String> {
        Val::unchecked(Value::Ref(self.scope.element_ref()))
    }
    /// The value as a number (`Ref`).
    pub fn value_as_number(&self) -> Val<f64> {
        Val::unchecked(Value::Ref(self.scope.element_ref()))
    }
    /// The value as a list (`Ref` of a list-typed parameter).
    pub fn value_as_list(&self) -> Result<Val<Vec<String>>> {
        if !self.is_list {
            return Err(self
                .scope
                .error("is not a list parameter; declare it with a List<...> or CommaDelimitedList type"));
        }
        Ok(Val::unchecked(Value::Ref(self.scope.element_ref())))
    }
}

/// A template condition.
#[derive(Clone)]
pub struct Condition {
    scope: Scope,
}

impl Condition {
    /// Adds a condition built from `fns::equals`, `fns::and`, ...
    pub fn new(scope: &impl AsScope, id: &str, expression: Val<bool>) -> Result<Condition> {
        let scope = add_element(
            scope,
            id,
            Cow::Borrowed("ironcdk.Condition"),
            Element::Condition(expression.into_value()),
        )?;
        Ok(Condition { scope })
    }
    /// `Fn::If` on this condition.
    pub fn if_<T>(&self, then: impl Into<Val<T>>, otherwise: impl Into<Val<T>>) -> Val<T> {
        Val::unchecked(Value::If(
            self.scope.element_ref(),
            Box::new(then.into().into_value()),
            Box::new(otherwise.into().into_value()),
        ))
    }
    /// `{"Condition": name}`, to combine conditions.
    pub fn as_expression(&self) -> Val<bool> {
        Val::unchecked(Value::Condition(self.scope.element_ref()))
    }
}

/// A template mapping: top-level key → second-level key → value.
#[derive(Clone)]
pub struct Mapping {
    scope: Scope,
}

impl Mapping {
    /// Adds a mapping.
    pub fn new(
        scope: &impl AsScope,
        id: &str,
        map: IndexMap<String, IndexMap<String, Value>>,
    ) -> Result<Mapping> {
        let scope = add_element(scope, id, Cow::Borrowed("ironcdk.Mapping"), Element::Mapping(map))?;
        Ok(Mapping { scope })
    }
    /// The mapping `scope` holds, if it is one (to use a mapping made before, found by its id,
    /// as CDK's `tryFindChild`).
    pub fn of(scope: &Scope) -> Option<Mapping> {
        let is_mapping = scope.read(|s| matches!(s.node(scope.node).element.as_deref(), Some(Element::Mapping(_))));
        is_mapping.then(|| Mapping { scope: scope.clone() })
    }
    /// `Fn::FindInMap`.
    pub fn find<T>(&self, top: impl Into<Val<String>>, second: impl Into<Val<String>>) -> Val<T> {
        Val::unchecked(Value::FindInMap(
            self.scope.element_ref(),
            Box::new(top.into().into_value()),
            Box::new(second.into().into_value()),
        ))
    }
}

/// A stack output, optionally exported for other stacks.
///
/// ```
/// use ironcdk_synth::{App, Stack, Output, value::Pseudo};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// Output::new(&stack, "Region", Pseudo::Region.val()).unwrap()
///     .export_name("demo-region").description("Where the stack runs");
/// ```
#[derive(Clone)]
pub struct Output {
    scope: Scope,
}

impl Output {
    /// Adds an output.
    pub fn new<T>(scope: &impl AsScope, id: &str, value: Val<T>) -> Result<Output> {
        let scope = add_element(
            scope,
            id,
            Cow::Borrowed("ironcdk.Output"),
            Element::Output(OutputData {
                value: value.into_value(),
                description: None,
                export_name: None,
                condition: None,
            }),
        )?;
        Ok(Output { scope })
    }
    fn with_data(&self, f: impl FnOnce(&mut OutputData)) -> &Self {
        self.scope.write(|s| {
            if let Some(Element::Output(o)) = s.node_mut(self.scope.node).element.as_deref_mut() {
                f(o)
            }
        });
        self
    }
    /// Exports the value under `name`.
    pub fn export_name(&self, name: impl Into<Val<String>>) -> &Self {
        let v = name.into().into_value();
        self.with_data(|o| o.export_name = Some(v))
    }
    /// Sets the description.
    pub fn description(&self, d: impl Into<String>) -> &Self {
        let d = d.into();
        self.with_data(|o| o.description = Some(d))
    }
    /// Outputs only when `condition` holds (a condition of the same stack).
    pub fn condition(&self, condition: &Condition) -> &Self {
        let c = condition.scope.element_ref();
        self.with_data(|o| o.condition = Some(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths come back in the order given, however tables and single paths mix.
    #[test]
    fn sorted_paths_keep_the_order_given() {
        const A: &[&[&str]] = &[&["A", "1"], &["A", "2"]];
        const B: &[&[&str]] = &[&["B"]];
        let listed = |s: &SortedPaths| s.iter().map(|p| p.join(".")).collect::<Vec<_>>();
        let mut s = SortedPaths::default();
        assert!(listed(&s).is_empty());
        s.add_table(A);
        assert!(matches!(s, SortedPaths::Table(_)));
        assert_eq!(listed(&s), ["A.1", "A.2"]);
        s.push(Cow::Owned(vec!["C"]));
        s.add_table(B);
        assert_eq!(listed(&s), ["A.1", "A.2", "C", "B"]);
        let mut t = SortedPaths::default();
        t.push(Cow::Owned(vec!["C"]));
        t.add_table(A);
        assert_eq!(listed(&t), ["C", "A.1", "A.2"]);
    }
}
