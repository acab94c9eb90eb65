//! `Metric` and `Alarm`: an alarm on one metric as aws-cdk-lib 2.276 writes it
//! (`<id>/Resource`), with SNS topics as its actions (CDK's `SnsAction`), and what CloudWatch
//! refuses refused naming the alarm.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Duration, Result, Scope, Val};

use super::generated::cfn_alarm as l1;
use super::generated::*;

/// How a metric's data points are aggregated over a period (CDK's `Stats`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Statistic {
    /// The mean.
    Average,
    /// The total.
    Sum,
    /// The lowest.
    Minimum,
    /// The highest.
    Maximum,
    /// The number of data points.
    SampleCount,
    /// A percentile, above 0 and below 100 (`Percentile(99.0)` is `p99`).
    Percentile(f64),
}

/// One CloudWatch metric (CDK's `cloudwatch.Metric`): namespace, name, dimensions, and how it
/// is read (default: the average over 5 minutes, as CDK's).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Metric {
    /// The namespace (`AWS/Lambda`, `MyApp`).
    pub namespace: String,
    /// The metric's name.
    pub metric_name: String,
    /// Its dimensions, in order.
    pub dimensions: Vec<(String, Val<String>)>,
    /// How data points are aggregated.
    pub statistic: Statistic,
    /// The period each data point covers.
    pub period: Duration,
}

impl Metric {
    /// The metric `metric_name` of `namespace`, averaged over 5 minutes.
    pub fn new(namespace: impl Into<String>, metric_name: impl Into<String>) -> Self {
        Metric { namespace: namespace.into(), metric_name: metric_name.into(), dimensions: Vec::new(), statistic: Statistic::Average, period: Duration::minutes(5) }
    }
    /// Adds the dimension `name` = `value`.
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }
    setters! {
        /// Sets how data points are aggregated.
        set statistic: Statistic;
        /// Sets the period of a data point.
        set period: Duration;
    }
}

/// How the metric is compared with the threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ComparisonOperator {
    /// `>=` (CDK's default).
    #[default]
    GreaterThanOrEqualToThreshold,
    /// `>`
    GreaterThanThreshold,
    /// `<`
    LessThanThreshold,
    /// `<=`
    LessThanOrEqualToThreshold,
}

/// What a period without data counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TreatMissingData {
    /// Breaching the threshold.
    Breaching,
    /// Within the threshold.
    NotBreaching,
    /// Keeps the alarm's state.
    Ignore,
    /// Missing (CloudWatch's default).
    Missing,
}

/// Options of an [`Alarm`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AlarmProps {
    /// The metric watched.
    pub metric: Metric,
    /// The value compared with.
    pub threshold: f64,
    /// How many of the latest periods are evaluated.
    pub evaluation_periods: u32,
    /// How many of them must breach (default: all).
    pub datapoints_to_alarm: Option<u32>,
    /// The comparison (default `>=`, as CDK's).
    pub comparison_operator: ComparisonOperator,
    /// What a period without data counts as (default: CloudWatch's, missing).
    pub treat_missing_data: Option<TreatMissingData>,
    /// The alarm's name (default: CloudFormation's).
    pub alarm_name: Option<String>,
    /// Its description.
    pub alarm_description: Option<String>,
    /// Whether its actions run (default: yes).
    pub actions_enabled: Option<bool>,
}

impl AlarmProps {
    /// Alarms when `metric` compares with `threshold` over `evaluation_periods` periods.
    pub fn new(metric: Metric, threshold: f64, evaluation_periods: u32) -> Self {
        AlarmProps {
            metric,
            threshold,
            evaluation_periods,
            datapoints_to_alarm: None,
            comparison_operator: ComparisonOperator::default(),
            treat_missing_data: None,
            alarm_name: None,
            alarm_description: None,
            actions_enabled: None,
        }
    }
    setters! {
        /// Sets how many evaluated periods must breach.
        some datapoints_to_alarm: u32;
        /// Sets the comparison.
        set comparison_operator: ComparisonOperator;
        /// Sets what a period without data counts as.
        some treat_missing_data: TreatMissingData;
        /// Names the alarm.
        into alarm_name: String;
        /// Describes the alarm.
        into alarm_description: String;
        /// Turns its actions on or off.
        some actions_enabled: bool;
    }
}

/// The actions of an alarm, by state, in the order added.
#[derive(Default)]
struct Actions {
    alarm: Vec<Val<String>>,
    ok: Vec<Val<String>>,
    insufficient_data: Vec<Val<String>>,
}

/// A CloudWatch alarm on one metric (CDK's `cloudwatch.Alarm`).
#[derive(Clone)]
pub struct Alarm {
    scope: Scope,
    resource: CfnAlarm,
    actions: Rc<RefCell<Actions>>,
}

impl AsScope for Alarm {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

/// What CloudWatch refuses of a metric and an alarm's evaluation.
fn problem(props: &AlarmProps) -> Option<String> {
    let m = &props.metric;
    let period = m.period.to_seconds();
    if m.namespace.is_empty() || m.namespace.len() > 255 || m.metric_name.is_empty() || m.metric_name.len() > 255 {
        return Some("the metric's namespace and name must each be 1 to 255 characters".into());
    }
    if m.dimensions.len() > 30 {
        return Some(format!("the metric has {} dimensions; CloudWatch takes at most 30", m.dimensions.len()));
    }
    if !(matches!(period, 10 | 20 | 30) || (period > 0 && period.is_multiple_of(60))) {
        return Some(format!("a period of {period} s is not one CloudWatch takes: 10, 20 or 30 s, or a whole number of minutes"));
    }
    if let Statistic::Percentile(p) = m.statistic {
        if !(p > 0.0 && p < 100.0) {
            return Some(format!("percentile {p} is outside 0 to 100 (exclusive)"));
        }
    }
    if !props.threshold.is_finite() {
        return Some("the threshold must be a finite number".into());
    }
    if props.evaluation_periods == 0 {
        return Some("evaluation_periods must be at least 1".into());
    }
    if let Some(d) = props.datapoints_to_alarm {
        if d == 0 || d > props.evaluation_periods {
            return Some(format!("datapoints_to_alarm {d} must be 1 to evaluation_periods ({})", props.evaluation_periods));
        }
    }
    if props.alarm_name.as_deref().is_some_and(|n| n.is_empty() || n.len() > 255) {
        return Some("the alarm name must be 1 to 255 characters".into());
    }
    None
}

impl Alarm {
    /// Creates the alarm. What CloudWatch refuses (a period it does not take, no evaluation
    /// period, more breaching points than evaluated ones, a percentile out of range) is an
    /// error naming the alarm.
    pub fn new(scope: &impl AsScope, id: &str, props: AlarmProps) -> Result<Alarm> {
        let scope = scope.scope().child(id, "ironcdk.cloudwatch.Alarm")?;
        if let Some(p) = problem(&props) {
            return Err(scope.error(p));
        }
        let actions: Rc<RefCell<Actions>> = Rc::default();
        let a = actions.clone();
        let resource = CfnAlarm::new_lazy(&scope, "Resource", move || {
            let m = &props.metric;
            let mut p = CfnAlarmProps::new()
                .comparison_operator(match props.comparison_operator {
                    ComparisonOperator::GreaterThanOrEqualToThreshold => l1::AlarmComparisonOperator::GreaterThanOrEqualToThreshold,
                    ComparisonOperator::GreaterThanThreshold => l1::AlarmComparisonOperator::GreaterThanThreshold,
                    ComparisonOperator::LessThanThreshold => l1::AlarmComparisonOperator::LessThanThreshold,
                    ComparisonOperator::LessThanOrEqualToThreshold => l1::AlarmComparisonOperator::LessThanOrEqualToThreshold,
                })
                .evaluation_periods(i64::from(props.evaluation_periods))
                .metric_name(m.metric_name.clone())
                .namespace(m.namespace.clone())
                .period(i64::try_from(m.period.to_seconds()).unwrap_or(i64::MAX))
                .threshold(props.threshold);
            p = match m.statistic {
                Statistic::Average => p.statistic(l1::AlarmStatistic::Average),
                Statistic::Sum => p.statistic(l1::AlarmStatistic::Sum),
                Statistic::Minimum => p.statistic(l1::AlarmStatistic::Minimum),
                Statistic::Maximum => p.statistic(l1::AlarmStatistic::Maximum),
                Statistic::SampleCount => p.statistic(l1::AlarmStatistic::SampleCount),
                Statistic::Percentile(x) => p.extended_statistic(format!("p{x}")),
            };
            if !m.dimensions.is_empty() {
                p = p.dimensions(m.dimensions.iter().map(|(n, v)| l1::Dimension::new(n.clone(), v.clone())).collect::<Vec<_>>());
            }
            if let Some(d) = props.datapoints_to_alarm {
                p = p.datapoints_to_alarm(i64::from(d));
            }
            if let Some(t) = props.treat_missing_data {
                p = p.treat_missing_data(match t {
                    TreatMissingData::Breaching => l1::AlarmTreatMissingData::Breaching,
                    TreatMissingData::NotBreaching => l1::AlarmTreatMissingData::NotBreaching,
                    TreatMissingData::Ignore => l1::AlarmTreatMissingData::Ignore,
                    TreatMissingData::Missing => l1::AlarmTreatMissingData::Missing,
                });
            }
            if let Some(n) = &props.alarm_name {
                p = p.alarm_name(n.clone());
            }
            if let Some(d) = &props.alarm_description {
                p = p.alarm_description(d.clone());
            }
            if let Some(e) = props.actions_enabled {
                p = p.actions_enabled(e);
            }
            let a = a.borrow();
            if !a.alarm.is_empty() {
                p = p.alarm_actions(a.alarm.clone());
            }
            if !a.ok.is_empty() {
                p = p.ok_actions(a.ok.clone());
            }
            if !a.insufficient_data.is_empty() {
                p = p.insufficient_data_actions(a.insufficient_data.clone());
            }
            p
        })?;
        Ok(Alarm { scope, resource, actions })
    }

    /// Notifies `topic` when the alarm goes into ALARM (CDK's `addAlarmAction(new SnsAction(topic))`).
    pub fn add_alarm_action(&self, topic: &crate::sns::Topic) {
        self.actions.borrow_mut().alarm.push(topic.topic_arn());
    }

    /// Notifies `topic` when the alarm goes back to OK.
    pub fn add_ok_action(&self, topic: &crate::sns::Topic) {
        self.actions.borrow_mut().ok.push(topic.topic_arn());
    }

    /// Notifies `topic` when the alarm has too little data.
    pub fn add_insufficient_data_action(&self, topic: &crate::sns::Topic) {
        self.actions.borrow_mut().insufficient_data.push(topic.topic_arn());
    }

    /// `Fn::GetAtt Arn`.
    pub fn alarm_arn(&self) -> Val<String> {
        self.resource.attr_arn()
    }

    /// `Ref` (the alarm's name).
    pub fn alarm_name(&self) -> Val<String> {
        self.resource.ref_()
    }
}
