//! `ocrqa serve DIR`: the review in a web browser, beside the page images. A small local
//! server (tiny_http, one request at a time) over the same review library as the terminal
//! review and `apply`: decisions go through `ReviewSet`, whose writer discipline merges what
//! others saved and refuses to write over a decision made meanwhile (HTTP 409).
//!
//! Safety: it listens on 127.0.0.1 unless told otherwise; every address carries a random
//! token (`/TOKEN/…`) and a request without it is refused; the Host header must name the
//! address it listens on (no DNS rebinding); no file is served by a path from the request:
//! pages, scripts and styles are built in, a page image is found by document and page number
//! from the review files, the report by its fixed name.

use super::args::ServeArgs;
use super::EXIT_OK;
use anyhow::Context as _;
use ocrqa::apply::source_path;
use ocrqa::batch::read_document;
use ocrqa::files::DEFAULT_MAX_BYTES;
use ocrqa::precedents::PRECEDENTS_FILE;
use ocrqa::review::{Decision, ItemRef, ReviewError, ReviewSet, Stamp, Verdict};
use serde_json::{json, Value};
use std::io::Read as _;
use std::path::PathBuf;
use tiny_http::{Header, Method, Request, Response, Server};

const INDEX: &str = include_str!("web/index.html");
const SCRIPT: &str = include_str!("web/app.js");
const STYLE: &str = include_str!("web/app.css");

/// Largest request body read (a decision is a few hundred bytes).
const MAX_BODY: u64 = 64 * 1024;

struct State {
    dir: PathBuf,
    set: ReviewSet,
    token: String,
    /// Host headers accepted: the address listened on, and `localhost` for loopback.
    hosts: Vec<String>,
    reviewer: Option<String>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<i32> {
    if !args.dir.is_dir() {
        anyhow::bail!("{}: not a folder", args.dir.display());
    }
    let precedents = args
        .memory
        .clone()
        .unwrap_or_else(|| args.dir.join(PRECEDENTS_FILE));
    let (set, problems) = ReviewSet::open(&args.dir, Some(precedents))?;
    for p in &problems {
        eprintln!("ocrqa: {p}");
    }
    if set.docs.is_empty() {
        anyhow::bail!("no readable review files under {}", args.dir.display());
    }
    let server = Server::http((args.bind, args.port))
        .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", args.bind, args.port))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .context("no port")?;
    let mut hosts = vec![format!("{}:{port}", host_of(args.bind))];
    if args.bind.is_loopback() {
        hosts.push(format!("localhost:{port}"));
    } else {
        eprintln!(
            "ocrqa: WARNING: listening on {} — other machines can reach this review; anyone \
             with the address below can record decisions",
            args.bind
        );
    }
    let token = random_token();
    println!("http://{}/{token}/", hosts[0]);
    eprintln!("ocrqa: reviewing {} — Ctrl-C stops", args.dir.display());
    let mut state = State {
        dir: args.dir.clone(),
        set,
        token,
        hosts,
        reviewer: args.reviewer.clone(),
    };
    for mut request in server.incoming_requests() {
        // The report is a page of its own: its styles are inline, it has no script.
        let policy = match request
            .url()
            .split('?')
            .next()
            .unwrap_or("")
            .ends_with("/report")
        {
            true => "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
            false => "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'",
        };
        let answer = route(&mut state, &mut request);
        // A browser that went away is no error of the review's.
        let _ = request.respond(response(answer, policy));
    }
    Ok(EXIT_OK)
}

/// How an address is written in a URL and a Host header.
fn host_of(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    }
}

/// 32 hex digits from the system's random source.
fn random_token() -> String {
    let mut bytes = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        // No /dev/urandom: the standard library's randomly keyed hasher, twice.
        use std::hash::{BuildHasher, Hasher};
        for half in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .elapsed()
                    .map_or(0, |d| d.as_nanos()),
            );
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// The response for an answer, with headers that keep the page to itself.
fn response(answer: Answer, policy: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let (status, content_type, body) = answer;
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header("Content-Security-Policy", policy))
}

type Answer = (u16, &'static str, Vec<u8>);

fn text(status: u16, body: &str) -> Answer {
    (
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

fn json_answer(status: u16, value: &Value) -> Answer {
    (status, "application/json", value.to_string().into_bytes())
}

fn route(state: &mut State, request: &mut Request) -> Answer {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase());
    if !host.is_some_and(|h| state.hosts.contains(&h)) {
        return text(403, "refused: unknown Host");
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(state.token.as_str()))
    else {
        return text(403, "refused: the address lacks its token");
    };
    let method = request.method().clone();
    match (method, rest) {
        (Method::Get, "/" | "") => (200, "text/html; charset=utf-8", INDEX.as_bytes().to_vec()),
        (Method::Get, "/app.js") => (200, "text/javascript; charset=utf-8", SCRIPT.into()),
        (Method::Get, "/app.css") => (200, "text/css; charset=utf-8", STYLE.into()),
        (Method::Get, "/api/batch") => json_answer(200, &batch(state)),
        (Method::Get, "/report") => report(state),
        (Method::Get, p) if p.starts_with("/api/doc/") => match number(&p[9..]) {
            Some(d) if d < state.set.docs.len() => match document(state, d) {
                Ok(value) => json_answer(200, &value),
                Err(e) => json_answer(409, &json!({ "error": e.to_string() })),
            },
            _ => text(404, "no such document"),
        },
        (Method::Get, p) if p.starts_with("/image/") => {
            let mut parts = p[7..].split('/');
            match (parts.next().and_then(number), parts.next().and_then(number)) {
                (Some(d), Some(page)) => image(state, d, page),
                _ => text(404, "no such image"),
            }
        }
        (Method::Post, "/api/decide") => {
            let mut body = String::new();
            let read = request.as_reader().take(MAX_BODY).read_to_string(&mut body);
            match read
                .ok()
                .and_then(|_| serde_json::from_str::<Value>(&body).ok())
            {
                Some(value) => decide(state, &value),
                None => text(400, "a JSON body was expected"),
            }
        }
        _ => text(404, "not found"),
    }
}

fn number(text: &str) -> Option<usize> {
    text.parse().ok()
}

/// The documents, worst first (estimated error rate, from the batch report), with their
/// progress.
fn batch(state: &State) -> Value {
    let report = std::fs::read_to_string(state.dir.join("ocrqa-report.json"))
        .ok()
        .and_then(|t| ocrqa::report::BatchReport::from_json(&t).ok());
    let rate = |path: &str| {
        report.as_ref().and_then(|r| {
            r.documents
                .iter()
                .find(|d| d.source == path)
                .map(|d| (d.estimated_error_rate, d.grade.clone()))
        })
    };
    let mut docs: Vec<Value> = state
        .set
        .docs
        .iter()
        .enumerate()
        .map(|(k, doc)| {
            let items = &doc.review.items;
            let awaiting = items.iter().filter(|i| i.awaits_review()).count();
            let decided = items
                .iter()
                .filter(|i| i.decision != Decision::Pending)
                .count();
            let (rate, grade) = rate(&doc.review.source.path).unwrap_or((0.0, "?".into()));
            json!({
                "index": k,
                "path": doc.review.source.path,
                "items": items.len(),
                "awaiting": awaiting,
                "decided": decided,
                "estimated_error_rate": rate,
                "grade": grade,
            })
        })
        .collect();
    docs.sort_by(|a, b| {
        let rate = |v: &Value| v["estimated_error_rate"].as_f64().unwrap_or(0.0);
        rate(b).total_cmp(&rate(a))
    });
    json!({ "documents": docs, "reviewer": state.reviewer })
}

/// A document: its text (when its source is there, unchanged), its items, and the pages that
/// have an image.
fn document(state: &mut State, d: usize) -> Result<Value, ReviewError> {
    state.set.refresh(d)?;
    let doc = &state.set.docs[d];
    let review = &doc.review;
    let text = source_path(review, None)
        .and_then(|path| read_document(&path, DEFAULT_MAX_BYTES, String::new()).ok())
        .map(|(source, _)| source.text)
        .filter(|t| ocrqa::hash::fingerprint(t.as_bytes()) == review.source.fingerprint);
    let pages: Vec<usize> = (1..=pages(state, d).len())
        .filter(|&p| page_image(state, d, p).is_some())
        .collect();
    Ok(json!({
        "index": d,
        "path": review.source.path,
        "version": doc.version,
        "format": review.source.format,
        "text": text,
        "items": review.items,
        "images": pages,
    }))
}

/// The page images a document's items name (by page, from 1), or for a text document the
/// image beside its source with the same stem.
fn pages(state: &State, d: usize) -> Vec<Option<PathBuf>> {
    let review = &state.set.docs[d].review;
    let mut pages: Vec<Option<PathBuf>> = Vec::new();
    for item in &review.items {
        if let Some(layout) = &item.layout {
            if pages.len() < layout.page {
                pages.resize(layout.page, None);
            }
            if let Some(image) = &layout.image {
                pages[layout.page - 1] = Some(PathBuf::from(image));
            }
        }
    }
    if pages.is_empty() && review.source.format.is_none() {
        let beside = source_path(review, None).and_then(|source| {
            ["png", "jpg", "jpeg", "webp", "gif"]
                .iter()
                .map(|e| source.with_extension(e))
                .find(|p| p.is_file())
        });
        pages.push(beside);
    }
    pages
}

fn page_image(state: &State, d: usize, page: usize) -> Option<PathBuf> {
    pages(state, d)
        .get(page.checked_sub(1)?)
        .cloned()
        .flatten()
        .filter(|p| p.is_file())
}

fn image(state: &State, d: usize, page: usize) -> Answer {
    if d >= state.set.docs.len() {
        return text(404, "no such document");
    }
    let Some(path) = page_image(state, d, page) else {
        return text(404, "no image for this page");
    };
    let kind = match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        _ => return text(415, "not an image a browser shows"),
    };
    match std::fs::read(&path) {
        Ok(bytes) => (200, kind, bytes),
        Err(_) => text(404, "image unreadable"),
    }
}

fn report(state: &State) -> Answer {
    match std::fs::read(state.dir.join("ocrqa-report.html")) {
        Ok(bytes) => (200, "text/html; charset=utf-8", bytes),
        Err(_) => text(404, "no ocrqa-report.html in this folder"),
    }
}

/// Records a decision: `{doc, item, expect: {decision, replacement}, verdict, text, group,
/// reviewer}`. `expect` is the item as the browser showed it: if it changed meanwhile, the
/// decision is refused (409) with the item as it is now. `group`: every pending item of the
/// batch that makes the same change too.
fn decide(state: &mut State, body: &Value) -> Answer {
    let (Some(d), Some(k)) = (
        body["doc"].as_u64().map(|v| v as usize),
        body["item"].as_u64().map(|v| v as usize),
    ) else {
        return text(400, "doc and item are needed");
    };
    if d >= state.set.docs.len() || k >= state.set.docs[d].review.items.len() {
        return text(404, "no such item");
    }
    if let Err(e) = state.set.refresh(d) {
        return json_answer(409, &json!({ "error": e.to_string() }));
    }
    let at = ItemRef { doc: d, item: k };
    let now = state.set.item(at).clone();
    let expected_decision = body["expect"]["decision"].as_str().unwrap_or("");
    let expected_replacement = body["expect"]["replacement"].as_str();
    if now.decision.to_string() != expected_decision
        || now.replacement.as_deref() != expected_replacement
    {
        return json_answer(
            409,
            &json!({
                "error": format!("changed meanwhile by {}: it is now {}",
                    now.reviewer.as_deref().unwrap_or("another reviewer"), now.decision),
                "item": now,
            }),
        );
    }
    let typed = body["text"].as_str().unwrap_or("");
    let verdict = match body["verdict"].as_str() {
        Some("accept") => Verdict::accept(),
        Some("reject") => Verdict::reject(),
        Some("choose") => Verdict::choose(typed),
        Some("edit") if !typed.is_empty() => Verdict::edit(typed),
        Some("pending") => Verdict {
            decision: Decision::Pending,
            replacement: None,
        },
        _ => {
            return text(
                400,
                "verdict: accept, reject, choose, edit (with text) or pending",
            )
        }
    };
    let mut refs = vec![at];
    if body["group"].as_bool() == Some(true) {
        refs.extend(state.set.refs().filter(|&r| {
            let item = state.set.item(r);
            r != at
                && item.decision == Decision::Pending
                && item.original == now.original
                && item.proposal == now.proposal
        }));
    }
    let now_utc = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let stamp = Stamp {
        reviewer: body["reviewer"]
            .as_str()
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .or_else(|| state.reviewer.clone()),
        at: Some(ocrqa::review::rfc3339(now_utc)),
    };
    match state.set.decide(&refs, &verdict, &stamp) {
        Ok(_) => {
            let decided: Vec<Value> = refs
                .iter()
                .map(|&r| json!({ "doc": r.doc, "item": r.item, "state": state.set.item(r) }))
                .collect();
            json_answer(200, &json!({ "decided": decided }))
        }
        Err(e @ (ReviewError::Conflict { .. } | ReviewError::Rewritten { .. })) => json_answer(
            409,
            &json!({ "error": e.to_string(), "item": state.set.item(at) }),
        ),
        Err(e) => json_answer(500, &json!({ "error": e.to_string() })),
    }
}
