//! The isolated API of the reference article (002): API Gateway → VPC link → internal NLB →
//! Fargate in a VPC with no NAT, reaching ECR and CloudWatch Logs through VPC endpoints.
//!
//! `cargo run --example isolated_api` writes `cdk.out/IsolatedApi.template.json`.

use ironcdk::apigateway::{ConnectionType, Integration, IntegrationOptions, IntegrationType, MethodOptions, RestApi, RestApiProps, StageOptions, VpcLink, VpcLinkProps};
use ironcdk::ec2::{
    GatewayVpcEndpointAwsService, GatewayVpcEndpointOptions, InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, Peer, Port,
    SecurityGroup, SecurityGroupProps, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps,
};
use ironcdk::ecr::{LifecycleRule, Repository, RepositoryProps, TagStatus};
use ironcdk::ecs::{
    AwsLogDriverProps, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, CpuUtilizationScalingProps, FargateService,
    FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping,
};
use ironcdk::elasticloadbalancingv2::{NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps, TargetType};
use ironcdk::iam::{Principal, Role, RoleProps, ServicePrincipal};
use ironcdk::logs::RetentionDays;
use ironcdk::{fns, App, AsScope, Duration, Stack};

/// Builds the article's stack into `app`.
pub fn isolated_api(app: &App) -> ironcdk::Result<Stack> {
    let stack = Stack::new(app, "IsolatedApi")?;
    let name = stack.name();
    let id = |s: &str| format!("{name}{s}");

    // ECR. The article's id really is `${this.stackName}Repository}` (with the stray `}`): it is
    // part of the logical ID's hash, so a faithful port keeps it, or CDK's repository is replaced.
    let repository = Repository::new(&stack, &id("Repository}"), RepositoryProps::new()
        .repository_name("repo-name")
        .lifecycle_rules(vec![LifecycleRule::new().tag_status(TagStatus::Any).max_image_count(3)]))?;

    // VPC: isolated subnets only, and no NAT gateway.
    let vpc = Vpc::new(&stack, &id("VPC"), VpcProps::new()
        .ip_addresses("10.0.0.0/16")
        .nat_gateways(0)
        .subnet_configuration(vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated).cidr_mask(19)])
        .enable_dns_hostnames(true)
        .enable_dns_support(true))?;

    let security_group = SecurityGroup::new(&stack, &id("SecurityGroup"), SecurityGroupProps::new(&vpc)
        .security_group_name("API-NLB"))?;
    security_group.add_ingress_rule(Peer::any_ipv4(), Port::tcp(8080), None)?; // ECS <-> NLB
    // The NLB has no security group and keeps client addresses, so the tasks see the clients.
    security_group.scope().acknowledge("open-ingress", "as in the article: the NLB passes client addresses through, so the group admits them")?;

    // PrivateLink instead of NAT, so tasks can pull from ECR and write logs.
    security_group.add_ingress_rule(Peer::any_ipv4(), Port::tcp(443), None)?; // pulling from ECR
    let isolated = SubnetSelection::of_type(SubnetType::PrivateIsolated);
    vpc.add_interface_endpoint(&id("EcrDockerEndpoint"), InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::ECR_DOCKER)
        .private_dns_enabled(true)
        .subnets(isolated.clone())
        .security_groups(vec![security_group.clone()]))?;
    // Not in the article: Fargate platform 1.4+ also needs ecr.api, or pulls fail with CannotPullContainerError.
    vpc.add_interface_endpoint(&id("EcrApiEndpoint"), InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::ECR)
        .private_dns_enabled(true)
        .subnets(isolated.clone())
        .security_groups(vec![security_group.clone()]))?;
    vpc.add_interface_endpoint(&id("CloudWatchLogsEndpoint"), InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS)
        .private_dns_enabled(true)
        .subnets(isolated.clone())
        .security_groups(vec![security_group.clone()]))?;
    vpc.add_gateway_endpoint(&id("S3Endpoint"), GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3)
        .subnets(vec![isolated.clone()]))?;

    // NLB
    let nlb = NetworkLoadBalancer::new(&stack, &id("NLB"), NetworkLoadBalancerProps::new(&vpc)
        .load_balancer_name("ApiNLB")
        .vpc_subnets(isolated.clone())
        .cross_zone_enabled(true)
        .internet_facing(false))?;

    let target_group = NetworkTargetGroup::new(&stack, &id("TargetGroup"), NetworkTargetGroupProps::new(&vpc, 8080)
        .target_group_name("ecs-tagtet-group")
        .target_type(TargetType::Ip)
        .deregistration_delay(Duration::seconds(0)))?; // faster dev deploys; raise it in production

    nlb.add_listener(&id("Listener"), NetworkListenerProps::new(80)
        .default_target_groups(vec![target_group.clone()]))?;

    // ECS + Fargate
    let task_def = FargateTaskDefinition::new(&stack, &id("TaskDefinition"), FargateTaskDefinitionProps::new()
        .cpu(256)
        .memory_limit_mib(512)
        .execution_role(Role::new(&stack, &id("ExecutionRole"), RoleProps::new(Principal::composite(vec![
            ServicePrincipal::new("ecs.amazonaws.com"),
            ServicePrincipal::new("ecs-tasks.amazonaws.com"),
        ])))?)
        .task_role(Role::new(&stack, &id("TaskRole"), RoleProps::new(ServicePrincipal::new("ecs-tasks.amazonaws.com")))?))?;

    let container = task_def.add_container(&id("Container"), ContainerDefinitionOptions::new(ContainerImage::from_ecr_repository(&repository, "latest"))
        .logging(LogDriver::aws_logs(AwsLogDriverProps::new("Fargate")
            .log_retention(RetentionDays::OneWeek))))?;
    container.add_port_mappings(PortMapping::tcp(8080))?;

    let cluster = Cluster::new(&stack, &id("Cluster"), ClusterProps::new().vpc(&vpc))?;

    let service = FargateService::new(&stack, &id("Service"), FargateServiceProps::new(&cluster, &task_def)
        .security_group(&security_group)
        .service_name("ApiService")
        .vpc_subnets(isolated)
        .assign_public_ip(false)
        .desired_count(1))?;
    service.load_balancer_target(&container.container_name(), 8080)?;
    service.scope().acknowledge("first-deploy-image", "as in the article: the image is pushed to the repository before the first deploy")?;

    service.attach_to_network_target_group(&target_group)?;
    service.auto_scale_task_count(1, 2)?
        .scale_on_cpu_utilization(&id("AutoScale"), CpuUtilizationScalingProps::new(80.0))?;

    // API Gateway + VPC link
    let vpc_link = VpcLink::new(&stack, &id("VpcLink"), VpcLinkProps::new()
        .vpc_link_name("api-vpc-link")
        .description("APIのNLBに接続します。")
        .targets(vec![nlb.clone()]))?;

    let api = RestApi::new(&stack, &id("RestApi"), RestApiProps::new()
        .rest_api_name("API")
        .deploy_options(StageOptions::new().stage_name("development")))?;

    let v1 = api.root().add_resource("v1")?;
    v1.add_method("GET", Integration::new(IntegrationType::HttpProxy)
        .integration_http_method("GET")
        .uri(fns::join("", ["http://".into(), nlb.load_balancer_dns_name()]))
        .options(IntegrationOptions::new()
            .connection_type(ConnectionType::VpcLink)
            .vpc_link(&vpc_link)), MethodOptions::default())?;

    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(isolated_api(&app).and_then(|_| app.synth()))
}
