//! The hardware key inventory: YubiKeys whose AES keys the security team registered, validated
//! locally (decrypt, CRC, private id, counters) with no outside service.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::models::YubikeyRow;
use crate::db::schema::{factors, yubikeys};
use crate::domain::clock::{naive, rfc3339};
use crate::domain::keyring::{Keyring, Sealed};
use crate::domain::yubikey_otp::{Otp, OtpError, Token};
use crate::error::Error;
use crate::state::AppState;

/// An inventory entry as the API shows it: never the AES key or the private id.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Yubikey {
    pub public_id: String,
    pub created_at: String,
    /// The user the key is enrolled for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// A key to register, parsed.
#[derive(Clone)]
pub struct NewYubikey {
    pub public_id: String,
    pub private_id: [u8; 6],
    pub aes_key: [u8; 16],
}

impl std::fmt::Debug for NewYubikey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewYubikey")
            .field("public_id", &self.public_id)
            .finish_non_exhaustive()
    }
}

/// What a key's sealed AES key is bound to.
pub(crate) fn aad(public_id: &str) -> Vec<u8> {
    format!("yubikey:{public_id}").into_bytes()
}

fn seal(keyring: &Keyring, k: &NewYubikey) -> Sealed {
    let mut secret = k.aes_key.to_vec();
    secret.extend_from_slice(&k.private_id);
    keyring.seal(&secret, &aad(&k.public_id))
}

fn open(keyring: &Keyring, row: &YubikeyRow) -> Result<([u8; 16], [u8; 6]), Error> {
    let plain = keyring
        .open(
            &row.secret_key_id,
            &row.secret_ciphertext,
            &aad(&row.public_id),
        )
        .map_err(|e| Error::internal(anyhow::anyhow!("yubikey {}: {e}", row.public_id)))?;
    let broken = || {
        Error::internal(anyhow::anyhow!(
            "yubikey {} has a malformed secret",
            row.public_id
        ))
    };
    let aes: [u8; 16] = plain
        .get(0..16)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(broken)?;
    let pid: [u8; 6] = plain
        .get(16..22)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(broken)?;
    Ok((aes, pid))
}

/// What the inventory says of an OTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalCheck {
    /// The key is not in the inventory.
    Unknown,
    /// In the inventory, but the OTP is not one of its: the reason goes to the audit log.
    Invalid(&'static str),
    /// Decrypted, CRC and private id right; the counters still have to be checked.
    Valid(Token),
}

/// Read-only: decrypts and checks an OTP against the inventory.
pub fn check_local(
    conn: &mut DbConnection,
    keyring: &Keyring,
    otp: &Otp,
) -> Result<LocalCheck, Error> {
    let Some(row) = YubikeyRow::find(conn, &otp.public_id)? else {
        return Ok(LocalCheck::Unknown);
    };
    let (aes, pid) = open(keyring, &row)?;
    Ok(match otp.open(&aes, &pid) {
        Ok(token) => LocalCheck::Valid(token),
        Err(OtpError::BadCrc) => LocalCheck::Invalid("bad_crc"),
        Err(OtpError::WrongPrivateId) => LocalCheck::Invalid("wrong_private_id"),
        Err(OtpError::Malformed) => LocalCheck::Invalid("malformed"),
    })
}

/// Records `token` as the key's last OTP if it comes after the last one, in one conditional
/// statement: of concurrent uses of one OTP exactly one wins, and an older OTP never does.
/// `nonce` is the validation-protocol request's, kept to recognise the same request again.
pub fn advance_counter(
    conn: &mut DbConnection,
    public_id: &str,
    token: &Token,
    nonce: Option<&str>,
) -> QueryResult<bool> {
    let (usage, session) = token.counter_pair();
    let moved = diesel::update(
        yubikeys::table
            .filter(yubikeys::public_id.eq(public_id))
            .filter(yubikeys::removed_at.is_null())
            .filter(
                yubikeys::usage_counter
                    .is_null()
                    .or(yubikeys::usage_counter.lt(usage))
                    .or(yubikeys::usage_counter
                        .eq(usage)
                        .and(yubikeys::session_use.lt(session))),
            ),
    )
    .set((
        yubikeys::usage_counter.eq(usage),
        yubikeys::session_use.eq(session),
        yubikeys::last_nonce.eq(nonce),
    ))
    .execute(conn)?;
    Ok(moved == 1)
}

fn insert(
    conn: &mut DbConnection,
    keyring: &Keyring,
    now: NaiveDateTime,
    k: &NewYubikey,
) -> Result<(), Error> {
    if YubikeyRow::find(conn, &k.public_id)?.is_some() {
        return Err(Error::Conflict(format!(
            "a YubiKey with public id {} is already registered",
            k.public_id
        )));
    }
    let sealed = seal(keyring, k);
    let tombstone: Option<YubikeyRow> = yubikeys::table
        .find(&k.public_id)
        .select(YubikeyRow::as_select())
        .get_result(conn)
        .optional()?;
    if let Some(old) = tombstone {
        // The same key material again keeps its counters (its old OTPs stay refused); a
        // reprogrammed key starts afresh (old OTPs do not decrypt under the new key anyway).
        let same_secret = open(keyring, &old)? == (k.aes_key, k.private_id);
        diesel::update(yubikeys::table.find(&k.public_id))
            .set((
                yubikeys::secret_ciphertext.eq(sealed.blob),
                yubikeys::secret_key_id.eq(sealed.key_id),
                yubikeys::usage_counter.eq(if same_secret { old.usage_counter } else { None }),
                yubikeys::session_use.eq(if same_secret { old.session_use } else { None }),
                yubikeys::last_nonce.eq(None::<String>),
                yubikeys::created_at.eq(now),
                yubikeys::removed_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        return Ok(());
    }
    diesel::insert_into(yubikeys::table)
        .values(&YubikeyRow {
            public_id: k.public_id.clone(),
            secret_ciphertext: sealed.blob,
            secret_key_id: sealed.key_id,
            usage_counter: None,
            session_use: None,
            last_nonce: None,
            created_at: now,
            removed_at: None,
        })
        .execute(conn)?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(public_id = %key.public_id))]
pub async fn add(state: &AppState, ctx: RequestContext, key: NewYubikey) -> Result<Yubikey, Error> {
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    state
        .db
        .write(move |conn| {
            insert(conn, &keyring, now, &key)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "yubikey.added",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({ "public_id": key.public_id }),
                },
            )?;
            Ok(Yubikey {
                public_id: key.public_id,
                created_at: rfc3339(now),
                user_id: None,
            })
        })
        .await
}

/// Registers every key or none (a duplicate, in the file or the inventory, refuses them all).
#[tracing::instrument(skip_all, fields(keys = keys.len()))]
pub async fn import(
    state: &AppState,
    ctx: RequestContext,
    keys: Vec<NewYubikey>,
) -> Result<usize, Error> {
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    state
        .db
        .write(move |conn| {
            for k in &keys {
                insert(conn, &keyring, now, k)?;
            }
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "yubikey.imported",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({
                        "count": keys.len(),
                        "public_ids": keys.iter().map(|k| k.public_id.as_str()).collect::<Vec<_>>(),
                    }),
                },
            )?;
            Ok(keys.len())
        })
        .await
}

pub async fn list(state: &AppState) -> Result<Vec<Yubikey>, Error> {
    state
        .db
        .read(|conn| {
            let rows: Vec<(String, NaiveDateTime)> = yubikeys::table
                .filter(yubikeys::removed_at.is_null())
                .order(yubikeys::public_id.asc())
                .select((yubikeys::public_id, yubikeys::created_at))
                .load(conn)?;
            let bound: HashMap<String, String> = factors::table
                .filter(factors::yubikey_public_id.is_not_null())
                .select((
                    factors::yubikey_public_id.assume_not_null(),
                    factors::user_id,
                ))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect();
            Ok(rows
                .into_iter()
                .map(|(public_id, created_at)| Yubikey {
                    user_id: bound.get(&public_id).cloned(),
                    public_id,
                    created_at: rfc3339(created_at),
                })
                .collect())
        })
        .await
}

/// Removes a key from the inventory: it stops validating at once.
#[tracing::instrument(skip_all, fields(public_id = %public_id))]
pub async fn remove(state: &AppState, ctx: RequestContext, public_id: String) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let removed = diesel::update(
                yubikeys::table
                    .filter(yubikeys::public_id.eq(&public_id))
                    .filter(yubikeys::removed_at.is_null()),
            )
            .set(yubikeys::removed_at.eq(now))
            .execute(conn)?;
            if removed == 0 {
                return Err(Error::NotFound(
                    "no YubiKey with this public id in the inventory".into(),
                ));
            }
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "yubikey.removed",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({ "public_id": public_id }),
                },
            )?;
            Ok(())
        })
        .await
}
