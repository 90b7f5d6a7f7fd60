//! What the pipeline remembers across the documents of a batch: OCR errors repeat, and what
//! the lexicon says of a word, or which candidates it has, does not depend on the document.
//! Each stage owns its memo; all are bounded by one policy, [`Recent`].

use super::models::{Models, PriceBucket};
use crate::candidates::joins::JoinKind;
use crate::candidates::{Candidate, Generator};
use crate::lexicon::{EntryId, Lexicon};
use crate::rank::Ranked;
use rustc_hash::FxHashMap;
use std::borrow::{Borrow, Cow};
use std::hash::Hash;

/// A map of at most twice `half` entries, which keeps what is used: new entries go to the
/// young half; when it is full, the old half is dropped and the young one becomes old. An
/// entry found in the old half moves back to the young one, so what a batch keeps meeting
/// (its common words and OCR errors) stays, and the rest ages out. A cheap approximation of
/// least-recently-used, at one hash lookup per hit.
pub struct Recent<K, V> {
    young: FxHashMap<K, V>,
    old: FxHashMap<K, V>,
    half: usize,
}

impl<K: Hash + Eq, V> Recent<K, V> {
    pub fn new(half: usize) -> Recent<K, V> {
        Recent {
            young: FxHashMap::default(),
            old: FxHashMap::default(),
            half,
        }
    }

    pub fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn insert(&mut self, key: K, value: V) {
        if self.young.len() >= self.half {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(key, value);
    }

    /// What `read` makes of the value under `key`, if it is remembered.
    pub fn with<Q, R>(&mut self, key: &Q, read: impl FnOnce(&V) -> R) -> Option<R>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(value) = self.young.get(key) {
            return Some(read(value));
        }
        let (key, value) = self.old.remove_entry(key)?;
        let read = read(&value);
        self.insert(key, value);
        Some(read)
    }

    /// The value under `key`, made by `make` unless it is remembered.
    pub fn get_or_insert_with<Q>(&mut self, key: &Q, make: impl FnOnce() -> V) -> &mut V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if !self.young.contains_key(key) {
            let value = self.old.remove(key).unwrap_or_else(make);
            self.insert(key.to_owned(), value);
        }
        self.young.get_mut(key).expect("just made young")
    }

    /// A copy of the value under `key`, made by `make` unless it is remembered: one lookup
    /// when it is (for small values, asked of every word of every document).
    pub fn cloned_or_insert_with<Q>(&mut self, key: &Q, make: impl FnOnce() -> V) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
        V: Clone,
    {
        if let Some(value) = self.with(key, V::clone) {
            return value;
        }
        let value = make();
        self.insert(key.to_owned(), value.clone());
        value
    }
}

/// Entries per half of a memo of small values (a word and an id or a flag).
const WORDS_HALF: usize = 50_000;
/// Entries per half of a memo of candidate lists or rankings.
const LISTS_HALF: usize = 10_000;

/// What the lexicon says of words as written: every word of every document is looked up,
/// most of them many times in a batch, and this small table stays in the processor's cache
/// where the lexicon's indexes and forms (tens of MB) do not.
pub struct WordMemo {
    known: Recent<String, Option<EntryId>>,
    /// Whether an unknown word is a prefix and a lexicon word (`Lexicon::prefixed`).
    prefixed: Recent<String, bool>,
}

impl Default for WordMemo {
    fn default() -> Self {
        WordMemo {
            known: Recent::new(WORDS_HALF),
            prefixed: Recent::new(WORDS_HALF / 5),
        }
    }
}

impl WordMemo {
    /// `lexicon.known(word)`.
    pub fn known(&mut self, lexicon: &Lexicon, word: &str) -> Option<EntryId> {
        self.known
            .cloned_or_insert_with(word, || lexicon.known(word))
    }

    /// Whether `word` (NFC) is a word: known, or a prefix and a known word.
    pub fn is_word(&mut self, lexicon: &Lexicon, word: &str) -> bool {
        self.known(lexicon, word).is_some()
            || self
                .prefixed
                .cloned_or_insert_with(word, || lexicon.prefixed(word))
    }
}

/// Candidates and rankings already made. Candidates do not depend on the document; rankings
/// depend on its accent and mark habits, and are kept per price bucket.
pub struct CandidateMemo {
    /// All generators, by lower-case word.
    words: Recent<String, Vec<Candidate>>,
    /// Accent and OCR repairs only, by lower-case word.
    cheap: Recent<String, Vec<Candidate>>,
    /// Joins and compounds of two pieces.
    joins: Recent<(String, String, JoinKind), Vec<Candidate>>,
    /// Rankings of unknown words as written, per price bucket.
    rankings: Recent<String, Vec<(PriceBucket, Vec<Ranked>)>>,
}

impl Default for CandidateMemo {
    fn default() -> Self {
        CandidateMemo {
            words: Recent::new(LISTS_HALF),
            cheap: Recent::new(LISTS_HALF),
            joins: Recent::new(LISTS_HALF),
            rankings: Recent::new(LISTS_HALF),
        }
    }
}

/// `word` in lower case (candidates do not depend on case), borrowed when it is already.
fn lower_case(word: &str) -> Cow<'_, str> {
    match word.chars().flat_map(char::to_lowercase).eq(word.chars()) {
        true => Cow::Borrowed(word),
        false => Cow::Owned(word.to_lowercase()),
    }
}

impl CandidateMemo {
    fn for_word(&mut self, generator: &Generator, word: &str) -> &[Candidate] {
        self.words
            .get_or_insert_with(lower_case(word).as_ref(), || {
                let mut out = Vec::new();
                generator.for_word(word, &mut out);
                out
            })
    }

    /// Candidates reached by accent repairs and one OCR confusion (`Generator::for_word_cheap`).
    pub fn for_word_cheap(&mut self, generator: &Generator, word: &str) -> &[Candidate] {
        self.cheap
            .get_or_insert_with(lower_case(word).as_ref(), || {
                let mut out = Vec::new();
                generator.for_word_cheap(word, &mut out);
                out
            })
    }

    pub fn for_join(
        &mut self,
        generator: &Generator,
        a: &str,
        b: &str,
        kind: JoinKind,
    ) -> &[Candidate] {
        let key = (a.to_string(), b.to_string(), kind);
        self.joins.get_or_insert_with(&key, || {
            let mut out = Vec::new();
            generator.for_join(a, b, kind, &mut out);
            out
        })
    }

    /// The ranking of `word`'s candidates on this page (its price bucket).
    pub fn ranking(&mut self, models: &Models, word: &str) -> Vec<Ranked> {
        let bucket = models.bucket;
        let remembered = self.rankings.with(word, |buckets| {
            let found = buckets.iter().find(|(b, _)| *b == bucket);
            found.map(|(_, ranked)| ranked.clone())
        });
        if let Some(ranked) = remembered.flatten() {
            return ranked;
        }
        let ranked = models
            .ranker
            .rank(word, self.for_word(&models.generator, word));
        let buckets = self.rankings.get_or_insert_with(word, Vec::new);
        buckets.push((bucket, ranked.clone()));
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_keeps_what_is_used_and_stays_bounded() {
        let mut memo: Recent<String, u32> = Recent::new(2);
        let mut made = 0;
        let mut get = |memo: &mut Recent<String, u32>, key: &str| {
            memo.cloned_or_insert_with(key, || {
                made += 1;
                made
            })
        };
        assert_eq!(get(&mut memo, "a"), 1);
        assert_eq!(get(&mut memo, "b"), 2);
        assert_eq!(get(&mut memo, "c"), 3, "a and b turn old");
        assert_eq!(get(&mut memo, "a"), 1, "an old entry comes back young");
        assert_eq!(get(&mut memo, "d"), 4, "b ages out");
        assert!(memo.len() <= 4);
        assert_eq!(get(&mut memo, "b"), 5, "b was made again");
    }
}
