//! `ocrqa serve` in a real browser: headless Chromium driven through ChromeDriver (WebDriver,
//! spoken here over a plain TCP socket), clicking and typing as a reviewer. Screenshots of each
//! view are kept in `target/tmp/screenshots/`. Needs Debian's `chromium` and `chromium-driver`
//! (`.ci/run` installs them); without them the browser test says so and passes, unless
//! `OCRQA_BROWSER_TESTS=required`. The HTTP refusals are tested without a browser.

mod common;

use common::{fix, fixtures, ocrqa};
use ocrqa::edit::{apply_edits, Edit};
use ocrqa::review::{Decision, ReviewFile};
use serde_json::{json, Value};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One HTTP/1.1 request; the status and the body.
fn http(port: u16, method: &str, path: &str, host: &str, body: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // Headers, then as many bytes as Content-Length says (the peer may keep the connection).
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            reader.read_to_end(&mut body).unwrap();
        }
    }
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// `ocrqa serve DIR` on a free port: the process, its port and its address (with the token).
struct Served {
    child: Child,
    port: u16,
    url: String,
}

impl Served {
    fn start(dir: &Path) -> Served {
        let mut child = common::ocrqa_command()
            .args(["serve", dir.to_str().unwrap(), "--reviewer", "ana"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().to_string();
        let port = url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .unwrap()
            .parse()
            .expect("a port in the address");
        Served { child, port, url }
    }

    fn token_path(&self) -> String {
        self.url
            .trim_start_matches(&format!("http://127.0.0.1:{}", self.port))
            .to_string()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The seed page's name, in `seeds/`.
const SEED: &str = "000_5b033a22578a78a3.txt";

/// An output folder of `ocrqa fix`: the seed page, the three dev-set fixtures and the hOCR
/// fixture, its first page's image beside it (a stand-in, drawn here).
fn reviewed_folder(root: &Path) -> PathBuf {
    let input = root.join("in");
    fs::create_dir_all(&input).unwrap();
    for entry in fs::read_dir(fixtures().join("eval/set")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".ocr.txt") {
            fs::copy(&path, input.join(path.file_name().unwrap())).unwrap();
        }
    }
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(SEED),
        input.join(SEED),
    )
    .unwrap();
    fs::copy(
        fixtures().join("layout/un-015.hocr"),
        input.join("un-015.hocr"),
    )
    .unwrap();
    fs::write(input.join("un-015.p2.png"), grey_png(620, 877)).unwrap();
    let out = root.join("out");
    let o = fix(&input, &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    out
}

/// A grey PNG of `w` × `h` (stored, uncompressed deflate): a stand-in for a scan.
fn grey_png(w: u32, h: u32) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        out.extend_from_slice(&typed);
        out.extend_from_slice(&crc(&typed).to_be_bytes());
        out
    };
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0); // no filter
        raw.extend((0..w).map(|x| if (x / 40 + y / 40) % 2 == 0 { 235 } else { 215 }));
    }
    let mut zlib = vec![0x78, 0x01];
    for (k, block) in raw.chunks(65_535).enumerate() {
        let last = (k + 1) * 65_535 >= raw.len();
        zlib.push(u8::from(last));
        zlib.extend_from_slice(&(block.len() as u16).to_le_bytes());
        zlib.extend_from_slice(&(!(block.len() as u16)).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut header = w.to_be_bytes().to_vec();
    header.extend_from_slice(&h.to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(b"IDAT", &zlib));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn requests_without_the_token_or_from_a_foreign_host_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = reviewed_folder(tmp.path());
    let served = Served::start(&out);
    let host = format!("127.0.0.1:{}", served.port);
    let token = served.token_path();
    assert_eq!(http(served.port, "GET", &token, &host, None).0, 200);
    assert_eq!(
        http(served.port, "GET", "/", &host, None).0,
        403,
        "no token"
    );
    let wrong = "/00000000000000000000000000000000/";
    assert_eq!(
        http(served.port, "GET", wrong, &host, None).0,
        403,
        "wrong token"
    );
    let api = format!("{token}api/batch");
    assert_eq!(
        http(served.port, "GET", &api, "evil.example:80", None).0,
        403,
        "foreign Host"
    );
    let (status, body) = http(served.port, "GET", &api, &host, None);
    assert_eq!(status, 200);
    assert!(body.contains("un-015.hocr"), "{body}");
    for sneaky in [
        "../../../../etc/passwd",
        "image/0/../../../etc/passwd",
        "%2e%2e/%2e%2e/etc/passwd",
    ] {
        let (status, body) = http(served.port, "GET", &format!("{token}{sneaky}"), &host, None);
        assert_eq!(status, 404, "{sneaky}");
        assert!(!body.contains("root:"), "{sneaky} served a file");
    }
    assert_eq!(
        http(
            served.port,
            "GET",
            &format!("{token}image/99/1"),
            &host,
            None
        )
        .0,
        404
    );
    let decide = format!("{token}api/decide");
    assert_eq!(http(served.port, "POST", &decide, &host, Some("{")).0, 400);
}

/// A WebDriver session of headless Chromium.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    fn start(profile: &Path) -> Option<Browser> {
        let found = |p: &str| Path::new(p).exists();
        if !found("/usr/bin/chromium") || !found("/usr/bin/chromedriver") {
            assert!(
                std::env::var("OCRQA_BROWSER_TESTS").as_deref() != Ok("required"),
                "chromium and chromedriver are required (apt-get install chromium chromium-driver)"
            );
            eprintln!("browser test skipped: no /usr/bin/chromium or /usr/bin/chromedriver");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1400,1000",
                    format!("--user-data-dir={}", profile.display())],
            },
        }}});
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
        };
        let answer = browser.call("POST", "/session", Some(capabilities));
        browser.session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_string();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let host = format!("127.0.0.1:{}", self.port);
        let body = body.map(|b| b.to_string());
        let (_, text) = http(self.port, method, path, &host, body.as_deref());
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    fn session(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(
            method,
            &format!("/session/{}{path}", self.session),
            Some(body),
        )
    }

    fn open(&self, url: &str) {
        self.session("POST", "/url", json!({ "url": url }));
    }

    fn script(&self, script: &str) -> Value {
        self.session(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )["value"]
            .clone()
    }

    /// Waits until `script` returns true.
    fn until(&self, what: &str, script: &str) {
        let started = Instant::now();
        while self.script(script) != json!(true) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "waited in vain for {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses each key in turn (WebDriver's names: `\u{E007}` is Enter, `\u{E00C}` Escape).
    fn keys(&self, keys: &str) {
        for key in keys.chars() {
            let key = key.to_string();
            let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
            self.session("POST", "/actions", actions);
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn screenshot(&self, name: &str) {
        let answer = self.call(
            "GET",
            &format!("/session/{}/screenshot", self.session),
            None,
        );
        let png = base64(answer["value"].as_str().unwrap_or(""));
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |n, &d| (n << 6) | u32::from(d)) << (6 * (4 - c.len()));
            let bytes = n.to_be_bytes();
            bytes[1..c.len()].to_vec()
        })
        .collect()
}

fn review_of(out: &Path, name: &str) -> ReviewFile {
    let path = ocrqa::output::OutputPaths::new(out, Path::new(name)).review;
    let text = fs::read_to_string(path).unwrap();
    ReviewFile::from_json(&text).unwrap()
}

/// The document and item the page shows as current.
fn current(browser: &Browser) -> (String, usize) {
    let at = browser.script("return [state.doc.path, state.current];");
    (
        at[0].as_str().unwrap().to_string(),
        at[1].as_u64().unwrap() as usize,
    )
}

fn decision_on_disk(out: &Path, (doc, item): &(String, usize)) -> (Decision, Option<String>) {
    let review = review_of(out, doc);
    let i = &review.items[*item];
    (i.decision, i.replacement.clone())
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "waited in vain for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_reviewer_works_through_the_batch_with_the_keyboard() {
    let tmp = tempfile::tempdir().unwrap();
    let out = reviewed_folder(tmp.path());
    let Some(browser) = Browser::start(&tmp.path().join("profile")) else {
        return;
    };
    let served = Served::start(&out);
    browser.open(&served.url);
    browser.until(
        "the documents",
        "return document.querySelectorAll('#documents tr').length === 5;",
    );
    browser.screenshot("batch");
    // The worst document first; Enter opens it.
    browser.keys("\u{E007}");
    browser.until(
        "a document",
        "return !document.getElementById('doc').hidden && state.doc !== null;",
    );

    // The seed page: its changes are all automatic; the reviewer checks each in turn (J), keeps
    // it (a) or undoes it (r, here the third).
    browser.open(&format!("{}#path={SEED}", served.url));
    browser.until(
        "the seed page",
        &format!("return state.doc && state.doc.path === '{SEED}';"),
    );
    let changes = browser
        .script("return state.doc.items.length;")
        .as_u64()
        .unwrap();
    assert!(changes > 3, "the seed page has changes ({changes})");
    browser.script("select(0);");
    for k in 0..changes {
        browser.until("the change", &format!("return state.current === {k};"));
        browser.keys(if k == 2 { "r" } else { "a" });
        browser.until(
            "the decision",
            &format!("return state.doc.items[{k}].decision !== 'pending';"),
        );
        browser.keys("J");
    }
    let seed_review = review_of(&out, SEED);
    assert_eq!(seed_review.items[2].decision, Decision::Rejected);
    assert!(seed_review
        .items
        .iter()
        .all(|i| i.decision != Decision::Pending));

    // The hOCR document, its scan beside the change.
    browser.open(&format!("{}#path=un-015.hocr", served.url));
    browser.until(
        "the hOCR document",
        "return state.doc && state.doc.path === 'un-015.hocr';",
    );
    browser.until(
        "the scan's crop",
        "return !document.getElementById('crop').hidden;",
    );
    browser.screenshot("document");
    browser.keys("?");
    browser.until(
        "the help",
        "return !document.getElementById('help').hidden;",
    );
    browser.screenshot("help");
    browser.keys(" ");

    // Accept, reject, edit: each lands in the review file at once.
    let first = current(&browser);
    browser.keys("a");
    wait_for("an acceptance on disk", || {
        decision_on_disk(&out, &first).0 == Decision::Accepted
    });
    browser.until(
        "the next item",
        &format!("return state.current !== {};", first.1),
    );
    let second = current(&browser);
    browser.keys("r");
    wait_for("a rejection on disk", || {
        decision_on_disk(&out, &second).0 == Decision::Rejected
    });
    let third = {
        browser.until(
            "the next item",
            &format!("return state.current !== {};", second.1),
        );
        current(&browser)
    };
    browser.keys("e");
    browser.until(
        "the edit box",
        "return !document.getElementById('edit').hidden;",
    );
    browser.keys("\u{E00C}"); // Esc: cancelled
    browser.keys("e"); // the proposal, selected: what is typed replaces it
    browser.until(
        "the edit box",
        "return !document.getElementById('edit').hidden;",
    );
    let undo_before = browser
        .script("return state.undo.length;")
        .as_u64()
        .unwrap();
    browser.keys("Zona\u{E007}");
    wait_for("an edit on disk", || {
        decision_on_disk(&out, &third) == (Decision::Edited, Some("Zona".into()))
    });
    // Undo the edit, once the page has its answer (the file is written before it).
    browser.until(
        "the page's record of the edit",
        &format!("return state.undo.length === {};", undo_before + 1),
    );
    browser.keys("u");
    wait_for("the undo on disk", || {
        decision_on_disk(&out, &third).0 == Decision::Pending
    });

    // Every identical change in the batch at once (`publico` → público is proposed in two
    // documents), then undone.
    browser.open(&format!("{}#path=un-005.eng-clean.ocr.txt", served.url));
    browser.until(
        "the document",
        "return state.doc && state.doc.path === 'un-005.eng-clean.ocr.txt';",
    );
    let k = browser.script("const k = state.doc.items.findIndex(i => i.original === 'publico' && i.decision === 'pending'); select(k); return k;");
    let here = (
        "un-005.eng-clean.ocr.txt".to_string(),
        k.as_u64().unwrap() as usize,
    );
    let there = review_of(&out, "un-010.eng-degraded.ocr.txt")
        .items
        .iter()
        .position(|i| i.original == "publico" && i.proposal.as_deref() == Some("público"))
        .map(|k| ("un-010.eng-degraded.ocr.txt".to_string(), k))
        .expect("the same change in another document");
    let undo_before = browser
        .script("return state.undo.length;")
        .as_u64()
        .unwrap();
    browser.keys("A");
    wait_for("the group on disk", || {
        decision_on_disk(&out, &here).0 == Decision::Accepted
            && decision_on_disk(&out, &there).0 == Decision::Accepted
    });
    browser.until(
        "the page's record of the group",
        &format!("return state.undo.length === {};", undo_before + 1),
    );
    browser.keys("u");
    wait_for("the group undone", || {
        decision_on_disk(&out, &here).0 == Decision::Pending
            && decision_on_disk(&out, &there).0 == Decision::Pending
    });

    // Reload: what was decided is shown decided.
    browser.open(&format!("{}#path=un-015.hocr", served.url));
    browser.until("the decisions after a reload", "return document.querySelectorAll('#text .accepted').length >= 1 && document.querySelectorAll('#text .rejected').length >= 1;");

    // Another reviewer (here a script) decides the current item meanwhile: the browser's
    // decision on it is refused and shown, theirs is kept.
    browser.keys("j");
    let contested = current(&browser);
    let id = review_of(&out, &contested.0).items[contested.1].id.clone();
    let o = ocrqa(&[
        "review",
        out.to_str().unwrap(),
        "--reject",
        &id,
        "--reviewer",
        "luis",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    browser.keys("a");
    browser.until(
        "the conflict",
        "return document.getElementById('message').textContent.includes('Not saved');",
    );
    browser.screenshot("conflict");
    assert_eq!(
        decision_on_disk(&out, &contested).0,
        Decision::Rejected,
        "theirs is kept"
    );
    let message = browser.script("return document.getElementById('message').textContent;");
    assert!(message.as_str().unwrap().contains("luis"), "{message}");

    // The report, from the server.
    browser.open(&format!("{}report", served.url));
    browser.until(
        "the report",
        "return document.querySelectorAll('svg').length >= 3;",
    );
    browser.screenshot("report");

    // `ocrqa apply` writes exactly the decided text.
    drop(served);
    let final_dir = tmp.path().join("final");
    let mut apply = common::ocrqa_command();
    let o = apply
        .arg("apply")
        .arg(&out)
        .arg("-o")
        .arg(&final_dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let hocr_reading = {
        let text = fs::read_to_string(tmp.path().join("in/un-015.hocr")).unwrap();
        ocrqa::layout::parse(ocrqa::layout::Format::Hocr, text)
            .unwrap()
            .text
    };
    assert_eq!(
        fs::read_to_string(final_dir.join("un-015.hocr.txt")).unwrap(),
        decided_text(&review_of(&out, "un-015.hocr"), &hocr_reading)
    );
    let seed = fs::read_to_string(tmp.path().join("in").join(SEED)).unwrap();
    assert_eq!(
        fs::read_to_string(final_dir.join(SEED)).unwrap(),
        decided_text(&review_of(&out, SEED), &seed)
    );
}

/// `text` with what `review` decided: the accepted and edited changes, and the automatic ones
/// nobody decided.
fn decided_text(review: &ReviewFile, text: &str) -> String {
    let edits: Vec<Edit> = review
        .items
        .iter()
        .filter_map(|i| {
            let text = match i.decision {
                Decision::Accepted | Decision::Edited => i.replacement.clone(),
                Decision::Pending if i.applied && i.applicability == ocrqa::Applicability::Auto => {
                    i.proposal.clone()
                }
                _ => None,
            }?;
            Some(Edit {
                span: i.span,
                replacement: text,
            })
        })
        .collect();
    apply_edits(text, &edits).0
}
