//! `iam-limits`: what IAM refuses about policies and roles, which CloudFormation only learns
//! when it creates them:
//! - a customer managed policy document over 6,144 characters (white space not counted,
//!   "Cannot exceed quota for PolicySize: 6144"); the size is a lower bound when the document
//!   holds intrinsics, so a finding is certain;
//! - a role with more than 20 managed policies (the most IAM allows), or more than 10 (the
//!   default quota, which can be raised to 20: a warning).

use ironcdk_template::{Pseudo, Severity, Value};

use crate::network::Key;

/// The largest managed policy document, in characters without white space.
pub const MANAGED_POLICY_SIZE: usize = 6_144;
/// Managed policies a role may have by default, and at most after an increase.
pub const ROLE_POLICIES_DEFAULT: usize = 10;
/// See [`ROLE_POLICIES_DEFAULT`].
pub const ROLE_POLICIES_MAX: usize = 20;

/// The fewest characters `v` can be once CloudFormation resolves it, written as compact JSON
/// (what IAM counts: white space outside strings is not counted).
fn min_len(v: &Value) -> usize {
    let string = |n: usize| n.saturating_add(2);
    match v {
        Value::Null => 4,
        Value::Bool(b) => if *b { 4 } else { 5 },
        Value::Int(i) => i.to_string().len(),
        Value::Float(_) => 1,
        Value::Str(s) => string(escaped_len(s)),
        Value::List(items) => items.iter().map(min_len).fold(2usize.saturating_add(items.len().saturating_sub(1)), usize::saturating_add),
        Value::Map(m) => m
            .iter()
            .map(|(k, v)| string(escaped_len(k)).saturating_add(1).saturating_add(min_len(v)))
            .fold(2usize.saturating_add(m.len().saturating_sub(1)), usize::saturating_add),
        other => string(min_text_len(other)),
    }
}

/// The fewest characters of the text an intrinsic resolves to.
fn min_text_len(v: &Value) -> usize {
    match v {
        Value::Str(s) => escaped_len(s),
        Value::Pseudo(p) => match p {
            Pseudo::Partition => 3,
            Pseudo::Region => 9,
            Pseudo::AccountId => 12,
            Pseudo::UrlSuffix => 13,
            _ => 1,
        },
        Value::Join(d, parts) => parts
            .iter()
            .map(min_text_len)
            .fold(escaped_len(d).saturating_mul(parts.len().saturating_sub(1)), usize::saturating_add),
        Value::Sub(text, _) => {
            // The text outside `${...}`; each variable at least one character.
            ironcdk_template::sub::parts(text)
                .map(|part| match part {
                    ironcdk_template::sub::Part::Text(t) => escaped_len(t),
                    ironcdk_template::sub::Part::Var(_) | ironcdk_template::sub::Part::Literal(_) => 1,
                    ironcdk_template::sub::Part::Unclosed(_) => 0,
                })
                .fold(0, usize::saturating_add)
        }
        _ => 0,
    }
}

/// The length of `s` as a JSON string's contents.
fn escaped_len(s: &str) -> usize {
    s.chars().map(|c| match c {
        '"' | '\\' | '\n' | '\r' | '\t' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }).fold(0usize, usize::saturating_add)
}

rule! {
    /// `iam-limits`: a managed policy over IAM's size, a role with too many managed policies.
    IamLimits = "iam-limits", |_net, app, out| {
        for (si, s) in app.stacks.iter().enumerate() {
            for e in s.resources() {
                let Value::Map(m) = &e.value else { continue };
                let Some(Value::Map(props)) = m.get("Properties") else { continue };
                // Made only for a finding (most resources have none).
                let key = || Key { stack: si, logical_id: e.logical_id.clone() };
                match e.type_name.as_str() {
                    "AWS::IAM::ManagedPolicy" => {
                        let Some(doc) = props.get("PolicyDocument") else { continue };
                        let size = min_len(doc);
                        if size > MANAGED_POLICY_SIZE {
                            out.at(
                                &key(),
                                ID,
                                Severity::Error,
                                format!("{}'s policy document is at least {size} characters without white space; IAM refuses a managed policy over {MANAGED_POLICY_SIZE}", out.name(&key())),
                                "split the statements over several managed policies, or merge statements and use wildcards in actions and resources",
                            );
                        }
                    }
                    "AWS::IAM::Role" => {
                        let Some(Value::List(arns)) = props.get("ManagedPolicyArns") else { continue };
                        let n = arns.len();
                        if n > ROLE_POLICIES_MAX {
                            out.at(
                                &key(),
                                ID,
                                Severity::Error,
                                format!("{} has {n} managed policies; IAM attaches at most {ROLE_POLICIES_MAX} to a role", out.name(&key())),
                                "merge policies into fewer customer managed policies, or move statements into the role's own policy",
                            );
                        } else if n > ROLE_POLICIES_DEFAULT {
                            out.at(
                                &key(),
                                ID,
                                Severity::Warning,
                                format!("{} has {n} managed policies; IAM's default quota is {ROLE_POLICIES_DEFAULT} per role (up to {ROLE_POLICIES_MAX} once raised)", out.name(&key())),
                                "raise 'Managed policies per role' in Service Quotas before deploying, or merge policies",
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(resources: usize) -> serde_json::Value {
        let arns: Vec<serde_json::Value> = (0..resources).map(|i| json!(format!("arn:aws:s3:::bucket-{i:04}/*"))).collect();
        json!({"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": arns}]}}})
    }

    #[test]
    fn a_managed_policy_over_6144_characters_is_an_error_counted_without_white_space() {
        // Each ARN is 29 characters with its quotes and comma: 200 stay under, 230 do not.
        let t = json!({"Resources": {"Small": policy(200), "Big": policy(230)}});
        let f = crate::checks::findings_of(&IamLimits, &[("S", t)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].severity, f[0].logical_id.as_deref()), (Severity::Error, Some("Big")));
        assert!(f[0].message.contains("at least 6") && f[0].message.contains("over 6144"), "{}", f[0].message);
        // The size is exact for literals: serde_json's compact form of the document.
        let doc = &policy(230)["Properties"]["PolicyDocument"];
        let json = ironcdk_template::load::load_template("S", ironcdk_template::Environment::default(), &json!({"Resources": {"P": policy(230)}})).unwrap();
        let e = json.resources().next().unwrap();
        let Value::Map(m) = &e.value else { panic!() };
        let Some(Value::Map(p)) = m.get("Properties") else { panic!() };
        assert_eq!(min_len(p.get("PolicyDocument").unwrap()), serde_json::to_string(doc).unwrap().len());
    }

    #[test]
    fn intrinsics_count_as_the_fewest_characters_they_can_become() {
        // {"Ref": "AWS::Partition"} is 25 characters of template and 3 of policy: not over.
        let arns: Vec<serde_json::Value> = (0..250).map(|i| json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":s3:::b{i}")]]})).collect();
        let t = json!({"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": arns}]}}}}});
        assert!(crate::checks::findings_of(&IamLimits, &[("S", t)]).is_empty());
        assert_eq!(min_text_len(&Value::Sub("arn:${AWS::Partition}:s3:::${B}/*".into(), Default::default())), "arn:x:s3:::x/*".len());
    }

    #[test]
    fn more_than_ten_managed_policies_warn_and_more_than_twenty_are_an_error() {
        let role = |n: usize| {
            let arns: Vec<String> = (0..n).map(|i| format!("arn:aws:iam::aws:policy/P{i}")).collect();
            json!({"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}, "ManagedPolicyArns": arns}})
        };
        let t = json!({"Resources": {"Ten": role(10), "Eleven": role(11), "TwentyOne": role(21)}});
        let f = crate::checks::findings_of(&IamLimits, &[("S", t)]);
        let got: Vec<(Severity, Option<&str>)> = f.iter().map(|f| (f.severity, f.logical_id.as_deref())).collect();
        assert_eq!(got, vec![(Severity::Warning, Some("Eleven")), (Severity::Error, Some("TwentyOne"))]);
    }
}
