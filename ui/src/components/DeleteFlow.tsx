//! Deleting something the backend may refuse with `in_use`: a first confirmation, then,
//! if data depends on it, a second one explaining what will be deleted, retried with
//! `force: true`.
import { useState } from 'preact/hooks';
import { AppError, toAppError } from '../lib/ipc';
import { t } from '../lib/i18n';
import { ConfirmDialog } from './Modal';
import { errorMessage } from './feedback';

export interface DeleteTarget {
  /** What is deleted, e.g. "the account PEA". */
  what: string;
  run: (force: boolean) => Promise<unknown>;
}

interface Props {
  target: DeleteTarget;
  onDone: () => void;
  onCancel: () => void;
}

export function DeleteFlow({ target, onDone, onCancel }: Props) {
  const [stage, setStage] = useState<'confirm' | 'force'>('confirm');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const go = async (force: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await target.run(force);
      onDone();
    } catch (e) {
      const err = toAppError(e);
      if (err.code === 'in_use' && !force) setStage('force');
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (stage === 'force') {
    return (
      <ConfirmDialog
        title={t('delete.inUseTitle')}
        message={<p>{t('delete.inUseText', { what: target.what })}</p>}
        confirmLabel={t('delete.deleteEverything')}
        danger
        busy={busy}
        error={error ? errorMessage(error) : null}
        onConfirm={() => void go(true)}
        onCancel={onCancel}
      />
    );
  }
  return (
    <ConfirmDialog
      title={t('delete.title')}
      message={<p>{t('delete.text', { what: target.what })}</p>}
      confirmLabel={t('common.delete')}
      danger
      busy={busy}
      error={error ? errorMessage(error) : null}
      onConfirm={() => void go(false)}
      onCancel={onCancel}
    />
  );
}
