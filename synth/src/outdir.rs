//! The output directory rule: synth replaces a directory only when it does not exist, is empty,
//! or is a cloud assembly this library wrote (its `manifest.json` names ironcdk in
//! `runtime.libraries`). Anything else is refused before anything is touched.
//!
//! Files are written into a fresh sibling directory whose name is unique to the synth, which is
//! then swapped in place (under the CDK CLI, which keeps a lock file inside the directory while
//! the app runs, files are instead replaced one by one, manifest last); the swap holds a process-wide lock, so two synths at once in one
//! process (parallel tests) each leave a whole assembly. A synth that fails or panics removes
//! its temporary directory; one that succeeds also removes what crashed processes left.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::asset::FileAsset;
use crate::error::{Error, Result};

/// The key under `runtime.libraries` in `manifest.json` that marks an assembly as ours.
pub(crate) const MARKER_LIBRARY: &str = "ironcdk";

static SEQUENCE: AtomicU64 = AtomicU64::new(0);
static SWAP: Mutex<()> = Mutex::new(());

fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io { path: path.to_path_buf(), action, source }
}

fn refuse(dir: &Path, why: &str) -> Error {
    Error::validation(
        "App",
        format!(
            "refusing to write the cloud assembly to {}: {why}; synth replaces only a missing or empty directory or an assembly ironcdk wrote. Choose another output directory (App::with_outdir or CDK_OUTDIR), or move that one away yourself",
            dir.display()
        ),
    )
}

/// True when `manifest` is the text of a manifest this library wrote.
pub(crate) fn is_our_manifest(manifest: &str) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(manifest) else { return false };
    v.get("version").is_some_and(serde_json::Value::is_string)
        && v.get("artifacts").is_some_and(serde_json::Value::is_object)
        && v.pointer("/runtime/libraries").and_then(|l| l.get(MARKER_LIBRARY)).is_some()
}

/// Whether synth may replace `dir`: `Ok(true)` when it exists and may be replaced, `Ok(false)`
/// when it does not exist, an error naming the directory otherwise. Waits for a swap that
/// another synth of this process is making.
pub(crate) fn check_replaceable(dir: &Path) -> Result<bool> {
    let _guard = SWAP.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    replaceable(dir)
}

fn replaceable(dir: &Path) -> Result<bool> {
    if dir.as_os_str().is_empty() {
        return Err(Error::validation(
            "App",
            "the output directory is empty (CDK_OUTDIR set to an empty string, or App::with_outdir(\"\")); unset CDK_OUTDIR to use cdk.out, or name a directory",
        ));
    }
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io(dir, "reading the output directory")(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(dir, "it is a symbolic link; point the output at the real directory"));
    }
    if !meta.is_dir() {
        return Err(refuse(dir, "it is a file, not a directory"));
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        // Moved away meanwhile (another synth of this process swapping it): as if missing.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io(dir, "reading the output directory")(e)),
    };
    let mut entries = entries.flatten().filter(|e| !is_cli_lock(&e.file_name().to_string_lossy()));
    if entries.next().is_none() {
        return Ok(true);
    }
    match std::fs::read_to_string(dir.join("manifest.json")) {
        Ok(text) if is_our_manifest(&text) => Ok(true),
        Ok(_) => Err(refuse(dir, "its manifest.json was not written by ironcdk")),
        Err(_) => Err(refuse(dir, "it holds files and no cloud assembly manifest")),
    }
}

/// The lock files the CDK CLI keeps in the output directory while it runs an app or reads
/// the assembly (`synth.lock`, `read.<pid>.<n>.lock`).
fn is_cli_lock(name: &str) -> bool {
    name == "synth.lock" || (name.starts_with("read.") && name.ends_with(".lock"))
}

/// True when the CDK CLI is running this synth and holds its writer lock on `dir`.
fn locked_by_cdk_cli(dir: &Path) -> bool {
    dir.join("synth.lock").is_file()
}

/// Writes the assembly into `dir` in place, for the CDK CLI: it holds a lock file inside the
/// directory while the app runs, so the directory itself must stay. Each file is written to a
/// temporary name and renamed over, `manifest.json` last; files of the previous assembly that
/// the new one does not have are removed after. The lock keeps readers away meanwhile.
fn write_in_place(dir: &Path, files: &[(String, &str)], assets: &[&FileAsset]) -> Result<()> {
    let previous: Vec<String> = std::fs::read_dir(dir)
        .map_err(io(dir, "reading the output directory"))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !is_cli_lock(n))
        .collect();
    let unique = format!("{}-{}", std::process::id(), SEQUENCE.fetch_add(1, Ordering::Relaxed));
    for a in assets {
        // Content-addressed: a copy already there is this asset.
        let path = dir.join(&a.staged_name);
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let tmp = dir.join(format!(".{}.tmp-{unique}", a.staged_name));
        if let Err(e) = crate::asset::stage(a, &tmp).map_err(io(&tmp, "copying an asset")).and_then(|()| std::fs::rename(&tmp, &path).map_err(io(&path, "moving a copied asset in place"))) {
            let _ = std::fs::remove_dir_all(&tmp);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    }
    let mut ordered: Vec<&(String, &str)> = files.iter().filter(|(n, _)| n != "manifest.json").collect();
    ordered.extend(files.iter().filter(|(n, _)| n == "manifest.json"));
    for (file, contents) in ordered {
        let tmp = dir.join(format!(".{file}.tmp-{unique}"));
        let path = dir.join(file);
        let written = std::fs::write(&tmp, contents).map_err(io(&tmp, "writing"));
        if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &path).map_err(io(&path, "moving a written file in place"))) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    }
    for stale in previous.iter().filter(|p| !files.iter().any(|(n, _)| n == *p) && !assets.iter().any(|a| a.staged_name == **p)) {
        let path = dir.join(stale);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(io(&path, "removing a file of the previous assembly"))?;
        } else {
            std::fs::remove_file(&path).map_err(io(&path, "removing a file of the previous assembly"))?;
        }
    }
    Ok(())
}

/// Removes a directory this synth created when dropped, unless disarmed.
struct TempDir(Option<PathBuf>);

impl Drop for TempDir {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

/// Whether process `pid` may still be running. Without `/proc` nothing can tell, so it may.
fn may_be_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Temporary siblings of `name` in `parent` that a process no longer running left behind.
fn remove_stray_siblings(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        // Compared as bytes: a directory such as /tmp may hold thousands of other entries.
        let file = e.file_name();
        let Some(rest) = prefixes.iter().find_map(|p| file.as_encoded_bytes().strip_prefix(p.as_bytes())) else { continue };
        let Some(pid) = std::str::from_utf8(rest).ok().and_then(|r| r.split('-').next()).and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !may_be_running(pid) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Writes `files` into a fresh sibling directory, then swaps it in place of `dir`.
pub(crate) fn write_atomically(dir: &Path, files: &[(String, &str)], assets: &[&FileAsset]) -> Result<()> {
    if check_replaceable(dir)? && locked_by_cdk_cli(dir) {
        let _guard = SWAP.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        return write_in_place(dir, files, assets);
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
        refuse(dir, "it has no final name component (such as '/' or '..')")
    })?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent, "creating the output's parent directory"))?;
    let unique = format!("{}-{}", std::process::id(), SEQUENCE.fetch_add(1, Ordering::Relaxed));
    let tmp_path = parent.join(format!(".{name}.tmp-{unique}"));
    let old = parent.join(format!(".{name}.old-{unique}"));
    std::fs::create_dir(&tmp_path).map_err(io(&tmp_path, "creating the temporary output directory"))?;
    let mut tmp = TempDir(Some(tmp_path.clone()));
    for (file, contents) in files {
        let path = tmp_path.join(file);
        std::fs::write(&path, contents).map_err(io(&path, "writing"))?;
    }
    for a in assets {
        let path = tmp_path.join(&a.staged_name);
        crate::asset::stage(a, &path).map_err(io(&path, "copying an asset"))?;
    }
    {
        // A poisoned lock only means another synth panicked; the swap below is still sound.
        let _guard = SWAP.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let had_old = replaceable(dir)?;
        if had_old {
            std::fs::rename(dir, &old).map_err(io(dir, "moving the previous output aside"))?;
        }
        if let Err(e) = std::fs::rename(&tmp_path, dir) {
            if had_old {
                // Put the previous output back; the rename error is what we report.
                let _ = std::fs::rename(&old, dir);
            }
            return Err(io(dir, "moving the new output in place")(e));
        }
        tmp.0 = None;
        if had_old {
            std::fs::remove_dir_all(&old).map_err(io(&old, "removing the previous output"))?;
        }
    }
    remove_stray_siblings(&parent, &name);
    Ok(())
}
