//! What the stacks will cost each month: one line per billable item, attributed to the resource
//! that causes the charge, priced offline from a dated table ([`prices`]), with every usage
//! assumption listed and where it came from, and the cheaper designs the app's own structure
//! shows.
//!
//! It reads the same network model as the checks, so it prices what will be deployed, and runs
//! unchanged on templates this library did not write (`ironcdk cost`).

/// The region an environment-agnostic stack is priced in unless told otherwise.
pub const DEFAULT_REGION: &str = "us-east-1";

pub mod prices;
pub mod schedule;

use std::borrow::Cow;
use crate::network::{Endpoint, EndpointKind, Key, Network, Resolved, Resolver, RouteTarget, Workload, WorkloadKind};
use ironcdk_template::value::{Str, Value};
use ironcdk_template::json::JsonWriter;
use ironcdk_template::PreparedApp;
use prices::{price, Item};
use schedule::{runs_per_month, HOURS_PER_MONTH};

/// Where an assumption's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssumptionSource {
    /// The report's default.
    Default,
    /// Set by the program.
    Code,
    /// A usage file.
    File,
    /// A command-line flag.
    Flag,
}

impl AssumptionSource {
    fn as_str(self) -> &'static str {
        match self {
            AssumptionSource::Default => "default",
            AssumptionSource::Code => "code",
            AssumptionSource::File => "file",
            AssumptionSource::Flag => "flag",
        }
    }
}

/// A usage the templates cannot know, with low / expected / high values.
#[derive(Clone, Debug)]
pub struct Assumption {
    /// Its name, as set (`nat.gb_per_month`).
    pub name: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Low, expected and high values (all equal unless a range was given).
    pub values: [f64; 3],
    /// Where it came from.
    pub source: AssumptionSource,
}

/// Every assumption, with its default.
#[derive(Clone, Debug)]
pub struct Assumptions {
    list: Vec<Assumption>,
    region: (String, AssumptionSource),
    /// Values for one resource: (construct path prefix or logical ID, assumption).
    scoped: Vec<(String, Assumption)>,
    /// The usage-file line each scope was given on.
    scope_lines: Vec<(String, usize)>,
}

/// The largest value each assumption may take, and whether it counts whole things. Money stays
/// a finite number of sane size: a discount is at most 1, GB are at most 10 PB a month.
fn bounds(name: &str) -> (f64, bool) {
    match name {
        "spot.discount" => (1.0, false),
        "azs" => (6.0, true),
        "lb.lcu" => (100_000.0, false),
        "image.gb" => (1_000.0, false),
        "task.minutes_per_run" => (44_640.0, false),
        "task.starts_per_month" | "api.million_requests" | "lambda.million_requests" => (1_000_000.0, false),
        "dynamodb.million_writes" | "dynamodb.million_reads" | "s3.million_puts" | "s3.million_gets" | "sqs.million_requests" | "sns.million_publishes" | "cloudfront.million_requests" | "kms.million_requests" => (1_000_000.0, false),
        "lambda.duration_ms" => (900_000.0, false),
        "lambda.free_tier" => (1.0, true),
        _ => (10_000_000.0, false),
    }
}

/// Refuses a value the assumption cannot mean.
fn check_values(name: &str, values: &[f64; 3]) -> Result<(), String> {
    let (max, whole) = bounds(name);
    for v in values {
        if !v.is_finite() || *v < 0.0 || *v > max {
            return Err(format!("assumption '{name}' must be a number from 0 to {max}, not {v}"));
        }
        if whole && v.fract() != 0.0 {
            return Err(format!("assumption '{name}' counts whole things, not {v}"));
        }
    }
    Ok(())
}

const DEFAULTS: &[(&str, &str, f64)] = &[
    ("nat.gb_per_month", "GB a month through each NAT gateway, besides image pulls", 0.0),
    ("endpoint.gb_per_month", "GB a month through each interface endpoint", 0.0),
    ("lb.lcu", "LCUs (NLCUs) a load balancer uses on average", 1.0),
    ("image.gb", "GB pulled per task start", 0.5),
    ("task.minutes_per_run", "minutes a scheduled task runs", 5.0),
    ("task.starts_per_month", "starts a month of each service task (deploys, replacements)", 1.0),
    ("spot.discount", "Fargate Spot discount off on-demand (0 to 1)", 0.7),
    ("api.million_requests", "million API Gateway requests a month per API", 0.0),
    ("lambda.million_requests", "million invocations a month of each Lambda function", 0.0),
    ("lambda.duration_ms", "milliseconds an invocation runs on average (billed per ms)", 100.0),
    ("lambda.free_tier", "1 to subtract Lambda's free tier (1M requests, 400,000 GB-seconds a month per account) across the app's functions, 0 not to", 0.0),
    ("dynamodb.million_writes", "million write request units a month of each on-demand table", 0.0),
    ("dynamodb.million_reads", "million read request units a month of each on-demand table", 0.0),
    ("dynamodb.gb_stored", "GB stored by each DynamoDB table", 0.0),
    ("s3.gb_stored", "GB stored in each S3 bucket (Standard)", 0.0),
    ("s3.gb_infrequent_access", "GB in each bucket in Standard-Infrequent Access", 0.0),
    ("s3.gb_glacier", "GB in each bucket in Glacier Flexible Retrieval", 0.0),
    ("s3.gb_deep_archive", "GB in each bucket in Glacier Deep Archive", 0.0),
    ("kms.million_requests", "million requests a month to each KMS key of yours", 0.0),
    ("s3.million_puts", "million PUT, COPY, POST and LIST requests a month to each bucket", 0.0),
    ("s3.million_gets", "million GET requests a month to each bucket", 0.0),
    ("sqs.million_requests", "million requests a month to each SQS queue (sends, receives and deletes each count)", 0.0),
    ("sns.million_publishes", "million publishes a month to each SNS topic", 0.0),
    ("cloudfront.gb_out", "GB a month each CloudFront distribution sends to viewers", 0.0),
    ("cloudfront.million_requests", "million HTTPS requests a month to each CloudFront distribution", 0.0),
    ("logs.gb_ingested", "GB a month ingested by each log group", 0.0),
    ("logs.gb_stored", "GB stored by each log group", 0.0),
    ("ecr.gb_stored", "GB stored by each ECR repository", 0.5),
    ("transfer.gb_per_month", "GB a month across each VPC peering", 0.0),
    ("azs", "availability zones of a subnet list the templates do not fix", 2.0),
];

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            list: DEFAULTS.iter().map(|(name, unit, v)| Assumption { name, unit, values: [*v; 3], source: AssumptionSource::Default }).collect(),
            region: (DEFAULT_REGION.into(), AssumptionSource::Default),
            scoped: Vec::new(),
            scope_lines: Vec::new(),
        }
    }
}

impl Assumptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets an assumption to one value; an unknown name is an error listing the known ones.
    pub fn set(&mut self, name: &str, value: f64, source: AssumptionSource) -> Result<(), String> {
        self.set_range(name, [value; 3], source)
    }
    /// Sets low / expected / high values.
    pub fn set_range(&mut self, name: &str, values: [f64; 3], source: AssumptionSource) -> Result<(), String> {
        if self.list.iter().any(|a| a.name == name) {
            check_values(name, &values)?;
        }
        match self.list.iter_mut().find(|a| a.name == name) {
            Some(a) => {
                a.values = values;
                a.source = source;
                Ok(())
            }
            None => Err(format!("no assumption named '{name}'; the assumptions are region, {}", self.list.iter().map(|a| a.name).collect::<Vec<_>>().join(", "))),
        }
    }
    /// Sets an assumption for one resource: `scope` is its logical ID, or a construct path (the
    /// value then applies to every resource at or below it).
    pub fn set_for(&mut self, scope: &str, name: &str, values: [f64; 3], source: AssumptionSource) -> Result<(), String> {
        let mut base = self.list.iter().find(|a| a.name == name).cloned().ok_or_else(|| format!("no assumption named '{name}'"))?;
        check_values(name, &values)?;
        base.values = values;
        base.source = source;
        self.scoped.retain(|(s, a)| !(s == scope && a.name == name));
        self.scoped.push((scope.trim_end_matches('/').to_string(), base));
        Ok(())
    }

    /// The region an environment-agnostic stack is priced for (default us-east-1).
    pub fn set_region(&mut self, region: impl Into<String>, source: AssumptionSource) {
        self.region = (region.into(), source);
    }
    /// Parses `NAME=VALUE` or `NAME=LOW,EXPECTED,HIGH` (as `--set` takes them).
    pub fn set_text(&mut self, text: &str, source: AssumptionSource) -> Result<(), String> {
        let (name, value) = text.split_once('=').ok_or_else(|| format!("'{text}' is not NAME=VALUE"))?;
        if name == "region" {
            self.set_region(value, source);
            return Ok(());
        }
        let nums: Vec<f64> = value.split(',').map(|v| v.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| format!("'{value}' is not a number (or LOW,EXPECTED,HIGH)"))?;
        match nums.as_slice() {
            [v] => self.set(name, *v, source),
            [l, e, h] if l <= e && e <= h => self.set_range(name, [*l, *e, *h], source),
            _ => Err(format!("'{value}': give one number, or LOW,EXPECTED,HIGH in that order")),
        }
    }
    /// Reads a usage file: `NAME = VALUE` (or `NAME: VALUE`, or `LOW,EXPECTED,HIGH`) a line,
    /// `#` comments; a `[Path/Of/Construct]` or `[LogicalId]` line starts values for that
    /// resource (and, for a path, everything below it), as Infracost's usage file does.
    pub fn read_file(&mut self, text: &str) -> Result<(), String> {
        let mut scope: Option<String> = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let at = |e: String| format!("line {}: {e}", i.saturating_add(1));
            if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                let s = s.trim().trim_end_matches('/').to_string();
                self.scope_lines.push((s.clone(), i.saturating_add(1)));
                scope = Some(s);
                continue;
            }
            let line = line.replacen(':', "=", 1).replace(' ', "");
            match &scope {
                None => self.set_text(&line, AssumptionSource::File).map_err(at)?,
                Some(s) => {
                    let (name, value) = line.split_once('=').ok_or_else(|| at(format!("'{line}' is not NAME=VALUE")))?;
                    let nums: Vec<f64> = value.split(',').map(str::parse).collect::<Result<_, _>>().map_err(|_| at(format!("'{value}' is not a number")))?;
                    let values = match nums.as_slice() {
                        [v] => [*v; 3],
                        [l, e, h] if l <= e && e <= h => [*l, *e, *h],
                        _ => return Err(at(format!("'{value}': give one number, or LOW,EXPECTED,HIGH in that order"))),
                    };
                    self.set_for(s, name, values, AssumptionSource::File).map_err(at)?;
                }
            }
        }
        Ok(())
    }

    /// The scopes of resource-specific assumptions that name no resource of `app` (by logical
    /// ID or construct path), each as a message with the usage-file line it was given on.
    pub fn unknown_scopes(&self, app: &PreparedApp) -> Vec<String> {
        let names = |scope: &str| {
            app.stacks.iter().flat_map(|s| s.resources()).any(|e| e.logical_id == scope || e.path == scope || e.path.strip_prefix(scope).is_some_and(|r| r.starts_with('/')))
        };
        let mut out: Vec<String> = Vec::new();
        for (scope, _) in &self.scoped {
            if names(scope) || out.iter().any(|m| m.contains(&format!("[{scope}]"))) {
                continue;
            }
            let line = self.scope_lines.iter().find(|(s, _)| s == scope).map(|(_, l)| format!("line {l}: ")).unwrap_or_default();
            out.push(format!("{line}[{scope}] names no resource of these templates (give a logical ID or a construct path)"));
        }
        out
    }

    /// The value for a resource: its own, else the app-wide one.
    fn get_for(&self, name: &str, which: usize, logical_id: &str, path: Option<&str>) -> f64 {
        let own = self.scoped.iter().rev().find(|(scope, a)| {
            a.name == name && (scope == logical_id || path.is_some_and(|p| p == scope || p.starts_with(&format!("{scope}/"))))
        });
        match own {
            Some((_, a)) => a.values.get(which).copied().unwrap_or(0.0),
            None => self.get(name, which),
        }
    }
    fn get(&self, name: &str, which: usize) -> f64 {
        self.list.iter().find(|a| a.name == name).and_then(|a| a.values.get(which).copied()).unwrap_or(0.0)
    }
    fn ranged(&self) -> bool {
        self.list.iter().chain(self.scoped.iter().map(|(_, a)| a)).any(|a| a.values[0] != a.values[2])
    }
}

/// One billable line.
#[derive(Clone, Debug)]
pub struct CostItem {
    /// The resource that causes the charge.
    pub logical_id: Str,
    /// Its construct path, if known.
    pub path: Option<Str>,
    /// Its CloudFormation type.
    pub resource_type: Str,
    /// What is charged.
    pub description: Cow<'static, str>,
    /// How much.
    pub quantity: f64,
    /// Of what.
    pub unit: Cow<'static, str>,
    /// USD per unit (None: no price data for the region).
    pub unit_price_usd: Option<f64>,
    /// USD a month.
    pub monthly_usd: f64,
    /// The line depends on a usage assumption.
    pub usage_assumed: bool,
}

/// A billable resource the report does not price yet: listed, so that a total never leaves it
/// out without a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotPriced {
    /// The resource.
    pub logical_id: Str,
    /// Its construct path, if known.
    pub path: Option<Str>,
    /// Its CloudFormation type.
    pub resource_type: Str,
    /// Why it is not priced.
    pub reason: &'static str,
}

/// Resource types that cost money and that this report does not model yet.
const BILLABLE_UNPRICED: &[&str] = &[
    "AWS::ApiGatewayV2::Api",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::CloudFront::Distribution",
    "AWS::CloudWatch::Alarm",
    "AWS::CodeBuild::Project",
    "AWS::Cognito::UserPool",
    "AWS::DocDB::DBCluster",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::FlowLog",
    "AWS::EC2::Instance",
    "AWS::EC2::TransitGateway",
    "AWS::EC2::VPNConnection",
    "AWS::EFS::FileSystem",
    "AWS::EKS::Cluster",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElasticLoadBalancing::LoadBalancer",
    "AWS::Elasticsearch::Domain",
    "AWS::GlobalAccelerator::Accelerator",
    "AWS::Kinesis::Stream",
    "AWS::KMS::Key",
    "AWS::Lambda::Function",
    "AWS::MSK::Cluster",
    "AWS::Neptune::DBCluster",
    "AWS::OpenSearchService::Domain",
    "AWS::RDS::DBCluster",
    "AWS::Redshift::Cluster",
    "AWS::Route53::HealthCheck",
    "AWS::S3::Bucket",
    "AWS::Serverless::Api",
    "AWS::Serverless::Function",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::StateMachine",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::StepFunctions::StateMachine",
    "AWS::WAFv2::WebACL",
];

/// The billable resources of a stack that no priced line covers.
fn not_priced(s: &ironcdk_template::PreparedStack, items: &[CostItem]) -> Vec<NotPriced> {
    let billable: Vec<&ironcdk_template::PreparedElement> = s.resources().filter(|e| BILLABLE_UNPRICED.contains(&e.type_name.as_str())).collect();
    // The priced resources by logical ID when comparing each billable one with every line
    // would take long (a stack of thousands of topics).
    let priced: Option<ironcdk_template::hash::HashSet<&str>> =
        (billable.len().saturating_mul(items.len()) > 4096).then(|| items.iter().map(|i| i.logical_id.as_str()).collect());
    let is_priced = |id: &str| match &priced {
        Some(set) => set.contains(id),
        None => items.iter().any(|i| i.logical_id == id),
    };
    billable
        .into_iter()
        .filter(|e| !is_priced(&e.logical_id))
        .map(|e| NotPriced {
            logical_id: own(&e.logical_id),
            path: Some(own(&e.path)).filter(|p| !p.is_empty()),
            resource_type: own(&e.type_name),
            reason: "billable, but not priced by this report yet",
        })
        .collect()
}

/// One stack's lines.
#[derive(Clone, Debug)]
pub struct StackCost {
    /// The stack.
    pub stack: String,
    /// The region it is priced for.
    pub region: String,
    /// Its total.
    pub monthly_usd: f64,
    /// Its lines.
    pub items: Vec<CostItem>,
    /// Its billable resources that no line prices (the total leaves them out).
    pub not_priced: Vec<NotPriced>,
}

/// A cheaper design the app's structure shows.
#[derive(Clone, Debug)]
pub struct Alternative {
    /// What to do.
    pub title: String,
    /// USD saved a month.
    pub monthly_usd_saved: f64,
    /// When it pays.
    pub break_even: String,
    /// The numbers behind it.
    pub detail: String,
}

/// The whole estimate.
#[derive(Clone, Debug)]
pub struct CostReport {
    /// The region environment-agnostic stacks are priced for.
    pub region: String,
    /// Per stack.
    pub stacks: Vec<StackCost>,
    /// The total.
    pub total_monthly_usd: f64,
    /// Low / expected / high totals, when an assumption has a range.
    pub scenarios: Option<[f64; 3]>,
    /// Every assumption used.
    pub assumptions: Assumptions,
    /// Cheaper designs.
    pub alternatives: Vec<Alternative>,
}

fn cents(v: f64) -> f64 {
    // `+ 0.0` turns -0.0 (the sum of no items) into 0.0, so an empty stack is "$0.00".
    (v * 100.0).round() / 100.0 + 0.0
}

struct Pricer<'a> {
    app: &'a PreparedApp,
    /// Finds elements by logical ID (an index, where a stack's own lookup scans).
    res: &'a Resolver<'a>,
    net: &'a Network<'a>,
    a: &'a Assumptions,
    which: usize,
}

impl Pricer<'_> {
    fn region(&self, stack: usize) -> &str {
        self.app.stacks.get(stack).and_then(|s| s.env.region.as_deref()).unwrap_or(&self.a.region.0)
    }
    fn item(&self, k: &Key, item: Option<Item>, description: impl Into<Cow<'static, str>>, quantity: f64, unit: &'static str, usage_assumed: bool) -> CostItem {
        let element = self.res.element_of(k);
        let unit_price = item.and_then(|i| price(self.region(k.stack), i)).map(|p| p.usd);
        let free = item.is_none();
        let description = description.into();
        CostItem {
            logical_id: own(&k.logical_id),
            path: element.map(|e| own(&e.path)).filter(|p| !p.is_empty()),
            resource_type: element.map(|e| own(&e.type_name)).unwrap_or_default(),
            description: if unit_price.is_none() && !free { format!("{description} (no price data for {})", self.region(k.stack)).into() } else { description },
            quantity,
            unit: Cow::Borrowed(unit),
            unit_price_usd: if free { Some(0.0) } else { unit_price },
            monthly_usd: unit_price.map_or(0.0, |p| quantity * p),
            usage_assumed,
        }
    }
    fn v(&self, name: &str) -> f64 {
        self.a.get(name, self.which)
    }
    /// An RDS instance: its hours by engine and class, and its storage, both doubled for a
    /// Multi-AZ standby. What the template leaves to a parameter is said, not guessed.
    fn database(&self, k: &Key, props: Option<&ironcdk_template::value::Map>, out: &mut Vec<CostItem>) {
        let region = self.region(k.stack);
        let engine = literal(props, "Engine");
        let class = literal(props, "DBInstanceClass");
        // An instance of an Aurora cluster: no storage of its own (the cluster's is billed with
        // the cluster) and no standby (the cluster's other instances are its replicas).
        let aurora = props.is_some_and(|p| p.get("DBClusterIdentifier").is_some()) || engine.as_deref().is_some_and(|e| e.starts_with("aurora"));
        let multi_az = !aurora && (matches!(props.and_then(|p| p.get("MultiAZ")), Some(Value::Bool(true))) || literal(props, "MultiAZ").as_deref() == Some("true"));
        let copies = if multi_az { 2.0 } else { 1.0 };
        let az = if aurora { "of an Aurora cluster" } else if multi_az { "Multi-AZ" } else { "Single-AZ" };
        let hourly = match (&engine, &class) {
            (Some(e), Some(c)) => prices::rds_instance_hour(region, e, c),
            _ => None,
        };
        let what = match (&engine, &class) {
            (Some(e), Some(c)) => format!("RDS {e} {c} instance ({az})"),
            _ => format!("RDS instance ({az}; its engine or class is not in the template)"),
        };
        let mut line = self.item(k, None, what, HOURS_PER_MONTH * copies, "instance-hours", false);
        line.unit_price_usd = hourly;
        line.monthly_usd = hourly.map_or(0.0, |h| h * HOURS_PER_MONTH * copies);
        if hourly.is_none() {
            line.description = format!("{} (no price data for {region})", line.description).into();
        }
        out.push(line);
        if aurora {
            return;
        }
        let gb = match props.and_then(|p| p.get("AllocatedStorage")) {
            Some(Value::Int(n)) => Some(*n as f64),
            Some(Value::Str(s)) => s.parse::<f64>().ok(),
            _ => None,
        };
        let storage = literal(props, "StorageType").unwrap_or_else(|| "gp2".to_string());
        let item = match storage.as_str() {
            "gp2" => Some(Item::RdsGp2Gb),
            "gp3" => Some(Item::RdsGp3Gb),
            _ => None,
        };
        match (gb, item) {
            (Some(gb), Some(item)) => out.push(self.item(k, Some(item), format!("RDS {storage} storage ({az}; backups up to its size are free)"), gb * copies, "GB-months", false)),
            _ => {
                let mut line = self.item(k, None, format!("RDS {storage} storage (its size or type is not one this report prices)"), 0.0, "GB-months", false);
                line.unit_price_usd = None;
                line.description = format!("{} (no price data for {region})", line.description).into();
                out.push(line);
            }
        }
    }
    /// The assumption for the resource `k`.
    fn vk(&self, name: &str, k: &Key) -> f64 {
        // Without assumptions given per resource, the resource need not be looked up.
        if self.a.scoped.is_empty() {
            return self.a.get(name, self.which);
        }
        let path = self.res.element_of(k).map(|e| e.path.as_str());
        self.a.get_for(name, self.which, &k.logical_id, path)
    }
    /// The AZ count of a subnet list, and whether it came from the `azs` assumption (the list
    /// is empty or a parameter).
    fn azs(&self, list: &[Resolved]) -> (f64, bool) {
        if list.is_empty() || list.iter().any(|s| s.key().is_none() && s.literal().is_none()) {
            (self.v("azs").max(list.len() as f64), true)
        } else {
            (list.len() as f64, false)
        }
    }

    /// Task-hours a month of a workload, and its task starts.
    fn task_hours(&self, w: &Workload) -> (f64, f64) {
        let count = f64::from(w.count.unwrap_or(1));
        match w.kind {
            WorkloadKind::Service => (count * HOURS_PER_MONTH, count * self.vk("task.starts_per_month", &w.key)),
            WorkloadKind::Scheduled => {
                let runs = w.schedule.as_deref().and_then(|s| runs_per_month(s).ok()).unwrap_or(0.0);
                (runs * count * self.vk("task.minutes_per_run", &w.key) / 60.0, runs * count)
            }
        }
    }

    fn workload(&self, w: &Workload, out: &mut Vec<CostItem>) {
        if !w.fargate {
            return;
        }
        let (hours, _) = self.task_hours(w);
        let (cpu, mem) = w.size.unwrap_or((256, 512));
        let vcpu_h = f64::from(cpu) / 1024.0 * hours;
        let gb_h = f64::from(mem) / 1024.0 * hours;
        let (vi, gi, arch) = if w.arm { (Item::FargateArmVcpu, Item::FargateArmGb, "ARM") } else { (Item::FargateVcpu, Item::FargateGb, "x86") };
        let spot = w.spot_share * self.vk("spot.discount", &w.key);
        let what = if w.kind == WorkloadKind::Scheduled {
            format!("scheduled task ({})", w.schedule.clone().unwrap_or_default())
        } else {
            [&w.count.unwrap_or(1).to_string(), " task(s)"].concat()
        };
        let spot_note = if w.spot_share > 0.0 { format!(", {:.0}% on Spot at {:.0}% off", w.spot_share * 100.0, self.vk("spot.discount", &w.key) * 100.0) } else { String::new() };
        for (item, qty, unit) in [(vi, vcpu_h, "vCPU-hours"), (gi, gb_h, "GB-hours")] {
            // Joined, not formatted: two lines a workload, of every workload.
            let description = ["Fargate ", arch, " ", unit, " of ", &what, &spot_note].concat();
            let mut line = self.item(&w.key, Some(item), description, qty, unit, w.kind == WorkloadKind::Scheduled || spot > 0.0);
            line.monthly_usd *= 1.0 - spot;
            // Rounded to a billionth of a dollar: 0.05056 x 0.3 prints as 0.015168.
            line.unit_price_usd = line.unit_price_usd.map(|p| (p * (1.0 - spot) * 1e9).round() / 1e9);
            out.push(line);
        }
        if w.public_ip {
            out.push(self.item(&w.key, Some(Item::PublicIpv4Hour), format!("public IPv4 of {what}"), hours, "IPv4-hours", w.kind == WorkloadKind::Scheduled));
        }
    }

    fn endpoint(&self, e: &Endpoint, out: &mut Vec<CostItem>) {
        let service = e.service.clone().unwrap_or_else(|| "?".into());
        match e.kind {
            EndpointKind::Gateway => out.push(self.item(&e.key, None, format!("gateway endpoint ({service}): free"), 1.0, "endpoint", false)),
            EndpointKind::Interface => {
                let (azs, assumed) = self.azs(&e.subnets);
                out.push(self.item(&e.key, Some(Item::EndpointHour), format!("interface endpoint ({service}) in {azs} AZ(s)"), azs * HOURS_PER_MONTH, "AZ-hours", assumed));
                let gb = self.vk("endpoint.gb_per_month", &e.key);
                if gb > 0.0 {
                    out.push(self.item(&e.key, Some(Item::EndpointGb), format!("data through the {service} endpoint"), gb, "GB", true));
                }
            }
        }
    }

    /// A function's requests and GB-seconds a month, from its memory (128 MB unless the template
    /// says) and the usage assumptions.
    fn function_usage(&self, k: &Key, props: Option<&ironcdk_template::value::Map>) -> (f64, f64, f64) {
        let memory = number(props, "MemorySize").unwrap_or(128.0);
        let requests = self.vk("lambda.million_requests", k);
        let gb_s = requests * 1e6 * self.vk("lambda.duration_ms", k) / 1000.0 * memory / 1024.0;
        (requests, gb_s, memory)
    }

    /// With `lambda.free_tier` 1: what each function's share of the account's free tier takes
    /// off (million requests, GB-seconds), in proportion to its use.
    fn lambda_free_tier(&self) -> std::collections::HashMap<Key, (f64, f64)> {
        let mut out = std::collections::HashMap::new();
        if self.v("lambda.free_tier") < 1.0 {
            return out;
        }
        let mut uses = Vec::new();
        for (si, s) in self.app.stacks.iter().enumerate() {
            for e in s.resources().filter(|e| e.type_name == "AWS::Lambda::Function") {
                let k = Key { stack: si, logical_id: e.logical_id.clone() };
                let (r, g, _) = self.function_usage(&k, e.properties());
                uses.push((k, r, g));
            }
        }
        let (all_r, all_g) = uses.iter().fold((0.0, 0.0), |(a, b), (_, r, g)| (a + r, b + g));
        for (k, r, g) in uses {
            let free_r = if all_r > 0.0 { (r / all_r) * all_r.min(1.0) } else { 0.0 };
            let free_g = if all_g > 0.0 { (g / all_g) * all_g.min(400_000.0) } else { 0.0 };
            out.insert(k, (free_r, free_g));
        }
        out
    }

    fn function(&self, k: &Key, props: Option<&ironcdk_template::value::Map>, free: (f64, f64), out: &mut Vec<CostItem>) {
        let (requests, gb_s, memory) = self.function_usage(k, props);
        let arm = props.and_then(|p| p.get("Architectures")).is_some_and(|a| matches!(a, Value::List(l) if l.iter().any(|v| v.as_str() == Some("arm64"))));
        let tier = if free.0 > 0.0 || free.1 > 0.0 { ", after its share of the free tier" } else { "" };
        out.push(self.item(k, Some(Item::LambdaMillionRequests), format!("Lambda requests{tier}"), (requests - free.0).max(0.0), "million requests", true));
        let (item, arch) = if arm { (Item::LambdaArmGbSecond, "Graviton") } else { (Item::LambdaGbSecond, "x86") };
        let ms = self.vk("lambda.duration_ms", k);
        out.push(self.item(k, Some(item), format!("Lambda {arch} compute, {memory} MB for {ms} ms a request{tier}"), (gb_s - free.1).max(0.0), "GB-seconds", true));
    }

    fn table(&self, k: &Key, props: Option<&ironcdk_template::value::Map>, out: &mut Vec<CostItem>) {
        if literal(props, "BillingMode").as_deref() == Some("PAY_PER_REQUEST") {
            out.push(self.item(k, Some(Item::DynamoMillionWrites), "DynamoDB on-demand writes", self.vk("dynamodb.million_writes", k), "million write units", true));
            out.push(self.item(k, Some(Item::DynamoMillionReads), "DynamoDB on-demand reads", self.vk("dynamodb.million_reads", k), "million read units", true));
        } else {
            // Provisioned: the table's and each global index's capacity, every hour.
            let throughput = |m: Option<&ironcdk_template::value::Map>| -> (f64, f64) {
                let t = m.and_then(|m| m.get("ProvisionedThroughput")).and_then(|v| if let Value::Map(m) = v { Some(m) } else { None });
                (number(t, "ReadCapacityUnits").unwrap_or(0.0), number(t, "WriteCapacityUnits").unwrap_or(0.0))
            };
            let (mut rcu, mut wcu) = throughput(props);
            if let Some(Value::List(indexes)) = props.and_then(|p| p.get("GlobalSecondaryIndexes")) {
                for i in indexes {
                    if let Value::Map(m) = i {
                        let (r, w) = throughput(Some(m));
                        rcu += r;
                        wcu += w;
                    }
                }
            }
            out.push(self.item(k, Some(Item::DynamoWcuHour), format!("DynamoDB provisioned writes ({wcu} WCU)"), wcu * HOURS_PER_MONTH, "WCU-hours", false));
            out.push(self.item(k, Some(Item::DynamoRcuHour), format!("DynamoDB provisioned reads ({rcu} RCU)"), rcu * HOURS_PER_MONTH, "RCU-hours", false));
        }
        out.push(self.item(k, Some(Item::DynamoStoredGb), "DynamoDB storage (the first 25 GB a month per account are free, not subtracted)", self.vk("dynamodb.gb_stored", k), "GB-months", true));
    }

    /// Image pull GB a month through each NAT gateway: tasks whose subnets route to it.
    fn nat_pull_gb(&self, nat: &Key) -> f64 {
        let mut gb = 0.0;
        for w in self.net.workloads.iter().filter(|w| w.fargate) {
            let through = w.subnets.iter().filter_map(|s| s.key().and_then(|k| self.net.subnet(k))).any(|s| {
                s.route_table.as_ref().and_then(Resolved::key).is_some_and(|t| self.net.routes_of(t).any(|r| matches!(&r.target, RouteTarget::Nat(n) if n == nat)))
            });
            if through {
                let (_, starts) = self.task_hours(w);
                gb += starts * self.vk("image.gb", &w.key);
            }
        }
        gb
    }
}

/// Prices `app` (with the parameter values its program declared).
pub fn estimate(app: &PreparedApp, assumptions: &Assumptions) -> CostReport {
    let res = Resolver::with_known(app, &[]);
    let net = Network::derive(app, &res);
    estimate_on(app, &res, &net, assumptions)
}

/// Prices `app` over a network model already derived with `res`.
pub fn estimate_on(app: &PreparedApp, res: &Resolver<'_>, net: &Network, assumptions: &Assumptions) -> CostReport {
    let compute = |which: usize| -> Vec<StackCost> {
        let p = Pricer { app, res, net, a: assumptions, which };
        let mut by_stack: Vec<Vec<CostItem>> = app.stacks.iter().map(|_| Vec::new()).collect();
        let mut push = |k: &Key, item: CostItem| {
            if let Some(list) = by_stack.get_mut(k.stack) {
                list.push(item);
            }
        };
        let nat_eips: Vec<Key> = net.nat_gateways.iter().filter_map(|(k, _)| {
            let e = res.element_of(k)?;
            res.resolve(k.stack, e.properties()?.get("AllocationId")?).key().cloned()
        }).collect();
        for (k, _) in &net.nat_gateways {
            push(k, p.item(k, Some(Item::NatHour), "NAT gateway", HOURS_PER_MONTH, "hours", false));
            push(k, p.item(k, Some(Item::PublicIpv4Hour), "public IPv4 address of the NAT gateway", HOURS_PER_MONTH, "IPv4-hours", false));
            let gb = p.vk("nat.gb_per_month", k) + p.nat_pull_gb(k);
            if gb > 0.0 {
                push(k, p.item(k, Some(Item::NatGb), "data processed by the NAT gateway (image pulls and other traffic)", gb, "GB", true));
            }
        }
        for e in &net.endpoints {
            let mut lines = Vec::new();
            p.endpoint(e, &mut lines);
            lines.into_iter().for_each(|l| push(&e.key, l));
        }
        for lb in &net.load_balancers {
            let (hour, lcu, kind) = if lb.network { (Item::NlbHour, Item::NlbLcu, "network") } else { (Item::AlbHour, Item::AlbLcu, "application") };
            push(&lb.key, p.item(&lb.key, Some(hour), format!("{kind} load balancer"), HOURS_PER_MONTH, "hours", false));
            push(&lb.key, p.item(&lb.key, Some(lcu), "load balancer capacity units", p.vk("lb.lcu", &lb.key) * HOURS_PER_MONTH, "LCU-hours", true));
            if lb.internet_facing {
                // An AZ mapped to an Elastic IP is billed as that EIP, listed on its own.
                let (azs, assumed) = match lb.mapped_azs {
                    Some(n) => (n as f64, false),
                    None => p.azs(&lb.subnets),
                };
                let own = (azs - lb.elastic_ips.len() as f64).max(0.0);
                if own > 0.0 {
                    push(&lb.key, p.item(&lb.key, Some(Item::PublicIpv4Hour), format!("public IPv4 addresses of the internet-facing load balancer ({own} AZs)"), own * HOURS_PER_MONTH, "IPv4-hours", assumed));
                }
                // An Elastic IP allocated outside these templates is billed all the same.
                for _ in lb.elastic_ips.iter().filter(|a| a.key().is_none()) {
                    push(&lb.key, p.item(&lb.key, Some(Item::PublicIpv4Hour), "Elastic IP allocated outside these templates (billed even while the stack does not exist)", HOURS_PER_MONTH, "IPv4-hours", false));
                }
            }
        }
        for w in &net.workloads {
            let mut lines = Vec::new();
            p.workload(w, &mut lines);
            lines.into_iter().for_each(|l| push(&w.key, l));
        }
        let lambda_free = p.lambda_free_tier();
        for (si, s) in app.stacks.iter().enumerate() {
            for e in s.resources() {
                let k = Key { stack: si, logical_id: e.logical_id.clone() };
                match e.type_name.as_str() {
                    "AWS::EC2::EIP" if !nat_eips.contains(&k) => push(&k, p.item(&k, Some(Item::PublicIpv4Hour), "Elastic IP address", HOURS_PER_MONTH, "IPv4-hours", false)),
                    "AWS::Route53::HostedZone" => push(&k, p.item(&k, Some(Item::HostedZoneMonth), "hosted zone", 1.0, "zone-months", false)),
                    "AWS::ApiGateway::RestApi" => push(&k, p.item(&k, Some(Item::ApiMillionRequests), "REST API requests", p.vk("api.million_requests", &k), "million requests", true)),
                    "AWS::ApiGatewayV2::Api" if literal(e.properties(), "ProtocolType").as_deref() == Some("HTTP") => {
                        push(&k, p.item(&k, Some(Item::HttpApiMillionRequests), "HTTP API requests", p.vk("api.million_requests", &k), "million requests", true));
                    }
                    "AWS::Lambda::Function" => {
                        let mut lines = Vec::new();
                        p.function(&k, e.properties(), lambda_free.get(&k).copied().unwrap_or((0.0, 0.0)), &mut lines);
                        lines.into_iter().for_each(|l| push(&k, l));
                    }
                    "AWS::S3::Bucket" => {
                        push(&k, p.item(&k, Some(Item::S3StoredGb), "S3 Standard storage", p.vk("s3.gb_stored", &k), "GB-months", true));
                        // Colder classes (lifecycle transitions move objects there): listed when used.
                        for (item, name, what) in [
                            (Item::S3InfrequentAccessGb, "s3.gb_infrequent_access", "S3 Standard-Infrequent Access storage"),
                            (Item::S3GlacierGb, "s3.gb_glacier", "S3 Glacier Flexible Retrieval storage"),
                            (Item::S3DeepArchiveGb, "s3.gb_deep_archive", "S3 Glacier Deep Archive storage"),
                        ] {
                            let gb = p.vk(name, &k);
                            if gb > 0.0 {
                                push(&k, p.item(&k, Some(item), what, gb, "GB-months", true));
                            }
                        }
                        push(&k, p.item(&k, Some(Item::S3MillionPuts), "S3 PUT, COPY, POST and LIST requests", p.vk("s3.million_puts", &k), "million requests", true));
                        push(&k, p.item(&k, Some(Item::S3MillionGets), "S3 GET requests", p.vk("s3.million_gets", &k), "million requests", true));
                    }
                    "AWS::SQS::Queue" => {
                        let fifo = matches!(e.properties().and_then(|p| p.get("FifoQueue")), Some(Value::Bool(true))) || matches!(e.properties().and_then(|p| p.get("FifoQueue")), Some(Value::Str(s)) if s == "true");
                        let (item, what) = if fifo { (Item::SqsFifoMillionRequests, "SQS FIFO requests") } else { (Item::SqsMillionRequests, "SQS requests (the first million a month per account are free, not subtracted)") };
                        push(&k, p.item(&k, Some(item), what, p.vk("sqs.million_requests", &k), "million requests", true));
                    }
                    "AWS::KMS::Key" => {
                        push(&k, p.item(&k, Some(Item::KmsKeyMonth), "KMS key", 1.0, "key-months", false));
                        push(&k, p.item(&k, Some(Item::KmsMillionRequests), "KMS requests (the free 20,000 a month per account not subtracted)", p.vk("kms.million_requests", &k), "million requests", true));
                    }
                    "AWS::CloudFront::Distribution" => {
                        // Priced by where viewers are, not by the stack's region: North America and
                        // Europe. CloudFront's always-free allowance (1 TB, 10M requests a month
                        // per account) is not subtracted.
                        push(&k, p.item(&k, Some(Item::CloudFrontGbOut), "CloudFront data out (viewers in North America and Europe; the free 1 TB a month not subtracted)", p.vk("cloudfront.gb_out", &k), "GB", true));
                        push(&k, p.item(&k, Some(Item::CloudFrontMillionRequests), "CloudFront HTTPS requests (North America and Europe)", p.vk("cloudfront.million_requests", &k), "million requests", true));
                    }
                    "AWS::SecretsManager::Secret" => push(&k, p.item(&k, Some(Item::SecretMonth), "Secrets Manager secret (API calls not counted)", 1.0, "secret-months", false)),
                    "AWS::RDS::DBInstance" => {
                        let mut lines = Vec::new();
                        p.database(&k, e.properties(), &mut lines);
                        lines.into_iter().for_each(|l| push(&k, l));
                    }
                    "AWS::SNS::Topic" => {
                        push(&k, p.item(&k, Some(Item::SnsMillionPublishes), "SNS publishes (deliveries to SQS and Lambda are free)", p.vk("sns.million_publishes", &k), "million requests", true));
                    }
                    "AWS::DynamoDB::Table" => {
                        let mut lines = Vec::new();
                        p.table(&k, e.properties(), &mut lines);
                        lines.into_iter().for_each(|l| push(&k, l));
                    }
                    "AWS::Logs::LogGroup" => {
                        push(&k, p.item(&k, Some(Item::LogsIngestGb), "log ingestion", p.vk("logs.gb_ingested", &k), "GB", true));
                        push(&k, p.item(&k, Some(Item::LogsStoredGb), "log storage", p.vk("logs.gb_stored", &k), "GB-months", true));
                    }
                    "AWS::ECR::Repository" => push(&k, p.item(&k, Some(Item::EcrStoredGb), "image storage", p.vk("ecr.gb_stored", &k), "GB-months", true)),
                    "AWS::EC2::VPCPeeringConnection" if p.vk("transfer.gb_per_month", &k) > 0.0 => {
                        push(&k, p.item(&k, Some(Item::TransferGb), "data across the peering (both directions)", 2.0 * p.vk("transfer.gb_per_month", &k), "GB", true));
                    }
                    _ => {}
                }
            }
        }
        app.stacks
            .iter()
            .zip(by_stack)
            .map(|(s, items)| {
                let region = s.env.region.clone().unwrap_or_else(|| assumptions.region.0.clone());
                let monthly = cents(items.iter().map(|i| i.monthly_usd).sum());
                let not_priced = not_priced(s, &items);
                StackCost { stack: s.name.clone(), region, monthly_usd: monthly, items, not_priced }
            })
            .collect()
    };
    let stacks = compute(1);
    let total = cents(stacks.iter().map(|s| s.monthly_usd).sum());
    let scenarios = assumptions.ranged().then(|| {
        let t = |w: usize| cents(compute(w).iter().map(|s| s.monthly_usd).sum());
        [t(0), total, t(2)]
    });
    let alternatives = alternatives(app, net, res, assumptions, &stacks);
    CostReport { region: assumptions.region.0.clone(), stacks, total_monthly_usd: total, scenarios, assumptions: assumptions.clone(), alternatives }
}

fn alternatives(app: &PreparedApp, net: &Network, _res: &Resolver<'_>, a: &Assumptions, stacks: &[StackCost]) -> Vec<Alternative> {
    let mut out = Vec::new();
    let line_sum = |pred: &dyn Fn(&CostItem) -> bool| -> f64 { stacks.iter().flat_map(|s| &s.items).filter(|i| pred(i)).map(|i| i.monthly_usd).sum() };
    // The same interface endpoint service in several VPCs: one shared endpoint VPC.
    let mut by_service: Vec<(String, Vec<&Endpoint>)> = Vec::new();
    for e in net.endpoints.iter().filter(|e| e.kind == EndpointKind::Interface) {
        let Some(s) = e.service.clone() else { continue };
        match by_service.iter_mut().find(|(n, _)| *n == s) {
            Some((_, list)) => list.push(e),
            None => by_service.push((s, vec![e])),
        }
    }
    let repeated: Vec<&(String, Vec<&Endpoint>)> = by_service.iter().filter(|(_, l)| {
        let mut vpcs: Vec<Option<&Key>> = l.iter().map(|e| e.vpc.key()).collect();
        vpcs.dedup();
        vpcs.len() > 1
    }).collect();
    if !repeated.is_empty() {
        let keys: Vec<&Key> = repeated.iter().flat_map(|(_, l)| l.iter().map(|e| &e.key)).collect();
        let now = line_sum(&|i: &CostItem| i.unit == "AZ-hours" && keys.iter().any(|k| k.logical_id == i.logical_id && app.stacks.get(k.stack).is_some_and(|_| true)));
        let copies = repeated.iter().map(|(_, l)| l.len()).max().unwrap_or(1) as f64;
        let shared = now / copies;
        out.push(Alternative {
            title: "share the interface endpoints from one endpoint VPC".into(),
            monthly_usd_saved: cents(now - shared),
            break_even: "immediately: the shared VPC's peering and DNS zones cost less than the endpoints they replace (peering traffic within one AZ is free)".into(),
            detail: format!(
                "{} interface endpoint(s) repeat across VPCs ({}): ${:.2} a month of endpoint hours today, ${:.2} with one set shared through VPC peering and Route 53 private zones (article 003)",
                keys.len(),
                repeated.iter().map(|(s, l)| format!("{s} x{}", l.len())).collect::<Vec<_>>().join(", "),
                cents(now),
                cents(shared)
            ),
        });
    }
    // Image pulls through a NAT gateway: the endpoints that replace it, unless a task pulls
    // from a registry no endpoint serves (it needs the internet anyway).
    let public_images = net.workloads.iter().any(|w| w.containers.iter().any(|c| c.image == crate::network::Image::Other));
    for s in stacks.iter().filter(|_| !public_images) {
        let region = &s.region;
        for nat_data in s.items.iter().filter(|i| i.resource_type == "AWS::EC2::NatGateway" && i.unit == "GB") {
            let (Some(nat_gb), Some(ep_hour), Some(ep_gb)) = (price(region, Item::NatGb), price(region, Item::EndpointHour), price(region, Item::EndpointGb)) else { continue };
            let azs = a.get("azs", 1);
            let fixed = 3.0 * azs * HOURS_PER_MONTH * ep_hour.usd;
            let gb = nat_data.quantity;
            let endpoints = fixed + gb * ep_gb.usd;
            let per_gb_saving = nat_gb.usd - ep_gb.usd;
            let break_even = if per_gb_saving > 0.0 { format!("{:.0} GB a month through the NAT gateway", fixed / per_gb_saving) } else { "never".into() };
            // Offered only when it saves money at the stated usage.
            if nat_data.monthly_usd - endpoints <= 0.0 {
                continue;
            }
            out.push(Alternative {
                title: format!("pull images through VPC endpoints instead of NAT gateway {}", nat_data.path.clone().unwrap_or_else(|| nat_data.logical_id.clone())),
                monthly_usd_saved: cents(nat_data.monthly_usd - endpoints),
                break_even,
                detail: format!(
                    "{gb:.0} GB a month through the NAT gateway cost ${:.2}; ecr.api, ecr.dkr and logs interface endpoints in {azs} AZ(s) cost ${:.2} a month plus ${:.2} for the same GB, and the S3 gateway endpoint that carries the layers is free",
                    cents(nat_data.monthly_usd),
                    cents(fixed),
                    cents(gb * ep_gb.usd)
                ),
            });
        }
    }
    // A NAT gateway per AZ: one NAT gateway.
    let mut per_vpc: Vec<(Option<Key>, usize, String)> = Vec::new();
    for (k, _) in &net.nat_gateways {
        let vpc = _res.element_of(k).and_then(|e| e.properties()?.get("SubnetId").cloned());
        let vpc = vpc.and_then(|v| _res.resolve(k.stack, &v).key().cloned()).and_then(|sk| net.subnet(&sk).and_then(|s| s.vpc.key().cloned()));
        let region = app.stacks.get(k.stack).and_then(|s| s.env.region.clone()).unwrap_or_else(|| a.region.0.clone());
        match per_vpc.iter_mut().find(|(v, _, r)| *v == vpc && *r == region) {
            Some((_, n, _)) => *n = n.saturating_add(1),
            None => per_vpc.push((vpc, 1, region)),
        }
    }
    for (_, n, region) in per_vpc.into_iter().filter(|(_, n, _)| *n > 1) {
        // The region's own hourly prices of a gateway and its public IPv4 address.
        let (Some(hour), Some(ip)) = (price(&region, Item::NatHour), price(&region, Item::PublicIpv4Hour)) else { continue };
        let each = (hour.usd + ip.usd) * HOURS_PER_MONTH;
        out.push(Alternative {
            title: "one NAT gateway instead of one per AZ".into(),
            monthly_usd_saved: cents(each * (n as f64 - 1.0)),
            break_even: "immediately, if the VPC can accept losing NAT egress while that AZ is down (cross-AZ traffic then costs $0.01/GB)".into(),
            detail: format!("{n} NAT gateways at ${:.2} a month each (hours and public IPv4)", cents(each)),
        });
    }
    out
}

impl CostReport {
    /// The report as JSON, in the shape of `cost.json` and `ironcdk cost --format json`, for
    /// one stack or (None) all of them.
    pub fn to_json(&self, only: Option<&str>) -> serde_json::Value {
        serde_json::from_str(&self.to_json_text(only)).unwrap_or(serde_json::Value::Null)
    }

    /// The text of `<Stack>.cost.json`: pretty JSON written straight from the report.
    pub fn to_json_text(&self, only: Option<&str>) -> String {
        let stacks: Vec<&StackCost> = self.stacks.iter().filter(|s| only.is_none_or(|o| o == s.stack)).collect();
        // An item measures 200 to 450 bytes (pretty, with its monthly usage). Room for the
        // larger, given back below: a text that outgrew its room would double it.
        let items = stacks.iter().map(|s| s.items.len().saturating_add(s.not_priced.len())).fold(0usize, usize::saturating_add);
        let mut w = JsonWriter::new(true, items.saturating_mul(450).saturating_add(2048));
        w.begin_object();
        ironcdk_template::json_key!(w, "region");
        w.string(&self.region);
        ironcdk_template::json_key!(w, "currency");
        w.string("USD");
        ironcdk_template::json_key!(w, "hours_per_month");
        w.float(HOURS_PER_MONTH);
        ironcdk_template::json_key!(w, "total_monthly_usd");
        w.float(cents(stacks.iter().map(|s| s.monthly_usd).sum()));
        if let Some([l, e, h]) = self.scenarios {
            ironcdk_template::json_key!(w, "scenarios");
            w.begin_object();
            for (k, v) in [("low", l), ("expected", e), ("high", h)] {
                w.key(k);
                w.float(v);
            }
            w.end_object();
        }
        ironcdk_template::json_key!(w, "stacks");
        w.begin_array();
        for s in stacks {
            w.element();
            write_stack(&mut w, s);
        }
        w.end_array();
        ironcdk_template::json_key!(w, "assumptions");
        w.begin_array();
        w.element();
        w.begin_object();
        ironcdk_template::json_key!(w, "name");
        w.string("region");
        ironcdk_template::json_key!(w, "value");
        w.string(&self.region);
        ironcdk_template::json_key!(w, "unit");
        w.string("region an environment-agnostic stack is priced for");
        ironcdk_template::json_key!(w, "source");
        w.string(self.assumptions.region.1.as_str());
        w.end_object();
        for a in &self.assumptions.list {
            w.element();
            write_assumption(&mut w, None, a);
        }
        for (scope, a) in &self.assumptions.scoped {
            w.element();
            write_assumption(&mut w, Some(scope), a);
        }
        w.end_array();
        ironcdk_template::json_key!(w, "alternatives");
        w.begin_array();
        for a in &self.alternatives {
            w.element();
            w.begin_object();
            ironcdk_template::json_key!(w, "title");
            w.string(&a.title);
            ironcdk_template::json_key!(w, "monthly_usd_saved");
            w.float(a.monthly_usd_saved);
            ironcdk_template::json_key!(w, "break_even");
            w.string(&a.break_even);
            ironcdk_template::json_key!(w, "detail");
            w.string(&a.detail);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        let mut text = w.into_string();
        text.push('\n');
        // Reports are kept until the assembly is dropped.
        text.shrink_to_fit();
        text
    }

    /// A compact table: a line per item, totals, assumptions that were set, alternatives.
    pub fn table(&self) -> String {
        use std::fmt::Write;
        // Written into the one text (writing to a String cannot fail).
        let mut out = String::new();
        for s in &self.stacks {
            let _ = write!(out, "cost of {} ({}): $", s.stack, s.region);
            push_usd(&mut out, s.monthly_usd, 0);
            out.push_str(" a month\n");
            for i in &s.items {
                out.push_str(if i.usage_assumed { "  *" } else { "   " });
                push_usd(&mut out, cents(i.monthly_usd), 10);
                out.push_str("  ");
                out.push_str(&trim(i.quantity));
                out.push(' ');
                out.push_str(&i.unit);
                out.push_str(" x ");
                match i.unit_price_usd {
                    Some(p) => {
                        let _ = write!(out, "${p}");
                    }
                    None => out.push_str("no price"),
                }
                out.push_str("  ");
                out.push_str(&i.description);
                out.push('\n');
            }
            for n in &s.not_priced {
                let _ = writeln!(out, "   not priced  {} {} ({})", n.resource_type, n.path.as_deref().unwrap_or(&n.logical_id), n.reason);
            }
        }
        out.push_str("total: $");
        push_usd(&mut out, self.total_monthly_usd, 0);
        out.push_str(" a month");
        if let Some([l, _, h]) = self.scenarios {
            out.push_str(&format!(" (low ${l:.2}, high ${h:.2})"));
        }
        if self.stacks.iter().flat_map(|s| &s.items).any(|i| i.usage_assumed) {
            out.push_str(" (* depends on a usage assumption)");
        }
        let unpriced = self.stacks.iter().map(|s| s.not_priced.len()).fold(0usize, usize::saturating_add);
        if unpriced > 0 {
            out.push_str(&format!(" (plus {unpriced} billable resource(s) not priced)"));
        }
        out.push('\n');
        for a in self.assumptions.list.iter().filter(|a| a.source != AssumptionSource::Default) {
            out.push_str(&format!("assumed: {} = {} ({}, from {})\n", a.name, trim(a.values[1]), a.unit, a.source.as_str()));
        }
        for (scope, a) in &self.assumptions.scoped {
            out.push_str(&format!("assumed for {scope}: {} = {} ({}, from {})\n", a.name, trim(a.values[1]), a.unit, a.source.as_str()));
        }
        for a in &self.alternatives {
            out.push_str(&format!("alternative: {}: saves ${:.2} a month; pays off {}. {}\n", a.title, a.monthly_usd_saved, a.break_even, a.detail));
        }
        out
    }
}

/// The members that say which resource a line is about: its logical ID, path (`null` when it
/// has none) and type.
fn write_resource(w: &mut JsonWriter, logical_id: &str, path: Option<&str>, resource_type: &str) {
    ironcdk_template::json_key!(w, "logical_id");
    w.string(logical_id);
    ironcdk_template::json_key!(w, "path");
    match path {
        Some(p) => w.string(p),
        None => w.null(),
    }
    ironcdk_template::json_key!(w, "resource_type");
    w.string(resource_type);
}

fn write_stack(w: &mut JsonWriter, s: &StackCost) {
    w.begin_object();
    ironcdk_template::json_key!(w, "stack");
    w.string(&s.stack);
    ironcdk_template::json_key!(w, "region");
    w.string(&s.region);
    ironcdk_template::json_key!(w, "monthly_usd");
    w.float(s.monthly_usd);
    ironcdk_template::json_key!(w, "items");
    w.begin_array();
    for i in &s.items {
        w.element();
        w.begin_object();
        write_resource(w, &i.logical_id, i.path.as_deref(), &i.resource_type);
        ironcdk_template::json_key!(w, "description");
        w.string(&i.description);
        ironcdk_template::json_key!(w, "quantity");
        w.float((i.quantity * 1000.0).round() / 1000.0);
        ironcdk_template::json_key!(w, "unit");
        w.string(&i.unit);
        ironcdk_template::json_key!(w, "unit_price_usd");
        match i.unit_price_usd {
            Some(p) => w.float(p),
            None => w.null(),
        }
        ironcdk_template::json_key!(w, "monthly_usd");
        w.float(cents(i.monthly_usd));
        ironcdk_template::json_key!(w, "usage_assumed");
        w.bool(i.usage_assumed);
        w.end_object();
    }
    w.end_array();
    ironcdk_template::json_key!(w, "not_priced");
    w.begin_array();
    for n in &s.not_priced {
        w.element();
        w.begin_object();
        write_resource(w, &n.logical_id, n.path.as_deref(), &n.resource_type);
        ironcdk_template::json_key!(w, "reason");
        w.string(n.reason);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

fn write_assumption(w: &mut JsonWriter, scope: Option<&str>, a: &Assumption) {
    w.begin_object();
    ironcdk_template::json_key!(w, "name");
    w.string(a.name);
    if let Some(scope) = scope {
        ironcdk_template::json_key!(w, "for");
        w.string(scope);
    }
    ironcdk_template::json_key!(w, "value");
    w.float(a.values[1]);
    ironcdk_template::json_key!(w, "low");
    w.float(a.values[0]);
    ironcdk_template::json_key!(w, "high");
    w.float(a.values[2]);
    ironcdk_template::json_key!(w, "unit");
    w.string(a.unit);
    ironcdk_template::json_key!(w, "source");
    w.string(a.source.as_str());
    w.end_object();
}

/// A copy of `s` the report owns. The report outlives the templates it prices: sharing their
/// text would keep each shared piece alive in the middle of memory the templates give back,
/// which then cannot hold the large template texts written next (scale 10000's peak RSS grew
/// 7 MB that way).
fn own(s: &Str) -> Str {
    // Short text is held inline: its copy shares nothing and needs no new string built.
    if s.is_heap_allocated() {
        Str::from(s.as_str())
    } else {
        s.clone()
    }
}

fn trim(v: f64) -> String {
    // Most quantities are whole (730 hours, 2 AZs): their digits, without formatting a float.
    if v.fract() == 0.0 && v.abs() < 1e15 && !(v == 0.0 && v.is_sign_negative()) {
        #[allow(clippy::cast_possible_truncation)]
        return (v as i64).to_string();
    }
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Appends `x` as `{x:>width$.2}` formats it. An amount [`cents`] rounded is a whole number of
/// cents, so its digits come from that integer rather than from formatting a float (the same
/// text: the amount lies within a thousandth of a cent of it); anything else is formatted.
fn push_usd(out: &mut String, x: f64, width: usize) {
    let c = (x * 100.0).round();
    if x.is_finite() && x.abs() < 1e13 && c / 100.0 == x {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let c = c.abs() as u64;
        // Sign, dollars, point and two digits, right-aligned in `width`.
        let mut digits = [0u8; 24];
        let mut at = digits.len();
        let mut n = c;
        let mut put = |d: u8| {
            at = at.saturating_sub(1);
            if let Some(slot) = digits.get_mut(at) {
                *slot = d;
            }
        };
        // Cents first, then the point, then at least one digit of dollars.
        for place in 0usize.. {
            if place == 2 {
                put(b'.');
            }
            put(b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0)));
            n /= 10;
            if n == 0 && place >= 2 {
                break;
            }
        }
        if x.is_sign_negative() {
            put(b'-');
        }
        let text = std::str::from_utf8(digits.get(at..).unwrap_or_default()).unwrap_or_default();
        for _ in text.len()..width {
            out.push(' ');
        }
        out.push_str(text);
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{x:>width$.2}");
    }
}

/// A property's number: a literal, or a string of digits (as templates read from YAML hold).
fn number(props: Option<&ironcdk_template::value::Map>, name: &str) -> Option<f64> {
    match props?.get(name)? {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        Value::Str(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// A property's string literal.
fn literal(props: Option<&ironcdk_template::value::Map>, name: &str) -> Option<String> {
    props?.get(name)?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The billable resources no line prices are the same whether the lines are compared one by
    /// one (few) or looked up by logical ID (many), in template order.
    #[test]
    fn unpriced_resources_are_found_with_few_lines_and_with_many() {
        let resources: serde_json::Map<String, serde_json::Value> =
            (0..150).map(|i| (format!("T{i}"), serde_json::json!({"Type": if i % 3 == 0 { "AWS::SQS::Queue" } else { "AWS::SNS::Topic" }}))).collect();
        let t = serde_json::json!({"Resources": resources});
        let stack = ironcdk_template::load::load_template("S", ironcdk_template::Environment::region("us-east-1"), &t).unwrap();
        let line = |id: String| CostItem {
            logical_id: id.into(),
            path: None,
            resource_type: "AWS::SNS::Topic".into(),
            description: "x".into(),
            quantity: 1.0,
            unit: "u".into(),
            unit_price_usd: Some(1.0),
            monthly_usd: 1.0,
            usage_assumed: false,
        };
        for priced in [0usize, 3, 20, 60, 149] {
            let items: Vec<CostItem> = (0..priced).map(|i| line(format!("T{}", i * 150 / priced.max(1)))).chain([line("Elsewhere".into())]).collect();
            let got: Vec<String> = not_priced(&stack, &items).into_iter().map(|n| n.logical_id.to_string()).collect();
            let want: Vec<String> = (0..150).map(|i| format!("T{i}")).filter(|id| !items.iter().any(|l| l.logical_id == id.as_str())).collect();
            assert_eq!(got, want, "{priced} lines");
        }
    }

    /// Amounts and quantities print as the formatting they replace prints them.
    #[test]
    fn amounts_and_quantities_print_as_float_formatting_does() {
        let mut values = vec![0.0, -0.0, 0.004, -0.004, 0.005, 0.015, 1e13, 9.99e12, -1e13, 1e20, f64::NAN, f64::INFINITY, 730.0, 1460.5, 0.0005, 2.0005];
        let mut x = 0.37_f64;
        for _ in 0..20_000 {
            // A spread of magnitudes and signs, with and without rounding to cents.
            x = (x * 7919.0 + 0.123).fract();
            let v = (x - 0.5) * 10f64.powi((x * 1e6) as i32 % 14);
            values.extend([v, cents(v), v.round()]);
        }
        for v in values {
            let mut got = String::new();
            push_usd(&mut got, v, 10);
            assert_eq!(got, format!("{v:>10.2}"), "{v:?}");
            let mut narrow = String::new();
            push_usd(&mut narrow, v, 0);
            assert_eq!(narrow, format!("{v:.2}"), "{v:?}");
            let s = format!("{v:.3}");
            assert_eq!(trim(v), s.trim_end_matches('0').trim_end_matches('.'), "{v:?}");
        }
    }

    #[test]
    fn assumptions_parse_and_refuse() {
        let mut a = Assumptions::new();
        a.set_text("nat.gb_per_month=10", AssumptionSource::Flag).unwrap();
        a.set_text("image.gb=0.5,1,2", AssumptionSource::Flag).unwrap();
        assert_eq!(a.get("image.gb", 0), 0.5);
        assert!(a.ranged());
        assert!(a.set_text("nope=1", AssumptionSource::Flag).unwrap_err().contains("no assumption named 'nope'"));
        assert!(a.set_text("image.gb=2,1,0", AssumptionSource::Flag).is_err());
        assert!(a.set_text("image.gb=-1", AssumptionSource::Flag).is_err());
        a.read_file("# usage\nlogs.gb_ingested: 3\nregion=ap-northeast-1\n").unwrap();
        assert_eq!(a.get("logs.gb_ingested", 1), 3.0);
        assert_eq!(a.region.0, "ap-northeast-1");
        assert!(a.read_file("x").unwrap_err().starts_with("line 1"));
    }

    #[test]
    fn assumptions_are_bounded_by_what_they_mean() {
        let mut a = Assumptions::new();
        assert!(a.set_text("spot.discount=5", AssumptionSource::Flag).unwrap_err().contains("from 0 to 1"));
        assert!(a.set_text("azs=2.5", AssumptionSource::Flag).unwrap_err().contains("whole things"));
        assert!(a.set_text("nat.gb_per_month=1e300", AssumptionSource::Flag).is_err());
        assert!(a.set_text("nat.gb_per_month=inf", AssumptionSource::Flag).is_err());
        assert!(a.read_file("[Api/Repo]\nspot.discount: 1.5\n").unwrap_err().starts_with("line 2"));
        a.set_text("spot.discount=1", AssumptionSource::Flag).unwrap();
    }

    /// A Fargate service in a private subnet whose default route is a NAT gateway.
    fn behind_nat(image: &str) -> PreparedApp {
        let t = serde_json::json!({"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Public": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}},
            "Private": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}},
            "Eip": {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}},
            "Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {"SubnetId": {"Ref": "Public"}, "AllocationId": {"Fn::GetAtt": ["Eip", "AllocationId"]}}},
            "Table": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
            "Assoc": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"RouteTableId": {"Ref": "Table"}, "SubnetId": {"Ref": "Private"}}},
            "Out": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "Table"}, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": {"Ref": "Nat"}}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512",
                "ContainerDefinitions": [{"Name": "web", "Image": image}]}},
            "Cluster": {"Type": "AWS::ECS::Cluster"},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Ref": "Task"}, "LaunchType": "FARGATE", "DesiredCount": 1,
                "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [{"Ref": "Private"}]}}}}}});
        let s = ironcdk_template::load::load_template("Svc", ironcdk_template::Environment::region("us-east-1"), &t).unwrap();
        PreparedApp::new(vec![s], Vec::new())
    }

    fn endpoint_alternative(app: &PreparedApp, nat_gb: f64) -> Option<Alternative> {
        let mut a = Assumptions::new();
        a.set("nat.gb_per_month", nat_gb, AssumptionSource::Code).unwrap();
        estimate(app, &a).alternatives.into_iter().find(|x| x.title.starts_with("pull images through VPC endpoints"))
    }

    #[test]
    fn the_endpoint_alternative_is_offered_only_where_it_applies_and_saves() {
        let ecr = behind_nat("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1");
        let offered = endpoint_alternative(&ecr, 5_000.0).expect("5 TB a month through the NAT: endpoints save");
        assert!(offered.monthly_usd_saved > 0.0, "{offered:?}");
        assert!(endpoint_alternative(&ecr, 1.0).is_none(), "at 1 GB a month the endpoints cost more");
        assert!(endpoint_alternative(&behind_nat("public.ecr.aws/nginx/nginx:1.27"), 5_000.0).is_none(), "no endpoint serves a public registry");
    }

    #[test]
    fn billable_resources_not_priced_are_listed_never_a_silent_zero() {
        let t = serde_json::json!({"Resources": {
            "Cluster": {"Type": "AWS::RDS::DBCluster"},
            "Key": {"Type": "AWS::EC2::Instance"},
            "Role": {"Type": "AWS::IAM::Role"}}});
        let s = ironcdk_template::load::load_template("Api", ironcdk_template::Environment::region("us-east-1"), &t).unwrap();
        let report = estimate(&PreparedApp::new(vec![s], Vec::new()), &Assumptions::new());
        let listed: Vec<(&str, &str)> = report.stacks[0].not_priced.iter().map(|n| (n.logical_id.as_str(), n.resource_type.as_str())).collect();
        assert_eq!(listed, [("Cluster", "AWS::RDS::DBCluster"), ("Key", "AWS::EC2::Instance")], "the role is free");
        let table = report.table();
        assert!(table.contains("not priced  AWS::RDS::DBCluster Cluster") && table.contains("total: $0.00 a month (plus 2 billable resource(s) not priced)"), "{table}");
        let json = report.to_json(None);
        assert_eq!(json["stacks"][0]["not_priced"][1]["resource_type"], "AWS::EC2::Instance");
    }
}
