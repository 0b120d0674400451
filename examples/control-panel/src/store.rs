//! The panel's own users: a JSON file, loaded at start and rewritten on every change. A real
//! panel has its own database; what matters is that each user has a password the panel checks
//! and the Keyward user id (`usr_…`) the panel created for them through Keyward's API.

use std::path::PathBuf;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub email: String,
    /// Argon2id, PHC string.
    pub password_hash: String,
    /// Created through `POST /api/v1/users` at the user's first sign-in.
    pub keyward_user_id: Option<String>,
    /// The demo's servers ("Delete server" removes one after a step-up).
    pub servers: Vec<String>,
}

pub struct Store {
    path: PathBuf,
    pub users: Vec<User>,
}

/// The demo users written on first start (README.md lists them).
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("alice", "alice@example.com", "alice-panel-password"),
    ("bob", "bob@example.com", "bob-panel-password"),
];

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

impl Store {
    /// Loads the file, or creates it with the demo users.
    pub fn open(path: PathBuf) -> anyhow::Result<Store> {
        if path.exists() {
            let users = serde_json::from_slice(&std::fs::read(&path)?)?;
            return Ok(Store { path, users });
        }
        let mut users = Vec::new();
        for (username, email, password) in DEMO_USERS {
            users.push(User {
                username: (*username).into(),
                email: (*email).into(),
                password_hash: hash_password(password)?,
                keyward_user_id: None,
                servers: vec!["web-01".into(), "db-01".into()],
            });
        }
        let store = Store { path, users };
        store.save()?;
        Ok(store)
    }

    pub fn save(&self) -> anyhow::Result<()> {
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&self.users)?)?;
        std::fs::rename(tmp, &self.path)?;
        Ok(())
    }

    pub fn get(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }

    pub fn get_mut(&mut self, username: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.username == username)
    }

    /// The user, if the password is theirs. An unknown name costs a hash too.
    pub fn check_password(&self, username: &str, password: &str) -> Option<User> {
        let user = self.get(username);
        let hash = user.map(|u| u.password_hash.clone()).unwrap_or_else(|| {
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5H1D3mBLA1Y0dXQ0Zuh8SvPDbYdQzYIZfTJwcQx0Hqg".into()
        });
        let parsed = PasswordHash::new(&hash).ok()?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        if ok { user.cloned() } else { None }
    }
}
