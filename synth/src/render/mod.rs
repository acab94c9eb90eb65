//! Rendering a stack to its template text: validations, logical IDs, tags, overrides, and the
//! value model written as JSON with references resolved on the way ([`resolve`]).

pub(crate) mod edit;
pub(crate) mod resolve;
mod tree_json;

use crate::element::ParameterProps;
use crate::error::{Error, Result};
use crate::prepare::PreparedStack;
use crate::stack::StackInner;
use crate::tree::NodeId;
use crate::value::{Map, Value};

pub(crate) use tree_json::tree_json;

const NAMED_IAM_PROPS: &[(&str, &str)] = &[
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::Group", "GroupName"),
    ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
    ("AWS::IAM::InstanceProfile", "InstanceProfileName"),
];

/// The template text of a prepared stack: pretty JSON and a final newline.
pub(crate) fn write_template(st: &StackInner, prepared: &PreparedStack) -> Result<String> {
    ironcdk_template::write::template_text(prepared).map_err(|e| {
        let errors = resolve::write_errors(st, prepared);
        if errors.is_empty() {
            Error::validation(st.name.clone(), e.to_string())
        } else {
            Error::Many(errors)
        }
    })
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
    put("Type", Value::Str(p.type_.name().into()));
    if let Some(d) = &p.default {
        put("Default", d.clone());
    }
    if !p.allowed_values.is_empty() {
        put("AllowedValues", Value::List(p.allowed_values.clone()));
    }
    if let Some(v) = &p.allowed_pattern {
        put("AllowedPattern", Value::Str(v.into()));
    }
    if let Some(v) = &p.constraint_description {
        put("ConstraintDescription", Value::Str(v.into()));
    }
    if let Some(v) = &p.description {
        put("Description", Value::Str(v.into()));
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
    // Most apps tag few nodes: look before gathering.
    let mut cur = Some(n);
    while let Some(c) = cur {
        let node = st.node(c);
        if !node.tags().is_empty() {
            break;
        }
        cur = node.parent;
    }
    if cur.is_none() {
        return Map::new();
    }
    let mut chain = vec![n];
    let mut cur = st.node(n).parent;
    while let Some(p) = cur {
        chain.push(p);
        cur = st.node(p).parent;
    }
    let mut tags = Map::new();
    for id in chain.into_iter().rev() {
        for (k, v) in st.node(id).tags() {
            tags.insert(k.clone(), Value::Str(v.into()));
        }
    }
    tags
}

