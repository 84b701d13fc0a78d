//! Request extractors: a JSON body that names the failing field, and list pagination.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{AppError, ErrorCode, FieldErrors};

/// A JSON body, parsed and then validated with `validator`. A body sent as anything but
/// `application/json` is a 415, one that is not JSON a 400 (`invalid_json`); a value of the wrong shape or one that fails validation is a 422 naming the field by its
/// path (`answers[2].rating`).
#[derive(Debug)]
pub struct Valid<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for Valid<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(AppError::UnsupportedMediaType(
                    "expected a JSON body with Content-Type: application/json".into(),
                )
                .into());
            }
            let bytes = bytes.await.map_err(|_| AppError::PayloadTooLarge)?;
            Ok(Valid(parse_valid(&bytes)?))
        })
    }
}

/// What [`Valid`] does to the bytes of a body, for a handler that reads its body itself.
pub fn parse_valid<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, AppError> {
    let value = parse_json::<T>(bytes)?;
    value.validate().map_err(validation_error)?;
    Ok(value)
}

/// Deserialises with the path of the first wrong value.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            let message = inner.to_string();
            // "missing field `x`" is about a field inside the path, not the path itself.
            let field = match (message.split('`').nth(1), path.as_str()) {
                (Some(name), ".") if message.starts_with("missing field") => name.to_owned(),
                (Some(name), p) if message.starts_with("missing field") => format!("{p}.{name}"),
                (_, ".") => "body".to_owned(),
                (_, p) => p.to_owned(),
            };
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned();
            AppError::field(field, message)
        } else {
            AppError::BadRequest {
                code: ErrorCode::InvalidJson,
                message: format!("the body is not valid JSON: {inner}"),
            }
        }
    })
}

/// `validator`'s errors as the field → messages map of the error body, nested fields joined
/// with dots and list entries with their index.
pub fn validation_error(errors: ValidationErrors) -> AppError {
    let mut fields = FieldErrors::new();
    collect(&errors, "", &mut fields);
    let message = match fields.keys().next() {
        Some(first) if fields.len() == 1 => format!("{first} is not valid"),
        _ => format!("{} fields are not valid", fields.len()),
    };
    AppError::Validation { message, fields }
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut FieldErrors) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                let messages = out.entry(path).or_default();
                for e in list {
                    messages.push(
                        e.message
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_else(|| e.code.to_string()),
                    );
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

/// `If-Match: <version>` (bare or as a quoted entity tag): the version a write expects to
/// replace. Absent, the write replaces whatever is there; malformed, a 422 naming the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub Option<i32>);

impl IfMatch {
    pub fn parse(value: Option<&str>) -> Result<Self, AppError> {
        let Some(value) = value else {
            return Ok(Self(None));
        };
        let tag = value.trim().trim_start_matches("W/").trim_matches('"');
        tag.parse::<i32>()
            .ok()
            .filter(|v| *v >= 0)
            .map(|v| Self(Some(v)))
            .ok_or_else(|| AppError::field("If-Match", "must be the version number to replace"))
    }
}

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req.headers().get(header::IF_MATCH).map(|v| v.to_str());
        std::future::ready(match value {
            None => Ok(Self(None)),
            Some(Ok(text)) => Self::parse(Some(text)),
            Some(Err(_)) => Self::parse(Some("")),
        })
    }
}

/// `?limit=&after=`: keyset pagination over time-ordered ids.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// At most this many items (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub after: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<i64, AppError> {
        match self.limit {
            None => Ok(100),
            Some(n) if (1..=500).contains(&n) => Ok(n),
            Some(_) => Err(AppError::field("limit", "must be between 1 and 500")),
        }
    }
}

/// One page of a list: `next` is the cursor of the following page, absent on the last.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows: the extra row only says there is more.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, cursor: impl Fn(&T) -> String) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit.max(0) as usize);
        let next = if more { rows.last().map(cursor) } else { None };
        Self { items: rows, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, Validate)]
    #[allow(dead_code)]
    struct Answer {
        #[validate(length(min = 1, message = "must not be empty"))]
        criterion: String,
        rating: String,
    }

    #[derive(Debug, Deserialize, Validate)]
    #[allow(dead_code)]
    struct Batch {
        #[validate(nested, length(min = 1, max = 3, message = "1 to 3 answers"))]
        answers: Vec<Answer>,
    }

    fn fields(err: AppError) -> FieldErrors {
        match err {
            AppError::Validation { fields, .. } => fields,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_names_its_path() {
        let err =
            parse_json::<Batch>(br#"{"answers": [{"criterion": "x", "rating": 3}]}"#).unwrap_err();
        assert!(fields(err).contains_key("answers[0].rating"));
    }

    #[test]
    fn a_missing_field_is_named() {
        let err = parse_json::<Batch>(br#"{"answers": [{"criterion": "x"}]}"#).unwrap_err();
        assert!(fields(err).contains_key("answers[0].rating"));
        let err = parse_json::<Batch>(b"{}").unwrap_err();
        assert!(fields(err).contains_key("answers"));
    }

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        name: String,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        value: i32,
    }

    #[test]
    fn an_unknown_field_is_named() {
        let err = parse_json::<Strict>(br#"{"name": "x", "nmae": "y"}"#).unwrap_err();
        assert_eq!(fields(err).keys().collect::<Vec<_>>(), ["nmae"]);
        let err = parse_json::<Strict>(br#"{"name": "x", "inner": {"value": 1, "extra": 2}}"#)
            .unwrap_err();
        assert_eq!(fields(err).keys().collect::<Vec<_>>(), ["inner.extra"]);
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        let err = parse_json::<Batch>(b"{\"answers\": [").unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidJson);
    }

    #[test]
    fn validation_errors_are_keyed_by_path() {
        let batch: Batch =
            parse_json(br#"{"answers": [{"criterion": "", "rating": "fully"}]}"#).unwrap();
        let f = fields(validation_error(batch.validate().unwrap_err()));
        assert_eq!(f["answers[0].criterion"], ["must not be empty"]);
    }

    #[test]
    fn if_match_takes_a_bare_or_quoted_version() {
        assert_eq!(IfMatch::parse(None).unwrap(), IfMatch(None));
        assert_eq!(IfMatch::parse(Some("3")).unwrap(), IfMatch(Some(3)));
        assert_eq!(IfMatch::parse(Some("\"3\"")).unwrap(), IfMatch(Some(3)));
        assert_eq!(IfMatch::parse(Some("W/\"0\"")).unwrap(), IfMatch(Some(0)));
        for bad in ["", "*", "-1", "v3", "3.0"] {
            assert!(fields(IfMatch::parse(Some(bad)).unwrap_err()).contains_key("If-Match"));
        }
    }

    #[test]
    fn a_page_knows_whether_more_follow() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!((page.items, page.next), (vec![1, 2], Some("2".to_owned())));
        let last = Page::from_rows(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(last.next, None);
    }
}

/// A query string, parsed into `T`; a value of the wrong shape is a 422 naming its parameter
/// (`lang`), where actix's own extractor names none.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// Deserialises a query string with the name of the first wrong parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let field = match message.split('`').nth(1) {
            Some(name) if message.starts_with("missing field") => name.to_owned(),
            _ if path == "." => "query".to_owned(),
            _ => path,
        };
        AppError::field(field, message)
    })
}

/// The caller when a token (or a page session cookie) was sent, else none: for an operation
/// anyone may call. A token that was sent but is not valid is still a 401, as with `AuthUser`.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<crate::auth::AuthUser>);

impl FromRequest for MaybeAuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        use crate::auth::extractor::{bearer_token, cookie, SESSION_COOKIE};
        if bearer_token(req).is_none() && cookie(req, SESSION_COOKIE).is_none() {
            return Box::pin(async { Ok(Self(None)) });
        }
        let user = crate::auth::AuthUser::from_request(req, payload);
        Box::pin(async move { user.await.map(|u| Self(Some(u))) })
    }
}
