//! Exchange rates: import the ECB reference file, list with a currency filter, add,
//! edit and delete a rate (units of the currency per 1 EUR).
import { useState } from 'preact/hooks';
import { ipc, pickFile, toAppError, type FxImportReport, type FxRate } from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { decimalForInput, formatDate, formatDecimal, parseDecimalInput } from '../lib/format';
import { sign } from '../lib/decimal';
import { t } from '../lib/i18n';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { toast } from '../lib/shell/toast';
import { COMMON_CURRENCIES, isCurrencyCode } from '../lib/vault/currencies';
import { DateField, SelectField, TextField } from '../components/fields';
import { ConfirmDialog, Modal } from '../components/Modal';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ACTIONS, DeleteButton, EditButton, num, Table } from '../components/Table';

const LIMIT = 500;

export function FxRates() {
  const [currency, setCurrency] = useState('');
  const rates = useLoad(() => ipc.listFxRates(LIMIT, currency || undefined), [currency]);
  const [editing, setEditing] = useState<FxRate | 'new' | null>(null);
  const [deleting, setDeleting] = useState<FxRate | null>(null);
  const [report, setReport] = useState<FxImportReport | null>(null);
  const imp = useSaving();
  const del = useSaving();

  const importEcb = () => void imp.run(async () => {
    const path = await pickFile(t('fx.pickEcb'), [{ name: 'CSV / ZIP', extensions: ['csv', 'zip'] }]);
    if (!path) return;
    setReport(await ipc.importEcb(path));
  }, () => rates.reload());

  const list = rates.data ?? [];

  return (
    <div class="page">
      <header class="page__header">
        <h1>{t('nav.fx')}</h1>
        <div class="page__actions">
          <button type="button" class="btn" disabled={imp.busy} onClick={importEcb}>{imp.busy ? t('fx.importing') : t('fx.importEcb')}</button>
          <button type="button" class="btn btn--primary" onClick={() => setEditing('new')}>{t('fx.add')}</button>
        </div>
      </header>
      <p class="muted">{t('fx.intro')}</p>
      <ErrorBanner error={imp.error} />
      {report && (
        <div class="banner banner--ok" role="status">
          <p>{t('fx.report', {
            rates: t('fx.reportRates', { count: report.rates }),
            currencies: t('fx.reportCurrencies', { count: report.currencies.length }),
          })}</p>
          {report.first_date && report.last_date && (
            <p>{t('fx.reportRange', { from: formatDate(report.first_date), to: formatDate(report.last_date) })}</p>
          )}
        </div>
      )}
      <div class="filters">
        <TextField label={t('fx.filter')} name="fx-filter" value={currency} maxLength={3} placeholder="USD"
          onValue={(v) => setCurrency(v.toUpperCase().replace(/[^A-Z]/g, ''))} />
      </div>
      {rates.loading && !rates.data && <Loading />}
      <ErrorBanner error={rates.error} onRetry={rates.reload} />
      {rates.data && list.length === 0 && <EmptyState title={t('fx.none')} text={t('fx.noneText')} />}
      {list.length > 0 && (
        <div class="card card--flush">
          <Table
            columns={[t('common.currency'), t('common.date'), num(t('fx.rate')), ACTIONS]}
          >
            {list.map((r) => (
              <tr key={`${r.currency}-${r.date}`}>
                <td>{r.currency}</td>
                <td class="nowrap">{formatDate(r.date)}</td>
                <td class="num">{formatDecimal(r.rate, 6)}</td>
                <td class="row-actions">
                  <EditButton onClick={() => setEditing(r)} />
                  <DeleteButton onClick={() => setDeleting(r)} />
                </td>
              </tr>
            ))}
          </Table>
          {list.length >= LIMIT && <p class="muted table-note">{t('fx.limited', { count: LIMIT })}</p>}
        </div>
      )}
      {editing && (
        <RateForm item={editing === 'new' ? null : editing} onCancel={() => setEditing(null)}
          onSaved={() => { setEditing(null); toast(t('common.saved')); rates.reload(); }} />
      )}
      {deleting && (
        <ConfirmDialog title={t('fx.deleteTitle')} danger busy={del.busy} confirmLabel={t('common.delete')}
          message={<p>{t('fx.deleteText', { currency: deleting.currency, date: formatDate(deleting.date) })}</p>}
          error={del.error ? errorMessage(del.error) : null} onCancel={() => setDeleting(null)}
          onConfirm={() => void del.run(() => ipc.deleteFxRate(deleting.currency, deleting.date), () => { setDeleting(null); toast(t('common.deleted')); rates.reload(); })} />
      )}
    </div>
  );
}

function RateForm({ item, onCancel, onSaved }: { item: FxRate | null; onCancel: () => void; onSaved: () => void }) {
  const [currency, setCurrency] = useState(item?.currency ?? 'USD');
  const [date, setDate] = useState(item?.date ?? today());
  const [rate, setRate] = useState(item ? decimalForInput(item.rate) : '');
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  useUnsavedInput(useEdited({ currency, date, rate }));
  const parsed = parseDecimalInput(rate);
  const errs = {
    currency: !isCurrencyCode(currency) ? t('fx.badCurrency') : currency === 'EUR' ? t('fx.noEur') : null,
    date: !isIsoDate(date) ? t('common.badDate') : null,
    rate: rate.trim() === '' ? t('common.required') : parsed === null || sign(parsed) <= 0 ? t('fx.badRate') : null,
  };
  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (errs.currency || errs.date || errs.rate) return;
    void run(async () => {
      if (item && (item.currency !== currency || item.date !== date)) await ipc.deleteFxRate(item.currency, item.date);
      await ipc.setFxRate({ currency, date, rate: parsed! });
    }, onSaved);
  };
  const field = error?.detailString('field');
  return (
    <Modal title={item ? t('fx.editTitle') : t('fx.addTitle')} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <SelectField label={t('common.currency')} name="fx-currency" value={currency} onValue={setCurrency}
          error={submitted ? errs.currency : null}
          options={(COMMON_CURRENCIES.includes(currency as never) ? COMMON_CURRENCIES.filter((c) => c !== 'EUR') : [currency, ...COMMON_CURRENCIES.filter((c) => c !== 'EUR')]).map((c) => ({ value: c, label: c }))} />
        <DateField label={t('common.date')} name="fx-date" value={date} onValue={setDate} error={submitted ? errs.date : null} />
        <TextField label={t('fx.rateLabel', { currency })} name="fx-rate" inputMode="decimal" class="input--number" value={rate} onValue={setRate}
          hint={t('fx.rateHint', { currency })}
          error={(submitted ? errs.rate : null) ?? (field === 'rate' ? errorMessage(error) : null)} />
        {error && field !== 'rate' && <p class="field__error" role="alert">{errorMessage(toAppError(error))}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
