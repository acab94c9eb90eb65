//! The output-directory rule, tested against real directories: synth replaces only a missing or
//! empty directory or an assembly ironcdk wrote, refuses anything else before touching it, and
//! leaves no temporary directory behind, also with several synths at once in one process.

mod common;

use ironcdk::{ec2, App, Stack};
use std::path::Path;

fn one_stack_app(outdir: &Path) -> App {
    let app = App::with_outdir(outdir);
    let stack = Stack::new(&app, "Out").unwrap();
    ec2::CfnVpc::new(&stack, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    app
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_directory_of_user_files_is_refused_and_left_as_it_was() {
    let home = common::temp_dir("outdir-home");
    std::fs::write(home.join("thesis.txt"), "years of work").unwrap();
    std::fs::create_dir(home.join("photos")).unwrap();
    let err = one_stack_app(&home).synth().unwrap_err().to_string();
    assert!(err.contains(&home.display().to_string()), "names the directory: {err}");
    assert!(err.contains("refusing") && err.contains("another output directory"), "{err}");
    assert_eq!(std::fs::read_to_string(home.join("thesis.txt")).unwrap(), "years of work");
    assert_eq!(names(&home), ["photos", "thesis.txt"]);
    let name = home.file_name().unwrap().to_string_lossy().into_owned();
    let siblings: Vec<String> = names(home.parent().unwrap()).into_iter().filter(|n| n.starts_with(&format!(".{name}"))).collect();
    assert!(siblings.is_empty(), "no temporary sibling: {siblings:?}");
}

#[test]
fn a_regular_file_is_refused_before_anything_moves() {
    let dir = common::temp_dir("outdir-file");
    let file = dir.join("cdk.out");
    std::fs::write(&file, "not a directory").unwrap();
    let err = one_stack_app(&file).synth().unwrap_err().to_string();
    assert!(err.contains("is a file"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory");
    assert_eq!(names(&dir), ["cdk.out"]);
}

#[test]
fn an_empty_output_path_is_a_clear_error_that_leaves_nothing() {
    let err = one_stack_app(Path::new("")).synth().unwrap_err().to_string();
    assert!(err.contains("output directory is empty") && err.contains("CDK_OUTDIR"), "{err}");
    let stray: Vec<String> = names(Path::new(".")).into_iter().filter(|n| n.contains(".tmp-")).collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn an_assembly_written_by_another_tool_is_refused() {
    let dir = common::temp_dir("outdir-cdk").join("cdk.out");
    std::fs::create_dir(&dir).unwrap();
    // What the TypeScript CDK writes: a manifest without ironcdk's runtime marker.
    std::fs::write(dir.join("manifest.json"), r#"{"version":"36.0.0","artifacts":{}}"#).unwrap();
    std::fs::write(dir.join("cdk.out"), r#"{"version":"36.0.0"}"#).unwrap();
    let err = one_stack_app(&dir).synth().unwrap_err().to_string();
    assert!(err.contains("not written by ironcdk"), "{err}");
    assert_eq!(names(&dir), ["cdk.out", "manifest.json"]);
}

#[test]
fn a_symbolic_link_is_refused() {
    let dir = common::temp_dir("outdir-link");
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::write(dir.join("real/keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(dir.join("real"), dir.join("cdk.out")).unwrap();
    let err = one_stack_app(&dir.join("cdk.out")).synth().unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(names(&dir.join("real")), ["keep.txt"]);
}

#[test]
fn missing_empty_and_own_directories_are_written_and_replaced_whole() {
    let base = common::temp_dir("outdir-own");
    // Missing, with missing parents.
    let missing = base.join("a/b/cdk.out");
    one_stack_app(&missing).synth().unwrap();
    assert_eq!(names(&missing), ["Out.cost.json", "Out.template.json", "manifest.json", "tree.json"]);
    // Empty.
    let empty = base.join("empty");
    std::fs::create_dir(&empty).unwrap();
    one_stack_app(&empty).synth().unwrap();
    assert_eq!(names(&empty).len(), 4);
    // Ours, with a stale file from an earlier run: replaced whole.
    std::fs::write(missing.join("Old.template.json"), "{}").unwrap();
    one_stack_app(&missing).synth().unwrap();
    assert_eq!(names(&missing), ["Out.cost.json", "Out.template.json", "manifest.json", "tree.json"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(missing.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest["runtime"]["libraries"]["ironcdk"].is_string(), "{manifest}");
}

#[test]
fn strays_of_a_crashed_synth_are_gone_after_the_next_success_and_the_previous_output_survives() {
    let base = common::temp_dir("outdir-crash");
    let out = base.join("cdk.out");
    one_stack_app(&out).synth().unwrap();
    let before = std::fs::read_to_string(out.join("Out.template.json")).unwrap();
    // What a process killed mid-write leaves: pid 4294967 cannot be running (above pid_max).
    std::fs::create_dir(base.join(".cdk.out.tmp-4294967-0")).unwrap();
    std::fs::write(base.join(".cdk.out.tmp-4294967-0/Out.template.json"), "{half").unwrap();
    std::fs::create_dir(base.join(".cdk.out.old-4294967-3")).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("Out.template.json")).unwrap(), before, "previous output intact");
    one_stack_app(&out).synth().unwrap();
    assert_eq!(names(&base), ["cdk.out"]);
}

#[test]
fn several_synths_at_once_in_one_process_each_leave_a_whole_assembly() {
    let base = common::temp_dir("outdir-parallel");
    let shared = base.join("cdk.out");
    let threads: Vec<_> = (0..6)
        .map(|i| {
            let shared = shared.clone();
            let own = base.join(format!("own-{i}"));
            std::thread::spawn(move || {
                for _ in 0..5 {
                    one_stack_app(&shared).synth().unwrap();
                    one_stack_app(&own).synth().unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut expected = vec!["cdk.out".to_string()];
    expected.extend((0..6).map(|i| format!("own-{i}")));
    assert_eq!(names(&base), expected, "no temporary directories left");
    for d in &expected {
        assert_eq!(names(&base.join(d)), ["Out.cost.json", "Out.template.json", "manifest.json", "tree.json"]);
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(base.join(d).join("Out.template.json")).unwrap())
            .unwrap();
    }
}

#[test]
fn under_the_cdk_cli_lock_the_directory_stays_and_files_are_replaced_in_place() {
    // The CDK CLI keeps synth.lock inside the output directory while it runs the app.
    let out = common::temp_dir("outdir-cli-lock").join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("synth.lock"), "12345").unwrap();
    one_stack_app(&out).synth().unwrap();
    assert_eq!(names(&out), ["Out.cost.json", "Out.template.json", "manifest.json", "synth.lock", "tree.json"]);
    // A second synth replaces its own files, removes those of the previous assembly it no longer
    // has, and leaves the lock alone.
    let app = App::with_outdir(&out);
    let stack = Stack::new(&app, "Other").unwrap();
    ec2::CfnVpc::new(&stack, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    app.synth().unwrap();
    assert_eq!(names(&out), ["Other.cost.json", "Other.template.json", "manifest.json", "synth.lock", "tree.json"]);
    assert_eq!(std::fs::read_to_string(out.join("synth.lock")).unwrap(), "12345");
    // A lock does not make a stranger's directory ours.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    assert!(one_stack_app(&out).synth().is_err());
    assert!(out.join("notes.txt").exists());
}

#[test]
fn the_deploy_command_names_the_region_and_the_parameters_to_give() {
    use ironcdk::{Environment, Parameter, ParameterProps, ParameterType, StackProps};
    let app = ironcdk::App::new();
    let stack = ironcdk::Stack::with_props(&app, "Tokyo", StackProps::new().env(Environment::region("ap-northeast-1"))).unwrap();
    Parameter::new(&stack, "VpcId", ParameterProps::new(ParameterType::VpcId)).unwrap();
    Parameter::new(&stack, "Size", ParameterProps::new(ParameterType::String).default_value("small")).unwrap();
    ironcdk::sns::CfnTopic::new(&stack, "Topic", ironcdk::sns::CfnTopicProps::new()).unwrap();
    let a = app.synth_in_memory().unwrap();
    let cmd = a.stacks[0].deploy_command();
    assert!(cmd.ends_with("--stack-name Tokyo --region ap-northeast-1 --parameter-overrides VpcId=<value>"), "{cmd}");
    assert_eq!(a.stacks[0].required_parameters, ["VpcId"], "a parameter with a default needs no value");
}
