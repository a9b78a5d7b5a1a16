//! `ecs-daemon-sim serve [--port 4566] [--bind 127.0.0.1] [--seed N] [--speed X] [--region R]`: one
//! simulated account behind HTTP for real AWS clients (`AWS_ENDPOINT_URL=http://127.0.0.1:4566`).
//! The protocols are `endpoint`'s; this file adds the socket, the threads and the wall clock.
//!
//! HTTP is tiny_http's (a maintained blocking HTTP/1.1 server, no async runtime: four small
//! crates, native only). The account is one single-threaded `Endpoint` owned by the main
//! thread; every request gets a thread of its own that reads its body (at most 1 MiB), hands it
//! to the owner over a channel and writes the answer back, so a client that sends or reads
//! slowly holds only its own thread while the others are answered. A body that takes longer than
//! [`BODY_DEADLINE`] is answered 408 and not applied; one from a connection that breaks is
//! dropped. The clock runs at `--speed` × wall time (1 by default; 0 stops it, leaving time to
//! `POST /_sim/advance`) and is brought up to date before each request is applied.

use ecs_daemon_sim::endpoint::{Endpoint, Request, Response, MAX_BODY_BYTES};
use std::io::Read;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

pub const USAGE: &str = "\
usage: ecs-daemon-sim serve [--port 4566] [--bind 127.0.0.1] [--seed N] [--speed X] [--region R]
  an endpoint for the AWS CLI, boto3 and the AWS SDKs (AWS_ENDPOINT_URL=http://127.0.0.1:PORT);
  --port 0 takes a free port; the first line printed names the address. Without --region the
  first signed request chooses the Region. --speed is simulated seconds per wall second (0 stops
  the clock: POST /_sim/advance moves it).
";

/// How long a request body may take to arrive before it is refused unapplied.
const BODY_DEADLINE: Duration = Duration::from_secs(10);

struct Options {
    bind: String,
    port: u16,
    seed: u64,
    speed: f64,
    region: Option<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options { bind: "127.0.0.1".into(), port: 4566, seed: 0, speed: 1.0, region: None };
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
    let server = match tiny_http::Server::http((options.bind.as_str(), options.port)) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("ecs-daemon-sim serve: cannot listen on {}:{}: {error}", options.bind, options.port);
            return 1;
        }
    };
    let address = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_default();
    println!("listening on http://{address} (seed {}, speed {}×)", options.seed, options.speed);
    let (jobs, queue) = mpsc::channel::<Job>();
    thread::spawn(move || {
        for (number, request) in server.incoming_requests().enumerate() {
            let jobs = jobs.clone();
            thread::spawn(move || exchange(number, request, &jobs));
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

/// One request's thread: reads it, has the owner answer it, writes the answer.
fn exchange(number: usize, mut request: tiny_http::Request, jobs: &mpsc::Sender<Job>) {
    let response = match read_body(&mut request) {
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
            if jobs.send(job).is_err() {
                return;
            }
            match answer.recv() {
                Ok(response) => response,
                Err(_) => return,
            }
        }
        Err(Some(response)) => response,
        Err(None) => return,
    };
    let mut reply = tiny_http::Response::from_data(response.body).with_status_code(response.status);
    let request_id = format!("{number:08x}-0000-4000-8000-000000000000");
    let headers = [("Content-Type", response.content_type.to_string()), ("x-amzn-RequestId", request_id)]
        .into_iter()
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
