//! `newsmon tag`: one input, extracted and tagged, without an index.

use crate::util::{FixtureServer, TestDir, expected, fixtures};

fn tag_json(dir: &TestDir, input: &str, stdin: Option<&str>) -> serde_json::Value {
    let config = dir.path("newsmon.toml");
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &["tag", input, "--format", "json"],
        stdin,
    );
    assert_eq!(run.code, 0, "{run:?}");
    run.json()
}

fn tags_of(json: &serde_json::Value) -> Vec<String> {
    json["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_fixture_page_gives_its_metadata_and_evidence() {
    let dir = TestDir::new();
    dir.write_config(&[]);
    let (name, article) = expected()
        .articles
        .iter()
        .find(|(_, a)| a.tags.len() >= 2)
        .unwrap();
    let path = fixtures().join("site/articles").join(name);
    let json = tag_json(&dir, path.to_str().unwrap(), None);
    assert_eq!(json["title"], article.title.as_str());
    assert!(
        json["published"].as_str().unwrap().starts_with("2026-"),
        "{json}"
    );
    assert!(json["language"].is_string());
    let text = json["text"].as_str().unwrap();
    for tag in &article.tags {
        assert!(
            tags_of(&json).contains(tag),
            "{name}: {tag} missing in {json}"
        );
    }
    for mention in json["tags"].as_array().unwrap() {
        let evidence = mention["evidence"].as_str().unwrap();
        assert!(
            text.contains(evidence),
            "evidence is a sentence of the text: {evidence}"
        );
        let (start, end) = (
            mention["start"].as_u64().unwrap() as usize,
            mention["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], mention["matched"].as_str().unwrap());
    }
}

#[test]
fn plain_text_on_stdin_and_decoys() {
    let dir = TestDir::new();
    dir.write_config(&[]);
    let json = tag_json(
        &dir,
        "-",
        Some(
            "Zelensky said the draft U.S. guarantee, an Article 5-like backstop for Ukraine, would run 15 years.\n",
        ),
    );
    assert_eq!(json["language"], "en");
    assert!(
        tags_of(&json).contains(&"tier/us-backstop".to_string()),
        "{json}"
    );
    for decoy in [
        "The backstop for the Irish border was the hardest part of the Brexit withdrawal agreement.",
        "Line 1, the first line of the Paris Métro, has run without drivers since 2012.",
        "The new phone costs $800 and ships next month with a better camera.",
        "World leaders gathered at the Grand Palais for the Paris summit on artificial intelligence.",
    ] {
        let json = tag_json(&dir, "-", Some(decoy));
        assert!(
            tags_of(&json).is_empty(),
            "{decoy} got {:?}",
            tags_of(&json)
        );
    }
}

#[test]
fn a_url_is_fetched_and_tagged_like_the_file() {
    let server = FixtureServer::start();
    let dir = TestDir::new();
    dir.write_config(&[]);
    let (name, _) = expected()
        .articles
        .iter()
        .find(|(_, a)| !a.tags.is_empty())
        .unwrap();
    let from_url = tag_json(&dir, &server.url(&format!("articles/{name}")), None);
    let path = fixtures().join("site/articles").join(name);
    let from_file = tag_json(&dir, path.to_str().unwrap(), None);
    assert_eq!(from_url["title"], from_file["title"]);
    assert_eq!(tags_of(&from_url), tags_of(&from_file));
}

#[test]
fn empty_input_has_no_article() {
    let dir = TestDir::new();
    dir.write_config(&[]);
    let config = dir.path("newsmon.toml");
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &["tag", "-"],
        Some("  \n"),
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr.trim(), "newsmon: -: no article found");
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &["tag", "/no/such/file.html"],
        None,
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("/no/such/file.html: cannot read"),
        "{run:?}"
    );
}

/// Issue 9's examples through the real binary: a small price is an amount, a month alone
/// is a period with inclusive ends.
#[test]
fn amounts_and_dates_of_any_kind() {
    let dir = TestDir::new();
    dir.write_config(&[]);
    let config = dir.path("newsmon.toml");
    let tag = |text: &str| {
        let run = crate::util::newsmon(
            &["--config", config.to_str().unwrap()],
            &["tag", "-", "--published", "2018-05-01", "--format", "json"],
            Some(text),
        );
        assert_eq!(run.code, 0, "{run:?}");
        run.json()
    };
    let json = tag("He paid $94,000 for it.");
    let amount = &json["amounts"][0];
    assert_eq!(amount["value"], 94000, "{json}");
    assert_eq!(amount["currency"], "USD", "{json}");
    assert_eq!(amount["kind"], "point", "{json}");
    let json = tag("We meet in May.");
    let date = &json["dates"][0];
    assert_eq!(date["start"], "2018-05-01", "{json}");
    assert_eq!(date["end"], "2018-05-31", "{json}");
    assert_eq!(date["grain"], "month", "{json}");
}

/// A page as some servers send it: no doctype and no `<html>`, a script first. Inside
/// its article element, a newsletter box, a share bar and a list of other stories.
const BOXED_PAGE: &str = r#"<script type="text/javascript">var section = "world";</script>
<title>Allies meet in Paris</title>
<div id="main"><article>
<h1>Allies meet in Paris</h1>
<p>Leaders of the coalition met in Paris on Tuesday to agree how a ceasefire in Ukraine would be guarded, and which countries would send troops once the fighting stops.</p>
<div class="newsletter-signup"><p>The day's top stories, hand-picked by our editors. Sign up for the morning briefing and get them in your inbox every day.</p></div>
<p>The declaration they signed commits the allies to a multinational force, with air and sea patrols, and to long-term support for Ukraine's own army, officials said after the meeting.</p>
<ul class="share-tools"><li><a href="/s/fb">Facebook</a></li><li><a href="/s/x">X</a></li><li><a href="/s/mail">Email</a></li></ul>
<p>Details of the force, including its size and where it would be based, are to be worked out by defence ministers over the coming weeks, diplomats from three countries said.</p>
<h3>More stories</h3>
<ul><li><a href="/a">Markets rally after the summit</a></li><li><a href="/b">Weather: storms expected</a></li><li><a href="/c">Football results of the weekend</a></li></ul>
</article></div>
"#;

#[test]
fn explain_extraction_lists_the_dropped_boxes_and_why() {
    let dir = TestDir::new();
    let config = dir.write_config(&[]);
    let page = dir.write("boxed.html", BOXED_PAGE);
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &[
            "tag",
            page.to_str().unwrap(),
            "--explain-extraction",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    let text = json["text"].as_str().unwrap();
    assert!(text.contains("multinational force"), "{text}");
    assert!(
        !text.contains("<script") && !text.contains("var section"),
        "read as HTML: {text}"
    );
    for noise in ["hand-picked by our editors", "Facebook", "Markets rally"] {
        assert!(!text.contains(noise), "{noise} kept: {text}");
    }
    let dropped = json["dropped"].as_array().unwrap();
    let reason_of = |needle: &str| {
        dropped
            .iter()
            .find(|d| d["text"].as_str().unwrap().contains(needle))
            .map(|d| d["reason"].as_str().unwrap().to_string())
    };
    assert!(
        reason_of("hand-picked").is_some_and(|r| r.contains("newsletter")),
        "{dropped:?}"
    );
    assert!(reason_of("Markets rally").is_some(), "{dropped:?}");

    // The table lists them too; without the flag, JSON has no `dropped` field.
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &["tag", page.to_str().unwrap(), "--explain-extraction"],
        None,
    );
    assert!(run.stdout.contains("dropped from the page"), "{run:?}");
    assert!(run.stdout.contains("hand-picked by our editors"), "{run:?}");
    let json = tag_json(&dir, page.to_str().unwrap(), None);
    assert!(json.get("dropped").is_none(), "{json}");
}

#[test]
fn several_inputs_are_one_process_with_a_json_line_each() {
    let dir = TestDir::new();
    let config = dir.write_config(&[]);
    let articles = fixtures().join("site/articles");
    let (a, b) = ("summit-paris.html", "decoy-metro.html");
    let missing = dir.path("missing.html");
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &[
            "tag",
            articles.join(a).to_str().unwrap(),
            missing.to_str().unwrap(),
            articles.join(b).to_str().unwrap(),
        ],
        None,
    );
    // The missing file is reported and skipped; the others are tagged, in order.
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("missing.html: cannot read"), "{run:?}");
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert!(lines[0]["input"].as_str().unwrap().ends_with(a));
    assert!(lines[1]["input"].as_str().unwrap().ends_with(b));
    for tag in &expected().articles[a].tags {
        assert!(
            tags_of(&lines[0]).contains(tag),
            "{tag} missing in {}",
            lines[0]
        );
    }
    assert!(tags_of(&lines[1]).is_empty(), "a decoy: {}", lines[1]);
}

/// Names the shipped `config/frames.toml` in `dir`'s config; returns the config's text.
fn turn_frames_on(dir: &TestDir) -> String {
    let config = dir.path("newsmon.toml");
    let frames = crate::util::repo().join("config/frames.toml");
    let with = std::fs::read_to_string(&config).unwrap().replacen(
        "[http]",
        &format!("frames = {:?}\n[http]", frames.display().to_string()),
        1,
    );
    dir.write("newsmon.toml", &with);
    with
}

#[test]
fn concept_frames_are_on_by_default_and_explained() {
    let dir = TestDir::new();
    let text = "Kyiv waits. Washington would stand behind the arrangement with its own commitment.";
    // A config that names no taxonomy: the built-in taxonomy and its frames.
    dir.write("newsmon.toml", "[http]\ntimeout_secs = 5\n");
    assert_eq!(
        tags_of(&tag_json(&dir, "-", Some(text))),
        vec!["tier/us-backstop"],
        "no phrase names it; the default frames find it"
    );
    dir.write("newsmon.toml", "frames = false\n[http]\ntimeout_secs = 5\n");
    assert!(
        tags_of(&tag_json(&dir, "-", Some(text))).is_empty(),
        "`frames = false`: the rules alone"
    );
    // A taxonomy of one's own (here a copy named by path) takes no frames unless named.
    dir.write_config(&[]);
    assert!(tags_of(&tag_json(&dir, "-", Some(text))).is_empty());
    let config = dir.path("newsmon.toml");
    let with = turn_frames_on(&dir);
    let json = tag_json(&dir, "-", Some(text));
    assert_eq!(tags_of(&json), vec!["tier/us-backstop"]);
    assert_eq!(json["frames"][0]["frame"], "us-guarantee");
    assert_eq!(json["frames"][0]["concepts"][0][1], "Washington");
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &["tag", "-", "--explain"],
        Some(text),
    );
    assert!(
        run.stdout.contains(
            "decided by frame us-guarantee: us = \"Washington\" x guarantee = \"commitment\""
        ),
        "{run:?}"
    );
    // A frame naming a key the taxonomy lacks is a configuration error.
    dir.write(
        "frames.toml",
        "[[frame]]\ntag = \"tier/nope\"\nall = [\"x\"]\n",
    );
    let frames = crate::util::repo().join("config/frames.toml");
    let bad = with.replace(
        &format!("{:?}", frames.display().to_string()),
        "\"frames.toml\"",
    );
    dir.write("newsmon.toml", &bad);
    let run = crate::util::newsmon(
        &["--config", config.to_str().unwrap()],
        &["tag", "-"],
        Some(text),
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("tier/nope is not in the taxonomy"),
        "{run:?}"
    );
    // A command that never tags checks the frames without building the tagger, and
    // reports the same error.
    let index = dir.path("index");
    let run = crate::util::newsmon(
        &[
            "--config",
            config.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
        &["sources"],
        None,
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("tier/nope is not in the taxonomy"),
        "{run:?}"
    );
}

#[test]
fn a_frame_finds_a_meeting_by_its_day_and_explains_the_date() {
    let dir = TestDir::new();
    dir.write_config(&[]);
    let config = dir.path("newsmon.toml");
    turn_frames_on(&dir);
    let text = "Kyiv's allies gather in France. The heads of government meet on Tuesday.";
    let tag = |published: &str| {
        crate::util::newsmon(
            &["--config", config.to_str().unwrap()],
            &["tag", "-", "--published", published, "--explain"],
            Some(text),
        )
    };
    // Published Saturday 3 January 2026: "on Tuesday" is the 6th, the summit's day.
    let run = tag("2026-01-03");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("meeting/leaders-summit"), "{run:?}");
    assert!(
        run.stdout.contains("decided by frame leaders-on-their-day: leaders_group = \"heads of government\" x summit_day = \""),
        "{run:?}"
    );
    // A week later "on Tuesday" is the 13th; in 2024 the frames' period is over.
    for published in ["2026-01-10", "2024-07-06"] {
        let run = tag(published);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(
            !run.stdout.contains("leaders-summit"),
            "{published}: {run:?}"
        );
    }
}

#[test]
fn a_text_that_never_names_ukraine_opens_to_frames_on_the_storys_words() {
    let dir = TestDir::new();
    dir.write_config(&[]);
    let config = dir.path("newsmon.toml");
    turn_frames_on(&dir);
    // A Ukrainian podcast's notes: Paris, the generals, the Élysée, never "Ukraine".
    let text = "Пів року після Парижа.\n\nПонеділок: генерали. Вівторок: Єлисейський палац, 35 делегацій, декларація.";
    let tag = |text: &str| {
        crate::util::newsmon(
            &["--config", config.to_str().unwrap()],
            &["tag", "-", "--explain"],
            Some(text),
        )
    };
    let run = tag(text);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("meeting/leaders-summit"), "{run:?}");
    assert!(
        run.stdout
            .contains("off topic, story gate: elysee = \"Єлисейський\""),
        "{run:?}"
    );
    let json = tag_json(&dir, "-", Some(text));
    assert_eq!(json["frames"][0]["gate"][0][0], "elysee", "{json}");
    // One story word is not the story: the gate stays shut.
    let run = tag("Вівторок: Єлисейський палац, 35 делегацій, декларація.");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("leaders-summit"), "{run:?}");
}

#[test]
fn a_model_trained_over_frames_verifies_their_tags_and_explains_its_score() {
    let dir = TestDir::new();
    dir.write(
        "taxonomy.toml",
        "[tier.us-backstop]\nlabel = \"x\"\nphrases = [\"Article 5-like\"]\ntopic = [\"Kyiv\"]\n",
    );
    dir.write(
        "frames.toml",
        "[concepts]\nus = [\"washington\"]\nguarantee = [\"commitment\"]\n\n[[frame]]\ntag = \"tier/us-backstop\"\nname = \"us-guarantee\"\nall = [\"us\", \"guarantee\"]\n",
    );
    dir.write("lexicon.toml", "[concepts]\nus = [\"washington\"]\n");
    // The frame fires on every example; a third of them are about a port deal, which the
    // annotators did not tag.
    let examples: String = (0..24)
        .map(|i| {
            let (text, tags) = if i % 3 == 0 {
                ("Washington made a commitment on the harbour lease.", "[]")
            } else {
                (
                    "Washington would back the peace deal with a commitment.",
                    "[\"tier/us-backstop\"]",
                )
            };
            format!("{{\"text\": \"Kyiv waits, day {i}. {text}\", \"tags\": {tags}}}\n")
        })
        .collect();
    dir.write("examples.jsonl", &examples);
    let config = dir.write(
        "newsmon.toml",
        &format!(
            "taxonomy = {:?}\nframes = \"frames.toml\"\n",
            dir.path("taxonomy.toml").display().to_string()
        ),
    );
    let config = ["--config", config.to_str().unwrap()];
    let frames = dir.path("frames.toml");
    let examples = dir.path("examples.jsonl");
    let run = crate::util::newsmon(
        &config,
        &[
            "train",
            examples.to_str().unwrap(),
            "--frames",
            frames.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("verify tier/us-backstop"), "{run:?}");
    assert!(dir.path("taxonomy.model.json").exists());
    let tag = |text: &str| crate::util::newsmon(&config, &["tag", "-", "--explain"], Some(text));
    let kept = tag("Kyiv waits. Washington would back the peace deal with a commitment.");
    assert_eq!(kept.code, 0, "{kept:?}");
    assert!(
        kept.stdout.contains("decided by frame us-guarantee")
            && kept.stdout.contains("; model verifier: score "),
        "{kept:?}"
    );
    let dropped = tag("Kyiv waits. Washington made a commitment on the harbour lease.");
    assert_eq!(dropped.code, 0, "{dropped:?}");
    assert!(!dropped.stdout.contains("tier/us-backstop"), "{dropped:?}");
}
