//! Symmetric-delete index (the SymSpell method) of our own: every string reachable by deleting
//! up to `INDEX_DELETES` characters from a folded word, hashed, in one `HashIndex`. Queries
//! delete up to two characters from the input, so a word is found when the input reaches it by
//! up to two deletions and one insertion (or substitutions standing for a pair of them); two
//! substitutions in one word are left to the OCR confusion model. Asymmetric on purpose: the
//! full two-and-two index (SymSpell's) is 15× larger and its prefix trick floods long words
//! with candidates (docs/design.md has the measurements).

use super::cache::{CacheError, Reader, Writer};
use super::index::HashIndex;
use rustc_hash::FxHashSet;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};

/// Deletions applied to lexicon words in the index.
const INDEX_DELETES: usize = 1;
/// Deletions applied to the query.
const QUERY_DELETES: usize = 2;

#[derive(Debug, Default, PartialEq)]
pub(crate) struct DeleteIndex {
    runs: HashIndex,
}

/// Hash of `chars` without the characters at `skip` (positions; `usize::MAX` = none).
fn hash_without(chars: &[char], skip: [usize; 2]) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    for (i, &c) in chars.iter().enumerate() {
        if i != skip[0] && i != skip[1] {
            h.write_u32(c as u32);
        }
    }
    h.finish()
}

/// Calls `f` with the hash of every variant of `chars` with up to `max` (≤ 2) characters
/// deleted, the word itself included. Runs of equal characters give one variant per run.
fn for_each_delete(chars: &[char], max: usize, f: &mut impl FnMut(u64)) {
    const NONE: usize = usize::MAX;
    f(hash_without(chars, [NONE, NONE]));
    if max == 0 || chars.len() <= 1 {
        return;
    }
    for i in 0..chars.len() {
        if i > 0 && chars[i] == chars[i - 1] {
            continue;
        }
        f(hash_without(chars, [i, NONE]));
        if max >= 2 && chars.len() > 2 {
            for j in i + 1..chars.len() {
                if j > i + 1 && chars[j] == chars[j - 1] {
                    continue;
                }
                f(hash_without(chars, [i, j]));
            }
        }
    }
}

/// Appends the `(variant hash, index)` pairs of one folded lexicon word.
pub(crate) fn delete_pairs(folded: &str, index: u32, out: &mut Vec<(u64, u32)>) {
    let chars: Vec<char> = folded.chars().collect();
    for_each_delete(&chars, INDEX_DELETES, &mut |h| out.push((h, index)));
}

impl DeleteIndex {
    pub(crate) fn from_pairs(pairs: Vec<(u64, u32)>, id_limit: u32) -> DeleteIndex {
        DeleteIndex {
            runs: HashIndex::from_pairs(pairs, id_limit),
        }
    }

    pub(crate) fn write(&self, out: &mut Writer<impl Write>) -> std::io::Result<()> {
        self.runs.write(out)
    }

    pub(crate) fn read(
        input: &mut Reader<impl Read>,
        id_limit: u32,
    ) -> Result<DeleteIndex, CacheError> {
        Ok(DeleteIndex {
            runs: HashIndex::read(input, id_limit)?,
        })
    }

    /// Calls `f` with every word index sharing a delete variant with `folded` (up to
    /// `max_distance` deletions from the query, one from the word); the caller checks distance.
    pub(crate) fn lookup(&self, folded: &str, max_distance: usize, f: &mut impl FnMut(u32)) {
        let chars: Vec<char> = folded.chars().collect();
        let mut variants = Vec::new();
        for_each_delete(&chars, max_distance.min(QUERY_DELETES), &mut |h| {
            variants.push(h)
        });
        let mut seen_words = FxHashSet::default();
        self.runs.get_each(&variants, |_, index| {
            if seen_words.insert(index) {
                f(index);
            }
        });
    }
}
