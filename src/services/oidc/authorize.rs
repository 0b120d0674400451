//! The authorization endpoint: both ways in (a signed request object from a trusted client, or a
//! sign-in at Keyward), the checks of RFC 6749, OIDC Core §3.1.2 and RFC 9101, and the
//! redirect with an error, `state` and `iss` for every refusal that may be redirected.

use super::request::read_request;
use super::*;

/// The parameters of `GET`/`POST /oauth2/authorize` (query or form), each as sent.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
    pub acr_values: Option<String>,
    pub ui_locales: Option<String>,
    pub max_age: Option<String>,
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    pub kw_action: Option<String>,
}

/// An error for the client, sent to its redirect URI (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: &'static str,
    pub description: String,
}

pub(crate) fn refuse(error: &'static str, description: impl Into<String>) -> Refusal {
    Refusal {
        error,
        description: description.into(),
    }
}

/// How `authorize` ended.
#[derive(Debug)]
pub enum Authorized {
    /// No redirect may be made: an unknown client, or a redirect URI it did not register.
    BadClient(String),
    /// Back to the client with an error.
    Refused(String),
    /// A hand-off: a portal session for the user (its cookie token) and the page to open.
    HandOff { token: String, next: String },
    /// A sign-in at Keyward: the cookie that ties this browser to the authorization.
    SignIn { browser_token: String },
}

/// `redirect_uri` with `params` added to its query.
pub fn with_query(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

pub(crate) fn error_url(
    issuer: &str,
    redirect_uri: &str,
    state: Option<&str>,
    r: &Refusal,
) -> String {
    let mut params = vec![
        ("error", r.error),
        ("error_description", r.description.as_str()),
    ];
    if let Some(s) = state {
        params.push(("state", s));
    }
    params.push(("iss", issuer));
    with_query(redirect_uri, &params)
}

/// Starts an authorization (both ways in). Refusals redirect to the client with `error`,
/// `state` and `iss`; only an unknown client or redirect URI gets a page here.
#[tracing::instrument(skip_all)]
pub async fn authorize(
    state: &AppState,
    ip: Option<String>,
    previous_session: Option<String>,
    p: AuthorizeParams,
) -> Result<Authorized, Error> {
    let now = naive(state.clock.now());
    let issuer = issuer(state);
    let keyring = state.keyring.clone();
    state
        .db
        .write(move |conn| {
            let (client, req) = match read_request(conn, &keyring, &issuer, now, p) {
                Err(page) => return Ok(page),
                Ok(Err((to, st, r))) => {
                    return Ok(Authorized::Refused(error_url(&issuer, &to, st.as_deref(), &r)));
                }
                Ok(Ok(v)) => v,
            };
            let refused = |conn: &mut DbConnection, user: Option<&str>, r: Refusal| {
                // Audited once the user is known (a refusal before that is the client's
                // business, and anyone can send it: it must not grow the audit chain).
                if let Some(uid) = user {
                    let ctx = RequestContext::new(Actor::User(uid.to_owned()), ip.clone());
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "oidc.refused",
                            ctx: &ctx,
                            user_id: Some(uid),
                            factor_id: None,
                            details: serde_json::json!({
                                "client_id": client.client_id,
                                "error": r.error,
                                "reason": r.description,
                            }),
                        },
                    )?;
                }
                Ok::<_, Error>(Authorized::Refused(error_url(
                    &issuer,
                    &req.redirect_uri,
                    req.state.as_deref(),
                    &r,
                )))
            };
            let id = crate::domain::ids::new_id("az");
            let insert = |conn: &mut DbConnection,
                          user_id: Option<&str>,
                          way: &str,
                          browser_hash: Option<String>,
                          auth_time: Option<NaiveDateTime>| {
                diesel::insert_into(oidc_authorizations::table)
                    .values((
                        oidc_authorizations::id.eq(&id),
                        oidc_authorizations::client_id.eq(&client.client_id),
                        oidc_authorizations::user_id.eq(user_id),
                        oidc_authorizations::way.eq(way),
                        oidc_authorizations::action.eq(req.action),
                        oidc_authorizations::redirect_uri.eq(&req.redirect_uri),
                        oidc_authorizations::state.eq(&req.state),
                        oidc_authorizations::nonce.eq(&req.nonce),
                        oidc_authorizations::code_challenge.eq(&req.code_challenge),
                        oidc_authorizations::scope.eq(&req.scope),
                        oidc_authorizations::hardware.eq(req.hardware),
                        oidc_authorizations::ui_locales.eq(&req.ui_locales),
                        oidc_authorizations::browser_hash.eq(browser_hash),
                        oidc_authorizations::auth_time.eq(auth_time),
                        oidc_authorizations::created_at.eq(now),
                        oidc_authorizations::expires_at
                            .eq(now + Duration::minutes(AUTHORIZATION_MINUTES)),
                    ))
                    .execute(conn)
            };
            let Some((user_id, auth_time, jti, exp)) = req.handoff.clone() else {
                // Way 2: Keyward asks for the password; this browser carries the cookie.
                let browser_token = random_token();
                insert(conn, None, "signin", Some(hash_token(&browser_token)), None)?;
                return Ok(Authorized::SignIn { browser_token });
            };
            // The request object is used up, whatever happens next.
            let jti_expires = DateTime::<Utc>::from_timestamp(exp, 0)
                .map(|t| t.naive_utc())
                .unwrap_or(now)
                + Duration::minutes(1);
            let fresh = remember_jti(conn, &client.client_id, &jti, jti_expires)?;
            if fresh == 0 {
                return refused(
                    conn,
                    None,
                    refuse("invalid_request_object", "the request object was used before (jti)"),
                );
            }
            let Some(user) = UserRow::find(conn, &user_id).optional()? else {
                return refused(
                    conn,
                    None,
                    refuse("invalid_request_object", "login_hint names no Keyward user"),
                );
            };
            let policy = crate::services::policy::effective_locked(conn, &user.id)?.policy;
            crate::services::users::lock_user(conn, &user.id)?;
            let since = compliance::refresh_user(conn, &policy, &user.id, now, false)?;
            let active = FactorRow::active_for_user(conn, &user.id)?;
            let compliant = active.iter().any(|f| compliance::row_complies(&policy, f));
            let hardware_factor = active
                .iter()
                .any(|f| matches!(f.kind, FactorKind::YubikeyOtp | FactorKind::Webauthn));
            if locked_out(conn, &user.id, now)? {
                return refused(conn, Some(&user.id), refuse("access_denied", "too_many_attempts"));
            }
            if req.hardware && !hardware_factor && req.action != "enroll" {
                return refused(conn, Some(&user.id), refuse("access_denied", "acr_not_met"));
            }
            let fresh_auth = auth_time.is_some_and(|t| t + Duration::minutes(FRESH_AUTH_MINUTES) > now);
            let stage = if !active.is_empty() {
                // Whoever has a factor passes the second step first, whatever the action.
                Stage::SecondStep
            } else {
                match compliance::standing(&policy, compliant, since, now) {
                    compliance::Standing::Overdue { .. } => {
                        return refused(
                            conn,
                            Some(&user.id),
                            refuse("access_denied", "enrollment_overdue"),
                        );
                    }
                    standing => {
                        let required = matches!(standing, compliance::Standing::MustEnroll { .. });
                        if req.action == "verify" && !required {
                            return refused(
                                conn,
                                Some(&user.id),
                                refuse("access_denied", "no_second_factor"),
                            );
                        }
                        if !fresh_auth {
                            return refused(
                                conn,
                                Some(&user.id),
                                refuse(
                                    "login_required",
                                    "auth_time is missing or older than 10 minutes: check the password again first",
                                ),
                            );
                        }
                        if req.action == "manage" && !required {
                            Stage::Full
                        } else {
                            Stage::Enroll
                        }
                    }
                }
            };
            insert(conn, Some(&user.id), "handoff", None, auth_time)?;
            let token = crate::services::sessions::start(
                conn,
                now,
                &user.id,
                stage,
                previous_session.as_deref(),
            )?;
            let hash = hash_token(&token);
            diesel::update(sessions::table.find(&hash))
                .set(sessions::oidc_authorization.eq(Some(&id)))
                .execute(conn)?;
            if stage != Stage::SecondStep {
                // The client checked the password within the last 10 minutes.
                crate::services::sessions::grant_sudo(conn, &hash, now)?;
            }
            let ctx = RequestContext::new(Actor::User(user.id.clone()), ip.clone());
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "oidc.authorize",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": client.client_id,
                        "client": client.name,
                        "action": req.action,
                        "way": "handoff",
                        "first_factor": "client",
                        "hardware": req.hardware,
                    }),
                },
            )?;
            let next = match stage {
                Stage::SecondStep => "/signin/verify",
                Stage::Enroll => "/settings/add",
                Stage::Full => "/settings",
            };
            Ok(Authorized::HandOff {
                token,
                next: next.to_owned(),
            })
        })
        .await
}
