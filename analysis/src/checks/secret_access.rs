//! `container-secret-access`: a container reads a secret (Secrets Manager, or an SSM parameter)
//! that its task's execution role is not allowed to read. ECS reads secrets with the execution
//! role when the task starts; without the permission every task fails with
//! `ResourceInitializationError: unable to pull secrets or registry auth`, and the service
//! never stabilizes.
//!
//! The role's policies are read from the templates: its inline policies, `AWS::IAM::Policy`
//! resources attached to it, and customer managed policies of the templates. An AWS managed
//! policy, a role or a secret the templates do not fix makes a "cannot verify" info.

use ironcdk_template::write::{literal, Refs};
use ironcdk_template::{PreparedStack, Severity, Value};

use super::Findings;
use ironcdk_template::hash::HashMap;
use crate::network::Key;

/// AWS managed policies known to grant no secret reads (the usual execution role policy).
const GRANTS_NO_SECRETS: &[&str] = &["service-role/AmazonECSTaskExecutionRolePolicy"];

/// Whether `pattern` (IAM's `*` and `?`) matches `text`, case-insensitively as IAM matches
/// actions.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.to_ascii_lowercase().chars().collect(), text.to_ascii_lowercase().chars().collect());
    // Iterative matching with one backtrack point: linear in practice.
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some(pi);
                mark = ti;
                pi = pi.saturating_add(1);
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi = pi.saturating_add(1);
                ti = ti.saturating_add(1);
            }
            _ => match star {
                Some(s) => {
                    pi = s.saturating_add(1);
                    mark = mark.saturating_add(1);
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    p.iter().skip(pi).all(|c| *c == '*')
}

/// What a statement list allows: does some `Allow` statement grant `action` on `secret`
/// (compared by JSON for intrinsics, by pattern for literals)?
fn allows(refs: &Refs<'_>, doc: &Value, action: &str, secret: &Value) -> bool {
    let Value::Map(doc) = doc else { return false };
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::List(l)) => l.iter().collect(),
        Some(v @ Value::Map(_)) => vec![v],
        _ => return false,
    };
    let secret_json = refs.compact(secret);
    let secret_text = literal(secret);
    statements.into_iter().any(|st| {
        let Value::Map(st) = st else { return false };
        if st.get("Effect").and_then(literal).as_deref() != Some("Allow") {
            return false;
        }
        let listed = |key: &str| -> Vec<Value> {
            match st.get(key) {
                Some(Value::List(l)) => l.clone(),
                Some(v) => vec![v.clone()],
                None => Vec::new(),
            }
        };
        let acts = listed("Action").iter().any(|a| literal(a).is_some_and(|a| glob(&a, action)));
        let res = listed("Resource").iter().any(|r| match (literal(r), &secret_text) {
            (Some(r), Some(s)) => glob(&r, s),
            (Some(r), None) => r == "*",
            (None, _) => refs.compact(r) == secret_json,
        });
        acts && res
    })
}

/// The secret a `ValueFrom` names: its ARN's value (a `Ref`, the head of a join, or the literal
/// ARN without the field), and the action reading it.
fn secret_of(value_from: &Value) -> Option<(Value, &'static str)> {
    let action = |text: &str| if text.contains(":ssm:") || !text.starts_with("arn:") { "ssm:GetParameters" } else { "secretsmanager:GetSecretValue" };
    match value_from {
        Value::Join(_, parts) => match parts.first() {
            Some(head) if literal(head).is_none() => Some((head.clone(), "secretsmanager:GetSecretValue")),
            _ => match literal(value_from) {
                Some(t) => {
                    let t = trimmed(&t);
                    let a = action(&t);
                    Some((Value::Str(t.into()), a))
                }
                // An ARN built with intrinsics (the account, the region): compared whole.
                None => {
                    let text: String = parts.iter().filter_map(literal).collect();
                    Some((value_from.clone(), if text.contains(":ssm:") { "ssm:GetParameters" } else { "secretsmanager:GetSecretValue" }))
                }
            },
        },
        Value::Str(t) => Some((Value::Str(trimmed(t).into()), action(t))),
        Value::Ref(_) | Value::GetAtt(..) => Some((value_from.clone(), "secretsmanager:GetSecretValue")),
        _ => None,
    }
}

/// A literal Secrets Manager ARN without its `:field:stage:version` tail.
fn trimmed(text: &str) -> String {
    if text.contains(":secretsmanager:") {
        text.split(':').take(7).collect::<Vec<_>>().join(":")
    } else {
        text.to_string()
    }
}

/// The documents of the `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources of stack
/// `s`, by the logical ID of each role they name in `Roles` (each document once per role, in
/// template order): found in one pass, not once per task definition.
fn attached_documents<'a>(s: &'a PreparedStack, refs: &Refs<'a>) -> HashMap<&'a str, Vec<&'a Value>> {
    let mut attached: HashMap<&'a str, Vec<&'a Value>> = HashMap::default();
    for e in s.resources().filter(|e| matches!(e.type_name.as_str(), "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy")) {
        let Value::Map(m) = &e.value else { continue };
        let Some(Value::Map(p)) = m.get("Properties") else { continue };
        let (Some(Value::List(roles)), Some(d)) = (p.get("Roles"), p.get("PolicyDocument")) else { continue };
        let mut named: Vec<&str> = Vec::new();
        for r in roles {
            if let Some(role) = match r {
                Value::Ref(r) => refs.logical_id(r),
                _ => None,
            } {
                if !named.contains(&role) {
                    named.push(role);
                    attached.entry(role).or_default().push(d);
                }
            }
        }
    }
    attached
}

/// The policy documents attached to role `role` of stack `s` (`attached`: those of its policy
/// resources, see [`attached_documents`]), or `None` when some attached policy cannot be read
/// from the templates.
fn role_documents<'a>(out: &Findings<'a>, si: usize, attached: &HashMap<&'a str, Vec<&'a Value>>, refs: &Refs<'_>, role: &str) -> Option<Vec<&'a Value>> {
    let element = out.element(si, role)?;
    let Value::Map(m) = &element.value else { return None };
    let props = match m.get("Properties") {
        Some(Value::Map(p)) => Some(p),
        _ => None,
    };
    let mut docs = Vec::new();
    if let Some(Value::List(inline)) = props.and_then(|p| p.get("Policies")) {
        for p in inline {
            if let Value::Map(p) = p {
                if let Some(d) = p.get("PolicyDocument") {
                    docs.push(d);
                }
            }
        }
    }
    docs.extend(attached.get(role).into_iter().flatten().copied());
    if let Some(Value::List(arns)) = props.and_then(|p| p.get("ManagedPolicyArns")) {
        for a in arns {
            match a {
                Value::Ref(r) => {
                    let id = refs.logical_id(r)?;
                    let e = out.element(si, id)?;
                    let Value::Map(m) = &e.value else { return None };
                    let Some(Value::Map(p)) = m.get("Properties") else { return None };
                    docs.push(p.get("PolicyDocument")?);
                }
                other => {
                    // An AWS managed policy is known only when it is one granting no secrets.
                    let text = match other {
                        Value::Join(_, parts) => parts.iter().filter_map(literal).collect::<String>(),
                        v => literal(v)?.to_string(),
                    };
                    if !GRANTS_NO_SECRETS.iter().any(|n| text.ends_with(&format!(":policy/{n}"))) {
                        return None;
                    }
                }
            }
        }
    }
    Some(docs)
}

rule! {
    /// `container-secret-access`: a container's secret its execution role cannot read.
    ContainerSecretAccess = "container-secret-access", |_net, app, out| {
        for (si, s) in app.stacks.iter().enumerate() {
            let refs = Refs::of(s);
            // Made when a task definition with secrets first needs it.
            let attached = std::cell::OnceCell::new();
            for e in s.resources().filter(|e| e.type_name == "AWS::ECS::TaskDefinition") {
                let Value::Map(m) = &e.value else { continue };
                let Some(Value::Map(props)) = m.get("Properties") else { continue };
                let Some(Value::List(containers)) = props.get("ContainerDefinitions") else { continue };
                let key = Key { stack: si, logical_id: e.logical_id.clone() };
                let secrets: Vec<(String, String, &Value)> = containers
                    .iter()
                    .filter_map(|c| if let Value::Map(c) = c { Some(c) } else { None })
                    .flat_map(|c| {
                        let cname = c.get("Name").and_then(literal).map(|n| n.to_string()).unwrap_or_default();
                        let list = match c.get("Secrets") {
                            Some(Value::List(l)) => l.iter().collect::<Vec<_>>(),
                            _ => Vec::new(),
                        };
                        list.into_iter().filter_map(move |sec| {
                            let Value::Map(sec) = sec else { return None };
                            Some((cname.clone(), sec.get("Name").and_then(literal).map(|n| n.to_string()).unwrap_or_default(), sec.get("ValueFrom")?))
                        })
                    })
                    .collect();
                if secrets.is_empty() {
                    continue;
                }
                let role = match props.get("ExecutionRoleArn") {
                    Some(Value::GetAtt(r, _)) | Some(Value::Ref(r)) => refs.logical_id(r),
                    _ => None,
                };
                let docs = match role {
                    Some(r) => role_documents(&out, si, attached.get_or_init(|| attached_documents(s, &refs)), &refs, r),
                    None => {
                        out.at(&key, ID, Severity::Error, format!("task definition {} gives its containers secrets but has no execution role to read them with; ECS cannot start its tasks", out.name(&key)), "give the task definition an execution role allowed to read the secrets");
                        continue;
                    }
                };
                let Some(docs) = docs else {
                    out.at(&key, ID, Severity::Info, format!("cannot verify that the execution role of {} may read its containers' secrets: a policy attached to it is not in the templates", out.name(&key)), "make sure the role allows secretsmanager:GetSecretValue (or ssm:GetParameters) on each secret");
                    continue;
                };
                for (container, variable, value_from) in secrets {
                    let Some((secret, action)) = secret_of(value_from) else { continue };
                    if !docs.iter().any(|d| allows(&refs, d, action, &secret)) {
                        out.at(
                            &key,
                            ID,
                            Severity::Error,
                            format!("container '{container}' of {} reads {variable} from a secret its execution role may not read ({action} on it): every task fails to start (ResourceInitializationError: unable to pull secrets)", out.name(&key)),
                            "grant the execution role the read (secret.grant_read(&task.obtain_execution_role()), which ecs::Secret does for you)",
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn task(grant: serde_json::Value, managed: serde_json::Value) -> serde_json::Value {
        json!({"Resources": {
            "Secret": {"Type": "AWS::SecretsManager::Secret", "Properties": {"GenerateSecretString": {}}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}, "ManagedPolicyArns": managed}},
            "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": [{"Ref": "Role"}], "PolicyDocument": {"Version": "2012-10-17", "Statement": [grant]}}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "ContainerDefinitions": [{"Name": "app", "Image": "x",
                "Secrets": [{"Name": "DB_PASSWORD", "ValueFrom": {"Fn::Join": ["", [{"Ref": "Secret"}, ":password::"]]}}]}]}}}})
    }

    fn findings(t: serde_json::Value) -> Vec<(Severity, String)> {
        crate::checks::findings_of(&ContainerSecretAccess, &[("S", t)]).into_iter().map(|f| (f.severity, f.message)).collect()
    }

    #[test]
    fn a_secret_the_execution_role_may_read_passes_and_one_it_may_not_is_an_error() {
        let execution = json!([{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]]}]);
        let read = json!({"Effect": "Allow", "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], "Resource": {"Ref": "Secret"}});
        assert!(findings(task(read, execution.clone())).is_empty());
        let wildcard = json!({"Effect": "Allow", "Action": "secretsmanager:Get*", "Resource": "*"});
        assert!(findings(task(wildcard, execution.clone())).is_empty());
        let other = json!({"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"});
        let f = findings(task(other, execution));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].0, Severity::Error);
        assert!(f[0].1.contains("container 'app'") && f[0].1.contains("DB_PASSWORD"), "{}", f[0].1);
    }

    #[test]
    fn a_managed_policy_outside_the_templates_cannot_be_verified() {
        let other = json!({"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"});
        let f = findings(task(other, json!(["arn:aws:iam::123456789012:policy/team-secrets"])));
        assert_eq!(f.iter().map(|f| f.0).collect::<Vec<_>>(), [Severity::Info]);
    }

    #[test]
    fn a_parameter_read_as_cdk_grants_it_passes_and_one_not_granted_is_an_error() {
        let arn = json!({"Fn::Join": ["", ["arn:aws:ssm:us-east-1:", {"Ref": "AWS::AccountId"}, ":parameter/app/key"]]});
        let t = |resource: serde_json::Value| json!({"Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
            "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": [{"Ref": "Role"}], "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters"], "Resource": resource}]}}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "ContainerDefinitions": [{"Name": "app", "Image": "x",
                "Secrets": [{"Name": "KEY", "ValueFrom": arn.clone()}]}]}}}});
        assert!(findings(t(arn.clone())).is_empty());
        let other = json!({"Fn::Join": ["", ["arn:aws:ssm:us-east-1:", {"Ref": "AWS::AccountId"}, ":parameter/app/other"]]});
        assert_eq!(findings(t(other)).iter().map(|f| f.0).collect::<Vec<_>>(), [Severity::Error]);
    }

    /// A policy reaches every role its `Roles` names, however many, and only those.
    #[test]
    fn a_policy_grants_each_role_it_names() {
        let t = |roles: serde_json::Value| {
            let mut r = serde_json::Map::new();
            r.insert("Secret".into(), json!({"Type": "AWS::SecretsManager::Secret", "Properties": {"GenerateSecretString": {}}}));
            r.insert("Policy".into(), json!({"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": roles,
                "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": {"Ref": "Secret"}}]}}}));
            for n in ["A", "B", "C"] {
                r.insert(format!("Role{n}"), json!({"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}));
                r.insert(format!("Task{n}"), json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {"ExecutionRoleArn": {"Fn::GetAtt": [format!("Role{n}"), "Arn"]},
                    "ContainerDefinitions": [{"Name": "app", "Image": "x", "Secrets": [{"Name": "S", "ValueFrom": {"Ref": "Secret"}}]}]}}));
            }
            crate::checks::findings_of(&ContainerSecretAccess, &[("S", json!({"Resources": r}))]).into_iter().filter_map(|f| f.logical_id).collect::<Vec<_>>()
        };
        assert!(t(json!([{"Ref": "RoleA"}, {"Ref": "RoleB"}, {"Ref": "RoleC"}])).is_empty());
        assert_eq!(t(json!([{"Ref": "RoleC"}, {"Ref": "RoleA"}, {"Ref": "RoleA"}])), ["TaskB"]);
        assert_eq!(t(json!(["RoleA", {"Ref": "RoleB"}])), ["TaskA", "TaskC"]);
    }

    #[test]
    fn glob_matches_as_iam_does() {
        assert!(glob("secretsmanager:*", "secretsmanager:GetSecretValue"));
        assert!(glob("*", "ssm:GetParameters"));
        assert!(glob("arn:aws:secretsmanager:us-east-1:1:secret:db-??????", "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf"));
        assert!(!glob("secretsmanager:Describe*", "secretsmanager:GetSecretValue"));
    }
}
