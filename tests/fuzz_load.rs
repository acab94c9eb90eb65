//! Property: for any template, JSON or YAML, well-formed or mutated, reading it and running the
//! whole analysis (every rule and the cost report) never panics: the reader either refuses it
//! with a message naming the file, or `analyze` returns findings. Random templates are built from
//! the vocabulary the rules read (resource types of the network model, intrinsics, references
//! to declared and undeclared names), so that the model's code paths are reached, not only the
//! parser's. The test command runs 256 templates; run longer with
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz_load`.

mod common;

use proptest::prelude::*;
use serde_json::{json, Map, Value};

const TYPES: &[&str] = &[
    "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::Route",
    "AWS::EC2::NatGateway", "AWS::EC2::EIP", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::VPCEndpoint",
    "AWS::EC2::VPCPeeringConnection", "AWS::EC2::Instance", "AWS::EC2::LaunchTemplate", "AWS::ECS::Cluster", "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition", "AWS::ECS::CapacityProvider", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::ElasticLoadBalancing::LoadBalancer",
    "AWS::Route53::HostedZone", "AWS::Route53::RecordSet", "AWS::Events::Rule", "AWS::Logs::LogGroup", "AWS::ECR::Repository",
    "AWS::Lambda::Function", "AWS::SNS::Topic", "Custom::Thing", "",
];

const KEYS: &[&str] = &[
    "VpcId", "SubnetId", "Subnets", "SubnetIds", "CidrBlock", "CidrIp", "SecurityGroups", "SecurityGroupIds", "SecurityGroupIngress",
    "FromPort", "ToPort", "IpProtocol", "RouteTableId", "NatGatewayId", "VpcPeeringConnectionId", "PeerVpcId", "DestinationCidrBlock",
    "ServiceName", "VpcEndpointType", "PrivateDnsEnabled", "RouteTableIds", "LaunchType", "CapacityProviderStrategy", "CapacityProvider",
    "Weight", "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp", "LoadBalancers", "TargetGroupArn", "ContainerPort",
    "TaskDefinition", "ContainerDefinitions", "Image", "Name", "LogConfiguration", "Secrets", "Cpu", "Memory", "Type", "Scheme",
    "SubnetMappings", "AllocationId", "Port", "Protocol", "HealthCheckPort", "TargetType", "DefaultActions", "ListenerArn", "Priority",
    "Actions", "Conditions", "LoadBalancerArn", "VPCs", "HostedZoneId", "AliasTarget", "ScheduleExpression", "Targets", "EcsParameters",
    "AvailabilityZone", "DesiredCount", "Export", "Value", "LaunchTemplateData", "PrivateIPv4Address", "PrivateIpAddress",
    "DestinationPrefixListId", "VPCId",
];

const NAMES: &[&str] = &["A", "B", "C", "Vpc", "Sub", "Sg", "Nat", "Svc", "Task", "Lb", "Tg", "Missing"];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-70000i64..70000).prop_map(Value::from),
        prop_oneof![Just(0.5f64), Just(f64::MAX), Just(-0.0)].prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "10.0.0.0/16", "10.0.1.0/24", "0.0.0.0/0", "::/0", "tcp", "-1", "FARGATE", "FARGATE_SPOT", "internal", "internet-facing", "network",
            "application", "ip", "awsvpc", "bridge", "com.amazonaws.us-east-1.ecr.dkr", "ecr.api", "Interface", "Gateway", "us-east-1a",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1", "public.ecr.aws/nginx/nginx:1", "rate(5 minutes)", "cron(0 0 ? * 6#3 *)",
            "cron(bad)", "awslogs", "ENABLED", "${A}", "${Missing.Arn}", "${", "",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner.clone()), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
            prop::sample::select(NAMES).prop_map(|n| json!({"Ref": n})),
            prop::sample::select(vec!["AWS::Region", "AWS::NoValue", "AWS::AccountId", "AWS::Nope"]).prop_map(|n| json!({"Ref": n})),
            (prop::sample::select(NAMES), prop::sample::select(vec!["Arn", "GroupId", "CidrBlock", "AllocationId"])).prop_map(|(n, a)| json!({"Fn::GetAtt": [n, a]})),
            inner.clone().prop_map(|v| json!({"Fn::Sub": ["${A}-${x}", {"x": v}]})),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"Fn::If": ["Cond", a, b]})),
            (inner.clone(), 0u32..4).prop_map(|(v, i)| json!({"Fn::Select": [i, v]})),
            inner.clone().prop_map(|v| json!({"Fn::Join": ["", [v, "x"]]})),
            inner.clone().prop_map(|v| json!({"Fn::ImportValue": v})),
            inner.prop_map(|v| json!({"Fn::GetStackOutput": {"StackName": "Other", "OutputName": v}})),
        ]
    })
}

fn resource() -> impl Strategy<Value = Value> {
    (prop::sample::select(TYPES), value(), prop::option::of(prop::sample::select(NAMES))).prop_map(|(t, props, dep)| {
        let mut r = Map::new();
        r.insert("Type".into(), if t.is_empty() { json!(5) } else { json!(t) });
        r.insert("Properties".into(), props);
        if let Some(d) = dep {
            r.insert("DependsOn".into(), json!(d));
        }
        Value::Object(r)
    })
}

fn template() -> impl Strategy<Value = Value> {
    (prop::collection::vec((prop::sample::select(NAMES), resource()), 0..10), prop::option::of(value()), any::<bool>()).prop_map(|(rs, output, cond)| {
        let mut t = Map::new();
        t.insert("Resources".into(), Value::Object(rs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
        if let Some(o) = output {
            t.insert("Outputs".into(), json!({"Out": {"Value": o, "Export": {"Name": "shared"}}}));
        }
        if cond {
            t.insert("Conditions".into(), json!({"Cond": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}}));
        }
        Value::Object(t)
    })
}

/// A template as YAML text, the way CloudFormation users write it (flow style for nesting).
fn yaml(v: &Value) -> String {
    // JSON is YAML; the short forms are what YAML adds, so some intrinsics become tags.
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.replace("{\"Ref\": ", "!Ref ").replace("\"Fn::GetAtt\": ", "\"GetAtt\": ")
}

/// Reads the text as a file and runs everything on it; the reader may refuse it, nothing may
/// panic.
fn check(dir: &std::path::Path, name: &str, text: &[u8]) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    match ironcdk::load::load_paths(std::slice::from_ref(&path)) {
        Ok(app) => {
            let outcome = ironcdk::analysis::analyze(&app, &ironcdk::analysis::Options::new());
            assert!(outcome.cost.total_monthly_usd.is_finite() && outcome.cost.total_monthly_usd >= 0.0, "money: {}", outcome.cost.total_monthly_usd);
            for f in &outcome.findings {
                assert!(!f.rule.is_empty() && !f.message.is_empty(), "{f:?}");
            }
        }
        Err(e) => assert!(e.to_string().contains(name), "the refusal names the file: {e}"),
    }
}

/// The number of cases: `PROPTEST_CASES`, or 256.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

proptest! {
    // PROPTEST_CASES sets the count (256 by default); an explicit `cases` would override it.
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_template_is_read_and_analysed_or_refused_without_a_panic(
        t in template(),
        cut in 0usize..4000,
        flips in prop::collection::vec((0usize..4000, any::<u8>()), 0..6),
    ) {
        let dir = common::temp_dir("fuzz-load");
        let json_text = serde_json::to_vec(&t).unwrap();
        check(&dir, "t.json", &json_text);
        let yaml_text = yaml(&t).into_bytes();
        check(&dir, "t.yaml", &yaml_text);
        // Mutated: cut short, and bytes overwritten.
        for (base, name) in [(&json_text, "m.json"), (&yaml_text, "m.yaml")] {
            let mut m = base.clone();
            m.truncate(cut.min(m.len()));
            for (at, b) in &flips {
                if let Some(x) = m.get_mut(*at) {
                    *x = *b;
                }
            }
            check(&dir, name, &m);
        }
    }
}
