//! ecs-daemon-sim: a deterministic simulator of Amazon ECS Managed Daemons.
//!
//! The modules are layers, lowest first; each imports only its own layer or those below
//! (`tests/architecture.rs` checks it):
//!
//! - [`support`]: small shared helpers (a stable sort, decimal parsing, `json!`, FNV-1a hashing);
//! - [`pattern`]: EventBridge event patterns, used by every layer above;
//! - [`engine`]: the pure discrete-event simulation (no browser, no wall clock, one seeded RNG);
//! - [`api`]: AWS JSON actions over the engine (validation, ARNs, AWS error types);
//! - [`cli`]: the AWS-CLI script interpreter, reaching an account through its `Backend` trait;
//! - [`session`]: an account with a shell on it and the record of every input: scenarios
//!   (export, import, replay), lessons and, on wasm32, the JavaScript API;
//! - [`endpoint`]: the account behind HTTP for real AWS clients (protocols, the `/_sim/` control
//!   surface), without sockets: the native program's `serve` owns those;
//! - [`testkit`]: what the tests, the seed sweep and the engine benchmark share: the random worlds
//!   of simulation testing, their checked runner and trace, and builders of engine commands (no
//!   layer below it and not the playground may import it);
//! - `ui`: the Yew playground (wasm32 only), and the programs in `src/bin`.

//! # Using it in your tests
//!
//! The surface meant for you is [`Session`] (also at the crate root): a simulated account from a
//! seed; AWS actions ([`Session::call`]), AWS-CLI scripts ([`Session::script`]), simulated time
//! ([`Session::advance_by`]), the fleet ([`Session::snapshot`]), EventBridge events filtered by a
//! pattern ([`Session::events`]), the event-log hash ([`Session::event_log_hash`]) and the run as a
//! scenario file ([`Session::export`], [`session::import`]). In JavaScript the same surface is the
//! `Simulator` class of the web bundle. The layers below are public because this repository's own
//! programs and tests build on them; they follow the code, not a stability promise.
//!
//! ```
//! use ecs_daemon_sim::Session;
//! let mut session = Session::with_seed(7);
//! let report = session.script("aws ecs create-cluster --cluster-name demo");
//! assert!(report.records.iter().all(|r| r.success));
//! session.advance_by(60_000);
//! assert_eq!(session.snapshot().instances.len(), 0);
//! ```

pub mod api;
pub mod cli;
pub mod endpoint;
pub mod engine;
pub mod pattern;
pub mod session;
pub mod support;
pub mod testkit;

pub use session::Session;

#[cfg(target_arch = "wasm32")]
pub mod ui;
