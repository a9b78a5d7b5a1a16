//! The text utilities people pipe the AWS CLI into (`jq`, `head`, `grep`, `wc`, `sort`, …): each
//! one reads its standard input and the session's files and writes standard output and error,
//! with bash's coreutils' output and exit statuses. The shell interpreter runs them as the
//! stages of pipelines and the targets of redirections; builtins that need the shell itself
//! (`read`, `test`, `xargs`, `exit`, …) live in the interpreter, not here.
//!
//! Their texts are those of GNU coreutils 9, GNU grep 3 and jq 1.6 in the `C.UTF-8` locale
//! (byte order for `sort`, `‘x’` quotes in messages), the versions a Debian 12 shell has.

mod awk;
mod date;
mod files;
mod grep;
mod jq;
mod lines;
mod opts;
mod pattern;
mod seq;
mod sort;
mod text;

use super::fs::{FsError, MemFs};

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

impl<'a> UtilIo<'a> {
    /// Input `stdin`, empty outputs.
    pub fn new(stdin: &'a str, fs: &'a mut MemFs, now_ms: u64) -> Self {
        Self { stdin, stdout: String::new(), stderr: String::new(), fs, now_ms }
    }

    /// An operand's text: `-` is standard input, anything else a session file.
    fn read(&self, operand: &str) -> Result<String, FsError> {
        if operand == "-" {
            Ok(self.stdin.to_string())
        } else {
            self.fs.read(operand).map(str::to_string)
        }
    }

    /// getopt's complaint and the `Try '... --help'` line; returns `status`.
    fn usage(&mut self, util: &str, message: &str, status: i32) -> i32 {
        self.stderr.push_str(&format!("{message}\nTry '{util} --help' for more information.\n"));
        status
    }
}

type Utility = fn(&[String], &mut UtilIo<'_>) -> i32;

/// Each name and what runs it.
const TABLE: &[(&str, Utility)] = &[
    ("awk", awk::awk),
    ("basename", files::basename),
    ("cat", files::cat),
    ("cut", text::cut),
    ("date", date::date),
    ("grep", grep::grep),
    ("head", lines::head),
    ("jq", jq::jq),
    ("seq", seq::seq),
    ("sort", sort::sort),
    ("tail", lines::tail),
    ("tee", files::tee),
    ("tr", text::tr),
    ("uniq", sort::uniq),
    ("wc", lines::wc),
];

/// Runs utility `name` with `args` (the words after the name); its exit status, or `None` when no
/// utility has that name.
pub fn run_utility(name: &str, args: &[String], io: &mut UtilIo<'_>) -> Option<i32> {
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, run)| run(args, io))
}

/// Whether `name` is a utility [`run_utility`] runs (the parser refuses unknown commands up front).
pub fn is_utility(name: &str) -> bool {
    UTILITIES.contains(&name)
}

/// The utilities' names.
pub const UTILITIES: &[&str] = &[
    "awk", "basename", "cat", "cut", "date", "grep", "head", "jq", "seq", "sort", "tail", "tee", "tr",
    "uniq", "wc",
];

/// The text's lines without their newlines; a last line without one still counts.
fn split_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.is_empty() || text.ends_with('\n') {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_utility_runs_and_no_other() {
        assert_eq!(UTILITIES.len(), TABLE.len());
        let mut fs = MemFs::new();
        for name in UTILITIES {
            let mut io = UtilIo::new("", &mut fs, 0);
            assert!(run_utility(name, &["--version-of-nothing".to_string()], &mut io).is_some(), "{name}");
        }
        let mut io = UtilIo::new("", &mut fs, 0);
        assert_eq!(run_utility("xargs", &[], &mut io), None);
        assert!(is_utility("jq") && !is_utility("bash"));
    }
}
