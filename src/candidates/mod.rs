//! Candidate generation. Each generator proposes lexicon words for what OCR printed; none of
//! them scores (that is `rank`'s one function). Generators, cheapest first:
//! accent restoration (the folded index), OCR confusion rewrites (one or two confusions, then
//! the folded index), symmetric-delete search (up to two generic edits), splits of merged
//! words, and joins across a space or a line-end hyphen (see `joins`).

pub mod joins;

use std::borrow::Cow;

use crate::errmodel::ErrorModel;
use crate::lexicon::{fold, fold_into, EntryId, Lexicon};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// Generic edits the symmetric-delete search goes up to.
pub const MAX_EDIT_DISTANCE: usize = 2;

/// A part of a merged word must be this common (per billion) to be split off: splitting
/// `medidasson` into `medidas son` is only worth proposing with two ordinary words.
pub const MIN_SPLIT_PART_COUNT: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Same letters, other accents (including ñ/n, ü/u).
    Accent,
    /// One or two OCR confusions (then accents).
    Confusion,
    /// A word within two generic edits.
    NearWord,
    /// Two words run together.
    Split,
    /// Two pieces of one word split by a space or line break.
    Join,
    /// Two pieces of one word hyphenated at a line end.
    Hyphenation,
    /// A hyphenated compound broken at a line end, kept hyphenated on one line.
    Compound,
    /// A sign OCR read for another: the degree sign for the ordinal indicator (`11°` → 11º).
    Sign,
}

/// A generated option: the lexicon spelling(s) it stands for, before case is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub words: Words,
    pub source: Source,
}

/// The one or two words of a candidate, kept inline (generation makes them by the hundred
/// thousand in a batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    ids: [EntryId; 2],
    len: u8,
}

impl Words {
    pub fn one(id: EntryId) -> Words {
        Words {
            ids: [id, id],
            len: 1,
        }
    }

    pub fn two(first: EntryId, second: EntryId) -> Words {
        Words {
            ids: [first, second],
            len: 2,
        }
    }
}

impl std::ops::Deref for Words {
    type Target = [EntryId];

    fn deref(&self) -> &[EntryId] {
        &self.ids[..usize::from(self.len)]
    }
}

impl Candidate {
    /// The text the candidate proposes, in lexicon spelling (words joined by a space); a
    /// single word's is the lexicon's own (ranking asks for every candidate it prices).
    pub fn text<'l>(&self, lexicon: &'l Lexicon) -> Cow<'l, str> {
        if let [id] = self.words[..] {
            return Cow::Borrowed(lexicon.text(id));
        }
        let mut out = String::new();
        for (i, &id) in self.words.iter().enumerate() {
            if i > 0 {
                out.push(if self.source == Source::Compound {
                    '-'
                } else {
                    ' '
                });
            }
            out.push_str(lexicon.text(id));
        }
        Cow::Owned(out)
    }
}

pub struct Generator<'a> {
    pub lexicon: &'a Lexicon,
    pub errors: &'a ErrorModel,
}

impl Generator<'_> {
    /// Candidates for one suspicious token (NFC text), deduplicated, in a fixed order.
    pub fn for_word(&self, observed: &str, out: &mut Vec<Candidate>) {
        self.generate(observed, true, out);
    }

    /// Candidates reached by accent repairs and one OCR confusion (no generic edits, no
    /// splits): what joins and their pieces need, at every pair of words around an unknown one.
    pub fn for_word_cheap(&self, observed: &str, out: &mut Vec<Candidate>) {
        self.generate(observed, false, out);
    }

    fn generate(&self, observed: &str, generic: bool, out: &mut Vec<Candidate>) {
        let lower = observed.to_lowercase();
        // Candidates are one word or two (a split): keyed without allocating.
        let mut seen: FxHashSet<(EntryId, Option<EntryId>)> = FxHashSet::default();
        let mut push = |words: Words, source: Source, out: &mut Vec<Candidate>| {
            if seen.insert((words[0], words.get(1).copied())) {
                out.push(Candidate { words, source });
            }
        };
        // The folded forms to look up: the word's own (its accent repairs), its OCR rewrites'
        // and, with generic edits, their rewrites'. Two rewrites in either order, or a rewrite
        // undone, give the same form: each is looked up once (known by its hash: a collision,
        // about 2⁻⁶⁴, would cost a candidate), all together (see `Lexicon::with_folds`).
        let mut forms = String::new();
        let mut ends = Vec::new();
        let mut looked_up = FxHashSet::default();
        let mut add = |form: &str| {
            if looked_up.insert(crate::hash::fast_hash(form.as_bytes())) {
                forms.push_str(form);
                ends.push(forms.len());
            }
        };
        let folded = fold(&lower);
        add(&folded);
        mark_readings(&folded, |c| self.errors.reads_mark(c), &mut add);
        let mut once = Vec::new();
        self.errors.rewrites_once(&lower, &mut once);
        let mut buf = String::new();
        for rewrite in &once {
            buf.clear();
            fold_into(&rewrite.text, &mut buf);
            add(&buf);
        }
        if generic {
            for rewrite in &once {
                self.errors
                    .for_each_folded_rewrite(rewrite, &mut buf, &mut add);
            }
        }
        let starts = std::iter::once(0).chain(ends.iter().copied());
        let forms: Vec<&str> = starts.zip(&ends).map(|(a, &b)| &forms[a..b]).collect();
        self.lexicon.with_folds(&forms, |i, id| {
            let source = if i == 0 {
                Source::Accent
            } else {
                Source::Confusion
            };
            push(Words::one(id), source, out);
        });
        if !generic {
            return;
        }

        let mut ids = Vec::new();
        if folded.chars().count() >= 3 {
            self.lexicon.near(&folded, MAX_EDIT_DISTANCE, &mut ids);
            // Several deletes reach the same word; the order of the rest is the ranker's.
            ids.sort_unstable();
            ids.dedup();
            let near = NearTest::new(&folded);
            let mut f = String::new();
            for (&id, text) in ids.iter().zip(self.lexicon.texts(&ids)) {
                f.clear();
                fold_into(text, &mut f);
                if near.within(&f, MAX_EDIT_DISTANCE) {
                    push(Words::one(id), Source::NearWord, out);
                }
            }
        }

        if observed.chars().all(char::is_alphabetic) {
            let indices: Vec<usize> = lower.char_indices().map(|(i, _)| i).skip(2).collect();
            for i in indices {
                let (a, b) = lower.split_at(i);
                if b.chars().count() < 2 {
                    continue;
                }
                let part = |w: &str| {
                    self.lexicon
                        .known(w)
                        .filter(|&id| self.lexicon.count(id) >= MIN_SPLIT_PART_COUNT)
                };
                if let (Some(x), Some(y)) = (part(a), part(b)) {
                    push(Words::two(x, y), Source::Split, out);
                }
            }
        }
    }
}

/// Marks a word may hold where letters faded (`muje:es`, `e:` for en): up to this many are
/// each read as every letter or as a speck.
pub const MAX_MARKS_READ: usize = 2;

/// The forms of a folded word that hold marks among letters with each mark read as a letter
/// or as nothing (`la:` → la, laa … las …, `e:` → e, el, en, es …): a short word whose
/// last letter became a mark is beyond the symmetric-delete search, which needs three
/// letters. Marks the confusion table reads (`]`, `|`, `°`: `known`) are left to it, and
/// words with more marks, or with no letter, give none.
fn mark_readings(folded: &str, known: impl Fn(char) -> bool, add: &mut impl FnMut(&str)) {
    let is_mark = |c: char| crate::errmodel::is_mark(c);
    let marks = folded.chars().filter(|&c| is_mark(c)).count();
    if marks == 0
        || marks > MAX_MARKS_READ
        || folded.chars().any(|c| is_mark(c) && known(c))
        || !folded.chars().any(char::is_alphabetic)
    {
        return;
    }
    let mut readings = vec![String::new()];
    for c in folded.chars() {
        if !is_mark(c) {
            readings.iter_mut().for_each(|r| r.push(c));
            continue;
        }
        readings = readings
            .iter()
            .flat_map(|r| {
                std::iter::once(r.clone()).chain(('a'..='z').map(move |letter| {
                    let mut read = r.clone();
                    read.push(letter);
                    read
                }))
            })
            .collect();
    }
    for reading in &readings {
        add(reading);
    }
}

/// A query the symmetric-delete search's words are checked against: whether the
/// optimal-string-alignment distance to each is at most a bound. An ASCII query of up to 64
/// characters (nearly all: folded words) has its character masks made once, and an ASCII word
/// is then checked by the bit-parallel algorithm (Hyyrö 2003), a few operations per character.
pub struct NearTest<'q> {
    query: &'q str,
    /// Bit i of `masks[c]`: the query's i-th byte is c.
    masks: Option<Box<[u64; 128]>>,
}

impl<'q> NearTest<'q> {
    pub fn new(query: &'q str) -> NearTest<'q> {
        let masks = (query.is_ascii() && (1..=64).contains(&query.len())).then(|| {
            let mut masks = Box::new([0u64; 128]);
            for (i, &c) in query.as_bytes().iter().enumerate() {
                masks[usize::from(c)] |= 1 << i;
            }
            masks
        });
        NearTest { query, masks }
    }

    /// Whether the OSA distance between the query and `word` is at most `max`.
    pub fn within(&self, word: &str, max: usize) -> bool {
        match &self.masks {
            Some(masks) if word.is_ascii() => {
                self.query.len().abs_diff(word.len()) <= max
                    && osa_bit_parallel(masks, self.query.len(), word.as_bytes()) <= max
            }
            _ => osa_within(self.query, word, max),
        }
    }
}

/// The OSA distance between a query of `len` (1..=64) ASCII bytes, given by its character
/// masks, and `word` (ASCII): Hyyrö's bit-vector algorithm with his transposition term.
fn osa_bit_parallel(masks: &[u64; 128], len: usize, word: &[u8]) -> usize {
    let last = 1u64 << (len - 1);
    let (mut vp, mut vn, mut d0, mut pm_before) = (!0u64, 0u64, 0u64, 0u64);
    let mut distance = len;
    for &c in word {
        let pm = masks[usize::from(c)];
        let transposed = ((!d0 & pm) << 1) & pm_before;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | transposed;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            distance += 1;
        } else if hn & last != 0 {
            distance -= 1;
        }
        let hp = (hp << 1) | 1;
        vp = (hn << 1) | !(d0 | hp);
        vn = hp & d0;
        pm_before = pm;
    }
    distance
}

/// Whether the optimal-string-alignment distance (insert, delete, substitute, adjacent
/// transpose) between `a` and `b` is at most `max`.
pub fn osa_within(a: &str, b: &str, max: usize) -> bool {
    // Folded words are nearly always ASCII: compare bytes then, without collecting chars.
    if a.is_ascii() && b.is_ascii() {
        osa_at_most(a.as_bytes(), b.as_bytes(), max)
    } else {
        osa_at_most(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
            max,
        )
    }
}

/// The distance row by row, three rows kept, each only within `max` of the diagonal (a cell
/// further off needs more than `max` insertions or deletions); it stops once two rows in a
/// row exceed `max` (a transposition reaches back two rows, at a cost of one).
fn osa_at_most<T: PartialEq>(a: &[T], b: &[T], max: usize) -> bool {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return false;
    }
    let over = max + 1;
    let w = m + 1;
    let mut rows = vec![over; 3 * w];
    let (mut older, mut prev, mut cur) = (0, w, 2 * w);
    for j in 0..=m.min(max) {
        rows[prev + j] = j;
    }
    let mut prev_min = 0;
    for i in 1..=n {
        let (lo, hi) = (i.saturating_sub(max).max(1), (i + max).min(m));
        rows[cur] = i.min(over);
        if lo > 1 {
            rows[cur + lo - 1] = over;
        }
        let mut row_min = rows[cur];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev + j] + 1)
                .min(rows[cur + j - 1] + 1)
                .min(rows[prev + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[older + j - 2] + 1);
            }
            rows[cur + j] = v.min(over);
            row_min = row_min.min(v);
        }
        if hi < m {
            rows[cur + hi + 1] = over;
        }
        if row_min > max && prev_min > max {
            return false;
        }
        prev_min = row_min;
        (older, prev, cur) = (prev, cur, older);
    }
    rows[prev + m] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(folded: &str, known: &[char]) -> Vec<String> {
        let mut out = Vec::new();
        mark_readings(folded, |c| known.contains(&c), &mut |r: &str| {
            out.push(r.to_string())
        });
        out
    }

    #[test]
    fn each_mark_is_read_as_every_letter_or_as_nothing() {
        let e = readings("e:", &[]);
        assert_eq!(e.len(), 27, "nothing and 26 letters");
        for form in ["e", "el", "en", "es"] {
            assert!(e.iter().any(|r| r == form), "{form} in {e:?}");
        }
        assert_eq!(readings("mu:e:es", &[]).len(), 27 * 27);
        // Too many marks, no letter, or a mark the confusion table reads: nothing.
        assert!(readings("a:b:c:d", &[]).is_empty());
        assert!(readings("::", &[]).is_empty());
        assert!(readings("e]", &[']']).is_empty());
        assert!(readings("mujeres", &[]).is_empty());
    }

    #[test]
    fn osa_counts_transpositions_once() {
        assert!(osa_within("informacion", "informacion", 0));
        assert!(osa_within("ab", "ba", 1) && !osa_within("ab", "ba", 0));
        assert!(osa_within("tecnologia", "tecnoolgia", 1));
        assert!(osa_within("", "abc", 3) && !osa_within("", "abc", 2));
        assert!(osa_within("informacion", "infromacoin", 2));
        assert!(!osa_within("informacion", "infromacoinx", 2));
        assert!(osa_within("situación", "situacion", 1));
    }

    /// The full table, for reference.
    fn osa_distance(a: &[char], b: &[char]) -> usize {
        let w = b.len() + 1;
        let mut d: Vec<usize> = (0..(a.len() + 1) * w)
            .map(|k| {
                if k < w {
                    k
                } else if k % w == 0 {
                    k / w
                } else {
                    0
                }
            })
            .collect();
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                d[i * w + j] = v;
            }
        }
        d[a.len() * w + b.len()]
    }

    proptest::proptest! {
        /// Long queries and non-ASCII words take the banded table instead.
        #[test]
        fn near_test_agrees_with_the_full_table(a in "[abcdó]{0,70}", b in "[abcdó]{0,70}", max in 0usize..4) {
            let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            proptest::prop_assert_eq!(NearTest::new(&a).within(&b, max), osa_distance(&x, &y) <= max);
        }

        #[test]
        fn bit_parallel_distance_is_the_full_tables(a in "[abc]{1,64}", b in "[abcd]{0,66}") {
            let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let test = NearTest::new(&a);
            let masks = test.masks.as_ref().unwrap();
            proptest::prop_assert_eq!(osa_bit_parallel(masks, a.len(), b.as_bytes()), osa_distance(&x, &y));
        }

        #[test]
        fn osa_within_agrees_with_the_full_table(a in "[abcó]{0,9}", b in "[abcó]{0,9}", max in 0usize..4) {
            let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            proptest::prop_assert_eq!(osa_within(&a, &b, max), osa_distance(&x, &y) <= max);
        }
    }
}
