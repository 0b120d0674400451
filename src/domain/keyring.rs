//! The master keyring: encrypts secrets at rest (XChaCha20-Poly1305, a random 192-bit nonce
//! per secret, the owning row's id as associated data) and derives the backup-code pepper.
//!
//! The key file holds one key per line, `<key id> <base64 of 32 bytes>`; `#` starts a comment.
//! The last key encrypts new secrets; older keys still decrypt what they sealed.

use std::fmt;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const NONCE_LEN: usize = 24;

#[derive(Clone)]
struct MasterKey {
    id: String,
    bytes: [u8; 32],
}

#[derive(Clone)]
pub struct Keyring {
    keys: Vec<MasterKey>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyringError {
    #[error("the master key file has no keys")]
    Empty,
    #[error("line {0} of the master key file is not `<key id> <base64 of 32 bytes>`")]
    BadLine(usize),
    #[error("key id {0} appears twice in the master key file")]
    DuplicateId(String),
    #[error("no master key with id {0}: was the key file replaced?")]
    UnknownKey(String),
    #[error("a stored secret could not be decrypted")]
    Decrypt,
}

/// A sealed secret: which key sealed it and `nonce || ciphertext`.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub blob: Vec<u8>,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Keyring {
    pub fn parse(text: &str) -> Result<Self, KeyringError> {
        let mut keys: Vec<MasterKey> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(id), Some(b64), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(KeyringError::BadLine(n + 1));
            };
            let raw = B64.decode(b64).map_err(|_| KeyringError::BadLine(n + 1))?;
            let bytes: [u8; 32] = raw.try_into().map_err(|_| KeyringError::BadLine(n + 1))?;
            if keys.iter().any(|k| k.id == id) {
                return Err(KeyringError::DuplicateId(id.to_owned()));
            }
            keys.push(MasterKey {
                id: id.to_owned(),
                bytes,
            });
        }
        if keys.is_empty() {
            return Err(KeyringError::Empty);
        }
        Ok(Self { keys })
    }

    /// A line for a new random key with a fresh id.
    pub fn new_key_line() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let mut id = [0u8; 4];
        rand::rng().fill_bytes(&mut id);
        format!("k{} {}\n", hex::encode(id), B64.encode(bytes))
    }

    /// Loads the key file, creating it (mode 0600) with one new key when it does not exist.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            }
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            match opts.open(path) {
                Ok(mut f) => {
                    let text = format!(
                        "# Keyward master keys: keep this file secret and backed up; every instance needs it.\n{}",
                        Self::new_key_line()
                    );
                    f.write_all(text.as_bytes())
                        .and_then(|_| f.sync_all())
                        .map_err(|e| {
                            anyhow::anyhow!(
                                "cannot write the master key file {}: {e}",
                                path.display()
                            )
                        })?;
                    tracing::info!(path = %path.display(), "created a new master key file");
                }
                // Another process created it first: read theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    anyhow::bail!("cannot create the master key file {}: {e}", path.display())
                }
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("cannot read the master key file {}: {e}", path.display())
        })?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn current_id(&self) -> &str {
        &self.current().id
    }

    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.id.as_str())
    }

    fn current(&self) -> &MasterKey {
        // `parse` refuses an empty keyring.
        &self.keys[self.keys.len() - 1]
    }

    fn key(&self, id: &str) -> Result<&MasterKey, KeyringError> {
        self.keys
            .iter()
            .find(|k| k.id == id)
            .ok_or_else(|| KeyringError::UnknownKey(id.to_owned()))
    }

    /// Encrypts under the current key; `aad` binds the ciphertext to its owner (e.g. a factor id).
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Sealed {
        let key = self.current();
        let cipher = XChaCha20Poly1305::new((&key.bytes).into());
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            // Encryption of an in-memory buffer cannot fail for XChaCha20-Poly1305.
            .unwrap_or_default();
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        Sealed {
            key_id: key.id.clone(),
            blob,
        }
    }

    pub fn open(&self, key_id: &str, blob: &[u8], aad: &[u8]) -> Result<Vec<u8>, KeyringError> {
        let key = self.key(key_id)?;
        if blob.len() < NONCE_LEN + 16 {
            return Err(KeyringError::Decrypt);
        }
        let (nonce, ct) = blob.split_at(NONCE_LEN);
        XChaCha20Poly1305::new((&key.bytes).into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
            .map_err(|_| KeyringError::Decrypt)
    }

    /// A keyed hash for low-entropy-but-random values (backup codes): HMAC-SHA256 under a
    /// pepper derived from the master key `key_id`, so a stolen database alone cannot be
    /// brute-forced.
    pub fn peppered_hash(
        &self,
        key_id: &str,
        purpose: &str,
        parts: &[&[u8]],
    ) -> Result<String, KeyringError> {
        let key = self.key(key_id)?;
        let mut derive =
            <Hmac<Sha256> as Mac>::new_from_slice(&key.bytes).map_err(|_| KeyringError::Decrypt)?;
        derive.update(b"keyward pepper v1:");
        derive.update(purpose.as_bytes());
        let pepper = derive.finalize().into_bytes();
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&pepper).map_err(|_| KeyringError::Decrypt)?;
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        Ok(hex::encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(lines: &str) -> Keyring {
        Keyring::parse(lines).expect("valid keyring")
    }

    #[test]
    fn seal_open_round_trip_and_binding() {
        let k = ring(&Keyring::new_key_line());
        let sealed = k.seal(b"seed bytes", b"fac_1");
        assert_eq!(
            k.open(&sealed.key_id, &sealed.blob, b"fac_1").as_deref(),
            Ok(&b"seed bytes"[..])
        );
        assert_eq!(
            k.open(&sealed.key_id, &sealed.blob, b"fac_2"),
            Err(KeyringError::Decrypt)
        );
        let mut tampered = sealed.blob.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert_eq!(
            k.open(&sealed.key_id, &tampered, b"fac_1"),
            Err(KeyringError::Decrypt)
        );
        assert_eq!(
            k.open(&sealed.key_id, &[1, 2, 3], b"fac_1"),
            Err(KeyringError::Decrypt)
        );
        assert!(!format!("{sealed:?}{k:?}").contains("seed"));
    }

    #[test]
    fn rotation_keeps_old_keys_readable() {
        let first = Keyring::new_key_line();
        let old = ring(&first);
        let sealed = old.seal(b"x", b"a");
        let rotated = ring(&format!("{first}{}", Keyring::new_key_line()));
        assert_ne!(rotated.current_id(), old.current_id());
        assert_eq!(
            rotated.open(&sealed.key_id, &sealed.blob, b"a").as_deref(),
            Ok(&b"x"[..])
        );
        assert_ne!(rotated.seal(b"x", b"a").key_id, sealed.key_id);
    }

    #[test]
    fn bad_files() {
        assert_eq!(
            Keyring::parse("# nothing\n").err(),
            Some(KeyringError::Empty)
        );
        assert_eq!(
            Keyring::parse("k1 notbase64!").err(),
            Some(KeyringError::BadLine(1))
        );
        assert_eq!(
            Keyring::parse("k1 AAAA").err(),
            Some(KeyringError::BadLine(1))
        );
        let line = Keyring::new_key_line();
        let dup = format!("{line}{line}");
        assert!(matches!(
            Keyring::parse(&dup),
            Err(KeyringError::DuplicateId(_))
        ));
    }

    #[test]
    fn pepper_depends_on_key_and_parts() {
        let k = ring(&Keyring::new_key_line());
        let id = k.current_id().to_owned();
        let a = k
            .peppered_hash(&id, "backup", &[b"u1", b"code"])
            .expect("key");
        assert_eq!(
            a,
            k.peppered_hash(&id, "backup", &[b"u1", b"code"])
                .expect("key")
        );
        assert_ne!(
            a,
            k.peppered_hash(&id, "backup", &[b"u2", b"code"])
                .expect("key")
        );
        assert_ne!(
            a,
            k.peppered_hash(&id, "backup", &[b"u1c", b"ode"])
                .expect("key")
        );
        let other = ring(&Keyring::new_key_line());
        assert!(other.peppered_hash(&id, "backup", &[b"u1"]).is_err());
    }

    #[test]
    fn creates_file_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/master.key");
        let a = Keyring::load_or_create(&path).expect("created");
        let b = Keyring::load_or_create(&path).expect("read back");
        assert_eq!(a.current_id(), b.current_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o077, 0, "key file must not be readable by others");
        }
    }
}
