//! Secrets that cannot leak by accident.
//!
//! [`Sensitive<T>`] wraps a token or an app secret: its `Debug` and `Display` print
//! `<redacted>`, it implements neither `Serialize` nor `Deref`, and the only way to the value is
//! [`Sensitive::expose`], which reads as what it is at every call site. [`redact_url`] masks
//! credentials in any URL before it is logged, shown or put into an error.

use std::fmt;

/// A value that must never be printed, logged, serialized or sent to the webview.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that must use it (a header, a keyring entry, an
    /// HMAC key). Never pass the result to a formatter.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Query parameters whose values are credentials in Meta's APIs (and OAuth generally).
const SECRET_PARAMS: &[&str] = &[
    "access_token",
    "input_token",
    "fb_exchange_token",
    "client_secret",
    "appsecret_proof",
    "code",
    "refresh_token",
    "state",
    "code_verifier",
    "hub.verify_token",
];

/// True when a query parameter's value must not be shown.
pub fn is_secret_param(name: &str) -> bool {
    SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// The URL with user-info passwords and credential query values replaced by `REDACTED`.
/// Text that does not parse as a URL is returned with any `param=value` pair of a credential
/// parameter masked, so even a fragment of a URL is safe to print.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("REDACTED"));
            }
            // Work on the raw query so ordinary parameters keep their exact spelling.
            if let Some(query) = url.query().map(redact_pairs) {
                url.set_query(Some(&query));
            }
            if url.fragment().is_some_and(|f| f.contains('=')) {
                url.set_fragment(Some(&redact_pairs(url.fragment().unwrap_or_default())));
            }
            url.to_string()
        }
        Err(_) => redact_pairs(raw),
    }
}

/// Masks `name=value` pairs of credential parameters in free text.
pub fn redact_pairs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (head, tail) = rest.split_at(eq);
        // The name is the run of ASCII word characters before `=`; the character that ends it
        // may be multi-byte, so step over it by its UTF-8 length.
        let name_start = head
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let name = &head[name_start..];
        out.push_str(head);
        out.push('=');
        let value = &tail[1..];
        let value_end = value
            .find(|c: char| {
                matches!(c, '&' | '#' | '?' | '"' | '\'' | ',' | ';') || c.is_whitespace()
            })
            .unwrap_or(value.len());
        if is_secret_param(name) && value_end > 0 {
            out.push_str("REDACTED");
        } else {
            out.push_str(&value[..value_end]);
        }
        rest = &value[value_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "CANARYtok3n-9f8e7d";

    #[test]
    fn sensitive_never_formats_its_value() {
        let s = Sensitive::new(CANARY.to_owned());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), CANARY);
    }

    #[test]
    fn redacts_credentials_in_query_and_password() {
        let shown = redact_url(&format!(
            "https://u:{CANARY}@graph.facebook.com/v26.0/oauth/access_token?client_id=1&client_secret={CANARY}&fb_exchange_token={CANARY}&fields=id"
        ));
        assert!(!shown.contains(CANARY), "{shown}");
        assert!(shown.contains("client_id=1"));
        assert!(shown.contains("fields=id"));
    }

    #[test]
    fn redacts_fragments_and_free_text() {
        let shown = redact_url(&format!("http://127.0.0.1:1/cb#access_token={CANARY}&x=1"));
        assert!(!shown.contains(CANARY), "{shown}");
        let text = format!("GET /me?access_token={CANARY} failed; code={CANARY}&state=abc");
        let shown = redact_pairs(&text);
        assert!(!shown.contains(CANARY), "{shown}");
        assert!(!shown.contains("abc"), "{shown}");
        assert!(shown.starts_with("GET /me?access_token=REDACTED failed"));
    }

    #[test]
    fn free_text_with_multibyte_characters_is_safe() {
        let text = format!("café→access_token={CANARY} é=1 ü");
        let shown = redact_pairs(&text);
        assert_eq!(shown, "café→access_token=REDACTED é=1 ü");
        let chained = redact_pairs(&format!("x=1?access_token={CANARY},code={CANARY};"));
        assert_eq!(chained, "x=1?access_token=REDACTED,code=REDACTED;");
    }

    #[test]
    fn leaves_ordinary_urls_alone() {
        let u = "https://graph.instagram.com/v26.0/me?fields=user_id,username";
        assert_eq!(redact_url(u), u);
    }
}
