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
        // Every service stack imports the network stack's VPC, subnets, cluster and NLB.
        let outputs = a.stack("Network").unwrap().template()["Outputs"].as_object().unwrap().len();
        assert!((5..=10).contains(&outputs), "{outputs} exports");
        for s in a.stacks.iter().filter(|s| s.name != "Network") {
            assert_eq!(s.dependencies, ["Network"]);
            assert!(s.template_json.contains("Fn::ImportValue"));
        }
    }
}

/// The apps of 10 and 500 resources (network and one service stack; network, a full service
/// stack of 432 and a partial one),
/// linted in one run. The 100 and 1,000 apps above repeat the same service part.
#[test]
fn scale_templates_pass_cfn_lint() {
    let dir = common::temp_dir("scale-lint");
    let (small, large) = (App::new(), App::new());
    scale::build(&small, 10).unwrap();
    scale::build(&large, 500).unwrap();
    let paths = common::write_templates(&dir, &[("n10", small), ("n500", large)]);
    assert_eq!(paths.len(), 5);
    let Some(warnings) = common::cfn_lint_all(&paths) else { return };
    assert!(warnings.is_empty(), "{warnings:?}");
}
