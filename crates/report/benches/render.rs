//! How long reports take, over a generated store: a monthly and a one-year report (model +
//! PDF), and the CSV of 10,000 posts. Prints figures; run with `cargo bench -p
//! insightdesk-report`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/generated.rs"]
mod generated;

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use insightdesk_report::analytics::FollowerHistory;
use insightdesk_report::{
    CsvOptions, PdfOptions, Period, ReportRequest, build_report, load_posts, render_pdf,
    write_posts_csv,
};
use insightdesk_store::{DayRange, Store};

use generated::{Shape, write_generated};

const RUNS: usize = 15;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Median and slowest of `RUNS` runs of `f`.
fn time<T>(mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        last = Some(f());
        times.push(start.elapsed());
    }
    times.sort();
    (times[RUNS / 2], times[RUNS - 1], last.unwrap())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("bench.sqlite3")).unwrap();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-01-05T08:00:00Z")
        .unwrap()
        .to_utc();
    let tz: Tz = "Europe/Berlin".parse().unwrap();

    let started = Instant::now();
    // A busy creator: two years, 1.5 posts and 3 stories a day, five readings per post.
    let creator = write_generated(
        &mut store,
        &Shape {
            username: "beas.bakery",
            ig_user_id: "17841400000000101",
            first_day: day("2024-01-01"),
            days: 731,
            posts_per_day: 1.5,
            stories_per_day: 3.0,
            readings: 5,
            seed: 11,
        },
        now,
    );
    // A publisher with 10,000 posts over three years (for the CSV).
    let publisher = write_generated(
        &mut store,
        &Shape {
            username: "daily.crumbs",
            ig_user_id: "17841400000000202",
            first_day: day("2023-01-01"),
            days: 1096,
            posts_per_day: 9.13,
            stories_per_day: 0.0,
            readings: 3,
            seed: 12,
        },
        now,
    );
    store.optimize().unwrap();
    println!(
        "generated store: {} in {:.1} s ({} media)",
        dir.path().display(),
        started.elapsed().as_secs_f64(),
        store
            .row_counts()
            .unwrap()
            .get("media")
            .copied()
            .unwrap_or(0)
    );

    let month = ReportRequest::new(
        creator,
        Period::month_containing(day("2025-11-01")),
        tz,
        now,
    );
    let (median, slowest, report) = time(|| build_report(&store, &month).unwrap());
    let posts = report.feed_posts().count();
    let (pdf_median, pdf_slowest, pdf) =
        time(|| render_pdf(&report, &PdfOptions::default()).unwrap());
    let (all_median, all_slowest, _) = time(|| {
        let report = build_report(&store, &month).unwrap();
        render_pdf(&report, &PdfOptions::default()).unwrap()
    });
    println!(
        "monthly report (November 2025, {posts} posts, {} stories): model {} (max {}), PDF {} (max {}), together {} (max {}); {} KB",
        report.stories.stories.len(),
        ms(median),
        ms(slowest),
        ms(pdf_median),
        ms(pdf_slowest),
        ms(all_median),
        ms(all_slowest),
        pdf.len() / 1024
    );

    let year = ReportRequest::new(
        creator,
        Period::custom(day("2025-01-01"), day("2025-12-31")).unwrap(),
        tz,
        now,
    );
    let (year_median, year_slowest, year_pdf) = time(|| {
        let report = build_report(&store, &year).unwrap();
        render_pdf(&report, &PdfOptions::default()).unwrap()
    });
    let year_report = build_report(&store, &year).unwrap();
    println!(
        "one-year report (2025, {} posts, {} stories): model + PDF {} (max {}); {} KB",
        year_report.feed_posts().count(),
        year_report.stories.stories.len(),
        ms(year_median),
        ms(year_slowest),
        year_pdf.len() / 1024
    );

    let everything = Period::custom(day("2023-01-01"), day("2026-01-04")).unwrap();
    let (csv_median, csv_slowest, (count, bytes)) = time(|| {
        let snapshots = store
            .followers_series(publisher, DayRange::new(day("2022-12-01"), everything.last))
            .unwrap();
        let history = FollowerHistory::new(&snapshots);
        let posts = load_posts(&store, publisher, everything.time_range(tz), tz, &history).unwrap();
        let mut out = Vec::with_capacity(4 << 20);
        write_posts_csv(
            &mut out,
            "daily.crumbs",
            tz.name(),
            &posts,
            CsvOptions::default(),
        )
        .unwrap();
        (posts.len(), out.len())
    });
    println!(
        "CSV of {count} posts (read, rates, write): {} (max {}); {} KB",
        ms(csv_median),
        ms(csv_slowest),
        bytes / 1024
    );
}
