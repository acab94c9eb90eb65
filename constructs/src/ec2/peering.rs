//! VPC peering with routes on both sides (articles 000 and 003: a route on one side only is the
//! failure that cost them days, so the helper adds both or neither).

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::*;
use super::vpc::{SubnetRef, SubnetSelection, Vpc};

/// Options of a [`VpcPeeringConnection`].
#[derive(Clone)]
#[non_exhaustive]
pub struct VpcPeeringConnectionProps {
    /// The requester VPC.
    pub vpc: Vpc,
    /// The accepter VPC.
    pub peer_vpc: Vpc,
}

impl VpcPeeringConnectionProps {
    /// Peers `vpc` (requester) with `peer_vpc` (accepter), in one account and region.
    pub fn new(vpc: &Vpc, peer_vpc: &Vpc) -> Self {
        VpcPeeringConnectionProps { vpc: vpc.clone(), peer_vpc: peer_vpc.clone() }
    }
}

/// A VPC peering connection (`<id>/Resource`).
///
/// ```
/// use ironcdk_constructs::ec2::*;
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let shared = Vpc::new(&stack, "Shared", VpcProps::new().ip_addresses("10.0.0.0/16")).unwrap();
/// let dev = Vpc::new(&stack, "Dev", VpcProps::new().ip_addresses("10.1.0.0/16")).unwrap();
/// let peering = VpcPeeringConnection::new(&stack, "DevToShared", VpcPeeringConnectionProps::new(&dev, &shared)).unwrap();
/// // Both directions, or the replies never come back.
/// peering.add_routes(&SubnetSelection::default(), &SubnetSelection::default()).unwrap();
/// ```
#[derive(Clone)]
pub struct VpcPeeringConnection {
    scope: Scope,
    resource: CfnVpcPeeringConnection,
    vpc: Vpc,
    peer_vpc: Vpc,
}

impl AsScope for VpcPeeringConnection {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl VpcPeeringConnection {
    /// Creates the connection; overlapping address ranges, which EC2 refuses, are an error.
    pub fn new(scope: &impl AsScope, id: &str, props: VpcPeeringConnectionProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.ec2.VpcPeeringConnection")?;
        let (a, b) = (props.vpc.model(), props.peer_vpc.model());
        if a.path == b.path {
            return Err(scope.error(format!("a VPC cannot be peered with itself ({})", a.path)));
        }
        if a.cidr.contains(b.cidr) || b.cidr.contains(a.cidr) {
            return Err(scope.error(format!(
                "VPC {} ({}) and VPC {} ({}) overlap; EC2 refuses to peer VPCs whose ranges overlap: give one of them another range",
                a.path, a.cidr, b.path, b.cidr
            )));
        }
        let resource = CfnVpcPeeringConnection::new(&scope, "Resource", CfnVpcPeeringConnectionProps::new(props.peer_vpc.vpc_id(), props.vpc.vpc_id()))?;
        Ok(VpcPeeringConnection { scope, resource, vpc: props.vpc, peer_vpc: props.peer_vpc })
    }

    /// `Ref` (the connection's ID).
    pub fn peering_connection_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// Routes through the connection on both sides: in the route tables of the requester's
    /// `subnets` to the accepter's range, and of the accepter's `peer_subnets` back to the
    /// requester's (`RequesterRoute<n>`, `AccepterRoute<n>`). Traffic needs both directions.
    pub fn add_routes(&self, subnets: &SubnetSelection, peer_subnets: &SubnetSelection) -> Result<()> {
        let mine = self.vpc.select_subnets_for(&self.scope, subnets)?;
        let theirs = self.peer_vpc.select_subnets_for(&self.scope, peer_subnets)?;
        self.routes("RequesterRoute", &mine, self.peer_vpc.model().cidr.to_string())?;
        self.routes("AccepterRoute", &theirs, self.vpc.model().cidr.to_string())
    }

    fn routes(&self, prefix: &str, subnets: &[SubnetRef], destination: String) -> Result<()> {
        let mut tables: Vec<&Val<String>> = Vec::new();
        for s in subnets {
            if tables.iter().any(|t| t.as_value() == s.route_table_id.as_value()) {
                continue;
            }
            tables.push(&s.route_table_id);
        }
        for (n, table) in tables.into_iter().enumerate() {
            let id = format!("{prefix}{}", n.saturating_add(1));
            if self.scope.find_child(&id).is_some() {
                return Err(self.scope.error("add_routes was called twice on this connection; select every subnet in one call"));
            }
            CfnRoute::new(
                &self.scope,
                &id,
                CfnRouteProps::new(table.clone()).destination_cidr_block(destination.clone()).vpc_peering_connection_id(self.peering_connection_id()),
            )?;
        }
        Ok(())
    }
}
