import { describe, expect, it } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { fr } from '../lib/i18n/fr';
import { button, choose, click, type, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';

const plain = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

const activity = (input: Record<string, unknown>) =>
  invoke<number>('add_activity', {
    input: { id: 0, account_id: 1, instrument_id: null, quantity: null, unit_price: null, amount: null, fees: '0', note: '', ...input },
  });

const instrument = (name: string, currency = 'EUR', isin: string | null = null) =>
  invoke<number>('create_instrument', { input: { id: 0, name, isin, ticker: null, currency, class: 'fund', archived: false, allocations: {} } });

/** A new profile with a PEA (EUR, opened on 1 January 2024) at Boursorama, its detail open. */
async function accountPage(fill: () => Promise<unknown> = async () => undefined) {
  const { backend, root } = await newProfileApp(async () => {
    await invoke('create_institution', { input: { id: 0, name: 'Boursorama', kind: 'broker', notes: '' } });
    await invoke('create_account', {
      input: { id: 0, institution_id: 1, name: 'PEA', kind: 'pea', currency: 'EUR', opened_on: '2024-01-01', closed_on: null },
    });
    await fill();
  });
  click(root.querySelector('[data-nav="accounts"]'));
  click(await waitFor(() => root.querySelector('[data-action="open-account"]')));
  await waitFor(() => root.querySelector('#positions-title'));
  await waitFor(() => !root.querySelector('[role="status"].loading'));
  return { backend, root };
}

const dialog = (root: HTMLElement) => waitFor(() => root.querySelector<HTMLElement>('[role="dialog"]'));
const closed = (root: HTMLElement) => waitFor(() => !root.querySelector('[role="dialog"]'));
const input = (d: ParentNode, name: string) => {
  const el = d.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  return el;
};
/** The error shown next to a field, if any. */
const errorOf = (d: ParentNode, name: string) => input(d, name).closest('.field')?.querySelector('.field__error')?.textContent ?? null;

async function openForm(root: HTMLElement) {
  click(button(root, fr['accountDetail.addActivity']));
  return dialog(root);
}

/** Fills the activity form: the type first (it decides the fields), then the rest. */
function fill(d: HTMLElement, kind: string, fields: Record<string, string>) {
  choose(input(d, 'activity-kind'), kind);
  for (const [name, value] of Object.entries(fields)) {
    const el = input(d, name);
    if (el.tagName === 'SELECT') choose(el, value);
    else type(el, value);
  }
}

async function save(root: HTMLElement, d: HTMLElement) {
  click(button(d, fr['common.save']));
  try {
    await closed(root);
  } catch {
    throw new Error(`the form did not close: ${[...d.querySelectorAll('.field__error')].map((x) => x.textContent).join(' | ')}`);
  }
}

/** A cell's text, its line breaks as spaces. */
const cell = (root: ParentNode, row: string, col: string) => {
  const el = root.querySelector(`${row} [data-col="${col}"]`)?.cloneNode(true) as HTMLElement | undefined;
  el?.querySelectorAll('br').forEach((br) => br.replaceWith(' '));
  return plain(el?.textContent);
};

describe('an account’s positions', () => {
  it('are computed to the cent after a deposit, a buy with a new instrument, a sale and a dividend', async () => {
    const { root } = await accountPage();
    let d = await openForm(root);
    fill(d, 'deposit', { 'activity-date': '2025-01-10', 'activity-amount': '10 000' });
    await save(root, d);

    d = await openForm(root);
    fill(d, 'buy', { 'activity-date': '2025-01-15', 'activity-instrument': 'new' });
    type(input(d, 'instrument-name'), 'ETF Monde');
    type(input(d, 'instrument-isin'), 'fr0010315770');
    fill(d, 'buy', { 'activity-quantity': '100', 'activity-price': '25,10', 'activity-fees': '5' });
    // Same currency as the account: no amount asked.
    expect(d.querySelector('[name="activity-amount"]')).toBeNull();
    await save(root, d);
    const [etf] = await invoke<{ id: number; name: string; isin: string }[]>('list_instruments');
    expect(etf).toMatchObject({ name: 'ETF Monde', isin: 'FR0010315770' });

    d = await openForm(root);
    fill(d, 'sell', { 'activity-date': '2025-06-02', 'activity-instrument': String(etf!.id), 'activity-quantity': '40', 'activity-price': '30', 'activity-fees': '2,50' });
    await save(root, d);

    d = await openForm(root);
    fill(d, 'dividend', { 'activity-date': '2025-07-01', 'activity-instrument': String(etf!.id), 'activity-amount': '12,34' });
    await save(root, d);

    // Bought 100 for 2 510 + 5 of fees; sold 40 at 30 less 2,50: the 40 cost 2 515 × 40 / 100 = 1 006,
    // realised 1 200 − 2,50 − 1 006 = 191,50. Left: 60 costing 1 509 (PRU 25,15), worth 60 × 30 = 1 800.
    const row = `tr[data-instrument="${etf!.id}"]`;
    await waitFor(() => cell(root, row, 'income') === 'Revenus : 12,34 €');
    expect(cell(root, row, 'units')).toBe('60');
    expect(cell(root, row, 'price')).toBe('30,00 € 2 juin 2025');
    expect(cell(root, row, 'value')).toBe('1 800,00 €');
    expect(cell(root, row, 'cost')).toBe('1 509,00 € PRU 25,15 €');
    expect(cell(root, row, 'unrealised')).toBe('+291,00 € +19,28 %');
    expect(cell(root, row, 'realised')).toBe('+191,50 €');
    // Cash: 10 000 − 2 515 + 1 197,50 + 12,34.
    expect(cell(root, '[data-testid="cash-row"]', 'value')).toBe('8 694,84 €');
    expect(cell(root, '[data-testid="total-EUR"]', 'value')).toBe('10 494,84 €');
    expect(plain(root.querySelector('[data-testid="account-value"] strong')?.textContent)).toBe('10 494,84 €');
    // Per year: the dividend, the realised gain, no fee activity.
    expect(cell(root, 'tr[data-year="2025"]', 'income')).toBe('12,34 €');
    expect(cell(root, 'tr[data-year="2025"]', 'realised')).toBe('+191,50 €');
    expect(cell(root, 'tr[data-year="2025"]', 'fees')).toBe('0,00 €');

    // Newest first.
    const kinds = [...root.querySelectorAll('tr[data-activity] td:nth-child(2)')].map((td) => plain(td.textContent));
    expect(kinds).toEqual(['Dividende', 'Vente', 'Achat', 'Versement']);
    expect(cell(root, 'tr[data-activity]:nth-child(3)', 'detail')).toBe('100 parts × 25,10 € Frais : 5,00 €');
    expect(cell(root, 'tr[data-activity]:nth-child(2)', 'amount')).toBe('+1 197,50 €');
    expect(cell(root, 'tr[data-activity]:nth-child(3)', 'amount')).toBe('−2 515,00 €');

    // On an earlier date: before the sale, 100 units at the buy's price.
    type(input(root, 'positions-date'), '2025-03-01');
    await waitFor(() => cell(root, row, 'units') === '100');
    expect(cell(root, row, 'value')).toBe('2 510,00 €');
    expect(cell(root, '[data-testid="cash-row"]', 'value')).toBe('7 485,00 €');
  });

  it('filter the activities by type and search them', async () => {
    const { root } = await accountPage(async () => {
      const etf = await instrument('Amundi MSCI World');
      await activity({ date: '2025-01-10', kind: 'deposit', amount: '5000', note: 'Virement initial' });
      await activity({ date: '2025-01-15', kind: 'buy', instrument_id: etf, quantity: '10', unit_price: '400' });
      await activity({ date: '2025-03-01', kind: 'fee', amount: '3', note: 'Droits de garde' });
    });
    await waitFor(() => root.querySelectorAll('tr[data-activity]').length === 3);
    choose(input(root, 'activity-filter'), 'fee');
    expect(root.querySelectorAll('tr[data-activity]')).toHaveLength(1);
    choose(input(root, 'activity-filter'), '');
    type(input(root, 'activity-search'), 'msci');
    expect(root.querySelectorAll('tr[data-activity]')).toHaveLength(1);
    type(input(root, 'activity-search'), 'virement');
    expect(root.querySelectorAll('tr[data-activity]')).toHaveLength(1);
    type(input(root, 'activity-search'), 'nothing like it');
    expect(root.textContent).toContain(fr['accountDetail.noMatch']);
  });
});

describe('the activity form', () => {
  it('shows each refusal on its field and keeps what was typed', async () => {
    const { root } = await accountPage(async () => {
      const etf = await instrument('ETF Monde');
      await activity({ date: '2025-01-10', kind: 'deposit', amount: '5000' });
      await activity({ date: '2025-01-15', kind: 'buy', instrument_id: etf, quantity: '10', unit_price: '100' });
      await instrument('ETF USA', 'USD');
    });
    const d = await openForm(root);

    // Required, and a number.
    fill(d, 'deposit', { 'activity-amount': '' });
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'activity-amount'));
    expect(errorOf(d, 'activity-amount')).toBe(fr['common.required']);
    expect(document.activeElement).toBe(input(d, 'activity-amount'));
    type(input(d, 'activity-amount'), '12a');
    expect(errorOf(d, 'activity-amount')).toBe(fr['common.badNumber']);

    // Before the account's opening.
    fill(d, 'deposit', { 'activity-date': '2023-12-31', 'activity-amount': '100', 'activity-note': 'Trop tôt' });
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'activity-date'));
    expect(errorOf(d, 'activity-date')).toBe(fr['error.before_account_opening']);
    expect(input(d, 'activity-amount').value).toBe('100');
    expect(input(d, 'activity-note').value).toBe('Trop tôt');

    // Selling more than held.
    fill(d, 'sell', { 'activity-date': '2025-02-01', 'activity-instrument': '1', 'activity-quantity': '11', 'activity-price': '110' });
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'activity-quantity'));
    expect(errorOf(d, 'activity-quantity')).toBe(fr['error.sell_exceeds_position']);
    expect(input(d, 'activity-quantity').value).toBe('11');
    expect(errorOf(d, 'activity-date')).toBeNull();

    // A price of zero.
    fill(d, 'buy', { 'activity-quantity': '1', 'activity-price': '0' });
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'activity-price'));
    expect(errorOf(d, 'activity-price')).toBe(fr['error.price_not_positive']);

    // A split's ratio of zero.
    fill(d, 'split', { 'activity-quantity': '0' });
    expect(d.querySelector('[name="activity-price"]')).toBeNull();
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'activity-quantity'));
    expect(errorOf(d, 'activity-quantity')).toBe(fr['error.split_ratio_invalid']);

    // An instrument in dollars: the amount moved in euros is asked.
    fill(d, 'buy', { 'activity-instrument': '2', 'activity-quantity': '2', 'activity-price': '500', 'activity-amount': '' });
    expect(input(d, 'activity-price').closest('.field')?.querySelector('label')?.textContent).toBe(`${fr['accountDetail.unitPrice']} (USD)`);
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'activity-amount'));
    expect(errorOf(d, 'activity-amount')).toBe(fr['common.required']);

    // A new instrument: its ISIN's check digit, then a name already taken.
    fill(d, 'buy', { 'activity-instrument': 'new', 'activity-quantity': '2', 'activity-price': '50' });
    type(input(d, 'instrument-name'), 'Nouveau fonds');
    type(input(d, 'instrument-isin'), 'FR0010315771');
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'instrument-isin'));
    expect(errorOf(d, 'instrument-isin')).toBe(fr['error.isin_check_digit']);
    type(input(d, 'instrument-isin'), '');
    type(input(d, 'instrument-name'), 'etf monde');
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'instrument-name'));
    expect(errorOf(d, 'instrument-name')).toBe(fr['error.duplicate']);
    expect(input(d, 'activity-quantity').value).toBe('2');

    // Corrected: the instrument is made and the buy recorded.
    type(input(d, 'instrument-name'), 'Nouveau fonds');
    await save(root, d);
    const names = (await invoke<{ name: string }[]>('list_instruments')).map((i) => i.name).sort();
    expect(names).toEqual(['ETF Monde', 'ETF USA', 'Nouveau fonds']);
    await waitFor(() => root.querySelectorAll('tr[data-activity]').length === 3);
  });

  it('edits an activity, and refuses an edit or a deletion that a later sale contradicts', async () => {
    const { root } = await accountPage(async () => {
      const etf = await instrument('ETF Monde');
      await activity({ date: '2025-01-10', kind: 'deposit', amount: '5000' });
      await activity({ date: '2025-01-15', kind: 'buy', instrument_id: etf, quantity: '10', unit_price: '100' });
      await activity({ date: '2025-03-01', kind: 'sell', instrument_id: etf, quantity: '10', unit_price: '120' });
    });
    const rowOf = (kind: string) => [...root.querySelectorAll<HTMLElement>('tr[data-activity]')].find((r) => r.textContent?.includes(kind))!;
    await waitFor(() => root.querySelectorAll('tr[data-activity]').length === 3);

    // The buy lowered to 5: the sale of 10 would exceed.
    click(button(rowOf('Achat'), fr['common.edit']));
    let d = await dialog(root);
    expect(input(d, 'activity-quantity').value).toBe('10');
    expect(input(d, 'activity-price').value).toBe('100');
    type(input(d, 'activity-quantity'), '5');
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'activity-quantity'));
    expect(errorOf(d, 'activity-quantity')).toBe(fr['accountDetail.laterSaleExceeds']);
    // Raised to 20 instead: 10 are left.
    type(input(d, 'activity-quantity'), '20');
    await save(root, d);
    await waitFor(() => cell(root, 'tr[data-instrument="1"]', 'units') === '10');
    expect(plain(rowOf('Achat').querySelector('[data-col="detail"]')?.textContent)).toBe('20 parts × 100,00 €');

    // Deleting the buy would leave the sale without units: refused, said, nothing changed.
    click(button(rowOf('Achat'), fr['common.delete']));
    d = await dialog(root);
    expect(d.textContent).toContain('L’opération du 15 janv. 2025 (Achat) sera supprimée');
    click(button(d, fr['common.delete']));
    await waitFor(() => d.querySelector('.field__error'));
    expect(d.querySelector('.field__error')?.textContent).toBe(fr['accountDetail.deleteRefused']);
    click(button(d, fr['common.cancel']));
    await closed(root);
    expect(root.querySelectorAll('tr[data-activity]')).toHaveLength(3);

    // The sale deleted: 20 units held again.
    click(button(rowOf('Vente'), fr['common.delete']));
    d = await dialog(root);
    click(button(d, fr['common.delete']));
    await closed(root);
    await waitFor(() => root.querySelectorAll('tr[data-activity]').length === 2);
    await waitFor(() => cell(root, 'tr[data-instrument="1"]', 'units') === '20');
  });
});

describe('an opening position', () => {
  it('records units held at an average cost on a date, and refuses a date before the opening', async () => {
    const { root } = await accountPage(async () => { await instrument('Air Liquide', 'EUR', 'FR0000120073'); });
    click(button(root, fr['accountDetail.opening']));
    const d = await dialog(root);
    expect(d.textContent).toContain(fr['accountDetail.openingText']);
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'opening-instrument'));
    expect(errorOf(d, 'opening-instrument')).toBe(fr['common.required']);
    expect(errorOf(d, 'opening-quantity')).toBe(fr['common.required']);

    choose(input(d, 'opening-instrument'), '1');
    type(input(d, 'opening-date'), '2023-06-30');
    type(input(d, 'opening-quantity'), '120');
    type(input(d, 'opening-cost'), '25,10');
    expect(input(d, 'opening-cost').closest('.field')?.querySelector('label')?.textContent).toBe(`${fr['accountDetail.averageCost']} (EUR)`);
    click(button(d, fr['common.save']));
    await waitFor(() => errorOf(d, 'opening-date'));
    expect(errorOf(d, 'opening-date')).toBe(fr['error.before_account_opening']);
    expect(input(d, 'opening-quantity').value).toBe('120');

    type(input(d, 'opening-date'), '2024-06-30');
    click(button(d, fr['common.save']));
    await closed(root);
    const row = 'tr[data-instrument="1"]';
    await waitFor(() => cell(root, row, 'units') === '120');
    // No price yet: worth its cost, 120 × 25,10.
    expect(cell(root, row, 'value')).toBe('3 012,00 €');
    expect(cell(root, row, 'cost')).toBe('3 012,00 € PRU 25,10 €');
    expect(cell(root, row, 'price')).toBe(fr['accountDetail.noPrice']);
    const act = root.querySelector('tr[data-activity]')!;
    expect(plain(act.textContent)).toContain(`${fr['activityKind.transfer_in']} ${fr['accountDetail.openingTag']}`);
    expect(plain(act.querySelector('[data-col="detail"]')?.textContent)).toBe('120 parts × 25,10 €');
  });
});

describe('a position’s asset', () => {
  it('shows its computed values, units and price, and offers no typing', async () => {
    const { root } = await accountPage(async () => {
      const etf = await instrument('ETF Monde');
      await activity({ date: '2025-01-10', kind: 'deposit', amount: '5000' });
      await activity({ date: '2025-01-15', kind: 'buy', instrument_id: etf, quantity: '10', unit_price: '100' });
    });
    click(await waitFor(() => root.querySelector<HTMLElement>('tr[data-instrument="1"] .btn--link')));
    await waitFor(() => root.querySelector('[data-testid="derived-values"]'));
    expect(root.querySelector('h1')?.textContent).toBe('ETF Monde');
    expect(() => button(root, fr['values.add'])).toThrow();
    const first = await waitFor(() => root.querySelector('tbody tr'));
    const cells = [...first.querySelectorAll('td')].map((td) => plain(td.textContent));
    expect(cells).toEqual(['15 janv. 2025', '1 000,00 €', '10', '100,00 €', fr['values.source.derived']]);
    // Back to the account from there.
    click(button(root, fr['accountDetail.seeAccount']));
    await waitFor(() => root.querySelector('#positions-title'));
  });
});
