//! The unlocked app: left navigation, profile name, an always-visible Lock button,
//! auto-lock after inactivity, and the current screen. Every move to another screen
//! asks first when a form holds unsaved input (lib/shell/unsaved).
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { LIMITS, type AppInfo, type SessionInfo } from '../lib/ipc';
import { t } from '../lib/i18n';
import { useAutoLock } from '../lib/vault/autolock';
import { Shell, type ShellContext } from '../lib/shell/context';
import { NAV, type Route } from '../lib/shell/routes';
import { discardUnsavedInput, hasUnsavedInput } from '../lib/shell/unsaved';
import { modifierKey, screenKey, shortcutAction } from '../lib/shell/shortcuts';
import { ConfirmDialog } from '../components/Modal';
import { ShortcutsHelp } from '../components/ShortcutsHelp';
import { Dashboard } from './Dashboard';
import { UpdateValues } from './UpdateValues';
import { Accounts } from './Accounts';
import { AccountDetail } from './AccountDetail';
import { Assets } from './Assets';
import { AssetDetail } from './AssetDetail';
import { InstrumentDetail, Instruments } from './Instruments';
import { UpdatePrices } from './UpdatePrices';
import { Loans } from './Loans';
import { LoanDetail } from './LoanDetail';
import { CashFlows } from './CashFlows';
import { FxRates } from './FxRates';
import { ImportExport } from './ImportExport';
import { Settings } from './Settings';

interface Props {
  info: AppInfo;
  session: SessionInfo;
  setSession: (s: SessionInfo) => void;
  refreshInfo: () => Promise<AppInfo>;
  onLock: () => void;
  /** Locks and goes to the unlock screen with the profile picker open. */
  onSwitchProfile: () => void;
}

const ICONS: Record<string, string> = {
  dashboard: '◔', update: '✎', accounts: '▤', assets: '◆', instruments: '◈', loans: '⌂', cashflows: '⇄', fx: '¤', io: '⇅', settings: '⚙',
};

export function AppShell({ info, session, setSession, refreshInfo, onLock, onSwitchProfile }: Props) {
  const [route, setRoute] = useState<Route>({ name: 'dashboard' });
  /** A move waiting for the user to confirm that their unsaved input may go. */
  const [leaving, setLeaving] = useState<{ leave: () => void } | null>(null);
  useAutoLock(session.auto_lock_minutes > 0 ? session.auto_lock_minutes : LIMITS.auto_lock_default, onLock);

  const guard = useCallback((leave: () => void) => {
    if (hasUnsavedInput()) setLeaving({ leave });
    else leave();
  }, []);
  const shown = useRef(route);
  shown.current = route;
  const navigate = useCallback((to: Route) => {
    // The screen already shown: nothing would be thrown away.
    if (JSON.stringify(shown.current) === JSON.stringify(to)) return;
    guard(() => setRoute(to));
  }, [guard]);

  // Keyboard shortcuts (lib/shell/shortcuts): not while typing, not over a dialog.
  const [help, setHelp] = useState(false);
  const asked = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('[aria-modal="true"]')) return;
      const action = shortcutAction(e);
      if (!action) return;
      e.preventDefault();
      switch (action.kind) {
        case 'go':
          navigate({ name: action.to } as Route);
          break;
        case 'newAsset':
          asked.current += 1;
          navigate({ name: 'assets', create: asked.current });
          break;
        case 'lock':
          onLock();
          break;
        case 'help':
          setHelp(true);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, onLock]);

  const ctx: ShellContext = useMemo(
    () => ({ info, session, route, navigate, guard, setSession, refreshInfo, lock: onLock }),
    [info, session, route, navigate, guard, setSession, refreshInfo, onLock],
  );
  const current = route.name === 'asset' ? 'assets' : route.name === 'account' ? 'accounts'
    : route.name === 'instrument' || route.name === 'prices' ? 'instruments'
    : route.name === 'loan' ? 'loans' : route.name;

  return (
    <Shell.Provider value={ctx}>
      <div class="shell">
        <nav class="sidebar no-print" aria-label={t('shell.navigation')}>
          <div class="sidebar__brand">Patrimoine</div>
          <ul>
            {NAV.map((n, i) => (
              <li key={n}>
                <button
                  type="button"
                  class={`nav-item ${current === n ? 'is-active' : ''}`}
                  aria-current={current === n ? 'page' : undefined}
                  data-nav={n}
                  aria-keyshortcuts={screenKey(i) ?? undefined}
                  onClick={() => navigate({ name: n } as Route)}
                >
                  <span class="nav-item__icon" aria-hidden="true">{ICONS[n]}</span>
                  {t(`nav.${n}`)}
                </button>
              </li>
            ))}
          </ul>
          <div class="sidebar__footer">
            <div class="sidebar__profile" title={t('shell.signedInAs', { name: session.profile.name })}>
              <span class="avatar" aria-hidden="true">{session.profile.name.slice(0, 1).toUpperCase()}</span>
              <span class="sidebar__name">{session.profile.name}</span>
            </div>
            {info.profiles.length > 1 && (
              <button type="button" class="btn btn--sidebar" data-testid="switch-profile" onClick={() => guard(onSwitchProfile)}>
                {t('profile.switch')}
              </button>
            )}
            <button type="button" class="btn btn--lock" onClick={onLock} data-testid="lock"
              aria-keyshortcuts={modifierKey() === '⌘' ? 'Meta+L' : 'Control+L'}>
              {t('shell.lock')}
            </button>
            <button type="button" class="btn btn--sidebar btn--small" onClick={() => setHelp(true)} data-testid="shortcuts"
              aria-keyshortcuts="?">
              <kbd aria-hidden="true">?</kbd> {t('shell.shortcuts')}
            </button>
          </div>
        </nav>
        <main class="content" id="content">
          <Screen route={route} />
        </main>
      </div>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
      {leaving && (
        <ConfirmDialog title={t('unsaved.title')} message={<p>{t('unsaved.text')}</p>} danger
          confirmLabel={t('unsaved.leave')} cancelLabel={t('unsaved.stay')}
          onCancel={() => setLeaving(null)}
          onConfirm={() => {
            discardUnsavedInput();
            setLeaving(null);
            leaving.leave();
          }} />
      )}
    </Shell.Provider>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'dashboard':
      return <Dashboard />;
    case 'update':
      return <UpdateValues />;
    case 'accounts':
      return <Accounts />;
    case 'account':
      return <AccountDetail id={route.id} />;
    case 'assets':
      return <Assets />;
    case 'asset':
      return <AssetDetail id={route.id} />;
    case 'instruments':
      return <Instruments />;
    case 'instrument':
      return <InstrumentDetail id={route.id} />;
    case 'prices':
      return <UpdatePrices />;
    case 'loans':
      return <Loans />;
    case 'loan':
      return <LoanDetail id={route.id} />;
    case 'cashflows':
      return <CashFlows />;
    case 'fx':
      return <FxRates />;
    case 'io':
      return <ImportExport />;
    case 'settings':
      return <Settings initialTab={route.tab} />;
  }
}
