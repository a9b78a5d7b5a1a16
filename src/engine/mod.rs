//! The lifecycle and deployment engine: a pure state machine. Commands in ([`Simulation::apply`]),
//! [`Simulation::advance`] / [`Simulation::step`] move simulated time, snapshots and EventBridge
//! events out ([`Simulation::snapshot`], [`Simulation::take_changes`], [`Simulation::events`]).
//!
//! - one seeded RNG ([`rng`]), no wall clock, BTreeMap/Vec wherever order can leak;
//! - a timer queue keyed by (time, sequence); work grows with events, never with fleet × ticks;
//! - lifecycle durations as data ([`lifecycle::LifecycleTable`]);
//! - the guarantees of spec section 4 enforced in [`scheduler`] and [`deploy`] and checked by
//!   [`invariants::check_invariants`].
//!
//! Times: [`Simulation::now`] and every timestamp in the model are Unix epoch milliseconds of the
//! simulated clock (the API formats them); events carry ISO-8601 strings.

pub mod arn;
pub mod command;
pub mod commands;
pub mod deploy;
pub mod error;
pub mod event;
pub mod invariants;
pub mod lifecycle;
pub mod model;
pub mod queries;
pub mod rng;
pub mod scheduler;
pub mod sim;
pub mod slab;
pub mod snapshot;
pub mod time;

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
