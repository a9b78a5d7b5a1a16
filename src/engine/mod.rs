#![deny(missing_docs)]
//! The lifecycle and deployment engine: a pure state machine. Commands in ([`Simulation::apply`]),
//! [`Simulation::advance`] / [`Simulation::step`] move simulated time, snapshots and EventBridge
//! events out ([`Simulation::snapshot`], [`Simulation::take_changes`], [`Simulation::events`]).
//!
//! - one seeded RNG ([`rng`]), no wall clock, BTreeMap/Vec wherever order can leak;
//! - a timer queue keyed by (time, sequence); work grows with events, never with fleet × ticks;
//! - lifecycle durations as data ([`lifecycle::LifecycleTable`], calibrated to seed 002);
//! - the guarantees of AWS's managed daemons documentation enforced in [`scheduler`] (daemon-first, one
//!   daemon task per instance, drain-last, the one replacement mechanism, auto-repair, placement) and
//!   [`deploy`] (rolling replacement in [`batch_size`] windows, bake, alarms, circuit breaker, rollback,
//!   supersession), and checked by [`invariants::check_invariants`].
//!
//! # Using it
//!
//! ```
//! use ecs_daemon_sim::engine::{Command, SimConfig, Simulation};
//! let mut sim = Simulation::new(SimConfig::with_seed(7));
//! sim.apply(Command::CreateCluster { name: "demo".into() }).unwrap();
//! let t = sim.now() + 60_000;
//! sim.advance(t); // or: while sim.step() {}
//! for event in sim.events() {
//!     let _json = event.to_json(); // the exact EventBridge envelope
//! }
//! ```
//!
//! Times: [`Simulation::now`], `advance(until)` and every timestamp in the model are Unix-epoch
//! milliseconds of the simulated clock (the API formats them); events carry ISO-8601 strings.
//!
//! Reading: `clusters()`, `capacity_providers()`, `container_instances(cluster)` (+ `task_counts`
//! for runningTasksCount/pendingTasksCount), `daemon_task_definitions()`, `daemons()`,
//! `daemon(arn)`, `current_revisions(daemon)`, `daemon_revision(arn)`, `daemon_deployments(daemon)`
//! (newest first), `deployment(arn)` with `revision_counts(..)` for its revision blocks,
//! `services(cluster)`, `tasks(cluster)`, `task(arn)`, `alarms()`. Viewers use `snapshot()` and
//! `take_changes()`; `lifecycle().rows()` is the timing table to display.

pub mod arn;
pub mod command;
pub mod commands;
pub mod deploy;
mod deployments;
pub mod error;
pub mod event;
mod event_log;
mod fleet;
pub mod invariants;
pub mod lifecycle;
pub mod model;
pub mod queries;
pub mod rng;
pub mod scheduler;
pub mod sim;
pub(crate) mod slab;
pub mod snapshot;
pub mod status;
mod tasks;
pub mod time;
mod timers;

pub use command::{Command, Outcome};
pub use deploy::{batch_size, circuit_breaker_threshold};
pub use error::{EngineError, ErrorKind};
pub use event::Event;
pub use invariants::{check_invariants, Violation};
pub use lifecycle::{LifecycleTable, Stage};
pub use model::*;
pub use queries::RevisionCounts;
pub use sim::{SimConfig, Simulation};
pub use snapshot::{AppChip, ChangeSet, DaemonChip, InstanceView, Snapshot};
