//! Bad input to L2 constructs: a `Result` error naming the construct path, what is wrong and
//! how to fix it; never a panic.

use ironcdk::apigateway::{RestApi, RestApiProps};
use ironcdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
use ironcdk::ecs::{FargateTaskDefinition, FargateTaskDefinitionProps};
use ironcdk::elasticloadbalancingv2::{NetworkLoadBalancer, NetworkLoadBalancerProps};
use ironcdk::logs::RetentionDays;
use ironcdk::{App, Stack};

mod common;

fn stack() -> (App, Stack) {
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    (app, s)
}

fn err<T>(r: ironcdk::Result<T>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn private_with_egress_without_nat_is_refused_with_the_cost_and_the_alternative() {
    let (_, s) = stack();
    let e = err(Vpc::new(&s, "Vpc", VpcProps::new().subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("App", SubnetType::PrivateWithEgress),
    ])));
    assert!(e.starts_with("S/Vpc: subnet group 'App' is PrivateWithEgress but nat_gateways is 0"), "{e}");
    assert!(e.contains("nat_gateways(n)") && e.contains("PrivateIsolated"), "{e}");
}

/// A VPC with the defaults next to one that asks for a NAT gateway.
fn nat_app() -> App {
    let (app, s) = stack();
    Vpc::new(&s, "Default", VpcProps::new()).unwrap();
    Vpc::new(&s, "WithNat", VpcProps::new().nat_gateways(1).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("App", SubnetType::PrivateWithEgress),
    ]))
    .unwrap();
    app
}

#[test]
fn nat_only_when_asked_and_then_one_route_per_private_subnet() {
    let t = nat_app().synth_in_memory().unwrap().stacks[0].template();
    let of = |ty: &str| t["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == ty).map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(of("AWS::EC2::NatGateway"), ["WithNatPublicSubnet1NATGateway5F716427"], "the default VPC has none");
    // 2 public default routes per VPC (to the IGW) + 2 private routes to the one NAT.
    let routes = of("AWS::EC2::Route");
    assert_eq!(routes.len(), 6);
    for id in routes.iter().filter(|r| r.contains("AppSubnet")) {
        assert_eq!(t["Resources"][id]["Properties"]["NatGatewayId"]["Ref"], "WithNatPublicSubnet1NATGateway5F716427");
    }
}

/// Asking for NAT gateways without naming subnet groups gives CDK's default groups for them
/// (`Public` and `Private` with egress, each private subnet routed to a NAT gateway), as
/// `new ec2.Vpc(stack, 'Vpc', { natGateways: 1 })` does; named groups are used as given, so
/// NAT gateways nothing would use are still refused.
#[test]
fn nat_gateways_without_subnet_groups_get_cdks_default_groups() {
    let (app, s) = stack();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new().max_azs(2).nat_gateways(1)).unwrap();
    assert_eq!(vpc.select_subnets(&SubnetSelection::of_type(SubnetType::PrivateWithEgress)).unwrap().len(), 2);
    assert!(vpc.select_subnets(&SubnetSelection::of_type(SubnetType::PrivateIsolated)).is_err(), "no isolated group");
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let res = t["Resources"].as_object().unwrap();
    let nats: Vec<&String> = res.iter().filter(|(_, r)| r["Type"] == "AWS::EC2::NatGateway").map(|(k, _)| k).collect();
    assert_eq!(nats, ["VpcPublicSubnet1NATGateway4D7517AA"]);
    for k in ["VpcPrivateSubnet1DefaultRouteBE02A9ED", "VpcPrivateSubnet2DefaultRoute060D2087"] {
        assert_eq!(res[k]["Properties"]["NatGatewayId"]["Ref"], "VpcPublicSubnet1NATGateway4D7517AA", "{k}");
    }
    // Without NAT the defaults stay public and isolated.
    let plain = Vpc::new(&s, "Plain", VpcProps::new().max_azs(2)).unwrap();
    assert_eq!(plain.select_subnets(&SubnetSelection::of_type(SubnetType::PrivateIsolated)).unwrap().len(), 2);
    // Groups given by name are kept, and NAT that nothing would use is refused as before.
    let e = err(Vpc::new(&s, "Given", VpcProps::new().nat_gateways(1).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated),
    ])));
    assert!(e.starts_with("S/Given: nat_gateways is 1 but no subnet group is PrivateWithEgress"), "{e}");
}

#[test]
fn vpc_range_and_subnet_space_are_checked() {
    let (_, s) = stack();
    assert!(err(Vpc::new(&s, "A", VpcProps::new().ip_addresses("10.0.0.1/16"))).contains("did you mean 10.0.0.0/16"));
    assert!(err(Vpc::new(&s, "B", VpcProps::new().ip_addresses("10.0.0.0/8"))).contains("between /16 and /28"));
    let e = err(Vpc::new(&s, "C", VpcProps::new().ip_addresses("10.0.0.0/24").subnet_configuration(vec![
        SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated).cidr_mask(24),
    ])));
    assert!(e.starts_with("S/C: a /24 subnet does not fit"), "{e}");
}

#[test]
fn subnet_selection_that_matches_nothing_lists_what_exists() {
    let (_, s) = stack();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new().subnet_configuration(vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)])).unwrap();
    let e = err(NetworkLoadBalancer::new(&s, "Nlb", NetworkLoadBalancerProps::new(&vpc).vpc_subnets(SubnetSelection::of_type(SubnetType::Public))));
    // Reported on the load balancer that made the selection, naming the VPC and its groups.
    assert!(e.starts_with("S/Nlb: no subnets of VPC S/Vpc match") && e.contains("'Isolated' (Isolated)"), "{e}");
}

#[test]
fn load_balancer_names_are_checked() {
    let (_, s) = stack();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let e = err(NetworkLoadBalancer::new(&s, "Nlb", NetworkLoadBalancerProps::new(&vpc).load_balancer_name("a-name-that-is-longer-than-32-chars")));
    assert!(e.starts_with("S/Nlb: load balancer name") && e.contains("1 to 32"), "{e}");
    let e = err(NetworkLoadBalancer::new(&s, "Nlb2", NetworkLoadBalancerProps::new(&vpc).internet_facing(true).vpc_subnets(SubnetSelection::of_type(SubnetType::PrivateIsolated))));
    assert!(e.contains("internet-facing load balancer must be in public subnets"), "{e}");
}

#[test]
fn fargate_sizes_are_checked_against_the_allowed_combinations() {
    let (_, s) = stack();
    let e = err(FargateTaskDefinition::new(&s, "T", FargateTaskDefinitionProps::new().cpu(512).memory_limit_mib(512)));
    assert_eq!(e, "S/T: memory 512 MiB is not allowed with cpu 512 on Fargate; use one of 1024, 2048, 3072, 4096");
    assert!(err(FargateTaskDefinition::new(&s, "U", FargateTaskDefinitionProps::new().cpu(300))).contains("not a Fargate size"));
}

#[test]
fn synth_time_validations_report_every_problem_with_its_path() {
    let (app, s) = stack();
    FargateTaskDefinition::new(&s, "Empty", FargateTaskDefinitionProps::new()).unwrap();
    RestApi::new(&s, "Api", RestApiProps::new()).unwrap();
    let e = err(app.synth_in_memory());
    assert!(e.contains("S/Empty: the task definition has no containers"), "{e}");
    assert!(e.contains("S/Api: the API has no methods"), "{e}");
}

#[test]
fn retention_days_accepts_only_cloudwatch_values() {
    assert_eq!(RetentionDays::from_days(731), Ok(RetentionDays::TwoYears));
    assert!(RetentionDays::from_days(2).is_err());
}

/// An API with one mock method on `/v1`.
fn api_app(method: &str) -> App {
    use ironcdk::apigateway::{Integration, IntegrationType, MethodOptions};
    let (app, s) = stack();
    let api = RestApi::new(&s, "Api", RestApiProps::new()).unwrap();
    api.root().add_resource("v1").unwrap().add_method(method, Integration::new(IntegrationType::Mock), MethodOptions::default()).unwrap();
    app
}

/// Changing the API changes the deployment's logical ID (so CloudFormation redeploys it);
/// the same API keeps it.
#[test]
fn api_deployment_id_follows_the_api_content() {
    let deployment_id = |method: &str| {
        let t = api_app(method).synth_in_memory().unwrap().stacks[0].template();
        t["Resources"].as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::ApiGateway::Deployment").unwrap().0.clone()
    };
    let get = deployment_id("GET");
    assert!(get.starts_with("ApiDeployment") && get.len() == "ApiDeployment".len() + 8 + 32, "{get}");
    assert_eq!(get, deployment_id("GET"));
    assert_ne!(get, deployment_id("POST"));
}

/// Every template the tests above synthesize, linted together in one cfn-lint run.
#[test]
fn every_template_built_in_these_tests_passes_cfn_lint() {
    let dir = common::temp_dir("construct-errors-lint");
    let paths = common::write_templates(&dir, &[("nat", nat_app()), ("api-get", api_app("GET")), ("api-post", api_app("POST"))]);
    let Some(warnings) = common::cfn_lint_all(&paths) else { return };
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn forwards_and_services_within_elastic_load_balancings_and_ecss_quotas() {
    use ironcdk::ecs::{Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, PortMapping};
    use ironcdk::elasticloadbalancingv2::{NetworkListenerProps, NetworkTargetGroup, NetworkTargetGroupProps, TargetType};
    let (_, s) = stack();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("App", SubnetType::PrivateIsolated)])).unwrap();
    let nlb = NetworkLoadBalancer::new(&s, "Nlb", NetworkLoadBalancerProps::new(&vpc)).unwrap();
    let groups: Vec<NetworkTargetGroup> =
        (0..6).map(|i| NetworkTargetGroup::new(&s, &format!("Tg{i}"), NetworkTargetGroupProps::new(&vpc, 8080).target_type(TargetType::Ip)).unwrap()).collect();
    let e = err(nlb.add_listener("Six", NetworkListenerProps::new(80).default_target_groups(groups.clone())));
    assert!(e.contains("S/Nlb/Six") && e.contains("forwards to 6 target groups") && e.contains("allows 5"), "{e}");
    let e = err(nlb.add_listener("Twice", NetworkListenerProps::new(81).default_target_groups(vec![groups[0].clone(), groups[0].clone()])));
    assert!(e.contains("S/Nlb/Twice") && e.contains("target group S/Tg0 twice"), "{e}");
    nlb.add_listener("Ok", NetworkListenerProps::new(82).default_target_groups(groups[..5].to_vec())).unwrap();

    let td = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new()).unwrap();
    td.add_container("web", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27")).port_mappings(vec![PortMapping::tcp(8080)])).unwrap();
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let svc = FargateService::new(&s, "Service", FargateServiceProps::new(&cluster, &td)).unwrap();
    svc.attach_to_network_target_group(&groups[0]).unwrap();
    let e = err(svc.attach_to_network_target_group(&groups[0]));
    assert!(e.contains("S/Service") && e.contains("twice"), "{e}");
    for g in &groups[1..5] {
        svc.attach_to_network_target_group(g).unwrap();
    }
    let e = err(svc.attach_to_network_target_group(&groups[5]));
    assert!(e.contains("S/Service") && e.contains("5 target groups already"), "{e}");
}

#[test]
fn a_managed_policy_iam_would_refuse_is_an_error_naming_it() {
    use ironcdk::iam::{ManagedPolicy, ManagedPolicyProps, PolicyStatement};
    let app = ironcdk::App::new();
    let s = ironcdk::Stack::new(&app, "S").unwrap();
    let e = ManagedPolicy::new(&s, "Empty", ManagedPolicyProps::new(Vec::new())).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Empty") && e.contains("no statement"), "{e}");
    let read = || vec![PolicyStatement::allow().actions(["s3:GetObject"]).resource("*")];
    let e = ManagedPolicy::new(&s, "Named", ManagedPolicyProps::new(read()).managed_policy_name("has space")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Named") && e.contains("managed policy name 'has space'"), "{e}");
    let e = ManagedPolicy::new(&s, "Pathed", ManagedPolicyProps::new(read()).path("x/")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Pathed") && e.contains("IAM path 'x/'"), "{e}");
    assert!(ManagedPolicy::new(&s, "Fine", ManagedPolicyProps::new(read()).path("/team/")).is_ok());
}

#[test]
fn a_lambda_function_lambda_would_refuse_is_an_error_naming_it() {
    use ironcdk::lambda::{Code, Function, FunctionProps, Runtime};
    let app = ironcdk::App::new();
    let s = ironcdk::Stack::new(&app, "S").unwrap();
    let zip = || Code::from_bucket("artifacts", "fn.zip");
    let cases: Vec<(&str, FunctionProps, &str)> = vec![
        ("Memory", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", zip()).memory_size(64), "memory size 64 MB"),
        ("Timeout", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", zip()).timeout(ironcdk::Duration::minutes(20)), "timeout 1200 s"),
        ("Reserved", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", zip()).environment("AWS_REGION", "x"), "'AWS_REGION' is reserved"),
        ("BadName", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", zip()).environment("A", "x"), "name 'A' must be"),
        ("Twice", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", zip()).environment("AB", "x").environment("AB", "y"), "given twice"),
        ("Compiled", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", Code::from_inline("x")), "cannot run inline code"),
        ("Large", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("#".repeat(5000))), "over CloudFormation's 4,096"),
        ("NoHandler", FunctionProps::new(Runtime::PYTHON_3_13, " ", zip()), "the handler is empty"),
    ];
    for (id, props, want) in cases {
        let e = Function::new(&s, id, props).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains(&format!("S/{id}")) && e.contains(want), "{id}: {e}");
    }
    assert!(Function::new(&s, "Fine", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", zip()).memory_size(128)).is_ok());
}

#[test]
fn a_dynamodb_table_dynamodb_would_refuse_is_an_error_naming_it() {
    use ironcdk::dynamodb::{Attribute, AttributeType, BillingMode, GlobalSecondaryIndexProps, Table, TableProps};
    let app = ironcdk::App::new();
    let s = ironcdk::Stack::new(&app, "S").unwrap();
    let pk = || Attribute::new("pk", AttributeType::String);
    let e = Table::new(&s, "Named", TableProps::new(pk()).table_name("a b")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Named") && e.contains("table name 'a b'"), "{e}");
    let e = Table::new(&s, "Zero", TableProps::new(pk()).billing_mode(BillingMode::Provisioned { read: 0, write: 5 })).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Zero") && e.contains("at least 1 read"), "{e}");
    let t = Table::new(&s, "Items", TableProps::new(pk())).unwrap();
    let e = t.add_global_secondary_index(GlobalSecondaryIndexProps::new("ix", pk())).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Items") && e.contains("index name 'ix'"), "{e}");
    t.add_global_secondary_index(GlobalSecondaryIndexProps::new("byOwner", Attribute::new("owner", AttributeType::String))).unwrap();
    let e = t.add_global_secondary_index(GlobalSecondaryIndexProps::new("byOwner", Attribute::new("owner", AttributeType::String))).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("already has an index named 'byOwner'"), "{e}");
    let e = t.add_global_secondary_index(GlobalSecondaryIndexProps::new("byOwnerN", Attribute::new("owner", AttributeType::Number))).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("attribute 'owner' is a key of two types"), "{e}");
    for i in 1..20 {
        t.add_global_secondary_index(GlobalSecondaryIndexProps::new(format!("index{i}"), Attribute::new("owner", AttributeType::String))).unwrap();
    }
    let e = t.add_global_secondary_index(GlobalSecondaryIndexProps::new("index20", Attribute::new("owner", AttributeType::String))).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("at most 20"), "{e}");
}

#[test]
fn a_stream_grant_on_a_table_without_a_stream_is_an_error_naming_it() {
    use ironcdk::dynamodb::{Attribute, AttributeType, Table, TableProps};
    let app = ironcdk::App::new();
    let s = ironcdk::Stack::new(&app, "S").unwrap();
    let table = Table::new(&s, "Items", TableProps::new(Attribute::new("pk", AttributeType::String))).unwrap();
    let role = ironcdk::iam::Role::new(&s, "Reader", ironcdk::iam::RoleProps::new(ironcdk::iam::Principal::service("lambda.amazonaws.com"))).unwrap();
    let e = table.grant_stream_read(&role).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Items") && e.contains("no stream"), "{e}");
    // The data grants land on the role's default policy, as CDK's do.
    table.grant_read_write_data(&role).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let policy = t["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::IAM::Policy").unwrap();
    let actions = policy["Properties"]["PolicyDocument"]["Statement"][0]["Action"].as_array().unwrap().len();
    assert_eq!(actions, 12, "{policy}");
}

#[test]
fn an_http_route_api_gateway_would_refuse_is_an_error_naming_the_api() {
    use ironcdk::apigatewayv2::{HttpApi, HttpApiProps, HttpLambdaIntegration, HttpMethod};
    use ironcdk::lambda::{Code, Function, FunctionProps, Runtime};
    let app = ironcdk::App::new();
    let s = ironcdk::Stack::new(&app, "S").unwrap();
    let f = Function::new(&s, "Fn", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", Code::from_bucket("artifacts", "fn.zip"))).unwrap();
    let api = HttpApi::new(&s, "Http", HttpApiProps::new()).unwrap();
    let handler = HttpLambdaIntegration::new("Handler", &f);
    let e = api.add_routes("items", &[HttpMethod::Get], &handler).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Http") && e.contains("route path 'items'"), "{e}");
    api.add_routes("/items", &[HttpMethod::Get, HttpMethod::Post], &handler).unwrap();
    let e = api.add_routes("/items", &[HttpMethod::Get], &handler).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("already has the route GET /items"), "{e}");
    // One integration for both routes, a permission for each.
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let count = |ty: &str| t["Resources"].as_object().unwrap().values().filter(|r| r["Type"] == ty).count();
    assert_eq!((count("AWS::ApiGatewayV2::Integration"), count("AWS::ApiGatewayV2::Route"), count("AWS::Lambda::Permission")), (1, 2, 2));
}

/// A DynamoDB stream event source as CDK's `DynamoEventSource` writes it (the mapping under the
/// function, CDK's batch size of 100, the stream grant), and what Lambda refuses, refused.
#[test]
fn a_dynamodb_stream_event_source_and_what_lambda_refuses() {
    use ironcdk::dynamodb::{Attribute, AttributeType, StreamViewType, Table, TableProps};
    use ironcdk::lambda::{Code, DynamoEventSourceProps, Function, FunctionProps, Runtime, StartingPosition};
    let app = ironcdk::App::new();
    let s = ironcdk::Stack::new(&app, "S").unwrap();
    let pk = || Attribute::new("pk", AttributeType::String);
    let streamed = Table::new(&s, "Orders", TableProps::new(pk()).stream(StreamViewType::NewImage)).unwrap();
    let plain = Table::new(&s, "Plain", TableProps::new(pk())).unwrap();
    let f = Function::new(&s, "Fn", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", Code::from_bucket("artifacts", "fn.zip"))).unwrap();
    let from = || DynamoEventSourceProps::new(StartingPosition::TrimHorizon);
    let refused = |p: DynamoEventSourceProps, table: &Table| f.add_dynamo_event_source(table, p).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(refused(from(), &plain).starts_with("S/Fn: table S/Plain has no stream"));
    assert!(refused(from().batch_size(10_001), &streamed).contains("the batch size is outside 1 to 10,000"));
    assert!(refused(from().parallelization_factor(11), &streamed).contains("parallelization factor"));
    assert!(refused(from().max_record_age(ironcdk::Duration::seconds(30)), &streamed).contains("maximum record age"));
    f.add_dynamo_event_source(&streamed, DynamoEventSourceProps::new(StartingPosition::Latest).retry_attempts(2).bisect_batch_on_error(true)).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (id, mapping) = t["Resources"].as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::Lambda::EventSourceMapping").unwrap();
    assert!(id.starts_with("FnDynamoDBEventSourceSOrders"), "CDK's id: {id}");
    let p = &mapping["Properties"];
    assert_eq!((p["BatchSize"].as_i64(), p["StartingPosition"].as_str(), p["MaximumRetryAttempts"].as_i64(), p["BisectBatchOnFunctionError"].as_bool()), (Some(100), Some("LATEST"), Some(2), Some(true)));
    let table_id = t["Resources"].as_object().unwrap().iter().find(|(k, r)| r["Type"] == "AWS::DynamoDB::Table" && k.starts_with("Orders")).unwrap().0.clone();
    assert_eq!(p["EventSourceArn"], serde_json::json!({"Fn::GetAtt": [table_id, "StreamArn"]}));
    let policy = t["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::IAM::Policy").unwrap();
    let text = policy.to_string();
    assert!(text.contains("dynamodb:ListStreams") && text.contains("dynamodb:GetRecords"), "{policy}");
}
