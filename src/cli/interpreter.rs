//! Runs a parsed script against a [`Backend`], one record per top-level command.
//!
//! Like a shell script without `set -e`, a failed command is reported and the script goes on.
//! Exit codes per command are the AWS CLI's (252 usage, 254 service error, 255 waiter or other
//! failure); the script's status is 0 when every command succeeded, 254 when any failed and 2
//! when the script did not parse (then nothing ran).

use super::args::{help_text, parse_aws_with_files, OutputFormat};
use super::backend::Backend;
use super::fs::MemFs;
use super::output::format_output;
use super::paginate::{find_paginator, paginate, PAGINATION_ERROR};
use super::query::{apply_query, iso8601_ms, present_timestamps};
use super::script::{parse_script, Command, Position, Script, ScriptError, Word, WordPart};
use super::skeleton::{input_skeleton, SkeletonKind};
use super::waiter::{find_waiter, wait};
use crate::api::decimal::parse_f64;
use std::collections::BTreeMap;

/// Script status when every command succeeded.
pub const EXIT_SUCCESS: i32 = 0;
/// Script status when the script did not parse.
pub const EXIT_SYNTAX_ERROR: i32 = 2;
/// Script status when any command failed (as the AWS CLI exits on a service error).
pub const EXIT_COMMAND_FAILED: i32 = 254;

/// What `aws --version` prints: the CLI version the tutorial requires, and who answers.
pub const CLI_VERSION: &str =
    concat!("aws-cli/2.34.22 (simulated by ecs-daemon-sim ", env!("CARGO_PKG_VERSION"), ")");

/// AWS CLI exit codes of one command.
const CLI_USAGE_ERROR: i32 = 252;
const CLI_SERVICE_ERROR: i32 = 254;
const CLI_OTHER_ERROR: i32 = 255;

/// What one top-level command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    pub line: usize,
    pub column: usize,
    /// The command as written in the script.
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
    /// 0, 254 or 2 (see the module documentation).
    pub exit_status: i32,
}

impl ScriptReport {
    /// The report of a script that parsed and ran these commands.
    pub fn from_records(records: Vec<CommandRecord>) -> Self {
        let failed = records.iter().any(|r| !r.success);
        ScriptReport {
            records,
            syntax_error: None,
            exit_status: if failed { EXIT_COMMAND_FAILED } else { EXIT_SUCCESS },
        }
    }

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
#[derive(Debug, Default)]
struct Outcome {
    stdout: String,
    stderr: String,
    exit_code: i32,
}

/// The interpreter's state between scripts: shell variables. A console keeps one interpreter so
/// that `REGION=...` typed earlier still holds.
#[derive(Debug, Clone, Default)]
pub struct Interpreter {
    variables: BTreeMap<String, String>,
    /// `$?`: the exit code of the last top-level command.
    last_status: i32,
    options: ShellOptions,
    /// Set when `set -u` met an unset variable: the shell exits, so the script stops.
    unbound: bool,
    /// The session's files (`file://` arguments).
    pub fs: MemFs,
}

/// The `set` options CI scripts use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ShellOptions {
    /// `set -e`: stop at the first failed command.
    errexit: bool,
    /// `set -u`: an unset variable is an error that stops the script.
    nounset: bool,
    /// `set -x`: print each command (`+ aws ...`) on stderr before running it.
    xtrace: bool,
}

/// Parses and runs a script with a fresh interpreter.
pub fn run_script(backend: &mut dyn Backend, text: &str) -> ScriptReport {
    Interpreter::new().run(backend, text)
}

impl Interpreter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A shell variable's value.
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    /// A variable's value as `$NAME` expands it: `$?` is the last exit code, unset is empty.
    fn lookup(&mut self, name: &str, stderr: &mut String) -> String {
        if name == "?" {
            return self.last_status.to_string();
        }
        match self.variables.get(name) {
            Some(value) => value.clone(),
            None => {
                if self.options.nounset && !self.unbound {
                    self.unbound = true;
                    stderr.push_str(&format!("{name}: unbound variable\n"));
                }
                String::new()
            }
        }
    }

    /// Whether the script stops after this record: `set -e` and a failure, or `set -u` and an
    /// unset variable (a non-interactive shell exits on both).
    pub fn halts_after(&self, record: &CommandRecord) -> bool {
        self.unbound || (self.options.errexit && !record.success)
    }

    /// Sets a shell variable, as `NAME=value` would.
    pub fn set_variable(&mut self, name: &str, value: &str) {
        self.variables.insert(name.to_string(), value.to_string());
    }

    /// Parses the whole script, then runs it; a syntax error runs nothing.
    pub fn run(&mut self, backend: &mut dyn Backend, text: &str) -> ScriptReport {
        match parse_script(text) {
            Ok(script) => self.run_parsed(backend, &script),
            Err(error) => error.into(),
        }
    }

    /// Runs an already parsed script.
    pub fn run_parsed(&mut self, backend: &mut dyn Backend, script: &Script) -> ScriptReport {
        let mut records = Vec::new();
        for command in &script.commands {
            let record = self.run_command(backend, command);
            let halt = self.halts_after(&record);
            records.push(record);
            if halt {
                break;
            }
        }
        self.unbound = false;
        ScriptReport::from_records(records)
    }

    /// Runs one top-level command of a parsed script. A console that wants the simulation to
    /// move between commands (or to show output as it comes) calls this once per command.
    pub fn run_command(&mut self, backend: &mut dyn Backend, command: &Command) -> CommandRecord {
        let outcome = self.execute(backend, command);
        self.last_status = outcome.exit_code;
        let Position { line, column } = command.position;
        CommandRecord {
            line,
            column,
            command: command.source.clone(),
            stdout: outcome.stdout,
            stderr: outcome.stderr,
            exit_code: outcome.exit_code,
            success: outcome.exit_code == 0,
        }
    }

    fn execute(&mut self, backend: &mut dyn Backend, command: &Command) -> Outcome {
        let mut outcome = Outcome::default();
        let mut substitution_status = 0;
        let mut assigned = Vec::new();
        for (name, word) in &command.assignments {
            let (value, status) = self.expand_joined(backend, word, &mut outcome.stderr);
            if status != 0 {
                substitution_status = status;
            }
            assigned.push((name.clone(), value));
        }
        // Assignments before a command apply to the rest of the script too: the tutorial never
        // uses `NAME=value command`, and a shell-accurate scope would surprise no one here.
        for (name, value) in assigned {
            self.variables.insert(name, value);
        }
        if command.words.first().and_then(|w| w.as_literal()).as_deref() == Some("export") {
            return self.export(backend, &command.words[1..], outcome);
        }
        let mut fields = Vec::new();
        for word in &command.words {
            let (mut expanded, status) = self.expand(backend, word, &mut outcome.stderr);
            if status != 0 {
                substitution_status = status;
            }
            fields.append(&mut expanded);
        }
        if self.unbound {
            outcome.exit_code = 1;
            return outcome;
        }
        let Some((name, args)) = fields.split_first() else {
            // A bare assignment: its status is that of its last command substitution, as in bash.
            outcome.exit_code = substitution_status;
            return outcome;
        };
        if self.options.xtrace {
            let traced: Vec<String> = fields.iter().map(|f| shell_quote(f)).collect();
            outcome.stderr.push_str(&format!("+ {}\n", traced.join(" ")));
        }
        let result = match name.as_str() {
            "set" => self.set(args),
            "aws" => self.aws(backend, args),
            "echo" => echo(args),
            "sleep" => sleep(backend, args),
            "sim" => sim(backend, args),
            other => Outcome {
                stderr: format!("{other}: command not found (this console runs aws, echo, sleep and sim)\n"),
                exit_code: 127,
                ..Outcome::default()
            },
        };
        outcome.stdout.push_str(&result.stdout);
        outcome.stderr.push_str(&result.stderr);
        outcome.exit_code = result.exit_code;
        outcome
    }

    /// `export NAME=value ...`: an assignment (values are not split, as for `NAME=value`).
    fn export(&mut self, backend: &mut dyn Backend, words: &[Word], mut outcome: Outcome) -> Outcome {
        for word in words {
            let (text, status) = self.expand_joined(backend, word, &mut outcome.stderr);
            outcome.exit_code = status;
            let (name, value) = match text.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (text.clone(), None),
            };
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                outcome.stderr.push_str(&format!("export: `{text}': not a valid identifier\n"));
                outcome.exit_code = 1;
                continue;
            }
            if let Some(value) = value {
                self.variables.insert(name, value);
            }
        }
        if self.unbound {
            outcome.exit_code = 1;
        }
        outcome
    }

    /// `set -e`, `set -u`, `set -x`, `set -o pipefail` (no pipes here, so accepted and moot),
    /// combined (`-euo pipefail`) or undone with `+`.
    fn set(&mut self, args: &[String]) -> Outcome {
        let mut words = args.iter();
        while let Some(word) = words.next() {
            // By prefix, not by byte offset: a word may start with any character (fuzzing found
            // `set Ҋ0` splitting inside a two-byte character).
            let (on, letters) = match (word.strip_prefix('-'), word.strip_prefix('+')) {
                (Some(letters), _) => (true, letters),
                (None, Some(letters)) => (false, letters),
                (None, None) => {
                    return failure(
                        format!("set: {word}: this console supports only -e, -u, -x and -o pipefail\n"),
                        2,
                    )
                }
            };
            for letter in letters.chars() {
                match letter {
                    'e' => self.options.errexit = on,
                    'u' => self.options.nounset = on,
                    'x' => self.options.xtrace = on,
                    'o' => match words.next().map(String::as_str) {
                        Some("pipefail") => {}
                        Some("errexit") => self.options.errexit = on,
                        Some("nounset") => self.options.nounset = on,
                        Some("xtrace") => self.options.xtrace = on,
                        other => {
                            return failure(format!("set: {}: invalid option name\n", other.unwrap_or("")), 2)
                        }
                    },
                    other => {
                        let sign = if on { '-' } else { '+' };
                        return failure(format!("set: {sign}{other}: invalid option\n"), 2);
                    }
                }
            }
        }
        Outcome::default()
    }

    fn aws(&mut self, backend: &mut dyn Backend, args: &[String]) -> Outcome {
        if args.iter().any(|a| a == "--version") {
            return Outcome { stdout: format!("{CLI_VERSION}\n"), ..Outcome::default() };
        }
        if let Some(help) = help_text(args) {
            return Outcome { stdout: help, ..Outcome::default() };
        }
        let invocation = match parse_aws_with_files(args, &self.fs) {
            Ok(invocation) => invocation,
            Err(error) => return failure(error.cli_message(), CLI_USAGE_ERROR),
        };
        match invocation.skeleton {
            Some(SkeletonKind::Input) => {
                return Outcome { stdout: input_skeleton(&invocation.operation), ..Outcome::default() }
            }
            Some(kind) => {
                let name = if kind == SkeletonKind::Output { "output" } else { "yaml-input" };
                return failure(
                    format!("\n--generate-cli-skeleton {name} is not simulated; use input\n"),
                    CLI_USAGE_ERROR,
                );
            }
            None => {}
        }
        let operation = &invocation.operation;
        if let Some(waiter_name) = &invocation.waiter {
            let Some(waiter) = find_waiter(waiter_name) else {
                return failure(format!("unknown waiter {waiter_name}\n"), CLI_USAGE_ERROR);
            };
            return match wait(waiter, backend, operation.service, &invocation.input) {
                Ok(()) => Outcome::default(),
                Err(reason) => failure(format!("\n{reason}\n"), CLI_OTHER_ERROR),
            };
        }
        let paginator = find_paginator(operation.service, operation.name).filter(|_| invocation.paginate);
        let result = match paginator {
            Some(paginator) => paginate(paginator, backend, &invocation.input, &invocation.limits)
                .map(|paged| paged.responses(paginator, invocation.output == OutputFormat::Text)),
            None => {
                backend.call(operation.service, operation.name, invocation.input.clone()).map(|r| vec![r])
            }
        };
        let responses = match result {
            Ok(responses) => responses,
            Err(error) if error.error_type == PAGINATION_ERROR => {
                return failure(format!("\nError during pagination: {}\n", error.message), CLI_OTHER_ERROR)
            }
            Err(error) => {
                return failure(format!("\n{}\n", error.cli_message(operation.name)), CLI_SERVICE_ERROR)
            }
        };
        let mut stdout = String::new();
        for mut response in responses {
            present_timestamps(&mut response);
            if let Some(query) = &invocation.query {
                response = match apply_query(query, &response) {
                    Ok(value) => value,
                    Err(error) => return failure(format!("\n{error}\n"), CLI_OTHER_ERROR),
                };
            }
            stdout.push_str(&format_output(&response, invocation.output, operation.name));
        }
        Outcome { stdout, ..Outcome::default() }
    }

    /// Expands a word into fields: unquoted expansions are split on blanks, as the shell does.
    fn expand(&mut self, backend: &mut dyn Backend, word: &Word, stderr: &mut String) -> (Vec<String>, i32) {
        let mut fields: Vec<String> = Vec::new();
        let mut current: Option<String> = None;
        let mut status = 0;
        for part in &word.parts {
            let (text, quoted) = match part {
                WordPart::Literal { text, .. } => {
                    current.get_or_insert_with(String::new).push_str(text);
                    continue;
                }
                WordPart::Variable { name, quoted } => (self.lookup(name, stderr), *quoted),
                WordPart::CommandSubstitution { script, quoted } => {
                    let inner = self.substitute(backend, script);
                    stderr.push_str(&inner.stderr);
                    status = inner.exit_code;
                    (inner.stdout.trim_end_matches('\n').to_string(), *quoted)
                }
            };
            if quoted {
                current.get_or_insert_with(String::new).push_str(&text);
                continue;
            }
            let starts_blank = text.starts_with([' ', '\t', '\n']);
            let ends_blank = text.ends_with([' ', '\t', '\n']);
            let pieces: Vec<&str> = text.split([' ', '\t', '\n']).filter(|p| !p.is_empty()).collect();
            if starts_blank {
                fields.extend(current.take());
            }
            let count = pieces.len();
            for (i, piece) in pieces.into_iter().enumerate() {
                current.get_or_insert_with(String::new).push_str(piece);
                if i + 1 < count {
                    fields.extend(current.take());
                }
            }
            if ends_blank && count > 0 {
                fields.extend(current.take());
            }
        }
        fields.extend(current);
        (fields, status)
    }

    /// Expands a word without field splitting (the value of `NAME=value`).
    fn expand_joined(
        &mut self,
        backend: &mut dyn Backend,
        word: &Word,
        stderr: &mut String,
    ) -> (String, i32) {
        let mut value = String::new();
        let mut status = 0;
        for part in &word.parts {
            match part {
                WordPart::Literal { text, .. } => value.push_str(text),
                WordPart::Variable { name, .. } => {
                    let text = self.lookup(name, stderr);
                    value.push_str(&text)
                }
                WordPart::CommandSubstitution { script, .. } => {
                    let inner = self.substitute(backend, script);
                    stderr.push_str(&inner.stderr);
                    status = inner.exit_code;
                    value.push_str(inner.stdout.trim_end_matches('\n'));
                }
            }
        }
        (value, status)
    }

    /// Runs the commands of a `$(...)`, collecting their output; the status is the last one's.
    fn substitute(&mut self, backend: &mut dyn Backend, script: &Script) -> Outcome {
        let mut outcome = Outcome::default();
        for command in &script.commands {
            let inner = self.execute(backend, command);
            outcome.stdout.push_str(&inner.stdout);
            outcome.stderr.push_str(&inner.stderr);
            outcome.exit_code = inner.exit_code;
        }
        outcome
    }
}

/// A word as `set -x` shows it: quoted when the shell would need quotes to read it back.
fn shell_quote(field: &str) -> String {
    let plain =
        !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if plain {
        field.to_string()
    } else {
        format!("'{}'", field.replace('\'', "'\\''"))
    }
}

fn failure(stderr: String, exit_code: i32) -> Outcome {
    Outcome { stdout: String::new(), stderr, exit_code }
}

fn echo(args: &[String]) -> Outcome {
    let (newline, words) = match args.first().map(String::as_str) {
        Some("-n") => (false, &args[1..]),
        _ => (true, args),
    };
    let mut stdout = words.join(" ");
    if newline {
        stdout.push('\n');
    }
    Outcome { stdout, ..Outcome::default() }
}

/// `sleep N[smhd] ...` (summed, as GNU sleep does), in simulated time.
fn sleep(backend: &mut dyn Backend, args: &[String]) -> Outcome {
    if args.is_empty() {
        return failure("sleep: missing operand\n".into(), 1);
    }
    let mut total_ms: u64 = 0;
    for arg in args {
        let (number, unit_ms) = match arg.chars().last() {
            Some('s') => (&arg[..arg.len() - 1], 1_000.0),
            Some('m') => (&arg[..arg.len() - 1], 60_000.0),
            Some('h') => (&arg[..arg.len() - 1], 3_600_000.0),
            Some('d') => (&arg[..arg.len() - 1], 86_400_000.0),
            _ => (arg.as_str(), 1_000.0),
        };
        match parse_f64(number) {
            Some(value) if value.is_finite() && value >= 0.0 => {
                total_ms = total_ms.saturating_add((value * unit_ms).round() as u64)
            }
            _ => return failure(format!("sleep: invalid time interval '{arg}'\n"), 1),
        }
    }
    backend.sleep_ms(total_ms);
    Outcome::default()
}

fn sim(backend: &mut dyn Backend, args: &[String]) -> Outcome {
    if args.first().map(String::as_str) == Some("clock") && args.len() == 1 {
        let now = i64::try_from(backend.now_ms()).unwrap_or(i64::MAX);
        return Outcome { stdout: format!("{}\n", iso8601_ms(now)), ..Outcome::default() };
    }
    match backend.sim(args) {
        Ok(mut text) => {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            Outcome { stdout: text, ..Outcome::default() }
        }
        Err(error) => failure(format!("sim: {} ({})\n", error.message, error.error_type), 1),
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
    /// the wasm bundle (issue 8, release wasm size).
    pub fn to_json(&self) -> serde_json::Value {
        let records: Vec<serde_json::Value> = self
            .records
            .iter()
            .map(|r| {
                crate::api::json::json!({
                    "line": r.line, "column": r.column, "command": r.command, "stdout": r.stdout,
                    "stderr": r.stderr, "exit_code": r.exit_code, "success": r.success,
                })
            })
            .collect();
        let syntax_error = self.syntax_error.as_ref().map(|error| {
            crate::api::json::json!({
                "position": { "line": error.position.line, "column": error.position.column },
                "message": error.message,
            })
        });
        crate::api::json::json!({ "records": records, "syntax_error": syntax_error, "exit_status": self.exit_status })
    }
}

/// A parsed script run one command at a time, so that a console can let the simulation (and
/// its rendering) move between commands. The whole script is parsed before the first step.
#[derive(Debug, Clone)]
pub struct ScriptRun {
    script: Script,
    next: usize,
    records: Vec<CommandRecord>,
    halted: bool,
}

impl ScriptRun {
    /// Parses the script; a syntax error means nothing will run.
    pub fn new(text: &str) -> Result<Self, ScriptError> {
        Ok(Self { script: parse_script(text)?, next: 0, records: Vec::new(), halted: false })
    }

    /// Runs the next command; `None` when the script is done.
    pub fn step(
        &mut self,
        interpreter: &mut Interpreter,
        backend: &mut dyn Backend,
    ) -> Option<&CommandRecord> {
        if self.halted {
            return None;
        }
        let command = self.script.commands.get(self.next)?;
        self.next += 1;
        let record = interpreter.run_command(backend, command);
        if interpreter.halts_after(&record) {
            self.halted = true;
            interpreter.unbound = false;
        }
        self.records.push(record);
        self.records.last()
    }

    /// Commands not yet run (none once `set -e` or `set -u` stopped the script).
    pub fn remaining(&self) -> usize {
        if self.halted {
            0
        } else {
            self.script.commands.len() - self.next
        }
    }

    /// The report so far (the final one once [`Self::remaining`] is 0).
    pub fn report(&self) -> ScriptReport {
        ScriptReport::from_records(self.records.clone())
    }
}
