//! The report's CSV tables: byte-level rules (BOM, CRLF, quoting, formula neutralising) and a
//! snapshot of each table.

use insightdesk_report::{CsvOptions, CsvTable, build_report, render_csv, write_csv_tables};

use crate::sample::{bea_request, bea_store};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file as text without its BOM; every line must end in CRLF (checked here, so the
/// snapshot can show plain lines).
fn lines(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes.strip_prefix(BOM).unwrap_or(bytes)).unwrap();
    assert!(text.ends_with("\r\n"), "{text:?}");
    // A bare LF may only appear inside a quoted field (p4's two-line caption).
    let bare_lf = text.matches('\n').count() - text.matches("\r\n").count();
    assert!(bare_lf <= 1, "{text:?}");
    text.replace("\r\n", "⏎\n")
}

#[test]
fn every_table_starts_with_a_bom_and_a_stable_header() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    for table in CsvTable::ALL {
        let bytes = render_csv(&report, table, CsvOptions::default());
        assert!(bytes.starts_with(BOM), "{table:?}");
        let plain = render_csv(&report, table, CsvOptions::no_bom());
        assert_eq!(&bytes[3..], &plain[..], "{table:?}");
        insta::assert_snapshot!(format!("csv_{}", table.file_name()), lines(&bytes));
    }
}

#[test]
fn captions_are_neutralised_and_quoted() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let text =
        String::from_utf8(render_csv(&report, CsvTable::Posts, CsvOptions::no_bom())).unwrap();
    // p3's caption starts with '=': it gets a leading quote and is not a formula.
    assert!(
        text.contains(",'=SUM(A1:A9) tips for flaky croissants,"),
        "{text}"
    );
    // p4's caption has a line break, commas and quotes: one quoted field, quotes doubled.
    assert!(
        text.contains(",\"Late-night bake\nwith, commas and \"\"quotes\"\"\","),
        "{text}"
    );
    // Dates carry the offset, and the zone is its own column.
    assert!(
        text.contains(",2025-03-03T09:00:00+01:00,Europe/Berlin,image,"),
        "{text}"
    );
}

#[test]
fn the_tables_are_written_as_four_files() {
    let (_dir, store, bea) = bea_store();
    let report = build_report(&store, &bea_request(&bea)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("bea-week-10");
    let written = write_csv_tables(&report, &folder, CsvOptions::default()).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["posts.csv", "daily.csv", "stories.csv", "demographics.csv"]
    );
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk,
        ["daily.csv", "demographics.csv", "posts.csv", "stories.csv"]
    );
    assert_eq!(
        std::fs::read(folder.join("daily.csv")).unwrap(),
        render_csv(&report, CsvTable::Daily, CsvOptions::default())
    );
}
