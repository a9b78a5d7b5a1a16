//! Every task the simulation created, daemon and app alike, with the index that finds one by
//! task id. Tasks are never forgotten (DescribeTasks answers for stopped ones), so the store only
//! grows; inserting through [`Tasks::insert`] is what keeps the id index covering all of them.

use super::model::{Task, TaskKey};
use super::slab::{IdIndex, Slab};
use std::ops::Index;

/// The task store and its id index, kept in step by [`Tasks::insert`].
#[derive(Debug, Clone)]
pub(crate) struct Tasks {
    tasks: Slab<Task>,
    by_id: IdIndex,
    next_key: u64,
}

impl Tasks {
    pub(crate) fn new() -> Self {
        Tasks { tasks: Slab::new(), by_id: IdIndex::new(), next_key: 1 }
    }

    /// The key the next created task gets: dense, so the slab stays compact.
    pub(crate) fn next_key(&mut self) -> TaskKey {
        let k = self.next_key;
        self.next_key += 1;
        k
    }

    /// Adds a created task under its key, findable by the id value its id was drawn from.
    pub(crate) fn insert(&mut self, id_value: u128, task: Task) {
        let key = task.key;
        self.by_id.insert_hex32(id_value, key);
        self.tasks.insert(key, task);
    }

    #[inline]
    pub(crate) fn get(&self, key: &TaskKey) -> Option<&Task> {
        self.tasks.get(key)
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, key: &TaskKey) -> Option<&mut Task> {
        self.tasks.get_mut(key)
    }

    /// Every task in creation order, stopped ones included.
    #[inline]
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &Task> {
        self.tasks.values()
    }

    /// The key of the task with this task id.
    pub(crate) fn key_by_id(&self, id: &str) -> Option<TaskKey> {
        self.by_id.get(id).copied()
    }
}

impl Index<&TaskKey> for Tasks {
    type Output = Task;
    fn index(&self, key: &TaskKey) -> &Task {
        &self.tasks[key]
    }
}
