//! Symmetric-delete index (the SymSpell method) of our own: every string reachable by deleting
//! up to two characters from the first `PREFIX` characters of a folded word, hashed, sorted.
//! A flat sorted array instead of the `symspell` crate's hash map of strings: built in a
//! fraction of the time and memory (docs/design.md has the measurements).

use rustc_hash::FxHashSet;
use std::hash::{BuildHasher, Hasher};

/// Only the first characters take part, as in SymSpell: candidates are then checked in full.
const PREFIX: usize = 7;
const MAX_DELETES: usize = 2;

#[derive(Default)]
pub(crate) struct DeleteIndex {
    /// (hash of a delete variant, word index), sorted.
    pairs: Vec<(u64, u32)>,
}

fn hash_chars(chars: &[char]) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    for &c in chars {
        h.write_u32(c as u32);
    }
    h.finish()
}

/// Calls `f` with the hash of every variant of `chars` with up to `max` characters deleted
/// (the word itself included). Duplicates are possible; callers dedupe where it matters.
fn for_each_delete(chars: &[char], max: usize, f: &mut impl FnMut(u64)) {
    f(hash_chars(chars));
    if max == 0 || chars.len() <= 1 {
        return;
    }
    let mut buf: Vec<char> = Vec::with_capacity(chars.len());
    for i in 0..chars.len() {
        if i > 0 && chars[i] == chars[i - 1] {
            continue; // deleting either of two equal neighbours gives the same string
        }
        buf.clear();
        buf.extend_from_slice(&chars[..i]);
        buf.extend_from_slice(&chars[i + 1..]);
        let tmp = buf.clone();
        for_each_delete(&tmp, max - 1, f);
    }
}

impl DeleteIndex {
    pub(crate) fn build(words: impl Iterator<Item = (u32, String)>) -> DeleteIndex {
        let mut pairs = Vec::new();
        let mut seen = FxHashSet::default();
        for (index, folded) in words {
            let chars: Vec<char> = folded.chars().take(PREFIX).collect();
            seen.clear();
            for_each_delete(&chars, MAX_DELETES, &mut |h| {
                if seen.insert(h) {
                    pairs.push((h, index));
                }
            });
        }
        pairs.sort_unstable();
        pairs.dedup();
        DeleteIndex { pairs }
    }

    pub(crate) fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Calls `f` with every word index sharing a delete variant with `folded` within
    /// `max_distance` deletes (a superset of the words within that edit distance).
    pub(crate) fn lookup(&self, folded: &str, max_distance: usize, f: &mut impl FnMut(u32)) {
        let chars: Vec<char> = folded.chars().take(PREFIX).collect();
        let mut seen_hashes = FxHashSet::default();
        let mut seen_words = FxHashSet::default();
        for_each_delete(&chars, max_distance.min(MAX_DELETES), &mut |h| {
            if !seen_hashes.insert(h) {
                return;
            }
            let from = self.pairs.partition_point(|&(k, _)| k < h);
            for &(k, index) in &self.pairs[from..] {
                if k != h {
                    break;
                }
                if seen_words.insert(index) {
                    f(index);
                }
            }
        });
    }
}
