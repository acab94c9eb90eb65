//! `peering-routes`: routes through a peering connection on one side only, or overlapping blocks.

use ironcdk_template::{Finding, PreparedApp, Severity};

use super::{name, Findings, Rule};
use crate::network::{Key, Network, Resolved};

/// The rule's id, as its findings carry it.
pub const ID: &str = "peering-routes";

/// `peering-routes`: routes through a peering connection on one side only, or overlapping blocks.
pub struct PeeringRoutes;

impl Rule for PeeringRoutes {
    fn id(&self) -> &str {
        ID
    }
    fn check(&self, net: &Network, app: &PreparedApp, out: &mut Vec<Finding>) {
        let mut out = Findings::new(app, out);
        peering_routes(net, &mut out);
    }
}

fn peering_routes(net: &Network, out: &mut Findings<'_>) {
    let vpc_of_table = |t: &Key| net.route_tables.iter().find(|(k, _)| k == t).map(|(_, v)| v.clone());
    let cidr_of = |v: &Resolved| v.key().and_then(|k| net.vpcs.iter().find(|(x, _)| x == k)).and_then(|(_, c)| *c);
    for p in &net.peerings {
        if let (Some(a), Some(b)) = (cidr_of(&p.vpc), cidr_of(&p.peer_vpc)) {
            if a.overlaps(b) {
                out.at(&p.key, ID, Severity::Error, format!("peering connection {} joins VPCs whose blocks overlap; routes between them cannot be told apart", name(out.app, &p.key)), "peer VPCs whose CIDR blocks do not overlap");
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
        match (requester, accepter, unknown) {
            (true, true, _) | (false, false, false) => {}
            (true, false, true) | (false, true, true) => out.at(
                &p.key,
                ID,
                Severity::Info,
                format!("cannot verify: peering connection {} has routes on one side, and routes in route tables these templates do not place on the other side", name(out.app, &p.key)),
                "check that the other VPC's route tables route the first VPC's block through the connection",
            ),
            (false, false, true) => {}
            (requester, _, _) => out.at(
                &p.key,
                ID,
                Severity::Error,
                format!(
                    "peering connection {} has routes only in the {} VPC's route tables; return traffic has no way back",
                    name(out.app, &p.key),
                    if requester { "requester" } else { "accepter" }
                ),
                "add routes to the other VPC's block through the connection in the route tables of both sides (VpcPeeringConnection's route helper does both)",
            ),
        }
    }
}
