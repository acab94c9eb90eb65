//! `SecurityGroup` with typed `Peer` and `Port` rules, and `Connections` between constructs.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::cfn_security_group::{Egress, Ingress};
use super::generated::*;
use super::vpc::Vpc;

/// Where traffic comes from or goes to.
#[derive(Clone, Debug, PartialEq)]
pub enum Peer {
    /// An IPv4 range (a literal or a token such as a VPC's `CidrBlock`).
    Ipv4 {
        /// The range.
        cidr: Val<String>,
        /// How it reads in rule descriptions.
        label: String,
    },
    /// Another security group.
    SecurityGroup(SecurityGroupRef),
    /// The range of a VPC imported without it: refused when a rule is added, since the
    /// template would have nothing to write.
    UnknownRange {
        /// The VPC's construct path.
        vpc: String,
    },
}

/// The identity of a security group, enough to write a rule that names it.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityGroupRef {
    /// Construct path.
    pub path: String,
    /// `Fn::GetAtt GroupId`.
    pub group_id: Val<String>,
    /// Logical-ID-like unique name (CDK's `uniqueId`), used in rule construct ids.
    pub unique_id: String,
    /// The construct path of its VPC, when known.
    pub vpc_path: Option<String>,
}

impl Peer {
    /// `0.0.0.0/0`.
    pub fn any_ipv4() -> Peer {
        Peer::Ipv4 { cidr: "0.0.0.0/0".into(), label: "0.0.0.0/0".into() }
    }
    /// A literal IPv4 range; checked when the rule is added.
    pub fn ipv4(cidr: &str) -> Peer {
        Peer::Ipv4 { cidr: cidr.into(), label: cidr.to_string() }
    }
    /// A VPC's whole range.
    pub fn vpc_cidr(vpc: &Vpc) -> Peer {
        match vpc.vpc_cidr_block() {
            Some(cidr) => Peer::Ipv4 { cidr, label: crate::small::concat(&[&vpc.model().path, " CIDR"]) },
            None => Peer::UnknownRange { vpc: vpc.model().path.clone() },
        }
    }
    /// Another security group.
    pub fn security_group(sg: &SecurityGroup) -> Peer {
        Peer::SecurityGroup(sg.reference())
    }
    fn label(&self) -> String {
        match self {
            Peer::Ipv4 { label, .. } => label.clone(),
            Peer::SecurityGroup(r) => r.unique_id.clone(),
            Peer::UnknownRange { vpc } => format!("{vpc} CIDR"),
        }
    }
}

/// A protocol and port range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Port {
    /// `tcp`, `udp`, `icmp` or `-1` (all).
    pub protocol: &'static str,
    /// First port (-1 for all).
    pub from: i32,
    /// Last port (-1 for all).
    pub to: i32,
}

impl Port {
    /// One TCP port.
    pub const fn tcp(port: u16) -> Port {
        Port { protocol: "tcp", from: port as i32, to: port as i32 }
    }
    /// A TCP port range.
    pub const fn tcp_range(from: u16, to: u16) -> Port {
        Port { protocol: "tcp", from: from as i32, to: to as i32 }
    }
    /// Every TCP port.
    pub const fn all_tcp() -> Port {
        Port { protocol: "tcp", from: 0, to: 65535 }
    }
    /// One UDP port.
    pub const fn udp(port: u16) -> Port {
        Port { protocol: "udp", from: port as i32, to: port as i32 }
    }
    /// All protocols and ports.
    pub const fn all_traffic() -> Port {
        Port { protocol: "-1", from: -1, to: -1 }
    }
    /// Whether this port range includes `port` over TCP.
    pub fn admits_tcp(&self, port: u16) -> bool {
        self.protocol == "-1" || (self.protocol == "tcp" && self.from <= i32::from(port) && i32::from(port) <= self.to)
    }
    /// CDK's `Port.toString()`: `443`, `1024-2048`, `ALL PORTS`, `UDP 53`, `ALL TRAFFIC`.
    fn label(&self) -> String {
        let prefix = if self.protocol == "udp" { "UDP " } else { "" };
        match (self.protocol, self.from, self.to) {
            ("-1", _, _) => "ALL TRAFFIC".into(),
            ("tcp" | "udp", 0, 65535) => format!("{prefix}ALL PORTS"),
            (_, a, b) if a == b => crate::small::concat(&[prefix, &a.to_string()]),
            (_, a, b) => format!("{prefix}{a}-{b}"),
        }
    }
}

/// One rule of a security group.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The other side.
    pub peer: Peer,
    /// Protocol and ports.
    pub port: Port,
    /// Description (CDK's default is `from <peer>:<ports>`, with a computed range as the
    /// template computes it).
    pub description: Val<String>,
}

/// A security group's rules and outbound policy, from which its template entries are made.
#[derive(Debug)]
pub(crate) struct SecurityGroupModel {
    /// Construct path.
    pub path: String,
    /// Inbound rules.
    pub ingress: RefCell<Vec<Rule>>,
    /// Outbound rules.
    pub egress: RefCell<Vec<Rule>>,
    /// Whether all outbound traffic is allowed.
    pub allow_all_outbound: bool,
}

/// Options of a [`SecurityGroup`].
#[derive(Clone)]
#[non_exhaustive]
pub struct SecurityGroupProps {
    /// The VPC.
    pub vpc: Vpc,
    /// Physical name (default: generated by CloudFormation).
    pub security_group_name: Option<String>,
    /// Description (default: the construct path).
    pub description: Option<String>,
    /// Allow all outbound traffic (default true).
    pub allow_all_outbound: bool,
}

impl SecurityGroupProps {
    /// A group in `vpc` allowing all outbound traffic.
    pub fn new(vpc: &Vpc) -> Self {
        SecurityGroupProps { vpc: vpc.clone(), security_group_name: None, description: None, allow_all_outbound: true }
    }
    setters! {
        /// Sets the physical name.
        into security_group_name: String;
        /// Sets the description.
        into description: String;
        /// Allows or blocks all outbound traffic.
        set allow_all_outbound: bool;
    }
}

/// A security group. Rules to IP ranges are inline; rules naming another group become separate
/// `SecurityGroupIngress`/`Egress` resources, as in CDK, so groups can reference each other.
///
/// ```
/// use ironcdk_constructs::ec2::{Vpc, VpcProps, SecurityGroup, SecurityGroupProps, Peer, Port};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Net").unwrap();
/// let vpc = Vpc::new(&stack, "VPC", VpcProps::new()).unwrap();
/// let sg = SecurityGroup::new(&stack, "Web", SecurityGroupProps::new(&vpc)).unwrap();
/// sg.add_ingress_rule(Peer::any_ipv4(), Port::tcp(443), None).unwrap();
/// let template = app.synth_in_memory().unwrap().stack("Net").unwrap().template();
/// let group = template["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::EC2::SecurityGroup").unwrap();
/// assert_eq!(group["Properties"]["SecurityGroupIngress"][0]["FromPort"], 443);
/// ```
#[derive(Clone)]
pub struct SecurityGroup {
    scope: Scope,
    /// None for an imported group.
    resource: Option<CfnSecurityGroup>,
    group_id: Val<String>,
    model: Rc<SecurityGroupModel>,
    vpc: Option<Vpc>,
}

/// Options of an imported security group ([`SecurityGroup::from_security_group_id`]).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct SecurityGroupImportProps {
    /// Its VPC, when known: rules naming groups of other VPCs are then checked for peering.
    pub vpc: Option<Vpc>,
    /// Whether it already allows all outbound traffic (default true, as CDK assumes): if so,
    /// no egress rules are added to it.
    pub allow_all_outbound: Option<bool>,
}

impl SecurityGroupImportProps {
    /// Defaults: VPC unknown, all outbound traffic allowed.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets its VPC.
        cloned vpc: Vpc;
        /// Says whether it allows all outbound traffic.
        some allow_all_outbound: bool;
    }
}

impl AsScope for SecurityGroup {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl SecurityGroup {
    /// Creates the group.
    pub fn new(scope: &impl AsScope, id: &str, props: SecurityGroupProps) -> Result<SecurityGroup> {
        let scope = scope.scope().child(id, "ironcdk.ec2.SecurityGroup")?;
        let path = scope.path();
        if let Some(name) = &props.security_group_name {
            if name.len() > 255 || name.to_ascii_lowercase().starts_with("sg-") {
                return Err(scope.error(format!("security group name '{name}' must be at most 255 characters and cannot start with 'sg-'")));
            }
        }
        let model = Rc::new(SecurityGroupModel {
            path: path.clone(),
            ingress: RefCell::new(Vec::new()),
            egress: RefCell::new(Vec::new()),
            allow_all_outbound: props.allow_all_outbound,
        });
        let m = model.clone();
        let description = props.description.clone().unwrap_or_else(|| path.clone());
        let name = props.security_group_name.clone();
        let vpc_id = props.vpc.vpc_id();
        let render = move || {
            let mut p = CfnSecurityGroupProps::new(description.clone()).vpc_id(vpc_id.clone());
            if let Some(n) = &name {
                p = p.group_name(n.clone());
            }
            let inline_in: Vec<Ingress> = m.ingress.borrow().iter().filter_map(inline_ingress).collect();
            if !inline_in.is_empty() {
                p = p.security_group_ingress(inline_in);
            }
            let egress: Vec<Egress> = if m.allow_all_outbound {
                vec![Egress::new("-1").cidr_ip("0.0.0.0/0").description("Allow all outbound traffic by default")]
            } else {
                let rules: Vec<Egress> = m.egress.borrow().iter().filter_map(inline_egress).collect();
                if rules.is_empty() && !m.egress.borrow().iter().any(|r| matches!(r.peer, Peer::SecurityGroup(_))) {
                    // CloudFormation adds allow-all egress when none is given; CDK's placeholder
                    // rule (ICMP type 252 to 255.255.255.255/32) matches no traffic.
                    vec![Egress::new("icmp").cidr_ip("255.255.255.255/32").description("Disallow all traffic").from_port(252).to_port(86)]
                } else {
                    rules
                }
            };
            // As CDK: with only rules naming other groups (separate resources), the property is
            // left out, and EC2 keeps its default allow-all egress rule.
            if egress.is_empty() {
                p
            } else {
                p.security_group_egress(egress)
            }
        };
        let resource = CfnSecurityGroup::new_lazy(&scope, "Resource", render)?;
        let group_id = resource.attr_group_id();
        Ok(SecurityGroup { scope, resource: Some(resource), group_id, model, vpc: Some(props.vpc) })
    }

    /// Imports an existing group by id (CDK's `fromSecurityGroupId`). Nothing is created for
    /// the group itself; rules added to it become separate `SecurityGroupIngress` and
    /// `SecurityGroupEgress` resources in this stack, as in CDK.
    pub fn from_security_group_id(scope: &impl AsScope, id: &str, group_id: impl Into<Val<String>>, props: SecurityGroupImportProps) -> Result<SecurityGroup> {
        let scope = scope.scope().child(id, "ironcdk.ec2.ImportedSecurityGroup")?;
        let group_id = group_id.into();
        super::vpc_import::check_id(&scope, "a security group", "sg-", &group_id)?;
        let model = Rc::new(SecurityGroupModel {
            path: scope.path(),
            ingress: RefCell::new(Vec::new()),
            egress: RefCell::new(Vec::new()),
            allow_all_outbound: props.allow_all_outbound.unwrap_or(true),
        });
        Ok(SecurityGroup { scope, resource: None, group_id, model, vpc: props.vpc })
    }

    /// The VPC the group belongs to (unknown for a group imported without it).
    pub fn vpc(&self) -> Option<&Vpc> {
        self.vpc.as_ref()
    }

    /// `Fn::GetAtt GroupId`, or the imported group's id.
    pub fn security_group_id(&self) -> Val<String> {
        self.group_id.clone()
    }

    /// Whether the group was imported.
    pub fn is_imported(&self) -> bool {
        self.resource.is_none()
    }

    /// A reference for rules in other groups.
    pub fn reference(&self) -> SecurityGroupRef {
        SecurityGroupRef {
            path: self.model.path.clone(),
            group_id: self.security_group_id(),
            unique_id: ironcdk_synth::logical_id::logical_id_of_path(&self.model.path, 0),
            vpc_path: self.vpc.as_ref().map(|v| v.model().path.clone()),
        }
    }

    /// Allows inbound traffic. Identical rules are added once.
    pub fn add_ingress_rule(&self, peer: Peer, port: Port, description: Option<&str>) -> Result<()> {
        self.add_rule(peer, port, description, true)
    }

    /// Allows outbound traffic (meaningful when `allow_all_outbound` is off).
    pub fn add_egress_rule(&self, peer: Peer, port: Port, description: Option<&str>) -> Result<()> {
        self.add_rule(peer, port, description, false)
    }

    fn add_rule(&self, peer: Peer, port: Port, description: Option<&str>, ingress: bool) -> Result<()> {
        if let Peer::UnknownRange { vpc } = &peer {
            return Err(self.scope.error(format!(
                "VPC {vpc} was imported without its IPv4 range, so a rule for its range has nothing to name; import it with VpcAttributes::new(id, range) or from_parameters"
            )));
        }
        if let Peer::Ipv4 { cidr, .. } = &peer {
            if let Some(s) = cidr.as_value().as_str() {
                s.parse::<super::Ipv4Cidr>().map_err(|e| self.scope.error(format!("peer {e}")))?;
            }
        }
        let known = matches!(port.protocol, "tcp" | "udp" | "icmp" | "icmpv6" | "-1") || port.protocol.parse::<u8>().is_ok();
        if !known {
            return Err(self.scope.error(format!(
                "protocol '{}' is not one EC2 accepts: use Port::tcp, Port::udp or Port::all_traffic (or 'icmp', 'icmpv6', '-1' or a protocol number), in lower case",
                port.protocol
            )));
        }
        if matches!(port.protocol, "tcp" | "udp") && (port.from < 0 || port.from > port.to || port.to > 65535) {
            return Err(self.scope.error(format!("port range {}-{} is invalid: use 0 <= from <= to <= 65535", port.from, port.to)));
        }
        // Rules naming another group, and every rule of an imported group, are resources of
        // their own; ranges of a group created here are inline.
        let standalone = matches!(peer, Peer::SecurityGroup(_)) || self.resource.is_none();
        let dir = if ingress { "from" } else { "to" };
        // CDK describes an inline egress rule as `from <peer>` too (its SecurityGroup says so),
        // and a standalone one as `to <peer>`.
        let said = if ingress || !standalone { "from" } else { "to" };
        let description: Val<String> = match (description, &peer) {
            (Some(d), _) => d.into(),
            // CDK writes the peer's unique id, which for a computed range is the range itself.
            (None, Peer::Ipv4 { cidr, .. }) if cidr.as_value().as_str().is_none() => {
                ironcdk_synth::fns::join("", [crate::small::concat(&[said, " "]).into(), cidr.clone(), crate::small::concat(&[":", &port.label()]).into()])
            }
            (None, _) => crate::small::concat(&[said, " ", &peer.label(), ":", &port.label()]).into(),
        };
        let rule = Rule { peer: peer.clone(), port, description: description.clone() };
        let list = if ingress { &self.model.ingress } else { &self.model.egress };
        if list.borrow().iter().any(|r| r.peer == rule.peer && r.port == rule.port) {
            return Ok(());
        }
        if !ingress && self.model.allow_all_outbound {
            // Already covered by the allow-all rule; recorded for the model only.
            list.borrow_mut().push(rule);
            return Ok(());
        }
        let everywhere = matches!(&peer, Peer::Ipv4 { cidr, .. } if cidr.as_value().as_str() == Some("0.0.0.0/0"));
        if !ingress && !standalone && port.protocol == "-1" && everywhere {
            return Err(self.scope.error(
                "an all-traffic egress rule to 0.0.0.0/0 is what allow_all_outbound(true) gives; set that on the group instead (CDK refuses this rule too)",
            ));
        }
        let peering = self.peering_for(&peer);
        crate::small::push(&mut list.borrow_mut(), rule);
        if !standalone {
            return Ok(());
        }
        // CDK's rule id: the peer's unique id (a literal range with its first '/' as '_', a
        // computed one as `{IndirectPeer}`).
        let peer_id = match &peer {
            Peer::SecurityGroup(other) => other.unique_id.clone(),
            Peer::Ipv4 { cidr, .. } => cidr.as_value().as_str().map_or_else(|| "{IndirectPeer}".to_string(), str::to_string),
            Peer::UnknownRange { .. } => return Ok(()),
        };
        let id = format!("{dir} {peer_id}:{}", port.label()).replacen('/', "_", 1);
        let resource = if ingress {
            let mut p = CfnSecurityGroupIngressProps::new(port.protocol).group_id(self.security_group_id()).description(description);
            p = match &peer {
                Peer::SecurityGroup(other) => p.source_security_group_id(other.group_id.clone()),
                Peer::Ipv4 { cidr, .. } => p.cidr_ip(cidr.clone()),
                Peer::UnknownRange { .. } => return Ok(()),
            };
            if port.protocol != "-1" {
                p = p.from_port(port.from).to_port(port.to);
            }
            CfnSecurityGroupIngress::new(&self.scope, &id, p)?.resource().clone()
        } else {
            let mut p = CfnSecurityGroupEgressProps::new(self.security_group_id(), port.protocol).description(description);
            p = match &peer {
                Peer::SecurityGroup(other) => p.destination_security_group_id(other.group_id.clone()),
                Peer::Ipv4 { cidr, .. } => p.cidr_ip(cidr.clone()),
                Peer::UnknownRange { .. } => return Ok(()),
            };
            if port.protocol != "-1" {
                p = p.from_port(port.from).to_port(port.to);
            }
            CfnSecurityGroupEgress::new(&self.scope, &id, p)?.resource().clone()
        };
        if let Some((model, other_vpc, other_group)) = peering {
            // EC2 refuses a rule naming a peered VPC's group until the peering is active. The
            // peering may be created after the rule: both are looked up when synth runs.
            let (m, o) = (model.clone(), other_vpc.clone());
            resource.add_depends_on_later(move || m.peering_with(&o).into_iter().collect());
            self.scope.add_validation(move || match model.peering_with(&other_vpc) {
                Some(_) => Vec::new(),
                None => vec![format!(
                    "a rule naming security group {other_group} of VPC {other_vpc} is on a group of VPC {}: EC2 accepts groups of another VPC only across a peering connection; peer the two VPCs (ec2::VpcPeeringConnection)",
                    model.path
                )],
            });
        }
        Ok(())
    }

    /// For a rule naming a group of another VPC: this group's VPC, the other VPC's path and the
    /// other group's path. EC2 accepts such a rule only across an active peering connection.
    fn peering_for(&self, peer: &Peer) -> Option<(Rc<super::vpc::VpcModel>, String, String)> {
        let (Peer::SecurityGroup(other), Some(vpc)) = (peer, &self.vpc) else { return None };
        let other_vpc = other.vpc_path.as_ref()?;
        let model = vpc.model();
        (*other_vpc != model.path).then(|| (model.clone(), other_vpc.clone(), other.path.clone()))
    }

    /// This group's connections, to allow traffic from other constructs.
    pub fn connections(&self) -> Connections {
        Connections { groups: vec![self.clone()] }
    }
}

fn inline_ingress(r: &Rule) -> Option<Ingress> {
    let Peer::Ipv4 { cidr, .. } = &r.peer else { return None };
    let mut i = Ingress::new(r.port.protocol).cidr_ip(cidr.clone()).description(r.description.clone());
    if r.port.protocol != "-1" {
        i = i.from_port(r.port.from).to_port(r.port.to);
    }
    Some(i)
}

fn inline_egress(r: &Rule) -> Option<Egress> {
    let Peer::Ipv4 { cidr, .. } = &r.peer else { return None };
    let mut e = Egress::new(r.port.protocol).cidr_ip(cidr.clone()).description(r.description.clone());
    if r.port.protocol != "-1" {
        e = e.from_port(r.port.from).to_port(r.port.to);
    }
    Some(e)
}

/// The security groups of a construct, for allowing traffic between constructs.
///
/// `a.connections().allow_from(&b.connections(), Port::tcp(8080), None)` adds an ingress rule on
/// each of `a`'s groups from each of `b`'s, and the matching egress rule where `b` does not
/// already allow all outbound traffic.
#[derive(Clone)]
pub struct Connections {
    /// The groups.
    pub groups: Vec<SecurityGroup>,
}

impl Connections {
    /// Allows `port` from `other` into these groups.
    pub fn allow_from(&self, other: &Connections, port: Port, description: Option<&str>) -> Result<()> {
        for mine in &self.groups {
            for theirs in &other.groups {
                mine.add_ingress_rule(Peer::security_group(theirs), port, description)?;
                theirs.add_egress_rule(Peer::security_group(mine), port, description)?;
            }
        }
        Ok(())
    }

    /// Allows `port` from an IP range into these groups.
    pub fn allow_from_peer(&self, peer: Peer, port: Port, description: Option<&str>) -> Result<()> {
        for mine in &self.groups {
            mine.add_ingress_rule(peer.clone(), port, description)?;
        }
        Ok(())
    }
}

