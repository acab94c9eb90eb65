//! `tree.json`: the construct tree in CDK's shape, written straight from the stacks' nodes.
//!
//! The file is compact JSON with a fixed shape, so it is laid out here piece by piece (the
//! fixed parts as literal text, names and paths escaped): through the general JSON writer, its
//! keys and separators were half the cost of writing it.

use ironcdk_template::json::escape_into;

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

/// `{"id":...,"path":...` of a node.
fn begin_node(out: &mut String, id: &str, path: &str) {
    out.push_str("{\"id\":");
    string(out, id);
    out.push_str(",\"path\":");
    string(out, path);
}

/// One node of a stack and everything below it, as the value of member `key` (after a comma
/// unless it is the `first`). Nodes nest as
/// deeply as the program nests constructs, so the walk keeps its own stack rather than
/// recursing.
fn node(out: &mut String, st: &StackInner, root: NodeId, key: &str, first: bool) {
    enum Step<'a> {
        /// Write the node as the member `key` of its parent's children (after a comma unless
        /// it is the first) and open its children.
        Open(NodeId, &'a str, bool),
        /// Close its children, then write the rest of the node.
        Close(NodeId),
    }
    let mut todo = vec![Step::Open(root, key, first)];
    while let Some(step) = todo.pop() {
        match step {
            Step::Open(n, key, first) => {
                let node = st.node(n);
                if !first {
                    out.push(',');
                }
                string(out, key);
                out.push(':');
                begin_node(out, node.id(), &node.path);
                todo.push(Step::Close(n));
                if !node.children.is_empty() {
                    out.push_str(",\"children\":{");
                    // Pushed last to first, so the first child is written first.
                    todo.extend(node.children.ids().iter().enumerate().rev().map(|(i, c)| Step::Open(*c, st.node(c).id(), i == 0)));
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
    begin_node(&mut out, "App", "");
    out.push_str(",\"children\":{");
    for (i, st) in stacks.iter().enumerate() {
        node(&mut out, st, NodeId(0), &st.name, i == 0);
    }
    out.push('}');
    construct_info_and_end(&mut out, &["ironcdk.App"]);
    out.push_str("}\n");
    out
}
