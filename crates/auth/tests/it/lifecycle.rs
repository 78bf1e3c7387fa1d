//! After sign-in: Instagram Login refresh against the sandbox's clock, sign-out that Meta sees,
//! pasted tokens, and token health over a real grant.

use std::sync::Arc;

use chrono::Duration;
use insightdesk_auth::{
    AuthError, DiscoveryNote, FileVault, LoginKind, OwnApp, PastedToken, Revocation, SignOut,
    TokenHealth, TokenStore, adopt_token, refresh, refresh_if_due, sign_out, sign_out_account,
    token_health,
};
use insightdesk_graph::ErrorClass;
use insightdesk_secret::Sensitive;

use crate::support::{self, Consent, Meta};

fn store(dir: &std::path::Path) -> TokenStore {
    let vault =
        FileVault::open(&dir.join("tokens.vault"), &Sensitive::new("k".repeat(40))).unwrap();
    TokenStore::new(Arc::new(vault))
}

async fn signed_in(meta: &Meta, kind: LoginKind) -> insightdesk_auth::Grant {
    let (result, _) = support::sign_in(
        meta.flow(kind, meta.sandbox_exchanger(kind)),
        Consent::allow(),
    )
    .await;
    result.unwrap().grant
}

#[tokio::test]
async fn instagram_tokens_refresh_once_a_day_old_and_the_new_token_works() {
    let meta = support::meta().await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let grant = signed_in(&meta, LoginKind::Instagram).await;
    store.save_grant(&grant).unwrap();

    let early = refresh(&meta.meta, &grant).await.unwrap_err();
    assert!(
        matches!(early, AuthError::TooYoungToRefresh { hours: 0 }),
        "{early:?}"
    );
    assert_eq!(
        refresh_if_due(&meta.meta, &store, &grant).await.unwrap(),
        None
    );

    meta.advance(Duration::hours(25));
    meta.sandbox.clear_ledger();
    let fresh = refresh(&meta.meta, &grant).await.unwrap();
    assert_ne!(fresh.token, grant.token);
    assert_eq!(fresh.obtained_at, meta.sandbox.now());
    assert_eq!(
        fresh.expires_at,
        Some(meta.sandbox.now() + Duration::seconds(5_183_944))
    );
    assert_eq!(fresh.accounts, grant.accounts);
    let path = &meta.sandbox.ledger()[0].path;
    assert!(path.contains("refresh_access_token"), "{path}");
    let client = meta
        .meta
        .client(LoginKind::Instagram, None)
        .unwrap()
        .with_token(fresh.token.clone());
    assert!(client.me().instagram_user().await.is_ok());

    // The policy refreshes by itself once the token is a week old, and stores the result.
    assert_eq!(
        refresh_if_due(&meta.meta, &store, &grant).await.unwrap(),
        None,
        "25 h: not due yet"
    );
    meta.advance(Duration::days(7));
    assert_eq!(
        token_health(&grant, meta.sandbox.now()),
        TokenHealth::RefreshDue
    );
    let stored = refresh_if_due(&meta.meta, &store, &grant)
        .await
        .unwrap()
        .expect("due after a week");
    assert_eq!(
        store.grant(LoginKind::Instagram, &grant.user_id).unwrap(),
        Some(stored.clone())
    );
    assert_eq!(token_health(&stored, meta.sandbox.now()), TokenHealth::Fine);
}

#[tokio::test]
async fn facebook_tokens_cannot_refresh_and_warn_a_week_before_expiry() {
    let meta = support::meta().await;
    let grant = signed_in(&meta, LoginKind::Facebook).await;
    let error = refresh(&meta.meta, &grant).await.unwrap_err();
    assert!(
        matches!(
            error,
            AuthError::NotRefreshable {
                kind: LoginKind::Facebook
            }
        ),
        "{error:?}"
    );
    let expires = grant.expires_at.unwrap();
    assert_eq!(
        token_health(&grant, expires - Duration::days(8)),
        TokenHealth::Fine
    );
    assert_eq!(
        token_health(&grant, expires - Duration::days(7)),
        TokenHealth::ExpiresSoon { days: 7 }
    );
    assert_eq!(token_health(&grant, expires), TokenHealth::Expired);
    // And Meta agrees that the token is dead then.
    meta.sandbox.set_now(expires);
    let client = meta
        .meta
        .client(LoginKind::Facebook, None)
        .unwrap()
        .with_token(grant.token.clone());
    let dead = client.me().facebook_user().await.unwrap_err();
    assert_eq!(dead.class(), ErrorClass::NeedsReauth);
}

#[tokio::test]
async fn sign_out_revokes_at_meta_and_deletes_the_entry() {
    let meta = support::meta().await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    for kind in LoginKind::ALL {
        let grant = signed_in(&meta, kind).await;
        store.save_grant(&grant).unwrap();
        let client = meta
            .meta
            .client(kind, None)
            .unwrap()
            .with_token(grant.token.clone());
        let works = match kind {
            LoginKind::Facebook => client.me().facebook_user().await.map(|_| ()),
            LoginKind::Instagram => client.me().instagram_user().await.map(|_| ()),
        };
        assert!(works.is_ok(), "{works:?}");

        assert_eq!(
            sign_out(&meta.meta, &store, &grant).await.unwrap(),
            Revocation::Revoked
        );
        assert_eq!(store.grant(kind, &grant.user_id).unwrap(), None);
        let dead = match kind {
            LoginKind::Facebook => client.me().facebook_user().await.map(|_| ()),
            LoginKind::Instagram => client.me().instagram_user().await.map(|_| ()),
        };
        assert_eq!(
            dead.unwrap_err().class(),
            ErrorClass::NeedsReauth,
            "{kind}: the token stopped working"
        );

        // Signing out again (say, from a second device's copy) still clears the entry.
        store.save_grant(&grant).unwrap();
        assert_eq!(
            sign_out(&meta.meta, &store, &grant).await.unwrap(),
            Revocation::AlreadyInvalid
        );
        assert!(store.grants().unwrap().iter().all(|g| g.kind != kind));
        // A revocation is per user: the next sign-in must come after it.
        meta.advance(Duration::seconds(2));
    }
}

#[tokio::test]
async fn signing_one_account_out_keeps_the_grant_for_the_others() {
    let meta = support::meta().await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let grant = signed_in(&meta, LoginKind::Facebook).await;
    store.save_grant(&grant).unwrap();
    let small = meta.creds.small_ig_user_id.clone();
    assert_eq!(
        sign_out_account(&meta.meta, &store, &small).await.unwrap(),
        SignOut::AccountRemoved { remaining: 1 }
    );
    assert_eq!(store.grant_for_account(&small).unwrap(), None);
    let kept = store
        .grant_for_account(&meta.creds.ig_user_id)
        .unwrap()
        .unwrap();
    assert_eq!(kept.token, grant.token);
    let last = sign_out_account(&meta.meta, &store, &meta.creds.ig_user_id)
        .await
        .unwrap();
    assert_eq!(
        last,
        SignOut::Whole {
            revocation: Revocation::Revoked
        }
    );
    assert!(store.grants().unwrap().is_empty());
    let unknown = sign_out_account(&meta.meta, &store, "123")
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, AuthError::UnknownAccount(_)),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn pasted_tokens_are_checked_like_a_sign_in() {
    let meta = support::meta().await;
    let (id, secret) = meta.demo_app(LoginKind::Facebook);
    let app = OwnApp {
        app_id: id,
        app_secret: secret,
    };
    let signed = adopt_token(
        &meta.meta,
        Some(&app),
        PastedToken {
            kind: LoginKind::Facebook,
            token: Sensitive::new(meta.creds.user_token.access_token.clone()),
            expires_in: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(signed.grant.accounts.len(), 2);
    assert_eq!(
        signed.grant.expires_at,
        Some(meta.sandbox.now() + Duration::seconds(meta.creds.user_token.expires_in))
    );
    // The same without the app secret: debug_token is asked with the token itself.
    let without = adopt_token(
        &meta.meta,
        None,
        PastedToken {
            kind: LoginKind::Facebook,
            token: Sensitive::new(meta.creds.user_token.access_token.clone()),
            expires_in: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(without.grant.scopes, signed.grant.scopes);

    // The demo Instagram token was issued two days ago, so it can be refreshed at once.
    let (id, secret) = meta.demo_app(LoginKind::Instagram);
    let ig_app = OwnApp {
        app_id: id,
        app_secret: secret,
    };
    let ig = adopt_token(
        &meta.meta,
        Some(&ig_app),
        PastedToken {
            kind: LoginKind::Instagram,
            token: Sensitive::new(meta.creds.instagram_token.access_token.clone()),
            expires_in: Some(u64::try_from(meta.creds.instagram_token.expires_in).unwrap()),
        },
    )
    .await
    .unwrap();
    assert_eq!(ig.grant.obtained_at, meta.sandbox.now() - Duration::days(2));
    assert_eq!(ig.grant.accounts[0].ig_user_id, meta.creds.ig_user_id);
    assert!(refresh(&meta.meta, &ig.grant).await.is_ok());

    let garbage = adopt_token(
        &meta.meta,
        Some(&app),
        PastedToken {
            kind: LoginKind::Facebook,
            token: Sensitive::new("EAAGnotatoken".into()),
            expires_in: None,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(garbage, AuthError::Refused { .. }), "{garbage:?}");
}

/// An Instagram Login token pasted without a saved app: `debug_token` cannot be asked, so the
/// expiry comes from a refresh (a token a day old or more) or, for a younger one, is the
/// earliest it can be, said in a note — never "no expiry", which would keep its health Fine
/// for ever.
#[tokio::test]
async fn an_instagram_token_pasted_without_an_app_gets_an_expiry() {
    let meta = support::meta().await;
    let lifetime = Duration::seconds(5_183_944);
    let pasted = |token: &Sensitive<String>| PastedToken {
        kind: LoginKind::Instagram,
        token: token.clone(),
        expires_in: None,
    };

    // Issued just now by a sign-in: too young for Meta to refresh.
    let young = signed_in(&meta, LoginKind::Instagram).await.token;
    meta.sandbox.clear_ledger();
    let adopted = adopt_token(&meta.meta, None, pasted(&young)).await.unwrap();
    let now = meta.sandbox.now();
    let assumed = now + lifetime - Duration::hours(24);
    assert_eq!(
        adopted.grant.token, young,
        "a refused refresh leaves the token as it was"
    );
    assert_eq!(adopted.grant.obtained_at, now);
    assert_eq!(adopted.grant.expires_at, Some(assumed));
    assert_eq!(
        adopted.notes,
        [DiscoveryNote::AssumedExpiry {
            expires_at: assumed
        }]
    );
    let said = adopted.notes[0].message();
    assert!(
        said.contains(&assumed.format("%-d %B %Y").to_string()) && said.contains("first refresh"),
        "{said}"
    );
    assert!(
        meta.sandbox
            .ledger()
            .iter()
            .any(|call| call.path.contains("refresh_access_token")),
        "Meta was asked"
    );
    assert_eq!(token_health(&adopted.grant, now), TokenHealth::Fine);
    assert_eq!(
        token_health(&adopted.grant, now + Duration::days(7)),
        TokenHealth::RefreshDue
    );
    assert_eq!(
        token_health(&adopted.grant, assumed - Duration::days(7)),
        TokenHealth::ExpiresSoon { days: 7 }
    );
    // A week on, the policy refreshes it, and Meta gives the real date.
    meta.advance(Duration::days(7));
    let fresh = refresh(&meta.meta, &adopted.grant).await.unwrap();
    assert_eq!(fresh.expires_at, Some(meta.sandbox.now() + lifetime));

    // The demo's token was issued two days ago: Meta refreshes it and says how long it lives.
    let old = Sensitive::new(meta.creds.instagram_token.access_token.clone());
    let adopted = adopt_token(&meta.meta, None, pasted(&old)).await.unwrap();
    let now = meta.sandbox.now();
    assert_ne!(adopted.grant.token, old, "the refreshed token is kept");
    assert_eq!(adopted.grant.obtained_at, now);
    assert_eq!(adopted.grant.expires_at, Some(now + lifetime));
    assert!(adopted.notes.is_empty(), "{:?}", adopted.notes);
    let client = meta
        .meta
        .client(LoginKind::Instagram, None)
        .unwrap()
        .with_token(adopted.grant.token.clone());
    assert!(client.me().instagram_user().await.is_ok());

    // What the source said wins: no refresh is asked for.
    meta.sandbox.clear_ledger();
    let told = adopt_token(
        &meta.meta,
        None,
        PastedToken {
            expires_in: Some(86_400 * 30),
            ..pasted(&adopted.grant.token)
        },
    )
    .await
    .unwrap();
    assert_eq!(told.grant.expires_at, Some(now + Duration::days(30)));
    assert!(
        meta.sandbox
            .ledger()
            .iter()
            .all(|call| !call.path.contains("refresh_access_token"))
    );
}
