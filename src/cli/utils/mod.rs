//! The text utilities people pipe the AWS CLI into (`jq`, `head`, `grep`, `wc`, `sort`, …): each
//! one reads its standard input and the session's files and writes standard output and error,
//! with bash's coreutils' output and exit statuses. The shell interpreter runs them as the
//! stages of pipelines and the targets of redirections; builtins that need the shell itself
//! (`read`, `test`, `xargs`, `exit`, …) live in the interpreter, not here.

use super::fs::MemFs;

/// What a utility works with: its input, its outputs, and the session's state it may touch.
#[derive(Debug)]
pub struct UtilIo<'a> {
    /// Standard input (empty when nothing is piped or redirected in).
    pub stdin: &'a str,
    /// Standard output, appended to.
    pub stdout: String,
    /// Standard error, appended to.
    pub stderr: String,
    /// The session's files (`cat f`, `tee f`, `jq . f`).
    pub fs: &'a mut MemFs,
    /// The simulated clock in epoch milliseconds (`date`).
    pub now_ms: u64,
}

/// Runs utility `name` with `args` (the words after the name); its exit status, or `None` when no
/// utility has that name.
pub fn run_utility(name: &str, args: &[String], io: &mut UtilIo<'_>) -> Option<i32> {
    let _ = (name, args, io);
    None
}

/// Whether `name` is a utility [`run_utility`] runs (the parser refuses unknown commands up front).
pub fn is_utility(name: &str) -> bool {
    UTILITIES.contains(&name)
}

/// The utilities' names.
pub const UTILITIES: &[&str] = &[];
