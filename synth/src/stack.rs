//! Stacks: the unit of deployment, one template each.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use crate::app::App;
use crate::error::{Error, Result};
use crate::tree::{AsScope, Node, NodeId, Scope, StackId};
use crate::value::Val;

/// Where a stack deploys. Without a region the stack is environment-agnostic: availability
/// zones come from `Fn::GetAZs` at deploy time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// AWS account id.
    pub account: Option<String>,
    /// AWS region, for example `ap-northeast-1`.
    pub region: Option<String>,
}

impl Environment {
    /// An environment pinned to a region (any account).
    pub fn region(region: impl Into<String>) -> Self {
        Environment {
            account: None,
            region: Some(region.into()),
        }
    }
}

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
    pub nodes: Vec<Node>,
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
    root: Scope,
}

impl AsScope for Stack {
    fn scope(&self) -> Scope {
        self.root.clone()
    }
}

impl Stack {
    /// A stack with default options.
    pub fn new(app: &App, name: &str) -> Result<Stack> {
        Self::with_props(app, name, StackProps::default())
    }

    /// A stack with options.
    pub fn with_props(app: &App, name: &str, props: StackProps) -> Result<Stack> {
        validate_stack_name(name)?;
        if props.env.region.is_none() && !props.availability_zones.is_empty() {
            return Err(Error::validation(
                name,
                "availability zones can only be pinned on a stack with a region; set env.region or drop availability_zones",
            ));
        }
        if let Some(region) = &props.env.region {
            if let Some(az) = props
                .availability_zones
                .iter()
                .find(|az| !az.starts_with(region.as_str()))
            {
                return Err(Error::validation(
                    name,
                    format!("availability zone '{az}' is not in region '{region}'; use zones named {region}a, {region}b, ..."),
                ));
            }
        }
        let id = app.register_name(name)?;
        let mut root = Node::new(name.to_string(), name.to_string(), None, Cow::Borrowed("ironcdk.Stack"));
        root.tags = props.tags;
        let inner = StackInner {
            id,
            name: name.to_string(),
            env: props.env,
            description: props.description,
            termination_protection: props.termination_protection,
            availability_zones: props.availability_zones,
            path_metadata: props.path_metadata.unwrap_or(true),
            dependencies: Vec::new(),
            nodes: vec![root],
        };
        let stack = Stack {
            root: Scope {
                stack: Rc::new(RefCell::new(inner)),
                node: NodeId(0),
            },
        };
        app.add_stack(stack.clone());
        Ok(stack)
    }

    /// The stack name.
    pub fn name(&self) -> String {
        self.root.stack_name()
    }

    /// The stack's environment.
    pub fn env(&self) -> Environment {
        self.root.inner().env.clone()
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
        let mut inner = self.root.inner_mut();
        if !inner.dependencies.contains(&name) {
            inner.dependencies.push(name);
        }
    }

    /// Number of resources currently in the stack.
    pub fn resource_count(&self) -> usize {
        self.root
            .inner()
            .nodes
            .iter()
            .filter(|n| matches!(n.element.as_deref(), Some(crate::element::Element::Resource(_))))
            .count()
    }

    pub(crate) fn inner(&self) -> std::cell::Ref<'_, StackInner> {
        self.root.inner()
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
            path: String::new(),
            id: name.to_string(),
            reason: "a stack name must start with a letter and hold only letters, digits and '-', at most 128 characters".into(),
        })
    }
}
