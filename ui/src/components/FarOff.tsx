//! Asks before a value ten times off the previous one is saved ("22950" typed as
//! "229500"), in every screen that enters a value: the question with both amounts, "I'll
//! correct it" and "Save anyway".
import { compare, abs, shift } from '../lib/decimal';
import { formatDate, formatMoney } from '../lib/format';
import { t } from '../lib/i18n';

/** Whether `next` is at least ten times `last` or at most a tenth of it (exact decimals). */
export function farFrom(next: string, last: string): boolean {
  const [n, l] = [abs(next), abs(last)];
  if (compare(l, '0') === 0) return false;
  return compare(n, shift(l, 1)) >= 0 || compare(shift(n, 1), l) <= 0;
}

export interface Previous {
  value: string;
  date: string;
}

export function FarOffConfirm({ previous, next, currency, onFix, onSave }: {
  previous: Previous; next: string; currency: string; onFix: () => void; onSave: () => void;
}) {
  return (
    <div class="banner banner--warn" role="alertdialog" aria-labelledby="far-off-title" data-testid="far-off">
      <p id="far-off-title">
        <strong>{t('values.farOne', { last: formatMoney(previous.value, currency), date: formatDate(previous.date) })}</strong>
      </p>
      <p>{formatMoney(previous.value, currency)} → {formatMoney(next, currency)}</p>
      <div class="actions">
        <button type="button" class="btn" onClick={onFix}>{t('update.farFix')}</button>
        <button type="button" class="btn btn--primary" onClick={onSave}>{t('update.farSave')}</button>
      </div>
    </div>
  );
}
