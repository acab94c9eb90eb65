//! CloudFormation YAML, read into the same JSON the JSON loader takes: the short-form tags
//! (`!Ref`, `!GetAtt A.B`, `!Sub`, `!Join`, `!If`, ...) become their long forms.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Where a YAML document is wrong: 1-based line, column, and what is wrong.
pub(crate) struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

enum Frame {
    Seq(Vec<serde_json::Value>, usize, Option<Tag>),
    Map(serde_json::Map<String, serde_json::Value>, Option<String>, usize, Option<Tag>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<serde_json::Value>,
    anchors: Vec<(usize, serde_json::Value)>,
    error: Option<YamlError>,
}

/// The long form of a short-form tag applied to `v`.
fn expand(tag: Option<&Tag>, v: serde_json::Value) -> serde_json::Value {
    let Some(tag) = tag.filter(|t| t.handle == "!") else { return v };
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
fn scalar(text: String, style: TScalarStyle) -> serde_json::Value {
    if style != TScalarStyle::Plain {
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
    fn add(&mut self, v: serde_json::Value, anchor: usize, mark: Marker) {
        if anchor > 0 {
            self.anchors.push((anchor, v.clone()));
        }
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Seq(items, ..)) => items.push(v),
            Some(Frame::Map(m, pending, ..)) => match pending.take() {
                Some(k) => {
                    m.insert(k, v);
                }
                None => match v {
                    serde_json::Value::String(k) => *pending = Some(k),
                    serde_json::Value::Number(n) => *pending = Some(n.to_string()),
                    serde_json::Value::Bool(b) => *pending = Some(b.to_string()),
                    _ => {
                        if self.error.is_none() {
                            self.error = Some(YamlError { line: mark.line(), column: mark.col().saturating_add(1), message: "a mapping key must be a plain value".into() });
                        }
                    }
                },
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let v = expand(tag.as_ref(), scalar(text, style));
                self.add(v, anchor, mark);
            }
            Event::SequenceStart(anchor, tag) => self.stack.push(Frame::Seq(Vec::new(), anchor, tag)),
            Event::MappingStart(anchor, tag) => self.stack.push(Frame::Map(serde_json::Map::new(), None, anchor, tag)),
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
                let v = self.anchors.iter().rev().find(|(a, _)| *a == id).map(|(_, v)| v.clone()).unwrap_or(serde_json::Value::Null);
                self.add(v, 0, mark);
            }
            _ => {}
        }
    }
}

/// Parses a CloudFormation YAML template into JSON.
pub(crate) fn parse(text: &str) -> Result<serde_json::Value, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut builder, false)
        .map_err(|e| YamlError { line: e.marker().line(), column: e.marker().col().saturating_add(1), message: e.info().to_string() })?;
    if let Some(e) = builder.error {
        return Err(e);
    }
    Ok(builder.root.unwrap_or(serde_json::Value::Null))
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
}
