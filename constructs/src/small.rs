//! Lists a construct keeps that usually hold one or two items (a task definition's containers,
//! a role's statements, a group's rules), and text joined without the formatting machinery.

/// Pushes `item`, making room for exactly one on the first push: a vector's first growth
/// otherwise makes room for four, and these items are hundreds of bytes each.
pub(crate) fn push<T>(list: &mut Vec<T>, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(item);
}

/// `parts` one after another, in a string made once with their room (what `format!` gives for
/// plain pieces, at a fraction of its cost; for text made per construct).
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).fold(0, usize::saturating_add));
    parts.iter().for_each(|p| out.push_str(p));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn concat_is_the_parts_in_order() {
        assert_eq!(super::concat(&["from ", "10.0.0.0/16", ":", "80"]), "from 10.0.0.0/16:80");
        assert_eq!(super::concat(&[]), "");
        assert_eq!(super::concat(&["é", "", "x"]), "éx");
    }

    #[test]
    fn the_first_item_gets_room_for_itself_only_and_later_ones_grow_as_usual() {
        let mut v: Vec<[u8; 300]> = Vec::new();
        super::push(&mut v, [0; 300]);
        assert_eq!(v.capacity(), 1);
        super::push(&mut v, [1; 300]);
        super::push(&mut v, [2; 300]);
        assert_eq!(v.len(), 3);
        assert!(v.capacity() >= 3);
        assert_eq!(v[2][0], 2);
    }
}
