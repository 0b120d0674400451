//! The hash chains of the audit log (ADR 010): appending an event inside the caller's
//! transaction, checkpoints that join the chains' heads, and the proof of the whole log.
//!
//! On PostgreSQL the log is kept in 32 chains ("shards"), each with a head row in `audit_head`.
//! A transaction appends to whichever chain no other transaction holds (`FOR UPDATE SKIP
//! LOCKED`), so concurrent transactions on any number of instances do not queue on one row. On
//! SQLite, where one writer runs at a time anyway, there is one chain and an event's position in
//! it is its id.

use std::cell::Cell;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use serde_json::Value;

use super::AuditRecord;
use crate::db::models::AuditEventRow;
use crate::db::schema::{audit_checkpoints, audit_events, audit_head};
use crate::db::{DbConnection, DbError};
use crate::domain::audit_chain::{
    ChainedEvent, Checkpoint, GENESIS_HASH, ShardHead, bound_text, heads_text,
};
use crate::domain::clock::rfc3339;

/// Bounds every string and list in `details`, so no client input can make the write fail.
fn bound_details(v: Value, depth: usize) -> Value {
    match v {
        Value::String(s) => Value::String(bound_text(&s, 512)),
        Value::Array(items) if depth < 4 => Value::Array(
            items
                .into_iter()
                .take(64)
                .map(|i| bound_details(i, depth + 1))
                .collect(),
        ),
        Value::Object(map) if depth < 4 => Value::Object(
            map.into_iter()
                .take(64)
                .map(|(k, v)| (bound_text(&k, 64), bound_details(v, depth + 1)))
                .collect(),
        ),
        Value::Array(_) | Value::Object(_) => Value::String("(nested too deeply)".into()),
        other => other,
    }
}

thread_local! {
    /// The chain this thread's transaction appended to last (PostgreSQL). Only a preference:
    /// the next append tries it first, so a transaction that records several events keeps to
    /// the one chain it holds (and never holds two). A stale value from an earlier transaction
    /// is harmless: that chain is taken only if nobody else holds it.
    static HELD_CHAIN: Cell<i32> = const { Cell::new(0) };
}

/// A claimed position: the chain, the position in it, the hash before it, the event's id.
#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Integer)]
    shard: i32,
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    prev_hash: String,
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Takes the next position of a chain, with the chain's head row locked until the transaction
/// ends. PostgreSQL: the chain this transaction holds, else any chain nobody holds, else (all
/// held) waits for one at random — a transaction that waits holds no chain, so two never wait
/// for each other.
fn claim(conn: &mut DbConnection) -> QueryResult<Claimed> {
    const RETURNING: &str = "RETURNING id AS shard, last_id AS seq, last_hash AS prev_hash, \
                             nextval('audit_events_id_seq') AS id";
    match conn {
        DbConnection::Sqlite(c) => {
            let (seq, prev_hash): (i64, String) = diesel::update(audit_head::table.find(1))
                .set(audit_head::last_id.eq(audit_head::last_id + 1))
                .returning((audit_head::last_id, audit_head::last_hash))
                .get_result(c)?;
            Ok(Claimed {
                shard: 1,
                seq,
                prev_hash,
                id: seq,
            })
        }
        DbConnection::Postgres(_) => {
            let held = HELD_CHAIN.get();
            let free: Option<Claimed> = diesel::sql_query(format!(
                "UPDATE audit_head SET last_id = last_id + 1 WHERE id = \
                 (SELECT id FROM audit_head ORDER BY (id = $1) DESC, random() LIMIT 1 \
                  FOR UPDATE SKIP LOCKED) {RETURNING}"
            ))
            .bind::<Integer, _>(held)
            .get_result(conn)
            .optional()?;
            let claimed = match free {
                Some(c) => c,
                None => diesel::sql_query(format!(
                    "UPDATE audit_head SET last_id = last_id + 1 WHERE id = \
                     (SELECT id FROM audit_head ORDER BY random() LIMIT 1) {RETURNING}"
                ))
                .get_result(conn)?,
            };
            HELD_CHAIN.set(claimed.shard);
            Ok(claimed)
        }
    }
}

/// Appends one event to a chain, in the caller's transaction. Takes a chain head's row lock
/// (held to the end of the transaction), so call it as late in the transaction as possible.
/// Returns the event's id.
pub fn record_audit_event(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    rec: AuditRecord<'_>,
) -> QueryResult<i64> {
    let details = bound_details(
        match rec.details {
            Value::Object(_) => rec.details,
            Value::Null => Value::Object(Default::default()),
            other => serde_json::json!({ "value": other }),
        },
        0,
    )
    .to_string();
    let Claimed {
        shard,
        seq,
        prev_hash,
        id,
    } = claim(conn)?;
    let at_text = rfc3339(at);
    let hash = ChainedEvent {
        id,
        at: &at_text,
        event: rec.event,
        actor_type: rec.ctx.actor.kind(),
        actor_id: rec.ctx.actor.id(),
        user_id: rec.user_id,
        factor_id: rec.factor_id,
        ip: rec.ctx.ip.as_deref(),
        details: &details,
    }
    .hash(&prev_hash);
    match conn {
        DbConnection::Postgres(pg) => {
            // One round trip for the event and its chain's new head.
            diesel::sql_query(
                "WITH e AS (INSERT INTO audit_events (id, at, event, actor_type, actor_id, \
                 user_id, factor_id, ip, details, prev_hash, hash, shard, seq) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)) \
                 UPDATE audit_head SET last_hash = $11 WHERE id = $12",
            )
            .bind::<BigInt, _>(id)
            .bind::<diesel::sql_types::Timestamp, _>(at)
            .bind::<Text, _>(rec.event)
            .bind::<Text, _>(rec.ctx.actor.kind())
            .bind::<Nullable<Text>, _>(rec.ctx.actor.id())
            .bind::<Nullable<Text>, _>(rec.user_id)
            .bind::<Nullable<Text>, _>(rec.factor_id)
            .bind::<Nullable<Text>, _>(rec.ctx.ip.as_deref())
            .bind::<Text, _>(&details)
            .bind::<Text, _>(&prev_hash)
            .bind::<Text, _>(&hash)
            .bind::<Integer, _>(shard)
            .bind::<BigInt, _>(seq)
            .execute(pg)?;
        }
        DbConnection::Sqlite(c) => {
            diesel::insert_into(audit_events::table)
                .values(&AuditEventRow {
                    id,
                    at,
                    event: rec.event.to_owned(),
                    actor_type: rec.ctx.actor.kind().to_owned(),
                    actor_id: rec.ctx.actor.id().map(str::to_owned),
                    user_id: rec.user_id.map(str::to_owned),
                    factor_id: rec.factor_id.map(str::to_owned),
                    ip: rec.ctx.ip.clone(),
                    details,
                    prev_hash,
                    hash: hash.clone(),
                    shard,
                    seq,
                })
                .execute(c)?;
            diesel::update(audit_head::table.find(shard))
                .set(audit_head::last_hash.eq(&hash))
                .execute(c)?;
        }
    }
    Ok(id)
}

/// A checkpoint as reports show it: record its hash outside the database to anchor the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CheckpointInfo {
    pub id: String,
    pub at: String,
    pub hash: String,
}

fn heads(conn: &mut DbConnection) -> QueryResult<Vec<ShardHead>> {
    Ok(audit_head::table
        .order(audit_head::id.asc())
        .select((audit_head::id, audit_head::last_id, audit_head::last_hash))
        .load::<(i32, i64, String)>(conn)?
        .into_iter()
        .map(|(s, p, h)| ShardHead(s, p, h))
        .collect())
}

/// Records the chains' heads as a new checkpoint, chained to the one before — unless nothing
/// was appended since the last one (then `None`). Meant for a write transaction of its own;
/// instances taking one at the same time take turns (an advisory lock on PostgreSQL, the
/// writer on SQLite), and the second finds nothing new.
pub fn checkpoint(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Option<CheckpointInfo>> {
    if matches!(conn, DbConnection::Postgres(_)) {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7262532)").execute(conn)?;
    }
    let heads = heads_text(&heads(conn)?);
    let last: Option<(i64, String, String)> = audit_checkpoints::table
        .order(audit_checkpoints::id.desc())
        .select((
            audit_checkpoints::id,
            audit_checkpoints::heads,
            audit_checkpoints::hash,
        ))
        .first(conn)
        .optional()?;
    let (id, prev_hash) = match last {
        Some((_, last_heads, _)) if last_heads == heads => return Ok(None),
        Some((id, _, hash)) => (id + 1, hash),
        None if !heads_text_has_events(&heads) => return Ok(None),
        None => (1, GENESIS_HASH.to_owned()),
    };
    let at = rfc3339(now);
    let hash = Checkpoint {
        id,
        at: &at,
        heads: &heads,
    }
    .hash(&prev_hash);
    diesel::insert_into(audit_checkpoints::table)
        .values((
            audit_checkpoints::id.eq(id),
            audit_checkpoints::at.eq(now),
            audit_checkpoints::heads.eq(&heads),
            audit_checkpoints::prev_hash.eq(&prev_hash),
            audit_checkpoints::hash.eq(&hash),
        ))
        .execute(conn)?;
    Ok(Some(CheckpointInfo {
        id: id.to_string(),
        at,
        hash,
    }))
}

fn heads_text_has_events(heads: &str) -> bool {
    serde_json::from_str::<Vec<ShardHead>>(heads)
        .map(|h| h.iter().any(|ShardHead(_, p, _)| *p > 0))
        .unwrap_or(false)
}

/// The outcome of checking the whole log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ChainReport {
    pub ok: bool,
    /// Events whose hash and link were checked and found intact.
    pub events_checked: i64,
    /// The first event found wrong (the lowest id of any chain's first problem); for a
    /// missing event, its id where a chain's ids are its positions (SQLite), else the event
    /// after the gap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_event_id: Option<String>,
    /// What is wrong there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The chain and position of that problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_chain: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_position: Option<i64>,
    /// How many chains the log has (1 on SQLite, 32 on PostgreSQL).
    pub chains: i64,
    /// Checkpoints whose hash, link and recorded heads were checked.
    pub checkpoints_checked: i64,
    /// The newest checkpoint: keep its hash outside the database to prove later that nothing
    /// before it was rewritten.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_checkpoint: Option<CheckpointInfo>,
}

/// One chain's first problem.
struct Problem {
    /// For ordering: the id of the event to name, `i64::MAX` when there is none.
    order: i64,
    event_id: Option<i64>,
    chain: i32,
    position: i64,
    text: String,
}

/// Walks one chain from its start: every position present once, every link and hash right,
/// the end where the head says. Returns the intact events and the chain's first problem.
fn walk_chain(
    conn: &mut DbConnection,
    head: &ShardHead,
    mut seen: impl FnMut(i64, &str),
) -> QueryResult<(i64, Option<Problem>)> {
    let ShardHead(chain, head_pos, head_hash) = head;
    let chain = *chain;
    let mut prev = GENESIS_HASH.to_owned();
    let mut pos = 0i64;
    // Whether this chain's ids so far are its positions (always on SQLite): then a missing
    // event's id is known.
    let mut ids_are_positions = true;
    loop {
        let batch: Vec<AuditEventRow> = audit_events::table
            .filter(audit_events::shard.eq(chain))
            .filter(audit_events::seq.gt(pos))
            .order(audit_events::seq.asc())
            .limit(2000)
            .select(AuditEventRow::as_select())
            .load(conn)?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            let problem =
                |order: i64, event_id: Option<i64>, position: i64, text: String| Problem {
                    order,
                    event_id,
                    chain,
                    position,
                    text,
                };
            if row.seq != pos + 1 {
                let missing = pos + 1;
                let id = if ids_are_positions && row.id == row.seq {
                    missing
                } else {
                    row.id
                };
                return Ok((
                    pos,
                    Some(problem(
                        id,
                        Some(id),
                        missing,
                        format!(
                            "the event at position {missing} of chain {chain} is missing (deleted)"
                        ),
                    )),
                ));
            }
            if row.prev_hash != prev {
                return Ok((pos, Some(problem(row.id, Some(row.id), row.seq,
                    "its prev_hash is not the hash of the event before it (an event was edited, inserted or deleted)".into()))));
            }
            let at = rfc3339(row.at);
            let recomputed = ChainedEvent {
                id: row.id,
                at: &at,
                event: &row.event,
                actor_type: &row.actor_type,
                actor_id: row.actor_id.as_deref(),
                user_id: row.user_id.as_deref(),
                factor_id: row.factor_id.as_deref(),
                ip: row.ip.as_deref(),
                details: &row.details,
            }
            .hash(&prev);
            if recomputed != row.hash {
                return Ok((
                    pos,
                    Some(problem(
                        row.id,
                        Some(row.id),
                        row.seq,
                        "its content does not match its hash (it was edited)".into(),
                    )),
                ));
            }
            ids_are_positions &= row.id == row.seq;
            seen(row.seq, &row.hash);
            pos = row.seq;
            prev = row.hash;
        }
    }
    if pos != *head_pos || prev != *head_hash {
        let missing = pos + 1;
        let id = ids_are_positions.then_some(missing);
        return Ok((
            pos,
            Some(Problem {
                order: id.unwrap_or(i64::MAX),
                event_id: id,
                chain,
                position: missing,
                text: format!(
                    "the head of chain {chain} records {head_pos} events, but the chain ends at position {pos} (the newest events were deleted, or the head edited)"
                ),
            }),
        ));
    }
    Ok((pos, None))
}

/// Proves the whole log in one consistent snapshot: every chain from its start to its head,
/// then every checkpoint (its link, its hash, and that the heads it recorded are still in the
/// chains, at the same positions with the same hashes, and never went backwards).
pub fn verify_chain(conn: &mut DbConnection) -> Result<ChainReport, DbError> {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        if matches!(conn, DbConnection::Postgres(_)) {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(conn)?;
        }
        let heads = heads(conn)?;
        let mut report = ChainReport {
            ok: true,
            events_checked: 0,
            first_bad_event_id: None,
            problem: None,
            first_bad_chain: None,
            first_bad_position: None,
            chains: heads.len() as i64,
            checkpoints_checked: 0,
            last_checkpoint: None,
        };
        if heads.is_empty() {
            report.ok = false;
            report.problem = Some("the chain head rows are missing".into());
            return Ok(report);
        }
        // The newest checkpoint's heads, to be found in the chains as they are walked.
        let checkpoints = load_checkpoints(conn)?;
        let recorded: Vec<ShardHead> = checkpoints
            .last()
            .and_then(|c| serde_json::from_str(&c.heads).ok())
            .unwrap_or_default();
        let mut first: Option<Problem> = None;
        let mut anchors_found = 0usize;
        for head in &heads {
            let anchor = recorded.iter().find(|r| r.0 == head.0);
            let mut anchor_ok = anchor.is_some_and(|a| a.1 == 0 && a.2 == GENESIS_HASH);
            let (intact, problem) = walk_chain(conn, head, |pos, hash| {
                if let Some(a) = anchor
                    && a.1 == pos
                    && a.2 == hash
                {
                    anchor_ok = true;
                }
            })?;
            report.events_checked += intact;
            if let Some(p) = problem {
                if first.as_ref().is_none_or(|f| p.order < f.order) {
                    first = Some(p);
                }
            } else if anchor_ok {
                anchors_found += 1;
            } else if let Some(a) = anchor {
                let p = Problem {
                    order: i64::MAX,
                    event_id: None,
                    chain: head.0,
                    position: a.1,
                    text: format!(
                        "checkpoint {} recorded chain {} at position {} with another hash than the chain has now (the chain was rewritten)",
                        checkpoints.last().map_or(0, |c| c.id),
                        head.0,
                        a.1
                    ),
                };
                if first.as_ref().is_none_or(|f| p.order < f.order) {
                    first = Some(p);
                }
            }
        }
        if first.is_none() && !recorded.is_empty() && anchors_found != recorded.len() {
            first = Some(Problem {
                order: i64::MAX,
                event_id: None,
                chain: 0,
                position: 0,
                text: "the newest checkpoint names chains the log does not have (a chain's head row was deleted)".into(),
            });
        }
        if first.is_none() {
            match check_checkpoints(&checkpoints) {
                Ok(()) => report.checkpoints_checked = checkpoints.len() as i64,
                Err((checked, text)) => {
                    report.checkpoints_checked = checked;
                    first = Some(Problem {
                        order: i64::MAX,
                        event_id: None,
                        chain: 0,
                        position: 0,
                        text,
                    });
                }
            }
        }
        report.last_checkpoint = checkpoints.last().map(|c| CheckpointInfo {
            id: c.id.to_string(),
            at: rfc3339(c.at),
            hash: c.hash.clone(),
        });
        if let Some(p) = first {
            report.ok = false;
            report.first_bad_event_id = p.event_id.map(|i| i.to_string());
            report.first_bad_chain = (p.chain > 0).then_some(p.chain);
            report.first_bad_position = (p.position > 0).then_some(p.position);
            report.problem = Some(p.text);
        }
        Ok(report)
    })
    .map_err(DbError::from)
}

#[derive(Queryable)]
struct CheckpointRow {
    id: i64,
    at: NaiveDateTime,
    heads: String,
    prev_hash: String,
    hash: String,
}

fn load_checkpoints(conn: &mut DbConnection) -> QueryResult<Vec<CheckpointRow>> {
    audit_checkpoints::table
        .order(audit_checkpoints::id.asc())
        .select((
            audit_checkpoints::id,
            audit_checkpoints::at,
            audit_checkpoints::heads,
            audit_checkpoints::prev_hash,
            audit_checkpoints::hash,
        ))
        .load(conn)
}

/// The checkpoints' own chain: ids 1, 2, 3, …, each linked to and hashed over the one before,
/// and no chain's recorded position ever going back. `Err((intact, problem))`.
fn check_checkpoints(checkpoints: &[CheckpointRow]) -> Result<(), (i64, String)> {
    let mut prev = GENESIS_HASH.to_owned();
    let mut prev_heads: Vec<ShardHead> = Vec::new();
    for (n, c) in checkpoints.iter().enumerate() {
        let bad = |text: String| Err((n as i64, format!("checkpoint {}: {text}", c.id)));
        if c.id != n as i64 + 1 {
            return bad(format!("checkpoint {} is missing", n + 1));
        }
        if c.prev_hash != prev {
            return bad("its prev_hash is not the hash of the checkpoint before it".into());
        }
        let at = rfc3339(c.at);
        let recomputed = Checkpoint {
            id: c.id,
            at: &at,
            heads: &c.heads,
        }
        .hash(&prev);
        if recomputed != c.hash {
            return bad("its content does not match its hash (it was edited)".into());
        }
        let Ok(heads) = serde_json::from_str::<Vec<ShardHead>>(&c.heads) else {
            return bad("its heads are not readable".into());
        };
        for p in &prev_heads {
            if heads.iter().find(|h| h.0 == p.0).is_none_or(|h| h.1 < p.1) {
                return bad(format!(
                    "chain {} went back since the checkpoint before",
                    p.0
                ));
            }
        }
        prev = c.hash.clone();
        prev_heads = heads;
    }
    Ok(())
}
