//! Helpers shared by the CLI test files.
#![allow(dead_code)] // each test file uses some of them

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, with its index cache inside the build folder, never in the user's home.
pub fn ocrqa_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ocrqa"));
    command.env("OCRQA_CACHE_DIR", cache_dir());
    command
}

pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("index-cache")
}

pub fn ocrqa(args: &[&str]) -> Output {
    ocrqa_command().args(args).output().expect("run ocrqa")
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every file below `dir`, by relative path, with its bytes.
pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// `ocrqa fix INPUT --out OUT EXTRA...`.
pub fn fix(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut command = ocrqa_command();
    command
        .arg("fix")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra);
    command.output().expect("run ocrqa")
}
