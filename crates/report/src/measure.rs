//! What every number in a report means, in words: the UI shows [`Measure::definition`] on
//! hover and the PDF prints it beside the numbers.

use serde::Serialize;
use ts_rs::TS;

/// Each analytic and metric a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Followers,
    FollowerChange,
    NewFollowers,
    AccountReach,
    DailyReach,
    Views,
    Interactions,
    PostsPublished,
    StoriesPublished,
    EngagementRateByReach,
    EngagementRateByFollowers,
    MedianEngagementRate,
    PeriodChange,
    TopPosts,
    ContentMix,
    BestTime,
    StoryCompletion,
    GrowthAgainstMedian,
    Demographics,
}

/// The smallest number of posts a weekday-and-hour slot needs before the best-time analysis
/// compares it with others. Below this, one lucky post decides the answer.
pub const MIN_POSTS_PER_SLOT: u32 = 5;

/// How many days before a post's day a follower snapshot may be to stand in for the day's own.
pub const FOLLOWER_SNAPSHOT_MAX_AGE_DAYS: u64 = 3;

impl Measure {
    pub const ALL: [Measure; 19] = [
        Measure::Followers,
        Measure::FollowerChange,
        Measure::NewFollowers,
        Measure::AccountReach,
        Measure::DailyReach,
        Measure::Views,
        Measure::Interactions,
        Measure::PostsPublished,
        Measure::StoriesPublished,
        Measure::EngagementRateByReach,
        Measure::EngagementRateByFollowers,
        Measure::MedianEngagementRate,
        Measure::PeriodChange,
        Measure::TopPosts,
        Measure::ContentMix,
        Measure::BestTime,
        Measure::StoryCompletion,
        Measure::GrowthAgainstMedian,
        Measure::Demographics,
    ];

    /// A short label for a table header or a KPI card.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Followers => "Followers",
            Measure::FollowerChange => "Follower change",
            Measure::NewFollowers => "New followers",
            Measure::AccountReach => "Reach",
            Measure::DailyReach => "Daily reach",
            Measure::Views => "Views",
            Measure::Interactions => "Interactions",
            Measure::PostsPublished => "Posts published",
            Measure::StoriesPublished => "Stories published",
            Measure::EngagementRateByReach => "Engagement rate (reach)",
            Measure::EngagementRateByFollowers => "Engagement rate (followers)",
            Measure::MedianEngagementRate => "Median engagement rate",
            Measure::PeriodChange => "Change",
            Measure::TopPosts => "Top posts",
            Measure::ContentMix => "Content mix",
            Measure::BestTime => "Best time to post",
            Measure::StoryCompletion => "Story completion",
            Measure::GrowthAgainstMedian => "Growth against the median",
            Measure::Demographics => "Audience",
        }
    }

    /// What the number means and how it is computed, for people.
    pub fn definition(self) -> &'static str {
        match self {
            Measure::Followers => {
                "Followers at the end of the period: the last daily snapshot of your follower \
                 count taken in the period. Instagram keeps no history of it, so Insightdesk \
                 records it once a day; days it was not running have no snapshot."
            }
            Measure::FollowerChange => {
                "Net change in followers: the last snapshot in the period minus the last one \
                 in the month before it (or the first one in the period when there is none). \
                 New followers minus those who left."
            }
            Measure::NewFollowers => {
                "New followers: the sum of Instagram's daily count of accounts that started \
                 following you. Instagram gives it only for the last 30 days and only to \
                 accounts with at least 100 followers; days Insightdesk did not record are \
                 missing, not zero."
            }
            Measure::AccountReach => {
                "Reach: how many different accounts saw your content in the period, as \
                 Instagram counts it for the whole period. Daily reach cannot be added up (a \
                 person who saw you on three days counts on each of them), so when Instagram \
                 gave no total for this exact range it is shown as not available."
            }
            Measure::DailyReach => {
                "Daily reach: how many different accounts saw your content that day, as \
                 Instagram estimates it. A series to look at; adding the days up would count \
                 the same people many times."
            }
            Measure::Views => {
                "Views: how many times your posts, reels and stories were played or shown in \
                 the period: Instagram's daily figures added up, with its totals for whole \
                 stretches of days where it gave those instead. One person can view many \
                 times."
            }
            Measure::Interactions => {
                "Interactions: likes, comments, saves, shares, replies and reposts on your \
                 content as Instagram counts them (total_interactions), added up over the \
                 period like views."
            }
            Measure::PostsPublished => {
                "Posts published: feed posts (images, carousels, videos) and reels that went \
                 up in the period, by your time zone. Stories are counted on their own."
            }
            Measure::StoriesPublished => {
                "Stories published: stories that went up in the period, by your time zone, \
                 including those whose figures Insightdesk could not read in time."
            }
            Measure::EngagementRateByReach => {
                "Engagement rate by reach: a post's interactions (Instagram's \
                 total_interactions: likes, comments, saves, shares and reposts) divided by \
                 its reach, the accounts that saw it. Uses each post's latest reading; a post \
                 without reach has no rate."
            }
            Measure::EngagementRateByFollowers => {
                "Engagement rate by followers: a post's interactions divided by your followers \
                 on the day it went up (that day's snapshot in your time zone, or the closest \
                 earlier one up to 3 days before). Without a snapshot there is no rate."
            }
            Measure::MedianEngagementRate => {
                "Median engagement rate: the middle value of the engagement rates by reach of \
                 the feed posts and reels published in the period; half did better, half \
                 worse. One viral post cannot pull it up the way it would pull up an average."
            }
            Measure::PeriodChange => {
                "Change: the difference from the period of the same kind just before (the \
                 previous week, the previous month, or as many days just before a custom \
                 range), also as a percentage of the earlier value. No percentage when the \
                 earlier value is missing or zero."
            }
            Measure::TopPosts => {
                "Top posts: the period's feed posts and reels ranked by engagement rate by \
                 reach, by reach, and by saves plus shares (the interactions that say a post \
                 was worth keeping or passing on). Ties go to the earlier post."
            }
            Measure::ContentMix => {
                "Content mix: how many posts of each kind went up in the period (image, \
                 carousel, video, reel, story) and how each kind did: the median reach and \
                 the median engagement rate by reach of its posts."
            }
            Measure::BestTime => {
                "Best time to post: the feed posts and reels of the 90 days that end with the \
                 period (or of the period when it is longer), each placed at the weekday and \
                 hour it went up in your time zone. A slot shows how many posts it holds and \
                 their median engagement rate by reach. A slot is compared only when it holds \
                 at least 5 posts; with fewer, one lucky post would decide, so no time is \
                 recommended."
            }
            Measure::StoryCompletion => {
                "Story completion: the share of a story's views after which the viewer stayed \
                 with your stories: 1 − (exits + swipes away) ÷ views, from Instagram's \
                 navigation figures (TAP_EXIT and SWIPE_FORWARD leave; TAP_FORWARD and \
                 TAP_BACK stay). For the period, the actions and views of all its stories are \
                 added before dividing."
            }
            Measure::GrowthAgainstMedian => {
                "Growth against the median: a post's reach at fixed ages (1 hour, 6 hours, 1 \
                 day, 3 days, 7 days, 30 days) next to the median reach of your other posts of \
                 the same kind from the 180 days before it, at the same ages. A post's value at \
                 an age is read from the readings nearest to it, interpolated between two \
                 readings and never stretched far."
            }
            Measure::Demographics => {
                "Audience: Instagram's latest breakdown of your followers by age, gender, \
                 country and city. Instagram gives it only to accounts with at least 100 \
                 followers and lists only the top 45 groups, so shares are of those groups."
            }
        }
    }
}

/// A measure's label and definition, for a glossary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Definition {
    pub measure: Measure,
    pub label: String,
    pub text: String,
}

impl From<Measure> for Definition {
    fn from(measure: Measure) -> Self {
        Self {
            measure,
            label: measure.label().to_owned(),
            text: measure.definition().to_owned(),
        }
    }
}

/// Every definition, in a stable order (the UI's glossary).
pub fn definitions() -> Vec<Definition> {
    Measure::ALL.into_iter().map(Definition::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_measure_is_listed_once_with_a_sentence() {
        let mut seen = std::collections::BTreeSet::new();
        for measure in Measure::ALL {
            assert!(seen.insert(measure), "{measure:?} twice");
            let text = measure.definition();
            assert!(text.ends_with('.'), "{measure:?}: {text}");
            assert!(text.len() > 80, "{measure:?} is too terse");
        }
    }

    #[test]
    fn the_best_time_definition_states_the_minimum_sample() {
        assert!(
            Measure::BestTime
                .definition()
                .contains(&format!("at least {MIN_POSTS_PER_SLOT} posts"))
        );
    }
}
