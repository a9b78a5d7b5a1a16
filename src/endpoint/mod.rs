#![deny(missing_docs)]
//! The HTTP face of one simulated account, for real AWS clients (the AWS CLI, boto3, the AWS SDKs)
//! pointed at it with `AWS_ENDPOINT_URL`: a request in, a response out. No sockets and no wall
//! clock here — the native program's `serve` owns those — so the protocol is tested natively and
//! the account stays one single-threaded [`Session`], every request applied at the current
//! simulated time and recorded in the session's scenario.
//!
//! What it speaks so far:
//! - AWS JSON 1.1 (`X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Action>` for ECS,
//!   `Logs_20140328.<Action>` for CloudWatch Logs) and JSON 1.0 (`GraniteServiceVersion20100801.<Action>`,
//!   CloudWatch alarms as botocore sends them): the body is the action's input, the answer its
//!   output; a failure is HTTP 400 (500 for a server fault) with `{"__type": ..., "message": ...}`
//!   and the `x-amzn-ErrorType` header, which is what botocore's and the SDKs' JSON parsers read.
//! - A control surface for tests and training: `GET /_sim/clock` and
//!   `POST /_sim/advance {"seconds": N}`.
//!
//! Credentials and SigV4 headers are accepted and never verified. A request that cannot be
//! understood (no target, an unknown one, a body that is not JSON, one over [`MAX_BODY_BYTES`]) is
//! answered with the error AWS gives and changes nothing.

use crate::api::AwsError;
use crate::session::Session;
use serde_json::{json, Value};

/// The largest request body read; a larger one is refused unread (HTTP 413).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The `X-Amz-Target` prefixes this endpoint answers, with the simulated service each names and
/// the content type of its JSON protocol version.
const TARGETS: &[(&str, &str, &str)] = &[
    ("AmazonEC2ContainerServiceV20141113", "ecs", JSON_1_1),
    ("Logs_20140328", "logs", JSON_1_1),
    ("GraniteServiceVersion20100801", "cloudwatch", JSON_1_0),
];
const JSON_1_1: &str = "application/x-amz-json-1.1";
const JSON_1_0: &str = "application/x-amz-json-1.0";

/// One HTTP request, as the server read it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path, without the query string.
    pub path: &'a str,
    /// The `X-Amz-Target` header, if any.
    pub target: Option<&'a str>,
    /// The body, at most [`MAX_BODY_BYTES`] (the server refuses larger ones before reading them).
    pub body: &'a [u8],
}

/// One HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: &'static str,
    /// The AWS error type (`x-amzn-ErrorType`) of a failure.
    pub error_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    fn json(content_type: &'static str, value: &Value) -> Response {
        Response { status: 200, content_type, error_type: None, body: value.to_string().into_bytes() }
    }

    /// The AWS JSON error shape: HTTP 400 for the caller's fault, 500 for the service's.
    pub fn error(content_type: &'static str, error: &AwsError) -> Response {
        let body = json!({"__type": error.error_type, "message": error.message});
        Response {
            status: error.http_status(),
            content_type,
            error_type: Some(error.error_type.clone()),
            body: body.to_string().into_bytes(),
        }
    }

    /// A body over [`MAX_BODY_BYTES`], refused unread.
    pub fn too_large() -> Response {
        let error = AwsError::new(
            "RequestEntityTooLargeException",
            format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
        );
        Response { status: 413, ..Response::error(JSON_1_1, &error) }
    }
}

/// One simulated account behind HTTP.
#[derive(Debug)]
pub struct Endpoint {
    session: Session,
}

impl Endpoint {
    /// The endpoint of `session`'s account.
    pub fn new(session: Session) -> Endpoint {
        Endpoint { session }
    }

    /// The account and the record of every request that changed it.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Moves simulated time on by `ms` (the server's clock running at its speed).
    pub fn advance_by(&mut self, ms: u64) {
        self.session.advance_by(ms);
    }

    /// Answers one request.
    pub fn handle(&mut self, request: &Request) -> Response {
        if request.path.starts_with("/_sim/") {
            return self.control(request);
        }
        let Some(target) = request.target else {
            return Response::error(
                JSON_1_1,
                &AwsError::new("UnknownOperationException", "the request has no X-Amz-Target header"),
            );
        };
        let found = target
            .split_once('.')
            .and_then(|(prefix, action)| TARGETS.iter().find(|t| t.0 == prefix).map(|t| (t, action)));
        let Some(((_, service, content_type), action)) = found else {
            return Response::error(
                JSON_1_1,
                &AwsError::new("UnknownOperationException", format!("unknown target {target}")),
            );
        };
        let input = match parse_body(request.body) {
            Ok(input) => input,
            Err(error) => return Response::error(content_type, &error),
        };
        match self.session.call(service, action, &input) {
            Ok(output) => Response::json(content_type, &output),
            Err(error) => Response::error(content_type, &error),
        }
    }

    fn control(&mut self, request: &Request) -> Response {
        match (request.method, request.path) {
            ("GET", "/_sim/clock") => Response::json("application/json", &self.clock()),
            ("POST", "/_sim/advance") => {
                let seconds = parse_body(request.body).and_then(|body| {
                    body.get("seconds")
                        .and_then(Value::as_f64)
                        .filter(|s| (0.0..=MAX_ADVANCE_SECONDS).contains(s))
                        .ok_or_else(|| {
                            AwsError::invalid_parameter(format!(
                                "advance: `seconds` must be a number from 0 to {MAX_ADVANCE_SECONDS}"
                            ))
                        })
                });
                match seconds {
                    Ok(seconds) => {
                        self.session.advance_by((seconds * 1000.0).round() as u64);
                        Response::json("application/json", &self.clock())
                    }
                    Err(error) => Response::error("application/json", &error),
                }
            }
            (method, path) => Response::error(
                "application/json",
                &AwsError::new("UnknownOperationException", format!("no control action {method} {path}")),
            ),
        }
    }

    fn clock(&self) -> Value {
        json!({
            "nowMs": self.session.now_ms(),
            "elapsedMs": self.session.simulation().elapsed(),
            "eventLogHash": format!("{:016x}", self.session.event_log_hash()),
        })
    }
}

/// One simulated day per control request: a bound that keeps the conversion exact and a typo
/// from running the account for years.
const MAX_ADVANCE_SECONDS: f64 = 86_400.0;

/// A JSON protocol body: empty means `{}` (clients send nothing for actions without input).
fn parse_body(body: &[u8]) -> Result<Value, AwsError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn post<'a>(target: &'a str, body: &'a str) -> Request<'a> {
        Request { method: "POST", path: "/", target: Some(target), body: body.as_bytes() }
    }

    fn body(response: &Response) -> Value {
        serde_json::from_slice(&response.body).unwrap()
    }

    #[test]
    fn an_ecs_action_in_json_1_1_answers_its_output_and_changes_the_account() {
        let mut endpoint = Endpoint::new(Session::with_seed(7));
        let created = endpoint
            .handle(&post("AmazonEC2ContainerServiceV20141113.CreateCluster", r#"{"clusterName":"demo"}"#));
        assert_eq!((created.status, created.content_type), (200, JSON_1_1));
        assert_eq!(body(&created)["cluster"]["status"], "ACTIVE");
        let listed = endpoint.handle(&post("AmazonEC2ContainerServiceV20141113.ListClusters", ""));
        assert_eq!(body(&listed)["clusterArns"].as_array().unwrap().len(), 1);
        assert_eq!(endpoint.session().scenario().log.len(), 2);
    }

    #[test]
    fn bad_requests_get_aws_errors_and_change_nothing() {
        let mut endpoint = Endpoint::new(Session::with_seed(7));
        let cases = [
            (post("AmazonEC2ContainerServiceV20141113.CreateCluster", "{not json"), "SerializationException"),
            (post("AmazonEC2ContainerServiceV20141113.CreateCluster", "[1]"), "SerializationException"),
            (post("AmazonEC2ContainerServiceV20141113.LaunchRockets", "{}"), "UnknownOperationException"),
            (post("NoSuchService_20200101.CreateCluster", "{}"), "UnknownOperationException"),
            (Request { target: None, ..post("", "{}") }, "UnknownOperationException"),
            (
                post("AmazonEC2ContainerServiceV20141113.DeleteCluster", r#"{"cluster":"nope"}"#),
                "ClusterNotFoundException",
            ),
        ];
        for (request, expected) in cases {
            let response = endpoint.handle(&request);
            assert_eq!(response.status, 400, "{request:?}");
            assert_eq!(response.error_type.as_deref(), Some(expected), "{request:?}");
            assert_eq!(body(&response)["__type"], expected);
            assert!(body(&response)["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        assert!(endpoint.session().scenario().log.is_empty(), "nothing was applied");
        assert_eq!(Response::too_large().status, 413);
    }

    #[test]
    fn the_control_surface_reads_and_advances_the_clock() {
        let mut endpoint = Endpoint::new(Session::with_seed(7));
        let at = |r: &Response| body(r)["elapsedMs"].as_u64().unwrap();
        let clock = Request { method: "GET", path: "/_sim/clock", target: None, body: b"" };
        assert_eq!(at(&endpoint.handle(&clock)), 0);
        let advance =
            Request { method: "POST", path: "/_sim/advance", target: None, body: br#"{"seconds": 90}"# };
        assert_eq!(at(&endpoint.handle(&advance)), 90_000);
        let refused = Request { body: br#"{"seconds": -1}"#, ..advance };
        assert_eq!(endpoint.handle(&refused).error_type.as_deref(), Some("InvalidParameterException"));
        assert_eq!(at(&endpoint.handle(&clock)), 90_000);
    }
}
