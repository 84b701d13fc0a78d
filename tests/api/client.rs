//! One typed helper per endpoint of the identity API.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// The tokens of one login.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
}

impl Session {
    pub fn from_body(body: &Value) -> Self {
        Self {
            access: body["access_token"]
                .as_str()
                .expect("access_token")
                .to_owned(),
            refresh: body["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .to_owned(),
        }
    }
}

impl TestApp {
    /// Any request, with an optional bearer token and JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    /// A POST with a CSV body.
    pub async fn send_csv(&self, path: &str, token: Option<&str>, csv: &str) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", "text/csv; charset=utf-8")
            .body(csv.to_owned());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        let body = json!({"username": username, "password": password});
        self.send(Method::POST, "/api/v1/auth/login", None, Some(&body))
            .await
    }

    /// Logs in and answers the tokens; panics unless the login succeeds.
    pub async fn session(&self, username: &str, password: &str) -> Session {
        let response = self.login(username, password).await;
        assert_eq!(response.status().as_u16(), 200, "login as {username}");
        Session::from_body(&response.json().await.expect("token body"))
    }

    pub async fn refresh(&self, refresh_token: &str) -> reqwest::Response {
        let body = json!({ "refresh_token": refresh_token });
        self.send(Method::POST, "/api/v1/auth/refresh", None, Some(&body))
            .await
    }

    pub async fn logout(&self, access: &str) -> reqwest::Response {
        self.send(Method::POST, "/api/v1/auth/logout", Some(access), None)
            .await
    }

    pub async fn me(&self, access: &str) -> reqwest::Response {
        self.send(Method::GET, "/api/v1/me", Some(access), None)
            .await
    }

    pub async fn change_password(
        &self,
        access: &str,
        current: &str,
        new: &str,
    ) -> reqwest::Response {
        let body = json!({"current_password": current, "new_password": new});
        self.send(
            Method::POST,
            "/api/v1/me/password",
            Some(access),
            Some(&body),
        )
        .await
    }

    pub async fn create_user(&self, access: &str, body: &Value) -> reqwest::Response {
        self.send(Method::POST, "/api/v1/users", Some(access), Some(body))
            .await
    }

    pub async fn list_users(&self, access: &str) -> reqwest::Response {
        self.send(Method::GET, "/api/v1/users", Some(access), None)
            .await
    }

    pub async fn update_user(&self, access: &str, id: &str, body: &Value) -> reqwest::Response {
        let path = format!("/api/v1/users/{id}");
        self.send(Method::PATCH, &path, Some(access), Some(body))
            .await
    }

    pub async fn reset_password(&self, access: &str, id: &str) -> reqwest::Response {
        let path = format!("/api/v1/users/{id}/password-reset");
        self.send(Method::POST, &path, Some(access), None).await
    }

    pub async fn logins(&self, access: &str, id: &str) -> reqwest::Response {
        let path = format!("/api/v1/users/{id}/logins");
        self.send(Method::GET, &path, Some(access), None).await
    }
}
