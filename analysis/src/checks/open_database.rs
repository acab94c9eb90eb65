//! `database-open`: a database whose security group admits traffic from anywhere (0.0.0.0/0 or
//! ::/0). Publicly accessible, the internet can reach its port: an error. Otherwise anything in
//! the VPC and its peers can: a warning. What only the program's own groups reach is fine.

use ironcdk_template::write::{literal, Refs};
use ironcdk_template::{Severity, Value};

use crate::network::{Key, Source};

rule! {
    /// `database-open`: an RDS instance or cluster whose security group admits anywhere.
    OpenDatabase = "database-open", |net, app, out| {
        for (si, s) in app.stacks.iter().enumerate() {
            let refs = Refs::of(s);
            for e in s.resources() {
                if !matches!(e.type_name.as_str(), "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster") {
                    continue;
                }
                let Value::Map(m) = &e.value else { continue };
                let Some(Value::Map(props)) = m.get("Properties") else { continue };
                let field = if e.type_name == "AWS::RDS::DBInstance" { "VPCSecurityGroups" } else { "VpcSecurityGroupIds" };
                let Some(Value::List(groups)) = props.get(field) else { continue };
                let public = matches!(props.get("PubliclyAccessible"), Some(Value::Bool(true))) || props.get("PubliclyAccessible").and_then(literal).as_deref() == Some("true");
                let key = Key { stack: si, logical_id: e.logical_id.clone() };
                for g in groups {
                    let target = match g {
                        Value::Ref(r) | Value::GetAtt(r, _) => refs.logical_id(r),
                        _ => None,
                    };
                    let Some(group) = target.and_then(|id| net.security_group(&Key { stack: si, logical_id: id.into() })) else { continue };
                    let open = group.ingress.iter().any(|r| matches!(&r.source, Source::Ipv4(b) if b.prefix == 0) || matches!(&r.source, Source::Ipv6(b) if b == "::/0"));
                    if !open {
                        continue;
                    }
                    let (severity, reach) = if public { (Severity::Error, "the internet") } else { (Severity::Warning, "anything in its VPC and the networks routed to it") };
                    out.at(
                        &key,
                        ID,
                        severity,
                        format!("database {} has security group {}, which admits traffic from anywhere (0.0.0.0/0 or ::/0): {reach} can reach it", out.name(&key), out.name(&group.key)),
                        "admit only the security groups of what connects to it (DatabaseInstance::allow_default_port_from), and keep it out of public subnets",
                    );
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn db(public: bool, cidr: &str) -> serde_json::Value {
        json!({"Resources": {
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "db", "VpcId": "vpc-12345678",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": cidr}]}},
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "DBInstanceClass": "db.t4g.micro", "AllocatedStorage": "20",
                "PubliclyAccessible": public, "VPCSecurityGroups": [{"Fn::GetAtt": ["Sg", "GroupId"]}]}}}})
    }

    #[test]
    fn a_database_open_to_anywhere_is_an_error_when_public_and_a_warning_otherwise() {
        let f = crate::checks::findings_of(&OpenDatabase, &[("S", db(true, "0.0.0.0/0"))]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].severity, f[0].logical_id.as_deref()), (Severity::Error, Some("Db")));
        assert!(f[0].message.contains("the internet can reach it"), "{}", f[0].message);
        let f = crate::checks::findings_of(&OpenDatabase, &[("S", db(false, "0.0.0.0/0"))]);
        assert_eq!(f.iter().map(|f| f.severity).collect::<Vec<_>>(), [Severity::Warning]);
        assert!(crate::checks::findings_of(&OpenDatabase, &[("S", db(true, "10.0.0.0/16"))]).is_empty());
    }
}
