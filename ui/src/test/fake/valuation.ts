//! Net worth, series, breakdowns, stale values and performance, computed as the core's
//! `analytics` does: a value counts from its date until the next one, times the
//! ownership share, converted with the rate on or before the date, negative for
//! liabilities; amounts rounded to cents at the end, percentages to 2 places.
import type {
  Account, AccountBalance, AccountsOverview, Asset, Breakdown, BreakdownBy, Institution, NetWorth, NoReturn, Performance, Series, Slice, StaleAsset, Step,
} from '../../lib/ipc/generated/types';
import { UNCLASSIFIED } from '../../lib/ipc/generated/constants';
import { addDays, daysBetween } from '../../lib/dates';
import { Dec, ratioFromF64, sum } from './decimal';
import { shareChanges, shareOn } from './dismemberment';
import { loanInterestBetween } from './loans';
import { fail, invalid, type Vault } from './model';
import { activityFlows } from './securities';

// ---- Values and rates ---------------------------------------------------------------

/** The last value of an asset on or before `date` (`values_at`). */
function valueAt(v: Vault, assetId: number, date: string): Dec | null {
  let best: { date: string; value: string } | null = null;
  for (const p of v.values) if (p.asset_id === assetId && p.date <= date && (!best || p.date > best.date)) best = p;
  return best ? Dec.parse(best.value) : null;
}

/** Every asset with a value on `date`, by id. */
function valuesAt(v: Vault, date: string): [number, Dec][] {
  const out: [number, Dec][] = [];
  for (const a of [...v.assets].sort((x, y) => x.id - y.id)) {
    const value = valueAt(v, a.id, date);
    if (value) out.push([a.id, value]);
  }
  return out;
}

/** `fx::Converter`: the factor from `currency` to the base currency on `date`, if known. */
class Converter {
  constructor(private readonly v: Vault, readonly base: string) {}

  private perEur(currency: string, date: string): Dec | null {
    if (currency === 'EUR') return Dec.ONE;
    let best: { date: string; rate: string } | null = null;
    for (const r of this.v.rates) if (r.currency === currency && r.date <= date && (!best || r.date > best.date)) best = r;
    return best ? Dec.parse(best.rate) : null;
  }

  factor(currency: string, date: string): Dec | null {
    if (currency === this.base) return Dec.ONE;
    const from = this.perEur(currency, date);
    const to = this.perEur(this.base, date);
    return from && to ? to.div(from) : null;
  }
}

/** `Meta::factor`: the share on `date` as a fraction (article 669 as the usufructuary
 *  ages), negative for a liability. */
function factor(v: Vault, id: number, date: string): Dec {
  const a = v.assets.find((x) => x.id === id);
  if (!a) return Dec.ZERO;
  const f = shareOn(a, date).div(Dec.HUNDRED);
  return a.liability ? f.neg() : f;
}

/** `Meta::look_through`: the leaves of a composite and their fractions. */
function lookThrough(v: Vault, id: number): [number, Dec][] {
  const out: [number, Dec][] = [];
  const stack: [number, Dec, number][] = [[id, Dec.ONE, 0]];
  while (stack.length) {
    const [n, frac, depth] = stack.pop()!;
    const a = v.assets.find((x) => x.id === n);
    if (a && a.components.length > 0 && depth < 16) {
      for (const c of a.components) stack.push([c.asset_id, frac.mul(Dec.parse(c.weight) ?? Dec.ZERO).div(Dec.HUNDRED), depth + 1]);
    } else out.push([n, frac]);
  }
  return out;
}

const sorted = (set: Set<string>) => [...set].sort();

// ---- Net worth ---------------------------------------------------------------------

/** `Vault::in_base_currency`: each asset's value on `date` in the base currency (before
 *  its share), and the currencies without a rate then, sorted. */
function inBaseCurrency(v: Vault, date: string): { values: [Asset, Dec][]; missing: string[] } {
  const conv = new Converter(v, v.baseCurrency);
  const values: [Asset, Dec][] = [];
  const missing = new Set<string>();
  for (const [id, value] of valuesAt(v, date)) {
    const a = v.assets.find((x) => x.id === id)!;
    const fx = conv.factor(a.currency, date);
    if (fx) values.push([a, value.mul(fx)]);
    else missing.add(a.currency);
  }
  return { values, missing: sorted(missing) };
}

/** `Vault::accounts_overview`: each account's value (base currency, net, after shares),
 *  its own balance, and each institution's total; `accounts` and `institutions` in
 *  the core's order. */
export function accountsOverview(v: Vault, date: string, accounts: Account[], institutions: Institution[]): AccountsOverview {
  const { values, missing } = inBaseCurrency(v, date);
  const value = new Map<number, Dec>();
  for (const [a, x] of values) {
    if (a.account_id === null) continue;
    value.set(a.account_id, (value.get(a.account_id) ?? Dec.ZERO).add(x.mul(factor(v, a.id, date))));
  }
  const byInstitution = new Map<number, Dec>();
  const rows: AccountBalance[] = accounts.map((acc) => {
    const held = v.assets.filter((a) => a.account_id === acc.id);
    const ids = new Set(held.map((a) => a.id));
    const dates = v.values.filter((p) => ids.has(p.asset_id) && p.date <= date).map((p) => p.date).sort();
    const balanceAsset = held.find((a) => v.balances.includes(a.id)) ?? null;
    const point = balanceAsset
      ? v.values.filter((p) => p.asset_id === balanceAsset.id && p.date <= date).sort((x, y) => (x.date < y.date ? 1 : -1))[0] ?? null
      : null;
    const total = value.get(acc.id) ?? Dec.ZERO;
    byInstitution.set(acc.institution_id, (byInstitution.get(acc.institution_id) ?? Dec.ZERO).add(total));
    return {
      account_id: acc.id,
      value: total.money().toString(),
      balance: point ? point.value : null,
      balance_date: point ? point.date : null,
      balance_asset_id: balanceAsset ? balanceAsset.id : null,
      last_date: dates.length > 0 ? dates[dates.length - 1]! : null,
      holdings: held.length,
      activities: v.activities.filter((x) => x.account_id === acc.id).length,
    };
  });
  return {
    date, currency: v.baseCurrency, accounts: rows,
    institutions: institutions.map((i) => ({ institution_id: i.id, value: (byInstitution.get(i.id) ?? Dec.ZERO).money().toString() })),
    missing_rates: missing,
  };
}

export function netWorth(v: Vault, date: string): NetWorth {
  let assets = Dec.ZERO;
  let liabilities = Dec.ZERO;
  const { values, missing } = inBaseCurrency(v, date);
  for (const [a, value] of values) {
    const amount = value.mul(shareOn(a, date)).div(Dec.HUNDRED);
    if (a.liability) liabilities = liabilities.add(amount);
    else assets = assets.add(amount);
  }
  return {
    date, currency: v.baseCurrency,
    net_worth: assets.sub(liabilities).money().toString(),
    assets: assets.money().toString(),
    liabilities: liabilities.money().toString(),
    missing_rates: missing,
  };
}

// ---- Series -------------------------------------------------------------------------

const monthEnd = (y: number, m: number) => {
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
};

/** `analytics::sample_dates`: every day or week from `from`, or `from` and each month end; `to` last. */
export function sampleDates(from: string, to: string, step: Step): string[] {
  const out: string[] = [];
  if (to < from) return out;
  if (step === 'daily' || step === 'weekly') {
    const n = step === 'daily' ? 1 : 7;
    for (let d = from; d <= to; d = addDays(d, n)) out.push(d);
  } else {
    out.push(from);
    let y = Number(from.slice(0, 4));
    let m = Number(from.slice(5, 7));
    for (;;) {
      const end = monthEnd(y, m);
      if (end > from && end <= to) out.push(end);
      if (end >= to) break;
      m += 1;
      if (m === 13) {
        m = 1;
        y += 1;
      }
    }
  }
  if (out[out.length - 1] !== to) out.push(to);
  return out;
}

export function series(v: Vault, from: string, to: string, step: Step, stackByClass: boolean): Series {
  if (to < from) invalid('to', 'the end of the range is before its start');
  const conv = new Converter(v, v.baseCurrency);
  const dates = sampleDates(from, to, step);
  // Each asset feeds stacks (its classes, looking through composites) with a factor.
  const groups: string[] = [];
  const intern = (k: string) => {
    const i = groups.indexOf(k);
    if (i >= 0) return i;
    groups.push(k);
    return groups.length - 1;
  };
  const routes = new Map<number, [number, Dec][]>();
  // Assets whose share changes within the range (article 669 as the usufructuary ages)
  // are valued with the share of each date.
  const varying = new Set<number>();
  for (const a of [...v.assets].sort((x, y) => x.id - y.id)) {
    const varies = shareChanges(a, from, to).length > 0;
    if (varies) varying.add(a.id);
    const f = varies ? (a.liability ? Dec.ONE.neg() : Dec.ONE) : factor(v, a.id, from);
    let parts: [number, Dec][];
    if (stackByClass) {
      parts = [];
      for (const [leaf, frac] of lookThrough(v, a.id)) {
        const g = intern(v.assets.find((x) => x.id === leaf)?.class ?? 'other');
        const p = parts.find((x) => x[0] === g);
        if (p) p[1] = p[1].add(frac);
        else parts.push([g, frac]);
      }
    } else parts = [[0, Dec.ONE]];
    routes.set(a.id, parts.map(([g, frac]) => [g, f.mul(frac)]));
  }
  const width = stackByClass ? groups.length : 1;
  const missing = new Set<string>();
  const totals: string[] = [];
  const stacks: string[][] = Array.from({ length: width }, () => []);
  for (const date of dates) {
    // Sums per (stack, currency), converted at the date; an empty sum needs no rate.
    const slots = new Map<string, { g: number; currency: string; sum: Dec }>();
    for (const [id, held] of valuesAt(v, date)) {
      const a = v.assets.find((x) => x.id === id)!;
      const value = varying.has(id) ? held.mul(shareOn(a, date)).div(Dec.HUNDRED) : held;
      for (const [g, f] of routes.get(id) ?? []) {
        const key = `${g}\u0000${a.currency}`;
        const slot = slots.get(key) ?? { g, currency: a.currency, sum: Dec.ZERO };
        slot.sum = slot.sum.add(value.mul(f));
        slots.set(key, slot);
      }
    }
    const perGroup = Array.from({ length: width }, () => Dec.ZERO);
    for (const s of slots.values()) {
      if (s.sum.isZero()) continue;
      const fx = conv.factor(s.currency, date);
      if (fx) perGroup[s.g] = perGroup[s.g]!.add(s.sum.mul(fx));
      else missing.add(s.currency);
    }
    totals.push(sum(perGroup).money().toString());
    perGroup.forEach((x, g) => stacks[g]!.push(x.money().toString()));
  }
  return {
    currency: v.baseCurrency, dates, totals,
    stacks: stackByClass ? groups.map((key, g) => ({ key, values: stacks[g]! })) : [],
    missing_rates: sorted(missing),
  };
}

// ---- Breakdown ----------------------------------------------------------------------

const DIRECT = 'direct';

export function breakdown(v: Vault, date: string, by: BreakdownBy): Breakdown {
  let dim: string | null = null;
  if (by.by === 'dimension') {
    const d = v.dimensions.find((x) => x.name.toLowerCase() === by.name.toLowerCase());
    if (!d) fail('not_found', 'dimension not found');
    dim = d.name;
  }
  const buckets = new Map<string, { label: string; value: Dec }>();
  const add = (key: string, label: string, amount: Dec) => {
    const b = buckets.get(key) ?? { label, value: Dec.ZERO };
    b.value = b.value.add(amount);
    buckets.set(key, b);
  };
  const { values, missing } = inBaseCurrency(v, date);
  let total = Dec.ZERO;
  for (const [a, value] of values) {
    const id = a.id;
    const amount = value.mul(factor(v, id, date));
    total = total.add(amount);
    const account = a.account_id === null ? undefined : v.accounts.find((x) => x.id === a.account_id);
    switch (by.by) {
      case 'class':
        for (const [leaf, frac] of lookThrough(v, id)) {
          const cls = v.assets.find((x) => x.id === leaf)?.class ?? 'other';
          add(cls, cls, amount.mul(frac));
        }
        break;
      case 'dimension':
        for (const [leaf, frac] of lookThrough(v, id)) {
          const weights = v.assets.find((x) => x.id === leaf)?.allocations[dim!] ?? [];
          if (weights.length === 0) add(UNCLASSIFIED, UNCLASSIFIED, amount.mul(frac));
          else for (const w of weights) add(w.bucket, w.bucket, amount.mul(frac).mul(Dec.parse(w.weight) ?? Dec.ZERO).div(Dec.HUNDRED));
        }
        break;
      case 'institution': {
        const inst = account && v.institutions.find((x) => x.id === account.institution_id);
        if (account) add(`institution:${account.institution_id}`, inst?.name ?? '', amount);
        else add(DIRECT, DIRECT, amount);
        break;
      }
      case 'account':
        if (account) add(`account:${account.id}`, account.name, amount);
        else add(DIRECT, DIRECT, amount);
        break;
      case 'account_kind':
        if (account) add(account.kind, account.kind, amount);
        else add(DIRECT, DIRECT, amount);
        break;
      case 'currency':
        add(a.currency, a.currency, amount);
        break;
    }
  }
  const positive = sum([...buckets.values()].map((b) => b.value).filter((x) => x.sign() > 0));
  const byteOrder = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const slices: (Slice & { rounded: Dec })[] = [...buckets.entries()]
    .sort(([x], [y]) => byteOrder(x, y))
    .map(([key, b]) => ({
      key, label: b.label, rounded: b.value.money(), value: b.value.money().toString(),
      percent: (positive.isZero() ? Dec.ZERO : b.value.div(positive).mul(Dec.HUNDRED).roundDp(2)).toString(),
    }));
  slices.sort((x, y) => y.rounded.cmp(x.rounded) || byteOrder(x.key, y.key));
  return {
    date, currency: v.baseCurrency, total: total.money().toString(),
    slices: slices.map(({ key, label, value, percent }) => ({ key, label, value, percent })),
    missing_rates: missing,
  };
}

// ---- Stale values -------------------------------------------------------------------

export function staleAssets(v: Vault, date: string, maxAgeDays: number): StaleAsset[] {
  const components = new Set(v.assets.flatMap((a) => a.components.map((c) => c.asset_id)));
  const out: StaleAsset[] = [];
  for (const a of [...v.assets].sort((x, y) => x.id - y.id)) {
    // Computed values follow prices, activities and schedules: never stale.
    if (a.archived || a.derived) continue;
    let last: string | null = null;
    for (const p of v.values) if (p.asset_id === a.id && p.date <= date && (!last || p.date > last)) last = p.date;
    if (last === null && components.has(a.id)) continue;
    const age = last === null ? null : daysBetween(last, date);
    if (age === null || age > maxAgeDays) out.push({ asset_id: a.id, name: a.name, last_date: last, age_days: age });
  }
  // None first, then by date, then by id (Rust's ordering of (Option<date>, id)).
  return out.sort((x, y) => (x.last_date ?? '') < (y.last_date ?? '') ? -1 : (x.last_date ?? '') > (y.last_date ?? '') ? 1 : x.asset_id - y.asset_id);
}

// ---- Performance -------------------------------------------------------------------

/** `performance::time_weighted_return`. */
function timeWeightedReturn(values: number[], flows: number[]): number | null {
  if (values.length < 2 || values.length !== flows.length) return null;
  let growth = 1;
  let any = false;
  for (let i = 1; i < values.length; i += 1) {
    const start = values[i - 1]!;
    if (Math.abs(start) < 1e-9) continue;
    growth *= (values[i]! - flows[i]!) / start;
    any = true;
  }
  return any ? growth - 1 : null;
}

/** `performance::xirr`: Newton from 10 %, then bisection. */
function xirr(flows: [string, number][]): number | null {
  if (flows.length === 0) return null;
  const first = flows.map((f) => f[0]).sort()[0]!;
  const t = flows.map(([d, a]) => [daysBetween(first, d) / 365, a] as const);
  if (!(t.some((x) => x[1] > 0) && t.some((x) => x[1] < 0))) return null;
  const npv = (r: number) => t.reduce((s, [y, a]) => s + a / (1 + r) ** y, 0);
  const dnpv = (r: number) => t.reduce((s, [y, a]) => s + (-y * a) / (1 + r) ** (y + 1), 0);
  let r = 0.1;
  for (let i = 0; i < 50; i += 1) {
    const f = npv(r);
    const df = dnpv(r);
    if (!Number.isFinite(f) || !Number.isFinite(df) || Math.abs(df) < 1e-12) break;
    const next = r - f / df;
    if (next <= -0.999999 || !Number.isFinite(next)) break;
    if (Math.abs(next - r) < 1e-10) return next;
    r = next;
  }
  let lo = -0.999999;
  let hi = 1.0;
  while (Math.sign(npv(lo)) === Math.sign(npv(hi)) && hi < 1e6) hi *= 2;
  if (Math.sign(npv(lo)) === Math.sign(npv(hi))) return null;
  for (let i = 0; i < 300; i += 1) {
    const mid = (lo + hi) / 2;
    if (Math.sign(npv(lo)) === Math.sign(npv(mid))) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-12) break;
  }
  return (lo + hi) / 2;
}

/** One asset's values over a range (`performance::Holding`). */
interface Holding {
  id: number;
  accountId: number | null;
  /** A position or an account's cash from activities: its flows are the account's
   *  deposits, withdrawals and transfers, not its first or last value. */
  fromActivities: boolean;
  liability: boolean;
  /** The part of its value held on a date (0–1). */
  share: (date: string) => Dec;
  currency: string;
  atFrom: Dec | null;
  points: [string, Dec][];
}

function nativeAt(h: Holding, date: string): Dec {
  for (let i = h.points.length - 1; i >= 0; i -= 1) if (h.points[i]![0] <= date) return h.points[i]![1];
  return h.atFrom ?? Dec.ZERO;
}

function holdings(v: Vault, from: string, to: string): Holding[] {
  const atFrom = new Map(valuesAt(v, from));
  return [...v.assets].sort((x, y) => x.id - y.id).map((a) => ({
    id: a.id,
    accountId: a.account_id,
    fromActivities: a.derived === 'position' || a.derived === 'cash',
    liability: a.liability,
    share: (date: string) => shareOn(a, date).div(Dec.HUNDRED),
    currency: a.currency,
    atFrom: atFrom.get(a.id) ?? null,
    points: v.values
      .filter((p) => p.asset_id === a.id && p.date > from && p.date <= to)
      .sort((x, y) => (x.date < y.date ? -1 : 1))
      .map((p) => [p.date, Dec.parse(p.value) ?? Dec.ZERO] as [string, Dec]),
  }));
}

const ratio = (x: number | null) => (x === null ? null : ratioFromF64(x)?.toString() ?? null);

/** `Vault::performance`: flows, new and removed items, revaluation, debts, TWR and XIRR
 *  on the assets, each return with the reason when it is not given. */
export function performance(v: Vault, account: number | null, from: string, to: string): Performance {
  if (to <= from) invalid('to', 'the end of the range must be after its start');
  const conv = new Converter(v, v.baseCurrency);
  const fx = (currency: string, date: string): Dec => {
    const f = conv.factor(currency, date);
    if (!f) invalid('fx', `no exchange rate for ${currency}`);
    return f;
  };
  const scope = holdings(v, from, to).filter((h) => account === null || h.accountId === account);
  const flows = new Map<string, Dec>();
  const addFlow = (d: string, x: Dec) => flows.set(d, (flows.get(d) ?? Dec.ZERO).add(x));
  let newItems = Dec.ZERO;
  let removedItems = Dec.ZERO;
  let newDebt = Dec.ZERO;
  let revaluations = 0;
  let invested = false;
  for (const h of scope) {
    let prev = h.atFrom ?? Dec.ZERO;
    invested ||= !h.liability && !prev.isZero();
    for (const [d, value] of h.points) {
      const was = !prev.isZero();
      const is = !value.isZero();
      if (h.fromActivities) {
        if (was && is) revaluations += 1;
        invested ||= is;
      } else if (h.liability) {
        if (!was && is) newDebt = newDebt.add(value.mul(h.share(d)).mul(fx(h.currency, d)));
      } else if (!was && is) {
        const amount = value.mul(h.share(d)).mul(fx(h.currency, d));
        newItems = newItems.add(amount);
        addFlow(d, amount);
        invested = true;
      } else if (was && !is) {
        const amount = prev.mul(h.share(d)).mul(fx(h.currency, d));
        removedItems = removedItems.add(amount);
        addFlow(d, amount.neg());
      } else if (was) {
        revaluations += 1;
      }
      prev = value;
    }
  }
  let netFlows = Dec.ZERO;
  for (const f of [...v.flows].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.id - y.id))) {
    if (account !== null && f.account_id !== account) continue;
    if (f.date <= from || f.date > to) continue;
    const cur = v.accounts.find((a) => a.id === f.account_id)?.currency ?? v.baseCurrency;
    const amount = (Dec.parse(f.amount) ?? Dec.ZERO).mul(fx(cur, f.date));
    netFlows = netFlows.add(amount);
    addFlow(f.date, amount);
  }
  // Deposits, withdrawals and transfers of units of the accounts with activities.
  for (const f of activityFlows(v, account, from, to)) {
    const amount = f.amount.mul(fx(f.currency, f.date));
    netFlows = netFlows.add(amount);
    addFlow(f.date, amount);
  }
  let interestPaid = Dec.ZERO;
  for (const [id, interest] of loanInterestBetween(v, from, to)) {
    const h = scope.find((x) => x.id === id);
    if (h) interestPaid = interestPaid.add(interest.mul(h.share(to)).mul(fx(h.currency, to)));
  }
  const totals = (date: string, liability: boolean): Dec => {
    let total = Dec.ZERO;
    for (const h of scope) {
      if (h.liability !== liability) continue;
      const value = nativeAt(h, date);
      if (!value.isZero()) total = total.add(value.mul(h.share(date)).mul(fx(h.currency, date)));
    }
    return total;
  };
  const flowDates = [...flows.keys()].sort();
  const dates = [from, ...flowDates.filter((d) => d < to), to];
  const values = dates.map((d) => totals(d, false));
  const debtStart = totals(from, true);
  const debtEnd = totals(to, true);
  const start = values[0]!;
  const end = values[values.length - 1]!;
  let missing: NoReturn | null = null;
  if (!invested) {
    const hasDebt = scope.some((h) => h.liability && (h.atFrom !== null || h.points.length > 0));
    missing = hasDebt ? 'liabilities_only' : 'nothing_invested';
  } else if (revaluations === 0) {
    missing = 'no_revaluation';
  }
  const flowAt = dates.map((d, i) => (i === 0 ? Dec.ZERO : flows.get(d) ?? Dec.ZERO));
  let twr: string | null = null;
  let twrMissing: NoReturn | null = missing;
  if (missing === null) {
    twr = ratio(timeWeightedReturn(values.map((x) => x.toNumber()), flowAt.map((x) => x.toNumber())));
    if (twr === null) twrMissing = 'nothing_invested';
  }
  let xirrValue: string | null = null;
  let xirrMissing: NoReturn | null = twrMissing;
  if (twrMissing === null) {
    const xf: [string, number][] = [[from, -start.toNumber()], ...flowDates.map((d) => [d, -flows.get(d)!.toNumber()] as [string, number]), [to, end.toNumber()]];
    xirrValue = ratio(xirr(xf));
    if (xirrValue === null) xirrMissing = 'no_solution';
  }
  return {
    account_id: account, from, to,
    start_value: start.sub(debtStart).money().toString(),
    end_value: end.sub(debtEnd).money().toString(),
    net_flows: netFlows.money().toString(),
    new_items: newItems.money().toString(),
    removed_items: removedItems.money().toString(),
    gain: end.sub(start).sub(netFlows).sub(newItems).add(removedItems).money().toString(),
    debt_start: debtStart.money().toString(),
    debt_end: debtEnd.money().toString(),
    new_debt: newDebt.money().toString(),
    capital_repaid: debtStart.add(newDebt).sub(debtEnd).money().toString(),
    interest_paid: interestPaid.money().toString(),
    twr,
    twr_missing: twrMissing,
    xirr: xirrValue,
    xirr_missing: xirrMissing,
  };
}

/** The first date with a value (the start of a chart's whole history). */
export function firstValueDate(v: Vault): string | null {
  return v.values.reduce<string | null>((m, p) => (m === null || p.date < m ? p.date : m), null);
}
