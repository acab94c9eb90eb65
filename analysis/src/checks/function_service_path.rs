//! `function-service-path`: a Lambda function in subnets without internet egress whose role
//! lets it call AWS services its VPC has no endpoint for.

use ironcdk_template::value::Value;
use ironcdk_template::Severity;

use super::{unknown_text, Findings};
use crate::network::{EndpointKind, Key, Network, Resolved, RolePolicy, Subnet, VpcFunction};
use ironcdk_template::hash::HashMap;

rule! {
    /// `function-service-path`: a Lambda function in subnets without internet egress whose
    /// role lets it call AWS services its VPC has no endpoint for.
    FunctionServicePath = "function-service-path", |net, _app, out| {
        // Each role's policies, gathered once for all the functions.
        let policies = if net.vpc_functions.is_empty() { HashMap::default() } else { super::by_each_key(&net.role_policies, |p| &p.roles) };
        for f in &net.vpc_functions {
            function_service_path(net, &policies, f, &mut out);
        }
    }
}

/// The services a role's policies of these templates let it call, by IAM prefix, each with the
/// first action that names it. Services a function never calls from its own network interfaces
/// (X-Ray traces and logs go through Lambda itself) are left out, and so is sending to its
/// dead-letter queue or topic, which Lambda does itself.
fn called_services(policies: &HashMap<(usize, &str), Vec<&RolePolicy<'_>>>, role: &Key, dead_letter: Option<&Value>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for p in policies.get(&super::by_key(role)).into_iter().flatten() {
        for (a, resource) in &p.actions {
            if dead_letter.is_some() && matches!(*a, "sqs:SendMessage" | "sns:Publish") && only(*resource) == dead_letter {
                continue;
            }
            let Some((prefix, _)) = a.split_once(':') else { continue };
            let prefix = prefix.to_ascii_lowercase();
            if matches!(prefix.as_str(), "logs" | "xray") || out.iter().any(|(s, _)| *s == prefix) {
                continue;
            }
            out.push((prefix, a.to_string()));
        }
    }
    out
}

/// A statement's one resource (written alone or as a list of one).
fn only(resource: Option<&Value>) -> Option<&Value> {
    match resource {
        Some(Value::List(l)) => match l.as_slice() {
            [one] => Some(one),
            _ => None,
        },
        other => other,
    }
}

/// The VPC endpoint service name of an IAM prefix.
fn endpoint_service(prefix: &str) -> &str {
    match prefix {
        "ecr" => "ecr.api",
        "cloudwatch" => "monitoring",
        "states" => "states",
        other => other,
    }
}

/// Whether `subnet` (of `vpc`) reaches `service` without the internet: a gateway endpoint on
/// its route table (S3, DynamoDB) or an interface endpoint in the VPC.
fn served(net: &Network, subnet: &Subnet, vpc: &Key, service: &str) -> bool {
    let table = subnet.route_table.as_ref().and_then(Resolved::key);
    net.endpoints.iter().any(|e| {
        e.service.as_deref() == Some(service)
            && match e.kind {
                EndpointKind::Gateway => e.route_tables.iter().any(|t| t.key() == table),
                EndpointKind::Interface => e.vpc.key() == Some(vpc),
            }
    })
}

fn function_service_path(net: &Network, policies: &HashMap<(usize, &str), Vec<&RolePolicy<'_>>>, f: &VpcFunction, out: &mut Findings<'_>) {
    let Some(role) = f.role.key() else {
        out.at(&f.key, ID, Severity::Info, format!("cannot verify what the function calls: its role is {}", unknown_text(&f.role)), "declare the role in the app to have its policies checked");
        return;
    };
    let services = called_services(policies, role, f.dead_letter.as_ref());
    if services.is_empty() {
        return;
    }
    for s in &f.subnets {
        let Some(subnet) = s.key().and_then(|k| net.subnet(k)) else {
            out.at(&f.key, ID, Severity::Info, format!("cannot verify: a subnet of the function is {}", unknown_text(s)), "declare the subnet in the app, or pass its value with --parameter");
            continue;
        };
        match net.internet_egress(subnet, false) {
            None => {
                out.at(&f.key, ID, Severity::Info, format!("cannot verify: subnet {} has no route table in these templates", out.name(&subnet.key)), "declare the route table association, or check the subnet's routes yourself");
                continue;
            }
            Some(true) => continue,
            Some(false) => {}
        }
        let Some(vpc) = subnet.vpc.key() else {
            out.at(&f.key, ID, Severity::Info, format!("cannot verify: the VPC of subnet {} is {}", out.name(&subnet.key), unknown_text(&subnet.vpc)), "declare the VPC, or pass its value with --parameter");
            continue;
        };
        let missing: Vec<String> = services
            .iter()
            .filter(|(prefix, _)| !served(net, subnet, vpc, endpoint_service(prefix)))
            .map(|(prefix, action)| format!("{} (its role allows {action})", endpoint_service(prefix)))
            .collect();
        if !missing.is_empty() {
            out.at(
                &f.key,
                ID,
                Severity::Warning,
                format!(
                    "the function runs in subnet {} with no route to the internet, and its VPC {} has no endpoint for {}; its calls there would time out",
                    out.name(&subnet.key),
                    out.name(vpc),
                    missing.join(", ")
                ),
                "add a gateway endpoint (s3, dynamodb) on the subnets' route tables or interface endpoints for the other services, or a NAT gateway; acknowledge the rule if the function never makes those calls",
            );
        }
    }
}
