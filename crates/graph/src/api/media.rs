//! One media object: its fields, children, comments and insights.

use futures::stream::BoxStream;
use reqwest::Method;

use super::comma;
use super::insights::{InsightsAnswer, MediaInsights};
use crate::catalog::Selector;
use crate::client::GraphClient;
use crate::error::GraphError;
use crate::models::{Comment, Media, MediaProductType, Page};
use crate::pagination::{MEDIA_CAP, cursor_pages, items};

/// `client.media(media_id)`.
#[derive(Debug, Clone)]
pub struct MediaHandler {
    client: GraphClient,
    id: String,
}

impl MediaHandler {
    pub(crate) fn new(client: GraphClient, id: &str) -> Self {
        Self {
            client,
            id: id.to_owned(),
        }
    }

    /// `GET /{ig-media-id}?fields=...`.
    pub async fn get(&self, fields: &[&str]) -> Result<Media, GraphError> {
        let request = self
            .client
            .graph(Method::GET, &self.id)
            .query("fields", comma(fields));
        self.client.execute(&request).await
    }

    /// `GET /{ig-media-id}/children`: a carousel's items (which have no insights of their own).
    pub async fn children(&self) -> Result<Vec<Media>, GraphError> {
        let request = self
            .client
            .graph(Method::GET, &format!("{}/children", self.id))
            .query(
                "fields",
                "id,media_type,media_url,thumbnail_url,permalink,timestamp",
            );
        let page: Page<Media> = self.client.execute(&request).await?;
        Ok(page.data)
    }

    /// `GET /{ig-media-id}/comments` as a stream.
    pub fn comments(&self) -> BoxStream<'static, Result<Comment, GraphError>> {
        let first = self
            .client
            .graph(Method::GET, &format!("{}/comments", self.id))
            .query(
                "fields",
                "id,text,timestamp,username,like_count,hidden,from{id,username}",
            )
            .query("limit", "50");
        let client = self.client.clone();
        let pages = cursor_pages(first, move |request| {
            let client = client.clone();
            async move { client.execute::<Page<Comment>>(&request).await }
        });
        items(pages, MEDIA_CAP)
    }

    /// `GET /{ig-media-id}/insights` with metrics of your choosing.
    pub fn insights(&self) -> MediaInsights {
        MediaInsights::new(self.client.clone(), &self.id)
    }

    /// The catalog's default metrics for this media's kind (on this client's version and
    /// today's date), minus `skip` (e.g. the metrics a page already expanded) and minus
    /// those refused before; one request per catalog group (breakdown metrics separately).
    ///
    /// Errors that concern the media itself (too few story viewers, posted before the
    /// business conversion) come back as errors of that class for the caller to skip on.
    pub async fn insights_for(
        &self,
        media: &Media,
        skip: &[String],
    ) -> Result<InsightsAnswer, GraphError> {
        let product = media
            .media_product_type
            .clone()
            .unwrap_or(MediaProductType::Feed);
        let selector = Selector::media(
            self.client.version(),
            self.client.login(),
            self.client.now().date_naive(),
            product.clone(),
            media.media_type.clone(),
        );
        let groups = self.client.catalog().media_groups(&selector);
        let mut answer = InsightsAnswer::default();
        for group in groups {
            let metrics: Vec<String> = group
                .metrics
                .into_iter()
                .filter(|m| !skip.contains(m))
                .collect();
            if metrics.is_empty() {
                continue;
            }
            let mut request = self
                .insights()
                .metrics(metrics)
                .kind(Some(product.clone()), media.media_type.clone());
            if let Some(breakdown) = &group.breakdown {
                request = request.breakdown(breakdown);
            }
            let part = request.send().await?;
            answer.metrics.extend(part.metrics);
            answer.dropped.extend(part.dropped);
        }
        Ok(answer)
    }
}
