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
//! A node is a mask word (bit `t` set for each tag `t` the node has) followed by one payload
//! word for each tag it has, in tag order, so the reader finds a keyword from the mask alone
//! (the number of bits below its own), without decoding the node. What takes more than a word
//! (a string, an `f64`, a literal) is elsewhere in the words and the payload is its word
//! index; what varies in length (enum members, properties, names, nodes of a combinator) is a
//! run, `count, records...`. Node references are word indexes. A string is `(offset, len)` in bytes
//! into the pool; a literal (enum member, const) is three words: kind ([`LIT_STR`], ...) and two
//! payload words. `$ref`s to definitions are resolved to the definition's node, so recursive
//! schemas are cycles in the node graph.

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
    /// No tag: what the reader sees past the end of the words.
    END = 0,
    /// One word: a mask of [`T_STRING`], [`T_INTEGER`], ...
    TYPES = 1,
    /// A run of literals.
    ENUM = 2,
    /// Like [`ENUM`], compared without case.
    ENUM_NOCASE = 3,
    /// The word index of a string (offset, length): the regular expression.
    PATTERN = 4,
    /// One word each.
    MIN_LENGTH = 5,
    MAX_LENGTH = 6,
    /// The word index of an `f64`, two words (low, high), each.
    MINIMUM = 7,
    MAXIMUM = 8,
    EXCLUSIVE_MINIMUM = 9,
    EXCLUSIVE_MAXIMUM = 10,
    /// One word each.
    MIN_ITEMS = 11,
    MAX_ITEMS = 12,
    /// Its payload word is 0.
    UNIQUE_ITEMS = 13,
    /// A node.
    ITEMS = 14,
    /// A run of (name string, node) pairs, sorted by name.
    PROPERTIES = 15,
    /// `additionalProperties: false`; its payload word is 0.
    NO_ADDITIONAL = 16,
    /// A node: `additionalProperties` as a schema.
    ADDITIONAL = 17,
    /// A run of (pattern string, node) pairs.
    PATTERN_PROPERTIES = 18,
    /// A run of names.
    REQUIRED = 19,
    /// A run of nodes.
    ONE_OF = 20,
    ANY_OF = 21,
    ALL_OF = 22,
    /// A node whose checks apply here too (`$ref`).
    REF = 23,
    /// A node that must not match.
    NOT = 24,
    /// The word index of a literal.
    CONST = 25,
    /// One word each.
    MIN_PROPERTIES = 26,
    MAX_PROPERTIES = 27,
    /// A run of (name, count, names...): if the name is present, so must the names be.
    DEPENDENT_REQUIRED = 28,
    /// Same shape: if the name is present, none of the names may be.
    DEPENDENT_EXCLUDED = 29,
    /// A run of names: exactly one of them must be present (cfn-lint's `requiredXor`).
    REQUIRED_XOR = 30,
    /// A run of names: at least one of them must be present (cfn-lint's `requiredOr`).
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

/// The compiled tables: the words, the string pool, and the type index: a power-of-two number
/// of slots, each 0 or a type's ordinal plus one, placed by [`type_hash`] with linear probing.
pub struct Tables {
    pub words: Vec<u32>,
    pub strings: String,
    pub index: Vec<u32>,
}

/// `words` as the Rust source of a static array named `name`, for the reader to include: read
/// as `u32`s where they are, with no bytes to assemble.
pub fn words_rust(name: &str, words: &[u32]) -> String {
    let mut s = String::from(crate::HEADER);
    s.push_str(&format!("pub(crate) static {name}: [u32; {}] = [", words.len()));
    for (i, w) in words.iter().enumerate() {
        if i % 32 == 0 {
            s.push('\n');
        }
        s.push_str(&w.to_string());
        s.push(',');
    }
    s.push_str("\n];\n");
    s
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

    /// Appends a run (`count`, then the records) to the words; returns its word index.
    fn run(&mut self, count: usize, records: Vec<u32>) -> u32 {
        let at = u(self.words.len());
        self.words.push(u(count));
        self.words.extend(records);
        at
    }

    /// The `(offset, len)` words of the names in `v` (an array of strings), and how many.
    fn name_words(&mut self, v: &Value) -> (usize, Vec<u32>) {
        let names: Vec<&str> = v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let mut words = Vec::with_capacity(names.len() * 2);
        for n in &names {
            let (o, l) = self.string(n);
            words.extend([o, l]);
        }
        (names.len(), words)
    }

    /// A run of the names in `v`.
    fn names(&mut self, v: &Value) -> u32 {
        let (count, words) = self.name_words(v);
        self.run(count, words)
    }

    /// Appends words that do not fit a payload; returns their word index.
    fn out_of_line(&mut self, words: [u32; 2]) -> u32 {
        let at = u(self.words.len());
        self.words.extend(words);
        at
    }

    /// Compiles one schema node (its children first) and returns its word index.
    fn node(&mut self, t: &mut TypeState<'_>, v: &Value) -> u32 {
        // The payload of each tag the node has.
        let mut fields: Vec<(u32, u32)> = Vec::new();
        // A `$ref` to a definition still being compiled: patched once it is.
        let mut pending_ref: Option<String> = None;
        let Some(m) = v.as_object() else {
            // `true` or anything else that is not a schema object accepts everything.
            return self.emit(fields, pending_ref, t);
        };
        if let Some(r) = m.get("$ref").and_then(Value::as_str) {
            if let Some(name) = r.strip_prefix("#/definitions/") {
                let target = match t.defs.get(name) {
                    Some(n) => Some(*n),
                    None => t.schema.get("definitions").and_then(|d| d.get(name)).map(|def| {
                        // Reserve the name (patched later) so recursion terminates.
                        t.defs.insert(name.to_string(), u32::MAX);
                        let n = self.node(t, def);
                        t.defs.insert(name.to_string(), n);
                        n
                    }),
                };
                if let Some(n) = target {
                    fields.push((REF, n));
                    if n == u32::MAX {
                        pending_ref = Some(name.to_string());
                    }
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
                fields.push((TYPES, mask));
            }
        }
        if let Some(Value::Array(items)) = m.get("enum") {
            let tag = if m.get("enumCaseInsensitive").and_then(Value::as_bool) == Some(true) { ENUM_NOCASE } else { ENUM };
            let mut records = Vec::with_capacity(items.len() * 3);
            for i in items {
                self.literal(i, &mut records);
            }
            let run = self.run(items.len(), records);
            fields.push((tag, run));
        }
        if let Some(lit) = m.get("const") {
            let mut words = Vec::with_capacity(3);
            self.literal(lit, &mut words);
            let at = u(self.words.len());
            self.words.extend(words);
            fields.push((CONST, at));
        }
        if let Some(p) = m.get("pattern").and_then(Value::as_str) {
            let (o, l) = self.string(p);
            let at = self.out_of_line([o, l]);
            fields.push((PATTERN, at));
        }
        for (key, tag) in [("minLength", MIN_LENGTH), ("maxLength", MAX_LENGTH), ("minItems", MIN_ITEMS), ("maxItems", MAX_ITEMS), ("minProperties", MIN_PROPERTIES), ("maxProperties", MAX_PROPERTIES)] {
            if let Some(n) = m.get(key).and_then(Value::as_u64) {
                fields.push((tag, u32::try_from(n).unwrap_or(u32::MAX)));
            }
        }
        for (key, tag) in [("minimum", MINIMUM), ("maximum", MAXIMUM), ("exclusiveMinimum", EXCLUSIVE_MINIMUM), ("exclusiveMaximum", EXCLUSIVE_MAXIMUM)] {
            if let Some(x) = m.get(key).and_then(Value::as_f64) {
                let bits = x.to_bits();
                let at = self.out_of_line([bits as u32, (bits >> 32) as u32]);
                fields.push((tag, at));
            }
        }
        if m.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            fields.push((UNIQUE_ITEMS, 0));
        }
        if let Some(items) = m.get("items").filter(|i| i.is_object()) {
            let n = self.node(t, items);
            fields.push((ITEMS, n));
        }
        if let Some(props) = m.get("properties").and_then(Value::as_object) {
            // Sorted by name, so the validator finds a property by binary search.
            let mut sorted: Vec<(&String, &Value)> = props.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            let mut records = Vec::with_capacity(sorted.len() * 3);
            for (name, schema) in sorted {
                let n = self.node(t, schema);
                let (o, l) = self.string(name);
                records.extend([o, l, n]);
            }
            let run = self.run(props.len(), records);
            fields.push((PROPERTIES, run));
        }
        if let Some(props) = m.get("patternProperties").and_then(Value::as_object) {
            let mut records = Vec::with_capacity(props.len() * 3);
            for (pattern, schema) in props {
                let n = self.node(t, schema);
                let (o, l) = self.string(pattern);
                records.extend([o, l, n]);
            }
            let run = self.run(props.len(), records);
            fields.push((PATTERN_PROPERTIES, run));
        }
        match m.get("additionalProperties") {
            Some(Value::Bool(false)) => fields.push((NO_ADDITIONAL, 0)),
            Some(schema @ Value::Object(_)) => {
                let n = self.node(t, schema);
                fields.push((ADDITIONAL, n));
            }
            _ => {}
        }
        for (key, tag) in [("required", REQUIRED), ("requiredXor", REQUIRED_XOR), ("requiredOr", REQUIRED_OR)] {
            if let Some(r) = m.get(key) {
                let run = self.names(r);
                fields.push((tag, run));
            }
        }
        for (key, tag) in [("oneOf", ONE_OF), ("anyOf", ANY_OF), ("allOf", ALL_OF)] {
            if let Some(Value::Array(subs)) = m.get(key) {
                let nodes: Vec<u32> = subs.iter().map(|s| self.node(t, s)).collect();
                let run = self.run(nodes.len(), nodes);
                fields.push((tag, run));
            }
        }
        if let Some(not) = m.get("not").filter(|n| n.is_object()) {
            let n = self.node(t, not);
            fields.push((NOT, n));
        }
        // `dependencies` (array form) and `dependentRequired` mean the same; `dependentExcluded`
        // is cfn-lint's. Schema-form dependencies are not compiled (they do not occur as such).
        let mut dependencies: [(u32, usize, Vec<u32>); 2] = [(DEPENDENT_REQUIRED, 0, Vec::new()), (DEPENDENT_EXCLUDED, 0, Vec::new())];
        for (key, slot) in [("dependencies", 0), ("dependentRequired", 0), ("dependentExcluded", 1)] {
            let Some(deps) = m.get(key).and_then(Value::as_object) else { continue };
            for (name, names) in deps.iter().filter(|(_, v)| v.is_array()) {
                let (o, l) = self.string(name);
                let (count, words) = self.name_words(names);
                let (_, n, records) = &mut dependencies[slot];
                *n += 1;
                records.extend([o, l, u(count)]);
                records.extend(words);
            }
        }
        for (tag, count, records) in dependencies {
            if count > 0 {
                let run = self.run(count, records);
                fields.push((tag, run));
            }
        }
        self.emit(fields, pending_ref, t)
    }

    /// Writes a node: its mask, then each tag's payload word in tag order. Returns its word
    /// index.
    fn emit(&mut self, mut fields: Vec<(u32, u32)>, pending_ref: Option<String>, t: &mut TypeState<'_>) -> u32 {
        // A node that is only a `$ref` to a finished definition is that definition.
        if let ([(REF, target)], None) = (fields.as_slice(), &pending_ref) {
            return *target;
        }
        fields.sort_by_key(|(tag, _)| *tag);
        let at = self.words.len();
        self.words.push(fields.iter().fold(0, |mask, (tag, _)| mask | 1 << tag));
        for (tag, payload) in fields {
            if tag == REF {
                if let Some(name) = &pending_ref {
                    t.patches.push((self.words.len(), name.clone()));
                }
            }
            self.words.push(payload);
        }
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
    let slots = (types.len() * 2).next_power_of_two();
    let mut index = vec![0u32; slots];
    for (i, name) in types.iter().enumerate() {
        let mut at = type_hash(name) as usize & (slots - 1);
        while index[at] != 0 {
            at = (at + 1) & (slots - 1);
        }
        index[at] = u(i + 1);
    }
    Ok(Tables { words: enc.words, strings: enc.strings, index })
}
