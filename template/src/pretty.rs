//! The pretty JSON layout of every file written (two-space indent, as `serde_json`'s
//! `PrettyFormatter`), with each line break and its indent written in one piece: profiling
//! showed the formatter's one-write-per-level indent among the costs of large templates.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// A line break followed by enough spaces for 32 levels; deeper levels write more.
const BREAK_TEXT: &str = "\n                                                                ";

#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

/// A line break and the indent of `level` (two spaces each), given to `piece` in as few pieces
/// as it takes: one up to 32 levels. The pretty layout of both writers (the template writer
/// and this one).
#[inline]
fn line_break(level: usize, mut piece: impl FnMut(&'static str)) {
    match BREAK_TEXT.get(..level.saturating_mul(2).saturating_add(1)) {
        Some(text) => piece(text),
        None => deep_line_break(level, &mut piece),
    }
}

/// [`line_break`] past 32 levels.
#[cold]
fn deep_line_break(level: usize, piece: &mut dyn FnMut(&'static str)) {
    let spaces = BREAK_TEXT.get(1..).unwrap_or_default();
    piece("\n");
    let mut width = level.saturating_mul(2);
    while width > 0 {
        let n = width.min(spaces.len());
        piece(spaces.get(..n).unwrap_or(spaces));
        width = width.saturating_sub(n);
    }
}

/// [`BREAK_TEXT`] after a comma: a separator, line break and indent in one piece.
const COMMA_BREAK_TEXT: &str = ",\n                                                                ";

/// [`line_break`] onto text (the template writer's buffer), after a comma when `comma`.
#[inline]
pub(crate) fn push_line_break(out: &mut String, level: usize, comma: bool) {
    match COMMA_BREAK_TEXT.get(usize::from(!comma)..level.saturating_mul(2).saturating_add(2)) {
        Some(text) => out.push_str(text),
        None => {
            if comma {
                out.push(',');
            }
            line_break(level, |piece| out.push_str(piece));
        }
    }
}

impl Pretty {
    fn line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        let mut written = Ok(());
        line_break(self.level, |piece| {
            if written.is_ok() {
                written = w.write_all(piece.as_bytes());
            }
        });
        written
    }

    fn begin<W: ?Sized + Write>(&mut self, w: &mut W, open: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_add(1);
        self.has_value = false;
        w.write_all(open)
    }

    fn end<W: ?Sized + Write>(&mut self, w: &mut W, close: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(close)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Pretty JSON with a final newline: the format of templates and the manifest. `size_hint`
/// is a guess of the length, to spare growing the buffer.
pub fn to_pretty(v: &impl Serialize, size_hint: usize) -> Result<String, String> {
    let mut out = Vec::with_capacity(size_hint);
    v.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Pretty::default())).map_err(json_error)?;
    finish(out)
}

fn json_error(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn finish(mut out: Vec<u8>) -> Result<String, String> {
    out.push(b'\n');
    // A large buffer gives back what the size hint overestimated (in place, for large ones).
    if out.capacity() > out.len().saturating_add(out.len() / 8) {
        out.shrink_to_fit();
    }
    String::from_utf8(out).map_err(json_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn pretty(v: &serde_json::Value) -> String {
        let mut out = Vec::new();
        v.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Pretty::default())).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn same_bytes_as_serde_json_pretty_even_past_32_levels() {
        let mut deep = serde_json::json!({"leaf": [1, {}, [], "x"]});
        for i in 0..40 {
            deep = serde_json::json!({format!("k{i}"): [deep, {"a": null}], "e": {}});
        }
        assert_eq!(pretty(&deep), serde_json::to_string_pretty(&deep).unwrap());
    }
}
