//! Network and deploy checks over the [`Network`] model: the failures the reference articles
//! lost hours to, found from the templates alone. Rule ids are part of the interface.
//!
//! | id | severity | what |
//! |---|---|---|
//! | `image-pull-path` | error | a Fargate task without internet egress lacks an endpoint it needs to pull its image, log or read secrets |
//! | `endpoint-reachable` | error | an interface endpoint's security groups do not admit 443 from a task that needs it |
//! | `lb-to-target` | error | a target's security groups do not admit the target port from its load balancer |
//! | `lb-target-az` | error / warning | tasks registered with a load balancer run in an AZ it does not use |
//! | `peering-routes` | error | routes through a peering connection on one side only, or overlapping blocks |
//! | `listener-rule-priority` | error | two rules of one listener with the same priority, in any of the stacks |
//! | `private-dns` | error | an endpoint with private DNS off used without a private zone, or an ECR docker zone without its wildcard record |
//! | `nat-gateway` | info | every NAT gateway, with its monthly hours cost |
//! | `open-ingress` | warning | ingress from anywhere to something that is not an internet-facing load balancer |
//! | `first-deploy-image` | warning | a service whose image comes from a repository created in the same stack |
//! | `cfn-limits` | error / warning | counts and size of a template read from a file |
//! | `dependency-cycle` | error | resources of a template that reference or depend on each other in a circle |
//!
//! A fact the templates do not fix makes an info finding that says "cannot verify", never a
//! guess.

use crate::analysis::{Analysis, AnalysisOutput};
use ironcdk_template::{Finding, Severity};
use crate::network::{Endpoint, EndpointKind, Image, Ipv4, Key, Network, Resolved, Resolver, Source, Subnet, Workload, WorkloadKind};
use ironcdk_template::PreparedApp;
use ironcdk_template::value::Value;

/// Every rule, as an analysis registered on an app (`App::add_analysis(NetworkChecks::new())`)
/// or run by `ironcdk check` on templates.
#[derive(Clone, Debug, Default)]
pub struct NetworkChecks {
    parameters: Vec<(String, String, String)>,
}

impl NetworkChecks {
    /// The checks, with no parameter values.
    pub fn new() -> Self {
        Self::default()
    }
    /// With values for parameters, as `(stack, parameter, value)`.
    pub fn with_parameters(parameters: Vec<(String, String, String)>) -> Self {
        NetworkChecks { parameters }
    }
    /// Runs every rule over `app`, with the parameter values its program declared and these.
    pub fn run(&self, app: &PreparedApp) -> Vec<Finding> {
        let mut parameters = app.known_parameters.clone();
        parameters.extend(self.parameters.iter().cloned());
        run_on(app, &Network::derive(app, &Resolver::new(app, &parameters)))
    }
}

/// Every built-in rule over a network model already derived from `app`.
pub fn run_on(app: &PreparedApp, net: &Network) -> Vec<Finding> {
    let mut out = Findings { app, list: Vec::new() };
    for w in net.workloads.iter().filter(|w| w.fargate) {
        image_pull_path(net, w, &mut out);
        lb_to_target(net, w, &mut out);
        lb_target_az(net, w, &mut out);
        first_deploy_image(w, &mut out);
    }
    peering_routes(net, &mut out);
    listener_rule_priority(net, &mut out);
    private_dns(net, &mut out);
    nat_gateways(net, &mut out);
    open_ingress(net, &mut out);
    cfn_limits(app, &mut out);
    dependency_cycles(app, &mut out);
    out.list
}

impl Analysis for NetworkChecks {
    fn name(&self) -> &str {
        "network-checks"
    }
    fn analyze(&self, app: &PreparedApp) -> AnalysisOutput {
        let mut out = AnalysisOutput::new();
        out.findings = self.run(app);
        out
    }
    fn analyze_with(&self, app: &PreparedApp, net: &Network) -> AnalysisOutput {
        // With parameter values of its own, it needs a model derived with them.
        if !self.parameters.is_empty() {
            return self.analyze(app);
        }
        let mut out = AnalysisOutput::new();
        out.findings = run_on(app, net);
        out
    }
}

/// A rule of your own over the same network model, registered with `App::add_rule`.
///
/// ```
/// use ironcdk_analysis::checks::{Rule, RuleAnalysis};
/// use ironcdk_analysis::network::Network;
/// use ironcdk_analysis::{analyze, Options};
/// use ironcdk_template::{load::load_template, Environment, Finding, PreparedApp, Severity};
/// struct NoNat;
/// impl Rule for NoNat {
///     fn id(&self) -> &str { "no-nat" }
///     fn check(&self, net: &Network, app: &PreparedApp, out: &mut Vec<Finding>) {
///         for (k, path) in &net.nat_gateways {
///             let stack = app.stacks.get(k.stack).map(|s| s.name.clone()).unwrap_or_default();
///             out.push(Finding::new(self.id(), Severity::Error, "NAT gateways are not allowed here", "use VPC endpoints")
///                 .stack(stack).path(path.clone()).logical_id(k.logical_id.clone()));
///         }
///     }
/// }
/// let json = serde_json::json!({"Resources": {"Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {"SubnetId": "subnet-1"}}}});
/// let app = PreparedApp::new(vec![load_template("Net", Environment::default(), &json).unwrap()], Vec::new());
/// let rule = RuleAnalysis(NoNat);
/// let mut options = Options::new();
/// options.analyses.push(&rule);
/// let outcome = analyze(&app, &options);
/// assert!(outcome.findings.iter().any(|f| f.rule == "no-nat" && f.logical_id.as_deref() == Some("Nat")));
/// ```
pub trait Rule {
    /// The rule's id, as findings carry it.
    fn id(&self) -> &str;
    /// Adds the rule's findings about `net` (derived from `app`) to `out`.
    fn check(&self, net: &Network, app: &PreparedApp, out: &mut Vec<Finding>);
}

/// A [`Rule`] run as an analysis: over the model [`crate::analyze`] derived, or one derived
/// for it when run alone.
pub struct RuleAnalysis<R: Rule>(pub R);

impl<R: Rule> Analysis for RuleAnalysis<R> {
    fn name(&self) -> &str {
        self.0.id()
    }
    fn analyze(&self, app: &PreparedApp) -> AnalysisOutput {
        self.analyze_with(app, &Network::derive(app, &Resolver::new(app, &app.known_parameters)))
    }
    fn analyze_with(&self, app: &PreparedApp, net: &Network) -> AnalysisOutput {
        let mut out = AnalysisOutput::new();
        self.0.check(net, app, &mut out.findings);
        out
    }
}

struct Findings<'a> {
    app: &'a PreparedApp,
    list: Vec<Finding>,
}

impl Findings<'_> {
    /// A finding placed at a resource: its stack, logical ID and construct path.
    fn at(&mut self, key: &Key, rule: &str, severity: Severity, message: String, fix: impl Into<String>) {
        let mut f = Finding::new(rule, severity, message, fix).logical_id(&key.logical_id);
        if let Some(s) = self.app.stacks.get(key.stack) {
            f = f.stack(&s.name);
            if let Some(e) = s.element(&key.logical_id).filter(|e| !e.path.is_empty()) {
                f = f.path(&e.path);
            }
        }
        if !self.list.contains(&f) {
            self.list.push(f);
        }
    }
}

/// How a resource is named in messages: its construct path, else `stack/logical ID`.
fn name(app: &PreparedApp, k: &Key) -> String {
    let Some(s) = app.stacks.get(k.stack) else { return k.logical_id.clone() };
    match s.element(&k.logical_id) {
        Some(e) if !e.path.is_empty() => e.path.clone(),
        _ => format!("{}/{}", s.name, k.logical_id),
    }
}

/// The subnets of a workload, or a "cannot verify" finding for those the templates do not fix.
fn subnets_of<'n>(net: &'n Network, w: &Workload, out: &mut Findings<'_>, rule: &str) -> Vec<&'n Subnet> {
    let mut found = Vec::new();
    for s in &w.subnets {
        match s.key().and_then(|k| net.subnet(k)) {
            Some(sub) => found.push(sub),
            None => out.at(&w.key, rule, Severity::Info, format!("cannot verify: a subnet of the task is {}", unknown_text(s)), "declare the subnet in the app, or pass its value with --parameter"),
        }
    }
    found
}

fn unknown_text(r: &Resolved) -> String {
    match r {
        Resolved::Unknown(why) => why.clone(),
        Resolved::Literal(s) => format!("'{s}', a subnet outside these templates"),
        other => format!("{other:?}"),
    }
}

/// The interface endpoint of a VPC for a service.
fn interface<'n>(net: &'n Network, vpc: &Key, service: &str) -> Option<&'n Endpoint> {
    net.endpoints.iter().find(|e| e.kind == EndpointKind::Interface && e.service.as_deref() == Some(service) && e.vpc.key() == Some(vpc))
}

/// The first labels of a service's domain before the region: `dkr.ecr.` for `ecr.dkr`,
/// `api.ecr.` for `ecr.api`, `logs.` for `logs`.
fn domain_prefix(service: &str) -> String {
    match service {
        "ecr.dkr" => "dkr.ecr.".into(),
        "ecr.api" => "api.ecr.".into(),
        other => format!("{other}."),
    }
}

/// The endpoint that serves `service` to tasks in `subnet` of `vpc`: one in the VPC, or one in a
/// peered VPC that a private hosted zone associated with this VPC points to, with a route
/// through the peering. The error says which piece is missing.
fn serving_endpoint<'n>(net: &'n Network, subnet: &Subnet, vpc: &Key, service: &str) -> Result<&'n Endpoint, String> {
    if let Some(e) = interface(net, vpc, service) {
        return Ok(e);
    }
    let peers: Vec<(&crate::network::Peering, &Key)> = net
        .peerings
        .iter()
        .filter_map(|p| match (p.vpc.key(), p.peer_vpc.key()) {
            (Some(a), Some(b)) if a == vpc => Some((p, b)),
            (Some(a), Some(b)) if b == vpc => Some((p, a)),
            _ => None,
        })
        .collect();
    let Some((peering, remote)) = peers.iter().find(|(_, remote)| interface(net, remote, service).is_some()) else {
        return Err(format!("a '{service}' interface endpoint"));
    };
    let Some(endpoint) = interface(net, remote, service) else { return Err(format!("a '{service}' interface endpoint")) };
    let prefix = domain_prefix(service);
    let zone = net.zones.iter().any(|z| z.name.starts_with(&prefix) && z.name.ends_with("amazonaws.com") && z.vpcs.iter().any(|v| v.key() == Some(vpc)));
    if !zone {
        return Err(format!(
            "a private hosted zone for {prefix}<region>.amazonaws.com associated with this VPC (the '{service}' endpoint is in the peered VPC, with its own DNS name)"
        ));
    }
    let table = subnet.route_table.as_ref().and_then(Resolved::key);
    let routed = table.is_some_and(|t| net.routes_of(t).any(|r| matches!(&r.target, crate::network::RouteTarget::Peering(k) if *k == peering.key)));
    if !routed {
        return Err(format!("a route from the subnet's route table through the peering connection to the VPC holding the '{service}' endpoint"));
    }
    Ok(endpoint)
}

fn image_pull_path(net: &Network, w: &Workload, out: &mut Findings<'_>) {
    const RULE: &str = "image-pull-path";
    let what = if w.kind == WorkloadKind::Scheduled { "the scheduled task" } else { "the service" };
    for subnet in subnets_of(net, w, out, RULE) {
        match net.internet_egress(subnet, w.public_ip) {
            None => {
                out.at(&w.key, RULE, Severity::Info, format!("cannot verify: subnet {} has no route table in these templates", name(out.app, &subnet.key)), "declare the route table association, or check the subnet's routes yourself");
                continue;
            }
            Some(true) => continue,
            Some(false) => {}
        }
        let Some(vpc) = subnet.vpc.key() else {
            out.at(&w.key, RULE, Severity::Info, format!("cannot verify: the VPC of subnet {} is {}", name(out.app, &subnet.key), unknown_text(&subnet.vpc)), "declare the VPC, or pass its value with --parameter");
            continue;
        };
        let mut missing: Vec<String> = Vec::new();
        let mut needed: Vec<&str> = Vec::new();
        let pulls_ecr = w.containers.iter().any(|c| matches!(c.image, Image::Ecr(_)));
        if pulls_ecr {
            needed.extend(["ecr.api", "ecr.dkr"]);
            let table = subnet.route_table.as_ref().and_then(Resolved::key);
            let s3 = net.endpoints.iter().any(|e| {
                e.kind == EndpointKind::Gateway && e.service.as_deref() == Some("s3") && e.route_tables.iter().any(|t| t.key() == table)
            });
            if !s3 {
                missing.push("the S3 gateway endpoint on the subnet's route table (image layers come from S3)".into());
            }
        }
        if w.containers.iter().any(|c| c.awslogs) {
            needed.push("logs");
        }
        if w.containers.iter().any(|c| c.secrets_manager) {
            needed.push("secretsmanager");
        }
        if w.containers.iter().any(|c| c.ssm) {
            needed.push("ssm");
        }
        let mut used: Vec<&Endpoint> = Vec::new();
        for service in needed {
            match serving_endpoint(net, subnet, vpc, service) {
                Ok(e) => used.push(e),
                Err(piece) => missing.push(piece),
            }
        }
        for c in w.containers.iter().filter(|c| c.image == Image::Other) {
            missing.push(format!("internet egress for container '{}', whose image is from a registry outside private ECR (no VPC endpoint reaches it)", c.name));
        }
        if !missing.is_empty() {
            out.at(
                &w.key,
                RULE,
                Severity::Error,
                format!(
                    "{what} runs in subnet {} with no route to the internet, and its VPC {} lacks {}; the task would stop at CannotPullContainerError (or fail to log or read its secrets)",
                    name(out.app, &subnet.key),
                    name(out.app, vpc),
                    missing.join(", ")
                ),
                "add the missing VPC endpoints (ecr.api, ecr.dkr, logs as needed, and the S3 gateway endpoint on the task subnets' route tables), or a NAT gateway",
            );
        } else {
            endpoint_reachable(net, w, subnet, &used, out);
        }
    }
}

/// Whether a security group admits TCP `port` from the workload (its groups, or a block that
/// holds its subnet). `None` when a rule's source cannot be known.
fn admits(net: &Network, groups: &[Resolved], port: i64, from_groups: &[Resolved], from_blocks: &[Ipv4]) -> Option<bool> {
    let mut unknown = false;
    for g in groups {
        let Some(sg) = g.key().and_then(|k| net.security_group(k)) else {
            unknown = true;
            continue;
        };
        for rule in sg.ingress.iter().filter(|r| r.admits_tcp(port)) {
            match &rule.source {
                Source::Group(src) if from_groups.iter().any(|f| f.key().is_some() && f.key() == src.key()) => return Some(true),
                Source::Ipv4(block) if !from_blocks.is_empty() && from_blocks.iter().all(|b| block.contains(*b)) => return Some(true),
                Source::Ipv4(block) if block.prefix == 0 => return Some(true),
                Source::Unknown(_) => unknown = true,
                Source::Group(src) if src.key().is_none() => unknown = true,
                _ => {}
            }
        }
    }
    (!unknown).then_some(false)
}

fn endpoint_reachable(net: &Network, w: &Workload, subnet: &Subnet, used: &[&Endpoint], out: &mut Findings<'_>) {
    const RULE: &str = "endpoint-reachable";
    let blocks: Vec<Ipv4> = subnet.cidr.into_iter().collect();
    for e in used {
        let service = e.service.as_deref().unwrap_or_default();
        if e.security_groups.is_empty() {
            out.at(&e.key, RULE, Severity::Info, format!("cannot verify: endpoint {} has no security groups in the template (it gets the VPC's default group)", name(out.app, &e.key)), "give the endpoint a security group that admits 443 from the tasks");
            continue;
        }
        match admits(net, &e.security_groups, 443, &w.security_groups, &blocks) {
            Some(true) => {}
            Some(false) => out.at(
                &e.key,
                RULE,
                Severity::Error,
                format!("the security groups of endpoint {} do not admit HTTPS (443) from the tasks of {}, so they cannot reach {service}", name(out.app, &e.key), name(out.app, &w.key)),
                "allow 443 on the endpoint's security group from the tasks' security group or from the VPC's CIDR",
            ),
            None => out.at(&e.key, RULE, Severity::Info, format!("cannot verify: a security group or rule source of endpoint {} is not in these templates", name(out.app, &e.key)), "declare it, or pass its values with --parameter"),
        }
    }
}

fn lb_to_target(net: &Network, w: &Workload, out: &mut Findings<'_>) {
    const RULE: &str = "lb-to-target";
    for (tg, port) in &w.targets {
        let Some(group) = tg.key().and_then(|k| net.target_group(k)) else { continue };
        let mut ports = vec![*port];
        if let Some(h) = group.health_check_port.filter(|h| h != port) {
            ports.push(h);
        }
        for lb_key in &group.load_balancers {
            let Some(lb) = net.load_balancers.iter().find(|l| &l.key == lb_key) else { continue };
            let (from_groups, from_blocks): (Vec<Resolved>, Vec<Ipv4>) = match &lb.security_groups {
                Some(groups) if !groups.is_empty() => {
                    let silent = groups.iter().filter_map(|g| g.key().and_then(|k| net.security_group(k))).any(|sg| sg.ingress.is_empty());
                    if silent && lb.network {
                        out.at(lb_key, RULE, Severity::Error, format!("network load balancer {} has a security group with no inbound rules, which blocks all traffic to it", name(out.app, lb_key)), "add inbound rules to the load balancer's security group, or create the NLB without security groups");
                    }
                    (groups.clone(), Vec::new())
                }
                _ => (Vec::new(), lb.subnets.iter().filter_map(|s| s.key().and_then(|k| net.subnet(k)).and_then(|s| s.cidr)).collect()),
            };
            if from_groups.is_empty() && from_blocks.is_empty() {
                out.at(&w.key, RULE, Severity::Info, format!("cannot verify: the subnets of load balancer {} are not in these templates", name(out.app, lb_key)), "declare them, or pass their values with --parameter");
                continue;
            }
            for p in &ports {
                match admits(net, &w.security_groups, *p, &from_groups, &from_blocks) {
                    Some(true) => {}
                    Some(false) => out.at(
                        &w.key,
                        RULE,
                        Severity::Error,
                        format!("the security groups of {} do not admit TCP {p} from load balancer {}, so its health checks and traffic never arrive", name(out.app, &w.key), name(out.app, lb_key)),
                        "allow the target port on the tasks' security group from the load balancer's security group (or, for an NLB without one, from its subnets or the VPC's CIDR)",
                    ),
                    None => out.at(&w.key, RULE, Severity::Info, format!("cannot verify: a security group of {} is not in these templates", name(out.app, &w.key)), "declare it, or pass its values with --parameter"),
                }
            }
        }
    }
}

/// Tasks registered with a load balancer must run in AZs the load balancer uses: a target in
/// another AZ is "unused" (no traffic, never healthy), even with cross-zone load balancing.
fn lb_target_az(net: &Network, w: &Workload, out: &mut Findings<'_>) {
    const RULE: &str = "lb-target-az";
    let az_of = |s: &Resolved| s.key().and_then(|k| net.subnet(k)).and_then(|s| s.az.clone());
    for (tg, _) in &w.targets {
        let Some(group) = tg.key().and_then(|k| net.target_group(k)) else { continue };
        for lb_key in &group.load_balancers {
            let Some(lb) = net.load_balancers.iter().find(|l| &l.key == lb_key) else { continue };
            let lb_azs: Vec<Option<crate::network::Az>> = lb.subnets.iter().map(az_of).collect();
            let mut outside = Vec::new();
            let mut inside = 0usize;
            let mut unknown = false;
            for subnet in &w.subnets {
                let Some(az) = az_of(subnet) else {
                    unknown = true;
                    continue;
                };
                let verdicts: Vec<Option<bool>> = lb_azs.iter().map(|l| l.as_ref().and_then(|l| l.same(&az))).collect();
                if verdicts.contains(&Some(true)) {
                    inside = inside.saturating_add(1);
                } else if !verdicts.is_empty() && verdicts.iter().all(|v| *v == Some(false)) {
                    outside.push(subnet.key().map(|k| name(out.app, k)).unwrap_or_default());
                } else {
                    unknown = true;
                }
            }
            if !outside.is_empty() {
                let lb_name = name(out.app, lb_key);
                let (severity, effect) = if inside == 0 && !unknown {
                    (Severity::Error, "none of its tasks can receive traffic or pass health checks, so the service never becomes stable and the deploy does not finish")
                } else {
                    (Severity::Warning, "tasks placed there receive no traffic and never pass health checks, so ECS keeps replacing them")
                };
                out.at(
                    &w.key,
                    RULE,
                    severity,
                    format!("{} runs tasks in subnet(s) {} whose Availability Zone load balancer {lb_name} does not use; {effect}", name(out.app, &w.key), outside.join(", ")),
                    "give the load balancer a subnet (or subnet mapping) in every AZ the tasks use, or run the tasks only in the load balancer's AZs",
                );
            } else if unknown && inside == 0 {
                out.at(&w.key, RULE, Severity::Info, format!("cannot verify: the Availability Zones of {} or of load balancer {} are not fixed in these templates", name(out.app, &w.key), name(out.app, lb_key)), "declare the subnets, or pass their values with --parameter");
            }
        }
    }
}

fn first_deploy_image(w: &Workload, out: &mut Findings<'_>) {
    if w.kind != WorkloadKind::Service {
        return;
    }
    for c in &w.containers {
        if let Image::Ecr(Some(repo)) = &c.image {
            if repo.stack == w.key.stack {
                out.at(
                    &w.key,
                    "first-deploy-image",
                    Severity::Warning,
                    format!("container '{}' pulls from repository {}, created in the same stack: on the first deploy the repository is empty and the service waits for tasks that cannot start", c.name, name(out.app, repo)),
                    "deploy the first time with desired count 0 and push the image, or create and fill the repository in an earlier stack",
                );
            }
        }
    }
}

fn peering_routes(net: &Network, out: &mut Findings<'_>) {
    const RULE: &str = "peering-routes";
    let vpc_of_table = |t: &Key| net.route_tables.iter().find(|(k, _)| k == t).map(|(_, v)| v.clone());
    let cidr_of = |v: &Resolved| v.key().and_then(|k| net.vpcs.iter().find(|(x, _)| x == k)).and_then(|(_, c)| *c);
    for p in &net.peerings {
        if let (Some(a), Some(b)) = (cidr_of(&p.vpc), cidr_of(&p.peer_vpc)) {
            if a.overlaps(b) {
                out.at(&p.key, RULE, Severity::Error, format!("peering connection {} joins VPCs whose blocks overlap; routes between them cannot be told apart", name(out.app, &p.key)), "peer VPCs whose CIDR blocks do not overlap");
            }
        }
        let (mut requester, mut accepter, mut unknown) = (false, false, false);
        for r in net.routes.iter().filter(|r| matches!(&r.target, crate::network::RouteTarget::Peering(k) if k == &p.key)) {
            let vpc = r.table.key().and_then(&vpc_of_table);
            match vpc {
                Some(v) if v.key().is_some() && v.key() == p.vpc.key() => requester = true,
                Some(v) if v.key().is_some() && v.key() == p.peer_vpc.key() => accepter = true,
                _ => unknown = true,
            }
        }
        match (requester, accepter, unknown) {
            (true, true, _) | (false, false, false) => {}
            (true, false, true) | (false, true, true) => out.at(
                &p.key,
                RULE,
                Severity::Info,
                format!("cannot verify: peering connection {} has routes on one side, and routes in route tables these templates do not place on the other side", name(out.app, &p.key)),
                "check that the other VPC's route tables route the first VPC's block through the connection",
            ),
            (false, false, true) => {}
            (requester, _, _) => out.at(
                &p.key,
                RULE,
                Severity::Error,
                format!(
                    "peering connection {} has routes only in the {} VPC's route tables; return traffic has no way back",
                    name(out.app, &p.key),
                    if requester { "requester" } else { "accepter" }
                ),
                "add routes to the other VPC's block through the connection in the route tables of both sides (VpcPeeringConnection's route helper does both)",
            ),
        }
    }
}

/// Elastic Load Balancing refuses a second rule with a priority its listener already has; with
/// the rules in several stacks (services joining a shared ALB), the second deploy fails.
fn listener_rule_priority(net: &Network, out: &mut Findings<'_>) {
    const RULE: &str = "listener-rule-priority";
    for (i, (key, listener, priority)) in net.listener_rules.iter().enumerate() {
        let Some(p) = priority else { continue };
        // The same listener: the same resource, or the same literal ARN (a parameter's value
        // given). Unknown listeners are not compared.
        let same = |other: &Resolved| match (listener, other) {
            (Resolved::Unknown(_), _) | (_, Resolved::Unknown(_)) => false,
            (a, b) => a == b,
        };
        let earlier = net.listener_rules.iter().take(i).find(|(_, l, q)| q.as_ref() == Some(p) && same(l));
        if let Some((first, _, _)) = earlier {
            out.at(
                key,
                RULE,
                Severity::Error,
                format!("listener rule {} has priority {p}, which rule {} of the same listener already has; Elastic Load Balancing refuses the second", name(out.app, key), name(out.app, first)),
                "give each rule of a listener its own priority",
            );
        }
    }
}

fn private_dns(net: &Network, out: &mut Findings<'_>) {
    const RULE: &str = "private-dns";
    for z in &net.zones {
        let docker = z.name.starts_with("dkr.ecr.") && z.name.ends_with(".amazonaws.com");
        if docker && !z.records.iter().any(|r| *r == format!("*.{}", z.name)) {
            out.at(
                &z.key,
                RULE,
                Severity::Error,
                format!("hosted zone {} for the ECR docker endpoint has no wildcard record; image pulls go to <account>.{}, which would not resolve ('no such host')", name(out.app, &z.key), z.name),
                format!("add an alias A record '*.{}' to the endpoint, beside the apex record", z.name),
            );
        }
    }
    for e in net.endpoints.iter().filter(|e| e.kind == EndpointKind::Interface && !e.private_dns) {
        let Some(service) = e.service.as_deref() else { continue };
        let Some(vpc) = e.vpc.key() else { continue };
        let consumed = net.workloads.iter().filter(|w| w.fargate).any(|w| {
            let needs = match service {
                "ecr.api" | "ecr.dkr" => w.containers.iter().any(|c| matches!(c.image, Image::Ecr(_))),
                "logs" => w.containers.iter().any(|c| c.awslogs),
                _ => false,
            };
            needs && w.subnets.iter().filter_map(|s| s.key().and_then(|k| net.subnet(k))).any(|s| s.vpc.key() == Some(vpc))
        });
        if !consumed {
            continue;
        }
        let zone = net.zones.iter().find(|z| z.name.ends_with(".amazonaws.com") && z.name.contains(service) && z.vpcs.iter().any(|v| v.key() == Some(vpc)));
        if zone.is_none() {
            out.at(
                &e.key,
                RULE,
                Severity::Error,
                format!("endpoint {} has private DNS off and tasks in its VPC use {service}; without a private hosted zone for the service's domain, its name resolves to the public service, which they cannot reach", name(out.app, &e.key)),
                "turn private DNS on, or add a private hosted zone for the service's domain with an alias record to the endpoint, associated with the VPC",
            );
        }
    }
}

/// Hourly NAT gateway price by region (USD).
fn nat_hourly(region: &str) -> Option<f64> {
    match region {
        "us-east-1" => Some(0.045),
        "ap-northeast-1" => Some(0.062),
        _ => None,
    }
}

fn nat_gateways(net: &Network, out: &mut Findings<'_>) {
    for (key, path) in &net.nat_gateways {
        let region = out.app.stacks.get(key.stack).and_then(|s| s.env.region.clone());
        let cost = match region.as_deref().map(|r| (r, nat_hourly(r))) {
            Some((r, Some(h))) => format!("${:.2} a month in {r} before traffic", h * 730.0),
            Some((r, None)) => format!("no price data for {r}"),
            None => format!("${:.2} a month in us-east-1 (the stack has no region) before traffic", 0.045 * 730.0),
        };
        let _ = path;
        out.at(key, "nat-gateway", Severity::Info, format!("NAT gateway {} costs {cost}, plus its public IPv4 address and every GB it processes", name(out.app, key)), "if the tasks only need AWS services, VPC endpoints may replace it");
    }
}

fn open_ingress(net: &Network, out: &mut Findings<'_>) {
    for sg in &net.security_groups {
        let open = sg.ingress.iter().any(|r| matches!(&r.source, Source::Ipv4(b) if b.prefix == 0) || matches!(&r.source, Source::Ipv6(b) if b == "::/0"));
        if !open {
            continue;
        }
        let users: Vec<&crate::network::LoadBalancer> =
            net.load_balancers.iter().filter(|lb| lb.security_groups.iter().flatten().any(|g| g.key() == Some(&sg.key))).collect();
        let only_public_lbs = !users.is_empty() && users.iter().all(|lb| lb.internet_facing);
        let used_elsewhere = net.workloads.iter().any(|w| w.security_groups.iter().any(|g| g.key() == Some(&sg.key)))
            || net.endpoints.iter().any(|e| e.security_groups.iter().any(|g| g.key() == Some(&sg.key)));
        if !only_public_lbs || used_elsewhere {
            out.at(
                &sg.key,
                "open-ingress",
                Severity::Warning,
                format!("security group {} admits traffic from anywhere (0.0.0.0/0 or ::/0) and is not only an internet-facing load balancer's", name(out.app, &sg.key)),
                "narrow the source to the VPC's CIDR or to the security group that sends the traffic",
            );
        }
    }
}

/// CloudFormation's template quotas on templates read from files ([`ironcdk_template::quotas::quotas`]);
/// synth refuses the errors itself and reports the size warning once it has written the text.
fn cfn_limits(app: &PreparedApp, out: &mut Findings<'_>) {
    for s in app.stacks.iter().filter(|s| s.source_bytes.is_some()) {
        for finding in ironcdk_template::quotas::quotas(s, s.source_bytes) {
            if !out.list.contains(&finding) {
                out.list.push(finding);
            }
        }
    }
}

/// The resources a resource's entry names: `Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`, and
/// `DependsOn`.
fn references<'a>(s: &'a ironcdk_template::templates::PreparedStack, e: &'a ironcdk_template::templates::PreparedElement) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    let Value::Map(m) = &e.value else { return out };
    for (key, v) in m {
        if key == "DependsOn" {
            match v {
                Value::Str(d) => out.push(d),
                Value::List(items) => out.extend(items.iter().filter_map(Value::as_str)),
                _ => {}
            }
            continue;
        }
        walk_refs(s, v, &mut out);
    }
    out
}

/// The logical IDs `v` names by `Ref`, `Fn::GetAtt` and `${X}` in `Fn::Sub`.
fn walk_refs<'a>(s: &'a ironcdk_template::templates::PreparedStack, v: &'a Value, out: &mut Vec<&'a str>) {
    v.walk(&mut |x| {
        match x {
            Value::Ref(r) | Value::GetAtt(r, _) | Value::GetAttList(r, _) => out.extend(s.logical_id_of(r)),
            Value::Sub(text, vars) => {
                let mut rest = text.as_str();
                while let Some(start) = rest.find("${") {
                    let tail = rest.get(start.saturating_add(2)..).unwrap_or_default();
                    let Some(end) = tail.find('}') else { break };
                    let name = tail.get(..end).unwrap_or_default();
                    let name = name.split('.').next().unwrap_or_default();
                    if !name.starts_with('!') && !name.starts_with("AWS::") && vars.get(name).is_none() {
                        out.push(name);
                    }
                    rest = tail.get(end..).unwrap_or_default();
                }
            }
            _ => {}
        }
    });
}

/// CloudFormation refuses a template whose resources depend on each other in a circle
/// ("Circular dependency between resources"); found here with the resources named.
fn dependency_cycles(app: &PreparedApp, out: &mut Findings<'_>) {
    use std::collections::HashMap;
    for (si, s) in app.stacks.iter().enumerate() {
        let resources: Vec<&ironcdk_template::templates::PreparedElement> = s.resources().collect();
        let index: HashMap<&str, usize> = resources.iter().enumerate().map(|(i, e)| (e.logical_id.as_str(), i)).collect();
        let edges: Vec<Vec<usize>> = resources
            .iter()
            .map(|e| {
                let mut to: Vec<usize> = references(s, e).into_iter().filter_map(|id| index.get(id).copied()).collect();
                to.sort_unstable();
                to.dedup();
                to
            })
            .collect();
        // Iterative depth-first search: 0 unvisited, 1 on the path, 2 done.
        let mut state = vec![0u8; resources.len()];
        for start in 0..resources.len() {
            if state.get(start) != Some(&0) {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            if let Some(x) = state.get_mut(start) {
                *x = 1;
            }
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let target = edges.get(node).and_then(|t| t.get(*next)).copied();
                *next = next.saturating_add(1);
                match target {
                    None => {
                        if let Some(x) = state.get_mut(node) {
                            *x = 2;
                        }
                        path.pop();
                    }
                    Some(t) if state.get(t) == Some(&1) => {
                        // The circle: from `t` along the path back to `node`.
                        let at = path.iter().position(|(n, _)| *n == t).unwrap_or(0);
                        let names: Vec<String> = path
                            .iter()
                            .skip(at)
                            .filter_map(|(n, _)| resources.get(*n))
                            .map(|e| name(out.app, &Key { stack: si, logical_id: e.logical_id.clone() }))
                            .collect();
                        if let Some(first) = resources.get(t) {
                            let key = Key { stack: si, logical_id: first.logical_id.clone() };
                            out.at(
                                &key,
                                "dependency-cycle",
                                Severity::Error,
                                format!("resources depend on each other in a circle, which CloudFormation refuses: {} -> back to the first", names.join(" -> ")),
                                "break the circle: remove a DependsOn, or move a rule that names another resource into a resource of its own",
                            );
                        }
                    }
                    Some(t) if state.get(t) == Some(&0) => {
                        if let Some(x) = state.get_mut(t) {
                            *x = 1;
                        }
                        path.push((t, 0));
                    }
                    Some(_) => {}
                }
            }
        }
    }
}
