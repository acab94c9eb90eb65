//! Findings as SARIF 2.1.0 (the Static Analysis Results Interchange Format GitHub code
//! scanning reads): one run, a result per finding at the template file and the line of its
//! resource, acknowledged findings as suppressed results with their reason.

use ironcdk::{Finding, PreparedApp, Severity};

/// The line (1-based) where `logical_id` is declared in a template's text: the first line
/// that starts with it as a key (`"Id":` in JSON, `Id:` in YAML).
fn line_of(text: &str, logical_id: &str) -> Option<usize> {
    let json_key = format!("\"{logical_id}\"");
    text.lines().position(|l| {
        let l = l.trim_start();
        let rest = l.strip_prefix(json_key.as_str()).or_else(|| l.strip_prefix(logical_id));
        rest.is_some_and(|r| r.trim_start().starts_with(':'))
    })
    .map(|i| i.saturating_add(1))
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log of `findings` about `app`, whose rules are `rules`.
pub(crate) fn report(app: &PreparedApp, findings: &[Finding], rules: &[&str]) -> serde_json::Value {
    // Each template's text, read again only to place results on lines (bounded as at load).
    let texts: Vec<Option<String>> = app
        .stacks
        .iter()
        .map(|s| s.source_file.as_deref().and_then(|p| ironcdk::load::read_text(p, ironcdk::load::MAX_FILE_BYTES).ok()))
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let stack = f.stack.as_deref().and_then(|n| app.stacks.iter().position(|s| s.name == n));
            let file = stack.and_then(|i| app.stacks.get(i)).and_then(|s| s.source_file.as_deref());
            let line = match (stack.and_then(|i| texts.get(i)).and_then(Option::as_deref), &f.logical_id) {
                (Some(text), Some(id)) => line_of(text, id),
                _ => None,
            };
            let mut location = serde_json::Map::new();
            if let Some(file) = file {
                let uri = file.to_string_lossy().replace('\\', "/");
                location.insert("physicalLocation".into(), serde_json::json!({"artifactLocation": {"uri": uri}, "region": {"startLine": line.unwrap_or(1)}}));
            }
            location.insert("logicalLocations".into(), serde_json::json!([{"fullyQualifiedName": f.location(), "kind": "resource"}]));
            let text = if f.fix.is_empty() { f.message.clone() } else { format!("{} Fix: {}", f.message, f.fix) };
            let mut result = serde_json::Map::new();
            result.insert("ruleId".into(), f.rule.clone().into());
            result.insert("level".into(), level(f.severity).into());
            result.insert("message".into(), serde_json::json!({"text": text}));
            result.insert("locations".into(), serde_json::Value::Array(vec![serde_json::Value::Object(location)]));
            if let Some(reason) = &f.acknowledged {
                result.insert("suppressions".into(), serde_json::json!([{"kind": "inSource", "justification": reason}]));
            }
            serde_json::Value::Object(result)
        })
        .collect();
    let rules: Vec<serde_json::Value> = rules.iter().map(|r| serde_json::json!({"id": r, "shortDescription": {"text": r}})).collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ironcdk", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }],
    })
}
