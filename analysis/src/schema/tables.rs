//! Reads the validation tables the build script compiled from the vendored registry schemas
//! (see `ironcdk_codegen::validation` for the layout). Nothing is parsed at run time: a node is
//! decoded from its words when the validator reaches it.

#[allow(dead_code)]
pub(crate) mod tag {
    include!(concat!(env!("OUT_DIR"), "/schema_tags.rs"));
}

static WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/schema_words.bin"));
static STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/schema_strings.txt"));
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/schema_type_index.bin"));

include!(concat!(env!("OUT_DIR"), "/schema_type_hash.rs"));

/// The `u32` slot `i` of the type index (0, empty, past the end).
fn slot(i: usize) -> u32 {
    let start = i.saturating_mul(4);
    INDEX.get(start..start.saturating_add(4)).and_then(|b| <[u8; 4]>::try_from(b).ok()).map_or(0, u32::from_le_bytes)
}

/// The word at `i` (0 past the end, which reads as [`tag::END`]).
pub(crate) fn word(i: usize) -> u32 {
    let start = i.saturating_mul(4);
    WORDS
        .get(start..start.saturating_add(4))
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(tag::END, u32::from_le_bytes)
}

/// The three words from `i` (a property record: name offset, name length, node), read in one
/// bounds check; `END` past the end.
fn words3(i: usize) -> [u32; 3] {
    let start = i.saturating_mul(4);
    match WORDS.get(start..start.saturating_add(12)) {
        Some(&[a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3]) => {
            [u32::from_le_bytes([a0, a1, a2, a3]), u32::from_le_bytes([b0, b1, b2, b3]), u32::from_le_bytes([c0, c1, c2, c3])]
        }
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

/// One decoded schema node.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Node {
    pub types: u32,
    pub enum_: Option<(Run, bool)>,
    pub const_: Option<usize>,
    pub pattern: Option<&'static str>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub min_items: Option<u32>,
    pub max_items: Option<u32>,
    pub unique_items: bool,
    pub items: Option<usize>,
    pub properties: Option<Run>,
    pub no_additional: bool,
    pub additional: Option<usize>,
    pub pattern_properties: Option<Run>,
    pub required: Option<Run>,
    pub required_xor: Option<Run>,
    pub required_or: Option<Run>,
    pub one_of: Option<Run>,
    pub any_of: Option<Run>,
    pub all_of: Option<Run>,
    pub ref_: Option<usize>,
    pub not: Option<usize>,
    pub min_properties: Option<u32>,
    pub max_properties: Option<u32>,
    pub dependent_required: Option<Run>,
    pub dependent_excluded: Option<Run>,
    /// Which groups of keywords the node has ([`Node::SCALAR`], [`Node::LIST`],
    /// [`Node::ALTERNATIVES`]): one test passes a whole group by.
    pub has: u32,
}

/// A node reference that is no node (an unresolved `$ref`).
const NONE: u32 = u32::MAX;

fn node_ref(w: u32) -> Option<usize> {
    (w != NONE).then_some(w as usize)
}

impl Node {
    /// Keywords on a literal: `enum`, `const`, `pattern`, lengths and bounds.
    pub const SCALAR: u32 = 1;
    /// Keywords on a list: item counts, unique items, `items`.
    pub const LIST: u32 = 2;
    /// `oneOf`, `anyOf` and `not`.
    pub const ALTERNATIVES: u32 = 4;
    /// Keywords on an object's set of properties: `required` and its kin, dependencies, counts.
    pub const PROPERTY_SET: u32 = 8;

    /// The keyword group of tag `t` (0 for the keywords every value meets: types, references,
    /// `allOf`, properties).
    fn group(t: u32) -> u32 {
        match t {
            tag::ENUM | tag::ENUM_NOCASE | tag::CONST | tag::PATTERN | tag::MIN_LENGTH | tag::MAX_LENGTH | tag::MINIMUM | tag::MAXIMUM | tag::EXCLUSIVE_MINIMUM | tag::EXCLUSIVE_MAXIMUM => Node::SCALAR,
            tag::MIN_ITEMS | tag::MAX_ITEMS | tag::UNIQUE_ITEMS | tag::ITEMS => Node::LIST,
            tag::ONE_OF | tag::ANY_OF | tag::NOT => Node::ALTERNATIVES,
            tag::REQUIRED | tag::REQUIRED_XOR | tag::REQUIRED_OR | tag::DEPENDENT_REQUIRED | tag::DEPENDENT_EXCLUDED | tag::MIN_PROPERTIES | tag::MAX_PROPERTIES => Node::PROPERTY_SET,
            _ => 0,
        }
    }

    /// Decodes the node at word `i`.
    pub(crate) fn at(mut i: usize) -> Node {
        let mut n = Node::default();
        // A node is a handful of tags; the bound only guards against a corrupt table.
        for _ in 0..64 {
            let t = word(i);
            n.has |= Node::group(t);
            let p = i.saturating_add(1);
            let count = word(p) as usize;
            let run = Run { start: p.saturating_add(1), count };
            i = match t {
                tag::END => break,
                tag::TYPES => {
                    n.types = word(p);
                    p.saturating_add(1)
                }
                tag::ENUM | tag::ENUM_NOCASE => {
                    n.enum_ = Some((run, t == tag::ENUM_NOCASE));
                    run.record(count, 3)
                }
                tag::CONST => {
                    n.const_ = Some(p);
                    p.saturating_add(3)
                }
                tag::PATTERN => {
                    n.pattern = Some(string(word(p), at(p, 1)));
                    p.saturating_add(2)
                }
                tag::MIN_LENGTH | tag::MAX_LENGTH | tag::MIN_ITEMS | tag::MAX_ITEMS | tag::MIN_PROPERTIES | tag::MAX_PROPERTIES => {
                    let v = Some(word(p));
                    match t {
                        tag::MIN_LENGTH => n.min_length = v,
                        tag::MAX_LENGTH => n.max_length = v,
                        tag::MIN_ITEMS => n.min_items = v,
                        tag::MAX_ITEMS => n.max_items = v,
                        tag::MIN_PROPERTIES => n.min_properties = v,
                        _ => n.max_properties = v,
                    }
                    p.saturating_add(1)
                }
                tag::MINIMUM | tag::MAXIMUM | tag::EXCLUSIVE_MINIMUM | tag::EXCLUSIVE_MAXIMUM => {
                    let v = Some(f64_at(p));
                    match t {
                        tag::MINIMUM => n.minimum = v,
                        tag::MAXIMUM => n.maximum = v,
                        tag::EXCLUSIVE_MINIMUM => n.exclusive_minimum = v,
                        _ => n.exclusive_maximum = v,
                    }
                    p.saturating_add(2)
                }
                tag::UNIQUE_ITEMS => {
                    n.unique_items = true;
                    p
                }
                tag::NO_ADDITIONAL => {
                    n.no_additional = true;
                    p
                }
                tag::ITEMS | tag::ADDITIONAL | tag::REF | tag::NOT => {
                    let r = node_ref(word(p));
                    match t {
                        tag::ITEMS => n.items = r,
                        tag::ADDITIONAL => n.additional = r,
                        tag::REF => n.ref_ = r,
                        _ => n.not = r,
                    }
                    p.saturating_add(1)
                }
                tag::PROPERTIES | tag::PATTERN_PROPERTIES => {
                    if t == tag::PROPERTIES {
                        n.properties = Some(run);
                    } else {
                        n.pattern_properties = Some(run);
                    }
                    run.record(count, 3)
                }
                tag::REQUIRED | tag::REQUIRED_XOR | tag::REQUIRED_OR => {
                    match t {
                        tag::REQUIRED => n.required = Some(run),
                        tag::REQUIRED_XOR => n.required_xor = Some(run),
                        _ => n.required_or = Some(run),
                    }
                    run.record(count, 2)
                }
                tag::ONE_OF | tag::ANY_OF | tag::ALL_OF => {
                    match t {
                        tag::ONE_OF => n.one_of = Some(run),
                        tag::ANY_OF => n.any_of = Some(run),
                        _ => n.all_of = Some(run),
                    }
                    run.record(count, 1)
                }
                tag::DEPENDENT_REQUIRED | tag::DEPENDENT_EXCLUDED => {
                    if t == tag::DEPENDENT_REQUIRED {
                        n.dependent_required = Some(run);
                    } else {
                        n.dependent_excluded = Some(run);
                    }
                    // Variable-width records: (name, count, names...).
                    let mut j = run.start;
                    for _ in 0..count {
                        let names = at(j, 2) as usize;
                        j = j.saturating_add(3).saturating_add(names.saturating_mul(2));
                    }
                    j
                }
                // An unknown tag: the table and the decoder disagree; stop here.
                _ => break,
            };
        }
        n
    }
}

/// The names of a `required`-shaped run.
pub(crate) fn names(run: Run) -> impl Iterator<Item = &'static str> {
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

/// The node of the property `name` in a (sorted) properties run: `None` when the run does not
/// declare it, `Some(None)` when it does without a schema to check it by.
pub(crate) fn property(run: Run, name: &str) -> Option<Option<usize>> {
    let (mut lo, mut hi) = (0usize, run.count);
    while lo < hi {
        let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
        let [offset, len, node] = words3(run.record(mid, 3));
        match bytes(offset, len).cmp(name.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid.saturating_add(1),
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(node_ref(node)),
        }
    }
    None
}

/// The nodes of a combinator run.
pub(crate) fn nodes(run: Run) -> impl Iterator<Item = Option<usize>> {
    (0..run.count).map(move |k| node_ref(at(run.record(k, 1), 0)))
}

/// The literals of an enum run.
pub(crate) fn literals(run: Run) -> impl Iterator<Item = Literal> {
    (0..run.count).map(move |k| literal(run.record(k, 3)))
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
    let slots = INDEX.len() / 4;
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

    #[test]
    fn property_finds_every_property_of_every_type_and_nothing_else() {
        let mut checked = 0;
        for i in 0..type_count() {
            let r = i * tag::RECORD_WORDS + 1;
            let Some(root) = type_record(string(word(r), at(r, 1))).and_then(|t| t.root) else { continue };
            let Some(run) = Node::at(root).properties else { continue };
            for (name, node) in pairs(run) {
                assert_eq!(property(run, name), Some(node), "{name}");
                assert_eq!(property(run, &format!("{name}_")), None);
                checked += 1;
            }
            assert_eq!(property(run, ""), None);
        }
        assert!(checked > 10_000, "{checked}");
    }
}
