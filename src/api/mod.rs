//! The JSON API's handlers (thin: extract, check the scope, call one service) and the OpenAPI
//! document generated from their annotations. The routes are in `crate::router`.

pub mod apikeys;
pub mod audit;
pub mod backup_codes;
pub mod clients;
pub mod extract;
pub mod factors;
pub mod groups;
pub mod policy;
pub mod service;
pub mod support;
pub mod users;
pub mod verify;
pub mod wsapi;
pub mod yubikeys;

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

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
pub struct ApiDoc;

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
