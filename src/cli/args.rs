//! `aws <service> <operation> [--flags]` → an operation name and its request JSON, the way the
//! AWS CLI v2 builds requests: global options anywhere, `--cli-input-json` merged under the
//! flags, one flag per top-level member, shorthand or JSON for structures, and the model's types.

use super::fs::MemFs;
use super::names::kebab_case;
use super::paginate::{find_paginator, PageLimits};
use super::shapes::{find_operation, services, Member, Operation, Shape, OPERATIONS};
use super::shorthand::{self, Node};
use super::skeleton::SkeletonKind;
use super::waiter::{find_waiter, WAITERS};
use crate::engine::time;
use crate::support::decimal::parse_f64;
use crate::support::order;
use serde_json::{Map, Number, Value};

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Json,
    Text,
    Table,
}

/// A parsed `aws` command line.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsInvocation {
    pub operation: Operation,
    /// `aws ecs wait <waiter>`: the waiter's CLI name.
    pub waiter: Option<String>,
    pub input: Value,
    pub query: Option<String>,
    pub output: OutputFormat,
    pub region: Option<String>,
    /// False with `--no-paginate`, or when the command gives its own page token.
    pub paginate: bool,
    /// `--max-items` and `--starting-token` of a paginated operation.
    pub limits: PageLimits,
    /// `--generate-cli-skeleton [input|output|yaml-input]`: print the template, call nothing.
    pub skeleton: Option<SkeletonKind>,
}

/// Why a command line was refused before any request was sent. The CLI exits 252 for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// argparse-style errors, printed after the usage block as `aws: error: ...`.
    Usage(String),
    /// Words the CLI did not recognise: `Unknown options: --foo, bar`.
    UnknownOptions(Vec<String>),
    /// A value that did not parse: `Error parsing parameter '--x': ...`.
    Parameter { flag: String, message: String },
    /// Client-side validation of the built request (`Parameter validation failed:`).
    Validation(String),
}

const USAGE: &str = "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n";

impl UsageError {
    /// What the AWS CLI prints on stderr.
    pub fn cli_message(&self) -> String {
        match self {
            UsageError::Usage(message) => format!("\n{USAGE}\naws: error: {message}\n\n"),
            UsageError::UnknownOptions(words) => {
                format!("\n{USAGE}\nUnknown options: {}\n\n", words.join(", "))
            }
            UsageError::Parameter { flag, message } => {
                format!("\nError parsing parameter '{flag}': {message}\n")
            }
            UsageError::Validation(message) => format!("\nParameter validation failed:\n{message}\n"),
        }
    }
}

/// awscli's invalid-choice message: the choices two per line, each padded to 40 columns.
/// (The CLI also suggests close matches; the simulator does not.)
fn invalid_choice(choices: &[&str], _given: &str) -> String {
    let lines: Vec<String> = choices
        .chunks(2)
        .map(|pair| pair.iter().map(|c| format!("{c:<40}")).collect::<Vec<_>>().join(" | "))
        .collect();
    format!("Invalid choice, valid choices are:\n\n{}", lines.join("\n"))
}

/// Global options that take a value, and those that do not.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "--region",
    "--output",
    "--query",
    "--profile",
    "--endpoint-url",
    "--color",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--ca-bundle",
    "--cli-binary-format",
];
const GLOBAL_FLAGS: &[&str] = &[
    "--debug",
    "--no-verify-ssl",
    "--no-paginate",
    "--no-sign-request",
    "--no-cli-pager",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
];

/// Parses the words after `aws` in a session without files.
pub fn parse_aws(words: &[String]) -> Result<AwsInvocation, UsageError> {
    parse_aws_with_files(words, &MemFs::new())
}

/// Parses the words after `aws`; `file://` and `fileb://` values are read from `files`.
pub fn parse_aws_with_files(words: &[String], files: &MemFs) -> Result<AwsInvocation, UsageError> {
    let mut query = None;
    let mut output = OutputFormat::Json;
    let mut region = None;
    let mut paginate = true;
    let mut rest: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i].as_str();
        if GLOBAL_WITH_VALUE.contains(&word) {
            let value = words
                .get(i + 1)
                .ok_or_else(|| UsageError::Usage(format!("argument {word}: expected one argument")))?;
            match word {
                "--query" => query = Some(value.clone()),
                "--region" => region = Some(value.clone()),
                "--output" => {
                    output = match value.as_str() {
                        "json" => OutputFormat::Json,
                        "text" => OutputFormat::Text,
                        "table" => OutputFormat::Table,
                        other => {
                            // yaml and yaml-stream exist in CLI v2 but are not simulated.
                            return Err(UsageError::Usage(format!(
                                "argument --output: {}",
                                invalid_choice(&["json", "text", "table"], other)
                            )));
                        }
                    }
                }
                _ => {}
            }
            i += 2;
        } else if GLOBAL_FLAGS.contains(&word) {
            paginate &= word != "--no-paginate";
            i += 1;
        } else {
            rest.push(word);
            i += 1;
        }
    }
    if let Some(query) = &query {
        if let Err(error) = jmespath::compile(query) {
            return Err(UsageError::Usage(format!(
                "argument --query: Bad value for --query {query}: {error}"
            )));
        }
    }
    let Some(service) = rest.first().copied() else {
        return Err(UsageError::Usage("the following arguments are required: command".into()));
    };
    if !services().contains(&service) {
        return Err(UsageError::Usage(format!("argument command: {}", invalid_choice(&services(), service))));
    }
    let Some(operation_name) = rest.get(1).copied() else {
        return Err(UsageError::Usage("the following arguments are required: operation".into()));
    };
    let (operation, waiter, args) = if service == "ecs" && operation_name == "wait" {
        let Some(waiter) = rest.get(2).copied() else {
            return Err(UsageError::Usage("the following arguments are required: waiter_name".into()));
        };
        let Some(action) = find_waiter(waiter).map(|w| w.operation) else {
            let mut names: Vec<&str> = WAITERS.iter().map(|w| w.cli_name).collect();
            order::sort(&mut names);
            return Err(UsageError::Usage(format!(
                "argument subcommand: {}",
                invalid_choice(&names, waiter)
            )));
        };
        let operation = super::shapes::find_operation_by_name("ecs", action)
            .ok_or_else(|| UsageError::Usage(format!("no operation {action}")))?;
        (operation, Some(waiter.to_string()), &rest[3..])
    } else {
        let operation = find_operation(service, operation_name).ok_or_else(|| {
            let mut names: Vec<String> = OPERATIONS
                .iter()
                .filter(|(s, _, _)| *s == service)
                .map(|(_, name, _)| kebab_case(name))
                .collect();
            if service == "ecs" {
                names.push("wait".into());
            }
            order::sort(&mut names);
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            UsageError::Usage(format!("argument operation: {}", invalid_choice(&names, operation_name)))
        })?;
        (operation, None, &rest[2..])
    };
    let (args, skeleton) = take_skeleton(args)?;
    let args = load_param_files(&args, files)?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let paginator = find_paginator(operation.service, operation.name).filter(|_| waiter.is_none());
    let (args, paging) = take_paging_args(&args, paginator.is_some())?;
    let mut input =
        if skeleton.is_some() { Value::Object(Map::new()) } else { build_input(&operation, &args)? };
    if let Some(paginator) = paginator {
        if input.get(paginator.input_token).is_some() {
            paginate = false;
        }
        // awscli's ensure_paging_params_not_set: paging flags need pagination on.
        if !paginate {
            let used: Vec<&str> = [
                ("--starting-token", paging.limits.starting_token.is_some()),
                ("--page-size", paging.page_size.is_some()),
                ("--max-items", paging.limits.max_items.is_some()),
            ]
            .iter()
            .filter(|(_, used)| *used)
            .map(|(flag, _)| *flag)
            .collect();
            if !used.is_empty() {
                return Err(UsageError::Validation(format!(
                    "Cannot specify --no-paginate along with pagination arguments: {}",
                    used.join(", ")
                )));
            }
        }
        if let Some(size) = paging.page_size {
            input[paginator.limit_key] = Value::from(size);
        }
    }
    Ok(AwsInvocation {
        operation,
        waiter,
        input,
        query,
        output,
        region,
        paginate: paginate && paginator.is_some(),
        limits: paging.limits,
        skeleton,
    })
}

/// The paging flags awscli adds to paginated operations.
struct Paging {
    page_size: Option<i64>,
    limits: PageLimits,
}

/// `--generate-cli-skeleton [input|output|yaml-input]` (the value is optional; `input` when absent).
fn take_skeleton<'a>(args: &[&'a str]) -> Result<(Vec<&'a str>, Option<SkeletonKind>), UsageError> {
    let mut rest = Vec::with_capacity(args.len());
    let mut kind = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] != "--generate-cli-skeleton" {
            rest.push(args[i]);
            i += 1;
            continue;
        }
        i += 1;
        kind = Some(match args.get(i).copied() {
            Some(value) if !value.starts_with("--") => {
                i += 1;
                match value {
                    "input" => SkeletonKind::Input,
                    "output" => SkeletonKind::Output,
                    "yaml-input" => SkeletonKind::YamlInput,
                    other => {
                        return Err(UsageError::Usage(format!(
                            "argument --generate-cli-skeleton: invalid choice: '{other}' \
                             (choose from 'input', 'yaml-input', 'output')"
                        )))
                    }
                }
            }
            _ => SkeletonKind::Input,
        });
    }
    Ok((rest, kind))
}

/// awscli's paramfile handler: a value `file://PATH` is the file's text, `fileb://PATH` its
/// bytes, for every parameter including `--cli-input-json`. The files are the session's.
fn load_param_files(args: &[&str], files: &MemFs) -> Result<Vec<String>, UsageError> {
    let mut flag = "";
    let mut out = Vec::with_capacity(args.len());
    for word in args {
        if word.starts_with("--") {
            flag = word;
            out.push(word.to_string());
            continue;
        }
        let path = word.strip_prefix("file://").or_else(|| word.strip_prefix("fileb://"));
        match path {
            None => out.push(word.to_string()),
            Some(path) => match files.read(path) {
                Ok(text) => out.push(text.to_string()),
                Err(_) => {
                    return Err(UsageError::Parameter {
                        flag: flag.to_string(),
                        message: format!(
                            "Unable to load paramfile {word}: [Errno 2] No such file or directory: '{path}'"
                        ),
                    })
                }
            },
        }
    }
    Ok(out)
}

/// `--page-size N`, `--max-items N` and `--starting-token T`, which paginated operations accept.
fn take_paging_args<'a>(args: &[&'a str], paginated: bool) -> Result<(Vec<&'a str>, Paging), UsageError> {
    let mut rest = Vec::with_capacity(args.len());
    let mut paging = Paging { page_size: None, limits: PageLimits::default() };
    let mut i = 0;
    while i < args.len() {
        let flag = args[i];
        if !paginated || !["--page-size", "--max-items", "--starting-token"].contains(&flag) {
            rest.push(flag);
            i += 1;
            continue;
        }
        let text = args
            .get(i + 1)
            .ok_or_else(|| UsageError::Usage(format!("argument {flag}: expected one argument")))?;
        let number = || {
            text.parse::<i64>().map_err(|_| UsageError::Parameter {
                flag: flag.into(),
                message: format!("invalid literal for int() with base 10: '{text}'"),
            })
        };
        match flag {
            "--page-size" => paging.page_size = Some(number()?),
            // botocore counts items up to the limit; zero or less stops at once, as it does.
            "--max-items" => paging.limits.max_items = Some(number()?.max(0) as usize),
            _ => paging.limits.starting_token = Some(text.to_string()),
        }
        i += 2;
    }
    Ok((rest, paging))
}

fn build_input(operation: &Operation, args: &[&str]) -> Result<Value, UsageError> {
    let mut from_json = Map::new();
    let mut from_flags: Vec<(String, Value)> = Vec::new();
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let word = args[i];
        i += 1;
        let Some(flag) = word.strip_prefix("--") else {
            unknown.push(word.to_string());
            continue;
        };
        if flag == "cli-input-json" {
            let value = args.get(i).ok_or_else(|| {
                UsageError::Usage("argument --cli-input-json: expected one argument".into())
            })?;
            i += 1;
            match serde_json::from_str::<Value>(value) {
                Ok(Value::Object(map)) => from_json = map,
                Ok(_) => {
                    return Err(UsageError::Parameter {
                        flag: "--cli-input-json".into(),
                        message: "Invalid JSON: the input must be a JSON object".into(),
                    })
                }
                Err(error) => {
                    return Err(UsageError::Parameter {
                        flag: "--cli-input-json".into(),
                        message: format!("Invalid JSON: {error}\nJSON received: {value}"),
                    })
                }
            }
            continue;
        }
        if let Some(member) = operation.input.iter().find(|m| kebab_case(&m.name) == flag) {
            if member.shape == Shape::Boolean {
                from_flags.push((member.name.clone(), Value::Bool(true)));
                continue;
            }
            let values: Vec<&str> = if matches!(member.shape, Shape::List(_)) {
                let count = args[i..].iter().take_while(|w| !w.starts_with("--")).count();
                if count == 0 {
                    return Err(UsageError::Usage(format!(
                        "argument {word}: expected at least one argument"
                    )));
                }
                args[i..i + count].to_vec()
            } else {
                match args.get(i) {
                    Some(value) if !value.starts_with("--") => vec![*value],
                    _ => return Err(UsageError::Usage(format!("argument {word}: expected one argument"))),
                }
            };
            i += values.len();
            let value = flag_value(member, word, &values)?;
            from_flags.retain(|(name, _)| *name != member.name);
            from_flags.push((member.name.clone(), value));
            continue;
        }
        if let Some(negated) = flag.strip_prefix("no-") {
            if let Some(member) =
                operation.input.iter().find(|m| m.shape == Shape::Boolean && kebab_case(&m.name) == negated)
            {
                from_flags.push((member.name.clone(), Value::Bool(false)));
                continue;
            }
        }
        unknown.push(word.to_string());
    }
    if !unknown.is_empty() {
        return Err(UsageError::UnknownOptions(unknown));
    }
    let mut input = from_json;
    for (name, value) in from_flags {
        input.insert(name, value);
    }
    let missing: Vec<String> = operation
        .input
        .iter()
        .filter(|m| m.required && !input.contains_key(&m.name))
        .map(|m| format!("--{}", kebab_case(&m.name)))
        .collect();
    if !missing.is_empty() {
        return Err(UsageError::Usage(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    let mut problems = Vec::new();
    for member in &operation.input {
        if let Some(value) = input.get(&member.name) {
            check_type(&member.shape, value, &member.name, &mut problems);
        }
    }
    if !problems.is_empty() {
        return Err(UsageError::Validation(problems.join("\n")));
    }
    Ok(Value::Object(input))
}

/// Converts the words given to one flag into the member's JSON value.
fn flag_value(member: &Member, flag: &str, values: &[&str]) -> Result<Value, UsageError> {
    let error = |message: String| UsageError::Parameter { flag: flag.to_string(), message };
    let looks_like_json = |text: &str| text.trim_start().starts_with(['{', '['].as_ref());
    match &member.shape {
        Shape::List(element) => {
            if values.len() == 1 && looks_like_json(values[0]) {
                return parse_json(values[0]).map_err(error);
            }
            let mut list = Vec::new();
            for value in values {
                let item = if element.is_scalar() {
                    scalar(element, value)
                } else if looks_like_json(value) {
                    parse_json(value)
                } else {
                    shorthand::parse(value).map_err(|e| e.0).and_then(|node| typed(element, &node))
                };
                list.push(item.map_err(error)?);
            }
            Ok(Value::Array(list))
        }
        Shape::Structure(_) | Shape::Map | Shape::Any => {
            let value = values[0];
            if looks_like_json(value) {
                parse_json(value).map_err(error)
            } else if member.shape == Shape::Any && !value.contains('=') {
                Ok(Value::String(value.to_string()))
            } else {
                let node = shorthand::parse(value).map_err(|e| error(e.0))?;
                typed(&member.shape, &node).map_err(error)
            }
        }
        scalar_shape => scalar(scalar_shape, values[0]).map_err(error),
    }
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("Invalid JSON: {e}\nJSON received: {text}"))
}

/// A command-line string as the model's scalar type (awscli `unpack_scalar_cli_arg`).
fn scalar(shape: &Shape, text: &str) -> Result<Value, String> {
    match shape {
        Shape::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("invalid literal for int() with base 10: '{text}'")),
        Shape::Double => parse_f64(text.trim())
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("could not convert string to float: '{text}'")),
        Shape::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got '{text}'")),
        },
        // botocore accepts epoch seconds or ISO 8601 and sends epoch seconds.
        Shape::Timestamp => parse_f64(text.trim())
            .or_else(|| parse_iso8601(text.trim()))
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("Invalid timestamp value: '{text}' (use epoch seconds or ISO 8601)")),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// Applies the model's types to a shorthand value (awscli's back-compat visitor plus botocore's
/// check that structure keys exist).
fn typed(shape: &Shape, node: &Node) -> Result<Value, String> {
    match (shape, node) {
        (Shape::Any, node) => Ok(untyped(node)),
        (Shape::List(element), Node::List(items)) => {
            items.iter().map(|item| typed(element, item)).collect::<Result<Vec<_>, _>>().map(Value::Array)
        }
        (Shape::List(element), single) => Ok(Value::Array(vec![typed(element, single)?])),
        (Shape::Structure(members), Node::Map(entries)) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let member = members.iter().find(|m| m.name == *key).ok_or_else(|| {
                    let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
                    format!("Unknown parameter \"{key}\", must be one of: {}", names.join(", "))
                })?;
                object.insert(key.clone(), typed(&member.shape, value)?);
            }
            if let Some(missing) = members.iter().find(|m| m.required && !object.contains_key(&m.name)) {
                return Err(format!("Missing required parameter: \"{}\"", missing.name));
            }
            Ok(Value::Object(object))
        }
        (Shape::Map, Node::Map(entries)) => {
            Ok(Value::Object(entries.iter().map(|(k, v)| (k.clone(), untyped(v))).collect()))
        }
        // Neither "true" nor "false": awscli leaves the string, and botocore's validation refuses it.
        (Shape::Boolean, Node::Scalar(text))
            if !["true", "false"].contains(&text.to_ascii_lowercase().as_str()) =>
        {
            Ok(Value::String(text.clone()))
        }
        (scalar_shape, Node::Scalar(text)) if scalar_shape.is_scalar() => scalar(scalar_shape, text),
        (Shape::Structure(_) | Shape::Map, _) => Err("expected a structure (key=value,...)".to_string()),
        (_, _) => Err("expected a single value, not a list or structure".to_string()),
    }
}

fn untyped(node: &Node) -> Value {
    match node {
        Node::Scalar(text) => Value::String(text.clone()),
        Node::List(items) => Value::Array(items.iter().map(untyped).collect()),
        Node::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.clone(), untyped(v))).collect()),
    }
}

/// `aws help`, `aws <service> help`, `aws <service> <operation> help` and `aws ecs wait help`:
/// what the console can run, with each flag's type. `None` when the words are not a help request.
pub fn help_text(words: &[String]) -> Option<String> {
    let words: Vec<&str> =
        words.iter().map(String::as_str).filter(|w| !w.starts_with("--")).collect::<Vec<_>>();
    if words.last() != Some(&"help") {
        return None;
    }
    let mut text = String::new();
    match words[..words.len() - 1] {
        [] => {
            text.push_str("Services this simulator answers for:\n\n");
            for service in services() {
                text.push_str(&format!("  {service}\n"));
            }
        }
        [service] => {
            text.push_str(&format!("Operations of {service} this simulator answers for:\n\n"));
            for (_, name, _) in OPERATIONS.iter().filter(|(s, _, _)| *s == service) {
                text.push_str(&format!("  {}\n", kebab_case(name)));
            }
            if service == "ecs" {
                text.push_str("  wait\n");
            }
        }
        ["ecs", "wait"] => {
            text.push_str("Waiters (aws ecs wait <waiter> ...):\n\n");
            for waiter in WAITERS {
                text.push_str(&format!(
                    "  {} ({}, every {} s, at most {} attempts)\n",
                    waiter.cli_name, waiter.operation, waiter.delay_seconds, waiter.max_attempts
                ));
            }
        }
        [service, operation] => {
            let operation = find_operation(service, operation)?;
            text.push_str(&format!("{} ({service})\n\n", operation.name));
            for member in &operation.input {
                let flag = kebab_case(&member.name);
                let kind = match &member.shape {
                    Shape::Boolean => format!("--{flag} | --no-{flag}"),
                    shape => format!("--{flag} <{}>", describe(shape)),
                };
                let required = if member.required { "" } else { "  [optional]" };
                text.push_str(&format!("  {kind}{required}\n"));
            }
            text.push_str("  --cli-input-json <JSON>  [optional]\n");
        }
        _ => return None,
    }
    Some(text)
}

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::String => "string".into(),
        Shape::Integer => "integer".into(),
        Shape::Double => "double".into(),
        Shape::Boolean => "boolean".into(),
        Shape::Timestamp => "timestamp".into(),
        Shape::Any => "JSON".into(),
        Shape::Map => "key=value,...".into(),
        Shape::List(element) => format!("{} ...", describe(element)),
        Shape::Structure(members) => {
            let names: Vec<String> =
                members.iter().map(|m| format!("{}={}", m.name, describe(&m.shape))).collect();
            format!("{{{}}}", names.join(","))
        }
    }
}

/// botocore's client-side type check of the request (`Parameter validation failed:`), so that
/// `--cli-input-json '{"desiredCount": "1"}'` fails in the CLI as it does with AWS, before any
/// request is sent. Members the table keeps as free JSON are left to the service.
fn check_type(shape: &Shape, value: &Value, path: &str, problems: &mut Vec<String>) {
    let valid = match shape {
        Shape::Any | Shape::Timestamp => return,
        Shape::String => value.is_string(),
        // Python's bool is an int, and botocore accepts ints for floats.
        Shape::Integer => value.is_i64() || value.is_u64() || value.is_boolean(),
        Shape::Double => value.is_number() || value.is_boolean(),
        Shape::Boolean => value.is_boolean(),
        Shape::Map | Shape::Structure(_) => value.is_object(),
        Shape::List(_) => value.is_array(),
    };
    if !valid {
        let valid_types = match shape {
            Shape::String => "<class 'str'>",
            Shape::Integer => "<class 'int'>",
            Shape::Double => "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
            Shape::Boolean => "<class 'bool'>",
            Shape::List(_) => "<class 'list'>, <class 'tuple'>",
            _ => "<class 'dict'>",
        };
        problems.push(format!(
            "Invalid type for parameter {path}, value: {}, type: {}, valid types: {valid_types}",
            python_value(value),
            python_type(value)
        ));
        return;
    }
    match (shape, value) {
        (Shape::List(element), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_type(element, item, &format!("{path}[{i}]"), problems);
            }
        }
        (Shape::Structure(members), Value::Object(map)) => {
            for member in members {
                match map.get(&member.name) {
                    Some(item) => {
                        check_type(&member.shape, item, &format!("{path}.{}", member.name), problems)
                    }
                    None if member.required => {
                        problems.push(format!("Missing required parameter in {path}: \"{}\"", member.name))
                    }
                    None => {}
                }
            }
        }
        _ => {}
    }
}

fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// Python's `str()` of a decoded JSON value (`repr` inside containers).
fn python_value(value: &Value) -> String {
    fn repr(value: &Value) -> String {
        match value {
            Value::String(text) => format!("'{text}'"),
            other => python_value(other),
        }
    }
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(text) => text.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => format!("[{}]", items.iter().map(repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter().map(|(k, v)| format!("'{k}': {}", repr(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `2026-04-02`, `2026-04-02T07:56:19`, with optional `.fff` and `Z` or `±HH:MM` (UTC when
/// absent) → epoch seconds.
pub fn parse_iso8601(text: &str) -> Option<f64> {
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = 0.0;
    let mut offset = 0.0;
    if let Some(time) = time {
        let (clock, zone) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, None)
        } else if let Some(at) = time.rfind(['+', '-']) {
            (&time[..at], Some(&time[at..]))
        } else {
            (time, None)
        };
        let mut clock_parts = clock.splitn(3, ':');
        let hours = parse_f64(clock_parts.next()?)?;
        let minutes = parse_f64(clock_parts.next()?)?;
        let secs = parse_f64(clock_parts.next().unwrap_or("0"))?;
        if !(0.0..24.0).contains(&hours) || !(0.0..60.0).contains(&minutes) || !(0.0..61.0).contains(&secs) {
            return None;
        }
        seconds = hours * 3600.0 + minutes * 60.0 + secs;
        if let Some(zone) = zone {
            let sign = if zone.starts_with('-') { -1.0 } else { 1.0 };
            let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "0"));
            offset = sign * (parse_f64(h)? * 3600.0 + parse_f64(m)? * 60.0);
        }
    }
    Some(time::days_from_civil(year, month, day) as f64 * time::DAY_SECONDS as f64 + seconds - offset)
}
