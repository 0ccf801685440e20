import { describe, expect, it } from 'vitest';
import { fr } from '../lib/i18n/fr';
import { filterAssets, type AssetFilter } from '../lib/portfolio';
import { ipc, type Asset } from '../lib/ipc';
import { click, type, waitFor } from '../test/render';
import { unlockedDemo } from '../test/app';


describe('the assets search', () => {
  it('ignores case and accents, and finds an asset by its account or institution', async () => {
    const { root } = await unlockedDemo();
    const sg = await ipc.createInstitution({ name: 'Société Générale', kind: 'bank', notes: '' });
    const acc = await ipc.createAccount({ institution_id: sg, name: 'Livret Jeune', kind: 'savings', currency: 'EUR', opened_on: null, closed_on: null });
    await ipc.createAsset({
      account_id: acc, name: 'Épargne de Zoé', class: 'cash', liability: false, currency: 'EUR', isin: null, ticker: null,
      share_pct: '100', ownership: 'full', archived: false, components: [], allocations: {},
    });
    click(root.querySelector('[data-nav="assets"]'));
    const search = await waitFor(() => root.querySelector<HTMLInputElement>('input[name="asset-search"]'));
    const names = () => [...root.querySelectorAll('tbody td:first-child .btn--link')].map((b) => b.textContent);
    await waitFor(() => names().length > 1);

    type(search, 'societe');
    expect(names()).toEqual(['Épargne de Zoé']);
    type(search, 'EPARGNE zoe');
    expect(names()).toEqual(['Épargne de Zoé']);
    // "Prêt immo" is the demo's loan account (a loan with typed values, one with its terms).
    type(search, 'pret');
    expect(names()).toEqual(['Emprunt Appartement Lyon', 'Emprunt résidence']);
    type(search, 'msci world');
    expect(names()).toEqual(['ETF MSCI World', 'iShares Core MSCI World']);
    type(search, 'pret world');
    expect(root.textContent).toContain(fr['assets.noMatch']);
  });
});

describe('filterAssets', () => {
  const asset = (id: number, name: string, extra: Partial<Asset> = {}): Asset => ({
    id, account_id: null, name, class: 'cash', liability: false, currency: 'EUR', isin: null, ticker: null, share_pct: '100',
    ownership: 'full', archived: false, components: [], allocations: {}, ...extra,
  });
  const none: AssetFilter = { search: '', assetClass: '', account: '', showArchived: false };
  const where = { accounts: [], institutions: [] };

  it('searches the name, ISIN and ticker without case or accents', () => {
    const assets = [asset(1, 'Prêt immobilier', { class: 'loan' }), asset(2, 'Amundi MSCI World', { isin: 'FR0010315770', ticker: 'CW8' })];
    expect(filterAssets(assets, { ...none, search: 'PRET' }, where).map((a) => a.id)).toEqual([1]);
    expect(filterAssets(assets, { ...none, search: 'fr0010' }, where).map((a) => a.id)).toEqual([2]);
    expect(filterAssets(assets, { ...none, search: 'cw8' }, where).map((a) => a.id)).toEqual([2]);
    expect(filterAssets(assets, none, where).map((a) => a.id)).toEqual([1, 2]);
  });
});
