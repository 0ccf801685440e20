//! Backups: list with verification state, back up now, export a verified copy, verify,
//! restore one (after a clear warning), and the backup settings.
import { useEffect, useState } from 'preact/hooks';
import { ipc, pickDirectory, pickSavePath, type BackupEntry, type BackupSettings, type ExportedBackup } from '../../lib/ipc';
import { sortBackups } from '../../lib/backup';
import { today } from '../../lib/dates';
import { formatBytes, formatDateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { useShell } from '../../lib/shell/context';
import { useLoad } from '../../lib/shell/useLoad';
import { useSaving } from '../../lib/shell/useSaving';
import { useUnsavedInput } from '../../lib/shell/unsaved';
import { toast } from '../../lib/shell/toast';
import { TextField } from '../../components/fields';
import { ConfirmDialog } from '../../components/Modal';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../../components/feedback';
import { ACTIONS, num, Table } from '../../components/Table';

export function BackupsSection() {
  const list = useLoad(() => ipc.listBackups(), []);
  const [entries, setEntries] = useState<BackupEntry[] | null>(null);
  const [exported, setExported] = useState<ExportedBackup | null>(null);
  const [verified, setVerified] = useState(false);
  const [restoring, setRestoring] = useState<BackupEntry | null>(null);
  const action = useSaving();

  useEffect(() => {
    if (list.data) setEntries(list.data);
  }, [list.data]);

  const backupNow = () => void action.run(async () => {
    const e = await ipc.backupNow();
    toast(t('backup.done', { date: formatDateTime(e.created_at) }));
  }, list.reload);

  const exportBackup = () => void action.run(async () => {
    const target = await pickSavePath(t('backup.exportTitle'), `patrimoine-${today()}.patrimoine-backup`);
    if (!target) return;
    setExported(await ipc.exportBackup(target));
  }, () => undefined);

  const verify = () => void action.run(async () => {
    setEntries(await ipc.verifyBackups());
    setVerified(true);
  }, () => undefined);

  const sorted = entries ? sortBackups(entries) : [];
  // Files that only name the profile (forged, damaged, or made under a key it does not
  // know) are listed apart: never counted, verified or restored.
  const shown = sorted.filter((e) => e.authenticated);
  const strangers = sorted.filter((e) => !e.authenticated);
  const damaged = shown.filter((e) => e.ok === false).length;

  return (
    <>
      <section class="card" aria-labelledby="backups-title">
        <div class="card__head">
          <h2 id="backups-title" class="card__title">{t('backup.title')}</h2>
          <div class="row-actions">
            <button type="button" class="btn btn--primary" disabled={action.busy} onClick={backupNow}>{t('backup.now')}</button>
            <button type="button" class="btn" disabled={action.busy} onClick={exportBackup}>{t('backup.export')}</button>
            <button type="button" class="btn" disabled={action.busy || shown.length === 0} onClick={verify}>{t('backup.verify')}</button>
          </div>
        </div>
        <p class="muted">{t('backup.intro')}</p>
        <ErrorBanner error={action.error} />
        {exported && (
          <div class="banner banner--ok" role="status">
            <p><strong>{t('backup.exported')}</strong></p>
            <dl class="summary">
              <dt>{t('backup.path')}</dt><dd><code>{exported.path}</code></dd>
              <dt>{t('backup.size')}</dt><dd>{formatBytes(exported.size)}</dd>
              <dt>SHA-256</dt><dd><code class="break">{exported.sha256}</code></dd>
            </dl>
          </div>
        )}
        {verified && (
          <p class={`banner ${damaged > 0 ? 'banner--error' : 'banner--ok'}`} role="status">
            {damaged > 0 ? t('backup.verifyDamaged', { count: damaged }) : t('backup.verifyOk', { count: shown.length })}
          </p>
        )}
        {list.loading && !entries && <Loading />}
        <ErrorBanner error={list.error} onRetry={list.reload} />
        {entries && shown.length === 0 && <EmptyState title={t('backup.none')} text={t('backup.noneText')} />}
        {shown.length > 0 && (
          <div class="table-wrap">
            <Table
              columns={[t('backup.date'), t('backup.location'), num(t('backup.size')), t('backup.verified'), ACTIONS]}
            >
              {shown.map((b) => (
                <tr key={b.path} class={b.ok === false ? 'row--warn' : ''}>
                  <td title={b.path}>{formatDateTime(b.created_at)}</td>
                  <td>{t(`backup.loc.${b.location}`)}</td>
                  <td class="num">{formatBytes(b.size)}</td>
                  <td>
                    {b.ok === null ? <span class="muted">{t('backup.notVerified')}</span>
                      : b.ok ? <span class="is-up">✓ {b.verified_at ? formatDateTime(b.verified_at) : t('backup.ok')}</span>
                        : <span class="is-down">✗ {t('backup.damaged')}</span>}
                  </td>
                  <td class="row-actions">
                    <button type="button" class="btn btn--small" disabled={b.ok === false} onClick={() => setRestoring(b)}>
                      {t('backup.restoreThis')}
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          </div>
        )}
        {strangers.length > 0 && (
          <div class="banner banner--warn" role="status">
            <p><strong>{t('backup.unauthenticatedTitle', { count: strangers.length })}</strong></p>
            <p>{t('backup.unauthenticatedText')}</p>
            <ul>
              {strangers.map((b) => (
                <li key={b.path}><code class="break">{b.path}</code> — {t(`backup.loc.${b.location}`)}</li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <BackupSettingsCard refresh={list.data} />
      {restoring && <RestoreThis backup={restoring} onClose={() => setRestoring(null)} />}
    </>
  );
}

function RestoreThis({ backup, onClose }: { backup: BackupEntry; onClose: () => void }) {
  const { setSession, navigate } = useShell();
  const { busy, error, run } = useSaving();
  // The open session holds the key of every backup of this profile: no password to type.
  const restore = () =>
    void run(async () => {
      const s = await ipc.restoreOwnBackup(backup.path);
      setSession(s);
    }, () => {
      toast(t('backup.restored'));
      onClose();
      navigate({ name: 'dashboard' });
    });
  return (
    <ConfirmDialog title={t('backup.restoreTitle')} danger busy={busy} confirmLabel={t('backup.restoreConfirm')}
      message={<p class="banner banner--warn">{t('backup.restoreWarning', { date: formatDateTime(backup.created_at) })}</p>}
      error={error ? errorMessage(error) : null} onCancel={onClose} onConfirm={restore} />
  );
}

/** The backup settings, with the last backup's date: loaded again whenever the list
 *  above is (`refresh`), so "Back up now" shows at once. */
function BackupSettingsCard({ refresh }: { refresh: unknown }) {
  const loaded = useLoad(() => ipc.getBackupSettings(), [refresh]);
  const [s, setS] = useState<BackupSettings | null>(null);
  const [keep, setKeep] = useState({ daily: '', weekly: '', monthly: '' });
  const save = useSaving();
  useEffect(() => {
    if (loaded.data) {
      setS(loaded.data);
      setKeep({ daily: String(loaded.data.keep_daily), weekly: String(loaded.data.keep_weekly), monthly: String(loaded.data.keep_monthly) });
    }
  }, [loaded.data]);

  const bad = (v: string) => !/^\d{1,3}$/.test(v.trim()) || Number(v) > 365;
  const anyBad = bad(keep.daily) || bad(keep.weekly) || bad(keep.monthly);
  useUnsavedInput(s !== null && (keep.daily !== String(s.keep_daily) || keep.weekly !== String(s.keep_weekly) || keep.monthly !== String(s.keep_monthly)));

  const persist = (next: BackupSettings) => void save.run(async () => setS(await ipc.setBackupSettings(next)), () => toast(t('common.saved')));

  const chooseFolder = () => void save.run(async () => {
    const dir = await pickDirectory(t('backup.chooseFolder'));
    if (!dir || !s) return;
    setS(await ipc.setBackupSettings({ ...s, second_destination: dir }));
    toast(t('common.saved'));
  }, () => undefined);

  const submit = (e: Event) => {
    e.preventDefault();
    if (!s || anyBad) return;
    persist({ ...s, keep_daily: Number(keep.daily), keep_weekly: Number(keep.weekly), keep_monthly: Number(keep.monthly) });
  };

  return (
    <section class="card" aria-labelledby="bs-title">
      <h2 id="bs-title" class="card__title">{t('backup.settings')}</h2>
      {loaded.loading && !s && <Loading />}
      <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
      {s && (
        <form onSubmit={submit} noValidate>
          <p>{s.last_backup_at ? t('backup.last', { date: formatDateTime(s.last_backup_at) }) : t('backup.never')}</p>
          <div class="field">
            <span class="field__label">{t('backup.secondDestination')}</span>
            <p>{s.second_destination ? <code>{s.second_destination}</code> : <span class="muted">{t('backup.noSecond')}</span>}</p>
            {s.second_destination && s.second_destination_last_seen && (
              <p class="field__hint">{t('backup.lastSeen', { date: formatDateTime(s.second_destination_last_seen) })}</p>
            )}
            <div class="actions actions--start">
              <button type="button" class="btn btn--small" disabled={save.busy} onClick={chooseFolder}>{t('backup.chooseFolder')}</button>
              {s.second_destination && (
                <button type="button" class="btn btn--small" disabled={save.busy} onClick={() => persist({ ...s, second_destination: null })}>
                  {t('backup.removeSecond')}
                </button>
              )}
            </div>
          </div>
          <div class="form-row form-row--3">
            <TextField label={t('backup.keepDaily')} name="keep-daily" inputMode="numeric" class="input--number" value={keep.daily}
              onValue={(daily) => setKeep({ ...keep, daily })} error={bad(keep.daily) ? t('backup.keepInvalid') : null} />
            <TextField label={t('backup.keepWeekly')} name="keep-weekly" inputMode="numeric" class="input--number" value={keep.weekly}
              onValue={(weekly) => setKeep({ ...keep, weekly })} error={bad(keep.weekly) ? t('backup.keepInvalid') : null} />
            <TextField label={t('backup.keepMonthly')} name="keep-monthly" inputMode="numeric" class="input--number" value={keep.monthly}
              onValue={(monthly) => setKeep({ ...keep, monthly })} error={bad(keep.monthly) ? t('backup.keepInvalid') : null} />
          </div>
          {save.error && <p class="field__error" role="alert">{errorMessage(save.error)}</p>}
          <div class="actions actions--start">
            <button type="submit" class="btn btn--primary" disabled={save.busy || anyBad}>{t('common.save')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
