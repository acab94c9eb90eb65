//! Synth speed: the isolated_api app in process (construct + validate + serialize, and writing
//! files separately), and generated apps of growing size to show time per resource stays flat.
//! Run with `cargo bench --bench synth`; see BENCHMARKS.md.
//!
//! Each benchmark returns what it built, so divan drops it after the timing: freeing the
//! construct tree is measured on its own (`scale_teardown`), as a synth program exits instead.

#[allow(dead_code)]
#[path = "../examples/isolated_api.rs"]
mod isolated_api;
#[allow(dead_code)]
#[path = "../examples/scale.rs"]
mod scale;

use ironcdk::{App, Assembly};

fn main() {
    divan::main();
}

/// Build the constructs only.
#[divan::bench]
fn isolated_api_construct_only() -> App {
    let app = App::new();
    isolated_api::isolated_api(&app).unwrap();
    app
}

/// Build the constructs, validate, render the template, manifest and tree to their bytes.
#[divan::bench]
fn isolated_api_in_memory() -> (App, Assembly) {
    let app = App::new();
    isolated_api::isolated_api(&app).unwrap();
    let a = app.synth_in_memory().unwrap();
    (app, a)
}

/// An analysis that finds nothing: what the pipeline costs before any check does work.
struct NoFindings;
impl ironcdk::Analysis for NoFindings {
    fn name(&self) -> &str {
        "no-findings"
    }
    fn analyze(&self, _: &ironcdk::PreparedApp) -> ironcdk::AnalysisOutput {
        ironcdk::AnalysisOutput::new()
    }
}

/// The same with an empty analysis registered (the whole-app pipeline's budget).
#[divan::bench]
fn isolated_api_in_memory_empty_analysis() -> (App, Assembly) {
    let app = App::new();
    app.add_analysis(NoFindings);
    isolated_api::isolated_api(&app).unwrap();
    let a = app.synth_in_memory().unwrap();
    (app, a)
}

/// Full synth including writing cdk.out/ atomically (temp dir + rename).
#[divan::bench]
fn isolated_api_to_disk(bencher: divan::Bencher) {
    let dir = std::env::temp_dir().join(format!("ironcdk-bench-{}", std::process::id()));
    bencher.bench_local(|| {
        let app = App::with_outdir(&dir);
        isolated_api::isolated_api(&app).unwrap();
        let a = app.synth().unwrap();
        (app, a)
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Generated apps of about N resources, in process (build + validate + render to bytes).
#[divan::bench(args = [10, 40, 100, 1000, 10000], sample_count = 20)]
fn scale_in_memory(n: usize) -> (App, Assembly) {
    let app = App::new();
    scale::build(&app, n).unwrap();
    let a = app.synth_in_memory().unwrap();
    (app, a)
}

/// Freeing a synthesized app of about N resources (the time the benchmarks above leave out).
#[divan::bench(args = [10000], sample_count = 20)]
fn scale_teardown(bencher: divan::Bencher, n: usize) {
    bencher
        .with_inputs(|| {
            let app = App::new();
            scale::build(&app, n).unwrap();
            let a = app.synth_in_memory().unwrap();
            (app, a)
        })
        .bench_local_values(drop);
}

/// Synthesizes `build` into a fresh temporary assembly, as `ironcdk` would find it on disk.
fn written(label: &str, build: impl FnOnce(&App)) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ironcdk-bench-{label}-{}", std::process::id()));
    let app = App::with_outdir(&dir);
    build(&app);
    app.synth().unwrap();
    dir
}

fn read(dir: &std::path::Path) -> ironcdk::PreparedApp {
    ironcdk::load::load_paths(&[dir.to_path_buf()]).unwrap()
}

/// The checks alone (deriving the network model included), over the isolated API read back
/// from its assembly: what they add to synth.
#[divan::bench]
fn checks_isolated_api(bencher: divan::Bencher) {
    let dir = written("checks", |app| drop(isolated_api::isolated_api(app).unwrap()));
    let prepared = read(&dir);
    bencher.with_inputs(|| prepared.clone()).bench_local_refs(|p| ironcdk::checks::NetworkChecks::new().run(p));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `ironcdk check` on a scale assembly of about N resources: reading every template and
/// running every rule.
#[divan::bench(args = [100, 1000, 10000], sample_count = 20)]
fn ironcdk_check_scale(bencher: divan::Bencher, n: usize) {
    let dir = written(&format!("check-scale-{n}"), |app| { scale::build(app, n).unwrap(); });
    bencher.bench_local(|| ironcdk::checks::NetworkChecks::new().run(&read(&dir)));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The cost estimate alone (deriving the network model included), over the isolated API.
#[divan::bench]
fn cost_isolated_api(bencher: divan::Bencher) {
    let dir = written("cost", |app| drop(isolated_api::isolated_api(app).unwrap()));
    let prepared = read(&dir);
    let assumptions = ironcdk::cost::Assumptions::new();
    bencher.with_inputs(|| prepared.clone()).bench_local_refs(|p| ironcdk::cost::estimate(p, &assumptions));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The cost estimate over the scale app of about N resources (model derivation included).
#[divan::bench(args = [1000, 10000], sample_count = 20)]
fn cost_scale(bencher: divan::Bencher, n: usize) {
    let dir = written(&format!("cost-scale-{n}"), |app| { scale::build(app, n).unwrap(); });
    let prepared = read(&dir);
    let assumptions = ironcdk::cost::Assumptions::new();
    bencher.with_inputs(|| prepared.clone()).bench_local_refs(|p| ironcdk::cost::estimate(p, &assumptions));
    let _ = std::fs::remove_dir_all(&dir);
}
