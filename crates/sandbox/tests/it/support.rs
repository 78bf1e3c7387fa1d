//! Helpers shared by the integration tests: a sandbox at a fixed time, a browser-like client,
//! the structural comparator and a small HTML form reader.

use chrono::{DateTime, Utc};
use insightdesk_sandbox::{
    BucConfig, ClockConfig, DemoCredentials, FaultPlan, Sandbox, SandboxConfig, parse_instant,
};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn at(text: &str) -> DateTime<Utc> {
    parse_instant(text).expect("a valid instant")
}

/// The default test instant: the day the demo creator has two years of history.
pub const NOW: &str = "2026-11-26T12:00:00Z";

pub struct Harness {
    pub sandbox: Sandbox,
    pub base: String,
    pub creds: DemoCredentials,
    pub http: reqwest::Client,
}

pub async fn start_at(now: &str) -> Harness {
    start_with(now, FaultPlan::none(), BucConfig::default()).await
}

pub async fn start() -> Harness {
    start_at(NOW).await
}

pub async fn start_with(now: &str, faults: FaultPlan, buc: BucConfig) -> Harness {
    start_config(SandboxConfig {
        seed: 42,
        clock: ClockConfig::Fixed(at(now)),
        port: None,
        faults,
        buc,
    })
    .await
}

/// A sandbox of another seed (every other helper uses 42).
pub async fn start_seeded(seed: u64, now: &str) -> Harness {
    start_config(SandboxConfig {
        seed,
        clock: ClockConfig::Fixed(at(now)),
        ..SandboxConfig::default()
    })
    .await
}

async fn start_config(config: SandboxConfig) -> Harness {
    let sandbox = Sandbox::start(config).await.expect("the sandbox starts");
    let base = sandbox.base_url();
    let creds = sandbox.credentials();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    Harness {
        sandbox,
        base,
        creds,
        http,
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn error_code(&self) -> Option<i64> {
        self.body["error"]["code"].as_i64()
    }
    pub fn error_subcode(&self) -> Option<i64> {
        self.body["error"]["error_subcode"].as_i64()
    }
    pub fn message(&self) -> String {
        self.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_string())
    }
}

impl Harness {
    /// New tokens at the sandbox's current "now" (after a long time travel).
    pub fn renew(&mut self) {
        self.creds = self.sandbox.fresh_credentials();
    }

    pub fn fb(&self, path: &str) -> String {
        format!("{}/graph.facebook.com/{path}", self.base)
    }
    pub fn ig(&self, path: &str) -> String {
        format!("{}/graph.instagram.com/{path}", self.base)
    }
    pub fn token(&self) -> String {
        self.creds.user_token.access_token.clone()
    }
    pub fn ig_token(&self) -> String {
        self.creds.instagram_token.access_token.clone()
    }

    pub async fn get_with(&self, url: &str, token: Option<&str>) -> Reply {
        let mut request = self.http.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the request is answered");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
        }
    }

    /// GET on graph.facebook.com with the demo user token in the Authorization header.
    pub async fn get(&self, path: &str) -> Reply {
        self.get_with(&self.fb(path), Some(&self.token())).await
    }

    /// GET on graph.instagram.com with the demo Instagram Login token.
    pub async fn get_ig(&self, path: &str) -> Reply {
        self.get_with(&self.ig(path), Some(&self.ig_token())).await
    }

    pub async fn post_form(&self, url: &str, form: &[(&str, &str)], token: Option<&str>) -> Reply {
        let mut request = self.http.post(url).form(form);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the request is answered");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn ig_id(&self) -> String {
        self.creds.ig_user_id.clone()
    }
}

pub fn unix(text: &str) -> i64 {
    at(text).timestamp()
}

/// JSON type names for the comparator.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Structural comparison: every key of the fixture exists in the answer with the same JSON type,
/// recursively; every element of a fixture array has the shape of some element of the answer's
/// array. Keys in `optional` may be missing from the answer (Meta omits empty fields).
pub fn same_structure(fixture: &Value, actual: &Value, optional: &[&str]) -> Result<(), String> {
    compare(fixture, actual, optional, "$")
}

fn compare(fixture: &Value, actual: &Value, optional: &[&str], path: &str) -> Result<(), String> {
    if kind(fixture) != kind(actual) {
        return Err(format!(
            "{path}: fixture has {} but the sandbox answered {}",
            kind(fixture),
            kind(actual)
        ));
    }
    match (fixture, actual) {
        (Value::Object(expected), Value::Object(got)) => {
            for (key, value) in expected {
                match got.get(key) {
                    Some(other) => compare(value, other, optional, &format!("{path}.{key}"))?,
                    None if optional.contains(&key.as_str()) => {}
                    None => {
                        return Err(format!(
                            "{path}: key \"{key}\" is missing (answer has {:?})",
                            got.keys().collect::<Vec<_>>()
                        ));
                    }
                }
            }
            Ok(())
        }
        (Value::Array(expected), Value::Array(got)) => {
            if !expected.is_empty() && got.is_empty() {
                return Err(format!(
                    "{path}: the fixture's array has elements, the answer's is empty"
                ));
            }
            for (i, element) in expected.iter().enumerate() {
                let errors: Vec<String> = got
                    .iter()
                    .filter_map(|g| compare(element, g, optional, &format!("{path}[{i}]")).err())
                    .collect();
                if errors.len() == got.len() {
                    return Err(errors.into_iter().next().unwrap_or_default());
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/../../fixtures/graph/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("fixtures are JSON")
}

/// An HTML form as a browser would submit it: hidden inputs, checked checkboxes, and the
/// submit button that was clicked.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub checkboxes: Vec<(String, String)>,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

pub fn parse_form(html: &str) -> Form {
    let form_start = html.find("<form").expect("a form");
    let form_tag_end = html[form_start..].find('>').expect("form tag") + form_start;
    let action = attribute(&html[form_start..=form_tag_end], "action").expect("an action");
    let mut fields = Vec::new();
    let mut checkboxes = Vec::new();
    let mut rest = &html[form_tag_end..];
    while let Some(start) = rest.find("<input") {
        let end = rest[start..].find('>').expect("input end") + start;
        let tag = &rest[start..=end];
        let name = attribute(tag, "name").unwrap_or_default();
        let value = attribute(tag, "value").unwrap_or_default();
        match attribute(tag, "type").as_deref() {
            Some("checkbox") => {
                if tag.contains(" checked") {
                    checkboxes.push((name, value));
                }
            }
            _ => fields.push((name, value)),
        }
        rest = &rest[end..];
    }
    Form {
        action,
        fields,
        checkboxes,
    }
}

/// Query parameters of a redirect `Location` (the fragment removed).
pub fn location_params(location: &str) -> BTreeMap<String, String> {
    let url = url::Url::parse(location).expect("an absolute Location");
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
