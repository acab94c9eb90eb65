//! What a template read from a file holds that CloudFormation refuses before creating anything:
//! a resource without a string `Type`, `Properties` that are not an object, references
//! (`Ref`, `Fn::GetAtt`, `Fn::If`, `Condition`, `Fn::FindInMap`, `DependsOn`, `${X}` in
//! `Fn::Sub`) naming nothing in the template, an unclosed `${`. Found on the JSON as read, since
//! the value model keeps only references that resolve.

use crate::hash::HashSet;

use crate::templates::Problem;

/// Whether `name` is one of CloudFormation's pseudo parameters (the reader's own list).
fn is_pseudo(name: &str) -> bool {
    super::pseudo(name).is_some()
}

struct Names<'a> {
    all: HashSet<&'a str>,
    resources: HashSet<&'a str>,
    conditions: HashSet<&'a str>,
    mappings: HashSet<&'a str>,
}

fn keys<'a>(obj: &'a serde_json::Map<String, serde_json::Value>, section: &str) -> HashSet<&'a str> {
    obj.get(section).and_then(serde_json::Value::as_object).map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default()
}

/// The problems of a template (a JSON object).
pub(crate) fn problems(obj: &serde_json::Map<String, serde_json::Value>) -> Vec<Problem> {
    let mut out = Vec::new();
    let resources = obj.get("Resources").and_then(serde_json::Value::as_object);
    for (id, r) in resources.into_iter().flatten() {
        // `Fn::ForEach::Name` (AWS::LanguageExtensions) is a loop, not a resource.
        if id.starts_with("Fn::ForEach::") {
            continue;
        }
        let mut bad = |message: String| out.push(Problem { logical_id: Some(id.clone()), message });
        let Some(r) = r.as_object() else {
            bad("the resource is not an object".into());
            continue;
        };
        match r.get("Type") {
            None => bad("the resource has no Type".into()),
            Some(serde_json::Value::String(t)) if t.is_empty() => bad("the resource's Type is empty".into()),
            Some(serde_json::Value::String(_)) => {}
            Some(_) => bad("the resource's Type is not a string".into()),
        }
        if let Some(p) = r.get("Properties") {
            if !p.is_object() {
                bad("the resource's Properties are not an object".into());
            }
        }
    }
    // A macro can add any name, and a module adds resources named after it: references are
    // not checked where one runs.
    let module = resources.into_iter().flatten().any(|(_, r)| r.get("Type").and_then(serde_json::Value::as_str).is_some_and(|t| t.ends_with("::MODULE")));
    if obj.contains_key("Transform") || module {
        return out;
    }
    let names = Names {
        all: ["Parameters", "Resources", "Conditions", "Mappings"].iter().flat_map(|s| keys(obj, s)).collect(),
        resources: keys(obj, "Resources"),
        conditions: keys(obj, "Conditions"),
        mappings: keys(obj, "Mappings"),
    };
    for section in ["Resources", "Outputs", "Conditions"] {
        for (id, v) in obj.get(section).and_then(serde_json::Value::as_object).into_iter().flatten() {
            let mut found = Vec::new();
            if let (Some(r), "Resources" | "Outputs") = (v.as_object(), section) {
                let deps = match r.get("DependsOn") {
                    Some(serde_json::Value::String(d)) => vec![d.as_str()],
                    Some(serde_json::Value::Array(ds)) => ds.iter().filter_map(serde_json::Value::as_str).collect(),
                    _ => Vec::new(),
                };
                found.extend(deps.into_iter().filter(|d| !names.resources.contains(d)).map(|d| format!("DependsOn names '{d}', which is not a resource of this template")));
                if let Some(c) = r.get("Condition").and_then(serde_json::Value::as_str).filter(|c| !names.conditions.contains(c)) {
                    found.push(format!("its Condition '{c}' is not a condition of this template"));
                }
            }
            walk(v, &names, &mut found);
            out.extend(found.into_iter().map(|message| Problem { logical_id: Some(id.clone()), message }));
        }
    }
    out
}

/// References in `v` that name nothing.
fn walk(v: &serde_json::Value, names: &Names<'_>, out: &mut Vec<String>) {
    let mut todo = vec![v];
    while let Some(x) = todo.pop() {
        match x {
            serde_json::Value::Array(a) => todo.extend(a),
            // What `Fn::Transform` (a macro) is given and makes is the macro's business.
            serde_json::Value::Object(m) if m.contains_key("Fn::Transform") => {}
            serde_json::Value::Object(m) => {
                if m.len() == 1 {
                    if let Some((key, arg)) = m.iter().next() {
                        check_function(key, arg, names, out);
                    }
                }
                todo.extend(m.values());
            }
            _ => {}
        }
    }
}

fn check_function(key: &str, arg: &serde_json::Value, names: &Names<'_>, out: &mut Vec<String>) {
    let first = || match arg {
        serde_json::Value::Array(a) => a.first().and_then(serde_json::Value::as_str),
        serde_json::Value::String(s) => Some(s.as_str()),
        _ => None,
    };
    match key {
        "Ref" => {
            if let Some(n) = arg.as_str() {
                let known = if n.starts_with("AWS::") { is_pseudo(n) } else { names.all.contains(n) };
                if !known {
                    out.push(format!("Ref names '{n}', which is not a resource, parameter or pseudo parameter of this template"));
                }
            }
        }
        "Fn::GetAtt" => {
            let target = match arg {
                serde_json::Value::String(s) => s.split('.').next(),
                _ => first(),
            };
            if let Some(t) = target.filter(|t| !names.resources.contains(t)) {
                out.push(format!("Fn::GetAtt names '{t}', which is not a resource of this template"));
            }
        }
        "Fn::If" | "Condition" => {
            if let Some(c) = first().filter(|c| !names.conditions.contains(c)) {
                out.push(format!("{key} names '{c}', which is not a condition of this template"));
            }
        }
        "Fn::FindInMap" => {
            if let Some(m) = first().filter(|m| !names.mappings.contains(m)) {
                out.push(format!("Fn::FindInMap names '{m}', which is not a mapping of this template"));
            }
        }
        "Fn::Sub" => {
            let (text, vars) = match arg {
                serde_json::Value::String(s) => (Some(s.as_str()), None),
                serde_json::Value::Array(a) => (a.first().and_then(serde_json::Value::as_str), a.get(1).and_then(serde_json::Value::as_object)),
                _ => (None, None),
            };
            if let Some(text) = text {
                sub_names(text, vars, names, out);
            }
        }
        _ => {}
    }
}

/// `${X}` in a `Fn::Sub` text: a variable of its own, a name of the template (`X` or
/// `X.Attribute`), or a pseudo parameter; `${!X}` is literal.
fn sub_names(text: &str, vars: Option<&serde_json::Map<String, serde_json::Value>>, names: &Names<'_>, out: &mut Vec<String>) {
    let known = |name: &str| vars.is_some_and(|v| v.contains_key(name));
    out.extend(sub_problems(text, &known, &|base| names.all.contains(base)));
}

/// What is wrong with the `${...}` names of a `Fn::Sub` text: names that are neither a
/// variable (`is_variable`, given the whole name), a pseudo parameter, nor a name of the
/// template (`is_name`, given the part before any `.Attribute`); or a `${` never closed.
/// `${!X}` is literal and spaces around a name are ignored, as CloudFormation does.
pub fn sub_problems(text: &str, is_variable: &dyn Fn(&str) -> bool, is_name: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for part in crate::sub::parts(text) {
        match part {
            crate::sub::Part::Var(name) => {
                let base = crate::sub::base(name);
                let known = is_variable(name) || is_pseudo(base) || (!base.starts_with("AWS::") && is_name(base));
                if !known {
                    out.push(format!("Fn::Sub names '${{{name}}}', which is neither one of its variables nor a name of this template"));
                }
            }
            crate::sub::Part::Unclosed(_) => out.push(format!("Fn::Sub text '{text}' opens '${{' without closing it")),
            crate::sub::Part::Text(_) | crate::sub::Part::Literal(_) => {}
        }
    }
    out
}
