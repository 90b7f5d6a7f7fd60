//! Reviewing and applying: the interactive review through a pseudo-terminal, the scripted
//! forms, `ocrqa apply` and its refusals, the decisions memory, and the review file's versions.

mod common;

use common::{fix, fixtures, ocrqa, read_tree};
use ocrqa::edit::{apply_edits, Edit};
use ocrqa::precedents::PRECEDENTS_FILE;
use ocrqa::review::{Decision, ReviewFile, ReviewItem};
use ocrqa::review::{DecisionExport, Group, ReviewSet};
use ocrqa::Applicability;
use std::fs;
use std::path::{Path, PathBuf};

/// The three dev-set OCR files of the fixtures, twice (folders `a` and `b`): every change to
/// review appears at least twice, as in a batch.
fn review_batch(root: &Path) -> (PathBuf, PathBuf) {
    review_batch_with(root, &[])
}

/// As `review_batch`, with the fixtures named in `again` copied a third time (into `c/`), so
/// that their changes are made three times and get screens of their own.
fn review_batch_with(root: &Path, again: &[&str]) -> (PathBuf, PathBuf) {
    let input = root.join("in");
    for folder in ["a", "b", "c"] {
        fs::create_dir_all(input.join(folder)).unwrap();
        for entry in fs::read_dir(fixtures().join("eval/set")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".ocr.txt") && (folder != "c" || again.contains(&name.as_str())) {
                fs::copy(&path, input.join(folder).join(name)).unwrap();
            }
        }
    }
    let out = root.join("out");
    let o = fix(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    (input, out)
}

/// `ocrqa apply DIR -o FINAL EXTRA...`.
fn apply(dir: &Path, final_dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut command = common::ocrqa_command();
    command
        .arg("apply")
        .arg(dir)
        .arg("-o")
        .arg(final_dir)
        .args(extra);
    command.output().expect("run ocrqa")
}

fn open(out: &Path) -> ReviewSet {
    let (set, problems) = ReviewSet::open(out, Some(out.join(PRECEDENTS_FILE))).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    set
}

/// What an interactive session goes through: pending items that are not automatic.
fn queue(set: &ReviewSet) -> Vec<Group> {
    set.groups(ReviewItem::awaits_review)
}

fn decisions(set: &ReviewSet, group: &Group) -> Vec<(Decision, Option<String>)> {
    group
        .items
        .iter()
        .map(|&r| (set.item(r).decision, set.item(r).replacement.clone()))
        .collect()
}

/// The final text built here from the source and the decisions, independently of `apply`.
fn expected_final(source: &str, review: &ReviewFile) -> String {
    let edits: Vec<Edit> = review
        .items
        .iter()
        .filter_map(|item| {
            let text = match item.decision {
                Decision::Accepted | Decision::Edited => item.replacement.clone(),
                Decision::Pending if item.applied && item.applicability == Applicability::Auto => {
                    item.proposal.clone()
                }
                _ => None,
            }?;
            Some(Edit {
                span: item.span,
                replacement: text,
            })
        })
        .collect();
    apply_edits(source, &edits).0
}

#[cfg(unix)]
mod terminal {
    use super::*;
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// `ocrqa review` on a pseudo-terminal: keys go in one at a time, each after the screen
    /// that asks for it is drawn.
    pub struct Session {
        child: std::process::Child,
        pty: std::fs::File,
        screen: Arc<Mutex<Vec<u8>>>,
        screens_seen: usize,
    }

    /// Every screen starts with this (see `cli/tui.rs`).
    const HEADER: &str = "ocrqa review ·";

    impl Session {
        pub fn start(out: &Path) -> Session {
            Session::start_sized(out, 40, 80)
        }

        /// On a terminal of `rows` × `columns`.
        pub fn start_sized(out: &Path, rows: u16, columns: u16) -> Session {
            let (pty, pts) = pty_process::blocking::open().unwrap();
            pty.resize(pty_process::Size::new(rows, columns)).unwrap();
            let child = pty_process::blocking::Command::new(env!("CARGO_BIN_EXE_ocrqa"))
                .args(["review", out.to_str().unwrap(), "--reviewer", "ana"])
                .env("OCRQA_CACHE_DIR", common::cache_dir())
                .env("NO_COLOR", "1")
                .env("TERM", "dumb")
                .spawn(pts)
                .unwrap();
            let fd: std::os::fd::OwnedFd = pty.into();
            let pty = std::fs::File::from(fd);
            let mut reader = pty.try_clone().unwrap();
            let screen = Arc::new(Mutex::new(Vec::new()));
            let sink = Arc::clone(&screen);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                        // The pty may be non-blocking.
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(5))
                        }
                        Err(_) => break, // EIO: the child is gone
                    }
                }
            });
            Session {
                child,
                pty,
                screen,
                screens_seen: 0,
            }
        }

        fn text(&self) -> String {
            String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
        }

        /// Waits for the next screen to be drawn whole (its key line) and returns it.
        pub fn next_screen(&mut self) -> String {
            let started = Instant::now();
            loop {
                let text = self.text();
                let screens: Vec<&str> = text.split(HEADER).collect();
                if screens.len() > self.screens_seen + 1 {
                    let last = screens[self.screens_seen + 1];
                    if last.contains("[q]uit") || last.contains("Everything is decided") {
                        self.screens_seen += 1;
                        for line in last.lines() {
                            assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
                        }
                        // The key is read in raw mode, set just after the screen is drawn.
                        std::thread::sleep(Duration::from_millis(60));
                        return last.to_string();
                    }
                }
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "no new screen ({} parts, {} seen); terminal shows:\n{text}",
                    screens.len(),
                    self.screens_seen
                );
                std::thread::sleep(Duration::from_millis(10));
            }
        }

        pub fn key(&mut self, keys: &str) {
            for c in keys.chars() {
                let mut b = [0; 4];
                self.pty
                    .write_all(c.encode_utf8(&mut b).as_bytes())
                    .unwrap();
                self.pty.flush().unwrap();
                std::thread::sleep(Duration::from_millis(60));
            }
        }

        pub fn wait(mut self) -> (Option<i32>, String) {
            let started = Instant::now();
            loop {
                if let Some(status) = self.child.try_wait().unwrap() {
                    std::thread::sleep(Duration::from_millis(100));
                    return (status.code(), self.text());
                }
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "review did not end"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
        }

        pub fn kill(mut self) {
            self.child.kill().unwrap();
            self.child.wait().unwrap();
        }
    }
}

#[cfg(unix)]
#[test]
fn review_keys_cancel_help_and_fit_the_terminal() {
    use terminal::Session;
    let tmp = tempfile::tempdir().unwrap();
    let (_, out) = review_batch_with(tmp.path(), &["un-010.eng-degraded.ocr.txt"]);
    let mut s = Session::start_sized(&out, 10, 40);
    let small = s.next_screen();
    assert!(
        small.contains("too small") && small.contains("(40×10)"),
        "{small}"
    );
    s.key("q");
    let (code, shown) = s.wait();
    assert_eq!(code, Some(0), "{shown}");

    // 80×24: a page of nine changes keeps its status line, its lines and its keys.
    let mut s = Session::start_sized(&out, 24, 80);
    let first = s.next_screen();
    assert!(first.lines().count() <= 23, "{first}");
    s.key("?");
    let help = s.next_screen();
    assert!(help.contains("o open the places one by one"), "{help}");
    assert!(help.contains("Esc or an empty line cancels"), "{help}");
    s.key(" ");
    s.next_screen();
    s.key("e");
    s.key("\r"); // nothing typed: cancelled, not an empty replacement
    s.next_screen();
    s.key("e");
    s.key("abc");
    s.key("\x1b"); // Esc: cancelled
    s.next_screen();
    s.key("a"); // accepted, then undone: nothing is saved
    let after = s.next_screen();
    assert!(after.contains("decided"), "{after}");
    s.key("u");
    s.next_screen();
    s.key("q");
    let (code, shown) = s.wait();
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("0 decisions saved"), "{shown}");
    let set = open(&out);
    assert!(
        set.refs()
            .all(|r| set.item(r).decision == Decision::Pending),
        "cancelled edits and an undone decision leave everything pending"
    );
    let mut s = Session::start_sized(&out, 24, 80);
    s.next_screen();
    for _ in 0..4 {
        s.key("s");
        let page = s.next_screen();
        if page.contains("changes of one kind") {
            assert!(page.lines().count() <= 23, "{page}");
            assert!(page.contains("decided") && page.contains("9"), "{page}");
            break;
        }
    }
    s.kill();
}

#[cfg(unix)]
#[test]
fn interactive_review_accepts_rejects_edits_undoes_quits_and_resumes() {
    use ocrqa::review::QueueEntry;
    use terminal::Session;
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = review_batch_with(tmp.path(), &["un-010.eng-degraded.ocr.txt"]);
    let queue = open(&out).queue(ReviewItem::awaits_review);
    // The batch gives screens of a change made 3+ times, then pages of smaller ones.
    let group = |k: usize| match &queue[k] {
        QueueEntry::Group(g) => g.clone(),
        other => panic!("screen {k} is not a group: {other:?}"),
    };
    let first_page = queue
        .iter()
        .position(|e| matches!(e, QueueEntry::Page { .. }))
        .expect("a page of smaller changes");
    assert!(first_page >= 4, "four group screens: {queue:?}");
    let (g0, g1, g2, g3) = (group(0), group(1), group(2), group(3));
    let QueueEntry::Page { lines: page, .. } = &queue[first_page] else {
        unreachable!()
    };
    assert!(page.len() >= 5);

    let mut s = Session::start(&out);
    let first = s.next_screen();
    assert!(first.contains(&format!("{:?}", g0.original)), "{first}");
    assert!(first.contains("[a]ccept all"), "{first}");
    s.key("a"); // the whole first group
    s.next_screen();
    s.key("r"); // the whole second group
    s.next_screen();
    s.key("o"); // the third, item by item: accept, edit, reject the rest
    let item = s.next_screen();
    assert!(item.contains("line") && item.contains("why:"), "{item}");
    s.key("a");
    s.next_screen();
    s.key("e");
    s.key("XYZ\r");
    for _ in 2..g2.items.len() {
        s.next_screen();
        s.key("r");
    }
    s.next_screen();
    s.key("a"); // the fourth group, then undone
    s.next_screen();
    s.key("u");
    let back = s.next_screen();
    assert!(back.contains(&format!("{:?}", g3.original)), "{back}");
    s.key("s"); // skip it, and the other groups
    for _ in 4..first_page {
        s.next_screen();
        s.key("s");
    }
    let shown = s.next_screen();
    assert!(shown.contains("changes of one kind"), "{shown}");
    s.key("2"); // mark two lines of the page, then accept the page
    s.next_screen();
    s.key("5");
    let marked = s.next_screen();
    assert!(marked.contains("2*") && marked.contains("5*"), "{marked}");
    s.key("a");
    s.next_screen();
    s.key("q");
    let (code, shown) = s.wait();
    assert_eq!(code, Some(0), "{shown}");

    let set = open(&out);
    let accepted = |g: &Group| {
        g.items
            .iter()
            .map(|&r| (Decision::Accepted, set.item(r).proposal.clone()))
            .collect::<Vec<_>>()
    };
    let rejected = |g: &Group| vec![(Decision::Rejected, None); g.items.len()];
    assert_eq!(decisions(&set, &g0), accepted(&g0));
    assert_eq!(decisions(&set, &g1), rejected(&g1));
    let third = decisions(&set, &g2);
    assert_eq!(third[0], (Decision::Accepted, g2.proposal.clone()));
    assert_eq!(third[1], (Decision::Edited, Some("XYZ".to_string())));
    assert!(third[2..].iter().all(|d| *d == (Decision::Rejected, None)));
    assert!(decisions(&set, &g3)
        .iter()
        .all(|d| d.0 == Decision::Pending));
    for (k, line) in page.iter().enumerate() {
        let expected = if k == 1 || k == 4 || line.proposal.is_none() {
            rejected(line)
        } else {
            accepted(line)
        };
        assert_eq!(decisions(&set, line), expected, "page line {}", k + 1);
    }
    let stamped = set.item(g0.items[0]);
    assert_eq!(stamped.reviewer.as_deref(), Some("ana"));
    assert!(stamped
        .decided_at
        .as_deref()
        .is_some_and(|t| t.ends_with('Z')));

    // Run again: it continues with the first screen left, and a kill loses nothing decided.
    let mut s = Session::start(&out);
    let resumed = s.next_screen();
    assert!(resumed.contains(&format!("{:?}", g3.original)), "{resumed}");
    s.key("a");
    s.next_screen();
    s.kill();
    let set = open(&out);
    assert_eq!(decisions(&set, &g3), accepted(&g3));

    let inputs_before = read_tree(&input);
    // The final texts: sources plus automatic, accepted and edited changes.
    let final_dir = tmp.path().join("final");
    let o = apply(&out, &final_dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(
        read_tree(&input),
        inputs_before,
        "apply never touches the inputs"
    );
    let mut compared = 0;
    for doc in &set.docs {
        let source = fs::read_to_string(input.join(&doc.review.source.path)).unwrap();
        let written = fs::read_to_string(final_dir.join(&doc.review.source.path)).unwrap();
        assert_eq!(written, expected_final(&source, &doc.review));
        compared += 1;
    }
    assert_eq!(compared, 7);
    let edited = g2.items[1];
    let path = &set.docs[edited.doc].review.source.path;
    assert!(fs::read_to_string(final_dir.join(path))
        .unwrap()
        .contains("XYZ"));
}

#[test]
fn review_refuses_to_run_without_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, out) = review_batch(tmp.path());
    let before = read_tree(&out);
    let o = ocrqa(&["review", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs a terminal"));
    assert_eq!(read_tree(&out), before, "nothing written");
}

#[test]
fn scripted_decisions_by_id_group_and_level_export_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, out) = review_batch(tmp.path());
    let dir = out.to_str().unwrap();
    let set = open(&out);
    let groups = queue(&set);
    let by_id = set.item(groups[1].items[0]).id.clone();
    let change = format!(
        "{}->{}",
        groups[0].original,
        groups[0].proposal.as_deref().unwrap()
    );
    let o = ocrqa(&["review", dir, "--accept-group", &change, "--reject", &by_id]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let set = open(&out);
    assert!(groups[0]
        .items
        .iter()
        .all(|&r| set.item(r).decision == Decision::Accepted));
    assert_eq!(set.item(groups[1].items[0]).decision, Decision::Rejected);

    // Export, then import into a fresh run of the same batch: the same decisions.
    let export = tmp.path().join("decisions.json");
    let o = ocrqa(&["review", dir, "--export", export.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let other = tempfile::tempdir().unwrap();
    let (_, out2) = review_batch(other.path());
    let o = ocrqa(&[
        "review",
        out2.to_str().unwrap(),
        "--import",
        export.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let decided = |s: &ReviewSet| {
        s.refs()
            .map(|r| (s.item(r).id.clone(), s.item(r).decision))
            .collect::<Vec<_>>()
    };
    assert_eq!(decided(&open(&out2)), decided(&open(&out)));
    // Decisions that fit no item, or say nothing to put in, are named and left out.
    let mut bad = DecisionExport::from_json(&fs::read_to_string(&export).unwrap()).unwrap();
    let mut edited = bad.decisions[0].clone();
    edited.decision = Decision::Edited;
    edited.replacement = None;
    let mut stranger = bad.decisions[0].clone();
    stranger.id = "0123456789abcdef".into();
    bad.decisions = vec![edited, stranger];
    let bad_path = tmp.path().join("bad.json");
    fs::write(&bad_path, bad.to_json()).unwrap();
    let o = ocrqa(&["review", dir, "--import", bad_path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert_eq!(
        String::from_utf8_lossy(&o.stderr)
            .matches("not recorded")
            .count(),
        2
    );
    assert_eq!(
        decided(&open(&out)),
        decided(&open(&out2)),
        "nothing changed"
    );

    // Everything at or above review: nothing awaits review any more.
    let o = ocrqa(&["review", dir, "--accept-level", "review"]);
    assert_eq!(o.status.code(), Some(0));
    let set = open(&out);
    assert!(set.refs().all(|r| {
        let item = set.item(r);
        item.decision != Decision::Pending
            || item.applicability < Applicability::Review
            || item.proposal.is_none()
    }));

    // An id that is nowhere: exit code 1, the rest still done.
    let o = ocrqa(&["review", dir, "--reject", "0000000000000000"]);
    assert_eq!(o.status.code(), Some(1));
}

/// Builds one document's review file as `fix` does, for the property tests.
fn reviewed(text: &str) -> (ocrqa::Document, ReviewFile, String) {
    let engine = engine();
    let doc = ocrqa::Document::new("doc.txt", text);
    let analysis = engine.analyze(&doc);
    let applied = analysis.corrected(&doc, Some(Applicability::Auto)).applied;
    let review_text = analysis.corrected(&doc, Some(Applicability::Review)).text;
    let review = ReviewFile::new(
        &doc,
        &analysis,
        &applied,
        Some(Applicability::Auto),
        String::new(),
    );
    (doc, review, review_text)
}

fn engine() -> &'static ocrqa::Engine {
    static ENGINE: std::sync::OnceLock<ocrqa::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(ocrqa::Engine::shipped)
}

/// Lines of the fixtures' OCR text: real damage, mixed at random.
fn ocr_lines() -> Vec<String> {
    let text = fs::read_to_string(fixtures().join("eval/set/un-010.eng-degraded.ocr.txt")).unwrap();
    text.lines().map(str::to_string).collect()
}

mod properties {
    use super::*;
    use ocrqa::review::{Stamp, Verdict};
    use proptest::prelude::*;

    fn document() -> impl Strategy<Value = String> {
        let lines = ocr_lines();
        proptest::collection::vec(0..lines.len(), 1..12).prop_map(move |picks| {
            picks
                .iter()
                .map(|&i| lines[i].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    /// A folder holding the review file of `text` and its source.
    fn folder(text: &str) -> (tempfile::TempDir, ReviewSet, String) {
        let (doc, mut review, review_text) = reviewed(text);
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("doc.txt");
        fs::write(&source, &doc.text).unwrap();
        review.source.input = Some(source.display().to_string());
        let out = tmp.path().join("out");
        ocrqa::files::write_atomic(&out.join("doc.review.json"), review.to_json().as_bytes())
            .unwrap();
        let set = open(&out);
        (tmp, set, review_text)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn accepting_every_item_gives_the_review_level_text(text in document()) {
            let (_tmp, mut set, review_text) = folder(&text);
            let proposed: Vec<_> = set
                .refs()
                .filter(|&r| set.item(r).applicability >= Applicability::Review)
                .collect();
            set.decide(&proposed, &Verdict::accept(), &Stamp::default()).unwrap();
            let final_text = set.docs[0].review.final_text(&text).unwrap();
            prop_assert_eq!(final_text.text, review_text);
            prop_assert_eq!(final_text.pending, set.refs().filter(|&r| set.item(r).awaits_review()).count());
        }

        #[test]
        fn rejecting_every_item_gives_the_original_bytes(text in document()) {
            let (_tmp, mut set, _) = folder(&text);
            let all: Vec<_> = set.refs().collect();
            set.decide(&all, &Verdict::reject(), &Stamp::default()).unwrap();
            prop_assert_eq!(set.docs[0].review.final_text(&text).unwrap().text, text);
        }

        /// Each decision is on disk when `decide` or `undo` returns: a session killed
        /// between any two keys leaves exactly the decisions made before it.
        #[test]
        fn every_decision_is_on_disk_before_the_next(
            text in document(),
            steps in proptest::collection::vec((0usize..1000, 0u8..5), 1..12),
        ) {
            let (tmp, mut set, _) = folder(&text);
            let out = tmp.path().join("out");
            let n = set.refs().count();
            prop_assume!(n > 0);
            let mut undo = Vec::new();
            for (pick, action) in steps {
                let r = set.refs().nth(pick % n).unwrap();
                let has_proposal = set.item(r).proposal.is_some();
                match action {
                    0 if has_proposal => undo.push(set.decide(&[r], &Verdict::accept(), &Stamp::default()).unwrap()),
                    1 => undo.push(set.decide(&[r], &Verdict::reject(), &Stamp::default()).unwrap()),
                    2 => undo.push(set.decide(&[r], &Verdict::edit("xyz"), &Stamp::default()).unwrap()),
                    3 => if let Some(u) = undo.pop() { set.undo(u).unwrap() },
                    _ => {}
                }
                let reopened = open(&out);
                prop_assert_eq!(&reopened.docs, &set.docs);
                prop_assert_eq!(&reopened.precedents, &set.precedents);
            }
        }
    }
}

#[test]
fn apply_refuses_stale_and_corrupt_review_files_and_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = review_batch(tmp.path());
    let review_path = |name: &str| out.join(name.replace(".txt", ".review.json"));
    let a_clean = review_path("a/un-005.eng-clean.ocr.txt");
    let a_degraded = review_path("a/un-010.eng-degraded.ocr.txt");
    let a_spa = review_path("a/un-015.spa-degraded.ocr.txt");
    let b_clean = review_path("b/un-005.eng-clean.ocr.txt");
    let b_degraded = review_path("b/un-010.eng-degraded.ocr.txt");
    for p in [&a_clean, &a_degraded, &a_spa, &b_clean, &b_degraded] {
        assert!(p.is_file(), "{}", p.display());
    }
    // Stale source: the input changed after `fix`.
    let source = input.join("a/un-005.eng-clean.ocr.txt");
    fs::write(
        &source,
        fs::read_to_string(&source).unwrap() + "\nañadido\n",
    )
    .unwrap();
    // Edited span: an item's original no longer what the source has there.
    let mut review = ReviewFile::from_json(&fs::read_to_string(&a_degraded).unwrap()).unwrap();
    review.items[0].original.push('x');
    let bad_id = review.items[0].id.clone();
    fs::write(&a_degraded, review.to_json()).unwrap();
    // Unknown field, truncated JSON, wrong version.
    let text = fs::read_to_string(&a_spa).unwrap();
    fs::write(
        &a_spa,
        text.replacen("\"applied\":", "\"approved\": true,\n      \"applied\":", 1),
    )
    .unwrap();
    let text = fs::read_to_string(&b_clean).unwrap();
    fs::write(&b_clean, &text[..text.len() / 2]).unwrap();
    let text = fs::read_to_string(&b_degraded).unwrap();
    fs::write(
        &b_degraded,
        text.replacen("\"version\": 2", "\"version\": 9", 1),
    )
    .unwrap();

    let final_dir = tmp.path().join("final");
    let o = apply(&out, &final_dir, &[]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    let says = |file: &Path, what: &str| {
        let line = err
            .lines()
            .find(|l| l.contains(&*file.display().to_string()))
            .unwrap_or_else(|| panic!("no error names {}:\n{err}", file.display()));
        assert!(line.contains(what), "{line}");
    };
    says(&a_clean, "source changed");
    says(&a_degraded, &format!("item {bad_id}"));
    says(&a_spa, "unknown field `approved`");
    says(&b_clean, "EOF");
    says(&b_degraded, "version 9 is not supported");
    let written: Vec<String> = read_tree(&final_dir).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        written,
        [
            "b/un-015.spa-degraded.ocr.diff",
            "b/un-015.spa-degraded.ocr.txt"
        ],
        "only the sound document is written"
    );
}

#[test]
fn version_1_review_files_are_read_as_pending() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, out) = review_batch(tmp.path());
    let path = out.join("a/un-010.eng-degraded.ocr.review.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    value["version"] = 1.into();
    value["source"].as_object_mut().unwrap().remove("input");
    for item in value["items"].as_array_mut().unwrap() {
        let item = item.as_object_mut().unwrap();
        for field in ["replacement", "reviewer", "decided_at"] {
            item.remove(field);
        }
    }
    let v1 = serde_json::to_string_pretty(&value).unwrap();
    let read = ReviewFile::from_json(&v1).unwrap();
    assert_eq!(read.version, 2);
    assert!(read.items.iter().all(|i| i.decision == Decision::Pending));
    // A version 1 file cannot carry what version 2 added.
    value["items"][0]["replacement"] = "x".into();
    let err = ReviewFile::from_json(&value.to_string()).unwrap_err();
    assert!(err.contains("replacement"), "{err}");
}

#[test]
fn reviewers_decisions_survive_a_new_fix_and_steer_the_next_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = review_batch(tmp.path());
    let dir = out.to_str().unwrap();
    let set = open(&out);
    // An automatic change, rejected once; a change for review, accepted in both copies.
    let auto = set
        .refs()
        .find(|&r| {
            let i = set.item(r);
            i.applicability == Applicability::Auto && i.applied && !i.original.trim().is_empty()
        })
        .unwrap();
    let auto_item = set.item(auto).clone();
    let promoted = queue(&set)
        .into_iter()
        .find(|g| {
            g.items.len() >= 2
                && g.proposal.is_some()
                && engine().lexicon.known(&g.original).is_none()
                && g.original.chars().all(char::is_alphabetic)
        })
        .expect("a non-word change to review");
    let change = format!(
        "{}->{}",
        promoted.original,
        promoted.proposal.as_deref().unwrap()
    );
    let o = ocrqa(&[
        "review",
        dir,
        "--reject",
        &auto_item.id,
        "--accept-group",
        &change,
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    // The id names the change in its context, so it is rejected in both copies.
    let rejected_copies = set.with_id(&auto_item.id).len() as u32;
    let memory = ocrqa::precedents::Precedents::load(&out.join(PRECEDENTS_FILE)).unwrap();
    assert_eq!(
        memory.counts(&auto_item.original, auto_item.proposal.as_deref().unwrap()),
        (0, rejected_copies)
    );

    // A third acceptance of the same change (a third copy of its document) promotes it.
    let doc = &set.docs[promoted.items[0].doc].review.source.path;
    let name = Path::new(doc).file_name().unwrap();
    fs::create_dir_all(input.join("c")).unwrap();
    fs::copy(input.join(doc), input.join("c").join(name)).unwrap();
    let o = fix(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let c_review = out
        .join("c")
        .join(name.to_string_lossy().replace(".txt", ".review.json"));
    let o = ocrqa(&["review", dir, "--accept-group", &change]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        ReviewFile::from_json(&fs::read_to_string(&c_review).unwrap())
            .unwrap()
            .items
            .iter()
            .any(|i| i.original == promoted.original && i.decision == Decision::Accepted)
    );

    // The next fix: the rejected change is no longer automatic, the accepted one is; and the
    // decisions already made are still in the review files.
    let o = fix(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let set = open(&out);
    let (mut demoted, mut promoted_seen) = (0, 0);
    for r in set.refs() {
        let item = set.item(r);
        if item.original == auto_item.original && item.proposal == auto_item.proposal {
            assert_eq!(item.applicability, Applicability::Review, "{item:?}");
            assert!(!item.applied);
            demoted += 1;
        }
        if item.original == promoted.original && item.proposal == promoted.proposal {
            assert_eq!(item.applicability, Applicability::Auto, "{item:?}");
            assert_eq!(item.decision, Decision::Accepted, "decision kept: {item:?}");
            promoted_seen += 1;
        }
    }
    assert!(
        demoted >= rejected_copies,
        "the rejected change is still found"
    );
    assert!(
        promoted_seen >= 3,
        "the promoted change is in all three copies"
    );
    let before_c: Vec<_> = set
        .with_id(&auto_item.id)
        .into_iter()
        .filter(|r| !set.docs[r.doc].review.source.path.starts_with("c/"))
        .collect();
    assert_eq!(before_c.len() as u32, rejected_copies);
    assert!(before_c
        .iter()
        .all(|&r| set.item(r).decision == Decision::Rejected));
}

#[test]
fn the_queue_puts_repeated_changes_first_and_pages_the_rest_by_kind_of_repair() {
    use ocrqa::review::{repair_kind, QueueEntry, GROUP_SCREEN_MIN, PAGE_LINES};
    let tmp = tempfile::tempdir().unwrap();
    let (_, out) = review_batch(tmp.path());
    let set = open(&out);
    let wanted = ReviewItem::awaits_review;
    let queue = set.queue(wanted);
    let first_page = queue
        .iter()
        .position(|e| matches!(e, QueueEntry::Page { .. }))
        .unwrap();
    let mut last_size = usize::MAX;
    for entry in &queue[..first_page] {
        let QueueEntry::Group(g) = entry else {
            unreachable!()
        };
        assert!(g.items.len() >= GROUP_SCREEN_MIN && g.items.len() <= last_size);
        last_size = g.items.len();
    }
    for entry in &queue[first_page..] {
        let QueueEntry::Page { repair, lines } = entry else {
            panic!("a group after the pages: {entry:?}");
        };
        assert!(!lines.is_empty() && lines.len() <= PAGE_LINES);
        for g in lines {
            assert!(g.items.len() < GROUP_SCREEN_MIN);
            assert!(g.items.iter().all(|&r| repair_kind(set.item(r)) == *repair));
        }
    }
    // Every item awaiting review is on exactly one screen, with its own change.
    let mut on_screens = Vec::new();
    for g in queue.iter().flat_map(|e| e.groups()) {
        for &r in &g.items {
            let item = set.item(r);
            assert_eq!((&item.original, &item.proposal), (&g.original, &g.proposal));
            on_screens.push(r);
        }
    }
    on_screens.sort();
    let expected: Vec<_> = set.refs().filter(|&r| wanted(set.item(r))).collect();
    assert_eq!(on_screens, expected);
}

#[test]
fn apply_finds_moved_sources_under_a_source_root() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = review_batch(tmp.path());
    let moved = tmp.path().join("moved");
    fs::rename(&input, &moved).unwrap();
    let final_dir = tmp.path().join("final");
    let o = apply(&out, &final_dir, &[]);
    assert_eq!(o.status.code(), Some(2), "no source found: {o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
    let root = ["--source-root", moved.to_str().unwrap()];
    let o = apply(&out, &final_dir, &root);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let set = open(&out);
    for doc in &set.docs {
        let source = fs::read_to_string(moved.join(&doc.review.source.path)).unwrap();
        let written = fs::read_to_string(final_dir.join(&doc.review.source.path)).unwrap();
        assert_eq!(written, expected_final(&source, &doc.review));
    }
    // The review folder itself is no place for final texts.
    let o = apply(&out, &out, &root);
    assert_eq!(o.status.code(), Some(2));
}

/// Many writers at once on one folder — twenty `ocrqa review --accept ID` processes — lose
/// nothing: every decision is in its review file and counted in the decisions memory once.
#[test]
fn concurrent_scripted_decisions_all_survive() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, out) = review_batch(tmp.path());
    let set = open(&out);
    let mut ids: Vec<String> = set
        .refs()
        .map(|r| set.item(r))
        .filter(|item| item.awaits_review() && item.proposal.is_some())
        .map(|item| item.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids.truncate(20);
    assert_eq!(ids.len(), 20, "the fixtures have twenty items to review");
    let children: Vec<std::process::Child> = ids
        .iter()
        .map(|id| {
            let mut command = common::ocrqa_command();
            command
                .args(["review", "--accept", id])
                .arg(&out)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            command.spawn().expect("run ocrqa")
        })
        .collect();
    for child in children {
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
    }
    let after = open(&out);
    for id in &ids {
        for r in after.with_id(id) {
            assert_eq!(after.item(r).decision, Decision::Accepted, "item {id} lost");
        }
    }
    let accepted: u32 = after
        .refs()
        .map(|r| after.item(r))
        .filter(|item| item.decision == Decision::Accepted)
        .map(|item| {
            let (accepted, _) = after
                .precedents
                .counts(&item.original, item.proposal.as_deref().unwrap());
            assert!(accepted >= 1, "{} not counted", item.original);
            1
        })
        .sum();
    let counted: u32 = after
        .refs()
        .map(|r| after.item(r))
        .filter(|item| item.decision == Decision::Accepted)
        .map(|item| (item.original.clone(), item.proposal.clone().unwrap()))
        .collect::<std::collections::BTreeSet<_>>()
        .iter()
        .map(|(original, proposal)| after.precedents.counts(original, proposal).0)
        .sum();
    assert_eq!(counted, accepted, "each acceptance counted once");
}

/// Two reviewers who opened the folder before either decided: the second one's decision on
/// another item is merged with the first's; on the same item it is refused, not written.
#[test]
fn a_stale_reviewer_merges_or_is_refused_never_overwrites() {
    use ocrqa::review::{ReviewError, Stamp, Verdict};
    let tmp = tempfile::tempdir().unwrap();
    let (_, out) = review_batch(tmp.path());
    let mut first = open(&out);
    let mut second = open(&out);
    let pending: Vec<ocrqa::review::ItemRef> = first
        .refs()
        .filter(|&r| first.item(r).awaits_review() && first.item(r).proposal.is_some())
        .collect();
    // Items of two documents: a set that writes a document reads it again first.
    let a = pending[0];
    let b = *pending.iter().find(|r| r.doc != a.doc).unwrap();
    let stamp = |who: &str| Stamp {
        reviewer: Some(who.into()),
        at: None,
    };
    first
        .decide(&[a], &Verdict::accept(), &stamp("ana"))
        .unwrap();
    second
        .decide(&[b], &Verdict::reject(), &stamp("luis"))
        .unwrap();
    let now = open(&out);
    assert_eq!(
        now.item(a).decision,
        Decision::Accepted,
        "ana's decision kept"
    );
    assert_eq!(now.item(b).decision, Decision::Rejected);
    let refused = second.decide(&[a], &Verdict::reject(), &stamp("luis"));
    assert!(
        matches!(&refused, Err(ReviewError::Conflict { by, .. }) if by == "ana"),
        "{refused:?}"
    );
    assert_eq!(
        open(&out).item(a).decision,
        Decision::Accepted,
        "nothing overwritten"
    );
    assert_eq!(
        second.item(a).decision,
        Decision::Accepted,
        "the stale set now sees it"
    );
    let (accepted, rejected) = open(&out).precedents.counts(
        &now.item(a).original,
        now.item(a).proposal.as_deref().unwrap(),
    );
    assert!(accepted >= 1 && rejected == 0, "{accepted} {rejected}");
}
