//! VPC peering with routes on both sides (articles 000 and 003: a route on one side only is the
//! failure that cost them days, so the helper adds both or neither).

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::*;
use super::vpc::{SubnetSelection, Vpc};

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
        if let (Some(ac), Some(bc)) = (a.cidr, b.cidr) {
            if ac.contains(bc) || bc.contains(ac) {
                return Err(scope.error(format!(
                    "VPC {} ({ac}) and VPC {} ({bc}) overlap; EC2 refuses to peer VPCs whose ranges overlap: give one of them another range",
                    a.path, b.path
                )));
            }
        }
        if a.imported && b.imported {
            return Err(scope.error(format!(
                "both {} and {} are imported; a peering connection needs one VPC of this app (the requester or the accepter)",
                a.path, b.path
            )));
        }
        if let Some(existing) = a.peering_with(&b.path) {
            return Err(scope.error(format!(
                "VPCs {} and {} are peered already by {}; EC2 refuses a second peering connection between one pair of VPCs: route through the first",
                a.path,
                b.path,
                existing.path()
            )));
        }
        let resource = CfnVpcPeeringConnection::new(&scope, "Resource", CfnVpcPeeringConnectionProps::new(props.peer_vpc.vpc_id(), props.vpc.vpc_id()))?;
        a.peerings.borrow_mut().push((b.path.clone(), scope.clone()));
        b.peerings.borrow_mut().push((a.path.clone(), scope.clone()));
        Ok(VpcPeeringConnection { scope, resource, vpc: props.vpc, peer_vpc: props.peer_vpc })
    }

    /// `Ref` (the connection's ID).
    pub fn peering_connection_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// Routes through the connection on both sides: in the route tables of the requester's
    /// `subnets` to the accepter's range, and of the accepter's `peer_subnets` back to the
    /// requester's (`RequesterRoute<n>`, `AccepterRoute<n>`). Traffic needs both directions.
    ///
    /// For an imported VPC declared with route tables and no subnets
    /// ([`VpcAttributes::route_table_ids`](super::VpcAttributes)), pass the default selection:
    /// its declared route tables get the routes.
    pub fn add_routes(&self, subnets: &SubnetSelection, peer_subnets: &SubnetSelection) -> Result<()> {
        let mine = self.tables(&self.vpc, subnets)?;
        let theirs = self.tables(&self.peer_vpc, peer_subnets)?;
        let (to_peer, to_me) = (self.range_of(&self.peer_vpc)?, self.range_of(&self.vpc)?);
        self.routes("RequesterRoute", mine, to_peer)?;
        self.routes("AccepterRoute", theirs, to_me)
    }

    /// A VPC's range as a route destination: an imported VPC's as the template gives it (the
    /// parameter deploy is given, whatever the program declared); a new VPC's as a literal (no
    /// reference to the other stack).
    fn range_of(&self, vpc: &Vpc) -> Result<Val<String>> {
        let model = vpc.model();
        match (model.imported, model.cidr, vpc.vpc_cidr_block()) {
            (false, Some(c), _) => Ok(c.to_string().into()),
            (_, _, Some(v)) => Ok(v),
            _ => Err(self.scope.error(format!(
                "VPC {} was imported without its IPv4 range, so no route can point at it; import it with VpcAttributes::new(id, range) or from_parameters",
                model.path
            ))),
        }
    }

    /// The distinct route tables of the selected subnets of `vpc`.
    fn tables(&self, vpc: &Vpc, selection: &SubnetSelection) -> Result<Vec<Val<String>>> {
        let model = vpc.model();
        if model.subnets.is_empty() && !model.route_tables.is_empty() && *selection == SubnetSelection::default() {
            return vpc.route_tables_of(&self.scope, &[]);
        }
        vpc.route_tables_of(&self.scope, &vpc.select_subnets_for(&self.scope, selection)?)
    }

    fn routes(&self, prefix: &str, tables: Vec<Val<String>>, destination: Val<String>) -> Result<()> {
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
