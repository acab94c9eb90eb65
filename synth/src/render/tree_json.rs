//! `tree.json`: the construct tree in CDK's shape, written straight from the stacks' nodes.

use ironcdk_template::json::JsonWriter;

use crate::element::Element;
use crate::stack::StackInner;
use crate::tree::NodeId;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn construct_info(w: &mut JsonWriter, fqn: &[&str]) {
    w.key("constructInfo");
    w.begin_object();
    w.key("fqn");
    w.string_of(fqn);
    w.key("version");
    w.string(VERSION);
    w.end_object();
}

/// One node of a stack and everything below it. Nodes nest as deeply as the program nests
/// constructs, so the walk keeps its own stack rather than recursing.
fn node(w: &mut JsonWriter, st: &StackInner, root: NodeId) {
    enum Step<'a> {
        /// Write the node (as the member `key` of its parent's children) and open its children.
        Open(NodeId, Option<&'a str>),
        /// Close its children, then write the rest of the node.
        Close(NodeId),
    }
    let mut todo = vec![Step::Open(root, None)];
    while let Some(step) = todo.pop() {
        match step {
            Step::Open(n, key) => {
                let node = st.node(n);
                if let Some(k) = key {
                    w.key(k);
                }
                w.begin_object();
                w.key("id");
                w.string(node.id());
                w.key("path");
                w.string(&node.path);
                todo.push(Step::Close(n));
                if !node.children.is_empty() {
                    w.key("children");
                    w.begin_object();
                    // Pushed last to first, so the first child is written first.
                    todo.extend(node.children.ids().iter().rev().map(|c| Step::Open(*c, Some(st.node(c).id()))));
                }
            }
            Step::Close(n) => {
                let node = st.node(n);
                if !node.children.is_empty() {
                    w.end_object();
                }
                if let Some(Element::Resource(r)) = node.element.as_deref() {
                    w.key("attributes");
                    w.begin_object();
                    w.key("aws:cdk:cloudformation:type");
                    w.string(&r.type_name);
                    w.end_object();
                }
                construct_info(w, &node.fqn_parts());
                w.end_object();
            }
        }
    }
}

/// The whole app's tree, the stacks under an `App` root, as compact JSON with a final newline
/// (pretty, it was twice the size and the largest file of a large app; tools read it, people
/// do not).
pub(crate) fn tree_json(stacks: &[&StackInner], capacity: usize) -> String {
    let mut w = JsonWriter::new(false, capacity);
    w.begin_object();
    w.key("version");
    w.string("tree-0.1");
    w.key("tree");
    w.begin_object();
    w.key("id");
    w.string("App");
    w.key("path");
    w.string("");
    w.key("children");
    w.begin_object();
    for st in stacks {
        w.key(&st.name);
        node(&mut w, st, NodeId(0));
    }
    w.end_object();
    construct_info(&mut w, &["ironcdk.App"]);
    w.end_object();
    w.end_object();
    let mut out = w.into_string();
    out.push('\n');
    out
}
