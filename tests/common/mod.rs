//! Outside tools the tests judge templates with: cfn-lint, AWS's cloudformation-validate, and
//! moto's server driven by the AWS CLI. `cargo xtask test` installs pinned versions into
//! `.venv/`; under `CI=true` a missing
//! tool fails the test instead of skipping it.
#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tools_bin() -> PathBuf {
    std::env::var_os("IRONCDK_TOOLS_BIN").map(PathBuf::from).unwrap_or_else(|| root().join(".venv/bin"))
}

/// The path of a tool from the pinned virtualenv; `None` (test skipped, with a note) when it is
/// missing outside CI, a panic under `CI=true`.
pub fn tool(name: &str) -> Option<PathBuf> {
    let p = tools_bin().join(name);
    if p.exists() {
        return Some(p);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{name} is missing from {}; run the tests with `cargo xtask test`, which installs it", tools_bin().display());
    }
    eprintln!("SKIPPED: {name} not found in {}; `cargo xtask test` installs it", tools_bin().display());
    None
}

/// The pinned AWS CDK CLI that `cargo xtask test` installs into `.tools/node`; `None` (test
/// skipped, with a note) when it is missing outside CI, a panic under `CI=true`.
pub fn cdk() -> Option<PathBuf> {
    let bin = std::env::var_os("IRONCDK_NODE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".tools/node/node_modules/.bin"));
    let p = bin.join("cdk");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("cdk is missing from {}; run the tests with `cargo xtask test`, which installs it", bin.display());
    }
    eprintln!("SKIPPED: cdk not found in {}; `cargo xtask test` installs it", bin.display());
    None
}

/// Runs the CDK CLI with a clean environment: no notices, no telemetry, throwaway credentials,
/// and every AWS call sent to `endpoint` when one is given.
pub fn cdk_run(args: &[&str], cwd: &Path, endpoint: Option<&str>) -> Option<Output> {
    let cdk = cdk()?;
    let mut cmd = Command::new(cdk);
    cmd.args(args)
        .arg("--no-notices")
        .current_dir(cwd)
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("CDK_OUTDIR");
    if let Some(e) = endpoint {
        cmd.env("AWS_ENDPOINT_URL", e);
    }
    let out = cmd.output().expect("run cdk");
    assert!(
        out.status.success(),
        "cdk {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out)
}

/// A fresh temporary directory under target/.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = root().join("target/test-tmp").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create temp dir");
    d
}

/// Runs cfn-lint on a template; panics on any error. Returns the warnings (one per line) so a
/// test can assert on them and explain each one it accepts.
pub fn cfn_lint(template: &Path) -> Option<Vec<String>> {
    cfn_lint_all(&[template.to_path_buf()])
}

/// Runs cfn-lint once over several templates (it takes about a second to start, so tests that
/// build many small stacks lint them together); panics on any error, returns the warnings.
pub fn cfn_lint_all(templates: &[PathBuf]) -> Option<Vec<String>> {
    assert!(!templates.is_empty(), "no templates to lint");
    let lint = tool("cfn-lint")?;
    let out = Command::new(lint).arg("--format").arg("parseable").args(templates).output().expect("run cfn-lint");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let code = out.status.code().unwrap_or(-1);
    // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational; 1 a crash.
    assert!(code >= 0 && code & 3 == 0, "cfn-lint found errors:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    cfn_validate_all(templates)?;
    Some(text.lines().map(str::to_string).filter(|l| !l.is_empty()).collect())
}

/// Runs AWS's cloudformation-validate (the validator CDK runs at synth; pinned in `.venv/`)
/// over the templates through `tests/tools/cfn_validate.py`; panics on any error it reports.
/// Returns its warnings.
pub fn cfn_validate_all(templates: &[PathBuf]) -> Option<Vec<String>> {
    let python = tool("python")?;
    let out = Command::new(python).arg(root().join("tests/tools/cfn_validate.py")).args(templates).output().expect("run cloudformation-validate");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "cloudformation-validate found errors:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    Some(text.lines().map(str::to_string).filter(|l| !l.is_empty()).collect())
}

/// Synthesizes each app in memory and writes its templates to `dir` as
/// `<label>-<stack>.template.json`; returns the paths.
pub fn write_templates(dir: &Path, apps: &[(&str, ironcdk::App)]) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for (label, app) in apps {
        let assembly = app.synth_in_memory().unwrap_or_else(|e| panic!("{label}: {e}"));
        for stack in &assembly.stacks {
            let path = dir.join(format!("{label}-{}.template.json", stack.name));
            std::fs::write(&path, &stack.template_json).expect("write template");
            paths.push(path);
        }
    }
    paths
}

/// A moto server on a free loopback port, with the patches in tests/moto; killed on drop.
pub struct Moto {
    child: Child,
    pub endpoint: String,
    /// The region the CLI talks to (us-east-1 unless started with [`Moto::start_in`]).
    pub region: &'static str,
}

impl Moto {
    pub fn start() -> Option<Moto> {
        Self::start_in("us-east-1")
    }

    /// A server the CLI talks to in `region` (for templates pinned to that region's AZs).
    pub fn start_in(region: &'static str) -> Option<Moto> {
        let python = tool("python")?;
        tool("moto_server")?;
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
            l.local_addr().expect("local addr").port()
        };
        let child = Command::new(python)
            .arg(root().join("tests/moto/moto_server.py"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}"), region };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start listening on port {port} within 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    /// Runs the AWS CLI against this server with throwaway credentials.
    pub fn aws(&self, args: &[&str]) -> Output {
        let aws = tool("aws").expect("aws is installed with moto");
        Command::new(aws)
            .arg("--endpoint-url")
            .arg(&self.endpoint)
            .args(args)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", self.region)
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .output()
            .expect("run aws")
    }

    /// `aws cloudformation deploy`, exactly as a user runs it; panics with the CLI's output and
    /// the failed events if it does not succeed. Returns logical id → resource status.
    pub fn deploy(&self, template: &Path, stack: &str, capabilities: &[&str]) -> Vec<(String, String)> {
        self.deploy_with(template, stack, capabilities, &[])
    }

    /// [`Moto::deploy`] with `--parameter-overrides NAME=VALUE ...`.
    pub fn deploy_with(&self, template: &Path, stack: &str, capabilities: &[&str], parameters: &[(&str, &str)]) -> Vec<(String, String)> {
        let t = template.to_string_lossy().to_string();
        let mut args = vec!["cloudformation", "deploy", "--template-file", &t, "--stack-name", stack];
        if !capabilities.is_empty() {
            args.push("--capabilities");
            args.extend(capabilities);
        }
        let overrides: Vec<String> = parameters.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if !overrides.is_empty() {
            args.push("--parameter-overrides");
            args.extend(overrides.iter().map(String::as_str));
        }
        let out = self.aws(&args);
        if !out.status.success() {
            let events = self.aws(&["cloudformation", "describe-stack-events", "--stack-name", stack, "--output", "text"]);
            panic!(
                "deploy failed:\n{}{}\nevents:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&events.stdout)
            );
        }
        let status = self.aws(&["cloudformation", "describe-stacks", "--stack-name", stack, "--query", "Stacks[0].StackStatus", "--output", "text"]);
        assert_eq!(String::from_utf8_lossy(&status.stdout).trim(), "CREATE_COMPLETE");
        let res = self.aws(&[
            "cloudformation",
            "list-stack-resources",
            "--stack-name",
            stack,
            "--query",
            "StackResourceSummaries[].[LogicalResourceId,ResourceStatus]",
            "--output",
            "text",
        ]);
        String::from_utf8_lossy(&res.stdout)
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                Some((parts.next()?.to_string(), parts.next().unwrap_or("").to_string()))
            })
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// cfn-lint on every template of `assembly` (no warning allowed), then `aws cloudformation
/// deploy` of each stack in dependency order to a fresh moto server, every resource
/// CREATE_COMPLETE. Returns the server for further questions; `None` where a tool is missing
/// outside CI.
pub fn lint_and_deploy_in_order(assembly: &ironcdk::Assembly) -> Option<Moto> {
    let order = assembly.deploy_order();
    let paths: Vec<PathBuf> = order.iter().map(|s| s.template_path.clone()).collect();
    let warnings = cfn_lint_all(&paths)?;
    let warnings: Vec<&String> = warnings.iter().filter(|w| !is_cdk_lambda_role_dependency(w)).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let moto = Moto::start()?;
    for s in order {
        let resources = moto.deploy(&s.template_path, &s.name, &s.capabilities);
        assert!(resources.iter().all(|(_, st)| st == "CREATE_COMPLETE"), "{}: {resources:?}", s.name);
    }
    Some(moto)
}

/// cfn-lint's W3005 on a Lambda function's `DependsOn` its `ServiceRole`: CDK's own form (the
/// function waits for its role and the role's policy, which the `Fn::GetAtt` of the role alone
/// does not order), kept for parity; the one warning the lint tests accept.
pub fn is_cdk_lambda_role_dependency(warning: &str) -> bool {
    warning.contains(":W3005:") && warning.contains("ServiceRole") && warning.contains("/Properties/Role'")
}

/// The types (sorted) of the template's resources that did not reach CREATE_COMPLETE in
/// `resources` (what [`Moto::deploy`] returns): what moto did not model, or what failed.
pub fn not_created(template: &serde_json::Value, resources: &[(String, String)]) -> Vec<String> {
    let complete: Vec<&String> = resources.iter().filter(|(_, s)| s == "CREATE_COMPLETE").map(|(id, _)| id).collect();
    let all = template["Resources"].as_object().expect("a template with resources");
    let mut types: Vec<String> =
        all.iter().filter(|(id, _)| !complete.contains(id)).map(|(_, r)| r["Type"].as_str().unwrap_or_default().to_string()).collect();
    types.sort();
    eprintln!("moto created {} of {} resources; not created: {types:?}", complete.len(), all.len());
    types
}

/// The resources of `template` of type `ty`, with their logical IDs, in template order.
pub fn of_type<'a>(template: &'a serde_json::Value, ty: &str) -> Vec<(&'a String, &'a serde_json::Value)> {
    template["Resources"].as_object().expect("a template with resources").iter().filter(|(_, r)| r["Type"] == ty).collect()
}

/// The `node_modules` folder where `cargo xtask test` installs the pinned aws-cdk-lib (beside
/// the CDK CLI); `None` (test skipped, with a note) when it is missing outside CI, a panic under
/// `CI=true`.
pub fn cdk_lib() -> Option<PathBuf> {
    let modules = cdk()?.parent()?.parent()?.to_path_buf();
    if modules.join("aws-cdk-lib/package.json").exists() && modules.join("typescript/package.json").exists() {
        return Some(modules);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("aws-cdk-lib is missing from {}; run the tests with `cargo xtask test`, which installs it", modules.display());
    }
    eprintln!("SKIPPED: aws-cdk-lib not found in {}; `cargo xtask test` installs it", modules.display());
    None
}
