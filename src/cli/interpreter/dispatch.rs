//! A command name to what runs it: the session's functions, the shell builtins that need the
//! interpreter's state (`read`, `set`, `export`, `xargs`, `[[ … ]]`), then the text utilities.
//! Apart from the pipeline code because each builtin is its own small rule of bash's, and a
//! reader looking for one looks here.

use super::aws::sim;
use super::frames::{frameable, Frame};
use super::{failure, shell_quote, success, Acc, Control, Input, Interpreter, Outcome};
use crate::cli::backend::Backend;
use crate::cli::builtins::{self, TestArg};
use crate::cli::script::{is_name, TestToken};
use crate::cli::utils;

impl Interpreter {
    /// Runs one command by name: a function, a builtin or a text utility.
    pub(super) fn dispatch(
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
    pub(super) fn utility(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &str,
        now_ms: u64,
    ) -> Option<Outcome> {
        let mut io =
            utils::UtilIo { stdin, stdout: String::new(), stderr: String::new(), fs: &mut self.fs, now_ms };
        let status = utils::run_utility(name, args, &mut io)?;
        Some(Outcome { stdout: io.stdout, stderr: io.stderr, exit_code: status })
    }

    /// The builtins; `None` when `name` is not one.
    pub(super) fn builtin(
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

    pub(super) fn test_builtin(&self, name: &str, args: &[String]) -> Outcome {
        let args: Vec<TestArg> =
            args.iter().map(|a| TestArg { text: a.clone(), pattern: None, operator: false }).collect();
        let fs = &self.fs;
        match builtins::test(&args, false, &|path| fs.exists(path)) {
            Ok(value) => Outcome { exit_code: i32::from(!value), ..Outcome::default() },
            Err(message) => failure(format!("{name}: {message}\n"), 2),
        }
    }

    pub(super) fn printf(&mut self, args: &[String]) -> Outcome {
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
    pub(super) fn read(&mut self, args: &[String], input: &mut Input) -> Outcome {
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
    pub(super) fn xargs(&mut self, args: &[String], input: &mut Input, backend: &mut dyn Backend) -> Outcome {
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
    pub(super) fn set(&mut self, args: &[String]) -> Outcome {
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
    pub(super) fn export(&mut self, builtin: &str, words: &[String], local: bool) -> Outcome {
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

    pub(super) fn double_bracket(&mut self, tokens: &[TestToken], backend: &mut dyn Backend) -> Outcome {
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
}

/// `read` without `-r`: a backslash keeps the next character.
pub(super) fn unescape_read(text: &str) -> String {
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
pub(super) fn xargs_items(text: &str) -> Vec<String> {
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
