//! The audit log: listing with filters, exporting; appending to the hash chains and proving
//! them is in [`chain`] (ADR 010).

mod chain;

pub use chain::{ChainReport, CheckpointInfo, checkpoint, record_audit_event, verify_chain};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::RequestContext;
use crate::db::DbConnection;
use crate::db::models::AuditEventRow;
use crate::db::schema::audit_events;
use crate::domain::clock::rfc3339;

/// One event to append.
#[derive(Debug, Clone)]
pub struct AuditRecord<'a> {
    pub event: &'static str,
    pub ctx: &'a RequestContext,
    pub user_id: Option<&'a str>,
    pub factor_id: Option<&'a str>,
    pub details: Value,
}

/// How long after a user's `access.denied` event their further refusals go unrecorded.
pub const ACCESS_DENIED_WINDOW_MINUTES: i64 = 15;

/// A signed-in user opened a page their role does not allow: recorded as `access.denied`, at
/// most once per user per `ACCESS_DENIED_WINDOW_MINUTES` (the refusal itself is always shown),
/// so a customer reloading staff pages cannot grow the chain, which is never pruned. Atomic
/// across instances without state of their own: the user's row lock is taken first (on SQLite
/// the writer runs alone), then the user's newest `access.denied` event decides. Returns
/// whether an event was written.
#[tracing::instrument(skip_all, fields(user_id = %user_id, page = %page))]
pub async fn access_denied(
    state: &crate::state::AppState,
    ctx: RequestContext,
    user_id: String,
    page: String,
    role: crate::domain::newtypes::Role,
) -> Result<bool, crate::error::Error> {
    let now = crate::domain::clock::naive(state.clock.now());
    let since = now - chrono::Duration::minutes(ACCESS_DENIED_WINDOW_MINUTES);
    state
        .db
        .write(move |conn| {
            crate::services::users::lock_user(conn, &user_id)?;
            let last: Option<NaiveDateTime> = audit_events::table
                .filter(audit_events::user_id.eq(&user_id))
                .filter(audit_events::event.eq("access.denied"))
                .order(audit_events::id.desc())
                .select(audit_events::at)
                .first(conn)
                .optional()?;
            if last.is_some_and(|at| at > since) {
                return Ok::<_, crate::error::Error>(false);
            }
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "access.denied",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details: serde_json::json!({ "page": page, "role": role.as_str() }),
                },
            )?;
            Ok(true)
        })
        .await
}

/// An event as the API shows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub id: String,
    pub at: String,
    pub event: String,
    pub actor: AuditActor,
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub details: Value,
    pub hash: String,
    pub prev_hash: String,
    /// The chain (shard) the event is in, and its position there: `prev_hash` is the hash of
    /// the event one position before it in the same chain (ADR 010).
    pub chain: i32,
    pub position: i64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AuditActor {
    /// `user`, `api_key`, `support` or `system`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<String>,
}

impl From<AuditEventRow> for AuditEvent {
    fn from(r: AuditEventRow) -> Self {
        Self {
            id: r.id.to_string(),
            at: rfc3339(r.at),
            event: r.event,
            actor: AuditActor {
                kind: r.actor_type,
                id: r.actor_id,
            },
            user_id: r.user_id,
            factor_id: r.factor_id,
            ip: r.ip,
            details: serde_json::from_str(&r.details).unwrap_or(Value::String(r.details)),
            hash: r.hash,
            prev_hash: r.prev_hash,
            chain: r.shard,
            position: r.seq,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<String>,
    pub event: Option<String>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    /// Only events older than this id (the previous page's `next_cursor`).
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// A page of events, newest first, and the cursor of the next page when there is one.
pub fn list(
    conn: &mut DbConnection,
    f: &AuditFilter,
) -> QueryResult<(Vec<AuditEvent>, Option<String>)> {
    let mut q = audit_events::table.into_boxed();
    if let Some(u) = &f.user_id {
        q = q.filter(audit_events::user_id.eq(u.clone()));
    }
    if let Some(e) = &f.event {
        q = q.filter(audit_events::event.eq(e.clone()));
    }
    if let Some(s) = f.since {
        q = q.filter(audit_events::at.ge(s));
    }
    if let Some(u) = f.until {
        q = q.filter(audit_events::at.lt(u));
    }
    if let Some(c) = f.before_id {
        q = q.filter(audit_events::id.lt(c));
    }
    let mut rows: Vec<AuditEventRow> = q
        .order(audit_events::id.desc())
        .limit(f.limit + 1)
        .select(AuditEventRow::as_select())
        .load(conn)?;
    let more = rows.len() as i64 > f.limit;
    rows.truncate(f.limit as usize);
    let next = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    Ok((rows.into_iter().map(AuditEvent::from).collect(), next))
}

/// Every event in id order, in batches, for export.
pub fn export_batch(
    conn: &mut DbConnection,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<AuditEvent>> {
    Ok(audit_events::table
        .filter(audit_events::id.gt(after_id))
        .order(audit_events::id.asc())
        .limit(limit)
        .select(AuditEventRow::as_select())
        .load(conn)?
        .into_iter()
        .map(AuditEvent::from)
        .collect())
}

/// The header line of a CSV export.
pub const CSV_HEADER: &str =
    "id,at,event,actor_type,actor_id,user_id,factor_id,ip,details,prev_hash,hash,chain,position";

/// A field as a spreadsheet may safely open it: a leading `=`, `+`, `-` or `@` would make it a
/// formula, so it gets a `'` before it.
fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// One event as a CSV line (no line end), every field quoted, in `CSV_HEADER`'s order.
pub fn csv_line(e: &AuditEvent) -> String {
    let details = e.details.to_string();
    let (chain, position) = (e.chain.to_string(), e.position.to_string());
    let fields = [
        e.id.as_str(),
        e.at.as_str(),
        e.event.as_str(),
        e.actor.kind.as_str(),
        e.actor.id.as_deref().unwrap_or(""),
        e.user_id.as_deref().unwrap_or(""),
        e.factor_id.as_deref().unwrap_or(""),
        e.ip.as_deref().unwrap_or(""),
        details.as_str(),
        e.prev_hash.as_str(),
        e.hash.as_str(),
        chain.as_str(),
        position.as_str(),
    ]
    .map(spreadsheet_safe);
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // One record into memory: no I/O and no record of another length, so nothing can fail;
    // should it all the same, the line is logged and left out rather than the export stopped.
    let written = w
        .write_record(&fields)
        .and_then(|()| w.into_inner().map_err(|e| e.into_error().into()));
    match written {
        Ok(bytes) => {
            String::from_utf8_lossy(bytes.strip_suffix(b"\n").unwrap_or(&bytes)).into_owned()
        }
        Err(err) => {
            tracing::error!(event_id = %e.id, error = %err, "an audit event could not be written as CSV");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_everything_and_defuses_formulas() {
        let e = AuditEvent {
            id: "7".into(),
            at: "2026-12-01T10:00:00Z".into(),
            event: "user.created".into(),
            actor: AuditActor {
                kind: "api_key".into(),
                id: Some("=cmd".into()),
            },
            user_id: None,
            factor_id: None,
            ip: Some("-1".into()),
            details: serde_json::json!({ "note": "say \"hi\"" }),
            prev_hash: "a".into(),
            hash: "b".into(),
            chain: 3,
            position: 12,
        };
        assert_eq!(
            csv_line(&e),
            r#""7","2026-12-01T10:00:00Z","user.created","api_key","'=cmd","","","'-1","{""note"":""say \""hi\""""}","a","b","3","12""#
        );
    }
}
