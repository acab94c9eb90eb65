//! `Rule` on a schedule, and the ECS task target (CDK's `events.Rule` and
//! `targets.EcsTask`).

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Duration, Result, Scope, Val, Value};

use super::generated::cfn_rule as l1;
use super::generated::*;
use crate::ec2::{SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType};
use crate::ecs::task_definition::RuleTargetParts;
use crate::ecs::{Cluster, FargateTaskDefinition};
use crate::iam::{PolicyStatement, Principal, Role, RoleProps};

/// When a rule fires: `rate(...)` or `cron(...)`. A schedule EventBridge would refuse is
/// reported by [`Rule::new`], naming the rule; [`Schedule::check`] asks earlier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    expression: String,
    problem: Option<String>,
}

impl Schedule {
    /// Every `every` (whole minutes, at least one; CDK's `Schedule.rate`): `rate(5 minutes)`,
    /// `rate(1 hour)`, `rate(2 days)`.
    pub fn rate(every: Duration) -> Schedule {
        let s = every.to_seconds();
        if s == 0 || !s.is_multiple_of(60) {
            return Schedule {
                expression: format!("rate({s} seconds)"),
                problem: Some(format!("a rate must be a whole number of minutes, at least 1; got {s} seconds")),
            };
        }
        let minutes = s / 60;
        let (n, unit) = if minutes.is_multiple_of(1440) {
            (minutes / 1440, "day")
        } else if minutes.is_multiple_of(60) {
            (minutes / 60, "hour")
        } else {
            (minutes, "minute")
        };
        let plural = if n == 1 { "" } else { "s" };
        Schedule { expression: format!("rate({n} {unit}{plural})"), problem: None }
    }

    /// A cron expression of EventBridge's six fields (`0/5 * * * ? *`), read the way
    /// EventBridge reads it (one of day-of-month and day-of-week must be `?`).
    pub fn cron(fields: &str) -> Schedule {
        Self::expression(&format!("cron({})", fields.trim()))
    }

    /// A whole expression, `rate(...)` or `cron(...)`.
    pub fn expression(expr: &str) -> Schedule {
        let problem = ironcdk_synth::cost::schedule::runs_per_month(expr).err();
        Schedule { expression: expr.trim().to_string(), problem }
    }

    /// Why EventBridge would refuse this schedule, if it would.
    pub fn check(&self) -> std::result::Result<(), String> {
        match &self.problem {
            Some(p) => Err(p.clone()),
            None => Ok(()),
        }
    }

    /// The expression as EventBridge takes it.
    pub fn expression_string(&self) -> &str {
        &self.expression
    }
}

/// Which events a rule matches (CDK's `events.EventPattern`), each field a list of values any
/// of which matches; `detail` is matched as EventBridge's pattern syntax, as JSON.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct EventPattern {
    /// `source` (`aws.s3`, `my.app`).
    pub source: Vec<String>,
    /// `detail-type` (`Object Created`).
    pub detail_type: Vec<String>,
    /// `detail`: a JSON object of field patterns.
    pub detail: Option<serde_json::Value>,
    /// `account`.
    pub account: Vec<String>,
    /// `region`.
    pub region: Vec<String>,
    /// `resources` (ARNs; tokens such as a bucket's ARN too).
    pub resources: Vec<Val<String>>,
    /// Fields of `detail` by dotted path (`bucket.name`), each with the values it matches
    /// (tokens such as a bucket's name too), merged into `detail`.
    pub detail_fields: Vec<(String, Vec<Val<String>>)>,
}

impl EventPattern {
    /// Events from any of `sources`.
    pub fn source<I: IntoIterator<Item = S>, S: Into<String>>(sources: I) -> Self {
        EventPattern { source: sources.into_iter().map(Into::into).collect(), ..Default::default() }
    }
    /// Adds detail types.
    pub fn detail_type<I: IntoIterator<Item = S>, S: Into<String>>(mut self, types: I) -> Self {
        self.detail_type.extend(types.into_iter().map(Into::into));
        self
    }
    /// Matches `detail` against this JSON object.
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }
    /// Adds accounts.
    pub fn account<I: IntoIterator<Item = S>, S: Into<String>>(mut self, accounts: I) -> Self {
        self.account.extend(accounts.into_iter().map(Into::into));
        self
    }
    /// Adds regions.
    pub fn region<I: IntoIterator<Item = S>, S: Into<String>>(mut self, regions: I) -> Self {
        self.region.extend(regions.into_iter().map(Into::into));
        self
    }
    /// Adds resource ARNs.
    pub fn resources<I: IntoIterator<Item = S>, S: Into<Val<String>>>(mut self, arns: I) -> Self {
        self.resources.extend(arns.into_iter().map(Into::into));
        self
    }
    /// Matches the `detail` field at `path` (`bucket.name`) against `values` (CDK's
    /// `detail: { bucket: { name: [bucket.bucketName] } }`).
    pub fn detail_field<I: IntoIterator<Item = S>, S: Into<Val<String>>>(mut self, path: impl Into<String>, values: I) -> Self {
        self.detail_fields.push((path.into(), values.into_iter().map(Into::into).collect()));
        self
    }
    /// The pattern as EventBridge reads it, or why EventBridge would refuse it.
    fn render(&self) -> std::result::Result<Value, String> {
        let mut m = ironcdk_synth::Map::new();
        let list = |v: &[String]| Value::List(v.iter().map(|s| Value::Str(s.into())).collect());
        for (key, values) in [("source", &self.source), ("detail-type", &self.detail_type), ("account", &self.account), ("region", &self.region)] {
            if !values.is_empty() {
                m.insert(key.to_string(), list(values));
            }
        }
        if !self.resources.is_empty() {
            m.insert("resources".to_string(), Value::List(self.resources.iter().map(|r| r.clone().into_value()).collect()));
        }
        let mut detail = match &self.detail {
            Some(d) if !d.is_object() || d.as_object().is_some_and(serde_json::Map::is_empty) => {
                return Err("its detail must be a non-empty JSON object of field patterns".into());
            }
            Some(d) => Value::from_json(d),
            None => Value::Map(ironcdk_synth::Map::new()),
        };
        for (path, values) in &self.detail_fields {
            put_detail_field(&mut detail, path, values)?;
        }
        if matches!(&detail, Value::Map(d) if !d.is_empty()) {
            m.insert("detail".to_string(), detail);
        }
        if m.is_empty() {
            return Err("it matches nothing: give a source, detail type, detail, account, region or resource".into());
        }
        Ok(Value::Map(m))
    }
}

/// Puts the values a detail field matches at `path` (`bucket.name`) of `detail`, making the
/// objects on the way.
fn put_detail_field(detail: &mut Value, path: &str, values: &[Val<String>]) -> std::result::Result<(), String> {
    let names: Vec<&str> = path.split('.').collect();
    if names.iter().any(|n| n.is_empty()) || values.is_empty() {
        return Err(format!("detail field '{path}' needs a dotted path of names (bucket.name) and at least one value"));
    }
    let mut at = detail;
    for (i, name) in names.iter().enumerate() {
        let Value::Map(m) = at else {
            return Err(format!("detail field '{path}' goes through a value that is not an object"));
        };
        let last = i.saturating_add(1) == names.len();
        if last {
            if m.get(name).is_some() {
                return Err(format!("detail field '{path}' is given twice"));
            }
            m.insert((*name).to_string(), Value::List(values.iter().map(|v| v.clone().into_value()).collect()));
            return Ok(());
        }
        if m.get(name).is_none() {
            m.insert((*name).to_string(), Value::Map(ironcdk_synth::Map::new()));
        }
        match m.get_mut(name) {
            Some(next) => at = next,
            None => return Err(format!("detail field '{path}' could not be placed")),
        }
    }
    Ok(())
}

/// Options of a [`Rule`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct RuleProps {
    /// When it fires.
    pub schedule: Option<Schedule>,
    /// Which events it matches.
    pub event_pattern: Option<EventPattern>,
    /// Description.
    pub description: Option<String>,
    /// Enabled (default true).
    pub enabled: Option<bool>,
}

impl RuleProps {
    /// A rule with no schedule yet.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Fires on `schedule`.
        some schedule: Schedule;
        /// Fires on events matching `pattern`.
        some event_pattern: EventPattern;
        /// Sets the description.
        into description: String;
        /// Enables or disables the rule.
        some enabled: bool;
    }
}

/// An EventBridge rule (`<id>/Resource`, as CDK).
///
/// ```
/// use ironcdk_constructs::events::{Rule, RuleProps, Schedule};
/// use ironcdk_synth::{App, Duration, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let schedule = Schedule::rate(Duration::minutes(5));
/// assert_eq!(schedule.expression_string(), "rate(5 minutes)");
/// Rule::new(&stack, "Every5Minutes", RuleProps::new().schedule(schedule)).unwrap();
/// // Day-of-month or day-of-week must be '?': refused, naming the rule.
/// let bad = Rule::new(&stack, "Mondays", RuleProps::new().schedule(Schedule::cron("0 9 * * MON *"))).err().unwrap();
/// assert!(bad.to_string().contains("Demo/Mondays"));
/// ```
#[derive(Clone)]
pub struct Rule {
    scope: Scope,
    resource: CfnRule,
    targets: Rc<RefCell<Vec<l1::Target>>>,
}

/// Targets EventBridge takes per rule.
const MAX_TARGETS: usize = 5;

impl AsScope for Rule {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Rule {
    /// Creates the rule.
    pub fn new(scope: &impl AsScope, id: &str, props: RuleProps) -> Result<Rule> {
        let scope = scope.scope().child(id, "ironcdk.events.Rule")?;
        if props.schedule.is_none() && props.event_pattern.is_none() {
            return Err(scope.error("a rule needs a schedule or an event pattern (RuleProps::schedule, RuleProps::event_pattern)"));
        }
        if let Some(schedule) = &props.schedule {
            if let Err(problem) = schedule.check() {
                return Err(scope.error(format!("EventBridge would refuse the schedule '{}': {problem}", schedule.expression)));
            }
        }
        let pattern = match &props.event_pattern {
            Some(p) => Some(p.render().map_err(|why| scope.error(format!("EventBridge would refuse the event pattern: {why}")))?),
            None => None,
        };
        let targets: Rc<RefCell<Vec<l1::Target>>> = Rc::new(RefCell::new(Vec::new()));
        let t = targets.clone();
        let resource = CfnRule::new_lazy(&scope, "Resource", move || {
            let mut p = CfnRuleProps::new().state(if props.enabled.unwrap_or(true) { l1::RuleState::Enabled } else { l1::RuleState::Disabled });
            if let Some(schedule) = &props.schedule {
                p = p.schedule_expression(schedule.expression.clone());
            }
            if let Some(pattern) = &pattern {
                p = p.event_pattern(pattern.clone());
            }
            if let Some(d) = &props.description {
                p = p.description(d.clone());
            }
            let targets = t.borrow();
            if !targets.is_empty() {
                p = p.targets(targets.clone());
            }
            p
        })?;
        // A rule without targets is valid (CloudFormation and CDK take it; targets may come
        // later), so it is not refused.
        Ok(Rule { scope, resource, targets })
    }

    /// `Ref` (the rule's name).
    pub fn rule_name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// Runs a Fargate task on each firing (CDK's `targets.EcsTask`). The rule's role (the
    /// task definition's `EventsRole`) may only run this task definition on this cluster and
    /// pass the task's roles; without security groups, one is created for the task
    /// (`SecurityGroup` under the task definition), allowing no inbound traffic.
    pub fn add_ecs_task_target(&self, props: EcsTaskProps) -> Result<()> {
        if self.targets.borrow().len() >= MAX_TARGETS {
            return Err(self.scope.error(format!("the rule has {MAX_TARGETS} targets already, EventBridge's limit per rule; add another rule on the same schedule")));
        }
        if props.task_count == 0 || props.task_count > 10 {
            return Err(self.scope.error(format!("task_count {} is outside the 1 to 10 tasks a rule can start", props.task_count)));
        }
        let td = &props.task_definition;
        let vpc = props.cluster.vpc().ok_or_else(|| self.scope.error("the cluster has no VPC; create it with ClusterProps::new().vpc(&vpc)"))?;
        let selection = props.subnets.clone().unwrap_or_else(|| SubnetSelection::of_type(SubnetType::PrivateWithEgress));
        let public = selection.subnet_type == Some(SubnetType::Public);
        if props.assign_public_ip == Some(true) && !public {
            return Err(self.scope.error("assign_public_ip(true) needs the task in public subnets; select them with .subnets(SubnetSelection::of_type(SubnetType::Public))"));
        }
        let assign_public_ip = props.assign_public_ip.unwrap_or(public);
        let subnets = vpc.select_subnets_for(&self.scope, &selection)?;
        // Like CDK, every target running this task definition shares its `EventsRole` and,
        // unless given groups, its `SecurityGroup`.
        let mut shared = match td.rule_target() {
            Some(parts) => parts,
            None => RuleTargetParts { events_role: Role::new(td, "EventsRole", RoleProps::new(Principal::service("events.amazonaws.com")))?, security_group: None },
        };
        let groups = if props.security_groups.is_empty() {
            let group = match &shared.security_group {
                Some(g) => g.clone(),
                None => SecurityGroup::new(td, "SecurityGroup", SecurityGroupProps::new(vpc))?,
            };
            shared.security_group = Some(group.clone());
            vec![group]
        } else {
            props.security_groups.clone()
        };
        td.set_rule_target(shared.clone());
        let role = shared.events_role;
        role.add_to_policy(
            PolicyStatement::allow()
                .actions(["ecs:RunTask"])
                .resource(td.task_definition_arn())
                .condition(ironcdk_synth::Value::Map(
                    [("ArnEquals", ironcdk_synth::Value::Map([("ecs:cluster", props.cluster.cluster_arn().into_value())].into_iter().collect()))]
                        .into_iter()
                        .collect(),
                )),
        )?;
        // Tasks started by the rule may be tagged (CDK grants this since 2.x).
        role.add_to_policy(PolicyStatement::allow().actions(["ecs:TagResource"]).resource(fns::join(
            "",
            ["arn:".into(), self.scope.partition_value(), ":ecs:".into(), self.scope.region_value(), ":*:task/".into(), props.cluster.cluster_name(), "/*".into()],
        )))?;
        if let Some(exec) = td.execution_role() {
            role.add_to_policy(PolicyStatement::allow().actions(["iam:PassRole"]).resource(exec.role_arn()))?;
        }
        role.add_to_policy(PolicyStatement::allow().actions(["iam:PassRole"]).resource(td.task_role().role_arn()))?;
        let network = l1::NetworkConfiguration::new().aws_vpc_configuration(
            l1::AwsVpcConfiguration::new(subnets.iter().map(|s| s.subnet_id.clone()).collect::<Vec<_>>())
                .assign_public_ip(if assign_public_ip { l1::AwsVpcConfigurationAssignPublicIp::Enabled } else { l1::AwsVpcConfigurationAssignPublicIp::Disabled })
                .security_groups(groups.iter().map(SecurityGroup::security_group_id).collect::<Vec<_>>()),
        );
        let ecs = l1::EcsParameters::new(td.task_definition_arn())
            .launch_type(l1::EcsParametersLaunchType::Fargate)
            .task_count(i64::from(props.task_count))
            .network_configuration(network);
        let id = format!("Target{}", self.targets.borrow().len());
        self.targets.borrow_mut().push(l1::Target::new(props.cluster.cluster_arn(), id).role_arn(role.role_arn()).ecs_parameters(ecs).input("{}"));
        Ok(())
    }

    /// Sends each event to `queue` (CDK's `targets.SqsQueue`), with the queue policy statement
    /// CDK adds: EventBridge may send from this rule or, to a queue with a key of yours, from
    /// this account (and then the key's use, in the key policy). A FIFO queue needs a message
    /// group, and a queue on the AWS managed key `alias/aws/sqs` is refused: EventBridge cannot
    /// use that key, so every delivery would fail.
    pub fn add_sqs_target(&self, queue: &crate::sqs::Queue, props: SqsQueueTargetProps) -> Result<()> {
        if self.targets.borrow().len() >= MAX_TARGETS {
            return Err(self.scope.error(format!("the rule has {MAX_TARGETS} targets already, EventBridge's limit per rule; add another rule on the same schedule")));
        }
        let queue_path = queue.scope().path();
        match (&props.message_group_id, queue.fifo()) {
            (None, true) => return Err(self.scope.error(format!("FIFO queue {queue_path} needs a message group for the events; give SqsQueueTargetProps::message_group_id"))),
            (Some(_), false) => return Err(self.scope.error(format!("queue {queue_path} is not FIFO, and EventBridge takes a message group for FIFO queues only; drop message_group_id"))),
            _ => {}
        }
        if queue.encryption() == Some(crate::sqs::QueueEncryption::KmsManaged) {
            return Err(self.scope.error(format!(
                "queue {queue_path} is encrypted with the AWS managed key alias/aws/sqs, whose policy EventBridge cannot use, so every delivery would fail; use QueueEncryption::Kms (a key of yours) or SQS-managed encryption"
            )));
        }
        let events = Principal::service("events.amazonaws.com");
        let condition = match queue.encryption_master_key() {
            Some(key) => {
                let from_account = crate::object([("StringEquals", crate::object([("aws:SourceAccount", self.scope.account_value().into_value())]))]);
                key.add_to_resource_policy(
                    PolicyStatement::allow().actions(["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"]).principal(events.clone()).resource("*").condition(from_account.clone()),
                );
                from_account
            }
            None => crate::object([("ArnEquals", crate::object([("aws:SourceArn", self.resource.attr_arn().into_value())]))]),
        };
        queue.add_to_resource_policy(
            PolicyStatement::allow().actions(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]).principal(events).resource(queue.queue_arn()).condition(condition),
        )?;
        let id = format!("Target{}", self.targets.borrow().len());
        let mut target = l1::Target::new(queue.queue_arn(), id);
        if let Some(group) = &props.message_group_id {
            target = target.sqs_parameters(l1::SqsParameters::new(group.clone()));
        }
        self.targets.borrow_mut().push(target);
        Ok(())
    }

    /// Invokes a Lambda function on each firing (CDK's `targets.LambdaFunction`), with the
    /// permission for this rule to invoke it (`AllowEventRule<function>` under the rule).
    pub fn add_lambda_target(&self, function: &crate::lambda::Function) -> Result<()> {
        if self.targets.borrow().len() >= MAX_TARGETS {
            return Err(self.scope.error(format!("the rule has {MAX_TARGETS} targets already, EventBridge's limit per rule; add another rule on the same schedule")));
        }
        let permission = format!("AllowEventRule{}", function.scope().unique_id());
        if self.scope.find_child(&permission).is_none() {
            crate::lambda::add_invoke_permission(&self.scope, &permission, function.function_arn(), "events.amazonaws.com", self.resource.attr_arn())?;
        }
        let id = format!("Target{}", self.targets.borrow().len());
        self.targets.borrow_mut().push(l1::Target::new(function.function_arn(), id));
        Ok(())
    }
}

/// Options of an SQS queue target (CDK's `SqsQueueProps`).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct SqsQueueTargetProps {
    /// The message group of the messages, which a FIFO queue needs.
    pub message_group_id: Option<String>,
}

impl SqsQueueTargetProps {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the message group (a FIFO queue needs one).
        into message_group_id: String;
    }
}

/// Options of an ECS task target.
#[derive(Clone)]
#[non_exhaustive]
pub struct EcsTaskProps {
    /// The cluster to run in.
    pub cluster: Cluster,
    /// The task to run.
    pub task_definition: FargateTaskDefinition,
    /// Tasks per firing (1 to 10, default 1).
    pub task_count: u32,
    /// Subnets (default: the private subnets with egress, as CDK's `EcsTask`).
    pub subnets: Option<SubnetSelection>,
    /// Security groups (default: one created for the task).
    pub security_groups: Vec<SecurityGroup>,
    /// Give the task a public IP (default: only in public subnets, as CDK).
    pub assign_public_ip: Option<bool>,
}

impl EcsTaskProps {
    /// Runs one `task_definition` task in `cluster`.
    pub fn new(cluster: &Cluster, task_definition: &FargateTaskDefinition) -> Self {
        EcsTaskProps {
            cluster: cluster.clone(),
            task_definition: task_definition.clone(),
            task_count: 1,
            subnets: None,
            security_groups: Vec::new(),
            assign_public_ip: None,
        }
    }
    setters! {
        /// Tasks per firing.
        set task_count: u32;
        /// Selects subnets.
        some subnets: SubnetSelection;
        /// Uses these security groups.
        set security_groups: Vec<SecurityGroup>;
        /// Gives the task a public IP.
        some assign_public_ip: bool;
    }
}
