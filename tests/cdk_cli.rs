//! The AWS CDK CLI as a tested client of our cloud assembly: `cdk ls` on a multi-stack
//! assembly, `cdk synth --app <example binary>`, and `cdk deploy --all --app cdk.out` against a
//! local moto server. The CLI is the pinned `aws-cdk` npm package `cargo xtask test` installs.
//!
//! What moto cannot check: it creates no real network, so the deploy proves that the CLI reads
//! the assembly, orders the stacks, and that CloudFormation accepts the templates and resolves
//! the export/import; not that anything inside would run.

mod common;

use ironcdk::{ec2, fns, App, Stack};
use std::path::Path;
use std::process::Output;

fn cdk(args: &[&str], cwd: &Path, endpoint: Option<&str>) -> Option<Output> {
    common::cdk_run(args, cwd, endpoint)
}

/// Three stacks created consumer first: App uses Sec's group and Net's VPC, Sec uses Net's VPC.
fn three_stacks_consumer_first(outdir: &Path) -> App {
    let app = App::with_outdir(outdir);
    let consumer = Stack::new(&app, "App").unwrap();
    let sec = Stack::new(&app, "Sec").unwrap();
    let net = Stack::new(&app, "Net").unwrap();
    let vpc = ec2::CfnVpc::new(&net, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let sg = ec2::CfnSecurityGroup::new(&sec, "Sg", ec2::CfnSecurityGroupProps::new("endpoints").vpc_id(vpc.ref_())).unwrap();
    ec2::CfnSubnet::new(&consumer, "Subnet", ec2::CfnSubnetProps::new(vpc.ref_()).cidr_block("10.0.0.0/24")).unwrap();
    ironcdk::ssm::CfnParameter::new(
        &consumer,
        "Group",
        ironcdk::ssm::CfnParameterProps::new(ironcdk::ssm::cfn_parameter::ParameterType::String, sg.attr_group_id()),
    )
    .unwrap();
    app
}

#[test]
fn cdk_ls_lists_the_stacks_in_dependency_order() {
    let dir = common::temp_dir("cdk-ls");
    let a = three_stacks_consumer_first(&dir.join("cdk.out")).synth().unwrap();
    assert_eq!(a.stacks.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["App", "Sec", "Net"]);
    let Some(out) = cdk(&["ls", "--app", "cdk.out"], &dir, None) else { return };
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().collect::<Vec<_>>(), ["Net", "Sec", "App"]);
}

#[test]
fn cdk_synth_runs_the_example_binary_as_its_app() {
    let example = common::root().join("target/debug/examples/isolated_api");
    let Some(_) = common::cdk() else { return };
    assert!(example.exists(), "{} is built by `cargo test` (examples are test targets)", example.display());
    let dir = common::temp_dir("cdk-synth");
    let app = example.to_string_lossy().into_owned();
    let Some(out) = cdk(&["synth", "--app", &app, "--output", "out", "--json", "IsolatedApi"], &dir, None) else { return };
    // The CLI ran our binary with CDK_OUTDIR=out, read the manifest, and printed the template.
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cdk synth --json prints the template");
    assert_eq!(printed["Resources"].as_object().map(|r| r.len()), Some(31));
    let written = std::fs::read_to_string(dir.join("out/IsolatedApi.template.json")).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&written).unwrap(), printed);
    assert!(!dir.join("cdk.out").exists(), "the app wrote where the CLI told it to");
}

#[test]
fn cdk_deploy_all_deploys_an_exporting_and_an_importing_stack_to_moto() {
    let dir = common::temp_dir("cdk-deploy");
    let app = App::with_outdir(dir.join("cdk.out"));
    let net = Stack::new(&app, "Net").unwrap();
    let svc = Stack::new(&app, "Svc").unwrap();
    let vpc = ec2::CfnVpc::new(&net, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.9.0.0/16")).unwrap();
    ec2::CfnSubnet::new(
        &svc,
        "Subnet",
        ec2::CfnSubnetProps::new(vpc.ref_()).cidr_block("10.9.0.0/24").availability_zone(fns::select(0, fns::get_azs())),
    )
    .unwrap();
    let a = app.synth().unwrap();
    assert_eq!(a.stack("Svc").unwrap().dependencies, ["Net"]);
    let Some(_) = common::cdk() else { return };
    let Some(moto) = common::Moto::start() else { return };
    let Some(out) = cdk(&["deploy", "--all", "--app", "cdk.out", "--require-approval", "never"], &dir, Some(&moto.endpoint)) else { return };
    // The CLI logs to stderr, or to stdout when CI=true.
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let (net_at, svc_at) = (log.find("Net: deploying"), log.find("Svc: deploying"));
    assert!(net_at.is_some() && svc_at.is_some() && net_at < svc_at, "Net deploys before Svc:\n{log}");
    for stack in ["Net", "Svc"] {
        let status = moto.aws(&["cloudformation", "describe-stacks", "--stack-name", stack, "--query", "Stacks[0].StackStatus", "--output", "text"]);
        assert_eq!(String::from_utf8_lossy(&status.stdout).trim(), "CREATE_COMPLETE", "{stack}");
    }
    let subnet_vpc = moto.aws(&["ec2", "describe-subnets", "--filters", "Name=cidr-block,Values=10.9.0.0/24", "--query", "Subnets[0].VpcId", "--output", "text"]);
    let vpc_id = moto.aws(&["ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.9.0.0/16", "--query", "Vpcs[0].VpcId", "--output", "text"]);
    let subnet_vpc = String::from_utf8_lossy(&subnet_vpc.stdout).trim().to_string();
    assert!(subnet_vpc.starts_with("vpc-"), "{subnet_vpc}");
    assert_eq!(subnet_vpc, String::from_utf8_lossy(&vpc_id.stdout).trim(), "the import resolved to the exported VPC");
}
