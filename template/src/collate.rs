//! String order as JavaScript's `localeCompare` gives it for the ASCII names CDK sorts (tag
//! keys, `DependsOn` by construct path): the root collation, where punctuation comes before
//! digits and digits before letters, letters compare regardless of case first, and lower case
//! comes before upper case only when nothing else differs.

use std::cmp::Ordering;

/// ASCII punctuation and symbols in the root collation's order.
const PUNCTUATION: &str = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

/// Primary weight of a character: whitespace, punctuation, digits, letters (case folded), then
/// everything else by code point.
fn primary(c: char) -> (u8, u32) {
    if c.is_whitespace() {
        (0, u32::from(c))
    } else if let Some(i) = PUNCTUATION.find(c) {
        (1, u32::try_from(i).unwrap_or(u32::MAX))
    } else if c.is_ascii_digit() {
        (2, u32::from(c))
    } else if c.is_ascii_alphabetic() {
        (3, u32::from(c.to_ascii_lowercase()))
    } else {
        (4, u32::from(c))
    }
}

/// Compares as `a.localeCompare(b)` does for these strings.
pub fn locale_cmp(a: &str, b: &str) -> Ordering {
    // Both orders compare position by position, so a prefix the two share byte for byte
    // decides nothing: paths of one stack share most of theirs.
    let mut common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(common) {
        common = common.saturating_sub(1);
    }
    let (a, b) = (a.get(common..).unwrap_or(a), b.get(common..).unwrap_or(b));
    a.chars()
        .map(primary)
        .cmp(b.chars().map(primary))
        // Same letters: lower case first, position by position.
        .then_with(|| a.chars().map(|c| c.is_ascii_uppercase()).cmp(b.chars().map(|c| c.is_ascii_uppercase())))
}

#[cfg(test)]
mod tests {
    use super::locale_cmp;
    use std::cmp::Ordering::*;

    #[test]
    fn orders_as_cdk_sorts() {
        // Tags: CDK writes aws-cdk:subnet-name before Name.
        assert_eq!(locale_cmp("aws-cdk:subnet-name", "Name"), Less);
        // DependsOn by path: the GET method before the resource itself.
        assert_eq!(locale_cmp("S/Api/Default/v1/GET/Resource", "S/Api/Default/v1/Resource"), Less);
        assert_eq!(locale_cmp("a", "A"), Less);
        assert_eq!(locale_cmp("A", "b"), Less);
        assert_eq!(locale_cmp("x_y", "x-y"), Less);
        assert_eq!(locale_cmp("a:1", "a1"), Less);
        assert_eq!(locale_cmp("same", "same"), Equal);
        // A shared prefix, then the difference (after a shared multi-byte character too).
        assert_eq!(locale_cmp("S/Svc1/A", "S/Svc1/_"), Greater);
        assert_eq!(locale_cmp("S/Svc1/a", "S/Svc1/B"), Less);
        assert_eq!(locale_cmp("é/a", "é/B"), Less);
        assert_eq!(locale_cmp("éa", "èa"), "é".cmp("è"));
        assert_eq!(locale_cmp("ab", "abc"), Less);
        assert_eq!(locale_cmp("aB", "ab"), Greater);
    }
}
