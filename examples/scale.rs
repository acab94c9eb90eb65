//! A generated app of about N resources, for measuring how synth scales:
//! `cargo run --release --example scale -- 10000` writes it to `cdk.out/` (or `$CDK_OUTDIR`).
//!
//! One network stack (isolated VPC with the endpoints image pulls need, ECR repository,
//! cluster, internal NLB) exports what every service stack
//! uses, through automatic cross-stack references. Each service stack holds as many copies of
//! the service part of the isolated API (target group, listener, roles, task definition, log
//! group, security group, service) as fit under CloudFormation's 500-resource limit.

use ironcdk::ec2::{
    GatewayVpcEndpointAwsService, GatewayVpcEndpointOptions, InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, Peer, Port, SecurityGroup,
    SecurityGroupProps, SubnetConfiguration, SubnetType, Vpc, VpcProps,
};
use ironcdk::ecr::{Repository, RepositoryProps};
use ironcdk::ecs::{AwsLogDriverProps, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping};
use ironcdk::elasticloadbalancingv2::{NetworkListener, NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps, TargetType};
use ironcdk::logs::RetentionDays;
use ironcdk::{App, AsScope, Stack};

/// Resources in the network stack: VPC (7), cluster, NLB, repository, endpoint security group,
/// three interface endpoints and the S3 gateway endpoint.
pub const NETWORK_RESOURCES: usize = 15;
/// Resources in one service part.
pub const SERVICE_RESOURCES: usize = 9;
const SERVICES_PER_STACK: usize = 48;

/// Builds about `resources` resources into `app`; returns the exact count.
pub fn build(app: &App, resources: usize) -> ironcdk::Result<usize> {
    let network = Stack::new(app, "Network")?;
    let vpc = Vpc::new(&network, "Vpc", VpcProps::new().subnet_configuration(vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)]))?;
    let cluster = Cluster::new(&network, "Cluster", ClusterProps::new().vpc(&vpc))?;
    let nlb = NetworkLoadBalancer::new(&network, "Nlb", NetworkLoadBalancerProps::new(&vpc))?;
    // The isolated subnets reach the image, its layers and the logs through endpoints.
    let repository = Repository::new(&network, "Repository", RepositoryProps::new())?;
    let endpoints = SecurityGroup::new(&network, "EndpointSg", SecurityGroupProps::new(&vpc))?;
    endpoints.add_ingress_rule(Peer::vpc_cidr(&vpc), Port::tcp(443), None)?;
    for (id, service) in [("EcrApi", InterfaceVpcEndpointAwsService::ECR), ("EcrDocker", InterfaceVpcEndpointAwsService::ECR_DOCKER), ("Logs", InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS)] {
        vpc.add_interface_endpoint(id, InterfaceVpcEndpointOptions::new(service).security_groups(vec![endpoints.clone()]).open(false))?;
    }
    vpc.add_gateway_endpoint("S3", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3))?;
    let mut total = NETWORK_RESOURCES;
    let mut stack_index = 0;
    let mut port: u16 = 10000;
    // At least one service stack: the network alone is not the app being measured.
    while stack_index == 0 || total < resources {
        let stack = Stack::new(app, &format!("Scale{stack_index}"))?;
        let mut i = 0;
        while i == 0 || (i < SERVICES_PER_STACK && total < resources) {
            let svc = stack.scope().child(&format!("Svc{i}"), "scale.Service")?;
            let tg = NetworkTargetGroup::new(&svc, "Tg", NetworkTargetGroupProps::new(&vpc, 8080).target_type(TargetType::Ip))?;
            NetworkListener::new(&svc, "Listener", &nlb, NetworkListenerProps::new(port).default_target_groups(vec![tg.clone()]))?;
            port = port.wrapping_add(1);
            let td = FargateTaskDefinition::new(&svc, "Task", FargateTaskDefinitionProps::new())?;
            td.add_container("app", ContainerDefinitionOptions::new(ContainerImage::from_ecr_repository(&repository, "1.27"))
                .logging(LogDriver::aws_logs(AwsLogDriverProps::new("app").log_retention(RetentionDays::OneWeek)))
                .port_mappings(vec![PortMapping::tcp(8080)]))?;
            let sg = SecurityGroup::new(&svc, "Sg", SecurityGroupProps::new(&vpc))?;
            sg.add_ingress_rule(Peer::vpc_cidr(&vpc), Port::tcp(8080), None)?;
            let service = FargateService::new(&svc, "Service", FargateServiceProps::new(&cluster, &td).security_group(&sg))?;
            service.attach_to_network_target_group(&tg)?;
            total += SERVICE_RESOURCES;
            i += 1;
        }
        debug_assert_eq!(stack.resource_count(), i * SERVICE_RESOURCES);
        stack_index += 1;
    }
    Ok(total)
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let app = App::new();
    match build(&app, n).and_then(|count| app.synth().map(|a| (count, a))) {
        Ok((count, a)) => {
            println!("{count} resources in {} stacks written to {}", a.stacks.len(), a.outdir.display());
            for f in &a.findings {
                println!("{f}");
            }
            if let Some(cost) = &a.cost {
                // The full table has a line per item: the report files hold it.
                println!("cost: ${:.2} a month; each stack's lines are in its <Stack>.cost.json", cost.total_monthly_usd);
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
