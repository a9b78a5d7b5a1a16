//! The lifecycle and deployment engine: a pure state machine. Commands in, `advance(until)` moves
//! simulated time, snapshots and events out.
