//! Cloning values of any depth. A derived `Clone` recurses once per level, so a value nested
//! tens of thousands of levels deep (which synth then refuses, see [`super::MAX_DEPTH`]) would
//! overflow the stack before it could be refused. Shallow values, all real ones, are cloned
//! recursively; past [`WALK_RECURSION`] levels the rest is cloned with an explicit stack.

use super::{Map, Value, WALK_RECURSION};

impl Clone for Value {
    fn clone(&self) -> Self {
        clone_at(self, 0)
    }
}

fn boxed(v: &Value, depth: usize) -> Box<Value> {
    Box::new(clone_at(v, depth))
}

fn clone_at(v: &Value, depth: usize) -> Value {
    if depth > WALK_RECURSION {
        return clone_iterative(v);
    }
    let d = depth.saturating_add(1);
    let list = |items: &[Value]| items.iter().map(|x| clone_at(x, d)).collect::<Vec<_>>();
    match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::Float(f) => Value::Float(*f),
        Value::Str(s) => Value::Str(s.clone()),
        Value::List(items) => Value::List(list(items)),
        Value::Map(m) => Value::Map(m.clone_with(|x| clone_at(x, d))),
        Value::Pseudo(p) => Value::Pseudo(*p),
        Value::Ref(e) => Value::Ref(*e),
        Value::GetAtt(e, a) => Value::GetAtt(*e, a.clone()),
        Value::GetAttList(e, a) => Value::GetAttList(*e, a.clone()),
        Value::Sub(t, m) => Value::Sub(t.clone(), Box::new(m.clone_with(|x| clone_at(x, d)))),
        Value::Join(s, items) => Value::Join(s.clone(), Box::new(list(items))),
        Value::Select(i, x) => Value::Select(*i, boxed(x, d)),
        Value::Split(s, x) => Value::Split(s.clone(), boxed(x, d)),
        Value::GetAzs(x) => Value::GetAzs(boxed(x, d)),
        Value::ImportValue(x) => Value::ImportValue(boxed(x, d)),
        Value::If(e, a, b) => Value::If(*e, boxed(a, d), boxed(b, d)),
        Value::Equals(a, b) => Value::Equals(boxed(a, d), boxed(b, d)),
        Value::And(items) => Value::And(list(items)),
        Value::Or(items) => Value::Or(list(items)),
        Value::Not(x) => Value::Not(boxed(x, d)),
        Value::Condition(e) => Value::Condition(*e),
        Value::FindInMap(e, a, b) => Value::FindInMap(*e, boxed(a, d), boxed(b, d)),
        Value::Base64(x) => Value::Base64(boxed(x, d)),
        Value::Cidr(a, b, c) => Value::Cidr(boxed(a, d), boxed(b, d), boxed(c, d)),
    }
}

/// The values directly inside `v`, in order.
fn children(v: &Value) -> Vec<&Value> {
    let mut out: Vec<&Value> = Vec::new();
    push_children!(v, out, iter, values, as_ref);
    out.reverse();
    out
}

/// `v` rebuilt around already-cloned children (given in order).
fn rebuild(v: &Value, kids: Vec<Value>) -> Value {
    let mut it = kids.into_iter();
    let mut next = || Box::new(it.next().unwrap_or(Value::Null));
    match v {
        Value::List(_) => Value::List(std::iter::from_fn(|| Some(*next())).take(count(v)).collect()),
        Value::Join(s, _) => Value::Join(s.clone(), Box::new(std::iter::from_fn(|| Some(*next())).take(count(v)).collect())),
        Value::And(_) => Value::And(std::iter::from_fn(|| Some(*next())).take(count(v)).collect()),
        Value::Or(_) => Value::Or(std::iter::from_fn(|| Some(*next())).take(count(v)).collect()),
        Value::Map(m) => Value::Map(m.clone_with(|_| *next())),
        Value::Sub(t, m) => Value::Sub(t.clone(), Box::new(m.clone_with(|_| *next()))),
        Value::Select(i, _) => Value::Select(*i, next()),
        Value::Split(s, _) => Value::Split(s.clone(), next()),
        Value::GetAzs(_) => Value::GetAzs(next()),
        Value::ImportValue(_) => Value::ImportValue(next()),
        Value::Not(_) => Value::Not(next()),
        Value::Base64(_) => Value::Base64(next()),
        Value::If(e, _, _) => {
            let a = next();
            Value::If(*e, a, next())
        }
        Value::Equals(_, _) => {
            let a = next();
            Value::Equals(a, next())
        }
        Value::FindInMap(e, _, _) => {
            let a = next();
            Value::FindInMap(*e, a, next())
        }
        Value::Cidr(_, _, _) => {
            let a = next();
            let b = next();
            Value::Cidr(a, b, next())
        }
        leaf => clone_at(leaf, 0),
    }
}

fn count(v: &Value) -> usize {
    match v {
        Value::List(items) | Value::And(items) | Value::Or(items) => items.len(),
        Value::Join(_, items) => items.len(),
        _ => 0,
    }
}

/// Post-order clone with an explicit stack: children are cloned before the value around them.
fn clone_iterative(root: &Value) -> Value {
    enum Task<'a> {
        Visit(&'a Value),
        Build(&'a Value, usize),
    }
    let mut tasks = vec![Task::Visit(root)];
    let mut done: Vec<Value> = Vec::new();
    while let Some(t) = tasks.pop() {
        match t {
            Task::Visit(v) => {
                let kids = children(v);
                tasks.push(Task::Build(v, kids.len()));
                tasks.extend(kids.into_iter().rev().map(Task::Visit));
            }
            Task::Build(v, n) => {
                let kids = done.split_off(done.len().saturating_sub(n));
                done.push(rebuild(v, kids));
            }
        }
    }
    done.pop().unwrap_or(Value::Null)
}

impl Map {
    /// A copy of the map whose values are made by `f` from this map's values, in order.
    pub(crate) fn clone_with(&self, f: impl FnMut(&Value) -> Value) -> Map {
        let mut f = f;
        let mut out = Map::with_capacity(self.len());
        // The keys are this map's: distinct.
        for (k, v) in self.iter_keys() {
            out.insert_distinct(k.clone(), f(v));
        }
        out
    }
}

impl Drop for Value {
    /// Frees nested values bottom-up, counting the depth: plain recursion for the levels every
    /// real value has, an explicit stack past `WALK_RECURSION` levels, so that dropping a value
    /// of any depth does not overflow the call stack. A literal has nothing to do.
    fn drop(&mut self) {
        if self.has_children() {
            drop_children(self, 0);
        }
    }
}

/// Empties `v` of the values nested in it, deepest first: each child's own children are
/// freed before the child is, so no free recurses more than one level.
fn drop_children(v: &mut Value, depth: usize) {
    if depth > WALK_RECURSION {
        let mut stack: Vec<Value> = Vec::new();
        take_children(v, &mut stack);
        while let Some(mut c) = stack.pop() {
            take_children(&mut c, &mut stack);
        }
        return;
    }
    let d = depth.saturating_add(1);
    let empty = |x: &mut Value| {
        if x.has_children() {
            drop_children(x, d);
        }
    };
    match v {
        Value::List(items) | Value::And(items) | Value::Or(items) => {
            items.iter_mut().for_each(empty);
            items.clear();
        }
        Value::Join(_, items) => {
            items.iter_mut().for_each(empty);
            items.clear();
        }
        Value::Map(m) => {
            m.values_mut().for_each(empty);
            *m = super::Map::new();
        }
        Value::Sub(_, m) => {
            m.values_mut().for_each(empty);
            **m = super::Map::new();
        }
        Value::Select(_, x) | Value::Split(_, x) | Value::GetAzs(x) | Value::ImportValue(x) | Value::Not(x) | Value::Base64(x) => {
            empty(x);
            **x = Value::Null;
        }
        Value::If(_, a, b) | Value::Equals(a, b) | Value::FindInMap(_, a, b) => {
            empty(a);
            empty(b);
            **a = Value::Null;
            **b = Value::Null;
        }
        Value::Cidr(a, b, c) => {
            empty(a);
            empty(b);
            empty(c);
            **a = Value::Null;
            **b = Value::Null;
            **c = Value::Null;
        }
        _ => {}
    }
}

/// Moves the values nested in `v` onto `stack`.
fn take_children(v: &mut Value, stack: &mut Vec<Value>) {
    match v {
        Value::List(items) | Value::And(items) | Value::Or(items) => stack.append(items),
        Value::Join(_, items) => stack.append(items),
        Value::Map(m) => stack.extend(m.values_mut().map(std::mem::take)),
        Value::Sub(_, m) => stack.extend(m.values_mut().map(std::mem::take)),
        Value::Select(_, x) | Value::Split(_, x) | Value::GetAzs(x) | Value::ImportValue(x) | Value::Not(x) | Value::Base64(x) => {
            stack.push(std::mem::take(&mut **x));
        }
        Value::If(_, a, b) | Value::Equals(a, b) | Value::FindInMap(_, a, b) => {
            stack.push(std::mem::take(&mut **a));
            stack.push(std::mem::take(&mut **b));
        }
        Value::Cidr(a, b, c) => {
            stack.push(std::mem::take(&mut **a));
            stack.push(std::mem::take(&mut **b));
            stack.push(std::mem::take(&mut **c));
        }
        _ => {}
    }
}

impl Value {
    /// Whether the value holds other values (so freeing it may recurse).
    fn has_children(&self) -> bool {
        match self {
            Value::List(items) | Value::And(items) | Value::Or(items) => !items.is_empty(),
            Value::Join(_, items) => !items.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Sub(_, m) => !m.is_empty(),
            _ => self.is_intrinsic() && !matches!(self, Value::Pseudo(_) | Value::Ref(_) | Value::GetAtt(..) | Value::GetAttList(..) | Value::Condition(_)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_any_depth_clone_and_drop_on_a_small_stack() {
        let run = std::thread::Builder::new().stack_size(1024 * 1024).spawn(|| {
            let mut v = Value::Null;
            for i in 0..200_000 {
                v = if i % 2 == 0 { Value::Base64(Box::new(v)) } else { Value::List(vec![v]) };
            }
            let c = v.clone();
            assert_eq!(c.depth(), 200_001);
            drop(v);
            drop(c);
        });
        assert!(run.unwrap().join().is_ok());
    }

    #[test]
    fn deep_and_shallow_clones_are_equal_to_the_original() {
        let mut v = Value::Str("x".into());
        for i in 0..2_000 {
            v = match i % 5 {
                0 => Value::Base64(Box::new(v)),
                1 => Value::List(vec![Value::Int(1), v, Value::Null]),
                2 => Value::Map([("A", Value::Bool(true)), ("B", v)].into_iter().collect()),
                3 => Value::Equals(Box::new(v), Box::new(Value::Str("y".into()))),
                _ => Value::Join(",".into(), Box::new(vec![v])),
            };
        }
        let c = v.clone();
        assert_eq!(c.depth(), v.depth());
        assert_eq!(c.depth(), 2_001);
        // Compare iteratively (a derived comparison recurses too).
        let (mut a, mut b) = (Vec::new(), Vec::new());
        v.walk(&mut |x| a.push(format!("{:?}", std::mem::discriminant(x))));
        c.walk(&mut |x| b.push(format!("{:?}", std::mem::discriminant(x))));
        assert_eq!(a, b);
        let shallow = Value::Map([("K", Value::List(vec![Value::Str("s".into())]))].into_iter().collect());
        assert_eq!(shallow.clone(), shallow);
    }
}
