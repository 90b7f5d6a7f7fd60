//! Accent folding: the key under which `informacion`, `informacién`'s repair and `información`
//! meet. Lower-cases and strips diacritics, ñ → n and ü → u included (OCR drops those too).

use unicode_normalization::char::decompose_canonical;

/// Appends the folded form of `word` to `out`.
pub fn fold_into(word: &str, out: &mut String) {
    // Most words, and most rewrites candidate generation folds, are plain ASCII.
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match base(c) {
            Base::One(b) => out.push(b),
            Base::Mark => {}
            Base::Other(c) => out.extend(c.to_lowercase()),
        }
    }
}

pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// Whether two characters differ only by case and diacritics.
pub fn same_base(a: char, b: char) -> bool {
    if a == b {
        return true;
    }
    match (base(a), base(b)) {
        (Base::One(x), Base::One(y)) => x == y,
        (Base::Other(x), Base::Other(y)) => x.to_lowercase().eq(y.to_lowercase()),
        (Base::Mark, Base::Mark) => true,
        _ => false,
    }
}

/// The lower-case base letter of `c` when it has exactly one (`Á` → a, `ñ` → n): two
/// characters with the same such base differ only by case and diacritics. Lets a loop over many
/// pairs fold each character once.
pub fn single_base(c: char) -> Option<char> {
    match base(c) {
        Base::One(b) => Some(b),
        Base::Mark | Base::Other(_) => None,
    }
}

/// What a character folds to.
enum Base {
    /// One lower-case base character (the common case, without allocation).
    One(char),
    /// A combining mark: folds to nothing.
    Mark,
    /// A base character whose lower case is several characters (`İ`).
    Other(char),
}

fn base(c: char) -> Base {
    match c {
        c if c.is_ascii() => Base::One(c.to_ascii_lowercase()),
        'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => Base::One('a'),
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => Base::One('e'),
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => Base::One('i'),
        'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => Base::One('o'),
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => Base::One('u'),
        'ñ' | 'Ñ' => Base::One('n'),
        '\u{0300}'..='\u{036F}' => Base::Mark,
        c => {
            let mut first = None;
            decompose_canonical(c, |d| {
                first.get_or_insert(d);
            });
            let b = first.unwrap_or(c);
            let mut lower = b.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Base::One(l),
                _ => Base::Other(b),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spanish_diacritics_and_case() {
        assert_eq!(fold("Información"), "informacion");
        assert_eq!(fold("AÑO"), "ano");
        assert_eq!(fold("pingüino"), "pinguino");
        assert_eq!(fold("informacio\u{301}n"), "informacion");
        assert_eq!(fold("Côte"), "cote");
    }

    #[test]
    fn same_base_ignores_accents_only() {
        assert!(same_base('o', 'ó'));
        assert!(same_base('n', 'ñ'));
        assert!(!same_base('e', 'ó'));
        assert!(same_base('Ş', 's'));
        assert!(!same_base('Ş', 't'));
    }
}
