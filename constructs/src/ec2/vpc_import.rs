//! Importing an existing VPC (CDK's `Vpc.fromVpcAttributes`): the same [`Vpc`] handle a new VPC
//! gives, so every consumer takes either, carrying the facts the program declares (range, AZs,
//! subnets, route tables) and creating no resource.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Parameter, Result, Val};

use super::cidr::Ipv4Cidr;
use super::vpc::{SubnetRef, SubnetType, Vpc, VpcModel};

/// An existing subnet, as the program knows it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SubnetAttributes {
    /// Its id (a literal `subnet-...` or a parameter's value).
    pub subnet_id: Val<String>,
    /// Its availability zone (`ap-northeast-1a`, or a parameter's value), when known.
    pub availability_zone: Option<Val<String>>,
    /// Its route table, needed to add routes (peering) for it.
    pub route_table_id: Option<Val<String>>,
    /// Its IPv4 range, when known.
    pub ipv4_cidr_block: Option<String>,
}

impl SubnetAttributes {
    /// A subnet by id.
    pub fn new(subnet_id: impl Into<Val<String>>) -> Self {
        SubnetAttributes { subnet_id: subnet_id.into(), availability_zone: None, route_table_id: None, ipv4_cidr_block: None }
    }
    /// Sets its availability zone: subnets in one zone count as one for one-per-AZ choices,
    /// and checks compare zones.
    pub fn availability_zone(mut self, az: impl Into<Val<String>>) -> Self {
        self.availability_zone = Some(az.into());
        self
    }
    /// Sets its route table.
    pub fn route_table_id(mut self, id: impl Into<Val<String>>) -> Self {
        self.route_table_id = Some(id.into());
        self
    }
    setters! {
        /// Sets its IPv4 range.
        into ipv4_cidr_block: String;
    }
}

/// An existing VPC, as the program knows it (CDK's `VpcAttributes`).
///
/// ```
/// use ironcdk_constructs::ec2::{Vpc, VpcAttributes};
/// use ironcdk_synth::{App, Stack, Parameter, ParameterProps, ParameterType};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let id = Parameter::new(&stack, "ProdVpcId", ParameterProps::new(ParameterType::VpcId)).unwrap();
/// let cidr = Parameter::new(&stack, "ProdVpcCidr", ParameterProps::new(ParameterType::String)).unwrap();
/// cidr.known_value("10.0.0.0/16");
/// let table = Parameter::new(&stack, "ProdRouteTableId", ParameterProps::new(ParameterType::String)).unwrap();
/// let prod = Vpc::from_attributes(&stack, "ProdVpc", VpcAttributes::from_parameters(&id, &cidr)
///     .route_table_ids(vec![table.value_as_string()])).unwrap();
/// // Imported: no resource of its own, its id and block from the parameters.
/// assert!(prod.resource().is_none());
/// assert!(prod.vpc_cidr_block().is_some());
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VpcAttributes {
    /// The VPC's id.
    pub vpc_id: Val<String>,
    /// Its range as the template writes it (a literal or a parameter's value); none when the
    /// program does not use it.
    pub vpc_cidr_block: Option<Val<String>>,
    /// Its range, when the program knows it (peering refuses overlaps with it).
    pub known_cidr: Option<String>,
    /// Public subnets (group `Public`).
    pub public_subnets: Vec<SubnetAttributes>,
    /// Private subnets with egress (group `Private`).
    pub private_subnets: Vec<SubnetAttributes>,
    /// Isolated subnets (group `Isolated`).
    pub isolated_subnets: Vec<SubnetAttributes>,
    /// Route tables, when the program knows them and not their subnets (article 000 knows
    /// the production VPC's route table only).
    pub route_table_ids: Vec<Val<String>>,
}

impl VpcAttributes {
    /// A VPC by id and its literal range (`10.0.0.0/16`).
    pub fn new(vpc_id: impl Into<Val<String>>, cidr: &str) -> Self {
        Self::with(vpc_id.into(), Some(cidr.into()), Some(cidr.to_string()))
    }

    /// A VPC by id alone (article 001 knows no more). Its range is unknown: rules and routes
    /// naming it are refused, and checks that need it say they cannot verify.
    pub fn from_vpc_id(vpc_id: impl Into<Val<String>>) -> Self {
        Self::with(vpc_id.into(), None, None)
    }

    /// A VPC whose id and range are template parameters. The range is known when the program
    /// declared it with [`Parameter::known_value`] before this call; otherwise checks that need
    /// it say they cannot verify.
    pub fn from_parameters(vpc_id: &Parameter, cidr: &Parameter) -> Self {
        Self::with(vpc_id.value_as_string(), Some(cidr.value_as_string()), cidr.known())
    }

    fn with(vpc_id: Val<String>, vpc_cidr_block: Option<Val<String>>, known_cidr: Option<String>) -> Self {
        VpcAttributes {
            vpc_id,
            vpc_cidr_block,
            known_cidr,
            public_subnets: Vec::new(),
            private_subnets: Vec::new(),
            isolated_subnets: Vec::new(),
            route_table_ids: Vec::new(),
        }
    }

    setters! {
        /// Sets the public subnets.
        set public_subnets: Vec<SubnetAttributes>;
        /// Sets the private subnets (with egress).
        set private_subnets: Vec<SubnetAttributes>;
        /// Sets the isolated subnets.
        set isolated_subnets: Vec<SubnetAttributes>;
        /// Sets route tables known without their subnets.
        set route_table_ids: Vec<Val<String>>;
    }
}

impl Vpc {
    /// Imports an existing VPC. Nothing is created; the handle gives its id, range, subnets and
    /// route tables to every construct that takes a [`Vpc`].
    pub fn from_attributes(scope: &impl AsScope, id: &str, attrs: VpcAttributes) -> Result<Vpc> {
        let scope = scope.scope().child(id, "ironcdk.ec2.ImportedVpc")?;
        let path = scope.path();
        check_id(&scope, "a VPC", "vpc-", &attrs.vpc_id)?;
        for t in &attrs.route_table_ids {
            check_id(&scope, "a route table", "rtb-", t)?;
        }
        let cidr = match &attrs.known_cidr {
            Some(text) => Some(text.parse::<Ipv4Cidr>().map_err(|e| scope.error(format!("imported VPC range: {e}")))?),
            None => None,
        };
        let mut azs: Vec<Val<String>> = Vec::new();
        let mut unknown_zones = 0usize;
        let mut subnets: Vec<SubnetRef> = Vec::new();
        let groups = [
            ("Public", SubnetType::Public, &attrs.public_subnets),
            ("Private", SubnetType::PrivateWithEgress, &attrs.private_subnets),
            ("Isolated", SubnetType::PrivateIsolated, &attrs.isolated_subnets),
        ];
        for (group, subnet_type, list) in groups {
            for (n, s) in list.iter().enumerate() {
                let sscope = scope.child(&format!("{group}Subnet{}", n.saturating_add(1)), "ironcdk.ec2.ImportedSubnet")?;
                let err = |m: String| sscope.error(m);
                if s.availability_zone.as_ref().and_then(|a| a.as_value().as_str()).is_some_and(|a| a.trim().is_empty()) {
                    return Err(err("an imported subnet needs its availability zone (such as 'ap-northeast-1a')".into()));
                }
                if subnets.iter().any(|o| o.subnet_id.as_value() == s.subnet_id.as_value()) {
                    return Err(err(format!("subnet {} is imported twice; list each subnet once", s.subnet_id.as_value().as_str().unwrap_or("(token)"))));
                }
                check_id(&sscope, "a subnet", "subnet-", &s.subnet_id)?;
                if let Some(t) = &s.route_table_id {
                    check_id(&sscope, "a route table", "rtb-", t)?;
                }
                let sub_cidr = match &s.ipv4_cidr_block {
                    Some(text) => Some(text.parse::<Ipv4Cidr>().map_err(|e| err(format!("subnet range: {e}")))?),
                    None => None,
                };
                if let (Some(vpc), Some(sub)) = (cidr, sub_cidr) {
                    if !vpc.contains(sub) {
                        return Err(err(format!("subnet range {sub} is outside the VPC's range {vpc}")));
                    }
                }
                let az_index = match &s.availability_zone {
                    Some(az) => match azs.iter().position(|a| a.as_value() == az.as_value()) {
                        Some(i) => i,
                        None => {
                            azs.push(az.clone());
                            azs.len().saturating_sub(1)
                        }
                    },
                    // Unknown: a zone of its own, after every known one.
                    None => {
                        unknown_zones = unknown_zones.saturating_add(1);
                        usize::MAX.saturating_sub(unknown_zones)
                    }
                };
                subnets.push(SubnetRef {
                    path: sscope.path(),
                    group_name: group.to_string(),
                    subnet_type,
                    az_index,
                    availability_zone: s.availability_zone.clone(),
                    cidr: sub_cidr,
                    subnet_id: s.subnet_id.clone(),
                    route_table_id: s.route_table_id.clone(),
                    nat_index: None,
                });
            }
        }
        let model = Rc::new(VpcModel {
            path,
            cidr,
            imported: true,
            route_tables: attrs.route_table_ids.clone(),
            subnets,
            // Not known; assumed on (AWS's default for DNS support, and what endpoints with
            // private DNS need), rather than refusing what may work.
            dns_enabled: true,
            endpoints: RefCell::new(Vec::new()),
            peerings: RefCell::new(Vec::new()),
        });
        Ok(Vpc { scope, resource: None, vpc_id: attrs.vpc_id, cidr_block: attrs.vpc_cidr_block, model, internet_routes: Default::default() })
    }
}

/// A literal id must look like one of its kind: the prefix, then 8 or 17 lowercase hex digits
/// (`vpc-0a1b2c3d`, `subnet-0123456789abcdef0`), as EC2 writes its ids. A parameter's value is
/// checked by CloudFormation at deploy.
pub(crate) fn check_id(scope: &ironcdk_synth::Scope, what: &str, prefix: &str, id: &Val<String>) -> Result<()> {
    match id.as_value().as_str() {
        Some(text) if !is_ec2_id(text, prefix) => Err(scope.error(format!(
            "'{text}' is not {what} id ({prefix} then 8 or 17 lowercase hex digits, such as {prefix}0123456789abcdef0); give the id EC2 shows, or a parameter"
        ))),
        _ => Ok(()),
    }
}

/// Whether `text` is an EC2 id of this prefix.
fn is_ec2_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|rest| matches!(rest.len(), 8 | 17) && rest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}
