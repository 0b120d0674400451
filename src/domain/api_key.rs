//! API keys: the token format, its hash, and the scope ladder.

use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Integration,
    Support,
    Security,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Integration => "integration",
            Self::Support => "support",
            Self::Security => "security",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "integration" => Some(Self::Integration),
            "support" => Some(Self::Support),
            "security" => Some(Self::Security),
            _ => None,
        }
    }

    /// Scopes form a ladder: each includes everything below it.
    pub fn allows(self, needed: Scope) -> bool {
        self >= needed
    }
}

/// A fresh key: `kw_` and 256 random bits in hex. Shown once; only its hash is stored.
pub fn generate_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("kw_{}", hex::encode(bytes))
}

/// Keys carry 256 bits of entropy, so a plain SHA-256 is a safe lookup hash.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder() {
        assert!(Scope::Security.allows(Scope::Support));
        assert!(Scope::Support.allows(Scope::Integration));
        assert!(!Scope::Integration.allows(Scope::Support));
        assert!(!Scope::Support.allows(Scope::Security));
    }

    #[test]
    fn tokens_are_unique_and_hash_stably() {
        let a = generate_token();
        let b = generate_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 67);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
