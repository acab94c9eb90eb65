//! `kms::Key` and `Alias`, rendered as aws-cdk-lib 2.276 renders `new kms.Key(...)`: the key
//! policy trusting the account (so IAM policies grant use of the key, as CDK's grants do),
//! retained by default, and aliases under the key.

use std::cell::Cell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Duration, Pseudo, RemovalPolicy, Result, Scope, Val};

use super::generated::*;
use crate::iam::{policy_document, Grantable, PolicyStatement, Principal};

/// Options of a [`Key`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct KeyProps {
    /// Description.
    pub description: Option<String>,
    /// Rotate the key material every year.
    pub enable_key_rotation: Option<bool>,
    /// An alias (`alias/app`).
    pub alias: Option<String>,
    /// Days between scheduling deletion and deleting (7 to 30).
    pub pending_window: Option<Duration>,
    /// Removal policy (default: retain; data encrypted with a deleted key is lost).
    pub removal_policy: Option<RemovalPolicy>,
}

impl KeyProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the description.
        into description: String;
        /// Rotates the key yearly, or not.
        some enable_key_rotation: bool;
        /// Adds an alias.
        into alias: String;
        /// Sets the pending window.
        some pending_window: Duration;
        /// Sets the removal policy.
        some removal_policy: RemovalPolicy;
    }
}

/// A KMS key.
#[derive(Clone)]
pub struct Key {
    scope: Scope,
    resource: CfnKey,
    aliases: Rc<Cell<usize>>,
    policy: Rc<std::cell::RefCell<Vec<PolicyStatement>>>,
}

impl AsScope for Key {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Key {
    /// Creates the key (and its alias when given). A pending window outside 7 to 30 days or an
    /// alias KMS refuses is an error naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: KeyProps) -> Result<Key> {
        let scope = scope.scope().child(id, "ironcdk.kms.Key")?;
        // As CDK: the account's root may do anything with the key, so IAM policies decide.
        let root = fns::join("", ["arn:".into(), scope.partition_value(), ":iam::".into(), Pseudo::AccountId.val(), ":root".into()]);
        let statements = Rc::new(std::cell::RefCell::new(vec![PolicyStatement::allow().actions(["kms:*"]).principal(Principal::Aws(root)).resource("*")]));
        let mut p = CfnKeyProps::new();
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        if let Some(r) = props.enable_key_rotation {
            p = p.enable_key_rotation(r);
        }
        if let Some(w) = props.pending_window {
            let days = w.to_seconds() / 86_400;
            if !(7..=30).contains(&days) || !w.to_seconds().is_multiple_of(86_400) {
                return Err(scope.error(format!("pending window {} s is not 7 to 30 whole days", w.to_seconds())));
            }
            p = p.pending_window_in_days(i64::try_from(days).unwrap_or(30));
        }
        let st = statements.clone();
        let resource = CfnKey::new_lazy(&scope, "Resource", move || p.clone().key_policy(policy_document(&st.borrow())))?;
        // As CDK (minimizePolicies): each statement's lists sorted.
        crate::iam::sort_policy_lists(resource.resource(), "KeyPolicy");
        resource.apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Retain));
        let key = Key { scope, resource, aliases: Rc::default(), policy: statements };
        if let Some(a) = &props.alias {
            key.add_alias(a)?;
        }
        Ok(key)
    }

    /// Adds an alias (CDK's `addAlias`: `Alias` under the key, then `Alias<name>`). A name not
    /// starting with `alias/`, under `alias/aws/`, or with characters KMS refuses is an error.
    pub fn add_alias(&self, name: &str) -> Result<()> {
        let rest = name.strip_prefix("alias/").unwrap_or_default();
        let ok = !rest.is_empty() && name.len() <= 256 && !name.starts_with("alias/aws/") && rest.chars().all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c));
        if !ok {
            return Err(self.scope.error(format!("alias '{name}' must be alias/<name> (letters, digits, / _ -, not under alias/aws/)")));
        }
        let n = self.aliases.get();
        // As CDK: '/' in a construct id becomes '--'.
        let id = if n == 0 { "Alias".to_string() } else { format!("Alias{}", name.replace('/', "--")) };
        CfnAlias::new(&self.scope.child(&id, "ironcdk.kms.Alias")?, "Resource", CfnAliasProps::new(name, self.key_arn()))?;
        self.aliases.set(n.saturating_add(1));
        Ok(())
    }

    /// Adds a statement to the key policy (after the one trusting the account).
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) {
        if !self.policy.borrow().contains(&statement) {
            self.policy.borrow_mut().push(statement);
        }
    }

    /// `Fn::GetAtt Arn`.
    pub fn key_arn(&self) -> Val<String> {
        self.resource.attr_arn()
    }

    /// `Ref` (the key id).
    pub fn key_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    fn grant(&self, grantee: &impl Grantable, actions: &[&str]) -> Result<()> {
        grantee.grant_role().add_to_policy(PolicyStatement::allow().actions(actions.iter().copied()).resource(self.key_arn()))
    }

    /// Lets `grantee` decrypt with the key (CDK's `grantDecrypt`).
    pub fn grant_decrypt(&self, grantee: &impl Grantable) -> Result<()> {
        self.grant(grantee, &["kms:Decrypt"])
    }

    /// Lets `grantee` encrypt with the key (CDK's `grantEncrypt`).
    pub fn grant_encrypt(&self, grantee: &impl Grantable) -> Result<()> {
        self.grant(grantee, &["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"])
    }

    /// Lets `grantee` encrypt and decrypt (CDK's `grantEncryptDecrypt`).
    pub fn grant_encrypt_decrypt(&self, grantee: &impl Grantable) -> Result<()> {
        self.grant(grantee, &["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"])
    }
}
