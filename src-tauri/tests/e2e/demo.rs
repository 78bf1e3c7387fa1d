//! The demo creator from a fresh install: "Explore the demo", the first sync, and every
//! screen showing numbers read from the store; ranges, sorting, exports, themes, accounts.

use std::time::Duration;

use crate::harness::{Launch, Session, number, prerequisites_met};

const FIRST_SYNC: Duration = Duration::from_secs(180);
const SCREEN: Duration = Duration::from_secs(30);

async fn go(session: &Session, screen: &str, title: &str) {
    session.click(&format!("[data-testid=nav-{screen}]")).await;
    session
        .wait_text("[data-testid=screen-title]", SCREEN, |t| t == title)
        .await;
    no_error_shown(session).await;
}

/// The demo's ordinary path shows no error banner.
async fn no_error_shown(session: &Session) {
    let banners = session.texts(".banner.error").await;
    assert!(
        banners.is_empty(),
        "an error on the normal path: {banners:?}"
    );
}

/// The figures of one column of the content table, top to bottom.
async fn column(session: &Session, column: &str) -> Vec<f64> {
    session
        .texts(&format!("[data-testid=content-row] [data-col={column}]"))
        .await
        .iter()
        .filter_map(|t| number(t))
        .collect()
}

/// Waits until the table shows rows Rust sorted in `order` ("reach:desc"), and the header
/// says so too.
async fn sorted_by(session: &Session, order: &str) {
    session
        .find(
            &format!("[data-testid=content-table][data-order=\"{order}\"]"),
            SCREEN,
        )
        .await;
    let direction = if order.ends_with("desc") {
        "descending"
    } else {
        "ascending"
    };
    let header = session.text_of(&format!("th[aria-sort={direction}]")).await;
    assert!(header.contains("Reach"), "{header}");
}

/// Waits until the texts of `css` inside the content rows satisfy `ok` (and there are rows).
async fn wait_rows(session: &Session, css: &str, ok: impl Fn(&[String]) -> bool) -> Vec<String> {
    let selector = format!("[data-testid=content-row] {css}");
    let deadline = std::time::Instant::now() + SCREEN;
    loop {
        let texts = session.texts(&selector).await;
        if !texts.is_empty() && ok(&texts) {
            return texts;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{selector} never matched: {texts:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn period_title(session: &Session) -> String {
    session.text_of("[data-testid=period-title]").await
}

/// Picks a range and waits for the screen to show it.
async fn pick_range(session: &Session, kind: &str, before: &str) -> String {
    session
        .click(&format!("[data-testid=range-picker] [data-value={kind}]"))
        .await;
    session
        .wait_text("[data-testid=period-title]", SCREEN, |t| t != before)
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn explore_the_demo_and_every_screen_shows_numbers_from_the_store() {
    if !prerequisites_met() {
        return;
    }
    let saves = tempfile::tempdir().expect("a folder for exports");
    let session = Session::launch(
        Launch::default().env("INSIGHTDESK_SAVE_DIR", saves.path().display().to_string()),
    )
    .await;

    // Every violation of the window's content security policy from here on is kept.
    session
        .js("window.cspViolations = [];
             document.addEventListener('securitypolicyviolation',
               (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
             return true;")
        .await;

    // First run: the three ways in, one click for the demo.
    session
        .find("[data-testid=continue-facebook]", SCREEN)
        .await;
    session
        .find("[data-testid=continue-instagram]", SCREEN)
        .await;
    session.screenshot("welcome").await;
    session.click("[data-testid=explore-demo]").await;

    // The overview fills once the first sync has read the history.
    let followers = session
        .wait_number(
            "[data-testid=kpi-followers] [data-testid=kpi-value]",
            FIRST_SYNC,
        )
        .await;
    assert!(
        followers > 1000.0,
        "the demo creator has thousands: {followers}"
    );
    session
        .wait_text("[data-testid=sync-text]", FIRST_SYNC, |t| {
            t.starts_with("Synced")
        })
        .await;
    let as_of = session.text_of("[data-testid=data-as-of]").await;
    assert!(as_of.starts_with("Data as of"), "{as_of}");
    let views = session
        .wait_number("[data-testid=kpi-views] [data-testid=kpi-value]", SCREEN)
        .await;
    assert!(views > 0.0);
    session
        .find("[data-testid=chart-daily_reach] canvas", SCREEN)
        .await;
    // Hovering a chart shows the exact figure of that day. (A chart is drawn anew when
    // fresher numbers arrive, which drops the hover: hover again until the tip shows.)
    let deadline = std::time::Instant::now() + SCREEN;
    let mut offset = 40.0;
    let tip = loop {
        // A pointer that does not move fires no event: a little further each time.
        offset += 7.0;
        session
            .hover("[data-testid=chart-daily_reach] .u-over", offset)
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let tips = session.texts("[data-testid=chart-tip]").await;
        if let Some(tip) = tips
            .into_iter()
            .find(|t| t.chars().any(|c| c.is_ascii_digit()))
        {
            break tip;
        }
        if std::time::Instant::now() >= deadline {
            session.screenshot("hover-failed").await;
            panic!("hovering the daily reach chart never showed a figure");
        }
    };
    assert!(
        ["Oct", "Nov", "Dec"].iter().any(|m| tip.contains(m)),
        "{tip}"
    );
    no_error_shown(&session).await;
    session.screenshot("overview").await;

    // Switching the range changes the period and the figures.
    let last28 = period_title(&session).await;
    let posts28 = session
        .wait_number(
            "[data-testid=kpi-posts_published] [data-testid=kpi-value]",
            SCREEN,
        )
        .await;
    let last7 = pick_range(&session, "last7", &last28).await;
    let posts7 = session
        .wait_number(
            "[data-testid=kpi-posts_published] [data-testid=kpi-value]",
            SCREEN,
        )
        .await;
    assert!(posts7 <= posts28, "7 days: {posts7}, 28 days: {posts28}");
    let last90 = pick_range(&session, "last90", &last7).await;
    session
        .wait_text(
            "[data-testid=kpi-posts_published] [data-testid=kpi-value]",
            SCREEN,
            |t| number(t).is_some_and(|n| n > posts28),
        )
        .await;
    session.screenshot("overview-90-days").await;
    pick_range(&session, "last28", &last90).await;

    // Content: sorted in Rust by the header the creator clicks.
    go(&session, "content", "Content").await;
    session.find("[data-testid=content-row]", SCREEN).await;
    session.click("[data-testid=sort-reach]").await;
    sorted_by(&session, "reach:desc").await;
    let reach = column(&session, "reach").await;
    assert!(reach.len() > 5, "{reach:?}");
    assert!(
        reach.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {reach:?}"
    );
    assert!(reach.first() > reach.last(), "{reach:?}");
    session.screenshot("content").await;
    session.click("[data-testid=sort-reach]").await;
    sorted_by(&session, "reach:asc").await;
    let ascending = column(&session, "reach").await;
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    let info = session.text_of("[data-testid=page-info]").await;
    assert!(info.starts_with("1\u{2013}"), "{info}");

    // The type filter keeps only reels; the search keeps only captions with the word.
    session
        .click("[data-testid=kind-filter] [data-value=reel]")
        .await;
    let kinds = wait_rows(&session, ".kind", |kinds| kinds.iter().all(|k| k == "Reel")).await;
    assert!(!kinds.is_empty());
    session
        .click("[data-testid=kind-filter] [data-value=all]")
        .await;
    wait_rows(&session, ".kind", |kinds| kinds.iter().any(|k| k != "Reel")).await;
    let captions: Vec<String> = session
        .js("return [...document.querySelectorAll('[data-testid=content-row] button.open')].map(b => b.title);")
        .await
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let word = captions
        .iter()
        .flat_map(|c| c.split(|ch: char| !ch.is_alphabetic()))
        // ASCII only: WebDriver types the word key by key.
        .find(|w| w.len() >= 6 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .unwrap_or_else(|| panic!("a caption with a long word: {captions:?}"))
        .to_lowercase();
    session
        .find("[data-testid=content-search]", SCREEN)
        .await
        .send_keys(&word)
        .await
        .expect("typing a search");
    let found = session
        .wait_text("[data-testid=page-info]", SCREEN, |t| t != info)
        .await;
    wait_rows(&session, "button.open", |_| true).await;
    let titles: Vec<String> = session
        .js("return [...document.querySelectorAll('[data-testid=content-row] button.open')].map(b => b.title);")
        .await
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_lowercase)).collect())
        .unwrap_or_default();
    assert!(
        !titles.is_empty() && titles.iter().all(|t| t.contains(&word)),
        "“{word}” ({found}): {titles:?}"
    );
    session.screenshot("content-search").await;
    session
        .js("const s = document.querySelector('[data-testid=content-search]'); s.value = ''; s.dispatchEvent(new Event('input', {bubbles: true})); return true;")
        .await;
    session
        .wait_text("[data-testid=page-info]", SCREEN, |t| t == info)
        .await;

    // A post's page: the best-reaching post, its metrics and growth.
    session.click("[data-testid=sort-reach]").await;
    sorted_by(&session, "reach:desc").await;
    session.click("[data-testid=content-row] button.open").await;
    session.find("[data-testid=post-detail]", SCREEN).await;
    let post_reach = session
        .wait_number("[data-testid=metric-reach]", SCREEN)
        .await;
    assert_eq!(Some(post_reach), reach.first().copied());
    session.find("[data-testid=growth-note]", SCREEN).await;
    session.screenshot("post").await;

    // A post of the last days: the demo's replayed weeks read it at several ages, so its
    // growth curve is drawn against the median of its kind.
    go(&session, "content", "Content").await;
    // The table opens newest first; its data-order comes with the rows it describes.
    let newest_first = "[data-testid=content-table][data-order=\"posted_at:desc\"]";
    session.find(newest_first, SCREEN).await;
    session
        .js("document.querySelectorAll('[data-testid=content-row] button.open')[7].click(); return true;")
        .await;
    session.find("[data-testid=post-detail]", SCREEN).await;
    session
        .find("[data-testid=chart-growth] canvas", SCREEN)
        .await;
    let empty = session.texts("[data-testid=chart-growth] .empty").await;
    assert!(empty.is_empty(), "{empty:?}");
    session.screenshot("post-growth").await;

    // Stories with their capture state.
    go(&session, "stories", "Stories").await;
    session.find("[data-testid=story-row]", SCREEN).await;
    let captured = session
        .wait_number("[data-testid=stories-count] .value", SCREEN)
        .await;
    assert!(captured >= 1.0);
    session.screenshot("stories").await;

    // Audience.
    go(&session, "audience", "Audience").await;
    session.find("[data-testid=top-countries] li", SCREEN).await;
    assert!(session.texts("[data-testid=top-countries] li").await.len() >= 3);
    // Followers by age and gender together: a row per age band, a share in each cell.
    let ages = session.texts("[data-testid=age-gender] tbody tr").await;
    assert!(ages.len() >= 4, "{ages:?}");
    assert!(ages.iter().all(|row| row.contains('%')), "{ages:?}");
    session.screenshot("audience").await;

    // Best time over a year of posts.
    go(&session, "best_time", "Best time to post").await;
    let before = period_title(&session).await;
    pick_range(&session, "last_year", &before).await;
    let considered = session
        .wait_number("[data-testid=posts-considered]", SCREEN)
        .await;
    assert!(considered > 50.0, "{considered}");
    session
        .find("[data-testid=best-time-summary]", SCREEN)
        .await;
    session.screenshot("best-time").await;

    // Reports: preview, then PDF and CSV through the (preset) save dialog.
    go(&session, "reports", "Reports").await;
    session.find("[data-testid=report-preview]", SCREEN).await;
    session.click("[data-testid=export-pdf]").await;
    session
        .wait_text("[data-testid=export-outcome]", SCREEN, |t| {
            t.contains("as PDF")
        })
        .await;
    session.click("[data-testid=export-csv]").await;
    session
        .wait_text("[data-testid=export-outcome]", SCREEN, |t| {
            t.contains("as CSV")
        })
        .await;
    let saved: Vec<std::path::PathBuf> = std::fs::read_dir(saves.path())
        .expect("the export folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    let pdf = saved
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap_or_else(|| panic!("no PDF among {saved:?}"));
    assert!(std::fs::read(pdf).expect("the PDF").starts_with(b"%PDF"));
    let csv = saved
        .iter()
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("no CSV folder among {saved:?}"));
    assert!(csv.join("posts.csv").is_file(), "{csv:?}");
    session
        .wait_text("[data-testid=report-history]", SCREEN, |t| {
            t.contains("PDF") && t.contains("CSV")
        })
        .await;
    session.screenshot("reports").await;

    // Settings: both demo accounts, the API version.
    go(&session, "settings", "Settings").await;
    session.find("[data-testid=api-version]", SCREEN).await;
    assert_eq!(
        session.texts("[data-testid=settings-account]").await.len(),
        2
    );
    // A weekly report into a folder the creator picks (the preset dialog answers).
    session
        .click("[data-testid=report-schedule] [data-value=weekly]")
        .await;
    let folder = saves.path().display().to_string();
    // (Read from the title: WebKitWebDriver gives an ellipsised span's text as empty.)
    session
        .find(
            &format!("[data-testid=schedule-folder][title=\"{folder}\"]"),
            SCREEN,
        )
        .await;
    // Every table of the history as CSV.
    session.click("[data-testid=export-all]").await;
    session
        .wait_text("[data-testid=export-all-outcome]", SCREEN, |t| {
            t.starts_with("Wrote")
        })
        .await;
    assert!(saves.path().join("media.csv").is_file());
    session.screenshot("settings").await;

    // Dark theme, chosen in Settings, on the overview.
    session
        .click("[data-testid=theme-choice] [data-value=dark]")
        .await;
    go(&session, "overview", "Overview").await;
    session
        .wait_number(
            "[data-testid=kpi-followers] [data-testid=kpi-value]",
            SCREEN,
        )
        .await;
    let theme = session
        .js("return document.documentElement.dataset.theme")
        .await;
    assert_eq!(theme, serde_json::json!("dark"));
    session
        .find("[data-testid=chart-daily_reach] canvas", SCREEN)
        .await;
    session.screenshot("overview-dark").await;
    go(&session, "settings", "Settings").await;
    session
        .click("[data-testid=theme-choice] [data-value=light]")
        .await;

    // The account switcher: the small account shows why it has no audience figures.
    let switcher = session.find("[data-testid=account-switcher]", SCREEN).await;
    let options = session.texts("[data-testid=account-switcher] option").await;
    let small = options
        .iter()
        .find(|o| !o.contains("maya.bakes.bread"))
        .expect("a second account")
        .clone();
    switcher
        .select_by_label(&small)
        .await
        .expect("choose the small account");
    go(&session, "audience", "Audience").await;
    session
        .wait_text("[data-testid=audience-missing]", SCREEN, |t| {
            t.contains("100 followers")
        })
        .await;
    session.screenshot("audience-small-account").await;

    // Through all of it the strict policy held, and the window loaded nothing from the
    // network: its own files, thumbnails from the local thumb:// cache and IPC only.
    let violations = session.js("return window.cspViolations").await;
    assert_eq!(violations, serde_json::json!([]), "content security policy");
    let foreign = session
        .js(
            r"return performance.getEntriesByType('resource').map((e) => e.name)
                .filter((u) => !/^(tauri|thumb|ipc):\/\/localhost\//.test(u)
                            && !u.startsWith('http://ipc.localhost/'))",
        )
        .await;
    assert_eq!(foreign, serde_json::json!([]), "loaded from the network");

    // Sign out and wipe, after saying what it deletes: back to the first-run screen.
    go(&session, "settings", "Settings").await;
    session.click("[data-testid=wipe-open]").await;
    session.find("[data-testid=wipe-dialog]", SCREEN).await;
    session.screenshot("settings-wipe-confirm").await;
    session.click("[data-testid=wipe-confirm]").await;
    session.find("[data-testid=explore-demo]", SCREEN).await;
    assert!(
        !session.data_dir.path().join("profiles/demo").exists(),
        "the demo's history is deleted"
    );
    session.close().await;
}
