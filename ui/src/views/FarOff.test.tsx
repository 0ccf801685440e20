import { describe, expect, it } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { today } from '../lib/dates';
import { fr } from '../lib/i18n/fr';
import { button, click, type, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';
import { farFrom } from '../components/FarOff';

async function household() {
  return newProfileApp(async () => {
    const bank = await invoke<number>('create_institution', { input: { name: 'BNP', kind: 'bank', notes: '' } });
    const livret = await invoke<number>('create_account', {
      input: { institution_id: bank, name: 'Livret A', kind: 'savings', currency: 'EUR', opened_on: null, closed_on: null },
    });
    await invoke('set_account_balance', { account_id: livret, date: '2026-01-31', amount: '22950' });
  });
}

describe('a value ten times off the previous one asks first, in every entry screen', () => {
  it('compares exactly, in both directions', () => {
    expect(farFrom('229500', '22950')).toBe(true);
    expect(farFrom('2295', '22950')).toBe(true);
    expect(farFrom('229499.99', '22950')).toBe(false);
    expect(farFrom('-229500', '22950')).toBe(true);
    expect(farFrom('100', '0')).toBe(false);
  });

  it('in an account\'s balance: "Je corrige" keeps the form, "Enregistrer quand même" saves', async () => {
    const { root, backend } = await household();
    click(root.querySelector('[data-nav="accounts"]'));
    click(await waitFor(() => root.querySelector('[data-action="balance"]')));
    const dialog = await waitFor(() => root.querySelector('[role="dialog"]'));
    type(dialog.querySelector('input[name="balance-amount"]'), '229500');
    click(button(dialog, fr['common.save']));
    await waitFor(() => dialog.querySelector('[data-testid="far-off"]'));
    const saves = () => backend.calls.filter((c) => c.cmd === 'set_account_balance').length;
    expect(saves()).toBe(1); // the set-up's, none from the form
    click(button(dialog, fr['update.farFix']));
    expect(dialog.querySelector('[data-testid="far-off"]')).toBeNull();
    click(button(dialog, fr['common.save']));
    click(button(await waitFor(() => dialog.querySelector('[data-testid="far-off"]')), fr['update.farSave']));
    await waitFor(() => saves() === 2);
  });

  it('in an asset\'s value history', async () => {
    const { root, backend } = await household();
    const assets = await invoke<{ id: number; name: string }[]>('list_assets');
    click(root.querySelector('[data-nav="assets"]'));
    click(await waitFor(() => [...root.querySelectorAll('button')].find((b) => b.textContent === 'Livret A') ?? null));
    click(await waitFor(() => [...root.querySelectorAll('button')].find((b) => b.textContent === fr['values.add']) ?? null));
    const dialog = await waitFor(() => root.querySelector('[role="dialog"]'));
    type(dialog.querySelector('input[name="point-date"]'), today());
    type(dialog.querySelector('input[name="point-value"]'), '2 295');
    click(button(dialog, fr['common.save']));
    await waitFor(() => dialog.querySelector('[data-testid="far-off"]'));
    expect(backend.calls.filter((c) => c.cmd === 'upsert_values')).toHaveLength(0);
    click(button(dialog, fr['update.farSave']));
    await waitFor(() => backend.calls.filter((c) => c.cmd === 'upsert_values').length === 1);
    expect(assets).toHaveLength(1);
  });
});
