//! The bounds an imported scenario must stay within. They keep a hostile or corrupted file from
//! exhausting memory, the stack or the page's time: a file is checked against the byte size and
//! nesting before it is parsed, against the rest while it is validated, and the replay stops (and
//! is refused) as soon as it goes past the simulated duration or the work budget.

/// Largest file accepted, checked before parsing: anything over 5 MB is refused.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Deepest JSON nesting accepted anywhere in the file (checked before parsing).
pub const MAX_JSON_DEPTH: usize = 40;
/// Most log entries.
pub const MAX_LOG_ENTRIES: usize = 20_000;
/// Longest script (setup or log entry), bytes.
pub const MAX_SCRIPT_BYTES: usize = 256 * 1024;
/// Largest request body of one logged call, bytes of compact JSON.
pub const MAX_CALL_INPUT_BYTES: usize = 64 * 1024;
/// Longest name-like string (service, action, preset, knob name, region, sim word).
pub const MAX_NAME_BYTES: usize = 256;
/// Most words of a `sim` command.
pub const MAX_SIM_WORDS: usize = 16;
/// Most knobs.
pub const MAX_KNOBS: usize = 64;
/// Largest knob magnitude (knobs are counts, percentages and minutes).
pub const MAX_KNOB_ABS: f64 = 1e9;
/// Longest simulated run replayed: 30 days (a deployment with the maximum bake time of one day
/// fits many times over).
pub const MAX_SIMULATED_MS: u64 = 30 * crate::engine::time::DAY;
/// Work budget of a replay: timers processed plus timers still queued. A rolling update of a
/// thousand instances takes well under a tenth of it; a file asking for a hundred thousand
/// instances is refused instead of freezing the page.
pub const MAX_REPLAY_TIMERS: u64 = 400_000;
/// Latest epoch accepted (2100-01-01T00:00:00Z), so that every simulated timestamp formats.
pub const MAX_EPOCH_MS: u64 = 4_102_444_800_000;
/// Most commands one `scriptStep` entry runs.
pub const MAX_SCRIPT_STEP: u32 = 10_000;

// Viewer speed bounds (the playground's log-scale slider) and default.
/// Slowest viewer speed: simulated time at wall-clock pace.
pub const MIN_SPEED: f64 = 1.0;
/// Fastest viewer speed, in simulated seconds per wall second.
pub const MAX_SPEED: f64 = 1000.0;
/// A drainPercent-25 rolling update of the default 8-instance fleet takes about 20 simulated
/// minutes (4 windows of ≈ 5 min, seed 002's 4:50 per instance): 20× shows it in about a minute.
pub const DEFAULT_SPEED: f64 = 20.0;
