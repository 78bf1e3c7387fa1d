//! Webhook subscriptions against the sandbox: a Page (Facebook Login, Page token) and the
//! account itself (Instagram Login), listed back, and what each login kind refuses.

use futures::TryStreamExt;
use insightdesk_graph::api::subscriptions::{FACEBOOK_LOGIN_FIELDS, INSTAGRAM_LOGIN_FIELDS};
use insightdesk_graph::{ErrorClass, GraphError, LoginKind};
use insightdesk_secret::Sensitive;

use crate::support;

#[tokio::test]
async fn a_page_is_subscribed_with_its_page_token_and_listed_back() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let pages: Vec<_> = client.me().pages().try_collect().await.unwrap();
    let page = pages
        .iter()
        .find(|p| p.id == meta.creds.page_id)
        .expect("the demo creator's Page");
    let page_token = page.access_token.clone().expect("a Page token");
    let subscriptions = client.subscriptions();

    assert!(
        subscriptions
            .page_subscriptions(&page.id, &page_token)
            .await
            .unwrap()
            .is_empty(),
        "nothing is subscribed at first"
    );
    meta.sandbox.clear_ledger();
    let done = subscriptions
        .subscribe_page(&page.id, &page_token, FACEBOOK_LOGIN_FIELDS)
        .await
        .unwrap();
    assert!(done);
    // Subscribing again changes nothing.
    subscriptions
        .subscribe_page(&page.id, &page_token, &["comments"])
        .await
        .unwrap();

    let posts: Vec<_> = meta
        .api_ledger()
        .into_iter()
        .filter(|e| e.method == "POST")
        .collect();
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert!(
        posts[0].path.contains(&format!(
            "/graph.facebook.com/v26.0/{}/subscribed_apps",
            page.id
        )),
        "{posts:?}"
    );
    assert!(
        posts[0]
            .path
            .contains("subscribed_fields=comments%2Cmentions%2Cstory_insights"),
        "{posts:?}"
    );
    assert!(posts.iter().all(|e| e.status == 200), "{posts:?}");

    let listed = subscriptions
        .page_subscriptions(&page.id, &page_token)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].id, meta.creds.facebook_app.app_id);
    assert_eq!(
        listed[0].subscribed_fields,
        ["comments", "mentions", "story_insights"]
    );
}

#[tokio::test]
async fn a_user_token_cannot_subscribe_a_page() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let user_token = meta.token(LoginKind::Facebook);
    let error = client
        .subscriptions()
        .subscribe_page(&meta.creds.page_id, &user_token, &["comments"])
        .await
        .unwrap_err();
    assert!(
        matches!(&error, GraphError::Api { meta, .. } if meta.code == Some(210)),
        "{error:?}"
    );
    assert!(!error.to_string().contains(user_token.expose()), "{error}");
}

#[tokio::test]
async fn an_instagram_login_account_subscribes_itself() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Instagram);
    let subscriptions = client.subscriptions();
    meta.sandbox.clear_ledger();
    assert!(
        subscriptions
            .subscribe_account(INSTAGRAM_LOGIN_FIELDS)
            .await
            .unwrap()
    );
    let post = meta
        .api_ledger()
        .into_iter()
        .find(|e| e.method == "POST")
        .expect("one POST");
    assert!(
        post.path
            .starts_with("/graph.instagram.com/v26.0/me/subscribed_apps?"),
        "{post:?}"
    );
    let listed = subscriptions.account_subscriptions().await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].subscribed_fields, ["comments", "mentions"]);
}

#[tokio::test]
async fn each_login_kind_refuses_the_other_kinds_subscription_without_a_call() {
    let meta = support::start().await;
    meta.sandbox.clear_ledger();
    let instagram = meta.client(LoginKind::Instagram).subscriptions();
    let error = instagram
        .subscribe_account(&["comments", "story_insights"])
        .await
        .unwrap_err();
    assert!(error.to_string().contains("story_insights"), "{error}");
    assert!(matches!(
        instagram
            .subscribe_page("1", &Sensitive::new("t".into()), &["comments"])
            .await,
        Err(GraphError::Unsupported(_))
    ));
    let facebook = meta.client(LoginKind::Facebook).subscriptions();
    let error = facebook.account_subscriptions().await.unwrap_err();
    assert_eq!(error.class(), ErrorClass::Other);
    assert_eq!(meta.sandbox.http_requests(), 0);
}

#[tokio::test]
async fn meta_refuses_a_field_instagram_login_does_not_have() {
    let meta = support::start().await;
    let error = meta
        .client(LoginKind::Instagram)
        .subscriptions()
        .subscribe_account(&["comments", "feed"])
        .await
        .unwrap_err();
    assert!(
        matches!(&error, GraphError::Api { meta, .. } if meta.code == Some(100)),
        "{error:?}"
    );
}
