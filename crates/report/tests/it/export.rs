//! Exporting every store table as CSV.

use insightdesk_report::{CsvOptions, export_store};
use insightdesk_store::ExportTable;

use crate::sample::bea_store;

#[test]
fn every_table_is_exported_with_its_columns() {
    let (_dir, store, _bea) = bea_store();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("export");
    let written = export_store(&store, &folder, CsvOptions::default()).unwrap();
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
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(header, names.join(","), "{}", table.name);
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
fn export_without_bom_and_into_an_existing_folder() {
    let (_dir, store, _bea) = bea_store();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("media.csv"), "old").unwrap();
    export_store(&store, out.path(), CsvOptions::no_bom()).unwrap();
    let media = std::fs::read_to_string(out.path().join("media.csv")).unwrap();
    assert!(media.starts_with("account,ig_media_id,"), "{media}");
}
