#![deny(missing_docs)]
//! The HTTP face of one simulated account, for real AWS clients (the AWS CLI, boto3, the AWS SDKs)
//! pointed at it with `AWS_ENDPOINT_URL`: a request in, a response out. No sockets and no wall
//! clock here — the native program's `serve` owns those and tells [`Endpoint::wall_elapsed`] how
//! much wall time passed — so the protocol is tested natively and the account stays one
//! single-threaded [`Session`], every request applied at the current simulated time and recorded
//! in the session's scenario (which is what a following page replays).
//!
//! Each AWS protocol has its own module, and [`Endpoint::handle`] tells them apart by path and
//! headers: [`json`] (AWS JSON 1.1 and 1.0, `X-Amz-Target`: ECS, CloudWatch Logs, CloudWatch),
//! [`query`] (form-encoded `Action=…&Version=…` with XML answers: IAM, STS, CloudWatch, and EC2's
//! dialect in [`ec2`]), [`cbor`] (Smithy RPC v2 CBOR: CloudWatch), and [`control`] the `/_sim/`
//! surface for tests and training (clock, pause, fault commands, the recorded inputs). All of
//! them hand the api the action's input in its JSON shape and get its output back in that shape;
//! [`model`] holds the little of botocore's models the wire needs beyond that. The query, EC2 and
//! CBOR protocols (and their crates: `percent-encoding`, `quick-xml`, `ciborium`) are compiled
//! for the native program only: the playground in the browser speaks to the api directly. Credentials and SigV4 headers are accepted and never verified; the signing
//! scope's Region is read, because every ARN names one (see [`Endpoint::handle`]). A request that
//! cannot be understood is answered with the error AWS gives and changes nothing.

#[cfg(not(target_arch = "wasm32"))]
pub mod cbor;
pub mod control;
#[cfg(not(target_arch = "wasm32"))]
pub mod ec2;
pub mod json;
#[cfg(not(target_arch = "wasm32"))]
pub mod model;
#[cfg(not(target_arch = "wasm32"))]
pub mod query;
#[cfg(not(target_arch = "wasm32"))]
pub mod xml;

use crate::api::AwsError;
use crate::session::scenario::{Input, RunOptions, Scenario, ScenarioError};
use crate::session::Session;

/// The Region of an account no request has named one for (the AWS CLI's usual default).
const DEFAULT_REGION: &str = "us-east-1";

/// A fresh account of `seed` in `region`, validated as a scenario's options are.
fn account(seed: u64, region: &str) -> Result<Session, ScenarioError> {
    let options = RunOptions { region: region.to_string(), ..RunOptions::default() };
    Session::new(Scenario { options, ..Scenario::with_seed(seed) })
}

/// The header that carries an AWS request's id (the server adds its own to other answers).
pub const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";

/// The largest request body read; a larger one is refused unread (HTTP 413).
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The deepest nesting a decoded request may have (CBOR items, parts of a query parameter's
/// name): far beyond any modelled input, and shallow enough for the decoders' recursion.
pub const MAX_DEPTH: usize = 32;
/// The most parameters a query-protocol request may have.
pub const MAX_PARAMETERS: usize = 10_000;

/// One HTTP request, as the server read it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path, without the query string.
    pub path: &'a str,
    /// The query string, without the `?` (empty when there is none).
    pub query: &'a str,
    /// The headers, names in any case.
    pub headers: &'a [(String, String)],
    /// The body, at most [`MAX_BODY_BYTES`] (the server refuses larger ones before reading them).
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The Region and service of the SigV4 signing scope
    /// (`Credential=AKID/20261202/us-east-1/ecs/aws4_request`), when the request is signed.
    pub fn signing_scope(&self) -> Option<(&'a str, &'a str)> {
        let authorization = self.header("Authorization")?;
        let credential = authorization.split("Credential=").nth(1)?;
        let scope = credential.split([',', ' ']).next()?;
        let mut parts = scope.split('/').skip(2);
        Some((parts.next()?, parts.next()?))
    }
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
    /// Further headers the protocol needs (e.g. `smithy-protocol`).
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A successful answer.
    pub fn ok(content_type: &'static str, body: Vec<u8>) -> Response {
        Response { status: 200, content_type, error_type: None, headers: Vec::new(), body }
    }

    /// A body over [`MAX_BODY_BYTES`], refused unread.
    pub fn too_large() -> Response {
        let error = AwsError::new(
            "RequestEntityTooLargeException",
            format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
        );
        Response { status: 413, ..json::error(json::JSON_1_1, &error) }
    }

    /// A body that did not arrive whole in time (a slow or stalled client), answered unapplied.
    pub fn timed_out() -> Response {
        let error = AwsError::new("RequestTimeoutException", "the request body did not arrive in time");
        Response { status: 408, ..json::error(json::JSON_1_1, &error) }
    }
}

/// One simulated account behind HTTP, with the clock that moves it.
#[derive(Debug)]
pub struct Endpoint {
    session: Session,
    clock: control::Clock,
    seed: u64,
    /// Whether `--region` fixed the Region; otherwise the first signed request to a regional
    /// service chooses it, while the account is still empty.
    region_fixed: bool,
    /// Request ids given out, for the next one.
    requests: u64,
}

/// The wire protocol a request is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Json,
    #[cfg(not(target_arch = "wasm32"))]
    Query,
    #[cfg(not(target_arch = "wasm32"))]
    Cbor,
}

impl Protocol {
    /// RPC v2 by its path, JSON by its `X-Amz-Target`, query by its form body or `Action`
    /// parameter; anything else is answered as JSON (which names what is missing).
    fn of(request: &Request) -> Protocol {
        #[cfg(not(target_arch = "wasm32"))]
        {
            if cbor::is_cbor(request) {
                return Protocol::Cbor;
            }
            if request.header("X-Amz-Target").is_none() && query::is_query(request) {
                return Protocol::Query;
            }
        }
        let _ = request;
        Protocol::Json
    }
}

impl Endpoint {
    /// An account of `seed` whose clock runs at `speed` × wall time; `region` fixes its Region,
    /// `None` lets the first signed request choose it (us-east-1 until then). Refused when the
    /// Region is not a Region name.
    pub fn new(seed: u64, speed: f64, region: Option<&str>) -> Result<Endpoint, ScenarioError> {
        Ok(Endpoint {
            session: account(seed, region.unwrap_or(DEFAULT_REGION))?,
            clock: control::Clock::new(speed),
            seed,
            region_fixed: region.is_some(),
            requests: 0,
        })
    }

    /// The account and the record of every request that changed it.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Tells the endpoint that `wall_ms` of wall time passed: the account moves on by that many
    /// ms × its speed, unless paused.
    pub fn wall_elapsed(&mut self, wall_ms: f64) {
        let ms = self.clock.take(wall_ms);
        self.session.advance_by(ms);
    }

    /// Answers one request. The signing scope's Region must be the account's: the first signed
    /// request to a regional service picks it while nothing exists yet (so a CLI configured for
    /// eu-west-1 gets eu-west-1 ARNs); later, another Region is refused rather than answered
    /// with ARNs it did not ask for. IAM and STS are global and sign for us-east-1.
    pub fn handle(&mut self, request: &Request) -> Response {
        if request.path.starts_with("/_sim/") {
            return control::handle(self, request);
        }
        let protocol = Protocol::of(request);
        // One id per AWS request, in the `x-amzn-RequestId` header and, for XML, in the body too.
        let request_id = self.next_request_id();
        let mut response = match self.check_region(request) {
            Err(error) => match protocol {
                Protocol::Json => json::error(json::JSON_1_1, &error),
                #[cfg(not(target_arch = "wasm32"))]
                Protocol::Query => query::refuse(request, &error, &request_id),
                #[cfg(not(target_arch = "wasm32"))]
                Protocol::Cbor => cbor::refuse(request, &error),
            },
            Ok(()) => match protocol {
                Protocol::Json => json::handle(&mut self.session, request),
                #[cfg(not(target_arch = "wasm32"))]
                Protocol::Query => query::handle(&mut self.session, request, &request_id),
                #[cfg(not(target_arch = "wasm32"))]
                Protocol::Cbor => cbor::handle(&mut self.session, request),
            },
        };
        response.headers.push((REQUEST_ID_HEADER, request_id));
        response
    }

    /// A request id in the UUID form AWS uses, the same for the same seed and request number.
    fn next_request_id(&mut self) -> String {
        use crate::support::hash::{fnv1a, FNV_OFFSET};
        self.requests += 1;
        let high = fnv1a(FNV_OFFSET ^ self.seed, &self.requests.to_le_bytes());
        let low = fnv1a(high, &self.requests.to_be_bytes());
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            high >> 32,
            (high >> 16) & 0xffff,
            high & 0xfff,
            low >> 52,
            low & 0xffff_ffff_ffff
        )
    }

    fn check_region(&mut self, request: &Request) -> Result<(), AwsError> {
        let Some((region, service)) = request.signing_scope() else { return Ok(()) };
        if matches!(service, "iam" | "sts") || region == self.session.scenario().options.region {
            return Ok(());
        }
        let untouched = self.session.scenario().log.iter().all(|e| matches!(e.input, Input::Advance(_)));
        if !self.region_fixed && untouched {
            if let Ok(mut session) = account(self.seed, region) {
                session.advance_by(self.session.simulation().elapsed());
                self.session = session;
                self.region_fixed = true;
                return Ok(());
            }
        }
        Err(AwsError::new(
            "UnrecognizedClientException",
            format!(
                "this endpoint simulates one account in {}; the request was signed for {region}",
                self.session.scenario().options.region
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const ECS: &str = "AmazonEC2ContainerServiceV20141113";

    fn send(
        endpoint: &mut Endpoint,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Response {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let headers: Vec<(String, String)> =
            headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        endpoint.handle(&Request { method, path, query, headers: &headers, body: body.as_bytes() })
    }

    fn ecs(endpoint: &mut Endpoint, action: &str, body: &str) -> Response {
        let target = format!("{ECS}.{action}");
        send(endpoint, "POST", "/", &[("X-Amz-Target", &target)], body)
    }

    fn body(response: &Response) -> Value {
        serde_json::from_slice(&response.body).unwrap()
    }

    fn endpoint() -> Endpoint {
        Endpoint::new(7, 0.0, None).unwrap()
    }

    #[test]
    fn an_ecs_action_in_json_1_1_answers_its_output_and_changes_the_account() {
        let mut endpoint = endpoint();
        let created = ecs(&mut endpoint, "CreateCluster", r#"{"clusterName":"demo"}"#);
        assert_eq!((created.status, created.content_type), (200, json::JSON_1_1));
        assert_eq!(body(&created)["cluster"]["status"], "ACTIVE");
        let listed = ecs(&mut endpoint, "ListClusters", "");
        assert_eq!(body(&listed)["clusterArns"].as_array().unwrap().len(), 1);
        assert_eq!(endpoint.session().scenario().log.len(), 2);
    }

    #[test]
    fn bad_requests_get_aws_errors_and_change_nothing() {
        let mut endpoint = endpoint();
        let cases = [
            (ecs(&mut endpoint, "CreateCluster", "{not json"), "SerializationException"),
            (ecs(&mut endpoint, "CreateCluster", "[1]"), "SerializationException"),
            (ecs(&mut endpoint, "LaunchRockets", "{}"), "UnknownOperationException"),
            (
                send(
                    &mut endpoint,
                    "POST",
                    "/",
                    &[("X-Amz-Target", "NoSuchService_20200101.CreateCluster")],
                    "{}",
                ),
                "UnknownOperationException",
            ),
            (send(&mut endpoint, "POST", "/", &[], "{}"), "UnknownOperationException"),
            (ecs(&mut endpoint, "DeleteCluster", r#"{"cluster":"nope"}"#), "ClusterNotFoundException"),
        ];
        for (response, expected) in cases {
            assert_eq!(response.status, 400, "{expected}");
            assert_eq!(response.error_type.as_deref(), Some(expected));
            assert_eq!(body(&response)["__type"], expected);
            assert!(body(&response)["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        assert!(endpoint.session().scenario().log.is_empty(), "nothing was applied");
        assert_eq!(Response::too_large().status, 413);
    }

    const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

    fn text(response: &Response) -> String {
        String::from_utf8(response.body.clone()).unwrap()
    }

    #[test]
    fn cloudwatch_in_json_1_0_keeps_its_query_statuses_and_names_the_query_code() {
        let mut endpoint = endpoint();
        let target = [("X-Amz-Target", "GraniteServiceVersion20100801.DeleteAlarms")];
        let missing = send(&mut endpoint, "POST", "/", &target, r#"{"AlarmNames": ["nope"]}"#);
        assert_eq!((missing.status, missing.content_type), (404, json::JSON_1_0));
        assert!(missing.headers.contains(&("x-amzn-query-error", "ResourceNotFound;Sender".to_string())));
        let ecs_missing = ecs(&mut endpoint, "DeleteCluster", r#"{"cluster":"nope"}"#);
        assert!(!ecs_missing.headers.iter().any(|(name, _)| *name == "x-amzn-query-error"));
    }

    #[test]
    fn query_ec2_and_cbor_requests_reach_the_api_and_bad_ones_change_nothing() {
        let mut endpoint = endpoint();
        let created = send(
            &mut endpoint,
            "POST",
            "/",
            &[FORM],
            "Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%22Statement%22%3A%5B%5D%7D",
        );
        assert_eq!((created.status, created.content_type), (200, "text/xml"));
        assert!(text(&created).contains("<CreateRoleResult><Role><Path>/</Path><RoleName>r</RoleName>"));
        let fetched = send(&mut endpoint, "GET", "/?Action=GetRole&Version=2010-05-08&RoleName=r", &[], "");
        assert!(text(&fetched).contains("<AssumeRolePolicyDocument>%7B%22Statement%22%3A%5B%5D%7D<"));
        let described = send(
            &mut endpoint,
            "POST",
            "/",
            &[FORM],
            "Action=DescribeInstances&Version=2016-11-15&MaxResults=5",
        );
        let id = described.headers.iter().find(|(name, _)| *name == REQUEST_ID_HEADER).unwrap();
        assert!(
            text(&described).contains(&format!("<requestId>{}</requestId>", id.1)),
            "{}",
            text(&described)
        );
        let cbor_headers = [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", "application/cbor")];
        let path = "/service/GraniteServiceVersion20100801/operation/DescribeAlarms";
        let alarms = send(&mut endpoint, "POST", path, &cbor_headers, "");
        assert_eq!((alarms.status, alarms.content_type), (200, cbor::CBOR));
        assert_eq!(alarms.headers[0], ("smithy-protocol", "rpc-v2-cbor".to_string()));
        let applied = endpoint.session().scenario().log.len();
        let fingerprint = endpoint.session().api().state_fingerprint();

        let scope =
            "AWS4-HMAC-SHA256 Credential=AKID/20261202/eu-west-1/monitoring/aws4_request, Signature=0";
        let refusals = [
            (
                send(
                    &mut endpoint,
                    "POST",
                    "/",
                    &[FORM],
                    "Action=DeleteRole&Version=2010-05-08&RoleName=nobody",
                ),
                404,
                "NoSuchEntity",
            ),
            (
                send(
                    &mut endpoint,
                    "POST",
                    "/",
                    &[FORM],
                    "Action=DeleteRole&Version=2010-05-08&RoleName=%G1",
                ),
                400,
                "MalformedQueryString",
            ),
            (
                send(&mut endpoint, "POST", "/", &[FORM], "Action=DeleteRole&Version=2099-01-01"),
                400,
                "NoSuchVersion",
            ),
            (
                send(&mut endpoint, "POST", "/", &[FORM], "Action=Fly&Version=2011-06-15"),
                400,
                "InvalidAction",
            ),
            (
                send(
                    &mut endpoint,
                    "POST",
                    "/",
                    &[FORM],
                    "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0",
                ),
                400,
                "InvalidInstanceID.NotFound",
            ),
            (
                send(
                    &mut endpoint,
                    "POST",
                    "/",
                    &[FORM, ("Authorization", scope)],
                    "Action=DescribeAlarms&Version=2010-08-01",
                ),
                400,
                "UnrecognizedClientException",
            ),
            (send(&mut endpoint, "POST", path, &cbor_headers, "\u{ff}"), 400, "SerializationException"),
            (
                send(&mut endpoint, "POST", path, &[("Authorization", scope), cbor_headers[0]], ""),
                400,
                "UnrecognizedClientException",
            ),
            (
                send(
                    &mut endpoint,
                    "POST",
                    "/service/GraniteServiceVersion20100801/operation/Fly",
                    &cbor_headers,
                    "",
                ),
                404,
                "UnknownOperationException",
            ),
            (send(&mut endpoint, "POST", path, &[], ""), 400, "SerializationException"),
        ];
        for (response, status, code) in refusals {
            assert_eq!(
                (response.status, response.error_type.as_deref()),
                (status, Some(code)),
                "{}",
                text(&response)
            );
        }
        assert_eq!(endpoint.session().scenario().log.len(), applied, "nothing was applied");
        assert_eq!(endpoint.session().api().state_fingerprint(), fingerprint);
    }

    #[test]
    fn the_first_signed_regional_request_chooses_the_region_and_others_are_refused() {
        let mut endpoint = endpoint();
        let signed = |region: &str, service: &str| {
            format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/{region}/{service}/aws4_request, SignedHeaders=host, Signature=00")
        };
        let iam = signed("us-east-1", "iam");
        let target = format!("{ECS}.CreateCluster");
        let _ = send(&mut endpoint, "POST", "/", &[("Authorization", &iam)], "");
        let eu = signed("eu-west-1", "ecs");
        let created =
            send(&mut endpoint, "POST", "/", &[("Authorization", &eu), ("X-Amz-Target", &target)], "{}");
        assert!(body(&created)["cluster"]["clusterArn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:ecs:eu-west-1:"));
        let us = signed("us-east-1", "ecs");
        let refused =
            send(&mut endpoint, "POST", "/", &[("Authorization", &us), ("X-Amz-Target", &target)], "{}");
        assert_eq!(refused.error_type.as_deref(), Some("UnrecognizedClientException"));
        assert_eq!(endpoint.session().scenario().log.len(), 1);
        assert!(Endpoint::new(7, 1.0, Some("not a region")).is_err());
    }

    #[test]
    fn the_control_surface_moves_pauses_and_reports_the_clock() {
        let mut endpoint = Endpoint::new(7, 60.0, None).unwrap();
        let at = |r: &Response| body(r)["elapsedMs"].as_u64().unwrap();
        assert_eq!(at(&send(&mut endpoint, "GET", "/_sim/clock", &[], "")), 0);
        endpoint.wall_elapsed(1000.0);
        assert_eq!(at(&send(&mut endpoint, "GET", "/_sim/clock", &[], "")), 60_000, "60 × one wall second");
        assert_eq!(at(&send(&mut endpoint, "POST", "/_sim/advance", &[], r#"{"seconds": 90}"#)), 150_000);
        let refused = send(&mut endpoint, "POST", "/_sim/advance", &[], r#"{"seconds": -1}"#);
        assert_eq!(refused.error_type.as_deref(), Some("InvalidParameterException"));
        assert_eq!(body(&send(&mut endpoint, "POST", "/_sim/pause", &[], ""))["paused"], true);
        endpoint.wall_elapsed(1000.0);
        assert_eq!(at(&send(&mut endpoint, "GET", "/_sim/clock", &[], "")), 150_000, "paused");
        let _ = send(&mut endpoint, "POST", "/_sim/resume", &[], "");
        endpoint.wall_elapsed(500.0);
        assert_eq!(at(&send(&mut endpoint, "GET", "/_sim/clock", &[], "")), 180_000);
        let unknown = send(&mut endpoint, "POST", "/_sim/launch", &[], "");
        assert_eq!(unknown.error_type.as_deref(), Some("UnknownOperationException"));
    }

    #[test]
    fn a_follower_replaying_the_recorded_inputs_reaches_the_same_event_log() {
        let mut endpoint = endpoint();
        let _ = send(&mut endpoint, "POST", "/_sim/advance", &[], r#"{"seconds": 3}"#);
        assert_eq!(ecs(&mut endpoint, "CreateCluster", r#"{"clusterName":"demo"}"#).status, 200);
        let bad = send(&mut endpoint, "POST", "/_sim/command", &[], r#"{"command": "sim no-such-fault"}"#);
        assert_eq!(bad.status, 400);
        let _ = send(&mut endpoint, "POST", "/_sim/advance", &[], r#"{"seconds": 7}"#);
        let all = body(&send(&mut endpoint, "GET", "/_sim/scenario?since=0", &[], ""));
        assert_eq!(all["next"], 3);
        let later = body(&send(&mut endpoint, "GET", "/_sim/scenario?since=2", &[], ""));
        assert_eq!(later["log"].as_array().unwrap().len(), 1);
        let refused = send(&mut endpoint, "GET", "/_sim/scenario?since=x", &[], "");
        assert_eq!(refused.error_type.as_deref(), Some("InvalidParameterException"));

        let mut follower = Session::with_seed(all["seed"].as_u64().unwrap());
        for (index, entry) in all["log"].as_array().unwrap().iter().enumerate() {
            let entry =
                crate::session::scenario::LogEntry::from_value(entry, &format!("log[{index}]")).unwrap();
            follower.follow(&entry).unwrap();
        }
        assert_eq!(format!("{:016x}", follower.event_log_hash()), all["eventLogHash"]);
        assert_eq!(follower.simulation().elapsed(), all["elapsedMs"]);
    }
}
