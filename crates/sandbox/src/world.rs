//! The synthetic creators, generated procedurally per day from (seed, day).
//!
//! Each account's start date is fixed per seed, not relative to the start-up "now", so the same
//! seed gives the same media ids and timestamps whatever "now" is. "Now" only decides what is
//! visible (media posted by then, stories of the last 24 hours, days past the reporting lag) and
//! how far each media's metrics have grown (a saturating curve of its age).

use crate::prng::{Stream, mix, unit};
use crate::time::{pacific_date, pacific_hour, pacific_midnight, pacific_weekday};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// Pacific days of history an account keeps before the demo's reference date (2026-11-26).
const DEMO_HISTORY_DAYS: i64 = 730;
/// How far past "now" the generated world reaches before it is extended.
pub(crate) const HORIZON_DAYS: i64 = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum MediaType {
    Image,
    Video,
    CarouselAlbum,
}

impl MediaType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MediaType::Image => "IMAGE",
            MediaType::Video => "VIDEO",
            MediaType::CarouselAlbum => "CAROUSEL_ALBUM",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Product {
    Feed,
    Reels,
    Story,
}

impl Product {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Product::Feed => "FEED",
            Product::Reels => "REELS",
            Product::Story => "STORY",
        }
    }
}

/// The buckets of the user-level `media_product_type` breakdown.
pub(crate) const PRODUCT_BUCKETS: [&str; 4] = ["POST", "CAROUSEL_CONTAINER", "REEL", "STORY"];

/// Final (saturated) values of a media's metrics; what it reaches after a long time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Finals {
    pub(crate) reach: f64,
    pub(crate) views: f64,
    pub(crate) likes: f64,
    pub(crate) comments: f64,
    pub(crate) saved: f64,
    pub(crate) shares: f64,
    pub(crate) reposts: f64,
    pub(crate) follows: f64,
    pub(crate) profile_visits: f64,
    pub(crate) replies: f64,
    /// BIO_LINK_CLICKED, CALL, DIRECTION, EMAIL, OTHER, TEXT.
    pub(crate) profile_actions: [f64; 6],
    /// TAP_FORWARD, TAP_BACK, TAP_EXIT, SWIPE_FORWARD.
    pub(crate) navigation: [f64; 4],
    pub(crate) avg_watch_ms: f64,
    pub(crate) skip_rate: f64,
    pub(crate) facebook_views: f64,
}

pub(crate) const PROFILE_ACTIONS: [&str; 6] = [
    "BIO_LINK_CLICKED",
    "CALL",
    "DIRECTION",
    "EMAIL",
    "OTHER",
    "TEXT",
];
pub(crate) const NAVIGATION_ACTIONS: [&str; 4] =
    ["TAP_FORWARD", "TAP_BACK", "TAP_EXIT", "SWIPE_FORWARD"];

#[derive(Debug, Clone)]
pub(crate) struct Child {
    pub(crate) id: String,
    pub(crate) media_type: MediaType,
    pub(crate) shortcode: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Media {
    pub(crate) id: String,
    pub(crate) owner: usize,
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) media_type: MediaType,
    pub(crate) product: Product,
    pub(crate) caption: Option<String>,
    pub(crate) shortcode: String,
    pub(crate) children: Vec<Child>,
    pub(crate) finals: Finals,
    pub(crate) before_conversion: bool,
    pub(crate) few_viewers: bool,
    pub(crate) crossposted: bool,
    pub(crate) has_media_url: bool,
    pub(crate) viral: bool,
}

/// A metric of one media at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaMetric {
    Reach,
    Views,
    Likes,
    Comments,
    Saved,
    Shares,
    Reposts,
    Follows,
    ProfileVisits,
    Replies,
    ProfileAction(usize),
    Navigation(usize),
    FacebookViews,
}

impl Media {
    /// The share of its final value a metric has reached at this age (0..1, non-decreasing).
    pub(crate) fn growth(&self, now: DateTime<Utc>) -> f64 {
        let hours = (now - self.timestamp).num_seconds() as f64 / 3600.0;
        growth_curve(self.product, hours)
    }

    pub(crate) fn value(&self, metric: MediaMetric, now: DateTime<Utc>) -> u64 {
        let f = &self.finals;
        let total = match metric {
            MediaMetric::Reach => f.reach,
            MediaMetric::Views => f.views,
            MediaMetric::Likes => f.likes,
            MediaMetric::Comments => f.comments,
            MediaMetric::Saved => f.saved,
            MediaMetric::Shares => f.shares,
            MediaMetric::Reposts => f.reposts,
            MediaMetric::Follows => f.follows,
            MediaMetric::ProfileVisits => f.profile_visits,
            MediaMetric::Replies => f.replies,
            MediaMetric::ProfileAction(i) => f.profile_actions.get(i).copied().unwrap_or(0.0),
            MediaMetric::Navigation(i) => f.navigation.get(i).copied().unwrap_or(0.0),
            MediaMetric::FacebookViews => f.facebook_views,
        };
        (total * self.growth(now)).floor().max(0.0) as u64
    }

    /// likes + comments + saved + shares + reposts (stories: replies + shares + reposts).
    pub(crate) fn total_interactions(&self, now: DateTime<Utc>) -> u64 {
        let shared = self.value(MediaMetric::Shares, now) + self.value(MediaMetric::Reposts, now);
        if self.product == Product::Story {
            shared + self.value(MediaMetric::Replies, now)
        } else {
            shared
                + self.value(MediaMetric::Likes, now)
                + self.value(MediaMetric::Comments, now)
                + self.value(MediaMetric::Saved, now)
        }
    }

    pub(crate) fn profile_activity(&self, now: DateTime<Utc>) -> u64 {
        (0..PROFILE_ACTIONS.len())
            .map(|i| self.value(MediaMetric::ProfileAction(i), now))
            .sum()
    }

    pub(crate) fn navigation_total(&self, now: DateTime<Utc>) -> u64 {
        (0..NAVIGATION_ACTIONS.len())
            .map(|i| self.value(MediaMetric::Navigation(i), now))
            .sum()
    }

    /// The user-level `media_product_type` bucket this media counts in.
    pub(crate) fn bucket(&self) -> usize {
        match (self.product, self.media_type) {
            (Product::Story, _) => 3,
            (Product::Reels, _) => 2,
            (_, MediaType::CarouselAlbum) => 1,
            _ => 0,
        }
    }
}

/// Saturating growth: most of a post's reach comes in its first days, a long tail after.
/// Stories grow over their 24 hours.
pub(crate) fn growth_curve(product: Product, hours: f64) -> f64 {
    if hours <= 0.0 {
        return 0.0;
    }
    match product {
        Product::Story => 1.0 - (-hours / 5.0).exp(),
        _ => 0.9 * (1.0 - (-hours / 20.0).exp()) + 0.1 * (1.0 - (-hours / 1080.0).exp()),
    }
}

/// Per media product bucket, what an account's content did in one Pacific day.
#[derive(Debug, Clone, Default)]
pub(crate) struct BucketDay {
    pub(crate) views: u64,
    pub(crate) reach: u64,
    pub(crate) likes: u64,
    pub(crate) comments: u64,
    pub(crate) saves: u64,
    pub(crate) shares: u64,
    pub(crate) reposts: u64,
    pub(crate) replies: u64,
}

impl BucketDay {
    pub(crate) fn interactions(&self) -> u64 {
        self.likes + self.comments + self.saves + self.shares + self.reposts + self.replies
    }
}

/// One Pacific day of account-level numbers.
#[derive(Debug, Clone, Default)]
pub(crate) struct DayStats {
    pub(crate) date: NaiveDate,
    pub(crate) buckets: [BucketDay; 4],
    pub(crate) follows: i64,
    pub(crate) unfollows: i64,
    pub(crate) followers_end: i64,
    pub(crate) profile_views: u64,
    pub(crate) website_clicks: u64,
    /// BOOK_NOW, CALL, DIRECTION, EMAIL, INSTANT_EXPERIENCE, TEXT, UNDEFINED.
    pub(crate) contact_taps: [u64; 7],
    pub(crate) accounts_engaged: u64,
    pub(crate) online: [u64; 24],
    /// Share of reach and views from followers (the rest: non-followers).
    pub(crate) follower_share: f64,
}

pub(crate) const CONTACT_BUTTONS: [&str; 7] = [
    "BOOK_NOW",
    "CALL",
    "DIRECTION",
    "EMAIL",
    "INSTANT_EXPERIENCE",
    "TEXT",
    "UNDEFINED",
];

impl DayStats {
    pub(crate) fn net(&self) -> i64 {
        self.follows - self.unfollows
    }
    pub(crate) fn views(&self) -> u64 {
        self.buckets.iter().map(|b| b.views).sum()
    }
    pub(crate) fn reach(&self) -> u64 {
        self.buckets.iter().map(|b| b.reach).sum()
    }
}

/// Someone else's post in which the creator is tagged or @mentioned.
#[derive(Debug, Clone)]
pub(crate) struct ForeignMedia {
    pub(crate) id: String,
    pub(crate) username: String,
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) media_type: MediaType,
    pub(crate) caption: String,
    pub(crate) shortcode: String,
    pub(crate) like_count: u64,
    pub(crate) comments_count: u64,
}

/// A comment under someone else's post that @mentions the creator: what a `mentions` webhook's
/// `comment_id` names and `mentioned_comment.comment_id(…)` reads back.
#[derive(Debug, Clone)]
pub(crate) struct MentioningComment {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) like_count: u64,
    /// The post the comment is under; it belongs to another account, so only its id and
    /// product type are known.
    pub(crate) media_id: String,
    pub(crate) media_product: Product,
}

/// Audience shares used for demographics: (label, weight).
#[derive(Debug, Clone, Default)]
pub(crate) struct Audience {
    pub(crate) ages: Vec<(String, f64)>,
    pub(crate) genders: Vec<(String, f64)>,
    pub(crate) countries: Vec<(String, f64)>,
    pub(crate) cities: Vec<(String, f64)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) index: usize,
    pub(crate) ig_user_id: String,
    /// The app-scoped id Instagram Login's `/me` answers with as `id`.
    pub(crate) app_scoped_id: String,
    pub(crate) legacy_id: String,
    pub(crate) username: String,
    pub(crate) name: String,
    pub(crate) biography: String,
    pub(crate) website: String,
    pub(crate) follows_count: i64,
    pub(crate) conversion: DateTime<Utc>,
    pub(crate) base_followers: i64,
    /// Feed posts and reels, oldest first.
    pub(crate) media: Vec<Media>,
    /// Stories, oldest first.
    pub(crate) stories: Vec<Media>,
    pub(crate) first_day: NaiveDate,
    pub(crate) days: Vec<DayStats>,
    pub(crate) tagged: Vec<ForeignMedia>,
    /// Oldest first.
    pub(crate) mentioning_comments: Vec<MentioningComment>,
    pub(crate) audience: Audience,
}

impl Account {
    pub(crate) fn day_index(&self, date: NaiveDate) -> Option<usize> {
        let offset = (date - self.first_day).num_days();
        if offset < 0 {
            None
        } else {
            usize::try_from(offset)
                .ok()
                .filter(|i| *i < self.days.len())
        }
    }

    /// Followers at an instant: the start value plus every day's net change, pro rata today.
    pub(crate) fn followers_at(&self, at: DateTime<Utc>) -> i64 {
        let date = pacific_date(at);
        let Some(index) = self.day_index(date) else {
            return if date < self.first_day {
                self.base_followers
            } else {
                self.days
                    .last()
                    .map(|d| d.followers_end)
                    .unwrap_or(self.base_followers)
            };
        };
        let day = &self.days[index];
        let before = day.followers_end - day.net();
        let start = pacific_midnight(date);
        let fraction = ((at - start).num_seconds() as f64 / 86_400.0).clamp(0.0, 1.0);
        before + (day.net() as f64 * fraction).trunc() as i64
    }

    pub(crate) fn visible_media(&self, now: DateTime<Utc>) -> &[Media] {
        let end = self.media.partition_point(|m| m.timestamp <= now);
        &self.media[..end]
    }

    /// When a day's numbers are reported: 24 to 48 hours after it ends, deterministic per day.
    pub(crate) fn day_available_at(&self, seed: u64, date: NaiveDate) -> DateTime<Utc> {
        let lag_hours = 24 + (mix(&[seed, 0x1A6, date.num_days_from_ce_u64()]) % 25) as i64;
        pacific_midnight(date + Duration::days(1)) + Duration::hours(lag_hours)
    }

    /// Views in the last 24 hours: the "impressions" of Meta's BUC formula.
    pub(crate) fn impressions_24h(&self, now: DateTime<Utc>) -> u64 {
        let today = pacific_date(now);
        self.day_index(today - Duration::days(1))
            .map(|i| self.days[i].views())
            .unwrap_or(0)
    }
}

trait DaysFromCe {
    fn num_days_from_ce_u64(&self) -> u64;
}

impl DaysFromCe for NaiveDate {
    fn num_days_from_ce_u64(&self) -> u64 {
        use chrono::Datelike;
        u64::try_from(self.num_days_from_ce()).unwrap_or(0)
    }
}

/// What a generated account is like.
#[derive(Debug, Clone)]
struct Persona {
    username: &'static str,
    name: &'static str,
    biography: &'static str,
    website: &'static str,
    history_days: i64,
    base_followers: i64,
    /// Mean feed posts per day.
    post_rate: f64,
    /// Stories per day besides the daily close-friends one.
    story_rate: f64,
    small: bool,
}

const DEMO: Persona = Persona {
    username: "maya.bakes.bread",
    name: "Maya Okafor | Sourdough & Slow Food",
    biography: "Sourdough, seasonal bakes and the occasional disaster. New recipes every week.",
    website: "https://maya-bakes.example.com/",
    history_days: DEMO_HISTORY_DAYS,
    base_followers: 1_150,
    post_rate: 0.80,
    story_rate: 1.6,
    small: false,
};

const SMALL: Persona = Persona {
    username: "tiny.pottery.studio",
    name: "Tiny Pottery Studio",
    biography: "Hand-thrown mugs from a garage in Leeds.",
    website: "",
    history_days: 560,
    base_followers: 38,
    post_rate: 0.16,
    story_rate: 0.3,
    small: true,
};

/// The reference day from which history is counted back (so ~2 years exist on it).
fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

/// Builds a 17-digit id of Meta's shape: a fixed prefix, a seed tag, the account and an ordinal.
pub(crate) fn make_id(prefix: u64, seed: u64, account: usize, ordinal: u64) -> String {
    let prefix = prefix.to_string();
    let ordinal_digits = 17usize.saturating_sub(prefix.len() + 4).max(1);
    let modulus = 10u64.saturating_pow(u32::try_from(ordinal_digits).unwrap_or(1));
    format!(
        "{prefix}{:03}{}{:0width$}",
        seed % 1000,
        account % 10,
        ordinal % modulus,
        width = ordinal_digits
    )
}

fn shortcode(hash: u64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut state = hash;
    (0..11)
        .map(|_| {
            state = crate::prng::splitmix64(state);
            char::from(ALPHABET[(state % 64) as usize])
        })
        .collect()
}

/// How a caption opens, before the bake it names (sometimes it names the bake straight away).
const CAPTION_OPENERS: [&str; 14] = [
    "Sunday bake",
    "5am bake",
    "Market batch",
    "Test kitchen",
    "Bake of the week",
    "Back in the oven",
    "New on the blog",
    "Trying something new",
    "Fresh out of the oven",
    "Slow morning",
    "Weekend project",
    "Reader request",
    "Family recipe",
    "Seasonal special",
];

/// What came out of the oven.
const CAPTION_BAKES: [&str; 18] = [
    "rye and caraway loaf",
    "pumpkin and sage sourdough",
    "cinnamon knots",
    "seeded spelt batard",
    "rosemary focaccia",
    "olive and thyme fougasse",
    "brioche buns",
    "wholewheat sandwich loaf",
    "walnut and raisin boule",
    "cardamom buns",
    "sourdough bagels",
    "country loaf",
    "black garlic ciabatta",
    "cheddar and jalapeño rolls",
    "honey oat loaf",
    "chocolate babka",
    "sesame milk bread",
    "buckwheat crackers",
];

/// Something particular about a bake, without numbers.
const CAPTION_DETAILS: [&str; 10] = [
    "straight from grandma's notebook",
    "with flour from the mill down the road",
    "crumb shot at the end",
    "the starter finally behaved",
    "shaped twice, no regrets",
    "a disaster saved at the last minute",
    "scored with a brand new lame",
    "baked in a borrowed Dutch oven",
    "the whole kitchen smells of it",
    "the kids ate half before the photo",
];

const CALLS_TO_ACTION: [&str; 10] = [
    "Recipe on the blog (link in bio).",
    "How did the crumb turn out?",
    "Save this for your weekend bake.",
    "Tag someone who needs this loaf.",
    "Questions welcome below.",
    "Would you try this one?",
    "Come say hi at the market on Saturday.",
    "Full method in my stories.",
    "Which one would you bake first?",
    "Tell me your favourite flour below.",
];

const HASHTAGS: [&str; 14] = [
    "#sourdough",
    "#bread",
    "#realbread",
    "#bakingfromscratch",
    "#crumbshot",
    "#slowfood",
    "#homebaker",
    "#wildyeast",
    "#levain",
    "#breadmaking",
    "#naturallyleavened",
    "#seasonalbaking",
    "#bakersofinstagram",
    "#ovenspring",
];

fn pick<'a>(stream: &mut Stream, choices: &[&'a str]) -> &'a str {
    choices[stream.below(choices.len() as u64) as usize]
}

/// Something particular about a bake; most carry a number, so first lines rarely repeat.
fn caption_detail(stream: &mut Stream) -> String {
    match stream.below(4) {
        0 => format!(
            "{}% hydration and a {}-hour cold proof",
            65 + stream.below(21),
            [12, 16, 18, 24, 36, 48, 72][stream.below(7) as usize]
        ),
        1 => format!(
            "{} minutes at {}°C",
            30 + stream.below(26),
            220 + 10 * stream.below(5)
        ),
        2 => format!("attempt number {} at a proper ear", 2 + stream.below(14)),
        _ => pick(stream, &CAPTION_DETAILS).to_string(),
    }
}

/// A caption composed from its key: a first line naming the bake and something particular
/// about it (the line the content table shows), then, as creators write them, usually a call
/// to action and a few hashtags on lines of their own.
fn caption(key: u64) -> String {
    let mut stream = Stream::new(&[key, 0xCA9]);
    let bake = pick(&mut stream, &CAPTION_BAKES);
    let detail = caption_detail(&mut stream);
    let mut text = if stream.next_f64() < 0.7 {
        let opener = pick(&mut stream, &CAPTION_OPENERS);
        format!("{opener}: {bake}, {detail}.")
    } else {
        let mut letters = bake.chars();
        let first = letters.next().map(|c| c.to_ascii_uppercase());
        format!("{}{}, {detail}.", first.unwrap_or(' '), letters.as_str())
    };
    if stream.next_f64() < 0.15 {
        return text;
    }
    text.push_str("\n\n");
    text.push_str(pick(&mut stream, &CALLS_TO_ACTION));
    let mut tags: Vec<&str> = Vec::new();
    let wanted = 2 + stream.below(3) as usize;
    while tags.len() < wanted {
        let tag = pick(&mut stream, &HASHTAGS);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    text.push_str("\n\n");
    text.push_str(&tags.join(" "));
    text
}

/// Pacific-hour effect on engagement: evenings win, early mornings lose. A best time exists.
fn hour_factor(hour: usize) -> f64 {
    const FACTORS: [f64; 24] = [
        0.55, 0.5, 0.45, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.15, 1.1, 1.0, 1.0, 1.05,
        1.2, 1.45, 1.6, 1.5, 1.25, 0.95, 0.7,
    ];
    FACTORS[hour % 24]
}

/// Weekday effect (Monday first): Thursday and Sunday are the account's strong days.
fn weekday_factor(weekday: usize) -> f64 {
    const FACTORS: [f64; 7] = [0.9, 0.95, 1.0, 1.2, 1.0, 0.85, 1.15];
    FACTORS[weekday % 7]
}

/// When in the day this creator posts (Pacific hours).
const POSTING_HOURS: [f64; 24] = [
    0.1, 0.05, 0.0, 0.0, 0.0, 0.2, 0.6, 1.0, 1.2, 1.0, 0.9, 1.1, 1.3, 1.0, 0.8, 0.8, 0.9, 1.1, 1.3,
    1.3, 1.1, 0.8, 0.5, 0.2,
];

/// The generated platform: the demo creator, the small account, and who can see them.
#[derive(Debug, Clone)]
pub(crate) struct World {
    pub(crate) horizon: NaiveDate,
    pub(crate) accounts: Vec<Account>,
    media_index: HashMap<String, (usize, MediaSlot)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaSlot {
    Feed(usize),
    Story(usize),
    Child(usize, usize),
    Tagged(usize),
}

/// A resolved media id.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MediaRef<'a> {
    Own(&'a Media),
    Child(&'a Media, &'a Child),
    /// Someone else's post: known, but not readable by id.
    Tagged,
}

impl World {
    /// Generates every account up to `until` plus the horizon.
    pub(crate) fn generate(seed: u64, until: DateTime<Utc>) -> World {
        let horizon = pacific_date(until).max(reference_date()) + Duration::days(HORIZON_DAYS);
        let accounts = vec![
            generate_account(seed, 0, &DEMO, horizon),
            generate_account(seed, 1, &SMALL, horizon),
        ];
        let mut media_index = HashMap::new();
        for account in &accounts {
            for (i, media) in account.media.iter().enumerate() {
                media_index.insert(media.id.clone(), (account.index, MediaSlot::Feed(i)));
                for (c, child) in media.children.iter().enumerate() {
                    media_index.insert(child.id.clone(), (account.index, MediaSlot::Child(i, c)));
                }
            }
            for (i, story) in account.stories.iter().enumerate() {
                media_index.insert(story.id.clone(), (account.index, MediaSlot::Story(i)));
            }
            for (i, tagged) in account.tagged.iter().enumerate() {
                media_index.insert(tagged.id.clone(), (account.index, MediaSlot::Tagged(i)));
            }
        }
        World {
            horizon,
            accounts,
            media_index,
        }
    }

    /// Whether "now" has come close enough to the horizon that the world must grow.
    pub(crate) fn needs_extension(&self, now: DateTime<Utc>) -> bool {
        pacific_date(now) + Duration::days(3) >= self.horizon
    }

    pub(crate) fn media(&self, id: &str) -> Option<(usize, MediaRef<'_>)> {
        let (account, slot) = self.media_index.get(id)?;
        let owner = self.accounts.get(*account)?;
        let found = match slot {
            MediaSlot::Feed(i) => MediaRef::Own(owner.media.get(*i)?),
            MediaSlot::Story(i) => MediaRef::Own(owner.stories.get(*i)?),
            MediaSlot::Child(i, c) => {
                let parent = owner.media.get(*i)?;
                MediaRef::Child(parent, parent.children.get(*c)?)
            }
            MediaSlot::Tagged(i) => {
                owner.tagged.get(*i)?;
                MediaRef::Tagged
            }
        };
        Some((*account, found))
    }

    pub(crate) fn account_by_id(&self, id: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|a| a.ig_user_id == id || a.app_scoped_id == id)
    }
}

fn generate_account(seed: u64, index: usize, persona: &Persona, horizon: NaiveDate) -> Account {
    let account_key = mix(&[seed, index as u64, 0xACC]);
    let jitter = i64::try_from(account_key % 21).unwrap_or(0);
    let first_day = reference_date() - Duration::days(persona.history_days + jitter);
    let start = pacific_midnight(first_day);
    // The account became a business account a week in: the first posts predate the conversion.
    let conversion = start + Duration::days(6) + Duration::hours(11);
    let ig_user_id = make_id(1784140, seed, index, 1 + account_key % 900_000);
    let app_scoped_id = format!(
        "{}",
        24_000_000_000_000_000u64 + mix(&[seed, index as u64, 0xA5]) % 900_000_000_000_000
    );
    let legacy_id = format!(
        "{}",
        1_000_000_000 + mix(&[seed, index as u64, 0x1E6]) % 60_000_000_000
    );

    let day_count = usize::try_from((horizon - first_day).num_days().max(1)).unwrap_or(1);
    let mut days: Vec<DayStats> = Vec::with_capacity(day_count);
    // Pass 1: the follower trajectory before viral bumps; content reach scales with it.
    let mut audience_followers = Vec::with_capacity(day_count);
    let mut followers = persona.base_followers as f64;
    for day in 0..day_count {
        let date = first_day + Duration::days(day as i64);
        let mut stream = Stream::new(&[seed, index as u64, 0xF0, day as u64]);
        let (follows, unfollows) = if persona.small {
            let draw = stream.next_f64();
            let follows = i64::from(draw < 0.07 && followers < 95.0);
            let unfollows = i64::from(draw > 0.985);
            (follows, unfollows)
        } else {
            let ramp = 5.0 + 13.0 * (day as f64 / 730.0).min(1.6);
            let weekday = weekday_factor(weekday_of(date));
            let net = ramp * weekday * stream.range(0.55, 1.45);
            let unfollows = ((2.0 + 0.0015 * followers) * stream.range(0.5, 1.5)).round();
            ((net + unfollows).round().max(0.0) as i64, unfollows as i64)
        };
        followers += (follows - unfollows) as f64;
        audience_followers.push(followers);
        days.push(DayStats {
            date,
            follows,
            unfollows,
            follower_share: if persona.small {
                0.8
            } else {
                stream.range(0.45, 0.6)
            },
            ..DayStats::default()
        });
    }

    let mut media = Vec::new();
    let mut stories = Vec::new();
    for day in 0..day_count {
        let date = first_day + Duration::days(day as i64);
        let audience = audience_followers
            .get(day.saturating_sub(1))
            .copied()
            .unwrap_or(persona.base_followers as f64);
        generate_day(
            seed,
            index,
            persona,
            day,
            date,
            audience,
            conversion,
            &mut media,
            &mut stories,
        );
    }
    media.sort_by_key(|m: &Media| m.timestamp);
    stories.sort_by_key(|m: &Media| m.timestamp);

    // Viral posts bring followers on their day and the next.
    for item in media.iter().filter(|m| m.viral) {
        let bump = (item.finals.reach * 0.005).round() as i64;
        let date = pacific_date(item.timestamp);
        if let Ok(offset) = usize::try_from((date - first_day).num_days()) {
            if let Some(day) = days.get_mut(offset) {
                day.follows += bump * 2 / 3;
            }
            if let Some(day) = days.get_mut(offset + 1) {
                day.follows += bump / 3;
            }
        }
    }
    let mut running = persona.base_followers;
    for day in days.iter_mut() {
        running += day.net();
        day.followers_end = running;
    }
    accumulate_content(&mut days, first_day, &media, &stories);
    fill_profile_numbers(seed, index, persona, &mut days);

    let tagged = generate_tagged(seed, index, persona, first_day, day_count);
    let mentioning_comments =
        generate_mentioning_comments(seed, index, persona, first_day, day_count);
    let audience = generate_audience(seed, index);
    Account {
        index,
        ig_user_id,
        app_scoped_id,
        legacy_id,
        username: persona.username.to_string(),
        name: persona.name.to_string(),
        biography: persona.biography.to_string(),
        website: persona.website.to_string(),
        follows_count: if persona.small { 112 } else { 431 },
        conversion,
        base_followers: persona.base_followers,
        media,
        stories,
        first_day,
        days,
        tagged,
        mentioning_comments,
        audience,
    }
}

fn weekday_of(date: NaiveDate) -> usize {
    use chrono::Datelike;
    date.weekday().num_days_from_monday() as usize
}

#[allow(clippy::too_many_arguments)]
fn generate_day(
    seed: u64,
    index: usize,
    persona: &Persona,
    day: usize,
    date: NaiveDate,
    audience: f64,
    conversion: DateTime<Utc>,
    media: &mut Vec<Media>,
    stories: &mut Vec<Media>,
) {
    let mut stream = Stream::new(&[seed, index as u64, 0xDA7, day as u64]);
    let day_start = pacific_midnight(date);
    let weekday = weekday_of(date);
    let rate = persona.post_rate * weekday_factor(weekday) / 1.0214;
    let mut posts = u64::from(stream.next_f64() < rate.min(0.98));
    if stream.next_f64() < 0.04 * persona.post_rate {
        posts += 1;
    }
    for k in 0..posts {
        let hour = stream.weighted(&POSTING_HOURS) as i64;
        let timestamp = day_start
            + Duration::hours(hour)
            + Duration::seconds(i64::try_from(stream.below(3600)).unwrap_or(0));
        let kind = stream.weighted(&[0.35, 0.22, 0.08, 0.35]);
        let (media_type, product) = match kind {
            0 => (MediaType::Image, Product::Feed),
            1 => (MediaType::CarouselAlbum, Product::Feed),
            2 => (MediaType::Video, Product::Feed),
            _ => (MediaType::Video, Product::Reels),
        };
        let ordinal = day as u64 * 64 + k;
        let id = make_id(17, seed, index, 100_000 + ordinal);
        let mut children = Vec::new();
        if media_type == MediaType::CarouselAlbum {
            for c in 0..(2 + stream.below(4)) {
                let child_type = if stream.next_f64() < 0.8 {
                    MediaType::Image
                } else {
                    MediaType::Video
                };
                children.push(Child {
                    id: make_id(18, seed, index, 100_000 + ordinal * 8 + c),
                    media_type: child_type,
                    shortcode: shortcode(mix(&[seed, ordinal, c, 0xC41])),
                });
            }
        }
        let viral = !persona.small && stream.next_f64() < 0.03;
        let finals = post_finals(
            &mut stream,
            product,
            media_type,
            audience,
            timestamp,
            viral,
            persona.small,
        );
        // One draw of the day's stream, as before captions were composed, so that every
        // number generated after it stays the same.
        let caption = if stream.next_f64() < 0.05 {
            None
        } else {
            Some(caption(stream.next_u64()))
        };
        media.push(Media {
            id,
            owner: index,
            timestamp,
            media_type,
            product,
            caption,
            shortcode: shortcode(mix(&[seed, index as u64, ordinal, 0x5C])),
            children,
            finals,
            before_conversion: timestamp < conversion,
            few_viewers: false,
            crossposted: product == Product::Reels && stream.next_f64() < 0.2,
            has_media_url: !(media_type == MediaType::Video && stream.next_f64() < 0.04),
            viral,
        });
    }

    // A close-friends story every day at 09:00 UTC (under 5 viewers), so one is always live,
    // plus the day's ordinary stories.
    let mut story_times = vec![(
        date.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc(),
        true,
    )];
    let extra = (persona.story_rate + stream.next_f64()).floor() as u64;
    for _ in 0..extra {
        let hour = stream.weighted(&POSTING_HOURS) as i64;
        story_times.push((
            day_start
                + Duration::hours(hour)
                + Duration::minutes(i64::try_from(stream.below(60)).unwrap_or(0)),
            false,
        ));
    }
    for (k, (timestamp, few)) in story_times.into_iter().enumerate() {
        let ordinal = day as u64 * 64 + 16 + k as u64;
        let media_type = if stream.next_f64() < 0.6 {
            MediaType::Image
        } else {
            MediaType::Video
        };
        let finals = story_finals(&mut stream, audience, few);
        stories.push(Media {
            id: make_id(17, seed, index, 100_000 + ordinal),
            owner: index,
            timestamp,
            media_type,
            product: Product::Story,
            caption: None,
            shortcode: shortcode(mix(&[seed, index as u64, ordinal, 0x57])),
            children: Vec::new(),
            finals,
            before_conversion: timestamp < conversion,
            few_viewers: few,
            crossposted: false,
            has_media_url: true,
            viral: false,
        });
    }
}

fn post_finals(
    stream: &mut Stream,
    product: Product,
    media_type: MediaType,
    audience: f64,
    timestamp: DateTime<Utc>,
    viral: bool,
    small: bool,
) -> Finals {
    let type_factor = match (product, media_type) {
        (Product::Reels, _) => 2.6,
        (_, MediaType::CarouselAlbum) => 1.15,
        (_, MediaType::Video) => 0.9,
        _ => 1.0,
    };
    let noise = (0.35 * stream.normal()).exp();
    let viral_factor = if viral { stream.range(4.0, 12.0) } else { 1.0 };
    let base = if small {
        audience * 0.5 + 3.0
    } else {
        audience * 0.28
    };
    let reach = (base
        * type_factor
        * hour_factor(pacific_hour(timestamp))
        * weekday_factor(pacific_weekday(timestamp))
        * noise
        * viral_factor)
        .max(3.0);
    let views = reach
        * if product == Product::Reels {
            stream.range(1.6, 2.6)
        } else {
            stream.range(1.2, 1.7)
        };
    // People who see a post at a good hour also engage more with it, so the hour shows in the
    // engagement rate (interactions per account reached) and not only in reach.
    let mood = hour_factor(pacific_hour(timestamp)).powf(0.8)
        * weekday_factor(pacific_weekday(timestamp)).powf(0.5);
    let likes = reach * stream.range(0.05, 0.1) * mood;
    let saved_factor = if media_type == MediaType::CarouselAlbum {
        2.0
    } else {
        1.0
    };
    let shares_factor = if product == Product::Reels { 2.0 } else { 1.0 };
    let shares = reach * stream.range(0.004, 0.01) * shares_factor * mood;
    let profile_visits = reach * stream.range(0.01, 0.03);
    let activity = profile_visits * 0.12;
    Finals {
        reach,
        views,
        likes,
        comments: likes * stream.range(0.03, 0.08),
        saved: reach * stream.range(0.006, 0.018) * saved_factor * mood,
        shares,
        reposts: shares * stream.range(0.1, 0.3),
        follows: reach * stream.range(0.001, 0.004),
        profile_visits,
        replies: 0.0,
        profile_actions: [
            activity * 0.7,
            activity * 0.05,
            activity * 0.05,
            activity * 0.08,
            activity * 0.07,
            activity * 0.05,
        ],
        navigation: [0.0; 4],
        avg_watch_ms: stream.range(4_000.0, 15_000.0),
        skip_rate: stream.range(18.0, 55.0),
        facebook_views: views * stream.range(0.05, 0.2),
    }
}

fn story_finals(stream: &mut Stream, audience: f64, few: bool) -> Finals {
    let reach = if few {
        1.0 + stream.below(4) as f64
    } else {
        (audience * stream.range(0.04, 0.08)).max(5.0)
    };
    // A close-friends story is seen by few, but its (floored) reach still grows to its final value.
    let views = if few {
        reach + 1.0
    } else {
        reach * stream.range(1.15, 1.45)
    };
    let activity = reach * 0.01;
    Finals {
        reach: if few { reach + 0.999 } else { reach },
        views,
        shares: reach * 0.004,
        reposts: reach * 0.001,
        follows: reach * 0.002,
        profile_visits: reach * 0.02,
        replies: reach * stream.range(0.005, 0.015),
        profile_actions: [
            activity * 0.6,
            0.0,
            activity * 0.1,
            activity * 0.1,
            activity * 0.1,
            activity * 0.1,
        ],
        navigation: [views * 0.62, views * 0.08, views * 0.12, views * 0.1],
        facebook_views: 0.0,
        ..Finals::default()
    }
}

/// Adds each media's daily increments to the Pacific days, so account totals match media values.
fn accumulate_content(
    days: &mut [DayStats],
    first_day: NaiveDate,
    media: &[Media],
    stories: &[Media],
) {
    for item in media.iter().chain(stories.iter()) {
        if item.before_conversion {
            continue;
        }
        let posted = pacific_date(item.timestamp);
        let Ok(start) = usize::try_from((posted - first_day).num_days()) else {
            continue;
        };
        let span = if item.product == Product::Story {
            2
        } else {
            90
        };
        let bucket = item.bucket();
        for offset in 0..span {
            let Some(day) = days.get_mut(start + offset) else {
                break;
            };
            let begin = pacific_midnight(day.date);
            let end = pacific_midnight(day.date + Duration::days(1));
            let from = begin.max(item.timestamp);
            if end <= from {
                continue;
            }
            let inc = |metric: MediaMetric| {
                item.value(metric, end)
                    .saturating_sub(item.value(metric, from))
            };
            let entry = &mut day.buckets[bucket];
            entry.views += inc(MediaMetric::Views);
            // Accounts overlap between posts on one day: account reach is below the sum.
            entry.reach += (inc(MediaMetric::Reach) as f64 * 0.85).round() as u64;
            entry.likes += inc(MediaMetric::Likes);
            entry.comments += inc(MediaMetric::Comments);
            entry.saves += inc(MediaMetric::Saved);
            entry.shares += inc(MediaMetric::Shares);
            entry.reposts += inc(MediaMetric::Reposts);
            entry.replies += inc(MediaMetric::Replies);
        }
    }
}

fn fill_profile_numbers(seed: u64, index: usize, persona: &Persona, days: &mut [DayStats]) {
    for (i, day) in days.iter_mut().enumerate() {
        let mut stream = Stream::new(&[seed, index as u64, 0x9F, i as u64]);
        let reach = day.reach() as f64;
        day.profile_views = (reach * stream.range(0.02, 0.04)).round() as u64;
        day.website_clicks = if persona.website.is_empty() {
            0
        } else {
            (reach * stream.range(0.002, 0.005)).round() as u64
        };
        let taps = reach * stream.range(0.002, 0.006);
        let shares = [0.05, 0.1, 0.15, 0.2, 0.02, 0.08, 0.4];
        for (slot, share) in day.contact_taps.iter_mut().zip(shares) {
            *slot = (taps * share * stream.range(0.6, 1.4)).round() as u64;
        }
        let interactions: u64 = day.buckets.iter().map(BucketDay::interactions).sum();
        day.accounts_engaged = ((interactions as f64) * stream.range(0.55, 0.75))
            .round()
            .min(reach) as u64;
        let followers = day.followers_end.max(0) as f64;
        for (hour, slot) in day.online.iter_mut().enumerate() {
            *slot = (followers * 0.32 * hour_factor((hour + 24 - 8) % 24) / 1.6
                * stream.range(0.9, 1.1))
            .round() as u64;
        }
    }
}

const FAN_NAMES: [&str; 8] = [
    "crumb.collective",
    "flour_and_frolic",
    "weekendbakerjo",
    "the.loaf.life",
    "leedsfoodie",
    "ovenspring.daily",
    "kneadtoknow",
    "proofing_room",
];

fn generate_tagged(
    seed: u64,
    index: usize,
    persona: &Persona,
    first_day: NaiveDate,
    day_count: usize,
) -> Vec<ForeignMedia> {
    let mut out = Vec::new();
    let every = if persona.small { 40 } else { 5 };
    for day in (3..day_count).step_by(every) {
        let mut stream = Stream::new(&[seed, index as u64, 0x7A6, day as u64]);
        let date = first_day + Duration::days(day as i64);
        let username = FAN_NAMES[stream.below(FAN_NAMES.len() as u64) as usize];
        out.push(ForeignMedia {
            id: make_id(17, seed, index, 90_000_000_000 + day as u64),
            username: username.to_string(),
            timestamp: pacific_midnight(date)
                + Duration::minutes(i64::try_from(stream.below(1440)).unwrap_or(0)),
            media_type: if stream.next_f64() < 0.7 {
                MediaType::Image
            } else {
                MediaType::Video
            },
            caption: format!("Baked this following @{}'s recipe!", persona.username),
            shortcode: shortcode(mix(&[seed, index as u64, day as u64, 0x7A])),
            like_count: 5 + stream.below(200),
            comments_count: stream.below(20),
        });
    }
    out
}

/// What fans write when they @mention the creator under someone else's post.
const MENTION_REMARKS: [&str; 10] = [
    "you have to try this one!",
    "this is the crumb I was telling you about",
    "your recipe worked here too, first time!",
    "any tips for a dough this wet?",
    "look, a proper ear at last",
    "we need a collab on this 😍",
    "is this the flour you use?",
    "saw this and thought of you",
    "how long would you proof this?",
    "your scoring pattern, right?",
];

/// Product types of the posts those comments are under: mostly feed posts, some reels.
const MENTION_PRODUCTS: [Product; 3] = [Product::Feed, Product::Feed, Product::Reels];

fn generate_mentioning_comments(
    seed: u64,
    index: usize,
    persona: &Persona,
    first_day: NaiveDate,
    day_count: usize,
) -> Vec<MentioningComment> {
    let every = if persona.small { 45 } else { 7 };
    (2..day_count)
        .step_by(every)
        .map(|day| {
            // A stream of its own, so adding mentions left every other generated number as it was.
            let mut stream = Stream::new(&[seed, index as u64, 0xC03, day as u64]);
            let remark = MENTION_REMARKS[stream.below(MENTION_REMARKS.len() as u64) as usize];
            let text = if stream.next_f64() < 0.7 {
                format!("@{} {remark}", persona.username)
            } else {
                format!("{remark} @{}", persona.username)
            };
            let date = first_day + Duration::days(day as i64);
            MentioningComment {
                id: make_id(17, seed, index, 96_000_000_000 + day as u64),
                text,
                timestamp: pacific_midnight(date)
                    + Duration::minutes(i64::try_from(stream.below(1440)).unwrap_or(0)),
                like_count: stream.below(25),
                media_id: make_id(17, seed, index, 95_000_000_000 + day as u64),
                media_product: MENTION_PRODUCTS
                    [stream.below(MENTION_PRODUCTS.len() as u64) as usize],
            }
        })
        .collect()
}

const COUNTRIES: [&str; 60] = [
    "GB", "US", "IE", "CA", "AU", "NG", "DE", "FR", "NL", "ES", "IT", "IN", "ZA", "NZ", "SE", "BR",
    "MX", "PT", "BE", "DK", "NO", "PL", "GH", "KE", "AE", "SG", "CH", "AT", "FI", "JP", "AR", "CO",
    "TR", "PH", "MY", "ID", "GR", "CZ", "RO", "HU", "IL", "CL", "PK", "EG", "MA", "SA", "TH", "VN",
    "KR", "UA", "HR", "SK", "BG", "LT", "LV", "EE", "IS", "LU", "MT", "CY",
];

const CITIES: [&str; 60] = [
    "London, England",
    "Manchester, England",
    "Leeds, England",
    "Bristol, England",
    "Dublin, Dublin",
    "New York, New York",
    "Toronto, Ontario",
    "Sydney, New South Wales",
    "Lagos, Lagos State",
    "Birmingham, England",
    "Glasgow, Scotland",
    "Edinburgh, Scotland",
    "Melbourne, Victoria",
    "Los Angeles, California",
    "Berlin, Berlin",
    "Paris, Île-de-France",
    "Amsterdam, Noord-Holland",
    "Madrid, Comunidad de Madrid",
    "Liverpool, England",
    "Sheffield, England",
    "Cardiff, Wales",
    "Belfast, Northern Ireland",
    "Nottingham, England",
    "Brighton, England",
    "Chicago, Illinois",
    "Vancouver, British Columbia",
    "Cape Town, Western Cape",
    "Auckland, Auckland Region",
    "Abuja, Federal Capital Territory",
    "Accra, Greater Accra Region",
    "Nairobi, Nairobi County",
    "Mumbai, Maharashtra",
    "Bangalore, Karnataka",
    "Dubai, Dubai",
    "Singapore, Singapore",
    "Stockholm, Stockholm County",
    "Copenhagen, Capital Region of Denmark",
    "Oslo, Oslo",
    "Lisbon, Lisbon District",
    "Rome, Lazio",
    "Milan, Lombardy",
    "Barcelona, Catalonia",
    "Munich, Bavaria",
    "Vienna, Vienna",
    "Zürich, Canton of Zürich",
    "Brussels, Brussels-Capital Region",
    "Warsaw, Masovian Voivodeship",
    "São Paulo, São Paulo (state)",
    "Mexico City, Distrito Federal",
    "Seattle, Washington",
    "Boston, Massachusetts",
    "Austin, Texas",
    "San Francisco, California",
    "Montreal, Quebec",
    "Perth, Western Australia",
    "Brisbane, Queensland",
    "Cork, Cork",
    "Galway, Galway",
    "Leicester, England",
    "York, England",
];

const AGES: [&str; 7] = ["13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"];

fn generate_audience(seed: u64, index: usize) -> Audience {
    let mut stream = Stream::new(&[seed, index as u64, 0xA0D]);
    let mut power = |labels: &[&str], exponent: f64| -> Vec<(String, f64)> {
        labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                (
                    label.to_string(),
                    (1.0 / (i as f64 + 1.0).powf(exponent)) * stream.range(0.7, 1.3),
                )
            })
            .collect()
    };
    let countries = power(&COUNTRIES, 1.3);
    let cities = power(&CITIES, 1.1);
    let age_shape: [f64; 7] = [0.03, 0.22, 0.36, 0.21, 0.1, 0.05, 0.03];
    let ages = AGES
        .iter()
        .zip(age_shape)
        .map(|(a, w)| {
            (
                a.to_string(),
                w * (1.0 + 0.1 * unit(mix(&[seed, w.to_bits()]))),
            )
        })
        .collect();
    let genders = vec![
        ("F".to_string(), 0.64),
        ("M".to_string(), 0.33),
        ("U".to_string(), 0.03),
    ];
    Audience {
        ages,
        genders,
        countries,
        cities,
    }
}
