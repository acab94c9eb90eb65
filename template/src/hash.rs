//! Hash maps and sets with a fast hasher (foldhash), seeded at random per process as the
//! standard library's are, so that keys read from a hostile template cannot be chosen to
//! collide. SipHash was 8% of synth on a 10,000-resource app; these maps hold logical IDs,
//! construct ids and keys of the value model.

/// A `HashMap` with the fast hasher; make one with `HashMap::default()`.
pub type HashMap<K, V> = std::collections::HashMap<K, V, RandomState>;

/// A `HashSet` with the fast hasher; make one with `HashSet::default()`.
pub type HashSet<K> = std::collections::HashSet<K, RandomState>;

/// An insertion-ordered map with the fast hasher; make one with `IndexMap::default()`.
pub type IndexMap<K, V> = indexmap::IndexMap<K, V, RandomState>;

/// The hasher state of these maps.
pub type RandomState = foldhash::fast::RandomState;

/// An empty map with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, RandomState::default())
}
