//! Backup codes: issuing a set (replacing the old one), counting what is left, and consuming
//! one atomically.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::models::NewBackupCode;
use crate::db::schema::backup_codes;
use crate::domain::backup_codes::{generate_set, normalize};
use crate::domain::clock::{naive, rfc3339};
use crate::domain::keyring::Keyring;
use crate::error::Error;
use crate::state::AppState;

const PURPOSE: &str = crate::domain::keyring::PEPPER_BACKUP_CODE;

fn code_hash(
    keyring: &Keyring,
    key_id: &str,
    user_id: &str,
    normalized: &str,
) -> Result<String, Error> {
    keyring
        .peppered_hash(
            key_id,
            PURPOSE,
            &[user_id.as_bytes(), normalized.as_bytes()],
        )
        .map_err(Error::internal)
}

/// Replaces the user's codes with a fresh set, inside the caller's transaction; returns the
/// codes for their one showing.
pub fn issue_set(
    conn: &mut DbConnection,
    keyring: &Keyring,
    now: NaiveDateTime,
    ctx: &RequestContext,
    user_id: &str,
    reason: &str,
) -> Result<Vec<String>, Error> {
    let replaced = diesel::delete(backup_codes::table.filter(backup_codes::user_id.eq(user_id)))
        .execute(conn)?;
    let codes = generate_set();
    let key_id = keyring.current_id().to_owned();
    let rows = codes
        .iter()
        .map(|c| {
            let n = normalize(c)
                .ok_or_else(|| Error::internal(anyhow::anyhow!("generated an unparseable code")))?;
            Ok(NewBackupCode {
                user_id: user_id.to_owned(),
                code_hash: code_hash(keyring, &key_id, user_id, &n)?,
                key_id: key_id.clone(),
                created_at: now,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    // Row by row: the multi-backend connection has no batch insert.
    for row in &rows {
        diesel::insert_into(backup_codes::table)
            .values(row)
            .execute(conn)?;
    }
    record_audit_event(
        conn,
        now,
        AuditRecord {
            event: "backup_codes.generated",
            ctx,
            user_id: Some(user_id),
            factor_id: None,
            details: serde_json::json!({ "count": codes.len(), "replaced": replaced, "reason": reason }),
        },
    )?;
    Ok(codes)
}

pub fn remaining(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    backup_codes::table
        .filter(backup_codes::user_id.eq(user_id))
        .filter(backup_codes::used_at.is_null())
        .select(count_star())
        .get_result(conn)
}

/// What happened to a presented backup code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumed {
    Used { remaining: i64 },
    AlreadyUsed,
    Unknown,
}

/// Marks the code used in one conditional statement: of concurrent uses, exactly one wins.
pub fn consume(
    conn: &mut DbConnection,
    keyring: &Keyring,
    now: NaiveDateTime,
    user_id: &str,
    input: &str,
) -> Result<Consumed, Error> {
    let Some(n) = normalize(input) else {
        return Ok(Consumed::Unknown);
    };
    // Codes hashed under any key's pepper still work, retired keys' too.
    let hashes = keyring
        .pepper_ids()
        .iter()
        .map(|k| code_hash(keyring, k, user_id, &n))
        .collect::<Result<Vec<_>, _>>()?;
    let updated = diesel::update(
        backup_codes::table
            .filter(backup_codes::user_id.eq(user_id))
            .filter(backup_codes::used_at.is_null())
            .filter(backup_codes::code_hash.eq_any(&hashes)),
    )
    .set(backup_codes::used_at.eq(now))
    .execute(conn)?;
    if updated == 1 {
        return Ok(Consumed::Used {
            remaining: remaining(conn, user_id)?,
        });
    }
    let seen: i64 = backup_codes::table
        .filter(backup_codes::user_id.eq(user_id))
        .filter(backup_codes::code_hash.eq_any(&hashes))
        .select(count_star())
        .get_result(conn)?;
    Ok(if seen > 0 {
        Consumed::AlreadyUsed
    } else {
        Consumed::Unknown
    })
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct BackupCodesStatus {
    pub remaining: i64,
    pub created_at: Option<String>,
}

pub async fn status(state: &AppState, user_id: String) -> Result<BackupCodesStatus, Error> {
    state
        .db
        .read(move |conn| {
            let user = super::users::load(conn, &user_id)?;
            let left = remaining(conn, &user.id)?;
            let created: Option<NaiveDateTime> = backup_codes::table
                .filter(backup_codes::user_id.eq(&user.id))
                .select(max(backup_codes::created_at))
                .get_result(conn)?;
            Ok(BackupCodesStatus {
                remaining: left,
                created_at: if left > 0 || created.is_some() {
                    created.map(rfc3339)
                } else {
                    None
                },
            })
        })
        .await
}

#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn regenerate(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
) -> Result<Vec<String>, Error> {
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    let mail = state.mail.clone();
    let codes = state
        .db
        .write(move |conn| {
            let user = super::users::lock_for_factor_change(conn, &ctx, &user_id)?;
            let codes = issue_set(conn, &keyring, now, &ctx, &user.id, "requested")?;
            super::mail::enqueue(
                conn,
                &mail,
                now,
                &ctx,
                &user.id,
                crate::domain::mail::MailKind::BackupCodesRegenerated,
            )?;
            Ok::<_, Error>(codes)
        })
        .await?;
    state.mail_wakeup.notify_one();
    Ok(codes)
}
