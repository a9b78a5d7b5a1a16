//! The timer queue: what is due next, in (time, sequence) order. The sequence number is the
//! tie-break that keeps timers due at the same millisecond in the order they were set, which is
//! what makes a run replayable; only this queue hands sequence numbers out.

use super::model::*;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// What a timer does when it fires. Timers carry the state they expect; a timer whose subject
/// moved on meanwhile is stale and ignored (cheaper than removing it from the heap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    Instance { key: InstanceKey, from: InstanceStatus },
    Task { key: TaskKey, from: TaskStatus },
    TaskHealthy { key: TaskKey },
    AppHealthy { key: TaskKey },
    DaemonRetry { instance: InstanceKey, daemon: DaemonKey },
    Idle { instance: InstanceKey, since: u64 },
    ServiceRetry { service: ServiceKey },
    DeploymentStart { key: DeploymentKey },
    DeploymentPump { key: DeploymentKey },
    BakeEnd { key: DeploymentKey, until: u64 },
    RollbackStart { key: DeploymentKey },
}

/// One pending timer: ordered by time, then by the order it was set.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub time: u64,
    pub seq: u64,
    pub timer: Timer,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.time, self.seq).cmp(&(other.time, other.seq))
    }
}

/// Pending timers, earliest first. Times are simulated milliseconds since the epoch.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimerQueue {
    heap: BinaryHeap<Reverse<Entry>>,
    seq: u64,
}

impl TimerQueue {
    /// Sets `timer` to fire at `time`, after every timer already set for that instant.
    #[inline]
    pub(crate) fn schedule_at(&mut self, time: u64, timer: Timer) {
        self.seq += 1;
        self.heap.push(Reverse(Entry { time, seq: self.seq, timer }));
    }

    /// Takes the next due timer with its time.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(u64, Timer)> {
        self.heap.pop().map(|Reverse(e)| (e.time, e.timer))
    }

    /// When the next timer is due.
    #[inline]
    pub(crate) fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|Reverse(e)| e.time)
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }
}
