//! Auto-repair of instances that lost a critical daemon task, and provider deletion.

use crate::engine::model::*;
use crate::engine::sim::Simulation;
use crate::engine::slab::SmallKeys;

impl Simulation {
    /// A critical daemon task stopped or turned unhealthy: the instance is marked IMPAIRED and,
    /// when ACTIVE and its provider's auto repair is ENABLED, repaired — drained with a
    /// replacement launched for it (daemon first, app tasks moved, old instance terminated).
    ///
    /// With auto repair DISABLED the instance stays ACTIVE and IMPAIRED and nothing is drained or
    /// launched for it. AWS does not say whether the daemon scheduler restarts the stopped critical
    /// daemon task there; here it does not (`on_daemon_retry`), and an unhealthy one keeps running
    /// unhealthy. Replacing the instance is how ECS answers a failed critical daemon, and a team
    /// turns repair off to look at the failure on a live instance: a restart would hide it and
    /// clear the IMPAIRED status on its own, so DISABLED would look no different from a daemon
    /// that happened to recover. The instance keeps running its app tasks and, being ACTIVE,
    /// takes new ones (placement goes by status, not health). Non-critical daemon tasks on it are
    /// restarted as anywhere else. Switching auto repair back on repairs it then
    /// ([`Self::set_auto_repair`]).
    pub(crate) fn auto_repair(&mut self, instance: InstanceKey, reason: String) {
        self.set_daemon_health(instance, HealthState::Impaired, Some(reason));
        let Some(i) = self.fleet.get(&instance) else { return };
        if i.status == InstanceStatus::Active && self.repairs(i) {
            self.begin_drain(instance, DrainCause::AutoRepair, true);
        }
    }

    /// Whether the instance's provider has auto repair ENABLED.
    pub fn repairs(&self, i: &ContainerInstance) -> bool {
        self.capacity_providers.get(&i.capacity_provider).map(|cp| cp.auto_repair).unwrap_or(true)
    }

    /// An ACTIVE instance that lost a critical daemon task (stopped, or running unhealthy) and was
    /// not repaired: only possible while its provider's auto repair is DISABLED.
    pub fn repair_held(&self, i: &ContainerInstance) -> bool {
        i.status == InstanceStatus::Active && !self.critical_daemons_ready(i)
    }

    /// `autoRepairConfiguration.actionsStatus` changed. Switched on, it repairs every ACTIVE
    /// instance of the provider that lost a critical daemon task while it was off, in key order,
    /// each as if its daemon task had just failed (its IMPAIRED record is kept). Switched off, it
    /// lets repairs already under way finish: their instances are draining and their
    /// replacements launched. Auto repair is an action ECS takes on the provider's instances,
    /// not an instance setting, so unlike other UpdateCapacityProvider changes it concerns the
    /// instances that already run.
    pub(crate) fn set_auto_repair(&mut self, cp: &str, enabled: bool) {
        let Some(p) = self.capacity_providers.get_mut(cp) else { return };
        let was = std::mem::replace(&mut p.auto_repair, enabled);
        if was || !enabled {
            return;
        }
        let p = &self.capacity_providers[cp];
        let held: SmallKeys<InstanceKey> = p
            .instances
            .iter()
            .copied()
            .filter(|k| self.fleet.get(k).map(|i| self.repair_held(i)).unwrap_or(false))
            .collect();
        for key in held {
            self.begin_drain(key, DrainCause::AutoRepair, true);
        }
    }

    /// Deleting a provider drains its instances without replacement; it disappears when empty.
    pub(crate) fn maybe_finish_provider_deletion(&mut self, cp: &str) {
        let Some(p) = self.capacity_providers.get(cp) else { return };
        if p.status == CapacityProviderStatus::Deprovisioning && p.instances.is_empty() {
            let cluster = p.cluster.clone();
            self.capacity_providers.remove(cp);
            self.fleet.forget_provider(cp);
            self.starving.remove(cp);
            if let Some(c) = self.clusters.get_mut(&cluster) {
                c.capacity_providers.retain(|x| x != cp);
                c.default_strategy.retain(|x| x != cp);
            }
        }
    }

    pub(crate) fn task_definition_by_arn(&self, arn: &str) -> Option<&TaskDefinition> {
        let tail = arn.rsplit('/').next()?;
        let (family, rev) = tail.rsplit_once(':')?;
        self.task_definitions.get(&(family.to_string(), rev.parse().ok()?)).map(|d| &**d)
    }
}
