//! AWS CDK as the oracle (issue 18): every example has a TypeScript twin in `tests/parity/cdk/`,
//! synthesized by the pinned aws-cdk-lib (2.276, with a new project's feature flags) and
//! compared with our output resource by resource, after the normalizations of
//! `tests/parity/normalizations.json`, each of which names the README difference it stands for.

mod common;
#[path = "parity/compare.rs"]
mod compare;

use ironcdk::App;
use serde_json::Value;
use std::path::Path;

/// Our templates of an app, by stack name.
fn ours(build: impl FnOnce(&App)) -> Vec<(String, Value)> {
    let app = App::new();
    build(&app);
    let a = app.synth_in_memory().expect("the example synthesizes");
    a.stacks.iter().map(|s| (s.name.clone(), serde_json::from_str(&s.template_json).expect("JSON"))).collect()
}

/// Synthesizes the twin and compares; panics listing every difference.
fn same_as_cdk(twin: &str, build: impl FnOnce(&App)) {
    let Some(modules) = common::cdk_lib() else { return };
    let dir = common::temp_dir(&format!("parity-{twin}"));
    compare::synth_twin(&modules, &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity/cdk").join(format!("{twin}.ts")), &dir);
    let (stacks, touched) = compare::compare_assemblies(&dir, &ours(build));
    eprintln!("{twin}: normalizations applied: {touched:?}");
    let report: Vec<String> = stacks.iter().flat_map(|(s, d)| d.iter().map(move |d| format!("{s}: {d}"))).collect();
    assert!(report.is_empty(), "{twin} differs from aws-cdk-lib's synth of its twin in {} places:\n{}", report.len(), report.join("\n"));
}

/// Each example against its twin: `twin!(example = "path")` includes the example and tests that
/// what its function of the same name builds is what `tests/parity/cdk/<example>.ts` builds.
macro_rules! twin {
    ($($example:ident = $path:literal),* $(,)?) => {
        $(
            #[allow(dead_code)]
            #[path = $path]
            mod $example;
        )*
        mod twins {
            $(
                #[test]
                fn $example() {
                    super::same_as_cdk(stringify!($example), |app| {
                        super::$example::$example(app).expect("the example builds");
                    });
                }
            )*
        }
    };
}

twin!(
    isolated_api = "../examples/isolated_api.rs",
    scheduled_task = "../examples/scheduled_task.rs",
    nlb_static_ip = "../examples/nlb_static_ip.rs",
    shared_endpoints = "../examples/shared_endpoints.rs",
    alb_virtual_host = "../examples/alb_virtual_host.rs",
    serverless_api = "../examples/serverless_api.rs",
    static_site = "../examples/static_site.rs",
    storage_pipeline = "../examples/storage_pipeline.rs",
    web_service = "../examples/web_service.rs",
);

/// README's list of differences and the normalizations file name the same differences, so
/// neither can drift: every bold bullet of "How the output differs from CDK's" is named by a
/// context setting, a normalization or a `not_normalized` entry, and every name is a bullet.
#[test]
fn readme_lists_exactly_the_differences_the_normalizations_name() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let section = readme.split("## How the output differs from CDK's").nth(1).and_then(|s| s.split("\n## ").next()).expect("the section");
    let mut bullets: Vec<String> = section.lines().filter_map(|l| l.strip_prefix("- **")).filter_map(|l| l.split("**").next()).map(str::to_string).collect();
    bullets.sort();
    bullets.dedup();
    let n = compare::normalizations();
    let mut named: Vec<String> = Vec::new();
    let entries = n["context"].as_object().into_iter().flat_map(|m| m.values())
        .chain(n["normalizations"].as_array().into_iter().flatten())
        .chain(n["not_normalized"].as_array().into_iter().flatten())
        .chain(n["deliberate_refusals"].as_array().into_iter().flatten());
    for e in entries {
        let d = e["difference"].as_str().unwrap_or_else(|| panic!("an entry names no difference: {e}"));
        assert!(e["why"].as_str().is_some_and(|w| !w.is_empty()), "{d}: no justification");
        named.push(d.to_string());
    }
    named.sort();
    named.dedup();
    assert_eq!(bullets, named, "README's differences (left) and tests/parity/normalizations.json's (right) differ");
}

/// The comparison itself: what a normalization removes is gone from both sides, and anything
/// else that differs is reported with both values.
#[test]
fn the_comparison_reports_what_differs_and_only_that() {
    let norms = compare::normalizations();
    let cdk = serde_json::json!({
        "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>"}},
        "Conditions": {"CDKMetadataAvailable": {"Fn::Equals": ["a", "a"]}},
        "Resources": {
            "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2"}},
            "Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 5}},
            "S": {"Type": "AWS::ECS::Service", "DependsOn": ["Q"]}}});
    let mut a = cdk.clone();
    let mut b = serde_json::json!({"Resources": {
        "Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 5}},
        "S": {"Type": "AWS::ECS::Service", "DependsOn": ["Q"]}}});
    let applied = compare::normalize(&mut a, &norms);
    assert_eq!(applied, ["bootstrap-version", "cdk-metadata"]);
    compare::normalize(&mut b, &norms);
    assert_eq!(compare::diff(&a, &b), []);
    b["Resources"]["Q"]["Properties"]["DelaySeconds"] = 6.into();
    b["Resources"]["T"] = serde_json::json!({"Type": "AWS::SNS::Topic"});
    let d: Vec<String> = compare::diff(&a, &b).iter().map(ToString::to_string).collect();
    assert_eq!(d, ["Resources.Q/Properties/DelaySeconds: CDK 5, ironcdk 6", "Resources.T: only ironcdk has it (AWS::SNS::Topic)"]);
}
