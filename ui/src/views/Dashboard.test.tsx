import { describe, expect, it } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { addDays, addMonths, today } from '../lib/dates';
import { fr } from '../lib/i18n/fr';
import { click, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';

const plain = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** A new profile: a flat entered once ten days ago (210 000 €), a savings account
 *  valued a year and a half ago and 20 days ago, a loan repaid from 100 000 to 95 000 €. */
async function fill() {
  const day = today();
  const bank = await invoke<number>('create_institution', { input: { name: 'Banque', kind: 'bank', notes: '' } });
  const livret = await invoke<number>('create_account', {
    input: { institution_id: bank, name: 'Livret A', kind: 'savings', currency: 'EUR', opened_on: null, closed_on: null },
  });
  const loanAccount = await invoke<number>('create_account', {
    input: { institution_id: bank, name: 'Prêt immobilier', kind: 'loan', currency: 'EUR', opened_on: null, closed_on: null },
  });
  const asset = (name: string, cls: string, account: number | null, liability = false) =>
    invoke<number>('create_asset', {
      input: { account_id: account, name, class: cls, liability, currency: 'EUR', isin: null, ticker: null, share_pct: '100', ownership: 'full', archived: false, allocations: {}, components: [] },
    });
  const flat = await asset('Appartement', 'real_estate', null);
  const savings = await asset('Livret A', 'cash', livret);
  const loan = await asset('Emprunt', 'loan', loanAccount, true);
  const point = (asset_id: number, date: string, value: string) => ({ asset_id, date, value, quantity: null, unit_price: null, source: 'manual' });
  await invoke('upsert_values', {
    points: [
      point(flat, addDays(day, -10), '210000'),
      point(savings, addMonths(day, -18), '10000'),
      point(savings, addDays(day, -20), '10300'),
      point(loan, addMonths(day, -18), '100000'),
      point(loan, day, '95000'),
    ],
  });
}

async function newHousehold() {
  const { backend, root } = await newProfileApp(fill);
  await waitFor(() => root.querySelector('[data-testid="performance"] .row--total'), 4000);
  return { backend, root };
}

describe('dashboard: what made the change', () => {
  it('counts a new item as brought in, not as gain, and debts as repaid', async () => {
    const { root } = await newHousehold();
    const year = root.querySelector('[data-testid="change-1y"]')!;
    // Net worth: 10000 − 100000 a year ago; 210000 + 10300 − 95000 today: +215300.
    expect(plain(year.querySelector('.change__value')?.textContent)).toContain('+215 300,00 €');
    expect(plain(year.querySelector('[data-part="brought"]')?.textContent)).toBe(
      plain(fr['dashboard.splitBrought'].replace('{amount}', '+210 000,00 €')),
    );
    expect(plain(year.querySelector('[data-part="revaluation"]')?.textContent)).toContain('+300,00 €');
    expect(plain(year.querySelector('[data-part="debts"]')?.textContent)).toContain('+5 000,00 €');
    // The loan's row: no return, and why.
    const perf = root.querySelector('[data-testid="performance"]')!;
    const rows = [...perf.querySelectorAll('tbody tr')];
    const loanRow = rows.find((r) => r.textContent?.includes('Prêt immobilier'))!;
    expect(loanRow.querySelector('[data-missing="liabilities_only"]')?.textContent).toBe(fr['perf.missing.liabilities_only']);
    expect(plain(loanRow.querySelector('[data-col="debts"]')?.textContent)).toBe('+5 000,00 €');
    expect(plain(loanRow.querySelector('[data-col="gain"]')?.textContent)).toBe('0,00 €');
    // The total: the flat is brought in, the Livret's 300 € is the only gain.
    const total = perf.querySelector('.row--total')!;
    expect(plain(total.querySelector('[data-col="brought"]')?.textContent)).toBe('+210 000,00 €');
    expect(plain(total.querySelector('[data-col="gain"]')?.textContent)).toBe('+300,00 €');
  });

  it('lets the user choose the period, and says why a return is missing', async () => {
    const { root, backend } = await newHousehold();
    const perfCalls = () => backend.calls.filter((c) => c.cmd === 'performance_by_account');
    const before = perfCalls().length;
    click(root.querySelector('[data-period="1M"]'));
    await waitFor(() => perfCalls().length > before);
    const from = (perfCalls().at(-1)!.args as { from: string }).from;
    expect(from).toBe(addMonths(today(), -1));
    // Over a month the flat appeared (brought in) and the Livret was revalued.
    await waitFor(() => root.querySelector('[data-testid="performance"]')?.getAttribute('data-from') === from);
    const total = root.querySelector('[data-testid="performance"] .row--total')!;
    expect(plain(total.querySelector('[data-col="brought"]')?.textContent)).toBe('+210 000,00 €');
    // A custom start date after the last update: nothing was revalued, in the Livret's
    // row or in the total.
    click(root.querySelector('[data-period="custom"]'));
    const input = await waitFor(() => root.querySelector<HTMLInputElement>('input[name="perf-from"]'));
    input.value = addDays(today(), -5);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() => root.querySelector('[data-testid="performance"]')?.getAttribute('data-from') === addDays(today(), -5));
    await waitFor(() => root.querySelector('[data-testid="performance"] .row--total [data-missing]'));
    const row = [...root.querySelectorAll('[data-testid="performance"] tbody tr')].find((r) => r.textContent?.includes('Livret A'))!;
    expect(row.querySelector('[data-missing]')?.getAttribute('data-missing')).toBe('no_revaluation');
    expect(row.querySelector('[data-missing] span')?.getAttribute('title')).toBe(fr['perf.missingLong.no_revaluation']);
  });
});
