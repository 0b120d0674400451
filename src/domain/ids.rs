//! Opaque ids: a short type prefix and 128 random bits.

pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// Whether a string could be one of our ids; anything else is answered 404 without a query.
pub fn looks_like_id(s: &str) -> bool {
    (3..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
