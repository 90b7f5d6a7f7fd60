//! The terminal screen of `ocrqa review`: lines that fit the terminal (what matters least goes
//! first), a change drawn in its context, and a line editor whose Esc cancels.

use console::{Key, Style, Term};
use std::io::Write as _;

/// Widest a screen is drawn, whatever the terminal's width.
const MAX_WIDTH: usize = 80;
/// The least terminal a review fits: a page of nine changes and its keys.
const MIN_COLUMNS: usize = 60;
const MIN_ROWS: usize = 14;

/// How much a line of a screen matters: what does not fit the terminal goes, spacers first,
/// then context, never what decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    Must,
    Context,
    Spacer,
}

#[derive(Default)]
pub struct Lines(Vec<(Need, String)>);

impl Lines {
    pub fn must(&mut self, line: String) {
        self.0.push((Need::Must, line));
    }

    pub fn context(&mut self, line: String) {
        self.0.push((Need::Context, line));
    }

    pub fn spacer(&mut self) {
        self.0.push((Need::Spacer, String::new()));
    }

    /// The lines that fit `rows`, dropping the least needed (the last of them first).
    fn fit(mut self, rows: usize) -> Vec<String> {
        for need in [Need::Spacer, Need::Context] {
            while self.0.len() > rows {
                match self.0.iter().rposition(|(n, _)| *n == need) {
                    Some(k) => {
                        self.0.remove(k);
                    }
                    None => break,
                }
            }
        }
        self.0.into_iter().map(|(_, line)| line).collect()
    }
}

pub struct Screen {
    pub term: Term,
    red: Style,
    green: Style,
    pub dim: Style,
    /// Columns a line may take.
    pub width: usize,
}

impl Screen {
    pub fn new() -> Screen {
        let colour = console::colors_enabled();
        let term = Term::stdout();
        let width = usize::from(term.size().1).min(MAX_WIDTH);
        Screen {
            term,
            red: Style::new().red().force_styling(colour),
            green: Style::new().green().bold().force_styling(colour),
            dim: Style::new().dim().force_styling(colour),
            width,
        }
    }

    /// The terminal's size now (rows, columns).
    fn size(&self) -> (usize, usize) {
        let (rows, columns) = self.term.size();
        (usize::from(rows), usize::from(columns))
    }

    /// Whether a review fits the terminal; if not, says so (a resize and any key redraws;
    /// `q` quits).
    pub fn fits(&mut self) -> anyhow::Result<bool> {
        let (rows, columns) = self.size();
        self.width = columns.min(MAX_WIDTH);
        if rows >= MIN_ROWS && columns >= MIN_COLUMNS {
            return Ok(true);
        }
        self.clear()?;
        let mut out = self.term.clone();
        // Short lines: the terminal may be narrow.
        writeln!(
            out,
            "ocrqa review · terminal too small\n({columns}×{rows}); it needs \
             {MIN_COLUMNS}×{MIN_ROWS}.\nEnlarge it and press a key,\nor [q]uit."
        )?;
        Ok(false)
    }

    fn clear(&self) -> std::io::Result<()> {
        if self.term.features().is_attended() && std::env::var("TERM").is_ok_and(|t| t != "dumb") {
            self.term.clear_screen()?;
        }
        Ok(())
    }

    /// Draws `lines`, as many as fit the terminal (its last row is the cursor's).
    pub fn show(&self, lines: Lines) -> std::io::Result<()> {
        self.clear()?;
        let (rows, _) = self.size();
        let mut out = self.term.clone();
        for line in lines.fit(rows.max(MIN_ROWS) - 1) {
            writeln!(out, "{line}")?;
        }
        out.flush()
    }

    /// A line typed at `label`: `None` when the reviewer cancels (Esc, or Enter with nothing
    /// typed).
    pub fn prompt(&self, label: &str) -> std::io::Result<Option<String>> {
        let mut out = self.term.clone();
        write!(out, "{label} (Enter saves; Esc or nothing cancels): ")?;
        out.flush()?;
        let mut typed = String::new();
        loop {
            match self.term.read_key()? {
                Key::Enter => {
                    writeln!(out)?;
                    return Ok(Some(typed).filter(|t| !t.is_empty()));
                }
                Key::Escape => {
                    writeln!(out)?;
                    return Ok(None);
                }
                Key::Backspace if typed.pop().is_some() => self.term.clear_chars(1)?,
                Key::Char(c) if !c.is_control() => {
                    typed.push(c);
                    write!(out, "{c}")?;
                    out.flush()?;
                }
                _ => {}
            }
        }
    }

    /// `before[original→proposal]after` in `width` columns at most: the change marked with
    /// brackets (and colour), as much context as fits on each side.
    pub fn change(
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

pub fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    let text: String = s.chars().skip(count.saturating_sub(n)).collect();
    if count > n {
        format!("…{text}")
    } else {
        text
    }
}

pub fn head(s: &str, n: usize) -> String {
    let text: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        format!("{text}…")
    } else {
        text
    }
}
