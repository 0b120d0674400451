//! Service endpoints: health, metrics, the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use diesel::RunQueryDsl;

use crate::error::{Error, ErrorBody};
use crate::state::AppState;

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
}

/// `200 {"status": "ok"}` when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, Error> {
    state
        .db
        .read(|conn| {
            diesel::sql_query("SELECT 1")
                .execute(conn)
                .map_err(|e| Error::Unavailable(format!("database check failed: {e}")))
        })
        .await?;
    Ok(Json(Health {
        status: "ok".into(),
    }))
}

/// Prometheus text format.
#[tracing::instrument(skip_all)]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    match &state.metrics {
        Some(handle) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => Error::Unavailable("metrics are not enabled".into()).into_response(),
    }
}
