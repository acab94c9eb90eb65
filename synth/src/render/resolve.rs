//! Writing values as template JSON: references become logical IDs while the bytes are written,
//! so a template goes from the value model to text in one pass, with no JSON tree in between.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::borrow::Cow;
use std::cell::RefCell;

use crate::error::Error;
use crate::stack::StackInner;
use crate::tree::NodeId;
use crate::value::{ElementRef, Map, Value};

/// What resolving needs: the stack, the logical ID of every element node, and the problems
/// found while writing (a reference that cannot resolve is written as `null` and reported here;
/// the template is then discarded).
pub(crate) struct Ctx<'a> {
    pub st: &'a StackInner,
    pub ids: &'a [Option<String>],
    pub errors: RefCell<Vec<Error>>,
}

impl<'a> Ctx<'a> {
    pub fn new(st: &'a StackInner, ids: &'a [Option<String>]) -> Self {
        Ctx { st, ids, errors: RefCell::new(Vec::new()) }
    }

    fn fail(&self, e: Error) {
        self.errors.borrow_mut().push(e);
    }

    /// The logical ID `r` resolves to from the element at `from`.
    fn target_id(&self, from: NodeId, r: &ElementRef) -> Option<&'a str> {
        let from_path = || self.st.node(from).path.clone();
        if r.stack != self.st.id {
            // The prepare phase rewrote every reference into another stack of the app.
            self.fail(Error::CrossStackReference { path: from_path(), target: "an element of another stack".into() });
            return None;
        }
        let found = self.ids.get(r.node.idx()).and_then(Option::as_deref);
        if found.is_none() {
            let target = self.st.nodes.get(r.node.idx()).map(|n| n.path.clone()).unwrap_or_default();
            self.fail(Error::NotAnElement { path: from_path(), target });
        }
        found
    }

    /// `v` as written from the element at `from`.
    pub fn at<'v>(&'v self, from: NodeId, v: &'v Value) -> Resolved<'v> {
        Resolved { ctx: self, from, v }
    }
}

/// A value bound to the element it belongs to; serializing it writes the template JSON.
pub(crate) struct Resolved<'a> {
    ctx: &'a Ctx<'a>,
    from: NodeId,
    v: &'a Value,
}

/// The string a value is when it holds no intrinsic: a literal, or a join of literals.
pub(crate) fn literal(v: &Value) -> Option<Cow<'_, str>> {
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

/// A logical ID, or `null` when it could not resolve (the error is already recorded).
struct Id<'a>(Option<&'a str>);
impl Serialize for Id<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(id) => s.serialize_str(id),
            None => s.serialize_unit(),
        }
    }
}

/// A list of values bound to one element.
struct Seq<'a> {
    ctx: &'a Ctx<'a>,
    from: NodeId,
    items: &'a [Value],
}
impl Serialize for Seq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().map(|v| self.ctx.at(self.from, v)))
    }
}

/// An object of values bound to one element.
struct Fields<'a> {
    ctx: &'a Ctx<'a>,
    from: NodeId,
    map: &'a Map,
}
impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_map(Some(self.map.len()))?;
        for (k, v) in self.map {
            out.serialize_entry(k, &self.ctx.at(self.from, v))?;
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
        Resolved { ctx: self.ctx, from: self.from, v }
    }

    fn id(&self, r: &ElementRef) -> Id<'a> {
        Id(self.ctx.target_id(self.from, r))
    }

    fn seq(&self, items: &'a [Value]) -> Seq<'a> {
        Seq { ctx: self.ctx, from: self.from, items }
    }

    fn fields(&self, map: &'a Map) -> Fields<'a> {
        Fields { ctx: self.ctx, from: self.from, map }
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
            Value::Float(f) => {
                self.ctx.fail(Error::validation(
                    self.ctx.st.node(self.from).path.clone(),
                    format!("{f} is not a number JSON can hold"),
                ));
                s.serialize_unit()
            }
            Value::Str(v) => s.serialize_str(v),
            Value::List(items) => self.seq(items).serialize(s),
            Value::Map(m) => self.fields(m).serialize(s),
            Value::Pseudo(p) => single(s, "Ref", p.name()),
            Value::Ref(e) => single(s, "Ref", &self.id(e)),
            Value::GetAtt(e, attr) | Value::GetAttList(e, attr) => single(s, "Fn::GetAtt", &(self.id(e), attr)),
            Value::Sub(text, vars) if vars.is_empty() => single(s, "Fn::Sub", text),
            Value::Sub(text, vars) => single(s, "Fn::Sub", &(text, self.fields(vars))),
            Value::Join(d, parts) => self.join(s, d, parts),
            Value::Select(i, l) => single(s, "Fn::Select", &(i, self.at(l))),
            Value::Split(d, v) => single(s, "Fn::Split", &(d, self.at(v))),
            Value::GetAzs(region) => single(s, "Fn::GetAZs", &self.at(region)),
            Value::ImportValue(n) => single(s, "Fn::ImportValue", &self.at(n)),
            Value::If(c, a, b) => single(s, "Fn::If", &(self.id(c), self.at(a), self.at(b))),
            Value::Equals(a, b) => single(s, "Fn::Equals", &(self.at(a), self.at(b))),
            Value::And(cs) => single(s, "Fn::And", &self.seq(cs)),
            Value::Or(cs) => single(s, "Fn::Or", &self.seq(cs)),
            Value::Not(c) => single(s, "Fn::Not", &[self.at(c)]),
            Value::Condition(c) => single(s, "Condition", &self.id(c)),
            Value::FindInMap(m, a, b) => single(s, "Fn::FindInMap", &(self.id(m), self.at(a), self.at(b))),
            Value::Base64(v) => single(s, "Fn::Base64", &self.at(v)),
            Value::Cidr(a, b, c) => single(s, "Fn::Cidr", &(self.at(a), self.at(b), self.at(c))),
        }
    }
}
