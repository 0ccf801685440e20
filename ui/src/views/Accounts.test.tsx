import { describe, expect, it } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { fr } from '../lib/i18n/fr';
import { button, choose, click, type, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';

const plain = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

async function accountsPage() {
  const { backend, root } = await newProfileApp(() => invoke('create_institution', { input: { name: 'BNP', kind: 'bank', notes: '' } }));
  click(root.querySelector('[data-nav="accounts"]'));
  await waitFor(() => root.querySelector('.card__title'));
  return { backend, root };
}

describe('accounts hold money', () => {
  it('takes the balance with a new account, shows it and the institution total, without an asset to invent', async () => {
    const { root, backend } = await accountsPage();
    click(button(root, fr['accounts.addAccount']));
    const dialog = await waitFor(() => root.querySelector('[role="dialog"]'));
    type(dialog.querySelector('input[name="account-name"]'), 'Compte joint');
    choose(dialog.querySelector('select[name="account-kind"]'), 'current');
    type(dialog.querySelector('input[name="account-balance"]'), '1 234,56');
    click(button(dialog, fr['common.save']));
    await waitFor(() => !root.querySelector('[role="dialog"]'));
    const cell = await waitFor(() => root.querySelector('[data-col="value"] .nowrap'));
    expect(plain(cell.textContent)).toBe('1 234,56 €');
    expect(plain(root.querySelector('[data-testid="institution-total-1"] strong')?.textContent)).toBe('1 234,56 €');
    // The core made the asset: the user typed no asset.
    expect(backend.calls.filter((c) => c.cmd === 'create_asset')).toHaveLength(0);
    const assets = await invoke<{ name: string; class: string; account_id: number }[]>('list_assets');
    expect(assets).toEqual([expect.objectContaining({ name: 'Compte joint', class: 'cash' })]);
  });

  it('updates a balance (an overdraft too), refuses "22.950" unasked, and a loan says capital owed', async () => {
    const { root } = await accountsPage();
    await invoke('create_account', { input: { institution_id: 1, name: 'Courant', kind: 'current', currency: 'EUR', opened_on: null, closed_on: null } });
    await invoke('create_account', { input: { institution_id: 1, name: 'Prêt auto', kind: 'loan', currency: 'EUR', opened_on: null, closed_on: null } });
    click(root.querySelector('[data-nav="dashboard"]'));
    click(root.querySelector('[data-nav="accounts"]'));
    await waitFor(() => root.querySelectorAll('[data-action="balance"]').length === 2);
    const rowOf = (name: string) => [...root.querySelectorAll('tbody tr')].find((r) => r.textContent?.includes(name))!;
    click(rowOf('Courant').querySelector('[data-action="balance"]'));
    let dialog = await waitFor(() => root.querySelector('[role="dialog"]'));
    type(dialog.querySelector('input[name="balance-amount"]'), '22.950');
    click(button(dialog, fr['common.save']));
    await waitFor(() => dialog.querySelector('.field__error'));
    expect(dialog.querySelector('.field__error')?.textContent).toContain('22.950');
    type(dialog.querySelector('input[name="balance-amount"]'), '-120,40');
    click(button(dialog, fr['common.save']));
    await waitFor(() => !root.querySelector('[role="dialog"]'));
    await waitFor(() => plain(rowOf('Courant').querySelector('[data-col="value"] .nowrap')?.textContent) === '−120,40 €' || plain(rowOf('Courant').querySelector('[data-col="value"] .nowrap')?.textContent) === '-120,40 €');
    expect(rowOf('Prêt auto').querySelector('[data-action="balance"]')?.textContent).toBe(fr['accounts.setOutstanding']);
    click(rowOf('Prêt auto').querySelector('[data-action="balance"]'));
    dialog = await waitFor(() => root.querySelector('[role="dialog"]'));
    expect(dialog.textContent).toContain(fr['accounts.outstandingText']);
    type(dialog.querySelector('input[name="balance-amount"]'), '8 000');
    click(button(dialog, fr['common.save']));
    await waitFor(() => !root.querySelector('[role="dialog"]'));
    // The institution's total: −120,40 − 8 000.
    await waitFor(() => plain(root.querySelector('[data-testid="institution-total-1"] strong')?.textContent).replace('-', '−') === '−8 120,40 €');
  });

  it('offers no typed balance for an account whose cash comes from its activities', async () => {
    const { root } = await accountsPage();
    await invoke('create_account', { input: { institution_id: 1, name: 'PEA', kind: 'pea', currency: 'EUR', opened_on: null, closed_on: null } });
    await invoke('create_account', { input: { institution_id: 1, name: 'Livret', kind: 'savings', currency: 'EUR', opened_on: null, closed_on: null } });
    await invoke('add_activity', {
      input: { id: 0, account_id: 1, date: '2024-01-02', kind: 'deposit', instrument_id: null, quantity: null, unit_price: null, amount: '500', fees: '0', note: '' },
    });
    click(root.querySelector('[data-nav="dashboard"]'));
    click(root.querySelector('[data-nav="accounts"]'));
    const rowOf = (name: string) => [...root.querySelectorAll('tbody tr')].find((r) => r.textContent?.includes(name))!;
    await waitFor(() => rowOf('Livret')?.querySelector('[data-action="balance"]'));
    expect(rowOf('PEA').querySelector('[data-action="balance"]')).toBeNull();
    expect(plain(rowOf('PEA').querySelector('[data-col="value"] .nowrap')?.textContent)).toBe('500,00 €');
  });
});
