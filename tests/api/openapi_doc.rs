//! The OpenAPI document holds together and says what the API does: every reference has its
//! definition, every operation names the errors the shared layers give (bodies, queries,
//! tokens, the database), every error has the error body, and instants carry their offset.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::fixtures::{seed_user, PASSWORD};
use crate::helpers::spawn_app;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

fn document() -> Value {
    serde_json::to_value(dcmm::api::openapi()).unwrap()
}

/// Every operation as (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if METHODS.contains(&method.as_str()) {
                all.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    all
}

/// Every `$ref` of `value` with where it sits.
fn references(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(fields) => {
            for (name, v) in fields {
                match (name.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push((at.to_owned(), r.clone())),
                    _ => references(v, &format!("{at}/{name}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                references(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_in_the_document_has_its_definition() {
    let doc = document();
    let mut refs = Vec::new();
    references(&doc, "", &mut refs);
    assert!(refs.len() > 50, "{} references", refs.len());
    let dangling: Vec<String> = refs
        .iter()
        .filter(|(_, r)| {
            r.strip_prefix('#')
                .and_then(|pointer| doc.pointer(pointer))
                .is_none()
        })
        .map(|(at, r)| format!("{at}: {r}"))
        .collect();
    assert!(dangling.is_empty(), "{dangling:#?}");
}

/// The checker itself finds a reference without a definition, as the `EvidenceId` one was.
#[test]
fn a_reference_without_a_definition_is_found() {
    let doc = json!({"components": {"schemas": {"EvidenceResponse": {"properties": {
        "id": {"$ref": "#/components/schemas/EvidenceId"}}}}}});
    let mut refs = Vec::new();
    references(&doc, "", &mut refs);
    assert_eq!(
        refs,
        [(
            "/components/schemas/EvidenceResponse/properties/id".to_owned(),
            "#/components/schemas/EvidenceId".to_owned()
        )]
    );
    assert!(doc.pointer("/components/schemas/EvidenceId").is_none());
}

/// The statuses an operation must declare, from what it takes: a JSON or multipart body can be
/// malformed (400), of the wrong type (415) or invalid (422); any body can be too large (413);
/// a query or header parameter can be invalid (422); a token missing (401); and the database away (503).
fn required_statuses(path: &str, op: &Value) -> Vec<&'static str> {
    let mut required = Vec::new();
    if let Some(content) = op["requestBody"]["content"].as_object() {
        if content.contains_key("application/json") || content.contains_key("multipart/form-data") {
            required.extend(["400", "415", "422"]);
        }
        required.push("413");
    }
    let has_checked_parameter = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["in"] == "query" || p["in"] == "header");
    if has_checked_parameter {
        required.push("422");
    }
    if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
        required.push("401");
    }
    if path != "/healthz" {
        required.push("503");
    }
    required
}

#[test]
fn every_operation_declares_the_errors_it_can_give() {
    let doc = document();
    let mut missing = Vec::new();
    for (method, path, op) in operations(&doc) {
        for status in required_statuses(&path, &op) {
            if !op["responses"][status].is_object() {
                missing.push(format!("{method} {path}: {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
    // The rules reach the operations they are about.
    let ops = operations(&doc);
    let find = |m: &str, p: &str| {
        ops.iter()
            .find(|(method, path, _)| method == m && path == p)
            .map(|(_, path, op)| required_statuses(path, op))
            .unwrap()
    };
    let upload = find("POST", "/api/v1/assessments/{id}/evidence");
    for status in ["400", "401", "413", "415", "422", "503"] {
        assert!(upload.contains(&status), "{upload:?}");
    }
    let login = find("POST", "/api/v1/auth/login");
    assert!(
        login.contains(&"400") && !login.contains(&"401"),
        "{login:?}"
    );
    assert_eq!(find("GET", "/healthz"), Vec::<&str>::new());
}

#[test]
fn every_error_response_has_the_error_body() {
    let doc = document();
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            if status.as_str() < "400" {
                continue;
            }
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            if schema != "#/components/schemas/ErrorBody" {
                wrong.push(format!("{method} {path} {status}: {response}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Every `date-time` is an RFC 3339 instant, so with its offset.
fn is_date_time(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok())
}

both_backends! {
    async fn instants_are_sent_with_their_offset(backend: Backend) {
        let app = spawn_app(backend).await;
        seed_user(&app, "root", dcmm::domain::Role::Admin, &[]);
        let admin = app.session("root", PASSWORD).await.access;
        let created = app
            .send(Method::POST, "/api/v1/clusters", Some(&admin), Some(&json!({"name": "时间集群"})))
            .await;
        assert_eq!(created.status().as_u16(), 201);
        let cluster: Value = created.json().await.unwrap();
        let users: Value = app.list_users(&admin).await.json().await.unwrap();
        let user = &users["items"][0];
        let log: Value = app
            .send(Method::GET, "/api/v1/audit-log", Some(&admin), None)
            .await
            .json()
            .await
            .unwrap();
        let entry = &log["items"][0];
        for value in [
            &cluster["created_at"], &cluster["updated_at"],
            &user["created_at"], &user["updated_at"], &entry["at"],
        ] {
            assert!(is_date_time(value), "{value} is not an RFC 3339 instant");
            assert!(value.as_str().unwrap().ends_with('Z'), "{value} is not in UTC");
        }
        // The instant is the one stored: within a minute of now.
        let at = chrono::DateTime::parse_from_rfc3339(cluster["created_at"].as_str().unwrap()).unwrap();
        let off = (chrono::Utc::now() - at.with_timezone(&chrono::Utc)).num_seconds().abs();
        assert!(off < 60, "{at} is {off} s from now");
    }
}

#[test]
fn an_instant_without_its_offset_is_not_a_date_time() {
    assert!(!is_date_time(&json!("2026-12-03T13:56:21.460938361")));
    assert!(is_date_time(&json!("2026-12-03T13:56:21.460938361Z")));
    assert!(is_date_time(&json!("2026-12-03T13:56:21+08:00")));
}

/// The schema name of each `ToSchema` type under `dir` (its `#[schema(as = …)]` when it has
/// one), with where it is declared.
fn schema_names(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            schema_names(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !(line.contains("derive(") && line.contains("ToSchema")) {
                continue;
            }
            let mut alias = None;
            for (j, next) in lines.iter().enumerate().skip(i).take(20) {
                let next = next.trim();
                if let Some(rest) = next.strip_prefix("#[schema(as = ") {
                    alias = rest.split([')', ',']).next().map(str::to_owned);
                }
                let decl = next.strip_prefix("pub ").unwrap_or(next);
                let decl = decl.strip_prefix("pub(crate) ").unwrap_or(decl);
                let name = decl
                    .strip_prefix("struct ")
                    .or_else(|| decl.strip_prefix("enum "));
                if let Some(name) = name {
                    let name: String = name
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.push((
                        alias.unwrap_or(name),
                        format!("{}:{}", path.display(), j + 1),
                    ));
                    break;
                }
            }
        }
    }
}

/// utoipa keys schemas by name: of two types with one name, the document keeps one and the
/// other's references silently point at it (a login attempt's outcome was described as a
/// review's, a campaign's participation as the dashboard's).
#[test]
fn no_two_schema_types_share_a_name() {
    let mut names = Vec::new();
    schema_names(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut names,
    );
    assert!(names.len() > 50, "{names:?}");
    names.sort();
    let shared: Vec<String> = names
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| format!("{}: {} and {}", w[0].0, w[0].1, w[1].1))
        .collect();
    assert!(shared.is_empty(), "{shared:#?}");
    let doc = document();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "LoginOutcome",
        "CampaignParticipation",
        "Participation",
        "Outcome",
    ] {
        assert!(schemas.contains_key(name), "{name}");
    }
}

/// What the API sends for a campaign and a login fits the schemas the document names for
/// them (they were another type's before).
#[test]
fn the_renamed_schemas_describe_what_is_sent() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let participation = schemas["CampaignParticipation"]["required"].to_string();
    for field in ["invited", "started", "submitted", "accepted"] {
        assert!(participation.contains(field), "{participation}");
    }
    assert!(!participation.contains("overdue"), "{participation}");
    assert!(schemas["CampaignResponse"]["properties"]["participation"]
        .to_string()
        .contains("CampaignParticipation"));
    assert_eq!(
        schemas["LoginOutcome"]["enum"],
        json!(["success", "failed", "throttled"])
    );
    let audit = &schemas["AuditEntry"]["properties"];
    for field in ["before", "after"] {
        assert!(
            audit[field].to_string().contains("null"),
            "{field}: {}",
            audit[field]
        );
    }
}

/// A download declares every type evidence is served with.
#[test]
fn an_evidence_download_declares_the_types_files_are_served_with() {
    let doc = document();
    let content = doc["paths"]["/api/v1/evidence/{id}/download"]["get"]["responses"]["200"]
        ["content"]
        .as_object()
        .unwrap()
        .clone();
    for media_type in [
        "application/pdf",
        "text/plain",
        "image/png",
        "application/octet-stream",
    ] {
        assert!(
            content.contains_key(media_type),
            "{media_type}: {content:?}"
        );
    }
    for kind in dcmm::evidence::FileKind::ALL {
        let served = kind.content_type().split(';').next().unwrap();
        assert!(content.contains_key(served), "{served}");
    }
}

/// Each `#[validate(length(..))]` or `#[validate(range(..))]` bound of `dir`'s API types, as
/// (struct, field, JSON Schema keyword, value).
fn validator_bounds(dir: &std::path::Path) -> Vec<(String, String, String, u64)> {
    let mut bounds = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let mut current = String::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            if let Some(rest) = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("struct "))
            {
                current = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
            }
            if !line.starts_with("#[validate(") {
                i += 1;
                continue;
            }
            let mut attribute = line.to_owned();
            while attribute.matches('(').count() > attribute.matches(')').count() {
                i += 1;
                attribute.push_str(lines[i]);
            }
            let mut j = i + 1;
            while lines[j].starts_with("#[") || lines[j].starts_with("///") {
                j += 1;
            }
            let field_line = lines[j].strip_prefix("pub ").unwrap_or(lines[j]);
            let (field, ty) = field_line.split_once(':').unwrap();
            let list = ty.contains("Vec<");
            for (kind, min_key, max_key) in [
                (
                    "length(",
                    if list { "minItems" } else { "minLength" },
                    if list { "maxItems" } else { "maxLength" },
                ),
                ("range(", "minimum", "maximum"),
            ] {
                let Some(args) = attribute.split(kind).nth(1) else {
                    continue;
                };
                let args = args.split(')').next().unwrap();
                for arg in args.split(',') {
                    let Some((name, value)) = arg.split_once('=') else {
                        continue;
                    };
                    let key = match name.trim() {
                        "min" => min_key,
                        "max" => max_key,
                        _ => continue,
                    };
                    if let Ok(value) = value.trim().parse() {
                        bounds.push((
                            current.clone(),
                            field.trim().to_owned(),
                            key.to_owned(),
                            value,
                        ));
                    }
                }
            }
            i = j;
        }
    }
    bounds
}

/// A bound the validator enforces is one the document states, so a generated client (and
/// schemathesis) sends what the API takes.
#[test]
fn the_validators_bounds_are_in_the_document() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let bounds =
        validator_bounds(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api"));
    let mut checked = 0;
    let mut missing = Vec::new();
    for (schema, field, key, value) in &bounds {
        if !schemas[schema].is_object() {
            continue; // a type of a unit test, not of the API
        }
        checked += 1;
        let property = &schemas[schema]["properties"][field];
        if property[key] != json!(value) {
            missing.push(format!(
                "{schema}.{field}: {key} {value}, documented {property}"
            ));
        }
    }
    assert!(checked >= 16, "{bounds:?}");
    assert!(missing.is_empty(), "{missing:#?}");
    let page_limit = doc["paths"]["/api/v1/clusters"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap()["schema"]
        .clone();
    assert_eq!(
        (&page_limit["minimum"], &page_limit["maximum"]),
        (&json!(1), &json!(500))
    );
}
