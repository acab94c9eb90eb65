//! Template comparison for the CDK parity test: the normalizations of
//! `tests/parity/normalizations.json` applied to both sides, then a resource-by-resource diff.
#![allow(dead_code)]

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The normalizations file.
pub fn normalizations_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity/normalizations.json")
}

pub fn normalizations() -> Value {
    let text = std::fs::read_to_string(normalizations_path()).expect("read normalizations.json");
    serde_json::from_str(&text).expect("normalizations.json is JSON")
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn path_of(resource: &Value) -> &str {
    resource.pointer("/Metadata/aws:cdk:path").and_then(Value::as_str).unwrap_or_default()
}

/// Whether a resource matches a selector (every key given must hold): `type`,
/// `logical_id_starts_with`, `properties` (each given property has the given value), and
/// `under` (a selector: the resource is in the construct of a resource it selects, the one
/// whose path is `<construct>/Resource`).
fn selects(selector: &Value, logical_id: &str, resource: &Value, all: &Map<String, Value>) -> bool {
    let ty = resource.get("Type").and_then(Value::as_str).unwrap_or_default();
    let path = path_of(resource);
    let checks: [(&str, &dyn Fn(&Value) -> bool); 4] = [
        ("type", &|want| want.as_str() == Some(ty)),
        ("logical_id_starts_with", &|want| want.as_str().is_some_and(|w| logical_id.starts_with(w))),
        ("properties", &|want| {
            want.as_object().is_some_and(|m| m.iter().all(|(k, v)| resource.pointer(&format!("/Properties/{k}")) == Some(v)))
        }),
        ("under", &|want| {
            all.iter().any(|(id, r)| {
                path_of(r).strip_suffix("/Resource").is_some_and(|parent| path.starts_with(&format!("{parent}/")) && path != path_of(r))
                    && selects(want, id, r, all)
            })
        }),
    ];
    checks.iter().all(|(key, check)| selector.get(*key).map_or(true, |want| check(want)))
}

/// The logical IDs of the resources `selector` selects.
fn selected(selector: &Value, resources: &Map<String, Value>) -> Vec<String> {
    resources.iter().filter(|(id, r)| selects(selector, id, r, resources)).map(|(id, _)| id.clone()).collect()
}

/// Removes `targets` from a resource's `DependsOn` (the key goes when nothing is left); true
/// when something was removed.
fn drop_depends_on(resource: &mut Map<String, Value>, targets: &[String]) -> bool {
    let named = |d: &Value| d.as_str().is_some_and(|s| targets.iter().any(|t| t == s));
    let keep: Option<Value> = match resource.get("DependsOn") {
        Some(d @ Value::String(_)) if named(d) => None,
        Some(Value::Array(a)) if a.iter().any(named) => {
            let left: Vec<Value> = a.iter().filter(|d| !named(d)).cloned().collect();
            (!left.is_empty()).then_some(Value::Array(left))
        }
        _ => return false,
    };
    match keep {
        Some(v) => resource.insert("DependsOn".into(), v),
        None => resource.shift_remove("DependsOn"),
    };
    true
}

/// Applies every normalization to `template`; returns the names of those that changed it.
pub fn normalize(template: &mut Value, normalizations: &Value) -> Vec<String> {
    let mut applied = Vec::new();
    let Some(list) = normalizations.get("normalizations").and_then(Value::as_array) else { return applied };
    for n in list {
        let name = n.get("name").and_then(Value::as_str).unwrap_or("unnamed").to_string();
        let mut changed = false;
        for (section, key) in [("Parameters", "remove_parameters"), ("Rules", "remove_rules"), ("Conditions", "remove_conditions"), ("Outputs", "remove_outputs")] {
            if let Some(m) = template.get_mut(section).and_then(Value::as_object_mut) {
                for id in strings(n.get(key)) {
                    changed |= m.shift_remove(id).is_some();
                }
                if m.is_empty() {
                    template.as_object_mut().map(|t| t.shift_remove(section));
                }
            }
        }
        let mut removed: Vec<String> = Vec::new();
        if let Some(resources) = template.get_mut("Resources").and_then(Value::as_object_mut) {
            for selector in n.get("remove_resources").and_then(Value::as_array).into_iter().flatten() {
                let ids = selected(selector, resources);
                for id in ids {
                    resources.shift_remove(&id);
                    removed.push(id);
                }
            }
            for rule in n.get("remove_properties").and_then(Value::as_array).into_iter().flatten() {
                let props = strings(rule.get("remove"));
                let Some(selector) = rule.get("of") else { continue };
                let ids = selected(selector, resources);
                for id in ids {
                    if let Some(p) = resources.get_mut(&id).and_then(|r| r.get_mut("Properties")).and_then(Value::as_object_mut) {
                        for prop in &props {
                            changed |= p.shift_remove(*prop).is_some();
                        }
                    }
                }
            }
            // `{"of": selector, "on": selector}`: DependsOn entries of the first naming the second.
            for rule in n.get("remove_depends_on").and_then(Value::as_array).into_iter().flatten() {
                let (Some(of), Some(on)) = (rule.get("of"), rule.get("on")) else { continue };
                let (targets, owners) = (selected(on, resources), selected(of, resources));
                for id in owners {
                    if let Some(o) = resources.get_mut(&id).and_then(Value::as_object_mut) {
                        changed |= drop_depends_on(o, &targets);
                    }
                }
            }
            for key in strings(n.get("remove_metadata")) {
                for r in resources.values_mut() {
                    if let Some(m) = r.get_mut("Metadata").and_then(Value::as_object_mut) {
                        changed |= m.shift_remove(key).is_some();
                    }
                }
            }
            // What named a removed resource in DependsOn no longer does.
            if !removed.is_empty() {
                changed = true;
                for r in resources.values_mut() {
                    if let Some(o) = r.as_object_mut() {
                        drop_depends_on(o, &removed);
                    }
                }
            }
        }
        if changed {
            applied.push(name);
        }
    }
    applied
}

/// One difference between two templates, for the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    OnlyCdk { section: String, id: String, what: String },
    OnlyOurs { section: String, id: String, what: String },
    Differs { section: String, id: String, pointer: String, cdk: String, ours: String },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::OnlyCdk { section, id, what } => write!(f, "{section}.{id}: only CDK has it ({what})"),
            Difference::OnlyOurs { section, id, what } => write!(f, "{section}.{id}: only ironcdk has it ({what})"),
            Difference::Differs { section, id, pointer, cdk, ours } => write!(f, "{section}.{id}{pointer}: CDK {cdk}, ironcdk {ours}"),
        }
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 { format!("{}...", s.chars().take(300).collect::<String>()) } else { s }
}

/// The first place two values differ, as a JSON pointer, with both sides.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<(String, String, String)> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some((format!("{at}/{k}"), short(va), "(absent)".into())),
                }
            }
            y.iter().find(|(k, _)| !x.contains_key(*k)).map(|(k, vb)| (format!("{at}/{k}"), "(absent)".into(), short(vb)))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (va, vb))| first_difference(va, vb, format!("{at}/{i}")))
        }
        _ if a == b => None,
        _ => Some((at, short(a), short(b))),
    }
}

/// Every difference between CDK's template and ours, section by section (both normalized).
pub fn diff(cdk: &Value, ours: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    let empty = Map::new();
    for section in ["Parameters", "Conditions", "Mappings", "Rules", "Resources", "Outputs"] {
        let a = cdk.get(section).and_then(Value::as_object).unwrap_or(&empty);
        let b = ours.get(section).and_then(Value::as_object).unwrap_or(&empty);
        let what = |v: &Value| v.get("Type").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| short(v));
        for (id, va) in a {
            match b.get(id) {
                None => out.push(Difference::OnlyCdk { section: section.into(), id: id.clone(), what: what(va) }),
                Some(vb) => {
                    if let Some((pointer, c, o)) = first_difference(va, vb, String::new()) {
                        out.push(Difference::Differs { section: section.into(), id: id.clone(), pointer, cdk: c, ours: o });
                    }
                }
            }
        }
        for (id, vb) in b {
            if !a.contains_key(id) {
                out.push(Difference::OnlyOurs { section: section.into(), id: id.clone(), what: what(vb) });
            }
        }
    }
    for key in ["Description", "Transform", "AWSTemplateFormatVersion"] {
        if cdk.get(key) != ours.get(key) {
            out.push(Difference::Differs { section: key.into(), id: String::new(), pointer: String::new(), cdk: cdk.get(key).map(short).unwrap_or_default(), ours: ours.get(key).map(short).unwrap_or_default() });
        }
    }
    out
}

/// Synthesizes a twin with aws-cdk-lib into `outdir` (node with `modules` on its path).
pub fn synth_twin(modules: &Path, twin: &Path, outdir: &Path) {
    synth_twin_with(modules, twin, outdir, &[]);
}

/// The same, with more environment variables for the twin.
pub fn synth_twin_with(modules: &Path, twin: &Path, outdir: &Path, env: &[(&str, &std::ffi::OsStr)]) {
    if let Err(e) = try_synth_twin_with(modules, twin, outdir, env) {
        panic!("{e}");
    }
}

/// The stacks aws-cdk-lib's synth-time validation (AWS's cloudformation-validate) refused, with
/// the rule's words, from the report it leaves in `outdir` when synth fails.
pub fn validation_refusals(outdir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(outdir.join("validation-report.json")) else { return out };
    let Ok(report) = serde_json::from_str::<Value>(&text) else { return out };
    let mut stack = vec![&report];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if m.get("severity").and_then(Value::as_str) == Some("error") {
                    for c in m.get("violatingConstructs").and_then(Value::as_array).into_iter().flatten() {
                        if let Some(t) = c.pointer("/cloudFormationResource/templatePath").and_then(Value::as_str) {
                            let name = t.trim_end_matches(".template.json").to_string();
                            let why = m.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
                            out.entry(name).or_insert(why);
                        }
                    }
                } else {
                    stack.extend(m.values());
                }
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    out
}

/// Synthesizes a twin; the error holds node's output.
pub fn try_synth_twin_with(modules: &Path, twin: &Path, outdir: &Path, env: &[(&str, &std::ffi::OsStr)]) -> Result<(), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity/synth.js");
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .arg(twin)
        .arg(outdir)
        .arg(normalizations_path())
        .env("NODE_PATH", modules)
        .env_remove("CDK_OUTDIR")
        .env_remove("CDK_CONTEXT_JSON");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().map_err(|e| format!("node: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{} failed:\n{}{}", twin.display(), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

/// Reads `<stack>.template.json` from an assembly directory.
pub fn read_template(dir: &Path, stack: &str) -> Value {
    let p = dir.join(format!("{stack}.template.json"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).expect("a template is JSON")
}

/// Compares every stack of two assemblies after normalizing both: (stack, differences), and how
/// many stacks each normalization touched.
pub fn compare_assemblies(cdk_dir: &Path, ours: &[(String, Value)]) -> (Vec<(String, Vec<Difference>)>, BTreeMap<String, usize>) {
    let norms = normalizations();
    let mut touched: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (stack, template) in ours {
        let mut cdk = read_template(cdk_dir, stack);
        let mut mine = template.clone();
        let mut names = normalize(&mut cdk, &norms);
        names.extend(normalize(&mut mine, &norms));
        names.sort();
        names.dedup();
        for n in names {
            *touched.entry(n).or_default() += 1;
        }
        out.push((stack.clone(), diff(&cdk, &mine)));
    }
    (out, touched)
}
