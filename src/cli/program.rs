//! The pure half of the native program `ecs-daemon-sim run [--seed N] [--events FILE]
//! [--events-pattern PATTERN_JSON] SCRIPT|-`: its command line, and how a run's report becomes
//! what it prints and its exit status. `src/bin` only adds files, stdin and the real backend.

use super::interpreter::{ScriptReport, EXIT_SYNTAX_ERROR};

/// Exit status for a bad command line of the program itself (as for a script syntax error).
pub const EXIT_USAGE: i32 = EXIT_SYNTAX_ERROR;

/// The program's usage text.
pub const PROGRAM_USAGE: &str = "\
usage: ecs-daemon-sim run [--seed N] [--events FILE] [--events-pattern PATTERN_JSON] SCRIPT|-

Runs a shell script around the AWS CLI against the simulator: loops, functions, pipelines, text
utilities, here-documents and files (in memory), with each command's output as the AWS CLI and
bash print it: results on stdout, errors and the `set -x` trace on stderr. `sleep` moves the
simulated clock at once.

  --seed N                  seed of the simulation (default 0): same seed, same script => same run
  --events FILE             write every EventBridge event to FILE, one JSON object per line
  --events-pattern JSON     only write the events that match this EventBridge pattern
  SCRIPT                    the script file, or - for standard input

Exit status: the last command's (or `exit N`'s), as bash gives it; 2 for a usage or syntax error.
";

/// Where the script comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptSource {
    Stdin,
    File(String),
}

/// `ecs-daemon-sim run ...` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    pub seed: u64,
    pub events: Option<String>,
    pub events_pattern: Option<String>,
    pub script: ScriptSource,
}

/// What the program was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgramCommand {
    Run(RunOptions),
    Help,
    Version,
}

/// A refused command line: print `message` and [`PROGRAM_USAGE`] on stderr, exit [`EXIT_USAGE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramUsageError {
    pub message: String,
}

impl ProgramUsageError {
    fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }

    /// The text for stderr.
    pub fn render(&self) -> String {
        format!("ecs-daemon-sim: {}\n\n{PROGRAM_USAGE}", self.message)
    }
}

/// Parses the program's arguments (without the program name).
pub fn parse_program_args(args: &[String]) -> Result<ProgramCommand, ProgramUsageError> {
    match args.first().map(String::as_str) {
        None => return Err(ProgramUsageError::new("missing command (run)")),
        Some("-h" | "--help" | "help") => return Ok(ProgramCommand::Help),
        Some("-V" | "--version") => return Ok(ProgramCommand::Version),
        Some("run") => {}
        Some(other) => {
            return Err(ProgramUsageError::new(format!("unknown command '{other}' (expected run)")))
        }
    }
    let mut seed = 0;
    let mut events = None;
    let mut events_pattern = None;
    let mut script = None;
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next().cloned().ok_or_else(|| ProgramUsageError::new(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--seed" => {
                let text = value("--seed")?;
                seed = text.parse().map_err(|_| {
                    ProgramUsageError::new(format!("--seed: '{text}' is not a non-negative integer"))
                })?;
            }
            "--events" => events = Some(value("--events")?),
            "--events-pattern" => {
                let pattern = value("--events-pattern")?;
                serde_json::from_str::<serde_json::Value>(&pattern)
                    .map_err(|e| ProgramUsageError::new(format!("--events-pattern: invalid JSON: {e}")))?;
                events_pattern = Some(pattern);
            }
            "-h" | "--help" => return Ok(ProgramCommand::Help),
            "-" if script.is_none() => script = Some(ScriptSource::Stdin),
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(ProgramUsageError::new(format!("unknown option '{flag}'")))
            }
            path if script.is_none() => script = Some(ScriptSource::File(path.to_string())),
            extra => return Err(ProgramUsageError::new(format!("unexpected argument '{extra}'"))),
        }
    }
    let script = script.ok_or_else(|| ProgramUsageError::new("missing SCRIPT (a file, or - for stdin)"))?;
    if events_pattern.is_some() && events.is_none() {
        return Err(ProgramUsageError::new("--events-pattern filters --events FILE; give --events too"));
    }
    Ok(ProgramCommand::Run(RunOptions { seed, events, events_pattern, script }))
}

/// What the program prints for a finished run, and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_status: i32,
}

/// Renders a run: every command's stdout and stderr in order; a syntax error as
/// `ecs-daemon-sim: SCRIPT:LINE:COLUMN: syntax error: ...` with exit status 2.
pub fn render_run(script_name: &str, report: &ScriptReport) -> ProgramOutput {
    if let Some(error) = &report.syntax_error {
        return ProgramOutput {
            stdout: String::new(),
            stderr: format!(
                "ecs-daemon-sim: {script_name}:{}:{}: syntax error: {}\n",
                error.position.line, error.position.column, error.message
            ),
            exit_status: report.exit_status,
        };
    }
    ProgramOutput { stdout: report.stdout(), stderr: report.stderr(), exit_status: report.exit_status }
}
