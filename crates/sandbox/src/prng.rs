//! Deterministic randomness: a few lines of splitmix64 instead of `rand`, so the synthetic
//! accounts stay the same for a seed whatever version of a dependency is built.

/// One round of splitmix64: a good 64-bit mixer with no state.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes a tuple of numbers into one well-mixed value: `mix(&[seed, day, k])`.
pub(crate) fn mix(parts: &[u64]) -> u64 {
    parts.iter().fold(0x1234_5678_9ABC_DEF0, |acc, part| {
        splitmix64(acc ^ splitmix64(*part))
    })
}

/// A uniform number in [0, 1) from a hash.
pub(crate) fn unit(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

/// A small stream of numbers for code that draws several values from one key.
#[derive(Debug, Clone)]
pub(crate) struct Stream {
    state: u64,
}

impl Stream {
    pub(crate) fn new(key: &[u64]) -> Stream {
        Stream { state: mix(key) }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.state)
    }

    pub(crate) fn next_f64(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform in [lo, hi).
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }

    /// An integer in [0, n).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A standard normal value (Box-Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = self.next_f64().max(1e-12);
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Picks an index with the given weights.
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut target = self.next_f64() * total;
        for (index, weight) in weights.iter().enumerate() {
            if target < *weight {
                return index;
            }
            target -= weight;
        }
        weights.len().saturating_sub(1)
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Encodes bytes as base62 text in 15-byte blocks of 21 characters, so tokens look like Meta's
/// (letters and digits only) and still decode.
pub(crate) fn base62_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(15) {
        let mut block = [0u8; 16];
        block[16 - chunk.len()..].copy_from_slice(chunk);
        let mut value = u128::from_be_bytes(block);
        let mut digits = [b'0'; 21];
        for digit in digits.iter_mut().rev() {
            *digit = BASE62[(value % 62) as usize];
            value /= 62;
        }
        out.push(char::from(b'a' + chunk.len() as u8));
        out.extend(digits.iter().map(|d| char::from(*d)));
    }
    out
}

/// The inverse of [`base62_encode`]; `None` for anything it did not produce.
pub(crate) fn base62_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(22) {
        return None;
    }
    let mut out = Vec::new();
    for block in bytes.chunks(22) {
        let len = usize::from(block[0].checked_sub(b'a')?);
        if len == 0 || len > 15 {
            return None;
        }
        let mut value: u128 = 0;
        for digit in &block[1..] {
            let index = BASE62.iter().position(|c| c == digit)? as u128;
            value = value.checked_mul(62)?.checked_add(index)?;
        }
        let full = value.to_be_bytes();
        if full[..16 - len].iter().any(|b| *b != 0) {
            return None;
        }
        out.extend_from_slice(&full[16 - len..]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base62_round_trips() {
        for len in [1usize, 14, 15, 16, 31, 40] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 % 256) as u8).collect();
            let text = base62_encode(&bytes);
            assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()));
            assert_eq!(base62_decode(&text), Some(bytes));
        }
        assert_eq!(base62_decode("not a token"), None);
    }

    #[test]
    fn streams_are_deterministic() {
        let mut a = Stream::new(&[42, 7]);
        let mut b = Stream::new(&[42, 7]);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_ne!(mix(&[1, 2]), mix(&[2, 1]));
    }
}
