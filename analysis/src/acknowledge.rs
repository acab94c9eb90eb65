//! Acknowledgements applied to findings, from the templates' `Metadata`
//! ([`ironcdk_template::acknowledgement`]). Synth and `ironcdk check` both mark findings here,
//! so a written assembly checks exactly as it synthesized.

use ironcdk_template::acknowledgement::stored;
use ironcdk_template::{ElementKind, Finding, PreparedApp, PreparedElement};

use crate::elements::Elements;

/// The reason `e` acknowledges `rule` with, if it does.
fn reason_on<'a>(e: &'a PreparedElement, rule: &str) -> Option<&'a str> {
    stored(e).find(|(r, _)| *r == rule).map(|(_, reason)| reason)
}

/// The reason covering `f`, read from the templates. A finding on one element (it names a
/// logical ID) is acknowledged when that element's metadata acknowledges its rule; a finding on
/// a construct path, or on the whole stack, when every resource below it does (an
/// acknowledgement at the construct or above it reaches every one of them). Findings outside a
/// stack, or on nothing the templates hold, are never acknowledged.
pub fn covering(app: &PreparedApp, f: &Finding) -> Option<String> {
    covering_in(app, &Elements::new(app), f)
}

/// [`covering`], finding stacks and elements through `elements`.
fn covering_in(app: &PreparedApp, elements: &Elements<'_>, f: &Finding) -> Option<String> {
    let si = elements.stack(f.stack.as_deref()?)?;
    let stack = app.stacks.get(si)?;
    if let Some(id) = &f.logical_id {
        if let Some(e) = elements.element(si, id) {
            return reason_on(e, &f.rule).map(str::to_string);
        }
    }
    let under = |e: &&PreparedElement| match f.path.as_deref() {
        Some(p) => e.path == p || e.path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')),
        None => f.logical_id.is_none(),
    };
    let mut reason = None;
    for e in stack.elements.iter().filter(|e| e.kind == ElementKind::Resource).filter(under) {
        let r = reason_on(e, &f.rule)?;
        reason.get_or_insert(r);
    }
    reason.map(str::to_string)
}

/// Marks every finding an acknowledgement in the templates covers.
pub fn apply(app: &PreparedApp, findings: &mut [Finding]) {
    let elements = Elements::new(app);
    for f in findings.iter_mut().filter(|f| f.acknowledged.is_none()) {
        f.acknowledged = covering_in(app, &elements, f);
    }
}
