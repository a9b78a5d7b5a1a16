//! The console layer's tests, one binary: `aws` argument parsing, output formats, pagination,
//! waiters, the shell and its utilities against the real ones, seed 002's tutorial, and the native
//! program end to end.

#[path = "../support/mod.rs"]
mod support;

mod args;
mod native_program;
mod output;
mod paginate;
mod program;
mod script;
mod seed002;
mod serve;
mod shell;
mod tutorial;
mod utils;
mod waiters;
