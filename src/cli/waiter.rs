//! `aws ecs wait ...`: botocore's waiter loop over simulated time.
//!
//! Each attempt calls the operation; the first acceptor that matches decides (success, failure,
//! or retry); otherwise, after `delay` seconds of *simulated* time, the next attempt, until
//! `max_attempts`. Definitions are botocore's `ecs/2014-11-13/waiters-2.json`; the daemon waiters
//! poll every 15 s, 8 attempts at most, as botocore 1.44's daemon waiters do.

use super::backend::Backend;
use super::query::apply_query;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Success,
    Failure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    /// The expression's result equals `expected`.
    Path,
    /// The result is a non-empty list whose every element equals `expected`.
    PathAll,
    /// The result is a non-empty list with at least one element equal to `expected`.
    PathAny,
}

/// One acceptor: when `matcher` of `argument` against `expected` holds, the waiter enters `state`.
#[derive(Debug, Clone, Copy)]
pub struct Acceptor {
    pub state: State,
    pub matcher: Matcher,
    pub argument: &'static str,
    /// JSON text of the expected value (`"RUNNING"`, `true`).
    pub expected: &'static str,
}

/// A waiter definition.
#[derive(Debug, Clone, Copy)]
pub struct Waiter {
    /// botocore name, used in failure messages (`ServicesStable`).
    pub name: &'static str,
    pub cli_name: &'static str,
    pub operation: &'static str,
    pub delay_seconds: u64,
    pub max_attempts: u32,
    pub acceptors: &'static [Acceptor],
}

const fn acceptor(
    state: State,
    matcher: Matcher,
    argument: &'static str,
    expected: &'static str,
) -> Acceptor {
    Acceptor { state, matcher, argument, expected }
}

use Matcher::{Path, PathAll, PathAny};
use State::{Failure, Success};

/// Every waiter `aws ecs wait` runs.
pub const WAITERS: &[Waiter] = &[
    Waiter {
        name: "ServicesStable",
        cli_name: "services-stable",
        operation: "DescribeServices",
        delay_seconds: 15,
        max_attempts: 40,
        acceptors: &[
            acceptor(Failure, PathAny, "failures[].reason", "\"MISSING\""),
            acceptor(Failure, PathAny, "services[].status", "\"DRAINING\""),
            acceptor(Failure, PathAny, "services[].status", "\"INACTIVE\""),
            acceptor(
                Success,
                Path,
                "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`",
                "true",
            ),
        ],
    },
    Waiter {
        name: "ServicesInactive",
        cli_name: "services-inactive",
        operation: "DescribeServices",
        delay_seconds: 15,
        max_attempts: 40,
        acceptors: &[
            acceptor(Failure, PathAny, "failures[].reason", "\"MISSING\""),
            acceptor(Success, PathAny, "services[].status", "\"INACTIVE\""),
        ],
    },
    Waiter {
        name: "TasksRunning",
        cli_name: "tasks-running",
        operation: "DescribeTasks",
        delay_seconds: 6,
        max_attempts: 100,
        acceptors: &[
            acceptor(Failure, PathAny, "tasks[].lastStatus", "\"STOPPED\""),
            acceptor(Failure, PathAny, "failures[].reason", "\"MISSING\""),
            acceptor(Success, PathAll, "tasks[].lastStatus", "\"RUNNING\""),
        ],
    },
    Waiter {
        name: "TasksStopped",
        cli_name: "tasks-stopped",
        operation: "DescribeTasks",
        delay_seconds: 6,
        max_attempts: 100,
        acceptors: &[acceptor(Success, PathAll, "tasks[].lastStatus", "\"STOPPED\"")],
    },
    Waiter {
        name: "DaemonActive",
        cli_name: "daemon-active",
        operation: "DescribeDaemon",
        delay_seconds: 15,
        max_attempts: 8,
        acceptors: &[
            acceptor(Success, Path, "daemon.status", "\"ACTIVE\""),
            acceptor(Failure, Path, "daemon.status", "\"DELETE_IN_PROGRESS\""),
        ],
    },
    Waiter {
        name: "DaemonDeploymentSuccessful",
        cli_name: "daemon-deployment-successful",
        operation: "DescribeDaemonDeployments",
        delay_seconds: 15,
        max_attempts: 8,
        acceptors: &[
            acceptor(Success, PathAll, "daemonDeployments[].status", "\"SUCCESSFUL\""),
            acceptor(Failure, PathAny, "daemonDeployments[].status", "\"STOPPED\""),
            acceptor(Failure, PathAny, "daemonDeployments[].status", "\"ROLLBACK_FAILED\""),
            acceptor(Failure, PathAny, "daemonDeployments[].status", "\"ROLLBACK_SUCCESSFUL\""),
            acceptor(Failure, PathAny, "failures[].reason", "\"MISSING\""),
        ],
    },
    Waiter {
        name: "DaemonDeploymentStopped",
        cli_name: "daemon-deployment-stopped",
        operation: "DescribeDaemonDeployments",
        delay_seconds: 15,
        max_attempts: 8,
        acceptors: &[
            acceptor(Success, PathAll, "daemonDeployments[].status", "\"STOPPED\""),
            acceptor(Failure, PathAny, "failures[].reason", "\"MISSING\""),
        ],
    },
    Waiter {
        name: "DaemonTaskDefinitionActive",
        cli_name: "daemon-task-definition-active",
        operation: "DescribeDaemonTaskDefinition",
        delay_seconds: 15,
        max_attempts: 8,
        acceptors: &[
            acceptor(Success, Path, "daemonTaskDefinition.status", "\"ACTIVE\""),
            acceptor(Failure, Path, "daemonTaskDefinition.status", "\"DELETE_IN_PROGRESS\""),
            acceptor(Failure, Path, "daemonTaskDefinition.status", "\"DELETED\""),
        ],
    },
    Waiter {
        name: "DaemonTaskDefinitionDeleted",
        cli_name: "daemon-task-definition-deleted",
        operation: "DescribeDaemonTaskDefinition",
        delay_seconds: 15,
        max_attempts: 8,
        acceptors: &[acceptor(Success, Path, "daemonTaskDefinition.status", "\"DELETED\"")],
    },
];

/// Finds a waiter by its CLI name.
pub fn find_waiter(cli_name: &str) -> Option<&'static Waiter> {
    WAITERS.iter().find(|waiter| waiter.cli_name == cli_name)
}

impl Acceptor {
    fn expected_value(&self) -> Value {
        serde_json::from_str(self.expected).unwrap_or(Value::Null)
    }

    fn matches(&self, response: &Value) -> bool {
        let Ok(result) = apply_query(self.argument, response) else { return false };
        let expected = self.expected_value();
        match self.matcher {
            Path => result == expected,
            PathAll => {
                matches!(&result, Value::Array(items) if !items.is_empty() && items.iter().all(|v| *v == expected))
            }
            PathAny => matches!(&result, Value::Array(items) if items.contains(&expected)),
        }
    }

    /// botocore's `explanation`, quoted in failure messages.
    fn explanation(&self) -> String {
        let expected = match self.expected_value() {
            Value::String(text) => text,
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            other => other.to_string(),
        };
        match self.matcher {
            Path => format!("For expression \"{}\" we matched expected path: \"{expected}\"", self.argument),
            // "excepted" is botocore's own spelling; users search for the exact text.
            PathAll => {
                format!(
                    "For expression \"{}\" all members matched excepted path: \"{expected}\"",
                    self.argument
                )
            }
            PathAny => format!(
                "For expression \"{}\" we matched expected path: \"{expected}\" at least once",
                self.argument
            ),
        }
    }
}

/// Runs a waiter. `Ok(())` on success; `Err(reason)` with botocore's `Waiter X failed: ...` text.
pub fn wait(waiter: &Waiter, backend: &mut dyn Backend, service: &str, input: &Value) -> Result<(), String> {
    for attempt in 1..=waiter.max_attempts {
        match backend.call(service, waiter.operation, input.clone()) {
            Err(error) => {
                return Err(format!(
                    "Waiter {} failed: An error occurred ({}): {}",
                    waiter.name, error.error_type, error.message
                ))
            }
            Ok(response) => {
                if let Some(acceptor) = waiter.acceptors.iter().find(|a| a.matches(&response)) {
                    match acceptor.state {
                        State::Success => return Ok(()),
                        State::Failure => {
                            return Err(format!(
                                "Waiter {} failed: Waiter encountered a terminal failure state: {}",
                                waiter.name,
                                acceptor.explanation()
                            ))
                        }
                    }
                }
            }
        }
        if attempt < waiter.max_attempts {
            backend.sleep_ms(waiter.delay_seconds * 1000);
        }
    }
    // Every acceptor here is terminal, so no "Previously accepted state" can be reported.
    Err(format!("Waiter {} failed: Max attempts exceeded", waiter.name))
}
