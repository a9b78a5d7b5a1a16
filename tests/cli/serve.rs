//! `ecs-daemon-sim serve` end to end: the real program on a free port, spoken to over TCP as an
//! AWS client would (AWS JSON 1.1, `X-Amz-Target`), with its clock stopped (`--speed 0`) so that
//! simulated time moves only through the control surface.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The running server, stopped when the test ends (also on a failed assertion).
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-daemon-sim"))
        .args(["serve", "--port", "0", "--speed", "0", "--seed", "7"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let address =
        first.split("http://").nth(1).and_then(|rest| rest.split_whitespace().next()).unwrap_or_default();
    assert!(first.starts_with("listening on http://127.0.0.1:"), "{first}");
    Server { address: address.to_string(), child }
}

/// One HTTP/1.1 request on its own connection: (status, headers, body).
fn http(
    server: &Server,
    method: &str,
    path: &str,
    target: Option<&str>,
    body: &[u8],
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/ecs/aws4_request, \
         SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n",
        server.address,
        body.len()
    );
    if let Some(target) = target {
        head.push_str(&format!("X-Amz-Target: {target}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (headers, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = headers.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, headers.to_string(), body.to_string())
}

fn ecs(server: &Server, action: &str, body: &str) -> (u16, String, serde_json::Value) {
    let target = format!("AmazonEC2ContainerServiceV20141113.{action}");
    let (status, headers, body) = http(server, "POST", "/", Some(&target), body.as_bytes());
    (status, headers, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
}

#[test]
fn an_aws_client_creates_and_lists_a_cluster_and_gets_aws_errors_for_bad_requests() {
    let server = serve();
    let (status, headers, created) = ecs(&server, "CreateCluster", r#"{"clusterName":"demo"}"#);
    assert_eq!(status, 200, "{headers}");
    assert!(headers.to_ascii_lowercase().contains("content-type: application/x-amz-json-1.1"), "{headers}");
    assert_eq!(created["cluster"]["clusterArn"], "arn:aws:ecs:us-east-1:123456789012:cluster/demo");

    let (status, headers, error) = ecs(&server, "CreateCluster", "{not json");
    assert_eq!((status, error["__type"].as_str()), (400, Some("SerializationException")));
    assert!(headers.contains("x-amzn-ErrorType: SerializationException"), "{headers}");
    let (status, _, error) = ecs(&server, "DescribeDaemon", r#"{"daemonArn":"nope"}"#);
    assert_eq!(status, 400);
    assert!(error["__type"].as_str().is_some_and(|t| t.ends_with("Exception")), "{error}");
    let (status, _, error) = ecs(&server, "LaunchRockets", "{}");
    assert_eq!((status, error["__type"].as_str()), (400, Some("UnknownOperationException")));
    let (status, _, body) = http(
        &server,
        "POST",
        "/",
        Some("AmazonEC2ContainerServiceV20141113.ListClusters"),
        &vec![b' '; (1 << 20) + 1],
    );
    assert_eq!(status, 413, "{body}");

    // Only the good request changed the account.
    let (_, _, listed) = ecs(&server, "ListClusters", "");
    assert_eq!(listed["clusterArns"].as_array().map(Vec::len), Some(1));
}

#[test]
fn simulated_time_moves_only_through_the_control_surface_at_speed_0() {
    let server = serve();
    let clock = |s: &Server| -> serde_json::Value {
        serde_json::from_str(&http(s, "GET", "/_sim/clock", None, b"").2).unwrap()
    };
    assert_eq!(clock(&server)["elapsedMs"], 0);
    let (status, _, advanced) = http(&server, "POST", "/_sim/advance", None, br#"{"seconds": 300}"#);
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&advanced).unwrap()["elapsedMs"], 300_000);
    let (status, _, refused) = http(&server, "POST", "/_sim/advance", None, br#"{"seconds": "soon"}"#);
    assert_eq!(status, 400, "{refused}");
    assert_eq!(clock(&server)["elapsedMs"], 300_000);
}
