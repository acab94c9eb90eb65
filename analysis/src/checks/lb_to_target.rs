//! `lb-to-target`: a target's security groups do not admit the target port from its load balancer.

use ironcdk_template::{Finding, PreparedApp, Severity};

use super::{admits, name, Findings, Rule};
use crate::network::{Ipv4, Network, Resolved, Workload};

/// The rule's id, as its findings carry it.
pub const ID: &str = "lb-to-target";

/// `lb-to-target`: a target's security groups do not admit the target port from its load balancer.
pub struct LbToTarget;

impl Rule for LbToTarget {
    fn id(&self) -> &str {
        ID
    }
    fn check(&self, net: &Network, app: &PreparedApp, out: &mut Vec<Finding>) {
        let mut out = Findings::new(app, out);
        for w in net.workloads.iter().filter(|w| w.fargate) {
            lb_to_target(net, w, &mut out);
        }
    }
}

fn lb_to_target(net: &Network, w: &Workload, out: &mut Findings<'_>) {
    for (tg, port) in &w.targets {
        let Some(group) = tg.key().and_then(|k| net.target_group(k)) else { continue };
        let mut ports = vec![*port];
        if let Some(h) = group.health_check_port.filter(|h| h != port) {
            ports.push(h);
        }
        for lb_key in &group.load_balancers {
            let Some(lb) = net.load_balancers.iter().find(|l| &l.key == lb_key) else { continue };
            let (from_groups, from_blocks): (Vec<Resolved>, Vec<Ipv4>) = match &lb.security_groups {
                Some(groups) if !groups.is_empty() => {
                    let silent = groups.iter().filter_map(|g| g.key().and_then(|k| net.security_group(k))).any(|sg| sg.ingress.is_empty());
                    if silent && lb.network {
                        out.at(lb_key, ID, Severity::Error, format!("network load balancer {} has a security group with no inbound rules, which blocks all traffic to it", name(out.app, lb_key)), "add inbound rules to the load balancer's security group, or create the NLB without security groups");
                    }
                    (groups.clone(), Vec::new())
                }
                _ => (Vec::new(), lb.subnets.iter().filter_map(|s| s.key().and_then(|k| net.subnet(k)).and_then(|s| s.cidr)).collect()),
            };
            if from_groups.is_empty() && from_blocks.is_empty() {
                out.at(&w.key, ID, Severity::Info, format!("cannot verify: the subnets of load balancer {} are not in these templates", name(out.app, lb_key)), "declare them, or pass their values with --parameter");
                continue;
            }
            for p in &ports {
                match admits(net, &w.security_groups, *p, &from_groups, &from_blocks) {
                    Some(true) => {}
                    Some(false) => out.at(
                        &w.key,
                        ID,
                        Severity::Error,
                        format!("the security groups of {} do not admit TCP {p} from load balancer {}, so its health checks and traffic never arrive", name(out.app, &w.key), name(out.app, lb_key)),
                        "allow the target port on the tasks' security group from the load balancer's security group (or, for an NLB without one, from its subnets or the VPC's CIDR)",
                    ),
                    None => out.at(&w.key, ID, Severity::Info, format!("cannot verify: a security group of {} is not in these templates", name(out.app, &w.key)), "declare it, or pass its values with --parameter"),
                }
            }
        }
    }
}
