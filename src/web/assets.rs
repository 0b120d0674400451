//! The stylesheet and scripts, compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;

fn asset(kind: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, kind)], body)
}

pub async fn stylesheet() -> impl IntoResponse {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../static/keyward.css"),
    )
}

pub async fn portal_js() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/portal.js"),
    )
}

/// The browser side of the WebAuthn ceremonies (for the portal and for relying apps' pages).
pub async fn webauthn_js() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/webauthn.js"),
    )
}
