//! The OpenID Provider (API.md, "Hand-off to Keyward's pages"): a control panel sends the
//! browser here for the second step, enrollment or the security settings, and gets it back with
//! a single-use code that it exchanges for a signed ID token.
//!
//! Two ways in: a **hand-off** (a signed request object from a client trusted to vouch for the
//! first factor, naming the user), or a **sign-in at Keyward** (email and password). Either way
//! the browser gets a portal session tied to the authorization (`sessions.oidc_authorization`),
//! so the portal's own pages run the steps, and `resume` sends it back once the step is done.
//! Everything lives in the database: any instance serves any step.

mod authorize;
pub mod clients;
mod request;
pub mod signing;
mod token;

pub use self::authorize::{AuthorizeParams, Authorized, Refusal, authorize, with_query};
use self::authorize::{error_url, refuse};
pub use self::token::{KeywardClaims, OAuthError, TokenAnswer, TokenForm, exchange, userinfo};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use self::clients::ClientRow;
use crate::db::DbConnection;
use crate::db::models::{FactorRow, UserRow};
use crate::db::schema::{
    oidc_authorizations, oidc_clients, oidc_request_ids, oidc_tokens, sessions, users,
};
use crate::domain::clock::naive;
use crate::domain::newtypes::FactorKind;
use crate::error::Error;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::sessions::{Handoff, Stage, hash_token, random_token};
use crate::services::{Actor, RequestContext, compliance};
use crate::state::AppState;

/// How long an authorization may take (the pages, the second step, enrollment).
pub const AUTHORIZATION_MINUTES: i64 = 30;
/// How long a code lives (API.md: 60 seconds).
pub const CODE_SECONDS: i64 = 60;
/// How long an access token lives.
pub const ACCESS_TOKEN_MINUTES: i64 = 10;
/// How far ahead a request object may expire, and how fresh `auth_time` must be to enroll
/// without a second factor.
pub const REQUEST_OBJECT_MINUTES: i64 = 10;
pub const FRESH_AUTH_MINUTES: i64 = 10;

/// The issuer: `KEYWARD_BASE_URL` without a trailing slash.
pub fn issuer(state: &AppState) -> String {
    state
        .settings
        .server
        .base_url
        .as_str()
        .trim_end_matches('/')
        .to_owned()
}

/// Records a request object's `jti` for its client; `0` when it was seen before (a replay).
fn remember_jti(
    conn: &mut DbConnection,
    client_id: &str,
    jti: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    use diesel::sql_types::{Text, Timestamp};
    match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(
            "INSERT INTO oidc_request_ids (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind::<Text, _>(client_id)
        .bind::<Text, _>(jti)
        .bind::<Timestamp, _>(expires_at)
        .execute(pg),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "INSERT OR IGNORE INTO oidc_request_ids (client_id, jti, expires_at) VALUES (?, ?, ?)",
        )
        .bind::<Text, _>(client_id)
        .bind::<Text, _>(jti)
        .bind::<Timestamp, _>(expires_at)
        .execute(sqlite),
    }
}

fn has_hardware_factor(conn: &mut DbConnection, user_id: &str) -> QueryResult<bool> {
    Ok(FactorRow::active_for_user(conn, user_id)?
        .iter()
        .any(|f| matches!(f.kind, FactorKind::YubikeyOtp | FactorKind::Webauthn)))
}

fn locked_out(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    use crate::db::schema::throttles;
    let until: Option<Option<NaiveDateTime>> = throttles::table
        .find(user_id)
        .select(throttles::locked_until)
        .get_result(conn)
        .optional()?;
    Ok(until.flatten().is_some_and(|u| u > now))
}

/// The hand-off a session serves, for its pages (`None` once it is over).
pub fn handoff_of(
    conn: &mut DbConnection,
    authorization_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Handoff>> {
    let row: Option<(String, String, bool, Option<String>)> = oidc_authorizations::table
        .inner_join(oidc_clients::table)
        .filter(oidc_authorizations::id.eq(authorization_id))
        .filter(oidc_authorizations::finished_at.is_null())
        .filter(oidc_authorizations::expires_at.gt(now))
        .select((
            oidc_clients::name,
            oidc_authorizations::action,
            oidc_authorizations::hardware,
            oidc_authorizations::ui_locales,
        ))
        .get_result(conn)
        .optional()?;
    Ok(
        row.map(|(client_name, action, hardware, ui_locales)| Handoff {
            authorization_id: authorization_id.to_owned(),
            client_name,
            action,
            hardware,
            ui_locales,
        }),
    )
}

/// The client's name for a sign-in page the browser reached through way 2 (its cookie), with
/// the languages it asked for (`ui_locales`).
pub async fn signin_for(
    state: &AppState,
    browser_token: String,
) -> Result<Option<(String, Option<String>)>, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let name: Option<(String, Option<String>)> = oidc_authorizations::table
                .inner_join(oidc_clients::table)
                .filter(oidc_authorizations::browser_hash.eq(hash_token(&browser_token)))
                .filter(oidc_authorizations::user_id.is_null())
                .filter(oidc_authorizations::finished_at.is_null())
                .filter(oidc_authorizations::expires_at.gt(now))
                .select((oidc_clients::name, oidc_authorizations::ui_locales))
                .get_result(conn)
                .optional()?;
            Ok::<_, Error>(name)
        })
        .await
}

/// After the password at Keyward's sign-in (way 2): ties the new session to the authorization
/// the browser's cookie names, and records that Keyward checked the password. `false` when the
/// cookie names nothing usable (the sign-in then goes on as a plain portal sign-in).
pub async fn bind_signin(
    state: &AppState,
    ip: Option<String>,
    browser_token: String,
    session_token: String,
) -> Result<bool, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let hash = hash_token(&session_token);
            let user_id: Option<String> = sessions::table
                .find(&hash)
                .select(sessions::user_id)
                .get_result(conn)
                .optional()?;
            let Some(user_id) = user_id else {
                return Ok::<_, Error>(false);
            };
            let row: Option<(String, String, String, bool)> = oidc_authorizations::table
                .filter(oidc_authorizations::browser_hash.eq(hash_token(&browser_token)))
                .filter(oidc_authorizations::user_id.is_null())
                .filter(oidc_authorizations::finished_at.is_null())
                .filter(oidc_authorizations::expires_at.gt(now))
                .select((
                    oidc_authorizations::id,
                    oidc_authorizations::client_id,
                    oidc_authorizations::action,
                    oidc_authorizations::hardware,
                ))
                .get_result(conn)
                .optional()?;
            let Some((id, client_id, action, hardware)) = row else {
                return Ok(false);
            };
            diesel::update(oidc_authorizations::table.find(&id))
                .set((
                    oidc_authorizations::user_id.eq(Some(&user_id)),
                    oidc_authorizations::password_checked.eq(true),
                    oidc_authorizations::auth_time.eq(Some(now)),
                    // The cookie has done its work.
                    oidc_authorizations::browser_hash.eq(None::<String>),
                ))
                .execute(conn)?;
            diesel::update(sessions::table.find(&hash))
                .set(sessions::oidc_authorization.eq(Some(&id)))
                .execute(conn)?;
            let ctx = RequestContext::new(Actor::User(user_id.clone()), ip);
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "oidc.authorize",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": client_id,
                        "action": action,
                        "way": "signin",
                        "first_factor": "password",
                        "hardware": hardware,
                    }),
                },
            )?;
            Ok(true)
        })
        .await
}

/// The second step of a hand-off passed with `method`. The new session (`session_token`) may
/// change factors for the next 10 minutes: a hand-off's user proved the first factor to the
/// client and the second here, and may have no Keyward password to enter sudo mode with.
pub async fn record_second_step(
    state: &AppState,
    authorization_id: String,
    method: String,
    session_token: String,
) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            diesel::update(oidc_authorizations::table.find(&authorization_id))
                .set(oidc_authorizations::method.eq(Some(&method)))
                .execute(conn)?;
            crate::services::sessions::grant_sudo(conn, &hash_token(&session_token), now)?;
            Ok::<_, Error>(())
        })
        .await
}

/// A factor of `kind` was added during the hand-off (the user proved it by using it).
pub async fn record_enrolled(
    state: &AppState,
    authorization_id: String,
    kind: FactorKind,
) -> Result<(), Error> {
    state
        .db
        .write(move |conn| {
            diesel::update(oidc_authorizations::table.find(&authorization_id))
                .set(oidc_authorizations::enrolled.eq(true))
                .execute(conn)?;
            diesel::update(
                oidc_authorizations::table
                    .find(&authorization_id)
                    .filter(oidc_authorizations::method.is_null()),
            )
            .set(oidc_authorizations::method.eq(Some(kind.as_str())))
            .execute(conn)?;
            Ok::<_, Error>(())
        })
        .await
}

/// Where a hand-off's browser goes next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// One of Keyward's pages.
    Page(&'static str),
    /// Back to the client (a code, or an error), named for the page that says so.
    Client { url: String, client: String },
    /// The hand-off is over or took too long: nothing to go back to.
    Gone,
}

struct AuthzRow {
    id: String,
    client_id: String,
    client_name: String,
    user_id: Option<String>,
    way: String,
    action: String,
    redirect_uri: String,
    state: Option<String>,
    hardware: bool,
    method: Option<String>,
    enrolled: bool,
    expires_at: NaiveDateTime,
    finished_at: Option<NaiveDateTime>,
}

fn load_authz(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AuthzRow>> {
    type Row = (
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        bool,
        Option<String>,
        bool,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
    );
    let row: Option<Row> = oidc_authorizations::table
        .inner_join(oidc_clients::table)
        .filter(oidc_authorizations::id.eq(id))
        .select((
            oidc_authorizations::id,
            oidc_authorizations::client_id,
            oidc_authorizations::user_id,
            oidc_authorizations::way,
            oidc_authorizations::action,
            oidc_authorizations::redirect_uri,
            oidc_authorizations::state,
            oidc_authorizations::hardware,
            oidc_authorizations::method,
            oidc_authorizations::enrolled,
            oidc_authorizations::expires_at,
            oidc_authorizations::finished_at,
            oidc_clients::name,
        ))
        .get_result(conn)
        .optional()?;
    Ok(row.map(|r| AuthzRow {
        client_name: r.12,
        id: r.0,
        client_id: r.1,
        user_id: r.2,
        way: r.3,
        action: r.4,
        redirect_uri: r.5,
        state: r.6,
        hardware: r.7,
        method: r.8,
        enrolled: r.9,
        expires_at: r.10,
        finished_at: r.11,
    }))
}

fn is_hardware(method: Option<&str>) -> bool {
    matches!(method, Some("yubikey_otp") | Some("webauthn"))
}

/// Continues a hand-off from a session of `stage` (`done`: the user pressed "Back to …" on the
/// settings page): to the page the action still needs, or back to the client with a code.
#[tracing::instrument(skip_all)]
pub async fn resume(
    state: &AppState,
    ip: Option<String>,
    session_hash: String,
    authorization_id: String,
    stage: Stage,
    done: bool,
) -> Result<Next, Error> {
    let now = naive(state.clock.now());
    let issuer = issuer(state);
    state
        .db
        .write(move |conn| {
            let Some(a) = load_authz(conn, &authorization_id)? else {
                return Ok::<_, Error>(Next::Gone);
            };
            if a.finished_at.is_some() {
                return Ok(Next::Gone);
            }
            let Some(user_id) = a.user_id.clone() else {
                return Ok(Next::Gone);
            };
            let back = |conn: &mut DbConnection, r: Refusal| -> Result<Next, Error> {
                finish(conn, &a.id, now)?;
                end_handoff_session(conn, &a, &session_hash)?;
                let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "oidc.refused",
                        ctx: &ctx,
                        user_id: Some(&user_id),
                        factor_id: None,
                        details: serde_json::json!({ "client_id": a.client_id, "error": r.error, "reason": r.description }),
                    },
                )?;
                Ok(Next::Client {
                    url: error_url(&issuer, &a.redirect_uri, a.state.as_deref(), &r),
                    client: a.client_name.clone(),
                })
            };
            if a.expires_at <= now {
                return back(conn, refuse("access_denied", "the hand-off took too long: start again"));
            }
            if stage == Stage::SecondStep {
                if locked_out(conn, &user_id, now)? {
                    return back(conn, refuse("access_denied", "too_many_attempts"));
                }
                if a.hardware && !has_hardware_factor(conn, &user_id)? && a.action != "enroll" {
                    return back(conn, refuse("access_denied", "acr_not_met"));
                }
            }
            let complete = match (a.action.as_str(), stage) {
                ("verify", Stage::Full) => true,
                ("verify", Stage::SecondStep) => return Ok(Next::Page("/signin/verify")),
                ("verify", Stage::Enroll) => a.enrolled,
                ("enroll", Stage::SecondStep) => return Ok(Next::Page("/signin/verify")),
                ("enroll", _) => a.enrolled,
                ("manage", Stage::SecondStep) => return Ok(Next::Page("/signin/verify")),
                ("manage", Stage::Full) => done,
                ("manage", Stage::Enroll) => a.enrolled && done,
                _ => false,
            };
            if !complete {
                return Ok(Next::Page(match (a.action.as_str(), stage) {
                    ("manage", Stage::Full) => "/settings",
                    _ => "/settings/add",
                }));
            }
            if a.action == "verify" && a.method.is_none() {
                return back(conn, refuse("access_denied", "no_second_factor"));
            }
            // No weaker fallback: a step-up asked for hardware gets hardware or nothing.
            if a.hardware && !is_hardware(a.method.as_deref()) {
                return back(conn, refuse("access_denied", "acr_not_met"));
            }
            let code = random_token();
            let took = diesel::update(
                oidc_authorizations::table
                    .find(&a.id)
                    .filter(oidc_authorizations::finished_at.is_null()),
            )
            .set((
                oidc_authorizations::code_hash.eq(Some(hash_token(&code))),
                oidc_authorizations::code_expires_at.eq(Some(now + Duration::seconds(CODE_SECONDS))),
                oidc_authorizations::finished_at.eq(Some(now)),
                oidc_authorizations::auth_time.eq(Some(now)),
            ))
            .execute(conn)?;
            if took != 1 {
                return Ok(Next::Gone);
            }
            end_handoff_session(conn, &a, &session_hash)?;
            let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "oidc.code_issued",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": a.client_id,
                        "action": a.action,
                        "method": a.method,
                    }),
                },
            )?;
            let mut params = vec![("code", code.as_str())];
            if let Some(s) = a.state.as_deref() {
                params.push(("state", s));
            }
            params.push(("iss", issuer.as_str()));
            Ok(Next::Client {
                url: with_query(&a.redirect_uri, &params),
                client: a.client_name.clone(),
            })
        })
        .await
}

fn finish(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(oidc_authorizations::table.find(id))
        .set(oidc_authorizations::finished_at.eq(Some(now)))
        .execute(conn)
}

/// A hand-off's session ends with it (the client is the application; Keyward's session was
/// only for the step). A session from Keyward's own sign-in stays, without the hand-off.
fn end_handoff_session(
    conn: &mut DbConnection,
    a: &AuthzRow,
    session_hash: &str,
) -> QueryResult<()> {
    if a.way == "handoff" {
        diesel::delete(sessions::table.filter(sessions::oidc_authorization.eq(&a.id)))
            .execute(conn)?;
    } else {
        diesel::update(sessions::table.find(session_hash))
            .set(sessions::oidc_authorization.eq(None::<String>))
            .execute(conn)?;
    }
    Ok(())
}

/// "Cancel and return to …": back to the client with `access_denied`.
pub async fn cancel(
    state: &AppState,
    ip: Option<String>,
    session_hash: Option<String>,
    authorization_id: Option<String>,
    browser_token: Option<String>,
) -> Result<Next, Error> {
    let now = naive(state.clock.now());
    let issuer = issuer(state);
    state
        .db
        .write(move |conn| {
            let id = match (authorization_id, browser_token) {
                (Some(id), _) => Some(id),
                (None, Some(b)) => oidc_authorizations::table
                    .filter(oidc_authorizations::browser_hash.eq(hash_token(&b)))
                    .select(oidc_authorizations::id)
                    .get_result::<String>(conn)
                    .optional()?,
                _ => None,
            };
            let Some(a) = id.map(|id| load_authz(conn, &id)).transpose()?.flatten() else {
                return Ok::<_, Error>(Next::Gone);
            };
            if a.finished_at.is_some() {
                return Ok(Next::Gone);
            }
            finish(conn, &a.id, now)?;
            if let Some(h) = session_hash.as_deref() {
                end_handoff_session(conn, &a, h)?;
            }
            if let Some(uid) = a.user_id.as_deref() {
                let ctx = RequestContext::new(Actor::User(uid.to_owned()), ip);
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "oidc.refused",
                        ctx: &ctx,
                        user_id: Some(uid),
                        factor_id: None,
                        details: serde_json::json!({ "client_id": a.client_id, "error": "access_denied", "reason": "cancelled" }),
                    },
                )?;
            }
            let r = refuse("access_denied", "the user cancelled");
            Ok(Next::Client {
                    url: error_url(&issuer, &a.redirect_uri, a.state.as_deref(), &r),
                    client: a.client_name.clone(),
                })
        })
        .await
}

/// Removes authorizations, request ids and tokens that can no longer be used.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let ids = diesel::delete(oidc_request_ids::table.filter(oidc_request_ids::expires_at.le(now)))
        .execute(conn)?;
    let tokens = diesel::delete(
        oidc_tokens::table.filter(oidc_tokens::expires_at.le(now - Duration::hours(1))),
    )
    .execute(conn)?;
    // An authorization is kept an hour past its end, so a code used again is still recognised.
    let authz = diesel::delete(
        oidc_authorizations::table
            .filter(oidc_authorizations::expires_at.le(now - Duration::hours(1))),
    )
    .execute(conn)?;
    Ok(ids + tokens + authz)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_urls_keep_the_query_and_carry_state_and_iss() {
        let u = error_url(
            "https://2fa.example.com",
            "https://panel.example.com/cb?tenant=7",
            Some("xyz"),
            &refuse("access_denied", "acr_not_met"),
        );
        assert_eq!(
            u,
            "https://panel.example.com/cb?tenant=7&error=access_denied&error_description=acr_not_met&state=xyz&iss=https%3A%2F%2F2fa.example.com"
        );
    }
}
