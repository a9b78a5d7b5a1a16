//! jq 1.6's command line: its options, their usage errors and exit statuses, and the output
//! format they choose. Separate because jq's option rules (combined short flags, `--arg` pairs,
//! `--args` taking the rest) are their own small grammar.

use super::input::{parse_stream, to_val};
use super::EXIT_USAGE;
use crate::cli::utils::UtilIo;
use jaq_json::Val;
use serde_json::Value;

/// How values are printed.
#[derive(Debug, Clone)]
pub(super) struct Format {
    /// `None` is compact (`-c`); otherwise the indentation unit.
    pub(super) indent: Option<String>,
    pub(super) raw: bool,
    pub(super) join: bool,
    pub(super) ascii: bool,
    pub(super) sort_keys: bool,
}

#[derive(Debug)]
pub(super) struct Options {
    pub(super) program: String,
    pub(super) files: Vec<String>,
    pub(super) format: Format,
    pub(super) null_input: bool,
    pub(super) raw_input: bool,
    pub(super) slurp: bool,
    pub(super) exit_status: bool,
    pub(super) named: Vec<(String, Val)>,
    pub(super) positional: Vec<Val>,
}

pub(super) enum ArgsError {
    /// A message followed by the help hint, exit 2.
    Usage(String),
    /// A message alone with its exit status.
    Plain(String, i32),
}

pub(super) fn parse_options(args: &[String], io: &UtilIo<'_>) -> Result<Options, ArgsError> {
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

pub(super) fn fs_reason(_error: &crate::cli::fs::FsError) -> &'static str {
    "No such file or directory"
}

pub(super) const USAGE: &str = "Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n";

pub(super) fn parse_json_arg(text: &str) -> Option<Val> {
    serde_json::from_str::<Value>(text).ok().map(|v| to_val(&v))
}
