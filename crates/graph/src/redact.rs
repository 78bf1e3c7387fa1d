//! Redaction of text this crate did not build: Meta's messages, transport errors and the
//! paging links in Meta's answers.

use insightdesk_secret::{redact_pairs, redact_url};

/// Credential-looking `name=value` pairs masked in free text. `redact_pairs` is applied to
/// the ASCII runs of the text only: it slices one byte past the character before a `name=`,
/// which panics when that character is not ASCII. Credentials are ASCII, so the same pairs are
/// masked.
pub(crate) fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run_start = 0;
    for (i, c) in text.char_indices() {
        if !c.is_ascii() {
            out.push_str(&redact_pairs(&text[run_start..i]));
            out.push(c);
            run_start = i + c.len_utf8();
        }
    }
    out.push_str(&redact_pairs(&text[run_start..]));
    out
}

/// A link from someone else's text: redacted as a URL when it is one, as text otherwise.
pub(crate) fn redact_link(link: &str) -> String {
    match url::Url::parse(link) {
        Ok(_) => redact_url(link),
        Err(_) => redact_text(link),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_text_is_redacted_without_panicking() {
        assert_eq!(
            redact_text("é=1 Ⱥaccess_token=SECRET ü"),
            "é=1 Ⱥaccess_token=REDACTED ü"
        );
        assert_eq!(
            redact_link("v26.0/Ⱥ/insights?access_token=SECRET"),
            "v26.0/Ⱥ/insights?access_token=REDACTED"
        );
        assert_eq!(
            redact_link("https://graph.facebook.com/v1/x?access_token=SECRET&a=é"),
            "https://graph.facebook.com/v1/x?access_token=REDACTED&a=%C3%A9"
        );
    }
}
