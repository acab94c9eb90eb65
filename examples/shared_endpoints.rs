//! Interface endpoints shared across VPCs (reference article 003): one shared VPC holds the
//! endpoints, with private DNS off; the dev, stg and prd VPCs are peered with it, with routes on
//! both sides; and for each endpoint service a Route 53 private hosted zone on its domain, with
//! apex and wildcard alias records, is associated with every environment's VPC. Eight endpoints
//! in each of three environments cost the article about 36,000 yen a month; shared, they are
//! paid once. The wildcard record is what makes `<account>.dkr.ecr.<region>.amazonaws.com`
//! resolve, the "no such host" the article chased.
//!
//! `cargo run --example shared_endpoints` writes five stacks to `cdk.out/`, deployed in this
//! order: `SharedNetwork`; `Dev`, `Stg`, `Prd` (each imports the shared VPC and adds the routes
//! on both sides); `EndpointDns` (the zones, associated with every environment's VPC).

use ironcdk::ec2::{
    InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, Peer, Port, SecurityGroup, SecurityGroupProps, SubnetConfiguration, SubnetSelection,
    SubnetType, Vpc, VpcPeeringConnection, VpcPeeringConnectionProps, VpcProps,
};
use ironcdk::route53::{EndpointZoneProps, PrivateHostedZone};
use ironcdk::{App, Environment, Stack, StackProps};

const REGION: &str = "ap-northeast-1";

/// The services the article shares: image pulls, logs, and Session Manager.
const SERVICES: [(&str, InterfaceVpcEndpointAwsService); 6] = [
    ("EcrDocker", InterfaceVpcEndpointAwsService::ECR_DOCKER),
    ("EcrApi", InterfaceVpcEndpointAwsService::ECR),
    ("Logs", InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS),
    ("Ssm", InterfaceVpcEndpointAwsService::SSM),
    ("SsmMessages", InterfaceVpcEndpointAwsService::SSM_MESSAGES),
    ("Ec2Messages", InterfaceVpcEndpointAwsService::EC2_MESSAGES),
];

/// The environments and their address ranges (which must not overlap the shared VPC's).
const ENVIRONMENTS: [(&str, &str); 3] = [("Dev", "10.1.0.0/16"), ("Stg", "10.2.0.0/16"), ("Prd", "10.3.0.0/16")];

fn isolated_vpc(stack: &Stack, cidr: &str) -> ironcdk::Result<Vpc> {
    Vpc::new(stack, "Vpc", VpcProps::new()
        .ip_addresses(cidr)
        .max_azs(2)
        .nat_gateways(0)
        .subnet_configuration(vec![SubnetConfiguration::new("Private", SubnetType::PrivateIsolated).cidr_mask(24)]))
}

/// Builds the article's architecture into `app`.
pub fn shared_endpoints(app: &App) -> ironcdk::Result<Vec<Stack>> {
    let env = Environment::region(REGION);
    let props = || StackProps::new().env(env.clone());

    // The shared network: the endpoints live here once, with private DNS off (the zones below
    // answer for their domains in every environment instead).
    let shared_stack = Stack::with_props(app, "SharedNetwork", props())?;
    let shared = isolated_vpc(&shared_stack, "10.0.0.0/16")?;
    let endpoint_group = SecurityGroup::new(&shared_stack, "EndpointSecurityGroup", SecurityGroupProps::new(&shared))?;
    for (name, cidr) in ENVIRONMENTS {
        endpoint_group.add_ingress_rule(Peer::ipv4(cidr), Port::tcp(443), Some(&format!("HTTPS from {name}")))?;
    }
    // As the article's group (`self = true`): the shared VPC's own members reach the endpoints.
    endpoint_group.add_ingress_rule(Peer::security_group(&endpoint_group), Port::tcp(443), Some("HTTPS from the shared VPC"))?;
    let mut endpoints = Vec::new();
    for (id, service) in SERVICES {
        let endpoint = shared.add_interface_endpoint(&format!("{id}Endpoint"), InterfaceVpcEndpointOptions::new(service)
            .private_dns_enabled(false)
            .security_groups(vec![endpoint_group.clone()])
            .open(false))?;
        endpoints.push((id, service, endpoint));
    }

    // Each environment: its own VPC, peered with the shared one, routed on both sides.
    let mut stacks = vec![shared_stack];
    let mut env_vpcs = Vec::new();
    for (name, cidr) in ENVIRONMENTS {
        let stack = Stack::with_props(app, name, props())?;
        let vpc = isolated_vpc(&stack, cidr)?;
        let peering = VpcPeeringConnection::new(&stack, "SharedPeering", VpcPeeringConnectionProps::new(&vpc, &shared))?;
        peering.add_routes(&SubnetSelection::default(), &SubnetSelection::default())?;
        env_vpcs.push(vpc);
        stacks.push(stack);
    }

    // One private zone per endpoint service, apex and wildcard, in every environment's VPC.
    let dns = Stack::with_props(app, "EndpointDns", props())?;
    let vpcs: Vec<&Vpc> = env_vpcs.iter().collect();
    for (id, service, endpoint) in &endpoints {
        PrivateHostedZone::for_interface_endpoint(&dns, &format!("{id}Zone"), EndpointZoneProps::new(endpoint, service.private_dns_domain(REGION), &vpcs))?;
    }
    stacks.push(dns);
    Ok(stacks)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(shared_endpoints(&app).and_then(|_| app.synth()))
}
