//! `awk [-F FS] [-v VAR=VALUE]... 'PROGRAM' [FILE]...`: the part of POSIX awk that one-liners
//! over CLI output use. Hand-written because no maintained awk implementation in Rust is a
//! library that builds for wasm32 (frawk compiles through LLVM/Cranelift; the others are
//! programs, not crates one can call with a string and get a string back).
//!
//! The subset: `BEGIN`/`END`, patterns (`/re/`, expressions, `!`, `&&`, `||`), actions with
//! `print` (commas join with OFS; `> file` and `>> file` write session files), `printf`,
//! assignments (`=`, `+=`, … `++`, `--`), fields (`$1`, `$NF`, assigning rebuilds `$0`), `NR`,
//! `NF`, `FNR`, `FS`, `OFS`, `ORS`, `FILENAME`, `RSTART`, `RLENGTH`, associative arrays with
//! `for (k in a)`, `(k in a)` and `delete`, `if`/`else`, `while`, `do`, `for`, `next`, `exit`,
//! `break`, `continue`, string concatenation, `~`/`!~`, `?:`, and the functions `length`,
//! `substr`, `index`, `split`, `sub`, `gsub`, `match`, `sprintf`, `tolower`, `toupper`, `int`,
//! `sqrt`, `exp`, `log`. Not run: user-defined functions, `getline`, `system`, pipes to
//! commands, range patterns; the program is refused with a message saying which.

use super::pattern::{self};
use super::{split_lines, UtilIo};
use lexer::lex;
use machine::{Flow, Machine};
use parser::{Parser, Pattern, Stmt};
use std::collections::HashMap;
use value::Value;

mod functions;
mod lexer;
mod machine;
mod parser;
mod value;

/// Backslash escapes in `-v` values and `-F`, as awk processes string literals (the common
/// escapes only: `\a`, `\b`, `\f` and `\v` stay as written here, as they always have). Not
/// `builtins::backslash_escapes`: `echo -e` and `printf %b` also read `\e`, `\0NNN` and `\c`
/// (stop the output) and do not take `\"` or `\/`, so the two tables really differ.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(other) => match lexer::escaped(other) {
                Some(unescaped) => out.push(unescaped),
                None => {
                    out.push('\\');
                    out.push(other);
                }
            },
            None => out.push('\\'),
        }
    }
    out
}

/// `awk`.
pub fn awk(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let mut field_separator: Option<String> = None;
    let mut assignments: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    let usage = "usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]";
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            i += 1;
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            break;
        }
        let (flag, attached) = arg.split_at(2.min(arg.len()));
        let mut value = || -> Option<String> {
            if !attached.is_empty() {
                Some(attached.to_string())
            } else {
                i += 1;
                args.get(i).cloned()
            }
        };
        match flag {
            "-F" => match value() {
                Some(fs) => field_separator = Some(if fs == "t" { "\t".into() } else { unescape(&fs) }),
                None => {
                    io.stderr.push_str(&format!("awk: option requires an argument -- 'F'\n{usage}\n"));
                    return 2;
                }
            },
            "-v" => {
                match value().and_then(|a| a.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))) {
                    Some((name, v)) => assignments.push((name, unescape(&v))),
                    None => {
                        io.stderr.push_str(&format!("awk: improper assignment: -v\n{usage}\n"));
                        return 2;
                    }
                }
            }
            "-f" => {
                io.stderr.push_str("awk: -f progfile is not supported by this console's awk\n");
                return 2;
            }
            _ => {
                io.stderr.push_str(&format!("awk: not an option: {arg}\n{usage}\n"));
                return 2;
            }
        }
        i += 1;
    }
    let Some(source) = args.get(i) else {
        io.stderr.push_str(&format!("{usage}\n"));
        return 2;
    };
    let operands: Vec<String> = args[i + 1..].to_vec();
    let tokens = match lex(source) {
        Ok(tokens) => tokens,
        Err(message) => {
            io.stderr.push_str(&format!("awk: {message}\n"));
            return 2;
        }
    };
    let mut parser = Parser { tokens, at: 0, regexes: Vec::new() };
    let items = match parser.program() {
        Ok(items) => items,
        Err(message) => {
            io.stderr.push_str(&format!("awk: {message}\n awk: program: {source}\n"));
            return 2;
        }
    };
    let mut regexes = Vec::new();
    for source in &parser.regexes {
        match pattern::translate(source, true).and_then(|t| pattern::compile(&t, false)) {
            Ok(re) => regexes.push(re),
            Err(message) => {
                io.stderr.push_str(&format!("awk: regular expression /{source}/: {message}\n"));
                return 2;
            }
        }
    }
    let mut machine = Machine {
        io,
        vars: HashMap::new(),
        arrays: HashMap::new(),
        order: HashMap::new(),
        regexes,
        dynamic: HashMap::new(),
        record: String::new(),
        fields: Vec::new(),
        exit_code: 0,
        error: None,
    };
    for (name, value) in [("FS", " "), ("OFS", " "), ("ORS", "\n"), ("SUBSEP", "\x1c"), ("RS", "\n")] {
        machine.vars.insert(name.into(), Value::Str(value.into()));
    }
    machine.vars.insert("NR".into(), Value::Num(0.0));
    machine.vars.insert("FNR".into(), Value::Num(0.0));
    if let Some(fs) = field_separator {
        machine.vars.insert("FS".into(), Value::Str(fs));
    }
    for (name, value) in assignments {
        machine.vars.insert(name, Value::StrNum(value));
    }
    let status = execute(&mut machine, &items, &operands);
    if let Some(message) = machine.error.take() {
        machine.io.stderr.push_str(&format!("awk: {message}\n"));
        return 2;
    }
    status
}

fn execute(
    machine: &mut Machine<'_, '_>,
    items: &[(Pattern, Option<Vec<Stmt>>)],
    operands: &[String],
) -> i32 {
    let mut exiting = false;
    for (pattern, action) in items {
        if let (Pattern::Begin, Some(action)) = (pattern, action) {
            if matches!(machine.run_block(action), Flow::Exit) {
                exiting = true;
                break;
            }
            if machine.error.is_some() {
                return 2;
            }
        }
    }
    let has_main = items.iter().any(|(p, _)| matches!(p, Pattern::All | Pattern::Expr(_)));
    let has_end = items.iter().any(|(p, _)| matches!(p, Pattern::End));
    let mut status = 0;
    if !exiting && (has_main || has_end) {
        let files: Vec<String> = operands.iter().filter(|o| !o.contains('=')).cloned().collect();
        let files = if files.is_empty() { vec!["-".to_string()] } else { files };
        'files: for file in files {
            let text = match machine.io.read(&file) {
                Ok(text) => text,
                Err(_) => {
                    machine
                        .io
                        .stderr
                        .push_str(&format!("awk: cannot open \"{file}\" (No such file or directory)\n"));
                    status = 2;
                    continue;
                }
            };
            machine.vars.insert(
                "FILENAME".into(),
                Value::Str(if file == "-" { String::new() } else { file.clone() }),
            );
            machine.vars.insert("FNR".into(), Value::Num(0.0));
            for line in split_lines(&text) {
                let nr = machine.var("NR").num() + 1.0;
                machine.vars.insert("NR".into(), Value::Num(nr));
                let fnr = machine.var("FNR").num() + 1.0;
                machine.vars.insert("FNR".into(), Value::Num(fnr));
                machine.set_record(line);
                for (pattern, action) in items {
                    let selected = match pattern {
                        Pattern::Begin | Pattern::End => continue,
                        Pattern::All => true,
                        Pattern::Expr(expr) => machine.eval(expr).truthy(),
                    };
                    if machine.error.is_some() {
                        return 2;
                    }
                    if !selected {
                        continue;
                    }
                    let flow = match action {
                        Some(action) => machine.run_block(action),
                        None => {
                            let mut line = machine.record.clone();
                            line.push_str(&machine.str_var("ORS"));
                            machine.io.stdout.push_str(&line);
                            Flow::Normal
                        }
                    };
                    if machine.error.is_some() {
                        return 2;
                    }
                    match flow {
                        Flow::Next => break,
                        Flow::Exit => {
                            exiting = true;
                            break 'files;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let _ = exiting;
    // END runs after `exit` in the main rules too (but an `exit` inside END ends it).
    for (pattern, action) in items {
        if let (Pattern::End, Some(action)) = (pattern, action) {
            if matches!(machine.run_block(action), Flow::Exit) {
                break;
            }
        }
    }
    if machine.exit_code != 0 {
        machine.exit_code
    } else {
        status
    }
}
