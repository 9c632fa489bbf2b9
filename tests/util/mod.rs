//! Helpers for the end-to-end tests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub mod mock;
pub use newsmon_testkit as pg;

/// The repository root (tests/ lives there).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// What the fixture site holds, and what newsmon should make of it.
#[derive(Debug, Deserialize)]
pub struct Expected {
    pub articles: std::collections::BTreeMap<String, ExpectedArticle>,
    pub feeds: std::collections::BTreeMap<String, ExpectedFeed>,
}

#[derive(Debug, Deserialize)]
pub struct ExpectedArticle {
    pub title: String,
    pub tags: Vec<String>,
    #[serde(default)]
    pub must_not: Vec<String>,
    pub query: String,
}

#[derive(Debug, Deserialize)]
pub struct ExpectedFeed {
    pub items: usize,
    pub outcome: String,
}

pub fn expected() -> &'static Expected {
    static EXPECTED: OnceLock<Expected> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let text = std::fs::read_to_string(fixtures().join("expected.toml")).unwrap();
        toml::from_str(&text).unwrap()
    })
}

/// Serves `tests/fixtures/site` on 127.0.0.1 (ephemeral port), replacing `{{BASE}}` in
/// every file with the server's own base URL. Unknown paths answer 404.
pub struct FixtureServer {
    pub base: String,
}

impl FixtureServer {
    pub fn start() -> FixtureServer {
        let addr = serve_in_background(|addr| {
            Router::new()
                .route("/{*path}", axum::routing::get(serve))
                .with_state(format!("http://{addr}"))
        });
        FixtureServer {
            base: format!("http://{addr}"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }
}

/// Serves the router that `app` builds (given the address, for self-links) on 127.0.0.1,
/// on an ephemeral port, from a background thread for the rest of the test process. The
/// socket is bound before this returns, so no readiness wait is needed.
pub fn serve_in_background(app: impl FnOnce(SocketAddr) -> Router + Send + 'static) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app(addr)).await.unwrap();
        });
    });
    addr
}

async fn serve(State(base): State<String>, UrlPath(path): UrlPath<String>) -> Response {
    let root = fixtures().join("site");
    if path.split('/').any(|part| part == "..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(text) = std::fs::read_to_string(root.join(&path)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let content_type = match Path::new(&path).extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("rss") | Some("xml") => "application/rss+xml; charset=utf-8",
        Some("atom") => "application/atom+xml; charset=utf-8",
        Some("json") => "application/feed+json; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
    (
        [(header::CONTENT_TYPE, content_type)],
        text.replace("{{BASE}}", &base),
    )
        .into_response()
}

/// A URL on loopback where nothing listens.
pub fn unreachable_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/feed.xml")
}

/// A temporary directory holding a config, its taxonomy and an index.
pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `newsmon.toml` with these sources, pointing at the shipped taxonomy.
    pub fn write_config(&self, sources: &[(&str, String)]) -> PathBuf {
        let taxonomy = repo().join("config/taxonomy.toml");
        let mut text = format!(
            "taxonomy = {:?}\n[http]\ntimeout_secs = 5\nconnect_timeout_secs = 2\nallow_private_networks = true\nper_host_delay_ms = 0\n",
            taxonomy.display().to_string()
        );
        for (name, url) in sources {
            text += &format!("\n[[source]]\nname = {name:?}\nurl = {url:?}\n");
        }
        self.write("newsmon.toml", &text)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `newsmon --config <dir>/newsmon.toml --index <dir>/index ARGS...`
    pub fn newsmon(&self, args: &[&str]) -> Run {
        newsmon(
            &[
                "--config",
                self.path("newsmon.toml").to_str().unwrap(),
                "--index",
                self.path("index").to_str().unwrap(),
            ],
            args,
            None,
        )
    }
}

/// The finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn newsmon(global: &[&str], args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsmon"));
    // A developer's own configuration must not leak into the tests.
    cmd.env_remove("NEWSMON_CONFIG");
    run_command(cmd, global, args, stdin)
}

/// Runs the binary in `cwd` with only these environment variables besides PATH: the
/// configuration and index look-up see a user's machine, not the test runner's.
pub fn newsmon_env(cwd: &Path, env: &[(&str, &Path)], args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsmon"));
    cmd.current_dir(cwd).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    run_command(cmd, &[], args, None)
}

fn run_command(mut cmd: Command, global: &[&str], args: &[&str], stdin: Option<&str>) -> Run {
    cmd.args(global)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).unwrap();
        }
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}
