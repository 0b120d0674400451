//! Keyward: its API (the panel's users, their two-factor status) and the OpenID Connect
//! hand-off (the authorization URL with a signed request object; the code exchange and the ID
//! token's checks).

use std::time::{SystemTime, UNIX_EPOCH};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreProviderMetadata,
};
use openidconnect::{
    AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, HttpRequest, HttpResponse, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Serialize;

use crate::Config;

/// The client as `from_provider_metadata` makes it: authorization, token and userinfo
/// endpoints from discovery.
type Oidc = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// openidconnect's HTTP client: any `Fn(HttpRequest) -> Future<Result<HttpResponse, E>>`.
/// Redirects are never followed (the crate's advice against SSRF).
pub async fn send(http: reqwest::Client, req: HttpRequest) -> Result<HttpResponse, reqwest::Error> {
    let (parts, body) = req.into_parts();
    let resp = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await?;
    let mut out = HttpResponse::new(bytes.to_vec());
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

pub fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()?)
}

pub struct Keyward {
    pub cfg: Config,
    pub http: reqwest::Client,
}

/// What the panel hands off for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The second step after the panel's password.
    Verify,
    /// "Turn on two-factor authentication".
    Enroll,
    /// "Manage two-factor authentication".
    Manage,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Verify => "verify",
            Action::Enroll => "enroll",
            Action::Manage => "manage",
        }
    }
}

/// What the panel must keep until the browser comes back (keyed by `state`).
#[derive(Debug, Clone)]
pub struct Pending {
    pub nonce: String,
    pub pkce_verifier: String,
    pub keyward_user_id: String,
}

/// The request object's claims (API.md, "Hand-off"; RFC 9101).
#[derive(Serialize)]
struct RequestObject<'a> {
    iss: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
    client_id: &'a str,
    response_type: &'static str,
    redirect_uri: &'a str,
    scope: &'static str,
    state: &'a str,
    nonce: &'a str,
    code_challenge: &'a str,
    code_challenge_method: &'static str,
    login_hint: &'a str,
    kw_action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_time: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acr_values: Option<&'static str>,
}

/// What a verified ID token says.
#[derive(Debug, Clone)]
pub struct Verified {
    pub acr: Option<String>,
    pub amr: Vec<String>,
    pub kw_method: Option<String>,
}

/// An error answer from Keyward, or a check of ours that failed.
#[derive(Debug)]
pub struct Refused {
    pub error: String,
    pub description: String,
}

fn refused(error: &str, description: impl Into<String>) -> Refused {
    Refused {
        error: error.into(),
        description: description.into(),
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Keyward {
    fn api(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.cfg.keyward_url))
            .bearer_auth(&self.cfg.api_key)
    }

    /// `POST /api/v1/users` (integration key): the Keyward user for a panel user.
    pub async fn create_user(&self, email: &str, display_name: &str) -> anyhow::Result<String> {
        let resp = self
            .api(reqwest::Method::POST, "/api/v1/users")
            .json(&serde_json::json!({ "email": email, "display_name": display_name }))
            .send()
            .await?;
        let status = resp.status();
        let body: serde_json::Value = resp.json().await?;
        anyhow::ensure!(status.is_success(), "Keyward answered {status}: {body}");
        body["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("Keyward's answer has no id: {body}"))
    }

    /// `GET /api/v1/users/{id}`: whether the user has an active second factor.
    pub async fn two_factor_enabled(&self, user_id: &str) -> anyhow::Result<bool> {
        let resp = self
            .api(reqwest::Method::GET, &format!("/api/v1/users/{user_id}"))
            .send()
            .await?;
        let status = resp.status();
        let body: serde_json::Value = resp.json().await?;
        anyhow::ensure!(status.is_success(), "Keyward answered {status}: {body}");
        Ok(body["two_factor_enabled"].as_bool().unwrap_or(false))
    }

    /// Discovery (`/.well-known/openid-configuration`, then `jwks_uri`). Done at every use so a
    /// rotated signing key is picked up; cache it for a few minutes in a busy panel.
    async fn client(&self) -> anyhow::Result<Oidc> {
        let http = self.http.clone();
        let metadata = CoreProviderMetadata::discover_async(
            IssuerUrl::new(self.cfg.keyward_url.clone())?,
            &move |r| send(http.clone(), r),
        )
        .await
        .map_err(|e| {
            anyhow::anyhow!("OpenID Connect discovery at {}: {e}", self.cfg.keyward_url)
        })?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.cfg.client_id.clone()),
            Some(ClientSecret::new(self.cfg.client_secret.clone())),
        )
        .set_redirect_uri(RedirectUrl::new(self.cfg.redirect_uri())?))
    }

    /// The address to send the browser to: the authorization endpoint with `client_id` and a
    /// request object (signed HS256 with the client secret) that carries everything else.
    /// openidconnect repeats the parameters in the query (OIDC Core §6.1); Keyward uses the
    /// request object's.
    pub async fn authorization_url(
        &self,
        keyward_user_id: &str,
        action: Action,
        hardware: bool,
        password_checked_at: Option<u64>,
    ) -> anyhow::Result<(String, String, Pending)> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let state = CsrfToken::new_random();
        let nonce = Nonce::new_random();
        let now = now();
        let redirect_uri = self.cfg.redirect_uri();
        let claims = RequestObject {
            iss: &self.cfg.client_id,
            aud: &self.cfg.keyward_url,
            iat: now,
            exp: now + 300,
            jti: CsrfToken::new_random().secret().clone(),
            client_id: &self.cfg.client_id,
            response_type: "code",
            redirect_uri: &redirect_uri,
            scope: "openid",
            state: state.secret(),
            nonce: nonce.secret(),
            code_challenge: challenge.as_str(),
            code_challenge_method: "S256",
            login_hint: keyward_user_id,
            kw_action: action.as_str(),
            auth_time: password_checked_at,
            acr_values: hardware.then_some("hardware"),
        };
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.typ = Some("oauth-authz-req+jwt".into());
        let request = jsonwebtoken::encode(
            &header,
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(self.cfg.client_secret.as_bytes()),
        )?;
        let (state_c, nonce_c) = (state.clone(), nonce.clone());
        let mut auth = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                move || state_c,
                move || nonce_c,
            )
            .add_scope(Scope::new("openid".into()))
            .set_pkce_challenge(challenge)
            .add_extra_param("request", request);
        if hardware {
            auth = auth.add_auth_context_value(AuthenticationContextClass::new("hardware".into()));
        }
        let (url, _, _) = auth.url();
        Ok((
            url.to_string(),
            state.secret().clone(),
            Pending {
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                keyward_user_id: keyward_user_id.to_owned(),
            },
        ))
    }

    /// The callback's checks: `iss` (RFC 9207), an error answer, the code exchange (PKCE,
    /// client_secret_basic), the ID token's signature (JWKS), `iss`, `aud`, `exp` and `nonce`
    /// (openidconnect), then ours: `sub` is the user we sent, and `acr` is there.
    pub async fn finish(
        &self,
        pending: &Pending,
        q: &std::collections::HashMap<String, String>,
    ) -> Result<Verified, Refused> {
        if q.get("iss").map(String::as_str) != Some(self.cfg.keyward_url.as_str()) {
            return Err(refused(
                "invalid_response",
                "the answer's iss is not Keyward's issuer (RFC 9207)",
            ));
        }
        if let Some(error) = q.get("error") {
            return Err(refused(
                error,
                q.get("error_description").cloned().unwrap_or_default(),
            ));
        }
        let Some(code) = q.get("code") else {
            return Err(refused("invalid_response", "the answer has no code"));
        };
        let client = self
            .client()
            .await
            .map_err(|e| refused("server_error", e.to_string()))?;
        let http = self.http.clone();
        let token = client
            .exchange_code(AuthorizationCode::new(code.clone()))
            .map_err(|e| refused("server_error", e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&move |r| send(http.clone(), r))
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(r) => refused(
                    r.error().as_ref(),
                    r.error_description().cloned().unwrap_or_default(),
                ),
                other => refused("server_error", format!("the token request failed: {other}")),
            })?;
        let id_token = token
            .id_token()
            .ok_or_else(|| refused("invalid_response", "the token answer has no ID token"))?;
        let claims: &CoreIdTokenClaims = id_token
            .claims(
                &client.id_token_verifier(),
                &Nonce::new(pending.nonce.clone()),
            )
            .map_err(|e| refused("invalid_id_token", e.to_string()))?;
        if claims.subject().as_str() != pending.keyward_user_id {
            return Err(refused(
                "invalid_id_token",
                "the ID token is for another user (sub)",
            ));
        }
        let acr = claims.auth_context_ref().map(|a| a.to_string());
        if acr.is_none() {
            return Err(refused(
                "invalid_id_token",
                "the ID token has no acr: no second factor was used",
            ));
        }
        // Keyward's own claim; the signature was verified above.
        let kw_method = id_token
            .to_string()
            .split('.')
            .nth(1)
            .and_then(|p| {
                use base64::Engine;
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(p)
                    .ok()
            })
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v["kw_method"].as_str().map(str::to_owned));
        Ok(Verified {
            acr,
            amr: claims
                .auth_method_refs()
                .map(|v| v.iter().map(|a| a.to_string()).collect())
                .unwrap_or_default(),
            kw_method,
        })
    }
}

/// `--setup`: registers the panel at Keyward (`POST /api/v1/clients`, a `security` key) and
/// prints the client id and secret to put in the environment.
pub async fn setup(cfg: &Config, security_key: &str, name: &str) -> anyhow::Result<()> {
    let resp = http_client()?
        .post(format!("{}/api/v1/clients", cfg.keyward_url))
        .bearer_auth(security_key)
        .json(&serde_json::json!({
            "name": name,
            "redirect_uris": [cfg.redirect_uri()],
            "trusted_first_factor": true,
        }))
        .send()
        .await?;
    let status = resp.status();
    let body: serde_json::Value = resp.json().await?;
    anyhow::ensure!(status.is_success(), "Keyward answered {status}: {body}");
    println!(
        "CLIENT_ID={}",
        body["client_id"].as_str().unwrap_or_default()
    );
    println!(
        "CLIENT_SECRET={}",
        body["client_secret"].as_str().unwrap_or_default()
    );
    Ok(())
}
