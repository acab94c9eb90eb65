//! `template-sections`: what CloudFormation refuses outside resource properties (those are
//! `schema`'s): a parameter default that is a function or an object, or outside its own
//! constraints, an output whose value is not a string, a `DeletionPolicy` or
//! `UpdateReplacePolicy` CloudFormation does not know, a condition `Fn::And`/`Fn::Or` with
//! fewer than 2 or more than 10 conditions, an `Fn::Select` past the end of its literal list,
//! a `Fn::Sub` naming nothing (in what synth built; the reader checks templates read from
//! files), and policy documents with a statement that has no action, an unknown `Effect`, or
//! (in IAM policies) a `Sid` that is not letters and digits.

use ironcdk_template::templates::{ElementKind, PreparedElement};
use ironcdk_template::{Finding, Map, Severity, Value};

const DELETION_POLICIES: &[&str] = &["Delete", "Retain", "RetainExceptOnDelete", "Snapshot"];
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot"];

/// Where a resource type holds policy documents: (property, whether it is an IAM identity or
/// trust policy, where a `Sid` may hold only letters and digits). `Policies` is a list of
/// `{PolicyName, PolicyDocument}`. (A `match`: most types hold none, and it says so without
/// comparing the name with every entry.)
fn policy_documents(type_name: &str) -> &'static [(&'static str, bool)] {
    match type_name {
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" | "AWS::IAM::UserPolicy" | "AWS::IAM::GroupPolicy" => &[("PolicyDocument", true)],
        "AWS::IAM::Role" => &[("AssumeRolePolicyDocument", true), ("Policies", true)],
        "AWS::IAM::User" | "AWS::IAM::Group" => &[("Policies", true)],
        "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => &[("PolicyDocument", false)],
        "AWS::KMS::Key" => &[("KeyPolicy", false)],
        "AWS::ECR::Repository" => &[("RepositoryPolicyText", false)],
        "AWS::SecretsManager::ResourcePolicy" => &[("ResourcePolicy", false)],
        _ => &[],
    }
}

fn entry<'a>(e: &'a PreparedElement, key: &str) -> Option<&'a Value> {
    match &e.value {
        Value::Map(m) => m.get(key),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        #[allow(clippy::cast_precision_loss)]
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What is wrong with a parameter's `Default`, by its own constraints.
fn parameter_problems(p: &Map) -> Vec<String> {
    let mut out = Vec::new();
    // A default is a literal: CloudFormation resolves no function there (and an object is none).
    if let Some(d) = p.get("Default").filter(|d| d.is_intrinsic() || matches!(d, Value::Map(_))) {
        let what = if matches!(d, Value::Map(_)) { "an object" } else { "a function" };
        out.push(format!("its Default is {what}; a parameter's default must be a literal value"));
        return out;
    }
    let Some(default) = p.get("Default").and_then(text) else { return out };
    let ty = p.get("Type").and_then(Value::as_str).unwrap_or("String");
    let list = ty.starts_with("List<") || ty == "CommaDelimitedList";
    let items: Vec<&str> = if list { default.split(',').map(str::trim).collect() } else { vec![default.as_str()] };
    if let Some(Value::List(allowed)) = p.get("AllowedValues") {
        let allowed: Vec<String> = allowed.iter().filter_map(text).collect();
        // A list's whole default may be one allowed value too (`three,four`).
        let whole = allowed.contains(&default);
        for item in items.iter().filter(|_| !whole) {
            if !allowed.iter().any(|a| a == item) {
                out.push(format!("its Default '{item}' is not one of its AllowedValues ({})", allowed.join(", ")));
            }
        }
    }
    if !list {
        let chars = default.chars().count();
        if let Some(min) = p.get("MinLength").and_then(number).filter(|m| (chars as f64) < *m) {
            out.push(format!("its Default is {chars} characters long, under its MinLength {min}"));
        }
        if let Some(max) = p.get("MaxLength").and_then(number).filter(|m| (chars as f64) > *m) {
            out.push(format!("its Default is {chars} characters long, over its MaxLength {max}"));
        }
        if ty == "Number" {
            match default.trim().parse::<f64>() {
                Err(_) => out.push(format!("its Default '{default}' is not a number, and its Type is Number")),
                Ok(x) => {
                    if let Some(min) = p.get("MinValue").and_then(number).filter(|m| x < *m) {
                        out.push(format!("its Default {default} is under its MinValue {min}"));
                    }
                    if let Some(max) = p.get("MaxValue").and_then(number).filter(|m| x > *m) {
                        out.push(format!("its Default {default} is over its MaxValue {max}"));
                    }
                }
            }
        }
    }
    if let Some(pattern) = p.get("AllowedPattern").and_then(Value::as_str) {
        // CloudFormation matches the whole value (Java's `matches`).
        if let Ok(re) = regex_lite::Regex::new(&format!("^(?:{pattern})$")) {
            for item in &items {
                if !re.is_match(item) {
                    out.push(format!("its Default '{item}' does not match its AllowedPattern {pattern}"));
                }
            }
        }
    }
    out
}

/// The problems of the policy documents a resource holds.
fn policy_problems(type_name: &str, props: &Map) -> Vec<String> {
    let mut out = Vec::new();
    for (property, iam) in policy_documents(type_name) {
        let Some(v) = props.get(property) else { continue };
        // (index in `Policies`, document): where a statement is is spelled only for a problem.
        let documents: &mut dyn Iterator<Item = (Option<usize>, &Value)> = match (*property == "Policies", v) {
            (true, Value::List(list)) => &mut list.iter().enumerate().filter_map(|(i, p)| match p {
                Value::Map(m) => m.get("PolicyDocument").map(|d| (Some(i), d)),
                _ => None,
            }),
            (true, _) => &mut std::iter::empty(),
            (false, _) => &mut std::iter::once((None, v)),
        };
        for (at, doc) in documents {
            let Value::Map(doc) = doc else { continue };
            let statements: &[Value] = match doc.get("Statement") {
                Some(Value::List(l)) => l,
                Some(s @ Value::Map(_)) => std::slice::from_ref(s),
                _ => continue,
            };
            for (i, s) in statements.iter().enumerate() {
                let Value::Map(s) = s else { continue };
                let here = || match at {
                    Some(p) => format!("Policies[{p}].PolicyDocument.Statement[{i}]"),
                    None => format!("{property}.Statement[{i}]"),
                };
                // An empty list of actions is as good as none.
                let has = |k: &str| s.get(k).is_some_and(|a| !matches!(a, Value::List(l) if l.is_empty()));
                if !has("Action") && !has("NotAction") {
                    out.push(format!("{} has no Action or NotAction; CloudFormation refuses the policy", here()));
                }
                if let Some(effect) = s.get("Effect").and_then(Value::as_str) {
                    if effect != "Allow" && effect != "Deny" {
                        out.push(format!("{}.Effect is '{effect}'; it must be Allow or Deny", here()));
                    }
                }
                if *iam {
                    if let Some(sid) = s.get("Sid").and_then(Value::as_str) {
                        if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                            out.push(format!("{}.Sid is '{sid}'; an IAM policy's Sid may hold only letters and digits", here()));
                        }
                    }
                }
            }
        }
    }
    out
}

/// `Fn::Select` past the end of a literal list, `Fn::Cidr` counts outside 1 to 256 and, when
/// `is_name` is given, `${X}` names of `Fn::Sub` that name nothing, among an element's
/// `functions`.
fn intrinsic_problems(functions: &[(u32, &Value)], is_name: Option<&dyn Fn(&str) -> bool>, out: &mut Vec<String>) {
    functions.iter().for_each(|(_, x)| match x {
        Value::Select(i, list) => {
            if let Value::List(items) = list.as_ref() {
                if *i as usize >= items.len() {
                    out.push(format!("Fn::Select picks item {i} of a list of {}", items.len()));
                }
            }
        }
        Value::Cidr(_, count, _) => {
            if let Some(n) = number(count).filter(|n| !(1.0..=256.0).contains(n)) {
                out.push(format!("Fn::Cidr asks for {n} blocks; the count must be 1 to 256"));
            }
        }
        Value::Sub(text, vars) => {
            if let Some(is_name) = is_name {
                out.extend(ironcdk_template::load::sub_problems(text, &|n| vars.contains_key(n), is_name));
            }
        }
        _ => {}
    });
}

/// `Fn::And`/`Fn::Or` with a number of conditions CloudFormation refuses, among a condition's
/// `functions`.
fn condition_problems(functions: &[(u32, &Value)], out: &mut Vec<String>) {
    functions.iter().for_each(|(_, x)| {
        let (name, items) = match x {
            Value::And(items) => ("Fn::And", items),
            Value::Or(items) => ("Fn::Or", items),
            _ => return,
        };
        if !(2..=10).contains(&items.len()) {
            out.push(format!("{name} has {} conditions; it takes 2 to 10", items.len()));
        }
    });
}

rule! {
    /// `template-sections`: parameters, outputs, policies, conditions and intrinsic bounds.
    TemplateSections = "template-sections", |net, app, out| {
        for (si, s) in app.stacks.iter().enumerate() {
            // The template's names, gathered when a `Fn::Sub` first needs them.
            let names: std::cell::OnceCell<ironcdk_template::hash::HashSet<&str>> = std::cell::OnceCell::new();
            let is_name = |n: &str| names.get_or_init(|| s.elements.iter().filter(|x| x.kind != ElementKind::Output).map(|x| x.logical_id.as_str()).collect()).contains(n);
            for (ei, e) in s.elements.iter().enumerate() {
                let functions = net.functions.of_element(si, ei);
                let mut problems: Vec<String> = Vec::new();
                match e.kind {
                    ElementKind::Parameter => {
                        if let Value::Map(p) = &e.value {
                            problems.extend(parameter_problems(p).into_iter().map(|m| format!("parameter {}: {m}", e.logical_id)));
                        }
                    }
                    ElementKind::Output => match entry(e, "Value") {
                        // A one-key map with `::` is a function the reader does not model
                        // (`Fn::GetStackOutput`), not an object.
                        Some(Value::Map(m)) if m.len() == 1 && m.keys().any(|k| k.contains("::")) => {}
                        Some(v @ (Value::List(_) | Value::Map(_) | Value::Split(..) | Value::GetAzs(_) | Value::GetAttList(..) | Value::Cidr(..))) => {
                            let what = if matches!(v, Value::Map(_)) { "an object" } else { "a list" };
                            problems.push(format!("output {}: its Value is {what}; an output's value must be a string (join a list with Fn::Join)", e.logical_id));
                        }
                        _ => {}
                    },
                    ElementKind::Condition => condition_problems(functions, &mut problems),
                    ElementKind::Resource => {
                        for (key, allowed) in [("DeletionPolicy", DELETION_POLICIES), ("UpdateReplacePolicy", UPDATE_REPLACE_POLICIES)] {
                            if let Some(Value::Str(p)) = entry(e, key) {
                                if !allowed.contains(&p.as_str()) {
                                    problems.push(format!("{key} is '{p}'; CloudFormation knows {}", allowed.join(", ")));
                                }
                            }
                        }
                        if let Some(props) = e.properties() {
                            problems.extend(policy_problems(&e.type_name, props));
                        }
                    }
                    ElementKind::Mapping => {}
                }
                if matches!(e.kind, ElementKind::Resource | ElementKind::Output) {
                    // A template read from a file had its `Fn::Sub` names checked by the reader
                    // (`template-structure`); what synth built is checked here.
                    let subs: Option<&dyn Fn(&str) -> bool> = (s.source_bytes.is_none() && s.transform.is_none()).then_some(&is_name);
                    intrinsic_problems(functions, subs, &mut problems);
                }
                for p in problems {
                    let mut f = Finding::new(ID, Severity::Error, format!("{p}; CloudFormation refuses the template"), "correct the value as the message says").stack(&s.name).logical_id(&e.logical_id);
                    if !e.path.is_empty() {
                        f = f.path(&e.path);
                    }
                    out.push(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(t: serde_json::Value) -> Vec<String> {
        crate::checks::findings_of(&TemplateSections, &[("S", t)]).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn what_cloudformation_refuses_outside_properties_is_an_error() {
        let m = messages(json!({
            "Parameters": {
                "Env": {"Type": "String", "Default": "qa", "AllowedValues": ["dev", "prod"]},
                "Size": {"Type": "Number", "Default": 20, "MaxValue": 10},
                "Name": {"Type": "String", "Default": "has space", "AllowedPattern": "[a-z]+"},
                "Fine": {"Type": "CommaDelimitedList", "Default": "a,b", "AllowedValues": ["a", "b"]},
                "Whole": {"Type": "CommaDelimitedList", "Default": "c,d", "AllowedValues": ["a", "c,d"]}},
            "Conditions": {"One": {"Fn::And": [{"Fn::Equals": ["a", "a"]}]}},
            "Resources": {
                "P": {"Type": "AWS::IAM::Policy", "DeletionPolicy": "Explode", "Properties": {"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "Read it", "Effect": "Allow", "Resource": "*"}, {"Effect": "Maybe", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": [], "Resource": "*"}]}}},
                "R": {"Type": "AWS::IAM::Role", "Properties": {
                    "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                    "Policies": [
                        {"PolicyName": "fine", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}},
                        {"PolicyName": "empty", "PolicyDocument": {"Statement": {"Effect": "Deny", "Resource": "*"}}}]}},
                "U": {"Type": "AWS::IAM::User", "Properties": {"Policies": {"Ref": "Env"}}},
                "B": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b", "PolicyDocument": {"Statement": [{"Sid": "Spaces are fine here", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}}},
                "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Select": [2, ["a", "b"]]}, "TopicName": {"Fn::Sub": ["${Env}-${AWS::Region}-${T.TopicName}-${V}-${Nope}-${!Lit}", {"V": "v"}]}}}},
            "Outputs": {"L": {"Value": {"Fn::Split": [",", "a,b"]}}, "S": {"Value": "fine"}, "G": {"Value": {"Fn::GetStackOutput": {"StackName": "s", "OutputName": "o"}}}}}));
        let expect = [
            "parameter Env: its Default 'qa' is not one of its AllowedValues (dev, prod)",
            "parameter Size: its Default 20 is over its MaxValue 10",
            "parameter Name: its Default 'has space' does not match its AllowedPattern [a-z]+",
            "Fn::And has 1 conditions; it takes 2 to 10",
            "DeletionPolicy is 'Explode'; CloudFormation knows Delete, Retain, RetainExceptOnDelete, Snapshot",
            "PolicyDocument.Statement[0] has no Action or NotAction",
            "PolicyDocument.Statement[0].Sid is 'Read it'; an IAM policy's Sid may hold only letters and digits",
            "PolicyDocument.Statement[1].Effect is 'Maybe'; it must be Allow or Deny",
            "PolicyDocument.Statement[2] has no Action or NotAction",
            "Policies[1].PolicyDocument.Statement[0] has no Action or NotAction",
            "Fn::Select picks item 2 of a list of 2",
            "Fn::Sub names '${Nope}', which is neither one of its variables nor a name of this template",
            "output L: its Value is a list; an output's value must be a string",
        ];
        for e in expect {
            assert!(m.iter().any(|x| x.starts_with(e)), "missing '{e}' in {m:#?}");
        }
        assert_eq!(m.len(), expect.len(), "{m:#?}");
    }

    /// A default that is a function or an object is refused (cfn-lint's E2001); literals of
    /// any scalar kind and a list are not judged here.
    #[test]
    fn a_parameter_default_must_be_a_literal() {
        let m = messages(json!({
            "Parameters": {
                "Stage": {"Type": "String", "Default": "dev"},
                "FromRef": {"Type": "String", "Default": {"Ref": "Stage"}},
                "NoValue": {"Type": "Number", "Default": {"Ref": "AWS::NoValue"}},
                "Joined": {"Type": "String", "Default": {"Fn::Join": ["-", ["a", "b"]]}},
                "Object": {"Type": "String", "Default": {"a": "b"}},
                "Count": {"Type": "Number", "Default": 3},
                "Flag": {"Type": "String", "Default": true},
                "Listed": {"Type": "CommaDelimitedList", "Default": "a,b"}},
            "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}));
        assert_eq!(
            m,
            [
                "parameter FromRef: its Default is a function; a parameter's default must be a literal value; CloudFormation refuses the template",
                "parameter NoValue: its Default is a function; a parameter's default must be a literal value; CloudFormation refuses the template",
                "parameter Joined: its Default is a function; a parameter's default must be a literal value; CloudFormation refuses the template",
                "parameter Object: its Default is an object; a parameter's default must be a literal value; CloudFormation refuses the template",
            ]
        );
    }
}
