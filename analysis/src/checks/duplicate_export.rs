//! `duplicate-export`: two outputs exporting one name in one account and region. Export names
//! are unique per account and region; CloudFormation refuses the stack that exports a taken
//! name ("Export with name ... is already exported by stack ...").

use ironcdk_template::hash::HashMap;
use ironcdk_template::Severity;

use crate::network::Key;

rule! {
    /// `duplicate-export`: two outputs exporting one name in one account and region.
    DuplicateExport = "duplicate-export", |_net, app, out| {
        // (account, region, name) -> the first output exporting it. Stacks of an unknown
        // account or region are taken to deploy where the others do.
        let mut first: HashMap<(Option<&str>, Option<&str>, String), Key> = HashMap::default();
        for (si, s, e, export_name) in super::literal_exports(app) {
            let key = Key { stack: si, logical_id: e.logical_id.clone() };
            let place = (s.env.account.as_deref(), s.env.region.as_deref(), export_name.to_string());
            match first.get(&place) {
                Some(earlier) => out.at(
                    &key,
                    ID,
                    Severity::Error,
                    format!("output {} exports the name '{export_name}', which output {} exports already; CloudFormation refuses a second export of one name in an account and region", out.name(&key), out.name(earlier)),
                    "give one of the exports another name (automatic exports are named <stack>:<id>; do not name an explicit export like one)",
                ),
                None => {
                    first.insert(place, key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exporting(name: &str) -> serde_json::Value {
        json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"Out": {"Value": {"Ref": "T"}, "Export": {"Name": name}}}})
    }

    #[test]
    fn one_name_exported_by_two_stacks_is_an_error_at_the_second() {
        let f = crate::checks::findings_of(&DuplicateExport, &[("A", exporting("shared-topic")), ("B", exporting("shared-topic")), ("C", exporting("other"))]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].severity, f[0].stack.as_deref(), f[0].logical_id.as_deref()), (Severity::Error, Some("B"), Some("Out")));
        assert!(f[0].message.contains("'shared-topic'") && f[0].message.contains("A/Out"), "{}", f[0].message);
    }
}
