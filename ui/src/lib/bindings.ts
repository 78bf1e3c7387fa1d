// Generated from crates/app/src/rpc.rs by `UPDATE_BINDINGS=1 cargo test -p insightdesk-app`.
// Do not edit: a test fails when this file differs from what Rust declares.

export type AccountArgs = { account: string, };

export type AccountInfo = { ig_user_id: string, username: string, name: string | null, };

/**
 * A connected Instagram account as the UI shows it. No token in it.
 */
export type AccountView = { 
/**
 * Meta's id of the professional account.
 */
id: string, username: string | null, provider: Provider, 
/**
 * The Facebook Page it is linked to (Facebook Login).
 */
page_name: string | null, 
/**
 * When the sign-in ends (ISO 8601), if it ends.
 */
sign_in_expires_at: string | null, health: SignInHealth, };

/**
 * The alerts a creator can switch on and off, and how far outside the usual counts as
 * unusual.
 */
export type AlertToggles = { token_expiry: boolean, story_missed: boolean, post_reach: boolean, post_engagement: boolean, daily_reach: boolean, mention: boolean, 
/**
 * "Unusual" means more than this many times (or less than one over this many times) the
 * usual value.
 */
factor: number, };

export type AnnotationRow = { starts_local: string, ends_local: string | null, text: string, };

/**
 * Something the UI should hear about without asking: progress, results, warnings.
 */
export type AppEvent = { "type": "sync_progress", account: string, step: string, done: number, total: number, 
/**
 * While Instagram's limits pause the sync: when it goes on (ISO 8601); `step` says so.
 */
resumes_at: string | null, } | { "type": "sync_finished", account: string, summary: string, warnings: Array<string>, } | { "type": "sync_failed", account: string, code: ErrorCode, message: string, } | { "type": "alert", title: string, body: string, } | { "type": "session_changed" } | { "type": "data_changed" };

/**
 * The app's version and where it keeps its data.
 */
export type AppInfo = { 
/**
 * The version of this build, e.g. "0.1.0".
 */
version: string, 
/**
 * The folder that holds this profile's database, logs and exports.
 */
data_dir: string, };

export type AppendixItem = { title: string, text: string, };

export type AudienceView = { demographics: Demographics, 
/**
 * When followers are online, weekday × hour, from Meta's last 30 days.
 */
online_followers: ChartSpec, };

export type Axis = { label: string, unit: Unit, 
/**
 * Whether a value axis starts at zero. False only where a small change on a large
 * number is the point (followers); the tick labels then show where the axis starts.
 */
from_zero: boolean, };

export type BestTime = { window_first: string, window_last: string, min_posts: number, 
/**
 * `grid[weekday][hour]`, Monday first, local hours.
 */
grid: Array<Array<SlotStats>>, by_weekday: Array<SlotStats>, by_hour: Array<SlotStats>, 
/**
 * Feed posts and reels in the window with an engagement rate.
 */
posts_considered: number, 
/**
 * Feed posts and reels in the window without one (no reach reading yet).
 */
posts_without_rate: number, 
/**
 * Slots with at least `min_posts` posts.
 */
slots_compared: number, best_slot: Slot | null, best_weekday: [number, SlotStats] | null, best_hour: [number, SlotStats] | null, confidence: Confidence, 
/**
 * The honest summary the report prints under the grid.
 */
note: string, };

export type BestTimeView = { best_time: BestTime, chart: ChartSpec, 
/**
 * What the grid says, honestly: a recommendation only when the sample allows one.
 */
summary: string, time_zone: string, };

export type ChartData = { "type": "series", x: XValues, series: Array<Series>, } | { "type": "grid", rows: Array<string>, columns: Array<string>, values: Array<Array<number | null>>, counts: Array<Array<number>>, unit: Unit, 
/**
 * Cells with fewer samples are too few to compare: drawn pale, without the scale.
 */
min_count: number, };

/**
 * How a chart is drawn.
 */
export type ChartKind = "line" | "bar" | "heatmap";

export type ChartSpec = { 
/**
 * Stable id, e.g. `followers`, `daily_reach`.
 */
id: string, kind: ChartKind, title: string, 
/**
 * One line under the title saying how to read the chart.
 */
subtitle: string | null, x_axis: Axis, y_axis: Axis, data: ChartData, 
/**
 * Shown instead of the chart when there is nothing to draw.
 */
empty_message: string | null, };

export type ChooseFolderArgs = { 
/**
 * The dialog's title.
 */
title: string | null, };

/**
 * A comment someone left on one of the creator's posts.
 */
export type CommentItem = { id: string, username: string | null, text: string, 
/**
 * RFC 3339; null when Instagram gave no time.
 */
commented_at: string | null, 
/**
 * A reply to another comment rather than a comment on the post itself.
 */
is_reply: boolean, 
/**
 * The post's Instagram id: the UI opens its page with it.
 */
post_id: string, 
/**
 * The start of the post's caption, or null when it has none (or is not in the history).
 */
post_caption: string | null, 
/**
 * Whether the post is in the history, so that its page can be opened.
 */
post_in_history: boolean, };

export type Confidence = "not_enough_data" | "low" | "moderate";

export type ContentArgs = { account: string | null, range: RangeChoice, 
/**
 * "all", "image", "carousel", "video", "reel".
 */
kind: string | null, search: string | null, 
/**
 * A column: "posted_at", "reach", "views", "likes", "comments", "saves", "shares",
 * "engagement_rate".
 */
sort: string | null, ascending: boolean, offset: number, limit: number | null, };

export type ContentMixRow = { content_type: ContentType, posts: number, 
/**
 * This kind's share of everything published in the period (0 to 1).
 */
share: number, median_reach: number | null, median_engagement_rate: number | null, };

export type ContentPage = { total: number, rows: Array<ContentRow>, period_title: string, };

/**
 * One row of the content table.
 */
export type ContentRow = { id: string, 
/**
 * "image", "carousel", "video", "reel".
 */
kind: string, kind_label: string, posted_at: string, caption: string | null, permalink: string | null, 
/**
 * A local address of the cached picture (`thumb://localhost/<id>`), when cached.
 */
thumbnail: string | null, reach: number | null, views: number | null, likes: number | null, comments: number | null, saves: number | null, shares: number | null, engagement_rate: number | null, };

/**
 * What kind of content a post is, from Meta's product type and media type.
 */
export type ContentType = "image" | "carousel" | "video" | "reel" | "story" | "other";

/**
 * One day of the account's daily metrics (Meta's names), plus that day's follower snapshot.
 */
export type DailyRow = { day: string, reach: number | null, views: number | null, accounts_engaged: number | null, total_interactions: number | null, likes: number | null, comments: number | null, saves: number | null, shares: number | null, 
/**
 * Meta's `follower_count`: accounts that started following that day.
 */
new_followers: number | null, 
/**
 * The day's `followers_count` snapshot.
 */
followers: number | null, };

/**
 * A measure's label and definition, for a glossary.
 */
export type Definition = { measure: Measure, label: string, text: string, };

/**
 * A value of this period beside the previous period's.
 */
export type Delta = { current: number | null, previous: number | null, 
/**
 * `current - previous`, when both are known.
 */
change: number | null, 
/**
 * `change / |previous|`, when both are known and `previous` is not zero.
 */
change_ratio: number | null, };

export type DemographicBucket = { key: string, label: string, value: number, 
/**
 * Of the buckets Meta listed.
 */
share: number, };

export type DemographicGroup = { 
/**
 * Meta's dimension: `age`, `gender`, `country`, `city`, `age,gender`.
 */
dimension: string, title: string, snapshot_day: string, 
/**
 * Every bucket Meta listed, largest first (the PDF and text show the first
 * [`DEMOGRAPHIC_ROWS`]).
 */
buckets: Array<DemographicBucket>, };

export type Demographics = { groups: Array<DemographicGroup>, 
/**
 * Why there is nothing to show, when there is nothing.
 */
missing_reason: string | null, };

export type EngagementArgs = { 
/**
 * The account; the one on screen when absent.
 */
account: string | null, 
/**
 * At most this many comments and this many mentions (10 when absent, at most 100).
 */
limit: number | null, };

/**
 * The newest comments and mentions of an account, newest first.
 */
export type EngagementView = { comments: Array<CommentItem>, mentions: Array<MentionItem>, 
/**
 * How many comments and mentions the history holds in all.
 */
comments_total: number, mentions_total: number, 
/**
 * Now, by the clock of the Meta the app talks to (RFC 3339), for "5 min ago": the demo's
 * simulated Meta keeps its own time.
 */
as_of: string, };

/**
 * Stable codes for the few errors the UI treats differently from "show the message".
 */
export type ErrorCode = "failed" | "needs_sign_in" | "no_account" | "setup_required" | "keyring_unavailable" | "cancelled" | "throttled";

/**
 * What the webview receives when a command fails.
 */
export type ErrorPayload = { code: ErrorCode, message: string, };

export type ExportArgs = { account: string | null, period: PeriodChoice, format: ReportFormat, 
/**
 * "a4" (default) or "letter".
 */
paper: string | null, 
/**
 * Which PDF: the full report (default), the summary or the media kit. PDF only: CSV
 * and JSON always hold every table and figure.
 */
template: ReportTemplate | null, 
/**
 * CSV files without the UTF-8 byte-order mark (Excel needs it; some tools trip on it).
 */
no_bom: boolean, };

export type FollowerDay = { day: string, 
/**
 * The day's snapshot; `None` on days without one (never filled in).
 */
followers: number | null, 
/**
 * Meta's `follower_count` for the day: accounts that started following.
 */
new_followers: number | null, };

export type FollowerGrowth = { 
/**
 * One entry per day of the period.
 */
days: Array<FollowerDay>, 
/**
 * The snapshot the change is measured from: the last in the [`BASELINE_DAYS`] before the
 * period, else the first in it.
 */
baseline: [string, number] | null, 
/**
 * The last snapshot in the period.
 */
end: [string, number] | null, 
/**
 * `end - baseline`, when they are snapshots of two different days.
 */
net_change: number | null, 
/**
 * `net_change / baseline`.
 */
growth_rate: number | null, 
/**
 * The sum of `follower_count` over the days that have it.
 */
new_followers: number | null, new_follower_days: number, snapshot_days: number, };

/**
 * How long each kind of data stays fresh, in minutes: a sync inside the window does not ask
 * Instagram for that kind again. The defaults are the sync's own.
 */
export type FreshnessMinutes = { 
/**
 * Name, picture and follower count (with the day's followers snapshot).
 */
profile: number, 
/**
 * The newest posts, where new posts are found.
 */
media_list: number, 
/**
 * The live stories, and how often each live story is read.
 */
stories: number, 
/**
 * The account's daily metrics (the last few days are read again each time).
 */
account_metrics: number, 
/**
 * Audience demographics and online followers.
 */
demographics: number, };

export type GrowthPoint = { age_seconds: number, 
/**
 * "1 h", "3 days".
 */
label: string, 
/**
 * The post's value at this age (estimated from its readings).
 */
post: number | null, 
/**
 * The peers' median at this age.
 */
median: number | null, 
/**
 * How many peers the median is taken over.
 */
peers: number, 
/**
 * `post / median`.
 */
ratio: number | null, };

export type GrowthSection = { post: Post, metric: string, 
/**
 * "reels", "carousels", ...
 */
peers_label: string, points: Array<GrowthPoint>, };

/**
 * One headline number with its change against the previous period.
 */
export type Kpi = { measure: Measure, label: string, 
/**
 * [`Unit::Count`] or [`Unit::Rate`].
 */
unit: Unit, delta: Delta, 
/**
 * Why a value is missing or partial ("3 of 7 days recorded").
 */
note: string | null, };

/**
 * Each analytic and metric a report shows.
 */
export type Measure = "followers" | "follower_change" | "new_followers" | "account_reach" | "daily_reach" | "views" | "interactions" | "posts_published" | "stories_published" | "engagement_rate_by_reach" | "engagement_rate_by_followers" | "median_engagement_rate" | "period_change" | "top_posts" | "content_mix" | "best_time" | "story_completion" | "growth_against_median" | "demographics";

/**
 * A post or comment of someone else that mentions the creator.
 */
export type MentionItem = { 
/**
 * The Instagram id of the post that mentions the creator (someone else's post).
 */
media_id: string, 
/**
 * True when the mention is in a comment, false when it is in a caption.
 */
in_comment: boolean, username: string | null, 
/**
 * The start of the caption or comment that mentions the creator.
 */
text: string | null, 
/**
 * RFC 3339; null when Instagram gave no time.
 */
mentioned_at: string | null, };

/**
 * A story's navigation actions (`navigation` by `story_navigation_action_type`).
 */
export type Navigation = { 
/**
 * On to your next story (or the next account's after your last one).
 */
tap_forward: number, 
/**
 * Back to see it again.
 */
tap_back: number, 
/**
 * Left stories altogether.
 */
tap_exit: number, 
/**
 * Swiped on to the next account's stories.
 */
swipe_forward: number, };

/**
 * The command's arguments: none.
 */
export type NoArgs = Record<symbol, never>;

/**
 * The overview screen.
 */
export type Overview = { period_title: string, previous_title: string, time_zone: string, kpis: Array<Kpi>, 
/**
 * Followers, daily reach, daily views, content mix.
 */
charts: Array<ChartSpec>, top_posts: Array<TopList>, 
/**
 * Caveats: Meta's lag, days not yet recorded.
 */
notes: Array<string>, definitions: Array<Definition>, posts_in_range: number, };

export type OwnAppArgs = { provider: Provider, app_id: string, 
/**
 * Goes straight to the keyring; never stored elsewhere, never sent back.
 */
app_secret: string, };

/**
 * Days `first..=last` in the user's time zone.
 */
export type Period = { kind: PeriodKind, first: string, last: string, };

/**
 * Which days a report covers.
 */
export type PeriodChoice = { "kind": "week", day: string | null, } | { "kind": "month", day: string | null, } | { "kind": "custom", from: string, to: string, };

export type PeriodKind = "week" | "month" | "custom";

/**
 * A post, reel or story with its latest metrics and engagement rates.
 */
export type Post = { ig_media_id: string, content_type: ContentType, product_type: string, media_type: string, posted_at: string, 
/**
 * When it went up, in the report's time zone.
 */
posted_local: string, caption: string | null, permalink: string | null, metrics: PostMetrics, followers_at_posting: number | null, engagement_rate_by_reach: number | null, engagement_rate_by_followers: number | null, };

export type PostArgs = { id: string, };

/**
 * A post's page.
 */
export type PostDetail = { row: ContentRow, 
/**
 * Every metric Meta gave for it, latest reading: (name, value).
 */
metrics: Array<[string, number]>, followers_at_posting: number | null, engagement_rate_by_followers: number | null, 
/**
 * Reach at each age against the median of its kind.
 */
growth: ChartSpec | null, growth_note: string | null, };

/**
 * The latest readings of the metrics a report shows. Meta's media metric names: `saved` (not
 * `saves`, which is the account-level name), `total_interactions`.
 */
export type PostMetrics = { reach: number | null, views: number | null, likes: number | null, comments: number | null, saved: number | null, shares: number | null, total_interactions: number | null, };

/**
 * Which profile is open.
 */
export type ProfileKind = "main" | "demo";

/**
 * Which of Meta's two sign-ins.
 */
export type Provider = "facebook" | "instagram";

/**
 * Whether each sign-in can start, and how.
 */
export type ProviderSetup = { provider: Provider, 
/**
 * "own_app" (App ID saved), "broker" (the build's sign-in service), or "needs_setup".
 */
method: string, 
/**
 * The saved App ID, when the own-app path is set up.
 */
app_id: string | null, };

export type RangeArgs = { account: string | null, range: RangeChoice, };

/**
 * The range picker's choices.
 */
export type RangeChoice = { "kind": "last7" } | { "kind": "last28" } | { "kind": "last90" } | { "kind": "last_year" } | { "kind": "custom", from: string, to: string, };

export type RankedPost = { 
/**
 * 1 for the best.
 */
rank: number, value: number, post: Post, };

/**
 * What a top-posts list is ranked by.
 */
export type Ranking = "engagement_rate" | "reach" | "saves_and_shares";

/**
 * Everything one report shows.
 */
export type Report = { schema_version: number, account: AccountInfo, period: Period, period_title: string, previous_period: Period, previous_title: string, 
/**
 * IANA name, e.g. `Europe/Berlin`.
 */
time_zone: string, generated_at: string, kpis: Array<Kpi>, followers: FollowerGrowth, daily: Array<DailyRow>, 
/**
 * Every post, reel and story of the period, oldest first.
 */
posts: Array<Post>, content_mix: Array<ContentMixRow>, top_posts: Array<TopList>, best_time: BestTime, stories: StorySummary, growth: GrowthSection | null, demographics: Demographics, annotations: Array<AnnotationRow>, 
/**
 * Caveats about this report's data (lag, an unfinished period, missed stories).
 */
notes: Array<string>, charts: ReportCharts, appendix: Array<AppendixItem>, definitions: Array<Definition>, };

export type ReportArgs = { account: string | null, period: PeriodChoice, };

export type ReportCharts = { followers: ChartSpec, daily_reach: ChartSpec, daily_views: ChartSpec, content_mix: ChartSpec, best_time: ChartSpec, story_navigation: ChartSpec, growth: ChartSpec | null, };

export type ReportFormat = "pdf" | "csv" | "json";

/**
 * A report that was made: what, when and where.
 */
export type ReportRecord = { made_at: string, account: string, title: string, format: ReportFormat, 
/**
 * The template of a PDF; `None` for CSV and JSON.
 */
template: ReportTemplate | null, 
/**
 * The file (PDF, JSON) or folder (CSV).
 */
path: string, 
/**
 * "you" or "schedule".
 */
made_by: string, };

/**
 * A report written by itself after each week or month, as the seed guide's automated
 * weekly report.
 */
export type ReportSchedule = { 
/**
 * "weekly" or "monthly".
 */
cadence: string, 
/**
 * "pdf", "csv" or "json".
 */
format: string, 
/**
 * The folder the reports go to.
 */
folder: string, };

/**
 * Which report to write.
 */
export type ReportTemplate = "full" | "summary" | "brand";

/**
 * One line or set of bars; `values[i]` belongs to `x.labels[i]`. `null` is a gap (no
 * reading), never a zero.
 */
export type Series = { name: string, unit: Unit, values: Array<number | null>, };

/**
 * Everything the UI needs to draw its frame: profile, accounts, the one on screen, setup.
 */
export type SessionState = { profile: ProfileKind, accounts: Array<AccountView>, active_account: string | null, providers: Array<ProviderSetup>, 
/**
 * The exact redirect URI to register in a Meta app for the own-app path.
 */
redirect_uri: string, };

export type Settings = { 
/**
 * IANA time zone for days, weeks and the best-time grid, e.g. "Europe/Berlin".
 */
time_zone: string, 
/**
 * Minutes between automatic syncs while the app is open; 0 syncs only on request.
 */
sync_every_minutes: number, 
/**
 * How long each kind of data stays fresh before a sync asks for it again.
 */
freshness: FreshnessMinutes, 
/**
 * "system", "light" or "dark".
 */
theme: string, report_schedule: ReportSchedule | null, alerts: AlertToggles, };

/**
 * Everything the settings screen shows besides the editable settings.
 */
export type SettingsView = { settings: Settings, 
/**
 * The Graph API version in use, e.g. "v26.0".
 */
api_version: string, 
/**
 * This profile's folder.
 */
data_dir: string, 
/**
 * Time zones to choose from.
 */
time_zones: Array<string>, };

export type SignInArgs = { provider: Provider, };

/**
 * How healthy an account's sign-in is.
 */
export type SignInHealth = { "state": "fine" } | { "state": "refresh_due" } | { "state": "expires_soon", days: number, } | { "state": "expired" };

/**
 * What a sign-in added, and what it could not add (with what to do about it).
 */
export type SignInResult = { accounts: Array<AccountView>, notes: Array<string>, };

export type SignOutArgs = { 
/**
 * One account; all accounts of the profile when absent.
 */
account: string | null, };

export type Slot = { 
/**
 * 0 = Monday.
 */
weekday: number, 
/**
 * 0 to 23, local time.
 */
hour: number, stats: SlotStats, };

export type SlotStats = { 
/**
 * Posts with an engagement rate in the slot (the sample size).
 */
posts: number, median_rate: number | null, };

export type StoriesView = { period_title: string, summary: StorySummary, navigation: ChartSpec, notes: Array<string>, };

export type StoryRow = { ig_media_id: string, content_type: ContentType, media_type: string, posted_local: string, 
/**
 * `final`, `last_seen`, `missed` or `not_recorded`.
 */
capture: string, views: number | null, reach: number | null, replies: number | null, navigation: Navigation | null, completion: number | null, };

export type StorySummary = { 
/**
 * Oldest first.
 */
stories: Array<StoryRow>, 
/**
 * Stories Meta forgot before Insightdesk read them.
 */
missed: number, 
/**
 * The period's navigation actions, over stories that have both navigation and views.
 */
totals: Navigation, 
/**
 * The views of those stories.
 */
views: number, 
/**
 * `1 − totals.exits() / views`.
 */
completion: number | null, median_reach: number | null, };

export type SyncArgs = { 
/**
 * The account to sync; the one on screen when absent.
 */
account: string | null, };

/**
 * The sync status of the account on screen.
 */
export type SyncStatusView = { account: string, running: boolean, 
/**
 * When the newest reading was taken (ISO 8601): "data as of".
 */
data_as_of: string | null, last_finished_at: string | null, 
/**
 * "succeeded", "failed", "cancelled" or "running".
 */
last_status: string | null, last_warnings: Array<string>, 
/**
 * Minutes between automatic syncs (0: only on request).
 */
every_minutes: number, };

export type TopList = { ranking: Ranking, label: string, posts: Array<RankedPost>, };

/**
 * What the numbers of an axis or series are.
 */
export type Unit = "count" | "rate" | "day" | "category";

/**
 * The x positions of a series chart.
 */
export type XValues = { unit: Unit, 
/**
 * ISO days for [`Unit::Day`], names otherwise.
 */
labels: Array<string>, };

/** Every command the desktop answers: its arguments and its result. */
export interface Commands {
  /** The app's version and data folder. */
  app_info: { args: NoArgs; output: AppInfo };
  /** The profile, the connected accounts, the one on screen, and how sign-in is set up. */
  session_state: { args: NoArgs; output: SessionState };
  /** Opens the demo and signs its creator in (once) through the real flow. */
  explore_demo: { args: NoArgs; output: SessionState };
  /** Leaves the demo for the creator's own profile. */
  leave_demo: { args: NoArgs; output: SessionState };
  /** Signs in with Meta in the browser and waits for it to come back. */
  sign_in: { args: SignInArgs; output: SignInResult };
  /** Stops a sign-in that waits for the browser. */
  cancel_sign_in: { args: NoArgs; output: boolean };
  /** Saves the own Meta app's App ID, and its App Secret into the keyring. */
  save_own_app: { args: OwnAppArgs; output: SessionState };
  /** Puts an account on screen. */
  select_account: { args: AccountArgs; output: SessionState };
  /** Signs an account (or all) out: revokes at Meta, deletes the tokens, keeps the history. */
  sign_out: { args: SignOutArgs; output: SessionState };
  /** Starts a sync in the background; progress and the outcome arrive as events. */
  sync_now: { args: SyncArgs; output: SyncStatusView };
  /** Whether a sync runs, how the last one ended, and how fresh the data is. */
  sync_status: { args: SyncArgs; output: SyncStatusView };
  /** Stops a running sync; what it read so far stays. */
  cancel_sync: { args: SyncArgs; output: boolean };
  /** KPIs with deltas, followers/reach/views charts, content mix and top posts for a range. */
  overview: { args: RangeArgs; output: Overview };
  /** The content table: filtered, searched, sorted, paged. */
  content: { args: ContentArgs; output: ContentPage };
  /** One post with its growth curve against the median of its kind. */
  post_detail: { args: PostArgs; output: PostDetail };
  /** The newest comments on the creator's posts and mentions of them, from the store. */
  engagement: { args: EngagementArgs; output: EngagementView };
  /** Captured stories, their capture state and navigation. */
  stories: { args: RangeArgs; output: StoriesView };
  /** Demographics and when followers are online. */
  audience: { args: SyncArgs; output: AudienceView };
  /** The weekday × hour grid with sample sizes and an honest summary. */
  best_time: { args: RangeArgs; output: BestTimeView };
  /** The report of a period, for the preview. */
  report_preview: { args: ReportArgs; output: Report };
  /** Writes a report (PDF, CSV or JSON) where the save dialog says. */
  report_export: { args: ExportArgs; output: ReportRecord };
  /** Reports made before, newest first. */
  report_history: { args: NoArgs; output: Array<ReportRecord> };
  /** Every table of the history as CSV into a folder the user picks. */
  export_all: { args: NoArgs; output: Array<string> };
  /** The settings and what the settings screen shows besides. */
  settings_get: { args: NoArgs; output: SettingsView };
  /** Saves the settings after checking them. */
  settings_save: { args: Settings; output: SettingsView };
  /** Asks for a folder with the system dialog; null when the dialog was closed. */
  choose_folder: { args: ChooseFolderArgs; output: string | null };
  /** Opens a stored post's instagram.com permalink in the browser; returns the address. */
  open_post: { args: PostArgs; output: string };
  /** Signs every account out, forgets the Meta app's credentials, deletes the open profile's folder and opens the creator's own profile afresh. */
  wipe_profile: { args: NoArgs; output: SessionState };
}

export const COMMAND_NAMES = ["app_info", "session_state", "explore_demo", "leave_demo", "sign_in", "cancel_sign_in", "save_own_app", "select_account", "sign_out", "sync_now", "sync_status", "cancel_sync", "overview", "content", "post_detail", "engagement", "stories", "audience", "best_time", "report_preview", "report_export", "report_history", "export_all", "settings_get", "settings_save", "choose_folder", "open_post", "wipe_profile"] as const;
