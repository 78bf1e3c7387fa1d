//! Were the readings that fell due between two instants taken on time? Stated here from the
//! design (not from the sync's own schedule code), read back from the store alone, and shared
//! by the tests and the benchmark.
//!
//! - A post is due at each growth age (1 h, 6 h, 24 h, 3 d, 7 d, 30 d, 90 d), then on a
//!   slowing schedule: every 30 days while the step begins before a year (120 d … 390 d),
//!   every 91 days after; the reading is on time when one was taken at an age in
//!   [due, due + 1 h).
//! - A story is due for its final reading in its last hour; it is on time when its capture
//!   state is `final`, taken at an age in [23 h, 24 h). Stories Meta shows no insights for
//!   (fewer than 5 viewers) are counted apart.

use chrono::{DateTime, Duration, Utc};
use insightdesk_store::{AccountId, CaptureState, Store, TimeRange};

const GROWTH_HOURS: [i64; 7] = [1, 6, 24, 72, 168, 720, 2160];

#[derive(Debug, Default)]
pub struct OnTime {
    pub posts_due: usize,
    pub posts_on_time: usize,
    pub stories_due: usize,
    pub stories_final: usize,
    /// Stories Meta gave no insights for (too few viewers): nothing to read.
    pub stories_without_insights: usize,
    pub late: Vec<String>,
}

fn due_ages(age_now: Duration) -> Vec<Duration> {
    let mut ages: Vec<Duration> = GROWTH_HOURS.iter().map(|h| Duration::hours(*h)).collect();
    let mut next = Duration::days(120);
    while next <= age_now {
        ages.push(next);
        next += if next < Duration::days(365) {
            Duration::days(30)
        } else {
            Duration::days(91)
        };
    }
    ages
}

/// Checks the readings that fell due in (`from`, `to`].
pub fn check(store: &Store, account: AccountId, from: DateTime<Utc>, to: DateTime<Utc>) -> OnTime {
    let mut out = OnTime::default();
    let states = store.fetch_states(account).unwrap();
    let unavailable = |ig: &str, reason: &str| {
        states.iter().any(|s| {
            s.data_kind == format!("unavailable:{ig}") && s.cursor.as_deref() == Some(reason)
        })
    };
    let media = crate::support::all_media(store, account);
    for row in media
        .iter()
        .filter(|m| m.media.item.product_type != "STORY")
    {
        let item = &row.media.item;
        if unavailable(&item.ig_media_id, "before_conversion") {
            continue;
        }
        let curve = store.growth_curve(row.media.id, "reach").unwrap();
        for age in due_ages(to - item.posted_at) {
            let due = item.posted_at + age;
            if due <= from || due > to {
                continue;
            }
            out.posts_due += 1;
            let taken = curve.iter().any(|r| {
                let read_at = Duration::seconds(r.age_seconds);
                read_at >= age && read_at < age + Duration::hours(1)
            });
            if taken {
                out.posts_on_time += 1;
            } else {
                out.late.push(format!(
                    "post {} at age {}h",
                    item.ig_media_id,
                    age.num_hours()
                ));
            }
        }
    }
    let stories = store
        .stories(
            account,
            TimeRange::new(from - Duration::hours(24), to - Duration::hours(24)),
        )
        .unwrap();
    for story in stories {
        let posted = story.media.item.posted_at;
        let expires = posted + Duration::hours(24);
        if expires <= from || expires > to {
            continue;
        }
        if unavailable(&story.media.item.ig_media_id, "few_viewers") {
            out.stories_without_insights += 1;
            continue;
        }
        out.stories_due += 1;
        match story.capture {
            Some(CaptureState::Final { at })
                if at - posted >= Duration::hours(23) && at < expires =>
            {
                out.stories_final += 1;
            }
            other => out.late.push(format!(
                "story {} ended {other:?}",
                story.media.item.ig_media_id
            )),
        }
    }
    out
}

/// Whether a sync at `at` had nothing to do beyond the overview and the hourly readings of
/// live stories: no post read, no story's final reading, no account days, and (from its
/// report) no new post or story.
pub fn nothing_new_at(
    store: &Store,
    account: AccountId,
    at: DateTime<Utc>,
    media_new: u64,
) -> bool {
    if media_new > 0 {
        return false;
    }
    let posts_read = crate::support::all_media(store, account)
        .iter()
        .filter(|m| m.media.item.product_type != "STORY")
        .any(|m| {
            store
                .growth_curve(m.media.id, "reach")
                .unwrap()
                .iter()
                .any(|r| r.captured_at == at)
        });
    let finals = store
        .stories(account, TimeRange::new(at - Duration::hours(24), at))
        .unwrap()
        .iter()
        .any(|s| s.capture == Some(CaptureState::Final { at }));
    let mut days_read = false;
    store
        .export_rows(
            insightdesk_store::ExportTable::named("account_daily").unwrap(),
            |row| {
                days_read |= row.last() == Some(&insightdesk_store::ExportValue::Time(at));
                Ok::<_, insightdesk_store::StoreError>(())
            },
        )
        .unwrap();
    !posts_read && !finals && !days_read
}
