//! Extractors that turn every malformed request into the API's error shape: JSON bodies,
//! query strings, the bearer API key and the client address.

use std::net::SocketAddr;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::domain::api_key::Scope;
use crate::domain::clock::naive;
use crate::error::Error;
use crate::services::RequestContext;
use crate::services::apikeys::{ApiPrincipal, authenticate, touch};
use crate::state::AppState;

/// A JSON body; rejections become `400 bad_request` naming the field, or `413`.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(r: JsonRejection) -> Error {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Error::PayloadTooLarge;
    }
    let text = r.body_text();
    let detail = text
        .split_once(": ")
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or(text);
    match r {
        JsonRejection::MissingJsonContentType(_) => Error::BadRequest(
            "the body must be JSON, sent with `Content-Type: application/json`".into(),
        ),
        JsonRejection::JsonSyntaxError(_) => {
            Error::BadRequest(format!("the body is not valid JSON: {detail}"))
        }
        JsonRejection::JsonDataError(_) => Error::BadRequest(format!("invalid field: {detail}")),
        _ => Error::BadRequest(format!("the body could not be read: {detail}")),
    }
}

/// Path parameters; a segment that is not valid (e.g. not UTF-8) cannot name anything: `404`.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Self(v)),
            Err(_) => Err(Error::NotFound("no such resource".into())),
        }
    }
}

/// A query string; rejections become `400 bad_request`.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(r @ QueryRejection::FailedToDeserializeQueryString(_)) => Err(Error::BadRequest(
                format!("invalid query parameter: {}", r.body_text()),
            )),
            Err(r) => Err(Error::BadRequest(r.body_text())),
        }
    }
}

/// The authenticated API key of the request.
pub struct Caller {
    pub principal: ApiPrincipal,
    pub ip: Option<String>,
}

impl Caller {
    /// `403 forbidden` unless the key's scope includes `needed`.
    pub fn require(&self, needed: Scope) -> Result<(), Error> {
        if self.principal.scope.allows(needed) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "this API key has scope `{}`; this needs `{}`",
                self.principal.scope.as_str(),
                needed.as_str()
            )))
        }
    }

    pub fn ctx(&self) -> RequestContext {
        RequestContext::api_key(
            self.principal.key_id.clone(),
            self.principal.scope,
            self.ip.clone(),
        )
    }
}

pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(Error::Unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(Error::Unauthorized)?
            .to_owned();
        let now = naive(state.clock.now());
        let (principal, stale) = state
            .db
            .read_hot(move |conn| authenticate(conn, &token, now).map_err(Error::from))
            .await?
            .ok_or(Error::Unauthorized)?;
        if stale {
            // At most once per key and granularity interval: a small conditional UPDATE. A
            // failure costs only the freshness of `last_used_at`, never the request.
            let key_id = principal.key_id.clone();
            if let Err(e) = state
                .db
                .write(move |conn| touch(conn, &key_id, now).map_err(Error::from))
                .await
            {
                tracing::warn!(error = %e, "recording the API key's last use failed");
            }
        }
        tracing::Span::current().record("api_key", principal.key_id.as_str());
        Ok(Self {
            principal,
            ip: client_ip(parts),
        })
    }
}
