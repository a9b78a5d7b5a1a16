//! Base64url without padding (RFC 4648, section 5), for the URL's `log` and `script` parameters. Written
//! here rather than pulled in as a dependency: thirty lines.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as base64url, no `=` padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn value_of(symbol: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == symbol).map(|p| p as u32)
}

/// Decodes base64url; `=` padding is accepted and ignored. Errors name the first bad position.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let trimmed = text.trim_end_matches('=');
    let symbols = trimmed.as_bytes();
    if symbols.len() % 4 == 1 {
        return Err(format!("base64url text of {} symbols is truncated", symbols.len()));
    }
    let mut out = Vec::with_capacity(symbols.len() * 3 / 4);
    for (chunk_index, chunk) in symbols.chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &symbol) in chunk.iter().enumerate() {
            let value = value_of(symbol).ok_or_else(|| {
                format!("{:?} at position {} is not a base64url symbol", symbol as char, chunk_index * 4 + i)
            })?;
            n |= value << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_without_padding() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("Zg==").unwrap(), b"f");
    }

    #[test]
    fn every_byte_round_trips_and_bad_text_is_refused() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        assert!(decode("Zm9v!A").unwrap_err().contains("position 4"));
        assert!(decode("Z").unwrap_err().contains("truncated"));
        assert!(decode("a+b/").is_err());
    }
}
