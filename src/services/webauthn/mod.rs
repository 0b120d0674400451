//! WebAuthn factors (security keys and passkeys) with webauthn-rs: registration as a pending
//! factor activated by the browser's response, and verification by challenge and assertion.
//!
//! Ceremony state lives in `webauthn_challenges`: one row per ceremony, deleted by the
//! transaction that judges its response (so a response works once, on any instance), and
//! refused after `KEYWARD_WEBAUTHN_CHALLENGE_TTL_SECONDS`. The cryptographic checks run on the
//! read pool; the write transaction consumes the challenge, applies the policy, moves the
//! signature counter with one conditional UPDATE and writes the audit event.
//!
//! - [`registration`] — a new security key: the options for the browser, then its response.
//! - [`authentication`] — a second step: a challenge, then the assertion judged through
//!   `verify::outcome` like any code.
//! - [`refusal`] — why a response was refused, for the audit log and for the caller.
//! - The relying party itself is `seams::webauthn::RelyingParty`, built at start.

mod authentication;
mod refusal;
mod registration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::*;

use crate::db::DbConnection;
use crate::db::models::FactorRow;
use crate::db::schema::webauthn_challenges;
use crate::domain::newtypes::FactorKind;
use crate::error::Error;

pub use authentication::{VerificationStart, finish_verification, start_verification};
pub use registration::{RegistrationStart, finish_registration, start_registration};

const PURPOSE_REGISTRATION: &str = "registration";
const PURPOSE_AUTHENTICATION: &str = "authentication";
/// Unexpired verification challenges one user may hold; older ones are dropped beyond this.
const MAX_OPEN_CHALLENGES: i64 = 16;

/// The registration ceremony's state, by the webauthn-rs flow the policy chose.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "flow", content = "state", rename_all = "snake_case")]
enum RegistrationState {
    Passkey(PasskeyRegistration),
    AttestedPasskey(AttestedPasskeyRegistration),
    SecurityKey {
        state: SecurityKeyRegistration,
        presence_only: bool,
        attested: bool,
    },
}

/// The authentication ceremony's state.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "flow", content = "state", rename_all = "snake_case")]
enum AuthenticationState {
    Passkey(PasskeyAuthentication),
    SecurityKey {
        state: SecurityKeyAuthentication,
        presence_only: bool,
    },
}

/// The WebAuthn user handle: stable per user, and reveals nothing about them.
fn user_handle(user_id: &str) -> Uuid {
    let digest = Sha256::digest(format!("keyward webauthn user handle\0{user_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(bytes)
}

fn encode_cred_id(id: &CredentialID) -> String {
    URL_SAFE_NO_PAD.encode::<&[u8]>(id.as_ref())
}

/// Reads and checks a browser response given as JSON.
fn parse_json<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| {
        // serde's message can quote the client's input: keep it short, on a char boundary.
        let why: String = e.to_string().chars().take(200).collect();
        Error::BadRequest(format!(
            "credential: not a {what} as a browser produces it (binary fields base64url): {why}"
        ))
    })
}

fn load_credential(row: &FactorRow) -> Result<Credential, Error> {
    let text = row.webauthn_credential.as_deref().ok_or_else(|| {
        Error::internal(anyhow::anyhow!(
            "factor {} has no WebAuthn credential",
            row.id
        ))
    })?;
    let mut cred: Credential = serde_json::from_str(text).map_err(|e| {
        Error::internal(anyhow::anyhow!(
            "factor {}: stored credential does not parse: {e}",
            row.id
        ))
    })?;
    // The column is the counter of record (moved by conditional UPDATEs).
    if let Some(count) = row.webauthn_sign_count {
        cred.counter = u32::try_from(count).unwrap_or(u32::MAX);
    }
    Ok(cred)
}

fn active_webauthn(conn: &mut DbConnection, user_id: &str) -> Result<Vec<FactorRow>, Error> {
    Ok(FactorRow::active_for_user(conn, user_id)?
        .into_iter()
        .filter(|f| f.kind == FactorKind::Webauthn && f.webauthn_credential.is_some())
        .collect())
}

fn attested_of(row: &FactorRow) -> bool {
    row.webauthn_attested.unwrap_or(false)
}

fn aaguid_of(row: &FactorRow) -> Option<Uuid> {
    row.webauthn_aaguid
        .as_deref()
        .and_then(|a| Uuid::parse_str(a).ok())
}

/// Removes ceremonies that can no longer finish; returns how many.
pub fn remove_expired_challenges(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(webauthn_challenges::table.filter(webauthn_challenges::expires_at.le(now)))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_handles_are_stable_and_distinct() {
        assert_eq!(user_handle("usr_a"), user_handle("usr_a"));
        assert_ne!(user_handle("usr_a"), user_handle("usr_b"));
    }
}
