//! `jq`: the jq language through jaq (jaq-core, jaq-std, jaq-json), a maintained jq
//! implementation in Rust that builds for wasm32; this module is jq 1.6's command line around
//! it: its options, its output format (2-space indent, keys in input order, jq's number
//! formatting), its error texts and exit statuses (2 usage or unreadable input, 3 compile error,
//! 5 runtime error of the last input, 1/4 with `-e` on false-or-null / no output).
//!
//! jaq's own messages differ from jq's; the common ones (indexing, iterating, arithmetic on the
//! wrong types, `error(...)`) are reworded into jq's, the rest are passed through. The filters
//! that touch the host (`now`, `env`, `halt`, `debug`, `stderr`) are replaced: `now` is the
//! simulated clock, `env` an empty object, and the others write to this command's streams
//! instead of the process's. `@csv` and `@tsv`, which jaq leaves out, are defined here.
//!
//! Known differences from jq 1.6: numbers beyond the double range (`1e1000`) are refused by the
//! JSON reader instead of clamped; jaq cannot assign through missing nested paths (`{} | .a.b =
//! 1` is an error); input parse errors other than bare words and an early end are worded by
//! serde_json; a program that never ends (`repeat(1)`, `def f: f; f`) is not stopped, since jaq
//! has no step limit — in the browser that freezes the tab, as the same program would in a shell.

use super::UtilIo;
use errors::runtime_error;
use input::{location, parse_stream, to_val};
use jaq_core::{Ctx, Vars};
use jaq_json::Val;
use jaq_std::input::RcIter;
use options::{fs_reason, parse_options, ArgsError};
use print::print_value;
use program::{compile, Data, Kind};
use serde_json::Value;
use std::cell::{Cell, RefCell};

mod errors;
mod input;
mod options;
mod print;
mod program;

const HELP_HINT: &str = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n";

/// jq's exit statuses.
const EXIT_USAGE: i32 = 2;
const EXIT_COMPILE: i32 = 3;
const EXIT_NO_OUTPUT: i32 = 4;
const EXIT_RUNTIME: i32 = 5;

/// `jq [OPTIONS] FILTER [FILES...]`.
pub fn jq(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let options = match parse_options(args, io) {
        Ok(options) => options,
        Err(ArgsError::Usage(message)) => {
            io.stderr.push_str(&format!("{message}\n{HELP_HINT}"));
            return EXIT_USAGE;
        }
        Err(ArgsError::Plain(text, -1)) => {
            io.stdout.push_str(&text);
            return 0;
        }
        Err(ArgsError::Plain(text, status)) => {
            io.stderr.push_str(&text);
            return status;
        }
    };
    let mut names: Vec<String> = options.named.iter().map(|(k, _)| k.clone()).collect();
    names.push("ENV".into());
    names.push("__prog_args".into());
    names.push("ARGS".into());
    let filter = match compile(&options.program, &names) {
        Ok(filter) => filter,
        Err(text) => {
            io.stderr.push_str(&text);
            return EXIT_COMPILE;
        }
    };
    let named_object =
        Val::obj(options.named.iter().map(|(k, v)| (Val::from(k.clone()), v.clone())).collect());
    let args_value = Val::obj(
        [
            (Val::from("positional".to_string()), options.positional.iter().cloned().collect()),
            (Val::from("named".to_string()), named_object),
        ]
        .into_iter()
        .collect(),
    );
    let mut var_values: Vec<Val> = options.named.iter().map(|(_, v)| v.clone()).collect();
    var_values.push(Val::obj(Default::default()));
    var_values.push(Val::Null);
    var_values.push(args_value);

    // Inputs: each file (or standard input) in turn, with where each value ended.
    let mut inputs: Vec<(Val, String)> = Vec::new();
    let mut read_failed = false;
    let mut parse_error: Option<String> = None;
    let sources = if options.files.is_empty() { vec!["-".to_string()] } else { options.files.clone() };
    let mut raw_all = String::new();
    for source in &sources {
        let text = match io.read(source) {
            Ok(text) => text,
            Err(e) => {
                io.stderr.push_str(&format!("jq: error: Could not open file {source}: {}\n", fs_reason(&e)));
                read_failed = true;
                continue;
            }
        };
        let name = if source == "-" { "<stdin>".to_string() } else { source.clone() };
        if options.raw_input {
            if options.slurp {
                raw_all.push_str(&text);
            } else {
                for (n, line) in text.split_inclusive('\n').enumerate() {
                    let line = line.strip_suffix('\n').unwrap_or(line);
                    inputs.push((Val::from(line.to_string()), format!("{name}:{}", n + 1)));
                }
            }
            continue;
        }
        match parse_stream(&text) {
            Ok(values) => {
                for (value, end) in values {
                    inputs.push((to_val(&value), format!("{name}:{}", location(&text, end))));
                }
            }
            Err(error) => {
                // The values before the bad text still run, as jq streams them.
                let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
                while let Some(Ok(value)) = stream.next() {
                    inputs
                        .push((to_val(&value), format!("{name}:{}", location(&text, stream.byte_offset()))));
                }
                parse_error = Some(error.message);
                break;
            }
        }
    }
    if options.raw_input && options.slurp {
        inputs = vec![(Val::from(raw_all), "<stdin>:0".into())];
    } else if options.slurp && parse_error.is_none() {
        let all: Val = inputs.drain(..).map(|(v, _)| v).collect();
        inputs = vec![(all, "<stdin>:0".into())];
    }

    let stderr = RefCell::new(String::new());
    let halted = Cell::new(None);
    let mut status = 0;
    let mut last_output: Option<Val> = None;
    let locations: Vec<String> = inputs.iter().map(|(_, l)| l.clone()).collect();
    let values: Vec<Val> = inputs.into_iter().map(|(v, _)| v).collect();
    let current = Cell::new(0usize);
    {
        let queue = values.into_iter().map(|v| {
            current.set(current.get() + 1);
            Ok::<Val, String>(v)
        });
        let boxed: Box<dyn Iterator<Item = Result<Val, String>> + '_> = Box::new(queue);
        let rc_inputs = RcIter::new(boxed);
        let data = Data {
            lut: &filter.lut,
            inputs: &rc_inputs,
            now_seconds: io.now_ms as f64 / 1000.0,
            stderr: &stderr,
            halted: &halted,
        };
        let vars = Vars::new(var_values);
        let ctx = Ctx::<Kind>::new(&data, vars);
        let next_input = |null: bool| -> Option<(Val, String)> {
            if null {
                return Some((Val::Null, "<unknown>".into()));
            }
            let value = (&rc_inputs).next()?.ok()?;
            let at = locations.get(current.get().saturating_sub(1)).cloned().unwrap_or_default();
            Some((value, at))
        };
        let mut first = true;
        loop {
            let Some((input, at)) = next_input(options.null_input && first) else { break };
            first = false;
            let at = if options.null_input { "<unknown>".to_string() } else { at };
            status = 0;
            for output in filter.id.run((ctx.clone(), input)) {
                match jaq_core::unwrap_valr(output) {
                    Ok(value) => {
                        print_value(&value, &options.format, &mut io.stdout);
                        last_output = Some(value);
                    }
                    Err(error) => {
                        io.stderr.push_str(&std::mem::take(&mut *stderr.borrow_mut()));
                        if halted.get().is_some() {
                            break;
                        }
                        io.stderr.push_str(&runtime_error(&error, &at));
                        status = EXIT_RUNTIME;
                        break;
                    }
                }
                io.stderr.push_str(&std::mem::take(&mut *stderr.borrow_mut()));
            }
            io.stderr.push_str(&std::mem::take(&mut *stderr.borrow_mut()));
            if halted.get().is_some() || options.null_input {
                break;
            }
        }
    }
    io.stderr.push_str(&stderr.into_inner());
    if let Some(code) = halted.get() {
        return code;
    }
    if let Some(message) = parse_error {
        io.stderr.push_str(&format!("parse error: {message}\n"));
        return EXIT_NO_OUTPUT;
    }
    if read_failed {
        return EXIT_USAGE;
    }
    if status != 0 {
        return status;
    }
    if options.exit_status {
        return match last_output {
            None => EXIT_NO_OUTPUT,
            Some(Val::Null | Val::Bool(false)) => 1,
            Some(_) => 0,
        };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::print::format_number;
    use super::*;

    #[test]
    fn numbers_print_as_jq_1_6_prints_them() {
        // echo '[1.0, 3.14, 1e1000, 100000000000000000000, 1e17, 12345678901234567, 0.1, 1e-5,
        //   0.00001234, -0, 1.5e300, 2e-7, 123456.789e3, 1e16, 1e-7]' | jq -c .
        let cases = [
            (1.0, "1"),
            (2.5, "2.5"),
            (1e20, "1e+20"),
            (1e17, "1e+17"),
            (12345678901234567.0, "12345678901234568"),
            (0.1, "0.1"),
            (1e-5, "1e-05"),
            (0.00001234, "1.234e-05"),
            (-0.0, "-0"),
            (1.5e300, "1.5e+300"),
            (2e-7, "2e-07"),
            (123456789.0, "123456789"),
            (1e16, "1e+16"),
            (f64::INFINITY, "1.7976931348623157e+308"),
        ];
        for (value, text) in cases {
            assert_eq!(format_number(value), text, "{value}");
        }
    }

    #[test]
    fn locations_count_the_lines_read_when_the_value_ended() {
        assert_eq!(location("{\"a\":1}", 7), 0);
        assert_eq!(location("1 2\n3\n", 1), 1);
        assert_eq!(location("1 2\n3\n", 5), 2);
        assert_eq!(location("{\"a\":\n1\n}\n\n\n", 9), 3);
    }
}
