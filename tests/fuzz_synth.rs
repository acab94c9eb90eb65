//! Property: for any app built through the public API, synth never panics. It either writes
//! templates (valid JSON) or returns errors that each name a construct path (or `App`).
//!
//! Random programs are sequences of operations (stacks, VPCs, security groups, endpoints, load
//! balancers, target groups, listeners, task definitions, services, APIs, repositories, tags,
//! cross-stack and cross-App references, deep values, escape hatches, imported VPCs, peering,
//! ALB listener rules, capacity provider strategies), with values drawn from
//! valid and invalid ranges alike. The test command runs 256 programs; run longer with
//! `PROPTEST_CASES=5000 cargo test --test fuzz_synth`.

use ironcdk::apigateway::{Integration, IntegrationType, MethodOptions, RestApi, RestApiProps};
use ironcdk::ec2::{
    GatewayVpcEndpointAwsService, GatewayVpcEndpointOptions, InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, Peer, Port, SecurityGroup,
    SecurityGroupImportProps, SecurityGroupProps, SubnetAttributes, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcAttributes,
    VpcPeeringConnection, VpcPeeringConnectionProps, VpcProps,
};
use ironcdk::ecr::{LifecycleRule, Repository, RepositoryProps};
use ironcdk::ecs::{CapacityProvider, CapacityProviderStrategy, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, PortMapping};
use ironcdk::elasticloadbalancingv2::{
    ApplicationListener, ApplicationListenerAttributes, ApplicationListenerRule, ApplicationListenerRuleProps, ApplicationTargetGroup,
    ApplicationTargetGroupProps, ListenerCondition, TargetType,
};
use ironcdk::elasticloadbalancingv2::{HealthCheck, NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps};
use ironcdk::{fns, App, AsScope, Duration, Error, Stack, StackProps};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Stack(String, bool),
    Vpc(usize, String, Option<u8>, usize, bool),
    SecurityGroup(usize, &'static str, i32, i32),
    Endpoint(usize, usize, bool),
    Gateway(usize),
    Nlb(usize, bool),
    TargetGroup(usize, u16, u64, u32),
    Listener(usize, usize, u16),
    Task(usize, u32, u32, String, Option<u32>, u16, bool),
    Service(usize, usize, u32, Option<u32>, Option<u32>),
    Api(usize, Vec<String>, String),
    Repo(usize, u32, u32),
    Tag(usize, String, String),
    CrossStackGroup(usize, usize),
    OtherApp(usize),
    Deep(usize, usize),
    Hatch(usize, String),
    /// An imported VPC: stack, id text, range text, subnet id text, route table text.
    Import(usize, String, String, String, String),
    /// A peering between two VPCs, with routes.
    Peer(usize, usize),
    /// A rule on an imported listener: stack, VPC, priority, host values, path values.
    Rule(usize, usize, u32, Vec<String>, Vec<String>),
    /// A service on capacity providers: task, VPC, enable providers, weights and bases.
    Spot(usize, usize, bool, Vec<(bool, Option<u32>, Option<u32>)>),
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9-]{0,12}",
        "[A-Za-z0-9 _/{}+.:-]{0,14}",
        Just(String::new()),
        Just("Default".to_string()),
        Just("x".repeat(300)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0usize..6;
    prop_oneof![
        (name(), any::<bool>()).prop_map(|(n, env)| Op::Stack(n, env)),
        (i.clone(), prop_oneof![Just("10.0.0.0/16".to_string()), Just("10.0.0.1/16".to_string()), Just("10.0.0.0/8".to_string()), Just("10.0.0.0/24".to_string()), "[0-9./]{0,18}"], proptest::option::of(0u8..40), 0usize..5, any::<bool>())
            .prop_map(|(s, c, m, azs, public)| Op::Vpc(s, c, m, azs, public)),
        (i.clone(), prop_oneof![Just("tcp"), Just("udp"), Just("UDP"), Just("-1"), Just("icmp"), Just("x"), Just("6")], -2i32..70000, -2i32..70000)
            .prop_map(|(v, p, a, b)| Op::SecurityGroup(v, p, a, b)),
        (i.clone(), 0usize..4, any::<bool>()).prop_map(|(v, s, dns)| Op::Endpoint(v, s, dns)),
        i.clone().prop_map(Op::Gateway),
        (i.clone(), any::<bool>()).prop_map(|(v, f)| Op::Nlb(v, f)),
        (i.clone(), any::<u16>(), prop_oneof![0u64..400, Just(u64::MAX)], 0u32..12).prop_map(|(v, p, iv, t)| Op::TargetGroup(v, p, iv, t)),
        (i.clone(), i.clone(), any::<u16>()).prop_map(|(n, t, p)| Op::Listener(n, t, p)),
        (i.clone(), prop_oneof![Just(256u32), Just(512), Just(1024), Just(300)], prop_oneof![Just(512u32), Just(1024), Just(2048), Just(0), Just(u32::MAX)], name(), proptest::option::of(prop_oneof![Just(0u32), 1u32..5000, Just(u32::MAX)]), any::<u16>(), any::<bool>())
            .prop_map(|(s, c, m, n, cm, p, u)| Op::Task(s, c, m, n, cm, p, u)),
        (i.clone(), i.clone(), 0u32..4, proptest::option::of(0u32..300), proptest::option::of(0u32..300)).prop_map(|(t, v, d, a, b)| Op::Service(t, v, d, a, b)),
        (i.clone(), proptest::collection::vec(prop_oneof![name(), Just("{id}".to_string()), Just("{proxy+}".to_string()), Just("{}".to_string())], 0..4), prop_oneof![Just("GET".to_string()), Just("get".to_string()), Just("FETCH".to_string()), Just("ANY".to_string())])
            .prop_map(|(s, parts, m)| Op::Api(s, parts, m)),
        (i.clone(), 0u32..4, 0u32..4).prop_map(|(s, c, p)| Op::Repo(s, c, p)),
        (i.clone(), prop_oneof![name(), Just("aws:x".to_string()), Just("k".repeat(129))], prop_oneof![name(), Just("v".repeat(257))]).prop_map(|(s, k, v)| Op::Tag(s, k, v)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Op::CrossStackGroup(a, b)),
        i.clone().prop_map(Op::OtherApp),
        (i.clone(), prop_oneof![0usize..10, Just(200), Just(5000)]).prop_map(|(s, d)| Op::Deep(s, d)),
        (i.clone(), prop_oneof![Just("DependsOn".to_string()), Just("Properties.A.0.B".to_string()), Just("Condition".to_string()), name()]).prop_map(|(s, p)| Op::Hatch(s, p)),
        (
            i.clone(),
            prop_oneof![Just("vpc-00000abc".to_string()), name()],
            prop_oneof![Just("10.9.0.0/16".to_string()), Just("10.0.0.0/8".to_string()), "[0-9./]{0,18}"],
            prop_oneof![Just("subnet-00000001".to_string()), name()],
            prop_oneof![Just("rtb-00000001".to_string()), name()],
        )
            .prop_map(|(s, v, c, sub, rt)| Op::Import(s, v, c, sub, rt)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Op::Peer(a, b)),
        (i.clone(), i.clone(), prop_oneof![0u32..3, Just(50_001), any::<u32>()], proptest::collection::vec(name(), 0..4), proptest::collection::vec(name(), 0..4))
            .prop_map(|(s, v, p, h, q)| Op::Rule(s, v, p, h, q)),
        (i.clone(), i, any::<bool>(), proptest::collection::vec((any::<bool>(), proptest::option::of(0u32..1200), proptest::option::of(0u32..3)), 0..3))
            .prop_map(|(t, v, e, s)| Op::Spot(t, v, e, s)),
    ]
}

/// The construct handles a program has made so far.
#[derive(Default)]
struct Made {
    stacks: Vec<Stack>,
    vpcs: Vec<Vpc>,
    nlbs: Vec<NetworkLoadBalancer>,
    tgs: Vec<NetworkTargetGroup>,
    tasks: Vec<FargateTaskDefinition>,
    others: Vec<App>,
}

fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
    items.get(i.checked_rem(items.len())?).cloned()
}

/// Every place an error says where it is.
fn locations(e: &Error, out: &mut Vec<String>) {
    match e {
        Error::Many(es) => es.iter().for_each(|e| locations(e, out)),
        Error::DuplicateId { path, .. } | Error::InvalidId { path, .. } | Error::CrossStackReference { path, .. } | Error::NotAnElement { path, .. } | Error::Validation { path, .. } => {
            out.push(path.clone())
        }
        Error::DuplicateLogicalId { second, .. } => out.push(second.clone()),
        Error::Finding(f) => out.push(f.location()),
        Error::Io { path, .. } => out.push(path.display().to_string()),
        other => out.push(format!("unknown error kind: {other}")),
    }
}

fn assert_names_a_path(e: &Error) {
    let mut places = Vec::new();
    locations(e, &mut places);
    assert!(!places.is_empty());
    for p in places {
        assert!(!p.is_empty() && !p.starts_with("unknown"), "an error without a path: {e}");
    }
}

fn apply(app: &App, made: &mut Made, op: &Op) -> ironcdk::Result<()> {
    let isolated = || vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)];
    match op {
        Op::Stack(n, env) => {
            let props = if *env { StackProps::new().env(ironcdk::Environment::region("us-east-1")) } else { StackProps::new() };
            made.stacks.push(Stack::with_props(app, n, props)?);
        }
        Op::Vpc(s, cidr, mask, azs, public) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            let mut config = isolated();
            if let Some(m) = mask {
                config = vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated).cidr_mask(*m)];
            }
            if *public {
                config.push(SubnetConfiguration::new("Public", SubnetType::Public));
            }
            let id = format!("Vpc{}", made.vpcs.len());
            made.vpcs.push(Vpc::new(&stack, &id, VpcProps::new().ip_addresses(cidr.clone()).max_azs(*azs).subnet_configuration(config))?);
        }
        Op::SecurityGroup(v, protocol, from, to) => {
            let Some(vpc) = pick(&made.vpcs, *v) else { return Ok(()) };
            let sg = SecurityGroup::new(&vpc, &format!("Sg{from}x{to}"), SecurityGroupProps::new(&vpc))?;
            sg.add_ingress_rule(Peer::ipv4("10.0.0.0/8"), Port { protocol, from: *from, to: *to }, None)?;
        }
        Op::Endpoint(v, service, dns) => {
            let Some(vpc) = pick(&made.vpcs, *v) else { return Ok(()) };
            let services = [InterfaceVpcEndpointAwsService::ECR, InterfaceVpcEndpointAwsService::ECR_DOCKER, InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS, InterfaceVpcEndpointAwsService::SSM];
            let svc = services.get(*service).copied().unwrap_or(InterfaceVpcEndpointAwsService::ECR);
            vpc.add_interface_endpoint(&format!("Ep{service}{dns}"), InterfaceVpcEndpointOptions::new(svc).private_dns_enabled(*dns))?;
        }
        Op::Gateway(v) => {
            let Some(vpc) = pick(&made.vpcs, *v) else { return Ok(()) };
            vpc.add_gateway_endpoint("S3", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3))?;
        }
        Op::Nlb(v, facing) => {
            let Some(vpc) = pick(&made.vpcs, *v) else { return Ok(()) };
            let id = format!("Nlb{}", made.nlbs.len());
            made.nlbs.push(NetworkLoadBalancer::new(&vpc.scope().stack_root(), &id, NetworkLoadBalancerProps::new(&vpc).internet_facing(*facing))?);
        }
        Op::TargetGroup(v, port, interval, threshold) => {
            let Some(vpc) = pick(&made.vpcs, *v) else { return Ok(()) };
            let id = format!("Tg{}", made.tgs.len());
            let hc = HealthCheck::new().interval(Duration::seconds(*interval)).healthy_threshold_count(*threshold);
            made.tgs.push(NetworkTargetGroup::new(&vpc.scope().stack_root(), &id, NetworkTargetGroupProps::new(&vpc, *port).health_check(hc))?);
        }
        Op::Listener(n, t, port) => {
            let (Some(nlb), Some(tg)) = (pick(&made.nlbs, *n), pick(&made.tgs, *t)) else { return Ok(()) };
            nlb.add_listener(&format!("L{port}"), NetworkListenerProps::new(*port).default_target_groups(vec![tg]))?;
        }
        Op::Task(s, cpu, memory, container, cmem, port, udp) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            let id = format!("Task{}", made.tasks.len());
            let td = FargateTaskDefinition::new(&stack, &id, FargateTaskDefinitionProps::new().cpu(*cpu).memory_limit_mib(*memory))?;
            made.tasks.push(td.clone());
            let mut options = ContainerDefinitionOptions::new(ContainerImage::from_registry("nginx"));
            if let Some(m) = cmem {
                options = options.memory_limit_mib(*m);
            }
            let c = td.add_container(container, options)?;
            c.add_port_mappings(if *udp { PortMapping::udp(*port) } else { PortMapping::tcp(*port) })?;
        }
        Op::Service(t, v, desired, min, max) => {
            let (Some(td), Some(vpc)) = (pick(&made.tasks, *t), pick(&made.vpcs, *v)) else { return Ok(()) };
            let root = vpc.scope().stack_root();
            let cluster = Cluster::new(&root, &format!("Cluster{t}"), ClusterProps::new().vpc(&vpc))?;
            let mut props = FargateServiceProps::new(&cluster, &td).desired_count(*desired);
            if let Some(m) = min {
                props = props.min_healthy_percent(*m);
            }
            if let Some(m) = max {
                props = props.max_healthy_percent(*m);
            }
            let service = FargateService::new(&root, &format!("Service{t}"), props)?;
            if let Some(tg) = pick(&made.tgs, *t) {
                service.attach_to_network_target_group(&tg)?;
            }
        }
        Op::Api(s, parts, method) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            let api = RestApi::new(&stack, "Api", RestApiProps::new())?;
            let mut r = api.root().clone();
            for p in parts {
                r = r.add_resource(p)?;
            }
            r.add_method(method, Integration::new(IntegrationType::Mock), MethodOptions::default())?;
        }
        Op::Repo(s, count, priority) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            Repository::new(&stack, "Repo", RepositoryProps::new().lifecycle_rules(vec![LifecycleRule::new().rule_priority(*priority).max_image_count(*count)]))?;
        }
        Op::Tag(s, k, v) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            stack.scope().add_tag(k.clone(), v.clone());
        }
        Op::CrossStackGroup(s, v) => {
            let (Some(stack), Some(vpc)) = (pick(&made.stacks, *s), pick(&made.vpcs, *v)) else { return Ok(()) };
            SecurityGroup::new(&stack, &format!("Imported{v}"), SecurityGroupProps::new(&vpc))?;
        }
        Op::OtherApp(s) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            let other = App::new();
            let there = Stack::new(&other, "There")?;
            let vpc = Vpc::new(&there, "Vpc", VpcProps::new().subnet_configuration(isolated()))?;
            SecurityGroup::new(&stack, "FromOtherApp", SecurityGroupProps::new(&vpc))?;
            made.others.push(other);
        }
        Op::Deep(s, depth) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            let mut v: ironcdk::Val<String> = "x".into();
            for _ in 0..*depth {
                v = fns::base64(v);
            }
            ironcdk::ssm::CfnParameter::new(&stack, &format!("Deep{depth}"), ironcdk::ssm::CfnParameterProps::new(ironcdk::ssm::cfn_parameter::ParameterType::String, v))?;
        }
        Op::Hatch(s, path) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            let t = ironcdk::sns::CfnTopic::new(&stack, &format!("Hatch{}", path.len()), ironcdk::sns::CfnTopicProps::new())?;
            t.add_override(path, "Nothing");
        }
        Op::Import(s, id, cidr, subnet, table) => {
            let Some(stack) = pick(&made.stacks, *s) else { return Ok(()) };
            let attrs = VpcAttributes::new(id.as_str(), cidr)
                .public_subnets(vec![SubnetAttributes::new(subnet.as_str()).route_table_id(table.as_str()).availability_zone("us-east-1a")]);
            made.vpcs.push(Vpc::from_attributes(&stack, &format!("Imported{}", made.vpcs.len()), attrs)?);
        }
        Op::Peer(a, b) => {
            let (Some(x), Some(y)) = (pick(&made.vpcs, *a), pick(&made.vpcs, *b)) else { return Ok(()) };
            let root = x.scope().stack_root();
            let p = VpcPeeringConnection::new(&root, &format!("Peering{a}x{b}"), VpcPeeringConnectionProps::new(&x, &y))?;
            p.add_routes(&SubnetSelection::default(), &SubnetSelection::default())?;
        }
        Op::Rule(s, v, priority, hosts, paths) => {
            let (Some(stack), Some(vpc)) = (pick(&made.stacks, *s), pick(&made.vpcs, *v)) else { return Ok(()) };
            let group = SecurityGroup::from_security_group_id(&stack, &format!("AlbSg{priority}"), "sg-0a1b2c3d", SecurityGroupImportProps::new())?;
            let arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/0123456789abcdef/0123456789abcdef";
            let listener = ApplicationListener::from_application_listener_attributes(&stack, &format!("Listener{priority}"), ApplicationListenerAttributes::new(arn, &group))?;
            let tg = ApplicationTargetGroup::new(&stack, &format!("AlbTg{priority}"), ApplicationTargetGroupProps::new(&vpc, 80).target_type(TargetType::Ip))?;
            let mut conditions = Vec::new();
            if !hosts.is_empty() {
                conditions.push(ListenerCondition::host_headers(hosts.clone()));
            }
            if !paths.is_empty() {
                conditions.push(ListenerCondition::path_patterns(paths.clone()));
            }
            ApplicationListenerRule::new(&stack, &format!("Rule{priority}"), ApplicationListenerRuleProps::new(&listener, *priority).conditions(conditions).target_groups(vec![tg]))?;
        }
        Op::Spot(t, v, enable, strategy) => {
            let (Some(td), Some(vpc)) = (pick(&made.tasks, *t), pick(&made.vpcs, *v)) else { return Ok(()) };
            let root = vpc.scope().stack_root();
            let cluster = Cluster::new(&root, &format!("SpotCluster{t}"), ClusterProps::new().vpc(&vpc).enable_fargate_capacity_providers(*enable))?;
            let strategy = strategy
                .iter()
                .map(|(spot, w, b)| {
                    let mut c = CapacityProviderStrategy::new(if *spot { CapacityProvider::FargateSpot } else { CapacityProvider::Fargate });
                    if let Some(w) = w {
                        c = c.weight(*w);
                    }
                    if let Some(b) = b {
                        c = c.base(*b);
                    }
                    c
                })
                .collect();
            FargateService::new(&root, &format!("SpotService{t}"), FargateServiceProps::new(&cluster, &td).capacity_provider_strategies(strategy))?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn synth_never_panics_and_every_error_names_a_path(ops in proptest::collection::vec(op(), 1..24)) {
        let app = App::new();
        let mut made = Made::default();
        for op in &ops {
            if let Err(e) = apply(&app, &mut made, op) {
                assert_names_a_path(&e);
            }
        }
        let result = app.synth_in_memory();
        if std::env::var_os("FUZZ_STATS").is_some() {
            eprintln!("ops {} stacks {} -> {}", ops.len(), made.stacks.len(), if result.is_ok() { "ok" } else { "err" });
        }
        match result {
            Ok(assembly) => {
                for s in &assembly.stacks {
                    prop_assert!(serde_json::from_str::<serde_json::Value>(&s.template_json).is_ok());
                }
            }
            Err(e) => assert_names_a_path(&e),
        }
    }
}
