//! The password's whole life for portal accounts: sign-up confirmed by a mailed link, a change
//! (the current password, in a session that passed the second step), a forgotten password
//! reset by a mailed single-use link, and the password set again after "this wasn't me".
//!
//! Links are single-use bearer secrets: 256 random bits in the URL, stored as a SHA-256 hash in
//! `account_links`; a new link of one purpose replaces the user's unused ones. Using a link is
//! one atomic `UPDATE … WHERE used_at IS NULL AND expires_at > now`, so two tabs cannot both
//! use it. A reset never touches the second factors: it ends every session, and the next
//! sign-in asks for the second factor as always.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{AuditRecord, record_audit_event};
use super::password_guard::{self, Attempt};
use super::sessions::{self, Session, Stage, hash_token, random_token};
use super::{Actor, RequestContext};
use crate::db::DbConnection;
use crate::db::models::UserRow;
use crate::db::schema::{account_links, mail_outbox, sessions as sessions_table, users};
use crate::domain::clock::naive;
use crate::domain::mail::MailKind;
use crate::domain::newtypes::{Email, Password};
use crate::error::Error;
use crate::state::AppState;

mod change;
mod links;
pub use self::change::{Change, change};
pub use self::links::{LinkPurpose, LinkState, inspect, issue_link};
use self::links::{find_link, recently_issued, take_link};

/// How long a forgotten-password link works.
pub const RESET_MINUTES: i64 = 30;
/// How long the link mailed after a support reset works (the customer may be away from their
/// mail for a while; the account cannot be used before it anyway).
pub const SET_HOURS: i64 = 24;
/// How long a sign-up's confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;
/// At most this many reset mails per account in 24 hours.
pub const MAX_RESET_MAILS_PER_DAY: i64 = 5;
/// At most one mailed link of a purpose per account in this many seconds.
pub const RESEND_SECONDS: i64 = 60;

/// How "Forgot your password?" ended. The page says the same for every address.
#[derive(Debug, PartialEq, Eq)]
pub enum Forgot {
    /// A link went out if the address has a portal account (nobody learns whether it does).
    Answered,
    /// Too many requests from this network.
    Throttled { wait_seconds: i64 },
}

/// "Forgot your password?": mails a reset link to an account that has (or had, before "this
/// wasn't me") a password. An address without one gets no mail and the same answer; each
/// request counts against the address's sign-in allowance, and an account gets at most one
/// link a minute.
#[tracing::instrument(skip_all)]
pub async fn forgot(state: &AppState, ctx: RequestContext, email: &str) -> Result<Forgot, Error> {
    let now = naive(state.clock.now());
    let normalized = Email::parse(email).ok().map(|e| e.normalized());
    let ip = ctx.ip.clone().unwrap_or_default();
    let mail = state.mail.clone();
    let base = state.mail.base_url.clone();
    let outcome = state
        .db
        .write(move |conn| {
            if let Some(wait) = sessions::reserve_attempt(conn, now, &ip)? {
                return Ok::<_, Error>(Forgot::Throttled { wait_seconds: wait });
            }
            let Some(user) = normalized
                .map(|n| UserRow::find_by_email(conn, &n))
                .transpose()?
                .flatten()
            else {
                return Ok(Forgot::Answered);
            };
            let has_password =
                user.password_hash.is_some() || user.password_reset_required_at.is_some();
            let (today, _) =
                mails_since(conn, &user.id, "password_reset", now - Duration::hours(24))?;
            if !has_password
                || today >= MAX_RESET_MAILS_PER_DAY
                || recently_issued(conn, now, &user.id, LinkPurpose::PasswordReset)?
            {
                return Ok(Forgot::Answered);
            }
            super::users::lock_user(conn, &user.id)?;
            let url = issue_link(conn, &base, now, &user.id, LinkPurpose::PasswordReset)?;
            let ctx = RequestContext::new(Actor::System, ctx.ip.clone());
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "password.reset_requested",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({ "expires_in_minutes": RESET_MINUTES }),
                },
            )?;
            super::mail::enqueue(
                conn,
                &mail,
                now,
                &ctx,
                &user.id,
                MailKind::PasswordReset {
                    url,
                    minutes: RESET_MINUTES,
                },
            )?;
            Ok(Forgot::Answered)
        })
        .await?;
    if outcome == Forgot::Answered {
        state.mail_wakeup.notify_one();
    }
    Ok(outcome)
}

/// How setting a password with a link ended.
#[derive(Debug, PartialEq, Eq)]
pub enum SetWithLink {
    /// The new password is set; every session ended. `device`: this browser's new
    /// known-browser cookie (it proved the mailbox and chose the password, so a stranger's
    /// guesses will not pause it).
    Done { device: String },
    /// The link was not usable (the state it is in).
    Refused(LinkState),
}

/// Sets a new password with a reset link or the link mailed after a support reset: one use,
/// every session and known browser of the account ended, the account's wrong-password count
/// cleared, the address counted as confirmed (the link reached it), `password.reset` audited
/// and a security mail sent. The second factors stay as they are.
#[tracing::instrument(skip_all)]
pub async fn set_with_link(
    state: &AppState,
    ip: Option<String>,
    token: String,
    password: Password,
) -> Result<SetWithLink, Error> {
    const ACCEPTED: &[LinkPurpose] = &[LinkPurpose::PasswordReset, LinkPurpose::PasswordSet];
    // A link that cannot be used is said so before the password is hashed.
    let before = inspect(state, token.clone(), ACCEPTED).await?;
    if !matches!(before, LinkState::Valid { .. }) {
        return Ok(SetWithLink::Refused(before));
    }
    let hash = super::passwords::hash(state, password).await?;
    let now = naive(state.clock.now());
    let mail = state.mail.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let row = match take_link(conn, now, &token, ACCEPTED)? {
                Ok(row) => row,
                Err(link) => return Ok::<_, Error>(SetWithLink::Refused(link)),
            };
            let user = super::users::lock_and_load(conn, &row.user_id)?;
            diesel::update(users::table.find(&user.id))
                .set((
                    users::password_hash.eq(Some(&hash)),
                    users::password_changed_at.eq(Some(now)),
                    users::password_reset_required_at.eq(None::<NaiveDateTime>),
                    users::sessions_valid_after.eq(Some(now)),
                ))
                .execute(conn)?;
            diesel::update(
                users::table
                    .find(&user.id)
                    .filter(users::email_verified_at.is_null()),
            )
            .set(users::email_verified_at.eq(Some(now)))
            .execute(conn)?;
            diesel::delete(sessions_table::table.filter(sessions_table::user_id.eq(&user.id)))
                .execute(conn)?;
            // Any other password link of the account is void now.
            diesel::delete(
                account_links::table
                    .filter(account_links::user_id.eq(&user.id))
                    .filter(account_links::used_at.is_null())
                    .filter(account_links::purpose.eq_any([
                        LinkPurpose::PasswordReset.as_str(),
                        LinkPurpose::PasswordSet.as_str(),
                    ])),
            )
            .execute(conn)?;
            password_guard::forget_devices(conn, &user.id)?;
            password_guard::clear(conn, &user.email_normalized)?;
            let device = password_guard::remember(conn, now, &user.id, None)?.unwrap_or_default();
            let ctx = RequestContext::new(Actor::User(user.id.clone()), ip);
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "password.reset",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({
                        "link": row.purpose.as_str(),
                        "signed_out_everywhere": true,
                        "was_required": user.password_reset_required_at.is_some(),
                    }),
                },
            )?;
            super::mail::enqueue(
                conn,
                &mail,
                now,
                &ctx,
                &user.id,
                MailKind::PasswordChanged { reset: true },
            )?;
            Ok(SetWithLink::Done { device })
        })
        .await?;
    if matches!(outcome, SetWithLink::Done { .. }) {
        state.mail_wakeup.notify_one();
    }
    Ok(outcome)
}

/// How confirming a sign-up's address ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Confirmed {
    Done {
        account: String,
    },
    /// Not the password chosen at sign-up (the link stays usable).
    WrongPassword {
        account: String,
    },
    Throttled {
        wait_seconds: i64,
    },
    Refused(LinkState),
}

/// Confirms a sign-up's address with its mailed link (one use) **and the password chosen at
/// sign-up**: the mailbox and the password must belong to one person, or whoever signed up
/// with someone else's address could wait for its owner to confirm it and then sign in. The
/// password counts against the address's and the account's allowances like a sign-in. The
/// account may sign in and add factors from now on. Audited `email.confirmed`.
#[tracing::instrument(skip_all)]
pub async fn confirm_email(
    state: &AppState,
    ip: Option<String>,
    token: String,
    password: String,
) -> Result<Confirmed, Error> {
    const ACCEPTED: &[LinkPurpose] = &[LinkPurpose::EmailConfirm];
    let now = naive(state.clock.now());
    let account = match inspect(state, token.clone(), ACCEPTED).await? {
        LinkState::Valid { account, .. } => account,
        other => return Ok(Confirmed::Refused(other)),
    };
    let addr = ip.clone().unwrap_or_default();
    let reserved = {
        let (token, addr) = (token.clone(), addr.clone());
        state
            .db
            .write(move |conn| {
                let Some(row) = find_link(conn, &token, ACCEPTED)? else {
                    return Ok::<_, Error>(Err(Confirmed::Refused(LinkState::Invalid)));
                };
                let user = super::users::load(conn, &row.user_id)?;
                if let Some(wait) = sessions::reserve_attempt(conn, now, &addr)? {
                    return Ok(Err(Confirmed::Throttled { wait_seconds: wait }));
                }
                match password_guard::reserve(conn, now, &user.email_normalized, false)? {
                    Attempt::Paused { wait_seconds } => {
                        Ok(Err(Confirmed::Throttled { wait_seconds }))
                    }
                    Attempt::Counted { during_pause } => Ok(Ok((user, during_pause))),
                }
            })
            .await?
    };
    let (user, during_pause) = match reserved {
        Ok(v) => v,
        Err(outcome) => return Ok(outcome),
    };
    if !super::passwords::verify(state, user.password_hash.clone(), password).await? {
        return Ok(Confirmed::WrongPassword { account });
    }
    state
        .db
        .write(move |conn| {
            let row = match take_link(conn, now, &token, ACCEPTED)? {
                Ok(row) => row,
                Err(link) => return Ok::<_, Error>(Confirmed::Refused(link)),
            };
            sessions::release_attempt(conn, &addr)?;
            password_guard::release(conn, &user.email_normalized, during_pause)?;
            diesel::update(
                users::table
                    .find(&row.user_id)
                    .filter(users::email_verified_at.is_null()),
            )
            .set(users::email_verified_at.eq(Some(now)))
            .execute(conn)?;
            let ctx = RequestContext::new(Actor::User(row.user_id.clone()), ip);
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "email.confirmed",
                    ctx: &ctx,
                    user_id: Some(&row.user_id),
                    factor_id: None,
                    details: serde_json::json!({}),
                },
            )?;
            Ok(Confirmed::Done { account })
        })
        .await
}

/// Sign-ups that never confirmed their address are removed once their link has expired (with
/// a margin): nobody can hold an address they do not own, and their mails stop.
pub fn sweep_unconfirmed(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        users::table
            .filter(users::created_via.eq("signup"))
            .filter(users::email_verified_at.is_null())
            .filter(users::created_at.le(now - Duration::hours(CONFIRM_HOURS + 1))),
    )
    .execute(conn)
}

/// At most this many confirmation mails per account within its link's life, at least
/// `RESEND_MINUTES` apart: a sign-in with the right password must not become a way to flood
/// an inbox.
pub const MAX_CONFIRMATION_MAILS: i64 = 3;
pub const RESEND_MINUTES: i64 = 10;

/// How many mails of `kind` went to `user_id` since `since`, and the newest one's time.
fn mails_since(
    conn: &mut DbConnection,
    user_id: &str,
    kind: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    let times: Vec<NaiveDateTime> = mail_outbox::table
        .filter(mail_outbox::user_id.eq(user_id))
        .filter(mail_outbox::kind.eq(kind))
        .filter(mail_outbox::created_at.gt(since))
        .select(mail_outbox::created_at)
        .load(conn)?;
    Ok((times.len() as i64, times.into_iter().max()))
}

/// Mails a new confirmation link to a sign-up that has not used theirs (at most
/// `MAX_CONFIRMATION_MAILS` in a link's life, `RESEND_MINUTES` apart). In the caller's
/// transaction; `true` when a mail was written.
pub fn resend_confirmation(
    conn: &mut DbConnection,
    state_mail: &super::mail::MailSettings,
    base_url: &str,
    now: NaiveDateTime,
    ctx: &RequestContext,
    user_id: &str,
) -> Result<bool, Error> {
    let (sent, newest) = mails_since(
        conn,
        user_id,
        "confirm_email",
        now - Duration::hours(CONFIRM_HOURS),
    )?;
    if sent >= MAX_CONFIRMATION_MAILS
        || newest.is_some_and(|t| t + Duration::minutes(RESEND_MINUTES) > now)
    {
        return Ok(false);
    }
    let url = issue_link(conn, base_url, now, user_id, LinkPurpose::EmailConfirm)?;
    super::mail::enqueue(
        conn,
        state_mail,
        now,
        ctx,
        user_id,
        MailKind::ConfirmEmail {
            url,
            hours: CONFIRM_HOURS,
        },
    )?;
    Ok(true)
}

/// How a sign-up ended. The page says the same whether the address had an account or not.
#[derive(Debug, PartialEq, Eq)]
pub enum SignUp {
    /// "Check your inbox": a confirmation link went to a new account, or a "you already have
    /// an account" notice to an existing one.
    CheckInbox,
    /// The email or password is not acceptable (said next to the field).
    Invalid {
        email: Option<String>,
        password: Option<String>,
    },
    Throttled {
        wait_seconds: i64,
    },
}

/// Open registration: a new customer account that must confirm its address before it can sign
/// in and add factors. An address that has an account (also a lookalike of one: addresses are
/// compared normalised) gets a notice instead, at most one an hour, and the visitor sees the
/// same page either way, so the form tells nobody which addresses have accounts.
#[tracing::instrument(skip_all)]
pub async fn sign_up(
    state: &AppState,
    ctx: RequestContext,
    email: &str,
    password: String,
) -> Result<SignUp, Error> {
    let ip = ctx.ip.clone().unwrap_or_default();
    let now = naive(state.clock.now());
    // Every sign-up counts against the address, like a failed sign-in.
    let blocked = {
        let ip = ip.clone();
        state
            .db
            .write(move |conn| Ok::<_, Error>(sessions::reserve_attempt(conn, now, &ip)?))
            .await?
    };
    if let Some(wait) = blocked {
        return Ok(SignUp::Throttled { wait_seconds: wait });
    }
    let (email, password) = match (Email::parse(email), Password::parse(password)) {
        (Ok(e), Ok(p)) => (e, p),
        (e, p) => {
            return Ok(SignUp::Invalid {
                email: e.err(),
                password: p.err(),
            });
        }
    };
    let new_user = super::users::NewUser {
        email: email.clone(),
        display_name: None,
        password: Some(password),
        role: crate::domain::newtypes::Role::Customer,
        locale: None,
        via: "signup",
    };
    let mail = state.mail.clone();
    let base = state.mail.base_url.clone();
    match super::users::create_user(state, ctx.clone(), new_user).await {
        Ok(user) => {
            let ctx = RequestContext::new(Actor::User(user.id.clone()), ctx.ip.clone());
            state
                .db
                .write(move |conn| resend_confirmation(conn, &mail, &base, now, &ctx, &user.id))
                .await?;
        }
        Err(Error::Conflict(_)) => {
            let normalized = email.normalized();
            state
                .db
                .write(move |conn| {
                    let Some(user) = UserRow::find_by_email(conn, &normalized)? else {
                        return Ok::<_, Error>(());
                    };
                    // One notice an hour at most: the form must not become a way to flood
                    // someone's inbox.
                    let recent: i64 = mail_outbox::table
                        .filter(mail_outbox::user_id.eq(&user.id))
                        .filter(mail_outbox::kind.eq("signup_attempt"))
                        .filter(mail_outbox::created_at.gt(now - Duration::hours(1)))
                        .count()
                        .get_result(conn)?;
                    if recent > 0 {
                        return Ok(());
                    }
                    let ctx = RequestContext::new(Actor::System, ctx.ip.clone());
                    super::mail::enqueue(
                        conn,
                        &mail,
                        now,
                        &ctx,
                        &user.id,
                        MailKind::SignupAttempt {
                            url: format!("{base}/signin/forgot"),
                        },
                    )?;
                    Ok(())
                })
                .await?;
        }
        Err(e) => return Err(e),
    }
    state.mail_wakeup.notify_one();
    Ok(SignUp::CheckInbox)
}
