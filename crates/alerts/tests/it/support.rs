//! Stores for the tests: an empty one with one account, hand-made rows, and the sandbox
//! creator's recent posts read through the Graph client as a sync would.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use insightdesk_graph::{ApiVersion, Clock, Endpoints, GraphClient, LoginKind, ManualClock};
use insightdesk_sandbox::{ClockConfig, Sandbox, SandboxConfig};
use insightdesk_secret::Sensitive;
use insightdesk_store::{AccountId, AccountProfile, MediaId, MediaItem, Store};

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub struct Profile {
    pub store: Store,
    pub account: AccountId,
    _dir: tempfile::TempDir,
}

/// An empty store with one account.
pub fn empty(ig_user_id: &str) -> Profile {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("insightdesk.sqlite")).unwrap();
    let account = store
        .write(|batch| {
            batch.upsert_account(
                &AccountProfile {
                    ig_user_id: ig_user_id.into(),
                    login_kind: insightdesk_store::LoginKind::Facebook,
                    username: "bakerjo".into(),
                    name: None,
                    profile_picture_url: None,
                },
                at("2026-01-01T00:00:00Z"),
            )
        })
        .unwrap();
    Profile {
        store,
        account,
        _dir: dir,
    }
}

impl Profile {
    /// Runs every rule at `now` with `settings` and no sign-in expiry.
    pub fn evaluate(
        &mut self,
        now: DateTime<Utc>,
        settings: &insightdesk_alerts::AlertSettings,
    ) -> Vec<insightdesk_alerts::Alert> {
        insightdesk_alerts::evaluate(&mut self.store, self.account, now, settings, None).unwrap()
    }

    /// A tag by `@fan` at `when`, as polling stores it.
    pub fn tag(&mut self, id: &str, when: &str) {
        let account = self.account;
        self.store
            .write(|batch| {
                batch.upsert_mention(
                    account,
                    &insightdesk_store::Mention {
                        ig_media_id: id.into(),
                        ig_comment_id: None,
                        username: Some("fan".into()),
                        text: Some("@bakerjo look!".into()),
                        mentioned_at: Some(at(when)),
                    },
                    at(when),
                )
            })
            .unwrap();
    }

    /// A post with its latest readings taken at `captured_at`.
    pub fn post(
        &mut self,
        id: &str,
        (product_type, media_type): (&str, &str),
        posted_at: DateTime<Utc>,
        captured_at: DateTime<Utc>,
        values: &[(&str, f64)],
    ) -> MediaId {
        let account = self.account;
        self.store
            .write(|batch| {
                let media = batch.upsert_media(
                    account,
                    &MediaItem {
                        ig_media_id: id.into(),
                        product_type: product_type.into(),
                        media_type: media_type.into(),
                        posted_at,
                        caption: None,
                        permalink: None,
                        media_url: None,
                        thumbnail_url: None,
                    },
                    captured_at,
                )?;
                batch.record_media_metrics(media, captured_at, values)?;
                Ok::<_, insightdesk_store::StoreError>(media)
            })
            .unwrap()
    }
}

/// The sandbox's demo creator at `now`: the posts of the `days` before, with the insights
/// every post answers, read through the Graph client and stored as a sync would.
pub async fn creator_at(now: DateTime<Utc>, days: i64) -> Profile {
    let sandbox = Sandbox::start(SandboxConfig {
        clock: ClockConfig::Fixed(now),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let creds = sandbox.credentials();
    let client = GraphClient::builder(LoginKind::Facebook)
        .endpoints(Endpoints::sandbox(&sandbox.base_url()))
        .version(ApiVersion::LATEST)
        .token(Sensitive::new(creds.user_token.access_token.clone()))
        .app_secret(Sensitive::new(creds.facebook_app.app_secret.clone()))
        .account(creds.ig_user_id.clone())
        .clock(Arc::new(ManualClock::new(now)) as Arc<dyn Clock>)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let media: Vec<_> = client
        .user(&creds.ig_user_id)
        .media()
        .since(now - chrono::Duration::days(days))
        .with_common_insights()
        .stream()
        .try_collect()
        .await
        .unwrap();
    sandbox.stop().await;

    let mut profile = empty(&creds.ig_user_id);
    for item in media {
        let values: Vec<(String, f64)> = item
            .insights
            .iter()
            .flat_map(|page| &page.data)
            .filter_map(|metric| {
                let value = metric.single_value()?.as_f64()?;
                Some((metric.name.clone(), value))
            })
            .collect();
        let values: Vec<(&str, f64)> = values.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        let product = item
            .media_product_type
            .as_ref()
            .map_or("FEED", |p| p.as_str())
            .to_owned();
        let media_type = item
            .media_type
            .as_ref()
            .map_or("IMAGE", |t| t.as_str())
            .to_owned();
        profile.post(
            &item.id,
            (&product, &media_type),
            item.timestamp.unwrap(),
            now,
            &values,
        );
    }
    profile
}
