//! The simulation's one source of randomness: xoshiro256** seeded through SplitMix64.
//!
//! Written here rather than taken from `rand` so that the sequence is fixed forever by this file:
//! a seed must replay the same run on every platform and every future build.

/// One step of SplitMix64; also used on its own to derive per-event ids from (seed, sequence).
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman & Vigna).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl Rng {
    /// A generator seeded from `seed` (expanded by SplitMix64); the same seed gives the same sequence.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)];
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (n > 0), by rejection so that no value is favoured.
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// `base ± jitter`, uniform, never below zero.
    pub fn jittered(&mut self, base: u64, jitter: u64) -> u64 {
        if jitter == 0 {
            return base;
        }
        let offset = self.below(2 * jitter + 1);
        (base + offset).saturating_sub(jitter)
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut out = vec![0; n];
        self.fill_hex(&mut out);
        // Bytes, not chars: ids are made on the hot path. Every byte is ASCII, so this never fails.
        String::from_utf8(out).unwrap_or_default()
    }

    /// `N` lowercase hex digits in a buffer, the same digits `hex(N)` gives: the hot path builds
    /// ids and the ARNs around them without a temporary `String` each.
    pub fn hex_array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        self.fill_hex(&mut out);
        out
    }

    /// `hex(32)`'s digits and their value as one hex numeral, without parsing them back: ids are
    /// indexed by that value.
    pub fn hex32(&mut self) -> ([u8; 32], u128) {
        let mut copy = self.clone();
        let value = (u128::from(nibbles_reversed(copy.next_u64())) << 64)
            | u128::from(nibbles_reversed(copy.next_u64()));
        (self.hex_array(), value)
    }

    /// `hex(16)`'s digits and their value, as `hex32`.
    pub fn hex16(&mut self) -> ([u8; 16], u64) {
        let value = nibbles_reversed(self.clone().next_u64());
        (self.hex_array(), value)
    }

    fn fill_hex(&mut self, out: &mut [u8]) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut word = 0u64;
        for (i, digit) in out.iter_mut().enumerate() {
            if i % 16 == 0 {
                word = self.next_u64();
            }
            *digit = HEX[(word & 0xF) as usize];
            word >>= 4;
        }
    }

    /// A random (version 4) UUID.
    pub fn uuid_v4(&mut self) -> String {
        uuid_from_bits(self.next_u64(), self.next_u64())
    }

    /// `n` base62 characters, the alphabet of daemon deployment ids.
    pub fn base62(&mut self, n: usize) -> String {
        (0..n).map(|_| BASE62[self.below(62) as usize] as char).collect()
    }
}

/// `fill_hex` writes a word's lowest nibble first; read back as a numeral that is the word with its
/// 16 nibbles in reverse order.
fn nibbles_reversed(word: u64) -> u64 {
    let bytes = word.swap_bytes();
    ((bytes & 0x0F0F_0F0F_0F0F_0F0F) << 4) | ((bytes >> 4) & 0x0F0F_0F0F_0F0F_0F0F)
}

/// Formats 128 bits as a version-4 UUID (variant bits set as RFC 4122 requires).
pub fn uuid_from_bits(hi: u64, lo: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    // Hand-rolled rather than `format!` (several times faster): event logs render one per event.
    let mut out = [0u8; 36];
    let mut at = 0;
    for bits in [hi, lo] {
        for nibble in (0..16).rev() {
            if matches!(at, 8 | 13 | 18 | 23) {
                out[at] = b'-';
                at += 1;
            }
            out[at] = HEX[((bits >> (nibble * 4)) & 0xF) as usize];
            at += 1;
        }
    }
    out.iter().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_formats() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_eq!(
            uuid_from_bits(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210),
            format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                0x0123_4567u64, 0x89ABu64, 0x4DEFu64, 0xBEDCu64, 0xBA98_7654_3210u64
            )
        );
        let uuid = a.uuid_v4();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(a.hex(32).len(), 32);
        let (mut c, mut d) = (a.clone(), a.clone());
        assert_eq!(c.hex(16).as_bytes(), d.hex_array::<16>());
        assert_eq!(c.hex(32).as_bytes(), d.hex_array::<32>());
        assert_eq!(c, d);
        for _ in 0..100 {
            let (digits, value) = c.hex32();
            assert_eq!(&digits, d.hex(32).as_bytes());
            assert_eq!(value, u128::from_str_radix(std::str::from_utf8(&digits).unwrap(), 16).unwrap());
            let (digits, value) = c.hex16();
            assert_eq!(&digits, d.hex(16).as_bytes());
            assert_eq!(value, u64::from_str_radix(std::str::from_utf8(&digits).unwrap(), 16).unwrap());
        }
        assert_eq!(c, d);
        let id = a.base62(21);
        assert!(id.len() == 21 && id.bytes().all(|c| c.is_ascii_alphanumeric()));
        for _ in 0..1000 {
            let v = a.jittered(10, 3);
            assert!((7..=13).contains(&v));
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }
}
