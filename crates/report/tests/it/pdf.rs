//! The PDF: its text (KPIs and chart labels) survives into `pdftotext`, it is small, and its
//! pages are rendered to PNG in `target/artifacts/report/` for people to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use insightdesk_report::{
    Paper, PdfOptions, Period, Report, ReportRequest, ReportTemplate, build_report, render_pdf,
    write_pdf,
};

use crate::generated::{Shape, write_generated};
use crate::sample::{artifacts_dir, at, bea_request, bea_store, berlin, day, new_store};

/// The PDF's text as poppler extracts it (what a reader can select and search).
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Renders every page to `<stem>-<n>.png` beside the PDF (60 dpi); returns the PNG files.
fn pages_to_png(pdf: &Path, stem: &str) -> Vec<PathBuf> {
    let dir = pdf.parent().unwrap();
    for old in std::fs::read_dir(dir).unwrap() {
        let old = old.unwrap().path();
        let name = old.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(&format!("{stem}-")) && name.ends_with(".png") {
            std::fs::remove_file(old).unwrap();
        }
    }
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(pdf)
        .arg(dir.join(stem))
        .status()
        .unwrap();
    assert!(status.success());
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{stem}-")) && name.ends_with(".png")
        })
        .collect();
    pngs.sort();
    pngs
}

fn page_count(text: &str) -> usize {
    text.matches('\u{c}').count()
}

#[test]
fn the_weekly_pdf_has_the_key_numbers_and_chart_labels_as_text() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let path = artifacts_dir().join("bea-week.pdf");
    write_pdf(&report, &path, &PdfOptions::default()).unwrap();
    let text = pdf_text(&path);
    for expected in [
        // Cover and key numbers.
        "@bea",
        "Week 10 · 3–9 March 2025",
        "Europe/Berlin",
        "1,050",
        "+40 (+4.0%)",
        "9,800",
        "23,500",
        "5.0%",
        "+0.5 pts",
        "3 of 7 days recorded",
        // Chart titles drawn on the page, and labels inside the charts' SVG.
        "Daily reach",
        "Accounts reached",
        "Mon 3",
        "Hour of the day, your time zone",
        "Median engagement rate",
        "Next story",
        "Swipe away",
        "Median of reels",
        "Age of the post",
        // Tables, notes and the appendix.
        "Fresh sourdough, out of the oven",
        "Launched the spring menu",
        "Not enough posts to recommend a time yet",
        "Why these numbers can differ from Instagram's app",
        "Page 1 of",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the PDF's text:\n{text}"
        );
    }
    let pages = page_count(&text);
    assert!(text.contains(&format!("Page {pages} of {pages}")), "{text}");
    let pngs = pages_to_png(&path, "bea-week");
    assert_eq!(pngs.len(), pages);
}

#[test]
fn letter_paper_is_letter_sized() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let bytes = render_pdf(
        &report,
        &PdfOptions {
            paper: Paper::Letter,
            ..PdfOptions::default()
        },
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("letter.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
}

/// March 2025 of half a year of generated history (about a post and two stories a day).
fn generated_month(ig_user_id: &'static str) -> Report {
    let (_dir, mut store) = new_store();
    let now = at("2025-04-02T08:00:00Z");
    let shape = Shape {
        username: "beas.bakery",
        ig_user_id,
        first_day: day("2024-10-01"),
        days: 182,
        posts_per_day: 1.1,
        stories_per_day: 2.3,
        readings: 5,
        seed: 7,
    };
    let account = write_generated(&mut store, &shape, now);
    let request = ReportRequest::new(
        account,
        Period::month_containing(day("2025-03-01")),
        berlin(),
        now,
    );
    build_report(&store, &request).unwrap()
}

#[test]
fn a_generated_month_renders_under_a_megabyte() {
    let report = generated_month("17841400000000077");
    let path = artifacts_dir().join("generated-month.pdf");
    write_pdf(&report, &path, &PdfOptions::default()).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 1_000_000, "{size} bytes");
    let text = pdf_text(&path);
    assert!(text.contains("March 2025"), "{text}");
    assert!(
        text.contains("Best slot:") || text.contains("No recommendation yet"),
        "{text}"
    );
    let pngs = pages_to_png(&path, "generated-month");
    assert_eq!(pngs.len(), page_count(&text));
    std::fs::write(
        artifacts_dir().join("generated-month.txt"),
        insightdesk_report::render_text(&report, ReportTemplate::Full),
    )
    .unwrap();
}

#[test]
fn a_generated_year_labels_months_and_stays_small() {
    let (_dir, mut store) = new_store();
    let now = at("2025-01-10T08:00:00Z");
    let shape = Shape {
        username: "beas.bakery",
        ig_user_id: "17841400000000078",
        first_day: day("2023-12-01"),
        days: 400,
        posts_per_day: 1.2,
        stories_per_day: 1.5,
        readings: 3,
        seed: 8,
    };
    let account = write_generated(&mut store, &shape, now);
    let period = Period::custom(day("2024-01-01"), day("2024-12-31")).unwrap();
    let report = build_report(&store, &ReportRequest::new(account, period, berlin(), now)).unwrap();
    let path = artifacts_dir().join("generated-year.pdf");
    write_pdf(&report, &path, &PdfOptions::default()).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 1_000_000);
    let text = pdf_text(&path);
    for month in ["Jan 2024", "Apr", "Jul", "Oct"] {
        assert!(
            text.contains(month),
            "{month} is not on the year's axes:\n{text}"
        );
    }
    let pngs = pages_to_png(&path, "generated-year");
    assert_eq!(pngs.len(), page_count(&text));
}

/// Writes `report` with `template` on `paper` to `<stem>.pdf` in the artifacts folder,
/// renders its pages to PNG beside it, and returns the PDF's text. Stems start with the
/// template's name: [`pages_to_png`] clears `<stem>-*.png`, and tests run at the same time.
fn template_pdf(report: &Report, template: ReportTemplate, paper: Paper, stem: &str) -> String {
    let path = artifacts_dir().join(format!("{stem}.pdf"));
    write_pdf(report, &path, &PdfOptions { paper, template }).unwrap();
    let text = pdf_text(&path);
    let pngs = pages_to_png(&path, stem);
    assert_eq!(pngs.len(), page_count(&text), "{stem}");
    text
}

fn assert_holds(text: &str, template: ReportTemplate, present: &[&str], absent: &[&str]) {
    for expected in present {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the {template:?} PDF:\n{text}"
        );
    }
    for unexpected in absent {
        assert!(
            !text.contains(unexpected),
            "{unexpected:?} is in the {template:?} PDF:\n{text}"
        );
    }
}

#[test]
fn the_summary_is_key_numbers_followers_reach_and_five_posts_on_two_pages_at_most() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let text = template_pdf(
        &report,
        ReportTemplate::Summary,
        Paper::A4,
        "summary-bea-week",
    );
    assert_holds(
        &text,
        ReportTemplate::Summary,
        &[
            "INSTAGRAM SUMMARY",
            "@bea",
            "Compared with",
            "Key numbers",
            "1,050",
            "+40 (+4.0%)",
            "+0.5 pts",
            "Changes compare with Week 9",
            "Followers and reach",
            "Daily reach",
            "Accounts reached",
            "Top 5 posts",
            "By engagement rate",
            "Fresh sourdough, out of the oven",
            "Insightdesk · Summary · @bea",
        ],
        &[
            "Views per day",
            "What you published",
            "By saves and shares",
            "Best time to post",
            "Stories",
            "How your top post grew",
            "Audience",
            "Your notes",
            "Launched the spring menu",
            "Why these numbers can differ",
            "Definitions",
        ],
    );
    assert!(page_count(&text) <= 2, "{} pages", page_count(&text));
}

#[test]
fn the_media_kit_shows_audience_rates_and_best_posts_and_nothing_private() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let text = template_pdf(&report, ReportTemplate::Brand, Paper::A4, "brand-bea-week");
    assert_holds(
        &text,
        ReportTemplate::Brand,
        &[
            "MEDIA KIT",
            "@bea",
            "Figures as of",
            "At a glance",
            "FOLLOWERS",
            "1,050",
            "FOLLOWER GROWTH",
            "+40",
            "ACCOUNTS REACHED",
            "9,800",
            "ENGAGEMENT RATE",
            "5.0%",
            "Audience",
            "Age",
            "Best posts",
            "By reach",
            "Spring menu: first look",
            "About these figures",
            "organic activity only",
        ],
        &[
            // The creator's own notes are private.
            "Your notes",
            "Launched the spring menu",
            "Market stall",
            // No comparisons with the previous period.
            "Compared with",
            "Key numbers",
            "(+4.0%)",
            "pts",
            // Nor the working sections.
            "Best time to post",
            "Stories",
            "Why these numbers can differ",
            "Definitions",
        ],
    );
    assert!(page_count(&text) <= 2, "{} pages", page_count(&text));
}

#[test]
fn a_generated_month_fits_the_short_templates_on_two_pages_on_either_paper() {
    let report = generated_month("17841400000000079");
    for (template, paper, stem) in [
        (
            ReportTemplate::Summary,
            Paper::A4,
            "summary-generated-month",
        ),
        (
            ReportTemplate::Summary,
            Paper::Letter,
            "summary-letter-generated-month",
        ),
        (ReportTemplate::Brand, Paper::A4, "brand-generated-month"),
        (
            ReportTemplate::Brand,
            Paper::Letter,
            "brand-letter-generated-month",
        ),
    ] {
        let text = template_pdf(&report, template, paper, stem);
        let pages = page_count(&text);
        assert!((1..=2).contains(&pages), "{stem}: {pages} pages");
        assert!(text.contains("March 2025"), "{text}");
        // A section's heading is never left alone at the foot of a page.
        for page in text.split('\u{c}') {
            for (heading, first_line) in [
                ("Top 5 posts", "By engagement rate"),
                ("Best posts", "By reach"),
                ("At a glance", "FOLLOWERS"),
            ] {
                assert!(
                    !page.contains(heading) || page.contains(first_line),
                    "{stem}: {heading:?} without {first_line:?} on its page:\n{page}"
                );
            }
        }
    }
}
