//! Meta's two error shapes and the exact message texts the sandbox answers with.
//!
//! Graph (`graph.facebook.com`, `graph.instagram.com`):
//! `{"error":{"message","type","code","error_subcode","fbtrace_id",...}}` with HTTP 400.
//! Instagram Login's OAuth endpoint (`api.instagram.com`): flat `{"error_type","code","error_message"}`.

use serde_json::{Map, Value, json};

/// Errors of the sandbox's own Rust API (not Meta's errors, which are answers).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox could not listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("the fault plan is not valid: {0}")]
    FaultSpec(String),
}

/// A Graph API error body, built once and rendered with a trace id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GraphError {
    pub(crate) status: u16,
    pub(crate) message: String,
    pub(crate) kind: &'static str,
    pub(crate) code: i64,
    pub(crate) subcode: Option<i64>,
    /// The fields only a few errors carry, boxed to keep `Result`s small.
    pub(crate) extra: Option<Box<ErrorExtra>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ErrorExtra {
    pub(crate) is_transient: Option<bool>,
    pub(crate) user_title: Option<String>,
    pub(crate) user_msg: Option<String>,
    pub(crate) error_data: Option<Value>,
}

impl GraphError {
    pub(crate) fn new(code: i64, message: impl Into<String>) -> GraphError {
        GraphError {
            status: 400,
            message: message.into(),
            kind: "OAuthException",
            code,
            subcode: None,
            extra: None,
        }
    }

    pub(crate) fn subcode(mut self, subcode: i64) -> GraphError {
        self.subcode = Some(subcode);
        self
    }

    pub(crate) fn kind(mut self, kind: &'static str) -> GraphError {
        self.kind = kind;
        self
    }

    pub(crate) fn status(mut self, status: u16) -> GraphError {
        self.status = status;
        self
    }

    pub(crate) fn body(&self, fbtrace_id: &str) -> Value {
        let mut error = Map::new();
        error.insert("message".into(), json!(self.message));
        error.insert("type".into(), json!(self.kind));
        error.insert("code".into(), json!(self.code));
        let extra = self.extra.as_deref().cloned().unwrap_or_default();
        if let Some(data) = &extra.error_data {
            error.insert("error_data".into(), data.clone());
        }
        if let Some(subcode) = self.subcode {
            error.insert("error_subcode".into(), json!(subcode));
        }
        if let Some(transient) = extra.is_transient {
            error.insert("is_transient".into(), json!(transient));
        }
        if let Some(title) = &extra.user_title {
            error.insert("error_user_title".into(), json!(title));
        }
        if let Some(msg) = &extra.user_msg {
            error.insert("error_user_msg".into(), json!(msg));
        }
        error.insert("fbtrace_id".into(), json!(fbtrace_id));
        json!({ "error": Value::Object(error) })
    }

    // ---- the catalogue ------------------------------------------------------------------

    pub(crate) fn token_required() -> GraphError {
        GraphError::new(104, "An access token is required to request this resource.")
    }

    pub(crate) fn token_unparsable() -> GraphError {
        GraphError::new(
            190,
            "Invalid OAuth access token - Cannot parse access token",
        )
    }

    pub(crate) fn token_expired(expired_at: &str, now: &str) -> GraphError {
        GraphError::new(
            190,
            format!("Error validating access token: Session has expired on {expired_at}. The current time is {now}."),
        )
        .subcode(463)
    }

    pub(crate) fn session_invalidated() -> GraphError {
        GraphError::new(
            190,
            "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
        )
        .subcode(460)
    }

    pub(crate) fn app_not_authorized(app_id: &str) -> GraphError {
        GraphError::new(
            190,
            format!(
                "Error validating access token: The user has not authorized application {app_id}."
            ),
        )
        .subcode(458)
    }

    pub(crate) fn bad_appsecret_proof() -> GraphError {
        GraphError::new(100, "Invalid appsecret_proof provided in the API argument")
            .kind("GraphMethodException")
    }

    pub(crate) fn unknown_path(path: &str) -> GraphError {
        GraphError::new(2500, format!("Unknown path components: {path}"))
    }

    pub(crate) fn unsupported_request(method: &str, id: &str) -> GraphError {
        GraphError::new(
            100,
            format!(
                "Unsupported {} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                method.to_ascii_lowercase()
            ),
        )
        .kind("GraphMethodException")
        .subcode(33)
    }

    pub(crate) fn unsupported_method(method: &str) -> GraphError {
        GraphError::new(
            100,
            format!(
                "Unsupported request - method type: {}",
                method.to_ascii_lowercase()
            ),
        )
        .kind("GraphMethodException")
    }

    pub(crate) fn nonexisting_field(field: &str, node: &str) -> GraphError {
        GraphError::new(
            100,
            format!("(#100) Tried accessing nonexisting field ({field}) on node type ({node})"),
        )
    }

    pub(crate) fn param(message: impl Into<String>) -> GraphError {
        GraphError::new(100, format!("(#100) {}", message.into()))
    }

    pub(crate) fn no_permission() -> GraphError {
        GraphError::new(
            10,
            "(#10) Application does not have permission for this action",
        )
    }

    /// The fixture error_100_missing_permission.json, word for word, for a permission name.
    pub(crate) fn missing_permission(permission: &str) -> GraphError {
        GraphError::new(
            100,
            format!(
                "(#100) Object does not exist, cannot be loaded due to missing permission or reviewable feature, or does not support this operation. This endpoint requires the '{permission}' permission or the 'Page Public Content Access' feature or the 'Page Public Metadata Access' feature. Refer to https://developers.facebook.com/docs/apps/review/login-permissions#manage-pages, https://developers.facebook.com/docs/apps/review/feature#reference-PAGES_ACCESS and https://developers.facebook.com/docs/apps/review/feature#page-public-metadata-access for details."
            ),
        )
    }

    pub(crate) fn unknown_error() -> GraphError {
        GraphError::new(1, "An unknown error has occurred.")
    }

    pub(crate) fn transient() -> GraphError {
        let mut error = GraphError::new(
            2,
            "An unexpected error has occurred. Please retry your request later.",
        )
        .status(500);
        error.extra = Some(Box::new(ErrorExtra {
            is_transient: Some(true),
            ..ErrorExtra::default()
        }));
        error
    }

    pub(crate) fn not_enough_viewers() -> GraphError {
        GraphError::new(
            10,
            "(#10) Not enough viewers for the media to show insights",
        )
    }

    /// The fixture error_posted_before_business_conversion_2108006.json.
    pub(crate) fn before_business_conversion() -> GraphError {
        let mut error = GraphError::new(100, "Invalid parameter").subcode(2108006);
        error.extra = Some(Box::new(ErrorExtra {
            error_data: Some(json!({ "blame_field_specs": [[""]] })),
            is_transient: Some(false),
            user_title: Some("Media posted before business account conversion".into()),
            user_msg: Some(
                "The media was posted before the most recent time that the user's account was converted to a business account from a personal account.".into(),
            ),
        }));
        error
    }

    pub(crate) fn instagram_throttled() -> GraphError {
        GraphError::new(
            80002,
            "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        )
    }

    /// Platform and other throttling codes (4, 17, 32, 613, 80001, 80002).
    pub(crate) fn throttled(code: i64) -> GraphError {
        match code {
            4 => GraphError::new(4, "(#4) Application request limit reached"),
            17 => GraphError::new(17, "(#17) User request limit reached"),
            32 => GraphError::new(32, "(#32) Page request limit reached"),
            613 => GraphError::new(
                613,
                "(#613) Calls to this api have exceeded the rate limit.",
            ),
            80001 => GraphError::new(
                80001,
                "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
            ),
            _ => GraphError::instagram_throttled(),
        }
    }
}

/// Instagram Login's flat OAuth error (api.instagram.com).
pub(crate) fn flat_oauth_error(message: &str) -> Value {
    json!({ "error_type": "OAuthException", "code": 400, "error_message": message })
}

/// Deterministic `fbtrace_id`s that look like Meta's (23 characters of base64url).
pub(crate) fn fbtrace_id(seed: u64, sequence: u64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut state = crate::prng::mix(&[seed, sequence, 0xFB]);
    let mut out = String::from("A");
    for _ in 0..22 {
        out.push(char::from(ALPHABET[(state % 64) as usize]));
        state = crate::prng::splitmix64(state);
    }
    out
}
