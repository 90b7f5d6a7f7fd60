//! The interactive review: one screen per group of identical changes (or per item, when a
//! group is opened or has one item left), single keys, every decision saved before the next
//! key is read. Plain output at most 80 columns wide, fitted to the terminal's height (what
//! does not fit goes, context first; below 60×14 the review says the terminal is too small);
//! colour only on a colour terminal without NO_COLOR. `?` shows every key.

use super::screen::{head, Lines, Screen};
use console::Key;
use ocrqa::review::{
    in_session, Decision, Group, ItemRef, QueueEntry, ReviewError, ReviewItem, ReviewSet, Stamp,
    Undo, Verdict,
};
use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;

/// Groups show this many contexts.
const GROUP_SAMPLES: usize = 3;

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

/// One key's worth of decisions, undone together, and the screen it was made on.
type Step = (Vec<Undo>, usize);

/// The keys of each kind of screen, all of them, for `?`.
const HELP: &[&str] = &[
    "A change made three times or more (one screen for all its places):",
    "  a accept all    r reject all    1-9 take that alternative for all",
    "  e edit: type the replacement for all    o open the places one by one",
    "A page of smaller changes of one kind:",
    "  1-9 mark a line    a accept the page (marked lines rejected)",
    "  r reject the page (marked lines accepted)    o then 1-9: open a line",
    "One place (opened from a group or a page):",
    "  a accept    r reject    1-9 alternative    e edit    s skip    b back",
    "Everywhere: s skip the screen    u undo the last key's decisions",
    "  ? this help    [q]uit, or Esc (every decision is already saved)",
    "In the edit prompt: Enter saves, Esc or an empty line cancels.",
];

pub fn session(set: &mut ReviewSet, stamp: Stamp, all: bool) -> anyhow::Result<()> {
    let mut screen = Screen::new();
    let mut sources = Sources(HashMap::new());
    let queue = set.queue(|item| in_session(item, all));
    let total: usize = queue.iter().map(|e| entry_pending(set, e)).sum();
    let mut undo: Vec<Step> = Vec::new();
    let mut cursor = 0;
    let mut marks: BTreeSet<usize> = BTreeSet::new();
    // Items opened from a group or a page line, gone through one by one.
    let mut walking: Vec<ItemRef> = Vec::new();
    let mut saved = 0usize;
    // What the last key could not do (another reviewer decided first), shown once.
    let mut notice: Option<String> = None;
    loop {
        if !screen.fits()? {
            if screen.term.read_key()? == Key::Char('q') {
                return finish(&screen, saved);
            }
            continue;
        }
        walking.retain(|&r| set.item(r).decision == Decision::Pending);
        while walking.is_empty() && cursor < queue.len() && entry_pending(set, &queue[cursor]) == 0
        {
            cursor += 1;
            marks.clear();
        }
        let left = queue.iter().filter(|e| entry_pending(set, e) > 0).count();
        let waiting: usize = queue.iter().map(|e| entry_pending(set, e)).sum();
        let mut lines = Lines::default();
        lines.must(format!(
            "ocrqa review · decided {} / {total} · screens left {left} · ? keys",
            total - waiting
        ));
        match notice.take() {
            Some(text) => lines.must(head(&text, screen.width - 1)),
            None => lines.spacer(),
        }
        if walking.is_empty() && cursor >= queue.len() {
            if left == 0 {
                lines.must(
                    "Everything is decided. Write the final texts with `ocrqa apply`.".into(),
                );
                screen.show(lines)?;
                return finish(&screen, saved);
            }
            lines.must(format!("End of the queue; {left} screens were skipped."));
            lines.must("[Enter] go over them again   [u]ndo   [q]uit".into());
            screen.show(lines)?;
            match screen.term.read_key()? {
                Key::Char('q') | Key::Escape => return finish(&screen, saved),
                Key::Char('u') => step_back(set, &mut undo, &mut cursor, &mut saved, &mut notice),
                Key::Char('?') => help(&screen)?,
                _ => cursor = 0,
            }
            continue;
        }
        // What the key decides: the item walked, the group, or the page's lines.
        let step: Option<Vec<(Vec<ItemRef>, Verdict)>> = if let Some(&item) = walking.first() {
            item_lines(&screen, set, &mut sources, item, &mut lines);
            lines.spacer();
            lines.must(
                "[a]ccept [r]eject [1-9] alternative [e]dit [s]kip [b]ack [u]ndo [q]uit".into(),
            );
            screen.show(lines)?;
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
                    Answer::Quit => return finish(&screen, saved),
                    Answer::Undo => {
                        walking.clear();
                        step_back(set, &mut undo, &mut cursor, &mut saved, &mut notice);
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
                    lines.spacer();
                    lines.must(
                        "[a]ccept all  [r]eject all  [1-9] alternative for all  [e]dit all".into(),
                    );
                    lines.must("[o]pen the items one by one  [s]kip  [u]ndo  [q]uit".into());
                    screen.show(lines)?;
                    match one_verdict(&screen, &first, screen.term.read_key()?)? {
                        Answer::Verdict(v) => Some(vec![(open, v)]),
                        Answer::Quit => return finish(&screen, saved),
                        Answer::Undo => {
                            step_back(set, &mut undo, &mut cursor, &mut saved, &mut notice);
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
                    let at = (cursor, queue.len());
                    page_lines(&screen, set, at, repair, &shown, &marks, &mut lines);
                    lines.spacer();
                    lines.must(
                        "[1-9] mark  [a]ccept page, marked rejected  [r]eject page, marked \
                         accepted"
                            .into(),
                    );
                    lines.must("[o]pen a line  [s]kip  [u]ndo  [?] keys  [q]uit".into());
                    screen.show(lines)?;
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
                            step_back(set, &mut undo, &mut cursor, &mut saved, &mut notice);
                            None
                        }
                        Key::Char('?') => {
                            help(&screen)?;
                            None
                        }
                        Key::Char('q') | Key::Escape => return finish(&screen, saved),
                        _ => None,
                    }
                }
            }
        };
        if let Some(decisions) = step {
            let mut undone = Vec::new();
            for (refs, verdict) in decisions {
                match set.decide(&refs, &verdict, &stamp) {
                    Ok(made) => {
                        saved += made.len();
                        undone.push(made);
                    }
                    Err(e @ (ReviewError::Conflict { .. } | ReviewError::Rewritten { .. })) => {
                        notice = Some(format!("Not saved: {e}"));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            undo.push((undone, cursor));
            marks.clear();
        }
    }
}

/// Every key, until a key is pressed.
fn help(screen: &Screen) -> anyhow::Result<()> {
    let mut lines = Lines::default();
    lines.must("ocrqa review · keys · any key goes back · [q]uit from the screen".into());
    for line in HELP {
        lines.must(head(line, screen.width - 1));
    }
    screen.show(lines)?;
    screen.term.read_key()?;
    Ok(())
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
        Key::Char('e') => match screen.prompt(&format!("replace {:?} with", first.original))? {
            Some(text) => Answer::Verdict(Verdict::edit(&text)),
            None => Answer::Other(key),
        },
        Key::Char('?') => {
            help(screen)?;
            Answer::Other(key)
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
    lines: &mut Lines,
) {
    let width = screen.width;
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
    lines.must(head(&title, width - 1));
    for &r in open.iter().take(GROUP_SAMPLES) {
        let item = set.item(r);
        let location = format!("{}:{}", set.docs[r.doc].review.source.path, item.line);
        lines.context(format!("  {}", head(&location, width - 3)));
        lines.must(format!(
            "    {}",
            screen.change(
                width - 5,
                &item.context.before,
                &item.original,
                item.proposal.as_deref(),
                &item.context.after
            )
        ));
    }
    if open.len() > GROUP_SAMPLES {
        lines.context(format!("  … and {} more", open.len() - GROUP_SAMPLES));
    }
    why_lines(screen, first, lines);
}

/// A page: one line per change, with its count, one context and where it is.
fn page_lines(
    screen: &Screen,
    set: &ReviewSet,
    (at, screens): (usize, usize),
    repair: &str,
    groups: &[&Group],
    marks: &BTreeSet<usize>,
    lines: &mut Lines,
) {
    let width = screen.width;
    let title = format!(
        "Screen {} of {screens}: {} changes of one kind: {repair}",
        at + 1,
        groups.len()
    );
    lines.must(head(&title, width - 1));
    for (k, g) in groups.iter().enumerate() {
        let open = pending(set, g);
        let item = set.item(open[0]);
        let mark = if marks.contains(&k) { "*" } else { " " };
        let count = if open.len() > 1 {
            format!(" ×{}", open.len())
        } else {
            String::new()
        };
        lines.must(format!(
            "{}{mark} {}{count}",
            k + 1,
            screen.change(
                width - 12 - count.chars().count(),
                &item.context.before,
                &item.original,
                item.proposal.as_deref(),
                &item.context.after
            )
        ));
        lines.context(
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

/// Undoes the last key's decisions; what another reviewer decided since is left, and said.
fn step_back(
    set: &mut ReviewSet,
    undo: &mut Vec<Step>,
    cursor: &mut usize,
    saved: &mut usize,
    notice: &mut Option<String>,
) {
    if let Some((undone, at)) = undo.pop() {
        for before in undone.into_iter().rev() {
            let items = before.len();
            match set.undo(before) {
                Ok(()) => *saved = saved.saturating_sub(items),
                Err(e) => *notice = Some(format!("Not undone: {e}")),
            }
        }
        *cursor = at;
    }
}

fn finish(screen: &Screen, saved: usize) -> anyhow::Result<()> {
    writeln!(
        screen.term.clone(),
        "{saved} decisions saved. Run the same command again to continue."
    )?;
    Ok(())
}

/// One item: where it is, its line with a line of context each side, why, alternatives.
fn item_lines(
    screen: &Screen,
    set: &ReviewSet,
    sources: &mut Sources,
    r: ItemRef,
    lines: &mut Lines,
) {
    let width = screen.width;
    let item = set.item(r);
    let path = &set.docs[r.doc].review.source.path;
    let location = format!(
        "{path}, line {}, column {} ({})",
        item.line, item.column, item.applicability
    );
    lines.must(head(&location, width - 1));
    match sources.text(set, r.doc) {
        Some(text) => {
            let starts = ocrqa::document::line_starts(text);
            let line_text = |k: usize| {
                let end = starts.get(k + 1).copied().unwrap_or(text.len());
                text.get(starts[k]..end)
                    .unwrap_or("")
                    .trim_end_matches(['\n', '\r'])
            };
            let line = item.line - 1;
            let line_start = starts[line];
            if line > 0 {
                let prev = line_text(line - 1);
                lines.context(screen.dim.apply_to(head(prev, width - 3)).to_string());
            }
            let own = line_text(line);
            let (from, to) = (
                item.span.start - line_start,
                (item.span.end - line_start).min(own.len()),
            );
            lines.must(screen.change(
                width - 1,
                own.get(..from).unwrap_or(""),
                &item.original,
                item.proposal.as_deref(),
                own.get(to..).unwrap_or(""),
            ));
            if line + 1 < starts.len() {
                let next = line_text(line + 1);
                lines.context(screen.dim.apply_to(head(next, width - 3)).to_string());
            }
        }
        None => lines.must(screen.change(
            width - 1,
            &item.context.before,
            &item.original,
            item.proposal.as_deref(),
            &item.context.after,
        )),
    }
    why_lines(screen, item, lines);
}

fn why_lines(screen: &Screen, item: &ReviewItem, lines: &mut Lines) {
    let width = screen.width;
    let reasons: Vec<String> = item.reasons.iter().map(|r| r.to_string()).collect();
    lines.context(head(&format!("why: {}", reasons.join(", ")), width - 1));
    let alternatives: Vec<String> = item
        .alternatives
        .iter()
        .take(9)
        .enumerate()
        .map(|(i, a)| format!("{} {} ({:.1})", i + 1, a.text, a.score))
        .collect();
    if !alternatives.is_empty() {
        lines.must(
            screen
                .dim
                .apply_to(head(&alternatives.join("  "), width - 1))
                .to_string(),
        );
    }
}
