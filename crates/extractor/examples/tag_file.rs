//! What `newsmon tag FILE` does inside the library, as a process of its own: load the
//! default taxonomy, build the tagger, extract the file's article and tag it. Its start-up
//! time is the library's share of `newsmon tag`'s (bench/startup, issue 12), measurable
//! without building the whole CLI:
//!
//! ```sh
//! cargo build --release -p newsmon-extractor --example tag_file
//! echo "Leaders of the coalition of the willing meet in Paris on Tuesday." > /tmp/line.txt
//! hyperfine -N "target/release/examples/tag_file /tmp/line.txt"
//! ```

use std::path::Path;

use newsmon_extractor::{Extractor, Taxonomy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = std::env::args().nth(1).ok_or("usage: tag_file FILE")?;
    let taxonomy = Taxonomy::load(&root.join("../../config/taxonomy.toml"))?;
    let tagger = taxonomy.build()?;
    let bytes = std::fs::read(&input)?;
    let article = Extractor::new().extract(&bytes, Some(input.as_str()), None)?;
    let tagging = tagger.tag_article(&article);
    for mention in &tagging.mentions {
        println!("{}\t{}", mention.tag, mention.matched);
    }
    println!(
        "{} amounts, {} dates",
        tagging.amounts.len(),
        tagging.dates.len()
    );
    Ok(())
}
