//! One loan held with its terms: the terms of the offer, its state today (capital
//! outstanding, next payment, end, interest and insurance paid and to pay), its early
//! repayments (add, delete) and the whole amortization table by year, as the core
//! computes it (`loan_schedule`). Printing prints the table alone (a copy rendered into
//! #print-root, laid out by loans.css).
import { createPortal } from 'preact/compat';
import { useState } from 'preact/hooks';
import { ipc, pickSavePath, type Installment, type Keep, type LoanSchedule, type RecordedRepayment } from '../lib/ipc';
import { fileName } from '../lib/backup';
import { isIsoDate, today } from '../lib/dates';
import { formatDate, formatInteger, formatMoney, formatPercent, parseDecimalInput } from '../lib/format';
import { t } from '../lib/i18n';
import { accountLabel } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { toast } from '../lib/shell/toast';
import { errorField } from '../lib/vault/errors';
import { LoanForm } from '../components/LoanForm';
import { byYear, lineOfMonth, nextPayment, withInsurance } from '../components/loanSchedule';
import { amountError, Checkbox, DateField, MoneyField } from '../components/fields';
import { ConfirmDialog, Modal } from '../components/Modal';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ACTIONS, DeleteButton, num, Table } from '../components/Table';
import './loans.css';

export function LoanDetail({ id }: { id: number }) {
  const { navigate } = useShell();
  const day = today();
  const data = useLoad(async () => {
    const [schedule, accounts, institutions, assets] = await Promise.all([
      ipc.loanSchedule(id, day), ipc.listAccounts(), ipc.listInstitutions(), ipc.listAssets(),
    ]);
    return { schedule, accounts, institutions, assets };
  }, [id, day]);
  const [editing, setEditing] = useState(false);
  const [repaying, setRepaying] = useState(false);
  const [deleting, setDeleting] = useState<RecordedRepayment | null>(null);
  const del = useSaving();
  const exp = useSaving();

  const back = (
    <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'loans' })}>← {t('nav.loans')}</button>
  );
  if (data.loading && !data.data) return <div class="page">{back}<Loading /></div>;
  if (data.error?.code === 'not_found') return <div class="page">{back}<EmptyState title={t('loans.notFound')} /></div>;
  if (data.error || !data.data) return <div class="page">{back}<ErrorBanner error={data.error} onRetry={data.reload} /></div>;
  const { schedule: s, accounts, institutions, assets } = data.data;
  const loan = s.loan;
  const cur = loan.currency;
  const acc = accounts.find((a) => a.id === loan.account_id);
  const property = assets.find((a) => a.id === loan.linked_asset_id);
  const next = nextPayment(s.schedule, day);
  const saved = (msg: string) => { toast(msg); data.reload(); };
  // The core writes the CSV (the same columns as the CLI's) where the user chose.
  const exportCsv = () => void exp.run(async () => {
    const target = await pickSavePath(t('loans.exportTitle'), `patrimoine-${loan.name.replace(/[\\/:*?"<>|]+/g, '-')}-${day}.csv`, [{ name: 'CSV', extensions: ['csv'] }]);
    if (!target) return;
    await ipc.exportScheduleCsv(loan.asset_id, target);
    toast(t('io.exported', { file: fileName(target) }));
  }, () => undefined);

  return (
    <div class="page loan-detail">
      {back}
      <header class="page__header">
        <div>
          <h1>{loan.name}</h1>
          <p class="muted">
            {acc ? accountLabel(acc, institutions) : t('assets.heldDirectly')} · {cur}
            {loan.share_pct !== '100' && <> · {t('assets.shareShort', { pct: formatPercent(loan.share_pct) })}</>}
          </p>
        </div>
        <div class="page__actions">
          <button type="button" class="btn" onClick={() => setEditing(true)}>{t('loans.editTerms')}</button>
          <button type="button" class="btn" onClick={() => window.print()}>{t('loans.print')}</button>
          <button type="button" class="btn" disabled={exp.busy} onClick={exportCsv}>{t('loans.exportCsv')}</button>
          <button type="button" class="btn btn--primary" disabled={next === null} onClick={() => setRepaying(true)}>
            {t('loans.addRepayment')}
          </button>
        </div>
      </header>
      <ErrorBanner error={exp.error} />

      <div class="grid-2">
        <section class="card" aria-labelledby="loan-today">
          <h2 id="loan-today" class="card__title">{t('loans.today', { date: formatDate(day) })}</h2>
          <dl class="summary" data-testid="loan-state">
            <dt>{t('loans.outstanding')}</dt>
            <dd data-testid="loan-outstanding">{formatMoney(s.outstanding, cur)}</dd>
            <dt>{t('loans.nextPayment')}</dt>
            <dd>{next ? t('loans.paymentOn', { amount: formatMoney(withInsurance(next), cur), date: formatDate(next.date) }) : t('loans.repaid')}</dd>
            <dt>{t('loans.endsOn')}</dt>
            <dd data-testid="loan-ends">{s.ends_on ? formatDate(s.ends_on) : '—'}</dd>
            <dt>{t('loans.interestPaid')}</dt>
            <dd>{formatMoney(s.interest_paid, cur)}</dd>
            <dt>{t('loans.interestToPay')}</dt>
            <dd>{formatMoney(s.interest_to_pay, cur)}</dd>
            <dt>{t('loans.insurancePaid')}</dt>
            <dd>{formatMoney(s.insurance_paid, cur)}</dd>
            <dt>{t('loans.insuranceToPay')}</dt>
            <dd>{formatMoney(s.insurance_to_pay, cur)}</dd>
            <dt>{t('loans.totalPaid')}</dt>
            <dd>{formatMoney(s.schedule.total_paid, cur)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="loan-terms">
          <h2 id="loan-terms" class="card__title">{t('loans.terms')}</h2>
          <TermsList schedule={s} propertyName={property?.name ?? null}
            onProperty={property ? () => navigate({ name: 'asset', id: property.id }) : null} />
        </section>
      </div>

      <section class="card" aria-labelledby="loan-repayments">
        <div class="card__head">
          <h2 id="loan-repayments" class="card__title">{t('loans.repayments')}</h2>
        </div>
        {loan.repayments.length === 0 ? (
          <p class="muted">{t('loans.noRepayments')}</p>
        ) : (
          <Table columns={[t('common.date'), num(t('loans.repaymentAmount')), t('loans.keeps'), ACTIONS]} variant="compact">
            {loan.repayments.map((r) => (
              <tr key={r.id} data-repayment={r.id}>
                <td class="nowrap">{formatDate(r.repayment.date)}</td>
                <td class="num">{r.repayment.amount === null ? t('loans.totalRepayment') : formatMoney(r.repayment.amount, cur)}</td>
                <td>{r.repayment.amount === null || loan.terms.amortization === 'in_fine' ? '—' : t(`loans.keep.${r.repayment.keep}`)}</td>
                <td class="row-actions"><DeleteButton onClick={() => setDeleting(r)} /></td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section class="card card--flush" aria-labelledby="loan-schedule">
        <div class="card__head loan-schedule__head">
          <h2 id="loan-schedule" class="card__title">{t('loans.schedule')}</h2>
          <p class="muted small">{t('loans.scheduleCount', { count: s.schedule.installments.filter((l) => l.row !== 'repayment').length })}</p>
        </div>
        <div class="table-wrap">
          <ScheduleTable schedule={s} day={day} testId="schedule" />
        </div>
      </section>

      <SchedulePrint schedule={s} propertyName={property?.name ?? null} accountName={acc ? accountLabel(acc, institutions) : null} day={day} />

      {editing && (
        <LoanForm item={loan} onClose={() => setEditing(false)} onSaved={() => saved(t('common.saved'))} />
      )}
      {repaying && (
        <RepaymentForm schedule={s} onCancel={() => setRepaying(false)}
          onSaved={() => { setRepaying(false); saved(t('loans.repaymentSaved')); }} />
      )}
      {deleting && (
        <ConfirmDialog title={t('loans.deleteRepaymentTitle')} danger busy={del.busy}
          message={<p>{t('loans.deleteRepaymentText', {
            date: formatDate(deleting.repayment.date),
            amount: deleting.repayment.amount === null ? t('loans.totalRepayment') : formatMoney(deleting.repayment.amount, cur),
          })}</p>}
          confirmLabel={t('common.delete')} error={del.error ? errorMessage(del.error) : null}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void del.run(() => ipc.deleteRepayment(deleting.id), () => { setDeleting(null); saved(t('common.deleted')); })} />
      )}
    </div>
  );
}

/** The terms of the offer, as a list. */
function TermsList({ schedule: s, propertyName, onProperty }: {
  schedule: LoanSchedule; propertyName: string | null; onProperty: (() => void) | null;
}) {
  const { terms } = s.loan;
  const cur = s.loan.currency;
  return (
    <dl class="summary">
      <dt>{t('loans.principal')}</dt>
      <dd>{formatMoney(terms.principal, cur)}</dd>
      <dt>{t('loans.nominalRate')}</dt>
      <dd>{formatPercent(terms.annual_rate, undefined, { digits: 4 })}</dd>
      <dt>{t('loans.duration')}</dt>
      <dd>{terms.months % 12 === 0
        ? t('loans.durationYears', { months: t('loans.monthCount', { count: terms.months }), years: t('loans.yearCount', { count: terms.months / 12 }) })
        : t('loans.monthCount', { count: terms.months })}</dd>
      <dt>{t('loans.firstPayment')}</dt>
      <dd>{formatDate(terms.first_payment)}</dd>
      <dt>{t('loans.insurance')}</dt>
      <dd>{formatMoney(terms.insurance, cur)}</dd>
      <dt>{t('loans.amortization')}</dt>
      <dd>{t(`loans.amortization.${terms.amortization}`)}</dd>
      <dt>{t('loans.deferral')}</dt>
      <dd>{terms.deferral === 'none' ? t('loans.deferral.none')
        : t('loans.deferralFor', { kind: t(`loans.deferral.${terms.deferral}`), months: t('loans.monthCount', { count: terms.deferral_months }) })}</dd>
      <dt>{t('loans.shareBorne')}</dt>
      <dd>{formatPercent(s.loan.share_pct)}</dd>
      <dt>{t('loans.property')}</dt>
      <dd>{propertyName === null ? t('loans.noProperty')
        : onProperty ? <button type="button" class="btn btn--link" onClick={onProperty}>{propertyName}</button> : propertyName}</dd>
    </dl>
  );
}

const plainDate = (d: string) => formatDate(d);

/** One line of the table: its number, date, amounts; repayment and deferred lines say so. */
function LineRow({ line, cur, current }: { line: Installment; cur: string; current: boolean }) {
  const cls = [line.row === 'repayment' ? 'row--repayment' : '', line.row === 'deferred' ? 'row--deferred' : '', current ? 'row--current' : '']
    .filter(Boolean).join(' ');
  return (
    <tr class={cls || undefined} data-row={line.row} aria-current={current ? 'date' : undefined}>
      <td class="num">{line.row === 'repayment' ? '' : formatInteger(line.number)}</td>
      <td class="nowrap">
        {plainDate(line.date)}
        {line.row === 'repayment' && <span class="tag tag--warn">{t('loans.row.repayment')}</span>}
        {line.row === 'deferred' && <span class="tag">{t('loans.row.deferred')}</span>}
        {current && <span class="tag tag--current">{t('loans.thisMonth')}</span>}
      </td>
      <td class="num">{formatMoney(line.payment, cur)}</td>
      <td class="num">{formatMoney(line.interest, cur)}</td>
      <td class="num">{formatMoney(line.capital, cur)}</td>
      <td class="num">{formatMoney(line.insurance, cur)}</td>
      <td class="num" data-col="remaining">{formatMoney(line.remaining, cur)}</td>
    </tr>
  );
}

/** The amortization table by year, each year closed by its subtotals. */
function ScheduleTable({ schedule: s, day, testId }: { schedule: LoanSchedule; day: string | null; testId?: string }) {
  const cur = s.loan.currency;
  const current = day ? lineOfMonth(s.schedule, day) : null;
  return (
    <table class="table table--compact schedule" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col" class="num">{t('loans.col.number')}</th>
          <th scope="col">{t('common.date')}</th>
          <th scope="col" class="num">{t('loans.col.payment')}</th>
          <th scope="col" class="num">{t('loans.col.interest')}</th>
          <th scope="col" class="num">{t('loans.col.capital')}</th>
          <th scope="col" class="num">{t('loans.col.insurance')}</th>
          <th scope="col" class="num">{t('loans.col.remaining')}</th>
        </tr>
      </thead>
      {byYear(s.schedule).map((g) => (
        <tbody key={g.year} data-year={g.year}>
          {g.lines.map((l, i) => <LineRow key={i} line={l} cur={cur} current={l === current} />)}
          <tr class="row--subtotal" data-subtotal={g.year}>
            <th scope="row" colSpan={2}>{t('loans.yearTotal', { year: g.year })}</th>
            <td class="num">{formatMoney(g.totals.payment, cur)}</td>
            <td class="num">{formatMoney(g.totals.interest, cur)}</td>
            <td class="num">{formatMoney(g.totals.capital, cur)}</td>
            <td class="num">{formatMoney(g.totals.insurance, cur)}</td>
            <td class="num">{formatMoney(g.totals.remaining, cur)}</td>
          </tr>
        </tbody>
      ))}
    </table>
  );
}

/** The printed page: the loan's name, terms and totals, then the whole table. */
function SchedulePrint({ schedule: s, propertyName, accountName, day }: {
  schedule: LoanSchedule; propertyName: string | null; accountName: string | null; day: string;
}) {
  const target = typeof document !== 'undefined' ? document.getElementById('print-root') : null;
  const cur = s.loan.currency;
  const page = (
    <section class="schedule-print" aria-label={t('loans.schedule')}>
      <h1>{t('loans.printTitle', { name: s.loan.name })}</h1>
      <p class="schedule-print__app">Patrimoine · {accountName ?? t('assets.heldDirectly')} · {formatDate(day, undefined, 'long')}</p>
      <div class="schedule-print__facts">
        <TermsList schedule={s} propertyName={propertyName} onProperty={null} />
        <dl class="summary">
          <dt>{t('loans.totalInterest')}</dt>
          <dd>{formatMoney(s.schedule.total_interest, cur)}</dd>
          <dt>{t('loans.totalInsurance')}</dt>
          <dd>{formatMoney(s.schedule.total_insurance, cur)}</dd>
          <dt>{t('loans.totalPaid')}</dt>
          <dd>{formatMoney(s.schedule.total_paid, cur)}</dd>
          <dt>{t('loans.endsOn')}</dt>
          <dd>{s.ends_on ? formatDate(s.ends_on) : '—'}</dd>
        </dl>
      </div>
      <ScheduleTable schedule={s} day={null} />
    </section>
  );
  return target ? createPortal(page, target) : null;
}

/** An early repayment: a date, an amount or everything, and what a partial one keeps. */
function RepaymentForm({ schedule: s, onCancel, onSaved }: { schedule: LoanSchedule; onCancel: () => void; onSaved: () => void }) {
  const cur = s.loan.currency;
  const [date, setDate] = useState(today());
  const [total, setTotal] = useState(false);
  const [amount, setAmount] = useState('');
  const [keep, setKeep] = useState<Keep>('payment');
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  const field = errorField(error);
  useUnsavedInput(useEdited({ date, total, amount, keep }));
  const parsed = parseDecimalInput(amount);
  const errs = {
    date: !isIsoDate(date) ? t('common.badDate') : null,
    amount: total ? null : amount.trim() === '' ? t('common.required') : parsed === null ? amountError(amount) : null,
  };
  const inFine = s.loan.terms.amortization === 'in_fine';
  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (errs.date || errs.amount) return;
    void run(() => ipc.addRepayment(s.loan.asset_id, { date, amount: total ? null : parsed, keep }), onSaved);
  };
  return (
    <Modal title={t('loans.repaymentTitle')} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <p class="muted">{t('loans.repaymentText', { amount: formatMoney(s.outstanding, cur) })}</p>
        <DateField label={t('common.date')} name="repayment-date" value={date} onValue={setDate} defaultHint={t('accounts.todayByDefault')}
          error={(submitted ? errs.date : null) ?? (field === 'date' ? errorMessage(error) : null)} />
        <Checkbox label={t('loans.repayAll')} name="repayment-total" checked={total} onChecked={setTotal} hint={t('loans.repayAllHint')} />
        {!total && (
          <MoneyField label={t('loans.repaymentAmount')} name="repayment-amount" currency={cur} value={amount} onValue={setAmount}
            error={(submitted ? errs.amount : null) ?? (field === 'amount' ? errorMessage(error) : null)} />
        )}
        {!total && !inFine && (
          <fieldset class="segmented">
            <legend>{t('loans.keeps')}</legend>
            {(['payment', 'term'] as Keep[]).map((k) => (
              <label key={k}>
                <input type="radio" name="repayment-keep" value={k} checked={keep === k} onChange={() => setKeep(k)} />
                {t(`loans.keep.${k}`)}
              </label>
            ))}
          </fieldset>
        )}
        {error && field !== 'date' && field !== 'amount' && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
