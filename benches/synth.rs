//! Synth speed: the isolated_api app in process (construct + validate + serialize, and writing
//! files separately), and generated apps of growing size to show time per resource stays flat.
//! Run with `cargo bench --bench synth`; see BENCHMARKS.md.

#[allow(dead_code)]
#[path = "../examples/isolated_api.rs"]
mod isolated_api;
#[allow(dead_code)]
#[path = "../examples/scale.rs"]
mod scale;

use ironcdk::App;

fn main() {
    divan::main();
}

/// Build the constructs, validate, render the template, manifest and tree to JSON bytes.
#[divan::bench]
fn isolated_api_in_memory() -> usize {
    let app = App::new();
    isolated_api::isolated_api(&app).unwrap();
    let a = app.synth_in_memory().unwrap();
    a.files().iter().map(|(_, s)| s.len()).sum()
}

/// The same, serialized to JSON text (what the file write gets), without the file system.
#[divan::bench]
fn isolated_api_construct_only() -> usize {
    let app = App::new();
    isolated_api::isolated_api(&app).unwrap().resource_count()
}

/// Full synth including writing cdk.out/ atomically (temp dir + rename).
#[divan::bench]
fn isolated_api_to_disk(bencher: divan::Bencher) {
    let dir = std::env::temp_dir().join(format!("ironcdk-bench-{}", std::process::id()));
    bencher.bench_local(|| {
        let app = App::with_outdir(&dir);
        isolated_api::isolated_api(&app).unwrap();
        app.synth().unwrap().stacks.len()
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Generated apps of about N resources, in process (build + validate + render to JSON text).
#[divan::bench(args = [10, 100, 1000, 10000], sample_count = 20)]
fn scale_in_memory(n: usize) -> usize {
    let app = App::new();
    scale::build(&app, n).unwrap();
    let a = app.synth_in_memory().unwrap();
    a.stacks.iter().map(|s| s.template_json.len()).sum()
}
