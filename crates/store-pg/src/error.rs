use std::path::PathBuf;

/// What can go wrong with the PostgreSQL store. Every message names the database (its URL
/// without the password).
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No URL configured.
    #[error(
        "[state] backend = \"postgres\" needs a database: set [state] url or NEWSMON_DATABASE_URL"
    )]
    NoUrl,
    /// The URL does not parse.
    #[error("{url}: invalid database URL: {detail}")]
    Url {
        /// The URL, password removed.
        url: String,
        /// Why.
        detail: String,
    },
    /// The server cannot be reached (or refused us).
    #[error("{url}: cannot reach PostgreSQL: {detail}")]
    Unreachable {
        /// The URL, password removed.
        url: String,
        /// Why.
        detail: String,
    },
    /// The schema is of another version than this newsmon knows.
    #[error("{url}: {detail}")]
    Schema {
        /// The URL, password removed.
        url: String,
        /// What is wrong and what to do.
        detail: String,
    },
    /// A statement failed.
    #[error("{url}: {what}: {detail}")]
    Query {
        /// The URL, password removed.
        url: String,
        /// What was being done.
        what: &'static str,
        /// Why it failed.
        detail: String,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for newsmon_fetcher::Error {
    /// Crawl-state errors of the fetcher's trait: "`<url>`: crawl state: `<detail>`".
    fn from(err: Error) -> Self {
        let (url, detail) = match err {
            Error::NoUrl => (String::from("postgres"), err.to_string()),
            Error::Url { url, detail }
            | Error::Unreachable { url, detail }
            | Error::Schema { url, detail } => (url, detail),
            Error::Query { url, what, detail } => (url, format!("{what}: {detail}")),
        };
        newsmon_fetcher::Error::State {
            path: PathBuf::from(url),
            detail,
        }
    }
}

/// One line, whatever the server said.
pub(crate) fn flatten(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
        source = cause_source(source);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cause_source<'a>(
    err: Option<&'a (dyn std::error::Error + 'static)>,
) -> Option<&'a (dyn std::error::Error + 'static)> {
    err.and_then(std::error::Error::source)
}
