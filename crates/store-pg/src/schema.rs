//! Schema migrations, versioned and append-only, as for SQLite.

use tokio_postgres::GenericClient;

use crate::db::Failure;

/// Advisory lock keys ("newsmon" and a number), so that newsmon's locks cannot collide
/// with another application's on the same server by chance.
pub(crate) const SCHEMA_LOCK: i64 = 0x6e65_7773_6d6f_6e01;
/// Held by the transaction that appends to the article log: see [`crate::log`].
pub(crate) const LOG_LOCK: i64 = 0x6e65_7773_6d6f_6e02;

/// Migrations, applied in order; `newsmon_schema` holds one row per version applied.
///
/// Append only: never edit a shipped entry, because databases in the field already ran it.
pub(crate) const MIGRATIONS: &[&str] = &[
    // v1: crawl state with leases, the article log, aliases and raw pages.
    "CREATE TABLE sources (
        name                 TEXT PRIMARY KEY,
        url                  TEXT NOT NULL,
        etag                 TEXT,
        last_modified        TEXT,
        last_poll            TIMESTAMPTZ,
        last_status          INTEGER,
        items_in_feed        BIGINT NOT NULL DEFAULT 0,
        new_articles         BIGINT NOT NULL DEFAULT 0,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error           TEXT,
        next_due             TIMESTAMPTZ,
        kind                 TEXT,
        feed_url             TEXT,
        lease_owner          TEXT,
        lease_until          TIMESTAMPTZ
    );
    CREATE SEQUENCE article_log;
    CREATE TABLE articles (
        url              TEXT PRIMARY KEY,
        seq              BIGINT NOT NULL UNIQUE,
        source           TEXT NOT NULL,
        feed_fingerprint TEXT NOT NULL,
        content_hash     TEXT NOT NULL,
        indexed_at       TIMESTAMPTZ NOT NULL,
        title            TEXT,
        published        TIMESTAMPTZ,
        language         TEXT,
        fetched          TIMESTAMPTZ NOT NULL,
        tags             TEXT[] NOT NULL,
        article          JSONB NOT NULL,
        mentions         JSONB NOT NULL,
        amounts          JSONB NOT NULL,
        fingerprint      BIGINT NOT NULL,
        cluster          BIGINT NOT NULL
    );
    CREATE INDEX articles_by_source ON articles (source);
    CREATE TABLE aliases (
        link TEXT PRIMARY KEY,
        url  TEXT NOT NULL
    );
    CREATE INDEX aliases_by_url ON aliases (url);
    CREATE TABLE pages (
        url          TEXT PRIMARY KEY,
        fetched_url  TEXT NOT NULL,
        content_type TEXT,
        compression  TEXT NOT NULL,
        size         BIGINT NOT NULL,
        body         BYTEA NOT NULL,
        stored_at    TIMESTAMPTZ NOT NULL
    );",
    // v2: what the server asked for (feed TTL), why the next poll is when it is, and the
    // selector a listing page was parsed with.
    "ALTER TABLE sources ADD COLUMN ttl_mins INTEGER;
    ALTER TABLE sources ADD COLUMN due_reason TEXT;
    ALTER TABLE sources ADD COLUMN selector TEXT;",
    // v3: per-host politeness for the fleet: the next allowed request start per host, and
    // robots.txt per host with its expiry and who is fetching it (crate::hosts).
    "CREATE TABLE host_slots (
        host    TEXT PRIMARY KEY,
        next_at TIMESTAMPTZ NOT NULL
    );
    CREATE TABLE robots (
        host        TEXT PRIMARY KEY,
        outcome     TEXT,
        body        BYTEA,
        detail      TEXT,
        fetched_at  TIMESTAMPTZ,
        expires_at  TIMESTAMPTZ,
        claimed_by  TEXT,
        claim_until TIMESTAMPTZ
    );",
    // v4: requests in flight per host for the fleet: one row per held slot of a host, a
    // lease with its holder and expiry (crate::hosts). Released slots are deleted, so the
    // table holds only what is in flight or was held by an ingester that died.
    "CREATE TABLE host_leases (
        host       TEXT NOT NULL,
        slot       INTEGER NOT NULL,
        owner      TEXT NOT NULL,
        held_by    TEXT NOT NULL,
        held_until TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (host, slot)
    );
    CREATE INDEX host_leases_by_owner ON host_leases (owner);",
];

/// The number of migrations this newsmon knows.
pub(crate) fn known() -> i64 {
    MIGRATIONS.len() as i64
}

/// The schema version of the database (0: empty).
pub(crate) async fn version(client: &impl GenericClient) -> Result<i64, Failure> {
    let exists: bool = client
        .query_one("SELECT to_regclass('newsmon_schema') IS NOT NULL", &[])
        .await?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client
        .query_one(
            "SELECT COALESCE(max(version), 0)::BIGINT FROM newsmon_schema",
            &[],
        )
        .await?
        .get(0))
}

/// What [`migrate`] found and did.
pub(crate) enum Migrated {
    /// From one version to another (equal when up to date).
    Done { before: i64, after: i64 },
    /// The database is newer than this newsmon.
    Newer(i64),
}

/// Applies the missing migrations in one transaction, under a lock, so that several
/// processes starting at once apply each exactly once.
pub(crate) async fn migrate(client: &mut tokio_postgres::Client) -> Result<Migrated, Failure> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS newsmon_schema (
            version    BIGINT PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )",
    )
    .await?;
    let before = version(&tx).await?;
    if before > known() {
        return Ok(Migrated::Newer(before));
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(before.max(0) as usize) {
        tx.batch_execute(migration).await?;
        tx.execute(
            "INSERT INTO newsmon_schema (version) VALUES ($1)",
            &[&(index as i64 + 1)],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Migrated::Done {
        before,
        after: known(),
    })
}
