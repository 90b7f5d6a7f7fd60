//! Alignments behind the evaluation, as `score.py` makes them: Levenshtein distance, the
//! character or token pairs of an optimal alignment, and the groups of tokens aligned OCR →
//! truth (difflib's matching blocks first where the dynamic programme would be too large).

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// Products of lengths above this are aligned with difflib's matching blocks first (score.py).
const DP_LIMIT: usize = 2_000_000;
/// A non-matching token region whose joined strings exceed this product stays one group.
const REFINE_LIMIT: usize = 4_000_000;

/// Levenshtein distance (unit costs), O((n+m)·d) by diagonal transitions.
pub fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let offset = n + 1;
    let width = (n + m + 3) as usize;
    let slide = |mut i: isize, k: isize| {
        while i < n && i + k < m && a[i as usize] == b[(i + k) as usize] {
            i += 1;
        }
        i
    };
    let target = m - n;
    let mut prev = vec![isize::MIN / 2; width];
    prev[offset as usize] = slide(0, 0);
    if target == 0 && prev[offset as usize] == n {
        return 0;
    }
    let mut e: isize = 0;
    loop {
        e += 1;
        let mut cur = vec![isize::MIN / 2; width];
        let lo = -e.min(n);
        let hi = e.min(m);
        for k in lo..=hi {
            let idx = (k + offset) as usize;
            let mut i = prev[idx] + 1; // substitution
            if idx > 0 {
                i = i.max(prev[idx - 1]); // insertion (from diagonal k-1)
            }
            if idx + 1 < width {
                i = i.max(prev[idx + 1] + 1); // deletion (from diagonal k+1)
            }
            i = i.min(n).min(m - k);
            if i < 0 || i + k < 0 {
                continue;
            }
            let i = slide(i, k);
            cur[idx] = i;
            if k == target && i == n {
                return e as usize;
            }
        }
        prev = cur;
    }
}

type Pair = (Option<usize>, Option<usize>);

/// score.py's `_dp_pairs`: exact DP, ties broken diagonal, then up (delete), then left.
fn dp_pairs<T: PartialEq>(a: &[T], b: &[T], i0: usize, j0: usize, out: &mut Vec<Pair>) {
    let (n, m) = (a.len(), b.len());
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut back = vec![0u8; n * (m + 1)];
    for i in 1..=n {
        let mut cur = vec![0usize; m + 1];
        cur[0] = i;
        let row = &mut back[(i - 1) * (m + 1)..i * (m + 1)];
        row[0] = 1;
        for j in 1..=m {
            let d = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let u = prev[j] + 1;
            let l = cur[j - 1] + 1;
            if d <= u && d <= l {
                cur[j] = d;
            } else if u <= l {
                cur[j] = u;
                row[j] = 1;
            } else {
                cur[j] = l;
                row[j] = 2;
            }
        }
        prev = cur;
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let t = if i == 0 {
            2
        } else if j == 0 {
            1
        } else {
            back[(i - 1) * (m + 1) + j]
        };
        match t {
            0 => {
                pairs.push((Some(i0 + i - 1), Some(j0 + j - 1)));
                i -= 1;
                j -= 1;
            }
            1 => {
                pairs.push((Some(i0 + i - 1), None));
                i -= 1;
            }
            _ => {
                pairs.push((None, Some(j0 + j - 1)));
                j -= 1;
            }
        }
    }
    pairs.reverse();
    out.extend(pairs);
}

/// difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), as score.py uses it.
fn opcodes<T: Eq + Hash>(a: &[T], b: &[T]) -> Vec<(u8, usize, usize, usize, usize)> {
    let mut b2j: HashMap<&T, Vec<usize>> = HashMap::new();
    for (j, x) in b.iter().enumerate() {
        b2j.entry(x).or_default().push(j);
    }
    let longest = |alo: usize, ahi: usize, blo: usize, bhi: usize| {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0usize);
        let mut j2len: HashMap<usize, usize> = HashMap::new();
        for (i, x) in a.iter().enumerate().take(ahi).skip(alo) {
            let mut next: HashMap<usize, usize> = HashMap::new();
            if let Some(js) = b2j.get(x) {
                for &j in js {
                    if j < blo {
                        continue;
                    }
                    if j >= bhi {
                        break;
                    }
                    let k = j
                        .checked_sub(1)
                        .and_then(|p| j2len.get(&p))
                        .copied()
                        .unwrap_or(0)
                        + 1;
                    next.insert(j, k);
                    if k > bestsize {
                        besti = i + 1 - k;
                        bestj = j + 1 - k;
                        bestsize = k;
                    }
                }
            }
            j2len = next;
        }
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            besti -= 1;
            bestj -= 1;
            bestsize += 1;
        }
        while besti + bestsize < ahi
            && bestj + bestsize < bhi
            && a[besti + bestsize] == b[bestj + bestsize]
        {
            bestsize += 1;
        }
        (besti, bestj, bestsize)
    };
    let mut queue = vec![(0, a.len(), 0, b.len())];
    let mut blocks = Vec::new();
    while let Some((alo, ahi, blo, bhi)) = queue.pop() {
        let (i, j, k) = longest(alo, ahi, blo, bhi);
        if k > 0 {
            blocks.push((i, j, k));
            if alo < i && blo < j {
                queue.push((alo, i, blo, j));
            }
            if i + k < ahi && j + k < bhi {
                queue.push((i + k, ahi, j + k, bhi));
            }
        }
    }
    blocks.sort_unstable();
    let mut collapsed = Vec::new();
    let (mut i1, mut j1, mut k1) = (0, 0, 0);
    for (i2, j2, k2) in blocks {
        if i1 + k1 == i2 && j1 + k1 == j2 {
            k1 += k2;
        } else {
            if k1 > 0 {
                collapsed.push((i1, j1, k1));
            }
            (i1, j1, k1) = (i2, j2, k2);
        }
    }
    if k1 > 0 {
        collapsed.push((i1, j1, k1));
    }
    collapsed.push((a.len(), b.len(), 0));
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (ai, bj, size) in collapsed {
        if i < ai || j < bj {
            ops.push((b'x', i, ai, j, bj));
        }
        i = ai + size;
        j = bj + size;
        if size > 0 {
            ops.push((b'=', ai, i, bj, j));
        }
    }
    ops
}

/// score.py's `_py_pairs`: exact DP when small, else difflib blocks with DP in between.
fn align_pairs<T: Eq + Hash>(a: &[T], b: &[T]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    if a.len() * b.len() <= DP_LIMIT {
        dp_pairs(a, b, 0, 0, &mut pairs);
        return pairs;
    }
    for (tag, i1, i2, j1, j2) in opcodes(a, b) {
        if tag == b'=' {
            pairs.extend((0..i2 - i1).map(|k| (Some(i1 + k), Some(j1 + k))));
        } else if (i2 - i1) * (j2 - j1) <= DP_LIMIT {
            dp_pairs(&a[i1..i2], &b[j1..j2], i1, j1, &mut pairs);
        } else {
            let k = (i2 - i1).min(j2 - j1);
            pairs.extend((0..k).map(|x| (Some(i1 + x), Some(j1 + x))));
            pairs.extend((i1 + k..i2).map(|i| (Some(i), None)));
            pairs.extend((j1 + k..j2).map(|j| (None, Some(j))));
        }
    }
    pairs
}

/// Union-find over alignment nodes, path halving; its keys are every node seen.
pub(super) struct UnionFind<K: Ord + Clone> {
    pub(super) parent: BTreeMap<K, K>,
}

impl<K: Ord + Clone> UnionFind<K> {
    pub(super) fn new() -> Self {
        UnionFind {
            parent: BTreeMap::new(),
        }
    }
    pub(super) fn find(&mut self, x: K) -> K {
        let mut x = x;
        loop {
            let p = self
                .parent
                .entry(x.clone())
                .or_insert_with(|| x.clone())
                .clone();
            if p == x {
                return x;
            }
            // Path halving: point x at its grandparent.
            let gp = self.parent[&p].clone();
            self.parent.insert(x, gp.clone());
            x = gp;
        }
    }
    pub(super) fn union(&mut self, a: K, b: K) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent.insert(ra, rb);
        }
    }
}

pub(super) type Group = (usize, usize, usize, usize);

fn refine(a: &[&str], b: &[&str], a0: usize, a1: usize, b0: usize, b1: usize) -> Vec<Group> {
    if (a1 - a0 <= 1 && b1 - b0 <= 1) || a0 == a1 || b0 == b1 {
        return vec![(a0, a1, b0, b1)];
    }
    let sa: Vec<char> = a[a0..a1].join(" ").chars().collect();
    let sb: Vec<char> = b[b0..b1].join(" ").chars().collect();
    if sa.len() * sb.len() > REFINE_LIMIT {
        return vec![(a0, a1, b0, b1)];
    }
    let owners = |toks: &[&str], lo: usize, hi: usize| {
        let mut own = Vec::new();
        for (k, tok) in toks.iter().enumerate().take(hi).skip(lo) {
            own.extend(std::iter::repeat_n(Some(k), tok.chars().count()));
            if k < hi - 1 {
                own.push(None);
            }
        }
        own
    };
    let (own_a, own_b) = (owners(a, a0, a1), owners(b, b0, b1));
    let mut uf: UnionFind<(u8, usize)> = UnionFind::new();
    for (p, q) in align_pairs(&sa, &sb) {
        if let (Some(p), Some(q)) = (p, q) {
            if let (Some(ta), Some(tb)) = (own_a[p], own_b[q]) {
                uf.union((0, ta), (1, tb));
            }
        }
    }
    let keys: Vec<(u8, usize)> = uf.parent.keys().cloned().collect();
    let mut comps: BTreeMap<(u8, usize), [Vec<usize>; 2]> = BTreeMap::new();
    for key in keys {
        let r = uf.find(key);
        comps.entry(r).or_default()[key.0 as usize].push(key.1);
    }
    let mut blocks: Vec<[usize; 4]> = comps
        .values()
        .map(|c| {
            let mn = |v: &Vec<usize>| *v.iter().min().unwrap_or(&0);
            let mx = |v: &Vec<usize>| *v.iter().max().unwrap_or(&0);
            [mn(&c[0]), mx(&c[0]), mn(&c[1]), mx(&c[1])]
        })
        .collect();
    blocks.sort_unstable();
    let mut merged: Vec<[usize; 4]> = Vec::new();
    for blk in blocks {
        match merged.last_mut() {
            Some(m) if blk[0] <= m[1] || blk[2] <= m[3] => {
                m[1] = m[1].max(blk[1]);
                m[2] = m[2].min(blk[2]);
                m[3] = m[3].max(blk[3]);
            }
            _ => merged.push(blk),
        }
    }
    let mut groups = Vec::new();
    let (mut ca, mut cb) = (a0, b0);
    for [x0, x1, y0, y1] in merged {
        if x0 > ca || y0 > cb {
            groups.push((ca, x0, cb, y0));
        }
        groups.push((x0, x1 + 1, y0, y1 + 1));
        ca = x1 + 1;
        cb = y1 + 1;
    }
    if ca < a1 || cb < b1 {
        groups.push((ca, a1, cb, b1));
    }
    groups
}

pub(super) fn align_groups(a: &[&str], b: &[&str]) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut region: Option<(usize, usize)> = None;
    let (mut ia, mut ib) = (0, 0);
    let close = |groups: &mut Vec<Group>, r: (usize, usize), a1: usize, b1: usize| {
        for g in refine(a, b, r.0, a1, r.1, b1) {
            if g.1 - g.0 == g.3 - g.2 && a[g.0..g.1] == b[g.2..g.3] {
                groups.extend((0..g.1 - g.0).map(|k| (g.0 + k, g.0 + k + 1, g.2 + k, g.2 + k + 1)));
            } else {
                groups.push(g);
            }
        }
    };
    for (i, j) in align_pairs(a, b) {
        match (i, j) {
            (Some(i), Some(j)) if a[i] == b[j] => {
                if let Some(r) = region.take() {
                    close(&mut groups, r, i, j);
                }
                groups.push((i, i + 1, j, j + 1));
                ia = i + 1;
                ib = j + 1;
            }
            _ => {
                if region.is_none() {
                    region = Some((ia, ib));
                }
            }
        }
        if let Some(i) = i {
            ia = i + 1;
        }
        if let Some(j) = j {
            ib = j + 1;
        }
    }
    if let Some(r) = region {
        close(&mut groups, r, a.len(), b.len());
    }
    groups
}
