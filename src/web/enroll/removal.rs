//! Removing a second factor (the last compliant one only when the policy allows it).

use axum::extract::{Path, State};
use axum::response::Response;

use crate::error::Error;
use crate::state::AppState;
use crate::web::page::PageError;
use crate::web::session::{CsrfForm, SignedInSudo, redirect};
use crate::web::sign_in::NoFields;

#[tracing::instrument(skip_all, fields(factor_id = %factor_id))]
pub async fn remove(
    State(state): State<AppState>,
    v: SignedInSudo,
    Path(factor_id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    // The service only finds factors of this user: another user's id is "not found".
    match crate::services::factors::remove(&state, v.ctx(), v.user_id().to_owned(), factor_id).await
    {
        Ok(()) => Ok(redirect("/settings?notice=removed")),
        Err(Error::NotFound(_)) => Err(PageError::not_found("You have no such factor.")),
        Err(e) => Err(PageError::not_possible(e)),
    }
}
