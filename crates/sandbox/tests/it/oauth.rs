//! Both logins followed over HTTP like a browser: consent page, form, redirect, exchanges.

use crate::support::*;
use chrono::Duration;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const REDIRECT: &str = "http://127.0.0.1:53682/callback";

fn dialog_url(h: &Harness, instagram: bool, scope: &str, state: &str) -> String {
    let (path, client) = if instagram {
        (
            "www.instagram.com/oauth/authorize",
            &h.creds.instagram_app.app_id,
        )
    } else {
        (
            "www.facebook.com/v24.0/dialog/oauth",
            &h.creds.facebook_app.app_id,
        )
    };
    let mut url = url::Url::parse(&format!("{}/{path}", h.base)).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", client)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("response_type", "code")
        .append_pair("scope", scope)
        .append_pair("state", state);
    url.to_string()
}

/// Opens the consent page, unticks what the test says, clicks Allow or Deny; returns `Location`.
pub async fn consent(
    h: &Harness,
    instagram: bool,
    scope: &str,
    untick: &[&str],
    allow: bool,
) -> String {
    let page = h
        .http
        .get(dialog_url(h, instagram, scope, "xyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(">Allow</button>") && html.contains(">Deny</button>"),
        "{html}"
    );
    let form = parse_form(&html);
    let mut fields: Vec<(String, String)> = form.fields.clone();
    fields.extend(
        form.checkboxes
            .iter()
            .filter(|(_, v)| !untick.contains(&v.as_str()))
            .cloned(),
    );
    fields.push((
        "decision".into(),
        if allow { "allow" } else { "deny" }.into(),
    ));
    let response = h
        .http
        .post(format!("{}{}", h.base, form.action))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    response.headers()["location"].to_str().unwrap().to_string()
}

pub async fn facebook_login(h: &Harness, scope: &str, untick: &[&str]) -> String {
    let location = consent(h, false, scope, untick, true).await;
    let code = location_params(&location)["code"].clone();
    let url = format!(
        "{}?client_id={}&client_secret={}&redirect_uri={}&code={code}",
        h.fb("v24.0/oauth/access_token"),
        h.creds.facebook_app.app_id,
        h.creds.facebook_app.app_secret,
        urlencode(REDIRECT)
    );
    let reply = h.get_with(&url, None).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["access_token"].as_str().unwrap().to_string()
}

pub fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn instagram_code(h: &Harness, scope: &str) -> String {
    let location = consent(h, true, scope, &[], true).await;
    assert!(location.ends_with("#_"), "Instagram appends #_: {location}");
    location_params(&location)["code"].clone()
}

async fn instagram_exchange_code(h: &Harness, code: &str, redirect: &str) -> Reply {
    let form = [
        ("client_id", h.creds.instagram_app.app_id.as_str()),
        ("client_secret", h.creds.instagram_app.app_secret.as_str()),
        ("grant_type", "authorization_code"),
        ("redirect_uri", redirect),
        ("code", code),
    ];
    h.post_form(
        &format!("{}/api.instagram.com/oauth/access_token", h.base),
        &form,
        None,
    )
    .await
}

#[tokio::test]
async fn facebook_login_flow_gives_a_working_token_and_long_lived_exchange() {
    let h = start().await;
    let short = facebook_login(
        &h,
        "instagram_basic,instagram_manage_insights,pages_show_list,pages_read_engagement",
        &[],
    )
    .await;
    assert!(short.starts_with("EAA"));
    let me = h.get_with(&h.fb("v24.0/me"), Some(&short)).await;
    assert_eq!(me.body["id"], h.creds.fb_user_id.as_str());
    let url = format!(
        "{}?grant_type=fb_exchange_token&client_id={}&client_secret={}&fb_exchange_token={short}",
        h.fb("v24.0/oauth/access_token"),
        h.creds.facebook_app.app_id,
        h.creds.facebook_app.app_secret
    );
    let long = h.get_with(&url, None).await;
    same_structure(
        &fixture("token_fb_login_long_lived_exchange.json"),
        &long.body,
        &[],
    )
    .unwrap();
    assert_eq!(long.body["expires_in"], 5_183_944);
    // The short-lived token dies after about 1.5 hours; the long-lived one lives on.
    h.sandbox.advance(Duration::hours(3));
    let dead = h.get_with(&h.fb("v24.0/me"), Some(&short)).await;
    assert_eq!(
        (dead.error_code(), dead.error_subcode()),
        (Some(190), Some(463))
    );
    assert!(
        dead.message()
            .starts_with("Error validating access token: Session has expired on "),
        "{}",
        dead.message()
    );
    assert!(dead.message().contains(" PST.") || dead.message().contains(" PDT."));
    let alive = h
        .get_with(&h.fb("v24.0/me"), long.body["access_token"].as_str())
        .await;
    assert_eq!(alive.status, 200);
}

#[tokio::test]
async fn codes_are_single_use_expire_in_an_hour_and_check_the_redirect_and_secret() {
    let h = start().await;
    let location = consent(&h, false, "instagram_basic", &[], true).await;
    assert!(
        location.starts_with(REDIRECT) && location.ends_with("#_=_"),
        "{location}"
    );
    let params = location_params(&location);
    assert_eq!(params["state"], "xyz");
    let exchange = |code: &str, redirect: &str, secret: &str| {
        format!(
            "{}?client_id={}&client_secret={secret}&redirect_uri={}&code={code}",
            h.fb("v24.0/oauth/access_token"),
            h.creds.facebook_app.app_id,
            urlencode(redirect)
        )
    };
    let code = params["code"].clone();
    let wrong_secret = h.get_with(&exchange(&code, REDIRECT, "nope"), None).await;
    assert_eq!(
        (wrong_secret.status, wrong_secret.error_code()),
        (400, Some(1))
    );
    assert_eq!(wrong_secret.message(), "Error validating client secret.");
    let wrong_redirect = h
        .get_with(
            &exchange(
                &code,
                "http://127.0.0.1:1/other",
                &h.creds.facebook_app.app_secret,
            ),
            None,
        )
        .await;
    assert_eq!(wrong_redirect.error_subcode(), Some(36008));
    let ok = h
        .get_with(
            &exchange(&code, REDIRECT, &h.creds.facebook_app.app_secret),
            None,
        )
        .await;
    assert_eq!(ok.status, 200);
    let again = h
        .get_with(
            &exchange(&code, REDIRECT, &h.creds.facebook_app.app_secret),
            None,
        )
        .await;
    assert_eq!(again.message(), "This authorization code has been used.");
    let late =
        location_params(&consent(&h, false, "instagram_basic", &[], true).await)["code"].clone();
    h.sandbox.advance(Duration::minutes(61));
    let expired = h
        .get_with(
            &exchange(&late, REDIRECT, &h.creds.facebook_app.app_secret),
            None,
        )
        .await;
    assert_eq!(expired.message(), "This authorization code has expired.");
}

#[tokio::test]
async fn deny_redirects_with_metas_error_parameters_for_both_logins() {
    let h = start().await;
    let facebook = consent(&h, false, "instagram_basic", &[], false).await;
    let params = location_params(&facebook);
    assert_eq!(params["error"], "access_denied");
    assert_eq!(params["error_reason"], "user_denied");
    assert!(params.contains_key("error_description"));
    assert_eq!(params["state"], "xyz");
    let instagram = consent(&h, true, "instagram_business_basic", &[], false).await;
    assert!(
        instagram.contains("error=access_denied&error_reason=user_denied&error_description="),
        "{instagram}"
    );
    // The plain "Not now" link denies too, with no form.
    let html = h
        .http
        .get(dialog_url(&h, false, "instagram_basic", "s2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = html.find("id=\"deny\" href=\"").unwrap() + "id=\"deny\" href=\"".len();
    let href = html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&");
    let response = h
        .http
        .get(format!("{}{href}", h.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=access_denied")
    );
}

#[tokio::test]
async fn the_dialog_rejects_unknown_apps_redirects_and_scopes() {
    let h = start().await;
    let mut url = dialog_url(&h, false, "instagram_basic", "s");
    url = url.replace(&h.creds.facebook_app.app_id, &h.creds.instagram_app.app_id);
    let page = h.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 400);
    assert!(page.text().await.unwrap().contains("Invalid App ID"));
    let bad_redirect = dialog_url(&h, false, "instagram_basic", "s")
        .replace(&urlencode(REDIRECT), &urlencode("https://evil.example/cb"));
    assert!(
        h.http
            .get(&bad_redirect)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("URL Blocked")
    );
    let bad_scope = dialog_url(&h, false, "instagram_basic,no_such_scope", "s");
    assert!(
        h.http
            .get(&bad_scope)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Invalid Scopes: no_such_scope")
    );
    let old_ig_scope = dialog_url(&h, true, "business_basic", "s");
    assert!(
        h.http
            .get(&old_ig_scope)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Invalid scope")
    );
}

#[tokio::test]
async fn unticked_scopes_and_pages_are_not_granted() {
    let h = start().await;
    let token = facebook_login(
        &h,
        "instagram_basic,instagram_manage_insights,pages_show_list,pages_read_engagement",
        &["instagram_manage_insights", &h.creds.small_page_id.clone()],
    )
    .await;
    let insights = h
        .get_with(
            &h.fb(&format!(
                "v24.0/{}/insights?metric=reach&period=day",
                h.ig_id()
            )),
            Some(&token),
        )
        .await;
    same_structure(
        &fixture("error_permission_code_10_airbyte_test.json"),
        &insights.body,
        &[],
    )
    .unwrap();
    assert_eq!(
        insights.message(),
        "(#10) Application does not have permission for this action"
    );
    let accounts = h
        .get_with(&h.fb("v24.0/me/accounts?fields=id"), Some(&token))
        .await;
    let ids: Vec<&str> = accounts.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&h.creds.page_id.as_str()) && !ids.contains(&h.creds.small_page_id.as_str())
    );
    let small = h
        .get_with(
            &h.fb(&format!("v24.0/{}?fields=id", h.creds.small_ig_user_id)),
            Some(&token),
        )
        .await;
    assert_eq!(
        (small.error_code(), small.error_subcode()),
        (Some(100), Some(33))
    );
    let no_pages_scope = facebook_login(&h, "instagram_basic,pages_show_list", &[]).await;
    let page = h
        .get_with(
            &h.fb(&format!(
                "v24.0/{}?fields=instagram_business_account",
                h.creds.page_id
            )),
            Some(&no_pages_scope),
        )
        .await;
    same_structure(
        &fixture("error_100_missing_permission.json"),
        &page.body,
        &[],
    )
    .unwrap();
    assert_eq!(
        page.message(),
        fixture("error_100_missing_permission.json")["error"]["message"]
            .as_str()
            .unwrap()
    );
}

#[tokio::test]
async fn instagram_login_flow_exchange_and_refresh_rules() {
    let h = start().await;
    let code = instagram_code(
        &h,
        "instagram_business_basic,instagram_business_manage_insights",
    )
    .await;
    let short = instagram_exchange_code(&h, &code, REDIRECT).await;
    same_structure(
        &fixture("token_ig_login_code_exchange_short_lived.json"),
        &short.body,
        &[],
    )
    .unwrap();
    let short_token = short.body["data"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(short_token.starts_with("IGAA"));
    assert_eq!(short.body["data"][0]["user_id"], h.ig_id().as_str());
    let reused = instagram_exchange_code(&h, &code, REDIRECT).await;
    assert_eq!(
        reused.body,
        fixture("error_ig_login_code_exchange_rejected.json")
    );
    let with_fragment = instagram_exchange_code(&h, &format!("{code}#_"), REDIRECT).await;
    assert_eq!(with_fragment.body["error_type"], "OAuthException");

    let exchange = format!(
        "{}?grant_type=ig_exchange_token&client_secret={}",
        h.ig("access_token"),
        h.creds.instagram_app.app_secret
    );
    let long = h.get_with(&exchange, Some(&short_token)).await;
    same_structure(
        &fixture("token_ig_login_long_lived_exchange.json"),
        &long.body,
        &[],
    )
    .unwrap();
    let long_token = long.body["access_token"].as_str().unwrap().to_string();
    let bad_secret = h
        .get_with(
            &format!(
                "{}?grant_type=ig_exchange_token&client_secret=wrong",
                h.ig("access_token")
            ),
            Some(&short_token),
        )
        .await;
    assert_eq!(bad_secret.message(), "Error validating client secret.");

    let refresh = format!(
        "{}?grant_type=ig_refresh_token",
        h.ig("refresh_access_token")
    );
    let too_young = h.get_with(&refresh, Some(&long_token)).await;
    assert_eq!(
        too_young.status, 400,
        "a token under 24 hours old cannot be refreshed"
    );
    let short_refresh = h.get_with(&refresh, Some(&short_token)).await;
    assert_eq!(
        short_refresh.status, 400,
        "a short-lived token cannot be refreshed"
    );
    h.sandbox.advance(Duration::hours(25));
    let refreshed = h.get_with(&refresh, Some(&long_token)).await;
    same_structure(
        &fixture("token_ig_login_refresh.json"),
        &refreshed.body,
        &[],
    )
    .unwrap();
    h.sandbox.advance(Duration::days(61));
    let dead = h.get_with(&refresh, Some(&long_token)).await;
    assert_eq!(
        (dead.error_code(), dead.error_subcode()),
        (Some(190), Some(463))
    );
}

#[tokio::test]
async fn instagram_refresh_needs_instagram_business_basic() {
    let h = start().await;
    let code = instagram_code(&h, "instagram_business_manage_insights").await;
    let short = instagram_exchange_code(&h, &code, REDIRECT).await;
    let token = short.body["data"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let long = h
        .get_with(
            &format!(
                "{}?grant_type=ig_exchange_token&client_secret={}",
                h.ig("access_token"),
                h.creds.instagram_app.app_secret
            ),
            Some(&token),
        )
        .await;
    h.sandbox.advance(Duration::hours(30));
    let refused = h
        .get_with(
            &format!(
                "{}?grant_type=ig_refresh_token",
                h.ig("refresh_access_token")
            ),
            long.body["access_token"].as_str(),
        )
        .await;
    assert_eq!(refused.error_code(), Some(10));
}

#[tokio::test]
async fn token_is_accepted_from_header_and_parameter_and_appsecret_proof_is_checked() {
    let h = start().await;
    let token = h.token();
    let by_param = h
        .get_with(&format!("{}?access_token={token}", h.fb("v24.0/me")), None)
        .await;
    assert_eq!(by_param.status, 200);
    let none = h.get_with(&h.fb("v24.0/me"), None).await;
    assert_eq!(none.error_code(), Some(104));
    let garbage = h.get_with(&h.fb("v24.0/me"), Some("EAAGnotatoken")).await;
    assert_eq!(garbage.error_code(), Some(190));
    let ig_token_on_fb = h.get_with(&h.fb("v24.0/me"), Some(&h.ig_token())).await;
    assert_eq!(ig_token_on_fb.error_code(), Some(190));
    let mut mac =
        Hmac::<Sha256>::new_from_slice(h.creds.facebook_app.app_secret.as_bytes()).unwrap();
    mac.update(token.as_bytes());
    let proof = hex::encode(mac.finalize().into_bytes());
    let good = h.get(&format!("v24.0/me?appsecret_proof={proof}")).await;
    assert_eq!(good.status, 200);
    let bad = h.get("v24.0/me?appsecret_proof=00ff").await;
    assert_eq!(
        bad.message(),
        "Invalid appsecret_proof provided in the API argument"
    );
    assert_eq!(bad.body["error"]["type"], "GraphMethodException");
}

#[tokio::test]
async fn debug_token_and_revoking_permissions() {
    let h = start().await;
    let app_token = format!(
        "{}|{}",
        h.creds.facebook_app.app_id, h.creds.facebook_app.app_secret
    );
    let url = format!(
        "{}?input_token={}&access_token={app_token}",
        h.fb("v24.0/debug_token"),
        h.token()
    );
    let info = h.get_with(&url, None).await;
    same_structure(&fixture("debug_token.json"), &info.body, &[]).unwrap();
    assert_eq!(info.body["data"]["is_valid"], true);
    assert_eq!(
        info.body["data"]["app_id"],
        h.creds.facebook_app.app_id.as_str()
    );

    let token = facebook_login(&h, "instagram_basic,pages_show_list", &[]).await;
    let permissions = h
        .get_with(&h.fb("v24.0/me/permissions"), Some(&token))
        .await;
    assert_eq!(permissions.body["data"].as_array().unwrap().len(), 2);
    let removed = h
        .http
        .delete(h.fb("v24.0/me/permissions/pages_show_list"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 200);
    let after = h
        .get_with(&h.fb("v24.0/me/permissions"), Some(&token))
        .await;
    assert_eq!(after.body["data"].as_array().unwrap().len(), 1);
    let revoked = h
        .http
        .delete(h.fb("v24.0/me/permissions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    h.sandbox.advance(Duration::seconds(2));
    let dead = h.get_with(&h.fb("v24.0/me"), Some(&token)).await;
    assert_eq!(
        (dead.error_code(), dead.error_subcode()),
        (Some(190), Some(458))
    );
    let debug = h
        .get_with(
            &format!(
                "{}?input_token={token}&access_token={app_token}",
                h.fb("v24.0/debug_token")
            ),
            None,
        )
        .await;
    assert_eq!(debug.body["data"]["is_valid"], false);
    // A new consent works again.
    let fresh = facebook_login(&h, "instagram_basic", &[]).await;
    assert_eq!(
        h.get_with(&h.fb("v24.0/me"), Some(&fresh)).await.status,
        200
    );
}

#[tokio::test]
async fn password_change_invalidates_sessions() {
    let h = start().await;
    h.sandbox
        .invalidate_sessions(insightdesk_sandbox::LoginKind::Facebook);
    h.sandbox.advance(Duration::seconds(1));
    let reply = h.get("v24.0/me").await;
    assert_eq!(
        (reply.error_code(), reply.error_subcode()),
        (Some(190), Some(460))
    );
    assert_eq!(
        h.get_ig("me").await.status,
        200,
        "Instagram Login sessions are separate"
    );
}
