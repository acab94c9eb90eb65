//! `cargo xtask test`: installs the pinned outside tools the tests judge templates with
//! (cfn-lint, moto's server and the AWS CLI into `.venv/` with pip; the AWS CDK CLI, and
//! aws-cdk-lib for the parity test, into `.tools/node/` with npm), then runs every test with
//! them.

use std::path::PathBuf;
use std::process::Command;

pub const CFN_LINT_VERSION: &str = "1.58.0";
pub const MOTO_VERSION: &str = "5.2.5";
pub const AWSCLI_VERSION: &str = "1.46.2";
/// AWS's cloudformation-validate, the validator aws-cdk-lib runs at synth (a second outside judge
/// of every template the tests synthesize, beside cfn-lint).
pub const CFN_VALIDATE_VERSION: &str = "1.14.0";
/// The AWS CDK command line (the `aws-cdk` npm package; it reads assemblies of the cloud
/// assembly schema our manifest follows).
pub const AWS_CDK_CLI_VERSION: &str = "2.1148.1";
/// aws-cdk-lib, the oracle of the parity test (`tests/cdk_parity.rs`), with the `constructs`
/// it needs and TypeScript to compile the twins.
pub const AWS_CDK_LIB_VERSION: &str = "2.276.0";
pub const CONSTRUCTS_VERSION: &str = "10.8.1";
pub const TYPESCRIPT_VERSION: &str = "5.9.3";

fn node_packages() -> Vec<String> {
    vec![
        format!("aws-cdk@{AWS_CDK_CLI_VERSION}"),
        format!("aws-cdk-lib@{AWS_CDK_LIB_VERSION}"),
        format!("constructs@{CONSTRUCTS_VERSION}"),
        format!("typescript@{TYPESCRIPT_VERSION}"),
    ]
}

fn node_dir() -> PathBuf {
    super::root().join(".tools/node")
}

/// Installs the pinned `aws-cdk` CLI, aws-cdk-lib, constructs and TypeScript into `.tools/node`
/// unless they are there; returns its bin dir.
pub fn setup_node() -> Result<PathBuf, String> {
    let dir = node_dir();
    let bin = dir.join("node_modules/.bin");
    let stamp = dir.join("ironcdk-tools.txt");
    let want = node_packages().join("\n") + "\n";
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) && bin.join("cdk").exists() {
        return Ok(bin);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let npm = std::env::var("NPM").unwrap_or_else(|_| "npm".into());
    eprintln!("xtask: installing {} into {}", node_packages().join(" "), dir.display());
    run_cmd(Command::new(npm)
        .arg("install")
        .arg("--prefix")
        .arg(&dir)
        .args(["--no-audit", "--no-fund", "--loglevel=error", "--no-save"])
        .args(node_packages()))?;
    std::fs::write(&stamp, want).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(bin)
}

fn venv() -> PathBuf {
    super::root().join(".venv")
}

fn pins() -> Vec<String> {
    vec![
        format!("cfn-lint=={CFN_LINT_VERSION}"),
        format!("moto[server]=={MOTO_VERSION}"),
        format!("awscli=={AWSCLI_VERSION}"),
        format!("cloudformation-validate=={CFN_VALIDATE_VERSION}"),
    ]
}

fn run_cmd(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Creates `.venv` and installs the pinned tools unless the stamp says they are there.
pub fn setup() -> Result<PathBuf, String> {
    let venv = venv();
    let stamp = venv.join("ironcdk-tools.txt");
    let want = pins().join("\n") + "\n";
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) && venv.join("bin/cfn-lint").exists() {
        return Ok(venv);
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    if !venv.join("bin/python").exists() {
        eprintln!("xtask: creating {}", venv.display());
        run_cmd(Command::new(&python).args(["-m", "venv"]).arg(&venv))?;
    }
    eprintln!("xtask: installing {}", pins().join(" "));
    run_cmd(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
        .args(pins()))?;
    std::fs::write(&stamp, want).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(venv)
}

/// The registry schemas bundled in the installed cfn-lint.
pub fn cfn_lint_schemas() -> Result<PathBuf, String> {
    let lib = setup()?.join("lib");
    let entries = std::fs::read_dir(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    for e in entries.flatten() {
        let p = e.path().join("site-packages/cfnlint/data/schemas");
        if p.exists() {
            return Ok(p);
        }
    }
    Err(format!("no cfnlint/data/schemas under {}", lib.display()))
}

/// Installs the tools, then runs `cargo test --workspace` with them on the tests' PATH.
/// Under `CI=true` the tests treat a missing tool as a failure; outside CI a machine without
/// npm runs the tests that need the CDK CLI as skipped, saying so.
pub fn run(extra: &[String]) -> Result<(), String> {
    let venv = setup()?;
    let bin = venv.join("bin");
    let node_bin = match setup_node() {
        Ok(b) => b,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("xtask: could not install the AWS CDK CLI ({e}); its tests will be skipped");
            node_dir().join("node_modules/.bin")
        }
        Err(e) => return Err(e),
    };
    let path = std::env::var("PATH").unwrap_or_default();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let extra: Vec<&String> = extra.iter().filter(|a| *a != "--").collect();
    // The library's no-panic lints (Cargo.toml's workspace lints) are part of the tests, and
    // the binary's (its own `deny` list).
    run_cmd(Command::new(&cargo)
        .current_dir(super::root())
        .args(["clippy", "-p", "ironcdk-template", "-p", "ironcdk-analysis", "-p", "ironcdk-synth", "-p", "ironcdk-constructs", "--lib", "--", "-D", "warnings"]))?;
    run_cmd(Command::new(&cargo).current_dir(super::root()).args(["clippy", "-p", "ironcdk", "--bin", "ironcdk", "--", "-D", "warnings"]))?;
    // Every generated L1 type compiles (issue #17): the `full` feature, type-checked only.
    run_cmd(Command::new(&cargo).current_dir(super::root()).args(["check", "-p", "ironcdk", "--features", "full", "--lib"]))?;
    run_cmd(Command::new(cargo)
        .current_dir(super::root())
        .args(["test", "--workspace"])
        .args(extra)
        .env("IRONCDK_TOOLS_BIN", &bin)
        .env("IRONCDK_NODE_BIN", &node_bin)
        .env("PATH", format!("{}:{path}", bin.display())))
}

