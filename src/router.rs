//! The route table: every path the server answers, in one place. The API's handlers also
//! produce the OpenAPI document (utoipa reads their annotations).

use axum::Router;
use axum::routing::{get, post};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{self, ApiDoc};
use crate::error::Error;
use crate::state::AppState;
use crate::web::{
    assets, enroll, oidc, password, report, second_step, settings, sign_in, sign_up, staff,
};

/// The whole application: routes and middleware.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api_routes();
    let openapi = std::sync::Arc::new(openapi);
    let router = api
        .merge(portal_routes())
        .merge(staff_routes())
        .merge(oidc_routes())
        // Assets and service endpoints.
        .route("/static/keyward.css", get(assets::stylesheet))
        .route("/static/portal.js", get(assets::portal_js))
        .route("/static/webauthn.js", get(assets::webauthn_js))
        .route("/metrics", get(api::service::metrics))
        .route("/wsapi/2.0/verify", get(api::wsapi::verify))
        .route(
            "/api/openapi.json",
            get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .fallback(|| async { Error::NotFound("no such endpoint".into()) })
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed });
    crate::middleware::stack(router, &state).with_state(state)
}

/// The JSON API (`/api/v1`, `/healthz`) and the OpenAPI document built from the same handlers.
pub fn api_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use api::{
        apikeys, audit, backup_codes, clients, factors, groups, policy, service, support, users,
        verify, yubikeys,
    };
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(users::create_user, users::find_users))
        .routes(routes!(users::get_user, users::update_user))
        .routes(routes!(factors::list_factors, factors::enroll_factor))
        .routes(routes!(factors::activate_factor))
        .routes(routes!(factors::remove_factor))
        .routes(routes!(verify::verify))
        .routes(routes!(verify::start_webauthn))
        .routes(routes!(verify::finish_webauthn))
        .routes(routes!(backup_codes::regenerate, backup_codes::status))
        .routes(routes!(policy::get_policy, policy::put_policy))
        .routes(routes!(policy::get_compliance))
        .routes(routes!(groups::create_group, groups::list_groups))
        .routes(routes!(groups::get_group, groups::delete_group))
        .routes(routes!(
            groups::put_group_policy,
            groups::delete_group_policy
        ))
        .routes(routes!(groups::add_member, groups::remove_member))
        .routes(routes!(groups::user_policy))
        .routes(routes!(support::reset))
        .routes(routes!(yubikeys::add, yubikeys::list))
        .routes(routes!(yubikeys::remove))
        .routes(routes!(apikeys::list))
        .routes(routes!(apikeys::revoke))
        .routes(routes!(clients::create, clients::list))
        .routes(routes!(clients::delete))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        .routes(routes!(service::healthz))
        .split_for_parts()
}

/// The customer's pages: sign-in, the second step, sign-up, settings and enrollment.
fn portal_routes() -> Router<AppState> {
    use enroll::{app, backup_codes, choose, removal, security_key, sudo, yubikey};
    Router::new()
        .route("/", get(sign_in::index))
        .route("/signin", get(sign_in::page).post(sign_in::submit))
        .route(
            "/signin/verify",
            get(second_step::page).post(second_step::submit),
        )
        .route(
            "/signin/verify/webauthn/start",
            post(second_step::key_start),
        )
        .route(
            "/signin/verify/webauthn/finish",
            post(second_step::key_finish),
        )
        .route("/signout", post(sign_in::sign_out))
        .route("/signup", get(sign_up::page).post(sign_up::submit))
        .route(
            "/signin/forgot",
            get(password::forgot_page).post(password::forgot_submit),
        )
        .route(
            "/account/password/{token}",
            get(password::link_page).post(password::link_submit),
        )
        .route(
            "/account/confirm/{token}",
            get(password::confirm_page).post(password::confirm_submit),
        )
        .route(
            "/settings/password",
            get(password::change_page).post(password::change_submit),
        )
        .route("/settings", get(settings::page))
        .route("/settings/sudo", get(sudo::page).post(sudo::submit))
        .route("/settings/add", get(choose::page))
        .route("/settings/add/totp", get(app::name).post(app::start))
        .route(
            "/settings/factors/{factor_id}/activate",
            get(app::setup).post(app::activate),
        )
        .route(
            "/settings/add/yubikey",
            get(yubikey::page).post(yubikey::submit),
        )
        .route("/settings/add/security-key", get(security_key::page))
        .route(
            "/settings/add/security-key/start",
            post(security_key::start),
        )
        .route(
            "/settings/add/security-key/finish",
            post(security_key::finish),
        )
        .route(
            "/settings/factors/{factor_id}/remove",
            post(removal::remove),
        )
        .route("/settings/backup-codes", post(backup_codes::regenerate))
        .route(
            "/account/report/{token}",
            get(report::show).post(report::confirm),
        )
}

/// The OpenID Provider (the hand-off from a control panel).
fn oidc_routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/openid-configuration", get(oidc::discovery))
        .route("/oauth2/jwks", get(oidc::jwks))
        .route(
            "/oauth2/authorize",
            get(oidc::authorize_get).post(oidc::authorize_post),
        )
        .route("/oauth2/authorize/resume", get(oidc::resume))
        .route("/oauth2/authorize/cancel", get(oidc::cancel))
        .route("/oauth2/token", post(oidc::token))
        .route("/oauth2/userinfo", get(oidc::userinfo).post(oidc::userinfo))
}

/// Support and security staff.
fn staff_routes() -> Router<AppState> {
    use staff::{audit, compliance, groups, policy, support};
    Router::new()
        .route("/support", get(support::console))
        .route("/support/users/{user_id}/reset", post(support::reset))
        .route("/audit", get(audit::page))
        .route("/audit/export", get(audit::export))
        .route("/policy", get(policy::page).post(policy::save))
        .route("/compliance", get(compliance::page))
        .route("/groups", get(groups::list).post(groups::create))
        .route("/groups/{group_id}", get(groups::page))
        .route("/groups/{group_id}/delete", post(groups::delete))
        .route("/groups/{group_id}/policy", post(groups::save_policy))
        .route("/groups/{group_id}/members", post(groups::add_member))
        .route(
            "/groups/{group_id}/members/{user_id}/remove",
            post(groups::remove_member),
        )
}
