//! Writing results: unified diffs (similar) and atomic file writes (temp file + rename in the
//! same folder, so a reader or an interrupted batch never sees half a file).

use similar::TextDiff;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Lines of context around each diff hunk.
pub const DIFF_CONTEXT: usize = 2;

/// Unified diff from `original` to `corrected`, empty when they are equal.
pub fn unified_diff(path: &str, original: &str, corrected: &str) -> String {
    if original == corrected {
        return String::new();
    }
    // Patience, not Myers: corrections leave most lines as they were, and Myers is quadratic
    // in the number of changed lines (minutes on a 16 MB document).
    TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(original, corrected)
        .unified_diff()
        .context_radius(DIFF_CONTEXT)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// A JSON output file's text: pretty-printed (people read them too), ending in a newline.
pub fn pretty_json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("outputs serialise");
    s.push('\n');
    s
}

/// Reads a versioned JSON file of one version, strictly (the types deny unknown fields).
pub fn read_versioned<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
    version: impl Fn(&T) -> u32,
    supported: u32,
) -> Result<T, String> {
    let value: T = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match version(&value) {
        v if v == supported => Ok(value),
        v => Err(format!(
            "{what} version {v} is not supported (this ocrqa reads {supported})"
        )),
    }
}

/// Writes `bytes` to `path` atomically, creating parent folders. The temporary file is
/// `.NAME.tmp` beside it: one a killed run left behind is overwritten, then renamed away, by
/// the next write of the same file, so a resumed batch ends with no leftovers. For the outputs
/// of one document, which one process writes at a time.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, "tmp")
}

/// As [`write_atomic`], for a file that several processes may write at once (the index
/// cache, built by every shard of a first run): the temporary file carries the process id.
pub fn write_atomic_shared(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, &format!("{}.tmp", std::process::id()))
}

fn write_via(path: &Path, bytes: &[u8], suffix: &str) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{suffix}"));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_changed_lines() {
        let d = unified_diff("x.txt", "la informacion\nfin\n", "la información\nfin\n");
        assert!(d.starts_with("--- a/x.txt\n+++ b/x.txt\n"));
        assert!(d.contains("-la informacion\n+la información\n"));
        assert_eq!(unified_diff("x.txt", "a\n", "a\n"), "");
    }
}
