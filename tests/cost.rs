//! The cost report: the articles' numbers come out of their own architectures, synthesized, to
//! the cent; `<Stack>.cost.json` in the assembly; assumptions from code, file and flags; and
//! `ironcdk cost` on an assembly.

mod common;

#[allow(dead_code)]
#[path = "../examples/isolated_api.rs"]
mod isolated_api;

use ironcdk::cost::{AssumptionSource, CostReport};
use ironcdk::ec2::{InterfaceVpcEndpointAwsService as Svc, InterfaceVpcEndpointOptions, SubnetConfiguration, SubnetType, Vpc, VpcProps};
use ironcdk::ecr::{Repository, RepositoryProps};
use ironcdk::ecs::{Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateTaskDefinition, FargateTaskDefinitionProps};
use ironcdk::events::cfn_rule as ev;
use ironcdk::{App, Environment, Stack, StackProps};

fn tokyo(app: &App, name: &str) -> Stack {
    Stack::with_props(app, name, StackProps::new().env(Environment::region("ap-northeast-1"))).unwrap()
}

fn cost(app: &App) -> CostReport {
    app.synth_in_memory().unwrap_or_else(|e| panic!("{e}")).cost.expect("a cost report")
}

fn sum(report: &CostReport, pred: impl Fn(&ironcdk::cost::CostItem) -> bool) -> f64 {
    let v: f64 = report.stacks.iter().flat_map(|s| &s.items).filter(|i| pred(i)).map(|i| i.monthly_usd).sum();
    (v * 100.0).round() / 100.0
}

#[test]
fn article_003_eight_endpoints_in_three_environments_cost_245_28_and_a_third_shared() {
    let app = App::new();
    let services = [Svc::ECR_DOCKER, Svc::ECR, Svc::CLOUDWATCH_LOGS, Svc::SSM, Svc::SSM_MESSAGES, Svc::EC2_MESSAGES, Svc::SECRETS_MANAGER, Svc::STS];
    for (i, env) in ["Dev", "Stg", "Prd"].iter().enumerate() {
        let s = tokyo(&app, env);
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new().ip_addresses(format!("10.{}.0.0/16", i + 1)).max_azs(1).subnet_configuration(vec![SubnetConfiguration::new("Private", SubnetType::PrivateIsolated)])).unwrap();
        for (j, svc) in services.iter().enumerate() {
            vpc.add_interface_endpoint(&format!("Endpoint{j}"), InterfaceVpcEndpointOptions::new(*svc)).unwrap();
        }
    }
    let report = cost(&app);
    let hours = sum(&report, |i| i.unit == "AZ-hours");
    assert_eq!(hours, 245.28, "24 x $0.014 x 730");
    let each: Vec<&ironcdk::cost::CostItem> = report.stacks.iter().flat_map(|s| &s.items).filter(|i| i.unit == "AZ-hours").collect();
    assert_eq!(each.len(), 24);
    assert!(each.iter().all(|i| i.quantity == 730.0 && i.unit_price_usd == Some(0.014) && !i.usage_assumed && i.resource_type == "AWS::EC2::VPCEndpoint"));
    let shared = report.alternatives.iter().find(|a| a.title.contains("share the interface endpoints")).expect("the shared-VPC alternative");
    assert_eq!(shared.monthly_usd_saved, 163.52);
    assert!(shared.detail.contains("$245.28") && shared.detail.contains("$81.76"), "{}", shared.detail);
}

/// The isolated API's VPC with CDK's default: a NAT gateway per AZ (2 AZs, Tokyo).
#[test]
fn article_002_trap_two_nat_gateways_cost_97_82_before_traffic() {
    let app = App::new();
    let s = tokyo(&app, "Trap");
    Vpc::new(&s, "VPC", VpcProps::new().ip_addresses("10.0.0.0/16").max_azs(2).nat_gateways(2).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress),
    ]))
    .unwrap();
    let report = cost(&app);
    let nat = sum(&report, |i| i.resource_type == "AWS::EC2::NatGateway");
    assert_eq!(nat, 97.82, "2 x $0.062 x 730 + 2 public IPv4 x $0.005 x 730");
    assert!(report.stacks[0].items.iter().all(|i| i.resource_type != "AWS::EC2::EIP"), "the NAT gateways' addresses are on the NAT lines");
    let one = report.alternatives.iter().find(|a| a.title.contains("one NAT gateway")).expect("one NAT gateway");
    assert_eq!(one.monthly_usd_saved, 48.91);
    // The isolated API as built has no NAT line at all.
    let app = App::new();
    isolated_api::isolated_api(&app).unwrap();
    let report = cost(&app);
    assert!(report.stacks[0].items.iter().all(|i| !i.description.contains("NAT")));
}

/// Article 004: a task run every 5 minutes, pulling a 1 GB image through a Tokyo NAT gateway.
#[test]
fn article_004_image_pulls_through_nat_cost_543_12_with_the_endpoint_alternative() {
    let app = App::new();
    app.cost_assumptions(|a| a.set("image.gb", 1.0, AssumptionSource::Code)).unwrap();
    let s = tokyo(&app, "Batch");
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new().max_azs(1).nat_gateways(1).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress),
    ]))
    .unwrap();
    let repo = Repository::new(&s, "Repo", RepositoryProps::new()).unwrap();
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let td = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new().cpu(256).memory_limit_mib(512)).unwrap();
    td.add_container("batch", ContainerDefinitionOptions::new(ContainerImage::from_ecr_repository(&repo, "latest"))).unwrap();
    let subnets: Vec<_> = vpc.select_subnets(&ironcdk::ec2::SubnetSelection::of_type(SubnetType::PrivateWithEgress)).unwrap().into_iter().map(|s| s.subnet_id).collect();
    let ecs = ev::EcsParameters::new(td.task_definition_arn())
        .launch_type(ev::EcsParametersLaunchType::Fargate)
        .task_count(1)
        .network_configuration(ev::NetworkConfiguration::new().aws_vpc_configuration(ev::AwsVpcConfiguration::new(subnets)));
    ironcdk::events::CfnRule::new(&s, "Every5Minutes", ironcdk::events::CfnRuleProps::new().schedule_expression("rate(5 minutes)").targets(vec![ev::Target::new(cluster.cluster_arn(), "task").ecs_parameters(ecs)])).unwrap();
    let report = cost(&app);
    let data = report.stacks[0].items.iter().find(|i| i.resource_type == "AWS::EC2::NatGateway" && i.unit == "GB").expect("a NAT data line");
    assert_eq!((data.quantity, data.usage_assumed), (8760.0, true));
    assert_eq!((data.monthly_usd * 100.0).round() / 100.0, 543.12, "8,760 GB x $0.062");
    let alt = report.alternatives.iter().find(|a| a.title.contains("VPC endpoints instead of NAT gateway")).expect("the endpoint alternative");
    // ecr.api, ecr.dkr and logs in 2 AZs (the default for the count): 6 x $0.014 x 730 = $61.32,
    // plus 8,760 GB x $0.01; break-even where $0.052 a GB saved pays the $61.32.
    assert!(alt.detail.contains("$61.32") && alt.detail.contains("$87.60"), "{}", alt.detail);
    assert_eq!(alt.monthly_usd_saved, 394.20);
    assert_eq!(alt.break_even, "1179 GB a month through the NAT gateway");
    // The scheduled task's Fargate hours: 8,760 runs x 5 minutes x 0.25 vCPU, attributed to the rule.
    let vcpu = report.stacks[0].items.iter().find(|i| i.unit == "vCPU-hours").unwrap();
    assert_eq!((vcpu.logical_id.as_str(), vcpu.quantity), ("Every5Minutes", 182.5));
    let assumed: Vec<_> = report.assumptions.clone().into_json();
    assert!(assumed.iter().any(|a| a["name"] == "image.gb" && a["value"] == 1.0 && a["source"] == "code"), "{assumed:#?}");
}

trait IntoJson {
    fn into_json(self) -> Vec<serde_json::Value>;
}
impl IntoJson for ironcdk::cost::Assumptions {
    fn into_json(self) -> Vec<serde_json::Value> {
        let report = CostReport { region: "us-east-1".into(), stacks: vec![], total_monthly_usd: 0.0, scenarios: None, assumptions: self, alternatives: vec![] };
        report.to_json(None)["assumptions"].as_array().cloned().unwrap_or_default()
    }
}

#[test]
fn cost_json_is_in_the_assembly_with_ranges_and_ironcdk_cost_reads_any_assembly() {
    let dir = common::temp_dir("cost-assembly").join("cdk.out");
    let app = App::with_outdir(&dir);
    app.cost_assumptions(|a| a.set_range("lb.lcu", [0.5, 1.0, 4.0], AssumptionSource::Code)).unwrap();
    isolated_api::isolated_api(&app).unwrap();
    let a = app.synth().unwrap();
    let text = std::fs::read_to_string(dir.join("IsolatedApi.cost.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!((json["currency"].as_str(), json["hours_per_month"].as_f64()), (Some("USD"), Some(730.0)));
    assert_eq!(json["region"], "us-east-1", "an environment-agnostic stack is priced for the assumed region");
    let total = json["total_monthly_usd"].as_f64().unwrap();
    assert_eq!(total, a.cost.as_ref().unwrap().total_monthly_usd);
    let s = &json["scenarios"];
    assert!(s["low"].as_f64() < s["expected"].as_f64() && s["expected"].as_f64() < s["high"].as_f64(), "{s}");
    let items = json["stacks"][0]["items"].as_array().unwrap();
    let nlb = items.iter().find(|i| i["description"] == "network load balancer").unwrap();
    assert_eq!((nlb["monthly_usd"].as_f64(), nlb["usage_assumed"].as_bool()), (Some(16.43), Some(false)));
    assert!(items.iter().all(|i| i["path"].is_string() && i["logical_id"].is_string() && i["resource_type"].is_string()));
    assert!(a.manifest()["artifacts"]["IsolatedApi.cost.json"]["type"] == "none");
    assert!(a.summary().contains("cost of IsolatedApi (us-east-1): $"));

    // ironcdk cost on the same assembly, priced for Tokyo with flags and a usage file.
    let usage = dir.parent().unwrap().join("usage.txt");
    std::fs::write(&usage, "# monthly usage\nlogs.gb_ingested: 2\n\n# one resource, by construct path\n[IsolatedApi/IsolatedApiRepository}]\necr.gb_stored = 10\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ironcdk"))
        .args(["cost", dir.to_str().unwrap(), "--region", "ap-northeast-1", "--usage", usage.to_str().unwrap(), "--set", "api.million_requests=1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["region"], "ap-northeast-1");
    let items = json["stacks"][0]["items"].as_array().unwrap();
    let logs = items.iter().find(|i| i["description"] == "log ingestion").unwrap();
    assert_eq!(logs["monthly_usd"].as_f64(), Some(1.52), "2 GB x $0.76");
    let api = items.iter().find(|i| i["description"].as_str().unwrap().starts_with("REST API requests")).unwrap();
    assert!(api["description"].as_str().unwrap().contains("no price data for ap-northeast-1") && api["monthly_usd"] == 0.0, "{api}");
    let repo = items.iter().find(|i| i["description"] == "image storage").unwrap();
    assert_eq!(repo["monthly_usd"].as_f64(), Some(1.0), "10 GB x $0.10 for that repository");
    assert!(json["assumptions"].as_array().unwrap().iter().any(|a| a["for"] == "IsolatedApi/IsolatedApiRepository}" && a["name"] == "ecr.gb_stored" && a["source"] == "file"));
    let sources: Vec<(&str, &str)> = json["assumptions"].as_array().unwrap().iter().map(|a| (a["name"].as_str().unwrap(), a["source"].as_str().unwrap())).collect();
    assert!(sources.contains(&("logs.gb_ingested", "file")) && sources.contains(&("api.million_requests", "flag")) && sources.contains(&("region", "flag")));
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(["cost", dir.to_str().unwrap(), "--set", "nope=1"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no assumption named 'nope'"));
}

/// Lambda, DynamoDB and HTTP API lines, each number worked by hand from the price table:
/// requests x $0.20 a million, GB-seconds x $0.0000166667 (x86) or $0.0000133334 (Graviton),
/// on-demand units x $0.625 / $0.125 a million, provisioned WCU-hours x $0.00065 and RCU-hours
/// x $0.00013 (indexes included), storage x $0.25, HTTP API requests x $1.00 a million.
#[test]
fn lambda_dynamodb_and_http_api_are_priced_from_template_and_usage() {
    use ironcdk::apigatewayv2::{HttpApi, HttpApiProps, HttpLambdaIntegration, HttpMethod};
    use ironcdk::dynamodb::{Attribute, AttributeType, BillingMode, GlobalSecondaryIndexProps, Table, TableProps};
    use ironcdk::lambda::{Architecture, Code, Function, FunctionProps, Runtime};
    let build = |free_tier: f64| {
        let app = App::new();
        let s = Stack::new(&app, "Serverless").unwrap();
        let code = || Code::from_bucket("artifacts", "f.zip");
        let x86 = Function::new(&s, "X86", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", code()).memory_size(1024)).unwrap();
        Function::new(&s, "Arm", FunctionProps::new(Runtime::PROVIDED_AL2023, "bootstrap", code()).architecture(Architecture::Arm64)).unwrap();
        Table::new(&s, "OnDemand", TableProps::new(Attribute::new("pk", AttributeType::String)).billing_mode(BillingMode::PayPerRequest)).unwrap();
        let provisioned = Table::new(&s, "Provisioned", TableProps::new(Attribute::new("pk", AttributeType::String)).billing_mode(BillingMode::Provisioned { read: 10, write: 4 })).unwrap();
        provisioned.add_global_secondary_index(GlobalSecondaryIndexProps::new("ByOwner", Attribute::new("owner", AttributeType::String))).unwrap();
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        api.add_routes("/", &[HttpMethod::Get], &HttpLambdaIntegration::new("Get", &x86)).unwrap();
        app.cost_assumptions(|a| -> Result<(), String> {
            a.set("lambda.million_requests", 2.0, AssumptionSource::Code)?;
            a.set("lambda.duration_ms", 200.0, AssumptionSource::Code)?;
            a.set("lambda.free_tier", free_tier, AssumptionSource::Code)?;
            a.set("dynamodb.million_writes", 4.0, AssumptionSource::Code)?;
            a.set("dynamodb.million_reads", 8.0, AssumptionSource::Code)?;
            a.set("dynamodb.gb_stored", 10.0, AssumptionSource::Code)?;
            a.set("api.million_requests", 5.0, AssumptionSource::Code)
        })
        .unwrap();
        cost(&app)
    };
    let report = build(0.0);
    let line = |what: &str| -> f64 {
        let found: Vec<&ironcdk::cost::CostItem> = report.stacks[0].items.iter().filter(|i| i.description.starts_with(what)).collect();
        (found.iter().map(|i| i.monthly_usd).sum::<f64>() * 100.0).round() / 100.0
    };
    // 2M requests x 0.2 s x 1 GB = 400,000 GB-s x $0.0000166667 = $6.67; x 0.125 GB on Graviton
    // = 50,000 GB-s x $0.0000133334 = $0.67. Requests: 2 x 2M x $0.20 = $0.80.
    assert_eq!(line("Lambda x86 compute, 1024 MB"), 6.67);
    assert_eq!(line("Lambda Graviton compute, 128 MB"), 0.67);
    assert_eq!(line("Lambda requests"), 0.80);
    // On demand: 4 x $0.625 + 8 x $0.125 = $3.50. Provisioned: the table's 4 WCU / 10 RCU and
    // the index's (CDK's default 5 / 5): 9 x 730 x $0.00065 = $4.27, 15 x 730 x $0.00013 = $1.42.
    assert_eq!(line("DynamoDB on-demand"), 3.50);
    assert_eq!(line("DynamoDB provisioned writes (9 WCU)"), 4.27);
    assert_eq!(line("DynamoDB provisioned reads (15 RCU)"), 1.42);
    assert_eq!(line("DynamoDB storage"), 5.00, "10 GB x 2 tables x $0.25");
    assert_eq!(line("HTTP API requests"), 5.00);
    assert!(report.stacks[0].not_priced.iter().all(|n| !["AWS::Lambda::Function", "AWS::DynamoDB::Table", "AWS::ApiGatewayV2::Api"].contains(&n.resource_type.as_str())));

    // The free tier, asked for: 1M of the 4M requests and 400,000 of the 450,000 GB-seconds,
    // shared in proportion: requests 3M x $0.20 = $0.60; compute (400,000 - 355,556) x
    // $0.0000166667 + (50,000 - 44,444) x $0.0000133334 = $0.74 + $0.07.
    let free = build(1.0);
    let lambda: f64 = free.stacks[0].items.iter().filter(|i| i.description.starts_with("Lambda")).map(|i| i.monthly_usd).sum();
    assert_eq!((lambda * 100.0).round() / 100.0, 0.60 + 0.74 + 0.07);
    assert!(free.stacks[0].items.iter().filter(|i| i.description.starts_with("Lambda")).all(|i| i.description.contains("free tier")));
}

/// Where the table has no price, the line says so instead of pricing at $0 silently.
#[test]
fn dynamodb_in_tokyo_says_it_has_no_price() {
    use ironcdk::dynamodb::{Attribute, AttributeType, Table, TableProps};
    let app = App::new();
    let s = tokyo(&app, "Data");
    Table::new(&s, "T", TableProps::new(Attribute::new("pk", AttributeType::String))).unwrap();
    let report = cost(&app);
    let items = &report.stacks[0].items;
    assert!(!items.is_empty() && items.iter().all(|i| i.description.contains("no price data for ap-northeast-1") && i.unit_price_usd.is_none()), "{items:#?}");
}

/// S3, SQS and SNS lines, worked by hand: 200 GB x $0.023 = $4.60, 2M PUTs x $5 = $10.00, 10M
/// GETs x $0.40 = $4.00; 3M requests to a standard queue x $0.40 = $1.20 and to a FIFO queue x
/// $0.50 = $1.50; 4M publishes x $0.50 = $2.00. In Tokyo: 200 GB x $0.025 = $5.00.
#[test]
fn buckets_queues_and_topics_are_priced_from_usage() {
    use ironcdk::s3::{Bucket, BucketProps};
    use ironcdk::sns::{Topic, TopicProps};
    use ironcdk::sqs::{Queue, QueueProps};
    let report = |tokyo_stack: bool| {
        let app = App::new();
        let s = if tokyo_stack { tokyo(&app, "Store") } else { Stack::new(&app, "Store").unwrap() };
        Bucket::new(&s, "Bucket", BucketProps::new()).unwrap();
        Queue::new(&s, "Standard", QueueProps::new()).unwrap();
        Queue::new(&s, "Fifo", QueueProps::new().fifo(true)).unwrap();
        Topic::new(&s, "Topic", TopicProps::new()).unwrap();
        app.cost_assumptions(|a| -> Result<(), String> {
            a.set("s3.gb_stored", 200.0, AssumptionSource::Code)?;
            a.set("s3.million_puts", 2.0, AssumptionSource::Code)?;
            a.set("s3.million_gets", 10.0, AssumptionSource::Code)?;
            a.set("sqs.million_requests", 3.0, AssumptionSource::Code)?;
            a.set("sns.million_publishes", 4.0, AssumptionSource::Code)
        })
        .unwrap();
        cost(&app)
    };
    let r = report(false);
    let line = |r: &CostReport, what: &str| sum(r, |i| i.description.starts_with(what));
    assert_eq!(line(&r, "S3 Standard storage"), 4.60);
    assert_eq!(line(&r, "S3 PUT"), 10.00);
    assert_eq!(line(&r, "S3 GET"), 4.00);
    assert_eq!(line(&r, "SQS requests"), 1.20);
    assert_eq!(line(&r, "SQS FIFO requests"), 1.50);
    assert_eq!(line(&r, "SNS publishes"), 2.00);
    assert!(r.stacks[0].not_priced.is_empty(), "{:?}", r.stacks[0].not_priced);
    assert_eq!(line(&report(true), "S3 Standard storage"), 5.00);
}

/// A distribution: 500 GB x $0.085 = $42.50 and 20M HTTPS requests x $1.00 = $20.00.
#[test]
fn a_distribution_is_priced_by_data_out_and_requests() {
    use ironcdk::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin};
    let app = App::new();
    let s = Stack::new(&app, "Cdn").unwrap();
    Distribution::new(&s, "Cdn", DistributionProps::new(BehaviorOptions::new(Origin::Http("origin.example.com".into())))).unwrap();
    app.cost_assumptions(|a| -> Result<(), String> {
        a.set("cloudfront.gb_out", 500.0, AssumptionSource::Code)?;
        a.set("cloudfront.million_requests", 20.0, AssumptionSource::Code)
    })
    .unwrap();
    let r = cost(&app);
    assert_eq!(sum(&r, |i| i.description.starts_with("CloudFront data out")), 42.50);
    assert_eq!(sum(&r, |i| i.description.starts_with("CloudFront HTTPS requests")), 20.00);
    assert!(r.stacks[0].not_priced.is_empty());
}

/// Colder S3 classes and KMS requests: 1,000 GB in Standard-IA x $0.0125 = $12.50, 2,000 GB in
/// Glacier Flexible Retrieval x $0.0036 = $7.20, 10,000 GB in Deep Archive x $0.00099 = $9.90;
/// a key $1.00 and 2M requests x $3.00 = $6.00.
#[test]
fn colder_s3_classes_and_kms_requests_are_priced_when_used() {
    use ironcdk::kms::{Key, KeyProps};
    use ironcdk::s3::{Bucket, BucketProps};
    let app = App::new();
    let s = Stack::new(&app, "Archive").unwrap();
    Bucket::new(&s, "Bucket", BucketProps::new()).unwrap();
    Key::new(&s, "Key", KeyProps::new()).unwrap();
    let r = cost(&app);
    assert!(!r.stacks[0].items.iter().any(|i| i.description.contains("Glacier")), "not listed when unused");
    let app2 = App::new();
    let s2 = Stack::new(&app2, "Archive").unwrap();
    Bucket::new(&s2, "Bucket", BucketProps::new()).unwrap();
    Key::new(&s2, "Key", KeyProps::new()).unwrap();
    app2.cost_assumptions(|a| -> Result<(), String> {
        a.set("s3.gb_infrequent_access", 1000.0, AssumptionSource::Code)?;
        a.set("s3.gb_glacier", 2000.0, AssumptionSource::Code)?;
        a.set("s3.gb_deep_archive", 10_000.0, AssumptionSource::Code)?;
        a.set("kms.million_requests", 2.0, AssumptionSource::Code)
    })
    .unwrap();
    let r = cost(&app2);
    assert_eq!(sum(&r, |i| i.description.starts_with("S3 Standard-Infrequent")), 12.50);
    assert_eq!(sum(&r, |i| i.description.starts_with("S3 Glacier Flexible")), 7.20);
    assert_eq!(sum(&r, |i| i.description.starts_with("S3 Glacier Deep")), 9.90);
    assert_eq!(sum(&r, |i| i.description == "KMS key"), 1.00);
    assert_eq!(sum(&r, |i| i.description.starts_with("KMS requests")), 6.00);
}

/// The web service example's database and its secret: a db.t4g.micro PostgreSQL instance
/// (730 h x $0.016 = $11.68), 20 GB of gp2 ($2.30) and the secret ($0.40); a Multi-AZ instance
/// doubles hours and storage; a class the table does not have says so rather than $0.
#[test]
fn databases_and_secrets_are_priced_by_engine_class_storage_and_standby() {
    use ironcdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
    use ironcdk::rds::{DatabaseInstance, DatabaseInstanceEngine, DatabaseInstanceProps, InstanceType, MysqlEngineVersion, PostgresEngineVersion, StorageType};
    let app = App::new();
    let s = Stack::with_props(&app, "Db", ironcdk::StackProps::new().env(ironcdk::Environment::region("us-east-1"))).unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new().max_azs(2).subnet_configuration(vec![SubnetConfiguration::new("Data", SubnetType::PrivateIsolated)])).unwrap();
    let data = || SubnetSelection::of_type(SubnetType::PrivateIsolated);
    DatabaseInstance::new(&s, "Small", DatabaseInstanceProps::new(DatabaseInstanceEngine::postgres(PostgresEngineVersion::V16_13), &vpc, InstanceType::new("t4g.micro")).vpc_subnets(data()).allocated_storage(20)).unwrap();
    DatabaseInstance::new(&s, "Ha", DatabaseInstanceProps::new(DatabaseInstanceEngine::mysql(MysqlEngineVersion::V8_4_10), &vpc, InstanceType::new("t3.small")).vpc_subnets(data())
        .multi_az(true).allocated_storage(50).storage_type(StorageType::Gp3)).unwrap();
    DatabaseInstance::new(&s, "Big", DatabaseInstanceProps::new(DatabaseInstanceEngine::postgres(PostgresEngineVersion::V17_9), &vpc, InstanceType::new("r7g.4xlarge")).vpc_subnets(data())).unwrap();
    let r = cost(&app);
    let of = |path: &str, what: &str| sum(&r, |i| i.path.as_deref().is_some_and(|p| p.starts_with(path)) && i.description.starts_with(what));
    assert_eq!(of("Db/Small/Resource", "RDS postgres db.t4g.micro instance (Single-AZ)"), 11.68);
    assert_eq!(of("Db/Small/Resource", "RDS gp2 storage"), 2.30);
    assert_eq!(of("Db/Small/Secret", "Secrets Manager secret"), 0.40);
    // Multi-AZ: 2 x 730 h x $0.034 = $49.64, and 2 x 50 GB x $0.115 = $11.50.
    assert_eq!(of("Db/Ha/Resource", "RDS mysql db.t3.small instance (Multi-AZ)"), 49.64);
    assert_eq!(of("Db/Ha/Resource", "RDS gp3 storage"), 11.50);
    // Not in the table: said, and counted as nothing rather than guessed.
    let big = r.stacks[0].items.iter().find(|i| i.description.starts_with("RDS postgres db.r7g.4xlarge")).unwrap();
    assert!(big.description.ends_with("(no price data for us-east-1)") && big.unit_price_usd.is_none(), "{big:?}");
    assert!(r.stacks[0].not_priced.is_empty(), "{:?}", r.stacks[0].not_priced);
}

/// An instance of an Aurora cluster has no storage of its own (the cluster's is billed with the
/// cluster, listed as not priced) and no standby: one line for its hours, and no storage line
/// of 0 GB.
#[test]
fn an_aurora_instance_is_its_hours_alone() {
    use ironcdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
    use ironcdk::rds::{AuroraPostgresEngineVersion, ClusterInstance, DatabaseCluster, DatabaseClusterEngine, DatabaseClusterProps};
    let app = App::new();
    let s = Stack::with_props(&app, "Db", ironcdk::StackProps::new().env(ironcdk::Environment::region("us-east-1"))).unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new().max_azs(2).subnet_configuration(vec![SubnetConfiguration::new("Data", SubnetType::PrivateIsolated)])).unwrap();
    DatabaseCluster::new(&s, "Aurora", DatabaseClusterProps::new(DatabaseClusterEngine::aurora_postgres(AuroraPostgresEngineVersion::V16_13), &vpc, ClusterInstance::serverless_v2("writer"))
        .vpc_subnets(SubnetSelection::of_type(SubnetType::PrivateIsolated))).unwrap();
    let r = cost(&app);
    let lines: Vec<&str> = r.stacks[0].items.iter().filter(|i| i.path.as_deref().is_some_and(|p| p.starts_with("Db/Aurora/writer"))).map(|i| i.description.as_ref()).collect();
    assert_eq!(lines, ["RDS aurora-postgresql db.serverless instance (of an Aurora cluster) (no price data for us-east-1)"]);
    assert!(r.stacks[0].not_priced.iter().any(|n| n.resource_type == "AWS::RDS::DBCluster"), "{:?}", r.stacks[0].not_priced);
}
