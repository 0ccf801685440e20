//! One account: its positions, cash and gains on a chosen date (from its activities),
//! income, realised gains and fees per year, and the list of its activities (newest
//! first, filtered by type, searched) with add, edit and delete; an opening position
//! for securities already held.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import {
  ipc, type Account, type Activity, type ActivityKind, type Holdings, type Instrument, type Position,
} from '../lib/ipc';
import { ACTIVITY_KINDS } from '../lib/ipc/generated/constants';
import { compare, multiply, negate, percentChange, subtract, sum } from '../lib/decimal';
import { isIsoDate, today } from '../lib/dates';
import { formatDate, formatDecimal, formatMoney, formatMoneyChange, formatPercent } from '../lib/format';
import { t } from '../lib/i18n';
import { matchesSearch } from '../lib/search';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { toast } from '../lib/shell/toast';
import { DateField, SelectField, TextField } from '../components/fields';
import { ConfirmDialog } from '../components/Modal';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ActivityForm, OpeningPositionForm } from '../components/ActivityForm';
import { ACTIONS, DeleteButton, EditButton, num, Table } from '../components/Table';

/** The note the core gives an opening position (`add_opening_position`). */
const OPENING_NOTE = 'opening position';

/** Money in, positive; money out, negative; units only, none. */
const CASH_SIGN: Record<ActivityKind, 1 | -1 | 0> = {
  deposit: 1, withdrawal: -1, buy: -1, sell: 1, dividend: 1, interest: 1, fee: -1, transfer_in: 0, transfer_out: 0, split: 0,
};

export function AccountDetail({ id }: { id: number }) {
  const { navigate } = useShell();
  const base = useLoad(async () => {
    const [institutions, accounts, instruments, activities, assets] = await Promise.all([
      ipc.listInstitutions(), ipc.listAccounts(), ipc.listInstruments(), ipc.listActivities(id), ipc.listAssets(),
    ]);
    return { institutions, accounts, instruments, activities, assets };
  }, [id]);
  const [dateText, setDateText] = useState(today());
  const [date, setDate] = useState(today());
  const held = useLoad(async () => {
    const [holdings, overview] = await Promise.all([ipc.holdings(id, date), ipc.accountsOverview(date)]);
    return { holdings, overview };
  }, [id, date, base.data]);
  const [editing, setEditing] = useState<Activity | 'new' | 'opening' | null>(null);
  const [deleting, setDeleting] = useState<Activity | null>(null);
  const [kindFilter, setKindFilter] = useState<ActivityKind | ''>('');
  const [search, setSearch] = useState('');
  const del = useSaving();

  const back = (
    <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'accounts' })}>← {t('nav.accounts')}</button>
  );
  if (base.loading && !base.data) return <div class="page">{back}<Loading /></div>;
  if (base.error && !base.data) return <div class="page">{back}<ErrorBanner error={base.error} onRetry={base.reload} /></div>;
  const { institutions, accounts, instruments, activities, assets } = base.data!;
  const account = accounts.find((a) => a.id === id);
  if (!account) return <div class="page">{back}<EmptyState title={t('accountDetail.notFound')} /></div>;
  const institution = institutions.find((i) => i.id === account.institution_id);
  const instrument = (iid: number | null) => (iid === null ? undefined : instruments.find((i) => i.id === iid));
  const balance = held.data?.overview.accounts.find((b) => b.account_id === id);
  // Assets of the account valued by hand: in its value, not in its positions.
  const typed = assets.filter((a) => a.account_id === id && !a.derived && !a.archived);

  const changed = (msg: string) => {
    setEditing(null);
    toast(msg);
    base.reload();
  };
  const onDate = (v: string) => {
    setDateText(v);
    if (isIsoDate(v)) setDate(v);
  };

  const kindLabel = (k: ActivityKind) => t(`activityKind.${k}`);
  const shown = [...activities]
    .filter((a) => kindFilter === '' || a.kind === kindFilter)
    .filter((a) => {
      const i = instrument(a.instrument_id);
      return matchesSearch(search, kindLabel(a.kind), i?.name, i?.isin, i?.ticker, a.note, formatDate(a.date),
        a.note === OPENING_NOTE ? t('accountDetail.openingTag') : null);
    })
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id));

  return (
    <div class="page">
      {back}
      <header class="page__header">
        <div>
          <h1>{account.name}</h1>
          <p class="muted">
            {institution?.name ?? '—'} · {t(`accountKind.${account.kind}`)} · {account.currency}
            {account.closed_on && <> · {t('accounts.closedOnDate', { date: formatDate(account.closed_on) })}</>}
          </p>
          {held.data && balance && (
            <p class="account-value" data-testid="account-value">
              <span class="muted">{t('accounts.valueOn', { date: formatDate(date) })}</span>{' '}
              <strong>{formatMoney(balance.value, held.data.overview.currency)}</strong>
            </p>
          )}
        </div>
        <div class="page__actions">
          <button type="button" class="btn" onClick={() => setEditing('opening')}>{t('accountDetail.opening')}</button>
          <button type="button" class="btn btn--primary" onClick={() => setEditing('new')}>{t('accountDetail.addActivity')}</button>
        </div>
      </header>

      <section class="card" aria-labelledby="positions-title">
        <div class="card__head">
          <h2 id="positions-title" class="card__title">{t('accountDetail.positions')}</h2>
          <DateField label={t('accountDetail.positionsOn')} name="positions-date" value={dateText} onValue={onDate}
            fieldClass="field--compact positions-date" defaultHint={t('accounts.todayByDefault')}
            error={!isIsoDate(dateText) ? t('common.badDate') : null} />
        </div>
        {held.loading && !held.data && <Loading />}
        <ErrorBanner error={held.error} onRetry={held.reload} />
        {held.data && (
          <PositionsTable holdings={held.data.holdings} account={account} instrument={instrument}
            open={(assetId) => navigate({ name: 'asset', id: assetId })} />
        )}
        {typed.length > 0 && (
          <p class="muted small" data-testid="typed-assets">
            {t('accountDetail.otherAssets')}{' '}
            {typed.map((a, i) => (
              <span key={a.id}>
                {i > 0 && ', '}
                <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'asset', id: a.id })}>{a.name}</button>
              </span>
            ))}
          </p>
        )}
      </section>

      {held.data && held.data.holdings.years.length > 0 && (
        <section class="card" aria-labelledby="years-title">
          <h2 id="years-title" class="card__title">{t('accountDetail.years')}</h2>
          <div class="table-wrap">
          <Table columns={[t('accountDetail.year'), num(t('accountDetail.yearIncome')), num(t('accountDetail.yearRealised')), num(t('accountDetail.yearFees'))]}>
            {[...held.data.holdings.years].sort((a, b) => b.year - a.year).map((y) => (
              <tr key={y.year} data-year={y.year}>
                <td>{y.year}</td>
                <td class="num" data-col="income">{formatMoney(y.income, account.currency)}</td>
                <td class="num" data-col="realised">{formatMoneyChange(y.realised, account.currency)}</td>
                <td class="num" data-col="fees">{formatMoney(y.fees, account.currency)}</td>
              </tr>
            ))}
          </Table>
          </div>
        </section>
      )}

      <section class="card" aria-labelledby="activities-title">
        <h2 id="activities-title" class="card__title">{t('accountDetail.activities')}</h2>
        {activities.length === 0 ? (
          <EmptyState title={t('accountDetail.activitiesNone')} text={t('accountDetail.activitiesNoneText')}>
            <button type="button" class="btn btn--primary" onClick={() => setEditing('new')}>{t('accountDetail.addActivity')}</button>
          </EmptyState>
        ) : (
          <>
            <div class="filters" role="search">
              <TextField label={t('accountDetail.search')} type="search" name="activity-search" value={search} onValue={setSearch}
                placeholder={t('accountDetail.searchPlaceholder')} />
              <SelectField label={t('accountDetail.kind')} name="activity-filter" value={kindFilter}
                onValue={(v) => setKindFilter(v as ActivityKind | '')}
                options={[{ value: '', label: t('common.all') }, ...ACTIVITY_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))]} />
            </div>
            {shown.length === 0 ? (
              <EmptyState title={t('accountDetail.noMatch')} />
            ) : (
              <div class="table-wrap activities">
                <Table variant="compact" columns={[t('common.date'), t('accountDetail.kindShort'), t('accountDetail.detail'),
                  num(t('accountDetail.amount')), t('accountDetail.note'), ACTIONS]}>
                  {shown.map((a) => (
                    <ActivityRow key={a.id} activity={a} account={account} instrument={instrument(a.instrument_id)}
                      onEdit={() => setEditing(a)} onDelete={() => { del.setError(null); setDeleting(a); }} />
                  ))}
                </Table>
              </div>
            )}
          </>
        )}
      </section>

      {(editing === 'new' || (editing !== null && typeof editing === 'object')) && (
        <ActivityForm account={account} instruments={instruments} item={editing === 'new' ? null : editing}
          onCancel={() => { setEditing(null); base.reload(); }} onSaved={() => changed(t('common.saved'))} />
      )}
      {editing === 'opening' && (
        <OpeningPositionForm account={account} instruments={instruments}
          onCancel={() => { setEditing(null); base.reload(); }} onSaved={() => changed(t('accountDetail.openingSaved'))} />
      )}
      {deleting && (
        <ConfirmDialog title={t('accountDetail.deleteTitle')} danger busy={del.busy} confirmLabel={t('common.delete')}
          message={<p>{t('accountDetail.deleteText', { date: formatDate(deleting.date), kind: kindLabel(deleting.kind) })}</p>}
          error={del.error ? (del.error.code === 'sell_exceeds_position' ? t('accountDetail.deleteRefused') : errorMessage(del.error)) : null}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void del.run(() => ipc.deleteActivity(deleting.id), () => { setDeleting(null); toast(t('common.deleted')); base.reload(); })} />
      )}
    </div>
  );
}

interface PositionsProps {
  holdings: Holdings;
  account: Account;
  instrument: (id: number | null) => Instrument | undefined;
  open: (assetId: number) => void;
}

interface Totals {
  currency: string;
  value: string;
  cost: string;
  unrealised: string;
  realised: string;
  income: string;
}

/** Sums per currency: the account's first (its cash counts there), then the others. */
function totalsByCurrency(h: Holdings): Totals[] {
  const currencies = [h.currency, ...new Set(h.positions.map((p) => p.currency).filter((c) => c !== h.currency))];
  return currencies.map((currency) => {
    const ps = h.positions.filter((p) => p.currency === currency);
    return {
      currency,
      value: sum([...ps.map((p) => p.value), ...(currency === h.currency ? [h.cash] : [])]),
      cost: sum(ps.map((p) => p.cost)),
      unrealised: sum(ps.map((p) => p.unrealised)),
      realised: sum(ps.map((p) => p.realised)),
      income: sum(ps.map((p) => p.income)),
    };
  }).filter((x, i) => i === 0 || h.positions.some((p) => p.currency === x.currency));
}

/** Unrealised gain in percent of the cost (none without a cost). */
function gainPct(value: string, cost: string): string | null {
  return compare(cost, '0') === 0 ? null : percentChange(value, cost);
}

const tone = (v: string) => (compare(v, '0') > 0 ? 'is-up' : compare(v, '0') < 0 ? 'is-down' : '');

function GainCell({ amount, pct, currency, col }: { amount: string; pct: string | null; currency: string; col: string }) {
  return (
    <td class={`num ${tone(amount)}`} data-col={col}>
      <span class="nowrap">{formatMoneyChange(amount, currency)}</span>
      {pct !== null && <><br /><span class="small" data-col={`${col}-pct`}>{formatPercent(pct, undefined, { signed: true })}</span></>}
    </td>
  );
}

/** The realised gain, and below it the income received when there is some. */
function RealisedCell({ realised, income, currency, incomeCurrency }: { realised: string; income: string; currency: string; incomeCurrency: string }) {
  return (
    <td class="num">
      <span class={`nowrap ${tone(realised)}`} data-col="realised">{formatMoneyChange(realised, currency)}</span>
      {compare(income, '0') !== 0 && (
        <><br /><span class="muted small" data-col="income">{t('accountDetail.incomeShort', { amount: formatMoney(income, incomeCurrency) })}</span></>
      )}
    </td>
  );
}

function PositionsTable({ holdings: h, account, instrument, open }: PositionsProps) {
  if (h.positions.length === 0 && compare(h.cash, '0') === 0) {
    return <EmptyState title={t('accountDetail.noPositions')} text={t('accountDetail.noPositionsText')} />;
  }
  const totals = totalsByCurrency(h);
  // Realised gains and income share a column, there once there are some.
  const withIncome = h.positions.some((p) => compare(p.income, '0') !== 0);
  const withRealised = withIncome || h.positions.some((p) => compare(p.realised, '0') !== 0);
  const positionsValue = (c: string) => sum(h.positions.filter((p) => p.currency === c).map((p) => p.value));
  const row = (p: Position) => {
    const i = instrument(p.instrument_id);
    const name = i?.name ?? '—';
    const soldOut = compare(p.units, '0') === 0;
    return (
      <tr key={p.instrument_id} class={soldOut ? 'row--muted' : ''} data-instrument={p.instrument_id}>
        <td>
          {p.asset_id !== null ? (
            <button type="button" class="btn btn--link" onClick={() => open(p.asset_id!)}>{name}</button>
          ) : name}
          {i?.isin && <><br /><span class="muted small">{i.isin}</span></>}
        </td>
        <td class="num" data-col="units">{formatDecimal(p.units)}</td>
        <td class="num" data-col="price">
          {p.price !== null && p.price_date !== null ? (
            <>
              <span class="nowrap">{formatMoney(p.price, p.currency)}</span>
              <br /><span class="muted small nowrap">{formatDate(p.price_date)}</span>
            </>
          ) : <span class="muted small">{t('accountDetail.noPrice')}</span>}
        </td>
        <td class="num nowrap" data-col="value">{formatMoney(p.value, p.currency)}</td>
        <td class="num" data-col="cost">
          <span class="nowrap">{formatMoney(p.cost, p.currency)}</span>
          {p.average_cost !== null && (
            <><br /><span class="muted small nowrap" data-col="average-cost">{t('accountDetail.averageCostShort', { price: formatMoney(p.average_cost, p.currency) })}</span></>
          )}
        </td>
        <GainCell amount={p.unrealised} pct={soldOut ? null : gainPct(p.value, p.cost)} currency={p.currency} col="unrealised" />
        {withRealised && <RealisedCell realised={p.realised} income={p.income} currency={p.currency} incomeCurrency={account.currency} />}
      </tr>
    );
  };
  return (
    <div class="table-wrap positions">
      <Table variant="compact" columns={[
        t('accountDetail.instrument'), num(t('accountDetail.units')), num(t('accountDetail.price')), num(t('common.value')),
        num(t('accountDetail.cost')), num(t('accountDetail.unrealised')),
        ...(withRealised ? [num(withIncome ? t('accountDetail.realisedIncome') : t('accountDetail.realised'))] : []),
      ]}>
        {h.positions.map(row)}
        <tr data-testid="cash-row">
          <td>{t('derived.cash')}</td>
          <td /><td />
          <td class="num nowrap" data-col="value">{formatMoney(h.cash, h.currency)}</td>
          <td /><td />
          {withRealised && <td />}
        </tr>
        {totals.map((x) => (
          <tr key={x.currency} class="row--total" data-testid={`total-${x.currency}`}>
            <td>{totals.length > 1 ? t('accountDetail.totalIn', { currency: x.currency }) : t('accountDetail.total')}</td>
            <td /><td />
            <td class="num nowrap" data-col="value">{formatMoney(x.value, x.currency)}</td>
            <td class="num nowrap" data-col="cost">{formatMoney(x.cost, x.currency)}</td>
            <GainCell amount={x.unrealised} pct={gainPct(positionsValue(x.currency), x.cost)} currency={x.currency} col="unrealised" />
            {withRealised && <RealisedCell realised={x.realised} income={x.income} currency={x.currency} incomeCurrency={account.currency} />}
          </tr>
        ))}
      </Table>
    </div>
  );
}

interface RowProps {
  activity: Activity;
  account: Account;
  instrument: Instrument | undefined;
  onEdit: () => void;
  onDelete: () => void;
}

function ActivityRow({ activity: a, account, instrument, onEdit, onDelete }: RowProps) {
  const cur = instrument?.currency ?? account.currency;
  const units = (q: string) => t('accountDetail.unitsCount', { count: Number(q), units: formatDecimal(q) });
  let detail: ComponentChildren = null;
  if ((a.kind === 'buy' || a.kind === 'sell' || a.kind === 'transfer_in') && a.quantity && a.unit_price) {
    detail = (
      <>
        <span>{t('accountDetail.times', { units: units(a.quantity), price: formatMoney(a.unit_price, cur) })}</span>
        {compare(a.fees, '0') > 0 && <><br /><span class="muted small">{t('accountDetail.feesShort', { fees: formatMoney(a.fees, cur) })}</span></>}
      </>
    );
  } else if (a.kind === 'transfer_out' && a.quantity) {
    detail = units(a.quantity);
  } else if (a.kind === 'split' && a.quantity) {
    detail = t('accountDetail.splitRatio', { ratio: formatDecimal(a.quantity) });
  }
  const s = CASH_SIGN[a.kind];
  // A trade without its amount moved units × price, fees added to a buy and taken from a sale
  // (the instrument is then in the account's currency).
  const gross = a.quantity && a.unit_price ? multiply(a.quantity, a.unit_price) : null;
  const moved = a.amount ?? (gross === null ? null : a.kind === 'buy' ? sum([gross, a.fees]) : a.kind === 'sell' ? subtract(gross, a.fees) : null);
  const opening = a.kind === 'transfer_in' && a.note === OPENING_NOTE;
  return (
    <tr data-activity={a.id}>
      <td class="nowrap">{formatDate(a.date)}</td>
      <td>
        {t(`activityKind.${a.kind}`)}
        {opening && <> <span class="tag">{t('accountDetail.openingTag')}</span></>}
      </td>
      <td class="activity-detail">
        {instrument && <span class="activity-instrument" data-col="instrument">{instrument.name}</span>}
        {instrument && detail !== null && <br />}
        {detail !== null && <span data-col="detail">{detail}</span>}
        {!instrument && detail === null && '—'}
      </td>
      <td class={`num nowrap ${s > 0 ? 'is-up' : s < 0 ? 'is-down' : ''}`} data-col="amount">
        {moved !== null && s !== 0 ? formatMoneyChange(s < 0 ? negate(moved) : moved, account.currency) : '—'}
      </td>
      <td>{opening ? '' : a.note}</td>
      <td class="row-actions">
        <EditButton onClick={onEdit} />
        <DeleteButton onClick={onDelete} />
      </td>
    </tr>
  );
}
