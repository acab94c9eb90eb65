//! `cfn-limits`: counts and size of a template read from a file.

use ironcdk_template::PreparedApp;

use super::Findings;

rule! {
    /// `cfn-limits`: counts and size of a template read from a file.
    CfnLimits = "cfn-limits", |_net, app, out| {
        cfn_limits(app, &mut out);
    }
}

/// CloudFormation's template quotas on templates read from files ([`ironcdk_template::quotas::quotas`]);
/// synth refuses the errors itself and reports the size warning once it has written the text.
fn cfn_limits(app: &PreparedApp, out: &mut Findings<'_>) {
    for s in app.stacks.iter().filter(|s| s.source_bytes.is_some()) {
        for finding in ironcdk_template::quotas::quotas(s, s.source_bytes) {
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Rule;
    use crate::network::Network;

    #[test]
    fn only_templates_read_from_files_are_measured() {
        let many: serde_json::Map<String, serde_json::Value> =
            (0..501).map(|i| (format!("T{i}"), serde_json::json!({"Type": "AWS::SNS::Topic"}))).collect();
        let t = serde_json::json!({"Resources": many});
        // Without a file size (synth's own stacks), synth has refused already; nothing here.
        assert!(crate::checks::findings_of(&CfnLimits, &[("Big", t.clone())]).is_empty());
        let mut s = ironcdk_template::load::load_template("Big", ironcdk_template::Environment::default(), &t).unwrap();
        s.source_bytes = Some(60_000);
        let app = PreparedApp::new(vec![s], Vec::new());
        let net = Network::derive(&app, &crate::network::Resolver::new(&app, &[]));
        let mut out = Vec::new();
        CfnLimits.check(&net, &app, &mut out);
        let messages: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["the template is 60000 bytes, over the 51200 bytes CloudFormation takes inline", "the template has 501 resources; CloudFormation allows at most 500"]);
    }
}
