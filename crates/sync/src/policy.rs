//! What the sync reads when: freshness windows per kind of data, the ages at which posts are
//! read, the story schedule, how far back history goes, and how long it may wait for Meta.

use chrono::Duration;

/// How long each kind of data stays fresh: asking again inside the window costs no call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// Name, picture, follower count (the day's followers snapshot comes with it).
    pub profile: Duration,
    /// The newest posts (new media are found here).
    pub media_list: Duration,
    /// The live stories, and how often each live story is read.
    pub stories: Duration,
    /// Daily account metrics (the last few days are re-read each time).
    pub account_metrics: Duration,
    /// Follower, engaged and reached audience demographics, and online followers.
    pub demographics: Duration,
}

impl Default for Freshness {
    fn default() -> Self {
        Self {
            profile: Duration::days(1),
            media_list: Duration::hours(1),
            stories: Duration::hours(1),
            account_metrics: Duration::days(1),
            demographics: Duration::days(7),
        }
    }
}

/// How often a post past its last growth age is read again, from an age on. A post's
/// numbers settle as it ages, so the older it is the less often it is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OlderReads {
    /// From this age on (a step begun before it keeps the earlier interval).
    pub from_age: Duration,
    /// Read again this often (never more often than weekly: shorter values are raised to
    /// 7 days).
    pub every: Duration,
}

/// The sync's rules. [`SyncPolicy::default`] is the schedule of `docs/DESIGN.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPolicy {
    pub freshness: Freshness,
    /// Ages at which a post's metrics are read (1 h, 6 h, 24 h, 3 d, 7 d, 30 d, 90 d).
    pub growth_ages: Vec<Duration>,
    /// After the last growth age, a post is read again on a slowing schedule: each entry
    /// says how often from which age on (monthly to a year, then quarterly). The intervals
    /// before the first entry's age are the first entry's; an empty list reads no post again
    /// after its last growth age.
    pub older_reads: Vec<OlderReads>,
    /// A story read at this age or later (and before Meta forgets it at 24 h) is its final
    /// reading; the final reading also takes the breakdowns (navigation, profile activity).
    pub story_final_from: Duration,
    /// How far back the first sync reads account history (Meta answers up to about 2 years).
    pub history_days: u32,
    /// The most recent days read one day at a time (older history comes in 30-day totals).
    pub recent_daily_days: u32,
    /// Days re-read at every account-metrics sync: Meta revises recent days and reports with
    /// up to 48 hours of lag.
    pub reread_days: u32,
    /// The longest the sync waits for Meta's rate limit before it stops and says when it can
    /// resume.
    pub max_wait: std::time::Duration,
    /// Work items per store step when the login has no batch endpoint (Instagram Login).
    pub items_per_direct_step: usize,
    /// Keep Meta's raw answers in the store's archive.
    pub archive_responses: bool,
}

impl Default for SyncPolicy {
    fn default() -> Self {
        Self {
            freshness: Freshness::default(),
            growth_ages: vec![
                Duration::hours(1),
                Duration::hours(6),
                Duration::hours(24),
                Duration::days(3),
                Duration::days(7),
                Duration::days(30),
                Duration::days(90),
            ],
            older_reads: vec![
                OlderReads {
                    from_age: Duration::days(90),
                    every: Duration::days(30),
                },
                OlderReads {
                    from_age: Duration::days(365),
                    every: Duration::days(91),
                },
            ],
            story_final_from: Duration::hours(23),
            history_days: 730,
            recent_daily_days: 30,
            reread_days: 3,
            max_wait: std::time::Duration::from_secs(15 * 60),
            items_per_direct_step: 10,
            archive_responses: true,
        }
    }
}

impl SyncPolicy {
    /// [`SyncPolicy::older_reads`] by age, each interval with its floor of a week.
    pub fn older_schedule(&self) -> Vec<OlderReads> {
        let mut steps: Vec<OlderReads> = self
            .older_reads
            .iter()
            .map(|step| OlderReads {
                from_age: step.from_age,
                every: step.every.max(Duration::days(7)),
            })
            .collect();
        steps.sort_by_key(|step| step.from_age);
        steps
    }
}
