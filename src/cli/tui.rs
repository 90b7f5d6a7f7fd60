//! The interactive review: one screen per group of identical changes (or per item, when a
//! group is opened or has one item left), single keys, every decision saved before the next
//! key is read. Plain output that fits 80 columns; colour only on a colour terminal without
//! NO_COLOR.

use super::review::in_session;
use console::{Key, Style, Term};
use ocrqa::decisions::{Group, ItemRef, ReviewSet, Stamp, Undo, Verdict};
use ocrqa::review::{Decision, ReviewItem};
use std::collections::HashMap;
use std::io::Write as _;

/// Groups show this many contexts.
const GROUP_SAMPLES: usize = 3;
/// Characters shown on each side of a change.
const SIDE_CHARS: usize = 28;
const WIDTH: usize = 80;

struct Screen {
    term: Term,
    red: Style,
    green: Style,
    dim: Style,
}

impl Screen {
    fn new() -> Screen {
        let colour = console::colors_enabled();
        Screen {
            term: Term::stdout(),
            red: Style::new().red().force_styling(colour),
            green: Style::new().green().bold().force_styling(colour),
            dim: Style::new().dim().force_styling(colour),
        }
    }

    fn show(&self, lines: &[String]) -> std::io::Result<()> {
        if self.term.features().is_attended() && std::env::var("TERM").is_ok_and(|t| t != "dumb") {
            self.term.clear_screen()?;
        }
        let mut out = self.term.clone();
        for line in lines {
            writeln!(out, "{line}")?;
        }
        out.flush()
    }

    /// `before[original→proposal]after`, the change marked with brackets (and colour).
    fn change(&self, before: &str, original: &str, proposal: Option<&str>, after: &str) -> String {
        let before = tail(before, SIDE_CHARS);
        let after = head(after, SIDE_CHARS);
        let proposal = proposal.map_or("?".to_string(), |p| format!("{p:?}"));
        format!(
            "{before}[{}→{}]{after}",
            self.red.apply_to(format!("{original:?}")),
            self.green.apply_to(proposal)
        )
    }
}

fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    let text: String = s.chars().skip(count.saturating_sub(n)).collect();
    if count > n {
        format!("…{text}")
    } else {
        text
    }
}

fn head(s: &str, n: usize) -> String {
    let text: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        format!("{text}…")
    } else {
        text
    }
}

/// The source texts, read once each, for showing whole lines; `None` when a source is gone
/// or changed (the review file's own context is shown then).
struct Sources(HashMap<usize, Option<String>>);

impl Sources {
    fn text<'a>(&'a mut self, set: &ReviewSet, doc: usize) -> Option<&'a str> {
        self.0
            .entry(doc)
            .or_insert_with(|| {
                let review = &set.docs[doc].review;
                let path = ocrqa::decisions::source_path(review, None)?;
                let text = std::fs::read_to_string(path).ok()?;
                (ocrqa::hash::fingerprint(text.as_bytes()) == review.source.fingerprint)
                    .then_some(text)
            })
            .as_deref()
    }
}

enum View {
    Group,
    /// The group's pending items one by one.
    Items,
}

pub fn session(set: &mut ReviewSet, stamp: Stamp, all: bool) -> anyhow::Result<()> {
    let screen = Screen::new();
    let mut sources = Sources(HashMap::new());
    let groups = set.groups(|item| in_session(item, all));
    let total: usize = groups.iter().map(|g| g.items.len()).sum();
    let mut undo: Vec<(Undo, usize)> = Vec::new();
    let mut cursor = 0;
    let mut view = View::Group;
    let mut decided_now = 0usize;
    let mut skipped_items: Vec<ItemRef> = Vec::new();
    loop {
        let pending = |set: &ReviewSet, g: &Group| -> Vec<ItemRef> {
            g.items
                .iter()
                .copied()
                .filter(|&r| set.item(r).decision == Decision::Pending)
                .collect()
        };
        while cursor < groups.len() && pending(set, &groups[cursor]).is_empty() {
            cursor += 1;
            view = View::Group;
        }
        let left = groups
            .iter()
            .filter(|g| !pending(set, g).is_empty())
            .count();
        let waiting: usize = groups.iter().map(|g| pending(set, g).len()).sum();
        let progress = format!(
            "ocrqa review · decided {} / {total} · groups left {left}",
            total - waiting
        );
        if cursor >= groups.len() {
            if left == 0 {
                screen.show(&[
                    progress,
                    String::new(),
                    "Everything is decided. Write the final texts with `ocrqa apply`.".into(),
                ])?;
                return Ok(());
            }
            screen.show(&[
                progress,
                String::new(),
                format!("End of the queue; {left} groups were skipped."),
                "[Enter] go over them again   [u]ndo   [q]uit".into(),
            ])?;
            match screen.term.read_key()? {
                Key::Char('q') => return finish(&screen, decided_now),
                Key::Char('u') => step_back(set, &mut undo, &mut cursor, &mut view)?,
                _ => {
                    cursor = 0;
                    skipped_items.clear();
                }
            }
            continue;
        }
        let group = &groups[cursor];
        let mut open = pending(set, group);
        open.retain(|r| !skipped_items.contains(r));
        let single = matches!(view, View::Items) || open.len() == 1;
        if open.is_empty() {
            cursor += 1;
            view = View::Group;
            continue;
        }
        let target: Vec<ItemRef> = if single { vec![open[0]] } else { open.clone() };
        let first = set.item(target[0]).clone();
        let mut lines = vec![progress, String::new()];
        if single {
            item_lines(&screen, set, &mut sources, target[0], &mut lines);
        } else {
            lines.push(format!(
                "Group {} of {}: {:?} → {}  ({} items, {} document(s))",
                cursor + 1,
                groups.len(),
                first.original,
                first
                    .proposal
                    .as_deref()
                    .map_or("?".into(), |p| format!("{p:?}")),
                open.len(),
                documents(&open)
            ));
            for &r in open.iter().take(GROUP_SAMPLES) {
                let item = set.item(r);
                lines.push(format!(
                    "  {}:{}  {}",
                    set.docs[r.doc].review.source.path,
                    item.line,
                    screen.change(
                        &item.context.before,
                        &item.original,
                        item.proposal.as_deref(),
                        &item.context.after
                    )
                ));
            }
            if open.len() > GROUP_SAMPLES {
                lines.push(format!("  … and {} more", open.len() - GROUP_SAMPLES));
            }
            why_lines(&screen, &first, &mut lines);
        }
        lines.push(String::new());
        lines.push(if single {
            "[a]ccept [r]eject [1-9] alternative [e]dit [s]kip [u]ndo [q]uit".into()
        } else {
            "[a]ccept all [r]eject all [1-9] alternative [e]dit [o]pen items [s]kip [u]ndo [q]uit"
                .into()
        });
        screen.show(&lines)?;
        let verdict = match screen.term.read_key()? {
            Key::Char('a') if first.proposal.is_some() => Some(Verdict::accept()),
            Key::Char('r') => Some(Verdict::reject()),
            Key::Char(c @ '1'..='9') => {
                let k = c as usize - '1' as usize;
                first.alternatives.get(k).map(|a| Verdict::choose(&a.text))
            }
            Key::Char('e') => {
                write!(
                    screen.term.clone(),
                    "replace {:?} with (Enter saves): ",
                    first.original
                )?;
                Some(Verdict::edit(&screen.term.read_line()?))
            }
            Key::Char('o') if !single => {
                view = View::Items;
                None
            }
            Key::Char('s') => {
                if single && matches!(view, View::Items) {
                    skipped_items.push(target[0]);
                } else {
                    cursor += 1;
                    view = View::Group;
                }
                None
            }
            Key::Char('u') => {
                step_back(set, &mut undo, &mut cursor, &mut view)?;
                None
            }
            Key::Char('q') | Key::Escape => return finish(&screen, decided_now),
            _ => None,
        };
        if let Some(verdict) = verdict {
            let before = set.decide(&target, &verdict, &stamp)?;
            decided_now += target.len();
            undo.push((before, cursor));
        }
    }
}

fn documents(refs: &[ItemRef]) -> usize {
    let mut docs: Vec<usize> = refs.iter().map(|r| r.doc).collect();
    docs.dedup();
    docs.len()
}

fn step_back(
    set: &mut ReviewSet,
    undo: &mut Vec<(Undo, usize)>,
    cursor: &mut usize,
    view: &mut View,
) -> anyhow::Result<()> {
    if let Some((before, at)) = undo.pop() {
        set.undo(before)?;
        *cursor = at;
        *view = View::Group;
    }
    Ok(())
}

fn finish(screen: &Screen, decided: usize) -> anyhow::Result<()> {
    writeln!(
        screen.term.clone(),
        "{decided} decisions saved. Run the same command again to continue."
    )?;
    Ok(())
}

/// One item: where it is, its line with a line of context each side, why, alternatives.
fn item_lines(
    screen: &Screen,
    set: &ReviewSet,
    sources: &mut Sources,
    r: ItemRef,
    lines: &mut Vec<String>,
) {
    let item = set.item(r);
    let path = &set.docs[r.doc].review.source.path;
    lines.push(format!(
        "{path}, line {}, column {} ({})",
        item.line, item.column, item.applicability
    ));
    match sources.text(set, r.doc) {
        Some(text) => {
            let all: Vec<&str> = text.lines().collect();
            let line = item.line - 1;
            let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
            if line > 0 {
                let prev = all[line - 1];
                lines.push(screen.dim.apply_to(head(prev, WIDTH - 3)).to_string());
            }
            let own = all.get(line).copied().unwrap_or("");
            let (from, to) = (
                item.span.start - line_start,
                (item.span.end - line_start).min(own.len()),
            );
            let after = own.get(to..).unwrap_or("");
            lines.push(screen.change(
                own.get(..from).unwrap_or(""),
                &item.original,
                item.proposal.as_deref(),
                after,
            ));
            if let Some(next) = all.get(line + 1) {
                lines.push(screen.dim.apply_to(head(next, WIDTH - 3)).to_string());
            }
        }
        None => lines.push(screen.change(
            &item.context.before,
            &item.original,
            item.proposal.as_deref(),
            &item.context.after,
        )),
    }
    why_lines(screen, item, lines);
}

fn why_lines(screen: &Screen, item: &ReviewItem, lines: &mut Vec<String>) {
    let reasons: Vec<String> = item.reasons.iter().map(|r| r.to_string()).collect();
    lines.push(format!("why: {}", reasons.join(", ")));
    let alternatives: Vec<String> = item
        .alternatives
        .iter()
        .take(9)
        .enumerate()
        .map(|(i, a)| format!("{} {} ({:.1})", i + 1, a.text, a.score))
        .collect();
    if !alternatives.is_empty() {
        lines.push(
            screen
                .dim
                .apply_to(head(&alternatives.join("  "), WIDTH - 1))
                .to_string(),
        );
    }
}
