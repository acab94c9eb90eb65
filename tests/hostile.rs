//! A corpus of bad programs, one or more per class of input that CloudFormation or the service
//! would refuse at deploy (or that used to panic or be silently changed). Each asserts the error
//! and the construct path it names; the corrected program of each class synthesizes, and every
//! corrected template is linted by cfn-lint in one run at the end.

mod common;

use ironcdk::apigateway::{Integration, IntegrationType, MethodOptions, RestApi, RestApiProps};
use ironcdk::ec2::{
    GatewayVpcEndpointAwsService, GatewayVpcEndpointOptions, InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, Port, SecurityGroup,
    SecurityGroupProps, SubnetConfiguration, SubnetType, Vpc, VpcProps,
};
use ironcdk::ecr::{LifecycleRule, Repository, RepositoryProps, TagStatus};
use ironcdk::ecs::{Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, PortMapping};
use ironcdk::elasticloadbalancingv2::{ApplicationTargetGroup, ApplicationTargetGroupProps, HealthCheck, HealthCheckProtocol, NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps, SubnetMapping};
use ironcdk::route53::{PrivateHostedZone, PrivateHostedZoneProps};
use ironcdk::logs::{LogGroup, LogGroupProps};
use ironcdk::{ec2, fns, App, AsScope, Duration, Environment, Output, Parameter, ParameterProps, ParameterType, Result, Stack, StackProps};

/// The error a program gets, from building or from synth.
fn error_of(build: impl FnOnce(&App) -> Result<()>) -> String {
    let app = App::new();
    match build(&app) {
        Err(e) => e.to_string(),
        Ok(()) => match app.synth_in_memory() {
            Err(e) => e.to_string(),
            Ok(_) => panic!("the bad program synthesized"),
        },
    }
}

/// Asserts the error names `path` and says `what`.
fn refused(build: impl FnOnce(&App) -> Result<()>, path: &str, what: &str) {
    let e = error_of(build);
    assert!(e.contains(&format!("{path}: ")), "names {path}: {e}");
    assert!(e.contains(what), "says '{what}': {e}");
}

/// The corrected program, synthesized.
fn accepted(build: impl FnOnce(&App) -> Result<()>) -> App {
    let app = App::new();
    build(&app).unwrap_or_else(|e| panic!("the corrected program fails: {e}"));
    app.synth_in_memory().unwrap_or_else(|e| panic!("the corrected program fails synth: {e}"));
    app
}

fn isolated_vpc(stack: &Stack, id: &str) -> Result<Vpc> {
    Vpc::new(stack, id, VpcProps::new().subnet_configuration(vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)]))
}

fn topic(stack: &Stack, id: &str) -> Result<()> {
    ironcdk::sns::CfnTopic::new(stack, id, ironcdk::sns::CfnTopicProps::new())?;
    Ok(())
}

fn tg_interval(interval: Duration) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let vpc = isolated_vpc(&s, "Vpc")?;
        NetworkTargetGroup::new(&s, "Tg", NetworkTargetGroupProps::new(&vpc, 80).health_check(HealthCheck::new().interval(interval)))?;
        Ok(())
    }
}

fn sg_protocol(protocol: &'static str) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let vpc = isolated_vpc(&s, "Vpc")?;
        let sg = SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc))?;
        sg.add_ingress_rule(ec2::Peer::ipv4("10.0.0.0/8"), Port { protocol, from: 53, to: 53 }, None)
    }
}

fn pinned_azs(azs: &'static [&'static str]) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::with_props(app, "S", StackProps::new().env(Environment::region("us-east-1")).availability_zones(azs.iter().copied()))?;
        isolated_vpc(&s, "Vpc").map(|_| ())
    }
}

fn second_interface(second_private: bool) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let vpc = isolated_vpc(&s, "Vpc")?;
        vpc.add_interface_endpoint("Ecr1", InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::ECR))?;
        vpc.add_interface_endpoint("Ecr2", InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::ECR).private_dns_enabled(second_private))?;
        Ok(())
    }
}

fn lb_pair(other_vpc: bool, two: bool) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let vpc = isolated_vpc(&s, "Vpc")?;
        let other = Vpc::new(&s, "Other", VpcProps::new().ip_addresses("10.1.0.0/16").subnet_configuration(vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)]))?;
        let tg = NetworkTargetGroup::new(&s, "Tg", NetworkTargetGroupProps::new(if other_vpc { &other } else { &vpc }, 80))?;
        let nlb = NetworkLoadBalancer::new(&s, "Nlb", NetworkLoadBalancerProps::new(&vpc))?;
        nlb.add_listener("L", NetworkListenerProps::new(80).default_target_groups(vec![tg.clone()]))?;
        if two {
            let second = NetworkLoadBalancer::new(&s, "Nlb2", NetworkLoadBalancerProps::new(&vpc))?;
            second.add_listener("L", NetworkListenerProps::new(80).default_target_groups(vec![tg]))?;
        }
        Ok(())
    }
}

fn health_check(h: HealthCheck) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let vpc = isolated_vpc(&s, "Vpc")?;
        NetworkTargetGroup::new(&s, "Tg", NetworkTargetGroupProps::new(&vpc, 80).health_check(h)).map(|_| ())
    }
}

// ---- Panics and silent mix-ups ----

fn cross_app(fixed: bool) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let other = App::new();
        let owner = if fixed { app.clone() } else { other.clone() };
        let net = Stack::new(&owner, "Net")?;
        let vpc = isolated_vpc(&net, "Vpc")?;
        let s = Stack::new(app, "Svc")?;
        SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc))?;
        Ok(())
    }
}

#[test]
fn a_construct_of_another_app_is_an_error_naming_the_construct_that_asked() {
    // The other App is gone by now; the reference into it is refused all the same.
    let e = error_of(cross_app(false));
    assert!(e.contains("Svc/Sg/Resource: references a construct of another App"), "{e}");
    accepted(cross_app(true));
}

#[test]
fn durations_that_overflow_saturate_and_are_refused_where_the_service_would() {
    assert_eq!(Duration::days(u64::MAX).to_seconds(), u64::MAX);
    assert_eq!(Duration::hours(u64::MAX / 2).to_seconds(), u64::MAX);
    refused(tg_interval(Duration::seconds(u64::MAX)), "S/Tg", "accepts 5 to 300");
    refused(tg_interval(Duration::days(u64::MAX)), "S/Tg", "accepts 5 to 300");
    accepted(tg_interval(Duration::seconds(30)));
}

// ---- Values silently changed ----

#[test]
fn a_udp_port_mapping_stays_udp() {
    let app = accepted(|app| {
        let s = Stack::new(app, "S")?;
        let td = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new())?;
        td.add_container("dns", ContainerDefinitionOptions::new(ContainerImage::from_registry("coredns/coredns")).port_mappings(vec![PortMapping::udp(53)]))?;
        Ok(())
    });
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let task = t["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::ECS::TaskDefinition").unwrap();
    assert_eq!(task["Properties"]["ContainerDefinitions"][0]["PortMappings"][0], serde_json::json!({"ContainerPort": 53, "Protocol": "udp"}));
}

#[test]
fn a_security_group_protocol_ec2_does_not_know_is_refused() {
    refused(sg_protocol("UDP"), "S/Sg", "protocol 'UDP' is not one EC2 accepts");
    accepted(sg_protocol("udp"));
}

// ---- CloudFormation's limits ----

fn many(kind: &'static str, n: usize) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "Big")?;
        topic(&s, "Topic")?;
        for i in 0..n {
            match kind {
                "resources" => topic(&s, &format!("T{i}"))?,
                "parameters" => {
                    Parameter::new(&s, &format!("P{i}"), ParameterProps::new(ParameterType::String))?;
                }
                "outputs" => {
                    Output::new(&s, &format!("O{i}"), ironcdk::Val::<String>::from("x"))?;
                }
                _ => {
                    let mut m = ironcdk::IndexMap::new();
                    let mut inner = ironcdk::IndexMap::new();
                    inner.insert("k".to_string(), ironcdk::Value::Str("v".into()));
                    m.insert("top".to_string(), inner);
                    ironcdk::Mapping::new(&s, &format!("M{i}"), m)?;
                }
            }
        }
        Ok(())
    }
}

#[test]
fn cloudformation_template_quotas_are_refused_at_synth() {
    refused(many("resources", 500), "Big", "501 resources; CloudFormation allows at most 500");
    refused(many("parameters", 201), "Big", "201 parameters");
    refused(many("outputs", 201), "Big", "201 outputs");
    refused(many("mappings", 201), "Big", "201 mappings");
    accepted(many("resources", 499));
    accepted(many("outputs", 200));
}

#[test]
fn a_template_over_1_mb_is_refused_and_over_51_200_bytes_is_a_warning_with_the_way_out() {
    let big = |n: usize, len: usize| {
        move |app: &App| -> Result<()> {
            let s = Stack::new(app, "Big")?;
            for i in 0..n {
                ironcdk::ssm::CfnParameter::new(&s, &format!("P{i}"), ironcdk::ssm::CfnParameterProps::new(ironcdk::ssm::cfn_parameter::ParameterType::String, "x".repeat(len)))?;
            }
            Ok(())
        }
    };
    refused(big(300, 4000), "Big", "CloudFormation takes at most 1048576");
    let a = accepted(big(30, 4000)).synth_in_memory().unwrap();
    let w = a.findings.iter().find(|f| f.rule == "cfn-limits").expect("a size warning");
    assert!(w.fix.contains("--s3-bucket"), "{w}");
    assert!(a.stacks[0].deploy_command().contains("--s3-bucket"));
}

#[test]
fn descriptions_logical_ids_and_stack_names_past_the_limits_are_refused() {
    refused(|app| Stack::with_props(app, "S", StackProps::new().description("d".repeat(1025))).map(|_| ()), "S", "at most 1,024");
    refused(|app| Stack::new(app, "1abc").map(|_| ()), "App", "must start with a letter");
    refused(|app| Stack::new(app, &"S".repeat(129)).map(|_| ()), "App", "at most 128 characters");
    refused(
        |app| {
            let s = Stack::new(app, "S")?;
            let t = ironcdk::sns::CfnTopic::new(&s, "T", ironcdk::sns::CfnTopicProps::new())?;
            t.override_logical_id("X".repeat(256))
        },
        "S/T",
        "1 to 255",
    );
    accepted(|app| Stack::with_props(app, "S", StackProps::new().description("d".repeat(1024))).and_then(|s| topic(&s, "T")));
}

fn tagged(key: String, value: String, count: usize) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "S")?;
        isolated_vpc(&s, "Vpc")?;
        s.scope().add_tag(key, value);
        for i in 0..count {
            s.scope().add_tag(format!("extra{i}"), "x");
        }
        Ok(())
    }
}

#[test]
fn tags_aws_rejects_are_refused_naming_the_resource() {
    refused(tagged("aws:owner".into(), "me".into(), 0), "S/Vpc/Resource", "reserves");
    refused(tagged(String::new(), "me".into(), 0), "S/Vpc/Resource", "empty key");
    refused(tagged("k".repeat(129), "v".into(), 0), "S/Vpc/Resource", "at most 128");
    refused(tagged("k".into(), "v".repeat(257), 0), "S/Vpc/Resource", "at most 256");
    refused(tagged("k".into(), "v".into(), 50), "S/Vpc/Resource", "has 52 tags; AWS allows at most 50");
    // Subnets carry three tags of their own (Name, aws-cdk:subnet-name, aws-cdk:subnet-type).
    accepted(tagged("k".repeat(128), "v".repeat(256), 46));
    // A subnet's Name tag is its construct path: a long path breaks it.
    refused(
        |app| {
            let s = Stack::new(app, "S")?;
            isolated_vpc(&s, &"V".repeat(250)).map(|_| ())
        },
        "IsolatedSubnet1/Subnet",
        "Name tag taken from a long construct path",
    );
}

// ---- Input the services reject ----

fn task(cpu: u32, memory: u32, container: &'static str, container_memory: Option<u32>, family: Option<&'static str>) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "S")?;
        let mut props = FargateTaskDefinitionProps::new().cpu(cpu).memory_limit_mib(memory);
        if let Some(f) = family {
            props = props.family(f);
        }
        let td = FargateTaskDefinition::new(&s, "Task", props)?;
        let mut options = ContainerDefinitionOptions::new(ContainerImage::from_registry("nginx"));
        if let Some(m) = container_memory {
            options = options.memory_limit_mib(m);
        }
        td.add_container(container, options)?;
        Ok(())
    }
}

#[test]
fn ecs_names_memory_and_fargate_sizes_are_checked() {
    refused(task(256, 512, "web app", None, None), "S/Task/web app", "container name 'web app' is invalid");
    refused(task(256, 512, "web", None, Some("fam/ily")), "S/Task", "family 'fam/ily' is invalid");
    refused(task(256, 512, "web", Some(0), None), "S/Task/web", "container memory 0 MiB");
    refused(task(256, 512, "web", Some(1024), None), "S/Task/web", "more than the task's 512 MiB");
    refused(task(256, 4096, "web", None, None), "S/Task", "not allowed with cpu 256");
    refused(task(300, 512, "web", None, None), "S/Task", "not a Fargate size");
    accepted(task(1024, 2048, "web-app_1", Some(1024), Some("my-family")));
    refused(
        |app| {
            let s = Stack::new(app, "S")?;
            Cluster::new(&s, "Cluster", ClusterProps::new().cluster_name("my cluster")).map(|_| ())
        },
        "S/Cluster",
        "cluster name 'my cluster' is invalid",
    );
}

fn service(min: Option<u32>, max: Option<u32>) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "S")?;
        // The isolated VPC has no path for the image; this class is about deployment settings.
        s.scope().acknowledge("image-pull-path", "the test is about deployment percentages, not the image path")?;
        let vpc = isolated_vpc(&s, "Vpc")?;
        let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc))?;
        let td = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new())?;
        td.add_container("web", ContainerDefinitionOptions::new(ContainerImage::from_registry("nginx")))?;
        let mut props = FargateServiceProps::new(&cluster, &td).desired_count(2);
        if let Some(m) = min {
            props = props.min_healthy_percent(m);
        }
        if let Some(m) = max {
            props = props.max_healthy_percent(m);
        }
        FargateService::new(&s, "Service", props).map(|_| ())
    }
}

#[test]
fn minimum_healthy_percent_above_maximum_is_refused() {
    refused(service(Some(150), Some(120)), "S/Service", "min_healthy_percent 150 is above max_healthy_percent 120");
    refused(service(None, Some(40)), "S/Service", "min_healthy_percent 50 is above");
    accepted(service(Some(50), Some(200)));
}

fn repo(rules: Vec<LifecycleRule>) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "S")?;
        Repository::new(&s, "Repo", RepositoryProps::new().lifecycle_rules(rules)).map(|_| ())
    }
}

#[test]
fn ecr_lifecycle_counts_and_priorities_are_checked() {
    refused(repo(vec![LifecycleRule::new().max_image_count(0)]), "S/Repo", "max_image_count 0");
    refused(repo(vec![LifecycleRule::new().rule_priority(0).max_image_count(3)]), "S/Repo", "rule_priority 0");
    refused(
        repo(vec![
            LifecycleRule::new().rule_priority(2).tag_status(TagStatus::Untagged).max_image_count(1),
            LifecycleRule::new().rule_priority(2).max_image_count(3),
        ]),
        "S/Repo",
        "two lifecycle rules have rule_priority 2",
    );
    accepted(repo(vec![
        LifecycleRule::new().rule_priority(1).tag_status(TagStatus::Untagged).max_image_count(1),
        LifecycleRule::new().rule_priority(2).max_image_count(3),
    ]));
}

fn api(parts: &'static [&'static [&'static str]], methods: &'static [&'static str]) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "S")?;
        let api = RestApi::new(&s, "Api", RestApiProps::new())?;
        let mut last = api.root().clone();
        for chain in parts {
            let mut r = api.root().clone();
            for p in *chain {
                r = r.add_resource(p)?;
            }
            last = r;
        }
        for m in methods {
            last.add_method(m, Integration::new(IntegrationType::Mock), MethodOptions::default())?;
        }
        if methods.is_empty() {
            last.add_method("GET", Integration::new(IntegrationType::Mock), MethodOptions::default())?;
        }
        Ok(())
    }
}

#[test]
fn api_gateway_path_parts_and_methods_follow_its_rules() {
    refused(api(&[&["{}"]], &[]), "S/Api/Default", "path part '{}' is invalid");
    refused(api(&[&[""]], &[]), "S/Api/Default", "path part '' is invalid");
    refused(api(&[&["a/b"]], &[]), "S/Api/Default", "no '/'");
    refused(api(&[&["{proxy+}", "more"]], &[]), "S/Api/Default/{proxy+}", "greedy path variable");
    refused(api(&[&["{id}"], &["{name}"]], &[]), "S/Api/Default", "one variable per level");
    refused(api(&[&["v1"]], &["GET", "get"]), "S/Api/Default/v1", "already has a GET method");
    refused(api(&[&["v1"], &["v1"]], &[]), "S/Api/Default", "the resource /v1 already exists");
    accepted(api(&[&["v1", "{id}"], &["items"], &["{proxy+}"]], &["GET", "POST"]));
    // `Default` is a valid path part.
    let app = accepted(api(&[&["Default", "{id}"]], &["GET"]));
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let parts: Vec<&str> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::ApiGateway::Resource")
        .map(|r| r["Properties"]["PathPart"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["Default", "{id}"]);
}

#[test]
fn pinned_availability_zones_that_repeat_or_name_the_region_are_refused() {
    refused(pinned_azs(&["us-east-1a", "us-east-1a"]), "S", "pinned twice");
    refused(pinned_azs(&["us-east-1"]), "S", "not the region name");
    accepted(pinned_azs(&["us-east-1a", "us-east-1b"]));
}

#[test]
fn a_second_private_dns_endpoint_or_gateway_endpoint_for_one_service_is_refused() {
    refused(second_interface(true), "S/Vpc/Ecr2", "S/Vpc/Ecr1 already serves ecr.api with private DNS");
    accepted(second_interface(false));
    let gateway = |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let vpc = isolated_vpc(&s, "Vpc")?;
        vpc.add_gateway_endpoint("S3a", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3))?;
        vpc.add_gateway_endpoint("S3b", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3))?;
        Ok(())
    };
    refused(gateway, "S/Vpc/S3b", "already routes s3");
}

#[test]
fn a_target_group_in_another_vpc_or_behind_two_nlbs_is_refused() {
    refused(lb_pair(true, false), "S/Nlb/L", "a target group must be in its load balancer's VPC");
    refused(lb_pair(false, true), "S/Nlb2/L", "load balancer S/Nlb already uses");
    accepted(lb_pair(false, false));
}

#[test]
fn health_checks_elb_rejects_are_refused() {
    refused(health_check(HealthCheck::new().path("/health")), "S/Tg", "needs protocol HTTP or HTTPS");
    refused(health_check(HealthCheck::new().protocol(HealthCheckProtocol::Http).path("health")), "S/Tg", "must start with '/'");
    refused(health_check(HealthCheck::new().healthy_threshold_count(11)), "S/Tg", "healthy threshold is 11");
    refused(health_check(HealthCheck::new().port(0)), "S/Tg", "port 0");
    refused(health_check(HealthCheck::new().timeout(Duration::seconds(30))), "S/Tg", "timeout is 30 s and the interval 30 s (Elastic Load Balancing's default)");
    refused(health_check(HealthCheck::new().interval(Duration::seconds(10)).timeout(Duration::seconds(10))), "S/Tg", "must be less than the interval");
    refused(health_check(HealthCheck::new().timeout(Duration::seconds(1))), "S/Tg", "timeout (seconds) is 1");
    // An application target group checks by HTTP or HTTPS only.
    refused(
        |app: &App| -> Result<()> {
            let s = Stack::new(app, "S")?;
            let vpc = isolated_vpc(&s, "Vpc")?;
            ApplicationTargetGroup::new(&s, "Tg", ApplicationTargetGroupProps::new(&vpc, 80).health_check(HealthCheck::new().protocol(HealthCheckProtocol::Tcp))).map(|_| ())
        },
        "S/Tg",
        "a TCP health check is for network target groups",
    );
    accepted(health_check(HealthCheck::new().interval(Duration::seconds(10)).timeout(Duration::seconds(6))));
    accepted(health_check(HealthCheck::new().protocol(HealthCheckProtocol::Http).path("/health").healthy_threshold_count(3)));
}

fn claims(kind: &'static str, fixed: bool) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::with_props(app, "S", StackProps::new().env(Environment::region("us-east-1")))?;
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)]))?;
        match kind {
            "eip" => {
                let public = vpc.select_subnets(&ec2::SubnetSelection::of_type(SubnetType::Public))?;
                let eips = [ec2::ElasticIp::new(&s, "Eip", ec2::ElasticIpProps::new())?, ec2::ElasticIp::new(&s, "Eip2", ec2::ElasticIpProps::new())?];
                for (i, id) in ["Nlb", "Nlb2"].into_iter().enumerate() {
                    let eip = if fixed { &eips[i] } else { &eips[0] };
                    NetworkLoadBalancer::new(&s, id, NetworkLoadBalancerProps::new(&vpc).internet_facing(true)
                        .subnet_mappings(vec![SubnetMapping::new(&public[0]).allocation_id(eip.allocation_id())]))?;
                }
            }
            _ => {
                PrivateHostedZone::new(&s, "Zone", PrivateHostedZoneProps::new("internal.example.com", &vpc))?;
                PrivateHostedZone::new(&s, "Zone2", PrivateHostedZoneProps::new(if fixed { "other.example.com" } else { "internal.example.com" }, &vpc))?;
            }
        }
        Ok(())
    }
}

#[test]
fn one_elastic_ip_on_two_load_balancers_or_two_private_zones_of_one_name_in_a_vpc_are_refused() {
    refused(claims("eip", false), "S/Nlb2/Resource", "S/Nlb/Resource claims it already");
    refused(claims("zone", false), "S/Zone2/Resource", "the private hosted zone 'internal.example.com' in VPC");
    accepted(claims("eip", true));
    // A literal allocation id is checked as EC2 writes it.
    for (bad, ok) in [("eipalloc-nope", false), ("eipalloc-", false), ("eipalloc-0123456789abcdef0", true)] {
        let build = move |app: &App| -> Result<()> {
            let s = Stack::new(app, "S")?;
            let vpc = Vpc::new(&s, "Vpc", VpcProps::new().subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)]))?;
            let public = vpc.select_subnets(&ec2::SubnetSelection::of_type(SubnetType::Public))?;
            NetworkLoadBalancer::new(&s, "Nlb", NetworkLoadBalancerProps::new(&vpc).internet_facing(true).subnet_mappings(vec![SubnetMapping::new(&public[0]).allocation_id(bad)])).map(|_| ())
        };
        if ok {
            accepted(build);
        } else {
            refused(build, "S/Nlb", &format!("'{bad}' is not an Elastic IP allocation id"));
        }
    }
    accepted(claims("zone", true));
}

fn known_late(late: bool) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let id = Parameter::new(&s, "VpcId", ParameterProps::new(ParameterType::VpcId))?;
        let cidr = Parameter::new(&s, "VpcCidr", ParameterProps::new(ParameterType::String))?;
        if !late {
            cidr.known_value("10.8.0.0/16");
        }
        let vpc = Vpc::from_attributes(&s, "Prod", ec2::VpcAttributes::from_parameters(&id, &cidr))?;
        SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc))?;
        if late {
            cidr.known_value("10.8.0.0/16");
        }
        Ok(())
    }
}

#[test]
fn a_known_value_declared_after_an_import_read_the_parameter_is_refused() {
    refused(known_late(true), "S/VpcCidr", "known_value('10.8.0.0/16') is declared after a construct read");
    accepted(known_late(false));
}

fn role_with(policies: Vec<ironcdk::iam::ManagedPolicy>) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let mut props = ironcdk::iam::RoleProps::new(ironcdk::iam::Principal::service("ecs-tasks.amazonaws.com"));
        for p in policies {
            props = props.managed_policy(p);
        }
        ironcdk::iam::Role::new(&s, "Role", props).map(|_| ())
    }
}

fn big_policy(resources: usize) -> impl FnOnce(&App) -> Result<()> {
    move |app: &App| -> Result<()> {
        let s = Stack::new(app, "S")?;
        let mut statement = ironcdk::iam::PolicyStatement::allow().actions(["s3:GetObject"]);
        for i in 0..resources {
            statement = statement.resource(format!("arn:aws:s3:::bucket-{i:04}/*"));
        }
        ironcdk::iam::ManagedPolicy::new(&s, "Policy", ironcdk::iam::ManagedPolicyProps::new(vec![statement])).map(|_| ())
    }
}

#[test]
fn iam_policy_names_arns_sizes_and_counts_iam_refuses_are_refused() {
    use ironcdk::iam::ManagedPolicy;
    refused(role_with(vec![ManagedPolicy::from_aws_managed_policy_name("service-role/Amazon ECS")]), "S/Role", "is not an AWS managed policy name");
    refused(role_with(vec![ManagedPolicy::from_aws_managed_policy_name("/AdministratorAccess")]), "S/Role", "is not an AWS managed policy name");
    refused(role_with(vec![ManagedPolicy::from_managed_policy_arn("arn:aws:s3:::bucket")]), "S/Role", "is not an IAM policy ARN");
    refused(role_with(vec![ManagedPolicy::from_managed_policy_arn("arn:aws:iam::12345:policy/P")]), "S/Role", "is not an IAM policy ARN");
    let many = |n: usize| (0..n).map(|i| ManagedPolicy::from_managed_policy_arn(format!("arn:aws:iam::123456789012:policy/p{i}"))).collect::<Vec<_>>();
    refused(role_with(many(21)), "S/Role", "has 21 managed policies; IAM attaches at most 20");
    // Eleven synthesize, with a warning naming the default quota.
    let app = accepted(role_with(many(11)));
    let warned = app.synth_in_memory().unwrap().findings.iter().any(|f| f.rule == "iam-limits" && f.message.contains("default quota is 10"));
    assert!(warned);
    accepted(role_with(vec![
        ManagedPolicy::from_aws_managed_policy_name("service-role/AmazonECSTaskExecutionRolePolicy"),
        ManagedPolicy::from_managed_policy_arn("arn:aws-cn:iam::aws:policy/ReadOnlyAccess"),
        ManagedPolicy::from_managed_policy_arn("arn:aws:iam::123456789012:policy/team/Deploy"),
    ]));
    // A document over 6,144 characters is refused at synth by the iam-limits rule.
    refused(big_policy(230), "S/Policy/Resource", "IAM refuses a managed policy over 6144");
    accepted(big_policy(200));
}

fn hatch(kind: &'static str, fixed: bool) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "S")?;
        let vpc = ec2::CfnVpc::new(&s, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16"))?;
        let t = ironcdk::sns::CfnTopic::new(&s, "Topic", ironcdk::sns::CfnTopicProps::new())?;
        let name = if fixed { "Vpc" } else { "Vcp" };
        match kind {
            "DependsOn" => t.add_override("DependsOn", vec![name.to_string()]),
            "Condition" => {
                let c = if fixed { "IsProd" } else { "IsPord" };
                ironcdk::Condition::new(&s, "IsProd", fns::equals::<String>(ironcdk::Pseudo::Region.val(), "us-east-1"))?;
                t.add_override("Condition", c);
            }
            _ => {
                let j = serde_json::json!({"Ref": name});
                t.add_property_override("DisplayName", ironcdk::Value::from_json(&j));
            }
        }
        let _ = vpc;
        Ok(())
    }
}

#[test]
fn escape_hatches_that_name_nothing_in_the_template_are_refused() {
    refused(hatch("DependsOn", false), "S/Topic", "DependsOn names 'Vcp'");
    refused(hatch("Condition", false), "S/Topic", "Condition names 'IsPord'");
    refused(hatch("Ref", false), "S/Topic", "Ref names 'Vcp'");
    for kind in ["DependsOn", "Condition", "Ref"] {
        accepted(hatch(kind, true));
    }
}

// ---- Errors that name the construct that asked ----

#[test]
fn errors_name_the_construct_that_asked() {
    // A subnet selection is reported on the load balancer that made it, not on the VPC.
    refused(
        |app| {
            let s = Stack::new(app, "S")?;
            let vpc = isolated_vpc(&s, "Vpc")?;
            NetworkLoadBalancer::new(&s, "Nlb", NetworkLoadBalancerProps::new(&vpc).vpc_subnets(ec2::SubnetSelection::of_type(SubnetType::Public))).map(|_| ())
        },
        "S/Nlb",
        "no subnets of VPC S/Vpc match",
    );
    // A log group name error names the log group, not its parent.
    refused(
        |app| {
            let s = Stack::new(app, "S")?;
            let group = s.scope().child("Group", "test")?;
            LogGroup::new(&group, "Logs", LogGroupProps::new().log_group_name("bad name!")).map(|_| ())
        },
        "S/Group/Logs",
        "log group name 'bad name!' is invalid",
    );
    // Stack names are reported on the App, never with an empty path.
    let e = error_of(|app| Stack::new(app, "bad_name").map(|_| ()));
    assert!(e.starts_with("App: "), "{e}");
}

/// Every corrected program above, linted in one cfn-lint run.
#[test]
fn every_corrected_program_passes_cfn_lint() {
    let dir = common::temp_dir("hostile-lint");
    let apps: Vec<(&str, App)> = vec![
        ("cross-app", accepted(cross_app(true))),
        ("udp", accepted(|app| {
            let s = Stack::new(app, "S")?;
            let td = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new())?;
            td.add_container("dns", ContainerDefinitionOptions::new(ContainerImage::from_registry("coredns/coredns")).port_mappings(vec![PortMapping::udp(53)]))?;
            Ok(())
        })),
        ("outputs", accepted(many("outputs", 200))),
        ("tags", accepted(tagged("k".repeat(128), "v".repeat(256), 46))),
        ("task", accepted(task(1024, 2048, "web-app_1", Some(1024), Some("my-family")))),
        ("service", accepted(service(Some(50), Some(200)))),
        ("api", accepted(api(&[&["v1", "{id}"], &["items"], &["{proxy+}"]], &["GET", "POST"]))),
        ("api-default", accepted(api(&[&["Default", "{id}"]], &["GET"]))),
        ("hatch-depends", accepted(hatch("DependsOn", true))),
        ("hatch-ref", accepted(hatch("Ref", true))),
        ("hatch-condition", accepted(hatch("Condition", true))),
        ("interval", accepted(tg_interval(Duration::seconds(30)))),
        ("protocol", accepted(sg_protocol("udp"))),
        ("pinned", accepted(pinned_azs(&["us-east-1a", "us-east-1b"]))),
        ("endpoints", accepted(second_interface(false))),
        ("lb", accepted(lb_pair(false, false))),
        ("health", accepted(health_check(HealthCheck::new().protocol(HealthCheckProtocol::Http).path("/health").healthy_threshold_count(3)))),
        ("repo", accepted(repo(vec![
            LifecycleRule::new().rule_priority(1).tag_status(TagStatus::Untagged).max_image_count(1),
            LifecycleRule::new().rule_priority(2).max_image_count(3),
        ]))),
        ("description", accepted(|app| Stack::with_props(app, "S", StackProps::new().description("d".repeat(1024))).and_then(|s| topic(&s, "T")))),
    ];
    let paths = common::write_templates(&dir, &apps);
    let Some(warnings) = common::cfn_lint_all(&paths) else { return };
    // W3005: the DependsOn escape hatch names a resource the topic does not reference; that
    // is what the program asked for, and CloudFormation accepts it.
    let unexpected: Vec<&String> = warnings.iter().filter(|w| !w.contains("W3005")).collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

#[test]
fn construct_handles_used_after_their_app_is_gone_refuse_without_panicking() {
    // Build a service, then drop every App and Stack handle and keep only construct handles.
    let (vpc, sg, td, cluster, repository) = {
        let app = App::new();
        let s = Stack::new(&app, "Gone").unwrap();
        let vpc = isolated_vpc(&s, "Vpc").unwrap();
        let sg = SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
        let td = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new()).unwrap();
        let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
        let repository = Repository::new(&s, "Repo", RepositoryProps::new()).unwrap();
        (vpc, sg, td, cluster, repository)
    };
    // Reads are empty; anything that would add a construct is an error naming the cause.
    assert_eq!(vpc.scope().path(), "");
    fn gone<T>(r: Result<T>) {
        match r {
            Ok(_) => panic!("a handle whose App is gone added a construct"),
            Err(e) => assert!(e.to_string().contains("App no longer exists"), "{e}"),
        }
    }
    gone(vpc.add_interface_endpoint("Logs", InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS)));
    gone(vpc.add_gateway_endpoint("S3", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3)));
    gone(td.add_container("app", ContainerDefinitionOptions::new(ContainerImage::from_ecr_repository(&repository, "1"))));
    gone(FargateService::new(&cluster, "Service", FargateServiceProps::new(&cluster, &td)));
    gone(sg.scope().child("Late", "test"));
    // Changes that add no construct are dropped with the tree, which can no longer be synthesized.
    let _ = sg.add_ingress_rule(ironcdk::ec2::Peer::ipv4("10.0.0.0/16"), Port::tcp(443), None);
    sg.scope().add_tag("team", "api");
    // The same handles in a new App are refused at synth as another App's constructs.
    let app = App::new();
    let s = Stack::new(&app, "New").unwrap();
    SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("New/Sg/Resource: references a construct of another App"), "{e}");
}
