//! AWS constructs, one module per service (named as in CloudFormation and aws-cdk-lib), each
//! holding the generated L1 resources (`CfnVpc`, ...) beside the hand-written L2 constructs
//! (`Vpc`, ...).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects))]

#[macro_use]
mod setters;
mod small;

/// A service's generated L1 module, written by the build script into `OUT_DIR`.
macro_rules! generated_l1 {
    ($service:literal) => {
        #[allow(clippy::all, rustdoc::all)]
        mod generated {
            include!(concat!(env!("OUT_DIR"), "/l1/", $service, ".rs"));
        }
    };
}

/// A JSON object value from `(key, value)` pairs, in the order given.
pub(crate) fn object<'a>(entries: impl IntoIterator<Item = (&'a str, ironcdk_synth::Value)>) -> ironcdk_synth::Value {
    ironcdk_synth::Value::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

// The services without hand-written constructs, each behind its cargo feature.
include!(concat!(env!("OUT_DIR"), "/l1/modules.rs"));

/// Amazon API Gateway.
pub mod apigateway;
pub mod apigatewayv2;
/// Application Auto Scaling.
pub mod applicationautoscaling;
/// AWS Certificate Manager.
pub mod certificatemanager;
/// Amazon CloudFront.
pub mod cloudfront;
/// Amazon CloudWatch.
pub mod cloudwatch;
/// Amazon DynamoDB.
pub mod dynamodb;
/// Amazon EC2 and VPC.
pub mod ec2;
/// Amazon ECR.
pub mod ecr;
/// Amazon ECS.
pub mod ecs;
/// The load-balanced ECS service patterns (CDK's `aws-ecs-patterns`).
pub mod ecs_patterns;
/// Elastic Load Balancing v2 (ALB, NLB).
pub mod elasticloadbalancingv2;
/// Amazon EventBridge.
pub mod events;
/// AWS IAM.
pub mod iam;
/// AWS KMS.
pub mod kms;
pub mod lambda;
/// Amazon CloudWatch Logs.
pub mod logs;
/// Amazon RDS.
pub mod rds;
/// Amazon Route 53.
pub mod route53;
/// Amazon S3.
pub mod s3;
/// AWS Secrets Manager.
pub mod secretsmanager;
/// Amazon SNS.
pub mod sns;
/// Amazon SQS.
pub mod sqs;
/// AWS Systems Manager.
pub mod ssm;
