//! One asset: its details, value-history chart, and the table of value points (add,
//! edit, delete with confirmation).
import { useState } from 'preact/hooks';
import { ipc, type ChartRequest, type ValuePoint } from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { decimalForInput, formatDate, formatDecimal, formatMoney, formatPercent, parseDecimalInput } from '../lib/format';
import { getLocale, t, useLang } from '../lib/i18n';
import { accountLabel } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { toast } from '../lib/shell/toast';
import { ChartView } from '../components/ChartView';
import { ConfirmDialog, Modal } from '../components/Modal';
import { FarOffConfirm, farFrom } from '../components/FarOff';
import { amountError, DateField, MoneyField, TextField } from '../components/fields';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { AssetForm, loadPortfolio } from './Assets';
import { DismemberedRule } from '../components/DismemberedRule';
import { PropertyEquity } from '../components/PropertyEquity';
import { ACTIONS, DeleteButton, EditButton, num, Table } from '../components/Table';

export function AssetDetail({ id }: { id: number }) {
  const { navigate } = useShell();
  const lang = useLang();
  const data = useLoad(async () => {
    const [p, values] = await Promise.all([loadPortfolio(), ipc.assetValues(id)]);
    return { p, values };
  }, [id]);
  const chart = useLoad(async () => {
    const req: ChartRequest = { kind: 'asset_history', asset_id: id, locale: getLocale(), width: 800, height: 280 };
    return { req, chart: await ipc.chart(req) };
  }, [id, lang, data.data]);
  const [editing, setEditing] = useState(false);
  const [point, setPoint] = useState<ValuePoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ValuePoint | null>(null);
  const del = useSaving();

  const asset = data.data?.p.assets.find((a) => a.id === id);
  const back = (
    <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'assets' })}>← {t('nav.assets')}</button>
  );
  if (data.loading && !data.data) return <div class="page">{back}<Loading /></div>;
  if (data.error) return <div class="page">{back}<ErrorBanner error={data.error} onRetry={data.reload} /></div>;
  if (!asset) return <div class="page">{back}<EmptyState title={t('assets.notFound')} /></div>;
  const { p, values } = data.data!;
  const acc = p.accounts.find((a) => a.id === asset.account_id);
  const sorted = [...values].sort((a, b) => (a.date < b.date ? 1 : -1));
  // Derived values (a position, an account's cash, a loan) come from the app: none is typed here.
  const derived = Boolean(asset.derived);

  return (
    <div class="page">
      {back}
      <header class="page__header">
        <div>
          <h1>{asset.name}</h1>
          <p class="muted">
            {t(`assetClass.${asset.class}`)} · {acc ? accountLabel(acc, p.institutions) : t('assets.heldDirectly')} · {asset.currency}
            {asset.share_pct !== '100' && <> · {t('assets.shareShort', { pct: formatPercent(asset.share_pct) })}</>}
            {asset.isin && <> · {asset.isin}</>}
          </p>
        </div>
        <div class="page__actions">
          <button type="button" class="btn" onClick={() => setEditing(true)}>{t('common.edit')}</button>
          {!derived && <button type="button" class="btn btn--primary" onClick={() => setPoint('new')}>{t('values.add')}</button>}
        </div>
      </header>

      {/* A loan's amortization table; a dismembered asset's article-669 rule; a financed property's net equity. */}
      {asset.derived === 'loan' && (
        <p><button type="button" class="btn btn--link" data-action="open-loan" onClick={() => navigate({ name: 'loan', id: asset.id })}>{t('loans.seeSchedule')}</button></p>
      )}
      <DismemberedRule asset={asset} />
      <PropertyEquity asset={asset} values={values} />

      <section class="card" aria-labelledby="asset-chart-title">
        <h2 id="asset-chart-title" class="card__title">{t('values.history')}</h2>
        {values.length === 0 ? (
          <EmptyState title={t('values.none')} text={t('values.noneText')} />
        ) : (
          <>
            {chart.loading && !chart.data && <Loading />}
            <ErrorBanner error={chart.error} onRetry={chart.reload} />
            {chart.data && <ChartView chart={chart.data.chart} request={chart.data.req} currency={asset.currency}
              title={t('values.history')} exportName={`patrimoine-${asset.name}`} />}
          </>
        )}
      </section>

      {derived && (
        <p class="muted" data-testid="derived-values">
          {t('accountDetail.derivedValues')}
          {asset.account_id !== null && asset.derived !== 'loan' && (
            <> <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'account', id: asset.account_id! })}>{t('accountDetail.seeAccount')}</button></>
          )}
        </p>
      )}
      {values.length > 0 && (
        <section class="card card--flush" aria-label={t('values.table')}>
          <Table
            columns={[
              t('common.date'), num(t('common.value')), num(t('values.quantity')), num(t('values.unitPrice')),
              t('values.source'), ...(derived ? [] : [ACTIONS] as const),
            ]}
          >
            {sorted.map((v) => (
              <tr key={v.date}>
                <td class="nowrap">{formatDate(v.date)}</td>
                <td class="num">{formatMoney(v.value, asset.currency)}</td>
                <td class="num">{v.quantity ? formatDecimal(v.quantity) : '—'}</td>
                <td class="num">{v.unit_price ? formatMoney(v.unit_price, asset.currency) : '—'}</td>
                <td>{t(`values.source.${derived ? 'derived' : v.source}`)}</td>
                {!derived && (
                  <td class="row-actions">
                    <EditButton onClick={() => setPoint(v)} />
                    <DeleteButton onClick={() => setDeleting(v)} />
                  </td>
                )}
              </tr>
            ))}
          </Table>
        </section>
      )}

      {editing && (
        <AssetForm item={asset} data={p} onCancel={() => setEditing(false)}
          onSaved={() => { setEditing(false); toast(t('common.saved')); data.reload(); }} />
      )}
      {point && (
        <ValuePointForm assetId={id} currency={asset.currency} item={point === 'new' ? null : point} points={data.data!.values}
          onCancel={() => setPoint(null)} onSaved={() => { setPoint(null); toast(t('common.saved')); data.reload(); }} />
      )}
      {deleting && (
        <ConfirmDialog title={t('values.deleteTitle')} danger busy={del.busy}
          message={<p>{t('values.deleteText', { date: formatDate(deleting.date), value: formatMoney(deleting.value, asset.currency) })}</p>}
          confirmLabel={t('common.delete')} error={del.error ? errorMessage(del.error) : null}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void del.run(() => ipc.deleteValue(id, deleting.date), () => { setDeleting(null); toast(t('common.deleted')); data.reload(); })} />
      )}
    </div>
  );
}

interface PointProps {
  assetId: number;
  currency: string;
  item: ValuePoint | null;
  /** The asset's points: a value ten times off the one before it asks first. */
  points: ValuePoint[];
  onCancel: () => void;
  onSaved: () => void;
}

function ValuePointForm({ assetId, currency, item, points, onCancel, onSaved }: PointProps) {
  const [date, setDate] = useState(item?.date ?? today());
  const [value, setValue] = useState(item ? decimalForInput(item.value) : '');
  const [qty, setQty] = useState(item?.quantity ? decimalForInput(item.quantity) : '');
  const [price, setPrice] = useState(item?.unit_price ? decimalForInput(item.unit_price) : '');
  const [submitted, setSubmitted] = useState(false);
  const [askFar, setAskFar] = useState(false);
  const { busy, error, run } = useSaving();
  useUnsavedInput(useEdited({ date, value, qty, price }));
  // The value in force just before this one (the edited point itself left out).
  const previous = points
    .filter((p) => p.date <= date && p.date !== item?.date)
    .reduce<ValuePoint | null>((best, p) => (best === null || p.date > best.date ? p : best), null);

  const v = parseDecimalInput(value);
  const q = qty.trim() === '' ? null : parseDecimalInput(qty);
  const up = price.trim() === '' ? null : parseDecimalInput(price);
  const errs = {
    date: !isIsoDate(date) ? t('common.badDate') : null,
    value: value.trim() === '' ? t('common.required') : v === null ? amountError(value) : null,
    qty: qty.trim() !== '' && q === null ? amountError(qty) : null,
    price: price.trim() !== '' && up === null ? amountError(price) : null,
  };
  const bad = Object.values(errs).some(Boolean);

  const save = () => {
    void run(async () => {
      if (item && item.date !== date) await ipc.deleteValue(assetId, item.date);
      await ipc.upsertValues([{ asset_id: assetId, date, value: v!, quantity: q, unit_price: up, source: 'manual' }]);
    }, onSaved);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (bad) return;
    if (previous && farFrom(v!, previous.value)) {
      setAskFar(true);
      return;
    }
    save();
  };

  return (
    <Modal title={item ? t('values.editTitle') : t('values.addTitle')} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <DateField label={t('common.date')} name="point-date" value={date} onValue={setDate} error={submitted ? errs.date : null} />
        <MoneyField label={t('common.value')} currency={currency} name="point-value" value={value}
          onValue={(x) => { setAskFar(false); setValue(x); }}
          error={submitted ? errs.value ?? (error?.detailString('field') === 'value' ? errorMessage(error) : null) : null} />
        <div class="form-row">
          <TextField label={t('values.quantity')} name="point-qty" inputMode="decimal" class="input--number" value={qty} onValue={setQty}
            error={submitted ? errs.qty : null} />
          <MoneyField label={t('values.unitPrice')} name="point-price" value={price} onValue={setPrice} error={submitted ? errs.price : null} />
        </div>
        {error && error.detailString('field') !== 'value' && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        {askFar && previous && (
          <FarOffConfirm previous={previous} next={v!} currency={currency} onFix={() => setAskFar(false)} onSave={save} />
        )}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          {!askFar && <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>}
        </div>
      </form>
    </Modal>
  );
}
