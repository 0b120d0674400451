//! Backup codes: ten per set, 12 symbols of Crockford's base32 (60 bits), shown as
//! `xxxx-xxxx-xxxx`, accepted with or without dashes and spaces, in any case, with the
//! look-alikes o/i/l read as 0/1/1.

use rand::RngCore;

pub const CODES_PER_SET: usize = 10;
const LEN: usize = 12;
/// Crockford's alphabet: no i, l, o or u, so no two symbols look alike.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// One fresh code, formatted for display.
pub fn generate_code() -> String {
    let mut raw = [0u8; LEN];
    rand::rng().fill_bytes(&mut raw);
    // 256 is a multiple of 32, so masking keeps the symbols uniform.
    let symbols: String = raw
        .iter()
        .map(|b| ALPHABET[(b & 31) as usize] as char)
        .collect();
    format!("{}-{}-{}", &symbols[0..4], &symbols[4..8], &symbols[8..12])
}

pub fn generate_set() -> Vec<String> {
    let mut codes: Vec<String> = Vec::with_capacity(CODES_PER_SET);
    while codes.len() < CODES_PER_SET {
        let c = generate_code();
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    codes
}

/// The canonical form of something a user typed, or `None` when it cannot be a backup code.
pub fn normalize(input: &str) -> Option<String> {
    let mut out = String::with_capacity(LEN);
    for c in input.chars() {
        let c = match c.to_ascii_lowercase() {
            '-' | ' ' => continue,
            'o' => '0',
            'i' | 'l' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
        if out.len() > LEN {
            return None;
        }
    }
    (out.len() == LEN).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_entropy() {
        let c = generate_code();
        assert_eq!(c.len(), 14);
        assert_eq!(c.matches('-').count(), 2);
        assert_eq!(normalize(&c).map(|n| n.len()), Some(12));
        // 12 symbols × 5 bits.
        const { assert!(LEN * 5 >= 60) };
        let set = generate_set();
        assert_eq!(set.len(), 10);
    }

    #[test]
    fn normalization() {
        assert_eq!(normalize("ABCD-EFGH-JKMN").as_deref(), Some("abcdefghjkmn"));
        assert_eq!(normalize("abcd efgh jkmn").as_deref(), Some("abcdefghjkmn"));
        assert_eq!(normalize("abcdefghjkmn").as_deref(), Some("abcdefghjkmn"));
        assert_eq!(normalize("O0IL-0000-0000").as_deref(), Some("001100000000"));
        for bad in [
            "",
            "abcd-efgh-jkm",
            "abcd-efgh-jkmnp",
            "abcd-efgh-jkmu",
            "123456",
            "abcd_efgh_jkmn",
            "ñbcd-efgh-jkmn",
        ] {
            assert!(normalize(bad).is_none(), "{bad:?}");
        }
    }
}
