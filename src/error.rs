//! The one error type the services return, and its JSON answer (API.md's error shape).
//! 4xx messages say what to fix; a 5xx says only "something went wrong" and its cause goes to
//! the log with the request id.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::db::DbError;

/// The message API.md and DESIGN.md give for a code that did not match.
pub const INVALID_CODE_MESSAGE: &str = "The code you entered did not match what was expected. Please re-scan or enter the code and try again.";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadRequest(String),
    #[error("a valid API key is required: send `Authorization: Bearer <key>`")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("this user has no active second factor")]
    NoSecondFactor,
    #[error("{0}")]
    PolicyViolation(String),
    #[error("{INVALID_CODE_MESSAGE}")]
    InvalidCode,
    #[error("{0}")]
    InvalidCredential(String),
    #[error("too many failed attempts: try again in {retry_after} seconds")]
    TooManyAttempts { retry_after: u64 },
    #[error("this endpoint does not accept that HTTP method")]
    MethodNotAllowed,
    #[error("the request body is larger than the limit of 64 KiB")]
    PayloadTooLarge,
    #[error("the service is temporarily unavailable, try again")]
    Unavailable(String),
    #[error("the YubiKey service is unavailable, try again")]
    YubikeyServiceUnavailable,
    #[error("something went wrong")]
    Internal(#[source] anyhow::Error),
}

impl Error {
    /// A fault of ours (`500`) — unless its cause is the database going away, which is `503`.
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        let e = e.into();
        let lost = e.chain().any(|cause| {
            cause
                .downcast_ref::<DbError>()
                .is_some_and(DbError::is_unavailable)
                || cause
                    .downcast_ref::<diesel::result::Error>()
                    .is_some_and(crate::db::is_connection_lost)
        });
        if lost {
            return Self::Unavailable(format!("{e:#}"));
        }
        Self::Internal(e)
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::NoSecondFactor => "no_second_factor",
            Self::PolicyViolation(_) => "policy_violation",
            Self::InvalidCode => "invalid_code",
            Self::InvalidCredential(_) => "invalid_credential",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unavailable(_) | Self::YubikeyServiceUnavailable => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::PolicyViolation(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) | Self::NoSecondFactor => StatusCode::CONFLICT,
            Self::InvalidCode | Self::InvalidCredential(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) | Self::YubikeyServiceUnavailable => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(why) => Self::Unavailable(why),
            // A refused connection, or one the server ended mid-request (a restart).
            other if other.is_unavailable() => Self::Unavailable(other.to_string()),
            other => Self::Internal(other.into()),
        }
    }
}

impl From<crate::domain::policy::InvalidPolicy> for Error {
    fn from(e: crate::domain::policy::InvalidPolicy) -> Self {
        Self::BadRequest(e.0)
    }
}

impl From<crate::domain::policy::MethodNotAllowed> for Error {
    fn from(e: crate::domain::policy::MethodNotAllowed) -> Self {
        Self::PolicyViolation(e.to_string())
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Self::from(DbError::Query(e))
    }
}

/// The body of every error answer.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable machine code, e.g. `invalid_code`.
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed")
            }
            Self::Unavailable(cause) => tracing::warn!(error = %cause, "service unavailable"),
            _ => {}
        }
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
            },
        };
        let mut resp = (status, axum::Json(body)).into_response();
        if let Self::TooManyAttempts { retry_after } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}
