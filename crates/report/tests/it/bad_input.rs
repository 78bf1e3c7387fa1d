//! Bad and thin input: a sensible report or a clear error, never a panic or a half-written
//! file.

use std::process::Command;

use insightdesk_report::{
    CsvOptions, Measure, PdfOptions, Period, ReportError, ReportRequest, ReportTemplate,
    build_report, export_store, render_pdf, render_text, write_csv_tables, write_json, write_pdf,
};
use insightdesk_store::AccountId;

use crate::sample::{at, bea_request, bea_store, berlin, day, item, new_store, profile};

/// Extracts the text of PDF bytes.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_period_without_posts_gives_an_empty_but_sensible_report() {
    let (_dir, store, bea) = bea_store();
    let request = ReportRequest::new(
        bea.account,
        Period::week_containing(day("2025-06-04")),
        berlin(),
        at("2025-06-20T00:00:00Z"),
    );
    let report = build_report(&store, &request).unwrap();
    assert!(report.posts.is_empty());
    assert!(report.top_posts.iter().all(|l| l.posts.is_empty()));
    assert_eq!(report.growth, None);
    let posts = report
        .kpis
        .iter()
        .find(|k| k.measure == Measure::PostsPublished)
        .unwrap();
    assert_eq!(posts.delta.current, Some(0.0));
    let text = render_text(&report, ReportTemplate::Full);
    assert!(
        text.contains("No feed posts or reels went up in this period."),
        "{text}"
    );
    assert!(
        text.contains("No stories went up in this period."),
        "{text}"
    );
    let pdf = pdf_text(&render_pdf(&report, &PdfOptions::default()).unwrap());
    for expected in [
        "Nothing was published in this period.",
        "No follower snapshots in this period.",
        "No daily reach recorded for this period.",
        "No posts with reach figures to place yet.",
        "Not available",
    ] {
        assert!(pdf.contains(expected), "{expected:?} missing:\n{pdf}");
    }
    // The shorter templates say the same instead of showing empty tables.
    for template in [ReportTemplate::Summary, ReportTemplate::Brand] {
        let options = PdfOptions {
            template,
            ..PdfOptions::default()
        };
        let pdf = pdf_text(&render_pdf(&report, &options).unwrap());
        assert!(
            pdf.contains("No feed posts or reels went up in this period."),
            "{template:?}:\n{pdf}"
        );
        let text = render_text(&report, template);
        assert!(
            text.contains("No feed posts or reels went up in this period."),
            "{template:?}:\n{text}"
        );
    }
}

#[test]
fn an_account_without_demographics_says_why() {
    let (_dir, mut store) = new_store();
    let mut batch = store.batch().unwrap();
    let account = batch
        .upsert_account(&profile("1784", "tiny", None), at("2025-03-12T00:00:00Z"))
        .unwrap();
    let media = batch
        .upsert_media(
            account,
            &item("t1", "FEED", "IMAGE", "2025-03-04T10:00:00Z", None),
            at("2025-03-12T00:00:00Z"),
        )
        .unwrap();
    batch
        .record_media_metrics(
            media,
            at("2025-03-05T10:00:00Z"),
            &[("reach", 40.0), ("total_interactions", 4.0)],
        )
        .unwrap();
    batch.commit().unwrap();
    let request = ReportRequest::new(
        account,
        Period::week_containing(day("2025-03-05")),
        berlin(),
        at("2025-03-12T00:00:00Z"),
    );
    let report = build_report(&store, &request).unwrap();
    assert!(report.demographics.groups.is_empty());
    let reason = report.demographics.missing_reason.clone().unwrap();
    assert!(reason.contains("at least 100 followers"), "{reason}");
    let pdf = pdf_text(&render_pdf(&report, &PdfOptions::default()).unwrap());
    assert!(pdf.contains("Instagram has not provided follower"), "{pdf}");
    assert!(pdf.contains("(no caption)"), "{pdf}");
}

#[test]
fn a_single_day_is_a_report_of_one_day() {
    let (_dir, store, bea) = bea_store();
    let period = Period::custom(day("2025-03-05"), day("2025-03-05")).unwrap();
    let mut request = bea_request(&bea);
    request.period = period;
    request.reach = Default::default();
    let report = build_report(&store, &request).unwrap();
    assert_eq!(report.daily.len(), 1);
    assert_eq!(report.previous_period.first, day("2025-03-04"));
    // Only p2 went up on Wednesday 5 March in Berlin.
    let ids: Vec<&str> = report
        .feed_posts()
        .map(|p| p.ig_media_id.as_str())
        .collect();
    assert_eq!(ids, ["p2"]);
    // One snapshot (1020) in the day, measured from the 3rd's 1012: +8.
    assert_eq!(report.followers.net_change, Some(8));
    let pdf = pdf_text(&render_pdf(&report, &PdfOptions::default()).unwrap());
    assert!(pdf.contains("5 March 2025"), "{pdf}");
}

#[test]
fn a_report_that_has_not_ended_says_so() {
    let (_dir, store, bea) = bea_store();
    let mut request = bea_request(&bea);
    request.now = at("2025-03-08T12:00:00Z");
    let report = build_report(&store, &request).unwrap();
    assert!(
        report.notes[0]
            .starts_with("This period has not ended yet: figures run up to 8 March 2025, 13:00."),
        "{:?}",
        report.notes
    );
    assert!(report.notes[1].contains("48 hours"), "{:?}", report.notes);
}

#[test]
fn unknown_accounts_and_reversed_periods_are_clear_errors() {
    let (_dir, store, _bea) = bea_store();
    let request = ReportRequest::new(
        AccountId(999),
        Period::week_containing(day("2025-03-05")),
        berlin(),
        at("2025-03-12T00:00:00Z"),
    );
    let error = build_report(&store, &request).unwrap_err();
    assert_eq!(
        error.to_string(),
        "There is no account 999 in this Insightdesk profile."
    );
    assert!(matches!(
        Period::custom(day("2025-03-09"), day("2025-03-03")),
        Err(ReportError::PeriodReversed { .. })
    ));
}

#[test]
fn unwritable_paths_are_clear_errors_and_leave_nothing_behind() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let out = tempfile::tempdir().unwrap();

    // A folder that does not exist.
    let missing = out.path().join("no-such-folder").join("report.pdf");
    let error = write_pdf(&report, &missing, &PdfOptions::default()).unwrap_err();
    assert!(matches!(error, ReportError::CannotWrite { .. }), "{error}");
    assert!(
        error.to_string().contains("the folder does not exist"),
        "{error}"
    );

    // A "folder" that is a file.
    let file = out.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let error = write_json(&report, &file.join("report.json")).unwrap_err();
    assert!(matches!(error, ReportError::CannotWrite { .. }), "{error}");
    let error = write_csv_tables(&report, &file, CsvOptions::default()).unwrap_err();
    assert!(matches!(error, ReportError::NotAFolder { .. }), "{error}");
    let error = export_store(&store, &file, None, CsvOptions::default()).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("Choose a folder for the exported files."),
        "{error}"
    );

    // A target that is a folder.
    let error = write_pdf(&report, out.path(), &PdfOptions::default()).unwrap_err();
    assert!(matches!(error, ReportError::IsAFolder { .. }), "{error}");

    // Nothing was created, no temporary file left, and the existing file is untouched.
    let mut left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["notes.txt"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn a_new_report_replaces_an_old_one_whole() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("report.pdf");
    std::fs::write(&path, b"an older report").unwrap();
    write_pdf(&report, &path, &PdfOptions::default()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes, render_pdf(&report, &PdfOptions::default()).unwrap());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
}
