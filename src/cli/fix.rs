//! `ocrqa fix`: correct files and folders into an output folder.

use super::args::FixArgs;
use super::{EXIT_NOTHING_RAN, EXIT_OK, EXIT_SOME_FAILED};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ocrqa::batch::{self, DocError};
use ocrqa::pipeline::Memo;
use ocrqa::report::{BatchReport, DocumentReport};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::Ordering;

pub fn run(args: FixArgs) -> anyhow::Result<i32> {
    let level = args.apply.threshold();
    let (mut inputs, mut problems) = batch::collect_inputs(&args.inputs, &args.out);
    if let Some(shard) = args.shard {
        inputs.retain(|i| shard.holds(&i.rel));
        problems.retain(|p| shard.holds(&p.path));
    }
    for p in &problems {
        eprintln!("ocrqa: {}: {}", p.path.display(), p.reason);
    }
    let out = std::fs::canonicalize(&args.out).ok();
    if let Some(input) = args
        .inputs
        .iter()
        .find(|i| out.is_some() && std::fs::canonicalize(i).ok() == out)
    {
        eprintln!(
            "ocrqa: {}: the output folder is an input folder; give --out another folder",
            input.display()
        );
        return Ok(EXIT_NOTHING_RAN);
    }
    if inputs.is_empty() {
        let given: Vec<String> = args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!(
            "ocrqa: no input documents in {} (*.txt, hOCR, ALTO or PAGE XML files, or folders \
             holding them)",
            given.join(", ")
        );
        return Ok(EXIT_NOTHING_RAN);
    }
    let mut engine = super::engine(&args.model)?;
    let precedents_path = args
        .memory
        .clone()
        .unwrap_or_else(|| args.out.join(ocrqa::precedents::PRECEDENTS_FILE));
    engine.precedents = ocrqa::precedents::Precedents::load(&precedents_path)
        .map_err(|e| anyhow::anyhow!("decisions memory {}: {e}", precedents_path.display()))?;

    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b =
            ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} documents, {msg}, ETA {eta}")
                .expect("valid template"),
        );
        b
    };
    // Two inputs that would write the same output: the second is refused, before any work.
    let mut owners: BTreeMap<std::path::PathBuf, String> = BTreeMap::new();
    let collisions: Vec<Option<String>> = inputs
        .iter()
        .map(|input| owners.insert(input.rel.clone(), input.path.display().to_string()))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()?;
    // Each worker keeps its own memo; reports come back in input order.
    let options = batch::FixOptions {
        max_bytes: args.max_bytes,
        force: args.force,
        sync: args.sync,
    };
    let skipped = std::sync::atomic::AtomicUsize::new(0);
    let words_done = std::sync::atomic::AtomicUsize::new(0);
    let started = std::time::Instant::now();
    let writer = batch::OutputWriter::start();
    let made: Vec<(DocumentReport, Option<batch::Written>)> = pool.install(|| {
        inputs
            .par_iter()
            .zip(collisions)
            .map_init(Memo::default, |memo, (input, collision)| {
                let source = input.rel.to_string_lossy().replace('\\', "/");
                let result = match collision {
                    Some(first) => Err(DocError::OutputCollision { path: first }),
                    None => batch::fix_document(&engine, memo, input, &args.out, level, &options),
                };
                let (report, written) = match result {
                    Ok(fixed) => {
                        if fixed.outputs.is_none() {
                            skipped.fetch_add(1, Ordering::Relaxed);
                        }
                        for warning in &fixed.warnings {
                            bar.suspend(|| {
                                eprintln!("ocrqa: warning: {}: {warning}", input.path.display())
                            });
                        }
                        (fixed.report, fixed.outputs.map(|o| writer.submit(o)))
                    }
                    Err(e) => (DocumentReport::failed(&source, e), None),
                };
                if let Some(e) = &report.error {
                    bar.suspend(|| eprintln!("ocrqa: {}: {e}", input.path.display()));
                }
                let words = words_done.fetch_add(report.words, Ordering::Relaxed) + report.words;
                let per_second = words as f64 / started.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!("{per_second:.0} words/s"));
                bar.inc(1);
                (report, written)
            })
            .collect()
    });
    // A document counts as done once its outputs are on disk.
    let mut reports: Vec<DocumentReport> = made
        .into_iter()
        .zip(&inputs)
        .map(|((report, written), input)| {
            let Some(written) = written else {
                return report;
            };
            // The writer only hangs up early if its thread died.
            match written.recv().unwrap_or(Err(DocError::NotWritten)) {
                Ok(()) => report,
                Err(e) => {
                    bar.suspend(|| eprintln!("ocrqa: {}: {e}", input.path.display()));
                    DocumentReport::failed(&report.source, e)
                }
            }
        })
        .collect();
    drop(writer);
    bar.finish_and_clear();
    for p in &problems {
        reports.push(DocumentReport {
            source: p.path.display().to_string(),
            status: "error".into(),
            error: Some(p.reason.clone()),
            ..Default::default()
        });
    }
    let mut report = BatchReport::new(level, reports);
    report.shard = args.shard.map(ocrqa::report::ShardInfo::from);
    ocrqa::output::write_report(&report, &args.out, args.shard)?;
    let t = &report.totals;
    if !args.quiet {
        let skipped = skipped.into_inner();
        let resumed = if skipped > 0 {
            format!(" ({skipped} already done, skipped; --force redoes them)")
        } else {
            String::new()
        };
        println!(
            "{} documents ({} in error){resumed}, {} words in {:.1} s: {} findings ({} auto, {} review, {} flag), {} applied; outputs in {}",
            t.documents, t.errors, t.words, started.elapsed().as_secs_f64(), t.findings, t.auto, t.review, t.flag, t.applied, args.out.display()
        );
    }
    Ok(if t.ok == 0 {
        EXIT_NOTHING_RAN
    } else if t.errors > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
}
