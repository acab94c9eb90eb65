//! Compiles the vendored schemas into the compact tables the analysis crate validates templates
//! with: a flat array of little-endian `u32` words (the nodes) and one string pool, so that
//! looking up a type and walking its schema costs no parsing at run time.
//!
//! Layout of the words: `[type_count, (name_offset, name_len, root_node, attributes, identifier,
//! read_only) × type_count, nodes...]`, the types sorted by name. `attributes` is the word index
//! of a run `count, (offset, len) × count`: the sorted names that may begin an `Fn::GetAtt`
//! attribute of the type (the first segment of each read-only property, and each property).
//! `identifier` is a run of the same shape: the properties of the type's `primaryIdentifier`
//! when a template sets them all (none when any part is read-only, such as a generated id).
//! `read_only` is one too: the sorted top-level read-only properties, which CloudFormation
//! ignores when a template sets them.
//!
//! A node is a run of `(tag, payload...)` ending with [`END`]; node references are word indexes. A string is `(offset, len)` in bytes into the pool; a literal
//! (enum member, const) is three words: kind ([`LIT_STR`], ...) and two payload words.
//! `$ref`s to definitions are resolved to the definition's node, so recursive schemas are
//! cycles in the node graph.

use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

macro_rules! tags {
    ($($(#[$doc:meta])* $name:ident = $n:literal,)*) => {
        $($(#[$doc])* pub const $name: u32 = $n;)*
        /// The tag constants as Rust source, for the decoder's build script.
        pub fn tags_rust() -> String {
            let mut s = String::from(crate::HEADER);
            $(s.push_str(&format!("pub const {}: u32 = {};\n", stringify!($name), $n));)*
            s.push_str(&format!("/// Words per type record.\npub const RECORD_WORDS: usize = {};\n", RECORD_WORDS));
            s
        }
    };
}

tags! {
    /// Ends a node.
    END = 0,
    /// One word: a mask of [`T_STRING`], [`T_INTEGER`], ...
    TYPES = 1,
    /// A count, then that many literals.
    ENUM = 2,
    /// Like [`ENUM`], compared without case.
    ENUM_NOCASE = 3,
    /// A string: the regular expression.
    PATTERN = 4,
    /// One word each.
    MIN_LENGTH = 5,
    MAX_LENGTH = 6,
    /// An `f64` as two words (low, high) each.
    MINIMUM = 7,
    MAXIMUM = 8,
    EXCLUSIVE_MINIMUM = 9,
    EXCLUSIVE_MAXIMUM = 10,
    /// One word each.
    MIN_ITEMS = 11,
    MAX_ITEMS = 12,
    /// No payload.
    UNIQUE_ITEMS = 13,
    /// A node.
    ITEMS = 14,
    /// A count, then (name string, node) pairs, sorted by name.
    PROPERTIES = 15,
    /// No payload: `additionalProperties: false`.
    NO_ADDITIONAL = 16,
    /// A node: `additionalProperties` as a schema.
    ADDITIONAL = 17,
    /// A count, then (pattern string, node) pairs.
    PATTERN_PROPERTIES = 18,
    /// A count, then names.
    REQUIRED = 19,
    /// A count, then nodes.
    ONE_OF = 20,
    ANY_OF = 21,
    ALL_OF = 22,
    /// A node whose checks apply here too (`$ref`).
    REF = 23,
    /// A node that must not match.
    NOT = 24,
    /// A literal.
    CONST = 25,
    /// One word each.
    MIN_PROPERTIES = 26,
    MAX_PROPERTIES = 27,
    /// A count, then (name, count, names...): if the name is present, so must the names be.
    DEPENDENT_REQUIRED = 28,
    /// Same shape: if the name is present, none of the names may be.
    DEPENDENT_EXCLUDED = 29,
    /// A count, then names: exactly one of them must be present (cfn-lint's `requiredXor`).
    REQUIRED_XOR = 30,
    /// A count, then names: at least one of them must be present (cfn-lint's `requiredOr`).
    REQUIRED_OR = 31,
    /// Type mask bits.
    T_STRING = 1,
    T_INTEGER = 2,
    T_NUMBER = 4,
    T_BOOLEAN = 8,
    T_ARRAY = 16,
    T_OBJECT = 32,
    T_NULL = 64,
    /// Literal kinds.
    LIT_STR = 0,
    LIT_NUM = 1,
    LIT_BOOL = 2,
    LIT_NULL = 3,
}

include!("type_hash.rs");

/// The source of [`type_hash`], for the crate that reads the index.
pub const TYPE_HASH_SOURCE: &str = include_str!("type_hash.rs");

/// The compiled tables: the words (as little-endian bytes), the string pool, and the type
/// index: a power-of-two number of little-endian `u32` slots, each 0 or a type's ordinal plus
/// one, placed by [`type_hash`] with linear probing.
pub struct Tables {
    pub words: Vec<u8>,
    pub strings: String,
    pub index: Vec<u8>,
}

#[derive(Default)]
struct Encoder {
    words: Vec<u32>,
    strings: String,
    ids: HashMap<String, (u32, u32)>,
}

/// Per type: the definitions already compiled and the references to patch once they are.
struct TypeState<'a> {
    schema: &'a Value,
    defs: HashMap<String, u32>,
    patches: Vec<(usize, String)>,
}

fn u(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Encoder {
    fn string(&mut self, s: &str) -> (u32, u32) {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = (u(self.strings.len()), u(s.len()));
        self.strings.push_str(s);
        self.ids.insert(s.to_string(), id);
        id
    }

    fn literal(&mut self, v: &Value, out: &mut Vec<u32>) {
        match v {
            Value::String(s) => {
                let (o, l) = self.string(s);
                out.extend([LIT_STR, o, l]);
            }
            Value::Number(n) => {
                let bits = n.as_f64().unwrap_or(0.0).to_bits();
                out.extend([LIT_NUM, bits as u32, (bits >> 32) as u32]);
            }
            Value::Bool(b) => out.extend([LIT_BOOL, u32::from(*b), 0]),
            // Objects and lists as enum members do not occur in the schemas; they match nothing.
            _ => out.extend([LIT_NULL, 0, 0]),
        }
    }

    fn names(&mut self, v: &Value, out: &mut Vec<u32>) {
        let names: Vec<&str> = v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        out.push(u(names.len()));
        for n in names {
            let (o, l) = self.string(n);
            out.extend([o, l]);
        }
    }

    fn f64_tag(out: &mut Vec<u32>, tag: u32, v: &Value) {
        if let Some(x) = v.as_f64() {
            let bits = x.to_bits();
            out.extend([tag, bits as u32, (bits >> 32) as u32]);
        }
    }

    fn count_tag(out: &mut Vec<u32>, tag: u32, v: &Value) {
        if let Some(n) = v.as_u64() {
            out.extend([tag, u32::try_from(n).unwrap_or(u32::MAX)]);
        }
    }

    /// Compiles one schema node (its children first) and returns its word index.
    fn node(&mut self, t: &mut TypeState<'_>, v: &Value) -> u32 {
        let mut out: Vec<u32> = Vec::new();
        // Positions in `out` that name a definition still being compiled.
        let mut local_patches: Vec<(usize, String)> = Vec::new();
        let Some(m) = v.as_object() else {
            // `true` or anything else that is not a schema object accepts everything.
            return self.emit(out, local_patches, t);
        };
        if let Some(r) = m.get("$ref").and_then(Value::as_str) {
            if let Some(name) = r.strip_prefix("#/definitions/") {
                match t.defs.get(name) {
                    Some(n) => out.extend([REF, *n]),
                    None => {
                        if let Some(def) = t.schema.get("definitions").and_then(|d| d.get(name)) {
                            // Reserve the name (patched later) so recursion terminates.
                            t.defs.insert(name.to_string(), u32::MAX);
                            let n = self.node(t, def);
                            t.defs.insert(name.to_string(), n);
                            out.extend([REF, n]);
                        }
                    }
                }
                if out.last() == Some(&u32::MAX) {
                    local_patches.push((out.len() - 1, name.to_string()));
                }
            }
        }
        if let Some(ty) = m.get("type") {
            let names: Vec<&str> = match ty {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let mut mask = 0;
            for n in names {
                mask |= match n {
                    "string" => T_STRING,
                    "integer" => T_INTEGER,
                    "number" => T_NUMBER,
                    "boolean" => T_BOOLEAN,
                    "array" => T_ARRAY,
                    "object" => T_OBJECT,
                    "null" => T_NULL,
                    _ => 0,
                };
            }
            if mask != 0 {
                out.extend([TYPES, mask]);
            }
        }
        for (key, tag) in [("enum", ENUM), ("const", CONST)] {
            let Some(e) = m.get(key) else { continue };
            let tag = if tag == ENUM && m.get("enumCaseInsensitive").and_then(Value::as_bool) == Some(true) { ENUM_NOCASE } else { tag };
            match (tag, e) {
                (CONST, lit) => {
                    out.push(CONST);
                    self.literal(lit, &mut out);
                }
                (_, Value::Array(items)) => {
                    out.extend([tag, u(items.len())]);
                    for i in items {
                        self.literal(i, &mut out);
                    }
                }
                _ => {}
            }
        }
        if let Some(p) = m.get("pattern").and_then(Value::as_str) {
            let (o, l) = self.string(p);
            out.extend([PATTERN, o, l]);
        }
        for (key, tag) in [("minLength", MIN_LENGTH), ("maxLength", MAX_LENGTH), ("minItems", MIN_ITEMS), ("maxItems", MAX_ITEMS), ("minProperties", MIN_PROPERTIES), ("maxProperties", MAX_PROPERTIES)] {
            if let Some(x) = m.get(key) {
                Self::count_tag(&mut out, tag, x);
            }
        }
        for (key, tag) in [("minimum", MINIMUM), ("maximum", MAXIMUM), ("exclusiveMinimum", EXCLUSIVE_MINIMUM), ("exclusiveMaximum", EXCLUSIVE_MAXIMUM)] {
            if let Some(x) = m.get(key) {
                Self::f64_tag(&mut out, tag, x);
            }
        }
        if m.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            out.push(UNIQUE_ITEMS);
        }
        if let Some(items) = m.get("items").filter(|i| i.is_object()) {
            let n = self.node(t, items);
            out.extend([ITEMS, n]);
        }
        if let Some(props) = m.get("properties").and_then(Value::as_object) {
            // Sorted by name, so the validator finds a property by binary search.
            let mut sorted: Vec<(&String, &Value)> = props.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            let mut pairs = Vec::new();
            for (name, schema) in sorted {
                let n = self.node(t, schema);
                pairs.push((self.string(name), n));
            }
            out.extend([PROPERTIES, u(pairs.len())]);
            for ((o, l), n) in pairs {
                out.extend([o, l, n]);
            }
        }
        if let Some(props) = m.get("patternProperties").and_then(Value::as_object) {
            let mut pairs = Vec::new();
            for (pattern, schema) in props {
                let n = self.node(t, schema);
                pairs.push((self.string(pattern), n));
            }
            out.extend([PATTERN_PROPERTIES, u(pairs.len())]);
            for ((o, l), n) in pairs {
                out.extend([o, l, n]);
            }
        }
        match m.get("additionalProperties") {
            Some(Value::Bool(false)) => out.push(NO_ADDITIONAL),
            Some(schema @ Value::Object(_)) => {
                let n = self.node(t, schema);
                out.extend([ADDITIONAL, n]);
            }
            _ => {}
        }
        if let Some(r) = m.get("required") {
            out.push(REQUIRED);
            self.names(r, &mut out);
        }
        for (key, tag) in [("requiredXor", REQUIRED_XOR), ("requiredOr", REQUIRED_OR)] {
            if let Some(r) = m.get(key) {
                out.push(tag);
                self.names(r, &mut out);
            }
        }
        for (key, tag) in [("oneOf", ONE_OF), ("anyOf", ANY_OF), ("allOf", ALL_OF)] {
            if let Some(Value::Array(subs)) = m.get(key) {
                let nodes: Vec<u32> = subs.iter().map(|s| self.node(t, s)).collect();
                out.extend([tag, u(nodes.len())]);
                out.extend(nodes);
            }
        }
        if let Some(not) = m.get("not").filter(|n| n.is_object()) {
            let n = self.node(t, not);
            out.extend([NOT, n]);
        }
        // `dependencies` (array form) and `dependentRequired` mean the same; `dependentExcluded`
        // is cfn-lint's. Schema-form dependencies are not compiled (they do not occur as such).
        for (key, tag) in [("dependencies", DEPENDENT_REQUIRED), ("dependentRequired", DEPENDENT_REQUIRED), ("dependentExcluded", DEPENDENT_EXCLUDED)] {
            let Some(deps) = m.get(key).and_then(Value::as_object) else { continue };
            let deps: Vec<(&String, &Value)> = deps.iter().filter(|(_, v)| v.is_array()).collect();
            if deps.is_empty() {
                continue;
            }
            out.extend([tag, u(deps.len())]);
            for (name, names) in deps {
                let (o, l) = self.string(name);
                out.extend([o, l]);
                self.names(names, &mut out);
            }
        }
        self.emit(out, local_patches, t)
    }

    fn emit(&mut self, mut out: Vec<u32>, local_patches: Vec<(usize, String)>, t: &mut TypeState<'_>) -> u32 {
        // A node that is only a `$ref` to a finished definition is that definition.
        if let ([REF, target], true) = (out.as_slice(), local_patches.is_empty()) {
            return *target;
        }
        out.push(END);
        let at = self.words.len();
        for (i, name) in local_patches {
            t.patches.push((at + i, name));
        }
        self.words.extend(out);
        u(at)
    }
}

/// Words per type record: name (offset, length), root node and three runs.
pub const RECORD_WORDS: usize = 6;

/// Compiles every vendored type's schema.
pub fn compile(schemas: &Path) -> Result<Tables, String> {
    let mut types: Vec<String> = crate::services(schemas)?.into_values().flatten().collect();
    types.sort();
    // The type table comes first; its room is reserved so node indexes are final when written.
    let header = 1 + RECORD_WORDS * types.len();
    let mut enc = Encoder { words: vec![0; header], ..Encoder::default() };
    let mut table: Vec<u32> = vec![u(types.len())];
    for name in &types {
        let schema = crate::read_schema(schemas, name)?;
        let mut t = TypeState { schema: &schema, defs: HashMap::new(), patches: Vec::new() };
        // The resource's property object: its properties, required set and combinators.
        let mut root = serde_json::Map::new();
        for key in ["properties", "required", "additionalProperties", "patternProperties", "oneOf", "anyOf", "allOf", "dependencies", "dependentRequired", "dependentExcluded", "requiredXor", "requiredOr"] {
            if let Some(v) = schema.get(key) {
                root.insert(key.to_string(), v.clone());
            }
        }
        // Read-only properties are outputs, not inputs: not part of what a template may set.
        if let (Some(ro), Some(Value::Object(props))) = (schema.get("readOnlyProperties").and_then(Value::as_array), root.get_mut("properties")) {
            for p in ro.iter().filter_map(Value::as_str).filter_map(|p| p.strip_prefix("/properties/")) {
                if !p.contains('/') {
                    props.remove(p);
                }
            }
        }
        // What may begin a `Fn::GetAtt` attribute: read-only properties (`Endpoint.Address`
        // begins with `Endpoint`) and, since some older types return writable ones too (a VPC's
        // `CidrBlock`), every property.
        let read_only = crate::strs(schema.get("readOnlyProperties"));
        let mut heads: Vec<String> = read_only
            .iter()
            .filter_map(|p| p.strip_prefix("/properties/"))
            .filter_map(|p| p.split('/').next())
            .map(str::to_string)
            .chain(schema.get("properties").and_then(Value::as_object).into_iter().flat_map(|m| m.keys().cloned()))
            .collect();
        heads.sort();
        heads.dedup();
        let n = enc.node(&mut t, &Value::Object(root));
        for (at, def) in t.patches {
            let target = t.defs.get(&def).copied().unwrap_or(u32::MAX);
            if let Some(w) = enc.words.get_mut(at) {
                *w = target;
            }
        }
        // The physical name a template sets, which must be unique: every part writable.
        let parts = crate::strs(schema.get("primaryIdentifier"));
        let identifier: Vec<String> = if parts.iter().all(|p| !read_only.contains(p) && p.strip_prefix("/properties/").is_some_and(|x| !x.contains('/'))) {
            parts.iter().filter_map(|p| p.strip_prefix("/properties/")).map(str::to_string).collect()
        } else {
            Vec::new()
        };
        // Top-level read-only properties: a template that sets one is ignored there.
        let mut top_read_only: Vec<String> = read_only.iter().filter_map(|p| p.strip_prefix("/properties/")).filter(|p| !p.contains('/')).map(str::to_string).collect();
        top_read_only.sort();
        top_read_only.dedup();
        let mut runs = [0u32; 3];
        for (slot, names) in runs.iter_mut().zip([&heads, &identifier, &top_read_only]) {
            *slot = u(enc.words.len());
            enc.words.push(u(names.len()));
            for h in names {
                let (o, l) = enc.string(h);
                enc.words.extend([o, l]);
            }
        }
        let (o, l) = enc.string(name);
        table.extend([o, l, n, runs[0], runs[1], runs[2]]);
    }
    for (i, w) in table.into_iter().enumerate() {
        if let Some(slot) = enc.words.get_mut(i) {
            *slot = w;
        }
    }
    let mut bytes = Vec::with_capacity(enc.words.len() * 4);
    for w in &enc.words {
        bytes.extend(w.to_le_bytes());
    }
    let slots = (types.len() * 2).next_power_of_two();
    let mut index = vec![0u32; slots];
    for (i, name) in types.iter().enumerate() {
        let mut at = type_hash(name) as usize & (slots - 1);
        while index[at] != 0 {
            at = (at + 1) & (slots - 1);
        }
        index[at] = u(i + 1);
    }
    Ok(Tables { words: bytes, strings: enc.strings, index: index.iter().flat_map(|w| w.to_le_bytes()).collect() })
}
