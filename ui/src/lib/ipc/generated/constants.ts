// Generated from the Rust types by src-tauri/src/contract.rs; do not edit.
// Regenerate: PATRIMOINE_BLESS=1 cargo test -p patrimoine-app contract

/** Every code a command can fail with; each has a sentence in both languages. */
export const ERROR_CODES = ["wrong_password","wrong_recovery_key","recovery_key_typo","recovery_key_format","weak_password","throttled","slots_corrupt","slots_missing","kdf_out_of_bounds","keychain_not_enabled","keychain_unavailable","key_check_mismatch","credential_needed","profile_not_found","profile_exists","profile_limit","profile_name_invalid","not_admin","admin_has_profiles","confirmation_mismatch","registry_corrupt","profile_busy","no_data_dir","vault_missing","vault_corrupt","vault_too_new","migration_mismatch","invalid_input","not_found","duplicate","in_use","weights_not_100","composite_cycle","isin_check_digit","not_a_backup","backup_too_new","backup_damaged","backup_truncated","destination_unwritable","restore_interrupted","backup_other_profile","backup_profile_present","backup_old_credentials","backup_schema_unknown","import_invalid","csv_unreadable","disk_full","io","database","chart","locked"] as const;

/** What the core accepts: the UI checks the same numbers before it asks. */
export const LIMITS = {"profile_name_max":40,"item_name_max":120,"password_min":10,"max_profiles":5,"auto_lock_min":1,"auto_lock_max":60,"auto_lock_default":5} as const;

export const INSTITUTION_KINDS = ["bank","insurer","broker","direct","other"] as const;
export const ACCOUNT_KINDS = ["current","savings","term_deposit","brokerage","pea","pea_pme","life_insurance","per","crypto","real_estate","loan","other"] as const;
export const ASSET_CLASSES = ["cash","equity","bond","fund","real_estate","scpi","crypto","precious_metal","private_equity","vehicle","collectible","loan","other"] as const;
export const OWNERSHIPS = ["full","usufruct","bare"] as const;

/** The key of the allocation bucket for the part of an asset no weight covers. */
export const UNCLASSIFIED = "unclassified" as const;

/** A profile's backup settings before the user changes them. */
export const BACKUP_DEFAULTS = {"second_destination":null,"keep_daily":7,"keep_weekly":4,"keep_monthly":12,"missing_reminder_days":14,"last_backup_at":null,"second_destination_last_seen":null,"second_destination_reminder":false} as const;
