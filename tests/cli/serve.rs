//! `ecs-daemon-sim serve` end to end: the real program on a free port, spoken to over TCP as an
//! AWS client would (AWS JSON 1.1, `X-Amz-Target`), with its clock stopped (`--speed 0`) so that
//! simulated time moves only through the control surface.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
    serve_at_speed("0")
}

fn serve_at_speed(speed: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-daemon-sim"))
        .args(["serve", "--port", "0", "--speed", speed, "--seed", "7"])
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
    // A server that stopped answering fails the test instead of hanging it.
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
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

#[test]
fn a_stalled_or_broken_client_holds_up_no_one_and_changes_nothing() {
    let server = serve();
    // Headers promising a body that never comes, and one that breaks off half way.
    let head = |length: usize| {
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.CreateCluster\r\n\
             Content-Length: {length}\r\n\r\n"
        )
    };
    let mut stalled = TcpStream::connect(&server.address).unwrap();
    stalled.write_all(head(100).as_bytes()).unwrap();
    let mut broken = TcpStream::connect(&server.address).unwrap();
    broken.write_all(format!("{}{{\"clusterName\":", head(40)).as_bytes()).unwrap();
    broken.shutdown(Shutdown::Both).unwrap();
    drop(broken);

    let (status, _, created) = ecs(&server, "CreateCluster", r#"{"clusterName":"meanwhile"}"#);
    assert_eq!(status, 200, "answered while another client stalls: {created}");
    let (_, _, listed) = ecs(&server, "ListClusters", "");
    assert_eq!(listed["clusterArns"].as_array().map(Vec::len), Some(1), "{listed}");
    drop(stalled);
}

/// Eight clients × 250 requests against one server at 60× (the clock moving between requests):
/// every answer must be a 200. The figures are printed, not asserted (`--nocapture` shows them).
#[test]
fn eight_concurrent_clients_of_250_requests_each_get_no_error() {
    const CLIENTS: usize = 8;
    const REQUESTS: usize = 250;
    let server = serve_at_speed("60");
    let started = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let server = &server;
                scope.spawn(move || {
                    let mut latencies = Vec::with_capacity(REQUESTS);
                    for request in 0..REQUESTS {
                        let sent = Instant::now();
                        let (status, _, body) = match request % 4 {
                            0 => ecs(
                                server,
                                "CreateCluster",
                                &format!(r#"{{"clusterName":"load-{client}-{request}"}}"#),
                            ),
                            1 => ecs(server, "ListClusters", ""),
                            2 => ecs(
                                server,
                                "DescribeClusters",
                                &format!(r#"{{"clusters":["load-{client}-{}"]}}"#, request - 2),
                            ),
                            _ => {
                                let (status, headers, body) = http(server, "GET", "/_sim/clock", None, b"");
                                (status, headers, serde_json::from_str(&body).unwrap_or_default())
                            }
                        };
                        assert_eq!(status, 200, "client {client}, request {request}: {body}");
                        latencies.push(sent.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    let wall = started.elapsed();
    let mut sorted = latencies;
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)];
    println!(
        "serve load: {CLIENTS} clients x {REQUESTS} requests: {} answered in {:.2} s, {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms",
        sorted.len(),
        wall.as_secs_f64(),
        sorted.len() as f64 / wall.as_secs_f64(),
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
    );
    assert_eq!(sorted.len(), CLIENTS * REQUESTS);
    let (_, _, listed) = ecs(&server, "ListClusters", r#"{"maxResults": 100}"#);
    assert_eq!(listed["clusterArns"].as_array().map(Vec::len), Some(100), "{listed}");
}
