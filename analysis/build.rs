//! Compiles the vendored CloudFormation schemas (crate `ironcdk-codegen`) into the validation
//! tables `schema` reads: `OUT_DIR/schema_words.rs`, `schema_strings.txt`, `schema_tags.rs`,
//! the type index `schema_type_index.rs` and its hash `schema_type_hash.rs`.

use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("ironcdk-analysis build script: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let schemas = ironcdk_codegen::schemas_dir();
    println!("cargo:rerun-if-changed={}", schemas.display());
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let tables = ironcdk_codegen::validation::compile(&schemas)?;
    ironcdk_codegen::write_if_changed(&out.join("schema_words.rs"), ironcdk_codegen::validation::words_rust("WORDS", &tables.words).as_bytes())?;
    ironcdk_codegen::write_if_changed(&out.join("schema_strings.txt"), tables.strings.as_bytes())?;
    ironcdk_codegen::write_if_changed(&out.join("schema_type_index.rs"), ironcdk_codegen::validation::words_rust("INDEX", &tables.index).as_bytes())?;
    ironcdk_codegen::write_if_changed(&out.join("schema_type_hash.rs"), ironcdk_codegen::validation::TYPE_HASH_SOURCE.as_bytes())?;
    ironcdk_codegen::write_if_changed(&out.join("schema_tags.rs"), ironcdk_codegen::validation::tags_rust().as_bytes())
}
