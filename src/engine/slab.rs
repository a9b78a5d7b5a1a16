//! Dense storage for the two big collections (instances, tasks): keys are allocated 1, 2, 3 … per
//! collection, so a `Vec` indexed by key replaces a BTreeMap. A lookup is one memory access instead
//! of a walk down a tree, which is what keeps the cost per event flat from 100 to 100,000
//! instances. Iteration is in key (creation) order, as with the BTreeMap it replaces. Also the
//! other fleet-sized indexes: touched keys (`KeySet`) and generated ids (`IdIndex`).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
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

    #[cfg(test)]
    pub fn contains(&self, key: &u64) -> bool {
        self.member.get(*key as usize).copied().unwrap_or(false)
    }

    #[cfg(test)]
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

/// A small ordered set of keys that is mostly empty (services waiting for a reconcile): a sorted
/// `Vec` keeps its buffer between uses, where a `BTreeSet` allocates a node on its first insert
/// and frees it on its last removal, once per simulation step. Kept in descending order so that
/// the smallest key pops off the end.
#[derive(Clone, Default, PartialEq)]
pub struct KeyQueue {
    descending: Vec<u64>,
}

impl KeyQueue {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key`; false when it was already there.
    pub fn insert(&mut self, key: u64) -> bool {
        match self.descending.binary_search_by(|k| key.cmp(k)) {
            Ok(_) => false,
            Err(at) => {
                self.descending.insert(at, key);
                true
            }
        }
    }

    pub fn remove(&mut self, key: &u64) -> bool {
        match self.descending.binary_search_by(|k| key.cmp(k)) {
            Ok(at) => {
                self.descending.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Removes and returns the smallest key.
    pub fn pop_first(&mut self) -> Option<u64> {
        self.descending.pop()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.descending.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.descending.is_empty()
    }
}

impl Extend<u64> for KeyQueue {
    fn extend<I: IntoIterator<Item = u64>>(&mut self, keys: I) {
        for key in keys {
            self.insert(key);
        }
    }
}

/// Prints like the `BTreeSet` it replaces.
impl std::fmt::Debug for KeyQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.descending.iter().rev()).finish()
    }
}

/// Keys collected to walk while the collection they came from changes (an instance's tasks or
/// daemons): up to 8 inline, more on the heap. These lists are that short, and collecting them into
/// a `Vec` allocated on almost every timer.
pub struct SmallKeys<T: Copy + Default> {
    inline: [T; 8],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy + Default> SmallKeys<T> {
    pub fn as_slice(&self) -> &[T] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

impl<T: Copy + Default> FromIterator<T> for SmallKeys<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut keys = SmallKeys { inline: [T::default(); 8], len: 0, spill: Vec::new() };
        for item in items {
            if keys.len < keys.inline.len() {
                keys.inline[keys.len] = item;
                keys.len += 1;
            } else {
                if keys.spill.is_empty() {
                    keys.spill.extend_from_slice(&keys.inline);
                }
                keys.spill.push(item);
            }
        }
        keys
    }
}

impl<T: Copy + Default> IntoIterator for SmallKeys<T> {
    type Item = T;
    type IntoIter = SmallKeysIter<T>;
    fn into_iter(self) -> SmallKeysIter<T> {
        SmallKeysIter { keys: self, next: 0 }
    }
}

pub struct SmallKeysIter<T: Copy + Default> {
    keys: SmallKeys<T>,
    next: usize,
}

impl<T: Copy + Default> Iterator for SmallKeysIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        let item = self.keys.as_slice().get(self.next).copied();
        self.next += 1;
        item
    }
}

/// A generated id as an index key: the engine's ids (32 lowercase hex digits for tasks and container
/// instances, `i-0` + 16 for EC2) are held as integers, so that a probe hashes and compares integers
/// instead of following a pointer to a string (a cache miss each in a fleet-sized index). Any other
/// string (a user's typo) is kept as it is; the ordering is the one `IdIndex` prints in.
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
    /// The key of an id in the engine's generated shapes; `None` for any other string.
    fn generated(id: &str) -> Option<IdKey> {
        if id.len() == 32 {
            if let Some(v) = lower_hex(id) {
                return Some(IdKey::Hex32(v));
            }
        }
        let hex = id.strip_prefix("i-0").filter(|h| h.len() == 16)?;
        lower_hex(hex).map(|v| IdKey::Ec2(v as u64))
    }
}

/// A fixed, seedless FxHash-style hasher (multiply-rotate per word, as rustc's FxHasher). The id
/// indexes hash only ids the engine generated from its seeded RNG, whose bits are already uniform,
/// so a one-multiply mix is enough; a fixed hasher keeps the layout, and so the work, the same on
/// every run and platform (std's `RandomState` would not).
#[derive(Clone, Copy, Default)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_u128(&mut self, value: u128) {
        self.add(value as u64);
        self.add((value >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Id → key, as a `BTreeMap<String, u64>` answers it (exact, case-sensitive match).
///
/// Generated ids live in hash maps: these indexes are only ever probed, never iterated, so their
/// order cannot reach any result, and at 100,000 instances a probe is one or two cache lines where a
/// B-tree walk touched a node per level, each a likely cache miss since ids are random. Any other
/// string (never generated, only looked up or kept as given) stays in an ordered map.
#[derive(Clone, Default, PartialEq)]
pub struct IdIndex {
    hex32: FxMap<u128, u64>,
    ec2: FxMap<u64, u64>,
    other: BTreeMap<String, u64>,
}

impl IdIndex {
    pub fn new() -> Self {
        Self::default()
    }

    #[cfg(test)]
    pub fn insert(&mut self, id: &str, key: u64) -> Option<u64> {
        match IdKey::generated(id) {
            Some(IdKey::Hex32(v)) => self.hex32.insert(v, key),
            Some(IdKey::Ec2(v)) => self.ec2.insert(v, key),
            _ => self.other.insert(id.to_string(), key),
        }
    }

    /// `insert` of a 32-hex-digit id given by its value (`Rng::hex32`), without parsing it.
    pub fn insert_hex32(&mut self, value: u128, key: u64) -> Option<u64> {
        self.hex32.insert(value, key)
    }

    /// `insert` of `i-0` and 16 hex digits given by their value (`Rng::hex16`).
    pub fn insert_ec2(&mut self, value: u64, key: u64) -> Option<u64> {
        self.ec2.insert(value, key)
    }

    pub fn get(&self, id: &str) -> Option<&u64> {
        match IdKey::generated(id) {
            Some(IdKey::Hex32(v)) => self.hex32.get(&v),
            Some(IdKey::Ec2(v)) => self.ec2.get(&v),
            _ => self.other.get(id),
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.hex32.len() + self.ec2.len() + self.other.len()
    }

    /// Every entry in the order of the ordered map this replaced.
    fn sorted(&self) -> BTreeMap<IdKey, u64> {
        let hex = self.hex32.iter().map(|(v, k)| (IdKey::Hex32(*v), *k));
        let ec2 = self.ec2.iter().map(|(v, k)| (IdKey::Ec2(*v), *k));
        let other = self.other.iter().map(|(id, k)| (IdKey::Other(id.clone()), *k));
        hex.chain(ec2).chain(other).collect()
    }
}

/// Prints as the `BTreeMap` it replaces did: the state fingerprint must not depend on the hash
/// maps' layout, which depends on their insertion history.
impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdIndex").field("map", &self.sorted()).finish()
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
        index.insert(task, 1);
        index.insert("i-0123456789abcdef0", 2);
        index.insert("my-name", 3);
        index.insert("00abc", 4);
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
        assert_eq!(index.insert(task, 9), Some(1));
        assert_eq!(index.insert_hex32(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef, 8), Some(9));
        assert_eq!(index.get(task), Some(&8));
        assert_eq!(index.insert_ec2(0xfeed_0000_0000_0001, 7), None);
        assert_eq!(index.get("i-0feed000000000001"), Some(&7));
        assert_eq!(index.len(), 5);
    }

    #[test]
    fn id_index_prints_the_same_whatever_the_insertion_order() {
        let ids: Vec<String> = (0..200u32)
            .map(|i| match i % 3 {
                0 => {
                    format!("{:032x}", u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834))
                }
                1 => format!("i-0{:016x}", u64::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
                _ => format!("name-{i}"),
            })
            .collect();
        let mut forward = IdIndex::new();
        let mut backward = IdIndex::new();
        for (key, id) in ids.iter().enumerate() {
            forward.insert(id, key as u64);
        }
        for (key, id) in ids.iter().enumerate().rev() {
            backward.insert(id, key as u64);
        }
        assert_eq!(forward, backward);
        assert_eq!(format!("{forward:?}"), format!("{backward:?}"));
        assert!(format!("{forward:?}").starts_with("IdIndex { map: {Hex32(0): 0, Hex32("));
        for (key, id) in ids.iter().enumerate() {
            assert_eq!(forward.get(id), Some(&(key as u64)), "{id}");
        }
        assert_eq!(forward.len(), ids.len());
    }

    #[test]
    fn small_keys_keep_every_key_in_order_inline_or_spilled() {
        for n in [0u64, 1, 7, 8, 9, 30] {
            let keys: SmallKeys<u64> = (0..n).map(|k| k * 3).collect();
            assert_eq!(keys.as_slice(), (0..n).map(|k| k * 3).collect::<Vec<_>>(), "{n}");
            assert_eq!(keys.into_iter().collect::<Vec<_>>(), (0..n).map(|k| k * 3).collect::<Vec<_>>());
        }
    }

    #[test]
    fn key_queue_pops_in_ascending_order_like_a_btree_set() {
        let mut queue = KeyQueue::new();
        let mut reference = std::collections::BTreeSet::new();
        for key in [7u64, 3, 9, 3, 1, 12, 7, 5] {
            assert_eq!(queue.insert(key), reference.insert(key));
        }
        assert_eq!(format!("{queue:?}"), format!("{reference:?}"));
        assert_eq!(queue.remove(&9), reference.remove(&9));
        assert_eq!(queue.remove(&9), reference.remove(&9));
        queue.extend([2, 12]);
        reference.extend([2, 12]);
        assert_eq!(queue.len(), reference.len());
        while let Some(key) = reference.pop_first() {
            assert_eq!(queue.pop_first(), Some(key));
        }
        assert!(queue.is_empty() && queue.pop_first().is_none());
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
