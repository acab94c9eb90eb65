//! Compiles the vendored CloudFormation schemas (crate `ironcdk-codegen`) into the validation
//! tables `schema` reads: `OUT_DIR/schema_words.bin`, `schema_strings.txt`, `schema_tags.rs`.

use std::path::{Path, PathBuf};

fn main() {
    if let Err(e) = run() {
        eprintln!("ironcdk-analysis build script: {e}");
        std::process::exit(1);
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn run() -> Result<(), String> {
    let schemas = ironcdk_codegen::schemas_dir();
    println!("cargo:rerun-if-changed={}", schemas.display());
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let tables = ironcdk_codegen::validation::compile(&schemas)?;
    write(&out.join("schema_words.bin"), &tables.words)?;
    write(&out.join("schema_strings.txt"), tables.strings.as_bytes())?;
    write(&out.join("schema_tags.rs"), ironcdk_codegen::validation::tags_rust().as_bytes())
}
