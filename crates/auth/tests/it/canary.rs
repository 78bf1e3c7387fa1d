//! The canary: tokens, secrets, codes and states of real sign-ins never show up in log lines,
//! errors, serialized values or `Debug` output.

use std::sync::Arc;

use insightdesk_auth::{
    AuthError, Exchanger, FileVault, LoginKind, PendingSignIn, SignedIn, TokenStore, token_health,
};
use insightdesk_secret::Sensitive;

use crate::logger;
use crate::support::{self, Consent};

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            secret.len() >= 8,
            "a canary too short to mean anything: {secret}"
        );
        assert!(
            !text.contains(secret.as_str()),
            "{what} contains a secret: {text}"
        );
    }
}

#[tokio::test]
async fn no_token_secret_code_or_state_escapes() {
    logger::install();
    let meta = support::meta().await;
    let broker = support::broker(&meta).await;
    let mut secrets = vec![
        meta.creds.facebook_app.app_secret.clone(),
        meta.creds.instagram_app.app_secret.clone(),
    ];
    let mut shown = Vec::new();
    for kind in LoginKind::ALL {
        for exchanger in [
            meta.sandbox_exchanger(kind),
            Exchanger::broker(&broker.url).unwrap(),
        ] {
            shown.push(format!("{exchanger:?}"));
            let flow = meta.flow(kind, exchanger);
            shown.push(format!("{flow:?}"));
            let pending: PendingSignIn = flow.start().await.unwrap();
            let url = pending.authorize_url().expose().to_owned();
            let state = url::Url::parse(&url)
                .unwrap()
                .query_pairs()
                .find(|(k, _)| k == "state")
                .map(|(_, v)| v.into_owned())
                .unwrap();
            secrets.push(state);
            shown.push(format!(
                "{pending:?} {} {:?}",
                pending.authorize_url(),
                pending.authorize_url()
            ));
            let browser =
                tokio::spawn(async move { support::browse(&url, &Consent::allow()).await });
            let signed: SignedIn = pending.finish().await.unwrap();
            let visit = browser.await.unwrap();
            for visited in &visit.urls {
                if let Some(code) = url::Url::parse(visited).ok().and_then(|u| {
                    u.query_pairs()
                        .find(|(k, _)| k == "code")
                        .map(|(_, v)| v.into_owned())
                }) {
                    secrets.push(code);
                }
            }
            secrets.push(signed.grant.token.expose().clone());
            for account in &signed.grant.accounts {
                if let Some(page) = &account.page_token {
                    secrets.push(page.expose().clone());
                }
            }
            shown.push(format!("{signed:?}"));
            shown.push(serde_json::to_string(&signed.grant.summaries()).unwrap());
            shown.push(serde_json::to_string(&signed.notes).unwrap());
            shown.push(
                serde_json::to_string(&token_health(&signed.grant, meta.sandbox.now())).unwrap(),
            );

            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("canary.vault");
            let store = TokenStore::new(Arc::new(
                FileVault::open(&path, &Sensitive::new("c".repeat(40))).unwrap(),
            ));
            store.save_grant(&signed.grant).unwrap();
            shown.push(format!("{store:?}"));
            shown.push(std::fs::read_to_string(&path).unwrap());
            // A refresh refused for its age, and a sign-out, with their errors and outcomes.
            if let Err(e) = insightdesk_auth::refresh(&meta.meta, &signed.grant).await {
                shown.push(format!("{e} {e:?}"));
            }
            let outcome = insightdesk_auth::sign_out(&meta.meta, &store, &signed.grant)
                .await
                .unwrap();
            shown.push(format!("{outcome:?}"));
            // Using the revoked token fails; that error must not quote it either.
            let client = meta
                .meta
                .client(kind, None)
                .unwrap()
                .with_token(signed.grant.token.clone());
            let dead = match kind {
                LoginKind::Facebook => client.me().facebook_user().await.map(|_| ()),
                LoginKind::Instagram => client.me().instagram_user().await.map(|_| ()),
            };
            let error = AuthError::from(dead.unwrap_err());
            shown.push(format!("{error} {error:?}"));
            meta.advance(chrono::Duration::seconds(2));
        }
    }
    // A sign-in that fails at the exchange: its error names the step, not the secret.
    let (id, _) = meta.demo_app(LoginKind::Instagram);
    let secret = "CANARYwrong-instagram-secret-51d2".to_owned();
    secrets.push(secret.clone());
    let (result, _) = support::sign_in(
        meta.flow(
            LoginKind::Instagram,
            Exchanger::direct(id, Sensitive::new(secret)),
        ),
        Consent::allow(),
    )
    .await;
    let error = result.unwrap_err();
    shown.push(format!("{error} {error:?}"));

    let lines = logger::lines();
    assert!(
        lines.iter().any(|l| l.contains("signed in")),
        "the capture works: {lines:?}"
    );
    assert_clean("the log", &lines.join("\n"), &secrets);
    for text in &shown {
        assert_clean("an output", text, &secrets);
    }
}
