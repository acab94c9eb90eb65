//! `dependency-cycle`: resources of a template that reference or depend on each other in a circle.

use ironcdk_template::{Finding, PreparedApp, Severity};

use super::{name, Findings, Rule};
use crate::network::{Key, Network};
use ironcdk_template::value::Value;

/// The rule's id, as its findings carry it.
pub const ID: &str = "dependency-cycle";

/// `dependency-cycle`: resources of a template that reference or depend on each other in a circle.
pub struct DependencyCycle;

impl Rule for DependencyCycle {
    fn id(&self) -> &str {
        ID
    }
    fn check(&self, _net: &Network, app: &PreparedApp, out: &mut Vec<Finding>) {
        let mut out = Findings::new(app, out);
        dependency_cycles(app, &mut out);
    }
}

/// The resources a resource's entry names: `Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`, and
/// `DependsOn`.
fn references<'a>(s: &'a ironcdk_template::templates::PreparedStack, e: &'a ironcdk_template::templates::PreparedElement) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    let Value::Map(m) = &e.value else { return out };
    for (key, v) in m {
        if key == "DependsOn" {
            match v {
                Value::Str(d) => out.push(d),
                Value::List(items) => out.extend(items.iter().filter_map(Value::as_str)),
                _ => {}
            }
            continue;
        }
        walk_refs(s, v, &mut out);
    }
    out
}

/// The logical IDs `v` names by `Ref`, `Fn::GetAtt` and `${X}` in `Fn::Sub`.
fn walk_refs<'a>(s: &'a ironcdk_template::templates::PreparedStack, v: &'a Value, out: &mut Vec<&'a str>) {
    v.walk(&mut |x| {
        match x {
            Value::Ref(r) | Value::GetAtt(r, _) | Value::GetAttList(r, _) => out.extend(s.logical_id_of(r)),
            Value::Sub(text, vars) => {
                let mut rest = text.as_str();
                while let Some(start) = rest.find("${") {
                    let tail = rest.get(start.saturating_add(2)..).unwrap_or_default();
                    let Some(end) = tail.find('}') else { break };
                    let name = tail.get(..end).unwrap_or_default();
                    let name = name.split('.').next().unwrap_or_default();
                    if !name.starts_with('!') && !name.starts_with("AWS::") && vars.get(name).is_none() {
                        out.push(name);
                    }
                    rest = tail.get(end..).unwrap_or_default();
                }
            }
            _ => {}
        }
    });
}

/// CloudFormation refuses a template whose resources depend on each other in a circle
/// ("Circular dependency between resources"); found here with the resources named.
fn dependency_cycles(app: &PreparedApp, out: &mut Findings<'_>) {
    use std::collections::HashMap;
    for (si, s) in app.stacks.iter().enumerate() {
        let resources: Vec<&ironcdk_template::templates::PreparedElement> = s.resources().collect();
        let index: HashMap<&str, usize> = resources.iter().enumerate().map(|(i, e)| (e.logical_id.as_str(), i)).collect();
        let edges: Vec<Vec<usize>> = resources
            .iter()
            .map(|e| {
                let mut to: Vec<usize> = references(s, e).into_iter().filter_map(|id| index.get(id).copied()).collect();
                to.sort_unstable();
                to.dedup();
                to
            })
            .collect();
        // Iterative depth-first search: 0 unvisited, 1 on the path, 2 done.
        let mut state = vec![0u8; resources.len()];
        for start in 0..resources.len() {
            if state.get(start) != Some(&0) {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            if let Some(x) = state.get_mut(start) {
                *x = 1;
            }
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let target = edges.get(node).and_then(|t| t.get(*next)).copied();
                *next = next.saturating_add(1);
                match target {
                    None => {
                        if let Some(x) = state.get_mut(node) {
                            *x = 2;
                        }
                        path.pop();
                    }
                    Some(t) if state.get(t) == Some(&1) => {
                        // The circle: from `t` along the path back to `node`.
                        let at = path.iter().position(|(n, _)| *n == t).unwrap_or(0);
                        let names: Vec<String> = path
                            .iter()
                            .skip(at)
                            .filter_map(|(n, _)| resources.get(*n))
                            .map(|e| name(out.app, &Key { stack: si, logical_id: e.logical_id.clone() }))
                            .collect();
                        if let Some(first) = resources.get(t) {
                            let key = Key { stack: si, logical_id: first.logical_id.clone() };
                            out.at(
                                &key,
                                ID,
                                Severity::Error,
                                format!("resources depend on each other in a circle, which CloudFormation refuses: {} -> back to the first", names.join(" -> ")),
                                "break the circle: remove a DependsOn, or move a rule that names another resource into a resource of its own",
                            );
                        }
                    }
                    Some(t) if state.get(t) == Some(&0) => {
                        if let Some(x) = state.get_mut(t) {
                            *x = 1;
                        }
                        path.push((t, 0));
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_circle_of_references_is_named_in_order() {
        let t = json!({"Resources": {
            "A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["B", "TopicName"]}}},
            "B": {"Type": "AWS::SNS::Topic", "DependsOn": "C"},
            "C": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${A}"}}},
            "D": {"Type": "AWS::SNS::Topic", "DependsOn": ["A"]}}});
        let f = crate::checks::findings_of(&DependencyCycle, &[("S", t)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("S/A -> S/B -> S/C -> back to the first"), "{}", f[0].message);
    }

    #[test]
    fn a_chain_and_sub_variables_of_its_own_are_no_circle() {
        let t = json!({"Resources": {
            "A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": ["${A}", {"A": "x"}]}}},
            "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"}}});
        assert!(crate::checks::findings_of(&DependencyCycle, &[("S", t)]).is_empty());
    }
}
