//! `endpoint-reachable`: an interface endpoint's security groups do not admit 443 from a task that needs it.

use ironcdk_template::Severity;

use super::image_pull_path::{PullPath, PullPaths};
use super::{admits, Findings};
use crate::network::{Endpoint, Network, Subnet, Workload};

rule! {
    /// `endpoint-reachable`: an interface endpoint's security groups do not admit 443 from a task that needs it.
    EndpointReachable = "endpoint-reachable", |net, _app, out| {
        // Fargate tasks, and the EC2 instances tasks run on (their agent pulls the images).
        let mut paths = PullPaths::new(net);
        for w in net.workloads.iter().filter_map(Workload::pulling_view) {
            // Where the pull path is complete (image-pull-path reports the rest), through
            // the endpoints it uses.
            for subnet in w.subnets.iter().filter_map(|s| s.key().and_then(|k| net.subnet(k))) {
                if let PullPath::Endpoints { used, missing, .. } = paths.of(&w, subnet) {
                    if missing.is_empty() {
                        endpoint_reachable(net, &w, subnet, used, &mut out);
                    }
                }
            }
        }
    }
}

fn endpoint_reachable(net: &Network, w: &Workload, subnet: &Subnet, used: &[&Endpoint], out: &mut Findings<'_>) {
    let blocks = subnet.cidr.as_slice();
    for e in used {
        let service = e.service.as_deref().unwrap_or_default();
        if e.security_groups.is_empty() {
            out.at(&e.key, ID, Severity::Info, format!("cannot verify: endpoint {} has no security groups in the template (it gets the VPC's default group)", out.name(&e.key)), "give the endpoint a security group that admits 443 from the tasks");
            continue;
        }
        match admits(net, &e.security_groups, 443, &w.security_groups, blocks) {
            Some(true) => {}
            Some(false) => out.at(
                &e.key,
                ID,
                Severity::Error,
                format!("the security groups of endpoint {} do not admit HTTPS (443) from the tasks of {}, so they cannot reach {service}", out.name(&e.key), out.name(&w.key)),
                "allow 443 on the endpoint's security group from the tasks' security group or from the VPC's CIDR",
            ),
            None => out.at(&e.key, ID, Severity::Info, format!("cannot verify: a security group or rule source of endpoint {} is not in these templates", out.name(&e.key)), "declare it, or pass its values with --parameter"),
        }
    }
}
