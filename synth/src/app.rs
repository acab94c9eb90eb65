//! The app: a set of stacks, synthesized together into a cloud assembly directory.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::error::{Error, Result};
use crate::render::{render_stack, RenderedStack};
use crate::stack::Stack;
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
    /// The template.
    pub template: serde_json::Value,
    /// Number of resources in the template.
    pub resource_count: usize,
    /// The capabilities `aws cloudformation deploy` needs for this template.
    pub capabilities: Vec<&'static str>,
    /// Where the template was written (relative to nothing when synthesized in memory).
    pub template_path: PathBuf,
}

/// The synthesized app: templates, manifest and tree.
#[derive(Debug, Clone)]
pub struct Assembly {
    /// Output directory.
    pub outdir: PathBuf,
    /// Stacks in creation order.
    pub stacks: Vec<StackArtifact>,
    /// Contents of `manifest.json`.
    pub manifest: serde_json::Value,
    /// Contents of `tree.json`.
    pub tree: serde_json::Value,
}

impl Assembly {
    /// The stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// Every file of the assembly with its bytes, in a fixed order.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = self
            .stacks
            .iter()
            .map(|s| (format!("{}.template.json", s.name), to_json(&s.template)))
            .collect();
        files.push(("manifest.json".into(), to_json(&self.manifest)));
        files.push(("tree.json".into(), to_json(&self.tree)));
        files
    }
}

/// Pretty JSON with a final newline: the byte format of every file written.
pub fn to_json(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
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
        let mut tree_children = serde_json::Map::new();
        let mut out = Vec::new();
        for (stack, r) in stacks.iter().zip(rendered) {
            let inner = stack.inner();
            let file = format!("{}.template.json", inner.name);
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
            tree_children.insert(inner.name.clone(), r.tree);
            out.push(StackArtifact {
                name: inner.name.clone(),
                template: r.template,
                resource_count: r.resource_count,
                capabilities: r.capabilities,
                template_path: self.outdir.join(file),
            });
        }
        artifacts.insert(
            "Tree".into(),
            json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}),
        );
        let manifest = json!({"version": CLOUD_ASSEMBLY_VERSION, "artifacts": artifacts});
        let tree = json!({
            "version": "tree-0.1",
            "tree": {"id": "App", "path": "", "children": tree_children,
                     "constructInfo": {"fqn": "ironcdk.App", "version": env!("CARGO_PKG_VERSION")}},
        });
        Ok(Assembly {
            outdir: self.outdir.clone(),
            stacks: out,
            manifest,
            tree,
        })
    }

    /// Synthesizes, validates and writes the cloud assembly to the output directory. The
    /// directory is replaced whole only after everything succeeded; on any error the previous
    /// output is left untouched.
    pub fn synth(&self) -> Result<Assembly> {
        let assembly = self.synth_in_memory()?;
        write_dir_atomically(&self.outdir, &assembly.files())?;
        Ok(assembly)
    }
}

fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// Writes `files` into a fresh sibling directory, then swaps it in place of `dir`.
fn write_dir_atomically(dir: &Path, files: &[(String, String)]) -> Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cdk.out".into());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent, "creating the output's parent directory"))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp, "removing a stale temporary directory"))?;
    }
    std::fs::create_dir_all(&tmp).map_err(io(&tmp, "creating the temporary output directory"))?;
    for (file, contents) in files {
        let path = tmp.join(file);
        std::fs::write(&path, contents).map_err(io(&path, "writing"))?;
    }
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, &old).map_err(io(dir, "moving the previous output aside"))?;
    }
    if let Err(e) = std::fs::rename(&tmp, dir) {
        if had_old {
            // Put the previous output back; the rename error is what we report.
            let _ = std::fs::rename(&old, dir);
        }
        return Err(io(dir, "moving the new output in place")(e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(io(&old, "removing the previous output"))?;
    }
    Ok(())
}
