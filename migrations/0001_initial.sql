-- Schema 1: the wealth model. Money and rates are exact decimals stored as TEXT;
-- dates are ISO-8601 calendar dates (YYYY-MM-DD), which sort correctly as text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE institution (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    kind  TEXT NOT NULL CHECK (kind IN ('bank', 'insurer', 'broker', 'direct', 'other')),
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE account (
    id             INTEGER PRIMARY KEY,
    institution_id INTEGER NOT NULL REFERENCES institution(id),
    name           TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    kind           TEXT NOT NULL CHECK (kind IN ('current', 'savings', 'term_deposit', 'brokerage', 'pea',
                       'pea_pme', 'life_insurance', 'per', 'crypto', 'real_estate', 'loan', 'other')),
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    opened_on      TEXT,
    closed_on      TEXT,
    UNIQUE (institution_id, name)
);

CREATE TABLE asset (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES account(id),
    name       TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    class      TEXT NOT NULL CHECK (class IN ('cash', 'equity', 'bond', 'fund', 'real_estate', 'scpi', 'crypto',
                   'precious_metal', 'private_equity', 'vehicle', 'collectible', 'loan', 'other')),
    liability  INTEGER NOT NULL DEFAULT 0 CHECK (liability IN (0, 1)),
    currency   TEXT NOT NULL CHECK (length(currency) = 3),
    isin       TEXT,
    ticker     TEXT,
    share_pct  TEXT NOT NULL DEFAULT '100',
    ownership  TEXT NOT NULL DEFAULT 'full' CHECK (ownership IN ('full', 'usufruct', 'bare')),
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);
CREATE UNIQUE INDEX asset_unique_name ON asset (coalesce(account_id, 0), name);

CREATE TABLE asset_component (
    composite_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    weight       TEXT NOT NULL,
    PRIMARY KEY (composite_id, component_id)
) WITHOUT ROWID;

CREATE TABLE dimension (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    builtin INTEGER NOT NULL DEFAULT 0
);
INSERT INTO dimension (name, builtin) VALUES ('region', 1), ('sector', 1);

CREATE TABLE allocation (
    asset_id     INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    dimension_id INTEGER NOT NULL REFERENCES dimension(id) ON DELETE CASCADE,
    bucket       TEXT NOT NULL,
    weight       TEXT NOT NULL,
    PRIMARY KEY (asset_id, dimension_id, bucket)
) WITHOUT ROWID;

CREATE TABLE value_point (
    asset_id   INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
    date       TEXT NOT NULL,
    value      TEXT NOT NULL,
    quantity   TEXT,
    unit_price TEXT,
    source     TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'import')),
    PRIMARY KEY (asset_id, date)
) WITHOUT ROWID;
-- Covering index for the date-ordered sweep that builds net-worth series.
CREATE INDEX value_point_by_date ON value_point (date, asset_id, value);

CREATE TABLE cash_flow (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    date       TEXT NOT NULL,
    amount     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cash_flow_by_account ON cash_flow (account_id, date);

CREATE TABLE fx_rate (
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    date     TEXT NOT NULL,
    rate     TEXT NOT NULL,
    source   TEXT NOT NULL DEFAULT 'manual',
    PRIMARY KEY (currency, date)
) WITHOUT ROWID;

CREATE TABLE audit_event (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    kind   TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
