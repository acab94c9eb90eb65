//! `cargo xtask test`: installs the pinned outside tools the tests judge templates with
//! (cfn-lint, moto's server, the AWS CLI) into `.venv/`, then runs every test with them.

use std::path::PathBuf;
use std::process::Command;

pub const CFN_LINT_VERSION: &str = "1.58.0";
pub const MOTO_VERSION: &str = "5.2.5";
pub const AWSCLI_VERSION: &str = "1.46.2";

fn venv() -> PathBuf {
    super::root().join(".venv")
}

fn pins() -> Vec<String> {
    vec![
        format!("cfn-lint=={CFN_LINT_VERSION}"),
        format!("moto[server]=={MOTO_VERSION}"),
        format!("awscli=={AWSCLI_VERSION}"),
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
/// Under `CI=true` the tests treat a missing tool as a failure.
pub fn run(extra: &[String]) -> Result<(), String> {
    let venv = setup()?;
    let bin = venv.join("bin");
    let path = std::env::var("PATH").unwrap_or_default();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let extra: Vec<&String> = extra.iter().filter(|a| *a != "--").collect();
    run_cmd(Command::new(cargo)
        .current_dir(super::root())
        .args(["test", "--workspace"])
        .args(extra)
        .env("IRONCDK_TOOLS_BIN", &bin)
        .env("PATH", format!("{}:{path}", bin.display())))
}

