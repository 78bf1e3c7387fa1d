-- Schema 1 of the Insightdesk store.
--
-- Conventions (the Rust side relies on them):
-- * Instants are INTEGER unix seconds, UTC. Calendar days are TEXT 'YYYY-MM-DD'.
-- * Metric names are data, never schema: they live once in `metric` and rows point at them, so
--   a metric Meta renames is a new row there, not a migration.
-- * A row without a breakdown uses '' for its dimension and dimension value, so it takes part in
--   the natural key (NULLs would make every such row distinct).
-- * Every table a sync writes has a natural key, and every write is an upsert on it, so
--   re-running a sync never duplicates a row.
-- * `fetched_at` / `learned_at` / `updated_at` record when Insightdesk did something; the
--   canonical dump leaves them out.

PRAGMA application_id = 1229214539; -- 'IDSK': marks the file as an Insightdesk store

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    ig_user_id TEXT NOT NULL UNIQUE,
    login_kind TEXT NOT NULL CHECK (login_kind IN ('facebook', 'instagram')),
    username TEXT NOT NULL,
    name TEXT,
    profile_picture_url TEXT,
    fetched_at INTEGER NOT NULL
) STRICT;

CREATE TABLE metric (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> '')
) STRICT;

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    ig_media_id TEXT NOT NULL UNIQUE,
    product_type TEXT NOT NULL,
    media_type TEXT NOT NULL,
    posted_at INTEGER NOT NULL,
    caption TEXT,
    permalink TEXT,
    media_url TEXT,
    thumbnail_url TEXT,
    fetched_at INTEGER NOT NULL
) STRICT;
-- Covers the period filters of the dashboard, with the type columns for the content mix.
CREATE INDEX media_by_account_time ON media (account_id, posted_at, product_type, media_type);
CREATE INDEX media_by_account_type_time ON media (account_id, product_type, posted_at);

-- One lifetime reading of one metric of one post. The key keeps each post's readings of a metric
-- together in capture order, which is both its growth curve and (last row) its latest value.
CREATE TABLE media_metric (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    captured_at INTEGER NOT NULL,
    age_seconds INTEGER NOT NULL CHECK (age_seconds >= 0),
    value REAL NOT NULL,
    PRIMARY KEY (media_id, metric_id, captured_at)
) STRICT, WITHOUT ROWID;

-- The latest reading of each metric of each post, kept by the writer beside `media_metric` (a
-- reading replaces it when it is at least as new), so "every post with its latest numbers" is a
-- join instead of a search per post. The index puts one metric's latest values of an account's
-- posts in posting order: KPI sums over a period read one contiguous slice of it. Derived data:
-- not exported, not in the dump.
CREATE TABLE media_metric_latest (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    account_id INTEGER NOT NULL,
    posted_at INTEGER NOT NULL,
    captured_at INTEGER NOT NULL,
    age_seconds INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (media_id, metric_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX media_metric_latest_by_time
    ON media_metric_latest (account_id, metric_id, posted_at, value);

CREATE TABLE media_metric_breakdown (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    captured_at INTEGER NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension <> ''),
    dimension_value TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (media_id, metric_id, captured_at, dimension, dimension_value)
) STRICT, WITHOUT ROWID;

-- Daily account metrics. `day` sits after the dimension in the key so that one metric's series
-- (with or without a breakdown) over a range of days is one contiguous slice of the table.
CREATE TABLE account_daily (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    dimension TEXT NOT NULL,
    day TEXT NOT NULL,
    dimension_value TEXT NOT NULL,
    value REAL NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, metric_id, dimension, day, dimension_value)
) STRICT, WITHOUT ROWID;

-- Meta keeps no history of `followers_count`, so we take one snapshot a day.
CREATE TABLE followers_snapshot (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    followers_count INTEGER NOT NULL,
    follows_count INTEGER,
    media_count INTEGER,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
) STRICT, WITHOUT ROWID;

-- A demographics snapshot is written whole (Meta returns the top buckets only, and the set
-- changes), so its buckets hang off one header row.
CREATE TABLE demographics_snapshot (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    timeframe TEXT NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension <> ''),
    snapshot_day TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    UNIQUE (account_id, metric_id, timeframe, dimension, snapshot_day)
) STRICT;

CREATE TABLE demographics_bucket (
    snapshot_id INTEGER NOT NULL REFERENCES demographics_snapshot (id) ON DELETE CASCADE,
    dimension_value TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (snapshot_id, dimension_value)
) STRICT, WITHOUT ROWID;

-- Stories are media rows (product type STORY); this is how far we got before Meta forgot them.
CREATE TABLE story (
    media_id INTEGER PRIMARY KEY REFERENCES media (id) ON DELETE CASCADE,
    capture_state TEXT NOT NULL CHECK (capture_state IN ('final', 'last_seen', 'missed')),
    seen_at INTEGER,
    CHECK ((capture_state = 'missed') = (seen_at IS NULL))
) STRICT;

-- Meta's answers as they came, so numbers can be recomputed after Meta renames a metric.
-- The body is zlib-compressed; the hash is of the uncompressed body.
CREATE TABLE raw_response (
    id INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES account (id) ON DELETE SET NULL,
    endpoint TEXT NOT NULL,
    api_version TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    body_len INTEGER NOT NULL,
    body_zlib BLOB NOT NULL,
    fetched_at INTEGER NOT NULL,
    UNIQUE (endpoint, api_version, body_sha256)
) STRICT;
CREATE INDEX raw_response_by_time ON raw_response (fetched_at);

-- Metrics Meta said it does not provide for a scope (the client stops asking for them there).
-- Scope columns that do not apply are ''. user level: metric_type is the metric_type refused;
-- media level: product and media type ('' for both: a media page with expanded insights).
CREATE TABLE metric_exclusion (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    login_kind TEXT NOT NULL CHECK (login_kind IN ('facebook', 'instagram')),
    level TEXT NOT NULL CHECK (level IN ('user', 'media')),
    product_type TEXT NOT NULL,
    media_type TEXT NOT NULL,
    metric_type TEXT NOT NULL,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    reason TEXT NOT NULL,
    api_version TEXT NOT NULL,
    learned_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, login_kind, level, product_type, media_type, metric_type, metric_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_run (
    id INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES account (id) ON DELETE CASCADE,
    started_by TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    error TEXT,
    resume_state TEXT
) STRICT;
CREATE INDEX sync_run_by_time ON sync_run (started_at);

CREATE TABLE sync_run_counter (
    run_id INTEGER NOT NULL REFERENCES sync_run (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (run_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_run_warning (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES sync_run (id) ON DELETE CASCADE,
    message TEXT NOT NULL,
    UNIQUE (run_id, message)
) STRICT;

CREATE TABLE annotation (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER CHECK (ends_at IS NULL OR ends_at >= starts_at),
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX annotation_by_account_time ON annotation (account_id, starts_at);

CREATE TABLE comment (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    ig_comment_id TEXT NOT NULL UNIQUE,
    ig_media_id TEXT NOT NULL,
    parent_ig_comment_id TEXT,
    username TEXT,
    text TEXT NOT NULL,
    commented_at INTEGER,
    source TEXT NOT NULL,
    fetched_at INTEGER NOT NULL
) STRICT;
CREATE INDEX comment_by_media ON comment (account_id, ig_media_id);

-- ig_comment_id is '' for a mention in a caption.
CREATE TABLE mention (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    ig_media_id TEXT NOT NULL,
    ig_comment_id TEXT NOT NULL,
    username TEXT,
    text TEXT,
    mentioned_at INTEGER,
    fetched_at INTEGER NOT NULL,
    UNIQUE (account_id, ig_media_id, ig_comment_id)
) STRICT;

CREATE TABLE alert_state (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    alert TEXT NOT NULL,
    state TEXT NOT NULL,
    last_fired_at INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, alert)
) STRICT, WITHOUT ROWID;

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The cache: when each kind of data was last fetched for an account, and where to continue.
CREATE TABLE fetch_state (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    data_kind TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    cursor TEXT,
    PRIMARY KEY (account_id, data_kind)
) STRICT, WITHOUT ROWID;
