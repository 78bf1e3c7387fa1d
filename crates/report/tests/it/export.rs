//! Exporting every store table as CSV.

use insightdesk_report::{CsvOptions, STORE_DAY_TIME_ZONE, export_store};
use insightdesk_store::{AccountWindowValue, ExportTable};

use crate::sample::{BEA, NOW, at, bea_store, daily, day, item, profile};

/// The header each table's CSV file must have: the store's columns, with `time_zone` after
/// the last calendar-day column.
fn expected_header(table: &ExportTable) -> String {
    let mut names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    if let Some(last_day) = table.columns.iter().rposition(|c| c.is_day()) {
        names.insert(last_day + 1, "time_zone");
    }
    names.join(",")
}

#[test]
fn every_table_is_exported_with_its_columns() {
    let (_dir, store, _bea) = bea_store();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("export");
    let written = export_store(&store, &folder, None, CsvOptions::default()).unwrap();
    assert_eq!(written.len(), ExportTable::all().len());
    for table in ExportTable::all() {
        let bytes = std::fs::read(folder.join(format!("{}.csv", table.name))).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let header = text
            .strip_prefix('\u{feff}')
            .unwrap()
            .split("\r\n")
            .next()
            .unwrap();
        assert_eq!(header, expected_header(table), "{}", table.name);
    }
    let media = std::fs::read_to_string(folder.join("media.csv")).unwrap();
    // A header and 11 posts and stories (p4's two-line caption stays inside one record).
    assert_eq!(media.split("\r\n").filter(|l| !l.is_empty()).count(), 12);
    assert!(
        media.contains(",'=SUM(A1:A9) tips for flaky croissants,"),
        "{media}"
    );
    assert!(media.contains(",2025-03-03T08:00:00Z,"), "{media}");
    let readings = std::fs::read_to_string(folder.join("media_metric.csv")).unwrap();
    assert!(
        readings.contains("p2,reach,2025-03-05T18:30:00Z,3600,600\r\n"),
        "{readings}"
    );
}

#[test]
fn tables_with_calendar_days_say_which_time_zone_cut_them() {
    let (_dir, mut store, bea) = bea_store();
    store
        .write(|b| {
            let week = AccountWindowValue {
                metric: "reach".to_owned(),
                first_day: day("2025-03-03"),
                last_day: day("2025-03-09"),
                breakdown: None,
                value: 9800.0,
            };
            b.record_account_window(bea.account, &[week], at(NOW))
        })
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    export_store(&store, out.path(), None, CsvOptions::no_bom()).unwrap();
    let with_days: Vec<&ExportTable> = ExportTable::all()
        .iter()
        .filter(|t| t.columns.iter().any(|c| c.is_day()))
        .collect();
    let names: Vec<&str> = with_days.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "account_daily",
            "account_window",
            "followers_snapshot",
            "demographics"
        ]
    );
    let mut shown = String::new();
    for table in with_days {
        let text = std::fs::read_to_string(out.path().join(format!("{}.csv", table.name))).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 1, "{} has rows", table.name);
        for row in &lines[1..] {
            assert!(
                row.contains(&format!(",{STORE_DAY_TIME_ZONE},")),
                "{}: {row}",
                table.name
            );
        }
        shown.push_str(&format!("{}.csv\n", table.name));
        for line in lines.iter().take(3) {
            shown.push_str(line);
            shown.push('\n');
        }
    }
    // Tables without days get no such column.
    let media = std::fs::read_to_string(out.path().join("media.csv")).unwrap();
    assert!(!media.contains("time_zone"), "{media}");
    insta::assert_snapshot!("store_export_days", shown);
}

#[test]
fn export_without_bom_and_into_an_existing_folder() {
    let (_dir, store, _bea) = bea_store();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("media.csv"), "old").unwrap();
    export_store(&store, out.path(), None, CsvOptions::no_bom()).unwrap();
    let media = std::fs::read_to_string(out.path().join("media.csv")).unwrap();
    assert!(media.starts_with("account,ig_media_id,"), "{media}");
}

#[test]
fn an_export_of_one_account_leaves_the_others_out() {
    const CAL: &str = "17841400000000003";
    let (_dir, mut store, _bea) = bea_store();
    store
        .write(|b| {
            let fetched = at(NOW);
            let cal = b.upsert_account(&profile(CAL, "cal", None), fetched)?;
            b.upsert_media(
                cal,
                &item(
                    "c1",
                    "FEED",
                    "IMAGE",
                    "2025-03-04T10:00:00Z",
                    Some("Cal's pots"),
                ),
                fetched,
            )?;
            b.record_account_daily(cal, &[daily("reach", "2025-03-04", 70.0)], fetched)?;
            b.set_setting("ui.time_zone", "Europe/Berlin")
        })
        .unwrap();
    let everything = tempfile::tempdir().unwrap();
    export_store(&store, everything.path(), None, CsvOptions::no_bom()).unwrap();
    let cals = tempfile::tempdir().unwrap();
    export_store(&store, cals.path(), Some(CAL), CsvOptions::no_bom()).unwrap();
    let read = |dir: &tempfile::TempDir, table: &str| {
        std::fs::read_to_string(dir.path().join(format!("{table}.csv"))).unwrap()
    };

    let media = read(&everything, "media");
    assert!(
        media.contains(",c1,") && media.contains(&format!("{BEA},p1,")),
        "{media}"
    );
    let media = read(&cals, "media");
    assert_eq!(
        media.split("\r\n").filter(|l| !l.is_empty()).count(),
        2,
        "{media}"
    );
    assert!(media.contains(&format!("{CAL},c1,")), "{media}");
    for table in ExportTable::all() {
        let text = read(&cals, table.name);
        assert!(!text.contains(BEA), "{}: {text}", table.name);
    }
    // Every file is still there, with its header, even when it holds no row of the account.
    assert_eq!(read(&cals, "setting"), "key,value\r\n");
    assert!(read(&cals, "account_daily").contains(&format!("{CAL},reach,2025-03-04,")));
}
