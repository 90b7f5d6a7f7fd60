//! Closed classes of Spanish words that rules of several stages rely on, each under the one
//! name of the property the rules use. Open-class knowledge (which words exist, how common
//! they are) is the lexicon's; these lists are grammar, and short.

/// Function words: articles, prepositions, conjunctions and possessives. No sentence or clause
/// ends on one, so a `.`, `:` or `;` glued to one before a lower-case word is a speck
/// (`de. la`), and a hyphen beside one joins no compound (`y-la`, `la-reunión`).
const FUNCTION_WORDS: &[&str] = &[
    "el", "la", "los", "las", "un", "una", "unos", "unas", "lo", "al", "del", "a", "ante", "bajo",
    "con", "contra", "de", "desde", "en", "entre", "hacia", "hasta", "para", "por", "sin", "sobre",
    "tras", "y", "e", "o", "u", "ni", "que", "su", "sus", "se",
];

pub fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word.to_lowercase().as_str())
}

/// Proclitics: unstressed articles, contractions, the commonest prepositions and pronouns,
/// which lean on the next word and never serve as prefixes. Run into the next word
/// (`enlas`, `quese`, `Elinforme`) they mean a lost space. (`sobre`, `entre`, `contra`, `con`,
/// `a` and the like begin words of their own: `sobrecumplido`, `contraofensiva`, `amoral`.)
const PROCLITICS: &[&str] = &[
    "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "al", "del", "de", "en", "que",
    "se", "su", "sus", "por",
];

pub fn is_proclitic(word: &str) -> bool {
    PROCLITICS.contains(&word.to_lowercase().as_str())
}

/// Words whose accent twin differs in grammatical function, not spelling: the closed set of
/// ambiguous pairs (solo/sólo, aun/aún, si/sí, el/él, mas/más, se/sé, tu/tú, te/té, de/dé,
/// mi/mí), demonstratives (esta/está, este/éste…) and interrogatives (que/qué…), by their
/// accentless (folded) form. Only context can decide between the twins.
const AMBIGUOUS_TWINS: &[&str] = &[
    "solo", "aun", "si", "el", "mas", "se", "tu", "te", "de", "mi", // the closed set
    "esta", "este", "ese", "esa", "estas", "estos", "esos", "esas", // demonstratives
    "como", "que", "cual", "cuales", "donde", "cuando", "quien", "quienes",
    "cuanto", // interrogatives
];

/// Whether `folded` (accentless, lower case) is one of the ambiguous accent twins.
pub fn has_ambiguous_twins(folded: &str) -> bool {
    AMBIGUOUS_TWINS.contains(&folded)
}
