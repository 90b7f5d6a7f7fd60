//! The interactive review: one screen per group of identical changes (or per item, when a
//! group is opened or has one item left), single keys, every decision saved before the next
//! key is read. Plain output that fits 80 columns; colour only on a colour terminal without
//! NO_COLOR.

use console::{Key, Style, Term};
use ocrqa::review::{
    in_session, Decision, Group, ItemRef, QueueEntry, ReviewItem, ReviewSet, Stamp, Undo, Verdict,
};
use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;

/// Groups show this many contexts.
const GROUP_SAMPLES: usize = 3;
/// Characters shown on each side of a change.
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

    /// `before[original→proposal]after` in `width` columns at most: the change marked with
    /// brackets (and colour), as much context as fits on each side.
    fn change(
        &self,
        width: usize,
        before: &str,
        original: &str,
        proposal: Option<&str>,
        after: &str,
    ) -> String {
        let original = format!("{original:?}");
        let proposal = proposal.map_or("?".to_string(), |p| format!("{p:?}"));
        let marks = original.chars().count() + proposal.chars().count() + 3;
        // Each side gets half of what is left, less its ellipsis.
        let side = width.saturating_sub(marks) / 2;
        let before = tail(before, side.saturating_sub(1));
        let after = head(after, side.saturating_sub(1));
        format!(
            "{before}[{}→{}]{after}",
            self.red.apply_to(original),
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
                let path = ocrqa::apply::source_path(review, None)?;
                let text = std::fs::read_to_string(path).ok()?;
                (ocrqa::hash::fingerprint(text.as_bytes()) == review.source.fingerprint)
                    .then_some(text)
            })
            .as_deref()
    }
}

/// Pending items of a group.
fn pending(set: &ReviewSet, group: &Group) -> Vec<ItemRef> {
    group
        .items
        .iter()
        .copied()
        .filter(|&r| set.item(r).decision == Decision::Pending)
        .collect()
}

fn entry_pending(set: &ReviewSet, entry: &QueueEntry) -> usize {
    entry.groups().iter().map(|g| pending(set, g).len()).sum()
}

/// One key's worth of decisions, undone together.
type Step = (Vec<Undo>, usize);

pub fn session(set: &mut ReviewSet, stamp: Stamp, all: bool) -> anyhow::Result<()> {
    let screen = Screen::new();
    let mut sources = Sources(HashMap::new());
    let queue = set.queue(|item| in_session(item, all));
    let total: usize = queue.iter().map(|e| entry_pending(set, e)).sum();
    let mut undo: Vec<Step> = Vec::new();
    let mut cursor = 0;
    let mut marks: BTreeSet<usize> = BTreeSet::new();
    // Items opened from a group or a page line, gone through one by one.
    let mut walking: Vec<ItemRef> = Vec::new();
    let mut decided_now = 0usize;
    loop {
        walking.retain(|&r| set.item(r).decision == Decision::Pending);
        while walking.is_empty() && cursor < queue.len() && entry_pending(set, &queue[cursor]) == 0
        {
            cursor += 1;
            marks.clear();
        }
        let left = queue.iter().filter(|e| entry_pending(set, e) > 0).count();
        let waiting: usize = queue.iter().map(|e| entry_pending(set, e)).sum();
        let progress = format!(
            "ocrqa review · decided {} / {total} · screens left {left}",
            total - waiting
        );
        if walking.is_empty() && cursor >= queue.len() {
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
                format!("End of the queue; {left} screens were skipped."),
                "[Enter] go over them again   [u]ndo   [q]uit".into(),
            ])?;
            match screen.term.read_key()? {
                Key::Char('q') => return finish(&screen, decided_now),
                Key::Char('u') => step_back(set, &mut undo, &mut cursor)?,
                _ => cursor = 0,
            }
            continue;
        }
        let mut lines = vec![progress, String::new()];
        // What the key decides: the item walked, the group, or the page's lines.
        let step: Option<Vec<(Vec<ItemRef>, Verdict)>> = if let Some(&item) = walking.first() {
            item_lines(&screen, set, &mut sources, item, &mut lines);
            lines.push(String::new());
            lines.push(
                "[a]ccept [r]eject [1-9] alternative [e]dit [s]kip [b]ack [u]ndo [q]uit".into(),
            );
            screen.show(&lines)?;
            let first = set.item(item).clone();
            match screen.term.read_key()? {
                Key::Char('s') => {
                    walking.remove(0);
                    None
                }
                Key::Char('b') => {
                    walking.clear();
                    None
                }
                key => match one_verdict(&screen, &first, key)? {
                    Answer::Verdict(v) => Some(vec![(vec![item], v)]),
                    Answer::Quit => return finish(&screen, decided_now),
                    Answer::Undo => {
                        walking.clear();
                        step_back(set, &mut undo, &mut cursor)?;
                        None
                    }
                    Answer::Other(_) => None,
                },
            }
        } else {
            match &queue[cursor] {
                QueueEntry::Group(group) => {
                    let open = pending(set, group);
                    let first = set.item(open[0]).clone();
                    group_lines(&screen, set, cursor, queue.len(), &open, &mut lines);
                    lines.push(String::new());
                    lines.push(
                        "[a]ccept all  [r]eject all  [1-9] alternative for all  [e]dit all".into(),
                    );
                    lines.push("[o]pen the items one by one  [s]kip  [u]ndo  [q]uit".into());
                    screen.show(&lines)?;
                    match one_verdict(&screen, &first, screen.term.read_key()?)? {
                        Answer::Verdict(v) => Some(vec![(open, v)]),
                        Answer::Quit => return finish(&screen, decided_now),
                        Answer::Undo => {
                            step_back(set, &mut undo, &mut cursor)?;
                            None
                        }
                        Answer::Other(Key::Char('o')) => {
                            walking = open;
                            None
                        }
                        Answer::Other(Key::Char('s')) => {
                            cursor += 1;
                            None
                        }
                        Answer::Other(_) => None,
                    }
                }
                QueueEntry::Page {
                    repair,
                    lines: groups,
                } => {
                    let shown: Vec<&Group> = groups
                        .iter()
                        .filter(|g| !pending(set, g).is_empty())
                        .collect();
                    page_lines(
                        &screen,
                        set,
                        cursor,
                        queue.len(),
                        repair,
                        &shown,
                        &marks,
                        &mut lines,
                    );
                    lines.push(String::new());
                    lines.push("[1-9] mark  [a]ccept page, marked rejected  [r]eject page, marked accepted".into());
                    lines.push("[o]pen a line  [s]kip  [u]ndo  [q]uit".into());
                    screen.show(&lines)?;
                    match screen.term.read_key()? {
                        Key::Char(c @ '1'..='9') => {
                            let k = c as usize - '1' as usize;
                            if k < shown.len() && !marks.remove(&k) {
                                marks.insert(k);
                            }
                            None
                        }
                        Key::Char(c @ ('a' | 'r')) => Some(
                            shown
                                .iter()
                                .enumerate()
                                .map(|(k, g)| {
                                    let accept = (c == 'a') != marks.contains(&k);
                                    let open = pending(set, g);
                                    let has_proposal = set.item(open[0]).proposal.is_some();
                                    let verdict = if accept && has_proposal {
                                        Verdict::accept()
                                    } else {
                                        Verdict::reject()
                                    };
                                    (open, verdict)
                                })
                                .collect(),
                        ),
                        Key::Char('o') => {
                            if let Key::Char(c @ '1'..='9') = screen.term.read_key()? {
                                if let Some(g) = shown.get(c as usize - '1' as usize) {
                                    walking = pending(set, g);
                                }
                            }
                            None
                        }
                        Key::Char('s') => {
                            cursor += 1;
                            marks.clear();
                            None
                        }
                        Key::Char('u') => {
                            step_back(set, &mut undo, &mut cursor)?;
                            None
                        }
                        Key::Char('q') | Key::Escape => return finish(&screen, decided_now),
                        _ => None,
                    }
                }
            }
        };
        if let Some(decisions) = step {
            let mut undone = Vec::new();
            for (refs, verdict) in decisions {
                decided_now += refs.len();
                undone.push(set.decide(&refs, &verdict, &stamp)?);
            }
            undo.push((undone, cursor));
            marks.clear();
        }
    }
}

/// What a key means on a screen that decides one change (an item, or a group).
enum Answer {
    Verdict(Verdict),
    Undo,
    Quit,
    Other(Key),
}

fn one_verdict(screen: &Screen, first: &ReviewItem, key: Key) -> anyhow::Result<Answer> {
    Ok(match key {
        Key::Char('a') if first.proposal.is_some() => Answer::Verdict(Verdict::accept()),
        Key::Char('r') => Answer::Verdict(Verdict::reject()),
        Key::Char(c @ '1'..='9') => match first.alternatives.get(c as usize - '1' as usize) {
            Some(a) => Answer::Verdict(Verdict::choose(&a.text)),
            None => Answer::Other(key),
        },
        Key::Char('e') => {
            write!(
                screen.term.clone(),
                "replace {:?} with (Enter saves): ",
                first.original
            )?;
            Answer::Verdict(Verdict::edit(&screen.term.read_line()?))
        }
        Key::Char('u') => Answer::Undo,
        Key::Char('q') | Key::Escape => Answer::Quit,
        other => Answer::Other(other),
    })
}

fn group_lines(
    screen: &Screen,
    set: &ReviewSet,
    at: usize,
    screens: usize,
    open: &[ItemRef],
    lines: &mut Vec<String>,
) {
    let first = set.item(open[0]);
    let title = format!(
        "Screen {} of {screens}: {:?} → {}  ({} items, {} document(s))",
        at + 1,
        first.original,
        first
            .proposal
            .as_deref()
            .map_or("?".into(), |p| format!("{p:?}")),
        open.len(),
        documents(open)
    );
    lines.push(head(&title, WIDTH - 1));
    for &r in open.iter().take(GROUP_SAMPLES) {
        let item = set.item(r);
        let location = format!("{}:{}", set.docs[r.doc].review.source.path, item.line);
        lines.push(format!("  {}", head(&location, WIDTH - 3)));
        lines.push(format!(
            "    {}",
            screen.change(
                WIDTH - 5,
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
    why_lines(screen, first, lines);
}

/// A page: one line per change, with its count, one context and where it is.
#[allow(clippy::too_many_arguments)]
fn page_lines(
    screen: &Screen,
    set: &ReviewSet,
    at: usize,
    screens: usize,
    repair: &str,
    groups: &[&Group],
    marks: &BTreeSet<usize>,
    lines: &mut Vec<String>,
) {
    let title = format!(
        "Screen {} of {screens}: {} changes of one kind: {repair}",
        at + 1,
        groups.len()
    );
    lines.push(head(&title, WIDTH - 1));
    for (k, g) in groups.iter().enumerate() {
        let open = pending(set, g);
        let item = set.item(open[0]);
        let mark = if marks.contains(&k) { "*" } else { " " };
        let count = if open.len() > 1 {
            format!(" ×{}", open.len())
        } else {
            String::new()
        };
        lines.push(format!(
            "{}{mark} {}{count}",
            k + 1,
            screen.change(
                WIDTH - 12 - count.chars().count(),
                &item.context.before,
                &item.original,
                item.proposal.as_deref(),
                &item.context.after
            )
        ));
        lines.push(
            screen
                .dim
                .apply_to(format!(
                    "     {}:{}",
                    set.docs[open[0].doc].review.source.path, item.line
                ))
                .to_string(),
        );
    }
}

fn documents(refs: &[ItemRef]) -> usize {
    let mut docs: Vec<usize> = refs.iter().map(|r| r.doc).collect();
    docs.dedup();
    docs.len()
}

fn step_back(set: &mut ReviewSet, undo: &mut Vec<Step>, cursor: &mut usize) -> anyhow::Result<()> {
    if let Some((undone, at)) = undo.pop() {
        for before in undone.into_iter().rev() {
            set.undo(before)?;
        }
        *cursor = at;
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
    let location = format!(
        "{path}, line {}, column {} ({})",
        item.line, item.column, item.applicability
    );
    lines.push(head(&location, WIDTH - 1));
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
                WIDTH - 1,
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
            WIDTH - 1,
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
    lines.push(head(&format!("why: {}", reasons.join(", ")), WIDTH - 1));
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
