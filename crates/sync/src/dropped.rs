//! Metrics Meta stopped providing that the store has history of. When the catalog says a
//! metric is gone (by API version or date) the planner stops asking for it without a word;
//! this tells the creator once per account and metric, in the run that first stops asking,
//! and the store's fetch state remembers that it was said (a `dropped:` mark written in the
//! same step as the warning), so later syncs stay quiet. The readings already taken stay.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::NaiveDate;
use insightdesk_graph::catalog::{Level, MetricSpec, Selector};
use insightdesk_graph::models::{MediaProductType, MediaType};
use insightdesk_graph::{ApiVersion, Catalog, LoginKind};

use crate::plan::account_groups;

/// The metrics the store has readings of, for telling which ones Meta stopped providing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Post and story metrics, each with the (product type, media type) of the posts and
    /// stories that have a reading of it, as the store names them (`FEED`, `IMAGE`).
    pub media: BTreeMap<String, BTreeSet<(String, String)>>,
    /// Account metrics with daily values.
    pub account: BTreeSet<String>,
}

impl Recorded {
    /// Notes that a post of `product` and `media_type` has readings of `metrics`.
    pub fn add_media<'a>(
        &mut self,
        product: &str,
        media_type: &str,
        metrics: impl IntoIterator<Item = &'a String>,
    ) {
        for metric in metrics {
            self.media
                .entry(metric.clone())
                .or_default()
                .insert((product.to_owned(), media_type.to_owned()));
        }
    }
}

/// A metric with history in the store that the sync no longer asks for because the catalog
/// says Meta removed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub level: Level,
    pub metric: String,
    /// Where it had readings, in words ("posts", "reels", "stories"); empty at account level.
    pub places: Vec<&'static str>,
    /// The day Meta stopped providing it, when the catalog says.
    pub since: Option<NaiveDate>,
}

impl Dropped {
    /// The fetch-state data kinds that say a drop was told.
    pub const PREFIX: &'static str = "dropped:";

    /// The fetch-state data kind of this drop.
    pub fn data_kind(&self) -> String {
        format!("{}{}:{}", Self::PREFIX, self.level.as_str(), self.metric)
    }

    /// The sentence the creator reads, once.
    pub fn warning(&self) -> String {
        let place = match self.level {
            Level::User => "your account".to_owned(),
            Level::Media => match self.places.as_slice() {
                [] => "your posts".to_owned(),
                [one] => (*one).to_owned(),
                [init @ .., last] => format!("{} and {last}", init.join(", ")),
            },
        };
        let since = self
            .since
            .map(|day| format!(" since {}", day.format("%-d %B %Y")))
            .unwrap_or_default();
        format!(
            "Instagram no longer provides “{}” for {place}{since}; Insightdesk keeps the history \
             it has.",
            self.metric
        )
    }
}

/// What the planner is told to work out the drops.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub catalog: &'a Catalog,
    pub version: ApiVersion,
    pub login: LoginKind,
    pub date: NaiveDate,
    pub followers: Option<i64>,
}

/// Metrics in `recorded` the sync no longer asks for because the catalog has their removal in
/// force, without those already told (`said` holds their data kinds).
pub fn dropped(recorded: &Recorded, said: &HashSet<String>, asked: &Asked<'_>) -> Vec<Dropped> {
    let mut out = Vec::new();
    for (metric, kinds) in &recorded.media {
        let mut places: Vec<&'static str> = Vec::new();
        let mut days: Vec<NaiveDate> = Vec::new();
        for (product, media_type) in kinds {
            let product = MediaProductType::parse(product);
            let media_type = MediaType::parse(media_type);
            let selector = Selector::media(
                asked.version,
                asked.login,
                asked.date,
                product.clone(),
                Some(media_type.clone()),
            );
            let still_asked = asked
                .catalog
                .media_groups(&selector)
                .iter()
                .any(|group| group.metrics.iter().any(|m| m == metric));
            if still_asked {
                continue;
            }
            let removal = asked
                .catalog
                .entries(metric, Level::Media)
                .filter(|spec| {
                    spec.login_kinds.contains(&asked.login)
                        && (spec.product_types.is_empty() || spec.product_types.contains(&product))
                        && (spec.media_types.is_empty() || spec.media_types.contains(&media_type))
                })
                .find_map(|spec| removed_since(asked, spec));
            if let Some(day) = removal {
                let place = place_of(&product);
                if !places.contains(&place) {
                    places.push(place);
                }
                days.extend(day);
            }
        }
        if places.is_empty() {
            continue;
        }
        places.sort_by_key(|place| PLACES.iter().position(|p| p == place));
        out.push(Dropped {
            level: Level::Media,
            metric: metric.clone(),
            places,
            // The first day it went missing anywhere it had readings.
            since: days.into_iter().min(),
        });
    }

    let groups = account_groups(
        asked.catalog,
        asked.version,
        asked.login,
        asked.date,
        asked.followers,
    );
    let mut still_asked: HashSet<&str> = HashSet::new();
    still_asked.extend(groups.series.iter().map(String::as_str));
    still_asked.extend(groups.recent_series.iter().map(String::as_str));
    for (_, metrics) in &groups.totals {
        still_asked.extend(metrics.iter().map(String::as_str));
    }
    still_asked.extend(groups.demographics.iter().map(|(m, _, _)| m.as_str()));
    if groups.online {
        still_asked.insert("online_followers");
    }
    // Held back for too few followers is not removed: it comes back with more followers.
    still_asked.extend(groups.withheld.iter().map(String::as_str));
    for metric in &recorded.account {
        if still_asked.contains(metric.as_str()) {
            continue;
        }
        let removal = asked
            .catalog
            .entries(metric, Level::User)
            .filter(|spec| spec.login_kinds.contains(&asked.login))
            .find_map(|spec| removed_since(asked, spec));
        if let Some(since) = removal {
            out.push(Dropped {
                level: Level::User,
                metric: metric.clone(),
                places: Vec::new(),
                since,
            });
        }
    }
    out.retain(|drop| !said.contains(&drop.data_kind()));
    out
}

/// The order places are named in.
const PLACES: [&str; 4] = ["posts", "reels", "stories", "other posts"];

fn place_of(product: &MediaProductType) -> &'static str {
    match product {
        MediaProductType::Feed => PLACES[0],
        MediaProductType::Reels => PLACES[1],
        MediaProductType::Story => PLACES[2],
        _ => PLACES[3],
    }
}

/// `Some` when the entry's removal is in force for the sync's version on its date: the day
/// Meta stopped providing it (the removal date once passed, else the release of the first
/// version without it), `Some(None)` when the catalog gives no day.
fn removed_since(asked: &Asked<'_>, spec: &MetricSpec) -> Option<Option<NaiveDate>> {
    let version = asked.catalog.effective_version(asked.version, asked.date);
    let by_date = spec.removed_on.filter(|day| asked.date >= *day);
    let by_version = spec.removed_in.filter(|first| version >= *first);
    if let Some(day) = by_date {
        return Some(Some(day));
    }
    let first = by_version?;
    Some(
        asked
            .catalog
            .versions()
            .iter()
            .find(|span| span.version == first)
            .and_then(|span| span.released),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn asked<'a>(catalog: &'a Catalog, version: u16, date: &str) -> Asked<'a> {
        Asked {
            catalog,
            version: ApiVersion::new(version),
            login: LoginKind::Facebook,
            date: day(date),
            followers: Some(12_000),
        }
    }

    /// The drops of [`recorded`] nothing was said of yet.
    fn drops_at(catalog: &Catalog, version: u16, date: &str) -> Vec<Dropped> {
        dropped(&recorded(), &HashSet::new(), &asked(catalog, version, date))
    }

    /// What a v21 sync before 21 April 2025 had read.
    fn recorded() -> Recorded {
        let mut recorded = Recorded::default();
        let names = |list: &[&str]| list.iter().map(|m| (*m).to_owned()).collect::<Vec<_>>();
        recorded.add_media("FEED", "IMAGE", &names(&["impressions", "reach", "likes"]));
        recorded.add_media("STORY", "VIDEO", &names(&["impressions", "reach"]));
        recorded.add_media("REELS", "VIDEO", &names(&["plays", "reach"]));
        recorded.account = ["impressions", "reach", "follower_count", "profile_views"]
            .map(str::to_owned)
            .into();
        recorded
    }

    #[test]
    fn nothing_is_dropped_while_meta_still_provides_it() {
        let catalog = Catalog::embedded().unwrap();
        let mut recorded = recorded();
        recorded.account.remove("profile_views");
        let drops = dropped(
            &recorded,
            &HashSet::new(),
            &asked(&catalog, 21, "2025-04-01"),
        );
        assert!(drops.is_empty(), "{drops:?}");
    }

    #[test]
    fn a_removed_metric_with_history_is_told_once_with_its_day() {
        let catalog = Catalog::embedded().unwrap();
        let drops = drops_at(&catalog, 21, "2025-04-25");
        let sentences: Vec<String> = drops.iter().map(Dropped::warning).collect();
        assert_eq!(
            sentences,
            [
                "Instagram no longer provides “impressions” for posts and stories since 21 April \
                 2025; Insightdesk keeps the history it has.",
                "Instagram no longer provides “plays” for reels since 21 April 2025; Insightdesk \
                 keeps the history it has.",
                "Instagram no longer provides “impressions” for your account since 21 April \
                 2025; Insightdesk keeps the history it has.",
                "Instagram no longer provides “profile_views” for your account since 8 January \
                 2025; Insightdesk keeps the history it has.",
            ]
        );
        assert_eq!(drops[0].data_kind(), "dropped:media:impressions");
        assert_eq!(drops[2].data_kind(), "dropped:user:impressions");
        // `reach` and `follower_count` are still asked for; nothing is said of them.
        let said: HashSet<String> = drops.iter().map(Dropped::data_kind).collect();
        assert!(dropped(&recorded(), &said, &asked(&catalog, 21, "2025-05-25")).is_empty());
    }

    #[test]
    fn a_version_without_the_metric_dates_the_drop_by_its_release() {
        let catalog = Catalog::embedded().unwrap();
        // v22 never provided `impressions`; on 1 March 2025 its removal date is still ahead.
        let drops = drops_at(&catalog, 22, "2025-03-01");
        let media = drops
            .iter()
            .find(|d| d.level == Level::Media && d.metric == "impressions")
            .unwrap();
        assert_eq!(media.since, Some(day("2025-01-21")));
    }
}
