//! Connections: the pool, retries with backoff, and the runtime that drives them.

use std::future::Future;
use std::time::{Duration, Instant};

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use crate::error::{Error, Result, flatten};

/// The first pause between retries; doubled after each failure up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The pool, and where it connects (password removed, for messages).
#[derive(Clone)]
pub(crate) struct Db {
    pub(crate) pool: Pool,
    pub(crate) url: String,
    retry: Duration,
}

/// A failed attempt: whether trying again may help (the server restarting, a dropped
/// connection), and what happened.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) transient: bool,
    pub(crate) detail: String,
}

impl From<tokio_postgres::Error> for Failure {
    fn from(err: tokio_postgres::Error) -> Failure {
        Failure {
            transient: transient(&err),
            detail: flatten(&err),
        }
    }
}

impl From<PoolError> for Failure {
    fn from(err: PoolError) -> Failure {
        let transient = match &err {
            PoolError::Timeout(_) => true,
            PoolError::Backend(inner) => transient(inner),
            _ => false,
        };
        Failure {
            transient,
            detail: flatten(&err),
        }
    }
}

impl Failure {
    /// Stored data that does not read back (never retried).
    pub(crate) fn corrupt(detail: impl Into<String>) -> Failure {
        Failure {
            transient: false,
            detail: detail.into(),
        }
    }
}

/// Connection loss, a server shutting down or starting, too many connections, and
/// serialization conflicts pass; anything else (a bad statement, a constraint) will not.
fn transient(err: &tokio_postgres::Error) -> bool {
    if err.is_closed() {
        return true;
    }
    match err.code() {
        Some(state) => {
            let code = state.code();
            code.starts_with("08")
                || code.starts_with("57P")
                || matches!(code, "40001" | "40P01" | "53300")
        }
        // No SQLSTATE: the connection itself failed (refused, reset, timed out).
        None => {
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                if cause.is::<std::io::Error>() {
                    return true;
                }
                source = cause.source();
            }
            let text = err.to_string();
            text.contains("error connecting")
                || text.contains("timeout")
                || text.contains("connection closed")
        }
    }
}

impl Db {
    /// A pool for `raw` (a URL or key=value string); connects lazily.
    pub(crate) fn new(raw: &str, pool_size: usize, retry: Duration) -> Result<Db> {
        let url = redact(raw);
        let mut config: tokio_postgres::Config =
            raw.parse()
                .map_err(|err: tokio_postgres::Error| Error::Url {
                    url: url.clone(),
                    detail: flatten(&err),
                })?;
        config.application_name("newsmon");
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(10)))
            .wait_timeout(Some(Duration::from_secs(60)))
            .build()
            .map_err(|err| Error::Url {
                url: url.clone(),
                detail: flatten(&err),
            })?;
        Ok(Db { pool, url, retry })
    }

    /// Runs `attempt` until it succeeds, fails for good, or transient failures have lasted
    /// longer than the configured retry time. Each attempt takes its own connection, so one
    /// that broke when the server restarted is not reused.
    pub(crate) async fn retrying<T, F, Fut>(&self, what: &'static str, mut attempt: F) -> Result<T>
    where
        F: FnMut(Pool) -> Fut,
        Fut: Future<Output = std::result::Result<T, Failure>>,
    {
        let started = Instant::now();
        let mut backoff = FIRST_BACKOFF;
        loop {
            match attempt(self.pool.clone()).await {
                Ok(value) => return Ok(value),
                Err(failure) if failure.transient && started.elapsed() < self.retry => {
                    tracing::warn!(database = %self.url, what, error = %failure.detail, retry_in_ms = backoff.as_millis() as u64, "PostgreSQL unavailable; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
                Err(failure) if failure.transient => {
                    return Err(Error::Unreachable {
                        url: self.url.clone(),
                        detail: format!(
                            "{what}: {} (gave up after {}s)",
                            failure.detail,
                            started.elapsed().as_secs()
                        ),
                    });
                }
                Err(failure) => {
                    return Err(Error::Query {
                        url: self.url.clone(),
                        what,
                        detail: failure.detail,
                    });
                }
            }
        }
    }
}

/// The URL without its password, for messages and `db status`.
pub(crate) fn redact(raw: &str) -> String {
    if let Ok(mut url) = url::Url::parse(raw)
        && matches!(url.scheme(), "postgres" | "postgresql")
    {
        if url.password().is_some() {
            // Only fails for URLs that cannot have a password, which these can.
            let _ = url.set_password(Some("***"));
        }
        return url.to_string();
    }
    // key=value form: hide the value of `password`.
    raw.split_whitespace()
        .map(|pair| {
            if pair.starts_with("password=") {
                "password=***"
            } else {
                pair
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A small runtime of its own that the synchronous [`newsmon_fetcher::StateStore`] calls
/// block on, from any thread: a tokio worker of the caller's runtime (which cannot nest a
/// `block_on`), a blocking-pool thread, or plain `main`.
pub(crate) struct Background {
    runtime: Option<tokio::runtime::Runtime>,
}

impl Background {
    pub(crate) fn new(url: &str) -> Result<Background> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("newsmon-pg")
            .enable_all()
            .build()
            .map_err(|err| Error::Unreachable {
                url: url.to_string(),
                detail: format!("cannot start the database runtime: {err}"),
            })?;
        Ok(Background {
            runtime: Some(runtime),
        })
    }

    /// Runs `work` on the background runtime and waits for it.
    pub(crate) fn run<T, F>(&self, url: &str, work: F) -> Result<T>
    where
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let runtime = self.runtime.as_ref().ok_or_else(|| crashed(url))?;
        let (done, result) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            // The caller waits on `result`; it cannot be gone.
            let _ = done.send(work.await);
        });
        result.recv().map_err(|_| crashed(url))?
    }

    /// Runs `work` on the background runtime; the caller awaits it from its own runtime.
    pub(crate) async fn spawn<T, F>(&self, url: &str, work: F) -> Result<T>
    where
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let runtime = self.runtime.as_ref().ok_or_else(|| crashed(url))?;
        runtime.spawn(work).await.map_err(|_| crashed(url))?
    }
}

/// A task of the background runtime that ended without its result (the runtime stopped).
fn crashed(url: &str) -> Error {
    Error::Query {
        url: url.to_string(),
        what: "database task",
        detail: "stopped before it finished".into(),
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside another runtime; this does not.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://news:s3cret@db.example:5433/newsmon"),
            "postgres://news:***@db.example:5433/newsmon"
        );
        assert_eq!(
            redact("postgres://news@db/newsmon"),
            "postgres://news@db/newsmon"
        );
        assert_eq!(
            redact("host=db user=news password=s3cret dbname=newsmon"),
            "host=db user=news password=*** dbname=newsmon"
        );
    }

    #[test]
    fn a_malformed_url_is_one_line_naming_it() {
        let err = Db::new("postgres://news@db:notaport/x", 2, Duration::ZERO)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.starts_with("postgres://news@db:notaport/x: invalid database URL"),
            "{err}"
        );
        assert!(!err.contains('\n'));
    }
}
