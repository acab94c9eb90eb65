//! `lb-to-target`: a target's security groups do not admit the target port from its load balancer.

use ironcdk_template::Severity;

use super::{admits, name, Findings};
use crate::network::{Ipv4, Network, Resolved, Workload};

rule! {
    /// `lb-to-target`: a target's security groups do not admit the target port from its load balancer.
    LbToTarget = "lb-to-target", |net, _app, out| {
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
}
