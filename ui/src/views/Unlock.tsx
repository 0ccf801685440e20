//! Profile picker and unlock: password (with throttling countdown), keychain, or the
//! recovery key when the password is forgotten (mistyped group shown). The profile
//! opened last is preselected (the picker folded, "Switch profile" unfolds it); after
//! "Switch profile" in the app, the picker comes open with nothing chosen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { AppError, ipc, toAppError, type AppInfo, type SessionInfo } from '../lib/ipc';
import { t } from '../lib/i18n';
import { keyGroups, normalizeRecoveryKey } from '../lib/vault/recoveryKey';
import { lastProfileId } from '../lib/vault/lastProfile';
import { useCountdown } from '../lib/shell/countdown';
import { TextField } from '../components/fields';
import { LangSelect } from '../components/LangSelect';
import { errorMessage } from '../components/feedback';

interface Props {
  info: AppInfo;
  initialProfile?: string | undefined;
  /** Open the picker with no profile chosen (the user asked to switch profile). */
  pickProfile?: boolean;
  onSession: (s: SessionInfo) => void;
  onRestore: () => void;
}

/** The profile chosen when the screen opens: the one just locked, else the one opened
 *  last on this computer, else the only one. */
function preselected(profiles: AppInfo['profiles'], initialProfile: string | undefined): string {
  if (initialProfile && profiles.some((p) => p.name === initialProfile)) return initialProfile;
  const last = lastProfileId();
  const remembered = profiles.find((p) => p.id === last);
  if (remembered) return remembered.name;
  return profiles.length === 1 ? profiles[0]!.name : '';
}

export function Unlock({ info, initialProfile, pickProfile = false, onSession, onRestore }: Props) {
  const profiles = info.profiles;
  const [selected, setSelected] = useState<string>(() => (pickProfile ? '' : preselected(profiles, initialProfile)));
  const [picking, setPicking] = useState(() => pickProfile || selected === '');
  const picker = useRef<HTMLFieldSetElement>(null);
  const [mode, setMode] = useState<'password' | 'recovery'>('password');
  const [password, setPassword] = useState('');
  const [recovery, setRecovery] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [secondsLeft, startCountdown] = useCountdown();
  const profile = profiles.find((p) => p.name === selected);

  // The picker opened by the user (here, or by "Switch profile" in the app) takes the
  // focus: the chosen profile's radio, else the first.
  const askedToPick = useRef(pickProfile);
  useEffect(() => {
    if (!picking || !askedToPick.current) return;
    const radios = [...(picker.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? [])];
    (radios.find((r) => r.checked) ?? radios[0])?.focus();
  }, [picking]);

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

        {!picking && profile && (
          <div class="profile-current" data-testid="profile-current">
            <span class="field__label">{t('unlock.chooseProfile')}</span>
            <div class="profile-choice is-selected">
              <span class="avatar" aria-hidden="true">{profile.name.slice(0, 1).toUpperCase()}</span>
              <span class="profile-choice__name">{profile.name}</span>
              {profile.admin && <span class="tag">{t('profile.admin')}</span>}
              {profiles.length > 1 && (
                <button type="button" class="btn btn--small" onClick={() => { askedToPick.current = true; setPicking(true); }}>
                  {t('profile.switch')}
                </button>
              )}
            </div>
          </div>
        )}
        {picking && (
          <fieldset class="profile-list" ref={picker}>
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
        )}

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
