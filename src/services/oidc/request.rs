//! Reading an authorization request: the query (a sign-in at Keyward) or a signed request
//! object (RFC 9101, a hand-off), checked before anything is written.

use super::*;

/// A request object's claims (RFC 9101): the authorization parameters, plus the JWT's own.
#[derive(Debug, Clone, serde::Deserialize)]
struct RequestClaims {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    acr_values: Option<String>,
    ui_locales: Option<String>,
    prompt: Option<String>,
    login_hint: Option<String>,
    kw_action: Option<String>,
    auth_time: Option<i64>,
    jti: Option<String>,
    exp: i64,
}

pub(crate) fn bounded(
    field: &str,
    v: Option<String>,
    max: usize,
) -> Result<Option<String>, Refusal> {
    match v {
        Some(s) if s.len() > max => Err(refuse(
            "invalid_request",
            format!("{field} is longer than {max} characters"),
        )),
        Some(s) if s.is_empty() => Ok(None),
        other => Ok(other),
    }
}

/// What a valid authorization request asks for.
pub(crate) struct Request {
    pub(crate) redirect_uri: String,
    pub(crate) state: Option<String>,
    pub(crate) nonce: String,
    pub(crate) code_challenge: String,
    pub(crate) scope: String,
    pub(crate) action: &'static str,
    pub(crate) hardware: bool,
    pub(crate) ui_locales: Option<String>,
    /// Way 1: the user the client vouches for, and when it checked their password.
    pub(crate) handoff: Option<(String, Option<NaiveDateTime>, String, i64)>,
}

fn parse_action(raw: Option<&str>) -> Result<&'static str, Refusal> {
    match raw.unwrap_or("verify") {
        "verify" => Ok("verify"),
        "enroll" => Ok("enroll"),
        "manage" => Ok("manage"),
        other => Err(refuse(
            "invalid_request",
            format!(
                "kw_action must be verify, enroll or manage, not {:?}",
                other.chars().take(40).collect::<String>()
            ),
        )),
    }
}

/// Checks the parameters that do not depend on the way in (RFC 6749, OIDC Core §3.1.2.2,
/// RFC 7636).
#[allow(clippy::too_many_arguments)]
fn check_common(
    response_type: Option<String>,
    scope: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    prompt: Option<String>,
    acr_values: Option<String>,
) -> Result<(String, String, String, bool), Refusal> {
    if response_type.as_deref() != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "response_type must be code",
        ));
    }
    let scope = bounded("scope", scope, 500)?.unwrap_or_default();
    if !scope.split(' ').any(|s| s == "openid") {
        return Err(refuse("invalid_scope", "scope must contain openid"));
    }
    let nonce = bounded("nonce", nonce, 500)?
        .ok_or_else(|| refuse("invalid_request", "nonce is required"))?;
    let challenge = bounded("code_challenge", code_challenge, 128)?
        .ok_or_else(|| refuse("invalid_request", "code_challenge is required (PKCE, S256)"))?;
    if code_challenge_method.as_deref() != Some("S256") {
        return Err(refuse(
            "invalid_request",
            "code_challenge_method must be S256",
        ));
    }
    if challenge.len() != 43
        || !challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(refuse(
            "invalid_request",
            "code_challenge must be the base64url SHA-256 of the verifier (43 characters)",
        ));
    }
    if prompt
        .as_deref()
        .is_some_and(|p| p.split(' ').any(|p| p == "none"))
    {
        return Err(refuse(
            "login_required",
            "Keyward always shows the second step: prompt=none cannot be met",
        ));
    }
    let hardware = acr_values
        .as_deref()
        .is_some_and(|a| a.split(' ').any(|v| v == "hardware"));
    Ok((scope, nonce, challenge, hardware))
}

/// A refusal and where it goes: the redirect URI and the `state` to send back.
pub(crate) type Misdirected = (String, Option<String>, Refusal);

/// The first part of `authorize`, with no database writes: which client, where errors may go,
/// and the request (or a refusal to redirect).
pub(crate) fn read_request(
    conn: &mut DbConnection,
    state_keyring: &crate::domain::keyring::Keyring,
    issuer: &str,
    now: NaiveDateTime,
    p: AuthorizeParams,
) -> Result<Result<(ClientRow, Request), Misdirected>, Authorized> {
    let bad = |m: &str| Authorized::BadClient(m.to_owned());
    let Some(client_id) = p.client_id.clone().filter(|c| !c.is_empty()) else {
        return Err(bad("The request names no client (client_id is missing)."));
    };
    let client = clients::find(conn, &client_id)
        .map_err(|_| bad("The client could not be looked up. Try again."))?
        .ok_or_else(|| bad("The client that sent you here is not known to this server."))?;
    if p.request_uri.is_some() {
        let to = p
            .redirect_uri
            .clone()
            .filter(|u| client.allows(u))
            .ok_or_else(|| bad("The redirect URI is not registered for this client."))?;
        return Ok(Err((
            to,
            p.state.clone(),
            refuse(
                "request_uri_not_supported",
                "request_uri is not supported: send request",
            ),
        )));
    }
    let Some(jwt) = p.request.clone() else {
        // Way 2: a sign-in at Keyward with the query's parameters.
        let Some(redirect_uri) = p.redirect_uri.clone().filter(|u| client.allows(u)) else {
            return Err(bad("The redirect URI is not registered for this client."));
        };
        let state = p.state.clone();
        let go = |r| Ok(Err((redirect_uri.clone(), state.clone(), r)));
        let state_v = match bounded("state", p.state, 1000) {
            Ok(s) => s,
            Err(r) => return go(r),
        };
        let (scope, nonce, challenge, hardware) = match check_common(
            p.response_type,
            p.scope,
            p.nonce,
            p.code_challenge,
            p.code_challenge_method,
            p.prompt,
            p.acr_values,
        ) {
            Ok(v) => v,
            Err(r) => return go(r),
        };
        let action = match parse_action(p.kw_action.as_deref()) {
            Ok(a) => a,
            Err(r) => return go(r),
        };
        let ui_locales = bounded("ui_locales", p.ui_locales, 100).ok().flatten();
        return Ok(Ok((
            client,
            Request {
                redirect_uri,
                state: state_v,
                nonce,
                code_challenge: challenge,
                scope,
                action,
                hardware,
                ui_locales,
                handoff: None,
            },
        )));
    };
    // Way 1: a request object. Errors about it go only to a redirect URI registered for the
    // client (the query's, or the object's own when the query has none).
    let unverified_redirect = || -> Option<String> {
        let payload = jwt.split('.').nth(1)?;
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        v.get("redirect_uri")?.as_str().map(str::to_owned)
    };
    let target = p
        .redirect_uri
        .clone()
        .or_else(unverified_redirect)
        .filter(|u| client.allows(u))
        .ok_or_else(|| bad("The redirect URI is not registered for this client."))?;
    // The state to echo: the query's, or the (not yet verified) object's own, so a client that
    // sends only client_id and request can still match the answer to its request.
    let unverified_state = || -> Option<String> {
        let payload = jwt.split('.').nth(1)?;
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        v.get("state")?
            .as_str()
            .map(|s| s.chars().take(1000).collect())
    };
    let echo = p.state.clone().or_else(unverified_state);
    let fail = |r: Refusal| Ok(Err((target.clone(), echo.clone(), r)));
    if !client.trusted_first_factor {
        return fail(refuse(
            "unauthorized_client",
            "this client may not hand off a signed-in user (it is not trusted_first_factor)",
        ));
    }
    let header = match jsonwebtoken::decode_header(&jwt) {
        Ok(h) => h,
        Err(_) => {
            return fail(refuse(
                "invalid_request_object",
                "the request object is not a signed JWT (HS256)",
            ));
        }
    };
    if header.alg != jsonwebtoken::Algorithm::HS256 {
        return fail(refuse(
            "invalid_request_object",
            "the request object must be signed with HS256",
        ));
    }
    let Some(secret) = client.secret(state_keyring) else {
        return fail(refuse(
            "invalid_request_object",
            "this client has no secret to check request objects with",
        ));
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&[issuer]);
    validation.set_issuer(&[client.client_id.as_str()]);
    validation.set_required_spec_claims(&["exp", "iat", "aud", "iss"]);
    validation.leeway = 30;
    // Our clock (tests move it): checked by hand below.
    validation.validate_exp = false;
    let claims = match jsonwebtoken::decode::<RequestClaims>(
        &jwt,
        &jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    ) {
        Ok(d) => d.claims,
        Err(e) => {
            use jsonwebtoken::errors::ErrorKind;
            let why = match e.kind() {
                ErrorKind::InvalidSignature => "the request object's signature does not verify",
                ErrorKind::InvalidAudience => "the request object is for another audience",
                ErrorKind::InvalidIssuer => "the request object's iss is not the client_id",
                ErrorKind::MissingRequiredClaim(_) => {
                    "the request object lacks exp, iat, aud or iss"
                }
                _ => "the request object is not valid",
            };
            return fail(refuse("invalid_request_object", why));
        }
    };
    let now_ts = now.and_utc().timestamp();
    if claims.exp <= now_ts - 30 {
        return fail(refuse(
            "invalid_request_object",
            "the request object has expired",
        ));
    }
    if claims.exp > now_ts + REQUEST_OBJECT_MINUTES * 60 + 30 {
        return fail(refuse(
            "invalid_request_object",
            "the request object expires more than 10 minutes ahead",
        ));
    }
    if claims
        .client_id
        .as_deref()
        .is_some_and(|c| c != client.client_id)
    {
        return fail(refuse(
            "invalid_request_object",
            "the request object's client_id is not the query's",
        ));
    }
    let Some(jti) = claims
        .jti
        .clone()
        .filter(|j| !j.is_empty() && j.len() <= 200)
    else {
        return fail(refuse(
            "invalid_request_object",
            "the request object has no jti",
        ));
    };
    // Only the request object's parameters count (RFC 9101 §6.3), its redirect URI included.
    let Some(redirect_uri) = claims.redirect_uri.clone().filter(|u| client.allows(u)) else {
        return fail(refuse(
            "invalid_request_object",
            "the request object's redirect_uri is missing or not registered",
        ));
    };
    let target = redirect_uri.clone();
    let state = claims.state.clone();
    let go = |r: Refusal| Ok(Err((target.clone(), state.clone(), r)));
    let state_v = match bounded("state", claims.state, 1000) {
        Ok(s) => s,
        Err(r) => return go(r),
    };
    let (scope, nonce, challenge, hardware) = match check_common(
        claims.response_type,
        claims.scope,
        claims.nonce,
        claims.code_challenge,
        claims.code_challenge_method,
        claims.prompt,
        claims.acr_values,
    ) {
        Ok(v) => v,
        Err(r) => return go(r),
    };
    let action = match parse_action(claims.kw_action.as_deref()) {
        Ok(a) => a,
        Err(r) => return go(r),
    };
    let Some(user_id) = claims.login_hint.clone().filter(|u| u.starts_with("usr_")) else {
        return go(refuse(
            "invalid_request_object",
            "login_hint must be the Keyward user id (usr_…)",
        ));
    };
    let auth_time = claims
        .auth_time
        .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
        .map(|t| t.naive_utc());
    Ok(Ok((
        client,
        Request {
            redirect_uri,
            state: state_v,
            nonce,
            code_challenge: challenge,
            scope,
            action,
            hardware,
            ui_locales: bounded("ui_locales", claims.ui_locales, 100).ok().flatten(),
            handoff: Some((user_id, auth_time, jti, claims.exp)),
        },
    )))
}
