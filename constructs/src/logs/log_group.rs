//! `LogGroup`: retention set directly on the resource, never through a log-retention Lambda.

use ironcdk_synth::{AsScope, RemovalPolicy, Result, Scope, Val};

use super::generated::*;
use crate::iam::{PolicyStatement, Role};

/// The retention periods CloudWatch Logs accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetentionDays {
    /// 1 day
    OneDay,
    /// 3 days
    ThreeDays,
    /// 5 days
    FiveDays,
    /// 7 days
    OneWeek,
    /// 14 days
    TwoWeeks,
    /// 30 days
    OneMonth,
    /// 60 days
    TwoMonths,
    /// 90 days
    ThreeMonths,
    /// 120 days
    FourMonths,
    /// 150 days
    FiveMonths,
    /// 180 days
    SixMonths,
    /// 365 days
    OneYear,
    /// 400 days
    ThirteenMonths,
    /// 545 days
    EighteenMonths,
    /// 731 days
    TwoYears,
    /// 1096 days
    ThreeYears,
    /// 1827 days
    FiveYears,
    /// 2192 days
    SixYears,
    /// 2557 days
    SevenYears,
    /// 2922 days
    EightYears,
    /// 3288 days
    NineYears,
    /// 3653 days
    TenYears,
    /// Never expire.
    Infinite,
}

const DAYS: &[(RetentionDays, u32)] = &[
    (RetentionDays::OneDay, 1),
    (RetentionDays::ThreeDays, 3),
    (RetentionDays::FiveDays, 5),
    (RetentionDays::OneWeek, 7),
    (RetentionDays::TwoWeeks, 14),
    (RetentionDays::OneMonth, 30),
    (RetentionDays::TwoMonths, 60),
    (RetentionDays::ThreeMonths, 90),
    (RetentionDays::FourMonths, 120),
    (RetentionDays::FiveMonths, 150),
    (RetentionDays::SixMonths, 180),
    (RetentionDays::OneYear, 365),
    (RetentionDays::ThirteenMonths, 400),
    (RetentionDays::EighteenMonths, 545),
    (RetentionDays::TwoYears, 731),
    (RetentionDays::ThreeYears, 1096),
    (RetentionDays::FiveYears, 1827),
    (RetentionDays::SixYears, 2192),
    (RetentionDays::SevenYears, 2557),
    (RetentionDays::EightYears, 2922),
    (RetentionDays::NineYears, 3288),
    (RetentionDays::TenYears, 3653),
];

impl RetentionDays {
    /// Days, or `None` for [`RetentionDays::Infinite`].
    pub fn days(self) -> Option<u32> {
        DAYS.iter().find(|(r, _)| *r == self).map(|(_, d)| *d)
    }

    /// The retention for a number of days, if CloudWatch accepts it.
    ///
    /// ```
    /// use ironcdk_constructs::logs::RetentionDays;
    /// assert_eq!(RetentionDays::from_days(7), Ok(RetentionDays::OneWeek));
    /// assert!(RetentionDays::from_days(10).unwrap_err().contains("14"));
    /// ```
    pub fn from_days(days: u32) -> Result<Self, String> {
        DAYS.iter().find(|(_, d)| *d == days).map(|(r, _)| *r).ok_or_else(|| {
            let allowed: Vec<String> = DAYS.iter().map(|(_, d)| d.to_string()).collect();
            format!("{days} days is not a CloudWatch Logs retention; use one of {}", allowed.join(", "))
        })
    }
}

/// Options of a [`LogGroup`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LogGroupProps {
    /// Physical name (default: generated).
    pub log_group_name: Option<Val<String>>,
    /// Retention (default: two years, as CDK).
    pub retention: RetentionDays,
    /// Removal policy (default: retain, logs are data).
    pub removal_policy: RemovalPolicy,
}

impl Default for LogGroupProps {
    fn default() -> Self {
        LogGroupProps { log_group_name: None, retention: RetentionDays::TwoYears, removal_policy: RemovalPolicy::Retain }
    }
}

impl LogGroupProps {
    /// CDK's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the physical name.
        into log_group_name: Val<String>;
        /// Sets the retention.
        set retention: RetentionDays;
        /// Sets the removal policy.
        set removal_policy: RemovalPolicy;
    }
}

/// A CloudWatch Logs log group.
///
/// ```
/// use ironcdk_constructs::logs::{LogGroup, LogGroupProps, RetentionDays};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// LogGroup::new(&stack, "Logs", LogGroupProps::new().retention(RetentionDays::OneWeek)).unwrap();
/// let t = app.synth_in_memory().unwrap().stacks[0].template();
/// assert_eq!(t["Resources"]["Logs6819BB44"]["Properties"]["RetentionInDays"], 7); // Logs/Resource, as CDK
/// ```
#[derive(Clone)]
pub struct LogGroup {
    scope: Scope,
    resource: CfnLogGroup,
}

impl AsScope for LogGroup {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl LogGroup {
    /// Creates the log group (its L1 is the `Resource` child, as in CDK).
    pub fn new(scope: &impl AsScope, id: &str, props: LogGroupProps) -> Result<LogGroup> {
        let mut p = CfnLogGroupProps::new();
        if let Some(d) = props.retention.days() {
            p = p.retention_in_days(i64::from(d));
        }
        if let Some(name) = &props.log_group_name {
            // A computed name (`/aws/lambda/<function>`) is CloudWatch's to judge.
            let n = name.as_value().as_str().unwrap_or("computed");
            let ok = !n.is_empty() && n.len() <= 512 && n.chars().all(|c| c.is_ascii_alphanumeric() || "._-/#".contains(c));
            if !ok {
                // Named at the log group's own path: the construct is not created.
                return Err(ironcdk_synth::Error::validation(
                    format!("{}/{id}", scope.scope().path()),
                    format!("log group name '{n}' is invalid: CloudWatch Logs takes 1 to 512 letters, digits and . _ - / #"),
                ));
            }
            p = p.log_group_name(name.clone());
        }
        // `<id>/Resource`, as CDK's LogGroup, so ported stacks keep the logical ID.
        let group = scope.scope().child(id, "ironcdk.logs.LogGroup")?;
        let resource = CfnLogGroup::new(&group, "Resource", p)?;
        resource.apply_removal_policy(props.removal_policy);
        Ok(LogGroup { scope: group, resource })
    }

    /// `Ref` (the name).
    pub fn log_group_name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// `Fn::GetAtt Arn`.
    pub fn log_group_arn(&self) -> Val<String> {
        self.resource.attr_arn()
    }

    /// Lets `role` create streams and put events.
    pub fn grant_write(&self, role: &Role) -> Result<()> {
        role.add_to_policy(PolicyStatement::allow().actions(["logs:CreateLogStream", "logs:PutLogEvents"]).resource(self.log_group_arn()))
    }
}
