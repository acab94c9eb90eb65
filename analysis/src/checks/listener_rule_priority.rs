//! `listener-rule-priority`: two rules of one listener with the same priority, in any of the stacks.

use ironcdk_template::Severity;

use super::Findings;
use crate::network::{Network, Resolved};

rule! {
    /// `listener-rule-priority`: two rules of one listener with the same priority, in any of the stacks.
    ListenerRulePriority = "listener-rule-priority", |net, _app, out| {
        listener_rule_priority(net, &mut out);
    }
}

/// Elastic Load Balancing refuses a second rule with a priority its listener already has; with
/// the rules in several stacks (services joining a shared ALB), the second deploy fails.
fn listener_rule_priority(net: &Network, out: &mut Findings<'_>) {
    for (i, (key, listener, priority)) in net.listener_rules.iter().enumerate() {
        let Some(p) = priority else { continue };
        // The same listener: the same resource, or the same literal ARN (a parameter's value
        // given). Unknown listeners are not compared.
        let same = |other: &Resolved| match (listener, other) {
            (Resolved::Unknown(_), _) | (_, Resolved::Unknown(_)) => false,
            (a, b) => a == b,
        };
        let earlier = net.listener_rules.iter().take(i).find(|(_, l, q)| q.as_ref() == Some(p) && same(l));
        if let Some((first, _, _)) = earlier {
            out.at(
                key,
                ID,
                Severity::Error,
                format!("listener rule {} has priority {p}, which rule {} of the same listener already has; Elastic Load Balancing refuses the second", out.name(key), out.name(first)),
                "give each rule of a listener its own priority",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(listener: &str, priority: i64) -> serde_json::Value {
        json!({"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {"ListenerArn": listener, "Priority": priority,
            "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
            "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/a"]}}]}})
    }

    #[test]
    fn the_same_priority_on_one_listener_across_stacks_is_an_error() {
        let arn = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/shared/1/2";
        let a = json!({"Resources": {"RuleA": rule(arn, 10)}});
        let b = json!({"Resources": {"RuleB": rule(arn, 10), "RuleC": rule(arn, 11)}});
        let f = crate::checks::findings_of(&ListenerRulePriority, &[("A", a), ("B", b)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].severity, f[0].stack.as_deref(), f[0].logical_id.as_deref()), (Severity::Error, Some("B"), Some("RuleB")));
        assert!(f[0].message.contains("priority 10") && f[0].message.contains("A/RuleA"), "{}", f[0].message);
    }

    #[test]
    fn rules_of_other_listeners_are_not_compared() {
        let t = json!({"Resources": {
            "R1": rule("arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/1/2", 10),
            "R2": rule("arn:aws:elasticloadbalancing:us-east-1:1:listener/app/b/1/2", 10)}});
        assert!(crate::checks::findings_of(&ListenerRulePriority, &[("S", t)]).is_empty());
    }
}
