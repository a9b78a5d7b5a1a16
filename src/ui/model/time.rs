//! Time: frames, advancing with the recorded future applied on the way, seeking by replay, and
//! the tiles and timeline samples refreshed as the clock moves.

use super::*;

impl Playground {
    // ----- time -------------------------------------------------------------------------------

    /// One animation frame: `wall_ms` of wall time at the current speed. Returns whether anything
    /// visible changed.
    pub fn frame(&mut self, wall_ms: f64) -> bool {
        self.frame_within(wall_ms, &|| false)
    }

    /// [`Playground::frame`] that stops advancing when `out_of_time` says so (checked between
    /// slices of [`pace::SLICE_MS`]): the clock then falls behind the speed, and `pace` says by
    /// how much.
    pub fn frame_within(&mut self, wall_ms: f64, out_of_time: &dyn Fn() -> bool) -> bool {
        if !self.playing {
            return false;
        }
        // A running script advances by one command per frame unless it is in a `sleep`, which
        // plays out as time moves as usual.
        let stepped = self.script_sleep_remaining_ms().is_none() && self.script_step();
        let wall = wall_ms.clamp(0.0, MAX_FRAME_WALL_MS);
        let sim_ms = (wall * self.speed).round() as u64;
        if sim_ms == 0 {
            return stepped;
        }
        let start = self.elapsed();
        let target = start + sim_ms;
        let mut changed = stepped;
        loop {
            let before = self.elapsed();
            changed |= self.advance_to((before + pace::SLICE_MS).min(target));
            let now = self.elapsed();
            if now >= target || now == before || !self.playing || out_of_time() {
                break;
            }
        }
        self.pace.record(sim_ms, self.elapsed() - start);
        changed
    }

    /// Moves simulated time to `target` (ms since the epoch), applying recorded future inputs on
    /// the way. Returns whether anything visible changed.
    pub fn advance_to(&mut self, target: u64) -> bool {
        let before = (self.sim().events().len(), self.elapsed() / 1000);
        // Entries stay queued while the clock moves to them: a preset step counted on the way
        // applies its own recorded inputs first (see `run_preset`).
        while let Some(at) = self.future.front().map(|next| next.at_ms).filter(|&at| at <= target) {
            self.advance_sampled(at);
            self.move_clock_to(at);
            self.apply_due_inputs();
        }
        self.advance_sampled(target);
        self.recorded_until = self.recorded_until.max(self.elapsed());
        self.refresh();
        before != (self.sim().events().len(), self.elapsed() / 1000)
    }

    /// Applies the recorded inputs due by now.
    pub(super) fn apply_due_inputs(&mut self) {
        let now = self.elapsed();
        while self.future.front().is_some_and(|next| next.at_ms <= now) {
            let Some(next) = self.future.pop_front() else { break };
            self.reapply(&next.input);
        }
    }

    /// Applies a recorded input again. It succeeded when recorded, and the run replayed to the
    /// same instant is the same, so it succeeds again.
    pub(super) fn reapply(&mut self, input: &Input) {
        let recorder = self.recorder_mut();
        match input {
            Input::Call { service, action, input } => {
                let _ = recorder.call(service, action, input);
            }
            Input::Sim(words) => {
                let _ = recorder.sim(words);
            }
            Input::Script(text) => {
                recorder.script(text);
            }
            Input::ScriptBegin(text) => {
                let _ = recorder.begin_script(text);
            }
            Input::ScriptStep(count) => {
                for _ in 0..*count {
                    recorder.step_script();
                }
            }
            Input::Advance(_) => {}
        }
    }

    /// Moves the clock through the recorder, so that the log ends at the time reached.
    pub(super) fn move_clock_to(&mut self, target: u64) {
        let now = self.elapsed();
        if target > now {
            self.recorder_mut().advance_by(target - now);
        }
    }

    /// Advances in sampling periods so the timeline has a point every [`SAMPLE_EVERY_MS`].
    pub(super) fn advance_sampled(&mut self, target: u64) {
        loop {
            let last = self.samples.last().map(|s| s.at_ms);
            let next_sample = last.map(|l| l + SAMPLE_EVERY_MS).unwrap_or(0);
            if next_sample > target {
                break;
            }
            self.move_clock_to(next_sample);
            self.sample();
            if !self.preset_finished() {
                self.run_preset();
                if self.preset_finished() && !self.has_future() {
                    // The run ended here: the clock stops on the sample that ended it (a replay
                    // goes on to the inputs recorded after it).
                    return;
                }
            }
        }
        self.move_clock_to(target);
    }

    pub fn advance_by(&mut self, ms: u64) -> bool {
        self.advance_to(self.elapsed() + ms)
    }

    /// Processes the next due engine event (and any others due at the same instant).
    pub fn step_event(&mut self) -> bool {
        let epoch = self.sim().config().epoch_ms;
        let next_timer = self.sim().next_event_time().map(|t| t - epoch);
        let next_input = self.future.front().map(|c| c.at_ms);
        let target = match (next_timer, next_input) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return false,
        };
        self.advance_to(target.max(self.elapsed()))
    }

    /// Seeks to `target` by deterministic replay: a fresh run from the seed (and setup script),
    /// the logged inputs applied again at their times. Later inputs stay as the future.
    pub fn seek(&mut self, target: u64) {
        if target >= self.elapsed() {
            self.advance_to(target);
            return;
        }
        let recorded = self.recorder.scenario();
        let base = RunScenario { log: Vec::new(), ..recorded.clone() };
        let Ok(fresh) = Session::new(base) else { return };
        let mut future: VecDeque<LogEntry> =
            recorded.log.iter().filter(|e| !matches!(e.input, Input::Advance(_))).cloned().collect();
        future.extend(self.future.drain(..));
        *self.recorder_mut() = fresh;
        self.future = future;
        // A script cannot continue from a rewound world: the replay re-runs what it ran.
        self.console.live = false;
        self.tiles.clear();
        self.ghosts_due_at = u64::MAX;
        self.next_order = 0;
        self.samples.clear();
        self.event_json.borrow_mut().clear();
        self.event_hash.set((FNV_OFFSET, 0));
        self.preset_steps_done = 0;
        self.preset_result = None;
        // Setup inputs sit at time 0: apply them before anything else.
        self.advance_to(target);
        self.restore_fault_flags();
    }

    /// Drops the recorded future: from here on the run diverges.
    pub fn fork_here(&mut self) {
        self.future.clear();
        self.recorded_until = self.elapsed();
    }

    pub(super) fn restore_fault_flags(&mut self) {
        self.launch_blocked =
            self.sim().capacity_provider(CAPACITY_PROVIDER).map(|c| c.launch_blocked).unwrap_or(false);
        self.alarm_in_alarm =
            self.sim().alarm(ALARM).map(|a| a.state == crate::engine::AlarmState::Alarm).unwrap_or(false);
    }

    /// Replays the run from the seed to time zero of the scenario (the setup inputs kept, and a
    /// loaded run's setup script), drops everything after it and puts the knobs back.
    pub fn reset(&mut self) {
        self.seek(0);
        self.fork_here();
        let setup = self.scenario.clone();
        self.drain_percent = setup.drain_percent;
        self.bake_minutes = setup.bake_minutes;
        self.daemon_cpu = setup.daemon_cpu;
        self.daemon_memory = setup.daemon_memory;
        self.record_knobs();
        self.bad_image_armed = false;
        self.last_error = None;
        self.selected = None;
        self.console = Console::default();
        self.restore_fault_flags();
    }

    // ----- tiles and samples ------------------------------------------------------------------

    /// Patches the tiles from the engine's change set and drops expired ghosts.
    pub(super) fn refresh(&mut self) {
        let changes = self.recorder_mut().take_changes();
        let now = self.elapsed();
        for view in changes.changed {
            match self.tiles.get_mut(&view.container_instance_id) {
                Some(tile) => {
                    if *tile.view != view {
                        tile.view = Rc::new(view);
                    }
                }
                None => {
                    let order = self.next_order;
                    self.next_order += 1;
                    let id = view.container_instance_id.clone();
                    self.tiles.insert(id, Box::new(Tile { order, view: Rc::new(view), ghost_until: None }));
                }
            }
        }
        for id in changes.removed {
            if let Some(tile) = self.tiles.get_mut(&id) {
                if tile.ghost_until.is_none() {
                    // A ghost shows what is gone, not its last chips: the same however the run
                    // got here (played, or replayed in one jump by a seek).
                    let sim = self.recorder.simulation();
                    let mut view = match sim.container_instance(&id) {
                        Some(instance) => sim.instance_view(instance),
                        None => (*tile.view).clone(),
                    };
                    view.status = "TERMINATED";
                    view.daemon_tasks.clear();
                    view.app_tasks.clear();
                    view.drain_cause = None;
                    tile.view = Rc::new(view);
                    tile.ghost_until = Some(now + GHOST_MS);
                    self.ghosts_due_at = self.ghosts_due_at.min(now + GHOST_MS);
                }
            }
        }
        if now >= self.ghosts_due_at {
            let mut next_due = u64::MAX;
            self.tiles.retain(|_, t| match t.ghost_until {
                Some(until) if until <= now => false,
                Some(until) => {
                    next_due = next_due.min(until);
                    true
                }
                None => true,
            });
            self.ghosts_due_at = next_due;
        }
        if self.selected.as_ref().map(|s| !self.tiles.contains_key(s)).unwrap_or(false) {
            self.selected = None;
        }
        // The status counts come from the tiles just patched.
        self.derived.take();
    }

    pub(super) fn sample(&mut self) {
        let at_ms = self.elapsed();
        if self.samples.last().map(|s| s.at_ms >= at_ms).unwrap_or(false) {
            return;
        }
        let mut sample = Sample { at_ms, ..Sample::default() };
        for i in self.sim().container_instances(CLUSTER) {
            match i.status.as_str() {
                "REGISTERING" => sample.registering += 1,
                "ACTIVE" => sample.active += 1,
                "DRAINING" => sample.draining += 1,
                "DEREGISTERING" => sample.deregistering += 1,
                _ => {}
            }
        }
        let (running, desired) = self.app_counts();
        sample.app_running = running;
        sample.app_desired = desired;
        sample.deployment_phase = self
            .sim()
            .daemons()
            .find(|d| d.name == DAEMON)
            .and_then(|d| self.sim().daemon_deployments(d).into_iter().next())
            .filter(|d| d.is_active())
            .and_then(|d| DEPLOYMENT_PHASES.iter().position(|p| *p == d.status.as_str()))
            .map(|p| p as u8);
        self.samples.push(sample);
    }
}
