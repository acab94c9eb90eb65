//! The scale example (used by the benchmarks) produces valid templates of the size asked for.

mod common;
#[allow(dead_code)]
#[path = "../examples/scale.rs"]
mod scale;

use ironcdk::App;

#[test]
fn scale_app_has_about_the_requested_size_and_respects_the_500_limit() {
    for n in [10usize, 100, 1000] {
        let app = App::new();
        let count = scale::build(&app, n).unwrap();
        assert!(count >= n && count < n + scale::SERVICE_RESOURCES + scale::NETWORK_RESOURCES, "asked {n}, got {count}");
        let a = app.synth_in_memory().unwrap();
        assert_eq!(a.stacks.iter().map(|s| s.resource_count).sum::<usize>(), count);
        assert!(a.stacks.iter().all(|s| s.resource_count <= 500));
    }
}

#[test]
fn scale_templates_pass_cfn_lint() {
    let dir = common::temp_dir("scale-lint");
    let app = App::with_outdir(&dir);
    scale::build(&app, 500).unwrap();
    let a = app.synth().unwrap();
    assert_eq!(a.stacks.len(), 2);
    for s in &a.stacks {
        let Some(warnings) = common::cfn_lint(&s.template_path) else { return };
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
