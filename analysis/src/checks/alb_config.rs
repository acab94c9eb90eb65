//! `alb-config`: what Elastic Load Balancing refuses when it creates an application load
//! balancer or a secure listener, found in the template: an application load balancer with
//! fewer than two subnets ("At least two subnets in two different Availability Zones must be
//! specified"), and an HTTPS or TLS listener without a certificate ("A certificate must be
//! specified for HTTPS listeners").

use ironcdk_template::write::literal;
use ironcdk_template::{Severity, Value};

use crate::network::Key;

rule! {
    /// `alb-config`: an application load balancer in fewer than two subnets, a secure listener
    /// without a certificate.
    AlbConfig = "alb-config", |_net, app, out| {
        for (si, s) in app.stacks.iter().enumerate() {
            for e in s.resources() {
                let Value::Map(m) = &e.value else { continue };
                if m.get("Condition").is_some() {
                    continue;
                }
                let props = match m.get("Properties") {
                    Some(Value::Map(p)) => Some(p),
                    _ => None,
                };
                // Made only for a finding (most resources have none).
                let key = || Key { stack: si, logical_id: e.logical_id.clone() };
                match e.type_name.as_str() {
                    "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
                        let Some(p) = props else { continue };
                        // `application` is the type when none is given.
                        if p.get("Type").and_then(literal).is_some_and(|t| t != "application") {
                            continue;
                        }
                        // Only lists the template spells out are counted.
                        let count = match (p.get("Subnets"), p.get("SubnetMappings")) {
                            (Some(Value::List(l)), None) | (None, Some(Value::List(l))) => l.len(),
                            _ => continue,
                        };
                        if count < 2 {
                            out.at(
                                &key(),
                                ID,
                                Severity::Error,
                                format!("{} is an application load balancer in {count} subnet{}; Elastic Load Balancing needs subnets in at least two Availability Zones and refuses it", out.name(&key()), if count == 1 { "" } else { "s" }),
                                "give it a subnet in a second Availability Zone (a VPC with two AZs or more)",
                            );
                        }
                    }
                    "AWS::ElasticLoadBalancingV2::Listener" => {
                        let Some(p) = props else { continue };
                        let Some(protocol) = p.get("Protocol").and_then(literal) else { continue };
                        if !matches!(&*protocol, "HTTPS" | "TLS") {
                            continue;
                        }
                        let has = matches!(p.get("Certificates"), Some(Value::List(l)) if !l.is_empty()) || matches!(p.get("Certificates"), Some(v) if v.is_intrinsic());
                        if !has {
                            out.at(
                                &key(),
                                ID,
                                Severity::Error,
                                format!("{} listens with {protocol} and has no certificate; Elastic Load Balancing refuses a secure listener without one", out.name(&key())),
                                "give the listener a certificate (an ACM certificate's ARN in Certificates), or listen with HTTP/TCP",
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_alb_in_one_subnet_and_an_https_listener_without_a_certificate_are_errors() {
        let t = json!({"Parameters": {"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}}, "Resources": {
            "One": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": ["subnet-1"]}},
            "Two": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "application", "Subnets": ["subnet-1", "subnet-2"]}},
            "Nlb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "Subnets": ["subnet-1"]}},
            "Param": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": {"Ref": "Subnets"}}},
            "Bare": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Two"}, "Port": 443, "Protocol": "HTTPS", "DefaultActions": []}},
            "Good": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Two"}, "Port": 443, "Protocol": "HTTPS", "Certificates": [{"CertificateArn": "arn:aws:acm:us-east-1:1:certificate/x"}], "DefaultActions": []}},
            "Http": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Two"}, "Port": 80, "Protocol": "HTTP", "DefaultActions": []}}}});
        let f = crate::checks::findings_of(&AlbConfig, &[("S", t)]);
        let got: Vec<(Severity, Option<&str>)> = f.iter().map(|f| (f.severity, f.logical_id.as_deref())).collect();
        assert_eq!(got, vec![(Severity::Error, Some("One")), (Severity::Error, Some("Bare"))], "{f:#?}");
        assert!(f[0].message.contains("in 1 subnet;"), "{}", f[0].message);
        assert!(f[1].message.contains("listens with HTTPS"), "{}", f[1].message);
    }
}
