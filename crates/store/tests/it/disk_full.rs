//! A full disk mid-sync: the batch fails with a sentence, and what was stored stays whole.
//! The full disk is simulated by capping the file (`PRAGMA max_page_count`), which makes SQLite
//! fail with SQLITE_FULL exactly as when the disk runs out.

use insightdesk_store::{Store, StoreError};

use crate::sample::{alice_store, at, hours};

/// Far more readings than fit into a few spare pages.
fn big_batch(store: &mut Store, post: insightdesk_store::MediaId) -> Result<(), StoreError> {
    store.write(|b| {
        for hour in 0..20_000 {
            let captured = at("2025-03-01T10:00:00Z") + hours(hour);
            b.record_media_metrics(
                post,
                captured,
                &[
                    ("reach", hour as f64),
                    ("a_long_metric_name_to_fill_pages", 1.0),
                ],
            )?;
        }
        Ok(())
    })
}

#[test]
fn a_full_disk_fails_the_batch_and_keeps_the_store_whole() {
    let (_dir, path, mut store, alice) = alice_store();
    let before = store.canonical_dump().unwrap();
    let size = store.size_bytes().unwrap();
    let cap = store.limit_file_size(size + 8 * 4096).unwrap();
    assert!(
        cap >= size && cap <= size + 8 * 4096,
        "cap {cap} for size {size}"
    );

    let error = big_batch(&mut store, alice.p1).unwrap_err();
    assert!(matches!(error, StoreError::DiskFull), "{error:?}");
    assert_eq!(
        error.to_string(),
        "Insightdesk could not save: the disk is full. Free some space and sync again."
    );
    assert!(error.is_retryable());

    // Nothing of the failed batch, everything from before, and a sound file.
    assert!(store.integrity_check().unwrap().is_ok());
    assert_eq!(store.canonical_dump().unwrap(), before);
    // The same connection still works for reads and small writes.
    store
        .write(|b| b.set_setting("last_error", "disk full"))
        .unwrap();
    drop(store);

    // With space again (a new connection has no cap) the same batch goes through.
    let mut store = Store::open(&path).unwrap();
    assert!(store.integrity_check().unwrap().is_ok());
    big_batch(&mut store, alice.p1).unwrap();
    assert_eq!(store.growth_curve(alice.p1, "reach").unwrap().len(), 20_000);
}
