//! Stacks as templates: every element of every stack in the value model, with its logical ID,
//! construct path and type, as synth prepares them and as the reader loads them from files.
//! Analyses read this and nothing else.

use crate::env::Environment;
use crate::ids::{NodeId, StackId};
use crate::value::{ElementRef, Map, Str, Value};

/// What kind of template element a prepared element is: its template section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKind {
    /// `Parameters`
    Parameter,
    /// `Mappings`
    Mapping,
    /// `Conditions`
    Condition,
    /// `Resources`
    Resource,
    /// `Outputs`
    Output,
}

/// The template's element sections with their names, in the order CloudFormation documents
/// them and templates are written.
pub const SECTIONS: [(&str, ElementKind); 5] = [
    ("Parameters", ElementKind::Parameter),
    ("Mappings", ElementKind::Mapping),
    ("Conditions", ElementKind::Condition),
    ("Resources", ElementKind::Resource),
    ("Outputs", ElementKind::Output),
];

/// One template element as it will be written.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PreparedElement {
    /// Its section.
    pub kind: ElementKind,
    /// Its logical ID.
    pub logical_id: Str,
    /// Its construct path.
    pub path: Str,
    /// The resource type (`AWS::EC2::VPC`), empty for other elements.
    pub type_name: Str,
    /// The element's entry as written (for a resource: `Type`, `Properties`, `DependsOn`,
    /// `Metadata`, ...), with references still as [`ElementRef`]s: resolve them with
    /// [`PreparedStack::logical_id_of`].
    pub value: Value,
    /// Its node: the id references to it carry (see [`crate::ids`]).
    pub node: NodeId,
}

impl PreparedElement {
    /// An element of `kind` with its logical ID, construct path, resource type (empty for other
    /// kinds), entry and node.
    pub fn new(kind: ElementKind, logical_id: impl Into<Str>, path: impl Into<Str>, type_name: impl Into<Str>, value: Value, node: NodeId) -> Self {
        PreparedElement { kind, logical_id: logical_id.into(), path: path.into(), type_name: type_name.into(), value, node }
    }

    /// The resource's `Properties`, if it has an object of them.
    #[inline]
    pub fn properties(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => match m.get("Properties") {
                Some(Value::Map(p)) => Some(p),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Something in a template read from a file that CloudFormation refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The element it is in, if one.
    pub logical_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// One stack, prepared.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PreparedStack {
    /// The stack name.
    pub name: String,
    /// Where it deploys.
    pub env: Environment,
    /// Its elements in template order (section by section, tree order within each).
    pub elements: Vec<PreparedElement>,
    /// Stacks to deploy before this one: explicit ones and those it imports from.
    pub dependencies: Vec<String>,
    /// What `aws cloudformation deploy` needs for the template.
    pub capabilities: Vec<&'static str>,
    /// Its id: the one references to its elements carry.
    pub id: StackId,
    /// Logical IDs by node index, for resolving references ([`PreparedStack::logical_id_of`]).
    pub ids: Vec<Option<Str>>,
    /// The template's `Description`.
    pub description: Option<String>,
    /// Whether the stack has termination protection.
    pub termination_protection: bool,
    /// The template's size in bytes, for a template read from a file.
    pub source_bytes: Option<usize>,
    /// For a template read from a file: what it holds that CloudFormation refuses (found by
    /// the reader); synth refuses such templates itself.
    pub problems: Vec<Problem>,
    /// The template's `Transform` (a macro such as `AWS::Serverless-2016-10-31`), as text.
    pub transform: Option<String>,
    /// The file it was read from, for a template read from a file.
    pub source_file: Option<std::path::PathBuf>,
    /// Parameter values the program declared: (logical ID, value).
    /// Parameter values the program declared: (logical ID, value).
    pub known: Vec<(String, String)>,
}

impl PreparedStack {
    /// A stack named `name` with no elements yet.
    pub fn new(name: impl Into<String>, env: Environment, id: StackId) -> Self {
        PreparedStack {
            name: name.into(),
            env,
            elements: Vec::new(),
            dependencies: Vec::new(),
            capabilities: Vec::new(),
            id,
            ids: Vec::new(),
            description: None,
            termination_protection: false,
            source_bytes: None,
            problems: Vec::new(),
            transform: None,
            source_file: None,
            known: Vec::new(),
        }
    }

    /// The logical ID `r` resolves to, when it names an element of this stack.
    #[inline]
    pub fn logical_id_of(&self, r: &ElementRef) -> Option<&str> {
        if r.stack != self.id {
            return None;
        }
        self.ids.get(r.node.idx()).and_then(Option::as_deref)
    }

    /// The resources, in template order.
    pub fn resources(&self) -> impl Iterator<Item = &PreparedElement> + '_ {
        self.elements.iter().filter(|e| e.kind == ElementKind::Resource)
    }

    /// The element with this logical ID.
    pub fn element(&self, logical_id: &str) -> Option<&PreparedElement> {
        self.elements.iter().find(|e| e.logical_id == logical_id)
    }

    /// Number of resources.
    pub fn resource_count(&self) -> usize {
        self.resources().count()
    }
}

/// The whole app, prepared: what analyses read.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct PreparedApp {
    /// Stacks in creation order.
    pub stacks: Vec<PreparedStack>,
    /// Values the program declared for parameters (`Parameter::known_value`), as
    /// `(stack, parameter logical ID, value)`.
    pub known_parameters: Vec<(String, String, String)>,
}

impl PreparedApp {
    /// The app of `stacks`, with the parameter values its program declared.
    pub fn new(stacks: Vec<PreparedStack>, known_parameters: Vec<(String, String, String)>) -> Self {
        PreparedApp { stacks, known_parameters }
    }

    /// The stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&PreparedStack> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The stack and element `r` names, in whichever stack of the app it is.
    pub fn resolve(&self, r: &ElementRef) -> Option<(&PreparedStack, &PreparedElement)> {
        let stack = self.stacks.iter().find(|s| s.id == r.stack)?;
        let id = stack.logical_id_of(r)?;
        Some((stack, stack.element(id)?))
    }
}

