//! A password change from the settings page: the current password, in a session that passed
//! the second step.

use super::*;

/// How a password change ended.
#[derive(Debug)]
pub enum Change {
    /// Changed: the new session's cookie token (every other session ended).
    Changed {
        token: String,
    },
    WrongPassword,
    SamePassword,
    Throttled {
        wait_seconds: i64,
    },
}

/// Changes the password of a signed-in user (a session that passed the second step) who knows
/// the current one. Wrong guesses count against the address and the account like sign-ins.
/// Every other session of the account ends; this browser gets a new session. Audited
/// `password.changed`, with a security mail.
#[tracing::instrument(skip_all, fields(user_id = %session.user_id))]
pub async fn change(
    state: &AppState,
    ctx: RequestContext,
    session: &Session,
    device: Option<String>,
    current: String,
    new: Password,
) -> Result<Change, Error> {
    let now = naive(state.clock.now());
    let ip = ctx.ip.clone().unwrap_or_default();
    let keep_device = device.clone();
    let user_id = session.user_id.clone();
    let (blocked, user, during_pause) = {
        let ip = ip.clone();
        state
            .db
            .write(move |conn| {
                let user = crate::services::users::load(conn, &user_id)?;
                if let Some(wait) = sessions::reserve_attempt(conn, now, &ip)? {
                    return Ok::<_, Error>((Some(wait), user, false));
                }
                let trusted = password_guard::is_known(conn, now, &user.id, device.as_deref())?;
                match password_guard::reserve(conn, now, &user.email_normalized, trusted)? {
                    Attempt::Paused { wait_seconds } => Ok((Some(wait_seconds), user, false)),
                    Attempt::Counted { during_pause } => Ok((None, user, during_pause)),
                }
            })
            .await?
    };
    if let Some(wait) = blocked {
        return Ok(Change::Throttled { wait_seconds: wait });
    }
    let same = current == new.expose();
    let ok = crate::services::passwords::verify(state, user.password_hash.clone(), current).await?;
    if !ok {
        let ctx = ctx.clone();
        let uid = user.id.clone();
        state
            .db
            .write(move |conn| {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "login.failed",
                        ctx: &ctx,
                        user_id: Some(&uid),
                        factor_id: None,
                        details: serde_json::json!({ "reason": "wrong_password", "step": "password_change" }),
                    },
                )?;
                Ok::<_, Error>(())
            })
            .await?;
        return Ok(Change::WrongPassword);
    }
    if same {
        let key = user.email_normalized.clone();
        state
            .db
            .write(move |conn| {
                sessions::release_attempt(conn, &ip)?;
                password_guard::release(conn, &key, during_pause)?;
                Ok::<_, Error>(())
            })
            .await?;
        return Ok(Change::SamePassword);
    }
    let hash = crate::services::passwords::hash(state, new).await?;
    let mail = state.mail.clone();
    let current_session = session.token_hash.clone();
    let token = state
        .db
        .write(move |conn| {
            sessions::release_attempt(conn, &ip)?;
            password_guard::release(conn, &user.email_normalized, during_pause)?;
            crate::services::users::lock_user(conn, &user.id)?;
            diesel::update(users::table.find(&user.id))
                .set((
                    users::password_hash.eq(Some(&hash)),
                    users::password_changed_at.eq(Some(now)),
                ))
                .execute(conn)?;
            let others = diesel::delete(
                sessions_table::table
                    .filter(sessions_table::user_id.eq(&user.id))
                    .filter(sessions_table::token_hash.ne(&current_session)),
            )
            .execute(conn)?;
            // Browsers that knew the old password are not trusted with the new one; this one
            // (if it is known) stays known.
            let keep = keep_device.as_deref().map(hash_token).unwrap_or_default();
            diesel::delete(
                crate::db::schema::known_devices::table
                    .filter(crate::db::schema::known_devices::user_id.eq(&user.id))
                    .filter(crate::db::schema::known_devices::token_hash.ne(keep)),
            )
            .execute(conn)?;
            // A new session for this browser, still signed in and in sudo mode.
            let token = sessions::start(conn, now, &user.id, Stage::Full, Some(&current_session))?;
            sessions::grant_sudo(conn, &hash_token(&token), now)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "password.changed",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({ "other_sessions_ended": others }),
                },
            )?;
            crate::services::mail::enqueue(
                conn,
                &mail,
                now,
                &ctx,
                &user.id,
                MailKind::PasswordChanged { reset: false },
            )?;
            Ok::<_, Error>(token)
        })
        .await?;
    state.mail_wakeup.notify_one();
    Ok(Change::Changed { token })
}
