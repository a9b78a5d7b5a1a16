//! Keeping the page responsive when the simulation is slower than the chosen speed: each animation
//! frame advances the engine in slices of simulated time until a wall-time budget is spent (the
//! rest of the frame is left to rendering and to input such as a Pause click), and the page says
//! when the clock runs slower than asked.
//!
//! Without the budget a frame at 10,000 instances and 100× ran the engine for as long as the
//! frame's simulated time took, up to seconds during a drain batch, and a Pause click waited for it.

/// Engine time per animation frame, wall milliseconds: half a 60 Hz frame, so a frame with its
/// rendering stays within two refreshes (30 fps) on a busy machine.
pub const FRAME_BUDGET_MS: f64 = 8.0;

/// The largest step of simulated time between two budget checks, milliseconds. Everything the
/// engine does at one instant happens within one step, so this bounds the work between checks
/// except at instants that carry much work of their own (a drain batch starting).
pub const SLICE_MS: u64 = 500;

/// How the clock keeps up with the chosen speed: an average over recent frames of simulated time
/// reached per simulated time asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// 1.0 keeping up; 0.5 half as fast as asked.
    pub kept: f64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace { kept: 1.0 }
    }
}

impl Pace {
    /// One frame asked for `wanted` simulated ms and reached `done` of them.
    pub fn record(&mut self, wanted: u64, done: u64) {
        if wanted == 0 {
            return;
        }
        let ratio = (done as f64 / wanted as f64).min(1.0);
        // About the last 20 frames (a third of a second).
        self.kept += (ratio - self.kept) * 0.1;
    }

    /// Back to keeping up (a new run, a pause).
    pub fn reset(&mut self) {
        self.kept = 1.0;
    }

    /// The speed actually reached at `speed` when it falls short by more than 5 %.
    pub fn behind(&self, speed: f64) -> Option<f64> {
        (self.kept < 0.95).then_some(speed * self.kept)
    }
}

/// A deadline `budget_ms` of wall time from now, by the page's clock.
pub fn deadline(budget_ms: f64) -> impl Fn() -> bool {
    let performance = web_sys::window().and_then(|w| w.performance());
    let start = performance.as_ref().map(|p| p.now()).unwrap_or(0.0);
    move || performance.as_ref().map(|p| p.now() - start >= budget_ms).unwrap_or(false)
}
