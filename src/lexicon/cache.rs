//! The index cache: a lexicon's forms and indexes as flat little-endian arrays, written once
//! and read back at start-up instead of rebuilding the hash tables and the delete index
//! (docs/formats.md, "Index cache"). A file is named by the key of the word list it was built
//! from, so an edited list never meets a stale index; a damaged file is refused by its
//! checksum and rebuilt.

use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Write};
use thiserror::Error;

const MAGIC: &[u8; 8] = b"OCRQAIDX";
/// Bumped whenever the layout or what is indexed changes.
pub(crate) const FORMAT_VERSION: u32 = 3;

#[derive(Debug, Error)]
pub enum CacheError {
    #[error("not an ocrqa index cache")]
    NotACache,
    #[error("cache of another format version")]
    OtherVersion,
    #[error("cache built from another word list")]
    OtherKey,
    #[error("corrupt cache: {0}")]
    Corrupt(&'static str),
}

use crate::hash::fast_hash as fx_hash;

/// The key of a word list: its text, how it was read, and the hasher the indexes were built
/// with (a different hasher would make every stored key useless).
pub(crate) fn key(text: &str, default_count: u32, hasher_probe: u64) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write_u32(FORMAT_VERSION);
    h.write_u32(default_count);
    h.write_u64(hasher_probe);
    h.write_u64(text.len() as u64);
    h.write(text.as_bytes());
    h.finish()
}

/// Writes the header, then sections: an element count, the elements (little-endian), and
/// the checksum of their bytes.
pub(crate) struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    pub(crate) fn new(out: W) -> Writer<W> {
        Writer { out }
    }

    pub(crate) fn header(&mut self, key: u64) -> io::Result<()> {
        self.out.write_all(MAGIC)?;
        self.out.write_all(&FORMAT_VERSION.to_le_bytes())?;
        self.out.write_all(&0u32.to_le_bytes())?;
        self.out.write_all(&key.to_le_bytes())
    }

    fn section(&mut self, count: usize, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(&(count as u64).to_le_bytes())?;
        self.out.write_all(bytes)?;
        self.out.write_all(&fx_hash(bytes).to_le_bytes())
    }

    pub(crate) fn u32s(&mut self, values: &[u32]) -> io::Result<()> {
        let le: Vec<u32> = values.iter().map(|v| v.to_le()).collect();
        self.section(values.len(), bytemuck::cast_slice(&le))
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.section(bytes.len(), bytes)
    }

    pub(crate) fn into_inner(self) -> W {
        self.out
    }
}

/// Reads what `Writer` wrote, straight into the vectors that will hold it (no second copy of
/// a 26 MB index), refusing any section whose length or checksum does not hold.
pub(crate) struct Reader<R: Read> {
    input: R,
    /// Bytes not yet read, as far as the file's size says.
    left: u64,
}

#[cfg(test)]
impl<'a> Reader<&'a [u8]> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<&'a [u8]> {
        Reader {
            left: bytes.len() as u64,
            input: bytes,
        }
    }
}

impl<R: Read> Reader<R> {
    /// A reader of the sections of a file of `size` bytes, once its header says it is the
    /// cache wanted.
    pub(crate) fn open(input: R, size: u64, key: u64) -> Result<Reader<R>, CacheError> {
        let mut r = Reader { input, left: size };
        let mut header = [0u8; 24];
        r.fill(&mut header).map_err(|_| CacheError::NotACache)?;
        if &header[..8] != MAGIC {
            return Err(CacheError::NotACache);
        }
        if header[8..12] != FORMAT_VERSION.to_le_bytes() {
            return Err(CacheError::OtherVersion);
        }
        if header[16..24] != key.to_le_bytes() {
            return Err(CacheError::OtherKey);
        }
        Ok(r)
    }

    fn fill(&mut self, buf: &mut [u8]) -> Result<(), CacheError> {
        if (buf.len() as u64) > self.left {
            return Err(CacheError::Corrupt("truncated"));
        }
        self.input
            .read_exact(buf)
            .map_err(|_| CacheError::Corrupt("truncated"))?;
        self.left -= buf.len() as u64;
        Ok(())
    }

    fn word(&mut self) -> Result<u64, CacheError> {
        let mut b = [0u8; 8];
        self.fill(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    /// A section of `T`s, read into place.
    fn section<T: bytemuck::Pod + Default>(&mut self) -> Result<Vec<T>, CacheError> {
        let width = std::mem::size_of::<T>() as u64;
        let count = self.word()?;
        if count.checked_mul(width).is_none_or(|b| b + 8 > self.left) {
            return Err(CacheError::Corrupt("section length"));
        }
        let mut values = vec![T::default(); count as usize];
        self.fill(bytemuck::cast_slice_mut(&mut values))?;
        if self.word()? != fx_hash(bytemuck::cast_slice(&values)) {
            return Err(CacheError::Corrupt("checksum mismatch"));
        }
        Ok(values)
    }

    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>, CacheError> {
        Ok(self
            .section::<u32>()?
            .into_iter()
            .map(u32::from_le)
            .collect())
    }

    pub(crate) fn bytes(&mut self) -> Result<Vec<u8>, CacheError> {
        self.section::<u8>()
    }

    pub(crate) fn finish(self) -> Result<(), CacheError> {
        if self.left == 0 {
            Ok(())
        } else {
            Err(CacheError::Corrupt("trailing bytes"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Vec<u8> {
        let mut w = Writer::new(Vec::new());
        w.header(42).unwrap();
        w.u32s(&[1, 2, 3]).unwrap();
        w.bytes(b"abc").unwrap();
        w.u32s(&[u32::MAX]).unwrap();
        w.into_inner()
    }

    fn open(f: &[u8], key: u64) -> Result<Reader<&[u8]>, CacheError> {
        Reader::open(f, f.len() as u64, key)
    }

    #[test]
    fn sections_round_trip() {
        let f = file();
        let mut r = open(&f, 42).unwrap();
        assert_eq!(r.u32s().unwrap(), vec![1, 2, 3]);
        assert_eq!(r.bytes().unwrap(), b"abc");
        assert_eq!(r.u32s().unwrap(), vec![u32::MAX]);
        r.finish().unwrap();
    }

    #[test]
    fn refuses_other_keys_and_damage() {
        let f = file();
        assert!(matches!(open(&f, 41), Err(CacheError::OtherKey)));
        let mut r = open(&f[..f.len() - 1], 42).unwrap();
        assert!(r.u32s().is_ok() && r.bytes().is_ok());
        assert!(matches!(r.u32s(), Err(CacheError::Corrupt(_))));
        let mut flipped = f.clone();
        flipped[30] ^= 1;
        assert!(matches!(
            open(&flipped, 42).unwrap().u32s(),
            Err(CacheError::Corrupt(_))
        ));
        assert!(matches!(
            open(b"not a cache at all, not at all", 42),
            Err(CacheError::NotACache)
        ));
        let mut r = Reader::new(&[255; 16][..]);
        assert!(
            r.u32s().is_err(),
            "an absurd length is refused, not allocated"
        );
    }
}
