//! `FargateTaskDefinition` and its containers.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;
use ironcdk_synth::{AsScope, Map, Result, Scope, ToValue, Val, Value};

use super::generated::cfn_task_definition as l1;
use super::generated::*;
use crate::ecr::Repository;
use crate::iam::{Principal, Role, RoleProps};
use crate::logs::{LogGroup, LogGroupProps, RetentionDays};

/// The CPU and memory combinations Fargate accepts (CPU units → allowed MiB).
pub fn fargate_memory_options(cpu: u32) -> Option<Vec<u32>> {
    let range = |from: u32, to: u32, step: u32| (from..=to).step_by(step as usize).collect::<Vec<u32>>();
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => range(1024, 4096, 1024),
        1024 => range(2048, 8192, 1024),
        2048 => range(4096, 16384, 1024),
        4096 => range(8192, 30720, 1024),
        8192 => range(16384, 61440, 4096),
        16384 => range(32768, 122880, 8192),
        _ => return None,
    })
}

/// CPU architecture of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuArchitecture {
    /// x86_64
    X86_64,
    /// ARM64 (Graviton)
    Arm64,
}

/// Options of a [`FargateTaskDefinition`].
#[derive(Clone)]
#[non_exhaustive]
pub struct FargateTaskDefinitionProps {
    /// CPU units (default 256).
    pub cpu: u32,
    /// Memory in MiB (default 512).
    pub memory_limit_mib: u32,
    /// Role the ECS agent uses to pull images and write logs (default: created when needed).
    pub execution_role: Option<Role>,
    /// Role the containers run as (default: created).
    pub task_role: Option<Role>,
    /// Family (default: a unique name from the construct path).
    pub family: Option<String>,
    /// CPU architecture (default: AWS's, x86_64).
    pub cpu_architecture: Option<CpuArchitecture>,
}

impl Default for FargateTaskDefinitionProps {
    fn default() -> Self {
        FargateTaskDefinitionProps { cpu: 256, memory_limit_mib: 512, execution_role: None, task_role: None, family: None, cpu_architecture: None }
    }
}

impl FargateTaskDefinitionProps {
    /// 0.25 vCPU, 512 MiB.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets CPU units.
        set cpu: u32;
        /// Sets memory.
        set memory_limit_mib: u32;
        /// Uses this execution role.
        some execution_role: Role;
        /// Uses this task role.
        some task_role: Role;
        /// Sets the family.
        into family: String;
        /// Sets the CPU architecture.
        some cpu_architecture: CpuArchitecture;
    }
}

/// Where a container image comes from.
#[derive(Clone)]
pub enum ContainerImage {
    /// An ECR repository of this app and a tag; pulling it grants the execution role access.
    Ecr(Repository, String),
    /// Any registry image by name, such as `public.ecr.aws/nginx/nginx:1.27`.
    Registry(String),
}

impl ContainerImage {
    /// An image from an ECR repository.
    pub fn from_ecr_repository(repository: &Repository, tag: &str) -> Self {
        ContainerImage::Ecr(repository.clone(), tag.to_string())
    }
    /// An image by name.
    pub fn from_registry(name: impl Into<String>) -> Self {
        ContainerImage::Registry(name.into())
    }
}

/// Options of the `awslogs` log driver.
#[derive(Clone)]
#[non_exhaustive]
pub struct AwsLogDriverProps {
    /// Log stream prefix.
    pub stream_prefix: String,
    /// Retention of the log group created for the container (default: never expire, as CDK).
    pub log_retention: Option<RetentionDays>,
    /// An existing log group instead of a created one.
    pub log_group: Option<LogGroup>,
}

impl AwsLogDriverProps {
    /// Logs with `stream_prefix` to a log group created for the container.
    pub fn new(stream_prefix: impl Into<String>) -> Self {
        AwsLogDriverProps { stream_prefix: stream_prefix.into(), log_retention: None, log_group: None }
    }
    setters! {
        /// Sets the retention of the created log group (set on the log group itself: no
        /// log-retention Lambda function).
        some log_retention: RetentionDays;
        /// Uses an existing log group.
        cloned log_group: LogGroup;
    }
}

/// How a container logs.
#[derive(Clone)]
pub enum LogDriver {
    /// CloudWatch Logs through the `awslogs` driver.
    AwsLogs(AwsLogDriverProps),
}

impl LogDriver {
    /// The `awslogs` driver (CDK's `LogDriver.awsLogs`).
    pub fn aws_logs(props: AwsLogDriverProps) -> Self {
        LogDriver::AwsLogs(props)
    }
}

/// The protocol of a container port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortProtocol {
    /// `tcp`
    Tcp,
    /// `udp`
    Udp,
}

impl PortProtocol {
    /// `tcp` or `udp`, as ECS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PortProtocol::Tcp => "tcp",
            PortProtocol::Udp => "udp",
        }
    }
}

/// A container port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortMapping {
    /// Port in the container (on Fargate also the host port).
    pub container_port: u16,
    /// TCP (default) or UDP.
    pub protocol: PortProtocol,
}

impl PortMapping {
    /// A TCP port.
    pub fn tcp(container_port: u16) -> Self {
        PortMapping { container_port, protocol: PortProtocol::Tcp }
    }
    /// A UDP port.
    pub fn udp(container_port: u16) -> Self {
        PortMapping { container_port, protocol: PortProtocol::Udp }
    }
}

/// Checks an ECS name (cluster, family, container): 1 to 255 letters, digits, `-` and `_`.
pub(crate) fn check_ecs_name(scope: &Scope, what: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty() && name.len() <= 255 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(scope.error(format!("{what} '{name}' is invalid: ECS takes 1 to 255 letters, digits, '-' and '_'")))
    }
}

/// A secret given to a container as an environment variable (CDK's `ecs.Secret`): ECS reads it
/// when the task starts, with the execution role, which is granted the read.
#[derive(Clone)]
pub struct Secret {
    value_from: Val<String>,
    source: SecretSource,
}

#[derive(Clone)]
enum SecretSource {
    SecretsManager(crate::secretsmanager::Secret),
    Parameter(crate::ssm::StringParameter),
}

impl Secret {
    /// A Secrets Manager secret's whole value, or one field of its JSON value (CDK's
    /// `Secret.fromSecretsManager(secret, field)`).
    pub fn from_secrets_manager(secret: &crate::secretsmanager::Secret, field: Option<&str>) -> Self {
        let value_from = match field {
            Some(f) => ironcdk_synth::fns::join("", [secret.secret_arn(), format!(":{f}::").into()]),
            None => secret.secret_arn(),
        };
        Secret { value_from, source: SecretSource::SecretsManager(secret.clone()) }
    }

    /// A Parameter Store parameter (CDK's `Secret.fromSsmParameter`).
    pub fn from_ssm_parameter(parameter: &crate::ssm::StringParameter) -> Self {
        Secret { value_from: parameter.parameter_arn(), source: SecretSource::Parameter(parameter.clone()) }
    }

    /// Lets `role` read the secret.
    fn grant_read(&self, role: &Role) -> Result<()> {
        match &self.source {
            SecretSource::SecretsManager(s) => s.grant_read(role),
            SecretSource::Parameter(p) => p.grant_read(role),
        }
    }
}

/// A container's own health check (CDK's `ecs.HealthCheck`), run by ECS inside the container.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HealthCheck {
    /// The command; without `CMD` or `CMD-SHELL` first, it runs in a shell (`CMD-SHELL`).
    pub command: Vec<String>,
    /// Seconds between checks (5 to 300, default 30).
    pub interval: Option<ironcdk_synth::Duration>,
    /// Seconds a check may take (2 to 60, default 5).
    pub timeout: Option<ironcdk_synth::Duration>,
    /// Failures before the container is unhealthy (1 to 10, default 3).
    pub retries: Option<u32>,
    /// Grace before failures count (0 to 300 seconds).
    pub start_period: Option<ironcdk_synth::Duration>,
}

impl HealthCheck {
    /// A check running `command`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(command: I) -> Self {
        HealthCheck { command: command.into_iter().map(Into::into).collect(), interval: None, timeout: None, retries: None, start_period: None }
    }
    setters! {
        /// Sets the interval.
        some interval: ironcdk_synth::Duration;
        /// Sets the timeout.
        some timeout: ironcdk_synth::Duration;
        /// Sets the retries.
        some retries: u32;
        /// Sets the start period.
        some start_period: ironcdk_synth::Duration;
    }

    /// What ECS refuses, as a message.
    fn check(&self) -> std::result::Result<(), String> {
        if self.command.is_empty() || matches!(self.command.as_slice(), [c] if c == "CMD" || c == "CMD-SHELL") {
            return Err("a container health check needs a command, such as [\"curl -f http://localhost/ || exit 1\"]".into());
        }
        let range = |what: &str, v: Option<u64>, lo: u64, hi: u64| match v {
            Some(v) if !(lo..=hi).contains(&v) => Err(format!("container health check {what} is {v}; ECS accepts {lo} to {hi}")),
            _ => Ok(()),
        };
        range("interval (seconds)", self.interval.map(|d| d.to_seconds()), 5, 300)?;
        range("timeout (seconds)", self.timeout.map(|d| d.to_seconds()), 2, 60)?;
        range("retries", self.retries.map(u64::from), 1, 10)?;
        range("start period (seconds)", self.start_period.map(|d| d.to_seconds()), 0, 300)
    }

    /// As CDK renders it: the defaults written, `CMD-SHELL` put first when no form is given.
    fn render(&self) -> l1::HealthCheck {
        let mut command = Vec::with_capacity(self.command.len().saturating_add(1));
        if !matches!(self.command.first().map(String::as_str), Some("CMD" | "CMD-SHELL")) {
            command.push("CMD-SHELL".to_string());
        }
        command.extend(self.command.iter().cloned());
        let secs = |d: Option<ironcdk_synth::Duration>, default: i64| d.and_then(|d| i64::try_from(d.to_seconds()).ok()).unwrap_or(default);
        let mut h = l1::HealthCheck::new()
            .command(command)
            .interval(secs(self.interval, 30))
            .retries(i64::from(self.retries.unwrap_or(3)))
            .timeout(secs(self.timeout, 5));
        if let Some(p) = self.start_period.and_then(|d| i64::try_from(d.to_seconds()).ok()) {
            h = h.start_period(p);
        }
        h
    }
}

/// Options of a container.
#[derive(Clone)]
#[non_exhaustive]
pub struct ContainerDefinitionOptions {
    /// Image.
    pub image: ContainerImage,
    /// Logging.
    pub logging: Option<LogDriver>,
    /// Port mappings.
    pub port_mappings: Vec<PortMapping>,
    /// Environment variables (a value may be a token: a table's name, a database's address).
    pub environment: IndexMap<String, Val<String>>,
    /// Essential (default true).
    pub essential: bool,
    /// Command.
    pub command: Vec<String>,
    /// Hard memory limit in MiB.
    pub memory_limit_mib: Option<u32>,
    /// Secrets as environment variables, by name.
    pub secrets: IndexMap<String, Secret>,
    /// The container's own health check.
    pub health_check: Option<HealthCheck>,
}

impl ContainerDefinitionOptions {
    /// An essential container running `image`.
    pub fn new(image: ContainerImage) -> Self {
        ContainerDefinitionOptions {
            image,
            logging: None,
            port_mappings: Vec::new(),
            environment: IndexMap::new(),
            essential: true,
            command: Vec::new(),
            memory_limit_mib: None,
            secrets: IndexMap::new(),
            health_check: None,
        }
    }
    /// Sets the container's health check.
    pub fn health_check(mut self, h: HealthCheck) -> Self {
        self.health_check = Some(h);
        self
    }
    /// Adds a secret as the environment variable `name`.
    pub fn secret(mut self, name: impl Into<String>, secret: Secret) -> Self {
        self.secrets.insert(name.into(), secret);
        self
    }
    /// Sets logging.
    pub fn logging(mut self, l: LogDriver) -> Self {
        self.logging = Some(l);
        self
    }
    /// Adds port mappings.
    pub fn port_mappings(mut self, p: Vec<PortMapping>) -> Self {
        self.port_mappings.extend(p);
        self
    }
    /// Adds an environment variable.
    pub fn environment(mut self, k: impl Into<String>, v: impl Into<Val<String>>) -> Self {
        self.environment.insert(k.into(), v.into());
        self
    }
    /// Sets essential.
    pub fn essential(mut self, e: bool) -> Self {
        self.essential = e;
        self
    }
    /// Sets the command.
    pub fn command<I: IntoIterator<Item = S>, S: Into<String>>(mut self, c: I) -> Self {
        self.command = c.into_iter().map(Into::into).collect();
        self
    }
    /// Sets the memory limit.
    pub fn memory_limit_mib(mut self, m: u32) -> Self {
        self.memory_limit_mib = Some(m);
        self
    }
}

/// A container, as the model keeps it.
#[derive(Clone, Debug)]
pub(crate) struct ContainerModel {
    /// Container name (its construct id).
    pub name: String,
    /// Image (a token for ECR images).
    pub image: Val<String>,
    /// Port mappings.
    pub port_mappings: Vec<PortMapping>,
    /// Essential.
    pub essential: bool,
    environment: IndexMap<String, Val<String>>,
    command: Vec<String>,
    memory_limit_mib: Option<u32>,
    log_group: Option<Val<String>>,
    stream_prefix: Option<String>,
    /// The region logs go to.
    log_region: Val<String>,
    /// Secrets: environment variable name and where ECS reads the value.
    secrets: Vec<(String, Val<String>)>,
    /// The container's health check.
    health_check: Option<HealthCheck>,
}

/// A task definition's size and containers, from which its template entry is made.
#[derive(Debug)]
pub(crate) struct TaskDefinitionModel {
    /// CPU units.
    pub cpu: u32,
    /// Memory MiB.
    pub memory_mib: u32,
    /// Containers.
    pub containers: RefCell<Vec<ContainerModel>>,
}

/// A Fargate task definition.
///
/// ```
/// use ironcdk_constructs::ecs::*;
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let td = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new().cpu(256).memory_limit_mib(512)).unwrap();
/// td.add_container("web", ContainerDefinitionOptions::new(ContainerImage::from_registry("nginx"))
///     .port_mappings(vec![PortMapping::tcp(80)])).unwrap();
/// assert!(FargateTaskDefinition::new(&stack, "Bad", FargateTaskDefinitionProps::new().cpu(256).memory_limit_mib(4096)).is_err());
/// ```
#[derive(Clone)]
pub struct FargateTaskDefinition {
    scope: Scope,
    resource: CfnTaskDefinition,
    model: Rc<TaskDefinitionModel>,
    execution_role: Rc<RefCell<Option<Role>>>,
    task_role: Role,
    rule_target: Rc<RefCell<Option<RuleTargetParts>>>,
}

/// What every EventBridge target running this task definition shares, as in CDK: the
/// `EventsRole` allowed to run it and the `SecurityGroup` its tasks get by default.
#[derive(Clone)]
pub(crate) struct RuleTargetParts {
    pub(crate) events_role: Role,
    pub(crate) security_group: Option<crate::ec2::SecurityGroup>,
}

impl AsScope for FargateTaskDefinition {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl FargateTaskDefinition {
    /// Creates the task definition, checking CPU and memory against Fargate's combinations.
    pub fn new(scope: &impl AsScope, id: &str, props: FargateTaskDefinitionProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.ecs.FargateTaskDefinition")?;
        match fargate_memory_options(props.cpu) {
            None => {
                return Err(scope.error(format!("cpu {} is not a Fargate size; use 256, 512, 1024, 2048, 4096, 8192 or 16384", props.cpu)));
            }
            Some(allowed) if !allowed.contains(&props.memory_limit_mib) => {
                let list: Vec<String> = allowed.iter().map(u32::to_string).collect();
                return Err(scope.error(format!(
                    "memory {} MiB is not allowed with cpu {} on Fargate; use one of {}",
                    props.memory_limit_mib,
                    props.cpu,
                    list.join(", ")
                )));
            }
            Some(_) => {}
        }
        let task_role = match props.task_role.clone() {
            Some(r) => r,
            None => Role::new(&scope, "TaskRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?,
        };
        let model = Rc::new(TaskDefinitionModel { cpu: props.cpu, memory_mib: props.memory_limit_mib, containers: RefCell::new(Vec::new()) });
        let execution_role = Rc::new(RefCell::new(props.execution_role.clone()));
        if let Some(f) = &props.family {
            check_ecs_name(&scope, "family", f)?;
        }
        let family = props.family.clone().unwrap_or_else(|| scope.unique_id());
        let (m, er, tr) = (model.clone(), execution_role.clone(), task_role.role_arn());
        let arch = props.cpu_architecture;
        let resource = CfnTaskDefinition::new_lazy(&scope, "Resource", move || {
            let containers: Vec<l1::ContainerDefinition> = m.containers.borrow().iter().map(container_l1).collect();
            let mut p = CfnTaskDefinitionProps::new()
                .container_definitions(containers)
                .cpu(m.cpu.to_string())
                .family(family.clone())
                .memory(m.memory_mib.to_string())
                .network_mode(l1::TaskDefinitionNetworkMode::Awsvpc)
                .requires_compatibilities(vec![l1::TaskDefinitionRequiresCompatibilities::Fargate])
                .task_role_arn(tr.clone());
            if let Some(r) = er.borrow().as_ref() {
                p = p.execution_role_arn(r.role_arn());
            }
            if let Some(a) = arch {
                p = p.runtime_platform(l1::RuntimePlatform::new().cpu_architecture(match a {
                    CpuArchitecture::X86_64 => l1::RuntimePlatformCpuArchitecture::X8664,
                    CpuArchitecture::Arm64 => l1::RuntimePlatformCpuArchitecture::Arm64,
                }).operating_system_family(l1::RuntimePlatformOperatingSystemFamily::Linux));
            }
            p
        })?;
        let m = model.clone();
        scope.add_validation(move || {
            if m.containers.borrow().is_empty() {
                vec!["the task definition has no containers; add one with add_container".into()]
            } else {
                Vec::new()
            }
        });
        Ok(FargateTaskDefinition { scope, resource, model, execution_role, task_role, rule_target: Rc::default() })
    }

    /// The model.
    pub(crate) fn model(&self) -> &Rc<TaskDefinitionModel> {
        &self.model
    }

    /// `Ref` (the ARN).
    pub fn task_definition_arn(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The task role.
    pub fn task_role(&self) -> &Role {
        &self.task_role
    }

    /// The execution role, if the task definition has one (given, or created for ECR images
    /// and awslogs logging).
    pub fn execution_role(&self) -> Option<Role> {
        self.execution_role.borrow().clone()
    }

    /// The parts rule targets share (see [`RuleTargetParts`]), if a target made them.
    pub(crate) fn rule_target(&self) -> Option<RuleTargetParts> {
        self.rule_target.borrow().clone()
    }

    /// Remembers the parts rule targets share.
    pub(crate) fn set_rule_target(&self, parts: RuleTargetParts) {
        *self.rule_target.borrow_mut() = Some(parts);
    }

    /// The execution role, created (as `ExecutionRole`) on first use.
    pub fn obtain_execution_role(&self) -> Result<Role> {
        if let Some(r) = self.execution_role.borrow().as_ref() {
            return Ok(r.clone());
        }
        let role = Role::new(&self.scope, "ExecutionRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
        *self.execution_role.borrow_mut() = Some(role.clone());
        Ok(role)
    }

    /// Adds a container; its construct id is its name. An ECR image grants the execution role
    /// pull access; `awslogs` logging creates a log group (with its retention set on it) and
    /// grants the execution role write access.
    pub fn add_container(&self, id: &str, options: ContainerDefinitionOptions) -> Result<ContainerDefinition> {
        let cscope = self.scope.child(id, "ironcdk.ecs.ContainerDefinition")?;
        check_ecs_name(&cscope, "container name", id)?;
        if let Some(m) = options.memory_limit_mib {
            let task = self.model.memory_mib;
            let others: u32 = self.model.containers.borrow().iter().filter_map(|c| c.memory_limit_mib).fold(0, u32::saturating_add);
            if m == 0 {
                return Err(cscope.error("container memory 0 MiB is invalid; give at least 6 MiB, or leave it unset to share the task's memory"));
            }
            if m.saturating_add(others) > task {
                return Err(cscope.error(format!(
                    "container memory {m} MiB (with {others} MiB of the other containers) is more than the task's {task} MiB; lower it or raise the task's memory_limit_mib"
                )));
            }
        }
        let image = match &options.image {
            ContainerImage::Ecr(repo, tag) => {
                repo.grant_pull(&self.obtain_execution_role()?)?;
                repo.repository_uri_for_tag(tag)
            }
            ContainerImage::Registry(name) => {
                if name.is_empty() {
                    return Err(cscope.error("image name is empty"));
                }
                Val::from(name.as_str())
            }
        };
        if let Some(h) = &options.health_check {
            h.check().map_err(|m| cscope.error(m))?;
        }
        let (mut log_group, mut stream_prefix) = (None, None);
        if let Some(LogDriver::AwsLogs(l)) = &options.logging {
            let group = match &l.log_group {
                Some(g) => g.clone(),
                None => LogGroup::new(&cscope, "LogGroup", LogGroupProps::new().retention(l.log_retention.unwrap_or(RetentionDays::Infinite)))?,
            };
            group.grant_write(&self.obtain_execution_role()?)?;
            log_group = Some(group.log_group_name());
            stream_prefix = Some(l.stream_prefix.clone());
        }
        // As CDK: the execution role reads each secret, after the logs' grant.
        for (name, secret) in &options.secrets {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(cscope.error(format!("secret name '{name}' must be an environment variable name: letters, digits and _, not starting with a digit")));
            }
            if options.environment.contains_key(name) {
                return Err(cscope.error(format!("'{name}' is both an environment variable and a secret; ECS refuses one name twice")));
            }
            secret.grant_read(&self.obtain_execution_role()?)?;
        }
        let c = ContainerModel {
            name: id.to_string(),
            image,
            port_mappings: Vec::new(),
            essential: options.essential,
            environment: options.environment,
            command: options.command,
            memory_limit_mib: options.memory_limit_mib,
            log_group,
            stream_prefix,
            // As CDK: the stack's region, a literal when the stack has one.
            log_region: cscope.region_value(),
            secrets: options.secrets.iter().map(|(k, v)| (k.clone(), v.value_from.clone())).collect(),
            health_check: options.health_check,
        };
        if self.model.containers.borrow().iter().any(|x| x.name == c.name) {
            return Err(cscope.error("a container with this name already exists in the task definition"));
        }
        let index = self.model.containers.borrow().len();
        crate::small::push(&mut self.model.containers.borrow_mut(), c);
        let container = ContainerDefinition { scope: cscope, model: self.model.clone(), index };
        for p in options.port_mappings {
            container.add_port_mappings(p)?;
        }
        Ok(container)
    }
}

fn container_l1(c: &ContainerModel) -> l1::ContainerDefinition {
    let mut d = l1::ContainerDefinition::new(c.image.clone(), c.name.clone()).essential(c.essential);
    if !c.environment.is_empty() {
        d = d.environment(c.environment.iter().map(|(k, v)| l1::KeyValuePair::new().name(k.clone()).value(v.clone())).collect::<Vec<_>>());
    }
    if !c.command.is_empty() {
        d = d.command(c.command.iter().map(|s| Val::from(s.as_str())).collect::<Vec<_>>());
    }
    if let Some(m) = c.memory_limit_mib {
        d = d.memory(m);
    }
    if let (Some(group), Some(prefix)) = (&c.log_group, &c.stream_prefix) {
        let mut opts = Map::with_capacity(3);
        opts.insert("awslogs-group", group.to_value());
        opts.insert("awslogs-stream-prefix", Value::Str(prefix.into()));
        opts.insert("awslogs-region", c.log_region.to_value());
        d = d.log_configuration(l1::LogConfiguration::new("awslogs").options(Value::Map(opts)));
    }
    if let Some(h) = &c.health_check {
        d = d.health_check(h.render());
    }
    if !c.secrets.is_empty() {
        d = d.secrets(c.secrets.iter().map(|(k, v)| l1::Secret::new(k.clone(), v.clone())).collect::<Vec<_>>());
    }
    if !c.port_mappings.is_empty() {
        d = d.port_mappings(
            c.port_mappings
                .iter()
                .map(|p| {
                    l1::PortMapping::new().container_port(p.container_port).protocol(match p.protocol {
                        PortProtocol::Tcp => l1::PortMappingProtocol::Tcp,
                        PortProtocol::Udp => l1::PortMappingProtocol::Udp,
                    })
                })
                .collect::<Vec<_>>(),
        );
    }
    d
}

/// A container of a task definition.
#[derive(Clone)]
pub struct ContainerDefinition {
    scope: Scope,
    model: Rc<TaskDefinitionModel>,
    index: usize,
}

impl AsScope for ContainerDefinition {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ContainerDefinition {
    /// The container name.
    pub fn container_name(&self) -> String {
        self.model.containers.borrow().get(self.index).map(|c| c.name.clone()).unwrap_or_default()
    }

    /// Adds a port mapping (each port once).
    pub fn add_port_mappings(&self, p: PortMapping) -> Result<()> {
        if p.container_port == 0 {
            return Err(self.scope.error("container port must be 1 to 65535"));
        }
        let mut cs = self.model.containers.borrow_mut();
        let Some(c) = cs.get_mut(self.index) else { return Err(self.scope.error("the container is not in its task definition")) };
        if c.port_mappings.iter().any(|x| x.container_port == p.container_port && x.protocol == p.protocol) {
            return Err(self.scope.error(format!("port {}/{} is already mapped", p.container_port, p.protocol.as_str())));
        }
        c.port_mappings.push(p);
        Ok(())
    }
}
