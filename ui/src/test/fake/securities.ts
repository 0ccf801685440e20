//! Instruments, prices and activities as the core keeps them (`wealth::instruments`,
//! `wealth::activities`): the same checks and codes, the same replay of an account's
//! activities (units, average cost with fees, realised gains, income, cash), and the
//! same derived values written into the value history for each position asset and the
//! account's cash asset, re-derived with every change, all or nothing.
import type {
  Activity, ActivityKind, Asset, Holdings, Instrument, Position, PricePoint, UpsertCount, Weight, YearIncome,
} from '../../lib/ipc/generated/types';
import { ACTIVITY_KINDS, ASSET_CLASSES, LABELS } from '../../lib/ipc/generated/constants';
import { Dec, sum } from './decimal';
import {
  atomically, bool, currency, date, dec, fail, int, invalid, isinCheckDigitOk, isinShapeOk, itemName, nextId, nocase, optDec,
  optStr, record, removeAsset, str, stored, token, type Vault,
} from './model';

const byName = (a: { name: string }, b: { name: string }) => {
  const x = nocase(a.name);
  const y = nocase(b.name);
  return x < y ? -1 : x > y ? 1 : 0;
};
const byDateThenId = (a: { date: string; id: number }, b: { date: string; id: number }) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id;
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const d = (s: string | null): Dec => (s === null ? Dec.ZERO : Dec.parse(s)!);

// ---- Allocations (`portfolio::check_weights`) --------------------------------------

/** Allocation weights as `check_instrument` checks and the vault stores them. */
export function allocationsInput(v: Vault, raw: unknown): Record<string, Weight[]> {
  const out: Record<string, Weight[]> = {};
  const given = raw === undefined ? {} : record('allocations', raw);
  // A BTreeMap: dimensions in key order.
  for (const dimName of Object.keys(given).sort()) {
    const weights = (given[dimName] as unknown[]).map((w) => {
      const r = record('allocations', w);
      return { bucket: str('bucket', r.bucket), weight: dec('weight', r.weight) };
    });
    const dim = v.dimensions.find((x) => x.name.toLowerCase() === dimName.toLowerCase());
    if (!dim) fail('not_found', 'dimension not found');
    if (weights.length === 0) continue;
    if (weights.some((w) => w.weight.sign() <= 0 || w.bucket.trim() === '')) invalid('allocations', 'each bucket needs a name and a positive weight');
    const total = sum(weights.map((w) => w.weight));
    if (total.cmp(Dec.HUNDRED) !== 0) fail('weights_not_100', `the weights of ${dimName} sum to ${total.trimmed()}, not 100`, { dimension: dimName });
    const buckets = weights.map((w) => ({ bucket: w.bucket.trim(), weight: stored(w.weight) }));
    if (new Set(buckets.map((b) => b.bucket)).size !== buckets.length) fail('duplicate', 'allocation bucket exists');
    out[dim.name] = buckets.sort((x, y) => (x.bucket < y.bucket ? -1 : x.bucket > y.bucket ? 1 : 0));
  }
  return out;
}

// ---- Instruments ----------------------------------------------------------------------

/** `check_instrument`, after serde. */
function instrumentInput(v: Vault, raw: unknown): Omit<Instrument, 'id'> {
  const i = record('input', raw);
  const cls = token('class', i.class, ASSET_CLASSES);
  const archived = i.archived === undefined ? false : bool('archived', i.archived);
  const name = itemName('name', i.name);
  const cur = currency(i.currency);
  const isinText = optStr('isin', i.isin);
  const isin = isinText === null || isinText.trim() === '' ? null : isinText.trim().toUpperCase();
  if (isin !== null) {
    if (isin.length !== 12 || !isinShapeOk(isin)) invalid('isin', 'not a valid ISIN (2 letters, 9 letters or digits, a digit)');
    if (!isinCheckDigitOk(isin)) fail('isin_check_digit', 'the last character of this ISIN does not match the others');
  }
  const tickerText = optStr('ticker', i.ticker);
  const ticker = tickerText === null || tickerText.trim() === '' ? null : tickerText.trim();
  if (cls === 'loan') invalid('class', 'an instrument cannot be a loan');
  const allocations = allocationsInput(v, i.allocations);
  return { name, isin, ticker, currency: cur, class: cls, archived, allocations };
}

function checkUnique(v: Vault, i: Omit<Instrument, 'id'>, self: number | null): void {
  if (v.instruments.some((x) => x.id !== self && (nocase(x.name) === nocase(i.name) || (i.isin !== null && x.isin === i.isin)))) {
    fail('duplicate', 'instrument exists');
  }
}

export function listInstruments(v: Vault): Instrument[] {
  return [...v.instruments].sort(byName);
}

export function createInstrument(v: Vault, raw: unknown): number {
  const i = instrumentInput(v, raw);
  checkUnique(v, i, null);
  const row: Instrument = { id: nextId(v.instruments), ...i };
  v.instruments.push(row);
  return row.id;
}

/** The positions holding it follow its name, class, currency, codes and allocations. */
export function updateInstrument(v: Vault, id: number, raw: unknown): void {
  const i = instrumentInput(v, raw);
  atomically(v, () => {
    const row = v.instruments.find((x) => x.id === id);
    if (row) checkUnique(v, i, id);
    if (!row) fail('not_found', 'instrument not found');
    Object.assign(row, i);
    for (const a of v.assets.filter((x) => x.instrument_id === id)) {
      if (v.assets.some((x) => x.id !== a.id && (x.account_id ?? 0) === (a.account_id ?? 0) && nocase(x.name) === nocase(i.name))) {
        fail('duplicate', 'asset exists');
      }
      Object.assign(a, { name: i.name, class: i.class, currency: i.currency, isin: i.isin, ticker: i.ticker, allocations: copy(i.allocations) });
    }
  });
}

/** One that activities use cannot be deleted; its prices go with it. */
export function deleteInstrument(v: Vault, id: number): void {
  if (v.activities.some((a) => a.instrument_id === id)) fail('in_use', 'instrument is in use');
  for (const a of v.assets.filter((x) => x.instrument_id === id)) removeAsset(v, a.id);
  if (!v.instruments.some((x) => x.id === id)) fail('not_found', 'instrument not found');
  v.instruments = v.instruments.filter((x) => x.id !== id);
  v.prices = v.prices.filter((p) => p.instrument_id !== id);
}

// ---- Prices ---------------------------------------------------------------------------

function checkPrice(price: Dec): Dec {
  if (price.sign() <= 0) fail('price_not_positive', 'a price must be greater than zero');
  return price.trimmed();
}

export function setPrices(v: Vault, raw: unknown[]): UpsertCount {
  const points = raw.map((x) => {
    const p = record('points', x);
    return {
      instrument_id: int('instrument_id', p.instrument_id), date: date('date', p.date), price: dec('price', p.price),
      source: token('source', p.source, ['manual', 'import', 'derived'] as const),
    };
  });
  for (const p of points) checkPrice(p.price);
  const before = v.prices.length;
  atomically(v, () => {
    for (const p of points) {
      if (!v.instruments.some((i) => i.id === p.instrument_id)) fail('not_found', 'instrument not found');
      const row = { instrument_id: p.instrument_id, date: p.date, price: stored(p.price), source: p.source === 'import' ? 'import' as const : 'manual' as const };
      const at = v.prices.findIndex((x) => x.instrument_id === p.instrument_id && x.date === p.date);
      if (at >= 0) v.prices[at] = row;
      else v.prices.push(row);
    }
    rederiveInstruments(v, new Set(points.map((p) => p.instrument_id)));
  });
  const inserted = Math.max(v.prices.length - before, 0);
  return { inserted, updated: Math.max(points.length - inserted, 0) };
}

export function deletePrice(v: Vault, instrumentId: number, day: string): void {
  atomically(v, () => {
    const at = v.prices.findIndex((p) => p.instrument_id === instrumentId && p.date === day);
    if (at < 0) fail('not_found', 'price not found');
    v.prices.splice(at, 1);
    rederiveInstruments(v, new Set([instrumentId]));
  });
}

export function instrumentPrices(v: Vault, instrumentId: number): PricePoint[] {
  return v.prices
    .filter((p) => p.instrument_id === instrumentId)
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .map((p) => ({ ...p }));
}

export function latestPrices(v: Vault): { instrument_id: number; date: string; price: string }[] {
  const out = [];
  for (const i of listInstruments(v)) {
    const last = v.prices.filter((p) => p.instrument_id === i.id).sort((a, b) => (a.date < b.date ? 1 : -1))[0];
    if (last) out.push({ instrument_id: i.id, date: last.date, price: last.price });
  }
  return out;
}

// ---- Activities: input ------------------------------------------------------------------

/** What serde reads of an `Activity`. */
function activityFields(raw: unknown) {
  const a = record('input', raw);
  return {
    account_id: int('account_id', a.account_id),
    date: date('date', a.date),
    kind: token('kind', a.kind, ACTIVITY_KINDS),
    instrument_id: a.instrument_id === undefined || a.instrument_id === null ? null : int('instrument_id', a.instrument_id),
    quantity: optDec('quantity', a.quantity),
    unit_price: optDec('unit_price', a.unit_price),
    amount: optDec('amount', a.amount),
    fees: a.fees === undefined ? Dec.ZERO : dec('fees', a.fees),
    note: a.note === undefined ? '' : str('note', a.note),
  };
}
type ActivityFields = ReturnType<typeof activityFields>;

const NEEDS_INSTRUMENT: readonly ActivityKind[] = ['buy', 'sell', 'transfer_in', 'transfer_out', 'split'];
const needsInstrument = (k: ActivityKind) => NEEDS_INSTRUMENT.includes(k);

function positive(field: string, x: Dec | null): Dec {
  if (x === null) invalid(field, 'required for this kind of activity');
  if (x.sign() <= 0) invalid(field, 'must be greater than zero');
  return x.trimmed();
}

/** `activities::normalise`: the fields a kind uses, checked; the others cleared. */
function normalise(a: ActivityFields, accountCurrency: string, openedOn: string | null, instrumentCurrency: string | null): ActivityFields {
  const out = { ...a, note: a.note.trim() };
  if ([...out.note].length > 500) invalid('note', 'a note has at most 500 characters');
  if (openedOn !== null && out.date < openedOn) fail('before_account_opening', 'this activity is dated before the account was opened');
  if (out.fees.sign() < 0) invalid('fees', 'fees cannot be negative');
  out.fees = out.fees.trimmed();
  if (needsInstrument(out.kind) && out.instrument_id === null) invalid('instrument', 'required for this kind of activity');
  switch (out.kind) {
    case 'deposit': case 'withdrawal': case 'dividend': case 'interest': case 'fee':
      out.amount = positive('amount', out.amount);
      out.quantity = null;
      out.unit_price = null;
      out.fees = Dec.ZERO;
      if (out.kind !== 'dividend') out.instrument_id = null;
      break;
    case 'buy': case 'sell': {
      out.quantity = positive('quantity', out.quantity);
      if (out.unit_price === null) invalid('unit_price', 'required for a trade');
      out.unit_price = checkPrice(out.unit_price);
      if (out.amount !== null) out.amount = positive('amount', out.amount);
      else if (instrumentCurrency !== null && instrumentCurrency !== accountCurrency) {
        invalid('amount', "the instrument's currency differs from the account's: give the amount moved in the account's currency");
      }
      break;
    }
    case 'transfer_in':
      out.quantity = positive('quantity', out.quantity);
      if (out.unit_price === null) invalid('unit_price', 'the cost per unit is required');
      out.unit_price = checkPrice(out.unit_price);
      out.amount = null;
      break;
    case 'transfer_out':
      out.quantity = positive('quantity', out.quantity);
      out.unit_price = null;
      out.amount = null;
      break;
    case 'split':
      if (out.quantity === null || out.quantity.sign() <= 0) fail('split_ratio_invalid', 'a split ratio must be positive');
      out.quantity = out.quantity.trimmed();
      out.unit_price = null;
      out.amount = null;
      out.fees = Dec.ZERO;
      break;
  }
  return out;
}

/** `Vault::check_activity`: its account and instrument exist, then `normalise`. */
function checkActivity(v: Vault, raw: unknown): ActivityFields {
  const a = activityFields(raw);
  const account = v.accounts.find((x) => x.id === a.account_id) ?? fail('not_found', 'account not found');
  let instrumentCurrency: string | null = null;
  if (a.instrument_id !== null) {
    const i = v.instruments.find((x) => x.id === a.instrument_id) ?? fail('not_found', 'instrument not found');
    instrumentCurrency = i.currency;
  }
  return normalise(a, account.currency, account.opened_on, instrumentCurrency);
}

const storedFields = (a: ActivityFields): Omit<Activity, 'id'> => ({
  account_id: a.account_id, date: a.date, kind: a.kind, instrument_id: a.instrument_id,
  quantity: a.quantity?.toString() ?? null, unit_price: a.unit_price?.toString() ?? null, amount: a.amount?.toString() ?? null,
  fees: a.fees.toString(), note: a.note,
});

// ---- The replay (pure) ---------------------------------------------------------------

interface PositionPoint { date: string; units: Dec; price: Dec | null; value: Dec }

interface Track {
  units: Dec;
  cost: Dec;
  realised: Dec;
  income: Dec;
  price: [string, Dec] | null;
  points: PositionPoint[];
}

const trackValue = (t: Track): Dec => (t.price ? t.units.mul(t.price[1]) : t.cost);

interface Replay {
  /** By instrument id (iterated in id order, as a BTreeMap). */
  tracks: Map<number, Track>;
  cash: Dec;
  cashPoints: [string, Dec][];
  /** External flows: date, amount, the instrument whose currency it is in (null: the account's). */
  flows: [string, Dec, number | null][];
  income: Map<number, Dec>;
  /** By "year:instrument". */
  realised: Map<string, Dec>;
  fees: Map<number, Dec>;
}

const addTo = <K>(m: Map<K, Dec>, k: K, x: Dec) => m.set(k, (m.get(k) ?? Dec.ZERO).add(x));

/** `activities::replay`: `acts` by date then id; `observations` per instrument, by date. */
function replay(acts: Activity[], observations: Map<number, [string, Dec][]>): Replay {
  const days = new Map<string, { acts: Activity[]; prices: [number, Dec][] }>();
  const day = (x: string) => {
    let e = days.get(x);
    if (!e) {
      e = { acts: [], prices: [] };
      days.set(x, e);
    }
    return e;
  };
  const held = new Set(acts.flatMap((a) => (a.instrument_id === null ? [] : [a.instrument_id])));
  for (const a of acts) day(a.date).acts.push(a);
  for (const i of held) for (const [x, p] of observations.get(i) ?? []) day(x).prices.push([i, p]);
  const r: Replay = { tracks: new Map(), cash: Dec.ZERO, cashPoints: [], flows: [], income: new Map(), realised: new Map(), fees: new Map() };
  const track = (i: number): Track => {
    let t = r.tracks.get(i);
    if (!t) {
      t = { units: Dec.ZERO, cost: Dec.ZERO, realised: Dec.ZERO, income: Dec.ZERO, price: null, points: [] };
      r.tracks.set(i, t);
    }
    return t;
  };
  const started = new Set<number>();
  for (const today of [...days.keys()].sort()) {
    const { acts: todays, prices } = days.get(today)!;
    const cashBefore = r.cash;
    const touched: number[] = [];
    for (const a of todays) {
      const year = Number(a.date.slice(0, 4));
      const inst = a.instrument_id;
      if (inst !== null && needsInstrument(a.kind)) {
        started.add(inst);
        touched.push(inst);
      }
      const t = inst === null ? null : track(inst);
      const q = d(a.quantity);
      const p = d(a.unit_price);
      const amount = d(a.amount);
      const fees = d(a.fees);
      switch (a.kind) {
        case 'deposit':
          r.cash = r.cash.add(amount);
          r.flows.push([today, amount, null]);
          continue;
        case 'withdrawal':
          r.cash = r.cash.sub(amount);
          r.flows.push([today, amount.neg(), null]);
          continue;
        case 'dividend':
          r.cash = r.cash.add(amount);
          addTo(r.income, year, amount);
          if (t) t.income = t.income.add(amount);
          continue;
        case 'interest':
          r.cash = r.cash.add(amount);
          addTo(r.income, year, amount);
          continue;
        case 'fee':
          r.cash = r.cash.sub(amount);
          addTo(r.fees, year, amount);
          continue;
        default:
          break;
      }
      if (!t) invalid('instrument', 'required for this kind of activity');
      switch (a.kind) {
        case 'buy':
          t.units = t.units.add(q);
          t.cost = t.cost.add(q.mul(p).add(fees));
          r.cash = r.cash.sub(a.amount !== null ? amount : q.mul(p).add(fees));
          break;
        case 'sell': {
          if (q.cmp(t.units) > 0) fail('sell_exceeds_position', 'this sells more units than the account holds on that date');
          const costOut = q.cmp(t.units) === 0 ? t.cost : t.cost.mul(q).div(t.units);
          const gain = q.mul(p).sub(fees).sub(costOut);
          t.realised = t.realised.add(gain);
          addTo(r.realised, `${year}:${inst}`, gain);
          t.cost = t.cost.sub(costOut);
          t.units = t.units.sub(q);
          r.cash = r.cash.add(a.amount !== null ? amount : q.mul(p).sub(fees));
          break;
        }
        case 'transfer_in': {
          t.units = t.units.add(q);
          t.cost = t.cost.add(q.mul(p).add(fees));
          const unitValue = t.price ? t.price[1] : p;
          r.flows.push([today, q.mul(unitValue), inst]);
          break;
        }
        case 'transfer_out': {
          if (q.cmp(t.units) > 0) fail('sell_exceeds_position', 'this sells more units than the account holds on that date');
          const costOut = q.cmp(t.units) === 0 ? t.cost : t.cost.mul(q).div(t.units);
          const unitValue = t.price ? t.price[1] : costOut.div(q);
          t.cost = t.cost.sub(costOut);
          t.units = t.units.sub(q);
          r.flows.push([today, q.mul(unitValue).neg(), inst]);
          break;
        }
        case 'split': {
          if (q.sign() <= 0) fail('split_ratio_invalid', 'a split ratio must be positive');
          t.units = t.units.mul(q);
          if (t.price) t.price = [t.price[0], t.price[1].div(q)];
          break;
        }
        default:
          break;
      }
    }
    // The day's prices, after its activities (a price point of the day wins).
    for (const [i, price] of prices) {
      track(i).price = [today, price];
      if (started.has(i)) touched.push(i);
    }
    for (const i of [...new Set(touched)].sort((x, y) => x - y)) {
      const t = r.tracks.get(i);
      if (!t) continue;
      const value = trackValue(t);
      const point: PositionPoint = { date: today, units: t.units, price: t.price ? t.price[1] : null, value };
      const last = t.points[t.points.length - 1];
      if (last && last.date === today) t.points[t.points.length - 1] = point;
      else if (last && last.value.cmp(value) === 0 && last.units.cmp(point.units) === 0) {
        // Nothing changed.
      } else t.points.push(point);
    }
    if (r.cash.cmp(cashBefore) !== 0 || (r.cashPoints.length === 0 && !r.cash.isZero())) r.cashPoints.push([today, r.cash]);
  }
  return r;
}

// ---- The vault side --------------------------------------------------------------------

function accountActivities(v: Vault, account: number): Activity[] {
  return v.activities.filter((a) => a.account_id === account).sort(byDateThenId);
}

/** Prices of the instruments: price points, and trades in any account (a price point
 *  wins on its date; among trades of one date, the last entered). */
function observations(v: Vault, instruments: Set<number>): Map<number, [string, Dec][]> {
  const out = new Map<number, [string, Dec][]>();
  for (const i of instruments) {
    const byDate = new Map<string, Dec>();
    for (const a of v.activities.filter((x) => x.instrument_id === i && (x.kind === 'buy' || x.kind === 'sell')).sort(byDateThenId)) {
      if (a.unit_price !== null) byDate.set(a.date, Dec.parse(a.unit_price)!);
    }
    for (const p of v.prices.filter((x) => x.instrument_id === i)) byDate.set(p.date, Dec.parse(p.price)!);
    out.set(i, [...byDate.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  }
  return out;
}

/** The accounts whose activities use any of `instruments`. */
function accountsHolding(v: Vault, instruments: Set<number>): Set<number> {
  return new Set(v.activities.filter((a) => a.instrument_id !== null && instruments.has(a.instrument_id)).map((a) => a.account_id));
}

export function rederiveInstruments(v: Vault, instruments: Set<number>): void {
  rederiveAccounts(v, accountsHolding(v, instruments));
}

/** Re-derives `accounts` and every account trading the same instruments. */
function rederiveWithNeighbours(v: Vault, accounts: Set<number>): void {
  const instruments = new Set(v.activities.filter((a) => accounts.has(a.account_id) && a.instrument_id !== null).map((a) => a.instrument_id!));
  const all = accountsHolding(v, instruments);
  for (const a of accounts) all.add(a);
  rederiveAccounts(v, all);
}

function rederiveAccounts(v: Vault, accounts: Set<number>): void {
  for (const a of [...accounts].sort((x, y) => x - y)) rederiveAccount(v, a);
}

/** A name for a new derived asset in `account`, unique there. */
function freeName(v: Vault, account: number, wanted: string): string {
  for (let n = 1; n < 100; n += 1) {
    const candidate = n === 1 ? wanted : `${wanted} (${n})`;
    if (!v.assets.some((a) => a.account_id === account && nocase(a.name) === nocase(candidate))) return candidate;
  }
  return fail('duplicate', 'asset exists');
}

function writePoints(v: Vault, asset: number, points: { date: string; value: Dec; units: [Dec, Dec | null] | null }[]): void {
  v.values = v.values.filter((p) => p.asset_id !== asset);
  for (const p of points) {
    v.values.push({
      asset_id: asset, date: p.date, value: stored(p.value),
      quantity: p.units ? stored(p.units[0]) : null,
      unit_price: p.units && p.units[1] ? stored(p.units[1]) : null,
      source: 'manual',
    });
  }
}

function rederiveAccount(v: Vault, account: number): void {
  const acc = v.accounts.find((a) => a.id === account);
  if (!acc) return;
  const acts = accountActivities(v, account);
  const instruments = new Set(acts.filter((a) => needsInstrument(a.kind) && a.instrument_id !== null).map((a) => a.instrument_id!));
  const r = replay(acts, observations(v, instruments));
  const existing = v.assets.filter((a) => a.account_id === account && a.derived === 'position' && a.instrument_id != null);
  for (const a of existing) if (!instruments.has(a.instrument_id!)) removeAsset(v, a.id);
  for (const [instrument, track] of [...r.tracks.entries()].sort(([x], [y]) => x - y)) {
    if (!instruments.has(instrument)) continue;
    let asset = existing.find((a) => a.instrument_id === instrument)?.id;
    if (asset === undefined) {
      const i = v.instruments.find((x) => x.id === instrument)!;
      const row: Asset = {
        id: nextId(v.assets), account_id: account, name: freeName(v, account, i.name), class: i.class, liability: false,
        currency: i.currency, isin: i.isin, ticker: i.ticker, share_pct: '100', ownership: 'full', archived: false,
        components: [], allocations: copy(i.allocations), derived: 'position', instrument_id: instrument,
      };
      v.assets.push(row);
      asset = row.id;
    }
    writePoints(v, asset, track.points.map((p) => ({ date: p.date, value: p.value, units: [p.units, p.price] })));
  }
  // Cash: one asset while any activity moved money.
  const cash = v.assets.find((a) => a.account_id === account && a.derived === 'cash');
  if (cash && r.cashPoints.length === 0) removeAsset(v, cash.id);
  if (r.cashPoints.length > 0) {
    let id = cash?.id;
    if (id === undefined) {
      const row: Asset = {
        id: nextId(v.assets), account_id: account, name: freeName(v, account, LABELS.fr['derived.cash']), class: 'cash', liability: false,
        currency: acc.currency, isin: null, ticker: null, share_pct: '100', ownership: 'full', archived: false,
        components: [], allocations: {}, derived: 'cash',
      };
      v.assets.push(row);
      id = row.id;
    }
    writePoints(v, id, r.cashPoints.map(([x, c]) => ({ date: x, value: c, units: null })));
  }
}

export function listActivities(v: Vault, account: number | null): Activity[] {
  return v.activities.filter((a) => account === null || a.account_id === account).sort(byDateThenId).map((a) => ({ ...a }));
}

/** `add_activities`: all or nothing; a sale of more than held is refused. */
export function addActivities(v: Vault, raws: unknown[]): number[] {
  const checked = raws.map((raw) => checkActivity(v, raw));
  return atomically(v, () => {
    const ids = checked.map((a) => {
      const row: Activity = { id: nextId(v.activities), ...storedFields(a) };
      v.activities.push(row);
      return row.id;
    });
    rederiveWithNeighbours(v, new Set(checked.map((a) => a.account_id)));
    return ids;
  });
}

export function addOpeningPosition(v: Vault, account: number, instrument: number, day: string, quantity: string, averageCost: string): number {
  return addActivities(v, [{
    account_id: account, date: day, kind: 'transfer_in', instrument_id: instrument, quantity, unit_price: averageCost,
    amount: null, fees: '0', note: 'opening position',
  }])[0]!;
}

export function updateActivity(v: Vault, id: number, raw: unknown): void {
  const a = checkActivity(v, raw);
  atomically(v, () => {
    const row = v.activities.find((x) => x.id === id) ?? fail('not_found', 'activity not found');
    const accounts = new Set([row.account_id, a.account_id]);
    const oldInstrument = row.instrument_id;
    Object.assign(row, storedFields(a));
    if (oldInstrument !== null) for (const x of accountsHolding(v, new Set([oldInstrument]))) accounts.add(x);
    rederiveWithNeighbours(v, accounts);
  });
}

/** Refused (nothing changed) when a later sale would then sell more than held. */
export function deleteActivity(v: Vault, id: number): void {
  atomically(v, () => {
    const row = v.activities.find((x) => x.id === id) ?? fail('not_found', 'activity not found');
    const accounts = new Set([row.account_id]);
    if (row.instrument_id !== null) for (const x of accountsHolding(v, new Set([row.instrument_id]))) accounts.add(x);
    v.activities = v.activities.filter((x) => x.id !== id);
    rederiveWithNeighbours(v, accounts);
  });
}

const cents = (x: Dec) => x.money().toString();

/** An account's positions, cash, gains and income on `day`, from its activities. */
export function holdings(v: Vault, account: number, day: string): Holdings {
  const acc = v.accounts.find((a) => a.id === account) ?? fail('not_found', 'account not found');
  const acts = accountActivities(v, account).filter((a) => a.date <= day);
  const instruments = new Set(acts.flatMap((a) => (a.instrument_id === null ? [] : [a.instrument_id])));
  const obs = observations(v, instruments);
  for (const [i, list] of obs) obs.set(i, list.filter(([x]) => x <= day));
  const r = replay(acts, obs);
  const meta = new Map(v.instruments.map((i) => [i.id, i]));
  const assetOf = new Map(v.assets.filter((a) => a.account_id === account && a.derived === 'position').map((a) => [a.instrument_id!, a.id]));
  const positions: Position[] = [...r.tracks.entries()]
    .sort(([x], [y]) => x - y)
    .filter(([, t]) => !t.units.isZero() || !t.realised.isZero() || !t.income.isZero())
    .map(([i, t]) => {
      const value = trackValue(t);
      return {
        instrument_id: i,
        asset_id: assetOf.get(i) ?? null,
        units: t.units.trimmed().toString(),
        price: t.price ? t.price[1].trimmed().toString() : null,
        price_date: t.price ? t.price[0] : null,
        value: cents(value),
        cost: cents(t.cost),
        average_cost: t.units.isZero() ? null : t.cost.div(t.units).roundDp(4).trimmed().toString(),
        unrealised: cents(value.sub(t.cost)),
        realised: cents(t.realised),
        income: cents(t.income),
        currency: meta.get(i)?.currency ?? '',
      };
    });
  const lower = (p: Position) => meta.get(p.instrument_id)?.name.toLowerCase() ?? '';
  positions.sort((a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0));
  const years = new Map<number, { income: Dec; realised: Dec; fees: Dec }>();
  const year = (y: number) => {
    let e = years.get(y);
    if (!e) {
      e = { income: Dec.ZERO, realised: Dec.ZERO, fees: Dec.ZERO };
      years.set(y, e);
    }
    return e;
  };
  for (const [y, x] of [...r.income.entries()].sort(([a], [b]) => a - b)) year(y).income = year(y).income.add(x);
  const realisedKeys = [...r.realised.keys()].map((k) => k.split(':').map(Number) as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [y, i] of realisedKeys) year(y).realised = year(y).realised.add(r.realised.get(`${y}:${i}`)!);
  for (const [y, x] of [...r.fees.entries()].sort(([a], [b]) => a - b)) year(y).fees = year(y).fees.add(x);
  const perYear: YearIncome[] = [...years.entries()]
    .sort(([a], [b]) => a - b)
    .map(([y, e]) => ({ year: y, income: cents(e.income), realised: cents(e.realised), fees: cents(e.fees) }));
  return { account_id: account, date: day, currency: acc.currency, cash: cents(r.cash), positions, years: perYear, activities: acts.length };
}

/** `activity_flows`: deposits, withdrawals and transfers of units within `(from, to]`
 *  of the accounts with activities, each with the currency it is in. */
export function activityFlows(v: Vault, account: number | null, from: string, to: string): { date: string; amount: Dec; currency: string }[] {
  const accounts = new Set(v.activities.filter((a) => (account === null || a.account_id === account) && a.date > from && a.date <= to).map((a) => a.account_id));
  const out = [];
  for (const acc of [...accounts].sort((x, y) => x - y)) {
    const cur = v.accounts.find((a) => a.id === acc)?.currency;
    if (cur === undefined) continue;
    const acts = accountActivities(v, acc).filter((a) => a.date <= to);
    const transfers = acts.some((a) => a.date > from && (a.kind === 'transfer_in' || a.kind === 'transfer_out'));
    const r = transfers
      ? replay(acts, observations(v, new Set(acts.flatMap((a) => (a.instrument_id === null ? [] : [a.instrument_id])))))
      : replay(acts.filter((a) => a.kind === 'deposit' || a.kind === 'withdrawal'), new Map());
    for (const [x, amount, inst] of r.flows) {
      if (x > from && x <= to) {
        const c = inst === null ? cur : v.instruments.find((i) => i.id === inst)?.currency ?? cur;
        out.push({ date: x, amount, currency: c });
      }
    }
  }
  return out;
}

/** `delete_asset`'s extra rule: a position or an account's cash goes with its activities. */
export function tradedAsset(v: Vault, a: Asset): boolean {
  return v.activities.some((t) => t.account_id === a.account_id && (a.derived === 'cash' || (a.derived === 'position' && t.instrument_id === a.instrument_id)));
}
