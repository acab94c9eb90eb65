//! The intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...) of every element of the
//! templates, found in one walk: several rules read them, and walking every value once for
//! each of them cost more than the rules' own work.

use ironcdk_template::value::Value;
use ironcdk_template::PreparedApp;

/// The functions of the templates, element by element, in [`Value::walk_intrinsics`]' order.
#[derive(Clone, Debug, Default)]
pub struct Functions<'a> {
    /// Per stack, where each element's functions start in `found` (one more entry than the
    /// stack has elements: where the next element's would start).
    starts: Vec<Vec<usize>>,
    /// Each function with the place, among its element's top-level entries, of the entry it is
    /// in ([`WHOLE`] when the element's value is not an object).
    found: Vec<(u32, &'a Value)>,
}

/// The entry place of a function in an element whose value is not an object.
pub const WHOLE: u32 = u32::MAX;

impl<'a> Functions<'a> {
    /// Finds the functions of every element of `app`.
    pub fn of(app: &'a PreparedApp) -> Self {
        let mut found = Vec::new();
        let mut starts = Vec::with_capacity(app.stacks.len());
        for s in &app.stacks {
            let mut stack = Vec::with_capacity(s.elements.len().saturating_add(1));
            for e in &s.elements {
                stack.push(found.len());
                match &e.value {
                    Value::Map(m) => {
                        for (place, (_, v)) in m.iter().enumerate() {
                            let place = u32::try_from(place).unwrap_or(WHOLE);
                            v.walk_intrinsics(|x| found.push((place, x)));
                        }
                    }
                    other => other.walk_intrinsics(|x| found.push((WHOLE, x))),
                }
            }
            stack.push(found.len());
            starts.push(stack);
        }
        Functions { starts, found }
    }

    /// The functions of element `element` of stack `stack` (none when there is no such
    /// element), each with the place of the top-level entry it is in.
    pub fn of_element(&self, stack: usize, element: usize) -> &[(u32, &'a Value)] {
        let Some(starts) = self.starts.get(stack) else { return &[] };
        match (starts.get(element), starts.get(element.saturating_add(1))) {
            (Some(&from), Some(&to)) => self.found.get(from..to).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The functions in the entry `key` of element `element` of stack `stack`, given the
    /// element's value (`Properties` of a resource, `Value` of an output).
    pub fn in_entry<'s>(&'s self, stack: usize, element: usize, value: &Value, key: &str) -> impl Iterator<Item = &'a Value> + 's {
        let place = match value {
            Value::Map(m) => m.keys().position(|k| k == key).and_then(|p| u32::try_from(p).ok()),
            _ => None,
        };
        self.of_element(stack, element).iter().filter(move |(p, _)| Some(*p) == place).map(|(_, v)| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ironcdk_template::load::load_template;
    use ironcdk_template::Environment;

    /// The index holds what walking each element's value finds, in the same order, with the
    /// entry each function is in.
    #[test]
    fn the_index_holds_what_each_walk_finds() {
        let t = serde_json::json!({
            "Conditions": {"Prod": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
            "Parameters": {"Stage": {"Type": "String"}},
            "Resources": {
                "A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${Stage}-a"}, "Tags": [{"Key": "k", "Value": {"Ref": "AWS::Region"}}]}},
                "B": {"Type": "AWS::SQS::Queue", "DependsOn": "A", "Properties": {"QueueName": {"Fn::Join": ["-", [{"Ref": "A"}, {"Fn::GetAtt": ["A", "TopicName"]}]]}}, "Metadata": {"x": {"Ref": "Stage"}}},
                "C": {"Type": "AWS::SQS::Queue"}
            },
            "Outputs": {"O": {"Value": {"Fn::If": ["Prod", {"Ref": "B"}, "none"]}}}
        });
        let stack = load_template("S", Environment::region("us-east-1"), &t).unwrap();
        let app = PreparedApp::new(vec![stack], Vec::new());
        let index = Functions::of(&app);
        let mut total = 0;
        for (i, e) in app.stacks[0].elements.iter().enumerate() {
            let mut walked: Vec<*const Value> = Vec::new();
            e.value.walk_intrinsics(|x| walked.push(x));
            let listed: Vec<*const Value> = index.of_element(0, i).iter().map(|(_, v)| *v as *const Value).collect();
            assert_eq!(listed, walked, "{}", e.logical_id);
            total += listed.len();
            if let Value::Map(m) = &e.value {
                for key in m.keys() {
                    let mut walked: Vec<*const Value> = Vec::new();
                    m.get(key).unwrap().walk_intrinsics(|x| walked.push(x));
                    let listed: Vec<*const Value> = index.in_entry(0, i, &e.value, key).map(|v| v as *const Value).collect();
                    assert_eq!(listed, walked, "{}.{key}", e.logical_id);
                }
            }
        }
        assert!(total >= 9, "{total}");
        assert!(index.of_element(0, 99).is_empty());
        assert!(index.of_element(5, 0).is_empty());
        assert_eq!(index.in_entry(0, 0, &Value::Null, "Properties").count(), 0);
    }
}
