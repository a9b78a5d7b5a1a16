//! The CLI's automatic pagination: for operations with a botocore paginator, the CLI keeps
//! calling with the returned token and prints one merged result (unless `--no-paginate`).
//! Daemon operations have no paginators in botocore's model, so their `nextToken` is shown as is
//! and `--max-items`/`--starting-token` are unknown options for them, as with the AWS CLI.

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

/// The error type [`paginate`] reports a broken token chain with (botocore's
/// `PaginationError`, which the CLI prints as `Error during pagination: ...`).
pub const PAGINATION_ERROR: &str = "PaginationError";

/// Pages beyond this are not fetched: a backend that never stops handing out tokens is a bug.
const MAX_PAGES: usize = 10_000;

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

/// `--max-items` and `--starting-token`: where botocore's page iterator starts and stops.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLimits {
    pub max_items: Option<usize>,
    pub starting_token: Option<String>,
}

/// The pages the CLI got and, when `--max-items` cut the results short, the token that resumes
/// them (printed as `NextToken`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    pub pages: Vec<Value>,
    pub resume_token: Option<String>,
}

impl Paged {
    /// What the CLI formats: one merged result (JSON, table), or one value per page (text); with
    /// `NextToken` after the results when there is more.
    pub fn responses(&self, paginator: &Paginator, text: bool) -> Vec<Value> {
        if text {
            let mut responses = text_pages(paginator, &self.pages);
            if let Some(token) = &self.resume_token {
                // awscli's text formatter prints `{"NextToken": {"NextToken": token}}` last.
                let mut inner = Map::new();
                inner.insert("NextToken".into(), Value::String(token.clone()));
                let mut outer = Map::new();
                outer.insert("NextToken".into(), Value::Object(inner));
                responses.push(Value::Object(outer));
            }
            return responses;
        }
        let mut merged = merge_pages(paginator, &self.pages);
        if let (Some(token), Value::Object(fields)) = (&self.resume_token, &mut merged) {
            fields.insert("NextToken".into(), Value::String(token.clone()));
        }
        vec![merged]
    }
}

/// A service token (`None` is null) and how many items of its page were already shown.
type Resume = (Option<Value>, Option<u64>);

/// botocore's TokenEncoder: `json.dumps` of the token dict, base64.
fn encode_token(paginator: &Paginator, token: &Option<Value>, truncate: Option<u64>) -> String {
    use base64::Engine as _;
    let value = match token {
        Some(token) => serde_json::to_string(token).unwrap_or_else(|_| "null".into()),
        None => "null".into(),
    };
    let mut text = format!("{{\"{}\": {value}", paginator.input_token);
    if let Some(amount) = truncate {
        text.push_str(&format!(", \"boto_truncate_amount\": {amount}"));
    }
    text.push('}');
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// botocore's `_parse_starting_token`: a base64 JSON dict, or (the deprecated form) the
/// service's own token, optionally `TOKEN___INDEX`.
fn decode_token(paginator: &Paginator, starting: &str) -> Result<Resume, AwsError> {
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(starting)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| serde_json::from_str::<Value>(&text).ok());
    if let Some(Value::Object(mut fields)) = decoded {
        let index = fields.remove("boto_truncate_amount").and_then(|v| v.as_u64());
        let token =
            fields.remove(paginator.input_token).filter(|t| !t.is_null() && t.as_str() != Some("None"));
        return Ok((token, index));
    }
    let mut parts: Vec<&str> = starting.split("___").collect();
    let mut index = None;
    if parts.len() == 2 {
        match parts[1].parse::<u64>() {
            Ok(i) => {
                index = Some(i);
                parts.pop();
            }
            Err(_) => parts = vec![starting],
        }
    }
    if parts.len() > 1 {
        return Err(AwsError::new(PAGINATION_ERROR, format!("Bad starting token: {starting}")));
    }
    let token = (parts[0] != "None").then(|| Value::String(parts[0].to_string()));
    Ok((token, index))
}

/// The page's token for the next call, `None` when it is the last (botocore `_get_next_token`).
fn next_token(paginator: &Paginator, page: &Value) -> Option<Value> {
    if let Some(flag) = paginator.more_results {
        if page.get(flag) != Some(&Value::Bool(true)) {
            return None;
        }
    }
    page.get(paginator.output_token).filter(|t| !t.is_null() && t.as_str() != Some("")).cloned()
}

/// botocore's `PageIterator.__iter__`: calls until the last page or `--max-items`, starting at
/// `--starting-token` (skipping the items of its page already shown), and truncating the last
/// page to the limit with a resume token that remembers where.
pub fn paginate(
    paginator: &Paginator,
    backend: &mut dyn Backend,
    input: &Value,
    limits: &PageLimits,
) -> Result<Paged, AwsError> {
    let mut request = input.clone();
    let (mut token, starting_index) = match &limits.starting_token {
        Some(starting) => decode_token(paginator, starting)?,
        None => (None, None),
    };
    if let (Some(t), Value::Object(fields)) = (&token, &mut request) {
        fields.insert(paginator.input_token.to_string(), t.clone());
    }
    let primary = paginator.result_keys[0];
    let mut pages = Vec::new();
    let mut total = 0usize;
    let mut previous: Option<Value> = None;
    let mut resume_token = None;
    let mut first = true;
    loop {
        if pages.len() >= MAX_PAGES {
            break;
        }
        let mut page = backend.call(paginator.service, paginator.operation, request.clone())?;
        let mut skipped = 0;
        if first && limits.starting_token.is_some() {
            // The items of this page that the previous command already printed.
            skipped = starting_index.unwrap_or(0) as usize;
            if let Some(Value::Array(items)) = page.get_mut(primary) {
                let cut = skipped.min(items.len());
                items.drain(..cut);
            }
            for key in &paginator.result_keys[1..] {
                if let Some(Value::Array(items)) = page.get_mut(*key) {
                    items.clear();
                }
            }
        }
        first = false;
        let count = page.get(primary).and_then(Value::as_array).map_or(0, Vec::len);
        if let Some(max) = limits.max_items {
            if total + count > max {
                let keep = max - total;
                if let Some(Value::Array(items)) = page.get_mut(primary) {
                    items.truncate(keep);
                }
                resume_token = Some(encode_token(paginator, &token, Some((keep + skipped) as u64)));
                pages.push(page);
                break;
            }
        }
        total += count;
        let next = next_token(paginator, &page);
        pages.push(page);
        let Some(next) = next else { break };
        if limits.max_items == Some(total) {
            resume_token = Some(encode_token(paginator, &Some(next), None));
            break;
        }
        if previous.as_ref() == Some(&next) {
            return Err(AwsError::new(
                PAGINATION_ERROR,
                format!("The same next token was received twice: {next}"),
            ));
        }
        if let Value::Object(fields) = &mut request {
            fields.insert(paginator.input_token.to_string(), next.clone());
        }
        previous = Some(next.clone());
        token = Some(next);
    }
    Ok(Paged { pages, resume_token })
}
