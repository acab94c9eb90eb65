//! Writing a stack as template JSON in one pass: references become logical IDs while the bytes
//! are written ([`crate::json`]), with no JSON tree in between. A reference this stack cannot
//! resolve, or a number JSON cannot hold, fails the write ([`Unwritable`]); [`problems`] then
//! names each one, for the caller to report with its own names for the places.

use std::borrow::Cow;

use crate::ids::{NodeId, StackId};
use crate::json::JsonWriter;
use crate::templates::{PreparedStack, SECTIONS};
use crate::value::{ElementRef, Value};

/// How references of one stack resolve: its id and the logical ID of every element node.
#[derive(Clone, Copy, Debug)]
pub struct Refs<'a> {
    stack: StackId,
    ids: &'a [Option<crate::value::Str>],
}

impl<'a> Refs<'a> {
    /// The references of stack `stack`, whose node `n` has logical ID `ids[n]`.
    pub fn new(stack: StackId, ids: &'a [Option<crate::value::Str>]) -> Self {
        Refs { stack, ids }
    }

    /// The references of a prepared stack.
    pub fn of(stack: &'a PreparedStack) -> Self {
        Refs { stack: stack.id, ids: &stack.ids }
    }

    /// The logical ID `r` resolves to, when it names an element of this stack.
    pub fn logical_id(&self, r: &ElementRef) -> Option<&'a str> {
        if r.stack != self.stack {
            return None;
        }
        self.ids.get(r.node.idx()).and_then(Option::as_deref)
    }

    /// `v` as compact JSON in this stack, as CDK hashes and sorts values (a reference that
    /// does not resolve is written `null`).
    pub fn compact(&self, v: &Value) -> Vec<u8> {
        let mut w = ValueWriter { json: JsonWriter::new(false, 256), refs: self, failed: false };
        w.value(v);
        w.json.into_bytes()
    }
}

/// Why a value cannot be written.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// A reference to an element of another stack (the cross-stack pass turns those into
    /// imports before writing).
    OtherStack(ElementRef),
    /// A reference to a node of this stack that is no element.
    NotAnElement(NodeId),
    /// A number that is infinite or not a number.
    NotANumber(f64),
}

/// The stack could not be written: see [`problems`] for each reason.
#[derive(Debug, thiserror::Error)]
#[error("the template cannot be written: it holds a reference that does not resolve in its stack or a number JSON cannot hold")]
pub struct Unwritable;

/// The template text of a prepared stack: pretty JSON and a final newline.
pub fn template_text(prepared: &PreparedStack) -> Result<String, Unwritable> {
    let refs = Refs::of(prepared);
    // Templates measure 740 to 780 bytes per resource.
    let capacity = prepared.resource_count().saturating_mul(1024);
    let mut w = ValueWriter { json: JsonWriter::new(true, capacity), refs: &refs, failed: false };
    w.json.begin_object();
    if let Some(d) = &prepared.description {
        crate::json_key!(w.json, "Description");
        w.json.string(d);
    }
    for (section, kind) in SECTIONS {
        let mut entries = prepared.elements.iter().filter(|e| e.kind == kind).peekable();
        if entries.peek().is_none() {
            continue;
        }
        w.json.key(section);
        w.json.begin_object();
        for e in entries {
            w.json.key(&e.logical_id);
            w.value(&e.value);
        }
        w.json.end_object();
    }
    w.json.end_object();
    if w.failed {
        return Err(Unwritable);
    }
    let mut out = w.json.into_string();
    out.push('\n');
    // A large buffer gives back what the size hint overestimated.
    if out.capacity() > out.len().saturating_add(out.len() / 8) {
        out.shrink_to_fit();
    }
    Ok(out)
}

/// What keeps `v` from being written in the stack of `refs`, in the order met.
pub fn problems(refs: &Refs<'_>, v: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    v.walk(&mut |x| match x {
        Value::Ref(r) | Value::GetAtt(r, _) | Value::GetAttList(r, _) | Value::If(r, _, _) | Value::Condition(r) | Value::FindInMap(r, _, _) => {
            if r.stack != refs.stack {
                out.push(Problem::OtherStack(*r));
            } else if refs.logical_id(r).is_none() {
                out.push(Problem::NotAnElement(r.node));
            }
        }
        Value::Float(f) if !f.is_finite() => out.push(Problem::NotANumber(*f)),
        _ => {}
    });
    out
}


/// The string a value is when it holds no intrinsic: a literal, or a join of literals.
pub fn literal(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Str(s) => Some(Cow::Borrowed(s)),
        Value::Join(d, parts) => {
            let mut out = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push_str(d);
                }
                out.push_str(&literal(p)?);
            }
            Some(Cow::Owned(out))
        }
        _ => None,
    }
}

/// Writes values of one stack; remembers whether any could not be written.
struct ValueWriter<'a> {
    json: JsonWriter,
    refs: &'a Refs<'a>,
    failed: bool,
}

/// An argument of an intrinsic function.
enum Arg<'v> {
    Value(&'v Value),
    Id(&'v ElementRef),
    Str(&'v str),
    Int(i64),
}

impl ValueWriter<'_> {
    fn id(&mut self, r: &ElementRef) {
        match self.refs.logical_id(r) {
            Some(id) => self.json.string(id),
            None => {
                self.failed = true;
                self.json.null();
            }
        }
    }

    fn arg(&mut self, a: &Arg<'_>) {
        match a {
            Arg::Value(v) => self.value(v),
            Arg::Id(r) => self.id(r),
            Arg::Str(s) => self.json.string(s),
            Arg::Int(i) => self.json.int(*i),
        }
    }

    /// `{"key": arg}`; `key` is one of this file's function names, as its key texts.
    fn single(&mut self, key: (&'static str, &'static str), arg: Arg<'_>) {
        self.json.begin_object();
        self.json.key_text(key.0, key.1);
        self.arg(&arg);
        self.json.end_object();
    }

    /// `{"key": [args...]}`; `key` is one of this file's function names, as its key texts.
    fn call(&mut self, key: (&'static str, &'static str), args: &[Arg<'_>]) {
        self.json.begin_object();
        self.json.key_text(key.0, key.1);
        self.json.begin_array();
        for a in args {
            self.json.element();
            self.arg(a);
        }
        self.json.end_array();
        self.json.end_object();
    }

    fn list(&mut self, items: &[Value]) {
        self.json.begin_array();
        for v in items {
            self.json.element();
            self.value(v);
        }
        self.json.end_array();
    }

    fn map(&mut self, m: &crate::value::Map) {
        self.json.begin_object();
        for (k, v) in m {
            self.json.key(k);
            self.value(v);
        }
        self.json.end_object();
    }

    /// `Fn::Join` with adjacent literals merged (when the delimiter is empty); a join of
    /// literals only is written as the plain string.
    fn join(&mut self, delimiter: &str, parts: &[Value]) {
        // A join of one list-valued intrinsic joins that list: `{"Fn::Join": [d, {"Fn::GetAtt": ...}]}`.
        if let [one @ (Value::GetAttList(..) | Value::Split(..) | Value::GetAzs(_) | Value::Cidr(..))] = parts {
            return self.call(crate::json_key_text!("Fn::Join"), &[Arg::Str(delimiter), Arg::Value(one)]);
        }
        enum Part<'a> {
            Lit(Cow<'a, str>),
            Val(&'a Value),
        }
        let mut out: Vec<Part<'_>> = Vec::with_capacity(parts.len());
        let mut all_literal = true;
        for p in parts {
            match (literal(p), out.last_mut()) {
                (Some(l), Some(Part::Lit(prev))) if delimiter.is_empty() => prev.to_mut().push_str(&l),
                (Some(l), _) => out.push(Part::Lit(l)),
                (None, _) => {
                    all_literal = false;
                    out.push(Part::Val(p))
                }
            }
        }
        if all_literal {
            let strs: Vec<&str> = out
                .iter()
                .filter_map(|p| match p {
                    Part::Lit(l) => Some(l.as_ref()),
                    Part::Val(_) => None,
                })
                .collect();
            return self.json.string(&strs.join(delimiter));
        }
        self.json.begin_object();
        crate::json_key!(self.json, "Fn::Join");
        self.json.begin_array();
        self.json.element();
        self.json.string(delimiter);
        self.json.element();
        self.json.begin_array();
        for p in &out {
            self.json.element();
            match p {
                Part::Lit(l) => self.json.string(l),
                Part::Val(v) => self.value(v),
            }
        }
        self.json.end_array();
        self.json.end_array();
        self.json.end_object();
    }

    fn value(&mut self, v: &Value) {
        use Arg::{Id, Int, Str, Value as V};
        match v {
            Value::Null => self.json.null(),
            Value::Bool(b) => self.json.bool(*b),
            Value::Int(i) => self.json.int(*i),
            // Whole numbers print as integers (80, not 80.0), as CloudFormation's own examples do.
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => self.json.int(*f as i64),
            Value::Float(f) if f.is_finite() => self.json.float(*f),
            Value::Float(_) => {
                self.failed = true;
                self.json.null();
            }
            Value::Str(s) => self.json.string(s),
            Value::List(items) => self.list(items),
            Value::Map(m) => self.map(m),
            Value::Pseudo(p) => self.single(crate::json_key_text!("Ref"), Str(p.name())),
            Value::Ref(e) => self.single(crate::json_key_text!("Ref"), Id(e)),
            Value::GetAtt(e, attr) | Value::GetAttList(e, attr) => self.call(crate::json_key_text!("Fn::GetAtt"), &[Id(e), Str(attr)]),
            Value::Sub(text, vars) if vars.is_empty() => self.single(crate::json_key_text!("Fn::Sub"), Str(text)),
            Value::Sub(text, vars) => {
                self.json.begin_object();
                crate::json_key!(self.json, "Fn::Sub");
                self.json.begin_array();
                self.json.element();
                self.json.string(text);
                self.json.element();
                self.map(vars);
                self.json.end_array();
                self.json.end_object();
            }
            Value::Join(d, parts) => self.join(d, parts),
            Value::Select(i, l) => self.call(crate::json_key_text!("Fn::Select"), &[Int(i64::from(*i)), V(l)]),
            Value::Split(d, v) => self.call(crate::json_key_text!("Fn::Split"), &[Str(d), V(v)]),
            Value::GetAzs(region) => self.single(crate::json_key_text!("Fn::GetAZs"), V(region)),
            Value::ImportValue(n) => self.single(crate::json_key_text!("Fn::ImportValue"), V(n)),
            Value::If(c, a, b) => self.call(crate::json_key_text!("Fn::If"), &[Id(c), V(a), V(b)]),
            Value::Equals(a, b) => self.call(crate::json_key_text!("Fn::Equals"), &[V(a), V(b)]),
            Value::And(cs) => {
                self.json.begin_object();
                crate::json_key!(self.json, "Fn::And");
                self.list(cs);
                self.json.end_object();
            }
            Value::Or(cs) => {
                self.json.begin_object();
                crate::json_key!(self.json, "Fn::Or");
                self.list(cs);
                self.json.end_object();
            }
            Value::Not(c) => self.call(crate::json_key_text!("Fn::Not"), &[V(c)]),
            Value::Condition(c) => self.single(crate::json_key_text!("Condition"), Id(c)),
            Value::FindInMap(m, a, b) => self.call(crate::json_key_text!("Fn::FindInMap"), &[Id(m), V(a), V(b)]),
            Value::Base64(v) => self.single(crate::json_key_text!("Fn::Base64"), V(v)),
            Value::Cidr(a, b, c) => self.call(crate::json_key_text!("Fn::Cidr"), &[V(a), V(b), V(c)]),
        }
    }
}
