//! Institutions and accounts: a list grouped by institution with each account's value and
//! each institution's total, an account's own balance set directly (the core keeps it
//! in an asset it makes for the account), create/edit forms (with the opening balance),
//! closing an account, and deletion (with the `in_use` second confirmation).
import { useState } from 'preact/hooks';
import {
  ACCOUNT_KINDS, INSTITUTION_KINDS, ipc, LIMITS, type Account, type AccountBalance, type AccountKind,
  type AccountsOverview, type Institution, type InstitutionKind,
} from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { negate } from '../lib/decimal';
import { formatDate, formatMoney, parseDecimalInput } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { groupAccounts } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { toast } from '../lib/shell/toast';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { errorField } from '../lib/vault/errors';
import { amountError, DateField, MoneyField, SelectField, TextField } from '../components/fields';
import { Modal } from '../components/Modal';
import { FarOffConfirm, farFrom } from '../components/FarOff';
import { DeleteFlow, type DeleteTarget } from '../components/DeleteFlow';
import { LoanForm } from '../components/LoanForm';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ACTIONS, DeleteButton, EditButton, num, Table } from '../components/Table';

type Editing =
  | { kind: 'institution'; item: Institution | null }
  | { kind: 'account'; item: Account | null; institutionId: number | null }
  | { kind: 'close'; item: Account }
  | { kind: 'balance'; item: Account; current: AccountBalance | null };

export function Accounts() {
  const { session, navigate } = useShell();
  const day = today();
  const data = useLoad(() => Promise.all([ipc.listInstitutions(), ipc.listAccounts(), ipc.accountsOverview(day)]), [day]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  // A loan entered from its offer: its outstanding capital comes from its schedule.
  const [loanForm, setLoanForm] = useState(false);

  const header = (
    <header class="page__header">
      <h1>{t('nav.accounts')}</h1>
      <div class="page__actions">
        <button type="button" class="btn" data-action="loan-from-offer" onClick={() => setLoanForm(true)}>{t('loans.fromOffer')}</button>
        <button type="button" class="btn" onClick={() => setEditing({ kind: 'institution', item: null })}>
          {t('accounts.addInstitution')}
        </button>
        <button type="button" class="btn btn--primary" disabled={!data.data || data.data[0].length === 0}
          onClick={() => setEditing({ kind: 'account', item: null, institutionId: null })}>
          {t('accounts.addAccount')}
        </button>
      </div>
    </header>
  );

  const saved = (msg: string) => {
    setEditing(null);
    toast(msg);
    data.reload();
  };

  const [institutions, accounts, overview] = data.data ?? [[], [], null];
  const groups = groupAccounts(institutions, accounts, getLocale());
  const balanceOf = (id: number) => overview?.accounts.find((b) => b.account_id === id) ?? null;
  const totalOf = (id: number) => overview?.institutions.find((i) => i.institution_id === id)?.value ?? null;

  return (
    <div class="page">
      {header}
      {data.loading && !data.data && <Loading />}
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {data.data && institutions.length === 0 && (
        <EmptyState title={t('accounts.emptyTitle')} text={t('accounts.emptyText')}>
          <button type="button" class="btn btn--primary" onClick={() => setEditing({ kind: 'institution', item: null })}>
            {t('accounts.addInstitution')}
          </button>
        </EmptyState>
      )}
      {groups.map(({ institution, accounts: accs }) => (
        <section key={institution.id} class="card" aria-labelledby={`inst-${institution.id}`}>
          <div class="card__head">
            <div>
              <h2 id={`inst-${institution.id}`} class="card__title">{institution.name}</h2>
              <span class="tag">{t(`institutionKind.${institution.kind}`)}</span>
              {institution.notes && <p class="muted">{institution.notes}</p>}
            </div>
            {overview && accs.length > 0 && (
              <p class="inst-total" data-testid={`institution-total-${institution.id}`}>
                <span class="muted">{t('accounts.institutionTotal')}</span>{' '}
                <strong>{formatMoney(totalOf(institution.id) ?? '0', overview.currency)}</strong>
              </p>
            )}
            <div class="row-actions">
              <button type="button" class="btn btn--small" onClick={() => setEditing({ kind: 'account', item: null, institutionId: institution.id })}>
                {t('accounts.addAccountHere')}
              </button>
              <EditButton onClick={() => setEditing({ kind: 'institution', item: institution })} />
              <DeleteButton onClick={() => setDeleting({ what: t('accounts.theInstitution', { name: institution.name }), run: (force) => ipc.deleteInstitution(institution.id, force) })} />
            </div>
          </div>
          {accs.length === 0 ? (
            <p class="muted">{t('accounts.noAccounts')}</p>
          ) : (
            <Table
              columns={[
                t('common.name'), t('accounts.kind'), t('common.currency'), num(t('accounts.value')), t('accounts.dates'),
                ACTIONS,
              ]}
            >
              {accs.map((a) => (
                <tr key={a.id} class={a.closed_on ? 'row--muted' : ''}>
                  <td>
                    <button type="button" class="btn btn--link" data-action="open-account" title={t('accountDetail.openAccount', { name: a.name })}
                      onClick={() => navigate({ name: 'account', id: a.id })}>{a.name}</button>
                  </td>
                  <td>{t(`accountKind.${a.kind}`)}</td>
                  <td>{a.currency}</td>
                  {/* An account with activities has its cash from them: no typed balance. */}
                  <AccountValueCell account={a} balance={balanceOf(a.id)} overview={overview}
                    onSet={a.closed_on || (balanceOf(a.id)?.activities ?? 0) > 0 ? null : () => setEditing({ kind: 'balance', item: a, current: balanceOf(a.id) })} />
                  <td class="small">
                    {!a.opened_on && !a.closed_on && '—'}
                    {a.opened_on && <span class="nowrap">{t('accounts.openedOn', { date: formatDate(a.opened_on) })}</span>}
                    {a.opened_on && a.closed_on && <br />}
                    {a.closed_on && <span class="nowrap">{t('accounts.closedOnDate', { date: formatDate(a.closed_on) })}</span>}
                  </td>
                  <td class="row-actions">
                    <EditButton onClick={() => setEditing({ kind: 'account', item: a, institutionId: a.institution_id })} />
                    {!a.closed_on && (
                      <button type="button" class="btn btn--small" onClick={() => setEditing({ kind: 'close', item: a })}>
                        {t('accounts.close')}
                      </button>
                    )}
                    <DeleteButton onClick={() => setDeleting({ what: t('accounts.theAccount', { name: a.name }), run: (force) => ipc.deleteAccount(a.id, force) })} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      ))}

      {editing?.kind === 'institution' && (
        <InstitutionForm item={editing.item} onCancel={() => setEditing(null)} onSaved={() => saved(t('common.saved'))} />
      )}
      {editing?.kind === 'account' && (
        <AccountForm item={editing.item} institutionId={editing.institutionId} institutions={institutions}
          baseCurrency={session.base_currency} onCancel={() => setEditing(null)} onSaved={() => saved(t('common.saved'))} />
      )}
      {editing?.kind === 'balance' && (
        <BalanceForm item={editing.item} current={editing.current} onCancel={() => setEditing(null)} onSaved={() => saved(t('accounts.balanceSaved'))} />
      )}
      {editing?.kind === 'close' && (
        <CloseAccountForm item={editing.item} onCancel={() => setEditing(null)} onSaved={() => saved(t('accounts.closedToast'))} />
      )}
      {deleting && (
        <DeleteFlow target={deleting} onCancel={() => setDeleting(null)}
          onDone={() => { setDeleting(null); toast(t('common.deleted')); data.reload(); }} />
      )}
      {loanForm && (
        <LoanForm item={null} onClose={() => setLoanForm(false)} onSaved={() => { toast(t('common.saved')); data.reload(); }} />
      )}
    </div>
  );
}

function InstitutionForm({ item, onCancel, onSaved }: { item: Institution | null; onCancel: () => void; onSaved: () => void }) {
  const [name, setName] = useState(item?.name ?? '');
  const [kind, setKind] = useState<InstitutionKind>(item?.kind ?? 'bank');
  const [notes, setNotes] = useState(item?.notes ?? '');
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  const field = errorField(error);
  useUnsavedInput(useEdited({ name, kind, notes }));

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (name.trim() === '') return;
    const input = { name: name.trim(), kind, notes };
    void run(() => (item ? ipc.updateInstitution(item.id, input) : ipc.createInstitution(input)), onSaved);
  };

  return (
    <Modal title={item ? t('accounts.editInstitution') : t('accounts.newInstitution')} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <TextField label={t('common.name')} name="institution-name" value={name} onValue={setName} maxLength={LIMITS.item_name_max}
          error={submitted && name.trim() === '' ? t('common.required') : field === 'name' ? errorMessage(error) : null} />
        <SelectField label={t('accounts.institutionKind')} name="institution-kind" value={kind} onValue={(v) => setKind(v as InstitutionKind)}
          options={INSTITUTION_KINDS.map((k) => ({ value: k, label: t(`institutionKind.${k}`) }))} />
        <TextField label={t('accounts.notes')} name="institution-notes" value={notes} onValue={setNotes}
          error={field === 'notes' ? errorMessage(error) : null} />
        {error && field !== 'name' && field !== 'notes' && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

interface AccountFormProps {
  item: Account | null;
  institutionId: number | null;
  institutions: Institution[];
  baseCurrency: string;
  onCancel: () => void;
  onSaved: () => void;
}

function AccountForm({ item, institutionId, institutions, baseCurrency, onCancel, onSaved }: AccountFormProps) {
  const [inst, setInst] = useState(String(item?.institution_id ?? institutionId ?? institutions[0]?.id ?? ''));
  const [name, setName] = useState(item?.name ?? '');
  const [kind, setKind] = useState<AccountKind>(item?.kind ?? 'current');
  const [currency, setCurrency] = useState(item?.currency ?? baseCurrency);
  const [opened, setOpened] = useState(item?.opened_on ?? '');
  const [closed, setClosed] = useState(item?.closed_on ?? '');
  const [opening, setOpening] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  const field = errorField(error);
  useUnsavedInput(useEdited({ inst, name, kind, currency, opened, closed, opening }));
  const openingAmount = opening.trim() === '' ? null : parseDecimalInput(opening);

  const errs: Record<string, string | null> = {
    name: submitted && name.trim() === '' ? t('common.required') : null,
    amount: submitted && opening.trim() !== '' && openingAmount === null ? amountError(opening) : null,
    opened_on: submitted && opened !== '' && !isIsoDate(opened) ? t('common.badDate') : null,
    closed_on: submitted && closed !== '' && !isIsoDate(closed) ? t('common.badDate')
      : submitted && closed !== '' && opened !== '' && closed < opened ? t('accounts.closedBeforeOpened') : null,
  };
  const fieldErr = (f: string) => errs[f] ?? (field === f ? errorMessage(error) : null);
  const currencies = COMMON_CURRENCIES.includes(currency as (typeof COMMON_CURRENCIES)[number]) ? COMMON_CURRENCIES : [currency, ...COMMON_CURRENCIES];

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (name.trim() === '' || (opened !== '' && !isIsoDate(opened)) || (closed !== '' && !isIsoDate(closed)) || (closed !== '' && opened !== '' && closed < opened)) return;
    if (!item && opening.trim() !== '' && openingAmount === null) return;
    const input = {
      institution_id: Number(inst), name: name.trim(), kind, currency,
      opened_on: opened || null, closed_on: closed || null,
    };
    void run(async () => {
      if (item) return ipc.updateAccount(item.id, input);
      const id = await ipc.createAccount(input);
      // The balance typed with the account: the core keeps it in an asset it makes.
      if (openingAmount !== null) await ipc.setAccountBalance(id, today(), openingAmount);
      return id;
    }, onSaved);
  };

  return (
    <Modal title={item ? t('accounts.editAccount') : t('accounts.newAccount')} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <SelectField label={t('accounts.institution')} name="account-institution" value={inst} onValue={setInst}
          options={institutions.map((i) => ({ value: String(i.id), label: i.name }))} />
        <TextField label={t('common.name')} name="account-name" value={name} onValue={setName} maxLength={LIMITS.item_name_max} error={fieldErr('name')} />
        <div class="form-row">
          <SelectField label={t('accounts.kind')} name="account-kind" value={kind} onValue={(v) => setKind(v as AccountKind)}
            options={ACCOUNT_KINDS.map((k) => ({ value: k, label: t(`accountKind.${k}`) }))} />
          <SelectField label={t('common.currency')} name="account-currency" value={currency} onValue={setCurrency}
            error={field === 'currency' ? errorMessage(error) : null}
            options={currencies.map((c) => ({ value: c, label: c }))} />
        </div>
        {!item && (
          <MoneyField label={kind === 'loan' ? t('accounts.openingOutstanding') : t('accounts.openingBalance')} name="account-balance"
            currency={currency} value={opening} onValue={setOpening} hint={t('accounts.openingBalanceHint')} error={fieldErr('amount')} />
        )}
        <div class="form-row">
          <DateField label={t('accounts.opened')} name="account-opened" value={opened} onValue={setOpened} error={fieldErr('opened_on')} />
          <DateField label={t('accounts.closed')} name="account-closed" value={closed} onValue={setClosed} error={fieldErr('closed_on')} />
        </div>
        {error && !['name', 'currency', 'opened_on', 'closed_on', 'amount'].includes(field ?? '') && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

function CloseAccountForm({ item, onCancel, onSaved }: { item: Account; onCancel: () => void; onSaved: () => void }) {
  const [date, setDate] = useState(today());
  const { busy, error, run } = useSaving();
  useUnsavedInput(useEdited(date));
  const bad = !isIsoDate(date) || (item.opened_on !== null && date < item.opened_on);
  const submit = (e: Event) => {
    e.preventDefault();
    if (bad) return;
    const { id, ...rest } = item;
    void run(() => ipc.updateAccount(id, { ...rest, closed_on: date }), onSaved);
  };
  return (
    <Modal title={t('accounts.closeTitle', { name: item.name })} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <p>{t('accounts.closeText')}</p>
        <DateField label={t('accounts.closedOn')} name="close-date" value={date} onValue={setDate}
          error={bad ? t('common.badDate') : error ? errorMessage(error) : null} />
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy || bad}>{t('accounts.close')}</button>
        </div>
      </form>
    </Modal>
  );
}

/** An account's value on the page's date: its own balance when that is all it holds
 *  (in its currency), else the value of everything it holds (base currency), with the
 *  date of its latest value. */
function AccountValueCell({ account, balance, overview, onSet }: {
  account: Account; balance: AccountBalance | null; overview: AccountsOverview | null; onSet: (() => void) | null;
}) {
  const set = onSet && (
    <button type="button" class="btn btn--link btn--small" data-action="balance" onClick={onSet}>
      {account.kind === 'loan' ? t('accounts.setOutstanding') : t('accounts.setBalance')}
    </button>
  );
  if (!overview || !balance || balance.last_date === null) {
    return <td class="num" data-col="value"><span class="muted">—</span>{set && <><br />{set}</>}</td>;
  }
  const onlyBalance = balance.balance !== null && balance.holdings === 1;
  // A loan's balance is what is owed: it counts against the net worth, as in the total.
  const own = onlyBalance && account.kind === 'loan' ? negate(balance.balance!) : balance.balance;
  const shown = onlyBalance ? formatMoney(own!, account.currency) : formatMoney(balance.value, overview.currency);
  return (
    <td class="num" data-col="value">
      <span class="nowrap">{shown}</span>
      <br />
      <span class="muted small">{t('accounts.valueOn', { date: formatDate(balance.last_date) })}</span>
      {set && <><br />{set}</>}
    </td>
  );
}

/** Sets the account's own balance on a date (today by default). */
function BalanceForm({ item, current, onCancel, onSaved }: { item: Account; current: AccountBalance | null; onCancel: () => void; onSaved: () => void }) {
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(today());
  const [submitted, setSubmitted] = useState(false);
  const [askFar, setAskFar] = useState(false);
  const { busy, error, run } = useSaving();
  useUnsavedInput(useEdited({ amount, date }));
  const field = errorField(error);
  const parsed = parseDecimalInput(amount);
  const previous = current?.balance != null && current.balance_date ? { value: current.balance, date: current.balance_date } : null;
  const amountErr = submitted && (amount.trim() === '' ? t('common.required') : parsed === null ? amountError(amount) : null);
  const dateErr = submitted && !isIsoDate(date) ? t('common.badDate') : null;
  const loan = item.kind === 'loan';
  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (parsed === null || !isIsoDate(date)) return;
    if (previous && farFrom(parsed, previous.value)) {
      setAskFar(true);
      return;
    }
    save();
  };
  const save = () => void run(() => ipc.setAccountBalance(item.id, date, parsed!), onSaved);
  return (
    <Modal title={t(loan ? 'accounts.outstandingTitle' : 'accounts.balanceTitle', { name: item.name })} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <p class="muted">{t(loan ? 'accounts.outstandingText' : 'accounts.balanceText')}</p>
        {current?.balance != null && current.balance_date && (
          <p>{t('accounts.lastBalance', { amount: formatMoney(current.balance, item.currency), date: formatDate(current.balance_date) })}</p>
        )}
        <MoneyField label={loan ? t('accounts.outstanding') : t('accounts.balance')} name="balance-amount" currency={item.currency}
          value={amount} onValue={(x) => { setAskFar(false); setAmount(x); }}
          error={amountErr || (field === 'amount' ? errorMessage(error) : null)} autoFocus />
        <DateField label={t('common.date')} name="balance-date" value={date} onValue={setDate} defaultHint={t('accounts.todayByDefault')}
          error={dateErr || (field === 'date' ? errorMessage(error) : null)} />
        {error && field !== 'amount' && field !== 'date' && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        {askFar && previous && parsed !== null && (
          <FarOffConfirm previous={previous} next={parsed} currency={item.currency} onFix={() => setAskFar(false)} onSave={save} />
        )}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          {!askFar && <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>}
        </div>
      </form>
    </Modal>
  );
}
