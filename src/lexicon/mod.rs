//! The Spanish lexicon: word form → count, with an accent-folded index and a symmetric-delete
//! index for near words. The shipped lexicon is compiled into the binary; user word lists are
//! further layers on top. Lookups are case-aware: a lower-case entry accepts `Title` and
//! `UPPER` spellings, a capitalised entry (a name) accepts its `UPPER` spelling only, an
//! all-capital entry (an acronym) its `Title` spelling too (`Daesh` for DAESH).

mod cache;
mod fold;
mod index;
mod symdel;

pub use fold::{fold, fold_into, same_base, single_base};

pub use cache::CacheError;

use crate::tokenize::Case;
use index::HashIndex;
use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use symdel::DeleteIndex;
use thiserror::Error;

/// The shipped lexicon (see `dictionaries/README.md`).
pub const SHIPPED_WORDS: &str = include_str!("../../dictionaries/es/words.tsv");

/// Count given to user words without one: about Zipf 3, a plausible but not common word.
pub const USER_WORD_COUNT: u32 = 1000;

/// Words rarer than this (per billion) are not offered by the symmetric-delete search:
/// a form attested nowhere (count 1 = only in hunspell) is a poor guess for a generic typo,
/// and leaving them out keeps the index small. Accent and OCR repairs still reach them.
pub const MIN_COUNT_FOR_EDITS: u32 = 2;

/// Prefixes Spanish forms new words with freely (the RAE's grammar lists them; a few
/// learned first elements, `electro-`, `ferro-`, too): `desmovilización`, `recapitalización`,
/// `biestatal` are words no word list holds. `a` and `en` are left out: glued to the next
/// word they are function words.
pub const PREFIXES: &[&str] = &[
    "afro", "ante", "anti", "archi", "auto", "bi", "bio", "bis", "ciber", "co", "contra", "des",
    "dis", "eco", "electro", "entre", "euro", "ex", "extra", "ferro", "foto", "geo", "hidro",
    "hiper", "hipo", "im", "in", "infra", "inter", "intra", "macro", "micro", "mini", "mono",
    "multi", "nano", "neo", "pluri", "pos", "post", "pre", "pro", "radio", "re", "retro", "semi",
    "sobre", "socio", "sub", "super", "supra", "tele", "termo", "trans", "tras", "tri", "ultra",
    "uni", "vice",
];

/// Letters the word after a prefix must have: shorter bases make OCR fragments words
/// (`relacio` is no re + lacio).
pub const MIN_PREFIXED_BASE: usize = 6;

#[derive(Debug, Error)]
pub enum LexiconError {
    #[error("{source_name}:{line}: {reason}")]
    Format {
        source_name: String,
        line: usize,
        reason: String,
    },
}

/// One layer's id of a word; `layer` 0 is the shipped lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId {
    pub layer: u8,
    pub index: u32,
}

/// One word list: all forms in one string, and its three indexes.
#[derive(Debug, PartialEq)]
struct WordTable {
    /// The word list's own text, where every form is spelt as the table keeps it (NFC: the
    /// shipped list is), so neither a copy of the forms nor its UTF-8 check is made, stored
    /// or read back; else the forms, normalised, one after another.
    arena: Cow<'static, str>,
    /// Whether `arena` is the word list's text.
    forms_in_text: bool,
    /// (start, len, count) of each form in `arena`.
    entries: Vec<[u32; 3]>,
    /// Hash of the form → entries (the text confirms: hashes may collide).
    exact: HashIndex,
    /// Hash of the folded form → entries.
    folded: HashIndex,
    deletes: DeleteIndex,
}

/// Where the form of a `WordTable` entry `[start, length, count]` lies in its arena.
fn form_range([start, len, _]: [u32; 3]) -> Range<usize> {
    start as usize..start as usize + len as usize
}

fn hash_str(s: &str) -> u64 {
    crate::hash::fast_hash(s.as_bytes())
}

impl WordTable {
    fn parse(
        source_name: &str,
        text: Cow<'static, str>,
        default_count: u32,
    ) -> Result<WordTable, LexiconError> {
        let error = |line: usize, reason: String| LexiconError::Format {
            source_name: source_name.to_string(),
            line,
            reason,
        };
        if u32::try_from(text.len()).is_err() {
            return Err(error(0, "a word list of 4 GB or more".into()));
        }
        let mut entries: Vec<[u32; 3]> = Vec::with_capacity(text.len() / 12);
        // The forms, copied and normalised, once one is not NFC as written.
        let mut normalised: Option<String> = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, count) = match line.split_once('\t') {
                Some((w, c)) => {
                    let count = c.trim().parse::<u32>().ok().filter(|&c| c > 0);
                    let count = count.ok_or_else(|| {
                        error(n + 1, format!("count {c:?} is not a positive integer"))
                    })?;
                    (w, count)
                }
                None => (line.trim(), default_count),
            };
            if word.is_empty() || word.chars().any(char::is_whitespace) {
                return Err(error(
                    n + 1,
                    "a word must be one form without spaces".into(),
                ));
            }
            if normalised.is_none() && !unicode_normalization::is_nfc(word) {
                let mut forms = String::with_capacity(text.len());
                for [start, len, _] in &mut entries {
                    let form = &text[form_range([*start, *len, 0])];
                    *start = forms.len() as u32;
                    forms.push_str(form);
                }
                normalised = Some(forms);
            }
            match &mut normalised {
                // `word` is a slice of `text`: its offset there.
                None => entries.push([
                    (word.as_ptr() as usize - text.as_ptr() as usize) as u32,
                    word.len() as u32,
                    count,
                ]),
                Some(forms) => {
                    let start = forms.len() as u32;
                    forms.extend(unicode_normalization::UnicodeNormalization::nfc(word));
                    entries.push([start, forms.len() as u32 - start, count]);
                }
            }
        }
        Ok(match normalised {
            None => WordTable::index(text, true, entries),
            Some(forms) => WordTable::index(Cow::Owned(forms), false, entries),
        })
    }

    fn index(arena: Cow<'static, str>, forms_in_text: bool, entries: Vec<[u32; 3]>) -> WordTable {
        let ids = entries.len() as u32;
        let mut exact = Vec::with_capacity(entries.len());
        let mut folded = Vec::with_capacity(entries.len());
        let mut deletes = Vec::new();
        let mut buf = String::new();
        for (i, &entry @ [_, _, count]) in entries.iter().enumerate() {
            let word = &arena[form_range(entry)];
            exact.push((hash_str(word), i as u32));
            buf.clear();
            fold_into(word, &mut buf);
            folded.push((hash_str(&buf), i as u32));
            if count >= MIN_COUNT_FOR_EDITS {
                symdel::delete_pairs(&buf, i as u32, &mut deletes);
            }
        }
        WordTable {
            arena,
            forms_in_text,
            entries,
            exact: HashIndex::from_pairs(exact, ids),
            folded: HashIndex::from_pairs(folded, ids),
            deletes: DeleteIndex::from_pairs(deletes, ids),
        }
    }

    /// The cache file of this table under `key`.
    fn to_cache(&self, key: u64) -> Vec<u8> {
        let mut out = cache::Writer::new(Vec::new());
        let flat: &[u32] = bytemuck::cast_slice(&self.entries);
        (|| {
            out.header(key)?;
            // None when they are the word list's text, which loading is given.
            out.bytes(match self.forms_in_text {
                true => &[],
                false => self.arena.as_bytes(),
            })?;
            out.u32s(flat)?;
            self.exact.write(&mut out)?;
            self.folded.write(&mut out)?;
            self.deletes.write(&mut out)
        })()
        .expect("writing to memory does not fail");
        out.into_inner()
    }

    /// The table of word list `text` from its cache file. (`text` is a `Cow` to be cloned:
    /// without a copy when borrowed, as the shipped list is.)
    #[allow(clippy::ptr_arg)]
    fn from_cache(
        file: std::fs::File,
        key: u64,
        text: &Cow<'static, str>,
    ) -> Result<WordTable, CacheError> {
        let size = file.metadata().map_or(0, |m| m.len());
        let mut input = cache::Reader::open(file, size, key)?;
        let table = WordTable::read(&mut input, text)?;
        input.finish()?;
        Ok(table)
    }

    #[allow(clippy::ptr_arg)]
    fn read(
        input: &mut cache::Reader<impl std::io::Read>,
        text: &Cow<'static, str>,
    ) -> Result<WordTable, CacheError> {
        let stored = input.bytes()?;
        let forms_in_text = stored.is_empty();
        let arena = match forms_in_text {
            true => text.clone(),
            false => Cow::Owned(
                String::from_utf8(stored)
                    .map_err(|_| CacheError::Corrupt("forms are not UTF-8"))?,
            ),
        };
        // (start, length, count) of each form, taken as they were read, not copied.
        let entries: Vec<[u32; 3]> = bytemuck::allocation::try_cast_vec(input.u32s()?)
            .map_err(|_| CacheError::Corrupt("entries"))?;
        let in_arena = |&entry: &[u32; 3]| {
            let form = form_range(entry);
            form.end <= arena.len()
                && arena.is_char_boundary(form.start)
                && arena.is_char_boundary(form.end)
        };
        if !entries.iter().all(in_arena) {
            return Err(CacheError::Corrupt("entries"));
        }
        let n = entries.len() as u32;
        Ok(WordTable {
            exact: HashIndex::read(input, n)?,
            folded: HashIndex::read(input, n)?,
            deletes: DeleteIndex::read(input, n)?,
            arena,
            forms_in_text,
            entries,
        })
    }

    fn text(&self, i: u32) -> &str {
        &self.arena[form_range(self.entries[i as usize])]
    }

    fn get(&self, word: &str) -> Option<u32> {
        self.exact
            .get(hash_str(word))
            .find(|&i| self.text(i) == word)
    }
}

/// How a lexicon's indexes were obtained from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Read from the cache.
    Loaded,
    /// Built and saved for next time.
    Built,
    /// Built; the cache could not be used or written, for this reason.
    Unusable(String),
}

/// Hashed into the cache key: indexes built by a hasher that hashes this differently are
/// useless to this build.
const HASHER_PROBE: &str = "información";

/// The lexicon: the shipped word list plus user layers.
pub struct Lexicon {
    layers: Vec<WordTable>,
    log_total: f64,
    /// Identifies the word lists this lexicon was built from (see `Lexicon::key`).
    key: u64,
}

impl Lexicon {
    /// A hash of every word list the lexicon was built from, in order: two lexicons with the
    /// same key give the same answers.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// The shipped Spanish lexicon.
    pub fn shipped() -> Lexicon {
        Lexicon::from_tsv("dictionaries/es/words.tsv", SHIPPED_WORDS)
            .expect("the shipped lexicon is checked by tests")
    }

    /// The shipped lexicon, its indexes read from (or saved to) the cache in `cache_dir`.
    pub fn shipped_cached(cache_dir: &Path) -> (Lexicon, CacheOutcome) {
        let (lexicon, outcome) =
            Lexicon::from_tsv_cached("dictionaries/es/words.tsv", SHIPPED_WORDS.into(), cache_dir);
        (
            lexicon.expect("the shipped lexicon is checked by tests"),
            outcome,
        )
    }

    /// A lexicon from `word<TAB>count` lines (kept as the forms' store: see `WordTable`).
    pub fn from_tsv(
        source_name: &str,
        text: impl Into<Cow<'static, str>>,
    ) -> Result<Lexicon, LexiconError> {
        let text = text.into();
        let key = crate::hash::fast_hash(text.as_bytes());
        Ok(Lexicon::with_base(
            WordTable::parse(source_name, text, 1)?,
            key,
        ))
    }

    /// As [`Lexicon::from_tsv`], with the indexes read from the cache in `cache_dir` when it
    /// holds those of this very text, else built and saved there for next time. The cache is
    /// only ever a shortcut: whatever is wrong with it, the lexicon is built from the text.
    pub fn from_tsv_cached(
        source_name: &str,
        text: Cow<'static, str>,
        cache_dir: &Path,
    ) -> (Result<Lexicon, LexiconError>, CacheOutcome) {
        let key = cache::key(&text, 1, hash_str(HASHER_PROBE));
        let path = cache_dir.join(format!("lexicon-{key:016x}.idx"));
        let problem = match std::fs::File::open(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => Some(e.to_string()),
            Ok(file) => match WordTable::from_cache(file, key, &text) {
                Ok(table) => return (Ok(Lexicon::with_base(table, key)), CacheOutcome::Loaded),
                Err(e) => Some(e.to_string()),
            },
        };
        let table = match WordTable::parse(source_name, text, 1) {
            Ok(t) => t,
            Err(e) => return (Err(e), CacheOutcome::Built),
        };
        let outcome = match (
            crate::files::write_atomic_shared(&path, &table.to_cache(key)),
            problem,
        ) {
            (Ok(()), None) => CacheOutcome::Built,
            (Ok(()), Some(p)) => {
                CacheOutcome::Unusable(format!("{}: {p}; rebuilt it", path.display()))
            }
            (Err(e), _) => CacheOutcome::Unusable(format!("cannot write {}: {e}", path.display())),
        };
        (Ok(Lexicon::with_base(table, key)), outcome)
    }

    fn with_base(table: WordTable, key: u64) -> Lexicon {
        let total: f64 = table.entries.iter().map(|e| f64::from(e[2])).sum();
        Lexicon {
            layers: vec![table],
            log_total: total.max(1.0).ln(),
            key,
        }
    }

    /// Adds a user word list: one word per line, optionally `<TAB>count`; `#` comments.
    pub fn add_user_words(&mut self, source_name: &str, text: &str) -> Result<(), LexiconError> {
        let table = WordTable::parse(source_name, Cow::Owned(text.to_string()), USER_WORD_COUNT)?;
        self.layers.push(table);
        self.key = crate::hash::combine(&[self.key, crate::hash::fast_hash(text.as_bytes())]);
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.layers.iter().map(|l| l.entries.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn text(&self, id: EntryId) -> &str {
        self.layers[id.layer as usize].text(id.index)
    }

    /// [`Lexicon::text`] of each of `ids`, read together: where each form starts for all of
    /// them, then the forms, so that the cache misses overlap.
    pub fn texts(&self, ids: &[EntryId]) -> Vec<&str> {
        let ranges: Vec<(usize, Range<usize>)> = ids
            .iter()
            .map(|id| {
                let layer = id.layer as usize;
                (
                    layer,
                    form_range(self.layers[layer].entries[id.index as usize]),
                )
            })
            .collect();
        ranges
            .into_iter()
            .map(|(layer, range)| &self.layers[layer].arena[range])
            .collect()
    }

    pub fn count(&self, id: EntryId) -> u32 {
        self.layers[id.layer as usize].entries[id.index as usize][2]
    }

    /// Natural log of the relative frequency of an entry.
    pub fn log_prob(&self, id: EntryId) -> f64 {
        f64::from(self.count(id)).ln() - self.log_total
    }

    /// ln of the relative frequency given to a word the lexicon lacks: that of a count of 1.
    pub fn unknown_log_prob(&self) -> f64 {
        -self.log_total
    }

    /// The exact form, in any layer (the highest layer wins).
    pub fn exact(&self, word: &str) -> Option<EntryId> {
        self.layers.iter().enumerate().rev().find_map(|(layer, t)| {
            t.get(word).map(|index| EntryId {
                layer: layer as u8,
                index,
            })
        })
    }

    /// The entry that makes `word`, as written, a correct spelling, if any: exact, or a
    /// lower-case entry for a `Title`/`UPPER` word, or a capitalised entry for an `UPPER` word,
    /// or an all-capital entry for a `Title` word of two letters or more.
    pub fn known(&self, word: &str) -> Option<EntryId> {
        if let Some(id) = self.exact(word) {
            return Some(id);
        }
        match Case::of(word) {
            Case::Title => self.exact(&word.to_lowercase()).or_else(|| {
                (word.chars().nth(1).is_some())
                    .then(|| self.exact(&word.to_uppercase()))
                    .flatten()
            }),
            Case::Upper => {
                let lower = word.to_lowercase();
                self.exact(&lower)
                    .or_else(|| self.exact(&Case::Title.apply(&lower)))
            }
            Case::Lower | Case::Mixed => None,
        }
    }

    /// Whether `word` is a prefix and a lower-case word of the lexicon (`desmovilización`),
    /// and no word of the lexicon differs from it only by accents: a prefix never hides a
    /// misreading (`reunion` is reunión, whatever `union` is).
    pub fn prefixed(&self, word: &str) -> bool {
        if Case::of(word) == Case::Mixed {
            return false;
        }
        let lower = word.to_lowercase();
        let word_after = |p: &&str| {
            lower.strip_prefix(p).is_some_and(|base| {
                base.chars().count() >= MIN_PREFIXED_BASE && self.exact(base).is_some()
            })
        };
        if !PREFIXES.iter().any(word_after) {
            return false;
        }
        let mut twins = Vec::new();
        self.with_fold(&fold(&lower), &mut twins);
        twins.is_empty()
    }

    /// Every entry whose folded form is one of `folded`: `f(i, id)` for those of `folded[i]`,
    /// in the order of `folded`, then of the layers. Looked up together, so that the cache
    /// misses overlap (see `HashIndex::get_each`).
    pub fn with_folds(&self, folded: &[&str], mut f: impl FnMut(usize, EntryId)) {
        let keys: Vec<u64> = folded.iter().map(|s| hash_str(s)).collect();
        let mut found = Vec::new();
        let mut buf = String::new();
        for (layer, t) in self.layers.iter().enumerate() {
            t.folded.get_each(&keys, |i, index| {
                // Hash collisions of folded keys are possible: confirm.
                buf.clear();
                fold_into(t.text(index), &mut buf);
                if buf == folded[i] {
                    let layer = layer as u8;
                    found.push((i, EntryId { layer, index }));
                }
            });
        }
        // Stable: within one form, layer order stays.
        found.sort_by_key(|&(i, _)| i);
        found.into_iter().for_each(|(i, id)| f(i, id));
    }

    /// Every entry whose folded form is `folded`.
    pub fn with_fold(&self, folded: &str, out: &mut Vec<EntryId>) {
        self.with_folds(&[folded], |_, id| out.push(id));
    }

    /// Entries whose folded form is within `max_distance` (≤ 2) edits of `folded`
    /// (symmetric-delete search; the caller scores the real distance).
    pub fn near(&self, folded: &str, max_distance: usize, out: &mut Vec<EntryId>) {
        for (layer, t) in self.layers.iter().enumerate() {
            t.deletes.lookup(folded, max_distance, &mut |index| {
                out.push(EntryId {
                    layer: layer as u8,
                    index,
                });
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Lexicon {
        Lexicon::from_tsv(
            "t",
            "Uzbekistán\t5\nasí\t90\ninformación\t50\nsi\t100\nDAESH\t3\n",
        )
        .unwrap()
    }

    #[test]
    fn case_aware_lookup() {
        let lex = small();
        assert!(lex.known("información").is_some());
        assert!(lex.known("Información").is_some());
        assert!(lex.known("INFORMACIÓN").is_some());
        assert!(lex.known("InFormación").is_none());
        assert!(lex.known("Uzbekistán").is_some());
        assert!(lex.known("UZBEKISTÁN").is_some());
        assert!(
            lex.known("uzbekistán").is_none(),
            "a name stays capitalised"
        );
        assert!(lex.known("informacion").is_none());
        assert!(lex.known("Daesh").is_some(), "an acronym written as a name");
        assert!(lex.known("daesh").is_none());
        assert!(lex.known("DAESH").is_some());
    }

    #[test]
    fn a_prefix_and_a_word_make_a_word_unless_an_accent_twin_exists() {
        let lex = Lexicon::from_tsv(
            "t",
            "capitalización\t5\nreunión\t9\nunion\t3\nlacio\t2\nmovilización\t4\n",
        )
        .unwrap();
        assert!(lex.prefixed("recapitalización"));
        assert!(lex.prefixed("Desmovilización"));
        assert!(lex.prefixed("DESMOVILIZACIÓN"));
        assert!(
            !lex.prefixed("reunion"),
            "reunión differs only by its accent"
        );
        assert!(!lex.prefixed("relacio"), "too little after the prefix");
        assert!(!lex.prefixed("capitalización"), "no prefix");
        assert!(!lex.prefixed("reCapitalización"));
    }

    #[test]
    fn folded_and_near_lookups() {
        let lex = small();
        let mut out = Vec::new();
        lex.with_fold("asi", &mut out);
        assert_eq!(
            out.iter().map(|&id| lex.text(id)).collect::<Vec<_>>(),
            vec!["así"]
        );
        out.clear();
        lex.near("informasion", 1, &mut out);
        assert!(out.iter().any(|&id| lex.text(id) == "información"));
    }

    #[test]
    fn user_words_layer_on_top() {
        let mut lex = small();
        assert!(lex.known("Ibragimov").is_none());
        lex.add_user_words("names.txt", "# names\nIbragimov\n")
            .unwrap();
        let id = lex.known("Ibragimov").unwrap();
        assert_eq!(lex.count(id), USER_WORD_COUNT);
    }

    #[test]
    fn cached_indexes_equal_built_ones() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Uzbekistán\t5\nasí\t90\ninformación\t50\nsi\t100\n";
        // Forms kept in the list's text, and (a decomposed form) copied and normalised.
        for text in [text, "así\t90\ninformacio\u{301}n\t50\nsi\t100\n"] {
            let (built, outcome) = Lexicon::from_tsv_cached("t", text.into(), dir.path());
            assert_eq!(outcome, CacheOutcome::Built);
            let (loaded, outcome) = Lexicon::from_tsv_cached("t", text.into(), dir.path());
            assert_eq!(outcome, CacheOutcome::Loaded);
            let (built, loaded) = (built.unwrap(), loaded.unwrap());
            assert_eq!(built.layers, loaded.layers);
            assert!(loaded.known("información").is_some() && loaded.known("si").is_some());
            assert_eq!(
                loaded.layers[0].forms_in_text,
                text.is_ascii() || !text.contains('\u{301}')
            );
        }
        let (_, outcome) = Lexicon::from_tsv_cached("t", "otra\t1\n".into(), dir.path());
        assert_eq!(
            outcome,
            CacheOutcome::Built,
            "another list, another cache file"
        );
    }

    #[test]
    fn bad_count_names_the_line() {
        let err = Lexicon::from_tsv("w.tsv", "a\t1\nb\tx\n").err().unwrap();
        assert_eq!(
            err.to_string(),
            "w.tsv:2: count \"x\" is not a positive integer"
        );
    }
}
