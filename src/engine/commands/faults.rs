//! Fault injection and alarms: the inputs a scenario uses to break things on purpose
//! (unpullable images, blocked launches, unhealthy daemon tasks, CloudWatch alarm states).

use super::{capacity_provider_name, err, R};
use crate::engine::arn::last_segment;
use crate::engine::command::*;
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::model::*;
use crate::engine::sim::Simulation;

impl Simulation {
    pub(super) fn cmd_make_unhealthy(&mut self, task: &str) -> R<Outcome> {
        let id = last_segment(task);
        let key = self
            .tasks
            .key_by_id(id)
            .ok_or_else(|| EngineError::invalid(format!("task: The referenced task {task} was not found")))?;
        let t = &self.tasks[&key];
        if !t.is_live() || t.last_status != TaskStatus::Running {
            return Err(EngineError::invalid(format!("task: {task} is not RUNNING")));
        }
        let (instance, owner) = (t.instance, t.owner);
        match owner {
            TaskOwner::Daemon { revision, .. } => {
                let checked = self.revisions.get(&revision).map(|r| r.has_health_check).unwrap_or(false);
                let critical = self.revisions.get(&revision).map(|r| r.critical).unwrap_or(true);
                if checked {
                    let t = self.tasks.get_mut(&key).expect("exists");
                    t.health_status = TaskHealth::Unhealthy;
                    t.version += 1;
                    self.emit_task(key);
                    // Auto-repair drains only an ACTIVE instance (AWS: managed daemons auto-repair —
                    // task stopped or unhealthy → instance DRAINING → replacement). Our choice where AWS
                    // is silent: on a
                    // REGISTERING one an unhealthy critical daemon task is treated like one that
                    // failed to start: it is stopped and the daemon scheduler starts a fresh one,
                    // and the instance stays REGISTERING until that one is HEALTHY. Kept running,
                    // it could never turn HEALTHY again and the instance would register forever.
                    let registering = self
                        .fleet
                        .get(&instance)
                        .map(|i| i.status == InstanceStatus::Registering)
                        .unwrap_or(false);
                    if !critical || registering {
                        self.begin_stop(
                            key,
                            StopCause::Unhealthy,
                            Some("EssentialContainerExited"),
                            "Task failed container health checks",
                        );
                    }
                } else {
                    self.begin_stop(
                        key,
                        StopCause::Unhealthy,
                        Some("EssentialContainerExited"),
                        "Essential container in task exited",
                    );
                }
                self.daemon_task_lost(instance, revision, key, "unhealthy");
            }
            TaskOwner::Service(_) => {
                self.begin_stop(
                    key,
                    StopCause::Unhealthy,
                    Some("EssentialContainerExited"),
                    "Task failed container health checks",
                );
            }
        }
        Ok(Outcome::Done)
    }

    pub(super) fn cmd_put_metric_alarm(&mut self, name: String) -> R<Outcome> {
        if name.is_empty() || name.len() > 255 {
            return Err(EngineError::invalid("AlarmName must be 1-255 characters"));
        }
        if !self.alarms.contains_key(&name) {
            let arn = self.scope.alarm(&name);
            let at = self.at();
            self.alarms.insert(
                name.clone(),
                Box::new(Alarm {
                    name,
                    arn,
                    state: AlarmState::InsufficientData,
                    state_reason: "Unchecked: Initial alarm creation".into(),
                    updated_at: at,
                }),
            );
        }
        Ok(Outcome::Done)
    }

    pub(super) fn cmd_delete_alarms(&mut self, names: Vec<String>) -> R<Outcome> {
        for n in &names {
            if !self.alarms.contains_key(n) {
                return Err(err(ErrorKind::ResourceNotFoundException, format!("Alarm {n} does not exist")));
            }
        }
        for n in &names {
            self.alarms.remove(n);
        }
        Ok(Outcome::Done)
    }

    pub(super) fn cmd_set_alarm_state(&mut self, name: String, state: &str, reason: String) -> R<Outcome> {
        let new = AlarmState::parse(state)
            .ok_or_else(|| EngineError::invalid("StateValue must be one of OK, ALARM, INSUFFICIENT_DATA"))?;
        let at = self.at();
        let alarm = self.alarms.get_mut(&name).ok_or_else(|| {
            err(ErrorKind::ResourceNotFoundException, format!("Alarm {name} does not exist"))
        })?;
        let old = alarm.state;
        alarm.state = new;
        alarm.state_reason = reason;
        alarm.updated_at = at;
        self.on_alarm_change(&name, old, new);
        Ok(Outcome::Done)
    }

    pub(super) fn cmd_set_image_unpullable(&mut self, image: String, unpullable: bool) -> R<Outcome> {
        if image.is_empty() {
            return Err(EngineError::invalid("image must not be empty"));
        }
        if unpullable {
            self.unpullable_images.insert(image);
        } else {
            self.unpullable_images.remove(&image);
        }
        Ok(Outcome::Done)
    }

    pub(super) fn cmd_clear_faults(&mut self) -> R<Outcome> {
        self.unpullable_images.clear();
        let blocked: Vec<String> =
            self.capacity_providers.values().filter(|c| c.launch_blocked).map(|c| c.name.clone()).collect();
        for cp in blocked {
            self.unblock_launches(&cp);
        }
        Ok(Outcome::Done)
    }

    pub(super) fn cmd_set_launch_blocked(&mut self, capacity_provider: &str, blocked: bool) -> R<Outcome> {
        let name = capacity_provider_name(capacity_provider).to_string();
        self.cp_mut(&name)?;
        if blocked {
            self.cp_mut(&name)?.launch_blocked = true;
        } else {
            self.unblock_launches(&name);
        }
        Ok(Outcome::Done)
    }

    pub(super) fn cmd_set_drain_percent(&mut self, daemon: &str, drain_percent: f64) -> R<Outcome> {
        if !(0.0..=100.0).contains(&drain_percent) {
            return Err(EngineError::invalid("drainPercent must be between 0 and 100"));
        }
        let dk = self.find_daemon(daemon)?;
        let key = self.daemons[&dk]
            .deployments
            .last()
            .copied()
            .filter(|d| self.deployments.get(d).map(|d| d.is_active()).unwrap_or(false))
            .ok_or_else(|| EngineError::invalid("The daemon has no deployment in progress"))?;
        self.set_drain_percent(key, drain_percent);
        Ok(Outcome::Done)
    }
}
