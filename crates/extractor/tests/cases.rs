//! Tagging cases as data: each `tests/cases/*.toml` holds a realistic text and exactly
//! the keys the shipped taxonomy (`config/taxonomy.toml`) must assign to it.

use std::collections::BTreeSet;
use std::path::Path;

use newsmon_extractor::Taxonomy;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    text: String,
    tags: Vec<String>,
}

#[test]
fn every_case_gets_exactly_its_tags() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::load(&root.join("../../config/taxonomy.toml")).unwrap();
    let tagger = taxonomy.build().unwrap();
    let known: BTreeSet<String> = taxonomy.tags().into_iter().collect();
    let mut paths: Vec<_> = std::fs::read_dir(root.join("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 40, "only {} cases", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_stem().unwrap().to_string_lossy();
        let case: Case = toml::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!case.description.is_empty(), "{name}: no description");
        let expected: BTreeSet<String> = case.tags.iter().cloned().collect();
        assert!(
            expected.is_subset(&known),
            "{name}: unknown tag in {expected:?}"
        );
        let mentions = tagger.tag(&case.text);
        let found: BTreeSet<String> = mentions.iter().map(|m| m.tag.clone()).collect();
        if found != expected {
            let extra: Vec<String> = mentions
                .iter()
                .filter(|m| !expected.contains(&m.tag))
                .map(|m| format!("{} on {:?}", m.tag, m.matched))
                .collect();
            let missing: Vec<&String> = expected.difference(&found).collect();
            failures.push(format!("{name}: missing {missing:?}, extra {extra:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
