//! Every resource is validated against its CloudFormation registry schema: at synth, where the
//! error names the construct path, the property path, what the schema allows and the fix; and
//! by `ironcdk check` on any template, CDK's included.

use ironcdk::ec2::{CfnVpc, CfnVpcProps};
use ironcdk::logs::{CfnLogGroup, CfnLogGroupProps};
use ironcdk::{App, Resource, Stack, Value};
use std::process::Command;

mod common;

fn synth_error(build: impl FnOnce(&Stack)) -> String {
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    build(&s);
    match app.synth_in_memory() {
        Ok(_) => panic!("synth accepted it"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_l1_value_the_schema_forbids_is_refused_at_synth_with_the_construct_path() {
    let e = synth_error(|s| {
        CfnLogGroup::new(s, "Logs", CfnLogGroupProps::new().retention_in_days(2)).unwrap();
    });
    assert!(e.contains("S/Logs"), "{e}");
    assert!(e.contains("Properties.RetentionInDays is 2, which is not one of the values the schema allows: 1, 3, 5, 7"), "{e}");
    assert!(e.contains("use one of the allowed values"), "{e}");
}

#[test]
fn a_raw_resource_with_a_misspelt_property_is_refused_with_the_right_name() {
    let e = synth_error(|s| {
        Resource::new_dynamic(s, "Topic", "AWS::SNS::Topic", None, Box::new(|| {
            let mut m = ironcdk::Map::new();
            m.insert("DisplayNmae", Value::Str("alerts".into()));
            Value::Map(m)
        }))
        .unwrap();
    });
    assert!(e.contains("S/Topic") && e.contains("Properties.DisplayNmae is not a property the schema allows here"), "{e}");
    assert!(e.contains("did you mean DisplayName?"), "{e}");
}

#[test]
fn an_override_that_turns_a_list_into_a_map_is_refused() {
    let e = synth_error(|s| {
        let vpc = CfnVpc::new(s, "Vpc", CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
        let mut tag = ironcdk::Map::new();
        tag.insert("Key", Value::Str("team".into()));
        tag.insert("Value", Value::Str("api".into()));
        vpc.add_property_override("Tags", Value::Map(tag));
    });
    assert!(e.contains("S/Vpc") && e.contains("Properties.Tags is an object; the schema wants a list"), "{e}");
}

#[test]
fn a_resource_type_nobody_knows_is_refused() {
    let e = synth_error(|s| {
        Resource::new_dynamic(s, "Topic", "AWS::SNS::Topik", None, Box::new(|| Value::Map(ironcdk::Map::new()))).unwrap();
    });
    assert!(e.contains("S/Topic") && e.contains("AWS::SNS::Topik is not a resource type of the CloudFormation registry"), "{e}");
}

const CDK_TEMPLATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cdk/lambda-logging-config.template.json");

/// `ironcdk check --format json` on `template`: exit status and the error findings as
/// (rule, logical id, message).
fn check(template: &serde_json::Value) -> (Option<i32>, Vec<(String, String, String)>) {
    let dir = std::env::temp_dir().join(format!("ironcdk-schema-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.template.json");
    std::fs::write(&path, serde_json::to_string_pretty(template).unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(["check", "--format", "json"]).arg(&path).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["logical_id"].as_str().unwrap_or_default().to_string(), f["message"].as_str().unwrap().to_string()))
        .collect();
    (out.status.code(), findings)
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn a_cdk_template_is_clean_and_each_mutation_of_it_is_an_error_at_its_resource() {
    let original: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(CDK_TEMPLATE).unwrap()).unwrap();
    let (code, findings) = check(&original);
    assert_eq!((code, findings.len()), (Some(0), 0), "{findings:#?}");
    // The outside judges agree that the unchanged template is valid (cfn-lint and AWS's
    // cloudformation-validate; only warnings about the fixture's old runtime).
    if let Some(warnings) = common::cfn_lint(std::path::Path::new(CDK_TEMPLATE)) {
        assert!(warnings.iter().all(|w| w.contains("W2531") || w.contains("W3005")), "{warnings:#?}");
    }

    type Mutation = (&'static str, fn(&mut serde_json::Value), &'static str, &'static str, &'static str);
    const ROLE: &str = "LambdaWithLogGroupServiceRoleC5DDB031";
    let mutations: [Mutation; 15] = [
        ("retention of 2 days", |t| t["Resources"]["MyLogGroupWithLogGroupNameB577EB65"]["Properties"]["RetentionInDays"] = 2.into(), "schema", "MyLogGroupWithLogGroupNameB577EB65", "Properties.RetentionInDays is 2"),
        ("misspelt property", |t| {
            let p = t["Resources"]["LambdaWithLogGroupC3B62A1A"]["Properties"].as_object_mut().unwrap();
            let v = p.remove("Runtime").unwrap();
            p.insert("Runtim".into(), v);
        }, "schema", "LambdaWithLogGroupC3B62A1A", "Properties.Runtim is not a property the schema allows here"),
        ("missing required property", |t| {
            t["Resources"]["LambdaWithLogLevelServiceRole90A45743"]["Properties"].as_object_mut().unwrap().remove("AssumeRolePolicyDocument");
        }, "schema", "LambdaWithLogLevelServiceRole90A45743", "lacks the required property AssumeRolePolicyDocument"),
        ("enum value", |t| t["Resources"]["LambdaWithLogLevelCBBBEFFC"]["Properties"]["LoggingConfig"]["LogFormat"] = "Jason".into(), "schema", "LambdaWithLogLevelCBBBEFFC", "Properties.LoggingConfig.LogFormat is 'Jason'"),
        ("list turned into a map", |t| t["Resources"]["LambdaWithLogGroupServiceRoleC5DDB031"]["Properties"]["ManagedPolicyArns"] = serde_json::json!({"a": "b"}), "schema", "LambdaWithLogGroupServiceRoleC5DDB031", "Properties.ManagedPolicyArns is an object; the schema wants a list"),
        // The rest of issue 17's list, on the same real template.
        ("statement without actions", |t| {
            t["Resources"][ROLE]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0].as_object_mut().unwrap().remove("Action");
        }, "template-sections", ROLE, "Statement[0] has no Action or NotAction"),
        ("Sid with a space", |t| t["Resources"][ROLE]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Sid"] = "Assume it".into(), "template-sections", ROLE, "Sid is 'Assume it'"),
        ("parameter default outside its allowed values", |t| {
            t["Parameters"]["Stage"] = serde_json::json!({"Type": "String", "Default": "qa", "AllowedValues": ["dev", "prod"]});
        }, "template-sections", "Stage", "its Default 'qa' is not one of its AllowedValues"),
        ("Fn::Sub naming nothing", |t| t["Resources"]["LambdaWithLogGroupC3B62A1A"]["Properties"]["Handler"] = serde_json::json!({"Fn::Sub": "${Nope}.handler"}), "template-structure", "LambdaWithLogGroupC3B62A1A", "Nope"),
        ("Fn::Select past the end", |t| t["Resources"]["MyLogGroupWithLogGroupNameB577EB65"]["Properties"]["LogGroupName"] = serde_json::json!({"Fn::Select": [2, ["a", "b"]]}), "template-sections", "MyLogGroupWithLogGroupNameB577EB65", "Fn::Select picks item 2 of a list of 2"),
        ("an output whose value is a list", |t| t["Outputs"] = serde_json::json!({"Names": {"Value": {"Fn::Split": [",", "a,b"]}}}), "template-sections", "Names", "its Value is a list"),
        ("one export name twice", |t| {
            t["Outputs"] = serde_json::json!({"A": {"Value": "a", "Export": {"Name": "shared"}}, "B": {"Value": "b", "Export": {"Name": "shared"}}});
        }, "duplicate-export", "B", "'shared'"),
        ("DeletionPolicy: Explode", |t| t["Resources"]["MyLogGroupWithLogGroupNameB577EB65"]["DeletionPolicy"] = "Explode".into(), "template-sections", "MyLogGroupWithLogGroupNameB577EB65", "DeletionPolicy is 'Explode'"),
        ("a GetAtt of an attribute the type lacks", |t| t["Resources"]["LambdaWithLogGroupC3B62A1A"]["Properties"]["Role"] = serde_json::json!({"Fn::GetAtt": [ROLE, "Arnn"]}), "schema", "LambdaWithLogGroupC3B62A1A", "has no attribute Arnn; did you mean Arn?"),
        ("a Ref to a list parameter where one name is wanted", |t| {
            t["Parameters"]["Names"] = serde_json::json!({"Type": "CommaDelimitedList"});
            t["Resources"]["MyLogGroupWithLogGroupNameB577EB65"]["Properties"]["LogGroupName"] = serde_json::json!({"Ref": "Names"});
        }, "schema", "MyLogGroupWithLogGroupNameB577EB65", "is a Ref that yields a list"),
    ];
    for (what, mutate, rule, logical_id, message) in mutations {
        let mut t = original.clone();
        mutate(&mut t);
        let (code, findings) = check(&t);
        assert_eq!(code, Some(1), "{what}: {findings:#?}");
        assert_eq!(findings.len(), 1, "{what}: {findings:#?}");
        let (r, id, m) = &findings[0];
        assert_eq!((r.as_str(), id.as_str()), (rule, logical_id), "{what}: {m}");
        assert!(m.contains(message), "{what}: {m}");
    }
}

#[test]
fn an_override_with_a_deletion_policy_cloudformation_does_not_know_is_refused() {
    let e = synth_error(|s| {
        let vpc = CfnVpc::new(s, "Vpc", CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
        vpc.add_override("DeletionPolicy", Value::Str("Explode".into()));
    });
    assert!(e.contains("S/Vpc") && e.contains("DeletionPolicy is 'Explode'; CloudFormation knows Delete, Retain, RetainExceptOnDelete, Snapshot"), "{e}");
}

#[test]
fn a_sub_naming_a_variable_that_does_not_exist_is_refused() {
    let e = synth_error(|s| {
        ironcdk::sns::CfnTopic::new(s, "Topic", ironcdk::sns::CfnTopicProps::new().display_name(ironcdk::fns::sub("${AWS::StackName}-${Stage}"))).unwrap();
    });
    assert!(e.contains("S/Topic") && e.contains("Fn::Sub names '${Stage}', which is neither one of its variables nor a name of this template"), "{e}");
}

// The rest of issue 17's list of what CloudFormation refuses and synth used to accept; each is
// refused at synth, naming the construct. (The same export name in two stacks is in
// tests/cross_stack.rs.)

#[test]
fn a_policy_statement_without_actions_is_refused() {
    let e = synth_error(|s| {
        let role = ironcdk::iam::Role::new(s, "Role", ironcdk::iam::RoleProps::new(ironcdk::iam::Principal::service("lambda.amazonaws.com"))).unwrap();
        role.add_to_policy(ironcdk::iam::PolicyStatement::allow().resource("*")).unwrap();
    });
    assert!(e.contains("S/Role/DefaultPolicy") && e.contains("PolicyDocument.Statement[0] has no Action or NotAction"), "{e}");
}

#[test]
fn a_sid_with_a_space_is_refused() {
    let e = synth_error(|s| {
        let role = ironcdk::iam::Role::new(s, "Role", ironcdk::iam::RoleProps::new(ironcdk::iam::Principal::service("lambda.amazonaws.com"))).unwrap();
        role.add_to_policy(ironcdk::iam::PolicyStatement::allow().actions(["s3:GetObject"]).resource("*").sid("Read it")).unwrap();
    });
    assert!(e.contains("S/Role/DefaultPolicy") && e.contains("Statement[0].Sid is 'Read it'; an IAM policy's Sid may hold only letters and digits"), "{e}");
}

#[test]
fn a_parameter_default_outside_its_constraints_is_refused() {
    // A string outside the allowed values is refused when the parameter is made.
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let e = ironcdk::Parameter::new(&s, "Env", ironcdk::ParameterProps::new(ironcdk::ParameterType::String).allowed_values(["dev", "prod"]).default_value("qa")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("S/Env") && e.contains("default value 'qa' is not one of the allowed values"), "{e}");
    // A number outside the allowed values or over the maximum, at synth.
    let e = synth_error(|s| {
        CfnVpc::new(s, "Vpc", CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
        ironcdk::Parameter::new(s, "Size", ironcdk::ParameterProps::new(ironcdk::ParameterType::Number).allowed_values([1, 2]).default_value(5)).unwrap();
    });
    assert!(e.contains("S/Size") && e.contains("its Default '5' is not one of its AllowedValues (1, 2)"), "{e}");
    let e = synth_error(|s| {
        let mut props = ironcdk::ParameterProps::new(ironcdk::ParameterType::Number).default_value(20);
        props.max_value = Some(10.0);
        CfnVpc::new(s, "Vpc", CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
        ironcdk::Parameter::new(s, "Count", props).unwrap();
    });
    assert!(e.contains("S/Count") && e.contains("its Default 20 is over its MaxValue 10"), "{e}");
}

#[test]
fn a_select_past_the_end_of_its_list_is_refused() {
    let e = synth_error(|s| {
        ironcdk::sns::CfnTopic::new(s, "Topic", ironcdk::sns::CfnTopicProps::new().display_name(ironcdk::fns::select(2, ["a", "b"].into()))).unwrap();
    });
    assert!(e.contains("S/Topic") && e.contains("Fn::Select picks item 2 of a list of 2"), "{e}");
}

#[test]
fn an_output_whose_value_is_a_list_is_refused() {
    let e = synth_error(|s| {
        CfnVpc::new(s, "Vpc", CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
        ironcdk::Output::new(s, "Names", ironcdk::fns::split(",", "a,b".into())).unwrap();
    });
    assert!(e.contains("S/Names") && e.contains("output Names: its Value is a list; an output's value must be a string"), "{e}");
}

#[test]
fn a_get_att_of_an_attribute_the_type_does_not_have_is_refused() {
    let e = synth_error(|s| {
        let vpc = CfnVpc::new(s, "Vpc", CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
        ironcdk::Output::new(s, "Id", vpc.get_att::<String>("VpcIdd")).unwrap();
    });
    assert!(e.contains("S/Id") && e.contains("Fn::GetAtt Vpc.VpcIdd: AWS::EC2::VPC has no attribute VpcIdd; did you mean VpcId?"), "{e}");
}

#[test]
fn a_ref_to_a_list_parameter_where_one_value_is_wanted_is_refused() {
    let e = synth_error(|s| {
        let subnets = ironcdk::Parameter::new(s, "Subnets", ironcdk::ParameterProps::new(ironcdk::ParameterType::SubnetIdList)).unwrap();
        ironcdk::ec2::CfnRouteTable::new(s, "Routes", ironcdk::ec2::CfnRouteTableProps::new(ironcdk::Val::unchecked(ironcdk::ToValue::into_value(subnets.value_as_list().unwrap())))).unwrap();
    });
    assert!(e.contains("S/Routes") && e.contains("Properties.VpcId is a Ref that yields a list; the schema wants a string"), "{e}");
}
