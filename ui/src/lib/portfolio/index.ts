//! Portfolio helpers shared by the accounts, assets and update-values screens.
import { UNCLASSIFIED, type Account, type Asset, type AssetClass, type BreakdownBy, type Institution, type Slice } from '../ipc';
import { hasKey, t } from '../i18n';
import { matchesSearch } from '../search';

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

/**
 * The assets a filter keeps. The search ignores case and accents (`matchesSearch`) and
 * looks at the name, ISIN, ticker and the account's label ("Crédit Agricole · Prêt
 * immo"): "credit pret" finds the loan of that account.
 */
export function filterAssets(assets: Asset[], f: AssetFilter, where: { accounts: Account[]; institutions: Institution[] }): Asset[] {
  return assets.filter((a) => {
    if (!f.showArchived && a.archived) return false;
    if (f.assetClass && a.class !== f.assetClass) return false;
    if (f.account === 'direct' && a.account_id !== null) return false;
    if (f.account && f.account !== 'direct' && String(a.account_id) !== f.account) return false;
    const account = where.accounts.find((x) => x.id === a.account_id);
    return matchesSearch(f.search, a.name, a.isin, a.ticker, account ? accountLabel(account, where.institutions) : null);
  });
}

/** The core's bucket key for what an institution, account or account-kind breakdown
 *  finds held outside any account. */
const DIRECT = 'direct';

/**
 * The label of a breakdown slice in the user's language: classes and account kinds by
 * their token, the core's `unclassified` and `direct` buckets by a translated word;
 * names (institutions, accounts, bucket labels) as the core sends them.
 */
export function sliceLabel(by: BreakdownBy, slice: Slice): string {
  switch (by.by) {
    case 'class':
      return hasKey(`assetClass.${slice.key}`) ? t(`assetClass.${slice.key}`) : slice.label;
    case 'dimension':
      return slice.key === UNCLASSIFIED ? t('alloc.unclassified') : slice.label;
    case 'account_kind':
      if (slice.key === DIRECT) return t('assets.heldDirectly');
      return hasKey(`accountKind.${slice.key}`) ? t(`accountKind.${slice.key}`) : slice.label;
    case 'institution':
    case 'account':
      return slice.key === DIRECT ? t('assets.heldDirectly') : slice.label;
    case 'currency':
      return slice.label;
  }
}
