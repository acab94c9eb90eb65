//! The load-balanced service pattern users reach for first, as aws-cdk-lib 2.276's
//! `aws-ecs-patterns` builds it: `ApplicationLoadBalancedFargateService` (`<id>/LB` with its
//! `PublicListener` and the `ECSGroup` target group, `<id>/TaskDef` with the `web` container
//! logging to CloudWatch, `<id>/Service`, and the `LoadBalancerDNS` and `ServiceURL` outputs).
//!
//! One deliberate difference: CDK's pattern makes a default VPC (with a NAT gateway per AZ) and
//! cluster when none is given. Here the cluster is required, so the network is the one the
//! program chose, and the checks judge it.

use ironcdk_synth::{fns, AsScope, Output, Result, Scope, Val};

use crate::certificatemanager::{Certificate, CertificateProps, CertificateValidation};
use crate::ec2::SubnetSelection;
use crate::route53::{ARecord, ARecordProps, AsHostedZone, HostedZone, RecordTarget};
use crate::ecs::{AwsLogDriverProps, Cluster, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping};
use crate::elasticloadbalancingv2::{
    ApplicationListener, ApplicationListenerProps, ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationProtocol, ApplicationTargetGroup, ApplicationTargetGroupProps,
    ListenerAction, ListenerCertificate, ListenerRuleOptions, RedirectOptions, TargetType,
};

/// The container of an [`ApplicationLoadBalancedFargateService`] (CDK's
/// `ApplicationLoadBalancedTaskImageOptions`).
#[derive(Clone)]
#[non_exhaustive]
pub struct TaskImageOptions {
    /// The image.
    pub image: ContainerImage,
    /// The port the container listens on (default 80).
    pub container_port: u16,
    /// The container's name (default `web`).
    pub container_name: String,
    /// Environment variables, in order.
    pub environment: Vec<(String, Val<String>)>,
    /// Log to CloudWatch Logs through a log group made for the container (default true).
    pub enable_logging: bool,
    /// Secrets as environment variables, in order (the execution role reads them).
    pub secrets: Vec<(String, crate::ecs::Secret)>,
}

impl TaskImageOptions {
    /// `image` on port 80, logging.
    pub fn new(image: ContainerImage) -> Self {
        TaskImageOptions { image, container_port: 80, container_name: "web".into(), environment: Vec::new(), enable_logging: true, secrets: Vec::new() }
    }
    setters! {
        /// Sets the container port.
        set container_port: u16;
        /// Turns logging on or off.
        set enable_logging: bool;
    }
    /// Sets the container name.
    pub fn container_name(mut self, name: impl Into<String>) -> Self {
        self.container_name = name.into();
        self
    }
    /// Adds an environment variable.
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }
    /// Adds a secret as the environment variable `name`.
    pub fn secret(mut self, name: impl Into<String>, secret: crate::ecs::Secret) -> Self {
        self.secrets.push((name.into(), secret));
        self
    }
}

/// What both patterns size and place their tasks with.
struct TaskSizing {
    cpu: u32,
    memory_limit_mib: u32,
    desired_count: Option<u32>,
    task_subnets: Option<SubnetSelection>,
    assign_public_ip: bool,
    grace: u32,
}

/// The pattern's `TaskDef` with its container (logging under the pattern's id, as CDK), and the
/// service's options, for the pattern to finish.
fn task_and_service(scope: &Scope, id: &str, cluster: &Cluster, o: &TaskImageOptions, sizing: TaskSizing) -> Result<(FargateTaskDefinition, FargateServiceProps)> {
    let task_definition = FargateTaskDefinition::new(scope, "TaskDef", FargateTaskDefinitionProps::new().cpu(sizing.cpu).memory_limit_mib(sizing.memory_limit_mib))?;
    let mut container = ContainerDefinitionOptions::new(o.image.clone()).port_mappings(vec![PortMapping::tcp(o.container_port)]);
    for (k, v) in &o.environment {
        container = container.environment(k.clone(), v.clone());
    }
    if o.enable_logging {
        container = container.logging(LogDriver::aws_logs(AwsLogDriverProps::new(id)));
    }
    for (k, v) in &o.secrets {
        container = container.secret(k.clone(), v.clone());
    }
    task_definition.add_container(&o.container_name, container)?;
    let mut sp = FargateServiceProps::new(cluster, &task_definition).assign_public_ip(sizing.assign_public_ip).health_check_grace_period_seconds(sizing.grace);
    if let Some(n) = sizing.desired_count {
        sp = sp.desired_count(n);
    }
    if let Some(s) = sizing.task_subnets {
        sp = sp.vpc_subnets(s);
    }
    Ok((task_definition, sp))
}

/// Options of an [`ApplicationLoadBalancedFargateService`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ApplicationLoadBalancedFargateServiceProps {
    /// The cluster, with its VPC (required: no VPC or NAT gateway is made silently).
    pub cluster: Cluster,
    /// The container.
    pub task_image_options: TaskImageOptions,
    /// CPU units (default 256).
    pub cpu: u32,
    /// Memory in MiB (default 512).
    pub memory_limit_mib: u32,
    /// Tasks to keep running (default: left to ECS, which starts one).
    pub desired_count: Option<u32>,
    /// Internet-facing load balancer (default true).
    pub public_load_balancer: bool,
    /// Listener port (default 80, or 443 with HTTPS).
    pub listener_port: Option<u16>,
    /// Listener protocol (default HTTPS with a certificate, else HTTP).
    pub protocol: Option<ApplicationProtocol>,
    /// The HTTPS listener's certificate.
    pub certificate: Option<ListenerCertificate>,
    /// TLS policy of the HTTPS listener (default CDK's).
    pub ssl_policy: Option<String>,
    /// Redirect HTTP on port 80 to HTTPS (`PublicRedirectListener`).
    pub redirect_http: bool,
    /// Open the listeners to the world (default true).
    pub open_listener: bool,
    /// Protocol from the load balancer to the tasks (default HTTP).
    pub target_protocol: ApplicationProtocol,
    /// The tasks' subnets (default: the service's, private ones).
    pub task_subnets: Option<SubnetSelection>,
    /// Give tasks public IPs (default false).
    pub assign_public_ip: bool,
    /// Seconds load balancer health checks are ignored after a task starts (default 60).
    pub health_check_grace_period_seconds: u32,
    /// Minimum healthy percent during deployments.
    pub min_healthy_percent: Option<u32>,
    /// Maximum percent during deployments.
    pub max_healthy_percent: Option<u32>,
    /// The load balancer's name.
    pub load_balancer_name: Option<String>,
    /// The service's name.
    pub service_name: Option<String>,
    /// A name for the load balancer in `domain_zone` (an alias record, `<id>/DNS`); with HTTPS
    /// and no certificate, a DNS-validated certificate for it is made (`<id>/Certificate`).
    pub domain_name: Option<String>,
    /// The zone of `domain_name`.
    pub domain_zone: Option<HostedZone>,
}

impl ApplicationLoadBalancedFargateServiceProps {
    /// The pattern for `cluster` running `task_image_options`.
    pub fn new(cluster: &Cluster, task_image_options: TaskImageOptions) -> Self {
        ApplicationLoadBalancedFargateServiceProps {
            cluster: cluster.clone(),
            task_image_options,
            cpu: 256,
            memory_limit_mib: 512,
            desired_count: None,
            public_load_balancer: true,
            listener_port: None,
            protocol: None,
            certificate: None,
            ssl_policy: None,
            redirect_http: false,
            open_listener: true,
            target_protocol: ApplicationProtocol::Http,
            task_subnets: None,
            assign_public_ip: false,
            health_check_grace_period_seconds: 60,
            min_healthy_percent: None,
            max_healthy_percent: None,
            load_balancer_name: None,
            service_name: None,
            domain_name: None,
            domain_zone: None,
        }
    }
    /// Names the load balancer `domain_name` in `zone` (CDK's `domainName` and `domainZone`).
    pub fn domain(mut self, domain_name: impl Into<String>, zone: &impl AsHostedZone) -> Self {
        self.domain_name = Some(domain_name.into());
        self.domain_zone = Some(zone.hosted_zone());
        self
    }
    setters! {
        /// Sets the CPU units.
        set cpu: u32;
        /// Sets the memory.
        set memory_limit_mib: u32;
        /// Sets the desired count.
        some desired_count: u32;
        /// Internet-facing or internal.
        set public_load_balancer: bool;
        /// Sets the listener port.
        some listener_port: u16;
        /// Sets the listener protocol.
        some protocol: ApplicationProtocol;
        /// Sets the certificate (HTTPS).
        some certificate: ListenerCertificate;
        /// Sets the TLS policy.
        into ssl_policy: String;
        /// Redirects HTTP to HTTPS.
        set redirect_http: bool;
        /// Opens the listeners or not.
        set open_listener: bool;
        /// Sets the protocol to the tasks.
        set target_protocol: ApplicationProtocol;
        /// Selects the tasks' subnets.
        some task_subnets: SubnetSelection;
        /// Gives tasks public IPs.
        set assign_public_ip: bool;
        /// Sets the health check grace period.
        set health_check_grace_period_seconds: u32;
        /// Sets the minimum healthy percent.
        some min_healthy_percent: u32;
        /// Sets the maximum percent.
        some max_healthy_percent: u32;
        /// Sets the load balancer's name.
        into load_balancer_name: String;
        /// Sets the service's name.
        into service_name: String;
    }
}

/// A Fargate service behind an application load balancer (CDK's
/// `ApplicationLoadBalancedFargateService`).
///
/// ```
/// use ironcdk_constructs::ec2::{SubnetConfiguration, SubnetType, Vpc, VpcProps};
/// use ironcdk_constructs::ecs::{Cluster, ClusterProps, ContainerImage};
/// use ironcdk_constructs::ecs_patterns::*;
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Web").unwrap();
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().max_azs(2).nat_gateways(1).subnet_configuration(vec![
///     SubnetConfiguration::new("Public", SubnetType::Public),
///     SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress),
/// ])).unwrap();
/// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
/// let web = ApplicationLoadBalancedFargateService::new(&stack, "Web", ApplicationLoadBalancedFargateServiceProps::new(
///     &cluster, TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable")))).unwrap();
/// web.service().auto_scale_task_count(2, 10).unwrap();
/// ```
#[derive(Clone)]
pub struct ApplicationLoadBalancedFargateService {
    scope: Scope,
    load_balancer: ApplicationLoadBalancer,
    listener: ApplicationListener,
    redirect_listener: Option<ApplicationListener>,
    target_group: ApplicationTargetGroup,
    task_definition: FargateTaskDefinition,
    service: FargateService,
}

impl AsScope for ApplicationLoadBalancedFargateService {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ApplicationLoadBalancedFargateService {
    /// Builds the pattern.
    pub fn new(scope: &impl AsScope, id: &str, props: ApplicationLoadBalancedFargateServiceProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.ecs_patterns.ApplicationLoadBalancedFargateService")?;
        let Some(vpc) = props.cluster.vpc().cloned() else {
            return Err(scope.error("the cluster has no VPC; create it with ClusterProps::vpc"));
        };
        // As CDK: HTTPS with a certificate, else HTTP; the port follows the protocol.
        let protocol = props.protocol.unwrap_or(if props.certificate.is_some() { ApplicationProtocol::Https } else { ApplicationProtocol::Http });
        if props.certificate.is_some() && protocol != ApplicationProtocol::Https {
            return Err(scope.error("a certificate needs protocol HTTPS"));
        }
        if protocol == ApplicationProtocol::Https && props.certificate.is_none() && (props.domain_name.is_none() || props.domain_zone.is_none()) {
            return Err(scope.error("an HTTPS listener needs a certificate; give certificate(ListenerCertificate::from_arn(...)), or domain(name, zone) for one made and validated in the zone"));
        }
        if props.domain_name.is_some() && props.domain_zone.is_none() {
            return Err(scope.error("a domain name needs its hosted zone; give both with domain(name, zone)"));
        }
        if props.redirect_http && protocol != ApplicationProtocol::Https {
            return Err(scope.error("redirecting HTTP needs the HTTPS protocol on the listener"));
        }
        if props.desired_count == Some(0) {
            return Err(scope.error("the desired count must be at least 1 (leave it unset for ECS's one task)"));
        }
        let port = props.listener_port.unwrap_or(if protocol == ApplicationProtocol::Https { 443 } else { 80 });

        let mut lb_props = ApplicationLoadBalancerProps::new(&vpc).internet_facing(props.public_load_balancer);
        if let Some(n) = &props.load_balancer_name {
            lb_props = lb_props.load_balancer_name(n.clone());
        }
        let load_balancer = ApplicationLoadBalancer::new(&scope, "LB", lb_props)?;
        let mut lp = ApplicationListenerProps::new(port).protocol(protocol).open(props.open_listener);
        let certificate = match (&props.certificate, &props.domain_name, &props.domain_zone) {
            (Some(c), _, _) => Some(c.clone()),
            // As CDK: HTTPS with a domain and no certificate makes one, validated in the zone.
            (None, Some(name), Some(zone)) if protocol == ApplicationProtocol::Https => {
                let c = Certificate::new(&scope, "Certificate", CertificateProps::new(name.clone()).validation(CertificateValidation::from_dns(zone)))?;
                Some(ListenerCertificate::from_certificate_manager(&c))
            }
            _ => None,
        };
        if let Some(c) = certificate {
            lp = lp.certificates(vec![c]);
        }
        if let Some(p) = &props.ssl_policy {
            lp = lp.ssl_policy(p.clone());
        }
        let listener = load_balancer.add_listener("PublicListener", lp)?;
        // As CDK's `addTargets('ECS<name><Private>', { protocol })` (its unique target group id):
        // the group's port follows its protocol.
        let group_id = format!("ECS{}{}", props.load_balancer_name.as_deref().unwrap_or_default(), if props.public_load_balancer { "" } else { "Private" });
        let target_port = if props.target_protocol == ApplicationProtocol::Https { 443 } else { 80 };
        let target_group = ApplicationTargetGroup::new(&listener, &format!("{group_id}Group"), ApplicationTargetGroupProps::new(&vpc, target_port).protocol(props.target_protocol).target_type(TargetType::Ip))?;
        listener.add_target_groups(&group_id, vec![target_group.clone()], ListenerRuleOptions::new())?;
        let redirect_listener = if props.redirect_http {
            let to = props.listener_port.map_or_else(|| "443".to_string(), |p| p.to_string());
            let r = load_balancer.add_listener(
                "PublicRedirectListener",
                ApplicationListenerProps::new(80)
                    .protocol(ApplicationProtocol::Http)
                    .open(props.open_listener)
                    .default_action(ListenerAction::redirect(RedirectOptions::new().port(to).protocol(ApplicationProtocol::Https).permanent(true))),
            )?;
            // As CDK: the redirect waits for the listener it sends to.
            r.scope().add_dependency(&listener.scope())?;
            Some(r)
        } else {
            None
        };

        let (task_definition, mut sp) = task_and_service(&scope, id, &props.cluster, &props.task_image_options, TaskSizing {
            cpu: props.cpu,
            memory_limit_mib: props.memory_limit_mib,
            desired_count: props.desired_count,
            task_subnets: props.task_subnets.clone(),
            assign_public_ip: props.assign_public_ip,
            grace: props.health_check_grace_period_seconds,
        })?;
        if let Some(n) = props.min_healthy_percent {
            sp = sp.min_healthy_percent(n);
        }
        if let Some(n) = props.max_healthy_percent {
            sp = sp.max_healthy_percent(n);
        }
        if let Some(n) = &props.service_name {
            sp = sp.service_name(n.clone());
        }
        let service = FargateService::new(&scope, "Service", sp)?;
        service.attach_to_application_target_group(&target_group)?;

        let dns = load_balancer.load_balancer_dns_name();
        // As CDK: the service's URL names the alias record when there is one.
        let host = match (&props.domain_name, &props.domain_zone) {
            (Some(name), Some(zone)) => ARecord::new(&scope, "DNS", ARecordProps::new(zone, RecordTarget::load_balancer(&load_balancer)).record_name(name.clone()))?.domain_name(),
            _ => dns.clone(),
        };
        Output::new(&scope, "LoadBalancerDNS", dns)?;
        let scheme = if protocol == ApplicationProtocol::Https { "https://" } else { "http://" };
        let url: Val<String> = fns::join("", [scheme.into(), host]);
        Output::new(&scope, "ServiceURL", url)?;
        Ok(ApplicationLoadBalancedFargateService { scope, load_balancer, listener, redirect_listener, target_group, task_definition, service })
    }

    /// The load balancer (`<id>/LB`).
    pub fn load_balancer(&self) -> &ApplicationLoadBalancer {
        &self.load_balancer
    }
    /// The listener (`<id>/LB/PublicListener`).
    pub fn listener(&self) -> &ApplicationListener {
        &self.listener
    }
    /// The HTTP-to-HTTPS listener, when asked for.
    pub fn redirect_listener(&self) -> Option<&ApplicationListener> {
        self.redirect_listener.as_ref()
    }
    /// The target group (`<id>/LB/PublicListener/ECSGroup`).
    pub fn target_group(&self) -> &ApplicationTargetGroup {
        &self.target_group
    }
    /// The task definition (`<id>/TaskDef`).
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task_definition
    }
    /// The service (`<id>/Service`).
    pub fn service(&self) -> &FargateService {
        &self.service
    }
}

/// Options of a [`NetworkLoadBalancedFargateService`].
#[derive(Clone)]
#[non_exhaustive]
pub struct NetworkLoadBalancedFargateServiceProps {
    /// The cluster, with its VPC (required: no VPC or NAT gateway is made silently).
    pub cluster: Cluster,
    /// The container.
    pub task_image_options: TaskImageOptions,
    /// CPU units (default 256).
    pub cpu: u32,
    /// Memory in MiB (default 512).
    pub memory_limit_mib: u32,
    /// Tasks to keep running (default: left to ECS, which starts one).
    pub desired_count: Option<u32>,
    /// Internet-facing load balancer (default true).
    pub public_load_balancer: bool,
    /// Listener port (default 80).
    pub listener_port: u16,
    /// The tasks' subnets (default: the service's, private ones).
    pub task_subnets: Option<SubnetSelection>,
    /// Give tasks public IPs (default false).
    pub assign_public_ip: bool,
    /// Seconds load balancer health checks are ignored after a task starts (default 60).
    pub health_check_grace_period_seconds: u32,
}

impl NetworkLoadBalancedFargateServiceProps {
    /// The pattern for `cluster` running `task_image_options`.
    pub fn new(cluster: &Cluster, task_image_options: TaskImageOptions) -> Self {
        NetworkLoadBalancedFargateServiceProps {
            cluster: cluster.clone(),
            task_image_options,
            cpu: 256,
            memory_limit_mib: 512,
            desired_count: None,
            public_load_balancer: true,
            listener_port: 80,
            task_subnets: None,
            assign_public_ip: false,
            health_check_grace_period_seconds: 60,
        }
    }
    setters! {
        /// Sets the CPU units.
        set cpu: u32;
        /// Sets the memory.
        set memory_limit_mib: u32;
        /// Sets the desired count.
        some desired_count: u32;
        /// Internet-facing or internal.
        set public_load_balancer: bool;
        /// Sets the listener port.
        set listener_port: u16;
        /// Selects the tasks' subnets.
        some task_subnets: SubnetSelection;
        /// Gives tasks public IPs.
        set assign_public_ip: bool;
        /// Sets the health check grace period.
        set health_check_grace_period_seconds: u32;
    }
}

/// A Fargate service behind a network load balancer (CDK's `NetworkLoadBalancedFargateService`):
/// `<id>/LB` with its TCP `PublicListener` and `ECSGroup` target group on the container port,
/// `<id>/TaskDef`, `<id>/Service`, and the `LoadBalancerDNS` output.
///
/// One deliberate difference, CDK's trap (aws-cdk#1490): CDK's service admits nothing, so the
/// load balancer's traffic never reaches the tasks. Here the tasks' security group admits the
/// VPC's range on the container port ("Load balancer to target"), where the load balancer's
/// nodes are.
#[derive(Clone)]
pub struct NetworkLoadBalancedFargateService {
    scope: Scope,
    load_balancer: crate::elasticloadbalancingv2::NetworkLoadBalancer,
    target_group: crate::elasticloadbalancingv2::NetworkTargetGroup,
    task_definition: FargateTaskDefinition,
    service: FargateService,
}

impl AsScope for NetworkLoadBalancedFargateService {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl NetworkLoadBalancedFargateService {
    /// Builds the pattern.
    pub fn new(scope: &impl AsScope, id: &str, props: NetworkLoadBalancedFargateServiceProps) -> Result<Self> {
        use crate::elasticloadbalancingv2::{NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps};
        let scope = scope.scope().child(id, "ironcdk.ecs_patterns.NetworkLoadBalancedFargateService")?;
        let Some(vpc) = props.cluster.vpc().cloned() else {
            return Err(scope.error("the cluster has no VPC; create it with ClusterProps::vpc"));
        };
        if props.desired_count == Some(0) {
            return Err(scope.error("the desired count must be at least 1 (leave it unset for ECS's one task)"));
        }
        let load_balancer = NetworkLoadBalancer::new(&scope, "LB", NetworkLoadBalancerProps::new(&vpc).internet_facing(props.public_load_balancer))?;
        let listener = load_balancer.add_listener("PublicListener", NetworkListenerProps::new(props.listener_port))?;
        let o = &props.task_image_options;
        // As CDK's `addTargets('ECS', { port: containerPort })`.
        let target_group = NetworkTargetGroup::new(&listener, "ECSGroup", NetworkTargetGroupProps::new(&vpc, o.container_port).target_type(crate::elasticloadbalancingv2::TargetType::Ip))?;
        listener.add_target_groups(vec![target_group.clone()])?;

        let (task_definition, sp) = task_and_service(&scope, id, &props.cluster, o, TaskSizing {
            cpu: props.cpu,
            memory_limit_mib: props.memory_limit_mib,
            desired_count: props.desired_count,
            task_subnets: props.task_subnets.clone(),
            assign_public_ip: props.assign_public_ip,
            grace: props.health_check_grace_period_seconds,
        })?;
        let service = FargateService::new(&scope, "Service", sp)?;
        service.attach_to_network_target_group(&target_group)?;
        // Not in CDK (its trap): the load balancer's nodes, in the VPC, reach the tasks.
        service.connections().allow_from_peer(crate::ec2::Peer::vpc_cidr(&vpc), crate::ec2::Port::tcp(o.container_port), Some("Load balancer to target"))?;
        Output::new(&scope, "LoadBalancerDNS", load_balancer.load_balancer_dns_name())?;
        Ok(NetworkLoadBalancedFargateService { scope, load_balancer, target_group, task_definition, service })
    }

    /// The load balancer (`<id>/LB`).
    pub fn load_balancer(&self) -> &crate::elasticloadbalancingv2::NetworkLoadBalancer {
        &self.load_balancer
    }
    /// The target group (`<id>/LB/PublicListener/ECSGroup`).
    pub fn target_group(&self) -> &crate::elasticloadbalancingv2::NetworkTargetGroup {
        &self.target_group
    }
    /// The task definition (`<id>/TaskDef`).
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task_definition
    }
    /// The service (`<id>/Service`).
    pub fn service(&self) -> &FargateService {
        &self.service
    }
}
