//! Root component: decides between first run, restore wizard, unlock, forced password
//! change and the unlocked app shell, from `app_info` and `startup_health`.
import { useEffect, useState } from 'preact/hooks';
import { AppError, ipc, onBackendLocked, toAppError, type AppInfo, type ProfileHealth, type SessionInfo } from './lib/ipc';
import { unhealthy } from './lib/backup';
import { useLang, t } from './lib/i18n';
import { clearToasts, toast } from './lib/shell/toast';
import { rememberProfile } from './lib/vault/lastProfile';
import { ErrorBanner, Loading, Toasts } from './components/feedback';
import { FirstRun } from './views/FirstRun';
import { Unlock } from './views/Unlock';
import { RestoreWizard } from './views/RestoreWizard';
import { SetPassword } from './views/SetPassword';
import { AppShell } from './views/AppShell';

type Phase =
  | { name: 'loading' }
  | { name: 'fatal'; error: AppError }
  | { name: 'firstRun' }
  | { name: 'restore'; health: ProfileHealth[]; canCancel: boolean }
  /** `profile` preselected, or `pick`: the profile picker open, nothing chosen. */
  | { name: 'unlock'; profile?: string; pick?: boolean }
  | { name: 'setPassword'; session: SessionInfo }
  | { name: 'app'; session: SessionInfo };

export function App() {
  useLang();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });

  const refreshInfo = async () => {
    const next = await ipc.appInfo();
    setInfo(next);
    return next;
  };

  const start = async () => {
    setPhase({ name: 'loading' });
    try {
      const [next, health] = await Promise.all([ipc.appInfo(), ipc.startupHealth()]);
      setInfo(next);
      const bad = unhealthy(health);
      if (bad.length > 0) setPhase({ name: 'restore', health: bad, canCancel: next.profiles.length > bad.length });
      else if (next.session) enter(next.session);
      else if (next.profiles.length === 0) setPhase({ name: 'firstRun' });
      else setPhase({ name: 'unlock' });
    } catch (e) {
      setPhase({ name: 'fatal', error: toAppError(e) });
    }
  };

  useEffect(() => {
    void start();
  }, []);

  const enter = (session: SessionInfo) => {
    rememberProfile(session.profile.id);
    if (session.must_set_password) setPhase({ name: 'setPassword', session });
    else setPhase({ name: 'app', session });
  };

  const entered = async (session: SessionInfo) => {
    try {
      await refreshInfo();
    } catch {
      // The session is open; profile list refresh can wait for the next screen.
    }
    enter(session);
  };

  /** Locks and shows the unlock screen, with `profile` preselected, or with the picker
   *  open when the user asked to switch profile (`pick`). */
  const lock = async (profile?: string, pick = false) => {
    clearToasts();
    setPhase({ name: 'loading' });
    try {
      await ipc.lock();
    } catch {
      // Already locked: nothing more to do.
    }
    try {
      const next = await refreshInfo();
      setPhase(next.profiles.length === 0 ? { name: 'firstRun' }
        : pick ? { name: 'unlock', pick: true } : profile ? { name: 'unlock', profile } : { name: 'unlock' });
    } catch (e) {
      setPhase({ name: 'fatal', error: toAppError(e) });
    }
  };

  // The backend closes the session by itself when the computer goes to sleep (back to
  // the unlock screen, with a word on why) and when the integrity check run after an
  // unlock finds the vault damaged (the restore wizard explains and offers backups).
  const openProfile = phase.name === 'app' || phase.name === 'setPassword' ? phase.session.profile.name : null;
  useEffect(() => {
    if (openProfile === null) return undefined;
    return onBackendLocked((reason) => {
      if (reason === 'damaged') {
        clearToasts();
        void refreshInfo().catch(() => undefined);
        setPhase({ name: 'restore', health: [{ name: openProfile, state: 'vault_damaged' }], canCancel: true });
        return;
      }
      void lock(openProfile).then(() => toast(t('unlock.lockedOnSuspend')));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openProfile]);

  const backToStart = () =>
    setPhase(info && info.profiles.length > 0 ? { name: 'unlock' } : { name: 'firstRun' });

  let body;
  switch (phase.name) {
    case 'loading':
      body = <div class="center-page"><Loading /></div>;
      break;
    case 'fatal':
      body = (
        <div class="center-page">
          <div class="card narrow">
            <h1>{t('app.startFailed')}</h1>
            <ErrorBanner error={phase.error} onRetry={() => void start()} />
          </div>
        </div>
      );
      break;
    case 'firstRun':
      body = (
        <FirstRun
          info={info!}
          onSession={(s) => void entered(s)}
          onRestore={() => setPhase({ name: 'restore', health: [], canCancel: true })}
        />
      );
      break;
    case 'restore':
      body = (
        <RestoreWizard
          health={phase.health}
          onCancel={phase.canCancel ? backToStart : undefined}
          onBackToStart={backToStart}
          onSession={(s) => void entered(s)}
          dataDir={info?.data_dir ?? ''}
          profiles={info?.profiles ?? []}
        />
      );
      break;
    case 'unlock':
      body = (
        <Unlock
          info={info!}
          initialProfile={phase.profile}
          pickProfile={phase.pick ?? false}
          onSession={(s) => void entered(s)}
          onRestore={() => setPhase({ name: 'restore', health: [], canCancel: true })}
        />
      );
      break;
    case 'setPassword':
      body = (
        <SetPassword
          session={phase.session}
          dataDir={info!.data_dir}
          onDone={(s) => setPhase({ name: 'app', session: s })}
          onCancel={() => void lock(phase.session.profile.name)}
        />
      );
      break;
    case 'app':
      body = (
        <AppShell
          info={info!}
          session={phase.session}
          setSession={(s) => setPhase({ name: 'app', session: s })}
          refreshInfo={refreshInfo}
          onLock={() => void lock(phase.session.profile.name)}
          onSwitchProfile={() => void lock(undefined, true)}
        />
      );
      break;
  }
  return (
    <>
      {body}
      <Toasts />
    </>
  );
}
