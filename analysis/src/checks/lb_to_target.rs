//! `lb-to-target`: a target's security groups do not admit the target port from its load balancer.

use ironcdk_template::Severity;

use super::{admits_range, Findings};
use crate::network::{Ipv4, Network, Resolved, Workload};

rule! {
    /// `lb-to-target`: a target's security groups do not admit the target port from its load balancer.
    LbToTarget = "lb-to-target", |net, _app, out| {
        for w in &net.workloads {
            lb_to_target(net, w, &mut out);
    }
    }
}

/// The first and last dynamic host port ECS maps a bridge-mode container to (as CDK admits
/// them for an `Ec2Service`).
const EPHEMERAL: (i64, i64) = (32768, 65535);

/// Where a load balancer's traffic for `container_port` arrives: the tasks' own groups and the
/// port (Fargate, `awsvpc`), or the instances' groups and the host port (`host`: the same
/// port; `bridge`: the mapped one, or the dynamic range). `None` when not known.
fn destination(w: &Workload, container_port: i64) -> Option<(&[crate::network::Resolved], (i64, i64))> {
    if w.task_networking() {
        return Some((&w.security_groups, (container_port, container_port)));
    }
    let host = w.host.as_ref()?;
    let range = match w.network_mode.as_deref()? {
        "host" => (container_port, container_port),
        "bridge" => {
            let mapped = w.containers.iter().flat_map(|c| &c.port_mappings).find(|(c, _)| *c == container_port).and_then(|(_, h)| *h);
            match mapped {
                Some(h) if h > 0 => (h, h),
                _ => EPHEMERAL,
            }
        }
        _ => return None,
    };
    Some((&host.security_groups, range))
}

fn lb_to_target(net: &Network, w: &Workload, out: &mut Findings<'_>) {
    for (tg, port) in &w.targets {
        let Some(group) = tg.key().and_then(|k| net.target_group(k)) else { continue };
        let Some((groups, traffic)) = destination(w, *port) else { continue };
        // The traffic port, and the health check's when it is another.
        let ports = [Some(traffic), group.health_check_port.filter(|h| (*h, *h) != traffic).map(|h| (h, h))];
        for lb_key in &group.load_balancers {
            let Some(lb) = net.load_balancer(lb_key) else { continue };
            let subnet_blocks: Vec<Ipv4>;
            let (from_groups, from_blocks): (&[Resolved], &[Ipv4]) = match &lb.security_groups {
                Some(groups) if !groups.is_empty() => {
                    let silent = groups.iter().filter_map(|g| g.key().and_then(|k| net.security_group(k))).any(|sg| sg.ingress.is_empty());
                    // With the rules off for PrivateLink traffic, an NLB behind an endpoint
                    // service (an API Gateway VPC link, for one) admits that traffic anyway.
                    if silent && lb.network && lb.private_link_inbound_rules {
                        out.at(lb_key, ID, Severity::Error, format!("network load balancer {} has a security group with no inbound rules, which blocks all traffic to it", out.name(lb_key)), "add inbound rules to the load balancer's security group, or create the NLB without security groups");
                    }
                    (groups, &[])
                }
                _ => {
                    subnet_blocks = lb.subnets.iter().filter_map(|s| s.key().and_then(|k| net.subnet(k)).and_then(|s| s.cidr)).collect();
                    (&[], &subnet_blocks)
                }
            };
            if from_groups.is_empty() && from_blocks.is_empty() {
                out.at(&w.key, ID, Severity::Info, format!("cannot verify: the subnets of load balancer {} are not in these templates", out.name(lb_key)), "declare them, or pass their values with --parameter");
                continue;
            }
            for (first, last) in ports.into_iter().flatten() {
                // The words, for a finding only.
                let words = |out: &Findings<'_>| match (first == last, w.task_networking()) {
                    (true, true) => (format!("{first}"), format!("the security groups of {}", out.name(&w.key))),
                    (true, false) => (format!("{first}"), format!("the security groups of the instances of {}", out.name(&w.key))),
                    (false, _) => (format!("{first}-{last} (the dynamic host ports of bridge networking)"), format!("the security groups of the instances of {}", out.name(&w.key))),
                };
                match admits_range(net, groups, first, last, from_groups, from_blocks) {
                    Some(true) => {}
                    Some(false) => out.at(
                        &w.key,
                        ID,
                        Severity::Error,
                        {
                            let (shown, whose) = words(out);
                            format!("{whose} do not admit TCP {shown} from load balancer {}, so its health checks and traffic never arrive", out.name(lb_key))
                        },
                        "allow the target port on the tasks' (or, on EC2 outside awsvpc, the instances') security group from the load balancer's security group (or, for an NLB without one, from its subnets or the VPC's CIDR)",
                    ),
                    None => out.at(&w.key, ID, Severity::Info, format!("cannot verify: a security group of {} is not in these templates", out.name(&w.key)), "declare it, or pass its values with --parameter"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An ALB forwarding to a service's target group; the service's capacity as given.
    fn service(strategy: serde_json::Value, network: Option<serde_json::Value>) -> serde_json::Value {
        let mut t = json!({"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "SubA": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}},
            "LbSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "lb", "VpcId": {"Ref": "Vpc"},
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]}},
            "TaskSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "tasks", "VpcId": {"Ref": "Vpc"}}},
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "application", "Scheme": "internet-facing",
                "Subnets": [{"Ref": "SubA"}], "SecurityGroups": [{"Fn::GetAtt": ["LbSg", "GroupId"]}]}},
            "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 80, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"}, "TargetType": "ip"}},
            "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 80, "Protocol": "HTTP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}]}},
            "Cluster": {"Type": "AWS::ECS::Cluster"},
            "Asg": {"Type": "AWS::ECS::CapacityProvider", "Properties": {"AutoScalingGroupProvider": {"AutoScalingGroupArn": "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:x"}}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"NetworkMode": "bridge",
                "ContainerDefinitions": [{"Name": "web", "Image": "nginx", "Memory": 256, "PortMappings": [{"ContainerPort": 80, "HostPort": 0}]}]}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Ref": "Task"},
                "CapacityProviderStrategy": strategy,
                "LoadBalancers": [{"TargetGroupArn": {"Ref": "Tg"}, "ContainerName": "web", "ContainerPort": 80}]}}}});
        if let Some(n) = network {
            t["Resources"]["Service"]["Properties"]["NetworkConfiguration"] = n;
        }
        t
    }

    #[test]
    fn a_service_on_an_auto_scaling_group_provider_is_not_judged_as_fargate() {
        let ec2 = service(json!([{"CapacityProvider": {"Ref": "Asg"}, "Weight": 1}]), None);
        let f = crate::checks::findings_of(&LbToTarget, &[("Web", ec2)]);
        assert!(f.is_empty(), "{f:#?}");
        // The same service on Fargate, whose tasks' group admits nothing: the error.
        let awsvpc = json!({"AwsvpcConfiguration": {"Subnets": [{"Ref": "SubA"}], "SecurityGroups": [{"Fn::GetAtt": ["TaskSg", "GroupId"]}]}});
        let fargate = service(json!([{"CapacityProvider": "FARGATE", "Weight": 1}, {"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]), Some(awsvpc));
        let f = crate::checks::findings_of(&LbToTarget, &[("Web", fargate)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].severity == Severity::Error && f[0].message.contains("do not admit TCP 80"), "{}", f[0].message);
    }

    /// The service on an Auto Scaling group capacity provider the templates describe: in bridge
    /// mode the instances' group must admit the dynamic host ports from the load balancer.
    fn on_instances(instance_ingress: serde_json::Value, mode: Option<&str>, host_port: i64, default_strategy: bool) -> serde_json::Value {
        let mut t = service(json!([{"CapacityProvider": {"Ref": "Provider"}, "Weight": 1}]), None);
        let r = &mut t["Resources"];
        r["InstanceSg"] = json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "instances", "VpcId": {"Ref": "Vpc"}, "SecurityGroupIngress": instance_ingress}});
        r["Template"] = json!({"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": "ami-12345678", "SecurityGroupIds": [{"Fn::GetAtt": ["InstanceSg", "GroupId"]}]}}});
        r["Group"] = json!({"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2", "VPCZoneIdentifier": [{"Ref": "SubA"}],
            "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Template"}, "Version": {"Fn::GetAtt": ["Template", "LatestVersionNumber"]}}}});
        r["Provider"] = json!({"Type": "AWS::ECS::CapacityProvider", "Properties": {"AutoScalingGroupProvider": {"AutoScalingGroupArn": {"Ref": "Group"}}}});
        match mode {
            Some(m) => r["Task"]["Properties"]["NetworkMode"] = json!(m),
            None => drop(r["Task"]["Properties"].as_object_mut().map(|p| p.remove("NetworkMode"))),
        }
        r["Task"]["Properties"]["ContainerDefinitions"][0]["PortMappings"][0]["HostPort"] = json!(host_port);
        if default_strategy {
            r["Service"]["Properties"].as_object_mut().map(|p| p.remove("CapacityProviderStrategy"));
            r["Associations"] = json!({"Type": "AWS::ECS::ClusterCapacityProviderAssociations", "Properties": {"Cluster": {"Ref": "Cluster"},
                "CapacityProviders": [{"Ref": "Provider"}], "DefaultCapacityProviderStrategy": [{"CapacityProvider": {"Ref": "Provider"}, "Weight": 1}]}});
        }
        t
    }

    #[test]
    fn a_service_on_ec2_instances_is_judged_by_the_instances_groups_and_host_ports() {
        let from_lb = |from: i64, to: i64| json!([{"IpProtocol": "tcp", "FromPort": from, "ToPort": to, "SourceSecurityGroupId": {"Fn::GetAtt": ["LbSg", "GroupId"]}}]);
        let errors = |t: serde_json::Value| crate::checks::findings_of(&LbToTarget, &[("Web", t)]).into_iter().filter(|f| f.severity == Severity::Error).map(|f| f.message).collect::<Vec<_>>();
        // Bridge (the default mode), dynamic host port: the whole range must be admitted.
        let e = errors(on_instances(json!([]), None, 0, false));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(e[0].contains("the security groups of the instances of") && e[0].contains("32768-65535 (the dynamic host ports"), "{}", e[0]);
        assert!(errors(on_instances(from_lb(32768, 65535), Some("bridge"), 0, false)).is_empty());
        // Two rules whose union covers the range; a gap in the middle is an error.
        let split = json!([{"IpProtocol": "tcp", "FromPort": 32768, "ToPort": 40000, "SourceSecurityGroupId": {"Fn::GetAtt": ["LbSg", "GroupId"]}},
            {"IpProtocol": "tcp", "FromPort": 40001, "ToPort": 65535, "SourceSecurityGroupId": {"Fn::GetAtt": ["LbSg", "GroupId"]}}]);
        assert!(errors(on_instances(split, None, 0, false)).is_empty());
        let gap = json!([{"IpProtocol": "tcp", "FromPort": 32768, "ToPort": 40000, "SourceSecurityGroupId": {"Fn::GetAtt": ["LbSg", "GroupId"]}},
            {"IpProtocol": "tcp", "FromPort": 40002, "ToPort": 65535, "SourceSecurityGroupId": {"Fn::GetAtt": ["LbSg", "GroupId"]}}]);
        assert_eq!(errors(on_instances(gap, None, 0, false)).len(), 1);
        // A fixed host port, and host mode: that port only.
        assert!(errors(on_instances(from_lb(8080, 8080), Some("bridge"), 8080, false)).is_empty());
        assert!(errors(on_instances(from_lb(80, 80), Some("host"), 0, false)).is_empty());
        assert!(errors(on_instances(from_lb(80, 80), Some("bridge"), 8080, false))[0].contains("do not admit TCP 8080"));
        // The cluster's default strategy names the provider when the service has none.
        assert_eq!(errors(on_instances(json!([]), None, 0, true)).len(), 1);
        // The EC2 launch type: the instances whose user data joins the cluster (CDK's
        // `addCapacity`); with no such instances nothing is judged.
        let launch_type = |joins: bool| {
            let mut t = on_instances(json!([]), None, 0, false);
            let p = &mut t["Resources"]["Service"]["Properties"];
            p.as_object_mut().map(|p| p.remove("CapacityProviderStrategy"));
            p["LaunchType"] = json!("EC2");
            if joins {
                t["Resources"]["Template"]["Properties"]["LaunchTemplateData"]["UserData"] =
                    json!({"Fn::Base64": {"Fn::Join": ["", ["#!/bin/bash\necho ECS_CLUSTER=", {"Ref": "Cluster"}, " >> /etc/ecs/ecs.config"]]}});
            }
            t
        };
        assert_eq!(errors(launch_type(true)).len(), 1);
        assert!(errors(launch_type(false)).is_empty());
        // awsvpc on EC2: the tasks' own groups, as on Fargate.
        let mut t = on_instances(from_lb(32768, 65535), Some("awsvpc"), 0, false);
        t["Resources"]["Service"]["Properties"]["NetworkConfiguration"] = json!({"AwsvpcConfiguration": {"Subnets": [{"Ref": "SubA"}], "SecurityGroups": [{"Fn::GetAtt": ["TaskSg", "GroupId"]}]}});
        let e = errors(t);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(e[0].starts_with("the security groups of ") && !e[0].contains("instances") && e[0].contains("do not admit TCP 80 from"), "{}", e[0]);
    }
}
