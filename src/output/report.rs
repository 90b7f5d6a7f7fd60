//! The batch report's forms: JSON for tools (the report's own format), Markdown and a
//! self-contained HTML page with charts for people.

use super::ReportSink;
use crate::decide::Reason;
use crate::report::{Action, BatchReport, DocumentReport};
use std::collections::BTreeMap;

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
             C < 5 %, D above.\n\n{}\
             | # | document | grade | est. errors | words | auto | review | flag | accents dropped | needs | main damage |\n\
             |---:|---|:-:|---:|---:|---:|---:|---:|---:|---|---|\n",
            t.documents, t.errors, t.words, t.findings, t.auto, t.review, t.flag, report.applied_level,
            triage(report)
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
                "| {} | {} | {} | {:.2} % | {} | {} | {} | {} | {:.0} % | {} | {} |\n",
                i + 1,
                d.source.replace('|', "\\|"),
                d.grade,
                d.estimated_error_rate * 100.0,
                d.words,
                d.auto,
                d.review,
                d.flag,
                d.accent_drop_rate * 100.0,
                d.action.as_str(),
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

/// Which documents correction cannot make good, in a sentence (empty when none): read again
/// by a Spanish model, or scanned again.
fn triage(report: &BatchReport) -> String {
    let count = |a: Action| report.documents.iter().filter(|d| d.action == a).count();
    let (reocr, rescan) = (count(Action::Reocr), count(Action::Rescan));
    if reocr + rescan == 0 {
        return String::new();
    }
    format!(
        "Beyond correction: {rescan} document(s) lost letters in the scan itself (faded type, \
         carbon copies) or are too damaged to correct — scan them again (re-scan); \
         {reocr} were read by a model that drops Spanish accents throughout — read their scans \
         again with a Spanish model, e.g. `tesseract -l spa` (re-OCR).\n\n"
    )
}

/// The report for people, as one HTML file that needs nothing else (charts drawn as inline
/// SVG, no script): the quality of the documents, the corrections made and left for review,
/// the kinds of damage, and the documents worst first, each a link that opens it in
/// `ocrqa serve` (when the report is opened from there).
pub struct HtmlReport;

/// Documents a per-document chart shows: the worst ones.
const CHART_DOCUMENTS: usize = 25;

impl ReportSink for HtmlReport {
    fn extension(&self) -> &'static str {
        "html"
    }

    fn render(&self, report: &BatchReport) -> String {
        let t = &report.totals;
        let ok = worst_first(report);
        let mut out = String::from(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>ocrqa quality report</title><style>\
             body{font:15px/1.5 system-ui,sans-serif;margin:2em;color:#1d1d1f}\
             h2{margin-top:2em}table{border-collapse:collapse}\
             td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}\
             td.n{text-align:right}svg text{font:12px system-ui,sans-serif}\
             .legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em}\
             </style></head><body>\n<h1>ocrqa quality report</h1>\n",
        );
        out.push_str(&format!(
            "<p>{} documents ({} in error), {} words; {} findings: {} applied automatically, \
             {} to review, {} flagged. Applied: <code>{}</code>.</p>\n",
            t.documents,
            t.errors,
            t.words,
            t.findings,
            t.auto,
            t.review,
            t.flag,
            escape(&report.applied_level)
        ));
        let beyond = triage(report);
        if !beyond.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", escape(beyond.trim())));
        }
        out.push_str("<h2>Document quality</h2>\n<p>Documents by grade (estimated share of characters OCR got wrong: A below 0.5 %, B below 2 %, C below 5 %, D above).</p>\n");
        let grades: Vec<(String, f64)> = ["A", "B", "C", "D"]
            .iter()
            .map(|g| {
                (
                    g.to_string(),
                    ok.iter().filter(|d| d.grade == *g).count() as f64,
                )
            })
            .collect();
        out.push_str(&bars(&grades, "#3a6ea5"));
        let shown: Vec<&&DocumentReport> = ok.iter().take(CHART_DOCUMENTS).collect();
        out.push_str(&format!(
            "<h2>Corrections, worst {} documents</h2>\n<p class=\"legend\"><span style=\"background:#3a6ea5\"></span>applied automatically<span style=\"background:#e8a33d\"></span>to review<span style=\"background:#c94a4a\"></span>flagged</p>\n",
            shown.len()
        ));
        let rows: Vec<(String, Vec<f64>)> = shown
            .iter()
            .map(|d| {
                (
                    d.source.clone(),
                    vec![d.auto as f64, d.review as f64, d.flag as f64],
                )
            })
            .collect();
        out.push_str(&stacked(&rows, &["#3a6ea5", "#e8a33d", "#c94a4a"]));
        // The commonest kinds of damage over the batch, the rest as "other".
        let mut kinds: BTreeMap<Reason, usize> = BTreeMap::new();
        for d in &ok {
            for (&r, &n) in &d.patterns {
                *kinds.entry(r).or_default() += n;
            }
        }
        let mut kinds: Vec<(Reason, usize)> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top: Vec<Reason> = kinds.iter().take(6).map(|(r, _)| *r).collect();
        const COLOURS: [&str; 7] = [
            "#3a6ea5", "#e8a33d", "#5a9e5a", "#c94a4a", "#8a63b8", "#3fa7a7", "#999999",
        ];
        out.push_str(&format!(
            "<h2>Kinds of damage, worst {} documents</h2>\n<p class=\"legend\">",
            shown.len()
        ));
        for (k, r) in top.iter().enumerate() {
            out.push_str(&format!(
                "<span style=\"background:{}\"></span>{}",
                COLOURS[k],
                r.to_string().replace('_', " ")
            ));
        }
        out.push_str(&format!(
            "<span style=\"background:{}\"></span>other</p>\n",
            COLOURS[6]
        ));
        let rows: Vec<(String, Vec<f64>)> = shown
            .iter()
            .map(|d| {
                let mut values: Vec<f64> = top
                    .iter()
                    .map(|r| d.patterns.get(r).copied().unwrap_or(0) as f64)
                    .collect();
                let all: usize = d.patterns.values().sum();
                values.push((all as f64 - values.iter().sum::<f64>()).max(0.0));
                (d.source.clone(), values)
            })
            .collect();
        out.push_str(&stacked(&rows, &COLOURS));
        out.push_str("<h2>Documents, worst first</h2>\n<p>Each opens in <code>ocrqa serve</code> when this report is opened from there.</p>\n<table><tr><th>#</th><th>document</th><th>grade</th><th>est. errors</th><th>words</th><th>auto</th><th>review</th><th>flag</th><th>needs</th></tr>\n");
        for (i, d) in ok.iter().enumerate() {
            out.push_str(&format!(
                "<tr><td class=\"n\">{}</td><td><a href=\"./#path={}\">{}</a></td><td>{}</td><td class=\"n\">{:.2} %</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                i + 1,
                percent_encode(&d.source),
                escape(&d.source),
                d.grade,
                d.estimated_error_rate * 100.0,
                d.words,
                d.auto,
                d.review,
                d.flag,
                d.action.as_str()
            ));
        }
        out.push_str("</table>\n");
        let failed: Vec<&DocumentReport> = report
            .documents
            .iter()
            .filter(|d| d.status != "ok")
            .collect();
        if !failed.is_empty() {
            out.push_str("<h2>Documents in error</h2>\n<ul>\n");
            for d in failed {
                out.push_str(&format!(
                    "<li>{}: {}</li>\n",
                    escape(&d.source),
                    escape(d.error.as_deref().unwrap_or("error"))
                ));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</body></html>\n");
        out
    }
}

/// The documents read without error, worst first (estimated error rate, then name).
fn worst_first(report: &BatchReport) -> Vec<&DocumentReport> {
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
    ok
}

/// A bar chart: one bar per label, its value written beside it.
fn bars(values: &[(String, f64)], colour: &str) -> String {
    let most = values.iter().map(|v| v.1).fold(1.0, f64::max);
    let (row, width) = (24.0, 400.0);
    let mut svg = format!(
        "<svg width=\"560\" height=\"{}\" role=\"img\">",
        values.len() as f64 * row + 4.0
    );
    for (k, (label, value)) in values.iter().enumerate() {
        let y = k as f64 * row;
        let w = value / most * width;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"40\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{}\">{value}</text>",
            y + 16.0,
            escape(label),
            y + 4.0,
            row - 6.0,
            46.0 + w,
            y + 16.0
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// Horizontal stacked bars, one per row, its parts in `colours`, its total beside it.
fn stacked(rows: &[(String, Vec<f64>)], colours: &[&str]) -> String {
    let most = rows
        .iter()
        .map(|r| r.1.iter().sum::<f64>())
        .fold(1.0, f64::max);
    let (row, label, width) = (20.0, 260.0, 420.0);
    let mut svg = format!(
        "<svg width=\"{}\" height=\"{}\" role=\"img\">",
        label + width + 60.0,
        rows.len() as f64 * row + 4.0
    );
    for (k, (name, values)) in rows.iter().enumerate() {
        let y = k as f64 * row;
        let short: String = name.chars().take(36).collect();
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 14.0,
            escape(&short)
        ));
        let mut x = label;
        for (value, colour) in values.iter().zip(colours) {
            let w = value / most * width;
            if w > 0.0 {
                svg.push_str(&format!(
                    "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{colour}\"><title>{value}</title></rect>",
                    y + 3.0,
                    row - 5.0
                ));
            }
            x += w;
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\">{}</text>",
            x + 6.0,
            y + 14.0,
            values.iter().sum::<f64>()
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A document's path as a URL fragment's value.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
