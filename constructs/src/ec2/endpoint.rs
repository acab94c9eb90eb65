//! VPC endpoints: interface endpoints (PrivateLink, billed per AZ-hour) and gateway endpoints
//! (S3 and DynamoDB, free).

use ironcdk_synth::{fns, AsScope, Pseudo, Result, Scope, Val};

use super::generated::*;
use super::security_group::{Peer, Port, SecurityGroup, SecurityGroupProps};
use super::vpc::{SubnetSelection, SubnetType, Vpc};

/// An AWS service reachable through an interface endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InterfaceVpcEndpointAwsService {
    /// The service's short name: `com.amazonaws.<region>.<name>`.
    pub name: &'static str,
    /// The port it listens on.
    pub port: u16,
}

impl InterfaceVpcEndpointAwsService {
    /// ECR API (`ecr.api`): image manifests and auth tokens. Fargate platform 1.4+ needs it
    /// beside `ECR_DOCKER` to pull from ECR.
    pub const ECR: Self = Self::new("ecr.api");
    /// ECR Docker registry (`ecr.dkr`): image layers' locations.
    pub const ECR_DOCKER: Self = Self::new("ecr.dkr");
    /// CloudWatch Logs (`logs`): the awslogs driver.
    pub const CLOUDWATCH_LOGS: Self = Self::new("logs");
    /// CloudWatch metrics (`monitoring`).
    pub const CLOUDWATCH_MONITORING: Self = Self::new("monitoring");
    /// S3 as an interface endpoint (`s3`); the gateway endpoint is free.
    pub const S3: Self = Self::new("s3");
    /// Systems Manager (`ssm`).
    pub const SSM: Self = Self::new("ssm");
    /// Session Manager channels (`ssmmessages`).
    pub const SSM_MESSAGES: Self = Self::new("ssmmessages");
    /// EC2 messages (`ec2messages`).
    pub const EC2_MESSAGES: Self = Self::new("ec2messages");
    /// Secrets Manager (`secretsmanager`).
    pub const SECRETS_MANAGER: Self = Self::new("secretsmanager");
    /// STS (`sts`).
    pub const STS: Self = Self::new("sts");
    /// KMS (`kms`).
    pub const KMS: Self = Self::new("kms");
    /// ECS control plane (`ecs`).
    pub const ECS: Self = Self::new("ecs");
    /// ECS agent (`ecs-agent`).
    pub const ECS_AGENT: Self = Self::new("ecs-agent");
    /// ECS telemetry (`ecs-telemetry`).
    pub const ECS_TELEMETRY: Self = Self::new("ecs-telemetry");

    /// The domain its private DNS answers for in `region`: the labels of the short name
    /// reversed, then the region (`ecr.dkr` → `dkr.ecr.ap-northeast-1.amazonaws.com`). This holds
    /// for ECR, CloudWatch Logs, Systems Manager and most services; check others against the
    /// endpoint's `DnsEntries`.
    pub fn private_dns_domain(&self, region: &str) -> String {
        let service: Vec<&str> = self.name.rsplit('.').collect();
        format!("{}.{region}.amazonaws.com", service.join("."))
    }

    /// Any other service by short name, on port 443.
    pub const fn new(name: &'static str) -> Self {
        InterfaceVpcEndpointAwsService { name, port: 443 }
    }
}

/// An AWS service reachable through a (free) gateway endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GatewayVpcEndpointAwsService {
    /// Short name.
    pub name: &'static str,
}

impl GatewayVpcEndpointAwsService {
    /// S3: also what ECR image layers are served from.
    pub const S3: Self = GatewayVpcEndpointAwsService { name: "s3" };
    /// DynamoDB.
    pub const DYNAMODB: Self = GatewayVpcEndpointAwsService { name: "dynamodb" };
}

/// `com.amazonaws.<region>.<name>`: a literal when the stack has a region, otherwise joined
/// with `AWS::Region`.
fn service_name(scope: &Scope, name: &str) -> Val<String> {
    match scope.region() {
        Some(r) => format!("com.amazonaws.{r}.{name}").into(),
        None => fns::join("", ["com.amazonaws.".into(), Pseudo::Region.val(), format!(".{name}").into()]),
    }
}

/// A gateway endpoint's service name: CDK writes `AWS::Region` even when the stack has a
/// region (unlike an interface endpoint's).
fn gateway_service_name(name: &str) -> Val<String> {
    fns::join("", ["com.amazonaws.".into(), Pseudo::Region.val(), format!(".{name}").into()])
}

/// Interface or gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    /// PrivateLink: an ENI in each selected subnet.
    Interface,
    /// Routes in route tables.
    Gateway,
}

/// What the constructs placed near an endpoint ask of it (the checks and the cost report read
/// the template).
#[derive(Clone, Debug)]
pub(crate) struct EndpointModel {
    /// Construct path.
    pub path: String,
    /// Interface or gateway.
    pub kind: EndpointKind,
    /// Service short name (`ecr.dkr`, `s3`, ...).
    pub service: String,
    /// Private DNS on (interface endpoints).
    pub private_dns: bool,
    /// Subnet paths (interface) or the paths of subnets whose route tables it is on (gateway).
    pub subnet_paths: Vec<String>,
}

/// Options of an interface endpoint.
#[derive(Clone)]
#[non_exhaustive]
pub struct InterfaceVpcEndpointOptions {
    /// The service.
    pub service: InterfaceVpcEndpointAwsService,
    /// Private DNS (default on): the service's public name resolves to the endpoint.
    pub private_dns_enabled: bool,
    /// Subnets (default: CDK's default selection), one per AZ.
    pub subnets: SubnetSelection,
    /// Security groups (default: one created allowing the service port from the VPC range).
    pub security_groups: Vec<SecurityGroup>,
    /// Allow the service port from the VPC range on the groups (default on).
    pub open: bool,
}

impl InterfaceVpcEndpointOptions {
    /// Options for `service` with CDK's defaults.
    pub fn new(service: InterfaceVpcEndpointAwsService) -> Self {
        InterfaceVpcEndpointOptions { service, private_dns_enabled: true, subnets: SubnetSelection::default(), security_groups: Vec::new(), open: true }
    }
    setters! {
        /// Turns private DNS on or off.
        set private_dns_enabled: bool;
        /// Selects the subnets.
        set subnets: SubnetSelection;
        /// Uses these security groups.
        set security_groups: Vec<SecurityGroup>;
        /// Whether to allow the service port from the VPC range.
        set open: bool;
    }
}

/// An interface VPC endpoint (PrivateLink).
#[derive(Clone)]
pub struct InterfaceVpcEndpoint {
    scope: Scope,
    resource: CfnVpcEndpoint,
    model: EndpointModel,
}

impl AsScope for InterfaceVpcEndpoint {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl InterfaceVpcEndpoint {
    /// Creates the endpoint in `vpc`.
    pub fn new(scope: &impl AsScope, id: &str, vpc: &Vpc, options: InterfaceVpcEndpointOptions) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.ec2.InterfaceVpcEndpoint")?;
        if options.private_dns_enabled && !vpc.model().dns_enabled {
            return Err(scope.error("private DNS needs the VPC's DNS hostnames and DNS support on; enable them on the VPC or set private_dns_enabled(false) and add your own Route 53 records"));
        }
        let subnets = vpc.select_subnets_for(&scope, &options.subnets.clone().one_per_az())?;
        if options.private_dns_enabled {
            let clash = vpc.model().endpoints.borrow().iter().find(|e| e.kind == EndpointKind::Interface && e.private_dns && e.service == options.service.name).map(|e| e.path.clone());
            if let Some(other) = clash {
                return Err(scope.error(format!(
                    "{other} already serves {} with private DNS in this VPC; CloudFormation fails to create a second one (the private DNS name is taken). Use that endpoint, or set private_dns_enabled(false) on this one",
                    options.service.name
                )));
            }
        }
        let groups = if options.security_groups.is_empty() {
            vec![SecurityGroup::new(&scope, "SecurityGroup", SecurityGroupProps::new(vpc))?]
        } else {
            options.security_groups.clone()
        };
        if options.open {
            for g in &groups {
                g.add_ingress_rule(Peer::vpc_cidr(vpc), Port::tcp(options.service.port), None)?;
            }
        }
        let resource = CfnVpcEndpoint::new(
            &scope,
            "Resource",
            CfnVpcEndpointProps::new(vpc.vpc_id())
                .service_name(service_name(&scope, options.service.name))
                .private_dns_enabled(options.private_dns_enabled)
                .security_group_ids(groups.iter().map(SecurityGroup::security_group_id).collect::<Vec<_>>())
                .subnet_ids(subnets.iter().map(|s| s.subnet_id.clone()).collect::<Vec<_>>())
                .vpc_endpoint_type(cfn_vpc_endpoint::VpcEndpointVpcEndpointType::Interface),
        )?;
        let model = EndpointModel {
            path: scope.path(),
            kind: EndpointKind::Interface,
            service: options.service.name.to_string(),
            private_dns: options.private_dns_enabled,
            subnet_paths: subnets.iter().map(|s| s.path.clone()).collect(),
        };
        vpc.model().endpoints.borrow_mut().push(model.clone());
        Ok(InterfaceVpcEndpoint { scope, resource, model })
    }

    /// `Ref` of the endpoint.
    pub fn vpc_endpoint_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// Its DNS entries, `<hosted zone id>:<dns name>` each (CDK's `vpcEndpointDnsEntries`).
    pub fn vpc_endpoint_dns_entries(&self) -> Val<Vec<String>> {
        self.resource.attr_dns_entries()
    }

    /// The model.
    pub(crate) fn model(&self) -> &EndpointModel {
        &self.model
    }
}

/// Options of a gateway endpoint.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GatewayVpcEndpointOptions {
    /// The service.
    pub service: GatewayVpcEndpointAwsService,
    /// Subnets whose route tables get the route (default: every subnet).
    pub subnets: Vec<SubnetSelection>,
}

impl GatewayVpcEndpointOptions {
    /// Options for `service` on every subnet's route table.
    pub fn new(service: GatewayVpcEndpointAwsService) -> Self {
        GatewayVpcEndpointOptions { service, subnets: Vec::new() }
    }
    /// Selects the subnets.
    pub fn subnets(mut self, s: Vec<SubnetSelection>) -> Self {
        self.subnets = s;
        self
    }
}

/// A gateway VPC endpoint (S3, DynamoDB): routes on the selected subnets' route tables.
#[derive(Clone)]
pub struct GatewayVpcEndpoint {
    scope: Scope,
    resource: CfnVpcEndpoint,
}

impl AsScope for GatewayVpcEndpoint {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl GatewayVpcEndpoint {
    /// Creates the endpoint in `vpc`.
    pub fn new(scope: &impl AsScope, id: &str, vpc: &Vpc, options: GatewayVpcEndpointOptions) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.ec2.GatewayVpcEndpoint")?;
        let mut subnets = Vec::new();
        if options.subnets.is_empty() {
            // CDK's default: the private subnets' route tables, then the public, then the
            // isolated ones (each group in the VPC's order).
            let all = &vpc.model().subnets;
            for t in [SubnetType::PrivateWithEgress, SubnetType::Public, SubnetType::PrivateIsolated] {
                subnets.extend(all.iter().filter(|s| s.subnet_type == t).cloned());
            }
        }
        for sel in &options.subnets {
            for s in vpc.select_subnets_for(&scope, sel)? {
                if !subnets.iter().any(|x: &super::SubnetRef| x.path == s.path) {
                    subnets.push(s);
                }
            }
        }
        let clash = vpc
            .model()
            .endpoints
            .borrow()
            .iter()
            .find(|e| e.kind == EndpointKind::Gateway && e.service == options.service.name && e.subnet_paths.iter().any(|p| subnets.iter().any(|s| s.path == *p)))
            .map(|e| e.path.clone());
        if let Some(other) = clash {
            return Err(scope.error(format!(
                "{other} already routes {} for some of the same route tables; a route table takes one gateway endpoint per service. Select other subnets, or use that endpoint",
                options.service.name
            )));
        }
        let tables = vpc.route_tables_of(&scope, &subnets)?;
        let resource = CfnVpcEndpoint::new(
            &scope,
            "Resource",
            CfnVpcEndpointProps::new(vpc.vpc_id())
                .service_name(gateway_service_name(options.service.name))
                .route_table_ids(tables)
                .vpc_endpoint_type(cfn_vpc_endpoint::VpcEndpointVpcEndpointType::Gateway),
        )?;
        let model = EndpointModel {
            path: scope.path(),
            kind: EndpointKind::Gateway,
            service: options.service.name.to_string(),
            private_dns: false,
            subnet_paths: subnets.iter().map(|s| s.path.clone()).collect(),
        };
        vpc.model().endpoints.borrow_mut().push(model.clone());
        Ok(GatewayVpcEndpoint { scope, resource })
    }

    /// `Ref` of the endpoint.
    pub fn vpc_endpoint_id(&self) -> Val<String> {
        self.resource.ref_()
    }
}

impl Vpc {
    /// Adds an interface endpoint as a child of the VPC (CDK's `vpc.addInterfaceEndpoint`).
    pub fn add_interface_endpoint(&self, id: &str, options: InterfaceVpcEndpointOptions) -> Result<InterfaceVpcEndpoint> {
        InterfaceVpcEndpoint::new(self, id, self, options)
    }

    /// Adds a gateway endpoint as a child of the VPC (CDK's `vpc.addGatewayEndpoint`).
    pub fn add_gateway_endpoint(&self, id: &str, options: GatewayVpcEndpointOptions) -> Result<GatewayVpcEndpoint> {
        GatewayVpcEndpoint::new(self, id, self, options)
    }
}
