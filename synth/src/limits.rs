//! What CloudFormation refuses in a template, refused at synth: the quotas on a template
//! (resources, parameters, outputs, mappings, body size), tags CloudFormation or the service
//! rejects, and escape hatches (`DependsOn`, `Condition`, `Ref`, `Fn::GetAtt`, `Fn::If` written
//! as literal names) that point at nothing in the template.

use ironcdk_template::hash::HashMap;

use crate::error::Error;
use crate::finding::{Finding, Severity};
use crate::prepare::{ElementKind, PreparedElement, PreparedStack};
use crate::value::Value;

pub use ironcdk_template::quotas::*;

/// An error finding of [`quotas`] as synth refuses it.
fn refusal(f: &Finding) -> Error {
    Error::validation(f.stack.clone().unwrap_or_default(), format!("{}: {}", f.message, f.fix))
}

/// Template quotas, tags and escape-hatch references of one prepared stack.
pub(crate) fn check_stack(st: &PreparedStack) -> Vec<Error> {
    let mut errors: Vec<Error> = quotas(st, None).iter().filter(|f| f.severity == Severity::Error).map(refusal).collect();
    let names = Names::of(st);
    for e in &st.elements {
        check_names(e, &names, &mut errors);
        if e.kind == ElementKind::Resource {
            check_tags(e, &mut errors);
        }
    }
    errors
}

/// The written template's size against CloudFormation's limits ([`quotas`]): the warning to
/// report, or the refusal.
pub(crate) fn check_size(st: &PreparedStack, bytes: usize) -> Result<Option<Finding>, Error> {
    match size_quota(&st.name, bytes) {
        Some(f) if f.severity == Severity::Error => Err(refusal(&f)),
        other => Ok(other),
    }
}

/// The logical IDs of a stack's elements, each with the kinds of element that have it, in one
/// map (one hash per element, where a set per kind hashed most names twice).
struct Names<'a> {
    kinds: HashMap<&'a str, u8>,
}

impl<'a> Names<'a> {
    const RESOURCE: u8 = 1;
    const CONDITION: u8 = 2;
    const OTHER: u8 = 4;

    fn of(st: &'a PreparedStack) -> Self {
        let mut kinds: HashMap<&str, u8> = ironcdk_template::hash::map_with_capacity(st.elements.len());
        for e in &st.elements {
            let bit = match e.kind {
                ElementKind::Resource => Self::RESOURCE,
                ElementKind::Condition => Self::CONDITION,
                _ => Self::OTHER,
            };
            *kinds.entry(e.logical_id.as_str()).or_insert(0) |= bit;
        }
        Names { kinds }
    }

    fn has(&self, name: &str, kinds: u8) -> bool {
        self.kinds.get(name).is_some_and(|k| k & kinds != 0)
    }

    /// An element of any kind is called `name`.
    fn any(&self, name: &str) -> bool {
        self.kinds.contains_key(name)
    }

    fn resource(&self, name: &str) -> bool {
        self.has(name, Self::RESOURCE)
    }

    fn condition(&self, name: &str) -> bool {
        self.has(name, Self::CONDITION)
    }
}

fn check_names(e: &PreparedElement, names: &Names<'_>, errors: &mut Vec<Error>) {
    let mut missing = |what: &str, name: &str, among: &str| {
        errors.push(Error::validation(
            e.path.clone(),
            format!("{what} '{name}', which is not {among} of this template; CloudFormation would fail the deploy. Use the construct's ref_()/get_att() instead of a name, or fix the name"),
        ));
    };
    if let Value::Map(top) = &e.value {
        match top.get("DependsOn") {
            Some(Value::Str(d)) if !names.resource(d) => missing("DependsOn names", d, "a resource"),
            Some(Value::List(ds)) => {
                for d in ds.iter().filter_map(Value::as_str).filter(|d| !names.resource(d)) {
                    missing("DependsOn names", d, "a resource");
                }
            }
            _ => {}
        }
        if let Some(Value::Str(c)) = top.get("Condition") {
            if !names.condition(c) {
                missing("Condition names", c, "a condition");
            }
        }
    }
    e.value.walk_objects(|m| {
        // Names written as text: a one-entry object whose key is the function.
        if m.len() != 1 {
            return;
        }
        let Some((key, arg)) = m.iter().next() else { return };
        let first = || match arg {
            Value::List(l) => l.first().and_then(Value::as_str),
            Value::Str(s) if key == "Fn::GetAtt" => s.split('.').next(),
            _ => None,
        };
        match key {
            "Ref" => {
                if let Value::Str(r) = arg {
                    if !r.starts_with("AWS::") && !names.any(r) {
                        missing("Ref names", r, "a resource or parameter");
                    }
                }
            }
            "Fn::GetAtt" => {
                if let Some(t) = first().filter(|t| !names.resource(t)) {
                    missing("Fn::GetAtt names", t, "a resource");
                }
            }
            "Fn::If" => {
                if let Some(c) = first().filter(|c| !names.condition(c)) {
                    missing("Fn::If names", c, "a condition");
                }
            }
            _ => {}
        }
    });
}

/// Tags CloudFormation or the service rejects: more than 50, an empty key, a key over 128 or
/// a value over 256 characters, or a key starting with `aws:` (reserved).
fn check_tags(e: &PreparedElement, errors: &mut Vec<Error>) {
    let Some(tags) = e.properties().and_then(|p| p.get("Tags").or_else(|| p.get("HostedZoneTags"))) else { return };
    let pairs: Vec<(Option<&str>, Option<&str>)> = match tags {
        Value::List(items) => items
            .iter()
            .map(|t| match t {
                Value::Map(m) => (m.get("Key").and_then(Value::as_str), m.get("Value").and_then(Value::as_str)),
                _ => (None, None),
            })
            .collect(),
        Value::Map(m) => m.iter().map(|(k, v)| (Some(k), v.as_str())).collect(),
        _ => return,
    };
    let mut fail = |message: String| errors.push(Error::validation(e.path.clone(), message));
    if pairs.len() > MAX_TAGS {
        fail(format!("has {} tags; AWS allows at most {MAX_TAGS} per resource: remove some (tags set on the stack or a parent count too)", pairs.len()));
    }
    for (k, v) in pairs {
        if let Some(k) = k {
            if k.is_empty() {
                fail("has a tag with an empty key; give every tag a key".into());
            } else if k.chars().count() > MAX_TAG_KEY {
                fail(format!("tag key '{k}' is {} characters; AWS allows at most {MAX_TAG_KEY}", k.chars().count()));
            } else if k.to_ascii_lowercase().starts_with("aws:") {
                fail(format!("tag key '{k}' starts with 'aws:', which AWS reserves for its own tags; choose another key"));
            }
        }
        if let Some(v) = v {
            let n = v.chars().count();
            if n > MAX_TAG_VALUE {
                fail(format!(
                    "tag {} has a value of {n} characters; AWS allows at most {MAX_TAG_VALUE} (a Name tag taken from a long construct path: shorten the construct ids)",
                    k.unwrap_or("?")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{NodeId, StackId};

    /// A name is found by the kinds of element that have it, a name two kinds share by both.
    #[test]
    fn names_know_each_kind_a_logical_id_has() {
        let mut st = PreparedStack::new("S", crate::stack::Environment::default(), StackId { app: 0, index: 0 });
        for (kind, id) in [(ElementKind::Resource, "Topic"), (ElementKind::Condition, "Prod"), (ElementKind::Parameter, "Stage"), (ElementKind::Condition, "Topic")] {
            st.elements.push(PreparedElement::new(kind, id, "", "", Value::Null, NodeId(0)));
        }
        let names = Names::of(&st);
        assert!(names.resource("Topic") && names.condition("Topic") && names.any("Topic"));
        assert!(names.condition("Prod") && !names.resource("Prod"));
        assert!(names.any("Stage") && !names.resource("Stage") && !names.condition("Stage"));
        assert!(!names.any("Nothing") && !names.resource("Nothing") && !names.condition("Nothing"));
    }
}
