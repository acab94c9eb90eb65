//! Edits applied to a resource's value before it is written: inherited tags and overrides.

use ironcdk_template::write::literal;
use crate::element::TagFormat;
use crate::value::{Map, Value};

/// Merges tags inherited from the tree into the tags property (`Tags`, or the type's own, such
/// as `HostedZoneTags`). Explicit tags win over
/// inherited ones with the same key; the result is sorted by key. Tags given as an intrinsic,
/// or as a list that is not plain data, are left exactly as given.
pub(crate) fn merge_tags(props: &mut Map, format: TagFormat, inherited: Map) {
    let mut all = inherited;
    let property = format.property();
    match (format, props.get(property)) {
        (_, None) => {}
        (TagFormat::KeyValueList | TagFormat::KeyValueListIn(_), Some(Value::List(items))) => {
            for item in items {
                let Value::Map(m) = item else { return };
                match (m.get("Key").and_then(literal), m.get("Value")) {
                    (Some(k), Some(v)) => {
                        all.insert(k.into_owned(), v.clone());
                    }
                    _ => return,
                }
            }
        }
        (TagFormat::StringMap, Some(Value::Map(m))) => {
            for (k, v) in m {
                all.insert(k.to_string(), v.clone());
            }
        }
        _ => return,
    }
    if all.is_empty() {
        return;
    }
    // In CDK's order, so a ported stack's tags render identically.
    all.sort_keys_like_locale();
    let tags = match format {
        TagFormat::KeyValueList | TagFormat::KeyValueListIn(_) => Value::List(
            all.into_iter()
                .map(|(k, v)| {
                    let mut m = Map::with_capacity(2);
                    m.insert("Key", Value::Str(k.into()));
                    m.insert("Value", v);
                    Value::Map(m)
                })
                .collect(),
        ),
        TagFormat::StringMap => Value::Map(all),
    };
    props.insert_in_order(property, tags);
}

/// The list index `part` names in `cur`, when `cur` is a list that long.
fn list_index(cur: &Value, part: &str) -> Option<usize> {
    match (cur, part.parse::<usize>()) {
        (Value::List(items), Ok(i)) if i < items.len() => Some(i),
        _ => None,
    }
}

/// Sets the value at `path` (keys, or indexes into lists), creating objects on the way, as
/// CDK's `addOverride` does.
pub(crate) fn set_path(root: &mut Value, path: &[String], v: Value) {
    let Some((last, init)) = path.split_last() else { return };
    let mut cur = root;
    for part in init {
        let index = list_index(cur, part);
        if index.is_none() && !matches!(cur, Value::Map(_)) {
            *cur = Value::Map(Map::new());
        }
        cur = match (cur, index) {
            (Value::List(items), Some(i)) => match items.get_mut(i) {
                Some(item) => item,
                None => return,
            },
            (Value::Map(m), _) => m.get_or_insert_with(part.clone(), || Value::Map(Map::new())),
            _ => return,
        };
    }
    let index = list_index(cur, last);
    if index.is_none() && !matches!(cur, Value::Map(_)) {
        *cur = Value::Map(Map::new());
    }
    match (cur, index) {
        (Value::List(items), Some(i)) => {
            if let Some(item) = items.get_mut(i) {
                *item = v;
            }
        }
        (Value::Map(m), _) => {
            m.insert(last.clone(), v);
        }
        _ => {}
    }
}

/// Removes the value at `path`, if there is one.
pub(crate) fn delete_path(root: &mut Value, path: &[String]) {
    let Some((last, init)) = path.split_last() else { return };
    let mut cur = root;
    for part in init {
        let next = match cur {
            Value::Map(m) => m.get_mut(part),
            Value::List(items) => part.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match cur {
        Value::Map(m) => {
            m.remove(last);
        }
        Value::List(items) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }
    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    #[test]
    fn set_path_creates_objects_and_indexes_lists() {
        let mut v = map(&[("Properties", map(&[("A", Value::List(vec![map(&[("B", Value::Int(1))])]))]))]);
        set_path(&mut v, &path("Properties.A.0.C"), Value::Int(2));
        set_path(&mut v, &path("Properties.X.Y"), Value::Str("z".into()));
        let want = map(&[(
            "Properties",
            map(&[
                ("A", Value::List(vec![map(&[("B", Value::Int(1)), ("C", Value::Int(2))])])),
                ("X", map(&[("Y", Value::Str("z".into()))])),
            ]),
        )]);
        assert_eq!(v, want);
    }

    #[test]
    fn delete_path_removes_keys_and_items() {
        let mut v = map(&[("Properties", map(&[("A", Value::List(vec![Value::Int(1), Value::Int(2)])), ("B", Value::Int(3))]))]);
        delete_path(&mut v, &path("Properties.B"));
        delete_path(&mut v, &path("Properties.A.0"));
        delete_path(&mut v, &path("Properties.Missing.X"));
        assert_eq!(v, map(&[("Properties", map(&[("A", Value::List(vec![Value::Int(2)]))]))]));
    }

    #[test]
    fn tags_merge_sorted_with_explicit_winning() {
        let tag = |k: &str, v: &str| map(&[("Key", Value::Str(k.into())), ("Value", Value::Str(v.into()))]);
        let mut props = Map::new();
        props.insert("Tags", Value::List(vec![tag("b", "explicit")]));
        let mut inherited = Map::new();
        inherited.insert("c", Value::Str("1".into()));
        inherited.insert("b", Value::Str("inherited".into()));
        merge_tags(&mut props, TagFormat::KeyValueList, inherited);
        assert_eq!(props.get("Tags").cloned().unwrap_or(Value::Null), Value::List(vec![tag("b", "explicit"), tag("c", "1")]));
    }

    #[test]
    fn tags_given_as_an_intrinsic_are_left_alone() {
        let mut props = Map::new();
        props.insert("Tags", Value::Pseudo(crate::value::Pseudo::NoValue));
        let mut inherited = Map::new();
        inherited.insert("c", Value::Str("1".into()));
        merge_tags(&mut props, TagFormat::KeyValueList, inherited);
        assert_eq!(props.get("Tags").cloned().unwrap_or(Value::Null), Value::Pseudo(crate::value::Pseudo::NoValue));
    }
}
