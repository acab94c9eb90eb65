//! Amazon RDS: `DatabaseInstance` as aws-cdk-lib 2.276 writes it (`<id>/SubnetGroup/Default`,
//! `<id>/SecurityGroup`, the generated credentials in `<id>/Secret` with its `Attachment`, and
//! `<id>/Resource`, snapshotted when it leaves the stack), and the generated L1 resources.
//!
//! One deliberate difference: `connections()` rules name the database's port as a number (the
//! engine's default, or the one given), where CDK names the `Endpoint.Port` attribute, which no
//! check can read before deploy.

generated_l1!("rds");
mod cluster;
pub use cluster::*;
pub use generated::*;

use ironcdk_synth::{fns, AsScope, Pseudo, RemovalPolicy, Result, Scope, Val};

use crate::ec2::{Connections, Port, SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType, Vpc};
use crate::secretsmanager::{CfnSecretTargetAttachment, CfnSecretTargetAttachmentProps, Secret, SecretProps, SecretStringGenerator};

/// The characters CDK keeps out of generated database passwords (those the engines or their
/// connection strings trip on).
pub const DEFAULT_PASSWORD_EXCLUDE_CHARS: &str = " %+~`#$&*()|[]{}:;<>?!'/@\"\\";

/// PostgreSQL versions RDS creates instances of (those cfn-lint 1.58 does not list as
/// deprecated; older ones fail at deploy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PostgresEngineVersion {
    /// 15.17
    V15_17,
    /// 16.13
    V16_13,
    /// 17.9
    V17_9,
}

impl PostgresEngineVersion {
    fn as_str(self) -> &'static str {
        match self {
            PostgresEngineVersion::V15_17 => "15.17",
            PostgresEngineVersion::V16_13 => "16.13",
            PostgresEngineVersion::V17_9 => "17.9",
        }
    }
}

/// MySQL versions RDS creates instances of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MysqlEngineVersion {
    /// 8.0.46
    V8_0_46,
    /// 8.4.10
    V8_4_10,
}

impl MysqlEngineVersion {
    fn as_str(self) -> &'static str {
        match self {
            MysqlEngineVersion::V8_0_46 => "8.0.46",
            MysqlEngineVersion::V8_4_10 => "8.4.10",
        }
    }
}

/// A database engine and version (CDK's `DatabaseInstanceEngine`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DatabaseInstanceEngine {
    /// PostgreSQL.
    Postgres(PostgresEngineVersion),
    /// MySQL.
    Mysql(MysqlEngineVersion),
}

impl DatabaseInstanceEngine {
    /// PostgreSQL of `version`.
    pub fn postgres(version: PostgresEngineVersion) -> Self {
        DatabaseInstanceEngine::Postgres(version)
    }
    /// MySQL of `version`.
    pub fn mysql(version: MysqlEngineVersion) -> Self {
        DatabaseInstanceEngine::Mysql(version)
    }
    fn engine(self) -> &'static str {
        match self {
            DatabaseInstanceEngine::Postgres(_) => "postgres",
            DatabaseInstanceEngine::Mysql(_) => "mysql",
        }
    }
    fn version(self) -> &'static str {
        match self {
            DatabaseInstanceEngine::Postgres(v) => v.as_str(),
            DatabaseInstanceEngine::Mysql(v) => v.as_str(),
        }
    }
    /// The port the engine listens on by default.
    pub fn default_port(self) -> u16 {
        match self {
            DatabaseInstanceEngine::Postgres(_) => 5432,
            DatabaseInstanceEngine::Mysql(_) => 3306,
        }
    }
    /// The parameter group family (`postgres16`, `mysql8.4`).
    fn family(self) -> String {
        let v = self.version();
        match self {
            DatabaseInstanceEngine::Postgres(_) => format!("postgres{}", v.split('.').next().unwrap_or(v)),
            DatabaseInstanceEngine::Mysql(_) => format!("mysql{}", v.split('.').take(2).collect::<Vec<_>>().join(".")),
        }
    }
    /// CDK's default master user name for the engine.
    fn default_username(self) -> &'static str {
        match self {
            DatabaseInstanceEngine::Postgres(_) => "postgres",
            DatabaseInstanceEngine::Mysql(_) => "admin",
        }
    }
}

/// A DB instance class, such as `db.t4g.micro` (CDK's `InstanceType` in a database).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceType(String);

impl InstanceType {
    /// An instance type by its EC2 name without `db.` (`t4g.micro`, `m7g.large`).
    pub fn new(name: impl Into<String>) -> Self {
        InstanceType(name.into())
    }
    /// The `db.` class RDS takes.
    pub fn db_class(&self) -> String {
        format!("db.{}", self.0)
    }
}

/// How the master user's credentials are made (CDK's `Credentials`).
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A secret generated for the database (`<id>/Secret`), with this user name, written into
    /// the template (CDK's `fromGeneratedSecret`: the secret's logical ID carries a hash of how
    /// its password is made).
    GeneratedSecret {
        /// The master user name.
        username: String,
    },
    /// A secret generated for the database with this user name, which the instance reads from
    /// the secret (CDK's `fromUsername`, and its default with the engine's usual user name).
    Username {
        /// The master user name.
        username: String,
    },
    /// An existing secret holding `username` and `password` fields.
    FromSecret(Secret),
}

impl Credentials {
    /// A generated secret with `username` (CDK's `Credentials.fromGeneratedSecret`).
    pub fn from_generated_secret(username: impl Into<String>) -> Self {
        Credentials::GeneratedSecret { username: username.into() }
    }
    /// A generated secret with `username`, read from the secret (CDK's `Credentials.fromUsername`).
    pub fn from_username(username: impl Into<String>) -> Self {
        Credentials::Username { username: username.into() }
    }
    /// An existing secret with `username` and `password` fields (CDK's `Credentials.fromSecret`).
    pub fn from_secret(secret: &Secret) -> Self {
        Credentials::FromSecret(secret.clone())
    }
}

/// Storage types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StorageType {
    /// General purpose SSD (CDK's default).
    Gp2,
    /// General purpose SSD, third generation.
    Gp3,
    /// Provisioned IOPS SSD.
    Io1,
}

impl StorageType {
    fn as_str(self) -> &'static str {
        match self {
            StorageType::Gp2 => "gp2",
            StorageType::Gp3 => "gp3",
            StorageType::Io1 => "io1",
        }
    }
}

/// Options of a [`DatabaseInstance`].
#[derive(Clone)]
#[non_exhaustive]
pub struct DatabaseInstanceProps {
    /// Engine and version.
    pub engine: DatabaseInstanceEngine,
    /// The VPC.
    pub vpc: Vpc,
    /// Instance class (required: CDK's default is an m5.large).
    pub instance_type: InstanceType,
    /// Subnets (default: the VPC's private subnets with egress, as CDK).
    pub vpc_subnets: Option<SubnetSelection>,
    /// Master credentials (default: a generated secret for the engine's usual user name).
    pub credentials: Option<Credentials>,
    /// Storage in GiB (default 100, as CDK).
    pub allocated_storage: u32,
    /// Storage type (default gp2, as CDK).
    pub storage_type: StorageType,
    /// Encrypt storage (default: RDS's, off).
    pub storage_encrypted: Option<bool>,
    /// A standby in another AZ.
    pub multi_az: Option<bool>,
    /// Days of automated backups (0 to 35; default RDS's, 1).
    pub backup_retention_days: Option<u32>,
    /// Deletion protection (default: on when the removal policy is Retain, as CDK).
    pub deletion_protection: Option<bool>,
    /// A database created with the instance.
    pub database_name: Option<String>,
    /// The port (default the engine's).
    pub port: Option<u16>,
    /// Reachable from the internet (default: when placed in public subnets).
    pub publicly_accessible: Option<bool>,
    /// The instance identifier.
    pub instance_identifier: Option<String>,
    /// What happens when it leaves the stack (default: a snapshot, then deleted).
    pub removal_policy: Option<RemovalPolicy>,
    /// Security groups (default: one made for it).
    pub security_groups: Vec<SecurityGroup>,
    /// Engine parameters, in order (a `ParameterGroup` is made for them, as CDK's `parameters`).
    pub parameters: Vec<(String, String)>,
}

impl DatabaseInstanceProps {
    /// An instance of `engine` in `vpc`.
    pub fn new(engine: DatabaseInstanceEngine, vpc: &Vpc, instance_type: InstanceType) -> Self {
        DatabaseInstanceProps {
            engine,
            vpc: vpc.clone(),
            instance_type,
            vpc_subnets: None,
            credentials: None,
            allocated_storage: 100,
            storage_type: StorageType::Gp2,
            storage_encrypted: None,
            multi_az: None,
            backup_retention_days: None,
            deletion_protection: None,
            database_name: None,
            port: None,
            publicly_accessible: None,
            instance_identifier: None,
            removal_policy: None,
            security_groups: Vec::new(),
            parameters: Vec::new(),
        }
    }
    /// Sets an engine parameter (`rds.force_ssl` to `1`).
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push((name.into(), value.into()));
        self
    }
    setters! {
        /// Selects subnets.
        some vpc_subnets: SubnetSelection;
        /// Sets the credentials.
        some credentials: Credentials;
        /// Sets the storage in GiB.
        set allocated_storage: u32;
        /// Sets the storage type.
        set storage_type: StorageType;
        /// Encrypts storage or not.
        some storage_encrypted: bool;
        /// A standby in another AZ or not.
        some multi_az: bool;
        /// Sets the days of automated backups.
        some backup_retention_days: u32;
        /// Turns deletion protection on or off.
        some deletion_protection: bool;
        /// Sets the database's name.
        into database_name: String;
        /// Sets the port.
        some port: u16;
        /// Reachable from the internet or not.
        some publicly_accessible: bool;
        /// Sets the instance identifier.
        into instance_identifier: String;
        /// Sets the removal policy.
        some removal_policy: RemovalPolicy;
        /// Uses these security groups.
        set security_groups: Vec<SecurityGroup>;
    }
}

/// The master user's secret and name as the database reads them: a generated secret (with
/// CDK's hashed logical ID and a written user name for `from_generated_secret`), or the given
/// one.
pub(crate) fn master_credentials(scope: &Scope, credentials: &Credentials) -> Result<(Secret, Val<String>)> {
    match credentials {
        Credentials::GeneratedSecret { username } | Credentials::Username { username } => {
            let literal = matches!(credentials, Credentials::GeneratedSecret { .. });
            let ok = !username.is_empty() && username.len() <= 63 && username.starts_with(|c: char| c.is_ascii_alphabetic()) && username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(scope.error(format!("master user name '{username}' must be 1 to 63 letters, digits and _, starting with a letter")));
            }
            let template = serde_json::json!({"username": username}).to_string();
            let secret = Secret::new(
                scope,
                "Secret",
                SecretProps::new()
                    .description(fns::join("", ["Generated by the CDK for stack: ".into(), Pseudo::StackName.val()]))
                    .generate_secret_string(SecretStringGenerator::json(template, "password").password_length(30).exclude_characters(DEFAULT_PASSWORD_EXCLUDE_CHARS)),
            )?;
            // As CDK's `fromGeneratedSecret`: the secret's logical ID carries a hash of how its
            // password is made, so a change of those rules replaces it; the user name is
            // written. Otherwise the database reads the user name from the secret.
            if literal {
                let hash = format!("{:x}", md5::compute(serde_json::json!({"excludeCharacters": DEFAULT_PASSWORD_EXCLUDE_CHARS}).to_string()));
                if let Some(r) = secret.resource() {
                    let unique = ironcdk_synth::logical_id::logical_id_of_path(&secret.scope().path(), 0);
                    r.resource().override_logical_id(format!("{unique}{hash}"))?;
                }
                Ok((secret, Val::from(username.as_str())))
            } else {
                let name = secret.secret_value_from_json("username");
                Ok((secret, name))
            }
        }
        Credentials::FromSecret(s) => Ok((s.clone(), s.secret_value_from_json("username"))),
    }
}

/// Subnets in at least two AZs for a DB subnet group, or an error of `scope`.
pub(crate) fn subnets_in_two_azs(scope: &Scope, vpc: &Vpc, selection: &SubnetSelection) -> Result<Vec<crate::ec2::SubnetRef>> {
    let subnets = vpc.select_subnets_for(scope, selection)?;
    let mut azs: Vec<usize> = subnets.iter().map(|s| s.az_index).collect();
    azs.sort_unstable();
    azs.dedup();
    if azs.len() < 2 {
        return Err(scope.error("a DB subnet group needs subnets in at least two Availability Zones; give the VPC two AZs or select more subnets"));
    }
    Ok(subnets)
}

/// An RDS DB instance.
#[derive(Clone)]
pub struct DatabaseInstance {
    scope: Scope,
    resource: CfnDbInstance,
    connections: Connections,
    port: u16,
    secret: Option<Secret>,
}

impl AsScope for DatabaseInstance {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl DatabaseInstance {
    /// Creates the instance, its subnet group, security group and generated secret. What RDS
    /// refuses (storage outside the engine's range, backups over 35 days, a name or user name
    /// it does not take, fewer than two AZs) is an error naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: DatabaseInstanceProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.rds.DatabaseInstance")?;
        if !(20..=65_536).contains(&props.allocated_storage) {
            return Err(scope.error(format!("allocated storage {} GiB is outside 20 to 65,536 GiB, which RDS accepts for this engine", props.allocated_storage)));
        }
        if props.backup_retention_days.is_some_and(|d| d > 35) {
            return Err(scope.error("backups are kept 0 to 35 days"));
        }
        if let Some(n) = &props.database_name {
            let ok = n.len() <= 63 && n.starts_with(|c: char| c.is_ascii_alphabetic()) && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(scope.error(format!("database name '{n}' must be 1 to 63 letters, digits and _, starting with a letter")));
            }
        }
        if let Some(n) = &props.instance_identifier {
            let ok = n.len() <= 63 && n.starts_with(|c: char| c.is_ascii_alphabetic()) && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !n.ends_with('-') && !n.contains("--");
            if !ok {
                return Err(scope.error(format!("instance identifier '{n}' must be 1 to 63 letters, digits and single hyphens, starting with a letter")));
            }
        }
        // As CDK's subnet group: the private subnets with egress unless told otherwise.
        let selection = props.vpc_subnets.clone().unwrap_or_else(|| SubnetSelection::of_type(SubnetType::PrivateWithEgress));
        let subnets = subnets_in_two_azs(&scope, &props.vpc, &selection)?;
        let subnet_group = CfnDbSubnetGroup::new(
            &scope.child("SubnetGroup", "ironcdk.rds.SubnetGroup")?,
            "Default",
            CfnDbSubnetGroupProps::new(format!("Subnet group for {id} database"), subnets.iter().map(|s| s.subnet_id.clone()).collect::<Vec<_>>()),
        )?;
        // As CDK: a retained database keeps its subnet group.
        if props.removal_policy == Some(RemovalPolicy::Retain) {
            subnet_group.apply_removal_policy(RemovalPolicy::Retain);
        }
        let groups = if props.security_groups.is_empty() {
            vec![SecurityGroup::new(&scope, "SecurityGroup", SecurityGroupProps::new(&props.vpc).description(format!("Security group for {id} database")))?]
        } else {
            props.security_groups.clone()
        };
        let credentials = props.credentials.clone().unwrap_or_else(|| Credentials::from_username(props.engine.default_username()));
        let (secret, username) = master_credentials(&scope, &credentials)?;
        let password = secret.secret_value_from_json("password");
        let mut p = CfnDbInstanceProps::new()
            .allocated_storage(props.allocated_storage.to_string())
            .copy_tags_to_snapshot(true)
            .db_instance_class(props.instance_type.db_class())
            .db_subnet_group_name(subnet_group.ref_())
            .engine(props.engine.engine())
            .engine_version(props.engine.version())
            .master_user_password(password)
            .master_username(username)
            .storage_type(props.storage_type.as_str())
            .vpc_security_groups(groups.iter().map(SecurityGroup::security_group_id).collect::<Vec<_>>());
        // As CDK: publicly accessible when placed in public subnets by type, unless told.
        let public = props.publicly_accessible.or_else(|| props.vpc_subnets.as_ref().map(|s| s.subnet_type == Some(SubnetType::Public)));
        if let Some(b) = public {
            if b && subnets.iter().any(|s| s.subnet_type != SubnetType::Public) {
                return Err(scope.error("a publicly accessible database must be in public subnets"));
            }
            p = p.publicly_accessible(b);
        }
        if let Some(b) = props.storage_encrypted {
            p = p.storage_encrypted(b);
        }
        if let Some(b) = props.multi_az {
            p = p.multi_az(b);
        }
        if let Some(d) = props.backup_retention_days {
            p = p.backup_retention_period(i64::from(d));
        }
        // As CDK: a retained database is protected from deletion unless told otherwise.
        if let Some(b) = props.deletion_protection.or((props.removal_policy == Some(RemovalPolicy::Retain)).then_some(true)) {
            p = p.deletion_protection(b);
        }
        if let Some(n) = &props.database_name {
            p = p.db_name(n.clone());
        }
        if let Some(port) = props.port {
            p = p.port(port.to_string());
        }
        if let Some(n) = &props.instance_identifier {
            p = p.db_instance_identifier(n.clone());
        }
        if !props.parameters.is_empty() {
            let family = props.engine.family();
            let params = parameters_map(&scope, &props.parameters)?;
            let group = CfnDbParameterGroup::new(
                &scope.child("ParameterGroup", "ironcdk.rds.ParameterGroup")?,
                "Resource",
                CfnDbParameterGroupProps::new(format!("Parameter group for {family}"), family).parameters(params),
            )?;
            p = p.db_parameter_group_name(group.ref_());
        }
        let resource = CfnDbInstance::new(&scope, "Resource", p)?;
        resource.apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Snapshot));
        // As CDK: the secret is attached to the instance (rotation and the console find it).
        let secret = if matches!(credentials, Credentials::GeneratedSecret { .. } | Credentials::Username { .. }) {
            let attachment = CfnSecretTargetAttachment::new(
                &secret.scope().child("Attachment", "ironcdk.secretsmanager.SecretTargetAttachment")?,
                "Resource",
                CfnSecretTargetAttachmentProps::new(secret.secret_arn(), resource.ref_(), "AWS::RDS::DBInstance"),
            )?;
            secret.attached(&attachment)
        } else {
            secret
        };
        let port = props.port.unwrap_or_else(|| props.engine.default_port());
        Ok(DatabaseInstance { scope, resource, connections: Connections { groups }, port, secret: Some(secret) })
    }

    /// The database's security groups.
    pub fn connections(&self) -> Connections {
        self.connections.clone()
    }

    /// Admits `other` on the database's port (CDK's `connections.allowDefaultPortFrom`).
    pub fn allow_default_port_from(&self, other: &Connections, description: Option<&str>) -> Result<()> {
        self.connections.allow_from(other, Port::tcp(self.port), description)
    }

    /// The port the database listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `Fn::GetAtt Endpoint.Address`.
    pub fn instance_endpoint_address(&self) -> Val<String> {
        self.resource.attr_endpoint_address()
    }

    /// The secret with the master credentials, as attached to the instance (CDK's
    /// `instance.secret`): its value also holds `host`, `port`, `dbname` and `engine`.
    pub fn secret(&self) -> Option<&Secret> {
        self.secret.as_ref()
    }
}

/// Engine parameters as a parameter group writes them, in order; one name twice is an error.
fn parameters_map(scope: &Scope, parameters: &[(String, String)]) -> Result<ironcdk_synth::Value> {
    let mut params = ironcdk_synth::Map::new();
    for (k, v) in parameters {
        if params.insert(k.clone(), ironcdk_synth::Value::Str(v.into())).is_some() {
            return Err(scope.error(format!("parameter '{k}' is given twice")));
        }
    }
    Ok(ironcdk_synth::Value::Map(params))
}
