//! Private hosted zones and alias records (CDK's `PrivateHostedZone`, `ARecord` and the
//! `InterfaceVpcEndpointTarget` alias), and the zone an endpoint with private DNS off needs
//! (article 003: without the wildcard record, `<account>.dkr.ecr...` is "no such host").

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Mapping, Pseudo, Result, Scope, Val, Value};

use super::generated::*;
use crate::ec2::{InterfaceVpcEndpoint, Vpc};

/// Route 53's rules for a zone name, as CDK checks them.
fn check_zone_name(scope: &Scope, name: &str) -> Result<()> {
    match dns_name_problem(name) {
        Some(p) => Err(scope.error(format!("zone name '{name}' {p}"))),
        None => Ok(()),
    }
}

/// What Route 53 refuses in a domain name (without its trailing dot): empty, a trailing dot,
/// over 255 bytes, an empty label (`.example.com`, `a..b`) or one over 63 bytes, characters
/// other than letters, digits, `-`, `_`, `*` and `.`.
fn dns_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("is empty".to_string())
    } else if name.ends_with('.') {
        Some("must not end with a dot (the trailing dot is added)".to_string())
    } else if name.len() > 255 {
        Some(format!("is {} bytes long; the limit is 255", name.len()))
    } else if name.split('.').any(|l| l.is_empty() || l.len() > 63) {
        Some("has an empty label or one over 63 bytes".to_string())
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.*".contains(c)) {
        Some("may hold only letters, digits, '-', '_', '*' and '.'".to_string())
    } else {
        None
    }
}

/// Options of a [`PrivateHostedZone`].
#[derive(Clone)]
#[non_exhaustive]
pub struct PrivateHostedZoneProps {
    /// The domain, without a trailing dot (`dkr.ecr.ap-northeast-1.amazonaws.com`).
    pub zone_name: String,
    /// The first VPC that resolves it.
    pub vpc: Vpc,
    /// A comment.
    pub comment: Option<String>,
}

impl PrivateHostedZoneProps {
    /// A zone for `zone_name`, resolved in `vpc`.
    pub fn new(zone_name: impl Into<String>, vpc: &Vpc) -> Self {
        PrivateHostedZoneProps { zone_name: zone_name.into(), vpc: vpc.clone(), comment: None }
    }
    setters! {
        /// Sets the comment.
        into comment: String;
    }
}

/// A private hosted zone (`<id>/Resource`), resolved in the VPCs it is associated with.
#[derive(Clone)]
pub struct PrivateHostedZone {
    scope: Scope,
    resource: CfnHostedZone,
    zone_name: String,
    vpcs: Rc<RefCell<Vec<(String, cfn_hosted_zone::Vpc)>>>,
    /// Names (with their trailing dot) and types of the records made in the zone.
    records: Rc<RefCell<Vec<(String, &'static str)>>>,
}

impl AsScope for PrivateHostedZone {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl PrivateHostedZone {
    /// Creates the zone.
    pub fn new(scope: &impl AsScope, id: &str, props: PrivateHostedZoneProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.route53.PrivateHostedZone")?;
        check_zone_name(&scope, &props.zone_name)?;
        let vpcs: Rc<RefCell<Vec<(String, cfn_hosted_zone::Vpc)>>> = Rc::default();
        let list = vpcs.clone();
        let name = format!("{}.", props.zone_name);
        let comment = props.comment.clone();
        let resource = CfnHostedZone::new_lazy(&scope, "Resource", move || {
            let mut p = CfnHostedZoneProps::new().name(name.clone()).vpcs(list.borrow().iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
            if let Some(c) = &comment {
                p = p.hosted_zone_config(cfn_hosted_zone::HostedZoneConfig::new().comment(c.clone()));
            }
            p
        })?;
        let zone = PrivateHostedZone { scope, resource, zone_name: props.zone_name, vpcs, records: Rc::default() };
        zone.add_vpc(&props.vpc)?;
        Ok(zone)
    }

    /// Resolves the zone in `vpc` too.
    pub fn add_vpc(&self, vpc: &Vpc) -> Result<()> {
        let path = vpc.model().path.clone();
        if self.vpcs.borrow().iter().any(|(p, _)| *p == path) {
            return Err(self.scope.error(format!("VPC {path} is already associated with this zone")));
        }
        self.vpcs.borrow_mut().push((path, cfn_hosted_zone::Vpc::new(vpc.vpc_id(), vpc.scope().region_value())));
        Ok(())
    }

    /// `Ref` (the zone's ID).
    pub fn hosted_zone_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The domain, without a trailing dot.
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }
}

/// A hosted zone as records see it: made here (public or private) or imported (CDK's
/// `IHostedZone`).
#[derive(Clone)]
pub struct HostedZone {
    zone_id: Val<String>,
    zone_name: String,
    /// Names (with their trailing dot) and types of the records made in the zone here.
    records: Rc<RefCell<Vec<(String, &'static str)>>>,
}

impl HostedZone {
    /// An existing zone by ID and name (CDK's `HostedZone.fromHostedZoneAttributes`); nothing is
    /// created for it. A literal ID must look like Route 53's (`Z` and up to 31 letters and
    /// digits).
    pub fn from_hosted_zone_attributes(scope: &impl AsScope, id: &str, hosted_zone_id: impl Into<Val<String>>, zone_name: &str) -> Result<HostedZone> {
        let scope = scope.scope().child(id, "ironcdk.route53.ImportedHostedZone")?;
        check_zone_name(&scope, zone_name)?;
        let zone_id = hosted_zone_id.into();
        if let Some(z) = zone_id.as_value().as_str() {
            if !(z.starts_with('Z') && (2..=32).contains(&z.len()) && z.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())) {
                return Err(scope.error(format!("'{z}' is not a hosted zone ID (Z and up to 31 capital letters and digits)")));
            }
        }
        Ok(HostedZone { zone_id, zone_name: zone_name.to_string(), records: Rc::default() })
    }

    /// The zone's ID.
    pub fn hosted_zone_id(&self) -> Val<String> {
        self.zone_id.clone()
    }

    /// The domain, without a trailing dot.
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }
}

/// What records are made in: a zone made here or imported.
pub trait AsHostedZone {
    /// The zone as records see it.
    fn hosted_zone(&self) -> HostedZone;
}

impl AsHostedZone for HostedZone {
    fn hosted_zone(&self) -> HostedZone {
        self.clone()
    }
}

impl AsHostedZone for PrivateHostedZone {
    fn hosted_zone(&self) -> HostedZone {
        HostedZone { zone_id: self.hosted_zone_id(), zone_name: self.zone_name.clone(), records: self.records.clone() }
    }
}

/// Options of a [`PublicHostedZone`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PublicHostedZoneProps {
    /// The domain, without a trailing dot (`example.com`).
    pub zone_name: String,
    /// A comment.
    pub comment: Option<String>,
}

impl PublicHostedZoneProps {
    /// A zone for `zone_name`.
    pub fn new(zone_name: impl Into<String>) -> Self {
        PublicHostedZoneProps { zone_name: zone_name.into(), comment: None }
    }
    setters! {
        /// Sets the comment.
        into comment: String;
    }
}

/// A public hosted zone (`<id>/Resource`): the internet resolves it once its name servers are
/// the domain's delegation.
#[derive(Clone)]
pub struct PublicHostedZone {
    scope: Scope,
    resource: CfnHostedZone,
    zone_name: String,
    records: Rc<RefCell<Vec<(String, &'static str)>>>,
}

impl AsScope for PublicHostedZone {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl AsHostedZone for PublicHostedZone {
    fn hosted_zone(&self) -> HostedZone {
        HostedZone { zone_id: self.hosted_zone_id(), zone_name: self.zone_name.clone(), records: self.records.clone() }
    }
}

impl PublicHostedZone {
    /// Creates the zone.
    pub fn new(scope: &impl AsScope, id: &str, props: PublicHostedZoneProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.route53.PublicHostedZone")?;
        check_zone_name(&scope, &props.zone_name)?;
        if props.zone_name.contains('*') {
            return Err(scope.error(format!("zone name '{}' may not hold '*'", props.zone_name)));
        }
        let mut p = CfnHostedZoneProps::new().name(format!("{}.", props.zone_name));
        if let Some(c) = &props.comment {
            p = p.hosted_zone_config(cfn_hosted_zone::HostedZoneConfig::new().comment(c.clone()));
        }
        let resource = CfnHostedZone::new(&scope, "Resource", p)?;
        Ok(PublicHostedZone { scope, resource, zone_name: props.zone_name, records: Rc::default() })
    }

    /// `Ref` (the zone's ID).
    pub fn hosted_zone_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The name servers to delegate the domain to (`Fn::GetAtt NameServers`).
    pub fn hosted_zone_name_servers(&self) -> Val<Vec<String>> {
        self.resource.attr_name_servers()
    }

    /// The domain, without a trailing dot.
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }
}

/// What an alias record points at.
#[derive(Clone)]
pub struct RecordTarget {
    dns_name: Val<String>,
    /// `None`: CloudFront's zone, looked up by partition in the record's stack.
    hosted_zone_id: Option<Val<String>>,
}

/// The mapping CDK's `CloudFrontTarget` adds to a stack: CloudFront's hosted zone by partition.
const CLOUDFRONT_ZONES: &str = "AWSCloudFrontPartitionHostedZoneIdMap";

/// CloudFront's hosted zone for a record in `scope`'s stack, from the stack's
/// [`CLOUDFRONT_ZONES`] mapping (made by the first record that needs it, as CDK).
fn cloudfront_zone_id(scope: &Scope) -> Result<Val<String>> {
    let root = scope.stack_root();
    let mapping = match root.find_child(CLOUDFRONT_ZONES) {
        Some(found) => Mapping::of(&found).ok_or_else(|| root.child_error(CLOUDFRONT_ZONES, "this id is taken by something other than CloudFront's zone mapping"))?,
        None => {
            let zone = |id: &str| [("zoneId".to_string(), Value::Str(id.into()))].into_iter().collect();
            let map = [("aws".to_string(), zone("Z2FDTNDATAQYW2")), ("aws-cn".to_string(), zone("Z3RFFRIM2A3IF5"))].into_iter().collect();
            Mapping::new(&root, CLOUDFRONT_ZONES, map)?
        }
    };
    Ok(mapping.find(Pseudo::Partition.val(), "zoneId"))
}

impl RecordTarget {
    /// An interface endpoint's regional DNS name (CDK's `InterfaceVpcEndpointTarget`: the first
    /// of its DNS entries, `<zone id>:<name>`).
    pub fn interface_vpc_endpoint(endpoint: &InterfaceVpcEndpoint) -> Self {
        let first = || fns::select(0, endpoint.vpc_endpoint_dns_entries());
        RecordTarget { dns_name: fns::select(1, fns::split(":", first())), hosted_zone_id: Some(fns::select(0, fns::split(":", first()))) }
    }

    /// An application load balancer (CDK's `LoadBalancerTarget`: its `dualstack.` name).
    pub fn load_balancer(lb: &crate::elasticloadbalancingv2::ApplicationLoadBalancer) -> Self {
        RecordTarget { dns_name: fns::join("", ["dualstack.".into(), lb.load_balancer_dns_name()]), hosted_zone_id: Some(lb.load_balancer_canonical_hosted_zone_id()) }
    }

    /// An API Gateway custom domain name (CDK's `ApiGatewayDomain`, and `ApiGateway` with the
    /// API's `domain_name()`): its regional or CloudFront name.
    pub fn api_gateway_domain(domain: &crate::apigateway::DomainName) -> Self {
        RecordTarget { dns_name: domain.domain_name_alias_domain_name(), hosted_zone_id: Some(domain.domain_name_alias_hosted_zone_id()) }
    }

    /// An HTTP API's custom domain name (CDK's `ApiGatewayv2DomainProperties` with its
    /// regional name and zone).
    pub fn api_gateway_v2_domain(domain: &crate::apigatewayv2::DomainName) -> Self {
        RecordTarget { dns_name: domain.regional_domain_name(), hosted_zone_id: Some(domain.regional_hosted_zone_id()) }
    }

    /// A CloudFront distribution (CDK's `CloudFrontTarget`: CloudFront's hosted zone of the
    /// stack's partition, from a mapping it adds to the stack).
    pub fn cloudfront(distribution: &crate::cloudfront::Distribution) -> Self {
        RecordTarget { dns_name: distribution.distribution_domain_name(), hosted_zone_id: None }
    }
}

/// Options of an [`ARecord`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ARecordProps {
    /// The zone.
    pub zone: HostedZone,
    /// The alias target.
    pub target: RecordTarget,
    /// The name, relative to the zone or fully qualified (default: the zone's apex).
    pub record_name: Option<String>,
}

impl ARecordProps {
    /// An alias A record at the zone's apex.
    pub fn new(zone: &impl AsHostedZone, target: RecordTarget) -> Self {
        ARecordProps { zone: zone.hosted_zone(), target, record_name: None }
    }
    setters! {
        /// Names the record (`*` for the wildcard).
        into record_name: String;
    }
}

/// An alias A record (`<id>/Resource`).
#[derive(Clone)]
pub struct ARecord {
    scope: Scope,
    resource: CfnRecordSet,
}

impl AsScope for ARecord {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ARecord {
    /// Creates the record; its name is qualified as CDK does it.
    pub fn new(scope: &impl AsScope, id: &str, props: ARecordProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.route53.ARecord")?;
        let zone = props.zone.zone_name();
        let given = props.record_name.clone().unwrap_or_else(|| zone.to_string());
        let name = if given.ends_with('.') {
            given
        } else if given == zone || given.ends_with(&format!(".{zone}")) {
            format!("{given}.")
        } else {
            format!("{given}.{zone}.")
        };
        let relative = name.trim_end_matches('.');
        if relative != zone && !relative.ends_with(&format!(".{zone}")) {
            return Err(scope.error(format!("record name '{name}' is not inside zone '{zone}'")));
        }
        if let Some(p) = dns_name_problem(relative) {
            return Err(scope.error(format!("record name '{name}' {p}")));
        }
        if relative.split('.').enumerate().any(|(i, label)| label.contains('*') && (i > 0 || label != "*")) {
            return Err(scope.error(format!("record name '{name}': '*' may only be the whole leftmost label")));
        }
        let taken = props.zone.records.borrow().iter().any(|(n, t)| n.eq_ignore_ascii_case(&name) && *t == "A");
        if taken {
            return Err(scope.error(format!("zone {zone} has an A record '{name}' already; Route 53 refuses a second of one name and type")));
        }
        props.zone.records.borrow_mut().push((name.clone(), "A"));
        let target_zone = match props.target.hosted_zone_id {
            Some(z) => z,
            None => cloudfront_zone_id(&scope)?,
        };
        let resource = CfnRecordSet::new(
            &scope,
            "Resource",
            CfnRecordSetProps::new(name, "A")
                .hosted_zone_id(props.zone.hosted_zone_id())
                .alias_target(cfn_record_set::AliasTarget::new(props.target.dns_name, target_zone)),
        )?;
        Ok(ARecord { scope, resource })
    }

    /// `Ref`: the record's domain name (CDK's `domainName`).
    pub fn domain_name(&self) -> Val<String> {
        self.resource.ref_()
    }
}

/// Options of [`PrivateHostedZone::for_interface_endpoint`].
#[derive(Clone)]
#[non_exhaustive]
pub struct EndpointZoneProps {
    /// The endpoint, created with private DNS off.
    pub endpoint: InterfaceVpcEndpoint,
    /// The service's domain (`dkr.ecr.ap-northeast-1.amazonaws.com`).
    pub zone_name: String,
    /// Every VPC that uses the endpoint (its own included, if it does).
    pub vpcs: Vec<Vpc>,
}

impl EndpointZoneProps {
    /// The zone for `endpoint`'s `zone_name`, resolved in `vpcs`.
    pub fn new(endpoint: &InterfaceVpcEndpoint, zone_name: impl Into<String>, vpcs: &[&Vpc]) -> Self {
        EndpointZoneProps { endpoint: endpoint.clone(), zone_name: zone_name.into(), vpcs: vpcs.iter().map(|v| (*v).clone()).collect() }
    }
}

impl PrivateHostedZone {
    /// What a shared endpoint with private DNS off needs in every VPC that uses it: a private zone
    /// for its domain with an apex and a wildcard alias record to the endpoint (`<id>` is the zone,
    /// `<id>/Apex` and `<id>/Wildcard` its records). The wildcard is what resolves
    /// `<account>.dkr.ecr.<region>.amazonaws.com`.
    pub fn for_interface_endpoint(scope: &impl AsScope, id: &str, props: EndpointZoneProps) -> Result<PrivateHostedZone> {
        let Some((first, rest)) = props.vpcs.split_first() else {
            return Err(scope.scope().child_error(id, "give at least one VPC that uses the endpoint"));
        };
        if props.endpoint.model().private_dns {
            return Err(scope.scope().child_error(id, format!(
                "endpoint {} has private DNS on, which already answers for its domain in its VPC; create it with private DNS off to share it through a zone",
                props.endpoint.model().path
            )));
        }
        let zone = PrivateHostedZone::new(scope, id, PrivateHostedZoneProps::new(props.zone_name.clone(), first))?;
        for vpc in rest {
            zone.add_vpc(vpc)?;
        }
        let target = RecordTarget::interface_vpc_endpoint(&props.endpoint);
        ARecord::new(&zone, "Apex", ARecordProps::new(&zone, target.clone()))?;
        ARecord::new(&zone, "Wildcard", ARecordProps::new(&zone, target).record_name("*"))?;
        Ok(zone)
    }
}
