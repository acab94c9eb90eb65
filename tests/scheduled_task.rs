//! The article-004 example (scheduled Fargate tasks without NAT): snapshot, structure, schedule
//! validation, checks and cost, and the outside judges (cfn-lint, moto deploy).

mod common;
#[allow(dead_code)]
#[path = "../examples/scheduled_task.rs"]
mod example;

use ironcdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
use ironcdk::ecs::{Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateTaskDefinition, FargateTaskDefinitionProps};
use ironcdk::events::{EcsTaskProps, Rule, RuleProps, Schedule};
use ironcdk::{App, Duration, Severity, Stack};
use serde_json::Value;

fn synth() -> ironcdk::Assembly {
    let app = App::with_outdir(common::temp_dir("scheduled-task-unused"));
    example::scheduled_task(&app).expect("the example builds");
    app.synth_in_memory().expect("the example synthesizes")
}

fn of_type<'a>(t: &'a Value, ty: &str) -> Vec<&'a Value> {
    with_ids(t, ty).into_iter().map(|(_, r)| r).collect()
}

fn with_ids<'a>(t: &'a Value, ty: &str) -> Vec<(String, &'a Value)> {
    t["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == ty).map(|(id, r)| (id.clone(), r)).collect()
}

/// The whole template, reviewed by hand against the article (see the snapshot file).
#[test]
fn template_matches_reviewed_snapshot() {
    insta::assert_snapshot!("ScheduledTask.template.json", synth().stacks[0].template_json.clone());
}

#[test]
fn the_rule_runs_the_task_every_5_minutes_with_a_role_limited_to_it() {
    let t = synth().stacks[0].template();
    let rule = of_type(&t, "AWS::Events::Rule")[0];
    assert_eq!(rule["Properties"]["ScheduleExpression"], "rate(5 minutes)");
    let target = &rule["Properties"]["Targets"][0];
    let ecs = &target["EcsParameters"];
    assert_eq!((ecs["LaunchType"].as_str(), ecs["TaskCount"].as_i64()), (Some("FARGATE"), Some(1)));
    assert_eq!(ecs["NetworkConfiguration"]["AwsVpcConfiguration"]["AssignPublicIp"], "DISABLED");
    assert_eq!(ecs["NetworkConfiguration"]["AwsVpcConfiguration"]["Subnets"].as_array().unwrap().len(), 2);
    let role = target["RoleArn"]["Fn::GetAtt"][0].as_str().unwrap();
    let policy = of_type(&t, "AWS::IAM::Policy").into_iter().find(|p| p["Properties"]["Roles"][0]["Ref"] == role).expect("the rule role's policy");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    let run = &statements[0];
    assert_eq!((run["Action"].as_str(), &run["Resource"]), (Some("ecs:RunTask"), &ecs["TaskDefinitionArn"]), "RunTask on that task definition only");
    assert_eq!(run["Condition"]["ArnEquals"]["ecs:cluster"], target["Arn"], "and in that cluster only");
    let tag = &statements[1];
    assert_eq!(tag["Action"], "ecs:TagResource", "CDK also lets the rule tag the tasks it starts");
    // The partition is a literal in a stack with a region, as CDK writes it in new projects.
    assert_eq!(tag["Resource"]["Fn::Join"][1][0], "arn:aws:ecs:ap-northeast-1:*:task/", "{tag:#?}");
    assert_eq!(tag["Resource"]["Fn::Join"][1][1]["Ref"], target["Arn"]["Fn::GetAtt"][0], "tasks of that cluster only");
    // One PassRole statement for both roles: CDK merges statements that differ only in their
    // resources (minimizePolicies, on in new projects), as checked against CDK 2.276's output.
    assert_eq!(statements.len(), 3);
    let pass = &statements[2];
    assert_eq!(pass["Action"], "iam:PassRole");
    let passed: Vec<&Value> = pass["Resource"].as_array().unwrap().iter().map(|r| &r["Fn::GetAtt"][0]).collect();
    assert_eq!(passed.len(), 2, "PassRole for the execution role and the task role, nothing else");
    let task = of_type(&t, "AWS::ECS::TaskDefinition")[0];
    let mut roles = vec![task["Properties"]["ExecutionRoleArn"]["Fn::GetAtt"][0].clone(), task["Properties"]["TaskRoleArn"]["Fn::GetAtt"][0].clone()];
    roles.sort_by_key(|r| r.to_string());
    let mut passed: Vec<Value> = passed.into_iter().cloned().collect();
    passed.sort_by_key(|r| r.to_string());
    assert_eq!(passed, roles);
    // No NAT gateway, no internet gateway, no public IP anywhere.
    assert!(of_type(&t, "AWS::EC2::NatGateway").is_empty() && of_type(&t, "AWS::EC2::InternetGateway").is_empty());
    assert_eq!(of_type(&t, "AWS::EC2::VPCEndpoint").len(), 4);
}

#[test]
fn schedules_are_checked_and_a_bad_one_names_the_rule() {
    assert_eq!(Schedule::rate(Duration::minutes(5)).expression_string(), "rate(5 minutes)");
    assert_eq!(Schedule::rate(Duration::minutes(1)).expression_string(), "rate(1 minute)");
    assert_eq!(Schedule::rate(Duration::hours(2)).expression_string(), "rate(2 hours)");
    assert_eq!(Schedule::rate(Duration::days(1)).expression_string(), "rate(1 day)");
    assert!(Schedule::rate(Duration::seconds(30)).check().unwrap_err().contains("whole number of minutes"));
    assert!(Schedule::rate(Duration::seconds(0)).check().is_err());
    assert_eq!(Schedule::cron("0/5 * * * ? *").expression_string(), "cron(0/5 * * * ? *)");
    assert!(Schedule::cron("0/5 * * * ? *").check().is_ok());
    assert!(Schedule::cron("0 9 ? * MON-FRI *").check().is_ok());
    assert!(Schedule::cron("0 9 * * MON *").check().unwrap_err().contains("must be '?'"));
    assert!(Schedule::cron("0 25 * * ? *").check().is_err(), "hour 25");
    assert!(Schedule::cron("0 9 * *").check().is_err(), "four fields");
    assert!(Schedule::expression("every 5 minutes").check().is_err());
    assert!(Schedule::expression("rate(5 minute)").check().is_err(), "EventBridge wants the plural");

    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let err = Rule::new(&stack, "Mondays", RuleProps::new().schedule(Schedule::cron("0 9 * * MON *"))).err().unwrap().to_string();
    assert!(err.contains("S/Mondays") && err.contains("cron(0 9 * * MON *)") && err.contains("must be '?'"), "{err}");
    let err = Rule::new(&stack, "Fast", RuleProps::new().schedule(Schedule::rate(Duration::seconds(30)))).err().unwrap().to_string();
    assert!(err.contains("S/Fast") && err.contains("30 seconds"), "{err}");
}

#[test]
fn two_rules_running_one_task_share_its_events_role_and_security_group() {
    let app = App::new();
    let stack = Stack::new(&app, "Twice").unwrap();
    // Public subnets: the tasks pull from Docker Hub's mirror through the internet gateway.
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)])).unwrap();
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let task = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new()).unwrap();
    task.add_container("app", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/docker/library/busybox:latest"))).unwrap();
    for (id, cron) in [("Morning", "0 9 ? * MON-FRI *"), ("Evening", "0 18 ? * MON-FRI *")] {
        let rule = Rule::new(&stack, id, RuleProps::new().schedule(Schedule::cron(cron))).unwrap();
        rule.add_ecs_task_target(EcsTaskProps::new(&cluster, &task).subnets(SubnetSelection::of_type(SubnetType::Public))).unwrap();
    }
    let a = app.synth_in_memory().unwrap();
    let t: serde_json::Value = serde_json::from_str(&a.stacks[0].template_json).unwrap();
    let roles: Vec<_> = with_ids(&t, "AWS::IAM::Role").into_iter().filter(|(id, _)| id.contains("EventsRole")).collect();
    assert_eq!(roles.len(), 1, "one EventsRole for both rules, as CDK");
    let groups = with_ids(&t, "AWS::EC2::SecurityGroup");
    assert_eq!(groups.len(), 1, "one SecurityGroup under the task definition");
    let group_id = groups[0].0.clone();
    let role_id = roles[0].0.clone();
    for rule in with_ids(&t, "AWS::Events::Rule") {
        let target = &rule.1["Properties"]["Targets"][0];
        assert_eq!(target["RoleArn"]["Fn::GetAtt"][0], role_id.as_str());
        assert_eq!(target["EcsParameters"]["NetworkConfiguration"]["AwsVpcConfiguration"]["SecurityGroups"][0]["Fn::GetAtt"][0], group_id.as_str());
    }
    // The shared role's policy holds each statement once.
    let policy = with_ids(&t, "AWS::IAM::Policy").into_iter().find(|(id, _)| id.contains("EventsRole")).unwrap();
    let statements = policy.1["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 3, "RunTask, TagResource, and PassRole for the task role (an image from a registry without logging needs no execution role): {statements:#?}");
    let rule = &with_ids(&t, "AWS::Events::Rule")[0].1;
    assert_eq!(rule["Properties"]["Targets"][0]["EcsParameters"]["NetworkConfiguration"]["AwsVpcConfiguration"]["AssignPublicIp"], "ENABLED", "public subnets get a public IP by default, as CDK");
}

#[test]
fn no_error_finding_and_the_cost_shows_no_nat() {
    let app = App::new();
    let _ = app.cost_assumptions(|a| a.set("image.gb", 1.0, ironcdk::cost::AssumptionSource::Code));
    example::scheduled_task(&app).unwrap();
    let a = app.synth_in_memory().unwrap();
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error), "{:#?}", a.findings);
    let cost = a.cost.unwrap();
    let items = &cost.stacks[0].items;
    assert!(items.iter().all(|i| i.resource_type != "AWS::EC2::NatGateway"));
    let endpoints: f64 = items.iter().filter(|i| i.unit == "AZ-hours").map(|i| i.monthly_usd).sum();
    assert_eq!((endpoints * 100.0).round() / 100.0, 61.32, "3 endpoints x 2 AZs x $0.014 x 730 in Tokyo");
    let vcpu = items.iter().find(|i| i.unit == "vCPU-hours").unwrap();
    assert_eq!((vcpu.resource_type.as_str(), vcpu.quantity), ("AWS::Events::Rule", 182.5), "8,760 runs x 5 minutes x 0.25 vCPU, on the rule");
}

#[test]
fn passes_cfn_lint_and_deploys_to_moto() {
    let dir = common::temp_dir("scheduled-task").join("cdk.out");
    let app = App::with_outdir(&dir);
    example::scheduled_task(&app).unwrap();
    let a = app.synth().unwrap();
    let path = &a.stacks[0].template_path;
    let Some(warnings) = common::cfn_lint(path) else { return };
    assert!(warnings.is_empty(), "cfn-lint warnings:\n{}", warnings.join("\n"));
    // ironcdk check on the assembly agrees with synth: no finding.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(["check", dir.to_str().unwrap(), "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), a.findings.len());
    let Some(moto) = common::Moto::start() else { return };
    let resources = moto.deploy(path, "ScheduledTask", &a.stacks[0].capabilities);
    // moto 5.2.5 models every type of this stack; the rule's target is checked through the API.
    assert_eq!(common::not_created(&a.stacks[0].template(), &resources), Vec::<String>::new());
    let targets = moto.aws(&["events", "list-targets-by-rule", "--rule", &rule_name(&moto), "--query", "Targets[0].EcsParameters.LaunchType", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&targets.stdout).trim(), "FARGATE");
    let rules = moto.aws(&["events", "list-rules", "--query", "Rules[0].ScheduleExpression", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&rules.stdout).trim(), "rate(5 minutes)");
}

fn rule_name(moto: &common::Moto) -> String {
    let out = moto.aws(&["events", "list-rules", "--query", "Rules[0].Name", "--output", "text"]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_public_ip_outside_public_subnets_and_a_missing_default_subnet_group_are_refused() {
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("Private", SubnetType::PrivateIsolated)])).unwrap();
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let task = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new()).unwrap();
    let rule = Rule::new(&stack, "Nightly", RuleProps::new().schedule(Schedule::cron("0 3 * * ? *"))).unwrap();
    let isolated = SubnetSelection::of_type(SubnetType::PrivateIsolated);
    let err = rule.add_ecs_task_target(EcsTaskProps::new(&cluster, &task).subnets(isolated).assign_public_ip(true)).unwrap_err().to_string();
    assert!(err.contains("S/Nightly") && err.contains("public subnets"), "{err}");
    // As CDK's EcsTask, the default is the private subnets with egress, which this VPC lacks.
    let err = rule.add_ecs_task_target(EcsTaskProps::new(&cluster, &task)).unwrap_err().to_string();
    assert!(err.contains("S/Nightly") && err.to_lowercase().contains("private"), "{err}");
}

#[test]
fn schedules_eventbridge_refuses_and_a_sixth_target_are_refused() {
    for (bad, why) in [("0 0 * * * *", "must be '?'"), ("0 0 ? * ? *", "both '?'"), ("0 0 1 * ? banana", "year"), ("L * 1 * ? *", "minutes")] {
        let e = Schedule::cron(bad).check().unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
        let app = App::new();
        let stack = Stack::new(&app, "S").unwrap();
        let refused = Rule::new(&stack, "Bad", RuleProps::new().schedule(Schedule::cron(bad))).err().map(|e| e.to_string());
        assert!(refused.as_deref().is_some_and(|e| e.contains("S/Bad") && e.contains(why)), "{bad}: {refused:?}");
    }
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(0).subnet_configuration(vec![SubnetConfiguration::new("Public", SubnetType::Public)])).unwrap();
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let task = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new()).unwrap();
    task.add_container("job", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/docker/library/busybox:1.36"))).unwrap();
    // Valid forms EventBridge documents: the third Friday, the last weekday of the month.
    for (i, ok) in ["0 12 ? * 6#3 *", "0 0 LW * ? *"].iter().enumerate() {
        let rule = Rule::new(&stack, &format!("Ok{i}"), RuleProps::new().schedule(Schedule::cron(ok))).unwrap();
        rule.add_ecs_task_target(EcsTaskProps::new(&cluster, &task).subnets(SubnetSelection::of_type(SubnetType::Public)).assign_public_ip(true)).unwrap();
    }
    let rule = Rule::new(&stack, "Busy", RuleProps::new().schedule(Schedule::rate(Duration::minutes(5)))).unwrap();
    for _ in 0..5 {
        rule.add_ecs_task_target(EcsTaskProps::new(&cluster, &task).subnets(SubnetSelection::of_type(SubnetType::Public)).assign_public_ip(true)).unwrap();
    }
    let err = rule.add_ecs_task_target(EcsTaskProps::new(&cluster, &task).subnets(SubnetSelection::of_type(SubnetType::Public)).assign_public_ip(true)).unwrap_err().to_string();
    assert!(err.contains("S/Busy") && err.contains("5 targets"), "{err}");
    app.synth_in_memory().unwrap();
}
