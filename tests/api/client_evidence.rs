//! One typed helper per endpoint of the enterprise profile and evidence API, and a
//! `multipart/form-data` body builder.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// A criterion of `dcmm-2025`.
pub const CRITERION: &str = "2025:6.1:L1:1";
pub const OTHER_CRITERION: &str = "2025:6.1:L2:1";

/// A small but well-formed PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A complete profile: every required question answered.
pub fn full_profile() -> Value {
    json!({
        "size": "medium",
        "industry": "equipment",
        "employees": 420,
        "data_volume": "10tb_100tb",
        "data_staff": 3,
        "data_tools": ["metadata", "quality", "master_data"],
        "policy_domains": ["strategy", "governance", "architecture", "security", "quality"],
        "cdo_appointed": true,
        "cdo_rank": "executive",
        "cdo_in_charter": true,
        "cdo_duties": ["strategy", "management", "security"],
    })
}

/// One part of a multipart body; a file part has a file name.
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn text(name: &str, value: &str) -> Self {
        Self {
            name: name.to_owned(),
            file_name: None,
            bytes: value.as_bytes().to_vec(),
        }
    }

    /// A file part; the name is sent as raw UTF-8, as browsers do.
    pub fn file(file_name: &str, bytes: &[u8]) -> Self {
        Self {
            name: "file".to_owned(),
            file_name: Some(file_name.to_owned()),
            bytes: bytes.to_vec(),
        }
    }
}

/// The content type and body of a `multipart/form-data` request. Every file part claims
/// `application/pdf`: the service must not believe it.
pub fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let boundary = format!("dcmm-boundary-{}", uuid::Uuid::now_v7().simple());
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match &part.file_name {
            Some(file_name) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/pdf\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
        }
        body.extend_from_slice(&part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The parts of an upload of one file linked to `criteria`.
pub fn upload_parts(file_name: &str, bytes: &[u8], criteria: &[&str]) -> Vec<Part> {
    let mut parts = vec![Part::file(file_name, bytes)];
    parts.extend(criteria.iter().map(|c| Part::text("criteria", c)));
    parts
}

impl TestApp {
    /// A request with a raw body of the given type.
    pub async fn send_bytes(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get_profile(&self, token: &str, enterprise: &str) -> reqwest::Response {
        let path = format!("/api/v1/enterprises/{enterprise}/profile");
        self.send(Method::GET, &path, Some(token), None).await
    }

    pub async fn put_profile(
        &self,
        token: &str,
        enterprise: &str,
        answers: &Value,
        if_match: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .put(self.url(&format!("/api/v1/enterprises/{enterprise}/profile")))
            .bearer_auth(token)
            .json(&json!({ "answers": answers }));
        if let Some(version) = if_match {
            request = request.header("if-match", version);
        }
        request.send().await.expect("request sent")
    }

    pub async fn upload(&self, token: &str, assessment: &str, parts: &[Part]) -> reqwest::Response {
        let (content_type, body) = multipart(parts);
        let path = format!("/api/v1/assessments/{assessment}/evidence");
        self.send_bytes(Method::POST, &path, Some(token), &content_type, body)
            .await
    }

    pub async fn list_evidence(
        &self,
        token: &str,
        assessment: &str,
        query: &str,
    ) -> reqwest::Response {
        let path = format!("/api/v1/assessments/{assessment}/evidence{query}");
        self.send(Method::GET, &path, Some(token), None).await
    }

    pub async fn get_evidence(&self, token: &str, id: &str) -> reqwest::Response {
        let path = format!("/api/v1/evidence/{id}");
        self.send(Method::GET, &path, Some(token), None).await
    }

    pub async fn download_evidence(&self, token: &str, id: &str) -> reqwest::Response {
        let path = format!("/api/v1/evidence/{id}/download");
        self.send(Method::GET, &path, Some(token), None).await
    }
}
