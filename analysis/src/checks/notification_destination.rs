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
        for n in &net.bucket_notifications {
            check(&grants, net, n, &mut out);
        }
    }
}

/// The logical IDs `id` depends on through `DependsOn`, directly or through the resources it
/// depends on, in its stack.
pub(super) fn depends_on_closure(out: &Findings<'_>, stack: usize, id: &str) -> Vec<String> {
    let direct = |id: &str| -> Vec<String> {
        let Some(Value::Map(m)) = out.element(stack, id).map(|e| &e.value) else { return Vec::new() };
        match m.get("DependsOn") {
            Some(Value::Str(d)) => vec![d.to_string()],
            Some(Value::List(l)) => l.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            _ => Vec::new(),
        }
    };
    let mut seen: Vec<String> = Vec::new();
    let mut known: ironcdk_template::hash::HashSet<String> = ironcdk_template::hash::HashSet::default();
    let mut todo = direct(id);
    while let Some(next) = todo.pop() {
        if !known.insert(next.clone()) {
            continue;
        }
        todo.extend(direct(&next));
        seen.push(next);
    }
    seen
}

/// The grants of the model by target (see [`super::grants_by_target`]), made when first needed.
type Grants<'n> = std::cell::OnceCell<super::GrantsByTarget<'n>>;

fn check<'n>(grants: &Grants<'n>, net: &'n Network, n: &BucketNotification, out: &mut Findings<'_>) {
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
    let before = depends_on_closure(out, n.bucket.stack, &n.bucket.logical_id);
    let ordered = admitting.iter().any(|g| g.stack != n.bucket.stack || before.iter().any(|b| *b == g.logical_id));
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
