//! The report model rendered as text, held as a snapshot (`cargo insta review` to accept a
//! deliberate change), plus the chart specs' TypeScript shapes the UI is built against.

use insightdesk_report::chart::ChartSpec;
use insightdesk_report::{Measure, ReportTemplate, build_report, render_json, render_text};
use ts_rs::TS;

use crate::sample::{bea_request, bea_store};

#[test]
fn the_weekly_report_reads_as_expected() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    insta::assert_snapshot!("bea_week_text", render_text(&report, ReportTemplate::Full));
}

#[test]
fn the_weekly_summary_and_media_kit_read_as_expected() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    insta::assert_snapshot!(
        "bea_week_summary_text",
        render_text(&report, ReportTemplate::Summary)
    );
    insta::assert_snapshot!(
        "bea_week_brand_text",
        render_text(&report, ReportTemplate::Brand)
    );
}

#[test]
fn the_json_carries_a_schema_version_and_stable_names() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&render_json(&report).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["time_zone"], "Europe/Berlin");
    assert_eq!(json["period"]["first"], "2025-03-03");
    assert_eq!(json["kpis"][0]["measure"], "followers");
    assert_eq!(json["kpis"][0]["delta"]["current"], 1050.0);
    assert_eq!(json["charts"]["daily_reach"]["kind"], "line");
    assert_eq!(json["charts"]["best_time"]["data"]["type"], "grid");
    assert_eq!(
        json["posts"][0]["posted_local"],
        "2025-03-03T09:00:00+01:00"
    );
    let top: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    insta::assert_snapshot!("json_top_level_fields", top.join("\n"));
}

#[test]
fn chart_specs_have_typescript_bindings_for_the_ui() {
    let cfg = ts_rs::Config::default();
    let decls = [
        ChartSpec::decl(&cfg),
        <insightdesk_report::chart::ChartData as TS>::decl(&cfg),
        <insightdesk_report::chart::Series as TS>::decl(&cfg),
        <Measure as TS>::decl(&cfg),
    ];
    insta::assert_snapshot!("chart_spec_typescript", decls.join("\n"));
}
