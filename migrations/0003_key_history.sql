-- Schema 3: the master keys this vault was encrypted with before a credential changed.
-- Changing the password, making a new recovery key or turning keychain unlock off
-- re-encrypts the vault under a new master key, so the old credential stops opening
-- anything made afterwards; the old keys are kept here, inside the vault encrypted
-- with today's key, so the unlocked profile still lists, verifies and restores its
-- own older backups without asking for the old credential.

CREATE TABLE key_history (
    key_check  TEXT PRIMARY KEY CHECK (length(key_check) = 64),  -- hex HMAC(key, "patrimoine key-check v1")
    master_key BLOB NOT NULL CHECK (length(master_key) = 32),
    retired_at TEXT NOT NULL                                     -- RFC 3339, when it was replaced
) WITHOUT ROWID;
