//! The planner: what is due at `now`, as work items, cheapest and most urgent first. Pure: it
//! reads a [`Snapshot`] of the store (loaded by the engine) and the catalog, so a resumed run,
//! which plans again from the store, asks only for what the interrupted one did not write.
//!
//! Order: stories (they vanish after 24 hours), posts by age (young growth readings first),
//! recent account days, demographics, then account history.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use insightdesk_graph::catalog::{MetricType, Selector};
use insightdesk_graph::models::MediaProductType;
use insightdesk_graph::models::insights::Period;
use insightdesk_graph::{ApiVersion, Catalog, LoginKind};
use serde::{Deserialize, Serialize};

use crate::days::{DaySpan, pacific_date, spans_newest_first};
use crate::dropped::{Asked, Dropped, Recorded, dropped};
use crate::policy::SyncPolicy;
use crate::schedule::{StoryFacts, StoryReading, post_due, story_due};
use crate::work::{Ask, MediaRef, Tag, Work};

/// Breakdowns a total-value metric is read with, in order of preference: the first one it
/// takes. Its answer carries the metric's total too, so no request without it is needed.
const PREFERRED_BREAKDOWNS: [&str; 3] =
    ["media_product_type", "contact_button_type", "follow_type"];

/// Meta's `follower_count` answers only the last 30 days excluding today; the days the sync
/// asks it for start a day later, so a clock change never pushes `since` past Meta's limit.
const RECENT_SERIES_DAYS: i64 = 29;

/// Why a post or story has no insights to read (kept in the store's fetch state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// Published before the account became professional: never any insights.
    BeforeConversion,
    /// A story seen by fewer than 5 accounts (Meta may answer later).
    FewViewers,
    /// Meta says the post is gone or not visible (asked again after a week).
    Gone,
}

impl Unavailable {
    pub const PREFIX: &'static str = "unavailable:";

    pub fn as_str(self) -> &'static str {
        match self {
            Unavailable::BeforeConversion => "before_conversion",
            Unavailable::FewViewers => "few_viewers",
            Unavailable::Gone => "gone",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "before_conversion" => Some(Unavailable::BeforeConversion),
            "few_viewers" => Some(Unavailable::FewViewers),
            "gone" => Some(Unavailable::Gone),
            _ => None,
        }
    }
}

/// How far the account history backfill got (the fetch state's cursor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryCursor {
    /// The newest day the history covers (the day before the first daily range).
    pub newest: NaiveDate,
    /// Every day from here to `newest` is read.
    pub done_to: Option<NaiveDate>,
    /// Nothing older to read: the history reached its limit or Meta answered nothing.
    pub complete: bool,
}

/// What the planner knows about one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFacts {
    pub media: MediaRef,
    pub last_reading: Option<DateTime<Utc>>,
}

/// The store as the planner sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub followers: Option<i64>,
    pub posts: Vec<PostFacts>,
    pub stories: Vec<(MediaRef, StoryFacts)>,
    /// By Meta's media id: why and since when.
    pub unavailable: HashMap<String, (Unavailable, DateTime<Utc>)>,
    /// When the account's daily metrics were last complete.
    pub daily_fetched: Option<DateTime<Utc>>,
    /// The newest day Meta answered daily account metrics for.
    pub daily_newest: Option<NaiveDate>,
    pub demographics_fetched: Option<DateTime<Utc>>,
    pub history: Option<HistoryCursor>,
    /// The metrics the store has readings of.
    pub recorded: Recorded,
    /// Data kinds of the metrics whose end was told already ([`Dropped::PREFIX`]).
    pub said_dropped: HashSet<String>,
}

/// The account-level requests of the catalog, grouped as Meta requires: one group per
/// (metric type, breakdown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountGroups {
    /// Time-series day metrics with no lookback limit (`reach`).
    pub series: Vec<String>,
    /// Time-series day metrics Meta answers for recent days only (`follower_count`).
    pub recent_series: Vec<String>,
    /// Total-value day metrics by the breakdown they are read with.
    pub totals: Vec<(Option<String>, Vec<String>)>,
    /// (metric, breakdown, timeframe) of the demographics.
    pub demographics: Vec<(String, String, Option<String>)>,
    /// `online_followers` (lifetime time series) is answered.
    pub online: bool,
    /// Metrics left out because the account has fewer followers than Meta requires.
    pub withheld: Vec<String>,
}

/// Picks the account requests from the catalog for `version` on `date`.
pub fn account_groups(
    catalog: &Catalog,
    version: ApiVersion,
    login: LoginKind,
    date: NaiveDate,
    followers: Option<i64>,
) -> AccountGroups {
    let mut groups = AccountGroups::default();
    for spec in catalog.default_set(&Selector::user(version, login, date)) {
        let too_few = spec
            .min_followers
            .zip(followers)
            .is_some_and(|(min, have)| have < i64::try_from(min).unwrap_or(i64::MAX));
        if too_few {
            if !groups.withheld.contains(&spec.name) {
                groups.withheld.push(spec.name.clone());
            }
            continue;
        }
        let name = spec.name.clone();
        if spec.breakdown_required {
            for breakdown in &spec.breakdowns {
                groups.demographics.push((
                    name.clone(),
                    breakdown.clone(),
                    spec.timeframes.first().cloned(),
                ));
            }
            continue;
        }
        let time_series = spec.metric_types.contains(&MetricType::TimeSeries);
        if time_series && spec.periods.contains(&Period::Lifetime) {
            groups.online = true;
            continue;
        }
        if time_series && spec.periods.contains(&Period::Day) {
            if spec.lookback_days.is_some() {
                groups.recent_series.push(name.clone());
            } else {
                groups.series.push(name.clone());
            }
        }
        if spec.metric_types.contains(&MetricType::TotalValue)
            && spec.periods.contains(&Period::Day)
        {
            let breakdown = PREFERRED_BREAKDOWNS
                .iter()
                .find(|b| spec.breakdowns.iter().any(|s| s == *b))
                .map(|b| (*b).to_owned());
            match groups.totals.iter_mut().find(|(b, _)| *b == breakdown) {
                Some((_, metrics)) => metrics.push(name),
                None => groups.totals.push((breakdown, vec![name])),
            }
        }
    }
    groups
}

/// What the planner is told besides the snapshot.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub now: DateTime<Utc>,
    pub catalog: &'a Catalog,
    pub version: ApiVersion,
    pub login: LoginKind,
    pub policy: &'a SyncPolicy,
}

/// The recent account days planned in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyPlan {
    pub days: Option<DaySpan>,
}

/// The history chunks planned in this run, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPlan {
    pub cursor: HistoryCursor,
    pub chunks: Vec<DaySpan>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub works: Vec<Work>,
    pub warnings: Vec<String>,
    pub daily: Option<DailyPlan>,
    pub demographics: bool,
    pub history: Option<HistoryPlan>,
    /// Metrics with history that are no longer asked for, told in this run's warnings; their
    /// data kinds are marked with the warning so no later run tells them again.
    pub dropped: Vec<String>,
}

fn is_fresh(fetched: Option<DateTime<Utc>>, max_age: Duration, now: DateTime<Utc>) -> bool {
    fetched.is_some_and(|at| now - at < max_age)
}

fn media_works(
    ctx: &Context<'_>,
    media: &MediaRef,
    tag: Tag,
    story: Option<StoryReading>,
) -> Vec<Work> {
    let selector = Selector::media(
        ctx.version,
        ctx.login,
        ctx.now.date_naive(),
        media.product.clone(),
        media.media_type.clone(),
    );
    let mut groups = ctx.catalog.media_groups(&selector);
    if story == Some(StoryReading::Live) {
        // Hourly story readings take the plain metrics; the breakdowns come with the final one.
        groups.truncate(1);
    }
    groups
        .into_iter()
        .map(|group| Work {
            tag,
            ask: Ask::Media {
                media: media.clone(),
                metrics: group.metrics,
                breakdown: group.breakdown,
                story,
            },
        })
        .collect()
}

/// Account metrics over a window of days read as window totals plus per-day series.
fn chunk_works(groups: &AccountGroups, span: DaySpan, tag: Tag) -> Vec<Work> {
    let mut works = Vec::new();
    if !groups.series.is_empty() {
        works.push(Work {
            tag,
            ask: Ask::Series {
                metrics: groups.series.clone(),
                span,
            },
        });
    }
    for (breakdown, metrics) in &groups.totals {
        works.push(Work {
            tag,
            ask: Ask::Total {
                metrics: metrics.clone(),
                breakdown: breakdown.clone(),
                span,
                window: true,
            },
        });
    }
    works
}

/// The plan for `now`.
pub fn plan(snapshot: &Snapshot, ctx: &Context<'_>) -> Plan {
    let policy = ctx.policy;
    let now = ctx.now;
    let mut out = Plan::default();

    // Stories: the final readings first, they cannot wait.
    let mut stories: Vec<(StoryReading, &MediaRef)> = snapshot
        .stories
        .iter()
        .filter_map(|(media, facts)| story_due(facts, now, policy).map(|due| (due, media)))
        .collect();
    stories.sort_by_key(|(due, media)| (*due != StoryReading::Final, media.posted_at));
    for (due, media) in stories {
        out.works
            .extend(media_works(ctx, media, Tag::Story, Some(due)));
    }

    // Posts, youngest first.
    let mut posts: Vec<&PostFacts> = snapshot
        .posts
        .iter()
        .filter(|post| match snapshot.unavailable.get(&post.media.ig_id) {
            Some((Unavailable::Gone, since)) => now - *since >= Duration::days(7),
            Some(_) => false,
            None => true,
        })
        .filter(|post| post_due(post.media.posted_at, post.last_reading, now, policy))
        .collect();
    posts.sort_by_key(|post| std::cmp::Reverse(post.media.posted_at));
    for post in posts {
        out.works
            .extend(media_works(ctx, &post.media, Tag::Post, None));
    }

    let today = pacific_date(now);
    let yesterday = today - Duration::days(1);
    let daily_due = !is_fresh(
        snapshot.daily_fetched,
        policy.freshness.account_metrics,
        now,
    );
    let demographics_due = !is_fresh(
        snapshot.demographics_fetched,
        policy.freshness.demographics,
        now,
    );
    let history_due = !snapshot.history.is_some_and(|h| h.complete);
    let groups = account_groups(
        ctx.catalog,
        ctx.version,
        ctx.login,
        now.date_naive(),
        snapshot.followers,
    );
    let recent = i64::from(policy.recent_daily_days.max(1));
    let drops = dropped(
        &snapshot.recorded,
        &snapshot.said_dropped,
        &Asked {
            catalog: ctx.catalog,
            version: ctx.version,
            login: ctx.login,
            date: now.date_naive(),
            followers: snapshot.followers,
        },
    );
    out.warnings.extend(drops.iter().map(Dropped::warning));
    out.dropped = drops.iter().map(Dropped::data_kind).collect();
    if (daily_due || demographics_due) && !groups.withheld.is_empty() {
        out.warnings.push(format!(
            "Instagram gives no {} for accounts under 100 followers{}; Insightdesk will read them \
             once the account has more.",
            groups.withheld.join(", "),
            snapshot
                .followers
                .map(|f| format!(" (this one has {f})"))
                .unwrap_or_default()
        ));
    }

    // Recent days, one day at a time, re-reading the last few (Meta revises them).
    if daily_due {
        let earliest = yesterday - Duration::days(recent - 1);
        let first = match snapshot.daily_newest {
            Some(newest) => {
                (newest - Duration::days(i64::from(policy.reread_days.max(1)) - 1)).max(earliest)
            }
            None => earliest,
        };
        let days = (first <= yesterday).then_some(DaySpan {
            first,
            last: yesterday,
        });
        // Days between the last daily read and the recent range come as window totals.
        if let Some(newest) = snapshot.daily_newest
            && newest + Duration::days(1) < first
        {
            for span in
                spans_newest_first(newest + Duration::days(1), first - Duration::days(1), 30)
            {
                out.works.extend(chunk_works(&groups, span, Tag::Daily));
            }
        }
        if let Some(days) = days {
            let split = today - Duration::days(RECENT_SERIES_DAYS);
            let older = (days.first < split).then(|| DaySpan {
                first: days.first,
                last: (split - Duration::days(1)).min(days.last),
            });
            let newer = (days.last >= split).then(|| DaySpan {
                first: days.first.max(split),
                last: days.last,
            });
            for (span, with_recent) in [(older, false), (newer, true)] {
                let Some(span) = span else { continue };
                for piece in spans_newest_first(span.first, span.last, 30) {
                    let mut metrics = groups.series.clone();
                    if with_recent {
                        metrics.extend(groups.recent_series.iter().cloned());
                    }
                    if !metrics.is_empty() {
                        out.works.push(Work {
                            tag: Tag::Daily,
                            ask: Ask::Series {
                                metrics,
                                span: piece,
                            },
                        });
                    }
                }
            }
            let mut day = days.last;
            while day >= days.first {
                for (breakdown, metrics) in &groups.totals {
                    out.works.push(Work {
                        tag: Tag::Daily,
                        ask: Ask::Total {
                            metrics: metrics.clone(),
                            breakdown: breakdown.clone(),
                            span: DaySpan::one(day),
                            window: false,
                        },
                    });
                }
                day -= Duration::days(1);
            }
        }
        out.daily = Some(DailyPlan { days });
    }

    if demographics_due {
        for (metric, breakdown, timeframe) in &groups.demographics {
            out.works.push(Work {
                tag: Tag::Demographics,
                ask: Ask::Demographics {
                    metric: metric.clone(),
                    breakdown: breakdown.clone(),
                    timeframe: timeframe.clone(),
                },
            });
        }
        if groups.online {
            out.works.push(Work {
                tag: Tag::Demographics,
                ask: Ask::OnlineFollowers {
                    span: DaySpan {
                        first: today - Duration::days(RECENT_SERIES_DAYS),
                        last: yesterday,
                    },
                },
            });
        }
        out.demographics = true;
    }

    // History: 30-day windows back as far as the policy (and Meta) goes.
    if history_due {
        let cursor = snapshot.history.unwrap_or(HistoryCursor {
            newest: yesterday - Duration::days(recent),
            done_to: None,
            complete: false,
        });
        let oldest = today - Duration::days(i64::from(policy.history_days));
        let last = cursor
            .done_to
            .map_or(cursor.newest, |done| done - Duration::days(1));
        let chunks = if last >= oldest {
            spans_newest_first(oldest, last, 30)
        } else {
            Vec::new()
        };
        for span in &chunks {
            out.works
                .extend(chunk_works(&groups, *span, Tag::History(span.first)));
        }
        out.history = Some(HistoryPlan { cursor, chunks });
    }
    out
}

/// The catalog's product type for a stored product type text.
pub fn product_of(text: &str) -> MediaProductType {
    MediaProductType::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use insightdesk_graph::models::MediaType;
    use insightdesk_store::MediaId;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn media(
        n: i64,
        product: MediaProductType,
        kind: MediaType,
        posted: DateTime<Utc>,
    ) -> MediaRef {
        MediaRef {
            id: MediaId(n),
            ig_id: format!("m{n}"),
            product,
            media_type: Some(kind),
            posted_at: posted,
        }
    }

    fn ctx<'a>(now: DateTime<Utc>, catalog: &'a Catalog, policy: &'a SyncPolicy) -> Context<'a> {
        Context {
            now,
            catalog,
            version: ApiVersion::LATEST,
            login: LoginKind::Facebook,
            policy,
        }
    }

    #[test]
    fn account_requests_are_grouped_by_metric_type_and_breakdown() {
        let catalog = Catalog::embedded().unwrap();
        let groups = account_groups(
            &catalog,
            ApiVersion::LATEST,
            LoginKind::Facebook,
            day("2026-11-26"),
            Some(12_000),
        );
        assert_eq!(groups.series, ["reach"]);
        assert_eq!(groups.recent_series, ["follower_count"]);
        assert!(groups.online);
        let by = |b: Option<&str>| {
            groups
                .totals
                .iter()
                .find(|(x, _)| x.as_deref() == b)
                .map(|(_, m)| m.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            by(Some("media_product_type")),
            [
                "reach",
                "views",
                "total_interactions",
                "likes",
                "comments",
                "saves",
                "shares"
            ]
        );
        assert_eq!(by(Some("contact_button_type")), ["profile_links_taps"]);
        assert_eq!(by(Some("follow_type")), ["follows_and_unfollows"]);
        assert_eq!(by(None), ["accounts_engaged", "replies", "reposts"]);
        // 3 metrics x (age, city, country, gender), and followers by age and gender together.
        assert_eq!(groups.demographics.len(), 13);
        assert!(groups.withheld.is_empty());

        let small = account_groups(
            &catalog,
            ApiVersion::LATEST,
            LoginKind::Facebook,
            day("2026-11-26"),
            Some(38),
        );
        assert_eq!(
            small.withheld,
            [
                "follows_and_unfollows",
                "follower_count",
                "online_followers",
                "follower_demographics"
            ]
        );
        assert!(!small.online);
        assert_eq!(
            small.demographics.len(),
            8,
            "engaged and reached are still asked"
        );
    }

    #[test]
    fn a_first_plan_reads_everything_and_a_fresh_store_plans_nothing() {
        let catalog = Catalog::embedded().unwrap();
        let policy = SyncPolicy::default();
        let now = at("2026-11-26T12:00:00Z");
        let post = PostFacts {
            media: media(
                1,
                MediaProductType::Feed,
                MediaType::Image,
                now - Duration::days(40),
            ),
            last_reading: None,
        };
        let young = PostFacts {
            media: media(
                2,
                MediaProductType::Reels,
                MediaType::Video,
                now - Duration::minutes(20),
            ),
            last_reading: None,
        };
        let story = (
            media(
                3,
                MediaProductType::Story,
                MediaType::Image,
                now - Duration::hours(2),
            ),
            StoryFacts {
                posted: now - Duration::hours(2),
                last_reading: None,
                is_final: false,
                unavailable_since: None,
            },
        );
        let snapshot = Snapshot {
            followers: Some(12_000),
            posts: vec![post, young],
            stories: vec![story],
            ..Snapshot::default()
        };
        let planned = plan(&snapshot, &ctx(now, &catalog, &policy));
        let tags: Vec<Tag> = planned.works.iter().map(|w| w.tag).collect();
        assert_eq!(tags[0], Tag::Story, "stories first");
        assert_eq!(
            tags.iter().filter(|t| **t == Tag::Story).count(),
            1,
            "a live reading is one group"
        );
        assert_eq!(
            tags.iter().filter(|t| **t == Tag::Post).count(),
            2,
            "an image: plain and profile activity"
        );
        let daily = planned.daily.unwrap().days.unwrap();
        assert_eq!(
            (daily.first, daily.last),
            (day("2026-10-27"), day("2026-11-25"))
        );
        assert_eq!(
            tags.iter().filter(|t| **t == Tag::Daily).count(),
            2 + 30 * 4
        );
        // 13 breakdowns and online_followers.
        assert_eq!(tags.iter().filter(|t| **t == Tag::Demographics).count(), 14);
        let history = planned.history.unwrap();
        assert_eq!(history.chunks[0].last, day("2026-10-26"));
        assert_eq!(history.chunks.last().unwrap().first, day("2024-11-26"));
        assert!(history.chunks.len() >= 24);
        assert!(planned.warnings.is_empty());

        // Everything written: nothing is due an hour later but the story.
        let later = now + Duration::hours(1);
        let done = Snapshot {
            followers: Some(12_000),
            posts: vec![PostFacts {
                last_reading: Some(now),
                ..snapshot.posts[0].clone()
            }],
            stories: vec![(
                snapshot.stories[0].0.clone(),
                StoryFacts {
                    last_reading: Some(now),
                    ..snapshot.stories[0].1
                },
            )],
            daily_fetched: Some(now),
            daily_newest: Some(day("2026-11-25")),
            demographics_fetched: Some(now),
            history: Some(HistoryCursor {
                newest: day("2026-10-26"),
                done_to: Some(day("2024-11-26")),
                complete: true,
            }),
            ..Snapshot::default()
        };
        let planned = plan(&done, &ctx(later, &catalog, &policy));
        assert_eq!(planned.works.len(), 1, "{:?}", planned.works);
        assert_eq!(planned.works[0].tag, Tag::Story);
        assert!(
            plan(&done, &ctx(now + Duration::minutes(30), &catalog, &policy))
                .works
                .is_empty()
        );
    }

    #[test]
    fn daily_reads_reread_the_last_days_and_fill_a_gap_with_windows() {
        let catalog = Catalog::embedded().unwrap();
        let policy = SyncPolicy::default();
        let now = at("2026-11-26T12:00:00Z");
        let snapshot = Snapshot {
            followers: Some(12_000),
            daily_fetched: Some(now - Duration::days(1)),
            daily_newest: Some(day("2026-11-23")),
            demographics_fetched: Some(now),
            history: Some(HistoryCursor {
                newest: day("2026-10-26"),
                done_to: None,
                complete: true,
            }),
            ..Snapshot::default()
        };
        let planned = plan(&snapshot, &ctx(now, &catalog, &policy));
        let days = planned.daily.unwrap().days.unwrap();
        assert_eq!(
            (days.first, days.last),
            (day("2026-11-21"), day("2026-11-25"))
        );
        assert_eq!(planned.works.len(), 1 + 5 * 4);

        // Two months without a sync: the recent 30 days day by day, the rest as windows.
        let stale = Snapshot {
            daily_newest: Some(day("2026-09-01")),
            ..snapshot
        };
        let planned = plan(&stale, &ctx(now, &catalog, &policy));
        let windows = planned
            .works
            .iter()
            .filter(|w| matches!(w.ask, Ask::Total { window: true, .. }))
            .count();
        assert_eq!(windows, 2 * 4, "2026-09-02..2026-10-26 in two windows");
    }

    #[test]
    fn unreadable_media_are_left_alone() {
        let catalog = Catalog::embedded().unwrap();
        let policy = SyncPolicy::default();
        let now = at("2026-11-26T12:00:00Z");
        let old = media(
            1,
            MediaProductType::Feed,
            MediaType::Video,
            now - Duration::days(700),
        );
        let gone = media(
            2,
            MediaProductType::Feed,
            MediaType::Video,
            now - Duration::days(300),
        );
        let snapshot = Snapshot {
            posts: vec![
                PostFacts {
                    media: old.clone(),
                    last_reading: None,
                },
                PostFacts {
                    media: gone.clone(),
                    last_reading: None,
                },
            ],
            unavailable: HashMap::from([
                (
                    old.ig_id.clone(),
                    (Unavailable::BeforeConversion, now - Duration::days(30)),
                ),
                (
                    gone.ig_id.clone(),
                    (Unavailable::Gone, now - Duration::days(2)),
                ),
            ]),
            daily_fetched: Some(now),
            demographics_fetched: Some(now),
            history: Some(HistoryCursor {
                newest: day("2026-10-26"),
                done_to: None,
                complete: true,
            }),
            ..Snapshot::default()
        };
        assert!(
            plan(&snapshot, &ctx(now, &catalog, &policy))
                .works
                .is_empty()
        );
        let week_later = plan(&snapshot, &ctx(now + Duration::days(6), &catalog, &policy));
        let posts: Vec<&Work> = week_later
            .works
            .iter()
            .filter(|w| w.tag == Tag::Post)
            .collect();
        assert_eq!(posts.len(), 1, "a gone post is asked again after a week");
        assert!(matches!(&posts[0].ask, Ask::Media { media, .. } if media.ig_id == "m2"));
    }
}
