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

/** What the user reads for each token above, in each language: the dictionaries include these. */
export const LABELS = {"en":{"accountKind.brokerage":"Brokerage account","accountKind.crypto":"Crypto","accountKind.current":"Current account","accountKind.life_insurance":"Life insurance","accountKind.loan":"Loan","accountKind.other":"Other","accountKind.pea":"PEA","accountKind.pea_pme":"PEA-PME","accountKind.per":"PER (retirement)","accountKind.real_estate":"Real estate","accountKind.savings":"Savings account","accountKind.term_deposit":"Term deposit","alloc.unclassified":"Unclassified","assetClass.bond":"Bonds","assetClass.cash":"Cash","assetClass.collectible":"Collectibles","assetClass.crypto":"Crypto-assets","assetClass.equity":"Equities","assetClass.fund":"Funds","assetClass.loan":"Loans","assetClass.other":"Other","assetClass.precious_metal":"Precious metals","assetClass.private_equity":"Private equity","assetClass.real_estate":"Real estate","assetClass.scpi":"SCPI (property funds)","assetClass.vehicle":"Vehicles","institutionKind.bank":"Bank","institutionKind.broker":"Broker","institutionKind.direct":"Held directly","institutionKind.insurer":"Insurer","institutionKind.other":"Other","ownership.bare":"Bare ownership","ownership.full":"Full ownership","ownership.usufruct":"Usufruct"},"fr":{"accountKind.brokerage":"Compte-titres","accountKind.crypto":"Crypto","accountKind.current":"Compte courant","accountKind.life_insurance":"Assurance-vie","accountKind.loan":"Emprunt","accountKind.other":"Autre","accountKind.pea":"PEA","accountKind.pea_pme":"PEA-PME","accountKind.per":"PER","accountKind.real_estate":"Immobilier","accountKind.savings":"Livret d’épargne","accountKind.term_deposit":"Compte à terme","alloc.unclassified":"Non classé","assetClass.bond":"Obligations","assetClass.cash":"Liquidités","assetClass.collectible":"Objets de collection","assetClass.crypto":"Crypto-actifs","assetClass.equity":"Actions","assetClass.fund":"Fonds","assetClass.loan":"Emprunts","assetClass.other":"Autres","assetClass.precious_metal":"Métaux précieux","assetClass.private_equity":"Capital-investissement","assetClass.real_estate":"Immobilier","assetClass.scpi":"SCPI","assetClass.vehicle":"Véhicules","institutionKind.bank":"Banque","institutionKind.broker":"Courtier","institutionKind.direct":"Détention directe","institutionKind.insurer":"Assureur","institutionKind.other":"Autre","ownership.bare":"Nue-propriété","ownership.full":"Pleine propriété","ownership.usufruct":"Usufruit"}} as const;

/** A profile's backup settings before the user changes them. */
export const BACKUP_DEFAULTS = {"second_destination":null,"keep_daily":7,"keep_weekly":4,"keep_monthly":12,"missing_reminder_days":14,"last_backup_at":null,"second_destination_last_seen":null,"second_destination_reminder":false} as const;

/** The CSV import layout: header, French header, required. */
export const CSV_COLUMNS = [{"name":"date","french":"date","required":true},{"name":"institution","french":"etablissement","required":true},{"name":"account","french":"compte","required":true},{"name":"account_kind","french":"type_compte","required":true},{"name":"asset","french":"actif","required":true},{"name":"asset_class","french":"classe","required":true},{"name":"currency","french":"devise","required":true},{"name":"value","french":"valeur","required":true},{"name":"quantity","french":"quantite","required":false},{"name":"unit_price","french":"prix_unitaire","required":false},{"name":"share_pct","french":"part","required":false},{"name":"ownership","french":"propriete","required":false}] as const;

/** The version of the app and of the vault schema it writes. */
export const APP_VERSION = "0.2.0" as const;
export const SCHEMA_VERSION = 4 as const;
