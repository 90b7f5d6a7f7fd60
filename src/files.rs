//! Files in and out: reading a document's text safely (refusing what is not a text to
//! correct), and writing every output atomically (temp file + rename in the same folder, so a
//! reader or an interrupted batch never sees half a file).

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use thiserror::Error;

/// Default largest input accepted, in bytes: a 1,000-page book is 2–3 MB of text, and memory
/// grows to about 200× a document while it is analysed (its findings and their alternatives).
pub const DEFAULT_MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Why a file is not a text to correct.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Unreadable(io::Error),
    #[error("empty file")]
    Empty,
    #[error("too large: {bytes} bytes (limit {max}; see --max-bytes)")]
    TooLarge { bytes: u64, max: u64 },
    #[error("binary file (NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: usize },
    #[error("no text: only white space")]
    NoText,
}

/// Reads a document, refusing what is not a text to correct.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, ReadError> {
    let meta = fs::metadata(path).map_err(ReadError::Unreadable)?;
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge {
            bytes: meta.len(),
            max: max_bytes,
        });
    }
    decode(fs::read(path).map_err(ReadError::Unreadable)?)
}

/// The text of a document's bytes: refused when empty, binary (a NUL byte), not UTF-8, or
/// white space only.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ReadError::Binary { offset });
    }
    let text = String::from_utf8(bytes).map_err(|e| ReadError::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })?;
    // A blank page's OCR: no grade or accent rate would mean anything.
    if text.chars().all(|c| c.is_whitespace() || c == '\u{feff}') {
        return Err(ReadError::NoText);
    }
    Ok(text)
}

/// Writes `bytes` to `path` atomically and durably (synced to disk before it is renamed into
/// place), creating parent folders. The temporary file is
/// `.NAME.tmp` beside it: one a killed run left behind is overwritten, then renamed away, by
/// the next write of the same file, so a resumed batch ends with no leftovers. For the outputs
/// of one document, which one process writes at a time.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, "tmp", true)
}

/// As [`write_atomic`], without waiting for the disk: the file replaces the old one whole
/// or not at all should the process die, but a crash of the machine may leave it empty or
/// short. For outputs whose readers check them (`ocrqa fix` verifies a document's outputs
/// against the fingerprints in its review file before it skips the document).
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, "tmp", false)
}

/// As [`write_atomic`], for a file that several processes may write at once (the index
/// cache, built by every shard of a first run): the temporary file carries the process id.
pub fn write_atomic_shared(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, bytes, &format!("{}.tmp", std::process::id()), true)
}

fn write_via(path: &Path, bytes: &[u8], suffix: &str, sync: bool) -> io::Result<()> {
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
        if sync {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Name of the lock file in a folder whose review state is written (`FolderLocks`).
pub const LOCK_FILE: &str = ".ocrqa.lock";

/// Advisory locks on folders, held until dropped: every writer of review state (review files,
/// the decisions memory) reads, changes and writes it under the locks of the folders it
/// writes in, so two writers never interleave. The operating system releases a lock when its
/// holder dies, so a killed writer never leaves a folder locked.
#[derive(Debug)]
pub struct FolderLocks {
    _held: Vec<fs::File>,
}

impl FolderLocks {
    /// Waits for and takes the locks of `folders`, in a fixed order (sorted paths), so that
    /// writers needing several never wait on each other in a circle.
    pub fn acquire<'p>(folders: impl IntoIterator<Item = &'p Path>) -> io::Result<FolderLocks> {
        let mut folders: Vec<&Path> = folders.into_iter().collect();
        folders.sort();
        folders.dedup();
        let mut held = Vec::with_capacity(folders.len());
        for folder in folders {
            let folder = if folder.as_os_str().is_empty() {
                Path::new(".")
            } else {
                folder
            };
            fs::create_dir_all(folder)?;
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(folder.join(LOCK_FILE))?;
            file.lock()?;
            held.push(file);
        }
        Ok(FolderLocks { _held: held })
    }
}
