//! `ocrqa eval`: score corrected files against ground truth, per condition.

use super::args::EvalArgs;
use super::EXIT_OK;
use anyhow::Context as _;
use ocrqa::eval::{find_pairs, score_document, spearman, summarize, Counts, Metrics};
use std::fs;
use std::path::Path;

fn read_lossy(path: &Path) -> anyhow::Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn run(args: EvalArgs) -> anyhow::Result<i32> {
    let files: Vec<String> = fs::read_dir(&args.set_dir)
        .with_context(|| format!("listing {}", args.set_dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let pairs = find_pairs(files);
    anyhow::ensure!(
        !pairs.is_empty(),
        "{}: no NAME.ocr.txt / TRUTH.truth.txt pairs",
        args.set_dir.display()
    );
    anyhow::ensure!(
        args.system_dir.is_dir(),
        "{}: not a folder (the corrected files to score)",
        args.system_dir.display()
    );
    let mut raw = Vec::new();
    let mut system = Vec::new();
    let mut missing = 0;
    for p in &pairs {
        let ocr = read_lossy(&args.set_dir.join(&p.ocr))?;
        let truth = read_lossy(&args.set_dir.join(&p.truth))?;
        let sys_path = args.system_dir.join(&p.ocr);
        let sys = if sys_path.exists() {
            Some(read_lossy(&sys_path)?)
        } else {
            missing += 1;
            eprintln!(
                "ocrqa: eval: missing output {} (scored as the unchanged OCR)",
                p.ocr
            );
            None
        };
        raw.push((p.condition.clone(), score_document(&ocr, &truth, None)));
        system.push((
            p.condition.clone(),
            score_document(&ocr, &truth, sys.as_deref()),
        ));
    }
    anyhow::ensure!(
        missing < pairs.len(),
        "{}: none of the {} corrected files is there (named like the OCR files, e.g. {})",
        args.system_dir.display(),
        pairs.len(),
        pairs[0].ocr
    );
    let ranking = report_ranking(&args.system_dir, &pairs, &raw);
    let (raw, system) = (summarize(&raw), summarize(&system));
    if args.json {
        let out = serde_json::json!({
            "docs": pairs.len(), "missing": missing, "ocr": raw, "system": system,
            "report_spearman": ranking.as_ref().map(|r| r.all.0),
            "report_spearman_by_condition": ranking.as_ref().map(|r| &r.by_condition),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(EXIT_OK);
    }
    println!("| system | cond | docs | CER% | WER% | impr% | errors | fixed | chg_wrong | missed | broken | changed | P | R | damage% |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (cond, m) in &system {
        row("ocr", cond, &raw[cond]);
        row("system", cond, m);
    }
    println!("\nimpr% = (d_ocr - d_sys)/d_ocr on characters; P = fixed/changed, R = fixed/errors, damage = broken/correct OCR words.");
    if let Some(r) = ranking {
        let (rho, n) = r.all;
        println!("The batch report's estimated error rate against the true OCR CER: Spearman {rho:.3} over {n} documents.");
        if r.by_condition.len() > 1 {
            let each: Vec<String> = r
                .by_condition
                .iter()
                .map(|(cond, rho)| format!("{cond} {rho:.3}"))
                .collect();
            println!("Within each condition: {}.", each.join(", "));
        }
    }
    Ok(EXIT_OK)
}

/// How well a batch report ranks documents: Spearman's ρ between its estimated error rate
/// and each document's true OCR character error rate, over all documents (and how many) and
/// within each condition (where two or more documents differ).
struct Ranking {
    all: (f64, usize),
    by_condition: std::collections::BTreeMap<String, f64>,
}

/// The [`Ranking`] of the batch report in `system_dir`, if there is one.
fn report_ranking(
    system_dir: &Path,
    pairs: &[ocrqa::eval::SetPair],
    raw: &[(String, Counts)],
) -> Option<Ranking> {
    let text =
        fs::read_to_string(system_dir.join(ocrqa::output::report_name(None, "json"))).ok()?;
    let report: serde_json::Value = serde_json::from_str(&text).ok()?;
    let estimated: std::collections::HashMap<&str, f64> = report["documents"]
        .as_array()?
        .iter()
        .filter_map(|d| Some((d["source"].as_str()?, d["estimated_error_rate"].as_f64()?)))
        .collect();
    let mut scored: Vec<(&str, f64, f64)> = Vec::new();
    for (p, (cond, c)) in pairs.iter().zip(raw) {
        if let Some(&e) = estimated.get(p.ocr.as_str()) {
            let truth = c.ocr_char_dist as f64 / c.truth_chars.max(1) as f64;
            scored.push((cond, e, truth));
        }
    }
    let rho = |of: &[&(&str, f64, f64)]| {
        let est: Vec<f64> = of.iter().map(|s| s.1).collect();
        let truth: Vec<f64> = of.iter().map(|s| s.2).collect();
        spearman(&est, &truth)
    };
    let everything: Vec<_> = scored.iter().collect();
    let mut by_condition = std::collections::BTreeMap::new();
    for cond in scored.iter().map(|s| s.0) {
        if by_condition.contains_key(cond) {
            continue;
        }
        let within: Vec<_> = scored.iter().filter(|s| s.0 == cond).collect();
        if let Some(r) = rho(&within) {
            by_condition.insert(cond.to_string(), r);
        }
    }
    Some(Ranking {
        all: (rho(&everything)?, scored.len()),
        by_condition,
    })
}

fn row(name: &str, cond: &str, m: &Metrics) {
    let pct = |x: f64| format!("{:.2}", 100.0 * x);
    let opt = |x: Option<f64>| x.map_or("n/a".into(), |v| format!("{v:.3}"));
    let c = &m.counts;
    println!(
        "| {name} | {cond} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        c.docs,
        pct(m.cer),
        pct(m.wer),
        pct(m.improvement),
        c.errors,
        c.fixed,
        c.changed_wrong,
        c.missed,
        c.broken,
        c.changed,
        opt(m.precision),
        opt(m.recall),
        pct(m.damage)
    );
}
