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

use super::args::{help_text, parse_aws_with_files, OutputFormat};
use super::arith;
use super::backend::Backend;
use super::builtins::{self, TestArg};
use super::fs::MemFs;
use super::glob;
use super::output::format_output;
use super::paginate::{find_paginator, paginate, PAGINATION_ERROR};
use super::query::{apply_query, iso8601_ms, present_timestamps};
use super::script::{
    is_name, parse_script_with, CaseEnd, Command, Compound, Connector, List, ParamOp, Pipeline, Position,
    Redirect, RedirectKind, ReplaceMode, Script, ScriptError, SimpleCommand, TestToken, Word, WordPart,
};
use super::skeleton::{input_skeleton, SkeletonKind};
use super::utils;
use super::waiter::{find_waiter, wait};
use std::collections::BTreeMap;
use std::rc::Rc;

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

/// Where a compound command stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Condition,
    Body,
}

/// One level of running control flow.
#[derive(Debug, Clone)]
enum Frame {
    /// A list: `item` is the and-or list, `next` the pipeline of it to consider next.
    List {
        items: List,
        item: usize,
        next: usize,
        exempt: bool,
    },
    If {
        node: Rc<Compound>,
        branch: usize,
        stage: Stage,
        exempt: bool,
    },
    While {
        node: Rc<Compound>,
        stage: Stage,
        status: i32,
        exempt: bool,
    },
    For {
        node: Rc<Compound>,
        values: Vec<String>,
        index: usize,
        status: i32,
        exempt: bool,
    },
    Case {
        node: Rc<Compound>,
        arm: usize,
        stage: Stage,
        exempt: bool,
    },
    /// A running function: the caller's positional parameters.
    Function {
        saved: Vec<String>,
    },
}

/// What the top frame wants next.
enum Action {
    Run {
        items: List,
        item: usize,
        pipeline: usize,
        exempt: bool,
    },
    Push(Frame),
    /// The frame is done; `Some` sets `$?`.
    Pop(Option<i32>),
}

/// One pipeline that ran, for a record.
struct Ran {
    position: Position,
    source: String,
    outcome: Outcome,
}

/// A script (or a `$(…)`, a pipeline stage, a redirected compound) being run.
#[derive(Debug, Clone)]
struct Machine {
    frames: Vec<Frame>,
    stdin: Input,
    /// Output of a nested run, gathered instead of reported.
    capture: Option<Outcome>,
    /// `exit` ends this machine only (a subshell, `$(…)`, a pipeline stage).
    subshell: bool,
}

impl Machine {
    fn top(items: List) -> Self {
        Machine {
            frames: vec![Frame::List { items, item: 0, next: 0, exempt: false }],
            stdin: Input::default(),
            capture: None,
            subshell: false,
        }
    }

    fn nested(frames: Vec<Frame>, stdin: Input, subshell: bool) -> Self {
        Machine { frames, stdin, capture: Some(Outcome::default()), subshell }
    }

    /// Runs until a pipeline ran (at the top level) or nothing is left.
    fn step(&mut self, sh: &mut Interpreter, backend: &mut dyn Backend) -> Option<Ran> {
        loop {
            if let Some(control) = sh.control.take() {
                if !self.unwind(sh, control) {
                    return None;
                }
                continue;
            }
            let frame = self.frames.last_mut()?;
            sh.steps += 1;
            if sh.steps > STEP_BUDGET {
                sh.pending_stderr.push_str(&format!(
                    "ecs-daemon-sim: stopped after {STEP_BUDGET} steps without finishing (a loop that never ends?)\n"
                ));
                sh.control = Some(Control::Exit(1));
                sh.steps = 0;
                let outcome = failure(std::mem::take(&mut sh.pending_stderr), 1);
                if self.capture.is_none() {
                    return Some(Ran { position: Position::default(), source: String::new(), outcome });
                }
                if let Some(capture) = &mut self.capture {
                    capture.stderr.push_str(&outcome.stderr);
                }
                // Every machine up to the top stops.
                sh.steps = STEP_BUDGET + 1;
                continue;
            }
            match resume(frame, sh, backend) {
                Action::Pop(status) => {
                    self.pop(sh);
                    if let Some(status) = status {
                        sh.last_status = status;
                    }
                }
                Action::Push(frame) => self.frames.push(frame),
                Action::Run { items, item, pipeline, exempt } => {
                    let pipeline = items[item].pipeline(pipeline);
                    if let Some(ran) = self.run(sh, backend, pipeline, exempt) {
                        return Some(ran);
                    }
                }
            }
        }
    }

    fn pop(&mut self, sh: &mut Interpreter) {
        if let Some(Frame::Function { saved }) = self.frames.pop() {
            sh.leave_function(saved);
        }
    }

    /// Handles `exit`, `return`, `break`, `continue`; false when this machine is done.
    fn unwind(&mut self, sh: &mut Interpreter, control: Control) -> bool {
        let propagate = |this: &mut Machine, sh: &mut Interpreter| {
            while !this.frames.is_empty() {
                this.pop(sh);
            }
            if !this.subshell {
                sh.control = Some(control);
            }
            false
        };
        match control {
            Control::Exit(status) => {
                sh.last_status = status;
                propagate(self, sh)
            }
            Control::Return(status) => {
                sh.last_status = status;
                if !self.frames.iter().any(|f| matches!(f, Frame::Function { .. })) {
                    return propagate(self, sh);
                }
                while let Some(frame) = self.frames.last() {
                    let function = matches!(frame, Frame::Function { .. });
                    self.pop(sh);
                    if function {
                        break;
                    }
                }
                true
            }
            Control::Break(mut levels) | Control::Continue(mut levels) => {
                let breaking = matches!(control, Control::Break(_));
                let loops = self
                    .frames
                    .iter()
                    .rev()
                    .take_while(|f| !matches!(f, Frame::Function { .. }))
                    .filter(|f| matches!(f, Frame::For { .. } | Frame::While { .. }))
                    .count();
                if loops == 0 {
                    return if self.subshell { true } else { propagate(self, sh) };
                }
                levels = levels.min(loops);
                while let Some(frame) = self.frames.last() {
                    let is_loop = matches!(frame, Frame::For { .. } | Frame::While { .. });
                    if is_loop {
                        levels -= 1;
                        if levels == 0 {
                            if breaking {
                                self.pop(sh);
                                sh.last_status = 0;
                            }
                            break;
                        }
                    }
                    self.pop(sh);
                }
                true
            }
        }
    }

    /// Runs one pipeline: a compound or a function call at this level becomes frames (so its
    /// commands are steps of their own); anything else runs whole.
    fn run(
        &mut self,
        sh: &mut Interpreter,
        backend: &mut dyn Backend,
        pipeline: &Pipeline,
        exempt: bool,
    ) -> Option<Ran> {
        if !pipeline.negated && pipeline.commands.len() == 1 {
            match &pipeline.commands[0] {
                Command::Compound(compound, redirects) if redirects.is_empty() => {
                    if let Some(frame) = sh.compound_frame(compound, exempt, backend) {
                        self.frames.push(frame);
                        return None;
                    }
                    if sh.control.is_some() {
                        return self.report(sh, pipeline, Outcome { exit_code: 1, ..Outcome::default() });
                    }
                }
                Command::Function { name, body } => {
                    sh.functions.insert(name.clone(), body.clone());
                    sh.last_status = 0;
                    return None;
                }
                Command::Simple(simple) if simple.redirects.is_empty() && simple.assignments.is_empty() => {
                    let name = simple.words.first().and_then(Word::as_literal);
                    if let Some(body) = name.and_then(|n| sh.functions.get(&n).cloned()) {
                        if frameable(&body) {
                            let mut acc = Acc::default();
                            let Ok(fields) = sh.fields(&simple.words, backend, &mut acc) else {
                                return self.report(sh, pipeline, failure(acc.stderr, 1));
                            };
                            sh.trace(&fields, &mut acc.stderr);
                            sh.pending_stderr.push_str(&acc.stderr);
                            let saved = sh.enter_function(fields.get(1..).unwrap_or_default().to_vec());
                            self.frames.push(Frame::Function { saved });
                            if let Some(frame) = sh.compound_frame(&body, exempt, backend) {
                                self.frames.push(frame);
                            }
                            return None;
                        }
                    }
                }
                _ => {}
            }
        }
        let plain = pipeline.commands.len() == 1 && matches!(pipeline.commands[0], Command::Simple(_));
        sh.defer_sleep = self.capture.is_none() && plain;
        let outcome = sh.run_pipeline(pipeline, &mut self.stdin, backend);
        sh.defer_sleep = false;
        if sh.options.errexit
            && outcome.exit_code != 0
            && !exempt
            && !pipeline.negated
            && sh.control.is_none()
        {
            sh.control = Some(Control::Exit(outcome.exit_code));
        }
        self.report(sh, pipeline, outcome)
    }

    fn report(&mut self, sh: &mut Interpreter, pipeline: &Pipeline, mut outcome: Outcome) -> Option<Ran> {
        sh.last_status = outcome.exit_code;
        if !sh.pending_stderr.is_empty() {
            outcome.stderr = std::mem::take(&mut sh.pending_stderr) + &outcome.stderr;
        }
        match &mut self.capture {
            Some(capture) => {
                capture.stdout.push_str(&outcome.stdout);
                capture.stderr.push_str(&outcome.stderr);
                None
            }
            None => Some(Ran { position: pipeline.position, source: pipeline.source.clone(), outcome }),
        }
    }
}

/// The next action of the top frame; `$?` is the status of what it ran last.
fn resume(frame: &mut Frame, sh: &mut Interpreter, backend: &mut dyn Backend) -> Action {
    let status = sh.last_status;
    match frame {
        Frame::List { items, item, next, exempt } => loop {
            let Some(and_or) = items.get(*item) else { return Action::Pop(None) };
            let last = and_or.rest.len();
            if *next == 0 {
                *next = 1;
                return Action::Run {
                    items: items.clone(),
                    item: *item,
                    pipeline: 0,
                    exempt: *exempt || last > 0,
                };
            }
            if *next > last {
                *item += 1;
                *next = 0;
                continue;
            }
            let index = *next;
            *next += 1;
            let (connector, _) = and_or.rest[index - 1];
            if (connector == Connector::And) == (sh.last_status == 0) {
                return Action::Run {
                    items: items.clone(),
                    item: *item,
                    pipeline: index,
                    exempt: *exempt || index < last,
                };
            }
        },
        Frame::If { node, branch, stage, exempt } => {
            let Compound::If { branches, otherwise } = &**node else { return Action::Pop(None) };
            loop {
                match *stage {
                    Stage::Start => match branches.get(*branch) {
                        Some((condition, _)) => {
                            *stage = Stage::Condition;
                            return Action::Push(list_frame(condition, true));
                        }
                        None => {
                            *stage = Stage::Body;
                            return match otherwise {
                                Some(body) => Action::Push(list_frame(body, *exempt)),
                                None => Action::Pop(Some(0)),
                            };
                        }
                    },
                    Stage::Condition if status == 0 => {
                        *stage = Stage::Body;
                        return Action::Push(list_frame(&branches[*branch].1, *exempt));
                    }
                    Stage::Condition => {
                        *branch += 1;
                        *stage = Stage::Start;
                    }
                    Stage::Body => return Action::Pop(None),
                }
            }
        }
        Frame::While { node, stage, status: body_status, exempt } => {
            let Compound::While { until, condition, body } = &**node else { return Action::Pop(None) };
            match *stage {
                Stage::Start => {
                    *stage = Stage::Condition;
                    Action::Push(list_frame(condition, true))
                }
                Stage::Condition if (status == 0) != *until => {
                    *stage = Stage::Body;
                    Action::Push(list_frame(body, *exempt))
                }
                Stage::Condition => Action::Pop(Some(*body_status)),
                Stage::Body => {
                    *body_status = status;
                    *stage = Stage::Condition;
                    Action::Push(list_frame(condition, true))
                }
            }
        }
        Frame::For { node, values, index, status: body_status, exempt } => {
            let Compound::For { variable, body, .. } = &**node else { return Action::Pop(None) };
            if *index > 0 {
                *body_status = status;
            }
            match values.get(*index) {
                Some(value) => {
                    if sh.options.xtrace {
                        let words: Vec<String> = values.iter().map(|v| shell_quote(v)).collect();
                        sh.pending_stderr.push_str(&format!("+ for {variable} in {}\n", words.join(" ")));
                    }
                    sh.variables.insert(variable.clone(), value.clone());
                    *index += 1;
                    Action::Push(list_frame(body, *exempt))
                }
                None => Action::Pop(Some(*body_status)),
            }
        }
        Frame::Case { node, arm, stage, exempt } => {
            let Compound::Case { arms, .. } = &**node else { return Action::Pop(None) };
            match *stage {
                Stage::Start => match arms.get(*arm) {
                    Some(matched) => {
                        *stage = Stage::Body;
                        Action::Push(list_frame(&matched.body, *exempt))
                    }
                    None => Action::Pop(Some(0)),
                },
                _ => {
                    let end = arms[*arm].end;
                    match end {
                        CaseEnd::Stop => Action::Pop(None),
                        CaseEnd::FallThrough => {
                            *arm += 1;
                            match arms.get(*arm) {
                                Some(next) => Action::Push(list_frame(&next.body, *exempt)),
                                None => Action::Pop(None),
                            }
                        }
                        CaseEnd::TestNext => {
                            let word = match &**node {
                                Compound::Case { word, .. } => word.clone(),
                                _ => return Action::Pop(None),
                            };
                            match sh.case_arm(node, &word, *arm + 1, backend) {
                                Some(next) => {
                                    *arm = next;
                                    Action::Push(list_frame(&arms[next].body, *exempt))
                                }
                                None => Action::Pop(None),
                            }
                        }
                    }
                }
            }
        }
        Frame::Function { .. } => Action::Pop(None),
    }
}

fn list_frame(items: &List, exempt: bool) -> Frame {
    Frame::List { items: items.clone(), item: 0, next: 0, exempt }
}

/// Whether a compound runs as frames of its own (its commands are steps).
fn frameable(compound: &Compound) -> bool {
    matches!(
        compound,
        Compound::Brace(_)
            | Compound::If { .. }
            | Compound::While { .. }
            | Compound::For { .. }
            | Compound::Case { .. }
    )
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

    /// The frame that runs `compound` step by step, or `None` for one that runs whole (or an
    /// expansion error, then `control` is set).
    fn compound_frame(
        &mut self,
        compound: &Rc<Compound>,
        exempt: bool,
        backend: &mut dyn Backend,
    ) -> Option<Frame> {
        let node = compound.clone();
        match &**compound {
            Compound::Brace(items) => Some(list_frame(items, exempt)),
            Compound::If { .. } => Some(Frame::If { node, branch: 0, stage: Stage::Start, exempt }),
            Compound::While { .. } => Some(Frame::While { node, stage: Stage::Start, status: 0, exempt }),
            Compound::For { words, .. } => {
                let values = match words {
                    Some(words) => {
                        let mut acc = Acc::default();
                        let values = self.fields(words, backend, &mut acc);
                        self.pending_stderr.push_str(&acc.stderr);
                        values.ok()?
                    }
                    None => self.positional.clone(),
                };
                Some(Frame::For { node, values, index: 0, status: 0, exempt })
            }
            Compound::Case { word, .. } => {
                let arm = self.case_arm(compound, word, 0, backend);
                if self.control.is_some() {
                    return None;
                }
                Some(Frame::Case { node, arm: arm.unwrap_or(usize::MAX), stage: Stage::Start, exempt })
            }
            _ => None,
        }
    }

    /// The first arm from `from` whose pattern matches the case word.
    fn case_arm(
        &mut self,
        node: &Compound,
        word: &Word,
        from: usize,
        backend: &mut dyn Backend,
    ) -> Option<usize> {
        let Compound::Case { arms, raw, .. } = node else { return None };
        let mut acc = Acc::default();
        let subject = self.joined(word, backend, &mut acc).ok()?;
        if self.options.xtrace && from == 0 {
            acc.stderr.push_str(&format!("+ case {raw} in\n"));
        }
        let mut found = None;
        'arms: for (index, arm) in arms.iter().enumerate().skip(from) {
            for pattern in &arm.patterns {
                let Ok(pattern) = self.pattern(pattern, backend, &mut acc) else { break 'arms };
                if glob::matches(&pattern, &subject) {
                    found = Some(index);
                    break 'arms;
                }
            }
        }
        self.pending_stderr.push_str(&acc.stderr);
        found
    }

    // ----- running commands ---------------------------------------------------------------

    fn run_pipeline(&mut self, pipeline: &Pipeline, stdin: &mut Input, backend: &mut dyn Backend) -> Outcome {
        let mut outcome = if pipeline.commands.len() == 1 {
            self.run_command(&pipeline.commands[0], stdin, backend)
        } else {
            // Every stage runs in a subshell: what it sets does not outlive the pipeline.
            let saved =
                (self.variables.clone(), self.functions.clone(), self.positional.clone(), self.options);
            let mut outcome = Outcome::default();
            let mut statuses = Vec::new();
            let mut previous = None;
            for command in &pipeline.commands {
                let mut own;
                let input = match previous.take() {
                    Some(text) => {
                        own = Input::new(text);
                        &mut own
                    }
                    None => &mut *stdin,
                };
                let stage = self.run_command(command, input, backend);
                self.control = None;
                outcome.stderr.push_str(&stage.stderr);
                statuses.push(stage.exit_code);
                previous = Some(stage.stdout);
            }
            (self.variables, self.functions, self.positional, self.options) = saved;
            outcome.stdout = previous.unwrap_or_default();
            let last = statuses.last().copied().unwrap_or(0);
            outcome.exit_code = if self.options.pipefail {
                statuses.iter().rev().find(|s| **s != 0).copied().unwrap_or(0)
            } else {
                last
            };
            outcome
        };
        if pipeline.negated {
            outcome.exit_code = i32::from(outcome.exit_code == 0);
        }
        outcome
    }

    fn run_command(&mut self, command: &Command, stdin: &mut Input, backend: &mut dyn Backend) -> Outcome {
        match command {
            Command::Simple(simple) => self.run_simple(simple, stdin, backend),
            Command::Function { name, body } => {
                self.functions.insert(name.clone(), body.clone());
                Outcome::default()
            }
            Command::Compound(compound, redirects) => {
                let mut out = Outcome::default();
                let redir = match self.open_redirects(redirects, backend, &mut out.stderr) {
                    Ok(redir) => redir,
                    Err(status) => {
                        out.exit_code = status;
                        return out;
                    }
                };
                let mut own;
                let input = match redir.input.clone() {
                    Some(text) => {
                        own = Input::new(text);
                        &mut own
                    }
                    None => stdin,
                };
                let inner = self.run_compound(compound, input, backend);
                self.route(inner, &redir, &mut out);
                out
            }
        }
    }

    fn run_compound(
        &mut self,
        compound: &Rc<Compound>,
        stdin: &mut Input,
        backend: &mut dyn Backend,
    ) -> Outcome {
        match &**compound {
            Compound::DoubleBracket(tokens) => self.double_bracket(tokens, backend),
            Compound::Arithmetic(expression) => {
                let mut acc = Acc::default();
                let Ok(text) = self.joined(expression, backend, &mut acc) else {
                    return failure(acc.stderr, 1);
                };
                if self.options.xtrace {
                    acc.stderr.push_str(&format!("+ (( {text} ))\n"));
                }
                match arith::evaluate(&text, self) {
                    Ok(value) => {
                        Outcome { stderr: acc.stderr, exit_code: i32::from(value == 0), ..Outcome::default() }
                    }
                    Err(message) => {
                        acc.stderr.push_str(&format!("{}: {message}\n", text.trim()));
                        failure(acc.stderr, 1)
                    }
                }
            }
            Compound::Subshell(items) => {
                self.run_nested(vec![list_frame(items, false)], stdin, true, backend)
            }
            _ => match self.compound_frame(compound, false, backend) {
                Some(frame) => self.run_nested(vec![frame], stdin, false, backend),
                None => failure(std::mem::take(&mut self.pending_stderr), 1),
            },
        }
    }

    /// Runs frames to their end, gathering their output (a subshell's variables are restored).
    fn run_nested(
        &mut self,
        frames: Vec<Frame>,
        stdin: &mut Input,
        subshell: bool,
        backend: &mut dyn Backend,
    ) -> Outcome {
        if self.nesting >= MAX_NESTING {
            self.control = Some(Control::Exit(1));
            return failure(format!("ecs-daemon-sim: maximum nesting level exceeded ({MAX_NESTING})\n"), 1);
        }
        self.nesting += 1;
        let saved = subshell
            .then(|| (self.variables.clone(), self.functions.clone(), self.positional.clone(), self.options));
        let mut machine = Machine::nested(frames, std::mem::take(stdin), subshell);
        while machine.step(self, backend).is_some() {}
        *stdin = std::mem::take(&mut machine.stdin);
        let mut outcome = machine.capture.take().unwrap_or_default();
        if !self.pending_stderr.is_empty() {
            outcome.stderr.push_str(&std::mem::take(&mut self.pending_stderr));
        }
        outcome.exit_code = self.last_status;
        if let Some(saved) = saved {
            (self.variables, self.functions, self.positional, self.options) = saved;
        }
        self.nesting -= 1;
        outcome
    }

    /// Runs the commands of a `$(...)` in a subshell, collecting their output.
    fn substitute(&mut self, script: &Script, backend: &mut dyn Backend) -> Outcome {
        self.trace_depth += 1;
        let status = self.last_status;
        let outcome =
            self.run_nested(vec![list_frame(&script.items, false)], &mut Input::default(), true, backend);
        self.last_status = status;
        self.trace_depth -= 1;
        outcome
    }

    fn run_simple(
        &mut self,
        command: &SimpleCommand,
        stdin: &mut Input,
        backend: &mut dyn Backend,
    ) -> Outcome {
        let mut acc = Acc::default();
        let mut assigned = Vec::new();
        for (name, word) in &command.assignments {
            match self.joined(word, backend, &mut acc) {
                Ok(value) => assigned.push((name.clone(), value)),
                Err(()) => return failure(acc.stderr, 1),
            }
        }
        let declaration = command
            .words
            .first()
            .and_then(Word::as_literal)
            .is_some_and(|name| matches!(name.as_str(), "export" | "local" | "readonly"));
        let fields = if declaration {
            // `export A=$B` does not split $B, as for an assignment.
            let mut fields = vec![command.words[0].as_literal().unwrap_or_default()];
            for word in &command.words[1..] {
                match self.joined(word, backend, &mut acc) {
                    Ok(field) => fields.push(field),
                    Err(()) => return failure(acc.stderr, 1),
                }
            }
            Ok(fields)
        } else {
            self.fields(&command.words, backend, &mut acc)
        };
        let Ok(fields) = fields else { return failure(acc.stderr, 1) };
        if self.options.xtrace {
            for (name, value) in &assigned {
                acc.stderr.push_str(&format!(
                    "{} {name}={}\n",
                    "+".repeat(self.trace_depth + 1),
                    shell_quote(value)
                ));
            }
            self.trace(&fields, &mut acc.stderr);
        }
        let mut out = Outcome { stderr: std::mem::take(&mut acc.stderr), ..Outcome::default() };
        let redir = match self.open_redirects(&command.redirects, backend, &mut out.stderr) {
            Ok(redir) => redir,
            Err(status) => {
                out.exit_code = status;
                return out;
            }
        };
        let Some((name, args)) = fields.split_first() else {
            for (name, value) in assigned {
                self.variables.insert(name, value);
            }
            // A bare assignment's status is that of its last command substitution, as in bash.
            out.exit_code = acc.status;
            return out;
        };
        let saved: Vec<(String, Option<String>)> =
            assigned.iter().map(|(n, _)| (n.clone(), self.variables.get(n).cloned())).collect();
        for (n, v) in assigned {
            self.variables.insert(n, v);
        }
        let mut own;
        let input = match redir.input.clone() {
            Some(text) => {
                own = Input::new(text);
                &mut own
            }
            None => stdin,
        };
        let result = self.dispatch(name, args, input, backend);
        for (n, v) in saved {
            match v {
                Some(v) => self.variables.insert(n, v),
                None => self.variables.remove(&n),
            };
        }
        self.route(result, &redir, &mut out);
        out
    }

    fn open_redirects(
        &mut self,
        redirects: &[Redirect],
        backend: &mut dyn Backend,
        stderr: &mut String,
    ) -> Result<Redir, i32> {
        let mut redir = Redir::default();
        for redirect in redirects {
            let mut acc = Acc::default();
            let result = self.apply_redirect(redirect, &mut redir, backend, &mut acc);
            stderr.push_str(&acc.stderr);
            if result.is_err() {
                return Err(1);
            }
        }
        Ok(redir)
    }

    fn apply_redirect(
        &mut self,
        redirect: &Redirect,
        redir: &mut Redir,
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<(), ()> {
        let target = match &redirect.kind {
            RedirectKind::Write { append, target } | RedirectKind::Both { append, target } => {
                let path = self.joined(target, backend, acc)?;
                if path.is_empty() {
                    acc.stderr.push_str("ambiguous redirect\n");
                    return Err(());
                }
                match path.as_str() {
                    "/dev/stdout" => Target::Stdout,
                    "/dev/stderr" => Target::Stderr,
                    _ => {
                        if !append {
                            self.fs.write(&path, "");
                        }
                        Target::File(path)
                    }
                }
            }
            RedirectKind::Duplicate { to: 1 } => redir.out.clone(),
            RedirectKind::Duplicate { to: 2 } => redir.err.clone(),
            RedirectKind::Duplicate { .. } => return Ok(()),
            RedirectKind::Read { target } => {
                let path = self.joined(target, backend, acc)?;
                match self.fs.read(&path) {
                    Ok(text) => {
                        if redirect.fd == 0 {
                            redir.input = Some(text.to_string());
                        }
                        return Ok(());
                    }
                    Err(error) => {
                        acc.stderr.push_str(&format!("{error}\n"));
                        return Err(());
                    }
                }
            }
            RedirectKind::HereDoc { body } => {
                let word = body.get().cloned().unwrap_or_default();
                redir.input = Some(self.joined(&word, backend, acc)?);
                return Ok(());
            }
            RedirectKind::HereString { word } => {
                redir.input = Some(self.joined(word, backend, acc)? + "\n");
                return Ok(());
            }
        };
        if matches!(redirect.kind, RedirectKind::Both { .. }) {
            redir.out = target.clone();
            redir.err = target;
        } else {
            match redirect.fd {
                1 => redir.out = target,
                2 => redir.err = target,
                _ => {}
            }
        }
        Ok(())
    }

    fn route(&mut self, result: Outcome, redir: &Redir, out: &mut Outcome) {
        for (text, target) in [(result.stdout, &redir.out), (result.stderr, &redir.err)] {
            match target {
                Target::Stdout => out.stdout.push_str(&text),
                Target::Stderr => out.stderr.push_str(&text),
                Target::File(path) => self.fs.append(path, &text),
            }
        }
        out.exit_code = result.exit_code;
    }

    /// Runs one command by name: a function, a builtin or a text utility.
    fn dispatch(
        &mut self,
        name: &str,
        args: &[String],
        input: &mut Input,
        backend: &mut dyn Backend,
    ) -> Outcome {
        if let Some(body) = self.functions.get(name).cloned() {
            let saved = self.enter_function(args.to_vec());
            let frame = if frameable(&body) { self.compound_frame(&body, false, backend) } else { None };
            let mut outcome = match frame {
                Some(frame) => self.run_nested(vec![Frame::Function { saved }, frame], input, false, backend),
                None => {
                    let outcome = if frameable(&body) {
                        failure(std::mem::take(&mut self.pending_stderr), 1)
                    } else {
                        self.run_compound(&body, input, backend)
                    };
                    self.leave_function(saved);
                    outcome
                }
            };
            if let Some(Control::Return(status)) = self.control {
                self.control = None;
                outcome.exit_code = status;
            }
            return outcome;
        }
        self.builtin(name, args, input, backend).unwrap_or_else(|| {
            let stdin = input.take_rest();
            self.utility(name, args, &stdin, backend.now_ms())
                .unwrap_or_else(|| failure(format!("{name}: command not found\n"), 127))
        })
    }

    /// Runs a text utility; `None` when there is none of that name.
    fn utility(&mut self, name: &str, args: &[String], stdin: &str, now_ms: u64) -> Option<Outcome> {
        let mut io =
            utils::UtilIo { stdin, stdout: String::new(), stderr: String::new(), fs: &mut self.fs, now_ms };
        let status = utils::run_utility(name, args, &mut io)?;
        Some(Outcome { stdout: io.stdout, stderr: io.stderr, exit_code: status })
    }

    /// The builtins; `None` when `name` is not one.
    fn builtin(
        &mut self,
        name: &str,
        args: &[String],
        input: &mut Input,
        backend: &mut dyn Backend,
    ) -> Option<Outcome> {
        Some(match name {
            "aws" => self.aws(backend, args),
            "echo" => success(builtins::echo(args)),
            "printf" => self.printf(args),
            "sleep" => match builtins::sleep_ms(args) {
                Ok(ms) => {
                    if self.defer_sleep {
                        self.deferred_sleep_ms = Some(self.deferred_sleep_ms.unwrap_or(0).saturating_add(ms));
                    } else {
                        backend.sleep_ms(ms);
                    }
                    Outcome::default()
                }
                Err(message) => failure(message, 1),
            },
            "sim" => sim(backend, args),
            "set" => self.set(args),
            "export" | "readonly" => self.export(name, args, false),
            "local" => self.export(name, args, true),
            "unset" => {
                let functions = args.first().is_some_and(|a| a == "-f");
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    if functions {
                        self.functions.remove(arg);
                    } else {
                        self.variables.remove(arg);
                    }
                }
                Outcome::default()
            }
            "read" => self.read(args, input),
            "test" => self.test_builtin("test", args),
            "[" => match args.split_last() {
                Some((last, rest)) if last == "]" => self.test_builtin("[", rest),
                _ => failure("[: missing `]'\n".into(), 2),
            },
            "true" | ":" => Outcome::default(),
            "false" => Outcome { exit_code: 1, ..Outcome::default() },
            "exit" | "return" => {
                let status = match args.first() {
                    None => self.last_status,
                    Some(text) => match text.parse::<i64>() {
                        Ok(n) => (n & 255) as i32,
                        Err(_) => {
                            self.control = Some(Control::Exit(2));
                            return Some(failure(format!("{name}: {text}: numeric argument required\n"), 2));
                        }
                    },
                };
                if name == "return" {
                    if self.locals.is_empty() {
                        return Some(failure(
                            "return: can only `return' from a function or sourced script\n".into(),
                            2,
                        ));
                    }
                    self.control = Some(Control::Return(status));
                } else {
                    self.control = Some(Control::Exit(status));
                }
                Outcome { exit_code: status, ..Outcome::default() }
            }
            "break" | "continue" => {
                let levels = match args.first().map(|a| a.parse::<usize>()) {
                    None => 1,
                    Some(Ok(n)) if n > 0 => n,
                    Some(_) => {
                        return Some(failure(format!("{name}: {}: loop count out of range\n", args[0]), 1))
                    }
                };
                self.control =
                    Some(if name == "break" { Control::Break(levels) } else { Control::Continue(levels) });
                Outcome::default()
            }
            "shift" => {
                let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
                if n > self.positional.len() {
                    return Some(Outcome { exit_code: 1, ..Outcome::default() });
                }
                self.positional.drain(..n);
                Outcome::default()
            }
            "cd" => {
                let dir = args.first().cloned().unwrap_or_else(|| "/home/cloudshell-user".into());
                self.variables.insert("PWD".into(), dir);
                Outcome::default()
            }
            "pwd" => success(format!(
                "{}\n",
                self.variables.get("PWD").map_or("/home/cloudshell-user", String::as_str)
            )),
            "xargs" => self.xargs(args, input, backend),
            _ => return None,
        })
    }

    fn test_builtin(&self, name: &str, args: &[String]) -> Outcome {
        let args: Vec<TestArg> =
            args.iter().map(|a| TestArg { text: a.clone(), pattern: None, operator: false }).collect();
        let fs = &self.fs;
        match builtins::test(&args, false, &|path| fs.exists(path)) {
            Ok(value) => Outcome { exit_code: i32::from(!value), ..Outcome::default() },
            Err(message) => failure(format!("{name}: {message}\n"), 2),
        }
    }

    fn printf(&mut self, args: &[String]) -> Outcome {
        if args.first().is_some_and(|a| a == "-v") {
            let Some(name) = args.get(1).filter(|n| is_name(n)) else {
                return failure("printf: -v: option requires a valid name\n".into(), 2);
            };
            let (text, stderr, status) = builtins::printf(&args[2..]);
            self.variables.insert(name.clone(), text);
            return failure(stderr, status);
        }
        let args = if args.first().is_some_and(|a| a == "--") { &args[1..] } else { args };
        let (stdout, stderr, exit_code) = builtins::printf(args);
        Outcome { stdout, stderr, exit_code }
    }

    /// `read [-r] [-p prompt] [NAME…]`: one line of standard input into the names.
    fn read(&mut self, args: &[String], input: &mut Input) -> Outcome {
        let mut raw = false;
        let mut names = Vec::new();
        let mut words = args.iter();
        while let Some(arg) = words.next() {
            match arg.as_str() {
                "-r" => raw = true,
                "-p" | "-t" | "-u" | "-n" | "-N" | "-d" => {
                    if arg != "-p" && arg != "-t" {
                        return failure(format!("read: {arg}: this console does not support it\n"), 2);
                    }
                    words.next();
                }
                "-a" => return failure("read: -a: arrays are not supported\n".into(), 2),
                "-s" | "-e" => {}
                name if is_name(name) => names.push(name.to_string()),
                other => return failure(format!("read: `{other}': not a valid identifier\n"), 1),
            }
        }
        let mut line = String::new();
        let mut complete = false;
        let mut any = false;
        while let Some((text, newline)) = input.read_line() {
            any = true;
            complete = newline;
            if !raw && text.ends_with('\\') && newline {
                line.push_str(&unescape_read(&text[..text.len() - 1]));
                continue;
            }
            line.push_str(&if raw { text } else { unescape_read(&text) });
            break;
        }
        if names.is_empty() {
            self.variables.insert("REPLY".into(), line);
        } else {
            let fields = builtins::split_read(&line, names.len(), &self.ifs());
            for (name, value) in names.into_iter().zip(fields) {
                self.variables.insert(name, value);
            }
        }
        Outcome { exit_code: i32::from(!(any && complete)), ..Outcome::default() }
    }

    /// `xargs [-n N] [-I R] [-L N] [-r] [-t] [command [args…]]`.
    fn xargs(&mut self, args: &[String], input: &mut Input, backend: &mut dyn Backend) -> Outcome {
        let mut per_call: Option<usize> = None;
        let mut replace: Option<String> = None;
        let mut no_run_if_empty = false;
        let mut trace = false;
        let mut lines = false;
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            let value = |i: usize| args.get(i + 1).cloned();
            match arg.as_str() {
                "-n" | "-L" | "-P" | "-I" | "-d" | "-s" => {
                    let Some(v) = value(index) else {
                        return failure(
                            format!("xargs: option requires an argument -- '{}'\n", &arg[1..]),
                            1,
                        );
                    };
                    match arg.as_str() {
                        "-n" | "-L" => match v.parse::<usize>() {
                            Ok(n) if n > 0 => {
                                per_call = Some(n);
                                lines = arg == "-L";
                            }
                            _ => {
                                return failure(
                                    format!("xargs: invalid number \"{v}\" for -{} option\n", &arg[1..]),
                                    1,
                                )
                            }
                        },
                        "-I" => replace = Some(v),
                        "-d" => return failure("xargs: -d: this console does not support it\n".into(), 1),
                        _ => {}
                    }
                    index += 2;
                }
                "-r" | "--no-run-if-empty" => {
                    no_run_if_empty = true;
                    index += 1;
                }
                "-t" => {
                    trace = true;
                    index += 1;
                }
                "-0" => return failure("xargs: -0: this console does not support it\n".into(), 1),
                flag if flag.starts_with("-n") && flag.len() > 2 => {
                    per_call = flag[2..].parse().ok().filter(|n| *n > 0);
                    index += 1;
                }
                flag if flag.starts_with("-I") && flag.len() > 2 => {
                    replace = Some(flag[2..].to_string());
                    index += 1;
                }
                flag if flag.starts_with('-') && flag != "-" => {
                    return failure(
                        format!("xargs: invalid option -- '{}'\n", flag.trim_start_matches('-')),
                        1,
                    )
                }
                _ => break,
            }
        }
        let command: Vec<String> =
            if index < args.len() { args[index..].to_vec() } else { vec!["echo".into()] };
        let text = input.take_rest();
        let mut out = Outcome::default();
        let calls: Vec<Vec<String>> = if let Some(marker) = &replace {
            text.lines()
                .map(|l| l.trim_start())
                .filter(|l| !l.is_empty())
                .map(|line| command.iter().map(|w| w.replace(marker.as_str(), line)).collect())
                .collect()
        } else {
            let items: Vec<Vec<String>> = if lines {
                text.lines().filter(|l| !l.trim().is_empty()).map(xargs_items).collect()
            } else {
                xargs_items(&text).into_iter().map(|i| vec![i]).collect()
            };
            if items.is_empty() {
                if no_run_if_empty {
                    Vec::new()
                } else {
                    vec![command.clone()]
                }
            } else {
                let size = per_call.unwrap_or(usize::MAX);
                items
                    .chunks(size)
                    .map(|chunk| command.iter().cloned().chain(chunk.iter().flatten().cloned()).collect())
                    .collect()
            }
        };
        for call in calls {
            let Some((name, call_args)) = call.split_first() else { continue };
            if trace {
                out.stderr.push_str(&format!("{}\n", call.join(" ")));
            }
            let runnable = !matches!(
                name.as_str(),
                "exit"
                    | "return"
                    | "break"
                    | "continue"
                    | "set"
                    | "export"
                    | "local"
                    | "read"
                    | "unset"
                    | "shift"
                    | "cd"
            ) && !self.functions.contains_key(name);
            let result = if runnable {
                self.builtin(name, call_args, &mut Input::default(), backend).unwrap_or_else(|| {
                    self.utility(name, call_args, "", backend.now_ms()).unwrap_or_else(|| {
                        failure(format!("xargs: {name}: No such file or directory\n"), 127)
                    })
                })
            } else {
                failure(format!("xargs: {name}: No such file or directory\n"), 127)
            };
            out.stdout.push_str(&result.stdout);
            out.stderr.push_str(&result.stderr);
            match result.exit_code {
                0 => {}
                127 => {
                    out.exit_code = 127;
                    return out;
                }
                255 => {
                    out.stderr.push_str(&format!("xargs: {name}: exited with status 255; aborting\n"));
                    out.exit_code = 124;
                    return out;
                }
                _ => out.exit_code = 123,
            }
        }
        out
    }

    /// `set -e`, `-u`, `-x`, `-o pipefail` (combined, or undone with `+`) and `set -- args`.
    fn set(&mut self, args: &[String]) -> Outcome {
        let mut words = args.iter();
        while let Some(word) = words.next() {
            if word == "--" {
                self.positional = words.cloned().collect();
                break;
            }
            // By prefix, not by byte offset: a word may start with any character (fuzzing found
            // `set Ҋ0` splitting inside a two-byte character).
            let (on, letters) = match (word.strip_prefix('-'), word.strip_prefix('+')) {
                (Some(letters), _) => (true, letters),
                (None, Some(letters)) => (false, letters),
                (None, None) => {
                    self.positional = std::iter::once(word).chain(words).cloned().collect();
                    break;
                }
            };
            for letter in letters.chars() {
                match letter {
                    'e' => self.options.errexit = on,
                    'u' => self.options.nounset = on,
                    'x' => self.options.xtrace = on,
                    'o' => match words.next().map(String::as_str) {
                        Some("pipefail") => self.options.pipefail = on,
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

    /// `export NAME=value …`, `readonly …`, `local …` (saved to be restored when the function returns).
    fn export(&mut self, builtin: &str, words: &[String], local: bool) -> Outcome {
        if local && self.locals.is_empty() {
            return failure("local: can only be used in a function\n".into(), 1);
        }
        let mut outcome = Outcome::default();
        for text in words.iter().filter(|w| !w.starts_with('-')) {
            let (name, value) = match text.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (text.clone(), None),
            };
            if !is_name(&name) {
                outcome.stderr.push_str(&format!("{builtin}: `{text}': not a valid identifier\n"));
                outcome.exit_code = 1;
                continue;
            }
            if local {
                let old = self.variables.get(&name).cloned();
                if let Some(level) = self.locals.last_mut() {
                    if !level.iter().any(|(n, _)| *n == name) {
                        level.push((name.clone(), old));
                    }
                }
                self.variables.insert(name, value.unwrap_or_default());
            } else if let Some(value) = value {
                self.variables.insert(name, value);
            }
        }
        outcome
    }

    fn double_bracket(&mut self, tokens: &[TestToken], backend: &mut dyn Backend) -> Outcome {
        let mut acc = Acc::default();
        let mut args = Vec::new();
        let mut previous_is_match = false;
        for token in tokens {
            match token {
                TestToken::Operator(op) => {
                    args.push(TestArg { text: (*op).to_string(), pattern: None, operator: true });
                    previous_is_match = false;
                }
                TestToken::Word(word) => {
                    let Ok(text) = self.joined(word, backend, &mut acc) else {
                        return failure(acc.stderr, 1);
                    };
                    let pattern = if previous_is_match {
                        let Ok(pattern) = self.pattern(word, backend, &mut acc) else {
                            return failure(acc.stderr, 1);
                        };
                        Some(pattern)
                    } else {
                        None
                    };
                    previous_is_match = matches!(text.as_str(), "==" | "=" | "!=");
                    args.push(TestArg { text, pattern, operator: false });
                }
            }
        }
        if self.options.xtrace {
            let words: Vec<String> =
                args.iter().map(|a| if a.operator { a.text.clone() } else { shell_quote(&a.text) }).collect();
            acc.stderr.push_str(&format!("+ [[ {} ]]\n", words.join(" ")));
        }
        let fs = &self.fs;
        match builtins::test(&args, true, &|path| fs.exists(path)) {
            Ok(value) => Outcome { stderr: acc.stderr, exit_code: i32::from(!value), ..Outcome::default() },
            Err(message) => failure(format!("{}[[: {message}\n", acc.stderr), 2),
        }
    }

    // ----- expansion ----------------------------------------------------------------------

    /// A fatal expansion error: the message, then the shell exits with status 1.
    fn fatal(&mut self, acc: &mut Acc, message: String) -> Result<Vec<Piece>, ()> {
        acc.stderr.push_str(&message);
        self.control = Some(Control::Exit(1));
        Err(())
    }

    fn pieces(&mut self, word: &Word, backend: &mut dyn Backend, acc: &mut Acc) -> Result<Vec<Piece>, ()> {
        let mut pieces = Vec::new();
        for part in &word.parts {
            match part {
                WordPart::Literal { text, quoted } => pieces.push(Piece {
                    text: text.clone(),
                    quoted: *quoted,
                    expanded: false,
                    field_break: false,
                }),
                WordPart::Param { name, op, quoted } => {
                    pieces.extend(self.param(name, op, *quoted, backend, acc)?)
                }
                WordPart::CommandSubstitution { script, quoted } => {
                    let inner = self.substitute(script, backend);
                    acc.stderr.push_str(&inner.stderr);
                    acc.status = inner.exit_code;
                    pieces.push(Piece::new(inner.stdout.trim_end_matches('\n').to_string(), *quoted));
                }
                WordPart::Arithmetic { expression, quoted } => {
                    let text = self.joined(expression, backend, acc)?;
                    match arith::evaluate(&text, self) {
                        Ok(value) => pieces.push(Piece::new(value.to_string(), *quoted)),
                        Err(message) => return self.fatal(acc, format!("{}: {message}\n", text.trim())),
                    }
                }
            }
        }
        Ok(pieces)
    }

    fn param(
        &mut self,
        name: &str,
        op: &ParamOp,
        quoted: bool,
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<Vec<Piece>, ()> {
        let value = self.param_value(name);
        let unset = |colon: bool| value.as_deref().is_none_or(|v| colon && v.is_empty());
        let check_bound = |this: &mut Self, acc: &mut Acc| -> Result<String, ()> {
            match &value {
                Some(v) => Ok(v.clone()),
                None if this.options.nounset && !matches!(name, "@" | "*") => {
                    this.fatal(acc, format!("{name}: unbound variable\n")).map(|_| String::new())
                }
                None => Ok(String::new()),
            }
        };
        let one = |text: String| vec![Piece::new(text, quoted)];
        Ok(match op {
            ParamOp::Plain if name == "@" && quoted => self
                .positional
                .iter()
                .enumerate()
                .map(|(i, p)| Piece { text: p.clone(), quoted: true, expanded: true, field_break: i > 0 })
                .collect(),
            ParamOp::Plain => one(check_bound(self, acc)?),
            ParamOp::Length => one(check_bound(self, acc)?.chars().count().to_string()),
            ParamOp::Default { colon, word } => {
                if unset(*colon) {
                    self.pieces(word, backend, acc)?
                } else {
                    one(value.clone().unwrap_or_default())
                }
            }
            ParamOp::Assign { colon, word } => {
                if unset(*colon) {
                    let text = self.joined(word, backend, acc)?;
                    self.variables.insert(name.to_string(), text.clone());
                    one(text)
                } else {
                    one(value.clone().unwrap_or_default())
                }
            }
            ParamOp::Error { colon, word } => {
                if unset(*colon) {
                    let message = self.joined(word, backend, acc)?;
                    let message =
                        if message.is_empty() { "parameter null or not set".to_string() } else { message };
                    return self.fatal(acc, format!("{name}: {message}\n"));
                }
                one(value.clone().unwrap_or_default())
            }
            ParamOp::Alternative { colon, word } => {
                if unset(*colon) {
                    Vec::new()
                } else {
                    self.pieces(word, backend, acc)?
                }
            }
            ParamOp::RemovePrefix { longest, pattern } | ParamOp::RemoveSuffix { longest, pattern } => {
                let text = check_bound(self, acc)?;
                let pattern = self.pattern(pattern, backend, acc)?;
                let prefix = matches!(op, ParamOp::RemovePrefix { .. });
                one(glob::remove(&pattern, &text, prefix, *longest))
            }
            ParamOp::Replace { mode, pattern, replacement } => {
                let text = check_bound(self, acc)?;
                let pattern = self.pattern(pattern, backend, acc)?;
                let replacement = self.joined(replacement, backend, acc)?;
                let anchor = match mode {
                    ReplaceMode::Prefix => Some(true),
                    ReplaceMode::Suffix => Some(false),
                    _ => None,
                };
                one(glob::replace(&pattern, &text, &replacement, *mode == ReplaceMode::All, anchor))
            }
            ParamOp::Substring { offset, length } => {
                let text = check_bound(self, acc)?;
                let chars: Vec<char> = text.chars().collect();
                let n = chars.len() as i64;
                let offset_text = self.joined(offset, backend, acc)?;
                let start = match arith::evaluate(&offset_text, self) {
                    Ok(v) => v,
                    Err(message) => return self.fatal(acc, format!("{offset_text}: {message}\n")),
                };
                let start = if start < 0 { (n + start).max(0) } else { start.min(n) };
                let end = match length {
                    Some(length) => {
                        let length_text = self.joined(length, backend, acc)?;
                        let length = match arith::evaluate(&length_text, self) {
                            Ok(v) => v,
                            Err(message) => return self.fatal(acc, format!("{length_text}: {message}\n")),
                        };
                        if length < 0 {
                            let end = n + length;
                            if end < start {
                                return self.fatal(acc, format!("{length_text}: substring expression < 0\n"));
                            }
                            end
                        } else {
                            (start + length).min(n)
                        }
                    }
                    None => n,
                };
                one(chars[start as usize..end as usize].iter().collect())
            }
            ParamOp::Case { upper, all } => {
                let text = check_bound(self, acc)?;
                let convert = |c: char| {
                    if *upper {
                        c.to_uppercase().collect::<String>()
                    } else {
                        c.to_lowercase().collect()
                    }
                };
                let mut chars = text.chars();
                let converted = if *all {
                    chars.map(convert).collect()
                } else {
                    chars.next().map(convert).unwrap_or_default() + chars.as_str()
                };
                one(converted)
            }
        })
    }

    /// Expands words into fields: unquoted expansions are split on IFS, as the shell does.
    fn fields(
        &mut self,
        words: &[Word],
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<Vec<String>, ()> {
        let ifs = self.ifs();
        let is_ifs = |c: char| ifs.contains(c);
        let is_ws = |c: char| ifs.contains(c) && c.is_whitespace();
        let mut fields = Vec::new();
        for word in words {
            let pieces = self.pieces(word, backend, acc)?;
            let mut current: Option<String> = None;
            for piece in pieces {
                if piece.field_break {
                    fields.extend(current.take());
                }
                if piece.quoted || !piece.expanded {
                    current.get_or_insert_with(String::new).push_str(&piece.text);
                    continue;
                }
                let chars: Vec<char> = piece.text.chars().collect();
                let mut i = 0;
                while i < chars.len() {
                    if is_ifs(chars[i]) {
                        let mut j = i;
                        while j < chars.len() && is_ws(chars[j]) {
                            j += 1;
                        }
                        let hard = j < chars.len() && is_ifs(chars[j]) && !is_ws(chars[j]);
                        if hard {
                            j += 1;
                            while j < chars.len() && is_ws(chars[j]) {
                                j += 1;
                            }
                            fields.push(current.take().unwrap_or_default());
                        } else {
                            fields.extend(current.take());
                        }
                        i = j;
                    } else {
                        current.get_or_insert_with(String::new).push(chars[i]);
                        i += 1;
                    }
                }
            }
            fields.extend(current);
        }
        Ok(fields)
    }

    /// Expands a word without field splitting (`NAME=value`, redirection targets, `case`).
    fn joined(&mut self, word: &Word, backend: &mut dyn Backend, acc: &mut Acc) -> Result<String, ()> {
        let pieces = self.pieces(word, backend, acc)?;
        let mut text = String::new();
        for piece in pieces {
            if piece.field_break {
                text.push(' ');
            }
            text.push_str(&piece.text);
        }
        Ok(text)
    }

    /// Expands a pattern word: quoted text matches itself only.
    fn pattern(&mut self, word: &Word, backend: &mut dyn Backend, acc: &mut Acc) -> Result<String, ()> {
        let pieces = self.pieces(word, backend, acc)?;
        Ok(pieces.iter().map(|p| if p.quoted { glob::escape(&p.text) } else { p.text.clone() }).collect())
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
}

/// `read` without `-r`: a backslash keeps the next character.
fn unescape_read(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// xargs' items: blank-separated, with '…', "…" and backslash quoting.
fn xargs_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => items.extend(current.take()),
            '\'' | '"' => {
                let item = current.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    item.push(q);
                }
            }
            '\\' => {
                if let Some(next) = chars.next() {
                    current.get_or_insert_with(String::new).push(next);
                }
            }
            c => current.get_or_insert_with(String::new).push(c),
        }
    }
    items.extend(current);
    items
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
