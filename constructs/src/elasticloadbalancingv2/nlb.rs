//! Network load balancers.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Duration, Result, Scope, Val};

use super::generated::*;
use super::target_group::{deregistration_delay, l1_target_type, Attachments, TargetGroupRef};
use crate::ec2::{Ipv4Cidr, SubnetRef, SubnetSelection, SubnetType, Vpc};

/// Network load balancer protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// TCP
    Tcp,
    /// UDP
    Udp,
    /// TCP and UDP on one port
    TcpUdp,
}

impl Protocol {
    /// The value CloudFormation uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::TcpUdp => "TCP_UDP",
        }
    }
}

/// What a target group's targets are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetType {
    /// IP addresses (what Fargate tasks register as).
    Ip,
    /// EC2 instance ids.
    Instance,
    /// An application load balancer.
    Alb,
}

impl TargetType {
    /// The value CloudFormation uses.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetType::Ip => "ip",
            TargetType::Instance => "instance",
            TargetType::Alb => "alb",
        }
    }
}

/// Load balancer and target group names: 1 to 32 letters, digits and hyphens, no hyphen at
/// either end.
pub(super) fn check_elb_name(scope: &Scope, what: &str, name: &str) -> Result<()> {
    let ok = (1..=32).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !ok {
        return Err(scope.error(format!("{what} name '{name}' must be 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen ({} characters given)", name.len())));
    }
    if what == "load balancer" && name.starts_with("internal-") {
        return Err(scope.error(format!("load balancer name '{name}' cannot start with 'internal-'")));
    }
    Ok(())
}

const INTERNET_FACING_IN_PUBLIC: &str = "an internet-facing load balancer must be in public subnets; select SubnetType::Public or set internet_facing(false)";

/// A load balancer's subnets, one per AZ, as CDK selects them: the given selection, else the
/// public subnets of an internet-facing one and CDK's private default of an internal one. An
/// internet-facing load balancer outside public subnets is an error of `scope`.
pub(super) fn load_balancer_subnets(scope: &Scope, vpc: &Vpc, given: Option<&SubnetSelection>, internet_facing: bool) -> Result<Vec<SubnetRef>> {
    let selection = given.cloned().unwrap_or_else(|| if internet_facing { SubnetSelection::of_type(SubnetType::Public) } else { SubnetSelection::default() });
    let subnets = vpc.select_subnets_for(scope, &selection.one_per_az())?;
    if internet_facing && subnets.iter().any(|s| s.subnet_type != SubnetType::Public) {
        return Err(scope.error(INTERNET_FACING_IN_PUBLIC));
    }
    Ok(subnets)
}

/// What Elastic Load Balancing refuses in subnet mappings, refused here first.
fn check_subnet_mappings(scope: &Scope, props: &NetworkLoadBalancerProps) -> Result<()> {
    if props.vpc_subnets.is_some() {
        return Err(scope.error("give either vpc_subnets or subnet_mappings, not both"));
    }
    let vpc = props.vpc.model();
    let mut azs: Vec<usize> = Vec::new();
    for m in &props.subnet_mappings {
        let subnet = &m.subnet.path;
        if !vpc.subnets.iter().any(|s| s.path == *subnet) {
            return Err(scope.error(format!("subnet mapping {subnet} is not a subnet of the load balancer's VPC {}", vpc.path)));
        }
        if azs.contains(&m.subnet.az_index) {
            return Err(scope.error(format!("subnet mapping {subnet} is in an Availability Zone another mapping already uses; a load balancer takes one subnet per AZ")));
        }
        azs.push(m.subnet.az_index);
        if let Some(a) = &m.allocation_id {
            crate::ec2::check_ec2_id(scope, "an Elastic IP allocation", "eipalloc-", a)?;
        }
        if m.allocation_id.is_some() && !props.internet_facing {
            return Err(scope.error(format!("subnet mapping {subnet} has an Elastic IP, which only an internet-facing load balancer can use; set internet_facing(true) or give a private address")));
        }
        if let Some(ip) = &m.private_ipv4_address {
            if props.internet_facing {
                return Err(scope.error(format!("subnet mapping {subnet} has private address {ip}, which only an internal load balancer takes")));
            }
            let addr = format!("{ip}/32").parse::<Ipv4Cidr>().map_err(|_| scope.error(format!("subnet mapping {subnet}: '{ip}' is not an IPv4 address")))?;
            // An imported subnet declared without its range cannot be checked here.
            let Some(range) = m.subnet.cidr else { continue };
            if !range.contains(addr) {
                return Err(scope.error(format!("subnet mapping {subnet}: {ip} is outside the subnet's range {range}")));
            }
            // AWS keeps the first four addresses of a subnet and its last one.
            let offset = u64::from(addr.network()).saturating_sub(u64::from(range.network()));
            if offset < 4 || offset.saturating_add(1) == range.size() {
                return Err(scope.error(format!("subnet mapping {subnet}: {ip} is one of the five addresses AWS reserves in {range} (the first four and the last)")));
            }
        }
    }
    Ok(())
}

/// Options of a [`NetworkLoadBalancer`].
#[derive(Clone)]
#[non_exhaustive]
pub struct NetworkLoadBalancerProps {
    /// The VPC.
    pub vpc: Vpc,
    /// Physical name.
    pub load_balancer_name: Option<String>,
    /// Subnets (default: public when internet-facing, else CDK's private default).
    pub vpc_subnets: Option<SubnetSelection>,
    /// Internet-facing (default false: internal).
    pub internet_facing: bool,
    /// Cross-zone load balancing (default off, as on AWS).
    pub cross_zone_enabled: Option<bool>,
    /// One subnet per AZ, each with its Elastic IP or private address (CDK's
    /// `subnetMappings`); instead of `vpc_subnets`.
    pub subnet_mappings: Vec<SubnetMapping>,
}

/// A subnet of a load balancer with the address it takes there (CDK's `SubnetMapping`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SubnetMapping {
    /// The subnet.
    pub subnet: SubnetRef,
    /// An Elastic IP's allocation ID: the fixed public address of an internet-facing NLB.
    pub allocation_id: Option<Val<String>>,
    /// A fixed private IPv4 address of an internal NLB, inside the subnet.
    pub private_ipv4_address: Option<String>,
}

impl SubnetMapping {
    /// The load balancer's node in `subnet`, with an address AWS picks.
    pub fn new(subnet: &SubnetRef) -> Self {
        SubnetMapping { subnet: subnet.clone(), allocation_id: None, private_ipv4_address: None }
    }
    setters! {
        /// Gives the node this Elastic IP (`CfnEip::attr_allocation_id`).
        into allocation_id: Val<String>;
        /// Gives the node this private address.
        into private_ipv4_address: String;
    }
}

impl NetworkLoadBalancerProps {
    /// An internal NLB in `vpc`.
    pub fn new(vpc: &Vpc) -> Self {
        NetworkLoadBalancerProps {
            vpc: vpc.clone(),
            load_balancer_name: None,
            vpc_subnets: None,
            internet_facing: false,
            cross_zone_enabled: None,
            subnet_mappings: Vec::new(),
        }
    }
    setters! {
        /// Sets the physical name.
        into load_balancer_name: String;
        /// Selects subnets.
        some vpc_subnets: SubnetSelection;
        /// Internet-facing or internal.
        set internet_facing: bool;
        /// Cross-zone load balancing.
        some cross_zone_enabled: bool;
        /// Places the load balancer by subnet mappings.
        set subnet_mappings: Vec<SubnetMapping>;
    }
}

/// What an NLB's listeners and targets ask of it.
#[derive(Debug)]
pub(crate) struct NetworkLoadBalancerModel {
    /// Construct path.
    pub path: String,
    /// Listener ports.
    pub listener_ports: RefCell<Vec<u16>>,
    /// The VPC's construct path.
    pub vpc_path: String,
}

/// A network load balancer.
///
/// ```
/// use ironcdk_constructs::ec2::{Vpc, VpcProps};
/// use ironcdk_constructs::elasticloadbalancingv2::*;
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let vpc = Vpc::new(&stack, "VPC", VpcProps::new()).unwrap();
/// let nlb = NetworkLoadBalancer::new(&stack, "NLB", NetworkLoadBalancerProps::new(&vpc)).unwrap();
/// let tg = NetworkTargetGroup::new(&stack, "TG", NetworkTargetGroupProps::new(&vpc, 8080)).unwrap();
/// nlb.add_listener("Listener", NetworkListenerProps::new(80).default_target_groups(vec![tg])).unwrap();
/// ```
#[derive(Clone)]
pub struct NetworkLoadBalancer {
    scope: Scope,
    resource: CfnLoadBalancer,
    model: Rc<NetworkLoadBalancerModel>,
}

impl AsScope for NetworkLoadBalancer {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl NetworkLoadBalancer {
    /// Creates the load balancer.
    pub fn new(scope: &impl AsScope, id: &str, props: NetworkLoadBalancerProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.elasticloadbalancingv2.NetworkLoadBalancer")?;
        if let Some(n) = &props.load_balancer_name {
            check_elb_name(&scope, "load balancer", n)?;
        }
        let subnets = if props.subnet_mappings.is_empty() {
            load_balancer_subnets(&scope, &props.vpc, props.vpc_subnets.as_ref(), props.internet_facing)?
        } else {
            check_subnet_mappings(&scope, &props)?;
            let subnets: Vec<SubnetRef> = props.subnet_mappings.iter().map(|m| m.subnet.clone()).collect();
            if props.internet_facing && subnets.iter().any(|s| s.subnet_type != SubnetType::Public) {
                return Err(scope.error(INTERNET_FACING_IN_PUBLIC));
            }
            subnets
        };
        let mut p = CfnLoadBalancerProps::new()
            .scheme(if props.internet_facing { cfn_load_balancer::LoadBalancerScheme::InternetFacing } else { cfn_load_balancer::LoadBalancerScheme::Internal })
            .type_(cfn_load_balancer::LoadBalancerType::Network);
        p = if props.subnet_mappings.is_empty() {
            p.subnets(subnets.iter().map(|s| s.subnet_id.clone()).collect::<Vec<_>>())
        } else {
            p.subnet_mappings(
                props
                    .subnet_mappings
                    .iter()
                    .map(|m| {
                        let mut l1 = cfn_load_balancer::SubnetMapping::new(m.subnet.subnet_id.clone());
                        if let Some(a) = &m.allocation_id {
                            l1 = l1.allocation_id(a.clone());
                        }
                        if let Some(ip) = &m.private_ipv4_address {
                            l1 = l1.private_ipv4_address(ip.clone());
                        }
                        l1
                    })
                    .collect::<Vec<_>>(),
            )
        };
        // As CDK: deletion protection stated (off), then cross-zone when enabled.
        let mut attributes = vec![cfn_load_balancer::LoadBalancerAttribute::new().key("deletion_protection.enabled").value("false")];
        // As CDK: written when given, `false` included (unset, ELB's default applies: off).
        if let Some(on) = props.cross_zone_enabled {
            attributes.push(cfn_load_balancer::LoadBalancerAttribute::new().key("load_balancing.cross_zone.enabled").value(if on { "true" } else { "false" }));
        }
        p = p.load_balancer_attributes(attributes);
        if let Some(n) = &props.load_balancer_name {
            p = p.name(n.clone());
        }
        let resource = CfnLoadBalancer::new(&scope, "Resource", p)?;
        if props.internet_facing {
            for route in props.vpc.internet_connectivity(&subnets) {
                resource.add_depends_on(route)?;
            }
        }
        let model = Rc::new(NetworkLoadBalancerModel {
            path: scope.path(),
            listener_ports: RefCell::new(Vec::new()),
            vpc_path: props.vpc.scope().path(),
        });
        Ok(NetworkLoadBalancer { scope, resource, model })
    }

    /// `Ref` (the ARN).
    pub fn load_balancer_arn(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// `Fn::GetAtt DNSName`.
    pub fn load_balancer_dns_name(&self) -> Val<String> {
        self.resource.attr_dns_name()
    }

    /// Adds a listener as a child of the load balancer.
    pub fn add_listener(&self, id: &str, props: NetworkListenerProps) -> Result<NetworkListener> {
        NetworkListener::new(self, id, self, props)
    }
}

/// Health check settings of a target group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HealthCheck {
    /// Protocol (`TCP`, `HTTP`, `HTTPS`).
    pub protocol: Option<HealthCheckProtocol>,
    /// Port (default: the traffic port).
    pub port: Option<u16>,
    /// Path for HTTP checks.
    pub path: Option<String>,
    /// Interval.
    pub interval: Option<Duration>,
    /// How long a target may take to answer (2 to 120 s, less than the interval).
    pub timeout: Option<Duration>,
    /// Healthy threshold.
    pub healthy_threshold_count: Option<u32>,
    /// Unhealthy threshold.
    pub unhealthy_threshold_count: Option<u32>,
}

impl HealthCheck {
    /// AWS defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the protocol.
        some protocol: HealthCheckProtocol;
        /// Sets the healthy threshold (2 to 10).
        some healthy_threshold_count: u32;
        /// Sets the unhealthy threshold (2 to 10).
        some unhealthy_threshold_count: u32;
        /// Sets the port.
        some port: u16;
        /// Sets the HTTP path.
        into path: String;
        /// Sets the interval.
        some interval: Duration;
        /// Sets the timeout (2 to 120 s, and less than the interval).
        some timeout: Duration;
    }
}

/// Options of a [`NetworkTargetGroup`].
#[derive(Clone)]
#[non_exhaustive]
pub struct NetworkTargetGroupProps {
    /// The VPC.
    pub vpc: Vpc,
    /// Port targets receive traffic on.
    pub port: u16,
    /// Protocol (default TCP).
    pub protocol: Protocol,
    /// Target type (default instance, as on AWS; Fargate needs `Ip`).
    pub target_type: TargetType,
    /// Physical name.
    pub target_group_name: Option<String>,
    /// Deregistration delay (AWS default 300 s).
    pub deregistration_delay: Option<Duration>,
    /// Health check.
    pub health_check: Option<HealthCheck>,
}

impl NetworkTargetGroupProps {
    /// A TCP target group on `port`.
    pub fn new(vpc: &Vpc, port: u16) -> Self {
        NetworkTargetGroupProps {
            vpc: vpc.clone(),
            port,
            protocol: Protocol::Tcp,
            target_type: TargetType::Instance,
            target_group_name: None,
            deregistration_delay: None,
            health_check: None,
        }
    }
    setters! {
        /// Sets the protocol.
        set protocol: Protocol;
        /// Sets the target type.
        set target_type: TargetType;
        /// Sets the physical name.
        into target_group_name: String;
        /// Sets the deregistration delay (0 to 3600 s).
        some deregistration_delay: Duration;
        /// Sets the health check.
        some health_check: HealthCheck;
    }
}

/// How a target group checks its targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HealthCheckProtocol {
    /// A TCP connection.
    Tcp,
    /// An HTTP request to the path.
    Http,
    /// An HTTPS request to the path.
    Https,
}

/// Checks a health check against what Elastic Load Balancing accepts.
/// `http_by_default`: an application target group checks by HTTP unless told otherwise.
pub(super) fn check_health_check(scope: &Scope, h: &HealthCheck, http_by_default: bool) -> Result<()> {
    let range = |what: &str, v: u64, lo: u64, hi: u64| -> Result<()> {
        if (lo..=hi).contains(&v) {
            Ok(())
        } else {
            Err(scope.error(format!("health check {what} is {v}; Elastic Load Balancing accepts {lo} to {hi}")))
        }
    };
    if let Some(d) = h.interval {
        range("interval (seconds)", d.to_seconds(), 5, 300)?;
    }
    if let Some(t) = h.timeout {
        range("timeout (seconds)", t.to_seconds(), 2, 120)?;
        // Elastic Load Balancing's default interval is 30 seconds for both kinds.
        let interval = h.interval.map_or(30, |d| d.to_seconds());
        if t.to_seconds() >= interval {
            return Err(scope.error(format!(
                "health check timeout is {} s and the interval {interval} s{}; the timeout must be less than the interval",
                t.to_seconds(),
                if h.interval.is_none() { " (Elastic Load Balancing's default)" } else { "" }
            )));
        }
    }
    if http_by_default && h.protocol == Some(HealthCheckProtocol::Tcp) {
        return Err(scope.error("an application target group checks its targets by HTTP or HTTPS; a TCP health check is for network target groups"));
    }
    if let Some(n) = h.healthy_threshold_count {
        range("healthy threshold", n.into(), 2, 10)?;
    }
    if let Some(n) = h.unhealthy_threshold_count {
        range("unhealthy threshold", n.into(), 2, 10)?;
    }
    if h.port == Some(0) {
        return Err(scope.error("health check port 0 is invalid; use 1 to 65535, or leave it unset for the traffic port"));
    }
    if let Some(path) = &h.path {
        let tcp = match h.protocol {
            None => !http_by_default,
            Some(p) => p == HealthCheckProtocol::Tcp,
        };
        if tcp {
            return Err(scope.error("a health check path needs protocol HTTP or HTTPS; a TCP check has no path"));
        }
        if !path.starts_with('/') || path.len() > 1024 {
            return Err(scope.error(format!("health check path '{path}' must start with '/' and be at most 1024 characters")));
        }
    }
    Ok(())
}

/// Checks a health check and sets it on a target group's properties.
pub(super) fn apply_health_check(scope: &Scope, p: CfnTargetGroupProps, h: &HealthCheck, http_by_default: bool) -> Result<CfnTargetGroupProps> {
    check_health_check(scope, h, http_by_default)?;
    Ok(render_health_check(p, h))
}

/// Sets a checked health check on a target group's properties.
pub(super) fn render_health_check(mut p: CfnTargetGroupProps, h: &HealthCheck) -> CfnTargetGroupProps {
    if let Some(v) = h.protocol {
        p = p.health_check_protocol(match v {
            HealthCheckProtocol::Http => cfn_target_group::TargetGroupHealthCheckProtocol::Http,
            HealthCheckProtocol::Https => cfn_target_group::TargetGroupHealthCheckProtocol::Https,
            HealthCheckProtocol::Tcp => cfn_target_group::TargetGroupHealthCheckProtocol::Tcp,
        });
    }
    if let Some(v) = h.port {
        p = p.health_check_port(v.to_string());
    }
    if let Some(v) = &h.path {
        p = p.health_check_path(v.clone());
    }
    if let Some(v) = h.interval.and_then(|d| i64::try_from(d.to_seconds()).ok()) {
        p = p.health_check_interval_seconds(v);
    }
    if let Some(v) = h.timeout.and_then(|d| i64::try_from(d.to_seconds()).ok()) {
        p = p.health_check_timeout_seconds(v);
    }
    if let Some(v) = h.healthy_threshold_count {
        p = p.healthy_threshold_count(v);
    }
    if let Some(v) = h.unhealthy_threshold_count {
        p = p.unhealthy_threshold_count(v);
    }
    p
}

/// What the listeners and services attached to a target group ask of it.
#[derive(Debug)]
pub(crate) struct NetworkTargetGroupModel {
    /// Construct path.
    pub path: String,
    /// Protocol.
    pub protocol: Protocol,
    /// Target type.
    pub target_type: TargetType,
    /// The VPC's construct path.
    pub vpc_path: String,
    /// The load balancer whose listeners forward to it (a target group serves one).
    pub load_balancer: RefCell<Option<String>>,
}

/// A target group for a network load balancer.
#[derive(Clone)]
pub struct NetworkTargetGroup {
    scope: Scope,
    resource: CfnTargetGroup,
    model: Rc<NetworkTargetGroupModel>,
    vpc: Vpc,
    attachments: Rc<Attachments>,
}

impl AsScope for NetworkTargetGroup {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl NetworkTargetGroup {
    /// Creates the target group.
    pub fn new(scope: &impl AsScope, id: &str, props: NetworkTargetGroupProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.elasticloadbalancingv2.NetworkTargetGroup")?;
        if props.port == 0 {
            return Err(scope.error("target group port must be 1 to 65535"));
        }
        let mut p = CfnTargetGroupProps::new()
            .port(props.port)
            .protocol(match props.protocol {
                Protocol::Tcp => cfn_target_group::TargetGroupProtocol::Tcp,
                Protocol::Udp => cfn_target_group::TargetGroupProtocol::Udp,
                Protocol::TcpUdp => cfn_target_group::TargetGroupProtocol::TcpUdp,
            })
            .target_type(l1_target_type(props.target_type))
            .vpc_id(props.vpc.vpc_id());
        if let Some(n) = &props.target_group_name {
            check_elb_name(&scope, "target group", n)?;
            p = p.name(n.clone());
        }
        if let Some(d) = props.deregistration_delay {
            p = p.target_group_attributes(vec![deregistration_delay(&scope, d)?]);
        }
        if let Some(h) = &props.health_check {
            p = apply_health_check(&scope, p, h, false)?;
        }
        let resource = CfnTargetGroup::new(&scope, "Resource", p)?;
        let model = Rc::new(NetworkTargetGroupModel {
            path: scope.path(),
            protocol: props.protocol,
            target_type: props.target_type,
            vpc_path: props.vpc.scope().path(),
            load_balancer: RefCell::new(None),
        });
        Ok(NetworkTargetGroup {
            scope,
            resource,
            model,
            vpc: props.vpc.clone(),
            attachments: Rc::new(Attachments::default()),
        })
    }

    /// `Ref` (the ARN).
    pub fn target_group_arn(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The listeners forwarding to this group: a service registering targets must be created
    /// after them, or ECS rejects the group as not attached to a load balancer.
    pub fn listeners(&self) -> Vec<Scope> {
        self.attachments.listeners()
    }

    /// The handle a service registers its tasks with.
    pub fn reference(&self) -> TargetGroupRef {
        TargetGroupRef {
            path: self.model.path.clone(),
            target_group_arn: self.target_group_arn(),
            target_type: Rc::new(std::cell::Cell::new(Some(self.model.target_type))),
            vpc: self.vpc.clone(),
            attachments: self.attachments.clone(),
        }
    }
}

/// Options of a [`NetworkListener`].
#[derive(Clone)]
#[non_exhaustive]
pub struct NetworkListenerProps {
    /// Port.
    pub port: u16,
    /// Protocol (default TCP).
    pub protocol: Protocol,
    /// Target groups to forward to.
    pub default_target_groups: Vec<NetworkTargetGroup>,
}

impl NetworkListenerProps {
    /// A TCP listener on `port`.
    pub fn new(port: u16) -> Self {
        NetworkListenerProps { port, protocol: Protocol::Tcp, default_target_groups: Vec::new() }
    }
    setters! {
        /// Sets the protocol.
        set protocol: Protocol;
        /// Forwards to these target groups.
        set default_target_groups: Vec<NetworkTargetGroup>;
    }
}

/// A listener of a network load balancer.
#[derive(Clone)]
pub struct NetworkListener {
    scope: Scope,
    resource: CfnListener,
    protocol: Protocol,
    nlb: Rc<NetworkLoadBalancerModel>,
    /// The target groups it forwards to, read when synth runs.
    groups: Rc<RefCell<Vec<NetworkTargetGroup>>>,
}

impl AsScope for NetworkListener {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl NetworkListener {
    /// Creates a listener on `nlb`. Its target groups are given here or added later
    /// ([`NetworkListener::add_target_groups`]); one with none fails synth.
    pub fn new(scope: &impl AsScope, id: &str, nlb: &NetworkLoadBalancer, props: NetworkListenerProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.elasticloadbalancingv2.NetworkListener")?;
        if props.port == 0 {
            return Err(scope.error("listener port must be 1 to 65535"));
        }
        if nlb.model.listener_ports.borrow().contains(&props.port) {
            return Err(scope.error(format!("the load balancer already has a listener on port {}", props.port)));
        }
        let groups: Rc<RefCell<Vec<NetworkTargetGroup>>> = Rc::default();
        let (list, lb_arn, port, protocol) = (groups.clone(), nlb.load_balancer_arn(), props.port, props.protocol);
        let resource = CfnListener::new_lazy(&scope, "Resource", move || {
            let groups = list.borrow();
            let action = if let [only] = groups.as_slice() {
                cfn_listener::Action::new(cfn_listener::ActionType::Forward).target_group_arn(only.target_group_arn())
            } else {
                cfn_listener::Action::new(cfn_listener::ActionType::Forward).forward_config(
                    cfn_listener::ForwardConfig::new()
                        .target_groups(groups.iter().map(|tg| cfn_listener::TargetGroupTuple::new().target_group_arn(tg.target_group_arn())).collect::<Vec<_>>()),
                )
            };
            CfnListenerProps::new(vec![action], lb_arn.clone()).port(port).protocol(match protocol {
                Protocol::Tcp => cfn_listener::ListenerProtocol::Tcp,
                Protocol::Udp => cfn_listener::ListenerProtocol::Udp,
                Protocol::TcpUdp => cfn_listener::ListenerProtocol::TcpUdp,
            })
        })?;
        let check = groups.clone();
        scope.add_validation(move || {
            if check.borrow().is_empty() {
                vec!["a listener needs at least one target group; pass default_target_groups(vec![tg]) or call add_target_groups".into()]
            } else {
                Vec::new()
            }
        });
        nlb.model.listener_ports.borrow_mut().push(props.port);
        let listener = NetworkListener { scope, resource, protocol: props.protocol, nlb: nlb.model.clone(), groups };
        if !props.default_target_groups.is_empty() {
            listener.add_target_groups(props.default_target_groups)?;
        }
        Ok(listener)
    }

    /// Forwards to `groups` too (CDK's `addTargetGroups`): same protocol, same VPC, a group
    /// behind no other network load balancer, at most five in all, each once.
    pub fn add_target_groups(&self, groups: Vec<NetworkTargetGroup>) -> Result<()> {
        let scope = &self.scope;
        let nlb = &self.nlb;
        let all: Vec<String> = self.groups.borrow().iter().chain(&groups).map(|tg| tg.scope.path()).collect();
        super::target_group::check_forward(scope, &all)?;
        for tg in &groups {
            if tg.model.protocol != self.protocol {
                return Err(scope.error(format!(
                    "forwards {} to target group {} which uses {}; use the same protocol on both",
                    self.protocol.as_str(),
                    tg.model.path,
                    tg.model.protocol.as_str()
                )));
            }
            if tg.model.vpc_path != nlb.vpc_path {
                return Err(scope.error(format!(
                    "forwards to target group {} in VPC {}, but the load balancer is in VPC {}; a target group must be in its load balancer's VPC",
                    tg.model.path, tg.model.vpc_path, nlb.vpc_path
                )));
            }
            let other_lb = tg.model.load_balancer.borrow().clone().filter(|lb| *lb != nlb.path);
            if let Some(other) = other_lb {
                return Err(scope.error(format!(
                    "forwards to target group {}, which load balancer {other} already uses; Elastic Load Balancing allows a target group behind one network load balancer only: create a second target group",
                    tg.model.path
                )));
            }
        }
        for tg in groups {
            *tg.model.load_balancer.borrow_mut() = Some(nlb.path.clone());
            // A network load balancer here has no security group to let through.
            tg.attachments.attach(scope, None)?;
            crate::small::push(&mut self.groups.borrow_mut(), tg);
        }
        Ok(())
    }

    /// `Ref` (the ARN).
    pub fn listener_arn(&self) -> Val<String> {
        self.resource.ref_()
    }
}
