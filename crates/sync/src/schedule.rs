//! When a post or a story is due for a reading. Pure functions of times, so the rules are
//! tested without Meta.
//!
//! A post is read once each time its age passes a checkpoint: the growth ages (1 h, 6 h,
//! 24 h, 3 d, 7 d, 30 d, 90 d), then every [`SyncPolicy::older_interval`] after the last one.
//! A post first seen old (the first sync) is read at once; a post younger than the first
//! checkpoint waits for it. A live story is read every [`Freshness::stories`], and once more
//! in its final hour (from [`SyncPolicy::story_final_from`] to Meta's 24-hour cut-off).
//!
//! [`Freshness::stories`]: crate::Freshness::stories

use chrono::{DateTime, Duration, Utc};

use crate::policy::SyncPolicy;

/// Stories disappear from Meta 24 hours after they went up.
pub const STORY_LIFETIME: Duration = Duration::hours(24);

/// How many checkpoints a post of this age has passed.
pub fn checkpoints_passed(age: Duration, policy: &SyncPolicy) -> i64 {
    let mut ages = policy.growth_ages.clone();
    ages.sort();
    let passed = ages.iter().filter(|a| **a <= age).count() as i64;
    match ages.last() {
        Some(last) if age > *last => {
            let older = policy.older_interval().num_seconds().max(1);
            passed + (age - *last).num_seconds() / older
        }
        _ => passed,
    }
}

/// Whether a post (not a story) posted at `posted`, last read at `last_reading`, is due for a
/// reading at `now`.
pub fn post_due(
    posted: DateTime<Utc>,
    last_reading: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    policy: &SyncPolicy,
) -> bool {
    let current = checkpoints_passed(now - posted, policy);
    if current == 0 {
        return false;
    }
    match last_reading {
        None => true,
        Some(last) => checkpoints_passed(last - posted, policy) < current,
    }
}

/// Which reading a story is due for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryReading {
    /// An hourly reading of the plain metrics.
    Live,
    /// The last reading before Meta forgets the story, with its breakdowns.
    Final,
}

/// What is known about a story when the planner looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryFacts {
    pub posted: DateTime<Utc>,
    pub last_reading: Option<DateTime<Utc>>,
    /// The final reading was taken.
    pub is_final: bool,
    /// When Meta last said it shows no insights for it (too few viewers).
    pub unavailable_since: Option<DateTime<Utc>>,
}

/// The reading a story is due for at `now`, if any.
pub fn story_due(
    story: &StoryFacts,
    now: DateTime<Utc>,
    policy: &SyncPolicy,
) -> Option<StoryReading> {
    let age = now - story.posted;
    if story.is_final || age < Duration::zero() || age >= STORY_LIFETIME {
        return None;
    }
    let final_from = story.posted + policy.story_final_from;
    let in_final_window = now >= final_from;
    if let Some(marked) = story.unavailable_since {
        // Too few viewers when last asked: ask once more in the final hour, not every hour.
        return (in_final_window && marked < final_from).then_some(StoryReading::Final);
    }
    match story.last_reading {
        None if in_final_window => Some(StoryReading::Final),
        None => Some(StoryReading::Live),
        Some(last) if in_final_window => (last < final_from).then_some(StoryReading::Final),
        Some(last) => (now - last >= policy.freshness.stories).then_some(StoryReading::Live),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn h(n: i64) -> Duration {
        Duration::hours(n)
    }

    #[test]
    fn posts_are_read_at_each_growth_age_then_monthly() {
        let p = SyncPolicy::default();
        let posted = t0();
        assert!(
            !post_due(posted, None, posted + Duration::minutes(59), &p),
            "too young"
        );
        assert!(post_due(posted, None, posted + h(1), &p));
        assert!(!post_due(posted, Some(posted + h(1)), posted + h(5), &p));
        assert!(post_due(posted, Some(posted + h(1)), posted + h(6), &p));
        assert!(
            post_due(posted, Some(posted + h(2)), posted + h(25), &p),
            "late is still due"
        );
        assert!(!post_due(posted, Some(posted + h(25)), posted + h(70), &p));
        assert!(post_due(posted, Some(posted + h(25)), posted + h(72), &p));
        let day = Duration::days(1);
        assert!(post_due(
            posted,
            Some(posted + day * 30),
            posted + day * 90,
            &p
        ));
        assert!(!post_due(
            posted,
            Some(posted + day * 90),
            posted + day * 119,
            &p
        ));
        assert!(post_due(
            posted,
            Some(posted + day * 90),
            posted + day * 120,
            &p
        ));
        // First seen old: read at once, then at the next monthly checkpoint.
        assert!(post_due(posted, None, posted + day * 400, &p));
        assert!(!post_due(
            posted,
            Some(posted + day * 400),
            posted + day * 419,
            &p
        ));
        assert!(post_due(
            posted,
            Some(posted + day * 400),
            posted + day * 420,
            &p
        ));
        assert_eq!(checkpoints_passed(day * 120, &p), 8);
    }

    #[test]
    fn older_posts_are_never_read_more_than_weekly() {
        let p = SyncPolicy {
            older_every: Duration::days(1),
            ..SyncPolicy::default()
        };
        let posted = t0();
        let day = Duration::days(1);
        assert!(!post_due(
            posted,
            Some(posted + day * 91),
            posted + day * 96,
            &p
        ));
        assert!(post_due(
            posted,
            Some(posted + day * 91),
            posted + day * 97,
            &p
        ));
    }

    #[test]
    fn stories_are_read_hourly_then_once_in_their_final_hour() {
        let p = SyncPolicy::default();
        let posted = t0();
        let facts = |last: Option<i64>, is_final: bool| StoryFacts {
            posted,
            last_reading: last.map(|m| posted + Duration::minutes(m)),
            is_final,
            unavailable_since: None,
        };
        let at = |m: i64| posted + Duration::minutes(m);
        assert_eq!(
            story_due(&facts(None, false), at(10), &p),
            Some(StoryReading::Live)
        );
        assert_eq!(story_due(&facts(Some(10), false), at(69), &p), None);
        assert_eq!(
            story_due(&facts(Some(10), false), at(70), &p),
            Some(StoryReading::Live)
        );
        assert_eq!(
            story_due(&facts(Some(22 * 60 + 30), false), at(23 * 60), &p),
            Some(StoryReading::Final)
        );
        assert_eq!(
            story_due(&facts(Some(23 * 60), false), at(23 * 60 + 50), &p),
            None,
            "one final reading"
        );
        assert_eq!(
            story_due(&facts(Some(23 * 60), true), at(23 * 60 + 50), &p),
            None
        );
        assert_eq!(
            story_due(&facts(None, false), at(24 * 60), &p),
            None,
            "gone at 24 h"
        );
        assert_eq!(
            story_due(&facts(None, false), at(23 * 60 + 5), &p),
            Some(StoryReading::Final)
        );
    }

    #[test]
    fn a_story_with_too_few_viewers_is_asked_again_only_in_its_final_hour() {
        let p = SyncPolicy::default();
        let posted = t0();
        let facts = |marked: i64| StoryFacts {
            posted,
            last_reading: None,
            is_final: false,
            unavailable_since: Some(posted + h(marked)),
        };
        assert_eq!(story_due(&facts(1), posted + h(5), &p), None);
        assert_eq!(
            story_due(&facts(1), posted + h(23), &p),
            Some(StoryReading::Final)
        );
        assert_eq!(
            story_due(&facts(23), posted + h(23) + Duration::minutes(30), &p),
            None
        );
    }
}
