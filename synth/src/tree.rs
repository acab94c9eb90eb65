//! The construct tree: every construct has an id unique among its siblings and a path, the ids
//! from the stack down joined by `/`. Nodes live in an arena owned by their stack; handles
//! ([`Scope`]) are cheap to clone and do not keep the app alive: the app owns every stack, and
//! a handle whose app is gone reads as empty and refuses to grow the tree.

use ironcdk_template::hash::HashMap;
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::element::Element;
use crate::error::{Error, Result};
use crate::stack::StackInner;

pub use ironcdk_template::ids::{NodeId, StackId};

/// A synth-time check a construct registers on its node; it returns the problems found,
/// each saying what is wrong and how to fix it.
pub type Validation = Box<dyn Fn() -> Vec<String>>;

pub(crate) struct Node {
    /// The path; the node's id is its last component, from byte `id_at` on. Shared text: the
    /// prepared element and its `aws:cdk:path` metadata take it without copying.
    pub path: ironcdk_template::value::Str,
    id_at: u32,
    pub parent: Option<NodeId>,
    pub children: Children,
    pub fqn: Cow<'static, str>,
    pub element: Option<Box<Element>>,
    /// What few nodes have, apart: a node without any of it is 120 bytes smaller.
    pub rare: Option<Box<Rare>>,
}

/// What a construct node rarely has.
#[derive(Default)]
pub(crate) struct Rare {
    pub logical_id_override: Option<String>,
    pub tags: Vec<(String, String)>,
    pub validations: Vec<Validation>,
    /// Rules acknowledged at this node and below: (rule id, reason).
    pub acknowledgements: Vec<(String, String)>,
    /// Constructs every resource at or below this node depends on (`Scope::add_dependency`).
    pub dependencies: Vec<NodeId>,
}

thread_local! {
    /// Where [`StackInner::add_node`] writes a new node's path before sharing it.
    static PATH_TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Nodes per block of [`Nodes`] (a power of two: an index splits by shift and mask).
const BLOCK_BITS: u32 = 6;
const BLOCK: usize = 1 << BLOCK_BITS;

/// A stack's construct nodes by index, kept in blocks of [`BLOCK`]: adding a node never moves
/// the others. (One growing vector copied every node, 272 bytes each, at each doubling, and
/// held up to twice the room it used.)
pub(crate) struct Nodes {
    blocks: Vec<Vec<Node>>,
}

impl Nodes {
    /// The nodes of a new stack: its root only.
    pub(crate) fn new(root: Node) -> Self {
        let mut first = Vec::with_capacity(BLOCK);
        first.push(root);
        Nodes { blocks: vec![first] }
    }

    /// How many nodes there are.
    pub(crate) fn len(&self) -> usize {
        let full = self.blocks.len().saturating_sub(1).saturating_mul(BLOCK);
        full.saturating_add(self.blocks.last().map_or(0, Vec::len))
    }

    /// The block of node `i` and its place there.
    fn place(i: usize) -> (usize, usize) {
        (i >> BLOCK_BITS, i & (BLOCK - 1))
    }

    /// Node `i`, if there is one.
    pub(crate) fn get(&self, i: usize) -> Option<&Node> {
        let (block, at) = Self::place(i);
        self.blocks.get(block)?.get(at)
    }

    /// Adds a node after the others.
    pub(crate) fn push(&mut self, node: Node) {
        match self.blocks.last_mut() {
            Some(last) if last.len() < BLOCK => last.push(node),
            _ => {
                let mut block = Vec::with_capacity(BLOCK);
                block.push(node);
                self.blocks.push(block);
            }
        }
    }

    /// Every node, in index order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Node> {
        self.blocks.iter().flatten()
    }
}

/// Node `i` where the index is known to be in range (see [`StackInner::node`]).
impl std::ops::Index<usize> for Nodes {
    type Output = Node;
    #[allow(clippy::indexing_slicing)]
    fn index(&self, i: usize) -> &Node {
        let (block, at) = Self::place(i);
        &self.blocks[block][at]
    }
}

impl std::ops::IndexMut<usize> for Nodes {
    #[allow(clippy::indexing_slicing)]
    fn index_mut(&mut self, i: usize) -> &mut Node {
        let (block, at) = Self::place(i);
        &mut self.blocks[block][at]
    }
}

/// The construct type recorded for an L1 resource's node: `tree.json` and [`Scope::fqn`] spell
/// it `ironcdk.Cfn(<type>)`, so no node holds a string of its own for it.
pub(crate) const CFN_FQN: &str = "ironcdk.Cfn";

impl Node {
    /// The node's id (the last component of its path).
    pub(crate) fn id(&self) -> &str {
        self.path.get(self.id_at as usize..).unwrap_or_default()
    }

    /// The construct type, in parts to write one after the other.
    pub(crate) fn fqn_parts(&self) -> [&str; 4] {
        match self.element.as_deref() {
            Some(Element::Resource(r)) if self.fqn == CFN_FQN => [CFN_FQN, "(", &r.type_name, ")"],
            _ => [&self.fqn, "", "", ""],
        }
    }

    /// A node whose id is the last component of `path` (all of it for a stack's root).
    pub(crate) fn new(path: ironcdk_template::value::Str, parent: Option<NodeId>, fqn: Cow<'static, str>) -> Self {
        let id_at = path.rfind('/').map_or(0, |i| i.saturating_add(1));
        Node::with_id_at(path, id_at, parent, fqn)
    }

    /// A node whose id is `path` from byte `id_at` on (known to the caller: a child's id
    /// follows its parent's path and a `/`).
    fn with_id_at(path: ironcdk_template::value::Str, id_at: usize, parent: Option<NodeId>, fqn: Cow<'static, str>) -> Self {
        Node {
            id_at: u32::try_from(id_at).unwrap_or(0),
            path,
            parent,
            children: Children::default(),
            fqn,
            element: None,
            rare: None,
        }
    }

    /// What the node rarely has, made on first use.
    pub(crate) fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// The logical ID set with `Resource::override_logical_id`.
    pub(crate) fn logical_id_override(&self) -> Option<&String> {
        self.rare.as_ref()?.logical_id_override.as_ref()
    }

    /// Tags set at this node, in the order set.
    pub(crate) fn tags(&self) -> &[(String, String)] {
        self.rare.as_ref().map_or(&[], |r| &r.tags)
    }

    /// Rules acknowledged at this node: (rule id, reason).
    pub(crate) fn acknowledgements(&self) -> &[(String, String)] {
        self.rare.as_ref().map_or(&[], |r| &r.acknowledgements)
    }

    /// Constructs every resource at or below this node depends on.
    pub(crate) fn dependencies(&self) -> &[NodeId] {
        self.rare.as_ref().map_or(&[], |r| &r.dependencies)
    }
}

/// A node's children in creation order. Most nodes have a few, found by comparing ids; from
/// [`Children::INDEX_FROM`] children on, an index by id keeps adding and finding them
/// constant-time.
#[derive(Default)]
pub(crate) struct Children {
    list: ChildList,
    #[allow(clippy::box_collection)]
    index: Option<Box<HashMap<String, NodeId>>>,
}

impl Children {
    const INDEX_FROM: usize = 16;

    pub(crate) fn is_empty(&self) -> bool {
        self.ids().is_empty()
    }

    /// The children, in creation order.
    pub(crate) fn ids(&self) -> &[NodeId] {
        match &self.list {
            ChildList::Inline(len, ids) => ids.get(..usize::from(*len)).unwrap_or_default(),
            ChildList::Heap(list) => list,
        }
    }

    fn push(&mut self, child: NodeId) {
        match &mut self.list {
            ChildList::Inline(len, ids) if usize::from(*len) < INLINE_CHILDREN => {
                if let Some(slot) = ids.get_mut(usize::from(*len)) {
                    *slot = child;
                    *len = len.saturating_add(1);
                }
            }
            ChildList::Inline(_, ids) => {
                let mut list = Vec::with_capacity(INLINE_CHILDREN.saturating_mul(2));
                list.extend_from_slice(ids);
                list.push(child);
                self.list = ChildList::Heap(list);
            }
            ChildList::Heap(list) => list.push(child),
        }
    }
}

/// Children a node holds without an allocation: most constructs have a few.
const INLINE_CHILDREN: usize = 3;

/// A node's children: a few in place (no allocation for most nodes), more in a vector.
enum ChildList {
    Inline(u8, [NodeId; INLINE_CHILDREN]),
    Heap(Vec<NodeId>),
}

impl Default for ChildList {
    fn default() -> Self {
        ChildList::Inline(0, [NodeId(0); INLINE_CHILDREN])
    }
}

/// A position in the construct tree: a stack and one node of it. Constructs take a scope to
/// create their children in, and expose their own node as a scope.
///
/// ```
/// use ironcdk_synth::{App, Stack, AsScope};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let group = stack.scope().child("Network", "ironcdk.Construct").unwrap();
/// assert_eq!(group.path(), "Demo/Network");
/// ```
#[derive(Clone)]
pub struct Scope {
    /// The stack's arena, owned by the app: a handle does not keep it alive.
    pub(crate) stack: Weak<RefCell<StackInner>>,
    /// The stack's id (unique in the process), to compare stacks without reaching them.
    pub(crate) id: StackId,
    pub(crate) node: NodeId,
}

/// A stack's arena, as the app owns it.
pub(crate) type StackCell = Rc<RefCell<StackInner>>;

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scope({})", self.path())
    }
}

/// Anything that can serve as the parent of new constructs: a stack, a scope, or an L2
/// construct (its own node).
pub trait AsScope {
    /// The scope new children go under.
    fn scope(&self) -> Scope;
}

impl AsScope for Scope {
    fn scope(&self) -> Scope {
        self.clone()
    }
}

impl<T: AsScope + ?Sized> AsScope for &T {
    fn scope(&self) -> Scope {
        (**self).scope()
    }
}

impl Scope {
    /// The stack's arena, while the app is alive.
    pub(crate) fn cell(&self) -> Option<StackCell> {
        self.stack.upgrade()
    }

    /// The stack's arena, or an error naming this node's id when the app is gone.
    pub(crate) fn live(&self) -> Result<StackCell> {
        self.cell().ok_or_else(|| {
            Error::validation(
                format!("node {} of a stack", self.node.idx()),
                "its App no longer exists (the App was dropped); keep the App alive while you build and synthesize",
            )
        })
    }

    /// `f` of the stack, or `R::default()` when the app is gone.
    pub(crate) fn read<R: Default>(&self, f: impl FnOnce(&StackInner) -> R) -> R {
        match self.cell() {
            Some(cell) => f(&cell.borrow()),
            None => R::default(),
        }
    }

    /// `f` of the stack, to change it; nothing (`R::default()`) when the app is gone, whose
    /// stacks can no longer be synthesized.
    pub(crate) fn write<R: Default>(&self, f: impl FnOnce(&mut StackInner) -> R) -> R {
        match self.cell() {
            Some(cell) => f(&mut cell.borrow_mut()),
            None => R::default(),
        }
    }

    /// The root scope of a stack the app owns.
    pub(crate) fn root_of(cell: &StackCell) -> Scope {
        let id = cell.borrow().id;
        Scope { stack: Rc::downgrade(cell), id, node: NodeId(0) }
    }

    /// Makes this scope's stack deploy after the stack of `target` (another stack): an error
    /// naming both when `target` is in another App, whose stacks this one cannot depend on.
    pub(crate) fn depend_on_stack_of(&self, target: &Scope) -> Result<()> {
        if self.id.app != target.id.app {
            return Err(Error::CrossStackReference { path: self.path(), target: target.path() });
        }
        let name = target.stack_name();
        self.live()?.borrow_mut().depend_on(name);
        Ok(())
    }

    /// A scope on node `node` of the same stack.
    pub(crate) fn at(&self, node: NodeId) -> Scope {
        Scope { stack: self.stack.clone(), id: self.id, node }
    }

    /// True when both scopes are in the same stack.
    pub(crate) fn same_stack(&self, other: &Scope) -> bool {
        self.id == other.id
    }

    /// The id of this node (the last path component); empty once the app is gone.
    pub fn id(&self) -> String {
        self.read(|s| s.node(self.node).id().to_string())
    }

    /// The full path, from the stack down, ids joined by `/`; empty once the app is gone.
    pub fn path(&self) -> String {
        self.read(|s| s.node(self.node).path.to_string())
    }

    /// The stack's name.
    pub fn stack_name(&self) -> String {
        self.read(|s| s.name.clone())
    }

    /// The stack's region, if it has one.
    pub fn region(&self) -> Option<String> {
        self.read(|s| s.env.region.clone())
    }

    /// The stack's region as a value: the literal when the stack has one, else `AWS::Region`
    /// (what CDK's `Stack.of(x).region` renders).
    pub fn region_value(&self) -> crate::Val<String> {
        match self.region() {
            Some(r) => r.into(),
            None => crate::Pseudo::Region.val(),
        }
    }

    /// The stack's partition as a value: a literal when the stack has a region (`aws`,
    /// `aws-cn`, `aws-us-gov`, ...), else `AWS::Partition` (what CDK's `Stack.of(x).partition`
    /// renders with the partition-literals flag new projects have).
    pub fn partition_value(&self) -> crate::Val<String> {
        match self.region() {
            Some(r) => crate::Val::from(partition_of(&r)),
            None => crate::Pseudo::Partition.val(),
        }
    }

    /// The stack's account, if it has one.
    pub fn account(&self) -> Option<String> {
        self.read(|s| s.env.account.clone())
    }

    /// The stack's account as a value: the literal when the stack has one, else
    /// `AWS::AccountId` (what CDK's `Stack.of(x).account` renders).
    pub fn account_value(&self) -> crate::Val<String> {
        match self.account() {
            Some(a) => a.into(),
            None => crate::Pseudo::AccountId.val(),
        }
    }

    /// Availability zone names pinned on the stack (empty when it uses `Fn::GetAZs`).
    pub fn pinned_availability_zones(&self) -> Vec<String> {
        self.read(|s| s.availability_zones.clone())
    }

    /// Up to `max` availability zones of the stack: the pinned names if it has them, otherwise
    /// `Fn::Select` over `Fn::GetAZs` (2 zones for an environment-agnostic stack, as CDK does;
    /// 3 for a stack with a region).
    pub fn availability_zones(&self, max: usize) -> Vec<crate::value::Val<String>> {
        use crate::value::{fns, Val};
        self.read(|inner| {
            if !inner.availability_zones.is_empty() {
                return inner.availability_zones.iter().take(max).map(|az| Val::from(az.as_str())).collect();
            }
            // As CDK: a stack whose account or region is unknown (environment-agnostic) gets the
            // first two of `Fn::GetAZs`; one with both known would get CDK's looked-up list, which
            // synth does not look up, so it gets the first three.
            let n: usize = if inner.env.region.is_some() && inner.env.account.is_some() { 3 } else { 2 };
            (0..n.min(max) as u32).map(|i| fns::select(i, fns::get_azs())).collect()
        })
    }

    /// A name unique in the app, derived from the full path (CDK's `Names.uniqueId`): used
    /// for physical names a construct must invent, such as a task definition family.
    pub fn unique_id(&self) -> String {
        let path = self.path();
        crate::logical_id::logical_id_of_path(&path, 0)
    }

    /// A physical name unique in the app, made from the path with `separator` between its parts
    /// and the path's hash at the end, at most `max_length` characters (CDK's
    /// `Names.uniqueResourceName`): `Stack-Topic-1A2B3C4D` with `-`.
    pub fn unique_resource_name(&self, separator: &str, max_length: usize) -> String {
        let path = self.path();
        let comps: Vec<&str> = path.split('/').filter(|c| *c != crate::logical_id::DEFAULT_ID).collect();
        let unique = crate::logical_id::logical_id(&comps);
        let hash: String = unique.chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
        let mut parts: Vec<String> = Vec::new();
        for c in comps {
            if parts.last().is_some_and(|last| last.ends_with(c)) || c == "Resource" {
                continue;
            }
            let clean: String = c.chars().filter(char::is_ascii_alphanumeric).collect();
            if !clean.is_empty() {
                parts.push(clean);
            }
        }
        let mut human = parts.join(separator);
        human.push_str(separator);
        let max_human = max_length.saturating_sub(8);
        if human.len() > max_human {
            let half = max_human / 2;
            let head: String = human.chars().take(half).collect();
            let tail: String = human.chars().skip(human.len().saturating_sub(half)).collect();
            human = head;
            human.push_str(&tail);
        }
        human.push_str(&hash);
        human
    }

    /// The logical ID this node would get from its path below the stack.
    pub fn path_logical_id(&self) -> String {
        let path = self.path();
        crate::logical_id::logical_id_of_path(&path, 1)
    }

    /// The node id inside its stack (stable for the life of the app).
    pub fn node_id(&self) -> NodeId {
        self.node
    }

    /// The parent scope, or `None` at the stack's root.
    pub fn parent(&self) -> Option<Scope> {
        let parent = self.read(|s| s.node(self.node).parent);
        parent.map(|node| self.at(node))
    }

    /// The stack root scope.
    pub fn stack_root(&self) -> Scope {
        self.at(NodeId(0))
    }

    /// The child with this id, if any.
    pub fn find_child(&self, id: &str) -> Option<Scope> {
        let found = self.read(|s| s.child_of(self.node, id));
        found.map(|node| self.at(node))
    }

    /// Children in creation order.
    pub fn children(&self) -> Vec<Scope> {
        let ids: Vec<NodeId> = self.read(|s| s.node(self.node).children.ids().to_vec());
        ids.into_iter().map(|node| self.at(node)).collect()
    }

    /// The construct type recorded for `tree.json` (for example `ironcdk.ec2.Vpc`).
    pub fn fqn(&self) -> String {
        self.read(|s| s.node(self.node).fqn_parts().concat())
    }

    /// Creates a child construct node. `fqn` names the construct type for `tree.json`.
    pub fn child(&self, id: &str, fqn: impl Into<Cow<'static, str>>) -> Result<Scope> {
        let cell = self.live()?;
        let node = cell.borrow_mut().add_node(self.node, id, fqn.into())?;
        Ok(self.at(node))
    }

    /// Makes every resource at or below this node, now and later, depend on every resource at
    /// or below `target` (CDK's `node.addDependency`): `DependsOn` within the stack, a stack
    /// dependency across stacks of the app.
    pub fn add_dependency(&self, target: &impl crate::AsScope) -> crate::Result<()> {
        let target = target.scope();
        let cell = self.live()?;
        if !self.same_stack(&target) {
            return self.depend_on_stack_of(&target);
        }
        let mut inner = cell.borrow_mut();
        inner.revision = inner.revision.wrapping_add(1);
        let deps = &mut inner.node_mut(self.node).rare_mut().dependencies;
        if !deps.contains(&target.node) {
            deps.push(target.node);
        }
        Ok(())
    }

    /// Adds a tag to every taggable resource at or below this node (as CDK's `Tags.of(x).add`).
    /// A tag set lower in the tree wins over the same key set higher up.
    pub fn add_tag(&self, key: impl Into<String>, value: impl Into<String>) {
        let (key, value) = (key.into(), value.into());
        self.write(|inner| {
            inner.revision = inner.revision.wrapping_add(1);
            let tags = &mut inner.node_mut(self.node).rare_mut().tags;
            tags.retain(|(k, _)| *k != key);
            tags.push((key, value));
        })
    }

    /// Registers a synth-time validation on this node; synth fails with every problem it
    /// returns, each prefixed with this node's path.
    pub fn add_validation(&self, check: impl Fn() -> Vec<String> + 'static) {
        self.write(|s| s.node_mut(self.node).rare_mut().validations.push(Box::new(check)))
    }

    /// Acknowledges the findings of `rule` at this construct and everything below it, as CDK's
    /// `Validations.of(x).acknowledge` and cdk-nag suppressions do: they no longer fail synth,
    /// stay in the assembly marked acknowledged, and the rule and reason are written into the
    /// `Metadata` of every resource below (`ironcdk:acknowledged`). The reason must say why in
    /// at least 10 characters.
    ///
    /// ```
    /// use ironcdk_synth::{App, Stack, AsScope};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Demo").unwrap();
    /// stack.scope().acknowledge("open-ingress", "public web server by design").unwrap();
    /// assert!(stack.scope().acknowledge("open-ingress", "ok").is_err());
    /// ```
    pub fn acknowledge(&self, rule: impl Into<String>, reason: impl Into<String>) -> Result<()> {
        let (rule, reason) = (rule.into(), reason.into());
        if rule.trim().is_empty() {
            return Err(self.error("acknowledge: the rule id is empty; name the rule whose findings you acknowledge"));
        }
        if reason.trim().chars().count() < 10 {
            return Err(self.error(format!(
                "acknowledge '{rule}': the reason '{reason}' is shorter than 10 characters; say why the finding does not apply here"
            )));
        }
        let cell = self.live()?;
        let mut inner = cell.borrow_mut();
        inner.revision = inner.revision.wrapping_add(1);
        let acks = &mut inner.node_mut(self.node).rare_mut().acknowledgements;
        acks.retain(|(r, _)| *r != rule);
        acks.push((rule, reason));
        Ok(())
    }

    /// Every scope at or below this one, depth first, children in creation order.
    pub fn descendants(&self) -> Vec<Scope> {
        let order = self.read(|s| s.dfs_from(self.node));
        order.into_iter().map(|node| self.at(node)).collect()
    }

    /// An error at this path.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::validation(self.path(), message)
    }

    /// An error naming the child `id` of this scope, for a construct refused before it is
    /// created (a path in the tree is joined with `/`).
    pub fn child_error(&self, id: &str, message: impl Into<String>) -> Error {
        let path = self.path();
        Error::validation(if path.is_empty() { id.to_string() } else { format!("{path}/{id}") }, message)
    }

    /// True when both scopes are the same node of the same stack.
    pub fn same_node(&self, other: &Scope) -> bool {
        self.same_stack(other) && self.node == other.node
    }

    pub(crate) fn element_ref(&self) -> crate::value::ElementRef {
        crate::value::ElementRef {
            stack: self.id,
            node: self.node,
        }
    }
}

impl StackInner {
    /// Node `n` of this stack. Node ids are handed out by `add_node` for this stack's arena
    /// only, and the arena never shrinks, so a `Scope`'s id is always in range; ids taken from
    /// user values (`ElementRef`) are checked against the stack first and read with `get`.
    #[allow(clippy::indexing_slicing)]
    pub(crate) fn node(&self, n: impl Into<NodeId>) -> &Node {
        &self.nodes[n.into().idx()]
    }

    /// Node `n`, to change (see [`StackInner::node`]).
    #[allow(clippy::indexing_slicing)]
    pub(crate) fn node_mut(&mut self, n: impl Into<NodeId>) -> &mut Node {
        &mut self.nodes[n.into().idx()]
    }

    pub(crate) fn add_node(&mut self, parent: NodeId, id: &str, fqn: Cow<'static, str>) -> Result<NodeId> {
        let parent_node = self.node(parent);
        let invalid = |reason: &str| Error::InvalidId {
            path: parent_node.path.to_string(),
            id: id.to_string(),
            reason: reason.to_string(),
        };
        if id.is_empty() {
            return Err(invalid("ids cannot be empty"));
        }
        if id.contains('/') {
            return Err(invalid("'/' separates path components and cannot appear in an id; use another character such as '-'"));
        }
        if let Some(existing) = self.child_of(parent, id) {
            return Err(Error::DuplicateId {
                path: parent_node.path.to_string(),
                id: id.to_string(),
                existing: self.node(existing).path.to_string(),
            });
        }
        // Written into a buffer kept for it, then shared: a long path is one allocation, not a
        // text made and copied.
        let path = PATH_TEXT.with(|text| {
            let mut text = text.borrow_mut();
            text.clear();
            text.push_str(&parent_node.path);
            text.push('/');
            text.push_str(id);
            ironcdk_template::value::Str::new(text.as_str())
        });
        let index = u32::try_from(self.nodes.len()).map_err(|_| invalid("the stack holds too many constructs"))?;
        let node = NodeId(index);
        self.revision = self.revision.wrapping_add(1);
        // The id follows the parent's path and a `/` (it holds no `/` itself).
        let id_at = path.len().saturating_sub(id.len());
        self.nodes.push(Node::with_id_at(path, id_at, Some(parent), fqn));
        self.push_child(parent, id, node);
        Ok(node)
    }

    /// Deploy the stack named `name` before this one (once).
    pub(crate) fn depend_on(&mut self, name: String) {
        if !self.dependencies.contains(&name) {
            self.dependencies.push(name);
        }
    }

    /// The child of `parent` with this id.
    pub(crate) fn child_of(&self, parent: NodeId, id: &str) -> Option<NodeId> {
        let children = &self.nodes.get(parent.idx())?.children;
        match &children.index {
            Some(index) => index.get(id).copied(),
            None => children.ids().iter().copied().find(|c| self.nodes.get(c.idx()).is_some_and(|n| n.id() == id)),
        }
    }

    fn push_child(&mut self, parent: NodeId, id: &str, child: NodeId) {
        let ids: Option<Vec<(String, NodeId)>> = {
            let children = &self.node(parent).children;
            (children.index.is_none() && children.ids().len().saturating_add(1) >= Children::INDEX_FROM)
                .then(|| children.ids().iter().map(|c| (self.node(c).id().to_string(), *c)).collect())
        };
        let children = &mut self.node_mut(parent).children;
        children.push(child);
        if let Some(ids) = ids {
            children.index = Some(Box::new(ids.into_iter().collect()));
        }
        if let Some(index) = children.index.as_mut() {
            index.insert(id.to_string(), child);
        }
    }

    /// Node ids at or below `start`, depth first.
    pub(crate) fn dfs_from(&self, start: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.node(n).children.ids().iter().rev());
        }
        out
    }
}

/// The partition of a region, by its name's prefix.
pub(crate) fn partition_of(region: &str) -> &'static str {
    const PREFIXES: &[(&str, &str)] = &[
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
    ];
    PREFIXES.iter().find(|(p, _)| region.starts_with(p)).map_or("aws", |(_, partition)| partition)
}

#[cfg(test)]
mod children_tests {
    use super::*;

    /// Children past the inline room move to a vector in order; the list takes no more room
    /// than the vector alone did.
    #[test]
    fn children_keep_their_order_past_the_inline_room() {
        assert!(std::mem::size_of::<ChildList>() <= std::mem::size_of::<Vec<NodeId>>());
        let mut c = Children::default();
        assert!(c.is_empty());
        for i in 1..=10u32 {
            c.push(NodeId(i));
            let want: Vec<NodeId> = (1..=i).map(NodeId).collect();
            assert_eq!(c.ids(), want.as_slice());
        }
        assert!(matches!(c.list, ChildList::Heap(_)));
    }
}
