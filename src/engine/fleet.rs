//! The fleet: every container instance the simulation launched, the indexes that find one by
//! container instance id or EC2 id, the placement index, the replacements still owed and the
//! tiles viewers have not seen change yet.
//!
//! The placement index lists, per capacity provider and keyed by remaining CPU, exactly the
//! instances that can take an app task. Placement trusts it without a second look, so a stale
//! entry would place a task on a draining instance or skip one with room. Whoever changes an
//! instance's status or remaining resources calls [`Fleet::reindex`]; nobody else touches the
//! index, and the `placement_index` invariant checks it after every step of the sweep.

use super::model::{ContainerInstance, InstanceKey};
use super::slab::{IdIndex, KeySet, Slab};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Index;

/// The container instances and every index over them; see the module doc for why it is one owner.
#[derive(Debug, Clone)]
pub(crate) struct Fleet {
    instances: Slab<ContainerInstance>,
    by_id: IdIndex,
    by_ec2: IdIndex,
    next_key: u64,
    /// Per capacity provider: instances that may still take an app task.
    placeable: BTreeMap<String, BTreeSet<(u32, InstanceKey)>>,
    /// The remaining-CPU key each placeable instance is indexed under.
    placeable_at: Slab<u32>,
    /// Per capacity provider: instances whose replacement could not be launched yet.
    owed: BTreeMap<String, BTreeSet<InstanceKey>>,
    /// Instances whose view changed since the last `take_dirty`.
    dirty: KeySet,
}

impl Fleet {
    pub(crate) fn new() -> Self {
        Fleet {
            instances: Slab::new(),
            by_id: IdIndex::new(),
            by_ec2: IdIndex::new(),
            next_key: 1,
            placeable: BTreeMap::new(),
            placeable_at: Slab::new(),
            owed: BTreeMap::new(),
            dirty: KeySet::new(),
        }
    }

    /// The key the next launched instance gets: dense, so the slabs stay compact.
    pub(crate) fn next_key(&mut self) -> InstanceKey {
        let k = self.next_key;
        self.next_key += 1;
        k
    }

    /// Adds a launched instance under its key with the id and EC2 id values its ids were drawn
    /// from, indexed for placement as its status and resources allow.
    pub(crate) fn insert(&mut self, id_value: u128, ec2_value: u64, instance: ContainerInstance) {
        let key = instance.key;
        self.by_id.insert_hex32(id_value, key);
        self.by_ec2.insert_ec2(ec2_value, key);
        self.instances.insert(key, instance);
        self.reindex(key);
        self.dirty.insert(key);
    }

    #[inline]
    pub(crate) fn get(&self, key: &InstanceKey) -> Option<&ContainerInstance> {
        self.instances.get(key)
    }

    #[inline]
    pub(crate) fn contains_key(&self, key: &InstanceKey) -> bool {
        self.instances.contains_key(key)
    }

    /// Changing status or remaining resources through this reference obliges a
    /// [`Fleet::reindex`] afterwards.
    #[inline]
    pub(crate) fn get_mut(&mut self, key: &InstanceKey) -> Option<&mut ContainerInstance> {
        self.instances.get_mut(key)
    }

    /// Every instance in key (launch) order, terminated ones included.
    #[inline]
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &ContainerInstance> {
        self.instances.values()
    }

    /// The key of the instance with this container instance id.
    pub(crate) fn key_by_id(&self, id: &str) -> Option<InstanceKey> {
        self.by_id.get(id).copied()
    }

    /// The key of the instance with this EC2 instance id.
    pub(crate) fn key_by_ec2(&self, ec2: &str) -> Option<InstanceKey> {
        self.by_ec2.get(ec2).copied()
    }

    /// Keeps the placement index (per provider, keyed by remaining CPU) in step with an
    /// instance's status and remaining resources. Called after every change to either.
    pub(crate) fn reindex(&mut self, key: InstanceKey) {
        let Some(i) = self.instances.get(&key) else { return };
        let cp = &i.capacity_provider;
        let placeable = i.status.accepts_placement() && i.remaining_cpu > 0 && i.remaining_memory > 0;
        // Most calls change neither: skip two walks of a fleet-sized tree.
        if self.placeable_at.get(&key).copied() == placeable.then_some(i.remaining_cpu) {
            return;
        }
        if let Some(old) = self.placeable_at.remove(&key) {
            if let Some(set) = self.placeable.get_mut(cp) {
                set.remove(&(old, key));
            }
        }
        if placeable {
            let entry = (i.remaining_cpu, key);
            // `entry()` would take an owned key, a String copy per call.
            match self.placeable.get_mut(cp.as_str()) {
                Some(set) => {
                    set.insert(entry);
                }
                None => {
                    self.placeable.insert(cp.clone(), [entry].into());
                }
            }
            self.placeable_at.insert(key, i.remaining_cpu);
        }
    }

    /// Best fit: the provider's placeable instance with the least remaining CPU that still fits
    /// the task (ECS binpack on CPU). The index is keyed by remaining CPU so the search skips
    /// instances too small.
    pub(crate) fn best_fit(&self, cp: &str, cpu: u32, memory: u32) -> Option<InstanceKey> {
        let set = self.placeable.get(cp)?;
        for &(_, ik) in set.range((cpu, 0)..) {
            if let Some(i) = self.instances.get(&ik) {
                if i.remaining_memory >= memory {
                    return Some(ik);
                }
            }
        }
        None
    }

    /// What the placement index gets wrong, if anything: one line per fault.
    pub(crate) fn placement_index_faults(&self) -> Vec<String> {
        let mut faults = Vec::new();
        for i in self.instances.values() {
            let want = i.status.accepts_placement() && i.remaining_cpu > 0 && i.remaining_memory > 0;
            let indexed = self.placeable_at.get(&i.key).copied();
            let in_set = self
                .placeable
                .get(&i.capacity_provider)
                .map(|s| s.contains(&(i.remaining_cpu, i.key)))
                .unwrap_or(false);
            if want != (indexed == Some(i.remaining_cpu) && in_set) {
                faults.push(format!("{}: placeable {want}, indexed {indexed:?}", i.id));
            }
        }
        let total: usize = self.placeable.values().map(|s| s.len()).sum();
        if total != self.placeable_at.len() {
            faults.push(format!("{total} index entries for {} instances", self.placeable_at.len()));
        }
        faults
    }

    /// Records that `old`'s replacement could not be launched yet on provider `cp`.
    pub(crate) fn owe_replacement(&mut self, cp: &str, old: InstanceKey) {
        self.owed.entry(cp.to_string()).or_default().insert(old);
    }

    /// Takes the replacements the provider owes, oldest instance first.
    pub(crate) fn take_owed(&mut self, cp: &str) -> Vec<InstanceKey> {
        self.owed.remove(cp).unwrap_or_default().into_iter().collect()
    }

    /// A terminated instance is owed nothing any more.
    pub(crate) fn forgive(&mut self, cp: &str, key: InstanceKey) {
        if let Some(set) = self.owed.get_mut(cp) {
            set.remove(&key);
        }
    }

    /// A deleted provider leaves neither placement entries nor debts behind.
    pub(crate) fn forget_provider(&mut self, cp: &str) {
        self.placeable.remove(cp);
        self.owed.remove(cp);
    }

    /// The instance's tile must be redrawn.
    #[inline]
    pub(crate) fn mark_dirty(&mut self, key: InstanceKey) {
        self.dirty.insert(key);
    }

    /// The instances marked since the last call, in key order.
    pub(crate) fn take_dirty(&mut self) -> Vec<InstanceKey> {
        self.dirty.take_sorted()
    }
}

impl Index<&InstanceKey> for Fleet {
    type Output = ContainerInstance;
    fn index(&self, key: &InstanceKey) -> &ContainerInstance {
        &self.instances[key]
    }
}
