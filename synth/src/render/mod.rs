//! Rendering a stack to its template text: validations, logical IDs, tags, overrides, and the
//! value model written as JSON with references resolved on the way ([`resolve`]).

pub(crate) mod edit;
mod pretty;
pub(crate) mod resolve;
mod tree_json;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::element::ParameterProps;
use crate::error::{Error, Result};
use crate::prepare::{ElementKind, PreparedStack};
use crate::stack::StackInner;
use crate::tree::NodeId;
use crate::value::{Map, Value};
use resolve::Ctx;

pub(crate) use tree_json::AppTree;

const NAMED_IAM_PROPS: &[(&str, &str)] = &[
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::Group", "GroupName"),
    ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
    ("AWS::IAM::InstanceProfile", "InstanceProfileName"),
];

const SECTIONS: [&str; 5] = ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"];

fn section_index(kind: ElementKind) -> usize {
    match kind {
        ElementKind::Parameter => 0,
        ElementKind::Mapping => 1,
        ElementKind::Condition => 2,
        ElementKind::Resource => 3,
        ElementKind::Output => 4,
    }
}

/// One element as written: its logical ID, its node (references resolve from there) and its
/// value.
struct Entry<'a> {
    id: &'a str,
    node: NodeId,
    value: &'a Value,
}

struct Template<'a> {
    ctx: &'a Ctx<'a>,
    description: Option<&'a str>,
    sections: [Vec<Entry<'a>>; 5],
}

impl Serialize for Template<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        struct Section<'s, 'a>(&'a Ctx<'a>, &'s [Entry<'a>]);
        impl Serialize for Section<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.1.len()))?;
                for e in self.1 {
                    m.serialize_entry(e.id, &self.0.at(e.node, e.value))?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        if let Some(d) = self.description {
            m.serialize_entry("Description", d)?;
        }
        for (name, entries) in SECTIONS.iter().zip(&self.sections) {
            if !entries.is_empty() {
                m.serialize_entry(name, &Section(self.ctx, entries))?;
            }
        }
        m.end()
    }
}

/// Pretty JSON with a final newline: the format of templates and the manifest. `size_hint`
/// is a guess of the length, to spare growing the buffer.
pub(crate) fn to_pretty(v: &impl Serialize, size_hint: usize) -> Result<String> {
    let mut out = Vec::with_capacity(size_hint);
    v.serialize(&mut serde_json::Serializer::with_formatter(&mut out, pretty::Pretty::default())).map_err(json_error)?;
    finish(out)
}

/// JSON without layout, with a final newline: the format of `tree.json`, which tools read and
/// people do not (pretty, it was twice the size and the largest file of a large app).
pub(crate) fn to_compact(v: &impl Serialize, size_hint: usize) -> Result<String> {
    let mut out = Vec::with_capacity(size_hint);
    v.serialize(&mut serde_json::Serializer::new(&mut out)).map_err(json_error)?;
    finish(out)
}

fn json_error(e: impl std::fmt::Display) -> Error {
    Error::validation("App", format!("cannot write JSON: {e}"))
}

fn finish(mut out: Vec<u8>) -> Result<String> {
    out.push(b'\n');
    // A large buffer gives back what the size hint overestimated (in place, for large ones).
    if out.capacity() > out.len().saturating_add(out.len() / 8) {
        out.shrink_to_fit();
    }
    String::from_utf8(out).map_err(json_error)
}

/// The template text of a prepared stack: pretty JSON and a final newline.
pub(crate) fn write_template(st: &StackInner, prepared: &PreparedStack) -> Result<String> {
    let ctx = Ctx::new(st, &prepared.ids);
    let mut sections: [Vec<Entry<'_>>; 5] = Default::default();
    for e in &prepared.elements {
        if let Some(section) = sections.get_mut(section_index(e.kind)) {
            section.push(Entry { id: &e.logical_id, node: e.node, value: &e.value });
        }
    }
    let count = prepared.resource_count();
    let template = Template { ctx: &ctx, description: prepared.description.as_deref(), sections };
    // Templates measure 740 to 780 bytes per resource.
    let text = to_pretty(&template, count.saturating_mul(1024));
    Error::check_all(ctx.errors.take())?;
    text
}

pub(crate) fn note_capabilities(caps: &mut Vec<&'static str>, type_name: &str, rendered: &Value) {
    if !type_name.starts_with("AWS::IAM::") {
        return;
    }
    let props = match rendered {
        Value::Map(m) => m.get("Properties"),
        _ => None,
    };
    let named = NAMED_IAM_PROPS.iter().any(|(t, p)| {
        *t == type_name && matches!(props, Some(Value::Map(m)) if m.contains_key(p))
    });
    let cap = if named { "CAPABILITY_NAMED_IAM" } else { "CAPABILITY_IAM" };
    if !caps.contains(&cap) {
        caps.push(cap);
    }
}

pub(crate) fn parameter_value(p: &ParameterProps) -> Value {
    let mut out = Map::new();
    let mut put = |k: &'static str, v: Value| {
        out.insert(k, v);
    };
    put("Type", Value::Str(p.type_.name().to_string()));
    if let Some(d) = &p.default {
        put("Default", d.clone());
    }
    if !p.allowed_values.is_empty() {
        put("AllowedValues", Value::List(p.allowed_values.clone()));
    }
    if let Some(v) = &p.allowed_pattern {
        put("AllowedPattern", Value::Str(v.clone()));
    }
    if let Some(v) = &p.constraint_description {
        put("ConstraintDescription", Value::Str(v.clone()));
    }
    if let Some(v) = &p.description {
        put("Description", Value::Str(v.clone()));
    }
    if let Some(v) = p.max_length {
        put("MaxLength", Value::Int(v.into()));
    }
    if let Some(v) = p.max_value {
        put("MaxValue", Value::Float(v));
    }
    if let Some(v) = p.min_length {
        put("MinLength", Value::Int(v.into()));
    }
    if let Some(v) = p.min_value {
        put("MinValue", Value::Float(v));
    }
    if p.no_echo {
        put("NoEcho", Value::Bool(true));
    }
    Value::Map(out)
}

/// Tags set on the node and its ancestors; a tag set lower down wins.
pub(crate) fn inherited_tags(st: &StackInner, n: NodeId) -> Map {
    let mut chain = vec![n];
    let mut cur = st.node(n).parent;
    while let Some(p) = cur {
        chain.push(p);
        cur = st.node(p).parent;
    }
    let mut tags = Map::new();
    for id in chain.into_iter().rev() {
        for (k, v) in &st.node(id).tags {
            tags.insert(k.clone(), Value::Str(v.clone()));
        }
    }
    tags
}

