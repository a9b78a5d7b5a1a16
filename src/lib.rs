//! ecs-daemon-sim: a deterministic simulator of Amazon ECS Managed Daemons.
//!
//! - [`engine`]: the pure discrete-event simulation (no browser, no wall clock, one seeded RNG).
//! - [`api`]: AWS-shaped actions over the engine (validation, ARNs, AWS error types).
//! - [`cli`]: the AWS-CLI script interpreter used by the console and the native program.
//! - `ui`: the Yew playground (wasm32 only).

pub mod api;
pub mod cli;
pub mod engine;
pub mod pattern;
pub mod session;
pub mod support;

#[cfg(target_arch = "wasm32")]
pub mod ui;
