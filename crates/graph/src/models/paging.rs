//! Graph list envelopes: `{"data": [...], "paging": {...}, "summary": {...}}`.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// One page of a Graph edge.
#[derive(Debug, Clone, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
    #[serde(default)]
    pub summary: Option<Summary>,
}

impl<T> Page<T> {
    /// The cursor of the next page, when Meta says there is one (`paging.next` present).
    /// The client rebuilds the request with `after=` itself rather than following
    /// `paging.next`, because Meta's `next` URL carries the access token in its query.
    pub fn next_cursor(&self) -> Option<&str> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging.cursors.as_ref()?.after.as_deref()
    }
}

/// `paging` of a list. `next`/`previous` are URLs Meta built, often with an `access_token`
/// inside, so `Debug` shows them redacted.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Paging {
    #[serde(default)]
    pub cursors: Option<Cursors>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub previous: Option<String>,
}

impl Paging {
    /// The `since`/`until` window of an insights `paging.next`/`previous` URL (time-based
    /// paging), when it carries one.
    pub fn window_of(link: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let url = url::Url::parse(link).ok()?;
        let mut since = None;
        let mut until = None;
        for (name, value) in url.query_pairs() {
            let seconds = value.parse::<i64>().ok();
            match name.as_ref() {
                "since" => since = seconds.and_then(|s| DateTime::from_timestamp(s, 0)),
                "until" => until = seconds.and_then(|s| DateTime::from_timestamp(s, 0)),
                _ => {}
            }
        }
        Some((since?, until?))
    }
}

impl fmt::Debug for Paging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paging")
            .field("cursors", &self.cursors)
            .field(
                "next",
                &self.next.as_deref().map(crate::redact::redact_link),
            )
            .field(
                "previous",
                &self.previous.as_deref().map(crate::redact::redact_link),
            )
            .finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Cursors {
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Summary {
    #[serde(default)]
    pub total_count: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_links() {
        let paging = Paging {
            cursors: None,
            next: Some(
                "https://graph.facebook.com/v11.0/1/accounts?access_token=SECRETX&after=a".into(),
            ),
            previous: None,
        };
        let shown = format!("{paging:?}");
        assert!(!shown.contains("SECRETX"), "{shown}");
        assert!(shown.contains("after=a"), "{shown}");
    }

    #[test]
    fn next_cursor_needs_a_next_link() {
        let mut page: Page<u8> = Page {
            data: vec![],
            paging: Some(Paging {
                cursors: Some(Cursors {
                    before: Some("b".into()),
                    after: Some("a".into()),
                }),
                next: None,
                previous: None,
            }),
            summary: None,
        };
        assert_eq!(page.next_cursor(), None);
        if let Some(p) = page.paging.as_mut() {
            p.next = Some("https://x/y?after=a".into());
        }
        assert_eq!(page.next_cursor(), Some("a"));
    }

    #[test]
    fn window_of_reads_since_and_until() {
        let w = Paging::window_of(
            "https://graph.facebook.com/v26.0/1/insights?metric=reach&since=1700000000&until=1702592000",
        );
        assert_eq!(
            w.map(|(a, b)| (a.timestamp(), b.timestamp())),
            Some((1_700_000_000, 1_702_592_000))
        );
        assert_eq!(Paging::window_of("https://graph.face..."), None);
    }
}
