//! `ec2::VpcPeeringConnection`: routes on both sides (across stacks too), what EC2 refuses, the
//! peering-routes check agreeing, cfn-lint and a moto deploy in dependency order.

mod common;

use ironcdk::ec2::{CfnRoute, CfnRouteProps, SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcPeeringConnection, VpcPeeringConnectionProps, VpcProps};
use ironcdk::{App, Environment, Severity, Stack, StackProps};
use serde_json::{json, Value};

fn isolated(stack: &Stack, id: &str, cidr: &str) -> Vpc {
    Vpc::new(stack, id, VpcProps::new().ip_addresses(cidr).max_azs(2).nat_gateways(0)
        .subnet_configuration(vec![SubnetConfiguration::new("Private", SubnetType::PrivateIsolated).cidr_mask(24)])).unwrap()
}

/// A shared network stack and a dev stack peered with it (article 003's shape, one environment).
fn shared_and_dev(app: &App) -> (Vpc, Vpc, VpcPeeringConnection) {
    let env = Environment::region("ap-northeast-1");
    let shared_stack = Stack::with_props(app, "Shared", StackProps::new().env(env.clone())).unwrap();
    let dev_stack = Stack::with_props(app, "Dev", StackProps::new().env(env)).unwrap();
    let shared = isolated(&shared_stack, "Vpc", "10.0.0.0/16");
    let dev = isolated(&dev_stack, "Vpc", "10.1.0.0/16");
    let peering = VpcPeeringConnection::new(&dev_stack, "ToShared", VpcPeeringConnectionProps::new(&dev, &shared)).unwrap();
    (shared, dev, peering)
}

fn routes(t: &Value) -> Vec<(String, Value, Value)> {
    t["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == "AWS::EC2::Route")
        .map(|(id, r)| (id.clone(), r["Properties"]["DestinationCidrBlock"].clone(), r["Properties"]["RouteTableId"].clone())).collect()
}

#[test]
fn routes_on_both_sides_across_stacks_and_the_check_agrees() {
    let app = App::new();
    let (_, _, peering) = shared_and_dev(&app);
    peering.add_routes(&SubnetSelection::default(), &SubnetSelection::default()).unwrap();
    let a = app.synth_in_memory().unwrap();
    assert!(a.findings.iter().all(|f| f.rule != "peering-routes"), "{:#?}", a.findings);
    let dev = a.stack("Dev").unwrap().template();
    let r = routes(&dev);
    assert_eq!(r.len(), 4, "two route tables on each side: {r:#?}");
    let ids: Vec<&str> = r.iter().map(|(id, _, _)| id.as_str()).collect();
    assert!(ids.iter().filter(|i| i.starts_with("ToSharedRequesterRoute")).count() == 2 && ids.iter().filter(|i| i.starts_with("ToSharedAccepterRoute")).count() == 2, "{ids:?}");
    for (id, dest, table) in &r {
        if id.starts_with("ToSharedRequesterRoute") {
            assert_eq!(dest, "10.0.0.0/16");
            assert!(table["Ref"].as_str().is_some_and(|t| t.starts_with("VpcPrivateSubnet")), "a Dev table: {table}");
        } else {
            assert_eq!(dest, "10.1.0.0/16");
            assert!(table["Fn::ImportValue"].as_str().is_some_and(|t| t.starts_with("Shared:ExportsOutputRefVpcPrivateSubnet")), "a Shared table, imported: {table}");
        }
    }
    let (_, resource) = dev["Resources"].as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::EC2::VPCPeeringConnection").unwrap();
    assert!(resource["Properties"]["PeerVpcId"]["Fn::ImportValue"].is_string() && resource["Properties"]["VpcId"] == json!({"Ref": "Vpc8378EB38"}));
    assert_eq!(a.deploy_order().iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["Shared", "Dev"]);
}

#[test]
fn a_route_on_one_side_only_is_what_the_check_finds() {
    let app = App::new();
    let (_, dev, peering) = shared_and_dev(&app);
    // By hand, the way the articles did it first: only the requester's tables.
    for (n, s) in dev.select_subnets(&SubnetSelection::default()).unwrap().iter().enumerate() {
        CfnRoute::new(&peering, &format!("Manual{n}"), CfnRouteProps::new(s.route_table_id.clone().unwrap())
            .destination_cidr_block("10.0.0.0/16")
            .vpc_peering_connection_id(peering.peering_connection_id())).unwrap();
    }
    let err = app.synth_in_memory().unwrap_err().to_string();
    assert!(err.contains("peering-routes"), "{err}");
}

#[test]
fn what_ec2_refuses_is_an_error_naming_the_connection() {
    let app = App::new();
    let stack = Stack::new(&app, "S").unwrap();
    let a = isolated(&stack, "A", "10.0.0.0/16");
    let inside = isolated(&stack, "Inside", "10.0.128.0/17");
    let b = isolated(&stack, "B", "10.1.0.0/16");
    let err = VpcPeeringConnection::new(&stack, "Overlap", VpcPeeringConnectionProps::new(&a, &inside)).err().unwrap().to_string();
    assert!(err.contains("S/Overlap") && err.contains("10.0.0.0/16") && err.contains("10.0.128.0/17") && err.contains("overlap"), "{err}");
    let err = VpcPeeringConnection::new(&stack, "Self", VpcPeeringConnectionProps::new(&a, &a)).err().unwrap().to_string();
    assert!(err.contains("S/Self") && err.contains("itself"), "{err}");
    let ok = VpcPeeringConnection::new(&stack, "AB", VpcPeeringConnectionProps::new(&a, &b)).unwrap();
    // One pair of VPCs, one peering connection (either way round).
    let err = VpcPeeringConnection::new(&stack, "BA", VpcPeeringConnectionProps::new(&b, &a)).err().unwrap().to_string();
    assert!(err.contains("S/BA") && err.contains("peered already by") && err.contains("AB"), "{err}");
    ok.add_routes(&SubnetSelection::default(), &SubnetSelection::default()).unwrap();
    let err = ok.add_routes(&SubnetSelection::default(), &SubnetSelection::default()).unwrap_err().to_string();
    assert!(err.contains("S/AB") && err.contains("twice"), "{err}");
    let err = ok.add_routes(&SubnetSelection::of_type(SubnetType::Public), &SubnetSelection::default()).unwrap_err().to_string();
    assert!(err.contains("S/AB") && err.contains("no subnets"), "{err}");
    assert!(app.synth_in_memory().unwrap().findings.iter().all(|f| f.severity != Severity::Error));
}

#[test]
fn passes_cfn_lint_and_deploys_to_moto_in_order() {
    let out = common::temp_dir("peering").join("cdk.out");
    let app = App::with_outdir(&out);
    let (_, _, peering) = shared_and_dev(&app);
    peering.add_routes(&SubnetSelection::default(), &SubnetSelection::default()).unwrap();
    let a = app.synth().unwrap();
    let Some(moto) = common::lint_and_deploy_in_order(&a) else { return };
    let status = moto.aws(&["ec2", "describe-vpc-peering-connections", "--query", "VpcPeeringConnections[0].Status.Code", "--output", "text"]);
    eprintln!("peering status in moto: {}", String::from_utf8_lossy(&status.stdout).trim());
    let routes = moto.aws(&["ec2", "describe-route-tables", "--query", "RouteTables[].Routes[?VpcPeeringConnectionId!=null].DestinationCidrBlock[]", "--output", "text"]);
    let mut cidrs: Vec<String> = String::from_utf8_lossy(&routes.stdout).split_whitespace().map(str::to_string).collect();
    cidrs.sort();
    assert_eq!(cidrs, vec!["10.0.0.0/16", "10.0.0.0/16", "10.1.0.0/16", "10.1.0.0/16"], "both sides routed in moto");
}
