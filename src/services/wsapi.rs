//! Keyward as a YubiCloud-protocol 2.0 validation server (`GET /wsapi/2.0/verify`) for the keys
//! in its inventory, so clients such as yubico-pam, ykclient or Vaultwarden's
//! `YUBICO_SERVER` can use it.
//!
//! Audit: anyone can call this endpoint, and the audit chain is never pruned, so only calls
//! that mean something are recorded (`wsapi.verify`): those of a client that signed its
//! request correctly (the client is then the actor), and an unsigned call that validated an
//! OTP (a key press; the actor is then `system`, the claimed client id only a detail). Calls
//! that are malformed, name an unknown client, carry a bad signature, or are unsigned and
//! refused are answered per the protocol and write nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::audit::{AuditRecord, record_audit_event};
use super::{Actor, RequestContext};
use crate::db::DbConnection;
use crate::db::models::YubikeyRow;
use crate::db::schema::validation_clients;
use crate::domain::clock::naive;
use crate::domain::keyring::Keyring;
use crate::domain::yubicloud::{
    Status, decode_secret, new_client_secret, sign, signature_matches, timestamp, valid_nonce,
};
use crate::domain::yubikey_otp::Otp;
use crate::error::Error;
use crate::services::yubikeys::{LocalCheck, advance_counter, check_local};
use crate::state::AppState;

/// What a client's sealed secret is bound to (the id as text, for the rotation's list).
pub(crate) fn client_aad(id: impl std::fmt::Display) -> Vec<u8> {
    format!("validation-client:{id}").into_bytes()
}

/// Creates a client; returns its id and base64 secret (shown once).
#[tracing::instrument(skip_all)]
pub async fn create_client(state: &AppState, name: String) -> Result<(i32, String), Error> {
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    state
        .db
        .write(move |conn| {
            let secret = new_client_secret();
            // The id is only known after the insert; the secret is sealed to it right after.
            let id: i32 = diesel::insert_into(validation_clients::table)
                .values((
                    validation_clients::name.eq(&name),
                    validation_clients::secret_ciphertext.eq(Vec::<u8>::new()),
                    // Replaced by the sealing key's id right below.
                    validation_clients::secret_key_id.eq(keyring.current_id()),
                    validation_clients::created_at.eq(now),
                ))
                .returning(validation_clients::id)
                .get_result(conn)?;
            let sealed = keyring.seal(secret.as_bytes(), &client_aad(id));
            diesel::update(validation_clients::table.find(id))
                .set((
                    validation_clients::secret_ciphertext.eq(sealed.blob),
                    validation_clients::secret_key_id.eq(sealed.key_id),
                ))
                .execute(conn)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "wsapi.client_created",
                    ctx: &RequestContext::system(),
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({ "client_id": id, "name": name }),
                },
            )?;
            Ok((id, secret))
        })
        .await
}

fn client_secret(
    conn: &mut DbConnection,
    keyring: &Keyring,
    id: i32,
) -> Result<Option<Vec<u8>>, Error> {
    let row: Option<(Vec<u8>, String)> = validation_clients::table
        .find(id)
        .select((
            validation_clients::secret_ciphertext,
            validation_clients::secret_key_id,
        ))
        .get_result(conn)
        .optional()?;
    let Some((blob, key_id)) = row else {
        return Ok(None);
    };
    let b64 = keyring
        .open(&key_id, &blob, &client_aad(id))
        .map_err(|e| Error::internal(anyhow::anyhow!("validation client {id}: {e}")))?;
    Ok(String::from_utf8(b64).ok().and_then(|s| decode_secret(&s)))
}

/// The answer's fields, unsigned, and the key to sign them with.
struct Answer {
    status: Status,
    extra: Vec<(String, String)>,
    key: Option<Vec<u8>>,
    public_id: Option<String>,
    /// The request carried `h` and it matched the client's secret.
    signed: bool,
    /// A well-formed OTP was judged (not a refusal of the request itself).
    judged: bool,
}

impl Answer {
    /// Whether this call is worth a `wsapi.verify` event (see the module's comment).
    fn audited(&self) -> bool {
        self.judged && (self.signed || self.status == Status::Ok)
    }
}

fn judge(
    conn: &mut DbConnection,
    keyring: &Keyring,
    q: &HashMap<String, String>,
) -> Result<Answer, Error> {
    let mut answer = Answer {
        status: Status::MissingParameter,
        extra: Vec::new(),
        key: None,
        public_id: None,
        signed: false,
        judged: false,
    };
    let Some(id) = q
        .get("id")
        .and_then(|s| s.parse::<i32>().ok())
        .filter(|id| *id > 0)
    else {
        return Ok(answer);
    };
    let Some(key) = client_secret(conn, keyring, id)? else {
        answer.status = Status::NoSuchClient;
        return Ok(answer);
    };
    answer.key = Some(key.clone());
    if let Some(h) = q.get("h") {
        let params: Vec<(String, String)> = q.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        if !signature_matches(&params, &key, h) {
            answer.status = Status::BadSignature;
            return Ok(answer);
        }
        answer.signed = true;
    }
    let (Some(otp_raw), Some(nonce)) = (q.get("otp"), q.get("nonce")) else {
        return Ok(answer);
    };
    if !valid_nonce(nonce) {
        return Ok(answer);
    }
    let Ok(otp) = Otp::parse(otp_raw) else {
        answer.status = Status::BadOtp;
        return Ok(answer);
    };
    answer.public_id = Some(otp.public_id.clone());
    answer.judged = true;
    let token = match check_local(conn, keyring, &otp)? {
        LocalCheck::Valid(token) => token,
        LocalCheck::Unknown | LocalCheck::Invalid(_) => {
            answer.status = Status::BadOtp;
            return Ok(answer);
        }
    };
    if advance_counter(conn, &otp.public_id, &token, Some(nonce))? {
        answer.status = Status::Ok;
        if q.get("timestamp").map(String::as_str) == Some("1") {
            answer.extra = vec![
                ("timestamp".into(), token.timestamp.to_string()),
                ("sessioncounter".into(), token.usage_counter.to_string()),
                ("sessionuse".into(), token.session_use.to_string()),
            ];
        }
        return Ok(answer);
    }
    let row = YubikeyRow::find(conn, &otp.public_id)?;
    let same_otp = row.as_ref().is_some_and(|r| {
        (r.usage_counter, r.session_use)
            == (
                Some(i32::from(token.usage_counter)),
                Some(i32::from(token.session_use)),
            )
    });
    answer.status = if same_otp && row.and_then(|r| r.last_nonce).as_deref() == Some(nonce.as_str())
    {
        Status::ReplayedRequest
    } else {
        Status::ReplayedOtp
    };
    Ok(answer)
}

/// Answers one `/wsapi/2.0/verify` request: the protocol's text lines, signed when the client
/// is known.
#[tracing::instrument(skip_all)]
pub async fn verify(
    state: &AppState,
    query: HashMap<String, String>,
    ip: Option<String>,
) -> Result<String, Error> {
    let now: DateTime<Utc> = state.clock.now();
    let keyring = state.keyring.clone();
    let q = query.clone();
    let answer = state
        .db
        .write(move |conn| {
            let answer = judge(conn, &keyring, &q)?;
            if !answer.audited() {
                return Ok::<_, Error>(answer);
            }
            let client = q.get("id").map(|s| audit_bound(s)).unwrap_or_default();
            // Only a correct signature proves who is calling.
            let actor = if answer.signed {
                Actor::ApiKey(format!("wsapi_client_{client}"))
            } else {
                Actor::System
            };
            let ctx = RequestContext::new(actor, ip);
            record_audit_event(
                conn,
                naive(now),
                AuditRecord {
                    event: "wsapi.verify",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": client,
                        "public_id": answer.public_id,
                        "status": answer.status.as_str(),
                        "signed": answer.signed,
                    }),
                },
            )?;
            Ok::<_, Error>(answer)
        })
        .await?;
    let mut fields: Vec<(String, String)> = vec![("t".into(), timestamp(now))];
    // Echoed only when they are what they claim to be: a value with a line break or `=` could
    // otherwise add lines to the answer.
    for echo in ["otp", "nonce"] {
        if let Some(v) = query
            .get(echo)
            .filter(|v| (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            fields.push((echo.into(), v.clone()));
        }
    }
    if query.contains_key("sl") {
        fields.push(("sl".into(), "100".into()));
    }
    fields.extend(answer.extra);
    fields.push(("status".into(), answer.status.as_str().into()));
    let h = answer
        .key
        .as_deref()
        .map(|k| sign(&fields, k))
        .unwrap_or_default();
    let mut body = format!("h={h}\r\n");
    for (k, v) in &fields {
        body.push_str(&format!("{k}={v}\r\n"));
    }
    Ok(body)
}

fn audit_bound(s: &str) -> String {
    crate::domain::audit_chain::bound_text(s, 16)
}
