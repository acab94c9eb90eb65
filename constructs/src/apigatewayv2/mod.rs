//! Amazon API Gateway v2: the HTTP API (`HttpApi`, routes, `HttpLambdaIntegration`, custom
//! `DomainName`s), as
//! aws-cdk-lib's stable `aws-apigatewayv2` writes it, and the generated L1 resources.

generated_l1!("apigatewayv2");
mod domain_name;
mod http_api;

pub use domain_name::*;
pub use generated::*;
pub use http_api::*;
