//! The playground console's entry point: a simulated account and a shell session
//! in one value, script text in, one [`CommandRecord`] per command out.
//!
//! Pure Rust with no I/O, so the browser (wasm32) and the native tests run the very same code and,
//! for one seed and one script, produce the byte-identical event log. The console keeps its
//! [`Interpreter`] between scripts, as a terminal keeps its shell: `REGION=us-east-1` typed once
//! still holds for the next script. A script can be run whole ([`Console::run`]) or one command
//! at a time ([`Console::start`] then [`Console::step`]), so that the playground can redraw the
//! grid (from [`Console::simulation`]) between commands.

use super::{CommandRecord, Interpreter, ScriptError, ScriptReport, ScriptRun};
use crate::api::Api;
use crate::engine::{SimConfig, Simulation};

/// A simulated account with a shell session on it.
#[derive(Debug, Clone)]
pub struct Console {
    api: Api,
    shell: Interpreter,
    /// The script being stepped through, if any.
    running: Option<ScriptRun>,
}

impl Console {
    /// A fresh account (default account and region) whose randomness comes from `seed`.
    pub fn new(seed: u64) -> Self {
        Self::with_config(SimConfig::with_seed(seed))
    }

    /// A fresh account with this configuration (region, account, epoch, lifecycle table).
    pub fn with_config(config: SimConfig) -> Self {
        Console { api: Api::new(config), shell: Interpreter::new(), running: None }
    }

    /// Runs a whole script: every command's output, or the syntax error (then nothing ran).
    /// A script still being stepped through is abandoned first.
    pub fn run(&mut self, script: &str) -> ScriptReport {
        self.running = None;
        self.shell.run(&mut self.api, script)
    }

    /// Parses a script to be run one command at a time with [`Self::step`]; a syntax error runs
    /// nothing. Replaces a script still being stepped through.
    pub fn start(&mut self, script: &str) -> Result<(), ScriptError> {
        self.running = Some(ScriptRun::parse(&self.shell, script)?);
        Ok(())
    }

    /// Runs the next command of the started script; `None` when it is done (or none was started).
    pub fn step(&mut self) -> Option<CommandRecord> {
        let run = self.running.as_mut()?;
        let record = run.step(&mut self.shell, &mut self.api).cloned();
        if record.is_none() {
            self.running = None;
        }
        record
    }

    /// When the `sleep` the started script is in ends (simulated epoch ms): a caller that
    /// wants to watch it advances time itself ([`Self::advance_by`]) before the next step,
    /// which otherwise finishes it at once.
    pub fn sleeping_until(&self) -> Option<u64> {
        self.running.as_ref()?.sleeping_until()
    }

    /// The session's files (`> file`, `cat > f <<EOF`).
    pub fn fs(&self) -> &crate::cli::fs::MemFs {
        self.shell.fs()
    }

    /// Commands of the started script not yet run.
    pub fn remaining(&self) -> usize {
        self.running.as_ref().map_or(0, ScriptRun::remaining)
    }

    /// Moves simulated time on without a command (the playground's clock between commands).
    pub fn advance_by(&mut self, ms: u64) {
        self.api.advance_by(ms);
    }

    /// The simulated account, for calls the console does not type (e.g. the grid's describes).
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The simulated account, mutably (e.g. for a button that sends a request).
    pub fn api_mut(&mut self) -> &mut Api {
        &mut self.api
    }

    /// The simulation, for drawing the grid and reading the event log.
    pub fn simulation(&self) -> &Simulation {
        self.api.simulation()
    }

    /// A shell variable's value (`$ACCOUNT_ID` after the tutorial's first lines, …).
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.shell.variable(name)
    }

    /// The event log's hash ([`Simulation::event_log_hash`]): equal on every platform for the
    /// same seed and script.
    pub fn event_log_hash(&self) -> u64 {
        self.api.simulation().event_log_hash()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "REGION=us-east-1\naws ecs create-cluster --cluster-name c --region $REGION \
                          --query cluster.status --output text\nsleep 60\nsim clock\n";

    #[test]
    fn stepping_gives_the_same_records_and_state_as_running_whole() {
        let mut whole = Console::new(3);
        let report = whole.run(SCRIPT);
        let mut stepped = Console::new(3);
        stepped.start(SCRIPT).unwrap();
        assert_eq!(stepped.remaining(), 4);
        let mut records = Vec::new();
        while let Some(record) = stepped.step() {
            records.push(record);
        }
        assert_eq!(stepped.remaining(), 0);
        assert_eq!(records, report.records);
        assert_eq!(records[1].stdout, "ACTIVE\n");
        assert_eq!(stepped.api().state_fingerprint(), whole.api().state_fingerprint());
        assert_eq!(stepped.event_log_hash(), whole.event_log_hash());
    }

    #[test]
    fn variables_survive_between_scripts_and_a_syntax_error_runs_nothing() {
        let mut console = Console::new(1);
        console.run("NAME=kept\n");
        let before = console.api().state_fingerprint();
        let report =
            console.run("aws ecs create-cluster --cluster-name $NAME\naws ecs list-clusters 'oops\n");
        assert!(report.syntax_error.is_some());
        assert_eq!(console.api().state_fingerprint(), before);
        assert!(console.start("echo 'oops\n").is_err());
        assert_eq!(console.step(), None);
        let report = console
            .run("aws ecs create-cluster --cluster-name $NAME --query cluster.clusterName --output text\n");
        assert_eq!(report.records[0].stdout, "kept\n");
        assert_eq!(console.variable("NAME"), Some("kept"));
    }

    #[test]
    fn advancing_the_console_moves_the_simulated_clock() {
        let mut console = Console::new(1);
        let start = console.api().now_ms();
        console.advance_by(90_000);
        assert_eq!(console.api().now_ms(), start + 90_000);
        assert_eq!(console.simulation().now(), console.api().now_ms());
    }
}
