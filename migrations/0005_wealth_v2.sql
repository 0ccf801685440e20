-- Schema 5: the wealth model v2.
--
-- Instruments (securities, funds, crypto-assets) are shared by every account of the
-- profile: one price history and one allocation per instrument. Activities per account
-- (deposits, trades, dividends, transfers, splits) give each account's positions and
-- cash at any date. Loans carry their terms, and the outstanding capital comes from
-- the amortization schedule. A usufruct or a bare ownership may follow article 669 CGI
-- from the usufructuary's birth date or the usufruct's end date.
--
-- Derived values (positions, an account's cash from its activities, a loan's
-- outstanding capital) are written into value_point by the core, in the same
-- transaction as the change they follow, for the asset marked `derived`: every
-- net-worth, series, breakdown and performance computation reads them like any value.

CREATE TABLE instrument (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    isin     TEXT UNIQUE CHECK (isin IS NULL OR length(isin) = 12),
    ticker   TEXT,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    class    TEXT NOT NULL CHECK (class IN ('cash', 'equity', 'bond', 'fund', 'real_estate', 'scpi', 'crypto',
                 'precious_metal', 'private_equity', 'vehicle', 'collectible', 'loan', 'other')),
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);

CREATE TABLE instrument_allocation (
    instrument_id INTEGER NOT NULL REFERENCES instrument(id) ON DELETE CASCADE,
    dimension_id  INTEGER NOT NULL REFERENCES dimension(id) ON DELETE CASCADE,
    bucket        TEXT NOT NULL,
    weight        TEXT NOT NULL,
    PRIMARY KEY (instrument_id, dimension_id, bucket)
) WITHOUT ROWID;

CREATE TABLE price (
    instrument_id INTEGER NOT NULL REFERENCES instrument(id) ON DELETE CASCADE,
    date          TEXT NOT NULL,
    price         TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'import')),
    PRIMARY KEY (instrument_id, date)
) WITHOUT ROWID;

-- quantity: units (buy, sell, transfers) or the split ratio (split: new units per old).
-- unit_price: in the instrument's currency (trades; transfers in: the cost per unit).
-- amount: money in the account's currency (deposit, withdrawal, dividend, interest,
-- fee; for a trade, optionally the cash actually moved, fees included).
CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    date          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('deposit', 'withdrawal', 'buy', 'sell', 'dividend', 'interest', 'fee',
                      'transfer_in', 'transfer_out', 'split')),
    instrument_id INTEGER REFERENCES instrument(id),
    quantity      TEXT,
    unit_price    TEXT,
    amount        TEXT,
    fees          TEXT NOT NULL DEFAULT '0',
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_by_account ON activity (account_id, date, id);
CREATE INDEX activity_by_instrument ON activity (instrument_id, date);

-- An asset's values are typed (NULL) or derived: 'position' (an instrument held in an
-- account), 'cash' (an account's cash from its activities), 'loan' (from its schedule).
ALTER TABLE asset ADD COLUMN derived TEXT CHECK (derived IN ('position', 'cash', 'loan'));
ALTER TABLE asset ADD COLUMN instrument_id INTEGER REFERENCES instrument(id);
CREATE UNIQUE INDEX asset_one_position ON asset (account_id, instrument_id) WHERE instrument_id IS NOT NULL;
CREATE UNIQUE INDEX asset_one_cash ON asset (account_id) WHERE derived = 'cash';

-- Dismembered ownership by article 669 CGI: the usufructuary's birth date (life
-- usufruct) and/or the end of a fixed-term usufruct. Both NULL: share_pct alone applies.
ALTER TABLE asset ADD COLUMN usufructuary_born TEXT;
ALTER TABLE asset ADD COLUMN usufruct_ends TEXT;

CREATE TABLE loan (
    asset_id        INTEGER PRIMARY KEY REFERENCES asset(id) ON DELETE CASCADE,
    principal       TEXT NOT NULL,
    annual_rate     TEXT NOT NULL,
    months          INTEGER NOT NULL CHECK (months BETWEEN 1 AND 600),
    first_payment   TEXT NOT NULL,
    insurance       TEXT NOT NULL DEFAULT '0',
    amortization    TEXT NOT NULL DEFAULT 'constant' CHECK (amortization IN ('constant', 'in_fine')),
    deferral        TEXT NOT NULL DEFAULT 'none' CHECK (deferral IN ('none', 'partial', 'total')),
    deferral_months INTEGER NOT NULL DEFAULT 0 CHECK (deferral_months >= 0),
    linked_asset_id INTEGER REFERENCES asset(id) ON DELETE SET NULL
);

CREATE TABLE loan_repayment (
    id      INTEGER PRIMARY KEY,
    loan_id INTEGER NOT NULL REFERENCES loan(asset_id) ON DELETE CASCADE,
    date    TEXT NOT NULL,
    amount  TEXT,                    -- NULL: the whole remaining capital
    keep    TEXT NOT NULL CHECK (keep IN ('payment', 'term'))
);
CREATE INDEX loan_repayment_by_loan ON loan_repayment (loan_id, date);
