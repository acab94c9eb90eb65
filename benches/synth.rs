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

/// One template of N Fargate services (8 resources each, 5 subnets per service), every one
/// with findings: its load balancer's security group admits nothing and its image comes from
/// Docker Hub with no route out. Reading, every rule, and the acknowledgements: placing and
/// naming findings must stay linear in a template of thousands of resources.
#[divan::bench(args = [250, 500, 1000], sample_count = 10)]
fn ironcdk_check_one_large_template(bencher: divan::Bencher, n: usize) {
    let path = std::env::temp_dir().join(format!("ironcdk-bench-large-{n}-{}.json", std::process::id()));
    std::fs::write(&path, large_template(n).to_string()).unwrap();
    bencher.bench_local(|| {
        let app = ironcdk::load::load_paths_limited(std::slice::from_ref(&path), 64 << 20).unwrap();
        ironcdk::analysis::analyze(&app, &ironcdk::analysis::Options::new()).findings.len()
    });
    let _ = std::fs::remove_file(&path);
}

/// The template of [`ironcdk_check_one_large_template`].
fn large_template(n: usize) -> serde_json::Value {
    use serde_json::json;
    let mut r = serde_json::Map::new();
    r.insert("Vpc".into(), json!({"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}));
    for i in 0..n {
        let sg = |j: usize| json!({"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "SourceSecurityGroupId": {"Ref": format!("Sg{}", (i + j) % n)}});
        r.insert(format!("Sub{i}"), json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": format!("10.0.{}.0/24", i % 256), "AvailabilityZone": "us-east-1a"}}));
        r.insert(format!("Sg{i}"), json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "VpcId": {"Ref": "Vpc"}, "SecurityGroupIngress": [sg(1), sg(2), sg(3)]}}));
        r.insert(format!("Lb{i}"), json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "Subnets": [{"Ref": format!("Sub{i}")}], "SecurityGroups": [{"Ref": format!("LbSg{i}")}]}}));
        r.insert(format!("LbSg{i}"), json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "VpcId": {"Ref": "Vpc"}}}));
        r.insert(format!("Tg{i}"), json!({"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 80, "Protocol": "TCP", "TargetType": "ip", "VpcId": {"Ref": "Vpc"}}}));
        r.insert(format!("L{i}"), json!({"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": format!("Lb{i}")}, "Port": 80, "Protocol": "TCP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": format!("Tg{i}")}}]}}));
        r.insert(format!("Td{i}"), json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512", "ContainerDefinitions": [{"Name": "c", "Image": "nginx", "PortMappings": [{"ContainerPort": 80}]}]}}));
        let subnets: Vec<serde_json::Value> = (i..i + 5).map(|j| json!({"Ref": format!("Sub{}", j % n)})).collect();
        r.insert(format!("S{i}"), json!({"Type": "AWS::ECS::Service", "DependsOn": [format!("L{i}")], "Properties": {"TaskDefinition": {"Ref": format!("Td{i}")}, "LaunchType": "FARGATE",
            "LoadBalancers": [{"ContainerName": "c", "ContainerPort": 80, "TargetGroupArn": {"Ref": format!("Tg{i}")}}],
            "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": subnets, "SecurityGroups": [{"Ref": format!("Sg{i}")}]}}}}));
    }
    json!({"Resources": r})
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
