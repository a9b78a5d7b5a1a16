//! Arbitrary bytes as one HTTP request to `Endpoint::handle`, in the protocol the first byte picks:
//! 0 a query-protocol form POST (the rest is the body), 1 a query-protocol GET (the rest is the query
//! string), 2 an RPC v2 CBOR POST (first line the operation, the rest the CBOR body), 3 an AWS JSON
//! POST (first line the `X-Amz-Target`, the rest the body). The second byte's low bits add a SigV4
//! scope for another Region or service (the region check's refusals go through each protocol's
//! error shape). The account has a role, an instance profile and an alarm first, so deletes and
//! conflicts are reachable. Nothing may panic; every answer has a status from 200 to 599; a refusal
//! carries its protocol's error (XML `<Code>`, CBOR or JSON `__type`); and a refused request leaves
//! the recorded inputs, the event log and the api's state fingerprint unchanged.

#![no_main]

use ecs_daemon_sim::endpoint::{Endpoint, Request, Response};
use libfuzzer_sys::fuzz_target;

const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

fn send(
    endpoint: &mut Endpoint,
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let headers: Vec<(String, String)> =
        headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    endpoint.handle(&Request { method, path, query, headers: &headers, body })
}

fn account() -> Endpoint {
    let mut endpoint = Endpoint::new(7, 0.0, None).expect("an account");
    let setup: [&[u8]; 3] = [
        b"Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%22Statement%22%3A%5B%5D%7D",
        b"Action=CreateInstanceProfile&Version=2010-05-08&InstanceProfileName=p",
        b"Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&MetricName=m&Namespace=n&Statistic=Average&EvaluationPeriods=1&ComparisonOperator=GreaterThanThreshold&Threshold=1",
    ];
    for body in setup {
        let answer = send(&mut endpoint, "POST", "/", "", &[("Content-Type", FORM)], body);
        assert_eq!(answer.status, 200, "setup: {}", String::from_utf8_lossy(&answer.body));
    }
    endpoint
}

fn state(endpoint: &Endpoint) -> (usize, u64, u64) {
    let session = endpoint.session();
    (session.scenario().log.len(), session.event_log_hash(), session.api().state_fingerprint())
}

const SCOPES: [&str; 4] = [
    "",
    "AWS4-HMAC-SHA256 Credential=AKID/20261202/eu-west-1/monitoring/aws4_request, SignedHeaders=host, Signature=0",
    "AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
    "AWS4-HMAC-SHA256 Credential=AKID/20261202/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=0",
];

fuzz_target!(|data: &[u8]| {
    let [kind, scope, rest @ ..] = data else { return };
    let mut endpoint = account();
    // A fresh account takes the first signed Region; this one is no longer empty, so another
    // Region is refused.
    let scope = SCOPES[usize::from(*scope) % SCOPES.len()];
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if !scope.is_empty() {
        headers.push(("Authorization", scope));
    }
    let text = String::from_utf8_lossy(rest);
    let (first_line, remainder) = match rest.iter().position(|b| *b == b'\n') {
        Some(at) => (String::from_utf8_lossy(&rest[..at]).into_owned(), &rest[at + 1..]),
        None => (text.clone().into_owned(), &[][..]),
    };
    let before = state(&endpoint);
    let path;
    let answer = match kind % 4 {
        0 => {
            headers.push(("Content-Type", FORM));
            send(&mut endpoint, "POST", "/", "", &headers, rest)
        }
        1 => send(&mut endpoint, "GET", "/", &text, &headers, b""),
        2 => {
            path = format!("/service/GraniteServiceVersion20100801/operation/{first_line}");
            headers.push(("Content-Type", "application/cbor"));
            headers.push(("smithy-protocol", "rpc-v2-cbor"));
            send(&mut endpoint, "POST", &path, "", &headers, remainder)
        }
        _ => {
            headers.push(("X-Amz-Target", &first_line));
            send(&mut endpoint, "POST", "/", "", &headers, remainder)
        }
    };
    assert!((200..600).contains(&answer.status), "status {}", answer.status);
    if answer.status == 200 {
        return;
    }
    let body = &answer.body;
    let shaped = match answer.content_type {
        "text/xml" => {
            let text = String::from_utf8_lossy(body);
            text.contains("<Code>") && text.contains("</Code>") && text.contains("<Message>")
        }
        "application/cbor" => {
            body.windows(6).any(|w| w == b"__type") && body.windows(7).any(|w| w == b"message")
        }
        _ => serde_json::from_slice::<serde_json::Value>(body)
            .is_ok_and(|v| v["__type"].is_string() && v["message"].is_string()),
    };
    assert!(shaped, "an error without its protocol's shape: {}", String::from_utf8_lossy(body));
    assert!(answer.error_type.as_deref().is_some_and(|t| !t.is_empty()));
    assert_eq!(state(&endpoint), before, "refused but changed: {}", String::from_utf8_lossy(body));
});
