//! The app: a set of stacks, synthesized together into a cloud assembly directory.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::error::{Error, Result};
use crate::render::{render_stack, to_compact, to_pretty, AppTree, RenderedStack};
use crate::stack::{Stack, StackInner};
use crate::tree::StackId;

/// Version of CDK's cloud-assembly schema whose shape `manifest.json` follows.
pub const CLOUD_ASSEMBLY_VERSION: &str = "36.0.0";

/// The root of a program: holds the stacks and writes the cloud assembly.
///
/// ```no_run
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let _stack = Stack::new(&app, "Demo").unwrap();
/// let assembly = app.synth().unwrap(); // writes cdk.out/Demo.template.json
/// println!("{}", assembly.stacks[0].template_path.display());
/// ```
pub struct App {
    stacks: RefCell<Vec<Stack>>,
    outdir: PathBuf,
}

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

/// One synthesized stack.
#[derive(Debug, Clone)]
pub struct StackArtifact {
    /// Stack name.
    pub name: String,
    /// The template file's exact bytes: pretty JSON with a final newline.
    pub template_json: String,
    /// Number of resources in the template.
    pub resource_count: usize,
    /// The capabilities `aws cloudformation deploy` needs for this template.
    pub capabilities: Vec<&'static str>,
    /// Where the template is written (inside the app's output directory).
    pub template_path: PathBuf,
}

impl StackArtifact {
    /// The template parsed into JSON, for inspecting it in tests and tools.
    ///
    /// ```
    /// use ironcdk_synth::{App, Stack, Resource, value::Value};
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Demo").unwrap();
    /// Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(|| Value::Null)).unwrap();
    /// let t = app.synth_in_memory().unwrap().stacks[0].template();
    /// assert_eq!(t["Resources"]["Topic"]["Type"], "AWS::SNS::Topic");
    /// ```
    pub fn template(&self) -> serde_json::Value {
        parse(&self.template_json)
    }
}

/// The synthesized app: templates, manifest and tree, as the bytes of the files they become.
#[derive(Debug, Clone)]
pub struct Assembly {
    /// Output directory.
    pub outdir: PathBuf,
    /// Stacks in creation order.
    pub stacks: Vec<StackArtifact>,
    /// The bytes of `manifest.json`.
    pub manifest_json: String,
    /// The bytes of `tree.json` (compact JSON: tools read it, people do not).
    pub tree_json: String,
}

/// Our own output is always valid JSON; `null` can only mean a bug, which tests would show.
fn parse(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

impl Assembly {
    /// The stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// `manifest.json` parsed into JSON.
    pub fn manifest(&self) -> serde_json::Value {
        parse(&self.manifest_json)
    }

    /// `tree.json` parsed into JSON.
    pub fn tree(&self) -> serde_json::Value {
        parse(&self.tree_json)
    }

    /// Every file of the assembly (name and bytes), in a fixed order.
    pub fn files(&self) -> Vec<(String, &str)> {
        let mut files: Vec<(String, &str)> = self
            .stacks
            .iter()
            .map(|s| (template_file(&s.name), s.template_json.as_str()))
            .collect();
        files.push(("manifest.json".into(), &self.manifest_json));
        files.push(("tree.json".into(), &self.tree_json));
        files
    }
}

/// Pretty JSON with a final newline, as templates and the manifest are written.
pub fn to_json(v: &serde_json::Value) -> String {
    // Writing a JSON value cannot fail.
    to_pretty(v, 0).unwrap_or_default()
}

/// The name of a stack's template file.
fn template_file(stack: &str) -> String {
    format!("{stack}.template.json")
}

impl App {
    /// An app writing to `$CDK_OUTDIR`, or `cdk.out` when that is not set.
    pub fn new() -> Self {
        let outdir = std::env::var_os("CDK_OUTDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("cdk.out"));
        App {
            stacks: RefCell::new(Vec::new()),
            outdir,
        }
    }

    /// An app writing to `outdir`.
    pub fn with_outdir(outdir: impl Into<PathBuf>) -> Self {
        App {
            stacks: RefCell::new(Vec::new()),
            outdir: outdir.into(),
        }
    }

    /// The output directory.
    pub fn outdir(&self) -> &Path {
        &self.outdir
    }

    pub(crate) fn register_name(&self, name: &str) -> Result<StackId> {
        let stacks = self.stacks.borrow();
        if stacks.iter().any(|s| s.name() == name) {
            return Err(Error::DuplicateId {
                path: "App".into(),
                id: name.to_string(),
                existing: name.to_string(),
            });
        }
        Ok(StackId(stacks.len() as u32))
    }

    pub(crate) fn add_stack(&self, stack: Stack) {
        self.stacks.borrow_mut().push(stack);
    }

    /// Synthesizes and validates every stack in memory; nothing is written.
    pub fn synth_in_memory(&self) -> Result<Assembly> {
        let stacks = self.stacks.borrow();
        let mut rendered: Vec<RenderedStack> = Vec::with_capacity(stacks.len());
        let mut errors = Vec::new();
        for stack in stacks.iter() {
            match render_stack(&stack.inner()) {
                Ok(r) => rendered.push(r),
                Err(Error::Many(es)) => errors.extend(es),
                Err(e) => errors.push(e),
            }
        }
        for stack in stacks.iter() {
            for dep in &stack.inner().dependencies {
                if !stacks.iter().any(|s| s.name() == *dep) {
                    errors.push(Error::validation(stack.name(), format!("depends on stack '{dep}', which is not in this app")));
                }
            }
        }
        Error::check_all(errors)?;
        let mut artifacts = serde_json::Map::new();
        let mut out = Vec::with_capacity(rendered.len());
        for (stack, r) in stacks.iter().zip(rendered) {
            let inner = stack.inner();
            let file = template_file(&inner.name);
            let env = format!(
                "aws://{}/{}",
                inner.env.account.as_deref().unwrap_or("unknown-account"),
                inner.env.region.as_deref().unwrap_or("unknown-region")
            );
            let mut artifact = json!({
                "type": "aws:cloudformation:stack",
                "environment": env,
                "properties": {
                    "templateFile": file,
                    "terminationProtection": inner.termination_protection,
                },
                "displayName": inner.name,
            });
            if !inner.dependencies.is_empty() {
                artifact["dependencies"] = json!(inner.dependencies);
            }
            artifacts.insert(inner.name.clone(), artifact);
            out.push(StackArtifact {
                name: inner.name.clone(),
                template_json: r.template_json,
                resource_count: r.resource_count,
                capabilities: r.capabilities,
                template_path: self.outdir.join(file),
            });
        }
        artifacts.insert(
            "Tree".into(),
            json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}),
        );
        let mut manifest = serde_json::Map::new();
        manifest.insert("version".into(), json!(CLOUD_ASSEMBLY_VERSION));
        manifest.insert("artifacts".into(), serde_json::Value::Object(artifacts));
        // Marks the assembly as ours: synth replaces only a directory that holds one.
        manifest.insert(
            "runtime".into(),
            json!({"libraries": {crate::outdir::MARKER_LIBRARY: env!("CARGO_PKG_VERSION")}}),
        );
        let inners: Vec<_> = stacks.iter().map(|s| s.inner()).collect();
        let refs: Vec<&StackInner> = inners.iter().map(|r| &**r).collect();
        Ok(Assembly {
            outdir: self.outdir.clone(),
            stacks: out,
            manifest_json: to_json(&serde_json::Value::Object(manifest)),
            // Compact tree.json measures about 180 bytes per node.
            tree_json: to_compact(&AppTree(&refs), 200 * refs.iter().map(|s| s.nodes.len()).sum::<usize>())?,
        })
    }

    /// Synthesizes, validates and writes the cloud assembly to the output directory. The
    /// directory is replaced whole only after everything succeeded; on any error the previous
    /// output is left untouched. Only a missing or empty directory, or an assembly this library
    /// wrote, is replaced: any other directory, or a file, is an error and is not touched.
    pub fn synth(&self) -> Result<Assembly> {
        crate::outdir::check_replaceable(&self.outdir)?;
        let assembly = self.synth_in_memory()?;
        crate::outdir::write_atomically(&self.outdir, &assembly.files())?;
        Ok(assembly)
    }
}

impl Drop for App {
    /// Constructs hold handles to their stack inside the stack itself (a renderer closure over
    /// its model, a model holding scopes), so the stack would never be freed. Dropping the app
    /// takes out what such handles live in (renderers, meanings, validations); the nodes and
    /// their elements stay, so a handle that outlives the app still works on its node.
    fn drop(&mut self) {
        for stack in self.stacks.get_mut().iter() {
            if let Ok(mut inner) = crate::tree::AsScope::scope(stack).stack.try_borrow_mut() {
                for node in &mut inner.nodes {
                    if let Some(crate::element::Element::Resource(r)) = node.element.as_deref_mut() {
                        r.props = Box::new(|| crate::Value::Null);
                    }
                    node.meaning = None;
                    node.validations.clear();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AsScope, Resource, Value};
    use std::rc::Rc;

    #[test]
    fn dropping_the_app_frees_stacks_whose_constructs_hold_their_own_scope() {
        let app = App::new();
        let stack = Stack::new(&app, "S").unwrap();
        let held = stack.scope();
        let topic = Resource::new_dynamic(&stack, "Topic", "AWS::SNS::Topic", None, Box::new(move || {
            let _ = &held;
            Value::Null
        }))
        .unwrap();
        let survivor = stack.scope().child("Kept", "test").unwrap();
        let weak = Rc::downgrade(&stack.scope().stack);
        drop(stack);
        drop(app);
        // Only the two handles kept here still hold the stack, and they still work.
        assert_eq!(Rc::weak_count(&survivor.stack), 1);
        assert_eq!(Rc::strong_count(&survivor.stack), 2);
        assert_eq!(survivor.path(), "S/Kept");
        topic.add_metadata("after", "the app is gone");
        assert_eq!(topic.type_name(), "AWS::SNS::Topic");
        drop((survivor, topic));
        assert!(weak.upgrade().is_none(), "the stack was leaked");
    }
}
