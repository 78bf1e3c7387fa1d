//! The metric catalog: which insights metrics Meta answers for which (API version, date, login
//! kind, media product type, media type). The rules are data (`catalog/metrics.toml`, embedded
//! at build time); this module only reads and queries them.

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::endpoints::{ApiVersion, LoginKind};
use crate::error::GraphError;
use crate::models::insights::Period;
use crate::models::{MediaProductType, MediaType};

const EMBEDDED: &str = include_str!("../catalog/metrics.toml");

/// Whose insights a metric describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// `/{ig-user-id}/insights`.
    User,
    /// `/{ig-media-id}/insights`.
    Media,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::User => "user",
            Level::Media => "media",
        }
    }
}

/// `metric_type` of user insights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricType {
    TimeSeries,
    TotalValue,
}

impl MetricType {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::TimeSeries => "time_series",
            MetricType::TotalValue => "total_value",
        }
    }
}

/// How dependable a metric is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricStatus {
    #[default]
    Current,
    /// Meta labels it "in development"; requested, but the first suspect when a call fails.
    InDevelopment,
    /// Still answered, missing from Meta's current table; not requested by default.
    Legacy,
    /// Errors unless a condition holds (e.g. cross-posted to Facebook); not requested by default.
    Conditional,
}

/// One catalog entry. A metric may have several entries when its rules differ by product
/// type or metric type.
#[derive(Debug, Clone)]
pub struct MetricSpec {
    pub name: String,
    pub level: Level,
    pub login_kinds: Vec<LoginKind>,
    pub product_types: Vec<MediaProductType>,
    pub media_types: Vec<MediaType>,
    pub metric_types: Vec<MetricType>,
    pub periods: Vec<Period>,
    pub breakdowns: Vec<String>,
    pub breakdown_required: bool,
    pub timeframes: Vec<String>,
    pub status: MetricStatus,
    pub added_in: Option<ApiVersion>,
    pub added_on: Option<NaiveDate>,
    pub removed_in: Option<ApiVersion>,
    pub removed_on: Option<NaiveDate>,
    pub replaced_by: Option<String>,
    pub min_followers: Option<u64>,
    pub lookback_days: Option<u32>,
    pub note: Option<String>,
    pub sources: Vec<String>,
}

impl MetricSpec {
    /// Answered by `version` on `date` (both its addition and its removal considered).
    pub fn is_live(&self, version: ApiVersion, date: NaiveDate) -> bool {
        let added =
            self.added_in.is_none_or(|v| version >= v) && self.added_on.is_none_or(|d| date >= d);
        let removed = self.removed_in.is_some_and(|v| version >= v)
            || self.removed_on.is_some_and(|d| date >= d);
        added && !removed
    }

    /// Requested when no one asks for it by name.
    pub fn is_default(&self) -> bool {
        matches!(
            self.status,
            MetricStatus::Current | MetricStatus::InDevelopment
        )
    }

    fn applies_to(&self, selector: &Selector) -> bool {
        self.level == selector.level
            && self.login_kinds.contains(&selector.login)
            && selector
                .product_type
                .as_ref()
                .is_none_or(|p| self.product_types.is_empty() || self.product_types.contains(p))
            && selector
                .media_type
                .as_ref()
                .is_none_or(|m| self.media_types.is_empty() || self.media_types.contains(m))
            && selector
                .metric_type
                .is_none_or(|t| self.metric_types.is_empty() || self.metric_types.contains(&t))
    }
}

/// A Graph API version's lifetime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSpan {
    pub version: ApiVersion,
    pub released: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
}

/// What to pick metrics for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub version: ApiVersion,
    pub date: NaiveDate,
    pub login: LoginKind,
    pub level: Level,
    pub product_type: Option<MediaProductType>,
    pub media_type: Option<MediaType>,
    /// User level: only metrics answering with this `metric_type`.
    pub metric_type: Option<MetricType>,
}

impl Selector {
    pub fn user(version: ApiVersion, login: LoginKind, date: NaiveDate) -> Self {
        Self {
            version,
            date,
            login,
            level: Level::User,
            product_type: None,
            media_type: None,
            metric_type: None,
        }
    }

    pub fn media(
        version: ApiVersion,
        login: LoginKind,
        date: NaiveDate,
        product_type: MediaProductType,
        media_type: Option<MediaType>,
    ) -> Self {
        Self {
            version,
            date,
            login,
            level: Level::Media,
            product_type: Some(product_type),
            media_type,
            metric_type: None,
        }
    }

    pub fn with_metric_type(mut self, metric_type: MetricType) -> Self {
        self.metric_type = Some(metric_type);
        self
    }
}

/// Metrics that can go into one request: same `metric_type`, `period`, `breakdown` and
/// `timeframe` (Meta fails the whole call when these are mixed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricGroup {
    pub metrics: Vec<String>,
    pub metric_type: Option<MetricType>,
    pub period: Option<Period>,
    pub breakdown: Option<String>,
    pub timeframe: Option<String>,
}

/// The catalog: versions and metrics.
#[derive(Debug, Clone)]
pub struct Catalog {
    versions: Vec<VersionSpan>,
    metrics: Vec<MetricSpec>,
}

impl Catalog {
    /// The catalog built into this binary (parsed once).
    pub fn embedded() -> Result<Arc<Catalog>, GraphError> {
        static CATALOG: OnceLock<Result<Arc<Catalog>, String>> = OnceLock::new();
        CATALOG
            .get_or_init(|| {
                Catalog::from_toml(EMBEDDED)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(GraphError::Catalog)
    }

    /// Reads a catalog in the format of `catalog/metrics.toml`.
    pub fn from_toml(text: &str) -> Result<Catalog, GraphError> {
        let raw: RawCatalog =
            toml::from_str(text).map_err(|e| GraphError::Catalog(e.to_string()))?;
        let mut versions = raw
            .version
            .into_iter()
            .map(|v| {
                Ok(VersionSpan {
                    version: v.version.parse()?,
                    released: date_opt(v.released.as_deref())?,
                    expires: date_opt(v.expires.as_deref())?,
                })
            })
            .collect::<Result<Vec<_>, GraphError>>()?;
        versions.sort_by_key(|v| v.version);
        let metrics = raw
            .metric
            .into_iter()
            .map(RawMetric::into_spec)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Catalog { versions, metrics })
    }

    pub fn versions(&self) -> &[VersionSpan] {
        &self.versions
    }

    pub fn metrics(&self) -> &[MetricSpec] {
        &self.metrics
    }

    /// Every entry for one metric name at one level.
    pub fn entries<'a>(
        &'a self,
        name: &'a str,
        level: Level,
    ) -> impl Iterator<Item = &'a MetricSpec> + 'a {
        self.metrics
            .iter()
            .filter(move |m| m.level == level && m.name == name)
    }

    /// The version Meta actually serves for `requested` on `date`: a call to an expired
    /// version is answered by the oldest version still available.
    pub fn effective_version(&self, requested: ApiVersion, date: NaiveDate) -> ApiVersion {
        let live = |v: &VersionSpan| v.expires.is_none_or(|e| date < e);
        let requested_is_live = match self.versions.iter().find(|v| v.version == requested) {
            Some(span) => live(span),
            // Unknown: newer than the table is taken as live; older is long gone.
            None => self
                .versions
                .last()
                .is_none_or(|newest| requested > newest.version),
        };
        if requested_is_live {
            return requested;
        }
        self.versions
            .iter()
            .filter(|v| v.version > requested)
            .find(|v| live(v))
            .map_or(requested, |v| v.version)
    }

    /// Every metric Meta answers for the selector (all statuses), one entry per name.
    pub fn valid(&self, selector: &Selector) -> Vec<&MetricSpec> {
        let version = self.effective_version(selector.version, selector.date);
        let mut out: Vec<&MetricSpec> = Vec::new();
        for spec in &self.metrics {
            if spec.applies_to(selector)
                && spec.is_live(version, selector.date)
                && !out.iter().any(|s| s.name == spec.name)
            {
                out.push(spec);
            }
        }
        out
    }

    /// The metrics to request when no one asks by name: [`Catalog::valid`] without legacy and
    /// conditional metrics.
    pub fn default_set(&self, selector: &Selector) -> Vec<&MetricSpec> {
        self.valid(selector)
            .into_iter()
            .filter(|s| s.is_default())
            .collect()
    }

    /// True when the catalog knows `name` at `level` and no entry of it is answered any more
    /// on (`version`, `date`) for any scope (restricted to `metric_type` when given).
    pub fn is_removed(
        &self,
        name: &str,
        level: Level,
        version: ApiVersion,
        date: NaiveDate,
        metric_type: Option<MetricType>,
    ) -> bool {
        let version = self.effective_version(version, date);
        let mut known = false;
        for spec in self.entries(name, level) {
            if metric_type
                .is_some_and(|t| !spec.metric_types.is_empty() && !spec.metric_types.contains(&t))
            {
                continue;
            }
            known = true;
            if spec.is_live(version, date) {
                return false;
            }
        }
        known
    }

    /// Metric names valid for every one of `types` (product type, media type), without
    /// breakdowns: what `insights.metric(...)` may carry when the media edge expands insights
    /// for a page of mixed media.
    pub fn common_media_metrics(
        &self,
        version: ApiVersion,
        login: LoginKind,
        date: NaiveDate,
        types: &[(MediaProductType, Option<MediaType>)],
    ) -> Vec<String> {
        let mut common: Option<Vec<String>> = None;
        for (product, media) in types {
            let selector = Selector::media(version, login, date, product.clone(), media.clone());
            let names: Vec<String> = self
                .default_set(&selector)
                .into_iter()
                .filter(|s| s.breakdowns.is_empty())
                .map(|s| s.name.clone())
                .collect();
            common = Some(match common {
                None => names,
                Some(previous) => previous.into_iter().filter(|n| names.contains(n)).collect(),
            });
        }
        common.unwrap_or_default()
    }

    /// The default media metrics of one media, grouped into requests: the metrics without
    /// breakdowns in one group, then one group per breakdown metric with its breakdown (the
    /// breakdown answer also carries the metric's total).
    pub fn media_groups(&self, selector: &Selector) -> Vec<MetricGroup> {
        let specs = self.default_set(selector);
        let mut plain = MetricGroup {
            metrics: Vec::new(),
            metric_type: None,
            period: None,
            breakdown: None,
            timeframe: None,
        };
        let mut groups = Vec::new();
        for spec in specs {
            match spec.breakdowns.first() {
                None => plain.metrics.push(spec.name.clone()),
                Some(breakdown) => groups.push(MetricGroup {
                    metrics: vec![spec.name.clone()],
                    metric_type: None,
                    period: None,
                    breakdown: Some(breakdown.clone()),
                    timeframe: None,
                }),
            }
        }
        if !plain.metrics.is_empty() {
            groups.insert(0, plain);
        }
        groups
    }

    /// The default user metrics grouped into requests: one group per (metric type, period)
    /// for metrics that answer without a breakdown, and one group per (demographic metric,
    /// breakdown) for those that only answer with one.
    pub fn user_groups(&self, selector: &Selector) -> Vec<MetricGroup> {
        let mut groups: Vec<MetricGroup> = Vec::new();
        for spec in self.default_set(selector) {
            let period = spec.periods.first().cloned();
            if spec.breakdown_required {
                for breakdown in &spec.breakdowns {
                    groups.push(MetricGroup {
                        metrics: vec![spec.name.clone()],
                        metric_type: spec.metric_types.first().copied(),
                        period: period.clone(),
                        breakdown: Some(breakdown.clone()),
                        timeframe: spec.timeframes.first().cloned(),
                    });
                }
                continue;
            }
            for metric_type in &spec.metric_types {
                if selector.metric_type.is_some_and(|t| t != *metric_type) {
                    continue;
                }
                let existing = groups.iter_mut().find(|g| {
                    g.metric_type == Some(*metric_type)
                        && g.period == period
                        && g.breakdown.is_none()
                });
                match existing {
                    Some(group) => group.metrics.push(spec.name.clone()),
                    None => groups.push(MetricGroup {
                        metrics: vec![spec.name.clone()],
                        metric_type: Some(*metric_type),
                        period: period.clone(),
                        breakdown: None,
                        timeframe: None,
                    }),
                }
            }
        }
        groups
    }

    /// When Meta rejects a request without naming the metric, the most likely culprit among
    /// `requested`, by elimination: first a metric the catalog has as removed (or unknown),
    /// then one Meta calls "in development", then the most recently added, else none.
    pub fn suspect(
        &self,
        requested: &[String],
        level: Level,
        version: ApiVersion,
        date: NaiveDate,
    ) -> Option<String> {
        let known = |name: &str| self.entries(name, level).next().is_some();
        if let Some(name) = requested
            .iter()
            .find(|n| !known(n) || self.is_removed(n, level, version, date, None))
        {
            return Some(name.clone());
        }
        if let Some(name) = requested.iter().find(|n| {
            self.entries(n, level)
                .any(|s| s.status != MetricStatus::Current)
        }) {
            return Some(name.clone());
        }
        requested
            .iter()
            .filter_map(|n| {
                let added = self.entries(n, level).filter_map(|s| s.added_on).max()?;
                Some((added, n))
            })
            .max()
            .map(|(_, n)| n.clone())
    }
}

fn date_opt(text: Option<&str>) -> Result<Option<NaiveDate>, GraphError> {
    text.map(|t| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|e| GraphError::Catalog(format!("`{t}` is not a date: {e}")))
    })
    .transpose()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    version: Vec<RawVersion>,
    #[serde(default)]
    metric: Vec<RawMetric>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    version: String,
    released: Option<String>,
    expires: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    name: String,
    level: Level,
    #[serde(default = "both_logins")]
    login_kinds: Vec<LoginKind>,
    #[serde(default)]
    product_types: Vec<String>,
    #[serde(default)]
    media_types: Vec<String>,
    #[serde(default)]
    metric_types: Vec<MetricType>,
    #[serde(default)]
    periods: Vec<String>,
    #[serde(default)]
    breakdowns: Vec<String>,
    #[serde(default)]
    breakdown_required: bool,
    #[serde(default)]
    timeframes: Vec<String>,
    #[serde(default)]
    status: MetricStatus,
    added_in: Option<String>,
    added_on: Option<String>,
    removed_in: Option<String>,
    removed_on: Option<String>,
    replaced_by: Option<String>,
    min_followers: Option<u64>,
    lookback_days: Option<u32>,
    #[serde(default)]
    months_only: bool,
    note: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
}

fn both_logins() -> Vec<LoginKind> {
    LoginKind::ALL.to_vec()
}

impl RawMetric {
    fn into_spec(self) -> Result<MetricSpec, GraphError> {
        let bad = |why: &str| GraphError::Catalog(format!("metric `{}`: {why}", self.name));
        if self.name.trim().is_empty() {
            return Err(bad("empty name"));
        }
        if self.level == Level::User
            && !(self.product_types.is_empty() && self.media_types.is_empty())
        {
            return Err(bad("a user metric has no product or media types"));
        }
        if self.level == Level::Media && self.product_types.is_empty() {
            return Err(bad("a media metric names its product types"));
        }
        if self.months_only && self.added_on.is_none() {
            return Err(bad("months_only without added_on"));
        }
        let unknown_product = self
            .product_types
            .iter()
            .find(|p| matches!(MediaProductType::parse(p), MediaProductType::Other(_)));
        let unknown_media = self
            .media_types
            .iter()
            .find(|m| matches!(MediaType::parse(m), MediaType::Other(_)));
        if let Some(p) = unknown_product.or(unknown_media) {
            return Err(bad(&format!("unknown type `{p}`")));
        }
        let version = |v: &Option<String>| v.as_deref().map(str::parse::<ApiVersion>).transpose();
        Ok(MetricSpec {
            added_in: version(&self.added_in)?,
            removed_in: version(&self.removed_in)?,
            added_on: date_opt(self.added_on.as_deref())?,
            removed_on: date_opt(self.removed_on.as_deref())?,
            product_types: self
                .product_types
                .iter()
                .map(|p| MediaProductType::parse(p))
                .collect(),
            media_types: self
                .media_types
                .iter()
                .map(|m| MediaType::parse(m))
                .collect(),
            periods: self.periods.iter().map(|p| Period::parse(p)).collect(),
            name: self.name,
            level: self.level,
            login_kinds: self.login_kinds,
            metric_types: self.metric_types,
            breakdowns: self.breakdowns,
            breakdown_required: self.breakdown_required,
            timeframes: self.timeframes,
            status: self.status,
            replaced_by: self.replaced_by,
            min_followers: self.min_followers,
            lookback_days: self.lookback_days,
            note: self.note,
            sources: self.sources,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn names(specs: &[&MetricSpec]) -> Vec<String> {
        specs.iter().map(|s| s.name.clone()).collect()
    }

    fn v(n: u16) -> ApiVersion {
        ApiVersion::new(n)
    }

    #[test]
    fn embedded_catalog_parses_and_every_metric_has_sources() {
        let c = Catalog::embedded().unwrap();
        assert!(c.metrics().len() > 50);
        assert!(
            c.metrics().iter().all(|m| !m.sources.is_empty()),
            "every entry cites API-FACTS"
        );
        assert_eq!(c.versions().first().map(|v| v.version), Some(v(18)));
    }

    #[test]
    fn expired_versions_are_served_by_the_oldest_live_one() {
        let c = Catalog::embedded().unwrap();
        assert_eq!(c.effective_version(v(18), day("2026-01-25")), v(18));
        assert_eq!(c.effective_version(v(18), day("2026-01-26")), v(19));
        assert_eq!(c.effective_version(v(18), day("2026-10-01")), v(21));
        assert_eq!(c.effective_version(v(12), day("2026-10-01")), v(21));
        assert_eq!(c.effective_version(v(30), day("2026-10-01")), v(30));
        // Pinning v21 does not bring `impressions` back: v21 and the date both rule it out.
        let sel = Selector::user(v(21), LoginKind::Facebook, day("2026-10-01"));
        assert!(!names(&c.valid(&sel)).contains(&"impressions".to_owned()));
    }

    #[test]
    fn removals_apply_by_version_and_by_all_versions_date() {
        let c = Catalog::embedded().unwrap();
        let reel = |version: u16, date: &str| {
            let sel = Selector::media(
                v(version),
                LoginKind::Facebook,
                day(date),
                MediaProductType::Reels,
                Some(MediaType::Video),
            );
            names(&c.valid(&sel))
        };
        assert!(
            reel(21, "2025-03-01").contains(&"plays".to_owned()),
            "v21 before 21 Apr 2025"
        );
        assert!(
            !reel(22, "2025-03-01").contains(&"plays".to_owned()),
            "v22 dropped it at once"
        );
        assert!(
            !reel(21, "2025-04-21").contains(&"plays".to_owned()),
            "all versions from 21 Apr 2025"
        );
        assert!(reel(20, "2024-12-01").contains(&"video_views".to_owned()));
        assert!(!reel(20, "2025-01-08").contains(&"video_views".to_owned()));
        assert!(c.is_removed("impressions", Level::User, v(26), day("2026-09-01"), None));
        assert!(!c.is_removed("profile_views", Level::User, v(26), day("2026-09-01"), None));
        assert!(c.is_removed(
            "profile_views",
            Level::User,
            v(26),
            day("2026-09-01"),
            Some(MetricType::TimeSeries)
        ));
        assert!(!c.is_removed(
            "no_such_metric",
            Level::User,
            v(26),
            day("2026-09-01"),
            None
        ));
    }

    #[test]
    fn media_sets_follow_product_and_media_type_and_login() {
        let c = Catalog::embedded().unwrap();
        let date = day("2026-09-01");
        let set = |login, product, media| {
            names(&c.default_set(&Selector::media(v(26), login, date, product, media)))
        };
        let story = set(
            LoginKind::Facebook,
            MediaProductType::Story,
            Some(MediaType::Video),
        );
        for m in [
            "navigation",
            "replies",
            "follows",
            "profile_visits",
            "link_clicks",
            "reposts",
        ] {
            assert!(story.contains(&m.to_owned()), "{m} in {story:?}");
        }
        assert!(!story.contains(&"likes".to_owned()));
        let ig_story = set(
            LoginKind::Instagram,
            MediaProductType::Story,
            Some(MediaType::Image),
        );
        assert!(
            !ig_story.contains(&"link_clicks".to_owned()),
            "link_clicks is Facebook Login only"
        );
        let feed_video = set(
            LoginKind::Facebook,
            MediaProductType::Feed,
            Some(MediaType::Video),
        );
        assert!(
            !feed_video.contains(&"follows".to_owned()),
            "video rejects follows"
        );
        let feed_image = set(
            LoginKind::Facebook,
            MediaProductType::Feed,
            Some(MediaType::Image),
        );
        assert!(feed_image.contains(&"profile_activity".to_owned()));
        assert!(
            !feed_image.contains(&"facebook_views".to_owned()),
            "conditional metrics are not default"
        );
        // Before Dec 2025 reposts did not exist.
        let early = names(&c.default_set(&Selector::media(
            v(24),
            LoginKind::Facebook,
            day("2025-11-01"),
            MediaProductType::Feed,
            Some(MediaType::Image),
        )));
        assert!(!early.contains(&"reposts".to_owned()));
    }

    #[test]
    fn common_set_is_the_intersection_without_breakdowns() {
        let c = Catalog::embedded().unwrap();
        let common = c.common_media_metrics(
            v(26),
            LoginKind::Instagram,
            day("2026-09-01"),
            &[
                (MediaProductType::Feed, Some(MediaType::Image)),
                (MediaProductType::Feed, Some(MediaType::Video)),
                (MediaProductType::Feed, Some(MediaType::CarouselAlbum)),
                (MediaProductType::Reels, Some(MediaType::Video)),
            ],
        );
        assert_eq!(
            common,
            [
                "views",
                "reach",
                "total_interactions",
                "shares",
                "reposts",
                "likes",
                "comments",
                "saved"
            ]
        );
    }

    #[test]
    fn groups_never_mix_metric_types_or_breakdowns() {
        let c = Catalog::embedded().unwrap();
        let groups = c.user_groups(&Selector::user(
            v(26),
            LoginKind::Facebook,
            day("2026-09-01"),
        ));
        let ts = groups
            .iter()
            .find(|g| {
                g.metric_type == Some(MetricType::TimeSeries) && g.period == Some(Period::Day)
            })
            .unwrap();
        assert_eq!(ts.metrics, ["reach", "follower_count"]);
        let demographics: Vec<_> = groups.iter().filter(|g| g.breakdown.is_some()).collect();
        assert_eq!(
            demographics.len(),
            13,
            "3 demographic metrics x 4 breakdowns, and followers by age and gender together"
        );
        assert!(
            groups
                .iter()
                .all(|g| !g.metrics.contains(&"impressions".to_owned()))
        );
        let story = c.media_groups(&Selector::media(
            v(26),
            LoginKind::Facebook,
            day("2026-09-01"),
            MediaProductType::Story,
            None,
        ));
        assert_eq!(story.len(), 3);
        assert_eq!(story[1].breakdown.as_deref(), Some("action_type"));
        assert_eq!(
            story[2].breakdown.as_deref(),
            Some("story_navigation_action_type")
        );
    }

    #[test]
    fn suspects_removed_then_in_development_then_newest() {
        let c = Catalog::embedded().unwrap();
        let date = day("2026-09-01");
        let req = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            c.suspect(&req(&["reach", "plays"]), Level::Media, v(26), date),
            Some("plays".into())
        );
        assert_eq!(
            c.suspect(&req(&["reach", "views"]), Level::Media, v(26), date),
            Some("views".into())
        );
        assert_eq!(
            c.suspect(
                &req(&["reach", "reposts", "likes"]),
                Level::Media,
                v(26),
                date
            ),
            Some("reposts".into())
        );
        assert_eq!(
            c.suspect(&req(&["reach", "likes"]), Level::Media, v(26), date),
            None
        );
    }

    #[test]
    fn bad_catalogs_are_refused() {
        assert!(Catalog::from_toml("[[metric]]\nname='x'\nlevel='media'\n").is_err());
        assert!(
            Catalog::from_toml("[[metric]]\nname='x'\nlevel='user'\nremoved_on='soon'\n").is_err()
        );
        assert!(Catalog::from_toml("[[metric]]\nname='x'\nlevel='user'\ncolour='red'\n").is_err());
        assert!(
            Catalog::from_toml("[[metric]]\nname='x'\nlevel='media'\nproduct_types=['TV']\n")
                .is_err()
        );
    }
}
