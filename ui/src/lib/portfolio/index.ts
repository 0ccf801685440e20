//! Portfolio helpers shared by the accounts, assets and update-values screens.
import type { Account, Asset, AssetClass, Institution } from '../ipc';

export * from './weights';

export interface InstitutionGroup {
  institution: Institution;
  accounts: Account[];
}

/** Accounts grouped by institution, both sorted by name (locale-aware). */
export function groupAccounts(institutions: Institution[], accounts: Account[], locale: string): InstitutionGroup[] {
  const coll = new Intl.Collator(locale, { sensitivity: 'base' });
  return [...institutions]
    .sort((a, b) => coll.compare(a.name, b.name))
    .map((institution) => ({
      institution,
      accounts: accounts
        .filter((a) => a.institution_id === institution.id)
        .sort((a, b) => coll.compare(a.name, b.name)),
    }));
}

/** "Institution · Account" label of an account, for selects and tables. */
export function accountLabel(account: Account, institutions: Institution[]): string {
  const inst = institutions.find((i) => i.id === account.institution_id);
  return inst ? `${inst.name} · ${account.name}` : account.name;
}

/** Loans are always liabilities. */
export function isLiabilityClass(c: AssetClass): boolean {
  return c === 'loan';
}

export interface AssetFilter {
  search: string;
  assetClass: AssetClass | '';
  /** Account id, 'direct' for assets held directly, or '' for all. */
  account: string;
  showArchived: boolean;
}

export function filterAssets(assets: Asset[], f: AssetFilter, locale: string): Asset[] {
  const q = f.search.trim().toLocaleLowerCase(locale);
  return assets.filter((a) => {
    if (!f.showArchived && a.archived) return false;
    if (f.assetClass && a.class !== f.assetClass) return false;
    if (f.account === 'direct' && a.account_id !== null) return false;
    if (f.account && f.account !== 'direct' && String(a.account_id) !== f.account) return false;
    if (q) {
      const hay = [a.name, a.isin ?? '', a.ticker ?? ''].join(' ').toLocaleLowerCase(locale);
      if (!hay.includes(q)) return false;
    }
    return true;
  });
}
