//! Server-rendered pages (askama templates in `templates/`, one stylesheet, no inline script).

pub mod audit;
pub mod compliance;
pub mod enroll;
pub mod policy;
pub mod portal;
pub mod report;
pub mod support;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/account/report/{token}",
            get(report::show).post(report::confirm),
        )
        .route("/static/keyward.css", get(stylesheet))
        .route("/", get(portal::index))
        .route(
            "/signin",
            get(portal::signin_page).post(portal::signin_submit),
        )
        .route(
            "/signin/verify",
            get(portal::verify_page).post(portal::verify_submit),
        )
        .route("/signout", axum::routing::post(portal::signout))
        .route(
            "/signup",
            get(portal::signup_page).post(portal::signup_submit),
        )
        .route("/settings", get(portal::settings))
        .route(
            "/settings/sudo",
            get(enroll::sudo_page).post(enroll::sudo_submit),
        )
        .route("/settings/add", get(enroll::add_page))
        .route(
            "/settings/add/totp",
            get(enroll::totp_name_page).post(enroll::totp_start),
        )
        .route(
            "/settings/add/yubikey",
            get(enroll::yubikey_page).post(enroll::yubikey_submit),
        )
        .route(
            "/settings/factors/{factor_id}/activate",
            get(enroll::activate_page).post(enroll::activate_submit),
        )
        .route(
            "/settings/factors/{factor_id}/remove",
            axum::routing::post(enroll::remove),
        )
        .route(
            "/settings/backup-codes",
            axum::routing::post(enroll::regenerate),
        )
        .route("/settings/add/security-key", get(enroll::security_key_page))
        .route(
            "/settings/add/security-key/start",
            axum::routing::post(enroll::security_key_start),
        )
        .route(
            "/settings/add/security-key/finish",
            axum::routing::post(enroll::security_key_finish),
        )
        .route(
            "/signin/verify/webauthn/start",
            axum::routing::post(portal::verify_webauthn_start),
        )
        .route(
            "/signin/verify/webauthn/finish",
            axum::routing::post(portal::verify_webauthn_finish),
        )
        .route("/support", get(support::console))
        .route("/audit", get(audit::page))
        .route("/compliance", get(compliance::page))
        .route("/policy", get(policy::page).post(policy::save))
        .route("/audit/export", get(audit::export))
        .route(
            "/support/users/{user_id}/reset",
            axum::routing::post(support::reset),
        )
        .route("/static/portal.js", get(portal_js))
}

async fn portal_js() -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/javascript; charset=utf-8",
        )],
        include_str!("../../static/portal.js"),
    )
}

async fn stylesheet() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/keyward.css"),
    )
}

/// An askama template as an HTML answer; a render failure is a plain 500 page.
pub fn html<T: askama::Template>(
    status: axum::http::StatusCode,
    page: &T,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match page.render() {
        Ok(body) => (status, axum::response::Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page render failed");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                axum::response::Html(
                    "<!doctype html><title>Error</title><p>Something went wrong.</p>".to_owned(),
                ),
            )
                .into_response()
        }
    }
}
