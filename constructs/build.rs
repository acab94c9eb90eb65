//! Generates the L1 code from the vendored CloudFormation schemas (crate `ironcdk-codegen`) into
//! `OUT_DIR`: for every service, the types the L2 constructs use (`schemas/default.txt`), and
//! every type of each service whose cargo feature is on (`full` turns on all of them).

use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("ironcdk-constructs build script: {e}");
        std::process::exit(1);
    }
}

fn feature_on(name: &str) -> bool {
    std::env::var_os(format!("CARGO_FEATURE_{}", name.to_uppercase())).is_some()
}

fn run() -> Result<(), String> {
    let schemas = ironcdk_codegen::schemas_dir();
    println!("cargo:rerun-if-changed={}", schemas.display());
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?).join("l1");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut defaults: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in ironcdk_codegen::read_list(&schemas, "default.txt")? {
        defaults.entry(ironcdk_codegen::service_module(&t)).or_default().push(t);
    }
    let full = feature_on("full");
    // Services without hand-written constructs get their module here; the others include their
    // generated file from their own `mod.rs`.
    let mut modules = String::from(ironcdk_codegen::HEADER);
    for (service, types) in ironcdk_codegen::services(&schemas)? {
        let chosen = if full || feature_on(&service) {
            types.clone()
        } else {
            defaults.get(&service).cloned().unwrap_or_default()
        };
        if chosen.is_empty() {
            continue;
        }
        let code = ironcdk_codegen::generate_service(&schemas, &service, &chosen)?;
        ironcdk_codegen::write_if_changed(&out.join(format!("{service}.rs")), code.as_bytes())?;
        if !defaults.contains_key(&service) {
            let namespace = types.first().map(|t| t.rsplitn(2, "::").last().unwrap_or_default().to_string()).unwrap_or_default();
            modules.push_str(&format!(
                "/// `{namespace}`: the generated L1 resources (cargo feature `{service}`).\n#[allow(clippy::all, rustdoc::all)]\npub mod {service} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/l1/{service}.rs\"));\n}}\n"
            ));
        }
    }
    ironcdk_codegen::write_if_changed(&out.join("modules.rs"), modules.as_bytes())
}
