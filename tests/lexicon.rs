//! The shipped lexicon: format and probes (issue: present — correct Spanish; absent — the
//! seed page's OCR shadows of those words).

use ocrqa::lexicon::SHIPPED_WORDS;
use ocrqa::Lexicon;
use unicode_normalization::UnicodeNormalization;

#[test]
fn format_is_sorted_unique_nfc_with_positive_counts() {
    let mut previous: Option<&str> = None;
    let mut lines = 0;
    for (n, line) in SHIPPED_WORDS.lines().enumerate() {
        let (word, count) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("line {}: no tab", n + 1));
        assert!(
            !word.is_empty() && !word.contains(char::is_whitespace),
            "line {}: {word:?}",
            n + 1
        );
        assert_eq!(
            word.nfc().collect::<String>(),
            word,
            "line {}: not NFC",
            n + 1
        );
        let count: u32 = count
            .parse()
            .unwrap_or_else(|_| panic!("line {}: bad count", n + 1));
        assert!(count > 0, "line {}: count 0", n + 1);
        if let Some(p) = previous {
            assert!(
                p < word,
                "line {}: {p:?} then {word:?} (unsorted or duplicate)",
                n + 1
            );
        }
        previous = Some(word);
        lines += 1;
    }
    assert!(lines > 700_000, "only {lines} words");
}

#[test]
fn probes_present_and_absent() {
    let lex = Lexicon::shipped();
    let present = [
        "información",
        "declaración",
        "tecnologías",
        "relación",
        "dañar",
        "entrañan",
        "señalan",
        "carácter",
        "economías",
        "así",
        "están",
        "ámbito",
        "párrafo",
        "Unión",
        "Uzbekistán",
        "ciberespacio",
        "desinformación",
        "transfronterizo",
        "COVID",
    ];
    for w in present {
        assert!(lex.known(w).is_some(), "{w} should be a word");
    }
    let absent = [
        "informacion",
        "informacién",
        "informacidn",
        "relacidon",
        "declaracion",
        "tecnologias",
        "entrafian",
        "dafiar",
        "sefialan",
        "caracter",
        "economias",
        "asi",
        "estan",
        "ambito",
        "parrafo",
        "Uzbekistan",
        "desinformacion",
        "relacion",
    ];
    for w in absent {
        assert!(lex.known(w).is_none(), "{w} should not be a word");
    }
}
