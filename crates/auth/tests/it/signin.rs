//! Both login kinds in the three configurations (own app, broker, sandbox), followed over HTTP
//! like a browser; denied consent and unticked permissions.

use std::sync::Arc;

use insightdesk_auth::{
    AuthError, DiscoveryNote, Exchanger, FileVault, Grant, LoginKind, OwnApp, SignedIn, TokenStore,
    required_scopes,
};
use insightdesk_graph::ErrorClass;

use crate::support::{self, Consent, Meta, Visit};

/// The own-app path: the App ID and App Secret were entered once and kept in the vault; the
/// flow reads them back from there.
fn own_app_exchanger(meta: &Meta, kind: LoginKind, dir: &std::path::Path) -> Exchanger {
    let key = insightdesk_secret::Sensitive::new("k".repeat(40));
    let vault = FileVault::open(&dir.join("own-app.vault"), &key).unwrap();
    let store = TokenStore::new(Arc::new(vault));
    let (app_id, app_secret) = meta.demo_app(kind);
    store
        .save_app(kind, &OwnApp { app_id, app_secret })
        .unwrap();
    let reopened = TokenStore::new(Arc::new(
        FileVault::open(&dir.join("own-app.vault"), &key).unwrap(),
    ));
    Exchanger::Direct(reopened.app(kind).unwrap().unwrap())
}

fn assert_closed_tab_page(visit: &Visit) {
    assert_eq!(visit.status, 200, "{visit:?}");
    assert!(
        visit.body.contains("You can close this tab"),
        "{}",
        visit.body
    );
}

/// What every successful sign-in must show, whatever the configuration.
async fn check_grant(meta: &Meta, signed: &SignedIn) {
    let grant: &Grant = &signed.grant;
    let now = meta.sandbox.now();
    for scope in required_scopes(grant.kind) {
        assert!(
            grant.scopes.iter().any(|s| s == scope),
            "{scope} in {:?}",
            grant.scopes
        );
    }
    let expires = grant.expires_at.expect("long-lived tokens expire");
    let days = (expires - now).num_days();
    assert!(
        (59..=60).contains(&days),
        "a long-lived token lives ~60 days, not {days}"
    );
    assert!(grant.obtained_at <= now);
    // The token works against the Graph host of its kind.
    let client = meta
        .meta
        .client(grant.kind, None)
        .unwrap()
        .with_token(grant.token.clone());
    match grant.kind {
        LoginKind::Facebook => {
            assert_eq!(grant.user_id, meta.creds.fb_user_id);
            let ids: Vec<&str> = grant
                .accounts
                .iter()
                .map(|a| a.ig_user_id.as_str())
                .collect();
            assert_eq!(
                ids,
                [
                    meta.creds.ig_user_id.as_str(),
                    meta.creds.small_ig_user_id.as_str()
                ]
            );
            let first = &grant.accounts[0];
            assert_eq!(
                first.username.as_deref(),
                Some(meta.creds.ig_username.as_str())
            );
            assert_eq!(first.page_id.as_deref(), Some(meta.creds.page_id.as_str()));
            assert!(
                first.page_token.is_some(),
                "Page tokens come with /me/accounts"
            );
            assert_eq!(
                signed.notes,
                [DiscoveryNote::PageWithoutInstagram {
                    page_id: meta.creds.unlinked_page_id.clone(),
                    page_name: Some("Maya's Supper Club".into()),
                }]
            );
            let me = client.me().facebook_user().await.unwrap();
            assert_eq!(me.id, meta.creds.fb_user_id);
            let profile = client.user(&meta.creds.ig_user_id).profile().await.unwrap();
            assert_eq!(
                profile.username.as_deref(),
                Some(meta.creds.ig_username.as_str())
            );
        }
        LoginKind::Instagram => {
            assert_eq!(grant.user_id, meta.creds.ig_user_id);
            assert_eq!(grant.accounts.len(), 1);
            assert_eq!(grant.accounts[0].ig_user_id, meta.creds.ig_user_id);
            assert_eq!(
                grant.accounts[0].username.as_deref(),
                Some(meta.creds.ig_username.as_str())
            );
            assert!(signed.notes.is_empty());
            let me = client.me().instagram_user().await.unwrap();
            assert_eq!(me.account_id(), Some(meta.creds.ig_user_id.as_str()));
        }
    }
}

async fn signs_in(kind: LoginKind, configuration: &str) {
    let meta = support::meta().await;
    let dir = tempfile::tempdir().unwrap();
    let broker;
    let exchanger = match configuration {
        "own app" => own_app_exchanger(&meta, kind, dir.path()),
        "broker" => {
            broker = support::broker(&meta).await;
            Exchanger::broker(&broker.url).unwrap()
        }
        _ => meta.sandbox_exchanger(kind),
    };
    let (result, visit) = support::sign_in(meta.flow(kind, exchanger), Consent::allow()).await;
    let signed = result.unwrap_or_else(|e| panic!("{kind} via {configuration}: {e}"));
    assert_closed_tab_page(&visit);
    if configuration == "broker" {
        assert!(
            visit
                .urls
                .iter()
                .any(|u| u.contains("/callback?state=") || u.contains("/callback?code=")),
            "the browser went through the broker's callback: {:?}",
            visit
                .urls
                .iter()
                .map(|u| insightdesk_secret::redact_url(u))
                .collect::<Vec<_>>()
        );
    }
    check_grant(&meta, &signed).await;
}

#[tokio::test]
async fn facebook_login_with_own_app() {
    signs_in(LoginKind::Facebook, "own app").await;
}

#[tokio::test]
async fn facebook_login_through_the_broker() {
    signs_in(LoginKind::Facebook, "broker").await;
}

#[tokio::test]
async fn facebook_login_in_the_sandbox() {
    signs_in(LoginKind::Facebook, "sandbox").await;
}

#[tokio::test]
async fn instagram_login_with_own_app() {
    signs_in(LoginKind::Instagram, "own app").await;
}

#[tokio::test]
async fn instagram_login_through_the_broker() {
    signs_in(LoginKind::Instagram, "broker").await;
}

#[tokio::test]
async fn instagram_login_in_the_sandbox() {
    signs_in(LoginKind::Instagram, "sandbox").await;
}

#[tokio::test]
async fn facebook_login_sends_pkce_and_the_exact_redirect_instagram_login_no_pkce() {
    let meta = support::meta().await;
    for kind in LoginKind::ALL {
        let pending = meta
            .flow(kind, meta.sandbox_exchanger(kind))
            .start()
            .await
            .unwrap();
        let url = url::Url::parse(pending.authorize_url().expose()).unwrap();
        let pairs: std::collections::HashMap<String, String> =
            url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs["redirect_uri"],
            format!("http://localhost:{}/callback", pending.port())
        );
        assert_eq!(pairs["redirect_uri"], pending.redirect_uri());
        assert_eq!(pairs["state"].len(), 43, "32 random bytes, base64url");
        assert_eq!(
            pairs.contains_key("code_challenge"),
            kind == LoginKind::Facebook
        );
        assert!(!format!("{pending:?}").contains(&pairs["state"]));
    }
}

#[tokio::test]
async fn pressing_deny_is_a_clear_declined_error_for_both_kinds_and_the_broker() {
    let meta = support::meta().await;
    let broker = support::broker(&meta).await;
    for kind in LoginKind::ALL {
        for exchanger in [
            meta.sandbox_exchanger(kind),
            Exchanger::broker(&broker.url).unwrap(),
        ] {
            let (result, visit) =
                support::sign_in(meta.flow(kind, exchanger), Consent::deny()).await;
            let error = result.unwrap_err();
            assert!(matches!(error, AuthError::Declined), "{error:?}");
            assert!(error.to_string().contains("nothing was shared"), "{error}");
            assert_eq!(visit.status, 200);
            assert!(visit.body.contains("You declined"), "{}", visit.body);
        }
    }
}

#[tokio::test]
async fn an_unticked_permission_is_named() {
    let meta = support::meta().await;
    let broker = support::broker(&meta).await;
    for (kind, scope) in [
        (LoginKind::Facebook, "instagram_manage_insights"),
        (LoginKind::Facebook, "pages_show_list"),
        (LoginKind::Instagram, "instagram_business_manage_insights"),
    ] {
        for exchanger in [
            meta.sandbox_exchanger(kind),
            Exchanger::broker(&broker.url).unwrap(),
        ] {
            let (result, _) =
                support::sign_in(meta.flow(kind, exchanger), Consent::untick(scope)).await;
            match result {
                Err(AuthError::MissingPermissions { kind: k, missing }) => {
                    assert_eq!(k, kind);
                    assert_eq!(missing, [scope]);
                }
                other => panic!("{kind} without {scope}: {other:?}"),
            }
        }
    }
    let (result, _) = support::sign_in(
        meta.flow(
            LoginKind::Facebook,
            meta.sandbox_exchanger(LoginKind::Facebook),
        ),
        Consent::untick("instagram_basic"),
    )
    .await;
    let text = result.unwrap_err().to_string();
    assert!(
        text.contains("instagram_basic") && text.contains("leave every permission ticked"),
        "{text}"
    );
}

#[tokio::test]
async fn unticking_every_page_with_an_account_says_what_to_do() {
    let meta = support::meta().await;
    let consent = Consent {
        deny: false,
        untick: vec![meta.creds.page_id.clone(), meta.creds.small_page_id.clone()],
    };
    let (result, _) = support::sign_in(
        meta.flow(
            LoginKind::Facebook,
            meta.sandbox_exchanger(LoginKind::Facebook),
        ),
        consent,
    )
    .await;
    let error = result.unwrap_err();
    let AuthError::NoAccounts { notes } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(notes.len(), 1, "{notes:?}");
    let text = error.to_string();
    assert!(
        text.contains("Maya's Supper Club")
            && text.contains("professional account")
            && text.contains("Meta Business Suite"),
        "{text}"
    );
}

#[tokio::test]
async fn a_wrong_app_secret_is_a_meta_error_without_the_secret() {
    let meta = support::meta().await;
    let (id, _) = meta.demo_app(LoginKind::Facebook);
    let exchanger = Exchanger::direct(id, "CANARYwrongSecret-7f3e".into());
    let (result, _) =
        support::sign_in(meta.flow(LoginKind::Facebook, exchanger), Consent::allow()).await;
    let error = result.unwrap_err();
    let AuthError::Graph(graph) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(graph.class(), ErrorClass::Other);
    let text = format!("{error} {error:?}");
    assert!(text.contains("Error validating client secret"), "{text}");
    assert!(!text.contains("CANARY"), "{text}");
}

#[tokio::test]
async fn a_busy_port_has_its_own_message() {
    let meta = support::meta().await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = meta
        .flow(
            LoginKind::Facebook,
            meta.sandbox_exchanger(LoginKind::Facebook),
        )
        .port(port)
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(error, AuthError::PortBusy { port: p } if p == port),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains(&format!("Port {port}")) && text.contains("in use"),
        "{text}"
    );
}

#[tokio::test]
async fn no_answer_times_out_with_a_clear_error() {
    let meta = support::meta().await;
    let pending = meta
        .flow(
            LoginKind::Instagram,
            meta.sandbox_exchanger(LoginKind::Instagram),
        )
        .timeout(std::time::Duration::from_millis(200))
        .start()
        .await
        .unwrap();
    let error = pending.finish().await.unwrap_err();
    assert!(
        matches!(error, AuthError::TimedOut { seconds: 1 }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("No answer came back from the browser within 1 second"),
        "{error}"
    );
    let default = AuthError::TimedOut {
        seconds: insightdesk_auth::DEFAULT_TIMEOUT.as_secs(),
    };
    assert!(
        default.to_string().contains("within 5 minutes"),
        "{default}"
    );
}
