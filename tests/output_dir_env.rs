//! `CDK_OUTDIR` set to an empty string: alone in its test binary, because it changes the
//! process environment.

use ironcdk::{ec2, App, Stack};

#[test]
fn an_empty_cdk_outdir_is_a_clear_error_that_leaves_nothing() {
    std::env::set_var("CDK_OUTDIR", "");
    let app = App::new();
    std::env::remove_var("CDK_OUTDIR");
    let stack = Stack::new(&app, "Out").unwrap();
    ec2::CfnVpc::new(&stack, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let before: Vec<_> = std::fs::read_dir(".").unwrap().map(|e| e.unwrap().file_name()).collect();
    let err = app.synth().unwrap_err().to_string();
    assert!(err.contains("CDK_OUTDIR set to an empty string"), "{err}");
    let after: Vec<_> = std::fs::read_dir(".").unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(before, after, "nothing created or removed");
}
