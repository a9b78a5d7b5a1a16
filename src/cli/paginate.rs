//! The CLI's automatic pagination: for operations with a botocore paginator, the CLI keeps
//! calling with the returned token and prints one merged result (unless `--no-paginate`).
//! Daemon operations have no paginators (spec section 2), so their `nextToken` is shown as is.

use super::backend::Backend;
use crate::api::AwsError;
use serde_json::{Map, Value};

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
    /// A flag saying more pages exist (IAM's `IsTruncated`).
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

/// Calls the operation until no token comes back; every page, in order.
pub fn call_pages(
    paginator: &Paginator,
    backend: &mut dyn Backend,
    input: &Value,
) -> Result<Vec<Value>, AwsError> {
    let mut request = input.clone();
    let mut pages = vec![backend.call(paginator.service, paginator.operation, request.clone())?];
    let mut seen_tokens: Vec<Value> = Vec::new();
    while pages.len() < MAX_PAGES {
        let token = match pages.last().and_then(|page| page.get(paginator.output_token)) {
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
        let Value::Object(fields) = &mut request else { break };
        fields.insert(paginator.input_token.to_string(), token);
        pages.push(backend.call(paginator.service, paginator.operation, request.clone())?);
    }
    Ok(pages)
}

/// botocore's `build_full_result`: only the result keys, each concatenated over the pages (a key
/// no page had stays absent). Tokens and every other member are dropped, as the CLI prints it.
pub fn merge_pages(paginator: &Paginator, pages: &[Value]) -> Value {
    let mut merged = Map::new();
    for key in paginator.result_keys {
        let mut items: Option<Vec<Value>> = None;
        for page in pages {
            if let Some(Value::Array(page_items)) = page.get(*key) {
                items.get_or_insert_with(Vec::new).extend(page_items.iter().cloned());
            }
        }
        if let Some(items) = items {
            merged.insert(key.to_string(), Value::Array(items));
        }
    }
    Value::Object(merged)
}

/// What `--output text` formats, one value per page: the page's result keys (null when absent),
/// since the CLI's text output streams pages instead of merging them.
pub fn text_pages(paginator: &Paginator, pages: &[Value]) -> Vec<Value> {
    pages
        .iter()
        .map(|page| {
            let current: Map<String, Value> = paginator
                .result_keys
                .iter()
                .map(|key| (key.to_string(), page.get(*key).cloned().unwrap_or(Value::Null)))
                .collect();
            Value::Object(current)
        })
        .collect()
}
