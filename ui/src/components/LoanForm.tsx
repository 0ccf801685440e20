//! A loan entered from its offer (create_loan / update_loan): name, account or held
//! directly, capital, nominal rate, duration (months, or years × 12), first payment,
//! monthly insurance, amortization, deferral, share borne, property financed and
//! currency. Only the format of what is typed is checked here; the core checks the
//! rules (1 to 600 months, a rate from 0 to 100 %…) and its errors show on their
//! fields. Once a new loan is saved, the core's schedule gives its monthly payment.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ipc, LIMITS, type Account, type Amortization, type Asset, type Deferral, type Institution, type Loan, type LoanSchedule,
} from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { decimalForInput, formatDate, formatMoney, formatPercent, parseDecimalInput } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { accountLabel } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { errorField } from '../lib/vault/errors';
import { amountError, DateField, MoneyField, SelectField, TextField } from './fields';
import { Modal } from './Modal';
import { ErrorBanner, Loading, errorMessage } from './feedback';
import { firstPayment, withInsurance, type LoanInput } from './loanSchedule';

const AMORTIZATIONS: Amortization[] = ['constant', 'in_fine'];
const DEFERRALS: Deferral[] = ['none', 'partial', 'total'];

interface Props {
  /** The loan whose terms are edited, or null for a new one. */
  item: Loan | null;
  /** The loan was written (the caller reloads what it shows). */
  onSaved: (assetId: number) => void;
  onClose: () => void;
}

interface Choices {
  institutions: Institution[];
  accounts: Account[];
  assets: Asset[];
}

/** The form, then, for a new loan, its monthly payment as the core's schedule gives it. */
export function LoanForm({ item, onSaved, onClose }: Props) {
  const choices = useLoad(() => Promise.all([ipc.listInstitutions(), ipc.listAccounts(), ipc.listAssets()])
    .then(([institutions, accounts, assets]): Choices => ({ institutions, accounts, assets })), []);
  const [created, setCreated] = useState<LoanSchedule | null>(null);
  const title = item ? t('loans.editTitle', { name: item.name }) : created ? t('loans.createdTitle') : t('loans.newTitle');
  return (
    <Modal title={title} onClose={onClose} wide={!created}>
      {choices.loading && !choices.data && <Loading />}
      <ErrorBanner error={choices.error} onRetry={choices.reload} />
      {created ? (
        <LoanCreated schedule={created} onClose={onClose} />
      ) : choices.data && (
        <LoanTermsForm item={item} choices={choices.data} onCancel={onClose}
          onSaved={async (id) => {
            onSaved(id);
            if (item) onClose();
            else setCreated(await ipc.loanSchedule(id, today()));
          }} />
      )}
    </Modal>
  );
}

/** The typed text of a whole number of months, or null. */
function wholeNumber(text: string): number | null {
  const s = text.trim();
  return /^\d{1,6}$/.test(s) ? Number(s) : null;
}

/** Months from a number of years typed ("25", "12,5"), when it is a whole number of months. */
function monthsOfYears(text: string): number | null {
  const y = parseDecimalInput(text);
  if (y === null || y.startsWith('-')) return null;
  const months = Number(y) * 12;
  const whole = Math.round(months);
  return Math.abs(months - whole) < 1e-9 && whole <= 99999 ? whole : null;
}

/** A rate typed with or without its "%" sign. */
function parseRate(text: string): string | null {
  return parseDecimalInput(text.replace(/%\s*$/, ''));
}

function LoanTermsForm({ item, choices, onCancel, onSaved }: {
  item: Loan | null; choices: Choices; onCancel: () => void; onSaved: (assetId: number) => Promise<void>;
}) {
  const { session } = useShell();
  const locale = getLocale();
  const coll = new Intl.Collator(locale, { sensitivity: 'base' });
  // Loan accounts first, then the others; a closed account only when it holds this loan.
  const accounts = choices.accounts
    .filter((a) => !a.closed_on || a.id === item?.account_id)
    .sort((a, b) => Number(b.kind === 'loan') - Number(a.kind === 'loan')
      || coll.compare(accountLabel(a, choices.institutions), accountLabel(b, choices.institutions)));
  const firstLoanAccount = accounts.find((a) => a.kind === 'loan');
  const terms = item?.terms;
  const [name, setName] = useState(item?.name ?? '');
  const [account, setAccount] = useState(item ? (item.account_id === null ? '' : String(item.account_id)) : String(firstLoanAccount?.id ?? ''));
  const currencyOf = (acc: string) => choices.accounts.find((a) => String(a.id) === acc)?.currency ?? session.base_currency;
  const [currency, setCurrency] = useState(item?.currency ?? currencyOf(account));
  const [principal, setPrincipal] = useState(terms ? decimalForInput(terms.principal) : '');
  const [rate, setRate] = useState(terms ? decimalForInput(terms.annual_rate) : '');
  const [months, setMonths] = useState(terms ? String(terms.months) : '');
  const [years, setYears] = useState(terms && terms.months % 12 === 0 ? String(terms.months / 12) : '');
  const [first, setFirst] = useState(terms?.first_payment ?? '');
  const [insurance, setInsurance] = useState(terms ? decimalForInput(terms.insurance) : '0');
  const [amortization, setAmortization] = useState<Amortization>(terms?.amortization ?? 'constant');
  const [deferral, setDeferral] = useState<Deferral>(terms?.deferral ?? 'none');
  const [deferralMonths, setDeferralMonths] = useState(terms && terms.deferral !== 'none' ? String(terms.deferral_months) : '');
  const [share, setShare] = useState(item ? decimalForInput(item.share_pct) : '100');
  const [linked, setLinked] = useState(item?.linked_asset_id ? String(item.linked_asset_id) : '');
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  const field = errorField(error);
  // The form comes once the lists are loaded, after the dialog took the focus: its first field takes it.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => formRef.current?.querySelector<HTMLInputElement>('input[name="loan-name"]')?.focus(), []);
  useUnsavedInput(useEdited({ name, account, currency, principal, rate, months, first, insurance, amortization, deferral, deferralMonths, share, linked }));

  const principalValue = parseDecimalInput(principal);
  const rateValue = parseRate(rate);
  const monthsValue = wholeNumber(months);
  const insuranceValue = insurance.trim() === '' ? '0' : parseDecimalInput(insurance);
  const deferralValue = deferral === 'none' ? 0 : wholeNumber(deferralMonths);
  const shareValue = parseDecimalInput(share.replace(/%\s*$/, ''));
  const errs: Record<string, string | null> = {
    name: name.trim() === '' ? t('common.required') : null,
    principal: principal.trim() === '' ? t('common.required') : principalValue === null ? amountError(principal) : null,
    annual_rate: rate.trim() === '' ? t('common.required') : rateValue === null ? amountError(rate) : null,
    months: months.trim() === '' ? t('common.required') : monthsValue === null ? t('loans.monthsWhole') : null,
    years: years.trim() !== '' && monthsOfYears(years) === null ? t('loans.yearsInvalid') : null,
    first_payment: first === '' ? t('common.required') : !isIsoDate(first) ? t('common.badDate') : null,
    insurance: insuranceValue === null ? amountError(insurance) : null,
    deferral_months: deferral !== 'none' && deferralValue === null
      ? (deferralMonths.trim() === '' ? t('common.required') : t('loans.monthsWhole')) : null,
    share_pct: share.trim() === '' ? t('common.required') : shareValue === null ? amountError(share) : null,
  };
  const fieldErr = (f: string) => (submitted ? errs[f] ?? null : null) ?? (field === f ? errorMessage(error) : null);

  const onYears = (text: string) => {
    setYears(text);
    const m = monthsOfYears(text);
    if (m !== null) setMonths(String(m));
  };
  const onMonths = (text: string) => {
    setMonths(text);
    const m = wholeNumber(text);
    setYears(m !== null && m % 12 === 0 ? String(m / 12) : '');
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errs).some(Boolean)) return;
    const input: LoanInput = {
      account_id: account === '' ? null : Number(account),
      name: name.trim(),
      currency,
      share_pct: shareValue!,
      terms: {
        principal: principalValue!,
        annual_rate: rateValue!,
        months: monthsValue!,
        first_payment: first,
        insurance: insuranceValue!,
        amortization,
        deferral,
        deferral_months: deferralValue!,
      },
      linked_asset_id: linked === '' ? null : Number(linked),
    };
    void run(async () => {
      if (item) await ipc.updateLoan(item.asset_id, input);
      await onSaved(item ? item.asset_id : await ipc.createLoan(input));
    }, () => undefined);
  };

  const currencies = COMMON_CURRENCIES.includes(currency as (typeof COMMON_CURRENCIES)[number]) ? COMMON_CURRENCIES : [currency, ...COMMON_CURRENCIES];
  // What a loan can finance: anything owned (not a debt), properties first; an archived
  // asset only when it is the one already linked.
  const property = (a: Asset) => a.class === 'real_estate' || a.class === 'scpi';
  const financeable = choices.assets
    .filter((a) => !a.liability && (!a.archived || String(a.id) === linked))
    .sort((a, b) => Number(property(b)) - Number(property(a)) || coll.compare(a.name, b.name));
  const known = new Set(['name', 'principal', 'annual_rate', 'months', 'first_payment', 'insurance', 'deferral_months', 'share_pct', 'currency', 'linked_asset_id']);

  return (
    <form onSubmit={submit} noValidate class="loan-form" data-testid="loan-form" ref={formRef}>
      <p class="muted">{t('loans.formIntro')}</p>
      <div class="form-row">
        <TextField label={t('common.name')} name="loan-name" value={name} onValue={setName} maxLength={LIMITS.item_name_max}
          error={fieldErr('name')} hint={t('loans.nameHint')} />
        <SelectField label={t('common.account')} name="loan-account" value={account}
          onValue={(v) => { setAccount(v); if (!item) setCurrency(currencyOf(v)); }}
          options={[
            ...accounts.map((a) => ({ value: String(a.id), label: accountLabel(a, choices.institutions) })),
            { value: '', label: t('assets.heldDirectly') },
          ]} />
      </div>
      <div class="form-row form-row--3">
        <MoneyField label={t('loans.principal')} name="loan-principal" currency={currency} value={principal} onValue={setPrincipal}
          error={fieldErr('principal')} />
        <TextField label={t('loans.rate')} name="loan-rate" inputMode="decimal" class="input--number" value={rate} onValue={setRate}
          error={fieldErr('annual_rate')} hint={t('loans.rateHint')} />
        <SelectField label={t('common.currency')} name="loan-currency" value={currency} onValue={setCurrency}
          error={fieldErr('currency')} options={currencies.map((c) => ({ value: c, label: c }))} />
      </div>
      <div class="form-row form-row--3">
        <TextField label={t('loans.years')} name="loan-years" inputMode="decimal" class="input--number" value={years} onValue={onYears}
          error={submitted ? errs.years : null} hint={t('loans.yearsHint')} />
        <TextField label={t('loans.months')} name="loan-months" inputMode="numeric" class="input--number" value={months} onValue={onMonths}
          error={fieldErr('months')} hint={t('loans.monthsHint')} />
        <DateField label={t('loans.firstPayment')} name="loan-first" value={first} onValue={setFirst} error={fieldErr('first_payment')} />
      </div>
      <div class="form-row form-row--3">
        <MoneyField label={t('loans.insurance')} name="loan-insurance" currency={currency} value={insurance} onValue={setInsurance}
          error={fieldErr('insurance')} hint={t('loans.insuranceHint')} />
        <SelectField label={t('loans.amortization')} name="loan-amortization" value={amortization}
          onValue={(v) => setAmortization(v as Amortization)}
          options={AMORTIZATIONS.map((a) => ({ value: a, label: t(`loans.amortization.${a}`) }))} />
        <TextField label={t('loans.share')} name="loan-share" inputMode="decimal" class="input--number" value={share} onValue={setShare}
          error={fieldErr('share_pct')} hint={t('loans.shareHint')} />
      </div>
      <div class="form-row form-row--3">
        <SelectField label={t('loans.deferral')} name="loan-deferral" value={deferral}
          onValue={(v) => { setDeferral(v as Deferral); if (v === 'none') setDeferralMonths(''); }}
          options={DEFERRALS.map((d) => ({ value: d, label: t(`loans.deferral.${d}`) }))} />
        {deferral !== 'none' && (
          <TextField label={t('loans.deferralMonths')} name="loan-deferral-months" inputMode="numeric" class="input--number"
            value={deferralMonths} onValue={setDeferralMonths} error={fieldErr('deferral_months')} />
        )}
      </div>
      <SelectField label={t('loans.property')} name="loan-property" value={linked} onValue={setLinked}
        error={fieldErr('linked_asset_id')} hint={t('loans.propertyHint')}
        options={[{ value: '', label: t('loans.noProperty') }, ...financeable.map((a) => ({ value: String(a.id), label: a.name }))]} />
      {error && !known.has(field ?? '') && <p class="field__error" role="alert">{errorMessage(error)}</p>}
      <div class="actions">
        <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" class="btn btn--primary" disabled={busy}>{item ? t('common.save') : t('loans.create')}</button>
      </div>
    </form>
  );
}

/** What the core computed for the new loan: its monthly payment, end and cost. */
function LoanCreated({ schedule: s, onClose }: { schedule: LoanSchedule; onClose: () => void }) {
  const { navigate } = useShell();
  const cur = s.loan.currency;
  const pay = firstPayment(s.schedule);
  const deferred = s.schedule.installments.find((l) => l.row === 'deferred');
  // The form that had the focus is gone: the way on takes it.
  const seeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => seeRef.current?.focus(), []);
  return (
    <div data-testid="loan-created">
      <p>{t('loans.createdText', { name: s.loan.name })}</p>
      <dl class="summary">
        {pay && (
          <>
            <dt>{t('loans.monthlyPayment')}</dt>
            <dd data-testid="created-payment">{formatMoney(pay.payment, cur)}</dd>
            <dt>{t('loans.monthlyWithInsurance')}</dt>
            <dd>{formatMoney(withInsurance(pay), cur)}</dd>
          </>
        )}
        {deferred && (
          <>
            <dt>{t('loans.duringDeferral', { count: s.loan.terms.deferral_months })}</dt>
            <dd>{formatMoney(withInsurance(deferred), cur)}</dd>
          </>
        )}
        <dt>{t('loans.nominalRate')}</dt>
        <dd>{formatPercent(s.loan.terms.annual_rate, undefined, { digits: 4 })}</dd>
        {s.ends_on && (
          <>
            <dt>{t('loans.endsOn')}</dt>
            <dd>{formatDate(s.ends_on)}</dd>
          </>
        )}
        <dt>{t('loans.totalInterest')}</dt>
        <dd>{formatMoney(s.schedule.total_interest, cur)}</dd>
        <dt>{t('loans.totalInsurance')}</dt>
        <dd>{formatMoney(s.schedule.total_insurance, cur)}</dd>
      </dl>
      <div class="actions">
        <button type="button" class="btn" onClick={onClose}>{t('common.close')}</button>
        <button type="button" class="btn btn--primary" ref={seeRef} onClick={() => { onClose(); navigate({ name: 'loan', id: s.loan.asset_id }); }}>
          {t('loans.seeSchedule')}
        </button>
      </div>
    </div>
  );
}
