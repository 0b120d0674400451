//! The mail outbox. `enqueue` renders a security mail and writes it, with its "this wasn't me"
//! link, in the caller's transaction — so the event and its mail commit together or not at all.
//! A worker in every server claims due mail with a lease (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL), sends it outside any transaction (SMTP through lettre, or `.eml` files when no
//! SMTP server is configured), and records `email.sent` or, after the last attempt,
//! `email.failed`. Delivery is at least once: a crash after the SMTP server accepted a mail and
//! before it was marked sent sends it again when its lease ends.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{mail_outbox, report_tokens, users};
use crate::domain::clock::naive;
use crate::domain::i18n::Locale;
use crate::domain::ids::new_id;
use crate::domain::keyring::Keyring;
use crate::domain::mail::{Common, MailKind, render};
use crate::error::Error;
use crate::state::AppState;

pub use crate::domain::mail::MailSettings;

/// How long a "this wasn't me" link works.
pub const REPORT_LINK_DAYS: i64 = 7;
/// How long a worker holds a claimed mail before another may take it. The lease is renewed
/// just before each send, and a send is abandoned after `SEND_TIMEOUT`, well inside it.
const LEASE_SECONDS: i64 = 120;
const SEND_TIMEOUT: StdDuration = StdDuration::from_secs(60);
/// Mails claimed per round.
const BATCH: i64 = 10;

/// The signature of a report link: HMAC under a key derived from the master key.
pub fn report_signature(
    keyring: &Keyring,
    key_id: &str,
    token_id: &str,
    user_id: &str,
) -> Result<String, Error> {
    keyring
        .peppered_hash(
            key_id,
            crate::domain::keyring::PEPPER_REPORT_LINK,
            &[token_id.as_bytes(), user_id.as_bytes()],
        )
        .map_err(Error::internal)
}

/// Writes a security mail for `user_id` in the caller's transaction. (An address lettre cannot
/// use fails permanently at the first attempt and is audited as `email.failed`.)
pub fn enqueue(
    conn: &mut DbConnection,
    mail: &MailSettings,
    now: NaiveDateTime,
    ctx: &RequestContext,
    user_id: &str,
    kind: MailKind,
) -> Result<(), Error> {
    let (email, locale): (String, Option<String>) = users::table
        .find(user_id)
        .select((users::email, users::locale))
        .get_result(conn)?;
    let locale = locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or(mail.default_locale);
    // Only a mail that reports a change carries a "this wasn't me" link.
    let report_url = if kind.reportable() {
        let token_id = new_id("rpt");
        let key_id = mail.keyring.current_id().to_owned();
        let signature = report_signature(&mail.keyring, &key_id, &token_id, user_id)?;
        diesel::insert_into(report_tokens::table)
            .values((
                report_tokens::id.eq(&token_id),
                report_tokens::user_id.eq(user_id),
                report_tokens::key_id.eq(&key_id),
                report_tokens::mail_kind.eq(kind.name()),
                report_tokens::created_at.eq(now),
                report_tokens::expires_at.eq(now + Duration::days(REPORT_LINK_DAYS)),
            ))
            .execute(conn)?;
        // The "this wasn't me" page speaks the mail's language: a mail in another language than
        // the server's default says which (`?lang=`, see web::page); otherwise the page takes
        // the browser's choice, then the default.
        let lang = if locale == mail.default_locale {
            String::new()
        } else {
            format!("?lang={}", locale.tag())
        };
        format!(
            "{}/account/report/{token_id}.{signature}{lang}",
            mail.base_url
        )
    } else {
        String::new()
    };
    let common = Common {
        issuer: mail.issuer.clone(),
        email: email.clone(),
        when: locale.date_time(now),
        ip: ctx.ip.clone().unwrap_or_else(|| "unknown".into()),
        report_url,
        locale,
    };
    let rendered = render(&kind, &common).map_err(Error::internal)?;
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::id.eq(new_id("mail")),
            mail_outbox::user_id.eq(Some(user_id)),
            mail_outbox::kind.eq(kind.name()),
            mail_outbox::to_address.eq(&email),
            mail_outbox::subject.eq(&rendered.subject),
            mail_outbox::body_text.eq(&rendered.text),
            mail_outbox::body_html.eq(&rendered.html),
            mail_outbox::status.eq("pending"),
            mail_outbox::attempts.eq(0),
            mail_outbox::next_attempt_at.eq(now),
            mail_outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A mail a worker holds.
#[derive(Debug, Clone, Queryable)]
pub struct Claimed {
    pub claim_token: Option<String>,
    pub id: String,
    pub user_id: Option<String>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i32,
}

/// Takes up to `BATCH` due mails for this worker.
pub fn claim(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<Claimed>> {
    let due = mail_outbox::table
        .filter(mail_outbox::status.eq("pending"))
        .filter(mail_outbox::next_attempt_at.le(now))
        .filter(
            mail_outbox::lease_until
                .is_null()
                .or(mail_outbox::lease_until.lt(now)),
        )
        .order(mail_outbox::next_attempt_at)
        .limit(BATCH)
        .select(mail_outbox::id);
    let ids: Vec<String> = match conn {
        // Rows another instance is claiming right now are skipped, not waited for.
        DbConnection::Postgres(pg) => due.for_update().skip_locked().load(pg)?,
        DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let token = new_id("claim");
    diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
        .set((
            mail_outbox::lease_until.eq(now + Duration::seconds(LEASE_SECONDS)),
            mail_outbox::claim_token.eq(&token),
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
        ))
        .execute(conn)?;
    mail_outbox::table
        .filter(mail_outbox::id.eq_any(&ids))
        .select((
            mail_outbox::claim_token,
            mail_outbox::id,
            mail_outbox::user_id,
            mail_outbox::kind,
            mail_outbox::to_address,
            mail_outbox::subject,
            mail_outbox::body_text,
            mail_outbox::body_html,
            mail_outbox::attempts,
        ))
        .load(conn)
}

/// The wait before attempt `attempts + 1`: `base`, doubling, at most an hour.
pub fn backoff(base_seconds: i64, attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    Duration::seconds(base_seconds.saturating_mul(1_i64 << exp).min(3600))
}

/// Renews this worker's lease on a mail just before sending it; false when the lease was lost
/// (another worker holds the mail now, or it is no longer pending).
pub fn renew_lease(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    mail: &Claimed,
) -> QueryResult<bool> {
    let n = diesel::update(
        mail_outbox::table
            .filter(mail_outbox::id.eq(&mail.id))
            .filter(mail_outbox::claim_token.eq(&mail.claim_token))
            .filter(mail_outbox::status.eq("pending")),
    )
    .set(mail_outbox::lease_until.eq(now + Duration::seconds(LEASE_SECONDS)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Why an attempt failed, and whether retrying can help (an SMTP 5xx, an unusable address).
#[derive(Debug, Clone)]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

/// What a sent mail that carried a single-use link keeps of its text in the outbox.
pub const SENT_LINK_PLACEHOLDER: &str = "[a single-use link was sent; the text is not kept]";

/// Mail kinds whose text carries a live single-use link (password reset, set password, email
/// confirmation): once sent, their text is dropped from the outbox. A mail that failed keeps
/// it, so it can still be retried (`keyward mail retry`).
pub fn carries_single_use_link(kind: &str) -> bool {
    matches!(kind, "password_reset" | "set_password" | "confirm_email")
}

/// Records the outcome of one attempt, if this worker still holds the mail. A sent mail of a
/// kind that [carries a single-use link](carries_single_use_link) loses its text.
pub fn record_attempt(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    mail: &Claimed,
    result: Result<(), SendError>,
    max_attempts: i32,
    retry_base_seconds: i64,
) -> Result<(), Error> {
    let ctx = RequestContext::system();
    let mine = mail_outbox::table
        .filter(mail_outbox::id.eq(&mail.id))
        .filter(mail_outbox::claim_token.eq(&mail.claim_token));
    match result {
        Ok(()) => {
            let sent = (
                mail_outbox::status.eq("sent"),
                mail_outbox::sent_at.eq(now),
                mail_outbox::lease_until.eq(None::<NaiveDateTime>),
                mail_outbox::last_error.eq(None::<String>),
            );
            // A sent single-use link is not kept in the outbox (kept 30 days): the same
            // UPDATE replaces its text by a placeholder.
            let held = if carries_single_use_link(&mail.kind) {
                diesel::update(mine)
                    .set((
                        sent,
                        mail_outbox::body_text.eq(SENT_LINK_PLACEHOLDER),
                        mail_outbox::body_html.eq(SENT_LINK_PLACEHOLDER),
                    ))
                    .execute(conn)?
            } else {
                diesel::update(mine).set(sent).execute(conn)?
            };
            if held != 1 {
                // Another worker holds this mail now: it records the outcome.
                return Ok(());
            }
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "email.sent",
                    ctx: &ctx,
                    user_id: mail.user_id.as_deref(),
                    factor_id: None,
                    details: serde_json::json!({ "mail_id": mail.id, "kind": mail.kind, "attempts": mail.attempts }),
                },
            )?;
        }
        Err(e) => {
            let why: String = e.message.chars().take(500).collect();
            let gave_up = e.permanent || mail.attempts >= max_attempts;
            let held = diesel::update(mine)
                .set((
                    mail_outbox::status.eq(if gave_up { "failed" } else { "pending" }),
                    mail_outbox::next_attempt_at
                        .eq(now + backoff(retry_base_seconds, mail.attempts)),
                    mail_outbox::lease_until.eq(None::<NaiveDateTime>),
                    mail_outbox::last_error.eq(&why),
                ))
                .execute(conn)?;
            if gave_up && held == 1 {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "email.failed",
                        ctx: &ctx,
                        user_id: mail.user_id.as_deref(),
                        factor_id: None,
                        details: serde_json::json!({
                            "mail_id": mail.id,
                            "kind": mail.kind,
                            "attempts": mail.attempts,
                            "permanent": e.permanent,
                            "error": why,
                        }),
                    },
                )?;
            }
        }
    }
    Ok(())
}

/// Where mail goes.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a directory (the embedded default).
    Files(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.mail.smtp_url {
            Some(url) => {
                let transport: AsyncSmtpTransport<Tokio1Executor> =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                        .map_err(|e| anyhow::anyhow!("KEYWARD_SMTP_URL: {e}"))?
                        .timeout(Some(StdDuration::from_secs(20)))
                        .build();
                Ok(Self::Smtp(transport))
            }
            None => {
                let dir = settings.database.data_dir.join("mail");
                std::fs::create_dir_all(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the mail directory {}: {e}", dir.display())
                })?;
                Ok(Self::Files(AsyncFileTransport::new(&dir), dir))
            }
        }
    }

    async fn send(&self, message: Message) -> Result<(), SendError> {
        let sent = match self {
            Self::Smtp(t) => tokio::time::timeout(SEND_TIMEOUT, t.send(message))
                .await
                .map(|r| {
                    r.map(|_| ()).map_err(|e| SendError {
                        permanent: e.is_permanent(),
                        message: e.to_string(),
                    })
                }),
            Self::Files(t, _) => tokio::time::timeout(SEND_TIMEOUT, t.send(message))
                .await
                .map(|r| {
                    r.map(|_| ()).map_err(|e| SendError {
                        permanent: false,
                        message: e.to_string(),
                    })
                }),
        };
        sent.unwrap_or_else(|_| {
            Err(SendError {
                message: format!("no answer within {} seconds", SEND_TIMEOUT.as_secs()),
                permanent: false,
            })
        })
    }
}

fn build_message(from: &Mailbox, mail: &Claimed, host: &str) -> Result<Message, SendError> {
    let permanent = |message: String| SendError {
        message,
        permanent: true,
    };
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|e| permanent(format!("the recipient address is not usable: {e}")))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{host}>", mail.id)))
        .multipart(MultiPart::alternative_plain_html(
            mail.body_text.clone(),
            mail.body_html.clone(),
        ))
        .map_err(|e| permanent(format!("the message cannot be built: {e}")))
}

/// Sends due mail until the process ends: woken by new mail in this process, and every second
/// for mail written by other instances and for retries.
pub async fn run_worker(state: AppState) {
    let from: Mailbox = match state.settings.mail_from() {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "KEYWARD_MAIL_FROM is not a mail address; mail is not sent");
            return;
        }
    };
    let transport = match Transport::from_settings(&state.settings) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "mail transport; mail is not sent");
            return;
        }
    };
    let host = state
        .settings
        .server
        .base_url
        .host_str()
        .unwrap_or("localhost")
        .to_owned();
    loop {
        match send_due(&state, &transport, &from, &host).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail worker round failed"),
        }
        tokio::select! {
            _ = state.mail_wakeup.notified() => {}
            _ = tokio::time::sleep(StdDuration::from_secs(1)) => {}
        }
    }
}

/// One round: claim, send, record. Returns how many mails were attempted.
#[tracing::instrument(skip_all)]
pub async fn send_due(
    state: &AppState,
    transport: &Transport,
    from: &Mailbox,
    host: &str,
) -> Result<usize, Error> {
    let now = naive(state.clock.now());
    let batch = state
        .db
        .write(move |conn| Ok::<_, Error>(claim(conn, now)?))
        .await?;
    let n = batch.len();
    for mail in batch {
        // The lease covers one send: renew it now, and skip the mail if another worker has it.
        let renewed = {
            let (mail, at) = (mail.clone(), naive(state.clock.now()));
            state
                .db
                .write(move |conn| Ok::<_, Error>(renew_lease(conn, at, &mail)?))
                .await?
        };
        if !renewed {
            continue;
        }
        let result = match build_message(from, &mail, host) {
            Ok(message) => transport.send(message).await,
            Err(e) => Err(e),
        };
        match (&result, transport) {
            (Ok(()), Transport::Files(_, dir)) => tracing::info!(
                mail_id = %mail.id, kind = %mail.kind, dir = %dir.display(),
                "mail written as an .eml file (no KEYWARD_SMTP_URL)"
            ),
            (Ok(()), Transport::Smtp(_)) => {
                tracing::info!(mail_id = %mail.id, kind = %mail.kind, "mail sent")
            }
            (Err(e), _) => tracing::warn!(
                mail_id = %mail.id, kind = %mail.kind, attempt = mail.attempts,
                permanent = e.permanent, error = %e.message,
                "mail not sent"
            ),
        }
        let (max, base) = (
            state.settings.mail.max_attempts,
            state.settings.mail.retry_seconds,
        );
        // The outcome must be recorded, or the mail goes out again when its lease ends:
        // a failing write is retried a few times before giving up on this round.
        for attempt in 0..5u32 {
            let (held, result, done) = (mail.clone(), result.clone(), naive(state.clock.now()));
            match state
                .db
                .write(move |conn| record_attempt(conn, done, &held, result, max, base))
                .await
            {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!(mail_id = %mail.id, error = %e, "recording a mail attempt failed");
                    tokio::time::sleep(StdDuration::from_millis(200 << attempt)).await;
                }
            }
        }
    }
    Ok(n)
}

/// Counts by status, for `keyward mail status`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub pending: i64,
    pub failed: i64,
    pub sent: i64,
}

pub fn status(conn: &mut DbConnection) -> QueryResult<Status> {
    let count = |conn: &mut DbConnection, s: &str| -> QueryResult<i64> {
        mail_outbox::table
            .filter(mail_outbox::status.eq(s))
            .count()
            .get_result(conn)
    };
    Ok(Status {
        pending: count(conn, "pending")?,
        failed: count(conn, "failed")?,
        sent: count(conn, "sent")?,
    })
}

/// Puts failed mail back in the queue with fresh attempts; returns how many.
pub fn retry_failed(conn: &mut DbConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(mail_outbox::table.filter(mail_outbox::status.eq("failed")))
        .set((
            mail_outbox::status.eq("pending"),
            mail_outbox::attempts.eq(0),
            mail_outbox::next_attempt_at.eq(naive(now)),
            mail_outbox::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_bounded() {
        assert_eq!(backoff(30, 1), Duration::seconds(30));
        assert_eq!(backoff(30, 2), Duration::seconds(60));
        assert_eq!(backoff(30, 3), Duration::seconds(120));
        assert_eq!(backoff(30, 30), Duration::seconds(3600));
        assert_eq!(backoff(1, 0), Duration::seconds(1));
    }
}
