//! `schema`: resource properties against the CloudFormation registry schemas (see
//! [`crate::schema`]): unknown or missing properties, wrong types, values outside an enum, a
//! pattern, a length or a range. CloudFormation refuses such a resource when it creates it;
//! this finds it in the template. A resource type the registry does not know is an error too
//! (custom resources, modules and types of other publishers excepted), and so is a `Fn::GetAtt`
//! of an attribute its target's type does not have.

use ironcdk_template::templates::{ElementKind, PreparedElement, PreparedStack};
use ironcdk_template::value::ElementRef;
use ironcdk_template::{Finding, Severity, Value};

use crate::functions::Functions;
use crate::schema::{self, Lookups, Yields};

/// At most this many findings per resource; the rest are counted in the last one.
const MAX_PER_RESOURCE: usize = 10;

/// Types validated elsewhere or not at all: custom resources take any properties, and a
/// transform's own types (`AWS::Serverless::*`) are gone once it has run.
fn unchecked(type_name: &str) -> bool {
    type_name.starts_with("Custom::")
        || type_name == "AWS::CloudFormation::CustomResource"
        || type_name.ends_with("::MODULE")
        || type_name.starts_with("AWS::Serverless::")
        || !(type_name.starts_with("AWS::") || type_name.starts_with("Alexa::"))
}

/// A stack's elements indexed by their node.
fn elements_by_node(s: &PreparedStack) -> Vec<Option<&PreparedElement>> {
    let mut out: Vec<Option<&PreparedElement>> = vec![None; s.ids.len()];
    for e in &s.elements {
        if let Some(slot) = out.get_mut(e.node.idx()) {
            *slot = Some(e);
        }
    }
    out
}

/// `Fn::GetAtt` attributes (in resources and outputs) that the target's type does not have.
/// CloudFormation refuses the template with "Template error: resource X does not support
/// attribute type Y in Fn::GetAtt".
fn attribute_problems<'a>(element: &dyn Fn(&ElementRef) -> Option<&'a PreparedElement>, functions: &Functions<'_>, si: usize, s: &PreparedStack, lookups: &mut Lookups, out: &mut super::Findings<'_>) {
    for (ei, e) in s.elements.iter().enumerate() {
        // Only the parts that may hold one.
        let part = match e.kind {
            ElementKind::Resource => "Properties",
            ElementKind::Output => "Value",
            _ => continue,
        };
        for x in functions.in_entry(si, ei, &e.value, part) {
            let (r, attribute): (&ElementRef, &str) = match x {
                Value::GetAtt(r, a) | Value::GetAttList(r, a) => (r, a),
                _ => continue,
            };
            let Some(target) = element(r) else { continue };
            if target.kind != ElementKind::Resource || unchecked(&target.type_name) {
                continue;
            }
            if let Some(problem) = schema::attribute_problem(&target.type_name, attribute, lookups) {
                let mut f = Finding::new(
                    ID,
                    Severity::Error,
                    format!("Fn::GetAtt {}.{attribute}: {problem}; CloudFormation refuses the template", target.logical_id),
                    "name an attribute the type returns (the Return values of its CloudFormation reference page)",
                )
                .stack(&s.name)
                .logical_id(&e.logical_id);
                if !e.path.is_empty() {
                    f = f.path(&e.path);
                }
                out.push(f);
            }
        }
    }
}

rule! {
    /// `schema`: resource properties against the registry schemas.
    ResourceSchema = "schema", |net, app, out| {
        let mut lookups = Lookups::default();
        for (si, s) in app.stacks.iter().enumerate() {
            // A macro of the account's own may rewrite any property before CloudFormation
            // validates it; `template-structure` says the stack is checked only in part.
            if s.transform.as_deref().is_some_and(super::has_macro) {
                continue;
            }
            // The stack's elements by node, for `Ref` and `Fn::GetAtt` (references to other
            // stacks are exports and imports by now, or not known).
            let by_node = elements_by_node(s);
            let element = |r: &ElementRef| if r.stack == s.id { by_node.get(r.node.idx()).copied().flatten() } else { None };
            // What a `Ref` yields: a resource a string, a parameter by its type.
            let refs = |r: &ElementRef| -> Option<Yields> {
                let target = element(r)?;
                match target.kind {
                    ElementKind::Resource => Some(Yields::String),
                    ElementKind::Parameter => match &target.value {
                        Value::Map(p) => match p.get("Type") {
                            Some(Value::Str(t)) => Some(Yields::of_parameter_type(t)),
                            _ => None,
                        },
                        _ => None,
                    },
                    _ => None,
                }
            };
            attribute_problems(&element, &net.functions, si, s, &mut lookups, &mut out);
            for e in s.resources() {
                if e.type_name.is_empty() || unchecked(&e.type_name) {
                    continue;
                }
                let place = |f: Finding| {
                    let f = f.stack(&s.name).logical_id(&e.logical_id);
                    if e.path.is_empty() { f } else { f.path(&e.path) }
                };
                let properties = match &e.value {
                    ironcdk_template::Value::Map(m) => m.get("Properties"),
                    _ => None,
                };
                // Properties that are not an object are `template-structure`'s finding.
                if properties.is_some_and(|p| !matches!(p, ironcdk_template::Value::Map(_))) {
                    continue;
                }
                let Some(violations) = schema::validate(&e.type_name, properties, &mut lookups, &refs) else {
                    if s.transform.is_none() {
                        out.push(place(Finding::new(
                            ID,
                            Severity::Error,
                            format!("{} is not a resource type of the CloudFormation registry (none of the {} types in its us-east-1 schemas); CloudFormation refuses it", e.type_name, schema::known_types()),
                            "check the type's spelling (AWS::Service::Resource, case as documented)",
                        )));
                    }
                    continue;
                };
                let total = violations.len();
                for (i, v) in violations.into_iter().enumerate() {
                    if i == MAX_PER_RESOURCE {
                        out.push(place(Finding::new(ID, Severity::Error, format!("{} and {} more places in this resource break its schema", e.type_name, total.saturating_sub(MAX_PER_RESOURCE)), "fix the findings above and check again")));
                        break;
                    }
                    // A branch of an Fn::If may never be taken: said, not refused.
                    let f = if v.ignored {
                        Finding::new(ID, Severity::Warning, format!("{}: {}", e.type_name, v.message), v.fix)
                    } else if v.conditional {
                        Finding::new(ID, Severity::Warning, format!("{}: {} in a branch of Fn::If; CloudFormation refuses it when that branch is taken", e.type_name, v.message), v.fix)
                    } else {
                        Finding::new(ID, Severity::Error, format!("{}: {}; CloudFormation refuses it", e.type_name, v.message), v.fix)
                    };
                    out.push(place(f));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(resources: serde_json::Value) -> Vec<String> {
        let t = json!({"Parameters": {"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}, "Name": {"Type": "String"}},
            "Conditions": {"Prod": {"Fn::Equals": [{"Ref": "Name"}, "prod"]}},
            "Resources": resources});
        crate::checks::findings_of(&ResourceSchema, &[("S", t)])
            .into_iter()
            .map(|f| format!("{:?} {}: {} | {}", f.severity, f.logical_id.unwrap_or_default(), f.message, f.fix))
            .collect()
    }

    fn one(resource: serde_json::Value) -> String {
        let e = errors(json!({"R": resource}));
        assert_eq!(e.len(), 1, "{e:#?}");
        e.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn a_ref_to_a_name_the_serverless_transform_adds_is_not_known() {
        // `Fn.Alias` (AutoPublishAlias) and `ServerlessRestApi` exist once SAM has run: not a
        // literal function name or API id to hold against the pattern.
        let t = json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"AutoPublishAlias": "live"}},
            "Allow": {"Type": "AWS::Lambda::Permission", "Properties": {"Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com", "FunctionName": {"Ref": "Fn.Alias"}}},
            "Path": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "ServerlessRestApi"}, "ParentId": "abc", "PathPart": "x"}}}});
        let f = crate::checks::findings_of(&ResourceSchema, &[("S", t)]);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn an_unknown_property_is_named_with_the_closest_allowed_one() {
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "CidrBlok": "10.0.0.0/24"}}));
        assert!(e.contains("Error R: AWS::EC2::Subnet: Properties.CidrBlok is not a property the schema allows here"), "{e}");
        assert!(e.contains("did you mean CidrBlock?"), "{e}");
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "vpcid": "x"}}));
        assert!(e.contains("did you mean VpcId?"), "{e}");
    }

    #[test]
    fn a_read_only_property_set_is_ignored_not_refused() {
        // CloudFormation ignores it (serverless-patterns' eventbridge-api-destinations sets a
        // user pool client's ClientId); cfn-lint says nothing.
        let e = one(json!({"Type": "AWS::Cognito::UserPoolClient", "Properties": {"UserPoolId": "eu-west-1_abc", "ClientId": "mine"}}));
        assert!(e.starts_with("Warning R: AWS::Cognito::UserPoolClient: Properties.ClientId is a read-only property"), "{e}");
        // A name that is neither a property nor read-only is still an error.
        let e = one(json!({"Type": "AWS::Cognito::UserPoolClient", "Properties": {"UserPoolId": "eu-west-1_abc", "ClientIdd": "mine"}}));
        assert!(e.starts_with("Error R:") && e.contains("Properties.ClientIdd is not a property the schema allows here"), "{e}");
    }

    #[test]
    fn missing_required_properties_are_listed() {
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"CidrBlock": "10.0.0.0/24"}}));
        assert!(e.contains("Properties lacks the required property VpcId"), "{e}");
        // No Properties at all is an empty object.
        let e = one(json!({"Type": "AWS::EC2::RouteTable"}));
        assert!(e.contains("lacks the required property VpcId"), "{e}");
        // AWS::NoValue removes the property.
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"CidrBlock": "10.0.0.0/24", "VpcId": {"Ref": "AWS::NoValue"}}}));
        assert!(e.contains("lacks the required property VpcId"), "{e}");
    }

    #[test]
    fn enums_ranges_lengths_and_types() {
        let e = one(json!({"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 2}}));
        assert!(e.contains("Properties.RetentionInDays is 2, which is not one of the values the schema allows: 1, 3, 5, 7, 14"), "{e}");
        let e = one(json!({"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 901}}));
        assert!(e.contains("Properties.DelaySeconds is 901; the schema wants at most 900"), "{e}");
        let e = one(json!({"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": "soon"}}));
        assert!(e.contains("Properties.DelaySeconds is a string; the schema wants an integer"), "{e}");
        let e = errors(json!({"R": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "x".repeat(513)}}}));
        assert!(e.first().is_some_and(|e| e.contains("is 513 characters long; the schema allows at most 512")), "{e:#?}");
        let e = one(json!({"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "has space"}}));
        assert!(e.contains("Properties.LogGroupName is 'has space', which does not match the pattern"), "{e}");
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "Tags": {"Key": "a", "Value": "b"}}}));
        assert!(e.contains("Properties.Tags is an object; the schema wants a list"), "{e}");
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "Tags": [{"Key": "a"}]}}));
        assert!(e.contains("Properties.Tags[0] lacks the required property Value"), "{e}");
    }

    #[test]
    fn cloudformation_scalar_conversions_are_accepted() {
        let e = errors(json!({
            "Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": "5", "FifoQueue": "true", "QueueName": 5}},
            "L": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": "7"}},
        }));
        assert!(e.is_empty(), "{e:#?}");
    }

    #[test]
    fn intrinsics_are_checked_for_what_they_yield_and_if_on_both_branches() {
        let e = errors(json!({
            "Known": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": "Name"}, "CidrBlock": {"Fn::Sub": "${Name}"},
                "Tags": {"Fn::If": ["Prod", [{"Key": "a", "Value": "b"}], {"Ref": "AWS::NoValue"}]},
                "MapPublicIpOnLaunch": {"Fn::If": ["Prod", true, false]}}},
            "Lists": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": {"Ref": "Subnets"}}},
        }));
        assert!(e.is_empty(), "{e:#?}");
        // What breaks the schema in one branch is a warning: the branch may never be taken.
        let e = one(json!({"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Fn::If": ["Prod", 30, 2]}}}));
        assert!(e.starts_with("Warning R: AWS::Logs::LogGroup: Properties.RetentionInDays is 2") && e.contains("in a branch of Fn::If"), "{e}");
        // A local path for `aws cloudformation package` stands where the code object will be.
        let e = errors(json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"Code": "./build", "Role": "arn:aws:iam::123456789012:role/r", "Runtime": "provided.al2023", "Handler": "bootstrap"}}}));
        assert!(e.is_empty(), "{e:#?}");
        // An empty list is not set, for exclusions.
        let e = errors(json!({"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Dimensions": [], "Metrics": [{"Id": "m", "Expression": "1"}]}}}));
        assert!(e.is_empty(), "{e:#?}");
        let e = one(json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": {"Fn::Join": [",", ["a", "b"]]}}}));
        assert!(e.contains("Properties.Subnets is an intrinsic function that yields a string; the schema wants a list"), "{e}");
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"CidrBlock": "10.0.0.0/24", "VpcId": {"Fn::Split": [",", "a,b"]}}}));
        assert!(e.contains("Properties.VpcId is an intrinsic function that yields a list; the schema wants a string"), "{e}");
    }

    #[test]
    fn alternatives_and_exclusions() {
        // An ingress rule names exactly one source (cfn-lint's requiredXor).
        let base = json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "GroupId": "sg-1"});
        let with = |extra: serde_json::Value| {
            let mut p = base.clone();
            p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            json!({"Type": "AWS::EC2::SecurityGroupIngress", "Properties": p})
        };
        let e = one(with(json!({})));
        assert!(e.contains("Properties sets 0 of CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName; exactly one must be set"), "{e}");
        let e = one(with(json!({"CidrIp": "10.0.0.0/8", "SourceSecurityGroupId": "sg-2"})));
        assert!(e.contains("Properties sets 2 of CidrIp"), "{e}");
        assert!(errors(json!({"R": with(json!({"CidrIp": "10.0.0.0/8"}))})).is_empty());
        // A subnet gets its addresses one way at least (requiredOr).
        let e = one(json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-1"}}));
        assert!(e.contains("Properties sets none of CidrBlock, Ipv4IpamPoolId, Ipv6IpamPoolId, Ipv6CidrBlock"), "{e}");
    }

    #[test]
    fn unknown_types_are_errors_but_custom_and_foreign_types_are_not() {
        let e = one(json!({"Type": "AWS::EC2::Vpcc"}));
        assert!(e.contains("AWS::EC2::Vpcc is not a resource type of the CloudFormation registry"), "{e}");
        let e = errors(json!({
            "C": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn", "Anything": 1}},
            "M": {"Type": "My::Org::Thing::MODULE"},
            "P": {"Type": "Acme::Widgets::Widget", "Properties": {"X": 1}},
        }));
        assert!(e.is_empty(), "{e:#?}");
    }

    #[test]
    fn stacks_with_macros_and_preprocessor_directives_are_not_guessed_at() {
        let macro_stack = json!({"Transform": ["AWS::Serverless-2016-10-31", "PyPlate"], "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": "#!PyPlate output = []"}}}});
        assert!(crate::checks::findings_of(&ResourceSchema, &[("S", macro_stack)]).is_empty());
        let sam = json!({"Transform": ["AWS::Serverless-2016-10-31"], "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": "x"}}}});
        assert_eq!(crate::checks::findings_of(&ResourceSchema, &[("S", sam)]).len(), 1);
        let e = errors(json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": {"Rain::Embed": "handler.py"}}, "Role": "arn:aws:iam::123456789012:role/r", "Runtime": "python3.13", "Handler": "index.handler"}}}));
        assert!(e.is_empty(), "{e:#?}");
        // A dynamic reference is resolved before CloudFormation validates the value.
        let e = errors(json!({"M": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": "f", "EventSourceArn": "{{resolve:ssm:/queue/arn}}"}}}));
        assert!(e.is_empty(), "{e:#?}");
        let e = errors(json!({"M": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": "f", "EventSourceArn": "{{ resolve:ssm:/queue/arn }}"}}}));
        assert!(e.is_empty(), "{e:#?}");
    }

    #[test]
    fn findings_per_resource_are_capped() {
        let props: serde_json::Map<String, serde_json::Value> = (0..50).map(|i| (format!("Bogus{i}"), json!(1))).collect();
        let e = errors(json!({"R": {"Type": "AWS::SNS::Topic", "Properties": props}}));
        assert_eq!(e.len(), MAX_PER_RESOURCE + 1, "{e:#?}");
        assert!(e.last().is_some_and(|l| l.contains("and 40 more places")), "{e:#?}");
    }

    #[test]
    fn every_registry_type_is_known() {
        assert!(schema::known_types() > 1800, "{}", schema::known_types());
        for t in ["AWS::Lambda::Function", "AWS::RDS::DBInstance", "AWS::CloudFront::Distribution", "AWS::SQS::QueuePolicy", "Alexa::ASK::Skill"] {
            assert!(schema::knows(t), "{t}");
        }
    }

    #[test]
    fn a_get_att_of_an_attribute_the_type_does_not_have_is_an_error_at_the_resource_that_asks() {
        let e = errors(json!({
            "B": {"Type": "AWS::S3::Bucket"},
            "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["B", "Arnn"]}}}}));
        assert_eq!(e.len(), 1, "{e:#?}");
        let first = e.first().map(String::as_str).unwrap_or_default();
        assert!(first.starts_with("Error T: Fn::GetAtt B.Arnn: AWS::S3::Bucket has no attribute Arnn; did you mean Arn?; CloudFormation refuses the template"), "{first}");
        assert!(first.contains("did you mean Arn?"), "{first}");
        // Outputs are checked too.
        let t = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}, "Outputs": {"O": {"Value": {"Fn::GetAtt": ["Q", "Url"]}}}});
        let f = crate::checks::findings_of(&ResourceSchema, &[("S", t)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f.first().and_then(|f| f.logical_id.clone()).as_deref(), Some("O"));
    }

    #[test]
    fn get_att_attributes_cloudformation_returns_are_taken() {
        let e = errors(json!({
            "V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "D": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.t3.micro", "Engine": "postgres", "AllocatedStorage": "20", "MasterUsername": "u", "ManageMasterUserPassword": true}},
            "N": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/t.json"}},
            "C": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f"}},
            "Q": {"Type": "AWS::SQS::Queue"},
            "T": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": [
                {"Key": "a", "Value": {"Fn::GetAtt": ["V", "CidrBlock"]}},
                {"Key": "b", "Value": {"Fn::GetAtt": ["V", "DefaultSecurityGroup"]}},
                {"Key": "c", "Value": {"Fn::GetAtt": ["D", "Endpoint.Address"]}},
                {"Key": "d", "Value": {"Fn::GetAtt": ["N", "Outputs.Anything"]}},
                {"Key": "e", "Value": {"Fn::GetAtt": ["C", "Whatever.It.Returns"]}},
                {"Key": "f", "Value": {"Fn::GetAtt": ["Q", "QueueUrl"]}},
                {"Key": "g", "Value": {"Fn::GetAtt": ["Q", "Arn"]}}]}}}));
        assert!(e.is_empty(), "{e:#?}");
    }

    #[test]
    fn a_ref_is_checked_for_what_it_yields() {
        // A list parameter where one subnet id is wanted, and a string where a list is.
        let e = one(json!({"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Subnets"}}}));
        assert!(e.contains("Properties.VpcId is a Ref that yields a list; the schema wants a string"), "{e}");
        let e = one(json!({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": {"Ref": "Name"}}}));
        assert!(e.contains("Properties.Subnets is a Ref that yields a string; the schema wants a list"), "{e}");
        // What they can yield is taken: a list where a list is wanted, a resource's id for a string.
        let e = errors(json!({
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": {"Ref": "Subnets"}}},
            "V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Rt": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "V"}}}}));
        assert!(e.is_empty(), "{e:#?}");
    }
}
