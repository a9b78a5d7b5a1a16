//! The AWS-CLI script interpreter: the shell subset of the tutorial, `aws` commands as AWS CLI v2
//! parses and prints them, waiters over simulated time, and `sim` commands.
//!
//! Entry point: [`Interpreter::run`] (or [`run_script`]) takes script text and a [`Backend`]
//! and returns one [`CommandRecord`] per command plus the script's exit status. It is pure Rust
//! with no I/O, so the native program and the wasm console call the same code.
//!
//! - [`script`]: the shell grammar (lists, pipelines, compounds, functions, redirections,
//!   here-documents, expansions), line:column errors; [`arith`]: `$((…))`; [`glob`]: patterns;
//!   [`builtins`]: `echo`, `printf`, `test`, `read`'s splitting;
//! - [`args`]: `aws <service> <operation>` and its flags → action name and request JSON;
//! - [`shorthand`]: the CLI shorthand syntax; [`shapes`]: the member types per action;
//! - [`names`]: model names ↔ CLI names; [`query`]: timestamps and `--query`;
//! - [`output`]: `--output json|text|table`; [`waiter`]: `aws ecs wait`; [`paginate`]: merged pages,
//!   `--max-items` and `--starting-token`; [`skeleton`]: `--generate-cli-skeleton`;
//! - [`interpreter`]: running commands (all at once, or step by step with [`ScriptRun`]);
//!   [`backend`]: what they run against (implemented for [`crate::api::Api`], the simulated
//!   account); [`program`]: the native program's command line;
//! - [`fs`]: the session's in-memory files; [`utils`]: the text utilities scripts pipe into.
//!
//! The CLI reaches the account only through [`Backend`]; what pairs an account with an interpreter
//! (the playground's console, scenarios, the JS API) is the layer above, `session`.

pub mod args;
pub mod arith;
pub mod backend;
pub mod builtins;
pub mod fs;
pub mod glob;
pub mod interpreter;
pub mod names;
pub mod output;
pub mod paginate;
pub mod program;
pub mod query;
pub mod recording;
pub mod script;
pub mod shapes;
pub mod shorthand;
mod simulator;
pub mod skeleton;
pub mod tutorial;
pub mod utils;
pub mod waiter;

pub use backend::Backend;
pub use interpreter::{
    run_script, CommandRecord, Interpreter, ScriptReport, ScriptRun, EXIT_COMMAND_FAILED, EXIT_SUCCESS,
    EXIT_SYNTAX_ERROR,
};
pub use recording::{dry_run, RecordedCall, RecordingBackend};
pub use script::{parse_script, parse_script_with, Position, Script, ScriptError};
pub use tutorial::TUTORIAL_SCRIPT;
