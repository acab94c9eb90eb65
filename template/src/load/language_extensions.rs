//! The `AWS::LanguageExtensions` transform, expanded before analysis as CloudFormation expands
//! it: `Fn::ForEach::<Loop>` in `Resources`, `Outputs` and `Conditions` (over a literal list, or
//! a parameter's default list), with `${Id}` and `&{Id}` (alphanumerics only) in keys and
//! strings and `{"Ref": "Id"}` replaced by each value; `Fn::Length` of a literal list;
//! `Fn::ToJsonString` as the JSON text it writes.
//!
//! A loop whose collection the template does not fix is left as it is (the `Transform` info
//! says the template is checked only in part). Expansion is bounded: a template that would
//! grow past [`MAX_EXPANDED`] entries is left unexpanded.

use serde_json::{Map, Value};

/// The most entries the expansion may write, over all sections and loops.
pub const MAX_EXPANDED: usize = 10_000;

/// Whether `json` asks for the transform.
fn uses_language_extensions(json: &Value) -> bool {
    match json.get("Transform") {
        Some(Value::String(t)) => t == "AWS::LanguageExtensions",
        Some(Value::Array(l)) => l.iter().any(|t| t.as_str() == Some("AWS::LanguageExtensions")),
        _ => false,
    }
}

/// The template with its loops expanded, or `None` when it has nothing to expand (or would
/// grow past the bound).
pub fn expand(json: &Value) -> Option<Value> {
    if !uses_language_extensions(json) {
        return None;
    }
    let obj = json.as_object()?;
    let parameters = obj.get("Parameters").and_then(Value::as_object);
    let mut out = obj.clone();
    let mut budget = MAX_EXPANDED;
    let mut changed = false;
    for section in ["Conditions", "Resources", "Outputs"] {
        let Some(Value::Object(entries)) = obj.get(section) else { continue };
        let expanded = expand_map(entries, parameters, &mut budget, 0)?;
        if expanded != *entries {
            changed = true;
            out.insert(section.to_string(), Value::Object(expanded));
        }
    }
    let out = Value::Object(out);
    let out = functions(&out);
    (changed || out != *json).then_some(out)
}

/// Whether nothing of the transform is left in `json` (after [`expand`]): no loop, no
/// `Fn::Length` or `Fn::ToJsonString`. Then the template is checked whole.
pub fn fully_expanded(json: &Value) -> bool {
    match json {
        Value::Array(items) => items.iter().all(fully_expanded),
        Value::Object(m) => m.iter().all(|(k, v)| !(k.starts_with("Fn::ForEach::") || k == "Fn::Length" || k == "Fn::ToJsonString") && fully_expanded(v)),
        _ => true,
    }
}

/// An intrinsic function call: a one-key object whose key is `Ref` or `Fn::...`.
fn is_intrinsic(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 1 && m.keys().all(|k| k == "Ref" || k.starts_with("Fn::") || k == "Condition"))
}

fn has_intrinsic(v: &Value) -> bool {
    is_intrinsic(v)
        || match v {
            Value::Array(items) => items.iter().any(has_intrinsic),
            Value::Object(m) => m.values().any(has_intrinsic),
            _ => false,
        }
}

/// The transform's functions, in one walk: `Fn::Length` of a literal list as a number, and
/// `Fn::ToJsonString` as CloudFormation writes it: compact JSON text of a literal value; where
/// the value holds intrinsic functions, an `Fn::Sub` of that text with each call a variable
/// (taken to give a string), so the result is still a string the checks can read.
fn functions(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(functions).collect()),
        Value::Object(m) => {
            if let (1, Some(Value::Array(list))) = (m.len(), m.get("Fn::Length")) {
                return Value::from(list.len());
            }
            if let (1, Some(inner)) = (m.len(), m.get("Fn::ToJsonString")) {
                let inner = functions(inner);
                if !has_intrinsic(&inner) {
                    return Value::String(inner.to_string());
                }
                let mut vars = Map::new();
                let mut text = String::new();
                sub_text(&inner, &mut text, &mut vars);
                return serde_json::json!({"Fn::Sub": [text, vars]});
            }
            Value::Object(m.iter().map(|(k, v)| (k.clone(), functions(v))).collect())
        }
        other => other.clone(),
    }
}

/// The JSON text of `v` for an `Fn::Sub`: literal `${` escaped as `${!`, each intrinsic call a
/// quoted `${vN}` variable.
fn sub_text(v: &Value, out: &mut String, vars: &mut Map<String, Value>) {
    let literal = |x: &Value| x.to_string().replace("${", "${!");
    match v {
        _ if is_intrinsic(v) => {
            let name = format!("v{}", vars.len());
            out.push_str(&format!("\"${{{name}}}\""));
            vars.insert(name, v.clone());
        }
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                sub_text(x, out, vars);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&literal(&Value::String(k.clone())));
                out.push(':');
                sub_text(x, out, vars);
            }
            out.push('}');
        }
        other => out.push_str(&literal(other)),
    }
}

/// The list a loop runs over: a literal list of strings, or a parameter's default (a list, or
/// a comma-separated string).
fn collection(v: &Value, parameters: Option<&Map<String, Value>>) -> Option<Vec<String>> {
    match v {
        Value::Array(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
        Value::Object(m) => {
            let name = m.get("Ref")?.as_str()?;
            match parameters?.get(name)?.get("Default")? {
                Value::String(s) => Some(s.split(',').map(|p| p.trim().to_string()).collect()),
                Value::Array(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Entries of a section (or a loop's fragment) with their loops expanded; `None` past the
/// budget or nested too deeply.
fn expand_map(entries: &Map<String, Value>, parameters: Option<&Map<String, Value>>, budget: &mut usize, depth: usize) -> Option<Map<String, Value>> {
    if depth > 5 {
        return None;
    }
    let mut out = Map::new();
    for (key, value) in entries {
        let Some(_loop_name) = key.strip_prefix("Fn::ForEach::") else {
            *budget = budget.checked_sub(1)?;
            out.insert(key.clone(), value.clone());
            continue;
        };
        let parts = value.as_array();
        let (Some(id), Some(items), Some(Value::Object(fragment))) = (
            parts.and_then(|p| p.first()).and_then(Value::as_str),
            parts.and_then(|p| p.get(1)).and_then(|c| collection(c, parameters)),
            parts.and_then(|p| p.get(2)),
        ) else {
            // Not fixed by the template: kept as written.
            out.insert(key.clone(), value.clone());
            continue;
        };
        for item in &items {
            let substituted = substitute(&Value::Object(fragment.clone()), id, item);
            let Value::Object(m) = substituted else { continue };
            for (k, v) in expand_map(&m, parameters, budget, depth.saturating_add(1))? {
                out.insert(k, v);
            }
        }
    }
    Some(out)
}

/// `value` with the loop identifier `id` replaced by `item`.
fn substitute(value: &Value, id: &str, item: &str) -> Value {
    let plain: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
    let text = |s: &str| s.replace(&format!("${{{id}}}"), item).replace(&format!("&{{{id}}}"), &plain);
    match value {
        Value::String(s) => Value::String(text(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, id, item)).collect()),
        Value::Object(m) => {
            if m.len() == 1 && m.get("Ref").and_then(Value::as_str) == Some(id) {
                return Value::String(item.to_string());
            }
            Value::Object(m.iter().map(|(k, v)| (text(k), substitute(v, id, item))).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn loops_over_a_list_or_a_parameter_default_become_their_entries() {
        let t = json!({"Transform": "AWS::LanguageExtensions",
            "Parameters": {"Names": {"Type": "CommaDelimitedList", "Default": "a-1,b-2"}},
            "Resources": {
                "Fn::ForEach::Topics": ["N", ["Orders", "Invoices"], {"${N}Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${N}-topic"}, "DisplayName": {"Ref": "N"}}}}],
                "Fn::ForEach::Queues": ["Q", {"Ref": "Names"}, {"&{Q}Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "${Q}"}}}],
                "Fixed": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"Count": {"Value": {"Fn::Length": [1, 2, 3]}}}});
        let e = expand(&t).unwrap();
        let r = e["Resources"].as_object().unwrap();
        assert_eq!(r.keys().collect::<Vec<_>>(), ["OrdersTopic", "InvoicesTopic", "a1Queue", "b2Queue", "Fixed"]);
        assert_eq!(r["OrdersTopic"]["Properties"], json!({"TopicName": {"Fn::Sub": "Orders-topic"}, "DisplayName": "Orders"}));
        assert_eq!(r["b2Queue"]["Properties"]["QueueName"], "b-2");
        assert_eq!(e["Outputs"]["Count"]["Value"], 3);
    }

    #[test]
    fn what_the_template_does_not_fix_is_left_and_growth_is_bounded() {
        let t = json!({"Transform": ["AWS::LanguageExtensions"], "Parameters": {"Names": {"Type": "CommaDelimitedList"}},
            "Resources": {"Fn::ForEach::Q": ["Q", {"Ref": "Names"}, {"${Q}": {"Type": "AWS::SQS::Queue"}}]}});
        assert!(expand(&t).is_none(), "nothing the template fixes");
        assert!(expand(&json!({"Resources": {"Fn::ForEach::Q": ["Q", ["a"], {"${Q}": {"Type": "AWS::SQS::Queue"}}]}})).is_none(), "no transform, no expansion");
        let many: Vec<String> = (0..200).map(|i| format!("n{i}")).collect();
        let nested = json!({"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::A": ["A", many.clone(), {"Fn::ForEach::B": ["B", many, {"${A}${B}": {"Type": "AWS::SQS::Queue"}}]}]}});
        assert!(expand(&nested).is_none(), "40,000 entries are past the bound");
    }

    /// `Fn::ToJsonString` writes compact JSON; with intrinsic calls inside, an `Fn::Sub` whose
    /// variables are the calls (literal `${` escaped); nothing left, the transform is done.
    #[test]
    fn to_json_string_becomes_the_text_it_writes() {
        let t = json!({"Transform": "AWS::LanguageExtensions", "Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Value": {"Fn::ToJsonString": {"a": [1, true, null], "b": "x"}},
            "Description": {"Fn::ToJsonString": {"env": {"Ref": "Env"}, "cost": "${5}", "n": [{"Fn::GetAtt": ["Q", "Arn"]}]}}}}}});
        assert!(!fully_expanded(&t));
        let e = expand(&t).unwrap();
        let p = &e["Resources"]["P"]["Properties"];
        assert_eq!(p["Value"], r#"{"a":[1,true,null],"b":"x"}"#);
        assert_eq!(p["Description"], json!({"Fn::Sub": [r#"{"env":"${v0}","cost":"${!5}","n":["${v1}"]}"#, {"v0": {"Ref": "Env"}, "v1": {"Fn::GetAtt": ["Q", "Arn"]}}]}));
        assert!(fully_expanded(&e));
        // A loop over a list nobody fixes is left: the transform is not done.
        let open = json!({"Transform": "AWS::LanguageExtensions", "Parameters": {"L": {"Type": "CommaDelimitedList"}},
            "Resources": {"Fn::ForEach::X": ["N", {"Ref": "L"}, {"${N}": {"Type": "AWS::SNS::Topic"}}]}});
        assert!(!fully_expanded(&expand(&open).unwrap_or(open.clone())));
    }
}
