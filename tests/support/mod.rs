//! The helpers every native test binary shares (each of `tests/{engine,api,cli,session}/main.rs`
//! declares `#[path = "../support/mod.rs"] mod support;`): seed 002's setup as engine commands and
//! as API calls, the golden-file rules and the AWS CLI timestamp parser, and seed 004's patterns
//! with their oracle. The browser suites reach `dom.rs`, `engine.rs` and `golden.rs` by `#[path]`.
//! A binary uses only part of this, hence the `dead_code` allowance in each file.

pub mod api;
pub mod engine;
pub mod golden;
pub mod pattern;
