//! The typed network model checks and reports read: VPCs, subnets, route tables and routes,
//! gateways, endpoints, security groups, load balancers, listeners, target groups, ECS
//! workloads (services and scheduled tasks), hosted zones and records, and peering connections.
//!
//! It is derived from the prepared resources of every stack, whoever wrote them (L2, L1, raw
//! resources, overrides, or a template read from a file), with cross-stack imports followed to
//! their exports. A fact the templates do not fix (a parameter, an imported id) is
//! [`Resolved::Unknown`], never guessed; a program or the command line can supply parameter
//! values.

use ironcdk_template::hash::HashMap;

use ironcdk_template::{ElementKind, PreparedApp, PreparedElement};
use ironcdk_template::value::{Map, Str, Value};

/// A resource anywhere in the app: its stack's index in the app and its logical ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// Index of the stack in [`PreparedApp::stacks`].
    pub stack: usize,
    /// Logical ID in that stack.
    pub logical_id: Str,
}

/// What a value comes to, as far as the templates say.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    /// `Ref` of a resource.
    Ref(Key),
    /// `Fn::GetAtt` of a resource.
    Att(Key, Str),
    /// A literal string (numbers and booleans as their text).
    Literal(Str),
    /// Not known from the templates; says why (a parameter, an import nobody exports, ...).
    Unknown(String),
}

impl Resolved {
    /// The resource it refers to (by `Ref` or `Fn::GetAtt`).
    pub fn key(&self) -> Option<&Key> {
        match self {
            Resolved::Ref(k) | Resolved::Att(k, _) => Some(k),
            _ => None,
        }
    }
    /// The literal text.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Resolved::Literal(s) => Some(s),
            _ => None,
        }
    }
}

/// Attributes whose value is the property of the same name, when the template sets it.
const MIRRORED: &[(&str, &str)] = &[("AWS::EC2::VPC", "CidrBlock"), ("AWS::EC2::Subnet", "CidrBlock")];

/// Follows values through references, imports and parameters.
pub struct Resolver<'a> {
    app: &'a PreparedApp,
    exports: HashMap<&'a str, (usize, &'a Value)>,
    /// Every output by (stack name, logical ID), for `Fn::GetStackOutput`.
    outputs: HashMap<(&'a str, &'a str), (usize, &'a Value)>,
    parameters: HashMap<(String, String), Str>,
    /// Each stack's elements by logical ID.
    by_id: Vec<HashMap<&'a str, &'a PreparedElement>>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `app` with the parameter values its program declared
    /// (`PreparedApp::known_parameters`) and `extra` ones, later ones winning.
    pub fn with_known(app: &'a PreparedApp, extra: &[(String, String, String)]) -> Self {
        let mut parameters = app.known_parameters.clone();
        parameters.extend(extra.iter().cloned());
        Self::new(app, &parameters)
    }

    /// A resolver over `app`; `parameters` are values given for `(stack, parameter)`.
    pub fn new(app: &'a PreparedApp, parameters: &[(String, String, String)]) -> Self {
        let mut exports = HashMap::default();
        let mut outputs = HashMap::default();
        for (i, s) in app.stacks.iter().enumerate() {
            for e in s.elements.iter().filter(|e| e.kind == ElementKind::Output) {
                let Value::Map(m) = &e.value else { continue };
                if let Some(v) = m.get("Value") {
                    outputs.insert((s.name.as_str(), e.logical_id.as_str()), (i, v));
                }
                let name = match m.get("Export") {
                    Some(Value::Map(x)) => x.get("Name"),
                    _ => None,
                };
                if let (Some(Value::Str(n)), Some(v)) = (name, m.get("Value")) {
                    exports.insert(n.as_str(), (i, v));
                }
            }
        }
        let parameters = parameters.iter().map(|(s, n, v)| ((s.clone(), n.clone()), Str::from(v))).collect();
        let by_id = app.stacks.iter().map(|s| s.elements.iter().map(|e| (e.logical_id.as_str(), e)).collect()).collect();
        Resolver { app, exports, outputs, parameters, by_id }
    }

    /// The element a reference in stack `stack` names.
    fn element(&self, stack: usize, r: &ironcdk_template::value::ElementRef) -> Option<&'a PreparedElement> {
        let id = self.app.stacks.get(stack)?.logical_id_of(r)?;
        self.by_id.get(stack)?.get(id).copied()
    }

    /// The element `k` names.
    pub fn element_of(&self, k: &Key) -> Option<&'a PreparedElement> {
        self.by_id.get(k.stack)?.get(k.logical_id.as_str()).copied()
    }

    /// The resource type of `k`.
    pub fn type_of(&self, k: &Key) -> Option<&'a str> {
        self.element_of(k).map(|e| e.type_name.as_str())
    }

    /// What `v`, found in stack `stack`, comes to.
    pub fn resolve(&self, stack: usize, v: &Value) -> Resolved {
        self.resolve_at(stack, v, 0)
    }

    fn resolve_at(&self, stack: usize, v: &Value, hops: usize) -> Resolved {
        if hops > 8 {
            return Resolved::Unknown("references go round in a loop".into());
        }
        match v {
            Value::Str(s) => Resolved::Literal(s.clone()),
            Value::Int(i) => Resolved::Literal(i.to_string().into()),
            Value::Bool(b) => Resolved::Literal(if *b { Str::new_static("true") } else { Str::new_static("false") }),
            Value::Ref(r) | Value::GetAtt(r, _) | Value::GetAttList(r, _) => {
                let Some(e) = self.element(stack, r) else { return Resolved::Unknown("a reference to nothing in the template".into()) };
                let key = Key { stack, logical_id: e.logical_id.clone() };
                match (e.kind, v) {
                    (ElementKind::Parameter, _) => {
                        let stack_name = self.app.stacks.get(stack).map(|s| s.name.clone()).unwrap_or_default();
                        match self.parameters.get(&(stack_name.clone(), e.logical_id.to_string())) {
                            Some(given) => Resolved::Literal(given.clone()),
                            None => Resolved::Unknown(format!("parameter {stack_name}.{} (pass --parameter {stack_name}.{}=VALUE)", e.logical_id, e.logical_id)),
                        }
                    }
                    (_, Value::Ref(_)) => Resolved::Ref(key),
                    // Attributes that repeat a property the template sets (a VPC's CidrBlock).
                    (_, Value::GetAtt(_, a)) if MIRRORED.contains(&(e.type_name.as_str(), a.as_str())) => {
                        match e.properties().and_then(|p| p.get(a)).map(|v| self.resolve_at(stack, v, hops.saturating_add(1))) {
                            Some(Resolved::Literal(l)) => Resolved::Literal(l),
                            _ => Resolved::Att(key, a.clone()),
                        }
                    }
                    (_, Value::GetAtt(_, a) | Value::GetAttList(_, a)) => Resolved::Att(key, a.clone()),
                    _ => Resolved::Unknown("an unsupported reference".into()),
                }
            }
            v if is_stack_output(v) => match self.stack_output(stack, v, hops) {
                Ok((producer, value)) => self.resolve_at(producer, value, hops.saturating_add(1)),
                Err(why) => Resolved::Unknown(why),
            },
            Value::ImportValue(name) => match self.resolve_at(stack, name, hops.saturating_add(1)) {
                Resolved::Literal(n) => match self.exports.get(n.as_str()) {
                    Some((producer, value)) => self.resolve_at(*producer, value, hops.saturating_add(1)),
                    None => Resolved::Unknown(format!("the import '{n}', which no stack given exports")),
                },
                _ => Resolved::Unknown("an import whose name is computed".into()),
            },
            Value::Join(d, parts) => {
                let mut out = String::new();
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(d);
                    }
                    match self.resolve_at(stack, p, hops.saturating_add(1)) {
                        Resolved::Literal(s) => out.push_str(&s),
                        _ => return Resolved::Unknown("a value computed at deploy time".into()),
                    }
                }
                Resolved::Literal(out.into())
            }
            _ => Resolved::Unknown("a value computed at deploy time".into()),
        }
    }

    /// The output a `Fn::GetStackOutput` in stack `stack` reads: its stack's index and value.
    fn stack_output(&self, stack: usize, v: &'a Value, hops: usize) -> Result<(usize, &'a Value), String> {
        let Value::Map(m) = v else { return Err("not a stack output".into()) };
        let Some(Value::Map(args)) = m.get("Fn::GetStackOutput") else { return Err("a malformed Fn::GetStackOutput".into()) };
        let field = |k: &str| args.get(k).map(|x| self.resolve_at(stack, x, hops.saturating_add(1)));
        match (field("StackName"), field("OutputName")) {
            (Some(Resolved::Literal(producer)), Some(Resolved::Literal(output))) => self
                .outputs
                .get(&(producer.as_str(), output.as_str()))
                .copied()
                .ok_or_else(|| format!("output {output} of stack {producer}, which is not among the templates given")),
            _ => Err("a stack output whose stack or name is computed".into()),
        }
    }

    /// The items of a list value (a list, an imported `||`-joined list, or a list parameter).
    pub fn resolve_list(&self, stack: usize, v: &Value) -> Vec<Resolved> {
        let mut out = Vec::new();
        self.resolve_list_into(stack, v, 0, &mut out);
        out
    }

    /// [`Resolver::resolve_list`] into `out`, `hops` imports and outputs deep: a list exported
    /// as a join of imports is followed through them, at most as far as a reference is (a
    /// template whose export imports itself would otherwise be followed without end).
    fn resolve_list_into(&self, stack: usize, v: &Value, hops: usize, out: &mut Vec<Resolved>) {
        // A join of several such imports would branch at every hop: the items stop at a
        // bound no real list (of subnets, groups, topics) comes near.
        if out.len() >= MAX_LIST_ITEMS {
            return;
        }
        if hops > 8 {
            out.push(Resolved::Unknown("references go round in a loop".into()));
            return;
        }
        let next = hops.saturating_add(1);
        match v {
            Value::List(items) => out.extend(items.iter().map(|i| self.resolve(stack, i))),
            Value::Split(_, inner) if is_stack_output(inner) => match self.stack_output(stack, inner, hops) {
                Ok((producer, Value::Join(_, parts))) => parts.iter().for_each(|p| self.resolve_list_into(producer, p, next, out)),
                Ok(_) => out.push(Resolved::Unknown("a list output that is not a join".into())),
                Err(why) => out.push(Resolved::Unknown(why)),
            },
            Value::Split(_, inner) => match &**inner {
                Value::ImportValue(name) => match self.resolve(stack, name) {
                    Resolved::Literal(n) => match self.exports.get(n.as_str()) {
                        Some((producer, Value::Join(_, parts))) => parts.iter().for_each(|p| self.resolve_list_into(*producer, p, next, out)),
                        _ => out.push(Resolved::Unknown(format!("the list import '{n}'"))),
                    },
                    other => out.push(other),
                },
                _ => out.push(Resolved::Unknown("a list computed at deploy time".into())),
            },
            other => match self.resolve(stack, other) {
                Resolved::Literal(s) => out.extend(s.split(',').map(|p| Resolved::Literal(p.trim().into()))),
                r => out.push(r),
            },
        }
    }
}

/// The most items [`Resolver::resolve_list`] gives.
const MAX_LIST_ITEMS: usize = 4096;

/// CDK's weak cross-stack reference: `{"Fn::GetStackOutput": {"StackName", "OutputName"}}`
/// (templates read from files keep it as an object).
fn is_stack_output(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.len() == 1 && m.get("Fn::GetStackOutput").is_some())
}

/// An IPv4 block, parsed from a literal.
pub type Cidr = Option<crate::network::Ipv4>;

/// An IPv4 CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4 {
    /// Network address.
    pub network: u32,
    /// Prefix length (0 to 32).
    pub prefix: u8,
}

/// A `u8` written in decimal, read as `str::parse` reads one (an optional `+`, then at least
/// one digit, leading zeros allowed, at most 255), without its generic set-up: CIDR blocks are
/// parsed for every rule and route of a template.
fn decimal_u8(text: &[u8]) -> Option<u8> {
    let digits = text.strip_prefix(b"+").unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u8, |n, d| {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(d)
    })
}

impl Ipv4 {
    /// Parses `a.b.c.d/n`.
    pub fn parse(s: &str) -> Option<Ipv4> {
        let (ip, prefix) = s.trim().split_once('/')?;
        let prefix = decimal_u8(prefix.as_bytes()).filter(|p| *p <= 32)?;
        // Four octets, read in place.
        let mut octets = [0u8; 4];
        let mut n = 0usize;
        for part in ip.as_bytes().split(|b| *b == b'.') {
            *octets.get_mut(n)? = decimal_u8(part)?;
            n = n.saturating_add(1);
        }
        if n != octets.len() {
            return None;
        }
        let block = Ipv4 { network: u32::from_be_bytes(octets), prefix };
        Some(Ipv4 { network: block.network & block.mask(), prefix })
    }
    fn mask(self) -> u32 {
        u32::MAX.checked_shl(32u32.saturating_sub(u32::from(self.prefix))).unwrap_or(0)
    }
    /// Whether `other` lies inside this block.
    pub fn contains(self, other: Ipv4) -> bool {
        other.prefix >= self.prefix && other.network & self.mask() == self.network
    }
    /// Whether the two blocks share any address.
    pub fn overlaps(self, other: Ipv4) -> bool {
        self.contains(other) || other.contains(self)
    }
}

/// Where a route sends its traffic.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteTarget {
    /// A NAT gateway.
    Nat(Key),
    /// An internet gateway.
    InternetGateway(Key),
    /// A VPC peering connection.
    Peering(Key),
    /// Something else, or something the templates do not fix.
    Other(Resolved),
}

/// A route of a route table.
#[derive(Clone, Debug)]
pub struct Route {
    /// The route resource.
    pub key: Key,
    /// The route table.
    pub table: Resolved,
    /// Destination block (None for prefix lists or computed values).
    pub destination: Cidr,
    /// Where it goes.
    pub target: RouteTarget,
}

/// A subnet.
#[derive(Clone, Debug)]
pub struct Subnet {
    /// The subnet.
    pub key: Key,
    /// Its VPC.
    pub vpc: Resolved,
    /// Its block.
    pub cidr: Cidr,
    /// Its route table (through a subnet route table association).
    pub route_table: Option<Resolved>,
    /// Its Availability Zone, when the template fixes it.
    pub az: Option<Az>,
}

/// Where a subnet is: a named Availability Zone, or the n-th of a region's list
/// (`Fn::Select [n, Fn::GetAZs ...]`, as CDK writes it for environment-agnostic stacks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Az {
    /// `us-east-1a`.
    Named(String),
    /// The `index`-th AZ of `region`'s list (`None`: the region the stack at `stack` is
    /// deployed to, not known from the templates).
    Nth {
        /// The region, when known.
        region: Option<String>,
        /// The stack whose region it is.
        stack: usize,
        /// Position in the list.
        index: u32,
    },
}

impl Az {
    /// Whether two AZs are the same one, when the templates say.
    pub fn same(&self, other: &Az) -> Option<bool> {
        match (self, other) {
            (Az::Named(a), Az::Named(b)) => Some(a == b),
            (Az::Nth { region: Some(r1), index: i1, .. }, Az::Nth { region: Some(r2), index: i2, .. }) => Some(r1 == r2 && i1 == i2),
            (Az::Nth { stack: s1, index: i1, .. }, Az::Nth { stack: s2, index: i2, .. }) if s1 == s2 => Some(i1 == i2),
            _ => None,
        }
    }
}

/// An inbound rule of a security group.
#[derive(Clone, Debug)]
pub struct Ingress {
    /// Protocol (`tcp`, `udp`, `-1`, ...).
    pub protocol: String,
    /// First port (-1 for all).
    pub from: i64,
    /// Last port (-1 for all).
    pub to: i64,
    /// Where traffic may come from.
    pub source: Source,
}

impl Ingress {
    /// Whether it admits TCP traffic to `port`.
    pub fn admits_tcp(&self, port: i64) -> bool {
        self.protocol == "-1" || (matches!(self.protocol.as_str(), "tcp" | "6") && self.from <= port && port <= self.to)
    }
}

/// The source of an inbound rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// An IPv4 block.
    Ipv4(Ipv4),
    /// An IPv6 block (as written).
    Ipv6(String),
    /// Another security group.
    Group(Resolved),
    /// Anything not fixed by the templates.
    Unknown(String),
}

/// A security group and its inbound rules (inline and separate resources).
#[derive(Clone, Debug)]
pub struct SecurityGroup {
    /// The group.
    pub key: Key,
    /// Its construct path.
    pub path: Str,
    /// Its VPC.
    pub vpc: Resolved,
    /// Inbound rules.
    pub ingress: Vec<Ingress>,
}

/// Interface or gateway endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    /// ENIs in subnets.
    Interface,
    /// Routes in route tables.
    Gateway,
}

/// A VPC endpoint.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The endpoint.
    pub key: Key,
    /// Its construct path.
    pub path: Str,
    /// Its VPC.
    pub vpc: Resolved,
    /// The service's short name (`ecr.api`, `ecr.dkr`, `logs`, `s3`, ...), when known.
    pub service: Option<String>,
    /// Interface or gateway.
    pub kind: EndpointKind,
    /// Private DNS (interface endpoints; on by default in CloudFormation only for some).
    pub private_dns: bool,
    /// Its subnets (interface endpoints: one network interface, billed by the hour, in each).
    pub subnets: Vec<Resolved>,
    /// Its security groups (interface endpoints).
    pub security_groups: Vec<Resolved>,
    /// The route tables it is on (gateway endpoints).
    pub route_tables: Vec<Resolved>,
}

/// A load balancer.
#[derive(Clone, Debug)]
pub struct LoadBalancer {
    /// The load balancer.
    pub key: Key,
    /// `network` or `application`.
    pub network: bool,
    /// Internet-facing.
    pub internet_facing: bool,
    /// Its subnets.
    pub subnets: Vec<Resolved>,
    /// Its security groups (None when the property is absent).
    pub security_groups: Option<Vec<Resolved>>,
    /// The allocation IDs of its subnet mappings' Elastic IPs (an AZ mapped to one is billed as
    /// that EIP, not as an address of the load balancer's own).
    pub elastic_ips: Vec<Resolved>,
    /// Its number of AZs when given by subnet mappings (one AZ each, whatever the subnet ids
    /// resolve to); None with a `Subnets` list, whose parameter may stand for several.
    pub mapped_azs: Option<usize>,
    /// Whether its security groups' inbound rules apply to traffic arriving through
    /// PrivateLink (`EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`, on unless `off`).
    pub private_link_inbound_rules: bool,
}

/// A target group.
#[derive(Clone, Debug)]
pub struct TargetGroup {
    /// The group.
    pub key: Key,
    /// Traffic port.
    pub port: Option<i64>,
    /// Health check port, when it differs.
    pub health_check_port: Option<i64>,
    /// Load balancers whose listeners forward to it.
    pub load_balancers: Vec<Key>,
}

/// Where a container image comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Image {
    /// A private ECR repository (`<account>.dkr.ecr.<region>.amazonaws.com/...`), with the
    /// repository resource when the image refers to one.
    Ecr(Option<Key>),
    /// Any other registry (Docker Hub, `public.ecr.aws`, ...).
    Other,
    /// Not known from the templates.
    Unknown,
}

/// A container of a task definition.
#[derive(Clone, Debug)]
pub struct Container {
    /// Name.
    pub name: String,
    /// Image source.
    pub image: Image,
    /// Logs through `awslogs`.
    pub awslogs: bool,
    /// Reads secrets from Secrets Manager.
    pub secrets_manager: bool,
    /// Reads parameters from SSM Parameter Store.
    pub ssm: bool,
    /// Port mappings: container port and host port (`None` or 0: a dynamic host port in bridge
    /// mode, the container port in the others), where literal.
    pub port_mappings: Vec<(i64, Option<i64>)>,
}

/// What runs a Fargate task: a service, or an EventBridge rule on a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    /// An ECS service.
    Service,
    /// A task an EventBridge rule runs.
    Scheduled,
}

/// A Lambda function placed in a VPC.
#[derive(Clone, Debug)]
pub struct VpcFunction {
    /// The function.
    pub key: Key,
    /// Its subnets (`VpcConfig.SubnetIds`).
    pub subnets: Vec<Resolved>,
    /// Its execution role.
    pub role: Resolved,
    /// Where its failed asynchronous invocations go (`DeadLetterConfig.TargetArn`), as written.
    /// Lambda sends there itself, not from the function's subnets.
    pub dead_letter: Option<Value>,
}

/// The actions an IAM policy of these templates allows, and the roles it is attached to (a
/// role's inline policies name the role itself).
#[derive(Clone, Debug)]
pub struct RolePolicy<'a> {
    /// The roles.
    pub roles: Vec<Resolved>,
    /// Literal actions of its `Allow` statements (`dynamodb:GetItem`, `s3:*`), as the
    /// templates write them, each with its statement's `Resource`.
    pub actions: Vec<(&'a str, Option<&'a Value>)>,
}

/// Where a bucket's `NotificationConfiguration` sends events.
#[derive(Clone, Debug)]
pub struct BucketNotification {
    /// The bucket.
    pub bucket: Key,
    /// `sns`, `sqs` or `lambda`.
    pub service: &'static str,
    /// The topic, queue or function.
    pub destination: Resolved,
}

/// A resource policy of these templates (`AWS::SNS::TopicPolicy`, `AWS::SQS::QueuePolicy`) or
/// a Lambda permission: what it is attached to, and which services it lets do what.
#[derive(Clone, Debug)]
pub struct ResourceGrant {
    /// The policy or permission.
    pub key: Key,
    /// The topics, queues or function it is for.
    pub targets: Vec<Resolved>,
    /// (service principal or `*`, action) pairs it allows.
    pub allows: Vec<(String, String)>,
}

impl ResourceGrant {
    /// Whether it lets `service` (`s3.amazonaws.com`) do `action` (`sns:Publish`).
    pub fn admits(&self, service: &str, action: &str) -> bool {
        self.allows.iter().any(|(p, a)| (p == "*" || p == service) && action_matches(a, action))
    }
}

/// An IAM action pattern (`sqs:*`, `*`, `sqs:Send*`) against an action, case-insensitively.
fn action_matches(pattern: &str, action: &str) -> bool {
    let (p, a) = (pattern.to_ascii_lowercase(), action.to_ascii_lowercase());
    match p.split_once('*') {
        None => p == a,
        Some((head, tail)) => a.starts_with(head) && a.get(head.len()..).is_some_and(|rest| tail.is_empty() || rest.ends_with(tail)),
    }
}

/// An SNS subscription delivering to an SQS queue.
#[derive(Clone, Debug)]
pub struct QueueSubscription {
    /// The subscription.
    pub key: Key,
    /// The topic.
    pub topic: Resolved,
    /// The queue's ARN.
    pub queue: Resolved,
}

/// Something that runs tasks in subnets.
#[derive(Clone, Debug)]
pub struct Workload {
    /// The service or rule.
    pub key: Key,
    /// Its construct path.
    pub path: Str,
    /// Service or scheduled task.
    pub kind: WorkloadKind,
    /// Runs on Fargate.
    pub fargate: bool,
    /// The task definition's containers.
    pub containers: Vec<Container>,
    /// Subnets.
    pub subnets: Vec<Resolved>,
    /// Security groups.
    pub security_groups: Vec<Resolved>,
    /// Tasks get public IPs.
    pub public_ip: bool,
    /// Target groups it registers with, and the container port.
    pub targets: Vec<(Resolved, i64)>,
    /// The task size: CPU units and memory MiB (None when not literal).
    pub size: Option<(u32, u32)>,
    /// ARM (Graviton) tasks.
    pub arm: bool,
    /// Tasks a service keeps running, or tasks a rule starts per run.
    pub count: Option<u32>,
    /// The share of tasks on FARGATE_SPOT (from the capacity provider weights).
    pub spot_share: f64,
    /// The rule's schedule expression (`rate(5 minutes)`, `cron(...)`), for scheduled tasks.
    pub schedule: Option<String>,
    /// For tasks on EC2 capacity: the instances, when the templates say which (an Auto Scaling
    /// group capacity provider of the service's or its cluster's default strategy).
    pub host: Option<Host>,
    /// The task definition's network mode (`awsvpc`, `bridge`, `host`; EC2's default `bridge`
    /// when unset), `None` when not literal.
    pub network_mode: Option<String>,
}

impl Workload {
    /// Whether its tasks run in the service's own subnets and security groups (Fargate, or
    /// `awsvpc` on EC2).
    pub fn task_networking(&self) -> bool {
        self.fargate || self.network_mode.as_deref() == Some("awsvpc")
    }

    /// The view of the network the image pull sees: a Fargate task's own, or, on EC2 (where
    /// the ECS agent pulls through the instance), the instances' subnets and public IP.
    pub fn pulling_view(&self) -> Option<std::borrow::Cow<'_, Workload>> {
        if self.fargate {
            return Some(std::borrow::Cow::Borrowed(self));
        }
        let host = self.host.as_ref()?;
        let mut w = self.clone();
        w.subnets = host.subnets.clone();
        w.security_groups = host.security_groups.clone();
        w.public_ip = host.public_ip;
        Some(std::borrow::Cow::Owned(w))
    }
}

/// The EC2 instances a service's tasks run on: the Auto Scaling groups' subnets, and the
/// security groups and public IP setting of their launch templates or configurations.
#[derive(Clone, Debug)]
pub struct Host {
    /// The groups' subnets.
    pub subnets: Vec<Resolved>,
    /// The instances' security groups.
    pub security_groups: Vec<Resolved>,
    /// Instances get public IPs (only when every group's launch template says so).
    pub public_ip: bool,
}

/// What a task definition says about its size and platform.
#[derive(Clone, Debug, Default)]
struct TaskInfo {
    containers: Vec<Container>,
    size: Option<(u32, u32)>,
    arm: bool,
    /// `NetworkMode`: `None` when not literal, `bridge` when unset (EC2's default).
    network_mode: Option<String>,
}

/// What the templates say of EC2 capacity, for placing tasks on instances.
#[derive(Default)]
struct Capacity {
    /// Launch templates and configurations: security groups, public IP.
    launch: HashMap<Key, (Vec<Resolved>, bool)>,
    /// Auto Scaling groups: subnets, launch template or configuration.
    groups: HashMap<Key, (Vec<Resolved>, Option<Resolved>)>,
    /// Capacity providers: their Auto Scaling group.
    providers: HashMap<Key, Resolved>,
    /// Clusters' default capacity provider strategies.
    defaults: HashMap<Key, Vec<Resolved>>,
    /// What a launch template's or configuration's user data refers to (an ECS cluster its
    /// instances join: `ECS_CLUSTER=<Ref>`, as CDK's `addCapacity` writes it).
    user_data: HashMap<Key, Vec<Key>>,
}

impl Capacity {
    /// The instances behind `providers`, if the templates name them all.
    fn host(&self, providers: &[Resolved]) -> Option<Host> {
        let groups: Option<Vec<&Key>> = providers.iter().map(|p| self.providers.get(p.key()?)?.key()).collect();
        self.host_of_groups(&groups?)
    }

    /// The instances of these Auto Scaling groups, if the templates describe them all.
    fn host_of_groups(&self, asgs: &[&Key]) -> Option<Host> {
        if asgs.is_empty() {
            return None;
        }
        let mut host = Host { subnets: Vec::new(), security_groups: Vec::new(), public_ip: true };
        for asg in asgs {
            let (subnets, launch) = self.groups.get(*asg)?;
            let (groups, public) = self.launch.get(launch.as_ref()?.key()?)?;
            host.subnets.extend(subnets.iter().cloned());
            host.security_groups.extend(groups.iter().cloned());
            host.public_ip &= *public;
        }
        Some(host)
    }

    /// The instances that join `cluster` by their user data (the EC2 launch type's capacity).
    fn joining(&self, cluster: &Key) -> Option<Host> {
        let mut asgs: Vec<&Key> = self
            .groups
            .iter()
            .filter(|(_, (_, launch))| launch.as_ref().and_then(Resolved::key).and_then(|l| self.user_data.get(l)).is_some_and(|refs| refs.contains(cluster)))
            .map(|(k, _)| k)
            .collect();
        asgs.sort_by(|a, b| (a.stack, &a.logical_id).cmp(&(b.stack, &b.logical_id)));
        self.host_of_groups(&asgs)
    }
}

/// The resources a value refers to.
fn referenced(res: &Resolver<'_>, si: usize, v: Option<&Value>) -> Vec<Key> {
    let mut out = Vec::new();
    if let Some(v) = v {
        v.walk_intrinsics(|x| {
            if matches!(x, Value::Ref(_) | Value::GetAtt(..)) {
                if let Some(k) = res.resolve(si, x).key() {
                    out.push(k.clone());
                }
            }
        });
    }
    out
}

/// The capacity providers of a strategy list.
fn strategy_providers(res: &Resolver<'_>, si: usize, v: Option<&Value>) -> Vec<Resolved> {
    match v {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::Map(m) => m.get("CapacityProvider").map(|v| res.resolve(si, v)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A VPC peering connection.
#[derive(Clone, Debug)]
pub struct Peering {
    /// The connection.
    pub key: Key,
    /// The requester VPC.
    pub vpc: Resolved,
    /// The accepter VPC.
    pub peer_vpc: Resolved,
}

/// A Route 53 hosted zone.
#[derive(Clone, Debug)]
pub struct HostedZone {
    /// The zone.
    pub key: Key,
    /// Its domain, without the final dot (`${AWS::Region}` kept as written when computed).
    pub name: String,
    /// The VPCs it is associated with (private zones).
    pub vpcs: Vec<Resolved>,
    /// Record names in it (without the final dot).
    pub records: Vec<String>,
}

/// The whole model.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Network<'a> {
    /// The intrinsic functions of every element, for the rules that read them.
    pub functions: crate::functions::Functions<'a>,
    /// VPCs and their blocks.
    pub vpcs: Vec<(Key, Cidr)>,
    /// Route tables and their VPCs.
    pub route_tables: Vec<(Key, Resolved)>,
    /// Peering connections.
    pub peerings: Vec<Peering>,
    /// Listener rules: the rule, its listener and its priority.
    pub listener_rules: Vec<(Key, Resolved, Option<i64>)>,
    /// Hosted zones with their records.
    pub zones: Vec<HostedZone>,
    /// Subnets.
    pub subnets: Vec<Subnet>,
    /// Routes.
    pub routes: Vec<Route>,
    /// NAT gateways, with their paths.
    pub nat_gateways: Vec<(Key, Str)>,
    /// Endpoints.
    pub endpoints: Vec<Endpoint>,
    /// Security groups.
    pub security_groups: Vec<SecurityGroup>,
    /// Load balancers.
    pub load_balancers: Vec<LoadBalancer>,
    /// Target groups.
    pub target_groups: Vec<TargetGroup>,
    /// Workloads.
    pub workloads: Vec<Workload>,
    /// Classic load balancers (`AWS::ElasticLoadBalancing::LoadBalancer`): the key, whether it
    /// is internet-facing, and its security groups. Kept apart from [`Network::load_balancers`],
    /// which are priced and routed to as ELBv2.
    pub classic_load_balancers: Vec<(Key, bool, Vec<Resolved>)>,
    /// Security groups that EC2 instances, launch templates and launch configurations use.
    pub instance_groups: Vec<Resolved>,
    /// Lambda functions placed in a VPC.
    pub vpc_functions: Vec<VpcFunction>,
    /// IAM policies: what they allow and whom.
    pub role_policies: Vec<RolePolicy<'a>>,
    /// Buckets' notifications.
    pub bucket_notifications: Vec<BucketNotification>,
    /// Topic and queue policies and Lambda permissions.
    pub resource_grants: Vec<ResourceGrant>,
    /// SNS subscriptions of SQS queues.
    pub queue_subscriptions: Vec<QueueSubscription>,
    /// CloudFront distributions and the ACM certificate each serves (`AcmCertificateArn`).
    pub distribution_certificates: Vec<(Key, Resolved)>,
    /// SQS queues: whether each is FIFO, and its dead-letter queue (`RedrivePolicy`).
    pub queues: Vec<(Key, bool, Option<Resolved>)>,
    subnet_index: HashMap<Key, usize>,
    sg_index: HashMap<Key, usize>,
    tg_index: HashMap<Key, usize>,
    lb_index: HashMap<Key, usize>,
    routes_by_table: HashMap<Key, Vec<usize>>,
}

fn int(r: &Resolved) -> Option<i64> {
    r.literal().and_then(|s| s.parse().ok())
}

impl<'a> Network<'a> {
    /// Derives the model from every stack of `app`.
    pub fn derive(app: &'a PreparedApp, res: &Resolver<'_>) -> Network<'a> {
        /// The properties of a resource that has none.
        static EMPTY: Map = Map::new();
        let mut net = Network { functions: crate::functions::Functions::of(app), ..Network::default() };
        let mut rules: Vec<(Resolved, Ingress)> = Vec::new();
        let mut listeners: Vec<(Resolved, Vec<Resolved>)> = Vec::new();
        let mut associations: Vec<(Resolved, Resolved)> = Vec::new();
        let mut records: Vec<(Resolved, String)> = Vec::new();
        let mut tasks: HashMap<Key, TaskInfo> = HashMap::default();
        let mut capacity = Capacity::default();
        let mut services: Vec<(Key, Str, WorkloadKind, &Map, Option<String>)> = Vec::new();
        for (si, s) in app.stacks.iter().enumerate() {
            for e in s.resources() {
                let key = Key { stack: si, logical_id: e.logical_id.clone() };
                let p = e.properties().unwrap_or(&EMPTY);
                let get = |name: &str| p.get(name).map(|v| res.resolve(si, v));
                let list = |name: &str| p.get(name).map(|v| res.resolve_list(si, v)).unwrap_or_default();
                match e.type_name.as_str() {
                    "AWS::EC2::VPC" => net.vpcs.push((key, get("CidrBlock").as_ref().and_then(Resolved::literal).and_then(Ipv4::parse))),
                    "AWS::EC2::Subnet" => net.subnets.push(Subnet {
                        key,
                        vpc: get("VpcId").unwrap_or_else(|| Resolved::Unknown("no VpcId".into())),
                        cidr: get("CidrBlock").as_ref().and_then(Resolved::literal).and_then(Ipv4::parse),
                        route_table: None,
                        az: p.get("AvailabilityZone").and_then(|v| match v {
                            Value::Select(index, list) => match list.as_ref() {
                                Value::GetAzs(r) => {
                                    let region = match r.as_ref() {
                                        Value::Str(r) if !r.is_empty() => Some(r.to_string()),
                                        Value::Str(_) | Value::Pseudo(ironcdk_template::Pseudo::Region) => s.env.region.clone(),
                                        _ => return None,
                                    };
                                    Some(Az::Nth { region, stack: si, index: *index })
                                }
                                _ => None,
                            },
                            other => res.resolve(si, other).literal().map(|n| Az::Named(n.to_string())),
                        }),
                    }),
                    "AWS::EC2::RouteTable" => net.route_tables.push((key, get("VpcId").unwrap_or_else(|| Resolved::Unknown("no VpcId".into())))),
                    "AWS::EC2::VPCPeeringConnection" => net.peerings.push(Peering {
                        key,
                        vpc: get("VpcId").unwrap_or_else(|| Resolved::Unknown("no VpcId".into())),
                        peer_vpc: get("PeerVpcId").unwrap_or_else(|| Resolved::Unknown("no PeerVpcId".into())),
                    }),
                    "AWS::Route53::HostedZone" => net.zones.push(HostedZone {
                        key,
                        name: p.get("Name").map(|v| domain_text(res, si, v)).unwrap_or_default(),
                        vpcs: match p.get("VPCs") {
                            Some(Value::List(vs)) => vs.iter().filter_map(|v| match v {
                                Value::Map(m) => m.get("VPCId").map(|x| res.resolve(si, x)),
                                _ => None,
                            }).collect(),
                            _ => Vec::new(),
                        },
                        records: Vec::new(),
                    }),
                    "AWS::Route53::RecordSet" => {
                        if let (Some(zone), Some(name)) = (get("HostedZoneId"), p.get("Name")) {
                            records.push((zone, domain_text(res, si, name)));
                        }
                    }
                    "AWS::EC2::SubnetRouteTableAssociation" => {
                        if let (Some(subnet), Some(table)) = (get("SubnetId"), get("RouteTableId")) {
                            associations.push((subnet, table));
                        }
                    }
                    "AWS::EC2::Route" => {
                        let target = if let Some(n) = get("NatGatewayId") {
                            n.key().cloned().map_or(RouteTarget::Other(n), RouteTarget::Nat)
                        } else if let Some(g) = get("GatewayId") {
                            match g.key() {
                                Some(k) if res.type_of(k) == Some("AWS::EC2::InternetGateway") => RouteTarget::InternetGateway(k.clone()),
                                _ => RouteTarget::Other(g),
                            }
                        } else if let Some(pc) = get("VpcPeeringConnectionId") {
                            pc.key().cloned().map_or(RouteTarget::Other(pc), RouteTarget::Peering)
                        } else {
                            RouteTarget::Other(Resolved::Unknown("another kind of target".into()))
                        };
                        net.routes.push(Route {
                            key,
                            table: get("RouteTableId").unwrap_or_else(|| Resolved::Unknown("no RouteTableId".into())),
                            destination: get("DestinationCidrBlock").as_ref().and_then(Resolved::literal).and_then(Ipv4::parse),
                            target,
                        });
                    }
                    "AWS::EC2::NatGateway" => net.nat_gateways.push((key, e.path.clone())),
                    "AWS::EC2::VPCEndpoint" => {
                        let service = get("ServiceName").and_then(|r| service_short_name(si, p.get("ServiceName"), &r));
                        let kind = match get("VpcEndpointType").as_ref().and_then(Resolved::literal) {
                            Some("Interface") => EndpointKind::Interface,
                            _ => EndpointKind::Gateway,
                        };
                        net.endpoints.push(Endpoint {
                            key,
                            path: e.path.clone(),
                            vpc: get("VpcId").unwrap_or_else(|| Resolved::Unknown("no VpcId".into())),
                            service,
                            kind,
                            private_dns: get("PrivateDnsEnabled").as_ref().and_then(Resolved::literal) == Some("true"),
                            subnets: list("SubnetIds"),
                            security_groups: list("SecurityGroupIds"),
                            route_tables: list("RouteTableIds"),
                        });
                    }
                    "AWS::EC2::SecurityGroup" => {
                        let mut ingress = Vec::new();
                        if let Some(Value::List(items)) = p.get("SecurityGroupIngress") {
                            for item in items {
                                if let Value::Map(m) = item {
                                    ingress.push(ingress_rule(res, si, m));
                                }
                            }
                        }
                        net.security_groups.push(SecurityGroup {
                            key,
                            path: e.path.clone(),
                            vpc: get("VpcId").unwrap_or_else(|| Resolved::Unknown("the default VPC".into())),
                            ingress,
                        });
                    }
                    "AWS::EC2::SecurityGroupIngress" => {
                        if let Some(group) = get("GroupId") {
                            rules.push((group, ingress_rule(res, si, p)));
                        }
                    }
                    "AWS::ElasticLoadBalancingV2::LoadBalancer" => net.load_balancers.push(LoadBalancer {
                        key,
                        network: get("Type").as_ref().and_then(Resolved::literal) == Some("network"),
                        private_link_inbound_rules: get("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic").as_ref().and_then(Resolved::literal) != Some("off"),
                        internet_facing: get("Scheme").as_ref().and_then(Resolved::literal) != Some("internal"),
                        subnets: {
                            let mut s = list("Subnets");
                            if let Some(Value::List(maps)) = p.get("SubnetMappings") {
                                s.extend(maps.iter().filter_map(|m| match m {
                                    Value::Map(m) => m.get("SubnetId").map(|v| res.resolve(si, v)),
                                    _ => None,
                                }));
                            }
                            s
                        },
                        security_groups: p.get("SecurityGroups").map(|v| res.resolve_list(si, v)),
                        mapped_azs: match (p.get("Subnets"), p.get("SubnetMappings")) {
                            (None, Some(Value::List(maps))) => Some(maps.len()),
                            _ => None,
                        },
                        elastic_ips: match p.get("SubnetMappings") {
                            Some(Value::List(maps)) => maps
                                .iter()
                                .filter_map(|m| match m {
                                    Value::Map(m) => m.get("AllocationId").map(|v| res.resolve(si, v)),
                                    _ => None,
                                })
                                .collect(),
                            _ => Vec::new(),
                        },
                    }),
                    "AWS::ElasticLoadBalancing::LoadBalancer" => {
                        let groups = list("SecurityGroups");
                        net.classic_load_balancers.push((key, get("Scheme").as_ref().and_then(Resolved::literal) != Some("internal"), groups));
                    }
                    "AWS::EC2::Instance" | "AWS::AutoScaling::LaunchConfiguration" => {
                        let mut groups = list("SecurityGroupIds");
                        groups.extend(list("SecurityGroups"));
                        net.instance_groups.extend(groups.iter().cloned());
                        if e.type_name == "AWS::AutoScaling::LaunchConfiguration" {
                            let public = get("AssociatePublicIpAddress").as_ref().and_then(Resolved::literal) == Some("true");
                            capacity.user_data.insert(key.clone(), referenced(res, si, p.get("UserData")));
                            capacity.launch.insert(key, (groups, public));
                        }
                    }
                    "AWS::EC2::LaunchTemplate" => {
                        if let Some(Value::Map(data)) = p.get("LaunchTemplateData") {
                            let mut groups = Vec::new();
                            for k in ["SecurityGroupIds", "SecurityGroups"] {
                                if let Some(v) = data.get(k) {
                                    groups.extend(res.resolve_list(si, v));
                                }
                            }
                            let mut public = false;
                            if let Some(Value::List(nics)) = data.get("NetworkInterfaces") {
                                for n in nics {
                                    let Value::Map(n) = n else { continue };
                                    if let Some(v) = n.get("Groups") {
                                        groups.extend(res.resolve_list(si, v));
                                    }
                                    public |= n.get("AssociatePublicIpAddress").map(|v| res.resolve(si, v)).as_ref().and_then(Resolved::literal) == Some("true");
                                }
                            }
                            net.instance_groups.extend(groups.iter().cloned());
                            capacity.user_data.insert(key.clone(), referenced(res, si, data.get("UserData")));
                            capacity.launch.insert(key, (groups, public));
                        }
                    }
                    "AWS::AutoScaling::AutoScalingGroup" => {
                        let template = |m: Option<&Value>| match m {
                            Some(Value::Map(t)) => t.get("LaunchTemplateId").or_else(|| t.get("LaunchTemplateName")).map(|v| res.resolve(si, v)),
                            _ => None,
                        };
                        let launch = template(p.get("LaunchTemplate")).or_else(|| get("LaunchConfigurationName")).or_else(|| match p.get("MixedInstancesPolicy") {
                            Some(Value::Map(m)) => match m.get("LaunchTemplate") {
                                Some(Value::Map(l)) => template(l.get("LaunchTemplateSpecification")),
                                _ => None,
                            },
                            _ => None,
                        });
                        capacity.groups.insert(key, (list("VPCZoneIdentifier"), launch));
                    }
                    "AWS::ECS::CapacityProvider" => {
                        if let Some(Value::Map(a)) = p.get("AutoScalingGroupProvider") {
                            if let Some(v) = a.get("AutoScalingGroupArn") {
                                capacity.providers.insert(key, res.resolve(si, v));
                            }
                        }
                    }
                    "AWS::ECS::Cluster" => {
                        let providers = strategy_providers(res, si, p.get("DefaultCapacityProviderStrategy"));
                        if !providers.is_empty() {
                            capacity.defaults.insert(key, providers);
                        }
                    }
                    "AWS::ECS::ClusterCapacityProviderAssociations" => {
                        if let Some(cluster) = get("Cluster").as_ref().and_then(Resolved::key) {
                            let providers = strategy_providers(res, si, p.get("DefaultCapacityProviderStrategy"));
                            if !providers.is_empty() {
                                capacity.defaults.insert(cluster.clone(), providers);
                            }
                        }
                    }
                    "AWS::ElasticLoadBalancingV2::TargetGroup" => net.target_groups.push(TargetGroup {
                        key,
                        port: get("Port").as_ref().and_then(int),
                        health_check_port: get("HealthCheckPort").as_ref().and_then(int),
                        load_balancers: Vec::new(),
                    }),
                    "AWS::ElasticLoadBalancingV2::Listener" => {
                        let lb = get("LoadBalancerArn").unwrap_or_else(|| Resolved::Unknown("no load balancer".into()));
                        listeners.push((lb, forward_targets(res, si, p.get("DefaultActions"))));
                    }
                    "AWS::ElasticLoadBalancingV2::ListenerRule" => {
                        let listener = get("ListenerArn").unwrap_or_else(|| Resolved::Unknown("no listener".into()));
                        net.listener_rules.push((key.clone(), listener.clone(), get("Priority").as_ref().and_then(int)));
                        listeners.push((listener, forward_targets(res, si, p.get("Actions"))));
                    }
                    "AWS::ECS::TaskDefinition" => {
                        let num = |n: &str| get(n).as_ref().and_then(Resolved::literal).and_then(|v| v.parse::<u32>().ok());
                        let arm = match p.get("RuntimePlatform") {
                            Some(Value::Map(rp)) => rp.get("CpuArchitecture").map(|v| res.resolve(si, v)).as_ref().and_then(Resolved::literal) == Some("ARM64"),
                            _ => false,
                        };
                        let size = num("Cpu").zip(num("Memory"));
                        let network_mode = match get("NetworkMode") {
                            None => Some("bridge".to_string()),
                            Some(r) => r.literal().map(str::to_string),
                        };
                        tasks.insert(key, TaskInfo { containers: containers(res, si, p.get("ContainerDefinitions")), size, arm, network_mode });
                    }
                    "AWS::ECS::Service" => services.push((key, e.path.clone(), WorkloadKind::Service, p, None)),
                    "AWS::Lambda::Function" => {
                        if let Some(Value::Map(c)) = p.get("VpcConfig") {
                            let subnets = c.get("SubnetIds").map(|v| res.resolve_list(si, v)).unwrap_or_default();
                            if !subnets.is_empty() {
                                let dead_letter = match p.get("DeadLetterConfig") {
                                    Some(Value::Map(d)) => d.get("TargetArn").cloned(),
                                    _ => None,
                                };
                                net.vpc_functions.push(VpcFunction { key, subnets, role: get("Role").unwrap_or_else(|| Resolved::Unknown("no Role".into())), dead_letter });
                            }
                        }
                    }
                    "AWS::S3::Bucket" => {
                        if let Some(Value::Map(n)) = p.get("NotificationConfiguration") {
                            for (list, prop, service) in [("TopicConfigurations", "Topic", "sns"), ("QueueConfigurations", "Queue", "sqs"), ("LambdaConfigurations", "Function", "lambda")] {
                                if let Some(Value::List(items)) = n.get(list) {
                                    for i in items {
                                        if let Value::Map(i) = i {
                                            let destination = i.get(prop).map(|v| res.resolve(si, v)).unwrap_or_else(|| Resolved::Unknown(format!("no {prop}")));
                                            net.bucket_notifications.push(BucketNotification { bucket: key.clone(), service, destination });
                                        }
                                    }
                                }
                            }
                        }
                    }
                    "AWS::SQS::Queue" => {
                        let fifo = get("FifoQueue").as_ref().and_then(Resolved::literal) == Some("true");
                        let dlq = match p.get("RedrivePolicy") {
                            Some(Value::Map(r)) => r.get("deadLetterTargetArn").map(|v| res.resolve(si, v)),
                            _ => None,
                        };
                        net.queues.push((key, fifo, dlq));
                    }
                    "AWS::CloudFront::Distribution" => {
                        let cert = match p.get("DistributionConfig") {
                            Some(Value::Map(c)) => match c.get("ViewerCertificate") {
                                Some(Value::Map(v)) => v.get("AcmCertificateArn").map(|a| res.resolve(si, a)),
                                _ => None,
                            },
                            _ => None,
                        };
                        if let Some(cert) = cert {
                            net.distribution_certificates.push((key, cert));
                        }
                    }
                    "AWS::SNS::TopicPolicy" => net.resource_grants.push(ResourceGrant { key, targets: list("Topics"), allows: service_allows(p.get("PolicyDocument")) }),
                    "AWS::SQS::QueuePolicy" => net.resource_grants.push(ResourceGrant { key, targets: list("Queues"), allows: service_allows(p.get("PolicyDocument")) }),
                    "AWS::Lambda::Permission" => {
                        let principal = get("Principal").and_then(|r| r.literal().map(str::to_string)).unwrap_or_default();
                        let action = get("Action").and_then(|r| r.literal().map(str::to_string)).unwrap_or_default();
                        net.resource_grants.push(ResourceGrant { key, targets: get("FunctionName").into_iter().collect(), allows: vec![(principal, action)] });
                    }
                    "AWS::SNS::Subscription" if get("Protocol").as_ref().and_then(Resolved::literal) == Some("sqs") => {
                        net.queue_subscriptions.push(QueueSubscription {
                            key,
                            topic: get("TopicArn").unwrap_or_else(|| Resolved::Unknown("no TopicArn".into())),
                            queue: get("Endpoint").unwrap_or_else(|| Resolved::Unknown("no Endpoint".into())),
                        });
                    }
                    "AWS::IAM::Policy" => {
                        let mut actions = Vec::new();
                        allowed_actions(p.get("PolicyDocument"), &mut actions);
                        net.role_policies.push(RolePolicy { roles: list("Roles"), actions });
                    }
                    "AWS::IAM::Role" => {
                        if let Some(Value::List(policies)) = p.get("Policies") {
                            let mut actions = Vec::new();
                            for x in policies {
                                if let Value::Map(m) = x {
                                    allowed_actions(m.get("PolicyDocument"), &mut actions);
                                }
                            }
                            net.role_policies.push(RolePolicy { roles: vec![Resolved::Ref(key.clone())], actions });
                        }
                    }
                    "AWS::Events::Rule" => {
                        if let Some(Value::List(targets)) = p.get("Targets") {
                            for t in targets {
                                if let Value::Map(t) = t {
                                    if let Some(Value::Map(ecs)) = t.get("EcsParameters") {
                                        let schedule = get("ScheduleExpression").and_then(|r| r.literal().map(str::to_string));
                                        services.push((key.clone(), e.path.clone(), WorkloadKind::Scheduled, ecs, schedule));
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let sg_index: HashMap<Key, usize> = net.security_groups.iter().enumerate().map(|(i, g)| (g.key.clone(), i)).collect();
        for (group, rule) in rules {
            if let Some(sg) = group.key().and_then(|k| sg_index.get(k)).and_then(|i| net.security_groups.get_mut(*i)) {
                sg.ingress.push(rule);
            }
        }
        for (zone, name) in records {
            if let Some(z) = zone.key().and_then(|k| net.zones.iter_mut().find(|z| &z.key == k)) {
                z.records.push(name);
            }
        }
        let subnet_index: HashMap<Key, usize> = net.subnets.iter().enumerate().map(|(i, s)| (s.key.clone(), i)).collect();
        for (subnet, table) in associations {
            if let Some(s) = subnet.key().and_then(|k| subnet_index.get(k)).and_then(|i| net.subnets.get_mut(*i)) {
                s.route_table = Some(table);
            }
        }
        // Listener rules point at listeners; follow them to their load balancers (without
        // rules, every listener names its load balancer itself).
        let listener_lb: HashMap<Key, Resolved> = if net.listener_rules.is_empty() {
            HashMap::default()
        } else {
            app.stacks
                .iter()
                .enumerate()
                .flat_map(|(si, s)| s.resources().filter(|e| e.type_name == "AWS::ElasticLoadBalancingV2::Listener").map(move |e| (si, e)))
                .filter_map(|(si, e)| Some((Key { stack: si, logical_id: e.logical_id.clone() }, res.resolve(si, e.properties()?.get("LoadBalancerArn")?))))
                .collect()
        };
        let tg_index: HashMap<Key, usize> = net.target_groups.iter().enumerate().map(|(i, t)| (t.key.clone(), i)).collect();
        for (via, tgs) in listeners {
            let lb = match via.key() {
                Some(k) if listener_lb.contains_key(k) => listener_lb.get(k).cloned(),
                _ => Some(via),
            };
            let Some(lb) = lb.as_ref().and_then(Resolved::key).cloned() else { continue };
            for tg in tgs {
                if let Some(t) = tg.key().and_then(|k| tg_index.get(k)).and_then(|i| net.target_groups.get_mut(*i)) {
                    if !t.load_balancers.contains(&lb) {
                        t.load_balancers.push(lb.clone());
                    }
                }
            }
        }
        for (key, path, kind, p, schedule) in services {
            let si = key.stack;
            let task_def = match kind {
                WorkloadKind::Service => p.get("TaskDefinition"),
                WorkloadKind::Scheduled => p.get("TaskDefinitionArn"),
            };
            let info = task_def
                .map(|v| res.resolve(si, v))
                .and_then(|r| r.key().cloned())
                .and_then(|k| tasks.get(&k).cloned())
                .unwrap_or_default();
            let containers = info.containers;
            let count_key = if kind == WorkloadKind::Service { "DesiredCount" } else { "TaskCount" };
            let count = match p.get(count_key) {
                None => Some(1),
                Some(v) => res.resolve(si, v).literal().and_then(|c| c.parse().ok()),
            };
            let spot_share = match p.get("CapacityProviderStrategy") {
                Some(Value::List(items)) => {
                    let weights: Vec<(bool, f64)> = items
                        .iter()
                        .filter_map(|i| match i {
                            Value::Map(m) => {
                                let provider = m.get("CapacityProvider").map(|v| res.resolve(si, v));
                                let weight = m.get("Weight").map(|v| res.resolve(si, v)).as_ref().and_then(int).unwrap_or(0);
                                Some((provider.as_ref().and_then(Resolved::literal) == Some("FARGATE_SPOT"), weight as f64))
                            }
                            _ => None,
                        })
                        .collect();
                    let total: f64 = weights.iter().map(|(_, w)| w).sum();
                    if total > 0.0 {
                        weights.iter().filter(|(s, _)| *s).map(|(_, w)| w).sum::<f64>() / total
                    } else {
                        0.0
                    }
                }
                _ => 0.0,
            };
            let launch = p.get("LaunchType").map(|v| res.resolve(si, v));
            // A strategy is Fargate when each of its providers is FARGATE or FARGATE_SPOT; one
            // naming an Auto Scaling group provider (ECS on EC2: bridge networking, dynamic host
            // ports, the instances' subnets and groups) or an unknown one is not modelled here.
            // The strategy's providers, resolved once; an item without one counts against Fargate.
            let strategy = strategy_providers(res, si, p.get("CapacityProviderStrategy"));
            let items = match p.get("CapacityProviderStrategy") {
                Some(Value::List(l)) => l.len(),
                _ => 0,
            };
            let fargate_providers = items > 0
                && strategy.len() == items
                && strategy.iter().all(|r| matches!(r.literal(), Some("FARGATE" | "FARGATE_SPOT")));
            let fargate = launch.as_ref().and_then(Resolved::literal) == Some("FARGATE") || fargate_providers;
            // On EC2: the service's strategy, or without a launch type its cluster's default.
            let host = if fargate {
                None
            } else {
                let mut providers = strategy;
                let cluster = p.get("Cluster").map(|v| res.resolve(si, v));
                let cluster = cluster.as_ref().and_then(Resolved::key);
                if providers.is_empty() && launch.is_none() && kind == WorkloadKind::Service {
                    if let Some(c) = cluster {
                        providers = capacity.defaults.get(c).cloned().unwrap_or_default();
                    }
                }
                match (providers.is_empty(), launch.as_ref().and_then(Resolved::literal), cluster) {
                    (false, _, _) => capacity.host(&providers),
                    // The EC2 launch type (or none, without a default strategy): the instances
                    // whose user data joins them to the cluster.
                    (true, Some("EC2") | None, Some(c)) => capacity.joining(c),
                    _ => None,
                }
            };
            let net_cfg: &Map = match p.get("NetworkConfiguration") {
                Some(Value::Map(n)) => match n.get("AwsVpcConfiguration").or_else(|| n.get("AwsvpcConfiguration")) {
                    Some(Value::Map(a)) => a,
                    _ => &EMPTY,
                },
                _ => &EMPTY,
            };
            let targets = match p.get("LoadBalancers") {
                Some(Value::List(lbs)) => lbs
                    .iter()
                    .filter_map(|l| match l {
                        Value::Map(l) => Some((
                            l.get("TargetGroupArn").map(|v| res.resolve(si, v))?,
                            l.get("ContainerPort").map(|v| res.resolve(si, v)).as_ref().and_then(int).unwrap_or(0),
                        )),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            net.workloads.push(Workload {
                key,
                path,
                kind,
                fargate,
                containers,
                subnets: net_cfg.get("Subnets").map(|v| res.resolve_list(si, v)).unwrap_or_default(),
                security_groups: net_cfg.get("SecurityGroups").map(|v| res.resolve_list(si, v)).unwrap_or_default(),
                public_ip: net_cfg.get("AssignPublicIp").map(|v| res.resolve(si, v)).as_ref().and_then(Resolved::literal) == Some("ENABLED"),
                targets,
                size: info.size,
                arm: info.arm,
                count,
                spot_share,
                schedule,
                host,
                network_mode: info.network_mode,
            });
        }
        net.subnet_index = subnet_index;
        net.tg_index = tg_index;
        net.sg_index = sg_index;
        for (i, lb) in net.load_balancers.iter().enumerate() {
            net.lb_index.entry(lb.key.clone()).or_insert(i);
        }
        for (i, r) in net.routes.iter().enumerate() {
            if let Some(t) = r.table.key() {
                net.routes_by_table.entry(t.clone()).or_default().push(i);
            }
        }
        net
    }

    /// The subnet with this key.
    #[inline]
    pub fn subnet(&self, k: &Key) -> Option<&Subnet> {
        self.subnet_index.get(k).and_then(|i| self.subnets.get(*i))
    }

    /// The target group with this key.
    #[inline]
    pub fn target_group(&self, k: &Key) -> Option<&TargetGroup> {
        self.tg_index.get(k).and_then(|i| self.target_groups.get(*i))
    }

    /// The load balancer (v2) with this key.
    #[inline]
    pub fn load_balancer(&self, k: &Key) -> Option<&LoadBalancer> {
        self.lb_index.get(k).and_then(|i| self.load_balancers.get(*i))
    }

    /// The security group with this key.
    #[inline]
    pub fn security_group(&self, k: &Key) -> Option<&SecurityGroup> {
        self.sg_index.get(k).and_then(|i| self.security_groups.get(*i))
    }

    /// Routes of a route table.
    pub fn routes_of(&self, table: &Key) -> impl Iterator<Item = &Route> + '_ {
        self.routes_by_table.get(table).into_iter().flatten().filter_map(|i| self.routes.get(*i))
    }

    /// Whether a subnet reaches the internet: a default route to a NAT gateway, or to an
    /// internet gateway when the task has a public IP. `None` when the templates do not say.
    pub fn internet_egress(&self, subnet: &Subnet, public_ip: bool) -> Option<bool> {
        let table = subnet.route_table.as_ref()?.key()?.clone();
        let default = Ipv4 { network: 0, prefix: 0 };
        Some(self.routes_of(&table).any(|r| {
            r.destination == Some(default)
                && match &r.target {
                    RouteTarget::Nat(_) => true,
                    RouteTarget::InternetGateway(_) => public_ip,
                    _ => false,
                }
        }))
    }
}

/// The (service principal, action) pairs of a resource policy's `Allow` statements: a
/// principal `*` (or `{"AWS": "*"}`) is `*`.
fn service_allows(document: Option<&Value>) -> Vec<(String, String)> {
    let Some(Value::Map(d)) = document else { return Vec::new() };
    let statements: Vec<&Value> = match d.get("Statement") {
        Some(Value::List(l)) => l.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::Str(s)) => vec![s.to_string()],
            Some(Value::List(l)) => l.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            _ => Vec::new(),
        }
    };
    let mut out = Vec::new();
    for s in statements {
        let Value::Map(s) = s else { continue };
        if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let principals: Vec<String> = match s.get("Principal") {
            Some(Value::Str(p)) if p == "*" => vec!["*".into()],
            Some(Value::Map(p)) => {
                let mut v = strings(p.get("Service"));
                if strings(p.get("AWS")).iter().any(|a| a == "*") {
                    v.push("*".into());
                }
                v
            }
            _ => Vec::new(),
        };
        for p in &principals {
            for a in strings(s.get("Action")) {
                out.push((p.clone(), a));
            }
        }
    }
    out
}

/// The literal actions of a policy document's `Allow` statements, added to `out`.
fn allowed_actions<'a>(document: Option<&'a Value>, out: &mut Vec<(&'a str, Option<&'a Value>)>) {
    let Some(Value::Map(d)) = document else { return };
    let statements = match d.get("Statement") {
        Some(Value::List(l)) => l.as_slice(),
        Some(one) => std::slice::from_ref(one),
        None => &[],
    };
    for s in statements {
        let Value::Map(s) = s else { continue };
        if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let resource = s.get("Resource");
        match s.get("Action") {
            Some(Value::Str(a)) => out.push((a, resource)),
            Some(Value::List(l)) => out.extend(l.iter().filter_map(Value::as_str).map(|a| (a, resource))),
            _ => {}
        }
    }
}

/// A domain name as written: literals, with `${AWS::Region}` for the region when computed, and
/// without the final dot.
fn domain_text(res: &Resolver<'_>, si: usize, v: &Value) -> String {
    let text = match (res.resolve(si, v), v) {
        (Resolved::Literal(s), _) => s.to_string(),
        (_, Value::Sub(t, _)) => t.to_string(),
        (_, Value::Join(d, parts)) => parts
            .iter()
            .map(|p| match p {
                Value::Pseudo(ironcdk_template::value::Pseudo::Region) => "${AWS::Region}".to_string(),
                other => res.resolve(si, other).literal().map(str::to_string).unwrap_or_default(),
            })
            .collect::<Vec<_>>()
            .join(d.as_str()),
        _ => String::new(),
    };
    text.trim_end_matches('.').to_ascii_lowercase()
}

/// `ecr.api` from `com.amazonaws.us-east-1.ecr.api` (written out, or joined around the region).
fn service_short_name(si: usize, raw: Option<&Value>, resolved: &Resolved) -> Option<String> {
    let _ = si;
    let text = match (resolved, raw) {
        (Resolved::Literal(s), _) => s.to_string(),
        // `com.amazonaws.` + region + `.ecr.dkr`: the last part is the service.
        (_, Some(Value::Join(_, parts))) => {
            let last = parts.last().and_then(Value::as_str)?.trim_start_matches('.');
            return (!last.is_empty()).then(|| last.to_string());
        }
        (_, Some(Value::Sub(t, _))) => t.to_string(),
        _ => return None,
    };
    let after_region = text.rsplit_once("${AWS::Region}.").map(|(_, s)| s.to_string());
    let name = after_region.unwrap_or_else(|| {
        // com.amazonaws.<region>.<service...>: drop the first three labels.
        let parts: Vec<&str> = text.trim_start_matches('.').split('.').collect();
        parts.iter().skip(3).copied().collect::<Vec<_>>().join(".")
    });
    let name = name.trim_start_matches('.').to_string();
    (!name.is_empty()).then_some(name)
}

fn ingress_rule(res: &Resolver<'_>, si: usize, m: &Map) -> Ingress {
    let get = |n: &str| m.get(n).map(|v| res.resolve(si, v));
    let protocol = get("IpProtocol").as_ref().and_then(Resolved::literal).unwrap_or("-1").to_ascii_lowercase();
    let port = |n: &str| get(n).as_ref().and_then(int).unwrap_or(-1);
    let source = if let Some(c) = get("CidrIp") {
        match c.literal().and_then(Ipv4::parse) {
            Some(ip) => Source::Ipv4(ip),
            None => Source::Unknown(format!("{c:?}")),
        }
    } else if let Some(c) = get("CidrIpv6") {
        Source::Ipv6(c.literal().unwrap_or_default().to_string())
    } else if let Some(g) = get("SourceSecurityGroupId") {
        Source::Group(g)
    } else {
        Source::Unknown("a prefix list or another source".into())
    };
    Ingress { protocol, from: port("FromPort"), to: port("ToPort"), source }
}

fn forward_targets(res: &Resolver<'_>, si: usize, actions: Option<&Value>) -> Vec<Resolved> {
    let mut out = Vec::new();
    let Some(Value::List(actions)) = actions else { return out };
    for a in actions {
        let Value::Map(a) = a else { continue };
        if let Some(tg) = a.get("TargetGroupArn") {
            out.push(res.resolve(si, tg));
        }
        if let Some(Value::Map(fc)) = a.get("ForwardConfig") {
            if let Some(Value::List(tgs)) = fc.get("TargetGroups") {
                for t in tgs {
                    if let Value::Map(t) = t {
                        if let Some(arn) = t.get("TargetGroupArn") {
                            out.push(res.resolve(si, arn));
                        }
                    }
                }
            }
        }
    }
    out
}

fn containers(res: &Resolver<'_>, si: usize, defs: Option<&Value>) -> Vec<Container> {
    let Some(Value::List(defs)) = defs else { return Vec::new() };
    defs.iter()
        .filter_map(|d| match d {
            Value::Map(d) => Some(d),
            _ => None,
        })
        .map(|d| {
            let image = d.get("Image").map_or(Image::Unknown, |v| image_source(res, si, v));
            let awslogs = match d.get("LogConfiguration") {
                Some(Value::Map(l)) => l.get("LogDriver").map(|v| res.resolve(si, v)).as_ref().and_then(Resolved::literal) == Some("awslogs"),
                _ => false,
            };
            let (mut secrets_manager, mut ssm) = (false, false);
            if let Some(Value::List(secrets)) = d.get("Secrets") {
                for s in secrets {
                    let Value::Map(s) = s else { continue };
                    let from = s.get("ValueFrom").map(|v| value_text(res, si, v)).unwrap_or_default();
                    if from.contains(":secretsmanager:") || from.contains("AWS::SecretsManager::Secret") {
                        secrets_manager = true;
                    } else {
                        ssm = true;
                    }
                }
            }
            let port_mappings = match d.get("PortMappings") {
                Some(Value::List(maps)) => maps
                    .iter()
                    .filter_map(|m| match m {
                        Value::Map(m) => {
                            let port = |k: &str| m.get(k).map(|v| res.resolve(si, v)).as_ref().and_then(int);
                            Some((port("ContainerPort")?, port("HostPort")))
                        }
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Container {
                name: d.get("Name").and_then(Value::as_str).unwrap_or_default().to_string(),
                image,
                awslogs,
                secrets_manager,
                ssm,
                port_mappings,
            }
        })
        .collect()
}

/// A readable text of a value: literals and the types of the resources it refers to, so that
/// `arn:...:secretsmanager:...` and `{"Ref": <a Secret>}` both show what they are.
fn value_text(res: &Resolver<'_>, si: usize, v: &Value) -> String {
    let mut out = String::new();
    v.walk(&mut |x| match x {
        Value::Str(s) => out.push_str(s),
        Value::Sub(t, _) => out.push_str(t),
        Value::Ref(_) | Value::GetAtt(..) => {
            if let Some(t) = res.resolve(si, x).key().and_then(|k| res.type_of(k)) {
                out.push_str(t);
            }
        }
        _ => {}
    });
    out
}

fn image_source(res: &Resolver<'_>, si: usize, v: &Value) -> Image {
    let mut repository: Option<Key> = None;
    let mut ecr_text = false;
    v.walk(&mut |x| match x {
        Value::Str(s) | Value::Sub(s, _) if s.contains(".dkr.ecr.") => ecr_text = true,
        // An image names one repository, usually three times (its ARN's account and region, and
        // its name): the first found is the one.
        x if repository.is_none() && (matches!(x, Value::Ref(_) | Value::GetAtt(..) | Value::ImportValue(_)) || is_stack_output(x)) => {
            if let Some(k) = res.resolve(si, x).key().filter(|k| res.type_of(k) == Some("AWS::ECR::Repository")) {
                repository = Some(k.clone());
            }
        }
        _ => {}
    });
    match (repository, ecr_text, v) {
        (Some(k), _, _) => Image::Ecr(Some(k)),
        (None, true, _) => Image::Ecr(None),
        (None, false, Value::Str(_)) => Image::Other,
        _ => Image::Unknown,
    }
}

/// Parameter values given for checks: `STACK.NAME=VALUE`.
pub fn parse_parameter(s: &str) -> Option<(String, String, String)> {
    let (name, value) = s.split_once('=')?;
    let (stack, param) = name.split_once('.')?;
    Some((stack.to_string(), param.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Octets and prefixes read as `str::parse::<u8>` reads them: signs, leading zeros,
    /// bounds, empty parts, other characters.
    #[test]
    fn decimal_u8_reads_what_str_parse_reads() {
        let mut cases: Vec<String> = (0..=999).map(|n| n.to_string()).collect();
        cases.extend((0..=300).map(|n| format!("0{n}")));
        cases.extend((0..=300).map(|n| format!("+{n}")));
        cases.extend(["", "+", "-", "-0", "-1", "++1", "+-1", " 1", "1 ", "1a", "a1", "0x1", "00000000000000000000255", "256", "1000", "٣", "１", "1.0", "+0", "00"].map(String::from));
        for c in &cases {
            assert_eq!(decimal_u8(c.as_bytes()), c.parse::<u8>().ok(), "'{c}'");
        }
        for (text, block) in [
            ("10.0.0.0/16", Some((0x0a00_0000, 16))),
            (" 10.1.2.3/24\n", Some((0x0a01_0200, 24))),
            ("010.+1.0.0/+8", Some((0x0a00_0000, 8))),
            ("10.0.0.0/33", None),
            ("10.0.0/8", None),
            ("10.0.0.0.0/8", None),
            ("10..0.0/8", None),
            ("10.0.0.256/32", None),
            ("10.0.0.0", None),
            ("10.0.0.0/", None),
        ] {
            assert_eq!(Ipv4::parse(text).map(|b| (b.network, b.prefix)), block, "{text}");
        }
    }

    #[test]
    fn blocks_contain_and_overlap() {
        let vpc = Ipv4::parse("10.0.0.0/16").unwrap();
        let sub = Ipv4::parse("10.0.32.0/19").unwrap();
        assert!(vpc.contains(sub) && !sub.contains(vpc) && vpc.overlaps(sub));
        assert!(!vpc.overlaps(Ipv4::parse("10.1.0.0/16").unwrap()));
        assert!(Ipv4::parse("0.0.0.0/0").unwrap().contains(vpc));
        assert_eq!(Ipv4::parse("10.0.0.0/33"), None);
        assert_eq!(Ipv4::parse("x"), None);
        // Exactly four octets, each a byte.
        assert_eq!(Ipv4::parse("10.0.0/16"), None);
        assert_eq!(Ipv4::parse("10.0.0.0.0/16"), None);
        assert_eq!(Ipv4::parse("10.0.256.0/16"), None);
        let host = Ipv4::parse(" 192.168.1.7/24 ");
        assert!(host.is_some());
        assert_eq!(host, Ipv4::parse("192.168.1.0/24"));
    }

    /// A list exported as a join of imports of itself ends: as unknown, within the bound, and
    /// also where each hop branches (ten imports a join).
    #[test]
    fn a_list_export_that_imports_itself_resolves_to_unknown() {
        for copies in [1, 10] {
            let parts: Vec<serde_json::Value> = (0..copies).map(|_| serde_json::json!({"Fn::Split": [",", {"Fn::ImportValue": "X"}]})).collect();
            let t = serde_json::json!({
                "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
                "Outputs": {"O": {"Value": {"Fn::Join": [",", parts]}, "Export": {"Name": "X"}}}
            });
            let stack = ironcdk_template::load::load_template("S", ironcdk_template::Environment::region("us-east-1"), &t).unwrap();
            let app = PreparedApp::new(vec![stack], Vec::new());
            let res = Resolver::new(&app, &[]);
            let list = Value::Split(",".into(), Box::new(Value::ImportValue(Box::new(Value::Str("X".into())))));
            let found = res.resolve_list(0, &list);
            assert!(!found.is_empty() && found.len() <= MAX_LIST_ITEMS, "{copies}: {}", found.len());
            assert!(found.iter().all(|r| matches!(r, Resolved::Unknown(_))), "{copies}");
            // The whole model derives too.
            let _ = Network::derive(&app, &res);
        }
    }

    /// Two services of one task definition both get its containers, size and network mode;
    /// a service of none gets none.
    #[test]
    fn services_sharing_a_task_definition_each_get_it() {
        let service = |task: serde_json::Value| serde_json::json!({"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": task, "LaunchType": "FARGATE"}});
        let t = serde_json::json!({"Resources": {
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Cpu": "256", "Memory": "512", "NetworkMode": "awsvpc",
                "ContainerDefinitions": [{"Name": "web", "Image": "nginx", "PortMappings": [{"ContainerPort": 80}]}]}},
            "A": service(serde_json::json!({"Ref": "Task"})),
            "B": service(serde_json::json!({"Ref": "Task"})),
            "C": service(serde_json::json!("arn:aws:ecs:us-east-1:1:task-definition/x:1"))
        }});
        let stack = ironcdk_template::load::load_template("S", ironcdk_template::Environment::region("us-east-1"), &t).unwrap();
        let app = PreparedApp::new(vec![stack], Vec::new());
        let net = Network::derive(&app, &Resolver::new(&app, &[]));
        let of = |id: &str| net.workloads.iter().find(|w| w.key.logical_id == id).unwrap();
        for id in ["A", "B"] {
            let w = of(id);
            assert_eq!(w.containers.len(), 1, "{id}");
            assert_eq!(w.containers[0].name, "web", "{id}");
            assert_eq!((w.size, w.network_mode.as_deref()), (Some((256, 512)), Some("awsvpc")), "{id}");
        }
        assert!(of("C").containers.is_empty() && of("C").size.is_none());
    }

    #[test]
    fn service_short_names() {
        let lit = |s: &str| service_short_name(0, None, &Resolved::Literal(s.into()));
        assert_eq!(lit("com.amazonaws.us-east-1.ecr.api").as_deref(), Some("ecr.api"));
        assert_eq!(lit("com.amazonaws.ap-northeast-1.s3").as_deref(), Some("s3"));
        let join = Value::Join(Default::default(), Box::new(vec![Value::Str("com.amazonaws.".into()), Value::Pseudo(ironcdk_template::value::Pseudo::Region), Value::Str(".ecr.dkr".into())]));
        assert_eq!(service_short_name(0, Some(&join), &Resolved::Unknown(String::new())).as_deref(), Some("ecr.dkr"));
        let sub = Value::Sub("com.amazonaws.${AWS::Region}.logs".into(), Box::default());
        assert_eq!(service_short_name(0, Some(&sub), &Resolved::Unknown(String::new())).as_deref(), Some("logs"));
    }
}
