//! The app: a set of stacks, synthesized together into a cloud assembly directory.
//!
//! `App::synth` runs build → prepare → analyze → write. Build is the user's program. Prepare
//! renders every element once into the value model and resolves cross-stack references
//! ([`crate::prepare`], [`crate::exports`]). Analyze runs the registered whole-app analyses
//! ([`crate::finding::Analysis`]) over the prepared app. Write turns the prepared app into the
//! assembly's files; nothing is written when an error finding exists.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::json;

use crate::error::{Error, Result};
use crate::exports::{CrossStack, ExplicitExport};
use crate::finding::{Analysis, Finding, Report, Severity};
use crate::prepare::{prepare_stack, PreparedApp};
use crate::render::{tree_json, write_template};
use crate::stack::{Stack, StackInner};
use crate::tree::{StackCell, StackId};
use crate::value::ElementRef;

/// Version of CDK's cloud-assembly schema whose shape `manifest.json` follows.
pub const CLOUD_ASSEMBLY_VERSION: &str = "36.0.0";

static NEXT_APP: AtomicU32 = AtomicU32::new(1);

/// The root of a program: holds the stacks and writes the cloud assembly. Cloning gives
/// another handle to the same app.
///
/// The app owns every stack's construct tree. `App` and [`Stack`] handles keep it alive;
/// construct handles do not, so keep one of those while you build and synthesize (a construct
/// handle whose app is gone reads as empty and cannot add children).
///
/// ```no_run
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let _stack = Stack::new(&app, "Demo").unwrap();
/// let assembly = app.synth().unwrap(); // writes cdk.out/Demo.template.json
/// println!("{}", assembly.stacks[0].template_path.display());
/// ```
#[derive(Clone)]
pub struct App {
    inner: Rc<AppInner>,
}

pub(crate) struct AppInner {
    id: u32,
    /// The stacks' arenas: the app owns them, and handles into them are weak.
    stacks: RefCell<Vec<StackCell>>,
    outdir: PathBuf,
    analyses: RefCell<Vec<Rc<dyn Analysis>>>,
    cost: RefCell<crate::cost::Assumptions>,
}

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

/// One synthesized stack.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StackArtifact {
    /// Stack name.
    pub name: String,
    /// The template file's exact bytes: pretty JSON with a final newline.
    pub template_json: String,
    /// Number of resources in the template.
    pub resource_count: usize,
    /// The capabilities `aws cloudformation deploy` needs for this template.
    pub capabilities: Vec<&'static str>,
    /// Where the template is written (inside the app's output directory).
    pub template_path: PathBuf,
    /// Stacks to deploy before this one (explicit and from cross-stack references).
    pub dependencies: Vec<String>,
    /// The region the stack is pinned to, if it is.
    pub region: Option<String>,
    /// Parameters without a default: the deploy must give each a value.
    pub required_parameters: Vec<String>,
    /// Local code its resources point at (published by `cdk deploy`, or packaged by
    /// `aws cloudformation package`).
    pub assets: Vec<crate::asset::FileAsset>,
    /// For a stack with assets: the template `aws cloudformation package` reads, each
    /// asset-backed `Code` naming the asset's copy in the assembly.
    pub package_template_json: Option<String>,
}

impl StackArtifact {
    /// The template parsed into JSON, for inspecting it in tests and tools.
    ///
    /// ```
    /// use ironcdk_synth::{App, Stack, Resource, value::Value};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Demo").unwrap();
    /// Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| Value::Null)).unwrap();
    /// let t = app.synth_in_memory().unwrap().stacks[0].template();
    /// assert_eq!(t["Resources"]["Topic"]["Type"], "AWS::SNS::Topic");
    /// ```
    pub fn template(&self) -> serde_json::Value {
        parse(&self.template_json)
    }

    /// Where the template for `aws cloudformation package` is written, for a stack with assets.
    pub fn package_template_path(&self) -> Option<PathBuf> {
        self.package_template_json.as_ref()?;
        Some(self.template_path.with_file_name(package_template_file(&self.name)))
    }

    /// The AWS CLI commands that deploy this stack: `aws cloudformation deploy`, after
    /// `aws cloudformation package` (which uploads the assets to a bucket of yours) when the
    /// stack has assets.
    pub fn deploy_command(&self) -> String {
        let (mut cmd, template) = match self.package_template_path() {
            Some(package) => {
                let packaged = self.template_path.with_file_name(format!("{}.packaged.template.json", self.name));
                let region = self.region.as_ref().map(|r| format!(" --region {r}")).unwrap_or_default();
                (
                    format!(
                        "aws cloudformation package --template-file {} --s3-bucket <bucket> --output-template-file {}{region} && ",
                        package.display(),
                        packaged.display()
                    ),
                    packaged,
                )
            }
            None => (String::new(), self.template_path.clone()),
        };
        cmd.push_str(&format!("aws cloudformation deploy --template-file {} --stack-name {}", template.display(), self.name));
        if let Some(r) = &self.region {
            cmd.push_str(" --region ");
            cmd.push_str(r);
        }
        if !self.capabilities.is_empty() {
            cmd.push_str(" --capabilities ");
            cmd.push_str(&self.capabilities.join(" "));
        }
        if !self.required_parameters.is_empty() {
            cmd.push_str(" --parameter-overrides");
            for p in &self.required_parameters {
                cmd.push_str(&format!(" {p}=<value>"));
            }
        }
        if self.template_json.len() > crate::limits::MAX_INLINE_TEMPLATE_BYTES && self.package_template_json.is_none() {
            // Too large to pass inline: the CLI uploads it to a bucket first.
            cmd.push_str(" --s3-bucket <bucket>");
        }
        cmd
    }
}

/// The synthesized app: templates, manifest, tree and reports, as the bytes of the files they
/// become, and the findings of every check.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Assembly {
    /// Output directory.
    pub outdir: PathBuf,
    /// Stacks in creation order.
    pub stacks: Vec<StackArtifact>,
    /// The bytes of `manifest.json`.
    pub manifest_json: String,
    /// The bytes of `tree.json` (compact JSON: tools read it, people do not).
    pub tree_json: String,
    /// What the checks found (warnings, infos and acknowledged findings: an unacknowledged
    /// error fails synth instead).
    pub findings: Vec<Finding>,
    /// Report files the analyses added, and each stack's `<Stack>.cost.json`.
    pub reports: Vec<Report>,
    /// What the stacks will cost each month (the data behind the `.cost.json` files).
    pub cost: Option<crate::cost::CostReport>,
    /// `<Stack>.assets.json` of each stack with assets (file name and bytes).
    pub asset_manifests: Vec<(String, String)>,
}

impl Assembly {
    /// Every asset of every stack, once each, in the order first asked for: copied into the
    /// assembly as `asset.<hash>` when it is written.
    pub fn assets(&self) -> Vec<&crate::asset::FileAsset> {
        let mut out: Vec<&crate::asset::FileAsset> = Vec::new();
        for a in self.stacks.iter().flat_map(|s| &s.assets) {
            if !out.iter().any(|o| o.staged_name == a.staged_name) {
                out.push(a);
            }
        }
        out
    }
}

/// Our own output is always valid JSON; `null` can only mean a bug, which tests would show.
fn parse(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

impl Assembly {
    /// The stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// `manifest.json` parsed into JSON.
    pub fn manifest(&self) -> serde_json::Value {
        parse(&self.manifest_json)
    }

    /// `tree.json` parsed into JSON.
    pub fn tree(&self) -> serde_json::Value {
        parse(&self.tree_json)
    }

    /// Stacks in the order to deploy them: each after the stacks it depends on.
    pub fn deploy_order(&self) -> Vec<&StackArtifact> {
        let items: Vec<(&str, &[String])> = self.stacks.iter().map(|s| (s.name.as_str(), s.dependencies.as_slice())).collect();
        deploy_order(&items).into_iter().filter_map(|i| self.stacks.get(i)).collect()
    }

    /// What the example programs print after a synth: the findings (one line each: severity,
    /// rule, path, message, fix), the cost table, then each stack in deploy order with its
    /// resource count, template and `aws cloudformation deploy` command.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            out.push_str(&f.to_string());
            out.push('\n');
        }
        if let Some(cost) = &self.cost {
            out.push_str(&cost.table());
        }
        for s in self.deploy_order() {
            out.push_str(&format!("stack:     {}\n", s.name));
            out.push_str(&format!("resources: {}\n", s.resource_count));
            out.push_str(&format!("template:  {}\n", s.template_path.display()));
            out.push_str(&format!("deploy:    {}\n", s.deploy_command()));
        }
        out
    }

    /// Every file of the assembly (name and bytes), in a fixed order; the asset copies are
    /// [`Assembly::assets`].
    pub fn files(&self) -> Vec<(String, &str)> {
        let mut files: Vec<(String, &str)> = Vec::new();
        for s in &self.stacks {
            files.push((template_file(&s.name), s.template_json.as_str()));
            if let Some(p) = &s.package_template_json {
                files.push((package_template_file(&s.name), p.as_str()));
            }
        }
        files.extend(self.asset_manifests.iter().map(|(n, t)| (n.clone(), t.as_str())));
        files.extend(self.reports.iter().map(|r| (r.file.clone(), r.content.as_str())));
        files.push(("manifest.json".into(), &self.manifest_json));
        files.push(("tree.json".into(), &self.tree_json));
        files
    }
}

/// Prints a synth's outcome as the example programs do and gives the process exit code:
/// success with the [`Assembly::summary`] on standard output (standard error when the CDK CLI
/// runs the program, so that `cdk synth` prints only the template), or every error on standard
/// error, one line each, and failure.
pub fn exit_code(result: Result<Assembly>) -> std::process::ExitCode {
    match result {
        Ok(assembly) => {
            if std::env::var_os("CDK_CLI_VERSION").is_some() {
                eprint!("{}", assembly.summary());
            } else {
                print!("{}", assembly.summary());
            }
            std::process::ExitCode::SUCCESS
        }
        Err(Error::Many(errors)) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Pretty JSON with a final newline, as templates and the manifest are written.
pub fn to_json(v: &serde_json::Value) -> String {
    ironcdk_template::pretty::to_pretty(v)
}

/// The name of a stack's template file.
fn template_file(stack: &str) -> String {
    format!("{stack}.template.json")
}

/// The name of a stack's template for `aws cloudformation package`.
fn package_template_file(stack: &str) -> String {
    format!("{stack}.package.template.json")
}

/// The name of a stack's asset manifest.
fn asset_manifest_file(stack: &str) -> String {
    format!("{stack}.assets.json")
}

impl App {
    /// An app writing to `$CDK_OUTDIR` (the CDK CLI sets it), or `cdk.out` when that is not set.
    pub fn new() -> Self {
        let outdir = std::env::var_os("CDK_OUTDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("cdk.out"));
        Self::with_outdir(outdir)
    }

    /// An app writing to `outdir`.
    pub fn with_outdir(outdir: impl Into<PathBuf>) -> Self {
        let inner = Rc::new(AppInner {
            id: NEXT_APP.fetch_add(1, Ordering::Relaxed),
            stacks: RefCell::new(Vec::new()),
            outdir: outdir.into(),
            // The network checks run on every synth (acknowledge a finding that does not apply).
            analyses: RefCell::new(Vec::new()),
            cost: RefCell::new(crate::cost::Assumptions::new()),
        });
        App { inner }
    }

    /// The output directory.
    pub fn outdir(&self) -> &Path {
        &self.inner.outdir
    }

    /// The stacks, in creation order.
    pub fn stacks(&self) -> Vec<Stack> {
        self.inner.stacks.borrow().iter().map(|c| Stack::of_cell(self, c)).collect()
    }

    /// Registers a whole-app analysis; it runs on every synth, after prepare and after the
    /// built-in checks ([`crate::checks`]), which every synth runs.
    ///
    /// ```
    /// use ironcdk_synth::{App, Stack, Resource, value::Value};
    /// use ironcdk_synth::finding::{Analysis, AnalysisOutput, Finding, Severity};
    /// use ironcdk_synth::prepare::PreparedApp;
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
    /// let app = App::new();
    /// app.add_analysis(CountTopics);
    /// let stack = Stack::new(&app, "Demo").unwrap();
    /// Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| Value::Null)).unwrap();
    /// let a = app.synth_in_memory().unwrap();
    /// assert_eq!(a.findings[0].logical_id.as_deref(), Some("Topic"));
    /// ```
    pub fn add_analysis(&self, analysis: impl Analysis + 'static) {
        self.inner.analyses.borrow_mut().push(Rc::new(analysis));
    }

    /// Sets the usage assumptions the cost report prices with (GB through NAT, requests, log
    /// volume, Spot discount, ...; see `cost::Assumptions`), in code.
    ///
    /// ```
    /// use ironcdk_synth::App;
    /// use ironcdk_synth::cost::AssumptionSource;
    /// let app = App::new();
    /// app.cost_assumptions(|a| a.set("nat.gb_per_month", 50.0, AssumptionSource::Code)).unwrap();
    /// ```
    pub fn cost_assumptions<R>(&self, f: impl FnOnce(&mut crate::cost::Assumptions) -> R) -> R {
        f(&mut self.inner.cost.borrow_mut())
    }

    /// Registers a network rule of your own ([`crate::checks::Rule`]); it runs on every synth
    /// over the same model as the built-in checks.
    ///
    /// ```
    /// use ironcdk_synth::checks::Rule;
    /// use ironcdk_synth::network::Network;
    /// use ironcdk_synth::{App, Finding, PreparedApp, Severity};
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
    /// let app = App::new();
    /// app.add_rule(NoNat);
    /// ```
    pub fn add_rule(&self, rule: impl crate::checks::Rule + 'static) {
        self.add_analysis(crate::checks::RuleAnalysis(rule));
    }

    pub(crate) fn rc(&self) -> Rc<AppInner> {
        self.inner.clone()
    }

    pub(crate) fn from_inner(inner: Rc<AppInner>) -> App {
        App { inner }
    }

    pub(crate) fn register_name(&self, name: &str) -> Result<StackId> {
        let stacks = self.inner.stacks.borrow();
        if let Some(existing) = stacks.iter().find(|s| s.borrow().name == name) {
            return Err(Error::DuplicateId {
                path: "App".into(),
                id: name.to_string(),
                existing: existing.borrow().name.clone(),
            });
        }
        let index = u32::try_from(stacks.len()).map_err(|_| Error::validation("App", "too many stacks"))?;
        Ok(StackId { app: self.inner.id, index })
    }

    pub(crate) fn add_stack(&self, stack: StackCell) {
        self.inner.stacks.borrow_mut().push(stack);
    }

    /// Prepares every stack and resolves cross-stack references.
    fn prepare(&self, stacks: &[StackCell]) -> Result<PreparedApp> {
        // Paths of this app's elements; an element of another App is out of reach.
        let describe = |r: &ElementRef| -> String {
            if r.stack.app != self.inner.id {
                return "an element of another App".to_string();
            }
            let stack = stacks.get(r.stack.idx()).and_then(|c| c.try_borrow().ok());
            stack.and_then(|st| st.nodes.get(r.node.idx()).map(|n| n.path.to_string())).unwrap_or_else(|| "an element of an unknown stack".to_string())
        };
        let mut prepared = Vec::with_capacity(stacks.len());
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        for stack in stacks {
            let (p, f, e) = prepare_stack(stack, &describe);
            prepared.extend(p);
            findings.extend(f);
            errors.extend(e);
        }
        // Validation findings are errors a construct reports: they fail synth as errors.
        for f in findings.iter().filter(|f| f.blocks()) {
            errors.push(Error::validation(f.location(), f.message.clone()));
        }
        Error::check_all(errors)?;
        let explicit: Vec<Vec<ExplicitExport>> =
            stacks.iter().map(|s| s.borrow().explicit_exports.clone()).collect();
        let cross = CrossStack { stacks: &mut prepared, explicit, app_id: self.inner.id, target_path: &describe };
        let mut errors = cross.run();
        for p in &prepared {
            errors.extend(crate::limits::check_stack(p));
        }
        Error::check_all(errors)?;
        let known_parameters = prepared.iter().flat_map(|s| s.known.iter().map(|(id, v)| (s.name.clone(), id.clone(), v.clone()))).collect();
        Ok(PreparedApp::new(prepared, known_parameters))
    }

    fn synth_with(&self, previous: Option<&Path>) -> Result<Assembly> {
        let stacks: Vec<StackCell> = self.inner.stacks.borrow().clone();
        let prepared = self.prepare(&stacks)?;
        let mut findings = Vec::new();
        if let Some(dir) = previous {
            findings.extend(crate::exports::removed_exports_in_use(dir, &prepared.stacks));
            crate::acknowledge::apply(&prepared, &mut findings);
        }
        // An assumption set for a resource that does not exist would price nothing, silently.
        let unknown: Vec<Error> = self.inner.cost.borrow().unknown_scopes(&prepared).into_iter().map(|m| Error::validation("App", format!("cost assumption {m}"))).collect();
        Error::check_all(unknown)?;
        // The analyses `ironcdk check` and `ironcdk cost` run, on the same templates.
        let analyses: Vec<Rc<dyn Analysis>> = self.inner.analyses.borrow().clone();
        let mut options = ironcdk_analysis::Options::new();
        options.assumptions = self.inner.cost.borrow().clone();
        options.analyses = analyses.iter().map(|a| a.as_ref()).collect();
        options.cost_reports_later = true;
        let outcome = ironcdk_analysis::analyze(&prepared, &options);
        findings.extend(outcome.findings);
        let reports = outcome.reports;
        let blocking: Vec<Error> =
            findings.iter().filter(|f| f.blocks()).map(|f| Error::Finding(Box::new(f.clone()))).collect();
        Error::check_all(blocking)?;
        check_reports(&prepared, &reports, &outcome.cost)?;
        let mut assembly = self.write(&stacks, prepared, findings, reports, &outcome.cost)?;
        assembly.cost = Some(outcome.cost);
        Ok(assembly)
    }

    /// Turns the prepared app into the assembly's files.
    fn write(&self, stacks: &[StackCell], mut prepared: PreparedApp, mut findings: Vec<Finding>, mut reports: Vec<Report>, cost: &crate::cost::CostReport) -> Result<Assembly> {
        let mut artifacts = serde_json::Map::new();
        let mut asset_artifacts = serde_json::Map::new();
        let mut asset_manifests = Vec::new();
        let mut out = Vec::with_capacity(prepared.stacks.len());
        let mut errors = Vec::new();
        // Every template first, each stack's values freed as soon as its text is written, and
        // nothing else kept meanwhile: the small records of each stack (its artifact, its
        // manifest entry) are made after, so that they do not split the memory the values give
        // back, which then holds the next template's text.
        let mut written: Vec<Option<Written>> = Vec::with_capacity(prepared.stacks.len());
        for (stack, p) in stacks.iter().zip(prepared.stacks.iter_mut()) {
            written.push(write_stack(&stack.borrow(), p, &mut errors));
            // The stack's values are written: free them (and its logical IDs) now rather than
            // with the whole app, so that every stack's values and every template's text are
            // never held at once.
            p.elements = Vec::new();
            p.ids = Vec::new();
        }
        for ((stack, p), w) in stacks.iter().zip(&prepared.stacks).zip(written) {
            let Some(Written { text, resource_count, required_parameters }) = w else { continue };
            // The size warning is a finding kept to the end: made here too, after every text.
            match crate::limits::check_size(p, text.len()) {
                Ok(warning) => findings.extend(warning),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
            let inner = stack.borrow();
            let file = template_file(&p.name);
            let env = format!(
                "aws://{}/{}",
                p.env.account.as_deref().unwrap_or("unknown-account"),
                p.env.region.as_deref().unwrap_or("unknown-region")
            );
            let assets = inner.assets.clone();
            let mut manifest_deps = p.dependencies.clone();
            if !assets.is_empty() {
                let bucket = inner.file_assets_bucket.clone().unwrap_or_else(|| crate::asset::DEFAULT_FILE_ASSETS_BUCKET.to_string());
                let name = asset_manifest_file(&p.name);
                asset_manifests.push((name.clone(), to_json(&crate::asset::asset_manifest(&assets, &bucket, CLOUD_ASSEMBLY_VERSION))));
                let id = format!("{}.assets", p.name);
                asset_artifacts.insert(id.clone(), json!({"type": "cdk:asset-manifest", "properties": {"file": name}}));
                manifest_deps.insert(0, id);
            }
            let package_template_json = crate::asset::package_template(&text, &assets);
            let mut artifact = json!({
                "type": "aws:cloudformation:stack",
                "environment": env,
                "properties": {
                    "templateFile": file,
                    "terminationProtection": p.termination_protection,
                },
                "displayName": p.name,
            });
            if let Some(fields) = artifact.as_object_mut() {
                if !manifest_deps.is_empty() {
                    fields.insert("dependencies".into(), json!(manifest_deps));
                }
                let metadata = finding_metadata(&p.name, &findings);
                if !metadata.is_empty() {
                    fields.insert("metadata".into(), serde_json::Value::Object(metadata));
                }
            }
            artifacts.insert(p.name.clone(), artifact);
            out.push(StackArtifact {
                name: p.name.clone(),
                template_json: text,
                resource_count,
                capabilities: p.capabilities.clone(),
                template_path: self.inner.outdir.join(file),
                dependencies: p.dependencies.clone(),
                region: p.env.region.clone(),
                required_parameters,
                assets,
                package_template_json,
            });
        }
        Error::check_all(errors)?;
        // Each stack's cost report, now that no template's values are held.
        reports.extend(ironcdk_analysis::cost_reports(cost));
        // The CDK CLI lists stacks in manifest order (`cdk ls`): write them in deploy order,
        // after the asset manifests they depend on.
        let mut ordered = asset_artifacts;
        let items: Vec<(&str, &[String])> = prepared.stacks.iter().map(|s| (s.name.as_str(), s.dependencies.as_slice())).collect();
        for i in deploy_order(&items) {
            if let Some((k, v)) = prepared.stacks.get(i).and_then(|p| artifacts.remove_entry(&p.name)) {
                ordered.insert(k, v);
            }
        }
        let mut artifacts = ordered;
        for r in &reports {
            artifacts.insert(r.file.clone(), json!({"type": "none", "properties": {"file": r.file}}));
        }
        artifacts.insert("Tree".into(), json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}));
        let mut manifest = serde_json::Map::new();
        manifest.insert("version".into(), json!(CLOUD_ASSEMBLY_VERSION));
        manifest.insert("artifacts".into(), serde_json::Value::Object(artifacts));
        // Marks the assembly as ours: synth replaces only a directory that holds one.
        manifest.insert(
            "runtime".into(),
            json!({"libraries": {crate::outdir::MARKER_LIBRARY: env!("CARGO_PKG_VERSION")}}),
        );
        let inners: Vec<_> = stacks.iter().map(|s| s.borrow()).collect();
        let refs: Vec<&StackInner> = inners.iter().map(|r| &**r).collect();
        // Compact tree.json measures about 180 bytes per node.
        let nodes = refs.iter().map(|s| s.nodes.len()).fold(0usize, usize::saturating_add);
        let tree_json = tree_json(&refs, nodes.saturating_mul(200));
        Ok(Assembly {
            outdir: self.inner.outdir.clone(),
            stacks: out,
            manifest_json: to_json(&serde_json::Value::Object(manifest)),
            tree_json,
            findings,
            reports,
            cost: None,
            asset_manifests,
        })
    }

    /// Synthesizes and validates every stack in memory; nothing is written.
    pub fn synth_in_memory(&self) -> Result<Assembly> {
        self.synth_with(None)
    }

    /// Synthesizes, validates and writes the cloud assembly to the output directory. The
    /// directory is replaced whole only after everything succeeded; on any error the previous
    /// output is left untouched. Only a missing or empty directory, or an assembly this library
    /// wrote, is replaced: any other directory, or a file, is an error and is not touched.
    ///
    /// When the directory holds the previous assembly, a warning finding (`export-in-use`)
    /// names every export a stack there imported that is about to disappear.
    pub fn synth(&self) -> Result<Assembly> {
        let previous = crate::outdir::check_replaceable(&self.inner.outdir)?;
        let assembly = self.synth_with(previous.then_some(self.inner.outdir.as_path()))?;
        crate::outdir::write_atomically(&self.inner.outdir, &assembly.files(), &assembly.assets())?;
        Ok(assembly)
    }
}

/// What [`App::write`] keeps of a stack once its values are freed.
struct Written {
    text: String,
    resource_count: usize,
    required_parameters: Vec<String>,
}

/// Writes one stack's template: `None` (with `errors` added to) when it cannot be written.
fn write_stack(inner: &StackInner, p: &crate::prepare::PreparedStack, errors: &mut Vec<Error>) -> Option<Written> {
    let text = match write_template(inner, p) {
        Ok(t) => t,
        Err(Error::Many(es)) => {
            errors.extend(es);
            return None;
        }
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let required_parameters = p
        .elements
        .iter()
        .filter(|e| e.kind == crate::prepare::ElementKind::Parameter)
        .filter(|e| !matches!(&e.value, crate::Value::Map(m) if m.contains_key("Default")))
        .map(|e| e.logical_id.to_string())
        .collect();
    Some(Written { text, resource_count: p.resource_count(), required_parameters })
}

/// Indexes of `items` (name, names it depends on) in deploy order: each after the items it
/// depends on, creation order otherwise. Names outside `items` are ignored; a cycle (which
/// synth refuses earlier) keeps the remaining items in creation order.
fn deploy_order(items: &[(&str, &[String])]) -> Vec<usize> {
    let mut placed: Vec<usize> = Vec::with_capacity(items.len());
    let mut done: ironcdk_template::hash::HashSet<&str> = ironcdk_template::hash::HashSet::default();
    let known = |d: &str| items.iter().any(|(n, _)| *n == d);
    while placed.len() < items.len() {
        let before = placed.len();
        for (i, (name, deps)) in items.iter().enumerate() {
            if !placed.contains(&i) && deps.iter().all(|d| !known(d) || done.contains(d.as_str())) {
                placed.push(i);
                done.insert(name);
            }
        }
        if placed.len() == before {
            let rest: Vec<usize> = (0..items.len()).filter(|i| !placed.contains(i)).collect();
            placed.extend(rest);
        }
    }
    placed
}

/// Findings of one stack as CDK manifest metadata, which the CDK CLI prints on synth and deploy.
fn finding_metadata(stack: &str, findings: &[Finding]) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    for f in findings.iter().filter(|f| f.stack.as_deref() == Some(stack)) {
        let kind = match (f.severity, &f.acknowledged) {
            (_, Some(_)) | (Severity::Info, _) => "aws:cdk:info",
            _ => "aws:cdk:warning",
        };
        let key = format!("/{}", f.path.clone().unwrap_or_else(|| stack.to_string()));
        let entry = json!({"type": kind, "data": format!("[{}] {}", f.rule, f.message)});
        match out.get_mut(&key).and_then(serde_json::Value::as_array_mut) {
            Some(list) => list.push(entry),
            None => {
                out.insert(key, json!([entry]));
            }
        }
    }
    out
}

/// Report file names: plain names that clash with no other file of the assembly.
fn check_reports(app: &PreparedApp, reports: &[Report], cost: &crate::cost::CostReport) -> Result<()> {
    let mut seen: ironcdk_template::hash::HashSet<&str> = ironcdk_template::hash::HashSet::default();
    // The cost reports come after the analyses' (they are written later, see `write`).
    let cost_files: Vec<String> = cost.stacks.iter().map(|s| ironcdk_analysis::cost_report_file(&s.stack)).collect();
    // The stacks' own files, named once (not once per report).
    let stack_files: ironcdk_template::hash::HashSet<String> =
        app.stacks.iter().flat_map(|s| [template_file(&s.name), package_template_file(&s.name), asset_manifest_file(&s.name)]).collect();
    for file in reports.iter().map(|r| &r.file).chain(&cost_files) {
        let plain = !file.is_empty() && file.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) && !file.starts_with('.');
        let taken = file == "manifest.json"
            || file == "tree.json"
            || file.starts_with("asset.")
            || stack_files.contains(file.as_str())
            || !seen.insert(file.as_str());
        if !plain || taken {
            return Err(Error::validation(
                "App",
                format!("report file '{file}' must be a plain file name (letters, digits, '.', '-', '_') that no other file of the assembly uses"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AsScope, Resource, Value};

    #[test]
    fn dropping_the_app_frees_stacks_whose_constructs_hold_their_own_scope() {
        let app = App::new();
        let stack = Stack::new(&app, "S").unwrap();
        let held = stack.scope();
        let topic = Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(move || {
            let _ = &held;
            Value::Null
        }))
        .unwrap();
        let survivor = stack.scope().child("Kept", "test").unwrap();
        assert_eq!(survivor.path(), "S/Kept");
        let weak = survivor.stack.clone();
        assert!(weak.upgrade().is_some());
        drop(app);
        // The stack handle keeps the app alive.
        assert_eq!(survivor.path(), "S/Kept");
        drop(stack);
        // Only the app owned the stack: the closure's scope did not keep it, nor do handles.
        assert!(weak.upgrade().is_none(), "the stack was leaked");
        // Handles that outlive the app read empty and refuse to grow the tree, without panicking.
        assert_eq!(survivor.path(), "");
        let e = survivor.child("Late", "test").unwrap_err().to_string();
        assert!(e.contains("App no longer exists"), "{e}");
        topic.add_metadata("after", "the app is gone");
        assert_eq!(topic.type_name(), "");
    }

    /// Reports an analysis names by file name.
    struct Reporting(&'static str);
    impl ironcdk_analysis::Analysis for Reporting {
        fn name(&self) -> &str {
            "reporting"
        }
        fn analyze(&self, _: &PreparedApp) -> ironcdk_analysis::AnalysisOutput {
            let mut out = ironcdk_analysis::AnalysisOutput::new();
            out.reports.push(Report::new(self.0, None, "{}\n".to_string()));
            out
        }
    }

    #[test]
    fn cost_reports_come_after_the_analyses_reports_and_no_report_may_take_their_name() {
        let app = App::new();
        let stack = Stack::new(&app, "S").unwrap();
        Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| Value::Null)).unwrap();
        app.add_analysis(Reporting("mine.json"));
        let a = app.synth_in_memory().unwrap();
        let names: Vec<&str> = a.reports.iter().map(|r| r.file.as_str()).collect();
        assert_eq!(names, ["mine.json", "S.cost.json"]);
        let cost = a.reports.iter().find(|r| r.file == "S.cost.json").unwrap();
        assert_eq!(cost.content, a.cost.as_ref().unwrap().to_json_text(Some("S")));
        assert!(a.files().iter().any(|(name, _)| name == "S.cost.json"));
        let manifest = a.manifest();
        let artifacts: Vec<&String> = manifest["artifacts"].as_object().unwrap().keys().collect();
        assert_eq!(artifacts, ["S", "mine.json", "S.cost.json", "Tree"]);

        let app = App::new();
        let stack = Stack::new(&app, "S").unwrap();
        Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| Value::Null)).unwrap();
        app.add_analysis(Reporting("S.cost.json"));
        let e = app.synth_in_memory().unwrap_err().to_string();
        assert!(e.contains("report file 'S.cost.json'"), "{e}");
    }
}
