//! `dependency-cycle`: resources of a template that reference or depend on each other in a
//! circle, conditions that name each other in one, and stacks that import each other's exports
//! in one.

use ironcdk_template::{ElementKind, PreparedApp, Severity};

use super::Findings;
use crate::network::Key;
use ironcdk_template::value::Value;

rule! {
    /// `dependency-cycle`: resources of a template that reference or depend on each other in a
    /// circle, conditions that name each other in one, and stacks that import each other's
    /// exports in one.
    DependencyCycle = "dependency-cycle", |net, app, out| {
        dependency_cycles(app, &net.functions, &mut out);
        condition_cycles(app, &net.functions, &mut out);
        import_cycles(app, &net.functions, &mut out);
    }
}

/// A stack's resources (or conditions) as a graph: node `i` depends on
/// `targets[starts[i]..starts[i + 1]]` (node indexes, ascending, each once), all in two vectors.
struct Graph {
    starts: Vec<usize>,
    targets: Vec<usize>,
}

impl Graph {
    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn targets(&self, v: usize) -> &[usize] {
        match (self.starts.get(v), self.starts.get(v.saturating_add(1))) {
            (Some(&a), Some(&b)) => self.targets.get(a..b).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The graph of `n` nodes where node `i` depends on what `targets_of(i, add)` adds (each
    /// target kept once, in ascending order; out of range ones ignored).
    fn build(n: usize, mut targets_of: impl FnMut(usize, &mut dyn FnMut(usize))) -> Graph {
        let mut starts = Vec::with_capacity(n.saturating_add(1));
        let mut targets: Vec<usize> = Vec::with_capacity(n.saturating_mul(2));
        // The last node that named each target: a target is listed once per node.
        let mut seen: Vec<usize> = vec![usize::MAX; n];
        for i in 0..n {
            let start = targets.len();
            starts.push(start);
            targets_of(i, &mut |t| {
                if let Some(mark) = seen.get_mut(t) {
                    if *mark != i {
                        *mark = i;
                        targets.push(t);
                    }
                }
            });
            if let Some(list) = targets.get_mut(start..) {
                list.sort_unstable();
            }
        }
        starts.push(targets.len());
        Graph { starts, targets }
    }

    /// The graph of `resources` (each with its functions): the resources each one's entry names
    /// by `Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub` and `DependsOn`. References the value model
    /// holds as element ids are looked up by node index; names in text by logical ID.
    fn of(s: &ironcdk_template::templates::PreparedStack, resources: &[&ironcdk_template::templates::PreparedElement], functions: &[&[(u32, &Value)]]) -> Graph {
        use ironcdk_template::hash::HashMap;
        let index: HashMap<&str, usize> = resources.iter().enumerate().map(|(i, e)| (e.logical_id.as_str(), i)).collect();
        // Resource index by node index, for references that carry this stack's id.
        let mut by_node: Vec<Option<usize>> = vec![None; s.ids.len()];
        for (i, e) in resources.iter().enumerate() {
            if let Some(slot) = by_node.get_mut(e.node.idx()) {
                if s.ids.get(e.node.idx()).and_then(Option::as_deref) == Some(e.logical_id.as_str()) {
                    *slot = Some(i);
                }
            }
        }
        let by_ref = |r: &ironcdk_template::value::ElementRef| -> Option<usize> {
            if r.stack != s.id {
                return None;
            }
            match by_node.get(r.node.idx()).copied().flatten() {
                Some(i) => Some(i),
                None => index.get(s.logical_id_of(r)?).copied(),
            }
        };
        Graph::build(resources.len(), |i, add| {
            let Some(Value::Map(m)) = resources.get(i).map(|e| &e.value) else { return };
            let mut add = |t: Option<usize>| t.into_iter().for_each(&mut *add);
            let mut depends_on = None;
            for (place, (key, v)) in m.iter().enumerate() {
                if key == "DependsOn" {
                    depends_on = u32::try_from(place).ok();
                    match v {
                        Value::Str(d) => add(index.get(d.as_str()).copied()),
                        Value::List(items) => items.iter().filter_map(Value::as_str).for_each(|d| add(index.get(d).copied())),
                        _ => {}
                    }
                }
            }
            // The functions of every entry but `DependsOn` (names there are text).
            for (_, x) in functions.get(i).copied().unwrap_or_default().iter().filter(|(place, _)| Some(*place) != depends_on) {
                match x {
                    Value::Ref(r) | Value::GetAtt(r, _) | Value::GetAttList(r, _) => add(by_ref(r)),
                    Value::Sub(text, vars) => sub_names(text, vars, &mut |name| add(index.get(name).copied())),
                    _ => {}
                }
            }
        })
    }
}

/// The names `${X}` in a `Fn::Sub` text refers to that are not its own variables, pseudo
/// parameters or literals (`${!X}`); `${X.Attr}` names `X`.
fn sub_names<'a>(text: &'a str, vars: &ironcdk_template::value::Map, f: &mut dyn FnMut(&'a str)) {
    for part in ironcdk_template::sub::parts(text) {
        if let ironcdk_template::sub::Part::Var(name) = part {
            let base = ironcdk_template::sub::base(name);
            if !base.starts_with("AWS::") && vars.get(base).is_none() {
                f(base);
            }
        }
    }
}

/// CloudFormation refuses a template whose resources depend on each other in a circle
/// ("Circular dependency between resources"). Each circle is reported once: per strongly
/// connected group of resources, one finding with one circle through it as the example, found
/// in time linear in the references.
///
/// Where a transform runs, the circles it may break are not known here: a macro of the
/// account's own may rewrite any reference (the stack is skipped), and the Serverless transform
/// moves what its `AWS::Serverless::*` resources reference (an API event's `RestApiId`, for one)
/// into resources it adds, so a circle through one of them is not reported.
fn dependency_cycles(app: &PreparedApp, functions: &crate::functions::Functions<'_>, out: &mut Findings<'_>) {
    for (si, s) in app.stacks.iter().enumerate() {
        if s.transform.as_deref().is_some_and(super::has_macro) {
            continue;
        }
        // The resources, and the functions of each.
        let mut resources = Vec::new();
        let mut found = Vec::new();
        for (ei, e) in s.elements.iter().enumerate().filter(|(_, e)| e.kind == ElementKind::Resource) {
            resources.push(e);
            found.push(functions.of_element(si, ei));
        }
        let edges = Graph::of(s, &resources, &found);
        let rewritten = |i: &usize| s.transform.is_some() && resources.get(*i).is_some_and(|e| e.type_name.starts_with("AWS::Serverless::"));
        for Circle { first, circle, others } in circles(&edges, rewritten) {
            let names: Vec<String> = circle.iter().filter_map(|n| resources.get(*n)).map(|e| out.name(&Key { stack: si, logical_id: e.logical_id.clone() })).collect();
            let Some(e) = resources.get(first) else { continue };
            let more = if others > 0 { format!(" ({others} more resources are caught in circles with these)") } else { String::new() };
            out.at(
                &Key { stack: si, logical_id: e.logical_id.clone() },
                ID,
                Severity::Error,
                format!("resources depend on each other in a circle, which CloudFormation refuses: {} -> back to the first{more}", names.join(" -> ")),
                "break the circle: remove a DependsOn, or move a rule that names another resource into a resource of its own",
            );
        }
    }
}

/// CloudFormation refuses conditions that name each other in a circle (`{"Condition": "B"}` in
/// condition A's value and A in B's). Each circle is reported once, at its first condition, as
/// circles of resources are.
fn condition_cycles(app: &PreparedApp, functions: &crate::functions::Functions<'_>, out: &mut Findings<'_>) {
    use ironcdk_template::hash::HashMap;
    for (si, s) in app.stacks.iter().enumerate() {
        let conditions: Vec<(usize, &ironcdk_template::templates::PreparedElement)> =
            s.elements.iter().enumerate().filter(|(_, e)| e.kind == ElementKind::Condition).collect();
        if conditions.is_empty() {
            continue;
        }
        let index: HashMap<&str, usize> = conditions.iter().enumerate().map(|(i, (_, e))| (e.logical_id.as_str(), i)).collect();
        let edges = Graph::build(conditions.len(), |i, add| {
            let Some(&(ei, _)) = conditions.get(i) else { return };
            for (_, x) in functions.of_element(si, ei) {
                if let Value::Condition(r) = x {
                    s.logical_id_of(r).and_then(|id| index.get(id)).into_iter().for_each(|t| add(*t));
                }
            }
        });
        for Circle { first, circle, .. } in circles(&edges, |_| false) {
            let names: Vec<&str> = circle.iter().filter_map(|i| conditions.get(*i)).map(|(_, e)| e.logical_id.as_str()).collect();
            let Some((_, e)) = conditions.get(first) else { continue };
            out.at(
                &Key { stack: si, logical_id: e.logical_id.clone() },
                ID,
                Severity::Error,
                format!("conditions name each other in a circle, which CloudFormation refuses: {} -> back to the first", names.join(" -> ")),
                "break the circle: write one of the conditions without naming the other",
            );
        }
    }
}

/// CloudFormation creates a stack only after the stacks whose exports it imports
/// (`Fn::ImportValue` of a name another stack exports in its account and region): stacks that
/// import each other's exports in a circle can none of them be created first, and a stack
/// cannot import what it exports itself. Each circle is reported once, at the import in its
/// first stack; names that are not literal are not followed.
fn import_cycles(app: &PreparedApp, functions: &crate::functions::Functions<'_>, out: &mut Findings<'_>) {
    use ironcdk_template::hash::HashMap;
    use ironcdk_template::write::literal;
    type Place<'a> = (Option<&'a str>, Option<&'a str>);
    let place = |si: usize| -> Place<'_> { app.stacks.get(si).map_or((None, None), |s| (s.env.account.as_deref(), s.env.region.as_deref())) };
    // (account, region, name) -> the first stack exporting it.
    let mut exports: HashMap<(Place<'_>, std::borrow::Cow<'_, str>), usize> = HashMap::default();
    // Only a stack that exports can be in a circle: the others' imports are not looked up
    // (most stacks of an app import and export nothing).
    let mut exporting = vec![false; app.stacks.len()];
    for (si, _, _, name) in super::literal_exports(app) {
        exports.entry((place(si), name)).or_insert(si);
        if let Some(x) = exporting.get_mut(si) {
            *x = true;
        }
    }
    if exports.is_empty() {
        return;
    }
    // The first import of each (importing stack, exporting stack): its element and the name.
    let mut first_import: HashMap<(usize, usize), (usize, String)> = HashMap::default();
    let edges = Graph::build(app.stacks.len(), |si, add| {
        let Some(s) = app.stacks.get(si).filter(|_| exporting.get(si) == Some(&true)) else { return };
        for ei in 0..s.elements.len() {
            for (_, x) in functions.of_element(si, ei) {
                let Value::ImportValue(name) = x else { continue };
                let Some(name) = literal(name) else { continue };
                if let Some(&to) = exports.get(&(place(si), std::borrow::Cow::Borrowed(name.as_ref()))) {
                    first_import.entry((si, to)).or_insert_with(|| (ei, name.to_string()));
                    add(to);
                }
            }
        }
    });
    for Circle { first, circle, others } in circles(&edges, |_| false) {
        let stack = |i: usize| app.stacks.get(i).map_or("?", |s| s.name.as_str());
        // A long circle is named by its first imports.
        const NAMED: usize = 12;
        let steps: Vec<String> = circle
            .iter()
            .take(NAMED)
            .enumerate()
            .map(|(k, &from)| {
                let to = circle.get(k.saturating_add(1)).copied().unwrap_or(first);
                let name = first_import.get(&(from, to)).map_or("?", |(_, n)| n.as_str());
                format!("{} imports '{name}' from {}", stack(from), stack(to))
            })
            .collect();
        let next = circle.get(1).copied().unwrap_or(first);
        let Some(e) = first_import.get(&(first, next)).and_then(|(ei, _)| app.stacks.get(first)?.elements.get(*ei)) else { continue };
        let unnamed = circle.len().saturating_sub(NAMED);
        let mut more = if unnamed > 0 { format!("; and {unnamed} more imports back to {}", stack(first)) } else { String::new() };
        if others > 0 {
            more.push_str(&format!(" ({others} more stacks are caught in circles with these)"));
        }
        let (message, fix) = if circle.len() == 1 {
            (
                format!("stack {} imports '{}', which it exports itself; CloudFormation cannot create the stack", stack(first), first_import.get(&(first, first)).map_or("?", |(_, n)| n.as_str())),
                "use the value itself (Ref, Fn::GetAtt) instead of importing it",
            )
        } else {
            (
                format!("stacks import each other's exports in a circle, so CloudFormation can create none of them first: {}{more}", steps.join("; ")),
                "break the circle: pass one of the values another way (a parameter, or an SSM parameter read at deploy), or move the resources into one stack",
            )
        };
        out.at(&Key { stack: first, logical_id: e.logical_id.clone() }, ID, Severity::Error, message, fix);
    }
}

/// The strongly connected groups of a graph that hold a circle: of two or more nodes, or of one
/// with an edge to itself (Tarjan's algorithm with an explicit stack).
fn strongly_connected(edges: &Graph) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index: Vec<Option<usize>> = vec![None; n];
    let mut low: Vec<usize> = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut groups = Vec::new();
    let mut next = 0usize;
    let mut path: Vec<(usize, usize)> = Vec::new();
    for start in 0..n {
        if index.get(start).copied().flatten().is_some() {
            continue;
        }
        // (node, position of the next edge to follow)
        path.clear();
        path.push((start, 0));
        while let Some(&mut (v, ref mut at)) = path.last_mut() {
            if *at == 0 && index.get(v).copied().flatten().is_none() {
                if let (Some(i), Some(l), Some(o)) = (index.get_mut(v), low.get_mut(v), on_stack.get_mut(v)) {
                    *i = Some(next);
                    *l = next;
                    *o = true;
                }
                next = next.saturating_add(1);
                stack.push(v);
            }
            let target = edges.targets(v).get(*at).copied();
            *at = at.saturating_add(1);
            match target {
                Some(w) => match index.get(w).copied().flatten() {
                    None => path.push((w, 0)),
                    Some(wi) if on_stack.get(w) == Some(&true) => {
                        if let Some(l) = low.get_mut(v) {
                            *l = (*l).min(wi);
                        }
                    }
                    Some(_) => {}
                },
                None => {
                    path.pop();
                    let lv = low.get(v).copied().unwrap_or(0);
                    if let Some(&(parent, _)) = path.last() {
                        if let Some(l) = low.get_mut(parent) {
                            *l = (*l).min(lv);
                        }
                    }
                    if Some(lv) == index.get(v).copied().flatten() {
                        // The group is the stack from `v` up.
                        let at = stack.iter().rposition(|w| *w == v).unwrap_or(0);
                        for &w in stack.get(at..).unwrap_or_default() {
                            if let Some(o) = on_stack.get_mut(w) {
                                *o = false;
                            }
                        }
                        // A group of one with no edge to itself holds no circle (nearly every
                        // resource): it is not gathered.
                        if stack.len().saturating_sub(at) > 1 || edges.targets(v).contains(&v) {
                            groups.push(stack.drain(at..).rev().collect());
                        } else {
                            stack.truncate(at);
                        }
                    }
                }
            }
        }
    }
    groups
}

/// A circle to report: its first node (the lowest of its group), a shortest circle through it,
/// and how many more nodes its group holds.
struct Circle {
    first: usize,
    circle: Vec<usize>,
    others: usize,
}

/// One [`Circle`] per strongly connected group of `edges` that holds one, but for groups with a
/// node `skip` says to leave alone.
fn circles(edges: &Graph, skip: impl Fn(&usize) -> bool) -> Vec<Circle> {
    strongly_connected(edges)
        .into_iter()
        .filter(|group| !group.iter().any(&skip))
        .filter_map(|group| {
            let first = group.iter().min().copied()?;
            let circle = circle_through(edges, &group, first);
            Some(Circle { first, others: group.len().saturating_sub(circle.len()), circle })
        })
        .collect()
}

/// A shortest circle from `first` back to itself inside `group` (breadth-first).
fn circle_through(edges: &Graph, group: &[usize], first: usize) -> Vec<usize> {
    use ironcdk_template::hash::HashMap;
    use std::collections::VecDeque;
    let members: ironcdk_template::hash::HashSet<usize> = group.iter().copied().collect();
    let mut came_from: HashMap<usize, usize> = HashMap::default();
    let mut queue = VecDeque::from([first]);
    while let Some(v) = queue.pop_front() {
        for &w in edges.targets(v).iter().filter(|w| members.contains(w)) {
            if w == first {
                // Walk back from v to first.
                let mut circle = vec![v];
                let mut at = v;
                while at != first {
                    match came_from.get(&at) {
                        Some(&p) => {
                            circle.push(p);
                            at = p;
                        }
                        None => break,
                    }
                }
                circle.reverse();
                return circle;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = came_from.entry(w) {
                slot.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![first]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Conditions naming each other in a circle are one finding at the first; a condition
    /// naming another that names none is not.
    #[test]
    fn conditions_naming_each_other_in_a_circle_are_refused() {
        let t = json!({
            "Conditions": {
                "A": {"Condition": "B"},
                "B": {"Fn::Not": [{"Condition": "A"}]},
                "C": {"Fn::And": [{"Condition": "A"}, {"Fn::Equals": ["x", "y"]}]},
                "Self": {"Fn::Or": [{"Condition": "Self"}, {"Fn::Equals": ["x", "x"]}]},
                "Plain": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
                "UsesPlain": {"Fn::Not": [{"Condition": "Plain"}]}
            },
            "Resources": {"T": {"Type": "AWS::SNS::Topic", "Condition": "UsesPlain"}}});
        let f = crate::checks::findings_of(&DependencyCycle, &[("S", t)]);
        let said: Vec<(&str, &str)> = f.iter().map(|f| (f.logical_id.as_deref().unwrap_or_default(), f.message.as_str())).collect();
        assert_eq!(f.len(), 2, "{said:#?}");
        assert_eq!(said[0].0, "A");
        assert!(said[0].1.contains("A -> B -> back to the first"), "{}", said[0].1);
        assert_eq!(said[1].0, "Self");
        assert!(said[1].1.contains(": Self -> back to the first"), "{}", said[1].1);
        assert!(f.iter().all(|f| f.severity == Severity::Error));
    }

    fn stack(exports: &[(&str, &str)], imports: &[&str]) -> serde_json::Value {
        let resources: serde_json::Map<String, serde_json::Value> = imports
            .iter()
            .enumerate()
            .map(|(i, name)| (format!("Q{i}"), json!({"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::ImportValue": name}}})))
            .chain(std::iter::once(("T".to_string(), json!({"Type": "AWS::SNS::Topic"}))))
            .collect();
        let outputs: serde_json::Map<String, serde_json::Value> =
            exports.iter().map(|(id, name)| (id.to_string(), json!({"Value": {"Ref": "T"}, "Export": {"Name": name}}))).collect();
        json!({"Resources": resources, "Outputs": outputs})
    }

    /// Stacks importing each other's exports in a circle are one finding, at the import in the
    /// first stack, naming each import; a chain is none, and so is a name nobody exports.
    #[test]
    fn stacks_importing_each_others_exports_in_a_circle_are_refused() {
        let f = crate::checks::findings_of(&DependencyCycle, &[
            ("A", stack(&[("OutA", "a-topic")], &["c-topic", "unknown"])),
            ("B", stack(&[("OutB", "b-topic")], &["a-topic"])),
            ("C", stack(&[("OutC", "c-topic")], &["b-topic"])),
            ("D", stack(&[], &["a-topic", "b-topic"])),
        ]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].severity, f[0].stack.as_deref(), f[0].logical_id.as_deref()), (Severity::Error, Some("A"), Some("Q0")));
        assert!(f[0].message.ends_with("A imports 'c-topic' from C; C imports 'b-topic' from B; B imports 'a-topic' from A"), "{}", f[0].message);
        // A chain: no circle.
        let chain = crate::checks::findings_of(&DependencyCycle, &[("A", stack(&[("OutA", "a-topic")], &[])), ("B", stack(&[("OutB", "b-topic")], &["a-topic"])), ("C", stack(&[], &["b-topic"]))]);
        assert!(chain.is_empty(), "{chain:#?}");
        // Importing one's own export.
        let own = crate::checks::findings_of(&DependencyCycle, &[("A", stack(&[("OutA", "a-topic")], &["a-topic"]))]);
        assert_eq!(own.len(), 1, "{own:#?}");
        assert!(own[0].message.starts_with("stack A imports 'a-topic', which it exports itself"), "{}", own[0].message);
        // A long circle is named by its first twelve imports.
        let ring: Vec<(String, serde_json::Value)> = (0..30).map(|i| (format!("S{i}"), stack(&[("Out", &format!("e{i}"))], &[&format!("e{}", (i + 1) % 30)]))).collect();
        let ring: Vec<(&str, serde_json::Value)> = ring.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
        let f = crate::checks::findings_of(&DependencyCycle, &ring);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.ends_with("S11 imports 'e12' from S12; and 18 more imports back to S0"), "{}", f[0].message);
    }

    /// An import is of the importing stack's account and region: the same name exported in
    /// another region is another export.
    #[test]
    fn an_export_of_another_region_is_not_imported() {
        use ironcdk_template::{load::load_template, Environment};
        let a = load_template("A", Environment::region("us-east-1"), &stack(&[("OutA", "a-topic")], &["b-topic"])).unwrap();
        let b = load_template("B", Environment::region("eu-west-1"), &stack(&[("OutB", "b-topic")], &["a-topic"])).unwrap();
        assert!(crate::checks::findings_in(&DependencyCycle, vec![a, b]).is_empty());
    }

    #[test]
    fn a_circle_of_references_is_named_in_order() {
        let t = json!({"Resources": {
            "A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["B", "TopicName"]}}},
            "B": {"Type": "AWS::SNS::Topic", "DependsOn": "C"},
            "C": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${A}"}}},
            "D": {"Type": "AWS::SNS::Topic", "DependsOn": ["A"]}}});
        let f = crate::checks::findings_of(&DependencyCycle, &[("S", t)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("S/A -> S/B -> S/C -> back to the first"), "{}", f[0].message);
    }

    #[test]
    fn the_serverless_transform_may_break_a_circle_through_its_resources() {
        // SAM moves the function's API event (`RestApiId`) into resources it adds: no circle
        // once transformed. The role and bucket naming each other stay a circle.
        let t = json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {
            "Api": {"Type": "AWS::Serverless::Api", "Properties": {"DefinitionBody": {"x": {"Fn::Sub": "${Fn.Arn}"}}}},
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Events": {"Get": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Api"}}}}}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": {"Resource": {"Fn::GetAtt": ["Bucket", "Arn"]}}}]}},
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"ReplicationConfiguration": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}}}}}});
        let f = crate::checks::findings_of(&DependencyCycle, &[("S", t)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("S/Role -> S/Bucket -> back to the first") || f[0].message.contains("S/Bucket -> S/Role -> back to the first"), "{}", f[0].message);
        // A macro of the account's own may rewrite anything: nothing is said.
        let t = json!({"Transform": "MyMacro", "Resources": {
            "A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"},
            "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"}}});
        assert!(crate::checks::findings_of(&DependencyCycle, &[("S", t)]).is_empty());
    }

    #[test]
    fn a_sub_name_written_with_spaces_is_followed() {
        // CloudFormation ignores the spaces in `${ A.TopicName }`: B refers to A.
        let t = json!({"Resources": {
            "A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"},
            "B": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "x-${ A.TopicName }"}}}}});
        let f = crate::checks::findings_of(&DependencyCycle, &[("S", t)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        // A literal `${!A}` names nothing.
        let t = json!({"Resources": {
            "A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"},
            "B": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "x-${!A}"}}}}});
        assert!(crate::checks::findings_of(&DependencyCycle, &[("S", t)]).is_empty());
    }

    #[test]
    fn a_chain_and_sub_variables_of_its_own_are_no_circle() {
        let t = json!({"Resources": {
            "A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": ["${A}", {"A": "x"}]}}},
            "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"}}});
        assert!(crate::checks::findings_of(&DependencyCycle, &[("S", t)]).is_empty());
    }

    #[test]
    fn a_dense_tangle_is_one_finding() {
        // 400 resources each depending on every other: one group, one finding.
        let ids: Vec<String> = (0..400).map(|i| format!("R{i}")).collect();
        let resources: serde_json::Map<String, serde_json::Value> = ids
            .iter()
            .map(|id| (id.clone(), json!({"Type": "AWS::SNS::Topic", "DependsOn": ids.iter().filter(|o| *o != id).collect::<Vec<_>>()})))
            .collect();
        let f = crate::checks::findings_of(&DependencyCycle, &[("S", json!({"Resources": resources}))]);
        assert_eq!(f.len(), 1, "{}", f.len());
        assert!(f[0].message.contains("S/R0 -> S/R1 -> back to the first (398 more resources"), "{}", f[0].message);
    }

    #[test]
    fn a_resource_naming_itself_and_two_separate_circles() {
        let t = json!({"Resources": {
            "Self": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Self"}}},
            "A": {"Type": "AWS::SNS::Topic", "DependsOn": "B"},
            "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"},
            "Free": {"Type": "AWS::SNS::Topic", "DependsOn": "A"}}});
        let f = crate::checks::findings_of(&DependencyCycle, &[("S", t)]);
        let messages: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(f.len(), 2, "{messages:#?}");
        assert!(messages.iter().any(|m| m.contains(": S/Self -> back to the first")), "{messages:#?}");
        assert!(messages.iter().any(|m| m.contains(": S/A -> S/B -> back to the first")), "{messages:#?}");
    }
}
