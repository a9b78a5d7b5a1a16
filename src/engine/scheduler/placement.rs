//! Services and placement: reconcile a service to its desired count, best-fit placement on the
//! placement index, scale-out when nothing fits, promises on launching instances.

use crate::engine::model::*;
use crate::engine::sim::Simulation;

impl Simulation {
    /// Brings one service towards its desired count: cancel surplus, place missing tasks (within
    /// maximumPercent), and stop tasks on draining instances once their replacements run
    /// (minimumHealthyPercent): start new before stopping old.
    pub(crate) fn reconcile_service(&mut self, key: ServiceKey) {
        let Some(s) = self.services.get(&key) else { return };
        if s.status == ServiceStatus::Inactive {
            return;
        }
        let desired = if s.status == ServiceStatus::Active { s.desired_count } else { 0 };
        let live = s.live.len() as u32;
        let effective = live - s.on_draining.len() as u32 + s.promised_count;
        if effective > desired {
            self.remove_surplus(key, effective - desired);
        } else if effective < desired && self.now >= s.retry_at {
            let max_total = (desired as u64 * s.maximum_percent as u64 / 100).max(desired as u64) as u32;
            let total = live + s.promised_count;
            let n = (desired - effective).min(max_total.saturating_sub(total));
            for _ in 0..n {
                if !self.place_app_task(key) {
                    break;
                }
            }
        }
        self.stop_replaced_tasks(key, desired);
        if let Some(s) = self.services.get_mut(&key) {
            if s.status == ServiceStatus::Draining && s.live.is_empty() && s.promised_count == 0 {
                s.status = ServiceStatus::Inactive;
            }
        }
    }

    pub(super) fn remove_surplus(&mut self, key: ServiceKey, mut surplus: u32) {
        // Promises first: nothing has started for them.
        let promised: Vec<(InstanceKey, u32)> =
            self.services[&key].promised.iter().rev().map(|(k, v)| (*k, *v)).collect();
        for (instance, count) in promised {
            if surplus == 0 {
                return;
            }
            let take = count.min(surplus);
            surplus -= take;
            self.cancel_promises(key, instance, take);
        }
        let s = &self.services[&key];
        // Tasks not yet running go first, newest first. A stable partition, not a stable sort on
        // the bool: the same order without one more std sort instantiation in the wasm (release wasm size).
        let (mut victims, running): (Vec<TaskKey>, Vec<TaskKey>) = s
            .live
            .iter()
            .rev()
            .copied()
            .filter(|t| !s.on_draining.contains(t))
            .partition(|t| self.tasks.get(t).is_some_and(|t| t.last_status != TaskStatus::Running));
        victims.extend(running);
        for t in victims.into_iter().take(surplus as usize) {
            self.begin_stop(
                t,
                StopCause::Scheduler,
                Some("ServiceSchedulerInitiated"),
                "Scaling activity initiated by (deployment ecs-svc)",
            );
        }
    }

    pub(crate) fn cancel_promises(&mut self, service: ServiceKey, instance: InstanceKey, count: u32) {
        let (cpu, memory) = self.services.get(&service).map(|s| (s.cpu, s.memory)).unwrap_or((0, 0));
        if let Some(s) = self.services.get_mut(&service) {
            let left = s.promised.get(&instance).copied().unwrap_or(0).saturating_sub(count);
            if left == 0 {
                s.promised.remove(&instance);
            } else {
                s.promised.insert(instance, left);
            }
            s.promised_count = s.promised_count.saturating_sub(count);
        }
        if let Some(i) = self.fleet.get_mut(&instance) {
            let left = i.promised.get(&service).copied().unwrap_or(0).saturating_sub(count);
            if left == 0 {
                i.promised.remove(&service);
            } else {
                i.promised.insert(service, left);
            }
            i.remaining_cpu = (i.remaining_cpu + cpu * count).min(i.registered_cpu);
            i.remaining_memory = (i.remaining_memory + memory * count).min(i.registered_memory);
        }
        self.fleet.reindex(instance);
        self.fleet.mark_dirty(instance);
    }

    /// Stops old tasks on draining instances while the service keeps minimumHealthyPercent
    /// healthy tasks without them. Tasks reach `on_draining` only while RUNNING (the others were
    /// stopped when the drain began), so the work is bounded by the number of stops.
    pub(super) fn stop_replaced_tasks(&mut self, key: ServiceKey, desired: u32) {
        let s = &self.services[&key];
        if s.on_draining.is_empty() {
            return;
        }
        let min_required = (desired as u64 * s.minimum_healthy_percent as u64).div_ceil(100) as u32;
        let mut budget = s.healthy_count.saturating_sub(min_required);
        while budget > 0 {
            let s = &self.services[&key];
            let Some(&t) = s.on_draining.iter().next() else { break };
            let healthy = self.tasks.get(&t).map(|t| t.service_healthy).unwrap_or(false);
            let reason = if s.outdated.contains(&t) {
                format!("Scaling activity initiated by (deployment {})", s.task_started_by)
            } else {
                "Task stopped because the container instance is draining".to_string()
            };
            self.begin_stop(t, StopCause::Scheduler, Some("ServiceSchedulerInitiated"), &reason);
            if healthy {
                budget -= 1;
            }
        }
    }

    /// Places one task of the service: first fit on an instance with room (launching instances
    /// take promises), else scale-out. False when there is no capacity and none can be launched.
    pub(super) fn place_app_task(&mut self, key: ServiceKey) -> bool {
        let s = &self.services[&key];
        let (cpu, memory, cp) = (s.cpu, s.memory, s.capacity_provider.clone());
        let instance = match self.fleet.best_fit(&cp, cpu, memory) {
            Some(ik) => ik,
            None => {
                if !self.fits_empty_instance(&cp, cpu, memory) {
                    self.starving.entry(cp).or_default().insert(key);
                    return false;
                }
                match self.launch_instance(&cp, None) {
                    Some(ik) => ik,
                    None => {
                        self.starving.entry(cp).or_default().insert(key);
                        return false;
                    }
                }
            }
        };
        let i = self.fleet.get_mut(&instance).expect("chosen instance exists");
        i.remaining_cpu -= cpu;
        i.remaining_memory -= memory;
        i.idle_since = None;
        self.fleet.reindex(instance);
        // A service's task is created when its EC2 instance is running (seed 002: createdAt 27 s
        // before the daemon's); RunTask must answer with task ARNs, so its tasks exist at once.
        let standalone = self.services[&key].kind == ServiceKind::Standalone;
        if self.fleet[&instance].status == InstanceStatus::Launching && !standalone {
            let i = self.fleet.get_mut(&instance).expect("exists");
            *i.promised.entry(key).or_insert(0) += 1;
            let s = self.services.get_mut(&key).expect("exists");
            *s.promised.entry(instance).or_insert(0) += 1;
            s.promised_count += 1;
            self.fleet.mark_dirty(instance);
        } else {
            self.create_app_task(key, instance);
        }
        true
    }

    /// Would a task of this size fit a fresh instance of the provider after its daemons reserve?
    pub(super) fn fits_empty_instance(&self, cp: &str, cpu: u32, memory: u32) -> bool {
        let Some(p) = self.capacity_providers.get(cp) else { return false };
        let (mut c, mut m) = (p.size.vcpu * 1024, p.size.memory_mib);
        for d in self
            .daemons
            .values()
            .filter(|d| d.status == DaemonStatus::Active && d.capacity_providers.iter().any(|x| x == cp))
        {
            if let Some(r) = self.revisions.get(&d.current_revision) {
                if c >= r.cpu && m >= r.memory {
                    c -= r.cpu;
                    m -= r.memory;
                }
            }
        }
        c >= cpu && m >= memory
    }

    /// Capacity appeared on the provider: services that could not be placed try again.
    pub(crate) fn feed_starving(&mut self, cp: &str) {
        if let Some(set) = self.starving.get_mut(cp) {
            let services = std::mem::take(set);
            self.hungry.extend(services);
        }
    }
}
