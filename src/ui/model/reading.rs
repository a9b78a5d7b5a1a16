//! Reading the run: the simulation, the recorded log, the event-log hash, the tiles, and the
//! counts and deployment summary the panels share (computed once per change of the run).

use super::*;

impl Playground {
    // ----- reading ----------------------------------------------------------------------------

    pub fn sim(&self) -> &Simulation {
        self.recorder.simulation()
    }

    /// The only way to change the run: whatever reads the derived values afterwards recomputes them.
    pub(super) fn recorder_mut(&mut self) -> &mut Session {
        self.derived.take();
        self.generation = next_generation();
        &mut self.recorder
    }

    /// A value that changes whenever the run may have changed (and differs between two models):
    /// views that are functions of the run alone skip their work while it stays the same.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub(super) fn derived<T: Clone>(
        &self,
        slot: fn(&mut Derived) -> &mut Option<T>,
        compute: impl FnOnce() -> T,
    ) -> T {
        if let Some(value) = slot(&mut self.derived.borrow_mut()) {
            return value.clone();
        }
        let value = compute();
        *slot(&mut self.derived.borrow_mut()) = Some(value.clone());
        value
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The run up to now as a scenario file (the recorded future after a seek back is not in it).
    pub fn run_scenario(&self) -> &RunScenario {
        self.recorder.scenario()
    }

    /// Inputs applied so far, time advances not counted (what the autosave watches).
    pub fn input_count(&self) -> usize {
        self.recorder.scenario().log.iter().filter(|e| !matches!(e.input, Input::Advance(_))).count()
    }

    /// The hash of the event log so far: equal hashes, equal runs (`Simulation::event_log_hash`).
    pub fn event_log_hash(&self) -> u64 {
        self.hash_events_within(&|| false).unwrap_or(FNV_OFFSET)
    }

    /// The event-log hash for a view: computed on the spot when at most [`HASH_IN_VIEW_EVENTS`]
    /// events are not hashed yet; `None` for a longer backlog, which the page hashes a frame at a
    /// time (`hash_events_within`) so that the render that pauses is not held up by it.
    pub fn event_log_hash_ready(&self) -> Option<u64> {
        (self.events_to_hash() <= HASH_IN_VIEW_EVENTS).then(|| self.event_log_hash())
    }

    /// Events not yet folded into the event-log hash.
    pub fn events_to_hash(&self) -> usize {
        self.sim().events().len().saturating_sub(self.event_hash.get().1)
    }

    /// Hashes the events not hashed yet until `out_of_time` says stop; the hash once all are in.
    /// Hashing costs a JSON serialization per event (≈ 8 µs): after a long run at 10,000 instances
    /// that is seconds of work, so a paused page hashes in frame-sized pieces and stays responsive.
    pub fn hash_events_within(&self, out_of_time: &dyn Fn() -> bool) -> Option<u64> {
        let (mut hash, mut done) = self.event_hash.get();
        let cached = self.event_json.borrow();
        let events = self.sim().events();
        for (index, event) in events.iter().enumerate().skip(done.min(events.len())) {
            // Asked every 64 events: the clock read costs more than one event's hashing.
            if index % 64 == 0 && out_of_time() {
                break;
            }
            // Not cached on the way: the hash is read once per pause, the JSON kept is the panel's.
            let text = match cached.get(index).and_then(Option::as_ref) {
                Some(json) => serde_json::to_string(&**json),
                None => serde_json::to_string(&event.to_json()),
            };
            hash = hash_event_json(hash, &text.unwrap_or_default());
            done += 1;
        }
        self.event_hash.set((hash, done));
        (done == events.len()).then_some(hash)
    }

    /// Simulated milliseconds since the epoch.
    pub fn elapsed(&self) -> u64 {
        self.sim().elapsed()
    }

    /// The end of the recorded run: the latest logged input or the current time.
    pub fn horizon(&self) -> u64 {
        self.recorded_until.max(self.elapsed())
    }

    /// Every input of the run, the recorded future included, time advances left out.
    pub fn log(&self) -> Vec<LoggedCommand> {
        self.recorder
            .scenario()
            .log
            .iter()
            .chain(self.future.iter())
            .filter(|e| !matches!(e.input, Input::Advance(_)))
            .map(LoggedCommand::of)
            .collect()
    }

    pub fn has_future(&self) -> bool {
        self.recorded_until > self.elapsed()
    }

    /// Latest registered revision of the playground's daemon task definition family.
    pub fn daemon_revision(&self) -> u32 {
        self.sim()
            .daemon_task_definitions()
            .filter(|d| d.family == DAEMON)
            .map(|d| d.revision)
            .max()
            .unwrap_or(0)
    }

    /// Tiles in launch order, ghosts included.
    pub fn tiles(&self) -> Vec<&Tile> {
        // Sorted as plain u64s, launch order in the high half and the tile's position in the low
        // half (a run launches far fewer than 2^32 tiles): orders are unique, so this is the order
        // sort_by_key gives, and it reuses the unstable u64 sort the engine compiles anyway instead
        // of a std sort of its own (smaller wasm) while staying as fast on 10,000 tiles.
        let unsorted: Vec<&Tile> = self.tiles.values().map(|t| &**t).collect();
        let mut keys: Vec<u64> =
            unsorted.iter().enumerate().map(|(i, t)| (t.order << 32) | i as u64).collect();
        keys.sort_unstable();
        keys.into_iter().map(|k| unsorted[(k & u64::from(u32::MAX)) as usize]).collect()
    }

    /// Tiles in no particular order (ghosts included): for readers that look at every tile once
    /// and need no launch order, without the sort [`Playground::tiles`] pays.
    pub fn tile_iter(&self) -> impl Iterator<Item = &Tile> {
        self.tiles.values().map(|t| &**t)
    }

    /// Plays a preset's fleet boot in one jump, up to where its story starts (its first step),
    /// when that step waits for the fleet: returns the simulated time skipped, if any.
    pub fn fast_forward_boot(&mut self) -> Option<u64> {
        let preset = self.preset?;
        let first = preset.steps.first()?;
        if first.when != crate::ui::presets::When::FleetReady {
            return None;
        }
        let start = self.elapsed();
        while self.preset_steps_done == 0 && !self.preset_finished() && self.elapsed() < start + 30 * MINUTE {
            self.advance_by(SAMPLE_EVERY_MS);
        }
        Some(self.elapsed() - start)
    }

    pub fn tile(&self, id: &str) -> Option<&Tile> {
        self.tiles.get(id).map(|t| &**t)
    }

    pub fn status_counts(&self) -> StatusCounts {
        self.derived(|d| &mut d.status_counts, || self.count_statuses())
    }

    pub(super) fn count_statuses(&self) -> StatusCounts {
        let mut c = StatusCounts::default();
        for t in self.tiles.values().filter(|t| t.ghost_until.is_none()) {
            match t.view.status {
                "PROVISIONING" => c.provisioning += 1,
                "REGISTERING" => c.registering += 1,
                "ACTIVE" => c.active += 1,
                "DRAINING" => c.draining += 1,
                "DEREGISTERING" => c.deregistering += 1,
                _ => c.other += 1,
            }
        }
        c
    }

    /// Instances in scope of a deployment started now: N of the batch-size rule.
    pub fn instances_in_scope(&self) -> u32 {
        self.derived(|d| &mut d.instances_in_scope, || self.count_instances_in_scope())
    }

    pub(super) fn count_instances_in_scope(&self) -> u32 {
        // The engine's rule: instances of the daemon's providers that can still take tasks.
        self.sim()
            .capacity_provider(CAPACITY_PROVIDER)
            .map(|cp| {
                cp.instances
                    .iter()
                    .filter_map(|k| self.sim().instance(*k))
                    .filter(|i| i.status.accepts_placement())
                    .count() as u32
            })
            .unwrap_or(0)
    }

    /// The batch size the engine would use at `drain_percent` for the current fleet.
    pub fn batch_size_for(&self, drain_percent: f64) -> u32 {
        batch_size(self.instances_in_scope(), drain_percent)
    }

    pub fn breaker_threshold(&self) -> u32 {
        circuit_breaker_threshold(self.instances_in_scope())
    }

    /// (running, desired) of the playground service; without it (a lesson's account), of every
    /// active service.
    pub fn app_counts(&self) -> (u32, u32) {
        self.derived(
            |d| &mut d.app_counts,
            || {
                let sim = self.sim();
                match sim.service(CLUSTER, SERVICE) {
                    Some(s) => (s.running_count, s.desired_count),
                    // A lesson's own account has its own services: count theirs.
                    None => sim
                        .clusters()
                        .flat_map(|c| sim.services(&c.name))
                        .filter(|s| s.status == crate::engine::ServiceStatus::Active)
                        .fold((0, 0), |(r, d), s| (r + s.running_count, d + s.desired_count)),
                }
            },
        )
    }

    /// The playground daemon's latest deployment (shared: read each frame by several panels).
    pub fn deployment(&self) -> Option<Rc<DeploymentSummary>> {
        self.derived(|d| &mut d.deployment, || self.summarize_deployment().map(Rc::new))
    }

    pub(super) fn summarize_deployment(&self) -> Option<DeploymentSummary> {
        let daemon = self.watched_daemon()?;
        let dep = self.sim().daemon_deployments(daemon).into_iter().next()?;
        let revision_name = |key| {
            self.sim()
                .revision(key)
                .map(|r| r.daemon_task_definition.rsplit('/').next().unwrap_or("").to_string())
                .unwrap_or_default()
        };
        let batch = dep.batch_size.max(1);
        let batch_count = dep.instances_in_scope.div_ceil(batch);
        let batch_number =
            if dep.instances_in_scope == 0 { 0 } else { (dep.replaced / batch + 1).min(batch_count) };
        let revisions = self
            .sim()
            .current_revisions(daemon)
            .into_iter()
            .map(|r| (revision_name(r.revision), r.total_running, r.total_draining))
            .collect();
        Some(DeploymentSummary {
            id: dep.id.clone(),
            status: dep.status.as_str(),
            status_reason: dep.status_reason.clone(),
            target_revision: revision_name(dep.phase_target()),
            batch_size: dep.batch_size,
            batch_number,
            batch_count,
            instances_in_scope: dep.instances_in_scope,
            replaced: dep.replaced,
            draining: dep.draining.len() as u32,
            failure_count: dep.circuit_breaker.failure_count,
            threshold: dep.circuit_breaker.threshold,
            breaker_status: dep.circuit_breaker.status.as_str(),
            alarm_status: dep.alarms.status.as_str(),
            bake_remaining_ms: dep.bake_until.map(|u| u.saturating_sub(self.sim().now())),
            drain_percent: dep.config.drain_percent,
            revisions,
        })
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn events(&self) -> &[Event] {
        self.sim().events()
    }

    /// Events so far (what the log panel counts).
    pub fn event_count(&self) -> usize {
        self.sim().events().len()
    }

    /// EventBridge JSON of event `index` (oldest first), converted once and then shared: the same
    /// `Rc` on every read, so a row that shows it can tell by pointer that it has not changed.
    pub fn event_json(&self, index: usize) -> Option<Rc<Value>> {
        let event = self.sim().events().get(index)?;
        let mut cache = self.event_json.borrow_mut();
        if cache.len() <= index {
            cache.resize(index + 1, None);
        }
        Some(cache[index].get_or_insert_with(|| Rc::new(event.to_json())).clone())
    }
}
