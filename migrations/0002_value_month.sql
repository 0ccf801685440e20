-- Schema 2: the last value of each asset in each month, kept up to date by triggers,
-- so monthly net-worth series read ~1 row per asset-month instead of every value.

CREATE TABLE value_month (
    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    month    TEXT NOT NULL,            -- YYYY-MM
    date     TEXT NOT NULL,            -- date of the month's last value
    value    TEXT NOT NULL,
    PRIMARY KEY (asset_id, month)
) WITHOUT ROWID;
CREATE INDEX value_month_by_date ON value_month (date, asset_id, value);

INSERT INTO value_month (asset_id, month, date, value)
    SELECT asset_id, substr(date, 1, 7), max(date), value FROM value_point GROUP BY asset_id, substr(date, 1, 7);

CREATE TRIGGER value_month_after_insert AFTER INSERT ON value_point BEGIN
    INSERT INTO value_month (asset_id, month, date, value)
        VALUES (NEW.asset_id, substr(NEW.date, 1, 7), NEW.date, NEW.value)
        ON CONFLICT (asset_id, month) DO UPDATE SET date = excluded.date, value = excluded.value
        WHERE excluded.date >= value_month.date;
END;

-- The common update (same asset and date, new value) only touches its own row.
CREATE TRIGGER value_month_after_update_value AFTER UPDATE ON value_point
WHEN OLD.asset_id = NEW.asset_id AND OLD.date = NEW.date BEGIN
    UPDATE value_month SET value = NEW.value
        WHERE asset_id = NEW.asset_id AND month = substr(NEW.date, 1, 7) AND date = NEW.date;
END;

-- Any other change recomputes the months it touches.
CREATE TRIGGER value_month_after_update_key AFTER UPDATE ON value_point
WHEN OLD.asset_id <> NEW.asset_id OR OLD.date <> NEW.date BEGIN
    DELETE FROM value_month WHERE asset_id = OLD.asset_id AND month = substr(OLD.date, 1, 7);
    INSERT INTO value_month (asset_id, month, date, value)
        SELECT asset_id, substr(date, 1, 7), date, value FROM value_point
        WHERE asset_id = OLD.asset_id AND date >= substr(OLD.date, 1, 7) || '-01' AND date <= substr(OLD.date, 1, 7) || '-31'
        ORDER BY date DESC LIMIT 1;
    INSERT INTO value_month (asset_id, month, date, value)
        VALUES (NEW.asset_id, substr(NEW.date, 1, 7), NEW.date, NEW.value)
        ON CONFLICT (asset_id, month) DO UPDATE SET date = excluded.date, value = excluded.value
        WHERE excluded.date >= value_month.date;
END;

-- Deleting a month's last value brings back the previous one of that month, unless
-- the asset itself is being deleted.
CREATE TRIGGER value_month_after_delete AFTER DELETE ON value_point
WHEN EXISTS (SELECT 1 FROM asset WHERE id = OLD.asset_id) BEGIN
    DELETE FROM value_month WHERE asset_id = OLD.asset_id AND month = substr(OLD.date, 1, 7) AND date = OLD.date;
    INSERT OR IGNORE INTO value_month (asset_id, month, date, value)
        SELECT asset_id, substr(date, 1, 7), date, value FROM value_point
        WHERE asset_id = OLD.asset_id AND date >= substr(OLD.date, 1, 7) || '-01' AND date <= substr(OLD.date, 1, 7) || '-31'
        ORDER BY date DESC LIMIT 1;
END;
