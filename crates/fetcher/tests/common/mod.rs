//! Helpers shared by the loopback tests of this crate.

use std::time::Duration;

use axum::Router;
use newsmon_fetcher::{Fetcher, HttpConfig};
use url::Url;

/// Serves `router` on 127.0.0.1 with a port chosen by the OS for the rest of the test; the
/// socket is bound before this returns, so no readiness wait is needed.
pub async fn serve(router: Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Url::parse(&format!("http://{addr}/")).unwrap()
}

pub fn fetcher(config: HttpConfig) -> Fetcher {
    Fetcher::new(&config).unwrap()
}

/// Every test gets this long; a hang fails instead of blocking the suite.
pub async fn bounded<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .expect("test took longer than 30 s")
}
