//! Test support shared by newsmon's test suites and benches (a dev-dependency only): a
//! fresh PostgreSQL database per test, on the server `NEWSMON_TEST_DATABASE_URL` names
//! (`.ci/pg-test-cluster.sh` starts a throwaway one). Without that server a test prints a
//! loud `skipped:` line instead of passing silently.
//!
//! Test code: a failure here is the test's failure, so it panics with the cause.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The variable that names the test server (an admin URL).
pub const DATABASE_URL_ENV: &str = "NEWSMON_TEST_DATABASE_URL";

/// Tests share the server; the one that restarts it runs alone.
static CLUSTER: RwLock<()> = RwLock::new(());

enum Cluster {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Alone(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
    /// Not coordinated with other tests of the process (a bench).
    Free,
}

/// A database of its own, dropped (with its connections) at the end of the test.
pub struct TestDb {
    admin: String,
    /// The database's name.
    pub name: String,
    /// Its connection URL.
    pub url: String,
    // Released after the database is dropped (fields drop after `Drop::drop`).
    _cluster: Cluster,
}

impl TestDb {
    /// `None` (after a `skipped:` line naming `test`) when no server is configured.
    pub fn create(test: &str) -> Option<TestDb> {
        let guard = CLUSTER.read().unwrap_or_else(PoisonError::into_inner);
        Self::from_env(test, Cluster::Shared(guard))
    }

    /// Like [`TestDb::create`], while no other test uses the server: for a test that
    /// restarts it ([`TestDb::restart_cluster`]).
    pub fn create_alone(test: &str) -> Option<TestDb> {
        let guard = CLUSTER.write().unwrap_or_else(PoisonError::into_inner);
        Self::from_env(test, Cluster::Alone(guard))
    }

    /// A database on the server at `admin` (for a bench that names its own server).
    pub fn create_on(admin: &str) -> TestDb {
        Self::create_in(admin, Cluster::Free)
    }

    fn from_env(test: &str, cluster: Cluster) -> Option<TestDb> {
        let Ok(admin) = std::env::var(DATABASE_URL_ENV) else {
            eprintln!(
                "skipped: {DATABASE_URL_ENV} not set ({test} needs PostgreSQL; see .ci/pg-test-cluster.sh)"
            );
            return None;
        };
        Some(Self::create_in(&admin, cluster))
    }

    fn create_in(admin: &str, cluster: Cluster) -> TestDb {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "newsmon_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        execute(admin, &format!("CREATE DATABASE {name}"));
        let mut url = url::Url::parse(admin).unwrap();
        url.set_path(&name);
        TestDb {
            admin: admin.to_string(),
            name,
            url: url.to_string(),
            _cluster: cluster,
        }
    }

    /// Restarts the server (`.ci/pg-test-cluster.sh restart`: `pg_ctl restart -m fast`, as
    /// the cluster's owner). `false`, after a `skipped:` line, when the server was not
    /// started by that script (`NEWSMON_TEST_PG_DIR` unset).
    pub fn restart_cluster(&self) -> bool {
        assert!(
            matches!(self._cluster, Cluster::Alone(_)),
            "restart only a server the test has to itself (TestDb::create_alone)"
        );
        if std::env::var_os("NEWSMON_TEST_PG_DIR").is_none() {
            eprintln!(
                "skipped: NEWSMON_TEST_PG_DIR not set (restarting PostgreSQL needs a cluster of .ci/pg-test-cluster.sh)"
            );
            return false;
        }
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.ci/pg-test-cluster.sh");
        let out = std::process::Command::new(script)
            .arg("restart")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        true
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

    /// Runs `statements` on this database.
    pub fn execute(&self, statements: &str) {
        execute(&self.url, statements);
    }

    /// `SELECT count(*) ...`-like: the first column of the first row, as a number.
    pub fn count(&self, query: &str) -> u64 {
        query_count(&self.url, query)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        execute(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Runs `statements` (one batch) on the database at `url`.
pub fn execute(url: &str, statements: &str) {
    with_client(url, async |client| {
        client.batch_execute(statements).await.unwrap()
    });
}

fn query_count(url: &str, query: &str) -> u64 {
    with_client(url, async |client| {
        let row = client.query_one(query, &[]).await.unwrap();
        u64::try_from(row.get::<_, i64>(0)).unwrap()
    })
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
