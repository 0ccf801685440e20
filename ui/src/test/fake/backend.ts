//! An in-memory fake of the Rust backend, typed against the generated contract: its
//! handler table has exactly one entry per command of `Commands`, taking that
//! command's arguments and returning its result, so it cannot answer a command the
//! backend lacks, miss one, or answer with another shape. What it answers follows the
//! core (same codes, same values, same defaults), checked by the shared scenarios of
//! `tests/scenarios/` that also run against the real core. Used by the component
//! tests, the Chromium flows (bundled by e2e/run.mjs) and `npm run dev`.
import type { Args, CommandName, Result } from '../../lib/ipc/generated/commands';
import type {
  Account, AccountKind, Asset, AssetClass, BackupEntry, BackupHeader, BackupSettings, BreakdownBy, CashFlow, ChartRequest, Component,
  Dimension, FxRate, ImportReport, Institution, ProfileHealth, ProfileView, SessionInfo, ValuePoint, Weight,
} from '../../lib/ipc/generated/types';
import {
  ACCOUNT_KINDS, APP_VERSION, ASSET_CLASSES, BACKUP_DEFAULTS, INSTITUTION_KINDS, LIMITS, OWNERSHIPS, SCHEMA_VERSION,
} from '../../lib/ipc/generated/constants';
import { addDays, today } from '../../lib/dates';
import { Dec, sum } from './decimal';
import { displayKey, newKeyBytes, parseKey, sameKey } from './recoveryKey';
import { allocationChart, chartSize, lineChart, TINY_PNG } from './charts';
import {
  audit, bool, checkPassword, compareNocase, currency, date, dec, emptyVault, fail, int, invalid, isinCheckDigitOk,
  isinShapeOk, itemName, nextId, nocase, optDate, optDec, optStr, profileName, record, removeAsset, str, stored, token, uint,
  type Backup, type FakeError, type Profile, type Vault,
} from './model';
import { accountsOverview, breakdown, firstValueDate, netWorth, performance, series, staleAssets } from './valuation';
import {
  addActivities, addOpeningPosition, createInstrument, deleteActivity, deleteInstrument, deletePrice, holdings, instrumentPrices,
  latestPrices, listActivities, listInstruments, setPrices, tradedAsset, updateActivity, updateInstrument,
} from './securities';
import {
  addRepayment, assetDismemberedShare, createLoan, deleteRepayment, equity, listLoans, loanSchedule, updateLoan,
} from './loans';
import { seedDemo } from './demo';

/** One handler per command of the contract. */
export type Handlers = { [C in CommandName]: (args: Args<C>) => Result<C> | Promise<Result<C>> };

export interface FakeOptions {
  /** Failed unlocks before the first wait (the core: 3). */
  throttleAfter?: number;
  /** The first wait, in seconds; it doubles with each further failure (the core: 5). */
  throttleSecs?: number;
  keychainAvailable?: boolean;
  /** What `startup_health` reports (default: every profile ok). */
  health?: ProfileHealth[];
  dataDir?: string;
  /** A profile "Demo" (password "demo password") with two years of data. */
  demo?: boolean;
  /** A backup of a profile not on this computer, on a USB stick. */
  foreignBackup?: boolean;
  /** Delay before each answer, in milliseconds. */
  delayMs?: number;
  /** Folders that exist (a second backup destination is "present" when listed). */
  directories?: string[];
  /** Files that exist and are not backups. */
  files?: string[];
}

export interface FakeCall {
  cmd: string;
  args: Record<string, unknown> | undefined;
}

export interface FakeBackend {
  /** Answers a command as Tauri's `invoke` would (rejects with `{ code, message, details? }`). */
  handle(cmd: string, args?: Record<string, unknown>): Promise<unknown>;
  calls: FakeCall[];
  profiles: Profile[];
  readonly session: Profile | null;
  /** A backup of `profile` made three days ago, on a USB stick; returns its path. */
  addRemovableBackup(profile: string): string;
  setHealth(h: ProfileHealth[]): void;
}

type Method = 'password' | 'recovery_key' | 'keychain' | 'created';

const DAY_MS = 86_400_000;

/** `AccountKind::balance_class`. */
function balanceClass(kind: AccountKind): AssetClass {
  switch (kind) {
    case 'loan': return 'loan';
    case 'crypto': return 'crypto';
    case 'real_estate': return 'real_estate';
    case 'life_insurance': return 'fund';
    default: return 'cash';
  }
}

const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function randomHex(bytes: number): string {
  const b = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** `store::file_stem`: a slug of the profile name and the time. */
function fileStem(name: string, at: string): string {
  const slug = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'profile';
  return `${slug}-${at.replace(/[-:]/g, '').replace(/(\.\d{3})\d*Z$/, '$1Z')}`;
}

export function createFakeBackend(options: FakeOptions = {}): FakeBackend {
  const opts = {
    throttleAfter: 3, throttleSecs: 5, keychainAvailable: true, health: [] as ProfileHealth[],
    dataDir: '/home/user/.local/share/patrimoine', demo: false, foreignBackup: false, delayMs: 0,
    directories: ['/media/user/USB/Patrimoine'], files: ['/dev/null', '/home/user/releves.csv'],
    ...options,
  };
  const profiles: Profile[] = [];
  const removable: Backup[] = [];
  let session: { p: Profile; method: Method } | null = null;

  // ---- Profiles, sessions, credentials ---------------------------------------------

  const view = (p: Profile): ProfileView => ({
    id: p.id, name: p.name, admin: p.admin, created_at: p.created_at, keychain_enabled: p.keychainEnabled,
  });
  const sessionInfo = (s: { p: Profile; method: Method }): SessionInfo => ({
    profile: view(s.p), base_currency: s.p.vault.baseCurrency, must_set_password: s.method === 'recovery_key',
    keychain_enabled: s.p.keychainEnabled, auto_lock_minutes: s.p.vault.autoLockMinutes,
    backup_dir: `${opts.dataDir}/profiles/${s.p.id}/backups`,
  });
  const need = (): { p: Profile; method: Method } => session ?? fail('locked', 'no profile is unlocked');
  const vault = (): Vault => need().p.vault;
  const byName = (name: string): Profile => profiles.find((p) => p.name === name) ?? fail('profile_not_found', 'no such profile');

  function newProfile(name: string, password: string, base: string, seed?: number): Profile {
    const p: Profile = {
      id: randomHex(8), name, admin: profiles.length === 0, created_at: new Date().toISOString(), keychainEnabled: false,
      password, recoveryKey: displayKey(newKeyBytes(seed)), vault: emptyVault(base), backups: [],
      backupSettings: {
        second_destination: BACKUP_DEFAULTS.second_destination, keep_daily: BACKUP_DEFAULTS.keep_daily,
        keep_weekly: BACKUP_DEFAULTS.keep_weekly, keep_monthly: BACKUP_DEFAULTS.keep_monthly,
        missing_reminder_days: BACKUP_DEFAULTS.missing_reminder_days, second_destination_last_seen: null,
      },
      verifications: new Map(), consecutiveFailures: 0, lastFailureAt: null, unreported: [],
    };
    audit(p.vault, 'profile_created');
    profiles.push(p);
    return p;
  }

  /** `throttle::delay_after`, in seconds. */
  const delayAfter = (failures: number) =>
    failures < opts.throttleAfter ? 0 : Math.min(opts.throttleSecs * 2 ** Math.min(failures - opts.throttleAfter, 10), 900);

  /** `throttle::guarded`: waits after repeated failures; a wrong credential counts one more. */
  function guarded<T>(p: Profile, method: string, attempt: () => T): T {
    if (p.unreported.length > 0 && p.lastFailureAt !== null) {
      const left = delayAfter(p.consecutiveFailures) * 1000 - (Date.now() - p.lastFailureAt);
      if (left > 0) {
        const secs = Math.ceil(left / 1000);
        fail('throttled', `too many failed attempts; try again in ${secs} s`, { retry_after_secs: secs });
      }
    }
    try {
      return attempt();
    } catch (e) {
      const code = (e as FakeError).code;
      if (code === 'wrong_password' || code === 'wrong_recovery_key') {
        p.consecutiveFailures += 1;
        p.lastFailureAt = Date.now();
        p.unreported.push({ at: new Date().toISOString(), method });
      }
      throw e;
    }
  }

  /** `Session::open`: failures since the last unlock go to the audit log, then this one. */
  function open(p: Profile, method: Method): SessionInfo {
    for (const f of p.unreported) p.vault.audit.push({ at: f.at, kind: 'unlock_failed', detail: f.method });
    p.unreported = [];
    p.consecutiveFailures = 0;
    p.lastFailureAt = null;
    audit(p.vault, 'unlock_ok', method);
    session = { p, method };
    return sessionInfo(session);
  }

  /** `Credential::choose`: a recovery key wins over a password; neither is an error. */
  type Credential = { kind: 'password'; password: string } | { kind: 'recovery_key'; key: Uint8Array };
  function parsedKey(text: string | null | undefined): Uint8Array | null {
    if (text === undefined || text === null) return null;
    const parsed = parseKey(str('recovery_key', text));
    if (parsed.ok) return parsed.bytes;
    if (parsed.code === 'recovery_key_typo') fail('recovery_key_typo', `recovery key group ${parsed.group} is mistyped`, { group: parsed.group });
    return fail('recovery_key_format', 'a recovery key has 8 groups of 8 characters');
  }
  function choose(password: string | null | undefined, key: Uint8Array | null): Credential | null {
    if (key) return { kind: 'recovery_key', key };
    if (password !== undefined && password !== null) return { kind: 'password', password: str('password', password) };
    return null;
  }
  const required = (c: Credential | null): Credential => c ?? invalid('password', 'a password or a recovery key is needed');
  /** `Credential::confirming`: a change confirmed by no credential is `credential_needed`. */
  const confirming = (c: Credential | null): Credential => c ?? fail('credential_needed', 'confirm with your current password or recovery key');
  function opens(c: Credential, password: string, recoveryKey: string): void {
    if (c.kind === 'password') {
      if (c.password !== password) fail('wrong_password', 'wrong password');
    } else {
      const real = parseKey(recoveryKey);
      if (!real.ok || !sameKey(real.bytes, c.key)) fail('wrong_recovery_key', 'wrong recovery key');
    }
  }
  /** `Session::reauthenticate`: the current credential typed again, throttled like an unlock. */
  function reauth(p: Profile, c: Credential): void {
    guarded(p, `reauth:${c.kind}`, () => opens(c, p.password, p.recoveryKey));
  }
  const changed = (newKey: string | null = null) => ({
    session: sessionInfo(need()), new_recovery_key: newKey, keychain_disabled: false,
  });

  // ---- Backups ----------------------------------------------------------------------

  /** A backup file of `p`; `checked`: its snapshot passed the full checks (the daily
   *  background backup and exports do; one made on demand or on lock does not). */
  function makeBackup(p: Profile, kind: Backup['kind'], at = new Date().toISOString(), location: Backup['location'] = 'profile', checked = kind === 'export'): Backup {
    const dir = location === 'removable' ? '/media/user/USB' : `${opts.dataDir}/profiles/${p.id}/backups`;
    const snapshot = copy(p.vault);
    return {
      path: `${dir}/${fileStem(p.name, at)}.patrimoine-backup`, created_at: at, app_version: APP_VERSION,
      schema_version: SCHEMA_VERSION, profile_name: p.name, size: 48213 + p.vault.values.length * 64, location,
      profile_id: p.id, kind, snapshot_checked: checked, snapshot,
      password: p.password, recoveryKey: p.recoveryKey,
    };
  }
  /** `make_backup`: into the profile folder (the second destination, when present, is seen). */
  function backupNow(p: Profile, kind: Backup['kind']): Backup {
    const b = makeBackup(p, kind);
    p.backups.push(b);
    const second = p.backupSettings.second_destination;
    if (second !== null && opts.directories.includes(second)) p.backupSettings.second_destination_last_seen = b.created_at;
    p.vault.changed = false;
    audit(p.vault, 'backup', kind);
    return b;
  }
  const header = (b: Backup, location = b.location): BackupHeader => ({
    path: b.path, created_at: b.created_at, app_version: b.app_version, schema_version: b.schema_version,
    profile_name: b.profile_name, size: b.size, location, profile_id: b.profile_id, kind: b.kind,
    snapshot_checked: b.snapshot_checked,
  });
  const newestFirst = <T extends { created_at: string }>(list: T[]) => [...list].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  function entries(p: Profile): BackupEntry[] {
    return newestFirst(p.backups).map((b) => {
      const v = p.verifications.get(b.path);
      return { ...header(b), verified_at: v?.verified_at ?? null, ok: v?.ok ?? null, authenticated: !b.forged };
    });
  }
  function backupSettings(p: Profile): BackupSettings {
    const s = p.backupSettings;
    const seen = s.second_destination_last_seen === null ? null : Date.parse(s.second_destination_last_seen);
    const overdue = s.second_destination !== null && (seen === null || Date.now() - seen > s.missing_reminder_days * DAY_MS);
    const ours = newestFirst(p.backups.filter((b) => !b.forged));
    return { ...s, last_backup_at: ours[0]?.created_at ?? null, second_destination_reminder: overdue };
  }
  const allBackups = () => [...profiles.flatMap((p) => p.backups), ...removable];
  /** `backup::inspect` and friends: a known backup, or what reading the file says. */
  function readBackup(path: string): Backup {
    const b = allBackups().find((x) => x.path === path);
    if (b) return b;
    if (/damaged/.test(path)) fail('backup_damaged', 'the backup is damaged');
    if (opts.files.includes(path) || /not-a-backup/.test(path)) fail('not_a_backup', 'not a Patrimoine backup');
    return fail('io', `${path}: no such file or directory`);
  }
  /** `unlock_for`: a backup of a profile here opens with its current credential, else with its own. */
  function unlockBackup(b: Backup, c: Credential): Profile | null {
    const local = profiles.find((p) => p.id === b.profile_id) ?? null;
    if (local) guarded(local, `restore:${c.kind}`, () => opens(c, local.password, local.recoveryKey));
    else opens(c, b.password, b.recoveryKey);
    return local;
  }
  /** The backup's data in place of the profile's (its backups and settings stay). */
  function install(p: Profile, b: Backup): void {
    p.vault = copy(b.snapshot);
    p.vault.changed = false;
  }

  // ---- Wealth input ---------------------------------------------------------------

  function institutionInput(raw: unknown) {
    const i = record('input', raw);
    return {
      name: itemName('name', i.name), kind: token('kind', i.kind, INSTITUTION_KINDS),
      notes: i.notes === undefined ? '' : str('notes', i.notes),
    };
  }
  function accountInput(v: Vault, raw: unknown) {
    const a = record('input', raw);
    const institution_id = int('institution_id', a.institution_id);
    const kind = token('kind', a.kind, ACCOUNT_KINDS);
    const opened_on = optDate('opened_on', a.opened_on);
    const closed_on = optDate('closed_on', a.closed_on);
    const name = itemName('name', a.name);
    const cur = currency(a.currency);
    if (opened_on && closed_on && closed_on < opened_on) invalid('closed_on', 'the closing date is before the opening date');
    if (!v.institutions.some((x) => x.id === institution_id)) fail('not_found', 'institution not found');
    return { institution_id, name, kind, currency: cur, opened_on, closed_on };
  }
  function checkWeights(dimension: string, weights: Dec[]): void {
    const total = sum(weights);
    if (total.cmp(Dec.HUNDRED) !== 0) fail('weights_not_100', `the weights of ${dimension} sum to ${total.trimmed()}, not 100`, { dimension });
  }
  /** `Vault::check_asset`. What the app computes stays as stored (whether the values
   *  are derived, a position's instrument, whose name, class and currency it takes). */
  function assetInput(v: Vault, raw: unknown, self: number | null): Omit<Asset, 'id'> {
    const a = record('input', raw);
    const account_id = a.account_id === undefined || a.account_id === null ? null : int('account_id', a.account_id);
    let cls = token('class', a.class, ASSET_CLASSES);
    const ownership = token('ownership', a.ownership, OWNERSHIPS);
    const liabilityIn = bool('liability', a.liability);
    const shareRaw = dec('share_pct', a.share_pct);
    const archived = a.archived === undefined ? false : bool('archived', a.archived);
    let components: Component[] = (a.components === undefined ? [] : (a.components as unknown[])).map((c) => {
      const r = record('components', c);
      return { asset_id: int('asset_id', r.asset_id), weight: stored(dec('weight', r.weight)) };
    });
    const allocations: Record<string, Weight[]> = {};
    let rawAlloc = a.allocations === undefined ? {} : record('allocations', a.allocations);
    let usufructuary_born = optDate('usufructuary_born', a.usufructuary_born);
    let usufruct_ends = optDate('usufruct_ends', a.usufruct_ends);
    const storedRow = self === null ? undefined : v.assets.find((x) => x.id === self);
    const derived = storedRow?.derived ?? null;
    const instrument_id = storedRow?.instrument_id ?? null;
    let nameIn = a.name;
    let curIn = a.currency;
    if (instrument_id !== null) {
      const i = v.instruments.find((x) => x.id === instrument_id)!;
      nameIn = i.name;
      cls = i.class;
      curIn = i.currency;
      rawAlloc = {};
      components = [];
    }
    const name = itemName('name', nameIn);
    const cur = currency(curIn);
    if (shareRaw.sign() < 0 || shareRaw.cmp(Dec.HUNDRED) > 0) invalid('share_pct', 'a percentage between 0 and 100');
    if (ownership === 'full') {
      usufructuary_born = null;
      usufruct_ends = null;
    }
    if (usufructuary_born !== null) {
      if (usufructuary_born > today()) fail('birth_date_in_future', 'the birth date is in the future');
      if (usufruct_ends !== null && usufruct_ends <= usufructuary_born) invalid('usufruct_ends', 'the usufruct ends before the usufructuary was born');
    }
    const liability = liabilityIn || cls === 'loan';
    const isinText = optStr('isin', a.isin);
    const isin = isinText === null || isinText.trim() === '' ? null : isinText.trim().toUpperCase();
    if (isin !== null) {
      if (!isinShapeOk(isin)) invalid('isin', 'not a valid ISIN (2 letters, 9 letters or digits, a digit)');
      if (!isinCheckDigitOk(isin)) fail('isin_check_digit', 'the last character of this ISIN does not match the others');
    }
    const tickerText = optStr('ticker', a.ticker);
    const ticker = tickerText === null || tickerText.trim() === '' ? null : tickerText.trim();
    if (account_id !== null && !v.accounts.some((x) => x.id === account_id)) fail('not_found', 'account not found');
    if (components.length > 0) {
      checkWeights('components', components.map((c) => Dec.parse(c.weight)!));
      const seen = new Set<number>();
      for (const c of components) {
        if (Dec.parse(c.weight)!.sign() <= 0) invalid('components', 'each weight must be positive');
        if (seen.has(c.asset_id)) invalid('components', 'a component appears twice');
        seen.add(c.asset_id);
        if (c.asset_id === self) fail('composite_cycle', 'an asset cannot contain itself');
      }
      if (self !== null) {
        const stack = components.map((c) => c.asset_id);
        const visited = new Set<number>();
        while (stack.length) {
          const n = stack.pop()!;
          if (n === self) fail('composite_cycle', 'an asset cannot contain itself');
          if (!visited.has(n)) {
            visited.add(n);
            stack.push(...(v.assets.find((x) => x.id === n)?.components ?? []).map((c) => c.asset_id));
          }
        }
      }
    }
    for (const [dimName, rawWeights] of Object.entries(rawAlloc)) {
      const dim = v.dimensions.find((d) => d.name.toLowerCase() === dimName.toLowerCase());
      if (!dim) fail('not_found', 'dimension not found');
      const weights = (rawWeights as unknown[]).map((w) => {
        const r = record('allocations', w);
        return { bucket: str('bucket', r.bucket), weight: dec('weight', r.weight) };
      });
      if (weights.length === 0) continue;
      if (weights.some((w) => w.weight.sign() <= 0 || w.bucket.trim() === '')) invalid('allocations', 'each bucket needs a name and a positive weight');
      checkWeights(dimName, weights.map((w) => w.weight));
      const buckets = weights.map((w) => ({ bucket: w.bucket.trim(), weight: stored(w.weight) }));
      if (new Set(buckets.map((b) => b.bucket)).size !== buckets.length) fail('duplicate', 'allocation bucket exists');
      allocations[dim.name] = buckets.sort((x, y) => (x.bucket < y.bucket ? -1 : x.bucket > y.bucket ? 1 : 0));
    }
    const out: Omit<Asset, 'id'> = {
      account_id, name, class: cls, liability, currency: cur, isin, ticker, share_pct: stored(shareRaw), ownership,
      archived, components: components.sort((x, y) => x.asset_id - y.asset_id), allocations,
    };
    // A position's allocations are its instrument's; the optional fields are left out when empty.
    if (instrument_id !== null) out.allocations = copy(v.instruments.find((x) => x.id === instrument_id)!.allocations);
    if (derived !== null) out.derived = derived;
    if (instrument_id !== null) out.instrument_id = instrument_id;
    if (usufructuary_born !== null) out.usufructuary_born = usufructuary_born;
    if (usufruct_ends !== null) out.usufruct_ends = usufruct_ends;
    return out;
  }
  /** What writing the asset may still hit: its name taken in its account, a missing component. */
  function writeAsset(v: Vault, a: Omit<Asset, 'id'>, self: number | null): void {
    if (v.assets.some((x) => x.id !== self && (x.account_id ?? 0) === (a.account_id ?? 0) && nocase(x.name) === nocase(a.name))) fail('duplicate', 'asset exists');
    for (const c of a.components) if (!v.assets.some((x) => x.id === c.asset_id)) fail('not_found', 'component asset not found');
  }
  function deleteAccountData(v: Vault, id: number): void {
    for (const a of v.assets.filter((x) => x.account_id === id)) removeAsset(v, a.id);
    v.flows = v.flows.filter((f) => f.account_id !== id);
    v.activities = v.activities.filter((t) => t.account_id !== id);
    const before = v.accounts.length;
    v.accounts = v.accounts.filter((x) => x.id !== id);
    if (v.accounts.length === before) fail('not_found', 'account not found');
  }
  const touched = (v: Vault) => {
    v.changed = true;
  };
  /** A write on the open vault: the data changed once it succeeds. */
  function changing<T>(write: (v: Vault) => T): T {
    const v = vault();
    const out = write(v);
    touched(v);
    return out;
  }

  function valuePoint(raw: unknown): ValuePoint {
    const p = record('points', raw);
    return {
      asset_id: int('asset_id', p.asset_id), date: date('date', p.date), value: stored(dec('value', p.value)),
      quantity: (() => { const q = optDec('quantity', p.quantity); return q ? stored(q) : null; })(),
      unit_price: (() => { const u = optDec('unit_price', p.unit_price); return u ? stored(u) : null; })(),
      // `Source::Derived` is written as "manual" (the asset's `derived` marks computed values).
      source: token('source', p.source, ['manual', 'import', 'derived'] as const) === 'import' ? 'import' : 'manual',
    };
  }
  /** `refuse_derived`: no typed values for an asset whose values the app computes. */
  function refuseDerived(v: Vault, ids: number[]): void {
    for (const id of ids) if (v.assets.find((a) => a.id === id)?.derived) fail('values_derived', 'this asset\'s values are computed from its activities or its schedule');
  }
  function cashFlowInput(v: Vault, raw: unknown): Omit<CashFlow, 'id'> {
    const f = record('input', raw);
    const account_id = int('account_id', f.account_id);
    const d = date('date', f.date);
    const amount = dec('amount', f.amount);
    const note = f.note === undefined ? '' : str('note', f.note).trim();
    if (amount.isZero()) invalid('amount', 'a cash flow cannot be zero');
    if (!v.accounts.some((a) => a.id === account_id)) fail('not_found', 'account not found');
    return { account_id, date: d, amount: stored(amount), note };
  }
  function breakdownBy(raw: unknown): BreakdownBy {
    const b = record('by', raw);
    const by = token('by', b.by, ['class', 'dimension', 'institution', 'account', 'account_kind', 'currency'] as const);
    return by === 'dimension' ? { by, name: str('name', b.name) } : { by };
  }

  // ---- The commands -----------------------------------------------------------------

  const commands: Handlers = {
    // Profiles, unlocking and credentials.
    app_info: () => ({
      version: APP_VERSION, data_dir: opts.dataDir, profiles: profiles.map(view),
      session: session ? sessionInfo(session) : null, keychain_available: opts.keychainAvailable, os_locale: 'fr-FR',
    }),
    create_profile: ({ name, password, base_currency }) => {
      const n = profileName(name);
      const base = currency(base_currency, 'base_currency');
      checkPassword(str('password', password));
      if (profiles.length >= LIMITS.max_profiles) fail('profile_limit', `at most ${LIMITS.max_profiles} profiles`);
      if (profiles.some((p) => p.name.toLowerCase() === n.toLowerCase())) fail('profile_exists', 'a profile has this name');
      if (profiles.length > 0 && !(session && session.p.admin)) fail('not_admin', 'only the administrator can do this');
      const p = newProfile(n, password, base);
      const created = { p, method: 'created' as Method };
      if (!session) session = created;
      return { session: sessionInfo(created), recovery_key: p.recoveryKey };
    },
    unlock_password: ({ name, password }) => {
      lockNow();
      const p = byName(name);
      guarded(p, 'password', () => {
        if (password !== p.password) fail('wrong_password', 'wrong password');
      });
      return open(p, 'password');
    },
    unlock_recovery: ({ name, recovery_key }) => {
      lockNow();
      const key = parsedKey(str('recovery_key', recovery_key))!;
      const p = byName(name);
      guarded(p, 'recovery_key', () => opens({ kind: 'recovery_key', key }, p.password, p.recoveryKey));
      return open(p, 'recovery_key');
    },
    unlock_keychain: ({ name }) => {
      lockNow();
      const p = byName(name);
      if (!p.keychainEnabled) fail('keychain_not_enabled', 'keychain unlock is not enabled for this profile');
      return open(p, 'keychain');
    },
    lock: () => {
      lockNow();
      return null;
    },
    change_password: ({ current_password, current_recovery_key, new_password }) => {
      const current = choose(current_password, parsedKey(current_recovery_key));
      const s = need();
      if (!current && s.method !== 'recovery_key') fail('credential_needed', 'confirm with your current password or recovery key');
      checkPassword(str('new_password', new_password));
      if (current) reauth(s.p, current);
      s.p.password = new_password;
      if (s.method === 'recovery_key') s.method = 'password';
      touched(s.p.vault);
      audit(s.p.vault, 'password_changed');
      return changed();
    },
    regenerate_recovery_key: ({ current_password, current_recovery_key }) => {
      const current = confirming(choose(current_password, parsedKey(current_recovery_key)));
      const s = need();
      reauth(s.p, current);
      s.p.recoveryKey = displayKey(newKeyBytes());
      touched(s.p.vault);
      audit(s.p.vault, 'recovery_key_regenerated');
      return changed(s.p.recoveryKey);
    },
    set_keychain: ({ enabled, current_password, current_recovery_key }) => {
      const current = choose(current_password, parsedKey(current_recovery_key));
      const s = need();
      if (bool('enabled', enabled)) {
        reauth(s.p, confirming(current));
        if (!opts.keychainAvailable) fail('keychain_unavailable', 'no keychain on this system');
        s.p.keychainEnabled = true;
        audit(s.p.vault, 'keychain_enabled');
      } else {
        if (current) reauth(s.p, current);
        s.p.keychainEnabled = false;
        audit(s.p.vault, 'keychain_disabled');
      }
      return changed();
    },
    set_preferences: ({ base_currency, auto_lock_minutes }) => {
      const s = need();
      if (base_currency !== undefined && base_currency !== null) s.p.vault.baseCurrency = currency(base_currency);
      if (auto_lock_minutes !== undefined && auto_lock_minutes !== null) {
        const m = uint('auto_lock_minutes', auto_lock_minutes);
        if (m < LIMITS.auto_lock_min || m > LIMITS.auto_lock_max) invalid('auto_lock_minutes', `between ${LIMITS.auto_lock_min} and ${LIMITS.auto_lock_max} minutes`);
        s.p.vault.autoLockMinutes = m;
      }
      if (base_currency != null || auto_lock_minutes != null) touched(s.p.vault);
      return sessionInfo(s);
    },
    rename_profile: ({ name, new_name }) => {
      const s = need();
      const n = profileName(new_name);
      const target = byName(name);
      if (!(s.p.admin || s.p.id === target.id)) fail('not_admin', 'only the administrator can do this');
      if (profiles.some((p) => p.id !== target.id && p.name.toLowerCase() === n.toLowerCase())) fail('profile_exists', 'a profile has this name');
      target.name = n;
      audit(s.p.vault, 'profile_renamed');
      return profiles.map(view);
    },
    delete_profile: ({ name, typed_name }) => {
      const s = need();
      const target = byName(name);
      if (!s.p.admin) fail('not_admin', 'only the administrator can do this');
      if (str('typed_name', typed_name).trim() !== target.name) fail('confirmation_mismatch', 'the typed name does not match');
      if (target.admin && profiles.length > 1) fail('admin_has_profiles', 'delete the other profiles first');
      profiles.splice(profiles.indexOf(target), 1);
      if (session?.p === target) session = null;
      return profiles.map(view);
    },
    audit_log: ({ limit }) => [...vault().audit].reverse().slice(0, uint('limit', limit)),

    // Institutions, accounts, assets, dimensions.
    list_institutions: () => [...vault().institutions].sort((a, b) => compareNocase(a.name, b.name)),
    create_institution: ({ input }) => {
      const v = vault();
      const i = institutionInput(input);
      if (v.institutions.some((x) => nocase(x.name) === nocase(i.name))) fail('duplicate', 'institution exists');
      const row: Institution = { id: nextId(v.institutions), ...i };
      v.institutions.push(row);
      touched(v);
      return row.id;
    },
    update_institution: ({ id, input }) => {
      const v = vault();
      const i = institutionInput(input);
      const row = v.institutions.find((x) => x.id === id) ?? fail('not_found', 'institution not found');
      if (v.institutions.some((x) => x.id !== id && nocase(x.name) === nocase(i.name))) fail('duplicate', 'institution exists');
      Object.assign(row, i);
      touched(v);
      return null;
    },
    delete_institution: ({ id, force }) => {
      const v = vault();
      const accounts = v.accounts.filter((a) => a.institution_id === id);
      if (accounts.length > 0 && !bool('force', force)) fail('in_use', 'the institution has accounts');
      for (const a of accounts) deleteAccountData(v, a.id);
      const before = v.institutions.length;
      v.institutions = v.institutions.filter((x) => x.id !== id);
      if (v.institutions.length === before) fail('not_found', 'institution not found');
      touched(v);
      return null;
    },
    list_accounts: () => {
      const v = vault();
      const inst = (a: Account) => v.institutions.find((i) => i.id === a.institution_id)?.name ?? '';
      return [...v.accounts].sort((a, b) => compareNocase(inst(a), inst(b)) || compareNocase(a.name, b.name));
    },
    create_account: ({ input }) => {
      const v = vault();
      const a = accountInput(v, input);
      if (v.accounts.some((x) => x.institution_id === a.institution_id && nocase(x.name) === nocase(a.name))) fail('duplicate', 'account exists');
      const row: Account = { id: nextId(v.accounts), ...a };
      v.accounts.push(row);
      touched(v);
      return row.id;
    },
    update_account: ({ id, input }) => {
      const v = vault();
      const a = accountInput(v, input);
      const row = v.accounts.find((x) => x.id === id) ?? fail('not_found', 'account not found');
      if (v.accounts.some((x) => x.id !== id && x.institution_id === a.institution_id && nocase(x.name) === nocase(a.name))) fail('duplicate', 'account exists');
      // The asset holding the account's balance keeps its name and currency.
      const balance = v.assets.find((x) => x.account_id === id && v.balances.includes(x.id));
      if (balance && v.assets.some((x) => x.id !== balance.id && x.account_id === id && nocase(x.name) === nocase(a.name))) fail('duplicate', 'asset exists');
      Object.assign(row, a);
      if (balance) Object.assign(balance, { name: a.name, currency: a.currency });
      // The cash its activities give is in its currency too.
      for (const c of v.assets.filter((x) => x.account_id === id && x.derived === 'cash')) c.currency = a.currency;
      touched(v);
      return null;
    },
    delete_account: ({ id, force }) => {
      const v = vault();
      const holds = v.assets.some((a) => a.account_id === id) || v.flows.some((f) => f.account_id === id);
      if (holds && !bool('force', force)) fail('in_use', 'the account holds assets or cash flows');
      deleteAccountData(v, id);
      touched(v);
      return null;
    },
    list_assets: () => [...vault().assets].sort((a, b) => compareNocase(a.name, b.name) || a.id - b.id),
    create_asset: ({ input }) => {
      const v = vault();
      const a = assetInput(v, input, null);
      writeAsset(v, a, null);
      const row: Asset = { id: nextId(v.assets), ...a };
      v.assets.push(row);
      touched(v);
      return row.id;
    },
    update_asset: ({ id, input }) => {
      const v = vault();
      const a = assetInput(v, input, id);
      const row = v.assets.find((x) => x.id === id) ?? fail('not_found', 'asset not found');
      writeAsset(v, a, id);
      for (const k of ['derived', 'instrument_id', 'usufructuary_born', 'usufruct_ends'] as const) delete row[k];
      Object.assign(row, a);
      // A loan's sign and class stay those of a debt.
      if (row.derived === 'loan') Object.assign(row, { class: 'loan', liability: true });
      touched(v);
      return null;
    },
    delete_asset: ({ id, force }) => {
      const v = vault();
      const holds = v.values.some((p) => p.asset_id === id) || v.assets.some((a) => a.components.some((c) => c.asset_id === id));
      if (holds && !bool('force', force)) fail('in_use', 'the asset has values or is part of another');
      const row = v.assets.find((x) => x.id === id);
      if (row && tradedAsset(v, row)) fail('in_use', 'the asset is what its activities say');
      if (!row) fail('not_found', 'asset not found');
      removeAsset(v, id);
      touched(v);
      return null;
    },
    list_dimensions: () => [...vault().dimensions].sort((a, b) => Number(b.builtin) - Number(a.builtin) || compareNocase(a.name, b.name)),
    create_dimension: ({ name }) => {
      const v = vault();
      const n = itemName('name', name);
      const folded = n.trim().toLowerCase().replace(/[ \-']/g, '_');
      if (folded === 'class' || folded === 'asset_class' || v.dimensions.some((d) => nocase(d.name) === nocase(n))) fail('duplicate', 'dimension exists');
      const row: Dimension = { id: nextId(v.dimensions), name: n, builtin: false };
      v.dimensions.push(row);
      touched(v);
      return row.id;
    },

    // Values and cash flows.
    asset_values: ({ asset_id }) => {
      const v = vault();
      const derived = Boolean(v.assets.find((a) => a.id === asset_id)?.derived);
      return v.values
        .filter((p) => p.asset_id === asset_id)
        .sort((a, b) => (a.date < b.date ? -1 : 1))
        .map((p) => (derived ? { ...p, source: 'derived' as const } : p));
    },
    latest_values: () => {
      const v = vault();
      const out = [];
      for (const a of [...v.assets].sort((x, y) => x.id - y.id)) {
        // As the core: a computed asset's latest is the one of today (a loan's schedule runs ahead).
        const t = today();
        const last = v.values.filter((p) => p.asset_id === a.id && (!a.derived || p.date <= t)).sort((x, y) => (x.date < y.date ? 1 : -1))[0];
        if (last) out.push({ asset_id: a.id, date: last.date, value: last.value });
      }
      return out;
    },
    upsert_values: ({ points }) => {
      const v = vault();
      const clean = (points as unknown[]).map(valuePoint);
      refuseDerived(v, clean.map((p) => p.asset_id));
      // As the core: a value without quantity nor price keeps the quantity held then,
      // in the vault or earlier in this batch (the batch wins on the same date).
      const carried: (string | null)[] = [];
      clean.forEach((p, i) => {
        if (p.quantity !== null || p.unit_price !== null) {
          carried.push(p.quantity);
          return;
        }
        const stored = v.values.filter((x) => x.asset_id === p.asset_id && x.date <= p.date).sort((x, y) => (x.date < y.date ? 1 : -1))[0];
        let batch: { date: string; quantity: string | null } | null = null;
        for (let j = 0; j < i; j += 1) {
          const q = clean[j]!;
          if (q.asset_id === p.asset_id && q.date <= p.date && (batch === null || q.date > batch.date)) batch = { date: q.date, quantity: carried[j] ?? null };
        }
        if (stored && batch) carried.push(batch.date >= stored.date ? batch.quantity : stored.quantity);
        else carried.push(batch ? batch.quantity : stored?.quantity ?? null);
      });
      for (const p of clean) if (!v.assets.some((a) => a.id === p.asset_id)) fail('not_found', 'asset not found');
      const before = v.values.length;
      clean.forEach((p, i) => {
        const point = { ...p, quantity: carried[i] ?? null };
        const at = v.values.findIndex((x) => x.asset_id === p.asset_id && x.date === p.date);
        if (at >= 0) v.values[at] = point;
        else v.values.push(point);
      });
      touched(v);
      const inserted = v.values.length - before;
      return { inserted, updated: clean.length - inserted };
    },
    set_account_balance: ({ account_id, date: d, amount }) => {
      const v = vault();
      const day = date('date', d);
      const value = dec('amount', amount);
      const account = v.accounts.find((a) => a.id === account_id) ?? fail('not_found', 'account not found');
      const cls = balanceClass(account.kind);
      // As the core: an account with activities has its cash computed from them.
      if (v.activities.some((x) => x.account_id === account_id)) fail('values_derived', 'this account\u2019s cash comes from its activities');
      if (cls === 'loan' && value.sign() < 0) invalid('amount', 'a loan\u2019s outstanding capital cannot be negative');
      let asset = v.assets.find((a) => a.account_id === account_id && v.balances.includes(a.id))
        ?? v.assets.find((a) => a.account_id === account_id && nocase(a.name) === nocase(account.name));
      if (!asset) {
        asset = {
          id: nextId(v.assets), account_id, name: account.name, class: cls, liability: cls === 'loan', currency: account.currency,
          isin: null, ticker: null, share_pct: '100', ownership: 'full', archived: false, components: [], allocations: {},
        };
        v.assets.push(asset);
      }
      if (!v.balances.includes(asset.id)) v.balances.push(asset.id);
      const point: ValuePoint = { asset_id: asset.id, date: day, value: stored(value), quantity: null, unit_price: null, source: 'manual' };
      const at = v.values.findIndex((x) => x.asset_id === asset.id && x.date === day);
      if (at >= 0) v.values[at] = point;
      else v.values.push(point);
      touched(v);
      return asset.id;
    },
    delete_value: ({ asset_id, date: d }) => {
      const v = vault();
      refuseDerived(v, [asset_id]);
      const at = v.values.findIndex((p) => p.asset_id === asset_id && p.date === d);
      if (at < 0) fail('not_found', 'value not found');
      v.values.splice(at, 1);
      touched(v);
      return null;
    },
    list_cash_flows: ({ account_id }) =>
      vault().flows
        .filter((f) => account_id === undefined || account_id === null || f.account_id === account_id)
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id)),
    add_cash_flow: ({ input }) => {
      const v = vault();
      const row: CashFlow = { id: nextId(v.flows), ...cashFlowInput(v, input) };
      v.flows.push(row);
      touched(v);
      return row.id;
    },
    update_cash_flow: ({ id, input }) => {
      const v = vault();
      const f = cashFlowInput(v, input);
      const row = v.flows.find((x) => x.id === id) ?? fail('not_found', 'cash flow not found');
      Object.assign(row, f);
      touched(v);
      return null;
    },
    delete_cash_flow: ({ id }) => {
      const v = vault();
      const before = v.flows.length;
      v.flows = v.flows.filter((f) => f.id !== id);
      if (v.flows.length === before) fail('not_found', 'cash flow not found');
      touched(v);
      return null;
    },
    list_fx_rates: ({ currency: c, limit }) =>
      vault().rates
        .filter((r) => c === undefined || c === null || r.currency === c)
        .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.currency < b.currency ? -1 : 1))
        .slice(0, uint('limit', limit)),
    set_fx_rate: ({ rate }) => {
      const v = vault();
      const r = record('rate', rate);
      const d = date('date', r.date);
      const value = dec('rate', r.rate);
      const c = currency(r.currency);
      if (value.sign() <= 0) invalid('rate', 'a rate must be positive');
      const row: FxRate = { currency: c, date: d, rate: stored(value) };
      v.rates = v.rates.filter((x) => !(x.currency === c && x.date === d));
      v.rates.push(row);
      touched(v);
      return null;
    },
    delete_fx_rate: ({ currency: c, date: d }) => {
      const v = vault();
      const before = v.rates.length;
      v.rates = v.rates.filter((x) => !(x.currency === c && x.date === d));
      if (v.rates.length === before) fail('not_found', 'exchange rate not found');
      touched(v);
      return null;
    },

    // Instruments, prices, activities and the positions they give.
    list_instruments: () => listInstruments(vault()),
    create_instrument: ({ input }) => changing((v) => createInstrument(v, input)),
    update_instrument: ({ id, input }) => changing((v) => { updateInstrument(v, int('id', id), input); return null; }),
    delete_instrument: ({ id }) => changing((v) => { deleteInstrument(v, int('id', id)); return null; }),
    instrument_prices: ({ instrument_id }) => instrumentPrices(vault(), int('instrument_id', instrument_id)),
    latest_prices: () => latestPrices(vault()),
    set_prices: ({ points }) => changing((v) => setPrices(v, points as unknown[])),
    delete_price: ({ instrument_id, date: d }) => changing((v) => { deletePrice(v, int('instrument_id', instrument_id), date('date', d)); return null; }),
    list_activities: ({ account_id }) => listActivities(vault(), account_id === undefined || account_id === null ? null : int('account_id', account_id)),
    add_activity: ({ input }) => changing((v) => addActivities(v, [input])[0]!),
    update_activity: ({ id, input }) => changing((v) => { updateActivity(v, int('id', id), input); return null; }),
    delete_activity: ({ id }) => changing((v) => { deleteActivity(v, int('id', id)); return null; }),
    add_opening_position: ({ account_id, instrument_id, date: d, quantity, average_cost }) => changing((v) => addOpeningPosition(
      v, int('account_id', account_id), int('instrument_id', instrument_id), date('date', d), stored(dec('quantity', quantity)),
      stored(dec('average_cost', average_cost)),
    )),
    holdings: ({ account_id, date: d }) => holdings(vault(), int('account_id', account_id), date('date', d)),

    // Loans, their schedules and early repayments; a property's net equity; dismembered ownership.
    list_loans: () => listLoans(vault()),
    create_loan: ({ input }) => changing((v) => createLoan(v, input)),
    update_loan: ({ asset_id, input }) => changing((v) => { updateLoan(v, int('asset_id', asset_id), input); return null; }),
    loan_schedule: ({ asset_id, date: d }) => loanSchedule(vault(), int('asset_id', asset_id), date('date', d)),
    add_repayment: ({ asset_id, repayment }) => changing((v) => addRepayment(v, int('asset_id', asset_id), repayment)),
    delete_repayment: ({ id }) => changing((v) => { deleteRepayment(v, int('id', id)); return null; }),
    equity: ({ asset_id, dates }) => {
      if (!Array.isArray(dates)) invalid('dates', 'a list of dates');
      return equity(vault(), int('asset_id', asset_id), dates.map((x) => date('dates', x)));
    },
    dismembered_share: ({ asset_id, date: d }) => assetDismemberedShare(vault(), int('asset_id', asset_id), date('date', d)),
    export_schedule_csv: ({ asset_id, path }) => {
      const v = vault();
      loanSchedule(v, int('asset_id', asset_id), today());
      if (/readonly/.test(str('path', path))) fail('io', `${path}: permission denied`);
      audit(v, 'export', 'schedule_csv');
      return null;
    },

    // Analytics and charts.
    net_worth: ({ date: d }) => netWorth(vault(), date('date', d)),
    accounts_overview: ({ date: d }) => {
      const v = vault();
      const inst = (a: Account) => v.institutions.find((i) => i.id === a.institution_id)?.name ?? '';
      const accounts = [...v.accounts].sort((a, b) => compareNocase(inst(a), inst(b)) || compareNocase(a.name, b.name));
      const institutions = [...v.institutions].sort((a, b) => compareNocase(a.name, b.name));
      return accountsOverview(v, date('date', d), accounts, institutions);
    },
    series: ({ from, to, step, stack_by_class }) =>
      series(vault(), date('from', from), date('to', to), token('step', step, ['daily', 'weekly', 'monthly'] as const), bool('stack_by_class', stack_by_class)),
    breakdown: ({ date: d, by }) => breakdown(vault(), date('date', d), breakdownBy(by)),
    stale_assets: ({ date: d, days }) => staleAssets(vault(), date('date', d), int('days', days)),
    performance: ({ account_id, from, to }) => performance(vault(), account_id ?? null, date('from', from), date('to', to)),
    performance_by_account: ({ from, to }) => {
      const v = vault();
      const f = date('from', from);
      const t = date('to', to);
      const inst = (a: Account) => v.institutions.find((i) => i.id === a.institution_id)?.name ?? '';
      return [...v.accounts]
        .sort((a, b) => compareNocase(inst(a), inst(b)) || compareNocase(a.name, b.name))
        .filter((a) => !(a.closed_on !== null && a.closed_on < f))
        .map((a) => performance(v, a.id, f, t));
    },
    chart: ({ request }) => chart(request),
    chart_png: ({ request }) => {
      chart(request);
      return TINY_PNG;
    },

    // Import and export (the files are imagined from their names).
    import_csv: ({ path, dry_run, skip_invalid }) => {
      const v = vault();
      if (/unreadable/.test(path)) fail('csv_unreadable', 'not a readable CSV file');
      if (/activit|operations|mouvements/i.test(path)) return importActivities(v, /bad/.test(path), dry_run, skip_invalid);
      if (/prix|prices|cours/i.test(path)) return importPrices(v, dry_run);
      const bad = /bad/.test(path);
      const errors = bad ? [
        { line: 3, column: 'value', code: 'bad_number', message: 'unreadable number' },
        { line: 5, column: 'date', code: 'bad_date', message: 'unreadable date' },
      ] : [];
      const report: ImportReport = {
        layout: 'values', lines: 5, imported: bad ? 3 : 5, skipped: bad ? 2 : 0, institutions_created: 1, accounts_created: 1,
        assets_created: 2, values_inserted: bad ? 3 : 5, values_updated: 0, activities_inserted: 0, prices_inserted: 0,
        prices_updated: 0, instruments_created: 0, dry_run, errors,
      };
      if (dry_run) return report;
      if (bad && !skip_invalid) fail('import_invalid', 'the file has errors: nothing was imported', report as unknown as Record<string, unknown>);
      let inst = v.institutions.find((i) => i.name === 'Fortuneo');
      if (!inst) {
        inst = { id: nextId(v.institutions), name: 'Fortuneo', kind: 'bank', notes: '' };
        v.institutions.push(inst);
      }
      const acc: Account = { id: nextId(v.accounts), institution_id: inst.id, name: `Compte-titres ${nextId(v.accounts)}`, kind: 'brokerage', currency: 'EUR', opened_on: null, closed_on: null };
      v.accounts.push(acc);
      const asset: Asset = { id: nextId(v.assets), account_id: acc.id, name: 'Action Air Liquide', class: 'equity', liability: false, currency: 'EUR', isin: null, ticker: null, share_pct: '100', ownership: 'full', archived: false, components: [], allocations: {} };
      v.assets.push(asset);
      v.values.push({ asset_id: asset.id, date: today(), value: '4321.09', quantity: null, unit_price: null, source: 'import' });
      touched(v);
      audit(v, 'import', `lines=${report.lines} imported=${report.imported} skipped=${report.skipped}`);
      return { ...report, dry_run: false };
    },
    import_ecb: ({ path }) => {
      const v = vault();
      if (/bad/.test(path)) fail('csv_unreadable', 'the first column of an ECB file is Date');
      const t = today();
      const rates: FxRate[] = [];
      for (let k = 0; k < 5; k += 1) {
        const d = addDays(t, -k);
        rates.push({ currency: 'USD', date: d, rate: stored(Dec.parse('1.08')!.add(Dec.of(BigInt(k), 3))) });
        rates.push({ currency: 'GBP', date: d, rate: stored(Dec.parse('0.85')!.add(Dec.of(BigInt(k), 3))) });
      }
      for (const r of rates) {
        v.rates = v.rates.filter((x) => !(x.currency === r.currency && x.date === r.date));
        v.rates.push(r);
      }
      touched(v);
      audit(v, 'fx_import', `rates=${rates.length}`);
      return { rates: rates.length, currencies: ['GBP', 'USD'], first_date: addDays(t, -4), last_date: t };
    },
    export_file: ({ path, format }) => {
      const v = vault();
      if (/readonly/.test(path)) fail('io', `${path}: permission denied`);
      audit(v, 'export', token('format', format, ['json', 'csv'] as const));
      return null;
    },

    // Startup health, backups and restore.
    startup_health: () => (opts.health.length ? copy(opts.health) : profiles.map((p) => ({ name: p.name, state: 'ok' as const }))),
    scan_backups: () => newestFirst(allBackups()).map((b) => header(b)),
    inspect_backup: ({ path }) => header(readBackup(path), 'browsed'),
    restore_preview: ({ path, password, recovery_key }) => {
      const c = required(choose(password, parsedKey(recovery_key)));
      const b = readBackup(path);
      unlockBackup(b, c);
      const nw = netWorth(b.snapshot, b.created_at.slice(0, 10));
      return {
        created_at: b.created_at, profile_name: b.profile_name, institutions: b.snapshot.institutions.length,
        accounts: b.snapshot.accounts.length, assets: b.snapshot.assets.length, values: b.snapshot.values.length,
        net_worth: nw.net_worth, currency: nw.currency,
      };
    },
    restore_backup: ({ path, password, recovery_key, new_password, as_new_name }) => {
      const c = required(choose(password, parsedKey(recovery_key)));
      // The open session is closed (not locked: no backup), an admin's kept for the check.
      const admin = session && session.p.admin ? session.p : null;
      session = null;
      const b = readBackup(path);
      if (new_password !== undefined && new_password !== null) checkPassword(str('new_password', new_password));
      const existing = profiles.find((p) => p.id === b.profile_id) ?? null;
      if (as_new_name !== undefined && as_new_name !== null && existing) fail('backup_profile_present', 'this profile is already here');
      const newName = existing ? null : as_new_name ?? b.profile_name;
      if (newName !== null) {
        const n = profileName(newName);
        if (profiles.length >= LIMITS.max_profiles) fail('profile_limit', `at most ${LIMITS.max_profiles} profiles`);
        if (profiles.some((p) => p.name.toLowerCase() === n.toLowerCase())) fail('profile_exists', 'a profile has this name');
        if (profiles.length > 0 && !admin) fail('not_admin', 'only the administrator can do this');
        if (new_password === undefined || new_password === null) invalid('new_password', 'choose a new password for the restored profile (it also gets a new recovery key)');
      } else if (c.kind === 'recovery_key' && (new_password === undefined || new_password === null)) {
        invalid('new_password', 'choose a new password when restoring with the recovery key');
      }
      unlockBackup(b, c);
      let p: Profile;
      let fresh: string | null = null;
      if (existing) {
        p = existing;
        if (new_password) p.password = new_password;
      } else {
        p = newProfile(profileName(newName), new_password!, b.snapshot.baseCurrency);
        p.id = b.profile_id;
        fresh = p.recoveryKey;
      }
      install(p, b);
      opts.health = [];
      audit(p.vault, 'restore', c.kind);
      session = { p, method: 'password' };
      return { session: sessionInfo(session), new_recovery_key: fresh };
    },
    restore_own_backup: ({ path }) => {
      const s = need();
      const b = s.p.backups.find((x) => x.path === path);
      if (!b) {
        readBackup(path);
        fail('backup_other_profile', 'this backup belongs to another profile');
      }
      if (b.forged) fail('backup_other_profile', 'this backup belongs to another profile');
      install(s.p, b);
      audit(s.p.vault, 'restore', 'session');
      return sessionInfo(s);
    },
    list_backups: () => entries(need().p),
    backup_now: () => {
      const p = need().p;
      const b = backupNow(p, 'manual');
      return { ...header(b), verified_at: null, ok: null, authenticated: true };
    },
    export_backup: ({ path }) => {
      const p = need().p;
      if (/readonly/.test(path)) fail('destination_unwritable', `${path}: cannot write here`);
      audit(p.vault, 'backup', 'export');
      return { path, size: 51234, sha256: '9f2c4e1b7a3d5f60812e4c9b0a7d3e5f1c2b4a6d8e0f1a3c5b7d9e1f2a4c6b8d' };
    },
    verify_backups: () => {
      const p = need().p;
      const at = new Date().toISOString();
      for (const b of p.backups) if (!b.forged) p.verifications.set(b.path, { verified_at: at, ok: !/damaged/.test(b.path) });
      return entries(p);
    },
    get_backup_settings: () => backupSettings(need().p),
    set_backup_settings: ({ settings }) => {
      const p = need().p;
      const s = record('settings', settings);
      const num = (k: 'keep_daily' | 'keep_weekly' | 'keep_monthly' | 'missing_reminder_days') => (s[k] === undefined ? BACKUP_DEFAULTS[k] : uint(k, s[k]));
      const next = {
        second_destination: optStr('second_destination', s.second_destination), keep_daily: num('keep_daily'),
        keep_weekly: num('keep_weekly'), keep_monthly: num('keep_monthly'), missing_reminder_days: num('missing_reminder_days'),
        second_destination_last_seen: p.backupSettings.second_destination_last_seen,
      };
      if (next.keep_daily + next.keep_weekly + next.keep_monthly === 0) invalid('keep', 'keep at least one daily, weekly or monthly backup');
      if (next.second_destination !== null) {
        if (!next.second_destination.startsWith('/')) invalid('second_destination', 'choose a folder (an absolute path)');
        if (opts.directories.includes(next.second_destination)) next.second_destination_last_seen = new Date().toISOString();
      }
      p.backupSettings = next;
      return backupSettings(p);
    },
  };

  /** An imagined activities file: a Fortuneo compte-titres with a deposit, two buys of an
   *  emerging-markets fund and a dividend (a "bad" one also sells more than it holds). */
  function importActivities(v: Vault, bad: boolean, dryRun: boolean, skipInvalid: boolean): ImportReport {
    const name = 'Amundi MSCI Emerging Markets';
    const known = v.instruments.find((i) => i.name === name);
    const errors = bad ? [{ line: 6, column: 'quantity', code: 'sell_exceeds_position', message: 'this sells more units than the account holds on that date' }] : [];
    const report: ImportReport = {
      layout: 'activities', lines: bad ? 5 : 4, imported: 4, skipped: bad ? 1 : 0,
      institutions_created: v.institutions.some((i) => i.name === 'Fortuneo') ? 0 : 1, accounts_created: 1, assets_created: 0,
      values_inserted: 0, values_updated: 0, activities_inserted: 4, prices_inserted: 0, prices_updated: 0,
      instruments_created: known ? 0 : 1, dry_run: dryRun, errors,
    };
    if (dryRun) return report;
    if (bad && !skipInvalid) fail('import_invalid', 'the file has errors: nothing was imported', report as unknown as Record<string, unknown>);
    let inst = v.institutions.find((i) => i.name === 'Fortuneo');
    if (!inst) {
      inst = { id: nextId(v.institutions), name: 'Fortuneo', kind: 'bank', notes: '' };
      v.institutions.push(inst);
    }
    const acc: Account = { id: nextId(v.accounts), institution_id: inst.id, name: `Compte-titres ${nextId(v.accounts)}`, kind: 'brokerage', currency: 'EUR', opened_on: null, closed_on: null };
    v.accounts.push(acc);
    const instrument = known?.id ?? createInstrument(v, { name, isin: 'LU1681045370', ticker: 'AEEM', currency: 'EUR', class: 'fund' });
    const t = today();
    addActivities(v, [
      { account_id: acc.id, date: addDays(t, -60), kind: 'deposit', amount: '5000' },
      { account_id: acc.id, date: addDays(t, -59), kind: 'buy', instrument_id: instrument, quantity: '500', unit_price: '4.852', fees: '1.90' },
      { account_id: acc.id, date: addDays(t, -30), kind: 'buy', instrument_id: instrument, quantity: '250', unit_price: '4.97', fees: '1.90' },
      { account_id: acc.id, date: addDays(t, -10), kind: 'dividend', instrument_id: instrument, amount: '21.40' },
    ]);
    touched(v);
    audit(v, 'import', `lines=${report.lines} imported=${report.imported} skipped=${report.skipped}`);
    return report;
  }

  /** An imagined prices file: the last five days of every instrument (one is made if none). */
  function importPrices(v: Vault, dryRun: boolean): ImportReport {
    const t = today();
    const instruments = v.instruments.length > 0 ? v.instruments.map((i) => i.id) : [];
    const created = instruments.length === 0 ? 1 : 0;
    const lines = 5 * Math.max(instruments.length, 1);
    const report: ImportReport = {
      layout: 'prices', lines, imported: lines, skipped: 0, institutions_created: 0, accounts_created: 0, assets_created: 0,
      values_inserted: 0, values_updated: 0, activities_inserted: 0, prices_inserted: lines, prices_updated: 0,
      instruments_created: created, dry_run: dryRun, errors: [],
    };
    if (dryRun) return report;
    if (created) instruments.push(createInstrument(v, { name: 'Amundi MSCI Emerging Markets', isin: 'LU1681045370', currency: 'EUR', class: 'fund' }));
    const points = instruments.flatMap((id) => {
      const last = latestPrices(v).find((p) => p.instrument_id === id);
      const trade = v.activities.filter((a) => a.instrument_id === id && a.unit_price !== null).sort((a, b) => (a.date < b.date ? 1 : -1))[0];
      const base = Dec.parse(last?.price ?? trade?.unit_price ?? '10')!;
      return [4, 3, 2, 1, 0].map((k) => ({ instrument_id: id, date: addDays(t, -k), price: stored(base.add(Dec.of(BigInt(k), 2))), source: 'import' }));
    });
    const counts = setPrices(v, points);
    touched(v);
    audit(v, 'import', `lines=${report.lines} imported=${report.imported} skipped=0`);
    return { ...report, prices_inserted: counts.inserted, prices_updated: counts.updated };
  }

  /** `lock_now`: a backup first when data changed since the last one, then no session. */
  function lockNow(): void {
    if (session && session.p.vault.changed) backupNow(session.p, 'automatic');
    session = null;
  }

  function chart(raw: ChartRequest) {
    const v = vault();
    const req = record('request', raw);
    const kind = token('kind', req.kind, ['networth', 'networth_by_class', 'allocation', 'asset_history'] as const);
    const { width, height } = chartSize(uint('width', req.width), uint('height', req.height));
    str('locale', req.locale);
    const to = optDate('to', req.to) ?? today();
    if (kind === 'allocation') return allocationChart(breakdown(v, to, req.by === undefined ? { by: 'class' } : breakdownBy(req.by)), width, height);
    if (kind === 'asset_history') {
      if (req.asset_id === undefined || req.asset_id === null) invalid('asset_id', 'an asset is required');
      const id = int('asset_id', req.asset_id);
      if (!v.assets.some((a) => a.id === id)) fail('not_found', 'asset not found');
      const points = v.values.filter((p) => p.asset_id === id).sort((a, b) => (a.date < b.date ? -1 : 1));
      return lineChart({ dates: points.map((p) => p.date), totals: points.map((p) => p.value) }, width, height);
    }
    // No start: the whole history, from the first value (a year without any).
    const first = firstValueDate(v);
    const from = optDate('from', req.from) ?? (first !== null && first < to ? first : addDays(to, -365));
    const step = req.step === undefined ? 'monthly' : token('step', req.step, ['daily', 'weekly', 'monthly'] as const);
    return lineChart(series(v, from, to, step, kind === 'networth_by_class'), width, height);
  }

  // ---- Demo data --------------------------------------------------------------------

  if (opts.demo) {
    const p = newProfile('Demo', 'demo password', 'EUR', 7);
    seedDemo(p.vault);
    p.backups.push(makeBackup(p, 'automatic', new Date(Date.now() - DAY_MS).toISOString(), 'profile', true));
    p.vault.changed = false;
  }
  if (opts.foreignBackup) {
    // A profile of another computer: only its backup is here, on a USB stick.
    const camille = newProfile('Camille', 'camille password', 'EUR', 11);
    seedDemo(camille.vault);
    removable.push(makeBackup(camille, 'automatic', new Date(Date.now() - 2 * DAY_MS).toISOString(), 'removable', true));
    profiles.splice(profiles.indexOf(camille), 1);
  }

  // ---- The seam -------------------------------------------------------------------

  const calls: FakeCall[] = [];
  const dialogQueue = () => (globalThis as { __FAKE_DIALOG_QUEUE__?: string[] }).__FAKE_DIALOG_QUEUE__;
  const plugins: Record<string, (args: Record<string, unknown>) => unknown> = {
    'plugin:dialog|open': (args) => {
      const o = (args.options ?? {}) as { directory?: boolean };
      const queue = dialogQueue();
      if (queue?.length) return queue.shift();
      return o.directory ? '/media/user/USB/Patrimoine' : '/home/user/releves.csv';
    },
    'plugin:dialog|save': (args) => {
      const o = (args.options ?? {}) as { defaultPath?: string };
      const queue = dialogQueue();
      if (queue?.length) return queue.shift();
      return `/home/user/${o.defaultPath ?? 'export'}`;
    },
  };

  async function handle(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
    calls.push({ cmd, args });
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    const a = args ?? {};
    let out: unknown;
    if (Object.hasOwn(commands, cmd)) {
      const fn = commands[cmd as CommandName] as unknown as (x: unknown) => unknown;
      out = await fn(a);
    } else if (Object.hasOwn(plugins, cmd)) {
      out = plugins[cmd]!(a);
    } else {
      // As the command layer's dispatcher: an unknown command is bad input.
      fail('invalid_input', `${cmd}: no such command`);
    }
    // Copies, so the UI never holds the fake's own objects.
    return out === undefined ? null : copy(out);
  }

  return {
    handle, calls, profiles,
    get session() {
      return session?.p ?? null;
    },
    addRemovableBackup(profile: string) {
      const b = makeBackup(byName(profile), 'manual', new Date(Date.now() - 3 * DAY_MS).toISOString(), 'removable');
      removable.push(b);
      return b.path;
    },
    setHealth(h: ProfileHealth[]) {
      opts.health = h;
    },
  };
}
