//! `GET /wsapi/2.0/verify`: the YubiCloud validation protocol 2.0, for the keys in the inventory.
//! Answers are protocol text (always `200`; the outcome is the `status` line).

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;

use crate::error::Error;
use crate::services::wsapi;
use crate::state::AppState;

#[tracing::instrument(skip_all)]
pub async fn verify(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    parts: Parts,
) -> Result<impl IntoResponse, Error> {
    let params: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .take(16)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let ip = super::extract::client_ip(&parts);
    let body = wsapi::verify(&state, params, ip).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body))
}
