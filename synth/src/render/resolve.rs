//! References resolved while a stack is written ([`ironcdk_template::write`]), and the errors
//! that name the construct of every value that cannot be written.

use ironcdk_template::write::{problems, Problem, Refs};

use crate::error::Error;
use crate::prepare::PreparedStack;
use crate::stack::StackInner;
use crate::tree::NodeId;
use crate::value::Value;

/// What resolving needs while a stack is prepared: the stack and the logical ID of every
/// element node.
pub(crate) struct Ctx<'a> {
    pub st: &'a StackInner,
    pub ids: &'a [Option<crate::value::Str>],
    refs: Refs<'a>,
    /// Names an element of another stack of the app, for messages.
    pub describe: &'a dyn Fn(&crate::value::ElementRef) -> String,
}

impl<'a> Ctx<'a> {
    pub fn new(st: &'a StackInner, ids: &'a [Option<crate::value::Str>], describe: &'a dyn Fn(&crate::value::ElementRef) -> String) -> Self {
        Ctx { st, ids, refs: Refs::new(st.id, ids), describe }
    }

    /// `v` as compact JSON in this stack (see [`Refs::compact`]).
    pub fn compact(&self, v: &Value) -> Vec<u8> {
        self.refs.compact(v)
    }
}

/// Why the prepared stack's template could not be written, each error naming the construct
/// whose value holds the problem.
pub(crate) fn write_errors(st: &StackInner, prepared: &PreparedStack) -> Vec<Error> {
    let refs = Refs::of(prepared);
    let path = |n: NodeId| st.nodes.get(n.idx()).map(|node| node.path.to_string()).unwrap_or_else(|| st.name.clone());
    let mut errors = Vec::new();
    for e in &prepared.elements {
        for p in problems(&refs, &e.value) {
            errors.push(match p {
                // The prepare phase rewrote every reference into another stack of the app.
                Problem::OtherStack(_) => Error::CrossStackReference { path: path(e.node), target: "an element of another stack".into() },
                Problem::NotAnElement(target) => Error::NotAnElement { path: path(e.node), target: st.nodes.get(target.idx()).map(|n| n.path.to_string()).unwrap_or_default() },
                Problem::NotANumber(f) => Error::validation(path(e.node), format!("{f} is not a number JSON can hold")),
                _ => Error::validation(path(e.node), "a value that cannot be written"),
            });
        }
    }
    errors
}
