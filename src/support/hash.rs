//! FNV-1a, the one hash of the crate: the event-log hash (`engine::event::hash_event_json`), the
//! API's request fingerprints and identifiers derived from names all fold bytes with it.
//!
//! Why FNV-1a: it is defined byte by byte with no seed and no platform-dependent width, so the same
//! bytes give the same `u64` natively and in wasm, which is what the pinned hashes compare.

/// FNV-1a over bytes, continuing from `hash` (start from [`FNV_OFFSET`]).
pub fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0100_0000_01B3);
    }
    hash
}

/// FNV-1a's 64-bit offset basis: the hash of no bytes.
pub const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
