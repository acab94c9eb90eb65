//! Lists a construct keeps that usually hold one or two items (a task definition's containers,
//! a role's statements, a group's rules).

/// Pushes `item`, making room for exactly one on the first push: a vector's first growth
/// otherwise makes room for four, and these items are hundreds of bytes each.
pub(crate) fn push<T>(list: &mut Vec<T>, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(item);
}

#[cfg(test)]
mod tests {

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
