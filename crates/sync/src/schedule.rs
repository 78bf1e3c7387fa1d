//! When a post or a story is due for a reading. Pure functions of times, so the rules are
//! tested without Meta.
//!
//! A post is read once each time its age passes a checkpoint: the growth ages (1 h, 6 h,
//! 24 h, 3 d, 7 d, 30 d, 90 d), then on the slowing schedule of [`SyncPolicy::older_reads`]:
//! each checkpoint after the last growth age is the one before plus the interval in force at
//! that one's age (by default monthly up to a year — the last monthly step, begun at 360 d,
//! lands on 390 d — then quarterly). A post first seen old (the first sync) is read at once;
//! a post younger than the first checkpoint waits for it. A live story is read every [`Freshness::stories`], and once more
//! in its final hour (from [`SyncPolicy::story_final_from`] to Meta's 24-hour cut-off).
//!
//! [`Freshness::stories`]: crate::Freshness::stories

use chrono::{DateTime, Duration, Utc};

use crate::policy::{OlderReads, SyncPolicy};

/// Stories disappear from Meta 24 hours after they went up.
pub const STORY_LIFETIME: Duration = Duration::hours(24);

/// How many checkpoints a post of this age has passed.
pub fn checkpoints_passed(age: Duration, policy: &SyncPolicy) -> i64 {
    let mut ages = policy.growth_ages.clone();
    ages.sort();
    let passed = ages.iter().filter(|a| **a <= age).count() as i64;
    match ages.last() {
        Some(last) if age > *last => {
            passed + older_checkpoints(*last, age, &policy.older_schedule())
        }
        _ => passed,
    }
}

/// How many checkpoints lie after `start` (the last growth age) up to `age`, on `schedule`
/// (sorted by age, intervals already floored). Each step takes the interval in force at the
/// age it starts from, so the schedule is one step after another, never a step cut short.
fn older_checkpoints(start: Duration, age: Duration, schedule: &[OlderReads]) -> i64 {
    if schedule.is_empty() {
        return 0;
    }
    let mut at = start;
    let mut count = 0;
    loop {
        let index = schedule
            .iter()
            .rposition(|step| step.from_age <= at)
            .unwrap_or(0);
        let every = schedule[index].every.num_seconds().max(1);
        let reached = (age - at).num_seconds() / every;
        let Some(next) = schedule.get(index + 1) else {
            return count + reached;
        };
        // Steps that start before the next interval takes over: ceil((next - at) / every).
        let in_force = ((next.from_age - at).num_seconds() + every - 1) / every;
        if reached < in_force {
            return count + reached;
        }
        count += in_force;
        at += Duration::seconds(in_force * every);
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

    fn d(n: i64) -> Duration {
        Duration::days(n)
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
        assert!(post_due(posted, Some(posted + d(30)), posted + d(90), &p));
        assert!(!post_due(posted, Some(posted + d(90)), posted + d(119), &p));
        assert!(post_due(posted, Some(posted + d(90)), posted + d(120), &p));
        assert_eq!(checkpoints_passed(d(120), &p), 8);
    }

    /// The default policy with one interval for every post past 90 d.
    fn one_step(every: Duration) -> SyncPolicy {
        SyncPolicy {
            older_reads: vec![OlderReads {
                from_age: d(90),
                every,
            }],
            ..SyncPolicy::default()
        }
    }

    /// The ages (in days, from 90 d on) at which a post is due, reading it each time it is.
    fn older_reading_days(policy: &SyncPolicy, until_day: i64) -> Vec<i64> {
        let posted = t0();
        let mut last = Some(posted + d(90));
        let mut days = Vec::new();
        for day in 91..=until_day {
            if post_due(posted, last, posted + d(day), policy) {
                days.push(day);
                last = Some(posted + d(day));
            }
        }
        days
    }

    #[test]
    fn older_posts_are_read_monthly_to_a_year_then_quarterly() {
        let p = SyncPolicy::default();
        let monthly: Vec<i64> = (1..=10).map(|k| 90 + 30 * k).collect();
        let quarterly: Vec<i64> = (1..=15).map(|k| 390 + 91 * k).collect();
        assert_eq!(
            older_reading_days(&p, 5 * 365),
            [monthly, quarterly].concat(),
            "the step begun at 360 d is still monthly; from 390 d every 91 days"
        );
        // Two years: 7 growth readings and 13 older ones (a flat month: 21).
        assert_eq!(checkpoints_passed(d(730), &p), 7 + 10 + 3);
        assert_eq!(checkpoints_passed(d(390), &p), 17);
        assert_eq!(checkpoints_passed(d(390) - Duration::seconds(1), &p), 16);
        assert_eq!(checkpoints_passed(d(481), &p), 18);
    }

    #[test]
    fn a_post_first_seen_old_is_read_at_once_then_on_the_schedule_of_its_age() {
        let p = SyncPolicy::default();
        let posted = t0();
        assert!(post_due(posted, None, posted + d(200), &p));
        // 200 d lies in the monthly step from 180 d: the next checkpoint is 210 d.
        assert!(!post_due(
            posted,
            Some(posted + d(200)),
            posted + d(209),
            &p
        ));
        assert!(post_due(posted, Some(posted + d(200)), posted + d(210), &p));
        assert!(post_due(posted, None, posted + d(400), &p));
        // 400 d lies in the quarterly step from 390 d: the next checkpoint is 481 d.
        assert!(!post_due(
            posted,
            Some(posted + d(400)),
            posted + d(480),
            &p
        ));
        assert!(post_due(posted, Some(posted + d(400)), posted + d(481), &p));
    }

    #[test]
    fn the_older_schedule_is_the_policys_steps_in_any_order() {
        let flat = one_step(d(30));
        let flat_days: Vec<i64> = (1..=21).map(|k| 90 + 30 * k).collect();
        assert_eq!(older_reading_days(&flat, 730), flat_days);

        let mut reversed = SyncPolicy::default();
        reversed.older_reads.reverse();
        assert_eq!(
            older_reading_days(&reversed, 1000),
            older_reading_days(&SyncPolicy::default(), 1000)
        );

        // Three steps, the first starting after the last growth age: its interval applies
        // from 90 d on.
        let three = SyncPolicy {
            older_reads: vec![
                OlderReads {
                    from_age: d(120),
                    every: d(14),
                },
                OlderReads {
                    from_age: d(150),
                    every: d(60),
                },
                OlderReads {
                    from_age: d(300),
                    every: d(180),
                },
            ],
            ..SyncPolicy::default()
        };
        assert_eq!(
            older_reading_days(&three, 800),
            [104, 118, 132, 146, 160, 220, 280, 340, 520, 700]
        );

        let never = SyncPolicy {
            older_reads: Vec::new(),
            ..SyncPolicy::default()
        };
        assert!(older_reading_days(&never, 2000).is_empty());
        assert_eq!(checkpoints_passed(d(2000), &never), 7);
    }

    #[test]
    fn older_posts_are_never_read_more_than_weekly() {
        let p = one_step(d(1));
        let posted = t0();
        assert!(!post_due(posted, Some(posted + d(91)), posted + d(96), &p));
        assert!(post_due(posted, Some(posted + d(91)), posted + d(97), &p));
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
