//! AWS Systems Manager: existing `StringParameter`s by name (plain or secure strings), to read
//! at deploy or give to containers as secrets, with CDK's `grantRead`; and the generated L1
//! resources.

generated_l1!("ssm");
pub use generated::*;

use ironcdk_synth::{fns, AsScope, Pseudo, Result, Scope, Val};

use crate::iam::{Grantable, PolicyStatement};

/// An existing Parameter Store parameter (CDK's `IStringParameter` from a name).
#[derive(Clone)]
pub struct StringParameter {
    scope: Scope,
    name: String,
    arn: Val<String>,
}

impl AsScope for StringParameter {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl StringParameter {
    /// A plain string parameter by name (CDK's `fromStringParameterName`).
    pub fn from_string_parameter_name(scope: &impl AsScope, id: &str, name: &str) -> Result<StringParameter> {
        Self::import(scope, id, name)
    }

    /// A secure string parameter by name (CDK's `fromSecureStringParameterAttributes`, without a
    /// key of yours: the AWS managed one decrypts it).
    pub fn from_secure_string_parameter_name(scope: &impl AsScope, id: &str, name: &str) -> Result<StringParameter> {
        Self::import(scope, id, name)
    }

    fn import(scope: &impl AsScope, id: &str, name: &str) -> Result<StringParameter> {
        let scope = scope.scope().child(id, "ironcdk.ssm.ImportedStringParameter")?;
        let ok = !name.is_empty() && name.len() <= 2048 && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c));
        if !ok {
            return Err(scope.error(format!("parameter name '{name}' must be 1 to 2048 letters, digits and _.-/")));
        }
        // As CDK: a name with a path is fully qualified.
        if name.contains('/') && !name.starts_with('/') {
            return Err(scope.error(format!("parameter name '{name}' has a path but does not start with '/'; name it '/{name}'")));
        }
        let resource = if name.starts_with('/') { format!(":parameter{name}") } else { format!(":parameter/{name}") };
        let arn = fns::join("", ["arn:".into(), scope.partition_value(), ":ssm:".into(), scope.region_value(), ":".into(), Pseudo::AccountId.val(), resource.into()]);
        Ok(StringParameter { scope, name: name.to_string(), arn })
    }

    /// The parameter's name.
    pub fn parameter_name(&self) -> &str {
        &self.name
    }

    /// The parameter's ARN.
    pub fn parameter_arn(&self) -> Val<String> {
        self.arn.clone()
    }

    /// Lets `grantee` read the parameter (CDK's `grantRead`).
    pub fn grant_read(&self, grantee: &impl Grantable) -> Result<()> {
        grantee
            .grant_role()
            .add_to_policy(PolicyStatement::allow().actions(["ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParameterHistory"]).resource(self.arn.clone()))
    }
}
