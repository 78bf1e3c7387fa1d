//! An Instagram professional account: profile, media, stories, tags, mentions, insights.

use futures::stream::BoxStream;
use reqwest::Method;

use super::comma;
use super::insights::{UserInsights, exclude_refused};
use crate::client::{GraphClient, Request};
use crate::error::{ErrorClass, GraphError};
use crate::exclusions::ExclusionScope;
use crate::models::{
    IgUser, Media, MediaProductType, MediaType, MentionedComment, MentionedMedia, Page,
};
use crate::pagination::{MEDIA_CAP, cursor_pages, items};

/// Profile fields asked for by default (confirmed live in 2026, API-FACTS (b)).
pub const PROFILE_FIELDS: &[&str] = &[
    "id",
    "username",
    "name",
    "biography",
    "website",
    "profile_picture_url",
    "followers_count",
    "follows_count",
    "media_count",
];

/// Media fields asked for by default (API-FACTS (d), media listing).
pub const MEDIA_FIELDS: &[&str] = &[
    "id",
    "caption",
    "media_type",
    "media_product_type",
    "timestamp",
    "permalink",
    "media_url",
    "thumbnail_url",
    "like_count",
    "comments_count",
    "children{id,media_type,media_url,thumbnail_url,permalink,timestamp}",
];

/// Story fields asked for by default.
pub const STORY_FIELDS: &[&str] = &[
    "id",
    "media_type",
    "media_product_type",
    "timestamp",
    "permalink",
    "media_url",
    "thumbnail_url",
];

/// The kinds of media the `/media` edge lists: what expanded insights must be valid for.
pub fn listed_media_kinds() -> Vec<(MediaProductType, Option<MediaType>)> {
    vec![
        (MediaProductType::Feed, Some(MediaType::Image)),
        (MediaProductType::Feed, Some(MediaType::Video)),
        (MediaProductType::Feed, Some(MediaType::CarouselAlbum)),
        (MediaProductType::Reels, Some(MediaType::Video)),
    ]
}

/// `client.user(ig_user_id)`.
#[derive(Debug, Clone)]
pub struct UserHandler {
    client: GraphClient,
    id: String,
}

impl UserHandler {
    pub(crate) fn new(client: GraphClient, id: &str) -> Self {
        Self {
            client,
            id: id.to_owned(),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /{ig-user-id}?fields=...` with [`PROFILE_FIELDS`].
    pub async fn profile(&self) -> Result<IgUser, GraphError> {
        self.profile_fields(PROFILE_FIELDS).await
    }

    pub async fn profile_fields(&self, fields: &[&str]) -> Result<IgUser, GraphError> {
        self.fields(comma(fields)).await
    }

    /// `GET /{ig-user-id}?fields=...` read as the caller's own model: for field expansions
    /// such as `media.limit(25){id,timestamp},stories{id}`, which fetch the profile, the newest
    /// media and the live stories in one call.
    pub async fn get<T: serde::de::DeserializeOwned>(&self, fields: &str) -> Result<T, GraphError> {
        self.fields(fields.to_owned()).await
    }

    /// `/{ig-user-id}/media`: the account's posts and reels, newest first.
    pub fn media(&self) -> MediaList {
        MediaList::new(self.client.clone(), &self.id, "media", MEDIA_FIELDS)
    }

    /// `/{ig-user-id}/stories`: stories of the last 24 h.
    pub fn stories(&self) -> MediaList {
        MediaList::new(self.client.clone(), &self.id, "stories", STORY_FIELDS)
    }

    /// `/{ig-user-id}/tags`: media where the account was tagged.
    pub fn tags(&self) -> MediaList {
        let fields = [
            "id",
            "caption",
            "media_type",
            "timestamp",
            "permalink",
            "username",
            "like_count",
            "comments_count",
        ];
        MediaList::new(self.client.clone(), &self.id, "tags", &fields)
    }

    /// `/{ig-user-id}/insights`.
    pub fn insights(&self) -> UserInsights {
        UserInsights::new(self.client.clone(), &self.id)
    }

    /// A media that @mentioned the account in its caption (from a `mentions` webhook).
    pub async fn mentioned_media(&self, media_id: &str) -> Result<MentionedMedia, GraphError> {
        self.fields(format!(
            "mentioned_media.media_id({media_id}){{id,caption,media_type,media_product_type,timestamp,permalink,media_url,like_count,comments_count}}"
        ))
        .await
    }

    /// A comment that @mentioned the account (from a `mentions` webhook).
    pub async fn mentioned_comment(
        &self,
        comment_id: &str,
    ) -> Result<MentionedComment, GraphError> {
        self.fields(format!(
            "mentioned_comment.comment_id({comment_id}){{id,text,timestamp,like_count,media{{id,media_product_type}}}}"
        ))
        .await
    }

    async fn fields<T: serde::de::DeserializeOwned>(
        &self,
        fields: String,
    ) -> Result<T, GraphError> {
        let request = self
            .client
            .graph(Method::GET, &self.id)
            .query("fields", fields);
        self.client.execute(&request).await
    }
}

/// A media edge (`media`, `stories`, `tags`) as a stream, optionally with insights expanded
/// on every media (`insights.metric(...)`).
#[derive(Debug, Clone)]
pub struct MediaList {
    client: GraphClient,
    user_id: String,
    edge: &'static str,
    fields: Vec<String>,
    limit: u32,
    since: Option<i64>,
    until: Option<i64>,
    expand: Option<Vec<String>>,
    cap: usize,
}

impl MediaList {
    fn new(client: GraphClient, user_id: &str, edge: &'static str, fields: &[&str]) -> Self {
        Self {
            client,
            user_id: user_id.to_owned(),
            edge,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            limit: 50,
            since: None,
            until: None,
            expand: None,
            cap: MEDIA_CAP,
        }
    }

    pub fn fields(mut self, fields: &[&str]) -> Self {
        self.fields = fields.iter().map(|f| (*f).to_owned()).collect();
        self
    }

    /// Media per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit.max(1);
        self
    }

    /// Only media published at or after `since` (the edge's own date window).
    pub fn since(mut self, since: chrono::DateTime<chrono::Utc>) -> Self {
        self.since = Some(since.timestamp());
        self
    }

    pub fn until(mut self, until: chrono::DateTime<chrono::Utc>) -> Self {
        self.until = Some(until.timestamp());
        self
    }

    /// Stop after this many media (never more than Meta's 10 000).
    pub fn cap(mut self, cap: usize) -> Self {
        self.cap = cap.min(MEDIA_CAP);
        self
    }

    /// Expands these insights metrics on every media of each page. They must be valid for
    /// every media the page may hold: see [`MediaList::with_common_insights`].
    pub fn with_insights<S: Into<String>>(mut self, metrics: impl IntoIterator<Item = S>) -> Self {
        self.expand = Some(metrics.into_iter().map(Into::into).collect());
        self
    }

    /// Expands the metrics the catalog says every listed kind of media answers (posts of
    /// each type and reels), on this client's version and today's date. Fetch the per-type
    /// extras afterwards with [`MediaHandler::insights_for`](crate::api::MediaHandler::insights_for).
    pub fn with_common_insights(self) -> Self {
        let common = self.client.catalog().common_media_metrics(
            self.client.version(),
            self.client.login(),
            self.client.now().date_naive(),
            &listed_media_kinds(),
        );
        self.with_insights(common)
    }

    fn first_request(&self) -> Request {
        let mut request = self
            .client
            .graph(Method::GET, &format!("{}/{}", self.user_id, self.edge))
            .query("fields", comma(&self.fields))
            .query("limit", self.limit.to_string());
        if let Some(since) = self.since {
            request.set_query("since", since.to_string());
        }
        if let Some(until) = self.until {
            request.set_query("until", until.to_string());
        }
        request
    }

    /// The pages, one request each.
    pub fn pages(self) -> BoxStream<'static, Result<Page<Media>, GraphError>> {
        let first = self.first_request();
        let this = self;
        cursor_pages(first, move |request| {
            let this = this.clone();
            async move { this.fetch_page(request).await }
        })
    }

    /// Every media, page after page, up to the cap.
    pub fn stream(self) -> BoxStream<'static, Result<Media, GraphError>> {
        let cap = self.cap;
        items(self.pages(), cap)
    }

    async fn fetch_page(&self, request: Request) -> Result<Page<Media>, GraphError> {
        let Some(wanted) = &self.expand else {
            return self.client.execute(&request).await;
        };
        let scope = ExclusionScope::media_page(&self.user_id, self.client.login());
        let exclusions = self.client.exclusions();
        let mut metrics: Vec<String> = wanted
            .iter()
            .filter(|m| !exclusions.is_excluded(&scope, m))
            .cloned()
            .collect();
        let mut retried = false;
        loop {
            if metrics.is_empty() {
                return self.client.execute(&request).await;
            }
            let mut expanded = request.clone();
            let fields = format!(
                "{},insights.metric({})",
                comma(&self.fields),
                comma(&metrics)
            );
            expanded.set_query("fields", fields);
            expanded.reserve = u64::from(self.limit);
            expanded.metrics = metrics.clone();
            let error = match self.client.execute::<Page<Media>>(&expanded).await {
                Ok(page) => {
                    let insights = page.data.iter().filter(|m| m.insights.is_some()).count();
                    self.client.spend(insights as u64);
                    return Ok(page);
                }
                Err(error) => error,
            };
            match error.class() {
                ErrorClass::MetricUnsupported { metric } if !retried => {
                    let Some(culprit) =
                        exclude_refused(&self.client, &scope, metric, &metrics, &error)
                    else {
                        log::warn!("{error} Listing this page without insights.");
                        return self.client.execute(&request).await;
                    };
                    metrics.retain(|m| m != &culprit);
                    retried = true;
                }
                // One media of the page cannot answer insights at all, which fails the whole
                // expanded call: list the page plainly and let per-media calls sort it out.
                ErrorClass::MetricUnsupported { .. }
                | ErrorClass::NotEnoughViewers
                | ErrorClass::MediaBeforeBusinessConversion => {
                    log::warn!("{error} Listing this page without insights.");
                    return self.client.execute(&request).await;
                }
                _ => return Err(error),
            }
        }
    }
}
