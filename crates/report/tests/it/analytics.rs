//! Golden tests: every analytic on tiny data, with the expected numbers worked out by hand in
//! the comments. The pure functions are fed rows directly; `bea_*` tests read the same
//! numbers back through `build_report` from a real store (see `sample.rs`).

use std::collections::BTreeMap;

use chrono::TimeDelta;
use insightdesk_report::analytics::{
    Confidence, ContentType, Navigation, Ranking, best_time, content_mix, delta, engagement_rate,
    follower_growth, growth_against_median, period_sum, period_unique, story_completion, top_posts,
};
use insightdesk_report::{Measure, Period, build_report};
use insightdesk_store::{
    AccountWindowValue, AgeMedian, DailyValue, FollowersPoint, MediaId, MetricReading, PostingTime,
    WindowValue,
};

use crate::sample::{at, bea_request, bea_store, day, week};

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

#[test]
fn engagement_rate_divides_interactions_by_the_base() {
    // 50 / 1000 = 0.05
    close(engagement_rate(Some(50.0), Some(1000.0)), 0.05);
    assert_eq!(engagement_rate(Some(50.0), Some(0.0)), None);
    assert_eq!(engagement_rate(None, Some(1000.0)), None);
    assert_eq!(engagement_rate(Some(50.0), None), None);
}

#[test]
fn deltas_give_the_change_and_its_share_of_the_earlier_value() {
    // 1050 - 1010 = 40; 40 / 1010 = 0.039604
    let d = delta(Some(1050.0), Some(1010.0));
    close(d.change, 40.0);
    close(d.change_ratio, 40.0 / 1010.0);
    // From a negative earlier value the share is of its size: (-5 - -10) / 10 = 0.5
    close(delta(Some(-5.0), Some(-10.0)).change_ratio, 0.5);
    // Nothing to compare with: no change, no share. An earlier zero: a change, no share.
    assert_eq!(delta(Some(3.0), None).change, None);
    let from_zero = delta(Some(3.0), Some(0.0));
    close(from_zero.change, 3.0);
    assert_eq!(from_zero.change_ratio, None);
}

fn point(d: &str, followers: i64) -> FollowersPoint {
    FollowersPoint {
        day: day(d),
        followers_count: followers,
        follows_count: None,
        media_count: None,
    }
}

fn value(d: &str, v: f64) -> DailyValue {
    DailyValue {
        day: day(d),
        breakdown_value: None,
        value: v,
    }
}

#[test]
fn follower_growth_measures_from_the_last_snapshot_before_the_period() {
    let snapshots = [
        point("2025-01-20", 900), // more than 31 days before 3 March: never the baseline
        point("2025-03-02", 1010),
        point("2025-03-03", 1012),
        point("2025-03-05", 1020),
        point("2025-03-09", 1050),
    ];
    let new = [
        value("2025-03-03", 5.0),
        value("2025-03-04", 7.0),
        value("2025-03-10", 99.0),
    ];
    let growth = follower_growth(&week(), &snapshots, &new);
    // Baseline 2 March (1010), end 9 March (1050): +40, 40 / 1010 = 0.0396.
    assert_eq!(growth.baseline, Some((day("2025-03-02"), 1010)));
    assert_eq!(growth.end, Some((day("2025-03-09"), 1050)));
    assert_eq!(growth.net_change, Some(40));
    close(growth.growth_rate, 40.0 / 1010.0);
    // New followers 5 + 7 = 12 over 2 days; 10 March is outside the week.
    close(growth.new_followers, 12.0);
    assert_eq!((growth.new_follower_days, growth.snapshot_days), (2, 3));
    // Seven days; days without a snapshot stay empty, never filled in.
    let followers: Vec<Option<i64>> = growth.days.iter().map(|d| d.followers).collect();
    assert_eq!(
        followers,
        [Some(1012), None, Some(1020), None, None, None, Some(1050)]
    );

    // With no earlier snapshot in reach, the first in the period is the baseline: the
    // period of 2-9 March starts from 1010 and ends at 1050.
    let from_inside = follower_growth(
        &Period::custom(day("2025-03-02"), day("2025-03-09")).unwrap(),
        &snapshots[1..],
        &[],
    );
    assert_eq!(from_inside.net_change, Some(40));
    assert_eq!(from_inside.new_followers, None);
    // One snapshot alone is no change.
    let single = follower_growth(
        &Period::custom(day("2025-03-09"), day("2025-03-09")).unwrap(),
        &[point("2025-03-09", 1050)],
        &[],
    );
    assert_eq!(single.net_change, None);
}

#[test]
fn story_completion_counts_exits_and_swipes_against_views() {
    // s1: exits 20 + swipes 10 = 30 of 200 views: 1 - 30/200 = 0.85.
    let s1 = Navigation::from_cells([
        ("TAP_FORWARD", 150.0),
        ("TAP_BACK", 10.0),
        ("TAP_EXIT", 20.0),
        ("SWIPE_FORWARD", 10.0),
    ]);
    close(story_completion(&s1, Some(200.0)), 0.85);
    // Lower-case keys are the same actions; unknown ones are ignored.
    let s2 = Navigation::from_cells([
        ("tap_forward", 60.0),
        ("tap_back", 5.0),
        ("tap_exit", 25.0),
        ("swipe_forward", 15.0),
        ("new_action", 9.0),
    ]);
    assert_eq!(s2.exits(), 40.0);
    close(story_completion(&s2, Some(100.0)), 0.6);
    assert_eq!(story_completion(&s2, None), None);
    assert_eq!(story_completion(&s2, Some(0.0)), None);
    // More exits than views (Meta's estimates disagree): never below zero.
    close(story_completion(&s2, Some(30.0)), 0.0);
}

fn reading(hours: i64, value: f64) -> MetricReading {
    MetricReading {
        captured_at: at("2025-03-05T17:30:00Z") + TimeDelta::hours(hours),
        age_seconds: hours * 3600,
        value,
    }
}

fn age_median(hours: i64, median: Option<f64>, peers: u32) -> AgeMedian {
    AgeMedian {
        age_seconds: hours * 3600,
        median,
        media_count: peers,
    }
}

#[test]
fn growth_is_compared_with_the_median_at_the_same_age() {
    // The post was read at 1 h (600), 20 h (2600) and 28 h (3400); at 24 h its value is
    // interpolated: 2600 + (3400 - 2600) * 4/8 = 3000. It has no reading near 7 days.
    let readings = [reading(28, 3400.0), reading(1, 600.0), reading(20, 2600.0)];
    let medians = [
        age_median(1, Some(300.0), 2),
        age_median(24, Some(1300.0), 2),
        age_median(168, Some(1800.0), 2),
        age_median(720, None, 0),
    ];
    let points = growth_against_median(&readings, &medians);
    let labels: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["1 h", "1 day", "7 days", "30 days"]);
    close(points[0].post, 600.0);
    close(points[0].ratio, 2.0); // 600 / 300
    close(points[1].post, 3000.0);
    close(points[1].ratio, 3000.0 / 1300.0);
    assert_eq!((points[2].post, points[2].ratio), (None, None));
    assert_eq!((points[3].median, points[3].peers), (None, 0));
}

fn posting(weekday_day: &str, hour: u32, reach: f64, interactions: f64) -> PostingTime {
    PostingTime {
        media_id: MediaId(0),
        posted_at: at(&format!("{weekday_day}T{hour:02}:15:00Z")),
        product_type: "FEED".to_owned(),
        media_type: "IMAGE".to_owned(),
        values: BTreeMap::from([
            ("reach".to_owned(), reach),
            ("total_interactions".to_owned(), interactions),
        ]),
    }
}

#[test]
fn best_time_compares_only_slots_with_enough_posts() {
    let utc: chrono_tz::Tz = "UTC".parse().unwrap();
    // Tuesdays (4 March and later) at 18:xx: rates 2, 3, 4, 5, 6 % -> median 4 % over 5.
    // Thursdays at 09:xx: 1, 2, 5, 5, 6, 7 % -> median (5 + 5) / 2 = 5 % over 6.
    // Saturdays at 12:xx: 20 % three times, but 3 posts are below the minimum of 5.
    // A story on a Sunday does not count; a post without reach counts as "without rate".
    let mut times = Vec::new();
    for (i, rate) in [2.0, 3.0, 4.0, 5.0, 6.0].into_iter().enumerate() {
        let d = day("2025-03-04") + TimeDelta::days(7 * i as i64);
        times.push(posting(&d.to_string(), 18, 100.0, rate));
    }
    for (i, rate) in [1.0, 2.0, 5.0, 5.0, 6.0, 7.0].into_iter().enumerate() {
        let d = day("2025-01-02") + TimeDelta::days(7 * i as i64);
        times.push(posting(&d.to_string(), 9, 100.0, rate));
    }
    for i in 0..3 {
        let d = day("2025-03-01") + TimeDelta::days(7 * i);
        times.push(posting(&d.to_string(), 12, 100.0, 20.0));
    }
    let mut story = posting("2025-03-02", 10, 100.0, 50.0);
    story.product_type = "STORY".to_owned();
    times.push(story);
    let mut unread = posting("2025-03-03", 10, 100.0, 5.0);
    unread.values.remove("reach");
    times.push(unread);

    let best = best_time(&times, utc, day("2025-01-01"), day("2025-04-30"), 5);
    // 5 + 6 + 3 posts were placed; the story is not a post; one post had no reach.
    assert_eq!((best.posts_considered, best.posts_without_rate), (14, 1));
    assert_eq!(best.grid[1][18].posts, 5);
    close(best.grid[1][18].median_rate, 0.04);
    close(best.grid[3][9].median_rate, 0.05);
    assert_eq!(best.grid[5][12].posts, 3);
    assert_eq!(best.slots_compared, 2);
    let slot = best.best_slot.unwrap();
    assert_eq!((slot.weekday, slot.hour, slot.stats.posts), (3, 9, 6));
    // 6 posts is fewer than twice the minimum: low confidence, and the note says so.
    assert_eq!(best.confidence, Confidence::Low);
    assert!(
        best.note.starts_with(
            "Thursday 09:00–10:00 did best: median engagement rate 5.0% over 6 posts, against \
             1 other slot with at least 5 posts. Low confidence"
        ),
        "{}",
        best.note
    );
    // By weekday alone Saturday's 3 posts are still too few; Thursday leads Tuesday.
    assert_eq!(best.best_weekday.map(|(d, _)| d), Some(3));

    // Four more Thursday posts make ten: moderate confidence.
    for (i, rate) in [5.0, 5.0, 5.0, 5.0].into_iter().enumerate() {
        let d = day("2025-02-13") + TimeDelta::days(7 * i as i64);
        times.push(posting(&d.to_string(), 9, 100.0, rate));
    }
    let more = best_time(&times, utc, day("2025-01-01"), day("2025-04-30"), 5);
    assert_eq!(more.best_slot.map(|s| s.stats.posts), Some(10));
    assert_eq!(more.confidence, Confidence::Moderate);

    // With a minimum of 7 no slot qualifies: no recommendation, and the note says why.
    let strict = best_time(&times[..14], utc, day("2025-01-01"), day("2025-04-30"), 7);
    assert_eq!(
        (strict.best_slot, strict.confidence),
        (None, Confidence::NotEnoughData)
    );
    assert!(
        strict
            .note
            .starts_with("Not enough posts to recommend a time yet"),
        "{}",
        strict.note
    );
}

#[test]
fn bea_posts_get_both_engagement_rates() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let rates: Vec<(&str, Option<f64>, Option<i64>)> = report
        .feed_posts()
        .map(|p| {
            (
                p.ig_media_id.as_str(),
                p.engagement_rate_by_reach,
                p.followers_at_posting,
            )
        })
        .collect();
    // p5 went up on Monday 10 March in Berlin: not in the week.
    let ids: Vec<&str> = rates.iter().map(|r| r.0).collect();
    assert_eq!(ids, ["p1", "p2", "p3", "p4"]);
    // By reach: 50/1000, 120/4000, 64/800, 30/600.
    for ((_, rate, _), expected) in rates.iter().zip([0.05, 0.03, 0.08, 0.05]) {
        close(*rate, expected);
    }
    // Followers on the local posting day: Mon 3rd 1012, Wed 5th 1020, Fri 7th 1030, and p4
    // (Sunday 22:30 in Berlin, 21:30 UTC) the 9th's 1050.
    let followers: Vec<Option<i64>> = rates.iter().map(|r| r.2).collect();
    assert_eq!(followers, [Some(1012), Some(1020), Some(1030), Some(1050)]);
    let by_followers: Vec<Option<f64>> = report
        .feed_posts()
        .map(|p| p.engagement_rate_by_followers)
        .collect();
    close(by_followers[0], 50.0 / 1012.0);
    close(by_followers[1], 120.0 / 1020.0);
}

#[test]
fn bea_key_numbers_are_the_hand_computed_ones() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let kpi = |m: Measure| report.kpis.iter().find(|k| k.measure == m).unwrap();

    // Followers: end of this week 1050 (9 March), of last week 1010 (2 March).
    let followers = kpi(Measure::Followers);
    assert_eq!(
        (followers.delta.current, followers.delta.previous),
        (Some(1050.0), Some(1010.0))
    );
    // Change: this week 1050 - 1010 = +40; last week 1010 - 980 (24 Feb, its first) = +30.
    let change = kpi(Measure::FollowerChange);
    assert_eq!(
        (
            change.delta.current,
            change.delta.previous,
            change.delta.change
        ),
        (Some(40.0), Some(30.0), Some(10.0))
    );
    // New followers: 5 + 7 + 6 = 18 on 3 of 7 days; last week 7 x 4 = 28 on all 7. Three
    // days against seven would be no comparison at all, so there is none.
    let new = kpi(Measure::NewFollowers);
    assert_eq!((new.delta.current, new.delta.previous), (Some(18.0), None));
    assert_eq!(
        new.note.as_deref(),
        Some("3 of 7 days recorded; too few to compare with the previous period")
    );
    // Reach is Meta's total for the range as given, never the sum of the days (16,300).
    let reach = kpi(Measure::AccountReach);
    assert_eq!(
        (reach.delta.current, reach.delta.previous),
        (Some(9800.0), Some(8700.0))
    );
    // Views: 2000 + 2500 + 2200 + 9800 + 3000 + 2100 + 1900 = 23,500; last week 14,000.
    let views = kpi(Measure::Views);
    assert_eq!(
        (views.delta.current, views.delta.previous),
        (Some(23500.0), Some(14000.0))
    );
    close(views.delta.change_ratio, 9500.0 / 14000.0);
    // Interactions: 60 + 40 + 30 + 150 + 90 + 20 + 45 = 435; last week 350.
    assert_eq!(kpi(Measure::Interactions).delta.current, Some(435.0));
    // Posts: p1-p4 against q1, q2.
    let posts = kpi(Measure::PostsPublished);
    assert_eq!(
        (posts.delta.current, posts.delta.previous),
        (Some(4.0), Some(2.0))
    );
    // Median engagement rate: [0.03, 0.05, 0.05, 0.08] -> 0.05; last week [0.04, 0.05] -> 0.045.
    let rate = kpi(Measure::MedianEngagementRate);
    close(rate.delta.current, 0.05);
    close(rate.delta.previous, 0.045);
    close(rate.delta.change, 0.005);
}

#[test]
fn bea_reach_without_meta_total_is_not_available_and_days_are_a_series() {
    let (_dir, store, bea) = bea_store();
    let mut request = bea_request(&bea);
    request.reach = Default::default();
    let report = build_report(&store, &request).unwrap();
    let reach = report
        .kpis
        .iter()
        .find(|k| k.measure == Measure::AccountReach)
        .unwrap();
    assert_eq!(reach.delta.current, None);
    assert_eq!(
        reach.note.as_deref(),
        Some("Instagram gave no total for this range")
    );
    // The daily values are all there, one per day, as Meta gave them.
    let daily: Vec<Option<f64>> = report.daily.iter().map(|d| d.reach).collect();
    assert_eq!(
        daily,
        [1500.0, 1800.0, 1600.0, 5200.0, 2100.0, 1700.0, 1400.0].map(Some)
    );

    // A month cannot get a total from Meta (30 days at most), and says so.
    let mut month = request.clone();
    month.period = Period::month_containing(day("2025-03-01"));
    let report = build_report(&store, &month).unwrap();
    let reach = report
        .kpis
        .iter()
        .find(|k| k.measure == Measure::AccountReach)
        .unwrap();
    assert!(reach.note.as_deref().unwrap().contains("30 days at most"));
}

#[test]
fn bea_content_mix_and_top_posts() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    // 7 items: p1 image, p3 carousel, p4 video, p2 reel, s1-s3 stories.
    let mix: Vec<(ContentType, u32)> = report
        .content_mix
        .iter()
        .map(|r| (r.content_type, r.posts))
        .collect();
    assert_eq!(
        mix,
        [
            (ContentType::Image, 1),
            (ContentType::Carousel, 1),
            (ContentType::Video, 1),
            (ContentType::Reel, 1),
            (ContentType::Story, 3)
        ]
    );
    let stories = &report.content_mix[4];
    close(Some(stories.share), 3.0 / 7.0);
    // Story reach 180 and 90 (s3 has none): median 135. Stories have no interactions.
    close(stories.median_reach, 135.0);
    assert_eq!(stories.median_engagement_rate, None);

    let ranked = |ranking: Ranking| -> Vec<(String, f64)> {
        let list = report
            .top_posts
            .iter()
            .find(|l| l.ranking == ranking)
            .unwrap();
        list.posts
            .iter()
            .map(|r| (r.post.ig_media_id.clone(), r.value))
            .collect()
    };
    // p1 and p4 tie at 0.05: the earlier post first.
    let by_rate: Vec<String> = ranked(Ranking::EngagementRate)
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(by_rate, ["p3", "p1", "p4", "p2"]);
    let by_reach = ranked(Ranking::Reach);
    assert_eq!(by_reach[0], ("p2".to_owned(), 4000.0));
    // Saves + shares: p2 20 + 30 = 50, p3 12 + 1 = 13, p1 5 + 3 = 8, p4 2 + 0 = 2.
    let by_keeps: Vec<f64> = ranked(Ranking::SavesAndShares)
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(by_keeps, [50.0, 13.0, 8.0, 2.0]);
    // The pure function on the same rows, with a limit.
    let top_two = top_posts(&report.posts, Ranking::Reach, 2);
    assert_eq!(top_two.len(), 2);
    assert_eq!(top_two[1].rank, 2);
    assert_eq!(content_mix(&[]).iter().map(|r| r.posts).sum::<u32>(), 0);
}

#[test]
fn bea_best_time_has_no_recommendation_from_seven_posts() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let best = &report.best_time;
    // 90 days ending 9 March: 10 December 2024 onwards.
    assert_eq!(
        (best.window_first, best.window_last),
        (day("2024-12-10"), day("2025-03-09"))
    );
    // q0, q1, q2, p1-p4 (p5 is local Monday 10 March; stories are not posts).
    assert_eq!(best.posts_considered, 7);
    // In Berlin time: q0 Monday 18:00, p1 Monday 09:00, p2 Wednesday 18:00, p4 Sunday 22:00.
    assert_eq!(best.grid[0][18].posts, 1);
    assert_eq!(best.grid[0][9].posts, 1);
    assert_eq!(best.grid[2][18].posts, 1);
    assert_eq!(best.grid[6][22].posts, 1);
    assert_eq!(best.best_slot, None);
    assert_eq!(best.confidence, Confidence::NotEnoughData);
    assert_eq!(
        best.note,
        "Not enough posts to recommend a time yet: a slot needs at least 5 posts before it is \
         compared, and the busiest one (Monday 09:00–10:00) has 1. 7 posts from 10 December \
         2024 – 9 March 2025 were placed in the grid."
    );
}

#[test]
fn bea_stories_use_the_latest_navigation_capture() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let stories = &report.stories;
    let ids: Vec<&str> = stories
        .stories
        .iter()
        .map(|s| s.ig_media_id.as_str())
        .collect();
    assert_eq!(ids, ["s1", "s2", "s3"]);
    close(stories.stories[0].completion, 0.85);
    // s2's early capture (exit 5) is replaced by the final one: 1 - (25 + 15) / 100 = 0.6.
    close(stories.stories[1].completion, 0.6);
    assert_eq!(stories.stories[2].capture, "missed");
    assert_eq!(stories.missed, 1);
    // Period: exits 20 + 10 + 25 + 15 = 70 over 200 + 100 views: 1 - 70/300.
    assert_eq!(stories.totals.tap_forward, 210.0);
    close(stories.completion, 1.0 - 70.0 / 300.0);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("1 story expired"))
    );
}

#[test]
fn bea_top_reel_grows_against_the_median_of_reels() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let growth = report.growth.as_ref().unwrap();
    assert_eq!(growth.post.media_id, bea.p2);
    assert_eq!(growth.peers_label, "reels");
    // p2 is 6 days 15.5 hours old at NOW: ages 1 h, 6 h, 1 day and 3 days only.
    // Peers q0 and q2: medians (200+400)/2, (600+1000)/2, (1000+1600)/2, (1200+2000)/2.
    let points: Vec<(String, Option<f64>, Option<f64>, u32)> = growth
        .points
        .iter()
        .map(|p| (p.label.clone(), p.post, p.median, p.peers))
        .collect();
    assert_eq!(
        points,
        [
            ("1 h".to_owned(), Some(600.0), Some(300.0), 2),
            ("6 h".to_owned(), Some(1800.0), Some(800.0), 2),
            ("1 day".to_owned(), Some(3000.0), Some(1300.0), 2),
            ("3 days".to_owned(), Some(4000.0), Some(1600.0), 2),
        ]
    );
    close(growth.points[3].ratio, 2.5);
}

#[test]
fn bea_demographics_and_notes() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let groups: Vec<&str> = report
        .demographics
        .groups
        .iter()
        .map(|g| g.dimension.as_str())
        .collect();
    assert_eq!(groups, ["age", "gender", "country", "city"]);
    // Age: 500 of 300 + 500 + 150 + 50 = 1000 are 25-34.
    let age = &report.demographics.groups[0];
    assert_eq!(age.buckets[0].key, "25-34");
    close(Some(age.buckets[0].share), 0.5);
    assert_eq!(report.demographics.groups[1].buckets[0].label, "Women");
    let notes: Vec<&str> = report.annotations.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(
        notes,
        ["Launched the spring menu", "Market stall at Kollwitzplatz"]
    );
    // The local time of the first note: 17:00 UTC is 18:00 in Berlin.
    assert_eq!(
        report.annotations[0].starts_local.to_rfc3339(),
        "2025-03-05T18:00:00+01:00"
    );
}

fn window(first: &str, last: &str, value: f64) -> WindowValue {
    WindowValue {
        first_day: day(first),
        last_day: day(last),
        breakdown_value: None,
        value,
    }
}

#[test]
fn period_sums_add_days_and_whole_windows_but_never_split_a_window() {
    let march = Period::month_containing(day("2025-03-01"));
    let daily = [
        value("2025-02-28", 7.0), // the day before March
        value("2025-03-29", 100.0),
        value("2025-03-30", 200.0),
        value("2025-03-31", 300.0),
        DailyValue {
            breakdown_value: Some("REEL".to_owned()),
            ..value("2025-03-30", 50.0)
        },
    ];
    let windows = [
        window("2025-03-01", "2025-03-28", 5000.0), // inside, disjoint: counted
        window("2025-03-15", "2025-03-31", 9999.0), // overlaps what is counted: left out
        window("2025-02-20", "2025-03-10", 4444.0), // reaches outside March: left out
    ];
    // 100 + 200 + 300 + 5000 = 5600, every one of the 31 days covered.
    let sum = period_sum(&march, &daily, &windows);
    assert_eq!(
        (sum.value, sum.days_covered, sum.days),
        (Some(5600.0), 31, 31)
    );
    // Without the window: 600 over 3 of 31 days.
    let days_only = period_sum(&march, &daily, &[]);
    assert_eq!((days_only.value, days_only.days_covered), (Some(600.0), 3));
    assert_eq!(period_sum(&week(), &[], &[]).value, None);

    // A unique count exists only for exactly the period.
    let reach = [
        window("2025-03-01", "2025-03-31", 41_000.0),
        window("2025-03-01", "2025-03-30", 40_000.0),
    ];
    assert_eq!(period_unique(&march, &reach), Some(41_000.0));
    assert_eq!(period_unique(&week(), &reach), None);
}

#[test]
fn bea_reach_comes_from_the_stores_window_for_exactly_the_week() {
    let (_dir, mut store, bea) = bea_store();
    let fetched = at("2025-03-12T00:00:00Z");
    let reach = |first: &str, last: &str, value: f64| AccountWindowValue {
        metric: "reach".to_owned(),
        first_day: day(first),
        last_day: day(last),
        breakdown: None,
        value,
    };
    let mut batch = store.batch().unwrap();
    batch
        .record_account_window(
            bea.account,
            &[
                reach("2025-03-03", "2025-03-09", 9500.0),
                reach("2025-02-24", "2025-03-02", 8000.0),
                reach("2025-03-03", "2025-03-08", 9100.0), // another window: not the week
            ],
            fetched,
        )
        .unwrap();
    batch.commit().unwrap();
    let mut request = bea_request(&bea);
    request.reach = Default::default();
    let report = build_report(&store, &request).unwrap();
    let kpi = report
        .kpis
        .iter()
        .find(|k| k.measure == Measure::AccountReach)
        .unwrap();
    assert_eq!(
        (kpi.delta.current, kpi.delta.previous, kpi.note.as_deref()),
        (Some(9500.0), Some(8000.0), None)
    );
    // A total the caller just got from Meta wins over the stored one.
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let kpi = report
        .kpis
        .iter()
        .find(|k| k.measure == Measure::AccountReach)
        .unwrap();
    assert_eq!(kpi.delta.current, Some(9800.0));
}
