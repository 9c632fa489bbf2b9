//! A fresh PostgreSQL database per test, on the server `NEWSMON_TEST_DATABASE_URL` names
//! (`.ci/pg-test-cluster.sh` starts one). Without it the test prints a loud skip line.

use std::sync::atomic::{AtomicUsize, Ordering};

pub struct TestDb {
    admin: String,
    pub name: String,
    pub url: String,
}

impl TestDb {
    /// `None` (after a `skipped:` line) when no server is configured.
    pub fn create(test: &str) -> Option<TestDb> {
        let Ok(admin) = std::env::var("NEWSMON_TEST_DATABASE_URL") else {
            eprintln!(
                "skipped: NEWSMON_TEST_DATABASE_URL not set ({test} needs PostgreSQL; see .ci/pg-test-cluster.sh)"
            );
            return None;
        };
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "newsmon_e2e_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        sql(&admin, &format!("CREATE DATABASE {name}"));
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&name);
        Some(TestDb {
            admin,
            name,
            url: url.to_string(),
        })
    }

    /// Ends every connection to this database, as a server restart does.
    pub fn kill_connections(&self) -> u64 {
        query_count(
            &self.admin,
            &format!(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE datname = '{}' AND pid <> pg_backend_pid()",
                self.name
            ),
        )
    }

    /// Runs statements on the database at `url`.
    pub fn execute(url: &str, statements: &str) {
        sql(url, statements);
    }

    /// `SELECT count(*) ...`-like: the first column of the first row, as a number.
    pub fn count(&self, query: &str) -> u64 {
        query_count(&self.url, query)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        sql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn with_client<T>(url: &str, work: impl AsyncFnOnce(&tokio_postgres::Client) -> T) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        let task = tokio::spawn(connection);
        let out = work(&client).await;
        drop(client);
        let _ = task.await;
        out
    })
}

fn sql(url: &str, statement: &str) {
    with_client(url, async |client| {
        client.batch_execute(statement).await.unwrap()
    });
}

fn query_count(url: &str, query: &str) -> u64 {
    with_client(url, async |client| {
        let row = client.query_one(query, &[]).await.unwrap();
        u64::try_from(row.get::<_, i64>(0)).unwrap()
    })
}
