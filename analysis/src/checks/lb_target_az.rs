//! `lb-target-az`: tasks registered with a load balancer run in an AZ it does not use.

use ironcdk_template::Severity;

use super::Findings;
use crate::network::{Network, Resolved, Workload};

rule! {
    /// `lb-target-az`: tasks registered with a load balancer run in an AZ it does not use.
    LbTargetAz = "lb-target-az", |net, _app, out| {
        // Targets are the tasks (Fargate, awsvpc) or, on EC2 otherwise, the instances.
        for w in &net.workloads {
            if w.task_networking() {
                lb_target_az(net, w, &mut out);
            } else if let Some(v) = w.pulling_view() {
                lb_target_az(net, &v, &mut out);
            }
    }
    }
}

/// Tasks registered with a load balancer must run in AZs the load balancer uses: a target in
/// another AZ is "unused" (no traffic, never healthy), even with cross-zone load balancing.
fn lb_target_az(net: &Network, w: &Workload, out: &mut Findings<'_>) {
    let az_of = |s: &Resolved| s.key().and_then(|k| net.subnet(k)).and_then(|s| s.az.as_ref());
    for (tg, _) in &w.targets {
        let Some(group) = tg.key().and_then(|k| net.target_group(k)) else { continue };
        for lb_key in &group.load_balancers {
            let Some(lb) = net.load_balancer(lb_key) else { continue };
            let mut outside = Vec::new();
            let mut inside = 0usize;
            let mut unknown = false;
            for subnet in &w.subnets {
                let Some(az) = az_of(subnet) else {
                    unknown = true;
                    continue;
                };
                // Whether the load balancer's AZs hold this one: yes, no, or not known.
                let (mut held, mut apart, mut any) = (false, true, false);
                for verdict in lb.subnets.iter().map(|l| az_of(l).and_then(|l| l.same(az))) {
                    any = true;
                    held |= verdict == Some(true);
                    apart &= verdict == Some(false);
                }
                if held {
                    inside = inside.saturating_add(1);
                } else if any && apart {
                    outside.push(subnet.key().map(|k| out.name(k)).unwrap_or_default());
                } else {
                    unknown = true;
                }
            }
            if !outside.is_empty() {
                let lb_name = out.name(lb_key);
                let (severity, effect) = if inside == 0 && !unknown {
                    (Severity::Error, "none of its tasks can receive traffic or pass health checks, so the service never becomes stable and the deploy does not finish")
                } else {
                    (Severity::Warning, "tasks placed there receive no traffic and never pass health checks, so ECS keeps replacing them")
                };
                out.at(
                    &w.key,
                    ID,
                    severity,
                    format!("{} runs tasks in subnet(s) {} whose Availability Zone load balancer {lb_name} does not use; {effect}", out.name(&w.key), outside.join(", ")),
                    "give the load balancer a subnet (or subnet mapping) in every AZ the tasks use, or run the tasks only in the load balancer's AZs",
                );
            } else if unknown && inside == 0 {
                out.at(&w.key, ID, Severity::Info, format!("cannot verify: the Availability Zones of {} or of load balancer {} are not fixed in these templates", out.name(&w.key), out.name(lb_key)), "declare the subnets, or pass their values with --parameter");
            }
        }
    }
}
