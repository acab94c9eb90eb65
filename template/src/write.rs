//! Writing a stack as template JSON in one pass: references become logical IDs while the bytes
//! are written, with no JSON tree in between. A reference this stack cannot resolve, or a
//! number JSON cannot hold, fails the write ([`Unwritable`]); [`problems`] then names each one,
//! for the caller to report with its own names for the places.

use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};
use std::borrow::Cow;

use crate::ids::{NodeId, StackId};
use crate::pretty::to_pretty;
use crate::templates::{ElementKind, PreparedStack};
use crate::value::{ElementRef, Map, Value};

const UNRESOLVED: &str = "a reference that does not resolve in this stack";
const NOT_A_NUMBER: &str = "a number JSON cannot hold";

/// How references of one stack resolve: its id and the logical ID of every element node.
#[derive(Clone, Copy, Debug)]
pub struct Refs<'a> {
    stack: StackId,
    ids: &'a [Option<String>],
}

impl<'a> Refs<'a> {
    /// The references of stack `stack`, whose node `n` has logical ID `ids[n]`.
    pub fn new(stack: StackId, ids: &'a [Option<String>]) -> Self {
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

    /// `v` as written in this stack: serializing it writes the template JSON.
    pub fn at<'v>(&'v self, v: &'v Value) -> Resolved<'v> {
        Resolved { refs: self, v }
    }
}

/// A value bound to the stack it belongs to; serializing it writes the template JSON.
pub struct Resolved<'a> {
    refs: &'a Refs<'a>,
    v: &'a Value,
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
#[error("the template cannot be written: {0}")]
pub struct Unwritable(String);

/// The template text of a prepared stack: pretty JSON and a final newline.
pub fn template_text(prepared: &PreparedStack) -> Result<String, Unwritable> {
    let refs = Refs::of(prepared);
    let mut sections: [Vec<Entry<'_>>; 5] = Default::default();
    for e in &prepared.elements {
        if let Some(section) = sections.get_mut(section_index(e.kind)) {
            section.push(Entry { id: &e.logical_id, value: &e.value });
        }
    }
    let count = prepared.resource_count();
    let template = Template { refs: &refs, description: prepared.description.as_deref(), sections };
    // Templates measure 740 to 780 bytes per resource.
    to_pretty(&template, count.saturating_mul(1024)).map_err(Unwritable)
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

const SECTIONS: [&str; 5] = ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"];

fn section_index(kind: ElementKind) -> usize {
    match kind {
        ElementKind::Parameter => 0,
        ElementKind::Mapping => 1,
        ElementKind::Condition => 2,
        ElementKind::Resource => 3,
        ElementKind::Output => 4,
    }
}

/// One element as written: its logical ID and its value.
struct Entry<'a> {
    id: &'a str,
    value: &'a Value,
}

struct Template<'a> {
    refs: &'a Refs<'a>,
    description: Option<&'a str>,
    sections: [Vec<Entry<'a>>; 5],
}

impl Serialize for Template<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        struct Section<'s, 'a>(&'a Refs<'a>, &'s [Entry<'a>]);
        impl Serialize for Section<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.1.len()))?;
                for e in self.1 {
                    m.serialize_entry(e.id, &self.0.at(e.value))?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        if let Some(d) = self.description {
            m.serialize_entry("Description", d)?;
        }
        for (name, entries) in SECTIONS.iter().zip(&self.sections) {
            if !entries.is_empty() {
                m.serialize_entry(name, &Section(self.refs, entries))?;
            }
        }
        m.end()
    }
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

fn single<S: Serializer>(s: S, key: &str, value: &(impl Serialize + ?Sized)) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(key, value)?;
    m.end()
}

/// A logical ID.
struct Id<'a>(&'a str);
impl Serialize for Id<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// A list of values of one stack.
struct Seq<'a> {
    refs: &'a Refs<'a>,
    items: &'a [Value],
}
impl Serialize for Seq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().map(|v| self.refs.at(v)))
    }
}

/// An object of values of one stack.
struct Fields<'a> {
    refs: &'a Refs<'a>,
    map: &'a Map,
}
impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_map(Some(self.map.len()))?;
        for (k, v) in self.map {
            out.serialize_entry(k, &self.refs.at(v))?;
        }
        out.end()
    }
}

/// A part of a `Fn::Join` after adjacent literals are merged.
enum Part<'a> {
    Lit(Cow<'a, str>),
    Val(&'a Value),
}

impl<'a> Resolved<'a> {
    fn at(&self, v: &'a Value) -> Resolved<'a> {
        Resolved { refs: self.refs, v }
    }

    fn id<E: serde::ser::Error>(&self, r: &ElementRef) -> Result<Id<'a>, E> {
        self.refs.logical_id(r).map(Id).ok_or_else(|| E::custom(UNRESOLVED))
    }

    fn seq(&self, items: &'a [Value]) -> Seq<'a> {
        Seq { refs: self.refs, items }
    }

    fn fields(&self, map: &'a Map) -> Fields<'a> {
        Fields { refs: self.refs, map }
    }

    /// `Fn::Join` with adjacent literals merged (when the delimiter is empty); a join of
    /// literals only is written as the plain string.
    fn join<S: Serializer>(&self, s: S, delimiter: &'a str, parts: &'a [Value]) -> Result<S::Ok, S::Error> {
        // A join of one list-valued intrinsic joins that list: `{"Fn::Join": [d, {"Fn::GetAtt": ...}]}`.
        if let [one @ (Value::GetAttList(..) | Value::Split(..) | Value::GetAzs(_) | Value::Cidr(..))] = parts {
            return single(s, "Fn::Join", &(delimiter, self.at(one)));
        }
        let mut out: Vec<Part<'a>> = Vec::with_capacity(parts.len());
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
            return s.serialize_str(&strs.join(delimiter));
        }
        struct Parts<'p, 'a>(&'p Resolved<'a>, &'p [Part<'a>]);
        impl Serialize for Parts<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.1.len()))?;
                for p in self.1 {
                    match p {
                        Part::Lit(l) => seq.serialize_element(l.as_ref())?,
                        Part::Val(v) => seq.serialize_element(&self.0.at(v))?,
                    }
                }
                seq.end()
            }
        }
        single(s, "Fn::Join", &(delimiter, Parts(self, &out)))
    }
}

impl Serialize for Resolved<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.v {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            // Whole numbers print as integers (80, not 80.0), as CloudFormation's own examples do.
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => s.serialize_i64(*f as i64),
            Value::Float(f) if f.is_finite() => s.serialize_f64(*f),
            Value::Float(_) => Err(S::Error::custom(NOT_A_NUMBER)),
            Value::Str(v) => s.serialize_str(v),
            Value::List(items) => self.seq(items).serialize(s),
            Value::Map(m) => self.fields(m).serialize(s),
            Value::Pseudo(p) => single(s, "Ref", p.name()),
            Value::Ref(e) => single(s, "Ref", &self.id(e)?),
            Value::GetAtt(e, attr) | Value::GetAttList(e, attr) => single(s, "Fn::GetAtt", &(self.id(e)?, attr)),
            Value::Sub(text, vars) if vars.is_empty() => single(s, "Fn::Sub", text),
            Value::Sub(text, vars) => single(s, "Fn::Sub", &(text, self.fields(vars))),
            Value::Join(d, parts) => self.join(s, d, parts),
            Value::Select(i, l) => single(s, "Fn::Select", &(i, self.at(l))),
            Value::Split(d, v) => single(s, "Fn::Split", &(d, self.at(v))),
            Value::GetAzs(region) => single(s, "Fn::GetAZs", &self.at(region)),
            Value::ImportValue(n) => single(s, "Fn::ImportValue", &self.at(n)),
            Value::If(c, a, b) => single(s, "Fn::If", &(self.id(c)?, self.at(a), self.at(b))),
            Value::Equals(a, b) => single(s, "Fn::Equals", &(self.at(a), self.at(b))),
            Value::And(cs) => single(s, "Fn::And", &self.seq(cs)),
            Value::Or(cs) => single(s, "Fn::Or", &self.seq(cs)),
            Value::Not(c) => single(s, "Fn::Not", &[self.at(c)]),
            Value::Condition(c) => single(s, "Condition", &self.id(c)?),
            Value::FindInMap(m, a, b) => single(s, "Fn::FindInMap", &(self.id(m)?, self.at(a), self.at(b))),
            Value::Base64(v) => single(s, "Fn::Base64", &self.at(v)),
            Value::Cidr(a, b, c) => single(s, "Fn::Cidr", &(self.at(a), self.at(b), self.at(c))),
        }
    }
}
