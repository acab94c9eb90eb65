//! Scheduled Fargate tasks without NAT (reference article 004): a task run every 5 minutes by
//! an EventBridge rule, in an isolated VPC whose tasks reach ECR, its image layers in S3 and
//! CloudWatch Logs through VPC endpoints. Through a NAT gateway, the article's 1 GB image
//! pulled every 5 minutes was billed per GB; the endpoints remove that.
//!
//! `cargo run --example scheduled_task` writes `cdk.out/ScheduledTask.template.json`.

use ironcdk::ec2::{
    GatewayVpcEndpointAwsService, GatewayVpcEndpointOptions, InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, Peer, Port,
    SecurityGroup, SecurityGroupProps, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps,
};
use ironcdk::ecr::{LifecycleRule, Repository, RepositoryProps, TagStatus};
use ironcdk::ecs::{AwsLogDriverProps, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver};
use ironcdk::events::{EcsTaskProps, Rule, RuleProps, Schedule};
use ironcdk::logs::RetentionDays;
use ironcdk::{App, Duration, Environment, Stack, StackProps};

/// Builds the article's architecture into `app`.
pub fn scheduled_task(app: &App) -> ironcdk::Result<Stack> {
    let stack = Stack::with_props(app, "ScheduledTask", StackProps::new().env(Environment::region("ap-northeast-1")))?;

    // The image the task runs; pushed before the first run.
    let repository = Repository::new(&stack, "Repository", RepositoryProps::new()
        .repository_name("scheduled-task")
        .lifecycle_rules(vec![LifecycleRule::new().tag_status(TagStatus::Any).max_image_count(3)]))?;

    // Private subnets with no NAT gateway: nothing leaves the VPC.
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new()
        .ip_addresses("10.0.0.0/16")
        .max_azs(2)
        .nat_gateways(0)
        .subnet_configuration(vec![SubnetConfiguration::new("Private", SubnetType::PrivateIsolated).cidr_mask(24)]))?;
    let private = SubnetSelection::of_type(SubnetType::PrivateIsolated);

    // PrivateLink instead of NAT: HTTPS from the VPC's range to the endpoints.
    let endpoints = SecurityGroup::new(&stack, "EndpointSecurityGroup", SecurityGroupProps::new(&vpc))?;
    endpoints.add_ingress_rule(Peer::vpc_cidr(&vpc), Port::tcp(443), None)?;
    for (id, service) in [
        ("EcrDockerEndpoint", InterfaceVpcEndpointAwsService::ECR_DOCKER),
        ("EcrApiEndpoint", InterfaceVpcEndpointAwsService::ECR),
        ("LogsEndpoint", InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS),
    ] {
        vpc.add_interface_endpoint(id, InterfaceVpcEndpointOptions::new(service)
            .subnets(private.clone())
            .security_groups(vec![endpoints.clone()])
            .open(false))?;
    }
    // Image layers come from S3: the gateway endpoint is free.
    vpc.add_gateway_endpoint("S3Endpoint", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3)
        .subnets(vec![private.clone()]))?;

    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc))?;
    let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new().cpu(256).memory_limit_mib(512))?;
    task.add_container("batch", ContainerDefinitionOptions::new(ContainerImage::from_ecr_repository(&repository, "latest"))
        .logging(LogDriver::aws_logs(AwsLogDriverProps::new("batch").log_retention(RetentionDays::OneWeek))))?;

    // Every 5 minutes; the rule's role may only run this task and pass its roles.
    let rule = Rule::new(&stack, "Every5Minutes", RuleProps::new()
        .schedule(Schedule::rate(Duration::minutes(5))))?;
    rule.add_ecs_task_target(EcsTaskProps::new(&cluster, &task).subnets(private))?;
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    // The article's image is 1 GB.
    let _ = app.cost_assumptions(|a| a.set("image.gb", 1.0, ironcdk::cost::AssumptionSource::Code));
    ironcdk::exit_code(scheduled_task(&app).and_then(|_| app.synth()))
}
