//! Tokenizer: the text as a gap-free sequence of byte-span tokens (words, numbers, mixed
//! letter-digit runs, whitespace, punctuation, symbols). Gap-free so that joins across a line
//! end and the one-pass edit can reason about every byte.

use crate::span::ByteSpan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters only (with combining marks).
    Word,
    /// Digits only, possibly with `.` or `,` between digits.
    Number,
    /// Letters and digits run together: `situaci6n` (OCR) or `A4`, `COVID19` (identifiers).
    Mixed,
    /// Spaces and tabs, no line break.
    Space,
    /// Whitespace holding at least one line break.
    Newline,
    Punct,
    Symbol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: ByteSpan,
    pub kind: TokenKind,
}

/// How a word is capitalised; corrections take the case of what they replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Lower,
    Title,
    Upper,
    Mixed,
}

impl Case {
    pub fn of(word: &str) -> Case {
        // Asked of nearly every word: ASCII ones skip the Unicode tables.
        if word.is_ascii() {
            let letters = word.bytes().filter(u8::is_ascii_alphabetic);
            Case::of_letters(letters.map(|b| (b.is_ascii_uppercase(), b.is_ascii_lowercase())))
        } else {
            Case::of_unicode(word)
        }
    }

    fn of_unicode(word: &str) -> Case {
        let letters = word.chars().filter(|c| c.is_alphabetic());
        Case::of_letters(letters.map(|c| (c.is_uppercase(), c.is_lowercase())))
    }

    /// The case of a word's letters, given as (upper case, lower case).
    fn of_letters(mut letters: impl Iterator<Item = (bool, bool)>) -> Case {
        let Some((first_upper, _)) = letters.next() else {
            return Case::Lower;
        };
        let (mut upper, mut lower) = (0, 0);
        for (is_upper, is_lower) in letters {
            if is_upper {
                upper += 1;
            } else if is_lower {
                lower += 1;
            }
        }
        match (first_upper, upper, lower) {
            (false, 0, _) => Case::Lower,
            (true, 0, _) => Case::Title,
            (true, _, 0) => Case::Upper,
            _ => Case::Mixed,
        }
    }

    /// `word` (as the lexicon spells it) written in this case.
    pub fn apply(self, word: &str) -> String {
        match self {
            Case::Upper => word.to_uppercase(),
            Case::Title => {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
            Case::Lower | Case::Mixed => word.to_string(),
        }
    }
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// `class` of the ASCII characters, by code (most of any text).
const ASCII_CLASS: [u8; 128] = {
    let mut table = [b'Y'; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            b'L'
        } else if c.is_ascii_digit() {
            b'D'
        } else if c == b'\n' || c == b'\r' {
            b'N'
        } else if matches!(c, b' ' | b'\t' | 0x0B | 0x0C) {
            b'S'
        } else if c.is_ascii_punctuation() {
            b'P'
        } else {
            b'Y'
        };
        b += 1;
    }
    table
};

fn class(c: char) -> u8 {
    match ASCII_CLASS.get(c as usize) {
        Some(&class) => class,
        None => unicode_class(c),
    }
}

fn unicode_class(c: char) -> u8 {
    if c.is_alphabetic() || is_combining(c) {
        b'L'
    } else if c.is_numeric() {
        b'D'
    } else if c == '\n' || c == '\r' {
        b'N'
    } else if c.is_whitespace() {
        b'S'
    } else if c.is_ascii_punctuation()
        || matches!(
            c,
            '¿' | '¡' | '«' | '»' | '“' | '”' | '‘' | '’' | '–' | '—' | '…' | '·'
        )
    {
        b'P'
    } else {
        b'Y'
    }
}

/// Splits `text` into tokens covering every byte, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 4);
    // The character at a byte offset (read in place: a document's characters are not
    // collected, which cost a 16-byte pair per character).
    let at = |offset: usize| text[offset..].chars().next();
    // `[` opened in this paragraph and not yet closed: then a `]` after a word closes it, else
    // it is OCR's reading of `l` (`E]` for El) and belongs to the word.
    let mut open_brackets = 0usize;
    let mut start = 0;
    while let Some(c) = at(start) {
        let k = class(c);
        let mut end = start + c.len_utf8();
        let kind = match k {
            b'L' | b'D' => {
                let (mut letters, mut digits) = (k == b'L', k == b'D');
                let mut last = c;
                while let Some(next) = at(end) {
                    let kn = class(next);
                    let takes = if kn == b'L' || kn == b'D' {
                        letters |= kn == b'L';
                        digits |= kn == b'D';
                        true
                    } else if letters
                        && open_brackets == 0
                        && matches!(next, ']' | '|')
                        && class(last) == b'L'
                    {
                        digits = true;
                        true
                    } else {
                        // A separator inside a number: 1.000, 3,5
                        !letters
                            && matches!(next, '.' | ',')
                            && at(end + 1).is_some_and(|after| class(after) == b'D')
                    };
                    if !takes {
                        break;
                    }
                    last = next;
                    end += next.len_utf8();
                }
                match (letters, digits) {
                    (true, false) => TokenKind::Word,
                    (false, true) => TokenKind::Number,
                    _ => TokenKind::Mixed,
                }
            }
            b'N' | b'S' => {
                let mut newline = k == b'N';
                while let Some(next) = at(end).filter(|&n| matches!(class(n), b'N' | b'S')) {
                    newline |= class(next) == b'N';
                    end += next.len_utf8();
                }
                if newline {
                    // A bracket may close on a later line of its paragraph, not after a blank line.
                    if text[start..end].matches('\n').count() >= 2 {
                        open_brackets = 0;
                    }
                    TokenKind::Newline
                } else {
                    TokenKind::Space
                }
            }
            b'P' => {
                match c {
                    '[' => open_brackets += 1,
                    ']' => open_brackets = open_brackets.saturating_sub(1),
                    _ => {}
                }
                TokenKind::Punct
            }
            _ => TokenKind::Symbol,
        };
        tokens.push(Token {
            span: ByteSpan::new(start, end),
            kind,
        });
        start = end;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_shortcuts_agree_with_unicode() {
        for b in 0..128u8 {
            assert_eq!(
                ASCII_CLASS[usize::from(b)],
                unicode_class(char::from(b)),
                "{b}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_case_is_unicode_case(word in "[a-zA-Z0-9 .'-]{0,12}") {
            proptest::prop_assert_eq!(Case::of(&word), Case::of_unicode(&word));
        }
    }

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.span.get(text).unwrap(), t.kind))
            .collect()
    }

    #[test]
    fn words_numbers_and_mixed() {
        use TokenKind::*;
        assert_eq!(
            kinds("la situaci6n de 1.000,5 COVID-19\n"),
            vec![
                ("la", Word),
                (" ", Space),
                ("situaci6n", Mixed),
                (" ", Space),
                ("de", Word),
                (" ", Space),
                ("1.000,5", Number),
                (" ", Space),
                ("COVID", Word),
                ("-", Punct),
                ("19", Number),
                ("\n", Newline),
            ]
        );
    }

    #[test]
    fn a_stray_bracket_after_a_word_is_part_of_it() {
        use TokenKind::*;
        assert_eq!(
            kinds("E] [18] x[a]\nEl] b|c [v\nanexo]"),
            vec![
                ("E]", Mixed),
                (" ", Space),
                ("[", Punct),
                ("18", Number),
                ("]", Punct),
                (" ", Space),
                ("x", Word),
                ("[", Punct),
                ("a", Word),
                ("]", Punct),
                ("\n", Newline),
                ("El]", Mixed),
                (" ", Space),
                ("b|c", Mixed),
                (" ", Space),
                ("[", Punct),
                ("v", Word),
                ("\n", Newline),
                ("anexo", Word),
                ("]", Punct),
            ]
        );
    }

    #[test]
    fn decomposed_accents_stay_in_the_word() {
        assert_eq!(
            kinds("informacio\u{301}n"),
            vec![("informacio\u{301}n", TokenKind::Word)]
        );
    }

    #[test]
    fn case_of_and_apply() {
        assert_eq!(Case::of("INFORMACION"), Case::Upper);
        assert_eq!(Case::of("Declaracion"), Case::Title);
        assert_eq!(Case::of("McDonald"), Case::Mixed);
        assert_eq!(Case::Upper.apply("información"), "INFORMACIÓN");
        assert_eq!(Case::Title.apply("declaración"), "Declaración");
    }
}
