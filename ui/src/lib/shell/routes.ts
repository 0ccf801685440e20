//! The app shell's screens. A tiny state router: no URL, no history, so locking the app
//! throws everything away.
export type Route =
  | { name: 'dashboard' }
  | { name: 'update' }
  | { name: 'accounts' }
  /** One account: its positions and activities. */
  | { name: 'account'; id: number }
  /** `create`: a new number each time the new-asset form is asked for (shortcut N). */
  | { name: 'assets'; create?: number }
  | { name: 'asset'; id: number }
  /** Securities: the list, one with its price history, and the fast "update prices". */
  | { name: 'instruments' }
  | { name: 'instrument'; id: number }
  | { name: 'prices' }
  /** Loans held with their terms, and one with its amortization table. */
  | { name: 'loans' }
  | { name: 'loan'; id: number }
  | { name: 'cashflows' }
  | { name: 'fx' }
  | { name: 'io' }
  | { name: 'settings'; tab?: SettingsTab };

/** The tabs of Settings; a route may open one directly (e.g. a reminder's link). */
export type SettingsTab = 'general' | 'security' | 'backups' | 'audit' | 'profiles' | 'about';

export type NavName = Exclude<Route['name'], 'asset' | 'account' | 'instrument' | 'prices' | 'loan'>;

export const NAV: readonly NavName[] = [
  'dashboard', 'update', 'accounts', 'assets', 'instruments', 'loans', 'cashflows', 'fx', 'io', 'settings',
];
