//! Reading Meta's bodies: JSON that is not JSON (a truncated or garbled answer, which is worth
//! retrying) is told apart from JSON of an unexpected shape (drift, which is not), and drift
//! names the JSON path that no longer matches.

use serde::de::DeserializeOwned;

use crate::error::{GraphError, MetaError};

/// Why a body could not be read as the expected model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON at all (truncated, HTML from a proxy, garbage).
    Malformed(String),
    /// JSON, but not the shape the model expects at `path`.
    Shape { path: String, reason: String },
}

/// serde quotes the offending value in its messages (`invalid type: string "EAAG…"`); that
/// value may be a token, so it is left out.
fn without_quoted_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…\"");
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

/// What a body turned out to be.
#[derive(Debug)]
pub enum Body<T> {
    Ok(T),
    /// Meta's error object, in either shape.
    Error(MetaError),
}

/// Parses a body into `T` through `serde_path_to_error`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| BodyError::Malformed(e.to_string()))?;
    parse_value(value)
}

/// Deserializes an already parsed value into `T`, naming the failing path.
pub fn parse_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, BodyError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        BodyError::Shape {
            path,
            reason: without_quoted_values(&e.into_inner().to_string()),
        }
    })
}

/// Reads a body that is either `T` or one of Meta's error objects. The HTTP status does not
/// decide which: Meta has been seen sending errors with 200 and data with odd statuses.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<Body<T>, BodyError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| BodyError::Malformed(e.to_string()))?;
    if let Some(error) = MetaError::from_value(&value) {
        return Ok(Body::Error(error));
    }
    parse_value(value).map(Body::Ok)
}

/// An answer as `T` or as the error it is: Meta's error object (classified for a request
/// that asked for `metrics`), else the status when it is not a success, else a body that is
/// not JSON or not the expected shape. `request` is the redacted request, for messages.
pub(crate) fn read_answer<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    request: String,
    metrics: &[String],
) -> Result<T, GraphError> {
    match parse_body::<T>(body) {
        Ok(Body::Error(meta)) => Err(GraphError::Api {
            class: meta.class_for(metrics),
            meta: Box::new(meta),
            status,
            request,
        }),
        // No error object: the status is all there is to go by.
        _ if !(200..300).contains(&status) => Err(GraphError::Status { status, request }),
        Ok(Body::Ok(value)) => Ok(value),
        Err(BodyError::Malformed(reason)) => Err(GraphError::Malformed { request, reason }),
        Err(BodyError::Shape { path, reason }) => Err(GraphError::Shape {
            request,
            path,
            reason,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Media;

    #[test]
    fn drift_names_the_path() {
        let err = parse_json::<crate::models::Page<Media>>(
            br#"{"data":[{"id":"1"},{"id":"2","like_count":"many"}]}"#,
        )
        .err();
        let Some(BodyError::Shape { path, .. }) = err else {
            panic!("expected a shape error, got {err:?}")
        };
        assert_eq!(path, "data[1].like_count");
    }

    #[test]
    fn drift_never_repeats_the_offending_string() {
        let err = parse_json::<crate::models::TokenResponse>(
            br#"{"access_token":"T","expires_in":"EAAGsecret"}"#,
        )
        .err();
        let Some(BodyError::Shape { path, reason }) = err else {
            panic!("expected a shape error, got {err:?}")
        };
        assert_eq!(path, "expires_in");
        assert!(!reason.contains("EAAGsecret"), "{reason}");
        assert!(reason.starts_with("invalid type: string"), "{reason}");
    }

    #[test]
    fn garbage_is_malformed() {
        assert!(matches!(
            parse_json::<Media>(b"{\"data\":[{\"id\""),
            Err(BodyError::Malformed(_))
        ));
    }

    #[test]
    fn error_objects_are_recognised_before_the_model() {
        let body = br#"{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4}}"#;
        assert!(matches!(parse_body::<Media>(body), Ok(Body::Error(_))));
    }
}
