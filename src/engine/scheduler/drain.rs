//! Drain-last removal, the one replacement mechanism shared by deployments, auto-repair, scale-in
//! and termination, and idle scale-in.

use crate::engine::lifecycle::Stage;
use crate::engine::model::*;
use crate::engine::sim::{Simulation, Timer};
use crate::engine::slab::SmallKeys;

impl Simulation {
    /// The one replacement mechanism: the instance goes DRAINING (no new placements, its app tasks
    /// keep running), a replacement is launched when asked, services start replacements of its app
    /// tasks elsewhere before stopping them, its daemon tasks stop last, then it deregisters and
    /// terminates.
    pub(crate) fn begin_drain(&mut self, key: InstanceKey, cause: DrainCause, replace: bool) {
        let Some(i) = self.fleet.get_mut(&key) else { return };
        if !matches!(
            i.status,
            InstanceStatus::Registering | InstanceStatus::Active | InstanceStatus::RegistrationFailed
        ) {
            return;
        }
        i.drain_cause = Some(cause);
        i.idle_since = None;
        let cp = i.capacity_provider_name.clone();
        self.set_instance_status(key, InstanceStatus::Draining, None);
        if replace {
            self.launch_replacement(&cp, key);
        }
        let forced = matches!(cause, DrainCause::Terminated | DrainCause::ProviderDeleted);
        for t in self.live_app_tasks(key) {
            let task = &self.tasks[&t];
            let TaskOwner::Service(s) = task.owner else { continue };
            let standalone = self.services.get(&s).map(|s| s.kind == ServiceKind::Standalone).unwrap_or(true);
            if forced || standalone || task.last_status != TaskStatus::Running {
                let reason = if forced {
                    "Container instance is terminating"
                } else {
                    "Container instance is draining"
                };
                self.begin_stop(t, StopCause::Scheduler, Some("ServiceSchedulerInitiated"), reason);
            } else if let Some(svc) = self.services.get_mut(&s) {
                svc.on_draining.insert(t);
                self.hungry.insert(s);
            }
        }
        self.check_drain_progress(key);
    }

    /// Drain-last: daemon tasks stop only once no app task remains on the instance; with no task
    /// left the instance deregisters.
    pub(crate) fn check_drain_progress(&mut self, key: InstanceKey) {
        let Some(i) = self.fleet.get(&key) else { return };
        if i.status != InstanceStatus::Draining {
            return;
        }
        let any_app = i.tasks.iter().any(|t| self.tasks.get(t).map(|t| !t.is_daemon()).unwrap_or(false));
        if any_app {
            return;
        }
        let daemon_tasks: SmallKeys<TaskKey> = i.tasks.iter().copied().collect();
        if daemon_tasks.as_slice().is_empty() {
            // Reservations of daemon tasks that never got created go back with the instance.
            let i = self.fleet.get_mut(&key).expect("exists");
            let mut freed = (0, 0);
            for slot in i.daemons.values_mut().filter(|s| s.reserved && s.task.is_none()) {
                slot.reserved = false;
                if let Some(r) = self.revisions.get(&slot.revision) {
                    freed.0 += r.cpu;
                    freed.1 += r.memory;
                }
            }
            i.remaining_cpu = (i.remaining_cpu + freed.0).min(i.registered_cpu);
            i.remaining_memory = (i.remaining_memory + freed.1).min(i.registered_memory);
            self.set_instance_status(key, InstanceStatus::Deregistering, None);
            self.schedule_stage(
                Stage::Deregistration,
                Timer::Instance { key, from: InstanceStatus::Deregistering },
            );
            return;
        }
        for t in daemon_tasks {
            self.begin_stop(
                t,
                StopCause::DrainDaemon,
                Some("ServiceSchedulerInitiated"),
                "Container instance is draining: daemon task stopped last",
            );
        }
    }

    pub(super) fn on_terminated(&mut self, key: InstanceKey) {
        // Anything still on the instance goes down with it.
        let left: SmallKeys<TaskKey> = self.fleet[&key].tasks.iter().copied().collect();
        for t in left {
            self.begin_stop(
                t,
                StopCause::InstanceGone,
                Some("TerminationNotice"),
                "Host EC2 instance terminated",
            );
            if self.tasks.get(&t).map(|t| t.last_status != TaskStatus::Stopped).unwrap_or(false) {
                self.finish_task(t);
            }
        }
        let promised: Vec<(ServiceKey, u32)> =
            self.fleet[&key].promised.iter().map(|(k, v)| (*k, *v)).collect();
        for (s, n) in promised {
            self.cancel_promises(s, key, n);
            self.hungry.insert(s);
        }
        let cp = self.fleet[&key].capacity_provider_name.clone();
        self.set_instance_status(key, InstanceStatus::Terminated, None);
        if let Some(p) = self.capacity_providers.get_mut(&*cp) {
            p.instances.remove(&key);
        }
        self.fleet.forgive(&cp, key);
        self.replace_lost_replacement(key);
        // A provider at its instance maximum can launch again: services that could not be
        // placed retry (found by the seed sweep with capped providers: they starved for good).
        self.feed_starving(&cp);
        self.instance_gone_from_deployments(key);
        self.maybe_finish_provider_deletion(&cp);
    }

    /// An ACTIVE instance without app tasks starts its idle timer (daemon tasks do not count).
    pub(crate) fn check_idle(&mut self, key: InstanceKey) {
        let Some(i) = self.fleet.get(&key) else { return };
        if i.status != InstanceStatus::Active || i.idle_since.is_some() || !i.promised.is_empty() {
            return;
        }
        let any_app = i.tasks.iter().any(|t| self.tasks.get(t).map(|t| !t.is_daemon()).unwrap_or(false));
        if any_app {
            return;
        }
        let Some(cp) = self.capacity_providers.get(&i.capacity_provider) else { return };
        let delay = match cp.scale_in_after_s {
            Some(s) if s < 0 => return,
            Some(s) => Some(s as u64 * crate::engine::time::SECOND),
            None => None,
        };
        let since = self.now;
        if let Some(i) = self.fleet.get_mut(&key) {
            i.idle_since = Some(since);
        }
        self.schedule_stage_after(Stage::IdleScaleIn, delay, Timer::Idle { instance: key, since });
    }

    /// Scale-in of an idle instance. AWS (Managed Instances infrastructure optimization) marks an idle
    /// instance DEREGISTERING directly; our choice: we pass through DRAINING (with no app task it lasts only
    /// while the daemon tasks stop) so that scale-in uses the same drain-last path as every other removal and
    /// viewers see it.
    pub(crate) fn on_idle(&mut self, key: InstanceKey, since: u64) {
        let Some(i) = self.fleet.get(&key) else { return };
        if i.status != InstanceStatus::Active || i.idle_since != Some(since) {
            return;
        }
        let Some(cp) = self.capacity_providers.get(&i.capacity_provider) else { return };
        // Counting is only needed when a floor is set (and such fleets are small).
        if cp.min_instances > 0 {
            let live = cp
                .instances
                .iter()
                .filter(|k| self.fleet.get(k).map(|i| i.drain_cause.is_none()).unwrap_or(false))
                .count();
            if live as u32 <= cp.min_instances {
                return;
            }
        }
        self.begin_drain(key, DrainCause::ScaleIn, false);
    }

    /// Cancels an instance that never registered (EC2 launch aborted): its promises go back to
    /// their services and it disappears without a drain (it never ran anything).
    pub(crate) fn abort_unregistered(&mut self, key: InstanceKey, reason: &str) {
        let Some(i) = self.fleet.get(&key) else { return };
        if !matches!(i.status, InstanceStatus::Launching | InstanceStatus::Booted) {
            return;
        }
        let cp = i.capacity_provider_name.clone();
        let promised: Vec<(ServiceKey, u32)> = i.promised.iter().map(|(k, v)| (*k, *v)).collect();
        for (s, n) in promised {
            self.cancel_promises(s, key, n);
            self.hungry.insert(s);
        }
        let tasks: Vec<TaskKey> = self.fleet[&key].tasks.iter().copied().collect();
        for t in tasks {
            self.begin_stop(t, StopCause::InstanceGone, Some("TerminationNotice"), reason);
        }
        let i = self.fleet.get_mut(&key).expect("exists");
        i.status = InstanceStatus::Terminated;
        self.fleet.mark_dirty(key);
        self.fleet.reindex(key);
        if let Some(p) = self.capacity_providers.get_mut(&*cp) {
            p.instances.remove(&key);
        }
        self.fleet.reindex(key);
        self.replace_lost_replacement(key);
        self.feed_starving(&cp);
        self.instance_gone_from_deployments(key);
    }

    /// A replacement instance is gone before the instance it replaces finished draining (a fault: instance
    /// loss, or its launch aborted): the draining instance gets a new replacement, as a batch of a deployment
    /// and auto-repair launch one per drained (AWS: managed daemons deployments and auto-repair) instance.
    /// Without it only service scale-out covered the capacity, and on a provider at its instance maximum the
    /// drained instance kept its app tasks and the deployment stalled. Our choice where AWS is silent: it is
    /// launched once the lost one is gone, so a drain never holds more than one surge instance over the
    /// provider's maximum; while launches fail it is owed like any replacement. A lost replacement that was
    /// itself being replaced, or whose drained instance is leaving by force (terminated, provider deleted),
    /// needs none. Instance losses are not daemon task launch failures: the circuit breaker does not count
    /// them (it counts daemon task launch failures only); the daemon tasks of the new replacement count as
    /// any other's.
    pub(super) fn replace_lost_replacement(&mut self, lost: InstanceKey) {
        let Some(l) = self.fleet.get(&lost) else { return };
        let Some(old) = l.replacement_of.filter(|_| l.replaced_by.is_none()) else { return };
        let Some(o) = self.fleet.get(&old) else { return };
        if o.status != InstanceStatus::Draining
            || o.replaced_by != Some(lost)
            || matches!(o.drain_cause, Some(DrainCause::Terminated | DrainCause::ProviderDeleted))
        {
            return;
        }
        let cp = o.capacity_provider_name.clone();
        self.launch_replacement(&cp, old);
    }

    /// Launches `old`'s replacement or, when its provider cannot launch one now (launches
    /// blocked, instance maximum), owes it to the provider until it can. A provider being deleted
    /// owes nothing: its instances are drained for good.
    fn launch_replacement(&mut self, cp: &str, old: InstanceKey) {
        if self.launch_instance(cp, Some(old)).is_none() {
            let active = self
                .capacity_providers
                .get(cp)
                .map(|c| c.status == CapacityProviderStatus::Active)
                .unwrap_or(false);
            if active {
                self.fleet.owe_replacement(cp, old);
            }
        }
    }

    /// The instance's app tasks that still run or are on their way to running.
    pub(crate) fn live_app_tasks(&self, key: InstanceKey) -> SmallKeys<TaskKey> {
        self.fleet[&key]
            .tasks
            .iter()
            .copied()
            .filter(|t| self.tasks.get(t).map(|t| !t.is_daemon() && t.is_live()).unwrap_or(false))
            .collect()
    }
}
