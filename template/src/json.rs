//! A JSON text writer for the files synth writes most of (templates, `tree.json`): bytes
//! appended to one buffer, strings escaped a word at a time, and the layout of `serde_json`'s
//! compact or pretty (two-space) output, byte for byte. Profiling a 10,000-resource app showed
//! serde's per-call layering and per-byte escaping among the largest costs of writing.

/// One JSON document being written.
#[derive(Debug)]
pub struct JsonWriter {
    // Text, not bytes: every piece written is a `&str` or ASCII, so the document never needs
    // checking as UTF-8 at the end (10 MB of templates took 6 M instructions to check).
    out: String,
    pretty: bool,
    /// For each open object or array: whether nothing was written in it yet.
    empty: Vec<bool>,
}

impl JsonWriter {
    /// A writer with `capacity` bytes reserved; `pretty` for the two-space layout.
    pub fn new(pretty: bool, capacity: usize) -> Self {
        JsonWriter { out: String::with_capacity(capacity), pretty, empty: Vec::with_capacity(16) }
    }

    /// The bytes written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out.into_bytes()
    }

    /// The text written.
    pub fn into_string(self) -> String {
        self.out
    }

    fn line(&mut self) {
        crate::pretty::push_line_break(&mut self.out, self.empty.len(), false);
    }

    /// Before a member or element: the separator and, pretty, the line and indent (one
    /// piece of text).
    fn next(&mut self) {
        let comma = match self.empty.last_mut() {
            Some(empty) => !std::mem::replace(empty, false),
            None => false,
        };
        if self.pretty && !self.empty.is_empty() {
            crate::pretty::push_line_break(&mut self.out, self.empty.len(), comma);
        } else if comma {
            self.out.push(',');
        }
    }

    fn open(&mut self, c: char) {
        self.out.push(c);
        self.empty.push(true);
    }

    fn close(&mut self, c: char) {
        let was_empty = self.empty.pop().unwrap_or(true);
        if self.pretty && !was_empty {
            self.line();
        }
        self.out.push(c);
    }

    /// `{`
    #[inline]
    pub fn begin_object(&mut self) {
        self.open('{');
    }

    /// `}`
    #[inline]
    pub fn end_object(&mut self) {
        self.close('}');
    }

    /// `[`
    #[inline]
    pub fn begin_array(&mut self) {
        self.open('[');
    }

    /// `]`
    #[inline]
    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Starts an array element; write its value next.
    #[inline]
    pub fn element(&mut self) {
        self.next();
    }

    /// Starts an object member named `key`; write its value next.
    pub fn key(&mut self, key: &str) {
        self.next();
        self.out.push('"');
        escape_into(&mut self.out, key);
        self.end_key();
    }

    /// After a key's text: its closing quote, the colon and (pretty) a space, as three pushes
    /// (cheaper than a copy of three bytes).
    fn end_key(&mut self) {
        self.out.push('"');
        self.out.push(':');
        if self.pretty {
            self.out.push(' ');
        }
    }

    /// Starts an object member whose whole key text (quotes, colon and, for `pretty`, the
    /// space) is given for either layout: [`json_key!`](crate::json_key) makes both when
    /// compiled, so writing the key is one copy.
    #[doc(hidden)]
    #[inline]
    pub fn key_text(&mut self, pretty: &'static str, compact: &'static str) {
        self.next();
        self.out.push_str(if self.pretty { pretty } else { compact });
    }

    /// A string value, escaped as `serde_json` escapes.
    pub fn string(&mut self, s: &str) {
        self.out.push('"');
        self.escaped(s);
        self.out.push('"');
    }

    /// One string value: `parts` one after the other (spares building the whole string).
    pub fn string_of(&mut self, parts: &[&str]) {
        self.out.push('"');
        for p in parts.iter().filter(|p| !p.is_empty()) {
            self.escaped(p);
        }
        self.out.push('"');
    }

    /// `s` escaped as `serde_json` escapes, without quotes.
    fn escaped(&mut self, s: &str) {
        escape_into(&mut self.out, s);
    }

    /// An integer.
    pub fn int(&mut self, i: i64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = i.unsigned_abs();
        loop {
            at = at.saturating_sub(1);
            if let Some(d) = digits.get_mut(at) {
                *d = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if i < 0 {
            self.out.push('-');
        }
        for d in digits.get(at..).unwrap_or_default() {
            self.out.push(char::from(*d));
        }
    }

    /// A number as `serde_json` writes an `f64` (`730.0`, `0.04048`; `null` when not finite).
    pub fn float(&mut self, f: f64) {
        // serde_json's own formatting (its formatter, called as serde_json calls it).
        if f.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(f));
        } else {
            self.null();
        }
    }

    /// A `serde_json` value, laid out as `serde_json` lays it out (members in the map's order).
    pub fn json_value(&mut self, v: &serde_json::Value) {
        match v {
            serde_json::Value::Null => self.null(),
            serde_json::Value::Bool(b) => self.bool(*b),
            serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => self.int(i),
                (None, Some(f)) if n.is_f64() => self.float(f),
                // Past `i64::MAX`: serde_json's own digits.
                _ => self.out.push_str(&n.to_string()),
            },
            serde_json::Value::String(s) => self.string(s),
            serde_json::Value::Array(items) => {
                self.begin_array();
                for x in items {
                    self.element();
                    self.json_value(x);
                }
                self.end_array();
            }
            serde_json::Value::Object(members) => {
                self.begin_object();
                for (k, x) in members {
                    self.key(k);
                    self.json_value(x);
                }
                self.end_object();
            }
        }
    }

    /// `true` or `false`.
    pub fn bool(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
    }

    /// `null`
    pub fn null(&mut self) {
        self.out.push_str("null");
    }
}

/// Whether `s` is written the same escaped or not (no control character, quote or backslash):
/// for [`json_key!`](crate::json_key)'s compile-time check.
pub const fn needs_no_escape(s: &str) -> bool {
    let mut rest = s.as_bytes();
    while let [first, tail @ ..] = rest {
        if *first < 0x20 || *first == b'"' || *first == b'\\' {
            return false;
        }
        rest = tail;
    }
    true
}

/// `json_key!(writer, "name")`: [`JsonWriter::key`] for a literal name, whose escaping is
/// settled when the program is compiled rather than scanned each time it is written.
#[macro_export]
macro_rules! json_key {
    ($w:expr, $k:literal) => {{
        let (pretty, compact) = $crate::json_key_text!($k);
        $w.key_text(pretty, compact)
    }};
}

/// `json_key_text!("name")`: the key texts of a literal name for [`JsonWriter::key_text`],
/// pretty (`"name": `) and compact (`"name":`), checked when compiled to need no escape.
#[doc(hidden)]
#[macro_export]
macro_rules! json_key_text {
    ($k:literal) => {{
        const _: () = assert!($crate::json::needs_no_escape($k), "this key needs escaping: use JsonWriter::key");
        (concat!("\"", $k, "\": "), concat!("\"", $k, "\":"))
    }};
}

/// Appends `s` to `out` escaped as `serde_json` escapes a string, without the quotes (for
/// writers that lay out their own JSON, such as `tree.json`'s).
#[inline]
pub fn escape_into(out: &mut String, s: &str) {
    // Most strings (keys, ids, names; 13 bytes on average) need no escape: one copy.
    if needs_escape(s) {
        escape_some(out, s);
    } else {
        out.push_str(s);
    }
}

/// Whether `s` holds a character JSON escapes (a quote, a backslash or a control character):
/// a table lookup per byte with no early exit. A writer that knows text is free of them (made
/// of parts it checked) can append it as it is.
#[inline]
pub fn needs_escape(s: &str) -> bool {
    s.as_bytes().iter().fold(0u8, |acc, &b| acc | ESCAPE.get(usize::from(b)).copied().unwrap_or(0)) != 0
}

/// [`escape_into`] for text with something to escape.
#[cold]
fn escape_some(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    // Every byte escaped is ASCII, so the text between escapes starts and ends on
    // character boundaries.
    while let Some(i) = find_escape(bytes, start) {
        out.push_str(s.get(start..i).unwrap_or_default());
        let b = bytes.get(i).copied().unwrap_or(0);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0')));
            }
        }
        start = i.saturating_add(1);
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// 1 for the bytes JSON must escape: control characters, `"` and `\\`. (Built at compile
/// time, where an index out of range would fail the build.)
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 1;
        i += 1;
    }
    t[b'"' as usize] = 1;
    t[b'\\' as usize] = 1;
    t
};

/// The index of the first byte at or after `from` that JSON must escape: a quote, a
/// backslash or a control character. Eight bytes at a time.
fn find_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const SLASHES: u64 = ONES * b'\\' as u64;
    const SPACES: u64 = ONES * 0x20;
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut skipped = 0usize;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // The has-zero-byte test on x - 0x20.. (a byte below 0x20), x ^ '"'.. and x ^ '\\'..;
        // it never misses one, and the exact scan below settles the chunk it stops at.
        let (q, s) = (x ^ QUOTES, x ^ SLASHES);
        let hit = (x.wrapping_sub(SPACES) & !x) | (q.wrapping_sub(ONES) & !q) | (s.wrapping_sub(ONES) & !s);
        if hit & HIGH != 0 {
            break;
        }
        skipped = skipped.saturating_add(8);
    }
    rest.get(skipped..)?.iter().position(|b| *b < 0x20 || *b == b'"' || *b == b'\\').map(|p| p.saturating_add(skipped).saturating_add(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_of_every_length_with_an_escape_anywhere_match_serde_json() {
        for len in 0..40 {
            let plain: String = (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let mut cases = vec![plain.clone()];
            for at in 0..len {
                for c in ['"', '\\', '\n', '\u{1}', '\u{1f}', 'é'] {
                    let mut s: Vec<char> = plain.chars().collect();
                    s[at] = c;
                    cases.push(s.into_iter().collect());
                }
            }
            for s in cases {
                let mut w = JsonWriter::new(false, 0);
                w.string(&s);
                assert_eq!(String::from_utf8(w.into_bytes()).unwrap(), serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn literal_keys_are_written_as_escaped_keys_are() {
        for pretty in [false, true] {
            let (mut a, mut b) = (JsonWriter::new(pretty, 0), JsonWriter::new(pretty, 0));
            a.begin_object();
            b.begin_object();
            crate::json_key!(a, "monthly_usd");
            b.key("monthly_usd");
            a.int(1);
            b.int(1);
            crate::json_key!(a, "é");
            b.key("é");
            a.null();
            b.null();
            a.end_object();
            b.end_object();
            assert_eq!(a.into_string(), b.into_string());
        }
        assert!(needs_no_escape("resource_type") && needs_no_escape("é") && needs_no_escape(""));
        assert!(!needs_no_escape("a\"b") && !needs_no_escape("a\\b") && !needs_no_escape("tab\t"));
    }

    #[test]
    fn numbers_print_as_serde_json_prints_them() {
        let mut cases = vec![0.0, -0.0, 1.0, -1.0, 730.0, 0.5, 0.04048, 1e14, 1e15, 1e16, 1e300, 1e-7, 5e-324, 73.67, 2f64.powi(53), f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN_POSITIVE];
        let mut x = 0.37_f64;
        for _ in 0..20_000 {
            x = (x * 7919.0 + 0.123).fract();
            cases.push((x - 0.5) * 10f64.powi((x * 1e6) as i32 % 40 - 20));
        }
        // Whole numbers on both sides of 10^15, where the digits-and-`.0` path ends.
        for i in -3000i64..3000 {
            cases.push((i * 333_333_333_331) as f64);
            cases.push(i as f64);
        }
        cases.extend([999_999_999_999_999.0, -999_999_999_999_999.0, 1e15 - 1.0, -1e15, 1e15 + 2.0, -0.0 * 5.0]);
        for f in cases {
            let mut w = JsonWriter::new(false, 0);
            w.float(f);
            assert_eq!(w.into_string(), serde_json::to_string(&f).unwrap(), "{f:?}");
        }
    }

    #[test]
    fn same_bytes_as_serde_json_compact_and_pretty() {
        let mut deep = serde_json::json!({"leaf": [1, -7, i64::MIN, i64::MAX, u64::MAX, 0.25, 730.0, -0.0, 1e300, {}, [], "x", null, true, false]});
        for i in 0..40 {
            deep = serde_json::json!({format!("k{i}"): [deep, {"a": null}], "e": {}, "s": "tab\there \"q\" back\\slash \u{1} \u{7f} é 日本 \u{8}\u{c}\r\n"});
        }
        for pretty in [false, true] {
            let mut w = JsonWriter::new(pretty, 0);
            w.json_value(&deep);
            let expected = if pretty { serde_json::to_string_pretty(&deep) } else { serde_json::to_string(&deep) }.unwrap();
            assert_eq!(String::from_utf8(w.into_bytes()).unwrap(), expected);
        }
    }

    #[test]
    fn escapes_are_found_at_every_offset() {
        for len in 0..40 {
            for at in 0..len {
                for c in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut s = vec![b'a'; len];
                    s[at] = c;
                    assert_eq!(find_escape(&s, 0), Some(at), "len {len} at {at} byte {c}");
                }
                let s = vec![b'a'; len];
                assert_eq!(find_escape(&s, 0), None);
                let s = "é".repeat(len);
                assert_eq!(find_escape(s.as_bytes(), 0), None, "multibyte text needs no escape");
            }
        }
    }
}
