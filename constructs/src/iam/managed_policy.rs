//! Customer managed policies: CDK's `new iam.ManagedPolicy(...)`.

use ironcdk_synth::{AsScope, Result};

use super::generated::*;
use super::{policy_document, sort_policy_lists, ManagedPolicy, PolicyStatement};

/// Options of a customer managed policy ([`ManagedPolicy::new`]).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ManagedPolicyProps {
    /// Physical name (needs `CAPABILITY_NAMED_IAM`); CloudFormation names it when unset.
    pub managed_policy_name: Option<String>,
    /// Description (CDK writes an empty one when unset).
    pub description: Option<String>,
    /// IAM path, `/` by default.
    pub path: Option<String>,
    /// The statements; merged and sorted as CDK does.
    pub statements: Vec<PolicyStatement>,
}

impl ManagedPolicyProps {
    /// A policy of `statements`.
    pub fn new(statements: Vec<PolicyStatement>) -> Self {
        ManagedPolicyProps { statements, ..Self::default() }
    }
    setters! {
        /// Sets the physical name.
        into managed_policy_name: String;
        /// Sets the description.
        into description: String;
        /// Sets the IAM path.
        into path: String;
    }
}

impl ManagedPolicy {
    /// Creates a customer managed policy (`AWS::IAM::ManagedPolicy`, rendered as CDK renders
    /// it) and returns it as a policy a role takes (`RoleProps::managed_policy`): its `Ref`,
    /// which is its ARN. A policy IAM would refuse (no statement, a name or path outside IAM's
    /// rules) is an error naming the construct.
    pub fn new(scope: &impl AsScope, id: &str, props: ManagedPolicyProps) -> Result<ManagedPolicy> {
        let scope = scope.scope().child(id, "ironcdk.iam.ManagedPolicy")?;
        if props.statements.is_empty() {
            return Err(scope.error("the managed policy has no statement; IAM refuses an empty policy. Give it at least one statement"));
        }
        if let Some(n) = &props.managed_policy_name {
            let ok = !n.is_empty() && n.len() <= 128 && n.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
            if !ok {
                return Err(scope.error(format!("managed policy name '{n}' must be 1 to 128 characters of letters, digits and +=,.@_-")));
            }
        }
        let path = props.path.clone().unwrap_or_else(|| "/".into());
        let path_ok = path.len() <= 512 && path.starts_with('/') && path.ends_with('/') && path.chars().all(|c| c.is_ascii_graphic());
        if !path_ok {
            return Err(scope.error(format!("IAM path '{path}' must begin and end with '/' and hold at most 512 printable ASCII characters")));
        }
        let mut p = CfnManagedPolicyProps::new(policy_document(&props.statements))
            .description(props.description.clone().unwrap_or_default())
            .path(path);
        if let Some(n) = &props.managed_policy_name {
            p = p.managed_policy_name(n.clone());
        }
        let resource = CfnManagedPolicy::new(&scope, "Resource", p)?;
        sort_policy_lists(resource.resource(), "PolicyDocument");
        Ok(ManagedPolicy::Arn(resource.ref_()))
    }
}
