//! `ocrqa review` (interactive on a terminal, or by options from scripts) and `ocrqa apply`.

use super::args::{ApplyArgs, ReviewArgs};
use super::{tui, EXIT_NOTHING_RAN, EXIT_OK, EXIT_SOME_FAILED};
use anyhow::Context as _;
use ocrqa::precedents::PRECEDENTS_FILE;
use ocrqa::review::{
    in_session, Decision, DecisionExport, Group, ItemRef, QueueEntry, ReviewError, ReviewSet,
    Stamp, Verdict,
};
use std::io::IsTerminal;

pub fn run(args: ReviewArgs) -> anyhow::Result<i32> {
    if let Some(id) = args.accept.iter().find(|id| args.reject.contains(id)) {
        anyhow::bail!("item {id} is both accepted and rejected: give one of --accept, --reject");
    }
    if let Some(change) = args
        .accept_group
        .iter()
        .find(|c| args.reject_group.contains(c))
    {
        anyhow::bail!("{change:?} is both in --accept-group and --reject-group: give one of them");
    }
    if args.accept_level.is_some() && args.reject_level.is_some() {
        anyhow::bail!("--accept-level and --reject-level together: give one of them");
    }
    if !args.dir.is_dir() {
        anyhow::bail!("{}: not a folder", args.dir.display());
    }
    let precedents = args
        .memory
        .clone()
        .unwrap_or_else(|| args.dir.join(PRECEDENTS_FILE));
    let (mut set, problems) = ReviewSet::open(&args.dir, Some(precedents))?;
    for p in &problems {
        eprintln!("ocrqa: {p}");
    }
    if set.docs.is_empty() {
        eprintln!(
            "ocrqa: no readable review files under {}",
            args.dir.display()
        );
        return Ok(EXIT_NOTHING_RAN);
    }
    if args.plan {
        let queue = set.queue(|item| in_session(item, args.all));
        println!("{}", plan_json(&set, &queue));
        return Ok(partly_failed(&problems));
    }
    let scripted = !args.accept.is_empty()
        || !args.reject.is_empty()
        || !args.accept_group.is_empty()
        || !args.reject_group.is_empty()
        || args.accept_level.is_some()
        || args.reject_level.is_some()
        || args.import.is_some()
        || args.export.is_some();
    let partly = partly_failed(&problems);
    if !scripted {
        if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
            eprintln!(
                "ocrqa: review is interactive and needs a terminal; from scripts use \
                 --accept, --reject, --accept-group, --accept-level, --import or --export"
            );
            return Ok(EXIT_NOTHING_RAN);
        }
        tui::session(&mut set, stamp(&args.reviewer), args.all)?;
        return Ok(partly);
    }
    let code = scripted_decisions(&mut set, &args)?;
    Ok(code.max(partly))
}

fn partly_failed(problems: &[ReviewError]) -> i32 {
    if problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    }
}

/// The queue as `--plan` prints it: per screen its kind (`group` or `page`), the repair kind
/// of a page, and per change its original, proposal and items (document, id).
fn plan_json(set: &ReviewSet, queue: &[QueueEntry]) -> String {
    let change = |g: &Group| {
        serde_json::json!({
            "original": g.original,
            "proposal": g.proposal,
            "items": g.items.iter().map(|&r| serde_json::json!({
                "document": set.docs[r.doc].review.source.path,
                "id": set.item(r).id,
            })).collect::<Vec<_>>(),
        })
    };
    let screens: Vec<serde_json::Value> = queue
        .iter()
        .map(|entry| match entry {
            QueueEntry::Group(g) => serde_json::json!({"kind": "group", "changes": [change(g)]}),
            QueueEntry::Page { repair, lines } => serde_json::json!({
                "kind": "page",
                "repair": repair,
                "changes": lines.iter().map(change).collect::<Vec<_>>(),
            }),
        })
        .collect();
    let items: usize = queue
        .iter()
        .flat_map(|e| e.groups())
        .map(|g| g.items.len())
        .sum();
    serde_json::to_string_pretty(&serde_json::json!({
        "items": items,
        "screens": screens.len(),
        "queue": screens,
    }))
    .expect("plan serialises")
}

fn stamp(reviewer: &Option<String>) -> Stamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Stamp {
        reviewer: reviewer.clone(),
        at: Some(ocrqa::review::rfc3339(now)),
    }
}

/// The non-interactive forms, in a fixed order: import, ids, groups, levels, export.
fn scripted_decisions(set: &mut ReviewSet, args: &ReviewArgs) -> anyhow::Result<i32> {
    let mut code = EXIT_OK;
    let mut decided = 0;
    if let Some(path) = &args.import {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let export = DecisionExport::from_json(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let (recorded, unmatched) = set.import(&export)?;
        decided += recorded;
        for d in &unmatched {
            eprintln!(
                "ocrqa: {}: decision on item {} ({:?}) of {} not recorded: no such item, or \
                 nothing to put in",
                path.display(),
                d.id,
                d.original,
                d.document
            );
        }
        if !unmatched.is_empty() {
            code = EXIT_SOME_FAILED;
        }
    }
    let stamp = stamp(&args.reviewer);
    let by_id = [
        (&args.accept, Verdict::accept()),
        (&args.reject, Verdict::reject()),
    ];
    for (ids, verdict) in by_id {
        for id in ids {
            let refs = set.with_id(id);
            if refs.is_empty() {
                eprintln!("ocrqa: no item with id {id}");
                code = EXIT_SOME_FAILED;
            }
            set.decide(&refs, &verdict, &stamp)?;
            decided += refs.len();
        }
    }
    let by_group = [
        (&args.accept_group, Verdict::accept()),
        (&args.reject_group, Verdict::reject()),
    ];
    for (changes, verdict) in by_group {
        for change in changes {
            let (original, proposal) =
                change
                    .split_once("->")
                    .or_else(|| change.split_once('→'))
                    .with_context(|| format!("{change:?}: expected ORIGINAL->PROPOSAL"))?;
            let refs: Vec<ItemRef> = set
                .refs()
                .filter(|&r| {
                    let item = set.item(r);
                    item.decision == Decision::Pending
                        && item.original == original
                        && item.proposal.as_deref() == Some(proposal)
                })
                .collect();
            if refs.is_empty() {
                eprintln!("ocrqa: no pending item changes {original:?} to {proposal:?}");
                code = EXIT_SOME_FAILED;
            }
            set.decide(&refs, &verdict, &stamp)?;
            decided += refs.len();
        }
    }
    let by_level = [
        (args.accept_level, Verdict::accept()),
        (args.reject_level, Verdict::reject()),
    ];
    for (level, verdict) in by_level {
        let Some(level) = level else { continue };
        let refs: Vec<ItemRef> = set
            .refs()
            .filter(|&r| {
                let item = set.item(r);
                item.decision == Decision::Pending
                    && item.applicability >= level
                    && (verdict.decision != Decision::Accepted || item.proposal.is_some())
            })
            .collect();
        set.decide(&refs, &verdict, &stamp)?;
        decided += refs.len();
    }
    if let Some(path) = &args.export {
        ocrqa::files::write_atomic(path, set.export().to_json().as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let waiting = set.refs().filter(|&r| set.item(r).awaits_review()).count();
    println!("{decided} decisions recorded; {waiting} items still await review");
    Ok(code)
}

pub fn apply(args: ApplyArgs) -> anyhow::Result<i32> {
    if !args.dir.is_dir() {
        anyhow::bail!("{}: not a folder", args.dir.display());
    }
    if std::fs::canonicalize(&args.out).ok() == std::fs::canonicalize(&args.dir).ok() {
        anyhow::bail!("--out must not be the review folder: the final text would replace the corrected one its review files describe");
    }
    // Applying decides nothing: the precedents are neither read nor written.
    let (set, problems) = ReviewSet::open(&args.dir, None)?;
    let mut failed = problems.len();
    for p in &problems {
        eprintln!("ocrqa: {p}; nothing written for it");
    }
    let (mut written, mut changes, mut pending) = (0, 0, 0);
    for doc in &set.docs {
        match ocrqa::apply::apply_document(
            doc,
            args.source_root.as_deref(),
            &args.out,
            args.max_bytes,
        ) {
            Ok(applied) => {
                written += 1;
                changes += applied.changes;
                pending += applied.pending;
                for id in &applied.overlapping {
                    eprintln!(
                        "ocrqa: {}: item {id} left out: an earlier change covers its span",
                        doc.path.display()
                    );
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("ocrqa: {}: {e}; nothing written for it", doc.path.display());
            }
        }
    }
    if !args.quiet {
        println!(
            "{written} documents written to {} ({failed} refused): {changes} changes applied, \
             {pending} items still await review (left out)",
            args.out.display()
        );
    }
    Ok(if written == 0 {
        EXIT_NOTHING_RAN
    } else if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
}
