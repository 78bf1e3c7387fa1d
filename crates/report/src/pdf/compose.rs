//! The report's pages: the cover, the template's sections (key numbers, charts and tables,
//! appendix, or the media kit's figures), footers.

use super::chart::chart_tree;
use super::fonts::Metrics;
use super::layout::{
    ACCENT, ACCENT_SOFT, Align, Canvas, Color, DOWN, Flow, Geometry, INK, MUTED, Op, PINK, Page,
    RULE, Style, TABLE_ROW_H, Table, UP, WHITE, column, style,
};
use crate::ReportError;
use crate::analytics::{Ranking, StoryRow, WEEKDAYS};
use crate::cells;
use crate::chart::ChartSpec;
use crate::format::{self, caption, count, count_or_dash, hour_span, local_time, percent};
use crate::model::{Kpi, Report};
use crate::template::{self, Fact, ReportTemplate, Section};

const BODY: Style = style(8.2, false, INK);
const SMALL: Style = style(7.4, false, MUTED);
const COVER_H: f32 = 118.0;
const GAP: f32 = 10.0;

pub(crate) fn compose(
    report: &Report,
    template: ReportTemplate,
    metrics: &Metrics,
    geometry: Geometry,
) -> Result<Vec<Page>, ReportError> {
    let mut flow = Flow::new(metrics, geometry);
    cover(&mut flow, report, template);
    for section in template.sections() {
        match section {
            Section::KeyNumbers => key_numbers(&mut flow, report),
            Section::FollowersAndReach => followers_and_reach(&mut flow, report)?,
            Section::FollowersAndReachSideBySide => {
                followers_and_reach_side_by_side(&mut flow, report)?;
            }
            Section::Published => published(&mut flow, report)?,
            Section::TopFive => {
                single_top_list(&mut flow, report, "Top 5 posts", Ranking::EngagementRate);
            }
            Section::BestTime => best_time(&mut flow, report)?,
            Section::Stories => stories(&mut flow, report)?,
            Section::Growth => growth(&mut flow, report)?,
            Section::Audience => audience(&mut flow, report, template),
            Section::Notes => annotations(&mut flow, report),
            Section::Appendix => appendix(&mut flow, report),
            Section::AtAGlance => at_a_glance(&mut flow, report),
            Section::BestPosts => single_top_list(&mut flow, report, "Best posts", Ranking::Reach),
            Section::ContentByFormat => {
                flow.heading("Content by format", 150.0);
                content_mix(&mut flow, report)?;
            }
            Section::AboutTheFigures => about_the_figures(&mut flow, report),
        }
    }
    let mut pages = flow.finish();
    footers(&mut pages, report, template, metrics, geometry);
    Ok(pages)
}

fn cover(flow: &mut Flow<'_>, report: &Report, template: ReportTemplate) {
    let g = flow.geometry;
    let x = g.margin_x;
    let right = g.width - g.margin_x;
    let soft = ACCENT.lighten(0.55);
    let mut canvas = flow.canvas();
    canvas.rect(0.0, 0.0, g.width, COVER_H, ACCENT);
    canvas.rect(0.0, COVER_H, g.width, 3.0, PINK);
    canvas.text(
        x,
        36.0,
        Align::Left,
        style(7.8, true, soft),
        template.kicker(),
    );
    let handle = canvas.fit(
        &format!("@{}", report.account.username),
        style(22.0, true, WHITE),
        g.content_width() * 0.45,
    );
    canvas.text(x, 66.0, Align::Left, style(22.0, true, WHITE), &handle);
    if let Some(name) = &report.account.name {
        let name = canvas.fit(name, style(10.0, false, soft), g.content_width() * 0.45);
        canvas.text(x, 84.0, Align::Left, style(10.0, false, soft), &name);
    }
    canvas.text(
        x,
        103.0,
        Align::Left,
        style(12.5, true, WHITE),
        &report.period_title,
    );

    let generated = report
        .generated_at
        .with_timezone(&report.tz)
        .format("%-d %B %Y, %H:%M")
        .to_string();
    // The media kit compares with nothing: a sponsor wants the figures as they stand.
    let rows: &[(&str, &str)] = match template {
        ReportTemplate::Brand => &[
            ("Time zone", report.time_zone.as_str()),
            ("Figures as of", generated.as_str()),
        ],
        ReportTemplate::Full | ReportTemplate::Summary => &[
            ("Time zone", report.time_zone.as_str()),
            ("Generated", generated.as_str()),
            ("Compared with", report.previous_title.as_str()),
        ],
    };
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 58.0 + 15.0 * i as f32;
        let value = canvas.fit(value, style(8.0, true, WHITE), g.content_width() * 0.40);
        canvas.text(right, y, Align::Right, style(8.0, true, WHITE), &value);
        let value_w = canvas.metrics.width(&value, 8.0, true);
        canvas.text(
            right - value_w - 7.0,
            y,
            Align::Right,
            style(7.4, false, soft),
            label,
        );
    }
    flow.y = COVER_H + 22.0;
}

fn key_numbers(flow: &mut Flow<'_>, report: &Report) {
    flow.heading("Key numbers", 160.0);
    card_rows(flow, &report.kpis, 74.0, card);
    flow.paragraph(
        &format!("Changes compare with {}.", report.previous_title),
        SMALL,
    );
    for note in &report.notes {
        flow.gap(2.0);
        flow.paragraph(&format!("Note: {note}"), style(7.6, false, INK));
    }
}

/// Cards four to a row, `card_h` high, each drawn by `draw` at (x, y) `w` by `h`.
fn card_rows<T>(
    flow: &mut Flow<'_>,
    items: &[T],
    card_h: f32,
    draw: impl Fn(&mut Canvas<'_>, &T, f32, f32, f32, f32),
) {
    let per_row = 4;
    let card_gap = 8.0;
    let card_w = (flow.width() - card_gap * (per_row as f32 - 1.0)) / per_row as f32;
    for row in items.chunks(per_row) {
        flow.ensure(card_h);
        let (x0, y) = (flow.left(), flow.y);
        let mut canvas = flow.canvas();
        for (i, item) in row.iter().enumerate() {
            let x = x0 + (card_w + card_gap) * i as f32;
            draw(&mut canvas, item, x, y, card_w, card_h);
        }
        flow.y += card_h + card_gap;
    }
}

/// A card's background, label and big value (or "Not available"); returns the width inside.
fn card_top(
    canvas: &mut Canvas<'_>,
    label: &str,
    value: Option<&str>,
    (x, y, w, h): (f32, f32, f32, f32),
) -> f32 {
    canvas.rect(x, y, w, h, ACCENT_SOFT);
    canvas.rect(x, y, 2.5, h, ACCENT);
    let inner = w - 18.0;
    let label_style = style(6.2, true, MUTED);
    let label = canvas.fit(&label.to_uppercase(), label_style, inner);
    canvas.text(x + 10.0, y + 14.0, Align::Left, label_style, &label);
    match value {
        Some(value) => canvas.text(
            x + 10.0,
            y + 36.0,
            Align::Left,
            style(17.0, true, INK),
            value,
        ),
        None => canvas.text(
            x + 10.0,
            y + 34.0,
            Align::Left,
            style(10.5, true, MUTED),
            "Not available",
        ),
    }
    inner
}

fn card(canvas: &mut Canvas<'_>, kpi: &Kpi, x: f32, y: f32, w: f32, h: f32) {
    let value = kpi.delta.current.map(|_| format::kpi_value(kpi));
    let inner = card_top(canvas, &kpi.label, value.as_deref(), (x, y, w, h));
    let (text, color) = match (format::change(kpi.unit, &kpi.delta), kpi.delta.change) {
        (Some(text), Some(change)) if change > 0.0 => (format!("▲ {text}"), UP),
        (Some(text), Some(change)) if change < 0.0 => (format!("▼ {text}"), DOWN),
        (Some(text), _) => (format!("= {text}"), MUTED),
        (None, _) if kpi.delta.current.is_some() => ("no earlier figure".to_owned(), MUTED),
        (None, _) => (String::new(), MUTED),
    };
    // A change too long for the card is shortened to compact numbers before it is cut.
    let change_style = style(7.4, true, color);
    let text = if canvas.metrics.width(&text, 7.4, true) > inner {
        match format::change_short(kpi.unit, &kpi.delta) {
            Some(short) => format!("{} {short}", text.chars().next().unwrap_or(' ')),
            None => text,
        }
    } else {
        text
    };
    let change = canvas.fit(&text, change_style, inner);
    canvas.text(x + 10.0, y + 50.0, Align::Left, change_style, &change);
    if let Some(note) = &kpi.note {
        let note_style = style(6.2, false, MUTED);
        two_lines(canvas, note, note_style, (x + 10.0, y + 60.5), inner, 7.6);
    }
}

/// The first two lines of `text` wrapped within `width`: the first on the baseline at (x, y),
/// the second `leading` below. What would come after them is left out.
fn two_lines(
    canvas: &mut Canvas<'_>,
    text: &str,
    style: Style,
    (x, y): (f32, f32),
    width: f32,
    leading: f32,
) {
    for (i, line) in canvas.wrap(text, style, width).iter().take(2).enumerate() {
        let line = canvas.fit(line, style, width);
        canvas.text(x, y + leading * i as f32, Align::Left, style, &line);
    }
}

/// Title, subtitle and chart (or its empty message) at (`x`, `y`), `w` wide; returns the
/// height used.
fn chart_block(
    flow: &mut Flow<'_>,
    spec: &ChartSpec,
    x: f32,
    y: f32,
    w: f32,
    chart_h: f32,
) -> Result<f32, ReportError> {
    let metrics = flow.metrics;
    let subtitle = spec
        .subtitle
        .as_deref()
        .map(|s| super::layout::wrap(metrics, s, SMALL, w))
        .unwrap_or_default();
    let tree = if spec.is_empty() {
        None
    } else {
        Some(chart_tree(spec, w, chart_h, metrics)?)
    };
    let mut canvas = flow.canvas();
    canvas.text(x, y + 10.0, Align::Left, style(9.5, true, INK), &spec.title);
    let mut cy = y + 15.0;
    for line in &subtitle {
        canvas.text(x, cy + 8.0, Align::Left, SMALL, line);
        cy += 10.0;
    }
    cy += 4.0;
    match tree {
        Some(tree) => {
            canvas.ops.push(Op::Svg {
                x,
                y: cy,
                w,
                h: chart_h,
                tree: Box::new(tree),
            });
            cy += chart_h;
        }
        None => {
            canvas.rect(x, cy, w, 34.0, Color(0xF6, 0xF6, 0xF8));
            let message = spec.empty_message.as_deref().unwrap_or("Nothing to show.");
            canvas.text(
                x + w / 2.0,
                cy + 20.0,
                Align::Center,
                style(8.0, false, MUTED),
                message,
            );
            cy += 34.0;
        }
    }
    Ok(cy - y)
}

fn chart_height(flow: &Flow<'_>, spec: &ChartSpec, w: f32, chart_h: f32) -> f32 {
    let lines = spec
        .subtitle
        .as_deref()
        .map_or(0, |s| super::layout::wrap(flow.metrics, s, SMALL, w).len());
    19.0 + 10.0 * lines as f32 + if spec.is_empty() { 34.0 } else { chart_h }
}

/// A chart across the content width, on a new page when it does not fit.
fn full_chart(flow: &mut Flow<'_>, spec: &ChartSpec, chart_h: f32) -> Result<(), ReportError> {
    let w = flow.width();
    flow.ensure(chart_height(flow, spec, w, chart_h));
    let (x, y) = (flow.left(), flow.y);
    let used = chart_block(flow, spec, x, y, w, chart_h)?;
    flow.y += used + GAP;
    Ok(())
}

/// A chart taking `chart_share` of the width with a titled table beside it.
fn chart_beside_table(
    flow: &mut Flow<'_>,
    spec: &ChartSpec,
    chart_share: f32,
    chart_h: f32,
    title: &str,
    table: &Table,
) -> Result<(), ReportError> {
    let chart_w = flow.width() * chart_share;
    let table_x = flow.left() + chart_w + 18.0;
    let table_w = flow.width() - chart_w - 18.0;
    let height =
        chart_height(flow, spec, chart_w, chart_h).max(table.height(flow.metrics, table_w) + 18.0);
    flow.ensure(height);
    let (x, y) = (flow.left(), flow.y);
    chart_block(flow, spec, x, y, chart_w, chart_h)?;
    let mut canvas = flow.canvas();
    canvas.text(table_x, y + 10.0, Align::Left, style(9.5, true, INK), title);
    table.draw(&mut canvas, table_x, y + 18.0, table_w);
    flow.y += height + GAP;
    Ok(())
}

fn followers_and_reach(flow: &mut Flow<'_>, report: &Report) -> Result<(), ReportError> {
    flow.heading("Followers and reach", 170.0);
    full_chart(flow, &report.charts.followers, 118.0)?;
    full_chart(flow, &report.charts.daily_reach, 118.0)?;
    full_chart(flow, &report.charts.daily_views, 118.0)
}

/// Followers and daily reach, each half the width.
fn followers_and_reach_side_by_side(
    flow: &mut Flow<'_>,
    report: &Report,
) -> Result<(), ReportError> {
    flow.heading("Followers and reach", 150.0);
    let gap = 18.0;
    let half = (flow.width() - gap) / 2.0;
    let chart_h = 120.0;
    let specs = [&report.charts.followers, &report.charts.daily_reach];
    let height = specs
        .iter()
        .map(|spec| chart_height(flow, spec, half, chart_h))
        .fold(0.0, f32::max);
    flow.ensure(height);
    let (x, y) = (flow.left(), flow.y);
    for (i, spec) in specs.into_iter().enumerate() {
        chart_block(flow, spec, x + (half + gap) * i as f32, y, half, chart_h)?;
    }
    flow.y += height + GAP;
    Ok(())
}

/// A section of one top list under `title`, kept on the page of its table.
fn single_top_list(flow: &mut Flow<'_>, report: &Report, title: &str, ranking: Ranking) {
    let Some(list) = template::top_list(report, ranking).filter(|l| !l.posts.is_empty()) else {
        flow.heading(title, 20.0);
        flow.paragraph("No feed posts or reels went up in this period.", BODY);
        return;
    };
    let table: Table = cells::top_posts(&list.posts, 60).into();
    flow.heading(title, titled_table_height(flow, &table));
    titled_table(flow, &list.label, &table);
}

/// The content mix chart with its table beside it.
fn content_mix(flow: &mut Flow<'_>, report: &Report) -> Result<(), ReportError> {
    let table = Table::from(cells::content_mix(&report.content_mix));
    chart_beside_table(
        flow,
        &report.charts.content_mix,
        0.44,
        120.0,
        "By kind",
        &table,
    )
}

fn published(flow: &mut Flow<'_>, report: &Report) -> Result<(), ReportError> {
    flow.heading("What you published", 190.0);
    content_mix(flow, report)?;
    flow.subheading("Top posts", 60.0);
    if report.feed_posts().next().is_none() {
        flow.paragraph("No feed posts or reels went up in this period.", BODY);
        return Ok(());
    }
    flow.paragraph(crate::Measure::TopPosts.definition(), SMALL);
    flow.gap(4.0);
    for list in report.top_posts.iter().filter(|l| !l.posts.is_empty()) {
        titled_table(flow, &list.label, &cells::top_posts(&list.posts, 80).into());
    }
    Ok(())
}

/// What [`titled_table`] keeps together: its title, header and first five rows.
fn titled_table_height(flow: &Flow<'_>, table: &Table) -> f32 {
    let header = table.header_height(flow.metrics, flow.width());
    13.0 + header + TABLE_ROW_H * table.rows.len().min(5) as f32
}

/// A small coloured title over a table that may run over pages.
fn titled_table(flow: &mut Flow<'_>, title: &str, table: &Table) {
    flow.ensure(titled_table_height(flow, table));
    let (x, y) = (flow.left(), flow.y);
    flow.canvas()
        .text(x, y + 9.0, Align::Left, style(8.4, true, ACCENT), title);
    flow.y += 13.0;
    flow.table(table);
    flow.gap(8.0);
}

fn best_time(flow: &mut Flow<'_>, report: &Report) -> Result<(), ReportError> {
    flow.heading("Best time to post", 250.0);
    let best = &report.best_time;
    flow.paragraph(
        &format!(
            "Feed posts and reels from {} to {}, placed by the hour they went up in {}.",
            best.window_first.format("%-d %B %Y"),
            best.window_last.format("%-d %B %Y"),
            report.time_zone
        ),
        SMALL,
    );
    flow.gap(4.0);
    full_chart(flow, &report.charts.best_time, 205.0)?;
    let verdict = match best.best_slot {
        Some(slot) => format!(
            "Best slot: {} {}",
            WEEKDAYS[slot.weekday as usize % 7],
            hour_span(slot.hour)
        ),
        None => "No recommendation yet".to_owned(),
    };
    flow.ensure(40.0);
    let (x, y) = (flow.left(), flow.y);
    flow.canvas()
        .text(x, y + 10.0, Align::Left, style(9.5, true, ACCENT), &verdict);
    flow.y += 16.0;
    flow.paragraph(&best.note, BODY);
    Ok(())
}

fn stories(flow: &mut Flow<'_>, report: &Report) -> Result<(), ReportError> {
    flow.heading("Stories", 150.0);
    let stories = &report.stories;
    if stories.stories.is_empty() {
        flow.paragraph("No stories went up in this period.", BODY);
        return Ok(());
    }
    let facts = Table {
        columns: vec![
            column("Stories", 1.6, Align::Left),
            column("", 1.0, Align::Right),
        ],
        rows: vec![
            vec!["Published".to_owned(), stories.stories.len().to_string()],
            vec!["Completion".to_owned(), percent(stories.completion)],
            vec!["Views with navigation".to_owned(), count(stories.views)],
            vec![
                "Median reach".to_owned(),
                count_or_dash(stories.median_reach),
            ],
            vec![
                "Missed (expired unread)".to_owned(),
                stories.missed.to_string(),
            ],
        ],
    };
    chart_beside_table(
        flow,
        &report.charts.story_navigation,
        0.55,
        112.0,
        "At a glance",
        &facts,
    )?;
    flow.paragraph(crate::Measure::StoryCompletion.definition(), SMALL);
    flow.gap(6.0);
    if stories.stories.len() <= STORY_ROWS {
        let rows: Vec<&StoryRow> = stories.stories.iter().collect();
        flow.table(&cells::stories(&rows).into());
        return Ok(());
    }
    // A month holds dozens of stories: show the ends of the range, all are in stories.csv.
    let mut ranked: Vec<&StoryRow> = stories
        .stories
        .iter()
        .filter(|s| s.completion.is_some())
        .collect();
    ranked.sort_by(|a, b| {
        b.completion
            .unwrap_or(0.0)
            .total_cmp(&a.completion.unwrap_or(0.0))
            .then(a.posted_local.cmp(&b.posted_local))
    });
    let half = STORY_ROWS / 2;
    let weakest_count = half.min(ranked.len().saturating_sub(half));
    let best = &ranked[..half.min(ranked.len())];
    let weakest = &ranked[ranked.len() - weakest_count..];
    for (title, rows) in [
        ("Kept viewers best", best),
        ("Lost viewers fastest", weakest),
    ] {
        if !rows.is_empty() {
            titled_table(flow, title, &cells::stories(rows).into());
        }
    }
    flow.paragraph(
        &format!(
            "All {} stories of the period, with their figures, are in the CSV export \
             (stories.csv).",
            stories.stories.len()
        ),
        SMALL,
    );
    Ok(())
}

/// How many stories the PDF lists before it shows only the best and weakest.
const STORY_ROWS: usize = 12;

fn growth(flow: &mut Flow<'_>, report: &Report) -> Result<(), ReportError> {
    let (Some(growth), Some(spec)) = (&report.growth, &report.charts.growth) else {
        return Ok(());
    };
    flow.heading("How your top post grew", 170.0);
    let post = &growth.post;
    flow.paragraph(
        &format!(
            "Your most-reached post of the period, a {} from {} (\u{201c}{}\u{201d}), against \
             the median of your other {} from the 180 days before it.",
            post.content_type.label().to_lowercase(),
            local_time(&post.posted_local),
            caption(post.caption.as_deref(), 60),
            growth.peers_label
        ),
        BODY,
    );
    flow.gap(4.0);
    let table = Table::from(cells::growth(&growth.points));
    chart_beside_table(flow, spec, 0.52, 118.0, "At each age", &table)?;
    Ok(())
}

fn audience(flow: &mut Flow<'_>, report: &Report, template: ReportTemplate) {
    flow.heading("Audience", 120.0);
    let demographics = &report.demographics;
    if let Some(reason) = &demographics.missing_reason {
        flow.paragraph(reason, BODY);
        return;
    }
    if let Some(first) = demographics.groups.first() {
        // The media kit is read by sponsors, not by the creator.
        let whose = match template {
            ReportTemplate::Brand => format!("@{}'s followers", report.account.username),
            ReportTemplate::Full | ReportTemplate::Summary => "Your followers".to_owned(),
        };
        flow.paragraph(
            &format!(
                "{whose} as Instagram last described them ({}). Shares are of the groups \
                 Instagram lists.",
                first.snapshot_day.format("%-d %B %Y")
            ),
            SMALL,
        );
        flow.gap(4.0);
    }
    let gap = 18.0;
    let half = (flow.width() - gap) / 2.0;
    for pair in demographics.groups.chunks(2) {
        let tables: Vec<Table> = pair
            .iter()
            .map(|group| cells::demographic(group).into())
            .collect();
        let height = tables
            .iter()
            .map(|t| t.height(flow.metrics, half))
            .fold(0.0, f32::max);
        flow.ensure(height);
        let (x, y) = (flow.left(), flow.y);
        let mut canvas = flow.canvas();
        for (i, table) in tables.iter().enumerate() {
            table.draw(&mut canvas, x + (half + gap) * i as f32, y, half);
        }
        flow.y += height + GAP;
    }
}

fn annotations(flow: &mut Flow<'_>, report: &Report) {
    flow.heading("Your notes", 40.0);
    if report.annotations.is_empty() {
        flow.paragraph("No notes in this period.", BODY);
        return;
    }
    for note in &report.annotations {
        let when = match note.ends_local {
            Some(end) => format!("{} – {}", local_time(&note.starts_local), local_time(&end)),
            None => local_time(&note.starts_local),
        };
        flow.paragraph(&format!("{when}: {}", note.text), BODY);
        flow.gap(2.0);
    }
}

fn appendix(flow: &mut Flow<'_>, report: &Report) {
    flow.heading("Why these numbers can differ from Instagram's app", 60.0);
    for item in &report.appendix {
        flow.subheading(&item.title, 20.0);
        flow.paragraph(&item.text, BODY);
        flow.gap(4.0);
    }
    flow.heading("Definitions", 60.0);
    for definition in &report.definitions {
        flow.ensure(30.0);
        let (x, y) = (flow.left(), flow.y);
        flow.canvas().text(
            x,
            y + 8.0,
            Align::Left,
            style(7.8, true, INK),
            &definition.label,
        );
        flow.y += 11.0;
        flow.paragraph(&definition.text, style(7.2, false, MUTED));
        flow.gap(3.0);
    }
}

/// The media kit's figures as cards, four to a row, without comparisons.
fn at_a_glance(flow: &mut Flow<'_>, report: &Report) {
    flow.heading("At a glance", 170.0);
    card_rows(flow, &template::media_kit_facts(report), 66.0, fact_card);
}

fn fact_card(canvas: &mut Canvas<'_>, fact: &Fact, x: f32, y: f32, w: f32, h: f32) {
    let inner = card_top(canvas, fact.label, fact.value.as_deref(), (x, y, w, h));
    let caption_style = style(6.4, false, MUTED);
    two_lines(
        canvas,
        &fact.caption,
        caption_style,
        (x + 10.0, y + 50.0),
        inner,
        7.8,
    );
}

fn about_the_figures(flow: &mut Flow<'_>, report: &Report) {
    flow.heading("About these figures", 60.0);
    flow.paragraph(&template::about_the_figures(report), BODY);
    for note in &report.notes {
        flow.gap(2.0);
        flow.paragraph(&format!("Note: {note}"), style(7.6, false, INK));
    }
}

fn footers(
    pages: &mut [Page],
    report: &Report,
    template: ReportTemplate,
    metrics: &Metrics,
    geometry: Geometry,
) {
    let total = pages.len();
    let y = geometry.height - geometry.margin_bottom + 26.0;
    let left = geometry.margin_x;
    let right = geometry.width - geometry.margin_x;
    let footer = style(7.0, false, MUTED);
    let label = match template {
        ReportTemplate::Full => format!(
            "Insightdesk · @{} · {}",
            report.account.username, report.period_title
        ),
        other => format!(
            "Insightdesk · {} · @{} · {}",
            other.label(),
            report.account.username,
            report.period_title
        ),
    };
    for (index, page) in pages.iter_mut().enumerate() {
        let mut canvas = Canvas {
            ops: &mut page.ops,
            metrics,
        };
        canvas.hline(left, right, y - 11.0, 0.5, RULE);
        let label = canvas.fit(&label, footer, (right - left) * 0.7);
        canvas.text(left, y, Align::Left, footer, &label);
        canvas.text(
            right,
            y,
            Align::Right,
            footer,
            &format!("Page {} of {total}", index + 1),
        );
    }
}
