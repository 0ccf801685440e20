import { describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { invoke } from '@tauri-apps/api/core';
import type { PricePoint } from '../lib/ipc';
import { today } from '../lib/dates';
import { compare } from '../lib/decimal';
import { formatDate } from '../lib/format';
import { fr } from '../lib/i18n/fr';
import { en } from '../lib/i18n/en';
import { setLang } from '../lib/i18n';
import { button, click, type, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';
import { PRICE_DAY, securitiesHousehold, type Household } from '../test/securities';

const norm = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

async function household() {
  let h: Household | undefined;
  const app = await newProfileApp(async () => { h = await securitiesHousehold(); });
  // The set_prices calls of the screen (the household's own left out).
  const before = app.backend.calls.filter((c) => c.cmd === 'set_prices').length;
  const saves = () => app.backend.calls.filter((c) => c.cmd === 'set_prices').slice(before);
  return { ...app, h: h!, saves };
}

async function onUpdatePrices() {
  const app = await household();
  click(app.root.querySelector('[data-nav="instruments"]'));
  click(await waitFor(() => [...app.root.querySelectorAll('button')].find((b) => b.textContent === fr['instruments.updatePrices'] && !b.disabled) ?? null));
  await waitFor(() => app.root.querySelector('input[data-instrument]'));
  return app;
}

const inputs = (root: HTMLElement) => [...root.querySelectorAll<HTMLInputElement>('input[data-instrument]')];
const input = (root: HTMLElement, id: number) => root.querySelector<HTMLInputElement>(`input[data-instrument="${id}"]`)!;
/** A line's security (name · code), units held, last price and its date, as shown. */
const lineOf = (el: Element) => {
  const tr = el.closest('tr')!;
  const th = tr.querySelector('th')!;
  const name = [th.querySelector('label'), th.querySelector('.instrument-code')].filter(Boolean).map((x) => norm(x!.textContent)).join(' · ');
  return [name, ...[...tr.querySelectorAll('td')].slice(0, 3).map((c) => norm(c.textContent))];
};
const saveButton = (root: HTMLElement) => root.querySelector<HTMLButtonElement>('.actions--sticky button[type="submit"]')!;

function enter(target: Element) {
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  });
}

describe('Update prices', () => {
  it('has one line per security held and not archived, with its units, last price and date; the date is today by default', async () => {
    const { root, h } = await onUpdatePrices();
    expect(root.querySelector('h1')?.textContent).toBe(fr['instruments.updatePrices']);
    expect(inputs(root).map((i) => Number(i.dataset.instrument))).toEqual([h.amundi, h.ishares]);
    expect(lineOf(input(root, h.amundi))).toEqual(['Amundi MSCI World · FR0010315770', '35 · 2 comptes', '452,30 €', '28 juin 2024']);
    expect(lineOf(input(root, h.ishares))).toEqual(['iShares Core MSCI World · IE00B4L5Y983', '40', '85,1234 €', '15 janv. 2024']);
    const date = root.querySelector<HTMLInputElement>('input[name="prices-date"]')!;
    expect(date.value).toBe(today());
    expect(root.textContent).toContain(fr['update.dateHint']);
    expect(root.textContent).toContain(`Cours au ${formatDate(today())}`);
    // Each input is named by its line.
    const label = root.querySelector(`label[for="${input(root, h.amundi).id}"]`);
    expect(label?.textContent).toBe('Amundi MSCI World');
  });

  it('is done from the keyboard: type, Enter to the next line, Enter to Save; one set_prices call, then the new prices show', async () => {
    const { root, h, saves } = await onUpdatePrices();
    const date = root.querySelector<HTMLInputElement>('input[name="prices-date"]')!;
    date.focus();
    enter(date);
    expect(document.activeElement).toBe(input(root, h.amundi));
    type(document.activeElement, '455,10');
    enter(document.activeElement!);
    expect(document.activeElement).toBe(input(root, h.ishares));
    type(document.activeElement, '86.5');
    expect(saveButton(root).textContent).toBe('Enregistrer 2 cours');
    enter(document.activeElement!);
    expect(document.activeElement).toBe(saveButton(root));
    click(document.activeElement);
    const summary = await waitFor(() => root.querySelector('[data-testid="prices-summary"]'));
    expect(summary.textContent).toBe('Enregistré : 2 nouveaux cours, 0 remplacé.');
    expect(saves()).toHaveLength(1);
    expect(saves()[0]!.args).toEqual({
      points: [
        { instrument_id: h.amundi, date: today(), price: '455.1', source: 'manual' },
        { instrument_id: h.ishares, date: today(), price: '86.5', source: 'manual' },
      ],
    });
    await waitFor(() => lineOf(input(root, h.amundi))[2] === '455,10 €');
    expect(lineOf(input(root, h.amundi))[3]).toBe(formatDate(today()));
    expect(lineOf(input(root, h.ishares)).slice(2)).toEqual(['86,50 €', formatDate(today())]);
    expect(inputs(root).map((i) => i.value)).toEqual(['', '']);
    // The positions are revalued: 30 × 455,10 in the PEA.
    const pea = await invoke<{ positions: { instrument_id: number; value: string }[] }>('holdings', { account_id: h.pea, date: today() });
    expect(compare(pea.positions.find((p) => p.instrument_id === h.amundi)!.value, '13653')).toBe(0);
  });

  it('refuses a zero price on its line, and saves nothing until it is fixed', async () => {
    const { root, h, saves } = await onUpdatePrices();
    type(input(root, h.amundi), '460');
    type(input(root, h.ishares), '0');
    const bad = input(root, h.ishares);
    expect(bad.getAttribute('aria-invalid')).toBe('true');
    expect(root.querySelector(`[id="${bad.getAttribute('aria-describedby')}"]`)?.textContent).toBe(fr['error.price_not_positive']);
    expect(root.textContent).toContain('1 cours n’est pas valide.');
    expect(saveButton(root).disabled).toBe(true);
    expect(saves()).toHaveLength(0);
    type(bad, '87');
    expect(saveButton(root).disabled).toBe(false);
    click(saveButton(root));
    await waitFor(() => root.querySelector('[data-testid="prices-summary"]'));
    expect(saves()).toHaveLength(1);
  });

  it('asks first when a price is ten times off the last one', async () => {
    const { root, h, saves } = await onUpdatePrices();
    type(input(root, h.amundi), '4523');
    click(saveButton(root));
    const ask = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="prices-confirm"]'));
    expect(norm(ask.textContent)).toContain(fr['prices.farTitle_one']);
    expect(norm(ask.textContent)).toContain('Amundi MSCI World : 452,30 € → 4 523,00 €');
    click(button(ask, fr['update.farFix']));
    expect(root.querySelector('[data-testid="prices-confirm"]')).toBeNull();
    expect(input(root, h.amundi).value).toBe('4523');
    click(saveButton(root));
    click(button(await waitFor(() => root.querySelector<HTMLElement>('[data-testid="prices-confirm"]')), fr['update.farSave']));
    await waitFor(() => root.querySelector('[data-testid="prices-summary"]'));
    expect(saves()).toHaveLength(1);
  });

  it('speaks English, and replaces a price of the same date', async () => {
    setLang('en', false);
    const { root, h } = await household();
    click(root.querySelector('[data-nav="instruments"]'));
    click(await waitFor(() => [...root.querySelectorAll('button')].find((b) => b.textContent === en['instruments.updatePrices'] && !b.disabled) ?? null));
    await waitFor(() => root.querySelector('input[data-instrument]'));
    expect(lineOf(input(root, h.amundi))).toEqual(['Amundi MSCI World · FR0010315770', '35 · 2 accounts', '€452.30', '28 Jun 2024']);
    type(root.querySelector('input[name="prices-date"]'), PRICE_DAY);
    expect(root.textContent).toContain('Price on 28 Jun 2024');
    type(input(root, h.amundi), '451.9');
    expect(saveButton(root).textContent).toBe('Save 1 price');
    type(input(root, h.ishares), '86');
    expect(saveButton(root).textContent).toBe('Save 2 prices');
    click(saveButton(root));
    const summary = await waitFor(() => root.querySelector('[data-testid="prices-summary"]'));
    expect(summary.textContent).toBe('Saved: 1 new price, 1 replaced.');
    const stored = await invoke<PricePoint[]>('instrument_prices', { instrument_id: h.amundi });
    expect(stored.map((p) => [p.date, p.price])).toEqual([[PRICE_DAY, '451.9']]);
  });

  it('is reached from Update values once positions exist', async () => {
    const { root } = await household();
    click(root.querySelector('[data-nav="update"]'));
    click(await waitFor(() => [...root.querySelectorAll('button')].find((b) => b.textContent === fr['instruments.updatePrices']) ?? null));
    await waitFor(() => root.querySelector('input[data-instrument]'));
    expect(root.querySelector('[aria-current="page"]')?.getAttribute('data-nav')).toBe('instruments');
  });

  it('says what to do when no security is held', async () => {
    const { root } = await newProfileApp();
    click(root.querySelector('[data-nav="instruments"]'));
    click(await waitFor(() => [...root.querySelectorAll('button')].find((b) => b.textContent === fr['instruments.updatePrices'] && !b.disabled) ?? null));
    await waitFor(() => root.textContent?.includes(fr['prices.emptyTitle']));
    expect(root.textContent).toContain(fr['prices.emptyText']);
  });
});
