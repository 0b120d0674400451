//! The token endpoint (the code for tokens, PKCE, code reuse), the RS256 ID token with its
//! claims, and userinfo.

use super::*;

/// An OAuth error at the token or userinfo endpoint (RFC 6749 §5.2, RFC 6750 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

fn oauth(status: u16, error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        status,
        error,
        description: description.into(),
    }
}

/// `POST /oauth2/token` as parsed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct TokenForm {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// The token endpoint's answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
    pub scope: String,
}

/// Keyward's claims beside the standard ones.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeywardClaims {
    pub kw_action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kw_method: Option<String>,
}

impl openidconnect::AdditionalClaims for KeywardClaims {}

type KeywardIdToken = openidconnect::IdToken<
    KeywardClaims,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJwsSigningAlgorithm,
>;

struct Issued {
    user_id: String,
    email: String,
    email_verified: bool,
    nonce: String,
    scope: String,
    action: String,
    method: Option<String>,
    password_checked: bool,
    auth_time: NaiveDateTime,
    client_id: String,
}

/// PKCE (RFC 7636 §4.6): the verifier's SHA-256, base64url, is the challenge.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    if !(43..=128).contains(&verifier.len())
        || !verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    {
        return false;
    }
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    subtle::ConstantTimeEq::ct_eq(computed.as_bytes(), challenge.as_bytes()).into()
}

/// Exchanges a code for tokens: the client authenticated (basic or post), the code single-use,
/// unexpired, for this client and redirect URI, and the PKCE verifier right. A code used twice
/// revokes the access token issued with it.
#[tracing::instrument(skip_all)]
pub async fn exchange(
    state: &AppState,
    ip: Option<String>,
    basic: Option<(String, String)>,
    form: TokenForm,
) -> Result<Result<TokenAnswer, OAuthError>, Error> {
    let now = naive(state.clock.now());
    let (client_id, secret) = match (basic, form.client_id.clone(), form.client_secret.clone()) {
        (Some((id, secret)), post_id, None) if post_id.as_ref().is_none_or(|p| *p == id) => {
            (id, secret)
        }
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(_), _, Some(_)) => {
            return Ok(Err(oauth(
                400,
                "invalid_request",
                "use one client authentication method, not two",
            )));
        }
        _ => {
            return Ok(Err(oauth(
                401,
                "invalid_client",
                "client authentication is required (client_secret_basic or client_secret_post)",
            )));
        }
    };
    if form.grant_type.as_deref() != Some("authorization_code") {
        // The client is checked first all the same (below), so a stranger learns nothing.
    }
    let access_token = random_token();
    let issued = {
        let access_hash = hash_token(&access_token);
        state
            .db
            .write(move |conn| {
                let Some(client) = clients::authenticate(conn, &client_id, &secret)? else {
                    return Ok::<_, Error>(Err(oauth(401, "invalid_client", "unknown client or wrong secret")));
                };
                if form.grant_type.as_deref() != Some("authorization_code") {
                    return Ok(Err(oauth(400, "unsupported_grant_type", "grant_type must be authorization_code")));
                }
                let Some(code) = form.code.filter(|c| !c.is_empty() && c.len() <= 100) else {
                    return Ok(Err(oauth(400, "invalid_request", "code is required")));
                };
                type CodeRow = (
                    String,
                    String,
                    Option<String>,
                    String,
                    String,
                    Option<NaiveDateTime>,
                    Option<NaiveDateTime>,
                );
                let row: Option<CodeRow> =
                    oidc_authorizations::table
                        .filter(oidc_authorizations::code_hash.eq(hash_token(&code)))
                        .select((
                            oidc_authorizations::id,
                            oidc_authorizations::client_id,
                            oidc_authorizations::user_id,
                            oidc_authorizations::redirect_uri,
                            oidc_authorizations::code_challenge,
                            oidc_authorizations::code_expires_at,
                            oidc_authorizations::code_used_at,
                        ))
                        .get_result(conn)
                        .optional()?;
                let invalid = |why: &str| Ok(Err(oauth(400, "invalid_grant", why)));
                let Some((id, code_client, user_id, redirect_uri, challenge, expires, used)) = row else {
                    return invalid("the code is unknown, expired or used");
                };
                if code_client != client.client_id {
                    return invalid("the code was issued to another client");
                }
                let Some(user_id) = user_id else {
                    return invalid("the code is unknown, expired or used");
                };
                if used.is_some() {
                    // A code used twice: whoever has it now may be an attacker (RFC 6749 §4.1.2,
                    // RFC 9700 §4.2.1): what the first use issued stops working.
                    let revoked = diesel::update(
                        oidc_tokens::table
                            .filter(oidc_tokens::authorization_id.eq(&id))
                            .filter(oidc_tokens::revoked_at.is_null()),
                    )
                    .set(oidc_tokens::revoked_at.eq(Some(now)))
                    .execute(conn)?;
                    let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "oidc.code_reused",
                            ctx: &ctx,
                            user_id: Some(&user_id),
                            factor_id: None,
                            details: serde_json::json!({ "client_id": client.client_id, "tokens_revoked": revoked }),
                        },
                    )?;
                    return invalid("the code was used before: what it issued is revoked");
                }
                if expires.is_none_or(|e| e <= now) {
                    return invalid("the code has expired");
                }
                if form.redirect_uri.as_deref() != Some(redirect_uri.as_str()) {
                    return invalid("redirect_uri is not the one the code was issued for");
                }
                if !form.code_verifier.as_deref().is_some_and(|v| pkce_matches(v, &challenge)) {
                    return invalid("code_verifier does not match the code_challenge");
                }
                let took = diesel::update(
                    oidc_authorizations::table
                        .find(&id)
                        .filter(oidc_authorizations::code_used_at.is_null()),
                )
                .set(oidc_authorizations::code_used_at.eq(Some(now)))
                .execute(conn)?;
                if took != 1 {
                    return invalid("the code was used before");
                }
                let (nonce, scope, action, method, password_checked, auth_time): (
                    String,
                    String,
                    String,
                    Option<String>,
                    bool,
                    Option<NaiveDateTime>,
                ) = oidc_authorizations::table
                    .find(&id)
                    .select((
                        oidc_authorizations::nonce,
                        oidc_authorizations::scope,
                        oidc_authorizations::action,
                        oidc_authorizations::method,
                        oidc_authorizations::password_checked,
                        oidc_authorizations::auth_time,
                    ))
                    .get_result(conn)?;
                let (email, verified): (String, Option<NaiveDateTime>) = users::table
                    .find(&user_id)
                    .select((users::email, users::email_verified_at))
                    .get_result(conn)?;
                diesel::insert_into(oidc_tokens::table)
                    .values((
                        oidc_tokens::token_hash.eq(&access_hash),
                        oidc_tokens::authorization_id.eq(&id),
                        oidc_tokens::client_id.eq(&client.client_id),
                        oidc_tokens::user_id.eq(&user_id),
                        oidc_tokens::scope.eq(&scope),
                        oidc_tokens::created_at.eq(now),
                        oidc_tokens::expires_at.eq(now + Duration::minutes(ACCESS_TOKEN_MINUTES)),
                    ))
                    .execute(conn)?;
                let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "oidc.token_issued",
                        ctx: &ctx,
                        user_id: Some(&user_id),
                        factor_id: None,
                        details: serde_json::json!({ "client_id": client.client_id, "action": action, "method": method }),
                    },
                )?;
                Ok(Ok(Issued {
                    user_id,
                    email,
                    email_verified: verified.is_some(),
                    nonce,
                    scope,
                    action,
                    method,
                    password_checked,
                    auth_time: auth_time.unwrap_or(now),
                    client_id: client.client_id,
                }))
            })
            .await?
    };
    let issued = match issued {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let id_token = id_token(state, &issued, &access_token).await?;
    Ok(Ok(TokenAnswer {
        access_token,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_MINUTES * 60,
        id_token,
        scope: issued.scope,
    }))
}

/// RFC 8176 methods and the class of the second factor used.
fn amr_acr(
    method: Option<&str>,
    password_checked: bool,
) -> (Vec<&'static str>, Option<&'static str>) {
    let mut amr = Vec::new();
    if password_checked {
        amr.push("pwd");
    }
    match method {
        Some("totp") | Some("backup_code") => amr.push("otp"),
        Some("yubikey_otp") => {
            amr.push("otp");
            amr.push("hwk");
        }
        Some("webauthn") => amr.push("hwk"),
        _ => {}
    }
    if password_checked && method.is_some() {
        amr.push("mfa");
    }
    let acr = match method {
        Some("yubikey_otp") | Some("webauthn") => Some("hardware"),
        Some(_) => Some("2fa"),
        None => None,
    };
    (amr, acr)
}

async fn id_token(state: &AppState, i: &Issued, access_token: &str) -> Result<String, Error> {
    use openidconnect::{
        AccessToken, Audience, AuthenticationContextClass, AuthenticationMethodReference,
        EndUserEmail, IdTokenClaims, IssuerUrl, Nonce, StandardClaims, SubjectIdentifier,
    };
    let key = signing::current(state).await?;
    let now = state.clock.now();
    let issuer = IssuerUrl::new(issuer(state)).map_err(Error::internal)?;
    let mut standard = StandardClaims::new(SubjectIdentifier::new(i.user_id.clone()));
    if i.scope.split(' ').any(|s| s == "email") {
        standard = standard
            .set_email(Some(EndUserEmail::new(i.email.clone())))
            .set_email_verified(Some(i.email_verified));
    }
    let (amr, acr) = amr_acr(i.method.as_deref(), i.password_checked);
    let claims = IdTokenClaims::new(
        issuer,
        vec![Audience::new(i.client_id.clone())],
        now + Duration::minutes(signing::ID_TOKEN_MINUTES),
        now,
        standard,
        KeywardClaims {
            kw_action: i.action.clone(),
            kw_method: i.method.clone(),
        },
    )
    .set_nonce(Some(Nonce::new(i.nonce.clone())))
    .set_auth_time(Some(i.auth_time.and_utc()))
    .set_auth_method_refs((!amr.is_empty()).then(|| {
        amr.iter()
            .map(|m| AuthenticationMethodReference::new((*m).to_owned()))
            .collect()
    }))
    .set_auth_context_ref(acr.map(|a| AuthenticationContextClass::new(a.to_owned())));
    let token = KeywardIdToken::new(
        claims,
        &key,
        openidconnect::core::CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&AccessToken::new(access_token.to_owned())),
        None,
    )
    .map_err(|e| Error::internal(anyhow::anyhow!("signing the ID token failed: {e}")))?;
    Ok(token.to_string())
}

/// `GET /oauth2/userinfo`: the subject (and the address, with scope `email`) of a valid token.
pub async fn userinfo(
    state: &AppState,
    access_token: String,
) -> Result<Result<serde_json::Value, OAuthError>, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let row: Option<(String, String)> = oidc_tokens::table
                .find(hash_token(&access_token))
                .filter(oidc_tokens::revoked_at.is_null())
                .filter(oidc_tokens::expires_at.gt(now))
                .select((oidc_tokens::user_id, oidc_tokens::scope))
                .get_result(conn)
                .optional()?;
            let Some((user_id, scope)) = row else {
                return Ok::<_, Error>(Err(oauth(
                    401,
                    "invalid_token",
                    "the access token is unknown, expired or revoked",
                )));
            };
            let mut answer = serde_json::json!({ "sub": user_id });
            if scope.split(' ').any(|s| s == "email") {
                let (email, verified): (String, Option<NaiveDateTime>) = users::table
                    .find(&user_id)
                    .select((users::email, users::email_verified_at))
                    .get_result(conn)?;
                answer["email"] = serde_json::json!(email);
                answer["email_verified"] = serde_json::json!(verified.is_some());
            }
            Ok(Ok(answer))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "short",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }

    #[test]
    fn amr_and_acr_follow_rfc_8176() {
        assert_eq!(amr_acr(Some("totp"), false), (vec!["otp"], Some("2fa")));
        assert_eq!(
            amr_acr(Some("webauthn"), true),
            (vec!["pwd", "hwk", "mfa"], Some("hardware"))
        );
        assert_eq!(
            amr_acr(Some("yubikey_otp"), false),
            (vec!["otp", "hwk"], Some("hardware"))
        );
        assert_eq!(
            amr_acr(Some("backup_code"), true),
            (vec!["pwd", "otp", "mfa"], Some("2fa"))
        );
        assert_eq!(amr_acr(None, true), (vec!["pwd"], None));
    }
}
