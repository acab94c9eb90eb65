//! Amazon Route 53: private hosted zones, alias A records, the zone a shared interface endpoint
//! needs, and the generated L1.

generated_l1!("route53");
mod zone;
pub use generated::*;
pub use zone::*;
