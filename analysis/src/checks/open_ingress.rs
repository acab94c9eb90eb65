//! `open-ingress`: ingress from anywhere to something that is not an internet-facing load balancer.

use ironcdk_template::{Finding, PreparedApp, Severity};

use super::{name, Findings, Rule};
use crate::network::{Network, Source};

/// The rule's id, as its findings carry it.
pub const ID: &str = "open-ingress";

/// `open-ingress`: ingress from anywhere to something that is not an internet-facing load balancer.
pub struct OpenIngress;

impl Rule for OpenIngress {
    fn id(&self) -> &str {
        ID
    }
    fn check(&self, net: &Network, app: &PreparedApp, out: &mut Vec<Finding>) {
        let mut out = Findings::new(app, out);
        open_ingress(net, &mut out);
    }
}

fn open_ingress(net: &Network, out: &mut Findings<'_>) {
    for sg in &net.security_groups {
        let open = sg.ingress.iter().any(|r| matches!(&r.source, Source::Ipv4(b) if b.prefix == 0) || matches!(&r.source, Source::Ipv6(b) if b == "::/0"));
        if !open {
            continue;
        }
        let users: Vec<&crate::network::LoadBalancer> =
            net.load_balancers.iter().filter(|lb| lb.security_groups.iter().flatten().any(|g| g.key() == Some(&sg.key))).collect();
        let only_public_lbs = !users.is_empty() && users.iter().all(|lb| lb.internet_facing);
        let used_elsewhere = net.workloads.iter().any(|w| w.security_groups.iter().any(|g| g.key() == Some(&sg.key)))
            || net.endpoints.iter().any(|e| e.security_groups.iter().any(|g| g.key() == Some(&sg.key)));
        if !only_public_lbs || used_elsewhere {
            out.at(
                &sg.key,
                ID,
                Severity::Warning,
                format!("security group {} admits traffic from anywhere (0.0.0.0/0 or ::/0) and is not only an internet-facing load balancer's", name(out.app, &sg.key)),
                "narrow the source to the VPC's CIDR or to the security group that sends the traffic",
            );
        }
    }
}
