//! A request as the simulated platform sees it, whatever transport brought it (HTTP or a batch item).

use url::form_urlencoded;

/// Parameters that carry secrets: removed from the ledger and from paging URLs we print.
pub(crate) const SECRET_PARAMS: [&str; 6] = [
    "access_token",
    "client_secret",
    "fb_exchange_token",
    "input_token",
    "appsecret_proof",
    "code",
];

#[derive(Debug, Clone, Default)]
pub(crate) struct ApiRequest {
    pub(crate) method: String,
    /// The Meta host the path names (`graph.facebook.com`, ...).
    pub(crate) host: String,
    /// Percent-decoded path segments after the host.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) form: Vec<(String, String)>,
    pub(crate) bearer: Option<String>,
}

impl ApiRequest {
    /// Splits `/host/a/b?x=y` and a body into a request. Non-UTF-8 is decoded lossily, as Meta does.
    pub(crate) fn parse(
        method: &str,
        path: &str,
        query: Option<&str>,
        body: &[u8],
        content_type: Option<&str>,
        authorization: Option<&str>,
    ) -> ApiRequest {
        let mut segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(percent_decode)
            .collect::<Vec<_>>()
            .into_iter();
        let host = segments.next().unwrap_or_default();
        let query = query.map(parse_pairs).unwrap_or_default();
        let form = if body.is_empty() {
            Vec::new()
        } else if content_type.is_some_and(|c| c.starts_with("application/json")) {
            json_pairs(body)
        } else {
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        };
        let bearer = authorization.and_then(|value| {
            let value = value.trim();
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .or_else(|| value.strip_prefix("OAuth "))
                .map(|t| t.trim().to_string())
        });
        ApiRequest {
            method: method.to_ascii_uppercase(),
            host,
            segments: segments.collect(),
            query,
            form,
            bearer,
        }
    }

    /// A query or form parameter (the query wins, like Meta).
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .chain(self.form.iter())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The access token from `Authorization: Bearer`, else from an `access_token` parameter.
    pub(crate) fn token(&self) -> Option<&str> {
        self.bearer
            .as_deref()
            .filter(|t| !t.is_empty())
            .or_else(|| self.param("access_token").filter(|t| !t.is_empty()))
    }

    pub(crate) fn token_in_query(&self) -> bool {
        self.query.iter().any(|(k, _)| k == "access_token")
    }

    /// The path and query for the ledger, with every secret parameter removed.
    pub(crate) fn redacted_path(&self) -> String {
        let mut path = format!("/{}", self.host);
        for segment in &self.segments {
            path.push('/');
            path.push_str(&encode_component(segment));
        }
        let kept: Vec<&(String, String)> = self
            .query
            .iter()
            .filter(|(k, _)| !SECRET_PARAMS.contains(&k.as_str()))
            .collect();
        if !kept.is_empty() {
            path.push('?');
            path.push_str(&encode_pairs(
                kept.into_iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ));
        }
        path
    }
}

pub(crate) fn parse_pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn json_pairs(body: &[u8]) -> Vec<(String, String)> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn encode_component(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub(crate) fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    serializer.finish()
}

/// One item of a `fields=` parameter: `insights.metric(reach,saved){values}` and the like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldSpec {
    pub(crate) name: String,
    /// `.metric(reach,saved)` → ("metric", "reach,saved").
    pub(crate) modifiers: Vec<(String, String)>,
    pub(crate) sub: Option<Vec<FieldSpec>>,
}

impl FieldSpec {
    pub(crate) fn modifier(&self, name: &str) -> Option<&str> {
        self.modifiers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses Graph's field syntax. `Err` with a message for unbalanced braces or parentheses.
pub(crate) fn parse_fields(text: &str) -> Result<Vec<FieldSpec>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut position = 0;
    let fields = parse_field_list(&chars, &mut position, 0)?;
    if position < chars.len() {
        return Err(format!(
            "Syntax error \"Expected end of string instead of \"{}\".\" at character {position}: {text}",
            chars[position]
        ));
    }
    Ok(fields)
}

fn parse_field_list(
    chars: &[char],
    position: &mut usize,
    depth: usize,
) -> Result<Vec<FieldSpec>, String> {
    if depth > 8 {
        return Err("Field expansion is nested too deeply".into());
    }
    let mut fields = Vec::new();
    loop {
        while *position < chars.len() && chars[*position].is_whitespace() {
            *position += 1;
        }
        let start = *position;
        while *position < chars.len()
            && !matches!(chars[*position], ',' | '{' | '}' | '.' | '(' | ')')
        {
            *position += 1;
        }
        let name: String = chars[start..*position]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        let mut modifiers = Vec::new();
        while *position < chars.len() && chars[*position] == '.' {
            *position += 1;
            let start = *position;
            while *position < chars.len() && chars[*position] != '(' {
                if matches!(chars[*position], ',' | '{' | '}') {
                    return Err("Syntax error: expected ( after a field modifier".into());
                }
                *position += 1;
            }
            let key: String = chars[start..*position].iter().collect();
            *position += 1;
            let start = *position;
            let mut nesting = 0;
            while *position < chars.len() && !(chars[*position] == ')' && nesting == 0) {
                if chars[*position] == '(' {
                    nesting += 1;
                } else if chars[*position] == ')' {
                    nesting -= 1;
                }
                *position += 1;
            }
            if *position >= chars.len() {
                return Err("Syntax error: unbalanced parentheses".into());
            }
            let value: String = chars[start..*position].iter().collect();
            *position += 1;
            modifiers.push((key, value));
        }
        let mut sub = None;
        if *position < chars.len() && chars[*position] == '{' {
            *position += 1;
            sub = Some(parse_field_list(chars, position, depth + 1)?);
            if *position >= chars.len() || chars[*position] != '}' {
                return Err("Syntax error: unbalanced braces".into());
            }
            *position += 1;
        }
        if !name.is_empty() {
            fields.push(FieldSpec {
                name,
                modifiers,
                sub,
            });
        }
        if *position < chars.len() && chars[*position] == ',' {
            *position += 1;
            continue;
        }
        return Ok(fields);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_expansion_and_modifiers() {
        let fields = parse_fields(
            "id,children{id,media_type},insights.metric(reach,saved).period(lifetime)",
        )
        .unwrap_or_default();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[1].sub.as_ref().map(Vec::len), Some(2));
        assert_eq!(fields[2].modifier("metric"), Some("reach,saved"));
        assert_eq!(fields[2].modifier("period"), Some("lifetime"));
        assert!(parse_fields("children{id").is_err());
        assert!(parse_fields("a}").is_err());
    }

    #[test]
    fn redacts_tokens_from_paths() {
        let request = ApiRequest::parse(
            "GET",
            "/graph.facebook.com/v22.0/me",
            Some("fields=id&access_token=EAAG123"),
            b"",
            None,
            None,
        );
        assert_eq!(
            request.redacted_path(),
            "/graph.facebook.com/v22.0/me?fields=id"
        );
        assert_eq!(request.token(), Some("EAAG123"));
    }

    #[test]
    fn decodes_bad_percent_sequences_without_panicking() {
        assert_eq!(percent_decode("%ZZ%4"), "%ZZ%4");
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }
}
