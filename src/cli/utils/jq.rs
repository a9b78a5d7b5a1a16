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
use jaq_core::load::{Arena, File, Loader};
use jaq_core::native::{run, v, Filter as NativeFilter, Fun};
use jaq_core::{data, Compiler, Ctx, DataT, Error as JaqError, Lut, RunPtr, Vars};
use jaq_json::{Num, Val};
use jaq_std::input::{HasInputs, Inputs, RcIter};
use serde_json::Value;
use std::cell::{Cell, RefCell};

const HELP_HINT: &str = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n";

/// jq's exit statuses.
const EXIT_USAGE: i32 = 2;
const EXIT_COMPILE: i32 = 3;
const EXIT_NO_OUTPUT: i32 = 4;
const EXIT_RUNTIME: i32 = 5;

/// How values are printed.
#[derive(Debug, Clone)]
struct Format {
    /// `None` is compact (`-c`); otherwise the indentation unit.
    indent: Option<String>,
    raw: bool,
    join: bool,
    ascii: bool,
    sort_keys: bool,
}

#[derive(Debug)]
struct Options {
    program: String,
    files: Vec<String>,
    format: Format,
    null_input: bool,
    raw_input: bool,
    slurp: bool,
    exit_status: bool,
    named: Vec<(String, Val)>,
    positional: Vec<Val>,
}

enum ArgsError {
    /// A message followed by the help hint, exit 2.
    Usage(String),
    /// A message alone with its exit status.
    Plain(String, i32),
}

fn parse_options(args: &[String], io: &UtilIo<'_>) -> Result<Options, ArgsError> {
    let mut options = Options {
        program: String::new(),
        files: Vec::new(),
        format: Format { indent: Some("  ".into()), raw: false, join: false, ascii: false, sort_keys: false },
        null_input: false,
        raw_input: false,
        slurp: false,
        exit_status: false,
        named: Vec::new(),
        positional: Vec::new(),
    };
    let mut program: Option<String> = None;
    let mut from_file = false;
    // After `--args`/`--jsonargs`, operands after the program are values, not files.
    let mut rest_mode: Option<bool> = None;
    let mut i = 0;
    let take = |i: &mut usize, n: usize, what: &str| -> Result<Vec<String>, ArgsError> {
        if *i + n >= args.len() {
            return Err(ArgsError::Usage(what.to_string()));
        }
        let values = args[*i + 1..*i + 1 + n].to_vec();
        *i += n;
        Ok(values)
    };
    let mut only_operands = false;
    while i < args.len() {
        let arg = &args[i];
        let is_option = !only_operands && arg.starts_with('-') && arg != "-";
        if !is_option {
            if program.is_none() && !from_file {
                program = Some(arg.clone());
            } else if let Some(json) = rest_mode {
                options.positional.push(if json {
                    parse_json_arg(arg).ok_or_else(|| {
                        ArgsError::Usage("jq: Invalid JSON text passed to --jsonargs".into())
                    })?
                } else {
                    Val::from(arg.clone())
                });
            } else {
                options.files.push(arg.clone());
            }
            i += 1;
            continue;
        }
        match arg.as_str() {
            "--" => only_operands = true,
            "--slurp" => options.slurp = true,
            "--raw-output" => options.format.raw = true,
            "--join-output" => {
                options.format.raw = true;
                options.format.join = true;
            }
            "--ascii-output" => options.format.ascii = true,
            "--compact-output" => options.format.indent = None,
            "--null-input" => options.null_input = true,
            "--raw-input" => options.raw_input = true,
            "--exit-status" => options.exit_status = true,
            "--sort-keys" => options.format.sort_keys = true,
            "--color-output" | "--monochrome-output" | "--unbuffered" | "--seq" => {}
            "--tab" => options.format.indent = Some("\t".into()),
            "--indent" => {
                let n = take(&mut i, 1, "jq: --indent takes one parameter")?;
                let n: i64 = n[0].parse().unwrap_or(-2);
                if !(-1..=7).contains(&n) {
                    return Err(ArgsError::Usage("jq: --indent takes a number between -1 and 7".into()));
                }
                options.format.indent = match n {
                    -1 => Some("\t".into()),
                    0 => None,
                    n => Some(" ".repeat(n as usize)),
                };
            }
            "--arg" => {
                let kv = take(&mut i, 2, "jq: --arg takes two parameters (e.g. --arg varname value)")?;
                options.named.push((kv[0].clone(), Val::from(kv[1].clone())));
            }
            "--argjson" => {
                let kv = take(&mut i, 2, "jq: --argjson takes two parameters (e.g. --argjson varname text)")?;
                let value = parse_json_arg(&kv[1])
                    .ok_or_else(|| ArgsError::Usage("jq: invalid JSON text passed to --argjson".into()))?;
                options.named.push((kv[0].clone(), value));
            }
            "--slurpfile" | "--rawfile" => {
                let which = arg.trim_start_matches("--");
                let kv = take(
                    &mut i,
                    2,
                    &format!("jq: --{which} takes two parameters (e.g. --{which} varname filename)"),
                )?;
                let text = io.read(&kv[1]).map_err(|e| {
                    ArgsError::Usage(format!("jq: Bad JSON in --{which} {} {}: {e}", kv[0], kv[1]))
                })?;
                let value = if which == "rawfile" {
                    Val::from(text)
                } else {
                    let values = parse_stream(&text).map_err(|e| {
                        ArgsError::Usage(format!(
                            "jq: Bad JSON in --{which} {} {}: {}",
                            kv[0], kv[1], e.message
                        ))
                    })?;
                    values.into_iter().map(|(v, _)| to_val(&v)).collect()
                };
                options.named.push((kv[0].clone(), value));
            }
            "--args" => rest_mode = Some(false),
            "--jsonargs" => rest_mode = Some(true),
            "--from-file" => from_file = true,
            "--version" => return Err(ArgsError::Plain("jq-1.6\n".into(), -1)),
            "--help" => return Err(ArgsError::Plain(USAGE.into(), -1)),
            long if long.starts_with("--") => {
                return Err(ArgsError::Usage(format!("jq: Unknown option {long}")));
            }
            short => {
                for letter in short[1..].chars() {
                    match letter {
                        's' => options.slurp = true,
                        'r' => options.format.raw = true,
                        'j' => {
                            options.format.raw = true;
                            options.format.join = true;
                        }
                        'a' => options.format.ascii = true,
                        'c' => options.format.indent = None,
                        'n' => options.null_input = true,
                        'R' => options.raw_input = true,
                        'e' => options.exit_status = true,
                        'S' => options.format.sort_keys = true,
                        'C' | 'M' => {}
                        'f' => from_file = true,
                        'h' => return Err(ArgsError::Plain(USAGE.into(), -1)),
                        _ => return Err(ArgsError::Usage(format!("jq: Unknown option {short}"))),
                    }
                }
            }
        }
        i += 1;
    }
    if from_file {
        // `-f file`: the first operand names the program's file; every other operand is input.
        let Some(path) =
            program.take().or_else(|| (!options.files.is_empty()).then(|| options.files.remove(0)))
        else {
            return Err(ArgsError::Usage("jq: -f takes a parameter".into()));
        };
        options.program = io.read(&path).map_err(|e| {
            ArgsError::Plain(format!("jq: error: Could not open {path}: {}\n", fs_reason(&e)), EXIT_USAGE)
        })?;
    } else {
        // Without a program jq runs `.` when its input is not a terminal, as in a pipeline.
        options.program = program.unwrap_or_else(|| ".".into());
    }
    Ok(options)
}

fn fs_reason(_error: &crate::cli::fs::FsError) -> &'static str {
    "No such file or directory"
}

const USAGE: &str = "Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n";

fn parse_json_arg(text: &str) -> Option<Val> {
    serde_json::from_str::<Value>(text).ok().map(|v| to_val(&v))
}

/// A JSON value as jaq's.
fn to_val(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::from(*b),
        Value::Number(n) => match n.as_i64().and_then(|i| isize::try_from(i).ok()) {
            Some(i) => Val::from(i),
            None => Val::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Val::from(s.clone()),
        Value::Array(items) => items.iter().map(to_val).collect(),
        Value::Object(map) => Val::obj(map.iter().map(|(k, v)| (Val::from(k.clone()), to_val(v))).collect()),
    }
}

/// A parse failure of the input, as jq words it.
struct ParseError {
    message: String,
}

/// The JSON texts of an input, each with the byte offset where it ends.
fn parse_stream(text: &str) -> Result<Vec<(Value, usize)>, ParseError> {
    let mut values = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        match stream.next() {
            None => return Ok(values),
            Some(Ok(value)) => values.push((value, stream.byte_offset())),
            Some(Err(error)) => {
                if let Some(message) = invalid_literal(text, &error) {
                    return Err(ParseError { message });
                }
                let what = if error.is_eof() {
                    "Unfinished JSON term at EOF".to_string()
                } else {
                    let text = error.to_string();
                    let reason = text.split(" at line ").next().unwrap_or(&text).to_string();
                    match reason.as_str() {
                        "expected value" => "Invalid numeric literal".to_string(),
                        "trailing characters" => "Expected separator between values".to_string(),
                        other => other.to_string(),
                    }
                };
                return Err(ParseError {
                    message: format!("{what} at line {}, column {}", error.line(), error.column()),
                });
            }
        }
    }
}

/// jq's message for a bare word (`not json`, `tru`, `abc`): it reads the whole word and
/// reports where the character after it was consumed.
fn invalid_literal(text: &str, error: &serde_json::Error) -> Option<String> {
    let reason = error.to_string();
    if !reason.starts_with("expected ident") && !reason.starts_with("expected value") {
        return None;
    }
    // serde's 1-based line and column of the offending character.
    let line_start: usize =
        text.split_inclusive('\n').take(error.line().saturating_sub(1)).map(str::len).sum();
    let mut at = (line_start + error.column().saturating_sub(1)).min(text.len());
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+');
    // serde may point at the blank after the word (`tru\n` fails at the newline).
    while at > 0
        && !text[at..].starts_with(is_word)
        && text[..at].ends_with(|c: char| c.is_whitespace() || is_word(c))
    {
        if text[..at].ends_with(is_word) {
            break;
        }
        at -= text[..at].chars().next_back().map_or(1, char::len_utf8);
    }
    if !text[at..].starts_with(is_word) {
        at = text[..at].char_indices().next_back().filter(|(_, c)| is_word(*c)).map_or(at, |(i, _)| i);
    }
    let start = text[..at].rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1);
    let first = text[start..].chars().next()?;
    if !is_word(first) {
        return None;
    }
    let end = text[start..].find(|c: char| !is_word(c)).map_or(text.len(), |i| start + i);
    let kind = if matches!(first, 't' | 'f' | 'n') { "Invalid literal" } else { "Invalid numeric literal" };
    let line = text[..end].matches('\n').count() + 1;
    let column = end - text[..end].rfind('\n').map_or(0, |i| i + 1);
    Some(match text[end..].chars().next() {
        None => format!("{kind} at EOF at line {line}, column {column}"),
        Some('\n') => format!("{kind} at line {}, column 0", line + 1),
        Some(_) => format!("{kind} at line {line}, column {}", column + 1),
    })
}

/// jq 1.6 reads its input line by line: an error's location is the number of lines read when
/// the value ended (the line holding its last character counts when it is complete).
fn location(text: &str, end: usize) -> usize {
    let upto = match text[end.saturating_sub(1)..].find('\n') {
        Some(k) => end.saturating_sub(1) + k + 1,
        None => text.len(),
    };
    text[..upto].bytes().filter(|b| *b == b'\n').count()
}

/// What the jq program runs with: the compiled program's table, `input`/`inputs`, the clock,
/// and where `stderr`, `debug` and `halt` leave their effects.
struct Data<'a> {
    lut: &'a Lut<Kind>,
    inputs: Inputs<'a, Val>,
    now_seconds: f64,
    stderr: &'a RefCell<String>,
    halted: &'a Cell<Option<i32>>,
}

struct Kind;

impl DataT for Kind {
    type V<'a> = Val;
    type Data<'a> = &'a Data<'a>;
}

impl<'a> data::HasLut<'a, Kind> for &'a Data<'a> {
    fn lut(&self) -> &'a Lut<Kind> {
        self.lut
    }
}

impl<'a> HasInputs<'a, Val> for &'a Data<'a> {
    fn inputs(&self) -> Inputs<'a, Val> {
        self.inputs
    }
}

/// The error the simulated `halt` raises to stop the program; never printed.
const HALT: &str = "\u{0}halt";

fn own_funs() -> Box<[NativeFilter<RunPtr<Kind>>]> {
    use jaq_core::native::bome;
    Box::new([
        ("now", v(0), |cv| bome(Ok(Val::from(cv.0.data().now_seconds)))),
        ("env", v(0), |_| bome(Ok(Val::obj(Default::default())))),
        ("halt", v(1), |mut cv| {
            let code = cv.0.pop_var();
            let data = cv.0.data();
            let code = match &code {
                Val::Num(n) => number_f64(n) as i32,
                _ => EXIT_RUNTIME,
            };
            data.halted.set(Some(code));
            bome(Err(JaqError::str(HALT)))
        }),
        ("stderr_empty", v(0), |cv| {
            let text = match &cv.1 {
                Val::TStr(_) | Val::BStr(_) => string_text(&cv.1),
                other => compact(other),
            };
            cv.0.data().stderr.borrow_mut().push_str(&text);
            Box::new(core::iter::empty())
        }),
        ("debug_empty", v(0), |cv| {
            let line = format!("[\"DEBUG:\",{}]\n", compact(&cv.1));
            cv.0.data().stderr.borrow_mut().push_str(&line);
            Box::new(core::iter::empty())
        }),
    ])
}

fn funs() -> impl Iterator<Item = Fun<Kind>> {
    const REPLACED: &[&str] = &["now", "env", "halt", "stderr_empty", "debug_empty"];
    let std = jaq_std::funs::<Kind>().filter(|(name, _, _)| !REPLACED.contains(name));
    let run = run::<Kind>;
    let inputs = jaq_std::input::funs::<Kind>().into_vec().into_iter().map(run);
    let own = own_funs().into_vec().into_iter().map(run);
    jaq_core::funs::<Kind>().chain(std).chain(jaq_json::funs()).chain(inputs).chain(own)
}

/// jq's `@csv` and `@tsv`, which jaq's standard library leaves out.
const OWN_DEFS: &str = r#"
def @csv: map(
    if type == "string" then "\"" + (split("\"") | join("\"\"")) + "\""
    elif type == "number" or type == "boolean" then tostring
    elif . == null then ""
    else error("\(type) (\(tojson)) is not valid in a csv row") end
  ) | join(",");
def @tsv: map(
    if type == "string" then split("\\") | join("\\\\") | split("\t") | join("\\t")
      | split("\n") | join("\\n") | split("\r") | join("\\r")
    elif type == "number" or type == "boolean" then tostring
    elif . == null then ""
    else error("\(type) (\(tojson)) is not valid in a tsv row") end
  ) | join("\t");
"#;

/// Compiles the program, or jq's compile-error text.
fn compile(program: &str, vars: &[String]) -> Result<jaq_core::Filter<Kind>, String> {
    let own = jaq_core::load::parse(OWN_DEFS, |p| p.defs()).unwrap_or_default();
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs()).chain(own);
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let first_line = program.lines().next().unwrap_or("");
    let report = |message: String| {
        format!("jq: error: {message} at <top-level>, line 1:\n{first_line}\njq: 1 compile error\n")
    };
    let modules = loader.load(&arena, File { code: program, path: () }).map_err(|errors| {
        let message = errors
            .into_iter()
            .next()
            .map(|(_, error)| describe_load_error(&error))
            .unwrap_or_else(|| "syntax error".into());
        report(message)
    })?;
    let vars: Vec<String> = vars.iter().map(|v| format!("${v}")).collect();
    Compiler::default()
        .with_funs(funs())
        .with_global_vars(vars.iter().map(String::as_str))
        .compile(modules)
        .map_err(|errors| {
            let message = errors
                .into_iter()
                .flat_map(|(_, errors)| errors)
                .next()
                .map(|(name, undefined)| {
                    let name = name.to_string();
                    match undefined {
                        jaq_core::compile::Undefined::Var => format!("{name} is not defined"),
                        jaq_core::compile::Undefined::Filter(arity) => {
                            format!("{name}/{arity} is not defined")
                        }
                        _ => format!("{name} is not defined"),
                    }
                })
                .unwrap_or_else(|| "compile error".into());
            report(message)
        })
}

fn describe_load_error<S: std::fmt::Debug>(error: &jaq_core::load::Error<S>) -> String {
    use jaq_core::load::Error;
    match error {
        Error::Io(_) => "could not load module".into(),
        Error::Lex(_) | Error::Parse(_) => {
            "syntax error, unexpected INVALID_CHARACTER (Unix shell quoting issues?)".into()
        }
    }
}

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

/// jq's wording of a runtime error.
fn runtime_error(error: &JaqError<Val>, at: &str) -> String {
    let text = error.to_string();
    let prefix = format!("jq: error (at {at})");
    // `error(v)`: a string is the message; anything else is shown as JSON.
    let value = error.clone().into_val();
    if !text.starts_with("cannot ") {
        return match &value {
            Val::TStr(_) | Val::BStr(_) => format!("{prefix}: {}\n", string_text(&value)),
            other => format!("{prefix} (not a string): {}\n", compact(other)),
        };
    }
    format!("{prefix}: {}\n", reword(&text))
}

/// Rewords jaq's `cannot index 1 with "a"`, `cannot use null as iterable` and
/// `cannot calculate {} + 1` into jq's sentences.
fn reword(text: &str) -> String {
    let typed = |json: &str| -> (String, String) {
        match serde_json::from_str::<Value>(json) {
            Ok(value) => {
                (type_name(&value).to_string(), truncate(&serde_json::to_string(&value).unwrap_or_default()))
            }
            Err(_) => ("value".into(), truncate(json)),
        }
    };
    if let Some(rest) = text.strip_prefix("cannot index ") {
        if let Some((target, key)) = split_top_level(rest, " with ") {
            let (kind, _) = typed(target);
            let key_text = match serde_json::from_str::<Value>(key) {
                Ok(Value::String(s)) => format!("string \"{s}\""),
                Ok(value) => type_name(&value).to_string(),
                Err(_) => key.to_string(),
            };
            return format!("Cannot index {kind} with {key_text}");
        }
    }
    if let Some(rest) = text.strip_prefix("cannot use ") {
        if let Some((target, _)) = split_top_level(rest, " as iterable") {
            let (kind, shown) = typed(target);
            return format!("Cannot iterate over {kind} ({shown})");
        }
    }
    if let Some(rest) = text.strip_prefix("cannot calculate ") {
        for (op, verb) in [
            (" + ", "added"),
            (" - ", "subtracted"),
            (" * ", "multiplied"),
            (" / ", "divided"),
            (" % ", "divided (remainder)"),
        ] {
            if let Some((left, right)) = split_top_level(rest, op) {
                let (lk, ls) = typed(left);
                let (rk, rs) = typed(right);
                return format!("{lk} ({ls}) and {rk} ({rs}) cannot be {verb}");
            }
        }
    }
    text.to_string()
}

/// Splits at the first `sep` outside JSON strings and brackets.
fn split_top_level<'t>(text: &'t str, sep: &str) -> Option<(&'t str, &'t str)> {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            _ if depth == 0 && text[i..].starts_with(sep) => {
                return Some((&text[..i], &text[i + sep.len()..]))
            }
            _ => {}
        }
    }
    None
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// jq shows at most 14 characters of a value in a message: 11 and `...` when longer.
fn truncate(text: &str) -> String {
    if text.len() <= 14 {
        return text.to_string();
    }
    let mut end = 11;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

fn number_f64(n: &Num) -> f64 {
    match n {
        Num::Int(i) => *i as f64,
        Num::Float(f) => *f,
        other => other.to_string().parse().unwrap_or(f64::NAN),
    }
}

/// jq 1.6's number text: the shortest digits that read back, in exponent form when the decimal
/// point would sit more than 15 places past them or 4 places before them.
pub(super) fn format_number(f: f64) -> String {
    if f.is_nan() {
        return "null".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "1.7976931348623157e+308".into() } else { "-1.7976931348623157e+308".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sign = if f < 0.0 { "-" } else { "" };
    let scientific = format!("{:e}", f.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let count = digits.len() as i32;
    let point = exponent + 1;
    let body = if point <= -4 || point > count + 15 {
        let mut out = digits[..1].to_string();
        if count > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!("e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs()));
        out
    } else if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= count {
        format!("{digits}{}", "0".repeat((point - count) as usize))
    } else {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    };
    format!("{sign}{body}")
}

fn string_text(value: &Val) -> String {
    match value {
        Val::TStr(bytes) | Val::BStr(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    }
}

fn push_string(out: &mut String, text: &str, ascii: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn compact(value: &Val) -> String {
    let mut out = String::new();
    write_json(
        value,
        &Format { indent: None, raw: false, join: false, ascii: false, sort_keys: false },
        0,
        &mut out,
    );
    out
}

fn write_json(value: &Val, format: &Format, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(unit) = &format.indent {
            out.push('\n');
            for _ in 0..depth {
                out.push_str(unit);
            }
        }
    };
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => out.push_str(&format_number(number_f64(n))),
        Val::TStr(_) | Val::BStr(_) => push_string(out, &string_text(value), format.ascii),
        Val::Arr(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(item, format, depth + 1, out);
            }
            newline(out, depth);
            out.push(']');
        }
        Val::Obj(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut entries: Vec<(String, &Val)> = map
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Val::TStr(_) | Val::BStr(_) => string_text(k),
                        other => compact(other),
                    };
                    (key, v)
                })
                .collect();
            if format.sort_keys {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                push_string(out, &key, format.ascii);
                out.push(':');
                if format.indent.is_some() {
                    out.push(' ');
                }
                write_json(item, format, depth + 1, out);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

fn print_value(value: &Val, format: &Format, out: &mut String) {
    match value {
        Val::TStr(_) | Val::BStr(_) if format.raw => out.push_str(&string_text(value)),
        other => write_json(other, format, 0, out),
    }
    if !format.join {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
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
