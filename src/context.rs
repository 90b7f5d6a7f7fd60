//! The context model: which words stand next to each member of an accent-twin set (esta/está,
//! practica/práctica, mas/más) and to each common short word (la/las, el/en/es) in clean Spanish (`dictionaries/es/context.tsv`, built by
//! `scripts/build_context.py`). Neighbours are accent-folded, as OCR leaves them.
//!
//! The evidence a context gives for one of a set of twins is how much its neighbours raise its
//! share of the set above its share overall (naive Bayes over the left and right neighbour),
//! with few observations pulled towards "no evidence": a small corpus must not be overconfident.

use rustc_hash::FxHashMap;
use thiserror::Error;

pub const SHIPPED_CONTEXT: &str = include_str!("../dictionaries/es/context.tsv");

/// Pseudo-observations of a neighbour that carry the twins' overall shares.
pub const SMOOTHING: f64 = 2.0;

#[derive(Debug, Error)]
#[error("{source_name}:{line}: {reason}")]
pub struct ContextError {
    pub source_name: String,
    pub line: usize,
    pub reason: String,
}

/// What stands beside a word: a folded word, a punctuation mark, or the start or end of a line.
pub type Neighbour<'a> = &'a str;
pub const LINE_START: Neighbour<'static> = "<s>";
pub const LINE_END: Neighbour<'static> = "</s>";

/// Keys are 64-bit hashes of the strings: lookups, made for every word with a twin, then
/// allocate nothing.
#[derive(Debug, Default)]
pub struct ContextModel {
    /// Twin (lower case, accented as written) → count.
    words: FxHashMap<u64, u32>,
    /// (left neighbour, twin) → count.
    left: FxHashMap<(u64, u64), u32>,
    /// (twin, right neighbour) → count.
    right: FxHashMap<(u64, u64), u32>,
    /// Hash of the text it was read from.
    key: u64,
}

fn key(s: &str) -> u64 {
    crate::hash::fast_hash(s.as_bytes())
}

impl ContextModel {
    pub fn shipped() -> ContextModel {
        ContextModel::from_tsv("dictionaries/es/context.tsv", SHIPPED_CONTEXT)
            .expect("the shipped context model is checked by tests")
    }

    pub fn from_tsv(source_name: &str, text: &str) -> Result<ContextModel, ContextError> {
        // Read at every start-up: one pass, no allocation per row, maps sized up front.
        let rows = text.bytes().filter(|&b| b == b'\n').count();
        let mut model = ContextModel {
            key: crate::hash::fast_hash(text.as_bytes()),
            left: FxHashMap::with_capacity_and_hasher(rows / 2, Default::default()),
            right: FxHashMap::with_capacity_and_hasher(rows / 2, Default::default()),
            ..ContextModel::default()
        };
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let err = || ContextError {
                source_name: source_name.into(),
                line: n + 1,
                reason: "expected w, l or r rows: kind, one or two words, count, by tabs".into(),
            };
            // Tabs found in one pass over the row's bytes: kind, words (one or two), count.
            let mut tabs = [0usize; 3];
            let mut found = 0;
            for (i, &b) in line.as_bytes().iter().enumerate() {
                if b == b'\t' {
                    *tabs.get_mut(found).ok_or_else(err)? = i;
                    found += 1;
                }
            }
            let last = *tabs[..found].last().ok_or_else(err)?;
            let count: u32 = line[last + 1..].parse().map_err(|_| ContextError {
                reason: "count is not a number".into(),
                ..err()
            })?;
            let field = |from: usize, to: usize| key(&line[from + 1..to]);
            match (&line[..tabs[0]], found) {
                ("w", 2) => {
                    model.words.insert(field(tabs[0], tabs[1]), count);
                }
                ("l", 3) => {
                    let pair = (field(tabs[0], tabs[1]), field(tabs[1], tabs[2]));
                    model.left.insert(pair, count);
                }
                ("r", 3) => {
                    let pair = (field(tabs[0], tabs[1]), field(tabs[1], tabs[2]));
                    model.right.insert(pair, count);
                }
                _ => return Err(err()),
            }
        }
        Ok(model)
    }

    /// Identifies the text the model was read from.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// Whether the model counts `word` (lower case, as spelt in the lexicon): an accent twin
    /// or a common short word.
    pub fn models(&self, word: &str) -> bool {
        self.words.contains_key(&key(word))
    }

    /// Each twin's share of the set in the clean corpus (add-one smoothed), or `None` when the
    /// corpus shows none of them. For accent twins this is a better prior than web counts,
    /// where accentless spellings are inflated by writers who drop accents (`mas`).
    pub fn shares(&self, twins: &[String]) -> Option<Vec<f64>> {
        let seen: Vec<f64> = twins
            .iter()
            .map(|t| f64::from(self.words.get(&key(t)).copied().unwrap_or(0)))
            .collect();
        let all: f64 = seen.iter().sum::<f64>() + twins.len() as f64;
        (all > twins.len() as f64).then(|| seen.iter().map(|c| (c + 1.0) / all).collect())
    }

    /// Evidence (nats) that `left _ right` holds each of `twins` (lower case, as spelt in the
    /// lexicon; the words OCR cannot tell apart) rather than another of them: per side,
    /// `ln P(twin | neighbour) / P(twin)`, both within the set, the first smoothed towards the
    /// second by `SMOOTHING` pseudo-counts. A neighbour seen with none of the twins says
    /// nothing; neither does a set the corpus never shows.
    pub fn evidence(&self, left: Neighbour, twins: &[String], right: Neighbour) -> Vec<f64> {
        let mut out = Vec::new();
        self.evidence_for(left, &self.twin_set(twins), right, &mut out);
        out
    }

    /// A set of twins looked up once, to be weighed in many contexts.
    pub fn twin_set(&self, twins: &[String]) -> TwinSet {
        let keys: Vec<u64> = twins.iter().map(|t| key(t)).collect();
        let seen: Vec<f64> = keys
            .iter()
            .map(|t| f64::from(self.words.get(t).copied().unwrap_or(0)) + 1.0)
            .collect();
        let all = seen.iter().sum();
        TwinSet { keys, seen, all }
    }

    /// [`ContextModel::evidence`] of a prepared set, into `out` (one value per twin).
    pub fn evidence_for(
        &self,
        left: Neighbour,
        set: &TwinSet,
        right: Neighbour,
        out: &mut Vec<f64>,
    ) {
        let n = set.keys.len();
        out.clear();
        out.resize(n, 0.0);
        if set.all == n as f64 {
            return;
        }
        // Counts of each twin beside one neighbour; sets have a few members.
        let (mut on_stack, mut on_heap) = ([0.0f64; MAX_SET], Vec::new());
        let seen_with: &mut [f64] = if n <= MAX_SET {
            &mut on_stack[..n]
        } else {
            on_heap.resize(n, 0.0);
            &mut on_heap
        };
        for (neighbour, is_left) in [(left, true), (right, false)] {
            let together = |n: u64, seen_with: &mut [f64]| {
                for (count, &t) in seen_with.iter_mut().zip(&set.keys) {
                    let found = match is_left {
                        true => self.left.get(&(n, t)),
                        false => self.right.get(&(t, n)),
                    };
                    *count = f64::from(found.copied().unwrap_or(0));
                }
            };
            // The neighbour itself; if never seen beside the twins, its ending (`~tes`).
            together(key(neighbour), seen_with);
            if seen_with.iter().sum::<f64>() == 0.0 {
                if let Some(ending) = ending_key(neighbour) {
                    together(ending, seen_with);
                }
            }
            let total: f64 = seen_with.iter().sum();
            if total == 0.0 {
                continue;
            }
            for ((e, &with), &seen) in out.iter_mut().zip(&*seen_with).zip(&set.seen) {
                let prior = seen / set.all;
                *e += ((with + SMOOTHING * prior) / (total + SMOOTHING) / prior).ln();
            }
        }
    }
}

/// Twin sets up to this size are weighed without allocating (`esta`, `está`, `estás`…).
const MAX_SET: usize = 8;

/// A set of twins as the context model keys and counts them (see `ContextModel::twin_set`).
#[derive(Debug, Clone)]
pub struct TwinSet {
    keys: Vec<u64>,
    /// Corpus count of each twin, plus one.
    seen: Vec<f64>,
    all: f64,
}

/// Letters of a neighbour's ending that stand for it when it was never seen beside the twins.
pub const ENDING: usize = 3;

/// The key of `~tes` for `importantes`: the back-off of a word neighbour (none for short
/// words and punctuation, which stand for themselves).
fn ending_key(neighbour: &str) -> Option<u64> {
    let first = neighbour.chars().next()?;
    let start = neighbour.char_indices().rev().nth(ENDING - 1)?.0;
    (start > 0 && first.is_alphabetic()).then(|| {
        // "~" and three characters of at most four bytes each, on the stack.
        let mut buf = [0u8; 1 + 4 * ENDING];
        buf[0] = b'~';
        let tail = &neighbour.as_bytes()[start..];
        buf[1..=tail.len()].copy_from_slice(tail);
        crate::hash::fast_hash(&buf[..=tail.len()])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn favours(m: &ContextModel, left: &str, twins: [&str; 2], right: &str) -> f64 {
        let twins: Vec<String> = twins.iter().map(|t| t.to_string()).collect();
        let e = m.evidence(left, &twins, right);
        e[0] - e[1]
    }

    #[test]
    fn shipped_model_is_sorted_and_counts_are_positive() {
        let rows: Vec<&str> = SHIPPED_CONTEXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        assert!(rows.len() > 10_000);
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert!(rows
            .iter()
            .all(|r| r.rsplit('\t').next().unwrap().parse::<u32>().unwrap() > 0));
    }

    #[test]
    fn rows_of_the_wrong_shape_are_refused_by_line() {
        let good = "# comment\nw\testá\t5\nl\tque\testá\t3\nr\testá\ten\t2\n";
        let m = ContextModel::from_tsv("c", good).unwrap();
        assert_eq!((m.words.len(), m.left.len(), m.right.len()), (1, 1, 1));
        for (bad, line) in [
            ("w\testá\n", 1),
            ("w\ta\tb\t5\n", 1),
            ("l\ta\t5\n", 1),
            ("w\ta\t5\nr\ta\tb\tc\t5\n", 2),
            ("x\ta\tb\t5\n", 1),
            ("w\ta\tmany\n", 1),
        ] {
            let e = ContextModel::from_tsv("c", bad).unwrap_err();
            assert_eq!(e.line, line, "{bad:?}");
        }
    }

    #[test]
    fn context_tells_twins_apart() {
        let m = ContextModel::shipped();
        assert!(favours(&m, "que", ["está", "esta"], "en") > 1.0);
        assert!(favours(&m, "en", ["esta", "está"], "seccion") > 1.0);
        assert!(favours(&m, "lo", ["más", "mas"], "importante") > 1.0);
        assert!(favours(&m, "de", ["para", "pará"], "que") > 0.0);
        assert_eq!(
            favours(&m, "zzz", ["más", "mas"], "zzz"),
            0.0,
            "no data, no evidence"
        );
        assert_eq!(favours(&m, "la", ["qqq", "qqé"], "de"), 0.0);
    }
}
