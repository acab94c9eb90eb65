//! `duplicate-claim`: one thing that can be held only once, claimed by two resources. Each is
//! refused by EC2, Elastic Load Balancing or Route 53 when the second resource is created, after
//! the first has been:
//! - a destination in one route table (two `AWS::EC2::Route` for one CIDR block or prefix list:
//!   "The route identified by ... already exists");
//! - an Elastic IP allocation given to two NAT gateways or load balancer nodes ("Elastic IP
//!   address ... is already associated");
//! - a private IPv4 address in one subnet given to two load balancer nodes or NAT gateways;
//! - a private hosted zone name associated with one VPC twice (Route 53's
//!   `ConflictingDomainExists`);
//! - a record of one name and type twice in a hosted zone, without set identifiers ("Tried to
//!   create resource record set ... but it already exists").
//!
//! Literal values are compared across the stacks of one account and region; a value computed by
//! an intrinsic (a `Ref` to an Elastic IP, a route table of the template) only within its
//! stack, by its JSON. A resource with a `Condition` is left out (it may not be created).

use ironcdk_template::hash::HashMap;

use ironcdk_template::write::{literal, Refs};
use ironcdk_template::{PreparedApp, Severity, Value};

use crate::network::Key;

/// A value as compared: a literal anywhere in the account and region, or an intrinsic within
/// its stack.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Held {
    Literal(String),
    InStack(usize, Vec<u8>),
}

fn held(refs: &Refs<'_>, si: usize, v: &Value) -> Held {
    match literal(v) {
        Some(s) => Held::Literal(s.to_string()),
        None => Held::InStack(si, refs.compact(v)),
    }
}

/// What is claimed: its kind, the values naming it, and how to show it.
struct Claim {
    kind: &'static str,
    parts: Vec<Held>,
    shown: String,
    fix: &'static str,
}

/// The claims one resource makes.
fn claims(refs: &Refs<'_>, si: usize, type_name: &str, props: &ironcdk_template::value::Map) -> Vec<Claim> {
    let text = |v: &Value| literal(v).map(|s| format!("'{s}'")).unwrap_or_else(|| String::from_utf8_lossy(&refs.compact(v)).into_owned());
    let mut out = Vec::new();
    match type_name {
        "AWS::EC2::Route" => {
            let Some(table) = props.get("RouteTableId") else { return out };
            for field in ["DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"] {
                if let Some(d) = props.get(field) {
                    out.push(Claim {
                        kind: "route",
                        parts: vec![held(refs, si, table), held(refs, si, d)],
                        shown: format!("a route to {field} {} in route table {}", text(d), text(table)),
                        fix: "keep one route per destination in a route table (a more specific block is a different destination)",
                    });
                }
            }
        }
        "AWS::EC2::NatGateway" => {
            if let Some(a) = props.get("AllocationId") {
                out.push(eip(refs, si, a, text(a)));
            }
            if let (Some(s), Some(ip)) = (props.get("SubnetId"), props.get("PrivateIpAddress")) {
                out.push(private_ip(refs, si, s, ip, text(ip), text(s)));
            }
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let Some(Value::List(mappings)) = props.get("SubnetMappings") else { return out };
            for m in mappings {
                let Value::Map(m) = m else { continue };
                if let Some(a) = m.get("AllocationId") {
                    out.push(eip(refs, si, a, text(a)));
                }
                if let (Some(s), Some(ip)) = (m.get("SubnetId"), m.get("PrivateIPv4Address")) {
                    out.push(private_ip(refs, si, s, ip, text(ip), text(s)));
                }
            }
        }
        "AWS::Route53::RecordSet" => {
            // Weighted, latency and other routing sets share a name by their SetIdentifier.
            if props.get("SetIdentifier").is_some() {
                return out;
            }
            let (Some(zone), Some(n), Some(t)) = (props.get("HostedZoneId"), props.get("Name").and_then(literal), props.get("Type").and_then(literal)) else { return out };
            let record = format!("{}.", n.trim_end_matches('.').to_ascii_lowercase());
            out.push(Claim {
                kind: "record",
                parts: vec![held(refs, si, zone), Held::Literal(record.clone()), Held::Literal(t.to_string())],
                shown: format!("the {t} record '{record}' in hosted zone {}", text(zone)),
                fix: "keep one record of a name and type in a zone (put every value in it), or give them SetIdentifiers with a routing policy",
            });
        }
        "AWS::Route53::HostedZone" => {
            let Some(zone) = props.get("Name").and_then(literal) else { return out };
            let zone = zone.trim_end_matches('.').to_ascii_lowercase();
            let Some(Value::List(vpcs)) = props.get("VPCs") else { return out };
            for v in vpcs {
                let Value::Map(v) = v else { continue };
                let Some(id) = v.get("VPCId") else { continue };
                out.push(Claim {
                    kind: "private zone",
                    parts: vec![Held::Literal(zone.clone()), held(refs, si, id)],
                    shown: format!("the private hosted zone '{zone}' in VPC {}", text(id)),
                    fix: "associate the VPC with one private zone of that name, and put every record in it",
                });
            }
        }
        _ => {}
    }
    out
}

fn eip(refs: &Refs<'_>, si: usize, a: &Value, shown: String) -> Claim {
    Claim {
        kind: "elastic ip",
        parts: vec![held(refs, si, a)],
        shown: format!("Elastic IP allocation {shown}"),
        fix: "give each NAT gateway and load balancer node an Elastic IP of its own",
    }
}

fn private_ip(refs: &Refs<'_>, si: usize, subnet: &Value, ip: &Value, ip_shown: String, subnet_shown: String) -> Claim {
    Claim {
        kind: "private address",
        parts: vec![held(refs, si, subnet), held(refs, si, ip)],
        shown: format!("private address {ip_shown} in subnet {subnet_shown}"),
        fix: "give each load balancer node and NAT gateway an address of its own, or leave the address out and let AWS choose",
    }
}

rule! {
    /// `duplicate-claim`: a route destination, an Elastic IP, a private address or a private
    /// zone name held by two resources.
    DuplicateClaim = "duplicate-claim", |_net, app, out| {
        check(app, &mut out);
    }
}

fn check(app: &PreparedApp, out: &mut super::Findings<'_>) {
    // (account, region, kind, values) -> the first resource claiming them. Stacks of an
    // unknown account or region are taken to deploy where the others do.
    type Place<'a> = (Option<&'a str>, Option<&'a str>, &'static str, Vec<Held>);
    let mut first: HashMap<Place<'_>, Key> = HashMap::default();
    for (si, s) in app.stacks.iter().enumerate() {
        let refs = Refs::of(s);
        for e in s.resources() {
            let Value::Map(m) = &e.value else { continue };
            if m.get("Condition").is_some() {
                continue;
            }
            let Some(Value::Map(props)) = m.get("Properties") else { continue };
            let key = Key { stack: si, logical_id: e.logical_id.clone() };
            for c in claims(&refs, si, &e.type_name, props) {
                let place = (s.env.account.as_deref(), s.env.region.as_deref(), c.kind, c.parts);
                match first.get(&place) {
                    Some(earlier) => {
                        let who = if *earlier == key { "it claims it twice itself".to_string() } else { format!("{} claims it already", out.name(earlier)) };
                        out.at(
                            &key,
                            ID,
                            Severity::Error,
                            format!("{} claims {}, and {who}: AWS refuses the second claim when it creates the resource", out.name(&key), c.shown),
                            c.fix,
                        );
                    }
                    None => {
                        first.insert(place, key.clone());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(stacks: &[(&str, serde_json::Value)]) -> Vec<ironcdk_template::Finding> {
        crate::checks::findings_of(&DuplicateClaim, stacks)
    }

    #[test]
    fn a_destination_twice_in_one_route_table_is_an_error_at_the_second() {
        let t = json!({"Resources": {
            "Rt": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": "vpc-1"}},
            "A": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "Rt"}, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}},
            "B": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "Rt"}, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}},
            "C": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "Rt"}, "DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-1"}},
            "D": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": "rtb-2", "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}}}});
        let found = f(&[("S", t)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].severity, found[0].logical_id.as_deref()), (Severity::Error, Some("B")));
        assert!(found[0].message.contains("'0.0.0.0/0'") && found[0].message.contains("S/A claims it already"), "{}", found[0].message);
    }

    #[test]
    fn one_elastic_ip_on_two_load_balancers_or_a_nat_gateway_is_an_error() {
        let nlb = |eip: serde_json::Value| json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "SubnetMappings": [{"SubnetId": "subnet-1", "AllocationId": eip}]}});
        let t = json!({"Resources": {
            "Eip": {"Type": "AWS::EC2::EIP"},
            "Eip2": {"Type": "AWS::EC2::EIP"},
            "A": nlb(json!({"Fn::GetAtt": ["Eip", "AllocationId"]})),
            "B": nlb(json!({"Fn::GetAtt": ["Eip", "AllocationId"]})),
            "C": nlb(json!({"Fn::GetAtt": ["Eip2", "AllocationId"]}))}});
        let found = f(&[("S", t)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].logical_id.as_deref(), Some("B"));
        // A literal allocation across stacks, on a NAT gateway and an NLB.
        let nat = json!({"Resources": {"Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {"SubnetId": "subnet-1", "AllocationId": "eipalloc-0123456789abcdef0"}}}});
        let lb = json!({"Resources": {"Lb": nlb(json!("eipalloc-0123456789abcdef0"))}});
        let found = f(&[("A", nat), ("B", lb)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].stack.as_deref(), found[0].logical_id.as_deref()), (Some("B"), Some("Lb")));
    }

    #[test]
    fn one_private_address_twice_in_a_subnet_is_an_error_and_one_mapping_list_may_claim_twice() {
        let t = json!({"Resources": {
            "A": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "Scheme": "internal", "SubnetMappings": [{"SubnetId": "subnet-1", "PrivateIPv4Address": "10.0.0.10"}]}},
            "B": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "Scheme": "internal", "SubnetMappings": [{"SubnetId": "subnet-1", "PrivateIPv4Address": "10.0.0.10"}, {"SubnetId": "subnet-2", "PrivateIPv4Address": "10.0.0.10"}]}},
            "C": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "Scheme": "internal", "SubnetMappings": [{"SubnetId": "subnet-3", "PrivateIPv4Address": "10.0.2.10"}, {"SubnetId": "subnet-3", "PrivateIPv4Address": "10.0.2.10"}]}}}});
        let found = f(&[("S", t)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].logical_id.as_deref(), Some("B"));
        assert_eq!(found[1].logical_id.as_deref(), Some("C"));
        assert!(found[1].message.contains("claims it twice itself"), "{}", found[1].message);
    }

    #[test]
    fn a_record_of_one_name_and_type_twice_in_a_zone_is_an_error_unless_routed() {
        let record = |name: &str, t: &str, set: Option<&str>| {
            let mut r = json!({"Type": "AWS::Route53::RecordSet", "Properties": {"HostedZoneId": {"Ref": "Zone"}, "Name": name, "Type": t, "TTL": "60", "ResourceRecords": ["1.2.3.4"]}});
            if let Some(s) = set {
                r["Properties"]["SetIdentifier"] = json!(s);
                r["Properties"]["Weight"] = json!(1);
            }
            r
        };
        let t = json!({"Resources": {
            "Zone": {"Type": "AWS::Route53::HostedZone", "Properties": {"Name": "example.com."}},
            "A": record("www.example.com.", "A", None),
            "B": record("WWW.example.com", "A", None),
            "C": record("www.example.com.", "AAAA", None),
            "D": record("api.example.com.", "A", Some("blue")),
            "E": record("api.example.com.", "A", Some("green"))}});
        let found = f(&[("S", t)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].logical_id.as_deref(), Some("B"));
        assert!(found[0].message.contains("the A record 'www.example.com.'"), "{}", found[0].message);
    }

    #[test]
    fn two_private_zones_of_one_name_in_one_vpc_are_an_error_and_conditional_ones_are_left_out() {
        let zone = |name: &str, vpc: &str| json!({"Type": "AWS::Route53::HostedZone", "Properties": {"Name": name, "VPCs": [{"VPCId": vpc, "VPCRegion": "us-east-1"}]}});
        let t = json!({"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}, "Resources": {
            "A": zone("internal.example.com", "vpc-1"),
            "B": zone("Internal.Example.com.", "vpc-1"),
            "C": zone("internal.example.com", "vpc-2"),
            "D": {"Type": "AWS::Route53::HostedZone", "Condition": "C", "Properties": {"Name": "internal.example.com", "VPCs": [{"VPCId": "vpc-2", "VPCRegion": "us-east-1"}]}},
            "E": {"Type": "AWS::Route53::HostedZone", "Properties": {"Name": "internal.example.com"}}}});
        let found = f(&[("S", t)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].logical_id.as_deref(), Some("B"));
        assert!(found[0].message.contains("'internal.example.com'"), "{}", found[0].message);
    }
}
