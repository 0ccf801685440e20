//! Loans held with their terms: each with its account, capital borrowed, rate, next
//! monthly payment, outstanding capital today and end date (all from the core's
//! schedule), and the form that enters a new one from its offer.
import { useState } from 'preact/hooks';
import { ipc, type LoanSchedule } from '../lib/ipc';
import { today } from '../lib/dates';
import { formatDate, formatMoney, formatPercent } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { accountLabel } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { toast } from '../lib/shell/toast';
import { LoanForm } from '../components/LoanForm';
import { nextPayment, withInsurance } from '../components/loanSchedule';
import { EmptyState, ErrorBanner, Loading } from '../components/feedback';
import { num, Table } from '../components/Table';
import './loans.css';

export function Loans() {
  const { navigate } = useShell();
  const day = today();
  const data = useLoad(async () => {
    const [loans, accounts, institutions, assets] = await Promise.all([
      ipc.listLoans(), ipc.listAccounts(), ipc.listInstitutions(), ipc.listAssets(),
    ]);
    const schedules: LoanSchedule[] = await Promise.all(loans.map((l) => ipc.loanSchedule(l.asset_id, day)));
    return { schedules, accounts, institutions, assets };
  }, [day]);
  const [creating, setCreating] = useState(false);
  const d = data.data;
  const coll = new Intl.Collator(getLocale(), { sensitivity: 'base' });
  const rows = d ? [...d.schedules].sort((a, b) => coll.compare(a.loan.name, b.loan.name)) : [];
  const add = (
    <button type="button" class="btn btn--primary" onClick={() => setCreating(true)}>{t('loans.fromOffer')}</button>
  );

  return (
    <div class="page">
      <header class="page__header">
        <div>
          <h1>{t('nav.loans')}</h1>
          <p class="muted">{t('loans.intro')}</p>
        </div>
        <div class="page__actions">{add}</div>
      </header>
      {data.loading && !d && <Loading />}
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {d && rows.length === 0 && (
        <EmptyState title={t('loans.emptyTitle')} text={t('loans.emptyText')}>{add}</EmptyState>
      )}
      {d && rows.length > 0 && (
        <div class="card card--flush loans-table">
          <Table
            columns={[
              t('common.name'), num(t('loans.col.capital')), num(t('loans.nextPayment')), num(t('loans.outstandingToday')),
              t('loans.col.ends'),
            ]}
          >
            {rows.map((s) => {
              const l = s.loan;
              const acc = d.accounts.find((a) => a.id === l.account_id);
              const property = d.assets.find((a) => a.id === l.linked_asset_id);
              const next = nextPayment(s.schedule, day);
              return (
                <tr key={l.asset_id} data-loan={l.asset_id}>
                  <td>
                    <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'loan', id: l.asset_id })}>{l.name}</button>
                    {l.share_pct !== '100' && <span class="tag">{t('assets.shareShort', { pct: formatPercent(l.share_pct) })}</span>}
                    <span class="muted small loan-property">{acc ? accountLabel(acc, d.institutions) : t('assets.heldDirectly')}</span>
                    {property && <span class="muted small loan-property">{t('loans.finances', { name: property.name })}</span>}
                  </td>
                  <td class="num">
                    <span class="nowrap">{formatMoney(l.terms.principal, l.currency)}</span>
                    <br /><span class="muted small nowrap">{t('loans.rateOver', {
                      rate: formatPercent(l.terms.annual_rate, undefined, { digits: 4 }), months: t('loans.monthCount', { count: l.terms.months }),
                    })}</span>
                  </td>
                  <td class="num" data-col="next">
                    {next ? (
                      <>
                        <span class="nowrap">{formatMoney(withInsurance(next), l.currency)}</span>
                        <br /><span class="muted small nowrap">{formatDate(next.date)}</span>
                      </>
                    ) : <span class="muted">{t('loans.repaid')}</span>}
                  </td>
                  <td class="num" data-col="outstanding">{formatMoney(s.outstanding, l.currency)}</td>
                  <td class="nowrap">{s.ends_on ? formatDate(s.ends_on) : '—'}</td>
                </tr>
              );
            })}
          </Table>
        </div>
      )}
      {creating && (
        <LoanForm item={null} onClose={() => setCreating(false)}
          onSaved={() => { toast(t('common.saved')); data.reload(); }} />
      )}
    </div>
  );
}
