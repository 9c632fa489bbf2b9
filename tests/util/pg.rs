//! A fresh PostgreSQL database per test, on the server `NEWSMON_TEST_DATABASE_URL` names
//! (`.ci/pg-test-cluster.sh` starts one). Without it the test prints a loud skip line.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Tests share the server; the one that restarts it runs alone.
static CLUSTER: RwLock<()> = RwLock::new(());

enum Cluster {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Alone(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

pub struct TestDb {
    admin: String,
    pub name: String,
    pub url: String,
    // Released after the database is dropped (fields drop after `Drop::drop`).
    _cluster: Cluster,
}

impl TestDb {
    /// `None` (after a `skipped:` line) when no server is configured.
    pub fn create(test: &str) -> Option<TestDb> {
        let guard = CLUSTER
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Self::create_in(test, Cluster::Shared(guard))
    }

    /// Like [`TestDb::create`], while no other test uses the server: for a test that
    /// restarts it ([`TestDb::restart_cluster`]).
    pub fn create_alone(test: &str) -> Option<TestDb> {
        let guard = CLUSTER
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Self::create_in(test, Cluster::Alone(guard))
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
        let script = super::repo().join(".ci/pg-test-cluster.sh");
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

    fn create_in(test: &str, cluster: Cluster) -> Option<TestDb> {
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
            _cluster: cluster,
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
