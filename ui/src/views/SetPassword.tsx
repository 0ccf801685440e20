//! Choose a new password after unlocking with the recovery key (`mustSetPassword`).
import { useState } from 'preact/hooks';
import { AppError, ipc, toAppError, type SessionInfo } from '../lib/ipc';
import { t } from '../lib/i18n';
import { NewPasswordFields, newPasswordErrors, type NewPasswordState } from '../components/password';
import { errorMessage } from '../components/feedback';
import { RecoveryKeyStep } from '../components/recoveryKey';

interface Props {
  session: SessionInfo;
  dataDir: string;
  onDone: (s: SessionInfo) => void;
  onCancel: () => void;
}

export function SetPassword({ session, dataDir, onDone, onCancel }: Props) {
  const [pw, setPw] = useState<NewPasswordState>({ password: '', confirm: '' });
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [newKey, setNewKey] = useState<{ key: string; session: SessionInfo } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (Object.keys(newPasswordErrors(pw)).length > 0) return;
    setBusy(true);
    try {
      // Right after a recovery-key unlock, the key just typed is the confirmation.
      const r = await ipc.changePassword(pw.password);
      if (r.new_recovery_key) setNewKey({ key: r.new_recovery_key, session: r.session });
      else onDone(r.session);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  if (newKey) {
    return (
      <div class="center-page">
        <main class="card" aria-labelledby="setpw-title">
          <h1 id="setpw-title">{t('recovery.title')}</h1>
          <p class="notice" role="status">{t('settings.recoveryKeyReplacedByChange')}</p>
          <RecoveryKeyStep recoveryKey={newKey.key} profileName={session.profile.name} dataDir={dataDir}
            onDone={() => onDone(newKey.session)} />
        </main>
      </div>
    );
  }

  return (
    <div class="center-page">
      <main class="card narrow" aria-labelledby="setpw-title">
        <h1 id="setpw-title">{t('setPassword.title')}</h1>
        <p class="lead">{t('setPassword.intro', { name: session.profile.name })}</p>
        <form onSubmit={submit} noValidate>
          <NewPasswordFields value={pw} onChange={setPw} showErrors={submitted}
            serverError={error?.code === 'weak_password' ? errorMessage(error) : null} />
          {error && error.code !== 'weak_password' && <p class="field__error" role="alert">{errorMessage(error)}</p>}
          <div class="actions">
            <button type="button" class="btn" onClick={onCancel}>{t('shell.lock')}</button>
            <button type="submit" class="btn btn--primary" disabled={busy}>{t('setPassword.submit')}</button>
          </div>
        </form>
      </main>
    </div>
  );
}
