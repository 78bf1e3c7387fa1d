-- Schema 2: account metrics that Meta answers as one total over a window of days.
--
-- Meta's total_value metrics (views, accounts_engaged, likes, profile_links_taps, ...) answer
-- ONE number per since/until window, and unique counts such as reach are not the sum of their
-- days. The sync reads old history in 30-day windows and recent days one day at a time; the
-- window totals live here, apart from `account_daily`, so no query can sum a 30-day total with
-- daily values or add up a unique count across windows. The window is part of the key: the
-- same metric read over another window is another row.

CREATE TABLE account_window (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric (id),
    dimension TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL CHECK (last_day >= first_day),
    dimension_value TEXT NOT NULL,
    value REAL NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, metric_id, dimension, first_day, last_day, dimension_value)
) STRICT, WITHOUT ROWID;
