//! The RS256 keys ID tokens are signed with: generated on first use, sealed with the master key
//! in the database (so every instance signs with the same key), listed at `jwks_uri`. A rotation
//! (`keyward keys rotate`) adds a new key and retires the old one, which stays listed until
//! every token it signed has expired.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use openidconnect::JsonWebKeyId;
use openidconnect::PrivateSigningKey;
use openidconnect::core::{CoreJsonWebKeySet, CoreRsaPrivateSigningKey};

use crate::db::DbConnection;
use crate::db::schema::oidc_signing_keys;
use crate::domain::keyring::Keyring;
use crate::error::Error;

/// How long an ID token lives (API.md: at most 10 minutes).
pub const ID_TOKEN_MINUTES: i64 = 10;
/// How long a retired key stays listed: past the life of every token it signed, with margin
/// for clocks and caches.
pub const RETIRED_LISTED_MINUTES: i64 = 24 * 60;

/// The associated data a signing key is sealed with.
pub fn aad(kid: &str) -> Vec<u8> {
    format!("oidc-signing-key:{kid}").into_bytes()
}

/// A new 2048-bit RSA key as PKCS#1 PEM (CPU-bound: run it off the async runtime).
pub fn generate_pem() -> Result<String, Error> {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).map_err(Error::internal)?;
    let pem = key
        .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
        .map_err(Error::internal)?;
    Ok(pem.to_string())
}

fn new_kid() -> String {
    format!("kw-{}", &crate::services::sessions::random_token()[..16])
}

/// Stores `pem` as the current key unless one exists already (another instance was faster);
/// returns the current key's id. Retires the current key first when `replace`.
pub fn install(
    conn: &mut DbConnection,
    keyring: &Keyring,
    now: NaiveDateTime,
    pem: &str,
    replace: bool,
) -> QueryResult<String> {
    if let DbConnection::Postgres(pg) = conn {
        // Instances starting together must not both install a key.
        diesel::sql_query("SELECT pg_advisory_xact_lock(7262532)").execute(pg)?;
    }
    let current: Option<String> = oidc_signing_keys::table
        .filter(oidc_signing_keys::retired_at.is_null())
        .select(oidc_signing_keys::kid)
        .get_result(conn)
        .optional()?;
    if let Some(kid) = current {
        if !replace {
            return Ok(kid);
        }
        diesel::update(oidc_signing_keys::table.find(&kid))
            .set(oidc_signing_keys::retired_at.eq(Some(now)))
            .execute(conn)?;
    }
    let kid = new_kid();
    let sealed = keyring.seal(pem.as_bytes(), &aad(&kid));
    diesel::insert_into(oidc_signing_keys::table)
        .values((
            oidc_signing_keys::kid.eq(&kid),
            oidc_signing_keys::private_ciphertext.eq(&sealed.blob),
            oidc_signing_keys::private_key_id.eq(&sealed.key_id),
            oidc_signing_keys::created_at.eq(now),
        ))
        .execute(conn)?;
    // Keys retired long enough ago sign nothing that is still valid.
    diesel::delete(
        oidc_signing_keys::table.filter(
            oidc_signing_keys::retired_at.le(now - Duration::minutes(RETIRED_LISTED_MINUTES)),
        ),
    )
    .execute(conn)?;
    Ok(kid)
}

fn open(
    keyring: &Keyring,
    kid: &str,
    blob: &[u8],
    key_id: &str,
) -> Result<CoreRsaPrivateSigningKey, Error> {
    let pem = keyring
        .open(key_id, blob, &aad(kid))
        .map_err(Error::internal)?;
    let pem = String::from_utf8(pem).map_err(Error::internal)?;
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid.to_owned())))
        .map_err(|e| Error::internal(anyhow::anyhow!("the signing key does not load: {e}")))
}

/// The key new ID tokens are signed with (generated and stored on first use).
pub async fn current(state: &crate::state::AppState) -> Result<CoreRsaPrivateSigningKey, Error> {
    let keyring = state.keyring.clone();
    let found = state
        .db
        .read(move |conn| {
            let row: Option<(String, Vec<u8>, String)> = oidc_signing_keys::table
                .filter(oidc_signing_keys::retired_at.is_null())
                .select((
                    oidc_signing_keys::kid,
                    oidc_signing_keys::private_ciphertext,
                    oidc_signing_keys::private_key_id,
                ))
                .get_result(conn)
                .optional()?;
            Ok::<_, Error>(row)
        })
        .await?;
    if let Some((kid, blob, key_id)) = found {
        return open(&keyring, &kid, &blob, &key_id);
    }
    let pem = tokio::task::spawn_blocking(generate_pem)
        .await
        .map_err(Error::internal)??;
    let now = crate::domain::clock::naive(state.clock.now());
    let keyring2 = state.keyring.clone();
    state
        .db
        .write(move |conn| Ok::<_, Error>(install(conn, &keyring2, now, &pem, false)?))
        .await?;
    Box::pin(current(state)).await
}

/// A new signing key for new ID tokens (`keyward keys rotate`); the old one stays listed at
/// `jwks_uri` for `RETIRED_LISTED_MINUTES`, past the life of every token it signed. Audited
/// `oidc.signing_key_rotated`. Returns the new key's id.
pub async fn rotate(
    state: &crate::state::AppState,
    ctx: crate::services::RequestContext,
) -> Result<String, Error> {
    let pem = tokio::task::spawn_blocking(generate_pem)
        .await
        .map_err(Error::internal)??;
    let now = crate::domain::clock::naive(state.clock.now());
    let keyring = state.keyring.clone();
    state
        .db
        .write(move |conn| {
            let kid = install(conn, &keyring, now, &pem, true)?;
            crate::services::audit::record_audit_event(
                conn,
                now,
                crate::services::audit::AuditRecord {
                    event: "oidc.signing_key_rotated",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({ "kid": kid }),
                },
            )?;
            Ok::<_, Error>(kid)
        })
        .await
}

/// Every key whose tokens may still be valid, public parts only.
pub async fn jwks(state: &crate::state::AppState) -> Result<CoreJsonWebKeySet, Error> {
    // The first request may come before any token: make sure a key exists.
    current(state).await?;
    let keyring = state.keyring.clone();
    let now = crate::domain::clock::naive(state.clock.now());
    let rows = state
        .db
        .read(move |conn| {
            let rows: Vec<(String, Vec<u8>, String)> = oidc_signing_keys::table
                .filter(
                    oidc_signing_keys::retired_at
                        .is_null()
                        .or(oidc_signing_keys::retired_at
                            .gt(now - Duration::minutes(RETIRED_LISTED_MINUTES))),
                )
                .order(oidc_signing_keys::created_at.desc())
                .select((
                    oidc_signing_keys::kid,
                    oidc_signing_keys::private_ciphertext,
                    oidc_signing_keys::private_key_id,
                ))
                .load(conn)?;
            Ok::<_, Error>(rows)
        })
        .await?;
    let keys = rows
        .iter()
        .map(|(kid, blob, key_id)| {
            open(&keyring, kid, blob, key_id).map(|k| k.as_verification_key())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CoreJsonWebKeySet::new(keys))
}
