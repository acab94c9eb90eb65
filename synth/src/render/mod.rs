//! Rendering a stack to its template text: validations, logical IDs, tags, overrides, and the
//! value model written as JSON with references resolved on the way ([`resolve`]).

mod edit;
mod pretty;
mod resolve;
mod tree_json;

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;
use std::collections::HashMap;

use crate::element::{Element, Override, ParameterProps, ResourceData};
use crate::error::{Error, Result};
use crate::logical_id::logical_id;
use crate::stack::StackInner;
use crate::tree::NodeId;
use crate::value::{Map, Value};
use resolve::Ctx;

pub(crate) use tree_json::AppTree;

pub(crate) struct RenderedStack {
    /// The template file's bytes: pretty JSON and a final newline.
    pub template_json: String,
    pub resource_count: usize,
    pub capabilities: Vec<&'static str>,
}

const NAMED_IAM_PROPS: &[(&str, &str)] = &[
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::Group", "GroupName"),
    ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
    ("AWS::IAM::InstanceProfile", "InstanceProfileName"),
];

const SECTIONS: [&str; 5] = ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"];

fn section_index(el: &Element) -> usize {
    match el {
        Element::Parameter(_) => 0,
        Element::Mapping(_) => 1,
        Element::Condition(_) => 2,
        Element::Resource(_) => 3,
        Element::Output(_) => 4,
    }
}

/// One element as written: its logical ID, its node (references resolve from there) and its
/// value, borrowed when the element already is one.
struct Entry<'a> {
    id: &'a str,
    node: NodeId,
    value: Cow<'a, Value>,
}

struct Template<'a> {
    ctx: &'a Ctx<'a>,
    description: Option<&'a str>,
    sections: [Vec<Entry<'a>>; 5],
}

impl Serialize for Template<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        struct Section<'s, 'a>(&'a Ctx<'a>, &'s [Entry<'a>]);
        impl Serialize for Section<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.1.len()))?;
                for e in self.1 {
                    m.serialize_entry(e.id, &self.0.at(e.node, &e.value))?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        if let Some(d) = self.description {
            m.serialize_entry("Description", d)?;
        }
        for (name, entries) in SECTIONS.iter().zip(&self.sections) {
            if !entries.is_empty() {
                m.serialize_entry(name, &Section(self.ctx, entries))?;
            }
        }
        m.end()
    }
}

/// Pretty JSON with a final newline: the format of templates and the manifest. `size_hint`
/// is a guess of the length, to spare growing the buffer.
pub(crate) fn to_pretty(v: &impl Serialize, size_hint: usize) -> Result<String> {
    let mut out = Vec::with_capacity(size_hint);
    v.serialize(&mut serde_json::Serializer::with_formatter(&mut out, pretty::Pretty::default())).map_err(json_error)?;
    finish(out)
}

/// JSON without layout, with a final newline: the format of `tree.json`, which tools read and
/// people do not (pretty, it was twice the size and the largest file of a large app).
pub(crate) fn to_compact(v: &impl Serialize, size_hint: usize) -> Result<String> {
    let mut out = Vec::with_capacity(size_hint);
    v.serialize(&mut serde_json::Serializer::new(&mut out)).map_err(json_error)?;
    finish(out)
}

fn json_error(e: impl std::fmt::Display) -> Error {
    Error::validation("App", format!("cannot write JSON: {e}"))
}

fn finish(mut out: Vec<u8>) -> Result<String> {
    out.push(b'\n');
    // A large buffer gives back what the size hint overestimated (in place, for large ones).
    if out.capacity() > out.len() + out.len() / 8 {
        out.shrink_to_fit();
    }
    String::from_utf8(out).map_err(json_error)
}

fn components(path: &str) -> Vec<&str> {
    path.split('/').skip(1).collect()
}

pub(crate) fn render_stack(st: &StackInner) -> Result<RenderedStack> {
    let order = st.dfs_from(NodeId(0));
    let mut errors: Vec<Error> = Vec::new();
    for n in &order {
        let node = &st.nodes[n.idx()];
        for check in &node.validations {
            for msg in check() {
                errors.push(Error::validation(node.path.clone(), msg));
            }
        }
    }

    // Logical IDs.
    let mut ids: Vec<Option<String>> = vec![None; st.nodes.len()];
    for n in &order {
        let node = &st.nodes[n.idx()];
        if node.element.is_some() {
            ids[n.idx()] = Some(match &node.logical_id_override {
                Some(id) => id.clone(),
                None => logical_id(&components(&node.path)),
            });
        }
    }
    salt_ids(st, &order, &mut ids);
    let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(order.len());
    for n in &order {
        if let Some(id) = &ids[n.idx()] {
            if let Some(first) = seen.insert(id.as_str(), *n) {
                errors.push(Error::DuplicateLogicalId {
                    logical_id: id.clone(),
                    first: st.nodes[first.idx()].path.clone(),
                    second: st.nodes[n.idx()].path.clone(),
                });
            }
            if id.is_empty() || id.len() > 255 {
                errors.push(Error::validation(
                    st.nodes[n.idx()].path.clone(),
                    format!("logical ID '{id}' must be 1 to 255 characters; shorten the construct ids or override the logical ID"),
                ));
            }
        }
    }

    let ctx = Ctx::new(st, &ids);
    let mut sections: [Vec<Entry<'_>>; 5] = Default::default();
    let mut capabilities: Vec<&'static str> = Vec::new();
    let mut resource_count = 0;
    for n in &order {
        let node = &st.nodes[n.idx()];
        let (Some(el), Some(id)) = (node.element.as_deref(), &ids[n.idx()]) else { continue };
        if matches!(el, Element::Resource(_)) {
            resource_count += 1;
        }
        let value = match el {
            Element::Resource(r) => match resource_value(&ctx, *n, r) {
                Ok(v) => {
                    note_capabilities(&mut capabilities, &r.type_name, &v);
                    Cow::Owned(v)
                }
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
            Element::Parameter(p) => Cow::Owned(parameter_value(&p.props)),
            Element::Condition(c) => Cow::Borrowed(c),
            Element::Mapping(m) => Cow::Owned(Value::Map(
                m.iter()
                    .map(|(k, inner)| (k.clone(), Value::Map(inner.iter().map(|(k2, v)| (k2.clone(), v.clone())).collect())))
                    .collect(),
            )),
            Element::Output(o) => {
                let mut out = Map::new();
                if let Some(d) = &o.description {
                    out.insert("Description", Value::Str(d.clone()));
                }
                out.insert("Value", o.value.clone());
                if let Some(e) = &o.export_name {
                    out.insert("Export", Value::Map([("Name", e.clone())].into_iter().collect()));
                }
                if let Some(cid) = o.condition.and_then(|c| ids[c.idx()].clone()) {
                    out.insert("Condition", Value::Str(cid));
                }
                Cow::Owned(Value::Map(out))
            }
        };
        sections[section_index(el)].push(Entry { id, node: *n, value });
    }
    if resource_count == 0 {
        errors.push(Error::validation(
            st.name.clone(),
            "the stack has no resources and CloudFormation rejects an empty template; add a resource or remove the stack",
        ));
    }
    let template = Template { ctx: &ctx, description: st.description.as_deref(), sections };
    // Templates measure 740 to 780 bytes per resource.
    let text = to_pretty(&template, 1024 * resource_count);
    errors.extend(ctx.errors.take());
    Error::check_all(errors)?;
    if capabilities.contains(&"CAPABILITY_NAMED_IAM") {
        capabilities.retain(|c| *c != "CAPABILITY_IAM");
    }
    Ok(RenderedStack { template_json: text?, resource_count, capabilities })
}

/// Salted IDs (see `Resource::add_logical_id_salt`) get the MD5 of the compact JSON of the
/// resources at and below their sources, written with the unsalted IDs, appended.
fn salt_ids(st: &StackInner, order: &[NodeId], ids: &mut [Option<String>]) {
    let salted: Vec<(NodeId, &[NodeId])> = order
        .iter()
        .filter_map(|n| match st.nodes[n.idx()].element.as_deref() {
            Some(Element::Resource(r)) if !r.id_salt.is_empty() && st.nodes[n.idx()].logical_id_override.is_none() => {
                Some((*n, r.id_salt.as_slice()))
            }
            _ => None,
        })
        .collect();
    if salted.is_empty() {
        return;
    }
    let base = ids.to_vec();
    // Problems found here are found again, and reported, when the template is written.
    let ctx = Ctx::new(st, &base);
    for (n, sources) in salted {
        let mut hasher = md5::Context::new();
        for s in sources {
            for m in st.dfs_from(*s) {
                if let Some(Element::Resource(r)) = st.nodes[m.idx()].element.as_deref() {
                    if let Ok(v) = resource_value(&ctx, m, r) {
                        // Writing into a hasher cannot fail.
                        let _ = serde_json::to_writer(&mut hasher, &ctx.at(m, &v));
                    }
                }
            }
        }
        if let Some(id) = ids[n.idx()].as_mut() {
            crate::logical_id::push_hex(id, &hasher.finalize().0, crate::logical_id::LOWER_HEX);
        }
    }
}

fn note_capabilities(caps: &mut Vec<&'static str>, type_name: &str, rendered: &Value) {
    if !type_name.starts_with("AWS::IAM::") {
        return;
    }
    let props = match rendered {
        Value::Map(m) => m.get("Properties"),
        _ => None,
    };
    let named = NAMED_IAM_PROPS.iter().any(|(t, p)| {
        *t == type_name && matches!(props, Some(Value::Map(m)) if m.contains_key(p))
    });
    let cap = if named { "CAPABILITY_NAMED_IAM" } else { "CAPABILITY_IAM" };
    if !caps.contains(&cap) {
        caps.push(cap);
    }
}

fn parameter_value(p: &ParameterProps) -> Value {
    let mut out = Map::new();
    let mut put = |k: &'static str, v: Value| {
        out.insert(k, v);
    };
    put("Type", Value::Str(p.type_.name().to_string()));
    if let Some(d) = &p.default {
        put("Default", d.clone());
    }
    if !p.allowed_values.is_empty() {
        put("AllowedValues", Value::List(p.allowed_values.clone()));
    }
    if let Some(v) = &p.allowed_pattern {
        put("AllowedPattern", Value::Str(v.clone()));
    }
    if let Some(v) = &p.constraint_description {
        put("ConstraintDescription", Value::Str(v.clone()));
    }
    if let Some(v) = &p.description {
        put("Description", Value::Str(v.clone()));
    }
    if let Some(v) = p.max_length {
        put("MaxLength", Value::Int(v.into()));
    }
    if let Some(v) = p.max_value {
        put("MaxValue", Value::Float(v));
    }
    if let Some(v) = p.min_length {
        put("MinLength", Value::Int(v.into()));
    }
    if let Some(v) = p.min_value {
        put("MinValue", Value::Float(v));
    }
    if p.no_echo {
        put("NoEcho", Value::Bool(true));
    }
    Value::Map(out)
}

/// Tags set on the node and its ancestors; a tag set lower down wins.
fn inherited_tags(st: &StackInner, n: NodeId) -> Map {
    let mut chain = vec![n];
    let mut cur = st.nodes[n.idx()].parent;
    while let Some(p) = cur {
        chain.push(p);
        cur = st.nodes[p.idx()].parent;
    }
    let mut tags = Map::new();
    for id in chain.into_iter().rev() {
        for (k, v) in &st.nodes[id.idx()].tags {
            tags.insert(k.clone(), Value::Str(v.clone()));
        }
    }
    tags
}

/// Logical IDs of the resources at or below `n`.
fn resource_ids_under<'a>(ctx: &Ctx<'a>, n: NodeId) -> Vec<&'a str> {
    let (st, ids) = (ctx.st, ctx.ids);
    st.dfs_from(n)
        .into_iter()
        .filter(|m| matches!(st.nodes[m.idx()].element.as_deref(), Some(Element::Resource(_))))
        .filter_map(|m| ids[m.idx()].as_deref())
        .collect()
}

/// The resource's entry in `Resources`, with references still unresolved.
fn resource_value(ctx: &Ctx<'_>, n: NodeId, r: &ResourceData) -> Result<Value> {
    let st = ctx.st;
    let node = &st.nodes[n.idx()];
    let mut out = Map::with_capacity(6);
    out.insert("Type", Value::Str(r.type_name.to_string()));
    let props = match r.props.render() {
        Value::Map(mut m) => {
            if let Some(format) = r.tagging {
                crate::render::edit::merge_tags(&mut m, format, inherited_tags(st, n));
            }
            (!m.is_empty()).then_some(Value::Map(m))
        }
        Value::Null => None,
        v if v.is_intrinsic() => Some(v),
        other => {
            return Err(Error::validation(
                node.path.clone(),
                format!("resource properties must render to an object, got {other:?}"),
            ))
        }
    };
    if let Some(p) = props {
        out.insert("Properties", p);
    }
    let own_id = ctx.ids[n.idx()].as_deref();
    let mut deps: Vec<&str> = Vec::new();
    for d in &r.depends_on {
        for id in resource_ids_under(ctx, *d) {
            if Some(id) != own_id && !deps.contains(&id) {
                deps.push(id);
            }
        }
    }
    if !deps.is_empty() {
        deps.sort_unstable();
        out.insert("DependsOn", Value::List(deps.into_iter().map(|d| Value::Str(d.to_string())).collect()));
    }
    if let Some(cid) = r.condition.and_then(|c| ctx.ids[c.idx()].clone()) {
        out.insert("Condition", Value::Str(cid));
    }
    if let Some(p) = r.update_replace_policy {
        out.insert("UpdateReplacePolicy", Value::Str(p.to_string()));
    }
    if let Some(p) = r.deletion_policy {
        out.insert("DeletionPolicy", Value::Str(p.to_string()));
    }
    let mut metadata = Map::new();
    if st.path_metadata {
        metadata.insert("aws:cdk:path", Value::Str(node.path.clone()));
    }
    for (k, v) in &r.metadata {
        metadata.insert(k.to_string(), v.clone());
    }
    if !metadata.is_empty() {
        out.insert("Metadata", Value::Map(metadata));
    }
    let mut out = Value::Map(out);
    for o in &r.overrides {
        match o {
            Override::Set(path, v) => edit::set_path(&mut out, path, v.clone()),
            Override::Delete(path) => edit::delete_path(&mut out, path),
        }
    }
    Ok(out)
}
