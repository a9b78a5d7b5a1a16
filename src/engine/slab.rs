//! Dense storage for the two big collections (instances, tasks): keys are allocated 1, 2, 3 … per
//! collection, so a `Vec` indexed by key replaces a BTreeMap. A lookup is one memory access instead
//! of a walk down a tree, which is what keeps the cost per event flat from 100 to 100,000
//! instances. Iteration is in key (creation) order, as with the BTreeMap it replaces. Also the
//! other fleet-sized indexes: touched keys (`KeySet`) and generated ids (`IdIndex`).

use std::collections::BTreeMap;
use std::ops::Index;

#[derive(Debug, Clone, PartialEq)]
pub struct Slab<T> {
    items: Vec<Option<T>>,
    len: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { items: Vec::new(), len: 0 }
    }
}

impl<T> Slab<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, key: &u64) -> Option<&T> {
        self.items.get(*key as usize).and_then(|o| o.as_ref())
    }

    pub fn get_mut(&mut self, key: &u64) -> Option<&mut T> {
        self.items.get_mut(*key as usize).and_then(|o| o.as_mut())
    }

    pub fn contains_key(&self, key: &u64) -> bool {
        self.get(key).is_some()
    }

    pub fn insert(&mut self, key: u64, value: T) -> Option<T> {
        let i = key as usize;
        if i >= self.items.len() {
            self.items.resize_with(i + 1, || None);
        }
        let old = self.items[i].replace(value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub fn remove(&mut self, key: &u64) -> Option<T> {
        let old = self.items.get_mut(*key as usize).and_then(|o| o.take());
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.items.iter().filter_map(|o| o.as_ref())
    }
}

/// A set of dense keys (as `Slab` keys are) with O(1) insert, emptied in ascending key order.
/// Replaces a `BTreeSet` for the "touched since last read" instance set, which a viewer that never
/// reads it lets grow to the whole fleet: at 100,000 instances every insert then walked a large tree.
#[derive(Clone, Default, PartialEq)]
pub struct KeySet {
    member: Vec<bool>,
    keys: Vec<u64>,
}

impl KeySet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key`; false when it was already there.
    pub fn insert(&mut self, key: u64) -> bool {
        let i = key as usize;
        if i >= self.member.len() {
            self.member.resize(i + 1, false);
        }
        if self.member[i] {
            return false;
        }
        self.member[i] = true;
        self.keys.push(key);
        true
    }

    pub fn contains(&self, key: &u64) -> bool {
        self.member.get(*key as usize).copied().unwrap_or(false)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Empties the set, returning its keys in ascending order.
    pub fn take_sorted(&mut self) -> Vec<u64> {
        let mut keys = std::mem::take(&mut self.keys);
        for k in &keys {
            self.member[*k as usize] = false;
        }
        keys.sort_unstable();
        keys
    }

    fn sorted(&self) -> Vec<u64> {
        let mut keys = self.keys.clone();
        keys.sort_unstable();
        keys
    }
}

/// Prints like the `BTreeSet` it replaces: the state fingerprint must not depend on insertion order.
impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.sorted()).finish()
    }
}

/// A generated id as an index key: the engine's ids (32 lowercase hex digits for tasks and container
/// instances, `i-0` + 16 for EC2) are held as integers, so that a lookup compares integers inside
/// the tree's nodes instead of following a pointer to a string per comparison (a cache miss each
/// in a fleet-sized index). Any other string (a user's typo) is kept as it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum IdKey {
    Hex32(u128),
    Ec2(u64),
    Other(String),
}

/// The value of 1 to 32 lowercase hex digits (one pass: it runs on every id created or looked up).
fn lower_hex(s: &str) -> Option<u128> {
    if s.is_empty() || s.len() > 32 {
        return None;
    }
    let mut value = 0u128;
    for b in s.bytes() {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        value = (value << 4) | u128::from(digit);
    }
    Some(value)
}

impl IdKey {
    /// The key `id` is stored under.
    fn of(id: &str) -> IdKey {
        if id.len() == 32 {
            if let Some(v) = lower_hex(id) {
                return IdKey::Hex32(v);
            }
        }
        if let Some(hex) = id.strip_prefix("i-0").filter(|h| h.len() == 16) {
            if let Some(v) = lower_hex(hex) {
                return IdKey::Ec2(v as u64);
            }
        }
        IdKey::Other(id.to_string())
    }
}

/// Id → key, as a `BTreeMap<String, u64>` answers it (exact, case-sensitive match).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdIndex {
    map: BTreeMap<IdKey, u64>,
}

impl IdIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, id: String, key: u64) -> Option<u64> {
        self.map.insert(IdKey::of(&id), key)
    }

    pub fn get(&self, id: &str) -> Option<&u64> {
        self.map.get(&IdKey::of(id))
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl<T> Index<&u64> for Slab<T> {
    type Output = T;
    fn index(&self, key: &u64) -> &T {
        self.get(key).expect("no entry for key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_map_in_key_order() {
        let mut s = Slab::new();
        assert!(s.insert(3, "c").is_none());
        s.insert(1, "a");
        assert_eq!(s.insert(1, "A"), Some("a"));
        assert_eq!(s.len(), 2);
        assert_eq!(s.values().copied().collect::<Vec<_>>(), ["A", "c"]);
        assert_eq!(s[&3], "c");
        assert!(s.get(&2).is_none() && s.get(&99).is_none());
        *s.get_mut(&3).unwrap() = "C";
        assert!(s.contains_key(&3) && !s.contains_key(&0));
        assert_eq!(s.remove(&3), Some("C"));
        assert_eq!(s.remove(&3), None);
        assert_eq!(s.len(), 1);
        assert_eq!(s.values().copied().collect::<Vec<_>>(), ["A"]);
    }

    #[test]
    fn id_index_matches_exactly_like_a_string_map() {
        let mut index = IdIndex::new();
        let task = "0123456789abcdef0123456789abcdef";
        index.insert(task.to_string(), 1);
        index.insert("i-0123456789abcdef0".to_string(), 2);
        index.insert("my-name".to_string(), 3);
        index.insert("00abc".to_string(), 4);
        assert_eq!(index.get(task), Some(&1));
        assert_eq!(index.get("i-0123456789abcdef0"), Some(&2));
        assert_eq!(index.get("my-name"), Some(&3));
        assert_eq!(index.get("00abc"), Some(&4));
        // Same numeric value, different text: not the same id.
        assert_eq!(index.get(&task.to_uppercase()), None);
        assert_eq!(index.get("0abc"), None);
        assert_eq!(index.get("abc"), None);
        assert_eq!(index.get("i-00123456789abcdef"), None);
        assert_eq!(index.get("i-123456789abcdef0"), None);
        assert_eq!(index.get(&task[1..]), None);
        assert_eq!(index.get(""), None);
        assert_eq!(index.insert(task.to_string(), 9), Some(1));
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn key_set_empties_in_ascending_order_like_a_btree_set() {
        let mut set = KeySet::new();
        assert!(set.insert(9) && set.insert(2) && set.insert(5));
        assert!(!set.insert(2));
        assert!(set.contains(&5) && !set.contains(&3) && !set.contains(&100));
        assert_eq!(format!("{set:?}"), format!("{:?}", std::collections::BTreeSet::from([2u64, 5, 9])));
        assert_eq!(set.take_sorted(), [2, 5, 9]);
        assert!(set.is_empty() && !set.contains(&5));
        assert!(set.insert(5));
        assert_eq!(set.take_sorted(), [5]);
    }
}
