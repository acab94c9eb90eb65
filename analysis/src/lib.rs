//! Everything that reads templates, and nothing that builds them: the network model derived
//! from the templates, the checks over it, the cost report, and acknowledgements applied from
//! the templates' `Metadata`. Synth runs [`analyze`] on the templates it prepared; `ironcdk
//! check` and `ironcdk cost` run the same function on templates read from files, so the two
//! cannot disagree.
//!
//! ```
//! use ironcdk_analysis::{analyze, Options};
//! use ironcdk_template::{load::load_template, Environment, PreparedApp, Severity};
//! let json = serde_json::json!({"Resources": {
//!     "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web",
//!         "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}}});
//! let stack = load_template("Web", Environment::region("us-east-1"), &json).unwrap();
//! let outcome = analyze(&PreparedApp::new(vec![stack], Vec::new()), &Options::new());
//! assert!(outcome.findings.iter().any(|f| f.rule == "open-ingress" && f.severity == Severity::Warning));
//! assert_eq!(outcome.reports[0].file, "Web.cost.json");
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects))]

pub mod acknowledge;
pub mod analysis;
pub mod checks;
pub mod cost;
mod elements;
pub mod functions;
pub mod network;
pub mod schema;

pub use analysis::{Analysis, AnalysisOutput};

use ironcdk_template::{Finding, PreparedApp, Report};

/// What [`analyze`] is given besides the templates.
#[derive(Default)]
#[non_exhaustive]
pub struct Options<'a> {
    /// Parameter values beyond those the program declared, as `(stack, parameter, value)`.
    pub parameters: Vec<(String, String, String)>,
    /// The usage assumptions the cost report prices with.
    pub assumptions: cost::Assumptions,
    /// Analyses of the user's, run after the built-in checks, in order.
    pub analyses: Vec<&'a dyn Analysis>,
    /// Leave each stack's `<Stack>.cost.json` out of [`Outcome::reports`]: the caller makes
    /// them with [`cost_reports`] when it is ready for their text (synth does once the
    /// templates are written and their values freed, so that both are never held at once).
    pub cost_reports_later: bool,
}

impl<'a> Options<'a> {
    /// No parameter values, the default assumptions, no analyses of the user's.
    pub fn new() -> Self {
        Self::default()
    }
}

/// What [`analyze`] found.
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome {
    /// The built-in checks' findings, then each analysis's, with acknowledgements marked.
    pub findings: Vec<Finding>,
    /// The analyses' report files, then `<Stack>.cost.json` for each stack.
    pub reports: Vec<Report>,
    /// The cost report.
    pub cost: cost::CostReport,
}

/// Derives the network model once, runs the built-in checks and the analyses over it, prices
/// the app, and marks the findings the templates acknowledge.
pub fn analyze(app: &PreparedApp, options: &Options<'_>) -> Outcome {
    let res = network::Resolver::with_known(app, &options.parameters);
    let net = network::Network::derive(app, &res);
    let mut findings = checks::run_on(app, &net);
    let mut reports = Vec::new();
    for a in &options.analyses {
        let out = a.analyze_with(app, &net);
        findings.extend(out.findings);
        reports.extend(out.reports);
    }
    acknowledge::apply(app, &mut findings);
    let cost = cost::estimate_on(app, &res, &net, &options.assumptions);
    // The model is done with: its memory goes back before the report texts take theirs.
    drop(net);
    drop(res);
    if !options.cost_reports_later {
        reports.extend(cost_reports(&cost));
    }
    Outcome { findings, reports, cost }
}

/// `<Stack>.cost.json` of each stack the report prices, in its order.
pub fn cost_reports(cost: &cost::CostReport) -> Vec<Report> {
    cost.stacks.iter().map(|s| Report::new(cost_report_file(&s.stack), Some(s.stack.clone()), cost.to_json_text(Some(&s.stack)))).collect()
}

/// The name of a stack's cost report file.
pub fn cost_report_file(stack: &str) -> String {
    format!("{stack}.cost.json")
}
