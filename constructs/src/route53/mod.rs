//! Amazon Route 53: public and private hosted zones, imports, alias A records (to an interface
//! endpoint, a load balancer, a CloudFront distribution), the zone a shared interface endpoint
//! needs, and the generated L1.

generated_l1!("route53");
mod zone;
pub use generated::*;
pub use zone::*;
