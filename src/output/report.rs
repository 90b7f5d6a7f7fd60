//! The batch report's forms: JSON for tools (the report's own format), Markdown for people.

use super::ReportSink;
use crate::decide::Reason;
use crate::report::{BatchReport, DocumentReport};

pub struct JsonReport;

impl ReportSink for JsonReport {
    fn extension(&self) -> &'static str {
        "json"
    }

    fn render(&self, report: &BatchReport) -> String {
        report.to_json()
    }
}

/// Documents worst first, then those in error.
pub struct MarkdownReport;

impl ReportSink for MarkdownReport {
    fn extension(&self) -> &'static str {
        "md"
    }

    fn render(&self, report: &BatchReport) -> String {
        let t = &report.totals;
        let mut out = format!(
            "# ocrqa quality report\n\n{} documents ({} in error), {} words; {} findings: {} \
             applied automatically, {} to review, {} flagged. Applied: `{}`.\n\n\
             Documents worst first, by the share of characters OCR got wrong as estimated from \
             the findings (a ranking, not a measurement). Grades: A < 0.5 %, B < 2 %, \
             C < 5 %, D above.\n\n\
             | # | document | grade | est. errors | words | auto | review | flag | accents dropped | main damage |\n\
             |---:|---|:-:|---:|---:|---:|---:|---:|---:|---|\n",
            t.documents, t.errors, t.words, t.findings, t.auto, t.review, t.flag, report.applied_level
        );
        let mut ok: Vec<&DocumentReport> = report
            .documents
            .iter()
            .filter(|d| d.status == "ok")
            .collect();
        ok.sort_by(|a, b| {
            b.estimated_error_rate
                .total_cmp(&a.estimated_error_rate)
                .then_with(|| a.source.cmp(&b.source))
        });
        for (i, d) in ok.iter().enumerate() {
            let mut patterns: Vec<(&Reason, &usize)> = d.patterns.iter().collect();
            patterns.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let main: Vec<String> = patterns
                .iter()
                .take(3)
                .map(|(r, n)| format!("{} {n}", r.to_string().replace('_', " ")))
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} | {:.2} % | {} | {} | {} | {} | {:.0} % | {} |\n",
                i + 1,
                d.source.replace('|', "\\|"),
                d.grade,
                d.estimated_error_rate * 100.0,
                d.words,
                d.auto,
                d.review,
                d.flag,
                d.accent_drop_rate * 100.0,
                main.join(", ")
            ));
        }
        let failed: Vec<&DocumentReport> = report
            .documents
            .iter()
            .filter(|d| d.status != "ok")
            .collect();
        if !failed.is_empty() {
            out.push_str("\n## Documents in error\n\n");
            for d in failed {
                out.push_str(&format!(
                    "- {}: {}\n",
                    d.source,
                    d.error.as_deref().unwrap_or("error")
                ));
            }
        }
        out
    }
}
