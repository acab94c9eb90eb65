//! `private-dns`: an endpoint with private DNS off used without a private zone, or an ECR docker zone without its wildcard record.

use ironcdk_template::Severity;

use super::Findings;
use crate::network::{EndpointKind, Image, Key, Network};
use ironcdk_template::hash::HashSet;

rule! {
    /// `private-dns`: an endpoint with private DNS off used without a private zone, or an ECR docker zone without its wildcard record.
    PrivateDns = "private-dns", |net, _app, out| {
        private_dns(net, &mut out);
    }
}

/// The VPCs where tasks with no route to the internet pull from ECR, and where they log with
/// awslogs: what the endpoints of those services serve there. Found in one pass over the
/// tasks (not once per endpoint).
struct Consumers<'n> {
    ecr: HashSet<(usize, &'n str)>,
    logs: HashSet<(usize, &'n str)>,
}

impl<'n> Consumers<'n> {
    fn of(net: &'n Network) -> Self {
        let mut found = Consumers { ecr: HashSet::default(), logs: HashSet::default() };
        for w in net.workloads.iter().filter_map(crate::network::Workload::pulling_view) {
            let ecr = w.containers.iter().any(|c| matches!(c.image, Image::Ecr(_)));
            let logs = w.containers.iter().any(|c| c.awslogs);
            if !ecr && !logs {
                continue;
            }
            // Tasks with a route to the internet reach the public service through it; where
            // the route is not known, neither is the failure.
            for s in w.subnets.iter().filter_map(|s| s.key().and_then(|k| net.subnet(k))) {
                let Some(vpc) = s.vpc.key() else { continue };
                if net.internet_egress(s, w.public_ip) != Some(false) {
                    continue;
                }
                let at = super::by_key(vpc);
                if ecr {
                    found.ecr.insert(at);
                }
                if logs {
                    found.logs.insert(at);
                }
            }
        }
        found
    }

    /// Whether such tasks in `vpc` use the logs service (`logs`) or ECR.
    fn uses(&self, vpc: &Key, logs: bool) -> bool {
        let at = super::by_key(vpc);
        if logs { self.logs.contains(&at) } else { self.ecr.contains(&at) }
    }
}

fn private_dns(net: &Network, out: &mut Findings<'_>) {
    for z in &net.zones {
        let docker = z.name.starts_with("dkr.ecr.") && z.name.ends_with(".amazonaws.com");
        if docker && !z.records.iter().any(|r| *r == format!("*.{}", z.name)) {
            out.at(
                &z.key,
                ID,
                Severity::Error,
                format!("hosted zone {} for the ECR docker endpoint has no wildcard record; image pulls go to <account>.{}, which would not resolve ('no such host')", out.name(&z.key), z.name),
                format!("add an alias A record '*.{}' to the endpoint, beside the apex record", z.name),
            );
        }
    }
    let consumers = std::cell::OnceCell::new();
    for e in net.endpoints.iter().filter(|e| e.kind == EndpointKind::Interface && !e.private_dns) {
        let Some(service) = e.service.as_deref() else { continue };
        let Some(vpc) = e.vpc.key() else { continue };
        let consumed = match service {
            "ecr.api" | "ecr.dkr" | "logs" => consumers.get_or_init(|| Consumers::of(net)).uses(vpc, service == "logs"),
            _ => false,
        };
        if !consumed {
            continue;
        }
        let zone = net.zones.iter().find(|z| z.name.ends_with(".amazonaws.com") && z.name.contains(service) && z.vpcs.iter().any(|v| v.key() == Some(vpc)));
        if zone.is_none() {
            out.at(
                &e.key,
                ID,
                Severity::Error,
                format!("endpoint {} has private DNS off and tasks in its VPC with no route to the internet use {service}; without a private hosted zone for the service's domain, its name resolves to the public service, which they cannot reach", out.name(&e.key)),
                "turn private DNS on, or add a private hosted zone for the service's domain with an alias record to the endpoint, associated with the VPC",
            );
        }
    }
}
