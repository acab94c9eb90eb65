//! `cfn-limits`: counts and size of a template read from a file.

use ironcdk_template::{Finding, PreparedApp};

use super::{Findings, Rule};
use crate::network::Network;

/// The rule's id, as its findings carry it.
pub const ID: &str = "cfn-limits";

/// `cfn-limits`: counts and size of a template read from a file.
pub struct CfnLimits;

impl Rule for CfnLimits {
    fn id(&self) -> &str {
        ID
    }
    fn check(&self, _net: &Network, app: &PreparedApp, out: &mut Vec<Finding>) {
        let mut out = Findings::new(app, out);
        cfn_limits(app, &mut out);
    }
}

/// CloudFormation's template quotas on templates read from files ([`ironcdk_template::quotas::quotas`]);
/// synth refuses the errors itself and reports the size warning once it has written the text.
fn cfn_limits(app: &PreparedApp, out: &mut Findings<'_>) {
    for s in app.stacks.iter().filter(|s| s.source_bytes.is_some()) {
        for finding in ironcdk_template::quotas::quotas(s, s.source_bytes) {
            out.push(finding);
        }
    }
}
