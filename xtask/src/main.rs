//! Project tasks. `cargo xtask codegen` regenerates the L1 code, `cargo xtask vendor` refreshes
//! the vendored schemas from an installed cfn-lint, `cargo xtask test` installs the pinned
//! outside tools and runs every test.

mod codegen;
mod testrun;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn schemas_dir() -> PathBuf {
    root().join("constructs/schemas")
}

fn generated_path(service: &str) -> PathBuf {
    root().join("constructs/src").join(service).join("generated.rs")
}

fn codegen(check: bool) -> Result<(), String> {
    let modules = codegen::generate(&schemas_dir())?;
    let mut stale = Vec::new();
    for (service, code) in &modules {
        let path = generated_path(service);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == *code {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, code).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("wrote {}", path.display());
        }
    }
    if !stale.is_empty() {
        return Err(format!("generated code is stale; run `cargo xtask codegen`: {}", stale.join(", ")));
    }
    Ok(())
}

/// Copies the schemas listed in types.txt out of an installed cfn-lint's bundled registry
/// schemas (`cfnlint/data/schemas`), recording the cfn-lint version and schema date.
fn vendor(from: Option<PathBuf>) -> Result<(), String> {
    let from = match from {
        Some(f) => f,
        None => testrun::cfn_lint_schemas()?,
    };
    let providers: serde_json::Value = read_json(&from.join("providers/us-east-1.json"))?;
    let version: serde_json::Value = read_json(&from.join("version.json"))?;
    let dir = schemas_dir();
    for t in codegen::read_types(&dir)? {
        let Some(hash) = providers.get(&t).and_then(|h| h.as_str()) else {
            return Err(format!("{t} is not in cfn-lint's us-east-1 provider list"));
        };
        let schema = read_json(&from.join("resources").join(format!("{hash}.json")))?;
        let text = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n";
        let out = dir.join(codegen::schema_file(&t));
        std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let lint_version = testrun::CFN_LINT_VERSION;
    let date = version.get("schema_date").and_then(|d| d.as_str()).unwrap_or("unknown");
    let source = format!(
        "CloudFormation resource provider schemas, copied by `cargo xtask vendor` from the schemas\nbundled in the cfn-lint {lint_version} wheel (cfnlint/data/schemas, us-east-1 provider list).\nschema_date: {date}\n"
    );
    std::fs::write(dir.join("SOURCE"), source).map_err(|e| e.to_string())?;
    println!("vendored schemas from {} (schema_date {date})", from.display());
    Ok(())
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(args.iter().any(|a| a == "--check")),
        Some("vendor") => vendor(args.get(1).map(PathBuf::from)),
        Some("test") => testrun::run(&args[1..]),
        Some("setup") => testrun::setup().map(|_| ()),
        _ => Err("usage: cargo xtask <codegen [--check] | vendor [SCHEMAS_DIR] | setup | test [-- CARGO_TEST_ARGS]>".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    /// The committed generated code matches what the generator makes from the vendored schemas.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(e) = super::codegen(true) {
            panic!("{e}");
        }
    }
}
