//! The article-001 example (a static public address through an NLB with an Elastic IP):
//! snapshot, structure, subnet-mapping validation, checks and cost, cfn-lint and moto.

mod common;
#[allow(dead_code)]
#[path = "../examples/nlb_static_ip.rs"]
mod example;

use ironcdk::ec2::{CfnEip, CfnEipProps, ElasticIp, ElasticIpProps, Peer, Port, SecurityGroup, SecurityGroupProps, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
use ironcdk::ecs::{Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, PortMapping};
use ironcdk::elasticloadbalancingv2::{NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps, SubnetMapping, TargetType};
use ironcdk::{App, Severity, Stack};

fn synth() -> ironcdk::Assembly {
    let app = App::new();
    example::nlb_static_ip(&app).expect("the example builds");
    app.synth_in_memory().expect("the example synthesizes")
}

/// The whole template, reviewed by hand against the article (see the snapshot file).
#[test]
fn template_matches_reviewed_snapshot() {
    insta::assert_snapshot!("NlbStaticIp.template.json", synth().stacks[0].template_json.clone());
}

#[test]
fn the_nlb_holds_the_elastic_ip_in_the_subnet_the_task_runs_in() {
    let t = synth().stacks[0].template();
    assert!(common::of_type(&t, "AWS::EC2::EIP").is_empty(), "the address outlives the stack: allocated outside it");
    assert_eq!(t["Parameters"]["EipAllocationId"]["AllowedPattern"], "^eipalloc-[0-9a-f]+$");
    let (_, lb) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer")[0];
    let p = &lb["Properties"];
    assert_eq!(p["Scheme"], "internet-facing");
    assert!(p.get("Subnets").is_none(), "mappings replace the subnet list");
    let mappings = p["SubnetMappings"].as_array().unwrap();
    assert_eq!(mappings.len(), 1);
    assert_eq!(mappings[0]["AllocationId"], serde_json::json!({"Ref": "EipAllocationId"}));
    let subnet = &mappings[0]["SubnetId"];
    let (_, service) = common::of_type(&t, "AWS::ECS::Service")[0];
    let net = &service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(net["Subnets"], serde_json::json!([subnet]), "the task only in the NLB's subnet");
    assert_eq!(net["AssignPublicIp"], "ENABLED", "to pull from ECR through the internet gateway");
    let (_, tg) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::TargetGroup")[0];
    assert_eq!((tg["Properties"]["Port"].as_i64(), tg["Properties"]["Protocol"].as_str()), (Some(5000), Some("TCP")));
    assert_eq!(tg["Properties"]["HealthCheckProtocol"], "TCP", "the article's TCP health check on the traffic port");
    // The article's VPC and subnet exist already: imported from parameters, nothing created.
    assert_eq!(subnet, &serde_json::json!({"Ref": "PublicSubnetId"}));
    assert_eq!((t["Parameters"]["VpcId"]["Type"].as_str(), t["Parameters"]["PublicSubnetId"]["Type"].as_str()), (Some("AWS::EC2::VPC::Id"), Some("AWS::EC2::Subnet::Id")));
    assert!(common::of_type(&t, "AWS::EC2::VPC").is_empty() && common::of_type(&t, "AWS::EC2::Subnet").is_empty() && common::of_type(&t, "AWS::EC2::Route").is_empty());
    // Its route to the internet gateway exists before the stack: nothing to wait for.
    assert!(lb.get("DependsOn").is_none());
    let (_, tg) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::TargetGroup")[0];
    assert_eq!(tg["Properties"]["VpcId"], serde_json::json!({"Ref": "VpcId"}));
    assert_eq!(p["LoadBalancerAttributes"], serde_json::json!([{"Key": "deletion_protection.enabled", "Value": "false"}]));
}

#[test]
fn no_error_finding_and_the_elastic_ip_is_billed_once() {
    let a = synth();
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error || f.acknowledged.is_some()), "{:#?}", a.findings);
    let cost = a.cost.unwrap();
    let items = &cost.stacks[0].items;
    let ipv4: Vec<_> = items.iter().filter(|i| i.unit == "IPv4-hours").map(|i| (i.resource_type.as_str(), i.quantity)).collect();
    // The NLB's one AZ takes the EIP, so it has no address of its own; the EIP, allocated
    // outside the stack, is still billed (listed on the NLB that uses it); the task has one.
    assert_eq!(ipv4, vec![("AWS::ElasticLoadBalancingV2::LoadBalancer", 730.0), ("AWS::ECS::Service", 730.0)]);
    assert!(items.iter().any(|i| i.description.contains("Elastic IP allocated outside these templates")));
    // 16.425 NLB + 4.38 NLCU + 7.3876 vCPU + 1.6224 GB + 3.65 x 2 IPv4 + 0.05 ECR storage.
    assert_eq!((cost.stacks[0].monthly_usd * 100.0).round() / 100.0, 37.17);
}

#[test]
fn subnet_mappings_elb_would_refuse_are_errors_naming_the_load_balancer() {
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public).cidr_mask(24),
        SubnetConfiguration::new("Private", SubnetType::PrivateIsolated).cidr_mask(24),
    ])).unwrap();
    let other = Vpc::new(&stack, "Other", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)])).unwrap();
    let public = vpc.select_subnets(&SubnetSelection::of_type(SubnetType::Public)).unwrap();
    let private = vpc.select_subnets(&SubnetSelection::of_type(SubnetType::PrivateIsolated)).unwrap();
    let foreign = other.select_subnets(&SubnetSelection::default()).unwrap();
    let eip = CfnEip::new(&stack, "Eip", CfnEipProps::new().domain("vpc")).unwrap();
    let cases: Vec<(NetworkLoadBalancerProps, &str)> = vec![
        (NetworkLoadBalancerProps::new(&vpc).internet_facing(true).vpc_subnets(SubnetSelection::of_type(SubnetType::Public)).subnet_mappings(vec![SubnetMapping::new(&public[0])]), "not both"),
        (NetworkLoadBalancerProps::new(&vpc).internet_facing(true).subnet_mappings(vec![SubnetMapping::new(&public[0]), SubnetMapping::new(&public[0])]), "one subnet per AZ"),
        (NetworkLoadBalancerProps::new(&vpc).subnet_mappings(vec![SubnetMapping::new(&private[0]).allocation_id(eip.attr_allocation_id())]), "internet-facing"),
        (NetworkLoadBalancerProps::new(&vpc).internet_facing(true).subnet_mappings(vec![SubnetMapping::new(&private[0])]), "public subnets"),
        (NetworkLoadBalancerProps::new(&vpc).internet_facing(true).subnet_mappings(vec![SubnetMapping::new(&foreign[0])]), "not a subnet of the load balancer's VPC"),
        (NetworkLoadBalancerProps::new(&vpc).subnet_mappings(vec![SubnetMapping::new(&private[0]).private_ipv4_address("10.9.9.9")]), "outside the subnet's range"),
        (NetworkLoadBalancerProps::new(&vpc).subnet_mappings(vec![SubnetMapping::new(&private[0]).private_ipv4_address(first_address(&private[0]))]), "reserves"),
        (NetworkLoadBalancerProps::new(&vpc).subnet_mappings(vec![SubnetMapping::new(&private[0]).private_ipv4_address("10.0.2")]), "not an IPv4 address"),
    ];
    for (n, (props, expected)) in cases.into_iter().enumerate() {
        let err = NetworkLoadBalancer::new(&stack, &format!("Nlb{n}"), props).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(&format!("S/Nlb{n}")) && err.contains(expected), "case {n}: {err:?} should say {expected:?}");
    }
    // A fixed private address inside the subnet, past the reserved ones, is accepted.
    let ok = NetworkLoadBalancer::new(&stack, "Internal", NetworkLoadBalancerProps::new(&vpc)
        .subnet_mappings(vec![SubnetMapping::new(&private[0]).private_ipv4_address(nth_address(&private[0], 10))]));
    assert!(ok.is_ok(), "{:?}", ok.err());
    // A subnet selection naming another VPC's subnet is refused too.
    let err = vpc.select_subnets(&SubnetSelection::subnets(&foreign)).unwrap_err().to_string();
    assert!(err.contains("is not a subnet of VPC S/Vpc"), "{err}");
}

fn nth_address(subnet: &ironcdk::ec2::SubnetRef, n: u32) -> String {
    std::net::Ipv4Addr::from(subnet.cidr.expect("a subnet of a new VPC has its range").network() + n).to_string()
}

fn first_address(subnet: &ironcdk::ec2::SubnetRef) -> String {
    nth_address(subnet, 1)
}

#[test]
fn passes_cfn_lint_and_deploys_to_moto() {
    let dir = common::temp_dir("nlb-static-ip").join("cdk.out");
    let app = App::with_outdir(&dir);
    example::nlb_static_ip(&app).unwrap();
    let a = app.synth().unwrap();
    let path = &a.stacks[0].template_path;
    let Some(warnings) = common::cfn_lint(path) else { return };
    assert!(warnings.is_empty(), "cfn-lint warnings:\n{}", warnings.join("\n"));
    let Some(moto) = common::Moto::start() else { return };
    let text = |args: &[&str]| String::from_utf8_lossy(&moto.aws(args).stdout).trim().to_string();
    // What exists before the stack, as in the article: a VPC with a public subnet (routed to
    // an internet gateway), and the Elastic IP, allocated outside the stack.
    let vpc = text(&["ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text"]);
    let subnet = text(&["ec2", "create-subnet", "--vpc-id", &vpc, "--cidr-block", "10.0.0.0/24", "--query", "Subnet.SubnetId", "--output", "text"]);
    let igw = text(&["ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text"]);
    moto.aws(&["ec2", "attach-internet-gateway", "--internet-gateway-id", &igw, "--vpc-id", &vpc]);
    let rtb = text(&["ec2", "create-route-table", "--vpc-id", &vpc, "--query", "RouteTable.RouteTableId", "--output", "text"]);
    moto.aws(&["ec2", "create-route", "--route-table-id", &rtb, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", &igw]);
    moto.aws(&["ec2", "associate-route-table", "--route-table-id", &rtb, "--subnet-id", &subnet]);
    let alloc = text(&["ec2", "allocate-address", "--domain", "vpc", "--query", "AllocationId", "--output", "text"]);
    assert!(alloc.starts_with("eipalloc-") && subnet.starts_with("subnet-"), "{alloc} {subnet}");
    let resources = moto.deploy_with(path, "NlbStaticIp", &a.stacks[0].capabilities, &[("VpcId", &vpc), ("PublicSubnetId", &subnet), ("EipAllocationId", &alloc)]);
    assert_eq!(common::not_created(&a.stacks[0].template(), &resources), Vec::<String>::new(), "every resource created");
    let lb = moto.aws(&["elbv2", "describe-load-balancers", "--names", "ecs-nlb", "--query", "LoadBalancers[0].Scheme", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&lb.stdout).trim(), "internet-facing");
}

#[test]
fn the_articles_tasks_in_both_public_subnets_are_found_at_synth() {
    // The article's Terraform put the service in every public subnet, the NLB in the first only.
    let app = App::new();
    let stack = Stack::new(&app, "Article").unwrap();
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)])).unwrap();
    let public = vpc.select_subnets(&SubnetSelection::of_type(SubnetType::Public)).unwrap();
    let lb = NetworkLoadBalancer::new(&stack, "Nlb", NetworkLoadBalancerProps::new(&vpc).internet_facing(true).subnet_mappings(vec![SubnetMapping::new(&public[0])])).unwrap();
    let tg = NetworkTargetGroup::new(&stack, "Tg", NetworkTargetGroupProps::new(&vpc, 5000).target_type(TargetType::Ip)).unwrap();
    lb.add_listener("Listener", NetworkListenerProps::new(5000).default_target_groups(vec![tg.clone()])).unwrap();
    let task = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new()).unwrap();
    let c = task.add_container("api", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/docker/library/nginx:latest"))).unwrap();
    c.add_port_mappings(PortMapping::tcp(5000)).unwrap();
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let group = SecurityGroup::new(&stack, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
    group.add_ingress_rule(Peer::any_ipv4(), Port::tcp(5000), None).unwrap();
    let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task)
        .security_group(&group)
        .vpc_subnets(SubnetSelection::of_type(SubnetType::Public))
        .assign_public_ip(true)).unwrap();
    service.load_balancer_target("api", 5000).unwrap();
    service.attach_to_network_target_group(&tg).unwrap();
    let a = app.synth_in_memory().unwrap();
    let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "lb-target-az").collect();
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].message.contains("Article/Vpc/PublicSubnet2/Subnet") && f[0].message.contains("Article/Nlb/Resource"), "{}", f[0].message);
}

#[test]
fn an_elastic_ip_of_the_stack_goes_into_the_mapping_and_is_billed_once() {
    let app = App::new();
    let stack = Stack::with_props(&app, "Eip", ironcdk::StackProps::new().env(ironcdk::Environment::region("us-east-1"))).unwrap();
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().max_azs(1).nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)])).unwrap();
    let public = vpc.select_subnets(&SubnetSelection::of_type(SubnetType::Public)).unwrap();
    let eip = ElasticIp::new(&stack, "Address", ElasticIpProps::new().retain_on_delete(true)).unwrap();
    NetworkLoadBalancer::new(&stack, "Nlb", NetworkLoadBalancerProps::new(&vpc).internet_facing(true)
        .subnet_mappings(vec![SubnetMapping::new(&public[0]).allocation_id(eip.allocation_id())])).unwrap();
    let a = app.synth_in_memory().unwrap();
    let t = a.stacks[0].template();
    let eips: Vec<_> = common::of_type(&t, "AWS::EC2::EIP");
    assert_eq!(eips.len(), 1);
    let (eip_id, eip_res) = eips[0];
    assert!(eip_id.starts_with("Address"));
    assert_eq!(eip_res["Properties"], serde_json::json!({"Domain": "vpc"}));
    assert_eq!(eip_res["DeletionPolicy"], "Retain", "kept when the stack goes");
    let (_, lb) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer")[0];
    assert_eq!(lb["Properties"]["SubnetMappings"][0]["AllocationId"], serde_json::json!({"Fn::GetAtt": [eip_id, "AllocationId"]}));
    let cost = a.cost.unwrap();
    let ipv4: Vec<_> = cost.stacks[0].items.iter().filter(|i| i.unit == "IPv4-hours").map(|i| (i.resource_type.as_str(), i.quantity)).collect();
    assert_eq!(ipv4, vec![("AWS::EC2::EIP", 730.0)], "the mapped AZ is the EIP's address, billed once");
}
