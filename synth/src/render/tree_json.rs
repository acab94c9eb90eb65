//! `tree.json`: the construct tree in CDK's shape, written straight from the stacks' nodes.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::element::Element;
use crate::stack::StackInner;
use crate::tree::NodeId;

const VERSION: &str = env!("CARGO_PKG_VERSION");

struct ConstructInfo<'a>(&'a str);
impl Serialize for ConstructInfo<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("fqn", self.0)?;
        m.serialize_entry("version", VERSION)?;
        m.end()
    }
}

/// One node of a stack and everything below it.
struct NodeOut<'a>(&'a StackInner, NodeId);
impl Serialize for NodeOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let NodeOut(st, n) = *self;
        let node = st.node(n);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &node.id)?;
        m.serialize_entry("path", &node.path)?;
        if !node.children.is_empty() {
            m.serialize_entry("children", &Children(st, n))?;
        }
        if let Some(Element::Resource(r)) = node.element.as_deref() {
            m.serialize_entry("attributes", &Attributes(&r.type_name))?;
        }
        m.serialize_entry("constructInfo", &ConstructInfo(&node.fqn))?;
        m.end()
    }
}

/// A resource node's attributes: its CloudFormation type.
struct Attributes<'a>(&'a str);
impl Serialize for Attributes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("aws:cdk:cloudformation:type", self.0)?;
        m.end()
    }
}

struct Children<'a>(&'a StackInner, NodeId);
impl Serialize for Children<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Children(st, n) = *self;
        let children = &st.node(n).children;
        let mut m = s.serialize_map(Some(children.len()))?;
        for (id, c) in children {
            m.serialize_entry(id, &NodeOut(st, *c))?;
        }
        m.end()
    }
}

/// The whole app's tree: the stacks under an `App` root.
pub(crate) struct AppTree<'a>(pub &'a [&'a StackInner]);

impl Serialize for AppTree<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Root<'a>(&'a [&'a StackInner]);
        impl Serialize for Root<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                struct Stacks<'a>(&'a [&'a StackInner]);
                impl Serialize for Stacks<'_> {
                    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        let mut m = s.serialize_map(Some(self.0.len()))?;
                        for st in self.0 {
                            m.serialize_entry(&st.name, &NodeOut(st, NodeId(0)))?;
                        }
                        m.end()
                    }
                }
                let mut m = s.serialize_map(Some(4))?;
                m.serialize_entry("id", "App")?;
                m.serialize_entry("path", "")?;
                m.serialize_entry("children", &Stacks(self.0))?;
                m.serialize_entry("constructInfo", &ConstructInfo("ironcdk.App"))?;
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("version", "tree-0.1")?;
        m.serialize_entry("tree", &Root(self.0))?;
        m.end()
    }
}
