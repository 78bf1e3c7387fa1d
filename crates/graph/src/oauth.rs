//! Meta's OAuth calls, which the sign-in crate builds on: authorize URLs, code exchanges,
//! long-lived exchanges, refresh, `debug_token` and revocation.
//!
//! These are the only calls that put secrets in parameters, because Meta's endpoints take
//! them that way (`client_secret`, `code`, `fb_exchange_token`, `input_token`). Where Meta
//! takes a form body (Instagram Login's code exchange) the secrets go in the body. Where a
//! token can travel in the `Authorization` header instead of `access_token=` it does. Every
//! URL that is logged or shown is redacted.
//!
//! Calls on the Graph hosts count as one call each (like every Graph call); Instagram
//! Login's code exchange on api.instagram.com is not a Graph call and counts as none.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use insightdesk_secret::{Sensitive, redact_url};
use reqwest::Method;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::client::{Auth, GraphClient, Request};
use crate::endpoints::{Host, LoginKind};
use crate::error::GraphError;
use crate::models::{DebugToken, DebugTokenData, IgCodeExchange, TokenResponse};

/// A Meta app's id and (when this installation holds it) its secret. For Instagram Login
/// these are the *Instagram* app id and secret.
#[derive(Debug, Clone)]
pub struct AppCredentials {
    pub app_id: String,
    pub app_secret: Option<Sensitive<String>>,
}

/// What the authorize URL carries.
#[derive(Debug, Clone)]
pub struct AuthorizeParams<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scopes: &'a [&'a str],
    pub state: &'a Sensitive<String>,
    /// The PKCE S256 challenge ([`pkce_challenge`]); sent to Facebook Login only, since
    /// Instagram Login documents no PKCE parameter.
    pub pkce_challenge: Option<&'a str>,
    /// Instagram Login: make the user enter their credentials again.
    pub force_reauth: bool,
}

/// An authorize URL. It carries the `state`, so `Debug` and `Display` show it redacted; the
/// browser gets [`AuthorizeUrl::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizeUrl(url::Url);

impl AuthorizeUrl {
    /// The full URL, for the system browser only.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for AuthorizeUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuthorizeUrl({})", redact_url(self.0.as_str()))
    }
}

impl std::fmt::Display for AuthorizeUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_url(self.0.as_str()))
    }
}

/// The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)) without padding.
pub fn pkce_challenge(verifier: &Sensitive<String>) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// Instagram's redirect appends `#_` to the code (Facebook's `#_=_`); it is not part of it.
fn clean_code(code: &Sensitive<String>) -> String {
    let code = code.expose().trim();
    code.split('#').next().unwrap_or(code).to_owned()
}

#[derive(Debug, Deserialize)]
struct Success {
    #[serde(default)]
    success: bool,
}

/// `client.oauth()`.
#[derive(Debug, Clone)]
pub struct OAuth {
    client: GraphClient,
}

impl GraphClient {
    pub fn oauth(&self) -> OAuth {
        OAuth {
            client: self.clone(),
        }
    }
}

impl OAuth {
    fn secret<'a>(&'a self, app: &'a AppCredentials) -> Result<&'a Sensitive<String>, GraphError> {
        app.app_secret
            .as_ref()
            .or(self.client.app_secret())
            .ok_or(GraphError::MissingAppSecret)
    }

    /// The URL to open in the browser: Facebook Login's dialog
    /// (`{www.facebook.com}/vNN.0/dialog/oauth`) or Instagram Login's authorize page
    /// (`{www.instagram.com}/oauth/authorize`), by the client's login kind.
    pub fn authorize_url(&self, params: &AuthorizeParams<'_>) -> Result<AuthorizeUrl, GraphError> {
        let endpoints = self.client.endpoints();
        let mut url = match self.client.login() {
            LoginKind::Facebook => endpoints.url(
                Host::WwwFacebook,
                &format!("{}/dialog/oauth", self.client.version()),
            )?,
            LoginKind::Instagram => endpoints.url(Host::WwwInstagram, "oauth/authorize")?,
        };
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", params.client_id)
                .append_pair("redirect_uri", params.redirect_uri)
                .append_pair("scope", &params.scopes.join(","))
                .append_pair("response_type", "code")
                .append_pair("state", params.state.expose());
            match self.client.login() {
                LoginKind::Facebook => {
                    if let Some(challenge) = params.pkce_challenge {
                        query
                            .append_pair("code_challenge", challenge)
                            .append_pair("code_challenge_method", "S256");
                    }
                }
                LoginKind::Instagram => {
                    if params.force_reauth {
                        query.append_pair("force_reauth", "true");
                    }
                }
            }
        }
        Ok(AuthorizeUrl(url))
    }

    /// Facebook Login: `GET graph.facebook.com/vNN/oauth/access_token` with client_id,
    /// redirect_uri, client_secret and code (and the PKCE verifier when one was used).
    pub async fn exchange_facebook_code(
        &self,
        app: &AppCredentials,
        code: &Sensitive<String>,
        redirect_uri: &str,
        pkce_verifier: Option<&Sensitive<String>>,
    ) -> Result<TokenResponse, GraphError> {
        let mut request = Request::new(
            Method::GET,
            Host::GraphFacebook,
            format!("{}/oauth/access_token", self.client.version()),
        )
        .auth(Auth::None)
        .query("client_id", app.app_id.clone())
        .query("redirect_uri", redirect_uri)
        .query("client_secret", self.secret(app)?.expose().clone())
        .query("code", clean_code(code));
        if let Some(verifier) = pkce_verifier {
            request.set_query("code_verifier", verifier.expose().clone());
        }
        self.client.execute(&request).await
    }

    /// Instagram Login: `POST api.instagram.com/oauth/access_token` with a form body. The
    /// answer is a short-lived token and the user id, in either of Meta's two shapes.
    pub async fn exchange_instagram_code(
        &self,
        app: &AppCredentials,
        code: &Sensitive<String>,
        redirect_uri: &str,
    ) -> Result<IgCodeExchange, GraphError> {
        let form = vec![
            ("client_id".to_owned(), app.app_id.clone()),
            (
                "client_secret".to_owned(),
                self.secret(app)?.expose().clone(),
            ),
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("redirect_uri".to_owned(), redirect_uri.to_owned()),
            ("code".to_owned(), clean_code(code)),
        ];
        let request = Request::new(Method::POST, Host::ApiInstagram, "oauth/access_token")
            .auth(Auth::None)
            .cost(0)
            .form(form);
        self.client.execute(&request).await
    }

    /// Facebook Login: a short-lived user token → a long-lived one (~60 days),
    /// `grant_type=fb_exchange_token`. Needs the app secret.
    pub async fn exchange_facebook_token(
        &self,
        app: &AppCredentials,
        short_lived: &Sensitive<String>,
    ) -> Result<TokenResponse, GraphError> {
        let request = Request::new(
            Method::GET,
            Host::GraphFacebook,
            format!("{}/oauth/access_token", self.client.version()),
        )
        .auth(Auth::None)
        .query("grant_type", "fb_exchange_token")
        .query("client_id", app.app_id.clone())
        .query("client_secret", self.secret(app)?.expose().clone())
        .query("fb_exchange_token", short_lived.expose().clone());
        self.client.execute(&request).await
    }

    /// Instagram Login: a short-lived token → a long-lived one (60 days),
    /// `GET graph.instagram.com/access_token?grant_type=ig_exchange_token&client_secret=…`,
    /// the token in the `Authorization` header. Needs the Instagram app secret.
    pub async fn exchange_instagram_token(
        &self,
        app: &AppCredentials,
        short_lived: &Sensitive<String>,
    ) -> Result<TokenResponse, GraphError> {
        let mut request = Request::new(Method::GET, Host::GraphInstagram, "access_token")
            .auth(Auth::Token(short_lived.clone()))
            .query("grant_type", "ig_exchange_token")
            .query("client_secret", self.secret(app)?.expose().clone());
        request.appsecret_proof = false;
        self.client.execute(&request).await
    }

    /// Instagram Login: a long-lived token (at least 24 h old, not expired) → a fresh
    /// 60-day one, `grant_type=ig_refresh_token`. Needs no secret.
    pub async fn refresh_instagram_token(
        &self,
        long_lived: &Sensitive<String>,
    ) -> Result<TokenResponse, GraphError> {
        let mut request = Request::new(Method::GET, Host::GraphInstagram, "refresh_access_token")
            .auth(Auth::Token(long_lived.clone()))
            .query("grant_type", "ig_refresh_token");
        request.appsecret_proof = false;
        self.client.execute(&request).await
    }

    /// `GET graph.facebook.com/vNN/debug_token?input_token=…`: what Meta knows of a token
    /// (validity, expiry, scopes). Authorised by the app token (`{app-id}|{app-secret}`)
    /// when the secret is at hand, else by the token itself.
    pub async fn debug_token(
        &self,
        app: &AppCredentials,
        input_token: &Sensitive<String>,
    ) -> Result<DebugTokenData, GraphError> {
        let auth = match self.secret(app) {
            Ok(secret) => Auth::Token(Sensitive::new(format!(
                "{}|{}",
                app.app_id,
                secret.expose()
            ))),
            Err(_) => Auth::Token(input_token.clone()),
        };
        let mut request = Request::new(
            Method::GET,
            Host::GraphFacebook,
            format!("{}/debug_token", self.client.version()),
        )
        .auth(auth)
        .query("input_token", input_token.expose().clone());
        request.appsecret_proof = false;
        let answer: DebugToken = self.client.execute(&request).await?;
        Ok(answer.data)
    }

    /// `DELETE /me/permissions` on the login kind's Graph host: revokes every permission the
    /// user granted the app (sign-out that also tells Meta).
    pub async fn revoke(&self, token: &Sensitive<String>) -> Result<bool, GraphError> {
        let request = self
            .client
            .graph(Method::DELETE, "me/permissions")
            .auth(Auth::Token(token.clone()));
        let answer: Success = self.client.execute(&request).await?;
        Ok(answer.success)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Endpoints;

    fn client(login: LoginKind) -> GraphClient {
        GraphClient::builder(login)
            .endpoints(Endpoints::sandbox("http://127.0.0.1:9"))
            .build()
            .unwrap()
    }

    #[test]
    fn pkce_challenge_is_unpadded_base64url_of_sha256() {
        // Expected value computed with Python's hashlib and base64.urlsafe_b64encode.
        let verifier = Sensitive::new("dBjftJeZ4CVP-mJ92K9qWhV2bAh8NjrsOhBCb7u5zv0".to_owned());
        assert_eq!(
            pkce_challenge(&verifier),
            "xDta_Gyr8nveFoNRuaCa_wGLXeRvUq8ts7DckKPNKlo"
        );
    }

    #[test]
    fn facebook_dialog_url_carries_pkce_and_is_redacted_when_shown() {
        let state = Sensitive::new("STATEcanary123".to_owned());
        let url = client(LoginKind::Facebook)
            .oauth()
            .authorize_url(&AuthorizeParams {
                client_id: "42",
                redirect_uri: "http://127.0.0.1:5555/callback",
                scopes: &["instagram_basic", "instagram_manage_insights"],
                state: &state,
                pkce_challenge: Some("CHALLENGE"),
                force_reauth: true,
            })
            .unwrap();
        let full = url::Url::parse(url.expose()).unwrap();
        assert_eq!(full.path(), "/www.facebook.com/v26.0/dialog/oauth");
        let pairs: Vec<(String, String)> = full.query_pairs().into_owned().collect();
        for (k, v) in [
            ("client_id", "42"),
            ("redirect_uri", "http://127.0.0.1:5555/callback"),
            ("scope", "instagram_basic,instagram_manage_insights"),
            ("response_type", "code"),
            ("state", "STATEcanary123"),
            ("code_challenge", "CHALLENGE"),
            ("code_challenge_method", "S256"),
        ] {
            assert!(
                pairs.contains(&(k.to_owned(), v.to_owned())),
                "{k} missing in {pairs:?}"
            );
        }
        assert!(!pairs.iter().any(|(k, _)| k == "force_reauth"));
        assert!(!format!("{url:?} {url}").contains("STATEcanary123"));
    }

    #[test]
    fn instagram_authorize_url_has_no_pkce() {
        let state = Sensitive::new("s".to_owned());
        let url = client(LoginKind::Instagram)
            .oauth()
            .authorize_url(&AuthorizeParams {
                client_id: "7",
                redirect_uri: "https://broker.example/cb",
                scopes: &[
                    "instagram_business_basic",
                    "instagram_business_manage_insights",
                ],
                state: &state,
                pkce_challenge: Some("CHALLENGE"),
                force_reauth: true,
            })
            .unwrap();
        let full = url::Url::parse(url.expose()).unwrap();
        assert_eq!(full.path(), "/www.instagram.com/oauth/authorize");
        let query = full.query().unwrap_or_default();
        assert!(!query.contains("code_challenge"), "{query}");
        assert!(query.contains("force_reauth=true"));
        assert!(query.contains("response_type=code"));
    }

    #[test]
    fn the_hash_underscore_suffix_is_stripped() {
        assert_eq!(clean_code(&Sensitive::new("AQD123#_".into())), "AQD123");
        assert_eq!(clean_code(&Sensitive::new(" AQD123#_=_".into())), "AQD123");
    }
}
