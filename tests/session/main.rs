//! The session layer's tests, one binary: scenario export and import, share links, and the
//! lessons' goal checks.

#[path = "../support/mod.rs"]
mod support;

mod lessons;
mod scenario_roundtrip;
