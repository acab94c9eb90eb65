//! A generated app of about N resources, for measuring how synth scales:
//! `cargo run --release --example scale -- 10000` writes it to `cdk.out/` (or `$CDK_OUTDIR`).
//!
//! Each stack holds a shared network (isolated VPC, cluster, internal NLB) and as many copies of
//! the service part of the isolated API (target group, listener, roles, task definition, log
//! group, security group, service) as fit under CloudFormation's 500-resource limit.

use ironcdk::ec2::{Peer, Port, SecurityGroup, SecurityGroupProps, SubnetConfiguration, SubnetType, Vpc, VpcProps};
use ironcdk::ecs::{AwsLogDriverProps, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping};
use ironcdk::elasticloadbalancingv2::{NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps, TargetType};
use ironcdk::logs::RetentionDays;
use ironcdk::{App, AsScope, Stack};

/// Resources in one stack's shared network.
pub const NETWORK_RESOURCES: usize = 9;
/// Resources in one service part.
pub const SERVICE_RESOURCES: usize = 9;
const SERVICES_PER_STACK: usize = 48;

/// Builds about `resources` resources into `app`; returns the exact count.
pub fn build(app: &App, resources: usize) -> ironcdk::Result<usize> {
    let mut total = 0;
    let mut stack_index = 0;
    while total < resources.max(1) {
        let stack = Stack::new(app, &format!("Scale{stack_index}"))?;
        let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().subnet_configuration(vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)]))?;
        let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc))?;
        let nlb = NetworkLoadBalancer::new(&stack, "Nlb", NetworkLoadBalancerProps::new(&vpc))?;
        total += NETWORK_RESOURCES;
        let mut i = 0;
        // At least one service per stack: a listener needs a target group.
        while i == 0 || (i < SERVICES_PER_STACK && total < resources) {
            let svc = stack.scope().child(&format!("Svc{i}"), "scale.Service")?;
            let tg = NetworkTargetGroup::new(&svc, "Tg", NetworkTargetGroupProps::new(&vpc, 8080).target_type(TargetType::Ip))?;
            nlb.add_listener(&format!("Listener{i}"), NetworkListenerProps::new(10000 + i as u16).default_target_groups(vec![tg.clone()]))?;
            let td = FargateTaskDefinition::new(&svc, "Task", FargateTaskDefinitionProps::new())?;
            td.add_container("app", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"))
                .logging(LogDriver::aws_logs(AwsLogDriverProps::new("app").log_retention(RetentionDays::OneWeek)))
                .port_mappings(vec![PortMapping::tcp(8080)]))?;
            let sg = SecurityGroup::new(&svc, "Sg", SecurityGroupProps::new(&vpc))?;
            sg.add_ingress_rule(Peer::vpc_cidr(&vpc), Port::tcp(8080), None)?;
            let service = FargateService::new(&svc, "Service", FargateServiceProps::new(&cluster, &td).security_group(&sg))?;
            service.attach_to_network_target_group(&tg)?;
            total += SERVICE_RESOURCES;
            i += 1;
        }
        debug_assert_eq!(stack.resource_count(), NETWORK_RESOURCES + i * SERVICE_RESOURCES);
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
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
