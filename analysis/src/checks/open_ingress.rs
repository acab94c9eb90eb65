//! `open-ingress`: ingress from anywhere to something that is not an internet-facing load balancer.

use ironcdk_template::Severity;

use super::Findings;
use crate::network::{Network, Source};

rule! {
    /// `open-ingress`: ingress from anywhere to something that is not an internet-facing load balancer.
    OpenIngress = "open-ingress", |net, _app, out| {
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
        let classic: Vec<bool> = net.classic_load_balancers.iter().filter(|(_, _, groups)| groups.iter().any(|g| g.key() == Some(&sg.key))).map(|(_, public, _)| *public).collect();
        let only_public_lbs = (!users.is_empty() || !classic.is_empty()) && users.iter().all(|lb| lb.internet_facing) && classic.iter().all(|public| *public);
        let used_elsewhere = net.workloads.iter().any(|w| w.security_groups.iter().any(|g| g.key() == Some(&sg.key)))
            || net.endpoints.iter().any(|e| e.security_groups.iter().any(|g| g.key() == Some(&sg.key)))
            || net.instance_groups.iter().any(|g| g.key() == Some(&sg.key));
        if !only_public_lbs || used_elsewhere {
            out.at(
                &sg.key,
                ID,
                Severity::Warning,
                format!("security group {} admits traffic from anywhere (0.0.0.0/0 or ::/0) and is not only an internet-facing load balancer's", out.name(&sg.key)),
                "narrow the source to the VPC's CIDR or to the security group that sends the traffic",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn group(cidr: &str) -> serde_json::Value {
        json!({"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": cidr}]}}}})
    }

    #[test]
    fn ingress_from_anywhere_warns_and_a_narrow_block_does_not() {
        let f = crate::checks::findings_of(&OpenIngress, &[("Web", group("0.0.0.0/0"))]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].rule.as_str(), f[0].severity, f[0].logical_id.as_deref()), (ID, Severity::Warning, Some("Sg")));
        assert!(crate::checks::findings_of(&OpenIngress, &[("Web", group("10.0.0.0/16"))]).is_empty());
    }

    #[test]
    fn an_internet_facing_load_balancer_may_be_open() {
        let mut t = group("0.0.0.0/0");
        t["Resources"]["Lb"] = json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing", "Type": "application",
            "SecurityGroups": [{"Fn::GetAtt": ["Sg", "GroupId"]}], "Subnets": ["subnet-1", "subnet-2"]}});
        assert!(crate::checks::findings_of(&OpenIngress, &[("Web", t)]).is_empty());
    }

    #[test]
    fn a_public_classic_load_balancer_may_be_open_but_not_a_group_it_shares_with_instances() {
        let mut t = group("0.0.0.0/0");
        t["Resources"]["Elb"] = json!({"Type": "AWS::ElasticLoadBalancing::LoadBalancer", "Properties": {"SecurityGroups": [{"Fn::GetAtt": ["Sg", "GroupId"]}],
            "Listeners": [{"LoadBalancerPort": "80", "InstancePort": "80", "Protocol": "HTTP"}], "Subnets": ["subnet-1"]}});
        assert!(crate::checks::findings_of(&OpenIngress, &[("Web", t.clone())]).is_empty());
        t["Resources"]["Host"] = json!({"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1", "SecurityGroupIds": [{"Fn::GetAtt": ["Sg", "GroupId"]}]}});
        assert_eq!(crate::checks::findings_of(&OpenIngress, &[("Web", t)]).len(), 1, "the instances are open to the internet too");
    }
}
