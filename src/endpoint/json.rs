//! AWS JSON 1.1 and 1.0: `POST /` with `X-Amz-Target: <prefix>.<Action>` and the action's input
//! as a JSON object; the answer is its output, a failure HTTP 400 (500 for a server fault) with
//! `{"__type": ..., "message": ...}` and the `x-amzn-ErrorType` header, which is what botocore's
//! and the SDKs' JSON parsers read. ECS and CloudWatch Logs speak 1.1; CloudWatch alarms 1.0
//! (what botocore 1.44 sends).

use super::{Request, Response};
use crate::api::AwsError;
use crate::session::Session;
use serde_json::{json, Value};

/// The content type of AWS JSON 1.1.
pub const JSON_1_1: &str = "application/x-amz-json-1.1";
/// The content type of AWS JSON 1.0.
pub const JSON_1_0: &str = "application/x-amz-json-1.0";

/// The `X-Amz-Target` prefixes answered, with the simulated service each names and the content
/// type of its protocol version.
pub const TARGETS: &[(&str, &str, &str)] = &[
    ("AmazonEC2ContainerServiceV20141113", "ecs", JSON_1_1),
    ("Logs_20140328", "logs", JSON_1_1),
    ("GraniteServiceVersion20100801", "cloudwatch", JSON_1_0),
];

/// The AWS JSON error shape: HTTP 400 for the caller's fault, 500 for the service's.
pub fn error(content_type: &'static str, error: &AwsError) -> Response {
    let body = json!({"__type": error.error_type, "message": error.message});
    Response {
        status: error.http_status(),
        error_type: Some(error.error_type.clone()),
        ..Response::ok(content_type, body.to_string().into_bytes())
    }
}

/// A JSON answer with HTTP 200.
pub fn ok(content_type: &'static str, value: &Value) -> Response {
    Response::ok(content_type, value.to_string().into_bytes())
}

/// Answers a request that names its action in `X-Amz-Target`.
pub fn handle(session: &mut Session, request: &Request) -> Response {
    let Some(target) = request.header("X-Amz-Target") else {
        return error(
            JSON_1_1,
            &AwsError::new("UnknownOperationException", "the request has no X-Amz-Target header"),
        );
    };
    let found = target
        .split_once('.')
        .and_then(|(prefix, action)| TARGETS.iter().find(|t| t.0 == prefix).map(|t| (t, action)));
    let Some(((_, service, content_type), action)) = found else {
        return error(
            JSON_1_1,
            &AwsError::new("UnknownOperationException", format!("unknown target {target}")),
        );
    };
    let input = match parse_object(request.body) {
        Ok(input) => input,
        Err(failure) => return error(content_type, &failure),
    };
    match session.call(service, action, &input) {
        Ok(output) => ok(content_type, &output),
        Err(failure) => service_error(service, content_type, &failure),
    }
}

/// A failure of `service`'s action. CloudWatch is marked query-compatible in its model: its
/// errors keep the query protocol's HTTP statuses and name their query code in
/// `x-amzn-query-error`, which botocore and the SDKs read first.
fn service_error(service: &str, content_type: &'static str, failure: &AwsError) -> Response {
    let response = error(content_type, failure);
    #[cfg(not(target_arch = "wasm32"))]
    if service == "cloudwatch" {
        use super::model;
        let status = model::status(service, failure);
        let mut response = Response { status, ..response };
        response.headers.push(model::query_error_header(status, failure));
        return response;
    }
    let _ = service;
    response
}

/// A JSON body that must be an object: empty means `{}` (clients send nothing for actions
/// without input).
pub fn parse_object(body: &[u8]) -> Result<Value, AwsError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| AwsError::serialization(format!("the request body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(AwsError::serialization("the request body must be a JSON object"));
    }
    Ok(value)
}
