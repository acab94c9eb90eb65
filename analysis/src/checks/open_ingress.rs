//! `open-ingress`: ingress from anywhere to something that is not an internet-facing load balancer.

use ironcdk_template::Severity;

use super::Findings;
use crate::network::{Network, Resolved, Source};
use ironcdk_template::hash::HashMap;

rule! {
    /// `open-ingress`: ingress from anywhere to something that is not an internet-facing load balancer.
    OpenIngress = "open-ingress", |net, _app, out| {
        open_ingress(net, &mut out);
    }
}

/// Who uses a security group: load balancers (and whether all of them face the internet), and
/// whether anything else (tasks, endpoints, instances) does.
#[derive(Clone, Copy)]
struct Users {
    load_balancers: bool,
    all_public: bool,
    elsewhere: bool,
}

/// The users of every security group some resource names, by group, in one pass over the
/// model (each open group looked them up in every load balancer, task and endpoint before).
fn users_of_groups<'n>(net: &'n Network) -> HashMap<(usize, &'n str), Users> {
    let mut users: HashMap<(usize, &str), Users> = HashMap::default();
    let mut note = |g: &'n Resolved, public: Option<bool>| {
        let Some(k) = g.key() else { return };
        let u = users.entry(super::by_key(k)).or_insert(Users { load_balancers: false, all_public: true, elsewhere: false });
        match public {
            Some(public) => {
                u.load_balancers = true;
                u.all_public &= public;
            }
            None => u.elsewhere = true,
        }
    };
    for lb in &net.load_balancers {
        lb.security_groups.iter().flatten().for_each(|g| note(g, Some(lb.internet_facing)));
    }
    for (_, public, groups) in &net.classic_load_balancers {
        groups.iter().for_each(|g| note(g, Some(*public)));
    }
    for w in &net.workloads {
        w.security_groups.iter().for_each(|g| note(g, None));
    }
    for e in &net.endpoints {
        e.security_groups.iter().for_each(|g| note(g, None));
    }
    net.instance_groups.iter().for_each(|g| note(g, None));
    users
}

fn open_ingress(net: &Network, out: &mut Findings<'_>) {
    let users = std::cell::OnceCell::new();
    for sg in &net.security_groups {
        let open = sg.ingress.iter().any(|r| matches!(&r.source, Source::Ipv4(b) if b.prefix == 0) || matches!(&r.source, Source::Ipv6(b) if b == "::/0"));
        if !open {
            continue;
        }
        let used = users.get_or_init(|| users_of_groups(net)).get(&super::by_key(&sg.key)).copied();
        let only_public_lbs = used.is_some_and(|u| u.load_balancers && u.all_public);
        let used_elsewhere = used.is_some_and(|u| u.elsewhere);
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

    /// Each open group is judged by all its users: only internet-facing load balancers may
    /// hold it, whichever of them (and of the other groups) come first.
    #[test]
    fn an_open_group_is_judged_by_all_its_users() {
        let open = |n: &str| (n.to_string(), json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x",
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}}));
        let lb = |n: &str, scheme: &str, groups: &[&str]| (n.to_string(), json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": scheme,
            "Subnets": ["subnet-1"], "SecurityGroups": groups.iter().map(|g| json!({"Ref": g})).collect::<Vec<_>>()}}));
        let resources: serde_json::Map<String, serde_json::Value> = [
            open("Public"), open("Mixed"), open("WithEndpoint"), open("Unused"),
            lb("A", "internet-facing", &["Public", "Mixed"]), lb("B", "internal", &["Mixed"]), lb("C", "internet-facing", &["WithEndpoint", "Public"]),
            ("E".to_string(), json!({"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": "vpc-1", "ServiceName": "com.amazonaws.us-east-1.logs", "VpcEndpointType": "Interface",
                "SecurityGroupIds": [{"Ref": "WithEndpoint"}]}})),
        ]
        .into_iter()
        .collect();
        let mut flagged: Vec<String> = crate::checks::findings_of(&OpenIngress, &[("Web", json!({"Resources": resources}))]).into_iter().filter_map(|f| f.logical_id).collect();
        flagged.sort();
        assert_eq!(flagged, ["Mixed", "Unused", "WithEndpoint"]);
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
