//! `ironcdk`: the checks of synth, run on any CloudFormation template or cloud assembly (CDK's
//! `cdk.out` included).
//!
//! ```text
//! ironcdk check <PATH>... [--parameter STACK.NAME=VALUE]... [--format text|json]
//! ironcdk cost <PATH>... [--region R] [--usage FILE] [--set NAME=VALUE]... [--format text|json]
//! ```
//!
//! Exit status: 0 when no error finding (and always for `cost`), 1 when `check` finds errors,
//! 2 when the input could not be read (the message names the file and, for syntax errors, the
//! line) or the command line is wrong.

use std::path::PathBuf;
use std::process::ExitCode;

use ironcdk::{Finding, Severity};

const USAGE: &str = "usage: ironcdk check <PATH>... [--parameter STACK.NAME=VALUE]... [--format text|json]
       ironcdk cost <PATH>... [--region R] [--usage FILE] [--set NAME=VALUE]... [--format text|json]
  PATH  a cloud assembly directory (every stack in its manifest.json) or template files (JSON or YAML)";

enum Format {
    Text,
    Json,
}

#[derive(PartialEq)]
enum Command {
    Check,
    Cost,
}

struct Args {
    command: Command,
    paths: Vec<PathBuf>,
    parameters: Vec<(String, String, String)>,
    format: Format,
    assumptions: ironcdk::cost::Assumptions,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = match args.next().as_deref() {
        Some("check") => Command::Check,
        Some("cost") => Command::Cost,
        Some("-h" | "--help") | None => return Err(USAGE.into()),
        Some(other) => return Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    let mut out = Args { command, paths: Vec::new(), parameters: Vec::new(), format: Format::Text, assumptions: ironcdk::cost::Assumptions::new() };
    use ironcdk::cost::AssumptionSource;
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
            "--region" if out.command == Command::Cost => out.assumptions.set_region(value()?, AssumptionSource::Flag),
            "--set" if out.command == Command::Cost => out.assumptions.set_text(&value()?, AssumptionSource::Flag)?,
            "--usage" if out.command == Command::Cost => {
                let file = value()?;
                let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
                out.assumptions.read_file(&text).map_err(|e| format!("{file}: {e}"))?;
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
                "acknowledged": f.acknowledged,
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
    // The analysis synth runs, on the same templates: findings, acknowledgements and cost.
    let mut options = ironcdk::analysis::Options::new();
    options.parameters = args.parameters;
    options.assumptions = args.assumptions;
    let outcome = ironcdk::analysis::analyze(&app, &options);
    if args.command == Command::Cost {
        let report = outcome.cost;
        match args.format {
            Format::Json => print!("{}", ironcdk::to_json(&report.to_json(None))),
            Format::Text => print!("{}", report.table()),
        }
        return ExitCode::SUCCESS;
    }
    let findings = outcome.findings;
    match args.format {
        Format::Json => print!("{}", json(&findings)),
        Format::Text => {
            for f in &findings {
                println!("{f}");
            }
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            let acknowledged = findings.iter().filter(|f| f.acknowledged.is_some()).count();
            let noted = if acknowledged > 0 { format!(" ({acknowledged} acknowledged)") } else { String::new() };
            println!(
                "{} errors, {} warnings, {} infos in {} stacks{noted}",
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
