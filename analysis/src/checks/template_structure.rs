//! `template-structure`: what a template read from a file holds that CloudFormation refuses
//! before creating anything (found by the reader, [`ironcdk_template::templates::Problem`]): a
//! resource without a string `Type`, `Properties` that are not an object, a reference naming
//! nothing, an unclosed `${`. A template with a `Transform` is said to be checked only in part.

use ironcdk_template::{Finding, Severity};


rule! {
    /// `template-structure`: what a template read from a file holds that CloudFormation refuses.
    TemplateStructure = "template-structure", |_net, app, out| {
        for (si, s) in app.stacks.iter().enumerate() {
            for p in &s.problems {
                let mut f = Finding::new(ID, Severity::Error, format!("{}; CloudFormation refuses the template", p.message), "fix the template: name a resource, parameter, condition or mapping it declares").stack(&s.name);
                if let Some(id) = &p.logical_id {
                    f = f.logical_id(id);
                    if let Some(e) = out.element(si, id).filter(|e| !e.path.is_empty()) {
                        f = f.path(&e.path);
                    }
                }
                out.push(f);
            }
            if let Some(t) = &s.transform {
                out.push(
                    Finding::new(ID, Severity::Info, format!("cannot verify: the template uses the transform {t}, which is not expanded here; what it adds or changes is not checked or priced"), "check the processed template (aws cloudformation get-template --template-stage Processed)")
                        .stack(&s.name),
                );
            }
    }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(t: serde_json::Value) -> Vec<String> {
        crate::checks::findings_of(&TemplateStructure, &[("S", t)]).into_iter().map(|f| format!("{} {}", f.logical_id.unwrap_or_default(), f.message)).collect()
    }

    #[test]
    fn what_cloudformation_refuses_is_an_error_at_the_element() {
        let m = messages(json!({
            "Parameters": {"Env": {"Type": "String"}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Resources": {
                "NoType": {"Properties": {}},
                "NumberType": {"Type": 5},
                "ListProps": {"Type": "AWS::SNS::Topic", "Properties": []},
                "Names": {"Type": "AWS::SNS::Topic", "DependsOn": ["Ghost"], "Condition": "IsDev", "Properties": {
                    "DisplayName": {"Fn::Sub": "${Env}-${Missing}-${!Literal}-${AWS::Region}-${Names.TopicName}"},
                    "A": {"Ref": "Nope"}, "B": {"Fn::GetAtt": ["Gone", "Arn"]}, "C": {"Fn::If": ["IsProd", 1, {"Ref": "AWS::NoValue"}]},
                    "D": {"Fn::If": ["Other", 1, 2]}, "E": {"Fn::FindInMap": ["NoMap", "a", "b"]}, "F": {"Fn::Sub": "open ${"}, "G": {"Ref": "AWS::Regoin"}}}},
            "Outputs": {"O": {"Value": {"Fn::GetAtt": "Names.TopicName"}}}}));
        let expect = [
            "NoType the resource has no Type",
            "NumberType the resource's Type is not a string",
            "ListProps the resource's Properties are not an object",
            "Names DependsOn names 'Ghost'",
            "Names its Condition 'IsDev'",
            "Names Fn::Sub names '${Missing}'",
            "Names Ref names 'Nope'",
            "Names Fn::GetAtt names 'Gone'",
            "Names Fn::If names 'Other'",
            "Names Fn::FindInMap names 'NoMap'",
            "Names Fn::Sub text 'open ${' opens",
            "Names Ref names 'AWS::Regoin'",
        ];
        for e in expect {
            assert!(m.iter().any(|x| x.starts_with(e)), "missing '{e}' in {m:#?}");
        }
        assert_eq!(m.len(), expect.len(), "{m:#?}");
    }

    #[test]
    fn what_cloudformation_accepts_is_not_reported() {
        let m = messages(json!({
            "Parameters": {"Package": {"Type": "String"}},
            "Mappings": {"M": {"a": {"b": "c"}}},
            "Resources": {
                "T": {"Type": "AWS::SNS::Topic", "Metadata": {"Note": {"Fn::Sub": "${ Package } in ${ AWS::Region }"}}, "Properties": {
                    "DisplayName": {"Fn::Sub": ["${X}-${T.TopicName}", {"X": {"Fn::FindInMap": ["M", "a", "b"]}}]},
                    "Other": {"Fn::GetAtt": "T.TopicName"}}}},
            "Outputs": {"O": {"Value": {"Ref": "AWS::URLSuffix"}}}}));
        assert!(m.is_empty(), "{m:#?}");
        // A module adds resources named after it.
        let m = messages(json!({"Resources": {"Module": {"Type": "My::S3::Bucket::MODULE"}}, "Outputs": {"O": {"Value": {"Ref": "ModuleBucket"}}}}));
        assert!(m.is_empty(), "{m:#?}");
    }

    #[test]
    fn a_transform_is_said_to_be_checked_in_part() {
        let m = messages(json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Role": {"Ref": "FnRole"}}}}}));
        assert_eq!(m.len(), 1, "{m:#?}");
        assert!(m[0].contains("transform AWS::Serverless-2016-10-31"), "{m:#?}");
        // A loop of AWS::LanguageExtensions is not a resource: expanded, the template is
        // checked whole (no info); a loop over what the template does not fix is left, with
        // the transform's info.
        let m = messages(json!({"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::Topics": ["N", ["A", "B"], {"${N}": {"Type": "AWS::SNS::Topic"}}]}}));
        assert!(m.is_empty(), "{m:#?}");
        let m = messages(json!({"Transform": "AWS::LanguageExtensions", "Parameters": {"L": {"Type": "CommaDelimitedList"}},
            "Resources": {"Fn::ForEach::Topics": ["N", {"Ref": "L"}, {"${N}": {"Type": "AWS::SNS::Topic"}}]}}));
        assert_eq!(m.len(), 1, "only the transform's info: {m:#?}");
        assert!(m[0].contains("transform AWS::LanguageExtensions"), "{m:#?}");
    }
}
