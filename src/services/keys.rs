//! Master key rotation: re-sealing every stored secret under the current master key, counting
//! what each key seals, retiring a key that seals nothing, and the check at start that the key
//! file holds every key the database needs.
//!
//! Every sealed column is one entry of [`SEALED`]; the rotation, the counts and the start-up
//! check all read that list, so a new kind of sealed secret is one more line there.
//! Re-sealing runs in batches of [`BATCH`] rows, one write transaction each, while servers
//! keep serving: each row is rewritten only if it still holds the key id and ciphertext that
//! were read (`UPDATE … WHERE id = ? AND key = <old> AND blob = <old>`), so a concurrent
//! change of the same row is never overwritten with stale data.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Text};

use crate::db::{Db, DbConnection};
use crate::domain::clock::naive;
use crate::domain::keyring::Keyring;
use crate::error::Error;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::state::AppState;

/// Rows re-sealed per transaction.
pub const BATCH: i64 = 500;

/// A column of sealed secrets: the table, its primary key, the key-id and ciphertext columns,
/// and the associated data each secret is sealed with (from the primary key as text).
pub struct SealedColumn {
    /// What the secrets are, for people.
    pub what: &'static str,
    pub table: &'static str,
    pub id: &'static str,
    /// Whether the primary key is an integer (it is compared and ordered as one).
    pub integer_id: bool,
    pub key_id: &'static str,
    pub blob: &'static str,
    pub aad: fn(&str) -> Vec<u8>,
}

/// Every sealed secret the database holds.
#[rustfmt::skip]
pub const SEALED: &[SealedColumn] = &[
    SealedColumn { what: "TOTP seeds", table: "factors", id: "id", integer_id: false, key_id: "secret_key_id", blob: "secret_ciphertext", aad: |id| id.as_bytes().to_vec() },
    SealedColumn { what: "YubiKey AES keys", table: "yubikeys", id: "public_id", integer_id: false, key_id: "secret_key_id", blob: "secret_ciphertext", aad: crate::services::yubikeys::aad },
    SealedColumn { what: "validation-server client secrets", table: "validation_clients", id: "id", integer_id: true, key_id: "secret_key_id", blob: "secret_ciphertext", aad: |id| crate::services::wsapi::client_aad(id) },
    SealedColumn { what: "OIDC client secrets", table: "oidc_clients", id: "client_id", integer_id: false, key_id: "secret_key_id", blob: "secret_ciphertext", aad: crate::services::oidc::clients::aad },
    SealedColumn { what: "OIDC signing keys", table: "oidc_signing_keys", id: "kid", integer_id: false, key_id: "private_key_id", blob: "private_ciphertext", aad: crate::services::oidc::signing::aad },
];

/// Tables whose rows hold hashes made with a key's pepper (`peppered_hash`): a retired key
/// keeps its peppers, so these do not stop a retirement; they must find a pepper at start.
const PEPPERED: &[(&str, &str, &str)] = &[
    ("backup codes", "backup_codes", "key_id"),
    ("report links", "report_tokens", "key_id"),
];

/// `$n` placeholders for PostgreSQL, `?n` for SQLite.
fn sql(conn: &DbConnection, text: &str) -> String {
    match conn {
        DbConnection::Postgres(_) => text.to_owned(),
        DbConnection::Sqlite(_) => text.replace('$', "?"),
    }
}

impl SealedColumn {
    fn id_param(&self, n: u8) -> String {
        if self.integer_id {
            format!("CAST(${n} AS BIGINT)")
        } else {
            format!("${n}")
        }
    }

    /// The smallest cursor: every id sorts after it.
    fn start(&self) -> &'static str {
        if self.integer_id { "-1" } else { "" }
    }
}

#[derive(QueryableByName)]
struct KeyCount {
    #[diesel(sql_type = Text)]
    key_id: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct SealedRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    key_id: String,
    #[diesel(sql_type = Binary)]
    blob: Vec<u8>,
}

fn count_by_key(conn: &mut DbConnection, table: &str, key_col: &str) -> QueryResult<Vec<KeyCount>> {
    diesel::sql_query(format!(
        "SELECT {key_col} AS key_id, COUNT(*) AS n FROM {table} WHERE {key_col} IS NOT NULL GROUP BY {key_col}"
    ))
    .load(conn)
}

/// How many secrets each key id seals, over every sealed column.
pub fn sealed_counts(conn: &mut DbConnection) -> QueryResult<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    for c in SEALED {
        for k in count_by_key(conn, c.table, c.key_id)? {
            *counts.entry(k.key_id).or_insert(0) += k.n;
        }
    }
    Ok(counts)
}

/// How many peppered hashes (backup codes, report links) each key id was used for.
pub fn peppered_counts(conn: &mut DbConnection) -> QueryResult<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    for (_, table, key_col) in PEPPERED {
        for k in count_by_key(conn, table, key_col)? {
            *counts.entry(k.key_id).or_insert(0) += k.n;
        }
    }
    Ok(counts)
}

/// Secrets not sealed by `current`.
fn count_not_under(conn: &mut DbConnection, current: &str) -> QueryResult<i64> {
    Ok(sealed_counts(conn)?
        .into_iter()
        .filter(|(k, _)| k != current)
        .map(|(_, n)| n)
        .sum())
}

/// What one batch did.
#[derive(Debug, Default, Clone, Copy)]
struct BatchOutcome {
    read: u64,
    resealed: u64,
    /// Changed by someone else between our read and our write: left for the next pass.
    raced: u64,
    /// Sealed by a key the file does not hold, or not openable: left alone and reported.
    unreadable: u64,
}

/// Re-seals up to `BATCH` rows of `col` after `cursor` in one write transaction; returns the
/// outcome and the last id read.
fn reseal_batch(
    conn: &mut DbConnection,
    keyring: &Keyring,
    col: &SealedColumn,
    current: &str,
    cursor: &str,
) -> Result<(BatchOutcome, Option<String>), Error> {
    let select = sql(
        conn,
        &format!(
            "SELECT CAST({id} AS TEXT) AS id, {key} AS key_id, {blob} AS blob FROM {table} \
             WHERE {key} IS NOT NULL AND {blob} IS NOT NULL AND {key} <> $1 AND {id} > {cursor} \
             ORDER BY {id} LIMIT $3",
            id = col.id,
            key = col.key_id,
            blob = col.blob,
            table = col.table,
            cursor = col.id_param(2),
        ),
    );
    let rows: Vec<SealedRow> = diesel::sql_query(select)
        .bind::<Text, _>(current)
        .bind::<Text, _>(cursor)
        .bind::<BigInt, _>(BATCH)
        .load(conn)?;
    let update = sql(
        conn,
        &format!(
            "UPDATE {table} SET {key} = $1, {blob} = $2 WHERE {id} = {id_param} AND {key} = $4 AND {blob} = $5",
            id = col.id,
            key = col.key_id,
            blob = col.blob,
            table = col.table,
            id_param = col.id_param(3),
        ),
    );
    let mut out = BatchOutcome::default();
    for row in &rows {
        out.read += 1;
        let sealed = match keyring.reseal(&row.key_id, &row.blob, &(col.aad)(&row.id)) {
            Ok(Some(sealed)) => sealed,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(table = col.table, id = %row.id, key_id = %row.key_id, error = %e,
                    "a sealed secret cannot be re-sealed; left as it is");
                out.unreadable += 1;
                continue;
            }
        };
        let changed = diesel::sql_query(update.as_str())
            .bind::<Text, _>(&sealed.key_id)
            .bind::<Binary, _>(&sealed.blob)
            .bind::<Text, _>(&row.id)
            .bind::<Text, _>(&row.key_id)
            .bind::<Binary, _>(&row.blob)
            .execute(conn)?;
        if changed == 1 {
            out.resealed += 1;
        } else {
            out.raced += 1;
        }
    }
    Ok((out, rows.last().map(|r| r.id.clone())))
}

/// What a re-seal did, per sealed column.
#[derive(Debug, Clone, Default)]
pub struct ResealReport {
    pub key_id: String,
    pub resealed: u64,
    pub by_column: Vec<(&'static str, u64)>,
    /// Secrets that cannot be opened with the key file (reported, left alone).
    pub unreadable: u64,
    /// Secrets still sealed by an older key afterwards (changed concurrently again and again,
    /// or unreadable): run `keyward keys reseal` again.
    pub remaining: i64,
}

impl ResealReport {
    /// One line: the total, the current key and the count per kind of secret.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .by_column
            .iter()
            .map(|(what, n)| format!("{what} {n}"))
            .collect();
        let mut line = format!(
            "re-sealed {} secret(s) under master key {} ({})",
            self.resealed,
            self.key_id,
            parts.join(", ")
        );
        if self.remaining > 0 {
            line.push_str(&format!(
                "; {} still sealed by older keys ({} unreadable): run `keyward keys reseal` again",
                self.remaining, self.unreadable
            ));
        }
        line
    }
}

/// How many secrets are not sealed by the current key (the work a re-seal has ahead).
pub async fn pending(state: &AppState) -> Result<i64, Error> {
    let current = state.keyring.current_id();
    state
        .db
        .read(move |conn| Ok(count_not_under(conn, &current)?))
        .await
}

/// Re-seals every secret under the current key, batch by batch; `progress` gets the number
/// of rows handled so far after each batch.
pub async fn reseal_all(
    state: &AppState,
    mut progress: impl FnMut(u64),
) -> Result<ResealReport, Error> {
    let current = state.keyring.current_id();
    let mut report = ResealReport {
        key_id: current.clone(),
        ..Default::default()
    };
    let mut handled = 0u64;
    for col in SEALED {
        let mut done = 0u64;
        // A row changed between our read and our write is read again in a further pass.
        for _pass in 0..3 {
            let mut cursor = col.start().to_owned();
            let mut raced = 0u64;
            loop {
                let keyring = state.keyring.clone();
                let (cur, after) = (current.clone(), cursor.clone());
                let (outcome, last) = state
                    .db
                    .write(move |conn| reseal_batch(conn, &keyring, col, &cur, &after))
                    .await?;
                done += outcome.resealed;
                raced += outcome.raced;
                report.unreadable += outcome.unreadable;
                handled += outcome.read;
                progress(handled);
                match last {
                    Some(id) if outcome.read as i64 == BATCH => cursor = id,
                    _ => break,
                }
            }
            if raced == 0 {
                break;
            }
        }
        report.resealed += done;
        report.by_column.push((col.what, done));
    }
    report.remaining = pending(state).await?;
    Ok(report)
}

/// Records `keys.rotated` for a rotation to `report.key_id`.
pub async fn record_rotation(
    state: &AppState,
    ctx: RequestContext,
    report: &ResealReport,
) -> Result<(), Error> {
    let now = naive(state.clock.now());
    let details = serde_json::json!({
        "key_id": report.key_id,
        "resealed": report.resealed,
        "remaining": report.remaining,
    });
    state
        .db
        .write(move |conn| {
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "keys.rotated",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details,
                },
            )?;
            Ok(())
        })
        .await
}

/// A key as `keyward keys list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStatus {
    pub key_id: String,
    pub state: KeyState,
    pub sealed: i64,
    pub peppered: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Seals new secrets.
    Current,
    /// In the key file; opens what it sealed.
    Old,
    /// Retired: only its peppers are in the key file.
    Retired,
    /// Named by stored data but not in the key file at all.
    Missing,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Old => "old",
            Self::Retired => "retired",
            Self::Missing => "missing",
        }
    }
}

/// Every key the key file or the database knows, in key-file order (then the others).
pub async fn list(state: &AppState) -> Result<Vec<KeyStatus>, Error> {
    let (sealed, peppered) = state
        .db
        .read(|conn| Ok::<_, Error>((sealed_counts(conn)?, peppered_counts(conn)?)))
        .await?;
    let keys = state.keyring.key_ids();
    let current = state.keyring.current_id();
    let peppers = state.keyring.pepper_ids();
    let mut ids: Vec<String> = keys.clone();
    for id in peppers.iter().chain(sealed.keys()).chain(peppered.keys()) {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Ok(ids
        .into_iter()
        .map(|id| KeyStatus {
            state: if id == current {
                KeyState::Current
            } else if keys.contains(&id) {
                KeyState::Old
            } else if peppers.contains(&id) {
                KeyState::Retired
            } else {
                KeyState::Missing
            },
            sealed: sealed.get(&id).copied().unwrap_or(0),
            peppered: peppered.get(&id).copied().unwrap_or(0),
            key_id: id,
        })
        .collect())
}

/// Why a key cannot be retired.
#[derive(Debug, thiserror::Error)]
pub enum RetireRefused {
    #[error("{0} is not a master key in the key file (see `keyward keys list`)")]
    Unknown(String),
    #[error("{0} seals new secrets: rotate first (`keyward keys rotate`), then retire it")]
    Current(String),
    #[error(
        "{key_id} still seals {sealed} secret(s): re-seal them first (`keyward keys reseal`), then retire it"
    )]
    StillSealing { key_id: String, sealed: i64 },
}

/// Whether `key_id` may be retired now: in the file, not the current key, sealing nothing.
pub async fn check_retirable(state: &AppState, key_id: &str) -> Result<(), RetireRefused> {
    if !state.keyring.key_ids().iter().any(|k| k == key_id) {
        return Err(RetireRefused::Unknown(key_id.to_owned()));
    }
    if state.keyring.current_id() == key_id {
        return Err(RetireRefused::Current(key_id.to_owned()));
    }
    let id = key_id.to_owned();
    let sealed = state
        .db
        .read(move |conn| Ok::<_, Error>(sealed_counts(conn)?.get(&id).copied().unwrap_or(0)))
        .await
        .unwrap_or(i64::MAX);
    if sealed > 0 {
        return Err(RetireRefused::StillSealing {
            key_id: key_id.to_owned(),
            sealed,
        });
    }
    Ok(())
}

/// Records `keys.retired`.
pub async fn record_retirement(
    state: &AppState,
    ctx: RequestContext,
    key_id: String,
) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "keys.retired",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({ "key_id": key_id }),
                },
            )?;
            Ok(())
        })
        .await
}

/// Fails when stored data names a master key the keyring cannot serve: a sealed secret needs
/// the key itself, a peppered hash at least the key's pepper. An instance started with the
/// wrong (or a freshly generated) key file must not run.
pub fn check_keyring(db: &Db, keyring: &Keyring) -> anyhow::Result<()> {
    let keys = keyring.key_ids();
    let peppers = keyring.pepper_ids();
    let (sealed, peppered) = db.with_conn(|conn| -> QueryResult<_> {
        let mut peppered = BTreeMap::new();
        // Report links expire; backup codes are what must keep working.
        for k in count_by_key(conn, "backup_codes", "key_id")? {
            peppered.insert(k.key_id, k.n);
        }
        Ok((sealed_counts(conn)?, peppered))
    })??;
    let mut missing: Vec<&String> = sealed.keys().filter(|id| !keys.contains(id)).collect();
    missing.extend(peppered.keys().filter(|id| !peppers.contains(id)));
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        anyhow::bail!(
            "the master key file lacks key(s) {missing:?} that sealed stored secrets: every instance must use the same KEYWARD_MASTER_KEY_FILE"
        );
    }
    Ok(())
}
