//! The demo profile's data: two banks, four accounts, five assets (a fund with region
//! weights, a flat owned half, a loan) and two years of monthly values up to today.
import type { Asset } from '../../lib/ipc/generated/types';
import { addMonths, today } from '../../lib/dates';
import { Dec } from './decimal';
import { nextId, type Vault } from './model';

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
  v.changed = false;
}
