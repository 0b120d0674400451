//! API keys: creation, listing and revocation (CLI and API), and authentication of a bearer
//! token.
//!
//! Every request looks its key up in the database (no cache in the process), so a revoked or
//! expired key answers `401` at once on every instance. `last_used_at` is coarse: it is written
//! only when the stored value is older than [`LAST_USED_GRANULARITY_SECONDS`], by a conditional
//! `UPDATE` that at most one request per key and interval gets to run.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::models::ApiKeyRow;
use crate::db::schema::api_keys;
use crate::db::{DbConnection, DbError};
use crate::domain::api_key::{Scope, generate_token, token_hash};
use crate::domain::clock::{naive, rfc3339};
use crate::domain::ids::new_id;
use crate::error::Error;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::state::AppState;

/// How stale `last_used_at` may be: it is rewritten at most once per key in this interval.
pub const LAST_USED_GRANULARITY_SECONDS: i64 = 300;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct ApiPrincipal {
    pub key_id: String,
    pub name: String,
    pub scope: Scope,
}

/// A key as `keyward apikey list` and `GET /api/v1/apikeys` show it: never the token or its hash.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ApiKeyInfo {
    pub id: String,
    pub name: String,
    pub scope: Scope,
    pub created_at: String,
    /// Accurate to five minutes: a key used more often is recorded once per five minutes.
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiKeyRow> for ApiKeyInfo {
    fn from(row: ApiKeyRow) -> Self {
        Self {
            // A scope the migrations' CHECK allows always parses; the ladder's lowest is the
            // safe reading of anything else.
            scope: Scope::parse(&row.scope).unwrap_or(Scope::Integration),
            id: row.id,
            name: row.name,
            created_at: rfc3339(row.created_at),
            last_used_at: row.last_used_at.map(rfc3339),
            expires_at: row.expires_at.map(rfc3339),
            revoked_at: row.revoked_at.map(rfc3339),
        }
    }
}

/// Creates a key that never expires and returns its id and the token, which exists nowhere
/// else afterwards.
pub fn create(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    name: &str,
    scope: Scope,
) -> Result<(String, String), DbError> {
    create_expiring(conn, now, name, scope, None)
}

/// Creates a key; with `expires_at` it answers `401` from that moment on.
#[tracing::instrument(skip_all, fields(name = %name, scope = ?scope))]
pub fn create_expiring(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    name: &str,
    scope: Scope,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(String, String), DbError> {
    let token = generate_token();
    let id = new_id("key");
    crate::db::in_write_transaction::<_, DbError, _>(conn, |conn| {
        diesel::insert_into(api_keys::table)
            .values(&ApiKeyRow {
                id: id.clone(),
                name: name.to_owned(),
                scope: scope.as_str().to_owned(),
                token_hash: token_hash(&token),
                created_at: naive(now),
                revoked_at: None,
                expires_at: expires_at.map(naive),
                last_used_at: None,
            })
            .execute(conn)?;
        record_audit_event(
            conn,
            naive(now),
            AuditRecord {
                event: "api_key.created",
                ctx: &RequestContext::system(),
                user_id: None,
                factor_id: None,
                details: serde_json::json!({
                    "api_key_id": id,
                    "name": name,
                    "scope": scope.as_str(),
                    "expires_at": expires_at.map(|t| rfc3339(naive(t))),
                }),
            },
        )?;
        Ok(())
    })?;
    Ok((id, token))
}

/// The key a token names, if it is usable at `now`; the flag says that its `last_used_at` is
/// older than the granularity and should be rewritten ([`touch`]).
pub fn authenticate(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(ApiPrincipal, bool)>> {
    if !token.starts_with("kw_") || token.len() > 128 {
        return Ok(None);
    }
    Ok(
        ApiKeyRow::find_usable_by_hash(conn, &token_hash(token), now)?.and_then(|row| {
            let stale = row.last_used_at.is_none_or(|at| at <= touch_before(now));
            Scope::parse(&row.scope).map(|scope| {
                (
                    ApiPrincipal {
                        key_id: row.id,
                        name: row.name,
                        scope,
                    },
                    stale,
                )
            })
        }),
    )
}

fn touch_before(now: NaiveDateTime) -> NaiveDateTime {
    now - chrono::Duration::seconds(LAST_USED_GRANULARITY_SECONDS)
}

/// Records a use of the key at `now` unless one within the granularity is recorded already:
/// concurrent requests race on the `WHERE`, and only one of them writes.
pub fn touch(conn: &mut DbConnection, key_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        api_keys::table.filter(api_keys::id.eq(key_id)).filter(
            api_keys::last_used_at
                .is_null()
                .or(api_keys::last_used_at.le(touch_before(now))),
        ),
    )
    .set(api_keys::last_used_at.eq(now))
    .execute(conn)
}

/// Every key, oldest first.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<ApiKeyInfo>> {
    Ok(ApiKeyRow::all(conn)?
        .into_iter()
        .map(ApiKeyInfo::from)
        .collect())
}

/// Revokes a key in the caller's transaction; `404` for an unknown id. Revoking a revoked key
/// changes nothing (its first revocation time stays) and is not audited again.
pub fn revoke_in(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    ctx: &RequestContext,
    key_id: &str,
) -> Result<(), Error> {
    let row: Option<(String, String, Option<NaiveDateTime>)> = api_keys::table
        .find(key_id)
        .select((api_keys::name, api_keys::scope, api_keys::revoked_at))
        .get_result(conn)
        .optional()?;
    let Some((name, scope, revoked_at)) = row else {
        return Err(Error::NotFound("no API key with this id".into()));
    };
    if revoked_at.is_some() {
        return Ok(());
    }
    diesel::update(api_keys::table.find(key_id))
        .set(api_keys::revoked_at.eq(now))
        .execute(conn)?;
    record_audit_event(
        conn,
        now,
        AuditRecord {
            event: "apikey.revoked",
            ctx,
            user_id: None,
            factor_id: None,
            details: serde_json::json!({ "api_key_id": key_id, "name": name, "scope": scope }),
        },
    )?;
    Ok(())
}

/// Revokes a key: it answers `401` from the next request on, on every instance.
#[tracing::instrument(skip_all, fields(api_key = %key_id))]
pub async fn revoke(state: &AppState, ctx: RequestContext, key_id: String) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| revoke_in(conn, now, &ctx, &key_id))
        .await
}

/// Every key, for the API.
pub async fn list_all(state: &AppState) -> Result<Vec<ApiKeyInfo>, Error> {
    state.db.read(|conn| list(conn).map_err(Error::from)).await
}
