//! A Fargate Spot service behind an ALB that already exists in another VPC (reference article
//! 000): rather than pay for one more load balancer, the new service joins the production
//! VPC's ALB as a virtual host (a host-header listener rule), over a VPC peering connection.
//! The article lost time to route tables: traffic needs a route on both sides of the peering,
//! and the peering helper adds both.
//!
//! The production VPC, its route table, the ALB's listener and security group already exist,
//! so they are imported from parameters:
//!
//! ```text
//! aws cloudformation deploy --template-file cdk.out/AlbVirtualHost.template.json \
//!   --stack-name AlbVirtualHost --parameter-overrides \
//!   ProdVpcId=vpc-... ProdVpcCidr=10.0.0.0/16 ProdRouteTableId=rtb-... \
//!   ProdListenerArn=arn:aws:elasticloadbalancing:...:listener/app/... ProdAlbSecurityGroupId=sg-...
//! ```
//!
//! `cargo run --example alb_virtual_host` writes `cdk.out/AlbVirtualHost.template.json`.

use ironcdk::ec2::{
    SecurityGroup, SecurityGroupImportProps, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcAttributes, VpcPeeringConnection,
    VpcPeeringConnectionProps, VpcProps,
};
use ironcdk::ecs::{
    AwsLogDriverProps, CapacityProvider, CapacityProviderStrategy, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService,
    FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping,
};
use ironcdk::elasticloadbalancingv2::{
    ApplicationListener, ApplicationListenerAttributes, ApplicationListenerRule, ApplicationListenerRuleProps, ApplicationTargetGroup,
    ApplicationTargetGroupProps, HealthCheck, ListenerCondition, TargetType,
};
use ironcdk::logs::RetentionDays;
use ironcdk::{App, Environment, Parameter, ParameterProps, ParameterType, Stack, StackProps};

/// The production VPC's range this example is written for; pass the same at deploy.
pub const PROD_VPC_CIDR: &str = "10.0.0.0/16";

/// Builds the article's architecture into `app`.
pub fn alb_virtual_host(app: &App) -> ironcdk::Result<Stack> {
    let stack = Stack::with_props(app, "AlbVirtualHost", StackProps::new()
        .env(Environment::region("ap-northeast-1"))
        .availability_zones(["ap-northeast-1a", "ap-northeast-1c"]))?;

    // What already exists: the production VPC (by id and range), its route table, and its
    // ALB's HTTP listener and security group.
    let prod_vpc_id = Parameter::new(&stack, "ProdVpcId", ParameterProps::new(ParameterType::VpcId)
        .description("The production VPC, where the ALB is"))?;
    let prod_vpc_cidr = Parameter::new(&stack, "ProdVpcCidr", ParameterProps::new(ParameterType::String)
        .description("The production VPC's IPv4 range")
        .allowed_pattern(r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$"))?;
    prod_vpc_cidr.known_value(PROD_VPC_CIDR);
    let prod_route_table = Parameter::new(&stack, "ProdRouteTableId", ParameterProps::new(ParameterType::String)
        .description("The route table of the production subnets the ALB is in")
        .allowed_pattern("^rtb-[0-9a-f]+$"))?;
    let listener_arn = Parameter::new(&stack, "ProdListenerArn", ParameterProps::new(ParameterType::String)
        .description("The ARN of the production ALB's listener the service joins")
        .allowed_pattern("^arn:aws[a-z-]*:elasticloadbalancing:.+:listener/app/.+$"))?;
    let alb_group_id = Parameter::new(&stack, "ProdAlbSecurityGroupId", ParameterProps::new(ParameterType::SecurityGroupId)
        .description("The production ALB's security group"))?;

    let prod = Vpc::from_attributes(&stack, "ProdVpc", VpcAttributes::from_parameters(&prod_vpc_id, &prod_vpc_cidr)
        .route_table_ids(vec![prod_route_table.value_as_string()]))?;
    let alb_group = SecurityGroup::from_security_group_id(&stack, "ProdAlbSecurityGroup", alb_group_id.value_as_string(),
        SecurityGroupImportProps::new().vpc(&prod))?;
    let listener = ApplicationListener::from_application_listener_attributes(&stack, "ProdListener",
        ApplicationListenerAttributes::new(listener_arn.value_as_string(), &alb_group))?;

    // The new VPC: two public subnets (ap-northeast-1a and 1c) and an internet gateway, no NAT.
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new()
        .ip_addresses("10.1.0.0/16")
        .max_azs(2)
        .nat_gateways(0)
        .subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public).cidr_mask(24)]))?;

    // Peering, with the routes on both sides: the new subnets' route tables to production,
    // and production's route table back.
    let peering = VpcPeeringConnection::new(&stack, "ToProd", VpcPeeringConnectionProps::new(&vpc, &prod))?;
    peering.add_routes(&SubnetSelection::of_type(SubnetType::Public), &SubnetSelection::default())?;

    // The cluster, with Fargate Spot available.
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new()
        .vpc(&vpc)
        .cluster_name("hoge")
        .enable_fargate_capacity_providers(true))?;

    // The article leaves the task definition to the reader: one container serving HTTP on 8080.
    let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new().cpu(256).memory_limit_mib(512))?;
    let container = task.add_container("hoge", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/docker/library/nginx:stable"))
        .logging(LogDriver::aws_logs(AwsLogDriverProps::new("hoge-api").log_retention(RetentionDays::OneWeek))))?;
    container.add_port_mappings(PortMapping::tcp(8080))?;

    // On FARGATE_SPOT, with public IPs in the public subnets (it pulls its image and calls
    // outside APIs through the internet gateway).
    let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task)
        .service_name("hoge-api")
        .desired_count(1)
        .assign_public_ip(true)
        .capacity_provider_strategies(vec![CapacityProviderStrategy::new(CapacityProvider::FargateSpot).weight(1)]))?;

    // The virtual host: a target group in the production VPC (the ALB's), whose targets are
    // the tasks' IPs across the peering, and a host-header rule on the existing listener.
    let target_group = ApplicationTargetGroup::new(&stack, "TargetGroup", ApplicationTargetGroupProps::new(&prod, 8080)
        .target_group_name("hoge-api-tg")
        .target_type(TargetType::Ip)
        .health_check(HealthCheck::new().path("/")))?;
    ApplicationListenerRule::new(&stack, "HostRule", ApplicationListenerRuleProps::new(&listener, 10)
        .conditions(vec![ListenerCondition::host_headers(["hoge.example.com"])])
        .target_groups(vec![target_group.clone()]))?;
    // Registers the tasks; their security group admits 8080 from the ALB's, as CDK does.
    service.attach_to_application_target_group(&target_group)?;
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(alb_virtual_host(&app).and_then(|_| app.synth()))
}
