//! Backup codes: shown once (after the first factor, or on "Regenerate"), with a download and
//! a print button; never cached.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::services::sessions::Session;
use crate::state::AppState;
use crate::web::page::{Layout, PageError, no_store, render};
use crate::web::session::{CsrfForm, SignedInSudo};
use crate::web::sign_in::NoFields;

#[derive(Template)]
#[template(path = "portal/backup_codes.html")]
struct CodesPage {
    layout: Layout,
    codes: Vec<String>,
    filename: &'static str,
    download_href: String,
    done_href: &'static str,
}

pub fn codes_page(state: &AppState, session: &Session, codes: Vec<String>) -> Response {
    let layout = Layout::of(state, session);
    let text = format!(
        "{}\n\n{}\n",
        layout.t1("codes-file-header", "issuer", &state.settings.server.issuer),
        codes.join("\n")
    );
    let download_href = format!(
        "data:text/plain;charset=utf-8,{}",
        percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
    );
    no_store(render(
        StatusCode::OK,
        &CodesPage {
            layout,
            codes,
            filename: "backup-codes.txt",
            download_href,
            done_href: crate::web::session::codes_saved(session),
        },
    ))
}

#[tracing::instrument(skip_all)]
pub async fn regenerate(
    State(state): State<AppState>,
    v: SignedInSudo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let codes = crate::services::backup_codes::regenerate(&state, v.ctx(), v.user_id().to_owned())
        .await
        .map_err(PageError::not_possible)?;
    Ok(codes_page(&state, &v.session, codes))
}
