//! The API layer's tests, one binary: the AWS-shaped actions through `Api::call`, their
//! validation and robustness, and the EventBridge pattern matcher every layer uses.

#[path = "../support/mod.rs"]
mod support;

mod actions;
mod auto_repair;
mod daemons;
mod pattern_engine_stream;
mod pattern_errors;
mod pattern_operators;
mod pattern_seed004;
mod robustness;
mod validation;
