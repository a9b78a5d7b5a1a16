//! The inputs a user gives the run: AWS calls and `sim` commands behind the knobs, faults and
//! the Deploy button, and the console's script. Each is recorded, so a replay applies it again.

use super::*;

impl Playground {
    // ----- inputs -----------------------------------------------------------------------------

    /// Runs an AWS action now through the recorder (so it is in the log); a refused action is
    /// reported and changes nothing. A new input drops any recorded future (the run forks here).
    pub(super) fn call(&mut self, service: &str, action: &str, input: Value) -> bool {
        self.fork_here();
        match self.recorder_mut().call(service, action, &input) {
            Ok(_) => {
                self.last_error = None;
                true
            }
            Err(e) => {
                self.last_error = Some(format!("{service} {action}: {e}"));
                false
            }
        }
    }

    /// Runs a `sim` command (what AWS has no action for) through the recorder.
    pub(super) fn sim_command(&mut self, words: &[&str]) -> bool {
        self.fork_here();
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        match self.recorder_mut().sim(&words) {
            Ok(_) => {
                self.last_error = None;
                true
            }
            Err(e) => {
                self.last_error = Some(format!("sim {}: {e}", words.join(" ")));
                false
            }
        }
    }

    /// Keeps the scenario file's knobs equal to the playground's, so that a shared or saved run
    /// restores them (they shape the next deployment, not the recorded past).
    pub(super) fn record_knobs(&mut self) {
        let knobs = [
            (KNOB_INSTANCES, f64::from(self.scenario.instances)),
            (KNOB_DRAIN_PERCENT, self.drain_percent),
            (KNOB_BAKE_TIME, f64::from(self.bake_minutes)),
            (KNOB_DAEMON_CPU, f64::from(self.daemon_cpu)),
            (KNOB_DAEMON_MEMORY, f64::from(self.daemon_memory)),
        ];
        for (name, value) in knobs {
            // Out-of-range values were clamped by the setters; a refusal keeps the last value.
            let _ = self.recorder_mut().set_knob(name, value);
        }
    }

    /// Sets the speed (clamped to the slider's range) and records it as the run's view setting.
    pub fn set_speed(&mut self, speed: f64) {
        self.speed = speed.clamp(MIN_SPEED, MAX_SPEED);
        let view = run::ViewSettings { speed: self.speed, ..self.recorder.scenario().view.clone() };
        let _ = self.recorder_mut().set_view(view);
    }

    pub fn set_bake_minutes(&mut self, minutes: u32) {
        self.bake_minutes = minutes.min(crate::engine::MAX_BAKE_TIME_MINUTES);
        self.record_knobs();
    }

    pub fn set_daemon_size(&mut self, cpu: Option<u32>, memory: Option<u32>) {
        if let Some(cpu) = cpu {
            self.daemon_cpu = cpu;
        }
        if let Some(memory) = memory {
            self.daemon_memory = memory;
        }
        self.record_knobs();
    }

    /// Changes the service's desired count (the fleet follows through scale-out / scale-in).
    pub fn set_desired_count(&mut self, desired: u32) -> bool {
        let ok = self.call(
            "ecs",
            "UpdateService",
            json!({"cluster": CLUSTER, "service": SERVICE, "desiredCount": desired}),
        );
        self.refresh();
        ok
    }

    /// Sets drainPercent for the next deployment and, if one is running, for its next batch.
    pub fn set_drain_percent(&mut self, drain_percent: f64) {
        self.drain_percent = drain_percent.clamp(0.0, 100.0);
        self.record_knobs();
        if self.deployment().map(|d| !is_terminal(d.status)).unwrap_or(false) {
            let (daemon, percent) = (self.daemon_arn(), self.drain_percent.to_string());
            self.sim_command(&["deployment", "drain-percent", "--daemon", &daemon, "--percent", &percent]);
        }
    }

    /// Registers a new daemon task definition revision (with the cpu/memory knobs) and rolls it out
    /// with UpdateDaemon; the first call creates the daemon when the scenario has none yet.
    pub fn deploy_new_revision(&mut self) -> bool {
        if self.bad_image_armed {
            let image = self.next_image();
            self.sim_command(&["fault", "image-pull", "--image", &image]);
            self.bad_image_armed = false;
        }
        if !self.register_daemon_revision() {
            return false;
        }
        let exists = self.sim().daemons().any(|d| d.name == DAEMON && d.cluster == CLUSTER && !d.deleted);
        let ok = if exists {
            let config = self.deployment_configuration();
            self.call(
                "ecs",
                "UpdateDaemon",
                json!({"daemonArn": self.daemon_arn(),
                    "daemonTaskDefinitionArn": format!("{DAEMON}:{}", self.daemon_revision()),
                    "capacityProviderArns": [CAPACITY_PROVIDER], "deploymentConfiguration": config}),
            )
        } else {
            self.create_daemon()
        };
        self.refresh();
        ok
    }

    /// Fault: stops the instance's daemon task (a critical daemon ⇒ auto-repair).
    pub fn stop_daemon_task(&mut self, instance_id: &str) -> bool {
        let Some(task) = self.daemon_task_of(instance_id) else {
            self.last_error = Some(format!("{instance_id} has no daemon task to stop"));
            return false;
        };
        let ok = self.call(
            "ecs",
            "StopTask",
            json!({"cluster": CLUSTER, "task": task, "reason": "Stopped from the playground"}),
        );
        self.refresh();
        ok
    }

    /// Fault: the instance's daemon task turns unhealthy.
    pub fn make_daemon_unhealthy(&mut self, instance_id: &str) -> bool {
        let Some(task) = self.daemon_task_of(instance_id) else {
            self.last_error = Some(format!("{instance_id} has no daemon task"));
            return false;
        };
        let task = format!("{CLUSTER}/{task}");
        let ok = self.sim_command(&["fault", "unhealthy", "--task", &task]);
        self.refresh();
        ok
    }

    /// Fault: `ec2 terminate-instances` on the tile's EC2 instance.
    pub fn terminate_instance(&mut self, instance_id: &str) -> bool {
        let Some(ec2) = self.tiles.get(instance_id).map(|t| t.view.ec2_instance_id.clone()) else {
            return false;
        };
        let ok = self.call("ec2", "TerminateInstances", json!({"InstanceIds": [ec2]}));
        self.refresh();
        ok
    }

    /// Fault: the user sets the instance to DRAINING (UpdateContainerInstancesState).
    pub fn drain_instance(&mut self, instance_id: &str) -> bool {
        let ok = self.call(
            "ecs",
            "UpdateContainerInstancesState",
            json!({"cluster": CLUSTER, "containerInstances": [instance_id], "status": "DRAINING"}),
        );
        self.refresh();
        ok
    }

    pub fn set_launch_blocked(&mut self, blocked: bool) -> bool {
        let fault = if blocked { "capacity" } else { "capacity-clear" };
        let ok = self.sim_command(&["fault", fault, "--capacity-provider", CAPACITY_PROVIDER]);
        if ok {
            self.launch_blocked = blocked;
        }
        self.refresh();
        ok
    }

    /// The playground provider's `autoRepairConfiguration.actionsStatus == ENABLED`.
    pub fn auto_repair(&self) -> bool {
        self.sim().capacity_provider(CAPACITY_PROVIDER).map(|cp| cp.auto_repair).unwrap_or(true)
    }

    /// Instances the provider's auto repair leaves as they failed: (container instance id, the
    /// health record's reason). Empty while auto repair is ENABLED.
    pub fn repair_held(&self) -> Vec<(String, String)> {
        let sim = self.sim();
        // Walks the fleet only while auto repair is off (while on, no instance is held).
        let Some(cp) = sim.capacity_provider(CAPACITY_PROVIDER).filter(|cp| !cp.auto_repair) else {
            return Vec::new();
        };
        cp.instances
            .iter()
            .filter_map(|k| sim.instance(*k))
            .filter(|i| sim.repair_held(i))
            .map(|i| (i.id.clone(), i.health.status_reason.clone().unwrap_or_default()))
            .collect()
    }

    /// UpdateCapacityProvider with `autoRepairConfiguration.actionsStatus`, recorded like any
    /// action so that a shared or replayed run switches it at the same moment.
    pub fn set_auto_repair(&mut self, enabled: bool) -> bool {
        let account = self.recorder.api().arns().account.clone();
        let status = if enabled { "ENABLED" } else { "DISABLED" };
        let ok = self.call(
            "ecs",
            "UpdateCapacityProvider",
            json!({"name": CAPACITY_PROVIDER, "cluster": CLUSTER, "managedInstancesProvider": {
                "infrastructureRoleArn": format!("arn:aws:iam::{account}:role/{INFRASTRUCTURE_ROLE}"),
                "instanceLaunchTemplate": {},
                "autoRepairConfiguration": {"actionsStatus": status}
            }}),
        );
        self.refresh();
        ok
    }

    pub fn set_alarm(&mut self, in_alarm: bool) -> bool {
        let state = if in_alarm { "ALARM" } else { "OK" };
        let ok = self.call(
            "cloudwatch",
            "SetAlarmState",
            json!({"AlarmName": ALARM, "StateValue": state, "StateReason": "Set from the playground"}),
        );
        if ok {
            self.alarm_in_alarm = in_alarm;
        }
        self.refresh();
        ok
    }

    pub(super) fn daemon_task_of(&self, instance_id: &str) -> Option<String> {
        let tile = self.tiles.get(instance_id)?;
        tile.view.daemon_tasks.iter().find_map(|d| d.task_id.clone())
    }

    // ----- console ----------------------------------------------------------------------------

    /// Starts running an AWS-CLI script against the simulated account, one command per step.
    /// A syntax error runs nothing and is reported with its line and column.
    pub fn start_script(&mut self, text: &str) -> bool {
        self.console.output.clear();
        self.console.text = text.to_string();
        self.console.after = None;
        self.fork_here();
        match self.recorder_mut().begin_script(text) {
            Ok(()) => {
                self.console.live = true;
                self.console.remaining = self.recorder.script_remaining();
                self.console.syntax_error = None;
                true
            }
            Err(e) => {
                self.console.live = false;
                self.console.syntax_error = Some(e.to_string());
                false
            }
        }
    }

    pub fn stop_script(&mut self) {
        self.console.live = false;
    }

    /// Simulated ms left of the `sleep` the live script is in: the frames play it out at the
    /// playground's speed, so the grid moves while the script waits.
    pub fn script_sleep_remaining_ms(&self) -> Option<u64> {
        if !self.console.live {
            return None;
        }
        self.recorder.script_sleep_remaining_ms()
    }

    /// The script line of the command running (or sleeping) now.
    pub fn script_line(&self) -> Option<usize> {
        self.console.live.then(|| self.recorder.script_line()).flatten()
    }

    /// Skip: the live script's `sleep` ends now (time jumps to its end). Returns whether it was
    /// sleeping.
    pub fn skip_sleep(&mut self) -> bool {
        match self.script_sleep_remaining_ms() {
            Some(ms) => {
                self.advance_to(self.elapsed() + ms);
                true
            }
            None => false,
        }
    }

    /// Runs the next command of the live script (a `sleep` still playing ends first; waiters
    /// move simulated time at once). Returns false when no script is running.
    pub fn script_step(&mut self) -> bool {
        if !self.console.live {
            return false;
        }
        self.skip_sleep();
        self.fork_here();
        match self.recorder_mut().step_script() {
            Some(record) => {
                self.console.output.push(record);
                self.recorded_until = self.recorded_until.max(self.elapsed());
            }
            None => self.console.live = false,
        }
        self.console.remaining = self.recorder.script_remaining();
        if self.console.remaining == 0 {
            self.console.live = false;
        }
        self.refresh();
        true
    }
}
