//! Amazon CloudFront: `Distribution` (S3 origins through origin access control, HTTP origins,
//! behaviours, managed cache and origin request policies, a custom domain with an ACM
//! certificate, error responses), and the generated L1 resources.

generated_l1!("cloudfront");
mod distribution;

pub use distribution::*;
pub use generated::*;
