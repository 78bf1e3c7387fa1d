//! Every fixture in fixtures/graph/ that reflects the current API is answered with the same
//! structure; the legacy ones are answered with the matching removal error (and, before the
//! removal date, with their old structure).

use crate::support::*;

const MEDIA_FIELDS: &str = "id,caption,comments_count,children{id,media_type,media_url,permalink,shortcode,thumbnail_url,timestamp},like_count,media_type,media_url,permalink,timestamp";
/// Meta omits these when a media has none.
const OPTIONAL: &[&str] = &["caption", "thumbnail_url", "children"];

#[tokio::test]
async fn account_and_page_fixtures() {
    let h = start().await;
    let user = h.get(&format!("v24.0/{}?fields=id,biography,name,username,profile_picture_url,followers_count,media_count", h.ig_id())).await;
    same_structure(&fixture("ig_user_fields.json"), &user.body, &[]).unwrap();
    let airbyte = h
        .get("v24.0/me/accounts?fields=id,instagram_business_account")
        .await;
    same_structure(&fixture("me_accounts_airbyte.json"), &airbyte.body, &[]).unwrap();
    let postman = h
        .get("v24.0/me/accounts?fields=name,access_token,tasks,instagram_business_account")
        .await;
    same_structure(
        &fixture("me_accounts_meta_postman.json"),
        &postman.body,
        &[],
    )
    .unwrap();
    let paginated = h.get("v24.0/me/accounts?summary=1&limit=2").await;
    same_structure(
        &fixture("me_accounts_paginated_pyfb.json"),
        &paginated.body,
        &[],
    )
    .unwrap();
}

#[tokio::test]
async fn media_listing_and_story_fixtures() {
    let h = start().await;
    let first = h
        .get(&format!(
            "v24.0/{}/media?fields={MEDIA_FIELDS}&limit=2",
            h.ig_id()
        ))
        .await;
    same_structure(
        &fixture("media_list_paginated_p1.json"),
        &first.body,
        OPTIONAL,
    )
    .unwrap();
    // Walk on until a page holds a carousel whose children include a video, like the fixture's.
    let mut next = first.body["paging"]["next"].as_str().unwrap().to_string();
    let mut matched = false;
    for _ in 0..200 {
        let page = h.get_with(&next, Some(&h.token())).await;
        if same_structure(
            &fixture("media_list_paginated_p2_carousel_children.json"),
            &page.body,
            &["caption", "next"],
        )
        .is_ok()
        {
            matched = true;
            break;
        }
        next = page.body["paging"]["next"].as_str().unwrap().to_string();
    }
    assert!(
        matched,
        "a page like media_list_paginated_p2_carousel_children.json exists"
    );
    let stories = h.get(&format!("v24.0/{}/stories?fields=id,comments_count,like_count,media_type,media_url,permalink,timestamp", h.ig_id())).await;
    same_structure(&fixture("stories_list.json"), &stories.body, &[]).unwrap();
}

#[tokio::test]
async fn user_insight_fixtures() {
    let h = start().await;
    let range = format!(
        "since={}&until={}",
        unix("2026-11-01T08:00:00Z"),
        unix("2026-11-20T08:00:00Z")
    );
    let postman = h
        .get(&format!(
            "v24.0/{}/insights?metric=reach&period=day&{range}",
            h.ig_id()
        ))
        .await;
    same_structure(
        &fixture("user_insights_time_series_day_meta_postman.json"),
        &postman.body,
        &[],
    )
    .unwrap();
    let airbyte = h
        .get(&format!(
            "v24.0/{}/insights?metric=follower_count,reach&period=day&{range}",
            h.ig_id()
        ))
        .await;
    same_structure(
        &fixture("user_insights_follower_count_reach_day_airbyte_test.json"),
        &airbyte.body,
        &[],
    )
    .unwrap();
    let doc = h.get(&format!("v24.0/{}/insights?metric=reach&period=day&breakdown=media_product_type&metric_type=total_value&{range}", h.ig_id())).await;
    same_structure(
        &fixture("user_insights_total_value_breakdown_meta_doc.json"),
        &doc.body,
        &[],
    )
    .unwrap();
    let v18 = h.get(&format!("v24.0/{}/insights?metric=reach&metric_type=total_value&period=day&breakdown=media_product_type,follow_type&{range}", h.ig_id())).await;
    same_structure(
        &fixture("user_insights_total_value_breakdown_v18_pyfb.json"),
        &v18.body,
        &[],
    )
    .unwrap();
    let city = h.get(&format!("v24.0/{}/insights?metric=follower_demographics&period=lifetime&metric_type=total_value&breakdown=city", h.ig_id())).await;
    same_structure(
        &fixture("follower_demographics_city_airbyte.json"),
        &city.body,
        &[],
    )
    .unwrap();
    let age_gender = h.get(&format!("v24.0/{}/insights?metric=follower_demographics&period=lifetime&metric_type=total_value&breakdown=age,gender", h.ig_id())).await;
    same_structure(
        &fixture("follower_demographics_age_gender_airbyte.json"),
        &age_gender.body,
        &[],
    )
    .unwrap();
    let engaged = h.get(&format!("v24.0/{}/insights?metric=engaged_audience_demographics&period=lifetime&metric_type=total_value&breakdown=country&timeframe=this_month", h.ig_id())).await;
    same_structure(
        &fixture("engaged_audience_demographics_meta_doc.json"),
        &engaged.body,
        &[],
    )
    .unwrap();
}

#[tokio::test]
async fn legacy_user_insights_are_answered_with_the_removal_error() {
    let h = start().await;
    let legacy = h
        .get(&format!(
            "v24.0/{}/insights?metric=impressions,reach,profile_views&period=day",
            h.ig_id()
        ))
        .await;
    assert_eq!(legacy.error_code(), Some(100));
    assert!(
        legacy
            .message()
            .contains("must be one of the following values")
    );
}

#[tokio::test]
async fn media_insight_fixtures() {
    let h = start().await;
    let marks = h.sandbox.landmarks();
    let reel = marks.latest_reel.clone().unwrap();
    let shares = h
        .get_ig(&format!("v24.0/{reel}/insights?metric=shares,comments"))
        .await;
    same_structure(
        &fixture("media_insights_reel_meta_postman.json"),
        &shares.body,
        &[],
    )
    .unwrap();
    let image = marks.latest_image.clone().unwrap();
    let legacy = h
        .get(&format!(
            "v24.0/{image}/insights?metric=impressions,reach,saved"
        ))
        .await;
    assert!(
        legacy
            .message()
            .contains("impressions metric is no longer supported")
    );
    let reel_legacy = h
        .get(&format!(
            "v24.0/{reel}/insights?metric=comments,plays,reach"
        ))
        .await;
    assert!(
        reel_legacy
            .message()
            .contains("does not support the plays metric")
    );
    let story = marks
        .live_stories
        .iter()
        .find(|s| Some(*s) != marks.story_under_5_viewers.as_ref())
        .unwrap();
    let story_legacy = h
        .get(&format!(
            "v24.0/{story}/insights?metric=replies,impressions,reach"
        ))
        .await;
    assert!(
        story_legacy
            .message()
            .contains("impressions metric is no longer supported")
    );
    let current_story = h.get(&format!("v24.0/{story}/insights?metric=replies,reach,follows,profile_visits,shares,total_interactions")).await;
    same_structure(
        &fixture("story_insights_airbyte_test.json")["data"][0],
        &current_story.body["data"][0],
        &[],
    )
    .unwrap();
}

#[tokio::test]
async fn legacy_media_fixtures_match_before_their_removal() {
    let h = start_at("2025-01-07T12:00:00Z").await;
    let marks = h.sandbox.landmarks();
    let image = marks.latest_image.unwrap();
    let old = h
        .get(&format!(
            "v21.0/{image}/insights?metric=impressions,reach,saved"
        ))
        .await;
    same_structure(
        &fixture("media_insights_legacy_2021_pyfb.json"),
        &old.body,
        &[],
    )
    .unwrap();
    let story = marks
        .live_stories
        .iter()
        .find(|s| Some(*s) != marks.story_under_5_viewers.as_ref())
        .unwrap();
    let story_old = h.get(&format!("v21.0/{story}/insights?metric=replies,impressions,reach,follows,profile_visits,shares,total_interactions")).await;
    same_structure(
        &fixture("story_insights_airbyte_test.json"),
        &story_old.body,
        &[],
    )
    .unwrap();
}

#[tokio::test]
async fn error_fixtures_have_the_same_shape() {
    let h = start().await;
    let expired = {
        h.sandbox.advance(chrono::Duration::days(70));
        h.get("v24.0/me").await
    };
    same_structure(
        &fixture("error_expired_token_190_463.json"),
        &expired.body,
        &[],
    )
    .unwrap();
    assert_eq!(expired.status, 400);
}

#[tokio::test]
async fn token_fixtures() {
    let h = start().await;
    let url = format!(
        "{}?grant_type=fb_exchange_token&client_id={}&client_secret={}&fb_exchange_token={}",
        h.fb("v24.0/oauth/access_token"),
        h.creds.facebook_app.app_id,
        h.creds.facebook_app.app_secret,
        h.token()
    );
    let exchanged = h.get_with(&url, None).await;
    same_structure(
        &fixture("token_exchange_long_lived_pyfb.json"),
        &exchanged.body,
        &[],
    )
    .unwrap();
}
