//! A web service with its database: the first app most teams write.
//!
//! A two-AZ VPC (public subnets for the load balancer, private ones with one NAT gateway for the
//! tasks, isolated ones for the database), an internet-facing ALB answering HTTPS with a
//! certificate by ARN and redirecting HTTP, a Fargate service on port 8080 with a health check
//! path and CPU scaling from 2 to 10 tasks, and PostgreSQL in the isolated subnets, reachable
//! only from the service's security group on 5432. Its credentials are generated in Secrets
//! Manager and given to the container as secrets (host, user, password), which the task's
//! execution role is granted to read.
//!
//! `cargo run --example web_service` writes `cdk.out/WebService.template.json`; synth reports
//! the NAT gateway with its monthly price, and `WebService.cost.json` what the stack costs.

use ironcdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
use ironcdk::ecs::{Cluster, ClusterProps, ContainerImage, CpuUtilizationScalingProps, Secret};
use ironcdk::ecs_patterns::{ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions};
use ironcdk::elasticloadbalancingv2::{HealthCheck, ListenerCertificate};
use ironcdk::rds::{Credentials, DatabaseInstance, DatabaseInstanceEngine, DatabaseInstanceProps, InstanceType, PostgresEngineVersion};
use ironcdk::{App, AsScope, Environment, Stack, StackProps};

/// The certificate for the service's domain, in the stack's region.
pub const CERTIFICATE_ARN: &str = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-3333-4444-5555-666666666666";

/// Builds the stack into `app`.
pub fn web_service(app: &App) -> ironcdk::Result<Stack> {
    let stack = Stack::with_props(app, "WebService", StackProps::new().env(Environment::region("us-east-1")))?;
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().max_azs(2).nat_gateways(1).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("App", SubnetType::PrivateWithEgress),
        SubnetConfiguration::new("Data", SubnetType::PrivateIsolated),
    ]))?;
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc))?;

    let database = DatabaseInstance::new(&stack, "Database", DatabaseInstanceProps::new(
        DatabaseInstanceEngine::postgres(PostgresEngineVersion::V16_13), &vpc, InstanceType::new("t4g.micro"))
        .vpc_subnets(SubnetSelection::of_type(SubnetType::PrivateIsolated))
        .credentials(Credentials::from_generated_secret("app"))
        .database_name("app")
        .allocated_storage(20)
        .storage_encrypted(true))?;
    let credentials = database.secret().ok_or_else(|| database.scope().error("the database has no secret"))?;

    let web = ApplicationLoadBalancedFargateService::new(&stack, "Web", ApplicationLoadBalancedFargateServiceProps::new(&cluster,
        TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable"))
            .container_port(8080)
            .secret("DB_HOST", Secret::from_secrets_manager(credentials, Some("host")))
            .secret("DB_USER", Secret::from_secrets_manager(credentials, Some("username")))
            .secret("DB_PASSWORD", Secret::from_secrets_manager(credentials, Some("password"))))
        .certificate(ListenerCertificate::from_arn(CERTIFICATE_ARN))
        .redirect_http(true)
        .desired_count(2))?;
    web.target_group().configure_health_check(HealthCheck::new().path("/health"))?;
    web.service().auto_scale_task_count(2, 10)?.scale_on_cpu_utilization("Cpu", CpuUtilizationScalingProps::new(70.0))?;
    database.allow_default_port_from(&web.service().connections(), None)?;
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(web_service(&app).and_then(|_| app.synth()))
}
