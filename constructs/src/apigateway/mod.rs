//! Amazon API Gateway (REST APIs): `RestApi`, resources and methods, `Integration`,
//! `VpcLink`, custom `DomainName`s, and the generated L1 resources.

generated_l1!("apigateway");
mod domain_name;
mod rest_api;

pub use domain_name::*;
pub use generated::*;
pub use rest_api::*;
