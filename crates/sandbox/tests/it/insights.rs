//! User and media insights rules, including time travel across the removal dates.

use crate::support::*;
use serde_json::Value;

fn insights(h: &Harness, query: &str) -> String {
    format!("v24.0/{}/insights?{query}", h.ig_id())
}

#[tokio::test]
async fn time_series_daily_values_follow_the_lag_and_reach_is_unique() {
    let h = start().await;
    let (since, until) = (unix("2026-11-01T08:00:00Z"), unix("2026-11-26T12:00:00Z"));
    let series = h
        .get(&insights(
            &h,
            &format!("metric=reach,follower_count&period=day&since={since}&until={until}"),
        ))
        .await;
    let reach = series.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "reach")
        .unwrap()
        .clone();
    let values = reach["values"].as_array().unwrap();
    let last_end = values.last().unwrap()["end_time"].as_str().unwrap();
    assert!(
        last_end <= "2026-11-25T08:00:00+0000",
        "the last ~48 hours are not reported yet: {last_end}"
    );
    assert!(
        values
            .iter()
            .all(|v| v["end_time"].as_str().unwrap().ends_with(":00:00+0000"))
    );
    let daily_sum: i64 = values.iter().map(|v| v["value"].as_i64().unwrap()).sum();
    let total = h
        .get(&insights(
            &h,
            &format!("metric=reach&period=day&metric_type=total_value&since={since}&until={until}"),
        ))
        .await;
    let period_reach = total.body["data"][0]["total_value"]["value"]
        .as_i64()
        .unwrap();
    assert!(
        period_reach < daily_sum,
        "reach is unique: {period_reach} < {daily_sum}"
    );
    assert!(
        series.body["paging"]["next"]
            .as_str()
            .unwrap()
            .contains(&format!("since={until}")),
        "time-based paging"
    );
    let empty = h
        .get(&insights(
            &h,
            "metric=reach&period=day&since=1795651200&until=1795737600",
        ))
        .await;
    assert_eq!(
        empty.body["data"],
        serde_json::json!([]),
        "missing data is an empty array, not zero"
    );
}

#[tokio::test]
async fn follower_deltas_add_up_to_the_change_in_followers_count() {
    let h = start_at("2026-11-20T08:00:00Z").await;
    let before = h
        .get(&format!("v24.0/{}?fields=followers_count", h.ig_id()))
        .await
        .body["followers_count"]
        .as_i64()
        .unwrap();
    h.sandbox.set_now(at("2026-11-24T08:00:00Z"));
    let after = h
        .get(&format!("v24.0/{}?fields=followers_count", h.ig_id()))
        .await
        .body["followers_count"]
        .as_i64()
        .unwrap();
    h.sandbox.set_now(at("2026-11-27T12:00:00Z"));
    let series = h
        .get(&insights(
            &h,
            &format!(
                "metric=follower_count&period=day&since={}&until={}",
                unix("2026-11-20T08:00:00Z"),
                unix("2026-11-24T08:00:00Z")
            ),
        ))
        .await;
    let values = series.body["data"][0]["values"].as_array().unwrap();
    assert_eq!(values.len(), 4);
    let sum: i64 = values.iter().map(|v| v["value"].as_i64().unwrap()).sum();
    assert_eq!(sum, after - before);
    assert!(after > before, "the demo creator grows");
}

#[tokio::test]
async fn range_and_follower_count_windows_are_enforced() {
    let h = start().await;
    let wide = h
        .get(&insights(
            &h,
            &format!(
                "metric=reach&period=day&since={}&until={}",
                unix("2026-09-01T00:00:00Z"),
                unix("2026-10-15T00:00:00Z")
            ),
        ))
        .await;
    assert_eq!(
        wide.message(),
        "(#100) There cannot be more than 30 days (2592000 s) between since and until"
    );
    let old = h
        .get(&insights(
            &h,
            &format!(
                "metric=follower_count&period=day&since={}&until={}",
                unix("2026-09-01T00:00:00Z"),
                unix("2026-09-20T00:00:00Z")
            ),
        ))
        .await;
    assert_eq!(
        old.message(),
        "(#100) (follower_count) metric only supports querying data for the last 30 days excluding the current day"
    );
    let old_reach = h
        .get(&insights(
            &h,
            &format!(
                "metric=reach&period=day&since={}&until={}",
                unix("2025-09-01T00:00:00Z"),
                unix("2025-09-20T00:00:00Z")
            ),
        ))
        .await;
    assert_eq!(
        old_reach.body["data"][0]["values"]
            .as_array()
            .unwrap()
            .len(),
        19,
        "reach goes back more than a year"
    );
}

#[tokio::test]
async fn mixed_metric_types_and_unsupported_breakdowns_fail_the_whole_call() {
    let h = start().await;
    let mixed = h
        .get(&insights(&h, "metric=reach,views,likes&period=day"))
        .await;
    assert_eq!(
        mixed.message(),
        "(#100) The following metrics (views, likes) should be specified with parameter metric_type=total_value"
    );
    let breakdown = h.get(&insights(&h, "metric=reach,accounts_engaged&period=day&metric_type=total_value&breakdown=media_product_type")).await;
    assert_eq!(
        (breakdown.error_code(), breakdown.message().as_str()),
        (Some(1), "An unknown error has occurred.")
    );
    let unknown = h
        .get(&insights(&h, "metric=reach,nonsense&period=day"))
        .await;
    assert!(
        unknown.message().starts_with(
            "(#100) metric[1] must be one of the following values: reach, follower_count"
        ),
        "{}",
        unknown.message()
    );
    let period = h
        .get(&insights(
            &h,
            "metric=views&period=lifetime&metric_type=total_value",
        ))
        .await;
    assert_eq!(period.message(), "(#100) The period param is invalid");
    let taps = h.get(&insights(&h, "metric=profile_links_taps,follows_and_unfollows&period=day&metric_type=total_value&breakdown=contact_button_type")).await;
    assert_eq!(
        taps.error_code(),
        Some(1),
        "follows_and_unfollows has no contact_button_type breakdown"
    );
    let ok = h.get(&insights(&h, &format!("metric=profile_links_taps&period=day&metric_type=total_value&breakdown=contact_button_type&since={}&until={}", unix("2026-10-30T00:00:00Z"), unix("2026-11-20T00:00:00Z")))).await;
    let results = ok.body["data"][0]["total_value"]["breakdowns"][0]["results"]
        .as_array()
        .unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["dimension_values"][0] == "DIRECTION")
    );
}

#[tokio::test]
async fn breakdown_buckets_add_up_and_views_at_least_reach() {
    let h = start().await;
    let range = format!(
        "since={}&until={}",
        unix("2026-10-27T00:00:00Z"),
        unix("2026-11-20T00:00:00Z")
    );
    let reply = h.get(&insights(&h, &format!("metric=reach,views,total_interactions,likes,comments,saves,shares&period=day&metric_type=total_value&breakdown=media_product_type&{range}"))).await;
    let data = reply.body["data"].as_array().unwrap();
    let total = |name: &str| {
        data.iter().find(|m| m["name"] == name).unwrap()["total_value"]["value"]
            .as_i64()
            .unwrap()
    };
    for metric in data {
        let sum: i64 = metric["total_value"]["breakdowns"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["value"].as_i64().unwrap())
            .sum();
        let value = metric["total_value"]["value"].as_i64().unwrap();
        assert!(
            (sum - value).abs() <= 4,
            "{}: buckets {sum} vs {value}",
            metric["name"]
        );
    }
    assert!(total("views") >= total("reach"));
    let parts = total("likes") + total("comments") + total("saves") + total("shares");
    assert!(
        total("total_interactions") >= parts,
        "interactions include story replies"
    );
    let reels = data[0]["total_value"]["breakdowns"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dimension_values"][0] == "REEL")
        .unwrap()["value"]
        .as_i64()
        .unwrap();
    let posts = data[0]["total_value"]["breakdowns"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dimension_values"][0] == "POST")
        .unwrap()["value"]
        .as_i64()
        .unwrap();
    assert!(reels > posts, "reels reach further");
}

#[tokio::test]
async fn demographics_rules() {
    let h = start().await;
    let cities = h
        .get(&insights(
            &h,
            "metric=follower_demographics&period=lifetime&metric_type=total_value&breakdown=city",
        ))
        .await;
    let results = cities.body["data"][0]["total_value"]["breakdowns"][0]["results"]
        .as_array()
        .unwrap();
    assert_eq!(results.len(), 45, "top 45 buckets");
    let engaged = h.get(&insights(&h, "metric=engaged_audience_demographics&period=lifetime&metric_type=total_value&breakdown=country&timeframe=last_90_days")).await;
    assert!(
        engaged
            .message()
            .contains("timeframe must be one of the following values: this_week, this_month"),
        "{}",
        engaged.message()
    );
    let week = h.get(&insights(&h, "metric=reached_audience_demographics&period=lifetime&metric_type=total_value&breakdown=age,gender&timeframe=this_week")).await;
    assert_eq!(
        week.body["data"][0]["total_value"]["breakdowns"][0]["dimension_keys"],
        serde_json::json!(["timeframe", "age", "gender"])
    );
    // The small account (under 100 followers) gets no demographics and no follower_count.
    let small = h.get(&format!("v24.0/{}/insights?metric=follower_demographics&period=lifetime&metric_type=total_value&breakdown=country", h.creds.small_ig_user_id)).await;
    assert_eq!(small.body["data"], serde_json::json!([]));
    let small_count = h
        .get(&format!(
            "v24.0/{}/insights?metric=follower_count,reach&period=day",
            h.creds.small_ig_user_id
        ))
        .await;
    assert!(
        small_count.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["name"] != "follower_count")
    );
    let online = h
        .get(&insights(
            &h,
            &format!(
                "metric=online_followers&period=lifetime&since={}&until={}",
                unix("2026-11-10T00:00:00Z"),
                unix(NOW)
            ),
        ))
        .await;
    let hours = online.body["data"][0]["values"][0]["value"]
        .as_object()
        .unwrap();
    assert_eq!(hours.len(), 24);
}

#[tokio::test]
async fn user_metric_removals_follow_version_and_date() {
    // 7 Jan 2025: before the v21 all-versions date. v20 still answers the old time series.
    let mut h = start_at("2025-01-07T12:00:00Z").await;
    let range = format!(
        "since={}&until={}",
        unix("2024-12-20T08:00:00Z"),
        unix("2025-01-04T08:00:00Z")
    );
    let old = h
        .get(&format!(
            "v20.0/{}/insights?metric=impressions,reach,profile_views&period=day&{range}",
            h.ig_id()
        ))
        .await;
    assert_eq!(old.status, 200, "{}", old.body);
    same_structure(
        &fixture("user_insights_legacy_2017_pyfb.json"),
        &old.body,
        &[],
    )
    .unwrap();
    let v21 = h
        .get(&format!(
            "v21.0/{}/insights?metric=reach,profile_views&period=day&{range}",
            h.ig_id()
        ))
        .await;
    assert!(
        v21.message().contains("metric_type=total_value"),
        "{}",
        v21.message()
    );
    // 8 Jan 2025: the time series are gone in every version; impressions still lives until 21 Apr.
    h.sandbox.set_now(at("2025-01-08T12:00:00Z"));
    let v20 = h
        .get(&format!(
            "v20.0/{}/insights?metric=reach,profile_views&period=day&{range}",
            h.ig_id()
        ))
        .await;
    assert!(v20.message().contains("metric_type=total_value"));
    let impressions = h
        .get(&format!(
            "v20.0/{}/insights?metric=impressions&period=day&{range}",
            h.ig_id()
        ))
        .await;
    assert_eq!(impressions.status, 200);
    h.sandbox.set_now(at("2025-02-10T12:00:00Z"));
    h.renew();
    let v22 = h
        .get(&format!(
            "v22.0/{}/insights?metric=impressions&period=day",
            h.ig_id()
        ))
        .await;
    assert!(v22.message().starts_with("(#100) Starting from version 22 and above, the impressions metric is no longer supported for the queried user."));
    // 21 Apr 2025: gone everywhere.
    h.sandbox.set_now(at("2025-04-21T12:00:00Z"));
    h.renew();
    let after = h
        .get(&format!(
            "v20.0/{}/insights?metric=impressions&period=day",
            h.ig_id()
        ))
        .await;
    assert!(
        after
            .message()
            .starts_with("(#100) metric[0] must be one of the following values: ")
    );
    assert_eq!(
        h.get(&format!(
            "v20.0/{}/insights?metric=reposts&period=day&metric_type=total_value",
            h.ig_id()
        ))
        .await
        .error_code(),
        Some(100),
        "reposts came in Dec 2025"
    );
}

fn metric_values(reply: &Reply) -> Vec<(String, Value)> {
    reply.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["values"][0]["value"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn media_insights_follow_the_product_type_matrix() {
    let h = start().await;
    let marks = h.sandbox.landmarks();
    let image = marks.latest_image.unwrap();
    let reel = marks.latest_reel.unwrap();
    let story = marks
        .live_stories
        .iter()
        .find(|s| Some(*s) != marks.story_under_5_viewers.as_ref())
        .unwrap()
        .clone();
    let ok = h.get(&format!("v24.0/{image}/insights?metric=views,reach,likes,comments,saved,shares,total_interactions,follows,profile_visits,profile_activity")).await;
    assert_eq!(metric_values(&ok).len(), 10, "{}", ok.body);
    let reel_profile = h
        .get(&format!(
            "v24.0/{reel}/insights?metric=reach,profile_visits"
        ))
        .await;
    assert_eq!(
        reel_profile.message(),
        "(#100) The Media Insights API does not support the profile_visits metric for this media product type."
    );
    let reel_ok = h.get(&format!("v24.0/{reel}/insights?metric=ig_reels_avg_watch_time,ig_reels_video_view_total_time,views")).await;
    assert_eq!(reel_ok.status, 200);
    let story_saved = h
        .get(&format!("v24.0/{story}/insights?metric=reach,saved"))
        .await;
    assert!(
        story_saved
            .message()
            .contains("does not support the saved metric")
    );
    let navigation = h
        .get(&format!(
            "v24.0/{story}/insights?metric=navigation&breakdown=story_navigation_action_type"
        ))
        .await;
    let results = navigation.body["data"][0]["total_value"]["breakdowns"][0]["results"]
        .as_array()
        .unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["dimension_values"][0] == "tap_forward")
    );
    let activity = h
        .get(&format!(
            "v24.0/{image}/insights?metric=profile_activity&breakdown=action_type"
        ))
        .await;
    same_structure(
        &fixture("media_insights_profile_activity_v18_pyfb.json"),
        &activity.body,
        &[],
    )
    .unwrap();
    let bad_breakdown = h
        .get(&format!(
            "v24.0/{image}/insights?metric=reach,profile_activity&breakdown=action_type"
        ))
        .await;
    assert_eq!(bad_breakdown.error_code(), Some(1));
    let child = h
        .get(&format!(
            "v24.0/{}/insights?metric=reach",
            marks.carousel_child.unwrap()
        ))
        .await;
    assert_eq!(
        child.error_code(),
        Some(100),
        "no insights for album children"
    );
    let crossposted = h
        .get(&format!(
            "v24.0/{}/insights?metric=facebook_views",
            marks.crossposted_reel.unwrap()
        ))
        .await;
    assert_eq!(crossposted.status, 200);
    assert!(
        h.get(&format!("v24.0/{reel}/insights?metric=facebook_views"))
            .await
            .status
            == 400
            || marks_crossposted(&h, &reel)
    );
}

fn marks_crossposted(h: &Harness, id: &str) -> bool {
    h.sandbox.landmarks().crossposted_reel.as_deref() == Some(id)
}

#[tokio::test]
async fn media_errors_for_conversion_few_viewers_and_permissions() {
    let h = start().await;
    let marks = h.sandbox.landmarks();
    let before = h
        .get(&format!(
            "v24.0/{}/insights?metric=reach",
            marks.media_before_conversion
        ))
        .await;
    let mut expected = fixture("error_posted_before_business_conversion_2108006.json");
    expected["error"]["fbtrace_id"] = before.body["error"]["fbtrace_id"].clone();
    assert_eq!(before.body, expected);
    let few = h
        .get(&format!(
            "v24.0/{}/insights?metric=reach",
            marks.story_under_5_viewers.unwrap()
        ))
        .await;
    assert_eq!(
        (few.error_code(), few.message().as_str()),
        (
            Some(10),
            "(#10) Not enough viewers for the media to show insights"
        )
    );
}

#[tokio::test]
async fn media_metric_removals_by_version_date_and_type() {
    let mut h = start_at("2025-01-07T12:00:00Z").await;
    let marks = h.sandbox.landmarks();
    let video = marks.latest_feed_video.unwrap();
    let image = marks.latest_image.unwrap();
    let reel = marks.latest_reel.unwrap();
    assert_eq!(
        h.get(&format!("v20.0/{video}/insights?metric=video_views,reach"))
            .await
            .status,
        200
    );
    let v21 = h
        .get(&format!("v21.0/{video}/insights?metric=video_views"))
        .await;
    assert_eq!(
        v21.body["error"]["message"],
        fixture("error_deprecated_metric_video_views_v21.json")["error"]["message"]
    );
    let legacy_reel = h.get(&format!("v21.0/{reel}/insights?metric=comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,plays,reach,saved,shares,ig_reels_aggregated_all_plays_count,clips_replays_count")).await;
    same_structure(
        &fixture("media_insights_reel_airbyte_test_legacy_metrics.json"),
        &legacy_reel.body,
        &[],
    )
    .unwrap();
    let views_v21 = h
        .get(&format!("v21.0/{image}/insights?metric=reach,views"))
        .await;
    same_structure(
        &fixture("error_views_not_supported_for_media_product_type.json"),
        &views_v21.body,
        &[],
    )
    .unwrap();
    assert_eq!(
        views_v21.message(),
        fixture("error_views_not_supported_for_media_product_type.json")["error"]["message"]
            .as_str()
            .unwrap()
    );
    h.sandbox.set_now(at("2025-01-08T12:00:00Z"));
    assert!(
        h.get(&format!("v20.0/{video}/insights?metric=video_views"))
            .await
            .message()
            .starts_with("(#100) Starting from version 21+")
    );
    assert_eq!(
        h.get(&format!("v21.0/{image}/insights?metric=impressions,reach"))
            .await
            .status,
        200,
        "impressions lives until 21 Apr 2025"
    );
    h.sandbox.set_now(at("2025-04-21T12:00:00Z"));
    h.renew();
    let image_now = h.sandbox.landmarks().latest_image.unwrap();
    let gone = h
        .get(&format!(
            "v21.0/{image_now}/insights?metric=impressions,reach"
        ))
        .await;
    assert!(gone.message().starts_with("(#100) Starting from version v22.0 and above, the impressions metric is no longer supported for the queried media"));
    let video_now = h.sandbox.landmarks().latest_feed_video.unwrap();
    let video_gone = h
        .get(&format!("v21.0/{video_now}/insights?metric=impressions"))
        .await;
    assert_eq!(
        video_gone.message(),
        "(#100) The Media Insights API does not support the impressions metric for this media product type."
    );
    let plays = h
        .get(&format!(
            "v21.0/{}/insights?metric=plays",
            h.sandbox.landmarks().latest_reel.unwrap()
        ))
        .await;
    assert!(
        plays
            .message()
            .contains("does not support the plays metric")
    );
}

#[tokio::test]
async fn field_expansion_counts_per_media_and_fails_whole() {
    let h = start().await;
    h.sandbox.clear_ledger();
    let ok = h.get(&format!("v24.0/{}/media?fields=id,media_product_type,insights.metric(reach,views,shares,total_interactions)&limit=10", h.ig_id())).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(
        ok.body["data"][0]["insights"]["data"]
            .as_array()
            .unwrap()
            .len()
            == 4
    );
    assert_eq!(
        h.sandbox.counted_calls(),
        11,
        "1 call + 10 expanded insights"
    );
    assert_eq!(h.sandbox.http_requests(), 1);
    let profile = h
        .get(&format!(
            "v24.0/{}/media?fields=id,insights.metric(profile_visits)&limit=50",
            h.ig_id()
        ))
        .await;
    assert_eq!(
        profile.status, 400,
        "reels reject profile_visits, so the whole page fails"
    );
}
