//! The README's walk-through is the program's own output: `scripts/readme_walkthrough.sh`
//! runs it on the seed page and the fixtures, and this test fails when README.md differs.

#[cfg(unix)]
#[test]
fn the_readme_walkthrough_is_what_the_program_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = std::process::Command::new("bash")
        .arg(root.join("scripts/readme_walkthrough.sh"))
        .arg("--check")
        .env("OCRQA", env!("CARGO_BIN_EXE_ocrqa"))
        .output()
        .expect("run bash");
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
