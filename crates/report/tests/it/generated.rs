//! A generated, realistic-looking account for the rendered-page artifacts and the benchmark
//! (`benches/render.rs` includes this file). Deterministic: the same seed writes the same
//! store.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Utc};
use insightdesk_store::{
    AccountDailyValue, AccountId, AccountProfile, Breakdown, CaptureState, DemographicsSnapshot,
    FollowersCounts, LoginKind, MediaItem, Store,
};

/// xorshift64*: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

pub struct Shape {
    pub username: &'static str,
    pub ig_user_id: &'static str,
    pub first_day: NaiveDate,
    pub days: u32,
    /// Feed posts and reels per day, on average.
    pub posts_per_day: f64,
    pub stories_per_day: f64,
    /// Growth readings per post (1 h, 6 h, 24 h, 72 h, 7 d, in that order).
    pub readings: usize,
    pub seed: u64,
}

const CAPTIONS: [&str; 12] = [
    "Fresh sourdough, straight out of the oven",
    "Behind the counter at 5 am: how the day starts",
    "Spring menu, first look: rhubarb tarts are back",
    "Three tips for flaky croissants at home",
    "Meet Jonas, our new pastry chef",
    "Saturday market stall: come say hi",
    "Why we fold butter by hand (a short reel)",
    "Rye, again, because you asked",
    "Cinnamon buns, step by step",
    "Our flour comes from a mill 40 km away",
    "Sold out by noon: thank you, Berlin!",
    "Quick poll in the stories: which bread next?",
];

/// Local posting hours (Berlin, winter) with their weights: mornings and evenings.
const HOURS: [(u32, f64); 8] = [
    (7, 2.0),
    (8, 3.0),
    (12, 2.0),
    (13, 1.0),
    (17, 2.0),
    (18, 4.0),
    (19, 3.0),
    (21, 1.0),
];

fn hour(rng: &mut Rng) -> u32 {
    let total: f64 = HOURS.iter().map(|(_, w)| w).sum();
    let mut pick = rng.range(0.0, total);
    for (hour, weight) in HOURS {
        if pick < weight {
            return hour;
        }
        pick -= weight;
    }
    18
}

fn daily(metric: &str, day: NaiveDate, value: f64) -> AccountDailyValue {
    AccountDailyValue {
        metric: metric.to_owned(),
        day,
        breakdown: None,
        value: value.round(),
    }
}

/// Writes the account; returns its id. `now` is after the last day.
pub fn write_generated(store: &mut Store, shape: &Shape, now: DateTime<Utc>) -> AccountId {
    let mut rng = Rng::new(shape.seed);
    let mut batch = store.batch().unwrap();
    let account = batch
        .upsert_account(
            &AccountProfile {
                ig_user_id: shape.ig_user_id.to_owned(),
                login_kind: LoginKind::Facebook,
                username: shape.username.to_owned(),
                name: Some("Bea's Bakery, Berlin".to_owned()),
                profile_picture_url: None,
            },
            now,
        )
        .unwrap();
    let mut followers = 12_400.0;
    let mut values = Vec::new();
    let mut serial = 0u64;
    let ages = [1, 6, 24, 72, 168];
    for offset in 0..shape.days {
        let day = shape.first_day + Days::new(u64::from(offset));
        // A slow upward trend with weekly rhythm and noise.
        let weekday = f64::from(day.weekday().num_days_from_monday());
        let wave = 1.0 + 0.18 * ((weekday - 2.0) / 2.0).cos();
        let new = (rng.range(8.0, 45.0) * wave).round();
        followers += new - rng.range(2.0, 14.0).round();
        let reach = (followers * rng.range(0.45, 0.75) * wave).round();
        let views = reach * rng.range(2.2, 3.4);
        let interactions = reach * rng.range(0.035, 0.07);
        values.extend([
            daily("reach", day, reach),
            daily("views", day, views),
            daily("accounts_engaged", day, interactions * 0.7),
            daily("total_interactions", day, interactions),
            daily("likes", day, interactions * 0.72),
            daily("comments", day, interactions * 0.06),
            daily("saves", day, interactions * 0.12),
            daily("shares", day, interactions * 0.1),
            daily("follower_count", day, new),
        ]);
        // Snapshots are missed on about one day in twenty (the app was not running).
        if rng.unit() > 0.05 {
            batch
                .record_followers(
                    account,
                    day,
                    &FollowersCounts {
                        followers_count: followers as i64,
                        follows_count: Some(480),
                        media_count: None,
                    },
                    now,
                )
                .unwrap();
        }

        let mut posts_today = shape.posts_per_day.floor() as u32;
        if rng.unit() < shape.posts_per_day.fract() {
            posts_today += 1;
        }
        for _ in 0..posts_today {
            serial += 1;
            let local_hour = hour(&mut rng);
            // Berlin is UTC+1 in winter, UTC+2 in summer; close enough for generated data.
            let posted = day
                .and_hms_opt(local_hour, (rng.next() % 60) as u32, 0)
                .unwrap()
                .and_utc()
                - TimeDelta::hours(1);
            let (product, kind) = *rng.pick(&[
                ("FEED", "IMAGE"),
                ("FEED", "IMAGE"),
                ("FEED", "CAROUSEL_ALBUM"),
                ("FEED", "CAROUSEL_ALBUM"),
                ("FEED", "VIDEO"),
                ("REELS", "VIDEO"),
                ("REELS", "VIDEO"),
                ("REELS", "VIDEO"),
            ]);
            let media = batch
                .upsert_media(
                    account,
                    &MediaItem {
                        ig_media_id: format!("{}{serial:07}", shape.ig_user_id),
                        product_type: product.to_owned(),
                        media_type: kind.to_owned(),
                        posted_at: posted,
                        caption: Some((*rng.pick(&CAPTIONS)).to_owned()),
                        permalink: Some(format!("https://www.instagram.com/p/gen{serial}/")),
                        media_url: None,
                        thumbnail_url: None,
                    },
                    now,
                )
                .unwrap();
            let evening = if (17..=19).contains(&local_hour) {
                1.35
            } else {
                1.0
            };
            let final_reach = (followers
                * rng.range(0.12, 0.45)
                * evening
                * if product == "REELS" { 2.4 } else { 1.0 })
            .round();
            let rate = rng.range(0.025, 0.075) * evening;
            let shown: Vec<i64> = ages
                .iter()
                .copied()
                .take(shape.readings)
                .filter(|h| posted + TimeDelta::hours(*h) <= now)
                .collect();
            // Some posts start fast and stall, others grow slowly: the share of the final
            // reach each reading has seen varies by post.
            let pace = rng.range(0.7, 1.3);
            for (i, hours) in shown.iter().enumerate() {
                let share = ([0.18, 0.5, 0.8, 0.95, 1.0][i.min(4)] * pace).min(1.0);
                let reach = (final_reach * share).round();
                let mut metrics = vec![("reach", reach)];
                if i + 1 == shown.len() {
                    let interactions = (reach * rate).round();
                    metrics.extend([
                        ("views", (reach * rng.range(1.3, 2.2)).round()),
                        ("likes", (interactions * 0.75).round()),
                        ("comments", (interactions * 0.07).round()),
                        ("saved", (interactions * 0.1).round()),
                        ("shares", (interactions * 0.08).round()),
                        ("total_interactions", interactions),
                    ]);
                }
                batch
                    .record_media_metrics(media, posted + TimeDelta::hours(*hours), &metrics)
                    .unwrap();
            }
        }

        let mut stories_today = shape.stories_per_day.floor() as u32;
        if rng.unit() < shape.stories_per_day.fract() {
            stories_today += 1;
        }
        for _ in 0..stories_today {
            serial += 1;
            let posted = day
                .and_hms_opt(hour(&mut rng), (rng.next() % 60) as u32, 0)
                .unwrap()
                .and_utc()
                - TimeDelta::hours(1);
            let media = batch
                .upsert_media(
                    account,
                    &MediaItem {
                        ig_media_id: format!("{}{serial:07}", shape.ig_user_id),
                        product_type: "STORY".to_owned(),
                        media_type: (*rng.pick(&["IMAGE", "VIDEO"])).to_owned(),
                        posted_at: posted,
                        caption: None,
                        permalink: None,
                        media_url: None,
                        thumbnail_url: None,
                    },
                    now,
                )
                .unwrap();
            if rng.unit() < 0.06 {
                batch
                    .record_story_capture(media, CaptureState::Missed)
                    .unwrap();
                continue;
            }
            let views = (followers * rng.range(0.05, 0.12)).round();
            let captured = posted + TimeDelta::hours(23);
            batch
                .record_media_metrics(
                    media,
                    captured,
                    &[
                        ("views", views),
                        ("reach", (views * 0.9).round()),
                        ("replies", (views * 0.004).round()),
                    ],
                )
                .unwrap();
            let exit = (views * rng.range(0.06, 0.14)).round();
            let swipe = (views * rng.range(0.04, 0.10)).round();
            let back = (views * rng.range(0.02, 0.05)).round();
            let cell = |k: &str, v: f64| (Breakdown::new("story_navigation_action_type", k), v);
            batch
                .record_media_breakdown(
                    media,
                    "navigation",
                    captured,
                    &[
                        cell("TAP_FORWARD", views - exit - swipe),
                        cell("TAP_BACK", back),
                        cell("TAP_EXIT", exit),
                        cell("SWIPE_FORWARD", swipe),
                    ],
                )
                .unwrap();
            batch
                .record_story_capture(media, CaptureState::Final { at: captured })
                .unwrap();
        }
    }
    batch.record_account_daily(account, &values, now).unwrap();

    let last = shape.first_day + Days::new(u64::from(shape.days.saturating_sub(1)));
    for (dimension, buckets) in [
        (
            "age",
            vec![
                ("13-17", 2.0),
                ("18-24", 21.0),
                ("25-34", 38.0),
                ("35-44", 22.0),
                ("45-54", 10.0),
                ("55-64", 5.0),
                ("65+", 2.0),
            ],
        ),
        ("gender", vec![("F", 64.0), ("M", 34.0), ("U", 2.0)]),
        (
            "country",
            vec![
                ("DE", 71.0),
                ("AT", 8.0),
                ("CH", 6.0),
                ("NL", 4.0),
                ("US", 3.0),
                ("FR", 2.0),
                ("PL", 2.0),
            ],
        ),
        (
            "city",
            vec![
                ("Berlin, Berlin", 52.0),
                ("Hamburg, Hamburg", 7.0),
                ("Munich, Bavaria", 6.0),
                ("Vienna, Vienna", 5.0),
                ("Leipzig, Saxony", 4.0),
                ("Potsdam, Brandenburg", 4.0),
                ("Zürich, Zürich", 3.0),
            ],
        ),
    ] {
        let scale = followers / 100.0;
        batch
            .record_demographics(
                account,
                &DemographicsSnapshot {
                    metric: "follower_demographics".to_owned(),
                    timeframe: None,
                    dimension: dimension.to_owned(),
                    snapshot_day: last,
                    buckets: buckets
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), (v * scale).round()))
                        .collect(),
                },
                now,
            )
            .unwrap();
    }
    let middle = shape.first_day + Days::new(u64::from(shape.days / 2));
    let noon = |d: NaiveDate| d.and_hms_opt(11, 0, 0).unwrap().and_utc();
    batch
        .add_annotation(account, noon(middle), None, "Launched the spring menu", now)
        .unwrap();
    batch
        .add_annotation(
            account,
            noon(middle + Days::new(5)),
            Some(noon(middle + Days::new(6))),
            "Market stall at Kollwitzplatz, with a giveaway in the stories",
            now,
        )
        .unwrap();
    batch.commit().unwrap();
    account
}
