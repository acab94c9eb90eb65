//! What CloudFormation refuses in a template, refused at synth: the quotas on a template
//! (resources, parameters, outputs, mappings, body size), tags CloudFormation or the service
//! rejects, and escape hatches (`DependsOn`, `Condition`, `Ref`, `Fn::GetAtt`, `Fn::If` written
//! as literal names) that point at nothing in the template.

use ironcdk_template::hash::HashSet;

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
    let ids: HashSet<&str> = st.elements.iter().map(|e| e.logical_id.as_str()).collect();
    let conditions: HashSet<&str> =
        st.elements.iter().filter(|e| e.kind == ElementKind::Condition).map(|e| e.logical_id.as_str()).collect();
    let resources: HashSet<&str> =
        st.elements.iter().filter(|e| e.kind == ElementKind::Resource).map(|e| e.logical_id.as_str()).collect();
    for e in &st.elements {
        check_names(e, &ids, &resources, &conditions, &mut errors);
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

fn check_names(
    e: &PreparedElement,
    ids: &HashSet<&str>,
    resources: &HashSet<&str>,
    conditions: &HashSet<&str>,
    errors: &mut Vec<Error>,
) {
    let mut missing = |what: &str, name: &str, among: &str| {
        errors.push(Error::validation(
            e.path.clone(),
            format!("{what} '{name}', which is not {among} of this template; CloudFormation would fail the deploy. Use the construct's ref_()/get_att() instead of a name, or fix the name"),
        ));
    };
    if let Value::Map(top) = &e.value {
        match top.get("DependsOn") {
            Some(Value::Str(d)) if !resources.contains(d.as_str()) => missing("DependsOn names", d, "a resource"),
            Some(Value::List(ds)) => {
                for d in ds.iter().filter_map(Value::as_str).filter(|d| !resources.contains(d)) {
                    missing("DependsOn names", d, "a resource");
                }
            }
            _ => {}
        }
        if let Some(Value::Str(c)) = top.get("Condition") {
            if !conditions.contains(c.as_str()) {
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
                    if !r.starts_with("AWS::") && !ids.contains(r.as_str()) {
                        missing("Ref names", r, "a resource or parameter");
                    }
                }
            }
            "Fn::GetAtt" => {
                if let Some(t) = first().filter(|t| !resources.contains(t)) {
                    missing("Fn::GetAtt names", t, "a resource");
                }
            }
            "Fn::If" => {
                if let Some(c) = first().filter(|c| !conditions.contains(c)) {
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
