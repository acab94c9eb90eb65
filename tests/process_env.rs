//! What the process environment gives an app: `CDK_OUTDIR` and the `CDK_DEFAULT_*` variables
//! the CDK CLI sets. One test, alone in its binary, because it changes the environment.

use ironcdk::{ec2, App, Environment, Stack, StackProps};

fn one_vpc(app: &App, props: StackProps) {
    let stack = Stack::with_props(app, "Out", props).unwrap();
    ec2::CfnVpc::new(&stack, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
}

#[test]
fn cdk_environment_variables() {
    // An empty CDK_OUTDIR is a clear error that creates and removes nothing.
    std::env::set_var("CDK_OUTDIR", "");
    let app = App::new();
    std::env::remove_var("CDK_OUTDIR");
    one_vpc(&app, StackProps::new());
    let before: Vec<_> = std::fs::read_dir(".").unwrap().map(|e| e.unwrap().file_name()).collect();
    let err = app.synth().unwrap_err().to_string();
    assert!(err.contains("CDK_OUTDIR set to an empty string"), "{err}");
    let after: Vec<_> = std::fs::read_dir(".").unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(before, after, "nothing created or removed");

    // CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, as the CDK CLI sets them.
    std::env::set_var("CDK_DEFAULT_ACCOUNT", "123456789012");
    std::env::set_var("CDK_DEFAULT_REGION", "ap-northeast-1");
    let env = Environment::from_cdk_defaults();
    assert_eq!(env, Environment { account: Some("123456789012".into()), region: Some("ap-northeast-1".into()) });
    let app = App::new();
    one_vpc(&app, StackProps::new().env(env));
    let a = app.synth_in_memory().unwrap();
    assert_eq!(a.manifest()["artifacts"]["Out"]["environment"], "aws://123456789012/ap-northeast-1");

    // Unset or empty leaves that part environment-agnostic; nothing is looked up.
    std::env::remove_var("CDK_DEFAULT_ACCOUNT");
    std::env::set_var("CDK_DEFAULT_REGION", " ");
    assert_eq!(Environment::from_cdk_defaults(), Environment::default());
    std::env::set_var("CDK_DEFAULT_REGION", "eu-west-1");
    assert_eq!(Environment::from_cdk_defaults(), Environment::region("eu-west-1"));
    std::env::remove_var("CDK_DEFAULT_REGION");
    let app = App::new();
    one_vpc(&app, StackProps::new().env(Environment::from_cdk_defaults()));
    assert_eq!(app.synth_in_memory().unwrap().manifest()["artifacts"]["Out"]["environment"], "aws://unknown-account/unknown-region");
}
