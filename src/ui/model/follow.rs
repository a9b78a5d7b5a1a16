//! Follow mode's half of the model: a run whose inputs come from a served account's log (see
//! [`crate::session::follow`]) instead of this page, and the inputs the page's knobs and faults
//! would give, returned to be sent to the server rather than applied here.

use super::*;
use crate::engine::Daemon;

impl Playground {
    /// An empty run of `account`'s seed and options (no playground fleet), paused: its clock is
    /// the server's, moved by [`Playground::follow`].
    pub fn following(account: RunScenario) -> Result<Self, ScenarioError> {
        let setup = Scenario { seed: account.seed, ..Scenario::default() };
        let mut playground = Playground::around(setup, Session::new(account)?);
        playground.following = true;
        playground.playing = false;
        playground.refresh();
        Ok(playground)
    }

    /// Whether the run follows a server.
    pub fn is_following(&self) -> bool {
        self.following
    }

    /// Applies inputs the server recorded, each at its time (the timeline sampled on the way), then
    /// moves the clock to the server's `until_ms`. Returns whether anything visible changed; refused
    /// when an input's time has passed here or it fails here (the runs diverged).
    pub fn follow(&mut self, entries: &[LogEntry], until_ms: u64) -> Result<bool, ScenarioError> {
        let before = (self.sim().events().len(), self.elapsed() / 1000, self.tiles.len());
        for entry in entries {
            self.advance_sampled(entry.at_ms);
            self.recorder_mut().follow(entry)?;
            self.refresh();
        }
        self.advance_sampled(until_ms);
        self.recorded_until = self.elapsed();
        self.refresh();
        Ok(before != (self.sim().events().len(), self.elapsed() / 1000, self.tiles.len())
            || !entries.is_empty())
    }

    /// The daemon the deployment panel and drainPercent are about: the playground's own, or, in a
    /// followed account, the one updated last.
    pub fn watched_daemon(&self) -> Option<&Daemon> {
        let sim = self.sim();
        let own = sim.daemons().find(|d| d.name == DAEMON && d.cluster == CLUSTER);
        own.or_else(|| {
            self.following
                .then(|| sim.daemons().filter(|d| !d.deleted).max_by_key(|d| d.updated_at))
                .flatten()
        })
    }

    /// The UpdateDaemon that sets the watched daemon's drainPercent: same revision and capacity
    /// providers, the latest deployment's other settings kept. A deployment starts, as UpdateDaemon
    /// always does. `None` without a daemon.
    pub fn drain_percent_update(&self, drain_percent: f64) -> Option<Input> {
        let daemon = self.watched_daemon()?;
        let sim = self.sim();
        let revision = sim.revision(daemon.current_revision)?.daemon_task_definition.to_string();
        let config =
            sim.daemon_deployments(daemon).into_iter().next().map(|d| d.config.clone()).unwrap_or_default();
        let mut deployment = json!({"drainPercent": drain_percent.clamp(0.0, 100.0),
            "bakeTimeInMinutes": config.bake_time_in_minutes});
        if !config.alarm_names.is_empty() {
            deployment["alarms"] = json!({"alarmNames": config.alarm_names, "enable": config.alarms_enabled});
        }
        let input = json!({"daemonArn": daemon.arn.to_string(), "daemonTaskDefinitionArn": revision,
            "capacityProviderArns": daemon.capacity_providers, "deploymentConfiguration": deployment});
        Some(Input::Call { service: "ecs".into(), action: "UpdateDaemon".into(), input })
    }
}
