//! Every daemon deployment, with the set of those still under way. Timers and instance events
//! walk the active set rather than every deployment ever made, so it must hold exactly the
//! deployments whose status is not terminal: a deployment enters it when it starts
//! ([`Deployments::start`]) and leaves it when it ends ([`Deployments::end`]), the one place a
//! deployment's status turns terminal.

use super::model::{Deployment, DeploymentKey, DeploymentStatus, MonitorStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Index;

/// Every deployment and the active set; see the module doc for the rule the two keep.
#[derive(Debug, Clone, Default)]
pub(crate) struct Deployments {
    // Boxed for the same reason as the simulation's other record maps (one B-tree layout per key
    // type in the wasm bundle).
    all: BTreeMap<DeploymentKey, Box<Deployment>>,
    active: BTreeSet<DeploymentKey>,
}

impl Deployments {
    /// Records a new deployment; it is active until [`Deployments::end`].
    pub(crate) fn start(&mut self, dep: Deployment) {
        let key = dep.key;
        self.all.insert(key, Box::new(dep));
        self.active.insert(key);
    }

    /// Ends an active deployment with a terminal `status` at `at`: STOPPED records when it
    /// stopped, every other end when it finished, and a circuit breaker still monitoring has
    /// nothing left to monitor. None when there is no such deployment.
    pub(crate) fn end(
        &mut self,
        key: DeploymentKey,
        status: DeploymentStatus,
        reason: String,
        at: u64,
    ) -> Option<&mut Deployment> {
        debug_assert!(status.is_terminal());
        let dep = self.all.get_mut(&key)?;
        dep.status = status;
        dep.status_reason = Some(reason);
        if status == DeploymentStatus::Stopped {
            dep.stopped_at = Some(at);
        } else {
            dep.finished_at = Some(at);
        }
        if dep.circuit_breaker.status == MonitorStatus::Monitoring {
            dep.circuit_breaker.status = MonitorStatus::MonitoringComplete;
        }
        self.active.remove(&key);
        Some(dep)
    }

    #[inline]
    pub(crate) fn get(&self, key: &DeploymentKey) -> Option<&Deployment> {
        self.all.get(key).map(|d| &**d)
    }

    /// For a deployment's progress; its status changes through [`Deployments::end`] once it
    /// turns terminal.
    #[inline]
    pub(crate) fn get_mut(&mut self, key: &DeploymentKey) -> Option<&mut Deployment> {
        self.all.get_mut(key).map(|d| &mut **d)
    }

    /// Every deployment in key (creation) order.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &Deployment> {
        self.all.values().map(|d| &**d)
    }

    /// The deployments under way, in key order, as a list the caller may walk while it changes
    /// them.
    pub(crate) fn active(&self) -> Vec<DeploymentKey> {
        self.active.iter().copied().collect()
    }

    /// The deployments under way that `pred` picks, in key order.
    pub(crate) fn active_where(&self, pred: impl Fn(&Deployment) -> bool) -> Vec<DeploymentKey> {
        self.active.iter().copied().filter(|k| self.all.get(k).map(|d| pred(d)).unwrap_or(false)).collect()
    }

    /// Whether the deployment is under way.
    pub(crate) fn is_active(&self, key: &DeploymentKey) -> bool {
        self.active.contains(key)
    }
}

impl Index<&DeploymentKey> for Deployments {
    type Output = Deployment;
    fn index(&self, key: &DeploymentKey) -> &Deployment {
        &self.all[key]
    }
}
