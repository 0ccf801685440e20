-- Schema 2: the last value of each asset in each month, so monthly net-worth series
-- read about one row per asset-month instead of every value. The core refreshes it in
-- the same transaction as every write to value_point (values::refresh_months).
-- Series now scan value_point in primary-key order, so the date index goes: one
-- b-tree less to update per imported value.

CREATE TABLE value_month (
    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    month    TEXT NOT NULL,            -- YYYY-MM
    date     TEXT NOT NULL,            -- date of the month's last value
    value    TEXT NOT NULL,
    PRIMARY KEY (asset_id, month)
) WITHOUT ROWID;

INSERT INTO value_month (asset_id, month, date, value)
    SELECT asset_id, substr(date, 1, 7), max(date), value FROM value_point GROUP BY asset_id, substr(date, 1, 7);

DROP INDEX value_point_by_date;
