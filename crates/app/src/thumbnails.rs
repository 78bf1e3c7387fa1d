//! The local thumbnail cache: each post's picture is fetched once from Meta's CDN into the
//! profile's folder and served to the window from there, so the window never loads anything
//! from Meta's servers itself.

use std::path::{Path, PathBuf};

use insightdesk_graph::{Endpoints, GraphClient, Host};
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

/// Whether a picture address Meta gave may be fetched: with Meta's real hosts, only https on
/// Meta's CDNs (`*.cdninstagram.com`, `*.fbcdn.net`, as in the recorded answers); with the
/// sandbox (`--meta-base`, the demo), only its own address. A Graph answer must not be able to
/// send the app to another host or to a service on this computer.
pub fn picture_allowed(url: &str, endpoints: &Endpoints) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return false;
    }
    let graph = endpoints.base(Host::GraphFacebook);
    if graph == Endpoints::meta().base(Host::GraphFacebook) {
        let host = parsed.host_str().unwrap_or_default();
        return parsed.scheme() == "https"
            && parsed.port().is_none()
            && [".cdninstagram.com", ".fbcdn.net"]
                .iter()
                .any(|cdn| host.ends_with(cdn));
    }
    let Some(root) = graph.strip_suffix(&format!("/{}", Host::GraphFacebook.name())) else {
        return false;
    };
    url.starts_with(&format!("{root}/"))
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
    let endpoints = &session.meta.endpoints;
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
            if !picture_allowed(url, endpoints) {
                log::warn!(
                    "thumbnails: not fetching a picture from {}",
                    insightdesk_secret::redact_url(url)
                );
                return None;
            }
            Some((item.ig_media_id.clone(), url.to_owned()))
        })
        .take(PER_SYNC)
        .collect()
}

#[cfg(test)]
mod tests {
    use insightdesk_graph::Endpoints;

    use super::picture_allowed;

    #[test]
    fn pictures_come_only_from_metas_cdn_or_the_sandbox() {
        let meta = Endpoints::meta();
        for url in [
            "https://scontent-gmp1-1.cdninstagram.com/v/t51.29350-15/2359_n.jpg?_nc_cat=108",
            "https://scontent-gmp1-1.xx.fbcdn.net/v/t51.2885-15/1193_n.jpg",
        ] {
            assert!(picture_allowed(url, &meta), "{url}");
        }
        for url in [
            "http://scontent-gmp1-1.cdninstagram.com/v/a.jpg",
            "https://cdninstagram.com.evil.example/a.jpg",
            "https://evilcdninstagram.com/a.jpg",
            "https://scontent.cdninstagram.com:8443/a.jpg",
            "https://user@scontent.cdninstagram.com/a.jpg",
            "http://127.0.0.1:5432/",
            "http://localhost/a.jpg",
            "file:///etc/passwd",
            "",
        ] {
            assert!(!picture_allowed(url, &meta), "{url}");
        }
        let sandbox = Endpoints::sandbox("http://127.0.0.1:4000");
        assert!(picture_allowed(
            "http://127.0.0.1:4000/cdn.instagram.com/media/1.svg",
            &sandbox
        ));
        for url in [
            "http://127.0.0.1:4001/cdn.instagram.com/media/1.svg",
            "http://127.0.0.1:4000.evil/x",
            "https://scontent.cdninstagram.com/a.jpg",
        ] {
            assert!(!picture_allowed(url, &sandbox), "{url}");
        }
    }
}
