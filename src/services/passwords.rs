//! Password hashing with argon2id (OWASP: 19 MiB, t=2, p=1), off the async runtime and
//! bounded by a semaphore so a burst of sign-ins cannot starve other requests.

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::newtypes::Password;
use crate::error::Error;
use crate::state::AppState;

fn hasher() -> Argon2<'static> {
    // These constants are valid argon2 parameters.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_blocking(password: &Password) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(anyhow::anyhow!("argon2 hashing failed: {e}")))
}

/// A hash of a random password, checked when the account does not exist, so both cases take
/// the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0mX0oXs2cJ4RZ2tCH1X8Ua1gRl7Jq0mQWBIZ8H7ZJbE";

pub fn verify_blocking(stored: Option<&str>, candidate: &str) -> bool {
    let target = stored.unwrap_or(DUMMY_HASH);
    let ok = match PasswordHash::new(target) {
        Ok(parsed) => hasher()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    };
    ok && stored.is_some()
}

async fn run_bounded<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    let _permit = state
        .password_permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| Error::internal(anyhow::anyhow!("password limiter closed: {e}")))?;
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        f()
    })
    .await
    .map_err(|e| Error::internal(anyhow::anyhow!("password task failed: {e}")))
}

pub async fn hash(state: &AppState, password: Password) -> Result<String, Error> {
    run_bounded(state, move || hash_blocking(&password)).await?
}

pub async fn verify(
    state: &AppState,
    stored: Option<String>,
    candidate: String,
) -> Result<bool, Error> {
    run_bounded(state, move || {
        verify_blocking(stored.as_deref(), &candidate)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let pw = Password::parse("correct horse battery".into()).expect("valid");
        let h = hash_blocking(&pw).expect("hashes");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_blocking(Some(&h), "correct horse battery"));
        assert!(!verify_blocking(Some(&h), "wrong"));
        assert!(!verify_blocking(None, "correct horse battery"));
    }
}
