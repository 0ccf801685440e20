//! Update values: every non-archived asset whose values are typed, with its last value, and an input for the
//! value on a chosen date. Enter moves to the next input; only filled inputs are saved.
import { useRef, useState } from 'preact/hooks';
import { ipc, type UpsertCount, type ValuePoint } from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { formatDate, formatMoney, parseDecimalInput } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { accountLabel } from '../lib/portfolio';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useShell } from '../lib/shell/context';
import { useUnsavedInput } from '../lib/shell/unsaved';
import { amountError, DateField } from '../components/fields';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { loadPortfolio } from './Assets';
import { num, Table } from '../components/Table';
import { farFrom } from '../components/FarOff';

export function UpdateValues() {
  const { navigate } = useShell();
  const data = useLoad(loadPortfolio, []);
  const [date, setDate] = useState(today());
  const [inputs, setInputs] = useState<Record<number, string>>({});
  const [result, setResult] = useState<UpsertCount | null>(null);
  const [tried, setTried] = useState(false);
  /** Assets whose new value is ten times off their last one, waiting for confirmation. */
  const [confirming, setConfirming] = useState<number[] | null>(null);
  const { busy, error, run } = useSaving();
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const locale = getLocale();

  const d = data.data;
  // Positions, activity cash and loans with terms take no typed value: prices,
  // activities and schedules give theirs.
  const assets = d ? d.assets.filter((a) => !a.archived && !a.derived).sort((a, b) => {
    const la = a.account_id === null ? '' : accountLabel(d.accounts.find((x) => x.id === a.account_id)!, d.institutions);
    const lb = b.account_id === null ? '' : accountLabel(d.accounts.find((x) => x.id === b.account_id)!, d.institutions);
    return la.localeCompare(lb, locale) || a.name.localeCompare(b.name, locale);
  }) : [];

  const filled = assets.filter((a) => (inputs[a.id] ?? '').trim() !== '');
  const invalid = new Set(filled.filter((a) => parseDecimalInput(inputs[a.id]!) === null).map((a) => a.id));
  const dateBad = !isIsoDate(date);
  useUnsavedInput(filled.length > 0);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const all = [...(tableRef.current?.querySelectorAll<HTMLInputElement>('input') ?? [])];
    const i = all.indexOf(e.currentTarget as HTMLInputElement);
    const next = all[i + 1];
    if (next) next.focus();
    else saveRef.current?.focus();
  };

  const save = (e: Event) => {
    e.preventDefault();
    setTried(true);
    setResult(null);
    if (filled.length === 0 || invalid.size > 0 || dateBad) return;
    // A value ten times larger or smaller than the asset's last one is usually a typo
    // (a missing or extra digit, a misplaced separator): confirm before saving.
    const far = filled.filter((a) => {
      const last = d?.latest.find((l) => l.asset_id === a.id);
      return last !== undefined && farFrom(parseDecimalInput(inputs[a.id]!)!, last.value);
    });
    if (far.length > 0 && !confirming) {
      setConfirming(far.map((a) => a.id));
      return;
    }
    commit();
  };

  const commit = () => {
    setConfirming(null);
    const points: ValuePoint[] = filled.map((a) => ({
      // Without a quantity, the core keeps the quantity the asset's last point held.
      asset_id: a.id, date, value: parseDecimalInput(inputs[a.id]!)!, quantity: null, unit_price: null, source: 'manual',
    }));
    void run(async () => setResult(await ipc.upsertValues(points)), () => {
      setInputs({});
      setTried(false);
      data.reload();
    });
  };

  return (
    <div class="page">
      <header class="page__header">
        <h1>{t('nav.update')}</h1>
        {d?.assets.some((a) => a.derived === 'position') && (
          <div class="page__actions">
            <button type="button" class="btn" onClick={() => navigate({ name: 'prices' })}>{t('instruments.updatePrices')}</button>
          </div>
        )}
      </header>
      {data.loading && !d && <Loading />}
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {d && assets.length === 0 && (
        <EmptyState title={t('update.emptyTitle')} text={t('update.emptyText')}>
          <button type="button" class="btn btn--primary" onClick={() => navigate({ name: 'assets' })}>{t('assets.add')}</button>
        </EmptyState>
      )}
      {d && assets.length > 0 && (
        <form onSubmit={save} noValidate>
          <div class="toolbar">
            <DateField label={t('update.date')} name="update-date" value={date} onValue={setDate}
              error={dateBad ? t('common.badDate') : null} defaultHint={t('update.dateHint')} />
            <p class="muted toolbar__hint">{t('update.keyboardHint')}</p>
          </div>
          <div class="card card--flush">
            <Table
              variant="inputs"
              bodyRef={tableRef}
              columns={[
                t('update.asset'), t('common.account'), num(t('update.lastValue')), t('update.lastDate'),
                num(t('update.newValue', { date: isIsoDate(date) ? formatDate(date) : date })),
              ]}
            >
              {assets.map((a) => {
                const lv = d.latest.find((l) => l.asset_id === a.id);
                const acc = d.accounts.find((x) => x.id === a.account_id);
                const bad = invalid.has(a.id);
                const inputId = `uv-${a.id}`;
                return (
                  <tr key={a.id}>
                    <th scope="row"><label for={inputId}>{a.name}</label>{a.liability && <span class="tag tag--warn">{t('assets.liability')}</span>}</th>
                    <td>{acc ? accountLabel(acc, d.institutions) : t('assets.heldDirectly')}</td>
                    <td class="num">{lv ? formatMoney(lv.value, a.currency) : '—'}</td>
                    <td class="nowrap">{lv ? formatDate(lv.date) : '—'}</td>
                    <td class="num">
                      <span class="input-suffix">
                        <input id={inputId} type="text" inputMode="decimal" class={`input--number ${bad ? 'is-invalid' : ''}`}
                          autoComplete="off" data-asset={a.id} value={inputs[a.id] ?? ''} aria-invalid={bad}
                          aria-describedby={bad ? `${inputId}-err` : undefined}
                          onInput={(e) => {
                            setConfirming(null);
                            setInputs({ ...inputs, [a.id]: (e.currentTarget as HTMLInputElement).value });
                          }}
                          onKeyDown={onKeyDown} />
                        <span aria-hidden="true">{a.currency}</span>
                      </span>
                      {bad && <span id={`${inputId}-err`} class="field__error">{amountError(inputs[a.id]!)}</span>}
                    </td>
                  </tr>
                );
              })}
            </Table>
          </div>
          <div class="actions actions--sticky">
            {invalid.size > 0 && <p class="field__error" role="alert">{t('update.invalidCount', { count: invalid.size })}</p>}
            {tried && filled.length === 0 && <p class="field__error" role="alert">{t('update.nothing')}</p>}
            {error && <p class="field__error" role="alert">{errorMessage(error)}</p>}
            {confirming && d && (
              <div class="banner banner--warn" role="alert" data-testid="update-confirm">
                <p><strong>{t('update.farTitle', { count: confirming.length })}</strong></p>
                <ul>
                  {confirming.map((id) => {
                    const a = d.assets.find((x) => x.id === id)!;
                    const last = d.latest.find((l) => l.asset_id === id)!;
                    return (
                      <li key={id}>
                        {t('update.farLine', {
                          asset: a.name,
                          last: formatMoney(last.value, a.currency),
                          next: formatMoney(parseDecimalInput(inputs[id]!)!, a.currency),
                        })}
                      </li>
                    );
                  })}
                </ul>
                <div class="actions actions--start">
                  <button type="button" class="btn" onClick={() => setConfirming(null)}>{t('update.farFix')}</button>
                  <button type="button" class="btn btn--primary" onClick={commit}>{t('update.farSave')}</button>
                </div>
              </div>
            )}
            {result && (
              <p class="banner banner--ok" role="status" data-testid="update-summary">
                {t('update.saved', {
                  inserted: t('update.savedInserted', { count: result.inserted }),
                  updated: t('update.savedUpdated', { count: result.updated }),
                })}
              </p>
            )}
            <button type="submit" ref={saveRef} class="btn btn--primary" disabled={busy || invalid.size > 0 || dateBad}>
              {t('update.save', { count: filled.length })}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
