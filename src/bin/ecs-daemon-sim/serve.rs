//! `ecs-daemon-sim serve [--port 4566] [--bind 127.0.0.1] [--seed N] [--speed X] [--region R]
//! [--playground DIR]`: one simulated account behind HTTP for real AWS clients
//! (`AWS_ENDPOINT_URL=http://127.0.0.1:4566`), and the built playground beside it, which follows
//! the account when opened from the server. The protocols are `endpoint`'s; this file adds the
//! socket, the threads, the wall clock, the routes and CORS (a playground served elsewhere may
//! follow this server: `?follow=http://127.0.0.1:4566`).
//!
//! Routes, AWS first: `/_sim/…`, every POST and a GET with `?Action=` go to the account; an
//! OPTIONS is a CORS preflight; other GETs are the playground's files ([`playground`]), and a bare
//! `GET /` redirects to `/?follow=<this server>` so that the page opened here follows it.
//!
//! HTTP is tiny_http's (a maintained blocking HTTP/1.1 server, no async runtime: four small
//! crates, native only). The account is one single-threaded `Endpoint` owned by the main
//! thread; every request gets a thread of its own that reads its body (at most 1 MiB), hands it
//! to the owner over a channel and writes the answer back, so a client that sends or reads
//! slowly holds only its own thread while the others are answered. A body that takes longer than
//! [`BODY_DEADLINE`] is answered 408 and not applied; one from a connection that breaks is
//! dropped. The clock runs at `--speed` × wall time (1 by default; 0 stops it, leaving time to
//! `POST /_sim/advance`) and is brought up to date before each request is applied.

use super::playground::Site;
use ecs_daemon_sim::endpoint::{Endpoint, Request, Response, MAX_BODY_BYTES, REQUEST_ID_HEADER};
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

pub const USAGE: &str = "\
usage: ecs-daemon-sim serve [--port 4566] [--bind 127.0.0.1] [--seed N] [--speed X] [--region R]
                            [--playground DIR]
  an endpoint for the AWS CLI, boto3 and the AWS SDKs (AWS_ENDPOINT_URL=http://127.0.0.1:PORT);
  --port 0 takes a free port; the first line printed names the address. Without --region the
  first signed request chooses the Region. --speed is simulated seconds per wall second (0 stops
  the clock: POST /_sim/advance moves it).
  --playground DIR serves the built playground (default: ./dist when it exists); open
  http://ADDRESS/ to watch what the clients do (the page follows the server), /?local for a
  playground of its own. A playground elsewhere follows with ?follow=http://ADDRESS.
";

/// Where the built playground is looked for when `--playground` is not given.
const DEFAULT_PLAYGROUND: &str = "dist";

/// How long a request body may take to arrive before it is refused unapplied.
const BODY_DEADLINE: Duration = Duration::from_secs(10);

struct Options {
    bind: String,
    port: u16,
    seed: u64,
    speed: f64,
    region: Option<String>,
    playground: Option<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options =
        Options { bind: "127.0.0.1".into(), port: 4566, seed: 0, speed: 1.0, region: None, playground: None };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--bind" => options.bind = value()?.clone(),
            "--port" => options.port = value()?.parse().map_err(|_| "--port must be 0–65535".to_string())?,
            "--seed" => {
                options.seed = value()?.parse().map_err(|_| "--seed must be a whole number".to_string())?
            }
            "--speed" => {
                options.speed = value()?
                    .parse::<f64>()
                    .ok()
                    .filter(|s| (0.0..=10_000.0).contains(s))
                    .ok_or("--speed must be a number from 0 to 10000")?
            }
            "--region" => options.region = Some(value()?.clone()),
            "--playground" => options.playground = Some(value()?.clone()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

/// A request read whole, on its way to the account's owner.
struct Job {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    reply: mpsc::Sender<Response>,
}

/// Runs the server until the process is stopped; returns an exit status on a usage or bind error.
pub fn main(args: &[String]) -> i32 {
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprint!("ecs-daemon-sim serve: {message}\n{USAGE}");
            return 2;
        }
    };
    let mut endpoint = match Endpoint::new(options.seed, options.speed, options.region.as_deref()) {
        Ok(endpoint) => endpoint,
        Err(error) => {
            eprint!("ecs-daemon-sim serve: --region: {error}\n{USAGE}");
            return 2;
        }
    };
    let site = match &options.playground {
        Some(dir) => match Site::open(Path::new(dir)) {
            Ok(site) => Some(site),
            Err(error) => {
                eprint!("ecs-daemon-sim serve: --playground: {error}\n{USAGE}");
                return 2;
            }
        },
        None => Site::open(Path::new(DEFAULT_PLAYGROUND)).ok(),
    };
    let server = match tiny_http::Server::http((options.bind.as_str(), options.port)) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("ecs-daemon-sim serve: cannot listen on {}:{}: {error}", options.bind, options.port);
            return 1;
        }
    };
    let address = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_default();
    let page = if site.is_some() { format!("; playground at http://{address}/") } else { String::new() };
    println!("listening on http://{address} (seed {}, speed {}×){page}", options.seed, options.speed);
    let (jobs, queue) = mpsc::channel::<Job>();
    let site = site.map(Arc::new);
    thread::spawn(move || {
        for (number, request) in server.incoming_requests().enumerate() {
            let jobs = jobs.clone();
            let site = site.clone();
            thread::spawn(move || exchange(number, request, &jobs, site.as_deref()));
        }
    });
    let mut last = Instant::now();
    for job in queue {
        let now = Instant::now();
        endpoint.wall_elapsed(now.duration_since(last).as_secs_f64() * 1000.0);
        last = now;
        let request = Request {
            method: &job.method,
            path: &job.path,
            query: &job.query,
            headers: &job.headers,
            body: &job.body,
        };
        // A client that went away gets nothing more; the account is not affected.
        let _ = job.reply.send(endpoint.handle(&request));
    }
    0
}

/// Where a request goes.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// The account (AWS protocols and `/_sim/`).
    Account,
    /// A CORS preflight, answered here.
    Preflight,
    /// A file of the playground.
    Page,
    /// `GET /` with no query: to the page that follows this server.
    FollowPage,
    /// `GET /` with no query and no playground: a word on how to get one.
    NoPage,
}

/// The route of a request: AWS's first, so that nothing the playground serves can shadow an action.
fn route(method: &str, path: &str, query: &str, site: bool) -> Route {
    let aws_query = ecs_daemon_sim::support::query::param(query, "Action").is_some();
    match method {
        _ if path.starts_with("/_sim/") => Route::Account,
        "OPTIONS" => Route::Preflight,
        "GET" | "HEAD" if site && !aws_query => {
            if path == "/" && query.is_empty() {
                Route::FollowPage
            } else {
                Route::Page
            }
        }
        "GET" | "HEAD" if path == "/" && query.is_empty() => Route::NoPage,
        _ => Route::Account,
    }
}

/// One request's thread: routes it; the account's requests are read and answered by the owner.
fn exchange(number: usize, mut request: tiny_http::Request, jobs: &mpsc::Sender<Job>, site: Option<&Site>) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let route = route(request.method().as_str(), path, query, site.is_some());
    let response = match (route, site) {
        (Route::Preflight, _) => preflight(&request),
        (Route::NoPage, _) => no_page(),
        (Route::Account, _) | (_, None) => match account(&mut request, jobs) {
            Some(response) => response,
            None => return,
        },
        (Route::FollowPage, Some(_)) => follow_redirect(&request),
        (Route::Page, Some(site)) => page(site, path),
    };
    respond(number, request, response);
}

/// The account's answer to a request, or `None` when the client went away or the server stops.
fn account(request: &mut tiny_http::Request, jobs: &mpsc::Sender<Job>) -> Option<Response> {
    match read_body(request) {
        Ok(body) => {
            let url = request.url().to_string();
            let (path, query) = url.split_once('?').unwrap_or((&url, ""));
            let (reply, answer) = mpsc::channel();
            let job = Job {
                method: request.method().as_str().to_string(),
                path: path.to_string(),
                query: query.to_string(),
                headers: request
                    .headers()
                    .iter()
                    .map(|h| (h.field.as_str().as_str().to_string(), h.value.as_str().to_string()))
                    .collect(),
                body,
                reply,
            };
            jobs.send(job).ok()?;
            answer.recv().ok()
        }
        Err(Some(response)) => Some(response),
        Err(None) => None,
    }
}

/// The answer to a CORS preflight: any origin may call, with the headers it asks for (the AWS
/// SDKs send `X-Amz-Target`, `Authorization`, `amz-sdk-*`, …; nothing here is secret).
fn preflight(request: &tiny_http::Request) -> Response {
    let asked = header(request, "Access-Control-Request-Headers").unwrap_or_default();
    let mut response = Response::ok("text/plain", Vec::new());
    response.status = 204;
    response.headers.push(("Access-Control-Allow-Methods", "GET, POST, OPTIONS".into()));
    response.headers.push(("Access-Control-Allow-Headers", asked));
    response.headers.push(("Access-Control-Max-Age", "600".into()));
    response
}

/// `/?follow=http://HOST`: the page opened here follows this server (the address as the browser
/// named it; `follow=` alone, the page's own origin, when the Host header is odd).
fn follow_redirect(request: &tiny_http::Request) -> Response {
    let host = header(request, "Host")
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)));
    let location = match host {
        Some(host) => format!("/?follow=http://{host}"),
        None => "/?follow=".to_string(),
    };
    let mut response = Response::ok("text/plain; charset=utf-8", format!("see {location}\n").into_bytes());
    response.status = 302;
    response.headers.push(("Location", location));
    response
}

/// What a browser gets at `/` from a server without a playground.
fn no_page() -> Response {
    let text = "This is ecs-daemon-sim serve: an endpoint for AWS clients (AWS_ENDPOINT_URL). It has no \
                playground to show: build one (`cargo xtask serve`, or `trunk build --release`) and start \
                the server with --playground DIR, or from the directory holding dist/.\n";
    let mut response = Response::ok("text/plain; charset=utf-8", text.as_bytes().to_vec());
    response.status = 404;
    response
}

/// A playground file, or 404.
fn page(site: &Site, path: &str) -> Response {
    match site.file(path) {
        Some(file) => {
            let mut response = Response::ok(file.content_type, file.body);
            // Trunk's file names carry a content hash; index.html does not and must be fetched again.
            response.headers.push(("Cache-Control", "no-cache".into()));
            response
        }
        None => {
            let mut response =
                Response::ok("text/plain; charset=utf-8", format!("{path}: not found\n").into_bytes());
            response.status = 404;
            response
        }
    }
}

fn header(request: &tiny_http::Request, name: &'static str) -> Option<String> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_string())
}

/// Writes the answer, with the request id AWS clients log and CORS for pages elsewhere.
fn respond(number: usize, request: tiny_http::Request, response: Response) {
    let mut reply = tiny_http::Response::from_data(response.body).with_status_code(response.status);
    // AWS answers carry the endpoint's id (the one an XML body repeats); others get a counter's.
    let own_id = (!response.headers.iter().any(|(name, _)| *name == REQUEST_ID_HEADER))
        .then(|| (REQUEST_ID_HEADER, format!("{number:08x}-0000-4000-8000-000000000000")));
    let headers = [
        ("Content-Type", response.content_type.to_string()),
        ("Access-Control-Allow-Origin", "*".to_string()),
        ("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType".to_string()),
    ]
    .into_iter()
    .chain(own_id)
    .chain(response.error_type.map(|t| ("x-amzn-ErrorType", t)))
    .chain(response.headers);
    for (name, value) in headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            reply.add_header(header);
        }
    }
    let _ = request.respond(reply);
}

/// The body within the size limit and deadline; `Err(Some(answer))` when it is refused,
/// `Err(None)` when the connection broke.
fn read_body(request: &mut tiny_http::Request) -> Result<Vec<u8>, Option<Response>> {
    if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(Some(Response::too_large()));
    }
    let started = Instant::now();
    let mut body = Vec::new();
    request.as_reader().take(MAX_BODY_BYTES as u64 + 1).read_to_end(&mut body).map_err(|_| None)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(Some(Response::too_large()));
    }
    if started.elapsed() > BODY_DEADLINE {
        return Err(Some(Response::timed_out()));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_requests_route_to_the_account_before_the_playground() {
        assert_eq!(route("POST", "/", "", true), Route::Account);
        assert_eq!(route("GET", "/", "Action=DescribeInstances&Version=2016-11-15", true), Route::Account);
        assert_eq!(route("GET", "/_sim/clock", "", true), Route::Account);
        assert_eq!(route("GET", "/_sim/scenario", "since=3", true), Route::Account);
        assert_eq!(route("OPTIONS", "/", "", true), Route::Preflight);
        assert_eq!(route("GET", "/", "", true), Route::FollowPage);
        assert_eq!(route("GET", "/", "follow=http://127.0.0.1:4566", true), Route::Page);
        assert_eq!(route("GET", "/playground_bg.wasm", "", true), Route::Page);
        assert_eq!(route("GET", "/", "", false), Route::NoPage, "no playground: how to get one");
        assert_eq!(route("GET", "/x.wasm", "", false), Route::Account, "no playground: the account answers");
    }
}
