//! The audit log's hash chain: each event's hash is SHA-256 over the previous hash and the
//! event's canonical form, so an edited, inserted or deleted event breaks the chain.

use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an event that the hash covers, in their stored form.
#[derive(Debug, Clone, Copy)]
pub struct ChainedEvent<'a> {
    pub id: i64,
    /// RFC 3339 UTC with microseconds.
    pub at: &'a str,
    pub event: &'a str,
    pub actor_type: &'a str,
    pub actor_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub factor_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    /// The details object exactly as stored (canonical JSON text).
    pub details: &'a str,
}

impl ChainedEvent<'_> {
    /// A JSON array with the fields in a fixed order: unambiguous, and reproducible by any
    /// JSON library.
    pub fn canonical(&self) -> String {
        serde_json::json!([
            self.id,
            self.at,
            self.event,
            self.actor_type,
            self.actor_id,
            self.user_id,
            self.factor_id,
            self.ip,
            self.details
        ])
        .to_string()
    }

    /// `hex(SHA-256(prev_hash || "\n" || canonical))`.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical().as_bytes());
        hex::encode(h.finalize())
    }
}

/// Detail values are bounded so that nothing a client sends can make an audit write fail.
pub fn bound_text(s: &str, max_chars: usize) -> String {
    let cleaned: String = s.chars().filter(|c| !c.is_control()).collect();
    if cleaned.chars().count() <= max_chars {
        cleaned
    } else {
        let mut out: String = cleaned.chars().take(max_chars).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(details: &str) -> ChainedEvent<'_> {
        ChainedEvent {
            id: 1,
            at: "2026-11-22T10:00:00.000000Z",
            event: "user.created",
            actor_type: "api_key",
            actor_id: Some("key_1"),
            user_id: Some("usr_1"),
            factor_id: None,
            ip: Some("127.0.0.1"),
            details,
        }
    }

    #[test]
    fn hash_changes_with_any_field_and_with_prev() {
        let a = sample("{}");
        let h = a.hash(GENESIS_HASH);
        assert_eq!(h.len(), 64);
        assert_eq!(h, a.hash(GENESIS_HASH));
        assert_ne!(h, sample("{\"x\":1}").hash(GENESIS_HASH));
        assert_ne!(h, a.hash(&"1".repeat(64)));
        let mut b = a;
        b.factor_id = Some("");
        assert_ne!(h, b.hash(GENESIS_HASH), "None and empty string must differ");
    }

    #[test]
    fn bounded_text() {
        assert_eq!(bound_text("abc", 5), "abc");
        assert_eq!(bound_text("abcdef", 3), "abc…");
        assert_eq!(bound_text("a\u{7}b", 5), "ab");
    }
}
