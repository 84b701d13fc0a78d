//! One application error, one JSON error body:
//! `{"error": "<snake_case_code>", "message": "...", "fields": {...}}`.
//!
//! Database code returns `QueryResult`; this type exists only at the HTTP edge. `NotFound` is a
//! 404 and a unique violation a 409 told by its key, here and nowhere else; anything not mapped
//! to a client error is a 500 with a generic message, the cause logged.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::DatabaseErrorInformation;
use serde::Serialize;

pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Every `error` an error response answers. Clients match on these names: add codes, rename none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON.
    InvalidJson,
    /// 400: the body could not be read.
    BadBody,
    /// 400: the multipart body could not be read.
    InvalidMultipart,
    /// 400: a request refused before any handler saw it.
    BadRequest,
    /// 401: a missing, invalid or expired token.
    Unauthorized,
    /// 403: the caller's role does not allow it.
    Forbidden,
    /// 403: the page session was used without the page's CSRF token.
    CsrfTokenInvalid,
    /// 403: the enterprise's sharing setting keeps it from its cluster manager.
    NotShared,
    /// 404: no such resource in the caller's scope.
    NotFound,
    /// 405.
    MethodNotAllowed,
    /// 409: a stale `If-Match` or version.
    VersionConflict,
    /// 409: the assessment is no longer a draft.
    AssessmentFrozen,
    /// 409: the campaign is closed: nothing of its assessments changes any more.
    CampaignClosed,
    /// 409: the assessment is not waiting for review.
    NotSubmitted,
    /// 409: the assessment is not accepted yet.
    NotAccepted,
    /// 409: the unified social credit code is already registered.
    CreditCodeTaken,
    /// 409: the username is already taken.
    UsernameTaken,
    /// 409: another unique key is already taken.
    AlreadyExists,
    /// 413.
    PayloadTooLarge,
    /// 415: the body's Content-Type is not one the endpoint takes.
    UnsupportedMediaType,
    /// 422: fields are missing or invalid; `fields` names them.
    ValidationFailed,
    /// 429: wait `Retry-After` seconds.
    TooManyRequests,
    /// 503: the service is not ready.
    Unavailable,
    /// 500: logged, not described.
    InternalError,
    /// 403: the account's password was set by someone else (generated or reset) and must be
    /// changed first (`POST /api/v1/me/password`); only that, `GET /api/v1/me`, logout and
    /// refresh answer until then.
    PasswordChangeRequired,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest { code: ErrorCode, message: String },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("validation failed")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    #[error("authentication required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    /// A request with the page session but without the page's CSRF token.
    #[error("the request did not come from this service's pages")]
    CsrfRejected,
    /// The enterprise's sharing setting keeps this detail from its cluster manager.
    #[error("the enterprise does not share this with its cluster manager")]
    NotShared,
    #[error("not found")]
    NotFound,
    /// A 409; `fields` names the request fields a taken unique key came from.
    #[error("{message}")]
    Conflict {
        code: ErrorCode,
        message: String,
        fields: FieldErrors,
    },
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// The account must change the password someone else set before anything else.
    #[error("change your password first (POST /api/v1/me/password)")]
    PasswordChangeRequired,
}

/// The body of every error response.
#[derive(Debug, Serialize, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for programs to match on.
    pub error: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
    /// The request fields at fault, each with its messages; empty when none is.
    pub fields: FieldErrors,
}

impl ErrorBody {
    pub fn new(error: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error,
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }
}

impl AppError {
    /// A 422 naming one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.into(), vec![message.clone()]);
        Self::Validation { message, fields }
    }

    /// A 409 about the resource as a whole.
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest { code, .. } | Self::Conflict { code, .. } => *code,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::Validation { .. } => ErrorCode::ValidationFailed,
            Self::Unauthorized => ErrorCode::Unauthorized,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::CsrfRejected => ErrorCode::CsrfTokenInvalid,
            Self::NotShared => ErrorCode::NotShared,
            Self::NotFound => ErrorCode::NotFound,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::InternalError,
            Self::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let message = match self {
            Self::Validation { message, .. } => message.clone(),
            Self::Unauthorized => "missing, invalid or expired credentials".to_owned(),
            Self::Forbidden => "your role does not allow this action".to_owned(),
            Self::CsrfRejected => {
                "the page session needs the page's CSRF token in X-CSRF-Token".to_owned()
            }
            Self::NotFound => "no such resource".to_owned(),
            Self::Unavailable(_) => "the service is not ready; try again shortly".to_owned(),
            Self::Internal(_) => "an internal error occurred; it has been logged".to_owned(),
            other => other.to_string(),
        };
        let fields = match self {
            Self::Validation { fields, .. } | Self::Conflict { fields, .. } => fields.clone(),
            _ => FieldErrors::new(),
        };
        ErrorBody {
            error: self.code(),
            message,
            fields,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::NotShared | Self::CsrfRejected => StatusCode::FORBIDDEN,
            Self::PasswordChangeRequired => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(%cause, "unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        if let Self::TooManyRequests { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if matches!(self, Self::Unauthorized) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.body())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                unique_violation(info.as_ref())
            }
            other => Self::Internal(other.into()),
        }
    }
}

/// A unique key a request can collide with, the code that says so and the request field the
/// key came from.
struct UniqueKey {
    /// The constraint's name on PostgreSQL: the default `<table>_<column>_key` of a `UNIQUE`
    /// column (see `migrations/postgres`).
    constraint: &'static str,
    /// `table.column`, as SQLite names it in "UNIQUE constraint failed: table.column" (SQLite
    /// reports no constraint name).
    columns: &'static str,
    code: ErrorCode,
    field: &'static str,
    message: &'static str,
}

/// What a taken credit code is told, by the registration and the import's dry run alike.
pub const CREDIT_CODE_TAKEN: &str = "is already registered";

const UNIQUE_KEYS: &[UniqueKey] = &[
    UniqueKey {
        constraint: "enterprises_credit_code_key",
        columns: "enterprises.credit_code",
        code: ErrorCode::CreditCodeTaken,
        field: "credit_code",
        message: CREDIT_CODE_TAKEN,
    },
    UniqueKey {
        constraint: "users_username_key",
        columns: "users.username",
        code: ErrorCode::UsernameTaken,
        field: "username",
        message: "is already taken",
    },
];

/// A unique violation as the 409 of the key it concerns; any other key is `already_exists`.
fn unique_violation(info: &dyn DatabaseErrorInformation) -> AppError {
    let sqlite_columns = info
        .message()
        .strip_prefix("UNIQUE constraint failed: ")
        .map(str::trim);
    let key = UNIQUE_KEYS.iter().find(|k| {
        info.constraint_name() == Some(k.constraint) || sqlite_columns == Some(k.columns)
    });
    match key {
        Some(k) => AppError::Conflict {
            code: k.code,
            message: format!("{} {}", k.field, k.message),
            fields: FieldErrors::from([(k.field.to_owned(), vec![k.message.to_owned()])]),
        },
        None => {
            tracing::info!(
                constraint = info.constraint_name(),
                message = info.message(),
                "unique violation of an unnamed key"
            );
            AppError::conflict(
                ErrorCode::AlreadyExists,
                "a resource with the same key already exists",
            )
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(format!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    /// What PostgreSQL reports of a violated constraint.
    struct Postgres(&'static str);

    impl DatabaseErrorInformation for Postgres {
        fn message(&self) -> &str {
            "duplicate key value violates unique constraint"
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            Some(self.0)
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn unique(info: impl DatabaseErrorInformation + Send + Sync + 'static) -> ErrorBody {
        AppError::from(Error::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new(info),
        ))
        .body()
    }

    fn field_of(body: &ErrorBody) -> Vec<&str> {
        body.fields.keys().map(String::as_str).collect()
    }

    #[test]
    fn a_unique_violation_is_told_by_its_key_on_either_backend() {
        for body in [
            unique("UNIQUE constraint failed: enterprises.credit_code".to_owned()),
            unique(Postgres("enterprises_credit_code_key")),
        ] {
            assert_eq!(body.error, ErrorCode::CreditCodeTaken);
            assert_eq!(field_of(&body), ["credit_code"]);
        }
        for body in [
            unique("UNIQUE constraint failed: users.username".to_owned()),
            unique(Postgres("users_username_key")),
        ] {
            assert_eq!(body.error, ErrorCode::UsernameTaken);
            assert_eq!(field_of(&body), ["username"]);
        }
    }

    #[test]
    fn another_unique_key_is_already_exists_naming_no_field() {
        for body in [
            unique("UNIQUE constraint failed: enterprises.id".to_owned()),
            unique(Postgres("enterprises_pkey")),
            unique(
                "UNIQUE constraint failed: assessments.campaign_id, assessments.enterprise_id"
                    .to_owned(),
            ),
        ] {
            assert_eq!(body.error, ErrorCode::AlreadyExists);
            assert!(body.fields.is_empty());
        }
    }

    #[test]
    fn codes_serialize_as_snake_case() {
        let body = ErrorBody::new(ErrorCode::UnsupportedMediaType, "x");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"], "unsupported_media_type");
        assert_eq!(
            AppError::UnsupportedMediaType("x".into()).status_code(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
    }
}
