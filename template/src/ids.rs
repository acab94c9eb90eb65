//! The ids a reference in the value model points with: a stack of the app and an element's
//! node in it. The construct engine hands them out as it builds; a template read from a file
//! numbers its stacks in reading order and its elements in template order.

/// A stack: the app it belongs to (unique in the process) and its index there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId {
    /// The app (unique in the process; 0 for templates read from files).
    pub app: u32,
    /// Its index in the app.
    pub index: u32,
}

impl StackId {
    /// As an index.
    pub fn idx(self) -> usize {
        self.index as usize
    }
}

/// Index of a node within its stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl From<&NodeId> for NodeId {
    fn from(n: &NodeId) -> NodeId {
        *n
    }
}

impl NodeId {
    /// As an index.
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

