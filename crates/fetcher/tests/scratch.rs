#[test]
fn scratch() {
    let dir = std::env::var("SCRATCH_DIR").unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let filter = std::env::var("SCRATCH_FILTER").unwrap_or_default();
    for p in names {
        if !p.to_string_lossy().contains(&filter) {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        let url = url::Url::parse("http://127.0.0.1:8097/tests/x/")
            .unwrap()
            .join(&p.file_name().unwrap().to_string_lossy())
            .unwrap();
        let r = std::panic::catch_unwind(|| newsmon_fetcher::parse_feed(&bytes, &url));
        match r {
            Ok(Ok(f)) => println!(
                "{}: OK items={} title={:?} first={:?}",
                p.display(),
                f.items.len(),
                f.title,
                f.items.first().map(|i| (
                    &i.title,
                    i.link.as_ref().map(|l| l.as_str()),
                    &i.summary,
                    i.published
                ))
            ),
            Ok(Err(e)) => println!("{}: ERR {e}", p.display()),
            Err(_) => println!("{}: PANIC", p.display()),
        }
    }
}
