//! Amazon API Gateway (REST APIs): `RestApi`, resources and methods, `Integration`,
//! `VpcLink`, and the generated L1 resources.

generated_l1!("apigateway");
mod rest_api;

pub use generated::*;
pub use rest_api::*;
