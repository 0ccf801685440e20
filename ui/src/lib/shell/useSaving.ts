//! `useSaving`: busy flag and `AppError` of a form submission.
import { useState } from 'preact/hooks';
import { AppError, toAppError } from '../ipc';

export function useSaving() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = async (fn: () => Promise<unknown>, onOk: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onOk();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
