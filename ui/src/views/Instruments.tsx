//! Securities, shared by every account: a searchable list with ISIN, ticker, class,
//! currency, last price and how many accounts hold each; the create/edit form (the ISIN
//! upper-cased as typed, its check digit checked by the core; allocation weights per
//! dimension, shared by every account holding it); deletion, which the core refuses
//! while activities use the security (its sentence, and archiving offered instead); and
//! one security's positions and price history (add, edit, delete a price; a price ten
//! times off the previous one is confirmed first).
import { useState } from 'preact/hooks';
import {
  ASSET_CLASSES, LIMITS, ipc, toAppError, type Account, type AppError, type Asset, type AssetClass, type Dimension,
  type Input, type Institution, type Instrument, type LatestPrice, type Position, type PricePoint,
} from '../lib/ipc';
import { today } from '../lib/dates';
import { compare } from '../lib/decimal';
import { decimalForInput, formatDate, formatDecimal, formatMoney } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { accountLabel, weightsStatus, weightsValues, type WeightRowState } from '../lib/portfolio';
import { matchesSearch } from '../lib/search';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { toast } from '../lib/shell/toast';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { errorField } from '../lib/vault/errors';
import { Checkbox, SelectField, TextField } from '../components/fields';
import { ConfirmDialog, Modal } from '../components/Modal';
import { WeightsEditor } from '../components/WeightsEditor';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ACTIONS, DeleteButton, EditButton, num, Table } from '../components/Table';
import { formatPrice, PricePointForm } from '../components/prices';
import './securities.css';

/** One account's position in a security, on the day the data was loaded. */
export interface HeldPosition {
  account_id: number;
  position: Position;
}

export interface SecuritiesData {
  instruments: Instrument[];
  latest: LatestPrice[];
  assets: Asset[];
  accounts: Account[];
  institutions: Institution[];
  dimensions: Dimension[];
  /** Every position of the accounts holding securities, from `holdings` on `day`. */
  positions: HeldPosition[];
  day: string;
}

/** The securities with their prices and, from `holdings` of every account that has
 *  positions, what each account holds today. */
export async function loadSecurities(day: string = today()): Promise<SecuritiesData> {
  const [instruments, latest, assets, accounts, institutions, dimensions] = await Promise.all([
    ipc.listInstruments(), ipc.latestPrices(), ipc.listAssets(), ipc.listAccounts(), ipc.listInstitutions(), ipc.listDimensions(),
  ]);
  const holding = [...new Set(assets.filter((a) => a.derived === 'position' && a.account_id !== null).map((a) => a.account_id!))];
  const all = await Promise.all(holding.map((id) => ipc.holdings(id, day)));
  const positions = all.flatMap((h) => h.positions.map((position) => ({ account_id: h.account_id, position })));
  return { instruments, latest, assets, accounts, institutions, dimensions, positions, day };
}

/** The positions of a security with units held (sold-out ones left out). */
export function heldPositions(d: SecuritiesData, instrumentId: number): HeldPosition[] {
  return d.positions.filter((p) => p.position.instrument_id === instrumentId && compare(p.position.units, '0') > 0);
}

export interface LastPrice {
  price: string;
  date: string;
  /** The price of a buy or a sale, newer than every price entered. */
  fromTrade: boolean;
}

/**
 * The last price known for a security: its latest price point, or the price of a newer
 * buy or sale (which the core also values positions with, on and after its date).
 */
export function lastPrice(d: SecuritiesData, instrumentId: number): LastPrice | null {
  const point = d.latest.find((l) => l.instrument_id === instrumentId);
  let best: LastPrice | null = point ? { price: point.price, date: point.date, fromTrade: false } : null;
  for (const { position: p } of d.positions) {
    if (p.instrument_id !== instrumentId || p.price === null || p.price_date === null) continue;
    if (best === null || p.price_date > best.date) best = { price: p.price, date: p.price_date, fromTrade: true };
  }
  return best;
}

/** The classes a security may have (a loan is not one). */
const INSTRUMENT_CLASSES = ASSET_CLASSES.filter((c) => c !== 'loan');

export function Instruments() {
  const { navigate } = useShell();
  const data = useLoad(() => loadSecurities(), []);
  const [search, setSearch] = useState('');
  const [cls, setCls] = useState<AssetClass | ''>('');
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Instrument | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Instrument | null>(null);
  const locale = getLocale();

  const d = data.data;
  const shown = d
    ? d.instruments
      .filter((i) => (showArchived || !i.archived) && (cls === '' || i.class === cls) && matchesSearch(search, i.name, i.isin, i.ticker))
      .sort((a, b) => a.name.localeCompare(b.name, locale))
    : [];

  return (
    <div class="page">
      <header class="page__header">
        <div>
          <h1>{t('nav.instruments')}</h1>
          <p class="muted">{t('instruments.intro')}</p>
        </div>
        <div class="page__actions">
          <button type="button" class="btn" disabled={!d} onClick={() => navigate({ name: 'prices' })}>{t('instruments.updatePrices')}</button>
          <button type="button" class="btn btn--primary" disabled={!d} onClick={() => setEditing('new')}>{t('instruments.add')}</button>
        </div>
      </header>
      {data.loading && !d && <Loading />}
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {d && d.instruments.length === 0 && (
        <EmptyState title={t('instruments.emptyTitle')} text={t('instruments.emptyText')}>
          <button type="button" class="btn btn--primary" onClick={() => setEditing('new')}>{t('instruments.add')}</button>
        </EmptyState>
      )}
      {d && d.instruments.length > 0 && (
        <>
          <div class="filters" role="search">
            <TextField label={t('assets.search')} type="search" name="instrument-search" value={search}
              onValue={setSearch} placeholder={t('instruments.searchPlaceholder')} />
            <SelectField label={t('assets.class')} name="instrument-filter-class" value={cls}
              onValue={(v) => setCls(v as AssetClass | '')}
              options={[{ value: '', label: t('common.all') }, ...INSTRUMENT_CLASSES.map((c) => ({ value: c, label: t(`assetClass.${c}`) }))]} />
            <Checkbox label={t('assets.showArchived')} checked={showArchived} name="instrument-show-archived" onChecked={setShowArchived} />
          </div>
          {shown.length === 0 ? (
            <EmptyState title={t('instruments.noMatch')} />
          ) : (
            <div class="card card--flush securities">
              <Table
                columns={[
                  t('common.name'), t('assets.class'), t('common.currency'), num(t('instruments.lastPrice')),
                  num(t('instruments.heldIn')), ACTIONS,
                ]}
              >
                {shown.map((i) => {
                  const last = lastPrice(d, i.id);
                  const accounts = new Set(heldPositions(d, i.id).map((p) => p.account_id)).size;
                  return (
                    <tr key={i.id} class={i.archived ? 'row--muted' : ''} data-instrument={i.id}>
                      <td>
                        <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'instrument', id: i.id })}>{i.name}</button>
                        {i.archived && <span class="tag">{t('assets.archived')}</span>}
                        <div class="muted small">
                          <span class="nowrap" data-col="isin" title={t('assets.isin')}>{i.isin ?? '—'}</span>
                          {' · '}
                          <span class="nowrap" data-col="ticker" title={t('assets.ticker')}>{i.ticker ?? '—'}</span>
                        </div>
                      </td>
                      <td data-col="class">{t(`assetClass.${i.class}`)}</td>
                      <td data-col="currency">{i.currency}</td>
                      <td class="num">
                        <span class="nowrap" data-col="price">{last ? formatPrice(last.price, i.currency) : '—'}</span>
                        {last && <div class="muted small nowrap" data-col="price-date">{t('instruments.priceOn', { date: formatDate(last.date) })}</div>}
                      </td>
                      <td class="num nowrap" data-col="held">{accounts > 0 ? t('instruments.accounts', { count: accounts }) : '—'}</td>
                      <td class="row-actions">
                        <EditButton onClick={() => setEditing(i)} />
                        <DeleteButton onClick={() => setDeleting(i)} />
                      </td>
                    </tr>
                  );
                })}
              </Table>
            </div>
          )}
        </>
      )}
      {editing && d && (
        <InstrumentForm item={editing === 'new' ? null : editing} data={d} onCancel={() => setEditing(null)}
          onSaved={() => { setEditing(null); toast(t('common.saved')); data.reload(); }} />
      )}
      {deleting && (
        <DeleteInstrument item={deleting} onCancel={() => setDeleting(null)}
          onDone={(msg) => { setDeleting(null); toast(msg); data.reload(); }} />
      )}
    </div>
  );
}

/**
 * Deleting a security: confirmed first. The core refuses while activities use it (there
 * is no forced deletion: the history of the accounts would change): its `in_use`
 * sentence, what to do, and archiving offered instead.
 */
function DeleteInstrument({ item, onCancel, onDone }: { item: Instrument; onCancel: () => void; onDone: (msg: string) => void }) {
  const [refused, setRefused] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const go = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone(done);
    } catch (e) {
      const err = toAppError(e);
      if (err.code === 'in_use' && !refused) setRefused(err);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (refused) {
    const archive: Input<Instrument> = {
      name: item.name, isin: item.isin, ticker: item.ticker, currency: item.currency, class: item.class, archived: true,
      allocations: item.allocations,
    };
    return (
      <ConfirmDialog title={t('instruments.inUseTitle')} busy={busy}
        message={<><p data-testid="in-use">{errorMessage(refused)}</p><p>{t('instruments.inUseHint')}</p></>}
        confirmLabel={t('instruments.archiveInstead')} cancelLabel={t('common.close')}
        error={error ? errorMessage(error) : null}
        onCancel={onCancel}
        onConfirm={() => void go(() => ipc.updateInstrument(item.id, archive), t('instruments.archivedDone'))} />
    );
  }
  return (
    <ConfirmDialog title={t('instruments.deleteTitle')} danger busy={busy}
      message={<p>{t('instruments.deleteText', { name: item.name })}</p>}
      confirmLabel={t('common.delete')} error={error ? errorMessage(error) : null}
      onCancel={onCancel}
      onConfirm={() => void go(() => ipc.deleteInstrument(item.id), t('common.deleted'))} />
  );
}

function toRows(weights: { bucket: string; weight: string }[]): WeightRowState[] {
  return weights.map((w) => ({ key: w.bucket, text: decimalForInput(w.weight) }));
}

/** Upper-cases an ISIN as it is typed, the caret left where it was. */
function upperAsTyped(v: string): string {
  const upper = v.toUpperCase();
  const el = document.activeElement;
  if (upper !== v && el instanceof HTMLInputElement && el.value === v && upper.length === v.length) {
    const [start, end] = [el.selectionStart, el.selectionEnd];
    el.value = upper;
    el.setSelectionRange(start, end);
  }
  return upper;
}

interface FormProps {
  item: Instrument | null;
  data: SecuritiesData;
  onCancel: () => void;
  onSaved: () => void;
}

export function InstrumentForm({ item, data, onCancel, onSaved }: FormProps) {
  const { session } = useShell();
  const [name, setName] = useState(item?.name ?? '');
  const [isin, setIsin] = useState(item?.isin ?? '');
  const [ticker, setTicker] = useState(item?.ticker ?? '');
  const [currency, setCurrency] = useState(item?.currency ?? session.base_currency);
  const [cls, setCls] = useState<AssetClass>(item?.class ?? 'fund');
  const [archived, setArchived] = useState(item?.archived ?? false);
  const [dimensions, setDimensions] = useState<Dimension[]>(data.dimensions);
  const [alloc, setAlloc] = useState<Record<string, WeightRowState[]>>(() => {
    const out: Record<string, WeightRowState[]> = {};
    for (const [dim, ws] of Object.entries(item?.allocations ?? {})) out[dim] = toRows(ws);
    return out;
  });
  const [newDim, setNewDim] = useState('');
  const [dimError, setDimError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  const field = errorField(error);
  useUnsavedInput(useEdited({ name, isin, ticker, currency, cls, archived, alloc, newDim }));

  const isinBad = isin.trim() !== '' && !/^[A-Z]{2}[A-Z0-9]{9}\d$/.test(isin.trim());
  const allocBad = Object.values(alloc).some((rows) => !['empty', 'ok'].includes(weightsStatus(rows).kind));
  const errs: Record<string, string | null> = {
    name: submitted && name.trim() === '' ? t('common.required') : null,
    isin: submitted && isinBad ? t('assets.isinInvalid') : null,
  };
  const fieldErr = (f: string) => errs[f] ?? (field === f ? errorMessage(error) : null);
  const known = new Set(['name', 'isin', 'ticker', 'currency', 'class', 'weights']);

  const addDimension = async () => {
    const n = newDim.trim();
    setDimError(null);
    if (n === '') return;
    try {
      await ipc.createDimension(n);
      setDimensions(await ipc.listDimensions());
      setAlloc({ ...alloc, [n]: [{ key: '', text: '' }] });
      setNewDim('');
    } catch (e) {
      setDimError(errorMessage(toAppError(e)));
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (name.trim() === '' || isinBad || allocBad) return;
    const allocations: Instrument['allocations'] = {};
    for (const [dim, rows] of Object.entries(alloc)) {
      const vals = weightsValues(rows);
      if (vals.length > 0) allocations[dim] = vals.map((v) => ({ bucket: v.key, weight: v.weight }));
    }
    const input: Input<Instrument> = {
      name: name.trim(), isin: isin.trim() === '' ? null : isin.trim(), ticker: ticker.trim() === '' ? null : ticker.trim(),
      currency, class: cls, archived, allocations,
    };
    void run(() => (item ? ipc.updateInstrument(item.id, input) : ipc.createInstrument(input)), onSaved);
  };

  const currencies = COMMON_CURRENCIES.includes(currency as (typeof COMMON_CURRENCIES)[number]) ? COMMON_CURRENCIES : [currency, ...COMMON_CURRENCIES];
  const knownBuckets = (dim: string) => [...new Set([
    ...data.instruments.flatMap((i) => (i.allocations[dim] ?? []).map((w) => w.bucket)),
    ...data.assets.flatMap((a) => (a.allocations[dim] ?? []).map((w) => w.bucket)),
  ])];

  return (
    <Modal title={item ? t('instruments.edit', { name: item.name }) : t('instruments.new')} onClose={onCancel} wide>
      <form onSubmit={submit} noValidate class="instrument-form">
        <TextField label={t('common.name')} name="instrument-name" value={name} onValue={setName} maxLength={LIMITS.item_name_max}
          error={fieldErr('name')} />
        <div class="form-row">
          <TextField label={t('assets.isin')} name="instrument-isin" value={isin} onValue={(v) => setIsin(upperAsTyped(v))}
            maxLength={12} spellcheck={false} autoComplete="off" autoCapitalize="characters" error={fieldErr('isin')}
            hint={t('instruments.isinHint')} />
          <TextField label={t('assets.ticker')} name="instrument-ticker" value={ticker} onValue={setTicker} maxLength={20}
            spellcheck={false} autoComplete="off" error={fieldErr('ticker')} />
        </div>
        <div class="form-row">
          <SelectField label={t('assets.class')} name="instrument-class" value={cls} onValue={(v) => setCls(v as AssetClass)}
            error={fieldErr('class')} options={INSTRUMENT_CLASSES.map((c) => ({ value: c, label: t(`assetClass.${c}`) }))} />
          <SelectField label={t('common.currency')} name="instrument-currency" value={currency} onValue={setCurrency}
            error={fieldErr('currency')} hint={t('instruments.currencyHint')} options={currencies.map((c) => ({ value: c, label: c }))} />
        </div>
        <Checkbox label={t('assets.isArchived')} name="instrument-archived" checked={archived} onChecked={setArchived}
          hint={t('instruments.archivedHint')} />

        <h3>{t('assets.allocations')}</h3>
        <p class="muted">{t('instruments.allocationsHint')}</p>
        <div class="weights-grid">
          {dimensions.map((dim) => (
            <WeightsEditor key={dim.id} legend={dim.builtin && ['region', 'sector'].includes(dim.name) ? t(`dimension.${dim.name}`) : dim.name}
              rows={alloc[dim.name] ?? []} onChange={(rows) => setAlloc({ ...alloc, [dim.name]: rows })}
              keyLabel={t('weights.bucket')} suggestions={knownBuckets(dim.name)} testId={`weights-${dim.name}`}
              serverError={field === 'weights' && (error?.detailString('dimension') ?? dim.name) === dim.name ? errorMessage(error) : null} />
          ))}
        </div>
        <div class="inline-form">
          <TextField label={t('assets.newDimension')} name="new-dimension" value={newDim} onValue={setNewDim} error={dimError}
            hint={t('assets.newDimensionHint')} />
          <button type="button" class="btn" onClick={() => void addDimension()} disabled={newDim.trim() === ''}>
            {t('assets.createDimension')}
          </button>
        </div>

        {submitted && allocBad && <p class="field__error" role="alert">{t('weights.fixBeforeSaving')}</p>}
        {error && !known.has(field ?? '') && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

/** One security: what the accounts hold of it, and its price history. */
export function InstrumentDetail({ id }: { id: number }) {
  const { navigate } = useShell();
  const data = useLoad(async () => {
    const [s, prices] = await Promise.all([loadSecurities(), ipc.instrumentPrices(id)]);
    return { s, prices };
  }, [id]);
  const [editing, setEditing] = useState(false);
  const [point, setPoint] = useState<PricePoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<PricePoint | null>(null);
  const del = useSaving();

  const back = (
    <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'instruments' })}>← {t('nav.instruments')}</button>
  );
  const inst = data.data?.s.instruments.find((i) => i.id === id);
  if (data.loading && !data.data) return <div class="page">{back}<Loading /></div>;
  if (data.error) return <div class="page">{back}<ErrorBanner error={data.error} onRetry={data.reload} /></div>;
  if (!inst) return <div class="page">{back}<EmptyState title={t('instruments.notFound')} /></div>;
  const { s, prices } = data.data!;
  const sorted = [...prices].sort((a, b) => (a.date < b.date ? 1 : -1));
  const holderLabel = (accountId: number) => {
    const acc = s.accounts.find((a) => a.id === accountId);
    return acc ? accountLabel(acc, s.institutions) : String(accountId);
  };
  const held = heldPositions(s, id).sort((a, b) => holderLabel(a.account_id).localeCompare(holderLabel(b.account_id), getLocale()));
  const last = lastPrice(s, id);
  const saved = () => { toast(t('common.saved')); data.reload(); };

  return (
    <div class="page">
      {back}
      <header class="page__header">
        <div>
          <h1>{inst.name}{inst.archived && <span class="tag">{t('assets.archived')}</span>}</h1>
          <p class="muted">
            {t(`assetClass.${inst.class}`)} · {inst.currency}
            {inst.isin && <> · {inst.isin}</>}
            {inst.ticker && <> · {inst.ticker}</>}
          </p>
        </div>
        <div class="page__actions">
          <button type="button" class="btn" onClick={() => setEditing(true)}>{t('common.edit')}</button>
          <button type="button" class="btn" onClick={() => navigate({ name: 'prices' })}>{t('instruments.updatePrices')}</button>
          <button type="button" class="btn btn--primary" onClick={() => setPoint('new')}>{t('instruments.addPrice')}</button>
        </div>
      </header>

      <section class="card" aria-labelledby="instrument-holders">
        <h2 id="instrument-holders" class="card__title">{t('instruments.holders')}</h2>
        {held.length === 0 ? (
          <p class="muted">{t('instruments.notHeld')}</p>
        ) : (
          <Table variant="compact" columns={[t('common.account'), num(t('instruments.units')), num(t('instruments.price')), num(t('common.value'))]}>
            {held.map(({ account_id, position: p }) => {
              const label = holderLabel(account_id);
              return (
                <tr key={account_id}>
                  <td>
                    {p.asset_id !== null
                      ? <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'asset', id: p.asset_id! })}>{label}</button>
                      : label}
                  </td>
                  <td class="num">{formatDecimal(p.units)}</td>
                  <td class="num">{p.price !== null ? formatPrice(p.price, p.currency) : '—'}</td>
                  <td class="num">{formatMoney(p.value, p.currency)}</td>
                </tr>
              );
            })}
          </Table>
        )}
      </section>

      <section class="card" aria-labelledby="instrument-prices">
        <h2 id="instrument-prices" class="card__title">{t('instruments.prices')}</h2>
        {last?.fromTrade && (
          <p class="muted" data-testid="from-trade">
            {t('instruments.fromTrade', { price: formatPrice(last.price, inst.currency), date: formatDate(last.date) })}
          </p>
        )}
        {prices.length === 0 ? (
          <EmptyState title={t('instruments.noPrices')} text={t('instruments.noPricesText')}>
            <button type="button" class="btn btn--primary" onClick={() => setPoint('new')}>{t('instruments.addPrice')}</button>
          </EmptyState>
        ) : (
          <Table columns={[t('common.date'), num(t('instruments.price')), t('values.source'), ACTIONS]}>
            {sorted.map((p) => (
              <tr key={p.date} data-price-date={p.date}>
                <td class="nowrap">{formatDate(p.date)}</td>
                <td class="num">{formatPrice(p.price, inst.currency)}</td>
                <td>{t(`values.source.${p.source}`)}</td>
                <td class="row-actions">
                  <EditButton onClick={() => setPoint(p)} />
                  <DeleteButton onClick={() => setDeleting(p)} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      {editing && (
        <InstrumentForm item={inst} data={s} onCancel={() => setEditing(false)} onSaved={() => { setEditing(false); saved(); }} />
      )}
      {point && (
        <PricePointForm instrumentId={id} currency={inst.currency} item={point === 'new' ? null : point} points={prices}
          onCancel={() => setPoint(null)} onSaved={() => { setPoint(null); saved(); }} />
      )}
      {deleting && (
        <ConfirmDialog title={t('instruments.deletePriceTitle')} danger busy={del.busy}
          message={<p>{t('instruments.deletePriceText', { date: formatDate(deleting.date), price: formatPrice(deleting.price, inst.currency) })}</p>}
          confirmLabel={t('common.delete')} error={del.error ? errorMessage(del.error) : null}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void del.run(() => ipc.deletePrice(id, deleting.date), () => { setDeleting(null); toast(t('common.deleted')); data.reload(); })} />
      )}
    </div>
  );
}
