//! The local thumbnail cache: each post's picture is fetched once from Meta's CDN into the
//! profile's folder and served to the window from there, so the window never loads anything
//! from Meta's servers itself.

use std::path::{Path, PathBuf};

use insightdesk_graph::GraphClient;
use insightdesk_store::{AccountId, MediaFilter, MediaQuery, MediaSort, Store};

use crate::session::Session;

/// At most this many pictures are fetched after one sync (the rest follow next time).
pub const PER_SYNC: usize = 120;

/// The folder of a profile's thumbnails.
pub fn folder(profile_dir: &Path) -> PathBuf {
    profile_dir.join("thumbnails")
}

/// A media id is Meta's digits; anything else never becomes a file name.
fn safe_id(ig_media_id: &str) -> bool {
    !ig_media_id.is_empty()
        && ig_media_id.len() <= 40
        && ig_media_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The cached picture of a post, if there is one.
pub fn cached(profile_dir: &Path, ig_media_id: &str) -> Option<PathBuf> {
    if !safe_id(ig_media_id) {
        return None;
    }
    let dir = folder(profile_dir);
    ["jpg", "png", "webp", "gif", "svg"]
        .iter()
        .map(|ext| dir.join(format!("{ig_media_id}.{ext}")))
        .find(|p| p.is_file())
}

/// Fetches the pictures of the newest posts that have none yet; returns how many it saved.
pub async fn fetch_missing(
    session: &Session,
    client: &GraphClient,
    // `&mut`: a shared borrow of the store could not cross the awaits below (not `Sync`).
    store: &mut Store,
    account: AccountId,
) -> u64 {
    let dir = folder(session.dir());
    if let Err(error) = std::fs::create_dir_all(&dir) {
        log::warn!("thumbnail folder unavailable: {error}");
        return 0;
    }
    let wanted = missing(session, &*store, account);
    let mut saved = 0;
    for (ig_media_id, url) in wanted {
        match client.fetch_media_file(&url).await {
            Ok(file) => {
                let path = dir.join(format!("{ig_media_id}.{}", file.extension));
                let temp = dir.join(format!(".{ig_media_id}.part"));
                if std::fs::write(&temp, &file.bytes)
                    .and_then(|()| std::fs::rename(&temp, &path))
                    .is_ok()
                {
                    saved += 1;
                }
            }
            Err(error) => log::info!("no thumbnail for a post: {error}"),
        }
    }
    saved
}

/// The newest posts without a cached picture, with the address to fetch it from.
fn missing(session: &Session, store: &Store, account: AccountId) -> Vec<(String, String)> {
    let query = MediaQuery {
        filter: MediaFilter::account(account),
        sort: MediaSort::PostedAt,
        descending: true,
        limit: 2_000,
        offset: 0,
    };
    let page = match store.media_page(&query) {
        Ok(page) => page,
        Err(error) => {
            log::warn!("thumbnails: could not list posts: {error}");
            return Vec::new();
        }
    };
    page.rows
        .iter()
        .map(|row| &row.media.item)
        .filter(|item| safe_id(&item.ig_media_id))
        .filter(|item| cached(session.dir(), &item.ig_media_id).is_none())
        // Videos have a still in thumbnail_url; pictures are their own media_url.
        .filter_map(|item| {
            let url = item
                .thumbnail_url
                .as_deref()
                .or(item.media_url.as_deref())?;
            Some((item.ig_media_id.clone(), url.to_owned()))
        })
        .take(PER_SYNC)
        .collect()
}
