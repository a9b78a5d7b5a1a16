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
    serve_with(&[])
}

fn serve_at_speed(speed: &str) -> Server {
    serve_with(&["--speed", speed])
}

fn serve_with(more: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-daemon-sim"))
        .args(["serve", "--port", "0", "--speed", "0", "--seed", "7"])
        .args(more)
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

/// A built playground of three files, beside a file the server must never hand out.
fn site() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("ecs-daemon-sim-site-{}", std::process::id()));
    std::fs::create_dir_all(root.join("dist/docs")).unwrap();
    std::fs::write(root.join("dist/index.html"), "<!DOCTYPE html><div id=app></div>").unwrap();
    std::fs::write(root.join("dist/playground_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(root.join("dist/docs/index.html"), "docs").unwrap();
    std::fs::write(root.join("secret.txt"), "do not serve").unwrap();
    root
}

#[test]
fn the_playground_is_served_beside_the_account_and_opened_here_follows_it() {
    let root = site();
    let dist = root.join("dist");
    let server = serve_with(&["--playground", dist.to_str().unwrap()]);
    let (status, headers, _) = http(&server, "GET", "/", None, b"");
    assert_eq!(status, 302, "{headers}");
    assert!(headers.contains(&format!("Location: /?follow=http://{}", server.address)), "{headers}");
    let (status, headers, body) = http(&server, "GET", "/?follow=http://127.0.0.1:1", None, b"");
    assert_eq!((status, body.as_str()), (200, "<!DOCTYPE html><div id=app></div>"));
    assert!(headers.contains("Content-Type: text/html"), "{headers}");
    let (status, headers, _) = http(&server, "GET", "/playground_bg.wasm", None, b"");
    assert_eq!(status, 200);
    assert!(headers.contains("Content-Type: application/wasm"), "{headers}");
    assert_eq!(http(&server, "GET", "/docs/", None, b"").2, "docs");
    for outside in ["/../secret.txt", "/docs/../../secret.txt", "/%2e%2e/secret.txt", "/missing.js"] {
        let (status, _, body) = http(&server, "GET", outside, None, b"");
        assert_eq!(status, 404, "{outside}: {body}");
        assert!(!body.contains("do not serve"));
    }
    // The account still answers first: AWS actions, the control surface.
    let (status, _, listed) = ecs(&server, "ListClusters", "");
    assert_eq!((status, listed["clusterArns"].as_array().map(Vec::len)), (200, Some(0)));
    assert_eq!(http(&server, "GET", "/_sim/clock", None, b"").0, 200);
    let _ = std::fs::remove_dir_all(root);

    let refused = Command::new(env!("CARGO_BIN_EXE_ecs-daemon-sim"))
        .args(["serve", "--port", "0", "--playground", "/nonexistent-ecs-daemon-sim-dist"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "a --playground that is not there is a usage error");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--playground"));
}

#[test]
fn a_page_elsewhere_may_call_the_server_cors() {
    let server = serve();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "OPTIONS / HTTP/1.1\r\nHost: {}\r\nOrigin: http://localhost:8080\r\nAccess-Control-Request-Method: POST\r\n\
         Access-Control-Request-Headers: content-type,x-amz-target\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut preflight = String::new();
    stream.read_to_string(&mut preflight).unwrap();
    assert!(preflight.starts_with("HTTP/1.1 204"), "{preflight}");
    for header in [
        "Access-Control-Allow-Origin: *",
        "Access-Control-Allow-Methods: GET, POST, OPTIONS",
        "Access-Control-Allow-Headers: content-type,x-amz-target",
    ] {
        assert!(preflight.contains(header), "{header} in {preflight}");
    }
    let (_, headers, _) = ecs(&server, "ListClusters", "");
    assert!(headers.contains("Access-Control-Allow-Origin: *"), "{headers}");
}

#[test]
fn a_setup_script_runs_on_the_account_and_a_replay_of_the_log_reaches_the_same_event_log() {
    let server = serve();
    let script = "aws iam create-role --role-name r --assume-role-policy-document '{}'\n\
                  aws ecs create-cluster --cluster-name demo --query cluster.status --output text\n";
    let body = serde_json::json!({ "script": script }).to_string();
    let (status, _, ran) = http(&server, "POST", "/_sim/script", None, body.as_bytes());
    let ran: serde_json::Value = serde_json::from_str(&ran).unwrap();
    assert_eq!(
        (status, ran["exitStatus"].as_i64(), ran["stdout"].as_str()),
        (200, Some(0), Some("ACTIVE\n")),
        "{ran}"
    );
    let (status, _, refused) = http(&server, "POST", "/_sim/script", None, br#"{"script": "  "}"#);
    assert_eq!(status, 400, "{refused}");
    let _ = http(&server, "POST", "/_sim/advance", None, br#"{"seconds": 60}"#);

    let (_, _, answer) = http(&server, "GET", "/_sim/scenario?since=0", None, b"");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let mut following = ecs_daemon_sim::session::follow::Follower::new();
    let ecs_daemon_sim::session::follow::Update::Apply { rebuild, entries, clock } =
        following.absorb(&answer).unwrap()
    else {
        panic!("entries expected")
    };
    let mut follower = ecs_daemon_sim::Session::new(*rebuild.unwrap()).unwrap();
    for entry in &entries {
        follower.follow(entry).unwrap();
    }
    follower.advance_by(clock.elapsed_ms - follower.simulation().elapsed());
    assert_eq!(format!("{:016x}", follower.event_log_hash()), clock.event_log_hash);
    assert_eq!(follower.api().simulation().clusters().count(), 1);
}
