//! `duplicate-name`: two resources of one type with the same physical name (its registry
//! primary identifier: a log group's `LogGroupName`, a bucket's `BucketName`, a role's
//! `RoleName`) in one account and region (IAM names in one account whatever the region, bucket
//! names anywhere). They would be one resource; CloudFormation fails
//! creating the second ("... already exists"). cfn-lint reports it within a template (E3019);
//! this also sees it across the stacks of an app. Only literal names are compared, and a
//! resource with a `Condition` is left out (it may not be created).

use ironcdk_template::hash::HashMap;

use ironcdk_template::write::literal;
use ironcdk_template::{Severity, Value};

use crate::network::Key;
use crate::schema::{self, Lookups};

/// Where a name must be unique: (account, region, type, the identifier's values); `None` for a
/// part the name does not depend on (or that is not known).
type Place<'a> = (Option<&'a str>, Option<&'a str>, &'a str, Vec<String>);

/// How far a type's names reach: IAM's are one per account across its regions, and a bucket
/// name is one in the whole partition, whatever the account.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Region,
    Account,
    Partition,
}

fn scope(type_name: &str) -> Scope {
    if type_name == "AWS::S3::Bucket" {
        Scope::Partition
    } else if type_name.starts_with("AWS::IAM::") {
        Scope::Account
    } else {
        Scope::Region
    }
}

rule! {
    /// `duplicate-name`: one physical name twice where it must be unique (an account and
    /// region; an account for IAM; everywhere for buckets).
    DuplicateName = "duplicate-name", |_net, app, out| {
        let mut lookups = Lookups::default();
        // (account, region, type, identifier values) -> the first resource with them. Stacks
        // of an unknown account or region are taken to deploy where the others do.
        let mut first: HashMap<Place<'_>, Key> = HashMap::default();
        for (si, s) in app.stacks.iter().enumerate() {
            for e in s.resources() {
                let Value::Map(m) = &e.value else { continue };
                if m.get("Condition").is_some() {
                    continue;
                }
                let parts = schema::identifier_names(&e.type_name, &mut lookups);
                if parts.clone().next().is_none() {
                    continue;
                }
                let Some(Value::Map(props)) = m.get("Properties") else { continue };
                let values: Option<Vec<String>> = parts.clone().map(|p| props.get(p).and_then(literal).map(|v| v.to_string())).collect();
                let Some(values) = values else { continue };
                let key = Key { stack: si, logical_id: e.logical_id.clone() };
                let scope = scope(&e.type_name);
                let account = if scope == Scope::Partition { None } else { s.env.account.as_deref() };
                let region = if scope == Scope::Region { s.env.region.as_deref() } else { None };
                let place = (account, region, e.type_name.as_str(), values);
                match first.get(&place) {
                    Some(earlier) => {
                        let shown: Vec<String> = parts.zip(&place.3).map(|(p, v)| format!("{p} '{v}'")).collect();
                        out.at(
                            &key,
                            ID,
                            Severity::Error,
                            format!(
                                "{} has {}, as {} has: one {} of that name can exist {}, so CloudFormation fails creating the second",
                                out.name(&key),
                                shown.join(", "),
                                out.name(earlier),
                                e.type_name,
                                match scope {
                                    Scope::Region => "in an account and region",
                                    Scope::Account => "in an account, whatever the region",
                                    Scope::Partition => "in all of AWS, whatever the account",
                                }
                            ),
                            "give one of them another name, or leave the name out and let CloudFormation generate one",
                        );
                    }
                    None => {
                        first.insert(place, key);
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

    fn logs(names: &[&str]) -> serde_json::Value {
        let r: serde_json::Map<String, serde_json::Value> =
            names.iter().enumerate().map(|(i, n)| (format!("L{i}"), json!({"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": n}}))).collect();
        json!({"Resources": r})
    }

    #[test]
    fn one_name_twice_in_a_template_or_an_app_is_an_error_at_the_second() {
        let f = crate::checks::findings_of(&DuplicateName, &[("A", logs(&["/app/x", "/app/y", "/app/x"]))]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].severity, f[0].logical_id.as_deref()), (Severity::Error, Some("L2")));
        assert!(f[0].message.contains("LogGroupName '/app/x'") && f[0].message.contains("A/L0"), "{}", f[0].message);
        let f = crate::checks::findings_of(&DuplicateName, &[("A", logs(&["/app/x"])), ("B", logs(&["/app/x"]))]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].stack.as_deref(), Some("B"));
    }

    #[test]
    fn iam_names_reach_across_regions_and_bucket_names_across_accounts() {
        // Two stacks, each with one resource of type `t` whose property `p` is "same".
        let run = |t: &str, p: &str, places: [(&str, &str); 2]| {
            let stacks = places
                .iter()
                .enumerate()
                .map(|(i, (account, region))| {
                    let env = ironcdk_template::Environment { account: Some((*account).into()), region: Some((*region).into()) };
                    ironcdk_template::load::load_template(&format!("S{i}"), env, &json!({"Resources": {"R": {"Type": t, "Properties": {p: "same"}}}})).unwrap()
                })
                .collect();
            crate::checks::findings_in(&DuplicateName, stacks)
        };
        // A role in two regions of one account: one name.
        let f = run("AWS::IAM::Role", "RoleName", [("111111111111", "us-east-1"), ("111111111111", "eu-west-1")]);
        assert!(f.len() == 1 && f[0].message.contains("in an account, whatever the region"), "{f:#?}");
        assert!(run("AWS::IAM::Role", "RoleName", [("111111111111", "us-east-1"), ("222222222222", "us-east-1")]).is_empty());
        // A bucket in two accounts: one name.
        let f = run("AWS::S3::Bucket", "BucketName", [("111111111111", "us-east-1"), ("222222222222", "eu-west-1")]);
        assert!(f.len() == 1 && f[0].message.contains("in all of AWS"), "{f:#?}");
        // A queue in two regions: two queues.
        assert!(run("AWS::SQS::Queue", "QueueName", [("111111111111", "us-east-1"), ("111111111111", "eu-west-1")]).is_empty());
    }

    #[test]
    fn generated_computed_and_conditional_names_are_not_compared() {
        let t = json!({"Conditions": {"C": {"Fn::Equals": ["a", "b"]}}, "Resources": {
            "A": {"Type": "AWS::Logs::LogGroup"},
            "B": {"Type": "AWS::Logs::LogGroup"},
            "C": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "${AWS::StackName}-x"}}},
            "D": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": {"Fn::Sub": "${AWS::StackName}-x"}}},
            "E": {"Type": "AWS::Logs::LogGroup", "Condition": "C", "Properties": {"LogGroupName": "same"}},
            "F": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "same"}},
            "G": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "same"}},
            "H": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": "subnet-1", "RouteTableId": "rtb-1"}},
            "I": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": "subnet-1", "RouteTableId": "rtb-1"}}}});
        let f = crate::checks::findings_of(&DuplicateName, &[("S", t)]);
        assert!(f.is_empty(), "{f:#?}");
    }
}
