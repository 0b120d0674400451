//! Relying applications (OpenID Connect clients): created by the security team or an operator,
//! each with exact redirect URIs and a secret shown once. The secret is stored as a SHA-256
//! hash; a client trusted to vouch for the first factor signs request objects with it (HS256),
//! so its secret is also kept sealed with the master key.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use subtle::ConstantTimeEq;

use crate::db::DbConnection;
use crate::db::schema::oidc_clients;
use crate::domain::clock::{naive, rfc3339};
use crate::domain::keyring::Keyring;
use crate::error::Error;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::sessions::{hash_token, random_token};
use crate::state::AppState;

/// A client as the API and the CLI show it (never its secret).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Client {
    pub client_id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub trusted_first_factor: bool,
    pub created_at: String,
}

/// A new client's one-time answer: the client and its secret.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CreatedClient {
    #[serde(flatten)]
    pub client: Client,
    pub client_secret: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oidc_clients)]
pub struct ClientRow {
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub secret_ciphertext: Option<Vec<u8>>,
    pub secret_key_id: Option<String>,
    pub redirect_uris: String,
    pub trusted_first_factor: bool,
    pub created_at: NaiveDateTime,
}

impl ClientRow {
    pub fn uris(&self) -> Vec<String> {
        serde_json::from_str(&self.redirect_uris).unwrap_or_default()
    }

    /// Exact match, as RFC 9700 §4.1.1 requires: no prefix, no wildcard, no normalisation.
    pub fn allows(&self, redirect_uri: &str) -> bool {
        self.uris().iter().any(|u| u == redirect_uri)
    }

    fn public(&self) -> Client {
        Client {
            client_id: self.client_id.clone(),
            name: self.name.clone(),
            redirect_uris: self.uris(),
            trusted_first_factor: self.trusted_first_factor,
            created_at: rfc3339(self.created_at),
        }
    }

    /// The secret, for checking a request object's HS256 signature (trusted clients only).
    pub fn secret(&self, keyring: &Keyring) -> Option<String> {
        let (Some(blob), Some(key_id)) = (&self.secret_ciphertext, &self.secret_key_id) else {
            return None;
        };
        let plain = keyring.open(key_id, blob, &aad(&self.client_id)).ok()?;
        String::from_utf8(plain).ok()
    }
}

/// The associated data a client's secret is sealed with.
pub fn aad(client_id: &str) -> Vec<u8> {
    format!("oidc-client:{client_id}").into_bytes()
}

/// A redirect URI a client may register: absolute, `https`, or `http` on a loopback host only
/// (RFC 8252 §7.3), without a fragment.
pub fn parse_redirect_uri(raw: &str) -> Result<String, String> {
    if raw.len() > 2000 {
        return Err("redirect_uris: a URI must be at most 2000 characters".into());
    }
    let url =
        url::Url::parse(raw).map_err(|e| format!("redirect_uris: {raw:?} is not a URL ({e})"))?;
    if url.fragment().is_some() {
        return Err(format!("redirect_uris: {raw:?} must not have a fragment"));
    }
    let loopback = matches!(url.host(), Some(url::Host::Domain("localhost")))
        || matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(format!(
                "redirect_uris: {raw:?} must use https (http only on a loopback host)"
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("redirect_uris: {raw:?} must not carry credentials"));
    }
    Ok(raw.to_owned())
}

/// What a new client needs.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NewClient {
    pub name: String,
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub trusted_first_factor: bool,
}

/// Creates a client; the secret is in the answer and nowhere else.
pub async fn create(
    state: &AppState,
    ctx: RequestContext,
    new: NewClient,
) -> Result<CreatedClient, Error> {
    let name =
        crate::domain::newtypes::parse_label("name", &new.name, 100).map_err(Error::BadRequest)?;
    if new.redirect_uris.is_empty() || new.redirect_uris.len() > 20 {
        return Err(Error::BadRequest("redirect_uris: give 1 to 20 URIs".into()));
    }
    let uris = new
        .redirect_uris
        .iter()
        .map(|u| parse_redirect_uri(u))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::BadRequest)?;
    let client_id = format!("kwc_{}", &random_token()[..22]);
    let secret = random_token();
    let sealed = new
        .trusted_first_factor
        .then(|| state.keyring.seal(secret.as_bytes(), &aad(&client_id)));
    let now = naive(state.clock.now());
    let row = ClientRow {
        client_id: client_id.clone(),
        name,
        secret_hash: hash_token(&secret),
        secret_ciphertext: sealed.as_ref().map(|s| s.blob.clone()),
        secret_key_id: sealed.as_ref().map(|s| s.key_id.clone()),
        redirect_uris: serde_json::to_string(&uris).map_err(Error::internal)?,
        trusted_first_factor: new.trusted_first_factor,
        created_at: now,
    };
    let client = row.public();
    state
        .db
        .write(move |conn| {
            diesel::insert_into(oidc_clients::table)
                .values((
                    oidc_clients::client_id.eq(&row.client_id),
                    oidc_clients::name.eq(&row.name),
                    oidc_clients::secret_hash.eq(&row.secret_hash),
                    oidc_clients::secret_ciphertext.eq(&row.secret_ciphertext),
                    oidc_clients::secret_key_id.eq(&row.secret_key_id),
                    oidc_clients::redirect_uris.eq(&row.redirect_uris),
                    oidc_clients::trusted_first_factor.eq(row.trusted_first_factor),
                    oidc_clients::created_at.eq(row.created_at),
                ))
                .execute(conn)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "client.created",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": row.client_id,
                        "name": row.name,
                        "redirect_uris": uris,
                        "trusted_first_factor": row.trusted_first_factor,
                    }),
                },
            )?;
            Ok::<_, Error>(())
        })
        .await?;
    Ok(CreatedClient {
        client,
        client_secret: secret,
    })
}

pub async fn list(state: &AppState) -> Result<Vec<Client>, Error> {
    state
        .db
        .read(|conn| {
            let rows: Vec<ClientRow> = oidc_clients::table
                .order(oidc_clients::created_at.asc())
                .select(ClientRow::as_select())
                .load(conn)?;
            Ok::<_, Error>(rows.iter().map(ClientRow::public).collect())
        })
        .await
}

/// Deletes a client: its authorizations, codes and tokens go with it at once.
pub async fn delete(state: &AppState, ctx: RequestContext, client_id: String) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let Some(row) = find(conn, &client_id)? else {
                return Err(Error::NotFound("no client with this id".into()));
            };
            diesel::delete(oidc_clients::table.find(&row.client_id)).execute(conn)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "client.deleted",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({ "client_id": row.client_id, "name": row.name }),
                },
            )?;
            Ok(())
        })
        .await
}

pub fn find(conn: &mut DbConnection, client_id: &str) -> QueryResult<Option<ClientRow>> {
    if client_id.is_empty() || client_id.len() > 100 {
        return Ok(None);
    }
    oidc_clients::table
        .find(client_id)
        .select(ClientRow::as_select())
        .get_result(conn)
        .optional()
}

/// The client, if `secret` is its secret (compared as hashes, in constant time).
pub fn authenticate(
    conn: &mut DbConnection,
    client_id: &str,
    secret: &str,
) -> QueryResult<Option<ClientRow>> {
    let Some(row) = find(conn, client_id)? else {
        return Ok(None);
    };
    let ok: bool = hash_token(secret)
        .as_bytes()
        .ct_eq(row.secret_hash.as_bytes())
        .into();
    Ok(ok.then_some(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_https_or_loopback_http() {
        for ok in [
            "https://panel.example.com/oidc/callback",
            "http://localhost:3000/cb",
            "http://127.0.0.1:8080/cb",
            "http://[::1]:8080/cb",
            "https://panel.example.com/cb?tenant=1",
        ] {
            assert!(parse_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://panel.example.com/cb",
            "https://panel.example.com/cb#frag",
            "javascript:alert(1)",
            "/relative",
            "https://user:pw@panel.example.com/cb",
            "ftp://localhost/cb",
        ] {
            assert!(parse_redirect_uri(bad).is_err(), "{bad}");
        }
    }
}
