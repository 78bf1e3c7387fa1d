//! The report as plain text: what the snapshot tests read. Same sections (those of the
//! template), same numbers as the PDF; where the PDF draws a chart, the text has its table.

use std::fmt::Write as _;

use crate::analytics::{Ranking, WEEKDAYS};
use crate::cells::{self, Align, Cells};
use crate::format::{self, caption, count, count_or_dash, hour_span, local_time, percent};
use crate::model::{DEMOGRAPHIC_ROWS, Report};
use crate::template::{self, ReportTemplate, Section};

/// A table laid out in monospace columns.
pub(crate) struct TextTable {
    pub headers: Vec<String>,
    pub aligns: Vec<Align>,
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn new(headers: &[(&str, Align)]) -> Self {
        Self {
            headers: headers.iter().map(|(h, _)| (*h).to_owned()).collect(),
            aligns: headers.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn from_cells(cells: Cells) -> Self {
        Self {
            headers: cells.headers.iter().map(|h| h.title.clone()).collect(),
            aligns: cells.headers.iter().map(|h| h.align).collect(),
            rows: cells.rows,
        }
    }

    fn render(&self, out: &mut String) {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|c| {
                std::iter::once(&self.headers[c])
                    .chain(self.rows.iter().filter_map(|r| r.get(c)))
                    .map(|t| t.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String], out: &mut String| {
            let mut text = String::new();
            for (c, width) in widths.iter().enumerate() {
                let cell = cells.get(c).map_or("", String::as_str);
                let pad = width.saturating_sub(cell.chars().count());
                if c > 0 {
                    text.push_str("  ");
                }
                match self.aligns.get(c) {
                    Some(Align::Right) => {
                        text.push_str(&" ".repeat(pad));
                        text.push_str(cell);
                    }
                    _ => {
                        text.push_str(cell);
                        text.push_str(&" ".repeat(pad));
                    }
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&self.headers, out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, out);
        for row in &self.rows {
            line(row, out);
        }
    }
}

fn heading(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "\n{}\n{}\n",
        title.to_uppercase(),
        "=".repeat(title.chars().count())
    );
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str(&wrap(text, 96));
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The report as text, with the sections of `template`.
pub fn render_text(report: &Report, template: ReportTemplate) -> String {
    let mut out = String::new();
    title(&mut out, report, template);
    for section in template.sections() {
        match section {
            Section::KeyNumbers => key_numbers(&mut out, report),
            Section::FollowersAndReach | Section::FollowersAndReachSideBySide => {
                followers_and_days(&mut out, report);
            }
            Section::Published => published(&mut out, report),
            Section::TopFive => {
                heading(&mut out, "Top 5 posts");
                top_list(&mut out, report, Ranking::EngagementRate);
            }
            Section::BestTime => best_time(&mut out, report),
            Section::Stories => stories(&mut out, report),
            Section::Growth => growth(&mut out, report),
            Section::Audience => audience(&mut out, report),
            Section::Notes => annotations(&mut out, report),
            Section::Appendix => appendix(&mut out, report),
            Section::AtAGlance => at_a_glance(&mut out, report),
            Section::BestPosts => {
                heading(&mut out, "Best posts");
                top_list(&mut out, report, Ranking::Reach);
            }
            Section::ContentByFormat => {
                heading(&mut out, "Content by format");
                TextTable::from_cells(cells::content_mix(&report.content_mix)).render(&mut out);
            }
            Section::AboutTheFigures => {
                heading(&mut out, "About these figures");
                paragraph(&mut out, &template::about_the_figures(report));
                notes(&mut out, report);
            }
        }
    }
    out
}

fn title(out: &mut String, report: &Report, template: ReportTemplate) {
    let who = match &report.account.name {
        Some(name) => format!("@{} ({name})", report.account.username),
        None => format!("@{}", report.account.username),
    };
    let _ = writeln!(out, "{}: {who}", template.kicker());
    let _ = writeln!(out, "{}", report.period_title);
    let generated = report
        .generated_at
        .with_timezone(&report.tz)
        .format("%-d %B %Y, %H:%M %Z");
    match template {
        ReportTemplate::Brand => {
            let _ = writeln!(out, "Time zone: {}", report.time_zone);
            let _ = writeln!(out, "Figures as of: {generated}");
        }
        ReportTemplate::Full | ReportTemplate::Summary => {
            let _ = writeln!(out, "Compared with: {}", report.previous_title);
            let _ = writeln!(out, "Time zone: {}", report.time_zone);
            let _ = writeln!(out, "Generated: {generated}");
            notes(out, report);
        }
    }
}

fn notes(out: &mut String, report: &Report) {
    for note in &report.notes {
        out.push_str("\nNote: ");
        out.push_str(&wrap(note, 90));
    }
}

fn key_numbers(out: &mut String, report: &Report) {
    heading(out, "Key numbers");
    let mut table = TextTable::new(&[
        ("", Align::Left),
        ("This period", Align::Right),
        ("Previous", Align::Right),
        ("Change", Align::Right),
        ("", Align::Left),
    ]);
    for kpi in &report.kpis {
        table.row(vec![
            kpi.label.clone(),
            format::kpi_value(kpi),
            format::kpi_previous(kpi),
            format::change(kpi.unit, &kpi.delta).unwrap_or_else(|| "—".to_owned()),
            kpi.note.clone().unwrap_or_default(),
        ]);
    }
    table.render(out);
}

fn followers_and_days(out: &mut String, report: &Report) {
    heading(out, "Followers and daily figures");
    let followers = &report.followers;
    let _ = writeln!(
        out,
        "Followers: {} at the start, {} at the end ({} snapshots in the period); new followers: {} over {} days.",
        followers
            .baseline
            .map_or_else(|| "—".to_owned(), |(_, c)| count(c as f64)),
        followers
            .end
            .map_or_else(|| "—".to_owned(), |(_, c)| count(c as f64)),
        followers.snapshot_days,
        count_or_dash(followers.new_followers),
        followers.new_follower_days,
    );
    let mut table = TextTable::new(&[
        ("Day", Align::Left),
        ("Followers", Align::Right),
        ("New", Align::Right),
        ("Reach", Align::Right),
        ("Views", Align::Right),
        ("Interactions", Align::Right),
    ]);
    for day in &report.daily {
        table.row(vec![
            day.day.format("%a %Y-%m-%d").to_string(),
            count_or_dash(day.followers.map(|f| f as f64)),
            count_or_dash(day.new_followers),
            count_or_dash(day.reach),
            count_or_dash(day.views),
            count_or_dash(day.total_interactions),
        ]);
    }
    table.render(out);
    out.push_str("Daily reach is shown day by day; days are never added up.\n");
}

fn published(out: &mut String, report: &Report) {
    heading(out, "Content mix");
    TextTable::from_cells(cells::content_mix(&report.content_mix)).render(out);

    heading(out, "Top posts");
    if report.feed_posts().next().is_none() {
        out.push_str("No feed posts or reels went up in this period.\n");
    }
    for list in report.top_posts.iter().filter(|l| !l.posts.is_empty()) {
        let _ = writeln!(out, "\n{}", list.label);
        TextTable::from_cells(cells::top_posts(&list.posts, 40)).render(out);
    }
}

/// One top list under its label, for the templates that show a single one.
fn top_list(out: &mut String, report: &Report, ranking: Ranking) {
    match template::top_list(report, ranking).filter(|l| !l.posts.is_empty()) {
        Some(list) => {
            let _ = writeln!(out, "\n{}", list.label);
            TextTable::from_cells(cells::top_posts(&list.posts, 40)).render(out);
        }
        None => out.push_str("No feed posts or reels went up in this period.\n"),
    }
}

fn best_time(out: &mut String, report: &Report) {
    heading(out, "Best time to post");
    let best = &report.best_time;
    let _ = writeln!(
        out,
        "Posts from {} to {}, placed in {}.",
        best.window_first, best.window_last, report.time_zone
    );
    let mut table = TextTable::new(&[
        ("Slot", Align::Left),
        ("Posts", Align::Right),
        ("Median ER", Align::Right),
        ("", Align::Left),
    ]);
    for (day, hours) in best.grid.iter().enumerate() {
        for (hour, slot) in hours.iter().enumerate().filter(|(_, s)| s.posts > 0) {
            table.row(vec![
                format!("{} {}", WEEKDAYS[day], hour_span(hour as u32)),
                slot.posts.to_string(),
                percent(slot.median_rate),
                if slot.posts < best.min_posts {
                    "too few to compare".to_owned()
                } else {
                    String::new()
                },
            ]);
        }
    }
    if !table.rows.is_empty() {
        table.render(out);
    }
    paragraph(out, &best.note);
}

fn stories(out: &mut String, report: &Report) {
    heading(out, "Stories");
    let stories = &report.stories;
    if stories.stories.is_empty() {
        out.push_str("No stories went up in this period.\n");
    } else {
        let _ = writeln!(
            out,
            "{} stories; completion {} over {} views; median reach {}.",
            stories.stories.len(),
            percent(stories.completion),
            count(stories.views),
            count_or_dash(stories.median_reach)
        );
        let rows: Vec<_> = stories.stories.iter().collect();
        TextTable::from_cells(cells::stories(&rows)).render(out);
    }
}

fn growth(out: &mut String, report: &Report) {
    heading(out, "Growth against the median");
    match &report.growth {
        None => out.push_str("No feed post or reel of this period has reach readings yet.\n"),
        Some(growth) => {
            let post = &growth.post;
            let _ = writeln!(
                out,
                "Top post by reach: {} {}, \"{}\"; compared with the median of your other {}.",
                post.content_type.label().to_lowercase(),
                local_time(&post.posted_local),
                caption(post.caption.as_deref(), 40),
                growth.peers_label
            );
            TextTable::from_cells(cells::growth(&growth.points)).render(out);
        }
    }
}

fn audience(out: &mut String, report: &Report) {
    heading(out, "Audience");
    if let Some(reason) = &report.demographics.missing_reason {
        paragraph(out, reason);
    }
    for group in &report.demographics.groups {
        let _ = writeln!(
            out,
            "\n{} (as of {}, top {} of {})",
            group.title,
            group.snapshot_day,
            group.buckets.len().min(DEMOGRAPHIC_ROWS),
            group.buckets.len()
        );
        TextTable::from_cells(cells::demographic(group)).render(out);
    }
}

fn annotations(out: &mut String, report: &Report) {
    heading(out, "Your notes");
    if report.annotations.is_empty() {
        out.push_str("No notes in this period.\n");
    }
    for note in &report.annotations {
        let when = match note.ends_local {
            Some(end) => format!("{} – {}", local_time(&note.starts_local), local_time(&end)),
            None => local_time(&note.starts_local),
        };
        let _ = writeln!(out, "- {when}: {}", note.text);
    }
}

fn appendix(out: &mut String, report: &Report) {
    heading(out, "Why these numbers can differ from Instagram's app");
    for item in &report.appendix {
        let _ = writeln!(out, "\n{}", item.title);
        paragraph(out, &item.text);
    }

    heading(out, "Definitions");
    for definition in &report.definitions {
        let _ = writeln!(out, "\n{}", definition.label);
        paragraph(out, &definition.text);
    }
}

/// The media kit's figures, one a line.
fn at_a_glance(out: &mut String, report: &Report) {
    heading(out, "At a glance");
    let mut table = TextTable::new(&[
        ("Figure", Align::Left),
        ("Value", Align::Right),
        ("", Align::Left),
    ]);
    for fact in template::media_kit_facts(report) {
        table.row(vec![
            fact.label.to_owned(),
            fact.value.unwrap_or_else(|| "Not available".to_owned()),
            fact.caption,
        ]);
    }
    table.render(out);
}
