//! The "Comments and mentions" card after the demo's first sync: what the sync's follow-ups
//! polled into the store comes back newest first, each comment leading to its post's page.

use std::cmp::Reverse;

use insightdesk_app::dashboard::PostArgs;
use insightdesk_app::engagement::EngagementArgs;
use insightdesk_app::rpc;
use serde_json::json;

use crate::support::test_app;

#[tokio::test(flavor = "multi_thread")]
async fn the_first_sync_brings_comments_and_mentions_newest_first_from_the_store() {
    let t = test_app();
    let account = t.app.explore_demo().await.unwrap().active_account.unwrap();
    let summary = t.app.sync_account(&account, "test").await.unwrap();
    assert!(summary.new_comments > 0, "{summary:?}");
    assert!(summary.new_mentions > 0, "{summary:?}");

    // What the store holds, newest first (the store lists oldest first; among comments of the
    // same second the later id first), is what the card must show.
    let session = t.app.session().await.unwrap();
    let store = session.open_store().unwrap();
    let row = store.account_by_ig_id(&account).unwrap().unwrap();
    let mut stored_comments: Vec<_> = store
        .comments(row.id, None)
        .unwrap()
        .into_iter()
        .filter(|c| c.username.as_deref() != Some(row.profile.username.as_str()))
        .collect();
    stored_comments.reverse();
    stored_comments.sort_by_key(|c| Reverse(c.commented_at));
    let mut stored_mentions = store.mentions(row.id).unwrap();
    stored_mentions.reverse();
    stored_mentions.sort_by_key(|m| Reverse(m.mentioned_at));
    drop(store);

    let view = t
        .app
        .engagement(EngagementArgs {
            account: None,
            limit: Some(5),
        })
        .await
        .unwrap();
    assert_eq!(view.comments_total as usize, stored_comments.len());
    assert_eq!(view.mentions_total as usize, stored_mentions.len());
    let shown = (
        view.comments.iter().map(|c| &c.id).collect::<Vec<_>>(),
        view.mentions
            .iter()
            .map(|m| &m.media_id)
            .collect::<Vec<_>>(),
    );
    let newest = (
        stored_comments
            .iter()
            .take(5)
            .map(|c| &c.ig_comment_id)
            .collect::<Vec<_>>(),
        stored_mentions
            .iter()
            .take(5)
            .map(|m| &m.ig_media_id)
            .collect::<Vec<_>>(),
    );
    assert_eq!(shown, newest, "the five newest of each, newest first");
    assert!(
        view.comments.iter().all(|c| !c.text.is_empty()),
        "{:?}",
        view.comments
    );

    // Every comment is on a post of the history, and its page opens.
    assert!(
        view.comments.iter().all(|c| c.post_in_history),
        "{:?}",
        view.comments
    );
    let first = &view.comments[0];
    let post = t
        .app
        .post_detail(PostArgs {
            id: first.post_id.clone(),
        })
        .await
        .unwrap();
    assert_eq!(post.row.id, first.post_id);

    // The answer the window gets carries no token.
    let answer = rpc::dispatch(&t.app, "engagement", json!({ "limit": 100 }))
        .await
        .unwrap()
        .to_string();
    let grant = session.tokens.grant_for_account(&account).unwrap().unwrap();
    assert!(!answer.contains(grant.token.expose().as_str()));
    assert!(answer.contains(&view.comments[0].id));
}

#[tokio::test(flavor = "multi_thread")]
async fn before_any_sync_the_card_is_empty_not_an_error() {
    let t = test_app();
    t.app.explore_demo().await.unwrap();
    let view = t.app.engagement(EngagementArgs::default()).await.unwrap();
    assert!(
        view.comments.is_empty() && view.mentions.is_empty(),
        "{view:?}"
    );
    assert_eq!((view.comments_total, view.mentions_total), (0, 0));
}
