//! Acknowledgements as templates carry them: the `ironcdk:acknowledged` list in a resource's
//! `Metadata` (`[{"rule": ..., "reason": ...}]`), which synth writes for every acknowledgement at
//! the resource's construct or above it.

use crate::templates::PreparedElement;
use crate::value::Value;

/// The metadata key that holds an element's acknowledgements.
pub const METADATA_KEY: &str = "ironcdk:acknowledged";

/// The acknowledgements stored on an element: (rule, reason), in the order written.
pub fn stored(e: &PreparedElement) -> impl Iterator<Item = (&str, &str)> + '_ {
    let list = match &e.value {
        Value::Map(m) => match m.get("Metadata") {
            Some(Value::Map(meta)) => match meta.get(METADATA_KEY) {
                Some(Value::List(l)) => l.as_slice(),
                _ => &[],
            },
            _ => &[],
        },
        _ => &[],
    };
    list.iter().filter_map(|entry| match entry {
        Value::Map(m) => match (m.get("rule"), m.get("reason")) {
            (Some(Value::Str(rule)), Some(Value::Str(reason))) => Some((rule.as_str(), reason.as_str())),
            _ => None,
        },
        _ => None,
    })
}

