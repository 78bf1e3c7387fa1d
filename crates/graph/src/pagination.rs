//! Lists as async streams: cursor paging for edges, time windows for insights.
//!
//! The next page is requested by rebuilding our own request with `after={cursor}` rather than
//! by following Meta's `paging.next` URL, which carries the access token in its query string
//! (and names the real host, not the configured one).

use std::future::Future;

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::client::Request;
use crate::error::GraphError;
use crate::models::Page;

/// Meta answers at most the 10 000 most recent media of an account.
pub const MEDIA_CAP: usize = 10_000;

/// The longest `since`..`until` span insights accept (2 592 000 s).
pub const MAX_INSIGHTS_SPAN: chrono::Duration = chrono::Duration::days(30);

/// Pages of a cursor-paged edge, fetched one after another by `fetch`, until Meta gives no
/// `paging.next` (or repeats a cursor). The first error ends the stream.
pub(crate) fn cursor_pages<T, F, Fut>(
    first: Request,
    fetch: F,
) -> BoxStream<'static, Result<Page<T>, GraphError>>
where
    T: Send + 'static,
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>, GraphError>> + Send + 'static,
{
    struct State<F> {
        next: Option<Request>,
        fetch: F,
        seen: Vec<String>,
    }
    stream::try_unfold(
        State {
            next: Some(first),
            fetch,
            seen: Vec::new(),
        },
        |mut state| async move {
            let Some(request) = state.next.take() else {
                return Ok(None);
            };
            let page = (state.fetch)(request.clone()).await?;
            if let Some(cursor) = page.next_cursor()
                && !state.seen.iter().any(|c| c == cursor)
            {
                state.seen.push(cursor.to_owned());
                let mut next = request;
                next.set_query("after", cursor);
                state.next = Some(next);
            }
            Ok(Some((page, state)))
        },
    )
    .boxed()
}

/// The items of a page stream, at most `cap` of them.
pub(crate) fn items<T: Send + 'static>(
    pages: BoxStream<'static, Result<Page<T>, GraphError>>,
    cap: usize,
) -> BoxStream<'static, Result<T, GraphError>> {
    pages
        .map_ok(|page| stream::iter(page.data.into_iter().map(Ok)))
        .try_flatten()
        .take(cap)
        .boxed()
}

/// `since`..`until` cut into consecutive windows of at most `max` (Meta refuses insights
/// ranges over 30 days). An empty or reversed range gives no windows.
pub fn chunk_range(
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    max: chrono::Duration,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut windows = Vec::new();
    if max <= chrono::Duration::zero() {
        return windows;
    }
    let mut start = since;
    while start < until {
        let end = (start + max).min(until);
        windows.push((start, end));
        start = end;
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Host;
    use crate::models::{Cursors, Paging};
    use reqwest::Method;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn page(items: Vec<u32>, after: Option<&str>) -> Page<u32> {
        Page {
            data: items,
            paging: after.map(|a| Paging {
                cursors: Some(Cursors {
                    before: None,
                    after: Some(a.into()),
                }),
                next: Some(format!(
                    "https://graph.facebook.com/x?after={a}&access_token=t"
                )),
                previous: None,
            }),
            summary: None,
        }
    }

    #[tokio::test]
    async fn follows_cursors_and_stops_on_a_repeat() {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let fetch = move |request: Request| {
            let seen = seen.clone();
            async move {
                seen.fetch_add(1, Ordering::SeqCst);
                let after = request
                    .query
                    .iter()
                    .find(|(k, _)| k == "after")
                    .map(|(_, v)| v.clone());
                Ok(match after.as_deref() {
                    None => page(vec![1, 2], Some("c1")),
                    Some("c1") => page(vec![3], Some("c2")),
                    // Meta answering the same cursor again must not loop forever.
                    _ => page(vec![4], Some("c2")),
                })
            }
        };
        let first = Request::new(Method::GET, Host::GraphFacebook, "v26.0/1/media");
        let all: Vec<u32> = items(cursor_pages(first, fetch), usize::MAX)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all, vec![1, 2, 3, 4]);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn the_cap_stops_fetching() {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let fetch = move |_request: Request| {
            let seen = seen.clone();
            async move {
                let n = seen.fetch_add(1, Ordering::SeqCst);
                Ok(page(vec![1, 2, 3], Some(&format!("c{n}"))))
            }
        };
        let first = Request::new(Method::GET, Host::GraphFacebook, "v26.0/1/media");
        let got: Vec<u32> = items(cursor_pages(first, fetch), 7)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(got.len(), 7);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let fetch = |_request: Request| async { Err::<Page<u32>, _>(GraphError::Cancelled) };
        let first = Request::new(Method::GET, Host::GraphFacebook, "v26.0/1/media");
        let results: Vec<_> = items(cursor_pages(first, fetch), 10).collect().await;
        assert_eq!(results.len(), 1);
        assert!(results[0].is_err());
    }

    #[test]
    fn ranges_are_cut_into_windows_of_thirty_days() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let windows = chunk_range(start, start + chrono::Duration::days(75), MAX_INSIGHTS_SPAN);
        assert_eq!(windows.len(), 3);
        assert!(windows.iter().all(|(a, b)| *b - *a <= MAX_INSIGHTS_SPAN));
        assert_eq!(windows[0].0, start);
        assert_eq!(windows[2].1, start + chrono::Duration::days(75));
        assert!(windows.windows(2).all(|w| w[0].1 == w[1].0));
        assert!(chunk_range(start, start, MAX_INSIGHTS_SPAN).is_empty());
        assert!(
            chunk_range(start, start - chrono::Duration::days(1), MAX_INSIGHTS_SPAN).is_empty()
        );
    }
}
