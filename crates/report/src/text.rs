//! The report as plain text: what a terminal (`insightdesk report --format text`) and the
//! snapshot tests read. Same sections, same numbers as the PDF.

use std::fmt::Write as _;

use crate::analytics::WEEKDAYS;
use crate::cells::{self, Align, Cells};
use crate::format::{self, caption, count, count_or_dash, hour_span, local_time, percent};
use crate::model::{DEMOGRAPHIC_ROWS, Report};

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

/// The whole report as text.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let tz = report.tz;
    let who = match &report.account.name {
        Some(name) => format!("@{} ({name})", report.account.username),
        None => format!("@{}", report.account.username),
    };
    let _ = writeln!(out, "INSTAGRAM REPORT: {who}");
    let _ = writeln!(out, "{}", report.period_title);
    let _ = writeln!(out, "Compared with: {}", report.previous_title);
    let _ = writeln!(out, "Time zone: {}", report.time_zone);
    let _ = writeln!(
        out,
        "Generated: {}",
        report
            .generated_at
            .with_timezone(&tz)
            .format("%-d %B %Y, %H:%M %Z")
    );
    for note in &report.notes {
        out.push_str("\nNote: ");
        out.push_str(&wrap(note, 90));
    }

    heading(&mut out, "Key numbers");
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
    table.render(&mut out);

    heading(&mut out, "Followers and daily figures");
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
    table.render(&mut out);
    out.push_str("Daily reach is shown day by day; days are never added up.\n");

    heading(&mut out, "Content mix");
    TextTable::from_cells(cells::content_mix(&report.content_mix)).render(&mut out);

    heading(&mut out, "Top posts");
    if report.feed_posts().next().is_none() {
        out.push_str("No feed posts or reels went up in this period.\n");
    }
    for list in report.top_posts.iter().filter(|l| !l.posts.is_empty()) {
        let _ = writeln!(out, "\n{}", list.label);
        TextTable::from_cells(cells::top_posts(&list.posts, 40)).render(&mut out);
    }

    heading(&mut out, "Best time to post");
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
        table.render(&mut out);
    }
    paragraph(&mut out, &best.note);

    heading(&mut out, "Stories");
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
        TextTable::from_cells(cells::stories(&rows)).render(&mut out);
    }

    heading(&mut out, "Growth against the median");
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
            TextTable::from_cells(cells::growth(&growth.points)).render(&mut out);
        }
    }

    heading(&mut out, "Audience");
    if let Some(reason) = &report.demographics.missing_reason {
        paragraph(&mut out, reason);
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
        TextTable::from_cells(cells::demographic(group)).render(&mut out);
    }

    heading(&mut out, "Your notes");
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

    heading(
        &mut out,
        "Why these numbers can differ from Instagram's app",
    );
    for item in &report.appendix {
        let _ = writeln!(out, "\n{}", item.title);
        paragraph(&mut out, &item.text);
    }

    heading(&mut out, "Definitions");
    for definition in &report.definitions {
        let _ = writeln!(out, "\n{}", definition.label);
        paragraph(&mut out, &definition.text);
    }
    out
}
