//! The EventBridge log: every event the simulation emitted, the count of those a caller already
//! drained, and the envelope every event shares (account, region, the seed its ids derive from).
//! Event ids are a function of the seed and the event's ordinal, so the count must cover drained
//! events too; only this log moves either.

use super::event::{hash_event_json, Event, EventKind};
use super::rng::splitmix64;
use crate::support::hash::FNV_OFFSET;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The retained events, the drained count and the shared envelope; see the module doc.
#[derive(Debug, Clone)]
pub(crate) struct EventLog {
    seed: u64,
    account: Arc<str>,
    region: Arc<str>,
    events: Vec<Event>,
    drained: u64,
    /// Capacity provider names as events share them: one allocation per name, not per event.
    names: BTreeSet<Arc<str>>,
}

impl EventLog {
    pub(crate) fn new(seed: u64, account: &str, region: &str) -> Self {
        EventLog {
            seed,
            account: Arc::from(account),
            region: Arc::from(region),
            events: Vec::new(),
            drained: 0,
            names: BTreeSet::new(),
        }
    }

    // Inlined into each emitter so that the event is built in place: it is a few hundred bytes,
    // and passing it down costs a copy per call.
    #[inline(always)]
    pub(crate) fn push(&mut self, time_ms: u64, kind: EventKind) {
        let mut state = self.seed ^ 0x0005_EED0_FE7E_71D5_u64.wrapping_mul(self.count() + 1);
        let id_bits = (splitmix64(&mut state), splitmix64(&mut state));
        self.events.push(Event {
            id_bits,
            time_ms,
            account: self.account.clone(),
            region: self.region.clone(),
            kind,
        });
    }

    /// The events still retained, oldest first.
    #[inline]
    pub(crate) fn retained(&self) -> &[Event] {
        &self.events
    }

    /// Number of events emitted since the start (drained ones included).
    #[inline]
    pub(crate) fn count(&self) -> u64 {
        self.drained + self.events.len() as u64
    }

    pub(crate) fn drain(&mut self) -> Vec<Event> {
        self.drained += self.events.len() as u64;
        // Room for as many again: a caller that drains regularly does not regrow the log each time.
        // (Not the largest capacity seen: after a burst every drain would map and fault in that
        // much fresh memory again, which cost more than an occasional regrowth.)
        let room = Vec::with_capacity(self.events.len());
        std::mem::replace(&mut self.events, room)
    }

    /// FNV-1a over the serialized retained log: equal hashes mean byte-identical logs.
    pub(crate) fn hash(&self) -> u64 {
        let mut hash = FNV_OFFSET;
        for event in &self.events {
            let text = serde_json::to_string(&event.to_json()).unwrap_or_default();
            hash = hash_event_json(hash, &text);
        }
        hash
    }

    /// The shared copy of `name`, made on first use. A set of the shared copies themselves (found
    /// by `&str` through `Arc<str>: Borrow<str>`) rather than a map from an owned name: one
    /// allocation per name, and the same B-tree layout as the other `BTreeSet<Arc<str>>` (release
    /// wasm size).
    pub(crate) fn name(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.names.get(name) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(name);
        self.names.insert(shared.clone());
        shared
    }
}
