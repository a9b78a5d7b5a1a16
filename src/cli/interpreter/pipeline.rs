//! Running one pipeline or command whole: pipes, subshells, `$(…)`, and the redirections that
//! route a command's output into the session's files. Separate from the frames because nothing
//! here may stop half-way: what runs inside a pipeline or a substitution runs to its end.

use super::frames::{list_frame, Frame, Machine};
use super::{failure, shell_quote, Acc, Control, Input, Interpreter, Outcome, Redir, Target, MAX_NESTING};
use crate::cli::arith;
use crate::cli::backend::Backend;
use crate::cli::script::{Command, Compound, Pipeline, Redirect, RedirectKind, Script, SimpleCommand, Word};
use std::rc::Rc;

impl Interpreter {
    pub(super) fn run_pipeline(
        &mut self,
        pipeline: &Pipeline,
        stdin: &mut Input,
        backend: &mut dyn Backend,
    ) -> Outcome {
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
                let mut own = None;
                let input = Input::own_or(previous.take(), stdin, &mut own);
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

    pub(super) fn run_command(
        &mut self,
        command: &Command,
        stdin: &mut Input,
        backend: &mut dyn Backend,
    ) -> Outcome {
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
                let mut own = None;
                let input = Input::own_or(redir.input.clone(), stdin, &mut own);
                let inner = self.run_compound(compound, input, backend);
                self.route(inner, &redir, &mut out);
                out
            }
        }
    }

    pub(super) fn run_compound(
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
    pub(super) fn run_nested(
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
    pub(super) fn substitute(&mut self, script: &Script, backend: &mut dyn Backend) -> Outcome {
        self.trace_depth += 1;
        let status = self.last_status;
        let outcome =
            self.run_nested(vec![list_frame(&script.items, false)], &mut Input::default(), true, backend);
        self.last_status = status;
        self.trace_depth -= 1;
        outcome
    }

    pub(super) fn run_simple(
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
        let mut own = None;
        let input = Input::own_or(redir.input.clone(), stdin, &mut own);
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

    pub(super) fn open_redirects(
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

    pub(super) fn apply_redirect(
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

    pub(super) fn route(&mut self, result: Outcome, redir: &Redir, out: &mut Outcome) {
        for (text, target) in [(result.stdout, &redir.out), (result.stderr, &redir.err)] {
            match target {
                Target::Stdout => out.stdout.push_str(&text),
                Target::Stderr => out.stderr.push_str(&text),
                Target::File(path) => self.fs.append(path, &text),
            }
        }
        out.exit_code = result.exit_code;
    }
}
