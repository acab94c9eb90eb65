//! `image-pull-path`: a Fargate task (or the EC2 instances of tasks on EC2) without internet egress lacks an endpoint it needs to pull its image, log or read secrets (and, on EC2, for the ECS agent).

use ironcdk_template::Severity;

use super::{subnets_of, unknown_text, Findings};
use crate::network::{Endpoint, EndpointKind, Image, Key, Network, Resolved, Subnet, Workload, WorkloadKind};
use ironcdk_template::hash::HashMap;

rule! {
    /// `image-pull-path`: a Fargate task (or the EC2 instances of tasks on EC2) without internet egress lacks an endpoint it needs to pull its image, log or read secrets (and, on EC2, for the ECS agent).
    ImagePullPath = "image-pull-path", |net, _app, out| {
        let mut paths = PullPaths::new(net);
        for w in net.workloads.iter().filter_map(Workload::pulling_view) {
            image_pull_path(net, &mut paths, &w, &mut out);
        }
    }
}

/// The interface endpoint of a VPC for a service.
fn interface<'n>(net: &'n Network, vpc: &Key, service: &str) -> Option<&'n Endpoint> {
    net.endpoints.iter().find(|e| e.kind == EndpointKind::Interface && e.service.as_deref() == Some(service) && e.vpc.key() == Some(vpc))
}

/// The first labels of a service's domain before the region: `dkr.ecr.` for `ecr.dkr`,
/// `api.ecr.` for `ecr.api`, `logs.` for `logs`.
fn domain_prefix(service: &str) -> String {
    match service {
        "ecr.dkr" => "dkr.ecr.".into(),
        "ecr.api" => "api.ecr.".into(),
        other => format!("{other}."),
    }
}

/// The endpoint that serves `service` to tasks in `subnet` of `vpc`: one in the VPC, or one in a
/// peered VPC that a private hosted zone associated with this VPC points to, with a route
/// through the peering. The error says which piece is missing.
fn serving_endpoint<'n>(net: &'n Network, subnet: &Subnet, vpc: &Key, service: &str) -> Result<&'n Endpoint, String> {
    if let Some(e) = interface(net, vpc, service) {
        return Ok(e);
    }
    let peers: Vec<(&crate::network::Peering, &Key)> = net
        .peerings
        .iter()
        .filter_map(|p| match (p.vpc.key(), p.peer_vpc.key()) {
            (Some(a), Some(b)) if a == vpc => Some((p, b)),
            (Some(a), Some(b)) if b == vpc => Some((p, a)),
            _ => None,
        })
        .collect();
    let Some((peering, remote)) = peers.iter().find(|(_, remote)| interface(net, remote, service).is_some()) else {
        return Err(format!("a '{service}' interface endpoint"));
    };
    let Some(endpoint) = interface(net, remote, service) else { return Err(format!("a '{service}' interface endpoint")) };
    let prefix = domain_prefix(service);
    let zone = net.zones.iter().any(|z| z.name.starts_with(&prefix) && z.name.ends_with("amazonaws.com") && z.vpcs.iter().any(|v| v.key() == Some(vpc)));
    if !zone {
        return Err(format!(
            "a private hosted zone for {prefix}<region>.amazonaws.com associated with this VPC (the '{service}' endpoint is in the peered VPC, with its own DNS name)"
        ));
    }
    let table = subnet.route_table.as_ref().and_then(Resolved::key);
    let routed = table.is_some_and(|t| net.routes_of(t).any(|r| matches!(&r.target, crate::network::RouteTarget::Peering(k) if *k == peering.key)));
    if !routed {
        return Err(format!("a route from the subnet's route table through the peering connection to the VPC holding the '{service}' endpoint"));
    }
    Ok(endpoint)
}

/// How a task in one subnet reaches what it pulls.
pub(super) enum PullPath<'n> {
    /// Through the internet (a route out, or an unknown one: the rule says "cannot verify").
    Egress,
    /// The subnet's route table is not in the templates.
    NoRouteTable,
    /// The subnet's VPC is not fixed by the templates.
    UnknownVpc,
    /// Through VPC endpoints: those it uses, and the pieces missing (empty when complete).
    Endpoints { used: Vec<&'n Endpoint>, missing: Vec<String>, vpc: &'n Key },
}

/// The way the tasks of `w` in `subnet` pull their images, write logs and read secrets.
pub(super) fn pull_path<'n>(net: &'n Network, w: &Workload, subnet: &'n Subnet) -> PullPath<'n> {
    match net.internet_egress(subnet, w.public_ip) {
        None => return PullPath::NoRouteTable,
        Some(true) => return PullPath::Egress,
        Some(false) => {}
    }
    let Some(vpc) = subnet.vpc.key() else { return PullPath::UnknownVpc };
    let mut missing: Vec<String> = Vec::new();
    let ecr = w.containers.iter().any(|c| matches!(c.image, Image::Ecr(_)));
    if ecr {
        let table = subnet.route_table.as_ref().and_then(Resolved::key);
        let s3 = net.endpoints.iter().any(|e| {
            e.kind == EndpointKind::Gateway && e.service.as_deref() == Some("s3") && e.route_tables.iter().any(|t| t.key() == table)
        });
        if !s3 {
            missing.push("the S3 gateway endpoint on the subnet's route table (image layers come from S3)".into());
        }
    }
    // The interface endpoints the tasks need, in this order (a fixed list: no vector to make).
    let needed = [
        (ecr, "ecr.api"),
        (ecr, "ecr.dkr"),
        (w.containers.iter().any(|c| c.awslogs), "logs"),
        (w.containers.iter().any(|c| c.secrets_manager), "secretsmanager"),
        (w.containers.iter().any(|c| c.ssm), "ssm"),
        // On EC2, the instances' ECS agent registers and reports through these.
        (!w.fargate, "ecs"),
        (!w.fargate, "ecs-agent"),
        (!w.fargate, "ecs-telemetry"),
    ];
    let mut used: Vec<&Endpoint> = Vec::new();
    for (_, service) in needed.into_iter().filter(|(wanted, _)| *wanted) {
        match serving_endpoint(net, subnet, vpc, service) {
            Ok(e) => used.push(e),
            Err(piece) => missing.push(piece),
        }
    }
    for c in w.containers.iter().filter(|c| c.image == Image::Other) {
        missing.push(format!("internet egress for container '{}', whose image is from a registry outside private ECR (no VPC endpoint reaches it)", c.name));
    }
    PullPath::Endpoints { used, missing, vpc }
}

/// The pull paths found so far, by subnet and by what a workload needs: the services of a
/// cluster share a few subnets and the same needs, and the way is the same for each of them.
pub(super) struct PullPaths<'n> {
    net: &'n Network<'n>,
    known: HashMap<(usize, u8), PullPath<'n>>,
    /// The last path of a workload with an image from another registry (its words name the
    /// container, so it is not shared).
    own: Option<PullPath<'n>>,
}

impl<'n> PullPaths<'n> {
    pub(super) fn new(net: &'n Network<'n>) -> Self {
        PullPaths { net, known: HashMap::default(), own: None }
    }

    /// [`pull_path`] of `w` in `subnet`, found once for each subnet and set of needs.
    pub(super) fn of(&mut self, w: &Workload, subnet: &'n Subnet) -> &PullPath<'n> {
        let net = self.net;
        match needs(w) {
            Some(needs) => self.known.entry((std::ptr::from_ref(subnet) as usize, needs)).or_insert_with(|| pull_path(net, w, subnet)),
            None => self.own.insert(pull_path(net, w, subnet)),
        }
    }
}

/// All that [`pull_path`] reads of a workload, as bits; `None` when a container's image is
/// from a registry outside private ECR (the path then names the container).
fn needs(w: &Workload) -> Option<u8> {
    let mut bits = u8::from(w.public_ip) | u8::from(w.fargate) << 1;
    for c in &w.containers {
        match c.image {
            Image::Other => return None,
            Image::Ecr(_) => bits |= 1 << 2,
            Image::Unknown => {}
        }
        bits |= u8::from(c.awslogs) << 3 | u8::from(c.secrets_manager) << 4 | u8::from(c.ssm) << 5;
    }
    Some(bits)
}

fn image_pull_path<'n>(net: &'n Network<'n>, paths: &mut PullPaths<'n>, w: &Workload, out: &mut Findings<'_>) {
    let what = match (w.kind == WorkloadKind::Scheduled, w.fargate) {
        (true, true) => "the scheduled task runs",
        (false, true) => "the service runs",
        (true, false) => "the EC2 instances of the scheduled task run",
        (false, false) => "the EC2 instances of the service run",
    };
    for subnet in subnets_of(net, w, out, ID) {
        let (missing, vpc) = match paths.of(w, subnet) {
            PullPath::Egress => continue,
            PullPath::NoRouteTable => {
                out.at(&w.key, ID, Severity::Info, format!("cannot verify: subnet {} has no route table in these templates", out.name(&subnet.key)), "declare the route table association, or check the subnet's routes yourself");
                continue;
            }
            PullPath::UnknownVpc => {
                out.at(&w.key, ID, Severity::Info, format!("cannot verify: the VPC of subnet {} is {}", out.name(&subnet.key), unknown_text(&subnet.vpc)), "declare the VPC, or pass its value with --parameter");
                continue;
            }
            PullPath::Endpoints { missing, vpc, .. } => (missing, vpc),
        };
        if !missing.is_empty() {
            out.at(
                &w.key,
                ID,
                Severity::Error,
                format!(
                    "{what} in subnet {} with no route to the internet, and its VPC {} lacks {}; the task would stop at CannotPullContainerError (or fail to log or read its secrets)",
                    out.name(&subnet.key),
                    out.name(vpc),
                    missing.join(", ")
                ),
                "add the missing VPC endpoints (ecr.api, ecr.dkr, logs as needed, and the S3 gateway endpoint on the task subnets' route tables), or a NAT gateway",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A service on an Auto Scaling group capacity provider whose instances are in an isolated
    /// subnet with the ECR, S3 and (when `agent`) the ECS agent's endpoints.
    fn on_instances(agent: bool) -> serde_json::Value {
        let endpoint = |service: &str| json!({"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": {"Ref": "Vpc"}, "VpcEndpointType": "Interface",
            "ServiceName": format!("com.amazonaws.us-east-1.{service}"), "PrivateDnsEnabled": true, "SubnetIds": [{"Ref": "Sub"}]}});
        let mut t = json!({"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Sub": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}},
            "Rt": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
            "Assoc": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": {"Ref": "Sub"}, "RouteTableId": {"Ref": "Rt"}}},
            "S3": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": {"Ref": "Vpc"}, "ServiceName": "com.amazonaws.us-east-1.s3", "RouteTableIds": [{"Ref": "Rt"}]}},
            "EcrApi": endpoint("ecr.api"), "EcrDkr": endpoint("ecr.dkr"),
            "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": "ami-12345678",
                "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": false, "Groups": []}]}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "1", "VPCZoneIdentifier": [{"Ref": "Sub"}],
                "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Template"}, "Version": "1"}}},
            "Provider": {"Type": "AWS::ECS::CapacityProvider", "Properties": {"AutoScalingGroupProvider": {"AutoScalingGroupArn": {"Ref": "Group"}}}},
            "Cluster": {"Type": "AWS::ECS::Cluster"},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "web", "Memory": 256,
                "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"}]}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Ref": "Task"},
                "CapacityProviderStrategy": [{"CapacityProvider": {"Ref": "Provider"}, "Weight": 1}]}}}});
        if agent {
            for s in ["ecs", "ecs-agent", "ecs-telemetry"] {
                t["Resources"][format!("E{}", s.replace('-', ""))] = endpoint(s);
            }
        }
        t
    }

    /// What a path says, to compare two.
    fn said(p: &PullPath<'_>) -> String {
        match p {
            PullPath::Egress => "egress".into(),
            PullPath::NoRouteTable => "no route table".into(),
            PullPath::UnknownVpc => "unknown VPC".into(),
            PullPath::Endpoints { used, missing, vpc } => {
                let used: Vec<&str> = used.iter().map(|e| e.key.logical_id.as_str()).collect();
                format!("{vpc:?} uses {used:?}, lacks {missing:?}")
            }
        }
    }

    /// Paths found once per subnet and needs are those found afresh for each workload: needs
    /// that differ (logs, a public IP, Fargate or not, an image from another registry, whose
    /// container is named) each get their own.
    #[test]
    fn a_path_found_once_is_the_path_of_every_workload_with_the_same_needs() {
        let mut t = on_instances(false);
        let service = |task: &str| json!({"Type": "AWS::ECS::Service", "Properties": {"Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Ref": task}, "LaunchType": "FARGATE",
            "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [{"Ref": "Sub"}, {"Ref": "Pub"}], "AssignPublicIp": if task == "OpenTask" { "ENABLED" } else { "DISABLED" }}}}});
        let task = |name: &str, image: &str, logs: bool| {
            let mut c = json!({"Name": name, "Memory": 256, "Image": image});
            if logs {
                c["LogConfiguration"] = json!({"LogDriver": "awslogs", "Options": {"awslogs-group": "g", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "p"}});
            }
            json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512", "ContainerDefinitions": [c]}})
        };
        let ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1";
        let r = &mut t["Resources"];
        r["Pub"] = json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1b"}});
        r["PubRt"] = json!({"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}});
        r["PubAssoc"] = json!({"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": {"Ref": "Pub"}, "RouteTableId": {"Ref": "PubRt"}}});
        r["Igw"] = json!({"Type": "AWS::EC2::InternetGateway"});
        r["Out"] = json!({"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "PubRt"}, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": {"Ref": "Igw"}}});
        for (name, image, logs) in [("Plain", ecr, false), ("Logged", ecr, true), ("Hub", "nginx:1", false), ("Hub2", "redis:7", false), ("Open", ecr, true), ("Again", ecr, false)] {
            r[format!("{name}Task")] = task(&name.to_lowercase(), image, logs);
            r[format!("{name}Service")] = service(&format!("{name}Task"));
        }
        let stack = ironcdk_template::load::load_template("Web", ironcdk_template::Environment::region("us-east-1"), &t).unwrap();
        let app = ironcdk_template::PreparedApp::new(vec![stack], Vec::new());
        let net = Network::derive(&app, &crate::network::Resolver::new(&app, &[]));
        let mut paths = PullPaths::new(&net);
        let mut seen = Vec::new();
        for _ in 0..2 {
            for w in net.workloads.iter().filter_map(Workload::pulling_view) {
                for subnet in w.subnets.iter().filter_map(|s| s.key().and_then(|k| net.subnet(k))) {
                    let fresh = said(&pull_path(&net, &w, subnet));
                    assert_eq!(said(paths.of(&w, subnet)), fresh, "{:?} in {:?}", w.key, subnet.key);
                    seen.push(fresh);
                }
            }
        }
        // Both kinds of subnet, logs wanted or not, and each registry container by its name.
        assert!(seen.iter().any(|p| p == "egress"), "{seen:#?}");
        assert!(seen.iter().any(|p| p.contains("'logs' interface endpoint")), "{seen:#?}");
        assert!(seen.iter().any(|p| p.contains("uses [\"EcrApi\", \"EcrDkr\"], lacks [\"the S3")), "{seen:#?}");
        assert!(seen.iter().any(|p| p.contains("container 'hub'")) && seen.iter().any(|p| p.contains("container 'hub2'")), "{seen:#?}");
        // The six services, and the one on instances `on_instances` holds.
        assert_eq!(net.workloads.len(), 7);
    }

    #[test]
    fn the_instances_of_a_service_on_ec2_need_the_ecs_agents_endpoints() {
        let errors = |t| crate::checks::findings_of(&ImagePullPath, &[("Web", t)]).into_iter().filter(|f| f.severity == Severity::Error).map(|f| f.message).collect::<Vec<_>>();
        let e = errors(on_instances(false));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(e[0].starts_with("the EC2 instances of the service run in subnet"), "{}", e[0]);
        assert!(e[0].contains("lacks a 'ecs' interface endpoint, a 'ecs-agent' interface endpoint, a 'ecs-telemetry' interface endpoint;"), "{}", e[0]);
        assert!(errors(on_instances(true)).is_empty());
    }
}
