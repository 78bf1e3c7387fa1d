//! "Explore the demo": the demo creator is signed in through the real sign-in flow against
//! the in-process sandbox, with this module playing the user's part in the browser — it loads
//! the consent page, keeps every permission and account ticked, and presses Allow — so the
//! demo is one click and needs no browser.

use insightdesk_secret::redact_url;

use crate::error::AppError;

/// A parsed HTML form: where it posts and the fields a browser would send.
#[derive(Debug, Default, PartialEq, Eq)]
struct ConsentForm {
    action: String,
    fields: Vec<(String, String)>,
}

/// Follows a consent page like a browser whose user presses Allow, and lets the redirect
/// reach the loopback receiver.
pub async fn approve_consent(authorize_url: &str) -> Result<(), AppError> {
    let failed = |what: &str| AppError::Demo(format!("the demo's consent page {what}"));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AppError::Demo(e.to_string()))?;
    let page_url = url::Url::parse(authorize_url).map_err(|_| failed("has a bad address"))?;
    let html = http
        .get(page_url.clone())
        .send()
        .await
        .map_err(|_| failed("did not answer"))?
        .text()
        .await
        .map_err(|_| failed("could not be read"))?;
    let form = parse_consent_form(&html).ok_or_else(|| failed("has no form"))?;
    let action = page_url
        .join(&form.action)
        .map_err(|_| failed("posts to a bad address"))?;
    let mut fields = form.fields;
    fields.push(("decision".into(), "allow".into()));
    let answer = http
        .post(action)
        .form(&fields)
        .send()
        .await
        .map_err(|_| failed("did not accept Allow"))?;
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .ok_or_else(|| failed("did not redirect"))?
        .to_owned();
    log::info!(
        "demo: consent given, redirecting to {}",
        redact_url(&location)
    );
    // The browser's last step: load the redirect, which the loopback receiver answers.
    http.get(&location)
        .send()
        .await
        .map_err(|_| failed("redirect could not be followed"))?;
    Ok(())
}

/// Reads the first `<form>`'s action, hidden inputs and checked checkboxes.
fn parse_consent_form(html: &str) -> Option<ConsentForm> {
    let form_start = html.find("<form")?;
    let form_end = html[form_start..].find("</form>")? + form_start;
    let form_html = &html[form_start..form_end];
    let tag_end = form_html.find('>')?;
    let action = attribute(&form_html[..tag_end], "action")?;
    let mut fields = Vec::new();
    let mut rest = &form_html[tag_end..];
    while let Some(at) = rest.find("<input") {
        let tag = &rest[at..];
        let end = tag.find('>').unwrap_or(tag.len());
        let input = &tag[..end];
        let kind = attribute(input, "type").unwrap_or_else(|| "text".into());
        let keep = match kind.as_str() {
            "hidden" => true,
            "checkbox" | "radio" => input.contains(" checked"),
            _ => false,
        };
        if keep
            && let (Some(name), Some(value)) = (attribute(input, "name"), attribute(input, "value"))
        {
            fields.push((name, value));
        }
        rest = &tag[end..];
    }
    Some(ConsentForm { action, fields })
}

/// The value of `name="…"` in a tag, with the HTML entities the sandbox writes undone.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_action_hidden_fields_and_checked_boxes_only() {
        let html = r#"<html><form id="consent" method="post" action="/www.facebook.com/v26.0/dialog/oauth/confirm">
<input type="hidden" name="client_id" value="123">
<input type="hidden" name="redirect_uri" value="http://localhost:1/callback?a=1&amp;b=2">
<label><input type="checkbox" name="scope" value="instagram_basic" checked> instagram_basic</label>
<label><input type="checkbox" name="asset" value="p1"> p1</label>
<button type="submit" name="decision" value="allow">Allow</button></form></html>"#;
        let form = parse_consent_form(html).unwrap();
        assert_eq!(form.action, "/www.facebook.com/v26.0/dialog/oauth/confirm");
        assert_eq!(
            form.fields,
            vec![
                ("client_id".into(), "123".into()),
                (
                    "redirect_uri".into(),
                    "http://localhost:1/callback?a=1&b=2".into()
                ),
                ("scope".into(), "instagram_basic".into()),
            ]
        );
    }

    #[test]
    fn a_page_without_a_form_is_none() {
        assert_eq!(parse_consent_form("<p>Sorry</p>"), None);
    }
}
