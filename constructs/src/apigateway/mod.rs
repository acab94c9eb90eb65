//! Amazon API Gateway (REST APIs): `RestApi`, resources and methods, `Integration`,
//! `VpcLink`, and the generated L1 resources.

mod generated;
mod rest_api;

pub use generated::*;
pub use rest_api::*;
