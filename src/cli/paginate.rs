//! The CLI's automatic pagination: for operations with a botocore paginator, the CLI keeps
//! calling with the returned token and prints one merged result (unless `--no-paginate`).
//! Daemon operations have no paginators (spec section 2), so their `nextToken` is shown as is.

use super::backend::Backend;
use crate::api::AwsError;
use serde_json::Value;

/// One botocore paginator.
#[derive(Debug, Clone, Copy)]
pub struct Paginator {
    pub service: &'static str,
    pub operation: &'static str,
    pub input_token: &'static str,
    pub output_token: &'static str,
    /// Set by `--page-size`.
    pub limit_key: &'static str,
    pub result_keys: &'static [&'static str],
    /// A flag saying more pages exist (IAM's `IsTruncated`); dropped from the merged result.
    pub more_results: Option<&'static str>,
}

const fn paginator(
    service: &'static str,
    operation: &'static str,
    token: &'static str,
    limit_key: &'static str,
    result_keys: &'static [&'static str],
) -> Paginator {
    Paginator {
        service,
        operation,
        input_token: token,
        output_token: token,
        limit_key,
        result_keys,
        more_results: None,
    }
}

/// The paginators of the operations the console runs.
pub const PAGINATORS: &[Paginator] = &[
    paginator("ecs", "ListClusters", "nextToken", "maxResults", &["clusterArns"]),
    paginator("ecs", "ListContainerInstances", "nextToken", "maxResults", &["containerInstanceArns"]),
    paginator("ecs", "ListServices", "nextToken", "maxResults", &["serviceArns"]),
    paginator("ecs", "ListTasks", "nextToken", "maxResults", &["taskArns"]),
    paginator("logs", "DescribeLogGroups", "nextToken", "limit", &["logGroups"]),
    paginator(
        "cloudwatch",
        "DescribeAlarms",
        "NextToken",
        "MaxRecords",
        &["MetricAlarms", "CompositeAlarms"],
    ),
    paginator("ec2", "DescribeInstances", "NextToken", "MaxResults", &["Reservations"]),
    Paginator {
        service: "iam",
        operation: "ListAttachedRolePolicies",
        input_token: "Marker",
        output_token: "Marker",
        limit_key: "MaxItems",
        result_keys: &["AttachedPolicies"],
        more_results: Some("IsTruncated"),
    },
];

/// The paginator of an operation, if it has one.
pub fn find_paginator(service: &str, operation: &str) -> Option<&'static Paginator> {
    PAGINATORS.iter().find(|p| p.service == service && p.operation == operation)
}

/// The error type [`call_all_pages`] reports a broken token chain with (botocore's
/// `PaginationError`, which the CLI prints as `Error during pagination: ...`).
pub const PAGINATION_ERROR: &str = "PaginationError";

/// Pages beyond this are refused: a backend that never stops handing out tokens is a bug.
const MAX_PAGES: usize = 10_000;

/// Calls the operation until no token comes back and merges the pages.
pub fn call_all_pages(
    paginator: &Paginator,
    backend: &mut dyn Backend,
    input: &Value,
) -> Result<Value, AwsError> {
    let mut request = input.clone();
    let mut merged = backend.call(paginator.service, paginator.operation, request.clone())?;
    let mut seen_tokens: Vec<Value> = Vec::new();
    for _ in 0..MAX_PAGES {
        let token = match merged.get(paginator.output_token) {
            Some(token) if !token.is_null() && token.as_str() != Some("") => token.clone(),
            _ => break,
        };
        // botocore refuses a token it has already followed rather than loop forever.
        if seen_tokens.contains(&token) {
            return Err(AwsError::new(
                PAGINATION_ERROR,
                format!("The same next token was received twice: {token}"),
            ));
        }
        seen_tokens.push(token.clone());
        request[paginator.input_token] = token;
        let page = backend.call(paginator.service, paginator.operation, request.clone())?;
        for key in paginator.result_keys {
            if let Some(Value::Array(items)) = page.get(*key) {
                match merged.get_mut(*key) {
                    Some(Value::Array(all)) => all.extend(items.iter().cloned()),
                    _ => merged[*key] = Value::Array(items.clone()),
                }
            }
        }
        match page.get(paginator.output_token) {
            Some(next) => merged[paginator.output_token] = next.clone(),
            None => {
                if let Value::Object(map) = &mut merged {
                    map.shift_remove(paginator.output_token);
                }
            }
        }
    }
    if let Value::Object(map) = &mut merged {
        map.shift_remove(paginator.output_token);
        if let Some(flag) = paginator.more_results {
            map.shift_remove(flag);
        }
    }
    Ok(merged)
}
