//! A new application load balancer in front of a Fargate service (issue 20): HTTPS with the HTTP
//! redirect, a fixed-response default, a path rule forwarding to the service; what Elastic Load
//! Balancing refuses, refused at synth naming the construct; lint-clean and deployed to moto.
//! The same constructs are compared with aws-cdk-lib 2.276 in tests/cdk_parity_random.rs.

mod common;
#[allow(dead_code)]
#[path = "../examples/web_service.rs"]
mod web_service;

use ironcdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcProps};
use ironcdk::ecs::{Cluster, ClusterProps, ContainerDefinitionOptions, ContainerImage, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, PortMapping};
use ironcdk::elasticloadbalancingv2::{
    ApplicationListenerAttributes, ApplicationListenerProps, ApplicationListener, ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationProtocol,
    ApplicationTargetGroup, ApplicationTargetGroupProps, FixedResponseOptions, HealthCheck, ListenerAction, ListenerCertificate, ListenerCondition,
    ListenerRuleOptions, RedirectListenerOptions, RedirectOptions, TargetType,
};
use ironcdk::{App, Duration, Environment, Result, Severity, Stack, StackProps};
use serde_json::json;

const CERT: &str = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

fn vpc(s: &Stack, azs: usize) -> Result<Vpc> {
    Vpc::new(s, "Vpc", VpcProps::new().max_azs(azs).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("App", SubnetType::PrivateIsolated),
    ]))
}

/// The web app: an internet-facing ALB, HTTPS answering 404 by default and forwarding /api/*
/// to the service's target group, and HTTP redirected to HTTPS.
fn web(app: &App) -> Result<()> {
    web_with(app, CERT)
}

/// The web app with a certificate of this ARN.
fn web_with(app: &App, certificate: &str) -> Result<()> {
    let s = Stack::with_props(app, "Web", StackProps::new().env(Environment::region("us-east-1")))?;
    let vpc = vpc(&s, 2)?;
    let lb = ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&vpc).internet_facing(true).idle_timeout(Duration::seconds(120)))?;
    let https = lb.add_listener("Https", ApplicationListenerProps::new(443)
        .certificates(vec![ListenerCertificate::from_arn(certificate)])
        .default_action(ListenerAction::fixed_response(404, FixedResponseOptions::new().content_type("text/plain").message_body("not here"))))?;
    lb.add_redirect(RedirectListenerOptions::new())?;
    let tg = ApplicationTargetGroup::new(&s, "Api", ApplicationTargetGroupProps::new(&vpc, 8080).target_type(TargetType::Ip).health_check(HealthCheck::new().path("/health")))?;
    https.add_target_groups("Api", vec![tg.clone()], ListenerRuleOptions::rule(10, vec![ListenerCondition::path_patterns(["/api/*"])]))?;
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&vpc))?;
    let task = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new())?;
    task.add_container("api", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable")).port_mappings(vec![PortMapping::tcp(8080)]))?;
    let service = FargateService::new(&s, "Service", FargateServiceProps::new(&cluster, &task).assign_public_ip(true).vpc_subnets(SubnetSelection::of_type(SubnetType::Public)))?;
    service.attach_to_application_target_group(&tg)?;
    // A database in the isolated subnets, reachable from the service only.
    use ironcdk::rds::{DatabaseInstance, DatabaseInstanceEngine, DatabaseInstanceProps, InstanceType, PostgresEngineVersion};
    let db = DatabaseInstance::new(&s, "Db", DatabaseInstanceProps::new(DatabaseInstanceEngine::postgres(PostgresEngineVersion::V16_13), &vpc, InstanceType::new("t4g.micro"))
        .vpc_subnets(SubnetSelection::of_type(SubnetType::PrivateIsolated)).allocated_storage(20).storage_encrypted(true))?;
    db.allow_default_port_from(&service.connections(), None)?;
    Ok(())
}

#[test]
fn the_load_balancer_its_listeners_and_rules_are_written_as_cdk_writes_them() {
    let app = App::new();
    web(&app).unwrap();
    let a = app.synth_in_memory().unwrap();
    let t = a.stacks[0].template();
    let (lb_id, lb) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer")[0];
    let p = &lb["Properties"];
    assert_eq!((p["Type"].as_str(), p["Scheme"].as_str()), (Some("application"), Some("internet-facing")));
    assert_eq!(p["LoadBalancerAttributes"], json!([{"Key": "deletion_protection.enabled", "Value": "false"}, {"Key": "idle_timeout.timeout_seconds", "Value": "120"}]));
    assert_eq!(p["Subnets"].as_array().unwrap().len(), 2, "one public subnet per AZ");
    assert_eq!(lb["DependsOn"].as_array().unwrap().len(), 4, "waits for the public subnets' routes and associations, as CDK");
    // Its own group: no outbound until targets are added, then egress to them only; open on
    // both listener ports.
    let (sg_id, sg) = common::of_type(&t, "AWS::EC2::SecurityGroup").into_iter().find(|(id, _)| id.starts_with("LbSecurityGroup")).unwrap();
    // CDK's description, naming the load balancer by its unique id (path and hash).
    let description = sg["Properties"]["GroupDescription"].as_str().unwrap();
    assert!(description.starts_with("Automatically created Security Group for ELB WebLb") && description.len() == "Automatically created Security Group for ELB WebLb".len() + 8, "{description}");
    let ingress = sg["Properties"]["SecurityGroupIngress"].as_array().unwrap();
    let described: Vec<&str> = ingress.iter().filter_map(|r| r["Description"].as_str()).collect();
    assert_eq!(described, ["Allow from anyone on port 443", "Allow from anyone on port 80"]);
    let egress = common::of_type(&t, "AWS::EC2::SecurityGroupEgress");
    assert_eq!(egress.len(), 1);
    assert_eq!(egress[0].1["Properties"]["GroupId"], json!({"Fn::GetAtt": [sg_id, "GroupId"]}));
    assert_eq!((egress[0].1["Properties"]["FromPort"].as_i64(), egress[0].1["Properties"]["Description"].as_str()), (Some(8080), Some("Load balancer to target")));
    // HTTPS with CDK's TLS policy and a fixed-response default; HTTP redirecting.
    let listeners = common::of_type(&t, "AWS::ElasticLoadBalancingV2::Listener");
    let (https_id, https) = listeners.iter().find(|(id, _)| id.starts_with("LbHttps")).unwrap();
    assert_eq!(https["Properties"]["SslPolicy"], "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09");
    assert_eq!(https["Properties"]["Certificates"], json!([{"CertificateArn": CERT}]));
    assert_eq!(https["Properties"]["DefaultActions"], json!([{"FixedResponseConfig": {"ContentType": "text/plain", "MessageBody": "not here", "StatusCode": "404"}, "Type": "fixed-response"}]));
    assert_eq!(https["Properties"]["LoadBalancerArn"], json!({"Ref": lb_id}));
    let (_, redirect) = listeners.iter().find(|(id, _)| id.starts_with("LbRedirect80To443")).unwrap();
    assert_eq!(redirect["Properties"]["DefaultActions"], json!([{"RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}, "Type": "redirect"}]));
    assert!(redirect["Properties"].get("SslPolicy").is_none());
    let (rule_id, rule) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::ListenerRule")[0];
    assert!(rule_id.starts_with("LbHttpsApiRule"), "{rule_id}");
    assert_eq!(rule["Properties"]["ListenerArn"], json!({"Ref": https_id}));
    // The service waits for the rule forwarding to its group.
    let (_, service) = common::of_type(&t, "AWS::ECS::Service")[0];
    assert!(service["DependsOn"].as_array().unwrap().iter().any(|d| d == rule_id.as_str()), "{service:#}");
    // Nothing the checks object to: the ALB reaches its targets.
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error), "{:#?}", a.findings);
}

#[test]
fn it_lints_clean_and_deploys_to_moto() {
    let dir = common::temp_dir("web");
    let app = App::with_outdir(dir.join("cdk.out"));
    web(&app).unwrap();
    let a = app.synth().unwrap();
    let s = &a.stacks[0];
    let Some(warnings) = common::cfn_lint_all(&[s.template_path.clone()]) else { return };
    assert!(warnings.is_empty(), "{warnings:#?}");
    // moto checks the listener's certificate: one it issued, in the same program.
    let Some(moto) = common::Moto::start() else { return };
    let out = moto.aws(&["acm", "request-certificate", "--domain-name", "www.example.com", "--query", "CertificateArn", "--output", "text"]);
    let arn = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(arn.starts_with("arn:aws:acm:"), "{arn}");
    let app = App::with_outdir(dir.join("moto.out"));
    web_with(&app, &arn).unwrap();
    let a = app.synth().unwrap();
    let s = &a.stacks[0];
    let resources = moto.deploy(&s.template_path, "Web", &s.capabilities);
    let t = s.template();
    // Exactly what moto 5.2.5 skips (it lists them without a logical ID): a standalone egress
    // rule, and the database's generated secret and its attachment (the instance is created).
    assert_eq!(common::not_created(&t, &resources), ["AWS::EC2::SecurityGroupEgress", "AWS::SecretsManager::Secret", "AWS::SecretsManager::SecretTargetAttachment"]);
    let out = moto.aws(&["rds", "describe-db-instances", "--query", "DBInstances[].[Engine,DBInstanceClass]", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "postgres\tdb.t4g.micro");
    let out = moto.aws(&["elbv2", "describe-load-balancers", "--query", "LoadBalancers[].[Type,Scheme]", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "application\tinternet-facing");
}

fn refused(build: impl FnOnce(&App) -> Result<()>, path: &str, what: &str) {
    let app = App::new();
    let e = match build(&app) {
        Err(e) => e.to_string(),
        Ok(()) => app.synth_in_memory().err().map(|e| e.to_string()).unwrap_or_else(|| panic!("synthesized; expected '{what}'")),
    };
    assert!(e.contains(&format!("{path}: ")) && e.contains(what), "expected {path}: {what}\n got: {e}");
}

fn with_lb(f: impl FnOnce(&Stack, &Vpc, &ApplicationLoadBalancer) -> Result<()>) -> impl FnOnce(&App) -> Result<()> {
    move |app| {
        let s = Stack::new(app, "S")?;
        let vpc = vpc(&s, 2)?;
        let lb = ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&vpc).internet_facing(true))?;
        f(&s, &vpc, &lb)
    }
}

fn answer() -> ListenerAction {
    ListenerAction::fixed_response(200, FixedResponseOptions::new())
}

#[test]
fn what_elastic_load_balancing_refuses_is_refused_naming_the_construct() {
    refused(|app| { let s = Stack::new(app, "S")?; let v = vpc(&s, 1)?; ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&v)).map(|_| ()) }, "S/Lb", "at least two Availability Zones");
    refused(|app| {
        let s = Stack::new(app, "S")?;
        let v = vpc(&s, 2)?;
        ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&v).internet_facing(true).vpc_subnets(SubnetSelection::of_type(SubnetType::PrivateIsolated))).map(|_| ())
    }, "S/Lb", "must be in public subnets");
    refused(|app| { let s = Stack::new(app, "S")?; let v = vpc(&s, 2)?; ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&v).idle_timeout(Duration::seconds(5000))).map(|_| ()) }, "S/Lb", "idle timeout 5000 s");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(443).default_action(answer())).map(|_| ())), "S/Lb/L", "an HTTPS listener needs a certificate");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(80).certificates(vec![ListenerCertificate::from_arn(CERT)]).default_action(answer())).map(|_| ())), "S/Lb/L", "an HTTP listener takes no certificate");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(3000).default_action(answer())).map(|_| ())), "S/Lb/L", "cannot tell the protocol of port 3000");
    refused(with_lb(|_, _, lb| {
        lb.add_listener("A", ApplicationListenerProps::new(80).default_action(answer()))?;
        lb.add_listener("B", ApplicationListenerProps::new(80).default_action(answer())).map(|_| ())
    }), "S/Lb/B", "already has listener S/Lb/A on port 80");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(80)).map(|_| ())), "S/Lb/L", "the listener has no default action");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(80).default_action(ListenerAction::fixed_response(302, FixedResponseOptions::new()))).map(|_| ())), "S/Lb/L", "status 302 is not 2XX, 4XX or 5XX");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(80).default_action(ListenerAction::fixed_response(200, FixedResponseOptions::new().content_type("text/xml")))).map(|_| ())), "S/Lb/L", "content type 'text/xml'");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(80).default_action(ListenerAction::fixed_response(200, FixedResponseOptions::new().message_body("x".repeat(1025))))).map(|_| ())), "S/Lb/L", "at most 1024 characters");
    refused(with_lb(|_, _, lb| lb.add_listener("L", ApplicationListenerProps::new(80).default_action(ListenerAction::redirect(RedirectOptions::new().permanent(true)))).map(|_| ())), "S/Lb/L", "would loop");
    refused(with_lb(|_, _, lb| {
        let l = lb.add_listener("L", ApplicationListenerProps::new(80).default_action(answer()))?;
        l.add_action("Second", answer(), ListenerRuleOptions::new())
    }), "S/Lb/L", "already has a default action");
    refused(with_lb(|_, _, lb| {
        let l = lb.add_listener("L", ApplicationListenerProps::new(80).default_action(answer()))?;
        l.add_action("Cond", answer(), ListenerRuleOptions::new().conditions(vec![ListenerCondition::path_patterns(["/x"])]))
    }), "S/Lb/L/Cond", "conditions need a priority");
    refused(with_lb(|s, v, lb| {
        let tg = ApplicationTargetGroup::new(s, "Tg", ApplicationTargetGroupProps::new(v, 8080))?;
        lb.add_listener("L", ApplicationListenerProps::new(80).default_action(answer()).default_target_groups(vec![tg])).map(|_| ())
    }), "S/Lb/L", "either default_action or default_target_groups");
    refused(with_lb(|s, v, _| ApplicationTargetGroup::new(s, "Tg", ApplicationTargetGroupProps::new(v, 3000)).map(|_| ())), "S/Tg", "cannot tell the protocol of port 3000");
    // A target group of another VPC than the load balancer's, as default or in a rule.
    let other_vpc = |s: &Stack| Vpc::new(s, "Other", VpcProps::new().ip_addresses("10.9.0.0/16").max_azs(2).subnet_configuration(vec![SubnetConfiguration::new("App", SubnetType::PrivateIsolated)]));
    refused(with_lb(|s, _, lb| {
        let o = other_vpc(s)?;
        let tg = ApplicationTargetGroup::new(s, "Tg", ApplicationTargetGroupProps::new(&o, 8080))?;
        lb.add_listener("L", ApplicationListenerProps::new(80).default_target_groups(vec![tg])).map(|_| ())
    }), "S/Lb/L", "a target group must be in its load balancer's VPC");
    refused(with_lb(|s, _, lb| {
        let o = other_vpc(s)?;
        let tg = ApplicationTargetGroup::new(s, "Tg", ApplicationTargetGroupProps::new(&o, 8080))?;
        let l = lb.add_listener("L", ApplicationListenerProps::new(80).default_action(answer()))?;
        l.add_target_groups("Api", vec![tg], ListenerRuleOptions::rule(10, vec![ListenerCondition::path_patterns(["/api/*"])]))
    }), "S/Lb/L/ApiRule", "a target group must be in its load balancer's VPC");
    // An imported listener takes rules only.
    refused(|app| {
        let s = Stack::new(app, "S")?;
        let sg = ironcdk::ec2::SecurityGroup::from_security_group_id(&s, "Sg", "sg-0a1b2c3d", ironcdk::ec2::SecurityGroupImportProps::new())?;
        let l = ApplicationListener::from_application_listener_attributes(&s, "L", ApplicationListenerAttributes::new(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod/0123456789abcdef/0123456789abcdef", &sg))?;
        l.add_action("Default", answer(), ListenerRuleOptions::new())
    }, "S/L", "this listener is imported");
}

#[test]
fn closed_listeners_extra_certificates_tls_policies_and_rules_that_answer() {
    let app = App::new();
    with_lb(|s, v, lb| {
        let tg = ApplicationTargetGroup::new(s, "Tg", ApplicationTargetGroupProps::new(v, 3000).protocol(ApplicationProtocol::Http))?;
        let l = lb.add_listener("L", ApplicationListenerProps::new(8443).open(false).ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .certificates(vec![ListenerCertificate::from_arn(CERT), ListenerCertificate::from_arn("arn:aws:acm:us-east-1:123456789012:certificate/b"), ListenerCertificate::from_arn("arn:aws:acm:us-east-1:123456789012:certificate/c")])
            .default_target_groups(vec![tg]))?;
        l.add_action("Maint", ListenerAction::fixed_response(503, FixedResponseOptions::new().content_type("application/json").message_body("{}")), ListenerRuleOptions::rule(5, vec![ListenerCondition::host_headers(["old.example.com"])]))
    })(&app)
    .unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (_, l) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::Listener")[0];
    assert_eq!((l["Properties"]["Protocol"].as_str(), l["Properties"]["SslPolicy"].as_str()), (Some("HTTPS"), Some("ELBSecurityPolicy-TLS13-1-2-2021-06")));
    let extra: Vec<(String, serde_json::Value)> = common::of_type(&t, "AWS::ElasticLoadBalancingV2::ListenerCertificate").into_iter().map(|(id, r)| (id.clone(), r["Properties"]["Certificates"].clone())).collect();
    assert_eq!(extra.len(), 2, "one resource per extra certificate, as CDK: {extra:?}");
    assert!(extra[0].0.starts_with("LbLDefaultCertificates1") && extra[1].0.starts_with("LbLDefaultCertificates2"), "{extra:?}");
    let (_, sg) = common::of_type(&t, "AWS::EC2::SecurityGroup").into_iter().find(|(id, _)| id.starts_with("LbSecurityGroup")).unwrap();
    assert!(sg["Properties"].get("SecurityGroupIngress").is_none(), "open(false) admits no one");
    let (_, rule) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::ListenerRule")[0];
    assert_eq!(rule["Properties"]["Actions"][0]["Type"], "fixed-response");
    assert_eq!(rule["Properties"]["Priority"], 5);
}

/// The load-balanced service pattern: CDK's tree and outputs, HTTPS with the redirect that waits
/// for the listener, and what CDK's pattern refuses.
#[test]
fn the_load_balanced_fargate_service_pattern() {
    use ironcdk::ecs_patterns::{ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions};
    let build = |props: &dyn Fn(&Cluster) -> ApplicationLoadBalancedFargateServiceProps| -> std::result::Result<serde_json::Value, String> {
        let app = App::new();
        let s = Stack::with_props(&app, "P", StackProps::new().env(Environment::region("us-east-1"))).map_err(|e| e.to_string())?;
        let v = Vpc::new(&s, "Vpc", VpcProps::new().max_azs(2).nat_gateways(1).subnet_configuration(vec![
            SubnetConfiguration::new("Public", SubnetType::Public),
            SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress),
        ])).map_err(|e| e.to_string())?;
        let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&v)).map_err(|e| e.to_string())?;
        ApplicationLoadBalancedFargateService::new(&s, "Web", props(&cluster)).map_err(|e| e.to_string())?;
        let a = app.synth_in_memory().map_err(|e| e.to_string())?;
        Ok(a.stacks[0].template())
    };
    let image = || TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable")).container_port(8080);
    let t = build(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).certificate(ListenerCertificate::from_arn(CERT)).redirect_http(true).desired_count(2)).unwrap();
    let paths: Vec<&str> = t["Resources"].as_object().unwrap().values().filter_map(|r| r["Metadata"]["aws:cdk:path"].as_str()).filter(|p| p.starts_with("P/Web/")).collect();
    for expected in ["P/Web/LB/Resource", "P/Web/LB/SecurityGroup/Resource", "P/Web/LB/PublicListener/Resource", "P/Web/LB/PublicListener/ECSGroup/Resource",
        "P/Web/LB/PublicRedirectListener/Resource", "P/Web/TaskDef/Resource", "P/Web/TaskDef/web/LogGroup/Resource", "P/Web/Service/Service", "P/Web/Service/SecurityGroup/Resource"] {
        assert!(paths.contains(&expected), "{expected} in {paths:#?}");
    }
    let (redirect_id, redirect) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::Listener").into_iter().find(|(id, _)| id.starts_with("WebLBPublicRedirectListener")).unwrap();
    let depends: Vec<&str> = redirect["DependsOn"].as_array().unwrap().iter().filter_map(|d| d.as_str()).collect();
    assert!(depends.iter().any(|d| d.starts_with("WebLBPublicListenerECSGroup")) && depends.iter().any(|d| d.starts_with("WebLBPublicListener") && !d.contains("ECS")), "{redirect_id}: {depends:?}");
    let (_, service) = common::of_type(&t, "AWS::ECS::Service")[0];
    assert_eq!(service["Properties"]["DesiredCount"], 2);
    assert_eq!(service["Properties"]["HealthCheckGracePeriodSeconds"], 60);
    assert_eq!(service["Properties"]["LoadBalancers"][0]["ContainerPort"], 8080);
    assert_eq!(service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"], "DISABLED", "tasks in the private subnets");
    let outputs = t["Outputs"].as_object().unwrap();
    let url = outputs.iter().find(|(k, _)| k.starts_with("WebServiceURL")).unwrap().1;
    assert_eq!(url["Value"]["Fn::Join"][1][0], "https://");
    assert!(outputs.keys().any(|k| k.starts_with("WebLoadBalancerDNS")));
    // An internal one names its group as CDK's unique target group id does.
    let t = build(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).public_load_balancer(false).load_balancer_name("api")).unwrap();
    assert!(common::of_type(&t, "AWS::ElasticLoadBalancingV2::TargetGroup")[0].0.starts_with("WebLBPublicListenerECSapiPrivateGroup"));
    // A name in a zone: the alias record, the URL naming it, and with HTTPS and no certificate a
    // DNS-validated one for the name, as CDK's pattern makes them.
    let zone = |c: &Cluster| ironcdk::route53::HostedZone::from_hosted_zone_attributes(&ironcdk::AsScope::scope(c), "Zone", "Z0123456789ABCDEFGHIJ", "example.com").unwrap();
    let t = build(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).protocol(ApplicationProtocol::Https).domain("api.example.com", &zone(c))).unwrap();
    let (record_id, record) = common::of_type(&t, "AWS::Route53::RecordSet")[0];
    assert!(record_id.starts_with("WebDNS"), "{record_id}");
    assert_eq!(record["Properties"]["Name"], "api.example.com.");
    assert_eq!(record["Properties"]["HostedZoneId"], "Z0123456789ABCDEFGHIJ");
    let (cert_id, cert) = common::of_type(&t, "AWS::CertificateManager::Certificate")[0];
    assert!(cert_id.starts_with("WebCertificate"), "{cert_id}");
    assert_eq!(cert["Properties"]["DomainName"], "api.example.com");
    assert_eq!(cert["Properties"]["ValidationMethod"], "DNS");
    let (_, listener) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::Listener")[0];
    assert_eq!(listener["Properties"]["Certificates"][0]["CertificateArn"], json!({"Ref": cert_id}));
    let url = t["Outputs"].as_object().unwrap().iter().find(|(k, _)| k.starts_with("WebServiceURL")).unwrap().1;
    assert_eq!(url["Value"], json!({"Fn::Join": ["", ["https://", {"Ref": record_id}]]}));
    // Refused as CDK's pattern refuses.
    let err = |p: &dyn Fn(&Cluster) -> ApplicationLoadBalancedFargateServiceProps| build(p).err().unwrap_or_default();
    assert!(err(&|c| { let mut p = ApplicationLoadBalancedFargateServiceProps::new(c, image()); p.domain_name = Some("api.example.com".into()); p }).contains("P/Web: a domain name needs its hosted zone"));
    assert!(err(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).protocol(ApplicationProtocol::Https).domain("www", &zone(c))).contains("P/Web/Certificate: 'www' is not a domain name ACM takes"));
    assert!(err(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).certificate(ListenerCertificate::from_arn(CERT)).protocol(ApplicationProtocol::Http)).contains("P/Web: a certificate needs protocol HTTPS"));
    assert!(err(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).redirect_http(true)).contains("P/Web: redirecting HTTP needs the HTTPS protocol"));
    assert!(err(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).protocol(ApplicationProtocol::Https)).contains("P/Web: an HTTPS listener needs a certificate"));
    assert!(err(&|c| ApplicationLoadBalancedFargateServiceProps::new(c, image()).desired_count(0)).contains("P/Web: the desired count must be at least 1"));
}

/// A PostgreSQL instance with CDK's generated credentials: its subnet group, security group,
/// secret (CDK's hashed logical ID) and attachment; the service admitted on 5432; what RDS
/// refuses, refused naming the database.
#[test]
fn a_database_with_generated_credentials_reachable_from_the_service_only() {
    use ironcdk::rds::{Credentials, DatabaseInstance, DatabaseInstanceEngine, DatabaseInstanceProps, InstanceType, PostgresEngineVersion};
    let build = |props: &dyn Fn(&Vpc) -> DatabaseInstanceProps| -> std::result::Result<serde_json::Value, String> {
        let app = App::new();
        let s = Stack::with_props(&app, "Db", StackProps::new().env(Environment::region("us-east-1"))).map_err(|e| e.to_string())?;
        let v = vpc(&s, 2).map_err(|e| e.to_string())?;
        let db = DatabaseInstance::new(&s, "Db", props(&v)).map_err(|e| e.to_string())?;
        let app_sg = ironcdk::ec2::SecurityGroup::new(&s, "App", ironcdk::ec2::SecurityGroupProps::new(&v)).map_err(|e| e.to_string())?;
        db.allow_default_port_from(&app_sg.connections(), None).map_err(|e| e.to_string())?;
        let a = app.synth_in_memory().map_err(|e| e.to_string())?;
        Ok(a.stacks[0].template())
    };
    let pg = || DatabaseInstanceEngine::postgres(PostgresEngineVersion::V16_13);
    let isolated = || SubnetSelection::of_type(SubnetType::PrivateIsolated);
    let t = build(&|v| DatabaseInstanceProps::new(pg(), v, InstanceType::new("t4g.micro")).vpc_subnets(isolated()).credentials(Credentials::from_generated_secret("postgres"))).unwrap();
    // The secret's logical ID as CDK 2.276 writes it for this path (read off its synth of the
    // same program: stack Db, instance Db).
    let (secret_id, secret) = common::of_type(&t, "AWS::SecretsManager::Secret")[0];
    assert_eq!(secret_id, "DbSecret436BDB1D3fdaad7efa858a3daf9490cf0a702aeb");
    assert_eq!(secret["Properties"]["GenerateSecretString"]["SecretStringTemplate"], "{\"username\":\"postgres\"}");
    let (db_id, db) = common::of_type(&t, "AWS::RDS::DBInstance")[0];
    assert_eq!(db["DeletionPolicy"], "Snapshot");
    let p = &db["Properties"];
    assert_eq!((p["Engine"].as_str(), p["EngineVersion"].as_str(), p["DBInstanceClass"].as_str(), p["AllocatedStorage"].as_str()), (Some("postgres"), Some("16.13"), Some("db.t4g.micro"), Some("100")));
    assert_eq!(p["MasterUsername"], "postgres");
    assert_eq!(p["MasterUserPassword"], json!({"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:password::}}"]]}));
    assert_eq!(p["PubliclyAccessible"], false);
    let (_, attachment) = common::of_type(&t, "AWS::SecretsManager::SecretTargetAttachment")[0];
    assert_eq!(attachment["Properties"]["TargetId"], json!({"Ref": db_id}));
    // The service's group is admitted on the engine's port, as a number the checks can read.
    let (_, rule) = common::of_type(&t, "AWS::EC2::SecurityGroupIngress")[0];
    assert_eq!((rule["Properties"]["FromPort"].as_i64(), rule["Properties"]["ToPort"].as_i64()), (Some(5432), Some(5432)));
    // Default credentials: the user name is read from the secret, whose ID has no hash.
    let t = build(&|v| DatabaseInstanceProps::new(pg(), v, InstanceType::new("t4g.micro")).vpc_subnets(isolated())).unwrap();
    let plain = common::of_type(&t, "AWS::SecretsManager::Secret")[0].0.clone();
    assert!(plain.starts_with("DbSecret") && plain.len() == "DbSecret".len() + 8, "{plain}");
    assert_eq!(common::of_type(&t, "AWS::RDS::DBInstance")[0].1["Properties"]["MasterUsername"]["Fn::Join"][1][2], ":SecretString:username::}}");
    // Refused as RDS refuses.
    let err = |p: &dyn Fn(&Vpc) -> DatabaseInstanceProps| build(p).err().unwrap_or_default();
    let base = |v: &Vpc| DatabaseInstanceProps::new(pg(), v, InstanceType::new("t4g.micro")).vpc_subnets(isolated());
    assert!(err(&|v| base(v).allocated_storage(10)).starts_with("Db/Db: allocated storage 10 GiB"));
    assert!(err(&|v| base(v).backup_retention_days(36)).contains("0 to 35 days"));
    assert!(err(&|v| base(v).database_name("1app")).contains("database name '1app'"));
    assert!(err(&|v| base(v).credentials(Credentials::from_generated_secret("bad-user"))).contains("master user name 'bad-user'"));
    assert!(err(&|v| DatabaseInstanceProps::new(pg(), v, InstanceType::new("t4g.micro"))).contains("Db/Db: no subnets of VPC Db/Vpc match"), "CDK's default is the private subnets with egress");
    let one_az = {
        let app = App::new();
        let s = Stack::new(&app, "D").unwrap();
        let v = vpc(&s, 1).unwrap();
        DatabaseInstance::new(&s, "Db", DatabaseInstanceProps::new(pg(), &v, InstanceType::new("t4g.micro")).vpc_subnets(isolated())).err().map(|e| e.to_string()).unwrap_or_default()
    };
    assert!(one_az.contains("D/Db: a DB subnet group needs subnets in at least two Availability Zones"), "{one_az}");
}

/// A container's environment takes tokens as CDK's does (`environment: { DB_HOST:
/// db.dbInstanceEndpointAddress }`), in the pattern's task image and in a container of its own.
#[test]
fn container_environment_values_may_be_tokens() {
    use ironcdk::ecs_patterns::{ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions};
    use ironcdk::rds::{DatabaseInstance, DatabaseInstanceEngine, DatabaseInstanceProps, InstanceType, PostgresEngineVersion};
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let v = vpc(&s, 2).unwrap();
    let db = DatabaseInstance::new(&s, "Db", DatabaseInstanceProps::new(DatabaseInstanceEngine::postgres(PostgresEngineVersion::V16_13), &v, InstanceType::new("t4g.micro"))
        .vpc_subnets(SubnetSelection::of_type(SubnetType::PrivateIsolated))).unwrap();
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&v)).unwrap();
    ApplicationLoadBalancedFargateService::new(&s, "Web", ApplicationLoadBalancedFargateServiceProps::new(&cluster,
        TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable"))
            .environment("DB_HOST", db.instance_endpoint_address())
            .environment("MODE", "web"))
        .task_subnets(SubnetSelection::of_type(SubnetType::Public))
        .assign_public_ip(true)).unwrap();
    let task = FargateTaskDefinition::new(&s, "Worker", FargateTaskDefinitionProps::new()).unwrap();
    task.add_container("worker", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable"))
        .environment("DB_HOST", db.instance_endpoint_address())).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (db_id, _) = common::of_type(&t, "AWS::RDS::DBInstance")[0];
    let address = json!({"Fn::GetAtt": [db_id, "Endpoint.Address"]});
    let tasks = common::of_type(&t, "AWS::ECS::TaskDefinition");
    assert_eq!(tasks.len(), 2);
    let envs: Vec<&serde_json::Value> = tasks.iter().map(|(_, td)| &td["Properties"]["ContainerDefinitions"][0]["Environment"]).collect();
    assert!(envs.contains(&&json!([{"Name": "DB_HOST", "Value": address}, {"Name": "MODE", "Value": "web"}])), "{envs:?}");
    assert!(envs.contains(&&json!([{"Name": "DB_HOST", "Value": address}])), "{envs:?}");
}

/// The web service example: lint-clean, deployed to moto, its NAT gateway reported with its price,
/// no error from the checks, and every billable resource priced.
#[test]
fn the_web_service_example_lints_clean_deploys_and_prices_what_it_runs() {
    let dir = common::temp_dir("web-service");
    let app = App::with_outdir(dir.join("cdk.out"));
    web_service::web_service(&app).unwrap();
    let a = app.synth().unwrap();
    assert!(a.findings.iter().all(|f| f.severity != Severity::Error), "{:#?}", a.findings);
    let nat = a.findings.iter().find(|f| f.rule == "nat-gateway").expect("the NAT gateway is reported");
    assert!(nat.message.contains("$32.85 a month in us-east-1"), "{}", nat.message);
    let cost = a.cost.as_ref().unwrap();
    assert!(cost.stacks[0].not_priced.is_empty(), "{:?}", cost.stacks[0].not_priced);
    // db.t4g.micro PostgreSQL $11.68, 20 GB gp2 $2.30, the secret $0.40.
    let db: f64 = cost.stacks[0].items.iter().filter(|i| i.path.as_deref().is_some_and(|p| p.starts_with("WebService/Database/"))).map(|i| i.monthly_usd).sum();
    assert_eq!((db * 100.0).round() / 100.0, 14.38);
    let s = a.stack("WebService").unwrap();
    let t = s.template();
    // The container reads the database's host, user and password from the attached secret.
    let (_, task) = common::of_type(&t, "AWS::ECS::TaskDefinition").into_iter().find(|(id, _)| id.starts_with("WebTaskDef")).unwrap();
    let names: Vec<&str> = task["Properties"]["ContainerDefinitions"][0]["Secrets"].as_array().unwrap().iter().filter_map(|x| x["Name"].as_str()).collect();
    assert_eq!(names, ["DB_HOST", "DB_USER", "DB_PASSWORD"]);
    // Only the service's group reaches the database, on 5432.
    let rules: Vec<&serde_json::Value> = common::of_type(&t, "AWS::EC2::SecurityGroupIngress").into_iter().filter(|(id, _)| id.starts_with("DatabaseSecurityGroup")).map(|(_, r)| r).collect();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["Properties"]["FromPort"], 5432);
    // cfn-lint's only remark is CDK's own form: the service waits for everything under the
    // listener (CDK's dependency on the listener construct), its target group included, which
    // its LoadBalancers property names too (W3005, a warning).
    let Some(warnings) = common::cfn_lint_all(&[s.template_path.clone()]) else { return };
    assert!(warnings.iter().all(|w| w.contains(":W3005:'WebLBPublicListenerECSGroup") && w.contains("Resources/WebServiceD04B5F3E/Properties/LoadBalancers")), "{warnings:#?}");
    let Some(moto) = common::Moto::start() else { return };
    // moto checks the listener's certificate: one it issued, in the same program.
    let out = moto.aws(&["acm", "request-certificate", "--domain-name", "www.example.com", "--query", "CertificateArn", "--output", "text"]);
    let arn = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = std::fs::read_to_string(&s.template_path).unwrap().replace(web_service::CERTIFICATE_ARN, &arn);
    // moto 5.2.5 creates neither the secret nor its attachment from a template (their Ref is
    // the secret's ARN), so a policy naming them has no resource there: for moto, what reads
    // the attached secret names an ARN of the same form.
    let (attachment, _) = common::of_type(&t, "AWS::SecretsManager::SecretTargetAttachment")[0];
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let literal = serde_json::json!("arn:aws:secretsmanager:us-east-1:123456789012:secret:web-db-AbCdEf");
    fn swap(v: &mut serde_json::Value, attachment: &str, literal: &serde_json::Value) {
        match v {
            serde_json::Value::Object(m) if m.len() == 1 && m.get("Ref").and_then(|r| r.as_str()) == Some(attachment) => *v = literal.clone(),
            serde_json::Value::Object(m) => m.values_mut().for_each(|x| swap(x, attachment, literal)),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| swap(x, attachment, literal)),
            _ => {}
        }
    }
    swap(&mut doc, attachment, &literal);
    let text = doc.to_string();
    let path = dir.join("WebService.moto.json");
    std::fs::write(&path, text).unwrap();
    let resources = moto.deploy(&path, "WebService", &s.capabilities);
    // Exactly what moto 5.2.5 skips: the scaling target and policy, standalone egress rules,
    // the secret and its attachment.
    assert_eq!(common::not_created(&t, &resources), ["AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy", "AWS::EC2::SecurityGroupEgress", "AWS::SecretsManager::Secret", "AWS::SecretsManager::SecretTargetAttachment"]);
}

/// Container health checks as CDK renders them (its defaults written, `CMD-SHELL` first), the
/// deployment circuit breaker and `ecs exec` (compared with CDK in the random parity run), and
/// what ECS refuses in a health check.
#[test]
fn container_health_checks_circuit_breakers_and_exec() {
    use ironcdk::ecs::{ContainerDefinitionOptions, DeploymentCircuitBreaker, FargateTaskDefinition, FargateTaskDefinitionProps, HealthCheck as ContainerHealthCheck};
    let app = App::new();
    let s = Stack::new(&app, "S").unwrap();
    let v = vpc(&s, 2).unwrap();
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&v)).unwrap();
    let task = FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new()).unwrap();
    task.add_container("app", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable"))
        .health_check(ContainerHealthCheck::new(["curl -f http://localhost/ || exit 1"]).retries(2))).unwrap();
    let e = task.add_container("bad", ContainerDefinitionOptions::new(ContainerImage::from_registry("x")).health_check(ContainerHealthCheck::new(["CMD"]))).err().unwrap().to_string();
    assert!(e.starts_with("S/Task/bad: a container health check needs a command"), "{e}");
    let e = task.add_container("slow", ContainerDefinitionOptions::new(ContainerImage::from_registry("x")).health_check(ContainerHealthCheck::new(["true"]).interval(Duration::seconds(1)))).err().unwrap().to_string();
    assert!(e.contains("interval (seconds) is 1; ECS accepts 5 to 300"), "{e}");
    FargateService::new(&s, "Service", FargateServiceProps::new(&cluster, &task).assign_public_ip(true).vpc_subnets(SubnetSelection::of_type(SubnetType::Public))
        .circuit_breaker(DeploymentCircuitBreaker::new(true)).enable_execute_command(true)).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (_, td) = common::of_type(&t, "AWS::ECS::TaskDefinition")[0];
    assert_eq!(td["Properties"]["ContainerDefinitions"][0]["HealthCheck"], json!({"Command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "Interval": 30, "Retries": 2, "Timeout": 5}));
    let (_, service) = common::of_type(&t, "AWS::ECS::Service")[0];
    assert_eq!(service["Properties"]["DeploymentConfiguration"]["DeploymentCircuitBreaker"], json!({"Enable": true, "Rollback": true}));
    assert_eq!(service["Properties"]["EnableExecuteCommand"], true);
    let policies = common::of_type(&t, "AWS::IAM::Policy").iter().map(|(_, p)| p.to_string()).collect::<String>();
    assert!(policies.contains("ssmmessages:OpenDataChannel"), "the task role may open the SSM channels");
}

/// A public zone, a certificate validated in it, alias records to the load balancer (in that
/// zone and in an imported one); what Route 53 and ACM refuse, refused naming the construct.
/// (CDK's synth of the same constructs is compared in the random parity run.)
#[test]
fn public_zones_certificates_and_alias_records() {
    use ironcdk::certificatemanager::{Certificate, CertificateProps, CertificateValidation};
    use ironcdk::route53::{ARecord, ARecordProps, HostedZone, PublicHostedZone, PublicHostedZoneProps, RecordTarget};
    let app = App::new();
    let s = Stack::with_props(&app, "S", StackProps::new().env(Environment::region("us-east-1"))).unwrap();
    let v = vpc(&s, 2).unwrap();
    let lb = ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&v).internet_facing(true)).unwrap();
    let zone = PublicHostedZone::new(&s, "Zone", PublicHostedZoneProps::new("example.com")).unwrap();
    let cert = Certificate::new(&s, "Cert", CertificateProps::new("www.example.com").subject_alternative_names(vec!["*.example.com".into()]).validation(CertificateValidation::from_dns(&zone))).unwrap();
    lb.add_listener("Https", ApplicationListenerProps::new(443).certificates(vec![ListenerCertificate::from_certificate_manager(&cert)]).default_action(answer())).unwrap();
    ARecord::new(&s, "Www", ARecordProps::new(&zone, RecordTarget::load_balancer(&lb)).record_name("www")).unwrap();
    let err = |r: ironcdk::Result<Certificate>| r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err(Certificate::new(&s, "Outside", CertificateProps::new("www.example.org").validation(CertificateValidation::from_dns(&zone)))).starts_with("S/Outside: 'www.example.org' is not inside zone 'example.com'"));
    assert!(err(Certificate::new(&s, "Bad", CertificateProps::new("www.exa mple.com"))).contains("is not a domain name ACM takes"));
    assert!(err(Certificate::from_certificate_arn(&s, "NotAcm", "arn:aws:iam::123456789012:server-certificate/x")).contains("is not an ACM certificate ARN"));
    assert!(HostedZone::from_hosted_zone_attributes(&s, "BadZone", "z123", "example.org").err().unwrap().to_string().contains("is not a hosted zone ID"));
    assert!(PublicHostedZone::new(&s, "Star", PublicHostedZoneProps::new("*.example.com")).err().unwrap().to_string().contains("may not hold '*'"));
    let imported = HostedZone::from_hosted_zone_attributes(&s, "Other", "Z0123456789ABC", "example.org").unwrap();
    ARecord::new(&s, "Apex", ARecordProps::new(&imported, RecordTarget::load_balancer(&lb))).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (zone_id, z) = common::of_type(&t, "AWS::Route53::HostedZone")[0];
    assert_eq!(z["Properties"], json!({"Name": "example.com."}));
    let (cert_id, c) = common::of_type(&t, "AWS::CertificateManager::Certificate")[0];
    assert_eq!(c["Properties"]["DomainValidationOptions"], json!([{"DomainName": "www.example.com", "HostedZoneId": {"Ref": zone_id}}, {"DomainName": "*.example.com", "HostedZoneId": {"Ref": zone_id}}]));
    assert_eq!(c["Properties"]["Tags"], json!([{"Key": "Name", "Value": "S/Cert"}]));
    let records = common::of_type(&t, "AWS::Route53::RecordSet");
    let names: Vec<&str> = records.iter().map(|(_, r)| r["Properties"]["Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["www.example.com.", "example.org."]);
    assert_eq!(records[1].1["Properties"]["HostedZoneId"], "Z0123456789ABC");
    let (_, l) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::Listener")[0];
    assert_eq!(l["Properties"]["Certificates"], json!([{"CertificateArn": {"Ref": cert_id}}]));
}

/// The NLB service pattern: CDK's tree and output, and not CDK's trap: the tasks admit the
/// VPC's range on the container port, so the checks find the load balancer reaches them.
#[test]
fn the_network_load_balanced_pattern_reaches_its_tasks() {
    use ironcdk::ecs_patterns::{NetworkLoadBalancedFargateService, NetworkLoadBalancedFargateServiceProps, TaskImageOptions};
    let app = App::new();
    let s = Stack::with_props(&app, "N", StackProps::new().env(Environment::region("us-east-1"))).unwrap();
    let v = Vpc::new(&s, "Vpc", VpcProps::new().max_azs(2).nat_gateways(1).subnet_configuration(vec![
        SubnetConfiguration::new("Public", SubnetType::Public),
        SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress),
    ])).unwrap();
    let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&v)).unwrap();
    NetworkLoadBalancedFargateService::new(&s, "Tcp", NetworkLoadBalancedFargateServiceProps::new(&cluster,
        TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable")).container_port(8080))).unwrap();
    let a = app.synth_in_memory().unwrap();
    assert!(a.findings.iter().all(|f| f.rule != "lb-to-target" || f.severity != Severity::Error), "{:#?}", a.findings);
    let t = a.stacks[0].template();
    let (_, tg) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::TargetGroup")[0];
    assert_eq!((tg["Properties"]["Port"].as_i64(), tg["Properties"]["Protocol"].as_str()), (Some(8080), Some("TCP")));
    let (_, sg) = common::of_type(&t, "AWS::EC2::SecurityGroup").into_iter().find(|(id, _)| id.starts_with("TcpServiceSecurityGroup")).unwrap();
    let ingress = &sg["Properties"]["SecurityGroupIngress"][0];
    assert_eq!((ingress["FromPort"].as_i64(), ingress["Description"].as_str()), (Some(8080), Some("Load balancer to target")));
    assert_eq!(ingress["CidrIp"], json!({"Fn::GetAtt": [common::of_type(&t, "AWS::EC2::VPC")[0].0, "CidrBlock"]}));
    assert!(t["Outputs"].as_object().unwrap().keys().any(|k| k.starts_with("TcpLoadBalancerDNS")));
}

/// An Aurora Serverless v2 cluster with a writer and a reader scaled with it: CDK's tree
/// (compared with CDK in the random parity run), and what Aurora refuses.
#[test]
fn an_aurora_cluster_with_serverless_instances() {
    use ironcdk::rds::{AuroraPostgresEngineVersion, ClusterInstance, DatabaseCluster, DatabaseClusterEngine, DatabaseClusterProps};
    let app = App::new();
    let s = Stack::new(&app, "A").unwrap();
    let v = vpc(&s, 2).unwrap();
    let pg = || DatabaseClusterEngine::aurora_postgres(AuroraPostgresEngineVersion::V16_13);
    let data = || SubnetSelection::of_type(SubnetType::PrivateIsolated);
    let cluster = DatabaseCluster::new(&s, "Db", DatabaseClusterProps::new(pg(), &v, ClusterInstance::serverless_v2("writer"))
        .readers(vec![ClusterInstance::serverless_v2("reader").scale_with_writer(true)]).vpc_subnets(data()).serverless_v2_max_capacity(4.0)).unwrap();
    let err = |id: &str, p: DatabaseClusterProps| DatabaseCluster::new(&s, id, p).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err("Half", DatabaseClusterProps::new(pg(), &v, ClusterInstance::serverless_v2("w")).vpc_subnets(data()).serverless_v2_max_capacity(0.7)).contains("steps of 0.5"));
    assert!(err("Twice", DatabaseClusterProps::new(pg(), &v, ClusterInstance::serverless_v2("w")).readers(vec![ClusterInstance::serverless_v2("w")]).vpc_subnets(data())).contains("two instances are named 'w'"));
    let app_sg = ironcdk::ec2::SecurityGroup::new(&s, "App", ironcdk::ec2::SecurityGroupProps::new(&v)).unwrap();
    cluster.allow_default_port_from(&app_sg.connections(), None).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (cluster_id, c) = common::of_type(&t, "AWS::RDS::DBCluster")[0];
    assert_eq!(c["DeletionPolicy"], "Snapshot");
    assert_eq!(c["Properties"]["ServerlessV2ScalingConfiguration"], json!({"MaxCapacity": 4, "MinCapacity": 0.5}));
    assert_eq!((c["Properties"]["Engine"].as_str(), c["Properties"]["Port"].as_i64()), (Some("aurora-postgresql"), Some(5432)));
    let instances = common::of_type(&t, "AWS::RDS::DBInstance");
    let tiers: Vec<(i64, &str)> = instances.iter().map(|(_, i)| (i["Properties"]["PromotionTier"].as_i64().unwrap(), i["Properties"]["DBInstanceClass"].as_str().unwrap())).collect();
    assert_eq!(tiers, [(0, "db.serverless"), (1, "db.serverless")]);
    assert!(instances.iter().all(|(_, i)| i["Properties"]["DBClusterIdentifier"] == json!({"Ref": cluster_id})));
    assert!(instances[1].1["DependsOn"].as_array().unwrap().iter().any(|d| d == instances[0].0.as_str()), "the reader waits for the writer");
    let (_, rule) = common::of_type(&t, "AWS::EC2::SecurityGroupIngress")[0];
    assert_eq!(rule["Properties"]["FromPort"], 5432);
    assert_eq!(c["Properties"]["DBClusterParameterGroupName"], "default.aurora-postgresql16", "the engine's default group");
    // Parameters: a cluster parameter group of the engine's family, as CDK's `parameters`.
    let app = App::new();
    let s = Stack::new(&app, "P").unwrap();
    let v = vpc(&s, 2).unwrap();
    DatabaseCluster::new(&s, "Db", DatabaseClusterProps::new(pg(), &v, ClusterInstance::serverless_v2("writer")).vpc_subnets(data()).parameter("rds.force_ssl", "1").parameter("log_statement", "ddl")).unwrap();
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let (group_id, group) = common::of_type(&t, "AWS::RDS::DBClusterParameterGroup")[0];
    assert!(group_id.starts_with("DbParameterGroup"), "{group_id}");
    assert_eq!(group["Properties"], json!({"Description": "Cluster parameter group for aurora-postgresql16", "Family": "aurora-postgresql16", "Parameters": {"rds.force_ssl": "1", "log_statement": "ddl"}}));
    assert_eq!(common::of_type(&t, "AWS::RDS::DBCluster")[0].1["Properties"]["DBClusterParameterGroupName"], json!({"Ref": group_id}));
    let twice = DatabaseCluster::new(&s, "Twice", DatabaseClusterProps::new(pg(), &v, ClusterInstance::serverless_v2("w")).vpc_subnets(data()).parameter("a", "1").parameter("a", "2"));
    assert!(twice.err().map(|e| e.to_string()).unwrap_or_default().contains("parameter 'a' is given twice"));
    // Each version with its engine's family (16.6, which Aurora no longer creates, is kept for
    // clusters made before, deprecated).
    #[allow(deprecated)]
    let versions = [
        (AuroraPostgresEngineVersion::V15_10, "15.10", "15"),
        (AuroraPostgresEngineVersion::V15_17, "15.17", "15"),
        (AuroraPostgresEngineVersion::V16_6, "16.6", "16"),
        (AuroraPostgresEngineVersion::V16_13, "16.13", "16"),
        (AuroraPostgresEngineVersion::V17_9, "17.9", "17"),
    ];
    for (version, text, major) in versions {
        let app = App::new();
        let s = Stack::new(&app, "V").unwrap();
        let v = vpc(&s, 2).unwrap();
        DatabaseCluster::new(&s, "Db", DatabaseClusterProps::new(DatabaseClusterEngine::aurora_postgres(version), &v, ClusterInstance::serverless_v2("writer")).vpc_subnets(data())).unwrap();
        let t = app.synth_in_memory().unwrap().stacks[0].template();
        let p = &common::of_type(&t, "AWS::RDS::DBCluster")[0].1["Properties"];
        assert_eq!(p["EngineVersion"], text);
        assert_eq!(p["DBClusterParameterGroupName"], format!("default.aurora-postgresql{major}"));
    }
}

/// A target group checking a port the tasks do not admit: `lb-to-target` refuses it at synth
/// (ELB's health checks never arrive, so no task is ever healthy).
#[test]
fn a_health_check_port_the_tasks_do_not_admit_is_refused() {
    use ironcdk::ecs_patterns::{ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions};
    let build = |port: Option<u16>| {
        let app = App::new();
        let s = Stack::new(&app, "H").unwrap();
        let v = vpc(&s, 2).unwrap();
        let cluster = Cluster::new(&s, "Cluster", ClusterProps::new().vpc(&v)).unwrap();
        let web = ApplicationLoadBalancedFargateService::new(&s, "Web", ApplicationLoadBalancedFargateServiceProps::new(&cluster,
            TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable")).container_port(8080))
            .assign_public_ip(true).task_subnets(SubnetSelection::of_type(SubnetType::Public))).unwrap();
        let mut h = HealthCheck::new().path("/health");
        if let Some(p) = port {
            h = h.port(p);
        }
        web.target_group().configure_health_check(h).unwrap();
        app.synth_in_memory().err().map(|e| e.to_string()).unwrap_or_default()
    };
    assert_eq!(build(None), "", "the traffic port is admitted");
    let e = build(Some(8081));
    assert!(e.contains("lb-to-target") && e.contains("do not admit TCP 8081"), "{e}");
}

/// `ironcdk check` on the web service example: no error as synthesized, and the right error on
/// each broken variant of its template (what a hand edit or another tool could make of it).
#[test]
fn ironcdk_check_finds_each_broken_variant_of_the_web_service() {
    let dir = common::temp_dir("web-variants");
    let app = App::with_outdir(dir.join("cdk.out"));
    web_service::web_service(&app).unwrap();
    let a = app.synth().unwrap();
    let template = a.stack("WebService").unwrap().template();
    let check = |name: &str, t: &serde_json::Value| -> (Option<i32>, serde_json::Value) {
        let path = dir.join(format!("{name}.template.json"));
        std::fs::write(&path, t.to_string()).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ironcdk")).args(["check", path.to_str().unwrap(), "--format", "json"]).output().unwrap();
        (out.status.code(), serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null))
    };
    let errors = |json: &serde_json::Value| -> Vec<String> {
        json["findings"].as_array().into_iter().flatten().filter(|f| f["severity"] == "error").map(|f| format!("{} {}", f["rule"].as_str().unwrap_or(""), f["logical_id"].as_str().unwrap_or(""))).collect()
    };
    let (code, json) = check("Intact", &template);
    assert_eq!((code, errors(&json)), (Some(0), Vec::<String>::new()));
    let id_of = |ty: &str, prefix: &str| common::of_type(&template, ty).into_iter().find(|(id, _)| id.starts_with(prefix)).map(|(id, _)| id.clone()).unwrap();
    let db_sg = id_of("AWS::EC2::SecurityGroup", "DatabaseSecurityGroup");
    let db = id_of("AWS::RDS::DBInstance", "Database");
    let https = id_of("AWS::ElasticLoadBalancingV2::Listener", "WebLBPublicListener");
    let lb = id_of("AWS::ElasticLoadBalancingV2::LoadBalancer", "WebLB");
    let tg = id_of("AWS::ElasticLoadBalancingV2::TargetGroup", "WebLBPublicListenerECSGroup");
    let exec_policy = id_of("AWS::IAM::Policy", "WebTaskDefExecutionRoleDefaultPolicy");
    let task = id_of("AWS::ECS::TaskDefinition", "WebTaskDef");
    let service = id_of("AWS::ECS::Service", "WebService");
    let (want_db, want_https, want_lb, want_service, want_task) =
        (format!("database-open {db}"), format!("alb-config {https}"), format!("alb-config {lb}"), format!("lb-to-target {service}"), format!("container-secret-access {task}"));
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let variants: Vec<(&str, Edit, String)> = vec![
        ("open-database", Box::new(move |t: &mut serde_json::Value| {
            t["Resources"][&db_sg]["Properties"]["SecurityGroupIngress"] = json!([{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "0.0.0.0/0"}]);
            t["Resources"][&db]["Properties"]["PubliclyAccessible"] = json!(true);
        }), want_db),
        ("https-without-certificate", Box::new(move |t: &mut serde_json::Value| {
            t["Resources"][&https]["Properties"].as_object_mut().unwrap().remove("Certificates");
        }), want_https),
        ("one-subnet", Box::new(move |t: &mut serde_json::Value| {
            t["Resources"][&lb]["Properties"]["Subnets"].as_array_mut().unwrap().truncate(1);
        }), want_lb),
        ("health-check-port", Box::new(move |t: &mut serde_json::Value| {
            t["Resources"][&tg]["Properties"]["HealthCheckPort"] = json!("9999");
        }), want_service),
        ("secret-not-granted", Box::new(move |t: &mut serde_json::Value| {
            let statements = t["Resources"][&exec_policy]["Properties"]["PolicyDocument"]["Statement"].as_array_mut().unwrap();
            statements.retain(|s| !s.to_string().contains("secretsmanager:GetSecretValue"));
        }), want_task),
    ];
    for (name, edit, expected) in variants {
        let mut t = template.clone();
        edit(&mut t);
        let (code, json) = check(name, &t);
        let found = errors(&json);
        assert_eq!(code, Some(1), "{name}: {found:?}");
        assert!(found.contains(&expected), "{name}: expected {expected}, found {found:?}");
    }
}

/// `add_targets` makes the group in the listener (`<id>Group`) and the rule (`<id>Rule`); a
/// Fargate service added as a target makes its type `Ip`, as CDK's `addTarget`. A service
/// attached to a group with no type is refused: CloudFormation would make it `instance`, and
/// ECS refuses Fargate tasks on it at deploy (CDK synthesizes it with a warning).
#[test]
fn add_targets_makes_the_group_and_the_first_target_types_it() {
    use ironcdk::elasticloadbalancingv2::AddApplicationTargetsProps;
    let build = |how: &'static str| -> std::result::Result<serde_json::Value, String> {
        let app = App::new();
        with_lb(|s, v, lb| {
            let l = lb.add_listener("L", ApplicationListenerProps::new(80).default_action(answer()))?;
            let cluster = Cluster::new(s, "Cluster", ClusterProps::new().vpc(v))?;
            let task = FargateTaskDefinition::new(s, "Task", FargateTaskDefinitionProps::new())?;
            task.add_container("api", ContainerDefinitionOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:stable")).port_mappings(vec![PortMapping::tcp(8080)]))?;
            let service = FargateService::new(s, "Service", FargateServiceProps::new(&cluster, &task).assign_public_ip(true).vpc_subnets(SubnetSelection::of_type(SubnetType::Public)))?;
            let mut props = AddApplicationTargetsProps::new(8080).health_check(HealthCheck::new().path("/ready")).rule(ListenerRuleOptions::rule(10, vec![ListenerCondition::path_patterns(["/api/*"])]));
            if how == "targets" {
                props = props.target(service.clone());
            }
            let group = l.add_targets("Api", props)?;
            match how {
                "add_target" => group.add_target(&service),
                "attach" => service.attach_to_application_target_group(&group).map(|_| ()),
                "instance" => {
                    let typed = ApplicationTargetGroup::new(s, "Typed", ApplicationTargetGroupProps::new(v, 8080).target_type(TargetType::Instance))?;
                    typed.add_target(&service)
                }
                _ => Ok(()),
            }
        })(&app)
        .map_err(|e| e.to_string())?;
        Ok(app.synth_in_memory().map_err(|e| e.to_string())?.stacks[0].template())
    };
    for how in ["targets", "add_target"] {
        let t = build(how).unwrap();
        let (id, tg) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::TargetGroup")[0];
        assert!(id.starts_with("LbLApiGroup"), "{how}: {id}");
        assert_eq!(tg["Properties"]["TargetType"], "ip", "{how}");
        assert_eq!(tg["Properties"]["HealthCheckPath"], "/ready", "{how}");
        assert_eq!(tg["Properties"]["Port"], 8080, "{how}");
        let (rule_id, rule) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::ListenerRule")[0];
        assert!(rule_id.starts_with("LbLApiRule"), "{how}: {rule_id}");
        assert_eq!(rule["Properties"]["Actions"][0]["TargetGroupArn"], json!({"Ref": id}), "{how}");
        let (_, service) = common::of_type(&t, "AWS::ECS::Service")[0];
        assert_eq!(service["Properties"]["LoadBalancers"][0]["TargetGroupArn"], json!({"Ref": id}), "{how}");
        assert!(service["DependsOn"].as_array().unwrap().iter().any(|d| d.as_str() == Some(rule_id.as_str())), "{how}: the service waits for the rule");
    }
    // No target: the group has no type, as in CDK.
    let t = build("none").unwrap();
    assert!(common::of_type(&t, "AWS::ElasticLoadBalancingV2::TargetGroup")[0].1["Properties"].get("TargetType").is_none());
    let e = build("attach").unwrap_err();
    assert!(e.starts_with("S/Service: target group S/Lb/L/ApiGroup has no target type") && e.contains("add_target"), "{e}");
    let e = build("instance").unwrap_err();
    assert!(e.starts_with("S/Typed: the group's targets are of type instance, and this target registers by ip"), "{e}");
}

/// Access logs as CDK's `logAccessLogs` writes them: the attributes, the three bucket policy
/// statements (the region's ELB account, log delivery with the ACL condition, the bucket ACL
/// read), the load balancer waiting for the policy; refused where ELB would refuse it.
#[test]
fn access_logs_to_a_bucket_with_the_policy_elb_needs() {
    use ironcdk::s3::{Bucket, BucketEncryption, BucketProps};
    let build = |region: Option<&str>, encryption: Option<BucketEncryption>, prefix: Option<&'static str>| -> std::result::Result<serde_json::Value, String> {
        let app = App::new();
        let props = match region {
            Some(r) => StackProps::new().env(Environment::region(r)),
            None => StackProps::new(),
        };
        let s = Stack::with_props(&app, "S", props).map_err(|e| e.to_string())?;
        let v = vpc(&s, 2).map_err(|e| e.to_string())?;
        let lb = ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&v).internet_facing(true)).map_err(|e| e.to_string())?;
        let mut bp = BucketProps::new();
        if let Some(e) = encryption {
            bp = bp.encryption(e);
        }
        let logs = Bucket::new(&s, "Logs", bp).map_err(|e| e.to_string())?;
        lb.log_access_logs(&logs, prefix).map_err(|e| e.to_string())?;
        Ok(app.synth_in_memory().map_err(|e| e.to_string())?.stacks[0].template())
    };
    let t = build(Some("eu-west-1"), Some(BucketEncryption::S3Managed), Some("alb")).unwrap();
    let (_, lb) = common::of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer")[0];
    let attributes: Vec<(String, serde_json::Value)> =
        lb["Properties"]["LoadBalancerAttributes"].as_array().unwrap().iter().map(|a| (a["Key"].as_str().unwrap().to_string(), a["Value"].clone())).collect();
    let (bucket_id, _) = common::of_type(&t, "AWS::S3::Bucket")[0];
    assert_eq!(attributes, vec![
        ("deletion_protection.enabled".to_string(), json!("false")),
        ("access_logs.s3.enabled".to_string(), json!("true")),
        ("access_logs.s3.bucket".to_string(), json!({"Ref": bucket_id})),
        ("access_logs.s3.prefix".to_string(), json!("alb")),
    ]);
    let (policy_id, policy) = common::of_type(&t, "AWS::S3::BucketPolicy")[0];
    assert!(lb["DependsOn"].as_array().unwrap().iter().any(|d| d.as_str() == Some(policy_id.as_str())), "the load balancer waits for the policy");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    let objects = json!({"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/alb/AWSLogs/", {"Ref": "AWS::AccountId"}, "/*"]]});
    assert!(statements.iter().any(|s| s["Principal"] == json!({"AWS": "arn:aws:iam::156460612806:root"}) && s["Resource"] == objects && s["Action"] == "s3:PutObject"), "{statements:#?}");
    assert!(statements.iter().any(|s| s["Principal"] == json!({"Service": "delivery.logs.amazonaws.com"}) && s["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"));
    assert!(statements.iter().any(|s| s["Action"] == "s3:GetBucketAcl" && s["Resource"] == json!({"Fn::GetAtt": [bucket_id, "Arn"]})));
    // A region without an ELB account: the log delivery service writes.
    let t = build(Some("eu-south-2"), None, None).unwrap();
    let policy = &common::of_type(&t, "AWS::S3::BucketPolicy")[0].1["Properties"]["PolicyDocument"]["Statement"];
    assert!(policy.as_array().unwrap().iter().any(|s| s["Principal"] == json!({"Service": "logdelivery.elasticloadbalancing.amazonaws.com"})), "{policy:#?}");
    // Refused where ELB (or CDK) refuses it.
    assert!(build(None, None, None).unwrap_err().starts_with("S/Lb: access logs need the stack's region"));
    for e in [BucketEncryption::KmsManaged, BucketEncryption::Kms] {
        assert!(build(Some("us-east-1"), Some(e), None).unwrap_err().contains("only to buckets with S3-managed encryption"));
    }
    assert!(build(Some("us-east-1"), None, Some("x/AWSLogs")).unwrap_err().contains("contains 'AWSLogs'"));
}
