//! The native command-line program: `ecs-daemon-sim run [--seed N] [--events FILE]
//! [--events-pattern PATTERN_JSON] SCRIPT|-` runs an AWS CLI script against the simulator and
//! prints what the AWS CLI would. The command line and the rendering are in `cli::program`; this
//! file adds only files, standard input and the simulated account.
//!
//! `ecs-daemon-sim serve ...` puts the account behind HTTP for real AWS clients (`endpoint` is the
//! protocol; serve.rs the socket and the wall clock).
//!
//! `ecs-daemon-sim sweep ...` is the seed sweep (simulation testing): the worlds are
//! `testkit`'s; this file adds the threads, the wall clock and the report.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use ecs_daemon_sim::cli::program::{parse_program_args, ProgramCommand, EXIT_USAGE, PROGRAM_USAGE};

    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("sweep") => std::process::exit(sweep::main(&args[1..])),
        Some("serve") => std::process::exit(serve::main(&args[1..])),
        _ => {}
    }
    let code = match parse_program_args(&args) {
        Ok(ProgramCommand::Help) => {
            print!("{PROGRAM_USAGE}\n{}\n{}", serve::USAGE, sweep::USAGE);
            0
        }
        Ok(ProgramCommand::Version) => {
            println!("ecs-daemon-sim {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Ok(ProgramCommand::Run(options)) => native::run(&options),
        Err(error) => {
            eprint!("{}\n{}", error.render(), sweep::USAGE);
            EXIT_USAGE
        }
    };
    std::process::exit(code);
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "ecs-daemon-sim/sweep.rs"]
mod sweep;

#[cfg(not(target_arch = "wasm32"))]
#[path = "ecs-daemon-sim/serve.rs"]
mod serve;

#[cfg(not(target_arch = "wasm32"))]
#[path = "ecs-daemon-sim/playground.rs"]
mod playground;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use ecs_daemon_sim::api::Api;
    use ecs_daemon_sim::cli::program::{render_run, RunOptions, ScriptSource, EXIT_USAGE};
    use ecs_daemon_sim::cli::run_script;
    use ecs_daemon_sim::engine::SimConfig;
    use ecs_daemon_sim::pattern::EventPattern;
    use std::io::{Read, Write};

    /// Runs the script and returns the exit status: 0, 254 (a command failed), 2 (usage or syntax).
    pub fn run(options: &RunOptions) -> i32 {
        match try_run(options) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("ecs-daemon-sim: {message}");
                EXIT_USAGE
            }
        }
    }

    fn try_run(options: &RunOptions) -> Result<i32, String> {
        // Refuse a bad pattern or an unreadable script before simulating anything.
        let pattern = match &options.events_pattern {
            Some(text) => Some(EventPattern::parse(text).map_err(|e| format!("--events-pattern: {e}"))?),
            None => None,
        };
        let (name, text) = match &options.script {
            ScriptSource::Stdin => {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| format!("reading standard input: {e}"))?;
                ("-".to_string(), text)
            }
            ScriptSource::File(path) => {
                (path.clone(), std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?)
            }
        };

        let mut api = Api::new(SimConfig::with_seed(options.seed));
        let report = run_script(&mut api, &text);
        let output = render_run(&name, &report);
        print!("{}", output.stdout);
        eprint!("{}", output.stderr);

        if let Some(path) = &options.events {
            let mut lines = String::new();
            for event in api.simulation().events() {
                let json = event.to_json();
                if pattern.as_ref().is_none_or(|p| p.matches(&json)) {
                    lines.push_str(&serde_json::to_string(&json).map_err(|e| e.to_string())?);
                    lines.push('\n');
                }
            }
            std::fs::File::create(path)
                .and_then(|mut file| file.write_all(lines.as_bytes()))
                .map_err(|e| format!("writing {path}: {e}"))?;
        }
        Ok(output.exit_status)
    }
}
