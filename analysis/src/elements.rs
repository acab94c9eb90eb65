//! Elements found by stack and logical ID, for placing, naming and acknowledging findings.
//! [`PreparedStack::element`] scans the stack; a template with thousands of resources and a
//! finding on each would make that quadratic, so a stack past a few dozen elements is indexed,
//! once, when a finding first asks.

use std::cell::OnceCell;

use ironcdk_template::hash::HashMap;
use ironcdk_template::{PreparedApp, PreparedElement, PreparedStack};

/// Stacks of at most this many elements are scanned: building their index costs more than the
/// few scans their findings make.
const SCANNED_UP_TO: usize = 64;

/// The elements of an app by stack and logical ID (see the module's note).
pub(crate) struct Elements<'a> {
    app: &'a PreparedApp,
    /// Per stack, made when a finding first asks (most rules find nothing, and make nothing).
    by_id: OnceCell<Vec<OnceCell<HashMap<&'a str, &'a PreparedElement>>>>,
    /// Stack indexes by name, made when a finding first names a stack.
    by_name: OnceCell<HashMap<&'a str, usize>>,
}

impl<'a> Elements<'a> {
    pub(crate) fn new(app: &'a PreparedApp) -> Self {
        Elements { app, by_id: OnceCell::new(), by_name: OnceCell::new() }
    }

    /// The element `logical_id` of stack `stack` (by its index).
    pub(crate) fn element(&self, stack: usize, logical_id: &str) -> Option<&'a PreparedElement> {
        let s: &'a PreparedStack = self.app.stacks.get(stack)?;
        if s.elements.len() <= SCANNED_UP_TO {
            return s.element(logical_id);
        }
        let stacks = self.by_id.get_or_init(|| self.app.stacks.iter().map(|_| OnceCell::new()).collect());
        let index = stacks.get(stack)?.get_or_init(|| {
            let mut index = HashMap::default();
            // The first of a logical ID, as a scan finds it.
            for e in &s.elements {
                index.entry(e.logical_id.as_str()).or_insert(e);
            }
            index
        });
        index.get(logical_id).copied()
    }

    /// The index of the stack named `name` (the first, as [`PreparedApp::stack`] finds it).
    pub(crate) fn stack(&self, name: &str) -> Option<usize> {
        if self.app.stacks.len() <= SCANNED_UP_TO {
            return self.app.stacks.iter().position(|s| s.name == name);
        }
        let index = self.by_name.get_or_init(|| {
            let mut index = HashMap::default();
            for (i, s) in self.app.stacks.iter().enumerate() {
                index.entry(s.name.as_str()).or_insert(i);
            }
            index
        });
        index.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ironcdk_template::load::load_template;
    use ironcdk_template::Environment;

    /// Indexed or scanned, an element is the one the stack's own scan finds: in small and large
    /// stacks, for names that are and are not there, in stacks by name among many.
    #[test]
    fn elements_are_those_a_scan_finds() {
        let stack = |name: &str, n: usize| {
            let resources: serde_json::Map<String, serde_json::Value> = (0..n).map(|i| (format!("R{i}"), serde_json::json!({"Type": "AWS::SNS::Topic"}))).collect();
            let t = serde_json::json!({"Parameters": {"P": {"Type": "String"}}, "Resources": resources, "Outputs": {"O": {"Value": "v"}}});
            load_template(name, Environment::region("us-east-1"), &t).unwrap()
        };
        let stacks: Vec<PreparedStack> = (0..70).map(|i| stack(&format!("S{i}"), if i % 2 == 0 { 3 } else { 200 })).collect();
        let app = PreparedApp::new(stacks, Vec::new());
        let elements = Elements::new(&app);
        for (si, s) in app.stacks.iter().enumerate() {
            assert_eq!(elements.stack(&s.name), Some(si));
            for id in ["R0", "R2", "R150", "R199", "R200", "P", "O", "", "r0"] {
                let scanned = s.element(id).map(std::ptr::from_ref);
                assert_eq!(elements.element(si, id).map(std::ptr::from_ref), scanned, "{} {id}", s.name);
            }
        }
        assert_eq!(elements.stack("S70"), None);
        assert!(elements.element(70, "R0").is_none());
    }
}
