//! Small feedback widgets: loading indicator, empty state, error banner, toasts.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AppError, LIMITS } from '../lib/ipc';
import { errorText, t } from '../lib/i18n';
import { dismissToast, subscribeToasts, type ToastItem } from '../lib/shell/toast';

export function Loading({ label }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function EmptyState({ title, text, children }: { title: string; text?: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty__title">{title}</p>
      {text && <p class="empty__text">{text}</p>}
      {children && <div class="empty__actions">{children}</div>}
    </div>
  );
}

/** The translated, actionable sentence for an error, with params from its details. */
export function errorMessage(err: AppError | null | undefined): string {
  if (!err) return '';
  // Defaults keep the sentence readable if the backend omits a detail.
  const params: Record<string, string | number> = {
    min: LIMITS.password_min, name_max: LIMITS.profile_name_max, max_profiles: LIMITS.max_profiles, retry_after_secs: '…', group: '?',
  };
  for (const [k, v] of Object.entries(err.details ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') params[k] = v;
  }
  return errorText(err.code, params);
}

export function ErrorBanner({ error, onRetry }: { error: AppError | null | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="banner banner--error" role="alert">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" class="btn btn--small" onClick={onRetry}>{t('common.retry')}</button>
      )}
    </div>
  );
}

export function Toasts() {
  const [items, setItems] = useState<ToastItem[]>([]);
  useEffect(() => subscribeToasts(setItems), []);
  return (
    <div class="toasts" aria-live="polite">
      {items.map((i) => (
        <div key={i.id} class={`toast toast--${i.kind}`} role={i.kind === 'error' ? 'alert' : 'status'}>
          <span>{i.text}</span>
          <button type="button" class="btn btn--ghost btn--small" aria-label={t('common.close')} onClick={() => dismissToast(i.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
