//! `tree.json`: the construct tree in CDK's shape, written straight from the stacks' nodes.
//!
//! The file is compact JSON with a fixed shape, so it is laid out here piece by piece (the
//! fixed parts as literal text, names and paths escaped): through the general JSON writer, its
//! keys and separators were half the cost of writing it.

use ironcdk_template::json::{escape_into, needs_escape};

use crate::element::Element;
use crate::stack::StackInner;
use crate::tree::NodeId;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `"text"`, escaped.
fn string(out: &mut String, text: &str) {
    out.push('"');
    escape_into(out, text);
    out.push('"');
}

/// `,"constructInfo":{...}}`: the last member of a node, and the node's end.
fn construct_info_and_end(out: &mut String, fqn: &[&str]) {
    out.push_str(",\"constructInfo\":{\"fqn\":\"");
    for part in fqn {
        escape_into(out, part);
    }
    out.push_str("\",\"version\":\"");
    out.push_str(VERSION);
    out.push_str("\"}}");
}

/// `"text"`: escaped, unless it is known to need no escape (`plain`).
fn string_known(out: &mut String, text: &str, plain: bool) {
    out.push('"');
    if plain {
        out.push_str(text);
    } else {
        escape_into(out, text);
    }
    out.push('"');
}

/// One node of a stack and everything below it, as the value of member `key` (after a comma
/// unless it is the `first`). Nodes nest as
/// deeply as the program nests constructs, so the walk keeps its own stack rather than
/// recursing.
fn node(out: &mut String, st: &StackInner, root: NodeId, key: &str, first: bool) {
    enum Step<'a> {
        /// Write the node as the member `key` of its parent's children (after a comma unless
        /// it is the first) and open its children; the last flag says whether the parent's
        /// path needs no escape.
        Open(NodeId, &'a str, bool, bool),
        /// Close its children, then write the rest of the node.
        Close(NodeId),
    }
    // A stack's root has no parent: its path is its id.
    let mut todo = vec![Step::Open(root, key, first, true)];
    while let Some(step) = todo.pop() {
        match step {
            Step::Open(n, key, first, parent_plain) => {
                let node = st.node(n);
                if !first {
                    out.push(',');
                }
                // The key is the node's id (a stack's name for its root): checked once for
                // both. The path is the parent's, a `/` and the id: it needs no escape when
                // neither does, so it is not scanned again at every level.
                let id = node.id();
                let id_plain = !needs_escape(id);
                string_known(out, key, if key == id { id_plain } else { !needs_escape(key) });
                out.push_str(":{\"id\":");
                string_known(out, id, id_plain);
                out.push_str(",\"path\":");
                let path_plain = parent_plain && id_plain;
                string_known(out, &node.path, path_plain);
                todo.push(Step::Close(n));
                if !node.children.is_empty() {
                    out.push_str(",\"children\":{");
                    // Pushed last to first, so the first child is written first.
                    todo.extend(node.children.ids().iter().enumerate().rev().map(|(i, c)| Step::Open(*c, st.node(c).id(), i == 0, path_plain)));
                }
            }
            Step::Close(n) => {
                let node = st.node(n);
                if !node.children.is_empty() {
                    out.push('}');
                }
                if let Some(Element::Resource(r)) = node.element.as_deref() {
                    out.push_str(",\"attributes\":{\"aws:cdk:cloudformation:type\":");
                    string(out, &r.type_name);
                    out.push('}');
                }
                construct_info_and_end(out, &node.fqn_parts());
            }
        }
    }
}

/// The whole app's tree, the stacks under an `App` root, as compact JSON with a final newline
/// (pretty, it was twice the size and the largest file of a large app; tools read it, people
/// do not).
pub(crate) fn tree_json(stacks: &[&StackInner], capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    out.push_str("{\"version\":\"tree-0.1\",\"tree\":");
    out.push_str("{\"id\":\"App\",\"path\":\"\"");
    out.push_str(",\"children\":{");
    for (i, st) in stacks.iter().enumerate() {
        node(&mut out, st, NodeId(0), &st.name, i == 0);
    }
    out.push('}');
    construct_info_and_end(&mut out, &["ironcdk.App"]);
    out.push_str("}\n");
    out
}
