//! The raw bodies of Meta's successful answers, handed to whoever wants to keep them.
//!
//! The store archives Meta's answers as they came so numbers can be recomputed when Meta
//! renames a metric; the client is the only place that sees the bytes, so it offers each
//! successful Graph answer to a [`ResponseSink`] set on the builder. Only GET answers to
//! requests the client's own token authorised are offered (never the OAuth exchanges, whose
//! addresses carry secrets), each item of a batch on its own, with the address redacted.

/// One successful answer as Meta sent it.
#[derive(Debug, Clone, Copy)]
pub struct RawAnswer<'a> {
    /// Path and query as sent, without host, token or `appsecret_proof`:
    /// `/v26.0/1784.../insights?metric=reach&period=day`.
    pub endpoint: &'a str,
    /// The version Meta says answered (`facebook-api-version`), else the one asked for.
    pub api_version: &'a str,
    pub body: &'a [u8],
}

/// Receives the raw body of every successful Graph answer (see the module documentation).
/// Called on the request's task, right after the answer was read: keep it cheap.
pub trait ResponseSink: Send + Sync {
    fn received(&self, answer: &RawAnswer<'_>);
}

/// `/{path}?{query}` with the client's own parameters, redacted as a last line of defence.
pub(crate) fn endpoint_of(path: &str, query: &[(String, String)]) -> String {
    let mut endpoint = format!("/{}", path.trim_start_matches('/'));
    if !query.is_empty() {
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query.iter().filter(|(k, _)| k != "appsecret_proof"))
            .finish();
        endpoint.push('?');
        endpoint.push_str(&encoded);
    }
    insightdesk_secret::redact_url(&endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_path_and_query_but_never_a_proof() {
        let query = vec![
            ("metric".to_owned(), "reach,views".to_owned()),
            ("appsecret_proof".to_owned(), "abc".to_owned()),
        ];
        assert_eq!(
            endpoint_of("v26.0/17/insights", &query),
            "/v26.0/17/insights?metric=reach%2Cviews"
        );
        assert_eq!(endpoint_of("/v26.0/17", &[]), "/v26.0/17");
    }
}
