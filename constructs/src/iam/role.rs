//! `Role` with a default policy that grants add statements to, as in CDK.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Map, Pseudo, Result, Scope, ToValue, Val, Value};

use super::generated::*;

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `Allow`
    Allow,
    /// `Deny`
    Deny,
}

/// Who may assume a role.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// An AWS service, such as `ecs-tasks.amazonaws.com`.
    Service(String),
    /// Several principals at once (CDK's `CompositePrincipal`).
    Composite(Vec<Principal>),
    /// An account, role or user ARN.
    Aws(Val<String>),
}

impl Principal {
    /// An AWS service principal.
    pub fn service(name: impl Into<String>) -> Self {
        Principal::Service(name.into())
    }
    /// Several principals.
    pub fn composite(all: Vec<Principal>) -> Self {
        Principal::Composite(all)
    }
    fn collect(&self, services: &mut Vec<String>, aws: &mut Vec<Value>) {
        match self {
            Principal::Service(s) => {
                if !services.contains(s) {
                    services.push(s.clone())
                }
            }
            Principal::Aws(a) => aws.push(a.to_value()),
            Principal::Composite(all) => all.iter().for_each(|p| p.collect(services, aws)),
        }
    }
    /// The `Principal` block of a policy statement.
    pub fn to_principal_block(&self) -> Value {
        // The usual principal, a service, without gathering lists first.
        if let Principal::Service(s) = self {
            let mut m = Map::with_capacity(1);
            m.insert("Service", Value::Str(s.as_str().into()));
            return Value::Map(m);
        }
        let (mut services, mut aws) = (Vec::new(), Vec::new());
        self.collect(&mut services, &mut aws);
        let mut m = Map::new();
        if !aws.is_empty() {
            m.insert("AWS", one_or_list(aws.into_iter()));
        }
        if !services.is_empty() {
            m.insert("Service", one_or_list(services.into_iter().map(|s| Value::Str(s.into()))));
        }
        Value::Map(m)
    }
}

/// CDK's `ServicePrincipal`, for programs that read like their CDK originals.
pub struct ServicePrincipal;
impl ServicePrincipal {
    /// `Principal::service(name)`.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(name: &str) -> Principal {
        Principal::service(name)
    }
}

/// One item as itself, several (or none) as a list, as CDK writes a statement's actions,
/// resources and principals; items are given one by one, not gathered into a list first.
fn one_or_list(mut items: impl ExactSizeIterator<Item = Value>) -> Value {
    match (items.len(), items.next()) {
        (1, Some(only)) => only,
        (_, first) => Value::List(first.into_iter().chain(items).collect()),
    }
}

/// One statement of a policy.
///
/// ```
/// use ironcdk_constructs::iam::PolicyStatement;
/// let s = PolicyStatement::allow().actions(["ecr:GetAuthorizationToken"]).resource("*");
/// assert_eq!(s.actions, vec!["ecr:GetAuthorizationToken"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PolicyStatement {
    /// Allow or deny.
    pub effect: Effect,
    /// Actions such as `s3:GetObject`.
    pub actions: Vec<String>,
    /// Resource ARNs (or `*`).
    pub resources: Vec<Val<String>>,
    /// Principal (resource policies and trust policies only).
    pub principal: Option<Principal>,
    /// Condition block.
    pub condition: Option<Value>,
    /// Statement id.
    pub sid: Option<String>,
    /// Resources decided when the policy is written (CDK's `Lazy` resources), after `resources`.
    pub late_resources: Vec<LateResource>,
}

/// A resource of a statement decided when the policy is written: a table's indexes
/// (`<arn>/index/*`) are granted when the table has indexes by then, added before or after the
/// grant (as CDK decides at synth).
#[derive(Clone)]
pub struct LateResource(std::rc::Rc<dyn Fn() -> Option<Val<String>>>);

impl LateResource {
    /// The resource `f` gives when the policy is written, if any.
    pub fn new(f: impl Fn() -> Option<Val<String>> + 'static) -> Self {
        LateResource(std::rc::Rc::new(f))
    }
}

impl std::fmt::Debug for LateResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LateResource")
    }
}

impl PartialEq for LateResource {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl PolicyStatement {
    /// An `Allow` statement with nothing in it yet.
    pub fn allow() -> Self {
        PolicyStatement { effect: Effect::Allow, actions: Vec::new(), resources: Vec::new(), principal: None, condition: None, sid: None, late_resources: Vec::new() }
    }
    /// Adds a resource decided when the policy is written.
    pub fn late_resource(mut self, r: LateResource) -> Self {
        self.late_resources.push(r);
        self
    }
    /// The statement as it is written now: its late resources decided.
    fn settled(&self) -> PolicyStatement {
        let mut s = self.clone();
        let late = std::mem::take(&mut s.late_resources);
        s.resources.extend(late.iter().filter_map(|r| (r.0)()));
        s
    }
    /// A `Deny` statement with nothing in it yet.
    pub fn deny() -> Self {
        PolicyStatement { effect: Effect::Deny, ..Self::allow() }
    }
    /// Adds actions.
    pub fn actions<I: IntoIterator<Item = S>, S: Into<String>>(mut self, actions: I) -> Self {
        self.actions.extend(actions.into_iter().map(Into::into));
        self
    }
    /// Adds one resource.
    pub fn resource(mut self, arn: impl Into<Val<String>>) -> Self {
        self.resources.push(arn.into());
        self
    }
    setters! {
        /// Sets the principal.
        some principal: Principal;
        /// Sets the condition block.
        some condition: Value;
        /// Sets the statement id.
        into sid: String;
    }
}

impl ToValue for PolicyStatement {
    fn to_value(&self) -> Value {
        if !self.late_resources.is_empty() {
            return self.settled().to_value();
        }
        let mut m = Map::new();
        m.insert_distinct("Action", one_or_list(self.actions.iter().map(|a| Value::Str(a.into()))));
        if let Some(c) = &self.condition {
            m.insert_distinct("Condition", c.clone());
        }
        m.insert_distinct("Effect", Value::Str(if self.effect == Effect::Allow { "Allow" } else { "Deny" }.into()));
        if let Some(p) = &self.principal {
            m.insert_distinct("Principal", p.to_principal_block());
        }
        if !self.resources.is_empty() {
            m.insert_distinct("Resource", one_or_list(self.resources.iter().map(ToValue::to_value)));
        }
        if let Some(s) = &self.sid {
            m.insert_distinct("Sid", Value::Str(s.into()));
        }
        Value::Map(m)
    }
}

/// A policy document: `{"Statement": [...], "Version": "2012-10-17"}`, its statements merged
/// as CDK merges them in new projects (`@aws-cdk/aws-iam:minimizePolicies`): two statements
/// with the same effect and condition and no `Sid` become one when two of their actions,
/// resources and principals are the same sets. A resource holding the document should also
/// sort its lists ([`sort_policy_lists`]), as CDK does after merging.
pub fn policy_document(statements: &[PolicyStatement]) -> Value {
    let mut m = Map::with_capacity(2);
    let list = match statements {
        // One statement (a role's trust policy) has nothing to merge with.
        [one] => vec![one.to_value()],
        _ => {
            // A statement without late resources is written as it is: only the others are copied.
            let settled: Vec<Cow<'_, PolicyStatement>> =
                statements.iter().map(|s| if s.late_resources.is_empty() { Cow::Borrowed(s) } else { Cow::Owned(s.settled()) }).collect();
            minimize(settled).iter().map(|s| s.to_value()).collect()
        }
    };
    m.insert_distinct("Statement", Value::List(list));
    m.insert_distinct("Version", Value::Str("2012-10-17".into()));
    Value::Map(m)
}

/// CDK's merging: pass after pass over every pair until nothing merges, each merge taking the
/// place of the first of the two.
fn minimize(statements: Vec<Cow<'_, PolicyStatement>>) -> Vec<Cow<'_, PolicyStatement>> {
    let mut out = statements;
    let mut changed = true;
    while changed {
        changed = false;
        let mut i = 0;
        while i < out.len() {
            let mut j = i.saturating_add(1);
            while j < out.len() {
                let merged = match (out.get(i), out.get(j)) {
                    (Some(a), Some(b)) => merge(a, b),
                    _ => None,
                };
                match (merged, out.get_mut(i)) {
                    (Some(m), Some(slot)) => {
                        *slot = Cow::Owned(m);
                        out.remove(j);
                        changed = true;
                    }
                    _ => j = j.saturating_add(1),
                }
            }
            i = i.saturating_add(1);
        }
    }
    out
}

/// Whether two lists hold the same items, repeats aside (CDK keeps a statement's actions and
/// resources as sets).
fn same_set<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

fn merge(a: &PolicyStatement, b: &PolicyStatement) -> Option<PolicyStatement> {
    if a.effect != b.effect || a.sid.is_some() || b.sid.is_some() || a.condition != b.condition {
        return None;
    }
    let same = [same_set(&a.actions, &b.actions), same_set(&a.resources, &b.resources), a.principal == b.principal];
    if same.iter().filter(|s| **s).count() < 2 {
        return None;
    }
    let mut actions = a.actions.clone();
    actions.extend(b.actions.iter().filter(|x| !a.actions.contains(x)).cloned());
    actions.sort();
    let mut resources = a.resources.clone();
    resources.extend(b.resources.iter().filter(|x| !a.resources.contains(x)).cloned());
    let principal = match (&a.principal, &b.principal) {
        (Some(x), Some(y)) if x != y => Some(Principal::Composite(vec![x.clone(), y.clone()])),
        (x, y) => x.clone().or_else(|| y.clone()),
    };
    Some(PolicyStatement { actions, resources, principal, ..a.clone() })
}

/// Registers CDK's post-processing of a policy document at property `document` of `resource`:
/// each statement's `Action`, `Resource` and principals sorted by their JSON, duplicates
/// removed.
pub fn sort_policy_lists(resource: &ironcdk_synth::Resource, document: &'static str) {
    macro_rules! lists_of {
        ($doc:literal) => {
            &[
                &[$doc, "Statement", "*", "Action"],
                &[$doc, "Statement", "*", "Resource"],
                &[$doc, "Statement", "*", "Principal", "AWS"],
                &[$doc, "Statement", "*", "Principal", "Service"],
            ]
        };
    }
    const POLICY_DOCUMENT: &[&[&str]] = lists_of!("PolicyDocument");
    // The documents this crate writes: their paths are tables, not built per resource.
    let known: Option<&'static [&'static [&'static str]]> = match document {
        "AssumeRolePolicyDocument" => Some(lists_of!("AssumeRolePolicyDocument")),
        "PolicyDocument" => Some(POLICY_DOCUMENT),
        "KeyPolicy" => Some(lists_of!("KeyPolicy")),
        _ => None,
    };
    match known {
        Some(paths) => resource.sort_by_json_paths(paths),
        // Another document: the same lists below its name.
        None => {
            for path in POLICY_DOCUMENT {
                let path: Vec<&'static str> = std::iter::once(document).chain(path.iter().skip(1).copied()).collect();
                resource.sort_by_json(&path);
            }
        }
    }
}

/// The ARN of an AWS managed policy by name, such as
/// `service-role/AmazonECSTaskExecutionRolePolicy`, with the partition as `AWS::Partition`.
pub fn aws_managed_policy_arn(name: &str) -> Val<String> {
    fns::join("", ["arn:".into(), Pseudo::Partition.val(), format!(":iam::aws:policy/{name}").into()])
}

/// A managed policy attached to a role.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ManagedPolicy {
    /// An AWS managed policy by name (`service-role/AmazonECSTaskExecutionRolePolicy`).
    AwsManaged(String),
    /// Any managed policy by ARN.
    Arn(Val<String>),
}

impl ManagedPolicy {
    /// An AWS managed policy by name (CDK's `ManagedPolicy.fromAwsManagedPolicyName`); its ARN's
    /// partition is `AWS::Partition`, as CDK writes it, so it works in every partition.
    pub fn from_aws_managed_policy_name(name: impl Into<String>) -> Self {
        ManagedPolicy::AwsManaged(name.into())
    }
    /// A managed policy by ARN.
    pub fn from_managed_policy_arn(arn: impl Into<Val<String>>) -> Self {
        ManagedPolicy::Arn(arn.into())
    }
    /// What IAM refuses in a policy named here: an AWS managed policy's name (and path) outside
    /// IAM's characters, or a literal ARN that is not an IAM policy's.
    fn check(&self) -> std::result::Result<(), String> {
        match self {
            ManagedPolicy::AwsManaged(name) => {
                let (path, base) = name.rsplit_once('/').unwrap_or(("", name));
                let chars = |s: &str, extra: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) || extra.contains(c));
                if base.is_empty() || base.len() > 128 || !chars(base, "") || name.starts_with('/') || !chars(path, "/") {
                    return Err(format!("'{name}' is not an AWS managed policy name (such as 'service-role/AmazonECSTaskExecutionRolePolicy': letters, digits and +=,.@_-, an optional path before the last '/')"));
                }
            }
            ManagedPolicy::Arn(a) => {
                if let Some(arn) = a.as_value().as_str() {
                    let parts: Vec<&str> = arn.splitn(6, ':').collect();
                    let ok = match parts.as_slice() {
                        ["arn", partition, "iam", "", account, resource] => {
                            partition.starts_with("aws")
                                && (*account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())))
                                && resource.strip_prefix("policy/").is_some_and(|r| !r.is_empty() && !r.ends_with('/'))
                        }
                        _ => false,
                    };
                    if !ok {
                        return Err(format!("'{arn}' is not an IAM policy ARN (arn:aws:iam::<12-digit account or aws>:policy/<path><name>)"));
                    }
                }
            }
        }
        Ok(())
    }
    fn arn(&self) -> Val<String> {
        match self {
            ManagedPolicy::AwsManaged(name) => aws_managed_policy_arn(name),
            ManagedPolicy::Arn(a) => a.clone(),
        }
    }
}

impl From<Val<String>> for ManagedPolicy {
    fn from(arn: Val<String>) -> Self {
        ManagedPolicy::Arn(arn)
    }
}

/// Options of a [`Role`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RoleProps {
    /// Who may assume it.
    pub assumed_by: Principal,
    /// Physical name (needs `CAPABILITY_NAMED_IAM`).
    pub role_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Managed policies.
    pub managed_policies: Vec<ManagedPolicy>,
}

impl RoleProps {
    /// A role `assumed_by` a principal.
    pub fn new(assumed_by: Principal) -> Self {
        RoleProps { assumed_by, role_name: None, description: None, managed_policies: Vec::new() }
    }
    setters! {
        /// Sets the physical name.
        into role_name: String;
        /// Sets the description.
        into description: String;
    }
    /// Adds a managed policy: [`ManagedPolicy::from_aws_managed_policy_name`], or an ARN.
    pub fn managed_policy(mut self, policy: impl Into<ManagedPolicy>) -> Self {
        self.managed_policies.push(policy.into());
        self
    }
}

/// The statements of a role's default policy, from which the policy is made.
#[derive(Debug)]
pub(crate) struct RoleModel {
    /// Statements of its default policy.
    pub statements: RefCell<Vec<PolicyStatement>>,
}

/// An IAM role. Grants (`repository.grant_pull(&role)`) add statements to a `DefaultPolicy`
/// child created on first use, as in CDK.
///
/// ```
/// use ironcdk_constructs::iam::{Role, RoleProps, Principal, PolicyStatement};
/// use ironcdk_synth::{App, AsScope, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let role = Role::new(&stack, "TaskRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))).unwrap();
/// role.add_to_policy(PolicyStatement::allow().actions(["s3:GetObject"]).resource("*")).unwrap();
/// assert!(role.scope().find_child("DefaultPolicy").is_some());
/// ```
#[derive(Clone)]
pub struct Role {
    scope: Scope,
    resource: CfnRole,
    model: Rc<RoleModel>,
}

impl AsScope for Role {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Role {
    /// Creates the role.
    pub fn new(scope: &impl AsScope, id: &str, props: RoleProps) -> Result<Role> {
        let scope = scope.scope().child(id, "ironcdk.iam.Role")?;
        if let Some(n) = &props.role_name {
            let ok = !n.is_empty() && n.len() <= 64 && n.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
            if !ok {
                return Err(scope.error(format!("role name '{n}' must be 1 to 64 characters of letters, digits and +=,.@_-")));
            }
        }
        for m in &props.managed_policies {
            m.check().map_err(|e| scope.error(e))?;
        }
        if props.managed_policies.len() > 20 {
            return Err(scope.error(format!(
                "the role has {} managed policies; IAM attaches at most 20 to a role (10 by default): merge some into one customer managed policy",
                props.managed_policies.len()
            )));
        }
        let trust = PolicyStatement::allow().actions(["sts:AssumeRole"]).principal(props.assumed_by.clone());
        let mut p = CfnRoleProps::new(policy_document(&[trust]));
        if !props.managed_policies.is_empty() {
            p = p.managed_policy_arns(props.managed_policies.iter().map(ManagedPolicy::arn).collect::<Vec<_>>());
        }
        if let Some(n) = &props.role_name {
            p = p.role_name(n.clone());
        }
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        let resource = CfnRole::new(&scope, "Resource", p)?;
        sort_policy_lists(resource.resource(), "AssumeRolePolicyDocument");
        let model = Rc::new(RoleModel { statements: RefCell::new(Vec::new()) });
        Ok(Role { scope, resource, model })
    }

    /// `Fn::GetAtt Arn`.
    pub fn role_arn(&self) -> Val<String> {
        self.resource.attr_arn()
    }

    /// `Ref` (the role name).
    pub fn role_name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// Adds a statement to the role's default policy, creating the policy on first use.
    /// An identical statement is added once.
    pub fn add_to_policy(&self, statement: PolicyStatement) -> Result<()> {
        {
            let mut st = self.model.statements.borrow_mut();
            if st.contains(&statement) {
                return Ok(());
            }
            st.push(statement);
        }
        if self.scope.find_child("DefaultPolicy").is_none() {
            let policy_scope = self.scope.child("DefaultPolicy", "ironcdk.iam.Policy")?;
            let model = self.model.clone();
            let role = self.role_name();
            let policy = CfnPolicy::new_lazy(&policy_scope, "Resource", move || {
                CfnPolicyProps::new(policy_document(&model.statements.borrow()), String::new()).roles(vec![role.clone()])
            })?;
            // As CDK's `generatePolicyName`: the last 128 characters of the L1's logical ID,
            // so that a long ID keeps its path hash (IAM takes 128), named once synth knows it.
            policy.resource().name_from_logical_id("PolicyName", MAX_POLICY_NAME);
            sort_policy_lists(policy.resource(), "PolicyDocument");
        }
        Ok(())
    }
}

/// IAM's longest policy name.
const MAX_POLICY_NAME: usize = 128;

/// The statements of a resource policy (a bucket's, queue's or topic's) and the scope of the
/// policy resource, made on the first statement.
#[derive(Clone, Default)]
pub(crate) struct ResourcePolicy {
    statements: std::rc::Rc<std::cell::RefCell<Vec<PolicyStatement>>>,
    scope: std::rc::Rc<std::cell::RefCell<Option<ironcdk_synth::Scope>>>,
}

impl ResourcePolicy {
    /// Adds `statement` (once); on the first one, `make` creates the policy resource from the
    /// shared statements and gives its scope. Gives the policy's scope, for what must wait for
    /// it.
    pub(crate) fn add(
        &self,
        statement: PolicyStatement,
        make: impl FnOnce(std::rc::Rc<std::cell::RefCell<Vec<PolicyStatement>>>) -> Result<ironcdk_synth::Scope>,
    ) -> Result<ironcdk_synth::Scope> {
        if !self.statements.borrow().contains(&statement) {
            self.statements.borrow_mut().push(statement);
        }
        if let Some(s) = self.scope.borrow().as_ref() {
            return Ok(s.clone());
        }
        let scope = make(self.statements.clone())?;
        *self.scope.borrow_mut() = Some(scope.clone());
        Ok(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy is named after its logical ID as synth writes it: an overridden one too,
    /// as CDK's `generatePolicyName` resolves `resource.logicalId`.
    #[test]
    fn a_policy_is_named_after_its_logical_id_overridden_or_not() {
        for overridden in [false, true] {
            let app = ironcdk_synth::App::new();
            let stack = ironcdk_synth::Stack::new(&app, "S").unwrap();
            let role = Role::new(&stack, "TaskRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))).unwrap();
            role.add_to_policy(PolicyStatement::allow().actions(["s3:GetObject"]).resource("*")).unwrap();
            if overridden {
                let policy = role.scope().find_child("DefaultPolicy").and_then(|p| p.find_child("Resource")).unwrap();
                ironcdk_synth::Resource::from_scope(&policy).unwrap().override_logical_id("MyPolicy").unwrap();
            }
            let a = app.synth_in_memory().unwrap();
            let s = a.stack("S").unwrap();
            let t = s.template();
            let (id, policy) = t["Resources"].as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::IAM::Policy").unwrap();
            assert!(if overridden { id == "MyPolicy" } else { id.starts_with("TaskRoleDefaultPolicy") && id.len() == 29 }, "{id}");
            assert_eq!(policy["Properties"]["PolicyName"], id.as_str());
            // The name keeps its place among the properties.
            let text = &s.template_json;
            let at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
            assert!(at("PolicyDocument") < at("PolicyName") && at("PolicyName") < at("Roles"), "{text}");
        }
    }

    /// Deep in the tree the policy's logical ID passes 128 characters; its name is the ID's end.
    #[test]
    fn a_deep_roles_policy_name_ends_with_its_logical_id() {
        let app = ironcdk_synth::App::new();
        let stack = ironcdk_synth::Stack::new(&app, "Deep").unwrap();
        let mut scope = stack.scope();
        for i in 0..8 {
            scope = scope.child(&format!("AVeryLongConstructId{i}"), "test.Group").unwrap();
        }
        let role = Role::new(&scope, "TaskRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))).unwrap();
        role.add_to_policy(PolicyStatement::allow().actions(["s3:GetObject"]).resource("*")).unwrap();
        let a = app.synth_in_memory().unwrap();
        let t = a.stack("Deep").unwrap().template();
        let (id, policy) = t["Resources"].as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::IAM::Policy").unwrap();
        let name = policy["Properties"]["PolicyName"].as_str().unwrap();
        assert!(id.len() > MAX_POLICY_NAME, "{id}");
        assert_eq!(name.len(), MAX_POLICY_NAME);
        assert!(id.ends_with(name), "{id} {name}");
    }
}
