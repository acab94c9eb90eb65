//! `route53::{PrivateHostedZone, ARecord}` and the zone a shared endpoint with private DNS off
//! needs (article 003): names as CDK qualifies them, alias targets as CDK's endpoint target,
//! stack tags on the zone, the private-dns check agreeing, cfn-lint and moto.

mod common;

use ironcdk::ec2::{InterfaceVpcEndpointAwsService, InterfaceVpcEndpointOptions, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcPeeringConnection, VpcPeeringConnectionProps, VpcProps};
use ironcdk::route53::{ARecord, ARecordProps, EndpointZoneProps, PrivateHostedZone, PrivateHostedZoneProps, RecordTarget};
use ironcdk::{App, AsScope, Environment, Stack, StackProps};
use serde_json::json;

const DKR: &str = "dkr.ecr.ap-northeast-1.amazonaws.com";

fn vpc(stack: &Stack, id: &str, cidr: &str) -> Vpc {
    Vpc::new(stack, id, VpcProps::new().ip_addresses(cidr).max_azs(2).nat_gateways(0)
        .subnet_configuration(vec![SubnetConfiguration::new("Private", SubnetType::PrivateIsolated).cidr_mask(24)])).unwrap()
}

/// One stack: a shared VPC with the ECR docker endpoint (private DNS off) and a dev VPC peered
/// with it; `wildcard` says whether the zone gets the helper's wildcard record.
fn shared(wildcard: bool) -> (App, Stack) {
    let app = App::new();
    let stack = Stack::with_props(&app, "Net", StackProps::new().env(Environment::region("ap-northeast-1"))).unwrap();
    stack.scope().add_tag("project", "article-003");
    let shared = vpc(&stack, "Shared", "10.0.0.0/16");
    let dev = vpc(&stack, "Dev", "10.1.0.0/16");
    let endpoint = shared.add_interface_endpoint("EcrDocker", InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::ECR_DOCKER).private_dns_enabled(false)).unwrap();
    VpcPeeringConnection::new(&stack, "DevToShared", VpcPeeringConnectionProps::new(&dev, &shared)).unwrap()
        .add_routes(&SubnetSelection::default(), &SubnetSelection::default()).unwrap();
    if wildcard {
        PrivateHostedZone::for_interface_endpoint(&stack, "DkrZone", EndpointZoneProps::new(&endpoint, DKR, &[&shared, &dev])).unwrap();
    } else {
        let zone = PrivateHostedZone::new(&stack, "DkrZone", PrivateHostedZoneProps::new(DKR, &shared)).unwrap();
        zone.add_vpc(&dev).unwrap();
        ARecord::new(&zone, "Apex", ARecordProps::new(&zone, RecordTarget::interface_vpc_endpoint(&endpoint))).unwrap();
    }
    (app, stack)
}

#[test]
fn the_endpoint_zone_has_apex_and_wildcard_in_every_vpc_and_carries_the_stack_tags() {
    let (app, _) = shared(true);
    let a = app.synth_in_memory().unwrap();
    assert!(a.findings.iter().all(|f| f.rule != "private-dns"), "{:#?}", a.findings);
    let t = a.stacks[0].template();
    let (zone_id, zone) = common::of_type(&t, "AWS::Route53::HostedZone")[0];
    assert_eq!(zone["Metadata"]["aws:cdk:path"], "Net/DkrZone/Resource");
    assert_eq!(zone["Properties"]["Name"], format!("{DKR}."));
    let vpcs = zone["Properties"]["VPCs"].as_array().unwrap();
    assert_eq!(vpcs.len(), 2);
    assert!(vpcs.iter().all(|v| v["VPCRegion"] == "ap-northeast-1"));
    assert_eq!(zone["Properties"]["HostedZoneTags"], json!([{"Key": "project", "Value": "article-003"}]), "stack tags reach the zone");
    let records = common::of_type(&t, "AWS::Route53::RecordSet");
    let names: Vec<&str> = records.iter().map(|(_, r)| r["Properties"]["Name"].as_str().unwrap()).collect();
    assert_eq!(names, vec![format!("{DKR}."), format!("*.{DKR}.")]);
    let (_, apex) = records[0];
    assert_eq!(apex["Metadata"]["aws:cdk:path"], "Net/DkrZone/Apex/Resource");
    let (endpoint_id, _) = common::of_type(&t, "AWS::EC2::VPCEndpoint")[0];
    let first_entry = json!({"Fn::Select": [0, {"Fn::GetAtt": [endpoint_id, "DnsEntries"]}]});
    assert_eq!(apex["Properties"]["AliasTarget"], json!({
        "DNSName": {"Fn::Select": [1, {"Fn::Split": [":", first_entry]}]},
        "HostedZoneId": {"Fn::Select": [0, {"Fn::Split": [":", first_entry]}]}
    }), "as CDK's InterfaceVpcEndpointTarget");
    assert_eq!(apex["Properties"]["HostedZoneId"], json!({"Ref": zone_id}));
}

#[test]
fn without_the_wildcard_the_check_says_no_such_host() {
    let (app, _) = shared(false);
    let err = app.synth_in_memory().unwrap_err().to_string();
    assert!(err.contains("private-dns") && err.contains("no wildcard record") && err.contains("no such host"), "{err}");
}

#[test]
fn names_and_associations_route_53_would_refuse_are_errors() {
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let v = vpc(&stack, "V", "10.0.0.0/16");
    for (n, (name, expected)) in [
        ("example.com.", "must not end with a dot"),
        ("", "is empty"),
        ("a..b", "empty label"),
        (&*format!("{}.com", "x".repeat(64)), "over 63 bytes"),
        ("exa mple.com", "may hold only"),
    ].into_iter().enumerate() {
        let err = PrivateHostedZone::new(&stack, &format!("Z{n}"), PrivateHostedZoneProps::new(name, &v)).err().unwrap().to_string();
        assert!(err.contains(&format!("S/Z{n}")) && err.contains(expected), "{name:?}: {err}");
    }
    let zone = PrivateHostedZone::new(&stack, "Zone", PrivateHostedZoneProps::new("internal.example", &v)).unwrap();
    let err = zone.add_vpc(&v).unwrap_err().to_string();
    assert!(err.contains("S/Zone") && err.contains("already associated"), "{err}");
    let endpoint = v.add_interface_endpoint("Logs", InterfaceVpcEndpointOptions::new(InterfaceVpcEndpointAwsService::CLOUDWATCH_LOGS)).unwrap();
    let target = RecordTarget::interface_vpc_endpoint(&endpoint);
    let err = ARecord::new(&zone, "Outside", ARecordProps::new(&zone, target.clone()).record_name("www.other.example.")).err().unwrap().to_string();
    assert!(err.contains("S/Zone/Outside") && err.contains("not inside zone"), "{err}");
    let err = ARecord::new(&zone, "Star", ARecordProps::new(&zone, target.clone()).record_name("a.*")).err().unwrap().to_string();
    assert!(err.contains("leftmost label"), "{err}");
    // Relative, qualified and absolute names all land on the qualified form.
    for (id, given) in [("Rel", "api"), ("Qual", "web.internal.example"), ("Abs", "db.internal.example.")] {
        ARecord::new(&zone, id, ARecordProps::new(&zone, target.clone()).record_name(given)).unwrap();
    }
    // Route 53 refuses a second record of one name and type, and names with empty or long labels.
    let err = ARecord::new(&zone, "Again", ARecordProps::new(&zone, target.clone()).record_name("API.internal.example.")).err().unwrap().to_string();
    assert!(err.contains("S/Zone/Again") && err.contains("already"), "{err}");
    for (n, (given, expected)) in [(".internal.example.", "empty label"), ("a..b", "empty label"), (&*"x".repeat(64), "over 63 bytes"), ("a b", "may hold only")].into_iter().enumerate() {
        let err = ARecord::new(&zone, &format!("Bad{n}"), ARecordProps::new(&zone, target.clone()).record_name(given)).err().unwrap().to_string();
        assert!(err.contains(&format!("S/Zone/Bad{n}")) && err.contains(expected), "{given:?}: {err}");
    }
    // An endpoint with private DNS on already answers for its domain.
    let err = PrivateHostedZone::for_interface_endpoint(&stack, "LogsZone", EndpointZoneProps::new(&endpoint, "logs.us-east-1.amazonaws.com", &[&v])).err().unwrap().to_string();
    assert!(err.starts_with("S/LogsZone: endpoint") && err.contains("private DNS on"), "names the zone that asked, not its parent: {err}");
    let err = PrivateHostedZone::for_interface_endpoint(&stack, "NoVpc", EndpointZoneProps::new(&endpoint, "logs.us-east-1.amazonaws.com", &[])).err().unwrap().to_string();
    assert!(err.starts_with("S/NoVpc: give at least one VPC"), "{err}");
    let t = app.synth_in_memory().unwrap().stacks[0].template();
    let names: Vec<&str> = common::of_type(&t, "AWS::Route53::RecordSet").iter().map(|(_, r)| r["Properties"]["Name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["api.internal.example.", "web.internal.example.", "db.internal.example."]);
}

#[test]
fn passes_cfn_lint_and_deploys_to_moto() {
    let out = common::temp_dir("route53");
    let (app, _) = shared(true);
    let dir = common::write_templates(&out, &[("zone", app)]);
    let Some(warnings) = common::cfn_lint_all(&dir) else { return };
    assert!(warnings.is_empty(), "{warnings:#?}");
    let Some(moto) = common::Moto::start() else { return };
    let resources = moto.deploy(&dir[0], "Net", &["CAPABILITY_IAM"]);
    assert!(resources.iter().all(|(_, st)| st == "CREATE_COMPLETE"), "{resources:?}");
    let zones = moto.aws(&["route53", "list-hosted-zones", "--query", "HostedZones[0].Name", "--output", "text"]);
    assert_eq!(String::from_utf8_lossy(&zones.stdout).trim(), format!("{DKR}."));
    let id = moto.aws(&["route53", "list-hosted-zones", "--query", "HostedZones[0].Id", "--output", "text"]);
    let id = String::from_utf8_lossy(&id.stdout).trim().to_string();
    let records = moto.aws(&["route53", "list-resource-record-sets", "--hosted-zone-id", &id, "--query", "ResourceRecordSets[?Type=='A'].Name", "--output", "text"]);
    let mut names: Vec<String> = String::from_utf8_lossy(&records.stdout).split_whitespace().map(str::to_string).collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().any(|n| n == &format!("{DKR}.")), "{names:?}");
}

/// A REST API's custom domain name as CDK writes it (`CustomDomain` with its base path mapping
/// to the deployment stage), an alias record to it, and what API Gateway refuses.
#[test]
fn an_api_custom_domain_with_an_alias_record() {
    use ironcdk::apigateway::{DomainNameOptions, EndpointType, Integration, IntegrationType, MethodOptions, RestApi, RestApiProps};
    use ironcdk::certificatemanager::Certificate;
    use ironcdk::route53::{PublicHostedZone, PublicHostedZoneProps};
    let build = |name: &str, edge: bool, cert: &str, base: Option<&str>| -> Result<serde_json::Value, String> {
        let app = App::new();
        let s = Stack::with_props(&app, "Api", StackProps::new().env(Environment::region("eu-west-1"))).map_err(|e| e.to_string())?;
        let cert = Certificate::from_certificate_arn(&s, "Cert", cert).map_err(|e| e.to_string())?;
        let mut o = DomainNameOptions::new(name, &cert).endpoint_type(if edge { EndpointType::Edge } else { EndpointType::Regional });
        if let Some(b) = base {
            o = o.base_path(b);
        }
        let api = RestApi::new(&s, "Api", RestApiProps::new().domain_name(o)).map_err(|e| e.to_string())?;
        api.root().add_method("GET", Integration::new(IntegrationType::Mock), MethodOptions::default()).map_err(|e| e.to_string())?;
        let zone = PublicHostedZone::new(&s, "Zone", PublicHostedZoneProps::new("example.org")).map_err(|e| e.to_string())?;
        let domain = api.domain_name().ok_or("no domain")?;
        ARecord::new(&s, "Alias", ARecordProps::new(&zone, RecordTarget::api_gateway_domain(&domain)).record_name("api")).map_err(|e| e.to_string())?;
        domain.add_base_path_mapping(&api, Some("v2")).map_err(|e| e.to_string())?;
        Ok(app.synth_in_memory().map_err(|e| e.to_string())?.stacks[0].template())
    };
    let t = build("api.example.org", false, "arn:aws:acm:eu-west-1:123456789012:certificate/api", None).unwrap();
    let (domain_id, domain) = common::of_type(&t, "AWS::ApiGateway::DomainName")[0];
    assert!(domain_id.starts_with("ApiCustomDomain"), "{domain_id}");
    assert_eq!(domain["Properties"], json!({"DomainName": "api.example.org", "EndpointConfiguration": {"Types": ["REGIONAL"]}, "RegionalCertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/api"}));
    let mappings = common::of_type(&t, "AWS::ApiGateway::BasePathMapping");
    assert_eq!(mappings.len(), 2);
    let (root_id, root) = mappings.iter().find(|(_, m)| m["Properties"].get("BasePath").is_none()).unwrap();
    assert!(root_id.starts_with("ApiCustomDomainMapApi"), "CDK's `Map:--=><api>`: {root_id}");
    let (stage_id, _) = common::of_type(&t, "AWS::ApiGateway::Stage")[0];
    assert_eq!(root["Properties"]["Stage"], json!({"Ref": stage_id}));
    let (_, record) = common::of_type(&t, "AWS::Route53::RecordSet")[0];
    assert_eq!(record["Properties"]["AliasTarget"], json!({"DNSName": {"Fn::GetAtt": [domain_id, "RegionalDomainName"]}, "HostedZoneId": {"Fn::GetAtt": [domain_id, "RegionalHostedZoneId"]}}));
    // Edge: the certificate goes in CertificateArn, and must be in us-east-1.
    let t = build("api.example.org", true, "arn:aws:acm:us-east-1:123456789012:certificate/api", None).unwrap();
    assert_eq!(common::of_type(&t, "AWS::ApiGateway::DomainName")[0].1["Properties"]["CertificateArn"], "arn:aws:acm:us-east-1:123456789012:certificate/api");
    let e = build("api.example.org", true, "arn:aws:acm:eu-west-1:123456789012:certificate/api", None).unwrap_err();
    assert!(e.starts_with("Api/Api/CustomDomain: an edge-optimized domain name needs its certificate in us-east-1"), "{e}");
    assert!(build("API.example.org", false, "arn:aws:acm:eu-west-1:1:certificate/a", None).unwrap_err().contains("upper case"));
    assert!(build("api.example.org", false, "arn:aws:acm:eu-west-1:1:certificate/a", Some("v2")).unwrap_err().contains("already maps path 'v2'"));
    assert!(build("api.example.org", false, "arn:aws:acm:eu-west-1:1:certificate/a", Some("/v1")).unwrap_err().contains("may not start or end with '/'"));
}

/// An HTTP API's custom domain name as CDK writes it: the regional endpoint with its
/// certificate, the `$default` stage's mapping (CDK's id, the stage by name, the waits), an
/// alias record to its regional name; what API Gateway refuses, refused.
#[test]
fn an_http_api_custom_domain_with_an_alias_record() {
    use ironcdk::apigatewayv2::{DomainMappingOptions, DomainName, DomainNameProps, HttpApi, HttpApiProps};
    use ironcdk::certificatemanager::Certificate;
    use ironcdk::route53::{PublicHostedZone, PublicHostedZoneProps};
    let build = |name: &str, key: Option<&str>, default_stage: bool| -> Result<serde_json::Value, String> {
        let app = App::new();
        let s = Stack::new(&app, "Http").map_err(|e| e.to_string())?;
        let cert = Certificate::from_certificate_arn(&s, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/http").map_err(|e| e.to_string())?;
        let dn = DomainName::new(&s, "Domain", DomainNameProps::new(name, &cert).security_policy("TLS_1_2")).map_err(|e| e.to_string())?;
        let mut m = DomainMappingOptions::new(&dn);
        if let Some(k) = key {
            m = m.mapping_key(k);
        }
        HttpApi::new(&s, "Api", HttpApiProps::new().default_domain_mapping(m).create_default_stage(default_stage)).map_err(|e| e.to_string())?;
        let zone = PublicHostedZone::new(&s, "Zone", PublicHostedZoneProps::new("example.net")).map_err(|e| e.to_string())?;
        ARecord::new(&s, "Alias", ARecordProps::new(&zone, RecordTarget::api_gateway_v2_domain(&dn)).record_name(name)).map_err(|e| e.to_string())?;
        Ok(app.synth_in_memory().map_err(|e| e.to_string())?.stacks[0].template())
    };
    let t = build("api.example.net", None, true).unwrap();
    let (domain_id, domain) = common::of_type(&t, "AWS::ApiGatewayV2::DomainName")[0];
    assert_eq!(domain["Properties"], json!({"DomainName": "api.example.net", "DomainNameConfigurations": [
        {"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/http", "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}]}));
    let (mapping_id, mapping) = common::of_type(&t, "AWS::ApiGatewayV2::ApiMapping")[0];
    assert!(mapping_id.starts_with("ApiDefaultStageHttpDomainundefined"), "CDK's id for the mapping: {mapping_id}");
    assert_eq!(mapping["Properties"]["Stage"], "$default");
    assert!(mapping["Properties"].get("ApiMappingKey").is_none());
    let (stage_id, stage) = common::of_type(&t, "AWS::ApiGatewayV2::Stage")[0];
    let deps = |r: &serde_json::Value| r["DependsOn"].as_array().unwrap().iter().filter_map(|d| d.as_str().map(str::to_string)).collect::<Vec<_>>();
    let mut expected = vec![domain_id.to_string(), stage_id.to_string()];
    expected.sort();
    assert_eq!(deps(mapping), expected, "sorted, as CDK writes DependsOn");
    assert_eq!(deps(stage), [domain_id.to_string()]);
    let (_, record) = common::of_type(&t, "AWS::Route53::RecordSet")[0];
    assert_eq!(record["Properties"]["AliasTarget"], json!({"DNSName": {"Fn::GetAtt": [domain_id, "RegionalDomainName"]}, "HostedZoneId": {"Fn::GetAtt": [domain_id, "RegionalHostedZoneId"]}}));
    let t = build("api.example.net", Some("v1"), true).unwrap();
    let (id, mapping) = common::of_type(&t, "AWS::ApiGatewayV2::ApiMapping")[0];
    assert!(id.starts_with("ApiDefaultStageHttpDomainv1") && mapping["Properties"]["ApiMappingKey"] == "v1", "{id}");
    assert!(build("api.example.net", Some(""), true).unwrap_err().contains("an empty mapping key is refused"));
    assert!(build("api.example.net", None, false).unwrap_err().contains("a default domain mapping needs the default stage"));
    assert!(build("", None, true).unwrap_err().contains("is not a domain name API Gateway takes"));
}
