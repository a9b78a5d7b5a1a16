//! `ecs-daemon-sim serve [--port 4566] [--bind 127.0.0.1] [--seed N] [--speed X]`: one simulated
//! account behind HTTP for real AWS clients (`AWS_ENDPOINT_URL=http://127.0.0.1:4566`). The
//! protocol is `endpoint`'s; this file adds the socket, the request limits and the wall clock.
//!
//! HTTP is tiny_http's (a maintained blocking HTTP/1.1 server with no async runtime): the account
//! is one single-threaded `Session`, so requests are taken one at a time, each applied at the
//! simulated time the clock has reached. The clock runs at `--speed` × wall time (1 by default; 0
//! stops it, leaving time to `POST /_sim/advance`), and moves only between requests.

use ecs_daemon_sim::endpoint::{Endpoint, Request, Response, MAX_BODY_BYTES};
use ecs_daemon_sim::session::Session;
use std::io::Read;
use std::time::Instant;

pub const USAGE: &str = "\
usage: ecs-daemon-sim serve [--port 4566] [--bind 127.0.0.1] [--seed N] [--speed X]
  an endpoint for the AWS CLI, boto3 and the AWS SDKs (AWS_ENDPOINT_URL=http://127.0.0.1:PORT);
  --port 0 takes a free port; the first line printed names the address
";

struct Options {
    bind: String,
    port: u16,
    seed: u64,
    speed: f64,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options { bind: "127.0.0.1".into(), port: 4566, seed: 0, speed: 1.0 };
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
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
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
    let server = match tiny_http::Server::http((options.bind.as_str(), options.port)) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("ecs-daemon-sim serve: cannot listen on {}:{}: {error}", options.bind, options.port);
            return 1;
        }
    };
    let address = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_default();
    println!("listening on http://{address} (seed {}, speed {}×)", options.seed, options.speed);
    let mut endpoint = Endpoint::new(Session::with_seed(options.seed));
    let mut clock = WallClock { last: Instant::now(), owed_ms: 0.0, speed: options.speed };
    for (number, mut request) in server.incoming_requests().enumerate() {
        endpoint.advance_by(clock.take());
        let response = answer(&mut endpoint, &mut request);
        let mut reply = tiny_http::Response::from_data(response.body).with_status_code(response.status);
        for (name, value) in [
            ("Content-Type", response.content_type.to_string()),
            ("x-amzn-RequestId", format!("{number:08x}-0000-4000-8000-000000000000")),
        ]
        .into_iter()
        .chain(response.error_type.map(|t| ("x-amzn-ErrorType", t)))
        {
            if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                reply.add_header(header);
            }
        }
        // A client that went away gets nothing more; the account is not affected.
        let _ = request.respond(reply);
    }
    0
}

/// Reads the request within the body limit and lets the endpoint answer it.
fn answer(endpoint: &mut Endpoint, request: &mut tiny_http::Request) -> Response {
    if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        return Response::too_large();
    }
    let mut body = Vec::new();
    let read = request.as_reader().take(MAX_BODY_BYTES as u64 + 1).read_to_end(&mut body);
    if read.is_err() {
        let error = ecs_daemon_sim::api::AwsError::serialization("the request body could not be read");
        return Response::error("application/x-amz-json-1.1", &error);
    }
    if body.len() > MAX_BODY_BYTES {
        return Response::too_large();
    }
    let target = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("X-Amz-Target"))
        .map(|h| h.value.as_str().to_string());
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("/");
    let method = request.method().as_str().to_string();
    endpoint.handle(&Request { method: &method, path, target: target.as_deref(), body: &body })
}

/// Simulated milliseconds owed to the account since the last request, at the server's speed.
struct WallClock {
    last: Instant,
    owed_ms: f64,
    speed: f64,
}

impl WallClock {
    fn take(&mut self) -> u64 {
        let now = Instant::now();
        self.owed_ms += now.duration_since(self.last).as_secs_f64() * 1000.0 * self.speed;
        self.last = now;
        let whole = self.owed_ms.floor();
        self.owed_ms -= whole;
        whole as u64
    }
}
