//! Whole-app analyses of your own: functions over the prepared templates, registered on an app
//! with `App::add_analysis`, run on every synth after the built-in checks.

use ironcdk_template::{Finding, PreparedApp, Report};

use crate::network::Network;

/// What one analysis returns.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct AnalysisOutput {
    /// Findings, placed by stack and path or logical ID.
    pub findings: Vec<Finding>,
    /// Report files for the assembly.
    pub reports: Vec<Report>,
}

impl AnalysisOutput {
    /// Nothing found, nothing reported.
    pub fn new() -> Self {
        Self::default()
    }
}

/// A whole-app analysis: a function over the prepared app (every stack's elements, rendered
/// once, with cross-stack references resolved). Register one with `App::add_analysis`.
///
/// ```
/// use ironcdk_analysis::{analyze, Analysis, AnalysisOutput, Options};
/// use ironcdk_template::{load::load_template, Environment, Finding, PreparedApp, Severity};
/// struct CountTopics;
/// impl Analysis for CountTopics {
///     fn name(&self) -> &str { "count-topics" }
///     fn analyze(&self, app: &PreparedApp) -> AnalysisOutput {
///         let mut out = AnalysisOutput::new();
///         for s in &app.stacks {
///             for r in s.resources().filter(|r| r.type_name == "AWS::SNS::Topic") {
///                 out.findings.push(Finding::new("topic", Severity::Info, "a topic", "")
///                     .stack(&s.name).logical_id(&r.logical_id));
///             }
///         }
///         out
///     }
/// }
/// let json = serde_json::json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}});
/// let app = PreparedApp::new(vec![load_template("Demo", Environment::default(), &json).unwrap()], Vec::new());
/// let mut options = Options::new();
/// options.analyses.push(&CountTopics);
/// let outcome = analyze(&app, &options);
/// assert_eq!(outcome.findings[0].logical_id.as_deref(), Some("Topic"));
/// ```
pub trait Analysis {
    /// A short name, for messages.
    fn name(&self) -> &str;
    /// Findings and reports about `app`.
    fn analyze(&self, app: &PreparedApp) -> AnalysisOutput;
    /// The same, given the network model [`crate::analyze`] derived once for every analysis;
    /// by default [`Analysis::analyze`], which does not need it.
    fn analyze_with(&self, app: &PreparedApp, net: &Network) -> AnalysisOutput {
        let _ = net;
        self.analyze(app)
    }
}
