//! Rendering a stack to its template: logical IDs, intrinsic resolution, tags, overrides.

use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;

use crate::element::{Element, Override, ResourceData, TagFormat};
use crate::error::{Error, Result};
use crate::logical_id::logical_id;
use crate::stack::StackInner;
use crate::tree::NodeId;
use crate::value::{ElementRef, Value};

pub(crate) struct RenderedStack {
    pub template: Json,
    pub tree: Json,
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

struct Ctx<'a> {
    st: &'a StackInner,
    ids: &'a [Option<String>],
}

impl Ctx<'_> {
    fn target_id(&self, from: NodeId, r: &ElementRef) -> Result<String> {
        let from_path = &self.st.nodes[from.idx()].path;
        if r.stack != self.st.id {
            return Err(Error::CrossStackReference {
                path: from_path.clone(),
                target: format!("an element of another stack (node {})", r.node.0),
            });
        }
        match self.ids.get(r.node.idx()).and_then(Option::as_ref) {
            Some(id) => Ok(id.clone()),
            None => Err(Error::NotAnElement {
                path: from_path.clone(),
                target: self.st.nodes[r.node.idx()].path.clone(),
            }),
        }
    }

    fn resolve(&self, from: NodeId, v: &Value) -> Result<Json> {
        let r = |v: &Value| self.resolve(from, v);
        Ok(match v {
            Value::Null => Json::Null,
            Value::Bool(b) => json!(b),
            Value::Int(i) => json!(i),
            // Whole numbers print as integers (80, not 80.0), as CloudFormation's own examples do.
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => json!(*f as i64),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(Json::Number)
                .ok_or_else(|| Error::validation(self.st.nodes[from.idx()].path.clone(), format!("{f} is not a number JSON can hold")))?,
            Value::Str(s) => json!(s),
            Value::List(items) => Json::Array(items.iter().map(r).collect::<Result<_>>()?),
            Value::Map(m) => {
                let mut out = Map::with_capacity(m.len());
                for (k, v) in m {
                    out.insert(k.clone(), r(v)?);
                }
                Json::Object(out)
            }
            Value::Pseudo(p) => json!({"Ref": p.name()}),
            Value::Ref(e) => json!({"Ref": self.target_id(from, e)?}),
            Value::GetAtt(e, attr) => json!({"Fn::GetAtt": [self.target_id(from, e)?, attr]}),
            Value::Sub(s, vars) if vars.is_empty() => json!({"Fn::Sub": s}),
            Value::Sub(s, vars) => {
                let mut m = Map::new();
                for (k, v) in vars {
                    m.insert(k.clone(), r(v)?);
                }
                json!({"Fn::Sub": [s, m]})
            }
            Value::Join(d, parts) => return self.join(from, d, parts),
            Value::Select(i, l) => json!({"Fn::Select": [i, r(l)?]}),
            Value::Split(d, s) => json!({"Fn::Split": [d, r(s)?]}),
            Value::GetAzs(region) => json!({"Fn::GetAZs": r(region)?}),
            Value::ImportValue(n) => json!({"Fn::ImportValue": r(n)?}),
            Value::If(c, a, b) => json!({"Fn::If": [self.target_id(from, c)?, r(a)?, r(b)?]}),
            Value::Equals(a, b) => json!({"Fn::Equals": [r(a)?, r(b)?]}),
            Value::And(cs) => json!({"Fn::And": cs.iter().map(r).collect::<Result<Vec<_>>>()?}),
            Value::Or(cs) => json!({"Fn::Or": cs.iter().map(r).collect::<Result<Vec<_>>>()?}),
            Value::Not(c) => json!({"Fn::Not": [r(c)?]}),
            Value::Condition(c) => json!({"Condition": self.target_id(from, c)?}),
            Value::FindInMap(m, a, b) => json!({"Fn::FindInMap": [self.target_id(from, m)?, r(a)?, r(b)?]}),
            Value::Base64(v) => json!({"Fn::Base64": r(v)?}),
            Value::Cidr(a, b, c) => json!({"Fn::Cidr": [r(a)?, r(b)?, r(c)?]}),
        })
    }

    /// `Fn::Join` with adjacent literals merged; a join of literals only is a plain string.
    fn join(&self, from: NodeId, delimiter: &str, parts: &[Value]) -> Result<Json> {
        let mut out: Vec<Json> = Vec::new();
        let mut all_literal = true;
        for p in parts {
            let j = self.resolve(from, p)?;
            match (&j, out.last_mut()) {
                (Json::String(s), Some(Json::String(prev))) if delimiter.is_empty() => prev.push_str(s),
                (Json::String(_), _) => out.push(j),
                _ => {
                    all_literal = false;
                    out.push(j)
                }
            }
        }
        if all_literal {
            let strs: Vec<&str> = out.iter().filter_map(Json::as_str).collect();
            return Ok(Json::String(strs.join(delimiter)));
        }
        Ok(json!({"Fn::Join": [delimiter, out]}))
    }
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
    // Salted IDs hash the rendered content of other elements (rendered with the base IDs).
    let salted: Vec<(NodeId, Vec<NodeId>)> = order
        .iter()
        .filter_map(|n| match &st.nodes[n.idx()].element {
            Some(Element::Resource(r)) if !r.id_salt.is_empty() && st.nodes[n.idx()].logical_id_override.is_none() => {
                Some((*n, r.id_salt.clone()))
            }
            _ => None,
        })
        .collect();
    if !salted.is_empty() {
        let base = ids.clone();
        let ctx = Ctx { st, ids: &base };
        for (n, sources) in salted {
            let mut hasher = md5::Context::new();
            for s in sources {
                let mut nodes = vec![s];
                nodes.extend(st.dfs_from(s).into_iter().skip(1));
                for m in nodes {
                    if let Some(Element::Resource(r)) = &st.nodes[m.idx()].element {
                        let j = render_resource(&ctx, st, m, r)?;
                        hasher.consume(serde_json::to_string(&j).unwrap_or_default().as_bytes());
                    }
                }
            }
            let digest = format!("{:x}", hasher.finalize());
            if let Some(id) = ids[n.idx()].as_mut() {
                id.push_str(&digest);
            }
        }
    }
    let mut seen: HashMap<&str, NodeId> = HashMap::new();
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

    let ctx = Ctx { st, ids: &ids };
    let mut sections: IndexMap<&'static str, Map<String, Json>> = IndexMap::new();
    for s in ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"] {
        sections.insert(s, Map::new());
    }
    let mut capabilities: Vec<&'static str> = Vec::new();
    let mut resource_count = 0;
    for n in &order {
        let node = &st.nodes[n.idx()];
        let Some(el) = &node.element else { continue };
        let Some(id) = ids[n.idx()].clone() else { continue };
        let rendered = match el {
            Element::Resource(r) => {
                resource_count += 1;
                let j = render_resource(&ctx, st, *n, r);
                if let Ok(j) = &j {
                    note_capabilities(&mut capabilities, &r.type_name, j);
                }
                j
            }
            Element::Parameter(p) => render_parameter(&ctx, *n, &p.props),
            Element::Condition(c) => ctx.resolve(*n, c),
            Element::Mapping(m) => (|| {
                let mut out = Map::new();
                for (k, inner) in m {
                    let mut o = Map::new();
                    for (k2, v) in inner {
                        o.insert(k2.clone(), ctx.resolve(*n, v)?);
                    }
                    out.insert(k.clone(), Json::Object(o));
                }
                Ok(Json::Object(out))
            })(),
            Element::Output(o) => {
                let mut out = Map::new();
                if let Some(d) = &o.description {
                    out.insert("Description".into(), json!(d));
                }
                match ctx.resolve(*n, &o.value) {
                    Ok(v) => {
                        out.insert("Value".into(), v);
                    }
                    Err(e) => errors.push(e),
                }
                if let Some(e) = &o.export_name {
                    match ctx.resolve(*n, e) {
                        Ok(v) => {
                            out.insert("Export".into(), json!({"Name": v}));
                        }
                        Err(e) => errors.push(e),
                    }
                }
                if let Some(c) = o.condition {
                    if let Some(cid) = &ids[c.idx()] {
                        out.insert("Condition".into(), json!(cid));
                    }
                }
                Ok(Json::Object(out))
            }
        };
        match rendered {
            Ok(j) => {
                sections[el.section()].insert(id, j);
            }
            Err(e) => errors.push(e),
        }
    }
    if sections["Resources"].is_empty() {
        errors.push(Error::validation(
            st.name.clone(),
            "the stack has no resources and CloudFormation rejects an empty template; add a resource or remove the stack",
        ));
    }
    Error::check_all(errors)?;

    let mut template = Map::new();
    if let Some(d) = &st.description {
        template.insert("Description".into(), json!(d));
    }
    for (name, section) in sections {
        if !section.is_empty() {
            template.insert(name.into(), Json::Object(section));
        }
    }
    if capabilities.contains(&"CAPABILITY_NAMED_IAM") {
        capabilities.retain(|c| *c != "CAPABILITY_IAM");
    }
    Ok(RenderedStack {
        template: Json::Object(template),
        tree: tree_node(st, NodeId(0)),
        resource_count,
        capabilities,
    })
}

fn note_capabilities(caps: &mut Vec<&'static str>, type_name: &str, rendered: &Json) {
    if !type_name.starts_with("AWS::IAM::") {
        return;
    }
    let named = NAMED_IAM_PROPS
        .iter()
        .any(|(t, p)| *t == type_name && rendered["Properties"].get(*p).is_some());
    let cap = if named { "CAPABILITY_NAMED_IAM" } else { "CAPABILITY_IAM" };
    if !caps.contains(&cap) {
        caps.push(cap);
    }
}

fn render_parameter(ctx: &Ctx<'_>, n: NodeId, p: &crate::element::ParameterProps) -> Result<Json> {
    let mut out = Map::new();
    out.insert("Type".into(), json!(p.type_.name()));
    if let Some(d) = &p.default {
        out.insert("Default".into(), ctx.resolve(n, d)?);
    }
    if !p.allowed_values.is_empty() {
        let vals = p.allowed_values.iter().map(|v| ctx.resolve(n, v)).collect::<Result<Vec<_>>>()?;
        out.insert("AllowedValues".into(), Json::Array(vals));
    }
    if let Some(v) = &p.allowed_pattern {
        out.insert("AllowedPattern".into(), json!(v));
    }
    if let Some(v) = &p.constraint_description {
        out.insert("ConstraintDescription".into(), json!(v));
    }
    if let Some(v) = &p.description {
        out.insert("Description".into(), json!(v));
    }
    if let Some(v) = p.max_length {
        out.insert("MaxLength".into(), json!(v));
    }
    if let Some(v) = p.max_value {
        out.insert("MaxValue".into(), json!(v));
    }
    if let Some(v) = p.min_length {
        out.insert("MinLength".into(), json!(v));
    }
    if let Some(v) = p.min_value {
        out.insert("MinValue".into(), json!(v));
    }
    if p.no_echo {
        out.insert("NoEcho".into(), json!(true));
    }
    Ok(Json::Object(out))
}

fn inherited_tags(st: &StackInner, n: NodeId) -> IndexMap<String, String> {
    let mut chain = vec![n];
    let mut cur = st.nodes[n.idx()].parent;
    while let Some(p) = cur {
        chain.push(p);
        cur = st.nodes[p.idx()].parent;
    }
    let mut tags = IndexMap::new();
    for id in chain.into_iter().rev() {
        for (k, v) in &st.nodes[id.idx()].tags {
            tags.insert(k.clone(), v.clone());
        }
    }
    tags
}

fn merge_tags(props: &mut Map<String, Json>, format: TagFormat, inherited: IndexMap<String, String>) {
    let mut all: IndexMap<String, Json> = inherited.into_iter().map(|(k, v)| (k, json!(v))).collect();
    match (format, props.get("Tags")) {
        (_, None) => {}
        (TagFormat::KeyValueList, Some(Json::Array(items))) => {
            for item in items {
                match (item.get("Key").and_then(Json::as_str), item.get("Value")) {
                    (Some(k), Some(v)) => {
                        all.insert(k.to_string(), v.clone());
                    }
                    // A tag list that is not plain data is left exactly as given.
                    _ => return,
                }
            }
        }
        (TagFormat::StringMap, Some(Json::Object(m))) => {
            for (k, v) in m {
                all.insert(k.clone(), v.clone());
            }
        }
        // Tags given as an intrinsic: left exactly as given.
        _ => return,
    }
    if all.is_empty() {
        return;
    }
    all.sort_keys();
    let tags = match format {
        TagFormat::KeyValueList => Json::Array(all.into_iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect()),
        TagFormat::StringMap => Json::Object(all.into_iter().collect()),
    };
    props.insert("Tags".into(), tags);
}

fn resource_ids_under(ctx: &Ctx<'_>, n: NodeId) -> Vec<String> {
    ctx.st
        .dfs_from(n)
        .into_iter()
        .filter(|m| matches!(ctx.st.nodes[m.idx()].element, Some(Element::Resource(_))))
        .filter_map(|m| ctx.ids[m.idx()].clone())
        .collect()
}

fn render_resource(ctx: &Ctx<'_>, st: &StackInner, n: NodeId, r: &ResourceData) -> Result<Json> {
    let node = &st.nodes[n.idx()];
    let mut out = Map::new();
    out.insert("Type".into(), json!(r.type_name));
    let mut props = match ctx.resolve(n, &r.props.render())? {
        Json::Object(m) => m,
        Json::Null => Map::new(),
        other => {
            return Err(Error::validation(
                node.path.clone(),
                format!("resource properties must render to an object, got {other}"),
            ))
        }
    };
    if let Some(format) = r.tagging {
        merge_tags(&mut props, format, inherited_tags(st, n));
    }
    if !props.is_empty() {
        out.insert("Properties".into(), Json::Object(props));
    }
    let own_id = ctx.ids[n.idx()].clone();
    let mut deps: Vec<String> = Vec::new();
    for d in &r.depends_on {
        for id in resource_ids_under(ctx, *d) {
            if Some(&id) != own_id.as_ref() && !deps.contains(&id) {
                deps.push(id);
            }
        }
    }
    if !deps.is_empty() {
        deps.sort();
        out.insert("DependsOn".into(), json!(deps));
    }
    if let Some(c) = r.condition {
        if let Some(cid) = &ctx.ids[c.idx()] {
            out.insert("Condition".into(), json!(cid));
        }
    }
    if let Some(p) = r.update_replace_policy {
        out.insert("UpdateReplacePolicy".into(), json!(p));
    }
    if let Some(p) = r.deletion_policy {
        out.insert("DeletionPolicy".into(), json!(p));
    }
    let mut metadata = Map::new();
    if st.path_metadata {
        metadata.insert("aws:cdk:path".into(), json!(node.path));
    }
    for (k, v) in &r.metadata {
        metadata.insert(k.clone(), ctx.resolve(n, v)?);
    }
    if !metadata.is_empty() {
        out.insert("Metadata".into(), Json::Object(metadata));
    }
    let mut out = Json::Object(out);
    for o in &r.overrides {
        match o {
            Override::Set(path, v) => {
                let v = ctx.resolve(n, v)?;
                set_path(&mut out, path, v);
            }
            Override::Delete(path) => delete_path(&mut out, path),
        }
    }
    Ok(out)
}

fn set_path(root: &mut Json, path: &[String], v: Json) {
    let Some((last, init)) = path.split_last() else { return };
    let mut cur = root;
    for part in init {
        let index = match (&*cur, part.parse::<usize>()) {
            (Json::Array(items), Ok(i)) if i < items.len() => Some(i),
            _ => None,
        };
        if index.is_none() && !cur.is_object() {
            *cur = Json::Object(Map::new());
        }
        cur = match (cur, index) {
            (Json::Array(items), Some(i)) => &mut items[i],
            (Json::Object(m), _) => m.entry(part.clone()).or_insert_with(|| Json::Object(Map::new())),
            _ => return,
        };
    }
    let index = match (&*cur, last.parse::<usize>()) {
        (Json::Array(items), Ok(i)) if i < items.len() => Some(i),
        _ => None,
    };
    if index.is_none() && !cur.is_object() {
        *cur = Json::Object(Map::new());
    }
    match (cur, index) {
        (Json::Array(items), Some(i)) => items[i] = v,
        (Json::Object(m), _) => {
            m.insert(last.clone(), v);
        }
        _ => {}
    }
}

fn delete_path(root: &mut Json, path: &[String]) {
    let Some((last, init)) = path.split_last() else { return };
    let mut cur = root;
    for part in init {
        let next = match cur {
            Json::Object(m) => m.get_mut(part),
            Json::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match cur {
        Json::Object(m) => {
            m.shift_remove(last);
        }
        Json::Array(items) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

fn tree_node(st: &StackInner, n: NodeId) -> Json {
    let node = &st.nodes[n.idx()];
    let mut out = Map::new();
    out.insert("id".into(), json!(node.id));
    out.insert("path".into(), json!(node.path));
    if !node.children.is_empty() {
        let mut children = Map::new();
        for (id, c) in &node.children {
            children.insert(id.clone(), tree_node(st, *c));
        }
        out.insert("children".into(), Json::Object(children));
    }
    if let Some(Element::Resource(r)) = &node.element {
        out.insert("attributes".into(), json!({"aws:cdk:cloudformation:type": r.type_name}));
    }
    out.insert(
        "constructInfo".into(),
        json!({"fqn": node.fqn, "version": env!("CARGO_PKG_VERSION")}),
    );
    Json::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_path_creates_objects_and_indexes_lists() {
        let mut j = json!({"Properties": {"A": [{"B": 1}]}});
        set_path(&mut j, &["Properties".into(), "A".into(), "0".into(), "C".into()], json!(2));
        set_path(&mut j, &["Properties".into(), "X".into(), "Y".into()], json!("z"));
        assert_eq!(j, json!({"Properties": {"A": [{"B": 1, "C": 2}], "X": {"Y": "z"}}}));
    }

    #[test]
    fn delete_path_removes_keys_and_items() {
        let mut j = json!({"Properties": {"A": [1, 2], "B": 3}});
        delete_path(&mut j, &["Properties".into(), "B".into()]);
        delete_path(&mut j, &["Properties".into(), "A".into(), "0".into()]);
        delete_path(&mut j, &["Properties".into(), "Missing".into(), "X".into()]);
        assert_eq!(j, json!({"Properties": {"A": [2]}}));
    }

    #[test]
    fn tags_merge_sorted_with_explicit_winning() {
        let mut props = Map::new();
        props.insert("Tags".into(), json!([{"Key": "b", "Value": "explicit"}]));
        let mut inherited = IndexMap::new();
        inherited.insert("c".to_string(), "1".to_string());
        inherited.insert("b".to_string(), "inherited".to_string());
        merge_tags(&mut props, TagFormat::KeyValueList, inherited);
        assert_eq!(
            props["Tags"],
            json!([{"Key": "b", "Value": "explicit"}, {"Key": "c", "Value": "1"}])
        );
    }
}
