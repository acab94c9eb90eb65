//! The article-003 example (interface endpoints shared across VPCs through peering and Route 53
//! private zones): five stacks, snapshots, structure, deploy order, checks and cost, cfn-lint and
//! a moto deploy in dependency order.

mod common;
#[allow(dead_code)]
#[path = "../examples/shared_endpoints.rs"]
mod example;

use ironcdk::{App, Severity};
use serde_json::Value;

fn synth() -> ironcdk::Assembly {
    let app = App::new();
    example::shared_endpoints(&app).expect("the example builds");
    app.synth_in_memory().expect("the example synthesizes")
}

fn of_type<'a>(t: &'a Value, ty: &str) -> Vec<&'a Value> {
    t["Resources"].as_object().unwrap().values().filter(|r| r["Type"] == ty).collect()
}

/// Every template, reviewed by hand against the article (see the snapshot files).
#[test]
fn templates_match_reviewed_snapshots() {
    for s in synth().stacks {
        insta::assert_snapshot!(format!("{}.template.json", s.name), s.template_json);
    }
}

#[test]
fn endpoints_once_peering_both_ways_and_zones_in_every_environment() {
    let a = synth();
    let order: Vec<&str> = a.deploy_order().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(order, vec!["SharedNetwork", "Dev", "Stg", "Prd", "EndpointDns"]);
    let shared = a.stack("SharedNetwork").unwrap().template();
    let endpoints = of_type(&shared, "AWS::EC2::VPCEndpoint");
    assert_eq!(endpoints.len(), 6);
    assert!(endpoints.iter().all(|e| e["Properties"]["PrivateDnsEnabled"] == false), "the zones answer instead");
    let group = of_type(&shared, "AWS::EC2::SecurityGroup")[0];
    let mut from: Vec<&str> = group["Properties"]["SecurityGroupIngress"].as_array().unwrap().iter()
        .map(|r| { assert_eq!(r["FromPort"], 443); r["CidrIp"].as_str().unwrap() }).collect();
    from.sort();
    assert_eq!(from, vec!["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"], "HTTPS from each environment only");
    for (name, cidr) in [("Dev", "10.1.0.0/16"), ("Stg", "10.2.0.0/16"), ("Prd", "10.3.0.0/16")] {
        let t = a.stack(name).unwrap().template();
        assert_eq!(of_type(&t, "AWS::EC2::VPCPeeringConnection").len(), 1);
        let routes = of_type(&t, "AWS::EC2::Route");
        let to_shared = routes.iter().filter(|r| r["Properties"]["DestinationCidrBlock"] == "10.0.0.0/16").count();
        let back = routes.iter().filter(|r| r["Properties"]["DestinationCidrBlock"] == cidr && r["Properties"]["RouteTableId"]["Fn::ImportValue"].is_string()).count();
        assert_eq!((to_shared, back), (2, 2), "{name}: both sides, the shared side's tables imported");
    }
    let dns = a.stack("EndpointDns").unwrap().template();
    let zones = of_type(&dns, "AWS::Route53::HostedZone");
    let mut names: Vec<&str> = zones.iter().map(|z| {
        assert_eq!(z["Properties"]["VPCs"].as_array().unwrap().len(), 3, "every environment's VPC");
        z["Properties"]["Name"].as_str().unwrap()
    }).collect();
    names.sort();
    assert_eq!(names, vec![
        "api.ecr.ap-northeast-1.amazonaws.com.",
        "dkr.ecr.ap-northeast-1.amazonaws.com.",
        "ec2messages.ap-northeast-1.amazonaws.com.",
        "logs.ap-northeast-1.amazonaws.com.",
        "ssm.ap-northeast-1.amazonaws.com.",
        "ssmmessages.ap-northeast-1.amazonaws.com.",
    ]);
    let records: Vec<&str> = of_type(&dns, "AWS::Route53::RecordSet").iter().map(|r| r["Properties"]["Name"].as_str().unwrap()).collect();
    assert_eq!(records.len(), 12);
    assert!(records.contains(&"*.dkr.ecr.ap-northeast-1.amazonaws.com."), "the wildcard that resolves <account>.dkr.ecr...");
}

#[test]
fn no_error_finding_and_the_endpoints_are_paid_once() {
    let a = synth();
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error), "{:#?}", a.findings);
    let cost = a.cost.unwrap();
    let by: Vec<(&str, f64)> = cost.stacks.iter().map(|s| (s.stack.as_str(), s.monthly_usd)).collect();
    // 6 endpoints x 2 AZs x $0.014 x 730 h once, instead of in each of three environments; six
    // zones at $0.50; the environments' VPCs and peering are free.
    assert_eq!(by, vec![("SharedNetwork", 122.64), ("Dev", 0.0), ("Stg", 0.0), ("Prd", 0.0), ("EndpointDns", 3.0)]);
    assert!(cost.stacks.iter().all(|s| s.monthly_usd.is_sign_positive()), "no '-0.00' for a stack with no items");
    assert_eq!(cost.total_monthly_usd, 125.64);
    assert!(cost.alternatives.iter().all(|a| !a.title.contains("share")), "already shared: {:#?}", cost.alternatives);
}

#[test]
fn passes_cfn_lint_and_deploys_to_moto_in_order() {
    let out = common::temp_dir("shared-endpoints").join("cdk.out");
    let app = App::with_outdir(&out);
    example::shared_endpoints(&app).unwrap();
    let a = app.synth().unwrap();
    let Some(moto) = common::lint_and_deploy_in_order(&a) else { return };
    let zones = moto.aws(&["route53", "list-hosted-zones", "--query", "length(HostedZones)", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&zones.stdout).trim(), "6");
    let peerings = moto.aws(&["ec2", "describe-vpc-peering-connections", "--query", "length(VpcPeeringConnections)", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&peerings.stdout).trim(), "3");
}
