//! CloudFormation logical IDs computed exactly as AWS CDK computes them, so a stack ported from
//! CDK keeps its logical IDs and CloudFormation replaces nothing.
//!
//! ```
//! use ironcdk_synth::logical_id::logical_id;
//! assert_eq!(logical_id(&["VPC", "Resource"]), "VPCB9E5F0B4");
//! assert_eq!(logical_id(&["VPC"]), "VPC");
//! ```

/// The path component CDK drops from logical IDs (and from hashes).
pub const DEFAULT_ID: &str = "Default";
/// The path component CDK keeps in the hash but drops from the readable part.
pub const RESOURCE_ID: &str = "Resource";
const MAX_HUMAN_LEN: usize = 240;
const MAX_ID_LEN: usize = 255;
const HASH_LEN: usize = 8;

/// Computes the logical ID of an element from its path components below the stack.
///
/// Components equal to `Default` are dropped. A single component is returned with its
/// non-alphanumeric characters removed (if that fits in 255 characters); otherwise the ID gets a readable part followed by the
/// first 8 hex characters (upper case) of the MD5 of the components joined by `/`.
pub fn logical_id<S: AsRef<str>>(components: &[S]) -> String {
    gathered(components.iter().map(AsRef::as_ref), logical_id_of_kept)
}

/// [`logical_id`] of the components of `path` from the `skip`-th on, as
/// [`path_components`] splits them, without collecting them into a vector.
pub fn logical_id_of_path(path: &str, skip: usize) -> String {
    gathered(Components { rest: Some(path), skip }, logical_id_of_kept)
}

/// Components gathered on the stack; a path with more uses a vector.
const INLINE_COMPONENTS: usize = 24;

/// Runs `f` on the components of `parts` other than `Default`, gathered on the stack while
/// they fit (construct paths are a few levels deep), in a vector past that.
fn gathered<'a, R>(parts: impl Iterator<Item = &'a str>, f: impl FnOnce(&[&'a str]) -> R) -> R {
    let mut inline: [&str; INLINE_COMPONENTS] = [""; INLINE_COMPONENTS];
    let mut n = 0usize;
    let mut spill: Vec<&str> = Vec::new();
    for c in parts.filter(|c| *c != DEFAULT_ID) {
        match inline.get_mut(n) {
            Some(slot) if spill.is_empty() => {
                *slot = c;
                n = n.saturating_add(1);
            }
            _ => {
                if spill.is_empty() {
                    spill.extend_from_slice(&inline);
                }
                spill.push(c);
            }
        }
    }
    if spill.is_empty() {
        f(inline.get(..n).unwrap_or_default())
    } else {
        f(&spill)
    }
}

/// [`logical_id`] of components with `Default` already left out.
fn logical_id_of_kept(comps: &[&str]) -> String {
    let mut id = String::new();
    push_logical_id(comps, &mut id);
    id
}

thread_local! {
    /// The text of the logical ID being made by [`logical_id_str_of_path`], kept between calls.
    static ID_TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// [`logical_id_of_path`] as the value model's text, written into a buffer kept for it: the ID's
/// one allocation is its shared text (none for a short one), not a `String` copied into it.
pub fn logical_id_str_of_path(path: &str, skip: usize) -> ironcdk_template::value::Str {
    ID_TEXT.with(|text| {
        let mut text = text.borrow_mut();
        text.clear();
        gathered(Components { rest: Some(path), skip }, |comps| push_logical_id(comps, &mut text));
        ironcdk_template::value::Str::new(text.as_str())
    })
}

/// Appends to the empty `out` the logical ID of components with `Default` already left out.
fn push_logical_id(comps: &[&str], out: &mut String) {
    if let [only] = comps {
        push_alphanumeric(out, only);
        if out.len() <= MAX_ID_LEN {
            return;
        }
        out.clear();
    }
    let human = comps.iter().map(|c| c.len()).fold(0usize, usize::saturating_add).min(MAX_HUMAN_LEN);
    out.reserve(human.saturating_add(HASH_LEN));
    // CDK's `removeDupes`: a component is left out when the previous one kept ends with it.
    let mut prev: Option<&str> = None;
    for c in comps.iter().copied() {
        if prev.is_some_and(|p| p.ends_with(c)) {
            continue;
        }
        prev = Some(c);
        if c != RESOURCE_ID {
            push_alphanumeric(out, c);
        }
    }
    // Only ASCII is left, so cutting at a byte index cuts at a character.
    out.truncate(MAX_HUMAN_LEN);
    push_path_hash(out, comps);
}

/// Appends the first 8 upper-case hex characters of the MD5 of the components joined by `/`.
fn push_path_hash(out: &mut String, comps: &[&str]) {
    let mut ctx = md5::Context::new();
    for (i, c) in comps.iter().enumerate() {
        if i > 0 {
            ctx.consume(b"/");
        }
        ctx.consume(c.as_bytes());
    }
    push_hex(out, &ctx.finalize().0[..HASH_LEN / 2], UPPER_HEX);
}

/// Keeps ASCII letters and digits only.
pub fn remove_non_alphanumeric(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_alphanumeric(&mut out, s);
    out
}

/// Appends the ASCII letters and digits of `s`.
fn push_alphanumeric(out: &mut String, s: &str) {
    // Construct ids are usually letters and digits only: one copy.
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(s);
    } else {
        out.extend(s.chars().filter(char::is_ascii_alphanumeric));
    }
}

/// Hex digits, upper case (CDK's path hash) and lower case (MD5 digests as usually printed).
pub(crate) const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
pub(crate) const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `bytes` as hex, two `digits` a byte.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8], digits: &[u8; 16]) {
    let digit = |n: u8| char::from(digits.get(usize::from(n)).copied().unwrap_or(b'0'));
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 15));
    }
}

/// The components of a construct path (`/`-separated) from the `skip`-th on: what
/// [`logical_id`] takes (`skip` 1 leaves out the stack). A scan for the byte `/`, which is
/// cheaper than `str::split`'s searcher for components this short. [`logical_id_of_path`]
/// takes the path itself.
pub fn path_components(path: &str, skip: usize) -> Vec<&str> {
    Components { rest: Some(path), skip }.collect()
}

/// The components of a path, `skip` of them left out first (see [`path_components`]).
struct Components<'a> {
    /// What is left of the path; `None` once its last component was given.
    rest: Option<&'a str>,
    skip: usize,
}

impl<'a> Iterator for Components<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            let rest = self.rest?;
            let c = match rest.bytes().position(|b| b == b'/') {
                Some(i) => {
                    // `/` is ASCII: the bytes around it are character boundaries.
                    self.rest = rest.get(i.saturating_add(1)..);
                    rest.get(..i).unwrap_or_default()
                }
                None => {
                    self.rest = None;
                    rest
                }
            };
            if self.skip == 0 {
                return Some(c);
            }
            self.skip = self.skip.saturating_sub(1);
        }
    }
}

/// Whether `s` is a valid CloudFormation logical ID (1-255 ASCII alphanumerics).
pub fn is_valid_logical_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 255 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(path: &str) -> String {
        logical_id(&path.split('/').collect::<Vec<_>>())
    }

    /// `path_components` gives what `split('/')` and `skip` give, on edge cases too.
    #[test]
    fn path_components_are_splits() {
        for path in ["", "/", "//", "a", "a/b", "Stack/A/B/Resource", "/a/", "é/日本/x", "a//b"] {
            for skip in 0..4 {
                assert_eq!(path_components(path, skip), path.split('/').skip(skip).collect::<Vec<_>>(), "{path:?} {skip}");
            }
        }
    }

    /// `logical_id_of_path` is `logical_id` of the path's components, past the components kept
    /// on the stack too.
    #[test]
    fn logical_id_of_path_is_logical_id_of_its_components() {
        let long: Vec<String> = (0..60).map(|i| if i % 7 == 3 { DEFAULT_ID.to_string() } else { format!("C{i}") }).collect();
        let mut paths: Vec<String> = ["", "A", "Stack/A", "Stack/Default/Resource", "S/Default", "S/a-b/Default/c", "S/Vpc/Resource/Resource"].map(String::from).to_vec();
        for n in [23, 24, 25, 26, 60] {
            paths.push(long.get(..n).unwrap_or_default().join("/"));
        }
        // One component past 255 characters gets the hashed form.
        paths.push(format!("S/{}", "a-".repeat(150)));
        paths.push(format!("S/{}", "ab".repeat(150)));
        for path in &paths {
            for skip in 0..3 {
                assert_eq!(logical_id_of_path(path, skip), logical_id(&path_components(path, skip)), "{path:?} {skip}");
                assert_eq!(logical_id_str_of_path(path, skip).as_str(), logical_id_of_path(path, skip), "{path:?} {skip}");
            }
        }
        // Past the inline components the hash still covers every one of them.
        let cut = long.get(..58).unwrap_or_default().join("/");
        assert_ne!(logical_id_of_path(&long.join("/"), 0), logical_id_of_path(&cut, 0));
    }

    // Vectors from CDK's own logical-id tests.
    #[test]
    fn cdk_vectors() {
        assert_eq!(
            id("Foo-bar/B00m/Hello_World/&&Horray Horray."),
            "FoobarB00mHelloWorldHorrayHorray640E99FB"
        );
        assert_eq!(id("Parent/Child/Resource/HeyThere"), "ParentChildHeyThere35220347");
        assert_eq!(id("Parent/ThingResource"), "ParentThingResource75D1D9CB");
        assert_eq!(id("VPC/Resource"), "VPCB9E5F0B4");
        assert_eq!(id("VPC/PublicSubnet1/Subnet"), "VPCPublicSubnet1SubnetB4246D30");
    }

    #[test]
    fn cdk_vector_256_x_is_cut_to_240_plus_hash() {
        let long = "x".repeat(256);
        assert_eq!(logical_id(&[long.as_str()]), format!("{}C7A139A2", "x".repeat(240)));
        // 255 characters still fit as a plain top-level ID.
        let fits = "x".repeat(255);
        assert_eq!(logical_id(&[fits.as_str()]), fits);
    }

    #[test]
    fn default_components_are_dropped_everywhere() {
        assert_eq!(id("Api/Default/v1/GET"), id("Api/v1/GET"));
        assert_eq!(id("Bucket/Default"), "Bucket");
    }

    #[test]
    fn duplicate_suffixes_collapse_only_in_readable_part() {
        // "ServiceService" would repeat: the second component is removed from the readable part.
        let got = id("MyService/Service");
        assert!(got.starts_with("MyService") && !got.starts_with("MyServiceService"), "{got}");
        assert_ne!(got, id("MyService/Other"));
    }

    #[test]
    fn validity() {
        assert!(is_valid_logical_id("VPCB9E5F0B4"));
        assert!(!is_valid_logical_id("a-b"));
        assert!(!is_valid_logical_id(""));
    }
}
