//! Report templates: which sections a PDF (and its text rendering) holds, in which order.
//! The report model is the same for all of them; a template only chooses and arranges.
//!
//! * [`ReportTemplate::Full`]: everything, with the appendix and every definition.
//! * [`ReportTemplate::Summary`]: a brief of one or two pages: the key numbers with their
//!   comparisons, followers and reach side by side, the top five posts.
//! * [`ReportTemplate::Brand`]: a media kit for sponsors: audience size, demographics, reach
//!   and engagement rates, the best posts, how each kind of post does. No comparisons with the previous period, and
//!   nothing private: the creator's own notes are never in it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analytics::{Ranking, median};
use crate::format::{count, percent, signed_count};
use crate::measure::Measure;
use crate::model::{Report, TopList};

/// Which report to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportTemplate {
    /// Everything the report model holds.
    #[default]
    Full,
    /// One or two pages: key numbers, followers and reach, the top five posts.
    Summary,
    /// A media kit for sponsors: audience, reach and engagement, best posts.
    Brand,
}

impl ReportTemplate {
    pub const ALL: [ReportTemplate; 3] = [
        ReportTemplate::Full,
        ReportTemplate::Summary,
        ReportTemplate::Brand,
    ];

    /// The name on the command line and in JSON: `full`, `summary`, `brand`.
    pub fn name(self) -> &'static str {
        match self {
            ReportTemplate::Full => "full",
            ReportTemplate::Summary => "summary",
            ReportTemplate::Brand => "brand",
        }
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            ReportTemplate::Full => "Full report",
            ReportTemplate::Summary => "Summary",
            ReportTemplate::Brand => "Media kit",
        }
    }

    /// The template named `name` (`full`, `summary`, `brand`; any case).
    pub fn named(name: &str) -> Option<ReportTemplate> {
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The words at the top of the cover.
    pub(crate) fn kicker(self) -> &'static str {
        match self {
            ReportTemplate::Full => "INSTAGRAM REPORT",
            ReportTemplate::Summary => "INSTAGRAM SUMMARY",
            ReportTemplate::Brand => "MEDIA KIT",
        }
    }

    /// The sections, in order, after the cover.
    pub(crate) fn sections(self) -> &'static [Section] {
        use Section::*;
        match self {
            ReportTemplate::Full => &[
                KeyNumbers,
                FollowersAndReach,
                Published,
                BestTime,
                Stories,
                Growth,
                Audience,
                Notes,
                Appendix,
            ],
            ReportTemplate::Summary => &[KeyNumbers, FollowersAndReachSideBySide, TopFive],
            ReportTemplate::Brand => &[
                AtAGlance,
                Audience,
                BestPosts,
                ContentByFormat,
                AboutTheFigures,
            ],
        }
    }
}

/// One section of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// The key numbers with their changes against the previous period, and the data notes.
    KeyNumbers,
    /// Followers, daily reach and daily views, one chart under the other.
    FollowersAndReach,
    /// Followers and daily reach beside each other.
    FollowersAndReachSideBySide,
    /// The content mix and every top list.
    Published,
    /// The five best posts by engagement rate.
    TopFive,
    BestTime,
    Stories,
    Growth,
    Audience,
    /// The creator's own notes on the timeline.
    Notes,
    /// Why figures can differ from Instagram's app, and every definition.
    Appendix,
    /// The media kit's figures: audience size, reach, engagement rates, without comparisons.
    AtAGlance,
    /// The media kit's best posts, by reach.
    BestPosts,
    /// The media kit's content mix: how each kind of post reaches and engages.
    ContentByFormat,
    /// Where the media kit's figures come from and what its rates mean.
    AboutTheFigures,
}

/// One figure of the media kit: a label, the value as printed, and a few words under it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fact {
    pub label: &'static str,
    /// `None` when the report has no value for it.
    pub value: Option<String>,
    pub caption: String,
}

/// The media kit's figures, in the order they are shown.
pub(crate) fn media_kit_facts(report: &Report) -> Vec<Fact> {
    let kpi = |measure: Measure| report.kpis.iter().find(|k| k.measure == measure);
    let current = |measure: Measure| kpi(measure).and_then(|k| k.delta.current);
    let posts: Vec<_> = report.feed_posts().collect();
    let median_of = |mut values: Vec<f64>| median(&mut values);
    let median_reach = median_of(posts.iter().filter_map(|p| p.metrics.reach).collect());
    let median_by_followers = median_of(
        posts
            .iter()
            .filter_map(|p| p.engagement_rate_by_followers)
            .collect(),
    );
    let followers_on = report.followers.end.map_or_else(
        || "no snapshot in the period".to_owned(),
        |(day, _)| format!("on {}", day.format("%-d %B %Y")),
    );
    let fact = |label, value: Option<String>, caption: &str| Fact {
        label,
        value,
        caption: caption.to_owned(),
    };
    vec![
        Fact {
            label: "Followers",
            value: current(Measure::Followers).map(count),
            caption: followers_on,
        },
        fact(
            "Follower growth",
            current(Measure::FollowerChange).map(signed_count),
            "over the period",
        ),
        Fact {
            label: "Accounts reached",
            value: current(Measure::AccountReach).map(count),
            // Without a total the report's note says why (Instagram's 30-day limit).
            caption: kpi(Measure::AccountReach)
                .and_then(|k| k.note.clone())
                .unwrap_or_else(|| "each account counted once".to_owned()),
        },
        fact("Views", current(Measure::Views).map(count), "in the period"),
        fact(
            "Engagement rate",
            current(Measure::MedianEngagementRate).map(|r| percent(Some(r))),
            "median per post, of reach",
        ),
        fact(
            "Follower engagement",
            median_by_followers.map(|r| percent(Some(r))),
            "median per post, of followers",
        ),
        fact(
            "Reach per post",
            median_reach.map(count),
            "median of feed posts and reels",
        ),
        fact(
            "Posts published",
            Some(posts.len().to_string()),
            "feed posts and reels",
        ),
    ]
}

/// The top list a template shows on its own: `None` when the report has no such ranking.
pub(crate) fn top_list(report: &Report, ranking: Ranking) -> Option<&TopList> {
    report.top_posts.iter().find(|l| l.ranking == ranking)
}

/// The media kit's closing words on where its figures come from.
pub(crate) fn about_the_figures(report: &Report) -> String {
    format!(
        "All figures come from Instagram's own insights for @{}, read by Insightdesk on {}, \
         for {} ({}). Reach counts different accounts and is Instagram's total for the whole \
         period; it is never added up from days or posts. A post's engagement rate is its \
         interactions (likes, comments, saves, shares and reposts) divided by the accounts it \
         reached, or by the followers on the day it went up. Rates and reach per post are \
         medians of the feed posts and reels published in the period, so one viral post does \
         not pull them up. Post figures count organic activity only, not paid promotion.",
        report.account.username,
        report
            .generated_at
            .with_timezone(&report.tz)
            .format("%-d %B %Y"),
        report.period_title,
        report.time_zone,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_named_as_the_command_line_spells_them() {
        for template in ReportTemplate::ALL {
            assert_eq!(ReportTemplate::named(template.name()), Some(template));
        }
        assert_eq!(
            ReportTemplate::named(" Brand "),
            Some(ReportTemplate::Brand)
        );
        assert_eq!(ReportTemplate::named("kit"), None);
        assert_eq!(ReportTemplate::default(), ReportTemplate::Full);
    }

    #[test]
    fn the_media_kit_never_holds_private_notes_or_comparisons() {
        let brand = ReportTemplate::Brand.sections();
        for private in [Section::Notes, Section::KeyNumbers, Section::Appendix] {
            assert!(!brand.contains(&private), "{private:?}");
        }
        let summary = ReportTemplate::Summary.sections();
        assert!(!summary.contains(&Section::Appendix));
        assert!(ReportTemplate::Full.sections().contains(&Section::Notes));
    }
}
