//! `Secret`: a Secrets Manager secret as aws-cdk-lib 2.276 writes it (`<id>/Resource`, a
//! generated value unless told otherwise, deleted with the stack), a KMS key of yours with the
//! key policy CDK adds, `grant_read`, and imports by name or complete ARN.

use ironcdk_synth::{fns, AsScope, Pseudo, RemovalPolicy, Result, Scope, Val};

use super::generated::*;
use crate::iam::{Grantable, PolicyStatement, Principal};

/// How the secret's value is generated (CDK's `SecretStringGenerator`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecretStringGenerator {
    /// A JSON object the generated string is added to (with `generate_string_key`).
    pub secret_string_template: Option<String>,
    /// The key of the generated string in the template.
    pub generate_string_key: Option<String>,
    /// Length (default 32).
    pub password_length: Option<u32>,
    /// Characters never used.
    pub exclude_characters: Option<String>,
    /// No punctuation.
    pub exclude_punctuation: bool,
    /// No spaces... or spaces allowed (default: none).
    pub include_space: bool,
    /// No upper-case letters.
    pub exclude_uppercase: bool,
    /// No lower-case letters.
    pub exclude_lowercase: bool,
    /// No digits.
    pub exclude_numbers: bool,
}

impl SecretStringGenerator {
    /// Secrets Manager's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// A JSON object with a generated field: `{"username": "app"}` plus `"password": ...`.
    pub fn json(template: impl Into<String>, key: impl Into<String>) -> Self {
        SecretStringGenerator { secret_string_template: Some(template.into()), generate_string_key: Some(key.into()), ..Self::default() }
    }
    setters! {
        /// Sets the length.
        some password_length: u32;
        /// Sets the excluded characters.
        into exclude_characters: String;
        /// Leaves punctuation out.
        set exclude_punctuation: bool;
        /// Allows spaces.
        set include_space: bool;
        /// Leaves upper-case letters out.
        set exclude_uppercase: bool;
        /// Leaves lower-case letters out.
        set exclude_lowercase: bool;
        /// Leaves digits out.
        set exclude_numbers: bool;
    }
}

/// Options of a [`Secret`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct SecretProps {
    /// Physical name (default: CloudFormation's).
    pub secret_name: Option<String>,
    /// Description.
    pub description: Option<Val<String>>,
    /// How the value is generated (default: a 32-character string).
    pub generate_secret_string: Option<SecretStringGenerator>,
    /// A KMS key of yours (default: Secrets Manager's AWS managed key).
    pub encryption_key: Option<crate::kms::Key>,
    /// What happens to the secret when it leaves the stack (default: deleted, as CDK).
    pub removal_policy: Option<RemovalPolicy>,
}

impl SecretProps {
    /// A generated secret.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the name.
        into secret_name: String;
        /// Sets the description.
        into description: Val<String>;
        /// Sets how the value is generated.
        some generate_secret_string: SecretStringGenerator;
        /// Encrypts with this key.
        cloned encryption_key: crate::kms::Key;
        /// Sets the removal policy.
        some removal_policy: RemovalPolicy;
    }
}

/// A Secrets Manager secret, made here or imported.
#[derive(Clone)]
pub struct Secret {
    scope: Scope,
    secret_arn: Val<String>,
    key: Option<crate::kms::Key>,
    /// The resource, for a secret made here.
    resource: Option<CfnSecret>,
}

impl AsScope for Secret {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

/// What Secrets Manager accepts as a secret's name.
fn check_name(scope: &Scope, name: &str) -> Result<()> {
    if name.is_empty() || name.len() > 512 || !name.chars().all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)) {
        return Err(scope.error(format!("secret name '{name}' must be 1 to 512 letters, digits and /_+=.@-")));
    }
    Ok(())
}

impl Secret {
    /// Creates the secret. What Secrets Manager refuses (a template without its key, a length
    /// outside 1 to 4096, a name outside its characters) is an error naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: SecretProps) -> Result<Secret> {
        let scope = scope.scope().child(id, "ironcdk.secretsmanager.Secret")?;
        let mut p = CfnSecretProps::new();
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        let g = props.generate_secret_string.clone().unwrap_or_default();
        if g.secret_string_template.is_some() != g.generate_string_key.is_some() {
            return Err(scope.error("give secret_string_template and generate_string_key together (SecretStringGenerator::json)"));
        }
        if let Some(t) = &g.secret_string_template {
            if !matches!(serde_json::from_str::<serde_json::Value>(t), Ok(serde_json::Value::Object(_))) {
                return Err(scope.error(format!("secret string template '{t}' is not a JSON object")));
            }
        }
        if g.password_length.is_some_and(|n| !(1..=4096).contains(&n)) {
            return Err(scope.error("a generated secret is 1 to 4096 characters long"));
        }
        let mut gen = cfn_secret::GenerateSecretString::new();
        if g.exclude_characters.is_some() {
            gen = gen.exclude_characters(g.exclude_characters.clone().unwrap_or_default());
        }
        if g.exclude_lowercase {
            gen = gen.exclude_lowercase(true);
        }
        if g.exclude_numbers {
            gen = gen.exclude_numbers(true);
        }
        if g.exclude_punctuation {
            gen = gen.exclude_punctuation(true);
        }
        if g.exclude_uppercase {
            gen = gen.exclude_uppercase(true);
        }
        if let Some(k) = &g.generate_string_key {
            gen = gen.generate_string_key(k.clone());
        }
        if g.include_space {
            gen = gen.include_space(true);
        }
        if let Some(n) = g.password_length {
            gen = gen.password_length(i64::from(n));
        }
        if let Some(t) = &g.secret_string_template {
            gen = gen.secret_string_template(t.clone());
        }
        p = p.generate_secret_string(gen);
        if let Some(k) = &props.encryption_key {
            p = p.kms_key_id(k.key_arn());
        }
        if let Some(n) = &props.secret_name {
            check_name(&scope, n)?;
            p = p.name(n.clone());
        }
        let resource = CfnSecret::new(&scope, "Resource", p)?;
        resource.apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Destroy));
        // As CDK: the account may use the key through Secrets Manager.
        if let Some(k) = &props.encryption_key {
            let root = fns::join("", ["arn:".into(), scope.partition_value(), ":iam::".into(), Pseudo::AccountId.val(), ":root".into()]);
            k.add_to_resource_policy(
                PolicyStatement::allow()
                    .actions(["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"])
                    .principal(Principal::Aws(root))
                    .resource("*")
                    .condition(via_secrets_manager(&scope)),
            );
        }
        Ok(Secret { scope, secret_arn: resource.ref_(), key: props.encryption_key, resource: Some(resource) })
    }

    /// An existing secret by name (CDK's `fromSecretNameV2`): its ARN ends in `-??????`, the six
    /// characters Secrets Manager adds, so grants cover it.
    pub fn from_secret_name_v2(scope: &impl AsScope, id: &str, name: &str) -> Result<Secret> {
        let scope = scope.scope().child(id, "ironcdk.secretsmanager.ImportedSecret")?;
        check_name(&scope, name)?;
        let arn = fns::join(
            "",
            ["arn:".into(), scope.partition_value(), ":secretsmanager:".into(), scope.region_value(), ":".into(), Pseudo::AccountId.val(), format!(":secret:{name}-??????").into()],
        );
        Ok(Secret { scope, secret_arn: arn, key: None, resource: None })
    }

    /// An existing secret by its complete ARN (CDK's `fromSecretCompleteArn`).
    pub fn from_secret_complete_arn(scope: &impl AsScope, id: &str, arn: impl Into<Val<String>>) -> Result<Secret> {
        let scope = scope.scope().child(id, "ironcdk.secretsmanager.ImportedSecret")?;
        let arn = arn.into();
        if let Some(text) = arn.as_value().as_str() {
            let ok = text.starts_with("arn:") && text.split(':').nth(2) == Some("secretsmanager") && text.split(':').nth(5) == Some("secret");
            if !ok {
                return Err(scope.error(format!("'{text}' is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)")));
            }
        }
        Ok(Secret { scope, secret_arn: arn, key: None, resource: None })
    }

    /// The secret as attached to a database (CDK's `secret.attach(target)`): its ARN is the
    /// attachment's `Ref`, so what reads it waits for the attachment, which adds the host and
    /// port to the value.
    pub(crate) fn attached(&self, attachment: &super::CfnSecretTargetAttachment) -> Secret {
        Secret { scope: self.scope.clone(), secret_arn: attachment.ref_(), key: self.key.clone(), resource: None }
    }

    /// The resource of a secret made here (`<id>/Resource`).
    pub(crate) fn resource(&self) -> Option<&CfnSecret> {
        self.resource.as_ref()
    }

    /// The secret's ARN (`Ref`).
    pub fn secret_arn(&self) -> Val<String> {
        self.secret_arn.clone()
    }

    /// The key of yours the secret is encrypted with.
    pub fn encryption_key(&self) -> Option<&crate::kms::Key> {
        self.key.as_ref()
    }

    /// A dynamic reference to one field of the secret's JSON value, resolved by CloudFormation
    /// at deploy (`{{resolve:secretsmanager:<arn>:SecretString:<field>::}}`): the value never
    /// appears in the template.
    pub fn secret_value_from_json(&self, field: &str) -> Val<String> {
        fns::join("", ["{{resolve:secretsmanager:".into(), self.secret_arn.clone(), format!(":SecretString:{field}::}}}}").into()])
    }

    /// Lets `grantee` read the secret (CDK's `grantRead`): `DescribeSecret` and
    /// `GetSecretValue` on it, and with a key of yours, decrypting through Secrets Manager.
    pub fn grant_read(&self, grantee: &impl Grantable) -> Result<()> {
        grantee.grant_role().add_to_policy(PolicyStatement::allow().actions(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]).resource(self.secret_arn.clone()))?;
        if let Some(k) = &self.key {
            k.add_to_resource_policy(
                PolicyStatement::allow().actions(["kms:Decrypt"]).principal(Principal::Aws(grantee.grant_role().role_arn())).resource("*").condition(via_secrets_manager(&self.scope)),
            );
        }
        Ok(())
    }
}

/// `kms:ViaService` for Secrets Manager in the stack's region.
fn via_secrets_manager(scope: &Scope) -> ironcdk_synth::Value {
    let service: Val<String> = fns::join("", ["secretsmanager.".into(), scope.region_value(), ".amazonaws.com".into()]);
    crate::object([("StringEquals", crate::object([("kms:ViaService", service.into_value())]))])
}
