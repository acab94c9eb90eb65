//! `DatabaseCluster`: an Aurora cluster as aws-cdk-lib 2.276 writes it (`<id>/Subnets/Default`,
//! `<id>/SecurityGroup`, the generated secret and its attachment, `<id>/Resource`, and its
//! writer and readers `<id>/<instance>`), Serverless v2 or provisioned instances.

use ironcdk_synth::{AsScope, RemovalPolicy, Result, Scope, Val};

use super::generated::*;
use super::{master_credentials, subnets_in_two_azs, Credentials, InstanceType};
use crate::ec2::{Connections, Port, SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType, Vpc};
use crate::secretsmanager::{CfnSecretTargetAttachment, CfnSecretTargetAttachmentProps, Secret};

/// Aurora PostgreSQL versions Aurora creates clusters of (cfn-lint 1.58 lists none of them as
/// deprecated, but 16.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuroraPostgresEngineVersion {
    /// 15.10
    V15_10,
    /// 15.17
    V15_17,
    /// 16.6: Aurora no longer creates clusters of it (cfn-lint W3690); kept for templates of
    /// clusters made before.
    #[deprecated(note = "Aurora no longer creates clusters of PostgreSQL 16.6; use V16_13")]
    V16_6,
    /// 16.13
    V16_13,
    /// 17.9
    V17_9,
}

impl AuroraPostgresEngineVersion {
    /// The engine version and the parameter group family.
    #[allow(deprecated)]
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            AuroraPostgresEngineVersion::V15_10 => ("15.10", "aurora-postgresql15"),
            AuroraPostgresEngineVersion::V15_17 => ("15.17", "aurora-postgresql15"),
            AuroraPostgresEngineVersion::V16_6 => ("16.6", "aurora-postgresql16"),
            AuroraPostgresEngineVersion::V16_13 => ("16.13", "aurora-postgresql16"),
            AuroraPostgresEngineVersion::V17_9 => ("17.9", "aurora-postgresql17"),
        }
    }
}

/// Aurora MySQL versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuroraMysqlEngineVersion {
    /// 3.08.0 (MySQL 8.0 compatible)
    V3_08_0,
}

/// An Aurora engine and version (CDK's `DatabaseClusterEngine`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DatabaseClusterEngine {
    /// Aurora PostgreSQL.
    AuroraPostgres(AuroraPostgresEngineVersion),
    /// Aurora MySQL.
    AuroraMysql(AuroraMysqlEngineVersion),
}

impl DatabaseClusterEngine {
    /// Aurora PostgreSQL of `version`.
    pub fn aurora_postgres(version: AuroraPostgresEngineVersion) -> Self {
        DatabaseClusterEngine::AuroraPostgres(version)
    }
    /// Aurora MySQL of `version`.
    pub fn aurora_mysql(version: AuroraMysqlEngineVersion) -> Self {
        DatabaseClusterEngine::AuroraMysql(version)
    }
    fn engine(self) -> &'static str {
        match self {
            DatabaseClusterEngine::AuroraPostgres(_) => "aurora-postgresql",
            DatabaseClusterEngine::AuroraMysql(_) => "aurora-mysql",
        }
    }
    fn version(self) -> &'static str {
        match self {
            DatabaseClusterEngine::AuroraPostgres(v) => v.texts().0,
            DatabaseClusterEngine::AuroraMysql(AuroraMysqlEngineVersion::V3_08_0) => "8.0.mysql_aurora.3.08.0",
        }
    }
    /// The engine's parameter group family.
    fn family(self) -> &'static str {
        match self {
            DatabaseClusterEngine::AuroraPostgres(v) => v.texts().1,
            DatabaseClusterEngine::AuroraMysql(_) => "aurora-mysql8.0",
        }
    }
    /// The engine's port.
    pub fn default_port(self) -> u16 {
        match self {
            DatabaseClusterEngine::AuroraPostgres(_) => 5432,
            DatabaseClusterEngine::AuroraMysql(_) => 3306,
        }
    }
    fn default_username(self) -> &'static str {
        match self {
            DatabaseClusterEngine::AuroraPostgres(_) => "postgres",
            DatabaseClusterEngine::AuroraMysql(_) => "admin",
        }
    }
}

/// A writer or reader of a cluster (CDK's `ClusterInstance`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClusterInstance {
    /// Its construct id under the cluster.
    pub id: String,
    /// `None`: Serverless v2 (`db.serverless`).
    pub instance_type: Option<InstanceType>,
    /// A reader in promotion tier 1, scaled with the writer (Serverless v2 readers).
    pub scale_with_writer: bool,
}

impl ClusterInstance {
    /// A Serverless v2 instance.
    pub fn serverless_v2(id: impl Into<String>) -> Self {
        ClusterInstance { id: id.into(), instance_type: None, scale_with_writer: false }
    }
    /// A provisioned instance of `instance_type`.
    pub fn provisioned(id: impl Into<String>, instance_type: InstanceType) -> Self {
        ClusterInstance { id: id.into(), instance_type: Some(instance_type), scale_with_writer: false }
    }
    /// Scales with the writer (promotion tier 1).
    pub fn scale_with_writer(mut self, on: bool) -> Self {
        self.scale_with_writer = on;
        self
    }
}

/// Options of a [`DatabaseCluster`].
#[derive(Clone)]
#[non_exhaustive]
pub struct DatabaseClusterProps {
    /// Engine and version.
    pub engine: DatabaseClusterEngine,
    /// The VPC.
    pub vpc: Vpc,
    /// The writer.
    pub writer: ClusterInstance,
    /// The readers.
    pub readers: Vec<ClusterInstance>,
    /// Subnets (default: the private subnets with egress, as CDK).
    pub vpc_subnets: Option<SubnetSelection>,
    /// Master credentials (default: a generated secret for the engine's usual user name).
    pub credentials: Option<Credentials>,
    /// Serverless v2 capacity, in ACUs (default 0.5 to 2, as CDK).
    pub serverless_v2_min_capacity: f64,
    /// See `serverless_v2_min_capacity`.
    pub serverless_v2_max_capacity: f64,
    /// A database created with the cluster.
    pub default_database_name: Option<String>,
    /// Encrypt storage.
    pub storage_encrypted: Option<bool>,
    /// Deletion protection (default: on when the removal policy is Retain, as CDK).
    pub deletion_protection: Option<bool>,
    /// What happens when it leaves the stack (default: a snapshot, then deleted).
    pub removal_policy: Option<RemovalPolicy>,
    /// Cluster parameters, in order (a `ParameterGroup` with the cluster parameter group is
    /// made for them, as CDK's `parameters`).
    pub parameters: Vec<(String, String)>,
}

impl DatabaseClusterProps {
    /// A cluster of `engine` in `vpc` with `writer`.
    pub fn new(engine: DatabaseClusterEngine, vpc: &Vpc, writer: ClusterInstance) -> Self {
        DatabaseClusterProps {
            engine,
            vpc: vpc.clone(),
            writer,
            readers: Vec::new(),
            vpc_subnets: None,
            credentials: None,
            serverless_v2_min_capacity: 0.5,
            serverless_v2_max_capacity: 2.0,
            default_database_name: None,
            storage_encrypted: None,
            deletion_protection: None,
            removal_policy: None,
            parameters: Vec::new(),
        }
    }
    /// Sets a cluster parameter (`rds.force_ssl` to `1`).
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push((name.into(), value.into()));
        self
    }
    setters! {
        /// Sets the readers.
        set readers: Vec<ClusterInstance>;
        /// Selects subnets.
        some vpc_subnets: SubnetSelection;
        /// Sets the credentials.
        some credentials: Credentials;
        /// Sets the smallest Serverless v2 capacity.
        set serverless_v2_min_capacity: f64;
        /// Sets the largest Serverless v2 capacity.
        set serverless_v2_max_capacity: f64;
        /// Sets the database's name.
        into default_database_name: String;
        /// Encrypts storage or not.
        some storage_encrypted: bool;
        /// Turns deletion protection on or off.
        some deletion_protection: bool;
        /// Sets the removal policy.
        some removal_policy: RemovalPolicy;
    }
}

/// An Aurora DB cluster.
#[derive(Clone)]
pub struct DatabaseCluster {
    scope: Scope,
    resource: CfnDbCluster,
    connections: Connections,
    port: u16,
    secret: Secret,
}

impl AsScope for DatabaseCluster {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl DatabaseCluster {
    /// Creates the cluster and its instances. What RDS refuses (capacity outside 0 to 256 ACUs
    /// in half steps, a minimum above the maximum, one AZ, two instances of one id) is an error
    /// naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: DatabaseClusterProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.rds.DatabaseCluster")?;
        let (min, max) = (props.serverless_v2_min_capacity, props.serverless_v2_max_capacity);
        let half_steps = |v: f64| (v * 2.0).fract() == 0.0;
        if !(0.0..=256.0).contains(&min) || !(0.5..=256.0).contains(&max) || !half_steps(min) || !half_steps(max) || min > max {
            return Err(scope.error(format!("Serverless v2 capacity {min} to {max} ACUs: Aurora takes 0 to 256 (the maximum at least 0.5) in steps of 0.5, the minimum not above the maximum")));
        }
        let ids: Vec<&str> = std::iter::once(&props.writer).chain(&props.readers).map(|i| i.id.as_str()).collect();
        if let Some(dup) = ids.iter().enumerate().find(|(i, x)| ids.iter().take(*i).any(|y| y == *x)).map(|(_, x)| *x) {
            return Err(scope.error(format!("two instances are named '{dup}'; give each its own id")));
        }
        let selection = props.vpc_subnets.clone().unwrap_or_else(|| SubnetSelection::of_type(SubnetType::PrivateWithEgress));
        let subnets = subnets_in_two_azs(&scope, &props.vpc, &selection)?;
        let subnet_group = CfnDbSubnetGroup::new(
            &scope.child("Subnets", "ironcdk.rds.SubnetGroup")?,
            "Default",
            CfnDbSubnetGroupProps::new(format!("Subnets for {id} database"), subnets.iter().map(|s| s.subnet_id.clone()).collect::<Vec<_>>()),
        )?;
        if props.removal_policy == Some(RemovalPolicy::Retain) {
            subnet_group.apply_removal_policy(RemovalPolicy::Retain);
        }
        let group = SecurityGroup::new(&scope, "SecurityGroup", SecurityGroupProps::new(&props.vpc).description("RDS security group"))?;
        let credentials = props.credentials.clone().unwrap_or_else(|| Credentials::from_username(props.engine.default_username()));
        let (secret, username) = master_credentials(&scope, &credentials)?;
        let port = props.engine.default_port();
        let serverless = std::iter::once(&props.writer).chain(&props.readers).any(|i| i.instance_type.is_none());
        // As CDK: parameters make a group of the engine's family; else the engine's default.
        let family = props.engine.family();
        let parameter_group: Val<String> = if props.parameters.is_empty() {
            format!("default.{family}").into()
        } else {
            let params = super::parameters_map(&scope, &props.parameters)?;
            CfnDbClusterParameterGroup::new(
                &scope.child("ParameterGroup", "ironcdk.rds.ParameterGroup")?,
                "Resource",
                CfnDbClusterParameterGroupProps::new(format!("Cluster parameter group for {family}"), family, params),
            )?
            .ref_()
        };
        let mut p = CfnDbClusterProps::new()
            .copy_tags_to_snapshot(true)
            .db_cluster_parameter_group_name(parameter_group)
            .db_subnet_group_name(subnet_group.ref_())
            .engine(props.engine.engine())
            .engine_version(props.engine.version())
            .master_user_password(secret.secret_value_from_json("password"))
            .master_username(username)
            .vpc_security_group_ids(vec![group.security_group_id()]);
        // As CDK: Aurora PostgreSQL's port is written; Aurora MySQL's is left to the engine.
        if matches!(props.engine, DatabaseClusterEngine::AuroraPostgres(_)) {
            p = p.port(i64::from(port));
        }
        if let Some(n) = &props.default_database_name {
            p = p.database_name(n.clone());
        }
        if serverless {
            p = p.serverless_v2scaling_configuration(cfn_db_cluster::ServerlessV2scalingConfiguration::new().min_capacity(min).max_capacity(max));
        }
        if let Some(b) = props.storage_encrypted {
            p = p.storage_encrypted(b);
        }
        if let Some(b) = props.deletion_protection.or((props.removal_policy == Some(RemovalPolicy::Retain)).then_some(true)) {
            p = p.deletion_protection(b);
        }
        let resource = CfnDbCluster::new(&scope, "Resource", p)?;
        resource.apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Snapshot));
        let secret = if matches!(credentials, Credentials::FromSecret(_)) {
            secret
        } else {
            let attachment = CfnSecretTargetAttachment::new(
                &secret.scope().child("Attachment", "ironcdk.secretsmanager.SecretTargetAttachment")?,
                "Resource",
                CfnSecretTargetAttachmentProps::new(secret.secret_arn(), resource.ref_(), "AWS::RDS::DBCluster"),
            )?;
            secret.attached(&attachment)
        };
        // As CDK: the writer first, readers after it (tier 1 when scaled with the writer, else 2),
        // every instance waiting for its subnets' routes.
        let mut writer: Option<CfnDbInstance> = None;
        for (n, inst) in std::iter::once(&props.writer).chain(&props.readers).enumerate() {
            let tier: i64 = if n == 0 { 0 } else if inst.scale_with_writer { 1 } else { 2 };
            let class = inst.instance_type.as_ref().map_or_else(|| "db.serverless".to_string(), InstanceType::db_class);
            let mut ip = CfnDbInstanceProps::new().db_cluster_identifier(resource.ref_()).db_instance_class(class).engine(props.engine.engine()).promotion_tier(tier);
            // As CDK: publicly accessible when the cluster is placed in public subnets by type.
            if let Some(sel) = &props.vpc_subnets {
                ip = ip.publicly_accessible(sel.subnet_type == Some(SubnetType::Public));
            }
            let r = CfnDbInstance::new(&scope.child(&inst.id, "ironcdk.rds.ClusterInstance")?, "Resource", ip)?;
            // As CDK: instances are kept with a retained cluster, else deleted (the snapshot is
            // the cluster's).
            r.apply_removal_policy(if props.removal_policy == Some(RemovalPolicy::Retain) { RemovalPolicy::Retain } else { RemovalPolicy::Destroy });
            if let Some(w) = &writer {
                r.resource().add_depends_on(&w.resource().scope())?;
            }
            for dep in props.vpc.internet_connectivity(&subnets) {
                r.resource().add_depends_on(dep)?;
            }
            if n == 0 {
                writer = Some(r);
            }
        }
        Ok(DatabaseCluster { scope, resource, connections: Connections { groups: vec![group] }, port, secret })
    }

    /// The cluster's security groups.
    pub fn connections(&self) -> Connections {
        self.connections.clone()
    }

    /// Admits `other` on the cluster's port (CDK's `connections.allowDefaultPortFrom`; the port
    /// is a number here, as for instances).
    pub fn allow_default_port_from(&self, other: &Connections, description: Option<&str>) -> Result<()> {
        self.connections.allow_from(other, Port::tcp(self.port), description)
    }

    /// `Fn::GetAtt Endpoint.Address` (the writer's endpoint).
    pub fn cluster_endpoint_address(&self) -> Val<String> {
        self.resource.attr_endpoint_address()
    }

    /// The secret with the master credentials, as attached to the cluster.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}
