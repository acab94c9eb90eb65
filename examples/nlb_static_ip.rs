//! A Fargate service with a fixed public address (reference article 001): Fargate tasks
//! cannot hold an Elastic IP, so an internet-facing NLB takes one through a subnet mapping and
//! forwards TCP 5000 to the task. The article ran it in public subnets with public task IPs and
//! destroyed it between uses because of the monthly bill; the cost report shows that bill.
//!
//! As in the article, the VPC and its public subnet already exist and are parameters. The
//! address must outlive the stack (the article creates and destroys the stack on demand), so
//! the Elastic IP is allocated once outside it and its allocation ID is a parameter too:
//! `aws ec2 allocate-address`, then deploy with
//! `--parameter-overrides VpcId=vpc-... PublicSubnetId=subnet-... EipAllocationId=eipalloc-...`.
//!
//! `cargo run --example nlb_static_ip` writes `cdk.out/NlbStaticIp.template.json`.

use ironcdk::ec2::{Peer, Port, SecurityGroup, SecurityGroupProps, SubnetAttributes, SubnetSelection, SubnetType, Vpc, VpcAttributes};
use ironcdk::ecr::{Repository, RepositoryProps};
use ironcdk::ecs::{
    AwsLogDriverProps, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition,
    FargateTaskDefinitionProps, LogDriver, PortMapping,
};
use ironcdk::elasticloadbalancingv2::{
    HealthCheck, HealthCheckProtocol, NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps, SubnetMapping, TargetType,
};
use ironcdk::iam::{ManagedPolicy, ManagedPolicyProps, PolicyStatement, Principal, Role, RoleProps};
use ironcdk::logs::RetentionDays;
use ironcdk::{App, AsScope, Environment, Parameter, ParameterProps, ParameterType, Stack, StackProps};

/// Builds the article's architecture into `app`.
pub fn nlb_static_ip(app: &App) -> ironcdk::Result<Stack> {
    let stack = Stack::with_props(app, "NlbStaticIp", StackProps::new().env(Environment::region("us-east-1")))?;

    // The existing VPC and its public subnet (a route to an internet gateway, no NAT): the
    // task pulls its image through the internet gateway with a public IP.
    let vpc_id = Parameter::new(&stack, "VpcId", ParameterProps::new(ParameterType::VpcId)
        .description("The existing VPC"))?;
    let subnet_id = Parameter::new(&stack, "PublicSubnetId", ParameterProps::new(ParameterType::SubnetId)
        .description("A public subnet of that VPC (routed to an internet gateway): the NLB's and the task's"))?;
    let vpc = Vpc::from_attributes(&stack, "Vpc", VpcAttributes::from_vpc_id(vpc_id.value_as_string())
        .public_subnets(vec![SubnetAttributes::new(subnet_id.value_as_string())]))?;
    let public = vpc.select_subnets(&SubnetSelection::of_type(SubnetType::Public))?;
    // The article maps the NLB to the first public subnet, with its one Elastic IP.
    let first = public.first().ok_or_else(|| vpc.scope().error("the VPC has no public subnet"))?;
    let allocation = Parameter::new(&stack, "EipAllocationId", ParameterProps::new(ParameterType::String)
        .description("Allocation ID of the Elastic IP the NLB answers on (eipalloc-...), allocated outside this stack so the address survives it")
        .allowed_pattern("^eipalloc-[0-9a-f]+$"))?;

    let nlb = NetworkLoadBalancer::new(&stack, "Nlb", NetworkLoadBalancerProps::new(&vpc)
        .load_balancer_name("ecs-nlb")
        .internet_facing(true)
        .subnet_mappings(vec![SubnetMapping::new(first).allocation_id(allocation.value_as_string())]))?;
    let target_group = NetworkTargetGroup::new(&stack, "TargetGroup", NetworkTargetGroupProps::new(&vpc, 5000)
        .target_group_name("ecs-target-group")
        .target_type(TargetType::Ip)
        // The article's health check: a TCP connection to the traffic port.
        .health_check(HealthCheck::new().protocol(HealthCheckProtocol::Tcp)))?;
    nlb.add_listener("Listener", NetworkListenerProps::new(5000).default_target_groups(vec![target_group.clone()]))?;

    // The task: 0.25 vCPU, 512 MiB, its image in ECR, logging to CloudWatch (which is what
    // makes Fargate require the execution role the article had to add).
    let repository = Repository::new(&stack, "Repository", RepositoryProps::new().repository_name("detect-image"))?;
    // The article's execution role and its customer managed policy, both named
    // ecs-task-execution: the statements of AWS's AmazonECSTaskExecutionRolePolicy, plus reading
    // SSM parameters and decrypting them for the container's secrets.
    let execution_policy = ManagedPolicy::new(&stack, "ExecutionPolicy", ManagedPolicyProps::new(vec![
        PolicyStatement::allow().actions([
            "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
            "logs:CreateLogStream", "logs:PutLogEvents",
        ]).resource("*"),
        PolicyStatement::allow().actions(["ssm:GetParameters", "kms:Decrypt"]).resource("*"),
    ]).managed_policy_name("ecs-task-execution"))?;
    let execution_role = Role::new(&stack, "ExecutionRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))
        .role_name("ecs-task-execution")
        .managed_policy(execution_policy))?;
    let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new()
        .cpu(256)
        .memory_limit_mib(512)
        .family("api-container")
        .execution_role(execution_role))?;
    let container = task.add_container("api", ContainerDefinitionOptions::new(ContainerImage::from_ecr_repository(&repository, "latest"))
        .logging(LogDriver::aws_logs(AwsLogDriverProps::new("api").log_retention(RetentionDays::OneWeek))))?;
    container.add_port_mappings(PortMapping::tcp(5000))?;

    // TCP 5000 from anywhere: the NLB keeps the client's address, so the task's group must
    // admit the clients themselves.
    let group = SecurityGroup::new(&stack, "ServiceSecurityGroup", SecurityGroupProps::new(&vpc).security_group_name("api-sg"))?;
    group.add_ingress_rule(Peer::any_ipv4(), Port::tcp(5000), None)?;

    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc))?;
    // In the NLB's subnet only: a target in an AZ the NLB does not use receives no traffic.
    let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task)
        .security_group(&group)
        .vpc_subnets(SubnetSelection::subnets([first]))
        .assign_public_ip(true)
        .desired_count(1))?;
    service.load_balancer_target(&container.container_name(), 5000)?;
    service.attach_to_network_target_group(&target_group)?;
    service.scope().acknowledge("first-deploy-image", "as in the article: the image is pushed to the repository before the first deploy")?;
    group.scope().acknowledge("open-ingress", "the article's service is public on TCP 5000 by design, behind its fixed address")?;
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(nlb_static_ip(&app).and_then(|_| app.synth()))
}
