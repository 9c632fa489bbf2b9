//! HTML or plain text in, a clean [`Article`] and its tag [`Mention`]s out.
//!
//! Two stages, both pure CPU work with no I/O:
//!
//! - [`Extractor`] turns a fetched page (raw bytes, any charset) into an [`Article`]: the
//!   article's own text without navigation, ads or comments, plus its metadata (title,
//!   byline, dates, language, canonical URL). Plain-text input is recognised and kept as is.
//! - [`Tagger`], compiled once from a [`Taxonomy`] (the data in `config/taxonomy.toml`),
//!   finds every mention of the taxonomy's keys in a text and explains each with its
//!   evidence sentence.
//!
//! ```
//! use newsmon_extractor::{Extractor, Taxonomy};
//!
//! let taxonomy = Taxonomy::from_toml(
//!     r#"
//!     [tier.us-backstop]
//!     label = "U.S. backstop"
//!     phrases = ["Article 5-like guarantee"]
//!     "#,
//!     "taxonomy.toml",
//! )?;
//! let tagger = taxonomy.build()?;
//! let article = Extractor::new().extract(b"Kyiv wants an Article 5-like guarantee.", None, None)?;
//! let mentions = tagger.tag(&article.text);
//! assert_eq!(mentions[0].tag, "tier/us-backstop");
//! # Ok::<(), newsmon_extractor::Error>(())
//! ```
//!
//! The crate knows nothing of HTTP, feeds or the index.
#![deny(missing_docs)]

mod article;
mod boilerplate;
mod charset;
mod content;
mod dates;
mod error;
mod fingerprint;
mod fold;
mod frames;
mod language;
mod lazy;
mod lexicon;
mod markup;
mod model;
mod money;
mod pattern_cache;
mod sentence;
mod tagger;
mod taxonomy;
mod train;

pub use article::{Article, Mention};
pub use boilerplate::{Dropped, Reason};
pub use charset::decode;
pub use content::{Explained, Extractor, parse_date};
pub use dates::{DateMention, find_dates, find_dates_in};
pub use error::{Error, Result};
pub use fingerprint::{NEAR_DUPLICATE_BITS, distance, fingerprint};
pub use frames::{FrameConfig, FrameDecision, FramesConfig, GateConfig};
pub use lexicon::LexiconConfig;
pub use model::{KeyWeights, ModelDecision, ModelFile};
pub use money::{Amount, AmountKind, Bound, MoneyConfig, find_amounts};
pub use tagger::{Tagger, Tagging};
pub use taxonomy::{KeyConfig, Scope, Taxonomy};
pub use train::{TrainingExample, TrainingOptions, TrainingReport, train_model, train_model_over};
