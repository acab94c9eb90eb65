//! Cross-stack references, as CDK's `resolveReferences` does them: a `Ref` or `Fn::GetAtt` in
//! one stack to an element of another stack of the same app becomes an `Output` with an
//! `Export` in the producer and `Fn::ImportValue` in the consumer, and the consumer depends on
//! the producer. Export names and output logical IDs follow CDK's scheme, so an app ported from
//! CDK keeps its exports (CloudFormation refuses to change an export that is in use).
//!
//! Also here: explicit exports (`Stack::export_value`), the dependency cycle check, and the
//! warning for an export that a previously synthesized stack imports and that is about to go.

use ironcdk_template::hash::HashMap;
use std::path::Path;

use indexmap::IndexMap;

use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::logical_id::logical_id;
use crate::prepare::{ElementKind, PreparedElement, PreparedStack};
use crate::tree::NodeId;
use crate::value::{ElementRef, Map, Str, Value};

/// CloudFormation's limit on an export name.
const MAX_EXPORT_NAME: usize = 255;
/// References kept per pair of stacks to explain a dependency cycle.
const MAX_REASONS: usize = 3;
/// CDK's delimiter for a list exported as one string.
pub const LIST_DELIMITER: &str = "||";

/// The id CDK gives the output that exports `reference`: `Output` and the reference's JSON,
/// for example `Output{"Ref":"VpcA2121C38"}`.
pub fn output_id(target_logical_id: &str, attribute: Option<&str>) -> String {
    let json = match attribute {
        None => serde_json::json!({ "Ref": target_logical_id }),
        Some(a) => serde_json::json!({ "Fn::GetAtt": [target_logical_id, a] }),
    };
    format!("Output{json}")
}

/// The logical ID of an automatic export output: that of path `Exports/<output id>`.
pub fn output_logical_id(output_id: &str) -> String {
    logical_id(&["Exports", output_id])
}

/// The export name CDK gives an automatic export: `<stack>:<output logical ID>`, cut from the
/// left to CloudFormation's 255 characters.
pub fn export_name(stack: &str, output_id: &str) -> String {
    let prefix = format!("{stack}:");
    let local = output_logical_id(output_id);
    let keep = MAX_EXPORT_NAME.saturating_sub(prefix.len());
    let start = local.len().saturating_sub(keep);
    // Logical IDs are ASCII, so any byte index is a character boundary.
    format!("{prefix}{}", local.get(start..).unwrap_or_default())
}

/// A value a stack exports: the output's logical ID, the export name and the value.
struct Export {
    logical_id: String,
    name: Str,
    value: Value,
    description: Option<String>,
}

/// Why one stack depends on another: the consumer's path and what it references.
#[derive(Clone, Debug)]
struct Reason {
    text: String,
}

/// The explicit export an app asked for with `Stack::export_value`.
#[derive(Clone)]
pub(crate) struct ExplicitExport {
    pub value: Value,
    pub name: Option<String>,
    pub description: Option<String>,
    /// The export name returned to the caller, checked again at synth.
    pub promised: String,
}

/// What the pass needs to know about each stack besides its prepared form: paths of other
/// apps' elements cannot be reached, so callers give a function naming a reference's target.
pub(crate) struct CrossStack<'a> {
    pub stacks: &'a mut [PreparedStack],
    pub explicit: Vec<Vec<ExplicitExport>>,
    pub app_id: u32,
    pub target_path: &'a dyn Fn(&ElementRef) -> String,
}

impl CrossStack<'_> {
    /// Rewrites every cross-stack reference, adds the exports, records dependencies and checks
    /// for cycles. All problems are returned together.
    pub fn run(self) -> Vec<Error> {
        let CrossStack { stacks, explicit, app_id, target_path } = self;
        let mut errors = Vec::new();
        // By producer index: the outputs to add, keyed by output id (one per referenced value).
        let mut exports: IndexMap<usize, IndexMap<String, Export>> = IndexMap::new();
        // By consumer index, then producer index: why the consumer depends on the producer.
        let mut reasons: IndexMap<usize, IndexMap<usize, Vec<Reason>>> = IndexMap::new();
        let index_of: HashMap<crate::tree::StackId, usize> = stacks.iter().enumerate().map(|(i, s)| (s.id, i)).collect();

        // Explicit exports first: their producer is the stack itself.
        for (i, (st, list)) in stacks.iter().zip(&explicit).enumerate() {
            for x in list {
                match explicit_export(st, x, &target_path) {
                    Ok((key, e)) => {
                        exports.entry(i).or_default().entry(key).or_insert(e);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }

        // Export names by (producer, target logical ID, attribute).
        let mut names: HashMap<(usize, NodeId, Option<Str>), Str> = HashMap::default();
        // Only reading producers' IDs while a consumer is rewritten: collect them first.
        // (Taken out of the stacks and put back after, rather than copied.)
        let ids: Vec<(crate::tree::StackId, Vec<Option<Str>>, String, crate::stack::Environment)> =
            stacks.iter_mut().map(|s| (s.id, std::mem::take(&mut s.ids), s.name.clone(), s.env.clone())).collect();
        for (ci, consumer) in stacks.iter_mut().enumerate() {
            let consumer_id = consumer.id;
            let consumer_name = consumer.name.clone();
            let consumer_env = consumer.env.clone();
            // This consumer's reasons by producer, kept here and handed over after its walk.
            // (A consumer references few producers: a list searched in order beats hashing.)
            let mut mine: Vec<(usize, Vec<Reason>)> = Vec::new();
            for el in &mut consumer.elements {
                let path = &el.path;
                el.value.walk_intrinsics_mut(|v| {
                    let Some(r) = v.element_ref() else { return };
                    if r.stack == consumer_id {
                        return;
                    }
                    let target = || target_path(&r);
                    let producer_index = index_of.get(&r.stack).copied();
                    // Why the reference cannot become an import, if it cannot.
                    let refused = if r.stack.app != app_id {
                        Some("references a construct of another App; an App's stacks can only reference each other. Create both in one App, or pass the value as a parameter".to_string())
                    } else if producer_index.is_none() {
                        Some(format!("references {}, a stack that is not in this App", target()))
                    } else {
                        None
                    };
                    let pi = producer_index.unwrap_or(ci);
                    let Some((_, pids, producer, penv)) = ids.get(pi) else { return };
                    let attribute = match v {
                        Value::GetAtt(_, a) | Value::GetAttList(_, a) => Some(a.clone()),
                        _ => None,
                    };
                    let refused = refused.or_else(|| match v {
                        Value::Ref(_) | Value::GetAtt(..) | Value::GetAttList(..) => None,
                        _ => Some(format!("uses {} of stack '{producer}' in a condition or mapping function; conditions and mappings only apply in their own template, so define them in stack '{consumer_name}'", target())),
                    });
                    let refused = refused.or_else(|| {
                        (penv.account != consumer_env.account || penv.region != consumer_env.region).then(|| format!(
                            "references {} in stack '{producer}', which deploys to {}; this stack deploys to {}. CloudFormation exports only reach stacks of the same account and region. Put both stacks in one environment, or pass the value in as a parameter (for example an SSM parameter you replicate)",
                            target(),
                            env_text(penv),
                            env_text(&consumer_env)
                        ))
                    });
                    let target_id = pids.get(r.node.idx()).and_then(Option::as_deref);
                    let problem = match (refused, &target_id) {
                        (Some(message), _) => Some(Error::validation(path.clone(), message)),
                        (None, None) => Some(Error::NotAnElement { path: path.to_string(), target: target() }),
                        (None, Some(_)) => None,
                    };
                    let (Some(target_id), None) = (target_id, problem.as_ref()) else {
                        errors.extend(problem);
                        *v = Value::Null;
                        return;
                    };
                    let list = matches!(v, Value::GetAttList(..));
                    // Names are computed once per exported value (an MD5 each), however many
                    // references use it.
                    let key = (pi, r.node, attribute);
                    let name = match names.get(&key) {
                        Some(n) => n.clone(),
                        None => {
                            let oid = output_id(target_id, key.2.as_deref());
                            let name = Str::from(export_name(producer, &oid));
                            let exported = if list { Value::Join(LIST_DELIMITER.into(), Box::new(vec![v.clone()])) } else { v.clone() };
                            exports.entry(pi).or_default().entry(oid.clone()).or_insert_with(|| Export {
                                logical_id: output_logical_id(&oid),
                                name: name.clone(),
                                value: exported,
                                description: None,
                            });
                            names.insert(key.clone(), name.clone());
                            name
                        }
                    };
                    let import = Value::ImportValue(Box::new(Value::Str(name)));
                    *v = if list { Value::Split(LIST_DELIMITER.into(), Box::new(import)) } else { import };
                    // A few references per pair of stacks are enough to explain a cycle.
                    let at = match mine.iter().position(|(p, _)| *p == pi) {
                        Some(at) => at,
                        None => {
                            mine.push((pi, Vec::new()));
                            mine.len().saturating_sub(1)
                        }
                    };
                    let Some((_, list)) = mine.get_mut(at) else { return };
                    if list.len() < MAX_REASONS {
                        let shown = key.2.unwrap_or_else(|| "Ref".into());
                        let text = format!("{path} -> {}.{shown}", target_path(&r));
                        if !list.iter().any(|x| x.text == text) {
                            list.push(Reason { text });
                        }
                    }
                });
            }
            if !mine.is_empty() {
                reasons.insert(ci, mine.into_iter().collect());
            }
        }
        for (st, (_, taken, _, _)) in stacks.iter_mut().zip(ids) {
            st.ids = taken;
        }

        // Exports become outputs under `Exports` at the end of the producer's template.
        for (i, st) in stacks.iter_mut().enumerate() {
            for (oid, e) in exports.shift_remove(&i).unwrap_or_default() {
                if st.elements.iter().any(|x| x.logical_id == e.logical_id) {
                    errors.push(Error::DuplicateLogicalId {
                        logical_id: e.logical_id.clone(),
                        first: format!("{}/{}", st.name, e.logical_id),
                        second: format!("{}/Exports/{oid}", st.name),
                    });
                    continue;
                }
                let mut out = Map::new();
                if let Some(d) = e.description {
                    out.insert("Description", Value::Str(d.into()));
                }
                out.insert("Value", e.value);
                out.insert("Export", Value::Map([("Name", Value::Str(e.name))].into_iter().collect()));
                let path = format!("{}/Exports/{oid}", st.name);
                st.elements.push(PreparedElement::new(ElementKind::Output, e.logical_id, path, String::new(), Value::Map(out), NodeId(0)));
            }
        }

        // Dependencies: explicit ones (by name) and those references create.
        let names: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
        let name = |i: usize| names.get(i).cloned().unwrap_or_default();
        let mut edges: Edges = IndexMap::new();
        for (ci, st) in stacks.iter_mut().enumerate() {
            for dep in &st.dependencies {
                match names.iter().position(|n| n == dep) {
                    Some(pi) => edges.entry(ci).or_default().entry(pi).or_default().push(format!("{}.add_dependency({dep})", st.name)),
                    None => errors.push(Error::validation(
                        st.name.clone(),
                        format!("depends on stack '{dep}', which is not in this app"),
                    )),
                }
            }
            let mut by_producer = reasons.shift_remove(&ci).unwrap_or_default();
            // Producers in stack creation order, whatever order the references came in.
            by_producer.sort_keys();
            for (pi, rs) in by_producer {
                edges.entry(ci).or_default().entry(pi).or_default().extend(rs.into_iter().map(|r| r.text));
                let dep = name(pi);
                if !st.dependencies.contains(&dep) {
                    st.dependencies.push(dep);
                }
            }
        }
        if let Some(cycle) = find_cycle(&edges) {
            let steps: Vec<String> = cycle
                .iter()
                .map(|(c, p)| {
                    let why = edges.get(c).and_then(|e| e.get(p)).map(|r| r.join("; ")).unwrap_or_default();
                    format!("'{}' depends on '{}' ({why})", name(*c), name(*p))
                })
                .collect();
            let first = cycle.first().map(|(c, _)| name(*c)).unwrap_or_default();
            errors.push(Error::validation(
                first,
                format!(
                    "stacks depend on each other in a cycle, so none can be deployed first: {}. Make references go one way: move one of the referenced resources to the other stack, or pass the value as a parameter",
                    steps.join(", ")
                ),
            ));
        }
        errors
    }
}

/// Stack dependencies: consumer index → producer index → reasons.
type Edges = IndexMap<usize, IndexMap<usize, Vec<String>>>;

fn env_text(env: &crate::stack::Environment) -> String {
    format!(
        "aws://{}/{}",
        env.account.as_deref().unwrap_or("unknown-account"),
        env.region.as_deref().unwrap_or("unknown-region")
    )
}

/// An explicit export's output: keyed like automatic ones, or `Export<name>` when named.
fn explicit_export(st: &PreparedStack, x: &ExplicitExport, target_path: &dyn Fn(&ElementRef) -> String) -> Result<(String, Export)> {
    let export = |key: String, lid: String, name: String, value: Value| {
        Ok((key, Export { logical_id: lid, name: name.into(), value, description: x.description.clone() }))
    };
    if let Some(name) = &x.name {
        let key = format!("Export{name}");
        return export(key.clone(), logical_id(&[key.as_str()]), name.clone(), x.value.clone());
    }
    let (r, attribute, list) = match &x.value {
        Value::Ref(r) => (*r, None, false),
        Value::GetAtt(r, a) => (*r, Some(a.as_str()), false),
        Value::GetAttList(r, a) => (*r, Some(a.as_str()), true),
        _ => unreachable_export(st)?,
    };
    let target = st.logical_id_of(&r).ok_or_else(|| {
        Error::validation(st.name.clone(), format!("export_value: {} is not an element of this stack", target_path(&r)))
    })?;
    let oid = output_id(target, attribute);
    let name = export_name(&st.name, &oid);
    if name != x.promised {
        return Err(Error::validation(
            target_path(&r),
            format!(
                "its logical ID changed after export_value returned the export name '{}' (now '{name}'); call override_logical_id before export_value",
                x.promised
            ),
        ));
    }
    let value = if list { Value::Join(LIST_DELIMITER.into(), Box::new(vec![x.value.clone()])) } else { x.value.clone() };
    export(oid.clone(), output_logical_id(&oid), name, value)
}

fn unreachable_export<T>(st: &PreparedStack) -> Result<T> {
    Err(Error::validation(
        st.name.clone(),
        "export_value: the value is neither a Ref nor a Fn::GetAtt of a resource; give it a name to export any other value",
    ))
}

/// A cycle in the stack graph, as its edges, if there is one.
fn find_cycle(edges: &Edges) -> Option<Vec<(usize, usize)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    fn visit(n: usize, edges: &Edges, marks: &mut HashMap<usize, Mark>, path: &mut Vec<usize>) -> Option<Vec<(usize, usize)>> {
        marks.insert(n, Mark::OnPath);
        path.push(n);
        for &m in edges.get(&n).into_iter().flat_map(IndexMap::keys) {
            match marks.get(&m) {
                Some(Mark::OnPath) => {
                    let start = path.iter().position(|&p| p == m).unwrap_or(0);
                    let nodes: Vec<usize> = path.iter().skip(start).copied().collect();
                    let mut cycle: Vec<(usize, usize)> = nodes.iter().zip(nodes.iter().skip(1)).map(|(a, b)| (*a, *b)).collect();
                    cycle.push((n, m));
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(c) = visit(m, edges, marks, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        marks.insert(n, Mark::Done);
        None
    }
    let mut marks: HashMap<usize, Mark> = HashMap::default();
    let mut path: Vec<usize> = Vec::new();
    for &n in edges.keys() {
        if !marks.contains_key(&n) {
            if let Some(c) = visit(n, edges, &mut marks, &mut path) {
                return Some(c);
            }
        }
    }
    None
}

/// Exports that a stack of the assembly in `outdir` imports and that the new app no longer
/// exports: deploying the producer first would fail, since CloudFormation refuses to delete an
/// export in use (CDK's "deadly embrace").
pub(crate) fn removed_exports_in_use(outdir: &Path, stacks: &[PreparedStack]) -> Vec<Finding> {
    let Ok(text) = std::fs::read_to_string(outdir.join("manifest.json")) else { return Vec::new() };
    if !crate::outdir::is_our_manifest(&text) {
        return Vec::new();
    }
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else { return Vec::new() };
    let Some(artifacts) = manifest.get("artifacts").and_then(serde_json::Value::as_object) else { return Vec::new() };
    // The old templates, in the manifest's order.
    let files: Vec<(&String, &str)> = artifacts
        .iter()
        .filter(|(_, a)| a.get("type").and_then(serde_json::Value::as_str) == Some("aws:cloudformation:stack"))
        .filter_map(|(stack, a)| Some((stack, a.pointer("/properties/templateFile").and_then(serde_json::Value::as_str)?)))
        .filter(|(_, file)| !file.contains('/') && !file.contains(".."))
        .collect();
    let read = |file: &str| std::fs::read_to_string(outdir.join(file)).ok();
    // Old exports (name -> producer). Our writer spells every key as it is, so a template
    // without the text `"Export"` has none and is not parsed: re-synthesizing an unchanged app
    // reads only its producers' templates.
    let mut old_exports: IndexMap<String, String> = IndexMap::new();
    // The imports of the templates scanned for exports, by position in `files`, so that phase
    // two reads none of them again.
    let mut scanned: Vec<Option<Vec<String>>> = vec![None; files.len()];
    for ((stack, file), slot) in files.iter().zip(scanned.iter_mut()) {
        let Some(t) = read(file).filter(|t| t.contains("\"Export\"")) else { continue };
        let Some(found) = scan::exports_and_imports(&t) else { continue };
        for n in found.exports {
            old_exports.insert(n, (*stack).clone());
        }
        *slot = Some(found.imports);
    }
    let mut new_exports: Vec<&str> = Vec::new();
    for s in stacks {
        for e in s.elements.iter().filter(|e| e.kind == ElementKind::Output) {
            if let Value::Map(m) = &e.value {
                if let Some(Value::Map(x)) = m.get("Export") {
                    if let Some(Value::Str(n)) = x.get("Name") {
                        new_exports.push(n);
                    }
                }
            }
        }
    }
    // A producer this app no longer has is not deployed by it: nothing to warn about.
    old_exports.retain(|name, producer| !new_exports.contains(&name.as_str()) && stacks.iter().any(|s| &s.name == producer));
    if old_exports.is_empty() {
        return Vec::new();
    }
    // Old imports (name -> consumers), read only now that an export is going away.
    let mut old_imports: IndexMap<String, Vec<String>> = IndexMap::new();
    for ((stack, file), kept) in files.iter().zip(scanned) {
        let imports = match kept {
            Some(imports) => imports,
            None => {
                let Some(t) = read(file).filter(|t| t.contains("\"Fn::ImportValue\"")) else { continue };
                let Some(found) = scan::exports_and_imports(&t) else { continue };
                found.imports
            }
        };
        for n in imports {
            let consumers = old_imports.entry(n).or_default();
            if !consumers.contains(stack) {
                consumers.push((*stack).clone());
            }
        }
    }
    let mut findings = Vec::new();
    for (name, producer) in &old_exports {
        let Some(consumers) = old_imports.get(name) else { continue };
        let consumers: Vec<&String> = consumers.iter().filter(|c| *c != producer).collect();
        if consumers.is_empty() {
            continue;
        }
        let list = consumers.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
        findings.push(
            Finding::new(
                "export-in-use",
                Severity::Warning,
                format!(
                    "export '{name}' of stack '{producer}' is about to disappear, but {list} imported it in the previous synth; CloudFormation refuses to remove an export that is in use, so deploying '{producer}' first fails"
                ),
                format!(
                    "deploy {list} first on its own (cdk deploy --exclusively, or aws cloudformation deploy of that stack), then '{producer}'; or keep the export one more deploy with export_value on stack '{producer}'"
                ),
            )
            .stack(producer.clone()),
        );
    }
    findings
}

/// The export names and imported names of a template written by an earlier synth, read as the
/// JSON goes by: no document is built (a 10,000-resource assembly is 10 MB of templates, which
/// re-synthesizing into the same directory reads every time).
mod scan {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// What a template holds of interest.
    #[derive(Default)]
    pub(super) struct Found {
        /// `Outputs.<id>.Export.Name` strings.
        pub exports: Vec<String>,
        /// `{"Fn::ImportValue": "<name>"}` names, anywhere.
        pub imports: Vec<String>,
    }

    /// `None` when `text` is not JSON (or nests past serde_json's limit).
    pub(super) fn exports_and_imports(text: &str) -> Option<Found> {
        let mut found = Found::default();
        let mut de = serde_json::Deserializer::from_str(text);
        Node { at: At::Root, found: &mut found }.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(found)
    }

    /// Where a value stands.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum At {
        Root,
        Outputs,
        Output,
        Export,
        ExportName,
        ImportValue,
        Elsewhere,
    }

    /// A key that changes where its value stands.
    enum Key {
        Outputs,
        Export,
        Name,
        ImportValue,
        Other,
    }

    struct KeyOf;

    impl<'de> DeserializeSeed<'de> for KeyOf {
        type Value = Key;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl Visitor<'_> for KeyOf {
        type Value = Key;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E: serde::de::Error>(self, k: &str) -> Result<Key, E> {
            Ok(match k {
                "Outputs" => Key::Outputs,
                "Export" => Key::Export,
                "Name" => Key::Name,
                "Fn::ImportValue" => Key::ImportValue,
                _ => Key::Other,
            })
        }
    }

    struct Node<'f> {
        at: At,
        found: &'f mut Found,
    }

    impl<'de> DeserializeSeed<'de> for Node<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Node<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
            match self.at {
                At::ExportName => self.found.exports.push(v.to_string()),
                At::ImportValue => self.found.imports.push(v.to_string()),
                _ => {}
            }
            Ok(())
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Node { at: At::Elsewhere, found: &mut *self.found })?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key_seed(KeyOf)? {
                let at = match (self.at, key) {
                    (_, Key::ImportValue) => At::ImportValue,
                    (At::Root, Key::Outputs) => At::Outputs,
                    (At::Outputs, _) => At::Output,
                    (At::Output, Key::Export) => At::Export,
                    (At::Export, Key::Name) => At::ExportName,
                    _ => At::Elsewhere,
                };
                map.next_value_seed(Node { at, found: &mut *self.found })?;
            }
            Ok(())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn export_names_and_imports_are_found_wherever_they_are() {
            let t = r#"{"Resources": {"A": {"Type": "X", "Properties": {"P": [{"Fn::ImportValue": "one"}, {"Q": {"Fn::ImportValue": "tw\u006f"}}], "R": {"Fn::ImportValue": {"Fn::Sub": "x"}}}}},
                "Outputs": {"O": {"Value": "v", "Export": {"Name": "exp"}}, "P": {"Value": {"Fn::ImportValue": "three"}, "Description": "Name"}, "Name": {"Value": 1}},
                "Name": "not an export"}"#;
            let f = exports_and_imports(t).unwrap();
            assert_eq!(f.exports, ["exp"]);
            assert_eq!(f.imports, ["one", "two", "three"]);
            assert!(exports_and_imports("{").is_none());
            assert!(exports_and_imports("{} x").is_none());
            let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
            assert!(exports_and_imports(&deep).is_none(), "serde_json's nesting limit holds");
        }
    }
}
