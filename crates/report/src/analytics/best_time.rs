//! Best time to post ([`crate::Measure::BestTime`]): a weekday x hour grid in the user's time
//! zone, each slot with its sample size, and a recommendation only where the sample allows.

use chrono::{Datelike, NaiveDate, Timelike};
use chrono_tz::Tz;
use insightdesk_store::PostingTime;
use serde::Serialize;
use ts_rs::TS;

use super::{ContentType, engagement_rate, median};
use crate::format::{count, hour_span, percent};
use crate::period::day_span;

pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A slot with more posts than this (twice the minimum) and at least one rival gets
/// "moderate" rather than "low" confidence.
const MODERATE_FACTOR: u32 = 2;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct SlotStats {
    /// Posts with an engagement rate in the slot (the sample size).
    pub posts: u32,
    pub median_rate: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Slot {
    /// 0 = Monday.
    pub weekday: u32,
    /// 0 to 23, local time.
    pub hour: u32,
    pub stats: SlotStats,
}

impl Slot {
    pub fn label(&self) -> String {
        format!(
            "{} {}",
            WEEKDAYS[self.weekday as usize % 7],
            hour_span(self.hour)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// No slot has the minimum sample: no recommendation.
    NotEnoughData,
    /// A recommendation from a small sample or without rivals.
    Low,
    Moderate,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BestTime {
    pub window_first: NaiveDate,
    pub window_last: NaiveDate,
    pub min_posts: u32,
    /// `grid[weekday][hour]`, Monday first, local hours.
    pub grid: Vec<Vec<SlotStats>>,
    pub by_weekday: Vec<SlotStats>,
    pub by_hour: Vec<SlotStats>,
    /// Feed posts and reels in the window with an engagement rate.
    pub posts_considered: u32,
    /// Feed posts and reels in the window without one (no reach reading yet).
    pub posts_without_rate: u32,
    /// Slots with at least `min_posts` posts.
    pub slots_compared: u32,
    pub best_slot: Option<Slot>,
    pub best_weekday: Option<(u32, SlotStats)>,
    pub best_hour: Option<(u32, SlotStats)>,
    pub confidence: Confidence,
    /// The honest summary the report prints under the grid.
    pub note: String,
}

fn stats(rates: &mut [f64]) -> SlotStats {
    SlotStats {
        posts: rates.len() as u32,
        median_rate: median(rates),
    }
}

/// The entry with the highest median among those with at least `min` posts; ties go to more
/// posts, then to the earlier one.
fn best_of(entries: impl Iterator<Item = (u32, SlotStats)>, min: u32) -> Option<(u32, SlotStats)> {
    entries
        .filter(|(_, s)| s.posts >= min)
        .filter_map(|(i, s)| s.median_rate.map(|m| (i, s, m)))
        .fold(
            None,
            |best: Option<(u32, SlotStats, f64)>, (i, s, m)| match best {
                Some((_, b, bm)) if bm > m || (bm == m && b.posts >= s.posts) => best,
                _ => Some((i, s, m)),
            },
        )
        .map(|(i, s, _)| (i, s))
}

/// `times` are posts with their latest `reach` and `total_interactions`; only feed posts and
/// reels whose local posting day falls in `window_first..=window_last` are placed.
pub fn best_time(
    times: &[PostingTime],
    tz: Tz,
    window_first: NaiveDate,
    window_last: NaiveDate,
    min_posts: u32,
) -> BestTime {
    let mut cells: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); 24]; 7];
    let mut posts_without_rate = 0;
    for time in times {
        if !ContentType::of(&time.product_type, &time.media_type).is_post() {
            continue;
        }
        let local = time.posted_at.with_timezone(&tz);
        if local.date_naive() < window_first || local.date_naive() > window_last {
            continue;
        }
        let rate = engagement_rate(
            time.values.get("total_interactions").copied(),
            time.values.get("reach").copied(),
        );
        match rate {
            Some(rate) => cells[local.weekday().num_days_from_monday() as usize]
                [local.hour() as usize]
                .push(rate),
            None => posts_without_rate += 1,
        }
    }

    let mut by_weekday: Vec<Vec<f64>> = cells.iter().map(|hours| hours.concat()).collect();
    let mut by_hour: Vec<Vec<f64>> = (0..24)
        .map(|h| {
            cells
                .iter()
                .flat_map(|hours| hours[h].iter().copied())
                .collect()
        })
        .collect();
    let grid: Vec<Vec<SlotStats>> = cells
        .iter_mut()
        .map(|hours| hours.iter_mut().map(|r| stats(r)).collect())
        .collect();
    let by_weekday: Vec<SlotStats> = by_weekday.iter_mut().map(|r| stats(r)).collect();
    let by_hour: Vec<SlotStats> = by_hour.iter_mut().map(|r| stats(r)).collect();

    let slots = grid.iter().enumerate().flat_map(|(d, hours)| {
        hours
            .iter()
            .enumerate()
            .map(move |(h, s)| ((d * 24 + h) as u32, *s))
    });
    let slots_compared = grid
        .iter()
        .flatten()
        .filter(|s| s.posts >= min_posts)
        .count() as u32;
    let best_slot = best_of(slots, min_posts).map(|(index, stats)| Slot {
        weekday: index / 24,
        hour: index % 24,
        stats,
    });
    let best_weekday = best_of((0..).zip(by_weekday.iter().copied()), min_posts);
    let best_hour = best_of((0..).zip(by_hour.iter().copied()), min_posts);
    let posts_considered = by_weekday.iter().map(|s| s.posts).sum();

    let confidence = match best_slot {
        None => Confidence::NotEnoughData,
        Some(slot) if slot.stats.posts < MODERATE_FACTOR * min_posts || slots_compared < 2 => {
            Confidence::Low
        }
        Some(_) => Confidence::Moderate,
    };

    let mut best = BestTime {
        window_first,
        window_last,
        min_posts,
        grid,
        by_weekday,
        by_hour,
        posts_considered,
        posts_without_rate,
        slots_compared,
        best_slot,
        best_weekday,
        best_hour,
        confidence,
        note: String::new(),
    };
    best.note = note(&best);
    best
}

fn note(best: &BestTime) -> String {
    let span = day_span(best.window_first, best.window_last);
    let min = best.min_posts;
    if best.posts_considered == 0 {
        return format!(
            "No feed posts or reels with reach figures from {span}, so there is nothing to \
             compare yet."
        );
    }
    let sample = format!(
        "{} {} from {span} {} placed in the grid.",
        count(f64::from(best.posts_considered)),
        plural(best.posts_considered, "post", "posts"),
        if best.posts_considered == 1 {
            "was"
        } else {
            "were"
        }
    );
    match (best.best_slot, best.confidence) {
        (Some(slot), _) if best.slots_compared == 1 => format!(
            "{} is the only slot with at least {min} posts (median engagement rate {} over {} \
             posts), so there is nothing to compare it with yet. Low confidence. {sample}",
            slot.label(),
            percent(slot.stats.median_rate),
            slot.stats.posts
        ),
        (Some(slot), confidence) => {
            let verdict = if confidence == Confidence::Moderate {
                "Moderate confidence: the pattern held over many posts, but what you post \
                 matters more than when."
            } else {
                "Low confidence: the slot holds few posts; treat it as a hint and keep testing."
            };
            format!(
                "{} did best: median engagement rate {} over {} posts, against {} other {} \
                 with at least {min} posts. {verdict} {sample}",
                slot.label(),
                percent(slot.stats.median_rate),
                slot.stats.posts,
                best.slots_compared - 1,
                plural(best.slots_compared - 1, "slot", "slots"),
            )
        }
        (None, _) => {
            let busiest = best
                .grid
                .iter()
                .enumerate()
                .flat_map(|(d, hours)| {
                    hours.iter().enumerate().map(move |(h, s)| Slot {
                        weekday: d as u32,
                        hour: h as u32,
                        stats: *s,
                    })
                })
                .fold(None, |top: Option<Slot>, slot| match top {
                    Some(t) if t.stats.posts >= slot.stats.posts => top,
                    _ => Some(slot),
                });
            let mut text = format!(
                "Not enough posts to recommend a time yet: a slot needs at least {min} posts \
                 before it is compared, and the busiest one{} has {}. {sample}",
                busiest
                    .map(|s| format!(" ({})", s.label()))
                    .unwrap_or_default(),
                busiest.map_or(0, |s| s.stats.posts),
            );
            if let Some((day, stats)) = best.best_weekday {
                text.push_str(&format!(
                    " By weekday alone, {} leads (median {} over {} posts).",
                    WEEKDAYS[day as usize % 7],
                    percent(stats.median_rate),
                    stats.posts
                ));
            }
            if let Some((hour, stats)) = best.best_hour {
                text.push_str(&format!(
                    " By hour alone, {} leads (median {} over {} posts).",
                    hour_span(hour),
                    percent(stats.median_rate),
                    stats.posts
                ));
            }
            text
        }
    }
}

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
