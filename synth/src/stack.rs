//! Stacks: the unit of deployment, one template each.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use crate::app::{App, AppInner};
use crate::error::{Error, Result};
use crate::tree::{AsScope, Node, Scope, StackCell, StackId};
use crate::value::Val;

pub use ironcdk_template::Environment;

/// Options of a [`Stack`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct StackProps {
    /// Account and region.
    pub env: Environment,
    /// Template description.
    pub description: Option<String>,
    /// Tags applied to every taggable resource of the stack.
    pub tags: Vec<(String, String)>,
    /// Recorded in the manifest; the deploy tool turns it on for the stack.
    pub termination_protection: bool,
    /// Availability zone names to use instead of `Fn::GetAZs` (needs a region).
    pub availability_zones: Vec<String>,
    /// Whether resources carry `aws:cdk:path` metadata (on by default).
    pub path_metadata: Option<bool>,
    /// The S3 bucket `cdk deploy` publishes the stack's assets to (CDK's
    /// `fileAssetsBucketName`); `${AWS::AccountId}` and `${AWS::Region}` are filled in at
    /// deploy. Default: the bucket CDK's bootstrap creates,
    /// `cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}`.
    pub file_assets_bucket_name: Option<String>,
}

impl StackProps {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the environment.
    pub fn env(mut self, env: Environment) -> Self {
        self.env = env;
        self
    }
    /// Sets the template description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Adds a stack-wide tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
    /// Turns termination protection on.
    pub fn termination_protection(mut self, on: bool) -> Self {
        self.termination_protection = on;
        self
    }
    /// Pins availability zone names.
    pub fn availability_zones<I: IntoIterator<Item = S>, S: Into<String>>(mut self, azs: I) -> Self {
        self.availability_zones = azs.into_iter().map(Into::into).collect();
        self
    }
    /// Switches the `aws:cdk:path` metadata on or off.
    pub fn path_metadata(mut self, on: bool) -> Self {
        self.path_metadata = Some(on);
        self
    }
    /// Publishes the stack's assets to this bucket instead of CDK's bootstrap bucket; it may
    /// hold `${AWS::AccountId}` and `${AWS::Region}`.
    pub fn file_assets_bucket_name(mut self, bucket: impl Into<String>) -> Self {
        self.file_assets_bucket_name = Some(bucket.into());
        self
    }
}

pub(crate) struct StackInner {
    pub id: StackId,
    pub name: String,
    pub env: Environment,
    pub description: Option<String>,
    pub termination_protection: bool,
    pub availability_zones: Vec<String>,
    pub path_metadata: bool,
    pub dependencies: Vec<String>,
    pub nodes: crate::tree::Nodes,
    /// Counts changes to the tree (nodes, tags, acknowledgements), to catch changes made by
    /// user code while synth runs it.
    pub revision: u64,
    /// What `export_value` asked to export.
    pub explicit_exports: Vec<crate::exports::ExplicitExport>,
    /// Local code the stack's resources point at, in the order first asked for.
    pub assets: Vec<crate::asset::FileAsset>,
    /// The bucket assets are published to (CDK's bootstrap bucket when unset).
    pub file_assets_bucket: Option<String>,
}

/// A CloudFormation stack: the root of a construct tree, synthesized to one template.
///
/// ```
/// use ironcdk_synth::{App, Stack, StackProps, Environment};
/// let app = App::new();
/// let stack = Stack::with_props(&app, "Prod", StackProps::new()
///     .env(Environment::region("ap-northeast-1"))
///     .tag("team", "api")).unwrap();
/// assert_eq!(stack.name(), "Prod");
/// ```
#[derive(Clone)]
pub struct Stack {
    pub(crate) root: Scope,
    /// A stack handle keeps its app alive (construct handles do not): the app owns the tree,
    /// and nothing in the tree holds a stack handle, so this makes no cycle.
    app: Rc<AppInner>,
}

impl AsScope for Stack {
    fn scope(&self) -> Scope {
        self.root.clone()
    }
}

impl Stack {
    /// The handle of a stack the app owns.
    pub(crate) fn of_cell(app: &App, cell: &StackCell) -> Stack {
        Stack { root: Scope::root_of(cell), app: app.rc() }
    }

    /// A stack with default options.
    pub fn new(app: &App, name: &str) -> Result<Stack> {
        Self::with_props(app, name, StackProps::default())
    }

    /// A stack with options.
    pub fn with_props(app: &App, name: &str, props: StackProps) -> Result<Stack> {
        validate_stack_name(name)?;
        if let Some(d) = &props.description {
            if d.len() > 1024 {
                return Err(Error::validation(
                    name,
                    format!("the description is {} bytes; CloudFormation takes at most 1,024: shorten it", d.len()),
                ));
            }
        }
        if props.env.region.is_none() && !props.availability_zones.is_empty() {
            return Err(Error::validation(
                name,
                "availability zones can only be pinned on a stack with a region; set env.region or drop availability_zones",
            ));
        }
        if let Some(region) = &props.env.region {
            let zone_of_region = |az: &str| {
                az.strip_prefix(region.as_str()).is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            };
            if let Some(az) = props.availability_zones.iter().find(|az| !zone_of_region(az)) {
                return Err(Error::validation(
                    name,
                    format!("availability zone '{az}' is not a zone of region '{region}'; use zone names such as {region}a, {region}b (not the region name)"),
                ));
            }
            let mut seen: Vec<&str> = Vec::new();
            for az in &props.availability_zones {
                if seen.contains(&az.as_str()) {
                    return Err(Error::validation(name, format!("availability zone '{az}' is pinned twice; list each zone once")));
                }
                seen.push(az);
            }
        }
        if let Some(bucket) = &props.file_assets_bucket_name {
            validate_bucket_name(name, bucket)?;
        }
        let id = app.register_name(name)?;
        let mut root = Node::new(name.into(), None, Cow::Borrowed("ironcdk.Stack"));
        if !props.tags.is_empty() {
            root.rare_mut().tags = props.tags;
        }
        let inner = StackInner {
            id,
            name: name.to_string(),
            env: props.env,
            description: props.description,
            termination_protection: props.termination_protection,
            availability_zones: props.availability_zones,
            path_metadata: props.path_metadata.unwrap_or(true),
            dependencies: Vec::new(),
            nodes: crate::tree::Nodes::new(root),
            revision: 0,
            explicit_exports: Vec::new(),
            assets: Vec::new(),
            file_assets_bucket: props.file_assets_bucket_name,
        };
        let cell = Rc::new(RefCell::new(inner));
        let stack = Stack::of_cell(app, &cell);
        app.add_stack(cell);
        Ok(stack)
    }

    /// The stack name.
    pub fn name(&self) -> String {
        self.root.stack_name()
    }

    /// The stack's environment.
    pub fn env(&self) -> Environment {
        self.root.read(|s| s.env.clone())
    }

    /// Up to `max` availability zones: the pinned names if the stack has them, otherwise
    /// `Fn::Select` over `Fn::GetAZs` (2 zones for an environment-agnostic stack, as CDK does;
    /// 3 for a stack with a region).
    pub fn availability_zones(&self, max: usize) -> Vec<Val<String>> {
        self.root.availability_zones(max)
    }

    /// Deploy `other` before this stack (recorded in the manifest).
    pub fn add_dependency(&self, other: &Stack) {
        let name = other.name();
        self.root.write(|inner| inner.depend_on(name))
    }

    /// The app the stack belongs to (a stack handle keeps it alive, so this is always `Some`).
    pub fn app(&self) -> Option<App> {
        Some(App::from_inner(self.app.clone()))
    }

    /// Exports a value for other stacks and apps and returns its `Fn::ImportValue` (CDK's
    /// `exportValue`). A `Ref` or `Fn::GetAtt` of an element of this stack gets the export name
    /// an automatic cross-stack reference would get, so calling this keeps an export alive
    /// while its consumers move away (deploy the consumers, then remove the call). Any other
    /// value needs `name`.
    ///
    /// ```
    /// use ironcdk_synth::{App, Stack, Resource, value::Value};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Net").unwrap();
    /// let topic = Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| Value::Null)).unwrap();
    /// let import = stack.export_value(topic.ref_(), None).unwrap();
    /// let t = app.synth_in_memory().unwrap().stacks[0].template();
    /// assert_eq!(t["Outputs"]["ExportsOutputRefTopicA7DE468A"]["Export"]["Name"], "Net:ExportsOutputRefTopicA7DE468A");
    /// # let _ = import;
    /// ```
    pub fn export_value<T>(&self, value: Val<T>, name: Option<&str>) -> Result<Val<String>> {
        use crate::value::{fns, Value};
        let value = value.into_value();
        let export_name = match name {
            Some(n) => {
                if n.is_empty() || n.len() > 255 || !n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-')) {
                    return Err(self.root.error(format!(
                        "export name '{n}' is invalid: use 1 to 255 letters, digits, ':' and '-'"
                    )));
                }
                n.to_string()
            }
            None => {
                let (r, attribute) = match &value {
                    Value::Ref(r) => (*r, None),
                    Value::GetAtt(r, a) | Value::GetAttList(r, a) => (*r, Some(a.as_str())),
                    _ => {
                        return Err(self.root.error(
                            "export_value: without a name the value must be a Ref or Fn::GetAtt of an element of this stack; pass a name to export any other value",
                        ))
                    }
                };
                let cell = self.root.live()?;
                let inner = cell.borrow();
                let target = (r.stack == inner.id).then(|| inner.nodes.get(r.node.idx())).flatten();
                let Some(target) = target.filter(|t| t.element.is_some()) else {
                    return Err(self.root.error(
                        "export_value: the value refers to an element of another stack; export it from the stack that owns it",
                    ));
                };
                let lid = match target.logical_id_override() {
                    Some(id) => id.clone(),
                    None => crate::logical_id::logical_id_of_path(&target.path, 1),
                };
                crate::exports::export_name(&inner.name, &crate::exports::output_id(&lid, attribute))
            }
        };
        let cell = self.root.live()?;
        let mut inner = cell.borrow_mut();
        inner.explicit_exports.push(crate::exports::ExplicitExport {
            value,
            name: name.map(str::to_string),
            description: None,
            promised: export_name.clone(),
        });
        Ok(fns::import_value(export_name))
    }

    /// Number of resources currently in the stack.
    pub fn resource_count(&self) -> usize {
        self.root.read(|s| s.nodes.iter().filter(|n| matches!(n.element.as_deref(), Some(crate::element::Element::Resource(_)))).count())
    }
}

fn validate_stack_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidId {
            path: "App".into(),
            id: name.to_string(),
            reason: "a stack name must start with a letter and hold only letters, digits and '-', at most 128 characters".into(),
        })
    }
}

/// An S3 bucket name, placeholders aside: 3 to 63 lowercase letters, digits, dots and hyphens,
/// starting and ending with a letter or digit.
fn validate_bucket_name(stack: &str, bucket: &str) -> Result<()> {
    let filled = bucket.replace("${AWS::AccountId}", "123456789012").replace("${AWS::Region}", "us-east-1").replace("${AWS::Partition}", "aws");
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok = (3..=63).contains(&filled.len())
        && filled.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge(filled.chars().next())
        && edge(filled.chars().last());
    if !ok {
        return Err(Error::validation(
            stack,
            format!("file assets bucket '{bucket}' is not an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-' (placeholders ${{AWS::AccountId}} and ${{AWS::Region}} allowed)"),
        ));
    }
    Ok(())
}
