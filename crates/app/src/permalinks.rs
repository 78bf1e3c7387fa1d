//! "Open on Instagram" on a post's page. The window never navigates anywhere: it asks for a
//! post by id, and Rust opens that post's permalink from the store in the system browser, but
//! only when it is an Instagram address — so the webview cannot use this to open anything else.

use crate::App;
use crate::accounts::with_store;
use crate::dashboard::PostArgs;
use crate::error::AppError;

/// True for `https://instagram.com/...` and `https://www.instagram.com/...` only.
pub fn is_instagram_link(link: &str) -> bool {
    let Ok(url) = url::Url::parse(link) else {
        return false;
    };
    url.scheme() == "https"
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
        && matches!(url.host_str(), Some("instagram.com" | "www.instagram.com"))
}

impl App {
    /// Opens a stored post's permalink in the browser; returns the address opened.
    pub async fn open_post(&self, ig_media_id: &str) -> Result<String, AppError> {
        let session = self.session().await?;
        let id = ig_media_id.to_owned();
        let link = with_store(&session, move |store| {
            Ok(store
                .media_by_ig_id(&id)?
                .and_then(|media| media.item.permalink))
        })
        .await?
        .ok_or_else(|| AppError::InvalidInput("Instagram gave no link for this post.".into()))?;
        if !is_instagram_link(&link) {
            return Err(AppError::InvalidInput(
                "This post's link does not lead to instagram.com, so Insightdesk will not open it."
                    .into(),
            ));
        }
        self.host.open_link(&link).map_err(|reason| {
            AppError::InvalidInput(format!(
                "Insightdesk could not open your browser ({reason}). Copy the link instead."
            ))
        })?;
        Ok(link)
    }
}

pub async fn open_post(app: &App, args: PostArgs) -> Result<String, AppError> {
    app.open_post(&args.id).await
}

#[cfg(test)]
mod tests {
    use super::is_instagram_link;

    #[test]
    fn only_https_instagram_addresses_pass() {
        assert!(is_instagram_link("https://www.instagram.com/p/Cx1/"));
        assert!(is_instagram_link("https://instagram.com/reel/Cx1/"));
        for link in [
            "http://www.instagram.com/p/Cx1/",
            "https://www.instagram.com.evil.example/p/Cx1/",
            "https://evil.example/?u=https://www.instagram.com/",
            "https://user@www.instagram.com/p/Cx1/",
            "https://www.instagram.com:8443/p/Cx1/",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "",
        ] {
            assert!(!is_instagram_link(link), "{link}");
        }
    }
}
