//! Every recorded response in `fixtures/graph/` parses into the typed model; every error
//! fixture maps to its class; the legacy ones are told apart by the catalog.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use insightdesk_graph::catalog::Level;
use insightdesk_graph::models::webhook::{Change, ChangeValue, Envelope};
use insightdesk_graph::models::{
    DebugToken, IgCodeExchange, IgUser, Insights, Media, MediaType, MetricValue, Page, PageAccount,
    TokenResponse,
};
use insightdesk_graph::parse::parse_json;
use insightdesk_graph::{
    ApiVersion, Catalog, ErrorClass, GraphError, MetaError, MetricType, Usage,
};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/graph")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn parse<T: serde::de::DeserializeOwned>(name: &str) -> T {
    parse_json(&read(name)).unwrap_or_else(|e| panic!("{name} does not parse: {e:?}"))
}

/// What each fixture is, so a fixture added without a model fails [`every_fixture_is_covered`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    UserInsights,
    MediaInsights,
    MediaPage,
    PageAccounts,
    IgUser,
    Token,
    CodeExchange,
    DebugToken,
    Error(&'static str),
    UsageHeaders,
    WebhookChange,
    WebhookEnvelopes,
}

const FIXTURES: &[(&str, Kind)] = &[
    ("debug_token.json", Kind::DebugToken),
    (
        "engaged_audience_demographics_meta_doc.json",
        Kind::UserInsights,
    ),
    (
        "error_100_missing_permission.json",
        Kind::Error("Permission"),
    ),
    (
        "error_deprecated_metric_video_views_v21.json",
        Kind::Error("MetricUnsupported:video_views"),
    ),
    (
        "error_expired_token_190_463.json",
        Kind::Error("NeedsReauth"),
    ),
    (
        "error_ig_login_code_exchange_rejected.json",
        Kind::Error("NeedsReauth"),
    ),
    (
        "error_permission_code_10_airbyte_test.json",
        Kind::Error("Permission"),
    ),
    (
        "error_posted_before_business_conversion_2108006.json",
        Kind::Error("MediaBeforeBusinessConversion"),
    ),
    ("error_rate_limit_32_page.json", Kind::Error("Throttled")),
    ("error_rate_limit_buc_80001.json", Kind::Error("Throttled")),
    (
        "error_rate_limit_instagram_80002_airbyte_test.json",
        Kind::Error("Throttled"),
    ),
    (
        "error_unsupported_get_100_33_airbyte_test.json",
        Kind::Error("Permission"),
    ),
    (
        "error_views_not_supported_for_media_product_type.json",
        Kind::Error("MetricUnsupported:views"),
    ),
    (
        "follower_demographics_age_gender_airbyte.json",
        Kind::UserInsights,
    ),
    (
        "follower_demographics_city_airbyte.json",
        Kind::UserInsights,
    ),
    ("ig_user_fields.json", Kind::IgUser),
    ("me_accounts_airbyte.json", Kind::PageAccounts),
    ("me_accounts_meta_postman.json", Kind::PageAccounts),
    ("me_accounts_paginated_pyfb.json", Kind::PageAccounts),
    ("media_insights_legacy_2021_pyfb.json", Kind::MediaInsights),
    (
        "media_insights_profile_activity_v18_pyfb.json",
        Kind::MediaInsights,
    ),
    (
        "media_insights_reel_airbyte_test_legacy_metrics.json",
        Kind::MediaInsights,
    ),
    ("media_insights_reel_meta_postman.json", Kind::MediaInsights),
    ("media_list_paginated_p1.json", Kind::MediaPage),
    (
        "media_list_paginated_p2_carousel_children.json",
        Kind::MediaPage,
    ),
    ("rate_limit_headers_buc_pyfb.json", Kind::UsageHeaders),
    ("stories_list.json", Kind::MediaPage),
    ("story_insights_airbyte_test.json", Kind::MediaInsights),
    ("token_exchange_long_lived_pyfb.json", Kind::Token),
    ("token_fb_login_long_lived_exchange.json", Kind::Token),
    (
        "token_ig_login_code_exchange_short_lived.json",
        Kind::CodeExchange,
    ),
    ("token_ig_login_long_lived_exchange.json", Kind::Token),
    ("token_ig_login_refresh.json", Kind::Token),
    (
        "user_insights_follower_count_reach_day_airbyte_test.json",
        Kind::UserInsights,
    ),
    ("user_insights_legacy_2017_pyfb.json", Kind::UserInsights),
    (
        "user_insights_time_series_day_meta_postman.json",
        Kind::UserInsights,
    ),
    (
        "user_insights_total_value_breakdown_meta_doc.json",
        Kind::UserInsights,
    ),
    (
        "user_insights_total_value_breakdown_v18_pyfb.json",
        Kind::UserInsights,
    ),
    (
        "webhook_comments_change_meta_sample.json",
        Kind::WebhookChange,
    ),
    (
        "webhook_mentions_comment_envelope_meta_doc.json",
        Kind::WebhookEnvelopes,
    ),
    (
        "webhook_story_insights_envelope_meta_doc.json",
        Kind::WebhookEnvelopes,
    ),
];

/// SOURCES.md: these show metrics Meta has removed.
const LEGACY: &[&str] = &[
    "user_insights_legacy_2017_pyfb.json",
    "media_insights_legacy_2021_pyfb.json",
    "media_insights_reel_airbyte_test_legacy_metrics.json",
    "story_insights_airbyte_test.json",
];

fn class_name(class: &ErrorClass) -> String {
    match class {
        ErrorClass::NeedsReauth => "NeedsReauth".into(),
        ErrorClass::Throttled { .. } => "Throttled".into(),
        ErrorClass::MetricUnsupported { metric } => {
            format!("MetricUnsupported:{}", metric.as_deref().unwrap_or("?"))
        }
        ErrorClass::NotEnoughViewers => "NotEnoughViewers".into(),
        ErrorClass::MediaBeforeBusinessConversion => "MediaBeforeBusinessConversion".into(),
        ErrorClass::Transient => "Transient".into(),
        ErrorClass::Permission => "Permission".into(),
        ErrorClass::Other => "Other".into(),
    }
}

#[test]
fn every_fixture_is_covered() {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = FIXTURES.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(
        on_disk, listed,
        "a fixture was added or removed: give it a model here"
    );
}

#[test]
fn every_fixture_parses_into_its_model() {
    for (name, kind) in FIXTURES {
        match kind {
            Kind::UserInsights | Kind::MediaInsights => {
                let insights: Insights = parse(name);
                assert!(!insights.data.is_empty(), "{name}");
            }
            Kind::MediaPage => {
                let page: Page<Media> = parse(name);
                assert!(!page.data.is_empty(), "{name}");
                assert!(
                    page.data
                        .iter()
                        .all(|m| m.timestamp.is_some() && m.media_type.is_some()),
                    "{name}"
                );
            }
            Kind::PageAccounts => {
                let page: Page<PageAccount> = parse(name);
                assert!(!page.data.is_empty(), "{name}");
            }
            Kind::IgUser => {
                let _: IgUser = parse(name);
            }
            Kind::Token => {
                let token: TokenResponse = parse(name);
                assert!(token.expires_in.is_some_and(|s| s > 5_000_000), "{name}");
                assert_eq!(token.token_type.as_deref(), Some("bearer"));
            }
            Kind::CodeExchange => {
                let _: IgCodeExchange = parse(name);
            }
            Kind::DebugToken => {
                let _: DebugToken = parse(name);
            }
            Kind::Error(_) => {
                assert!(
                    MetaError::from_body(&read(name)).is_some(),
                    "{name} is an error"
                );
            }
            Kind::UsageHeaders => {
                let headers: std::collections::BTreeMap<String, String> = parse(name);
                let usage =
                    Usage::from_pairs(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                assert!(!usage.is_empty(), "{name}");
            }
            Kind::WebhookChange => {
                let change: Change = parse(name);
                assert!(
                    matches!(change.typed(), Ok(ChangeValue::Comment(_))),
                    "{name}"
                );
            }
            Kind::WebhookEnvelopes => {
                let envelopes: Vec<Envelope> = parse(name);
                for change in envelopes
                    .iter()
                    .flat_map(|e| &e.entry)
                    .flat_map(|e| &e.changes)
                {
                    assert!(
                        !matches!(change.typed(), Ok(ChangeValue::Other(_)) | Err(_)),
                        "{name}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_error_fixture_maps_to_its_class_and_reads_as_a_sentence() {
    for (name, kind) in FIXTURES {
        let Kind::Error(expected) = kind else {
            continue;
        };
        let meta = MetaError::from_body(&read(name)).unwrap();
        let class = meta.class();
        assert_eq!(class_name(&class), *expected, "{name}");
        let error = GraphError::Api {
            class,
            meta: Box::new(meta),
            status: 400,
            request: "GET https://graph.facebook.com/v26.0/17841400455970028/insights?metric=reach"
                .into(),
        };
        let text = error.to_string();
        assert!(
            text.ends_with('.') && text.chars().next().is_some_and(char::is_uppercase),
            "{name}: {text}"
        );
    }
}

fn at() -> (ApiVersion, NaiveDate) {
    (
        ApiVersion::LATEST,
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
    )
}

/// A fixture shows a removed metric when the catalog says one of its metrics (in the form it
/// was answered: time series or total value) is no longer answered today.
fn removed_metrics(name: &str, level: Level, catalog: &Catalog) -> Vec<String> {
    let insights: Insights = parse(name);
    let (version, date) = at();
    insights
        .data
        .iter()
        .filter(|m| {
            let form = match level {
                Level::User if m.total_value.is_some() => Some(MetricType::TotalValue),
                Level::User if m.values.iter().any(|v| v.end_time.is_some()) => {
                    Some(MetricType::TimeSeries)
                }
                _ => None,
            };
            catalog.is_removed(&m.name, level, version, date, form)
        })
        .map(|m| m.name.clone())
        .collect()
}

#[test]
fn legacy_insights_fixtures_are_told_apart_by_the_catalog() {
    let catalog = Catalog::embedded().unwrap();
    for (name, kind) in FIXTURES {
        let level = match kind {
            Kind::UserInsights => Level::User,
            Kind::MediaInsights => Level::Media,
            _ => continue,
        };
        let removed = removed_metrics(name, level, &catalog);
        assert_eq!(
            !removed.is_empty(),
            LEGACY.contains(name),
            "{name}: removed metrics {removed:?}"
        );
    }
    assert_eq!(
        removed_metrics(
            "media_insights_reel_airbyte_test_legacy_metrics.json",
            Level::Media,
            &catalog
        ),
        [
            "plays",
            "ig_reels_aggregated_all_plays_count",
            "clips_replays_count"
        ]
    );
    assert_eq!(
        removed_metrics("user_insights_legacy_2017_pyfb.json", Level::User, &catalog),
        ["impressions", "profile_views"]
    );
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn time_series_and_total_values_read_right() {
    let ts: Insights = parse("user_insights_time_series_day_meta_postman.json");
    let reach = &ts.data[0];
    assert_eq!(reach.values.len(), 2);
    assert_eq!(reach.values[0].end_time, Some(utc("2025-12-09T08:00:00Z")));
    assert_eq!(reach.values[1].value, Some(MetricValue::Count(0)));

    let tv: Insights = parse("user_insights_total_value_breakdown_v18_pyfb.json");
    let total = tv.data[0].total_value.as_ref().unwrap();
    assert_eq!(total.value, Some(MetricValue::Count(14_516_883)));
    let breakdown = &total.breakdowns[0];
    assert_eq!(
        breakdown.dimension_keys,
        ["media_product_type", "follow_type"]
    );
    assert_eq!(
        breakdown.value_for(&["AD", "NON_FOLLOWER"]),
        Some(&MetricValue::Count(14_357_147))
    );

    let city: Insights = parse("follower_demographics_city_airbyte.json");
    let results = &city.data[0].total_value.as_ref().unwrap().breakdowns[0].results;
    assert_eq!(results.len(), 45, "Meta's top-45 cap");
    assert!(
        results
            .iter()
            .any(|r| r.dimension_values == ["São Paulo, São Paulo (state)"]),
        "cities keep their spelling"
    );

    let age_gender: Insights = parse("follower_demographics_age_gender_airbyte.json");
    let b = &age_gender.data[0].total_value.as_ref().unwrap().breakdowns[0];
    assert_eq!(b.value_for(&["25-34", "F"]), Some(&MetricValue::Count(25)));
    assert_eq!(
        age_gender.data[0].total_value.as_ref().unwrap().value,
        None,
        "demographics have no total"
    );
}

#[test]
fn lower_case_breakdown_values_come_out_upper_case() {
    let insights: Insights = parse("media_insights_profile_activity_v18_pyfb.json");
    let metric = &insights.data[0];
    let results = &metric.total_value.as_ref().unwrap().breakdowns[0].results;
    assert_eq!(results[0].dimension_values, ["BIO_LINK_CLICKED"]);
    assert_eq!(metric.single_value(), Some(&MetricValue::Count(11)));
}

#[test]
fn media_pages_carry_children_and_cursors() {
    let p2: Page<Media> = parse("media_list_paginated_p2_carousel_children.json");
    let album = p2
        .data
        .iter()
        .find(|m| m.media_type == Some(MediaType::CarouselAlbum))
        .unwrap();
    let children = album.child_media();
    assert_eq!(children.len(), 3);
    let video = children
        .iter()
        .find(|c| c.media_type == Some(MediaType::Video))
        .unwrap();
    assert!(video.thumbnail_url.is_some());
    assert_eq!(p2.next_cursor(), None, "the last page has no next link");

    let p1: Page<Media> = parse("media_list_paginated_p1.json");
    assert_eq!(p1.next_cursor(), Some("after"));
    assert_eq!(p1.data[0].timestamp, Some(utc("2021-08-13T08:25:28Z")));
    let shown = format!("{:?}", p1.paging);
    assert!(
        !shown.contains("access_token=access_token"),
        "paging links are redacted in Debug: {shown}"
    );
}

#[test]
fn pages_lead_to_instagram_accounts_and_hide_their_tokens() {
    let airbyte: Page<PageAccount> = parse("me_accounts_airbyte.json");
    assert_eq!(airbyte.data[0].ig_user_id(), Some("17841462785487205"));
    let postman: Page<PageAccount> = parse("me_accounts_meta_postman.json");
    assert_eq!(postman.data[0].ig_user_id(), Some("{ig_user_id}"));
    assert_eq!(
        postman.data[0]
            .access_token
            .as_ref()
            .map(|t| t.expose().as_str()),
        Some("{page_access_token}")
    );
    assert!(!format!("{:?}", postman.data[0]).contains("{page_access_token}"));
    let pyfb: Page<PageAccount> = parse("me_accounts_paginated_pyfb.json");
    assert!(pyfb.data.iter().all(|p| p.ig_user_id().is_none()));
    assert_eq!(pyfb.summary.as_ref().and_then(|s| s.total_count), Some(6));
    assert_eq!(pyfb.next_cursor(), Some("after"));
}

#[test]
fn tokens_and_token_info() {
    let exchange: IgCodeExchange = parse("token_ig_login_code_exchange_short_lived.json");
    assert_eq!(exchange.user_id, "1020...");
    assert_eq!(exchange.permissions.len(), 4);
    assert!(!format!("{exchange:?}").contains("EAACEdEose0"));
    let info: DebugToken = parse("debug_token.json");
    assert!(info.data.is_valid);
    assert_eq!(
        info.data.expires().map(|t| t.timestamp()),
        Some(1_577_347_200)
    );
    assert!(info.data.has_scope("pages_show_list"));
    let long: TokenResponse = parse("token_fb_login_long_lived_exchange.json");
    let now = utc("2026-09-01T00:00:00Z");
    assert_eq!(
        long.expires_at(now),
        Some(now + chrono::Duration::seconds(5_183_944))
    );
}

#[test]
fn the_recorded_usage_header_reads_as_percentages() {
    let headers: std::collections::BTreeMap<String, String> =
        parse("rate_limit_headers_buc_pyfb.json");
    let usage = Usage::from_pairs(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let entry = &usage.business[0];
    assert_eq!(entry.object_id, "17841400455970028");
    assert_eq!(entry.kind.as_deref(), Some("instagram"));
    assert_eq!(usage.highest_percent(Some("17841400455970028")), Some(72.0));
    assert_eq!(
        usage.regain_after(Some("17841400455970028")),
        Some(std::time::Duration::from_secs(1200))
    );
}

#[test]
fn webhook_values_are_typed() {
    let envelopes: Vec<Envelope> = parse("webhook_story_insights_envelope_meta_doc.json");
    let change = &envelopes[0].entry[0].changes[0];
    let Ok(ChangeValue::StoryInsights(story)) = change.typed() else {
        panic!("story insights")
    };
    assert_eq!(story.impressions, Some(28));
    assert_eq!(story.taps_forward, Some(12));
    let envelopes: Vec<Envelope> = parse("webhook_mentions_comment_envelope_meta_doc.json");
    let Ok(ChangeValue::Mention(mention)) = envelopes[0].entry[0].changes[0].typed() else {
        panic!("mention")
    };
    assert_eq!(mention.comment_id.as_deref(), Some("17894227972186120"));
}
