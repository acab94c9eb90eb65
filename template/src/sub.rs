//! The text of an `Fn::Sub`, read once for everything that looks inside it: the text between
//! variables, each `${name}` (spaces around the name ignored, as CloudFormation ignores them),
//! each literal `${!text}`, and a `${` never closed.

/// One part of a `Fn::Sub` text, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// Text written as it is.
    Text(&'a str),
    /// `${name}`: a variable of the `Fn::Sub`, a pseudo parameter (`AWS::Region`) or a name of
    /// the template (`Bucket`, `Bucket.Arn`), trimmed.
    Var(&'a str),
    /// `${!text}`: written as `${text}`; `text` is given without the `!` (and trimmed).
    Literal(&'a str),
    /// `${` without a `}` after it: the rest of the text, from just after the `${`.
    Unclosed(&'a str),
}

/// The parts of `text`. Empty text between parts is left out.
pub fn parts(text: &str) -> Parts<'_> {
    Parts { rest: text }
}

/// The iterator [`parts`] gives.
#[derive(Clone, Debug)]
pub struct Parts<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Parts<'a> {
    type Item = Part<'a>;

    fn next(&mut self) -> Option<Part<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let Some(start) = self.rest.find("${") else {
            return Some(Part::Text(std::mem::take(&mut self.rest)));
        };
        if start > 0 {
            let text = self.rest.get(..start).unwrap_or_default();
            self.rest = self.rest.get(start..).unwrap_or_default();
            return Some(Part::Text(text));
        }
        let tail = self.rest.get(2..).unwrap_or_default();
        let Some(end) = tail.find('}') else {
            self.rest = "";
            return Some(Part::Unclosed(tail));
        };
        let inner = tail.get(..end).unwrap_or_default().trim();
        self.rest = tail.get(end.saturating_add(1)..).unwrap_or_default();
        Some(match inner.strip_prefix('!') {
            Some(literal) => Part::Literal(literal),
            None => Part::Var(inner),
        })
    }
}

/// The element a `${name}` names: `Bucket` for `Bucket.Arn`; a pseudo parameter
/// (`AWS::Region`) whole.
pub fn base(name: &str) -> &str {
    if name.starts_with("AWS::") {
        name
    } else {
        name.split('.').next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_variables_literals_and_an_unclosed_opening_in_order() {
        let got: Vec<Part<'_>> = parts("arn:${AWS::Partition}:s3:::${ Bucket.Arn }/${!Literal}${B}x${open").collect();
        assert_eq!(
            got,
            [
                Part::Text("arn:"),
                Part::Var("AWS::Partition"),
                Part::Text(":s3:::"),
                Part::Var("Bucket.Arn"),
                Part::Text("/"),
                Part::Literal("Literal"),
                Part::Var("B"),
                Part::Text("x"),
                Part::Unclosed("open"),
            ]
        );
        assert_eq!(parts("").count(), 0);
        assert_eq!(parts("plain").collect::<Vec<_>>(), [Part::Text("plain")]);
        assert_eq!(parts("${}").collect::<Vec<_>>(), [Part::Var("")]);
    }

    #[test]
    fn base_is_the_element_or_the_whole_pseudo_parameter() {
        assert_eq!(base("Bucket.Arn"), "Bucket");
        assert_eq!(base("Bucket"), "Bucket");
        assert_eq!(base("AWS::Region"), "AWS::Region");
    }
}
