//! Templates this library did not write, read into the same prepared form synth produces, so
//! that checks and reports run on them unchanged: a cloud assembly directory (CDK's or ours:
//! every stack its manifest lists) or template files, JSON or YAML.
//!
//! Intrinsic functions become the value model's (`{"Ref": "Vpc"}` an [`ElementRef`] to the
//! element `Vpc`); anything else stays as literal JSON. The construct path of an element is its
//! `aws:cdk:path` metadata when it has one, and empty otherwise.

use std::path::{Path, PathBuf};

mod language_extensions;
mod structure;
pub use structure::sub_problems;
mod yaml;

use crate::env::Environment;
use crate::ids::{NodeId, StackId};
use crate::templates::{ElementKind, PreparedApp, PreparedElement, PreparedStack, SECTIONS};
use crate::value::{ElementRef, Pseudo, Value, MAX_DEPTH};

/// Why input could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid JSON or YAML.
    #[error("{}: not valid at line {line}, column {column}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A file is JSON but not a CloudFormation template or cloud assembly manifest.
    #[error("{}: {message}", path.display())]
    NotATemplate {
        /// The file.
        path: PathBuf,
        /// What is missing.
        message: String,
    },
}

/// The largest template read by default: CloudFormation's own limit for a template body
/// (1 MiB, [`crate::quotas::MAX_TEMPLATE_BYTES`]); a larger one could not be deployed.
/// [`load_paths_limited`] raises it.
pub const MAX_TEMPLATE_BYTES: u64 = crate::quotas::MAX_TEMPLATE_BYTES as u64;

/// Reads a cloud assembly directory (every stack in its `manifest.json`) or template files,
/// each template at most [`MAX_TEMPLATE_BYTES`].
pub fn load_paths(paths: &[PathBuf]) -> Result<PreparedApp, LoadError> {
    load_paths_limited(paths, MAX_TEMPLATE_BYTES)
}

/// [`load_paths`] with templates of up to `max_template_bytes` (at most [`MAX_FILE_BYTES`]).
pub fn load_paths_limited(paths: &[PathBuf], max_template_bytes: u64) -> Result<PreparedApp, LoadError> {
    let max = max_template_bytes.min(MAX_FILE_BYTES);
    let mut stacks = Vec::new();
    for p in paths {
        if p.is_dir() {
            let root = std::fs::canonicalize(p).map_err(|source| LoadError::Io { path: p.clone(), source })?;
            assembly_stacks(p, &root, 0, max, &mut stacks)?;
        } else {
            let (json, bytes) = read_json_sized(p, max)?;
            let name = p
                .file_name()
                .map(|n| {
                    let n = n.to_string_lossy();
                    let stem = [".json", ".yaml", ".yml"].iter().find_map(|e| n.strip_suffix(e)).unwrap_or(&n);
                    stem.trim_end_matches(".template").to_string()
                })
                .unwrap_or_else(|| "Template".into());
            let mut stack = load_template(&name, Environment::default(), &json).map_err(|message| LoadError::NotATemplate { path: p.clone(), message })?;
            stack.source_bytes = Some(bytes);
            stack.source_file = Some(p.clone());
            stacks.push(stack);
        }
    }
    Ok(renumber(stacks))
}

/// How deeply nested assemblies (a CDK Stage's) are followed.
const MAX_NESTING: usize = 8;

/// Reads every CloudFormation stack a cloud assembly's manifest lists.
pub fn load_assembly(dir: &Path) -> Result<PreparedApp, LoadError> {
    let root = std::fs::canonicalize(dir).map_err(|source| LoadError::Io { path: dir.to_path_buf(), source })?;
    let mut stacks = Vec::new();
    assembly_stacks(dir, &root, 0, MAX_TEMPLATE_BYTES, &mut stacks)?;
    Ok(renumber(stacks))
}

/// `dir/file`, when `file` names something inside the assembly `root` (no absolute path, no
/// `..`, no link out of it).
fn inside(dir: &Path, root: &Path, file: &str, manifest: &Path) -> Result<PathBuf, LoadError> {
    let refuse = |why: &str| LoadError::NotATemplate { path: manifest.to_path_buf(), message: format!("'{file}' {why}; an assembly names its files relative to its directory") };
    let rel = Path::new(file);
    if file.is_empty() || !rel.components().all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir)) {
        return Err(refuse("is not a plain relative path inside the assembly"));
    }
    let joined = dir.join(rel);
    let real = std::fs::canonicalize(&joined).map_err(|source| LoadError::Io { path: joined.clone(), source })?;
    if !real.starts_with(root) {
        return Err(refuse("leads out of the assembly directory"));
    }
    Ok(joined)
}

fn assembly_stacks(dir: &Path, root: &Path, depth: usize, max: u64, stacks: &mut Vec<PreparedStack>) -> Result<(), LoadError> {
    let manifest_path = dir.join("manifest.json");
    let manifest = read_json(&manifest_path)?;
    let artifacts = manifest.get("artifacts").and_then(serde_json::Value::as_object).ok_or_else(|| LoadError::NotATemplate {
        path: manifest_path.clone(),
        message: "no 'artifacts' object: not a cloud assembly manifest".into(),
    })?;
    for (id, a) in artifacts {
        // A CDK Stage writes its stacks into a nested assembly directory.
        if a.get("type").and_then(serde_json::Value::as_str) == Some("cdk:cloud-assembly") {
            if let Some(sub) = a.pointer("/properties/directoryName").and_then(serde_json::Value::as_str) {
                let nested = inside(dir, root, sub, &manifest_path)?;
                if depth >= MAX_NESTING {
                    return Err(LoadError::NotATemplate {
                        path: manifest_path.clone(),
                        message: format!("assemblies nested more than {MAX_NESTING} deep (does '{sub}' name an assembly that contains itself?)"),
                    });
                }
                assembly_stacks(&nested, root, depth.saturating_add(1), max, stacks)?;
            }
            continue;
        }
        if a.get("type").and_then(serde_json::Value::as_str) != Some("aws:cloudformation:stack") {
            continue;
        }
        let Some(file) = a.pointer("/properties/templateFile").and_then(serde_json::Value::as_str) else { continue };
        let path = inside(dir, root, file, &manifest_path)?;
        let (json, bytes) = read_json_sized(&path, max)?;
        let name = a.pointer("/properties/stackName").and_then(serde_json::Value::as_str).unwrap_or(id);
        let env = a.get("environment").and_then(serde_json::Value::as_str).map(parse_environment).unwrap_or_default();
        let mut stack = load_stack(name, env, &json, true).map_err(|message| LoadError::NotATemplate { path: path.clone(), message })?;
        stack.source_bytes = Some(bytes);
        stack.source_file = Some(path.clone());
        stack.dependencies = a
            .get("dependencies")
            .and_then(serde_json::Value::as_array)
            .map(|d| d.iter().filter_map(serde_json::Value::as_str).filter(|d| artifacts.get(*d).is_some_and(is_stack)).map(str::to_string).collect())
            .unwrap_or_default();
        let nested = nested_stacks(&stack, &json, dir, root, &path, max, 0)?;
        stacks.push(stack);
        stacks.extend(nested);
    }
    Ok(())
}

/// The nested stacks of a template whose templates the assembly holds: each
/// `AWS::CloudFormation::Stack` resource with `aws:asset:path` metadata (as CDK's `NestedStack`
/// writes it) is read as a stack `<parent>/<logical ID>` in the parent's environment, its
/// literal `Parameters` as the values of the nested template's parameters. A nested stack whose
/// template is elsewhere (a URL only) is left to the checks to call "cannot verify".
fn nested_stacks(parent: &PreparedStack, json: &serde_json::Value, dir: &Path, root: &Path, file: &Path, max: u64, depth: usize) -> Result<Vec<PreparedStack>, LoadError> {
    let mut out = Vec::new();
    let Some(resources) = json.get("Resources").and_then(serde_json::Value::as_object) else { return Ok(out) };
    for (id, r) in resources {
        if r.get("Type").and_then(serde_json::Value::as_str) != Some("AWS::CloudFormation::Stack") {
            continue;
        }
        let Some(asset) = r.pointer("/Metadata/aws:asset:path").and_then(serde_json::Value::as_str) else { continue };
        if depth >= MAX_NESTING {
            return Err(LoadError::NotATemplate { path: file.to_path_buf(), message: format!("nested stacks nested more than {MAX_NESTING} deep") });
        }
        let path = inside(dir, root, asset, file)?;
        let (nested_json, bytes) = read_json_sized(&path, max)?;
        let name = format!("{}/{id}", parent.name);
        let mut stack = load_stack(&name, parent.env.clone(), &nested_json, true).map_err(|message| LoadError::NotATemplate { path: path.clone(), message })?;
        stack.source_bytes = Some(bytes);
        stack.source_file = Some(path.clone());
        if let Some(params) = r.pointer("/Properties/Parameters").and_then(serde_json::Value::as_object) {
            stack.known = params.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect();
        }
        let deeper = nested_stacks(&stack, &nested_json, dir, root, &path, max, depth.saturating_add(1))?;
        out.push(stack);
        out.extend(deeper);
    }
    Ok(out)
}

fn is_stack(a: &serde_json::Value) -> bool {
    a.get("type").and_then(serde_json::Value::as_str) == Some("aws:cloudformation:stack")
}

/// `aws://account/region`, with CDK's `unknown-*` placeholders as unknown.
fn parse_environment(s: &str) -> Environment {
    let rest = s.strip_prefix("aws://").unwrap_or(s);
    let (account, region) = rest.split_once('/').unwrap_or((rest, ""));
    let known = |v: &str| (!v.is_empty() && !v.starts_with("unknown-")).then(|| v.to_string());
    Environment { account: known(account), region: known(region) }
}

/// The largest file read: well past CloudFormation's 1 MB template limit, so an oversized
/// template is still reported, but never a whole disk.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The text of a regular file of at most `max` bytes. Anything else (a directory, a FIFO, a
/// device such as `/dev/zero`, a larger file, text that is not UTF-8) is refused without
/// reading past `max`, so a hostile path cannot block or exhaust memory.
pub fn read_text(path: &Path, max: u64) -> Result<String, LoadError> {
    use std::io::Read;
    let io = |source: std::io::Error| LoadError::Io { path: path.to_path_buf(), source };
    let refuse = |message: String| LoadError::NotATemplate { path: path.to_path_buf(), message };
    // Looked at before opening: opening a FIFO blocks until something writes to it.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(refuse("not a regular file; give a template file or an assembly directory".into()));
    }
    if meta.len() > max {
        return Err(refuse(format!("{} bytes, over the {max} bytes read", meta.len())));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).map_err(io)?.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
        return Err(refuse(format!("over the {max} bytes read")));
    }
    String::from_utf8(bytes).map_err(|e| refuse(format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))
}

/// The file's JSON and its size in bytes. A `.yaml`/`.yml` file, or one that does not start
/// with `{`, is read as CloudFormation YAML (short-form tags included).
fn read_json_sized(path: &Path, max: u64) -> Result<(serde_json::Value, usize), LoadError> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() > max {
            return Err(LoadError::NotATemplate {
                path: path.to_path_buf(),
                message: format!("{} bytes, over the {max} bytes read (CloudFormation takes templates of at most {MAX_TEMPLATE_BYTES}; ironcdk's --max-template-bytes raises what is read)", meta.len()),
            });
        }
    }
    let text = read_text(path, max)?;
    // A byte order mark is no part of the document (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let is_yaml = ext == "yaml" || ext == "yml" || (ext != "json" && !text.trim_start().starts_with('{'));
    let json = if is_yaml {
        yaml::parse(text).map_err(|e| LoadError::Syntax { path: path.to_path_buf(), line: e.line, column: e.column, message: format!("YAML: {}", e.message) })?
    } else {
        serde_json::from_str(text).map_err(|e| LoadError::Syntax { path: path.to_path_buf(), line: e.line(), column: e.column(), message: e.to_string() })?
    };
    Ok((json, text.len()))
}

fn read_json(path: &Path) -> Result<serde_json::Value, LoadError> {
    read_json_sized(path, MAX_FILE_BYTES).map(|(j, _)| j)
}

/// Gives the stacks of one loaded app their ids, in order, and points their references at them.
fn renumber(mut stacks: Vec<PreparedStack>) -> PreparedApp {
    for (i, s) in stacks.iter_mut().enumerate() {
        let id = StackId { app: 0, index: u32::try_from(i).unwrap_or(u32::MAX) };
        let old = s.id;
        s.id = id;
        for e in &mut s.elements {
            e.value.walk_mut(&mut |v| match v {
                Value::Ref(r) | Value::GetAtt(r, _) | Value::GetAttList(r, _) | Value::If(r, _, _) | Value::Condition(r) | Value::FindInMap(r, _, _)
                    if r.stack == old =>
                {
                    r.stack = id;
                }
                _ => {}
            });
        }
    }
    // Parameter values the templates pass (a nested stack's `Parameters`).
    let known = stacks.iter().flat_map(|s| s.known.iter().map(|(id, v)| (s.name.clone(), id.clone(), v.clone()))).collect();
    PreparedApp::new(stacks, known)
}


/// The top-level sections of a CloudFormation template.
const TOP_LEVEL: [&str; 10] = ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs"];

/// One template, as a prepared stack named `name`.
pub fn load_template(name: &str, env: Environment, json: &serde_json::Value) -> Result<PreparedStack, String> {
    load_stack(name, env, json, false)
}

/// One template; `listed` when a cloud assembly's manifest names it as a stack's (then even
/// `{}` is one: an empty stack).
fn load_stack(name: &str, env: Environment, json: &serde_json::Value, listed: bool) -> Result<PreparedStack, String> {
    // `AWS::LanguageExtensions` loops, expanded as CloudFormation expands them.
    let expanded = language_extensions::expand(json);
    let json = expanded.as_ref().unwrap_or(json);
    let obj = json.as_object().ok_or("the file is not a JSON object, so not a CloudFormation template")?;
    // A template without resources (CDK's integration-test assertion stacks, a stack of
    // outputs only) is still one: the checks say it deploys nothing.
    if !listed && !obj.keys().any(|k| TOP_LEVEL.contains(&k.as_str())) {
        return Err(format!("it has none of a template's sections ({}), so it is not a CloudFormation template", TOP_LEVEL.join(", ")));
    }
    let id = StackId { app: 0, index: 0 };
    // Logical IDs in template order, section by section: their position is their node id.
    let mut names: Vec<(ElementKind, &str, &serde_json::Value)> = Vec::new();
    for (section, kind) in SECTIONS {
        if let Some(entries) = obj.get(section) {
            let entries = entries.as_object().ok_or_else(|| format!("its '{section}' section is not an object"))?;
            names.extend(entries.iter().map(|(k, v)| (kind, k.as_str(), v)));
        }
    }
    let ids: Vec<Option<crate::value::Str>> = names.iter().map(|(_, n, _)| Some((*n).into())).collect();
    // By name (the first of a name, as a scan finds it): a template of thousands of resources
    // names them tens of thousands of times.
    let mut positions: crate::hash::HashMap<&str, u32> = crate::hash::HashMap::default();
    for (i, (_, n, _)) in names.iter().enumerate() {
        if let Ok(i) = u32::try_from(i) {
            positions.entry(*n).or_insert(i);
        }
    }
    let lookup = |logical: &str| positions.get(logical).map(|i| ElementRef { stack: id, node: NodeId(*i) });
    let mut elements = Vec::with_capacity(names.len());
    for (i, (kind, logical, v)) in names.iter().enumerate() {
        let value = to_value(v, &lookup, 0);
        let type_name = match kind {
            ElementKind::Resource => v.get("Type").and_then(serde_json::Value::as_str).unwrap_or_default().to_string(),
            _ => String::new(),
        };
        // Empty when the template carries no `aws:cdk:path` (findings then name the logical ID).
        let path = v.pointer("/Metadata/aws:cdk:path").and_then(serde_json::Value::as_str).map(str::to_string).unwrap_or_default();
        elements.push(PreparedElement { kind: *kind, logical_id: (*logical).into(), path: path.into(), type_name: type_name.into(), value, node: NodeId(u32::try_from(i).unwrap_or(u32::MAX)) });
    }
    Ok(PreparedStack {
        name: name.to_string(),
        env,
        elements,
        dependencies: Vec::new(),
        capabilities: Vec::new(),
        id,
        ids,
        description: obj.get("Description").and_then(serde_json::Value::as_str).map(str::to_string),
        termination_protection: false,
        source_bytes: None,
        known: Vec::new(),
        problems: structure::problems(obj),
        source_file: None,
        transform: transform_left(obj, language_extensions::fully_expanded(json)),
    })
}

/// The transforms a template names that are not expanded here, for the `Transform` info:
/// `AWS::LanguageExtensions` is left out when nothing of it remains after expansion.
fn transform_left(obj: &serde_json::Map<String, serde_json::Value>, extensions_done: bool) -> Option<String> {
    let names: Vec<String> = match obj.get("Transform")? {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items.iter().map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_string)).collect(),
        other => vec![other.to_string()],
    };
    let left: Vec<String> = names.into_iter().filter(|n| !(extensions_done && n == "AWS::LanguageExtensions")).collect();
    (!left.is_empty()).then(|| left.join(", "))
}

/// JSON to the value model, with intrinsic functions recognised. Past [`MAX_DEPTH`] the rest
/// is dropped (no real template nests that deep).
fn to_value(v: &serde_json::Value, lookup: &dyn Fn(&str) -> Option<ElementRef>, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let d = depth.saturating_add(1);
    let conv = |x: &serde_json::Value| to_value(x, lookup, d);
    let boxed = |x: &serde_json::Value| Box::new(to_value(x, lookup, d));
    let list = |x: &serde_json::Value| match x {
        serde_json::Value::Array(a) => a.iter().map(|i| to_value(i, lookup, d)).collect(),
        other => vec![to_value(other, lookup, d)],
    };
    match v {
        serde_json::Value::Object(m) if m.len() == 1 => {
            let Some((key, arg)) = m.iter().next() else { return Value::Null };
            let arr = arg.as_array().map(Vec::as_slice).unwrap_or_default();
            let str_at = |i: usize| arr.get(i).and_then(serde_json::Value::as_str);
            match key.as_str() {
                // A name the template does not declare is not known here: the reader reports it
                // (`template-structure`) or a transform adds it (SAM's `Function.Alias`,
                // `ServerlessRestApi`); never the text of the name.
                "Ref" => match arg.as_str() {
                    Some(p) if p.starts_with("AWS::") => pseudo(p).map_or(Value::Null, Value::Pseudo),
                    Some(n) => lookup(n).map_or(Value::Null, Value::Ref),
                    None => Value::Null,
                },
                "Fn::GetAtt" => {
                    let (target, attr) = match arg {
                        serde_json::Value::String(s) => s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b)),
                        _ => (str_at(0).unwrap_or_default(), str_at(1).unwrap_or_default()),
                    };
                    lookup(target).map_or(Value::Null, |r| Value::GetAtt(r, attr.into()))
                }
                "Fn::ImportValue" => Value::ImportValue(boxed(arg)),
                "Fn::Join" => Value::Join(str_at(0).unwrap_or_default().into(), Box::new(arr.get(1).map(list).unwrap_or_default())),
                "Fn::Sub" => match arg {
                    serde_json::Value::String(s) => Value::Sub(s.into(), Box::default()),
                    _ => Value::Sub(
                        str_at(0).unwrap_or_default().into(),
                        Box::new(arr.get(1).and_then(serde_json::Value::as_object).map(|o| o.iter().map(|(k, x)| (k.clone(), conv(x))).collect()).unwrap_or_default()),
                    ),
                },
                "Fn::Select" => Value::Select(
                    arr.first().and_then(|i| i.as_u64().or_else(|| i.as_str().and_then(|s| s.parse().ok()))).and_then(|i| u32::try_from(i).ok()).unwrap_or(0),
                    arr.get(1).map(boxed).unwrap_or_default(),
                ),
                "Fn::Split" => Value::Split(str_at(0).unwrap_or_default().into(), arr.get(1).map(boxed).unwrap_or_default()),
                "Fn::GetAZs" => Value::GetAzs(boxed(arg)),
                "Fn::Base64" => Value::Base64(boxed(arg)),
                "Fn::Cidr" => Value::Cidr(
                    arr.first().map(boxed).unwrap_or_default(),
                    arr.get(1).map(boxed).unwrap_or_default(),
                    arr.get(2).map(boxed).unwrap_or_default(),
                ),
                "Fn::If" => match str_at(0).and_then(lookup) {
                    Some(c) => Value::If(c, arr.get(1).map(boxed).unwrap_or_default(), arr.get(2).map(boxed).unwrap_or_default()),
                    None => Value::Null,
                },
                "Fn::Equals" => Value::Equals(arr.first().map(boxed).unwrap_or_default(), arr.get(1).map(boxed).unwrap_or_default()),
                "Fn::And" => Value::And(list(arg)),
                "Fn::Or" => Value::Or(list(arg)),
                "Fn::Not" => Value::Not(arr.first().map(boxed).unwrap_or_default()),
                "Condition" => arg.as_str().and_then(lookup).map_or_else(|| Value::Str(arg.as_str().unwrap_or_default().into()), Value::Condition),
                "Fn::FindInMap" => match str_at(0).and_then(lookup) {
                    Some(m) => Value::FindInMap(m, arr.get(1).map(boxed).unwrap_or_default(), arr.get(2).map(boxed).unwrap_or_default()),
                    None => Value::Null,
                },
                _ => Value::Map(m.iter().map(|(k, x)| (k.clone(), conv(x))).collect()),
            }
        }
        serde_json::Value::Object(m) => Value::Map(m.iter().map(|(k, x)| (k.clone(), conv(x))).collect()),
        serde_json::Value::Array(a) => Value::List(a.iter().map(conv).collect()),
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        serde_json::Value::String(s) => Value::Str(s.into()),
    }
}

fn pseudo(name: &str) -> Option<Pseudo> {
    Some(match name {
        "AWS::AccountId" => Pseudo::AccountId,
        "AWS::NotificationARNs" => Pseudo::NotificationArns,
        "AWS::NoValue" => Pseudo::NoValue,
        "AWS::Partition" => Pseudo::Partition,
        "AWS::Region" => Pseudo::Region,
        "AWS::StackId" => Pseudo::StackId,
        "AWS::StackName" => Pseudo::StackName,
        "AWS::URLSuffix" => Pseudo::UrlSuffix,
        _ => return None,
    })
}
