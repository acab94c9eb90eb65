//! Validation of resource properties against the CloudFormation registry schemas (the ones
//! cfn-lint bundles, vendored in `codegen/schemas`), compiled at build time into tables
//! (the private `tables` module) so that nothing is parsed when a template is checked.
//!
//! What is checked where the value is known: property names (where the schema allows no
//! others), required properties and requirement sets (`oneOf`/`anyOf`, cfn-lint's `requiredXor`,
//! `dependentRequired`, `dependentExcluded`), JSON types (with CloudFormation's scalar
//! conversions: `"5"` is an integer, `5` a string), enums, patterns, string lengths, number
//! ranges, array lengths and `uniqueItems`. An intrinsic function is checked only for the kind
//! of value it yields (`Fn::Join` is a string, `Fn::Split` a list, a `Ref` what its target
//! yields); `Fn::If` is checked on both
//! branches; anything else it could resolve to is not guessed, nor is a string holding a dynamic
//! reference (`{{resolve:ssm:...}}`).

mod tables;

use ironcdk_template::value::{ElementRef, Pseudo, Value};
use ironcdk_template::hash::{HashMap, IndexMap};
use tables::{tag, Literal, Node};

/// One place where a resource's properties break its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where, from the resource: `Properties.VpcConfig.SubnetIds[0]`.
    pub path: String,
    /// What is wrong and what the schema allows.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Found only in a branch of an `Fn::If`: it breaks the schema when that branch is taken.
    pub conditional: bool,
    /// Not refused: a read-only property the template sets, which CloudFormation ignores.
    pub ignored: bool,
}

/// Properties where a template may hold a local path instead of the value, for
/// `aws cloudformation package` to upload and replace: not checked while they are a string.
const PACKAGED: &[(&str, &str)] = &[
    ("AWS::Lambda::Function", "Code"),
    ("AWS::Lambda::LayerVersion", "Content"),
    ("AWS::ApiGateway::RestApi", "BodyS3Location"),
    ("AWS::StepFunctions::StateMachine", "DefinitionS3Location"),
    ("AWS::ElasticBeanstalk::ApplicationVersion", "SourceBundle"),
    ("AWS::CodeCommit::Repository", "Code"),
    ("AWS::AppSync::GraphQLSchema", "DefinitionS3Location"),
    ("AWS::AppSync::Resolver", "RequestMappingTemplateS3Location"),
    ("AWS::AppSync::Resolver", "ResponseMappingTemplateS3Location"),
    ("AWS::AppSync::FunctionConfiguration", "RequestMappingTemplateS3Location"),
    ("AWS::AppSync::FunctionConfiguration", "ResponseMappingTemplateS3Location"),
    ("AWS::AppSync::FunctionConfiguration", "CodeS3Location"),
    ("AWS::AppSync::Resolver", "CodeS3Location"),
    ("AWS::CloudFormation::Stack", "TemplateURL"),
];

/// How many resource types the compiled schemas hold.
pub fn known_types() -> usize {
    tables::type_count()
}

/// True when the registry schemas know the resource type.
pub fn knows(type_name: &str) -> bool {
    tables::resource(type_name).is_some()
}

/// The properties of a type's primary identifier when a template sets them all (a bucket's
/// `BucketName`, a log group's `LogGroupName`): two resources of the type with the same values
/// in one account and region are the same resource, which CloudFormation refuses to create
/// twice. Empty when the identifier is generated (any part read-only) or the type is unknown.
pub fn identifier(type_name: &str, lookups: &mut Lookups) -> Vec<&'static str> {
    identifier_names(type_name, lookups).collect()
}

/// [`identifier`]'s names, without a vector made for them.
pub(crate) fn identifier_names(type_name: &str, lookups: &mut Lookups) -> impl Iterator<Item = &'static str> + Clone {
    lookups.type_record(type_name).map(|r| r.identifier).into_iter().flat_map(tables::names)
}

/// Why `attribute` cannot be a `Fn::GetAtt` attribute of a `type_name` resource, or `None`
/// when it can or that is not known. Lenient on purpose: an attribute is taken when its first
/// segment is any read-only property or any property of the type (some older types return
/// writable properties too, and `Endpoint.Address` is judged by `Endpoint`); custom resources,
/// modules, transforms' types and nested stacks' `Outputs.*` take anything.
pub fn attribute_problem(type_name: &str, attribute: &str, lookups: &mut Lookups) -> Option<String> {
    if type_name == "AWS::CloudFormation::Stack" && attribute.starts_with("Outputs.") {
        return None;
    }
    let run = lookups.type_record(type_name)?.attribute_heads;
    let head = attribute.split('.').next().unwrap_or(attribute);
    if tables::names_hold(run, head) {
        return None;
    }
    let nearest = tables::names(run).map(|h| (distance(&head.to_ascii_lowercase(), &h.to_ascii_lowercase()), h)).min();
    let hint = match nearest {
        Some((d, h)) if d <= 2.max(head.len() / 3) => format!("; did you mean {h}?"),
        _ => String::new(),
    };
    Some(format!("{type_name} has no attribute {attribute}{hint}"))
}

/// What one run over many resources looks up once: compiled patterns (a pattern the engine
/// cannot compile is not checked) and where each resource type's tables are.
#[derive(Default)]
pub struct Lookups {
    /// By where the pattern's text is (its address and length): hashing two numbers rather
    /// than the text.
    compiled: HashMap<(usize, usize), Matcher>,
    /// What the regular-expression engine answered, by pattern and text: property names
    /// matched against a schema's name patterns repeat in every resource of a type, and the
    /// engine takes a thousand steps where a lookup takes fifty.
    regex_answers: HashMap<(usize, usize), HashMap<String, bool>>,
    /// How many answers `regex_answers` holds.
    answers: usize,
    /// The types seen, most runs touch a few dozen: a short list beats hashing their names.
    types: Vec<tables::TypeRecord>,
    /// Property names looked up so far, with the properties run they were looked up in (one
    /// map: a lookup hashes once).
    properties: IndexMap<(usize, Box<str>), Found>,
    /// The record each property was found at, by properties run and the property's place
    /// among its object's keys: resources of a type list their properties in the same order,
    /// so the next one's name is compared with one record rather than searched for or hashed.
    placed: HashMap<(usize, usize), usize>,
    /// The literal of each enum (by run) a string was last found to be: the next value of the
    /// property is usually the same one.
    enum_hits: HashMap<usize, usize>,
    /// Resources validated so far: the caches above pay off only over many of them.
    validated: usize,
    /// The room of the last resource's path, kept for the next one (empty between them).
    path: Vec<Seg<'static>>,
}

/// A property found in a properties run: its record's place and its node (see
/// [`tables::property_record`]).
type Found = Option<(usize, Option<usize>)>;

/// Resources validated before [`Lookups`] starts keeping property names and pattern answers.
const CACHE_AFTER: usize = 64;

/// How many property names [`Lookups`] keeps: a bound on what a template of made-up property
/// names can make it hold.
const REMEMBERED_NAMES: usize = 4096;

/// How many property places [`Lookups`] keeps (only of properties found, so of the schemas'
/// own names): a bound for a template of very many differently ordered objects.
const REMEMBERED_PLACES: usize = 16_384;

/// A properties run and a name, to look up a kept `(run, name)` without making the key.
#[derive(Hash)]
struct PropertyKey<'a>(usize, &'a str);

impl indexmap::Equivalent<(usize, Box<str>)> for PropertyKey<'_> {
    fn equivalent(&self, key: &(usize, Box<str>)) -> bool {
        self.0 == key.0 && self.1 == &*key.1
    }
}

/// How many regular-expression answers [`Lookups`] keeps (of texts up to 128 bytes): a bound
/// on what a template of made-up names can make it hold.
const REMEMBERED_ANSWERS: usize = 4096;

/// How many types [`Lookups`] remembers; past that the tables are searched.
const REMEMBERED_TYPES: usize = 48;

/// A compiled pattern. Most of the schemas' patterns are one character class repeated
/// (`^[a-zA-Z0-9-]{1,64}$`); those are matched without the regular-expression engine.
enum Matcher {
    /// `word`: the class holds `\\w`, which in Python also takes any Unicode letter or digit.
    Class { ascii: [bool; 128], word: bool, min: usize, max: usize },
    Regex(regex_lite::Regex),
    /// `.+` or `.{1,}`, unanchored: a character other than a line break somewhere.
    AnyLine,
    Unsupported,
}

impl Matcher {
    fn new(pattern: &str) -> Matcher {
        if let Some(m) = simple_class(pattern) {
            return m;
        }
        if matches!(pattern, ".+" | ".{1,}") {
            return Matcher::AnyLine;
        }
        if beyond_the_engine(pattern) {
            return Matcher::Unsupported;
        }
        // The schemas' patterns are Python's: `\Z` is the end of the text, `\uXXXX` a code point.
        match regex_lite::Regex::new(&python_to_rust(pattern)) {
            Ok(r) => Matcher::Regex(r),
            Err(_) => Matcher::Unsupported,
        }
    }

    fn matches(&self, s: &str) -> Option<bool> {
        match self {
            Matcher::Class { ascii, word, min, max } => {
                let mut n = 0usize;
                for c in s.chars() {
                    let ok = match ascii.get(c as usize) {
                        Some(ok) => *ok,
                        None => *word && c.is_alphanumeric(),
                    };
                    if !ok {
                        return Some(false);
                    }
                    n = n.saturating_add(1);
                }
                Some(n >= *min && n <= *max)
            }
            Matcher::Regex(r) => Some(r.is_match(s)),
            Matcher::AnyLine => Some(s.chars().any(|c| c != '\n')),
            Matcher::Unsupported => None,
        }
    }
}

/// Whether `p` uses what the regular-expression engine refuses to compile (look-around, Unicode
/// classes `\p`/`\P`, a `[` inside a class, which Python takes as itself and the engine as a
/// nested class): known without trying, which costs as much as compiling.
fn beyond_the_engine(p: &str) -> bool {
    let mut chars = p.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if matches!(chars.next(), Some('p' | 'P')) {
                    return true;
                }
            }
            '(' if !in_class && ["?=", "?!", "?<=", "?<!"].iter().any(|look| chars.as_str().starts_with(look)) => return true,
            // An ASCII class (`[[:alpha:]]`) is the engine's own.
            '[' if in_class && !chars.as_str().starts_with(':') => return true,
            '[' if !in_class => {
                in_class = true;
                // A `]` (after a `^`) first in a class is itself.
                let rest = chars.as_str();
                let skip = usize::from(rest.starts_with('^'));
                if rest.get(skip..).is_some_and(|r| r.starts_with(']')) {
                    for _ in 0..=skip {
                        chars.next();
                    }
                }
            }
            ']' if in_class => in_class = false,
            _ => {}
        }
    }
    false
}

/// `^[set]*$`, `^[set]+$` or `^[set]{m,n}$` (`$` also `\Z` or `\z`) over ASCII letters,
/// digits, plain punctuation, `\-` escapes and `a-z` ranges: the set as a table. Anything else
/// (negation, classes like `\w`, non-ASCII) is left to the regular-expression engine.
fn simple_class(p: &str) -> Option<Matcher> {
    let body = p.strip_prefix("^[")?;
    let (set, rest) = body.split_once(']')?;
    let quant = rest.strip_suffix('$').or_else(|| rest.strip_suffix("\\Z")).or_else(|| rest.strip_suffix("\\z"))?;
    let (min, max) = match quant {
        "*" => (0, usize::MAX),
        "+" => (1, usize::MAX),
        q => {
            let inner = q.strip_prefix('{')?.strip_suffix('}')?;
            match inner.split_once(',') {
                Some((a, b)) => (a.parse().ok()?, if b.is_empty() { usize::MAX } else { b.parse().ok()? }),
                None => {
                    let n = inner.parse().ok()?;
                    (n, n)
                }
            }
        }
    };
    if set.starts_with('^') || set.is_empty() {
        return None;
    }
    let chars: Vec<char> = set.chars().collect();
    let mut items: Vec<char> = Vec::new();
    let mut i = 0usize;
    let mut ascii = [false; 128];
    let mut word = false;
    while let Some(&c) = chars.get(i) {
        let (lit, next) = match c {
            '\\' if matches!(chars.get(i.saturating_add(1)), Some('w') | Some('d')) && chars.get(i.saturating_add(2)) != Some(&'-') => {
                let w = chars.get(i.saturating_add(1)) == Some(&'w');
                let letters: &[u8] = if w { b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" } else { b"" };
                for x in b"0123456789".iter().chain(letters) {
                    if let Some(slot) = ascii.get_mut(usize::from(*x)) {
                        *slot = true;
                    }
                }
                if w {
                    word = true;
                    items.push('_');
                }
                i = i.saturating_add(2);
                continue;
            }
            '\\' => match chars.get(i.saturating_add(1)) {
                Some(&e) if "-.\\/_+=@:,#*&$!%~'\"()[]{}|?^ ".contains(e) => (e, i.saturating_add(2)),
                _ => return None,
            },
            '[' => return None,
            c if c.is_ascii() && !c.is_ascii_control() => (c, i.saturating_add(1)),
            _ => return None,
        };
        // A range `a-z`; a `-` last in the set is itself.
        if chars.get(next) == Some(&'-') {
            if let Some(&hi) = chars.get(next.saturating_add(1)) {
                if hi == '\\' || hi == '[' || !hi.is_ascii() || hi < lit {
                    return None;
                }
                for x in lit..=hi {
                    if let Some(slot) = ascii.get_mut(x as usize) {
                        *slot = true;
                    }
                }
                i = next.saturating_add(2);
                continue;
            }
        }
        items.push(lit);
        i = next;
    }
    for c in items {
        if let Some(slot) = ascii.get_mut(c as usize) {
            *slot = true;
        }
    }
    Some(Matcher::Class { ascii, word, min, max })
}

impl Lookups {
    /// The node of property `name`, the key at `place` of its object, in `run` (see
    /// [`tables::property_record`]): past the first resources, the record found at that place
    /// last time if it names `name`, else a lookup kept once.
    fn property(&mut self, run: tables::Run, place: usize, name: &str) -> Option<Option<usize>> {
        if self.validated < CACHE_AFTER {
            return tables::property_record(run, name).map(|(_, node)| node);
        }
        let at = (run.start(), place);
        if let Some(found) = self.placed.get(&at).and_then(|k| tables::property_if_named(run, *k, name)) {
            return Some(found);
        }
        let found = self.property_record(run, name);
        if let Some((k, _)) = found {
            if self.placed.len() < REMEMBERED_PLACES {
                self.placed.insert(at, k);
            }
        }
        found.map(|(_, node)| node)
    }

    /// [`tables::holds_text`]: past the first resources, the literal found last in this enum
    /// first.
    fn holds_text(&mut self, run: tables::Run, text: &str) -> bool {
        if self.validated < CACHE_AFTER {
            return tables::holds_text(run, text);
        }
        if self.enum_hits.get(&run.start()).is_some_and(|k| tables::literal_is_text(run, *k, text)) {
            return true;
        }
        let found = tables::text_at(run, text);
        if let Some(k) = found {
            if self.enum_hits.len() < REMEMBERED_PLACES {
                self.enum_hits.insert(run.start(), k);
            }
        }
        found.is_some()
    }

    /// [`tables::property_record`], looked up once.
    fn property_record(&mut self, run: tables::Run, name: &str) -> Found {
        let key = PropertyKey(run.start(), name);
        if let Some(found) = self.properties.get(&key) {
            return *found;
        }
        let found = tables::property_record(run, name);
        if self.properties.len() < REMEMBERED_NAMES {
            self.properties.insert((run.start(), name.into()), found);
        }
        found
    }

    fn matches(&mut self, pattern: &'static str, s: &str) -> Option<bool> {
        let at = (pattern.as_ptr() as usize, pattern.len());
        let matcher = self.compiled.entry(at).or_insert_with(|| Matcher::new(pattern));
        if !matches!(matcher, Matcher::Regex(_)) || self.validated < CACHE_AFTER {
            return matcher.matches(s);
        }
        let answers = self.regex_answers.entry(at).or_default();
        if let Some(answer) = answers.get(s) {
            return Some(*answer);
        }
        let answer = matcher.matches(s);
        if let Some(a) = answer.filter(|_| self.answers < REMEMBERED_ANSWERS && s.len() <= 128) {
            answers.insert(s.to_string(), a);
            self.answers = self.answers.saturating_add(1);
        }
        answer
    }

    /// The tables of a type the registry knows.
    fn type_record(&mut self, type_name: &str) -> Option<tables::TypeRecord> {
        if let Some(r) = self.types.iter().find(|r| r.name == type_name) {
            return Some(*r);
        }
        let r = tables::type_record(type_name)?;
        if self.types.len() < REMEMBERED_TYPES {
            self.types.push(r);
        }
        Some(r)
    }
}

/// Rewrites the Python regular-expression escapes the schemas use that the engine spells
/// otherwise; what it cannot express (look-around, Unicode classes) fails to compile and is not
/// checked.
fn python_to_rust(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Z') => out.push_str("\\z"),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push_str(&format!("\\x{{{hex}}}"));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Validates a resource's `Properties` (`None` when it has none) against its type's schema.
/// `None` when the registry does not know the type.
///
/// `refs` tells what a `Ref` yields ([`Yields`]: a list parameter a list, anything else a
/// string), or `None` where that is not known.
pub fn validate(type_name: &str, properties: Option<&Value>, lookups: &mut Lookups, refs: &dyn Fn(&ElementRef) -> Option<Yields>) -> Option<Vec<Violation>> {
    let record = lookups.type_record(type_name)?;
    let root = record.root?;
    lookups.validated = lookups.validated.saturating_add(1);
    // Made only when a resource has no properties (dropping a value is not free).
    let empty;
    let properties = match properties {
        Some(p) => p,
        None => {
            empty = Value::Map(ironcdk_template::value::Map::new());
            &empty
        }
    };
    let mut path = recycled(std::mem::take(&mut lookups.path));
    if path.capacity() == 0 {
        path.reserve(16);
    }
    path.push(Seg::Key("Properties"));
    let mut v = Validator { type_name, read_only: record.read_only, path, out: Vec::new(), unknown: false, branches: 0, failures: 0, quiet: false, lookups, refs };
    v.check(root, properties, 0);
    let Validator { path, out, lookups, .. } = v;
    lookups.path = recycled(path);
    Some(out)
}

/// `path` emptied, for segments of another lifetime: the same room, not a new allocation (the
/// standard library collects an emptied vector's iterator in place).
fn recycled<'b>(mut path: Vec<Seg<'_>>) -> Vec<Seg<'b>> {
    path.clear();
    path.into_iter().map(|_| Seg::Index(0)).collect()
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// How deep schema references may chain on one value (recursive schemas terminate on the value,
/// which the loader bounds; this guards against a reference cycle that does not descend).
const MAX_DEPTH: u32 = 256;

struct Validator<'a, 'p> {
    type_name: &'a str,
    /// The type's top-level read-only properties.
    read_only: tables::Run,
    path: Vec<Seg<'a>>,
    /// How many `Fn::If` branches the value being checked is inside.
    branches: u32,
    /// Violations counted (the words are kept in `out` unless `quiet`).
    failures: usize,
    /// Set while alternatives are tried.
    quiet: bool,
    out: Vec<Violation>,
    /// Set when a check was skipped because a value is only known at deploy.
    unknown: bool,
    lookups: &'p mut Lookups,
    refs: &'p dyn Fn(&ElementRef) -> Option<Yields>,
}

/// What a `Ref` yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yields {
    /// A string: a resource's `Ref`, a `String` or `Number` parameter.
    String,
    /// A list: a `CommaDelimitedList` or `List<...>` parameter.
    List,
}

impl Yields {
    /// What a `Ref` to a parameter of this `Type` yields.
    pub fn of_parameter_type(t: &str) -> Yields {
        let t = t.trim();
        let inner = t.strip_prefix("AWS::SSM::Parameter::Value<").and_then(|x| x.strip_suffix('>')).unwrap_or(t);
        if inner == "CommaDelimitedList" || inner.starts_with("List<") {
            Yields::List
        } else {
            Yields::String
        }
    }
}

fn types_text(mask: u32) -> String {
    let names: Vec<&str> = [
        (tag::T_STRING, "a string"),
        (tag::T_INTEGER, "an integer"),
        (tag::T_NUMBER, "a number"),
        (tag::T_BOOLEAN, "a boolean"),
        (tag::T_ARRAY, "a list"),
        (tag::T_OBJECT, "an object"),
        (tag::T_NULL, "null"),
    ]
    .iter()
    .filter(|(bit, _)| mask & bit != 0)
    .map(|(_, n)| *n)
    .collect();
    names.join(" or ")
}

/// True when a string holds a dynamic reference, `{{resolve:...}}` (spaces allowed inside the
/// braces).
fn is_dynamic_reference(text: &str) -> bool {
    // Most strings hold no brace: a byte scan settles them without a substring searcher.
    text.as_bytes().contains(&b'{') && text.match_indices("{{").any(|(i, _)| text.get(i.saturating_add(2)..).is_some_and(|rest| rest.trim_start().starts_with("resolve:")))
}

fn is_no_value(v: &Value) -> bool {
    matches!(v, Value::Pseudo(Pseudo::NoValue))
}

/// A map something resolves before the resource is created: a function the reader does not
/// model (`Fn::Transform`, `Fn::Length`) or a pre-processor's directive (`Rain::Embed`). No
/// property name holds `::`.
fn is_unmodelled_function(m: &ironcdk_template::value::Map) -> bool {
    // A byte scan for `::`: the substring searcher's set-up costs more than these short keys.
    m.len() == 1 && m.keys().any(|k| k.as_bytes().windows(2).any(|w| w == b"::") || k == "Ref" || k == "Condition")
}

fn literal_text(l: Literal) -> String {
    match l {
        Literal::Str(s) => s.to_string(),
        Literal::Num(n) => format_number(n),
        Literal::Bool(b) => b.to_string(),
        Literal::Other => "null".into(),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        #[allow(clippy::cast_precision_loss)]
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

fn literal_matches(l: Literal, v: &Value, nocase: bool) -> bool {
    match (l, v) {
        (Literal::Str(a), Value::Str(b)) => if nocase { a.eq_ignore_ascii_case(b) } else { a == b },
        (Literal::Str(a), Value::Int(_) | Value::Float(_)) => number_of(&Value::Str((*a).into())) == number_of(v),
        (Literal::Str(a), Value::Bool(b)) => a.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        (Literal::Num(a), _) => number_of(v) == Some(a),
        (Literal::Bool(a), Value::Bool(b)) => a == *b,
        (Literal::Bool(a), Value::Str(b)) => b.eq_ignore_ascii_case(if a { "true" } else { "false" }),
        _ => false,
    }
}

/// Edit distance, for "did you mean" (names are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i.saturating_add(1)];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0).saturating_add(usize::from(ca != *cb));
            let del = prev.get(j.saturating_add(1)).copied().unwrap_or(0).saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(0).saturating_add(1);
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

impl<'a> Validator<'a, '_> {
    fn path_text(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// Records a violation; `describe` gives its message and fix, and is not called while
    /// alternatives are only being tried (which needs the count, not the words).
    fn fail(&mut self, describe: impl FnOnce(&Self) -> (String, String)) {
        self.failures = self.failures.saturating_add(1);
        self.record(false, describe);
    }

    /// Records what `describe` says at the current path; `ignored` for what CloudFormation
    /// ignores rather than refuses (not a failure: alternatives being tried do not count it).
    /// Rare (a template with a problem): kept out of the validating code.
    #[cold]
    #[inline(never)]
    fn record(&mut self, ignored: bool, describe: impl FnOnce(&Self) -> (String, String)) {
        if self.quiet {
            return;
        }
        let (message, fix) = describe(self);
        let path = self.path_text();
        self.out.push(Violation { path, message, fix, conditional: self.branches > 0, ignored });
    }

    fn child(&mut self, seg: Seg<'a>, node: Option<usize>, v: &'a Value, depth: u32) {
        let Some(node) = node else { return };
        self.path.push(seg);
        self.check(node, v, depth.saturating_add(1));
        self.path.pop();
    }

    /// Runs `node` on `v` apart: (how many violations, whether anything was unknown). With
    /// `words`, also the violations themselves.
    fn trial(&mut self, node: Option<usize>, v: &'a Value, depth: u32, words: bool) -> (usize, bool, Vec<Violation>) {
        let Some(node) = node else { return (0, true, Vec::new()) };
        let saved_out = std::mem::take(&mut self.out);
        let saved_unknown = std::mem::replace(&mut self.unknown, false);
        let saved_failures = std::mem::replace(&mut self.failures, 0);
        let quiet = !words || self.quiet;
        let saved_quiet = std::mem::replace(&mut self.quiet, quiet);
        self.check(node, v, depth.saturating_add(1));
        self.quiet = saved_quiet;
        let out = std::mem::replace(&mut self.out, saved_out);
        let unknown = std::mem::replace(&mut self.unknown, saved_unknown);
        let failures = std::mem::replace(&mut self.failures, saved_failures);
        (failures, unknown, out)
    }

    fn check(&mut self, node: usize, v: &'a Value, depth: u32) {
        if depth > MAX_DEPTH {
            self.unknown = true;
            return;
        }
        match v {
            Value::If(_, a, b) => {
                self.branches = self.branches.saturating_add(1);
                for branch in [a, b] {
                    if !is_no_value(branch) {
                        self.check(node, branch, depth.saturating_add(1));
                    }
                }
                self.branches = self.branches.saturating_sub(1);
                return;
            }
            // A dynamic reference (`{{resolve:ssm:...}}`) is replaced by its value at deploy.
            Value::Str(text) if is_dynamic_reference(text) => {
                self.unknown = true;
                return;
            }
            Value::Null | Value::Pseudo(Pseudo::NoValue) => {
                self.unknown = true;
                return;
            }
            Value::Map(m) if is_unmodelled_function(m) => {
                self.unknown = true;
                return;
            }
            _ => {}
        }
        let n = Node::at(node);
        if let Some(r) = n.ref_() {
            self.check(r, v, depth.saturating_add(1));
        }
        if let Some(all) = n.all_of() {
            for sub in tables::nodes(all).flatten() {
                self.check(sub, v, depth.saturating_add(1));
            }
        }
        if v.is_intrinsic() {
            self.intrinsic(n, v);
            return;
        }
        if n.types() != 0 && !self.type_ok(n.types(), v) {
            self.fail(|w| (format!("{} is {}; the schema wants {}", w.path_text(), v.kind(), types_text(n.types())), format!("give {} {}", w.path_text(), types_text(n.types()))));
            return;
        }
        if n.has(Node::SCALAR) {
            self.scalar(n, v);
        }
        match v {
            Value::List(items) if n.has(Node::LIST) => self.list(n, items, depth),
            Value::Map(m) => self.object(n, m, depth),
            _ => {}
        }
        if !n.has(Node::ALTERNATIVES) {
            return;
        }
        for (run, one) in [(n.one_of(), true), (n.any_of(), false)] {
            let Some(run) = run else { continue };
            let (mut passing, mut certain, mut total) = (0usize, 0usize, 0usize);
            for sub in tables::nodes(run) {
                let (failures, unknown, _) = self.trial(sub, v, depth, false);
                total = total.saturating_add(1);
                if unknown {
                    self.unknown = true;
                }
                if failures == 0 {
                    passing = passing.saturating_add(1);
                    if !unknown {
                        certain = certain.saturating_add(1);
                    }
                }
            }
            if passing == 0 {
                // Rare: try them again for the words of each one's first violation.
                let mut reasons: Vec<String> = Vec::new();
                if !self.quiet {
                    for sub in tables::nodes(run).take(4) {
                        if let Some(first) = self.trial(sub, v, depth, true).2.into_iter().next() {
                            reasons.push(first.message);
                        }
                    }
                }
                let which = if one { "exactly one" } else { "at least one" };
                self.fail(|w| (format!("{} matches none of the {total} alternatives the schema allows ({which} must hold): {}", w.path_text(), reasons.join("; or ")), "change it to satisfy one of the alternatives".into()));
            } else if one && certain > 1 {
                self.fail(|w| (format!("{} matches {certain} of the alternatives the schema allows, where exactly one must hold (set only one of the alternative properties)", w.path_text()), "keep the properties of one alternative and remove the others".into()));
            }
        }
        if let Some(not) = n.not() {
            let (failures, unknown, _) = self.trial(Some(not), v, depth, false);
            if failures == 0 && !unknown {
                self.fail(|w| (format!("{} has a combination of values the schema forbids", w.path_text()), "remove one of the properties that may not be set together".into()));
            }
        }
    }

    /// What an intrinsic function yields, against the types the schema wants.
    fn intrinsic(&mut self, n: Node, v: &Value) {
        self.unknown = true;
        let yields = match v {
            Value::Sub(..) | Value::Join(..) | Value::Base64(_) => tag::T_STRING,
            Value::Split(..) | Value::GetAzs(_) | Value::GetAttList(..) | Value::Cidr(..) => tag::T_ARRAY,
            Value::Ref(r) => match (self.refs)(r) {
                Some(Yields::String) => tag::T_STRING,
                Some(Yields::List) => tag::T_ARRAY,
                None => return,
            },
            _ => return,
        };
        let function = if matches!(v, Value::Ref(_)) { "a Ref" } else { "an intrinsic function" };
        // A string converts to any scalar; a list converts to nothing else.
        let accepts = if yields == tag::T_STRING { tag::T_STRING | tag::T_INTEGER | tag::T_NUMBER | tag::T_BOOLEAN } else { tag::T_ARRAY };
        if n.types() != 0 && n.types() & accepts == 0 {
            let what = if yields == tag::T_STRING { "a string" } else { "a list" };
            self.fail(|w| (format!("{} is {function} that yields {what}; the schema wants {}", w.path_text(), types_text(n.types())), format!("give {} {}", w.path_text(), types_text(n.types()))));
        }
    }

    fn type_ok(&self, mask: u32, v: &Value) -> bool {
        let has = |bit: u32| mask & bit != 0;
        match v {
            Value::Str(s) => {
                has(tag::T_STRING)
                    || has(tag::T_INTEGER) && s.trim().parse::<i64>().is_ok()
                    || has(tag::T_NUMBER) && number_of(v).is_some()
                    || has(tag::T_BOOLEAN) && (s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"))
            }
            Value::Int(_) => has(tag::T_INTEGER) || has(tag::T_NUMBER) || has(tag::T_STRING),
            Value::Float(f) => has(tag::T_NUMBER) || has(tag::T_STRING) || has(tag::T_INTEGER) && f.fract() == 0.0,
            Value::Bool(_) => has(tag::T_BOOLEAN) || has(tag::T_STRING),
            Value::List(_) => has(tag::T_ARRAY),
            Value::Map(_) => has(tag::T_OBJECT),
            _ => true,
        }
    }

    fn scalar(&mut self, n: Node, v: &Value) {
        if !matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
            return;
        }
        if let Some((run, nocase)) = n.enum_() {
            let held = match v {
                // A string held as it is needs no decoding; otherwise each literal is compared.
                Value::Str(s) if !nocase && self.lookups.holds_text(run, s) => true,
                _ => tables::literals(run).any(|l| literal_matches(l, v, nocase)),
            };
            if !held {
                let mut allowed: Vec<String> = tables::literals(run).take(30).map(literal_text).collect();
                if run.len() > 30 {
                    allowed.push(format!("... ({} in all)", run.len()));
                }
                let shown = match v {
                    Value::Str(s) => format!("'{s}'"),
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => String::new(),
                };
                self.fail(|w| (format!("{} is {shown}, which is not one of the values the schema allows: {}", w.path_text(), allowed.join(", ")), "use one of the allowed values".into()));
            }
        }
        if let Some(c) = n.const_() {
            let l = tables::const_literal(c);
            if !literal_matches(l, v, false) {
                self.fail(|w| (format!("{} must be {}", w.path_text(), literal_text(l)), format!("set it to {}", literal_text(l))));
            }
        }
        if let Value::Str(s) = v {
            // Counting characters walks the text: only where a length is bounded.
            let len = if n.min_length().is_some() || n.max_length().is_some() { s.chars().count() } else { 0 };
            if let Some(min) = n.min_length().filter(|m| len < *m as usize) {
                self.fail(|w| (format!("{} is {len} characters long; the schema wants at least {min}", w.path_text()), format!("give {} at least {min} characters", w.path_text())));
            }
            if let Some(max) = n.max_length().filter(|m| len > *m as usize) {
                self.fail(|w| (format!("{} is {len} characters long; the schema allows at most {max}", w.path_text()), format!("shorten it to {max} characters or fewer")));
            }
            if let Some(p) = n.pattern() {
                if self.lookups.matches(p, s) == Some(false) {
                    self.fail(|w| (format!("{} is '{s}', which does not match the pattern {p}", w.path_text()), "change the value to match the pattern".into()));
                }
            }
        }
        let has_bounds = n.minimum().is_some() || n.maximum().is_some() || n.exclusive_minimum().is_some() || n.exclusive_maximum().is_some();
        let numeric = !matches!(v, Value::Str(_)) || n.types() & (tag::T_INTEGER | tag::T_NUMBER) != 0;
        // Parsing a string as a number only where a bound needs the number.
        if let Some(x) = if has_bounds && numeric { number_of(v) } else { None } {
            let bounds = [
                (n.minimum(), x < n.minimum().unwrap_or(f64::NEG_INFINITY), "at least"),
                (n.maximum(), x > n.maximum().unwrap_or(f64::INFINITY), "at most"),
                (n.exclusive_minimum(), x <= n.exclusive_minimum().unwrap_or(f64::NEG_INFINITY), "more than"),
                (n.exclusive_maximum(), x >= n.exclusive_maximum().unwrap_or(f64::INFINITY), "less than"),
            ];
            for (bound, broken, word) in bounds {
                if let (Some(b), true) = (bound, broken) {
                    self.fail(|w| (format!("{} is {}; the schema wants {word} {}", w.path_text(), format_number(x), format_number(b)), format!("use a value {word} {}", format_number(b))));
                }
            }
        }
    }

    fn list(&mut self, n: Node, items: &'a [Value], depth: u32) {
        let present = items.iter().filter(|i| !is_no_value(i)).count();
        let certain = items
            .iter()
            .filter(|i| !is_no_value(i) && !matches!(i, Value::If(_, a, b) if is_no_value(a) || is_no_value(b)))
            .count();
        if let Some(min) = n.min_items().filter(|m| present < *m as usize) {
            self.fail(|w| (format!("{} has {present} items; the schema wants at least {min}", w.path_text()), format!("give it at least {min} items")));
        }
        if let Some(max) = n.max_items().filter(|m| certain > *m as usize) {
            self.fail(|w| (format!("{} has {certain} items; the schema allows at most {max}", w.path_text()), format!("keep at most {max} items")));
        }
        // One item cannot repeat.
        if n.unique_items() && items.len() > 1 {
            let literals: Vec<(usize, &Value)> = items.iter().enumerate().filter(|(_, i)| matches!(i, Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_))).collect();
            for (k, (i, a)) in literals.iter().enumerate() {
                if let Some((j, _)) = literals.iter().skip(k.saturating_add(1)).find(|(_, b)| b == a) {
                    self.fail(|w| (format!("{} has the same item at [{i}] and [{j}]; the schema wants unique items", w.path_text()), "remove the duplicate".into()));
                    break;
                }
            }
        }
        for (i, item) in items.iter().enumerate() {
            if !is_no_value(item) {
                self.child(Seg::Index(i), n.items(), item, depth);
            }
        }
    }

    fn object(&mut self, n: Node, m: &'a ironcdk_template::value::Map, depth: u32) {
        let present = |name: &str| m.get(name).is_some_and(|v| !is_no_value(v));
        // For exclusions and one-of sets an empty list or object is not set (CloudWatch takes
        // `Dimensions: []` beside `Metrics`).
        let set = |name: &str| {
            m.get(name).is_some_and(|v| match v {
                Value::List(l) => !l.is_empty(),
                Value::Map(o) => !o.is_empty(),
                other => !is_no_value(other),
            })
        };
        let top = self.path.len() == 1;
        for (place, (key, value)) in m.iter().enumerate() {
            if is_no_value(value) {
                continue;
            }
            let key: &'a str = key;
            if top && matches!(value, Value::Str(_)) && PACKAGED.contains(&(self.type_name, key)) {
                self.unknown = true;
                continue;
            }
            if let Some(node) = n.properties().and_then(|run| self.lookups.property(run, place, key)) {
                self.child(Seg::Key(key), node, value, depth);
                continue;
            }
            let mut matched = false;
            if let Some(run) = n.pattern_properties() {
                for (pattern, node) in tables::pairs(run) {
                    if self.lookups.matches(pattern, key) != Some(false) {
                        matched = true;
                        self.child(Seg::Key(key), node, value, depth);
                    }
                }
            }
            if matched {
                continue;
            }
            if let Some(extra) = n.additional() {
                self.child(Seg::Key(key), Some(extra), value, depth);
            } else if top && tables::names_hold(self.read_only, key) {
                // CloudFormation ignores a read-only property a template sets: said, not refused.
                self.path.push(Seg::Key(key));
                self.record(true, |w| {
                    (
                        format!("Properties.{key} is a read-only property of {} (a value the resource returns), so CloudFormation ignores it", w.type_name),
                        format!("remove {key}; read it with Fn::GetAtt or Ref instead"),
                    )
                });
                self.path.pop();
            } else if n.no_additional() {
                let properties = n.properties();
                self.fail(|w| {
                    let names: Vec<&str> = properties.map(|run| tables::pairs(run).map(|(name, _)| name).collect()).unwrap_or_default();
                    let lower = key.to_ascii_lowercase();
                    let close = names
                        .iter()
                        .map(|name| (if name.to_ascii_lowercase() == lower { 0 } else { distance(name, key) }, *name))
                        .filter(|(d, _)| *d <= 2)
                        .min();
                    let fix = match close {
                        Some((_, name)) => format!("did you mean {name}? Otherwise remove {key}"),
                        None if names.is_empty() => format!("remove {key}"),
                        None => format!("remove {key}; the properties allowed here are {}", names.join(", ")),
                    };
                    (format!("{}.{key} is not a property the schema allows here", w.path_text()), fix)
                });
            }
        }
        if !n.has(Node::PROPERTY_SET) {
            return;
        }
        if let Some(run) = n.required() {
            // Listed only when one is missing (rare): most objects have all.
            if tables::names(run).any(|r| !present(r)) {
                let missing: Vec<&str> = tables::names(run).filter(|r| !present(r)).collect();
                self.fail(|w| (format!("{} lacks the required {} {}", w.path_text(), if missing.len() == 1 { "property" } else { "properties" }, missing.join(", ")), format!("set {}", missing.join(" and "))));
            }
        }
        if let Some(run) = n.required_xor() {
            let count = tables::names(run).filter(|r| set(r)).count();
            if count != 1 {
                let names = || tables::names(run).collect::<Vec<&str>>().join(", ");
                self.fail(|w| (format!("{} sets {count} of {}; exactly one must be set", w.path_text(), names()), format!("set exactly one of {}", names())));
            }
        }
        if let Some(run) = n.required_or() {
            if !tables::names(run).any(&set) {
                let names = || tables::names(run).collect::<Vec<&str>>().join(", ");
                self.fail(|w| (format!("{} sets none of {}; at least one must be set", w.path_text(), names()), format!("set one of {}", names())));
            }
        }
        if let Some(run) = n.dependent_required() {
            for (name, needs) in tables::dependencies(run) {
                if !present(name) {
                    continue;
                }
                let missing: Vec<&str> = tables::names(needs).filter(|d| !present(d)).collect();
                if !missing.is_empty() {
                    self.fail(|w| (format!("{} sets {name}, which needs {} set too", w.path_text(), missing.join(", ")), format!("set {} or remove {name}", missing.join(" and "))));
                }
            }
        }
        if let Some(run) = n.dependent_excluded() {
            for (name, excluded) in tables::dependencies(run) {
                if !set(name) {
                    continue;
                }
                let both: Vec<&str> = tables::names(excluded).filter(|d| set(d)).collect();
                if !both.is_empty() {
                    self.fail(|w| (format!("{} sets {name} together with {}, which may not be set with it", w.path_text(), both.join(", ")), format!("remove {name} or {}", both.join(" and "))));
                }
            }
        }
        let count = if n.min_properties().is_some() || n.max_properties().is_some() { m.iter().filter(|(_, v)| !is_no_value(v)).count() } else { 0 };
        if let Some(min) = n.min_properties().filter(|x| count < *x as usize) {
            self.fail(|w| (format!("{} has {count} properties; the schema wants at least {min}", w.path_text()), format!("set at least {min}")));
        }
        if let Some(max) = n.max_properties().filter(|x| count > *x as usize) {
            self.fail(|w| (format!("{} has {count} properties; the schema allows at most {max}", w.path_text()), format!("keep at most {max}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A property found by its place among the keys (the record found there last time) gives
    /// what a fresh lookup gives: keys in the same order, another order, names that are not
    /// properties and a misspelled one at a place a property held before.
    #[test]
    fn properties_found_by_their_place_are_those_a_lookup_finds() {
        let queue = |pairs: &[(&'static str, Value)]| {
            let mut m = ironcdk_template::value::Map::new();
            for (k, v) in pairs {
                m.insert(*k, v.clone());
            }
            Value::Map(m)
        };
        let s = |t: &str| Value::Str(t.into());
        let shapes = [
            queue(&[("QueueName", s("a")), ("DelaySeconds", Value::Int(5)), ("VisibilityTimeout", Value::Int(30))]),
            queue(&[("DelaySeconds", Value::Int(5)), ("QueueName", s("a")), ("VisibilityTimeout", s("x"))]),
            queue(&[("QueueName", s("a")), ("DelaySecond", Value::Int(5)), ("VisibilityTimeout", Value::Int(30))]),
            queue(&[("Madeup", s("a")), ("DelaySeconds", Value::Int(901)), ("FifoQueue", Value::Bool(true))]),
        ];
        let mut kept = Lookups::default();
        let mut checked = 0;
        for round in 0..(CACHE_AFTER + 8) {
            let props = &shapes[round % shapes.len()];
            let fresh = validate("AWS::SQS::Queue", Some(props), &mut Lookups::default(), &|_| None);
            let again = validate("AWS::SQS::Queue", Some(props), &mut kept, &|_| None);
            assert_eq!(format!("{again:?}"), format!("{fresh:?}"), "round {round}");
            checked += fresh.map_or(0, |v| v.len());
        }
        assert!(!kept.placed.is_empty());
        // The shapes with a problem were reported each time.
        assert!(checked >= 3 * (CACHE_AFTER + 8) / 4, "{checked}");
    }

    /// The path of one resource is emptied and handed to the next in the same allocation.
    #[test]
    fn a_recycled_path_keeps_its_room() {
        let name = String::from("Tags");
        let mut path: Vec<Seg<'_>> = Vec::with_capacity(16);
        path.extend([Seg::Key("Properties"), Seg::Key(&name), Seg::Index(3)]);
        let at = path.as_ptr() as usize;
        let again: Vec<Seg<'static>> = recycled(path);
        assert!(again.is_empty());
        assert!(again.capacity() >= 16);
        assert_eq!(again.as_ptr() as usize, at);
    }

    /// Remembered answers of the regular-expression engine are its answers, for texts that
    /// match and texts that do not, asked again and again.
    #[test]
    fn remembered_pattern_answers_are_the_engines() {
        const PATTERN: &str = "^[a-zA-Z]+(:[a-z]+)?$";
        let engine = Matcher::new(PATTERN);
        assert!(matches!(engine, Matcher::Regex(_)));
        let mut lookups = Lookups { validated: CACHE_AFTER, ..Lookups::default() };
        for _ in 0..3 {
            for text in ["Name", "aws:reserved", "with space", "aws:Upper", "", "ünïcode"] {
                assert_eq!(lookups.matches(PATTERN, text), engine.matches(text), "{text}");
            }
        }
        assert_eq!(lookups.answers, 6);
        // Past the bound, answers are still right, only no longer kept.
        lookups.answers = REMEMBERED_ANSWERS;
        assert_eq!(lookups.matches(PATTERN, "another"), Some(true));
        assert_eq!(lookups.matches(PATTERN, "aws:1"), Some(false));
        assert_eq!(lookups.answers, REMEMBERED_ANSWERS);
    }

    /// What is known to be beyond the engine is what the engine refuses.
    #[test]
    fn patterns_beyond_the_engine_are_those_it_refuses() {
        let beyond = ["^(?=.{2,256}$)[a-z]+$", "^\\p{Print}+$", "a(?!b)", "(?<=x)y", "(?<!x)y", "\\PL", "^([a-z,A-Z,0-9,. _\\-:/()#,@[\\]+=&;\\{\\}!$*])*$", "^[a[b]$"];
        let within = ["^(?<name>[a-z]+)$", "^\\\\p$", "^[a-z0-9,. _\\-:/()#@+=&;!$*]*$", ".{1,}", "^(?:ab)+$", "\\d+", "^[[:alpha:]]+$", "^[]a]+$", "^[^]a]+$", "^[a\\[]+$", "[(?=x)]"];
        for p in beyond {
            assert!(beyond_the_engine(p), "{p}");
            assert!(regex_lite::Regex::new(&python_to_rust(p)).is_err(), "{p}");
            assert!(matches!(Matcher::new(p), Matcher::Unsupported), "{p}");
        }
        for p in within {
            assert!(!beyond_the_engine(p), "{p}");
            assert!(regex_lite::Regex::new(&python_to_rust(p)).is_ok(), "{p}");
        }
    }

    /// An enum's string found by the literal it was last answers as a search of the enum does,
    /// for the enum's own strings in turns and for near misses.
    #[test]
    fn enum_strings_found_by_the_last_hit_are_those_a_search_finds() {
        let run = tables::type_record("AWS::Logs::LogGroup")
            .and_then(|t| t.root)
            .and_then(|root| tables::Node::at(root).properties())
            .and_then(|props| tables::property_record(props, "LogGroupClass"))
            .and_then(|(_, node)| node)
            .and_then(|n| tables::Node::at(n).enum_())
            .map(|(run, _)| run)
            .expect("LogGroupClass is an enum");
        let texts: Vec<String> = tables::literals(run).filter_map(|l| match l {
            Literal::Str(t) => Some(t.to_string()),
            _ => None,
        }).collect();
        assert!(texts.len() >= 2, "{texts:?}");
        let mut lookups = Lookups { validated: CACHE_AFTER, ..Lookups::default() };
        let mut probes: Vec<String> = Vec::new();
        for t in &texts {
            probes.extend([t.clone(), t.clone(), format!("{t}x"), t.to_ascii_lowercase(), String::new()]);
        }
        probes.extend(texts.iter().rev().cloned());
        for p in &probes {
            assert_eq!(lookups.holds_text(run, p), tables::holds_text(run, p), "{p}");
        }
        assert!(!lookups.enum_hits.is_empty());
    }

    /// `.+` and `.{1,}` are matched as the engine matches them: a character other than a line
    /// break anywhere.
    #[test]
    fn any_line_matches_as_the_regex_engine_does() {
        for p in [".+", ".{1,}"] {
            assert!(matches!(Matcher::new(p), Matcher::AnyLine), "{p}");
            let re = regex_lite::Regex::new(p).unwrap();
            for s in ["", "a", "\n", "\n\n", "\na", "a\n", " ", "ünï", "\r"] {
                assert_eq!(Matcher::new(p).matches(s), Some(re.is_match(s)), "{p} on {s:?}");
            }
        }
        assert!(!matches!(Matcher::new("^.+$"), Matcher::AnyLine));
    }

    /// The character-class fast path agrees with the regular-expression engine.
    #[test]
    fn simple_classes_match_as_the_regex_engine_does() {
        let patterns = [
            "^[a-zA-Z0-9-_]+$",
            "^[.\\-_/#A-Za-z0-9]{1,512}\\Z",
            "^[a-z0-9-]{3,63}$",
            "^[!-~]+$",
            "^[ -~]*$",
            "^[0-9]{12}$",
            "^[a-zA-Z0-9+=,.@_-]{1,64}$",
            "^[\\-.a-z]{2,}$",
            "^[\\w+=,.@-]+$",
            "^[\\d]{1,5}$",
        ];
        let samples = ["", "a", "abc", "A-b_c", "has space", "x/y#z.", "123456789012", "1234", "ünï", "a+b=c,d.e@f", "-.-", "~!", "a\nb", &"z".repeat(70), "UPPER"];
        for p in patterns {
            let Some(fast) = simple_class(p) else { panic!("{p} is not a simple class") };
            let re = regex_lite::Regex::new(&python_to_rust(p)).unwrap();
            for s in samples.iter().filter(|s| s.is_ascii() || !p.contains("\\w")) {
                assert_eq!(fast.matches(s), Some(re.is_match(s)), "{p} on {s:?}");
            }
        }
        // Python's \w takes Unicode letters (regex-lite's is ASCII): the fast path does too.
        assert_eq!(simple_class("^[\\w+=,.@-]+$").and_then(|m| m.matches("ünï")), Some(true));
        for p in ["^[^a]+$", "^[\\w-z]+$", "[a-z]+", "^[a-z]+", "^(a|b)$", "^[a\\]]+$", "^[\\x20-\\x7E]*$"] {
            assert!(simple_class(p).is_none(), "{p}");
        }
    }
}
