//! The helpers every test binary shares (each of `tests/{engine,api,cli,session,browser}/main.rs`
//! declares `#[path = "../support/mod.rs"] mod support;`): seed 002's setup as engine commands and
//! as API calls, the golden-file rules and the AWS CLI timestamp parser, seed 004's patterns with
//! their oracle, and (in wasm32 only) the browser suites' DOM helpers.
//! A binary uses only part of this, hence the `dead_code` allowance in each file.

pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod dom;
pub mod engine;
pub mod golden;
pub mod pattern;
