//! Whole-app synth: automatic cross-stack references with CDK's export names, explicit exports,
//! cycles and environment errors, findings, acknowledgements and reports in the assembly, and
//! the warning for an export about to disappear while a stack imports it.

mod common;

use ironcdk::ec2::cfn_security_group::Ingress;
use ironcdk::ec2::cfn_vpc_endpoint::VpcEndpointVpcEndpointType;
use ironcdk::ec2;
use ironcdk::ssm::cfn_parameter::ParameterType;
use ironcdk::prepare::PreparedApp;
use ironcdk::ssm;
use ironcdk::{fns, Analysis, AnalysisOutput, App, AsScope, Environment, Finding, Report, Severity, Stack, StackProps};
use serde_json::json;

/// Net: a VPC, two subnets and an interface endpoint. Svc: a security group in Net's VPC,
/// admitting Net's CIDR (Ref and GetAtt).
fn two_stacks(app: &App) -> (Stack, Stack) {
    let net = Stack::new(app, "Net").unwrap();
    let svc = Stack::new(app, "Svc").unwrap();
    let vpc = ec2::CfnVpc::new(&net, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let ingress = Ingress::new("tcp").cidr_ip(vpc.get_att::<String>("CidrBlock")).from_port(443).to_port(443);
    ec2::CfnSecurityGroup::new(
        &svc,
        "Sg",
        ec2::CfnSecurityGroupProps::new("tasks").vpc_id(vpc.ref_()).security_group_ingress(vec![ingress]),
    )
    .unwrap();
    (net, svc)
}

/// Three stacks: Net (VPC, subnets, endpoint), Sec (security group in Net's VPC), App (an
/// endpoint on Net's subnets guarded by Sec's group, and a parameter holding one of Net's
/// endpoint DNS entries: a list attribute).
fn three_stacks() -> App {
    let app = App::new();
    let net = Stack::new(&app, "Net").unwrap();
    let sec = Stack::new(&app, "Sec").unwrap();
    let svc = Stack::new(&app, "App").unwrap();
    let vpc = ec2::CfnVpc::new(&net, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let subnets: Vec<_> = ["10.0.0.0/24", "10.0.1.0/24"]
        .iter()
        .enumerate()
        .map(|(i, cidr)| {
            ec2::CfnSubnet::new(
                &net,
                &format!("Subnet{i}"),
                ec2::CfnSubnetProps::new(vpc.ref_())
                    .cidr_block(*cidr)
                    .availability_zone(fns::select(u32::try_from(i).unwrap(), fns::get_azs())),
            )
            .unwrap()
        })
        .collect();
    let logs = ec2::CfnVpcEndpoint::new(
        &net,
        "Logs",
        ec2::CfnVpcEndpointProps::new(vpc.ref_())
            .service_name(fns::sub("com.amazonaws.${AWS::Region}.logs"))
            .vpc_endpoint_type(VpcEndpointVpcEndpointType::Interface)
            .subnet_ids(subnets.iter().map(|s| s.ref_()).collect::<Vec<_>>()),
    )
    .unwrap();
    let sg = ec2::CfnSecurityGroup::new(&sec, "Sg", ec2::CfnSecurityGroupProps::new("endpoints").vpc_id(vpc.ref_())).unwrap();
    ec2::CfnVpcEndpoint::new(
        &svc,
        "Ecr",
        ec2::CfnVpcEndpointProps::new(vpc.ref_())
            .service_name(fns::sub("com.amazonaws.${AWS::Region}.ecr.api"))
            .vpc_endpoint_type(VpcEndpointVpcEndpointType::Interface)
            .subnet_ids(subnets.iter().map(|s| s.ref_()).collect::<Vec<_>>())
            .security_group_ids(vec![sg.attr_group_id()]),
    )
    .unwrap();
    ssm::CfnParameter::new(
        &svc,
        "LogsDns",
        ssm::CfnParameterProps::new(ParameterType::String, fns::select(0, logs.attr_dns_entries())),
    )
    .unwrap();
    app
}

#[test]
fn export_names_match_cdk_for_real_cdk_outputs() {
    use ironcdk::exports::{export_name, output_id};
    // Export names seen in deployed CDK apps (CDK's aws-ec2 Vpc in a stack named VpcStack).
    assert_eq!(export_name("infra-vpc", &output_id("VPCB9E5F0B4", None)), "infra-vpc:ExportsOutputRefVPCB9E5F0B4BD23A326");
    assert_eq!(
        export_name("VpcStack", &output_id("VPCPrivateSubnet1Subnet8BCA10E0", None)),
        "VpcStack:ExportsOutputRefVPCPrivateSubnet1Subnet8BCA10E01F79A1B7"
    );
    // Computed by hand: md5('Exports/Output{"Fn::GetAtt":["Vpc","CidrBlock"]}') starts 05D7252F.
    assert_eq!(export_name("Net", &output_id("Vpc", Some("CidrBlock"))), "Net:ExportsOutputFnGetAttVpcCidrBlock05D7252F");
    // A long stack name keeps the export within 255 characters, cut from the left.
    let long = "S".repeat(128);
    let name = export_name(&long, &output_id(&"V".repeat(200), None));
    assert_eq!(name.len(), 255);
    assert!(name.starts_with(&format!("{long}:")));
}

#[test]
fn a_ref_and_a_get_att_into_another_stack_become_an_export_and_an_import() {
    let app = App::new();
    two_stacks(&app);
    let a = app.synth_in_memory().unwrap();
    let net = a.stack("Net").unwrap().template();
    let svc = a.stack("Svc").unwrap().template();
    // md5('Exports/Output{"Ref":"Vpc"}') starts 0040386A.
    assert_eq!(
        net["Outputs"],
        json!({
            "ExportsOutputRefVpc0040386A": {"Value": {"Ref": "Vpc"}, "Export": {"Name": "Net:ExportsOutputRefVpc0040386A"}},
            "ExportsOutputFnGetAttVpcCidrBlock05D7252F": {
                "Value": {"Fn::GetAtt": ["Vpc", "CidrBlock"]},
                "Export": {"Name": "Net:ExportsOutputFnGetAttVpcCidrBlock05D7252F"}
            }
        })
    );
    let props = &svc["Resources"]["Sg"]["Properties"];
    assert_eq!(props["VpcId"], json!({"Fn::ImportValue": "Net:ExportsOutputRefVpc0040386A"}));
    assert_eq!(props["SecurityGroupIngress"][0]["CidrIp"], json!({"Fn::ImportValue": "Net:ExportsOutputFnGetAttVpcCidrBlock05D7252F"}));
    assert_eq!(a.stack("Svc").unwrap().dependencies, ["Net"]);
    assert_eq!(a.manifest()["artifacts"]["Svc"]["dependencies"], json!(["Net"]));
    assert!(a.manifest()["artifacts"]["Net"].get("dependencies").is_none());
    let order: Vec<&str> = a.deploy_order().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(order, ["Net", "Svc"]);
}

#[test]
fn three_stacks_with_lists_of_refs_and_a_list_attribute() {
    let a = three_stacks().synth_in_memory().unwrap();
    let net = a.stack("Net").unwrap().template();
    let app = a.stack("App").unwrap().template();
    let outputs = net["Outputs"].as_object().unwrap();
    // One export per referenced value, shared by every consumer (Sec and App both use the VPC).
    let names: Vec<&String> = outputs.keys().collect();
    assert_eq!(names.len(), 4, "{names:?}");
    let ecr = &app["Resources"]["Ecr"]["Properties"];
    let subnet_imports = ecr["SubnetIds"].as_array().unwrap();
    assert_eq!(subnet_imports.len(), 2);
    for (i, imp) in subnet_imports.iter().enumerate() {
        let name = imp["Fn::ImportValue"].as_str().unwrap();
        assert!(name.starts_with(&format!("Net:ExportsOutputRefSubnet{i}")), "{name}");
        let output = outputs.values().find(|o| o["Export"]["Name"] == name).unwrap();
        assert_eq!(output["Value"], json!({"Ref": format!("Subnet{i}")}));
    }
    let sg = ecr["SecurityGroupIds"][0]["Fn::ImportValue"].as_str().unwrap();
    assert!(sg.starts_with("Sec:ExportsOutputFnGetAttSgGroupId"), "{sg}");
    // A list attribute travels joined with `||` and is split again, as CDK does.
    let dns = outputs.values().find(|o| o["Value"].get("Fn::Join").is_some()).unwrap();
    assert_eq!(dns["Value"], json!({"Fn::Join": ["||", {"Fn::GetAtt": ["Logs", "DnsEntries"]}]}));
    let value = &app["Resources"]["LogsDns"]["Properties"]["Value"];
    assert_eq!(value["Fn::Select"][0], 0);
    assert_eq!(value["Fn::Select"][1]["Fn::Split"][0], "||");
    assert_eq!(value["Fn::Select"][1]["Fn::Split"][1]["Fn::ImportValue"], dns["Export"]["Name"]);
    assert_eq!(a.stack("Sec").unwrap().dependencies, ["Net"]);
    assert_eq!(a.stack("App").unwrap().dependencies, ["Net", "Sec"]);
    let order: Vec<&str> = a.deploy_order().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(order, ["Net", "Sec", "App"]);
}

#[test]
fn a_cycle_is_an_error_naming_the_references_that_form_it() {
    let app = App::new();
    let (net, svc) = two_stacks(&app);
    // Net now also references Svc's group: Net -> Svc -> Net.
    let sg = svc.scope().find_child("Sg").unwrap();
    let sg_ref: ironcdk::Val<String> = ironcdk::Resource::from_scope(&sg).unwrap().get_att("GroupId");
    ssm::CfnParameter::new(&net, "Group", ssm::CfnParameterProps::new(ParameterType::String, sg_ref)).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("cycle"), "{e}");
    assert!(e.contains("Net/Group -> Svc/Sg.GroupId"), "names Net's reference: {e}");
    assert!(e.contains("Svc/Sg -> Net/Vpc.Ref"), "names Svc's reference: {e}");
}

#[test]
fn references_across_regions_accounts_and_apps_are_errors_that_explain() {
    let app = App::new();
    let tokyo = Stack::with_props(&app, "Tokyo", StackProps::new().env(Environment::region("ap-northeast-1"))).unwrap();
    let virginia = Stack::with_props(&app, "Virginia", StackProps::new().env(Environment::region("us-east-1"))).unwrap();
    let vpc = ec2::CfnVpc::new(&tokyo, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    ec2::CfnSecurityGroup::new(&virginia, "Sg", ec2::CfnSecurityGroupProps::new("x").vpc_id(vpc.ref_())).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("Virginia/Sg") && e.contains("Tokyo/Vpc") && e.contains("same account and region"), "{e}");

    let app = App::new();
    let a = Stack::with_props(&app, "A", StackProps::new().env(Environment { account: Some("111111111111".into()), region: Some("us-east-1".into()) })).unwrap();
    let b = Stack::with_props(&app, "B", StackProps::new().env(Environment { account: Some("222222222222".into()), region: Some("us-east-1".into()) })).unwrap();
    let vpc = ec2::CfnVpc::new(&a, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    ec2::CfnSecurityGroup::new(&b, "Sg", ec2::CfnSecurityGroupProps::new("x").vpc_id(vpc.ref_())).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("aws://111111111111/us-east-1") && e.contains("aws://222222222222/us-east-1"), "{e}");

    let first = App::new();
    let other = Stack::new(&first, "Other").unwrap();
    let vpc = ec2::CfnVpc::new(&other, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let second = App::new();
    let mine = Stack::new(&second, "Mine").unwrap();
    ec2::CfnSecurityGroup::new(&mine, "Sg", ec2::CfnSecurityGroupProps::new("x").vpc_id(vpc.ref_())).unwrap();
    let e = second.synth_in_memory().unwrap_err().to_string();
    // The other App's tree is out of this App's reach (no registry of apps), so the message
    // names the construct that asked.
    assert!(e.contains("Mine/Sg: references a construct of another App"), "{e}");
    // The first app is unaffected.
    ec2::CfnSecurityGroup::new(&other, "Sg", ec2::CfnSecurityGroupProps::new("x").vpc_id(vpc.ref_())).unwrap();
    first.synth_in_memory().unwrap();
}

#[test]
fn a_condition_of_another_stack_is_an_error_not_a_silent_mix_up() {
    let app = App::new();
    let a = Stack::new(&app, "A").unwrap();
    let b = Stack::new(&app, "B").unwrap();
    let prod = ironcdk::Condition::new(&a, "IsProd", fns::equals::<String>(ironcdk::Pseudo::Region.val(), "us-east-1")).unwrap();
    ec2::CfnVpc::new(&a, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let vpc = ec2::CfnVpc::new(&b, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.1.0.0/16")).unwrap();
    vpc.set_condition(&prod);
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("B/Vpc") && e.contains("condition A/IsProd belongs to another stack"), "names both paths: {e}");
}

#[test]
fn export_value_keeps_an_export_alive_without_consumers() {
    let app = App::new();
    let net = Stack::new(&app, "Net").unwrap();
    let vpc = ec2::CfnVpc::new(&net, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let import = net.export_value(vpc.ref_(), None).unwrap();
    assert_eq!(import.as_value(), fns::import_value::<String>("Net:ExportsOutputRefVpc0040386A").as_value());
    net.export_value(vpc.get_att::<String>("CidrBlock"), Some("net-cidr")).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    assert_eq!(t["Outputs"]["ExportsOutputRefVpc0040386A"]["Export"]["Name"], "Net:ExportsOutputRefVpc0040386A");
    assert_eq!(t["Outputs"]["Exportnetcidr"]["Export"]["Name"], "net-cidr");
    assert_eq!(t["Outputs"]["Exportnetcidr"]["Value"], json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]}));
    // A second synth of the same app gives the same bytes, its exports included.
    let first = app.synth_in_memory().unwrap().stacks[0].template_json.clone();
    assert_eq!(app.synth_in_memory().unwrap().stacks[0].template_json, first);
    assert!(first.contains("Exportnetcidr"));
    // An explicit export and an automatic one for the same value are one output.
    let app = App::new();
    let (net, _) = two_stacks(&app);
    let vpc = ironcdk::Resource::from_scope(&net.scope().find_child("Vpc").unwrap()).unwrap();
    net.export_value(vpc.ref_(), None).unwrap();
    let t = app.synth_in_memory().unwrap().stack("Net").unwrap().template();
    assert_eq!(t["Outputs"].as_object().unwrap().len(), 2);
    // Without a name only references of the stack's own elements can be exported.
    assert!(net.export_value(fns::sub("x"), None).is_err());
}

#[test]
fn an_export_a_previous_stack_imported_is_warned_about_before_it_disappears() {
    let dir = common::temp_dir("deadly-embrace").join("cdk.out");
    let before = App::with_outdir(&dir);
    two_stacks(&before);
    let first = before.synth().unwrap();
    assert!(first.findings.is_empty(), "{:?}", first.findings);
    // The consumer stops using the VPC: its exports are about to go while Svc still imports them.
    let after = App::with_outdir(&dir);
    let net = Stack::new(&after, "Net").unwrap();
    ec2::CfnVpc::new(&net, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let svc = Stack::new(&after, "Svc").unwrap();
    ec2::CfnSecurityGroup::new(&svc, "Sg", ec2::CfnSecurityGroupProps::new("tasks")).unwrap();
    let a = after.synth().unwrap();
    let warnings: Vec<&Finding> = a.findings.iter().filter(|f| f.rule == "export-in-use").collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings.iter().all(|f| f.severity == Severity::Warning && f.stack.as_deref() == Some("Net")));
    let vpc_id = warnings.iter().find(|f| f.message.contains("'Net:ExportsOutputRefVpc0040386A'")).unwrap();
    assert!(vpc_id.message.contains("'Svc' imported it"), "{vpc_id}");
    assert!(warnings[0].fix.contains("deploy 'Svc' first") && warnings[0].fix.contains("export_value"), "{}", warnings[0]);
    // The manifest carries them where the CDK CLI prints them.
    assert_eq!(a.manifest()["artifacts"]["Net"]["metadata"]["/Net"][0]["type"], "aws:cdk:warning");
    // Keeping the export with export_value silences it.
    let kept = App::with_outdir(common::temp_dir("deadly-embrace-kept").join("cdk.out"));
    two_stacks(&kept);
    kept.synth().unwrap();
    let again = App::with_outdir(kept.outdir());
    let net = Stack::new(&again, "Net").unwrap();
    let vpc = ec2::CfnVpc::new(&net, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    net.export_value(vpc.ref_(), None).unwrap();
    net.export_value(vpc.get_att::<String>("CidrBlock"), None).unwrap();
    let svc = Stack::new(&again, "Svc").unwrap();
    ec2::CfnSecurityGroup::new(&svc, "Sg", ec2::CfnSecurityGroupProps::new("tasks")).unwrap();
    assert!(again.synth().unwrap().findings.is_empty());
    // A different app in the same directory, without the producer stack, does not update it:
    // its exports stay, so nothing is warned about.
    let first = App::with_outdir(common::temp_dir("deadly-embrace-other-app").join("cdk.out"));
    two_stacks(&first);
    first.synth().unwrap();
    let other = App::with_outdir(first.outdir());
    let lone = Stack::new(&other, "Other").unwrap();
    ec2::CfnSecurityGroup::new(&lone, "Sg", ec2::CfnSecurityGroupProps::new("tasks")).unwrap();
    assert!(other.synth().unwrap().findings.is_empty());
}

/// A rule for the tests: one finding per security group, at the given severity, and a report.
struct EverySecurityGroup(Severity);
impl Analysis for EverySecurityGroup {
    fn name(&self) -> &str {
        "every-security-group"
    }
    fn analyze(&self, app: &PreparedApp) -> AnalysisOutput {
        let mut out = AnalysisOutput::new();
        for s in &app.stacks {
            for r in s.resources().filter(|r| r.type_name == "AWS::EC2::SecurityGroup") {
                out.findings.push(
                    Finding::new("test-sg", self.0, "a security group", "remove it")
                        .stack(&s.name)
                        .path(&r.path)
                        .logical_id(&r.logical_id),
                );
            }
        }
        out.reports.push(Report::new("groups.json", None, "{\"count\": 1}\n"));
        out
    }
}

#[test]
fn findings_and_reports_are_in_the_assembly_and_errors_fail_synth() {
    let dir = common::temp_dir("findings").join("cdk.out");
    let app = App::with_outdir(&dir);
    app.add_analysis(EverySecurityGroup(Severity::Warning));
    two_stacks(&app);
    let a = app.synth().unwrap();
    assert_eq!(a.findings.len(), 1);
    let f = &a.findings[0];
    assert_eq!((f.rule.as_str(), f.stack.as_deref(), f.path.as_deref(), f.logical_id.as_deref()), ("test-sg", Some("Svc"), Some("Svc/Sg"), Some("Sg")));
    assert_eq!(f.to_string(), "warning [test-sg] Svc/Sg: a security group Fix: remove it");
    assert_eq!(std::fs::read_to_string(dir.join("groups.json")).unwrap(), "{\"count\": 1}\n");
    let m = a.manifest();
    assert_eq!(m["artifacts"]["groups.json"], json!({"type": "none", "properties": {"file": "groups.json"}}));
    assert_eq!(m["artifacts"]["Svc"]["metadata"]["/Svc/Sg"], json!([{"type": "aws:cdk:warning", "data": "[test-sg] a security group"}]));
    assert!(a.files().iter().any(|(n, _)| n == "groups.json"));

    let failing = App::with_outdir(&dir);
    failing.add_analysis(EverySecurityGroup(Severity::Error));
    two_stacks(&failing);
    let e = failing.synth().unwrap_err().to_string();
    assert!(e.contains("error [test-sg] Svc/Sg: a security group Fix: remove it"), "{e}");
    assert!(dir.join("groups.json").exists(), "the earlier output is untouched");
}

#[test]
fn an_acknowledged_finding_does_not_fail_synth_and_is_recorded_in_metadata() {
    let app = App::new();
    app.add_analysis(EverySecurityGroup(Severity::Error));
    let (_, svc) = two_stacks(&app);
    assert!(svc.scope().acknowledge("test-sg", "short").is_err(), "a reason needs 10 characters");
    svc.scope().acknowledge("test-sg", "the group is reviewed by the security team").unwrap();
    let a = app.synth_in_memory().unwrap();
    assert_eq!(a.findings[0].acknowledged.as_deref(), Some("the group is reviewed by the security team"));
    assert!(!a.findings[0].blocks());
    let t = a.stack("Svc").unwrap().template();
    assert_eq!(
        t["Resources"]["Sg"]["Metadata"]["ironcdk:acknowledged"],
        json!([{"rule": "test-sg", "reason": "the group is reviewed by the security team"}])
    );
    assert_eq!(a.manifest()["artifacts"]["Svc"]["metadata"]["/Svc/Sg"][0]["type"], "aws:cdk:info");
}

#[test]
fn construct_validations_are_findings_that_fail_synth() {
    let app = App::new();
    let (net, _) = two_stacks(&app);
    net.scope().find_child("Vpc").unwrap().add_validation(|| vec!["the CIDR is too small; use a /16".into()]);
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert_eq!(e, "Net/Vpc: the CIDR is too small; use a /16");
}

#[test]
fn user_code_that_changes_the_tree_during_synth_gets_an_error_not_a_panic() {
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let scope = stack.scope();
    ironcdk::Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(move || {
        let _ = scope.child("Late", "test");
        scope.add_tag("late", "tag");
        ironcdk::Value::Null
    }))
    .unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("S/Topic") && e.contains("during synth"), "{e}");
    // Reading the tree during synth is fine.
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let scope = stack.scope();
    stack.scope().add_validation(move || vec![scope.path()].into_iter().filter(|p| p != "S").collect());
    ec2::CfnVpc::new(&stack, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    app.synth_in_memory().unwrap();
}

#[test]
fn the_app_lists_its_stacks_and_a_stack_reaches_its_app() {
    let app = App::new();
    two_stacks(&app);
    let names: Vec<String> = app.stacks().iter().map(Stack::name).collect();
    assert_eq!(names, ["Net", "Svc"]);
    let back = app.stacks()[1].app().unwrap();
    assert_eq!(back.outdir(), app.outdir());
    assert_eq!(back.stacks().len(), 2);
}

/// cfn-lint on every template above, and the two-stack app deployed to moto in dependency order
/// with `aws cloudformation deploy` (the import resolves against the export).
#[test]
fn cross_stack_templates_pass_cfn_lint_and_deploy_to_moto_in_order() {
    let dir = common::temp_dir("cross-stack-lint");
    let two = App::new();
    two_stacks(&two);
    let paths = common::write_templates(&dir, &[("two", two), ("three", three_stacks())]);
    assert_eq!(paths.len(), 5);
    let Some(warnings) = common::cfn_lint_all(&paths) else { return };
    assert!(warnings.is_empty(), "{warnings:#?}");

    let out = common::temp_dir("cross-stack-deploy").join("cdk.out");
    let app = App::with_outdir(&out);
    two_stacks(&app);
    let a = app.synth().unwrap();
    let Some(moto) = common::Moto::start() else { return };
    for s in a.deploy_order() {
        let resources = moto.deploy(&s.template_path, &s.name, &s.capabilities);
        assert!(resources.iter().all(|(_, st)| st == "CREATE_COMPLETE"), "{resources:?}");
    }
    let exports = moto.aws(&["cloudformation", "list-exports", "--query", "Exports[].Name", "--output", "text"]);
    let exports = String::from_utf8_lossy(&exports.stdout);
    assert!(exports.contains("Net:ExportsOutputRefVpc0040386A"), "{exports}");
    let vpc_of_group = moto.aws(&["ec2", "describe-security-groups", "--filters", "Name=description,Values=tasks", "--query", "SecurityGroups[0].VpcId", "--output", "text"]);
    let vpcs = moto.aws(&["ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.0.0.0/16", "--query", "Vpcs[0].VpcId", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&vpc_of_group.stdout).trim(), String::from_utf8_lossy(&vpcs.stdout).trim(), "the imported VPC id reached the consumer");
}

#[test]
fn a_value_nested_past_the_documented_depth_is_refused_not_a_crash() {
    let app = App::new();
    let stack = Stack::new(&app, "Deep").unwrap();
    let mut v: ironcdk::Val<String> = "x".into();
    for _ in 0..20_000 {
        v = fns::base64(v);
    }
    ssm::CfnParameter::new(&stack, "P", ssm::CfnParameterProps::new(ParameterType::String, v)).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    // 20,000 functions, the string inside, and the properties object around them.
    assert!(e.contains("Deep/P") && e.contains("20002 levels deep") && e.contains(&ironcdk::value::MAX_DEPTH.to_string()), "{e}");
    // At the limit it is accepted.
    let app = App::new();
    let stack = Stack::new(&app, "Deep").unwrap();
    let mut v: ironcdk::Val<String> = "x".into();
    for _ in 1..ironcdk::value::MAX_DEPTH - 2 {
        v = fns::base64(v);
    }
    ssm::CfnParameter::new(&stack, "P", ssm::CfnParameterProps::new(ParameterType::String, v)).unwrap();
    app.synth_in_memory().unwrap();
}

#[test]
fn one_export_name_in_two_stacks_is_refused_at_synth() {
    let app = App::new();
    let a = Stack::new(&app, "A").unwrap();
    let b = Stack::new(&app, "B").unwrap();
    let va = ec2::CfnVpc::new(&a, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
    let vb = ec2::CfnVpc::new(&b, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.1.0.0/16")).unwrap();
    a.export_value(va.ref_(), Some("shared-vpc")).unwrap();
    b.export_value(vb.ref_(), Some("shared-vpc")).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("duplicate-export") && e.contains("'shared-vpc'") && e.contains("A/Exports"), "{e}");
    // Named like an automatic export of another stack.
    let app = App::new();
    let (net, _) = two_stacks(&app);
    let other = Stack::new(&app, "Other").unwrap();
    let v = ec2::CfnVpc::new(&other, "Vpc", ec2::CfnVpcProps::new().cidr_block("10.2.0.0/16")).unwrap();
    let auto = app.synth_in_memory().unwrap().stack("Net").unwrap().template()["Outputs"].as_object().unwrap().values().next().unwrap()["Export"]["Name"].as_str().unwrap().to_string();
    other.export_value(v.ref_(), Some(&auto)).unwrap();
    let e = app.synth_in_memory().unwrap_err().to_string();
    assert!(e.contains("duplicate-export") && e.contains(&auto), "{e}");
    let _ = net;
}
