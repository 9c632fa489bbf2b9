//! The tagger against the independent tagging corpus (`tests/tagcorpus/`, see its
//! README): per-kind and per-language precision and recall, and decoys, for `train`,
//! `dev`, `dev2` and `dev3` (a second and a third independent batch) and, when the
//! directory exists, the frozen
//! `test` split (held by the lead).
//! Floors: train and dev at the measured values, test at the bar of issue 13.
//! `cargo run --release -p newsmon-extractor --example eval_tagger -- <dir>` prints the
//! same report.

// Test code over this repository's files: a broken fixture must fail loudly.
#![allow(clippy::unwrap_used)]

#[path = "eval/harness.rs"]
mod harness;

use std::path::Path;

use newsmon_extractor::{ModelFile, Tagger, Taxonomy};

/// Floors for one split: micro precision and recall, the lowest per-kind and
/// per-language recall, and how many decoys may be tagged.
struct Floors {
    precision: f64,
    recall: f64,
    kind_recall: f64,
    lang_recall: f64,
    decoys_tagged: usize,
}

/// Measured 2026-12-06 (see BENCHMARKS.md, "Tagger on the independent corpus"); raise
/// them when the tagger improves, never lower them to let a change through.
/// The rules alone (the default taxonomy without a model file).
const TRAIN: Floors = Floors {
    precision: 0.99,
    recall: 0.36,
    kind_recall: 0.28,
    lang_recall: 0.07,
    decoys_tagged: 1,
};
const DEV: Floors = Floors {
    precision: 1.0,
    recall: 0.36,
    kind_recall: 0.25,
    lang_recall: 0.16,
    decoys_tagged: 0,
};
/// The second independent batch (150 texts, 53 decoys), rules alone, measured 2026-12-07.
const DEV2: Floors = Floors {
    precision: 1.0,
    recall: 0.30,
    kind_recall: 0.21,
    lang_recall: 0.16,
    decoys_tagged: 0,
};
/// The third independent batch (150 texts, 52 decoys; other formats, retrospectives),
/// rules alone, measured 2026-12-07 after the Taiwan exclusion (first score P 0.987
/// R 0.241, 1 decoy).
const DEV3: Floors = Floors {
    precision: 1.0,
    recall: 0.24,
    kind_recall: 0.17,
    lang_recall: 0.11,
    decoys_tagged: 0,
};
/// The rules with the opt-in learned scorer `config/tagcorpus.model.json` (trained on
/// `train`), on `dev`.
const DEV_WITH_MODEL: Floors = Floors {
    precision: 0.97,
    recall: 0.48,
    kind_recall: 0.0,
    lang_recall: 0.0,
    decoys_tagged: 0,
};
/// The frozen test split, scored by the lead once per batch of changes (every score is in
/// BENCHMARKS.md): held at the last measured values. The bar of issue 13 is precision
/// 0.97, recall 0.95, recall 0.90 for each kind and language, and no decoy tagged.
/// Measured 2026-12-06: rules P 0.952 R 0.326; with the model P 0.921 R 0.434.
const TEST: Floors = Floors {
    precision: 0.95,
    recall: 0.32,
    kind_recall: 0.25,
    lang_recall: 0.15,
    decoys_tagged: 1,
};
const TEST_WITH_MODEL: Floors = Floors {
    precision: 0.92,
    recall: 0.43,
    kind_recall: 0.32,
    lang_recall: 0.28,
    decoys_tagged: 1,
};

/// The rules with the opt-in concept frames `config/frames.toml` (written from the train
/// split's misses; days, story context and the period added later, tuned on train, dev
/// and dev2 after dev2's first score), measured 2026-12-07 (BENCHMARKS.md, "Concept
/// frames: meetings by date, story context").
/// Raised 2026-12-07 with batch 3 (story gate, recalls, datelines; "Frames that hold on
/// unseen text" in BENCHMARKS.md), and with batch 4 (false friends, rivals, story_of;
/// "Frames batch 4").
const TRAIN_WITH_FRAMES: Floors = Floors {
    precision: 0.98,
    recall: 0.90,
    kind_recall: 0.86,
    lang_recall: 0.86,
    decoys_tagged: 1,
};
const DEV_WITH_FRAMES: Floors = Floors {
    precision: 1.0,
    recall: 0.89,
    kind_recall: 0.85,
    lang_recall: 0.71,
    decoys_tagged: 0,
};
/// dev2 with the frames: first scored before anyone read it (P 0.964 R 0.734, 2 decoys
/// tagged), then a development split.
const DEV2_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.90,
    kind_recall: 0.88,
    lang_recall: 0.88,
    decoys_tagged: 0,
};
/// dev3 with the frames: first scored before anyone read it (P 0.979 R 0.707, 1 decoy
/// tagged, by the rules), then a development split for batch 3.
/// Raised with batch 5 (P 0.993 R 0.889).
const DEV3_WITH_FRAMES: Floors = Floors {
    precision: 0.98,
    recall: 0.88,
    kind_recall: 0.84,
    lang_recall: 0.80,
    decoys_tagged: 0,
};

/// dev4 (batch 4 of writers, 2026-12-07): held out like the test split while the frames'
/// batch 4 was written, scored by the lead only. First score with batch 3's frames, before
/// anyone read it: rules P 0.988 R 0.354; with frames P 0.971 R 0.825, 1 decoy; with
/// batch 4's, still unread, P 0.971 R 0.829. From batch 5 on it is a development split:
/// batch 5 (written from its misses) reads it at P 1.000 R 0.933, no decoy; the rules
/// alone at P 1.000 R 0.354 (the U.S. backstop rule no longer reads an investment
/// platform's guarantees).
const DEV4: Floors = Floors {
    precision: 1.0,
    recall: 0.35,
    kind_recall: 0.32,
    lang_recall: 0.13,
    decoys_tagged: 0,
};
const DEV4_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.92,
    kind_recall: 0.90,
    lang_recall: 0.85,
    decoys_tagged: 0,
};

/// dev5 (batch 5 of writers, 2026-12-07: each language's own newsrooms, domestic angles,
/// many formats and lengths). First score before anyone read it, with batch 5's frames:
/// rules P 0.994 R 0.593; with frames P 0.977 R 0.921, 1 decoy (by the rules); with the
/// lexicons' language-parity audit, still unread, P 0.977 R 0.929. A development split
/// from then on. Rules alone R 0.589 since sentences end after a spaced "»" (a rule that
/// read across the two sentences lost one tag the frames keep).
const DEV5: Floors = Floors {
    precision: 0.99,
    recall: 0.58,
    kind_recall: 0.49,
    lang_recall: 0.22,
    decoys_tagged: 1,
};
const DEV5_WITH_FRAMES: Floors = Floors {
    precision: 0.97,
    recall: 0.92,
    kind_recall: 0.85,
    lang_recall: 0.90,
    decoys_tagged: 1,
};

/// dev6 (batch 6 of writers, 2026-12-07: 214 blind-written excerpts varying their wording,
/// many near-miss decoys). First score before anyone read it, with batch 6's frames: rules
/// P 1.000 R 0.268; with frames P 0.978 R 0.743, 1 decoy. Frames batch 7 was written from
/// it (P 1.000 R 0.935).
const DEV6: Floors = Floors {
    precision: 1.0,
    recall: 0.26,
    kind_recall: 0.18,
    lang_recall: 0.0,
    decoys_tagged: 0,
};
const DEV6_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.92,
    kind_recall: 0.84,
    lang_recall: 0.86,
    decoys_tagged: 0,
};

/// dev6h, the third of batch 6 the lead held out while frames batch 7 was written: scored
/// once for batch 6's frames (P 0.921 R 0.785, 2 decoys) and batch 7's (P 0.923 R 0.805,
/// the same 2), then a development split: batch 8 was written from it (P 0.993 R 0.933).
const DEV6H: Floors = Floors {
    precision: 1.0,
    recall: 0.29,
    kind_recall: 0.21,
    lang_recall: 0.0,
    decoys_tagged: 0,
};
const DEV6H_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.93,
    kind_recall: 0.88,
    lang_recall: 0.83,
    decoys_tagged: 0,
};

/// dev7 (batch 7 of writers, 2026-12-07: 200 whole articles, many mainly about something
/// else, 57 decoys), held by the lead while frames batch 8 was written. Scored once for
/// batch 7 and once for batch 8, both before anyone read it: rules P 0.995 R 0.467; with
/// frames P 0.941 R 0.907, 5 decoys, the same for both batches. A development split since:
/// batch 9 was written from it (P 0.971 R 0.943, no decoy).
const DEV7: Floors = Floors {
    precision: 0.99,
    recall: 0.46,
    kind_recall: 0.40,
    lang_recall: 0.09,
    decoys_tagged: 0,
};
const DEV7_WITH_FRAMES: Floors = Floors {
    precision: 0.97,
    recall: 0.94,
    kind_recall: 0.90,
    lang_recall: 0.90,
    decoys_tagged: 0,
};

/// dev8 (batch 8 of writers, 2026-12-07: 200 articles whose writers were asked to name
/// things rarely, 56 decoys): held out until its first scores (batch 8's frames: rules P
/// 0.988 R 0.330, 1 decoy; frames P 0.951 R 0.892, 2 decoys; batch 9's P 0.951 R 0.894),
/// a development split since: batch 10 of the frames was written from its errors (P 0.988
/// R 0.917, 1 decoy, by the rules).
const DEV8: Floors = Floors {
    precision: 0.98,
    recall: 0.32,
    kind_recall: 0.27,
    lang_recall: 0.01,
    decoys_tagged: 1,
};
const DEV8_WITH_FRAMES: Floors = Floors {
    precision: 0.98,
    recall: 0.95,
    kind_recall: 0.95,
    lang_recall: 0.92,
    decoys_tagged: 1,
};

/// dev9 (batch 9 of writers, 2026-12-07: 200 articles as outlets write, a third mainly
/// about something else, 55 decoys): held out until its first scores (rules P 0.988 R
/// 0.511, 2 decoys; batch 9's frames P 0.943 R 0.907, batch 10's P 0.945 R 0.909, 5 decoys),
/// a development split since: batch 11 of the frames was written from its errors (P 0.982
/// R 0.939, 2 decoys; batch 12, P 0.987 R 0.960).
const DEV9: Floors = Floors {
    precision: 0.98,
    recall: 0.50,
    kind_recall: 0.40,
    lang_recall: 0.13,
    decoys_tagged: 2,
};
const DEV9_WITH_FRAMES: Floors = Floors {
    precision: 0.98,
    recall: 0.95,
    kind_recall: 0.94,
    lang_recall: 0.88,
    decoys_tagged: 2,
};

/// dev10 (batch 10 of writers, 2026-12-07: 200 articles written to describe and paraphrase
/// rather than name, as batch 1's writers were asked to, 55 decoys): held out for the next
/// batch of frames, unread by anyone who writes them; its errors are never printed. First
/// score, before anyone read it: rules P 0.978 R 0.308, 2 decoys; batch 10's frames P 0.939
/// R 0.857, 7 decoys; batch 11's P 0.948 R 0.860, 6 decoys; batch 12's P 0.946 R 0.864, 6
/// decoys; batch 13's and batch 14's P 0.949 R 0.864, 6 decoys (about 20 lines of it reached a frames writer once through a grep glob; no frame
/// was written from them).
const DEV10: Floors = Floors {
    precision: 0.97,
    recall: 0.30,
    kind_recall: 0.18,
    lang_recall: 0.0,
    decoys_tagged: 2,
};
const DEV10_WITH_FRAMES: Floors = Floors {
    precision: 0.94,
    recall: 0.86,
    kind_recall: 0.82,
    lang_recall: 0.79,
    decoys_tagged: 6,
};

/// dev11 (batch 11 of writers, 2026-12-08: 200 articles written to paraphrase, more of
/// them French, 55 decoys; labelled twice, blind): held out until its first scores (rules P
/// 0.987 R 0.366, 1 decoy; batch 11's frames P 0.958 R 0.876, 2 decoys; batch 12's first
/// part, written without it, P 0.956 R 0.880, 3 decoys), a development split since: the
/// second part of batch 12 was written from its errors (P 0.993 R 0.978, 1 decoy).
const DEV11: Floors = Floors {
    precision: 0.98,
    recall: 0.36,
    kind_recall: 0.25,
    lang_recall: 0.09,
    decoys_tagged: 1,
};
const DEV11_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.97,
    kind_recall: 0.96,
    lang_recall: 0.94,
    decoys_tagged: 1,
};

/// dev12 (batch 12 of writers, 2026-12-08: 200 articles whose writers left the usual name
/// out of four fifths of on-story texts, 55 decoys): held out for the next batch of frames,
/// unread by anyone who writes them; its errors are never printed. First scores, before
/// anyone read it: rules P 0.993 R 0.316, 1 decoy; batch 11's frames P 0.959 R 0.871, 2
/// decoys; batch 12's P 0.962 R 0.883, 2 decoys; batch 13's P 0.965 R 0.899, 2 decoys;
/// batch 14's P 0.967 R 0.899, 2 decoys.
const DEV12: Floors = Floors {
    precision: 0.99,
    recall: 0.31,
    kind_recall: 0.17,
    lang_recall: 0.02,
    decoys_tagged: 1,
};
const DEV12_WITH_FRAMES: Floors = Floors {
    precision: 0.96,
    recall: 0.89,
    kind_recall: 0.83,
    lang_recall: 0.82,
    decoys_tagged: 2,
};

/// dev13 (batch 13 of writers, 2026-12-08: 200 articles, meetings and tiers conveyed by
/// allusion, more of them French, 56 decoys; labelled blind): held out until its first
/// scores (rules P 1.000 R 0.368, no decoy; batch 12's frames P 0.959 R 0.929, 2 decoys), a
/// development split since: batch 13 of the frames was written from its errors (P 0.998 R
/// 0.989, no decoy).
const DEV13: Floors = Floors {
    precision: 0.99,
    recall: 0.36,
    kind_recall: 0.33,
    lang_recall: 0.12,
    decoys_tagged: 0,
};
const DEV13_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.98,
    kind_recall: 0.98,
    lang_recall: 0.96,
    decoys_tagged: 0,
};

/// dev14 (batch 14 of writers, 2026-12-08: 200 articles whose references are spread over
/// sentences, pronouns, anaphora, a question answered in the next line; FR 70, 56 decoys;
/// labelled blind): held out until its first scores (rules P 1.000 R 0.323, no decoy; batch
/// 12's frames P 0.963 R 0.877, 3 decoys; batch 13's P 0.974 R 0.888, 1 decoy), a
/// development split since: batch 14 of the frames was written from its errors (P 0.993 R
/// 0.909, no decoy).
const DEV14: Floors = Floors {
    precision: 0.99,
    recall: 0.32,
    kind_recall: 0.23,
    lang_recall: 0.0,
    decoys_tagged: 0,
};
const DEV14_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.90,
    kind_recall: 0.89,
    lang_recall: 0.84,
    decoys_tagged: 0,
};

/// The frozen test split with the frames, scored by the lead once per batch: batch 1
/// (2026-12-07) P 0.916 R 0.583, 2 decoys; batch 2 (days, story context, period) P 0.927
/// R 0.686, 1 decoy; batch 3 (story gate, recalls, datelines) P 0.929 R 0.752, 1 decoy
/// (the Moldova story that mentions Ukraine's bid); batch 4 (rivals, idiom, stems) P 0.938
/// R 0.752, the same decoy; batch 5 (dev4's misses) P 0.934 R 0.756; batch 6 (the
/// lexicons' language parity, frames on by default) P 0.935 R 0.777, the same decoy;
/// batch 7 (dev6's misses, English and French idiom) P 0.937 R 0.802, the same decoy;
/// batch 8 (a precision red-team, dev6h's misses) P 0.941 R 0.798, the same decoy; batch 9
/// (dev7's wrong tags and misses) P 0.942 R 0.802, the same decoy; batch 10 (dev8's wrong
/// tags and misses; quotes and "ß" folded) P 0.942 R 0.806, the same decoy; batch 11
/// (dev9's wrong tags and misses) P 0.938 R 0.806, the same decoy; batch 12 (residual
/// misses of every development split, then dev11's; the gate's words) P 0.935 R 0.826, the
/// same decoy; batch 13 (the rules' wrong tags, dev13's errors) P 0.934 R 0.822, the same
/// decoy, one French pair fewer (French recall 0.615 to 0.590); batch 14 (dev14's errors)
/// the same, P 0.934 R 0.822.
const TEST_WITH_FRAMES: Floors = Floors {
    precision: 0.93,
    recall: 0.82,
    kind_recall: 0.75,
    lang_recall: 0.58,
    decoys_tagged: 1,
};

/// The idiom probes `tests/probes/` (French wordings, meetings named by who and where in
/// six languages, phrases in cases the lists never wrote, two decoys), written 2026-12-07
/// from shared/TOPIC.md and general news idiom by whoever edits the frames: a lexicon
/// check that the frames read these wordings at all (52 pairs; measured P 1.000 R 0.962),
/// not an estimate of quality. Batch 5 added 16 (`batch5.toml`: its dev4 wordings in the
/// other languages, its guards in French, two false friends; 18 pairs, 2 decoys): 70
/// pairs, P 1.000 R 0.971.
const PROBES_WITH_FRAMES: Floors = Floors {
    precision: 1.0,
    recall: 0.95,
    kind_recall: 0.9,
    lang_recall: 0.9,
    decoys_tagged: 0,
};

fn with_frames() -> Tagger {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("../../config/frames.toml");
    let frames = std::fs::read_to_string(&path).unwrap();
    taxonomy()
        .build()
        .unwrap()
        .with_frames(&frames, &path.display().to_string())
        .unwrap()
}

fn taxonomy() -> Taxonomy {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Taxonomy::load(&root.join("../../config/taxonomy.toml")).unwrap()
}

fn with_model() -> Tagger {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("../../config/tagcorpus.model.json");
    let model = ModelFile::load(&path).unwrap();
    taxonomy()
        .with_model(model, &path.display().to_string())
        .build()
        .unwrap()
}

fn check(split: &str, floors: &Floors) {
    check_with(split, floors, &taxonomy().build().unwrap());
}

/// Splits nobody who writes cues or frames reads: the frozen test split, and the batch
/// held out for the next batch of frames' first score.
const HELD_OUT: &[&str] = &["test", "dev10", "dev12"];

fn check_with(split: &str, floors: &Floors, tagger: &Tagger) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tagcorpus")
        .join(split);
    if !dir.is_dir() {
        println!("skipped: tests/tagcorpus/{split} is not here (the lead holds it)");
        return;
    }
    let articles = harness::load(&dir);
    assert!(!articles.is_empty(), "{split}: no articles");
    let report = harness::evaluate(tagger, &articles);
    // The held-out splits' errors are never printed: whoever reads a CI log may write cues.
    let errors = if HELD_OUT.contains(&split) {
        "(errors of a held-out split are not shown)".to_string()
    } else {
        report.errors.join("\n")
    };
    let summary = format!(
        "{split}\n{}{}{}",
        report.print_kinds(),
        report.print_languages(),
        errors
    );
    println!("{summary}");
    assert!(
        report.micro.precision() >= floors.precision,
        "{split} precision\n{summary}"
    );
    assert!(
        report.micro.recall() >= floors.recall,
        "{split} recall\n{summary}"
    );
    for (kind, counts) in &report.by_kind {
        assert!(
            counts.recall() >= floors.kind_recall,
            "{split} {kind} recall\n{summary}"
        );
    }
    for (lang, counts) in &report.by_lang {
        assert!(
            counts.recall() >= floors.lang_recall,
            "{split} {lang} recall\n{summary}"
        );
    }
    assert!(
        report.decoys_tagged.len() <= floors.decoys_tagged,
        "{split} decoys\n{summary}"
    );
}

#[test]
fn train_split_holds_its_floors() {
    check("train", &TRAIN);
}

#[test]
fn dev_split_holds_its_floors() {
    check("dev", &DEV);
}

#[test]
fn dev2_split_holds_its_floors() {
    check("dev2", &DEV2);
}

#[test]
fn dev3_split_holds_its_floors() {
    check("dev3", &DEV3);
}

/// The red-team probes `tests/redteam/` (75 near misses about Ukraine that share the
/// story's words, 41 true pairs; six languages), written 2026-12-07 by the helper who
/// guarded 17 classes of wrong tags in frames batch 8: a regression check of those guards,
/// tuned on by their writer. Batch 7's frames tagged 52 of the 75 near misses (P 0.337);
/// batch 8's tag 5: two by the phrase rules ("join the EU" of roaming, Luhansk in 1991),
/// two NATO Article 5 sentences about Poland, and Hnatov on a Monday in Rzeszów; batch 9's
/// tag the two of the rules; since the rules pass and batch 13 (2026-12-08), none (P 1.000).
const REDTEAM_WITH_FRAMES: Floors = Floors {
    precision: 0.99,
    recall: 0.97,
    kind_recall: 0.88,
    lang_recall: 0.9,
    decoys_tagged: 0,
};

#[test]
fn redteam_probes_with_frames_hold_their_floors() {
    check_with("../redteam", &REDTEAM_WITH_FRAMES, &with_frames());
}

#[test]
fn idiom_probes_with_frames_hold_their_floors() {
    check_with("../probes", &PROBES_WITH_FRAMES, &with_frames());
}

#[test]
fn dev3_split_with_frames_holds_its_floors() {
    check_with("dev3", &DEV3_WITH_FRAMES, &with_frames());
}

#[test]
fn dev2_split_with_frames_holds_its_floors() {
    check_with("dev2", &DEV2_WITH_FRAMES, &with_frames());
}

#[test]
fn train_split_with_frames_holds_its_floors() {
    check_with("train", &TRAIN_WITH_FRAMES, &with_frames());
}

#[test]
fn dev_split_with_frames_holds_its_floors() {
    check_with("dev", &DEV_WITH_FRAMES, &with_frames());
}

#[test]
fn dev4_split_holds_its_floors() {
    check("dev4", &DEV4);
}

#[test]
fn dev4_split_with_frames_holds_its_floors() {
    check_with("dev4", &DEV4_WITH_FRAMES, &with_frames());
}

#[test]
fn dev5_split_holds_its_floors() {
    check("dev5", &DEV5);
}

#[test]
fn dev5_split_with_frames_holds_its_floors() {
    check_with("dev5", &DEV5_WITH_FRAMES, &with_frames());
}

#[test]
fn dev6_split_holds_its_floors() {
    check("dev6", &DEV6);
}

#[test]
fn dev6_split_with_frames_holds_its_floors() {
    check_with("dev6", &DEV6_WITH_FRAMES, &with_frames());
}

#[test]
fn dev6h_split_holds_its_floors() {
    check("dev6h", &DEV6H);
}

#[test]
fn dev6h_split_with_frames_holds_its_floors() {
    check_with("dev6h", &DEV6H_WITH_FRAMES, &with_frames());
}

#[test]
fn dev7_split_holds_its_floors() {
    check("dev7", &DEV7);
}

#[test]
fn dev7_split_with_frames_holds_its_floors() {
    check_with("dev7", &DEV7_WITH_FRAMES, &with_frames());
}

#[test]
fn dev8_split_holds_its_floors() {
    check("dev8", &DEV8);
}

#[test]
fn dev8_split_with_frames_holds_its_floors() {
    check_with("dev8", &DEV8_WITH_FRAMES, &with_frames());
}

#[test]
fn dev9_split_holds_its_floors() {
    check("dev9", &DEV9);
}

#[test]
fn dev9_split_with_frames_holds_its_floors() {
    check_with("dev9", &DEV9_WITH_FRAMES, &with_frames());
}

#[test]
fn dev11_split_holds_its_floors() {
    check("dev11", &DEV11);
}

#[test]
fn dev11_split_with_frames_holds_its_floors() {
    check_with("dev11", &DEV11_WITH_FRAMES, &with_frames());
}

#[test]
fn dev12_split_holds_its_floors() {
    check("dev12", &DEV12);
}

#[test]
fn dev12_split_with_frames_holds_its_floors() {
    check_with("dev12", &DEV12_WITH_FRAMES, &with_frames());
}

#[test]
fn dev13_split_holds_its_floors() {
    check("dev13", &DEV13);
}

#[test]
fn dev13_split_with_frames_holds_its_floors() {
    check_with("dev13", &DEV13_WITH_FRAMES, &with_frames());
}

#[test]
fn dev14_split_holds_its_floors() {
    check("dev14", &DEV14);
}

#[test]
fn dev14_split_with_frames_holds_its_floors() {
    check_with("dev14", &DEV14_WITH_FRAMES, &with_frames());
}

#[test]
fn dev10_split_holds_its_floors() {
    check("dev10", &DEV10);
}

#[test]
fn dev10_split_with_frames_holds_its_floors() {
    check_with("dev10", &DEV10_WITH_FRAMES, &with_frames());
}

#[test]
fn test_split_holds_its_floors() {
    check("test", &TEST);
}

#[test]
fn test_split_with_frames_holds_its_floors() {
    check_with("test", &TEST_WITH_FRAMES, &with_frames());
}

#[test]
fn test_split_with_the_learned_scorer_holds_its_floors() {
    check_with("test", &TEST_WITH_MODEL, &with_model());
}

#[test]
fn dev_split_with_the_learned_scorer_holds_its_floors() {
    check_with("dev", &DEV_WITH_MODEL, &with_model());
}
