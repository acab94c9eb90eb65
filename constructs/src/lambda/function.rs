//! `lambda::Function`, rendered as aws-cdk-lib 2.276 renders `new lambda.Function(...)` in a new
//! project: a `ServiceRole` with `AWSLambdaBasicExecutionRole` unless a role is given, the
//! function waiting for its role, and a `LogGroup` of its own (`/aws/lambda/<name>`, two years,
//! retained) unless a log group is given, which `LoggingConfig` then names.

use std::path::{Path, PathBuf};

use ironcdk_synth::{fns, AsScope, Duration, Map, Result, Scope, Val, Value};

use super::generated::*;
use crate::ec2::{Connections, SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType, Vpc};
use crate::iam::{Grantable, ManagedPolicy, PolicyStatement, Principal, Role, RoleProps};
use crate::logs::{LogGroup, LogGroupProps, RetentionDays};

/// A Lambda runtime (CDK's `lambda.Runtime`): its identifier and whether code can be inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Runtime {
    /// The identifier Lambda uses (`provided.al2023`, `python3.13`).
    pub name: &'static str,
    /// Whether `Code::from_inline` works with it (scripting runtimes only).
    pub supports_inline: bool,
}

impl Runtime {
    /// An OS-only runtime for a `bootstrap` executable: what a Rust function runs on.
    pub const PROVIDED_AL2023: Runtime = Runtime { name: "provided.al2023", supports_inline: false };
    /// The previous OS-only runtime.
    pub const PROVIDED_AL2: Runtime = Runtime { name: "provided.al2", supports_inline: false };
    /// Python 3.13.
    pub const PYTHON_3_13: Runtime = Runtime { name: "python3.13", supports_inline: true };
    /// Python 3.12.
    pub const PYTHON_3_12: Runtime = Runtime { name: "python3.12", supports_inline: true };
    /// Node.js 22.
    pub const NODEJS_22_X: Runtime = Runtime { name: "nodejs22.x", supports_inline: true };
    /// Node.js 20.
    pub const NODEJS_20_X: Runtime = Runtime { name: "nodejs20.x", supports_inline: true };
    /// Java 21.
    pub const JAVA_21: Runtime = Runtime { name: "java21", supports_inline: false };
    /// .NET 8.
    pub const DOTNET_8: Runtime = Runtime { name: "dotnet8", supports_inline: false };
    /// Ruby 3.3.
    pub const RUBY_3_3: Runtime = Runtime { name: "ruby3.3", supports_inline: true };
    /// Whether this is an OS-only (`provided.*`) runtime.
    pub fn is_os_only(&self) -> bool {
        self.name.starts_with("provided")
    }
}

/// The instruction set the function runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Architecture {
    /// x86-64 (Lambda's default; not written, as CDK does not write it).
    #[default]
    X86_64,
    /// Graviton: about 20% cheaper per GB-second.
    Arm64,
}

/// Where the function's code comes from.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Code {
    /// Source text in the template (`ZipFile`), for scripting runtimes, at most 4,096 characters.
    Inline(String),
    /// A zip in S3.
    Bucket { bucket: Val<String>, key: Val<String> },
    /// A local directory or `.zip`/`.jar`, shipped as an asset.
    Asset(PathBuf),
}

impl Code {
    /// Code written into the template (CDK's `Code.fromInline`).
    pub fn from_inline(source: impl Into<String>) -> Code {
        Code::Inline(source.into())
    }
    /// A zip in an S3 bucket (CDK's `Code.fromBucket`), by bucket name and key.
    pub fn from_bucket(bucket_name: impl Into<Val<String>>, key: impl Into<Val<String>>) -> Code {
        Code::Bucket { bucket: bucket_name.into(), key: key.into() }
    }
    /// A local directory, or a `.zip` or `.jar` archive, shipped as an asset (CDK's
    /// `Code.fromAsset`): copied into the assembly under CDK's content hash, published by
    /// `cdk deploy` or by `aws cloudformation package`. Relative paths start at the directory
    /// the program runs in.
    pub fn from_asset(path: impl Into<PathBuf>) -> Code {
        Code::Asset(path.into())
    }
    /// The output `cargo lambda build` wrote for `binary` of the Cargo project at
    /// `project_dir`: `target/lambda/<binary>/bootstrap.zip` (`--output-format zip`) if it is
    /// there, else the directory `target/lambda/<binary>/` holding `bootstrap`. When neither
    /// is there the function's creation fails and says which command builds it.
    pub fn from_cargo_lambda(project_dir: impl AsRef<Path>, binary: &str) -> Code {
        let dir = project_dir.as_ref().join("target").join("lambda").join(binary);
        let zip = dir.join("bootstrap.zip");
        Code::Asset(if zip.is_file() { zip } else { dir })
    }
    /// Runs `cargo lambda build --release --output-format zip --bin <binary>` (with `--arm64`
    /// for Graviton) in `project_dir` and gives its output. Needs cargo-lambda installed
    /// (`cargo install cargo-lambda`, and Zig for cross-compiling); the error says so when it
    /// is missing or the build fails.
    pub fn build_with_cargo_lambda(project_dir: impl AsRef<Path>, binary: &str, architecture: Architecture) -> std::io::Result<Code> {
        let dir = project_dir.as_ref();
        let mut cmd = std::process::Command::new("cargo");
        cmd.args(["lambda", "build", "--release", "--output-format", "zip", "--bin", binary]).current_dir(dir);
        if architecture == Architecture::Arm64 {
            cmd.arg("--arm64");
        }
        let status = cmd.status().map_err(|e| std::io::Error::other(format!("cannot run `cargo lambda` in {}: {e}; install it with `cargo install cargo-lambda`", dir.display())))?;
        if !status.success() {
            return Err(std::io::Error::other(format!("`cargo lambda build --bin {binary}` failed in {} ({status}); is cargo-lambda installed (`cargo lambda --version`)?", dir.display())));
        }
        Ok(Code::from_cargo_lambda(dir, binary))
    }
}

/// Environment variables Lambda reserves; a function may not set them.
const RESERVED_VARIABLES: &[&str] = &[
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
];

/// Options of a [`Function`].
#[derive(Clone)]
#[non_exhaustive]
pub struct FunctionProps {
    /// The runtime.
    pub runtime: Runtime,
    /// The handler (`index.handler`; `bootstrap` for an OS-only runtime, which ignores it).
    pub handler: String,
    /// The code.
    pub code: Code,
    /// Physical name.
    pub function_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Memory in MB (Lambda's default 128 when unset).
    pub memory_size: Option<u32>,
    /// Timeout (Lambda's default 3 seconds when unset).
    pub timeout: Option<Duration>,
    /// Environment variables, in the order given.
    pub environment: Vec<(String, Val<String>)>,
    /// Instruction set.
    pub architecture: Architecture,
    /// The execution role (default: one created, with `AWSLambdaBasicExecutionRole`).
    pub role: Option<Role>,
    /// The log group to write to (default: one created, `/aws/lambda/<name>`, two years).
    pub log_group: Option<LogGroup>,
    /// Concurrency reserved for the function.
    pub reserved_concurrent_executions: Option<u32>,
    /// The VPC to place the function in (its network interfaces in the selected subnets).
    pub vpc: Option<Vpc>,
    /// Which subnets of the VPC (default: CDK's, private with egress, else isolated).
    pub vpc_subnets: Option<SubnetSelection>,
    /// Its security groups in the VPC (default: one created, all outbound allowed).
    pub security_groups: Vec<SecurityGroup>,
    /// Whether the created security group allows all outbound traffic (default: yes).
    pub allow_all_outbound: Option<bool>,
    /// Accepts public subnets, where a function has no internet access (CDK's
    /// `allowPublicSubnet`).
    pub allow_public_subnet: bool,
    /// Where failed asynchronous invocations go (default: nowhere).
    pub dead_letter: Option<super::DeadLetter>,
    /// X-Ray tracing (default: none written, Lambda's off).
    pub tracing: Option<super::Tracing>,
}

impl FunctionProps {
    /// A function of `runtime` running `handler` from `code`.
    pub fn new(runtime: Runtime, handler: impl Into<String>, code: Code) -> Self {
        FunctionProps {
            runtime,
            handler: handler.into(),
            code,
            function_name: None,
            description: None,
            memory_size: None,
            timeout: None,
            environment: Vec::new(),
            architecture: Architecture::X86_64,
            role: None,
            log_group: None,
            reserved_concurrent_executions: None,
            vpc: None,
            vpc_subnets: None,
            security_groups: Vec::new(),
            allow_all_outbound: None,
            allow_public_subnet: false,
            dead_letter: None,
            tracing: None,
        }
    }
    /// Places the function in `vpc`.
    pub fn vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }
    /// Adds an environment variable.
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }
    /// Sends failed asynchronous invocations to `queue` (CDK's `deadLetterQueue`).
    pub fn dead_letter_queue(mut self, queue: &crate::sqs::Queue) -> Self {
        self.dead_letter = Some(super::DeadLetter::Queue(queue.clone()));
        self
    }
    /// Sends failed asynchronous invocations to a queue made for the function, or to none
    /// (CDK's `deadLetterQueueEnabled`).
    pub fn dead_letter_queue_enabled(mut self, enabled: bool) -> Self {
        self.dead_letter = enabled.then_some(super::DeadLetter::NewQueue);
        self
    }
    /// Sends failed asynchronous invocations to `topic` (CDK's `deadLetterTopic`).
    pub fn dead_letter_topic(mut self, topic: &crate::sns::Topic) -> Self {
        self.dead_letter = Some(super::DeadLetter::Topic(topic.clone()));
        self
    }
    setters! {
        /// Sets the physical name.
        into function_name: String;
        /// Sets the description.
        into description: String;
        /// Sets the memory in MB (128 to 10,240).
        some memory_size: u32;
        /// Sets the timeout (1 second to 15 minutes).
        some timeout: Duration;
        /// Sets the instruction set.
        set architecture: Architecture;
        /// Uses this execution role.
        some role: Role;
        /// Writes logs to this log group.
        some log_group: LogGroup;
        /// Reserves concurrency.
        some reserved_concurrent_executions: u32;
        /// Chooses the subnets of the VPC.
        some vpc_subnets: SubnetSelection;
        /// Uses these security groups instead of creating one.
        set security_groups: Vec<SecurityGroup>;
        /// Whether the created security group allows all outbound traffic.
        some allow_all_outbound: bool;
        /// Accepts public subnets (the function still has no internet access there).
        set allow_public_subnet: bool;
        /// Turns X-Ray tracing on (the role may then write traces, as CDK grants).
        some tracing: super::Tracing;
    }
}

/// A Lambda function.
///
/// ```
/// use ironcdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// Function::new(&stack, "Hello", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler",
///     Code::from_inline("def handler(event, context):\n    return 'hello'"))).unwrap();
/// let t = app.synth_in_memory().unwrap().stacks[0].template();
/// let (_, f) = t["Resources"].as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::Lambda::Function").unwrap();
/// assert_eq!(f["Properties"]["Runtime"], "python3.13");
/// ```
#[derive(Clone)]
pub struct Function {
    scope: Scope,
    resource: CfnFunction,
    role: Role,
    name: Option<String>,
    security_groups: Vec<SecurityGroup>,
    current_version: std::rc::Rc<std::cell::RefCell<Option<Version>>>,
    timeout_seconds: u64,
}

/// Options of [`Function::add_sqs_event_source`] (CDK's `SqsEventSourceProps`).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct SqsEventSourceProps {
    /// Messages per invocation (1 to 10, or to 10,000 with a batching window; default 10).
    pub batch_size: Option<u32>,
    /// How long to gather a batch (up to 5 minutes).
    pub max_batching_window: Option<Duration>,
    /// Whether the function reports failed items, so only those are retried.
    pub report_batch_item_failures: bool,
    /// Whether the mapping is enabled (default yes).
    pub enabled: Option<bool>,
}

impl SqsEventSourceProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the batch size.
        some batch_size: u32;
        /// Sets the batching window.
        some max_batching_window: Duration;
        /// Reports failed items.
        set report_batch_item_failures: bool;
        /// Enables or disables the mapping.
        some enabled: bool;
    }
}

/// Where a stream event source starts reading (CDK's `StartingPosition`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StartingPosition {
    /// The oldest record.
    TrimHorizon,
    /// Records written from now on.
    Latest,
}

/// Options of [`Function::add_dynamo_event_source`] (CDK's `DynamoEventSourceProps`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DynamoEventSourceProps {
    /// Where to start reading (required, as in CDK).
    pub starting_position: StartingPosition,
    /// Records per invocation (1 to 10,000; default 100, written as CDK writes it).
    pub batch_size: Option<u32>,
    /// How long to gather a batch (up to 5 minutes).
    pub max_batching_window: Option<Duration>,
    /// Split a failing batch in two and retry.
    pub bisect_batch_on_error: Option<bool>,
    /// Retries of a failing batch (-1 for unlimited, to 10,000).
    pub retry_attempts: Option<i64>,
    /// Oldest record sent (60 s to 7 days, or -1 for no limit).
    pub max_record_age: Option<Duration>,
    /// Batches processed at once per shard (1 to 10).
    pub parallelization_factor: Option<u32>,
    /// Whether the function reports failed items, so only those are retried.
    pub report_batch_item_failures: bool,
    /// Whether the mapping is enabled (default yes).
    pub enabled: Option<bool>,
}

impl DynamoEventSourceProps {
    /// Reading from `starting_position`.
    pub fn new(starting_position: StartingPosition) -> Self {
        DynamoEventSourceProps {
            starting_position,
            batch_size: None,
            max_batching_window: None,
            bisect_batch_on_error: None,
            retry_attempts: None,
            max_record_age: None,
            parallelization_factor: None,
            report_batch_item_failures: false,
            enabled: None,
        }
    }
    setters! {
        /// Sets the batch size.
        some batch_size: u32;
        /// Sets the batching window.
        some max_batching_window: Duration;
        /// Splits failing batches.
        some bisect_batch_on_error: bool;
        /// Sets the retry attempts.
        some retry_attempts: i64;
        /// Sets the oldest record age.
        some max_record_age: Duration;
        /// Sets the parallelization factor.
        some parallelization_factor: u32;
        /// Reports failed items.
        set report_batch_item_failures: bool;
        /// Enables or disables the mapping.
        some enabled: bool;
    }
}

/// A published version of a function (`AWS::Lambda::Version`).
#[derive(Clone)]
pub struct Version {
    resource: CfnVersion,
}

impl Version {
    /// `Fn::GetAtt Version`: the version number.
    pub fn version(&self) -> Val<String> {
        self.resource.attr_version()
    }
    /// `Ref`: the version's ARN.
    pub fn function_arn(&self) -> Val<String> {
        self.resource.ref_()
    }
}

/// A named pointer to a version (`AWS::Lambda::Alias`).
#[derive(Clone)]
pub struct Alias {
    resource: CfnAlias,
}

impl Alias {
    /// `Ref`: the alias's ARN, which callers invoke.
    pub fn function_arn(&self) -> Val<String> {
        self.resource.ref_()
    }
}

/// Options of [`Function::add_alias`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct AliasOptions {
    /// Description.
    pub description: Option<String>,
    /// Instances kept warm for the alias.
    pub provisioned_concurrent_executions: Option<u32>,
}

impl AliasOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the description.
        into description: String;
        /// Keeps instances warm.
        some provisioned_concurrent_executions: u32;
    }
}

/// What CDK's `calculateFunctionHash` hashes of a function (with the recommended flags): its
/// version-locked properties, known ones first in CDK's order and the rest sorted, then the
/// hash of its layers (none: the MD5 of `{}`).
fn version_hash(props: &Map, compact: &dyn Fn(&Value) -> Vec<u8>) -> Vec<u8> {
    const ORDER: [&str; 24] = [
        "Code", "Handler", "Role", "Runtime", "Architectures", "CodeSigningConfigArn", "DeadLetterConfig", "Description", "Environment",
        "EphemeralStorage", "FileSystemConfigs", "FunctionName", "ImageConfig", "KmsKeyArn", "Layers", "MemorySize", "PackageType",
        "ReservedConcurrentExecutions", "RuntimeManagementConfig", "SnapStart", "Tags", "Timeout", "TracingConfig", "VpcConfig",
    ];
    const NOT_LOCKED: [&str; 4] = ["CodeSigningConfigArn", "ReservedConcurrentExecutions", "Tags", "TenancyConfig"];
    let kept: Vec<(&str, &Value)> = props.iter().filter(|(k, v)| !NOT_LOCKED.contains(k) && !matches!(v, Value::Null)).collect();
    let mut out = Map::new();
    for key in ORDER {
        if let Some((k, v)) = kept.iter().find(|(k, _)| *k == key) {
            out.insert(k.to_string(), (*v).clone());
        }
    }
    let mut rest: Vec<&(&str, &Value)> = kept.iter().filter(|(k, _)| !ORDER.contains(k)).collect();
    rest.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    for (k, v) in rest {
        out.insert(k.to_string(), (*v).clone());
    }
    let mut bytes = compact(&Value::Map(out));
    bytes.extend_from_slice(b"99914b932bd37a50b983c5e7c90ae93b");
    bytes
}

impl AsScope for Function {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Function {
    /// Creates the function (and its role and log group unless given). What Lambda would refuse
    /// (memory, timeout, environment names, inline code for a compiled runtime or over 4 KB) is
    /// an error naming the construct.
    pub fn new(scope: &impl AsScope, id: &str, props: FunctionProps) -> Result<Function> {
        let scope = scope.scope().child(id, "ironcdk.lambda.Function")?;
        validate(&scope, &props)?;
        let role = match &props.role {
            Some(r) => r.clone(),
            None => {
                let mut role = RoleProps::new(Principal::service("lambda.amazonaws.com"))
                    .managed_policy(ManagedPolicy::from_aws_managed_policy_name("service-role/AWSLambdaBasicExecutionRole"));
                if props.vpc.is_some() {
                    role = role.managed_policy(ManagedPolicy::from_aws_managed_policy_name("service-role/AWSLambdaVPCAccessExecutionRole"));
                }
                Role::new(&scope, "ServiceRole", role)?
            }
        };
        // As CDK: the dead-letter destination (and its statement in the role's policy) comes
        // before the VPC's security group and the function.
        let dead_letter = props.dead_letter.as_ref().map(|d| d.build(&scope, &role)).transpose()?;
        let (vpc_config, security_groups) = configure_vpc(&scope, &props)?;
        let mut asset = None;
        let code = match &props.code {
            Code::Inline(source) => cfn_function::Code::new().zip_file(source.clone()),
            Code::Bucket { bucket, key } => cfn_function::Code::new().s3bucket(bucket.clone()).s3key(key.clone()),
            Code::Asset(path) => {
                if let Some(hint) = cargo_lambda_hint(path) {
                    return Err(scope.error(hint));
                }
                let location = scope.add_file_asset("Code", path)?;
                check_entry_point(&scope, &props, &location.asset)?;
                let code = cfn_function::Code::new().s3bucket(location.bucket_name.clone()).s3key(location.object_key.clone());
                asset = Some(location.asset);
                code
            }
        };
        let mut p = CfnFunctionProps::new(code, role.role_arn())
            .handler(props.handler.clone())
            .runtime(Val::unchecked(Value::Str(props.runtime.name.into())));
        if props.architecture == Architecture::Arm64 {
            p = p.architectures(Val::unchecked(Value::List(vec![Value::Str("arm64".into())])));
        }
        if let Some(n) = &props.function_name {
            p = p.function_name(n.clone());
        }
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        if !props.environment.is_empty() {
            let mut vars = Map::new();
            for (k, v) in &props.environment {
                vars.insert(k.clone(), v.clone().into_value());
            }
            p = p.environment(cfn_function::Environment::new().variables(Value::Map(vars)));
        }
        if let Some(g) = &props.log_group {
            p = p.logging_config(cfn_function::LoggingConfig::new().log_group(g.log_group_name()));
        }
        if let Some(m) = props.memory_size {
            p = p.memory_size(i64::from(m));
        }
        if let Some(r) = props.reserved_concurrent_executions {
            p = p.reserved_concurrent_executions(i64::from(r));
        }
        if let Some(t) = props.timeout {
            p = p.timeout(i64::try_from(t.to_seconds()).unwrap_or(i64::MAX));
        }
        if let Some(c) = vpc_config {
            p = p.vpc_config(c);
        }
        if let Some(arn) = dead_letter {
            p = p.dead_letter_config(cfn_function::DeadLetterConfig::new().target_arn(arn));
        }
        let mode = match props.tracing {
            Some(super::Tracing::Active) => Some(cfn_function::TracingConfigMode::Active),
            Some(super::Tracing::PassThrough) => Some(cfn_function::TracingConfigMode::PassThrough),
            Some(super::Tracing::Disabled) | None => None,
        };
        if let Some(mode) = mode {
            p = p.tracing_config(cfn_function::TracingConfig::new().mode(mode));
        }
        let resource = CfnFunction::new(&scope, "Resource", p)?;
        if mode.is_some() {
            // As CDK: after the function, the role may write traces.
            role.add_to_policy(PolicyStatement::allow().actions(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]).resource("*"))?;
        }
        if let Some(asset) = asset {
            // What CDK records for SAM CLI's local invoke (`sam local invoke -t <template>`).
            resource.resource().add_metadata("aws:asset:path", asset.staged_name.as_str());
            resource.resource().add_metadata("aws:asset:is-bundled", false);
            resource.resource().add_metadata("aws:asset:property", "Code");
        }
        // As CDK: the function waits for its role (and the role's default policy).
        resource.resource().scope().add_dependency(&role)?;
        if props.log_group.is_none() {
            // CDK's managed log group: named after the function, kept when the stack goes.
            LogGroup::new(&scope, "LogGroup", LogGroupProps::new()
                .log_group_name(fns::join("", ["/aws/lambda/".into(), resource.ref_()]))
                .retention(RetentionDays::TwoYears))?;
        }
        let timeout_seconds = props.timeout.map_or(3, |t| t.to_seconds());
        Ok(Function { scope, resource, role, name: props.function_name.clone(), security_groups, current_version: Default::default(), timeout_seconds })
    }

    /// Runs the function on messages of `queue` (CDK's `addEventSource(new SqsEventSource(..))`):
    /// an `AWS::Lambda::EventSourceMapping` under the function and the grant to consume. What
    /// Lambda refuses is an error naming the function: a batch size out of range, a window over
    /// 5 minutes, and a queue whose visibility timeout is shorter than the function's timeout.
    pub fn add_sqs_event_source(&self, queue: &crate::sqs::Queue, props: SqsEventSourceProps) -> Result<()> {
        let window = props.max_batching_window.map(|w| w.to_seconds());
        if window.is_some_and(|w| w > 300) {
            return Err(self.scope.error("the batching window is over Lambda's 5 minutes"));
        }
        if window.is_some() && queue.fifo() {
            return Err(self.scope.error("a batching window is not supported for FIFO queues; drop it"));
        }
        if let Some(b) = props.batch_size {
            let max = if queue.fifo() || window.is_none() { 10 } else { 10_000 };
            if !(1..=max).contains(&b) {
                return Err(self.scope.error(format!(
                    "batch size {b} is outside 1 to {max} for {} queue{}",
                    if queue.fifo() { "a FIFO" } else { "a standard" },
                    if window.is_none() && !queue.fifo() { " without a batching window" } else { "" }
                )));
            }
        }
        // An imported queue's timeout is not known here: not judged.
        let visibility = queue.known_visibility_timeout_seconds().map(|v| u64::try_from(v).unwrap_or(0));
        if let Some(visibility) = visibility.filter(|v| *v < self.timeout_seconds) {
            return Err(self.scope.error(format!(
                "queue {} hides a received message for {visibility} s, less than the function's {} s timeout; Lambda refuses the mapping: raise the queue's visibility timeout (AWS suggests six times the function's timeout)",
                queue.scope().path(),
                self.timeout_seconds
            )));
        }
        let scope = self.scope.child(&format!("SqsEventSource:{}", queue.scope().unique_id()), "ironcdk.lambda.EventSourceMapping")?;
        let mut p = CfnEventSourceMappingProps::new(self.function_name()).event_source_arn(queue.queue_arn());
        if let Some(b) = props.batch_size {
            p = p.batch_size(i64::from(b));
        }
        if let Some(e) = props.enabled {
            p = p.enabled(e);
        }
        if props.report_batch_item_failures {
            p = p.function_response_types(Val::unchecked(Value::List(vec![Value::Str("ReportBatchItemFailures".into())])));
        }
        if let Some(w) = window {
            p = p.maximum_batching_window_in_seconds(i64::try_from(w).unwrap_or(i64::MAX));
        }
        CfnEventSourceMapping::new(&scope, "Resource", p)?;
        queue.grant_consume_messages(self)
    }

    /// Runs the function on the stream of `table` (CDK's `addEventSource(new
    /// DynamoEventSource(..))`): an `AWS::Lambda::EventSourceMapping` under the function
    /// (`DynamoDBEventSource:<table>`) and the grant to read the stream. What Lambda refuses is
    /// an error naming the function: a table without a stream, and each setting out of range.
    pub fn add_dynamo_event_source(&self, table: &crate::dynamodb::Table, props: DynamoEventSourceProps) -> Result<()> {
        if !table.has_stream() {
            return Err(self.scope.error(format!("table {} has no stream; give it one with TableProps::stream", table.scope().path())));
        }
        let window = props.max_batching_window.map(|w| w.to_seconds());
        let age = props.max_record_age.map(|a| a.to_seconds());
        let problems = [
            (props.batch_size.is_some_and(|b| !(1..=10_000).contains(&b)), "the batch size is outside 1 to 10,000"),
            (window.is_some_and(|w| w > 300), "the batching window is over Lambda's 5 minutes"),
            (props.retry_attempts.is_some_and(|r| !(-1..=10_000).contains(&r)), "the retry attempts are outside -1 to 10,000"),
            (age.is_some_and(|a| !(60..=604_800).contains(&a)), "the maximum record age is outside 60 s to 7 days"),
            (props.parallelization_factor.is_some_and(|p| !(1..=10).contains(&p)), "the parallelization factor is outside 1 to 10"),
        ];
        if let Some((_, why)) = problems.iter().find(|(bad, _)| *bad) {
            return Err(self.scope.error(format!("{why}, which Lambda refuses for a stream event source")));
        }
        let scope = self.scope.child(&format!("DynamoDBEventSource:{}", table.scope().unique_id()), "ironcdk.lambda.EventSourceMapping")?;
        let mut p = CfnEventSourceMappingProps::new(self.function_name()).event_source_arn(table.table_stream_arn()).starting_position(match props.starting_position {
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
            StartingPosition::Latest => "LATEST",
        });
        // As CDK: the batch size is written, 100 unless given.
        p = p.batch_size(i64::from(props.batch_size.unwrap_or(100)));
        if let Some(b) = props.bisect_batch_on_error {
            p = p.bisect_batch_on_function_error(b);
        }
        if let Some(e) = props.enabled {
            p = p.enabled(e);
        }
        if props.report_batch_item_failures {
            p = p.function_response_types(Val::unchecked(Value::List(vec![Value::Str("ReportBatchItemFailures".into())])));
        }
        if let Some(w) = window {
            p = p.maximum_batching_window_in_seconds(i64::try_from(w).unwrap_or(i64::MAX));
        }
        if let Some(a) = age {
            p = p.maximum_record_age_in_seconds(i64::try_from(a).unwrap_or(i64::MAX));
        }
        if let Some(r) = props.retry_attempts {
            p = p.maximum_retry_attempts(r);
        }
        if let Some(f) = props.parallelization_factor {
            p = p.parallelization_factor(i64::from(f));
        }
        CfnEventSourceMapping::new(&scope, "Resource", p)?;
        table.grant_stream_read(self)
    }

    /// The version of the function as it is now (CDK's `currentVersion`): an
    /// `AWS::Lambda::Version` whose logical ID ends with the hash of the function's
    /// version-locked properties, so that changing the code or configuration publishes a new
    /// version. Made once; later calls give the same version.
    pub fn current_version(&self) -> Result<Version> {
        if let Some(v) = self.current_version.borrow().as_ref() {
            return Ok(v.clone());
        }
        let scope = self.scope.child("CurrentVersion", "ironcdk.lambda.Version")?;
        let resource = CfnVersion::new(&scope, "Resource", CfnVersionProps::new(self.function_name()))?;
        resource.resource().add_logical_id_hash_of_properties(&self.resource, version_hash)?;
        // As CDK: `cdk refactor` must not move a version, whose ID is a hash.
        resource.resource().add_metadata("aws:cdk:do-not-refactor", true);
        let v = Version { resource };
        *self.current_version.borrow_mut() = Some(v.clone());
        Ok(v)
    }

    /// An alias to the current version (CDK's `addAlias`): `Alias<name>` under the function.
    /// A name Lambda refuses (1 to 128 letters, digits, `-` and `_`, not all digits) is an error.
    pub fn add_alias(&self, name: &str, options: AliasOptions) -> Result<Alias> {
        let ok = (1..=128).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') && !name.chars().all(|c| c.is_ascii_digit());
        if !ok {
            return Err(self.scope.error(format!("alias name '{name}' must be 1 to 128 letters, digits, - and _, and not only digits")));
        }
        let version = self.current_version()?;
        let scope = self.scope.child(&format!("Alias{name}"), "ironcdk.lambda.Alias")?;
        let mut p = CfnAliasProps::new(self.function_name(), version.version(), name);
        if let Some(d) = &options.description {
            p = p.description(d.clone());
        }
        if let Some(n) = options.provisioned_concurrent_executions {
            p = p.provisioned_concurrency_config(cfn_alias::ProvisionedConcurrencyConfiguration::new(i64::from(n)));
        }
        Ok(Alias { resource: CfnAlias::new(&scope, "Resource", p)? })
    }

    /// The function's security groups, to allow traffic to and from it (empty outside a VPC).
    pub fn connections(&self) -> Connections {
        Connections { groups: self.security_groups.clone() }
    }

    /// Lets `permission`'s principal call the function (CDK's `addPermission`): an
    /// `AWS::Lambda::Permission` named `id` under the function.
    pub fn add_permission(&self, id: &str, permission: Permission) -> Result<()> {
        permission.validate(&self.scope)?;
        let action = permission.action.clone().unwrap_or_else(|| "lambda:InvokeFunction".to_string());
        let mut p = CfnPermissionProps::new(action, self.function_arn(), permission.principal.clone());
        if let Some(a) = permission.source_arn {
            p = p.source_arn(a);
        }
        if let Some(a) = permission.source_account {
            p = p.source_account(a);
        }
        if let Some(t) = permission.function_url_auth_type {
            p = p.function_url_auth_type(Val::unchecked(Value::Str(t.as_str().into())));
        }
        if let Some(v) = permission.invoked_via_function_url {
            p = p.invoked_via_function_url(v);
        }
        CfnPermission::new(&self.scope, id, p)?;
        Ok(())
    }

    /// Lets `grantee` invoke the function (CDK's `grantInvoke`): `lambda:InvokeFunction` on the
    /// function and its versions, on the grantee's default policy.
    pub fn grant_invoke(&self, grantee: &impl Grantable) -> Result<()> {
        let arn = self.function_arn();
        grantee.grant_role().add_to_policy(
            PolicyStatement::allow().actions(["lambda:InvokeFunction"]).resource(arn.clone()).resource(fns::join("", [arn, ":*".into()])),
        )
    }

    /// Gives the function an HTTPS endpoint of its own (CDK's `addFunctionUrl`): an
    /// `AWS::Lambda::Url` named `FunctionUrl`. With [`FunctionUrlAuthType::None`] anyone may
    /// call it, so CDK's two public permissions are added as well.
    pub fn add_function_url(&self, auth_type: FunctionUrlAuthType) -> Result<FunctionUrl> {
        let scope = self.scope.child("FunctionUrl", "ironcdk.lambda.FunctionUrl")?;
        let resource = CfnUrl::new(&scope, "Resource", CfnUrlProps::new(Val::unchecked(Value::Str(auth_type.as_str().into())), self.function_arn()))?;
        if auth_type == FunctionUrlAuthType::None {
            self.add_permission("invoke-function-url", Permission::any().action("lambda:InvokeFunctionUrl").function_url_auth_type(FunctionUrlAuthType::None))?;
            self.add_permission("invoke-function", Permission::any().invoked_via_function_url(true))?;
        }
        Ok(FunctionUrl { url: resource.attr_function_url() })
    }

    /// A metric of the function (`AWS/Lambda`, by `FunctionName`), with `statistic` over 5
    /// minutes.
    fn metric(&self, name: &str, statistic: crate::cloudwatch::Statistic) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new("AWS/Lambda", name).dimension("FunctionName", self.function_name()).statistic(statistic)
    }

    /// Invocations that failed, the sum over 5 minutes (CDK's `metricErrors`).
    pub fn metric_errors(&self) -> crate::cloudwatch::Metric {
        self.metric("Errors", crate::cloudwatch::Statistic::Sum)
    }

    /// Invocations, the sum over 5 minutes (CDK's `metricInvocations`).
    pub fn metric_invocations(&self) -> crate::cloudwatch::Metric {
        self.metric("Invocations", crate::cloudwatch::Statistic::Sum)
    }

    /// Throttled invocations, the sum over 5 minutes (CDK's `metricThrottles`).
    pub fn metric_throttles(&self) -> crate::cloudwatch::Metric {
        self.metric("Throttles", crate::cloudwatch::Statistic::Sum)
    }

    /// Run time in milliseconds, the average over 5 minutes (CDK's `metricDuration`); set
    /// another statistic on the metric, such as `Statistic::Percentile(99.0)`.
    pub fn metric_duration(&self) -> crate::cloudwatch::Metric {
        self.metric("Duration", crate::cloudwatch::Statistic::Average)
    }

    /// `Fn::GetAtt Arn`.
    pub fn function_arn(&self) -> Val<String> {
        self.resource.attr_arn()
    }

    /// `Ref` (the function's name).
    pub fn function_name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The physical name given in its props, if any.
    pub fn given_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The execution role, to grant the function what it calls.
    pub fn role(&self) -> &Role {
        &self.role
    }
}

/// Who may call a function a URL gives, checked by IAM or by nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionUrlAuthType {
    /// Callers sign their requests and need `lambda:InvokeFunctionUrl` (CDK's default).
    AwsIam,
    /// Anyone on the internet may call it.
    None,
}

impl FunctionUrlAuthType {
    fn as_str(self) -> &'static str {
        match self {
            FunctionUrlAuthType::AwsIam => "AWS_IAM",
            FunctionUrlAuthType::None => "NONE",
        }
    }
}

/// A function's URL.
#[derive(Clone, Debug)]
pub struct FunctionUrl {
    /// `Fn::GetAtt FunctionUrl` of the `AWS::Lambda::Url`.
    pub url: Val<String>,
}

/// Who may call a function, and from where (CDK's `lambda.Permission`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Permission {
    /// A service (`s3.amazonaws.com`), an account ID, an ARN, or `*`.
    pub principal: String,
    /// The action (default `lambda:InvokeFunction`).
    pub action: Option<String>,
    /// The resource that may call (a bucket, a rule, an API).
    pub source_arn: Option<Val<String>>,
    /// The account that owns the source.
    pub source_account: Option<Val<String>>,
    /// For `lambda:InvokeFunctionUrl`: the URL's auth type.
    pub function_url_auth_type: Option<FunctionUrlAuthType>,
    /// Only calls through the function's URL.
    pub invoked_via_function_url: Option<bool>,
}

impl Permission {
    /// An AWS service, such as `s3.amazonaws.com`.
    pub fn service(name: impl Into<String>) -> Self {
        Self::principal(name)
    }
    /// An account by its 12-digit ID.
    pub fn account(id: impl Into<String>) -> Self {
        Self::principal(id)
    }
    /// Anyone (CDK's `AnyPrincipal`).
    pub fn any() -> Self {
        Self::principal("*")
    }
    fn principal(p: impl Into<String>) -> Self {
        Permission { principal: p.into(), action: None, source_arn: None, source_account: None, function_url_auth_type: None, invoked_via_function_url: None }
    }
    setters! {
        /// Sets the action.
        into action: String;
        /// Sets the resource that may call.
        into source_arn: Val<String>;
        /// Sets the source's account.
        into source_account: Val<String>;
        /// Sets the function URL auth type the permission is for.
        some function_url_auth_type: FunctionUrlAuthType;
        /// Admits calls through the function's URL only.
        some invoked_via_function_url: bool;
    }
    fn validate(&self, scope: &Scope) -> Result<()> {
        let p = &self.principal;
        let service = p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn");
        let account = p.len() == 12 && p.chars().all(|c| c.is_ascii_digit());
        if !(service || account || p == "*" || p.starts_with("arn:")) || p.chars().any(char::is_whitespace) {
            return Err(scope.error(format!("permission principal '{p}' is not a service (name.amazonaws.com), a 12-digit account ID, an ARN or *")));
        }
        if let Some(a) = &self.action {
            let ok = a == "*" || a.strip_prefix("lambda:").is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '*'));
            if !ok {
                return Err(scope.error(format!("permission action '{a}' is not a Lambda action (lambda:InvokeFunction, lambda:InvokeFunctionUrl, ...)")));
            }
        }
        Ok(())
    }
}

/// The function's VPC configuration and security groups (CDK's `configureVpc`): subnets by the
/// selection, never public ones unless accepted (a function there has no internet access),
/// a security group made when none is given, and the whole function waiting for the selected
/// subnets' connectivity (their route table associations and default routes).
fn configure_vpc(scope: &Scope, props: &FunctionProps) -> Result<(Option<cfn_function::VpcConfig>, Vec<SecurityGroup>)> {
    let Some(vpc) = &props.vpc else {
        if props.vpc_subnets.is_some() || !props.security_groups.is_empty() || props.allow_all_outbound.is_some() {
            return Err(scope.error("subnets, security groups or allow_all_outbound are given without a VPC; place the function with FunctionProps::vpc"));
        }
        return Ok((None, Vec::new()));
    };
    if props.allow_all_outbound.is_some() && !props.security_groups.is_empty() {
        return Err(scope.error("allow_all_outbound applies to the security group the function creates; set it on the groups you give instead"));
    }
    let groups = if props.security_groups.is_empty() {
        let description = format!("Automatic security group for Lambda Function {}", scope.unique_id());
        vec![SecurityGroup::new(scope, "SecurityGroup", SecurityGroupProps::new(vpc).description(description).allow_all_outbound(props.allow_all_outbound.unwrap_or(true)))?]
    } else {
        props.security_groups.clone()
    };
    let subnets = vpc.select_subnets_for(scope, &props.vpc_subnets.clone().unwrap_or_default())?;
    if !props.allow_public_subnet {
        if let Some(s) = subnets.iter().find(|s| s.subnet_type == SubnetType::Public) {
            return Err(scope.error(format!(
                "subnet {} is public, where a Lambda function has no internet access (it gets no public IP); select private subnets, or set allow_public_subnet if that is what you want",
                s.path
            )));
        }
    }
    for dep in vpc.internet_connectivity(&subnets) {
        scope.add_dependency(dep)?;
    }
    let config = cfn_function::VpcConfig::new()
        .security_group_ids(groups.iter().map(SecurityGroup::security_group_id).collect::<Vec<_>>())
        .subnet_ids(subnets.iter().map(|s| s.subnet_id.clone()).collect::<Vec<_>>());
    Ok((Some(config), groups))
}

/// Lets `principal` (`apigateway.amazonaws.com`, `events.amazonaws.com`) invoke the function
/// `function_arn` from `source_arn`: an `AWS::Lambda::Permission` named `id` under `scope`, as
/// CDK's integrations and targets add them.
pub(crate) fn add_invoke_permission(scope: &Scope, id: &str, function_arn: Val<String>, principal: &str, source_arn: Val<String>) -> Result<()> {
    CfnPermission::new(scope, id, CfnPermissionProps::new("lambda:InvokeFunction", function_arn, principal).source_arn(source_arn))?;
    Ok(())
}

/// For a cargo-lambda output path (`<project>/target/lambda/<binary>[/bootstrap.zip]`) that is
/// not there: the command that builds it.
fn cargo_lambda_hint(path: &Path) -> Option<String> {
    if path.exists() {
        return None;
    }
    let dir = if path.file_name().is_some_and(|n| n == "bootstrap.zip") { path.parent()? } else { path };
    let binary = dir.file_name()?.to_string_lossy().into_owned();
    let lambda = dir.parent()?;
    let target = lambda.parent()?;
    if lambda.file_name()? != "lambda" || target.file_name()? != "target" {
        return None;
    }
    let project = target.parent().map(|p| p.display().to_string()).filter(|p| !p.is_empty()).unwrap_or_else(|| ".".into());
    Some(format!(
        "cargo lambda has not built '{binary}' ({} is missing); run `cargo lambda build --release --output-format zip --bin {binary}` in {project} (add --arm64 for Graviton)",
        path.display()
    ))
}

/// An OS-only runtime starts the `bootstrap` at the code's root: code without one deploys and
/// then fails every invoke (`Runtime.InvalidEntrypoint`).
fn check_entry_point(scope: &Scope, p: &FunctionProps, asset: &ironcdk_synth::FileAsset) -> Result<()> {
    if p.runtime.is_os_only() && !asset.root_entries.is_empty() && !asset.root_entries.iter().any(|e| e == "bootstrap") {
        return Err(scope.error(format!(
            "runtime {} starts the file `bootstrap` at the code's root, and the asset {} has none (it holds {}); point Code::from_asset at the directory or zip cargo lambda built",
            p.runtime.name,
            asset.source.display(),
            asset.root_entries.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(())
}

fn validate(scope: &Scope, p: &FunctionProps) -> Result<()> {
    if p.handler.trim().is_empty() {
        return Err(scope.error("the handler is empty; give the entry point (index.handler; bootstrap for an OS-only runtime)"));
    }
    if let Some(m) = p.memory_size {
        if !(128..=10240).contains(&m) {
            return Err(scope.error(format!("memory size {m} MB is outside Lambda's 128 to 10,240 MB")));
        }
    }
    if let Some(t) = p.timeout {
        let s = t.to_seconds();
        if !(1..=900).contains(&s) {
            return Err(scope.error(format!("timeout {s} s is outside Lambda's 1 second to 15 minutes")));
        }
    }
    for (k, _) in &p.environment {
        let mut chars = k.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && k.len() >= 2 && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(scope.error(format!("environment variable name '{k}' must be a letter followed by at least one letter, digit or _")));
        }
        if RESERVED_VARIABLES.contains(&k.as_str()) {
            return Err(scope.error(format!("environment variable '{k}' is reserved by Lambda; use another name")));
        }
    }
    if p.environment.iter().enumerate().any(|(i, (k, _))| p.environment.iter().skip(i.saturating_add(1)).any(|(k2, _)| k2 == k)) {
        return Err(scope.error("an environment variable is given twice; give each name once"));
    }
    if let Code::Inline(source) = &p.code {
        if !p.runtime.supports_inline {
            return Err(scope.error(format!("runtime {} cannot run inline code; use Code::from_bucket (a zip with the bootstrap or build output)", p.runtime.name)));
        }
        if source.chars().count() > 4096 {
            return Err(scope.error("inline code is over CloudFormation's 4,096 characters; ship it as a zip with Code::from_bucket"));
        }
    }
    Ok(())
}
