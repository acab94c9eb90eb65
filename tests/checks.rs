//! The network checks: failing and fixed programs per rule (asserting the rule id and where it
//! is reported), hand-written templates in CDK's style read from files, and `ironcdk check` on
//! a synthesized assembly giving the same findings as synth.

mod common;

#[allow(dead_code)]
#[path = "../examples/isolated_api.rs"]
mod isolated_api;
#[allow(dead_code)]
#[path = "../examples/scale.rs"]
mod scale;

use ironcdk::checks::NetworkChecks;
use ironcdk::ec2::{
    GatewayVpcEndpointAwsService, GatewayVpcEndpointOptions, InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, Peer, Port, SecurityGroup,
    SecurityGroupProps, SubnetConfiguration, SubnetType, Vpc, VpcProps,
};
use ironcdk::ecr::{Repository, RepositoryProps};
use ironcdk::ecs::{AwsLogDriverProps, Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping};
use ironcdk::elasticloadbalancingv2::{NetworkListenerProps, NetworkLoadBalancer, NetworkLoadBalancerProps, NetworkTargetGroup, NetworkTargetGroupProps, TargetType};
use ironcdk::{App, Finding, Severity, Stack};

/// Options of the test service: what the article stacks vary.
#[derive(Clone)]
struct Opts {
    endpoints: &'static [&'static str],
    public_image: bool,
    nat: bool,
    endpoint_admits_443: bool,
    task_admits_lb: bool,
    repository_elsewhere: bool,
}

const ALL: &[&str] = &["ecr.api", "ecr.dkr", "logs", "s3"];

impl Default for Opts {
    fn default() -> Self {
        Opts { endpoints: ALL, public_image: false, nat: false, endpoint_admits_443: true, task_admits_lb: true, repository_elsewhere: true }
    }
}

/// A Fargate service behind an internal NLB in private subnets, pulling from ECR.
fn service(o: Opts) -> Vec<Finding> {
    let app = App::new();
    let images = Stack::new(&app, "Images").unwrap();
    let stack = Stack::new(&app, "Svc").unwrap();
    let repo_scope = if o.repository_elsewhere { &images } else { &stack };
    let repo = Repository::new(repo_scope, "Repo", RepositoryProps::new()).unwrap();
    if o.repository_elsewhere {
        ironcdk::sns::CfnTopic::new(&stack, "Keep", ironcdk::sns::CfnTopicProps::new()).unwrap();
    } else {
        ironcdk::sns::CfnTopic::new(&images, "Keep", ironcdk::sns::CfnTopicProps::new()).unwrap();
    }
    let subnet_type = if o.nat { SubnetType::PrivateWithEgress } else { SubnetType::PrivateIsolated };
    let mut config = vec![SubnetConfiguration::new("App", subnet_type)];
    if o.nat {
        config.push(SubnetConfiguration::new("Public", SubnetType::Public));
    }
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(u32::from(o.nat)).subnet_configuration(config)).unwrap();
    let endpoint_sg = SecurityGroup::new(&stack, "EndpointSg", SecurityGroupProps::new(&vpc)).unwrap();
    if o.endpoint_admits_443 {
        endpoint_sg.add_ingress_rule(Peer::vpc_cidr(&vpc), Port::tcp(443), None).unwrap();
    }
    for e in o.endpoints {
        let service = match *e {
            "ecr.api" => InterfaceVpcEndpointAwsService::ECR,
            "ecr.dkr" => InterfaceVpcEndpointAwsService::ECR_DOCKER,
            "logs" => InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS,
            _ => {
                vpc.add_gateway_endpoint("S3", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::S3)).unwrap();
                continue;
            }
        };
        vpc.add_interface_endpoint(&e.replace('.', ""), InterfaceVpcEndpointOptions::new(service).security_groups(vec![endpoint_sg.clone()]).open(false)).unwrap();
    }
    let td = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new()).unwrap();
    let image = if o.public_image { ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27") } else { ContainerImage::from_ecr_repository(&repo, "v1") };
    td.add_container("web", ContainerDefinitionOptions::new(image).logging(LogDriver::aws_logs(AwsLogDriverProps::new("web"))).port_mappings(vec![PortMapping::tcp(8080)])).unwrap();
    let task_sg = SecurityGroup::new(&stack, "TaskSg", SecurityGroupProps::new(&vpc)).unwrap();
    if o.task_admits_lb {
        task_sg.add_ingress_rule(Peer::vpc_cidr(&vpc), Port::tcp(8080), None).unwrap();
    }
    let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new().vpc(&vpc)).unwrap();
    let svc = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &td).security_group(&task_sg)).unwrap();
    let nlb = NetworkLoadBalancer::new(&stack, "Nlb", NetworkLoadBalancerProps::new(&vpc)).unwrap();
    let tg = NetworkTargetGroup::new(&stack, "Tg", NetworkTargetGroupProps::new(&vpc, 8080).target_type(TargetType::Ip)).unwrap();
    nlb.add_listener("Listener", NetworkListenerProps::new(80).default_target_groups(vec![tg.clone()])).unwrap();
    svc.attach_to_network_target_group(&tg).unwrap();
    match app.synth_in_memory() {
        Ok(a) => a.findings,
        Err(ironcdk::Error::Many(es)) => es.into_iter().filter_map(|e| if let ironcdk::Error::Finding(f) = e { Some(*f) } else { None }).collect(),
        Err(ironcdk::Error::Finding(f)) => vec![*f],
        Err(e) => panic!("unexpected error: {e}"),
    }
}

fn of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn the_fixed_service_has_no_finding() {
    let f = service(Opts::default());
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn image_pull_path_names_each_missing_piece() {
    for (missing, text) in [
        (&["ecr.dkr", "logs", "s3"][..], "'ecr.api' interface endpoint"),
        (&["ecr.api", "logs", "s3"][..], "'ecr.dkr' interface endpoint"),
        (&["ecr.api", "ecr.dkr", "s3"][..], "'logs' interface endpoint"),
        (&["ecr.api", "ecr.dkr", "logs"][..], "S3 gateway endpoint on the subnet's route table"),
    ] {
        let f = service(Opts { endpoints: missing, ..Opts::default() });
        let errors = of(&f, "image-pull-path");
        assert_eq!(errors.len(), 2, "one per subnet: {errors:#?}");
        let e = errors[0];
        assert_eq!((e.severity, e.path.as_deref()), (Severity::Error, Some("Svc/Service/Service")));
        assert!(e.message.contains(text) && e.message.contains("CannotPullContainerError"), "{e}");
        assert!(e.message.contains("Svc/Vpc/AppSubnet1/Subnet"), "names the subnet: {e}");
    }
}

#[test]
fn an_image_from_outside_ecr_needs_internet_egress() {
    let f = service(Opts { public_image: true, ..Opts::default() });
    let e = of(&f, "image-pull-path");
    assert!(!e.is_empty() && e[0].message.contains("registry outside private ECR"), "{f:#?}");
    // With a NAT gateway there is egress: no image-pull-path, but the NAT gateway is reported.
    let f = service(Opts { public_image: true, nat: true, endpoints: &[], ..Opts::default() });
    assert!(of(&f, "image-pull-path").is_empty(), "{f:#?}");
    let nat = of(&f, "nat-gateway");
    assert_eq!(nat.len(), 1);
    assert!(nat[0].severity == Severity::Info && nat[0].message.contains("$32.85 a month in us-east-1"), "{}", nat[0]);
}

#[test]
fn endpoint_reachable_needs_443_from_the_tasks() {
    let f = service(Opts { endpoint_admits_443: false, ..Opts::default() });
    let e = of(&f, "endpoint-reachable");
    assert_eq!(e.len(), 3, "ecr.api, ecr.dkr and logs: {e:#?}");
    assert!(e.iter().all(|f| f.severity == Severity::Error && f.message.contains("do not admit HTTPS (443)")));
    assert!(e.iter().any(|f| f.path.as_deref() == Some("Svc/Vpc/ecrapi/Resource")), "{e:#?}");
}

#[test]
fn lb_to_target_needs_the_target_port_from_the_load_balancer() {
    let f = service(Opts { task_admits_lb: false, ..Opts::default() });
    let e = of(&f, "lb-to-target");
    assert_eq!(e.len(), 1, "{f:#?}");
    assert!(e[0].severity == Severity::Error && e[0].message.contains("do not admit TCP 8080 from load balancer Svc/Nlb/Resource"), "{}", e[0]);
    assert_eq!(e[0].path.as_deref(), Some("Svc/Service/Service"));
}

#[test]
fn first_deploy_image_warns_when_the_repository_is_in_the_same_stack() {
    let f = service(Opts { repository_elsewhere: false, ..Opts::default() });
    let w = of(&f, "first-deploy-image");
    assert_eq!(w.len(), 1, "{f:#?}");
    assert!(w[0].severity == Severity::Warning && w[0].message.contains("Svc/Repo/Resource"), "{}", w[0]);
}

#[test]
fn the_isolated_api_has_two_deliberate_warnings_acknowledged_and_no_error() {
    let app = App::new();
    isolated_api::isolated_api(&app).unwrap();
    let a = app.synth_in_memory().unwrap();
    let rules: Vec<(&str, Severity)> = a.findings.iter().map(|f| (f.rule.as_str(), f.severity)).collect();
    assert_eq!(rules, [("first-deploy-image", Severity::Warning), ("open-ingress", Severity::Warning)], "{:#?}", a.findings);
    assert!(a.findings.iter().all(|f| f.acknowledged.as_deref().is_some_and(|r| r.starts_with("as in the article"))), "{:#?}", a.findings);
}

/// The article 002 stack as written: ecr.dkr, logs and S3 endpoints, but no ecr.api.
const ARTICLE_002_AS_WRITTEN: &str = r#"{
  "Resources": {
    "VPCB9E5F0B4": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}, "Metadata": {"aws:cdk:path": "Api/VPC/Resource"}},
    "VPCIsolatedSubnet1SubnetEBD00FC6": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "VPCB9E5F0B4"}, "CidrBlock": "10.0.0.0/19"}, "Metadata": {"aws:cdk:path": "Api/VPC/IsolatedSubnet1/Subnet"}},
    "VPCIsolatedSubnet1RouteTableEB156210": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "VPCB9E5F0B4"}}},
    "VPCIsolatedSubnet1RouteTableAssociationA2D18F7C": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"RouteTableId": {"Ref": "VPCIsolatedSubnet1RouteTableEB156210"}, "SubnetId": {"Ref": "VPCIsolatedSubnet1SubnetEBD00FC6"}}},
    "SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x", "VpcId": {"Ref": "VPCB9E5F0B4"}, "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}]}},
    "EcrDocker": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": {"Ref": "VPCB9E5F0B4"}, "ServiceName": {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".ecr.dkr"]]}, "VpcEndpointType": "Interface", "PrivateDnsEnabled": true, "SecurityGroupIds": [{"Fn::GetAtt": ["SG", "GroupId"]}], "SubnetIds": [{"Ref": "VPCIsolatedSubnet1SubnetEBD00FC6"}]}},
    "Logs": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": {"Ref": "VPCB9E5F0B4"}, "ServiceName": "com.amazonaws.ap-northeast-1.logs", "VpcEndpointType": "Interface", "PrivateDnsEnabled": true, "SecurityGroupIds": [{"Fn::GetAtt": ["SG", "GroupId"]}]}},
    "S3": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": {"Ref": "VPCB9E5F0B4"}, "ServiceName": {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".s3"]]}, "VpcEndpointType": "Gateway", "RouteTableIds": [{"Ref": "VPCIsolatedSubnet1RouteTableEB156210"}]}},
    "Repo": {"Type": "AWS::ECR::Repository"},
    "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "api", "Image": {"Fn::Join": ["", [{"Fn::Select": [4, {"Fn::Split": [":", {"Fn::GetAtt": ["Repo", "Arn"]}]}]}, ".dkr.ecr.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": "Repo"}, ":latest"]]}, "LogConfiguration": {"LogDriver": "awslogs"}}]}},
    "Service": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE", "TaskDefinition": {"Ref": "Task"}, "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "DISABLED", "SecurityGroups": [{"Fn::GetAtt": ["SG", "GroupId"]}], "Subnets": [{"Ref": "VPCIsolatedSubnet1SubnetEBD00FC6"}]}}}, "Metadata": {"aws:cdk:path": "Api/Service/Service"}}
  }
}"#;

#[test]
fn templates_read_from_files_are_checked_the_same_way() {
    let dir = common::temp_dir("checks-templates");
    let path = dir.join("Api.template.json");
    std::fs::write(&path, ARTICLE_002_AS_WRITTEN).unwrap();
    let app = ironcdk::load::load_paths(std::slice::from_ref(&path)).unwrap();
    let f = NetworkChecks::new().run(&app);
    let e = of(&f, "image-pull-path");
    assert_eq!(e.len(), 1, "{f:#?}");
    assert_eq!((e[0].logical_id.as_deref(), e[0].path.as_deref()), (Some("Service"), Some("Api/Service/Service")));
    assert!(e[0].message.contains("'ecr.api' interface endpoint") && !e[0].message.contains("ecr.dkr"), "{}", e[0]);
    // The same template with the ecr.api endpoint added: no finding.
    let fixed = ARTICLE_002_AS_WRITTEN.replace(
        r#""Repo": {"#,
        r#""EcrApi": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": {"Ref": "VPCB9E5F0B4"}, "ServiceName": "com.amazonaws.ap-northeast-1.ecr.api", "VpcEndpointType": "Interface", "PrivateDnsEnabled": true, "SecurityGroupIds": [{"Fn::GetAtt": ["SG", "GroupId"]}]}},
    "Repo": {"#,
    );
    std::fs::write(&path, fixed).unwrap();
    let app = ironcdk::load::load_paths(std::slice::from_ref(&path)).unwrap();
    let f = NetworkChecks::new().run(&app);
    assert!(f.iter().all(|f| f.severity != Severity::Error), "{f:#?}");
}

#[test]
fn a_subnet_given_as_a_parameter_cannot_be_verified_until_its_value_is_passed() {
    let template = r#"{
      "Parameters": {"SubnetId": {"Type": "AWS::EC2::Subnet::Id"}},
      "Resources": {
        "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "api", "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"}]}},
        "Service": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE", "TaskDefinition": {"Ref": "Task"}, "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [{"Ref": "SubnetId"}]}}}}
      }
    }"#;
    let dir = common::temp_dir("checks-params");
    let path = dir.join("Svc.json");
    std::fs::write(&path, template).unwrap();
    let app = ironcdk::load::load_paths(std::slice::from_ref(&path)).unwrap();
    let f = NetworkChecks::new().run(&app);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].severity, f[0].path.as_deref()), ("image-pull-path", Severity::Info, None));
    assert!(f[0].message.starts_with("cannot verify") && f[0].message.contains("--parameter Svc.SubnetId=VALUE"), "{}", f[0]);
}

/// New CDK projects reference other stacks with `Fn::GetStackOutput` (weak references) instead
/// of exports; the checks follow those to the producer's output as they follow imports.
#[test]
fn cdk_weak_references_are_followed_across_templates() {
    let net = r#"{"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Sub": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"}},
        "Rt": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
        "Assoc": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": {"Ref": "Sub"}, "RouteTableId": {"Ref": "Rt"}}}
      },
      "Outputs": {"PublishOutputRefSub": {"Value": {"Ref": "Sub"}}}}"#;
    let app_stack = r#"{"Resources": {
        "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "api", "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"}]}},
        "Service": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE", "TaskDefinition": {"Ref": "Task"}, "NetworkConfiguration": {"AwsvpcConfiguration": {
          "Subnets": [{"Fn::GetStackOutput": {"StackName": "Net", "Region": "us-east-1", "OutputName": "PublishOutputRefSub"}}]}}}}
      }}"#;
    let dir = common::temp_dir("checks-weak-refs");
    let (a, b) = (dir.join("Net.template.json"), dir.join("App.template.json"));
    std::fs::write(&a, net).unwrap();
    std::fs::write(&b, app_stack).unwrap();
    let f = NetworkChecks::new().run(&ironcdk::load::load_paths(&[a.clone(), b.clone()]).unwrap());
    // The subnet is found in the other template: no route out and no endpoints, an error.
    let pull = of(&f, "image-pull-path");
    assert_eq!(pull.len(), 1, "{f:#?}");
    assert_eq!(pull[0].severity, Severity::Error, "{}", pull[0]);
    assert!(pull[0].message.contains("Net/Sub") || pull[0].message.contains("Sub"), "{}", pull[0]);
    // Without the producer's template, it cannot be verified.
    let f = NetworkChecks::new().run(&ironcdk::load::load_paths(&[b]).unwrap());
    let pull = of(&f, "image-pull-path");
    assert_eq!(pull.len(), 1, "{f:#?}");
    assert!(pull[0].severity == Severity::Info && pull[0].message.contains("output PublishOutputRefSub of stack Net"), "{}", pull[0]);
}

fn ironcdk_bin(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(args).output().expect("run ironcdk")
}

#[test]
fn ironcdk_check_gives_the_findings_of_synth_with_its_exit_statuses() {
    let dir = common::temp_dir("checks-cli").join("cdk.out");
    let app = App::with_outdir(&dir);
    isolated_api::isolated_api(&app).unwrap();
    let synthesized = app.synth().unwrap();
    let out = ironcdk_bin(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed: Vec<(String, String)> = json["findings"].as_array().unwrap().iter().map(|f| (f["rule"].as_str().unwrap().to_string(), f["path"].as_str().unwrap().to_string())).collect();
    let from_synth: Vec<(String, String)> = synthesized.findings.iter().map(|f| (f.rule.clone(), f.path.clone().unwrap_or_default())).collect();
    assert_eq!(listed, from_synth);

    // An error finding: exit 1, and a text summary.
    let tdir = common::temp_dir("checks-cli-error");
    let t = tdir.join("Api.template.json");
    std::fs::write(&t, ARTICLE_002_AS_WRITTEN).unwrap();
    let out = ironcdk_bin(&["check", t.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error [image-pull-path] Api/Service/Service:") && text.contains("1 errors, 1 warnings, 0 infos in 1 stacks"), "{text}");

    // Unreadable input: exit 2, naming the file and the line.
    let bad = tdir.join("bad.json");
    std::fs::write(&bad, "{\n  \"Resources\": {,\n}").unwrap();
    let out = ironcdk_bin(&["check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json") && err.contains("line 2"), "{err}");
    let out = ironcdk_bin(&["check", tdir.join("missing.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let not_template = tdir.join("list.json");
    std::fs::write(&not_template, "[1, 2]").unwrap();
    let out = ironcdk_bin(&["check", not_template.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a CloudFormation template"));
    assert_eq!(ironcdk_bin(&["check"]).status.code(), Some(2));
    assert_eq!(ironcdk_bin(&["check", "x", "--format", "xml"]).status.code(), Some(2));
}

fn check_json(name: &str, template: &str) -> Vec<Finding> {
    let dir = common::temp_dir(&format!("checks-{name}"));
    let path = dir.join(format!("{name}.template.json"));
    std::fs::write(&path, template).unwrap();
    NetworkChecks::new().run(&ironcdk::load::load_paths(&[path]).unwrap())
}

/// Two VPCs peered, with a route through the connection in each listed route table.
fn peering(b_cidr: &str, routes: &[&str]) -> String {
    let route = |table: &str| {
        format!(r#""Route{table}": {{"Type": "AWS::EC2::Route", "Properties": {{"RouteTableId": {{"Ref": "{table}"}}, "DestinationCidrBlock": "10.9.0.0/16", "VpcPeeringConnectionId": {{"Ref": "Peering"}}}}}},"#)
    };
    format!(
        r#"{{"Parameters": {{"ProdRouteTable": {{"Type": "String"}}}}, "Resources": {{
          {}
          "A": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "10.0.0.0/16"}}}},
          "B": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "{b_cidr}"}}}},
          "TableA": {{"Type": "AWS::EC2::RouteTable", "Properties": {{"VpcId": {{"Ref": "A"}}}}}},
          "TableB": {{"Type": "AWS::EC2::RouteTable", "Properties": {{"VpcId": {{"Ref": "B"}}}}}},
          "Peering": {{"Type": "AWS::EC2::VPCPeeringConnection", "Properties": {{"VpcId": {{"Ref": "A"}}, "PeerVpcId": {{"Ref": "B"}}}}, "Metadata": {{"aws:cdk:path": "Net/Peering/Resource"}}}}
        }}}}"#,
        routes.iter().map(|t| if *t == "ProdRouteTable" {
            r#""RouteProd": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "ProdRouteTable"}, "DestinationCidrBlock": "10.0.0.0/16", "VpcPeeringConnectionId": {"Ref": "Peering"}}},"#.to_string()
        } else { route(t) }).collect::<String>()
    )
}

#[test]
fn peering_routes_on_one_side_only_or_overlapping_blocks_are_errors() {
    let f = check_json("peer-one", &peering("10.1.0.0/16", &["TableA"]));
    let e = of(&f, "peering-routes");
    assert_eq!(e.len(), 1, "{f:#?}");
    assert!(e[0].severity == Severity::Error && e[0].message.contains("only in the requester VPC's route tables"), "{}", e[0]);
    assert_eq!((e[0].logical_id.as_deref(), e[0].path.as_deref()), (Some("Peering"), Some("Net/Peering/Resource")));
    let f = check_json("peer-accepter", &peering("10.1.0.0/16", &["TableB"]));
    assert!(of(&f, "peering-routes")[0].message.contains("only in the accepter"), "{f:#?}");
    // Even with no route at all on one side and no consumer visible: still an error (above);
    // both sides: none.
    assert!(of(&check_json("peer-both", &peering("10.1.0.0/16", &["TableA", "TableB"])), "peering-routes").is_empty());
    // The other side's route table given as a parameter: cannot verify.
    let f = check_json("peer-param", &peering("10.1.0.0/16", &["TableA", "ProdRouteTable"]));
    let i = of(&f, "peering-routes");
    assert!(i.len() == 1 && i[0].severity == Severity::Info && i[0].message.starts_with("cannot verify"), "{f:#?}");
    // Overlapping blocks.
    let f = check_json("peer-overlap", &peering("10.0.128.0/17", &["TableA", "TableB"]));
    let o = of(&f, "peering-routes");
    assert!(o.len() == 1 && o[0].message.contains("overlap"), "{f:#?}");
}

fn ecr_zone(records: &[&str]) -> String {
    let recs: String = records
        .iter()
        .enumerate()
        .map(|(i, r)| format!(r#""Record{i}": {{"Type": "AWS::Route53::RecordSet", "Properties": {{"HostedZoneId": {{"Ref": "Zone"}}, "Name": "{r}", "Type": "A"}}}},"#))
        .collect();
    format!(
        r#"{{"Resources": {{ {recs}
          "Vpc": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "10.0.0.0/16"}}}},
          "Zone": {{"Type": "AWS::Route53::HostedZone", "Properties": {{"Name": "dkr.ecr.ap-northeast-1.amazonaws.com", "VPCs": [{{"VPCId": {{"Ref": "Vpc"}}, "VPCRegion": "ap-northeast-1"}}]}}, "Metadata": {{"aws:cdk:path": "Shared/EcrDockerZone/Resource"}}}}
        }}}}"#
    )
}

#[test]
fn an_ecr_docker_zone_needs_its_wildcard_record() {
    let f = check_json("zone-apex", &ecr_zone(&["dkr.ecr.ap-northeast-1.amazonaws.com."]));
    let e = of(&f, "private-dns");
    assert_eq!(e.len(), 1, "{f:#?}");
    assert!(e[0].message.contains("no wildcard record") && e[0].fix.contains("*.dkr.ecr.ap-northeast-1.amazonaws.com"), "{}", e[0]);
    assert_eq!(e[0].path.as_deref(), Some("Shared/EcrDockerZone/Resource"));
    let f = check_json("zone-both", &ecr_zone(&["dkr.ecr.ap-northeast-1.amazonaws.com.", "*.dkr.ecr.ap-northeast-1.amazonaws.com."]));
    assert!(of(&f, "private-dns").is_empty(), "{f:#?}");
}

#[test]
fn an_endpoint_with_private_dns_off_needs_a_zone_for_its_consumers() {
    let template = ARTICLE_002_AS_WRITTEN
        .replace(r#""VpcEndpointType": "Interface", "PrivateDnsEnabled": true, "SecurityGroupIds": [{"Fn::GetAtt": ["SG", "GroupId"]}], "SubnetIds""#, r#""VpcEndpointType": "Interface", "PrivateDnsEnabled": false, "SecurityGroupIds": [{"Fn::GetAtt": ["SG", "GroupId"]}], "SubnetIds""#);
    let f = check_json("dns-off", &template);
    let e = of(&f, "private-dns");
    assert_eq!(e.len(), 1, "{f:#?}");
    assert_eq!(e[0].logical_id.as_deref(), Some("EcrDocker"));
    assert!(e[0].message.contains("private DNS off") && e[0].message.contains("ecr.dkr"), "{}", e[0]);
    // With a default route to a NAT gateway the tasks reach the public service through it
    // (aws-samples/serverless-patterns' apigw-vpclink-alb-ecs): nothing to report.
    let routed = template.replacen(
        r#""S3": {"#,
        r#""Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {"SubnetId": "subnet-public", "AllocationId": "eipalloc-1"}},
        "Default": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "VPCIsolatedSubnet1RouteTableEB156210"}, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": {"Ref": "Nat"}}},
        "S3": {"#,
        1,
    );
    assert_ne!(routed, template);
    let f = check_json("dns-off-nat", &routed);
    assert!(of(&f, "private-dns").is_empty(), "{f:#?}");
}

#[test]
fn yaml_templates_with_short_form_tags_are_checked_too() {
    let yaml = r#"
Parameters:
  Env:
    Type: String
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
  Table:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Subnet
      RouteTableId: !Ref Table
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: api
          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/api:1"
  Service:
    Type: AWS::ECS::Service
    Metadata:
      aws:cdk:path: Yaml/Service/Resource
    Properties:
      LaunchType: FARGATE
      TaskDefinition: !Ref Task
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: [!Ref Subnet]
"#;
    let dir = common::temp_dir("checks-yaml");
    let path = dir.join("Yaml.template.yaml");
    std::fs::write(&path, yaml).unwrap();
    let app = ironcdk::load::load_paths(std::slice::from_ref(&path)).unwrap();
    assert_eq!(app.stacks[0].name, "Yaml");
    let f = NetworkChecks::new().run(&app);
    let e = of(&f, "image-pull-path");
    assert_eq!(e.len(), 1, "{f:#?}");
    assert_eq!(e[0].path.as_deref(), Some("Yaml/Service/Resource"));
    assert!(e[0].message.contains("'ecr.api'") && e[0].message.contains("'ecr.dkr'") && e[0].message.contains("S3 gateway"), "{}", e[0]);
    // A YAML syntax error names the file and the line.
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "Resources:\n  A: [1, 2\n  B: x\n").unwrap();
    let err = ironcdk::load::load_paths(&[bad]).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("bad.yaml: not valid at line") && err.contains("YAML"), "{err}");
}

struct NoNat;
impl ironcdk::checks::Rule for NoNat {
    fn id(&self) -> &str {
        "no-nat"
    }
    fn check(&self, net: &ironcdk::network::Network, app: &ironcdk::PreparedApp, out: &mut Vec<Finding>) {
        for (k, path) in &net.nat_gateways {
            let stack = app.stacks[k.stack].name.clone();
            out.push(Finding::new("no-nat", Severity::Error, "NAT gateways are not allowed in this account", "use VPC endpoints").stack(stack).path(path.clone()));
        }
    }
}

#[test]
fn rules_of_your_own_run_over_the_same_model() {
    let build = |nat: u32| {
        let app = App::new();
        app.add_rule(NoNat);
        let s = Stack::new(&app, "S").unwrap();
        Vpc::new(&s, "Vpc", VpcProps::new().nat_gateways(nat).subnet_configuration(vec![
            SubnetConfiguration::new("Public", SubnetType::Public),
            SubnetConfiguration::new("App", if nat > 0 { SubnetType::PrivateWithEgress } else { SubnetType::PrivateIsolated }),
        ])).unwrap();
        app.synth_in_memory()
    };
    let e = build(1).unwrap_err().to_string();
    assert!(e.contains("error [no-nat] S/Vpc/PublicSubnet1/NATGateway: NAT gateways are not allowed"), "{e}");
    build(0).unwrap();
}

/// Article 003: endpoints (private DNS off) in a shared VPC, a dev VPC peered with it, private
/// zones associated with both, routes both ways. `drop` removes one piece by its marker.
fn shared_endpoints(drop: &str) -> String {
    let zone = |id: &str, name: &str, records: &[&str]| {
        let vpcs = if drop == "dev-association" { r#"[{"VPCId": {"Ref": "Shared"}, "VPCRegion": "ap-northeast-1"}]"#.to_string() } else { r#"[{"VPCId": {"Ref": "Shared"}, "VPCRegion": "ap-northeast-1"}, {"VPCId": {"Ref": "Dev"}, "VPCRegion": "ap-northeast-1"}]"#.to_string() };
        let recs: String = records.iter().enumerate().map(|(i, r)| format!(r#""{id}Record{i}": {{"Type": "AWS::Route53::RecordSet", "Properties": {{"HostedZoneId": {{"Ref": "{id}"}}, "Name": "{r}", "Type": "A", "AliasTarget": {{"DNSName": "x", "HostedZoneId": "y"}}}}}},"#)).collect();
        format!(r#"{recs} "{id}": {{"Type": "AWS::Route53::HostedZone", "Properties": {{"Name": "{name}", "VPCs": {vpcs}}}}},"#)
    };
    let endpoint = |id: &str, service: &str| format!(r#""{id}": {{"Type": "AWS::EC2::VPCEndpoint", "Properties": {{"VpcId": {{"Ref": "Shared"}}, "ServiceName": "com.amazonaws.ap-northeast-1.{service}", "VpcEndpointType": "Interface", "PrivateDnsEnabled": false, "SecurityGroupIds": [{{"Ref": "EndpointSg"}}]}}}},"#);
    let dkr_records: &[&str] = if drop == "wildcard" { &["dkr.ecr.ap-northeast-1.amazonaws.com"] } else { &["dkr.ecr.ap-northeast-1.amazonaws.com", "*.dkr.ecr.ap-northeast-1.amazonaws.com"] };
    let allowed = if drop == "sg" { "10.3.0.0/16" } else { "10.2.0.0/16" };
    let dev_route = if drop == "dev-route" { String::new() } else { r#""DevToShared": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "DevTable"}, "DestinationCidrBlock": "10.255.0.0/16", "VpcPeeringConnectionId": {"Ref": "Peering"}}},"#.to_string() };
    format!(
        r#"{{"Resources": {{
        {} {} {}
        {} {} {}
        {dev_route}
        "Shared": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "10.255.0.0/16"}}}},
        "Dev": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "10.2.0.0/16"}}}},
        "Peering": {{"Type": "AWS::EC2::VPCPeeringConnection", "Properties": {{"VpcId": {{"Ref": "Dev"}}, "PeerVpcId": {{"Ref": "Shared"}}}}}},
        "SharedTable": {{"Type": "AWS::EC2::RouteTable", "Properties": {{"VpcId": {{"Ref": "Shared"}}}}}},
        "SharedToDev": {{"Type": "AWS::EC2::Route", "Properties": {{"RouteTableId": {{"Ref": "SharedTable"}}, "DestinationCidrBlock": "10.2.0.0/16", "VpcPeeringConnectionId": {{"Ref": "Peering"}}}}}},
        "EndpointSg": {{"Type": "AWS::EC2::SecurityGroup", "Properties": {{"GroupDescription": "endpoints", "VpcId": {{"Ref": "Shared"}}, "SecurityGroupIngress": [{{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "{allowed}"}}]}}}},
        "DevSubnet": {{"Type": "AWS::EC2::Subnet", "Properties": {{"VpcId": {{"Ref": "Dev"}}, "CidrBlock": "10.2.0.0/24"}}}},
        "DevTable": {{"Type": "AWS::EC2::RouteTable", "Properties": {{"VpcId": {{"Ref": "Dev"}}}}}},
        "DevAssoc": {{"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {{"SubnetId": {{"Ref": "DevSubnet"}}, "RouteTableId": {{"Ref": "DevTable"}}}}}},
        "DevS3": {{"Type": "AWS::EC2::VPCEndpoint", "Properties": {{"VpcId": {{"Ref": "Dev"}}, "ServiceName": "com.amazonaws.ap-northeast-1.s3", "VpcEndpointType": "Gateway", "RouteTableIds": [{{"Ref": "DevTable"}}]}}}},
        "Task": {{"Type": "AWS::ECS::TaskDefinition", "Properties": {{"ContainerDefinitions": [{{"Name": "api", "Image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/api:1", "LogConfiguration": {{"LogDriver": "awslogs"}}}}]}}}},
        "Service": {{"Type": "AWS::ECS::Service", "Properties": {{"LaunchType": "FARGATE", "TaskDefinition": {{"Ref": "Task"}}, "NetworkConfiguration": {{"AwsvpcConfiguration": {{"Subnets": [{{"Ref": "DevSubnet"}}]}}}}}}}}
        }}}}"#,
        endpoint("EcrApi", "ecr.api"),
        endpoint("EcrDkr", "ecr.dkr"),
        endpoint("Logs", "logs"),
        zone("ApiZone", "api.ecr.ap-northeast-1.amazonaws.com", &["api.ecr.ap-northeast-1.amazonaws.com"]),
        zone("DkrZone", "dkr.ecr.ap-northeast-1.amazonaws.com", dkr_records),
        zone("LogsZone", "logs.ap-northeast-1.amazonaws.com", &["logs.ap-northeast-1.amazonaws.com"]),
    )
}

#[test]
fn endpoints_shared_across_a_peering_serve_tasks_when_zones_and_routes_are_there() {
    let f = check_json("shared-ok", &shared_endpoints(""));
    assert!(f.iter().all(|f| f.severity != Severity::Error), "no false positive: {f:#?}");
    let f = check_json("shared-assoc", &shared_endpoints("dev-association"));
    let e = of(&f, "image-pull-path");
    assert!(e.len() == 1 && e[0].message.contains("private hosted zone for api.ecr.<region>.amazonaws.com associated with this VPC"), "{f:#?}");
    let f = check_json("shared-route", &shared_endpoints("dev-route"));
    let e = of(&f, "image-pull-path");
    assert!(e.len() == 1 && e[0].message.contains("route from the subnet's route table through the peering"), "{f:#?}");
    let f = check_json("shared-wildcard", &shared_endpoints("wildcard"));
    let e = of(&f, "private-dns");
    assert!(e.len() == 1 && e[0].logical_id.as_deref() == Some("DkrZone"), "{f:#?}");
    let f = check_json("shared-sg", &shared_endpoints("sg"));
    let e = of(&f, "endpoint-reachable");
    assert_eq!(e.len(), 3, "ecr.api, ecr.dkr and logs in the shared VPC: {f:#?}");
    assert!(e.iter().all(|f| f.message.contains("do not admit HTTPS (443)")));
}

/// An NLB with (or without) a security group in front of a Fargate service.
fn nlb_service(lb_sg: Option<&str>, task_rule: &str, health_port: Option<u16>) -> String {
    let lb_groups = match lb_sg {
        Some(_) => r#", "SecurityGroups": [{"Ref": "LbSg"}]"#,
        None => "",
    };
    let lb_sg_resource = match lb_sg {
        Some(rules) => format!(r#""LbSg": {{"Type": "AWS::EC2::SecurityGroup", "Properties": {{"GroupDescription": "lb", "VpcId": {{"Ref": "Vpc"}}, "SecurityGroupIngress": [{rules}]}}}},"#),
        None => String::new(),
    };
    let health = health_port.map(|p| format!(r#", "HealthCheckPort": "{p}""#)).unwrap_or_default();
    format!(
        r#"{{"Resources": {{ {lb_sg_resource}
        "Vpc": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "10.0.0.0/16"}}}},
        "Subnet": {{"Type": "AWS::EC2::Subnet", "Properties": {{"VpcId": {{"Ref": "Vpc"}}, "CidrBlock": "10.0.1.0/24"}}}},
        "Table": {{"Type": "AWS::EC2::RouteTable", "Properties": {{"VpcId": {{"Ref": "Vpc"}}}}}},
        "Assoc": {{"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {{"SubnetId": {{"Ref": "Subnet"}}, "RouteTableId": {{"Ref": "Table"}}}}}},
        "Nat": {{"Type": "AWS::EC2::NatGateway", "Properties": {{"SubnetId": {{"Ref": "Subnet"}}}}}},
        "Default": {{"Type": "AWS::EC2::Route", "Properties": {{"RouteTableId": {{"Ref": "Table"}}, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": {{"Ref": "Nat"}}}}}},
        "Lb": {{"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {{"Type": "network", "Scheme": "internal", "Subnets": [{{"Ref": "Subnet"}}]{lb_groups}}}}},
        "Tg": {{"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {{"Port": 8080, "Protocol": "TCP", "TargetType": "ip", "VpcId": {{"Ref": "Vpc"}}{health}}}}},
        "Listener": {{"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {{"LoadBalancerArn": {{"Ref": "Lb"}}, "Port": 80, "Protocol": "TCP", "DefaultActions": [{{"Type": "forward", "TargetGroupArn": {{"Ref": "Tg"}}}}]}}}},
        "TaskSg": {{"Type": "AWS::EC2::SecurityGroup", "Properties": {{"GroupDescription": "tasks", "VpcId": {{"Ref": "Vpc"}}, "SecurityGroupIngress": [{task_rule}]}}}},
        "Task": {{"Type": "AWS::ECS::TaskDefinition", "Properties": {{"ContainerDefinitions": [{{"Name": "api", "Image": "nginx"}}]}}}},
        "Service": {{"Type": "AWS::ECS::Service", "Properties": {{"LaunchType": "FARGATE", "TaskDefinition": {{"Ref": "Task"}}, "LoadBalancers": [{{"TargetGroupArn": {{"Ref": "Tg"}}, "ContainerPort": 8080, "ContainerName": "api"}}], "NetworkConfiguration": {{"AwsvpcConfiguration": {{"Subnets": [{{"Ref": "Subnet"}}], "SecurityGroups": [{{"Fn::GetAtt": ["TaskSg", "GroupId"]}}]}}}}}}}}
        }}}}"#
    )
}

#[test]
fn lb_to_target_in_templates_read_from_files() {
    let from_vpc = r#"{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIp": "10.0.0.0/16"}"#;
    let from_lb_sg = r#"{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "SourceSecurityGroupId": {"Ref": "LbSg"}}"#;
    let elsewhere = r#"{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIp": "192.168.0.0/16"}"#;
    // An NLB without security groups: the tasks must admit its subnets (here the VPC's block).
    assert!(of(&check_json("lb-ok", &nlb_service(None, from_vpc, None)), "lb-to-target").is_empty());
    let f = check_json("lb-elsewhere", &nlb_service(None, elsewhere, None));
    let e = of(&f, "lb-to-target");
    assert!(e.len() == 1 && e[0].logical_id.as_deref() == Some("Service") && e[0].message.contains("TCP 8080"), "{f:#?}");
    // A different health check port must be admitted too.
    let f = check_json("lb-health", &nlb_service(None, from_vpc, Some(9000)));
    let e = of(&f, "lb-to-target");
    assert!(e.len() == 1 && e[0].message.contains("TCP 9000"), "{f:#?}");
    // An NLB security group with no inbound rules blocks everything.
    let f = check_json("lb-silent", &nlb_service(Some(""), from_lb_sg, None));
    let e = of(&f, "lb-to-target");
    assert!(e.iter().any(|f| f.logical_id.as_deref() == Some("Lb") && f.message.contains("blocks all traffic")), "{f:#?}");
    // Unless its inbound rules do not apply to PrivateLink traffic: an NLB behind an endpoint
    // service (aws-samples/serverless-patterns' multi-account-private-apigw) admits that.
    let private_link = nlb_service(Some(""), from_lb_sg, None).replacen(r#""Type": "network""#, r#""Type": "network", "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic": "off""#, 1);
    assert!(private_link.contains("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"), "{private_link}");
    let f = check_json("lb-private-link", &private_link);
    assert!(!of(&f, "lb-to-target").iter().any(|f| f.message.contains("blocks all traffic")), "{f:#?}");
    // With a group: the tasks must admit the group.
    let lb_rule = r#"{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "10.0.0.0/16"}"#;
    assert!(of(&check_json("lb-group-ok", &nlb_service(Some(lb_rule), from_lb_sg, None)), "lb-to-target").is_empty());
    let f = check_json("lb-group-no", &nlb_service(Some(lb_rule), elsewhere, None));
    assert_eq!(of(&f, "lb-to-target").len(), 1, "{f:#?}");
    // The NAT gateway of these templates is reported, priced for us-east-1 (no region known).
    assert!(of(&f, "nat-gateway")[0].message.contains("us-east-1"));
}

#[test]
fn cfn_limits_on_templates_read_from_files() {
    let name = "n".repeat(100);
    let many: String = (0..501).map(|i| format!(r#""T{i}": {{"Type": "AWS::SNS::Topic", "Properties": {{"DisplayName": "{name}"}}}}"#)).collect::<Vec<_>>().join(",");
    let f = check_json("limits-many", &format!(r#"{{"Resources": {{{many}}}}}"#));
    let e = of(&f, "cfn-limits");
    assert!(e.iter().any(|f| f.severity == Severity::Error && f.message.contains("501 resources")), "{f:#?}");
    assert!(e.iter().any(|f| f.severity == Severity::Warning && f.fix.contains("--s3-bucket")), "the file is over 51,200 bytes: {f:#?}");
    let f = check_json("limits-ok", r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn facts_behind_parameters_come_from_the_program_or_the_command_line() {
    // Unknown: the rule cannot tell, so it says so instead of guessing.
    let param_rule = r#"{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIp": {"Ref": "LbCidr"}}"#;
    let template = nlb_service(None, param_rule, None).replacen(r#"{"Resources""#, r#"{"Parameters": {"LbCidr": {"Type": "String"}}, "Resources""#, 1);
    let f = check_json("param-unknown", &template);
    let i = of(&f, "lb-to-target");
    assert!(i.len() == 1 && i[0].severity == Severity::Info && i[0].message.starts_with("cannot verify"), "{f:#?}");
    // Given on the command line (ironcdk check --parameter STACK.NAME=VALUE).
    let dir = common::temp_dir("checks-param-given");
    let path = dir.join("Svc.template.json");
    std::fs::write(&path, &template).unwrap();
    let app = ironcdk::load::load_paths(std::slice::from_ref(&path)).unwrap();
    let given = |v: &str| NetworkChecks::with_parameters(vec![("Svc".into(), "LbCidr".into(), v.into())]).run(&app);
    assert!(of(&given("10.0.0.0/16"), "lb-to-target").is_empty());
    let f = given("192.168.0.0/16");
    assert!(of(&f, "lb-to-target").iter().any(|f| f.severity == Severity::Error), "{f:#?}");
    let out = ironcdk_bin(&["check", path.to_str().unwrap(), "--parameter", "Svc.LbCidr=192.168.0.0/16"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));

    // Declared by the program: Parameter::known_value.
    let open_to = |known: Option<&str>| {
        let app = App::new();
        let s = Stack::new(&app, "S").unwrap();
        let p = ironcdk::Parameter::new(&s, "Clients", ironcdk::ParameterProps::new(ironcdk::ParameterType::String)).unwrap();
        if let Some(k) = known {
            p.known_value(k);
        }
        let vpc = ironcdk::ec2::CfnVpc::new(&s, "Vpc", ironcdk::ec2::CfnVpcProps::new().cidr_block("10.0.0.0/16")).unwrap();
        let rule = ironcdk::ec2::cfn_security_group::Ingress::new("tcp").from_port(443).to_port(443).cidr_ip(p.value_as_string());
        ironcdk::ec2::CfnSecurityGroup::new(&s, "Sg", ironcdk::ec2::CfnSecurityGroupProps::new("x").vpc_id(vpc.ref_()).security_group_ingress(vec![rule])).unwrap();
        app.synth_in_memory().unwrap().findings
    };
    assert!(of(&open_to(None), "open-ingress").is_empty(), "unknown: no guess");
    let f = open_to(Some("0.0.0.0/0"));
    let w = of(&f, "open-ingress");
    assert!(w.len() == 1 && w[0].logical_id.as_deref() == Some("Sg"), "{f:#?}");
    assert!(of(&open_to(Some("10.0.0.0/8")), "open-ingress").is_empty());
}

#[test]
fn open_ingress_spares_an_internet_facing_load_balancer_only() {
    let lb_rule = r#"{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}"#;
    let from_lb_sg = r#"{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "SourceSecurityGroupId": {"Ref": "LbSg"}}"#;
    let internal = nlb_service(Some(lb_rule), from_lb_sg, None);
    let f = check_json("open-internal", &internal);
    let w = of(&f, "open-ingress");
    assert!(w.len() == 1 && w[0].logical_id.as_deref() == Some("LbSg"), "an internal LB open to anywhere: {f:#?}");
    let public = internal.replace(r#""Scheme": "internal""#, r#""Scheme": "internet-facing""#);
    assert!(of(&check_json("open-public", &public), "open-ingress").is_empty());
    let tasks_open = nlb_service(None, r#"{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIpv6": "::/0"}"#, None);
    let f = check_json("open-tasks", &tasks_open);
    let w = of(&f, "open-ingress");
    assert!(w.len() == 1 && w[0].logical_id.as_deref() == Some("TaskSg"), "{w:#?}");
}

#[test]
fn ironcdk_check_on_the_scale_assembly_matches_synth() {
    let dir = common::temp_dir("checks-scale").join("cdk.out");
    let app = App::with_outdir(&dir);
    scale::build(&app, 100).unwrap();
    let a = app.synth().unwrap();
    let out = ironcdk_bin(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), a.findings.len());
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error));
}

/// A CDK-written assembly: a Stage's stacks in a nested assembly, CDK's bootstrap parameter,
/// rule and metadata resource, and an asset manifest, all read without complaint.
#[test]
fn a_cdk_assembly_with_a_stage_is_read_whole() {
    let dir = common::temp_dir("checks-cdk-stage").join("cdk.out");
    let nested = dir.join("assembly-Prod");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(dir.join("manifest.json"), r#"{"version": "48.0.0", "artifacts": {
        "ProdStage": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod", "displayName": "Prod"}},
        "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}"#).unwrap();
    std::fs::write(nested.join("manifest.json"), r#"{"version": "48.0.0", "artifacts": {
        "ProdApiAssets": {"type": "cdk:asset-manifest", "properties": {"file": "ProdApi.assets.json"}},
        "ProdApi": {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/ap-northeast-1",
          "properties": {"templateFile": "ProdApi.template.json", "stackName": "Prod-Api"}, "dependencies": ["ProdApiAssets"], "displayName": "Prod/Api"}}}"#).unwrap();
    let template = ARTICLE_002_AS_WRITTEN.replacen(
        r#"{
  "Resources": {"#,
        r#"{
  "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"}},
  "Rules": {"CheckBootstrapVersion": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2"], {"Ref": "BootstrapVersion"}]}]}, "AssertDescription": "old"}]}},
  "Conditions": {"CDKMetadataAvailable": {"Fn::Equals": [{"Ref": "AWS::Region"}, "ap-northeast-1"]}},
  "Resources": {
    "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:x"}, "Condition": "CDKMetadataAvailable"},"#,
        1,
    );
    std::fs::write(nested.join("ProdApi.template.json"), template).unwrap();
    let app = ironcdk::load::load_paths(&[dir]).unwrap();
    assert_eq!(app.stacks.len(), 1);
    assert_eq!((app.stacks[0].name.as_str(), app.stacks[0].env.region.as_deref()), ("Prod-Api", Some("ap-northeast-1")));
    assert!(app.stacks[0].dependencies.is_empty(), "asset manifests are not stacks");
    let f = NetworkChecks::new().run(&app);
    assert_eq!(of(&f, "image-pull-path").len(), 1, "{f:#?}");
    let report = ironcdk::cost::estimate(&app, &ironcdk::cost::Assumptions::new());
    assert_eq!(report.stacks[0].region, "ap-northeast-1");
}

/// An NLB in one subnet, its service in the subnets listed; subnets `A` and `B` are in the
/// first and second AZ of the region (`Fn::Select` over `Fn::GetAZs`), or where `az` says.
fn nlb_in_a(service_subnets: &[&str], az: impl Fn(usize) -> String) -> String {
    let subnets: Vec<String> = ["A", "B"]
        .iter()
        .enumerate()
        .map(|(i, n)| format!(r#""{n}": {{"Type": "AWS::EC2::Subnet", "Properties": {{"VpcId": {{"Ref": "Vpc"}}, "CidrBlock": "10.0.{i}.0/24", "AvailabilityZone": {}}}}}"#, az(i)))
        .collect();
    let refs: Vec<String> = service_subnets.iter().map(|s| format!(r#"{{"Ref": "{s}"}}"#)).collect();
    format!(
        r#"{{"Parameters": {{"Zone": {{"Type": "String"}}}}, "Resources": {{ {},
        "Vpc": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": "10.0.0.0/16"}}}},
        "Lb": {{"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {{"Type": "network", "Scheme": "internal", "SubnetMappings": [{{"SubnetId": {{"Ref": "A"}}}}]}}}},
        "Tg": {{"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {{"Port": 8080, "Protocol": "TCP", "TargetType": "ip", "VpcId": {{"Ref": "Vpc"}}}}}},
        "Listener": {{"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {{"LoadBalancerArn": {{"Ref": "Lb"}}, "Port": 80, "Protocol": "TCP", "DefaultActions": [{{"Type": "forward", "TargetGroupArn": {{"Ref": "Tg"}}}}]}}}},
        "Task": {{"Type": "AWS::ECS::TaskDefinition", "Properties": {{"ContainerDefinitions": [{{"Name": "api", "Image": "nginx"}}]}}}},
        "Service": {{"Type": "AWS::ECS::Service", "Properties": {{"LaunchType": "FARGATE", "TaskDefinition": {{"Ref": "Task"}}, "LoadBalancers": [{{"TargetGroupArn": {{"Ref": "Tg"}}, "ContainerPort": 8080, "ContainerName": "api"}}], "NetworkConfiguration": {{"AwsvpcConfiguration": {{"Subnets": [{}]}}}}}}}}
        }}}}"#,
        subnets.join(","),
        refs.join(",")
    )
}

#[test]
fn tasks_outside_the_load_balancers_azs_are_found() {
    let nth = |i: usize| format!(r#"{{"Fn::Select": [{i}, {{"Fn::GetAZs": ""}}]}}"#);
    let rule = |name: &str, subnets: &[&str], az: &dyn Fn(usize) -> String| {
        let f = check_json(name, &nlb_in_a(subnets, az));
        of(&f, "lb-target-az").into_iter().map(|f| (f.severity, f.message.clone())).collect::<Vec<_>>()
    };
    // Same AZ as the NLB: nothing to say.
    assert!(rule("az-same", &["A"], &nth).is_empty());
    // One of two subnets outside: some tasks would never get traffic.
    let f = rule("az-half", &["A", "B"], &nth);
    assert!(f.len() == 1 && f[0].0 == Severity::Warning && f[0].1.contains("subnet(s) az-half/B") && f[0].1.contains("load balancer az-half/Lb"), "{f:#?}");
    // All outside: the service can never become stable.
    let f = rule("az-none", &["B"], &nth);
    assert!(f.len() == 1 && f[0].0 == Severity::Error && f[0].1.contains("never becomes stable"), "{f:#?}");
    // Named AZs are compared by name.
    let named = |i: usize| format!(r#""us-east-1{}""#, ["a", "b"][i]);
    assert_eq!(rule("az-named", &["B"], &named)[0].0, Severity::Error);
    let same_name = |_: usize| r#""us-east-1a""#.to_string();
    assert!(rule("az-named-same", &["B"], &same_name).is_empty(), "two subnets in one named AZ");
    // A named AZ against a position in the list, or a parameter: not known, said so.
    let mixed = |i: usize| if i == 0 { nth(0) } else { r#""us-east-1b""#.to_string() };
    let f = rule("az-mixed", &["B"], &mixed);
    assert!(f.len() == 1 && f[0].0 == Severity::Info && f[0].1.starts_with("cannot verify"), "{f:#?}");
    let param = |i: usize| if i == 0 { nth(0) } else { r#"{"Ref": "Zone"}"#.to_string() };
    assert_eq!(rule("az-param", &["B"], &param)[0].0, Severity::Info);
}

/// A function in isolated subnets with a DynamoDB grant and an SQS statement, and nothing else
/// on its network: `function-service-path` names both missing endpoints; a DynamoDB gateway
/// endpoint and an SQS interface endpoint fix it, and so would a NAT gateway.
fn vpc_function(fix: &str) -> Vec<Finding> {
    use ironcdk::dynamodb::{Attribute, AttributeType, Table, TableProps};
    use ironcdk::iam::PolicyStatement;
    use ironcdk::lambda::{Code, Function, FunctionProps, Runtime};
    let app = App::new();
    let stack = Stack::new(&app, "Fn").unwrap();
    let mut groups = vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)];
    if fix == "nat" {
        groups = vec![SubnetConfiguration::new("Public", SubnetType::Public), SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress)];
    }
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().nat_gateways(u32::from(fix == "nat")).subnet_configuration(groups)).unwrap();
    if fix == "endpoints" {
        vpc.add_gateway_endpoint("Dynamo", GatewayVpcEndpointOptions::new(GatewayVpcEndpointAwsService::DYNAMODB)).unwrap();
        vpc.add_interface_endpoint("Sqs", InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::new("sqs"))).unwrap();
    }
    let table = Table::new(&stack, "Table", TableProps::new(Attribute::new("pk", AttributeType::String))).unwrap();
    let f = Function::new(&stack, "Handler", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", Code::from_inline("def handler(e, c): pass")).vpc(&vpc)).unwrap();
    if fix != "no-grants" {
        table.grant_read_data(&f).unwrap();
        f.role().add_to_policy(PolicyStatement::allow().actions(["sqs:SendMessage"]).resource("arn:aws:sqs:us-east-1:123456789012:q")).unwrap();
    }
    match app.synth_in_memory() {
        Ok(a) => a.findings,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn function_service_path_names_the_services_a_vpc_function_cannot_reach() {
    let f = vpc_function("none");
    let found = of(&f, "function-service-path");
    assert_eq!(found.len(), 2, "one per isolated subnet: {f:#?}");
    let w = found[0];
    assert_eq!((w.severity, w.path.as_deref()), (Severity::Warning, Some("Fn/Handler/Resource")));
    assert!(w.message.contains("no endpoint for dynamodb (its role allows dynamodb:BatchGetItem), sqs (its role allows sqs:SendMessage)"), "{}", w.message);
    for fixed in ["endpoints", "nat", "no-grants"] {
        let f = vpc_function(fixed);
        assert!(of(&f, "function-service-path").is_empty(), "{fixed}: {f:#?}");
    }
}

/// Lambda sends to a function's dead-letter queue or topic itself, not from the function's
/// subnets: the statement CDK adds for it is no call the function makes. A send the function
/// is granted beside it still is.
#[test]
fn function_service_path_leaves_out_the_dead_letter_destination() {
    use ironcdk::lambda::{Code, Function, FunctionProps, Runtime, Tracing};
    use ironcdk::sns::{Topic, TopicProps};
    use ironcdk::sqs::{Queue, QueueProps};
    let run = |granted: bool| {
        let app = App::new();
        let stack = Stack::new(&app, "Fn").unwrap();
        let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().subnet_configuration(vec![SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated)])).unwrap();
        let code = || Code::from_inline("def handler(e, c): pass");
        let queue = Queue::new(&stack, "Dlq", QueueProps::new()).unwrap();
        let topic = Topic::new(&stack, "DlTopic", TopicProps::new()).unwrap();
        let a = Function::new(&stack, "A", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", code()).vpc(&vpc).dead_letter_queue(&queue).tracing(Tracing::Active)).unwrap();
        Function::new(&stack, "B", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", code()).vpc(&vpc).dead_letter_queue_enabled(true)).unwrap();
        Function::new(&stack, "C", FunctionProps::new(Runtime::PYTHON_3_13, "index.handler", code()).vpc(&vpc).dead_letter_topic(&topic)).unwrap();
        if granted {
            queue.grant_send_messages(&a).unwrap();
        }
        app.synth_in_memory().unwrap().findings
    };
    let f = run(false);
    assert!(of(&f, "function-service-path").is_empty(), "{f:#?}");
    let f = run(true);
    let found = of(&f, "function-service-path");
    assert_eq!(found.len(), 2, "one per subnet of A: {f:#?}");
    assert!(found.iter().all(|w| w.path.as_deref() == Some("Fn/A/Resource") && w.message.contains("no endpoint for sqs (its role allows sqs:GetQueueAttributes)")), "{found:#?}");
}

/// Read from a template: a role given by ARN is outside the templates, so what the function may
/// call cannot be verified.
#[test]
fn function_service_path_cannot_verify_a_role_outside_the_templates() {
    let t = r#"{"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Sub": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.13", "Handler": "index.handler",
            "Role": "arn:aws:iam::123456789012:role/existing", "Code": {"ZipFile": "x"},
            "VpcConfig": {"SubnetIds": [{"Ref": "Sub"}], "SecurityGroupIds": []}}}}}"#;
    let dir = common::temp_dir("function-role-import");
    let path = dir.join("Fn.json");
    std::fs::write(&path, t).unwrap();
    let app = ironcdk::load::load_paths(std::slice::from_ref(&path)).unwrap();
    let f = NetworkChecks::new().run(&app);
    let found = of(&f, "function-service-path");
    assert_eq!(found.len(), 1, "{f:#?}");
    assert_eq!(found[0].severity, Severity::Info);
    assert!(found[0].message.starts_with("cannot verify what the function calls: its role is 'arn:aws:iam::123456789012:role/existing'"), "{}", found[0].message);
}

/// Runs the checks on one template text read from a file, and keeps the findings of `rule`.
fn template_findings(name: &str, template: &serde_json::Value, rule: &str) -> Vec<Finding> {
    let dir = common::temp_dir(name);
    let path = dir.join("T.json");
    std::fs::write(&path, template.to_string()).unwrap();
    let app = ironcdk::load::load_paths(std::slice::from_ref(&path)).unwrap();
    NetworkChecks::new().run(&app).into_iter().filter(|f| f.rule == rule).collect()
}

/// A bucket notifying a topic: without a topic policy admitting S3, with one the bucket does
/// not wait for, and fixed (the policy, and the bucket depending on it).
#[test]
fn s3_notification_destination_needs_a_policy_the_bucket_waits_for() {
    let policy = serde_json::json!({"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": [{"Ref": "Topic"}], "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sns:Publish", "Resource": {"Ref": "Topic"}}]}}});
    let bucket = |depends: bool| {
        let mut b = serde_json::json!({"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {"TopicConfigurations": [{"Event": "s3:ObjectCreated:*", "Topic": {"Ref": "Topic"}}]}}});
        if depends {
            b["DependsOn"] = serde_json::json!("TopicPolicy");
        }
        b
    };
    let topic = serde_json::json!({"Type": "AWS::SNS::Topic"});
    let none = template_findings("notify-none", &serde_json::json!({"Resources": {"Topic": topic, "Bucket": bucket(false)}}), "s3-notification-destination");
    assert_eq!(none.len(), 1, "{none:#?}");
    assert_eq!(none[0].severity, Severity::Error);
    assert!(none[0].message.contains("no topic policy in these templates lets s3.amazonaws.com call sns:Publish") && none[0].message.contains("Unable to validate"), "{}", none[0]);
    let unordered = template_findings("notify-unordered", &serde_json::json!({"Resources": {"Topic": topic, "TopicPolicy": policy, "Bucket": bucket(false)}}), "s3-notification-destination");
    assert_eq!(unordered.len(), 1, "{unordered:#?}");
    assert!(unordered[0].message.contains("does not wait for") && unordered[0].fix.contains("DependsOn: TopicPolicy"), "{}", unordered[0]);
    let fixed = template_findings("notify-fixed", &serde_json::json!({"Resources": {"Topic": topic, "TopicPolicy": policy, "Bucket": bucket(true)}}), "s3-notification-destination");
    assert!(fixed.is_empty(), "{fixed:#?}");
    // A policy for another service does not count.
    let mut other = policy.clone();
    other["Properties"]["PolicyDocument"]["Statement"][0]["Principal"]["Service"] = serde_json::json!("events.amazonaws.com");
    let wrong = template_findings("notify-other", &serde_json::json!({"Resources": {"Topic": topic, "TopicPolicy": other, "Bucket": bucket(true)}}), "s3-notification-destination");
    assert_eq!(wrong.len(), 1, "{wrong:#?}");
}

/// A queue subscribed to a topic without a queue policy admitting SNS: messages are dropped.
#[test]
fn sns_queue_policy_needs_the_queue_to_admit_the_topic() {
    let resources = |with_policy: bool| {
        let mut r = serde_json::json!({
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Sub": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "sqs", "TopicArn": {"Ref": "Topic"}, "Endpoint": {"Fn::GetAtt": ["Queue", "Arn"]}}}});
        if with_policy {
            r["QueuePolicy"] = serde_json::json!({"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Queue"}], "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": ["sqs:SendMessage"], "Resource": {"Fn::GetAtt": ["Queue", "Arn"]},
                 "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": "Topic"}}}}]}}});
        }
        serde_json::json!({"Resources": r})
    };
    let f = template_findings("sub-none", &resources(false), "sns-queue-policy");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.contains("every message is dropped") && f[0].logical_id.as_deref() == Some("Sub"), "{}", f[0]);
    assert!(template_findings("sub-fixed", &resources(true), "sns-queue-policy").is_empty());
}

/// A distribution serving a certificate from eu-west-1 (CloudFront takes us-east-1 only); fixed
/// with one from us-east-1; a parameter cannot be verified.
#[test]
fn cloudfront_certificate_region_must_be_us_east_1() {
    let t = |cert: serde_json::Value| serde_json::json!({"Parameters": {"Cert": {"Type": "String"}}, "Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
        "Enabled": true, "Aliases": ["www.example.com"], "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https", "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        "Origins": [{"Id": "o", "DomainName": "origin.example.com", "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}],
        "ViewerCertificate": {"AcmCertificateArn": cert, "SslSupportMethod": "sni-only"}}}}}});
    let wrong = template_findings("cf-cert-eu", &t(serde_json::json!("arn:aws:acm:eu-west-1:123456789012:certificate/abc")), "cloudfront-certificate-region");
    assert_eq!(wrong.len(), 1, "{wrong:#?}");
    assert_eq!(wrong[0].severity, Severity::Error);
    assert!(wrong[0].message.contains("from eu-west-1"), "{}", wrong[0]);
    assert!(template_findings("cf-cert-us", &t(serde_json::json!("arn:aws:acm:us-east-1:123456789012:certificate/abc")), "cloudfront-certificate-region").is_empty());
    let param = template_findings("cf-cert-param", &t(serde_json::json!({"Ref": "Cert"})), "cloudfront-certificate-region");
    assert_eq!(param.len(), 1);
    assert_eq!(param[0].severity, Severity::Info);
}

/// A public bucket policy on a bucket that blocks public access (by default, or by its
/// configuration), a public ACL where ACLs are disabled, and both fixed.
#[test]
fn s3_public_access_finds_what_block_public_access_refuses() {
    let policy = serde_json::json!({"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Site"}, "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["Site", "Arn"]}, "/*"]]}}]}}});
    let bucket = |props: serde_json::Value| serde_json::json!({"Type": "AWS::S3::Bucket", "Properties": props});
    let by_default = template_findings("public-default", &serde_json::json!({"Resources": {"Site": bucket(serde_json::json!({})), "Policy": policy}}), "s3-public-access");
    assert_eq!(by_default.len(), 1, "{by_default:#?}");
    assert!(by_default[0].message.contains("the default for new buckets") && by_default[0].logical_id.as_deref() == Some("Policy"), "{}", by_default[0]);
    let open = serde_json::json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": false, "IgnorePublicAcls": true, "RestrictPublicBuckets": false}});
    assert!(template_findings("public-open", &serde_json::json!({"Resources": {"Site": bucket(open), "Policy": policy}}), "s3-public-access").is_empty());
    let acl = template_findings("public-acl", &serde_json::json!({"Resources": {"Site": bucket(serde_json::json!({"AccessControl": "PublicRead"}))}}), "s3-public-access");
    assert_eq!(acl.len(), 1);
    assert!(acl[0].message.contains("AccessControlListNotSupported"), "{}", acl[0]);
    let writer = serde_json::json!({"AccessControl": "PublicRead", "OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": false, "IgnorePublicAcls": false}});
    assert!(template_findings("public-acl-ok", &serde_json::json!({"Resources": {"Site": bucket(writer)}}), "s3-public-access").is_empty());
    // The L2: a public statement on a bucket that blocks public access is refused at synth.
    let app = App::new();
    let s = Stack::new(&app, "Site").unwrap();
    let b = ironcdk::s3::Bucket::new(&s, "Site", ironcdk::s3::BucketProps::new()).unwrap();
    b.add_to_resource_policy(ironcdk::iam::PolicyStatement::allow().actions(["s3:GetObject"]).principal(ironcdk::iam::Principal::Aws("*".into())).resource(b.arn_for_objects("*"))).unwrap();
    let e = app.synth_in_memory().err().expect("refused").to_string();
    assert!(e.contains("s3-public-access") && e.contains("Access Denied"), "{e}");
}

/// A FIFO queue with a standard dead-letter queue (SQS refuses the redrive policy), and fixed.
#[test]
fn sqs_dead_letter_kind_must_match() {
    let t = |dlq_fifo: bool| {
        let mut dlq = serde_json::json!({"Type": "AWS::SQS::Queue"});
        if dlq_fifo {
            dlq["Properties"] = serde_json::json!({"FifoQueue": true});
        }
        serde_json::json!({"Resources": {"Dlq": dlq, "Orders": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": true,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}, "maxReceiveCount": 3}}}}})
    };
    let f = template_findings("dlq-kind", &t(false), "sqs-dead-letter-kind");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.contains("the queue is FIFO and its dead-letter queue") && f[0].logical_id.as_deref() == Some("Orders"), "{}", f[0]);
    assert!(template_findings("dlq-kind-ok", &t(true), "sqs-dead-letter-kind").is_empty());
}
