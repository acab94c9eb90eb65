//! CloudFormation YAML, read into the same JSON the JSON loader takes: the short-form tags
//! (`!Ref`, `!GetAtt A.B`, `!Sub`, `!Join`, `!If`, ...) become their long forms.

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Tag};
use std::borrow::Cow;

/// Where a YAML document is wrong: 1-based line, column, and what is wrong.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

enum Frame {
    Seq(Vec<serde_json::Value>, usize, Option<Tag>),
    /// A mapping, with the key waiting for its value (and where it is).
    Map(serde_json::Map<String, serde_json::Value>, Option<(String, Marker)>, usize, Option<Tag>),
}

/// Nodes a document may build, aliases counted at their expanded size: a few hundred bytes of
/// nested aliases ("billion laughs") would otherwise expand into gigabytes.
const MAX_NODES: usize = 1_000_000;

/// Nesting a document may have (the value model's limit).
const MAX_NESTING: usize = crate::value::MAX_DEPTH;

/// The short-form tags CloudFormation reads (`!Ref` and the `Fn::` functions, those of the
/// `AWS::LanguageExtensions` transform included).
const SHORT_FORMS: [&str; 27] = [
    "Ref", "Condition", "GetAtt", "Sub", "Join", "Select", "Split", "GetAZs", "ImportValue", "If", "Equals", "And", "Or", "Not",
    "FindInMap", "Base64", "Cidr", "Transform", "Length", "ToJsonString", "ForEach",
    // The functions of a template's `Rules`.
    "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
];

/// YAML's own tags (`!!str`, ...), which change nothing here.
const CORE_TAGS: [&str; 8] = ["str", "int", "float", "bool", "null", "map", "seq", "binary"];

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<serde_json::Value>,
    /// Anchored values with their size in nodes.
    anchors: Vec<(usize, serde_json::Value, usize)>,
    nodes: usize,
    documents: usize,
    error: Option<YamlError>,
}

/// The number of nodes in `v`.
fn size(v: &serde_json::Value) -> usize {
    let mut n = 0usize;
    let mut todo = vec![v];
    while let Some(x) = todo.pop() {
        n = n.saturating_add(1);
        match x {
            serde_json::Value::Array(a) => todo.extend(a),
            serde_json::Value::Object(m) => todo.extend(m.values()),
            _ => {}
        }
    }
    n
}

/// The long form of a short-form tag applied to `v`.
fn expand(tag: Option<&Tag>, v: serde_json::Value) -> serde_json::Value {
    let Some(tag) = tag.filter(|t| t.handle == "!" && !t.suffix.is_empty()) else { return v };
    let name = tag.suffix.as_str();
    let key = match name {
        "Ref" | "Condition" => name.to_string(),
        "GetAtt" => {
            // `!GetAtt Resource.Attribute` is the scalar form of `[Resource, Attribute]`.
            let v = match v {
                serde_json::Value::String(s) => match s.split_once('.') {
                    Some((r, a)) => serde_json::json!([r, a]),
                    None => serde_json::Value::String(s),
                },
                other => other,
            };
            return serde_json::json!({ "Fn::GetAtt": v });
        }
        other => format!("Fn::{other}"),
    };
    let mut m = serde_json::Map::new();
    m.insert(key, v);
    serde_json::Value::Object(m)
}

/// A plain scalar's JSON value by YAML's core schema; quoted and block scalars are strings.
fn scalar(text: String, style: ScalarStyle) -> serde_json::Value {
    if style != ScalarStyle::Plain {
        return serde_json::Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => serde_json::Value::Null,
        "true" | "True" | "TRUE" => serde_json::Value::Bool(true),
        "false" | "False" | "FALSE" => serde_json::Value::Bool(false),
        t => {
            if let Ok(i) = t.parse::<i64>() {
                serde_json::Value::from(i)
            } else if let Some(f) = t.parse::<f64>().ok().filter(|f| f.is_finite() && t.chars().any(|c| c.is_ascii_digit())) {
                serde_json::Value::from(f)
            } else {
                serde_json::Value::String(text)
            }
        }
    }
}

impl Builder {
    fn fail(&mut self, mark: Marker, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(YamlError { line: mark.line(), column: mark.col().saturating_add(1), message: message.into() });
        }
    }

    /// Whether `tag` is one this loader knows; records the error if not.
    fn known_tag(&mut self, tag: Option<&Tag>, mark: Marker) -> bool {
        let Some(t) = tag else { return true };
        let known = match t.handle.as_str() {
            // `!` alone is YAML's non-specific tag: the value as it is.
            "!" => t.suffix.is_empty() || SHORT_FORMS.contains(&t.suffix.as_str()),
            "" => t.suffix == "!",
            "!!" => CORE_TAGS.contains(&t.suffix.as_str()),
            "tag:yaml.org,2002:" => CORE_TAGS.contains(&t.suffix.as_str()),
            _ => false,
        };
        if !known {
            self.fail(mark, format!("unknown tag '{}{}'; CloudFormation reads the short forms !{}", t.handle, t.suffix, SHORT_FORMS.join(", !")));
        }
        known
    }

    fn add(&mut self, v: serde_json::Value, anchor: usize, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        if anchor > 0 {
            self.anchors.push((anchor, v.clone(), size(&v)));
        }
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Seq(items, ..)) => items.push(v),
            Some(Frame::Map(m, pending, ..)) => match pending.take() {
                Some((k, at)) => {
                    if m.contains_key(&k) {
                        self.fail(at, format!("the key '{k}' appears twice in one mapping; CloudFormation refuses duplicate keys"));
                        return;
                    }
                    m.insert(k, v);
                }
                None => match v {
                    serde_json::Value::String(k) => *pending = Some((k, mark)),
                    serde_json::Value::Number(n) => *pending = Some((n.to_string(), mark)),
                    serde_json::Value::Bool(b) => *pending = Some((b.to_string(), mark)),
                    _ => self.fail(mark, "a mapping key must be a plain value"),
                },
            },
        }
    }
}

impl Builder {
    fn on_event(&mut self, ev: Event<'_>, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match &ev {
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) => {
                self.nodes = self.nodes.saturating_add(1);
            }
            Event::Alias(id) => {
                let n = self.anchors.iter().rev().find(|(a, ..)| a == id).map_or(1, |(_, _, n)| *n);
                self.nodes = self.nodes.saturating_add(n);
            }
            _ => {}
        }
        if self.nodes > MAX_NODES {
            return self.fail(mark, format!("the document expands to more than {MAX_NODES} values (aliases counted at their size)"));
        }
        let tag = match &ev {
            Event::Scalar(_, _, _, t) | Event::SequenceStart(_, t) | Event::MappingStart(_, t) => t.as_deref(),
            _ => None,
        };
        if !self.known_tag(tag, mark) {
            return;
        }
        match ev {
            Event::DocumentStart(_) => {
                self.documents = self.documents.saturating_add(1);
                if self.documents > 1 {
                    self.fail(mark, "a second YAML document; a template is one document");
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let text = text.into_owned();
                // `!!str 80` is the string "80".
                let string = tag.as_ref().is_some_and(|t| t.handle != "!" && t.suffix == "str");
                let v = if string { serde_json::Value::String(text) } else { expand(tag.as_deref(), scalar(text, style)) };
                self.add(v, anchor, mark);
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) if self.stack.len() >= MAX_NESTING => {
                let _ = (anchor, tag);
                self.fail(mark, format!("nested deeper than {MAX_NESTING} levels"));
            }
            Event::SequenceStart(anchor, tag) => self.stack.push(Frame::Seq(Vec::new(), anchor, tag.map(Cow::into_owned))),
            Event::MappingStart(anchor, tag) => self.stack.push(Frame::Map(serde_json::Map::new(), None, anchor, tag.map(Cow::into_owned))),
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor, tag) = match self.stack.pop() {
                    Some(Frame::Seq(items, anchor, tag)) => (serde_json::Value::Array(items), anchor, tag),
                    Some(Frame::Map(m, _, anchor, tag)) => (serde_json::Value::Object(m), anchor, tag),
                    None => return,
                };
                let v = expand(tag.as_ref(), v);
                self.add(v, anchor, mark);
            }
            Event::Alias(id) => {
                let v = self.anchors.iter().rev().find(|(a, ..)| *a == id).map(|(_, v, _)| v.clone()).unwrap_or(serde_json::Value::Null);
                self.add(v, 0, mark);
            }
            _ => {}
        }
    }
}

/// Bytes a template may be parsed again, in all, after indenting lines PyYAML (and so cfn-lint
/// and CloudFormation) takes as they are; each pass cures one flow collection or quoted
/// scalar. A small template may have hundreds of such passes, a 1 MB one sixteen.
const MAX_REPARSED_BYTES: usize = 16 << 20;

/// Parses a CloudFormation YAML template into JSON. Two forms PyYAML reads and the YAML
/// specification does not, a quoted scalar continued at less indentation than its key and a
/// flow collection whose lines are indented less than its key, are read as PyYAML reads them:
/// the line is indented and the text parsed again (neither form's value depends on that
/// indentation). Any other error, or one that indenting does not cure, is the first one.
pub(crate) fn parse(text: &str) -> Result<serde_json::Value, YamlError> {
    let mut repaired: Option<String> = None;
    let mut first: Option<YamlError> = None;
    let mut reparsed = 0usize;
    loop {
        let current = repaired.as_deref().unwrap_or(text);
        let e = match parse_once(current) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let fixed = match e.message.as_str() {
            "invalid indentation in quoted scalar" => indent_quoted(current, e.line, e.column),
            // Raised only inside a flow collection, where indentation means nothing.
            "invalid indentation in flow construct" | "invalid indentation" => indent_flow(current, e.line, e.column),
            _ => None,
        };
        if first.is_none() {
            first = Some(e);
        }
        match fixed {
            Some(t) => {
                reparsed = reparsed.saturating_add(t.len());
                if reparsed > MAX_REPARSED_BYTES {
                    break;
                }
                repaired = Some(t);
            }
            None => break,
        }
    }
    Err(first.unwrap_or(YamlError { line: 1, column: 1, message: "not valid YAML".into() }))
}

/// `text` with each non-blank line in `from..=to` (0-based) indented to at least `column`
/// characters.
fn indent_lines(text: &str, from: usize, to: usize, column: usize) -> Option<String> {
    let mut out = String::with_capacity(text.len().saturating_add(64));
    let mut changed = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i >= from && i <= to && !line.trim().is_empty() {
            let lead = line.chars().take_while(|c| *c == ' ').count();
            if lead < column {
                out.extend(std::iter::repeat_n(' ', column.saturating_sub(lead)));
                changed = true;
            }
        }
        out.push_str(line);
    }
    changed.then_some(out)
}

/// The (line, column) of every character of `text`, 0-based, with the character.
fn positioned(text: &str) -> impl Iterator<Item = (usize, usize, char)> + '_ {
    text.split_inclusive('\n').enumerate().flat_map(|(l, line)| line.chars().enumerate().map(move |(c, ch)| (l, c, ch)))
}

/// A quoted scalar starting at 1-based `line` and `column`: its continuation lines are indented
/// to the quote's column (leading spaces of a continuation line are not part of the value).
fn indent_quoted(text: &str, line: usize, column: usize) -> Option<String> {
    let (line, col) = (line.checked_sub(1)?, column.checked_sub(1)?);
    let mut chars = positioned(text).skip_while(|&(l, c, _)| (l, c) < (line, col));
    let (_, _, quote) = chars.next()?;
    let mut end = None;
    let mut escaped = false;
    let mut chars = chars.peekable();
    while let Some((l, _, ch)) = chars.next() {
        match (quote, ch) {
            ('"', '\\') if !escaped => escaped = true,
            ('"', '"') if !escaped => {
                end = Some(l);
                break;
            }
            ('\'', '\'') => {
                if chars.peek().is_some_and(|&(_, _, n)| n == '\'') {
                    chars.next();
                } else {
                    end = Some(l);
                    break;
                }
            }
            _ => escaped = false,
        }
    }
    indent_lines(text, line.checked_add(1)?, end?, col.checked_add(1)?)
}

/// A flow collection with a line at 1-based `line` indented less than its key: every line from
/// the collection's opening bracket to its closing one is indented past the opening bracket.
fn indent_flow(text: &str, line: usize, column: usize) -> Option<String> {
    let (line, col) = (line.checked_sub(1)?, column.checked_sub(1)?);
    // Back from the offending token to the bracket that opened its collection.
    let lines: Vec<&str> = text.split_inclusive('\n').take(line.saturating_add(1)).collect();
    let mut depth = 0usize;
    let mut open = None;
    'back: for (l, text_line) in lines.iter().enumerate().rev() {
        let chars: Vec<char> = text_line.chars().collect();
        let end = if l == line { col.min(chars.len()) } else { chars.len() };
        for (c, ch) in chars.iter().enumerate().take(end).rev() {
            match ch {
                ']' | '}' => depth = depth.saturating_add(1),
                '[' | '{' if depth == 0 => {
                    open = Some((l, c));
                    break 'back;
                }
                '[' | '{' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    let (open_line, open_col) = open?;
    // Forward to the bracket that closes it.
    let mut depth = 0usize;
    let mut close = None;
    for (l, _, ch) in positioned(text).skip_while(|&(l, c, _)| (l, c) <= (open_line, open_col)) {
        match ch {
            '[' | '{' => depth = depth.saturating_add(1),
            ']' | '}' if depth == 0 => {
                close = Some(l);
                break;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    indent_lines(text, open_line.checked_add(1)?, close.unwrap_or(line).max(line), open_col.checked_add(1)?)
}

fn parse_once(text: &str) -> Result<serde_json::Value, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Event by event: the parser's own loader recurses once per nesting level.
    while let Some(next) = parser.next_event() {
        let (ev, span) = next.map_err(|e| YamlError { line: e.marker().line(), column: e.marker().col().saturating_add(1), message: e.info().to_string() })?;
        if ev == Event::StreamEnd {
            break;
        }
        builder.on_event(ev, span.start);
        if builder.error.is_some() {
            break;
        }
    }
    if let Some(e) = builder.error {
        return Err(e);
    }
    Ok(builder.root.take().unwrap_or(serde_json::Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms() {
        let t = parse(
            "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: !Ref Vpc\n      GroupDescription: !Sub '${AWS::StackName} tasks'\n      Tags:\n        - Key: cidr\n          Value: !GetAtt Vpc.CidrBlock\n      Other: !Join ['', [a, !Ref AWS::Region]]\n      Port: 443\n      On: true\n",
        )
        .unwrap_or_else(|e| panic!("{}: {}", e.line, e.message));
        let p = &t["Resources"]["Sg"]["Properties"];
        assert_eq!(p["VpcId"], serde_json::json!({"Ref": "Vpc"}));
        assert_eq!(p["GroupDescription"], serde_json::json!({"Fn::Sub": "${AWS::StackName} tasks"}));
        assert_eq!(p["Tags"][0]["Value"], serde_json::json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]}));
        assert_eq!(p["Other"], serde_json::json!({"Fn::Join": ["", ["a", {"Ref": "AWS::Region"}]]}));
        assert_eq!((p["Port"].clone(), p["On"].clone()), (serde_json::json!(443), serde_json::json!(true)));
    }

    #[test]
    fn syntax_errors_give_the_line() {
        let Err(e) = parse("Resources:\n  A: [1, 2\n  B: x\n") else { panic!("no error") };
        assert!(e.line >= 2, "line {}", e.line);
    }

    /// A flow sequence entry may be a mapping of one pair without braces (YAML 1.2, 7.4.1), whose
    /// value may be a flow collection: how `!Sub` takes its variables in many real templates
    /// (aws-samples/serverless-patterns' `eventbridge-webhooks`, for one).
    #[test]
    fn single_pair_mappings_in_flow_sequences_are_mappings() {
        let t = parse("Name: !Sub [\n    \"hook-${ID}\",\n    ID: !Select [2, !Split [\"/\", !Ref AWS::StackId]],\n  ]\nList: [a, K: [1, 2], M: {b: c}, N: d]\n").unwrap();
        assert_eq!(
            t["Name"],
            serde_json::json!({"Fn::Sub": ["hook-${ID}", {"ID": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}]})
        );
        assert_eq!(t["List"], serde_json::json!(["a", {"K": [1, 2]}, {"M": {"b": "c"}}, {"N": "d"}]));
    }

    fn refused(text: &str) -> String {
        match parse(text) {
            Ok(v) => panic!("accepted: {v}"),
            Err(e) => format!("line {}: {}", e.line, e.message),
        }
    }

    #[test]
    fn aliases_expand_within_a_bound() {
        // Billion laughs: nine levels of ten aliases each, a few hundred bytes.
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(text.len() < 600, "{}", text.len());
        assert!(refused(&text).contains("expands to more than 1000000 values"));
        // An ordinary alias is copied.
        let t = parse("Common: &c {Key: team, Value: web}\nResources:\n  A:\n    Tags: [*c]\n").unwrap();
        assert_eq!(t["Resources"]["A"]["Tags"][0]["Key"], "team");
    }

    #[test]
    fn deep_block_nesting_is_refused_without_recursion() {
        let run = std::thread::Builder::new().stack_size(256 * 1024).spawn(|| {
            let mut text = String::new();
            for i in 0..20_000 {
                text.push_str(&" ".repeat(i));
                text.push_str("k:\n");
            }
            let flow = "[".repeat(20_000);
            (refused(&text), parse(&flow).is_err())
        });
        let (block, flow) = run.unwrap().join().unwrap();
        assert!(block.contains("nested deeper than 128 levels"), "{block}");
        assert!(flow);
    }

    #[test]
    fn duplicate_keys_unknown_tags_and_second_documents_are_refused_with_the_line() {
        let dup = refused("Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n");
        assert!(dup.starts_with("line 4") && dup.contains("'A' appears twice"), "{dup}");
        let tag = refused("Resources:\n  A:\n    Type: !Reff X\n");
        assert!(tag.starts_with("line 3") && tag.contains("unknown tag '!Reff'"), "{tag}");
        assert!(refused("Resources: {}\n---\nResources: {}\n").contains("a second YAML document"));
        // YAML's own tags and every short form CloudFormation reads are fine.
        let t = parse("A: !!str 80\nB: !Base64 x\nC: !Select [0, !GetAZs '']\nD: !Length [1]\nE: !Contains [[a], !Ref P]\nF: ! {\"Ref\": X}\n").unwrap();
        assert_eq!(t["E"], serde_json::json!({"Fn::Contains": [["a"], {"Ref": "P"}]}));
        assert_eq!(t["F"], serde_json::json!({"Ref": "X"}), "the non-specific tag changes nothing");
        assert_eq!(t["A"], "80");
        assert_eq!(t["C"], serde_json::json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
    }

    /// PyYAML (so cfn-lint and CloudFormation) reads these; the values are PyYAML's.
    #[test]
    fn quoted_scalars_and_flow_collections_indented_less_than_their_key_are_read_as_pyyaml_reads_them() {
        // A double-quoted string continued at less indentation, with an escape and a quote.
        let t = parse("Resources:\n  T:\n    Properties:\n      Name: \"a \\\"long\\\"\n  name\n x\"\n      Other: 1\n").unwrap();
        assert_eq!(t["Resources"]["T"]["Properties"]["Name"], "a \"long\" name x");
        assert_eq!(t["Resources"]["T"]["Properties"]["Other"], 1);
        // Single-quoted, with the doubled quote.
        let t = parse("A:\n  B: 'it''s\n two'\n").unwrap();
        assert_eq!(t["A"]["B"], "it's two");
        // A flow sequence whose items and closing bracket sit left of its key, nested mappings
        // inside, and a second one after it.
        let t = parse("A:\n    List: [\n  {Key: a, Value: b},\n  [1, 2]\n  ]\n    Next: [x,\n  y]\n").unwrap();
        assert_eq!(t["A"]["List"], serde_json::json!([{"Key": "a", "Value": "b"}, [1, 2]]));
        assert_eq!(t["A"]["Next"], serde_json::json!(["x", "y"]));
        // What indenting does not cure is the first error, where it was.
        let e = refused("A:\n    List: [\n  1,\n  2\nB: x\n");
        assert!(e.starts_with("line 3"), "{e}");
        // Each such collection is one more pass, and the passes are bounded by the bytes they
        // parse again: 200 in a small template are fine, not 50 in a large one.
        let some: String = (0..200).map(|i| format!("K{i}:\n    L: [\n  {i}]\n")).collect();
        assert_eq!(parse(&some).unwrap()["K199"]["L"][0], 199);
        let padding = format!("Pad: '{}'\n", "x".repeat(600_000));
        let many: String = (0..50).map(|i| format!("K{i}:\n    L: [\n  {i}]\n")).collect();
        assert!(refused(&format!("{padding}{many}")).contains("invalid indentation"));
    }
}
