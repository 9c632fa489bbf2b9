//! `newsmon db migrate | status`: the shared PostgreSQL database (issue 11).

use std::process::ExitCode;

use anyhow::{Result, bail};
use newsmon_store_pg::{Backend, PgStore};
use serde::Serialize;

use super::Format;
use crate::config::{self, Loaded};
use crate::output::{print, print_json};
use crate::paths::Paths;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Apply the schema migrations the database lacks (also done by every command that
    /// uses it).
    Migrate,
    /// Show the schema version, the article log and the source leases.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Serialize)]
struct StatusOut {
    #[serde(flatten)]
    status: newsmon_store_pg::Status,
    leases: Vec<newsmon_store_pg::Lease>,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let loaded = config::load_untagged(paths)?;
    let store = connect(&loaded, &paths.config_name())?;
    match cmd {
        Cmd::Migrate => {
            let migration = store.migrate()?;
            if migration.before == migration.after {
                print(&format!(
                    "{}: schema v{} is up to date",
                    store.url(),
                    migration.after
                ))?;
            } else {
                print(&format!(
                    "{}: schema migrated from v{} to v{}",
                    store.url(),
                    migration.before,
                    migration.after
                ))?;
            }
        }
        Cmd::Status { format } => {
            let status = store.status()?;
            let leases = if status.schema_version >= 1 {
                store.leases()?
            } else {
                Vec::new()
            };
            match format {
                Format::Json => print_json(&StatusOut { status, leases })?,
                Format::Table => {
                    let schema = if status.schema_version == status.known_version {
                        format!("v{} (up to date)", status.schema_version)
                    } else if status.schema_version < status.known_version {
                        format!(
                            "v{} (this newsmon migrates to v{}: run `newsmon db migrate`)",
                            status.schema_version, status.known_version
                        )
                    } else {
                        format!(
                            "v{} (newer than this newsmon, which knows up to v{})",
                            status.schema_version, status.known_version
                        )
                    };
                    let mut text = format!(
                        "database: {}\nschema: {schema}\narticles: {} (log at sequence {})\npages: {}\nsources: {} ({} leased)\nhost slots held: {}",
                        status.url,
                        status.articles,
                        status.last_seq,
                        status.pages,
                        status.sources,
                        status.leased,
                        status.host_slots
                    );
                    for lease in &leases {
                        text += &format!(
                            "\n  {} held by {} until {}",
                            lease.source,
                            lease.owner,
                            lease
                                .until
                                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        );
                    }
                    print(&text)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn connect(loaded: &Loaded, config_name: &str) -> Result<PgStore> {
    if loaded.config.state.backend != Backend::Postgres {
        bail!(
            "{config_name}: `newsmon db` works on a shared database; set [state] backend = \"postgres\""
        );
    }
    Ok(PgStore::connect(&loaded.config.state)?)
}
