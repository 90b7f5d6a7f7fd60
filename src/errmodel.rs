//! The error model: what it costs, in units of one generic character edit, for the OCR engine
//! to have printed `observed` where the page said `intended`. A weighted edit distance whose
//! cheap moves are the ones OCR really makes: accent-only differences and marks read for
//! letters (priced per document, see `PageCosts`) and the multi-character confusions kept as data in
//! `dictionaries/ocr-confusions.tsv` (`fi`→ñ, `é`/`d`/`6`→ó, `rn`→m, …).

use crate::lexicon::{fold, fold_into, same_base, single_base};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use thiserror::Error;

pub const SHIPPED_CONFUSIONS: &str = include_str!("../dictionaries/ocr-confusions.tsv");

/// Cost of one generic insertion, deletion, substitution or transposition.
pub const GENERIC_EDIT: f64 = 1.0;
/// Whether OCR may have printed `c` for a letter or a speck: a mark, neither letter, digit
/// nor space.
pub fn is_mark(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

#[derive(Debug, Error)]
#[error("{source_name}:{line}: {reason}")]
pub struct ConfusionError {
    pub source_name: String,
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone)]
struct Confusion {
    observed: Vec<char>,
    intended: Vec<char>,
    /// The same, as strings (what rewriting splices in).
    observed_text: String,
    intended_text: String,
    /// `intended_text` accent-folded (see [`ErrorModel::for_each_folded_rewrite`]).
    intended_folded: String,
    /// The table writes the observed side with a capital (`J` → l): OCR prints a capital for
    /// a lower-case letter.
    capital_observed: bool,
    cost: f64,
}

/// What the errors that depend on the document cost on it.
///
/// Accent-only differences: `dropped` is the cost of an accent (or ñ's tilde) that the OCR
/// lost; it depends on the document: a page read with the English model drops nearly all of
/// them. `added`, an accent the page did not have.
///
/// Marks: faded or broken type (typewriters, carbon copies) prints a stroke of a letter as
/// `:`, `.`, `'`, `«`, `|` (`muje:es`, `traba‘o`): `mark_for_letter`, priced like an OCR
/// confusion and reported as one. `mark_dropped` is a mark where the page had nothing (a
/// speck). Which of the two a mark more likely is depends on the page: on a carbon copy
/// whose words are full of marks, `la:` is las; on a clean page with a speck, la.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageCosts {
    pub dropped: f64,
    pub added: f64,
    pub mark_for_letter: f64,
    pub mark_dropped: f64,
}

impl PageCosts {
    /// Before anything is known of the document.
    pub const NEUTRAL: PageCosts = PageCosts {
        dropped: 0.45,
        added: 0.5,
        mark_for_letter: 0.6,
        mark_dropped: 0.6,
    };
    /// Where accents were evidently dropped throughout, and letters evidently printed as
    /// marks (the other costs of the two are neutral).
    pub const HABITUAL: PageCosts = PageCosts {
        dropped: 0.15,
        added: 0.6,
        mark_for_letter: 0.4,
        mark_dropped: 1.0,
    };

    /// Interpolates between the neutral and the habitual costs: the accents' by the share of
    /// accented words that the document shows without their accent, the marks' by the
    /// share of marks among letters that stand for letters on it.
    pub fn for_habits(drop_rate: f64, letter_share: f64) -> PageCosts {
        let lerp = |a: f64, b: f64, r: f64| a + (b - a) * r.clamp(0.0, 1.0);
        let (n, h) = (Self::NEUTRAL, Self::HABITUAL);
        PageCosts {
            dropped: lerp(n.dropped, h.dropped, drop_rate),
            added: lerp(n.added, h.added, drop_rate),
            mark_for_letter: lerp(n.mark_for_letter, h.mark_for_letter, letter_share),
            mark_dropped: lerp(n.mark_dropped, h.mark_dropped, letter_share),
        }
    }
}

/// What one step of the cheapest alignment did; reported to reviewers and counted in profiles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Step {
    AccentDropped { observed: String, intended: String },
    AccentAdded { observed: String, intended: String },
    Confusion { observed: String, intended: String },
    Generic { observed: String, intended: String },
}

/// `observed` with one confusion applied (see [`ErrorModel::rewrites_once`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Rewrite {
    pub text: String,
    /// Its index (see [`ErrorModel::confusion`]).
    pub confusion: usize,
    /// Where it was applied (byte position in `observed` and `text` alike).
    pub at: usize,
}

#[derive(Debug, Clone)]
pub struct ErrorModel {
    confusions: Vec<Confusion>,
    /// Indices of the confusions whose observed side starts with an ASCII character, by
    /// its code: looked up for every character of every rewrite candidate generation makes.
    by_ascii_first: Vec<Vec<usize>>,
    /// The same for the other characters.
    by_other_first: FxHashMap<char, Vec<usize>>,
    /// Hash of the table it was read from.
    key: u64,
}

impl ErrorModel {
    pub fn shipped() -> ErrorModel {
        ErrorModel::from_tsv("dictionaries/ocr-confusions.tsv", SHIPPED_CONFUSIONS)
            .expect("the shipped confusion table is checked by tests")
    }

    pub fn from_tsv(source_name: &str, text: &str) -> Result<ErrorModel, ConfusionError> {
        let mut confusions = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let err = |reason: &str| ConfusionError {
                source_name: source_name.into(),
                line: n + 1,
                reason: reason.into(),
            };
            let cols: Vec<&str> = line.split('\t').collect();
            let [observed, intended, cost] = cols[..] else {
                return Err(err("expected observed<TAB>intended<TAB>cost"));
            };
            let cost: f64 = cost
                .trim()
                .parse()
                .map_err(|_| err("cost is not a number"))?;
            if !(0.0..=GENERIC_EDIT * 2.0).contains(&cost) || observed.is_empty() {
                return Err(err("cost must be in 0..=2 and observed non-empty"));
            }
            // Pricing ignores case (case is the ranker's business), so the table is lower-cased:
            // `J`→`l` (OCR reading l as a capital J) applies to `Jos` lower-cased as `jos`.
            let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<Vec<_>>();
            let capital_observed = observed.chars().any(char::is_uppercase)
                && !intended.chars().any(char::is_uppercase);
            let (observed, intended) = (lower(observed), lower(intended));
            if observed != intended
                && !confusions
                    .iter()
                    .any(|c: &Confusion| c.observed == observed && c.intended == intended)
            {
                let intended_text: String = intended.iter().collect();
                confusions.push(Confusion {
                    observed_text: observed.iter().collect(),
                    intended_folded: fold(&intended_text),
                    intended_text,
                    observed,
                    intended,
                    capital_observed,
                    cost,
                });
            }
        }
        let mut by_ascii_first = vec![Vec::new(); 128];
        let mut by_other_first: FxHashMap<char, Vec<usize>> = FxHashMap::default();
        for (index, c) in confusions.iter().enumerate() {
            let first = c.observed[0];
            match by_ascii_first.get_mut(first as usize) {
                Some(indices) => indices.push(index),
                None => by_other_first.entry(first).or_default().push(index),
            }
        }
        Ok(ErrorModel {
            confusions,
            by_ascii_first,
            by_other_first,
            key: crate::hash::fast_hash(text.as_bytes()),
        })
    }

    /// Whether the table says what the mark `c` stands for (`]` → l).
    pub fn reads_mark(&self, c: char) -> bool {
        is_mark(c) && self.confusions.iter().any(|k| k.observed == [c])
    }

    /// Identifies the table the model was read from.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// Every string made from `observed` by applying one confusion at one place. Used to
    /// generate candidates, the DP prices them exactly.
    pub fn rewrites_once(&self, observed: &str, out: &mut Vec<Rewrite>) {
        let start = out.len();
        self.for_each_match(observed, |at, confusion| {
            let c = &self.confusions[confusion];
            let after = &observed[at + c.observed_text.len()..];
            let text = [&observed[..at], c.intended_text.as_str(), after].concat();
            out.push(Rewrite {
                text,
                confusion,
                at,
            });
        });
        // The order of the table, then of the text.
        out[start..].sort_unstable_by_key(|r| (r.confusion, r.at));
    }

    /// Indices of the confusions whose observed side starts with `c`.
    fn starting_with(&self, c: char) -> &[usize] {
        match self.by_ascii_first.get(c as usize) {
            Some(indices) => indices,
            None => self.by_other_first.get(&c).map_or(&[], Vec::as_slice),
        }
    }

    /// Calls `f(at, confusion)` wherever a confusion applies in `observed` (byte position,
    /// index), in the order of the text.
    fn for_each_match(&self, observed: &str, mut f: impl FnMut(usize, usize)) {
        for (at, first) in observed.char_indices() {
            for &index in self.starting_with(first) {
                let part = self.confusions[index].observed_text.as_bytes();
                if starts_with(&observed.as_bytes()[at..], part) {
                    f(at, index);
                }
            }
        }
    }

    /// Calls `f` with the accent-folded form of each rewrite of `rewrite` (made from some
    /// `observed` by [`ErrorModel::rewrites_once`]), in the order of the text, built in `buf`,
    /// leaving out those that lie wholly before the first rewrite's place: applied to
    /// `observed` first, then the first rewrite, they give the same string, made from another
    /// rewrite. Folding maps each character on its own, so a rewrite's fold is spliced from
    /// the fold of `rewrite.text`, made once, and the confusion's folded side: candidate
    /// generation looks up every rewrite of every rewrite in the folded index.
    pub fn for_each_folded_rewrite(
        &self,
        rewrite: &Rewrite,
        buf: &mut String,
        mut f: impl FnMut(&str),
    ) {
        let observed = rewrite.text.as_str();
        let mut folded = String::with_capacity(observed.len());
        // folded_at[i]: where the fold of the character at byte i starts (the end at len).
        let mut folded_at = vec![0; observed.len() + 1];
        for (i, c) in observed.char_indices() {
            folded_at[i] = folded.len();
            fold_into(&observed[i..i + c.len_utf8()], &mut folded);
        }
        folded_at[observed.len()] = folded.len();
        self.for_each_match(observed, |at, index| {
            let c = &self.confusions[index];
            let end = at + c.observed_text.len();
            if end <= rewrite.at {
                return;
            }
            buf.clear();
            buf.push_str(&folded[..folded_at[at]]);
            buf.push_str(&c.intended_folded);
            buf.push_str(&folded[folded_at[end]..]);
            f(buf);
        });
    }

    /// Whether the table writes confusion `index` as a capital printed for a lower-case
    /// letter (`J` → l).
    pub fn prints_capital(&self, index: usize) -> bool {
        self.confusions[index].capital_observed
    }

    /// Confusion `index` as alignment steps name it: (observed, intended), lower case.
    pub fn confusion(&self, index: usize) -> (&str, &str) {
        let c = &self.confusions[index];
        (&c.observed_text, &c.intended_text)
    }

    /// Cheapest cost of reading `intended` as `observed`, case ignored.
    pub fn cost(&self, observed: &str, intended: &str, costs: PageCosts) -> f64 {
        self.observed(observed).cost(intended, costs)
    }

    /// As [`ErrorModel::cost`], with the steps of the cheapest alignment.
    pub fn explain(&self, observed: &str, intended: &str, costs: PageCosts) -> (f64, Vec<Step>) {
        self.observed(observed).explain(intended, costs)
    }

    /// `observed` prepared for pricing many candidates against it.
    pub fn observed(&self, observed: &str) -> Observed<'_> {
        let o: Vec<char> = observed.chars().flat_map(char::to_lowercase).collect();
        let mut at = Vec::new();
        let mut at_start = Vec::with_capacity(o.len() + 1);
        for i in 0..o.len() {
            at_start.push(at.len());
            at.extend(
                self.starting_with(o[i])
                    .iter()
                    .map(|&k| &self.confusions[k])
                    .filter(|c| starts_with(&o[i..], &c.observed)),
            );
        }
        at_start.push(at.len());
        let reach = at
            .iter()
            .map(|c| c.observed.len())
            .max()
            .unwrap_or(1)
            .max(1);
        Observed {
            o_base: o.iter().map(|&c| single_base(c)).collect(),
            o,
            at,
            at_start,
            reach,
            scratch: RefCell::default(),
        }
    }
}

/// `whole` begins with `part`: confusions are a character or three, shorter than a call to
/// `memcmp`, which `<[char]>::starts_with` makes (1.5 M times in a batch of 75 documents).
fn starts_with<T: PartialEq>(whole: &[T], part: &[T]) -> bool {
    whole.len() >= part.len() && whole.iter().zip(part).all(|(a, b)| a == b)
}

/// An observed string, lower-cased, with the confusions that can start at each position.
pub struct Observed<'m> {
    o: Vec<char>,
    /// `single_base` of each character of `o`.
    o_base: Vec<Option<char>>,
    /// The confusions that can start at position i: `at[at_start[i]..at_start[i + 1]]`.
    at: Vec<&'m Confusion>,
    at_start: Vec<usize>,
    /// The most observed characters one step reads (a confusion's observed side, else 1).
    reach: usize,
    /// The DP's buffers, reused across the candidates priced against this string (pricing
    /// allocated twice per candidate before).
    scratch: RefCell<Scratch>,
}

/// The intended string, its bases and the DP table of one alignment.
#[derive(Default)]
struct Scratch {
    t: Vec<char>,
    t_base: Vec<Option<char>>,
    dp: Vec<f64>,
    /// `back[i*w+j]` = (di, dj, step kind) that reached the cell, when steps are wanted.
    back: Vec<(u8, u8, u8)>,
}

impl Observed<'_> {
    pub fn cost(&self, intended: &str, costs: PageCosts) -> f64 {
        self.align(intended, costs, f64::INFINITY, false).0
    }

    pub fn explain(&self, intended: &str, costs: PageCosts) -> (f64, Vec<Step>) {
        self.align(intended, costs, f64::INFINITY, true)
    }

    /// As [`Observed::explain`], or infinity and no steps as soon as the cost is sure to
    /// exceed `limit` (ranking explains while it prices: one pass, not two for those kept).
    pub fn explain_within(&self, intended: &str, costs: PageCosts, limit: f64) -> (f64, Vec<Step>) {
        self.align(intended, costs, limit, true)
    }

    /// The DP behind `cost` and `explain`; back-pointers only when steps are wanted, as
    /// ranking prices every candidate but explains only the few it keeps.
    fn align(
        &self,
        intended: &str,
        costs: PageCosts,
        limit: f64,
        with_steps: bool,
    ) -> (f64, Vec<Step>) {
        let o = &self.o;
        let mut scratch = self.scratch.borrow_mut();
        let Scratch {
            t,
            t_base,
            dp,
            back,
        } = &mut *scratch;
        t.clear();
        t.extend(intended.chars().flat_map(char::to_lowercase));
        t_base.clear();
        t_base.extend(t.iter().map(|&c| single_base(c)));
        let o_base = &self.o_base;
        let (n, m) = (o.len(), t.len());
        let w = m + 1;
        dp.clear();
        dp.resize((n + 1) * w, f64::INFINITY);
        back.clear();
        if with_steps {
            back.resize((n + 1) * w, (0, 0, 0));
        }
        dp[0] = 0.0;
        const MATCH: u8 = 0;
        const DROP: u8 = 1;
        const ADD: u8 = 2;
        const CONF: u8 = 3;
        const GEN: u8 = 4;
        for i in 0..=n {
            let confusions_here = match i < n {
                true => &self.at[self.at_start[i]..self.at_start[i + 1]],
                false => &[],
            };
            for j in 0..=m {
                let here = dp[i * w + j];
                // Costs only grow along a path: a cell past the limit leads nowhere useful.
                if here > limit {
                    continue;
                }
                let mut relax = |ni: usize, nj: usize, c: f64, kind: u8| {
                    let cell = ni * w + nj;
                    if here + c < dp[cell] - 1e-12 {
                        dp[cell] = here + c;
                        if with_steps {
                            back[cell] = ((ni - i) as u8, (nj - j) as u8, kind);
                        }
                    }
                };
                if i < n && j < m {
                    let (a, b) = (o[i], t[j]);
                    if a == b {
                        relax(i + 1, j + 1, 0.0, MATCH);
                    } else if match (o_base[i], t_base[j]) {
                        (Some(x), Some(y)) => x == y,
                        _ => same_base(a, b),
                    } {
                        if is_plain(a) {
                            relax(i + 1, j + 1, costs.dropped, DROP);
                        } else {
                            relax(i + 1, j + 1, costs.added, ADD);
                        }
                    } else if is_mark(a) && b.is_alphabetic() {
                        relax(i + 1, j + 1, costs.mark_for_letter, CONF);
                    } else {
                        relax(i + 1, j + 1, GENERIC_EDIT, GEN);
                    }
                    if i + 1 < n && j + 1 < m && o[i] == t[j + 1] && o[i + 1] == t[j] {
                        relax(i + 2, j + 2, GENERIC_EDIT, GEN);
                    }
                }
                if i < n {
                    if is_mark(o[i]) {
                        relax(i + 1, j, costs.mark_dropped, CONF);
                    }
                    relax(i + 1, j, GENERIC_EDIT, GEN);
                    for c in confusions_here {
                        if starts_with(&t[j..], &c.intended) {
                            relax(i + c.observed.len(), j + c.intended.len(), c.cost, CONF);
                        }
                    }
                }
                if j < m {
                    relax(i, j + 1, GENERIC_EDIT, GEN);
                }
            }
            // Rows past i now hold every push from rows up to i, and a path leaves row i
            // for one of the next `reach` rows: their least cost bounds any path's cost.
            if limit.is_finite() && i < n {
                let rows = (i + 1) * w..(n.min(i + self.reach) + 1) * w;
                if dp[rows].iter().all(|&c| c > limit) {
                    return (f64::INFINITY, Vec::new());
                }
            }
        }
        if dp[n * w + m] > limit {
            return (f64::INFINITY, Vec::new());
        }
        let mut steps = Vec::new();
        let (mut i, mut j) = (n, m);
        while with_steps && (i > 0 || j > 0) {
            let (di, dj, kind) = back[i * w + j];
            let (pi, pj) = (i - di as usize, j - dj as usize);
            if kind != MATCH {
                let observed: String = o[pi..i].iter().collect();
                let intended: String = t[pj..j].iter().collect();
                steps.push(match kind {
                    DROP => Step::AccentDropped { observed, intended },
                    ADD => Step::AccentAdded { observed, intended },
                    CONF => Step::Confusion { observed, intended },
                    _ => Step::Generic { observed, intended },
                });
            }
            i = pi;
            j = pj;
        }
        steps.reverse();
        (dp[n * w + m], steps)
    }
}

fn is_plain(c: char) -> bool {
    c.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn cost(o: &str, t: &str) -> f64 {
        ErrorModel::shipped().cost(o, t, PageCosts::NEUTRAL)
    }

    #[test]
    fn page_costs_go_from_neutral_to_habitual() {
        assert_eq!(PageCosts::for_habits(0.0, 0.0), PageCosts::NEUTRAL);
        let all = PageCosts::for_habits(1.0, 1.0);
        assert!((all.dropped - PageCosts::HABITUAL.dropped).abs() < 1e-12);
        assert_eq!(all.mark_dropped, PageCosts::HABITUAL.mark_dropped);
        let half = PageCosts::for_habits(0.0, 0.5);
        assert_eq!(half.dropped, PageCosts::NEUTRAL.dropped);
        assert!(half.mark_for_letter < PageCosts::NEUTRAL.mark_for_letter);
        assert!(half.mark_dropped > PageCosts::NEUTRAL.mark_dropped);
        // Where marks are letters by habit, `la:` is cheaper as las than as la and a speck.
        let m = ErrorModel::shipped();
        let h = PageCosts::HABITUAL;
        assert!(m.cost("la:", "las", h) < m.cost("la:", "la", h));
        let n = PageCosts::NEUTRAL;
        assert_eq!(m.cost("la:", "las", n), m.cost("la:", "la", n));
    }

    #[test]
    fn a_cost_within_a_limit_is_the_cost_or_infinity() {
        let model = ErrorModel::shipped();
        let pairs = [
            ("entrafian", "entrañan"),
            ("entrafian", "entraban"),
            ("relacidon", "relación"),
            ("cornunicaciones", "comunicaciones"),
            ("tecnolo gias", "tecnologías"),
            ("informacion", "formación"),
            ("xyz", "abcdefgh"),
        ];
        for (o, t) in pairs {
            let observed = model.observed(o);
            let exact = observed.cost(t, PageCosts::NEUTRAL);
            for limit in [0.0, 0.3, 0.9, 1.5, 2.5, 4.0, 10.0] {
                let (within, steps) = observed.explain_within(t, PageCosts::NEUTRAL, limit);
                assert_eq!(steps.is_empty(), within > limit || exact == 0.0);
                if exact <= limit {
                    assert_eq!(within, exact, "{o} → {t} within {limit}");
                } else {
                    assert!(within > limit, "{o} → {t} within {limit}: {within}");
                }
            }
        }
    }

    #[test]
    fn ocr_confusions_beat_plain_edits() {
        // entrafian: fi→ñ is one cheap confusion; entraban needs two generic edits.
        assert!(cost("entrafian", "entrañan") < 0.5);
        assert!(cost("entrafian", "entraban") >= 2.0);
        assert!(cost("relacidon", "relación") < 0.7);
        assert!(cost("informacién", "información") < 0.5);
        assert!(cost("situaci6n", "situación") < 0.6);
        assert!(cost("cornunicaciones", "comunicaciones") < 0.6);
    }

    #[test]
    fn accent_only_is_cheapest() {
        assert!((cost("asi", "así") - PageCosts::NEUTRAL.dropped).abs() < 1e-9);
        assert!((cost("asi", "si") - GENERIC_EDIT).abs() < 1e-9);
        assert_eq!(
            cost("Declaracion", "declaración"),
            PageCosts::NEUTRAL.dropped
        );
    }

    #[test]
    fn steps_name_what_happened() {
        let (_, steps) = ErrorModel::shipped().explain("dafiar", "dañar", PageCosts::NEUTRAL);
        assert_eq!(
            steps,
            vec![Step::Confusion {
                observed: "fi".into(),
                intended: "ñ".into()
            }]
        );
    }

    /// Every rewrite of every rewrite, folded: what `for_each_folded_rewrite` must make.
    fn folded_twice(model: &ErrorModel, once: &[Rewrite]) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for r in once {
            let mut twice = Vec::new();
            model.rewrites_once(&r.text, &mut twice);
            all.extend(twice.iter().map(|t| fold(&t.text)));
        }
        all
    }

    fn folded_rewrites(model: &ErrorModel, once: &[Rewrite]) -> BTreeSet<String> {
        let mut made = BTreeSet::new();
        for r in once {
            model.for_each_folded_rewrite(r, &mut String::new(), |s| {
                made.insert(s.to_string());
            });
        }
        made
    }

    #[test]
    fn rewrites_of_rewrites_are_folded_and_miss_none() {
        let model = ErrorModel::shipped();
        for word in [
            "sefialan",
            "informacién",
            "relacidon",
            "pa1s",
            "ÁREA",
            "cornunicaci6n",
        ] {
            let mut once = Vec::new();
            model.rewrites_once(&word.to_lowercase(), &mut once);
            let made = folded_rewrites(&model, &once);
            assert!(!made.is_empty(), "{word}");
            assert_eq!(made, folded_twice(&model, &once), "{word}");
        }
    }

    proptest::proptest! {
        /// Leaving out the rewrites that lie before the first one's place loses nothing.
        #[test]
        fn rewrites_left_out_are_made_the_other_way_round(word in "[fidoé6rnmlc1í]{0,9}") {
            let model = ErrorModel::shipped();
            let mut once = Vec::new();
            model.rewrites_once(&word, &mut once);
            proptest::prop_assert_eq!(folded_rewrites(&model, &once), folded_twice(&model, &once));
        }
    }

    #[test]
    fn rewrites_apply_each_confusion_once() {
        let mut out = Vec::new();
        ErrorModel::shipped().rewrites_once("sefialan", &mut out);
        assert!(out.iter().any(|r| r.text == "señalan"));
    }
}
