//! A client that knows the service only from its OpenAPI document: it finds each operation by
//! its id, fills the path templates, reads the questionnaire it is pinned to, answers every
//! open criterion as the rating scale allows, submits and reads its score, and checks every
//! response it reads against the schema the document declares for it.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::dashboard::demo_app;
use crate::helpers::TestApp;

struct Client<'a> {
    app: &'a TestApp,
    doc: Value,
    token: Option<String>,
}

impl<'a> Client<'a> {
    async fn new(app: &'a TestApp) -> Self {
        let doc = app.get("/api/v1/openapi.json").await.json().await.unwrap();
        Self {
            app,
            doc,
            token: None,
        }
    }

    /// The method and path template of an operation.
    fn operation(&self, id: &str) -> (Method, String, &Value) {
        for (path, ops) in self.doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                if op["operationId"] == id {
                    return (method.to_uppercase().parse().unwrap(), path.clone(), op);
                }
            }
        }
        panic!("the document has no operation {id}");
    }

    /// Calls an operation with path parameters, a query, headers and a body; checks the
    /// response against the schema the document gives for its status.
    async fn call(
        &self,
        id: &str,
        params: &[(&str, &str)],
        query: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (u16, Value) {
        let (method, template, op) = self.operation(id);
        let mut path = template.clone();
        for (name, value) in params {
            let declared = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == *name && p["in"] == "path");
            assert!(declared, "{id} declares the path parameter {name}");
            path = path.replace(&format!("{{{name}}}"), &urlencode(value));
        }
        assert!(
            !path.contains('{'),
            "{id}: every path parameter filled: {path}"
        );
        let mut request =
            reqwest::Client::new().request(method, self.app.url(&format!("{path}{query}")));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            let declared = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == *name && p["in"] == "header");
            assert!(declared, "{id} declares the header {name}");
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            conforms(&self.doc, schema, &body, "request")
                .unwrap_or_else(|e| panic!("{id} request: {e}"));
            request = request.json(&body);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        let value: Value = r.json().await.unwrap_or(Value::Null);
        let declared = &op["responses"][status.to_string()];
        assert!(declared.is_object(), "{id} documents its {status}: {value}");
        if let Some(schema) = declared["content"]["application/json"].get("schema") {
            conforms(&self.doc, schema, &value, "response")
                .unwrap_or_else(|e| panic!("{id} {status} does not fit its schema: {e}"));
        }
        (status, value)
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Whether `value` fits `schema` (the parts of JSON Schema utoipa writes).
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return conforms(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            conforms(doc, s, value, at)?;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(any) = schema[key].as_array() {
            if !any.iter().any(|s| conforms(doc, s, value, at).is_ok()) {
                return Err(format!("{at}: {value} fits none of its {key}"));
            }
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return Ok(()),
    };
    let fits = types.iter().any(|t| match (*t, value) {
        ("null", Value::Null) | ("boolean", Value::Bool(_)) | ("string", Value::String(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("number", Value::Number(_))
        | ("object", Value::Object(_))
        | ("array", Value::Array(_)) => true,
        _ => false,
    });
    if !fits {
        return Err(format!("{at}: {value} is not {types:?}"));
    }
    if let (Some("date-time"), Value::String(text)) = (schema["format"].as_str(), value) {
        if chrono::DateTime::parse_from_rfc3339(text).is_err() {
            return Err(format!("{at}: {text} is not an RFC 3339 date-time"));
        }
    }
    if let Value::Object(fields) = value {
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                return Err(format!("{at}: the required {name} is missing"));
            }
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (name, s) in properties {
                if let Some(v) = fields.get(name) {
                    conforms(doc, s, v, &format!("{at}.{name}"))?;
                }
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            conforms(doc, s, v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

both_backends! {
    async fn a_client_made_from_the_openapi_document_takes_the_questionnaire(backend: Backend) {
        let app = demo_app(backend).await;
        let mut client = Client::new(&app).await;
        let (status, tokens) = client
            .call("login", &[], "", &[], Some(json!({"username": "e31", "password": dcmm::demo::PASSWORD})))
            .await;
        assert_eq!(status, 200);
        client.token = Some(tokens["access_token"].as_str().unwrap().to_owned());
        let (_, me) = client.call("me", &[], "", &[], None).await;
        let enterprise = me["enterprise_id"].as_str().unwrap().to_owned();
        let (_, assessments) = client
            .call("list_assessments", &[("id", &enterprise)], "", &[], None)
            .await;
        let draft = assessments["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["status"] == "draft")
            .expect("e31 has a draft")
            .clone();
        let id = draft["id"].as_str().unwrap().to_owned();

        // The questionnaire the assessment is pinned to, by the link it gives.
        let (_, assessment) = client.call("get_assessment", &[("id", &id)], "", &[], None).await;
        let questionnaire = assessment["questionnaire"].as_str().unwrap().to_owned();
        let hash = assessment["questionnaire_hash"].as_str().unwrap().to_owned();
        let (_, version_template, _) = client.operation("get_questionnaire_version");
        let link = version_template.replace("{id}", &questionnaire).replace("{hash}", &hash);
        assert!(assessment["questionnaire_url"].as_str().unwrap().ends_with(&link));
        let (status, content) = client
            .call("get_questionnaire_version", &[("id", &questionnaire), ("hash", &hash)], "", &[], None)
            .await;
        assert_eq!(status, 200);
        let scale: Vec<&str> = content["rating_scale"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["rating"].as_str().unwrap())
            .collect();
        assert!(scale.contains(&"largely") && scale.contains(&"na"));

        // What is answered so far, page by page.
        let mut answered = std::collections::HashSet::new();
        let mut query = "?limit=500".to_owned();
        loop {
            let (_, page) = client.call("list_answers", &[("id", &id)], &query, &[], None).await;
            for a in page["items"].as_array().unwrap() {
                answered.insert(a["criterion"].as_str().unwrap().to_owned());
            }
            match page["next"].as_str() {
                Some(next) => query = format!("?limit=500&after={}", urlencode(next)),
                None => break,
            }
        }
        assert!(!answered.is_empty(), "e31 is half done");

        // Every open criterion: na where allowed (for a few), else "largely"; If-Match 0.
        let mut written = 0;
        for domain in content["domains"].as_array().unwrap() {
            for item in domain["items"].as_array().unwrap() {
                for c in item["criteria"].as_array().unwrap() {
                    let criterion = c["id"].as_str().unwrap();
                    if answered.contains(criterion) {
                        continue;
                    }
                    assert!(!c["text"]["zh"].as_str().unwrap().is_empty());
                    let rating = if c["allow_na"] == true && written % 7 == 0 { "na" } else { "largely" };
                    let (status, answer) = client
                        .call("put_answer", &[("id", &id), ("criterion", criterion)], "",
                              &[("If-Match", "0")], Some(json!({"rating": rating, "comment": ""})))
                        .await;
                    assert_eq!(status, 200, "{criterion}: {answer}");
                    assert_eq!(answer["version"], 1);
                    written += 1;
                }
            }
        }
        assert!(written > 0);

        let (status, submitted) = client.call("submit_assessment", &[("id", &id)], "", &[], None).await;
        assert_eq!(status, 200, "{submitted}");
        assert_eq!(submitted["status"], "submitted");
        let (status, score) = client.call("get_score", &[("id", &id)], "", &[], None).await;
        assert_eq!(status, 200);
        let overall = score["self"]["overall"]["score"].as_f64().unwrap();
        assert!(overall > 0.0, "{}", score["self"]["overall"]);
    }
}

/// Every `{name}` of a path is a declared path parameter of each of its operations, as OpenAPI
/// requires and client generators insist.
#[test]
fn every_path_parameter_is_declared() {
    let doc = serde_json::to_value(dcmm::api::openapi()).unwrap();
    let mut missing = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let names: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .collect();
        for (method, op) in ops.as_object().unwrap() {
            for name in &names {
                let declared = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["name"] == *name && p["in"] == "path" && p["required"] == true);
                if !declared {
                    missing.push(format!("{method} {path}: {name}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// The score's gap plan is documented as the path: steps of criteria raised from → to, with
/// the levels, item scores and gain of each step.
#[test]
fn the_score_schema_describes_the_gap_path() {
    let doc = serde_json::to_value(dcmm::api::openapi()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let gap = schemas["ScoreReport"]["properties"]["gap"].to_string();
    assert!(gap.contains("#/components/schemas/GapStep"), "{gap}");
    let step = &schemas["GapStep"];
    for field in [
        "item",
        "criteria",
        "level_before",
        "level_after",
        "score_before",
        "score_after",
        "gain",
    ] {
        assert!(
            step["required"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == field),
            "{field}: {step}"
        );
    }
    assert!(
        step["properties"]["criteria"]
            .to_string()
            .contains("#/components/schemas/Raise"),
        "{step}"
    );
    let raise = &schemas["Raise"];
    assert!(
        raise["properties"]["from"].to_string().contains("null"),
        "{raise}"
    );
    assert!(
        raise["required"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "to"),
        "{raise}"
    );
}
