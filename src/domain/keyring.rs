//! The master keyring: encrypts secrets at rest (XChaCha20-Poly1305, a random 192-bit nonce
//! per secret, the owning row's id as associated data) and derives the peppers of keyed hashes
//! (backup codes, report links).
//!
//! The key file holds one key per line, `<key id> <base64 of 32 bytes>`; `#` starts a comment.
//! The last key seals new secrets; older keys still open what they sealed. A retired key
//! leaves only its peppers behind, one line per purpose, `pepper <key id> <purpose> <base64>`:
//! backup codes hashed under it keep working, but nothing it sealed can be opened any more.
//!
//! A keyring loaded from a file follows that file: before sealing, and when asked for a key it
//! does not hold, it looks at the file's metadata (one `stat`) and reads the file again when it
//! changed. So a running server picks up a key that `keyward keys rotate` added — it opens
//! what the rotation re-sealed and seals new secrets with the new key — without a restart.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const NONCE_LEN: usize = 24;

/// The purpose of the backup codes' keyed hash.
pub const PEPPER_BACKUP_CODE: &str = "backup-code";
/// The purpose of the report links' signature.
pub const PEPPER_REPORT_LINK: &str = "report-link";
/// Every purpose `peppered_hash` is used for: retiring a key keeps one pepper for each, so a
/// new purpose (e.g. signed account links) is one more entry here.
pub const PEPPER_PURPOSES: &[&str] = &[PEPPER_BACKUP_CODE, PEPPER_REPORT_LINK];

#[derive(Clone)]
struct MasterKey {
    id: String,
    bytes: [u8; 32],
}

/// What a retired key left: the pepper of one purpose.
#[derive(Clone)]
struct RetiredPepper {
    key_id: String,
    purpose: String,
    pepper: [u8; 32],
}

#[derive(Clone)]
struct Keys {
    keys: Vec<MasterKey>,
    peppers: Vec<RetiredPepper>,
}

/// The file a keyring was read from, and what its metadata looked like then.
struct Source {
    path: PathBuf,
    stamp: Mutex<Option<Stamp>>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        inode,
    })
}

pub struct Keyring {
    keys: RwLock<Arc<Keys>>,
    source: Option<Source>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = self.snapshot();
        let ids: Vec<&str> = keys.keys.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyringError {
    #[error("the master key file has no keys")]
    Empty,
    #[error(
        "line {0} of the master key file is not `<key id> <base64 of 32 bytes>` or `pepper <key id> <purpose> <base64 of 32 bytes>`"
    )]
    BadLine(usize),
    #[error("key id {0} appears twice in the master key file")]
    DuplicateId(String),
    #[error("no master key with id {0}: was the key file replaced?")]
    UnknownKey(String),
    #[error("a stored secret could not be decrypted")]
    Decrypt,
    #[error("{0} is the key that seals new secrets: rotate first (`keyward keys rotate`)")]
    RetireCurrent(String),
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

fn decode32(b64: &str) -> Option<[u8; 32]> {
    B64.decode(b64).ok()?.try_into().ok()
}

impl Keys {
    fn parse(text: &str) -> Result<Self, KeyringError> {
        let mut keys: Vec<MasterKey> = Vec::new();
        let mut peppers: Vec<RetiredPepper> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["pepper", id, purpose, b64] => {
                    let pepper = decode32(b64).ok_or(KeyringError::BadLine(n + 1))?;
                    peppers.push(RetiredPepper {
                        key_id: (*id).to_owned(),
                        purpose: (*purpose).to_owned(),
                        pepper,
                    });
                }
                [id, b64] if *id != "pepper" => {
                    let bytes = decode32(b64).ok_or(KeyringError::BadLine(n + 1))?;
                    if keys.iter().any(|k| k.id == *id) {
                        return Err(KeyringError::DuplicateId((*id).to_owned()));
                    }
                    keys.push(MasterKey {
                        id: (*id).to_owned(),
                        bytes,
                    });
                }
                _ => return Err(KeyringError::BadLine(n + 1)),
            }
        }
        if keys.is_empty() {
            return Err(KeyringError::Empty);
        }
        if let Some(p) = peppers
            .iter()
            .find(|p| keys.iter().any(|k| k.id == p.key_id))
        {
            return Err(KeyringError::DuplicateId(p.key_id.clone()));
        }
        Ok(Self { keys, peppers })
    }

    fn current(&self) -> &MasterKey {
        // `parse` refuses a keyring without keys.
        &self.keys[self.keys.len() - 1]
    }

    fn key(&self, id: &str) -> Option<&MasterKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    fn pepper(&self, key_id: &str, purpose: &str) -> Option<[u8; 32]> {
        if let Some(key) = self.key(key_id) {
            return Some(derive_pepper(&key.bytes, purpose));
        }
        self.peppers
            .iter()
            .find(|p| p.key_id == key_id && p.purpose == purpose)
            .map(|p| p.pepper)
    }
}

fn derive_pepper(key: &[u8; 32], purpose: &str) -> [u8; 32] {
    let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(key)
        // HMAC takes keys of any length.
        .unwrap_or_else(|_| unreachable!("HMAC accepts a 32-byte key"));
    derive.update(b"keyward pepper v1:");
    derive.update(purpose.as_bytes());
    derive.finalize().into_bytes().into()
}

impl Keyring {
    /// A keyring from the text of a key file (it does not follow any file).
    pub fn parse(text: &str) -> Result<Self, KeyringError> {
        Ok(Self {
            keys: RwLock::new(Arc::new(Keys::parse(text)?)),
            source: None,
        })
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
    /// The keyring follows the file from then on (see the module's notes).
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
        let before = stamp(path);
        let keys = read_keys(path)?;
        Ok(Self {
            keys: RwLock::new(Arc::new(keys)),
            source: Some(Source {
                path: path.to_owned(),
                stamp: Mutex::new(before),
            }),
        })
    }

    fn snapshot(&self) -> Arc<Keys> {
        self.keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Reads the key file again if its metadata changed since it was last read. Cheap when it
    /// did not (one `stat`); a file that no longer parses is logged and the keys held are kept.
    pub fn refresh(&self) {
        let Some(source) = &self.source else { return };
        let now = stamp(&source.path);
        let mut seen = source
            .stamp
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *seen == now {
            return;
        }
        match read_keys(&source.path) {
            Ok(keys) => {
                let ids: Vec<String> = keys.keys.iter().map(|k| k.id.clone()).collect();
                *self
                    .keys
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(keys);
                *seen = now;
                tracing::info!(key_ids = ?ids, "reloaded the master key file");
            }
            Err(e) => {
                tracing::warn!(error = %e, "the changed master key file cannot be used; keeping the keys already loaded");
            }
        }
    }

    /// The id of the key that seals new secrets (after a look at the key file).
    pub fn current_id(&self) -> String {
        self.refresh();
        self.snapshot().current().id.clone()
    }

    /// The ids of the keys held, oldest first (the last one seals), after a look at the file.
    pub fn key_ids(&self) -> Vec<String> {
        self.refresh();
        self.snapshot().keys.iter().map(|k| k.id.clone()).collect()
    }

    /// The ids of the keys and retired keys that peppers can be derived for, after a look at
    /// the file (a backup code issued by another instance may use a key added since).
    pub fn pepper_ids(&self) -> Vec<String> {
        self.refresh();
        let keys = self.snapshot();
        let mut ids: Vec<String> = keys.keys.iter().map(|k| k.id.clone()).collect();
        ids.extend(keys.peppers.iter().map(|p| p.key_id.clone()));
        ids.sort();
        ids.dedup();
        ids
    }

    /// Encrypts under the current key (after a look at the key file); `aad` binds the
    /// ciphertext to its owner (e.g. a factor id).
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Sealed {
        self.refresh();
        seal_with(self.snapshot().current(), plaintext, aad)
    }

    /// Decrypts; a key id this keyring does not hold makes it read the key file again (once)
    /// before giving up, so a key added by a rotation elsewhere is found.
    pub fn open(&self, key_id: &str, blob: &[u8], aad: &[u8]) -> Result<Vec<u8>, KeyringError> {
        let keys = self.snapshot();
        let keys = match keys.key(key_id) {
            Some(_) => keys,
            None => {
                self.refresh();
                self.snapshot()
            }
        };
        let key = keys
            .key(key_id)
            .ok_or_else(|| KeyringError::UnknownKey(key_id.to_owned()))?;
        open_with(key, blob, aad)
    }

    /// A keyed hash for low-entropy-but-random values (backup codes): HMAC-SHA256 under a
    /// pepper derived from the master key `key_id` (or kept when that key was retired), so a
    /// stolen database alone cannot be brute-forced.
    pub fn peppered_hash(
        &self,
        key_id: &str,
        purpose: &str,
        parts: &[&[u8]],
    ) -> Result<String, KeyringError> {
        debug_assert!(
            PEPPER_PURPOSES.contains(&purpose),
            "add {purpose:?} to PEPPER_PURPOSES, or retiring a key breaks it"
        );
        let pepper = match self.snapshot().pepper(key_id, purpose) {
            Some(p) => p,
            None => {
                self.refresh();
                self.snapshot()
                    .pepper(key_id, purpose)
                    .ok_or_else(|| KeyringError::UnknownKey(key_id.to_owned()))?
            }
        };
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&pepper).map_err(|_| KeyringError::Decrypt)?;
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// Opens `blob` (sealed by `key_id`) and seals it again under the current key, with the
    /// same `aad`. `None` when it is sealed by the current key already.
    pub fn reseal(
        &self,
        key_id: &str,
        blob: &[u8],
        aad: &[u8],
    ) -> Result<Option<Sealed>, KeyringError> {
        let keys = self.snapshot();
        let current = keys.current();
        if current.id == key_id {
            return Ok(None);
        }
        let key = keys
            .key(key_id)
            .ok_or_else(|| KeyringError::UnknownKey(key_id.to_owned()))?;
        let plain = open_with(key, blob, aad)?;
        Ok(Some(seal_with(current, &plain, aad)))
    }
}

fn seal_with(key: &MasterKey, plaintext: &[u8], aad: &[u8]) -> Sealed {
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

fn open_with(key: &MasterKey, blob: &[u8], aad: &[u8]) -> Result<Vec<u8>, KeyringError> {
    if blob.len() < NONCE_LEN + 16 {
        return Err(KeyringError::Decrypt);
    }
    let (nonce, ct) = blob.split_at(NONCE_LEN);
    XChaCha20Poly1305::new((&key.bytes).into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .map_err(|_| KeyringError::Decrypt)
}

fn read_keys(path: &Path) -> anyhow::Result<Keys> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the master key file {}: {e}", path.display()))?;
    Keys::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Changes to the key file, for `keyward keys`. Each writes a complete new file next to the
/// old one (synced, with the old file's owner, group and mode) and renames it over the old one,
/// so a reader sees the old file or the new one, never half of either. Each holds an exclusive
/// advisory lock on `<key file>.lock` for its whole read-modify-write, so two changes at once
/// (two rotations, a rotation and a retirement) cannot lose each other's keys.
pub mod file {
    use super::*;

    /// An exclusive advisory lock on the key file's `<name>.lock` companion; released on drop.
    /// Every change of the key file takes it; `keyward keys rotate` holds it through its
    /// re-seal as well (through [`Lock::add_key`]).
    #[derive(Debug)]
    pub struct Lock {
        path: PathBuf,
        _file: std::fs::File,
    }

    fn lock_path(path: &Path) -> PathBuf {
        let mut name = path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "master.key".into());
        name.push(".lock");
        path.with_file_name(name)
    }

    /// Takes the key file's lock, waiting while another process (or thread) holds it.
    pub fn lock(path: &Path) -> anyhow::Result<Lock> {
        let lpath = lock_path(path);
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = match opts.open(&lpath) {
            Ok(f) => {
                // Created by root for a key file owned by the server's user: hand it over, so
                // that user can take the lock next time (best effort; the lock works anyway).
                #[cfg(unix)]
                if let (Ok(key), Ok(mine)) = (std::fs::metadata(path), f.metadata()) {
                    use std::os::unix::fs::MetadataExt;
                    if mine.uid() != key.uid() || mine.gid() != key.gid() {
                        let _ = std::os::unix::fs::fchown(&f, Some(key.uid()), Some(key.gid()));
                    }
                }
                f
            }
            // A lock file we may not write (another user's): a shared-description lock on a
            // read-only handle excludes just the same.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                std::fs::File::open(&lpath).map_err(|e| {
                    anyhow::anyhow!("cannot open the key file's lock {}: {e}", lpath.display())
                })?
            }
            Err(e) => {
                anyhow::bail!("cannot open the key file's lock {}: {e}", lpath.display())
            }
        };
        file.lock().map_err(|e| {
            anyhow::anyhow!("cannot lock the key file's lock {}: {e}", lpath.display())
        })?;
        Ok(Lock {
            path: path.to_owned(),
            _file: file,
        })
    }

    impl Lock {
        /// [`add_key`] under this lock (the caller keeps holding it afterwards).
        pub fn add_key(&self) -> anyhow::Result<String> {
            add_key_locked(&self.path)
        }

        /// [`retire_key`] under this lock.
        pub fn retire_key(&self, key_id: &str) -> anyhow::Result<()> {
            retire_key_locked(&self.path, key_id)
        }
    }

    /// Appends a new key, which from then on seals new secrets; returns its id. The new file is
    /// read back and parsed before this returns, so nothing is sealed under a key that is not
    /// in a readable file.
    pub fn add_key(path: &Path) -> anyhow::Result<String> {
        let _lock = lock(path)?;
        add_key_locked(path)
    }

    fn add_key_locked(path: &Path) -> anyhow::Result<String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("cannot read the master key file {}: {e}", path.display())
        })?;
        let keys = Keys::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let line = loop {
            let line = Keyring::new_key_line();
            let id = line
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            if keys.key(&id).is_none() && keys.peppers.iter().all(|p| p.key_id != id) {
                break line;
            }
        };
        let mut new_text = text;
        if !new_text.is_empty() && !new_text.ends_with('\n') {
            new_text.push('\n');
        }
        new_text.push_str(&line);
        // The new file must parse, with the new key last.
        let parsed = Keys::parse(&new_text)?;
        let new_id = parsed.current().id.clone();
        replace(path, &new_text)?;
        // Read it back as it is now on disk: the key must be there, and current.
        let back = read_keys(path).map_err(|e| {
            anyhow::anyhow!("the master key file was replaced but cannot be read back: {e}")
        })?;
        if back.current().id != new_id {
            anyhow::bail!(
                "the master key file {} does not hold the new key {new_id} after writing it",
                path.display()
            );
        }
        Ok(new_id)
    }

    /// Replaces key `key_id` by its peppers (one line per purpose): it opens nothing any more,
    /// while hashes made with its peppers (backup codes) still check. Refuses the current key.
    pub fn retire_key(path: &Path, key_id: &str) -> anyhow::Result<()> {
        let _lock = lock(path)?;
        retire_key_locked(path, key_id)
    }

    fn retire_key_locked(path: &Path, key_id: &str) -> anyhow::Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!("cannot read the master key file {}: {e}", path.display())
        })?;
        let keys = Keys::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let Some(key) = keys.key(key_id) else {
            return Err(KeyringError::UnknownKey(key_id.to_owned()).into());
        };
        if keys.current().id == key_id {
            return Err(KeyringError::RetireCurrent(key_id.to_owned()).into());
        }
        let mut out = String::with_capacity(text.len());
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            if parts.next() == Some(key_id) && !line.trim_start().starts_with('#') {
                out.push_str(&format!("# {key_id} retired: only its peppers are kept\n"));
                for purpose in PEPPER_PURPOSES {
                    out.push_str(&format!(
                        "pepper {key_id} {purpose} {}\n",
                        B64.encode(derive_pepper(&key.bytes, purpose))
                    ));
                }
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        Keys::parse(&out)?;
        replace(path, &out)?;
        read_keys(path).map_err(|e| {
            anyhow::anyhow!("the master key file was replaced but cannot be read back: {e}")
        })?;
        Ok(())
    }

    /// Whether a process running as `me` may hand a file over to `owner` (root may; an owner
    /// may keep its own file). `None` when it may, else why not.
    pub(super) fn takeover_refusal(me: u32, owner: u32, path: &Path) -> Option<String> {
        (me != 0 && me != owner).then(|| {
            format!(
                "refused: the master key file {} belongs to uid {owner}, and this process runs as uid {me}; \
                 a new file written by uid {me} could not be read by the server. \
                 Run `keyward keys` as the user that owns KEYWARD_MASTER_KEY_FILE (uid {owner}), or as root. \
                 Nothing was changed.",
                path.display()
            )
        })
    }

    fn replace(path: &Path, text: &str) -> anyhow::Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "master.key".into());
        let old = std::fs::metadata(path).map_err(|e| {
            anyhow::anyhow!("cannot read the master key file {}: {e}", path.display())
        })?;
        let tmp = dir.join(format!(".{name}.new"));
        // A leftover from an interrupted change (possibly another user's): start afresh.
        let _ = std::fs::remove_file(&tmp);
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let written = opts.open(&tmp).and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            Ok(f)
        });
        let f = match written {
            Ok(f) => f,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                anyhow::bail!("cannot write {}: {e}", tmp.display());
            }
        };
        // The new file must be the old one's for whoever reads it (the server's user): same
        // owner, group and mode. Refused, before anything changed, when that is not allowed.
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            let handed_over = (|| -> anyhow::Result<()> {
                let me = f.metadata()?.uid();
                if let Some(why) = takeover_refusal(me, old.uid(), path) {
                    anyhow::bail!(why);
                }
                if let Err(e) = std::os::unix::fs::fchown(&f, Some(old.uid()), Some(old.gid())) {
                    anyhow::bail!(
                        "refused: cannot give the new master key file the owner and group of {} \
                         (uid {}, gid {}): {e}. Run `keyward keys` as the user that owns \
                         KEYWARD_MASTER_KEY_FILE (uid {}), or as root. Nothing was changed.",
                        path.display(),
                        old.uid(),
                        old.gid(),
                        old.uid()
                    );
                }
                f.set_permissions(std::fs::Permissions::from_mode(old.mode() & 0o7777))?;
                f.sync_all()?;
                Ok(())
            })();
            if let Err(e) = handed_over {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        }
        #[cfg(not(unix))]
        let _ = &old;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow::anyhow!("cannot replace {}: {e}", path.display())
        })?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
