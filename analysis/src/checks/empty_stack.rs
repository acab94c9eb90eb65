//! `empty-stack`: a stack whose template has no resources. CloudFormation refuses to create
//! one ("at least one Resources member must be defined") and `cdk deploy` skips it; CDK's
//! integration tests write such stacks for their assertions.

use ironcdk_template::{Finding, Severity};


rule! {
    /// `empty-stack`: a stack whose template has no resources.
    EmptyStack = "empty-stack", |_net, app, out| {
        for s in app.stacks.iter().filter(|s| s.resource_count() == 0) {
            out.push(
                Finding::new(ID, Severity::Info, "the template has no resources: CloudFormation refuses to create the stack, and cdk deploy skips it", "nothing to check; add resources if the stack is meant to deploy")
                    .stack(&s.name),
            );
    }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_template_of_parameters_only_is_an_info_not_a_refusal() {
        let assertions = json!({"Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"}}});
        let f = crate::checks::findings_of(&EmptyStack, &[("Assertions", assertions), ("App", json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}))]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].severity, f[0].stack.as_deref(), f[0].logical_id.as_deref()), (Severity::Info, Some("Assertions"), None));
    }
}
