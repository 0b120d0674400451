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

/// A checkpoint: the heads of every shard's chain at one moment (ADR 010), itself chained to
/// the checkpoint before it, so one hash stands for the whole log up to that moment.
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint<'a> {
    pub id: i64,
    /// RFC 3339 UTC with microseconds.
    pub at: &'a str,
    /// The heads as stored: a JSON array of `[shard, position, hash]`, in shard order.
    pub heads: &'a str,
}

impl Checkpoint<'_> {
    /// `hex(SHA-256(prev_hash || "\n" || ["checkpoint", id, at, heads]))`: the leading word keeps a
    /// checkpoint's hash from ever equalling an event's.
    pub fn hash(&self, prev_hash: &str) -> String {
        let canonical = serde_json::json!(["checkpoint", self.id, self.at, self.heads]).to_string();
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(b"\n");
        h.update(canonical.as_bytes());
        hex::encode(h.finalize())
    }
}

/// A shard's head as a checkpoint records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShardHead(pub i32, pub i64, pub String);

/// The heads in their stored form (see [`Checkpoint::heads`]).
pub fn heads_text(heads: &[ShardHead]) -> String {
    serde_json::to_string(heads).unwrap_or_else(|_| "[]".into())
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

    #[test]
    fn checkpoint_hash_covers_every_head_and_its_predecessor() {
        let heads = heads_text(&[
            ShardHead(1, 5, "a".into()),
            ShardHead(2, 0, GENESIS_HASH.into()),
        ]);
        assert_eq!(heads, format!("[[1,5,\"a\"],[2,0,\"{GENESIS_HASH}\"]]"));
        let cp = Checkpoint {
            id: 1,
            at: "2026-12-08T10:00:00.000000Z",
            heads: &heads,
        };
        let h = cp.hash(GENESIS_HASH);
        assert_eq!(h.len(), 64);
        assert_ne!(h, cp.hash(&h), "the previous checkpoint is covered");
        let other = heads_text(&[
            ShardHead(1, 6, "a".into()),
            ShardHead(2, 0, GENESIS_HASH.into()),
        ]);
        assert_ne!(
            h,
            Checkpoint {
                heads: &other,
                ..cp
            }
            .hash(GENESIS_HASH)
        );
    }

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
