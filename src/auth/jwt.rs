//! Access tokens: HS256 JWTs signed with the configured secret.
//!
//! A token names its user (`sub`), the role it was issued for, the user's token version
//! (`ver`: raising it ends every token of the user) and the login session (`sid`: logout ends
//! one session). Only HS256 is accepted; a token with `alg: none` or any other algorithm, a
//! foreign issuer or audience, or an expiry in the past is refused, and the caller learns only
//! that it was refused.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::Secret;
use crate::domain::Role;
use crate::ids::{SessionId, UserId};

pub const ISSUER: &str = "dcmm";
pub const AUDIENCE: &str = "dcmm-api";
pub const ALGORITHM: Algorithm = Algorithm::HS256;
/// Clock skew tolerated between instances, in seconds.
const LEEWAY_SECS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: UserId,
    pub iat: i64,
    pub exp: i64,
    pub role: Role,
    pub ver: i32,
    pub sid: SessionId,
}

/// The signing and verifying keys, made once from the secret.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: i64,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("ttl_secs", &self.ttl_secs)
            .finish_non_exhaustive()
    }
}

fn csrf_message(session: SessionId) -> String {
    format!("dcmm-csrf:{session}")
}

fn form_message(nonce: &str) -> String {
    format!("dcmm-form:{nonce}")
}

/// The token was refused; deliberately without a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid token")]
pub struct InvalidToken;

impl JwtKeys {
    pub fn new(secret: &Secret, ttl_secs: u64) -> anyhow::Result<Self> {
        let bytes = secret.expose().as_bytes();
        let encoding =
            EncodingKey::from_secret(bytes).map_err(|e| anyhow::anyhow!("JWT signing key: {e}"))?;
        let decoding = DecodingKey::from_secret(bytes)
            .map_err(|e| anyhow::anyhow!("JWT verifying key: {e}"))?;
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        Ok(Self {
            encoding,
            decoding,
            validation,
            ttl_secs: i64::try_from(ttl_secs)?,
        })
    }

    /// How long a new token lives, in seconds.
    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    /// Claims for a token issued now.
    pub fn claims(&self, user: UserId, role: Role, version: i32, session: SessionId) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: user,
            iat: now,
            exp: now + self.ttl_secs,
            role,
            ver: version,
            sid: session,
        }
    }

    /// The token that proves a page request was made by this service's own pages for
    /// `session`: an HMAC-SHA256 of the session id under the signing secret. It stays the same
    /// across refreshes of the session and is worthless for any other session.
    pub fn csrf_token(&self, session: SessionId) -> anyhow::Result<String> {
        jsonwebtoken::crypto::sign(csrf_message(session).as_bytes(), &self.encoding, ALGORITHM)
            .map_err(|e| anyhow::anyhow!("CSRF token: {e}"))
    }

    /// Whether `presented` is [`Self::csrf_token`] of `session` (compared in constant time).
    pub fn csrf_valid(&self, session: SessionId, presented: &str) -> bool {
        jsonwebtoken::crypto::verify(
            presented.trim(),
            csrf_message(session).as_bytes(),
            &self.decoding,
            ALGORITHM,
        )
        .unwrap_or(false)
    }

    /// The token a form shown before login carries (the report check at `/verify`): an
    /// HMAC-SHA256 under the signing secret of the random nonce kept in that form's
    /// SameSite=Strict cookie, so another site can neither send the cookie nor make the token.
    pub fn form_token(&self, nonce: &str) -> anyhow::Result<String> {
        jsonwebtoken::crypto::sign(form_message(nonce).as_bytes(), &self.encoding, ALGORITHM)
            .map_err(|e| anyhow::anyhow!("form token: {e}"))
    }

    /// Whether `presented` is [`Self::form_token`] of `nonce` (compared in constant time).
    pub fn form_token_valid(&self, nonce: &str, presented: &str) -> bool {
        !nonce.is_empty()
            && jsonwebtoken::crypto::verify(
                presented.trim(),
                form_message(nonce).as_bytes(),
                &self.decoding,
                ALGORITHM,
            )
            .unwrap_or(false)
    }

    pub fn encode(&self, claims: &Claims) -> anyhow::Result<String> {
        jsonwebtoken::encode(&Header::new(ALGORITHM), claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("JWT encode: {e}"))
    }

    /// The claims of a token that is well formed, signed with our key and algorithm, ours by
    /// issuer and audience, and not expired. Whether its user still exists, is enabled and
    /// still has this token version is for the caller to check.
    pub fn decode(&self, token: &str) -> Result<Claims, InvalidToken> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| InvalidToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&Secret::new(secret.repeat(32)), 900).unwrap()
    }

    fn sample(keys: &JwtKeys) -> Claims {
        keys.claims(UserId::new(), Role::Auditor, 3, SessionId::new())
    }

    #[test]
    fn a_form_token_holds_only_for_its_nonce_and_secret_and_never_as_a_csrf_token() {
        let (ours, theirs) = (keys("k"), keys("x"));
        let token = ours.form_token("n1").unwrap();
        assert!(ours.form_token_valid("n1", &token));
        assert!(!ours.form_token_valid("n2", &token));
        assert!(!ours.form_token_valid("", &ours.form_token("").unwrap()));
        assert!(!theirs.form_token_valid("n1", &token));
        let session = SessionId::new();
        let csrf = ours.csrf_token(session).unwrap();
        assert!(!ours.form_token_valid(&session.to_string(), &csrf));
    }

    #[test]
    fn a_token_decodes_to_its_claims() {
        let keys = keys("k");
        let claims = sample(&keys);
        assert_eq!(claims.exp - claims.iat, 900);
        let token = keys.encode(&claims).unwrap();
        assert_eq!(keys.decode(&token).unwrap(), claims);
    }

    #[test]
    fn foreign_expired_or_tampered_tokens_are_refused() {
        let ours = keys("k");
        let theirs = keys("x");
        let claims = sample(&ours);
        assert_eq!(
            ours.decode(&theirs.encode(&claims).unwrap()),
            Err(InvalidToken)
        );
        let expired = Claims {
            exp: claims.iat - 3600,
            ..claims.clone()
        };
        assert_eq!(
            ours.decode(&ours.encode(&expired).unwrap()),
            Err(InvalidToken)
        );
        let other_issuer = Claims {
            iss: "someone".into(),
            ..claims.clone()
        };
        assert_eq!(
            ours.decode(&ours.encode(&other_issuer).unwrap()),
            Err(InvalidToken)
        );
        let other_audience = Claims {
            aud: "another-api".into(),
            ..claims.clone()
        };
        assert_eq!(
            ours.decode(&ours.encode(&other_audience).unwrap()),
            Err(InvalidToken)
        );
        let token = ours.encode(&claims).unwrap();
        let tampered = format!("{}x", token);
        assert_eq!(ours.decode(&tampered), Err(InvalidToken));
        assert_eq!(ours.decode("not.a.token"), Err(InvalidToken));
        assert_eq!(ours.decode(""), Err(InvalidToken));
    }
}
