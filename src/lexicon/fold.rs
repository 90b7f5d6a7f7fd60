//! Accent folding: the key under which `informacion`, `informacién`'s repair and `información`
//! meet. Lower-cases and strips diacritics, ñ → n and ü → u included (OCR drops those too).

use unicode_normalization::char::decompose_canonical;

/// Appends the folded form of `word` to `out`.
pub fn fold_into(word: &str, out: &mut String) {
    for c in word.chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => out.push('u'),
            'ñ' | 'Ñ' => out.push('n'),
            '\u{0300}'..='\u{036F}' => {}
            c if c.is_ascii() => out.push(c),
            c => {
                let mut base = None;
                decompose_canonical(c, |d| {
                    if base.is_none() {
                        base = Some(d);
                    }
                });
                for l in base.unwrap_or(c).to_lowercase() {
                    out.push(l);
                }
            }
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
    let mut fa = [0u8; 8];
    let mut fb = [0u8; 8];
    let (sa, sb) = (a.encode_utf8(&mut fa), b.encode_utf8(&mut fb));
    fold(sa) == fold(sb)
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
    }
}
