-- Schema 4: an account's own balance. A current or savings account holds money
-- directly; its balance is the value of one asset the app makes for it (named after
-- the account, its class following the account kind), marked here. At most one per
-- account; every other asset is a holding (0).
ALTER TABLE asset ADD COLUMN balance INTEGER NOT NULL DEFAULT 0 CHECK (balance IN (0, 1));
CREATE UNIQUE INDEX asset_one_balance_per_account ON asset (account_id) WHERE balance = 1;
