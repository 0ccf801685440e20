//! Profile picker and unlock: password (with throttling countdown), keychain, or the
//! recovery key when the password is forgotten (mistyped group shown).
import { useState } from 'preact/hooks';
import { AppError, ipc, toAppError, type AppInfo, type SessionInfo } from '../lib/ipc';
import { t } from '../lib/i18n';
import { keyGroups, normalizeRecoveryKey } from '../lib/vault/recoveryKey';
import { useCountdown } from '../lib/shell/countdown';
import { TextField } from '../components/fields';
import { LangSelect } from '../components/LangSelect';
import { errorMessage } from '../components/feedback';

interface Props {
  info: AppInfo;
  initialProfile?: string | undefined;
  onSession: (s: SessionInfo) => void;
  onRestore: () => void;
}

export function Unlock({ info, initialProfile, onSession, onRestore }: Props) {
  const profiles = info.profiles;
  const [selected, setSelected] = useState<string>(
    initialProfile && profiles.some((p) => p.name === initialProfile)
      ? initialProfile
      : profiles.length === 1 ? profiles[0]!.name : '',
  );
  const [mode, setMode] = useState<'password' | 'recovery'>('password');
  const [password, setPassword] = useState('');
  const [recovery, setRecovery] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [secondsLeft, startCountdown] = useCountdown();
  const profile = profiles.find((p) => p.name === selected);

  const fail = (err: unknown) => {
    const e = toAppError(err);
    setError(e);
    if (e.code === 'throttled') startCountdown(e.detailNumber('retry_after_secs') ?? 5);
  };

  const run = async (action: () => Promise<SessionInfo>) => {
    setBusy(true);
    setError(null);
    try {
      const s = await action();
      setPassword('');
      setRecovery('');
      onSession(s);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (e: Event) => {
    e.preventDefault();
    if (!profile || password === '' || secondsLeft > 0) return;
    void run(() => ipc.unlockPassword(profile.name, password));
  };

  const submitRecovery = (e: Event) => {
    e.preventDefault();
    if (!profile || recovery.trim() === '' || secondsLeft > 0) return;
    void run(() => ipc.unlockRecovery(profile.name, normalizeRecoveryKey(recovery)));
  };

  const throttled = secondsLeft > 0;
  const errorText = error
    ? error.code === 'throttled'
      ? throttled ? t('unlock.throttledCountdown', { seconds: secondsLeft }) : t('unlock.throttledOver')
      : errorMessage(error)
    : null;
  const typoGroup = error?.code === 'recovery_key_typo' ? error.detailNumber('group') ?? null : null;

  return (
    <div class="center-page">
      <main class="card narrow" aria-labelledby="unlock-title">
        <div class="card__top">
          <span class="brand">Patrimoine</span>
          <LangSelect compact />
        </div>
        <h1 id="unlock-title">{t('unlock.title')}</h1>

        <fieldset class="profile-list">
          <legend>{t('unlock.chooseProfile')}</legend>
          {profiles.map((p) => (
            <label key={p.id} class={`profile-choice ${selected === p.name ? 'is-selected' : ''}`}>
              <input
                type="radio"
                name="profile"
                value={p.name}
                checked={selected === p.name}
                onChange={() => {
                  setSelected(p.name);
                  setError(null);
                }}
              />
              <span class="avatar" aria-hidden="true">{p.name.slice(0, 1).toUpperCase()}</span>
              <span class="profile-choice__name">{p.name}</span>
              {p.admin && <span class="tag">{t('profile.admin')}</span>}
            </label>
          ))}
        </fieldset>

        {profile && mode === 'password' && (
          <form onSubmit={submitPassword} noValidate>
            <TextField
              label={t('unlock.password')}
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onValue={setPassword}
              autoFocus
              error={errorText}
            />
            <div class="actions">
              <button type="button" class="btn btn--link" onClick={() => { setMode('recovery'); setError(null); }}>
                {t('unlock.forgot')}
              </button>
              {profile.keychain_enabled && (
                <button type="button" class="btn" disabled={busy || throttled}
                  onClick={() => void run(() => ipc.unlockKeychain(profile.name))}>
                  {t('unlock.withKeychain')}
                </button>
              )}
              <button type="submit" class="btn btn--primary" disabled={busy || throttled || password === ''}>
                {busy ? t('unlock.unlocking') : throttled ? t('unlock.waitButton', { seconds: secondsLeft }) : t('unlock.submit')}
              </button>
            </div>
          </form>
        )}

        {profile && mode === 'recovery' && (
          <form onSubmit={submitRecovery} noValidate>
            <p>{t('unlock.recoveryIntro')}</p>
            <TextField
              label={t('unlock.recoveryKey')}
              name="recovery-key"
              class="input--mono"
              autoComplete="off"
              spellcheck={false}
              value={recovery}
              onValue={setRecovery}
              autoFocus
              hint={t('unlock.recoveryHint')}
              error={errorText}
            />
            {recovery.trim() !== '' && (
              <ol class="rk-groups rk-groups--small" aria-label={t('unlock.recoveryGroups')}>
                {keyGroups(recovery).map((g, i) => (
                  <li key={i} class={typoGroup === i + 1 ? 'is-wrong' : ''}>
                    <span class="rk-groups__n">{i + 1}</span><code>{g}</code>
                  </li>
                ))}
              </ol>
            )}
            <div class="actions">
              <button type="button" class="btn btn--link" onClick={() => { setMode('password'); setError(null); }}>
                {t('unlock.backToPassword')}
              </button>
              <button type="submit" class="btn btn--primary" disabled={busy || throttled || recovery.trim() === ''}>
                {throttled ? t('unlock.waitButton', { seconds: secondsLeft }) : t('unlock.submitRecovery')}
              </button>
            </div>
          </form>
        )}

        <p class="card__footer">
          <button type="button" class="btn btn--link" onClick={onRestore}>{t('restore.fromBackup')}</button>
        </p>
      </main>
    </div>
  );
}
