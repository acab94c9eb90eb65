//! `ironcdk`: the checks of synth, run on any CloudFormation template or cloud assembly (CDK's
//! `cdk.out` included).
//!
//! ```text
//! ironcdk check <PATH>... [--parameter STACK.NAME=VALUE]... [--format text|json]
//! ```
//!
//! Exit status: 0 when no error finding, 1 when there are error findings, 2 when the input
//! could not be read (the message names the file and, for syntax errors, the line) or the
//! command line is wrong.

use std::path::PathBuf;
use std::process::ExitCode;

use ironcdk::checks::NetworkChecks;
use ironcdk::{Finding, Severity};

const USAGE: &str = "usage: ironcdk check <PATH>... [--parameter STACK.NAME=VALUE]... [--format text|json]
  PATH  a cloud assembly directory (every stack in its manifest.json) or template files (JSON)";

enum Format {
    Text,
    Json,
}

struct Args {
    paths: Vec<PathBuf>,
    parameters: Vec<(String, String, String)>,
    format: Format,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("check") => {}
        Some("-h" | "--help") | None => return Err(USAGE.into()),
        Some(other) => return Err(format!("unknown command '{other}'\n{USAGE}")),
    }
    let mut out = Args { paths: Vec::new(), parameters: Vec::new(), format: Format::Text };
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--parameter" => {
                let v = value()?;
                let p = ironcdk::network::parse_parameter(&v).ok_or_else(|| format!("--parameter '{v}' is not STACK.NAME=VALUE"))?;
                out.parameters.push(p);
            }
            "--format" => {
                out.format = match value()?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return Err(format!("--format '{other}' is not text or json")),
                }
            }
            "-h" | "--help" => return Err(USAGE.into()),
            f if f.starts_with("--") => return Err(format!("unknown option '{f}'\n{USAGE}")),
            _ => out.paths.push(PathBuf::from(a)),
        }
    }
    if out.paths.is_empty() {
        return Err(format!("no PATH given\n{USAGE}"));
    }
    Ok(out)
}

fn json(findings: &[Finding]) -> String {
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "stack": f.stack,
                "logical_id": f.logical_id,
                "path": f.path,
                "message": f.message,
                "fix": f.fix,
            })
        })
        .collect();
    ironcdk::to_json(&serde_json::json!({ "findings": list }))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let app = match ironcdk::load::load_paths(&args.paths) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let findings = NetworkChecks::with_parameters(args.parameters).run(&app);
    match args.format {
        Format::Json => print!("{}", json(&findings)),
        Format::Text => {
            for f in &findings {
                println!("{f}");
            }
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            println!(
                "{} errors, {} warnings, {} infos in {} stacks",
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
                app.stacks.len()
            );
        }
    }
    if findings.iter().any(Finding::blocks) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
