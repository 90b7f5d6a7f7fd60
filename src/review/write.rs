//! Writing a review file: field by field in the `Outline` layout (`json::OutlineWriter`), the
//! bytes `json::pretty_json` would write, without serde's per-field and per-string calls
//! (9 % of a run's instructions when review files went through serde). A property test holds
//! the two to the same bytes.

use super::file::{is_zero, ReviewFile, ReviewItem};
use crate::errmodel::Step;
use crate::json::OutlineWriter;

impl ReviewItem {
    fn write(&self, w: &mut OutlineWriter) {
        w.begin_object();
        w.key("id").string(&self.id);
        w.key("span").begin_object();
        w.key("start").unsigned(self.span.start as u64);
        w.key("end").unsigned(self.span.end as u64);
        w.end_object();
        w.key("line").unsigned(self.line as u64);
        w.key("column").unsigned(self.column as u64);
        w.key("original").string(&self.original);
        w.key("context").begin_object();
        w.key("before").string(&self.context.before);
        w.key("after").string(&self.context.after);
        w.end_object();
        w.key("proposal").optional(self.proposal.as_deref());
        w.key("alternatives").begin_array();
        for a in &self.alternatives {
            w.element().begin_object();
            w.key("text").string(&a.text);
            w.key("score").float(a.score);
            w.key("log_prob").float(a.log_prob);
            w.key("channel_cost").float(a.channel_cost);
            w.key("structural_cost").float(a.structural_cost);
            if !is_zero(&a.context) {
                w.key("context").float(a.context);
            }
            w.key("source").named(&a.source);
            w.key("steps").begin_array();
            for step in &a.steps {
                let (kind, observed, intended) = match step {
                    Step::AccentDropped { observed, intended } => {
                        ("accent_dropped", observed, intended)
                    }
                    Step::AccentAdded { observed, intended } => {
                        ("accent_added", observed, intended)
                    }
                    Step::Confusion { observed, intended } => ("confusion", observed, intended),
                    Step::Generic { observed, intended } => ("generic", observed, intended),
                };
                w.element().begin_object();
                w.key("kind").string(kind);
                w.key("observed").string(observed);
                w.key("intended").string(intended);
                w.end_object();
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.key("applicability").named(&self.applicability);
        w.key("reasons").begin_array();
        for reason in &self.reasons {
            w.element().named(reason);
        }
        w.end_array();
        w.key("applied").boolean(self.applied);
        w.key("decision").named(&self.decision);
        w.key("replacement").optional(self.replacement.as_deref());
        w.key("reviewer").optional(self.reviewer.as_deref());
        w.key("decided_at").optional(self.decided_at.as_deref());
        if let Some(layout) = &self.layout {
            w.key("layout").begin_object();
            w.key("page").unsigned(layout.page as u64);
            if let Some(image) = &layout.image {
                w.key("image").string(image);
            }
            w.key("boxes").begin_array();
            for bbox in &layout.boxes {
                w.element().begin_array();
                for &n in bbox {
                    w.element().unsigned(n.into());
                }
                w.end_array();
            }
            w.end_array();
            w.end_object();
        }
        w.end_object();
    }
}

impl ReviewFile {
    /// The file's text: what `json::pretty_json` makes of it, written field by field (see
    /// `OutlineWriter`; a test holds the two to the same bytes).
    pub fn to_json(&self) -> String {
        let mut w = OutlineWriter::with_capacity(2048 + 1200 * self.items.len());
        w.begin_object();
        w.key("version").unsigned(self.version.into());
        w.key("tool").string(&self.tool);
        w.key("source").begin_object();
        w.key("path").string(&self.source.path);
        if let Some(input) = &self.source.input {
            w.key("input").string(input);
        }
        if let Some(format) = &self.source.format {
            w.key("format").string(format);
        }
        w.key("fingerprint").string(&self.source.fingerprint);
        w.key("bytes").unsigned(self.source.bytes as u64);
        w.end_object();
        w.key("applied_level").string(&self.applied_level);
        w.key("settings").string(&self.settings);
        if let Some(outputs) = &self.outputs {
            w.key("outputs").begin_object();
            w.key("text").string(&outputs.text);
            w.key("diff").string(&outputs.diff);
            if let Some(reading) = &outputs.reading {
                w.key("reading").string(reading);
            }
            w.end_object();
        }
        let p = &self.profile;
        w.key("profile").begin_object();
        w.key("words").unsigned(p.words as u64);
        w.key("suspicious").unsigned(p.suspicious as u64);
        w.key("accents_dropped").unsigned(p.accents_dropped as u64);
        w.key("accents_kept").unsigned(p.accents_kept as u64);
        w.key("accent_drop_rate").float(p.accent_drop_rate);
        w.key("accents_added").unsigned(p.accents_added as u64);
        w.key("accent_add_rate").float(p.accent_add_rate);
        w.key("confusions").begin_array();
        for c in &p.confusions {
            w.element().begin_object();
            w.key("observed").string(&c.observed);
            w.key("intended").string(&c.intended);
            w.key("repairs").unsigned(c.repairs as u64);
            w.key("opportunities").unsigned(c.opportunities as u64);
            w.key("rate").float(c.rate);
            w.end_object();
        }
        w.end_array();
        w.key("letter_marks").unsigned(p.letter_marks as u64);
        w.key("marks_lost_letters")
            .unsigned(p.marks_lost_letters as u64);
        w.key("marks_specks").unsigned(p.marks_specks as u64);
        w.key("mark_letter_share").float(p.mark_letter_share);
        w.key("substitutions").begin_array();
        for s in &p.substitutions {
            w.element().begin_object();
            w.key("observed").string(&s.observed);
            w.key("intended").string(&s.intended);
            w.key("repairs").unsigned(s.repairs as u64);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        w.key("items").begin_array();
        for item in &self.items {
            w.element();
            item.write(&mut w);
        }
        w.end_array();
        w.end_object();
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::*;
    use super::*;
    use crate::candidates::Source;
    use crate::decide::{Applicability, Reason};
    use crate::pipeline::{ConfusionRate, Substitution};
    use crate::span::ByteSpan;
    use proptest::prelude::*;

    /// Text with what JSON must escape: quotes, backslashes, control characters, non-ASCII.
    fn text() -> impl Strategy<Value = String> {
        "[a-zñó\"\\\\\u{0}-\u{1f}\u{7f} é/]{0,12}"
    }

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            (-1e6f64..1e6).prop_map(round4),
            Just(0.0),
            Just(-0.0),
            Just(1e-7),
            Just(1e21),
            Just(f64::NEG_INFINITY),
        ]
    }

    fn step() -> impl Strategy<Value = Step> {
        (0..4u8, text(), text()).prop_map(|(kind, observed, intended)| match kind {
            0 => Step::AccentDropped { observed, intended },
            1 => Step::AccentAdded { observed, intended },
            2 => Step::Confusion { observed, intended },
            _ => Step::Generic { observed, intended },
        })
    }

    fn alternative() -> impl Strategy<Value = Alternative> {
        let sources = [
            Source::Accent,
            Source::Confusion,
            Source::Join,
            Source::Sign,
        ];
        (
            text(),
            [number(), number(), number(), number(), number()],
            prop::sample::select(sources.to_vec()),
            prop::collection::vec(step(), 0..3),
        )
            .prop_map(
                |(text, [score, log_prob, channel, structural, context], source, steps)| {
                    Alternative {
                        text,
                        score,
                        log_prob,
                        channel_cost: channel,
                        structural_cost: structural,
                        context,
                        source,
                        steps,
                    }
                },
            )
    }

    fn item() -> impl Strategy<Value = ReviewItem> {
        let reasons = [
            Reason::UnknownWord,
            Reason::AccentRestored,
            Reason::PossibleName,
        ];
        let applicability = [
            Applicability::Flag,
            Applicability::Review,
            Applicability::Auto,
        ];
        let decisions = [Decision::Pending, Decision::Accepted, Decision::Edited];
        (
            (text(), 0usize..1000, 0usize..1000, text(), text(), text()),
            prop::option::of(text()),
            prop::collection::vec(alternative(), 0..3),
            prop::sample::select(applicability.to_vec()),
            prop::collection::vec(prop::sample::select(reasons.to_vec()), 0..3),
            (any::<bool>(), prop::sample::select(decisions.to_vec())),
            [
                prop::option::of(text()),
                prop::option::of(text()),
                prop::option::of(text()),
            ],
            prop::option::of((
                1usize..9,
                prop::option::of(text()),
                prop::collection::vec(any::<[u32; 4]>(), 0..3),
            )),
        )
            .prop_map(
                |(
                    (id, start, line, original, before, after),
                    proposal,
                    alternatives,
                    applicability,
                    reasons,
                    (applied, decision),
                    [replacement, reviewer, decided_at],
                    layout,
                )| ReviewItem {
                    id,
                    span: ByteSpan::new(start, start + 3),
                    line,
                    column: line / 2,
                    original,
                    context: Excerpt { before, after },
                    proposal,
                    alternatives,
                    applicability,
                    reasons,
                    applied,
                    decision,
                    replacement,
                    reviewer,
                    decided_at,
                    layout: layout.map(|(page, image, boxes)| ItemLayout { page, image, boxes }),
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The review file written by hand is, byte for byte, serde's in the `Outline` layout.
        #[test]
        fn written_as_serde_writes_it(
            items in prop::collection::vec(item(), 0..4),
            input in prop::option::of(text()),
            (tool, rate) in (text(), number()),
            confusions in prop::collection::vec((text(), text(), 0usize..9, number()), 0..3),
            outputs in prop::option::of((text(), text(), prop::option::of(text()))),
            format in prop::option::of(text()),
        ) {
            let file = ReviewFile {
                version: REVIEW_FORMAT_VERSION,
                tool,
                source: SourceInfo {
                    path: "a/b.txt".into(),
                    input,
                    format,
                    fingerprint: "fnv1a64:0".into(),
                    bytes: 12,
                },
                applied_level: "auto".into(),
                settings: "k".into(),
                outputs: outputs.map(|(text, diff, reading)| OutputsInfo { text, diff, reading }),
                profile: ProfileInfo {
                    words: 3,
                    suspicious: 1,
                    accents_dropped: 2,
                    accents_kept: 0,
                    accent_drop_rate: rate,
                    accents_added: 0,
                    accent_add_rate: 0.0,
                    letter_marks: 2,
                    marks_lost_letters: 1,
                    marks_specks: 3,
                    mark_letter_share: rate,
                    substitutions: vec![Substitution {
                        observed: "s".into(),
                        intended: "a".into(),
                        repairs: 2,
                    }],
                    confusions: confusions
                        .into_iter()
                        .map(|(observed, intended, repairs, rate)| ConfusionRate {
                            observed,
                            intended,
                            repairs,
                            opportunities: repairs + 1,
                            rate,
                        })
                        .collect(),
                },
                items,
            };
            prop_assert_eq!(file.to_json(), crate::json::pretty_json(&file));
        }
    }
}
