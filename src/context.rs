//! The context model: which words stand next to each member of an accent-twin set (esta/está,
//! practica/práctica, mas/más) in clean Spanish (`dictionaries/es/context.tsv`, built by
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
        let twin_keys: Vec<u64> = twins.iter().map(|t| key(t)).collect();
        let seen: Vec<f64> = twin_keys
            .iter()
            .map(|t| f64::from(self.words.get(t).copied().unwrap_or(0)) + 1.0)
            .collect();
        let all: f64 = seen.iter().sum();
        let mut out = vec![0.0; twins.len()];
        if all == twins.len() as f64 {
            return out;
        }
        let mut seen_with = Vec::with_capacity(twins.len());
        for (neighbour, is_left) in [(left, true), (right, false)] {
            let together = |n: u64, seen_with: &mut Vec<f64>| {
                seen_with.clear();
                seen_with.extend(twin_keys.iter().map(|&t| {
                    let found = match is_left {
                        true => self.left.get(&(n, t)),
                        false => self.right.get(&(t, n)),
                    };
                    f64::from(found.copied().unwrap_or(0))
                }));
            };
            // The neighbour itself; if never seen beside the twins, its ending (`~tes`).
            together(key(neighbour), &mut seen_with);
            if seen_with.iter().sum::<f64>() == 0.0 {
                if let Some(ending) = ending(neighbour) {
                    together(key(&ending), &mut seen_with);
                }
            }
            let total: f64 = seen_with.iter().sum();
            if total == 0.0 {
                continue;
            }
            for (i, e) in out.iter_mut().enumerate() {
                let prior = seen[i] / all;
                *e += ((seen_with[i] + SMOOTHING * prior) / (total + SMOOTHING) / prior).ln();
            }
        }
        out
    }
}

/// Letters of a neighbour's ending that stand for it when it was never seen beside the twins.
pub const ENDING: usize = 3;

/// `~tes` for `importantes`: the back-off key of a word neighbour (none for short words and
/// punctuation, which stand for themselves).
fn ending(neighbour: &str) -> Option<String> {
    let chars: Vec<char> = neighbour.chars().collect();
    (chars.len() > ENDING && chars[0].is_alphabetic()).then(|| {
        format!(
            "~{}",
            chars[chars.len() - ENDING..].iter().collect::<String>()
        )
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
