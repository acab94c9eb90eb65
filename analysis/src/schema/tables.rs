//! Reads the validation tables the build script compiled from the vendored registry schemas
//! (see `ironcdk_codegen::validation` for the layout). Nothing is parsed at run time: a node is
//! decoded from its words when the validator reaches it.

#[allow(dead_code)]
pub(crate) mod tag {
    include!(concat!(env!("OUT_DIR"), "/schema_tags.rs"));
}

// `WORDS` and `INDEX`, static arrays of `u32`.
include!(concat!(env!("OUT_DIR"), "/schema_words.rs"));
include!(concat!(env!("OUT_DIR"), "/schema_type_index.rs"));
static STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/schema_strings.txt"));

include!(concat!(env!("OUT_DIR"), "/schema_type_hash.rs"));

/// The `u32` slot `i` of the type index (0, empty, past the end).
fn slot(i: usize) -> u32 {
    INDEX.get(i).copied().unwrap_or(0)
}

/// The word at `i` (0 past the end: a node with no keywords, a run of none).
pub(crate) fn word(i: usize) -> u32 {
    WORDS.get(i).copied().unwrap_or(tag::END)
}

/// The three words from `i` (a property record: name offset, name length, node), read in one
/// bounds check; `END` past the end.
fn words3(i: usize) -> [u32; 3] {
    match WORDS.get(i..i.saturating_add(3)) {
        Some(&[a, b, c]) => [a, b, c],
        _ => [tag::END; 3],
    }
}

fn at(i: usize, k: usize) -> u32 {
    word(i.saturating_add(k))
}

/// The pooled string at `(offset, len)`.
pub(crate) fn string(offset: u32, len: u32) -> &'static str {
    let o = offset as usize;
    STRINGS.get(o..o.saturating_add(len as usize)).unwrap_or("")
}

/// The pooled string at `(offset, len)` as bytes (for comparing: no character boundaries to
/// check).
fn bytes(offset: u32, len: u32) -> &'static [u8] {
    let o = offset as usize;
    STRINGS.as_bytes().get(o..o.saturating_add(len as usize)).unwrap_or_default()
}

fn f64_at(i: usize) -> f64 {
    f64::from_bits(u64::from(at(i, 0)) | (u64::from(at(i, 1)) << 32))
}

/// A literal of an `enum` or `const`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Literal {
    Str(&'static str),
    Num(f64),
    Bool(bool),
    Other,
}

fn literal(i: usize) -> Literal {
    match at(i, 0) {
        tag::LIT_STR => Literal::Str(string(at(i, 1), at(i, 2))),
        tag::LIT_NUM => Literal::Num(f64_at(i.saturating_add(1))),
        tag::LIT_BOOL => Literal::Bool(at(i, 1) != 0),
        _ => Literal::Other,
    }
}

/// A run of `count` records of `width` words starting at word `start`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Run {
    start: usize,
    count: usize,
}

impl Run {
    /// Where the run starts in the tables (a run's identity, for caches).
    pub(crate) fn start(self) -> usize {
        self.start
    }

    fn record(&self, k: usize, width: usize) -> usize {
        self.start.saturating_add(k.saturating_mul(width))
    }
    pub(crate) fn len(&self) -> usize {
        self.count
    }
}

/// A schema node: where it is and its mask of tags. A keyword is read from the tables when the
/// validator asks for it; nothing is decoded ahead (see `ironcdk_codegen::validation` for the
/// layout: the mask says where each tag's payload word is).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    at: usize,
    mask: u32,
}

/// A node reference that is no node (an unresolved `$ref`).
const NONE: u32 = u32::MAX;

fn node_ref(w: u32) -> Option<usize> {
    (w != NONE).then_some(w as usize)
}

/// The mask bit of tag `t` (tags are below 32).
const fn bit(t: u32) -> u32 {
    1u32.wrapping_shl(t)
}

/// The mask of `tags`.
const fn bits(tags: &[u32]) -> u32 {
    let mut mask = 0;
    let mut rest = tags;
    while let [t, tail @ ..] = rest {
        mask |= bit(*t);
        rest = tail;
    }
    mask
}

impl Node {
    /// Keywords on a literal: `enum`, `const`, `pattern`, lengths and bounds.
    pub const SCALAR: u32 = bits(&[
        tag::ENUM, tag::ENUM_NOCASE, tag::CONST, tag::PATTERN, tag::MIN_LENGTH, tag::MAX_LENGTH,
        tag::MINIMUM, tag::MAXIMUM, tag::EXCLUSIVE_MINIMUM, tag::EXCLUSIVE_MAXIMUM,
    ]);
    /// Keywords on a list: item counts, unique items, `items`.
    pub const LIST: u32 = bits(&[tag::MIN_ITEMS, tag::MAX_ITEMS, tag::UNIQUE_ITEMS, tag::ITEMS]);
    /// `oneOf`, `anyOf` and `not`.
    pub const ALTERNATIVES: u32 = bits(&[tag::ONE_OF, tag::ANY_OF, tag::NOT]);
    /// Keywords on an object's set of properties: `required` and its kin, dependencies, counts.
    pub const PROPERTY_SET: u32 = bits(&[
        tag::REQUIRED, tag::REQUIRED_XOR, tag::REQUIRED_OR, tag::DEPENDENT_REQUIRED,
        tag::DEPENDENT_EXCLUDED, tag::MIN_PROPERTIES, tag::MAX_PROPERTIES,
    ]);

    /// The node at word `i` (past the end: a node with no keywords).
    pub(crate) fn at(i: usize) -> Node {
        Node { at: i, mask: word(i) }
    }

    /// Whether the node has any keyword of `group` (a mask such as [`Node::SCALAR`]).
    pub(crate) fn has(self, group: u32) -> bool {
        self.mask & group != 0
    }

    /// The payload word of tag `t`, if the node has `t`: after the mask, one word for each
    /// tag below `t` the node has.
    fn one(self, t: u32) -> Option<u32> {
        if self.mask & bit(t) == 0 {
            return None;
        }
        let below = (self.mask & bit(t).wrapping_sub(1)).count_ones() as usize;
        Some(word(self.at.saturating_add(1).saturating_add(below)))
    }

    fn f64_of(self, t: u32) -> Option<f64> {
        self.one(t).map(|at| f64_at(at as usize))
    }

    /// The run a tag's payload points to.
    fn run(self, t: u32) -> Option<Run> {
        self.one(t).map(|at| {
            let at = at as usize;
            Run { start: at.saturating_add(1), count: word(at) as usize }
        })
    }

    fn node(self, t: u32) -> Option<usize> {
        self.one(t).and_then(node_ref)
    }

    /// Whether the node has tag `t` (a keyword without payload).
    fn flag(self, t: u32) -> bool {
        self.mask & bit(t) != 0
    }

    pub(crate) fn types(self) -> u32 {
        self.one(tag::TYPES).unwrap_or(0)
    }
    /// The enum's literals, and whether they compare without case.
    pub(crate) fn enum_(self) -> Option<(Run, bool)> {
        match self.run(tag::ENUM) {
            Some(run) => Some((run, false)),
            None => self.run(tag::ENUM_NOCASE).map(|run| (run, true)),
        }
    }
    /// Where the const's literal is.
    pub(crate) fn const_(self) -> Option<usize> {
        self.one(tag::CONST).map(|at| at as usize)
    }
    pub(crate) fn pattern(self) -> Option<&'static str> {
        self.one(tag::PATTERN).map(|p| string(word(p as usize), at(p as usize, 1)))
    }
}

/// Declares a [`Node`] method per keyword: its name, what it gives and how its payload is read
/// (`one` word, `f64_of`, a `run`, a `node`, or a `flag` without payload).
macro_rules! keywords {
    ($($name:ident: $ty:ty = $read:ident($tag:ident),)*) => {
        impl Node {
            $(
                pub(crate) fn $name(self) -> $ty {
                    self.$read(tag::$tag)
                }
            )*
        }
    };
}

keywords! {
    min_length: Option<u32> = one(MIN_LENGTH),
    max_length: Option<u32> = one(MAX_LENGTH),
    minimum: Option<f64> = f64_of(MINIMUM),
    maximum: Option<f64> = f64_of(MAXIMUM),
    exclusive_minimum: Option<f64> = f64_of(EXCLUSIVE_MINIMUM),
    exclusive_maximum: Option<f64> = f64_of(EXCLUSIVE_MAXIMUM),
    min_items: Option<u32> = one(MIN_ITEMS),
    max_items: Option<u32> = one(MAX_ITEMS),
    unique_items: bool = flag(UNIQUE_ITEMS),
    items: Option<usize> = node(ITEMS),
    properties: Option<Run> = run(PROPERTIES),
    no_additional: bool = flag(NO_ADDITIONAL),
    additional: Option<usize> = node(ADDITIONAL),
    pattern_properties: Option<Run> = run(PATTERN_PROPERTIES),
    required: Option<Run> = run(REQUIRED),
    required_xor: Option<Run> = run(REQUIRED_XOR),
    required_or: Option<Run> = run(REQUIRED_OR),
    one_of: Option<Run> = run(ONE_OF),
    any_of: Option<Run> = run(ANY_OF),
    all_of: Option<Run> = run(ALL_OF),
    ref_: Option<usize> = node(REF),
    not: Option<usize> = node(NOT),
    min_properties: Option<u32> = one(MIN_PROPERTIES),
    max_properties: Option<u32> = one(MAX_PROPERTIES),
    dependent_required: Option<Run> = run(DEPENDENT_REQUIRED),
    dependent_excluded: Option<Run> = run(DEPENDENT_EXCLUDED),
}

/// The names of a `required`-shaped run.
pub(crate) fn names(run: Run) -> impl Iterator<Item = &'static str> + Clone {
    (0..run.count).map(move |k| {
        let r = run.record(k, 2);
        string(at(r, 0), at(r, 1))
    })
}

/// The `(name or pattern, node)` pairs of a properties-shaped run.
pub(crate) fn pairs(run: Run) -> impl Iterator<Item = (&'static str, Option<usize>)> {
    (0..run.count).map(move |k| {
        let r = run.record(k, 3);
        (string(at(r, 0), at(r, 1)), node_ref(at(r, 2)))
    })
}

/// The property `name` in a (sorted) properties run: the place of its record in the run and
/// its node. `None` when the run does not declare it, a node of `None` when it does without a
/// schema to check it by.
pub(crate) fn property_record(run: Run, name: &str) -> Option<(usize, Option<usize>)> {
    let (mut lo, mut hi) = (0usize, run.count);
    while lo < hi {
        let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
        let [offset, len, node] = words3(run.record(mid, 3));
        match bytes(offset, len).cmp(name.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid.saturating_add(1),
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some((mid, node_ref(node))),
        }
    }
    None
}

/// The node of record `k` of a properties run, if that record names `name` (one comparison).
pub(crate) fn property_if_named(run: Run, k: usize, name: &str) -> Option<Option<usize>> {
    if k >= run.count {
        return None;
    }
    let [offset, len, node] = words3(run.record(k, 3));
    (bytes(offset, len) == name.as_bytes()).then(|| node_ref(node))
}

/// The nodes of a combinator run.
pub(crate) fn nodes(run: Run) -> impl Iterator<Item = Option<usize>> {
    (0..run.count).map(move |k| node_ref(at(run.record(k, 1), 0)))
}

/// The literals of an enum run.
pub(crate) fn literals(run: Run) -> impl Iterator<Item = Literal> {
    (0..run.count).map(move |k| literal(run.record(k, 3)))
}

/// Whether an enum run holds the string literal `text` exactly: the records' words compared
/// where the lengths agree, nothing decoded (a string against a case-sensitive enum is the
/// common case).
pub(crate) fn holds_text(run: Run, text: &str) -> bool {
    text_at(run, text).is_some()
}

/// Which literal of an enum run is the string `text` exactly (see [`holds_text`]).
pub(crate) fn text_at(run: Run, text: &str) -> Option<usize> {
    (0..run.count).find(|k| literal_is_text(run, *k, text))
}

/// Whether literal `k` of an enum run is the string `text` exactly.
pub(crate) fn literal_is_text(run: Run, k: usize, text: &str) -> bool {
    if k >= run.count {
        return false;
    }
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    match words3(run.record(k, 3)) {
        [tag::LIT_STR, offset, l] => l == len && bytes(offset, l) == text.as_bytes(),
        _ => false,
    }
}

/// The literal of a const.
pub(crate) fn const_literal(i: usize) -> Literal {
    literal(i)
}

/// The `(name, names)` records of a dependency run.
pub(crate) fn dependencies(run: Run) -> impl Iterator<Item = (&'static str, Run)> {
    let mut j = run.start;
    (0..run.count).map(move |_| {
        let name = string(at(j, 0), at(j, 1));
        let n = at(j, 2) as usize;
        let list = Run { start: j.saturating_add(3), count: n };
        j = j.saturating_add(3).saturating_add(n.saturating_mul(2));
        (name, list)
    })
}

/// Where a resource type's tables are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TypeRecord {
    /// The type's name, as the tables spell it.
    pub name: &'static str,
    /// The root node of its properties.
    pub root: Option<usize>,
    /// The sorted names that may begin a `Fn::GetAtt` attribute of the type.
    pub attribute_heads: Run,
    /// The properties of its primary identifier, when a template sets them all.
    pub identifier: Run,
    /// Its sorted top-level read-only properties.
    pub read_only: Run,
}

/// The tables of a resource type, if the registry knows it (by the type index: one hash and
/// usually one comparison).
pub(crate) fn type_record(type_name: &str) -> Option<TypeRecord> {
    let slots = INDEX.len();
    if slots == 0 {
        return None;
    }
    let mask = slots.saturating_sub(1);
    let mut probe = type_hash(type_name) as usize & mask;
    // Half the slots are empty, so a probe ends soon; the bound only guards a corrupt table.
    for _ in 0..slots {
        let ordinal = slot(probe) as usize;
        if ordinal == 0 {
            return None;
        }
        let r = ordinal.saturating_sub(1).saturating_mul(tag::RECORD_WORDS).saturating_add(1);
        if bytes(word(r), at(r, 1)) == type_name.as_bytes() {
            let run = |k: usize| {
                let at_ = at(r, k) as usize;
                Run { start: at_.saturating_add(1), count: word(at_) as usize }
            };
            return Some(TypeRecord { name: string(word(r), at(r, 1)), root: node_ref(at(r, 2)), attribute_heads: run(3), identifier: run(4), read_only: run(5) });
        }
        probe = probe.saturating_add(1) & mask;
    }
    None
}

/// The root node of a resource type's properties, if the registry knows the type.
pub(crate) fn resource(type_name: &str) -> Option<usize> {
    type_record(type_name).and_then(|r| r.root)
}

/// Whether the sorted names of `run` hold `name` (binary search, nothing decoded but the
/// names compared).
pub(crate) fn names_hold(run: Run, name: &str) -> bool {
    let (mut lo, mut hi) = (0usize, run.count);
    while lo < hi {
        let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
        let r = run.record(mid, 2);
        match bytes(at(r, 0), at(r, 1)).cmp(name.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid.saturating_add(1),
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// How many resource types the tables hold.
pub(crate) fn type_count() -> usize {
    word(0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_index_finds_every_type_and_nothing_else() {
        for i in 0..type_count() {
            let r = i * tag::RECORD_WORDS + 1;
            let name = string(word(r), at(r, 1));
            assert_eq!(type_record(name).map(|t| t.name), Some(name));
        }
        assert!(type_record("AWS::S3::Buckets").is_none());
        assert!(type_record("").is_none());
    }

    /// Every node reachable from the types' roots, each checked as
    /// `every_reachable_node_reads_within_the_tables` says.
    fn reachable_nodes() -> Vec<usize> {
        let words = WORDS.len();
        let within = |run: Run, width: usize| run.start + run.count * width <= words;
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<usize> = (0..type_count()).filter_map(|i| type_record(string(word(i * tag::RECORD_WORDS + 1), at(i * tag::RECORD_WORDS + 1, 1))).and_then(|t| t.root)).collect();
        while let Some(i) = todo.pop() {
            if !seen.insert(i) {
                continue;
            }
            assert!(i < words, "node {i}");
            let n = Node::at(i);
            assert_eq!(n.mask & 1, 0, "node {i}: bit 0 is no tag");
            let mut children: Vec<usize> = [n.ref_(), n.items(), n.additional(), n.not()].into_iter().flatten().collect();
            for run in [n.properties(), n.pattern_properties()].into_iter().flatten() {
                assert!(within(run, 3), "node {i}");
                children.extend(pairs(run).filter_map(|(_, node)| node));
            }
            for run in [n.one_of(), n.any_of(), n.all_of()].into_iter().flatten() {
                assert!(within(run, 1), "node {i}");
                children.extend(nodes(run).flatten());
            }
            for run in [n.required(), n.required_xor(), n.required_or()].into_iter().flatten() {
                assert!(within(run, 2), "node {i}");
                assert!(names(run).all(|name| !name.is_empty()), "node {i}");
            }
            if let Some((run, _)) = n.enum_() {
                assert!(within(run, 3) && run.count > 0, "node {i}");
            }
            if let Some(p) = n.one(tag::PATTERN) {
                let (offset, len) = (word(p as usize) as usize, at(p as usize, 1) as usize);
                assert!(offset + len <= STRINGS.len(), "node {i}");
            }
            assert!(n.types() < 128, "node {i}: {}", n.types());
            for bound in [n.minimum(), n.maximum(), n.exclusive_minimum(), n.exclusive_maximum()].into_iter().flatten() {
                assert!(bound.is_finite(), "node {i}: {bound}");
            }
            todo.extend(children);
        }
        seen.into_iter().collect()
    }

    /// Every node reachable from a type: its mask holds tags only, and every payload points
    /// inside the tables (a payload read at the wrong place would point anywhere).
    #[test]
    fn every_reachable_node_reads_within_the_tables() {
        let n = reachable_nodes().len();
        assert!(n > 40_000, "{n}");
    }

    /// `holds_text` answers as comparing each decoded literal does, on every enum's own
    /// strings and on near misses.
    #[test]
    fn holds_text_agrees_with_the_decoded_literals() {
        let mut checked = 0;
        for i in reachable_nodes() {
            let Some((run, false)) = Node::at(i).enum_() else { continue };
            for l in literals(run) {
                let Literal::Str(text) = l else { continue };
                for probe in [text.to_string(), format!("{text}x"), text.to_ascii_lowercase(), String::new()] {
                    let decoded = literals(run).any(|l| matches!(l, Literal::Str(t) if t == probe));
                    assert_eq!(holds_text(run, &probe), decoded, "{probe}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn property_finds_every_property_of_every_type_and_nothing_else() {
        let mut checked = 0;
        for i in 0..type_count() {
            let r = i * tag::RECORD_WORDS + 1;
            let Some(root) = type_record(string(word(r), at(r, 1))).and_then(|t| t.root) else { continue };
            let Some(run) = Node::at(root).properties() else { continue };
            for (name, node) in pairs(run) {
                let (k, found) = property_record(run, name).unwrap();
                assert_eq!(found, node, "{name}");
                assert_eq!(property_if_named(run, k, name), Some(node), "{name}");
                assert_eq!(property_if_named(run, k, &format!("{name}_")), None);
                assert_eq!(property_record(run, &format!("{name}_")), None);
                checked += 1;
            }
            assert_eq!(property_record(run, ""), None);
            assert_eq!(property_if_named(run, run.len(), ""), None);
        }
        assert!(checked > 10_000, "{checked}");
    }
}
