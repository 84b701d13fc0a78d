//! Every way an access token is refused answers the same 401, and a good token is accepted.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};

use dcmm::auth::jwt::{Claims, JwtKeys};
use dcmm::config::Secret;

use crate::both_backends;
use crate::fixtures::{insert_cluster, insert_enterprise, seed_user, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp, JWT_SECRET};

fn keys() -> JwtKeys {
    JwtKeys::new(&Secret::new(JWT_SECRET.to_owned()), 900).unwrap()
}

/// The claims of a token the service issued.
fn claims_of(token: &str) -> Claims {
    keys().decode(token).expect("a token the service issued")
}

fn sign(claims: &Claims, algorithm: Algorithm, secret: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes()).unwrap();
    jsonwebtoken::encode(&Header::new(algorithm), claims, &key).unwrap()
}

/// An unsigned token: `alg: none`, empty signature.
fn unsigned(claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap());
    format!("{header}.{payload}.")
}

/// GET /me with a raw Authorization header (or none); answers the 401 body.
async fn refused(app: &TestApp, authorization: Option<String>, case: &str) -> Value {
    let mut request = app.client.get(app.url("/api/v1/me"));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401, "{case}");
    assert_eq!(response.headers()["www-authenticate"], "Bearer", "{case}");
    error_body(response, 401, "unauthorized").await
}

both_backends! {
    async fn every_bad_token_answers_the_same_401(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", dcmm::domain::Role::Admin, &[]);
        let session = app.session("alice", PASSWORD).await;
        assert_eq!(app.me(&session.access).await.status().as_u16(), 200, "a good token works");
        let good = claims_of(&session.access);
        let now = chrono::Utc::now().timestamp();
        let expired = Claims { iat: now - 7200, exp: now - 3600, ..good.clone() };
        let other_issuer = Claims { iss: "someone-else".into(), ..good.clone() };
        let other_audience = Claims { aud: "another-api".into(), ..good.clone() };
        let cases: Vec<(&str, Option<String>)> = vec![
            ("missing", None),
            ("empty bearer", Some("Bearer ".into())),
            ("other scheme", Some(format!("Basic {}", session.access))),
            ("garbled", Some("Bearer not.a.jwt".into())),
            ("truncated", Some(format!("Bearer {}", &session.access[..session.access.len() - 5]))),
            ("expired", Some(format!("Bearer {}", sign(&expired, Algorithm::HS256, JWT_SECRET)))),
            ("wrong signature", Some(format!(
                "Bearer {}",
                sign(&good, Algorithm::HS256, "another-secret-another-secret-another-secret")
            ))),
            ("alg none", Some(format!("Bearer {}", unsigned(&good)))),
            ("other algorithm", Some(format!("Bearer {}", sign(&good, Algorithm::HS512, JWT_SECRET)))),
            ("wrong issuer", Some(format!("Bearer {}", sign(&other_issuer, Algorithm::HS256, JWT_SECRET)))),
            ("wrong audience", Some(format!(
                "Bearer {}",
                sign(&other_audience, Algorithm::HS256, JWT_SECRET)
            ))),
        ];
        let reference = refused(&app, None, "missing").await;
        for (case, header) in cases {
            assert_eq!(refused(&app, header, case).await, reference, "{case}");
        }
    }

    async fn a_token_of_a_disabled_user_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let cluster = insert_cluster(&app, "C");
        let enterprise = insert_enterprise(&app, &cluster, "E");
        seed_user(&app, "admin", dcmm::domain::Role::Admin, &[]);
        let id = seed_user(&app, "worker", dcmm::domain::Role::Enterprise, &[&enterprise]);
        let admin = app.session("admin", PASSWORD).await;
        let worker = app.session("worker", PASSWORD).await;
        assert_eq!(app.me(&worker.access).await.status().as_u16(), 200);
        let response = app.update_user(&admin.access, &id, &json!({"disabled": true})).await;
        assert_eq!(response.status().as_u16(), 200);
        let reference = refused(&app, None, "missing").await;
        let body = refused(&app, Some(format!("Bearer {}", worker.access)), "disabled").await;
        assert_eq!(body, reference);
        error_body(app.refresh(&worker.refresh).await, 401, "unauthorized").await;
        error_body(app.login("worker", PASSWORD).await, 401, "unauthorized").await;
    }

    async fn a_token_of_an_older_token_version_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", dcmm::domain::Role::Admin, &[]);
        let session = app.session("alice", PASSWORD).await;
        let claims = claims_of(&session.access);
        // The same session and user, one version behind: as after a password change.
        let older = Claims { ver: claims.ver - 1, ..claims.clone() };
        let reference = refused(&app, None, "missing").await;
        let header = Some(format!("Bearer {}", sign(&older, Algorithm::HS256, JWT_SECRET)));
        assert_eq!(refused(&app, header, "older version").await, reference);
        let forged_role = Claims { role: dcmm::domain::Role::Auditor, ..claims };
        let header = Some(format!("Bearer {}", sign(&forged_role, Algorithm::HS256, JWT_SECRET)));
        assert_eq!(refused(&app, header, "other role").await, reference);
        assert_eq!(app.me(&session.access).await.status().as_u16(), 200);
    }

    async fn a_token_for_an_unknown_user_or_session_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "alice", dcmm::domain::Role::Admin, &[]);
        let session = app.session("alice", PASSWORD).await;
        let claims = claims_of(&session.access);
        let reference = refused(&app, None, "missing").await;
        let stranger = Claims { sub: dcmm::ids::UserId::new(), ..claims.clone() };
        let header = Some(format!("Bearer {}", sign(&stranger, Algorithm::HS256, JWT_SECRET)));
        assert_eq!(refused(&app, header, "unknown user").await, reference);
        let invented = Claims { sid: dcmm::ids::SessionId::new(), ..claims };
        let header = Some(format!("Bearer {}", sign(&invented, Algorithm::HS256, JWT_SECRET)));
        assert_eq!(refused(&app, header, "unknown session").await, reference);
        let response = app.send(Method::GET, "/api/v1/users", None, None).await;
        assert_eq!(error_body(response, 401, "unauthorized").await, reference);
    }
}
