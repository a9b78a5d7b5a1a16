//! Dense storage for the two big collections (instances, tasks): keys are allocated 1, 2, 3 … per
//! collection, so a `Vec` indexed by key replaces a BTreeMap. A lookup is one memory access instead
//! of a walk down a tree, which is what keeps the cost per event flat from 100 to 100,000
//! instances. Iteration is in key (creation) order, as with the BTreeMap it replaces.

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
    }
}
