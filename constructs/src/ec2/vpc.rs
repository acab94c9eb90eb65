//! `Vpc`: a VPC with subnets, route tables and (only when asked for) NAT gateways.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Result, Scope, Tag, Val};

use super::cidr::{allocate, Ipv4Cidr};
use super::endpoint::EndpointModel;
use super::generated::*;

/// What a subnet can reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubnetType {
    /// Routes to an internet gateway; instances can have public IPs.
    Public,
    /// Routes outbound traffic through a NAT gateway (which you must ask for and pay for).
    PrivateWithEgress,
    /// No route out of the VPC: AWS services are reached through VPC endpoints.
    PrivateIsolated,
}

impl SubnetType {
    /// CDK's label (used in the `aws-cdk:subnet-type` tag).
    pub fn label(self) -> &'static str {
        match self {
            SubnetType::Public => "Public",
            SubnetType::PrivateWithEgress => "Private",
            SubnetType::PrivateIsolated => "Isolated",
        }
    }
}

/// One group of subnets, one subnet per availability zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubnetConfiguration {
    /// Group name; subnets get ids `<name>Subnet1`, `<name>Subnet2`, ...
    pub name: String,
    /// What the subnets can reach.
    pub subnet_type: SubnetType,
    /// Prefix length of each subnet; without it the group shares the space left evenly.
    pub cidr_mask: Option<u8>,
}

impl SubnetConfiguration {
    /// A group with no fixed mask.
    pub fn new(name: impl Into<String>, subnet_type: SubnetType) -> Self {
        SubnetConfiguration { name: name.into(), subnet_type, cidr_mask: None }
    }
    /// Fixes the prefix length of each subnet (16 to 28).
    pub fn cidr_mask(mut self, mask: u8) -> Self {
        self.cidr_mask = Some(mask);
        self
    }
}

/// Options of a [`Vpc`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VpcProps {
    /// The VPC's IPv4 range (default `10.0.0.0/16`).
    pub ip_addresses: String,
    /// At most this many availability zones (default 3; an environment-agnostic stack has 2).
    pub max_azs: usize,
    /// NAT gateways to create. **Default 0**: CDK's default of one per AZ is its most
    /// complained-about bill, so here NAT is only created when you ask for a number.
    pub nat_gateways: u32,
    /// Subnet groups. Default, as CDK's: a `Public` and an `Isolated` group, or with NAT
    /// gateways asked for, a `Public` and a `Private` (with egress) group.
    pub subnet_configuration: Vec<SubnetConfiguration>,
    /// DNS hostnames (default on; interface endpoints with private DNS need it).
    pub enable_dns_hostnames: bool,
    /// DNS resolution (default on).
    pub enable_dns_support: bool,
    /// Whether `subnet_configuration` was set through its setter (then it is used as given).
    subnets_given: bool,
}

impl Default for VpcProps {
    fn default() -> Self {
        VpcProps {
            ip_addresses: "10.0.0.0/16".into(),
            max_azs: 3,
            nat_gateways: 0,
            subnet_configuration: vec![
                SubnetConfiguration::new("Public", SubnetType::Public),
                SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated),
            ],
            enable_dns_hostnames: true,
            enable_dns_support: true,
            subnets_given: false,
        }
    }
}

impl VpcProps {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the IPv4 range.
    pub fn ip_addresses(mut self, cidr: impl Into<String>) -> Self {
        self.ip_addresses = cidr.into();
        self
    }
    /// Sets the subnet groups.
    pub fn subnet_configuration(mut self, groups: Vec<SubnetConfiguration>) -> Self {
        self.subnet_configuration = groups;
        self.subnets_given = true;
        self
    }
    /// The subnet groups a VPC is made with: as given, or CDK's default for the NAT gateways
    /// asked for (`Public` and `Private` with egress when there are any).
    fn subnet_groups(&self) -> Vec<SubnetConfiguration> {
        if self.nat_gateways > 0 && !self.subnets_given && self.subnet_configuration == VpcProps::default().subnet_configuration {
            vec![SubnetConfiguration::new("Public", SubnetType::Public), SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress)]
        } else {
            self.subnet_configuration.clone()
        }
    }
    setters! {
        /// Sets the maximum number of AZs.
        set max_azs: usize;
        /// Sets the number of NAT gateways.
        set nat_gateways: u32;
        /// Turns DNS hostnames on or off.
        set enable_dns_hostnames: bool;
        /// Turns DNS resolution on or off.
        set enable_dns_support: bool;
    }
}

/// One subnet of a VPC, as the model keeps it (for selection, checks and cost).
#[derive(Clone, Debug)]
pub struct SubnetRef {
    /// Construct path of the subnet.
    pub path: String,
    /// Group name.
    pub group_name: String,
    /// Subnet type.
    pub subnet_type: SubnetType,
    /// Index of its availability zone among the VPC's (for an imported subnet of unknown
    /// zone, an index of its own).
    pub az_index: usize,
    /// Its availability zone (a literal, or `Fn::Select` over `Fn::GetAZs`; unknown for an
    /// imported subnet declared without it).
    pub availability_zone: Option<Val<String>>,
    /// Its IPv4 block (unknown for an imported subnet declared without one).
    pub cidr: Option<Ipv4Cidr>,
    /// `Ref` of the subnet (or the imported subnet's id).
    pub subnet_id: Val<String>,
    /// `Ref` of its route table (unknown for an imported subnet declared without one).
    pub route_table_id: Option<Val<String>>,
    /// Index of the NAT gateway its default route uses, if any.
    pub nat_index: Option<usize>,
}

/// Which subnets a construct goes into.
///
/// ```
/// use ironcdk_constructs::ec2::{SubnetSelection, SubnetType};
/// let isolated = SubnetSelection::of_type(SubnetType::PrivateIsolated);
/// let web = SubnetSelection::group("Web").one_per_az();
/// # let _ = (isolated, web);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubnetSelection {
    /// Select by type.
    pub subnet_type: Option<SubnetType>,
    /// Select by group name.
    pub group_name: Option<String>,
    /// Keep at most one subnet per AZ.
    pub one_per_az: bool,
    /// Exactly these subnets, by construct path (CDK's `subnets`); empty: no such filter.
    pub subnet_paths: Vec<String>,
}

impl SubnetSelection {
    /// The selection in words, for messages: `type Private (with egress)`, `group 'App'`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(t) = self.subnet_type {
            parts.push(match t {
                SubnetType::PrivateWithEgress => "type Private (with egress)".to_string(),
                other => format!("type {}", other.label()),
            });
        }
        if let Some(g) = &self.group_name {
            parts.push(format!("group '{g}'"));
        }
        if !self.subnet_paths.is_empty() {
            parts.push(format!("subnets {}", self.subnet_paths.join(", ")));
        }
        if self.one_per_az {
            parts.push("one per AZ".to_string());
        }
        if parts.is_empty() {
            "the default: private subnets, else isolated, else public".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// The subnets of one type.
    pub fn of_type(t: SubnetType) -> Self {
        SubnetSelection { subnet_type: Some(t), ..Default::default() }
    }
    /// The subnets of one group.
    pub fn group(name: impl Into<String>) -> Self {
        SubnetSelection { group_name: Some(name.into()), ..Default::default() }
    }
    /// Exactly these subnets (of the VPC the selection is used on).
    pub fn subnets<'a>(subnets: impl IntoIterator<Item = &'a SubnetRef>) -> Self {
        SubnetSelection { subnet_paths: subnets.into_iter().map(|s| s.path.clone()).collect(), ..Default::default() }
    }
    /// Keeps at most one subnet per AZ.
    pub fn one_per_az(mut self) -> Self {
        self.one_per_az = true;
        self
    }
}

/// What the constructs placed in a VPC ask of it: its range, subnets, endpoints and peerings
/// (the checks and the cost report read the template).
#[derive(Debug)]
pub(crate) struct VpcModel {
    /// Construct path.
    pub path: String,
    /// The VPC's range (unknown for an imported VPC whose range is a parameter without a
    /// declared value).
    pub cidr: Option<Ipv4Cidr>,
    /// Imported: it exists outside this app, and nothing here creates or changes it.
    pub imported: bool,
    /// Route tables of an imported VPC declared without their subnets
    /// ([`VpcAttributes::route_table_ids`](super::VpcAttributes::route_table_ids)).
    pub route_tables: Vec<Val<String>>,
    /// Every subnet.
    pub subnets: Vec<SubnetRef>,
    /// DNS hostnames and support both on.
    pub dns_enabled: bool,
    /// VPC endpoints added so far.
    pub endpoints: RefCell<Vec<EndpointModel>>,
    /// Peering connections to other VPCs, by the other VPC's path: a security group rule
    /// naming a group of a peered VPC waits for the connection.
    pub peerings: RefCell<Vec<(String, Scope)>>,
}

impl VpcModel {
    /// The peering connection between this VPC and the VPC at `other` (a construct path),
    /// if there is one.
    pub fn peering_with(&self, other: &str) -> Option<Scope> {
        self.peerings.borrow().iter().find(|(path, _)| path == other).map(|(_, s)| s.clone())
    }
}

/// A VPC: subnets in each AZ with their route tables, an internet gateway when there are public
/// subnets, and NAT gateways only when asked for.
///
/// ```
/// use ironcdk_constructs::ec2::{Vpc, VpcProps, SubnetConfiguration, SubnetSelection, SubnetType};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Net").unwrap();
/// let vpc = Vpc::new(&stack, "VPC", VpcProps::new()
///     .ip_addresses("10.0.0.0/16")
///     .subnet_configuration(vec![
///         SubnetConfiguration::new("Isolated", SubnetType::PrivateIsolated).cidr_mask(19)])).unwrap();
/// let isolated = vpc.select_subnets(&SubnetSelection::of_type(SubnetType::PrivateIsolated)).unwrap();
/// assert_eq!(isolated.len(), 2);
/// // Isolated subnets only: no NAT gateway.
/// let template = app.synth_in_memory().unwrap().stack("Net").unwrap().template();
/// let nats = template["Resources"].as_object().unwrap().values().filter(|r| r["Type"] == "AWS::EC2::NatGateway").count();
/// assert_eq!(nats, 0);
/// ```
#[derive(Clone)]
pub struct Vpc {
    pub(super) scope: Scope,
    pub(super) resource: Option<CfnVpc>,
    pub(super) vpc_id: Val<String>,
    pub(super) cidr_block: Option<Val<String>>,
    pub(super) model: Rc<VpcModel>,
    /// Each public subnet's default route to the internet gateway, by subnet path.
    /// (Shared: handles are cloned into every construct placed in the VPC.)
    pub(super) internet_routes: Rc<Vec<(String, Vec<Scope>)>>,
}

impl AsScope for Vpc {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Vpc {
    /// Creates the VPC.
    pub fn new(scope: &impl AsScope, id: &str, mut props: VpcProps) -> Result<Vpc> {
        props.subnet_configuration = props.subnet_groups();
        let scope = scope.scope().child(id, "ironcdk.ec2.Vpc")?;
        let path = scope.path();
        let err = |m: String| ironcdk_synth::Error::validation(path.clone(), m);
        let cidr: Ipv4Cidr = props.ip_addresses.parse().map_err(|e: String| err(e))?;
        if !(16..=28).contains(&cidr.prefix()) {
            return Err(err(format!("VPC range {cidr} must have a prefix between /16 and /28")));
        }
        if props.subnet_configuration.is_empty() {
            return Err(err("a VPC needs at least one subnet configuration".into()));
        }
        for (i, g) in props.subnet_configuration.iter().enumerate() {
            if props.subnet_configuration.iter().take(i).any(|o| o.name == g.name) {
                return Err(err(format!("subnet group name '{}' is used twice; give each group its own name", g.name)));
            }
        }
        if props.max_azs == 0 {
            return Err(err("max_azs must be at least 1".into()));
        }
        let has_public = props.subnet_configuration.iter().any(|g| g.subnet_type == SubnetType::Public);
        let egress_group = props.subnet_configuration.iter().find(|g| g.subnet_type == SubnetType::PrivateWithEgress);
        if let Some(g) = egress_group {
            if props.nat_gateways == 0 {
                return Err(err(format!(
                    "subnet group '{}' is PrivateWithEgress but nat_gateways is 0, so it would have no route out; \
                     either set nat_gateways(n) (each NAT gateway is billed per hour and per GB, about $32/month before traffic) \
                     or make the group SubnetType::PrivateIsolated and reach AWS services through VPC endpoints",
                    g.name
                )));
            }
        }
        if props.nat_gateways > 0 && !has_public {
            return Err(err("NAT gateways live in public subnets; add a Public subnet group or set nat_gateways(0)".into()));
        }
        if props.nat_gateways > 0 && egress_group.is_none() {
            return Err(err(format!(
                "nat_gateways is {} but no subnet group is PrivateWithEgress, so nothing would use them; set nat_gateways(0)",
                props.nat_gateways
            )));
        }
        // As CDK's `Tags.of(vpc).add('Name', path)`: every taggable resource under the VPC
        // (gateway, endpoints and their groups) is named after it, subnets after themselves.
        scope.add_tag("Name", path.as_str());
        let azs = scope.availability_zones(props.max_azs);
        let nat_count = (props.nat_gateways as usize).min(azs.len());

        let masks: Vec<Option<u8>> = props
            .subnet_configuration
            .iter()
            .flat_map(|g| std::iter::repeat_n(g.cidr_mask, azs.len()))
            .collect();
        let blocks = allocate(cidr, &masks).map_err(err)?;

        let resource = CfnVpc::new(
            &scope,
            "Resource",
            CfnVpcProps::new()
                .cidr_block(cidr.to_string())
                .enable_dns_hostnames(props.enable_dns_hostnames)
                .enable_dns_support(props.enable_dns_support)
                .instance_tenancy(cfn_vpc::VpcInstanceTenancy::Default),
        )?;
        let mut internet_routes: Vec<(String, Vec<Scope>)> = Vec::new();
        let (igw, igw_attachment) = if has_public {
            let igw = CfnInternetGateway::new(&scope, "IGW", CfnInternetGatewayProps::new())?;
            let att = CfnVpcGatewayAttachment::new(
                &scope,
                "VPCGW",
                CfnVpcGatewayAttachmentProps::new(resource.ref_()).internet_gateway_id(igw.ref_()),
            )?;
            (Some(igw), Some(att))
        } else {
            (None, None)
        };

        let mut subnets = Vec::new();
        let mut nat_ids: Vec<Val<String>> = Vec::new();
        // Blocks come in configuration order, one per AZ; build public groups first so NAT
        // gateways exist before private routes point at them.
        let mut groups: Vec<(&SubnetConfiguration, &[Ipv4Cidr])> = props.subnet_configuration.iter().zip(blocks.chunks(azs.len())).collect();
        groups.sort_by_key(|(g, _)| g.subnet_type != SubnetType::Public);
        let mut public_count = 0usize;
        for (g, cidrs) in groups {
            for (az_index, (az, sub_cidr)) in azs.iter().zip(cidrs).enumerate() {
                let sid = format!("{}Subnet{}", g.name, az_index.saturating_add(1));
                let sscope = scope.child(&sid, "ironcdk.ec2.Subnet")?;
                let spath = sscope.path();
                sscope.add_tag("Name", spath.as_str());
                let tags = vec![
                    Tag::new("aws-cdk:subnet-name", g.name.as_str()),
                    Tag::new("aws-cdk:subnet-type", g.subnet_type.label()),
                ];
                let subnet = CfnSubnet::new(
                    &sscope,
                    "Subnet",
                    CfnSubnetProps::new(resource.ref_())
                        .availability_zone(az.clone())
                        .cidr_block(sub_cidr.to_string())
                        .map_public_ip_on_launch(g.subnet_type == SubnetType::Public)
                        .tags(tags),
                )?;
                let rt = CfnRouteTable::new(&sscope, "RouteTable", CfnRouteTableProps::new(resource.ref_()))?;
                let association = CfnSubnetRouteTableAssociation::new(
                    &sscope,
                    "RouteTableAssociation",
                    CfnSubnetRouteTableAssociationProps::new(rt.ref_(), subnet.ref_()),
                )?;
                let mut nat_index = None;
                match g.subnet_type {
                    SubnetType::Public => {
                        // A public subnet implies the internet gateway and its attachment.
                        let (Some(igw), Some(att)) = (&igw, &igw_attachment) else {
                            return Err(sscope.error("internal: a public subnet without an internet gateway"));
                        };
                        let route = CfnRoute::new(
                            &sscope,
                            "DefaultRoute",
                            CfnRouteProps::new(rt.ref_()).destination_cidr_block("0.0.0.0/0").gateway_id(igw.ref_()),
                        )?;
                        route.add_depends_on(att)?;
                        // CDK's `internetConnectivityEstablished`: the default route and the
                        // route table's association, which NAT gateways and internet-facing
                        // load balancers wait for.
                        internet_routes.push((spath.clone(), vec![route.scope(), association.scope()]));
                        if public_count < nat_count {
                            let eip = CfnEip::new(&sscope, "EIP", CfnEipProps::new().domain("vpc"))?;
                            let nat = CfnNatGateway::new(
                                &sscope,
                                "NATGateway",
                                CfnNatGatewayProps::new()
                                    .allocation_id(eip.attr_allocation_id())
                                    .subnet_id(subnet.ref_()),
                            )?;
                            nat.add_depends_on(&route)?;
                            nat.add_depends_on(&association)?;
                            nat_ids.push(nat.ref_());
                        }
                        public_count = public_count.saturating_add(1);
                    }
                    SubnetType::PrivateWithEgress => {
                        let i = az_index.checked_rem(nat_ids.len()).unwrap_or(0);
                        let mut connectivity = vec![association.scope()];
                        if let Some(nat) = nat_ids.get(i) {
                            let route = CfnRoute::new(
                                &sscope,
                                "DefaultRoute",
                                CfnRouteProps::new(rt.ref_()).destination_cidr_block("0.0.0.0/0").nat_gateway_id(nat.clone()),
                            )?;
                            connectivity.push(route.scope());
                            nat_index = Some(i);
                        }
                        internet_routes.push((spath.clone(), connectivity));
                    }
                    // CDK's connectivity of an isolated subnet: its route table's association.
                    SubnetType::PrivateIsolated => internet_routes.push((spath.clone(), vec![association.scope()])),
                }
                subnets.push(SubnetRef {
                    path: spath,
                    group_name: g.name.clone(),
                    subnet_type: g.subnet_type,
                    az_index,
                    availability_zone: Some(az.clone()),
                    cidr: Some(*sub_cidr),
                    subnet_id: subnet.ref_(),
                    route_table_id: Some(rt.ref_()),
                    nat_index,
                });
            }
        }
        // Keep subnets in configuration order (as CDK lists them), whatever the build order.
        subnets.sort_by_key(|s| {
            (props.subnet_configuration.iter().position(|g| g.name == s.group_name).unwrap_or(0), s.az_index)
        });
        let model = Rc::new(VpcModel {
            path,
            cidr: Some(cidr),
            imported: false,
            route_tables: Vec::new(),
            subnets,
            dns_enabled: props.enable_dns_hostnames && props.enable_dns_support,
            endpoints: RefCell::new(Vec::new()),
            peerings: RefCell::new(Vec::new()),
        });
        let (vpc_id, cidr_block) = (resource.ref_(), resource.get_att("CidrBlock"));
        Ok(Vpc { scope, resource: Some(resource), vpc_id, cidr_block: Some(cidr_block), model, internet_routes: Rc::new(internet_routes) })
    }

    /// The model: subnets, AZs, endpoints, NAT gateways.
    pub(crate) fn model(&self) -> &Rc<VpcModel> {
        &self.model
    }

    /// The L1 resource (none for an imported VPC).
    pub fn resource(&self) -> Option<&CfnVpc> {
        self.resource.as_ref()
    }

    /// `Ref` of the VPC, or the imported VPC's id.
    pub fn vpc_id(&self) -> Val<String> {
        self.vpc_id.clone()
    }

    /// The VPC's range: `Fn::GetAtt VPC.CidrBlock` (as CDK renders it), or the imported
    /// VPC's declared range (none if it was imported without one).
    pub fn vpc_cidr_block(&self) -> Option<Val<String>> {
        self.cidr_block.clone()
    }

    /// The default internet routes of `subnets` and their route tables' associations (CDK's
    /// `internetConnectivityEstablished`), for resources that must wait for them, such as an
    /// internet-facing load balancer.
    pub fn internet_connectivity(&self, subnets: &[SubnetRef]) -> Vec<&Scope> {
        self.internet_routes.iter().filter(|(path, _)| subnets.iter().any(|s| s.path == *path)).flat_map(|(_, r)| r).collect()
    }

    /// The distinct route tables of `subnets`, for routes `requester` adds there (peering,
    /// gateway endpoints); with no subnets, the route tables an imported VPC declared alone.
    /// An imported subnet declared without its route table is an error naming `requester`.
    pub fn route_tables_of(&self, requester: &impl AsScope, subnets: &[SubnetRef]) -> Result<Vec<Val<String>>> {
        if subnets.is_empty() {
            return Ok(self.model.route_tables.clone());
        }
        let mut tables: Vec<Val<String>> = Vec::new();
        for s in subnets {
            let Some(table) = &s.route_table_id else {
                return Err(requester.scope().error(format!(
                    "imported subnet {} has no route table id, so no route can be added for it; declare it with SubnetAttributes::route_table_id",
                    s.path
                )));
            };
            if !tables.iter().any(|t| t.as_value() == table.as_value()) {
                tables.push(table.clone());
            }
        }
        Ok(tables)
    }

    /// The subnets a selection picks. With no type or group, CDK's default applies: private
    /// with egress if there are any, else isolated, else public.
    pub fn select_subnets(&self, selection: &SubnetSelection) -> Result<Vec<SubnetRef>> {
        self.select_subnets_for(&self.scope, selection)
    }

    /// The subnets matching `selection`; when none match, the error names `requester` (the
    /// load balancer, endpoint or service that made the selection) and this VPC's groups.
    pub fn select_subnets_for(&self, requester: &impl AsScope, selection: &SubnetSelection) -> Result<Vec<SubnetRef>> {
        Ok(self.selected(requester, selection)?.into_iter().cloned().collect())
    }

    /// [`Vpc::select_subnets_for`], the subnets borrowed (for a construct that reads one or two
    /// of their fields).
    pub(crate) fn selected(&self, requester: &impl AsScope, selection: &SubnetSelection) -> Result<Vec<&SubnetRef>> {
        let all = &self.model.subnets;
        if let Some(stranger) = selection.subnet_paths.iter().find(|p| !all.iter().any(|s| s.path == **p)) {
            return Err(requester.scope().error(format!("subnet {stranger} is not a subnet of VPC {}", self.scope.path())));
        }
        let wanted_type = match (&selection.group_name, selection.subnet_type) {
            (Some(_), t) => t,
            (None, None) if !selection.subnet_paths.is_empty() => None,
            (None, Some(t)) => Some(t),
            (None, None) => [SubnetType::PrivateWithEgress, SubnetType::PrivateIsolated, SubnetType::Public]
                .into_iter()
                .find(|t| all.iter().any(|s| s.subnet_type == *t)),
        };
        let mut picked: Vec<&SubnetRef> = all
            .iter()
            .filter(|s| wanted_type.is_none_or(|t| s.subnet_type == t))
            .filter(|s| selection.group_name.as_ref().is_none_or(|g| *g == s.group_name))
            .filter(|s| selection.subnet_paths.is_empty() || selection.subnet_paths.contains(&s.path))
            .collect();
        if selection.one_per_az {
            let mut seen = Vec::new();
            picked.retain(|s| {
                let fresh = !seen.contains(&s.az_index);
                seen.push(s.az_index);
                fresh
            });
        }
        if picked.is_empty() {
            let groups: Vec<String> = self
                .model
                .subnets
                .iter()
                .map(|s| format!("'{}' ({})", s.group_name, s.subnet_type.label()))
                .fold(Vec::new(), |mut v, g| {
                    if !v.contains(&g) {
                        v.push(g)
                    }
                    v
                });
            return Err(requester.scope().error(format!(
                "no subnets of VPC {} match the selection ({}); the VPC has the groups {}. Select one of those, or add the subnet group to the VPC",
                self.scope.path(),
                selection.describe(),
                groups.join(", ")
            )));
        }
        Ok(picked)
    }
}

