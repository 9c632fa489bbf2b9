//! Writing to standard output: errors (a closed pipe among them) propagate to main.

use std::io::{IsTerminal, Write};

/// Writes `text` and a newline to standard output.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Pretty JSON for people at a terminal, one compact line for pipes.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let text = if std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    print(&text)?;
    Ok(())
}

/// A table sized to the terminal, or unbounded in a pipe.
pub fn table() -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    if !std::io::stdout().is_terminal() {
        table.set_width(160);
    }
    table
}
