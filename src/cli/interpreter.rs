//! Runs a parsed script against a [`Backend`]: the shell's control flow as a stack of frames
//! that can stop after any command (so the playground can redraw, or play a `sleep` out, between
//! commands), expansions, redirections into the session's [`MemFs`], pipelines, the builtins,
//! and `aws` commands as AWS CLI v2 parses and prints them.
//!
//! Statuses are bash's: each command's exit code is `$?` (the AWS CLI's 252 usage, 254 service
//! error, 255 waiter or other failure; 127 for an unknown command), and a script's status is its
//! last command's, or `exit N`'s; 2 when the script did not parse (then nothing ran).
//! One [`CommandRecord`] is produced per pipeline run at the top level (a loop's body gives one
//! per iteration); commands inside `$(…)`, pipelines and redirected compounds run within the
//! record of the pipeline that holds them, and their `sleep` moves the clock at once.

use super::arith;
use super::backend::Backend;
use super::fs::MemFs;
use super::script::{parse_script_with, Compound, Position, Script, ScriptError};
use std::collections::BTreeMap;
use std::rc::Rc;

mod aws;
mod dispatch;
mod expand;
mod frames;
mod pipeline;

use frames::{Frame, Machine};

/// Script status when the last command succeeded.
pub const EXIT_SUCCESS: i32 = 0;
/// Script status when the script did not parse.
pub const EXIT_SYNTAX_ERROR: i32 = 2;
/// The AWS CLI's status for a service error (a script ending with a failed `aws` command).
pub const EXIT_COMMAND_FAILED: i32 = 254;

/// What `aws --version` prints: the CLI version the tutorial requires, and who answers.
pub const CLI_VERSION: &str =
    concat!("aws-cli/2.34.22 (simulated by ecs-daemon-sim ", env!("CARGO_PKG_VERSION"), ")");

/// AWS CLI exit codes of one command.
const CLI_USAGE_ERROR: i32 = 252;
const CLI_SERVICE_ERROR: i32 = 254;
const CLI_OTHER_ERROR: i32 = 255;

/// What one top-level pipeline printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    pub line: usize,
    pub column: usize,
    /// The pipeline as written in the script.
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub success: bool,
}

/// The result of running a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptReport {
    pub records: Vec<CommandRecord>,
    /// Set when the script did not parse; then `records` is empty.
    pub syntax_error: Option<ScriptError>,
    /// The last command's status (or `exit N`'s), 2 for a syntax error.
    pub exit_status: i32,
}

impl ScriptReport {
    /// Everything the script printed on stdout, in order.
    pub fn stdout(&self) -> String {
        self.records.iter().map(|r| r.stdout.as_str()).collect()
    }

    /// Everything the script printed on stderr, in order (the syntax error included).
    pub fn stderr(&self) -> String {
        match &self.syntax_error {
            Some(error) => format!("{error}\n"),
            None => self.records.iter().map(|r| r.stderr.as_str()).collect(),
        }
    }
}

/// Output of one command (or of the commands of a `$(...)`).
#[derive(Debug, Default, Clone)]
struct Outcome {
    stdout: String,
    stderr: String,
    exit_code: i32,
}

fn failure(stderr: String, exit_code: i32) -> Outcome {
    Outcome { stdout: String::new(), stderr, exit_code }
}

fn success(stdout: String) -> Outcome {
    Outcome { stdout, ..Outcome::default() }
}

/// What a builtin asks of the frames around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Exit(i32),
    Return(i32),
    Break(usize),
    Continue(usize),
}

/// The `set` options CI scripts use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ShellOptions {
    /// `set -e`: stop at the first failed command outside a condition.
    errexit: bool,
    /// `set -u`: an unset variable is an error that stops the script.
    nounset: bool,
    /// `set -x`: print each command (`+ aws ...`) on stderr before running it.
    xtrace: bool,
    /// `set -o pipefail`: a pipeline fails when any of its commands does.
    pipefail: bool,
}

/// The shell session between scripts: variables, functions, options, files. A console keeps one
/// interpreter so that `REGION=...` typed earlier still holds.
#[derive(Debug, Clone, Default)]
pub struct Interpreter {
    variables: BTreeMap<String, String>,
    functions: BTreeMap<String, Rc<Compound>>,
    positional: Vec<String>,
    /// `$?`.
    last_status: i32,
    options: ShellOptions,
    fs: MemFs,
    control: Option<Control>,
    /// Saved values of `local` variables, one level per running function.
    locals: Vec<Vec<(String, Option<String>)>>,
    /// Set while a top-level `sleep` may be played out by the caller instead of at once.
    defer_sleep: bool,
    deferred_sleep_ms: Option<u64>,
    /// `$(…)` nesting, for `set -x`'s `++`.
    trace_depth: usize,
    /// Trace and error text of the frames (`for`, `case`) for the next record.
    pending_stderr: String,
    /// Pipelines and calls run since the budget was last reset, and `$(…)`/subshell nesting:
    /// a loop that never ends inside one command, or endless recursion, stops with an error
    /// instead of hanging the page or overflowing the stack.
    steps: u64,
    nesting: usize,
}

/// Pipelines one top-level command (or a whole non-stepped run) may run: far more than a polling
/// loop needs (20,000 pipelines at 30 s apart is a week of simulated time), few enough that a loop
/// that never ends stops within a fraction of a second instead of freezing the page for seconds.
const STEP_BUDGET: u64 = 20_000;
/// Nesting of `$(…)`, subshells and function calls run whole.
const MAX_NESTING: usize = 48;

/// Text and status gathered while expanding one command's words.
#[derive(Debug, Default)]
struct Acc {
    stderr: String,
    status: i32,
}

/// A piece of an expanded word.
#[derive(Debug)]
struct Piece {
    text: String,
    quoted: bool,
    /// The result of an expansion (split on IFS when unquoted), not literal text.
    expanded: bool,
    /// Starts a new field (`"$@"`'s second and later parameters).
    field_break: bool,
}

impl Piece {
    fn new(text: String, quoted: bool) -> Self {
        Piece { text, quoted, expanded: true, field_break: false }
    }
}

/// Where a command's stdout or stderr goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Stdout,
    Stderr,
    File(String),
}

/// A command's redirections, resolved.
#[derive(Debug)]
struct Redir {
    input: Option<String>,
    out: Target,
    err: Target,
}

impl Default for Redir {
    fn default() -> Self {
        Redir { input: None, out: Target::Stdout, err: Target::Stderr }
    }
}

/// A command's standard input: text and how much of it was read.
#[derive(Debug, Clone, Default)]
struct Input {
    text: String,
    pos: usize,
}

impl Input {
    fn new(text: String) -> Self {
        Input { text, pos: 0 }
    }

    /// The input a command reads: `text` when it has its own (a `<` file, a here-document, the
    /// previous stage of a pipe, kept in `own`), else the input it was given.
    fn own_or<'a>(text: Option<String>, given: &'a mut Input, own: &'a mut Option<Input>) -> &'a mut Input {
        match text {
            Some(text) => own.insert(Input::new(text)),
            None => given,
        }
    }

    fn take_rest(&mut self) -> String {
        let rest = self.text[self.pos..].to_string();
        self.pos = self.text.len();
        rest
    }

    /// The next line without its newline and whether it ended with one; `None` at the end.
    fn read_line(&mut self) -> Option<(String, bool)> {
        let rest = &self.text[self.pos..];
        if rest.is_empty() {
            return None;
        }
        match rest.find('\n') {
            Some(at) => {
                let line = rest[..at].to_string();
                self.pos += at + 1;
                Some((line, true))
            }
            None => {
                let line = rest.to_string();
                self.pos = self.text.len();
                Some((line, false))
            }
        }
    }
}

/// Parses and runs a script with a fresh interpreter.
pub fn run_script(backend: &mut dyn Backend, text: &str) -> ScriptReport {
    Interpreter::new().run(backend, text)
}

impl arith::Variables for Interpreter {
    fn get(&self, name: &str) -> Option<String> {
        self.param_value(name)
    }

    fn set(&mut self, name: &str, value: String) {
        self.variables.insert(name.to_string(), value);
    }
}

impl Interpreter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A shell variable's value.
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    /// Sets a shell variable, as `NAME=value` would.
    pub fn set_variable(&mut self, name: &str, value: &str) {
        self.variables.insert(name.to_string(), value.to_string());
    }

    /// The session's files.
    pub fn fs(&self) -> &MemFs {
        &self.fs
    }

    /// The session's files, mutably.
    pub fn fs_mut(&mut self) -> &mut MemFs {
        &mut self.fs
    }

    /// `$?`: the status of the last command run.
    pub fn last_status(&self) -> i32 {
        self.last_status
    }

    /// Parses a script; command names may also be the session's functions.
    pub fn parse(&self, text: &str) -> Result<Script, ScriptError> {
        parse_script_with(text, &|name| self.functions.contains_key(name))
    }

    /// Parses the whole script, then runs it; a syntax error runs nothing.
    pub fn run(&mut self, backend: &mut dyn Backend, text: &str) -> ScriptReport {
        match self.parse(text) {
            Ok(script) => self.run_parsed(backend, &script),
            Err(error) => error.into(),
        }
    }

    /// Runs an already parsed script to its end.
    pub fn run_parsed(&mut self, backend: &mut dyn Backend, script: &Script) -> ScriptReport {
        let mut run = ScriptRun::from_script(script);
        run.whole = true;
        self.steps = 0;
        while run.step(self, backend).is_some() {}
        run.report()
    }

    fn param_value(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.last_status.to_string()),
            "#" => Some(self.positional.len().to_string()),
            "@" | "*" => Some(self.positional.join(" ")),
            "$" => Some("1".into()),
            "!" => None,
            "0" => Some("bash".into()),
            "-" => {
                let o = self.options;
                let flags = [(o.errexit, 'e'), (o.nounset, 'u'), (o.xtrace, 'x')];
                Some(flags.iter().filter(|(on, _)| *on).map(|(_, c)| *c).collect::<String>() + "hB")
            }
            _ if name.starts_with(|c: char| c.is_ascii_digit()) => {
                let index: usize = name.parse().ok()?;
                self.positional.get(index.checked_sub(1)?).cloned()
            }
            _ => self.variables.get(name).cloned(),
        }
    }

    fn ifs(&self) -> String {
        self.variables.get("IFS").cloned().unwrap_or_else(|| " \t\n".into())
    }

    fn trace(&self, fields: &[String], stderr: &mut String) {
        if self.options.xtrace && !fields.is_empty() {
            let words: Vec<String> = fields.iter().map(|f| shell_quote(f)).collect();
            stderr.push_str(&format!("{} {}\n", "+".repeat(self.trace_depth + 1), words.join(" ")));
        }
    }

    /// Sets `$1…` for a function call; returns the caller's to restore.
    fn enter_function(&mut self, args: Vec<String>) -> Vec<String> {
        self.locals.push(Vec::new());
        std::mem::replace(&mut self.positional, args)
    }

    fn leave_function(&mut self, saved: Vec<String>) {
        self.positional = saved;
        for (name, value) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            match value {
                Some(value) => self.variables.insert(name, value),
                None => self.variables.remove(&name),
            };
        }
    }
}

/// A word as `set -x` and `printf %q` show it: quoted when the shell would need quotes to read it back.
pub fn shell_quote(field: &str) -> String {
    let plain =
        !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if plain {
        field.to_string()
    } else {
        format!("'{}'", field.replace('\'', "'\\''"))
    }
}

impl From<ScriptError> for ScriptReport {
    fn from(error: ScriptError) -> Self {
        ScriptReport { records: Vec::new(), syntax_error: Some(error), exit_status: EXIT_SYNTAX_ERROR }
    }
}

impl ScriptReport {
    /// The report as JSON (`records`, `syntax_error`, `exit_status`; members named as the fields),
    /// for the browser console. Written out rather than derived to keep serde's derive code out of
    /// the wasm bundle (release wasm size).
    pub fn to_json(&self) -> serde_json::Value {
        let records: Vec<serde_json::Value> = self
            .records
            .iter()
            .map(|r| {
                crate::support::json::json!({
                    "line": r.line, "column": r.column, "command": r.command, "stdout": r.stdout,
                    "stderr": r.stderr, "exit_code": r.exit_code, "success": r.success,
                })
            })
            .collect();
        let syntax_error = self.syntax_error.as_ref().map(|error| {
            crate::support::json::json!({
                "position": { "line": error.position.line, "column": error.position.column },
                "message": error.message,
            })
        });
        crate::support::json::json!({ "records": records, "syntax_error": syntax_error, "exit_status": self.exit_status })
    }
}

/// A parsed script run one top-level pipeline at a time, so that a console can let the
/// simulation (and its rendering) move between commands, and play a `sleep` out: a top-level
/// `sleep` does not move the clock itself; the next step (or the caller, watching
/// [`ScriptRun::sleeping_until`]) does. The whole script is parsed before the first step.
#[derive(Debug, Clone)]
pub struct ScriptRun {
    machine: Machine,
    items: usize,
    records: Vec<CommandRecord>,
    sleep_until: Option<u64>,
    finished: Option<i32>,
    /// Run to the end in one go: the step budget covers the whole script.
    whole: bool,
}

impl ScriptRun {
    /// Parses the script; a syntax error means nothing will run.
    pub fn new(text: &str) -> Result<Self, ScriptError> {
        Ok(Self::from_script(&super::script::parse_script(text)?))
    }

    /// Parses the script with the session's functions known.
    pub fn parse(interpreter: &Interpreter, text: &str) -> Result<Self, ScriptError> {
        Ok(Self::from_script(&interpreter.parse(text)?))
    }

    /// A run of an already parsed script.
    pub fn from_script(script: &Script) -> Self {
        ScriptRun {
            machine: Machine::top(script.items.clone()),
            items: script.len(),
            records: Vec::new(),
            sleep_until: None,
            finished: None,
            whole: false,
        }
    }

    /// Runs the next top-level pipeline (after finishing a `sleep` still playing); `None` when
    /// the script is done.
    pub fn step(
        &mut self,
        interpreter: &mut Interpreter,
        backend: &mut dyn Backend,
    ) -> Option<&CommandRecord> {
        self.finish_sleep(backend);
        if self.finished.is_some() {
            return None;
        }
        if !self.whole {
            interpreter.steps = 0;
        }
        match self.machine.step(interpreter, backend) {
            Some(ran) => {
                if let Some(ms) = interpreter.deferred_sleep_ms.take() {
                    self.sleep_until = Some(backend.now_ms().saturating_add(ms));
                }
                let Position { line, column } = ran.position;
                self.records.push(CommandRecord {
                    line,
                    column,
                    command: ran.source,
                    stdout: ran.outcome.stdout,
                    success: ran.outcome.exit_code == 0,
                    stderr: ran.outcome.stderr,
                    exit_code: ran.outcome.exit_code,
                });
                self.records.last()
            }
            None => {
                interpreter.control = None;
                interpreter.pending_stderr.clear();
                self.finished = Some(interpreter.last_status);
                None
            }
        }
    }

    /// Moves the clock to the end of a `sleep` being played out.
    pub fn finish_sleep(&mut self, backend: &mut dyn Backend) {
        if let Some(until) = self.sleep_until.take() {
            let now = backend.now_ms();
            if until > now {
                backend.sleep_ms(until - now);
            }
        }
    }

    /// When the `sleep` the script is in ends (simulated epoch ms), if it is in one.
    pub fn sleeping_until(&self) -> Option<u64> {
        self.sleep_until
    }

    /// Where the next command is (the running line): the pipeline about to run, if known.
    pub fn position(&self) -> Option<Position> {
        self.records.last().map(|r| Position { line: r.line, column: r.column })
    }

    /// Top-level commands not yet finished (0 once the script is done).
    pub fn remaining(&self) -> usize {
        if self.finished.is_some() {
            return 0;
        }
        let done = match self.machine.frames.first() {
            Some(Frame::List { item, .. }) => *item,
            _ => self.items,
        };
        self.items.saturating_sub(done).max(1)
    }

    /// The report so far (the final one once the script is done).
    pub fn report(&self) -> ScriptReport {
        let exit_status = self.finished.unwrap_or(self.records.last().map_or(0, |r| r.exit_code));
        ScriptReport { records: self.records.clone(), syntax_error: None, exit_status }
    }
}
