//! The document's profile: what its own errors say about its OCR. Made in two steps, each a
//! type of its own: the accent habits come from its words before any repair (they price
//! every candidate), the confusion rates from the repairs the pipeline was sure of (they
//! let real words be suspected of the page's confusions, see `confusable_words`).

use super::finding::{Finding, Pass};
use super::page::Page;
use crate::decide::{Applicability, Reason};
use crate::errmodel::Step;
use crate::lexicon::{fold, Lexicon};
use crate::tokenize::TokenKind;
use serde::{Deserialize, Serialize};

/// Sure repairs of a confusion a document needs before its real words are suspected of it:
/// one could be chance.
pub const MIN_SURE_REPAIRS: usize = 2;
/// Pseudo-opportunities added to a rate's denominator: a short document must not look
/// error-ridden because of its first two repairs.
pub const RATE_SMOOTHING: f64 = 20.0;

/// Repairs by one letter read for another that a page needs before that misreading is taken
/// for its own habit (`s` for a in a faded typewriter's `dessrrollo`).
pub const MIN_SURE_SUBSTITUTIONS: usize = 2;
/// Letters a word needs for its repair by a letter for another to count: shorter words are
/// often pieces of a split word (`ciales` of sociales), for which a near word is a guess.
pub const MIN_SUBSTITUTION_WORD_LETTERS: usize = 5;

/// Everything the pipeline learnt about the document's OCR.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub accents: AccentHabits,
    pub marks: MarkHabits,
    /// The confusions the document's sure repairs undid, most frequent first.
    pub confusions: Vec<ConfusionRate>,
    /// The letters the page reads for others that the confusion table does not know, most
    /// frequent first.
    pub substitutions: Vec<Substitution>,
}

/// A letter the page's OCR read for another, beyond the confusion table: learnt from the
/// repairs that needed it and nothing else doubtful.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Substitution {
    /// What the OCR printed (lower case).
    pub observed: String,
    /// What the page said.
    pub intended: String,
    /// The repairs of the document's unknown words that read it so.
    pub repairs: usize,
}

/// The substitution a repair of an unknown word needs (`dessrrollo`: s → a) when it is held
/// back by nothing else: one letter for another, not the first, the word's other letters
/// kept (accents aside: `participacié` as participado is no such repair), in a word of
/// `MIN_SUBSTITUTION_WORD_LETTERS` or more, with no close runner-up, no name.
pub fn substitution_of(finding: &Finding) -> Option<(&str, &str)> {
    substitution_at(finding)
        .and_then(|(observed, intended, at)| (at > 0).then_some((observed, intended)))
}

/// As [`substitution_of`], the first letter included, with the place that differs: a page's
/// habit, once learnt from letters inside words, reads the first letter the same way
/// (`talta` falta on a page that reads f as t), though a first letter teaches nothing (a
/// name's or a word's other initial is as likely).
pub fn substitution_at(finding: &Finding) -> Option<(&str, &str, usize)> {
    let only_generic = finding.pass == Pass::UnknownWords
        && (finding.applicability == Applicability::Review
            || finding.reasons.contains(&Reason::OneLetterInLongWord))
        && finding.reasons.iter().all(|r| {
            matches!(
                r,
                Reason::UnknownWord
                    | Reason::GenericEdit
                    | Reason::CostlyRepair
                    | Reason::OcrConfusion
                    | Reason::AccentRestored
                    | Reason::OneLetterInLongWord
            )
        });
    let best = finding.alternatives.first()?;
    let mut generic = best.steps.iter().filter_map(|s| match s {
        Step::Generic { observed, intended } => Some((observed.as_str(), intended.as_str())),
        _ => None,
    });
    let (observed, intended) = generic.next()?;
    let one_letter = |s: &str| {
        let mut c = s.chars();
        c.next().is_some_and(char::is_alphabetic) && c.next().is_none()
    };
    // Letter for letter, accents aside: one place differs, and not the first.
    let (original, repaired) = (fold(&finding.original), fold(&best.text));
    let differing: Vec<usize> = original
        .chars()
        .zip(repaired.chars())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(k, _)| k)
        .collect();
    let [at] = differing[..] else {
        return None;
    };
    (only_generic
        && generic.next().is_none()
        && one_letter(observed)
        && one_letter(intended)
        && original.chars().count() == repaired.chars().count()
        && finding.original.chars().count() >= MIN_SUBSTITUTION_WORD_LETTERS)
        .then_some((observed, intended, at))
}

/// The substitutions that `MIN_SURE_SUBSTITUTIONS` repairs of the page's unknown words need
/// (see [`substitution_of`]), most frequent first.
pub fn learned_substitutions(findings: &[Finding]) -> Vec<Substitution> {
    let mut learned: Vec<Substitution> = Vec::new();
    for (observed, intended) in findings.iter().filter_map(substitution_of) {
        match learned
            .iter_mut()
            .find(|s| s.observed == observed && s.intended == intended)
        {
            Some(s) => s.repairs += 1,
            None => learned.push(Substitution {
                observed: observed.into(),
                intended: intended.into(),
                repairs: 1,
            }),
        }
    }
    learned.retain(|s| s.repairs >= MIN_SURE_SUBSTITUTIONS);
    learned.sort_by(|a, b| {
        b.repairs
            .cmp(&a.repairs)
            .then_with(|| (&a.observed, &a.intended).cmp(&(&b.observed, &b.intended)))
    });
    learned
}

/// How the document's OCR treats accents, counted over its words as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccentHabits {
    pub words: usize,
    pub suspicious: usize,
    /// Unknown words that are accented lexicon words with their accents dropped.
    pub dropped: usize,
    /// Words written with their accents.
    pub kept: usize,
    /// Smoothed share of accented words that lost their accent; sets the accent cost.
    pub drop_rate: f64,
    /// Unknown words that are lexicon words with an accent too many (`lá`, `entré`).
    pub added: usize,
    /// Smoothed share of words given an accent they should not have.
    pub add_rate: f64,
}

impl AccentHabits {
    /// The habits of the page's words as read (before any repair).
    pub fn of(page: &Page, lexicon: &Lexicon) -> AccentHabits {
        let mut h = AccentHabits::default();
        let mut ids = Vec::new();
        for (i, token) in page.tokens.iter().enumerate() {
            if token.kind != TokenKind::Word {
                continue;
            }
            h.words += 1;
            let word = page.slice(i);
            let accents = accented_letters(word);
            match page.suspects[i] {
                Some(_) => {
                    h.suspicious += 1;
                    ids.clear();
                    lexicon.with_fold(&fold(word), &mut ids);
                    let twin_accents = ids.iter().map(|&id| accented_letters(lexicon.text(id)));
                    match twin_accents.clone().max() {
                        Some(most) if most > accents => h.dropped += 1,
                        _ if twin_accents.min().is_some_and(|least| least < accents) => {
                            h.added += 1;
                        }
                        _ => {}
                    }
                }
                None if accents > 0 => h.kept += 1,
                None => {}
            }
        }
        // A weak prior of one dropped in four keeps short documents from extreme rates.
        h.drop_rate = (h.dropped as f64 + 1.0) / ((h.dropped + h.kept) as f64 + 4.0);
        // Spurious accents are counted per word; the prior is one in a hundred words.
        h.add_rate = (h.added as f64 + 0.5) / (h.words as f64 + 50.0);
        h
    }

    /// The drop rate rounded to a twentieth, at which accents are priced: the estimate is no
    /// finer than that, and documents in the same bucket share rankings across a batch.
    pub fn priced_drop_rate(&self) -> f64 {
        f64::from(self.drop_rate_bucket()) / 20.0
    }

    pub fn drop_rate_bucket(&self) -> u8 {
        (self.drop_rate.clamp(0.0, 1.0) * 20.0).round() as u8
    }
}

/// Rate of letters printed as marks (per thousand words) at which, before other evidence,
/// a mark glued to a word is as likely a lost letter as a speck. Measured on our Tesseract
/// OCR of typed pages: carbon copies show 2–26 colons among letters per thousand words, and
/// their marks after short words are letters (`la:` las) 7 times in 10 to 19 in 20; serif
/// scans show at most 3, and their marks are specks.
pub const EVEN_LETTER_MARKS: f64 = 3.0;
/// Words added to a document's count: a short one must not look mark-ridden by chance.
pub const MARK_WORDS_SMOOTHING: f64 = 200.0;
/// Weight of the rate's share against the page's telling marks (pseudo-observations).
pub const MARK_PRIOR_WEIGHT: f64 = 4.0;

/// The share of marks standing for letters from which a page is taken to lose letters by
/// habit: its marks after words are read as lost letters (`marked_words`), its words split
/// where a letter was lost are joined (`broken_words`).
pub const HABITUAL_LETTER_SHARE: f64 = 0.5;

/// How the document's OCR prints letters it could not make out, counted over its words as
/// read: as marks among letters (`muje:es`, `activid;des`), and whether its marks after
/// words stand for letters or are specks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarkHabits {
    pub words: usize,
    /// Colons or semicolons between two lower-case letters: never Spanish.
    pub letter_marks: usize,
    /// Telling marks after words, before a lower-case word: after letters that are no word
    /// but would be with one more (`sobr: el`: a letter) …
    pub lost_letters: usize,
    /// … or after a word that no letter would lengthen into another (`las. mujeres`: a speck).
    pub specks: usize,
    /// The share of marks glued to words that stand for letters: the telling marks', with
    /// `MARK_PRIOR_WEIGHT` observations of the share the rate of letter marks gives,
    /// `r² / (r² + EVEN²)` (steep: a few colons can be chance).
    pub letter_share: f64,
}

impl MarkHabits {
    pub fn of(page: &Page, lexicon: &Lexicon) -> MarkHabits {
        let tokens = &page.tokens;
        let words = tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
        let lower_word = |k: usize| {
            tokens[k].kind == TokenKind::Word
                && page
                    .slice(k)
                    .chars()
                    .all(|c| c.is_lowercase() || !c.is_alphabetic())
        };
        let touch = |a: usize, b: usize| tokens[a].span.end == tokens[b].span.start;
        let mut h = MarkHabits {
            words,
            ..MarkHabits::default()
        };
        let mut ids = Vec::new();
        let mut is_word = |folded: &str| {
            ids.clear();
            lexicon.with_fold(folded, &mut ids);
            !ids.is_empty()
        };
        for k in 1..tokens.len().saturating_sub(1) {
            let mark = page.slice(k);
            if !matches!(mark, ":" | ";" | ".") || !lower_word(k - 1) || !touch(k - 1, k) {
                continue;
            }
            let spaced = matches!(tokens[k + 1].kind, TokenKind::Space | TokenKind::Newline);
            if !spaced {
                h.letter_marks += usize::from(mark != "." && lower_word(k + 1));
                continue;
            }
            let next = (k + 1..tokens.len())
                .find(|&j| !matches!(tokens[j].kind, TokenKind::Space | TokenKind::Newline));
            if !next.is_some_and(lower_word) {
                continue;
            }
            let stem = fold(page.slice(k - 1));
            let mut longer = String::with_capacity(stem.len() + 1);
            let lengthened = ('a'..='z').any(|letter| {
                longer.clear();
                longer.push_str(&stem);
                longer.push(letter);
                is_word(&longer)
            });
            match (is_word(&stem), lengthened) {
                (false, true) => h.lost_letters += 1,
                (true, false) => h.specks += 1,
                _ => {}
            }
        }
        let rate = 1000.0 * h.letter_marks as f64 / (words as f64 + MARK_WORDS_SMOOTHING);
        let prior = rate * rate / (rate * rate + EVEN_LETTER_MARKS * EVEN_LETTER_MARKS);
        h.letter_share = (h.lost_letters as f64 + MARK_PRIOR_WEIGHT * prior)
            / ((h.lost_letters + h.specks) as f64 + MARK_PRIOR_WEIGHT);
        h
    }

    /// The share rounded to a tenth, at which marks are priced (see
    /// `AccentHabits::priced_drop_rate`).
    pub fn priced_letter_share(&self) -> f64 {
        f64::from(self.letter_share_bucket()) / 10.0
    }

    pub fn letter_share_bucket(&self) -> u8 {
        (self.letter_share.clamp(0.0, 1.0) * 10.0).round() as u8
    }
}

/// Letters with a diacritic (and ñ): what OCR drops or adds.
fn accented_letters(word: &str) -> usize {
    word.chars()
        .filter(|&c| !c.is_ascii() && c.is_alphabetic())
        .count()
}

/// How often this document's OCR made one confusion of the error model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfusionRate {
    /// What the OCR printed (lower case), as in the confusion table.
    pub observed: String,
    /// What the page said.
    pub intended: String,
    /// Automatic repairs of unknown words in the document that undid this confusion.
    pub repairs: usize,
    /// How often the intended text stands in the document's known words, plus the repairs.
    pub opportunities: usize,
    /// Share of the opportunities the OCR misread, smoothed (see `RATE_SMOOTHING`).
    pub rate: f64,
}

/// Rates of the confusions the sure repairs in `findings` (automatic repairs of unknown
/// words) undid at least `MIN_SURE_REPAIRS` times; `known_words` are the document's words
/// the lexicon knows, as written (the table is in lower case, so a capital's opportunity is
/// not counted: they are few).
pub fn confusion_rates<'w>(
    findings: &[Finding],
    known_words: impl Iterator<Item = &'w str> + Clone,
) -> Vec<ConfusionRate> {
    let mut repairs: Vec<((String, String), usize)> = Vec::new();
    let sure = findings
        .iter()
        .filter(|f| f.applicability == Applicability::Auto && f.pass == Pass::UnknownWords);
    for f in sure {
        let Some(best) = f.alternatives.first() else {
            continue;
        };
        for step in &best.steps {
            if let Step::Confusion { observed, intended } = step {
                let key = (observed.clone(), intended.clone());
                match repairs.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => repairs.push((key, 1)),
                }
            }
        }
    }
    let mut rates: Vec<ConfusionRate> = repairs
        .into_iter()
        .filter(|&(_, n)| n >= MIN_SURE_REPAIRS)
        .map(|((observed, intended), n)| {
            // A single character is counted as one, without setting up a search per word.
            let mut chars = intended.chars();
            let standing: usize = match (chars.next(), chars.next()) {
                (None, _) => 0,
                (Some(c), None) => known_words.clone().map(|w| w.matches(c).count()).sum(),
                _ => known_words
                    .clone()
                    .map(|w| w.matches(intended.as_str()).count())
                    .sum(),
            };
            let opportunities = standing + n;
            ConfusionRate {
                rate: n as f64 / (opportunities as f64 + RATE_SMOOTHING),
                observed,
                intended,
                repairs: n,
                opportunities,
            }
        })
        .collect();
    rates.sort_by(|a, b| {
        b.rate
            .total_cmp(&a.rate)
            .then_with(|| (&a.observed, &a.intended).cmp(&(&b.observed, &b.intended)))
    });
    rates
}

/// The page's rate of the confusion `observed` → `intended`, if its sure repairs made one.
pub fn rate_of<'r>(
    rates: &'r [ConfusionRate],
    observed: &str,
    intended: &str,
) -> Option<&'r ConfusionRate> {
    rates
        .iter()
        .find(|r| r.observed == observed && r.intended == intended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::{Ranked, ScoreBreakdown};
    use crate::span::ByteSpan;

    fn repair(observed: &str, intended: &str, applicability: Applicability) -> Finding {
        Finding {
            span: ByteSpan::new(0, 1),
            original: String::new(),
            alternatives: vec![Ranked {
                text: String::new(),
                source: crate::candidates::Source::Confusion,
                breakdown: ScoreBreakdown::new(0.0, 0.0, 0.0, 0.0),
                steps: vec![Step::Confusion {
                    observed: observed.into(),
                    intended: intended.into(),
                }],
            }],
            applicability,
            reasons: vec![crate::decide::Reason::UnknownWord],
            pass: Pass::UnknownWords,
        }
    }

    fn mark_habits(text: &str) -> MarkHabits {
        let doc = crate::document::Document::new("t", text);
        let page = Page::new(&doc, |_| true);
        MarkHabits::of(&page, &Lexicon::shipped())
    }

    #[test]
    fn marks_are_letters_on_a_page_that_loses_letters_to_them() {
        let carbon = mark_habits(
            "Las muje:es y las niña: de la regió: recibiero: apoyo. El Consej: tomó not: \
             de la: medidas y de las activid;des de lo: Estado: en materia de derecho: humanos.",
        );
        assert_eq!(carbon.letter_marks, 2, "muje:es, activid;des");
        // recibiero:, not: (la: and niña: could be either: they tell nothing).
        assert_eq!((carbon.lost_letters, carbon.specks), (2, 0), "{carbon:?}");
        assert!(carbon.letter_share > 0.8, "{carbon:?}");
        // Specks after words that no letter lengthens, and colons that are punctuation.
        let clean = mark_habits(
            "Examinó las. medidas y los. informes de la situación: mundial.\nAsunto: la reunión.",
        );
        assert_eq!(
            (clean.letter_marks, clean.lost_letters),
            (0, 0),
            "{clean:?}"
        );
        assert!(clean.specks >= 1 && clean.letter_share < 0.1, "{clean:?}");
        assert_eq!(mark_habits("").letter_share, 0.0);
    }

    /// A review finding of the unknown-words pass: `original` repaired as `text` by one
    /// letter for another (and nothing else doubtful).
    fn by_one_letter(original: &str, text: &str, observed: &str, intended: &str) -> Finding {
        Finding {
            span: ByteSpan::new(0, original.len()),
            original: original.into(),
            alternatives: vec![Ranked {
                text: text.into(),
                source: crate::candidates::Source::NearWord,
                breakdown: ScoreBreakdown::new(0.0, 1.0, 0.0, 0.0),
                steps: vec![Step::Generic {
                    observed: observed.into(),
                    intended: intended.into(),
                }],
            }],
            applicability: Applicability::Review,
            reasons: vec![
                Reason::UnknownWord,
                Reason::GenericEdit,
                Reason::CostlyRepair,
            ],
            pass: Pass::UnknownWords,
        }
    }

    #[test]
    fn a_substitution_is_learnt_from_repairs_needing_only_it() {
        let sure = by_one_letter("dessrrollo", "desarrollo", "s", "a");
        assert_eq!(substitution_of(&sure), Some(("s", "a")));
        // The first letter (a piece of a split word, often), a short word, another doubt,
        // or letters beside the one replaced that differ too: not sure.
        let first = by_one_letter("cesarrollo", "desarrollo", "c", "d");
        let short = by_one_letter("cssa", "casa", "s", "a");
        let mut close = by_one_letter("reslidad", "realidad", "s", "a");
        close.reasons.push(Reason::CloseRunnerUp);
        let shifted = by_one_letter("participacié", "participado", "c", "d");
        for unsure in [&first, &short, &close, &shifted] {
            assert_eq!(substitution_of(unsure), None, "{}", unsure.original);
        }
        // Two sure repairs make a habit; one does not.
        let twice = [
            sure.clone(),
            by_one_letter("reslidad", "realidad", "s", "a"),
            close,
        ];
        let learnt = learned_substitutions(&twice);
        assert_eq!(learnt.len(), 1);
        assert_eq!((learnt[0].observed.as_str(), learnt[0].repairs), ("s", 2));
        assert!(learned_substitutions(&[sure]).is_empty());
    }

    #[test]
    fn a_rate_read_from_a_review_file_is_strict() {
        let rate = r#"{"observed": "é", "intended": "ó", "repairs": 2, "opportunities": 4,
            "rate": 0.0833"#;
        assert!(serde_json::from_str::<ConfusionRate>(&format!("{rate}}}")).is_ok());
        let unknown = format!("{rate}, \"sure\": true}}");
        assert!(serde_json::from_str::<ConfusionRate>(&unknown).is_err());
    }

    #[test]
    fn rates_count_only_sure_repairs_made_twice() {
        let findings = [
            repair("é", "ó", Applicability::Auto),
            repair("é", "ó", Applicability::Auto),
            repair("é", "ó", Applicability::Review),
            repair("6", "ó", Applicability::Auto),
        ];
        let words = ["acción", "declaró", "la"];
        let rates = confusion_rates(&findings, words.iter().copied());
        assert_eq!(rates.len(), 1, "6→ó was undone once only: {rates:?}");
        let r = &rates[0];
        assert_eq!((r.observed.as_str(), r.intended.as_str()), ("é", "ó"));
        assert_eq!((r.repairs, r.opportunities), (2, 4));
        assert!((r.rate - 2.0 / 24.0).abs() < 1e-12);
    }
}
