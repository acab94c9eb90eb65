//! File assets: local code (a directory or a zip) that a resource's template points at in S3.
//!
//! A construct asks its stack for an asset ([`Scope::add_file_asset`]); the asset is
//! fingerprinted then, as aws-cdk-lib 2.276 fingerprints one (`AssetHashType.SOURCE`: SHA-256
//! over each file's relative path and content, text line endings normalized, symbolic links
//! inside the directory hashed as links), so unchanged code keeps its hash and its S3 key.
//! Writing the assembly copies each asset once to `asset.<hash>` (a directory) or
//! `asset.<hash>.zip` and writes `<Stack>.assets.json` in the cloud-assembly schema, which the
//! CDK CLI publishes with the credentials it runs with: no bootstrap role is assumed.
//!
//! Everything is read within bounds: at most [`MAX_UNZIPPED_BYTES`] (Lambda's unzipped limit),
//! only regular files, directories and symbolic links (a special file inside a directory is
//! skipped, as CDK skips it; one named as the asset, or reached through a link, is an error),
//! and a link loop is walked once.

use ironcdk_template::hash::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::tree::Scope;
use crate::value::Val;

/// The largest asset, unzipped: Lambda's limit for a function's code and layers together
/// (262,144,000 bytes).
pub const MAX_UNZIPPED_BYTES: u64 = 262_144_000;

/// The bucket CDK's bootstrap creates, which `cdk deploy` publishes to unless a stack names
/// another ([`crate::StackProps::file_assets_bucket_name`]).
pub const DEFAULT_FILE_ASSETS_BUCKET: &str = "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}";

/// Files CDK leaves out of every asset.
const EXCLUDED: &str = ".is_custom_resource";

/// How an asset is packaged for upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packaging {
    /// A directory, zipped when published.
    ZipDirectory,
    /// A file uploaded as it is (a `.zip` or `.jar`).
    File,
}

/// An asset of a stack: what it is, where it comes from and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileAsset {
    /// CDK's source hash (64 hex digits).
    pub hash: String,
    /// The absolute, resolved source path.
    pub source: PathBuf,
    /// Directory or file.
    pub packaging: Packaging,
    /// The name of its copy in the assembly (`asset.<hash>` or `asset.<hash>.zip`).
    pub staged_name: String,
    /// The key it is uploaded under (`<hash>.zip`).
    pub object_key: String,
    /// The construct path that asked for it, below the stack (`Handler/Code`).
    pub display_name: String,
    /// Names of the files and directories at its root (of the zip's entries, for a zip).
    pub root_entries: Vec<String>,
    /// Its size unzipped, when known (a zip64 archive's is not read).
    pub unzipped_bytes: Option<u64>,
}

/// Where a resource finds an asset once it is published.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AssetLocation {
    /// The bucket (a `Fn::Sub` of the stack's asset bucket name).
    pub bucket_name: Val<String>,
    /// The object key.
    pub object_key: String,
    /// The asset itself.
    pub asset: FileAsset,
}

impl Scope {
    /// Adds the directory or archive at `path` to this construct's stack as a file asset
    /// named `<this path>/<id>` and tells where it will be in S3. Adding the same content
    /// twice gives one asset. A missing path, an empty directory, a file that is not a `.zip`
    /// or `.jar` archive, or content over Lambda's 250 MB unzipped is an error naming this
    /// construct.
    pub fn add_file_asset(&self, id: &str, path: impl AsRef<Path>) -> Result<AssetLocation> {
        let path = path.as_ref();
        let stack_path_len = self.stack_name().len();
        let full = format!("{}/{id}", self.path());
        let display_name = full.get(stack_path_len.saturating_add(1)..).unwrap_or(&full).to_string();
        let asset = fingerprint_asset(path, display_name).map_err(|why| self.error(why))?;
        let cell = self.live()?;
        let bucket = cell.borrow().file_assets_bucket.clone().unwrap_or_else(|| DEFAULT_FILE_ASSETS_BUCKET.to_string());
        let bucket_name = if bucket.contains("${") { crate::value::fns::sub(&bucket) } else { Val::from(bucket.as_str()) };
        let mut inner = cell.borrow_mut();
        inner.revision = inner.revision.wrapping_add(1);
        if !inner.assets.iter().any(|a| a.hash == asset.hash) {
            inner.assets.push(asset.clone());
        }
        Ok(AssetLocation { bucket_name, object_key: asset.object_key.clone(), asset })
    }
}

/// Fingerprints `path` and describes it as an asset, or says in a sentence what is wrong.
fn fingerprint_asset(path: &Path, display_name: String) -> std::result::Result<FileAsset, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("the asset path {shown} does not exist; build the code first or fix the path (relative paths start at the directory the program runs in)"),
        _ => format!("cannot read the asset path {shown}: {e}"),
    })?;
    let root = std::fs::canonicalize(path).map_err(|e| format!("cannot resolve the asset path {shown}: {e}"))?;
    let mut walk = Walk::new(&root);
    walk.field("options.extra", b"");
    walk.field("options.follow", b"external");
    let (packaging, root_entries, unzipped) = if meta.is_dir() {
        walk.directory(&root, &root, &root)?;
        if walk.files == 0 {
            return Err(format!("the asset directory {shown} holds no file; build the code into it first"));
        }
        (Packaging::ZipDirectory, walk.root_entries.clone(), Some(walk.bytes))
    } else if meta.is_file() {
        let ext = archive_extension(&root);
        if ext.is_none() {
            return Err(format!("the asset {shown} is neither a directory nor a .zip or .jar archive; Lambda takes a directory or a zip"));
        }
        let zip = inspect_zip(&root).map_err(|why| format!("the asset {shown} {why}"))?;
        let content = walk.content(&root, &root)?;
        walk.field("file:", content.as_bytes());
        (Packaging::File, zip.names, zip.unzipped_bytes)
    } else {
        return Err(format!("the asset path {shown} is neither a directory nor a regular file"));
    };
    if let Some(n) = unzipped {
        if n > MAX_UNZIPPED_BYTES {
            return Err(format!("the asset {shown} is {n} bytes unzipped, over Lambda's 262,144,000 (250 MB); make the code smaller or use a container image"));
        }
    }
    let hash = hex(&walk.hash.finalize());
    let (staged_name, object_key) = match packaging {
        Packaging::ZipDirectory => (format!("asset.{hash}"), format!("{hash}.zip")),
        Packaging::File => {
            let ext = archive_extension(&root).unwrap_or(".zip");
            (format!("asset.{hash}{ext}"), format!("{hash}{ext}"))
        }
    };
    Ok(FileAsset { hash, source: root, packaging, staged_name, object_key, display_name, root_entries, unzipped_bytes: unzipped })
}

fn archive_extension(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    [".zip", ".jar"].into_iter().find(|e| name.ends_with(e))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        s.push(char::from(DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
        s.push(char::from(DIGITS.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
    }
    s
}

/// The relative path of `path` under `root`, `/`-separated (Node's `path.relative`, for a
/// path below the root).
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// `path.resolve` without touching the disk: `..` and `.` folded.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A link target as CDK compares it: its directory resolved, its own name kept.
fn canonical_link_target(target: &Path) -> PathBuf {
    let dir = target.parent().map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf()));
    match (dir, target.file_name()) {
        (Some(d), Some(n)) => d.join(n),
        _ => target.to_path_buf(),
    }
}

/// Reading an asset tree: CDK's fingerprint and the bounds on it.
struct Walk<'a> {
    root: &'a Path,
    hash: Sha256,
    ancestors: HashSet<PathBuf>,
    bytes: u64,
    files: u64,
    root_entries: Vec<String>,
}

impl<'a> Walk<'a> {
    fn new(root: &'a Path) -> Self {
        Walk { root, hash: Sha256::new(), ancestors: HashSet::default(), bytes: 0, files: 0, root_entries: Vec::new() }
    }

    fn field(&mut self, header: &str, value: &[u8]) {
        self.hash.update([1u8]);
        self.hash.update(header.as_bytes());
        self.hash.update([2u8]);
        self.hash.update(value);
        self.hash.update([3u8]);
    }

    fn directory(&mut self, symbolic: &Path, real: &Path, canonical: &Path) -> std::result::Result<(), String> {
        if !self.ancestors.insert(canonical.to_path_buf()) {
            return Ok(());
        }
        let read = std::fs::read_dir(real).map_err(|e| format!("cannot read the asset directory {}: {e}", real.display()))?;
        let mut entries: Vec<(String, std::fs::FileType)> = Vec::new();
        for e in read {
            let e = e.map_err(|e| format!("cannot read the asset directory {}: {e}", real.display()))?;
            let ty = e.file_type().map_err(|e| format!("cannot read the asset directory {}: {e}", real.display()))?;
            entries.push((e.file_name().to_string_lossy().into_owned(), ty));
        }
        // JavaScript's string order: UTF-16 code units.
        entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        for (name, ty) in entries {
            if name == EXCLUDED {
                continue;
            }
            let child = symbolic.join(&name);
            let child_real = real.join(&name);
            if symbolic == self.root {
                self.root_entries.push(name.clone());
            }
            if ty.is_symlink() {
                self.symlink(&child, &child_real)?;
            } else if ty.is_dir() {
                self.directory(&child, &child_real, &canonical.join(&name))?;
            } else if ty.is_file() {
                let content = self.content(&child, &child_real)?;
                self.field(&format!("file:{}", relative(self.root, &child)), content.as_bytes());
            }
        }
        self.ancestors.remove(canonical);
        Ok(())
    }

    fn symlink(&mut self, symbolic: &Path, real: &Path) -> std::result::Result<(), String> {
        let target = std::fs::read_link(real).map_err(|e| format!("cannot read the link {}: {e}", real.display()))?;
        let resolved = if target.is_absolute() { normalize(&target) } else { normalize(&real.parent().unwrap_or(Path::new("/")).join(&target)) };
        let resolved = canonical_link_target(&resolved);
        let internal = resolved == self.root || resolved.starts_with(self.root);
        // CDK's default (SymlinkFollowMode.EXTERNAL): links out of the asset are followed,
        // links inside it are kept as links.
        let stat = if internal { None } else { std::fs::metadata(&resolved).ok() };
        match stat {
            None => {
                let shown = if internal && target.is_absolute() { relative(self.root, &resolved) } else { target.to_string_lossy().into_owned() };
                self.field(&format!("link:{}", relative(self.root, symbolic)), shown.as_bytes());
            }
            Some(m) if m.is_dir() => {
                let canonical = std::fs::canonicalize(&resolved).unwrap_or_else(|_| resolved.clone());
                self.directory(symbolic, &resolved, &canonical)?;
            }
            Some(m) if m.is_file() => {
                let content = self.content(symbolic, &resolved)?;
                self.field(&format!("file:{}", relative(self.root, symbolic)), content.as_bytes());
            }
            Some(_) => return Err(format!("the asset's link {} points at {}, which is neither a file nor a directory", symbolic.display(), resolved.display())),
        }
        Ok(())
    }

    /// CDK's content fingerprint, `<size>:<sha256>`: binary files (a NUL in the first
    /// 8 KiB read) as they are, text with CRLF turned into LF, read in 8 KiB chunks as CDK
    /// reads them (a chunk ending in CR waits for the next).
    fn content(&mut self, symbolic: &Path, real: &Path) -> std::result::Result<String, String> {
        const CHUNK: usize = 8 * 1024;
        let shown = symbolic.display();
        let mut file = std::fs::File::open(real).map_err(|e| format!("cannot read {shown}: {e}"))?;
        let mut hash = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        let mut size: u64 = 0;
        let mut binary = false;
        let mut pending = String::new();
        loop {
            let read = file.read(&mut buf).map_err(|e| format!("cannot read {shown}: {e}"))?;
            if read == 0 {
                break;
            }
            self.bytes = self.bytes.saturating_add(read as u64);
            if self.bytes > MAX_UNZIPPED_BYTES {
                return Err(format!("the asset is over Lambda's 262,144,000 bytes (250 MB) unzipped (reading {shown}); make the code smaller or use a container image"));
            }
            let chunk = buf.get(..read).unwrap_or_default();
            if size == 0 {
                binary = chunk.contains(&0);
            }
            if binary {
                size = size.saturating_add(read as u64);
                hash.update(chunk);
                continue;
            }
            let text = String::from_utf8_lossy(chunk);
            if text.ends_with('\r') {
                pending.push_str(&text);
                continue;
            }
            let mut data = std::mem::take(&mut pending);
            data.push_str(&text);
            let normalized = data.replace("\r\n", "\n");
            size = size.saturating_add(normalized.len() as u64);
            hash.update(normalized.as_bytes());
        }
        if !pending.is_empty() {
            hash.update(pending.as_bytes());
        }
        self.files = self.files.saturating_add(1);
        Ok(format!("{size}:{}", hex(&hash.finalize())))
    }
}

/// What a zip's central directory says.
struct ZipSummary {
    names: Vec<String>,
    unzipped_bytes: Option<u64>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// Reads a zip's end record and central directory: the names at its root and the sum of the
/// entries' sizes. An error says what is wrong ("is not a zip archive", "is an empty zip").
fn inspect_zip(path: &Path) -> std::result::Result<ZipSummary, String> {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let len = f.metadata().map_err(|e| format!("cannot be read: {e}"))?.len();
    let mut magic = [0u8; 4];
    if len < 22 || f.read_exact(&mut magic).is_err() || (magic != *b"PK\x03\x04" && magic != *b"PK\x05\x06") {
        return Err("is not a zip archive; give a directory, or the zip `cargo lambda build --output-format zip` writes".into());
    }
    // The end record is in the last 22 + 65,535 bytes.
    let tail_len = len.min(22 + 65_535);
    let tail_start = len.saturating_sub(tail_len);
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(0)];
    f.seek(SeekFrom::Start(tail_start)).and_then(|_| f.read_exact(&mut tail)).map_err(|e| format!("cannot be read: {e}"))?;
    let end = (0..tail.len().saturating_sub(21)).rev().find(|&i| tail.get(i..i.saturating_add(4)) == Some(b"PK\x05\x06"));
    let Some(end) = end else { return Err("is not a zip archive (no end of central directory); rebuild it".into()) };
    let bad = || "is a damaged zip archive (its central directory is out of bounds); rebuild it".to_string();
    let entries = u16_at(&tail, end.saturating_add(10)).ok_or_else(bad)?;
    let cd_size = u32_at(&tail, end.saturating_add(12)).ok_or_else(bad)?;
    let cd_offset = u32_at(&tail, end.saturating_add(16)).ok_or_else(bad)?;
    if entries == 0 {
        return Err("is an empty zip archive; Lambda needs the code in it".into());
    }
    if entries == u16::MAX || cd_size == u32::MAX || cd_offset == u32::MAX {
        // A zip64 archive: its sizes are elsewhere; the size limit is not verified.
        return Ok(ZipSummary { names: Vec::new(), unzipped_bytes: None });
    }
    if u64::from(cd_offset).saturating_add(u64::from(cd_size)) > len {
        return Err(bad());
    }
    let mut cd = vec![0u8; usize::try_from(cd_size).unwrap_or(0)];
    f.seek(SeekFrom::Start(u64::from(cd_offset))).and_then(|_| f.read_exact(&mut cd)).map_err(|_| bad())?;
    let mut at = 0usize;
    let mut total: u64 = 0;
    let mut names: Vec<String> = Vec::new();
    for _ in 0..entries {
        if u32_at(&cd, at) != Some(0x0201_4b50) {
            return Err(bad());
        }
        let size = u32_at(&cd, at.saturating_add(24)).ok_or_else(bad)?;
        let n = usize::from(u16_at(&cd, at.saturating_add(28)).ok_or_else(bad)?);
        let m = usize::from(u16_at(&cd, at.saturating_add(30)).ok_or_else(bad)?);
        let k = usize::from(u16_at(&cd, at.saturating_add(32)).ok_or_else(bad)?);
        let name_at = at.saturating_add(46);
        let name = cd.get(name_at..name_at.saturating_add(n)).ok_or_else(bad)?;
        if size == u32::MAX {
            return Ok(ZipSummary { names: Vec::new(), unzipped_bytes: None });
        }
        total = total.saturating_add(u64::from(size));
        let name = String::from_utf8_lossy(name);
        let first = name.trim_start_matches("./").split('/').next().unwrap_or_default().to_string();
        if !first.is_empty() && !names.contains(&first) {
            names.push(first);
        }
        at = name_at.saturating_add(n).saturating_add(m).saturating_add(k);
    }
    Ok(ZipSummary { names, unzipped_bytes: Some(total) })
}

/// Copies an asset into `dest` (which must not exist): a file as it is, a directory as CDK
/// stages it (links inside kept as links, links out of it followed), within the same bounds.
pub(crate) fn stage(asset: &FileAsset, dest: &Path) -> std::io::Result<()> {
    match asset.packaging {
        Packaging::File => std::fs::copy(&asset.source, dest).map(|_| ()),
        Packaging::ZipDirectory => {
            let mut budget = MAX_UNZIPPED_BYTES;
            let mut seen = HashSet::default();
            copy_dir(&asset.source, &asset.source, dest, &mut budget, &mut seen)
        }
    }
}

fn copy_dir(root: &Path, src: &Path, dest: &Path, budget: &mut u64, seen: &mut HashSet<PathBuf>) -> std::io::Result<()> {
    let canonical = std::fs::canonicalize(src)?;
    if !seen.insert(canonical.clone()) {
        return Ok(());
    }
    std::fs::create_dir(dest)?;
    for e in std::fs::read_dir(src)? {
        let e = e?;
        let name = e.file_name();
        if name == EXCLUDED {
            continue;
        }
        let (from, to) = (e.path(), dest.join(&name));
        let ty = e.file_type()?;
        if ty.is_symlink() {
            let target = std::fs::read_link(&from)?;
            let resolved = if target.is_absolute() { normalize(&target) } else { normalize(&src.join(&target)) };
            let resolved = canonical_link_target(&resolved);
            if resolved == root || resolved.starts_with(root) {
                #[cfg(unix)]
                std::os::unix::fs::symlink(&target, &to)?;
                continue;
            }
            match std::fs::metadata(&resolved) {
                Ok(m) if m.is_dir() => copy_dir(root, &resolved, &to, budget, seen)?,
                Ok(m) if m.is_file() => copy_file(&resolved, &to, budget)?,
                Ok(_) => return Err(std::io::Error::other(format!("{} is neither a file nor a directory", resolved.display()))),
                Err(_) => {
                    #[cfg(unix)]
                    std::os::unix::fs::symlink(&target, &to)?;
                }
            }
        } else if ty.is_dir() {
            copy_dir(root, &from, &to, budget, seen)?;
        } else if ty.is_file() {
            copy_file(&from, &to, budget)?;
        }
    }
    seen.remove(&canonical);
    Ok(())
}

fn copy_file(from: &Path, to: &Path, budget: &mut u64) -> std::io::Result<()> {
    let src = std::fs::File::open(from)?;
    let mut out = std::fs::File::create(to)?;
    // One byte over the budget tells that the file grew past it since it was fingerprinted.
    let copied = std::io::copy(&mut src.take(budget.saturating_add(1)), &mut out)?;
    if copied > *budget {
        return Err(std::io::Error::other(format!("{} grew past Lambda's 250 MB since synth read it", from.display())));
    }
    *budget = budget.saturating_sub(copied);
    if let Ok(m) = std::fs::metadata(from) {
        let _ = std::fs::set_permissions(to, m.permissions());
    }
    Ok(())
}

/// `<Stack>.assets.json`: each asset's source in the assembly and its destination, in the
/// cloud-assembly schema's asset manifest, with no role to assume (the CLI's own credentials
/// publish it).
pub(crate) fn asset_manifest(assets: &[FileAsset], bucket: &str, version: &str) -> serde_json::Value {
    let mut files = serde_json::Map::new();
    for a in assets {
        let packaging = match a.packaging {
            Packaging::ZipDirectory => "zip",
            Packaging::File => "file",
        };
        files.insert(
            a.hash.clone(),
            serde_json::json!({
                "displayName": a.display_name,
                "source": {"path": a.staged_name, "packaging": packaging},
                "destinations": {"current_account-current_region": {"bucketName": bucket, "objectKey": a.object_key}},
            }),
        );
    }
    serde_json::json!({"version": version, "files": files, "dockerImages": {}})
}

/// The template the AWS CLI packages: each asset-backed `Code` of a Lambda function replaced
/// by the asset's path in the assembly, which `aws cloudformation package` zips, uploads and
/// writes back as `S3Bucket`/`S3Key`.
pub(crate) fn package_template(template: &str, assets: &[FileAsset]) -> Option<String> {
    // Most stacks have no asset: a scan of the text spares them parsing it back.
    if !assets.iter().any(|a| template.contains(a.object_key.as_str())) {
        return None;
    }
    let mut t: serde_json::Value = serde_json::from_str(template).ok()?;
    let resources = t.get_mut("Resources")?.as_object_mut()?;
    let mut changed = false;
    for r in resources.values_mut() {
        let Some(code) = r.pointer_mut("/Properties/Code") else { continue };
        let key = code.get("S3Key").and_then(serde_json::Value::as_str);
        if let Some(a) = key.and_then(|k| assets.iter().find(|a| a.object_key == k)) {
            *code = serde_json::Value::String(a.staged_name.clone());
            changed = true;
        }
    }
    changed.then(|| crate::app::to_json(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ironcdk-asset-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// The tree below, fingerprinted by aws-cdk-lib 2.276's `FileSystem.fingerprint` (with the
    /// `.is_custom_resource` exclusion its asset staging adds), gave the hash asserted here:
    /// CRLF text, a CR at the end of the first 8 KiB chunk, a trailing CR, multi-byte text
    /// across chunks, a binary file, an empty file, upper case sorting before lower case, an
    /// internal link kept as a link and an external one followed.
    #[test]
    fn directory_hash_is_cdks() {
        let base = temp("cdk-hash");
        let d = base.join("d");
        for sub in ["sub", "Zed"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        std::fs::write(d.join("index.py"), b"hello\r\nworld\n").unwrap();
        std::fs::write(d.join("b.bin"), b"bin\0ary").unwrap();
        std::fs::write(d.join("sub/z.txt"), b"x\n").unwrap();
        let mut edge = vec![b'a'; 8191];
        edge.extend_from_slice(b"\r\ntail\r\n");
        std::fs::write(d.join("edge.txt"), edge).unwrap();
        std::fs::write(d.join("endcr.txt"), b"abc\r").unwrap();
        std::fs::write(d.join("utf.txt"), "é".repeat(5000)).unwrap();
        std::fs::write(d.join("Zed/empty"), b"").unwrap();
        std::fs::write(d.join(".is_custom_resource"), b"x").unwrap();
        std::fs::write(base.join("outside.txt"), b"outside\n").unwrap();
        std::os::unix::fs::symlink("sub/z.txt", d.join("link")).unwrap();
        std::os::unix::fs::symlink(base.join("outside.txt"), d.join("ext")).unwrap();
        let a = fingerprint_asset(&d, "F/Code".into()).unwrap();
        assert_eq!(a.hash, "c891f9cb50831f007188d8ddf557bec4074f85e0aef2fa7a963b12fb04ffeabf");
        assert_eq!(a.packaging, Packaging::ZipDirectory);
        assert_eq!(a.staged_name, format!("asset.{}", a.hash));
        assert_eq!(a.object_key, format!("{}.zip", a.hash));
        assert_eq!(a.root_entries, ["Zed", "b.bin", "edge.txt", "endcr.txt", "ext", "index.py", "link", "sub", "utf.txt"]);

        // The copy has the same content: fingerprinting it gives the same hash.
        let staged = base.join("staged");
        stage(&a, &staged).unwrap();
        assert_eq!(std::fs::read_link(staged.join("link")).unwrap(), Path::new("sub/z.txt"));
        assert!(!std::fs::symlink_metadata(staged.join("ext")).unwrap().file_type().is_symlink(), "the external link is followed");
        assert!(!staged.join(".is_custom_resource").exists());
        assert_eq!(fingerprint_asset(&staged, "F/Code".into()).unwrap().hash, a.hash);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
