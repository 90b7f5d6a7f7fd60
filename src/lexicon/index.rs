//! `HashIndex`: ids filed under 64-bit key hashes, in one sorted array with a bucket
//! directory. The lexicon's three indexes (exact forms, folded forms, delete variants) are
//! each one of these: two flat arrays, which the index cache stores and loads as they are.

use super::cache::{CacheError, Reader, Writer};
use std::io::{Read, Write};

#[derive(Debug, Default, PartialEq)]
pub(crate) struct HashIndex {
    /// Bucket `b` (the top bits of a key) is `pairs[dir[b]..dir[b + 1]]`.
    dir: Vec<u32>,
    /// `(low 32 bits of the key) << 32 | id`, sorted by key. A lookup matches the bucket and
    /// the low bits, so keys of about 52 bits decide; callers confirm what they find.
    pairs: Vec<u64>,
}

impl HashIndex {
    /// From `(key hash, id)` pairs, in any order; duplicate pairs count once.
    pub(crate) fn from_pairs(mut pairs: Vec<(u64, u32)>) -> HashIndex {
        pairs.sort_unstable();
        pairs.dedup();
        // About two pairs per bucket.
        let bits = (pairs.len() / 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        let mut dir = vec![0u32; (1 << bits) + 1];
        for &(key, _) in &pairs {
            dir[bucket(key, bits) + 1] += 1;
        }
        for b in 1..dir.len() {
            dir[b] += dir[b - 1];
        }
        let pairs = pairs
            .into_iter()
            .map(|(key, id)| (key & 0xFFFF_FFFF) << 32 | u64::from(id))
            .collect();
        HashIndex { dir, pairs }
    }

    /// The ids filed under `key` (and, rarely, under another key with the same 52 bits).
    pub(crate) fn get(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let bits = (self.dir.len() - 1).trailing_zeros();
        let b = bucket(key, bits);
        let low = key & 0xFFFF_FFFF;
        self.pairs[self.dir[b] as usize..self.dir[b + 1] as usize]
            .iter()
            .filter(move |&&p| p >> 32 == low)
            .map(|&p| p as u32)
    }

    pub(crate) fn write(&self, out: &mut Writer<impl Write>) -> std::io::Result<()> {
        out.u32s(&self.dir)?;
        out.u64s(&self.pairs)
    }

    /// Reads what `write` wrote and checks that every lookup stays in bounds and every id is
    /// below `id_limit`, so a damaged cache is refused rather than trusted.
    pub(crate) fn read(
        input: &mut Reader<impl Read>,
        id_limit: u32,
    ) -> Result<HashIndex, CacheError> {
        let index = HashIndex {
            dir: input.u32s()?,
            pairs: input.u64s()?,
        };
        let sound = index.dir.len() >= 3
            && (index.dir.len() - 1).is_power_of_two()
            && index.dir[0] == 0
            && index.dir.last() == Some(&(index.pairs.len() as u32))
            && index.dir.windows(2).all(|w| w[0] <= w[1])
            && index.pairs.iter().all(|&p| (p as u32) < id_limit);
        if sound {
            Ok(index)
        } else {
            Err(CacheError::Corrupt("inconsistent index"))
        }
    }
}

fn bucket(key: u64, bits: u32) -> usize {
    (key >> (64 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(index: &HashIndex, key: u64) -> Vec<u32> {
        index.get(key).collect()
    }

    #[test]
    fn files_ids_by_key() {
        let index = HashIndex::from_pairs(vec![(7, 1), (3, 0), (7, 2), (7, 1), (u64::MAX, 9)]);
        assert_eq!(ids(&index, 7), [1, 2]);
        assert_eq!(ids(&index, 3), [0]);
        assert_eq!(ids(&index, u64::MAX), [9]);
        assert!(ids(&index, 4).is_empty());
        assert!(ids(&HashIndex::from_pairs(Vec::new()), 1).is_empty());
    }

    #[test]
    fn round_trips_and_refuses_ids_out_of_range() {
        let key = |i: u32| u64::from(i % 97).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let index = HashIndex::from_pairs((0..1000u32).map(|i| (key(i), i)).collect());
        assert_eq!(ids(&index, key(5)).len(), 11);
        let mut out = Writer::new(Vec::new());
        index.write(&mut out).unwrap();
        let bytes = out.into_inner();
        let back = HashIndex::read(&mut Reader::new(&bytes[..]), 1000).unwrap();
        assert_eq!(back, index);
        assert!(HashIndex::read(&mut Reader::new(&bytes[..]), 999).is_err());
    }
}
