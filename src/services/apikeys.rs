//! API keys: creation (CLI) and authentication of a bearer token.

use diesel::prelude::*;

use crate::db::models::ApiKeyRow;
use crate::db::schema::api_keys;
use crate::db::{DbConnection, DbError};
use crate::domain::api_key::{Scope, generate_token, token_hash};
use crate::domain::clock::naive;
use crate::domain::ids::new_id;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct ApiPrincipal {
    pub key_id: String,
    pub name: String,
    pub scope: Scope,
}

/// Creates a key and returns the token, which exists nowhere else afterwards.
#[tracing::instrument(skip_all, fields(name = %name, scope = ?scope))]
pub fn create(
    conn: &mut DbConnection,
    now: chrono::DateTime<chrono::Utc>,
    name: &str,
    scope: Scope,
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
                details: serde_json::json!({ "api_key_id": id, "name": name, "scope": scope.as_str() }),
            },
        )?;
        Ok(())
    })?;
    Ok((id, token))
}

pub fn authenticate(conn: &mut DbConnection, token: &str) -> QueryResult<Option<ApiPrincipal>> {
    if !token.starts_with("kw_") || token.len() > 128 {
        return Ok(None);
    }
    Ok(
        ApiKeyRow::find_by_hash(conn, &token_hash(token))?.and_then(|row| {
            Scope::parse(&row.scope).map(|scope| ApiPrincipal {
                key_id: row.id,
                name: row.name,
                scope,
            })
        }),
    )
}
