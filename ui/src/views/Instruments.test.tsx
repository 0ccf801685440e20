import { describe, expect, it } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import type { Instrument, PricePoint } from '../lib/ipc';
import { fr } from '../lib/i18n/fr';
import { en } from '../lib/i18n/en';
import { setLang } from '../lib/i18n';
import { button, choose, click, field, type, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';
import { PRICE_DAY, securitiesHousehold, type Household } from '../test/securities';

const norm = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

async function onInstruments() {
  let h: Household | undefined;
  const app = await newProfileApp(async () => { h = await securitiesHousehold(); });
  click(app.root.querySelector('[data-nav="instruments"]'));
  await waitFor(() => app.root.querySelector('tr[data-instrument]'));
  return { ...app, h: h! };
}

const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLTableRowElement>('tbody tr[data-instrument]')];
const names = (root: HTMLElement) => rows(root).map((r) => r.querySelector('td .btn--link')!.textContent);
/** A row's name, ISIN, ticker, class, currency, last price, its date and accounts, as shown. */
const cells = (row: HTMLTableRowElement) => ['.btn--link', ...['isin', 'ticker', 'class', 'currency', 'price', 'price-date', 'held'].map((c) => `[data-col="${c}"]`)]
  .map((sel) => norm(row.querySelector(sel)?.textContent ?? '—'));
const row = (root: HTMLElement, name: string) => rows(root).find((r) => r.querySelector('td .btn--link')?.textContent === name)!;
const dialog = (root: HTMLElement) => waitFor(() => root.querySelector<HTMLElement>('[role="dialog"]'));
/** The hint or error text tied to a control by aria-describedby. */
const described = (root: HTMLElement, el: Element) =>
  (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => norm(id ? root.querySelector(`[id="${id}"]`)?.textContent : '')).filter(Boolean).join(' ');

describe('Securities', () => {
  it('lists each one with its ISIN, ticker, class, currency, last price and date, and how many accounts hold it', async () => {
    const { root } = await onInstruments();
    // Archived ones are hidden until asked for.
    expect(names(root)).toEqual(['Amundi MSCI World', 'Apple', 'iShares Core MSCI World']);
    expect(cells(row(root, 'Amundi MSCI World')).slice(0, 8)).toEqual([
      'Amundi MSCI World', 'FR0010315770', 'CW8', 'Fonds', 'EUR', '452,30 €', 'Au 28 juin 2024', '2 comptes',
    ]);
    // Never bought: no account; its price in its own currency.
    expect(cells(row(root, 'Apple')).slice(0, 8)).toEqual(['Apple', 'US0378331005', '—', 'Actions', 'USD', '210,62 $US', 'Au 28 juin 2024', '—']);
    // No price entered: the price of its buy, with all its decimals.
    expect(cells(row(root, 'iShares Core MSCI World')).slice(5, 8)).toEqual(['85,1234 €', 'Au 15 janv. 2024', '1 compte']);
    click(root.querySelector('input[name="instrument-show-archived"]'));
    expect(names(root)).toContain('Vieux fonds');
    expect(row(root, 'Vieux fonds').textContent).toContain(fr['assets.archived']);
  });

  it('searches the name, ISIN and ticker without case or accents, and filters by class', async () => {
    const { root } = await onInstruments();
    const search = root.querySelector<HTMLInputElement>('input[name="instrument-search"]')!;
    type(search, 'ISHARES');
    expect(names(root)).toEqual(['iShares Core MSCI World']);
    type(search, 'us0378');
    expect(names(root)).toEqual(['Apple']);
    type(search, 'cw8');
    expect(names(root)).toEqual(['Amundi MSCI World']);
    type(search, 'msci monde');
    expect(root.textContent).toContain(fr['instruments.noMatch']);
    type(search, '');
    choose(root.querySelector('select[name="instrument-filter-class"]'), 'equity');
    expect(names(root)).toEqual(['Apple']);
  });

  it('adds one: the ISIN upper-cased as typed, a wrong check digit refused on the field with its sentence, nothing lost', async () => {
    const { root } = await onInstruments();
    click(button(root, fr['instruments.add']));
    const d = await dialog(root);
    type(field(d, fr['common.name']), 'Lyxor CAC 40');
    const isin = field(d, fr['assets.isin']);
    type(isin, 'fr0007052782');
    expect(isin.value).toBe('FR0007052782');
    expect(described(d, isin)).toBe(fr['instruments.isinHint']);
    // The shape is checked before asking.
    type(isin, 'FR00070527');
    click(button(d, fr['common.save']));
    expect(described(d, isin)).toBe(fr['assets.isinInvalid']);
    // A wrong check digit: the core's sentence, on the field.
    type(isin, 'fr0007052781');
    click(button(d, fr['common.save']));
    await waitFor(() => described(d, isin) === fr['error.isin_check_digit']);
    expect(isin.getAttribute('aria-invalid')).toBe('true');
    expect(field(d, fr['common.name']).value).toBe('Lyxor CAC 40');
    // Region weights, shared by every account holding it.
    const region = d.querySelector<HTMLElement>('[data-testid="weights-region"]')!;
    click(button(region, fr['weights.addRow']));
    const [bucket, weight] = [...region.querySelectorAll<HTMLInputElement>('.weights__row input')];
    type(bucket!, 'Europe');
    type(weight!, '100');
    type(isin, 'FR0007052782');
    click(button(d, fr['common.save']));
    await waitFor(() => !root.querySelector('[role="dialog"]'));
    await waitFor(() => names(root).includes('Lyxor CAC 40'));
    const saved = (await invoke<Instrument[]>('list_instruments')).find((i) => i.name === 'Lyxor CAC 40')!;
    expect(saved).toMatchObject({ isin: 'FR0007052782', currency: 'EUR', class: 'fund', archived: false });
    expect(saved.allocations).toEqual({ region: [{ bucket: 'Europe', weight: '100' }] });
  });

  it('edits one', async () => {
    const { root } = await onInstruments();
    click(button(row(root, 'Apple'), fr['common.edit']));
    const d = await dialog(root);
    type(field(d, fr['assets.ticker']), 'AAPL');
    click(button(d, fr['common.save']));
    await waitFor(() => cells(row(root, 'Apple'))[2] === 'AAPL');
  });

  it('refuses to delete one that activities use, with the in_use sentence, and offers to archive it instead', async () => {
    const { root, h } = await onInstruments();
    click(button(row(root, 'Amundi MSCI World'), fr['common.delete']));
    let d = await dialog(root);
    expect(d.textContent).toContain(fr['instruments.deleteText'].replace('{name}', 'Amundi MSCI World'));
    click(button(d, fr['common.delete']));
    const refusal = await waitFor(() => root.querySelector('[data-testid="in-use"]'));
    expect(refusal.textContent).toBe(fr['error.in_use']);
    d = (await dialog(root));
    expect(d.textContent).toContain(fr['instruments.inUseHint']);
    click(button(d, fr['instruments.archiveInstead']));
    await waitFor(() => !names(root).includes('Amundi MSCI World'));
    expect((await invoke<Instrument[]>('list_instruments')).find((i) => i.id === h.amundi)?.archived).toBe(true);

    // One no activity uses goes, with its prices.
    click(button(row(root, 'Apple'), fr['common.delete']));
    click(button(await dialog(root), fr['common.delete']));
    await waitFor(() => !names(root).includes('Apple'));
    expect((await invoke<Instrument[]>('list_instruments')).map((i) => i.id)).not.toContain(h.apple);
  });

  it('shows who holds one and its price history: add (ten times off asks first; zero refused on the field), delete', async () => {
    const { root, h, backend } = await onInstruments();
    click([...row(root, 'Amundi MSCI World').querySelectorAll('button')].find((b) => b.textContent === 'Amundi MSCI World')!);
    await waitFor(() => root.querySelector('h1')?.textContent === 'Amundi MSCI World');
    const holders = await waitFor(() => root.querySelector<HTMLElement>('section[aria-labelledby="instrument-holders"]'));
    const holderRows = [...holders.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => norm(c.textContent)));
    expect(holderRows).toEqual([
      ['Boursorama · Compte-titres', '5', '452,30 €', '2 261,50 €'],
      ['Boursorama · PEA', '30', '452,30 €', '13 569,00 €'],
    ]);
    const prices = () => [...root.querySelectorAll('section[aria-labelledby="instrument-prices"] tbody tr')].map((r) => norm(r.querySelector('td')!.textContent));
    expect(prices()).toEqual(['28 juin 2024']);

    click(button(root, fr['instruments.addPrice']));
    let d = await dialog(root);
    type(field(d, fr['common.date']), '2024-07-31');
    const price = field(d, `${fr['instruments.price']} (EUR)`);
    type(price, '0');
    click(button(d, fr['common.save']));
    await waitFor(() => described(d, price) === fr['error.price_not_positive']);
    expect(price.value).toBe('0');
    // 4 523 typed for 452,30: asks first.
    type(price, '4523');
    click(button(d, fr['common.save']));
    const far = await waitFor(() => d.querySelector('[data-testid="far-off"]'));
    expect(norm(far.textContent)).toContain('452,30 € → 4 523,00 €');
    click(button(d, fr['update.farFix']));
    type(price, '452,3456');
    click(button(d, fr['common.save']));
    await waitFor(() => !root.querySelector('[role="dialog"]'));
    await waitFor(() => prices().length === 2);
    expect(prices()).toEqual(['31 juil. 2024', '28 juin 2024']);
    const stored = await invoke<PricePoint[]>('instrument_prices', { instrument_id: h.amundi });
    expect(stored.map((p) => [p.date, p.price])).toEqual([[PRICE_DAY, '452.3'], ['2024-07-31', '452.3456']]);
    expect(norm(root.querySelector('section[aria-labelledby="instrument-prices"] tbody tr td.num')?.textContent)).toBe('452,3456 €');
    // The positions are revalued with it.
    await waitFor(() => norm(holders.querySelector('tbody tr:last-child td:last-child')?.textContent) === '13 570,37 €');

    // Deleting a price asks first.
    click(button(root.querySelector('tr[data-price-date="2024-07-31"]')!, fr['common.delete']));
    d = await dialog(root);
    expect(norm(d.textContent)).toContain('Le cours du 31 juil. 2024 (452,3456 €) sera supprimé');
    click(button(d, fr['common.delete']));
    await waitFor(() => prices().length === 1);
    expect(backend.calls.filter((c) => c.cmd === 'delete_price')).toHaveLength(1);
  });

  it('says where the last price comes from when it is a buy', async () => {
    const { root } = await onInstruments();
    click(row(root, 'iShares Core MSCI World').querySelector('.btn--link'));
    const note = await waitFor(() => root.querySelector('[data-testid="from-trade"]'));
    expect(norm(note.textContent)).toBe(norm(fr['instruments.fromTrade'].replace('{price}', '85,1234 €').replace('{date}', '15 janv. 2024')));
    expect(root.textContent).toContain(fr['instruments.noPrices']);
  });

  it('speaks English', async () => {
    setLang('en', false);
    const { root } = await onInstruments();
    expect(root.querySelector('h1')?.textContent).toBe(en['nav.instruments']);
    expect(cells(row(root, 'Amundi MSCI World')).slice(5, 8)).toEqual(['€452.30', 'On 28 Jun 2024', '2 accounts']);
    expect(cells(row(root, 'iShares Core MSCI World'))[7]).toBe('1 account');
    click(button(row(root, 'Amundi MSCI World'), en['common.delete']));
    click(button(await dialog(root), en['common.delete']));
    const refusal = await waitFor(() => root.querySelector('[data-testid="in-use"]'));
    expect(refusal.textContent).toBe(en['error.in_use']);
  });
});
