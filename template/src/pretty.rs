//! The pretty JSON layout of every file written (two-space indent, as `serde_json`'s
//! `PrettyFormatter`), with each line break and its indent written in one piece: profiling
//! showed the formatter's one-write-per-level indent among the costs of large templates.

/// A line break followed by enough spaces for 32 levels; deeper levels write more.
const BREAK_TEXT: &str = "\n                                                                ";

/// A line break and the indent of `level` (two spaces each), given to `piece` in as few pieces
/// as it takes: one up to 32 levels. The pretty layout of the JSON writer, for every file.
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

/// The first 16 levels of [`COMMA_BREAK_TEXT`], with and without the comma.
const SHALLOW_COMMA_BREAK: &str = ",\n                                ";
const SHALLOW_BREAK: &str = "\n                                ";

/// [`line_break`] onto text (the template writer's buffer), after a comma when `comma`.
#[inline(always)]
pub(crate) fn push_line_break(out: &mut String, level: usize, comma: bool) {
    // Most breaks are at most 16 levels deep: a piece of fixed length is copied whole (no call
    // to copy a length known only at run time) and cut back to the indent.
    if level <= 16 {
        let keep = out.len().saturating_add(level.saturating_mul(2)).saturating_add(1).saturating_add(usize::from(comma));
        if comma {
            out.push_str(SHALLOW_COMMA_BREAK);
        } else {
            out.push_str(SHALLOW_BREAK);
        }
        out.truncate(keep);
        return;
    }
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

/// `v` as pretty JSON with a final newline: the layout of the manifest, the asset manifests
/// and the reports `ironcdk check` prints.
pub fn to_pretty(v: &serde_json::Value) -> String {
    let mut w = crate::json::JsonWriter::new(true, 1024);
    w.json_value(v);
    let mut text = w.into_string();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_as_serde_json_pretty_even_past_32_levels() {
        let mut deep = serde_json::json!({"leaf": [1, {}, [], "x"]});
        for i in 0..40 {
            deep = serde_json::json!({format!("k{i}"): [deep, {"a": null}], "e": {}});
        }
        assert_eq!(to_pretty(&deep), format!("{}\n", serde_json::to_string_pretty(&deep).unwrap()));
    }
}
