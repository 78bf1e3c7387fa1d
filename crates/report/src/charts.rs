//! The report's chart specs, built from the analytics.

use crate::analytics::{BestTime, ContentMixRow, FollowerGrowth, StorySummary, WEEKDAYS};
use crate::chart::{Axis, ChartData, ChartKind, ChartSpec, Series, Unit, XValues};
use crate::model::{DailyRow, GrowthSection};

fn axis(label: &str, unit: Unit) -> Axis {
    Axis {
        label: label.to_owned(),
        unit,
        from_zero: true,
    }
}

fn days(daily: impl Iterator<Item = chrono::NaiveDate>) -> XValues {
    XValues {
        unit: Unit::Day,
        labels: daily.map(|d| d.format("%Y-%m-%d").to_string()).collect(),
    }
}

struct SeriesChart<'a> {
    id: &'a str,
    kind: ChartKind,
    title: &'a str,
    subtitle: Option<&'a str>,
    x_axis: Axis,
    y_axis: Axis,
    x: XValues,
    series: Vec<Series>,
    empty: &'a str,
}

impl SeriesChart<'_> {
    fn spec(self) -> ChartSpec {
        let mut spec = ChartSpec {
            id: self.id.to_owned(),
            kind: self.kind,
            title: self.title.to_owned(),
            subtitle: self.subtitle.map(str::to_owned),
            x_axis: self.x_axis,
            y_axis: self.y_axis,
            data: ChartData::Series {
                x: self.x,
                series: self.series,
            },
            empty_message: None,
        };
        if spec.is_empty() {
            spec.empty_message = Some(self.empty.to_owned());
        }
        spec
    }
}

fn series(name: &str, unit: Unit, values: Vec<Option<f64>>) -> Series {
    Series {
        name: name.to_owned(),
        unit,
        values,
    }
}

pub fn followers(growth: &FollowerGrowth) -> ChartSpec {
    SeriesChart {
        id: "followers",
        kind: ChartKind::Line,
        title: "Followers",
        subtitle: Some(
            "Daily snapshot of your follower count. A dashed line bridges days without a snapshot.",
        ),
        x_axis: axis("Day", Unit::Day),
        y_axis: Axis {
            from_zero: false,
            ..axis("Followers", Unit::Count)
        },
        x: days(growth.days.iter().map(|d| d.day)),
        series: vec![series(
            "Followers",
            Unit::Count,
            growth
                .days
                .iter()
                .map(|d| d.followers.map(|f| f as f64))
                .collect(),
        )],
        empty: "No follower snapshots in this period.",
    }
    .spec()
}

pub fn daily_reach(daily: &[DailyRow]) -> ChartSpec {
    SeriesChart {
        id: "daily_reach",
        kind: ChartKind::Line,
        title: "Daily reach",
        subtitle: Some("Accounts reached each day. Each day stands alone: days do not add up."),
        x_axis: axis("Day", Unit::Day),
        y_axis: axis("Accounts reached", Unit::Count),
        x: days(daily.iter().map(|d| d.day)),
        series: vec![series(
            "Daily reach",
            Unit::Count,
            daily.iter().map(|d| d.reach).collect(),
        )],
        empty: "No daily reach recorded for this period.",
    }
    .spec()
}

pub fn daily_views(daily: &[DailyRow]) -> ChartSpec {
    SeriesChart {
        id: "daily_views",
        kind: ChartKind::Bar,
        title: "Views per day",
        subtitle: Some("Times your content was played or shown."),
        x_axis: axis("Day", Unit::Day),
        y_axis: axis("Views", Unit::Count),
        x: days(daily.iter().map(|d| d.day)),
        series: vec![series(
            "Views",
            Unit::Count,
            daily.iter().map(|d| d.views).collect(),
        )],
        empty: "No daily views recorded for this period.",
    }
    .spec()
}

pub fn content_mix(rows: &[ContentMixRow]) -> ChartSpec {
    SeriesChart {
        id: "content_mix",
        kind: ChartKind::Bar,
        title: "Content mix",
        subtitle: Some("Posts published in the period, by kind."),
        x_axis: axis("Kind", Unit::Category),
        y_axis: axis("Posts", Unit::Count),
        x: XValues {
            unit: Unit::Category,
            labels: rows
                .iter()
                .map(|r| r.content_type.label().to_owned())
                .collect(),
        },
        series: vec![series(
            "Posts",
            Unit::Count,
            rows.iter()
                .map(|r| (r.posts > 0).then_some(f64::from(r.posts)))
                .collect(),
        )],
        empty: "Nothing was published in this period.",
    }
    .spec()
}

pub fn story_navigation(stories: &StorySummary) -> ChartSpec {
    let totals = &stories.totals;
    let has = stories.views > 0.0;
    SeriesChart {
        id: "story_navigation",
        kind: ChartKind::Bar,
        title: "What viewers did on your stories",
        subtitle: Some("Navigation actions over the period's stories."),
        x_axis: axis("Action", Unit::Category),
        y_axis: axis("Actions", Unit::Count),
        x: XValues {
            unit: Unit::Category,
            labels: ["Next story", "Back", "Exit", "Swipe away"]
                .map(str::to_owned)
                .to_vec(),
        },
        series: vec![series(
            "Actions",
            Unit::Count,
            [
                totals.tap_forward,
                totals.tap_back,
                totals.tap_exit,
                totals.swipe_forward,
            ]
            .into_iter()
            .map(|v| has.then_some(v))
            .collect(),
        )],
        empty: "No story navigation figures for this period.",
    }
    .spec()
}

pub fn growth(section: &GrowthSection) -> ChartSpec {
    SeriesChart {
        id: "growth",
        kind: ChartKind::Line,
        title: "Reach by age: your top post against the median",
        subtitle: Some("Reach at the same ages; the median is over your other posts of its kind."),
        x_axis: axis("Age of the post", Unit::Category),
        y_axis: axis("Accounts reached", Unit::Count),
        x: XValues {
            unit: Unit::Category,
            labels: section.points.iter().map(|p| p.label.clone()).collect(),
        },
        series: vec![
            series(
                "This post",
                Unit::Count,
                section.points.iter().map(|p| p.post).collect(),
            ),
            series(
                &format!("Median of {}", section.peers_label),
                Unit::Count,
                section.points.iter().map(|p| p.median).collect(),
            ),
        ],
        empty: "Not enough readings to draw the growth curve.",
    }
    .spec()
}

pub fn best_time(best: &BestTime) -> ChartSpec {
    let mut spec = ChartSpec {
        id: "best_time".to_owned(),
        kind: ChartKind::Heatmap,
        title: "When your posts did best".to_owned(),
        subtitle: Some(format!(
            "Median engagement rate by weekday and hour (your time zone); the number in a cell \
             is its posts. Slots with fewer than {} posts are pale and not compared.",
            best.min_posts
        )),
        x_axis: axis("Hour", Unit::Category),
        y_axis: axis("Weekday", Unit::Category),
        data: ChartData::Grid {
            rows: WEEKDAYS.iter().map(|d| (*d).to_owned()).collect(),
            columns: (0..24).map(|h| format!("{h:02}")).collect(),
            values: best
                .grid
                .iter()
                .map(|hours| hours.iter().map(|s| s.median_rate).collect())
                .collect(),
            counts: best
                .grid
                .iter()
                .map(|hours| hours.iter().map(|s| s.posts).collect())
                .collect(),
            unit: Unit::Rate,
            min_count: best.min_posts,
        },
        empty_message: None,
    };
    if spec.is_empty() {
        spec.empty_message = Some("No posts with reach figures to place yet.".to_owned());
    }
    spec
}
