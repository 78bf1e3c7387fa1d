//! Every endpoint against the sandbox, both login kinds, and the counters against the
//! sandbox's ledger.

use std::collections::BTreeSet;

use futures::{StreamExt, TryStreamExt};
use insightdesk_graph::catalog::Selector;
use insightdesk_graph::models::insights::Period;
use insightdesk_graph::models::{Media, MediaProductType, MediaType};
use insightdesk_graph::{
    AuthorizeParams, BatchRequest, ErrorClass, LoginKind, MetricType, pkce_challenge,
};
use insightdesk_secret::Sensitive;

use crate::support::{self, at};

const REDIRECT: &str = "http://127.0.0.1:8765/callback";

#[tokio::test]
async fn facebook_login_from_consent_to_pages() {
    let meta = support::start().await;
    let client = meta.builder(LoginKind::Facebook).build().unwrap();
    let app = meta.app(LoginKind::Facebook);
    let state = Sensitive::new("st4te".to_owned());
    let verifier = Sensitive::new("v".repeat(50));
    let challenge = pkce_challenge(&verifier);
    let url = client
        .oauth()
        .authorize_url(&AuthorizeParams {
            client_id: &app.app_id,
            redirect_uri: REDIRECT,
            scopes: &[
                "instagram_basic",
                "instagram_manage_insights",
                "pages_show_list",
                "pages_read_engagement",
            ],
            state: &state,
            pkce_challenge: Some(&challenge),
            force_reauth: false,
        })
        .unwrap();
    let (code, returned_state) = meta.consent(url.expose()).await;
    assert_eq!(returned_state.as_deref(), Some("st4te"));

    let short = client
        .oauth()
        .exchange_facebook_code(&app, &code, REDIRECT, None)
        .await
        .unwrap();
    let long = client
        .oauth()
        .exchange_facebook_token(&app, &short.access_token)
        .await
        .unwrap();
    assert!(
        long.expires_in.is_some_and(|s| s > 50 * 86_400),
        "{:?}",
        long.expires_in
    );
    let info = client
        .oauth()
        .debug_token(&app, &long.access_token)
        .await
        .unwrap();
    assert!(info.is_valid);
    assert!(
        info.has_scope("instagram_manage_insights"),
        "{:?}",
        info.scopes
    );

    let user = client.with_token(long.access_token.clone());
    let me = user.me().facebook_user().await.unwrap();
    assert_eq!(me.id, meta.creds.fb_user_id);
    let pages: Vec<_> = user.me().pages().try_collect().await.unwrap();
    let linked = pages
        .iter()
        .find(|p| p.id == meta.creds.page_id)
        .expect("the demo Page");
    assert_eq!(linked.ig_user_id(), Some(meta.creds.ig_user_id.as_str()));
    assert!(linked.access_token.is_some());
    let unlinked = pages
        .iter()
        .find(|p| p.id == meta.creds.unlinked_page_id)
        .expect("the unlinked Page");
    assert_eq!(unlinked.ig_user_id(), None);
    assert!(
        user.me().instagram_user().await.is_err(),
        "Instagram Login's /me is not Facebook's"
    );

    // Revoking makes the token useless: Meta then answers 190/458.
    assert!(user.oauth().revoke(&long.access_token).await.unwrap());
    let after = user.me().facebook_user().await.unwrap_err();
    assert_eq!(
        after.class(),
        insightdesk_graph::ErrorClass::NeedsReauth,
        "{after}"
    );
}

#[tokio::test]
async fn instagram_login_from_consent_to_refresh() {
    let meta = support::start().await;
    let client = meta.builder(LoginKind::Instagram).build().unwrap();
    let app = meta.app(LoginKind::Instagram);
    let state = Sensitive::new("s2".to_owned());
    let url = client
        .oauth()
        .authorize_url(&AuthorizeParams {
            client_id: &app.app_id,
            redirect_uri: REDIRECT,
            scopes: &[
                "instagram_business_basic",
                "instagram_business_manage_insights",
            ],
            state: &state,
            pkce_challenge: None,
            force_reauth: false,
        })
        .unwrap();
    let (code, _) = meta.consent(url.expose()).await;
    assert!(
        code.expose().ends_with("#_"),
        "Instagram appends #_ and the client strips it"
    );
    let short = client
        .oauth()
        .exchange_instagram_code(&app, &code, REDIRECT)
        .await
        .unwrap();
    let reused = client
        .oauth()
        .exchange_instagram_code(&app, &code, REDIRECT)
        .await
        .unwrap_err();
    assert_eq!(
        reused.class(),
        insightdesk_graph::ErrorClass::NeedsReauth,
        "{reused}"
    );
    assert_eq!(
        reused.meta().map(|m| m.shape),
        Some(insightdesk_graph::ErrorShape::InstagramOAuth),
        "Instagram Login's flat error shape"
    );
    assert_eq!(short.user_id, meta.creds.ig_user_id);
    assert!(
        short
            .permissions
            .contains(&"instagram_business_manage_insights".to_owned())
    );
    let long = client
        .oauth()
        .exchange_instagram_token(&app, &short.access_token)
        .await
        .unwrap();
    assert!(long.expires_in.is_some_and(|s| s > 50 * 86_400));

    let me = client
        .with_token(long.access_token.clone())
        .me()
        .instagram_user()
        .await
        .unwrap();
    assert_eq!(me.account_id(), Some(meta.creds.ig_user_id.as_str()));
    assert_eq!(
        me.id.as_deref(),
        Some(meta.creds.instagram_login_user_id.as_str())
    );
    assert_eq!(
        me.username.as_deref(),
        Some(meta.creds.ig_username.as_str())
    );

    // The demo token is two days old, so it may be refreshed (no secret needed).
    let refreshed = client
        .oauth()
        .refresh_instagram_token(&meta.token(LoginKind::Instagram))
        .await
        .unwrap();
    assert!(refreshed.expires_in.is_some_and(|s| s > 50 * 86_400));
    // A token younger than 24 hours may not.
    let too_young = client
        .oauth()
        .refresh_instagram_token(&long.access_token)
        .await;
    assert!(too_young.is_err());
    assert!(
        client.me().pages().next().await.is_some_and(|r| r.is_err()),
        "no Pages under Instagram Login"
    );
}

async fn all_media(client: &insightdesk_graph::GraphClient, ig: &str) -> Vec<Media> {
    client
        .user(ig)
        .media()
        .limit(25)
        .stream()
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn account_media_stories_tags_comments_with_both_logins() {
    let meta = support::start().await;
    let marks = meta.sandbox.landmarks();
    let ig = meta.creds.ig_user_id.clone();
    for login in LoginKind::ALL {
        let client = meta.client(login);
        let profile = client.user(&ig).profile().await.unwrap();
        assert_eq!(
            profile.username.as_deref(),
            Some(meta.creds.ig_username.as_str()),
            "{login}"
        );
        let count = profile.media_count.unwrap();

        let media = all_media(&client, &ig).await;
        assert_eq!(
            media.len() as u64,
            count,
            "{login}: every media, page after page"
        );
        let ids: BTreeSet<&str> = media.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids.len(), media.len(), "no media twice");
        assert!(
            media.windows(2).all(|w| w[0].timestamp >= w[1].timestamp),
            "newest first"
        );
        let album = media
            .iter()
            .find(|m| Some(&m.id) == marks.latest_carousel.as_ref())
            .unwrap();
        assert!(
            album
                .child_media()
                .iter()
                .any(|c| Some(&c.id) == marks.carousel_child.as_ref())
        );
        let children = client.media(&album.id).children().await.unwrap();
        assert_eq!(children.len(), album.child_media().len());

        let stories: Vec<Media> = client
            .user(&ig)
            .stories()
            .stream()
            .try_collect()
            .await
            .unwrap();
        let story_ids: Vec<String> = stories.iter().map(|s| s.id.clone()).collect();
        assert_eq!(
            story_ids.iter().collect::<BTreeSet<_>>(),
            marks.live_stories.iter().collect::<BTreeSet<_>>(),
            "{login}"
        );
        assert!(
            stories
                .iter()
                .all(|s| s.media_product_type == Some(MediaProductType::Story))
        );

        let tags: Vec<Media> = client
            .user(&ig)
            .tags()
            .stream()
            .try_collect()
            .await
            .unwrap();
        let tagged = marks.tagged_media.clone().unwrap();
        assert!(tags.iter().any(|t| t.id == tagged), "{login}");
        let mention = client.user(&ig).mentioned_media(&tagged).await.unwrap();
        assert_eq!(mention.mentioned_media.id, tagged);

        let image = marks.latest_image.clone().unwrap();
        let item = client
            .media(&image)
            .get(&["id", "comments_count", "media_type"])
            .await
            .unwrap();
        let comments: Vec<_> = client.media(&image).comments().try_collect().await.unwrap();
        assert_eq!(
            comments.len() as u64,
            item.comments_count.unwrap().min(2_000),
            "{login}"
        );
    }
}

#[tokio::test]
async fn mentioned_comment_with_both_logins_and_a_refusal_for_other_ids() {
    let meta = support::start().await;
    let ig = meta.creds.ig_user_id.clone();
    let mentioning = meta.sandbox.landmarks().mentioning_comment.unwrap();
    let handle = format!("@{}", meta.creds.ig_username);
    for login in LoginKind::ALL {
        let client = meta.client(login);
        let answer = client
            .user(&ig)
            .mentioned_comment(&mentioning)
            .await
            .unwrap();
        // The account's id comes along (under Instagram Login, its app-scoped id).
        assert!(answer.id.is_some(), "{login}");
        let comment = answer.mentioned_comment;
        assert_eq!(comment.id, mentioning, "{login}");
        assert!(
            comment.text.as_deref().is_some_and(|t| t.contains(&handle)),
            "{login}: {comment:?}"
        );
        assert!(
            comment.timestamp.is_some_and(|t| t <= at(support::NOW)),
            "{login}: {comment:?}"
        );
        assert!(comment.like_count.is_some(), "{login}");
        let media = comment.media.unwrap();
        assert!(!media.id.is_empty(), "{login}");
        assert!(
            matches!(
                media.media_product_type,
                Some(MediaProductType::Feed | MediaProductType::Reels)
            ),
            "{login}: {media:?}"
        );

        let error = client
            .user(&ig)
            .mentioned_comment("17999999999999999")
            .await
            .unwrap_err();
        assert_eq!(error.class(), ErrorClass::Permission, "{login}: {error}");
        assert_eq!(
            error.meta().and_then(|m| m.subcode),
            Some(33),
            "{login}: {error}"
        );
    }
}

#[tokio::test]
async fn media_insights_for_every_kind_from_the_catalog() {
    let meta = support::start().await;
    let marks = meta.sandbox.landmarks();
    for login in LoginKind::ALL {
        let client = meta.client(login);
        let mut ids = vec![
            marks.latest_image.clone(),
            marks.latest_carousel.clone(),
            marks.latest_feed_video.clone(),
            marks.latest_reel.clone(),
        ];
        ids.extend(
            marks
                .live_stories
                .iter()
                .filter(|s| Some(*s) != marks.story_under_5_viewers.as_ref())
                .take(1)
                .cloned()
                .map(Some),
        );
        for id in ids.into_iter().flatten() {
            let media = client
                .media(&id)
                .get(&["id", "media_type", "media_product_type", "timestamp"])
                .await
                .unwrap();
            let answer = client.media(&id).insights_for(&media, &[]).await.unwrap();
            assert!(
                answer.dropped.is_empty(),
                "{login} {:?}: the catalog asked only for what Meta answers, dropped {:?}",
                media.media_product_type,
                answer.dropped
            );
            let selector = Selector::media(
                client.version(),
                login,
                client.now().date_naive(),
                media.media_product_type.clone().unwrap(),
                media.media_type.clone(),
            );
            let expected: BTreeSet<String> = client
                .catalog()
                .default_set(&selector)
                .iter()
                .map(|s| s.name.clone())
                .collect();
            let got: BTreeSet<String> = answer.metrics.iter().map(|m| m.name.clone()).collect();
            assert_eq!(
                got, expected,
                "{login} {:?} {:?}",
                media.media_product_type, media.media_type
            );
            assert!(
                answer.metrics.iter().all(|m| m.single_value().is_some()),
                "{login}: lifetime values"
            );
            if media.media_product_type == Some(MediaProductType::Story) {
                let navigation = answer.metric("navigation").unwrap();
                let breakdown = &navigation.total_value.as_ref().unwrap().breakdowns[0];
                assert!(
                    breakdown
                        .results
                        .iter()
                        .all(|r| r.dimension_values.iter().all(|v| *v == v.to_uppercase()))
                );
            }
        }
    }
    assert!(meta.exclusions.entries().is_empty());
}

#[tokio::test]
async fn expanded_insights_count_one_call_per_media_and_match_the_ledger() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let ig = meta.creds.ig_user_id.clone();
    meta.sandbox.clear_ledger();
    let pages: Vec<_> = client
        .user(&ig)
        .media()
        .limit(20)
        .cap(45)
        .with_common_insights()
        .pages()
        .take(3)
        .try_collect()
        .await
        .unwrap();
    let media: Vec<&Media> = pages.iter().flat_map(|p| &p.data).collect();
    assert_eq!(media.len(), 60);
    let with_insights: Vec<&&Media> = media.iter().filter(|m| m.insights.is_some()).collect();
    assert_eq!(with_insights.len(), 60);
    for m in &with_insights {
        let names: Vec<&str> = m
            .insights
            .as_ref()
            .unwrap()
            .data
            .iter()
            .map(|x| x.name.as_str())
            .collect();
        assert!(
            names.contains(&"reach") && names.contains(&"views"),
            "{names:?}"
        );
    }
    let counts = client.counts();
    assert_eq!(counts.http_requests, 3);
    assert_eq!(counts.counted_calls, 3 + 60);
    assert_eq!(counts.http_requests, meta.sandbox.http_requests());
    assert_eq!(counts.counted_calls, meta.sandbox.counted_calls());

    // The per-type extras after the expanded set.
    let common = client.catalog().common_media_metrics(
        client.version(),
        LoginKind::Facebook,
        client.now().date_naive(),
        &[(MediaProductType::Feed, Some(MediaType::Image))],
    );
    let image = media
        .iter()
        .find(|m| {
            m.media_type == Some(MediaType::Image)
                && m.media_product_type == Some(MediaProductType::Feed)
        })
        .unwrap();
    let extras = client
        .media(&image.id)
        .insights_for(image, &common)
        .await
        .unwrap();
    let names: Vec<&str> = extras.metrics.iter().map(|m| m.name.as_str()).collect();
    assert!(
        names.contains(&"profile_activity") && !names.contains(&"reach"),
        "{names:?}"
    );
}

#[tokio::test]
async fn account_insights_in_thirty_day_windows_and_every_shape() {
    let meta = support::start().await;
    for login in LoginKind::ALL {
        let client = meta.client(login);
        let user = client.user(&meta.creds.ig_user_id);
        let until = at("2026-11-26T00:00:00Z");
        let since = until - chrono::Duration::days(90);
        let windows: Vec<_> = user
            .insights()
            .metrics(["reach"])
            .metric_type(MetricType::TimeSeries)
            .period(Period::Day)
            .range(since, until)
            .windows()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(windows.len(), 3, "{login}");
        let days: BTreeSet<_> = windows
            .iter()
            .flat_map(|w| &w.answer.metrics)
            .flat_map(|m| &m.values)
            .filter_map(|v| v.end_time)
            .collect();
        assert!(
            days.len() >= 88,
            "{login}: about 90 daily values, got {}",
            days.len()
        );

        let breakdown = user
            .insights()
            .metrics(["reach"])
            .metric_type(MetricType::TotalValue)
            .period(Period::Day)
            .breakdown("media_product_type")
            .range(until - chrono::Duration::days(7), until)
            .send()
            .await
            .unwrap();
        let total = breakdown
            .metric("reach")
            .unwrap()
            .total_value
            .as_ref()
            .unwrap();
        assert!(
            total.value.is_some() && !total.breakdowns[0].results.is_empty(),
            "{login}"
        );

        let groups = client.catalog().user_groups(&Selector::user(
            client.version(),
            login,
            client.now().date_naive(),
        ));
        for group in groups.iter().filter(|g| g.breakdown.is_some()).take(4) {
            let answer = user.insights().group(group).send().await.unwrap();
            assert!(
                answer.dropped.is_empty(),
                "{login} {group:?}: {:?}",
                answer.dropped
            );
            let metric = answer.metrics.first().unwrap();
            assert!(
                !metric.total_value.as_ref().unwrap().breakdowns.is_empty(),
                "{login} {group:?}"
            );
        }
    }
}

#[tokio::test]
async fn batch_sends_fifty_at_a_time_and_counts_each_item() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let media = {
        let all: Vec<Media> = client
            .user(&meta.creds.ig_user_id)
            .media()
            .limit(100)
            .cap(60)
            .stream()
            .try_collect()
            .await
            .unwrap();
        all
    };
    meta.sandbox.clear_ledger();
    let before = client.counts();
    let requests: Vec<BatchRequest> = media
        .iter()
        .map(|m| {
            BatchRequest::get(
                client.batch_url(&format!("{}/insights", m.id), &[("metric", "reach,views")]),
            )
        })
        .collect();
    let results = client.batch(requests).await.unwrap();
    assert_eq!(results.len(), 60);
    let mut answered = 0;
    for result in &results {
        let response = result.as_ref().unwrap();
        match response.parse::<insightdesk_graph::models::Insights>() {
            Ok(insights) => {
                answered += 1;
                assert_eq!(insights.data.len(), 2);
            }
            // Media posted before the business conversion have no insights.
            Err(e) => assert_eq!(
                e.class(),
                insightdesk_graph::ErrorClass::MediaBeforeBusinessConversion,
                "{e}"
            ),
        }
    }
    assert!(answered > 50);
    let after = client.counts();
    assert_eq!(
        after.http_requests - before.http_requests,
        2,
        "60 items = 2 batches"
    );
    assert_eq!(
        after.counted_calls - before.counted_calls,
        60,
        "each item counts"
    );
    assert_eq!(meta.sandbox.http_requests(), 2);
    assert_eq!(meta.sandbox.counted_calls(), 60);
    let ig = meta.client(LoginKind::Instagram);
    assert!(
        ig.batch(vec![BatchRequest::get("v26.0/me")]).await.is_err(),
        "no batch on graph.instagram.com"
    );
}

#[tokio::test]
async fn requests_carry_the_token_in_the_header_and_the_proof() {
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    client.user(&meta.creds.ig_user_id).profile().await.unwrap();
    client
        .oauth()
        .debug_token(
            &meta.app(LoginKind::Facebook),
            &meta.token(LoginKind::Facebook),
        )
        .await
        .unwrap();
    let token = meta.token(LoginKind::Facebook);
    for entry in meta.api_ledger() {
        assert!(
            !entry.path.contains(token.expose().as_str()),
            "{}",
            entry.path
        );
        assert!(
            !entry.path.contains("access_token="),
            "never a token in the query: {}",
            entry.path
        );
        assert_eq!(entry.status, 200, "{}", entry.path);
    }
    // A wrong app secret makes a wrong proof, which Meta refuses.
    let wrong = meta
        .builder(LoginKind::Facebook)
        .app_secret(Sensitive::new("not-the-secret".into()))
        .build()
        .unwrap();
    let error = wrong
        .user(&meta.creds.ig_user_id)
        .profile()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("appsecret_proof"), "{error}");
}

#[tokio::test]
async fn media_pictures_are_fetched_without_a_token_and_only_as_images() {
    let meta = support::start().await;
    let ig = meta.creds.ig_user_id.clone();
    let client = meta.client(LoginKind::Facebook);
    let media = client
        .user(&ig)
        .media()
        .limit(5)
        .pages()
        .next()
        .await
        .unwrap()
        .unwrap();
    let url = media
        .data
        .iter()
        .find_map(|m| m.thumbnail_url.clone().or_else(|| m.media_url.clone()))
        .expect("a picture address");
    let file = client.fetch_media_file(&url).await.unwrap();
    assert!(!file.bytes.is_empty());
    assert!(["png", "jpg", "svg", "webp", "gif"].contains(&file.extension));
    assert!(
        meta.sandbox
            .ledger()
            .iter()
            .any(|e| e.path.contains("cdn.instagram.com")),
        "the picture came from the CDN address Meta gave"
    );

    // Anything that is not an image, or not http(s), is refused.
    let json = format!("{}/graph.facebook.com/v26.0/{ig}", meta.sandbox.base_url());
    assert!(client.fetch_media_file(&json).await.is_err());
    assert!(client.fetch_media_file("file:///etc/passwd").await.is_err());
}

#[tokio::test]
async fn a_picture_without_a_length_stops_being_read_at_the_limit() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A server that answers "an image" in chunks and never stops (a broken or hostile CDN).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&sent);
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = [0u8; 4096];
        let _ = stream.read(&mut head).await;
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n",
            )
            .await
            .unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        let frame = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk,
            b"\r\n".to_vec(),
        ]
        .concat();
        // At most 64 MiB, so the test ends even if the client kept reading.
        for _ in 0..1024 {
            if stream.write_all(&frame).await.is_err() {
                break;
            }
            counter.fetch_add(64 * 1024, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let meta = support::start().await;
    let client = meta.client(LoginKind::Facebook);
    let error = client
        .fetch_media_file(&format!("http://{address}/picture.png"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("larger than 8 MiB"), "{error}");
    let read = sent.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        read < 2 * insightdesk_graph::MAX_MEDIA_FILE_BYTES,
        "the client stopped near the limit, not after {read} bytes"
    );
}
