//! The HTTP surface: the route table, the middleware stack, and the OpenAPI document that is
//! generated from the handlers' annotations.

pub mod audit;
pub mod backup_codes;
pub mod extract;
pub mod factors;
pub mod policy;
pub mod service;
pub mod support;
pub mod users;
pub mod verify;
pub mod wsapi;
pub mod yubikeys;

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Error;
use crate::state::AppState;

pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Keyward",
        description = "Self-hosted two-factor authentication server: users, factors (TOTP, YubiKey OTP, WebAuthn), verification, backup codes and a hash-chained audit log.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("API key")
                    .build(),
            ),
        );
    }
}

/// The route table and the OpenAPI document built from the same handlers.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        // users
        .routes(routes!(users::create_user, users::find_users))
        .routes(routes!(users::get_user))
        // factors
        .routes(routes!(factors::list_factors, factors::enroll_factor))
        .routes(routes!(factors::activate_factor))
        .routes(routes!(factors::remove_factor))
        // verification and backup codes
        .routes(routes!(verify::verify))
        .routes(routes!(verify::start_webauthn))
        .routes(routes!(verify::finish_webauthn))
        // policy
        .routes(routes!(policy::get_policy, policy::put_policy))
        .routes(routes!(policy::get_compliance))
        .routes(routes!(backup_codes::regenerate, backup_codes::status))
        // support
        .routes(routes!(support::reset))
        // hardware key inventory
        .routes(routes!(yubikeys::add, yubikeys::list))
        .routes(routes!(yubikeys::remove))
        // audit
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        // service
        .routes(routes!(service::healthz))
        .split_for_parts()
}

/// The whole application with its middleware.
pub fn app(state: AppState) -> Router {
    let (router, openapi) = routes();
    let openapi = std::sync::Arc::new(openapi);
    let timeout = Duration::from_secs(state.settings.request_timeout_seconds);
    router
        .route("/metrics", get(service::metrics))
        .route("/wsapi/2.0/verify", get(wsapi::verify))
        .route("/static/webauthn.js", get(webauthn_js))
        .merge(crate::web::routes())
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = openapi.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(|| async { Error::NotFound("no such endpoint".into()) })
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(timeout, deadline))
        .layer(middleware::from_fn(record_latency))
        .layer(CatchPanicLayer::custom(|_| {
            Error::internal(anyhow::anyhow!("a handler panicked")).into_response()
        }))
        .layer(middleware::from_fn(security_headers))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .extensions()
                .get::<RequestId>()
                .and_then(|r| r.header_value().to_str().ok())
                .unwrap_or("-");
            // A "this wasn't me" link is a bearer secret: its token stays out of the logs.
            let path = req.uri().path();
            let path = if path.starts_with("/account/report/") { "/account/report/{token}" } else { path };
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %path, api_key = tracing::field::Empty)
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO)))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The browser side of the WebAuthn ceremonies (for the portal and for relying apps' pages).
async fn webauthn_js() -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/javascript; charset=utf-8",
        )],
        include_str!("../../static/webauthn.js"),
    )
}

/// Every handler has a deadline; past it the client gets a 503 in the API's error shape.
async fn deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => Error::Unavailable("the request took too long".into()).into_response(),
    }
}

async fn record_latency(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::histogram!("keyward_http_request_duration_seconds", "method" => method, "path" => path, "status" => status)
        .record(started.elapsed().as_secs_f64());
    resp
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    resp
}
