//! The article-000 example (a Fargate Spot service as a virtual host behind an existing ALB,
//! over VPC peering): snapshot, structure, imports, listener rules, capacity providers, checks
//! and cost, cfn-lint and moto (with the "production" side created first, as it exists before
//! the stack).

mod common;
#[allow(dead_code)]
#[path = "../examples/alb_virtual_host.rs"]
mod example;

use ironcdk::ec2::{
    Peer, Port, SecurityGroup, SecurityGroupImportProps, SecurityGroupProps, SubnetAttributes, SubnetSelection, Vpc, VpcAttributes,
    VpcPeeringConnection, VpcPeeringConnectionProps, VpcProps,
};
use ironcdk::ecs::{
    CapacityProvider, CapacityProviderStrategy, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps,
    FargateTaskDefinition, FargateTaskDefinitionProps, PortMapping,
};
use ironcdk::elasticloadbalancingv2::{
    ApplicationListener, ApplicationListenerAttributes, ApplicationListenerRule, ApplicationListenerRuleProps, ApplicationTargetGroup,
    ApplicationTargetGroupProps, ListenerCondition, TargetType,
};
use ironcdk::{App, Severity, Stack};
use serde_json::{json, Value};

fn synth() -> ironcdk::Assembly {
    let app = App::new();
    example::alb_virtual_host(&app).expect("the example builds");
    app.synth_in_memory().expect("the example synthesizes")
}

/// The whole template, reviewed by hand against the article (see the snapshot file).
#[test]
fn template_matches_reviewed_snapshot() {
    insta::assert_snapshot!("AlbVirtualHost.template.json", synth().stacks[0].template_json.clone());
}

#[test]
fn peering_routes_go_both_ways_including_the_imported_route_table() {
    let t = synth().stacks[0].template();
    let routes: Vec<(Value, Value)> = common::of_type(&t, "AWS::EC2::Route")
        .into_iter()
        .filter(|(_, r)| r["Properties"].get("VpcPeeringConnectionId").is_some())
        .map(|(_, r)| (r["Properties"]["RouteTableId"].clone(), r["Properties"]["DestinationCidrBlock"].clone()))
        .collect();
    assert_eq!(routes, vec![
        (json!({"Ref": "VpcPublicSubnet1RouteTable6C95E38E"}), json!({"Ref": "ProdVpcCidr"})),
        (json!({"Ref": "VpcPublicSubnet2RouteTable94F7E489"}), json!({"Ref": "ProdVpcCidr"})),
        (json!({"Ref": "ProdRouteTableId"}), json!("10.1.0.0/16")),
    ]);
    let (_, peering) = common::of_type(&t, "AWS::EC2::VPCPeeringConnection")[0];
    assert_eq!(peering["Properties"], json!({"PeerVpcId": {"Ref": "ProdVpcId"}, "VpcId": {"Ref": "Vpc8378EB38"}}));
    // Nothing is created for what is imported.
    assert!(common::of_type(&t, "AWS::EC2::VPC").len() == 1 && common::of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer").is_empty());
    assert!(common::of_type(&t, "AWS::ElasticLoadBalancingV2::Listener").is_empty() && common::of_type(&t, "AWS::EC2::NatGateway").is_empty());
}

#[test]
fn the_service_is_a_spot_virtual_host_behind_the_existing_listener() {
    let t = synth().stacks[0].template();
    let (rule_id, rule) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::ListenerRule")[0];
    assert_eq!(rule["Properties"], json!({
        "Actions": [{"TargetGroupArn": {"Ref": "TargetGroup3D7CD9B8"}, "Type": "forward"}],
        "Conditions": [{"Field": "host-header", "HostHeaderConfig": {"Values": ["hoge.example.com"]}}],
        "ListenerArn": {"Ref": "ProdListenerArn"},
        "Priority": 10
    }));
    let (_, tg) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::TargetGroup")[0];
    // In the ALB's VPC; the targets are task IPs across the peering.
    assert_eq!(tg["Properties"]["VpcId"], json!({"Ref": "ProdVpcId"}));
    assert_eq!((tg["Properties"]["TargetType"].as_str(), tg["Properties"]["Protocol"].as_str()), (Some("ip"), Some("HTTP")));
    assert_eq!(tg["Properties"]["TargetGroupAttributes"], json!([{"Key": "stickiness.enabled", "Value": "false"}]));

    let (_, service) = common::of_type(&t, "AWS::ECS::Service")[0];
    let p = &service["Properties"];
    assert_eq!(p["CapacityProviderStrategy"], json!([{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]));
    assert!(p.get("LaunchType").is_none(), "a strategy replaces the launch type");
    let (assoc_id, assoc) = common::of_type(&t, "AWS::ECS::ClusterCapacityProviderAssociations")[0];
    assert_eq!(assoc_id, "Cluster3DA9CCBA", "CDK's id: the cluster's own id under it");
    assert_eq!(assoc["Properties"]["CapacityProviders"], json!(["FARGATE", "FARGATE_SPOT"]));
    assert_eq!(assoc["Properties"]["DefaultCapacityProviderStrategy"], json!([]));
    let deps = service["DependsOn"].as_array().unwrap();
    assert!(deps.contains(&json!(assoc_id)) && deps.contains(&json!(rule_id)), "{deps:?}");

    // The tasks admit 8080 from the ALB's group, once the peering (and its routes) exist.
    let (_, ingress) = common::of_type(&t, "AWS::EC2::SecurityGroupIngress")[0];
    assert_eq!(ingress["Properties"]["SourceSecurityGroupId"], json!({"Ref": "ProdAlbSecurityGroupId"}));
    assert_eq!((ingress["Properties"]["FromPort"].as_i64(), ingress["Properties"]["ToPort"].as_i64()), (Some(8080), Some(8080)));
    assert_eq!(ingress["Properties"]["Description"], "Load balancer to target");
    assert!(ingress["DependsOn"].as_array().unwrap().contains(&json!("ToProd8B41F5E9")));
}

#[test]
fn no_error_finding_the_peering_is_unverifiable_and_spot_is_priced() {
    let a = synth();
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error), "{:#?}", a.findings);
    // Production's route table is a parameter: whose VPC it is, the template cannot say.
    let peering: Vec<_> = a.findings.iter().filter(|f| f.rule == "peering-routes").collect();
    assert_eq!(peering.len(), 1);
    assert_eq!(peering[0].severity, Severity::Info);
    assert!(peering[0].message.starts_with("cannot verify"), "{}", peering[0].message);
    let cost = a.cost.unwrap();
    let vcpu = cost.stacks[0].items.iter().find(|i| i.unit == "vCPU-hours").unwrap();
    // 0.25 vCPU x 730 h at Tokyo's $0.05056, 70% off on Spot.
    assert_eq!((vcpu.quantity, vcpu.unit_price_usd), (182.5, Some(0.015168)));
    assert!(vcpu.description.contains("100% on Spot"));
}

fn stack(app: &App) -> Stack {
    Stack::new(app, "S").unwrap()
}

fn task(stack: &Stack) -> FargateTaskDefinition {
    let task = FargateTaskDefinition::new(stack, "Task", FargateTaskDefinitionProps::new()).unwrap();
    let c = task.add_container("web", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/docker/library/nginx:stable"))).unwrap();
    c.add_port_mappings(PortMapping::tcp(80)).unwrap();
    task
}

#[test]
fn an_imported_vpc_serves_consumers_like_a_new_one() {
    let app = App::new();
    let s = stack(&app);
    let vpc = Vpc::from_attributes(&s, "Existing", VpcAttributes::new("vpc-00000123", "10.8.0.0/16").isolated_subnets(vec![
        SubnetAttributes::new("subnet-0000000a").availability_zone("us-east-1a").route_table_id("rtb-0000000a").ipv4_cidr_block("10.8.0.0/24"),
        SubnetAttributes::new("subnet-0000000b").availability_zone("us-east-1b").route_table_id("rtb-0000000b"),
    ])).unwrap();
    let picked = vpc.select_subnets(&SubnetSelection::default()).unwrap();
    assert_eq!(picked.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(), vec!["S/Existing/IsolatedSubnet1", "S/Existing/IsolatedSubnet2"]);
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    FargateService::new(&s, "Service", FargateServiceProps::new(&cluster, &task(&s))).unwrap();
    vpc.add_gateway_endpoint("S3", ironcdk::ec2::GatewayVpcEndpointOptions::new(ironcdk::ec2::GatewayVpcEndpointAwsService::S3)).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (_, service) = common::of_type(&t, "AWS::ECS::Service")[0];
    assert_eq!(service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"], json!(["subnet-0000000a", "subnet-0000000b"]));
    let (_, sg) = common::of_type(&t, "AWS::EC2::SecurityGroup")[0];
    assert_eq!(sg["Properties"]["VpcId"], "vpc-00000123");
    let (_, endpoint) = common::of_type(&t, "AWS::EC2::VPCEndpoint")[0];
    assert_eq!(endpoint["Properties"]["RouteTableIds"], json!(["rtb-0000000a", "rtb-0000000b"]));
    assert!(common::of_type(&t, "AWS::EC2::Subnet").is_empty() && common::of_type(&t, "AWS::EC2::VPC").is_empty(), "an import creates nothing");
}

#[test]
fn imports_are_checked_for_what_ec2_would_refuse() {
    let app = App::new();
    let s = stack(&app);
    let err = |r: ironcdk::Result<Vpc>| r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err(Vpc::from_attributes(&s, "BadRange", VpcAttributes::new("vpc-00000001", "10.8.0.0/33"))).starts_with("S/BadRange: imported VPC range"));
    let outside = Vpc::from_attributes(&s, "Outside", VpcAttributes::new("vpc-00000001", "10.8.0.0/16")
        .public_subnets(vec![SubnetAttributes::new("subnet-00000001").availability_zone("us-east-1a").ipv4_cidr_block("10.9.0.0/24")]));
    assert!(err(outside).contains("S/Outside/PublicSubnet1: subnet range 10.9.0.0/24 is outside the VPC's range 10.8.0.0/16"));
    let twice = Vpc::from_attributes(&s, "Twice", VpcAttributes::new("vpc-00000001", "10.8.0.0/16")
        .public_subnets(vec![SubnetAttributes::new("subnet-00000001").availability_zone("us-east-1a"), SubnetAttributes::new("subnet-00000001").availability_zone("us-east-1b")]));
    assert!(err(twice).contains("subnet subnet-00000001 is imported twice"));
    // Ids EC2 would not recognise are refused, naming the import.
    assert!(err(Vpc::from_attributes(&s, "NotAVpc", VpcAttributes::new("prod", "10.8.0.0/16"))).starts_with("S/NotAVpc: 'prod' is not a VPC id (vpc- then 8 or 17 lowercase hex digits"));
    // Not by the prefix alone: EC2 ids are 8 or 17 lowercase hex digits after it.
    for (i, bad) in ["vpc-xyz!", "vpc-0123456789abcdef0 ", "vpc-", "vpc-0123456789ABCDEF0", "vpc-012345678"].into_iter().enumerate() {
        let e = err(Vpc::from_attributes(&s, &format!("Bad{i}"), VpcAttributes::new(bad, "10.8.0.0/16")));
        assert!(e.contains(&format!("'{bad}' is not a VPC id")), "{bad:?}: {e}");
    }
    assert!(Vpc::from_attributes(&s, "Long", VpcAttributes::new("vpc-0123456789abcdef0", "10.8.0.0/16")).is_ok());
    let sg = |id: &str, group: &str| SecurityGroup::from_security_group_id(&s, id, group, SecurityGroupImportProps::new()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(sg("SgBare", "sg-").contains("'sg-' is not a security group id"));
    assert!(sg("SgSpace", "sg-0a1b2c3d ").contains("is not a security group id"));
    assert_eq!(sg("SgOk", "sg-0a1b2c3d"), "");
    let bad_subnet = Vpc::from_attributes(&s, "BadSubnet", VpcAttributes::new("vpc-00000001", "10.8.0.0/16").isolated_subnets(vec![SubnetAttributes::new("subnet-")]));
    assert!(err(bad_subnet).contains("S/BadSubnet/IsolatedSubnet1: 'subnet-' is not a subnet id"));
    let bad_table = Vpc::from_attributes(&s, "BadTable", VpcAttributes::new("vpc-00000001", "10.8.0.0/16").route_table_ids(vec!["main".into()]));
    assert!(err(bad_table).contains("'main' is not a route table id (rtb- then"));

    // Peering an import that overlaps, or routing through an imported subnet with no route table.
    let mine = Vpc::new(&s, "Mine", VpcProps::new().ip_addresses("10.8.128.0/17")).unwrap();
    let theirs = Vpc::from_attributes(&s, "Theirs", VpcAttributes::new("vpc-00000002", "10.8.0.0/16")).unwrap();
    let e = VpcPeeringConnection::new(&s, "Overlap", VpcPeeringConnectionProps::new(&mine, &theirs)).err().unwrap().to_string();
    assert!(e.contains("S/Overlap") && e.contains("overlap"), "{e}");
    let mine = Vpc::new(&s, "Mine2", VpcProps::new().ip_addresses("10.20.0.0/16")).unwrap();
    let no_table = Vpc::from_attributes(&s, "NoTable", VpcAttributes::new("vpc-00000003", "10.30.0.0/16")
        .public_subnets(vec![SubnetAttributes::new("subnet-00000009").availability_zone("us-east-1a")])).unwrap();
    let p = VpcPeeringConnection::new(&s, "Peer", VpcPeeringConnectionProps::new(&mine, &no_table)).unwrap();
    let e = p.add_routes(&SubnetSelection::default(), &SubnetSelection::default()).unwrap_err().to_string();
    assert!(e.contains("S/NoTable/PublicSubnet1 has no route table id") && e.contains("SubnetAttributes::route_table_id"), "{e}");
    let both = VpcPeeringConnection::new(&s, "Both", VpcPeeringConnectionProps::new(&theirs, &no_table)).err().unwrap().to_string();
    assert!(both.contains("both S/Theirs and S/NoTable are imported"), "{both}");
}

#[test]
fn imported_security_groups_get_rules_as_resources_and_cross_vpc_rules_need_peering() {
    let app = App::new();
    let s = stack(&app);
    let a = Vpc::new(&s, "A", VpcProps::new().ip_addresses("10.1.0.0/16")).unwrap();
    let b = Vpc::from_attributes(&s, "B", VpcAttributes::new("vpc-0000000b", "10.2.0.0/16")).unwrap();
    let theirs = SecurityGroup::from_security_group_id(&s, "Theirs", "sg-00000abc", SecurityGroupImportProps::new().vpc(&b)).unwrap();
    let mine = SecurityGroup::new(&s, "Mine", SecurityGroupProps::new(&a)).unwrap();
    // A rule naming another VPC's group needs a peering, which may come after the rule (the
    // result does not depend on the order of the calls); without one EC2 refuses the rule.
    mine.add_ingress_rule(Peer::security_group(&theirs), Port::tcp(80), None).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("S/Mine: a rule naming security group S/Theirs of VPC S/B") && e.contains("peer the two VPCs"), "{e}");
    VpcPeeringConnection::new(&s, "AB", VpcPeeringConnectionProps::new(&a, &b)).unwrap();
    // An imported group's range rule is a resource of its own, with CDK's id.
    theirs.add_ingress_rule(Peer::ipv4("10.1.0.0/16"), Port::tcp(443), None).unwrap();
    assert!(SecurityGroup::from_security_group_id(&s, "NotAnId", "web", SecurityGroupImportProps::new()).is_err());
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let ingress = common::of_type(&t, "AWS::EC2::SecurityGroupIngress");
    assert_eq!(ingress.len(), 2);
    let from_range = ingress.iter().find(|(_, r)| r["Properties"]["CidrIp"] == "10.1.0.0/16").unwrap();
    assert_eq!(from_range.1["Properties"]["GroupId"], "sg-00000abc");
    let cross = ingress.iter().find(|(_, r)| r["Properties"]["SourceSecurityGroupId"] == "sg-00000abc").unwrap();
    let (peering, _) = common::of_type(&t, "AWS::EC2::VPCPeeringConnection")[0];
    assert_eq!(cross.1["DependsOn"], json!([peering]), "waits for the peering");
}

fn listener(s: &Stack, id: &str) -> ApplicationListener {
    let group = SecurityGroup::from_security_group_id(s, &format!("{id}Sg"), "sg-0a1b2c3d", SecurityGroupImportProps::new()).unwrap();
    ApplicationListener::from_application_listener_attributes(s, id, ApplicationListenerAttributes::new(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod/0123456789abcdef/0123456789abcdef", &group)).unwrap()
}

#[test]
fn listener_rule_priorities_clash_and_conditions_elb_refuses_are_errors() {
    let app = App::new();
    let s = stack(&app);
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let l = listener(&s, "Listener");
    let tg = ApplicationTargetGroup::new(&s, "Tg", ApplicationTargetGroupProps::new(&vpc, 80).target_type(TargetType::Ip)).unwrap();
    let rule = |id: &str, priority: u32, conditions: Vec<ListenerCondition>| {
        ApplicationListenerRule::new(&s, id, ApplicationListenerRuleProps::new(&l, priority).conditions(conditions).target_groups(vec![tg.clone()]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(rule("First", 10, vec![ListenerCondition::host_headers(["a.example.com"])]), "");
    let clash = rule("Second", 10, vec![ListenerCondition::host_headers(["b.example.com"])]);
    assert!(clash.starts_with("S/Second: priority 10 is already taken by rule S/First on listener S/Listener"), "{clash}");
    // The same priority on another listener is fine.
    let other = listener(&s, "Other");
    assert!(ApplicationListenerRule::new(&s, "OnOther", ApplicationListenerRuleProps::new(&other, 10)
        .conditions(vec![ListenerCondition::path_patterns(["/api/*"])]).target_groups(vec![tg.clone()])).is_ok());
    let cases = [
        (rule("Zero", 0, vec![ListenerCondition::host_headers(["a.example.com"])]), "1 to 50,000"),
        (rule("None", 11, vec![]), "at least one condition"),
        (rule("Twice", 12, vec![ListenerCondition::host_headers(["a.example.com"]), ListenerCondition::host_headers(["b.example.com"])]), "given twice"),
        (rule("Six", 13, vec![ListenerCondition::host_headers(["a", "b", "c"]), ListenerCondition::path_patterns(["/1", "/2", "/3"])]), "6 values"),
        (rule("Space", 14, vec![ListenerCondition::host_headers(["a example.com"])]), "character"),
        (rule("Empty", 15, vec![ListenerCondition::path_patterns(Vec::<String>::new())]), "no values"),
        // ELB counts wildcards across a rule's values: five at most.
        (rule("Wild", 16, vec![ListenerCondition::host_headers(["*.a.*", "?b?"]), ListenerCondition::path_patterns(["/*/*"])]), "6 wildcards"),
    ];
    for (err, expected) in cases {
        assert!(err.contains(expected), "{err:?} should say {expected:?}");
    }
    assert_eq!(rule("FiveWild", 17, vec![ListenerCondition::host_headers(["*.a.*", "?b?"])]), "");
    let no_tg = ApplicationListenerRule::new(&s, "NoTarget", ApplicationListenerRuleProps::new(&l, 20).conditions(vec![ListenerCondition::path_patterns(["/x"])]));
    assert!(no_tg.err().unwrap().to_string().contains("needs a target group"));
    let bad_sg = SecurityGroup::from_security_group_id(&s, "BadSg", "sg-00000001", SecurityGroupImportProps::new()).unwrap();
    let imported = |id: &str, arn: &str| ApplicationListener::from_application_listener_attributes(&s, id, ApplicationListenerAttributes::new(arn, &bad_sg)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(imported("Bad", "arn:aws:elasticloadbalancing:us-east-1:1:listener/net/x/y/z").contains("is not an application load balancer listener ARN"));
    assert!(imported("Short", "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod/0123/4567").contains("is not an application load balancer listener ARN"));
    // A stack deploying to us-east-1 cannot put rules on a listener elsewhere.
    let east = Stack::with_props(&app, "East", ironcdk::StackProps::new().env(ironcdk::Environment::region("us-east-1"))).unwrap();
    let east_sg = SecurityGroup::from_security_group_id(&east, "Sg", "sg-00000001", SecurityGroupImportProps::new()).unwrap();
    let tokyo = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod/0123456789abcdef/0123456789abcdef";
    let elsewhere = ApplicationListener::from_application_listener_attributes(&east, "Tokyo", ApplicationListenerAttributes::new(tokyo, &east_sg)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(elsewhere.starts_with("East/Tokyo: listener") && elsewhere.contains("is in ap-northeast-1, and this stack deploys to us-east-1"), "{elsewhere}");
    assert_eq!(imported("AnyRegion", tokyo), "", "a stack without a region takes the listener's");
}

#[test]
fn a_service_registered_before_the_rule_still_waits_for_it_and_admits_the_alb() {
    let app = App::new();
    let s = stack(&app);
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let l = listener(&s, "Listener");
    let tg = ApplicationTargetGroup::new(&s, "Tg", ApplicationTargetGroupProps::new(&vpc, 80).target_type(TargetType::Ip)).unwrap();
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let service = FargateService::new(&s, "Service", FargateServiceProps::new(&cluster, &task(&s)).assign_public_ip(true)).unwrap();
    service.attach_to_application_target_group(&tg).unwrap();
    // Without a rule, synth says so.
    let e = app.synth_in_memory().err().unwrap().to_string();
    assert!(e.contains("no listener forwards to"), "{e}");
    ApplicationListenerRule::new(&s, "Rule", ApplicationListenerRuleProps::new(&l, 1)
        .conditions(vec![ListenerCondition::path_patterns(["/*"])]).target_groups(vec![tg])).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (_, svc) = common::of_type(&t, "AWS::ECS::Service")[0];
    assert!(svc["DependsOn"].as_array().unwrap().contains(&json!("Rule4C995B7F")), "{:?}", svc["DependsOn"]);
    assert_eq!(svc["Properties"]["LaunchType"], "FARGATE", "no strategy: the launch type as before");
    let (_, ingress) = common::of_type(&t, "AWS::EC2::SecurityGroupIngress")[0];
    assert_eq!((ingress["Properties"]["SourceSecurityGroupId"].as_str(), ingress["Properties"]["FromPort"].as_i64()), (Some("sg-0a1b2c3d"), Some(80)));
}

#[test]
fn capacity_provider_strategies_ecs_would_refuse_are_errors() {
    let app = App::new();
    let s = stack(&app);
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let plain = Cluster::new(&s, "Plain", ClusterProps::new().vpc(&vpc)).unwrap();
    let spot = Cluster::new(&s, "Spot", ClusterProps::new().vpc(&vpc).enable_fargate_capacity_providers(true)).unwrap();
    let td = task(&s);
    let service = |id: &str, cluster: &Cluster, strategy: Vec<CapacityProviderStrategy>| {
        FargateService::new(&s, id, FargateServiceProps::new(cluster, &td).assign_public_ip(true).capacity_provider_strategies(strategy)).err().map(|e| e.to_string()).unwrap_or_default()
    };
    let sp = || CapacityProviderStrategy::new(CapacityProvider::FargateSpot);
    let od = || CapacityProviderStrategy::new(CapacityProvider::Fargate);
    let cases = [
        (service("NotEnabled", &plain, vec![sp().weight(1)]), "FARGATE_SPOT is not associated with the cluster"),
        (service("NoWeight", &spot, vec![sp(), od().base(1)]), "needs a weight above 0"),
        (service("TwoBases", &spot, vec![sp().weight(1).base(1), od().base(2)]), "only one capacity provider"),
        (service("Dup", &spot, vec![sp().weight(1), sp().weight(2)]), "appears twice"),
        (service("Heavy", &spot, vec![sp().weight(1001)]), "0 to 1,000"),
    ];
    for (err, expected) in cases {
        assert!(err.contains(expected), "{err:?} should say {expected:?}");
    }
    // A base on demand and the rest on Spot, 1:3; the cluster's default strategy is rendered too.
    assert_eq!(service("Mixed", &spot, vec![od().base(1).weight(1), sp().weight(3)]), "");
    spot.add_default_capacity_provider_strategy(vec![sp().weight(1)]).unwrap();
    assert!(spot.add_default_capacity_provider_strategy(vec![sp().weight(1)]).is_err(), "once per cluster");
    assert!(plain.add_default_capacity_provider_strategy(vec![od().weight(1)]).is_err(), "not associated");
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let assoc = common::of_type(&t, "AWS::ECS::ClusterCapacityProviderAssociations");
    assert_eq!(assoc.len(), 1, "only the cluster with providers has an association");
    assert_eq!(assoc[0].1["Properties"]["DefaultCapacityProviderStrategy"], json!([{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]));
    let (_, mixed) = common::of_type(&t, "AWS::ECS::Service").into_iter().find(|(id, _)| id.starts_with("Mixed")).unwrap();
    assert_eq!(mixed["Properties"]["CapacityProviderStrategy"], json!([
        {"Base": 1, "CapacityProvider": "FARGATE", "Weight": 1},
        {"CapacityProvider": "FARGATE_SPOT", "Weight": 3}
    ]));
}

#[test]
fn passes_cfn_lint_and_deploys_to_moto_next_to_an_existing_alb() {
    let dir = common::temp_dir("alb-virtual-host").join("cdk.out");
    let app = App::with_outdir(&dir);
    example::alb_virtual_host(&app).unwrap();
    let a = app.synth().unwrap();
    let path = &a.stacks[0].template_path;
    let Some(warnings) = common::cfn_lint(path) else { return };
    assert!(warnings.is_empty(), "cfn-lint warnings:\n{}", warnings.join("\n"));
    let Some(moto) = common::Moto::start_in("ap-northeast-1") else { return };
    let text = |args: &[&str]| String::from_utf8_lossy(&moto.aws(args).stdout).trim().to_string();
    // Production as it exists before the stack: a VPC, a route table, an ALB with a listener.
    let vpc = text(&["ec2", "create-vpc", "--cidr-block", example::PROD_VPC_CIDR, "--query", "Vpc.VpcId", "--output", "text"]);
    let subnet = |cidr: &str, az: &str| text(&["ec2", "create-subnet", "--vpc-id", &vpc, "--cidr-block", cidr, "--availability-zone", az, "--query", "Subnet.SubnetId", "--output", "text"]);
    let (s1, s2) = (subnet("10.0.0.0/24", "ap-northeast-1a"), subnet("10.0.1.0/24", "ap-northeast-1c"));
    let rtb = text(&["ec2", "create-route-table", "--vpc-id", &vpc, "--query", "RouteTable.RouteTableId", "--output", "text"]);
    let sg = text(&["ec2", "create-security-group", "--group-name", "prod-alb", "--description", "prod alb", "--vpc-id", &vpc, "--query", "GroupId", "--output", "text"]);
    let alb = text(&["elbv2", "create-load-balancer", "--name", "prod-alb", "--subnets", &s1, &s2, "--security-groups", &sg, "--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text"]);
    let listener = text(&["elbv2", "create-listener", "--load-balancer-arn", &alb, "--protocol", "HTTP", "--port", "80",
        "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=404}", "--query", "Listeners[0].ListenerArn", "--output", "text"]);
    assert!(listener.contains(":listener/app/"), "{listener}");
    let resources = moto.deploy_with(path, "AlbVirtualHost", &a.stacks[0].capabilities, &[
        ("ProdVpcId", &vpc), ("ProdVpcCidr", example::PROD_VPC_CIDR), ("ProdRouteTableId", &rtb), ("ProdListenerArn", &listener), ("ProdAlbSecurityGroupId", &sg),
    ]);
    let missing = common::not_created(&a.stacks[0].template(), &resources);
    // moto 5.2.5 has no CloudFormation model of the capacity provider association.
    assert!(missing.iter().all(|t| t == "AWS::ECS::ClusterCapacityProviderAssociations"), "{missing:?}");
    // The rule is on production's listener, and production's route table routes back.
    let rules = text(&["elbv2", "describe-rules", "--listener-arn", &listener, "--query", "Rules[?Priority=='10']", "--output", "text"]);
    assert!(rules.contains("host-header") && rules.contains("hoge.example.com") && rules.contains("targetgroup/hoge-api-tg/"), "{rules}");
    let back = text(&["ec2", "describe-route-tables", "--route-table-ids", &rtb, "--query", "RouteTables[0].Routes[?VpcPeeringConnectionId!=null].DestinationCidrBlock", "--output", "text"]);
    assert_eq!(back, "10.1.0.0/16");
}

#[test]
fn a_target_group_in_a_vpc_that_is_not_peered_is_an_error_naming_both() {
    let app = App::new();
    let s = stack(&app);
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new().ip_addresses("10.1.0.0/16")).unwrap();
    let prod = Vpc::from_attributes(&s, "Prod", VpcAttributes::new("vpc-0d0d0d0d", "10.0.0.0/16")).unwrap();
    let l = listener(&s, "Listener");
    let tg = ApplicationTargetGroup::new(&s, "Tg", ApplicationTargetGroupProps::new(&prod, 80).target_type(TargetType::Ip)).unwrap();
    ApplicationListenerRule::new(&s, "Rule", ApplicationListenerRuleProps::new(&l, 1).conditions(vec![ListenerCondition::path_patterns(["/*"])]).target_groups(vec![tg.clone()])).unwrap();
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let service = FargateService::new(&s, "Service", FargateServiceProps::new(&cluster, &task(&s)).assign_public_ip(true)).unwrap();
    service.attach_to_application_target_group(&tg).unwrap();
    let e = app.synth_in_memory().err().unwrap().to_string();
    assert!(e.contains("S/Service") && e.contains("runs in VPC S/Vpc but registers with target group S/Tg of VPC S/Prod") && e.contains("not peered"), "{e}");
    // Peered (even after the registration), it synthesizes.
    VpcPeeringConnection::new(&s, "ToProd", VpcPeeringConnectionProps::new(&vpc, &prod)).unwrap();
    let a = app.synth_in_memory();
    assert!(a.is_ok(), "{:?}", a.err());
}

/// Two stacks joining one existing listener with the same priority: each stack alone is fine
/// (the L2 sees one rule per import), but Elastic Load Balancing refuses the second deploy;
/// the `listener-rule-priority` check sees both templates.
#[test]
fn the_same_priority_on_one_listener_from_two_stacks_is_found_at_synth() {
    let app = App::new();
    let arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod/0123456789abcdef/0123456789abcdef";
    for (name, host) in [("Api", "api.example.com"), ("Web", "web.example.com")] {
        let s = Stack::new(&app, name).unwrap();
        let vpc = Vpc::from_attributes(&s, "Prod", VpcAttributes::new("vpc-0d0d0d0d", "10.0.0.0/16")).unwrap();
        let group = SecurityGroup::from_security_group_id(&s, "AlbSg", "sg-0a1b2c3d", SecurityGroupImportProps::new()).unwrap();
        let l = ApplicationListener::from_application_listener_attributes(&s, "Listener", ApplicationListenerAttributes::new(arn, &group)).unwrap();
        let tg = ApplicationTargetGroup::new(&s, "Tg", ApplicationTargetGroupProps::new(&vpc, 80).target_type(TargetType::Ip)).unwrap();
        ApplicationListenerRule::new(&s, "Rule", ApplicationListenerRuleProps::new(&l, 10).conditions(vec![ListenerCondition::host_headers([host])]).target_groups(vec![tg])).unwrap();
    }
    let e = app.synth_in_memory().err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("listener-rule-priority") && e.contains("Web/Rule/Resource has priority 10, which rule Api/Rule/Resource of the same listener already has"), "{e}");
}
