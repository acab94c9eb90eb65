//! The prepare phase: every stack's elements rendered once into the value model, with logical
//! IDs, tags, overrides and acknowledgements applied. Analyses read the result
//! ([`PreparedApp`]); the write phase turns it into template text.
//!
//! User code runs here (lazy properties and validations), so no borrow of the stack is held
//! while it runs: a closure may read the tree, and one that changes it (a new construct, a
//! tag) gets an error instead of a panic.

use ironcdk_template::hash::HashMap;

use crate::element::{Element, Override, ResourceData, SaltPart};
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::render::{inherited_tags, note_capabilities, parameter_value, resolve::Ctx};
use crate::stack::StackInner;
use crate::tree::{NodeId, Scope, StackCell};
use crate::value::{str_of_key, ElementRef, Map, Str, Value, MAX_DEPTH};

pub use ironcdk_template::templates::{ElementKind, PreparedApp, PreparedElement, PreparedStack};

/// Takes a node's closures out, runs `f` with no borrow held, and puts them back.
fn with_closures_out<R>(cell: &StackCell, n: NodeId, f: impl FnOnce(&mut Option<Box<dyn crate::element::RenderProps>>, &mut Vec<crate::tree::Validation>) -> R) -> R {
    let (mut props, mut validations) = {
        let mut inner = cell.borrow_mut();
        let node = inner.node_mut(n);
        let props = match node.element.as_deref_mut() {
            Some(Element::Resource(r)) => Some(std::mem::replace(&mut r.props, Box::new(|| Value::Null))),
            _ => None,
        };
        (props, node.rare.as_deref_mut().map(|r| std::mem::take(&mut r.validations)).unwrap_or_default())
    };
    let out = f(&mut props, &mut validations);
    let mut inner = cell.borrow_mut();
    let node = inner.node_mut(n);
    if let (Some(p), Some(Element::Resource(r))) = (props, node.element.as_deref_mut()) {
        r.props = p;
    }
    // Validations added while these ran (by the closures themselves) are kept after them.
    if let Some(r) = node.rare.as_deref_mut() {
        validations.append(&mut r.validations);
    }
    if !validations.is_empty() {
        node.rare_mut().validations = validations;
    }
    out
}

/// What the program's code gave at prepare, by node: rendered properties and the targets of
/// dependencies resolved late (`Resource::add_depends_on_later`).
struct UserCode {
    props: Vec<Option<Value>>,
    later: Vec<Vec<Scope>>,
    /// The stack's nodes, depth first (the tree does not change once user code has run).
    order: Vec<NodeId>,
}

/// Runs validations and renders properties for every node of the stack, with no borrow held
/// while user code runs. Returns what it gave, validation findings, and errors.
fn run_user_code(cell: &StackCell) -> (UserCode, Vec<Finding>, Vec<Error>) {
    let (order, revision, name, root) = {
        let st = cell.borrow();
        (st.dfs_from(NodeId(0)), st.revision, st.name.clone(), Scope::root_of(cell))
    };
    let count = cell.borrow().nodes.len();
    let mut props: Vec<Option<Value>> = vec![None; count];
    let mut later: Vec<Vec<Scope>> = vec![Vec::new(); count];
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for &n in &order {
        let scope = root.at(n);
        let before = cell.borrow().revision;
        let (rendered, problems) = with_closures_out(cell, n, |p, validations| {
            // Most nodes have no validation: nothing to run or collect.
            let problems: Vec<String> = if validations.is_empty() { Vec::new() } else { validations.iter().flat_map(|check| check()).collect() };
            (p.as_ref().map(|p| p.render()), problems)
        });
        let resolvers: Vec<std::rc::Rc<dyn Fn() -> Vec<Scope>>> = match cell.borrow().node(n).element.as_deref() {
            Some(Element::Resource(r)) => r.depends_on_later().to_vec(),
            _ => Vec::new(),
        };
        if let Some(slot) = later.get_mut(n.idx()).filter(|_| !resolvers.is_empty()) {
            *slot = resolvers.iter().flat_map(|f| f()).collect();
        }
        // The path only names a problem: most nodes have none.
        let path = || scope.path();
        for message in problems {
            findings.push(
                Finding::new("construct-validation", Severity::Error, message, "").stack(&name).path(path()),
            );
        }
        if cell.borrow().revision != before {
            errors.push(Error::validation(
                path(),
                "its properties or validations changed the construct tree during synth (a construct, tag or acknowledgement was added); make every change before calling synth",
            ));
        }
        if let Some(slot) = props.get_mut(n.idx()) {
            *slot = rendered;
        }
    }
    if cell.borrow().revision != revision && errors.is_empty() {
        errors.push(Error::validation(name, "the construct tree changed during synth; make every change before calling synth"));
    }
    (UserCode { props, later, order }, findings, errors)
}

/// Prepares one stack. `explicit` are the stack's own `export_value` outputs, added later by
/// the cross-stack pass with the automatic ones.
pub(crate) fn prepare_stack(cell: &StackCell, describe: &dyn Fn(&ElementRef) -> String) -> (Option<PreparedStack>, Vec<Finding>, Vec<Error>) {
    let (code, findings, mut errors) = run_user_code(cell);
    if !errors.is_empty() {
        return (None, findings, errors);
    }
    let UserCode { mut props, later, order } = code;
    let st = cell.borrow();
    // Late dependencies: nodes of this stack, or whole stacks to deploy first.
    let mut stack_dependencies = st.dependencies.clone();
    let late: Vec<Vec<NodeId>> = later
        .iter()
        .map(|targets| {
            let mut same = Vec::new();
            for t in targets {
                if t.id == st.id {
                    same.push(t.node);
                } else if t.id.app == st.id.app {
                    let name = t.stack_name();
                    if !name.is_empty() && !stack_dependencies.contains(&name) {
                        stack_dependencies.push(name);
                    }
                }
            }
            same
        })
        .collect();
    check_depths(&st, &order, &props, &mut errors);
    if !errors.is_empty() {
        return (None, findings, errors);
    }

    // Logical IDs.
    // Shared from here on by the stack's id table and its elements.
    let mut ids: Vec<Option<Str>> = vec![None; st.nodes.len()];
    for n in &order {
        let node = st.node(n);
        if node.element.is_some() {
            if let Some(slot) = ids.get_mut(n.idx()) {
                *slot = Some(match node.logical_id_override() {
                    Some(id) => Str::from(id.as_str()),
                    None => crate::logical_id::logical_id_str_of_path(&node.path, 1),
                });
            }
        }
    }
    salt_ids(&st, &order, &mut ids, &props, &late, describe);
    let mut seen: HashMap<&str, NodeId> = ironcdk_template::hash::map_with_capacity(order.len());
    for n in &order {
        if let Some(Some(id)) = ids.get(n.idx()) {
            if let Some(first) = seen.insert(id.as_str(), *n) {
                errors.push(Error::DuplicateLogicalId {
                    logical_id: id.to_string(),
                    first: st.node(first).path.to_string(),
                    second: st.node(n).path.to_string(),
                });
            }
            if id.is_empty() || id.len() > crate::limits::MAX_LOGICAL_ID {
                errors.push(Error::validation(
                    st.node(n).path.clone(),
                    format!("logical ID '{id}' must be 1 to {} characters; shorten the construct ids or override the logical ID", crate::limits::MAX_LOGICAL_ID),
                ));
            }
        }
    }

    let ctx = Ctx::new(&st, &ids, describe);
    let mut elements: Vec<PreparedElement> = Vec::with_capacity(ids.iter().filter(|i| i.is_some()).count());
    let mut capabilities: Vec<&'static str> = Vec::new();
    let mut known: Vec<(String, String)> = Vec::new();
    for n in &order {
        let node = st.node(n);
        let (Some(el), Some(Some(id))) = (node.element.as_deref(), ids.get(n.idx())) else { continue };
        let (kind, type_name, value) = match el {
            Element::Resource(r) => {
                let p = props.get_mut(n.idx()).and_then(Option::take).unwrap_or(Value::Null);
                match resource_value(&ctx, *n, r, p, late.get(n.idx()).map(Vec::as_slice).unwrap_or_default()) {
                    Ok(v) => {
                        note_capabilities(&mut capabilities, &r.type_name, &v);
                        (ElementKind::Resource, str_of_key(&r.type_name), v)
                    }
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                }
            }
            Element::Parameter(p) => {
                if let Some(v) = &p.known {
                    known.push((id.to_string(), v.clone()));
                }
                (ElementKind::Parameter, Str::default(), parameter_value(&p.props))
            }
            Element::Condition(c) => (ElementKind::Condition, Str::default(), c.clone()),
            Element::Mapping(m) => (
                ElementKind::Mapping,
                Str::default(),
                Value::Map(
                    m.iter()
                        .map(|(k, inner)| (k.clone(), Value::Map(inner.iter().map(|(k2, v)| (k2.clone(), v.clone())).collect())))
                        .collect(),
                ),
            ),
            Element::Output(o) => {
                let mut out = Map::new();
                if let Some(d) = &o.description {
                    out.insert("Description", Value::Str(d.into()));
                }
                out.insert("Value", o.value.clone());
                if let Some(e) = &o.export_name {
                    out.insert("Export", Value::Map([("Name", e.clone())].into_iter().collect()));
                }
                if let Some(c) = o.condition {
                    match condition_id(&ids, &st, *n, c, describe) {
                        Ok(cid) => {
                            out.insert("Condition", Value::Str(cid));
                        }
                        Err(e) => errors.push(e),
                    }
                }
                (ElementKind::Output, Str::default(), Value::Map(out))
            }
        };
        elements.push(PreparedElement::new(kind, id.clone(), node.path.clone(), type_name, value, *n));
    }
    // Template order: section by section, tree order within each (the sort is stable).
    elements.sort_by_key(|e| e.kind);
    if !elements.iter().any(|e| e.kind == ElementKind::Resource) {
        errors.push(Error::validation(
            st.name.clone(),
            "the stack has no resources and CloudFormation rejects an empty template; add a resource or remove the stack",
        ));
    }
    if capabilities.contains(&"CAPABILITY_NAMED_IAM") {
        capabilities.retain(|c| *c != "CAPABILITY_IAM");
    }
    let mut prepared = PreparedStack::new(st.name.clone(), st.env.clone(), st.id);
    prepared.elements = elements;
    prepared.dependencies = stack_dependencies;
    prepared.capabilities = capabilities;
    prepared.ids = ids;
    prepared.description = st.description.clone();
    prepared.termination_protection = st.termination_protection;
    prepared.known = known;
    (Some(prepared), findings, errors)
}

/// Refuses values nested deeper than [`MAX_DEPTH`] (rendered properties, overrides, outputs,
/// conditions, mappings) before anything recurses into them.
fn check_depths(st: &StackInner, order: &[NodeId], props: &[Option<Value>], errors: &mut Vec<Error>) {
    for n in order {
        let node = st.node(n);
        let mut deepest = props.get(n.idx()).and_then(Option::as_ref).map_or(0, Value::depth);
        match node.element.as_deref() {
            Some(Element::Resource(r)) => {
                for o in r.overrides() {
                    if let Override::Set(_, v) = o {
                        deepest = deepest.max(v.depth());
                    }
                }
            }
            Some(Element::Output(o)) => {
                deepest = deepest.max(o.value.depth()).max(o.export_name.as_ref().map_or(0, Value::depth));
            }
            Some(Element::Condition(c)) => deepest = deepest.max(c.depth()),
            Some(Element::Mapping(m)) => {
                let inner = m.values().flat_map(|x| x.values()).map(Value::depth).max().unwrap_or(0);
                deepest = deepest.max(inner.saturating_add(2));
            }
            Some(Element::Parameter(p)) => {
                let values = p.props.default.iter().chain(&p.props.allowed_values);
                deepest = deepest.max(values.map(Value::depth).max().unwrap_or(0).saturating_add(1));
            }
            _ => {}
        }
        if deepest > MAX_DEPTH {
            errors.push(Error::validation(
                node.path.clone(),
                format!("a value nests {deepest} levels deep; synth accepts at most {MAX_DEPTH} (no CloudFormation template needs more): flatten it"),
            ));
        }
    }
}

/// Salted IDs (see `Resource::add_logical_id_salt` and `Resource::add_logical_id_hash`) get
/// the MD5 of their parts' compact JSON, written with the unsalted IDs, appended: subtrees and
/// values in the order added, then template entries.
fn salt_ids(st: &StackInner, order: &[NodeId], ids: &mut [Option<Str>], props: &[Option<Value>], late: &[Vec<NodeId>], describe: &dyn Fn(&ElementRef) -> String) {
    let salted: Vec<(NodeId, &[SaltPart])> = order
        .iter()
        .filter_map(|n| match st.node(n).element.as_deref() {
            Some(Element::Resource(r)) if !r.id_salt().is_empty() && st.node(n).logical_id_override().is_none() => {
                Some((*n, r.id_salt()))
            }
            _ => None,
        })
        .collect();
    if salted.is_empty() {
        return;
    }
    let base: Vec<Option<Str>> = ids.to_vec();
    // Problems found here are found again, and reported, when the stack is prepared.
    let ctx = Ctx::new(st, &base, describe);
    let entry = |m: NodeId| -> Option<Value> {
        let Some(Element::Resource(r)) = st.node(m).element.as_deref() else { return None };
        let p = props.get(m.idx()).cloned().flatten().unwrap_or(Value::Null);
        let mut v = resource_value(&ctx, m, r, p, late.get(m.idx()).map(Vec::as_slice).unwrap_or_default()).ok()?;
        // Acknowledgements are ours, not CDK's, and must not change a logical ID: hashed as if
        // absent.
        if let Value::Map(entry) = &mut v {
            let emptied = match entry.get_mut("Metadata") {
                Some(Value::Map(meta)) => meta.remove(ironcdk_template::acknowledgement::METADATA_KEY).is_some() && meta.is_empty(),
                _ => false,
            };
            if emptied {
                entry.remove("Metadata");
            }
        }
        Some(v)
    };
    for (n, parts) in salted {
        let mut hasher = md5::Context::new();
        let mut entries = Vec::new();
        for part in parts {
            match part {
                SaltPart::Subtree(s) => {
                    for m in st.dfs_from(*s) {
                        if let Some(v) = entry(m) {
                            hasher.consume(ctx.compact(&v));
                        }
                    }
                }
                SaltPart::Value(v) => {
                    hasher.consume(ctx.compact(v));
                }
                SaltPart::Entry(m) => entries.push(*m),
                SaltPart::Properties(m, hash) => {
                    if let Some(Value::Map(ref e)) = entry(*m) {
                        let empty = Map::new();
                        let props = match e.get("Properties") {
                            Some(Value::Map(p)) => p,
                            _ => &empty,
                        };
                        hasher.consume(hash(props, &|v| ctx.compact(v)));
                    }
                }
            }
        }
        for m in entries {
            let (Some(v), Some(Some(id))) = (entry(m), base.get(m.idx())) else { continue };
            let mut wrapped = Map::with_capacity(1);
            wrapped.insert("Resources", Value::Map([(id.to_string(), v)].into_iter().collect()));
            hasher.consume(ctx.compact(&Value::Map(wrapped)));
        }
        if let Some(Some(id)) = ids.get_mut(n.idx()) {
            let mut salted = id.to_string();
            crate::logical_id::push_hex(&mut salted, &hasher.finalize().0, crate::logical_id::LOWER_HEX);
            *id = Str::from(salted);
        }
    }
}

/// Sorts the list at `path` below `m` by the compact JSON of its resolved items, dropping
/// duplicates; one item left is written as itself (`Resource::sort_by_json`).
fn sort_by_json(ctx: &Ctx<'_>, m: &mut Map, path: &[&'static str]) {
    let Some((first, rest)) = path.split_first() else { return };
    let Some(v) = m.get_mut(first) else { return };
    sort_value_at(ctx, v, rest);
}

fn sort_value_at(ctx: &Ctx<'_>, v: &mut Value, path: &[&'static str]) {
    match (path.split_first(), v) {
        (None, v @ Value::List(_)) => {
            let Value::List(items) = v else { return };
            // Plain strings compare as their JSON does (the shared quotes aside) unless they
            // hold characters JSON escapes; those, and intrinsics, go through their JSON.
            let plain = |i: &Value| match i {
                // ASCII (nearly every action and ARN): a byte scan.
                Value::Str(s) if s.is_ascii() => !s.bytes().any(|b| b == b'"' || b == b'\\' || b.is_ascii_control()),
                Value::Str(s) => !s.chars().any(|c| c == '"' || c == '\\' || c.is_control()),
                _ => false,
            };
            if items.iter().all(plain) {
                items.sort_by(|a, b| match (a, b) {
                    // UTF-16 order is byte order for ASCII text.
                    (Value::Str(a), Value::Str(b)) if a.is_ascii() && b.is_ascii() => a.as_bytes().cmp(b.as_bytes()),
                    (Value::Str(a), Value::Str(b)) => a.encode_utf16().cmp(b.encode_utf16()),
                    _ => std::cmp::Ordering::Equal,
                });
                items.dedup();
                if items.len() == 1 {
                    *v = items.remove(0);
                }
                return;
            }
            let items = std::mem::take(items);
            let mut keyed: Vec<(String, Value)> = Vec::with_capacity(items.len());
            for item in items {
                // Unresolvable references are reported when the template is written.
                let key = String::from_utf8(ctx.compact(&item)).unwrap_or_default();
                if !keyed.iter().any(|(k, _)| *k == key) {
                    keyed.push((key, item));
                }
            }
            // JavaScript's default sort: by UTF-16 code units, which is byte order for the
            // ASCII JSON of policy values.
            keyed.sort_by(|(a, _), (b, _)| if a.is_ascii() && b.is_ascii() { a.as_bytes().cmp(b.as_bytes()) } else { a.encode_utf16().cmp(b.encode_utf16()) });
            let mut items: Vec<Value> = keyed.into_iter().map(|(_, v)| v).collect();
            *v = if items.len() == 1 { items.remove(0) } else { Value::List(items) };
        }
        (Some((&"*", rest)), Value::List(items)) => items.iter_mut().for_each(|i| sort_value_at(ctx, i, rest)),
        (Some((key, rest)), Value::Map(m)) => {
            if let Some(child) = m.get_mut(key) {
                sort_value_at(ctx, child, rest);
            }
        }
        _ => {}
    }
}

/// The logical ID of the condition an element is conditional on; it must be in the same stack.
fn condition_id(ids: &[Option<Str>], st: &StackInner, n: NodeId, c: ElementRef, describe: &dyn Fn(&ElementRef) -> String) -> Result<Str> {
    let path = || st.node(n).path.clone();
    if c.stack != st.id {
        return Err(Error::validation(
            path(),
            format!(
                "its condition {} belongs to another stack (or another App); a condition only applies in its own template, so create the Condition in this stack",
                describe(&c)
            ),
        ));
    }
    ids.get(c.node.idx()).cloned().flatten().ok_or_else(|| {
        Error::validation(path(), "its condition is not a Condition element; pass a Condition")
    })
}


/// Construct paths and logical IDs of the resources at or below `n`.
fn resources_under<'a>(ctx: &Ctx<'a>, n: NodeId) -> Vec<(&'a str, &'a str)> {
    let (st, ids) = (ctx.st, ctx.ids);
    st.dfs_from(n)
        .into_iter()
        .filter(|m| matches!(st.node(m).element.as_deref(), Some(Element::Resource(_))))
        .filter_map(|m| ids.get(m.idx()).and_then(Option::as_deref).map(|id| (st.node(m).path.as_str(), id)))
        .collect()
}

/// Acknowledgements at the node and its ancestors, nearest first per rule.
pub(crate) fn acknowledgements_at(st: &StackInner, n: NodeId) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut cur = Some(n);
    while let Some(c) = cur {
        for (rule, reason) in st.node(c).acknowledgements() {
            if !out.iter().any(|(r, _)| r == rule) {
                out.push((rule.clone(), reason.clone()));
            }
        }
        cur = st.node(c).parent;
    }
    out
}

/// The resource's entry in `Resources`, with references still unresolved.
fn resource_value(ctx: &Ctx<'_>, n: NodeId, r: &ResourceData, props: Value, late: &[NodeId]) -> Result<Value> {
    let st = ctx.st;
    let node = st.node(n);
    let mut out = Map::with_capacity(6);
    out.insert_distinct("Type", Value::Str(str_of_key(&r.type_name)));
    let own_id = ctx.ids.get(n.idx()).and_then(Option::as_deref);
    let props = match props {
        mut v @ Value::Map(_) => {
            let mut empty = false;
            if let Value::Map(m) = &mut v {
                if let (Some((property, max_len)), Some(id)) = (r.rare.as_ref().and_then(|x| x.named_by_id), own_id) {
                    if let Some(slot) = m.get_mut(property) {
                        // A logical ID is ASCII: a byte is a character.
                        *slot = Value::Str(id.get(id.len().saturating_sub(max_len)..).unwrap_or(id).into());
                    }
                }
                if let Some(format) = r.tagging {
                    crate::render::edit::merge_tags(m, format, inherited_tags(st, n));
                }
                for path in r.sorted.iter() {
                    sort_by_json(ctx, m, path);
                }
                empty = m.is_empty();
            }
            (!empty).then_some(v)
        }
        Value::Null => None,
        v if v.is_intrinsic() => Some(v),
        other => {
            return Err(Error::validation(
                node.path.clone(),
                format!("resource properties must render to an object, got {}", other.kind()),
            ))
        }
    };
    if let Some(p) = props {
        out.insert_distinct("Properties", p);
    }
    let mut deps: Vec<(&str, &str)> = Vec::new();
    // Its own DependsOn, then what it and its ancestors were made to depend on.
    let mut targets: Vec<NodeId> = r.depends_on.clone();
    targets.extend_from_slice(late);
    let mut cur = Some(n);
    while let Some(c) = cur {
        targets.extend(st.node(c).dependencies().iter().copied());
        cur = st.node(c).parent;
    }
    for d in &targets {
        for (path, id) in resources_under(ctx, *d) {
            if Some(id) != own_id && !deps.iter().any(|(_, x)| *x == id) {
                deps.push((path, id));
            }
        }
    }
    if !deps.is_empty() {
        // As CDK: by the construct path of each target, in `localeCompare` order.
        deps.sort_by(|(a, _), (b, _)| crate::collate::locale_cmp(a, b));
        let deps: Vec<&str> = deps.into_iter().map(|(_, id)| id).collect();
        out.insert_distinct("DependsOn", Value::List(deps.into_iter().map(|d| Value::Str(d.into())).collect()));
    }
    if let Some(c) = r.condition() {
        out.insert_distinct("Condition", Value::Str(condition_id(ctx.ids, st, n, c, ctx.describe)?));
    }
    if let Some(p) = r.update_replace_policy {
        out.insert_distinct("UpdateReplacePolicy", Value::Str(p.into()));
    }
    if let Some(p) = r.deletion_policy {
        out.insert_distinct("DeletionPolicy", Value::Str(p.into()));
    }
    let acks = acknowledgements_at(st, n);
    // Exactly the room it needs: most resources' metadata is their path alone, and a map's
    // first growth makes room for four entries.
    let entries = usize::from(st.path_metadata).saturating_add(r.metadata().map_or(0, crate::value::Map::len)).saturating_add(usize::from(!acks.is_empty()));
    let mut metadata = Map::with_capacity(entries);
    if st.path_metadata {
        metadata.insert("aws:cdk:path", Value::Str(node.path.clone()));
    }
    for (k, v) in r.metadata().into_iter().flatten() {
        metadata.insert(k.to_string(), v.clone());
    }
    if !acks.is_empty() {
        let list = acks
            .into_iter()
            .map(|(rule, reason)| Value::Map([("rule", Value::Str(rule.into())), ("reason", Value::Str(reason.into()))].into_iter().collect()))
            .collect();
        metadata.insert("ironcdk:acknowledged", Value::List(list));
    }
    if !metadata.is_empty() {
        out.insert_distinct("Metadata", Value::Map(metadata));
    }
    let mut out = Value::Map(out);
    for o in r.overrides() {
        match o {
            Override::Set(path, v) => crate::render::edit::set_path(&mut out, path, v.clone()),
            Override::Delete(path) => crate::render::edit::delete_path(&mut out, path),
        }
    }
    Ok(out)
}
