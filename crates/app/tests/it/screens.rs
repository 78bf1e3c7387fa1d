//! The demo creator synced for real (through the in-process simulated Meta), then every
//! screen's data and every report format read back.

use insightdesk_app::dashboard::{ContentArgs, PostArgs, RangeArgs, RangeChoice};
use insightdesk_app::reports::{
    AllTablesArgs, Destination, ExportArgs, PeriodChoice, ReportFormat,
};
use insightdesk_app::{AppEvent, rpc};
use insightdesk_report::ReportTemplate;
use serde_json::json;

use crate::support::{TestApp, test_app};

async fn synced_demo() -> (TestApp, String) {
    let t = test_app();
    let state = t.app.explore_demo().await.unwrap();
    let account = state.active_account.unwrap();
    let summary = t.app.sync_account(&account, "test").await.unwrap();
    assert!(summary.media_new > 100, "{summary:?}");
    assert!(summary.http_requests <= 40, "{summary:?}");
    (t, account)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_synced_demo_fills_every_screen_with_numbers_from_the_store() {
    let (t, account) = synced_demo().await;
    let events = t.host.events();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AppEvent::SyncProgress { .. }))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AppEvent::SyncFinished { .. }))
    );

    let overview = t
        .app
        .overview(RangeArgs {
            account: None,
            range: RangeChoice::Last28,
        })
        .await
        .unwrap();
    assert!(!overview.kpis.is_empty());
    assert!(overview.posts_in_range > 0, "{overview:?}");
    let ids: Vec<&str> = overview.charts.iter().map(|c| c.id.as_str()).collect();
    assert!(
        ids.contains(&"followers") && ids.contains(&"daily_reach"),
        "{ids:?}"
    );

    let content = t
        .app
        .content(ContentArgs {
            account: None,
            range: RangeChoice::LastYear,
            kind: None,
            search: None,
            sort: Some("reach".into()),
            ascending: false,
            offset: 0,
            limit: Some(20),
        })
        .await
        .unwrap();
    assert!(content.total > 50, "{}", content.total);
    let reach: Vec<f64> = content.rows.iter().filter_map(|r| r.reach).collect();
    assert!(
        reach.windows(2).all(|w| w[0] >= w[1]),
        "sorted by reach: {reach:?}"
    );
    assert!(content.rows.iter().all(|r| r.kind != "story"));
    assert!(
        content.rows.iter().any(|r| r.thumbnail.is_some()),
        "thumbnails were fetched into the data folder"
    );

    let reels = t
        .app
        .content(ContentArgs {
            account: None,
            range: RangeChoice::LastYear,
            kind: Some("reel".into()),
            search: None,
            sort: Some("engagement_rate".into()),
            ascending: true,
            offset: 0,
            limit: Some(500),
        })
        .await
        .unwrap();
    assert!(reels.rows.iter().all(|r| r.kind == "reel"));

    let post = t
        .app
        .post_detail(PostArgs {
            id: content.rows[0].id.clone(),
        })
        .await
        .unwrap();
    assert!(!post.metrics.is_empty());
    assert!(post.growth.is_some(), "{:?}", post.growth_note);

    let stories = t
        .app
        .stories(RangeArgs {
            account: None,
            range: RangeChoice::Last7,
        })
        .await
        .unwrap();
    assert!(!stories.summary.stories.is_empty());

    let audience = t.app.audience(None).await.unwrap();
    assert!(
        audience.demographics.missing_reason.is_none(),
        "{:?}",
        audience.demographics
    );
    assert!(!audience.demographics.groups.is_empty());

    let best = t
        .app
        .best_time(RangeArgs {
            account: None,
            range: RangeChoice::LastYear,
        })
        .await
        .unwrap();
    assert!(best.best_time.posts_considered > 50);
    assert!(!best.summary.is_empty());
    // The simulated creator's audience does favour some hours and days: a year of posts
    // finds them (the "no clear best time" answer would fail here).
    assert!(
        best.best_time.slots_compared > 0,
        "{:?}",
        best.best_time.note
    );
    assert!(
        best.best_time.best_hour.is_some(),
        "{:?}",
        best.best_time.note
    );
    assert!(
        best.best_time.best_weekday.is_some(),
        "{:?}",
        best.best_time.note
    );

    let status = t.app.sync_status(Some(account)).await.unwrap();
    assert!(!status.running);
    assert_eq!(status.last_status.as_deref(), Some("succeeded"));
    assert!(status.data_as_of.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_are_written_in_every_format_and_listed() {
    let (t, _account) = synced_demo().await;
    let out = t.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    for (format, name) in [
        (ReportFormat::Pdf, "week.pdf"),
        (ReportFormat::Json, "week.json"),
        (ReportFormat::Csv, "week-csv"),
    ] {
        let record = t
            .app
            .export_report(
                ExportArgs {
                    account: None,
                    period: PeriodChoice::Week { day: None },
                    format,
                    paper: None,
                    template: None,
                    no_bom: false,
                },
                Destination::Path(out.join(name)),
                "you",
            )
            .await
            .unwrap();
        assert!(std::path::Path::new(&record.path).exists(), "{record:?}");
    }
    let pdf = std::fs::read(out.join("week.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(out.join("week-csv/posts.csv").exists());
    let history = t.app.report_history().await.unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].format, ReportFormat::Csv, "newest first");
    let templates: Vec<_> = history.iter().map(|r| r.template).collect();
    assert_eq!(templates, [None, None, Some(ReportTemplate::Full)]);

    // A summary PDF is listed as one; a template other than the full one is a PDF only.
    let summary = ExportArgs {
        account: None,
        period: PeriodChoice::Week { day: None },
        format: ReportFormat::Pdf,
        paper: None,
        template: Some(ReportTemplate::Summary),
        no_bom: false,
    };
    t.app
        .export_report(
            summary.clone(),
            Destination::Path(out.join("summary.pdf")),
            "you",
        )
        .await
        .unwrap();
    let history = t.app.report_history().await.unwrap();
    assert_eq!(history[0].template, Some(ReportTemplate::Summary));
    let err = t
        .app
        .export_report(
            ExportArgs {
                format: ReportFormat::Json,
                ..summary
            },
            Destination::Path(out.join("summary.json")),
            "you",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, insightdesk_app::AppError::InvalidInput(m) if m.contains("PDF")),
        "{err}"
    );
    assert!(!out.join("summary.json").exists());

    // The save dialog was cancelled: nothing is written, and it says so calmly.
    let err = t
        .app
        .export_report(
            ExportArgs {
                account: None,
                period: PeriodChoice::Month { day: None },
                format: ReportFormat::Pdf,
                paper: Some("letter".into()),
                template: None,
                no_bom: false,
            },
            Destination::Ask,
            "you",
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), insightdesk_app::ErrorCode::Cancelled);

    let tables = t
        .app
        .export_everything(t.dir.path().join("all"), AllTablesArgs::default())
        .await
        .unwrap();
    assert!(
        tables.iter().any(|p| p.ends_with("media.csv")),
        "{tables:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_command_answer_ever_carries_a_token_or_secret() {
    let (t, account) = synced_demo().await;
    let session = t.app.session().await.unwrap();
    let credentials = session.demo_credentials().unwrap();
    let grant = session.tokens.grant_for_account(&account).unwrap().unwrap();
    let secrets = [
        grant.token.expose().clone(),
        credentials.facebook_app.app_secret.clone(),
        credentials.instagram_app.app_secret.clone(),
        credentials.user_token.access_token.clone(),
    ];
    let calls = [
        ("app_info", json!({})),
        ("session_state", json!({})),
        ("sync_status", json!({})),
        ("overview", json!({"range": {"kind": "last28"}})),
        (
            "content",
            json!({"range": {"kind": "last_year"}, "limit": 500}),
        ),
        ("stories", json!({"range": {"kind": "last7"}})),
        ("audience", json!({})),
        ("best_time", json!({"range": {"kind": "last90"}})),
        ("engagement", json!({"limit": 100})),
        (
            "report_preview",
            json!({"period": {"kind": "month", "day": null}}),
        ),
        ("report_history", json!({})),
        ("settings_get", json!({})),
    ];
    for (name, args) in calls {
        let answer = rpc::dispatch(&t.app, name, args).await.unwrap();
        let text = answer.to_string();
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{name} leaked a secret");
        }
    }
    // The desktop's own commands, the wipe last: it signs everything out.
    let content = rpc::dispatch(
        &t.app,
        "content",
        json!({"range": {"kind": "last90"}, "limit": 1}),
    )
    .await
    .unwrap();
    let id = content["rows"][0]["id"].clone();
    for (name, args) in [
        ("choose_folder", json!({})),
        ("open_post", json!({ "id": id })),
        ("wipe_profile", json!({})),
    ] {
        let text = rpc::dispatch(&t.app, name, args).await.unwrap().to_string();
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{name} leaked a secret");
        }
    }
    for url in t.host.opened_urls() {
        for secret in &secrets {
            assert!(
                !url.contains(secret.as_str()),
                "an opened address leaked a secret"
            );
        }
    }
    for event in t.host.events() {
        let text = format!("{event:?}");
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "an event leaked a secret");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ranges_reach_is_asked_of_meta_once_kept_and_then_shown() {
    let (t, account) = synced_demo().await;
    let reach = |overview: &insightdesk_app::dashboard::Overview| {
        overview
            .kpis
            .iter()
            .find(|k| k.measure == insightdesk_report::Measure::AccountReach)
            .map(|k| (k.delta.current, k.delta.previous))
            .unwrap()
    };
    let args = || RangeArgs {
        account: None,
        range: RangeChoice::Last7,
    };
    let before = t.app.overview(args()).await.unwrap();
    assert_eq!(
        reach(&before),
        (None, None),
        "reach is never added up from days"
    );

    // What the overview command starts in the background, here awaited.
    let session = t.app.session().await.unwrap();
    let tz = t.app.time_zone().await.unwrap();
    let today = session.meta.now().with_timezone(&tz).date_naive();
    let period = RangeChoice::Last7.period(today).unwrap();
    let stored = t
        .app
        .fill_period_reach(&session, &account, period, tz)
        .await
        .unwrap();
    assert_eq!(stored, 2, "this week's and last week's totals");
    let after = t.app.overview(args()).await.unwrap();
    let (current, previous) = reach(&after);
    assert!(
        current.unwrap() > 0.0 && previous.unwrap() > 0.0,
        "{after:?}"
    );

    // Asked again within hours: nothing is asked (the last week is settled, this one was
    // just asked).
    assert_eq!(
        t.app
            .fill_period_reach(&session, &account, period, tz)
            .await
            .unwrap(),
        0
    );
    // Over 30 days Meta has no total: nothing is asked, the screen says why.
    let long = RangeChoice::Last90.period(today).unwrap();
    assert_eq!(
        t.app
            .fill_period_reach(&session, &account, long, tz)
            .await
            .unwrap(),
        0
    );
}
