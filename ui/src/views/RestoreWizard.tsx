//! Restore wizard: pick a backup found on disk (or browse), prove it is yours with the
//! password or the recovery key, check the preview, restore, and enter the app.
import { useState } from 'preact/hooks';
import {
  AppError, ipc, pickFile, toAppError, type BackupHeader, type ProfileHealth, type ProfileView, type RestorePreview,
  type RestoreSecret, type SessionInfo,
} from '../lib/ipc';
import { groupBackups } from '../lib/backup';
import { formatBytes, formatDateTime, formatInteger, formatMoney } from '../lib/format';
import { t } from '../lib/i18n';
import { useLoad } from '../lib/shell/useLoad';
import { normalizeRecoveryKey } from '../lib/vault/recoveryKey';
import { TextField } from '../components/fields';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { NewPasswordFields, newPasswordErrors, type NewPasswordState } from '../components/password';
import { LangSelect } from '../components/LangSelect';
import { RecoveryKeyStep } from '../components/recoveryKey';
import { ACTIONS, num, Table } from '../components/Table';

interface Props {
  health: ProfileHealth[];
  dataDir: string;
  /** The profiles here: a backup of one of them restores into it, with its current credential. */
  profiles: ProfileView[];
  onSession: (s: SessionInfo) => void;
  /** Back to where the wizard was opened from; undefined when it cannot be skipped. */
  onCancel?: (() => void) | undefined;
  onBackToStart: () => void;
}

export function RestoreWizard({ health, dataDir, profiles, onSession, onCancel, onBackToStart }: Props) {
  const [step, setStep] = useState<'choose' | 'secret' | 'preview'>('choose');
  const [backup, setBackup] = useState<BackupHeader | null>(null);
  const [browseError, setBrowseError] = useState<AppError | null>(null);
  const found = useLoad(() => ipc.scanBackups(), []);

  const browse = async () => {
    setBrowseError(null);
    try {
      const path = await pickFile(t('restore.browseTitle'), [{ name: 'Patrimoine', extensions: ['patrimoine-backup', 'pbak', 'bak'] }, { name: '*', extensions: ['*'] }]);
      if (!path) return;
      const header = await ipc.inspectBackup(path);
      setBackup(header);
      setStep('secret');
    } catch (e) {
      setBrowseError(toAppError(e));
    }
  };

  return (
    <div class="center-page">
      <main class="card wide" aria-labelledby="restore-title">
        <div class="card__top">
          <span class="brand">Patrimoine</span>
          <LangSelect compact />
        </div>
        <h1 id="restore-title">{t('restore.title')}</h1>
        {health.length > 0 && (
          <div class="banner banner--warn" role="alert">
            <p><strong>{t('restore.healthTitle')}</strong></p>
            <ul>
              {health.map((h) => <li key={h.name}>{t(`restore.health.${h.state}`, { name: h.name })}</li>)}
            </ul>
            <p>{t('restore.healthAdvice')}</p>
          </div>
        )}
        <ol class="steps" aria-label={t('restore.stepsLabel')}>
          {(['choose', 'secret', 'preview'] as const).map((s, i) => (
            <li key={s} class={step === s ? 'is-current' : ''} aria-current={step === s ? 'step' : undefined}>
              {i + 1}. {t(`restore.step.${s}`)}
            </li>
          ))}
        </ol>

        {step === 'choose' && (
          <section>
            <p>{t('restore.chooseIntro')}</p>
            {found.loading && <Loading />}
            <ErrorBanner error={found.error} onRetry={found.reload} />
            {found.data && found.data.length === 0 && (
              <EmptyState title={t('restore.noneFound')} text={t('restore.noneFoundText')} />
            )}
            {found.data && found.data.length > 0 && (
              <Table
                columns={[
                  t('backup.date'), t('backup.profile'), t('backup.appVersion'), t('backup.location'),
                  num(t('backup.size')), ACTIONS,
                ]}
              >
                {groupBackups(found.data, health, profiles).flatMap((g) => [
                  <tr key={`group-${g.profileId}`} class="row--group">
                    <th scope="colgroup" colSpan={6}>
                      {g.needsRestore ? t('restore.groupToRestore', { name: g.name }) : t('restore.groupOther', { name: g.name })}
                    </th>
                  </tr>,
                  ...g.backups.map((b) => (
                    <tr key={b.path}>
                      <td class="nowrap">{formatDateTime(b.created_at)}</td>
                      <td>{b.profile_name}</td>
                      <td>{b.app_version}</td>
                      <td title={b.path}>{t(`backup.loc.${b.location}`)}</td>
                      <td class="num">{formatBytes(b.size)}</td>
                      <td class="num">
                        <button type="button" class="btn btn--small" onClick={() => { setBackup(b); setStep('secret'); }}>
                          {t('restore.choose')}
                        </button>
                      </td>
                    </tr>
                  )),
                ])}
              </Table>
            )}
            <ErrorBanner error={browseError} />
            <div class="actions">
              {onCancel ? (
                <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
              ) : (
                <button type="button" class="btn" onClick={onBackToStart}>{t('restore.skip')}</button>
              )}
              <button type="button" class="btn" onClick={() => void browse()}>{t('restore.browse')}</button>
            </div>
          </section>
        )}

        {step !== 'choose' && backup && (
          <SecretAndPreview
            backup={backup}
            local={profiles.find((p) => p.id === backup.profile_id) ?? null}
            dataDir={dataDir}
            step={step}
            setStep={setStep}
            onBack={() => { setStep('choose'); setBackup(null); }}
            onSession={onSession}
          />
        )}
      </main>
    </div>
  );
}

interface SecretProps {
  backup: BackupHeader;
  /** The profile here the backup belongs to; null when it is restored as a new profile. */
  local: ProfileView | null;
  dataDir: string;
  step: 'secret' | 'preview';
  setStep: (s: 'secret' | 'preview') => void;
  onBack: () => void;
  onSession: (s: SessionInfo) => void;
}

function SecretAndPreview({ backup, local, dataDir, step, setStep, onBack, onSession }: SecretProps) {
  const [method, setMethod] = useState<'password' | 'recovery'>('password');
  const [password, setPassword] = useState('');
  const [recoveryKey, setRecoveryKey] = useState('');
  const [pw, setPw] = useState<NewPasswordState>({ password: '', confirm: '' });
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [preview, setPreview] = useState<RestorePreview | null>(null);
  const [restored, setRestored] = useState<{ session: SessionInfo; key: string } | null>(null);
  /** A new password is chosen with the recovery key, and always for a new profile. */
  const needsNewPassword = method === 'recovery' || local === null;

  const secret = (): RestoreSecret =>
    method === 'password' ? { password } : { recoveryKey: normalizeRecoveryKey(recoveryKey) };

  const check = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (method === 'password' && password === '') return;
    if (method === 'recovery' && recoveryKey.trim() === '') return;
    if (needsNewPassword && Object.keys(newPasswordErrors(pw)).length > 0) return;
    setBusy(true);
    try {
      setPreview(await ipc.restorePreview(backup.path, secret()));
      setStep('preview');
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await ipc.restoreBackup(backup.path, secret(), needsNewPassword ? pw.password : undefined);
      if (r.new_recovery_key) setRestored({ session: r.session, key: r.new_recovery_key });
      else onSession(r.session);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  const secretError = error && ['wrong_password', 'wrong_recovery_key', 'recovery_key_typo', 'recovery_key_format', 'throttled'].includes(error.code)
    ? errorMessage(error) : null;

  if (restored) {
    return (
      <section>
        <h2>{t('recovery.title')}</h2>
        <p class="notice" role="status">{t('restore.newRecoveryKey')}</p>
        <RecoveryKeyStep recoveryKey={restored.key} profileName={restored.session.profile.name} dataDir={dataDir}
          onDone={() => onSession(restored.session)} />
      </section>
    );
  }

  if (step === 'preview' && preview) {
    return (
      <section>
        <h2>{t('restore.previewTitle')}</h2>
        <dl class="summary">
          <dt>{t('backup.date')}</dt><dd>{formatDateTime(preview.created_at)}</dd>
          <dt>{t('backup.profile')}</dt><dd>{preview.profile_name}</dd>
          <dt>{t('restore.institutions')}</dt><dd>{formatInteger(preview.institutions)}</dd>
          <dt>{t('restore.accounts')}</dt><dd>{formatInteger(preview.accounts)}</dd>
          <dt>{t('restore.assets')}</dt><dd>{formatInteger(preview.assets)}</dd>
          <dt>{t('restore.values')}</dt><dd>{formatInteger(preview.values)}</dd>
          <dt>{t('restore.netWorth')}</dt><dd class="money">{formatMoney(preview.net_worth, preview.currency)}</dd>
        </dl>
        <p class="banner banner--warn">
          {local ? t('restore.replaceWarning', { name: local.name }) : t('restore.asNewNote', { name: preview.profile_name })}
        </p>
        <ErrorBanner error={error} />
        <div class="actions">
          <button type="button" class="btn" disabled={busy} onClick={() => setStep('secret')}>{t('common.back')}</button>
          <button type="button" class="btn btn--primary" disabled={busy} onClick={() => void restore()}>
            {busy ? t('restore.restoring') : t('restore.restore')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form onSubmit={check} noValidate>
      <p>{t('restore.selected', { date: formatDateTime(backup.created_at), name: backup.profile_name })}</p>
      <p class="muted">{local ? t('restore.intoExisting', { name: local.name }) : t('restore.asNewIntro')}</p>
      <fieldset class="segmented">
        <legend>{t('restore.unlockWith')}</legend>
        <label><input type="radio" name="method" checked={method === 'password'} onChange={() => setMethod('password')} /> {t('restore.withPassword')}</label>
        <label><input type="radio" name="method" checked={method === 'recovery'} onChange={() => setMethod('recovery')} /> {t('restore.withRecoveryKey')}</label>
      </fieldset>
      {method === 'password' ? (
        <TextField label={local ? t('restore.currentPassword', { name: local.name }) : t('restore.backupPassword')}
          type="password" name="backup-password" autoComplete="current-password"
          value={password} onValue={setPassword}
          error={secretError ?? (submitted && password === '' ? t('common.required') : null)} />
      ) : (
        <TextField label={local ? t('restore.currentRecoveryKey', { name: local.name }) : t('unlock.recoveryKey')}
          name="backup-recovery-key" class="input--mono" autoComplete="off"
          spellcheck={false} value={recoveryKey} onValue={setRecoveryKey} hint={t('unlock.recoveryHint')}
          error={secretError ?? (submitted && recoveryKey.trim() === '' ? t('common.required') : null)} />
      )}
      {needsNewPassword && <NewPasswordFields value={pw} onChange={setPw} showErrors={submitted} />}
      {error && !secretError && <ErrorBanner error={error} />}
      <div class="actions">
        <button type="button" class="btn" onClick={onBack}>{t('common.back')}</button>
        <button type="submit" class="btn btn--primary" disabled={busy}>
          {busy ? t('restore.checking') : t('restore.check')}
        </button>
      </div>
    </form>
  );
}
