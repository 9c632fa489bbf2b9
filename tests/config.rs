//! Configuration on a user's machine: look-up through `$NEWSMON_CONFIG` and the XDG dirs,
//! the embedded taxonomy for a config of sources only, `init`, and one-line errors.

use std::path::Path;

use crate::util::{FixtureServer, Run, TestDir, expected, newsmon_env};

/// `config show --paths` as (what, path) pairs.
fn paths(run: &Run) -> Vec<(String, String)> {
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout
        .lines()
        .map(|line| {
            let (what, rest) = line.split_at(13);
            let path = rest.trim().rsplit_once("  (").map_or(rest, |(p, _)| p);
            (what.trim().to_string(), path.trim().to_string())
        })
        .collect()
}

fn path_of<'a>(paths: &'a [(String, String)], what: &str) -> &'a str {
    &paths.iter().find(|(w, _)| w == what).unwrap().1
}

#[test]
fn a_config_of_sources_only_ingests_with_the_embedded_taxonomy() {
    let server = FixtureServer::start();
    let dir = TestDir::new();
    let feed = "wire.rss";
    assert_eq!(expected().feeds[feed].outcome, "ok");
    // Sources, and the one setting loopback needs: no taxonomy key, and no taxonomy file
    // anywhere near.
    let config = dir.write(
        "feeds.toml",
        &format!(
            "[http]\nallow_private_networks = true\nper_host_delay_ms = 0\n\n[[source]]\nname = \"fixture\"\nurl = \"{}\"\n",
            server.url(&format!("feeds/{feed}"))
        ),
    );
    let home = dir.path("home");
    let env = [("HOME", home.as_path())];
    let run = newsmon_env(
        dir.dir.path(),
        &env,
        &["--config", config.to_str().unwrap(), "ingest"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("new"), "{run:?}");
    // The index went to the XDG data dir, and the embedded taxonomy tagged.
    let index = home.join(".local/share/newsmon/index");
    assert!(index.join("crawl.sqlite").is_file(), "{run:?}");
    let run = newsmon_env(
        dir.dir.path(),
        &env,
        &["search", "*", "--tag", "meeting", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.json()["total"].as_u64().unwrap() > 0, "{run:?}");
}

#[test]
fn newsmon_config_and_xdg_dirs_are_found_in_order() {
    let dir = TestDir::new();
    let home = dir.path("home");
    let work = dir.path("work");
    std::fs::create_dir_all(&work).unwrap();
    let show =
        |env: &[(&str, &Path)]| paths(&newsmon_env(&work, env, &["config", "show", "--paths"]));

    // Nothing anywhere: the embedded config, the index in the XDG data dir.
    let p = show(&[("HOME", &home)]);
    assert_eq!(path_of(&p, "config"), "(embedded default config)");
    assert_eq!(path_of(&p, "taxonomy"), "(embedded default taxonomy)");
    assert_eq!(
        Path::new(path_of(&p, "index")),
        home.join(".local/share/newsmon/index")
    );
    assert_eq!(Path::new(path_of(&p, "cache")), home.join(".cache/newsmon"));
    let cache = dir.path("cache");
    let p = show(&[("HOME", &home), ("XDG_CACHE_HOME", &cache)]);
    assert_eq!(Path::new(path_of(&p, "cache")), cache.join("newsmon"));

    // ~/.config/newsmon/newsmon.toml once it exists.
    let xdg = home.join(".config/newsmon");
    std::fs::create_dir_all(&xdg).unwrap();
    std::fs::write(xdg.join("newsmon.toml"), "").unwrap();
    let p = show(&[("HOME", &home)]);
    assert_eq!(Path::new(path_of(&p, "config")), xdg.join("newsmon.toml"));

    // $XDG_CONFIG_HOME and $XDG_DATA_HOME move both.
    let other = dir.path("xdg");
    std::fs::create_dir_all(other.join("cfg/newsmon")).unwrap();
    std::fs::write(
        other.join("cfg/newsmon/newsmon.toml"),
        "taxonomy = \"mine.toml\"\n",
    )
    .unwrap();
    let cfg = other.join("cfg");
    let data = other.join("data");
    let p = show(&[
        ("HOME", &home),
        ("XDG_CONFIG_HOME", &cfg),
        ("XDG_DATA_HOME", &data),
    ]);
    assert_eq!(
        Path::new(path_of(&p, "config")),
        cfg.join("newsmon/newsmon.toml")
    );
    assert_eq!(
        Path::new(path_of(&p, "taxonomy")),
        cfg.join("newsmon/mine.toml")
    );
    assert_eq!(Path::new(path_of(&p, "index")), data.join("newsmon/index"));

    // $NEWSMON_CONFIG before all of them.
    let named = dir.write("named.toml", "");
    let p = show(&[
        ("HOME", &home),
        ("XDG_CONFIG_HOME", &cfg),
        ("NEWSMON_CONFIG", &named),
    ]);
    assert_eq!(Path::new(path_of(&p, "config")), named);

    // A checkout: ./config/newsmon.toml and ./index.
    std::fs::create_dir_all(work.join("config")).unwrap();
    std::fs::write(work.join("config/newsmon.toml"), "").unwrap();
    let p = show(&[("HOME", &home), ("XDG_CONFIG_HOME", &cfg)]);
    assert_eq!(path_of(&p, "config"), "config/newsmon.toml");
    assert_eq!(path_of(&p, "index"), "index");
}

#[test]
fn init_writes_configs_that_check() {
    let dir = TestDir::new();
    let home = dir.path("home");
    let env = [("HOME", home.as_path())];
    let work = dir.dir.path();

    // Without a directory: the XDG config dir, where the look-up then finds it.
    let run = newsmon_env(work, &env, &["init"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = newsmon_env(work, &env, &["config", "check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with(
            &home
                .join(".config/newsmon/newsmon.toml")
                .display()
                .to_string()
        ) && run
            .stdout
            .contains("15 tags, frames (embedded default frames)"),
        "{run:?}"
    );

    // With --taxonomy, the copy is the config's taxonomy, and an edit to it counts.
    let mine = dir.path("mine");
    let run = newsmon_env(work, &env, &["init", mine.to_str().unwrap(), "--taxonomy"]);
    assert_eq!(run.code, 0, "{run:?}");
    let config = mine.join("newsmon.toml");
    let check = || {
        newsmon_env(
            work,
            &env,
            &["--config", config.to_str().unwrap(), "config", "check"],
        )
    };
    assert_eq!(check().code, 0, "{:?}", check());
    let taxonomy = mine.join("taxonomy.toml");
    let text = std::fs::read_to_string(&taxonomy).unwrap();
    std::fs::write(
        &taxonomy,
        format!("{text}\n[extra.key]\nlabel = \"x\"\nphrases = [\"x\"]\n"),
    )
    .unwrap();
    let run = check();
    assert!(run.stdout.contains("16 tags"), "{run:?}");
    // The frames copy beside it is the config's frames.
    let frames = mine.join("frames.toml");
    assert!(
        run.stdout.contains(&format!("frames {}", frames.display())),
        "{run:?}"
    );
    // A broken frames file is a configuration error naming it.
    std::fs::write(&frames, "[frame.x]\nkey = = 1\n").unwrap();
    let run = check();
    assert!(
        run.code != 0 && run.stderr.contains("frames.toml"),
        "{run:?}"
    );

    // A second init does not overwrite what the user edited.
    let run = newsmon_env(work, &env, &["init", mine.to_str().unwrap(), "--taxonomy"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("already exists"), "{run:?}");
    assert!(
        std::fs::read_to_string(&taxonomy)
            .unwrap()
            .contains("[extra.key]")
    );
}

#[test]
fn a_missing_named_taxonomy_is_named_once() {
    let dir = TestDir::new();
    let config = dir.write(
        "newsmon.toml",
        "taxonomy = \"nowhere.toml\"\n[[source]]\nname = \"a\"\nurl = \"http://127.0.0.1:9/\"\n",
    );
    let home = dir.path("home");
    let run = newsmon_env(
        dir.dir.path(),
        &[("HOME", home.as_path())],
        &["--config", config.to_str().unwrap(), "ingest"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    let line = run.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{run:?}");
    assert!(
        line.contains("nowhere.toml: cannot read taxonomy"),
        "{run:?}"
    );
    assert_eq!(line.matches("os error 2").count(), 1, "{run:?}");
}

#[test]
fn completions_and_the_man_page_come_from_the_cli() {
    let dir = TestDir::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = newsmon_env(dir.dir.path(), &[], &["completions", shell]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.contains("newsmon"), "{shell}");
        assert!(run.stdout.contains("reindex"), "{shell}: every command");
    }
    let run = newsmon_env(dir.dir.path(), &[], &["man"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with(".ie") || run.stdout.contains(".TH newsmon"),
        "{run:?}"
    );
    let run = newsmon_env(dir.dir.path(), &[], &["search", "--help"]);
    assert!(run.stdout.contains("Examples:"), "{run:?}");
}
