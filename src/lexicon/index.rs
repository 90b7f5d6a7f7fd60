//! `HashIndex`: ids filed under 64-bit key hashes in one open-addressed table of 32-bit
//! slots (linear probing), each a fingerprint of the key and the id. A lookup reads one run
//! of neighbouring slots, nearly always one cache line: the indexes are far larger than the
//! caches, and candidate generation looks up hundreds of rewrites per word, most of them in
//! vain. The lexicon's three indexes (exact forms, folded forms, delete variants) are each
//! one of these: one flat array, which the index cache stores and loads as it is.

use super::cache::{CacheError, Reader, Writer};
use std::io::{Read, Write};

/// The most slots one in use may fill: a lookup that finds nothing scans about
/// (1 + 1/(1 − 0.7)²)/2 ≈ 6 slots, 24 bytes.
const MAX_LOAD: f64 = 0.7;

#[derive(Debug, Default, PartialEq)]
pub(crate) struct HashIndex {
    /// `fingerprint << id_bits | (id + 1)`, 0 for an empty slot. A key's ids lie in the run
    /// of filled slots from its home slot on, in ascending order.
    slots: Vec<u32>,
    /// Bits of a slot that hold `id + 1`; the rest hold the key's low bits.
    id_bits: u32,
}

impl HashIndex {
    /// From `(key hash, id)` pairs with ids below `id_limit`, in any order; duplicate pairs
    /// count once.
    pub(crate) fn from_pairs(mut pairs: Vec<(u64, u32)>, id_limit: u32) -> HashIndex {
        pairs.sort_unstable();
        pairs.dedup();
        let len = ((pairs.len() as f64 / MAX_LOAD) as usize + 1).max(2);
        let mut index = HashIndex {
            slots: vec![0; len],
            id_bits: id_bits(id_limit),
        };
        for (key, id) in pairs {
            assert!(id < id_limit, "id {id} beyond the limit {id_limit}");
            let mut at = index.home(key);
            while index.slots[at] != 0 {
                at = if at + 1 == len { 0 } else { at + 1 };
            }
            index.slots[at] = index.fingerprint(key) << index.id_bits | (id + 1);
        }
        index
    }

    fn home(&self, key: u64) -> usize {
        // The high half of the key, scaled to the table (Lemire's multiply-shift).
        (((key >> 32) * self.slots.len() as u64) >> 32) as usize
    }

    /// The key's low bits that a slot keeps beside the id.
    fn fingerprint(&self, key: u64) -> u32 {
        (key as u32) & (u32::MAX >> self.id_bits)
    }

    /// The ids filed under `key` (and, rarely, under another key with the same home and
    /// fingerprint: callers confirm what they find).
    pub(crate) fn get(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let (before, from) = self.slots.split_at(self.home(key));
        let (fingerprint, id_bits) = (self.fingerprint(key), self.id_bits);
        let id_mask = (1u32 << id_bits) - 1;
        from.iter()
            .chain(before)
            .take_while(|&&slot| slot != 0)
            .filter(move |&&slot| slot >> id_bits == fingerprint)
            .map(move |&slot| (slot & id_mask) - 1)
    }

    /// As [`HashIndex::get`] for each of `keys`: `f(i, id)` for the ids under `keys[i]`, in
    /// order. The home slots are all read first, loads the processor overlaps: most lookups
    /// of candidate generation end there, at an empty slot, and each is a cache miss.
    pub(crate) fn get_each(&self, keys: &[u64], mut f: impl FnMut(usize, u32)) {
        let homes: Vec<u32> = keys.iter().map(|&key| self.slots[self.home(key)]).collect();
        for (i, (&key, &home)) in keys.iter().zip(&homes).enumerate() {
            if home != 0 {
                self.get(key).for_each(|id| f(i, id));
            }
        }
    }

    pub(crate) fn write(&self, out: &mut Writer<impl Write>) -> std::io::Result<()> {
        out.u32s(&self.slots)
    }

    /// Reads what `write` wrote for ids below `id_limit`, and checks that every id is below
    /// it and that a slot is empty (every lookup ends), so a damaged cache is refused rather
    /// than trusted.
    pub(crate) fn read(
        input: &mut Reader<impl Read>,
        id_limit: u32,
    ) -> Result<HashIndex, CacheError> {
        let index = HashIndex {
            slots: input.u32s()?,
            id_bits: id_bits(id_limit),
        };
        let id_mask = (1u32 << index.id_bits) - 1;
        // Without early exits, so that it vectorises: the table is read at every start-up.
        let (empty, bad) = index
            .slots
            .iter()
            .fold((false, false), |(empty, bad), &slot| {
                let id = slot & id_mask;
                (
                    empty | (slot == 0),
                    bad | (id > id_limit) | ((id == 0) & (slot != 0)),
                )
            });
        let sound = index.slots.len() >= 2 && empty && !bad;
        if sound {
            Ok(index)
        } else {
            Err(CacheError::Corrupt("inconsistent index"))
        }
    }
}

/// Bits that hold `id + 1` for ids below `id_limit` (at least one, so a fingerprint has at
/// most 31).
fn id_bits(id_limit: u32) -> u32 {
    (u32::BITS - id_limit.leading_zeros()).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(index: &HashIndex, key: u64) -> Vec<u32> {
        index.get(key).collect()
    }

    #[test]
    fn files_ids_by_key() {
        let index = HashIndex::from_pairs(vec![(7, 1), (3, 0), (7, 2), (7, 1), (u64::MAX, 9)], 10);
        assert_eq!(ids(&index, 7), [1, 2]);
        assert_eq!(ids(&index, 3), [0]);
        assert_eq!(ids(&index, u64::MAX), [9]);
        assert!(ids(&index, 4).is_empty());
        assert!(ids(&HashIndex::from_pairs(Vec::new(), 0), 1).is_empty());
    }

    #[test]
    fn round_trips_and_refuses_ids_out_of_range() {
        let key = |i: u32| u64::from(i % 97).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let index = HashIndex::from_pairs((0..1000u32).map(|i| (key(i), i)).collect(), 1000);
        assert_eq!(ids(&index, key(5)).len(), 11);
        let mut out = Writer::new(Vec::new());
        index.write(&mut out).unwrap();
        let bytes = out.into_inner();
        let back = HashIndex::read(&mut Reader::new(&bytes[..]), 1000).unwrap();
        assert_eq!(back, index);
        assert!(HashIndex::read(&mut Reader::new(&bytes[..]), 999).is_err());
        // A table with no empty slot (a lookup would never end), or a slot with a fingerprint
        // and no id, is damaged.
        for slots in [[1, 2], [1 << 31, 0]] {
            let mut out = Writer::new(Vec::new());
            out.u32s(&slots).unwrap();
            let bytes = out.into_inner();
            assert!(HashIndex::read(&mut Reader::new(&bytes[..]), 1000).is_err());
        }
    }

    proptest::proptest! {
        /// Every id comes back under its key, in ascending order, whatever the keys' home
        /// slots and fingerprints share; another key's id only with the same fingerprint.
        #[test]
        fn finds_every_id_under_its_key(
            pairs in proptest::collection::vec((0u64..40, 0u32..300), 0..200),
            spread in proptest::bool::ANY,
        ) {
            // Small keys share home slots; spread ones are hash-like.
            let key = |k: u64| if spread { k.wrapping_mul(0x9E37_79B9_7F4A_7C15) } else { k };
            let pairs: Vec<(u64, u32)> = pairs.into_iter().map(|(k, id)| (key(k), id)).collect();
            let index = HashIndex::from_pairs(pairs.clone(), 300);
            let keys: Vec<u64> = (0..40).map(key).collect();
            let mut each = Vec::new();
            index.get_each(&keys, |i, id| each.push((keys[i], id)));
            let one_by_one: Vec<(u64, u32)> =
                keys.iter().flat_map(|&k| index.get(k).map(move |id| (k, id))).collect();
            proptest::prop_assert_eq!(each, one_by_one);
            for k in 0..40 {
                let mut wanted: Vec<u32> =
                    pairs.iter().filter(|p| p.0 == key(k)).map(|p| p.1).collect();
                wanted.sort_unstable();
                wanted.dedup();
                let found: Vec<u32> = index
                    .get(key(k))
                    .filter(|id| pairs.iter().any(|p| p.0 == key(k) && p.1 == *id))
                    .collect();
                proptest::prop_assert_eq!(&found, &wanted);
                for id in index.get(key(k)) {
                    let filed_alike = pairs.iter().any(|p| {
                        p.1 == id && index.fingerprint(p.0) == index.fingerprint(key(k))
                    });
                    proptest::prop_assert!(filed_alike);
                }
            }
        }
    }
}
