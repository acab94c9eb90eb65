//! Synth and `ironcdk check` cannot disagree: the check, run on what synth wrote, gives every
//! finding synth gave (rule, severity, place, message, fix and acknowledgement) and the same
//! verdict. Acknowledgements travel in each resource's `Metadata`, so the check honours them.

mod common;

#[allow(dead_code)]
#[path = "../examples/alb_virtual_host.rs"]
mod alb_virtual_host;
#[allow(dead_code)]
#[path = "../examples/isolated_api.rs"]
mod isolated_api;
#[allow(dead_code)]
#[path = "../examples/nlb_static_ip.rs"]
mod nlb_static_ip;
#[allow(dead_code)]
#[path = "../examples/scale.rs"]
mod scale;
#[allow(dead_code)]
#[path = "../examples/scheduled_task.rs"]
mod scheduled_task;
#[allow(dead_code)]
#[path = "../examples/shared_endpoints.rs"]
mod shared_endpoints;
#[allow(dead_code)]
#[path = "../examples/static_site.rs"]
mod static_site;
#[allow(dead_code)]
#[path = "../examples/storage_pipeline.rs"]
mod storage_pipeline;
#[allow(dead_code)]
#[path = "../examples/web_service.rs"]
mod web_service;

use std::path::Path;

use ironcdk::ec2::{SubnetConfiguration, SubnetType, Vpc, VpcProps};
use ironcdk::ecs::{Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps};
use ironcdk::{App, AsScope, Finding, Severity, Stack};

fn check(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ironcdk"))
        .args(["check", dir.to_str().unwrap(), "--format", "json"])
        .args(extra)
        .output()
        .expect("run ironcdk");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A finding as `ironcdk check --format json` lists it.
fn as_listed(f: &Finding) -> serde_json::Value {
    serde_json::json!({
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "stack": f.stack,
        "logical_id": f.logical_id,
        "path": f.path,
        "message": f.message,
        "fix": f.fix,
        "acknowledged": f.acknowledged,
    })
}

/// Synthesizes `build` into a fresh directory, checks the output, and asserts both agree.
fn agrees(name: &str, build: impl FnOnce(&App), extra: &[&str]) -> (Vec<Finding>, std::path::PathBuf) {
    let dir = common::temp_dir(&format!("agree-{name}")).join("cdk.out");
    let app = App::with_outdir(&dir);
    build(&app);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{name}: {e}"));
    let (code, json, stderr) = check(&dir, extra);
    let expected: Vec<serde_json::Value> = assembly.findings.iter().map(as_listed).collect();
    assert_eq!(json["findings"].as_array().cloned().unwrap_or_default(), expected, "{name}: {stderr}");
    assert_eq!(code, Some(0), "{name}: synth passed, so the check passes: {stderr}");
    (assembly.findings, dir)
}

#[test]
fn every_example_checks_as_it_synthesized() {
    let (f, _) = agrees("alb", |a| drop(alb_virtual_host::alb_virtual_host(a).unwrap()), &["--parameter", &format!("AlbVirtualHost.ProdVpcCidr={}", alb_virtual_host::PROD_VPC_CIDR)]);
    assert!(!f.is_empty());
    let (f, _) = agrees("isolated", |a| drop(isolated_api::isolated_api(a).unwrap()), &[]);
    assert_eq!(f.iter().filter(|f| f.acknowledged.is_some()).count(), 2, "{f:#?}");
    let (f, _) = agrees("nlb", |a| drop(nlb_static_ip::nlb_static_ip(a).unwrap()), &[]);
    assert!(f.iter().any(|f| f.acknowledged.is_some()), "{f:#?}");
    agrees("scheduled", |a| drop(scheduled_task::scheduled_task(a).unwrap()), &[]);
    agrees("shared", |a| drop(shared_endpoints::shared_endpoints(a).unwrap()), &[]);
    agrees("scale", |a| assert!(scale::build(a, 300).unwrap() > 0), &[]);
    agrees("static", |a| drop(static_site::static_site(a).unwrap()), &[]);
    agrees("storage", |a| drop(storage_pipeline::storage_pipeline(a).unwrap()), &[]);
    let (f, _) = agrees("web", |a| drop(web_service::web_service(a).unwrap()), &[]);
    assert!(f.iter().any(|f| f.rule == "nat-gateway"), "{f:#?}");
}

/// A Fargate service in isolated subnets pulling a public image: an `image-pull-path` error per
/// subnet, acknowledged on the service when `reason` is given.
fn isolated_public_image(app: &App, reason: Option<&str>) {
    let stack = Stack::new(app, "Svc").unwrap();
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("App", SubnetType::PrivateIsolated)])).unwrap();
    let td = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new()).unwrap();
    td.add_container("web", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"))).unwrap();
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let svc = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &td)).unwrap();
    if let Some(reason) = reason {
        svc.scope().acknowledge("image-pull-path", reason).unwrap();
    }
}

#[test]
fn an_acknowledged_error_passes_synth_and_check_alike() {
    let reason = "a pull-through cache inside the VPC serves this image";
    let (f, dir) = agrees("acknowledged-error", |a| isolated_public_image(a, Some(reason)), &[]);
    let errors: Vec<&Finding> = f.iter().filter(|f| f.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 2, "one per subnet: {f:#?}");
    assert!(errors.iter().all(|e| e.rule == "image-pull-path" && e.acknowledged.as_deref() == Some(reason)), "{errors:#?}");

    // Text output says what was acknowledged, and still exits 0.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(["check", dir.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(&format!("(acknowledged: {reason})")) && text.contains("(2 acknowledged)"), "{text}");

    // The acknowledgement is the template's: without it in the Metadata the check fails.
    let template = dir.join("Svc.template.json");
    let written = std::fs::read_to_string(&template).unwrap();
    assert!(written.contains("ironcdk:acknowledged"));
    std::fs::write(&template, written.replace("ironcdk:acknowledged", "something:else")).unwrap();
    let (code, json, _) = check(&dir, &[]);
    assert_eq!(code, Some(1));
    assert!(json["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "image-pull-path" && f["acknowledged"].is_null()), "{json}");

    // And without the acknowledgement, synth refuses.
    let app = App::with_outdir(common::temp_dir("agree-unacknowledged").join("cdk.out"));
    isolated_public_image(&app, None);
    let err = app.synth().unwrap_err().to_string();
    assert!(err.contains("image-pull-path"), "{err}");
}
