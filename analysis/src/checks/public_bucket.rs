//! `s3-public-access`: a bucket made public (a policy statement allowing anyone, or a public
//! canned ACL) while S3 blocks public access, as it does by default for new buckets: S3
//! refuses the policy or the ACL and the deploy fails.

use ironcdk_template::templates::{PreparedElement, PreparedStack};
use ironcdk_template::{Severity, Value};

use super::Findings;
use crate::network::Key;

rule! {
    /// `s3-public-access`: a public bucket policy or ACL that Block Public Access refuses.
    PublicBucket = "s3-public-access", |_net, app, out| {
        for (si, s) in app.stacks.iter().enumerate() {
            for e in s.resources() {
                match e.type_name.as_str() {
                    "AWS::S3::BucketPolicy" => {
                        let Some(bucket) = e.properties().and_then(|p| p.get("Bucket")).and_then(|b| bucket_of(&out, si, s, b)) else { continue };
                        let public = e.properties().and_then(|p| p.get("PolicyDocument")).is_some_and(public_statement);
                        if public && !off(bucket, "BlockPublicPolicy") {
                            out.at(
                                &Key { stack: si, logical_id: e.logical_id.clone() },
                                ID,
                                Severity::Error,
                                format!("the policy lets anyone in (a statement allowing principal * without a condition), and bucket {} blocks public policies ({}): S3 refuses the policy with Access Denied", bucket.logical_id, why_blocked(bucket)),
                                "set BlockPublicPolicy and RestrictPublicBuckets to false on the bucket if it must be public, or serve it through CloudFront with origin access control",
                            );
                        }
                    }
                    "AWS::S3::Bucket" => {
                        let acl = e.properties().and_then(|p| p.get("AccessControl")).and_then(Value::as_str).unwrap_or("Private");
                        if !matches!(acl, "PublicRead" | "PublicReadWrite" | "AuthenticatedRead") {
                            continue;
                        }
                        let key = Key { stack: si, logical_id: e.logical_id.clone() };
                        let ownership = ownership(e);
                        if ownership.as_deref().is_none_or(|o| o == "BucketOwnerEnforced") {
                            out.at(&key, ID, Severity::Error, format!("the bucket sets the ACL {acl}, and its object ownership is BucketOwnerEnforced (the default for new buckets), which disables ACLs: S3 refuses it (AccessControlListNotSupported)"), "drop the ACL and grant access with a bucket policy, or set OwnershipControls to ObjectWriter or BucketOwnerPreferred");
                        } else if !off(e, "BlockPublicAcls") {
                            out.at(&key, ID, Severity::Error, format!("the bucket sets the public ACL {acl} and blocks public ACLs ({}): S3 refuses it", why_blocked(e)), "set BlockPublicAcls to false if the bucket must be public, or drop the ACL");
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The bucket of these templates a `Bucket` value names (`Ref`).
fn bucket_of<'a>(out: &Findings<'a>, si: usize, s: &PreparedStack, v: &Value) -> Option<&'a PreparedElement> {
    let Value::Ref(r) = v else { return None };
    out.element(si, s.logical_id_of(r)?).filter(|e| e.type_name == "AWS::S3::Bucket")
}

/// Whether Block Public Access's `setting` is explicitly off on the bucket (it is on unless
/// the template says `false`: new buckets block public access by default).
fn off(bucket: &PreparedElement, setting: &str) -> bool {
    let config = bucket.properties().and_then(|p| p.get("PublicAccessBlockConfiguration"));
    matches!(config, Some(Value::Map(m)) if matches!(m.get(setting), Some(Value::Bool(false))) || m.get(setting).and_then(Value::as_str) == Some("false"))
}

fn why_blocked(bucket: &PreparedElement) -> &'static str {
    if bucket.properties().and_then(|p| p.get("PublicAccessBlockConfiguration")).is_some() {
        "its PublicAccessBlockConfiguration"
    } else {
        "the default for new buckets, as it has no PublicAccessBlockConfiguration"
    }
}

fn ownership(bucket: &PreparedElement) -> Option<String> {
    let Some(Value::Map(c)) = bucket.properties().and_then(|p| p.get("OwnershipControls")) else { return None };
    let Some(Value::List(rules)) = c.get("Rules") else { return None };
    rules.iter().find_map(|r| match r {
        Value::Map(m) => m.get("ObjectOwnership").and_then(Value::as_str).map(str::to_string),
        _ => None,
    })
}

/// Whether a policy document has an `Allow` statement for anyone without a condition.
fn public_statement(doc: &Value) -> bool {
    let Value::Map(d) = doc else { return false };
    let statements: Vec<&Value> = match d.get("Statement") {
        Some(Value::List(l)) => l.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    statements.iter().any(|s| {
        let Value::Map(s) = s else { return false };
        let anyone = match s.get("Principal") {
            Some(Value::Str(p)) => p == "*",
            Some(Value::Map(p)) => match p.get("AWS") {
                Some(Value::Str(a)) => a == "*",
                Some(Value::List(l)) => l.iter().any(|a| a.as_str() == Some("*")),
                _ => false,
            },
            _ => false,
        };
        s.get("Effect").and_then(Value::as_str) == Some("Allow") && anyone && s.get("Condition").is_none()
    })
}
