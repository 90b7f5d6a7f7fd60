//! The `ocrqa` binary, case by case: outputs, exit codes, bad input, determinism.

mod common;

use common::{fix, fixtures, ocrqa, read_tree};
use std::fs;
use std::path::{Path, PathBuf};

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// Writes `documents` tails of the seed page under `input` (the k-th without its first
/// `k · skip` lines), spread over `folders` sub-folders: a batch of different lengths.
fn seed_batch(input: &Path, documents: usize, skip: usize, folders: usize) {
    let seed = fs::read_to_string(seed_dir().join("000_5b033a22578a78a3.txt")).unwrap();
    for k in 0..documents {
        let sub = input.join(format!("box{}", k % folders));
        fs::create_dir_all(&sub).unwrap();
        let text: String = seed.lines().skip(k * skip).collect::<Vec<_>>().join("\n");
        fs::write(sub.join(format!("doc{k:02}.txt")), text).unwrap();
    }
}

#[test]
fn fix_writes_text_diff_review_and_report_and_leaves_input_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let before = read_tree(&seed_dir());
    let o = fix(&seed_dir(), &out, &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(read_tree(&seed_dir()), before, "input modified");
    let names: Vec<String> = read_tree(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        vec![
            ".ocrqa.lock",
            "000_5b033a22578a78a3.diff",
            "000_5b033a22578a78a3.review.json",
            "000_5b033a22578a78a3.txt",
            "ocrqa-report.html",
            "ocrqa-report.json",
            "ocrqa-report.md",
        ]
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.starts_with("1 documents (0 in error)"), "{stdout}");
    let text = fs::read_to_string(out.join("000_5b033a22578a78a3.txt")).unwrap();
    assert!(text.contains("entrañan las tecnologías"));
}

#[test]
fn bad_inputs_are_named_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    fs::create_dir_all(inp.join("sub")).unwrap();
    fs::write(inp.join("empty.txt"), "").unwrap();
    fs::write(inp.join("binary.txt"), b"abc\0def").unwrap();
    fs::write(inp.join("latin1.txt"), b"informaci\xf3n").unwrap();
    fs::write(inp.join("sub/good.txt"), "la informacion\r\n").unwrap();
    fs::write(inp.join("bom.txt"), "\u{feff}La informacion\n").unwrap();
    let out = tmp.path().join("out");
    let o = fix(&inp, &out, &["-q"]);
    assert_eq!(o.status.code(), Some(1), "documents in error → exit 1");
    let stderr = String::from_utf8_lossy(&o.stderr);
    for (file, reason) in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file"),
        ("latin1.txt", "invalid UTF-8 at byte 9"),
    ] {
        assert!(
            stderr.contains(file) && stderr.contains(reason),
            "{file}: {reason} not in {stderr}"
        );
    }
    assert_eq!(
        fs::read_to_string(out.join("sub/good.txt")).unwrap(),
        "la información\r\n",
        "CRLF kept"
    );
    assert_eq!(
        fs::read_to_string(out.join("bom.txt")).unwrap(),
        "\u{feff}La información\n",
        "BOM kept, first word still corrected"
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("ocrqa-report.json")).unwrap()).unwrap();
    assert_eq!(report["totals"]["errors"], 3);
    assert_eq!(report["totals"]["ok"], 2);
}

#[test]
fn nothing_to_do_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let o = fix(tmp.path(), &tmp.path().join("o"), &[]);
    assert_eq!(o.status.code(), Some(2));
    let o = ocrqa(&["fix", "/no/such/file.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let o = ocrqa(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Mistakes a newcomer makes get an error that names what is wrong, and exit 2.
#[test]
fn refusals_name_the_path_and_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap().to_string();
    fs::write(tmp.path().join("a.txt"), "la cooperacion").unwrap();
    let missing = format!("{dir}/no-such-folder");
    let set = fixtures().join("eval/set").display().to_string();
    let cases: [(&[&str], &str); 7] = [
        (
            &["fix", &dir, "--out", &dir],
            "the output folder is an input folder",
        ),
        (&["fix", &missing], "cannot read"),
        (&["eval", &set, &missing], "no-such-folder: not a folder"),
        (
            &["eval", &set, &dir],
            "none of the 3 corrected files is there",
        ),
        (
            &["review", &dir, "--accept", "ab12", "--reject", "ab12"],
            "both accepted and rejected",
        ),
        (
            &["candidates", "asi", "--drop-rate", "NaN"],
            "not a rate above 0",
        ),
        (&["apply", &missing], "no-such-folder: not a folder"),
    ];
    for (args, said) in cases {
        let o = ocrqa(args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(said),
            "{args:?} should say {said:?}: {stderr}"
        );
    }
}

/// A document of white space alone (a blank page's OCR) is refused, by name; the rest goes on.
#[test]
fn a_blank_document_is_an_error_not_a_grade_a() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("blank.txt"), " \n\t\r\n \n").unwrap();
    fs::write(input.join("a.txt"), "la cooperacion").unwrap();
    let o = fix(&input, &tmp.path().join("out"), &["-q"]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("blank.txt: no text: only white space"),
        "{stderr}"
    );
}

/// Printing commands end quietly when what reads them stops (`ocrqa tokens FILE | head`).
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(seed_dir().join("000_5b033a22578a78a3.txt")).unwrap();
    let file = tmp.path().join("long.txt");
    fs::write(&file, seed.repeat(20)).unwrap();
    let mut child = common::ocrqa_command()
        .arg("tokens")
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.signal(), Some(13), "ended by SIGPIPE: {o:?}");
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn output_folder_inside_input_folder_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.txt"), "la cooperacion").unwrap();
    let out = tmp.path().join("out");
    for _ in 0..2 {
        let o = fix(tmp.path(), &out, &["-q"]);
        assert_eq!(o.status.code(), Some(0));
    }
    assert!(!out.join("out").exists(), "outputs were taken as inputs");
    assert_eq!(
        fs::read_to_string(tmp.path().join("a.txt")).unwrap(),
        "la cooperacion"
    );
}

/// `ocrqa fix seeds --out OUT --apply APPLY -q`, which must succeed.
fn fix_seed(out: &Path, apply: &str) {
    let seeds = seed_dir();
    let o = fix(&seeds, out, &["--apply", apply, "-q"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn two_runs_give_identical_bytes_and_apply_none_keeps_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    fix_seed(&a, "review");
    fix_seed(&b, "review");
    assert_eq!(read_tree(&a), read_tree(&b));
    let none = tmp.path().join("none");
    fix_seed(&none, "none");
    let original = fs::read(seed_dir().join("000_5b033a22578a78a3.txt")).unwrap();
    assert_eq!(
        fs::read(none.join("000_5b033a22578a78a3.txt")).unwrap(),
        original
    );
    assert!(fs::read(none.join("000_5b033a22578a78a3.diff"))
        .unwrap()
        .is_empty());
}

#[test]
fn candidates_shows_the_ranking() {
    let o = ocrqa(&["candidates", "entrafian"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let first = stdout.lines().nth(2).unwrap_or_default();
    assert!(first.starts_with("entrañan"), "{stdout}");
}

#[test]
fn index_cache_is_built_once_reused_and_rebuilt_when_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let run = |n: &str| {
        let out = tmp.path().join(n);
        let o = fix(
            &seed_dir(),
            &out,
            &["--cache-dir", cache.to_str().unwrap(), "-q"],
        );
        assert_eq!(o.status.code(), Some(0));
        let text = read_tree(&out)
            .into_iter()
            .filter(|(n, _)| n.ends_with(".txt"))
            .collect::<Vec<_>>();
        (String::from_utf8(o.stderr).unwrap(), text)
    };
    let (err_built, built) = run("a");
    assert_eq!(err_built, "");
    let files: Vec<PathBuf> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one cache file: {files:?}");
    let (err_loaded, loaded) = run("b");
    assert_eq!((err_loaded.as_str(), &loaded), ("", &built));

    let mut bytes = fs::read(&files[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(&files[0], &bytes).unwrap();
    let (err_damaged, rebuilt) = run("c");
    assert!(
        err_damaged.contains("warning: index cache") && err_damaged.contains("rebuilt"),
        "{err_damaged}"
    );
    assert_eq!(rebuilt, built);
    assert_eq!(run("d").0, "", "the damaged cache was replaced");
}

#[test]
fn parallel_jobs_give_the_bytes_of_one_job() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    // Documents of different lengths and a bad one, so that workers finish out of order.
    seed_batch(&input, 6, 7, 2);
    fs::write(input.join("empty.txt"), "").unwrap();
    let run = |jobs: &str| {
        let out = tmp.path().join(format!("out{jobs}"));
        let o = fix(&input, &out, &["--jobs", jobs, "-q"]);
        assert_eq!(o.status.code(), Some(1), "the empty file is an error");
        read_tree(&out)
    };
    let one = run("1");
    assert_eq!(
        one.len(),
        6 * 3 + 3 + 2,
        "three outputs per document, the three reports, an (empty) lock file per folder"
    );
    assert_eq!(run("3"), one);
}

#[test]
fn candidates_weighs_accent_twins_in_a_context() {
    let twin_line = |word: &str, context: &str| {
        let o = ocrqa(&[
            "candidates",
            word,
            "--context",
            context,
            "--drop-rate",
            "0.8",
        ]);
        assert_eq!(o.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let line = stdout
            .lines()
            .skip_while(|l| !l.starts_with("accent twins"))
            .nth(2)
            .unwrap_or_default()
            .to_string();
        let log_odds: f64 = line.split_whitespace().last().unwrap().parse().unwrap();
        (line, log_odds)
    };
    let (line, verb) = twin_line("esta", "el proyecto esta en marcha");
    assert!(line.starts_with("está"), "{line}");
    let (_, demonstrative) = twin_line("esta", "en esta sección se explica");
    assert!(verb > 0.0 && demonstrative < 0.0, "{verb} {demonstrative}");
    let o = ocrqa(&["candidates", "esta", "--context", "sin la palabra"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_report_says_which_documents_correction_cannot_make_good() {
    let tmp = tempfile::tempdir().unwrap();
    let set = fixtures().join("eval/set");
    let read = |name: &str| fs::read_to_string(set.join(name)).unwrap();
    // A carbon copy: letters faded into marks, in the words and after them.
    let carbon = "Las muje:es y las niña: de la regió: recibiero: apoyo de lo: organismos.\n\
        El Tribunal examinó la: medidas adoptada: y las activid;des de los Estado: miembro:\n\
        en materia de derecho: humanos; el Consej: tomó not: de ell:s y de la: demá: \n\
        propuesta: que recibi; de la: delegacione: y lo: observador:s.\n";
    let clean = "La Comisión examinó la información sobre la situación económica de la región.\n";
    let input = input_folder(
        tmp.path(),
        &[
            ("english-model.txt", &read("un-005.eng-clean.ocr.txt")),
            ("spanish-model.txt", &read("un-015.spa-degraded.ocr.txt")),
            ("carbon.txt", carbon),
            ("clean.txt", clean),
        ],
    );
    let out = tmp.path().join("out");
    let o = fix(&input, &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("ocrqa-report.json")).unwrap()).unwrap();
    let needs = |source: &str| {
        let d = json["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["source"] == source)
            .unwrap();
        (
            d["action"].as_str().unwrap().to_string(),
            d["why"].to_string(),
        )
    };
    assert_eq!(needs("english-model.txt").0, "reocr", "{json}");
    assert!(needs("english-model.txt")
        .1
        .contains("accents_dropped_throughout"));
    assert_eq!(needs("spanish-model.txt").0, "review");
    assert_eq!(needs("carbon.txt").0, "rescan", "{:?}", needs("carbon.txt"));
    assert!(needs("carbon.txt").1.contains("letters_lost_to_marks"));
    assert_eq!(needs("clean.txt").0, "none");
    let md = fs::read_to_string(out.join("ocrqa-report.md")).unwrap();
    assert!(md.contains("Beyond correction: 1 document(s)"), "{md}");
    assert!(
        md.contains("| re-OCR |") && md.contains("| re-scan |"),
        "{md}"
    );
}

#[test]
fn quality_report_puts_the_worst_document_first() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(seed_dir().join("000_5b033a22578a78a3.txt")).unwrap();
    let clean = "La Comisión examinó la información sobre la situación económica de la región.\n";
    let input = input_folder(
        tmp.path(),
        &[("a-damaged.txt", &seed), ("b-clean.txt", clean)],
    );
    let out = tmp.path().join("out");
    let o = fix(&input, &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("ocrqa-report.json")).unwrap()).unwrap();
    let rate = |i: usize| {
        json["documents"][i]["estimated_error_rate"]
            .as_f64()
            .unwrap()
    };
    assert!(rate(0) > 0.01 && rate(1) == 0.0, "{json}");
    assert_eq!(json["documents"][1]["grade"], "A");
    assert!(
        json["documents"][0]["patterns"]["accent_restored"]
            .as_u64()
            .unwrap()
            > 10
    );
    let md = fs::read_to_string(out.join("ocrqa-report.md")).unwrap();
    let (damaged, clean) = (
        md.find("a-damaged.txt").unwrap(),
        md.find("b-clean.txt").unwrap(),
    );
    assert!(damaged < clean, "worst first:\n{md}");
}

/// Review files written so far under `dir` (a document's last output), counted while a run
/// is writing: entries may vanish between listing and looking.
fn reviews_done(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            } else if name.ends_with(".review.json") && !name.starts_with('.') {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_batch_killed_at_any_point_resumes_to_the_bytes_of_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    seed_batch(&input, 14, 3, 3);
    let args = |out: &Path| {
        vec![
            "fix".to_string(),
            input.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--jobs".into(),
            "2".into(),
            "-q".into(),
        ]
    };
    let reference = tmp.path().join("reference");
    let o = ocrqa(
        &args(&reference)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(o.status.code(), Some(0));
    let expected = read_tree(&reference);

    for kill_after in [0, 3, 9] {
        let out = tmp.path().join(format!("killed{kill_after}"));
        let mut child = common::ocrqa_command().args(args(&out)).spawn().unwrap();
        let started = std::time::Instant::now();
        while reviews_done(&out) < kill_after
            && child.try_wait().unwrap().is_none()
            && started.elapsed().as_secs() < 120
        {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        assert!(
            reviews_done(&out) < 14,
            "the kill came after the batch ended"
        );
        let o = ocrqa(&args(&out).iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            read_tree(&out),
            expected,
            "killed after {kill_after} documents"
        );
    }
}

/// A folder `in` under `root` holding `files` (name, text).
fn input_folder(root: &Path, files: &[(&str, &str)]) -> PathBuf {
    let input = root.join("in");
    fs::create_dir_all(&input).unwrap();
    for (name, text) in files {
        fs::write(input.join(name), text).unwrap();
    }
    input
}

#[test]
fn a_rerun_skips_what_is_done_redoes_what_changed_and_force_redoes_all() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_folder(
        tmp.path(),
        &[("a.txt", "la informacion\n"), ("b.txt", "la relacidon\n")],
    );
    let out = tmp.path().join("out");
    let run = |extra: &[&str]| {
        let o = fix(&input, &out, extra);
        assert_eq!(o.status.code(), Some(0));
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(!run(&[]).contains("already done"));
    fs::write(input.join("b.txt"), "la declaracion\n").unwrap();
    assert!(run(&[]).contains("(1 already done, skipped"));
    assert_eq!(
        fs::read_to_string(out.join("b.txt")).unwrap(),
        "la declaración\n"
    );
    assert!(run(&[]).contains("(2 already done, skipped"));
    assert!(!run(&["--force"]).contains("already done"));
    // Other settings are other outputs: nothing is skipped.
    assert!(!run(&["--apply", "review"]).contains("already done"));
}

/// Outputs are not synced one by one (see `--sync`): a machine crash may leave a renamed
/// output empty or short. The review file records what was written, and a re-run redoes a
/// document whose files do not match instead of skipping it.
#[test]
fn outputs_a_crash_left_short_are_redone_not_trusted() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_folder(
        tmp.path(),
        &[
            ("a.txt", "la informacion\n"),
            ("b.txt", "la relacidon\n"),
            ("c.txt", "la declaracion\n"),
        ],
    );
    let (out, synced) = (tmp.path().join("out"), tmp.path().join("synced"));
    assert_eq!(fix(&input, &out, &[]).status.code(), Some(0));
    assert_eq!(fix(&input, &synced, &["--sync"]).status.code(), Some(0));
    let expected = read_tree(&out);
    assert_eq!(read_tree(&synced), expected, "--sync changes no byte");
    fs::write(out.join("a.txt"), "").unwrap();
    fs::write(out.join("b.diff"), "--- a/b.txt\n").unwrap();
    let o = fix(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains("(1 already done, skipped"), "{stdout}");
    assert_eq!(read_tree(&out), expected);
}

#[test]
fn shards_split_a_batch_and_their_reports_merge_into_the_unsharded_one() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    seed_batch(&input, 12, 5, 4);
    fs::write(input.join("empty.txt"), "").unwrap();
    let fix_quietly = |out: &Path, extra: &[&str]| fix(&input, out, &[&["-q"], extra].concat());
    let whole = tmp.path().join("whole");
    fix_quietly(&whole, &[]);
    let sharded = tmp.path().join("sharded");
    for k in 1..=3 {
        fix_quietly(&sharded, &["--shard", &format!("{k}/3")]);
    }
    let sources = |report: &Path| -> Vec<String> {
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(report).unwrap()).unwrap();
        json["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["source"].as_str().unwrap().to_string())
            .collect()
    };
    let mut union: Vec<String> = (1..=3)
        .flat_map(|k| sources(&sharded.join(format!("ocrqa-report.{k}-of-3.json"))))
        .collect();
    let total = union.len();
    union.sort();
    union.dedup();
    assert_eq!(union.len(), total, "shards are disjoint");
    assert_eq!(
        union,
        sources(&whole.join("ocrqa-report.json")),
        "shards make the batch"
    );
    let shard_reports: Vec<String> = (1..=3)
        .map(|k| {
            sharded
                .join(format!("ocrqa-report.{k}-of-3.json"))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["report", "merge", "--out", sharded.to_str().unwrap()];
    args.extend(shard_reports.iter().map(String::as_str));
    assert_eq!(ocrqa(&args).status.code(), Some(0));
    for name in ["ocrqa-report.json", "ocrqa-report.md"] {
        assert_eq!(
            fs::read(sharded.join(name)).unwrap(),
            fs::read(whole.join(name)).unwrap(),
            "{name}"
        );
    }
    let two_of_three = ocrqa(&[
        "report",
        "merge",
        "--out",
        tmp.path().join("part").to_str().unwrap(),
        &shard_reports[0],
        &shard_reports[2],
    ]);
    assert_eq!(two_of_three.status.code(), Some(2));
    let said = String::from_utf8_lossy(&two_of_three.stderr);
    assert!(said.contains("shard 2/3 missing"), "{said}");
    let elsewhere = tmp.path().join("elsewhere");
    let twice = ocrqa(&[
        "report",
        "merge",
        "--out",
        elsewhere.to_str().unwrap(),
        &shard_reports[0],
        &shard_reports[0],
    ]);
    assert_eq!(
        twice.status.code(),
        Some(2),
        "a document in two reports is refused"
    );
    assert!(ocrqa(&["fix", "x", "--shard", "4/3"]).status.code() == Some(2));
}

#[cfg(unix)]
#[test]
fn a_huge_file_and_a_symlink_loop_do_not_stop_the_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    fs::write(input.join("sub/good.txt"), "la informacion\n").unwrap();
    // 200 MB, sparse: refused by its size before a byte is read.
    fs::File::create(input.join("huge.txt"))
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
    let out = tmp.path().join("out");
    let o = fix(&input, &out, &["-q"]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("huge.txt") && stderr.contains("too large: 200000000 bytes"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(out.join("sub/good.txt")).unwrap(),
        "la información\n"
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("ocrqa-report.json")).unwrap()).unwrap();
    assert_eq!(
        report["totals"]["ok"], 1,
        "the looped folder is read once: {report}"
    );
}

#[cfg(unix)]
#[test]
fn a_folder_given_twice_is_read_once_and_an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    seed_batch(&inp, 2, 5, 1);
    let locked = inp.join("box0/locked.txt");
    fs::write(&locked, "la informacion\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file; a dangling link is unreadable for everyone.
    let unreadable = fs::read(&locked).is_err();
    std::os::unix::fs::symlink(tmp.path().join("gone.txt"), inp.join("box0/dangling.txt")).unwrap();
    let out = tmp.path().join("out");
    let dir = inp.to_str().unwrap();
    let o = ocrqa(&[
        "fix",
        dir,
        dir,
        inp.join("box0").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("ocrqa-report.json")).unwrap()).unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    let named = |file: &str| {
        stderr
            .lines()
            .any(|l| l.contains(file) && l.contains("cannot read"))
    };
    assert!(named("dangling.txt"), "{stderr}");
    assert_eq!(named("locked.txt"), unreadable, "{stderr}");
    assert_eq!(
        report["totals"]["ok"],
        3 - usize::from(unreadable),
        "each document once"
    );
    assert_eq!(report["totals"]["errors"], 1 + usize::from(unreadable));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn an_output_that_cannot_be_written_fails_its_document_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    seed_batch(&inp, 3, 5, 1);
    let out = tmp.path().join("out");
    // A folder where doc01's diff should go: the rename onto it fails, whoever runs the test.
    fs::create_dir_all(out.join("box0/doc01.diff/inside")).unwrap();
    let o = ocrqa(&[
        "fix",
        inp.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("doc01.txt") && l.contains("cannot write")),
        "{stderr}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("ocrqa-report.json")).unwrap()).unwrap();
    assert_eq!(report["totals"]["ok"], 2);
    assert_eq!(report["totals"]["errors"], 1);
    for k in [0, 2] {
        assert!(out.join(format!("box0/doc{k:02}.review.json")).is_file());
    }
    // Written in order, the review file comes last: without it the document is not done.
    assert!(!out.join("box0/doc01.review.json").exists());
    assert!(fs::read_dir(out.join("box0")).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));
}
