//! `ironcdk`: the checks and the cost report of synth, run on any CloudFormation template or
//! cloud assembly (CDK's `cdk.out` included).
//!
//! ```text
//! ironcdk check <PATH>... [--parameter STACK.NAME=VALUE]... [--format text|json]
//! ironcdk cost <PATH>... [--region R] [--usage FILE] [--set NAME=VALUE]... [--format text|json]
//! ironcdk completions bash|zsh|fish|elvish|powershell
//! ```
//!
//! Exit status: 0 when no unacknowledged error finding (and always for `cost`), 1 when `check`
//! finds errors, 2 when the input could not be read (the message names the file and, for syntax
//! errors, the line) or the command line is wrong.

// The workspace's no-panic lints (the root package's tests and examples do not take them).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::unreachable, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

mod cdk_report;
mod sarif;
use ironcdk::cost::AssumptionSource;
use ironcdk::{Finding, Severity};

/// The checks and the cost report of ironcdk's synth, on any CloudFormation template or cloud
/// assembly (CDK's `cdk.out` included).
#[derive(Parser)]
#[command(name = "ironcdk", version, propagate_version = true)]
#[command(after_help = "Exit status: 0 no unacknowledged error finding, 1 error findings (check), 2 unreadable input or a wrong command line.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the checks synth runs: every finding, acknowledged ones marked; exits 1 on an
    /// unacknowledged error.
    Check(CheckArgs),
    /// Prices the stacks per month, with the usage assumptions named.
    Cost(CostArgs),
    /// Prints a completion script for a shell (for example `ironcdk completions bash >
    /// /etc/bash_completion.d/ironcdk`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// What to read.
#[derive(Args)]
struct Input {
    /// A cloud assembly directory (every stack in its manifest.json) or template files (JSON
    /// or YAML).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// A parameter's value, for facts the template leaves to deploy time (repeatable).
    #[arg(long = "parameter", value_name = "STACK.NAME=VALUE", value_parser = parameter)]
    parameters: Vec<(String, String, String)>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The largest template read, in bytes (default: CloudFormation's 1 MiB; at most 64 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = ironcdk::load::MAX_TEMPLATE_BYTES)]
    max_template_bytes: u64,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    input: Input,
    /// Leaves a rule's findings out of this run (repeatable), for example `--skip open-ingress`.
    /// In the templates, acknowledge a finding instead: it stays listed, with its reason.
    #[arg(long = "skip", value_name = "RULE")]
    skip: Vec<String>,
}

#[derive(Args)]
struct CostArgs {
    #[command(flatten)]
    input: Input,
    /// The region to price in (default: each stack's own, else us-east-1).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// A usage file (`name: value` lines, `[construct path]` sections); --set and --region
    /// override it.
    #[arg(long, value_name = "FILE")]
    usage: Option<PathBuf>,
    /// A usage assumption, for example `nat.gb_per_month=50` or `image.gb=0.5,1,2` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, as GitHub code scanning and other CI tools read it (check only).
    Sarif,
    /// The shape of CDK's validation-report.json, for tools that read CDK's report (check only).
    CdkValidation,
}

fn parameter(s: &str) -> Result<(String, String, String), String> {
    ironcdk::network::parse_parameter(s).ok_or_else(|| format!("'{s}' is not STACK.NAME=VALUE"))
}

/// Largest usage file read (real ones are a few lines).
const MAX_USAGE_BYTES: u64 = 1 << 20;

fn assumptions(args: &CostArgs) -> Result<ironcdk::cost::Assumptions, String> {
    let mut a = ironcdk::cost::Assumptions::new();
    if let Some(file) = &args.usage {
        let shown = file.display();
        let text = ironcdk::load::read_text(file, MAX_USAGE_BYTES).map_err(|e| e.to_string())?;
        a.read_file(&text).map_err(|e| format!("{shown}: {e}"))?;
    }
    for s in &args.set {
        a.set_text(s, AssumptionSource::Flag)?;
    }
    if let Some(r) = &args.region {
        a.set_region(r.clone(), AssumptionSource::Flag);
    }
    Ok(a)
}

/// The flags of the subcommand on the command line, for an unknown-flag error.
fn flags_of_subcommand() -> Option<String> {
    let cli = Cli::command();
    let sub = std::env::args_os().skip(1).find_map(|a| {
        let a = a.to_str()?.to_string();
        cli.get_subcommands().find(|s| s.get_name() == a).cloned()
    })?;
    let flags: Vec<String> = sub.get_arguments().filter_map(|a| a.get_long().map(|l| format!("--{l}"))).collect();
    Some(format!("'ironcdk {}' takes: {} (and --help)", sub.get_name(), flags.join(", ")))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            if e.kind() == clap::error::ErrorKind::UnknownArgument {
                if let Some(flags) = flags_of_subcommand() {
                    eprintln!("{flags}");
                }
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // The command line is judged whole before any input is read. `skip` is Some for check.
    let known: Vec<&str> = ironcdk::checks::BUILT_IN.iter().map(|r| r.id()).collect();
    let (input, assumptions, skip) = match &cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "ironcdk", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
        Command::Check(c) => {
            if let Some(unknown) = c.skip.iter().find(|r| !known.contains(&r.as_str())) {
                eprintln!("error: --skip '{unknown}' is no rule; the rules are {}", known.join(", "));
                return ExitCode::from(2);
            }
            (&c.input, ironcdk::cost::Assumptions::new(), Some(&c.skip))
        }
        Command::Cost(c) if matches!(c.input.format, Format::Sarif | Format::CdkValidation) => {
            eprintln!("error: --format sarif and cdk-validation are for check; cost prints text or json");
            return ExitCode::from(2);
        }
        Command::Cost(c) => match assumptions(c) {
            Ok(a) => (&c.input, a, None),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let app = match ironcdk::load::load_paths_limited(&input.paths, input.max_template_bytes) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let (Command::Cost(c), [first, ..]) = (&cli.command, assumptions.unknown_scopes(&app).as_slice()) {
        let file = c.usage.as_ref().map(|f| format!("{}: ", f.display())).unwrap_or_default();
        eprintln!("error: {file}{first}");
        return ExitCode::from(2);
    }
    // The analysis synth runs, on the same templates: findings, acknowledgements and cost.
    let mut options = ironcdk::analysis::Options::new();
    options.parameters = input.parameters.clone();
    options.assumptions = assumptions;
    let outcome = ironcdk::analysis::analyze(&app, &options);
    let Some(skip) = skip else {
        // cost (sarif was refused above).
        match input.format {
            Format::Json | Format::Sarif | Format::CdkValidation => print!("{}", outcome.cost.to_json_text(None)),
            Format::Text => print!("{}", outcome.cost.table()),
        }
        return ExitCode::SUCCESS;
    };
    let findings: Vec<Finding> = outcome.findings.into_iter().filter(|f| !skip.contains(&f.rule)).collect();
    match input.format {
        Format::Sarif => print!("{}", ironcdk::to_json(&sarif::report(&app, &findings, &known))),
        Format::CdkValidation => print!("{}", ironcdk::to_json(&cdk_report::report(&app, &findings))),
        Format::Json => print!("{}", ironcdk::to_json(&serde_json::json!({ "findings": findings }))),
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
