//! Application load balancer pieces a service plugs into: `ApplicationTargetGroup`, an existing
//! `ApplicationListener` imported by ARN, and `ApplicationListenerRule` (host-header and
//! path-pattern conditions, a priority unique per listener, forward to target groups).
//! Article 000 adds a service as a virtual host behind an ALB that already exists, rather than
//! paying for another one.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Duration, Result, Scope, Val};

use super::application_load_balancer::ListenerAction;
use super::generated::cfn_listener_rule as rule;
use super::generated::*;
use super::nlb::{check_elb_name, check_health_check, render_health_check, HealthCheck, TargetType};
use super::target_group::{deregistration_delay, l1_target_type, Attachments, TargetGroupRef};
use crate::ec2::{Connections, SecurityGroup, Vpc};

/// Application load balancer protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationProtocol {
    /// HTTP
    Http,
    /// HTTPS
    Https,
}

impl ApplicationProtocol {
    /// The value CloudFormation uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationProtocol::Http => "HTTP",
            ApplicationProtocol::Https => "HTTPS",
        }
    }
}

/// Options of an [`ApplicationTargetGroup`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ApplicationTargetGroupProps {
    /// The VPC: the load balancer's, even when the targets are IPs of a peered VPC.
    pub vpc: Vpc,
    /// Port targets receive traffic on.
    pub port: u16,
    /// Protocol (default as CDK: HTTPS on 443 and 8443, HTTP on 80 and 8080; needed for other ports).
    pub protocol: Option<ApplicationProtocol>,
    /// Target type (default as CDK: unset until a target is added with `add_target`, which
    /// gives it the target's type; left unset, CloudFormation makes it instance).
    pub target_type: Option<TargetType>,
    /// Physical name.
    pub target_group_name: Option<String>,
    /// Deregistration delay (AWS default 300 s).
    pub deregistration_delay: Option<Duration>,
    /// Health check.
    pub health_check: Option<HealthCheck>,
}

impl ApplicationTargetGroupProps {
    /// A target group on `port` in `vpc`.
    pub fn new(vpc: &Vpc, port: u16) -> Self {
        ApplicationTargetGroupProps {
            vpc: vpc.clone(),
            port,
            protocol: None,
            target_type: None,
            target_group_name: None,
            deregistration_delay: None,
            health_check: None,
        }
    }
    setters! {
        /// Sets the protocol.
        some protocol: ApplicationProtocol;
        /// Sets the target type.
        some target_type: TargetType;
        /// Sets the physical name.
        into target_group_name: String;
        /// Sets the deregistration delay (0 to 3600 s).
        some deregistration_delay: Duration;
        /// Sets the health check.
        some health_check: HealthCheck;
    }
}

/// What [`ApplicationTargetGroup::add_target`] takes (CDK's `IApplicationLoadBalancerTarget`):
/// a `FargateService` registers its default container by IP.
pub trait ApplicationLoadBalancerTarget {
    /// The target type the group takes on when this target is added.
    fn application_target_type(&self) -> TargetType;
    /// Registers with `target_group`, whose type is already set.
    fn register_with_application_target_group(&self, target_group: &ApplicationTargetGroup) -> Result<()>;
}

/// A target group for an application load balancer (`<id>/Resource`). As in CDK, sticky
/// sessions are stated off.
#[derive(Clone)]
pub struct ApplicationTargetGroup {
    scope: Scope,
    resource: CfnTargetGroup,
    /// Set when given, or when the first target registers (read when synth runs).
    target_type: Rc<std::cell::Cell<Option<TargetType>>>,
    vpc: Vpc,
    attachments: Rc<Attachments>,
    /// The health check, read when synth runs (`configure_health_check` may change it).
    health_check: Rc<RefCell<Option<HealthCheck>>>,
}

impl AsScope for ApplicationTargetGroup {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ApplicationTargetGroup {
    /// Creates the target group.
    pub fn new(scope: &impl AsScope, id: &str, props: ApplicationTargetGroupProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.elasticloadbalancingv2.ApplicationTargetGroup")?;
        if props.port == 0 {
            return Err(scope.error("target group port must be 1 to 65535"));
        }
        if props.target_type == Some(TargetType::Alb) {
            return Err(scope.error("an application load balancer cannot forward to another application load balancer; use target type Ip or Instance"));
        }
        // As CDK: the protocol follows from the well-known ports, and must be given for others.
        let protocol = match (props.protocol, props.port) {
            (Some(p), _) => p,
            (None, 443 | 8443) => ApplicationProtocol::Https,
            (None, 80 | 8080) => ApplicationProtocol::Http,
            (None, port) => return Err(scope.error(format!("cannot tell the protocol of port {port}; give protocol(ApplicationProtocol::Http) or Https"))),
        };
        let mut p = CfnTargetGroupProps::new()
            .port(props.port)
            .protocol(match protocol {
                ApplicationProtocol::Http => cfn_target_group::TargetGroupProtocol::Http,
                ApplicationProtocol::Https => cfn_target_group::TargetGroupProtocol::Https,
            })
            .vpc_id(props.vpc.vpc_id());
        if let Some(n) = &props.target_group_name {
            check_elb_name(&scope, "target group", n)?;
            p = p.name(n.clone());
        }
        let mut attributes = Vec::new();
        if let Some(d) = props.deregistration_delay {
            attributes.push(deregistration_delay(&scope, d)?);
        }
        attributes.push(cfn_target_group::TargetGroupAttribute::new().key("stickiness.enabled").value("false"));
        p = p.target_group_attributes(attributes);
        if let Some(h) = &props.health_check {
            check_health_check(&scope, h, true)?;
        }
        let health_check = Rc::new(RefCell::new(props.health_check.clone()));
        let target_type = Rc::new(std::cell::Cell::new(props.target_type));
        let (hc, tt) = (health_check.clone(), target_type.clone());
        let resource = CfnTargetGroup::new_lazy(&scope, "Resource", move || {
            let mut p = match hc.borrow().as_ref() {
                Some(h) => render_health_check(p.clone(), h),
                None => p.clone(),
            };
            if let Some(t) = tt.get() {
                p = p.target_type(l1_target_type(t));
            }
            p
        })?;
        Ok(ApplicationTargetGroup { scope, resource, target_type, vpc: props.vpc, attachments: Rc::new(Attachments::default()), health_check })
    }

    /// Adds a target (CDK's `addTarget`): the group takes the target's type (an `Ip` group for a
    /// Fargate service) and the target registers. Targets of two types in one group are refused.
    pub fn add_target(&self, target: &dyn ApplicationLoadBalancerTarget) -> Result<()> {
        let wanted = target.application_target_type();
        match self.target_type.get() {
            None => self.target_type.set(Some(wanted)),
            Some(have) if have != wanted => {
                return Err(self.scope.error(format!(
                    "the group's targets are of type {}, and this target registers by {}; put targets of one type in a group",
                    have.as_str(),
                    wanted.as_str()
                )))
            }
            Some(_) => {}
        }
        target.register_with_application_target_group(self)
    }

    /// Sets the health check (CDK's `configureHealthCheck`), replacing any given before; what
    /// Elastic Load Balancing refuses is an error naming the group.
    pub fn configure_health_check(&self, health_check: HealthCheck) -> Result<()> {
        check_health_check(&self.scope, &health_check, true)?;
        *self.health_check.borrow_mut() = Some(health_check);
        Ok(())
    }

    /// `Ref` (the ARN).
    pub fn target_group_arn(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The handle a service registers its tasks with.
    pub fn reference(&self) -> TargetGroupRef {
        TargetGroupRef {
            path: self.scope.path(),
            target_group_arn: self.target_group_arn(),
            target_type: self.target_type.clone(),
            vpc: self.vpc.clone(),
            attachments: self.attachments.clone(),
        }
    }

    /// The listener rules forwarding to this group.
    pub fn listeners(&self) -> Vec<Scope> {
        self.attachments.listeners()
    }

    /// A listener or rule at `scope` now forwards here, from a load balancer with `connections`.
    pub(crate) fn attach_to(&self, scope: &Scope, connections: &Connections) -> Result<()> {
        self.attachments.attach(scope, Some(connections))
    }
}

/// An existing listener, as the program knows it (CDK's `ApplicationListenerAttributes`).
#[derive(Clone)]
#[non_exhaustive]
pub struct ApplicationListenerAttributes {
    /// The listener's ARN (a literal or a parameter's value).
    pub listener_arn: Val<String>,
    /// The load balancer's security group: targets added behind the listener admit it.
    pub security_group: SecurityGroup,
}

impl ApplicationListenerAttributes {
    /// A listener by ARN, with its load balancer's security group (usually imported too).
    pub fn new(listener_arn: impl Into<Val<String>>, security_group: &SecurityGroup) -> Self {
        ApplicationListenerAttributes { listener_arn: listener_arn.into(), security_group: security_group.clone() }
    }
}

/// A listener of an application load balancer: made by
/// [`ApplicationLoadBalancer::add_listener`](super::ApplicationLoadBalancer::add_listener), or an
/// existing one imported by ARN ([`ApplicationListener::from_application_listener_attributes`]).
#[derive(Clone)]
pub struct ApplicationListener {
    scope: Scope,
    listener_arn: Val<String>,
    connections: Connections,
    /// Rule priorities taken on this listener, with the rules' paths.
    priorities: Rc<RefCell<Vec<(u32, String)>>>,
    /// A listener made here: its default action, read when synth runs.
    default: Option<Rc<RefCell<Option<ListenerAction>>>>,
    /// The load balancer's VPC, for a listener made here.
    lb_vpc: Option<Vpc>,
}

impl AsScope for ApplicationListener {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

/// An application listener's ARN as Elastic Load Balancing writes it
/// (`arn:<partition>:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>`), in
/// the stack's region when it has one: rules are created in the listener's region.
fn check_listener_arn(scope: &Scope, arn: &str) -> Result<()> {
    let hex16 = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let well_formed = match parts.as_slice() {
        ["arn", partition, "elasticloadbalancing", region, account, resource] => {
            partition.starts_with("aws")
                && !region.is_empty()
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && matches!(resource.split('/').collect::<Vec<_>>().as_slice(), ["listener", "app", name, lb, id] if !name.is_empty() && hex16(lb) && hex16(id))
        }
        _ => false,
    };
    if !well_formed {
        return Err(scope.error(format!(
            "'{arn}' is not an application load balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<12-digit account>:listener/app/<name>/<16 hex>/<16 hex>)"
        )));
    }
    if let (Some(listener_region), Some(stack_region)) = (parts.get(3), scope.region()) {
        if *listener_region != stack_region {
            return Err(scope.error(format!("listener '{arn}' is in {listener_region}, and this stack deploys to {stack_region}; rules and targets must be in the listener's region")));
        }
    }
    Ok(())
}

impl ApplicationListener {
    /// Imports an existing listener. Nothing is created for it; rules added to it are created
    /// in this stack.
    pub fn from_application_listener_attributes(scope: &impl AsScope, id: &str, attrs: ApplicationListenerAttributes) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.elasticloadbalancingv2.ImportedApplicationListener")?;
        if let Some(arn) = attrs.listener_arn.as_value().as_str() {
            check_listener_arn(&scope, arn)?;
        }
        Ok(ApplicationListener {
            scope,
            listener_arn: attrs.listener_arn,
            connections: attrs.security_group.connections(),
            priorities: Rc::new(RefCell::new(Vec::new())),
            default: None,
            lb_vpc: None,
        })
    }

    /// A listener made here, with its default action.
    pub(crate) fn created(scope: Scope, listener_arn: Val<String>, connections: Connections, default: Rc<RefCell<Option<ListenerAction>>>, lb_vpc: &Vpc) -> Self {
        ApplicationListener { scope, listener_arn, connections, priorities: Rc::default(), default: Some(default), lb_vpc: Some(lb_vpc.clone()) }
    }

    /// A forward to target groups of another VPC than the load balancer's, which Elastic Load
    /// Balancing refuses, is an error of `scope` (an imported listener's VPC is not known).
    pub(crate) fn check_targets(&self, scope: &Scope, action: &ListenerAction) -> Result<()> {
        match &self.lb_vpc {
            Some(lb_vpc) => forward_in_vpc(scope, &lb_vpc.model().path, action),
            None => Ok(()),
        }
    }

    /// Whether a listener made here has its default action (an imported one has its own).
    pub(crate) fn has_default_action(&self) -> bool {
        self.default.as_ref().is_none_or(|d| d.borrow().is_some())
    }

    /// The default action of a listener made here.
    pub(crate) fn default_action(&self) -> Option<ListenerAction> {
        self.default.as_ref().and_then(|d| d.borrow().clone())
    }

    /// The load balancer's VPC, for a listener made here.
    pub(crate) fn load_balancer_vpc(&self) -> Option<&Vpc> {
        self.lb_vpc.as_ref()
    }

    /// Sets the default action of a listener made here; the target groups it forwards to are
    /// attached to the listener.
    pub(crate) fn set_default_action(&self, action: ListenerAction) -> Result<()> {
        let Some(default) = &self.default else {
            return Err(self.scope.error("this listener is imported; its default action is not in these templates. Add a rule with a priority instead"));
        };
        if default.borrow().is_some() {
            return Err(self.scope.error("the listener already has a default action; give the other one a priority and conditions, as a rule"));
        }
        self.check_targets(&self.scope, &action)?;
        if let ListenerAction::Forward(groups) = &action {
            for tg in groups {
                tg.attach_to(&self.scope, &self.connections)?;
            }
        }
        *default.borrow_mut() = Some(action);
        Ok(())
    }

    /// The listener's ARN.
    pub fn listener_arn(&self) -> Val<String> {
        self.listener_arn.clone()
    }

    /// The load balancer's security groups.
    pub fn connections(&self) -> Connections {
        self.connections.clone()
    }
}

/// A forward to target groups of another VPC than `lb_vpc` (a construct path), which Elastic
/// Load Balancing refuses, is an error of `scope`.
pub(crate) fn forward_in_vpc(scope: &Scope, lb_vpc: &str, action: &ListenerAction) -> Result<()> {
    let ListenerAction::Forward(groups) = action else { return Ok(()) };
    for tg in groups {
        let tg_vpc = &tg.vpc.model().path;
        if tg_vpc != lb_vpc {
            return Err(scope.error(format!(
                "forwards to target group {} in VPC {tg_vpc}, but the load balancer is in VPC {lb_vpc}; a target group must be in its load balancer's VPC",
                tg.scope.path()
            )));
        }
    }
    Ok(())
}

/// What a listener rule matches.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListenerCondition {
    /// Any of these host names (`api.example.com`, `*.example.com`).
    HostHeaders(Vec<String>),
    /// Any of these paths (`/api/*`).
    PathPatterns(Vec<String>),
}

impl ListenerCondition {
    /// Matches any of these host names.
    pub fn host_headers<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Self {
        ListenerCondition::HostHeaders(values.into_iter().map(Into::into).collect())
    }
    /// Matches any of these paths.
    pub fn path_patterns<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Self {
        ListenerCondition::PathPatterns(values.into_iter().map(Into::into).collect())
    }
    fn field(&self) -> &'static str {
        match self {
            ListenerCondition::HostHeaders(_) => "host-header",
            ListenerCondition::PathPatterns(_) => "path-pattern",
        }
    }
    fn values(&self) -> &[String] {
        match self {
            ListenerCondition::HostHeaders(v) | ListenerCondition::PathPatterns(v) => v,
        }
    }
    fn render(&self) -> rule::RuleCondition {
        let values = self.values().to_vec();
        let c = rule::RuleCondition::new().field(self.field());
        match self {
            ListenerCondition::HostHeaders(_) => c.host_header_config(rule::HostHeaderConfig::new().values(values)),
            ListenerCondition::PathPatterns(_) => c.path_pattern_config(rule::PathPatternConfig::new().values(values)),
        }
    }
    /// What Elastic Load Balancing accepts in a value of this condition.
    fn check_value(&self, v: &str) -> std::result::Result<(), String> {
        if v.is_empty() || v.len() > 128 {
            return Err(format!("{} value '{v}' must be 1 to 128 characters", self.field()));
        }
        let ok = match self {
            ListenerCondition::HostHeaders(_) => v.chars().all(|c| c.is_ascii_alphanumeric() || "-.*?".contains(c)),
            ListenerCondition::PathPatterns(_) => v.chars().all(|c| c.is_ascii_alphanumeric() || "_-.$/~\"'@:+&*?".contains(c)),
        };
        if !ok {
            let allowed = match self {
                ListenerCondition::HostHeaders(_) => "letters, digits and - . * ?",
                ListenerCondition::PathPatterns(_) => "letters, digits and _ - . $ / ~ \" ' @ : + & * ?",
            };
            return Err(format!("{} value '{v}' has a character Elastic Load Balancing refuses; use {allowed}", self.field()));
        }
        Ok(())
    }
}

/// Options of an [`ApplicationListenerRule`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ApplicationListenerRuleProps {
    /// The listener.
    pub listener: ApplicationListener,
    /// Priority, 1 to 50,000, unique per listener (lower is evaluated first).
    pub priority: u32,
    /// What the rule matches (at most one condition of each kind, five values in all).
    pub conditions: Vec<ListenerCondition>,
    /// Where matching requests go.
    pub target_groups: Vec<ApplicationTargetGroup>,
    /// What to do with matching requests instead of forwarding (a fixed response, a redirect).
    pub action: Option<ListenerAction>,
}

impl ApplicationListenerRuleProps {
    /// A rule on `listener` at `priority`.
    pub fn new(listener: &ApplicationListener, priority: u32) -> Self {
        ApplicationListenerRuleProps { listener: listener.clone(), priority, conditions: Vec::new(), target_groups: Vec::new(), action: None }
    }
    setters! {
        /// Sets the conditions.
        set conditions: Vec<ListenerCondition>;
        /// Forwards to these target groups.
        set target_groups: Vec<ApplicationTargetGroup>;
        /// Sets the action.
        some action: ListenerAction;
    }
}

/// A listener rule (`<id>/Resource`) forwarding matching requests to target groups. With a
/// host-header condition it makes a virtual host: one load balancer for several services.
#[derive(Clone)]
pub struct ApplicationListenerRule {
    scope: Scope,
    resource: CfnListenerRule,
}

impl AsScope for ApplicationListenerRule {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ApplicationListenerRule {
    /// Creates the rule. A priority another rule of the listener already has, which Elastic
    /// Load Balancing refuses, is an error naming both rules.
    pub fn new(scope: &impl AsScope, id: &str, props: ApplicationListenerRuleProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.elasticloadbalancingv2.ApplicationListenerRule")?;
        if !(1..=50_000).contains(&props.priority) {
            return Err(scope.error(format!("priority {} is out of range; a listener rule's priority is 1 to 50,000", props.priority)));
        }
        if let Some((_, other)) = props.listener.priorities.borrow().iter().find(|(p, _)| *p == props.priority) {
            return Err(scope.error(format!(
                "priority {} is already taken by rule {other} on listener {}; each rule of a listener needs its own priority",
                props.priority,
                props.listener.scope.path()
            )));
        }
        if props.conditions.is_empty() {
            return Err(scope.error("a listener rule needs at least one condition, such as ListenerCondition::host_headers([\"api.example.com\"])"));
        }
        for (i, c) in props.conditions.iter().enumerate() {
            if props.conditions.iter().take(i).any(|o| o.field() == c.field()) {
                return Err(scope.error(format!("the {} condition is given twice; put all its values in one condition", c.field())));
            }
            if c.values().is_empty() {
                return Err(scope.error(format!("the {} condition has no values", c.field())));
            }
            for v in c.values() {
                c.check_value(v).map_err(|m| scope.error(m))?;
            }
        }
        let total: usize = props.conditions.iter().map(|c| c.values().len()).sum();
        if total > 5 {
            return Err(scope.error(format!("the conditions have {total} values; Elastic Load Balancing allows 5 per rule: split them over several rules")));
        }
        let wildcards = props.conditions.iter().flat_map(|c| c.values()).map(|v| v.chars().filter(|c| matches!(c, '*' | '?')).count()).sum::<usize>();
        if wildcards > 5 {
            return Err(scope.error(format!("the conditions have {wildcards} wildcards (* and ?); Elastic Load Balancing allows 5 per rule: spell some values out, or split them over several rules")));
        }
        let action = match (props.action, props.target_groups.is_empty()) {
            (Some(_), false) => return Err(scope.error("give either target_groups or an action, not both")),
            (Some(a), true) => a,
            (None, false) => ListenerAction::forward(props.target_groups),
            (None, true) => return Err(scope.error("a listener rule needs a target group to forward to; pass target_groups(vec![tg]) or an action")),
        };
        action.check(&scope)?;
        props.listener.check_targets(&scope, &action)?;
        let resource = CfnListenerRule::new(
            &scope,
            "Resource",
            CfnListenerRuleProps::new(vec![action.to_rule()], props.conditions.iter().map(ListenerCondition::render).collect::<Vec<_>>(), i64::from(props.priority))
                .listener_arn(props.listener.listener_arn()),
        )?;
        props.listener.priorities.borrow_mut().push((props.priority, scope.path()));
        if let ListenerAction::Forward(groups) = &action {
            for tg in groups {
                tg.attachments.attach(&scope, Some(&props.listener.connections))?;
            }
        }
        Ok(ApplicationListenerRule { scope, resource })
    }

    /// `Ref` (the rule's ARN).
    pub fn listener_rule_arn(&self) -> Val<String> {
        self.resource.ref_()
    }
}
