//! [`Map`]: the object of the value model. Template objects are small (a resource's properties,
//! a tag, a log configuration), so entries live in one vector in insertion order and keys the
//! code knows at compile time are not copied. Lookups scan the vector until a map reaches
//! [`INDEX_FROM`] entries; from then on a hash index keeps inserts and lookups constant-time,
//! so large maps (a big mapping, a policy with many statements) never go quadratic.

use std::borrow::{Borrow, Cow};
use crate::hash::HashMap;

use super::Value;

/// A map key: a `&'static str` the code names, or a `String` built at run time.
pub type Key = Cow<'static, str>;

/// Entry count from which a map keeps a hash index of its keys.
pub const INDEX_FROM: usize = 16;

/// An object: string keys in insertion order, each with a [`Value`].
///
/// ```
/// use ironcdk_template::value::{Map, Value};
/// let mut m = Map::new();
/// m.insert("Key", Value::Str("team".into()));
/// m.insert("Value", Value::Str("api".into()));
/// m.insert("Key", Value::Str("owner".into())); // replaces, keeps its place
/// assert_eq!(m.keys().collect::<Vec<_>>(), ["Key", "Value"]);
/// assert_eq!(m.get("Key"), Some(&Value::Str("owner".into())));
/// ```
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Key, Value)>,
    // Boxed so that the many small maps without an index stay 32 bytes.
    #[allow(clippy::box_collection)]
    index: Option<Box<HashMap<Key, usize>>>,
}

impl Map {
    /// An empty map.
    pub const fn new() -> Self {
        Map { entries: Vec::new(), index: None }
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Map { entries: Vec::with_capacity(n), index: None }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where `key` is: a scan of the entries, inlined where it is asked (most maps are small and
    /// have no index).
    #[inline(always)]
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(_) => self.indexed_position(key),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    /// [`Map::position`] in a map with an index.
    #[inline(never)]
    fn indexed_position(&self, key: &str) -> Option<usize> {
        self.index.as_ref().and_then(|index| index.get(key).copied())
    }

    fn reindex(&mut self) {
        self.index = (self.entries.len() >= INDEX_FROM).then(|| {
            Box::new(self.entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect())
        });
    }

    /// Sets `key` to `value`. A key already present keeps its place; a new key goes before the
    /// first key that sorts after it (in a map whose keys are sorted, as a generated resource's
    /// properties are, it keeps them sorted).
    pub fn insert_in_order(&mut self, key: impl Into<Key>, value: Value) {
        let key = key.into();
        if let Some(slot) = self.position(&key).and_then(|i| self.entries.get_mut(i)) {
            slot.1 = value;
            return;
        }
        let at = self.entries.iter().position(|(k, _)| **k > *key).unwrap_or(self.entries.len());
        self.entries.insert(at, (key, value));
        self.reindex();
    }

    /// Sets `key` to `value`. A key already present keeps its place and its old value is
    /// returned; a new key goes last.
    pub fn insert(&mut self, key: impl Into<Key>, value: Value) -> Option<Value> {
        let key = key.into();
        if let Some(slot) = self.position(&key).and_then(|i| self.entries.get_mut(i)) {
            return Some(std::mem::replace(&mut slot.1, value));
        }
        self.push_new(key, value);
        None
    }

    /// Appends `key`, which the caller knows is not in the map: the fields of a generated
    /// resource, the keys of another map. There is no scan for it (an insert's cost in a small
    /// map); a key that is there after all would be kept twice, so use [`Map::insert`] for keys
    /// that may repeat.
    #[inline]
    pub fn insert_distinct(&mut self, key: impl Into<Key>, value: Value) {
        self.push_new(key.into(), value);
    }

    /// Appends a key not yet in the map: a push, inlined where it is asked, while the map is
    /// small and has no index.
    #[inline(always)]
    fn push_new(&mut self, key: Key, value: Value) -> usize {
        let i = self.entries.len();
        if self.index.is_none() && i.saturating_add(1) < INDEX_FROM {
            self.entries.push((key, value));
            return i;
        }
        self.push_new_indexed(key, value)
    }

    /// [`Map::push_new`] into a map with an index, or one that needs one now.
    #[inline(never)]
    fn push_new_indexed(&mut self, key: Key, value: Value) -> usize {
        let i = self.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), i);
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            self.reindex();
        }
        i
    }

    /// The value of `key`, inserting `default()` last first when it is missing.
    pub fn get_or_insert_with(&mut self, key: impl Into<Key>, default: impl FnOnce() -> Value) -> &mut Value {
        let key = key.into();
        let i = match self.position(&key) {
            Some(i) => i,
            None => self.push_new(key, default()),
        };
        // `i` comes from `position` or `push_new`, so it is in range.
        #[allow(clippy::indexing_slicing)]
        &mut self.entries[i].1
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).and_then(|i| self.entries.get(i)).map(|e| &e.1)
    }

    /// The value of `key`, mutably.
    #[inline]
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position(key).and_then(|i| self.entries.get_mut(i)).map(|e| &mut e.1)
    }

    /// True when `key` is present.
    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Removes `key`, keeping the order of the other entries.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.position(key)?;
        let (_, v) = self.entries.remove(i);
        self.reindex();
        Some(v)
    }

    /// Sorts the entries by key (stable).
    pub fn sort_keys(&mut self) {
        self.entries.sort_by(|(a, _), (b, _)| a.cmp(b));
        self.reindex();
    }

    /// Sorts the entries by key as JavaScript's `localeCompare` does for ASCII keys (letters
    /// compared regardless of case first, lower case before upper on a tie), which is how CDK
    /// orders tags: `aws-cdk:subnet-name` before `Name`.
    pub fn sort_keys_like_locale(&mut self) {
        self.entries.sort_by(|(a, _), (b, _)| crate::collate::locale_cmp(a, b));
        self.reindex();
    }

    /// Entries in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// Entries in order with their keys as stored (no copy of a static key).
    pub(crate) fn iter_keys(&self) -> impl Iterator<Item = (&Key, &Value)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| k.borrow())
    }

    /// Values in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + '_ {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Values in order, to change in place.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Value> + '_ {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

/// Iterator over a map's entries in order.
pub struct Iter<'a>(std::slice::Iter<'a, (Key, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.borrow(), v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a str, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut m = Map::with_capacity(iter.size_hint().0);
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl<K: Into<Key>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}


impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(i: i64) -> Value {
        Value::Int(i)
    }

    #[test]
    fn keeps_insertion_order_and_replaces_in_place() {
        let mut m = Map::new();
        m.insert("b", int(1));
        m.insert("a", int(2));
        assert_eq!(m.insert("b", int(3)), Some(int(1)));
        assert_eq!(m.iter().collect::<Vec<_>>(), [("b", &int(3)), ("a", &int(2))]);
        assert_eq!(m.remove("b"), Some(int(3)));
        assert_eq!(m.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(m.remove("b"), None);
    }

    #[test]
    fn large_maps_index_their_keys_and_stay_consistent() {
        let mut m = Map::new();
        for i in 0..1000 {
            m.insert(format!("k{i}"), int(i));
        }
        assert!(m.index.is_some());
        assert_eq!(m.len(), 1000);
        assert_eq!(m.insert("k500", int(-1)), Some(int(500)));
        assert_eq!(m.get("k999"), Some(&int(999)));
        assert_eq!(m.remove("k0"), Some(int(0)));
        // Removal shifts positions; the index must follow.
        assert_eq!(m.get("k1"), Some(&int(1)));
        assert_eq!(m.keys().next(), Some("k1"));
        m.sort_keys();
        assert_eq!(m.get("k500"), Some(&int(-1)));
        assert_eq!(m.keys().take(3).collect::<Vec<_>>(), ["k1", "k10", "k100"]);
        *m.get_or_insert_with("new", || int(7)) = int(8);
        assert_eq!(m.keys().last(), Some("new"));
        assert_eq!(m.get("new"), Some(&int(8)));
    }

    /// Distinct keys appended without a scan make the same map as inserts, index included once
    /// the map is large.
    #[test]
    fn distinct_keys_appended_make_the_map_inserts_make() {
        for n in [0, 1, 3, INDEX_FROM - 1, INDEX_FROM, 40] {
            let (mut a, mut b) = (Map::new(), Map::new());
            for i in 0..n {
                a.insert(format!("k{i}"), int(i as i64));
                b.insert_distinct(format!("k{i}"), int(i as i64));
            }
            assert_eq!(a, b);
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
            assert_eq!(b.index.is_some(), n >= INDEX_FROM, "{n}");
            for i in 0..n {
                assert_eq!(b.get(&format!("k{i}")), Some(&int(i as i64)));
            }
            // A value's clone (which appends the keys it copies) keeps them, their order and
            // the index.
            let c = Value::Map(b).clone();
            let Value::Map(cm) = &c else { panic!("a map clones to a map") };
            assert_eq!(cm.index.is_some(), n >= INDEX_FROM, "{n}");
            assert_eq!(cm.get("k0"), a.get("k0"));
            assert_eq!(c, Value::Map(a));
        }
    }

    #[test]
    fn shrinking_below_the_threshold_drops_the_index() {
        let mut m: Map = (0..INDEX_FROM as i64).map(|i| (format!("k{i}"), int(i))).collect();
        assert!(m.index.is_some());
        m.remove("k3");
        assert!(m.index.is_none());
        assert_eq!(m.get("k4"), Some(&int(4)));
    }

    #[test]
    fn equality_ignores_the_index() {
        let big: Map = (0..20).map(|i| (format!("k{i}"), int(i))).collect();
        let mut same = Map::new();
        same.entries = big.entries.clone();
        assert_eq!(big, same);
    }
}
