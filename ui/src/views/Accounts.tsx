//! Institutions and accounts: a list grouped by institution, create/edit forms, closing
//! an account, and deletion (with the `in_use` second confirmation).
import { useState } from 'preact/hooks';
import {
  ACCOUNT_KINDS, INSTITUTION_KINDS, ipc, LIMITS, type Account, type AccountKind,
  type Institution, type InstitutionKind,
} from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { formatDate } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { groupAccounts } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { toast } from '../lib/shell/toast';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { errorField } from '../lib/vault/errors';
import { DateField, SelectField, TextField } from '../components/fields';
import { Modal } from '../components/Modal';
import { DeleteFlow, type DeleteTarget } from '../components/DeleteFlow';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ACTIONS, DeleteButton, EditButton, Table } from '../components/Table';

type Editing =
  | { kind: 'institution'; item: Institution | null }
  | { kind: 'account'; item: Account | null; institutionId: number | null }
  | { kind: 'close'; item: Account };

export function Accounts() {
  const { session } = useShell();
  const data = useLoad(() => Promise.all([ipc.listInstitutions(), ipc.listAccounts()]), []);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);

  const header = (
    <header class="page__header">
      <h1>{t('nav.accounts')}</h1>
      <div class="page__actions">
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

  const [institutions, accounts] = data.data ?? [[], []];
  const groups = groupAccounts(institutions, accounts, getLocale());

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
                t('common.name'), t('accounts.kind'), t('common.currency'), t('accounts.opened'), t('accounts.closed'),
                ACTIONS,
              ]}
            >
              {accs.map((a) => (
                <tr key={a.id} class={a.closed_on ? 'row--muted' : ''}>
                  <td>{a.name}</td>
                  <td>{t(`accountKind.${a.kind}`)}</td>
                  <td>{a.currency}</td>
                  <td class="nowrap">{a.opened_on ? formatDate(a.opened_on) : '—'}</td>
                  <td class="nowrap">{a.closed_on ? formatDate(a.closed_on) : '—'}</td>
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
      {editing?.kind === 'close' && (
        <CloseAccountForm item={editing.item} onCancel={() => setEditing(null)} onSaved={() => saved(t('accounts.closedToast'))} />
      )}
      {deleting && (
        <DeleteFlow target={deleting} onCancel={() => setDeleting(null)}
          onDone={() => { setDeleting(null); toast(t('common.deleted')); data.reload(); }} />
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
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  const field = errorField(error);
  useUnsavedInput(useEdited({ inst, name, kind, currency, opened, closed }));

  const errs: Record<string, string | null> = {
    name: submitted && name.trim() === '' ? t('common.required') : null,
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
    const input = {
      institution_id: Number(inst), name: name.trim(), kind, currency,
      opened_on: opened || null, closed_on: closed || null,
    };
    void run(() => (item ? ipc.updateAccount(item.id, input) : ipc.createAccount(input)), onSaved);
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
        <div class="form-row">
          <DateField label={t('accounts.opened')} name="account-opened" value={opened} onValue={setOpened} error={fieldErr('opened_on')} />
          <DateField label={t('accounts.closed')} name="account-closed" value={closed} onValue={setClosed} error={fieldErr('closed_on')} />
        </div>
        {error && !['name', 'currency', 'opened_on', 'closed_on'].includes(field ?? '') && <p class="field__error" role="alert">{errorMessage(error)}</p>}
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
