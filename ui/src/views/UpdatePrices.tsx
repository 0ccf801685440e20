//! Update prices: one line per security held today (not archived), with its last price
//! and its date, one input each and a common date (today by default). Enter moves to the
//! next line, then to Save; Save writes every typed price in one `set_prices` call (all
//! or nothing), which revalues every position holding them.
import { useRef, useState } from 'preact/hooks';
import { ipc, type PricePoint, type UpsertCount } from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { compare, sum } from '../lib/decimal';
import { formatDate, formatDecimal, parseDecimalInput } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useShell } from '../lib/shell/context';
import { useUnsavedInput } from '../lib/shell/unsaved';
import { amountError, DateField } from '../components/fields';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { num, Table } from '../components/Table';
import { farFrom } from '../components/FarOff';
import { formatPrice } from '../components/prices';
import { heldPositions, lastPrice, loadSecurities } from './Instruments';
import './securities.css';

export function UpdatePrices() {
  const { navigate } = useShell();
  const data = useLoad(() => loadSecurities(), []);
  const [date, setDate] = useState(today());
  const [inputs, setInputs] = useState<Record<number, string>>({});
  const [result, setResult] = useState<UpsertCount | null>(null);
  const [tried, setTried] = useState(false);
  /** Securities whose new price is ten times off their last one, waiting for confirmation. */
  const [confirming, setConfirming] = useState<number[] | null>(null);
  const { busy, error, run } = useSaving();
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const locale = getLocale();

  const d = data.data;
  const lines = d
    ? d.instruments
      .filter((i) => !i.archived)
      .map((i) => ({ instrument: i, held: heldPositions(d, i.id), last: lastPrice(d, i.id) }))
      .filter((l) => l.held.length > 0)
      .sort((a, b) => a.instrument.name.localeCompare(b.instrument.name, locale))
    : [];

  const filled = lines.filter((l) => (inputs[l.instrument.id] ?? '').trim() !== '');
  /** Why a typed price is refused, by security: not a number, or not above zero. */
  const problems = new Map<number, string>();
  for (const l of filled) {
    const text = inputs[l.instrument.id]!;
    const p = parseDecimalInput(text);
    if (p === null) problems.set(l.instrument.id, amountError(text));
    else if (compare(p, '0') <= 0) problems.set(l.instrument.id, t('error.price_not_positive'));
  }
  const dateBad = !isIsoDate(date);
  useUnsavedInput(filled.length > 0);

  const inputsInOrder = () => [...(tableRef.current?.querySelectorAll<HTMLInputElement>('input') ?? [])];
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const all = inputsInOrder();
    const next = all[all.indexOf(e.currentTarget as HTMLInputElement) + 1];
    if (next) next.focus();
    else saveRef.current?.focus();
  };
  const onDateKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    inputsInOrder()[0]?.focus();
  };

  const save = (e: Event) => {
    e.preventDefault();
    setTried(true);
    setResult(null);
    if (filled.length === 0 || problems.size > 0 || dateBad) return;
    // A price ten times larger or smaller than the last one is usually a typo (a missing
    // or extra digit, a misplaced separator): confirm before saving.
    const far = filled.filter((l) => l.last !== null && farFrom(parseDecimalInput(inputs[l.instrument.id]!)!, l.last.price));
    if (far.length > 0 && !confirming) {
      setConfirming(far.map((l) => l.instrument.id));
      return;
    }
    commit();
  };

  const commit = () => {
    setConfirming(null);
    const points: PricePoint[] = filled.map((l) => ({
      instrument_id: l.instrument.id, date, price: parseDecimalInput(inputs[l.instrument.id]!)!, source: 'manual',
    }));
    void run(async () => setResult(await ipc.setPrices(points)), () => {
      setInputs({});
      setTried(false);
      data.reload();
    });
  };

  return (
    <div class="page">
      <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'instruments' })}>← {t('nav.instruments')}</button>
      <header class="page__header">
        <h1>{t('instruments.updatePrices')}</h1>
      </header>
      {data.loading && !d && <Loading />}
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {d && lines.length === 0 && (
        <EmptyState title={t('prices.emptyTitle')} text={t('prices.emptyText')}>
          <button type="button" class="btn btn--primary" onClick={() => navigate({ name: 'accounts' })}>{t('nav.accounts')}</button>
        </EmptyState>
      )}
      {d && lines.length > 0 && (
        <form onSubmit={save} noValidate>
          <div class="toolbar">
            <DateField label={t('prices.date')} name="prices-date" value={date} onValue={setDate} onKeyDown={onDateKeyDown}
              error={dateBad ? t('common.badDate') : null} defaultHint={t('update.dateHint')} />
            <p class="muted toolbar__hint">{t('prices.keyboardHint')}</p>
          </div>
          <div class="card card--flush securities">
            <Table
              variant="inputs"
              bodyRef={tableRef}
              columns={[
                t('prices.instrument'), num(t('prices.held')), num(t('instruments.lastPrice')), t('update.lastDate'),
                num(t('prices.newPrice', { date: isIsoDate(date) ? formatDate(date) : date })),
              ]}
            >
              {lines.map(({ instrument: i, held, last }) => {
                const problem = problems.get(i.id);
                const inputId = `up-${i.id}`;
                const accounts = new Set(held.map((h) => h.account_id)).size;
                return (
                  <tr key={i.id}>
                    <th scope="row">
                      <label for={inputId}>{i.name}</label>
                      {(i.isin ?? i.ticker) && <div class="muted small nowrap instrument-code">{i.isin ?? i.ticker}</div>}
                    </th>
                    <td class="num nowrap">
                      {formatDecimal(sum(held.map((h) => h.position.units)))}
                      {accounts > 1 && <span class="muted small"> · {t('instruments.accounts', { count: accounts })}</span>}
                    </td>
                    <td class="num">{last ? formatPrice(last.price, i.currency) : '—'}</td>
                    <td class="nowrap">{last ? formatDate(last.date) : '—'}</td>
                    <td class="num">
                      <span class="input-suffix">
                        <input id={inputId} type="text" inputMode="decimal" class={`input--number ${problem ? 'is-invalid' : ''}`}
                          autoComplete="off" data-instrument={i.id} value={inputs[i.id] ?? ''} aria-invalid={Boolean(problem)}
                          aria-describedby={problem ? `${inputId}-err` : undefined}
                          onInput={(e) => {
                            setConfirming(null);
                            setInputs({ ...inputs, [i.id]: (e.currentTarget as HTMLInputElement).value });
                          }}
                          onKeyDown={onKeyDown} />
                        <span aria-hidden="true">{i.currency}</span>
                      </span>
                      {problem && <span id={`${inputId}-err`} class="field__error">{problem}</span>}
                    </td>
                  </tr>
                );
              })}
            </Table>
          </div>
          <div class="actions actions--sticky">
            {problems.size > 0 && <p class="field__error" role="alert">{t('prices.invalidCount', { count: problems.size })}</p>}
            {tried && filled.length === 0 && <p class="field__error" role="alert">{t('prices.nothing')}</p>}
            {error && <p class="field__error" role="alert">{errorMessage(error)}</p>}
            {confirming && (
              <div class="banner banner--warn" role="alert" data-testid="prices-confirm">
                <p><strong>{t('prices.farTitle', { count: confirming.length })}</strong></p>
                <ul>
                  {confirming.map((id) => {
                    const l = lines.find((x) => x.instrument.id === id)!;
                    return (
                      <li key={id}>
                        {t('update.farLine', {
                          asset: l.instrument.name,
                          last: formatPrice(l.last!.price, l.instrument.currency),
                          next: formatPrice(parseDecimalInput(inputs[id]!)!, l.instrument.currency),
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
              <p class="banner banner--ok" role="status" data-testid="prices-summary">
                {t('update.saved', {
                  inserted: t('prices.savedInserted', { count: result.inserted }),
                  updated: t('prices.savedUpdated', { count: result.updated }),
                })}
              </p>
            )}
            <button type="submit" ref={saveRef} class="btn btn--primary" disabled={busy || problems.size > 0 || dateBad}>
              {t('prices.save', { count: filled.length })}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
