//! The `ironcdk` binary's command line: conventional help, version, completions and exit
//! statuses, and input it refuses without blocking or reading past its bounds.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary; fails the test if it runs for more than 20 seconds.
fn run(args: &[&OsStr]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start ironcdk");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("ironcdk {args:?} still running after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn ironcdk(args: &[&str]) -> (Option<i32>, String, String) {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let out = run(&args);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn help_and_version_go_to_stdout_with_status_0() {
    let (code, out, _) = ironcdk(&["--help"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("Usage: ironcdk <COMMAND>") && out.contains("check") && out.contains("cost") && out.contains("completions"), "{out}");
    let (code, out, _) = ironcdk(&["--version"]);
    assert_eq!((code, out.trim()), (Some(0), format!("ironcdk {}", env!("CARGO_PKG_VERSION")).as_str()));
    for sub in ["check", "cost"] {
        let (code, out, _) = ironcdk(&[sub, "--help"]);
        assert_eq!(code, Some(0), "{sub}");
        assert!(out.contains(&format!("Usage: ironcdk {sub}")) && out.contains("--format") && out.contains("--parameter"), "{out}");
    }
    let (_, out, _) = ironcdk(&["cost", "--help"]);
    assert!(out.contains("--region") && out.contains("--usage") && out.contains("--set"), "{out}");
}

#[test]
fn usage_errors_exit_2_and_name_the_real_flags() {
    let (code, _, err) = ironcdk(&["check", "x.json", "--region", "us-east-1"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("'--region'") && err.contains("'ironcdk check' takes: --parameter, --format"), "{err}");
    let (code, _, err) = ironcdk(&["cost", "x.json", "--formt", "json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("similar argument exists: '--format'"), "{err}");
    assert_eq!(ironcdk(&[]).0, Some(2));
    assert_eq!(ironcdk(&["deploy"]).0, Some(2));
    assert_eq!(ironcdk(&["check"]).0, Some(2), "a PATH is required");
    let (code, _, err) = ironcdk(&["check", "x.json", "--parameter", "novalue"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not STACK.NAME=VALUE"), "{err}");
}

#[test]
fn non_utf8_arguments_are_refused_without_a_panic() {
    let bad = OsStr::from_bytes(b"\xff\xfe.json");
    for args in [vec![OsStr::new("check"), bad], vec![OsStr::new("check"), OsStr::new("x"), OsStr::new("--format"), bad], vec![bad]] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{args:?}");
    }
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [("bash", "_ironcdk()"), ("zsh", "#compdef ironcdk"), ("fish", "complete -c ironcdk")] {
        let (code, out, _) = ironcdk(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}");
        assert!(out.contains(marker) && out.contains("check"), "{shell}: {out}");
    }
    assert_eq!(ironcdk(&["completions", "tcsh"]).0, Some(2));
}

#[test]
fn devices_fifos_and_paths_out_of_an_assembly_are_refused_at_once() {
    let (code, _, err) = ironcdk(&["check", "/dev/zero"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not a regular file"), "{err}");
    let dir = common::temp_dir("cli-hostile");
    let fifo = dir.join("pipe.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (code, _, err) = ironcdk(&["check", fifo.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not a regular file"), "{err}");
    let (code, _, err) = ironcdk(&["cost", dir.to_str().unwrap(), "--usage", "/dev/zero"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");

    // A manifest naming files outside its directory, or itself as a nested assembly.
    let outside = dir.join("outside.template.json");
    std::fs::write(&outside, r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#).unwrap();
    let asm = dir.join("cdk.out");
    std::fs::create_dir_all(&asm).unwrap();
    for (file, why) in [("../outside.template.json", "not a plain relative path"), (outside.to_str().unwrap(), "not a plain relative path")] {
        let manifest = serde_json::json!({"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": file}}}});
        std::fs::write(asm.join("manifest.json"), manifest.to_string()).unwrap();
        let (code, _, err) = ironcdk(&["check", asm.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{file}");
        assert!(err.contains(why), "{file}: {err}");
    }
    std::os::unix::fs::symlink(&outside, asm.join("link.template.json")).unwrap();
    let manifest = serde_json::json!({"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "link.template.json"}}}});
    std::fs::write(asm.join("manifest.json"), manifest.to_string()).unwrap();
    let (code, _, err) = ironcdk(&["check", asm.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("leads out of the assembly directory"), "{err}");
    let manifest = serde_json::json!({"artifacts": {"Stage": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}}});
    std::fs::write(asm.join("manifest.json"), manifest.to_string()).unwrap();
    let (code, _, err) = ironcdk(&["check", asm.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("nested more than 8 deep"), "{err}");
}

#[test]
fn json_findings_carry_every_field() {
    let dir = common::temp_dir("cli-json");
    let t = dir.join("Web.template.json");
    std::fs::write(
        &t,
        r#"{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Metadata": {"ironcdk:acknowledged": [{"rule": "open-ingress", "reason": "a public bastion by design"}]},
            "Properties": {"GroupDescription": "web", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}}}"#,
    )
    .unwrap();
    let (code, out, err) = ironcdk(&["check", t.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "open-ingress");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["stack"], "Web");
    assert_eq!(f["logical_id"], "Sg");
    assert!(f["path"].is_null() && f["message"].as_str().unwrap().contains("anywhere") && f["fix"].is_string());
    assert_eq!(f["acknowledged"], "a public bastion by design");
    // In SARIF an acknowledged finding is a suppressed result, with its reason.
    let (_, out, _) = ironcdk(&["check", t.to_str().unwrap(), "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["suppressions"][0]["justification"], "a public bastion by design");
}

#[test]
fn an_assembly_with_an_empty_stack_is_checked_not_refused() {
    // As CDK's integration tests write them: the test stack and an assertion stack with no
    // resources (only the bootstrap version parameter), and a stack whose template is `{}`.
    let asm = common::temp_dir("cli-empty-stack").join("cdk.out");
    std::fs::create_dir_all(&asm).unwrap();
    std::fs::write(asm.join("App.template.json"), r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#).unwrap();
    std::fs::write(asm.join("Assert.template.json"), r#"{"Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"}}}"#).unwrap();
    std::fs::write(asm.join("Blank.template.json"), "{}").unwrap();
    let stack = |file: &str| serde_json::json!({"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": file}});
    let manifest = serde_json::json!({"version": "36.0.0", "artifacts": {"App": stack("App.template.json"), "Assert": stack("Assert.template.json"), "Blank": stack("Blank.template.json")}});
    std::fs::write(asm.join("manifest.json"), manifest.to_string()).unwrap();
    let (code, out, err) = ironcdk(&["check", asm.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let empty: Vec<&str> = json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "empty-stack").map(|f| f["stack"].as_str().unwrap()).collect();
    assert_eq!(empty, ["Assert", "Blank"]);
    let (code, out, err) = ironcdk(&["cost", asm.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("cost of Assert (us-east-1): $0.00 a month") && out.contains("total: $0.00 a month"), "{out}");
    // A JSON file that is no template at all is still refused, saying why.
    let other = asm.parent().unwrap().join("package.json");
    std::fs::write(&other, r#"{"name": "app", "version": "1.0.0"}"#).unwrap();
    let (code, _, err) = ironcdk(&["check", other.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("none of a template's sections"), "{err}");
}

#[test]
fn hostile_yaml_is_refused_naming_the_file_and_line() {
    let dir = common::temp_dir("cli-yaml");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        laughs.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    let deep: String = (0..1000).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    for (file, text, said) in [
        ("laughs.yaml", laughs.as_str(), "expands to more than 1000000 values"),
        ("deep.yaml", deep.as_str(), "nested deeper than 128 levels"),
        ("dup.yaml", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SNS::Topic\n", "line 4"),
        ("tag.yaml", "Resources:\n  A:\n    Type: !Reff X\n", "unknown tag '!Reff'"),
        ("two.yaml", "Resources: {}\n---\nResources: {}\n", "a second YAML document"),
    ] {
        let p = write(file, text);
        let (code, _, err) = ironcdk(&["check", p.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{file}: {err}");
        assert!(err.contains(file) && err.contains(said), "{file}: {err}");
    }
    // A byte order mark is not part of the document.
    let bom = write("bom.yaml", "\u{feff}Resources:\n  T:\n    Type: AWS::SNS::Topic\n");
    let (code, out, err) = ironcdk(&["check", bom.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0 errors"), "{out}");
}

#[test]
fn templates_cloudformation_refuses_are_not_reported_clean() {
    let dir = common::temp_dir("cli-structure");
    for (name, text, said) in [
        ("notype.json", r#"{"Resources": {"A": {"Properties": {}}}}"#, "A: the resource has no Type"),
        ("props.json", r#"{"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": [1]}}}"#, "Properties are not an object"),
        ("ref.yaml", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Ref Nothing\n", "Ref names 'Nothing'"),
        ("sub.yaml", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Sub 'a-${Gone}'\n", "Fn::Sub names '${Gone}'"),
        ("dep.json", r#"{"Resources": {"A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"}}}"#, "DependsOn names 'B'"),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let (code, out, err) = ironcdk(&["check", p.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{name}: {out}{err}");
        assert!(out.contains("error [template-structure]") && out.contains(said), "{name}: {out}");
    }
}

#[test]
fn usage_that_prices_nothing_or_means_nothing_is_refused() {
    let dir = common::temp_dir("cli-usage");
    let t = dir.join("Web.template.json");
    std::fs::write(&t, r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository"}}}"#).unwrap();
    let usage = dir.join("usage.txt");
    std::fs::write(&usage, "# per resource\n[Repo]\necr.gb_stored = 10\n\n[Web/Missing]\necr.gb_stored = 5\n").unwrap();
    let (code, _, err) = ironcdk(&["cost", t.to_str().unwrap(), "--usage", usage.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("usage.txt: line 5: [Web/Missing] names no resource"), "{err}");
    let (code, _, err) = ironcdk(&["cost", t.to_str().unwrap(), "--set", "spot.discount=5"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("from 0 to 1"), "{err}");
    std::fs::write(&usage, "[Repo]\necr.gb_stored = 10\n").unwrap();
    let (code, out, err) = ironcdk(&["cost", t.to_str().unwrap(), "--usage", usage.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("10 GB-months"), "{out}");
}

#[test]
fn sarif_for_code_scanning_and_skipping_a_rule() {
    let dir = common::temp_dir("cli-sarif");
    let t = dir.join("Web.template.yaml");
    std::fs::write(
        &t,
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Open:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n  Broken:\n    Type: AWS::SNS::Topic\n    DependsOn: Nothing\n",
    )
    .unwrap();
    let (code, out, err) = ironcdk(&["check", t.to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(code, Some(1), "{err}");
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let by_rule = |r: &str| results.iter().find(|x| x["ruleId"] == r).unwrap_or_else(|| panic!("{r}: {results:#?}"));
    let open = by_rule("open-ingress");
    assert_eq!(open["level"], "warning");
    assert_eq!(open["locations"][0]["physicalLocation"]["region"]["startLine"], 4, "the line of Open:");
    assert!(open["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().ends_with("Web.template.yaml"));
    let broken = by_rule("template-structure");
    assert_eq!((broken["level"].as_str(), broken["locations"][0]["physicalLocation"]["region"]["startLine"].as_i64()), (Some("error"), Some(10)));
    assert!(sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().iter().any(|r| r["id"] == "dependency-cycle"));

    // CDK's validation-report.json shape, for tools reading CDK's report.
    let (code, out, err) = ironcdk(&["check", t.to_str().unwrap(), "--format", "cdk-validation"]);
    assert_eq!(code, Some(1), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((report["title"].as_str(), report["pluginReports"][0]["pluginName"].as_str(), report["pluginReports"][0]["conclusion"].as_str()), (Some("Validation Report"), Some("ironcdk"), Some("failure")));
    let violations = report["pluginReports"][0]["violations"].as_array().unwrap();
    let open = violations.iter().find(|v| v["ruleName"] == "open-ingress").unwrap();
    assert_eq!(open["severity"], "warning");
    assert_eq!(open["violatingConstructs"][0]["cloudFormationResource"], serde_json::json!({"templatePath": "Web.template.yaml", "logicalId": "Open"}));
    let (code, _, err) = ironcdk(&["cost", t.to_str().unwrap(), "--format", "cdk-validation"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("are for check"), "{err}");

    // --skip leaves a rule out of the run (and out of the exit status).
    let (code, out, _) = ironcdk(&["check", t.to_str().unwrap(), "--skip", "template-structure", "--skip", "open-ingress"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
    let (code, _, err) = ironcdk(&["check", t.to_str().unwrap(), "--skip", "no-such-rule"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--skip 'no-such-rule' is no rule") && err.contains("open-ingress"), "{err}");
}

#[test]
fn templates_past_cloudformations_limit_are_read_only_when_asked() {
    let dir = common::temp_dir("cli-big");
    let big = dir.join("Big.template.json");
    let resources: serde_json::Map<String, serde_json::Value> =
        (0..400).map(|i| (format!("Topic{i}"), serde_json::json!({"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x".repeat(3000)}}))).collect();
    std::fs::write(&big, serde_json::json!({"Resources": resources}).to_string()).unwrap();
    let (code, _, err) = ironcdk(&["check", big.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("over the 1048576 bytes read") && err.contains("--max-template-bytes"), "{err}");
    let (code, out, err) = ironcdk(&["check", big.to_str().unwrap(), "--max-template-bytes", "4000000"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("error [cfn-limits]") && out.contains("CloudFormation takes at most 1048576"), "{out}");
}

#[test]
fn nested_stacks_in_the_assembly_are_read_and_checked() {
    // As CDK writes a NestedStack: the parent's resource names its template as an asset.
    let asm = common::temp_dir("cli-nested").join("cdk.out");
    std::fs::create_dir_all(&asm).unwrap();
    let parent = serde_json::json!({"Resources": {
        "ChildStack": {"Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": "https://s3.amazonaws.com/bucket/abc.json", "Parameters": {"Cidr": "0.0.0.0/0"}},
            "Metadata": {"aws:cdk:path": "Parent/Child.NestedStack/Child.NestedStackResource", "aws:asset:path": "ParentChild0A1B2C3D.nested.template.json"}},
        "Remote": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/t.json"}}}});
    let child = serde_json::json!({"Parameters": {"Cidr": {"Type": "String"}}, "Resources": {
        "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": "Cidr"}}]}}}});
    std::fs::write(asm.join("Parent.template.json"), parent.to_string()).unwrap();
    std::fs::write(asm.join("ParentChild0A1B2C3D.nested.template.json"), child.to_string()).unwrap();
    let manifest = serde_json::json!({"artifacts": {"Parent": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Parent.template.json"}}}});
    std::fs::write(asm.join("manifest.json"), manifest.to_string()).unwrap();
    let (code, out, err) = ironcdk(&["check", asm.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = json["findings"].as_array().unwrap();
    // The parameter's value passed by the parent reaches the nested template's rule.
    assert!(findings.iter().any(|f| f["rule"] == "open-ingress" && f["stack"] == "Parent/ChildStack" && f["logical_id"] == "Sg"), "{findings:#?}");
    let remote: Vec<&serde_json::Value> = findings.iter().filter(|f| f["rule"] == "nested-stack").collect();
    assert_eq!(remote.len(), 1, "{findings:#?}");
    assert_eq!(remote[0]["logical_id"], "Remote");
}

/// `AWS::LanguageExtensions` loops are expanded before the checks: each group a loop makes is
/// judged, as CloudFormation would create it.
#[test]
fn language_extension_loops_are_checked_as_their_expansion() {
    let dir = common::temp_dir("cli-foreach");
    let t = dir.join("Loops.template.yaml");
    std::fs::write(
        &t,
        "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Groups:\n    - Name\n    - [Web, Admin]\n    - ${Name}Group:\n        Type: AWS::EC2::SecurityGroup\n        Properties:\n          GroupDescription: !Sub '${Name} group'\n          SecurityGroupIngress:\n            - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n",
    )
    .unwrap();
    let (code, out, err) = ironcdk(&["check", t.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let open: Vec<&str> = json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "open-ingress").filter_map(|f| f["logical_id"].as_str()).collect();
    assert_eq!(open, ["WebGroup", "AdminGroup"], "{out}");
    // Fully expanded, the template is checked whole: no "not expanded here" info.
    assert!(!out.contains("not expanded here"), "{out}");
    // With another transform beside it, only that one is named.
    std::fs::write(&t, "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n").unwrap();
    let (_, out, _) = ironcdk(&["check", t.to_str().unwrap()]);
    assert!(out.contains("uses the transform AWS::Serverless-2016-10-31, which is not expanded here"), "{out}");
}

/// A list exported as a join of imports of itself (once, and ten times a hop) is checked and
/// costed to the end: no stack overflow, no endless branching. Checking it finds the stack
/// importing its own export, which CloudFormation cannot create.
#[test]
fn a_list_export_that_imports_itself_ends() {
    let dir = common::temp_dir("cli-self-import");
    for copies in [1, 10] {
        let parts = vec![r#"{"Fn::Split": [",", {"Fn::ImportValue": "X"}]}"#; copies].join(", ");
        let text = format!(
            r#"{{"Resources": {{
                "Vpc": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "10.0.0.0/16"}}}},
                "Ep": {{"Type": "AWS::EC2::VPCEndpoint", "Properties": {{"VpcId": {{"Ref": "Vpc"}}, "VpcEndpointType": "Interface",
                    "ServiceName": "com.amazonaws.us-east-1.ecr.api", "SubnetIds": {{"Fn::Split": [",", {{"Fn::ImportValue": "X"}}]}}}}}}}},
              "Outputs": {{"O": {{"Value": {{"Fn::Join": [",", [{parts}]]}}, "Export": {{"Name": "X"}}}}}}}}"#
        );
        let p = dir.join(format!("loop{copies}.json"));
        std::fs::write(&p, text).unwrap();
        let (code, out, err) = ironcdk(&["check", p.to_str().unwrap()]);
        assert_eq!(code, Some(1), "check {copies}: {out}{err}");
        assert!(out.contains(&format!("error [dependency-cycle] loop{copies}/Ep: stack loop{copies} imports 'X', which it exports itself")), "{out}");
        let (code, out, err) = ironcdk(&["cost", p.to_str().unwrap()]);
        assert_eq!(code, Some(0), "cost {copies}: {out}{err}");
    }
}
