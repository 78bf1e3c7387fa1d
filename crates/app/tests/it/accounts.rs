use insightdesk_app::{AppEvent, ErrorCode, ProfileKind, accounts::Provider};

use crate::support::test_app;

#[tokio::test]
async fn a_fresh_install_opens_the_main_profile_with_nothing_connected() {
    let t = test_app();
    let state = t.app.session_state().await.unwrap();
    assert_eq!(state.profile, ProfileKind::Main);
    assert!(state.accounts.is_empty());
    assert_eq!(state.active_account, None);
    assert!(state.providers.iter().all(|p| p.method == "needs_setup"));
    assert_eq!(state.redirect_uri, "http://localhost:47813/callback");
}

#[tokio::test]
async fn explore_demo_signs_the_demo_creator_in_through_the_real_flow() {
    let t = test_app();
    let state = t.app.explore_demo().await.unwrap();
    assert_eq!(state.profile, ProfileKind::Demo);
    assert!(!state.accounts.is_empty(), "{state:?}");
    let active = state.active_account.clone().unwrap();
    assert!(state.accounts.iter().any(|a| a.id == active));
    assert!(
        state
            .accounts
            .iter()
            .all(|a| a.provider == Provider::Facebook)
    );
    // The demo opened no browser: it pressed Allow itself.
    assert!(t.host.opened_urls().is_empty());
    assert!(t.host.events().contains(&AppEvent::SessionChanged));
    // A second click does not sign in again.
    let again = t.app.explore_demo().await.unwrap();
    assert_eq!(again.accounts, state.accounts);
}

#[tokio::test]
async fn the_demo_remembers_itself_and_keeps_real_and_demo_apart() {
    let t = test_app();
    t.app.explore_demo().await.unwrap();
    let main = t.app.leave_demo().await.unwrap();
    assert_eq!(main.profile, ProfileKind::Main);
    assert!(
        main.accounts.is_empty(),
        "the demo's accounts must not leak into the main profile"
    );
    assert!(
        t.dir
            .path()
            .join("profiles/demo/insightdesk.sqlite")
            .exists()
    );
    assert!(
        t.dir
            .path()
            .join("profiles/main/insightdesk.sqlite")
            .exists()
    );
}

#[tokio::test]
async fn signing_in_without_an_app_or_broker_asks_for_setup() {
    let t = test_app();
    let err = t.app.sign_in(Provider::Facebook).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SetupRequired);
    assert!(err.to_string().contains("App ID"), "{err}");
}

#[tokio::test]
async fn own_app_credentials_are_checked_and_the_secret_is_never_returned() {
    let t = test_app();
    let bad = t
        .app
        .save_own_app(insightdesk_app::accounts::OwnAppArgs {
            provider: Provider::Facebook,
            app_id: "my app".into(),
            app_secret: "x".into(),
        })
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("App ID"));
    let secret = "0123456789abcdef0123456789abcdef";
    let state = t
        .app
        .save_own_app(insightdesk_app::accounts::OwnAppArgs {
            provider: Provider::Facebook,
            app_id: "1234567890".into(),
            app_secret: secret.into(),
        })
        .await
        .unwrap();
    let facebook = state
        .providers
        .iter()
        .find(|p| p.provider == Provider::Facebook)
        .unwrap();
    assert_eq!(facebook.method, "own_app");
    assert_eq!(facebook.app_id.as_deref(), Some("1234567890"));
    assert!(!serde_json::to_string(&state).unwrap().contains(secret));
}

#[tokio::test]
async fn signing_out_of_the_demo_revokes_and_keeps_history() {
    let t = test_app();
    let state = t.app.explore_demo().await.unwrap();
    let account = state.active_account.unwrap();
    let after = t.app.sign_out(Some(&account)).await.unwrap();
    assert!(after.accounts.iter().all(|a| a.id != account));
    assert!(
        t.dir
            .path()
            .join("profiles/demo/insightdesk.sqlite")
            .exists()
    );
}
