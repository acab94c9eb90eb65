//! `peering-routes`: routes through a peering connection on one side only, or overlapping blocks.

use ironcdk_template::Severity;

use super::Findings;
use crate::network::{Key, Network, Resolved};

rule! {
    /// `peering-routes`: routes through a peering connection on one side only, or overlapping blocks.
    PeeringRoutes = "peering-routes", |net, _app, out| {
        peering_routes(net, &mut out);
    }
}

fn peering_routes(net: &Network, out: &mut Findings<'_>) {
    let vpc_of_table = |t: &Key| net.route_tables.iter().find(|(k, _)| k == t).map(|(_, v)| v.clone());
    let cidr_of = |v: &Resolved| v.key().and_then(|k| net.vpcs.iter().find(|(x, _)| x == k)).and_then(|(_, c)| *c);
    for p in &net.peerings {
        if let (Some(a), Some(b)) = (cidr_of(&p.vpc), cidr_of(&p.peer_vpc)) {
            if a.overlaps(b) {
                out.at(&p.key, ID, Severity::Error, format!("peering connection {} joins VPCs whose blocks overlap; routes between them cannot be told apart", out.name(&p.key)), "peer VPCs whose CIDR blocks do not overlap");
            }
        }
        let (mut requester, mut accepter, mut unknown) = (false, false, false);
        for r in net.routes.iter().filter(|r| matches!(&r.target, crate::network::RouteTarget::Peering(k) if k == &p.key)) {
            let vpc = r.table.key().and_then(&vpc_of_table);
            match vpc {
                Some(v) if v.key().is_some() && v.key() == p.vpc.key() => requester = true,
                Some(v) if v.key().is_some() && v.key() == p.peer_vpc.key() => accepter = true,
                _ => unknown = true,
            }
        }
        // The side without routes: its route tables can only be seen when its VPC is one of
        // these templates' (a peer VPC given as a parameter or an id is in another stack, often
        // another region).
        let other = if requester { &p.peer_vpc } else { &p.vpc };
        let other_known = other.key().is_some_and(|k| net.vpcs.iter().any(|(x, _)| x == k));
        match (requester, accepter, unknown) {
            (true, true, _) | (false, false, false) => {}
            (true, false, false) | (false, true, false) if !other_known => out.at(
                &p.key,
                ID,
                Severity::Info,
                format!("cannot verify: peering connection {} has routes on one side, and the other VPC is not in these templates", out.name(&p.key)),
                "check that the other VPC's route tables route this VPC's block through the connection",
            ),
            (true, false, true) | (false, true, true) => out.at(
                &p.key,
                ID,
                Severity::Info,
                format!("cannot verify: peering connection {} has routes on one side, and routes in route tables these templates do not place on the other side", out.name(&p.key)),
                "check that the other VPC's route tables route the first VPC's block through the connection",
            ),
            (false, false, true) => {}
            (requester, _, _) => out.at(
                &p.key,
                ID,
                Severity::Error,
                format!(
                    "peering connection {} has routes only in the {} VPC's route tables; return traffic has no way back",
                    out.name(&p.key),
                    if requester { "requester" } else { "accepter" }
                ),
                "add routes to the other VPC's block through the connection in the route tables of both sides (VpcPeeringConnection's route helper does both)",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn peered(b_cidr: &str, route_back: bool) -> serde_json::Value {
        let mut t = json!({"Resources": {
            "A": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "B": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": b_cidr}},
            "TableA": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "A"}}},
            "TableB": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "B"}}},
            "Peering": {"Type": "AWS::EC2::VPCPeeringConnection", "Properties": {"VpcId": {"Ref": "A"}, "PeerVpcId": {"Ref": "B"}}},
            "ToB": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "TableA"}, "DestinationCidrBlock": b_cidr, "VpcPeeringConnectionId": {"Ref": "Peering"}}}}});
        if route_back {
            t["Resources"]["ToA"] = json!({"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "TableB"}, "DestinationCidrBlock": "10.0.0.0/16", "VpcPeeringConnectionId": {"Ref": "Peering"}}});
        }
        t
    }

    #[test]
    fn a_peer_vpc_outside_the_templates_cannot_be_verified() {
        // The peer VPC is a parameter (another stack, here another region): its route tables
        // are not seen (aws-samples/serverless-patterns' private-apigw-cross-region).
        let t = json!({"Parameters": {"PeerVpc": {"Type": "String"}}, "Resources": {
            "A": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "TableA": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "A"}}},
            "Peering": {"Type": "AWS::EC2::VPCPeeringConnection", "Properties": {"VpcId": {"Ref": "A"}, "PeerVpcId": {"Ref": "PeerVpc"}, "PeerRegion": "eu-west-1"}},
            "ToB": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "TableA"}, "DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": {"Ref": "Peering"}}}}});
        let f = crate::checks::findings_of(&PeeringRoutes, &[("Net", t)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].severity == Severity::Info && f[0].message.starts_with("cannot verify"), "{f:#?}");
    }

    #[test]
    fn routes_on_one_side_only_and_overlapping_blocks_are_errors() {
        let one_side = crate::checks::findings_of(&PeeringRoutes, &[("Net", peered("10.1.0.0/16", false))]);
        assert_eq!(one_side.len(), 1, "{one_side:#?}");
        assert_eq!((one_side[0].severity, one_side[0].logical_id.as_deref()), (Severity::Error, Some("Peering")));
        let overlap = crate::checks::findings_of(&PeeringRoutes, &[("Net", peered("10.0.128.0/17", true))]);
        assert!(overlap.iter().any(|f| f.message.contains("overlap")), "{overlap:#?}");
        assert!(crate::checks::findings_of(&PeeringRoutes, &[("Net", peered("10.1.0.0/16", true))]).is_empty());
    }
}
