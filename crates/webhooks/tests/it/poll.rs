//! Polling against the sandbox: new comments and mentions are stored once, the call budget and
//! the governor are respected (counted in the sandbox's ledger).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use insightdesk_graph::{ApiVersion, Clock, Endpoints, GraphClient, LoginKind, ManualClock};
use insightdesk_sandbox::{ClockConfig, Sandbox, SandboxConfig, parse_instant};
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountId, Mention, Store};
use insightdesk_webhooks::{PollBudget, PollReport, PollStop, WebhookError, poll_engagement};

const NOW: &str = "2026-11-26T12:00:00Z";

struct Polling {
    sandbox: Sandbox,
    clock: Arc<ManualClock>,
    client: GraphClient,
    store: Store,
    account: AccountId,
    _dir: tempfile::TempDir,
}

async fn start() -> Polling {
    let now = parse_instant(NOW).unwrap();
    let sandbox = Sandbox::start(SandboxConfig {
        clock: ClockConfig::Fixed(now),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let creds = sandbox.credentials();
    let clock = Arc::new(ManualClock::new(now));
    let client = GraphClient::builder(LoginKind::Facebook)
        .endpoints(Endpoints::sandbox(&sandbox.base_url()))
        .version(ApiVersion::LATEST)
        .token(Sensitive::new(creds.user_token.access_token.clone()))
        .app_secret(Sensitive::new(creds.facebook_app.app_secret.clone()))
        .account(creds.ig_user_id.clone())
        .clock(Arc::clone(&clock) as Arc<dyn Clock>)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("insightdesk.sqlite")).unwrap();
    let account = store
        .write(|batch| {
            batch.upsert_account(
                &crate::support::profile(&creds.ig_user_id, &creds.ig_username),
                now,
            )
        })
        .unwrap();
    Polling {
        sandbox,
        clock,
        client,
        store,
        account,
        _dir: dir,
    }
}

impl Polling {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    async fn poll(&mut self, since: DateTime<Utc>, budget: &PollBudget) -> PollReport {
        poll_engagement(&self.client, &mut self.store, self.account, since, budget)
            .await
            .unwrap()
    }

    fn advance(&self, by: chrono::Duration) {
        self.sandbox.advance(by);
        self.clock.set(self.sandbox.now());
    }
}

fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

#[tokio::test]
async fn new_comments_and_mentions_are_stored_once_and_reported_once() {
    let mut p = start().await;
    let since = p.now() - days(10);
    let budget = PollBudget {
        max_calls: 50,
        ..PollBudget::default()
    };
    let first = p.poll(since, &budget).await;
    assert_eq!(first.stopped, None, "{first:?}");
    assert!(first.posts_listed > 0, "{first:?}");
    assert!(!first.new_comments.is_empty(), "{first:?}");
    assert!(
        !first.new_mentions.is_empty(),
        "a tag every 5 days: {first:?}"
    );
    assert!(first.new_comments.iter().all(|c| c.source == "poll"));
    assert!(
        first
            .new_mentions
            .iter()
            .all(|m| m.text.is_some() && m.username.is_some())
    );
    let comments = p.store.comments(p.account, None).unwrap();
    let mentions = p.store.mentions(p.account).unwrap();
    assert_eq!(comments.len(), first.new_comments.len());
    assert_eq!(mentions.len(), first.new_mentions.len());
    assert_eq!(first.calls, p.sandbox.counted_calls());

    // Nothing new: the comment counts match what is stored, so only the two listings are paid.
    p.sandbox.clear_ledger();
    let second = p.poll(since, &budget).await;
    assert!(second.new_comments.is_empty(), "{second:?}");
    assert!(second.new_mentions.is_empty(), "{second:?}");
    assert_eq!((second.calls, second.posts_polled), (2, 0));
    assert_eq!(p.sandbox.counted_calls(), 2);
    assert_eq!(
        p.store.comments(p.account, None).unwrap().len(),
        comments.len()
    );

    // A day later the recent posts have more comments: only those are new.
    p.advance(days(1));
    let third = p.poll(since, &budget).await;
    assert!(!third.new_comments.is_empty(), "{third:?}");
    let known: std::collections::HashSet<_> =
        comments.iter().map(|c| c.ig_comment_id.clone()).collect();
    assert!(
        third
            .new_comments
            .iter()
            .all(|c| !known.contains(&c.ig_comment_id)),
        "a comment already stored was reported as new"
    );
    let now_stored = p.store.comments(p.account, None).unwrap();
    assert_eq!(now_stored.len(), comments.len() + third.new_comments.len());
    let distinct: std::collections::HashSet<_> =
        now_stored.iter().map(|c| &c.ig_comment_id).collect();
    assert_eq!(distinct.len(), now_stored.len());
}

#[tokio::test]
async fn a_run_stops_at_its_call_budget_and_the_next_run_goes_on() {
    let mut p = start().await;
    let since = p.now() - days(30);
    let budget = PollBudget {
        max_calls: 4,
        max_posts: 10,
        max_tagged: 25,
    };
    p.sandbox.clear_ledger();
    let first = p.poll(since, &budget).await;
    assert_eq!(first.stopped, Some(PollStop::Budget), "{first:?}");
    assert_eq!(p.sandbox.counted_calls(), 4);
    assert_eq!(first.calls, 4);
    let after_first = p.store.comments(p.account, None).unwrap().len();
    assert_eq!(after_first, first.new_comments.len());

    p.sandbox.clear_ledger();
    let second = p.poll(since, &budget).await;
    assert!(p.sandbox.counted_calls() <= 4);
    assert_eq!(second.calls, p.sandbox.counted_calls());
    assert!(
        !second.new_comments.is_empty(),
        "the second run reaches further posts"
    );
    assert_eq!(
        p.store.comments(p.account, None).unwrap().len(),
        after_first + second.new_comments.len()
    );
}

#[tokio::test]
async fn a_governor_that_holds_calls_back_stops_the_run_before_any_call() {
    let mut p = start().await;
    let until = p
        .client
        .governor()
        .throttled(Some(Duration::from_secs(600)), p.now());
    p.sandbox.clear_ledger();
    let report = p.poll(p.now() - days(7), &PollBudget::default()).await;
    assert_eq!(report.stopped, Some(PollStop::RateLimit { until }));
    assert_eq!((report.calls, p.sandbox.http_requests()), (0, 0));
}

#[tokio::test]
async fn a_mention_a_webhook_stored_without_text_is_completed_not_reported_again() {
    let mut p = start().await;
    let tagged = p.sandbox.landmarks().tagged_media.expect("a tagged post");
    p.store
        .write(|batch| {
            batch.upsert_mention(
                p.account,
                &Mention {
                    ig_media_id: tagged.clone(),
                    ig_comment_id: None,
                    username: None,
                    text: None,
                    mentioned_at: None,
                },
                p.sandbox.now(),
            )
        })
        .unwrap();
    let report = p.poll(p.now() - days(60), &PollBudget::default()).await;
    assert!(report.new_mentions.iter().all(|m| m.ig_media_id != tagged));
    let stored = p.store.mentions(p.account).unwrap();
    let completed = stored.iter().find(|m| m.ig_media_id == tagged).unwrap();
    assert!(
        completed.text.as_deref().is_some_and(|t| t.contains('@')),
        "{completed:?}"
    );
    assert_eq!(stored.len(), report.new_mentions.len() + 1);
}

#[tokio::test]
async fn an_account_the_store_does_not_hold_is_refused() {
    let mut p = start().await;
    let error = poll_engagement(
        &p.client,
        &mut p.store,
        AccountId(999),
        DateTime::UNIX_EPOCH,
        &PollBudget::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(
        error,
        WebhookError::UnknownAccount(AccountId(999))
    ));
    assert_eq!(p.sandbox.http_requests(), 0);
}

#[test]
fn a_poll_can_run_on_another_task() {
    fn send<T: Send>(_: &T) {}
    let run = |client: GraphClient, mut store: Store| async move {
        poll_engagement(
            &client,
            &mut store,
            AccountId(1),
            DateTime::UNIX_EPOCH,
            &PollBudget::default(),
        )
        .await
    };
    // Only the type matters; the future is never polled.
    let client = GraphClient::builder(LoginKind::Facebook).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s.sqlite")).unwrap();
    send(&run(client, store));
}
