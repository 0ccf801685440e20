// Generated from the Rust types by src-tauri/src/contract.rs; do not edit.
// Regenerate: PATRIMOINE_BLESS=1 cargo test -p patrimoine-app contract

/**
 * An account at an institution.
 */
export type Account = { 
/**
 * Identifier (ignored on input).
 */
id: number, 
/**
 * Owning institution.
 */
institution_id: number, 
/**
 * Name, unique within its institution.
 */
name: string, 
/**
 * Kind.
 */
kind: AccountKind, 
/**
 * ISO 4217 currency.
 */
currency: string, 
/**
 * Opening date.
 */
opened_on: string | null, 
/**
 * Closing date; a closed account keeps its history.
 */
closed_on: string | null, };

/**
 * What an account holds on a date ([`Vault::accounts_overview`]).
 */
export type AccountBalance = { 
/**
 * The account.
 */
account_id: number, 
/**
 * Everything it holds, net (debts negative), after shares, in the base currency.
 */
value: Decimal, 
/**
 * Its own balance (the value of the asset that holds it), in the account's currency.
 */
balance: Decimal | null, 
/**
 * The date of that balance.
 */
balance_date: string | null, 
/**
 * The asset that holds the balance, once one was set.
 */
balance_asset_id: number | null, 
/**
 * The latest date any of its assets was valued (on or before the date).
 */
last_date: string | null, 
/**
 * How many assets it holds, the balance's included.
 */
holdings: number, 
/**
 * How many activities it has: with any, its cash comes from them and it takes no
 * typed balance.
 */
activities: number, };

/**
 * Account kinds, as French households hold them.
 */
export type AccountKind = "current" | "savings" | "term_deposit" | "brokerage" | "pea" | "pea_pme" | "life_insurance" | "per" | "crypto" | "real_estate" | "loan" | "other";

/**
 * Every account's and institution's value on a date.
 */
export type AccountsOverview = { 
/**
 * The date.
 */
date: string, 
/**
 * Base currency of the values.
 */
currency: string, 
/**
 * One per account, in the order of [`Vault::accounts`].
 */
accounts: Array<AccountBalance>, 
/**
 * One per institution, in the order of [`Vault::institutions`].
 */
institutions: Array<InstitutionTotal>, 
/**
 * Currencies without a rate on the date (their assets are left out).
 */
missing_rates: Array<string>, };

/**
 * One dated activity of an account.
 */
export type Activity = { 
/**
 * Identifier (ignored on input).
 */
id: number, 
/**
 * Account.
 */
account_id: number, 
/**
 * Date.
 */
date: string, 
/**
 * What it does.
 */
kind: ActivityKind, 
/**
 * Instrument (trades, transfers, splits; optionally a dividend's).
 */
instrument_id: number | null, 
/**
 * Units (trades, transfers) or, for a split, the ratio (2 for two new per old).
 */
quantity: Decimal | null, 
/**
 * Unit price in the instrument's currency (trades; a transfer in: cost per unit).
 */
unit_price: Decimal | null, 
/**
 * Money in the account's currency (deposit, withdrawal, dividend, interest, fee;
 * for a trade, optionally the cash actually moved, fees included).
 */
amount: Decimal | null, 
/**
 * Fees of a trade, in the instrument's currency (≥ 0).
 */
fees: Decimal, 
/**
 * Free note.
 */
note: string, };

/**
 * What an activity does.
 */
export type ActivityKind = "deposit" | "withdrawal" | "buy" | "sell" | "dividend" | "interest" | "fee" | "transfer_in" | "transfer_out" | "split";

/**
 * How the capital is repaid.
 */
export type Amortization = "constant" | "in_fine";

/**
 * Everything the UI needs at start.
 */
export type AppInfo = { version: string, data_dir: string, profiles: Array<ProfileView>, session: SessionInfo | null, keychain_available: boolean, os_locale: string, };

/**
 * Something owned or owed.
 */
export type Asset = { 
/**
 * Identifier (ignored on input).
 */
id: number, 
/**
 * Holding account, or `None` when held directly.
 */
account_id: number | null, 
/**
 * Name, unique within its account.
 */
name: string, 
/**
 * Class.
 */
class: AssetClass, 
/**
 * Whether it is owed (counts negative).
 */
liability: boolean, 
/**
 * ISO 4217 currency of its values.
 */
currency: string, 
/**
 * ISIN, checked.
 */
isin: string | null, 
/**
 * Ticker.
 */
ticker: string | null, 
/**
 * Share held, 0–100 %.
 */
share_pct: Decimal, 
/**
 * Kind of ownership.
 */
ownership: Ownership, 
/**
 * Archived assets are hidden from "update values" but keep their history.
 */
archived: boolean, 
/**
 * Components when the asset is a composite (weights sum to 100 %).
 */
components: Array<Component>, 
/**
 * Allocation weights per dimension name (each sums to 100 %). A position's are its
 * instrument's (read-only here).
 */
allocations: { [key in string]: Array<Weight> }, 
/**
 * Whether the app computes its values, and from what (ignored on input).
 */
derived?: Derived | null, 
/**
 * The instrument a position holds (ignored on input).
 */
instrument_id?: number | null, 
/**
 * For a usufruct or a bare ownership valued by article 669 CGI: the
 * usufructuary's birth date (life usufruct, or the cap of a fixed-term one).
 */
usufructuary_born?: string | null, 
/**
 * For a fixed-term usufruct (or its bare ownership): the day the usufruct ends.
 */
usufruct_ends?: string | null, };

/**
 * Asset classes.
 */
export type AssetClass = "cash" | "equity" | "bond" | "fund" | "real_estate" | "scpi" | "crypto" | "precious_metal" | "private_equity" | "vehicle" | "collectible" | "loan" | "other";

/**
 * One entry of the audit log.
 */
export type AuditEvent = { 
/**
 * When it happened (UTC).
 */
at: string, 
/**
 * Event kind.
 */
kind: string, 
/**
 * Non-sensitive detail (method, counts of rows, file format).
 */
detail: string, };

/**
 * A backup of the unlocked profile, with its last verification.
 */
export type BackupEntry = { 
/**
 * When "Verify backups" last checked it (writing verifies too, but is not listed here).
 */
verified_at: string | null, 
/**
 * Result of that check.
 */
ok: boolean | null, 
/**
 * Whether the file's header verified with the profile's key: only such files are
 * the profile's backups (counted, rotated, restorable from the session). False
 * for a file that only names the profile (forged, damaged, or under a key this
 * profile does not know), and for every file listed without unlocking.
 */
authenticated: boolean, 
/**
 * The file.
 */
path: string, 
/**
 * When the snapshot was taken.
 */
created_at: string, 
/**
 * App version that wrote it.
 */
app_version: string, 
/**
 * Schema version of the data inside.
 */
schema_version: number, 
/**
 * Profile name at backup time.
 */
profile_name: string, 
/**
 * File size in bytes.
 */
size: number, 
/**
 * Where it was found.
 */
location: BackupLocation, 
/**
 * Profile id (to match it with a local profile).
 */
profile_id: string, 
/**
 * Why it was made.
 */
kind: BackupKind, 
/**
 * Its snapshot passed the integrity and foreign-key checks when it was made
 * (format 1.1; the daily automatic backup and exports).
 */
snapshot_checked: boolean, };

/**
 * What can be said about a backup file without a password.
 */
export type BackupHeader = { 
/**
 * The file.
 */
path: string, 
/**
 * When the snapshot was taken.
 */
created_at: string, 
/**
 * App version that wrote it.
 */
app_version: string, 
/**
 * Schema version of the data inside.
 */
schema_version: number, 
/**
 * Profile name at backup time.
 */
profile_name: string, 
/**
 * File size in bytes.
 */
size: number, 
/**
 * Where it was found.
 */
location: BackupLocation, 
/**
 * Profile id (to match it with a local profile).
 */
profile_id: string, 
/**
 * Why it was made.
 */
kind: BackupKind, 
/**
 * Its snapshot passed the integrity and foreign-key checks when it was made
 * (format 1.1; the daily automatic backup and exports).
 */
snapshot_checked: boolean, };

/**
 * Why a backup was made.
 */
export type BackupKind = "manual" | "automatic" | "pre_migration" | "export";

/**
 * Where a backup file was found.
 */
export type BackupLocation = "profile" | "second_destination" | "removable" | "browsed";

/**
 * Backup settings of a profile.
 */
export type BackupSettings = { 
/**
 * A second folder (USB stick, synced folder) that receives a copy when present.
 */
second_destination: string | null, 
/**
 * Daily backups kept by rotation.
 */
keep_daily: number, 
/**
 * Weekly backups kept.
 */
keep_weekly: number, 
/**
 * Monthly backups kept.
 */
keep_monthly: number, 
/**
 * Remind the user when the second destination has been missing this many days.
 */
missing_reminder_days: number, 
/**
 * Newest of the profile's own backups in the profile folder, authenticated with
 * its key (computed by [`Session::backup_settings`], ignored when saving).
 */
last_backup_at: string | null, 
/**
 * When the second destination was last present during a backup.
 */
second_destination_last_seen: string | null, 
/**
 * The second destination has been missing for `missing_reminder_days`: remind the
 * user to plug it in (computed, ignored when saving).
 */
second_destination_reminder: boolean, };

/**
 * A breakdown of net worth on a date.
 */
export type Breakdown = { 
/**
 * The date.
 */
date: string, 
/**
 * Base currency.
 */
currency: string, 
/**
 * Net worth.
 */
total: Decimal, 
/**
 * Slices, largest first.
 */
slices: Array<Slice>, 
/**
 * Currencies left out for lack of a rate.
 */
missing_rates: Array<string>, };

/**
 * What a breakdown groups by.
 */
export type BreakdownBy = { "by": "class" } | { "by": "dimension", "name": string } | { "by": "institution" } | { "by": "account" } | { "by": "account_kind" } | { "by": "currency" };

/**
 * Money moved into (positive) or out of (negative) an account.
 */
export type CashFlow = { 
/**
 * Identifier (ignored on input).
 */
id: number, 
/**
 * Account.
 */
account_id: number, 
/**
 * Date.
 */
date: string, 
/**
 * Amount in the account's currency: contributions positive, withdrawals negative.
 */
amount: Decimal, 
/**
 * Free note.
 */
note: string, };

/**
 * A drawn chart.
 */
export type Chart = { 
/**
 * SVG document (with a viewBox, presentation attributes only).
 */
svg: string, 
/**
 * Plot rectangle.
 */
plot: PlotArea, 
/**
 * SVG width.
 */
width: number, 
/**
 * SVG height.
 */
height: number, 
/**
 * Dates of the line's points, for hover (empty for bar charts).
 */
dates: Array<string>, 
/**
 * Exact values at those dates.
 */
values: Array<Decimal>, };

/**
 * What to draw.
 */
export type ChartKind = "networth" | "networth_by_class" | "allocation" | "asset_history";

/**
 * A chart the UI asks for. Missing dates and steps take the defaults below; the
 * size is clamped to what the app can show.
 */
export type ChartRequest = { 
/**
 * What to draw.
 */
kind: ChartKind, 
/**
 * First date of a line chart (default: the first value, or a year before `to`).
 */
from?: string, 
/**
 * Last date of a line chart, or the date of an allocation (default: today).
 */
to?: string, 
/**
 * Sampling of a line chart (default: monthly).
 */
step?: Step, 
/**
 * Grouping of an allocation (default: by class).
 */
by?: BreakdownBy, 
/**
 * The asset of an asset history (required for that kind).
 */
asset_id?: number, 
/**
 * BCP 47 language tag of the labels.
 */
locale: string, 
/**
 * Width in pixels (clamped to 320–2400).
 */
width: number, 
/**
 * Height in pixels (clamped to 160–1600).
 */
height: number, };

/**
 * A failed command.
 */
export type CommandError = { 
/**
 * Stable code, e.g. `wrong_password`.
 */
code: string, 
/**
 * English message for logs and developers.
 */
message: string, 
/**
 * Data some errors carry (seconds to wait, mistyped group, field, import report).
 */
details?: Record<string, unknown>, };

/**
 * A weighted part of a composite asset.
 */
export type Component = { 
/**
 * The component asset.
 */
asset_id: number, 
/**
 * Percentage of the composite.
 */
weight: Decimal, };

/**
 * A new profile and its recovery key (shown once).
 */
export type CreatedProfile = { session: SessionInfo, recovery_key: string, };

/**
 * What changing a credential did: the session after it, a new recovery key to show
 * once when one was made, and whether keychain unlock was turned off because its
 * slot could not follow the new master key.
 */
export type CredentialChanged = { session: SessionInfo, new_recovery_key: string | null, keychain_disabled: boolean, };

/** A decimal number as a canonical string ("10250.25"); never a JS number. */
export type Decimal = string;

/**
 * A deferral ("différé") at the start of the loan.
 */
export type Deferral = "none" | "partial" | "total";

/**
 * Where an asset's values come from when the app computes them.
 */
export type Derived = "position" | "cash" | "loan";

/**
 * An allocation dimension (region, sector, or user-defined).
 */
export type Dimension = { 
/**
 * Identifier.
 */
id: number, 
/**
 * Name.
 */
name: string, 
/**
 * Shipped with the app (cannot be deleted).
 */
builtin: boolean, };

/**
 * Which rule gave a share, for the asset detail ("usufruit viager, 67 ans : 40 %").
 */
export type DismemberedShare = { 
/**
 * Value of the usufruct, in % of the full ownership.
 */
usufruct_pct: Decimal, 
/**
 * Value of the bare ownership, in % of the full ownership (100 − usufruct).
 */
bare_pct: Decimal, 
/**
 * The usufructuary's age in completed years on the date, when a birth date is known.
 */
age: number | null, 
/**
 * Fixed term only: the remaining duration in started years (1 day → 1, exactly ten
 * years → 10, ten years and a day → 11); 0 once ended.
 */
years_left: number | null, 
/**
 * Fixed term only: the started periods of ten years left (the multiplier of 23 %);
 * 0 once ended.
 */
periods: number | null, 
/**
 * Fixed term only: whether the value is the (lower) life usufruct for the age.
 */
capped_by_life: boolean, 
/**
 * First day of the barème edition applied.
 */
edition_from: string, 
/**
 * Where that edition is published (Légifrance).
 */
source: string, };

/**
 * A property's value, its linked loans and its net equity on a date.
 */
export type Equity = { 
/**
 * The date.
 */
date: string, 
/**
 * The property's value (its share applied).
 */
value: Decimal, 
/**
 * The linked loans' outstanding capital (their shares applied, positive).
 */
loans: Decimal, 
/**
 * Value − loans.
 */
equity: Decimal, };

/**
 * The two export formats.
 */
export type ExportFormat = "json" | "csv";

/**
 * A backup exported to a path the user chose.
 */
export type ExportedBackup = { 
/**
 * The file.
 */
path: string, 
/**
 * Its size in bytes.
 */
size: number, 
/**
 * SHA-256 of the bytes read back from the destination (also in `<path>.sha256`).
 */
sha256: string, };

/**
 * What an ECB import did.
 */
export type FxImportReport = { 
/**
 * Rates written.
 */
rates: number, 
/**
 * Currencies seen.
 */
currencies: Array<string>, 
/**
 * First date in the file.
 */
first_date: string | null, 
/**
 * Last date in the file.
 */
last_date: string | null, };

/**
 * A rate: `rate` units of `currency` buy 1 EUR on `date`.
 */
export type FxRate = { 
/**
 * ISO 4217 code.
 */
currency: string, 
/**
 * Date.
 */
date: string, 
/**
 * Units per euro.
 */
rate: Decimal, };

/**
 * State of a profile found by the startup health check.
 */
export type HealthState = "ok" | "vault_missing" | "vault_damaged" | "slots_damaged" | "restore_interrupted";

/**
 * An account's positions and cash on a date, from its activities.
 */
export type Holdings = { 
/**
 * The account.
 */
account_id: number, 
/**
 * The date.
 */
date: string, 
/**
 * The account's currency.
 */
currency: string, 
/**
 * Cash from the activities (account currency).
 */
cash: Decimal, 
/**
 * Positions held (units > 0), by instrument name; sold-out ones with a realised gain too.
 */
positions: Array<Position>, 
/**
 * Per year up to the date.
 */
years: Array<YearIncome>, 
/**
 * How many activities up to the date.
 */
activities: number, };

/**
 * Which CSV layout a file was read as, from its header.
 */
export type ImportLayout = "values" | "activities" | "prices";

/**
 * What an import did, or would do.
 */
export type ImportReport = { 
/**
 * The layout the header was recognised as.
 */
layout: ImportLayout, 
/**
 * Data lines read.
 */
lines: number, 
/**
 * Lines imported (or importable in a dry run).
 */
imported: number, 
/**
 * Lines skipped because invalid.
 */
skipped: number, 
/**
 * Institutions created.
 */
institutions_created: number, 
/**
 * Accounts created.
 */
accounts_created: number, 
/**
 * Assets created.
 */
assets_created: number, 
/**
 * New value points.
 */
values_inserted: number, 
/**
 * Value points replaced.
 */
values_updated: number, 
/**
 * Activities recorded.
 */
activities_inserted: number, 
/**
 * New prices.
 */
prices_inserted: number, 
/**
 * Prices replaced.
 */
prices_updated: number, 
/**
 * Instruments created.
 */
instruments_created: number, 
/**
 * Whether nothing was written.
 */
dry_run: boolean, 
/**
 * Problems, by line.
 */
errors: Array<LineError>, };

/**
 * One line of a schedule.
 */
export type Installment = { 
/**
 * 1-based payment number; a repayment line carries the number of the payment it follows
 * (0 before the first one).
 */
number: number, 
/**
 * Date.
 */
date: string, 
/**
 * What the line is.
 */
row: Row, 
/**
 * Capital plus interest paid on the line, insurance excluded.
 */
payment: Decimal, 
/**
 * Interest of the month (for a total deferral: the interest capitalised).
 */
interest: Decimal, 
/**
 * Capital repaid on the line; negative in a total deferral (interest capitalised).
 */
capital: Decimal, 
/**
 * Insurance paid on the line.
 */
insurance: Decimal, 
/**
 * Capital outstanding after the line.
 */
remaining: Decimal, };

/**
 * A bank, insurer, broker, or "held directly".
 */
export type Institution = { 
/**
 * Identifier (ignored on input).
 */
id: number, 
/**
 * Name, unique ignoring case.
 */
name: string, 
/**
 * Kind.
 */
kind: InstitutionKind, 
/**
 * Free notes.
 */
notes: string, };

/**
 * What kind of institution holds accounts.
 */
export type InstitutionKind = "bank" | "insurer" | "broker" | "direct" | "other";

/**
 * An institution's total on a date.
 */
export type InstitutionTotal = { 
/**
 * The institution.
 */
institution_id: number, 
/**
 * The sum of its accounts' values (base currency).
 */
value: Decimal, };

/**
 * A security, fund or crypto-asset.
 */
export type Instrument = { 
/**
 * Identifier (ignored on input).
 */
id: number, 
/**
 * Name, unique ignoring case.
 */
name: string, 
/**
 * ISIN, checked with its check digit; unique.
 */
isin: string | null, 
/**
 * Ticker.
 */
ticker: string | null, 
/**
 * ISO 4217 currency of its prices.
 */
currency: string, 
/**
 * Asset class.
 */
class: AssetClass, 
/**
 * Archived instruments are left out of "update prices".
 */
archived: boolean, 
/**
 * Allocation weights per dimension name (each sums to 100 %), shared by every
 * account holding it.
 */
allocations: { [key in string]: Array<Weight> }, };

/**
 * What a partial early repayment keeps.
 */
export type Keep = "payment" | "term";

/**
 * An instrument's latest price.
 */
export type LatestPrice = { 
/**
 * Instrument.
 */
instrument_id: number, 
/**
 * Date of the price.
 */
date: string, 
/**
 * The price.
 */
price: Decimal, };

/**
 * The latest value of an asset (for the "update values" screen).
 */
export type LatestValue = { 
/**
 * Asset.
 */
asset_id: number, 
/**
 * Date of its latest value.
 */
date: string, 
/**
 * The value, in the asset's currency.
 */
value: Decimal, };

/**
 * One problem on one line.
 */
export type LineError = { 
/**
 * 1-based line number in the file (the header is line 1).
 */
line: number, 
/**
 * Column concerned, if one.
 */
column: string | null, 
/**
 * Stable code. Every layout: `missing_column` (line 1), `malformed`, `required`,
 * `bad_date`, `bad_number`, `bad_currency`, `too_long`. Values: `bad_account_kind`,
 * `bad_asset_class`, `bad_share`, `bad_ownership`, `kind_conflict`,
 * `currency_conflict`, `share_conflict`, `values_derived`. Activities: `bad_account_kind`,
 * `bad_activity_type`, `bad_asset_class`, `bad_name`, `bad_isin`, `isin_check_digit`,
 * `isin_conflict`, `not_positive`, `price_not_positive`, `split_ratio_invalid`,
 * `before_account_opening`, `sell_exceeds_position`, `kind_conflict`,
 * `currency_conflict`, and `invalid_input` (any other rule of an activity). Prices:
 * `bad_name`, `bad_isin`, `isin_check_digit`, `isin_conflict`, `bad_asset_class`,
 * `price_not_positive`, `currency_conflict`.
 */
code: string, 
/**
 * English explanation (never contains amounts).
 */
message: string, };

/**
 * A loan: its asset, terms, early repayments and the property it financed.
 */
export type Loan = { 
/**
 * The liability asset that carries the outstanding capital (ignored on input).
 */
asset_id: number, 
/**
 * The account it is held in (a loan account), or `None` when held directly.
 */
account_id: number | null, 
/**
 * Name, unique within its account.
 */
name: string, 
/**
 * Currency.
 */
currency: string, 
/**
 * Share borne, 0–100 % (a loan taken out by two: 50).
 */
share_pct: Decimal, 
/**
 * Terms from the loan offer.
 */
terms: LoanTerms, 
/**
 * The property (asset) it financed.
 */
linked_asset_id: number | null, 
/**
 * Early repayments, by date (ignored on input).
 */
repayments: Array<RecordedRepayment>, };

/**
 * A loan's schedule with its state on a date.
 */
export type LoanSchedule = { 
/**
 * The loan.
 */
loan: Loan, 
/**
 * Every line and the totals.
 */
schedule: Schedule, 
/**
 * The date of the state below.
 */
date: string, 
/**
 * Capital outstanding on the date.
 */
outstanding: Decimal, 
/**
 * Interest paid up to the date.
 */
interest_paid: Decimal, 
/**
 * Interest still to pay after the date.
 */
interest_to_pay: Decimal, 
/**
 * Insurance paid up to the date.
 */
insurance_paid: Decimal, 
/**
 * Insurance still to pay after the date.
 */
insurance_to_pay: Decimal, 
/**
 * The date of the last line (the end of the loan).
 */
ends_on: string | null, };

/**
 * The terms of a loan, as written in the loan offer.
 */
export type LoanTerms = { 
/**
 * Capital borrowed, greater than zero (rounded to the cent by [`schedule`]).
 */
principal: Decimal, 
/**
 * Nominal annual rate in percent (`1.35` for 1.35 %), from 0 to 100.
 */
annual_rate: Decimal, 
/**
 * Number of monthly payments, deferral months included: 1 to 600.
 */
months: number, 
/**
 * Date of payment no. 1; payment `k` falls `k − 1` months later (the 31st becomes the
 * last day of shorter months).
 */
first_payment: string, 
/**
 * Monthly insurance, zero or more, paid every month (deferral included) until the loan
 * ends; not part of the capital.
 */
insurance: Decimal, 
/**
 * How the capital is repaid.
 */
amortization: Amortization, 
/**
 * Deferral at the start.
 */
deferral: Deferral, 
/**
 * Number of deferred months: 0 without deferral, less than `months`.
 */
deferral_months: number, };

/**
 * Net worth on a date.
 */
export type NetWorth = { 
/**
 * The date.
 */
date: string, 
/**
 * Base currency.
 */
currency: string, 
/**
 * Assets minus liabilities, rounded to cents.
 */
net_worth: Decimal, 
/**
 * Sum of what is owned.
 */
assets: Decimal, 
/**
 * Sum of what is owed (positive number).
 */
liabilities: Decimal, 
/**
 * Currencies whose values were left out because no rate was known on or before the date.
 */
missing_rates: Array<string>, };

/**
 * Why a return is not given.
 */
export type NoReturn = "nothing_invested" | "liabilities_only" | "no_revaluation" | "no_solution";

/**
 * Kind of ownership of an asset.
 */
export type Ownership = "full" | "usufruct" | "bare";

/**
 * Performance over `[from, to]`. The change of net worth is
 * `net_flows + new_items − removed_items + gain − new_debt + capital_repaid`.
 */
export type Performance = { 
/**
 * Account (None: whole profile).
 */
account_id: number | null, 
/**
 * Start of the range.
 */
from: string, 
/**
 * End of the range.
 */
to: string, 
/**
 * Net value at the start (assets − debts, base currency).
 */
start_value: Decimal, 
/**
 * Net value at the end.
 */
end_value: Decimal, 
/**
 * Contributions minus withdrawals entered as cash flows within the range.
 */
net_flows: Decimal, 
/**
 * First values of the assets that appeared within the range (brought in, not gained).
 */
new_items: Decimal, 
/**
 * Last values of the assets whose value dropped to zero within the range (taken out).
 */
removed_items: Decimal, 
/**
 * Revaluation of the assets: end − start − net flows − new items + removed items.
 */
gain: Decimal, 
/**
 * Outstanding debts at the start (positive).
 */
debt_start: Decimal, 
/**
 * Outstanding debts at the end (positive).
 */
debt_end: Decimal, 
/**
 * First amounts of the debts that appeared within the range (new borrowing).
 */
new_debt: Decimal, 
/**
 * Capital repaid: debt at the start + new debt − debt at the end.
 */
capital_repaid: Decimal, 
/**
 * Interest paid within the range on the loans held with their terms (their shares
 * applied): what the debts cost. It is paid from the accounts, so it is already in
 * their values; it is reported here, not counted twice.
 */
interest_paid: Decimal, 
/**
 * Time-weighted return of the assets over the range (0.05 = 5 %), if defined.
 */
twr: Decimal | null, 
/**
 * Why `twr` is not given.
 */
twr_missing: NoReturn | null, 
/**
 * Annualised money-weighted return (XIRR) of the assets, if defined.
 */
xirr: Decimal | null, 
/**
 * Why `xirr` is not given.
 */
xirr_missing: NoReturn | null, };

/**
 * The plotting rectangle inside the SVG, for pointer mapping in the UI.
 */
export type PlotArea = { 
/**
 * Left edge.
 */
left: number, 
/**
 * Top edge.
 */
top: number, 
/**
 * Width.
 */
width: number, 
/**
 * Height.
 */
height: number, };

/**
 * A position of an account on a date.
 */
export type Position = { 
/**
 * The instrument.
 */
instrument_id: number, 
/**
 * The asset that carries its values.
 */
asset_id: number | null, 
/**
 * Units held.
 */
units: Decimal, 
/**
 * The price used (the latest on or before the date), if any.
 */
price: Decimal | null, 
/**
 * Its date.
 */
price_date: string | null, 
/**
 * Units × price (the cost while no price is known), instrument currency.
 */
value: Decimal, 
/**
 * What the units held cost, fees included (average cost method).
 */
cost: Decimal, 
/**
 * Cost per unit (PRU), rounded to 4 decimals.
 */
average_cost: Decimal | null, 
/**
 * Value − cost.
 */
unrealised: Decimal, 
/**
 * Gains realised by sales up to the date.
 */
realised: Decimal, 
/**
 * Dividends received from it up to the date.
 */
income: Decimal, 
/**
 * The instrument's currency.
 */
currency: string, };

/**
 * A unit price on a date, in the instrument's currency.
 */
export type PricePoint = { 
/**
 * Instrument.
 */
instrument_id: number, 
/**
 * Date.
 */
date: string, 
/**
 * Unit price (> 0).
 */
price: Decimal, 
/**
 * Origin.
 */
source: Source, };

/**
 * One profile's health.
 */
export type ProfileHealth = { 
/**
 * Profile name.
 */
name: string, 
/**
 * What was found.
 */
state: HealthState, };

/**
 * A profile as the UI lists it.
 */
export type ProfileView = { id: string, name: string, admin: boolean, created_at: string, keychain_enabled: boolean, };

/**
 * An early repayment as recorded.
 */
export type RecordedRepayment = { 
/**
 * Identifier.
 */
id: number, 
/**
 * The repayment.
 */
repayment: Repayment, };

/**
 * An early repayment ("remboursement anticipé").
 */
export type Repayment = { 
/**
 * Date; the repayment comes after every payment dated on or before it.
 */
date: string, 
/**
 * Capital repaid (rounded to the cent); `None` repays everything that remains.
 */
amount: Decimal | null, 
/**
 * What a partial repayment keeps (ignored for a total one and for in-fine loans).
 */
keep: Keep, };

/**
 * What a backup holds, shown before restoring it.
 */
export type RestorePreview = { 
/**
 * When the backup was made.
 */
created_at: string, 
/**
 * Profile name in the backup.
 */
profile_name: string, 
/**
 * Number of institutions.
 */
institutions: number, 
/**
 * Number of accounts.
 */
accounts: number, 
/**
 * Number of assets.
 */
assets: number, 
/**
 * Number of values.
 */
values: number, 
/**
 * Net worth on the backup's date.
 */
net_worth: Decimal, 
/**
 * Currency of the net worth (the profile's base currency).
 */
currency: string, };

/**
 * A restored profile's session, and the new recovery key a profile restored as new
 * gets (shown once).
 */
export type RestoredView = { session: SessionInfo, new_recovery_key: string | null, };

/**
 * What a schedule line is.
 */
export type Row = "payment" | "deferred" | "repayment";

/**
 * A whole schedule with its totals.
 */
export type Schedule = { 
/**
 * Lines in date order (a repayment after the payments dated on or before it).
 */
installments: Array<Installment>, 
/**
 * Interest actually paid: payment lines and partially deferred lines. The interest
 * capitalised by a total deferral is not counted (it is repaid as capital later), so
 * `total_paid = principal + total_interest + total_insurance + capitalised interest`.
 */
total_interest: Decimal, 
/**
 * Insurance paid.
 */
total_insurance: Decimal, 
/**
 * Everything paid: payments (early repayments included) plus insurance.
 */
total_paid: Decimal, };

/**
 * A net-worth series, optionally split into stacks (e.g. by asset class).
 */
export type Series = { 
/**
 * Base currency.
 */
currency: string, 
/**
 * Sample dates.
 */
dates: Array<string>, 
/**
 * Net worth at each date (rounded to cents).
 */
totals: Array<Decimal>, 
/**
 * Stacks: label and value at each date (empty unless asked for).
 */
stacks: Array<Stack>, 
/**
 * Currencies without a rate at some sample date (their values are left out there).
 */
missing_rates: Array<string>, };

/**
 * The unlocked session as the UI sees it.
 */
export type SessionInfo = { profile: ProfileView, base_currency: string, must_set_password: boolean, keychain_enabled: boolean, auto_lock_minutes: number, 
/**
 * The profile's backup folder (Settings › About).
 */
backup_dir: string, };

/**
 * One slice of a breakdown.
 */
export type Slice = { 
/**
 * Stable key: a token (class, kind), a bucket label, an id, or "unclassified" / "direct".
 */
key: string, 
/**
 * Human label (the name for institutions and accounts, otherwise the key).
 */
label: string, 
/**
 * Value (negative for liabilities).
 */
value: Decimal, 
/**
 * Share of the sum of positive slices, in percent (2 decimals).
 */
percent: Decimal, };

/**
 * Where a value came from.
 */
export type Source = "manual" | "import" | "derived";

/**
 * One stacked layer of a series.
 */
export type Stack = { 
/**
 * Stable key (e.g. the asset-class token).
 */
key: string, 
/**
 * Values at each date.
 */
values: Array<Decimal>, };

/**
 * An asset whose last value is old.
 */
export type StaleAsset = { 
/**
 * Asset id.
 */
asset_id: number, 
/**
 * Name.
 */
name: string, 
/**
 * Date of its last value, if any.
 */
last_date: string | null, 
/**
 * Days since then (None: never valued).
 */
age_days: number | null, };

/**
 * Sampling step of a series.
 */
export type Step = "daily" | "weekly" | "monthly";

/**
 * Counts from a bulk upsert.
 */
export type UpsertCount = { 
/**
 * New points.
 */
inserted: number, 
/**
 * Points that replaced an existing one on the same date.
 */
updated: number, };

/**
 * The value of one asset on one date, in the asset's currency.
 */
export type ValuePoint = { 
/**
 * Asset.
 */
asset_id: number, 
/**
 * Date.
 */
date: string, 
/**
 * Value (for a liability: the outstanding amount, positive).
 */
value: Decimal, 
/**
 * Quantity held, if known.
 */
quantity: Decimal | null, 
/**
 * Unit price, if known.
 */
unit_price: Decimal | null, 
/**
 * Origin.
 */
source: Source, };

/**
 * A bucket of an allocation dimension and its weight.
 */
export type Weight = { 
/**
 * Bucket label, e.g. "Europe".
 */
bucket: string, 
/**
 * Percentage.
 */
weight: Decimal, };

/**
 * Income and realised gains of one year.
 */
export type YearIncome = { 
/**
 * The year.
 */
year: number, 
/**
 * Dividends and interest (account currency).
 */
income: Decimal, 
/**
 * Gains realised by sales (instrument currencies summed when they are the account's).
 */
realised: Decimal, 
/**
 * Fees charged (fee activities).
 */
fees: Decimal, };
