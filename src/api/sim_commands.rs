//! The `sim` commands a script uses for what AWS has no API for: fault injection
//! and the simulated clock. They reach the engine through the same atomic command path as the
//! AWS actions.
//!
//! - `sim fault image-pull --image IMAGE`: pulls of IMAGE fail (`CannotPullContainerError`);
//! - `sim fault capacity --capacity-provider NAME`: the provider cannot launch instances;
//! - `sim fault unhealthy --task TASK`: the task (ARN or id) turns unhealthy;
//! - `sim fault capacity-clear --capacity-provider NAME`: the provider launches again (the other
//!   faults stay);
//! - `sim fault clear`: every image and capacity fault is cleared;
//! - `sim deployment drain-percent --daemon DAEMON_ARN --percent N`: the daemon's deployment in
//!   progress uses drainPercent N from its next batch on. AWS has no action for it (UpdateDaemon
//!   starts a new deployment); the playground's drainPercent slider changes a running rollout
//!   this way, so that a recorded run replays it;
//! - `sim auto-repair --capacity-provider NAME`: what the provider's auto repair does now and to
//!   which instances: with ENABLED the instances it is replacing, with DISABLED the ACTIVE
//!   instances it leaves IMPAIRED (their critical daemon task not restarted). Describe calls show
//!   the setting and the health record; this says what they mean together;
//! - `sim clock`: the simulated time, ISO 8601 UTC.

use super::dispatch::Api;
use super::render::iso8601;
use super::AwsError;
use crate::engine::Command;
use crate::support::decimal::parse_f64;

const USAGE: &str =
    "usage: sim fault image-pull --image IMAGE | sim fault capacity --capacity-provider NAME | \
sim fault capacity-clear --capacity-provider NAME | sim fault unhealthy --task TASK | sim fault clear | \
sim deployment drain-percent --daemon DAEMON_ARN --percent N | sim auto-repair --capacity-provider NAME | \
sim clock";

fn usage(problem: &str) -> AwsError {
    AwsError::new("SimUsageError", format!("{problem}\n{USAGE}"))
}

/// The value after `--flag`, the only flag the command takes.
fn flag_value<'a>(rest: &'a [String], flag: &str) -> Result<&'a str, AwsError> {
    match rest {
        [name, value] if name == flag && !value.is_empty() => Ok(value),
        [name] if name == flag => Err(usage(&format!("{flag} needs a value"))),
        _ => Err(usage(&format!("expected {flag} VALUE"))),
    }
}

/// The values of two flags, given once each in either order.
fn two_flags<'a>(rest: &'a [String], first: &str, second: &str) -> Result<(&'a str, &'a str), AwsError> {
    match rest {
        [a, x, b, y] if a == first && b == second && !x.is_empty() && !y.is_empty() => Ok((x, y)),
        [b, y, a, x] if a == first && b == second && !x.is_empty() && !y.is_empty() => Ok((x, y)),
        _ => Err(usage(&format!("expected {first} VALUE {second} VALUE"))),
    }
}

impl Api {
    fn existing_capacity_provider(&self, args: &[String]) -> Result<String, AwsError> {
        let name = flag_value(args, "--capacity-provider")?;
        let capacity_provider = self.arns.capacity_provider_name("--capacity-provider", name)?;
        if self.sim.capacity_provider(&capacity_provider).is_none() {
            return Err(AwsError::client(format!(
                "--capacity-provider: the capacity provider {capacity_provider} does not exist."
            )));
        }
        Ok(capacity_provider)
    }

    /// `sim auto-repair`: the provider's setting in words, then one line per instance it acts on.
    fn auto_repair_report(&self, name: &str) -> String {
        let Some(provider) = self.sim.capacity_provider(name) else { return String::new() };
        let mut lines = vec![if provider.auto_repair {
            format!(
                "{name}: auto repair ENABLED. An ACTIVE instance whose critical daemon task stops or turns \
unhealthy is marked IMPAIRED, drained and replaced."
            )
        } else {
            format!("{name}: auto repair DISABLED. {}", crate::engine::snapshot::REPAIR_HELD)
        }];
        for i in provider.instances.iter().filter_map(|k| self.sim.instance(*k)) {
            let what = if self.sim.repair_held(i) {
                "held: ACTIVE, not replaced, critical daemon task not restarted"
            } else if i.drain_cause == Some(crate::engine::DrainCause::AutoRepair) {
                "being repaired: draining, replacement launched"
            } else {
                continue;
            };
            let reason = i.health.status_reason.as_deref().unwrap_or("");
            lines.push(format!(
                "{} {} {} {}: {what} ({reason})",
                i.id,
                i.ec2_instance_id,
                i.status_str(),
                i.health.overall_status().as_str()
            ));
        }
        lines.join("\n")
    }

    /// Runs one `sim` command given the words after `sim`; answers the text to print.
    pub fn sim(&mut self, args: &[String]) -> Result<String, AwsError> {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["clock"] => Ok(iso8601(self.now_ms())),
            ["fault", "clear"] => {
                self.apply(Command::ClearFaults)?;
                Ok(String::new())
            }
            ["fault", "image-pull", ..] => {
                let image = flag_value(&args[2..], "--image")?.to_string();
                self.apply(Command::SetImageUnpullable { image, unpullable: true })?;
                Ok(String::new())
            }
            ["fault", "capacity", ..] => {
                let capacity_provider = self.existing_capacity_provider(&args[2..])?;
                self.apply(Command::SetLaunchBlocked { capacity_provider, blocked: true })?;
                Ok(String::new())
            }
            ["fault", "capacity-clear", ..] => {
                let capacity_provider = self.existing_capacity_provider(&args[2..])?;
                self.apply(Command::SetLaunchBlocked { capacity_provider, blocked: false })?;
                Ok(String::new())
            }
            ["deployment", "drain-percent", ..] => {
                let (daemon, percent) = two_flags(&args[2..], "--daemon", "--percent")?;
                let reference = self.arns.daemon_ref("--daemon", daemon)?;
                let drain_percent =
                    parse_f64(percent).filter(|p| (0.0..=100.0).contains(p)).ok_or_else(|| {
                        AwsError::invalid_parameter(format!(
                            "--percent: {percent} is not a number from 0 to 100."
                        ))
                    })?;
                let daemon = self.arns.daemon(&reference.cluster, &reference.daemon);
                self.apply(Command::SetDeploymentDrainPercent { daemon, drain_percent })?;
                Ok(String::new())
            }
            ["fault", "unhealthy", ..] => {
                let task = flag_value(&args[2..], "--task")?;
                let reference = self.arns.task_ref("--task", task)?;
                if self.sim.task(&reference.name).is_none() {
                    return Err(AwsError::invalid_parameter(format!(
                        "--task: the task {task} was not found."
                    )));
                }
                self.apply(Command::MakeTaskUnhealthy { task: reference.name })?;
                Ok(String::new())
            }
            ["auto-repair", ..] => {
                let name = self.existing_capacity_provider(&args[1..])?;
                Ok(self.auto_repair_report(&name))
            }
            [] => Err(usage("missing sim command")),
            _ => Err(usage(&format!("unknown sim command: {}", words.join(" ")))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimConfig;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn faults_reach_the_engine_and_usage_errors_change_nothing() {
        let mut api = Api::new(SimConfig::with_seed(1));
        assert_eq!(api.sim(&words("clock")).unwrap(), iso8601(api.now_ms()));
        api.sim(&words("fault image-pull --image bad:1")).unwrap();
        assert!(api.simulation().unpullable_images().any(|image| image == "bad:1"));
        api.sim(&words("fault clear")).unwrap();
        assert_eq!(api.simulation().unpullable_images().count(), 0);
        let before = api.state_fingerprint();
        for bad in [
            "",
            "fault",
            "fault image-pull",
            "fault image-pull --img x",
            "fault capacity --capacity-provider nope",
            "fault unhealthy --task abc",
            "warp",
        ] {
            assert!(api.sim(&words(bad)).is_err(), "{bad}");
        }
        assert_eq!(api.state_fingerprint(), before);
    }
}
