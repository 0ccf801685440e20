//! The demo profile's data: two banks, four accounts, five assets (a fund with region
//! weights, a flat owned half, a loan) and two years of monthly values up to today;
//! then, through the same code as the commands, an instrument with monthly prices
//! held in a compte-titres (an opening position, deposits, buys, a dividend: positions
//! and cash derived from them), a loan held with its terms for the flat, and a family
//! house in bare ownership valued by article 669.
import type { Asset } from '../../lib/ipc/generated/types';
import { addMonths, today } from '../../lib/dates';
import { Dec } from './decimal';
import { createLoan } from './loans';
import { nextId, type Vault } from './model';
import { addActivities, addOpeningPosition, createInstrument, setPrices } from './securities';

const plus = (a: string, b: Dec) => Dec.parse(a)!.add(b).trimmed().toString();

export function seedDemo(v: Vault): void {
  const t = today();
  const bank = { id: nextId(v.institutions), name: 'Crédit Agricole', kind: 'bank' as const, notes: '' };
  v.institutions.push(bank);
  const broker = { id: nextId(v.institutions), name: 'Boursorama', kind: 'broker' as const, notes: '' };
  v.institutions.push(broker);
  const account = (institution_id: number, name: string, kind: 'current' | 'savings' | 'pea' | 'loan', opened_on: string) => {
    const a = { id: nextId(v.accounts), institution_id, name, kind, currency: 'EUR', opened_on, closed_on: null };
    v.accounts.push(a);
    return a;
  };
  const current = account(bank.id, 'Compte courant', 'current', '2015-03-01');
  const livret = account(bank.id, 'Livret A', 'savings', '2012-05-10');
  const pea = account(broker.id, 'PEA', 'pea', '2019-01-15');
  const loanAccount = account(bank.id, 'Prêt immo', 'loan', '2020-06-01');
  const asset = (accountId: number | null, name: string, cls: Asset['class'], extra: Partial<Asset> = {}): Asset => {
    const a: Asset = {
      id: nextId(v.assets), account_id: accountId, name, class: cls, liability: cls === 'loan', currency: 'EUR', isin: null,
      ticker: null, share_pct: '100', ownership: 'full', archived: false, components: [], allocations: {}, ...extra,
    };
    v.assets.push(a);
    return a;
  };
  const cash = asset(current.id, 'Compte courant', 'cash');
  const savings = asset(livret.id, 'Livret A', 'cash');
  const fund = asset(pea.id, 'ETF MSCI World', 'fund', {
    isin: 'FR0010315770',
    allocations: { region: [{ bucket: 'Amérique du Nord', weight: '70' }, { bucket: 'Asie', weight: '10' }, { bucket: 'Europe', weight: '20' }] },
  });
  const flat = asset(null, 'Appartement Lyon', 'real_estate', { share_pct: '50' });
  const loan = asset(loanAccount.id, 'Emprunt résidence', 'loan');
  const point = (asset_id: number, date: string, value: string, source: 'manual' | 'import' = 'import') =>
    v.values.push({ asset_id, date, value, quantity: null, unit_price: null, source });
  for (let m = 24; m >= 0; m -= 1) {
    const d = addMonths(t, -m);
    const k = BigInt(24 - m);
    point(cash.id, d, plus('2450.15', Dec.of(k * 37n)));
    point(savings.id, d, plus('18000', Dec.of(k * 150n)));
    point(fund.id, d, plus('25000.5', Dec.of(k).mul(Dec.parse('612.25')!)));
    // The flat is valued twice a year, the last time more than five months ago.
    if (m % 6 === 0 && m > 5) point(flat.id, d, plus('310000', Dec.of(k * 1000n)), 'manual');
    point(loan.id, d, plus('190000', Dec.of(-k * 1100n)));
  }
  v.flows.push({ id: nextId(v.flows), account_id: pea.id, date: addMonths(t, -6), amount: '1500', note: 'Versement' });
  v.rates.push({ currency: 'USD', date: addMonths(t, -1), rate: '1.0842' });
  seedWealthV2(v, t, broker.id, loanAccount.id, flat.id);
  v.changed = false;
}

/** The price of the MSCI World fund `k` months after the first one (24 months ago). */
const worldPrice = (k: number) => Dec.parse('78.40')!.add(Dec.of(BigInt(k * 85), 2)).add(Dec.of(BigInt(((k * 7) % 5) - 2) * 45n, 2)).toString();

function seedWealthV2(v: Vault, t: string, brokerId: number, loanAccountId: number, flatId: number): void {
  const opened = addMonths(t, -30);
  const cto = { id: nextId(v.accounts), institution_id: brokerId, name: 'Compte-titres', kind: 'brokerage' as const, currency: 'EUR', opened_on: opened, closed_on: null };
  v.accounts.push(cto);
  const world = createInstrument(v, {
    name: 'iShares Core MSCI World', isin: 'IE00B4L5Y983', ticker: 'IWDA', currency: 'EUR', class: 'fund', archived: false,
    allocations: { region: [{ bucket: 'Amérique du Nord', weight: '72' }, { bucket: 'Europe', weight: '16' }, { bucket: 'Asie', weight: '12' }] },
  });
  const points = [];
  for (let k = 0; k <= 24; k += 1) points.push({ instrument_id: world, date: addMonths(t, k - 24), price: worldPrice(k), source: 'import' });
  setPrices(v, points);
  // Units bought before the account was followed here, then its own history.
  addOpeningPosition(v, cto.id, world, opened, '40', '61.2');
  addActivities(v, [
    { account_id: cto.id, date: addMonths(t, -24), kind: 'deposit', amount: '15000', note: 'Versement initial' },
    { account_id: cto.id, date: addMonths(t, -24), kind: 'buy', instrument_id: world, quantity: '120', unit_price: worldPrice(0), fees: '4.90' },
    { account_id: cto.id, date: addMonths(t, -12), kind: 'deposit', amount: '3000', note: 'Versement' },
    { account_id: cto.id, date: addMonths(t, -12), kind: 'buy', instrument_id: world, quantity: '30', unit_price: worldPrice(12), fees: '2.50' },
    { account_id: cto.id, date: addMonths(t, -6), kind: 'dividend', instrument_id: world, amount: '52.80' },
  ]);
  // The flat's loan, held half (as the flat), from its offer: payments since three years ago.
  const first = `${addMonths(t, -36).slice(0, 8)}05`;
  createLoan(v, {
    account_id: loanAccountId, name: 'Emprunt Appartement Lyon', currency: 'EUR', share_pct: '50', linked_asset_id: flatId,
    terms: {
      principal: '250000', annual_rate: '1.45', months: 300, first_payment: first, insurance: '32.50',
      amortization: 'constant', deferral: 'none', deferral_months: 0,
    },
  });
  // A family house in bare ownership: its share follows the usufructuary's age.
  const house: Asset = {
    id: nextId(v.assets), account_id: null, name: 'Maison de famille', class: 'real_estate', liability: false, currency: 'EUR',
    isin: null, ticker: null, share_pct: '50', ownership: 'bare', archived: false, components: [], allocations: {},
    usufructuary_born: '1948-03-12',
  };
  v.assets.push(house);
  v.values.push({ asset_id: house.id, date: addMonths(t, -20), value: '480000', quantity: null, unit_price: null, source: 'manual' });
  v.values.push({ asset_id: house.id, date: addMonths(t, -8), value: '495000', quantity: null, unit_price: null, source: 'manual' });
}
