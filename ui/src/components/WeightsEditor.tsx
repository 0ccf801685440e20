//! Editor of weighted rows (allocation buckets or composite components): add/remove
//! rows, live exact sum, green when it is exactly 100 %, an error otherwise.
import { useId } from 'preact/hooks';
import { weightsStatus, type WeightRowState } from '../lib/portfolio';
import { formatDecimal } from '../lib/format';
import { t } from '../lib/i18n';

interface Props {
  legend: string;
  rows: WeightRowState[];
  onChange: (rows: WeightRowState[]) => void;
  keyLabel: string;
  /** When set, the key is chosen from these options (components); otherwise typed (buckets). */
  keyOptions?: { value: string; label: string }[];
  /** Suggestions for typed keys. */
  suggestions?: string[];
  testId?: string;
  serverError?: string | null;
}

export function WeightsEditor({ legend, rows, onChange, keyLabel, keyOptions, suggestions, testId, serverError }: Props) {
  const id = useId();
  const status = weightsStatus(rows);
  const set = (i: number, patch: Partial<WeightRowState>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const badRows = status.kind === 'invalid' ? status.rows : [];

  return (
    <fieldset class="weights" data-testid={testId}>
      <legend>{legend}</legend>
      {suggestions && suggestions.length > 0 && (
        <datalist id={`${id}-list`}>{suggestions.map((s) => <option key={s} value={s} />)}</datalist>
      )}
      {rows.length === 0 && <p class="muted">{t('weights.none')}</p>}
      {rows.map((r, i) => (
        <div class={`weights__row ${badRows.includes(i) ? 'is-invalid' : ''}`} key={i}>
          <label class="sr-only" for={`${id}-k${i}`}>{keyLabel} {i + 1}</label>
          {keyOptions ? (
            <select id={`${id}-k${i}`} value={r.key} onChange={(e) => set(i, { key: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="">{t('weights.chooseAsset')}</option>
              {keyOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          ) : (
            <input id={`${id}-k${i}`} type="text" value={r.key} placeholder={keyLabel} list={suggestions ? `${id}-list` : undefined}
              onInput={(e) => set(i, { key: (e.currentTarget as HTMLInputElement).value })} />
          )}
          <label class="sr-only" for={`${id}-w${i}`}>{t('weights.weight')} {i + 1}</label>
          <span class="input-suffix">
            <input id={`${id}-w${i}`} type="text" inputMode="decimal" class="input--number" value={r.text}
              aria-invalid={badRows.includes(i)} placeholder="0"
              onInput={(e) => set(i, { text: (e.currentTarget as HTMLInputElement).value })} />
            <span aria-hidden="true">%</span>
          </span>
          <button type="button" class="btn btn--small btn--ghost" aria-label={t('weights.removeRow', { n: i + 1 })}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <div class="weights__footer">
        <button type="button" class="btn btn--small" onClick={() => onChange([...rows, { key: '', text: '' }])}>
          {t('weights.addRow')}
        </button>
        <WeightsSum status={status} />
      </div>
      {serverError && <p class="field__error" role="alert">{serverError}</p>}
    </fieldset>
  );
}

function WeightsSum({ status }: { status: ReturnType<typeof weightsStatus> }) {
  switch (status.kind) {
    case 'empty':
      return <span class="weights__sum muted">{t('weights.emptyOk')}</span>;
    case 'ok':
      return <span class="weights__sum is-ok" role="status">✓ {t('weights.total', { total: formatDecimal(status.total) })}</span>;
    case 'off':
      return (
        <span class="weights__sum is-error" role="alert">
          {t('weights.notHundred', { total: formatDecimal(status.total) })}
        </span>
      );
    case 'invalid':
      return <span class="weights__sum is-error" role="alert">{t('weights.badRows')}</span>;
  }
}
