//! The two commands that reach the simulated AWS: `aws …`, parsed and printed as AWS CLI v2 does
//! (pagination, waiters, `--query`, `--output`, skeletons), and `sim …`, the simulator's own.
//! Separate because they are the shell's only way out to the [`Backend`], with AWS's exit codes.

use super::{
    failure, Interpreter, Outcome, CLI_OTHER_ERROR, CLI_SERVICE_ERROR, CLI_USAGE_ERROR, CLI_VERSION,
};
use crate::cli::args::{help_text, parse_aws_with_files, OutputFormat};
use crate::cli::backend::Backend;
use crate::cli::output::format_output;
use crate::cli::paginate::{find_paginator, paginate, PAGINATION_ERROR};
use crate::cli::query::{apply_query, iso8601_ms, present_timestamps};
use crate::cli::skeleton::{input_skeleton, SkeletonKind};
use crate::cli::waiter::{find_waiter, wait};

impl Interpreter {
    pub(super) fn aws(&mut self, backend: &mut dyn Backend, args: &[String]) -> Outcome {
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

pub(super) fn sim(backend: &mut dyn Backend, args: &[String]) -> Outcome {
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
