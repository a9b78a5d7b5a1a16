//! The `sim` commands a script uses for what AWS has no API for (issue 5 item 3): fault injection
//! and the simulated clock. They reach the engine through the same atomic command path as the
//! AWS actions.
//!
//! - `sim fault image-pull --image IMAGE`: pulls of IMAGE fail (`CannotPullContainerError`);
//! - `sim fault capacity --capacity-provider NAME`: the provider cannot launch instances;
//! - `sim fault unhealthy --task TASK`: the task (ARN or id) turns unhealthy;
//! - `sim fault clear`: every image and capacity fault is cleared;
//! - `sim clock`: the simulated time, ISO 8601 UTC.

use super::dispatch::Api;
use super::render::iso8601;
use super::AwsError;
use crate::engine::Command;

const USAGE: &str =
    "usage: sim fault image-pull --image IMAGE | sim fault capacity --capacity-provider NAME | \
sim fault unhealthy --task TASK | sim fault clear | sim clock";

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

impl Api {
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
                let name = flag_value(&args[2..], "--capacity-provider")?;
                let capacity_provider = self.arns.capacity_provider_name("--capacity-provider", name)?;
                if self.sim.capacity_provider(&capacity_provider).is_none() {
                    return Err(AwsError::client(format!(
                        "--capacity-provider: the capacity provider {capacity_provider} does not exist."
                    )));
                }
                self.apply(Command::SetLaunchBlocked { capacity_provider, blocked: true })?;
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
