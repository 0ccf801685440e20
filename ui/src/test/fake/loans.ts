//! Loans held with their terms, as the core keeps them (`wealth::loans`): the liability
//! asset's values are the schedule's outstanding capital (the principal on the day it
//! is lent, then the capital after each line), re-derived with every change of the
//! terms or the early repayments, all or nothing; a property's net equity.
import type { Asset, Equity, Keep, Loan, LoanSchedule, LoanTerms, RecordedRepayment } from '../../lib/ipc/generated/types';
import { Dec } from './decimal';
import { dismemberedShare, shareOn } from './dismemberment';
import { outstandingOn, paidBetween, schedule, startDate, validateTerms, type EarlyRepayment, type Terms } from './loan';
import {
  atomically, currency, date, dec, fail, int, invalid, itemName, nextId, nocase, optDec, record, stored, token, uint,
  type StoredLoan, type Vault,
} from './model';

const AMORTIZATIONS = ['constant', 'in_fine'] as const;
const DEFERRALS = ['none', 'partial', 'total'] as const;
const KEEPS = ['payment', 'term'] as const;

/** What serde reads of a `Loan` (the asset id and the repayments are ignored). */
function loanInput(raw: unknown) {
  const l = record('input', raw);
  const t = record('terms', l.terms);
  const terms: Terms = {
    principal: dec('principal', t.principal),
    annual_rate: dec('annual_rate', t.annual_rate),
    months: uint('months', t.months),
    first_payment: date('first_payment', t.first_payment),
    insurance: dec('insurance', t.insurance),
    amortization: token('amortization', t.amortization, AMORTIZATIONS),
    deferral: token('deferral', t.deferral, DEFERRALS),
    deferral_months: uint('deferral_months', t.deferral_months),
  };
  return {
    account_id: l.account_id === undefined || l.account_id === null ? null : int('account_id', l.account_id),
    name: l.name,
    currency: l.currency,
    share_pct: dec('share_pct', l.share_pct),
    terms,
    linked_asset_id: l.linked_asset_id === undefined || l.linked_asset_id === null ? null : int('linked_asset_id', l.linked_asset_id),
  };
}

/** `money::percent`. */
function percent(field: string, x: Dec): Dec {
  if (x.sign() < 0 || x.cmp(Dec.HUNDRED) > 0) invalid(field, 'a percentage between 0 and 100');
  return x.trimmed();
}

/** `check_link`: a loan finances an asset, not a debt. */
function checkLink(v: Vault, linked: number | null): void {
  if (linked === null) return;
  const a = v.assets.find((x) => x.id === linked);
  if (!a) fail('not_found', 'linked asset not found');
  if (a.liability) invalid('linked_asset_id', 'a loan finances an asset, not a debt');
}

function termsOf(v: Vault, asset: number): StoredLoan {
  return v.loans.find((l) => l.asset_id === asset) ?? fail('not_found', 'loan not found');
}

const parsedTerms = (l: StoredLoan): Terms => ({
  principal: Dec.parse(l.principal)!, annual_rate: Dec.parse(l.annual_rate)!, months: l.months, first_payment: l.first_payment,
  insurance: Dec.parse(l.insurance)!, amortization: l.amortization, deferral: l.deferral, deferral_months: l.deferral_months,
});

function repaymentsOf(v: Vault, asset: number): RecordedRepayment[] {
  return v.repayments
    .filter((r) => r.loan_id === asset)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))
    .map((r) => ({ id: r.id, repayment: { date: r.date, amount: r.amount, keep: r.keep } }));
}

const early = (rs: RecordedRepayment[]): EarlyRepayment[] =>
  rs.map((r) => ({ date: r.repayment.date, amount: r.repayment.amount === null ? null : Dec.parse(r.repayment.amount)!, keep: r.repayment.keep }));

/** Rewrites the loan's values from its schedule. */
function rederive(v: Vault, asset: number): void {
  const terms = parsedTerms(termsOf(v, asset));
  const plan = schedule(terms, early(repaymentsOf(v, asset)));
  v.values = v.values.filter((p) => p.asset_id !== asset);
  const points: [string, Dec][] = [[startDate(terms), terms.principal.money()]];
  for (const l of plan.lines) {
    const last = points[points.length - 1]!;
    if (last[0] === l.date) last[1] = l.remaining;
    else points.push([l.date, l.remaining]);
  }
  for (const [x, value] of points) v.values.push({ asset_id: asset, date: x, value: stored(value), quantity: null, unit_price: null, source: 'manual' });
}

function storedTerms(asset: number, t: Terms, linked: number | null): StoredLoan {
  return {
    asset_id: asset, principal: stored(t.principal), annual_rate: stored(t.annual_rate), months: t.months, first_payment: t.first_payment,
    insurance: stored(t.insurance), amortization: t.amortization, deferral: t.deferral, deferral_months: t.deferral_months,
    linked_asset_id: linked,
  };
}

const termsOut = (l: StoredLoan): LoanTerms => ({
  principal: l.principal, annual_rate: l.annual_rate, months: l.months, first_payment: l.first_payment, insurance: l.insurance,
  amortization: l.amortization, deferral: l.deferral, deferral_months: l.deferral_months,
});

/** One loan, by its asset. */
export function loanOf(v: Vault, asset: number): Loan {
  const l = termsOf(v, asset);
  const a = v.assets.find((x) => x.id === asset)!;
  return {
    asset_id: asset, account_id: a.account_id, name: a.name, currency: a.currency, share_pct: a.share_pct, terms: termsOut(l),
    linked_asset_id: l.linked_asset_id, repayments: repaymentsOf(v, asset),
  };
}

/** Every loan, by its asset's name. */
export function listLoans(v: Vault): Loan[] {
  const assets = v.loans.map((l) => v.assets.find((a) => a.id === l.asset_id)!).filter(Boolean);
  assets.sort((a, b) => (nocase(a.name) < nocase(b.name) ? -1 : nocase(a.name) > nocase(b.name) ? 1 : a.id - b.id));
  return assets.map((a) => loanOf(v, a.id));
}

function checked(v: Vault, raw: unknown) {
  const l = loanInput(raw);
  validateTerms(l.terms);
  const name = itemName('name', l.name);
  const cur = currency(l.currency);
  const share = percent('share_pct', l.share_pct);
  checkLink(v, l.linked_asset_id);
  return { ...l, name, currency: cur, share };
}

const nameTaken = (v: Vault, account: number | null, name: string, self: number | null) =>
  v.assets.some((x) => x.id !== self && (x.account_id ?? 0) === (account ?? 0) && nocase(x.name) === nocase(name));

/** Creates the loan's liability asset from its terms; returns the asset's id. */
export function createLoan(v: Vault, raw: unknown): number {
  const l = checked(v, raw);
  if (l.account_id !== null && !v.accounts.some((a) => a.id === l.account_id)) fail('not_found', 'account not found');
  return atomically(v, () => {
    if (nameTaken(v, l.account_id, l.name, null)) fail('duplicate', 'asset exists');
    const asset: Asset = {
      id: nextId(v.assets), account_id: l.account_id, name: l.name, class: 'loan', liability: true, currency: l.currency, isin: null,
      ticker: null, share_pct: l.share.toString(), ownership: 'full', archived: false, components: [], allocations: {}, derived: 'loan',
    };
    v.assets.push(asset);
    v.loans.push(storedTerms(asset.id, l.terms, l.linked_asset_id));
    rederive(v, asset.id);
    return asset.id;
  });
}

/** Changes a loan's terms, name, share or linked property; its values follow. */
export function updateLoan(v: Vault, asset: number, raw: unknown): void {
  const l = checked(v, raw);
  termsOf(v, asset);
  atomically(v, () => {
    if (l.account_id !== null && !v.accounts.some((a) => a.id === l.account_id)) fail('not_found', 'account not found');
    if (nameTaken(v, l.account_id, l.name, asset)) fail('duplicate', 'asset exists');
    const a = v.assets.find((x) => x.id === asset)!;
    Object.assign(a, { account_id: l.account_id, name: l.name, currency: l.currency, share_pct: l.share.toString() });
    const at = v.loans.findIndex((x) => x.asset_id === asset);
    v.loans[at] = storedTerms(asset, l.terms, l.linked_asset_id);
    rederive(v, asset);
  });
}

/** Records an early repayment; refused, nothing written, when larger than the capital left. */
export function addRepayment(v: Vault, asset: number, raw: unknown): number {
  termsOf(v, asset);
  const r = record('repayment', raw);
  const day = date('date', r.date);
  const amount = optDec('amount', r.amount);
  const keep: Keep = token('keep', r.keep, KEEPS);
  return atomically(v, () => {
    const id = nextId(v.repayments);
    v.repayments.push({ id, loan_id: asset, date: day, amount: amount === null ? null : stored(amount), keep });
    rederive(v, asset);
    return id;
  });
}

export function deleteRepayment(v: Vault, id: number): void {
  atomically(v, () => {
    const r = v.repayments.find((x) => x.id === id) ?? fail('not_found', 'repayment not found');
    v.repayments = v.repayments.filter((x) => x.id !== id);
    rederive(v, r.loan_id);
  });
}

/** A loan's schedule and its state on `day`. */
export function loanSchedule(v: Vault, asset: number, day: string): LoanSchedule {
  const loan = loanOf(v, asset);
  const terms = parsedTerms(termsOf(v, asset));
  const plan = schedule(terms, early(loan.repayments));
  const [interestPaid, insurancePaid] = paidBetween(plan, null, day);
  const outstanding = day < startDate(terms) ? Dec.ZERO : outstandingOn(plan, day, terms.principal.money());
  const last = plan.lines[plan.lines.length - 1];
  return {
    loan,
    schedule: {
      installments: plan.lines.map((l) => ({
        number: l.number, date: l.date, row: l.row, payment: l.payment.toString(), interest: l.interest.toString(),
        capital: l.capital.toString(), insurance: l.insurance.toString(), remaining: l.remaining.toString(),
      })),
      total_interest: plan.total_interest.toString(),
      total_insurance: plan.total_insurance.toString(),
      total_paid: plan.total_paid.toString(),
    },
    date: day,
    outstanding: outstanding.toString(),
    interest_paid: interestPaid.toString(),
    interest_to_pay: plan.total_interest.sub(interestPaid).toString(),
    insurance_paid: insurancePaid.toString(),
    insurance_to_pay: plan.total_insurance.sub(insurancePaid).toString(),
    ends_on: last ? last.date : null,
  };
}

/** Interest paid on each loan within `(after, until]`, before shares. */
export function loanInterestBetween(v: Vault, after: string, until: string): [number, Dec][] {
  return listLoans(v).map((l) => {
    const plan = schedule(parsedTerms(termsOf(v, l.asset_id)), early(l.repayments));
    return [l.asset_id, paidBetween(plan, after, until)[0]];
  });
}

function valueAt(v: Vault, asset: number, day: string): Dec {
  let best: { date: string; value: string } | null = null;
  for (const p of v.values) if (p.asset_id === asset && p.date <= day && (!best || p.date > best.date)) best = p;
  return best ? Dec.parse(best.value)! : Dec.ZERO;
}

/** A property's value, its linked loans' capital and its net equity on each date. */
export function equity(v: Vault, asset: number, dates: string[]): Equity[] {
  const a = v.assets.find((x) => x.id === asset) ?? fail('not_found', 'asset not found');
  const linked = v.loans
    .filter((l) => l.linked_asset_id === asset)
    .map((l) => v.assets.find((x) => x.id === l.asset_id)!)
    .map((x) => [x.id, Dec.parse(x.share_pct)!] as const);
  return dates.map((day) => {
    const value = valueAt(v, asset, day).mul(shareOn(a, day)).div(Dec.HUNDRED);
    let loans = Dec.ZERO;
    for (const [id, share] of linked) loans = loans.add(valueAt(v, id, day).mul(share).div(Dec.HUNDRED));
    // As the core: rounded first, so that the three figures add up to the cent.
    const [v2, l2] = [value.money(), loans.money()];
    return { date: day, value: v2.toString(), loans: l2.toString(), equity: v2.sub(l2).toString() };
  });
}

/** `dismembered_share`: the rule that gives an asset's share on a date, if it follows article 669. */
export function assetDismemberedShare(v: Vault, asset: number, day: string) {
  const a = v.assets.find((x) => x.id === asset) ?? fail('not_found', 'asset not found');
  return dismemberedShare(a, day);
}
