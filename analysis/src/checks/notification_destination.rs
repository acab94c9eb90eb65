//! `s3-notification-destination`: a bucket notification whose destination's policy (or
//! permission) does not let S3 send, or may be created after the bucket.

use ironcdk_template::{Severity, Value};

use super::{unknown_text, Findings};
use crate::network::{BucketNotification, Key, Network};

rule! {
    /// `s3-notification-destination`: a bucket notification whose destination's policy (or
    /// permission) does not let S3 send, or may be created after the bucket.
    NotificationDestination = "s3-notification-destination", |net, app, out| {
        let grants = std::cell::OnceCell::new();
        let mut budget = DEPENDS_ON_STEPS;
        for n in &net.bucket_notifications {
            check(&grants, &mut budget, net, n, &mut out);
        }
    }
}

/// How many `DependsOn` steps one run of the rule follows in all: four times what a template
/// CloudFormation takes (500 resources, each walk at most 500 steps, 500 buckets) can need,
/// and short of the quadratic time a hostile template could ask for.
const DEPENDS_ON_STEPS: usize = 1 << 20;

/// Whether `id` depends on one of `targets` through `DependsOn`, directly or through what it
/// depends on, in stack `stack`; `None` once `budget` steps are spent (each resource reached
/// is a step).
fn depends_on_any<'a>(out: &Findings<'a>, stack: usize, id: &str, targets: &[&str], budget: &mut usize) -> Option<bool> {
    let direct = |id: &str, todo: &mut Vec<&'a str>| {
        let Some(Value::Map(m)) = out.element(stack, id).map(|e| &e.value) else { return };
        match m.get("DependsOn") {
            Some(Value::Str(d)) => todo.push(d.as_str()),
            Some(Value::List(l)) => todo.extend(l.iter().filter_map(Value::as_str)),
            _ => {}
        }
    };
    let mut known: ironcdk_template::hash::HashSet<&str> = ironcdk_template::hash::HashSet::default();
    let mut todo: Vec<&'a str> = Vec::new();
    direct(id, &mut todo);
    while let Some(next) = todo.pop() {
        if targets.contains(&next) {
            return Some(true);
        }
        if !known.insert(next) {
            continue;
        }
        *budget = budget.checked_sub(1)?;
        direct(next, &mut todo);
    }
    Some(false)
}

/// The grants of the model by target (see [`super::grants_by_target`]), made when first needed.
type Grants<'n> = std::cell::OnceCell<super::GrantsByTarget<'n>>;

fn check<'n>(grants: &Grants<'n>, budget: &mut usize, net: &'n Network, n: &BucketNotification, out: &mut Findings<'_>) {
    let (principal, action, what) = match n.service {
        "sns" => ("s3.amazonaws.com", "sns:Publish", "topic policy"),
        "sqs" => ("s3.amazonaws.com", "sqs:SendMessage", "queue policy"),
        _ => ("s3.amazonaws.com", "lambda:InvokeFunction", "Lambda permission"),
    };
    let Some(dest) = n.destination.key() else {
        out.at(&n.bucket, ID, Severity::Info, format!("cannot verify the notification's destination: it is {}", unknown_text(&n.destination)), "check that its policy lets s3.amazonaws.com send to it");
        return;
    };
    let admitting: Vec<&Key> = grants.get_or_init(|| super::grants_by_target(net)).get(&super::by_key(dest)).into_iter().flatten().filter(|g| g.admits(principal, action)).map(|g| &g.key).collect();
    if admitting.is_empty() {
        out.at(
            &n.bucket,
            ID,
            Severity::Error,
            format!(
                "the bucket notifies {}, and no {what} in these templates lets {principal} call {action} on it: CloudFormation fails with \"Unable to validate the following destination configurations\"",
                out.name(dest)
            ),
            format!("add a {what} allowing {principal} {action}, and make the bucket depend on it"),
        );
        return;
    }
    let ordered = if admitting.iter().any(|g| g.stack != n.bucket.stack) {
        Some(true)
    } else {
        let targets: Vec<&str> = admitting.iter().map(|g| g.logical_id.as_str()).collect();
        depends_on_any(out, n.bucket.stack, &n.bucket.logical_id, &targets, budget)
    };
    let Some(ordered) = ordered else {
        out.at(
            &n.bucket,
            ID,
            Severity::Info,
            format!("cannot verify that the bucket waits for {}: the resources its DependsOn reaches are too many to follow", out.name(admitting.first().copied().unwrap_or(dest))),
            format!("check that the bucket depends on the {what}"),
        );
        return;
    };
    if !ordered {
        out.at(
            &n.bucket,
            ID,
            Severity::Error,
            format!(
                "the bucket notifies {} and does not wait for {}: S3 checks the {what} when it makes the notification, so the deploy fails whenever the bucket comes first",
                out.name(dest),
                out.name(admitting.first().copied().unwrap_or(dest))
            ),
            format!("add DependsOn: {} to the bucket", admitting.first().map(|k| k.logical_id.as_str()).unwrap_or_default()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `DependsOn` walk finds a resource however far, goes round a circle once, and says
    /// "not known" once its steps are spent.
    #[test]
    fn depends_on_is_followed_within_its_steps() {
        let mut r = serde_json::Map::new();
        for i in 0..10 {
            let next = if i == 9 { serde_json::json!(["P", "B0"]) } else { serde_json::json!(format!("B{}", i + 1)) };
            r.insert(format!("B{i}"), serde_json::json!({"Type": "AWS::S3::Bucket", "DependsOn": next}));
        }
        r.insert("P".into(), serde_json::json!({"Type": "AWS::SNS::Topic"}));
        let stack = ironcdk_template::load::load_template("S", ironcdk_template::Environment::region("us-east-1"), &serde_json::json!({"Resources": r})).unwrap();
        let app = ironcdk_template::PreparedApp::new(vec![stack], Vec::new());
        let mut list = Vec::new();
        let out = Findings::new(&app, &mut list);
        let walk = |from: &str, targets: &[&str], mut budget: usize| depends_on_any(&out, 0, from, targets, &mut budget);
        assert_eq!(walk("B0", &["P"], 100), Some(true));
        assert_eq!(walk("B5", &["B2"], 100), Some(true), "round the circle");
        assert_eq!(walk("B0", &["Elsewhere"], 100), Some(false));
        assert_eq!(walk("P", &["B0"], 100), Some(false));
        assert_eq!(walk("B0", &["P"], 3), None);
    }
}
