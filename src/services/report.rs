//! "This wasn't me": the signed, single-use link in every security mail. Following it shows a
//! page that asks for a click (so mail scanners that fetch links change nothing); confirming
//! signs the user out everywhere, stops their password from working (until a mailed link sets
//! a new one), freezes changes to their factors, flags the account for support and records
//! `account.reported_by_user`.

use diesel::prelude::*;
use subtle::ConstantTimeEq;

use super::audit::{AuditRecord, record_audit_event};
use super::{Actor, RequestContext};
use crate::db::DbConnection;
use crate::db::schema::{report_tokens, users, webauthn_challenges};
use crate::domain::clock::naive;
use crate::domain::ids::looks_like_id;
use crate::error::Error;
use crate::state::AppState;

/// What a link is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Good to use: the account's address, partly hidden.
    Valid {
        account: String,
    },
    /// Malformed, tampered with, or never issued.
    Invalid,
    Used,
    Expired,
}

/// `rpt_….signature`
fn split(raw: &str) -> Option<(&str, &str)> {
    let (id, sig) = raw.split_once('.')?;
    (looks_like_id(id)
        && id.starts_with("rpt_")
        && sig.len() == 64
        && sig.bytes().all(|b| b.is_ascii_hexdigit()))
    .then_some((id, sig))
}

/// "ada@example.com" → "a••@example.com"
pub(crate) fn mask(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}••@{domain}")
        }
        None => "your account".into(),
    }
}

struct Row {
    user_id: String,
    used: bool,
    expired: bool,
    kind: String,
}

fn check(
    conn: &mut DbConnection,
    state_keyring: &crate::domain::keyring::Keyring,
    raw: &str,
    now: chrono::NaiveDateTime,
) -> Result<Option<Row>, Error> {
    let Some((id, sig)) = split(raw) else {
        return Ok(None);
    };
    let row: Option<(
        String,
        String,
        String,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    )> = report_tokens::table
        .find(id)
        .select((
            report_tokens::user_id,
            report_tokens::key_id,
            report_tokens::mail_kind,
            report_tokens::expires_at,
            report_tokens::used_at,
        ))
        .get_result(conn)
        .optional()?;
    let Some((user_id, key_id, kind, expires_at, used_at)) = row else {
        return Ok(None);
    };
    let expected = match super::mail::report_signature(state_keyring, &key_id, id, &user_id) {
        Ok(s) => s,
        // A key no longer in the key file: the link cannot be checked.
        Err(_) => return Ok(None),
    };
    if !bool::from(
        expected
            .as_bytes()
            .ct_eq(sig.to_ascii_lowercase().as_bytes()),
    ) {
        return Ok(None);
    }
    Ok(Some(Row {
        user_id,
        used: used_at.is_some(),
        expired: expires_at <= now,
        kind,
    }))
}

/// What following the link shows; changes nothing.
pub async fn inspect(state: &AppState, raw: String) -> Result<LinkState, Error> {
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    state
        .db
        .read(move |conn| {
            let Some(row) = check(conn, &keyring, &raw, now)? else {
                return Ok(LinkState::Invalid);
            };
            if row.used {
                return Ok(LinkState::Used);
            }
            if row.expired {
                return Ok(LinkState::Expired);
            }
            let email: String = users::table
                .find(&row.user_id)
                .select(users::email)
                .get_result(conn)?;
            Ok(LinkState::Valid {
                account: mask(&email),
            })
        })
        .await
}

/// Confirms the report. Returns the state the link was in: `Valid` when this call used it.
#[tracing::instrument(skip_all)]
pub async fn confirm(
    state: &AppState,
    raw: String,
    ip: Option<String>,
) -> Result<LinkState, Error> {
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    state
        .db
        .write(move |conn| {
            let Some(row) = check(conn, &keyring, &raw, now)? else {
                return Ok(LinkState::Invalid);
            };
            super::users::lock_user(conn, &row.user_id)?;
            let Some((id, _)) = split(&raw) else {
                return Ok(LinkState::Invalid);
            };
            // Single use: only the request that sets used_at goes on.
            let took = diesel::update(
                report_tokens::table
                    .filter(report_tokens::id.eq(id))
                    .filter(report_tokens::used_at.is_null())
                    .filter(report_tokens::expires_at.gt(now)),
            )
            .set(report_tokens::used_at.eq(now))
            .execute(conn)?;
            if took != 1 {
                return Ok(if row.used || !row.expired {
                    LinkState::Used
                } else {
                    LinkState::Expired
                });
            }
            // The first report's time is kept; the freeze and the sign-out always apply.
            diesel::update(
                users::table
                    .find(&row.user_id)
                    .filter(users::reported_at.is_null()),
            )
            .set(users::reported_at.eq(now))
            .execute(conn)?;
            diesel::update(
                users::table
                    .find(&row.user_id)
                    .filter(users::factors_frozen_at.is_null()),
            )
            .set(users::factors_frozen_at.eq(now))
            .execute(conn)?;
            diesel::update(users::table.find(&row.user_id))
                .set(users::sessions_valid_after.eq(now))
                .execute(conn)?;
            // Whoever changed the account may know the password: it stops working now, until
            // the owner sets a new one with a mailed link (sent with the support reset, or
            // asked for at "Forgot your password?"). Nobody can add a factor before then.
            let killed_password = diesel::update(
                users::table
                    .find(&row.user_id)
                    .filter(users::password_hash.is_not_null()),
            )
            .set((
                users::password_hash.eq(None::<String>),
                users::password_reset_required_at.eq(Some(now)),
            ))
            .execute(conn)?
                == 1;
            diesel::delete(
                crate::db::schema::known_devices::table
                    .filter(crate::db::schema::known_devices::user_id.eq(&row.user_id)),
            )
            .execute(conn)?;
            // Ceremonies started before the report cannot finish.
            diesel::delete(
                webauthn_challenges::table.filter(webauthn_challenges::user_id.eq(&row.user_id)),
            )
            .execute(conn)?;
            let ctx = RequestContext::new(Actor::User(row.user_id.clone()), ip);
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "account.reported_by_user",
                    ctx: &ctx,
                    user_id: Some(&row.user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "report_id": id,
                        "mail_kind": row.kind,
                        "signed_out_everywhere": true,
                        "factors_frozen": true,
                        "password_disabled": killed_password,
                    }),
                },
            )?;
            let email: String = users::table
                .find(&row.user_id)
                .select(users::email)
                .get_result(conn)?;
            Ok(LinkState::Valid {
                account: mask(&email),
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_shapes() {
        let sig = "a".repeat(64);
        assert!(split(&format!("rpt_0123456789abcdef0123456789abcdef.{sig}")).is_some());
        assert!(split("rpt_0123456789abcdef0123456789abcdef").is_none());
        assert!(split(&format!("usr_0123456789abcdef0123456789abcdef.{sig}")).is_none());
        assert!(split(&format!("rpt_01234567.{}", "z".repeat(64))).is_none());
        assert!(split("").is_none());
    }

    #[test]
    fn masks() {
        assert_eq!(mask("ada@example.com"), "a••@example.com");
        assert_eq!(mask("nope"), "your account");
    }
}
