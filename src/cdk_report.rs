//! Findings in the shape of CDK's `validation-report.json` (what `cdk synth` writes for its
//! validation plugins, and what tools reading CDK's report read): one plugin report, `ironcdk`,
//! a violation per finding with the construct path, template file and logical ID it is about.
//! Acknowledged findings are left out, as CDK leaves out acknowledged annotations; the
//! conclusion is `failure` when an error remains.

use ironcdk::{Finding, PreparedApp, Severity};

/// The cloud assembly schema version CDK 2.276 writes in the report.
const REPORT_VERSION: &str = "55.0.0";

pub(crate) fn report(app: &PreparedApp, findings: &[Finding]) -> serde_json::Value {
    let open: Vec<&Finding> = findings.iter().filter(|f| f.acknowledged.is_none()).collect();
    let violations: Vec<serde_json::Value> = open
        .iter()
        .map(|f| {
            let stack = f.stack.as_deref().and_then(|n| app.stacks.iter().find(|s| s.name == n));
            let template = stack.and_then(|s| s.source_file.as_deref()).and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
            let mut construct = serde_json::Map::new();
            construct.insert("constructPath".into(), f.location().into());
            if let (Some(t), Some(id)) = (&template, &f.logical_id) {
                construct.insert("cloudFormationResource".into(), serde_json::json!({"templatePath": t, "logicalId": id}));
            }
            serde_json::json!({
                "ruleName": f.rule,
                "description": f.message,
                "suggestedFix": f.fix,
                "severity": match f.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" },
                "violatingConstructs": [serde_json::Value::Object(construct)],
            })
        })
        .collect();
    let failed = open.iter().any(|f| f.severity == Severity::Error);
    serde_json::json!({
        "version": REPORT_VERSION,
        "title": "Validation Report",
        "pluginReports": [{
            "pluginName": "ironcdk",
            "pluginVersion": env!("CARGO_PKG_VERSION"),
            "conclusion": if failed { "failure" } else { "success" },
            "violations": violations,
        }],
    })
}
