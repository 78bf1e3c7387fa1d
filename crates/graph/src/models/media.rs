//! Posts, reels, stories, carousel children, comments and mentions.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::insights::Insights;
use super::paging::Page;
use super::{de, open_enum};

open_enum! {
    /// `media_type`.
    MediaType {
        Image => "IMAGE",
        Video => "VIDEO",
        CarouselAlbum => "CAROUSEL_ALBUM",
    }
}

open_enum! {
    /// `media_product_type`: where the media was published.
    MediaProductType {
        Feed => "FEED",
        Reels => "REELS",
        Story => "STORY",
        Ad => "AD",
    }
}

/// An IG media object from `/{ig-user-id}/media`, `/stories`, `/tags`, `/{media-id}` or
/// `children`. Fields are present only when requested (and `media_url` may be missing even
/// then, e.g. for copyrighted audio).
#[derive(Debug, Clone, Deserialize)]
pub struct Media {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub media_type: Option<MediaType>,
    #[serde(default)]
    pub media_product_type: Option<MediaProductType>,
    #[serde(default, deserialize_with = "de::meta_time_opt")]
    pub timestamp: Option<DateTime<Utc>>,
    #[serde(default)]
    pub permalink: Option<String>,
    #[serde(default)]
    pub shortcode: Option<String>,
    #[serde(default)]
    pub media_url: Option<String>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub like_count: Option<u64>,
    #[serde(default)]
    pub comments_count: Option<u64>,
    #[serde(default)]
    pub saved_count: Option<u64>,
    #[serde(default)]
    pub shares_count: Option<u64>,
    #[serde(default)]
    pub reposts_count: Option<u64>,
    #[serde(default)]
    pub total_like_count: Option<u64>,
    #[serde(default)]
    pub total_comments_count: Option<u64>,
    #[serde(default)]
    pub total_views_count: Option<u64>,
    #[serde(default)]
    pub media_audio_type: Option<String>,
    #[serde(default)]
    pub is_ai_generated: Option<bool>,
    #[serde(default)]
    pub is_comment_enabled: Option<bool>,
    /// `children{...}` of a carousel album. Album children have no insights of their own.
    #[serde(default)]
    pub children: Option<Page<Media>>,
    /// `insights.metric(...)` when the media edge was asked to expand them.
    #[serde(default)]
    pub insights: Option<Insights>,
}

impl Media {
    /// The carousel's children, or nothing.
    pub fn child_media(&self) -> &[Media] {
        self.children.as_ref().map_or(&[], |c| c.data.as_slice())
    }
}

/// The author of a comment as comments and webhooks report it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommentAuthor {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default, deserialize_with = "de::id_opt")]
    pub self_ig_scoped_id: Option<String>,
}

/// The media a comment belongs to (`media{id,media_product_type}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommentMedia {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(default)]
    pub media_product_type: Option<MediaProductType>,
    #[serde(default, deserialize_with = "de::id_opt")]
    pub ad_id: Option<String>,
    #[serde(default)]
    pub ad_title: Option<String>,
    #[serde(default, deserialize_with = "de::id_opt")]
    pub original_media_id: Option<String>,
}

/// An IG comment: `/{media-id}/comments`, `mentioned_comment`, or a `comments` webhook value.
#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "de::meta_time_opt")]
    pub timestamp: Option<DateTime<Utc>>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub like_count: Option<u64>,
    #[serde(default)]
    pub hidden: Option<bool>,
    #[serde(default)]
    pub from: Option<CommentAuthor>,
    #[serde(default)]
    pub media: Option<CommentMedia>,
    #[serde(default, deserialize_with = "de::id_opt")]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub replies: Option<Page<Comment>>,
}

/// `GET /{ig-user-id}?fields=mentioned_media.media_id({id}){...}`: a media where the account
/// was @mentioned in the caption.
#[derive(Debug, Clone, Deserialize)]
pub struct MentionedMedia {
    #[serde(default, deserialize_with = "de::id_opt")]
    pub id: Option<String>,
    pub mentioned_media: Media,
}

/// `GET /{ig-user-id}?fields=mentioned_comment.comment_id({id}){...}`: a comment that
/// @mentioned the account.
#[derive(Debug, Clone, Deserialize)]
pub struct MentionedComment {
    #[serde(default, deserialize_with = "de::id_opt")]
    pub id: Option<String>,
    pub mentioned_comment: Comment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_are_case_insensitive_and_open() {
        assert_eq!(MediaProductType::parse("reels"), MediaProductType::Reels);
        assert_eq!(
            MediaProductType::parse("CLIPS"),
            MediaProductType::Other("CLIPS".into())
        );
        assert_eq!(
            MediaType::parse("CAROUSEL_ALBUM").as_str(),
            "CAROUSEL_ALBUM"
        );
    }
}
