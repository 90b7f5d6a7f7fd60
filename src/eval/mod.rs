//! Evaluation against ground truth, with the definitions of the development set's `score.py`
//! (ported line for line where the alignment decides a count): texts NFC-normalised with
//! whitespace runs collapsed; CER and WER by Levenshtein distance; per word site (token groups
//! aligned OCR → truth and OCR → system): fixed, broken, changed-but-wrong, missed.

mod align;

pub use align::levenshtein;
use align::{align_groups, Group, UnionFind};
use serde::Serialize;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

fn is_space(c: char) -> bool {
    // Python's str.isspace, which `\s` follows: Rust's set plus the separators U+001C..U+001F.
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// NFC, then every whitespace run to one space, trimmed.
pub fn normalize(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    let mut pending = false;
    for c in nfc.chars() {
        if is_space(c) {
            pending = true;
        } else {
            if pending && !out.is_empty() {
                out.push(' ');
            }
            pending = false;
            out.push(c);
        }
    }
    out
}

/// Counters of one document or summed over many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub docs: usize,
    pub truth_chars: usize,
    pub truth_tokens: usize,
    pub ocr_char_dist: usize,
    pub ocr_tok_dist: usize,
    pub sys_char_dist: usize,
    pub sys_tok_dist: usize,
    pub errors: usize,
    pub fixed: usize,
    pub changed_wrong: usize,
    pub missed: usize,
    pub correct: usize,
    pub kept: usize,
    pub broken: usize,
    pub changed_ok: usize,
    pub spurious: usize,
    pub changed: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.docs += o.docs;
        self.truth_chars += o.truth_chars;
        self.truth_tokens += o.truth_tokens;
        self.ocr_char_dist += o.ocr_char_dist;
        self.ocr_tok_dist += o.ocr_tok_dist;
        self.sys_char_dist += o.sys_char_dist;
        self.sys_tok_dist += o.sys_tok_dist;
        self.errors += o.errors;
        self.fixed += o.fixed;
        self.changed_wrong += o.changed_wrong;
        self.missed += o.missed;
        self.correct += o.correct;
        self.kept += o.kept;
        self.broken += o.broken;
        self.changed_ok += o.changed_ok;
        self.spurious += o.spurious;
        self.changed += o.changed;
    }
}

fn word_stats(o: &[&str], t: &[&str], s: &[&str], c: &mut Counts) {
    let g_ot = align_groups(o, t);
    let g_os = align_groups(o, s);
    // Node kinds: 0 = OCR token, 1 = OCR gap, 2 = truth token, 3 = system token.
    let mut uf: UnionFind<(u8, usize)> = UnionFind::new();
    let nodes = |g: &Group, side: u8| {
        let (a0, a1, b0, b1) = *g;
        let mut n: Vec<(u8, usize)> = (a0..a1).map(|i| (0, i)).collect();
        n.extend((a0 + 1..a1).map(|i| (1, i)));
        if a0 == a1 {
            n.push((1, a0));
        }
        n.extend((b0..b1).map(|j| (side, j)));
        n
    };
    let union_all = |uf: &mut UnionFind<(u8, usize)>, n: Vec<(u8, usize)>| {
        let first = n[0];
        uf.find(first);
        for x in n.into_iter().skip(1) {
            uf.union(x, first);
        }
    };
    for g in &g_ot {
        union_all(&mut uf, nodes(g, 2));
    }
    let mut sys_same = vec![false; o.len()];
    let mut ins_at = std::collections::BTreeSet::new();
    for g in &g_os {
        union_all(&mut uf, nodes(g, 3));
        let (a0, a1, b0, b1) = *g;
        if a1 - a0 == 1 && b1 - b0 == 1 && o[a0] == s[b0] {
            sys_same[a0] = true;
        }
        if a0 == a1 {
            ins_at.insert(a0);
        }
    }
    let keys: Vec<(u8, usize)> = uf.parent.keys().cloned().collect();
    let mut units: BTreeMap<(u8, usize), [Vec<usize>; 4]> = BTreeMap::new();
    for key in keys {
        let r = uf.find(key);
        units.entry(r).or_default()[key.0 as usize].push(key.1);
    }
    for u in units.values_mut() {
        for v in u.iter_mut() {
            v.sort_unstable();
        }
    }
    for g in &g_ot {
        let (a0, a1, b0, b1) = *g;
        let root = uf.find(if a1 > a0 { (0, a0) } else { (1, a0) });
        let u = &units[&root];
        let ocr_ok = a1 - a0 == 1 && b1 - b0 == 1 && o[a0] == t[b0];
        let changed = (a0..a1).any(|i| !sys_same[i])
            || (a0 + 1..a1).any(|i| ins_at.contains(&i))
            || (a0 == a1 && ins_at.contains(&a0));
        let right = u[3].iter().map(|&k| s[k]).eq(u[2].iter().map(|&k| t[k]));
        if ocr_ok {
            c.correct += 1;
            if !changed {
                c.kept += 1;
            } else if right {
                c.changed_ok += 1;
            } else {
                c.broken += 1;
            }
        } else {
            c.errors += 1;
            if right && changed {
                c.fixed += 1;
            } else if changed {
                c.changed_wrong += 1;
            } else {
                c.missed += 1;
            }
        }
        if changed {
            c.changed += 1;
        }
    }
    for u in units.values() {
        if !u[3].is_empty() && u[0].is_empty() && u[2].is_empty() {
            c.spurious += 1;
            c.changed += 1;
            c.broken += 1;
        }
    }
}

/// Scores one document: OCR text, truth, and the system's output (`None`: the OCR unchanged).
pub fn score_document(ocr: &str, truth: &str, system: Option<&str>) -> Counts {
    let (o, t) = (normalize(ocr), normalize(truth));
    let s = system.map_or_else(|| o.clone(), normalize);
    let tokens = |x: &str| -> Vec<String> {
        if x.is_empty() {
            Vec::new()
        } else {
            x.split(' ').map(str::to_string).collect()
        }
    };
    let (ot, tt, st) = (tokens(&o), tokens(&t), tokens(&s));
    let chars = |x: &str| x.chars().collect::<Vec<char>>();
    let (oc, tc, sc) = (chars(&o), chars(&t), chars(&s));
    let mut c = Counts {
        docs: 1,
        truth_chars: tc.len(),
        truth_tokens: tt.len(),
        ocr_char_dist: levenshtein(&oc, &tc),
        ocr_tok_dist: levenshtein(&ot, &tt),
        sys_char_dist: levenshtein(&sc, &tc),
        sys_tok_dist: levenshtein(&st, &tt),
        ..Default::default()
    };
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    word_stats(&strs(&ot), &strs(&tt), &strs(&st), &mut c);
    c
}

/// Derived figures, as score.py's `finish`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    #[serde(flatten)]
    pub counts: Counts,
    pub cer_ocr: f64,
    pub cer: f64,
    pub wer_ocr: f64,
    pub wer: f64,
    pub improvement: f64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub damage: f64,
}

impl From<Counts> for Metrics {
    fn from(c: Counts) -> Metrics {
        let div = |a: usize, b: usize| a as f64 / b.max(1) as f64;
        Metrics {
            counts: c,
            cer_ocr: div(c.ocr_char_dist, c.truth_chars),
            cer: div(c.sys_char_dist, c.truth_chars),
            wer_ocr: div(c.ocr_tok_dist, c.truth_tokens),
            wer: div(c.sys_tok_dist, c.truth_tokens),
            improvement: if c.ocr_char_dist > 0 {
                (c.ocr_char_dist as f64 - c.sys_char_dist as f64) / c.ocr_char_dist as f64
            } else {
                0.0
            },
            precision: (c.changed > 0).then(|| div(c.fixed, c.changed)),
            recall: (c.errors > 0).then(|| div(c.fixed, c.errors)),
            damage: if c.correct > 0 {
                div(c.broken, c.correct)
            } else {
                0.0
            },
        }
    }
}

/// One OCR file of a set, its truth and its condition (score.py's `find_pairs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetPair {
    pub ocr: String,
    pub truth: String,
    pub condition: String,
}

/// Pairs OCR files (`NAME.ocr.txt`) with the longest truth prefix (`TRUTH.truth.txt`).
pub fn find_pairs(mut files: Vec<String>) -> Vec<SetPair> {
    files.sort();
    let truths: Vec<&str> = files
        .iter()
        .filter_map(|f| f.strip_suffix(".truth.txt"))
        .collect();
    let mut pairs = Vec::new();
    for f in &files {
        let Some(base) = f.strip_suffix(".ocr.txt") else {
            continue;
        };
        let cands: Vec<&str> = truths
            .iter()
            .copied()
            .filter(|t| base == *t || base.starts_with(t))
            .collect();
        let bounded: Vec<&str> = cands
            .iter()
            .copied()
            .filter(|t| base == *t || base[t.len()..].starts_with(['.', '_', '-']))
            .collect();
        let cands = if bounded.is_empty() { cands } else { bounded };
        let Some(t) = cands.iter().copied().max_by_key(|t| t.len()) else {
            continue;
        };
        let cond = base[t.len()..].trim_start_matches(['.', '_', '-']);
        pairs.push(SetPair {
            ocr: f.clone(),
            truth: format!("{t}.truth.txt"),
            condition: if cond.is_empty() {
                "-".into()
            } else {
                cond.into()
            },
        });
    }
    pairs
}

/// Per-condition (and `all`) metrics of a system against the raw OCR.
/// Spearman's rank correlation (ties get their average rank); `None` for fewer than two
/// values or a constant series.
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i;
            while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
                j += 1;
            }
            for &k in &order[i..=j] {
                r[k] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        r
    }
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let sa = ra.iter().map(|x| (x - ma).powi(2)).sum::<f64>().sqrt();
    let sb = rb.iter().map(|y| (y - mb).powi(2)).sum::<f64>().sqrt();
    (sa > 0.0 && sb > 0.0).then(|| cov / (sa * sb))
}

pub fn summarize(per_doc: &[(String, Counts)]) -> BTreeMap<String, Metrics> {
    let mut acc: BTreeMap<String, Counts> = BTreeMap::new();
    for (cond, c) in per_doc {
        *acc.entry("all".into()).or_default() += *c;
        *acc.entry(cond.clone()).or_default() += *c;
    }
    acc.into_iter()
        .map(|(k, v)| (k, Metrics::from(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn spearman_ranks_with_ties() {
        use super::spearman;
        let close = |r: Option<f64>, x: f64| r.is_some_and(|r| (r - x).abs() < 1e-9);
        assert!(close(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), 1.0));
        assert!(close(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0));
        let r = spearman(&[1.0, 1.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((r - 0.9487).abs() < 1e-3, "{r}");
        assert_eq!(spearman(&[1.0, 1.0], &[1.0, 2.0]), None);
    }

    use super::*;

    fn naive(a: &[char], b: &[char]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                cur[j] = (prev[j] + 1)
                    .min(cur[j - 1] + 1)
                    .min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest::proptest! {
        #[test]
        fn levenshtein_matches_plain_dp(a in "[abcñé ]{0,40}", b in "[abcñé ]{0,40}") {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            proptest::prop_assert_eq!(levenshtein(&a, &b), naive(&a, &b));
        }
    }

    // The cases of score.py's self-test.
    const TRUTH: &str = "La información y las tecnologías entrañan riesgos para la cooperación.";
    const OCR: &str = "La informacién y las tecnolo gias entrafian riesgos para la cooperacion.";

    #[test]
    fn selftest_cases_of_score_py() {
        let c = score_document(OCR, TRUTH, Some(TRUTH));
        assert_eq!(
            (c.errors, c.correct, c.fixed, c.sys_char_dist),
            (4, 6, 4, 0)
        );
        let c = score_document(OCR, TRUTH, None);
        assert_eq!((c.fixed, c.changed, c.missed), (0, 0, 4));
        let dmg = "La informacién y los tecnolo gias entrafian riesgos para la cooperacion.";
        let c = score_document(OCR, TRUTH, Some(dmg));
        assert_eq!(c.broken, 1);
        let part = "La información y las tecnologías entrafian riesgos para la cooperacion.";
        let c = score_document(OCR, TRUTH, Some(part));
        assert_eq!((c.fixed, c.missed), (2, 2));
        let wrong = "La informacion y las tecnolo gías entrañan riesgos para la cooperacion.";
        let c = score_document(OCR, TRUTH, Some(wrong));
        assert_eq!((c.changed_wrong, c.fixed, c.missed), (2, 1, 1));
        let ins = "La informacién y las tecnolo gias entrafian graves riesgos para la cooperacion.";
        let c = score_document(OCR, TRUTH, Some(ins));
        assert_eq!((c.spurious, c.broken, c.changed), (1, 1, 1));
        let mrg = "La informacién y las tecnolo gias entrafian riesgos parala cooperacion.";
        let c = score_document(OCR, TRUTH, Some(mrg));
        assert_eq!((c.broken, c.kept), (2, 4));
        let (t2, o2) = (
            "de la información del documento",
            "dela informacion | documento",
        );
        let c = score_document(o2, t2, Some(t2));
        assert_eq!((c.errors, c.fixed), (c.fixed, c.errors));
        let c = score_document(o2, t2, Some("dela información documento"));
        assert_eq!(c.fixed, 1);
        let c = score_document(
            "las tecno-\nlogías",
            "las tecnologías",
            Some("las tecnologías"),
        );
        assert_eq!((c.errors, c.fixed), (1, 1));
    }

    #[test]
    fn pairs_take_the_longest_truth_prefix() {
        let files = [
            "un-017.truth.txt",
            "un-017.eng-clean.ocr.txt",
            "un-01.truth.txt",
            "un-01.ocr.txt",
        ];
        let pairs = find_pairs(files.iter().map(|s| s.to_string()).collect());
        assert!(pairs.contains(&SetPair {
            ocr: "un-017.eng-clean.ocr.txt".into(),
            truth: "un-017.truth.txt".into(),
            condition: "eng-clean".into()
        }));
        assert!(pairs.contains(&SetPair {
            ocr: "un-01.ocr.txt".into(),
            truth: "un-01.truth.txt".into(),
            condition: "-".into()
        }));
    }
}
