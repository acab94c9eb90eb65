//! `ironcdk check` on aws-cdk-lib 2.276's own output for ECS services on EC2 capacity (issue 22):
//! the instances behind an Auto Scaling group capacity provider (or joined to the cluster by
//! their user data) are where the load balancer's traffic and the image pull go.

mod common;
#[path = "parity/compare.rs"]
#[allow(dead_code)]
mod compare;

use std::path::Path;
use std::process::Command;

#[test]
fn check_judges_cdk_services_on_ec2_by_their_instances() {
    let Some(modules) = common::cdk_lib() else { return };
    let dir = common::temp_dir("ecs-on-ec2");
    compare::synth_twin(&modules, &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdk_apps/ecs_on_ec2.ts"), &dir);
    let errors = |stack: &str| -> Vec<String> {
        let out = Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(["check", "--format", "json"]).arg(dir.join(format!("{stack}.template.json"))).output().expect("ironcdk");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{stack}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        findings.iter().filter(|f| f["severity"] == "error").map(|f| format!("{} {}", f["rule"].as_str().unwrap_or_default(), f["message"].as_str().unwrap_or_default())).collect()
    };
    // CDK's trap: a bridge-mode service on an AsgCapacityProvider gets no rule letting the load
    // balancer reach the instances' dynamic ports (nor the host port in host mode).
    let e = errors("ProviderBridge");
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].starts_with("lb-to-target the security groups of the instances of") && e[0].contains("TCP 32768-65535"), "{}", e[0]);
    let e = errors("ProviderHost");
    assert!(e.len() == 1 && e[0].contains("do not admit TCP 80 from"), "{e:#?}");
    // Opened by hand, through addAutoScalingGroup's wiring, or in awsvpc mode: nothing wrong.
    for stack in ["ProviderOpened", "AddAutoScalingGroup", "ProviderAwsvpc"] {
        assert!(errors(stack).is_empty(), "{stack}: {:#?}", errors(stack));
    }
    // Instances in isolated subnets: no way to the image or for the ECS agent.
    let e = errors("IsolatedInstances");
    let pull: Vec<&String> = e.iter().filter(|m| m.starts_with("image-pull-path the EC2 instances of the service run in subnet")).collect();
    assert_eq!(pull.len(), 2, "one per subnet: {e:#?}");
    assert!(pull[0].contains("'ecs-agent' interface endpoint"), "{}", pull[0]);
}
