//! Network and deploy checks over the [`Network`] model: the failures the reference articles
//! lost hours to, found from the templates alone. Rule ids are part of the interface.
//!
//! | id | severity | what |
//! |---|---|---|
//! | `image-pull-path` | error | a Fargate task (or the EC2 instances of tasks on EC2) without internet egress lacks an endpoint it needs to pull its image, log or read secrets (and, on EC2, for the ECS agent) |
//! | `function-service-path` | warning | a Lambda function in subnets without internet egress whose role lets it call services its VPC has no endpoint for |
//! | `endpoint-reachable` | error | an interface endpoint's security groups do not admit 443 from a task that needs it |
//! | `lb-to-target` | error | a target's security groups do not admit the target port from its load balancer |
//! | `alb-config` | error | an application load balancer in fewer than two subnets, an HTTPS or TLS listener without a certificate |
//! | `lb-target-az` | error / warning | tasks registered with a load balancer run in an AZ it does not use |
//! | `peering-routes` | error | routes through a peering connection on one side only, or overlapping blocks |
//! | `listener-rule-priority` | error | two rules of one listener with the same priority, in any of the stacks |
//! | `private-dns` | error | an endpoint with private DNS off used without a private zone, or an ECR docker zone without its wildcard record |
//! | `nat-gateway` | info | every NAT gateway, with its monthly hours cost |
//! | `s3-notification-destination` | error | a bucket notification whose destination's policy or permission does not let S3 send, or that the bucket does not wait for |
//! | `sns-queue-policy` | error | an SNS subscription of an SQS queue whose queue policy does not let SNS send to it |
//! | `cloudfront-certificate-region` | error | a CloudFront distribution serving an ACM certificate outside us-east-1 |
//! | `s3-public-access` | error | a public bucket policy or ACL on a bucket that blocks public access (the default for new buckets): S3 refuses it |
//! | `sqs-dead-letter-kind` | error | a queue whose dead-letter queue is of the other kind (FIFO or standard) |
//! | `database-open` | error / warning | a database whose security group admits anywhere: an error when it is publicly accessible |
//! | `open-ingress` | warning | ingress from anywhere to something that is not an internet-facing load balancer |
//! | `container-secret-access` | error / info | a container's secret its task's execution role may not read (every task fails to start) |
//! | `first-deploy-image` | warning | a service whose image comes from a repository created in the same stack |
//! | `cfn-limits` | error / warning | counts and size of a template read from a file |
//! | `dependency-cycle` | error | resources of a template that reference or depend on each other in a circle |
//! | `duplicate-export` | error | two outputs exporting one name in one account and region |
//! | `iam-limits` | error / warning | a customer managed policy over 6,144 characters; a role with more than 20 managed policies (more than 10: a warning, the default quota) |
//! | `duplicate-claim` | error | a route table destination, an Elastic IP, a private address in a subnet, a private zone name in a VPC or a record name and type in a zone held by two resources |
//! | `template-structure` | error / info | a template read from a file that CloudFormation refuses (no `Type`, `Properties` not an object, a reference naming nothing, an unclosed `${`); a `Transform` checked only in part |
//! | `schema` | error | resource properties against the registry schemas: unknown, missing or mistyped properties, values outside an enum, pattern, length or range, unknown resource types |
//! | `template-sections` | error | a parameter default outside its constraints, an output value that is not a string, an unknown `DeletionPolicy`, `Fn::And`/`Fn::Or` arity, `Fn::Select` past its list, `Fn::Cidr` counts, policy statements without an action, with an unknown `Effect` or (IAM) a `Sid` that is not letters and digits |
//! | `nested-stack` | info | a nested stack whose template is not among the inputs (those in the assembly are read as stacks) |
//! | `empty-stack` | info | a template with no resources (CloudFormation refuses it; `cdk deploy` skips it) |
//!
//! A fact the templates do not fix makes an info finding that says "cannot verify", never a
//! guess.
//!
//! Each rule is one file: a type implementing [`Rule`], the same trait a rule of your own
//! implements, and its entry in [`BUILT_IN`]. Adding a rule is a file and a line here.

use ironcdk_template::hash::HashMap;
use ironcdk_template::{Finding, PreparedApp, Severity};

use crate::analysis::{Analysis, AnalysisOutput};
use crate::network::{Ipv4, Key, Network, Resolved, Resolver, Source, Subnet, Workload};

/// Declares a built-in rule: its id (`ID`), its type, and what its check does with the model
/// (`net`), the templates (`app`) and the findings it adds (`out`, placed and deduplicated).
macro_rules! rule {
    ($(#[$doc:meta])* $ty:ident = $id:literal, |$net:ident, $app:ident, $out:ident| $body:block) => {
        /// The rule's id, as its findings carry it.
        pub const ID: &str = $id;

        $(#[$doc])*
        pub struct $ty;

        impl $crate::checks::Rule for $ty {
            fn id(&self) -> &str {
                ID
            }
            fn check(&self, $net: &$crate::network::Network, $app: &ironcdk_template::PreparedApp, out: &mut Vec<ironcdk_template::Finding>) {
                #[allow(unused_mut)]
                let mut $out = $crate::checks::Findings::new($app, out);
                $body
            }
        }
    };
}

pub mod alb_config;
pub mod cfn_limits;
pub mod cloudfront_certificate;
pub mod dead_letter_queue;
pub mod dependency_cycle;
pub mod duplicate_claim;
pub mod duplicate_export;
pub mod duplicate_name;
pub mod empty_stack;
pub mod endpoint_reachable;
pub mod first_deploy_image;
pub mod function_service_path;
pub mod iam_limits;
pub mod image_pull_path;
pub mod lb_target_az;
pub mod lb_to_target;
pub mod listener_rule_priority;
pub mod nat_gateway;
pub mod nested_stack;
pub mod notification_destination;
pub mod open_database;
pub mod open_ingress;
pub mod peering_routes;
pub mod private_dns;
pub mod public_bucket;
pub mod queue_subscription_policy;
pub mod resource_schema;
pub mod secret_access;
pub mod template_sections;
pub mod template_structure;

/// The built-in rules, in the order they run (and their findings are listed).
pub const BUILT_IN: &[&dyn Rule] = &[
    &image_pull_path::ImagePullPath,
    &function_service_path::FunctionServicePath,
    &endpoint_reachable::EndpointReachable,
    &lb_to_target::LbToTarget,
    &alb_config::AlbConfig,
    &lb_target_az::LbTargetAz,
    &first_deploy_image::FirstDeployImage,
    &secret_access::ContainerSecretAccess,
    &peering_routes::PeeringRoutes,
    &listener_rule_priority::ListenerRulePriority,
    &private_dns::PrivateDns,
    &nat_gateway::NatGateway,
    &open_ingress::OpenIngress,
    &open_database::OpenDatabase,
    &notification_destination::NotificationDestination,
    &queue_subscription_policy::QueueSubscriptionPolicy,
    &cloudfront_certificate::CloudFrontCertificate,
    &public_bucket::PublicBucket,
    &dead_letter_queue::DeadLetterQueue,
    &cfn_limits::CfnLimits,
    &dependency_cycle::DependencyCycle,
    &empty_stack::EmptyStack,
    &duplicate_export::DuplicateExport,
    &duplicate_name::DuplicateName,
    &duplicate_claim::DuplicateClaim,
    &iam_limits::IamLimits,
    &template_structure::TemplateStructure,
    &resource_schema::ResourceSchema,
    &template_sections::TemplateSections,
    &nested_stack::NestedStack,
];

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
        run_on(app, &Network::derive(app, &Resolver::with_known(app, &self.parameters)))
    }
}

/// Every built-in rule over a network model already derived from `app`.
pub fn run_on(app: &PreparedApp, net: &Network) -> Vec<Finding> {
    let mut list = Vec::new();
    for rule in BUILT_IN {
        rule.check(net, app, &mut list);
    }
    list
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
        self.analyze_with(app, &Network::derive(app, &Resolver::with_known(app, &[])))
    }
    fn analyze_with(&self, app: &PreparedApp, net: &Network) -> AnalysisOutput {
        let mut out = AnalysisOutput::new();
        self.0.check(net, app, &mut out.findings);
        out
    }
}

/// The findings of one rule as it adds them: placed at resources, each once.
pub(crate) struct Findings<'a> {
    app: &'a PreparedApp,
    /// The app's elements by logical ID, for placing and naming findings.
    elements: crate::elements::Elements<'a>,
    list: &'a mut Vec<Finding>,
    /// What this rule added, to add nothing twice in time linear in the findings.
    seen: ironcdk_template::hash::HashSet<Finding>,
}

impl<'a> Findings<'a> {
    fn new(app: &'a PreparedApp, list: &'a mut Vec<Finding>) -> Self {
        Findings { app, elements: crate::elements::Elements::new(app), list, seen: ironcdk_template::hash::HashSet::default() }
    }

    /// Adds `f` unless this rule added it already.
    fn push(&mut self, f: Finding) {
        if self.seen.insert(f.clone()) {
            self.list.push(f);
        }
    }

    /// A finding placed at a resource: its stack, logical ID and construct path.
    fn at(&mut self, key: &Key, rule: &str, severity: Severity, message: String, fix: impl Into<String>) {
        let mut f = Finding::new(rule, severity, message, fix).logical_id(&key.logical_id);
        if let Some(s) = self.app.stacks.get(key.stack) {
            f = f.stack(&s.name);
            if let Some(e) = self.elements.element(key.stack, &key.logical_id).filter(|e| !e.path.is_empty()) {
                f = f.path(&e.path);
            }
        }
        self.push(f);
    }

    /// The element `logical_id` of stack `stack` (by its index), found without a scan.
    fn element(&self, stack: usize, logical_id: &str) -> Option<&'a ironcdk_template::PreparedElement> {
        self.elements.element(stack, logical_id)
    }

    /// How a resource is named in messages: its construct path, else `stack/logical ID`.
    fn name(&self, k: &Key) -> String {
        let Some(s) = self.app.stacks.get(k.stack) else { return k.logical_id.to_string() };
        match self.elements.element(k.stack, &k.logical_id) {
            Some(e) if !e.path.is_empty() => e.path.to_string(),
            _ => format!("{}/{}", s.name, k.logical_id),
        }
    }
}

/// True when a `Transform` names a macro other than AWS's own (`AWS::Serverless-2016-10-31`,
/// `AWS::LanguageExtensions`, ...), which add resources or expand functions but leave the
/// properties of the resources already written alone.
fn has_macro(transform: &str) -> bool {
    // A list of names arrives as its JSON text.
    transform.split(',').map(|t| t.trim_matches(|c: char| c == '[' || c == ']' || c == '"' || c.is_whitespace())).any(|t| !t.is_empty() && !t.starts_with("AWS::"))
}

/// Each output that exports a literal name, with its stack's index and its stack: what
/// CloudFormation imports by that name in the stack's account and region.
fn literal_exports(app: &PreparedApp) -> impl Iterator<Item = (usize, &ironcdk_template::templates::PreparedStack, &ironcdk_template::templates::PreparedElement, std::borrow::Cow<'_, str>)> {
    app.stacks.iter().enumerate().flat_map(|(si, s)| {
        s.elements.iter().filter(|e| e.kind == ironcdk_template::ElementKind::Output).filter_map(move |e| {
            let ironcdk_template::Value::Map(m) = &e.value else { return None };
            let Some(ironcdk_template::Value::Map(export)) = m.get("Export") else { return None };
            let name = export.get("Name").and_then(ironcdk_template::write::literal)?;
            Some((si, s, e, name))
        })
    })
}

/// A resource's key as a map key: its stack's index and its logical ID.
fn by_key(k: &Key) -> (usize, &str) {
    (k.stack, k.logical_id.as_str())
}

/// Items of the model by each resource they name (each item once per resource, in the
/// model's order): a rule that asks for each of many resources looks them up instead of going
/// through every item.
fn by_each_key<'n, T>(items: &'n [T], keys: impl Fn(&'n T) -> &'n [Resolved]) -> HashMap<(usize, &'n str), Vec<&'n T>> {
    let mut by: HashMap<(usize, &str), Vec<&T>> = HashMap::default();
    for item in items {
        let named = keys(item);
        for (i, r) in named.iter().enumerate() {
            let Some(k) = r.key() else { continue };
            // A resource the item names twice gets it once.
            if named.get(..i).is_some_and(|before| before.iter().any(|b| b.key() == Some(k))) {
                continue;
            }
            by.entry(by_key(k)).or_default().push(item);
        }
    }
    by
}

/// [`grants_by_target`]'s map.
type GrantsByTarget<'n> = HashMap<(usize, &'n str), Vec<&'n crate::network::ResourceGrant>>;

/// The resource policies and permissions of the model by the topic, queue or function each is
/// for.
fn grants_by_target<'n>(net: &'n Network) -> GrantsByTarget<'n> {
    by_each_key(&net.resource_grants, |g| &g.targets)
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

/// Whether a security group admits TCP `port` from the workload (its groups, or a block that
/// holds its subnet). `None` when a rule's source cannot be known.
/// Whether `groups` admit every TCP port of `from..=to` from the sources: the union of the
/// admitting rules covers the range when `from` and each port just past a rule's range (inside
/// it) are admitted, since a gap can only begin there.
fn admits_range(net: &Network, groups: &[Resolved], from: i64, to: i64, from_groups: &[Resolved], from_blocks: &[Ipv4]) -> Option<bool> {
    // One port (the usual case) is its own only point.
    if from == to {
        return admits(net, groups, from, from_groups, from_blocks);
    }
    let mut points = vec![from];
    for g in groups {
        if let Some(sg) = g.key().and_then(|k| net.security_group(k)) {
            points.extend(sg.ingress.iter().map(|r| r.to.saturating_add(1)).filter(|p| (from..=to).contains(p)));
        }
    }
    points.sort_unstable();
    points.dedup();
    let mut unknown = false;
    for p in points {
        match admits(net, groups, p, from_groups, from_blocks) {
            Some(true) => {}
            Some(false) => return Some(false),
            None => unknown = true,
        }
    }
    (!unknown).then_some(true)
}

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

/// What one rule finds in templates given as JSON, one stack each (`(name, template)`), for
/// the rules' own tests.
#[cfg(test)]
pub(crate) fn findings_of(rule: &dyn Rule, stacks: &[(&str, serde_json::Value)]) -> Vec<Finding> {
    let env = ironcdk_template::Environment::region("us-east-1");
    findings_in(rule, stacks.iter().map(|(name, json)| ironcdk_template::load::load_template(name, env.clone(), json).unwrap()).collect())
}

/// What one rule finds in stacks already read (each with its own environment), numbered as
/// one app's.
#[cfg(test)]
pub(crate) fn findings_in(rule: &dyn Rule, stacks: Vec<ironcdk_template::PreparedStack>) -> Vec<Finding> {
    let stacks = stacks
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            s.id = ironcdk_template::ids::StackId { app: 0, index: u32::try_from(i).unwrap() };
            s
        })
        .collect();
    let app = PreparedApp::new(stacks, Vec::new());
    let net = Network::derive(&app, &Resolver::new(&app, &[]));
    let mut out = Vec::new();
    rule.check(&net, &app, &mut out);
    out
}


#[cfg(test)]
mod tests {
    use super::*;

    /// Each grant is listed once under each resource it is for, in the model's order, however
    /// often it names that resource.
    #[test]
    fn grants_are_found_by_target_once_each() {
        let policy = |queues: serde_json::Value| serde_json::json!({"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": queues,
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*"}]}}});
        let t = serde_json::json!({"Resources": {
            "A": {"Type": "AWS::SQS::Queue"}, "B": {"Type": "AWS::SQS::Queue"},
            "Twice": policy(serde_json::json!([{"Ref": "A"}, {"Ref": "A"}])),
            "Both": policy(serde_json::json!([{"Ref": "B"}, {"Ref": "A"}])),
            "None": policy(serde_json::json!(["https://sqs.us-east-1.amazonaws.com/1/elsewhere"]))}});
        let stack = ironcdk_template::load::load_template("S", ironcdk_template::Environment::region("us-east-1"), &t).unwrap();
        let app = PreparedApp::new(vec![stack], Vec::new());
        let net = Network::derive(&app, &Resolver::new(&app, &[]));
        let by_target = grants_by_target(&net);
        let names = |q: &str| -> Vec<&str> {
            by_target.get(&(0, q)).into_iter().flatten().map(|g| g.key.logical_id.as_str()).collect()
        };
        assert_eq!(names("A"), ["Twice", "Both"]);
        assert_eq!(names("B"), ["Both"]);
        assert_eq!(by_target.len(), 2);
    }
}
