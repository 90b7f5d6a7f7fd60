//! JSON as ocrqa writes and reads it: the `Outline` layout of every output file (outer levels
//! one value per line, deeper values on one line), a field-by-field writer for the one large
//! output (review files), and strict reading of versioned files.

use std::io::{self, Write};

/// A JSON output file's text, laid out by [`Outline`], ending in a newline.
pub fn pretty_json<T: serde::Serialize>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Outline::default());
    value.serialize(&mut ser).expect("outputs serialise");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Containers this deep (the file's own object is 1) get one line per value; deeper ones
/// are written on one line.
const OUTLINE_DEPTH: usize = 4;

/// JSON written value by value in [`Outline`]'s layout, for the one large output: review
/// files (12 MB on the dev set), whose serialisation through serde took 9 % of a run's
/// instructions, most of it per string and per field. Keys are written as given; strings are
/// escaped, and numbers formatted, as serde_json does (the review file's test checks the
/// bytes against `pretty_json`).
pub struct OutlineWriter {
    out: String,
    depth: usize,
    /// The container being written has a value (its end goes on a line of its own).
    has_value: bool,
    /// The next key or element is the container's first (no comma before it).
    first: bool,
}

impl OutlineWriter {
    pub fn with_capacity(bytes: usize) -> OutlineWriter {
        OutlineWriter {
            out: String::with_capacity(bytes),
            depth: 0,
            has_value: false,
            first: true,
        }
    }

    /// The text, ending in a newline.
    pub fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }

    fn separate(&mut self) {
        let first = std::mem::replace(&mut self.first, false);
        if self.depth <= OUTLINE_DEPTH {
            if !first {
                self.out.push(',');
            }
            self.line_break(self.depth);
        } else if !first {
            self.out.push_str(", ");
        }
    }

    fn line_break(&mut self, depth: usize) {
        const INDENT: &str = "\n        ";
        self.out
            .push_str(&INDENT[..1 + 2 * depth.min(OUTLINE_DEPTH)]);
    }

    fn open(&mut self, bracket: char) {
        self.depth += 1;
        self.has_value = false;
        self.first = true;
        self.out.push(bracket);
    }

    fn close(&mut self, bracket: char) {
        if self.depth <= OUTLINE_DEPTH && self.has_value {
            self.line_break(self.depth - 1);
        }
        self.depth -= 1;
        self.out.push(bracket);
        self.has_value = true;
        self.first = false;
    }

    pub fn begin_object(&mut self) {
        self.open('{');
    }

    pub fn end_object(&mut self) {
        self.close('}');
    }

    pub fn begin_array(&mut self) {
        self.open('[');
    }

    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// The key of the next value (a plain name: not escaped).
    pub fn key(&mut self, key: &str) -> &mut OutlineWriter {
        self.separate();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\": ");
        self
    }

    /// Before each element of an array.
    pub fn element(&mut self) -> &mut OutlineWriter {
        self.separate();
        self
    }

    fn value(&mut self) {
        self.has_value = true;
    }

    pub fn string(&mut self, s: &str) {
        self.out.push('"');
        // Nearly every string needs no escape: one quick scan, one copy.
        let plain = |b: &u8| *b >= 0x20 && *b != b'"' && *b != b'\\';
        if s.as_bytes().iter().all(plain) {
            self.out.push_str(s);
            self.out.push('"');
            self.value();
            return;
        }
        let mut start = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0C => "\\f",
                0..=0x1F => "",
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 0xF)]));
            } else {
                self.out.push_str(escape);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
        self.value();
    }

    /// A string or `null`.
    pub fn optional(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.null(),
        }
    }

    pub fn null(&mut self) {
        self.out.push_str("null");
        self.value();
    }

    pub fn unsigned(&mut self, n: u64) {
        self.out.push_str(itoa::Buffer::new().format(n));
        self.value();
    }

    /// As serde_json writes it: shortest round trip, `null` when not finite.
    pub fn float(&mut self, x: f64) {
        if x.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(x));
        } else {
            self.out.push_str("null");
        }
        self.value();
    }

    pub fn boolean(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
        self.value();
    }

    /// A value serde writes as one string (a unit enum variant's name).
    pub fn named<T: serde::Serialize>(&mut self, value: &T) {
        let name = serde_json::to_string(value).expect("a unit variant serialises");
        self.out.push_str(&name);
        self.value();
    }
}

/// JSON laid out for people and written fast: the outer levels indented one value per line,
/// like `serde_json`'s pretty printer, and what is nested deeper on one line, so a review
/// item's alternatives read one per line (`{"text": "así", "score": -9.1, …}`) at a third of
/// the bytes of indenting every field.
#[derive(Default)]
struct Outline {
    depth: usize,
    has_value: bool,
}

impl Outline {
    fn laid_out(&self) -> bool {
        self.depth <= OUTLINE_DEPTH
    }

    /// A new line indented for `depth` (at most `OUTLINE_DEPTH`: deeper values stay on one
    /// line).
    fn line_break<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
        const INDENT: &[u8] = &[b' '; 2 * OUTLINE_DEPTH];
        w.write_all(b"\n")?;
        w.write_all(&INDENT[..2 * depth])
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        if self.laid_out() && self.has_value {
            Outline::line_break(w, self.depth - 1)?;
        }
        self.depth -= 1;
        w.write_all(bracket)
    }

    fn separate<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.laid_out() {
            if !first {
                w.write_all(b",")?;
            }
            Outline::line_break(w, self.depth)
        } else if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
}

impl serde_json::ser::Formatter for Outline {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separate(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separate(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Reads a versioned JSON file of one version, strictly (the types deny unknown fields).
pub fn read_versioned<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
    version: impl Fn(&T) -> u32,
    supported: u32,
) -> Result<T, String> {
    let value: T = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match version(&value) {
        v if v == supported => Ok(value),
        v => Err(format!(
            "{what} version {v} is not supported (this ocrqa reads {supported})"
        )),
    }
}
