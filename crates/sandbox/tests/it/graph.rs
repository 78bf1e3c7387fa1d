//! Nodes and edges: accounts, Pages, media listing, children, stories, comments, mentions,
//! webhook subscriptions, unknown paths and versions.

use crate::support::*;
use serde_json::Value;

#[tokio::test]
async fn me_accounts_lists_pages_with_and_without_linked_accounts_and_pages() {
    let h = start().await;
    let all = h
        .get("v24.0/me/accounts?fields=id,name,instagram_business_account&summary=1")
        .await;
    let data = all.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(all.body["summary"]["total_count"], 3);
    let linked = |id: &str| {
        data.iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .get("instagram_business_account")
            .cloned()
    };
    assert_eq!(linked(&h.creds.page_id).unwrap()["id"], h.ig_id().as_str());
    assert_eq!(
        linked(&h.creds.small_page_id).unwrap()["id"],
        h.creds.small_ig_user_id.as_str()
    );
    assert!(linked(&h.creds.unlinked_page_id).is_none());
    let first = h.get("v24.0/me/accounts?fields=id&limit=2").await;
    assert_eq!(first.body["data"].as_array().unwrap().len(), 2);
    let next = first.body["paging"]["next"].as_str().unwrap();
    assert!(
        !next.contains("access_token"),
        "a header token is not copied into paging URLs"
    );
    let second = h.get_with(next, Some(&h.token())).await;
    assert_eq!(second.body["data"].as_array().unwrap().len(), 1);
    assert!(second.body["paging"].get("next").is_none());
    assert!(second.body["paging"]["previous"].is_string());
}

#[tokio::test]
async fn page_tokens_work_for_page_subscriptions_and_instagram_login_subscribes_me() {
    let h = start().await;
    let pages = h.get("v24.0/me/accounts?fields=id,access_token").await;
    let page = pages.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == h.creds.page_id.as_str())
        .unwrap()
        .clone();
    let page_token = page["access_token"].as_str().unwrap();
    let url = h.fb(&format!("v24.0/{}/subscribed_apps", h.creds.page_id));
    let user_token = h
        .post_form(&url, &[("subscribed_fields", "feed")], Some(&h.token()))
        .await;
    assert_eq!(user_token.error_code(), Some(210));
    let ok = h
        .post_form(
            &url,
            &[("subscribed_fields", "feed,mention")],
            Some(page_token),
        )
        .await;
    assert_eq!(ok.body["success"], true);
    let listed = h.get_with(&url, Some(page_token)).await;
    assert_eq!(
        listed.body["data"][0]["subscribed_fields"],
        serde_json::json!(["feed", "mention"])
    );
    let ig_url = h.ig("v24.0/me/subscribed_apps");
    let story = h
        .post_form(
            &ig_url,
            &[("subscribed_fields", "comments,story_insights")],
            Some(&h.ig_token()),
        )
        .await;
    assert!(
        story
            .message()
            .contains("subscribed_fields[1] must be one of"),
        "{}",
        story.message()
    );
    let good = h
        .post_form(
            &ig_url,
            &[("subscribed_fields", "comments,mentions")],
            Some(&h.ig_token()),
        )
        .await;
    assert_eq!(good.body["success"], true);
    assert_eq!(
        h.get_ig("v24.0/me/subscribed_apps").await.body["data"][0]["subscribed_fields"][1],
        "mentions"
    );
}

#[tokio::test]
async fn instagram_login_me_and_user_fields() {
    let h = start().await;
    let me = h
        .get_ig("v25.0/me?fields=id,user_id,username,account_type,followers_count,media_count")
        .await;
    assert_eq!(me.body["id"], h.creds.instagram_login_user_id.as_str());
    assert_eq!(me.body["user_id"], h.ig_id().as_str());
    let unversioned = h.get_ig("me?fields=user_id").await;
    assert_eq!(unversioned.status, 200);
    assert_eq!(
        unversioned.header("facebook-api-version").as_deref(),
        Some("v26.0")
    );
    let by_id = h
        .get_ig(&format!("v25.0/{}?fields=username", h.ig_id()))
        .await;
    assert_eq!(by_id.body["username"], "maya.bakes.bread");
    let fb = h.get(&format!("v24.0/{}?fields=id,username,followers_count,follows_count,media_count,name,biography,website,profile_picture_url,legacy_instagram_user_id", h.ig_id())).await;
    let followers = fb.body["followers_count"].as_i64().unwrap();
    assert!(
        (10_000..15_000).contains(&followers),
        "about 12k followers: {followers}"
    );
    assert!((500..720).contains(&fb.body["media_count"].as_i64().unwrap()));
    let picture = fb.body["profile_picture_url"].as_str().unwrap();
    let image = h.http.get(picture).send().await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/svg+xml");
    let unknown = h
        .get(&format!("v24.0/{}?fields=id,shoe_size", h.ig_id()))
        .await;
    assert_eq!(
        unknown.message(),
        "(#100) Tried accessing nonexisting field (shoe_size) on node type (IGUser)"
    );
}

#[tokio::test]
async fn media_listing_pages_by_cursor_with_children_and_thumbnails() {
    let h = start().await;
    let fields = "id,caption,media_type,media_product_type,timestamp,permalink,media_url,thumbnail_url,like_count,comments_count,children{id,media_type,media_url,thumbnail_url}";
    let mut url = h.fb(&format!(
        "v24.0/{}/media?fields={fields}&limit=100",
        h.ig_id()
    ));
    let mut all: Vec<Value> = Vec::new();
    let mut pages = 0;
    loop {
        let page = h.get_with(&url, Some(&h.token())).await;
        assert_eq!(page.status, 200, "{}", page.body);
        all.extend(page.body["data"].as_array().unwrap().iter().cloned());
        pages += 1;
        match page.body["paging"]["next"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    assert!(
        pages >= 6 && (500..720).contains(&all.len()),
        "{pages} pages, {} media",
        all.len()
    );
    let timestamps: Vec<&str> = all
        .iter()
        .map(|m| m["timestamp"].as_str().unwrap())
        .collect();
    assert!(timestamps.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(
        timestamps[0] <= "2026-11-26T12:00:00+0000",
        "nothing from the future"
    );
    let ids: std::collections::HashSet<&str> =
        all.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len(), "no duplicates across pages");
    for kind in ["IMAGE", "VIDEO", "CAROUSEL_ALBUM"] {
        assert!(all.iter().any(|m| m["media_type"] == kind), "has {kind}");
    }
    assert!(all.iter().any(|m| m["media_product_type"] == "REELS"));
    let carousel = all
        .iter()
        .find(|m| m["media_type"] == "CAROUSEL_ALBUM")
        .unwrap();
    assert!(carousel["children"]["data"].as_array().unwrap().len() >= 2);
    let image = all.iter().find(|m| m["media_type"] == "IMAGE").unwrap();
    assert!(
        image.get("thumbnail_url").is_none(),
        "thumbnail_url exists for video only"
    );
    let video = all.iter().find(|m| m["media_type"] == "VIDEO").unwrap();
    let thumb = h
        .http
        .get(video["thumbnail_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);
    assert!(thumb.text().await.unwrap().starts_with("<svg"));
    // The same seed gives the same media whatever "now" is.
    let later = start_at("2027-01-10T00:00:00Z").await;
    let old = later
        .get(&format!(
            "v24.0/{}/media?fields=id,timestamp&limit=100&until={}",
            later.ig_id(),
            unix("2026-11-26T12:00:00Z")
        ))
        .await;
    assert_eq!(old.body["data"][0]["id"], all[0]["id"]);
    assert_eq!(old.body["data"][0]["timestamp"], all[0]["timestamp"]);
}

#[tokio::test]
async fn media_metrics_grow_with_age_and_stay_consistent() {
    let h = start().await;
    let reel = h.sandbox.landmarks().latest_reel.unwrap();
    let read = |reply: &Reply| -> std::collections::HashMap<String, i64> {
        reply.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["name"].as_str().unwrap().to_string(),
                    m["values"][0]["value"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let metrics = "reach,views,likes,comments,saved,shares,reposts,total_interactions";
    let first = read(
        &h.get(&format!("v24.0/{reel}/insights?metric={metrics}"))
            .await,
    );
    h.sandbox.advance(chrono::Duration::days(3));
    let later = read(
        &h.get(&format!("v24.0/{reel}/insights?metric={metrics}"))
            .await,
    );
    for (name, value) in &first {
        assert!(later[name] >= *value, "{name} never decreases");
    }
    for values in [&first, &later] {
        assert!(values["reach"] <= values["views"]);
        assert_eq!(
            values["total_interactions"],
            values["likes"]
                + values["comments"]
                + values["saved"]
                + values["shares"]
                + values["reposts"]
        );
    }
    let node = h
        .get(&format!("v24.0/{reel}?fields=like_count,comments_count"))
        .await;
    assert_eq!(node.body["like_count"].as_i64().unwrap(), later["likes"]);
    let comments = h
        .get(&format!(
            "v24.0/{reel}/comments?fields=id,text,timestamp,username&limit=5"
        ))
        .await;
    assert!(comments.body["data"].as_array().unwrap().len() <= 5);
}

#[tokio::test]
async fn stories_are_the_last_24_hours_only() {
    let h = start().await;
    let stories = h
        .get(&format!(
            "v24.0/{}/stories?fields=id,media_type,media_product_type,timestamp",
            h.ig_id()
        ))
        .await;
    let data = stories.body["data"].as_array().unwrap();
    assert!(!data.is_empty());
    for story in data {
        assert_eq!(story["media_product_type"], "STORY");
        assert!(story["timestamp"].as_str().unwrap() > "2026-11-25T12:00:00+0000");
    }
    let old = data.last().unwrap()["id"].as_str().unwrap().to_string();
    h.sandbox.advance(chrono::Duration::hours(25));
    let gone = h.get(&format!("v24.0/{old}/insights?metric=reach")).await;
    assert_eq!(gone.error_subcode(), Some(33));
    let listed = h.get(&format!("v24.0/{}/stories", h.ig_id())).await;
    assert!(
        listed.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != old.as_str())
    );
}

#[tokio::test]
async fn tags_and_mentioned_media() {
    let h = start().await;
    let tags = h
        .get(&format!(
            "v24.0/{}/tags?fields=id,username,caption,timestamp&limit=3",
            h.ig_id()
        ))
        .await;
    let first = &tags.body["data"][0];
    assert!(
        first["caption"]
            .as_str()
            .unwrap()
            .contains("@maya.bakes.bread")
    );
    let id = first["id"].as_str().unwrap();
    let mention = h
        .get(&format!(
            "v24.0/{}?fields=mentioned_media.media_id({id}){{caption,media_type,username}}",
            h.ig_id()
        ))
        .await;
    assert_eq!(
        mention.body["mentioned_media"]["username"],
        first["username"]
    );
}

#[tokio::test]
async fn mentioned_comment_reads_a_mention_and_refuses_any_other_comment() {
    let h = start().await;
    let id = h.sandbox.landmarks().mentioning_comment.unwrap();
    let fields = "{id,text,timestamp,like_count,media{id,media_product_type}}";
    let reply = h
        .get(&format!(
            "v24.0/{}?fields=mentioned_comment.comment_id({id}){fields}",
            h.ig_id()
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["id"], h.ig_id().as_str());
    let comment = &reply.body["mentioned_comment"];
    assert_eq!(comment["id"], id.as_str());
    assert!(
        comment["text"]
            .as_str()
            .unwrap()
            .contains("@maya.bakes.bread"),
        "{comment}"
    );
    assert!(at(&comment["timestamp"].as_str().unwrap().replace("+0000", "Z")) <= at(NOW));
    assert!(comment["like_count"].is_u64());
    assert!(
        comment["media"]["id"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        ["FEED", "REELS"].contains(&comment["media"]["media_product_type"].as_str().unwrap()),
        "{comment}"
    );
    // Without a field list Meta answers the id alone.
    let bare = h
        .get(&format!(
            "v24.0/{}?fields=mentioned_comment.comment_id({id})",
            h.ig_id()
        ))
        .await;
    assert_eq!(
        bare.body["mentioned_comment"],
        serde_json::json!({ "id": id })
    );

    // A comment under the creator's own post exists but mentions no one: refused like an
    // unknown id.
    let image = h.sandbox.landmarks().latest_image.unwrap();
    let own = h
        .get(&format!("v24.0/{image}/comments?fields=id&limit=1"))
        .await;
    let own_comment = own.body["data"][0]["id"].as_str().unwrap().to_string();
    for other in [own_comment.as_str(), "17999999999999999"] {
        let refused = h
            .get(&format!(
                "v24.0/{}?fields=mentioned_comment.comment_id({other}){{id,text}}",
                h.ig_id()
            ))
            .await;
        assert_eq!(
            (refused.error_code(), refused.error_subcode()),
            (Some(100), Some(33)),
            "{other}: {}",
            refused.body
        );
        assert!(
            refused.message().starts_with(&format!(
                "Unsupported get request. Object with ID '{other}'"
            )),
            "{}",
            refused.message()
        );
    }
    let missing = h
        .get(&format!(
            "v24.0/{}?fields=mentioned_comment{{id}}",
            h.ig_id()
        ))
        .await;
    assert_eq!(missing.error_code(), Some(100));
    assert!(
        missing.message().contains("comment_id"),
        "{}",
        missing.message()
    );

    // Mentions written after "now" are not there yet.
    let early = start_at("2025-06-01T12:00:00Z").await;
    let later = early
        .get(&format!(
            "v22.0/{}?fields=mentioned_comment.comment_id({id}){{id}}",
            early.ig_id()
        ))
        .await;
    assert_eq!(later.error_subcode(), Some(33), "{}", later.body);
}

#[tokio::test]
async fn unknown_paths_objects_and_versions_fail_like_meta() {
    let h = start().await;
    let path = h
        .get(&format!("v24.0/{}/media/extra/bits", h.ig_id()))
        .await;
    assert_eq!(path.error_code(), Some(2500));
    assert_eq!(path.message(), "Unknown path components: /extra/bits");
    let object = h.get("v24.0/99999999999").await;
    same_structure(
        &fixture("error_unsupported_get_100_33_airbyte_test.json"),
        &object.body,
        &[],
    )
    .unwrap();
    assert!(object.message().starts_with("Unsupported get request"));
    let version = h.get("v99.0/me").await;
    assert_eq!(version.error_code(), Some(2500));
    let edge = h.get(&format!("v24.0/{}/followers", h.ig_id())).await;
    assert!(edge.message().contains("nonexisting field (followers)"));
    // An expired version is served by the oldest live one (v20 expired on 24 Sep 2026).
    let expired = h.get("v18.0/me").await;
    assert_eq!(expired.status, 200);
    assert_eq!(
        expired.header("facebook-api-version").as_deref(),
        Some("v21.0")
    );
    let early = start_at("2025-04-21T12:00:00Z").await;
    assert_eq!(
        early.get("v26.0/me").await.error_code(),
        Some(2500),
        "v26 did not exist yet"
    );
    assert_eq!(
        early
            .get("v18.0/me")
            .await
            .header("facebook-api-version")
            .as_deref(),
        Some("v18.0")
    );
}
