//! Cash flows per account: contributions (positive) and withdrawals (negative), entered
//! as a type and a positive amount.
import { useState } from 'preact/hooks';
import { ipc, type Account, type CashFlow, type Institution } from '../lib/ipc';
import { abs, negate, sign } from '../lib/decimal';
import { isIsoDate, today } from '../lib/dates';
import { decimalForInput, formatDate, formatMoneyChange, parseDecimalInput } from '../lib/format';
import { t } from '../lib/i18n';
import { accountLabel } from '../lib/portfolio';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { toast } from '../lib/shell/toast';
import { amountError, DateField, MoneyField, SelectField, TextField } from '../components/fields';
import { ConfirmDialog, Modal } from '../components/Modal';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ACTIONS, DeleteButton, EditButton, num, Table } from '../components/Table';

export function CashFlows() {
  const base = useLoad(() => Promise.all([ipc.listInstitutions(), ipc.listAccounts()]), []);
  const [accountId, setAccountId] = useState('');
  const flows = useLoad(() => ipc.listCashFlows(accountId === '' ? undefined : Number(accountId)), [accountId]);
  const [editing, setEditing] = useState<CashFlow | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CashFlow | null>(null);
  const del = useSaving();

  const [institutions, accounts] = base.data ?? [[], []];
  const label = (id: number) => {
    const a = accounts.find((x) => x.id === id);
    return a ? accountLabel(a, institutions) : '—';
  };
  const currencyOf = (id: number) => accounts.find((x) => x.id === id)?.currency ?? 'EUR';
  const list = [...(flows.data ?? [])].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id));

  return (
    <div class="page">
      <header class="page__header">
        <h1>{t('nav.cashflows')}</h1>
        <div class="page__actions">
          <button type="button" class="btn btn--primary" disabled={accounts.length === 0} onClick={() => setEditing('new')}>
            {t('flows.add')}
          </button>
        </div>
      </header>
      <p class="muted">{t('flows.intro')}</p>
      {base.loading && !base.data && <Loading />}
      <ErrorBanner error={base.error ?? flows.error} onRetry={() => { base.reload(); flows.reload(); }} />
      {base.data && accounts.length === 0 && <EmptyState title={t('flows.noAccounts')} text={t('flows.noAccountsText')} />}
      {base.data && accounts.length > 0 && (
        <>
          <div class="filters">
            <SelectField label={t('common.account')} name="flows-account" value={accountId} onValue={setAccountId}
              options={[{ value: '', label: t('common.all') }, ...accounts.map((a) => ({ value: String(a.id), label: accountLabel(a, institutions) }))]} />
          </div>
          {flows.loading && !flows.data && <Loading />}
          {flows.data && list.length === 0 && <EmptyState title={t('flows.none')} />}
          {list.length > 0 && (
            <div class="card card--flush">
              <Table
                columns={[
                  t('common.date'), t('common.account'), t('flows.type'), num(t('flows.amount')), t('flows.note'),
                  ACTIONS,
                ]}
              >
                {list.map((f) => (
                  <tr key={f.id}>
                    <td class="nowrap">{formatDate(f.date)}</td>
                    <td>{label(f.account_id)}</td>
                    <td>{sign(f.amount) < 0 ? t('flows.withdrawal') : t('flows.contribution')}</td>
                    <td class={`num ${sign(f.amount) < 0 ? 'is-down' : 'is-up'}`}>{formatMoneyChange(f.amount, currencyOf(f.account_id))}</td>
                    <td>{f.note}</td>
                    <td class="row-actions">
                      <EditButton onClick={() => setEditing(f)} />
                      <DeleteButton onClick={() => setDeleting(f)} />
                    </td>
                  </tr>
                ))}
              </Table>
            </div>
          )}
        </>
      )}
      {editing && (
        <CashFlowForm item={editing === 'new' ? null : editing} accounts={accounts} institutions={institutions}
          defaultAccount={accountId} onCancel={() => setEditing(null)}
          onSaved={() => { setEditing(null); toast(t('common.saved')); flows.reload(); }} />
      )}
      {deleting && (
        <ConfirmDialog title={t('flows.deleteTitle')} danger busy={del.busy} confirmLabel={t('common.delete')}
          message={<p>{t('flows.deleteText', { date: formatDate(deleting.date), amount: formatMoneyChange(deleting.amount, currencyOf(deleting.account_id)) })}</p>}
          error={del.error ? errorMessage(del.error) : null} onCancel={() => setDeleting(null)}
          onConfirm={() => void del.run(() => ipc.deleteCashFlow(deleting.id), () => { setDeleting(null); toast(t('common.deleted')); flows.reload(); })} />
      )}
    </div>
  );
}

interface FormProps {
  item: CashFlow | null;
  accounts: Account[];
  institutions: Institution[];
  defaultAccount: string;
  onCancel: () => void;
  onSaved: () => void;
}

function CashFlowForm({ item, accounts, institutions, defaultAccount, onCancel, onSaved }: FormProps) {
  const [account, setAccount] = useState(String(item?.account_id ?? (defaultAccount || accounts[0]?.id || '')));
  const [type, setType] = useState<'in' | 'out'>(item && sign(item.amount) < 0 ? 'out' : 'in');
  const [date, setDate] = useState(item?.date ?? today());
  const [amount, setAmount] = useState(item ? decimalForInput(abs(item.amount)) : '');
  const [note, setNote] = useState(item?.note ?? '');
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  useUnsavedInput(useEdited({ account, type, date, amount, note }));
  const parsed = parseDecimalInput(amount);
  const currency = accounts.find((a) => String(a.id) === account)?.currency;

  const errs = {
    date: !isIsoDate(date) ? t('common.badDate') : null,
    amount: amount.trim() === '' ? t('common.required') : parsed === null ? amountError(amount)
      : sign(parsed) <= 0 ? t('flows.positive') : null,
  };
  const field = error?.detailString('field');

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (errs.date || errs.amount) return;
    const input = { account_id: Number(account), date, amount: type === 'out' ? negate(parsed!) : parsed!, note };
    void run(() => (item ? ipc.updateCashFlow(item.id, input) : ipc.addCashFlow(input)), onSaved);
  };

  return (
    <Modal title={item ? t('flows.editTitle') : t('flows.addTitle')} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <SelectField label={t('common.account')} name="flow-account" value={account} onValue={setAccount}
          options={accounts.map((a) => ({ value: String(a.id), label: accountLabel(a, institutions) }))} />
        <div class="form-row">
          <SelectField label={t('flows.type')} name="flow-type" value={type} onValue={(v) => setType(v as 'in' | 'out')}
            options={[{ value: 'in', label: t('flows.contribution') }, { value: 'out', label: t('flows.withdrawal') }]} />
          <DateField label={t('common.date')} name="flow-date" value={date} onValue={setDate} error={submitted ? errs.date : null} />
        </div>
        <MoneyField label={t('flows.amount')} currency={currency} name="flow-amount" value={amount} onValue={setAmount}
          hint={t('flows.amountHint')}
          error={(submitted ? errs.amount : null) ?? (field === 'amount' ? errorMessage(error) : null)} />
        <TextField label={t('flows.note')} name="flow-note" value={note} onValue={setNote} maxLength={200} />
        {error && field !== 'amount' && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
