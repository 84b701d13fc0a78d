//! User accounts as the service understands them: parsed names, a requested scope, a new
//! account ready to store, and a stored user.

use chrono::NaiveDateTime;

use crate::auth::password::Password;
use crate::config::Secret;
use crate::domain::{Actor, Role};
use crate::error::{AppError, FieldCodes, FieldErrors};
use crate::ids::{ClusterId, EnterpriseId, UserId};

/// A login name: 3 to 64 characters of a–z, 0–9, `.`, `_`, `-`, `@`; kept in lower case so
/// that `Alice` and `alice` are one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = normalize_username(raw);
        let len = name.chars().count();
        if !(3..=64).contains(&len) {
            return Err("must be 3 to 64 characters long".into());
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c);
        if !name.chars().all(allowed) {
            return Err("may contain only letters a-z, digits and . _ - @".into());
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The form a username is looked up in.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A display name: 1 to 100 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        let len = name.chars().count();
        if !(1..=100).contains(&len) {
            return Err("must be 1 to 100 characters long".into());
        }
        if name.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The language of a user's pages and reports: the pages' and reports' own.
pub use crate::questionnaire::Lang as Language;

/// A role with the ids of its scope as a client sent them, before they are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestedScope {
    Admin,
    ClusterManager(ClusterId),
    Enterprise(EnterpriseId),
    Auditor(Vec<ClusterId>),
}

/// The scope fields of a request, as text.
#[derive(Debug, Clone, Default)]
pub struct ScopeFields<'a> {
    pub cluster_id: Option<&'a str>,
    pub enterprise_id: Option<&'a str>,
    pub cluster_ids: Option<&'a [String]>,
}

impl RequestedScope {
    /// Checks that the role gets exactly the scope fields it needs, recording problems by
    /// field name.
    pub fn parse(role: Role, fields: &ScopeFields<'_>, errors: &mut FieldErrors) -> Option<Self> {
        let needed = match role {
            Role::Admin => None,
            Role::ClusterManager => Some("cluster_id"),
            Role::Enterprise => Some("enterprise_id"),
            Role::Auditor => Some("cluster_ids"),
        };
        let given = [
            ("cluster_id", fields.cluster_id.is_some()),
            ("enterprise_id", fields.enterprise_id.is_some()),
            ("cluster_ids", fields.cluster_ids.is_some()),
        ];
        for (field, present) in given {
            if present && Some(field) != needed {
                push(errors, field, format!("must not be given for role {role}"));
            }
        }
        match role {
            Role::Admin => Some(Self::Admin),
            Role::ClusterManager => {
                parse_id(fields.cluster_id, "cluster_id", errors).map(Self::ClusterManager)
            }
            Role::Enterprise => {
                parse_id(fields.enterprise_id, "enterprise_id", errors).map(Self::Enterprise)
            }
            Role::Auditor => {
                let Some(raw) = fields.cluster_ids else {
                    push(errors, "cluster_ids", "is required for role auditor");
                    return None;
                };
                if raw.is_empty() {
                    push(errors, "cluster_ids", "must name at least one cluster");
                    return None;
                }
                let mut ids = Vec::with_capacity(raw.len());
                let mut all_parsed = true;
                for text in raw {
                    match text.parse::<ClusterId>() {
                        Ok(id) => ids.push(id),
                        Err(_) => {
                            all_parsed = false;
                            push(errors, "cluster_ids", format!("{text:?} is not a UUID"));
                        }
                    }
                }
                ids.sort();
                ids.dedup();
                all_parsed.then_some(Self::Auditor(ids))
            }
        }
    }
}

fn parse_id<T: std::str::FromStr>(
    raw: Option<&str>,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<T> {
    let Some(text) = raw else {
        push(errors, field, "is required for this role");
        return None;
    };
    let parsed = text.parse().ok();
    if parsed.is_none() {
        push(errors, field, "is not a UUID");
    }
    parsed
}

/// Records one message for one field.
/// The display name and language of an account change, each parsed if given; problems are
/// added to `errors` under their field names.
pub fn parse_name_and_language(
    display_name: Option<&str>,
    language: Option<&str>,
    errors: &mut FieldErrors,
) -> (Option<DisplayName>, Option<Language>) {
    let display_name = display_name.and_then(|n| {
        DisplayName::parse(n)
            .map_err(|m| push(errors, "display_name", m))
            .ok()
    });
    let language = language.and_then(|l| {
        Language::parse(l)
            .map_err(|m| push(errors, "language", m))
            .ok()
    });
    (display_name, language)
}

pub fn push(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(message.into());
}

/// Turns collected field errors into a 422, or nothing when there are none.
pub fn check(errors: FieldErrors) -> Result<(), AppError> {
    check_rules(errors, FieldCodes::new())
}

/// [`check`], with the codes of the rules some of the fields broke.
pub fn check_rules(errors: FieldErrors, codes: FieldCodes) -> Result<(), AppError> {
    if errors.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = errors.keys().map(String::as_str).collect();
    let message = format!("invalid fields: {}", names.join(", "));
    if codes.is_empty() {
        return Err(AppError::Validation {
            message,
            fields: errors,
        });
    }
    Err(AppError::Rules {
        message,
        fields: errors,
        codes,
    })
}

/// Records a password refused by the policy under `field`: its message and its rule's code.
pub fn push_weakness(
    errors: &mut FieldErrors,
    codes: &mut FieldCodes,
    field: &str,
    weakness: crate::auth::password::Weakness,
) {
    push(errors, field, weakness.to_string());
    codes
        .entry(field.to_owned())
        .or_default()
        .push(weakness.code());
}

/// A new account whose every field passed parsing; its scope is not looked up yet.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub display_name: DisplayName,
    pub password: Password,
    pub language: Language,
    pub scope: RequestedScope,
    /// Set when the password was generated: the account changes it at its first login.
    pub must_change_password: bool,
}

/// The raw fields of a new account, from a request body or the command line.
#[derive(Debug, Clone)]
pub struct NewAccountInput<'a> {
    pub username: &'a str,
    /// `None`: a strong password is generated and must be changed at the first login.
    pub password: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub language: Option<&'a str>,
    pub role: Role,
    pub scope: ScopeFields<'a>,
}

impl NewAccount {
    /// Parses every field, reporting all problems at once by field name.
    pub fn parse(input: &NewAccountInput<'_>) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let mut codes = FieldCodes::new();
        let username = Username::parse(input.username)
            .map_err(|m| push(&mut errors, "username", m))
            .ok();
        let must_change_password = input.password.is_none();
        let password = match input.password {
            Some(chosen) => Password::check(chosen, input.username)
                .map_err(|w| push_weakness(&mut errors, &mut codes, "password", w))
                .ok(),
            None => Some(crate::auth::password::generate(input.username)?),
        };
        let display_name = DisplayName::parse(input.display_name.unwrap_or(input.username))
            .map_err(|m| push(&mut errors, "display_name", m))
            .ok();
        let language = Language::parse(input.language.unwrap_or("zh"))
            .map_err(|m| push(&mut errors, "language", m))
            .ok();
        let scope = RequestedScope::parse(input.role, &input.scope, &mut errors);
        let (Some(username), Some(password), Some(display_name), Some(language), Some(scope)) =
            (username, password, display_name, language, scope)
        else {
            check_rules(errors, codes)?;
            return Err(AppError::field("body", "is not a complete account"));
        };
        check_rules(errors, codes)?;
        Ok(Self {
            username,
            display_name,
            password,
            language,
            scope,
            must_change_password,
        })
    }
}

/// A stored user with its scope resolved.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub actor: Actor,
    pub disabled: bool,
    pub language: Language,
    pub token_version: i32,
    /// Set while the password is one someone else chose (generated at creation or by a
    /// reset): the account must change it before anything else.
    pub must_change_password: bool,
    /// The argon2id PHC string; never printed.
    pub password_hash: Secret,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[cfg(test)]
#[path = "account_tests.rs"]
mod tests;
