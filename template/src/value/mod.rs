//! The one value model every template element is built from: literals and CloudFormation
//! intrinsic functions as enum variants, never string tokens.
//!
//! [`Value`] is untyped; [`Val<T>`] wraps it with the CloudFormation type it resolves to, so a
//! generated setter for a string property accepts `"10.0.0.0/16"` or a `Ref`, but not a list.
//!
//! ```
//! use ironcdk_template::value::{Val, fns, Pseudo};
//! let host: Val<String> = fns::join(".", ["api".into(), Pseudo::Region.val()]);
//! assert!(host.as_value().is_intrinsic());
//! ```

use indexmap::IndexMap;
use std::marker::PhantomData;

#[macro_use]
mod walk_macro {
    /// Pushes the values directly inside `$v` onto `$stack`, last first, so that popping visits
    /// them in order (shared by the shared and the mutable walks).
    macro_rules! push_children {
        ($v:expr, $stack:expr, $iter:ident, $values:ident, $as:ident) => {
            match $v {
                Value::List(items) | Value::And(items) | Value::Or(items) => $stack.extend(items.$iter().rev()),
                Value::Join(_, items) => $stack.extend(items.$iter().rev()),
                Value::Map(m) => $stack.extend(m.$values().rev()),
                Value::Sub(_, m) => $stack.extend(m.$values().rev()),
                Value::Select(_, v)
                | Value::Split(_, v)
                | Value::GetAzs(v)
                | Value::ImportValue(v)
                | Value::Not(v)
                | Value::Base64(v) => $stack.push(v.$as()),
                Value::If(_, a, b) | Value::Equals(a, b) | Value::FindInMap(_, a, b) => {
                    $stack.push(b.$as());
                    $stack.push(a.$as());
                }
                Value::Cidr(a, b, c) => {
                    $stack.push(c.$as());
                    $stack.push(b.$as());
                    $stack.push(a.$as());
                }
                _ => {}
            }
        };
    }

    /// Runs `$body` with `$c` bound to each value directly inside `$v`, in order (shared by the
    /// shared and the mutable recursive walks).
    macro_rules! each_child {
        ($v:expr, $c:ident => $body:expr, $iter:ident, $values:ident, $as:ident) => {
            match $v {
                Value::List(items) | Value::And(items) | Value::Or(items) => {
                    for $c in items.$iter() {
                        $body;
                    }
                }
                Value::Join(_, items) => {
                    for $c in items.$iter() {
                        $body;
                    }
                }
                Value::Map(m) => {
                    for $c in m.$values() {
                        $body;
                    }
                }
                Value::Sub(_, m) => {
                    for $c in m.$values() {
                        $body;
                    }
                }
                Value::Select(_, x)
                | Value::Split(_, x)
                | Value::GetAzs(x)
                | Value::ImportValue(x)
                | Value::Not(x)
                | Value::Base64(x) => {
                    let $c = x.$as();
                    $body;
                }
                Value::If(_, a, b) | Value::Equals(a, b) | Value::FindInMap(_, a, b) => {
                    {
                        let $c = a.$as();
                        $body;
                    }
                    let $c = b.$as();
                    $body;
                }
                Value::Cidr(a, b, c3) => {
                    {
                        let $c = a.$as();
                        $body;
                    }
                    {
                        let $c = b.$as();
                        $body;
                    }
                    let $c = c3.$as();
                    $body;
                }
                _ => {}
            }
        };
    }
}

mod deep;
mod map;

/// Levels the walks, clones and drops follow by plain recursion (no allocation) before
/// switching to an explicit stack, so that values of any depth are safe to handle.
const WALK_RECURSION: usize = 256;

/// A pre-order walk of shared (`walk_from`) or mutable (`walk_mut_from`) values: recursion for
/// the first [`WALK_RECURSION`] levels, an explicit stack past them.
macro_rules! walk_fn {
    ($name:ident $(<$lt:lifetime>)?, [$($ref:tt)+], $iter:ident, $values:ident, $as:ident) => {
        fn $name$(<$lt>)?(v: $($ref)+ Value, f: &mut dyn FnMut($($ref)+ Value), depth: usize) {
            if depth > WALK_RECURSION {
                let mut stack: Vec<$($ref)+ Value> = vec![v];
                while let Some(v) = stack.pop() {
                    f(v);
                    push_children!(v, stack, $iter, $values, $as);
                }
                return;
            }
            f(v);
            let d = depth.saturating_add(1);
            each_child!(v, c => $name(c, f, d), $iter, $values, $as);
        }
    };
}

walk_fn!(walk_from<'a>, [&'a], iter, values, as_ref);
walk_fn!(walk_mut_from, [&mut], iter_mut, values_mut, as_mut);

/// The walk of the functions in a shared (`intrinsics_from`) or mutable (`intrinsics_mut_from`)
/// value, for [`Value::walk_intrinsics`] and [`Value::walk_intrinsics_mut`]: literals, lists
/// and objects are passed by without a call; recursion for the first [`WALK_RECURSION`] levels,
/// the plain walk (with the same filter) past them.
macro_rules! intrinsics_fn {
    ($name:ident $(<$lt:lifetime>)?, $walk:ident, [$($ref:tt)+], $iter:ident, $values:ident, $as:ident) => {
        fn $name<$($lt,)? F: FnMut($($ref)+ Value)>(v: $($ref)+ Value, f: &mut F, depth: usize) {
            if depth > WALK_RECURSION {
                $walk(
                    v,
                    &mut |x| {
                        if x.is_intrinsic() {
                            f(x);
                        }
                    },
                    depth,
                );
                return;
            }
            let d = depth.saturating_add(1);
            match v {
                Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => {}
                // Literal items are passed by without a call.
                Value::List(items) => items.$iter().filter(|c| !is_literal(c)).for_each(|c| $name(c, f, d)),
                Value::Map(m) => m.$values().filter(|c| !is_literal(c)).for_each(|c| $name(c, f, d)),
                _ => {
                    f(v);
                    each_child!(v, c => $name(c, f, d), $iter, $values, $as);
                }
            }
        }
    };
}

intrinsics_fn!(intrinsics_from<'a>, walk_from, [&'a], iter, values, as_ref);
intrinsics_fn!(intrinsics_mut_from, walk_mut_from, [&mut], iter_mut, values_mut, as_mut);

/// Whether `v` is a literal: nothing nested, no function.
#[inline(always)]
fn is_literal(v: &Value) -> bool {
    matches!(v, Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_))
}

/// [`Value::walk_objects`] from `depth`: recursion for the first [`WALK_RECURSION`] levels,
/// the plain walk (with the same filter) past them.
fn objects_from<'a, F: FnMut(&'a Map)>(v: &'a Value, f: &mut F, depth: usize) {
    if depth > WALK_RECURSION {
        walk_from(
            v,
            &mut |x| {
                if let Value::Map(m) = x {
                    f(m);
                }
            },
            depth,
        );
        return;
    }
    let d = depth.saturating_add(1);
    match v {
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => {}
        // Literal items are passed by without a call.
        Value::List(items) => items.iter().filter(|c| !is_literal(c)).for_each(|c| objects_from(c, f, d)),
        Value::Map(m) => {
            f(m);
            m.values().filter(|c| !is_literal(c)).for_each(|c| objects_from(c, f, d));
        }
        _ => each_child!(v, c => objects_from(c, f, d), iter, values, as_ref),
    }
}

/// The depth of `v` counted from `depth`: recursion for the levels real values have, an
/// explicit stack past them.
fn depth_from(v: &Value, depth: usize) -> usize {
    if depth > WALK_RECURSION {
        let mut deepest = 0;
        let mut stack: Vec<(&Value, usize)> = vec![(v, depth)];
        let mut children: Vec<&Value> = Vec::new();
        while let Some((v, d)) = stack.pop() {
            deepest = deepest.max(d);
            push_children!(v, children, iter, values, as_ref);
            stack.extend(children.drain(..).map(|c| (c, d.saturating_add(1))));
        }
        return deepest;
    }
    let mut deepest = depth;
    let d = depth.saturating_add(1);
    // A literal child is one level deeper without a call (most children are literals).
    each_child!(
        v,
        c => deepest = deepest.max(if is_literal(c) { d } else { depth_from(c, d) }),
        iter,
        values,
        as_ref
    );
    deepest
}
pub use map::{Iter as MapIter, Key, Map};

use crate::ids::{NodeId, StackId};

/// The value model's string: up to 23 bytes inline, longer text shared, so copying a value
/// never allocates for its strings. Build one with `.into()` from `&str` or `String`, or
/// [`Str::new_static`]; read it as `&str` (it derefs to one).
pub type Str = smol_str::SmolStr;

/// `key` as a [`Str`], without copying text the program names at compile time.
pub fn str_of_key(key: &Key) -> Str {
    match key {
        std::borrow::Cow::Borrowed(s) => Str::new_static(s),
        std::borrow::Cow::Owned(s) => Str::from(s.as_str()),
    }
}

/// How deeply values may nest: deeper values are refused at synth (CloudFormation templates
/// never need a fraction of this, and writing them would exhaust the stack).
pub const MAX_DEPTH: usize = 128;

/// A reference to an element (resource, parameter, condition, mapping) of a stack, resolved to
/// its logical ID when the template is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ElementRef {
    /// The stack the element is in.
    pub stack: StackId,
    /// The element's node there.
    pub node: NodeId,
}

/// CloudFormation pseudo parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pseudo {
    /// `AWS::AccountId`
    AccountId,
    /// `AWS::NotificationARNs`
    NotificationArns,
    /// `AWS::NoValue`: removes the property where it stands (useful inside `Fn::If`).
    NoValue,
    /// `AWS::Partition`
    Partition,
    /// `AWS::Region`
    Region,
    /// `AWS::StackId`
    StackId,
    /// `AWS::StackName`
    StackName,
    /// `AWS::URLSuffix`
    UrlSuffix,
}

impl Pseudo {
    /// The name CloudFormation uses in `Ref`.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }

    /// `{"Ref": "AWS::..."}` as a string value.
    pub fn val(self) -> Val<String> {
        Val::unchecked(Value::Pseudo(self))
    }
}

/// A CloudFormation value: a literal, or an intrinsic function that CloudFormation resolves at
/// deploy time.
#[derive(Debug, PartialEq, Default)]
#[non_exhaustive]
pub enum Value {
    /// JSON `null`.
    #[default]
    Null,
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A floating point literal.
    Float(f64),
    /// A string literal.
    Str(Str),
    /// A list.
    List(Vec<Value>),
    /// An object; keys keep insertion order.
    Map(Map),
    /// `Ref` to a pseudo parameter.
    Pseudo(Pseudo),
    /// `Ref` to a resource or parameter of the same stack.
    Ref(ElementRef),
    /// `Fn::GetAtt` of a resource of the same stack.
    GetAtt(ElementRef, Str),
    /// `Fn::GetAtt` of an attribute that is a list of strings (a cross-stack reference to it
    /// travels as a `||`-joined string, as in CDK).
    GetAttList(ElementRef, Str),
    /// `Fn::Sub` with an optional variable map (boxed, as `Join`'s parts are, so that every
    /// value is 40 bytes rather than 56: values are most of a prepared app's memory).
    Sub(Str, Box<Map>),
    /// `Fn::Join`.
    // A `Box<Vec>` rather than a boxed slice: 8 bytes, where a slice pointer takes 16.
    #[allow(clippy::box_collection)]
    Join(Str, Box<Vec<Value>>),
    /// `Fn::Select`.
    Select(u32, Box<Value>),
    /// `Fn::Split`.
    Split(Str, Box<Value>),
    /// `Fn::GetAZs` (an empty string means the stack's region).
    GetAzs(Box<Value>),
    /// `Fn::ImportValue`.
    ImportValue(Box<Value>),
    /// `Fn::If` on a condition of the same stack.
    If(ElementRef, Box<Value>, Box<Value>),
    /// `Fn::Equals`.
    Equals(Box<Value>, Box<Value>),
    /// `Fn::And`.
    And(Vec<Value>),
    /// `Fn::Or`.
    Or(Vec<Value>),
    /// `Fn::Not`.
    Not(Box<Value>),
    /// `{"Condition": name}` inside a condition expression.
    Condition(ElementRef),
    /// `Fn::FindInMap` on a mapping of the same stack.
    FindInMap(ElementRef, Box<Value>, Box<Value>),
    /// `Fn::Base64`.
    Base64(Box<Value>),
    /// `Fn::Cidr` (ip block, count, cidr bits).
    Cidr(Box<Value>, Box<Value>, Box<Value>),
}

impl Value {
    /// True when the value is an intrinsic function (anything CloudFormation resolves).
    pub fn is_intrinsic(&self) -> bool {
        !matches!(
            self,
            Value::Null
                | Value::Bool(_)
                | Value::Int(_)
                | Value::Float(_)
                | Value::Str(_)
                | Value::List(_)
                | Value::Map(_)
        )
    }

    /// What kind of value this is, for messages (a value itself may be too large to print):
    /// "a string", "a list", "an object", "an intrinsic function", ...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "an object",
            _ => "an intrinsic function",
        }
    }

    /// The string literal, if this is one.
    #[inline]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Converts plain JSON into a value (no intrinsics are recognised: use the typed
    /// constructors in [`fns`] for those).
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::String(s) => Value::Str(s.into()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The element this value refers to, when it is a `Ref`, `Fn::GetAtt`, `Fn::If`,
    /// `Condition` or `Fn::FindInMap`.
    pub fn element_ref(&self) -> Option<ElementRef> {
        match self {
            Value::Ref(e)
            | Value::GetAtt(e, _)
            | Value::GetAttList(e, _)
            | Value::If(e, _, _)
            | Value::Condition(e)
            | Value::FindInMap(e, _, _) => Some(*e),
            _ => None,
        }
    }

    /// Visits this value and every value nested in it, parents first. Recursive for the first
    /// levels and iterative past them, so any depth is safe to walk.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Value)) {
        walk_from(self, f, 0);
    }

    /// Visits the intrinsic functions ([`Value::is_intrinsic`]) in this value and nested in it,
    /// parents first, in [`Value::walk`]'s order: the walk for rules that look only at functions
    /// (references, `Fn::Sub`, `Fn::Select`), which passes literals, lists and objects by without
    /// a call.
    pub fn walk_intrinsics<'a>(&'a self, mut f: impl FnMut(&'a Value)) {
        intrinsics_from(self, &mut f, 0);
    }

    /// [`Value::walk_intrinsics`] letting `f` replace the functions; the replacement's own
    /// functions are visited in turn.
    pub fn walk_intrinsics_mut(&mut self, mut f: impl FnMut(&mut Value)) {
        intrinsics_mut_from(self, &mut f, 0);
    }

    /// Visits the objects ([`Value::Map`]) in this value and nested in it, parents first, in
    /// [`Value::walk`]'s order, passing literals by without a call.
    pub fn walk_objects<'a>(&'a self, mut f: impl FnMut(&'a Map)) {
        objects_from(self, &mut f, 0);
    }

    /// Calls `f` on each value directly inside this one (a list's items, an object's values,
    /// a function's arguments), last first, as the walks push them.
    pub fn for_each_child<'a>(&'a self, f: impl FnMut(&'a Value)) {
        /// Takes the walk's pushes as calls.
        struct Each<F>(F);
        impl<'a, F: FnMut(&'a Value)> Each<F> {
            fn push(&mut self, v: &'a Value) {
                (self.0)(v);
            }
            fn extend(&mut self, items: impl Iterator<Item = &'a Value>) {
                items.for_each(&mut self.0);
            }
        }
        let mut each = Each(f);
        push_children!(self, each, iter, values, as_ref);
    }

    /// Visits this value and every value nested in it, parents first, letting `f` replace
    /// them; the replacement is visited in turn.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Value)) {
        walk_mut_from(self, f, 0);
    }

    /// How deeply the value nests: 1 for a literal, one more per level of list, object or
    /// function. Synth refuses values deeper than [`MAX_DEPTH`].
    pub fn depth(&self) -> usize {
        depth_from(self, 1)
    }
}

/// Conversion of a Rust value into the template value model.
pub trait ToValue {
    /// The template value.
    fn to_value(&self) -> Value;
    /// The template value, taking `self` (spares a copy where the value is moved out).
    fn into_value(self) -> Value
    where
        Self: Sized,
    {
        self.to_value()
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
    fn into_value(self) -> Value {
        self
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Str(self.into())
    }
    fn into_value(self) -> Value {
        Value::Str(self.into())
    }
}
impl ToValue for &str {
    fn to_value(&self) -> Value {
        Value::Str((*self).into())
    }
}
impl ToValue for Str {
    fn to_value(&self) -> Value {
        Value::Str(self.clone())
    }
}
impl ToValue for i32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }
}
impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}
impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(ToValue::to_value).collect())
    }
    fn into_value(self) -> Value {
        // A new list, not one collected in place: in place, the values would keep the items'
        // whole room (a 1.6 KB container definition's for each 40-byte value).
        let mut out = Vec::with_capacity(self.len());
        out.extend(self.into_iter().map(ToValue::into_value));
        Value::List(out)
    }
}
impl<T: ToValue> ToValue for IndexMap<String, T> {
    fn to_value(&self) -> Value {
        Value::Map(self.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
    }
    fn into_value(self) -> Value {
        Value::Map(self.into_iter().map(|(k, v)| (k, v.into_value())).collect())
    }
}

/// A value that resolves to a CloudFormation value of type `T`: a literal of that type or an
/// intrinsic function known to produce it.
///
/// ```
/// use ironcdk_template::value::{Val, Value};
/// let cidr: Val<String> = "10.0.0.0/16".into();
/// assert_eq!(cidr.as_value(), &Value::Str("10.0.0.0/16".into()));
/// let ports: Val<Vec<i64>> = vec![Val::from(80), Val::from(443)].into();
/// assert!(matches!(ports.as_value(), Value::List(l) if l.len() == 2));
/// ```
pub struct Val<T> {
    value: Value,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Val<T> {
    fn clone(&self) -> Self {
        Val::unchecked(self.value.clone())
    }
}
impl<T> std::fmt::Debug for Val<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}
impl<T> PartialEq for Val<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> Val<T> {
    /// Wraps an untyped value, trusting the caller that it resolves to a `T` (the escape hatch
    /// for intrinsics this library does not type yet).
    pub fn unchecked(value: Value) -> Self {
        Val {
            value,
            _type: PhantomData,
        }
    }
    /// The untyped value.
    pub fn as_value(&self) -> &Value {
        &self.value
    }
    /// The untyped value, by move.
    pub fn into_value(self) -> Value {
        self.value
    }
}

impl<T> ToValue for Val<T> {
    fn to_value(&self) -> Value {
        self.value.clone()
    }
    fn into_value(self) -> Value {
        self.value
    }
}

impl<T: ToValue> From<T> for Val<T> {
    fn from(v: T) -> Self {
        Val::unchecked(v.into_value())
    }
}
impl From<&str> for Val<String> {
    fn from(v: &str) -> Self {
        Val::unchecked(Value::Str(v.into()))
    }
}
impl From<&String> for Val<String> {
    fn from(v: &String) -> Self {
        Val::unchecked(Value::Str(v.into()))
    }
}
macro_rules! int_into_val {
    ($($t:ty),*) => {$(
        impl From<$t> for Val<i64> {
            fn from(v: $t) -> Self { Val::unchecked(Value::Int(i64::from(v))) }
        }
    )*};
}
int_into_val!(i32, u32, u16, u8);
impl From<i32> for Val<f64> {
    fn from(v: i32) -> Self {
        Val::unchecked(Value::Float(f64::from(v)))
    }
}
impl<T> From<Vec<Val<T>>> for Val<Vec<T>> {
    fn from(v: Vec<Val<T>>) -> Self {
        Val::unchecked(Value::List(v.into_iter().map(Val::into_value).collect()))
    }
}
impl From<Vec<&str>> for Val<Vec<String>> {
    fn from(v: Vec<&str>) -> Self {
        Val::unchecked(Value::List(
            v.into_iter().map(|s| Value::Str(s.into())).collect(),
        ))
    }
}
impl<const N: usize> From<[&str; N]> for Val<Vec<String>> {
    fn from(v: [&str; N]) -> Self {
        Val::unchecked(Value::List(
            v.into_iter().map(|s| Value::Str(s.into())).collect(),
        ))
    }
}

/// A resource tag, `{"Key": k, "Value": v}`: the one tag type every generated resource with a
/// key/value tag list uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    /// Tag key.
    pub key: Val<String>,
    /// Tag value.
    pub value: Val<String>,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<Val<String>>, value: impl Into<Val<String>>) -> Self {
        Tag { key: key.into(), value: value.into() }
    }
}

impl ToValue for Tag {
    fn to_value(&self) -> Value {
        self.clone().into_value()
    }
    fn into_value(self) -> Value {
        let mut m = Map::with_capacity(2);
        m.insert("Key", self.key.into_value());
        m.insert("Value", self.value.into_value());
        Value::Map(m)
    }
}

/// Free-form JSON (a property whose schema has no fixed shape, such as an IAM policy document).
pub type Json = Value;

/// Typed constructors for CloudFormation's intrinsic functions.
///
/// `Ref` and `Fn::GetAtt` come from resource and parameter handles (`.ref_()`, `.attr_*()`),
/// which keep the target typed; these are the rest.
pub mod fns {
    use super::*;

    /// `Fn::Join`: concatenates `parts` with `delimiter`.
    pub fn join<I: IntoIterator<Item = Val<String>>>(delimiter: &str, parts: I) -> Val<String> {
        let mut flat: Vec<Value> = Vec::new();
        for p in parts {
            flat.push(p.into_value());
        }
        Val::unchecked(Value::Join(delimiter.into(), Box::new(flat)))
    }

    /// `Fn::Sub` without a variable map.
    pub fn sub(template: &str) -> Val<String> {
        Val::unchecked(Value::Sub(template.into(), Box::default()))
    }

    /// `Fn::Sub` with a variable map.
    pub fn sub_with<I: IntoIterator<Item = (String, Val<String>)>>(
        template: &str,
        vars: I,
    ) -> Val<String> {
        Val::unchecked(Value::Sub(
            template.into(),
            Box::new(vars.into_iter().map(|(k, v)| (k, v.into_value())).collect()),
        ))
    }

    /// `Fn::Select`: the `index`th element of a list.
    pub fn select<T>(index: u32, list: Val<Vec<T>>) -> Val<T> {
        Val::unchecked(Value::Select(index, Box::new(list.into_value())))
    }

    /// `Fn::Split`.
    pub fn split(delimiter: &str, source: Val<String>) -> Val<Vec<String>> {
        Val::unchecked(Value::Split(
            delimiter.into(),
            Box::new(source.into_value()),
        ))
    }

    /// `Fn::GetAZs` for the stack's own region.
    pub fn get_azs() -> Val<Vec<String>> {
        Val::unchecked(Value::GetAzs(Box::new(Value::Str(Str::default()))))
    }

    /// `Fn::GetAZs` for a named region.
    pub fn get_azs_in(region: impl Into<Val<String>>) -> Val<Vec<String>> {
        Val::unchecked(Value::GetAzs(Box::new(region.into().into_value())))
    }

    /// `Fn::ImportValue` of another stack's export.
    pub fn import_value<T>(export_name: impl Into<Val<String>>) -> Val<T> {
        Val::unchecked(Value::ImportValue(Box::new(export_name.into().into_value())))
    }

    /// `Fn::Base64`.
    pub fn base64(v: impl Into<Val<String>>) -> Val<String> {
        Val::unchecked(Value::Base64(Box::new(v.into().into_value())))
    }

    /// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved from `ip_block`.
    pub fn cidr(
        ip_block: impl Into<Val<String>>,
        count: impl Into<Val<i64>>,
        cidr_bits: impl Into<Val<i64>>,
    ) -> Val<Vec<String>> {
        Val::unchecked(Value::Cidr(
            Box::new(ip_block.into().into_value()),
            Box::new(count.into().into_value()),
            Box::new(cidr_bits.into().into_value()),
        ))
    }

    /// `Fn::Equals` (for conditions).
    pub fn equals<T>(a: impl Into<Val<T>>, b: impl Into<Val<T>>) -> Val<bool> {
        Val::unchecked(Value::Equals(
            Box::new(a.into().into_value()),
            Box::new(b.into().into_value()),
        ))
    }

    /// `Fn::And` (for conditions; CloudFormation takes 2 to 10 operands).
    pub fn and<I: IntoIterator<Item = Val<bool>>>(conds: I) -> Val<bool> {
        Val::unchecked(Value::And(conds.into_iter().map(Val::into_value).collect()))
    }

    /// `Fn::Or` (for conditions; CloudFormation takes 2 to 10 operands).
    pub fn or<I: IntoIterator<Item = Val<bool>>>(conds: I) -> Val<bool> {
        Val::unchecked(Value::Or(conds.into_iter().map(Val::into_value).collect()))
    }

    /// `Fn::Not` (for conditions).
    pub fn not(cond: Val<bool>) -> Val<bool> {
        Val::unchecked(Value::Not(Box::new(cond.into_value())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Depth counts every level: literals at the bottom, lists, objects and functions above.
    #[test]
    fn depth_counts_each_level() {
        let json = |v: serde_json::Value| Value::from_json(&v);
        assert_eq!(Value::Str("x".into()).depth(), 1);
        assert_eq!(Value::List(Vec::new()).depth(), 1);
        assert_eq!(json(serde_json::json!([1, "a", true, null, 2.5])).depth(), 2);
        assert_eq!(json(serde_json::json!({"a": [1, {"b": "x"}], "c": 1})).depth(), 4);
        assert_eq!(json(serde_json::json!({"a": [[[[]]]]})).depth(), 5);
        let join = Value::Join("-".into(), Box::new(vec![Value::Str("a".into()), json(serde_json::json!(["b"]))]));
        assert_eq!(join.depth(), 3);
        assert_eq!(Value::List(vec![join]).depth(), 4);
        assert_eq!(Value::Base64(Box::new(Value::Str("x".into()))).depth(), 2);
    }

    #[test]
    fn literals_convert_with_their_types() {
        let s: Val<String> = "a".into();
        let n: Val<i64> = 8080u16.into();
        let b: Val<bool> = true.into();
        let l: Val<Vec<String>> = vec!["a", "b"].into();
        assert_eq!(s.into_value(), Value::Str("a".into()));
        assert_eq!(n.into_value(), Value::Int(8080));
        assert_eq!(b.into_value(), Value::Bool(true));
        assert_eq!(
            l.into_value(),
            Value::List(vec![Value::Str("a".into()), Value::Str("b".into())])
        );
    }

    #[test]
    fn intrinsics_are_intrinsic() {
        assert!(fns::get_azs().as_value().is_intrinsic());
        assert!(fns::select(0, fns::get_azs()).as_value().is_intrinsic());
        assert!(!Val::<String>::from("x").as_value().is_intrinsic());
    }

    #[test]
    fn from_json_round_trips_literals() {
        let j = serde_json::json!({"a": [1, 2.5, "x", true, null]});
        let v = Value::from_json(&j);
        let Value::Map(m) = &v else { panic!("not a map") };
        assert_eq!(
            m.get("a").cloned().unwrap_or(Value::Null),
            Value::List(vec![
                Value::Int(1),
                Value::Float(2.5),
                Value::Str("x".into()),
                Value::Bool(true),
                Value::Null
            ])
        );
    }

    #[test]
    fn walk_visits_nested_values() {
        let v = fns::join("", [fns::select(1, fns::get_azs()), "x".into()]).into_value();
        let mut n = 0;
        v.walk(&mut |_| n += 1);
        // Join, Select, GetAZs, "" (GetAZs argument), "x"
        assert_eq!(n, 5);
    }

    /// The functions `walk` visits, in its order.
    fn functions_walked(v: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        v.walk(&mut |x| {
            if x.is_intrinsic() {
                out.push(x.clone());
            }
        });
        out
    }

    #[test]
    fn walk_intrinsics_visits_the_functions_walk_visits_in_its_order() {
        let inner = fns::join("-", [fns::select(1, fns::get_azs()), "x".into()]).into_value();
        let mut m = Map::new();
        m.insert("A", Value::List(vec![Value::Int(1), inner.clone(), Value::Pseudo(Pseudo::Region)]));
        m.insert("B", Value::Sub("${AWS::Region}".into(), Box::new(Map::new())));
        let shallow = Value::Map(m);
        // Deeper than the recursion goes, so that the explicit stack takes over.
        let mut deep = shallow.clone();
        for _ in 0..(WALK_RECURSION + 40) {
            deep = Value::List(vec![Value::Str("s".into()), deep, fns::get_azs().into_value()]);
        }
        for v in [&shallow, &deep] {
            let mut got = Vec::new();
            v.walk_intrinsics(|x| got.push(x.clone()));
            assert!(!got.is_empty());
            assert_eq!(got, functions_walked(v));
        }
        // Join, Select, GetAZs, the region, Sub
        let mut n = 0;
        shallow.walk_intrinsics(|_| n += 1);
        assert_eq!(n, 5);
    }

    #[test]
    fn walk_intrinsics_mut_replaces_as_walk_mut_does() {
        // Each `Fn::GetAZs` becomes `Fn::Base64` of `Fn::GetAZs` of a literal, whose function is
        // visited in turn (and left alone).
        let rewrite = |x: &mut Value| {
            if let Value::GetAzs(arg) = x {
                if !matches!(arg.as_ref(), Value::Str(s) if s == "done") {
                    *x = Value::Base64(Box::new(Value::GetAzs(Box::new(Value::Str("done".into())))));
                }
            }
        };
        let mut shallow = Value::List(vec![fns::select(1, fns::get_azs()).into_value(), Value::Int(3), fns::get_azs().into_value()]);
        let mut deep = shallow.clone();
        for _ in 0..(WALK_RECURSION + 40) {
            deep = Value::List(vec![Value::Str("s".into()), deep, fns::get_azs().into_value()]);
        }
        for v in [&mut shallow, &mut deep] {
            let mut want = v.clone();
            let mut seen_want = 0;
            want.walk_mut(&mut |x| {
                if x.is_intrinsic() {
                    seen_want += 1;
                    rewrite(x);
                }
            });
            let mut seen = 0;
            v.walk_intrinsics_mut(|x| {
                seen += 1;
                rewrite(x);
            });
            assert_eq!(*v, want);
            assert_eq!(seen, seen_want);
            assert!(want != Value::Null && seen > 4);
        }
        let Value::List(items) = &shallow else { panic!("a list") };
        assert_eq!(items.get(2), Some(&Value::Base64(Box::new(Value::GetAzs(Box::new(Value::Str("done".into())))))));
    }

    #[test]
    fn walk_objects_visits_the_objects_walk_visits_in_its_order() {
        let leaf = |k: &'static str| {
            let mut m = Map::new();
            m.insert(k, Value::Str(k.into()));
            Value::Map(m)
        };
        let mut m = Map::new();
        m.insert("A", Value::List(vec![Value::Int(1), leaf("x"), Value::Join("-".into(), Box::new(vec![leaf("y"), Value::Str("z".into())]))]));
        m.insert("B", leaf("w"));
        let shallow = Value::Map(m);
        let mut deep = shallow.clone();
        for _ in 0..(WALK_RECURSION + 40) {
            deep = Value::List(vec![Value::Str("s".into()), deep, leaf("v")]);
        }
        for v in [&shallow, &deep] {
            let mut got: Vec<Map> = Vec::new();
            v.walk_objects(|m| got.push(m.clone()));
            let mut want: Vec<Map> = Vec::new();
            v.walk(&mut |x| {
                if let Value::Map(m) = x {
                    want.push(m.clone());
                }
            });
            assert!(got.len() > 3);
            assert_eq!(got, want);
        }
        let mut keys = Vec::new();
        shallow.walk_objects(|m| keys.extend(m.keys().map(|k| k.to_string())));
        assert_eq!(keys, ["A", "B", "x", "y", "w"]);
    }
}
