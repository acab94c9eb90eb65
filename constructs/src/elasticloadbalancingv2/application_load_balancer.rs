//! A new application load balancer and its listeners, as aws-cdk-lib 2.276 writes them:
//! `ApplicationLoadBalancer` (`<id>/Resource`, its `<id>/SecurityGroup` admitting nothing
//! outbound until targets are added), `add_listener` (`<id>/<listener>/Resource`, open to the
//! world on its port unless told otherwise), `add_redirect` (`Redirect<from>To<to>`), default
//! actions and rules that forward, answer with a fixed response or redirect.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Duration, Result, Scope, Val};

use super::alb::{ApplicationListener, ApplicationLoadBalancerTarget, ApplicationListenerRule, ApplicationListenerRuleProps, ApplicationProtocol, ApplicationTargetGroup, ApplicationTargetGroupProps, ListenerCondition};
use super::generated::*;
use super::nlb::check_elb_name;
use crate::ec2::{Connections, Peer, Port, SecurityGroup, SecurityGroupProps, SubnetSelection, Vpc};

/// The TLS policy CDK 2.276 gives HTTPS listeners of new projects (TLS 1.3 and 1.2 with
/// post-quantum key exchange).
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09";

/// Options of an [`ApplicationLoadBalancer`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ApplicationLoadBalancerProps {
    /// The VPC.
    pub vpc: Vpc,
    /// Internet-facing (default false: internal).
    pub internet_facing: bool,
    /// Subnets (default: public when internet-facing, else CDK's private default).
    pub vpc_subnets: Option<SubnetSelection>,
    /// The security group (default: one made for it, `<id>/SecurityGroup`, with no outbound
    /// rule until targets are added).
    pub security_group: Option<SecurityGroup>,
    /// Physical name.
    pub load_balancer_name: Option<String>,
    /// Idle timeout (1 to 4000 s; ELB's default 60 s).
    pub idle_timeout: Option<Duration>,
    /// Deletion protection (default off, written as CDK writes it).
    pub deletion_protection: bool,
}

impl ApplicationLoadBalancerProps {
    /// An internal ALB in `vpc`.
    pub fn new(vpc: &Vpc) -> Self {
        ApplicationLoadBalancerProps {
            vpc: vpc.clone(),
            internet_facing: false,
            vpc_subnets: None,
            security_group: None,
            load_balancer_name: None,
            idle_timeout: None,
            deletion_protection: false,
        }
    }
    setters! {
        /// Internet-facing or internal.
        set internet_facing: bool;
        /// Selects subnets.
        some vpc_subnets: SubnetSelection;
        /// Uses this security group.
        some security_group: SecurityGroup;
        /// Sets the physical name.
        into load_balancer_name: String;
        /// Sets the idle timeout.
        some idle_timeout: Duration;
        /// Turns deletion protection on or off.
        set deletion_protection: bool;
    }
}

/// An application load balancer.
///
/// ```
/// use ironcdk_constructs::ec2::{Vpc, VpcProps};
/// use ironcdk_constructs::elasticloadbalancingv2::*;
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Web").unwrap();
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new()).unwrap();
/// let lb = ApplicationLoadBalancer::new(&stack, "Lb", ApplicationLoadBalancerProps::new(&vpc).internet_facing(true)).unwrap();
/// let tg = ApplicationTargetGroup::new(&stack, "Tg", ApplicationTargetGroupProps::new(&vpc, 8080).target_type(TargetType::Ip)).unwrap();
/// lb.add_listener("Http", ApplicationListenerProps::new(80).default_action(ListenerAction::forward(vec![tg]))).unwrap();
/// ```
#[derive(Clone)]
pub struct ApplicationLoadBalancer {
    scope: Scope,
    resource: CfnLoadBalancer,
    vpc: Vpc,
    connections: Connections,
    /// Listener ports taken, with the listeners' paths.
    ports: Rc<RefCell<Vec<(u16, String)>>>,
    /// `LoadBalancerAttributes` in the order they were set (read when synth runs).
    attributes: Rc<RefCell<Vec<Attribute>>>,
}

/// A `LoadBalancerAttributes` entry: key and value.
type Attribute = (String, Val<String>);

impl AsScope for ApplicationLoadBalancer {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ApplicationLoadBalancer {
    /// Creates the load balancer and, unless one is given, its security group.
    pub fn new(scope: &impl AsScope, id: &str, props: ApplicationLoadBalancerProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.elasticloadbalancingv2.ApplicationLoadBalancer")?;
        if let Some(n) = &props.load_balancer_name {
            check_elb_name(&scope, "load balancer", n)?;
        }
        let subnets = super::nlb::load_balancer_subnets(&scope, &props.vpc, props.vpc_subnets.as_ref(), props.internet_facing)?;
        if subnets.len() < 2 {
            return Err(scope.error(format!(
                "an application load balancer needs subnets in at least two Availability Zones, and the selection gives {}; give the VPC two AZs or select more subnets",
                subnets.len()
            )));
        }
        let security_group = match &props.security_group {
            Some(g) => g.clone(),
            None => SecurityGroup::new(
                &scope,
                "SecurityGroup",
                SecurityGroupProps::new(&props.vpc).description(format!("Automatically created Security Group for ELB {}", scope.unique_id())).allow_all_outbound(false),
            )?,
        };
        let mut attributes: Vec<Attribute> = vec![("deletion_protection.enabled".into(), (if props.deletion_protection { "true" } else { "false" }).into())];
        if let Some(t) = props.idle_timeout {
            if !(1..=4000).contains(&t.to_seconds()) {
                return Err(scope.error(format!("idle timeout {} s is outside 1 to 4000 seconds, which Elastic Load Balancing accepts", t.to_seconds())));
            }
            attributes.push(("idle_timeout.timeout_seconds".into(), t.to_seconds().to_string().into()));
        }
        let attributes = Rc::new(RefCell::new(attributes));
        let mut p = CfnLoadBalancerProps::new()
            .scheme(if props.internet_facing { cfn_load_balancer::LoadBalancerScheme::InternetFacing } else { cfn_load_balancer::LoadBalancerScheme::Internal })
            .security_groups(vec![security_group.security_group_id()])
            .subnets(subnets.iter().map(|s| s.subnet_id.clone()).collect::<Vec<_>>())
            .type_(cfn_load_balancer::LoadBalancerType::Application);
        if let Some(n) = &props.load_balancer_name {
            p = p.name(n.clone());
        }
        let attrs = attributes.clone();
        let resource = CfnLoadBalancer::new_lazy(&scope, "Resource", move || {
            p.clone().load_balancer_attributes(
                attrs.borrow().iter().map(|(k, v)| cfn_load_balancer::LoadBalancerAttribute::new().key(k.clone()).value(v.clone())).collect::<Vec<_>>(),
            )
        })?;
        if props.internet_facing {
            for route in props.vpc.internet_connectivity(&subnets) {
                resource.add_depends_on(route)?;
            }
        }
        Ok(ApplicationLoadBalancer { scope, resource, vpc: props.vpc, connections: security_group.connections(), ports: Rc::default(), attributes })
    }

    /// Sets a `LoadBalancerAttributes` entry, replacing one of the same key (CDK's
    /// `setAttribute`).
    pub fn set_attribute(&self, key: impl Into<String>, value: impl Into<Val<String>>) {
        let (key, value) = (key.into(), value.into());
        let mut attributes = self.attributes.borrow_mut();
        match attributes.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => attributes.push((key, value)),
        }
    }

    /// Writes access logs to `bucket`, under `prefix` (CDK's `logAccessLogs`): the attributes,
    /// and the bucket policy statements that let the region's Elastic Load Balancing account
    /// (or its log delivery service, in regions without one) and log delivery write there; the
    /// load balancer waits for the policy. The stack needs a region, and the bucket S3-managed
    /// encryption: ELB refuses a KMS-encrypted one (CDK refuses only a key of yours). An
    /// imported bucket's policy is left as it is: it must admit ELB already.
    pub fn log_access_logs(&self, bucket: &crate::s3::Bucket, prefix: Option<&str>) -> Result<()> {
        let Some(region) = self.scope.region() else {
            return Err(self.scope.error("access logs need the stack's region (Elastic Load Balancing writes them from an account of that region); give the stack an environment with a region"));
        };
        if bucket.kms_encrypted() == Some(true) {
            return Err(self.scope.error(format!(
                "access logs would go to bucket {}, encrypted with KMS; Elastic Load Balancing writes access logs only to buckets with S3-managed encryption",
                bucket.scope().path()
            )));
        }
        let prefix = prefix.unwrap_or_default();
        if prefix.starts_with('/') || prefix.contains("AWSLogs") {
            return Err(self.scope.error(format!("access log prefix '{prefix}' starts with '/' or contains 'AWSLogs', which Elastic Load Balancing refuses")));
        }
        self.set_attribute("access_logs.s3.enabled", "true");
        self.set_attribute("access_logs.s3.bucket", bucket.bucket_name());
        self.set_attribute("access_logs.s3.prefix", prefix);
        let head = if prefix.is_empty() { "/AWSLogs/".to_string() } else { format!("/{prefix}/AWSLogs/") };
        let objects = ironcdk_synth::fns::join("", [bucket.bucket_arn(), head.into(), self.scope.account_value(), "/*".into()]);
        let writer = match elb_account(&region) {
            Some(id) => crate::iam::Principal::Aws(ironcdk_synth::fns::join("", ["arn:".into(), self.scope.partition_value(), format!(":iam::{id}:root").into()])),
            None => crate::iam::Principal::service("logdelivery.elasticloadbalancing.amazonaws.com"),
        };
        let delivery = || crate::iam::Principal::service("delivery.logs.amazonaws.com");
        let statements = [
            crate::iam::PolicyStatement::allow().actions(["s3:PutObject"]).principal(writer).resource(objects.clone()),
            crate::iam::PolicyStatement::allow()
                .actions(["s3:PutObject"])
                .principal(delivery())
                .resource(objects)
                .condition(crate::object([("StringEquals", crate::object([("s3:x-amz-acl", ironcdk_synth::Value::Str("bucket-owner-full-control".into()))]))])),
            crate::iam::PolicyStatement::allow().actions(["s3:GetBucketAcl"]).principal(delivery()).resource(bucket.bucket_arn()),
        ];
        let mut policy = None;
        for st in statements {
            policy = bucket.add_to_own_policy(st)?.or(policy);
        }
        match policy {
            Some(p) => self.resource.add_depends_on(&p),
            None => Ok(()),
        }
    }

    /// `Ref` (the ARN).
    pub fn load_balancer_arn(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// `Fn::GetAtt DNSName`.
    pub fn load_balancer_dns_name(&self) -> Val<String> {
        self.resource.attr_dns_name()
    }

    /// `Fn::GetAtt CanonicalHostedZoneID` (for an alias record).
    pub fn load_balancer_canonical_hosted_zone_id(&self) -> Val<String> {
        self.resource.attr_canonical_hosted_zone_id()
    }

    /// The load balancer's security groups.
    pub fn connections(&self) -> Connections {
        self.connections.clone()
    }

    /// Adds a listener (`<id>` under the load balancer). Unless `open(false)`, its port is open
    /// to the world in the load balancer's security group ("Allow from anyone on port N").
    pub fn add_listener(&self, id: &str, props: ApplicationListenerProps) -> Result<ApplicationListener> {
        let scope = self.scope.child(id, "ironcdk.elasticloadbalancingv2.ApplicationListener")?;
        let protocol = match (props.protocol, props.port) {
            (Some(p), _) => p,
            (None, 443 | 8443) => ApplicationProtocol::Https,
            (None, 80 | 8080) => ApplicationProtocol::Http,
            (None, port) => return Err(scope.error(format!("cannot tell the protocol of port {port}; give protocol(ApplicationProtocol::Http) or Https"))),
        };
        if props.port == 0 {
            return Err(scope.error("listener port must be 1 to 65535"));
        }
        if let Some((_, other)) = self.ports.borrow().iter().find(|(p, _)| *p == props.port) {
            return Err(scope.error(format!("the load balancer already has listener {other} on port {}; one listener per port", props.port)));
        }
        match protocol {
            ApplicationProtocol::Https if props.certificates.is_empty() => {
                return Err(scope.error("an HTTPS listener needs a certificate; give certificates(vec![ListenerCertificate::from_arn(...)])"));
            }
            ApplicationProtocol::Http if !props.certificates.is_empty() || props.ssl_policy.is_some() => {
                return Err(scope.error("an HTTP listener takes no certificate or TLS policy; use port 443 or protocol(ApplicationProtocol::Https)"));
            }
            _ => {}
        }
        let default = match (props.default_action, props.default_target_groups.is_empty()) {
            (Some(_), false) => return Err(scope.error("give either default_action or default_target_groups, not both")),
            (Some(a), true) => Some(a),
            (None, false) => Some(ListenerAction::forward(props.default_target_groups)),
            (None, true) => None,
        };
        if let Some(a) = &default {
            a.check(&scope)?;
            super::alb::forward_in_vpc(&scope, &self.vpc.model().path, a)?;
        }
        let default = Rc::new(RefCell::new(default));
        let mut certificates = props.certificates.into_iter();
        let first = certificates.next();
        let ssl_policy = props.ssl_policy.or_else(|| (protocol == ApplicationProtocol::Https).then(|| DEFAULT_SSL_POLICY.to_string()));
        let lb_arn = self.load_balancer_arn();
        let port = props.port;
        let actions = default.clone();
        let resource = CfnListener::new_lazy(&scope, "Resource", move || {
            let actions: Vec<cfn_listener::Action> = actions.borrow().iter().map(ListenerAction::to_listener).collect();
            let mut p = CfnListenerProps::new(actions, lb_arn.clone()).port(port).protocol(match protocol {
                ApplicationProtocol::Http => cfn_listener::ListenerProtocol::Http,
                ApplicationProtocol::Https => cfn_listener::ListenerProtocol::Https,
            });
            if let Some(c) = &first {
                p = p.certificates(vec![cfn_listener::Certificate::new().certificate_arn(c.arn.clone())]);
            }
            if let Some(s) = &ssl_policy {
                p = p.ssl_policy(s.clone());
            }
            p
        })?;
        // As CDK: each certificate after the first is a `DefaultCertificates<n>` of its own.
        for (n, c) in certificates.enumerate() {
            CfnListenerCertificate::new(
                &scope.child(&format!("DefaultCertificates{}", n.saturating_add(1)), "ironcdk.elasticloadbalancingv2.ApplicationListenerCertificate")?,
                "Resource",
                CfnListenerCertificateProps::new(vec![cfn_listener_certificate::Certificate::new().certificate_arn(c.arn.clone())], resource.ref_()),
            )?;
        }
        if props.open {
            self.connections.allow_from_peer(Peer::any_ipv4(), Port::tcp(props.port), Some(&format!("Allow from anyone on port {}", props.port)))?;
        }
        self.ports.borrow_mut().push((props.port, scope.path()));
        let listener = ApplicationListener::created(scope.clone(), resource.ref_(), self.connections.clone(), default, &self.vpc);
        // A listener with no default action fails at synth, as in CDK.
        let check = listener.clone();
        scope.add_validation(move || if check.has_default_action() { Vec::new() } else { vec!["the listener has no default action; give default_action, default_target_groups, or call add_target_groups or add_action without a priority".into()] });
        if let Some(ListenerAction::Forward(groups)) = listener.default_action() {
            for tg in groups {
                tg.attach_to(&scope, &self.connections)?;
            }
        }
        Ok(listener)
    }

    /// Adds a listener redirecting HTTP to HTTPS (CDK's `addRedirect`: `Redirect80To443`,
    /// permanent, open to the world on the source port).
    pub fn add_redirect(&self, options: RedirectListenerOptions) -> Result<ApplicationListener> {
        let id = format!("Redirect{}To{}", options.source_port, options.target_port);
        self.add_listener(
            &id,
            ApplicationListenerProps::new(options.source_port)
                .protocol(options.source_protocol)
                .open(options.open)
                .default_action(ListenerAction::redirect(RedirectOptions::new().port(options.target_port.to_string()).protocol(options.target_protocol).permanent(true))),
        )
    }
}

/// Where [`ApplicationLoadBalancer::add_redirect`] redirects from and to (default: HTTP 80 to
/// HTTPS 443).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RedirectListenerOptions {
    /// Port listened on.
    pub source_port: u16,
    /// Protocol listened with.
    pub source_protocol: ApplicationProtocol,
    /// Port redirected to.
    pub target_port: u16,
    /// Protocol redirected to.
    pub target_protocol: ApplicationProtocol,
    /// Open the source port to the world (default true).
    pub open: bool,
}

impl Default for RedirectListenerOptions {
    fn default() -> Self {
        RedirectListenerOptions {
            source_port: 80,
            source_protocol: ApplicationProtocol::Http,
            target_port: 443,
            target_protocol: ApplicationProtocol::Https,
            open: true,
        }
    }
}

impl RedirectListenerOptions {
    /// HTTP 80 to HTTPS 443.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the source port.
        set source_port: u16;
        /// Sets the source protocol.
        set source_protocol: ApplicationProtocol;
        /// Sets the target port.
        set target_port: u16;
        /// Sets the target protocol.
        set target_protocol: ApplicationProtocol;
        /// Opens the source port to the world or not.
        set open: bool;
    }
}

/// A certificate a listener serves (CDK's `ListenerCertificate`).
#[derive(Clone, Debug)]
pub struct ListenerCertificate {
    arn: Val<String>,
}

impl ListenerCertificate {
    /// A certificate by ARN (an ACM certificate's, or a parameter's value).
    pub fn from_arn(arn: impl Into<Val<String>>) -> Self {
        ListenerCertificate { arn: arn.into() }
    }
    /// An ACM certificate made or imported here (CDK's `fromCertificateManager`).
    pub fn from_certificate_manager(certificate: &crate::certificatemanager::Certificate) -> Self {
        ListenerCertificate { arn: certificate.certificate_arn() }
    }
}

/// Options of [`ApplicationLoadBalancer::add_listener`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ApplicationListenerProps {
    /// Port.
    pub port: u16,
    /// Protocol (default as CDK: HTTPS on 443 and 8443, HTTP on 80 and 8080).
    pub protocol: Option<ApplicationProtocol>,
    /// Certificates of an HTTPS listener (the first is the default one).
    pub certificates: Vec<ListenerCertificate>,
    /// TLS policy of an HTTPS listener (default [`DEFAULT_SSL_POLICY`]).
    pub ssl_policy: Option<String>,
    /// Open the port to the world in the load balancer's security group (default true).
    pub open: bool,
    /// What the listener does with requests no rule matches.
    pub default_action: Option<ListenerAction>,
    /// Shorthand for a default action forwarding to these groups.
    pub default_target_groups: Vec<ApplicationTargetGroup>,
}

impl ApplicationListenerProps {
    /// A listener on `port`.
    pub fn new(port: u16) -> Self {
        ApplicationListenerProps { port, protocol: None, certificates: Vec::new(), ssl_policy: None, open: true, default_action: None, default_target_groups: Vec::new() }
    }
    setters! {
        /// Sets the protocol.
        some protocol: ApplicationProtocol;
        /// Sets the certificates.
        set certificates: Vec<ListenerCertificate>;
        /// Sets the TLS policy.
        into ssl_policy: String;
        /// Opens the port to the world or not.
        set open: bool;
        /// Sets the default action.
        some default_action: ListenerAction;
        /// Forwards to these target groups by default.
        set default_target_groups: Vec<ApplicationTargetGroup>;
    }
}

/// Where a redirect goes (CDK's `RedirectOptions`); what is unset keeps the request's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedirectOptions {
    /// Host.
    pub host: Option<String>,
    /// Path (starting with `/`).
    pub path: Option<String>,
    /// Port.
    pub port: Option<String>,
    /// Protocol.
    pub protocol: Option<ApplicationProtocol>,
    /// Query (without the leading `?`).
    pub query: Option<String>,
    /// HTTP 301 when true, else 302.
    pub permanent: bool,
}

impl RedirectOptions {
    /// A temporary redirect keeping everything.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the host.
        into host: String;
        /// Sets the path.
        into path: String;
        /// Sets the port.
        into port: String;
        /// Sets the protocol.
        some protocol: ApplicationProtocol;
        /// Sets the query.
        into query: String;
        /// Permanent (301) or temporary (302).
        set permanent: bool;
    }
}

/// A fixed response's body and its type (CDK's `FixedResponseOptions`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FixedResponseOptions {
    /// Content type: text/plain, text/css, text/html, application/javascript or
    /// application/json.
    pub content_type: Option<String>,
    /// Body, at most 1024 characters.
    pub message_body: Option<String>,
}

impl FixedResponseOptions {
    /// No body.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the content type.
        into content_type: String;
        /// Sets the body.
        into message_body: String;
    }
}

/// What a listener or rule does with a request (CDK's `ListenerAction`).
#[derive(Clone)]
#[non_exhaustive]
pub enum ListenerAction {
    /// Forward to target groups (weighted evenly).
    Forward(Vec<ApplicationTargetGroup>),
    /// Answer with a status code and an optional body.
    FixedResponse(u16, FixedResponseOptions),
    /// Redirect.
    Redirect(RedirectOptions),
}

/// Renders an action into one of the generated modules (listeners and rules have the same
/// action shape in two types).
macro_rules! render_action {
    ($m:ident, $a:expr) => {
        match $a {
            ListenerAction::Forward(groups) => match groups.as_slice() {
                [only] => $m::Action::new($m::ActionType::Forward).target_group_arn(only.target_group_arn()),
                _ => $m::Action::new($m::ActionType::Forward).forward_config(
                    $m::ForwardConfig::new().target_groups(groups.iter().map(|tg| $m::TargetGroupTuple::new().target_group_arn(tg.target_group_arn())).collect::<Vec<_>>()),
                ),
            },
            ListenerAction::FixedResponse(code, o) => {
                let mut c = $m::FixedResponseConfig::new(code.to_string());
                if let Some(t) = &o.content_type {
                    c = c.content_type(t.clone());
                }
                if let Some(b) = &o.message_body {
                    c = c.message_body(b.clone());
                }
                $m::Action::new($m::ActionType::FixedResponse).fixed_response_config(c)
            }
            ListenerAction::Redirect(o) => {
                let mut c = $m::RedirectConfig::new(if o.permanent { $m::RedirectConfigStatusCode::Http301 } else { $m::RedirectConfigStatusCode::Http302 });
                if let Some(v) = &o.host {
                    c = c.host(v.clone());
                }
                if let Some(v) = &o.path {
                    c = c.path(v.clone());
                }
                if let Some(v) = &o.port {
                    c = c.port(v.clone());
                }
                if let Some(v) = o.protocol {
                    c = c.protocol(v.as_str());
                }
                if let Some(v) = &o.query {
                    c = c.query(v.clone());
                }
                $m::Action::new($m::ActionType::Redirect).redirect_config(c)
            }
        }
    };
}

impl ListenerAction {
    /// Forwards to `target_groups`.
    pub fn forward(target_groups: Vec<ApplicationTargetGroup>) -> Self {
        ListenerAction::Forward(target_groups)
    }
    /// Answers with `status_code` (2XX, 4XX or 5XX).
    pub fn fixed_response(status_code: u16, options: FixedResponseOptions) -> Self {
        ListenerAction::FixedResponse(status_code, options)
    }
    /// Redirects.
    pub fn redirect(options: RedirectOptions) -> Self {
        ListenerAction::Redirect(options)
    }

    /// What Elastic Load Balancing refuses in the action, as an error of `scope`.
    pub(crate) fn check(&self, scope: &Scope) -> Result<()> {
        match self {
            ListenerAction::Forward(groups) => {
                if groups.is_empty() {
                    return Err(scope.error("a forward action needs at least one target group"));
                }
                super::target_group::check_forward(scope, &groups.iter().map(|tg| tg.scope().path()).collect::<Vec<_>>())
            }
            ListenerAction::FixedResponse(code, o) => {
                if !matches!(code, 200..=299 | 400..=599) {
                    return Err(scope.error(format!("fixed response status {code} is not 2XX, 4XX or 5XX, which Elastic Load Balancing requires")));
                }
                if let Some(t) = &o.content_type {
                    if !["text/plain", "text/css", "text/html", "application/javascript", "application/json"].contains(&t.as_str()) {
                        return Err(scope.error(format!("fixed response content type '{t}' is not text/plain, text/css, text/html, application/javascript or application/json")));
                    }
                }
                if o.message_body.as_ref().is_some_and(|b| b.chars().count() > 1024) {
                    return Err(scope.error("a fixed response body is at most 1024 characters"));
                }
                Ok(())
            }
            ListenerAction::Redirect(o) => {
                if o.host.is_none() && o.path.is_none() && o.port.is_none() && o.protocol.is_none() && o.query.is_none() {
                    return Err(scope.error("a redirect that changes nothing would loop; set at least one of protocol, host, port, path or query"));
                }
                if o.path.as_ref().is_some_and(|p| !p.starts_with('/')) {
                    return Err(scope.error("a redirect path must start with '/'"));
                }
                Ok(())
            }
        }
    }

    /// The listener's form.
    pub(crate) fn to_listener(&self) -> cfn_listener::Action {
        render_action!(cfn_listener, self)
    }

    /// The listener rule's form.
    pub(crate) fn to_rule(&self) -> cfn_listener_rule::Action {
        render_action!(cfn_listener_rule, self)
    }
}

/// Options of [`ApplicationListener::add_target_groups`] and [`ApplicationListener::add_action`]:
/// with a priority and conditions, a rule (`<id>Rule`); without, the listener's default.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ListenerRuleOptions {
    /// Priority (1 to 50,000): makes a rule.
    pub priority: Option<u32>,
    /// Conditions of the rule.
    pub conditions: Vec<ListenerCondition>,
}

impl ListenerRuleOptions {
    /// The listener's default.
    pub fn new() -> Self {
        Self::default()
    }
    /// A rule at `priority` matching `conditions`.
    pub fn rule(priority: u32, conditions: Vec<ListenerCondition>) -> Self {
        ListenerRuleOptions { priority: Some(priority), conditions }
    }
    setters! {
        /// Sets the priority.
        some priority: u32;
        /// Sets the conditions.
        set conditions: Vec<ListenerCondition>;
    }
}

/// Options of [`ApplicationListener::add_targets`] (CDK's `AddApplicationTargetsProps`).
#[derive(Clone)]
#[non_exhaustive]
pub struct AddApplicationTargetsProps {
    /// The port targets receive traffic on.
    pub port: u16,
    /// Protocol to the targets (default as CDK: from the port).
    pub protocol: Option<ApplicationProtocol>,
    /// The group's health check.
    pub health_check: Option<crate::elasticloadbalancingv2::HealthCheck>,
    /// The group's name.
    pub target_group_name: Option<String>,
    /// Deregistration delay.
    pub deregistration_delay: Option<Duration>,
    /// A priority and conditions make a rule; without, the listener's default.
    pub rule: ListenerRuleOptions,
    /// Targets added to the group (CDK's `targets`); the first sets its type.
    pub targets: Vec<Rc<dyn ApplicationLoadBalancerTarget>>,
}

impl AddApplicationTargetsProps {
    /// Targets on `port`, by default.
    pub fn new(port: u16) -> Self {
        AddApplicationTargetsProps { port, protocol: None, health_check: None, target_group_name: None, deregistration_delay: None, rule: ListenerRuleOptions::new(), targets: Vec::new() }
    }
    setters! {
        /// Sets the protocol.
        some protocol: ApplicationProtocol;
        /// Sets the health check.
        some health_check: crate::elasticloadbalancingv2::HealthCheck;
        /// Sets the group's name.
        into target_group_name: String;
        /// Sets the deregistration delay.
        some deregistration_delay: Duration;
        /// Makes a rule of this priority and conditions.
        set rule: ListenerRuleOptions;
    }
    /// Adds a target to the group (a `FargateService`, say).
    pub fn target(mut self, target: impl ApplicationLoadBalancerTarget + 'static) -> Self {
        self.targets.push(Rc::new(target));
        self
    }
}

impl ApplicationListener {
    /// Makes a target group (`<id>Group`, in the load balancer's VPC, its type set by the
    /// first of `targets`) and forwards to it, as a rule (`<id>Rule`) or the default
    /// (CDK's `addTargets`). An imported listener's VPC is not known: make the group yourself.
    pub fn add_targets(&self, id: &str, props: AddApplicationTargetsProps) -> Result<ApplicationTargetGroup> {
        let Some(vpc) = self.load_balancer_vpc().cloned() else {
            return Err(self.scope().child_error(id, "this listener is imported, so its load balancer's VPC is not known; create an ApplicationTargetGroup and call add_target_groups"));
        };
        let mut tp = ApplicationTargetGroupProps::new(&vpc, props.port);
        if let Some(p) = props.protocol {
            tp = tp.protocol(p);
        }
        if let Some(h) = props.health_check {
            tp = tp.health_check(h);
        }
        if let Some(n) = props.target_group_name {
            tp = tp.target_group_name(n);
        }
        if let Some(d) = props.deregistration_delay {
            tp = tp.deregistration_delay(d);
        }
        let group = ApplicationTargetGroup::new(&self.scope(), &format!("{id}Group"), tp)?;
        for t in &props.targets {
            group.add_target(t.as_ref())?;
        }
        self.add_target_groups(id, vec![group.clone()], props.rule)?;
        Ok(group)
    }

    /// Forwards to `target_groups`: as a rule (`<id>Rule`) when `options` has a priority, else as
    /// the listener's default action (CDK's `addTargetGroups`).
    pub fn add_target_groups(&self, id: &str, target_groups: Vec<ApplicationTargetGroup>, options: ListenerRuleOptions) -> Result<()> {
        self.add_action(id, ListenerAction::forward(target_groups), options)
    }

    /// Adds `action`: as a rule (`<id>Rule`) when `options` has a priority, else as the
    /// listener's default action (CDK's `addAction`). An imported listener takes rules only.
    pub fn add_action(&self, id: &str, action: ListenerAction, options: ListenerRuleOptions) -> Result<()> {
        match options.priority {
            Some(priority) => {
                ApplicationListenerRule::new(&self.scope(), &format!("{id}Rule"), ApplicationListenerRuleProps::new(self, priority).conditions(options.conditions).action(action))?;
                Ok(())
            }
            None => {
                if !options.conditions.is_empty() {
                    return Err(self.scope().child_error(id, "conditions need a priority: give ListenerRuleOptions::rule(priority, conditions)"));
                }
                action.check(&self.scope())?;
                self.set_default_action(action)
            }
        }
    }
}

/// The account Elastic Load Balancing writes access logs from in `region` (AWS's published list,
/// as aws-cdk-lib's region facts hold it); newer regions have none and use the log delivery
/// service principal instead.
fn elb_account(region: &str) -> Option<&'static str> {
    Some(match region {
        "af-south-1" => "098369216593",
        "ap-east-1" => "754344448648",
        "ap-northeast-1" => "582318560864",
        "ap-northeast-2" => "600734575887",
        "ap-northeast-3" => "383597477331",
        "ap-south-1" => "718504428378",
        "ap-southeast-1" => "114774131450",
        "ap-southeast-2" => "783225319266",
        "ap-southeast-3" => "589379963580",
        "ca-central-1" => "985666609251",
        "cn-north-1" => "638102146993",
        "cn-northwest-1" => "037604701340",
        "eu-central-1" => "054676820928",
        "eu-north-1" => "897822967062",
        "eu-south-1" => "635631232127",
        "eu-west-1" => "156460612806",
        "eu-west-2" => "652711504416",
        "eu-west-3" => "009996457667",
        "me-south-1" => "076674570225",
        "sa-east-1" => "507241528517",
        "us-east-1" => "127311923021",
        "us-east-2" => "033677994240",
        "us-gov-east-1" => "190560391635",
        "us-gov-west-1" => "048591011584",
        "us-iso-east-1" => "770363063475",
        "us-iso-west-1" => "121062877647",
        "us-isob-east-1" => "740734521339",
        "us-isof-east-1" => "091100254016",
        "us-isof-south-1" => "412137745753",
        "us-west-1" => "027434742980",
        "us-west-2" => "797873946194",
        _ => return None,
    })
}
