//! OAuth for both logins: consent dialogs a test can drive like a browser, code exchanges,
//! long-lived exchanges, Instagram's refresh with its 24-hour rule, and `debug_token`.

use crate::catalog;
use crate::core::{Answer, Core, GraphAnswer};
use crate::errors::{GraphError, flat_oauth_error};
use crate::prng::{Stream, base62_encode, mix};
use crate::request::{ApiRequest, encode_component, encode_pairs};
use crate::time::pacific_long;
use crate::tokens::{
    AppInfo, Claims, CodeRecord, LEGACY_IG_SCOPES, LONG_LIVED_SECONDS, LoginKind, Revocation,
    SCOPES, TokenKind, scope_is_for, scope_mask, scope_names, short_lived,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// The Facebook Login "manual flow" redirect that is always allowed.
const LOGIN_SUCCESS: &str = "https://www.facebook.com/connect/login_success.html";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn error_page(title: &str, message: &str) -> Answer {
    Answer::html(
        400,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body><h1>{t}</h1><p id=\"error\">{m}</p></body></html>",
            t = escape(title),
            m = escape(message)
        ),
    )
}

/// Loopback redirects (any port) are accepted, like Facebook Login in development mode;
/// Facebook Login also accepts its manual-flow page.
fn redirect_allowed(redirect: &str, login: LoginKind) -> bool {
    if login == LoginKind::Facebook && redirect == LOGIN_SUCCESS {
        return true;
    }
    match url::Url::parse(redirect) {
        Ok(url) => {
            (url.scheme() == "http" || url.scheme() == "https")
                && matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
                && url.fragment().is_none()
        }
        Err(_) => false,
    }
}

fn split_scopes(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Validates a scope list for a login at `now`, mapping Instagram's old names while they lived.
fn validate_scopes(
    requested: &[String],
    login: LoginKind,
    now: DateTime<Utc>,
) -> Result<Vec<String>, Vec<String>> {
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for scope in requested {
        let mapped = LEGACY_IG_SCOPES
            .iter()
            .find(|(old, _)| old == scope)
            .filter(|_| login == LoginKind::Instagram && !catalog::old_ig_scopes_gone(now))
            .map(|(_, new)| new.to_string())
            .unwrap_or_else(|| scope.clone());
        if scope_is_for(&mapped, login) {
            if !valid.contains(&mapped) {
                valid.push(mapped);
            }
        } else {
            invalid.push(scope.clone());
        }
    }
    if invalid.is_empty() {
        Ok(valid)
    } else {
        Err(invalid)
    }
}

struct DialogRequest {
    app: AppInfo,
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
}

fn check_dialog(
    core: &Core,
    req: &ApiRequest,
    login: LoginKind,
    now: DateTime<Utc>,
) -> Result<DialogRequest, Answer> {
    let client_id = req.param("client_id").unwrap_or_default();
    let app = match core.ids.app_by_id(client_id) {
        Some(app) if app.login == login => app.clone(),
        _ => {
            return Err(match login {
                LoginKind::Facebook => error_page(
                    "Invalid App ID",
                    "The provided app ID does not look like a valid app ID.",
                ),
                LoginKind::Instagram => error_page(
                    "Invalid Request",
                    "Invalid Request: Request parameters are invalid: Invalid platform app",
                ),
            });
        }
    };
    let redirect_uri = req.param("redirect_uri").unwrap_or_default().to_string();
    if !redirect_allowed(&redirect_uri, login) {
        return Err(match login {
            LoginKind::Facebook => error_page(
                "URL Blocked",
                "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings. Make sure Client and Web OAuth Login are on and add all your app domains as Valid OAuth Redirect URIs.",
            ),
            LoginKind::Instagram => error_page(
                "Invalid Request",
                "Invalid Request: Request parameters are invalid: Invalid redirect_uri",
            ),
        });
    }
    let response_type = req.param("response_type").unwrap_or("code");
    if response_type != "code" {
        return Err(error_page(
            "Invalid Request",
            &format!(
                "Invalid Request: Request parameters are invalid: Unsupported response_type: {response_type}"
            ),
        ));
    }
    let requested = split_scopes(
        req.param("scope")
            .unwrap_or(if login == LoginKind::Facebook {
                "public_profile"
            } else {
                ""
            }),
    );
    if requested.is_empty() {
        return Err(error_page(
            "Invalid Request",
            "Invalid Request: Request parameters are invalid: You must provide a scope",
        ));
    }
    let scopes = validate_scopes(&requested, login, now).map_err(|invalid| match login {
        LoginKind::Facebook => error_page(
            "Invalid Scopes",
            &format!("Invalid Scopes: {}. This message is only shown to developers. Users of your app will ignore these permissions if present. Please read the documentation for valid permissions at: https://developers.facebook.com/docs/facebook-login/permissions", invalid.join(", ")),
        ),
        LoginKind::Instagram => error_page("Invalid Request", &format!("Invalid Request: Request parameters are invalid: Invalid scope field(s): {}", invalid.join(", "))),
    })?;
    Ok(DialogRequest {
        app,
        redirect_uri,
        state: req.param("state").map(str::to_string),
        scopes,
    })
}

fn confirm_action(req: &ApiRequest) -> String {
    let mut path = format!("/{}", req.host);
    for segment in &req.segments {
        path.push('/');
        path.push_str(&encode_component(segment));
    }
    format!("{path}/confirm")
}

/// The consent page: a real form with a checkbox per permission and per Page or account (all
/// checked), an Allow and a Deny button, and a plain Deny link.
pub(crate) fn dialog(
    core: &Core,
    req: &ApiRequest,
    login: LoginKind,
    now: DateTime<Utc>,
) -> Answer {
    let dialog = match check_dialog(core, req, login, now) {
        Ok(d) => d,
        Err(page) => return page,
    };
    let action = confirm_action(req);
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            escape(name),
            escape(value)
        )
    };
    let mut form = String::new();
    form.push_str(&hidden("client_id", &dialog.app.id));
    form.push_str(&hidden("redirect_uri", &dialog.redirect_uri));
    form.push_str(&hidden("requested", &dialog.scopes.join(",")));
    if let Some(state) = &dialog.state {
        form.push_str(&hidden("state", state));
    }
    form.push_str("<fieldset><legend>Permissions</legend>\n");
    for scope in &dialog.scopes {
        form.push_str(&format!("<label><input type=\"checkbox\" name=\"scope\" value=\"{s}\" checked> {s}</label><br>\n", s = escape(scope)));
    }
    form.push_str("</fieldset>\n");
    let (who, legend, assets): (String, &str, Vec<(String, String)>) = match login {
        LoginKind::Facebook => (
            core.ids.fb_user_name.clone(),
            "Pages",
            core.ids
                .pages
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect(),
        ),
        LoginKind::Instagram => {
            let world = core.world(now);
            let account = world
                .accounts
                .first()
                .map(|a| (a.ig_user_id.clone(), a.username.clone()))
                .unwrap_or_default();
            (account.1.clone(), "Instagram accounts", vec![account])
        }
    };
    form.push_str(&format!("<fieldset><legend>{legend}</legend>\n"));
    for (id, name) in &assets {
        form.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"asset\" value=\"{}\" checked> {}</label><br>\n",
            escape(id),
            escape(name)
        ));
    }
    form.push_str("</fieldset>\n");
    let mut deny = vec![
        ("client_id", dialog.app.id.as_str()),
        ("redirect_uri", dialog.redirect_uri.as_str()),
        ("decision", "deny"),
    ];
    if let Some(state) = &dialog.state {
        deny.push(("state", state));
    }
    let deny_href = format!("{action}?{}", encode_pairs(deny.into_iter()));
    let brand = if login == LoginKind::Facebook {
        "Facebook"
    } else {
        "Instagram"
    };
    Answer::html(
        200,
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Log in with {brand}</title></head><body>\n\
             <h1>{app} is requesting access to your {brand} account</h1>\n<p>Logged in as {who}</p>\n\
             <form id=\"consent\" method=\"post\" action=\"{action}\">\n{form}\
             <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n\
             <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>\n\
             <p><a id=\"deny\" href=\"{deny}\">Not now</a></p>\n</body></html>\n",
            app = escape(&dialog.app.name),
            who = escape(&who),
            action = escape(&action),
            deny = escape(&deny_href),
        ),
    )
}

fn with_query(redirect: &str, pairs: &[(&str, &str)], fragment: &str) -> String {
    let separator = if redirect.contains('?') { '&' } else { '?' };
    format!(
        "{redirect}{separator}{}{fragment}",
        encode_pairs(pairs.iter().copied())
    )
}

/// The consent form's target: a redirect with a code, or with Meta's denial parameters.
pub(crate) fn confirm(
    core: &Core,
    req: &ApiRequest,
    login: LoginKind,
    now: DateTime<Utc>,
) -> Answer {
    let client_id = req.param("client_id").unwrap_or_default();
    let app = match core.ids.app_by_id(client_id) {
        Some(app) if app.login == login => app.clone(),
        _ => {
            return error_page(
                "Invalid App ID",
                "The provided app ID does not look like a valid app ID.",
            );
        }
    };
    let redirect_uri = req.param("redirect_uri").unwrap_or_default().to_string();
    if !redirect_allowed(&redirect_uri, login) {
        return error_page(
            "URL Blocked",
            "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.",
        );
    }
    let state = req.param("state");
    let fragment = if login == LoginKind::Facebook {
        "#_=_"
    } else {
        "#_"
    };
    if req.param("decision") != Some("allow") {
        let mut pairs = vec![("error", "access_denied")];
        if login == LoginKind::Facebook {
            pairs.push(("error_code", "200"));
        }
        pairs.push(("error_reason", "user_denied"));
        pairs.push((
            "error_description",
            if login == LoginKind::Facebook {
                "Permissions error"
            } else {
                "The user denied your request."
            },
        ));
        if let Some(state) = state {
            pairs.push(("state", state));
        }
        return Answer::redirect(&with_query(&redirect_uri, &pairs, fragment));
    }
    let requested = split_scopes(req.param("requested").unwrap_or_default());
    let granted: Vec<&str> = req
        .query
        .iter()
        .chain(req.form.iter())
        .filter(|(k, _)| k == "scope")
        .map(|(_, v)| v.as_str())
        .filter(|s| requested.iter().any(|r| r == s))
        .collect();
    let chosen: Vec<&str> = req
        .query
        .iter()
        .chain(req.form.iter())
        .filter(|(k, _)| k == "asset")
        .map(|(_, v)| v.as_str())
        .collect();
    let assets: u16 = match login {
        LoginKind::Facebook => core
            .ids
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| chosen.contains(&p.id.as_str()))
            .fold(0, |acc, (i, _)| acc | (1 << i)),
        LoginKind::Instagram => u16::from(!chosen.is_empty()),
    };
    let code = {
        let mut state_lock = core.lock();
        state_lock.codes_issued += 1;
        let mut stream = Stream::new(&[core.seed, 0xC0DE, state_lock.codes_issued]);
        let bytes: Vec<u8> = (0..30).map(|_| (stream.next_u64() & 0xFF) as u8).collect();
        let code = format!("AQ{}", base62_encode(&bytes));
        state_lock.tokens.codes.insert(
            code.clone(),
            CodeRecord {
                login,
                client_id: app.id.clone(),
                redirect_uri: redirect_uri.clone(),
                scopes: scope_mask(granted),
                assets,
                subject: 0,
                issued_at: now,
                used: false,
            },
        );
        code
    };
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    Answer::redirect(&with_query(&redirect_uri, &pairs, fragment))
}

pub(crate) fn issue(
    core: &Core,
    login: LoginKind,
    subject: u8,
    scopes: u32,
    assets: u16,
    long_lived: bool,
    now: DateTime<Utc>,
) -> (String, i64) {
    let lifetime = if long_lived {
        Duration::seconds(LONG_LIVED_SECONDS)
    } else {
        short_lived(login)
    };
    let nonce = {
        let mut state = core.lock();
        state.tokens.issued += 1;
        (mix(&[core.seed, 0x70C, u64::from(state.tokens.issued)]) & 0xFFFF_FFFF) as u32
    };
    let issued_at = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let claims = Claims {
        kind: TokenKind::User,
        login,
        subject,
        scopes,
        assets,
        long_lived,
        issued_at,
        expires_at: Some(issued_at + lifetime),
        nonce,
    };
    (core.ids.encode(&claims), lifetime.num_seconds())
}

fn token_body(token: &str, expires_in: i64) -> Value {
    json!({ "access_token": token, "token_type": "bearer", "expires_in": expires_in })
}

/// Checks a code for an exchange and marks it used.
fn redeem(
    core: &Core,
    code: &str,
    app: &AppInfo,
    redirect_uri: &str,
    now: DateTime<Utc>,
) -> Result<CodeRecord, &'static str> {
    let mut state = core.lock();
    let Some(record) = state.tokens.codes.get_mut(code) else {
        return Err("invalid");
    };
    if record.client_id != app.id {
        return Err("invalid");
    }
    if record.used {
        return Err("used");
    }
    if now - record.issued_at > Duration::hours(1) {
        return Err("expired");
    }
    if record.redirect_uri != redirect_uri {
        return Err("redirect");
    }
    record.used = true;
    let granted = record.clone();
    // A fresh consent restores permissions removed one by one.
    state
        .tokens
        .removed_scopes
        .remove(&(granted.login, granted.subject));
    Ok(granted)
}

fn facebook_app_check(core: &Core, req: &ApiRequest) -> Result<AppInfo, GraphError> {
    let Some(client_id) = req.param("client_id") else {
        return Err(GraphError::new(101, "Missing client_id parameter."));
    };
    let app = core
        .ids
        .app_by_id(client_id)
        .filter(|a| a.login == LoginKind::Facebook)
        .cloned()
        .ok_or_else(|| {
            GraphError::new(101, "Error validating application. Invalid application ID.")
        })?;
    if req.param("client_secret") != Some(app.secret.as_str()) {
        return Err(GraphError::new(1, "Error validating client secret."));
    }
    Ok(app)
}

/// `GET graph.facebook.com/vNN.0/oauth/access_token`: code exchange or `fb_exchange_token`.
pub(crate) fn facebook_token(core: &Core, req: &ApiRequest, now: DateTime<Utc>) -> GraphAnswer {
    let result = (|| -> Result<Value, GraphError> {
        let app = facebook_app_check(core, req)?;
        if req.param("grant_type") == Some("fb_exchange_token") {
            let Some(short) = req.param("fb_exchange_token") else {
                return Err(GraphError::param(
                    "The parameter fb_exchange_token is required",
                ));
            };
            let (auth, scopes) = core.authorize(short, LoginKind::Facebook, now)?;
            if auth.claims.kind != TokenKind::User {
                return Err(GraphError::token_unparsable());
            }
            let (token, expires_in) = issue(
                core,
                LoginKind::Facebook,
                auth.claims.subject,
                scopes,
                auth.claims.assets,
                true,
                now,
            );
            return Ok(token_body(&token, expires_in));
        }
        let Some(redirect_uri) = req.param("redirect_uri") else {
            return Err(GraphError::new(191, "Missing redirect_uri parameter."));
        };
        let Some(code) = req.param("code") else {
            return Err(GraphError::new(1, "Missing authorization code"));
        };
        let record = redeem(core, code, &app, redirect_uri, now).map_err(|why| match why {
            "used" => GraphError::new(100, "This authorization code has been used.").subcode(36009),
            "expired" => GraphError::new(100, "This authorization code has expired.").subcode(36007),
            "redirect" => GraphError::new(100, "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request").subcode(36008),
            _ => GraphError::new(100, "Invalid verification code format.").subcode(36008),
        })?;
        let (token, expires_in) = issue(
            core,
            LoginKind::Facebook,
            record.subject,
            record.scopes,
            record.assets,
            false,
            now,
        );
        Ok(token_body(&token, expires_in))
    })();
    GraphAnswer::from_result(core, result)
}

/// `POST api.instagram.com/oauth/access_token` (form): Instagram Login's code exchange, with the
/// flat error shape.
pub(crate) fn instagram_code_exchange(core: &Core, req: &ApiRequest, now: DateTime<Utc>) -> Answer {
    let fail = |message: &str| Answer::json(400, &flat_oauth_error(message));
    if req.method != "POST" {
        return fail("Unsupported request - method type: get");
    }
    for field in [
        "client_id",
        "client_secret",
        "grant_type",
        "redirect_uri",
        "code",
    ] {
        if req.param(field).is_none_or(str::is_empty) {
            return fail(&format!("Missing required field {field}"));
        }
    }
    let client_id = req.param("client_id").unwrap_or_default();
    let Some(app) = core
        .ids
        .app_by_id(client_id)
        .filter(|a| a.login == LoginKind::Instagram)
        .cloned()
    else {
        return fail("Invalid platform app");
    };
    if req.param("client_secret") != Some(app.secret.as_str()) {
        return fail("Error validating client secret.");
    }
    if req.param("grant_type") != Some("authorization_code") {
        return fail("Unsupported grant_type");
    }
    let code = req.param("code").unwrap_or_default();
    let record = match redeem(
        core,
        code,
        &app,
        req.param("redirect_uri").unwrap_or_default(),
        now,
    ) {
        Ok(record) => record,
        Err("redirect") => {
            return fail(
                "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
            );
        }
        Err("expired") => return fail("This authorization code has expired."),
        Err(_) => return fail("Matching code was not found or was already used"),
    };
    let (token, _) = issue(
        core,
        LoginKind::Instagram,
        record.subject,
        record.scopes,
        record.assets,
        false,
        now,
    );
    let world = core.world(now);
    let user_id = world
        .accounts
        .get(usize::from(record.subject))
        .map(|a| a.ig_user_id.clone())
        .unwrap_or_default();
    Answer::json(
        200,
        &json!({ "data": [{ "access_token": token, "user_id": user_id, "permissions": scope_names(record.scopes).join(",") }] }),
    )
}

/// `GET graph.instagram.com/access_token?grant_type=ig_exchange_token&client_secret=…`.
pub(crate) fn instagram_exchange(core: &Core, req: &ApiRequest, now: DateTime<Utc>) -> GraphAnswer {
    let result = (|| -> Result<Value, GraphError> {
        let grant = req.param("grant_type").unwrap_or_default();
        if grant != "ig_exchange_token" {
            return Err(GraphError::param(format!(
                "Param grant_type must be one of {{ig_exchange_token}} - got \"{grant}\""
            )));
        }
        if req.param("client_secret") != Some(core.ids.instagram_app.secret.as_str()) {
            return Err(GraphError::new(1, "Error validating client secret."));
        }
        let token = req.token().ok_or_else(GraphError::token_required)?;
        let (auth, scopes) = core.authorize(token, LoginKind::Instagram, now)?;
        let (token, expires_in) = issue(
            core,
            LoginKind::Instagram,
            auth.claims.subject,
            scopes,
            auth.claims.assets,
            true,
            now,
        );
        Ok(token_body(&token, expires_in))
    })();
    GraphAnswer::from_result(core, result)
}

/// `GET graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token`: only for a
/// long-lived token at least 24 hours old and unexpired, with `instagram_business_basic`.
pub(crate) fn instagram_refresh(core: &Core, req: &ApiRequest, now: DateTime<Utc>) -> GraphAnswer {
    let result = (|| -> Result<Value, GraphError> {
        let grant = req.param("grant_type").unwrap_or_default();
        if grant != "ig_refresh_token" {
            return Err(GraphError::param(format!(
                "Param grant_type must be one of {{ig_refresh_token}} - got \"{grant}\""
            )));
        }
        let token = req.token().ok_or_else(GraphError::token_required)?;
        let (auth, scopes) = core.authorize(token, LoginKind::Instagram, now)?;
        if scopes & scope_mask(["instagram_business_basic"]) == 0 {
            return Err(GraphError::no_permission());
        }
        if !auth.claims.long_lived || now - auth.claims.issued_at < Duration::hours(24) {
            // What Meta answers when a token cannot be refreshed (yet).
            return Err(GraphError::unsupported_method(&req.method));
        }
        let (token, expires_in) = issue(
            core,
            LoginKind::Instagram,
            auth.claims.subject,
            scopes,
            auth.claims.assets,
            true,
            now,
        );
        Ok(token_body(&token, expires_in))
    })();
    GraphAnswer::from_result(core, result)
}

/// `GET /debug_token?input_token=…` with an app token (`id|secret`) or a user token of the app.
pub(crate) fn debug_token(
    core: &Core,
    req: &ApiRequest,
    login: LoginKind,
    now: DateTime<Utc>,
) -> GraphAnswer {
    let result = (|| -> Result<Value, GraphError> {
        let caller = req.token().ok_or_else(GraphError::token_required)?;
        if let Some((id, secret)) = caller.split_once('|') {
            if core.ids.app_by_id(id).is_none_or(|a| a.secret != secret) {
                return Err(GraphError::new(
                    190,
                    "Invalid OAuth access token signature.",
                ));
            }
        } else {
            core.authorize(caller, login, now)?;
        }
        let Some(input) = req.param("input_token") else {
            return Err(GraphError::param("The parameter input_token is required"));
        };
        let Some(claims) = core.ids.decode(input) else {
            return Ok(json!({ "data": {
                "error": { "code": 190, "message": "Invalid OAuth access token - Cannot parse access token" },
                "is_valid": false,
                "scopes": [],
            }}));
        };
        let app = core.ids.app(claims.login);
        let world = core.world(now);
        let user_id = match (claims.login, claims.kind) {
            (LoginKind::Facebook, _) => core.ids.fb_user_id.clone(),
            (LoginKind::Instagram, _) => world
                .accounts
                .get(usize::from(claims.subject))
                .map(|a| a.ig_user_id.clone())
                .unwrap_or_default(),
        };
        let checked = core.lock().tokens.check(input, &claims, now);
        let scopes = checked.unwrap_or(claims.scopes);
        let granular: Vec<Value> = scope_names(scopes)
            .into_iter()
            .map(|scope| {
                let targets: Vec<String> = match (claims.login, scope.as_str()) {
                    (LoginKind::Facebook, "pages_show_list" | "pages_read_engagement") => core
                        .ids
                        .pages
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| claims.has_asset(*i))
                        .map(|(_, p)| p.id.clone())
                        .collect(),
                    (
                        LoginKind::Facebook,
                        "instagram_basic"
                        | "instagram_manage_insights"
                        | "instagram_manage_comments",
                    ) => core
                        .ids
                        .pages
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| claims.has_asset(*i))
                        .filter_map(|(_, p)| {
                            p.linked
                                .and_then(|a| world.accounts.get(a))
                                .map(|a| a.ig_user_id.clone())
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                if targets.is_empty() {
                    json!({ "scope": scope })
                } else {
                    json!({ "scope": scope, "target_ids": targets })
                }
            })
            .collect();
        let mut data = json!({
            "app_id": app.id,
            "type": if claims.kind == TokenKind::Page { "PAGE" } else { "USER" },
            "application": app.name,
            "data_access_expires_at": (claims.issued_at + Duration::days(90)).timestamp(),
            "expires_at": claims.expires_at.map(|t| t.timestamp()).unwrap_or(0),
            "is_valid": checked.is_ok(),
            "issued_at": claims.issued_at.timestamp(),
            "scopes": scope_names(scopes),
            "granular_scopes": granular,
            "user_id": user_id,
        });
        if let (Err((reason, at)), Some(object)) = (checked, data.as_object_mut()) {
            let (subcode, message) = match reason {
                Revocation::Expired => (463, format!("Session has expired on {}. The current time is {}.", pacific_long(at), pacific_long(now))),
                Revocation::SessionInvalidated => (460, "The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.".into()),
                Revocation::Deauthorized => (458, format!("The user has not authorized application {}.", app.id)),
            };
            object.insert(
                "error".into(),
                json!({ "code": 190, "message": message, "subcode": subcode }),
            );
        }
        Ok(json!({ "data": data }))
    })();
    GraphAnswer::from_result(core, result)
}

/// All scopes of a login (for the demo's long-lived tokens).
pub(crate) fn demo_scopes(login: LoginKind) -> u32 {
    let names: Vec<&str> = match login {
        LoginKind::Facebook => vec![
            "public_profile",
            "pages_show_list",
            "pages_read_engagement",
            "instagram_basic",
            "instagram_manage_insights",
            "instagram_manage_comments",
            "business_management",
        ],
        LoginKind::Instagram => vec![
            "instagram_business_basic",
            "instagram_business_manage_insights",
            "instagram_business_manage_comments",
        ],
    };
    let _ = SCOPES;
    scope_mask(names)
}
