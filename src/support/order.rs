//! A small stable sort for the API, CLI, session and playground code paths that sort short or rarely
//! sorted lists.
//!
//! Why not `slice::sort_by`: std's driftsort/ipnsort is instantiated anew for every element type
//! and comparison closure, several KB of wasm each, and the playground's bundle had about forty of
//! them (release wasm size). Here the merge sort runs once, on indices, through a `dyn`
//! comparator; what each call site adds is its closure and [`apply_order`], a few hundred bytes.
//! The result is exactly `sort_by`'s: stable, equal elements keep their order.
//!
//! Not for hot paths: each comparison is an indirect call and the sort allocates two index vectors.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.windows(2).all(|pair| compare(&pair[0], &pair[1]) != Ordering::Greater) {
        return;
    }
    let order = stable_order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    apply_order(items, order);
}

/// Sorts `items` stably in ascending order, like `slice::sort`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The indices `0..len` in the order a stable sort by `compare` puts their elements: a bottom-up
/// merge sort, taking from the left run on ties (that is what makes it stable).
fn stable_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(len);
    let mut width = 1;
    while width < len {
        merged.clear();
        let mut start = 0;
        while start < len {
            let middle = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut left, mut right) = (start, middle);
            while left < middle && right < end {
                if compare(order[right], order[left]) == Ordering::Less {
                    merged.push(order[right]);
                    right += 1;
                } else {
                    merged.push(order[left]);
                    left += 1;
                }
            }
            merged.extend_from_slice(&order[left..middle]);
            merged.extend_from_slice(&order[right..end]);
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// Rearranges `items` so that position `i` holds the element that was at `order[i]`, following
/// each cycle of the permutation once (`order` marks the positions done).
fn apply_order<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut position = start;
        while order[position] != DONE {
            let source = order[position];
            order[position] = DONE;
            if source == start {
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator (xorshift64): the support layer's tests import nothing above it.
    struct Rng(u64);

    impl Rng {
        fn new(seed: u64) -> Self {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }

        fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn sorts_like_the_standard_stable_sort_including_ties() {
        let mut rng = Rng::new(17);
        for len in 0..70 {
            for _ in 0..20 {
                // Few distinct keys, so that ties are common; the index shows where each came from.
                let items: Vec<(u64, usize)> = (0..len).map(|index| (rng.next_u64() % 5, index)).collect();
                let mut expected = items.clone();
                expected.sort_by_key(|item| item.0);
                let mut ours = items.clone();
                sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
                assert_eq!(ours, expected, "len {len}");
                let mut whole = items;
                sort(&mut whole);
                let mut whole_expected = whole.clone();
                whole_expected.sort();
                assert_eq!(whole, whole_expected);
            }
        }
    }

    #[test]
    fn reverse_and_sorted_inputs() {
        let mut descending: Vec<u32> = (0..1000).rev().collect();
        sort(&mut descending);
        assert_eq!(descending, (0..1000).collect::<Vec<u32>>());
        let mut strings = vec!["b".to_string(), "a".to_string(), "c".to_string(), "a".to_string()];
        sort_by(&mut strings, |a, b| b.cmp(a));
        assert_eq!(strings, ["c", "b", "a", "a"]);
    }
}
