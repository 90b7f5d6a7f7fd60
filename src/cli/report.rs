//! `ocrqa report merge`: the batch report from the reports of its shards.

use super::args::MergeArgs;
use super::EXIT_OK;
use anyhow::Context as _;
use ocrqa::report::BatchReport;

pub fn merge(args: MergeArgs) -> anyhow::Result<i32> {
    let mut shards = Vec::new();
    for path in &args.reports {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let report = BatchReport::from_json(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        shards.push(report);
    }
    let merged = BatchReport::merge(shards).map_err(|e| anyhow::anyhow!(e))?;
    ocrqa::output::write_report(&merged, &args.out, None)?;
    let t = &merged.totals;
    println!(
        "{} reports merged: {} documents ({} in error), {} words; written to {}",
        args.reports.len(),
        t.documents,
        t.errors,
        t.words,
        args.out
            .join(ocrqa::output::report_name(None, "json"))
            .display()
    );
    Ok(EXIT_OK)
}
