//! tinfeed: Vietnamese news websites → clean, valid RSS 2.0 and Atom 1.0 feeds.
//!
//! One module per stage; data flows one way (see ARCHITECTURE.md):
//! `config::Source` → `fetch` → `FetchedPage` → `extract` → `RawItem` → `normalize` → `Item`
//! → `store` → `StoredItem` → `publish` → feed bytes. `pipeline` runs the stages; `daemon` runs them on schedules
//! while `server` serves the feeds.

pub mod config;
pub mod daemon;
pub mod extract;
pub mod fetch;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod publish;
pub mod server;
pub mod store;
