//! The overview's "Comments and mentions" card in the real window: after the demo's first
//! sync it lists the newest comments and mentions, and a comment opens its post's page.

use std::time::Duration;

use crate::harness::{Launch, Session, prerequisites_met};

const FIRST_SYNC: Duration = Duration::from_secs(180);
const SCREEN: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread")]
async fn the_overview_lists_new_comments_and_a_comment_opens_its_post() {
    if !prerequisites_met() {
        return;
    }
    // The demo without its replayed month: one first sync is what this card needs.
    let session =
        Session::launch(Launch::default().env("INSIGHTDESK_DEMO_HISTORY_DAYS", "0")).await;
    session.click("[data-testid=explore-demo]").await;
    session
        .wait_text("[data-testid=sync-text]", FIRST_SYNC, |t| {
            t.starts_with("Synced")
        })
        .await;

    // The card reloads when the sync finishes: comments, then mentions, each with who and when.
    let first = session
        .wait_text("[data-testid=engagement-comment]", SCREEN, |t| {
            t.contains('@') && t.contains(" ago")
        })
        .await;
    session
        .js("document.querySelector('[data-testid=engagement]').scrollIntoView(); return true;")
        .await;
    session.screenshot("overview-comments-and-mentions").await;
    // WebDriver's text leaves out the ellipsised line of who did what; the page's text has it.
    let contexts = session
        .js("return [...document.querySelectorAll('[data-testid=engagement] .context')].map((e) => e.textContent);")
        .await;
    let contexts: Vec<&str> = contexts
        .as_array()
        .map(|all| all.iter().filter_map(|c| c.as_str()).collect())
        .unwrap_or_default();
    assert!(
        contexts.first().is_some_and(|c| c.starts_with("on “")),
        "a comment names its post: {first} / {contexts:?}"
    );
    assert!(
        contexts.iter().any(|c| c.starts_with("mentioned you")),
        "{contexts:?}"
    );
    let totals = session.text_of("[data-testid=engagement] .totals").await;
    assert!(totals.ends_with("in your history"), "{totals}");

    session.click("[data-testid=engagement-comment]").await;
    session.find("[data-testid=post-detail]", SCREEN).await;
    session.close().await;
}
