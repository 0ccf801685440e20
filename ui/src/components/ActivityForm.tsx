//! The forms of an account's activities: one activity (its fields follow its type), and
//! an opening position ("I already hold these": units and average cost on a date).
//! Every refusal of the core is shown on its field, and nothing typed is lost.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ipc, type Account, type Activity, type ActivityKind, type AppError, type Input, type Instrument } from '../lib/ipc';
import { ACTIVITY_KINDS } from '../lib/ipc/generated/constants';
import { compare } from '../lib/decimal';
import { isIsoDate, today } from '../lib/dates';
import { decimalForInput, parseDecimalInput } from '../lib/format';
import { t } from '../lib/i18n';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { errorField } from '../lib/vault/errors';
import { amountError, DateField, MoneyField, SelectField, TextField } from './fields';
import { Modal } from './Modal';
import { errorMessage } from './feedback';
import { InstrumentPicker, useInstrumentPick } from './InstrumentPicker';

/** Kinds that move money typed in the account's currency. */
const CASH_KINDS: readonly ActivityKind[] = ['deposit', 'withdrawal', 'dividend', 'interest', 'fee'];
const NEEDS_INSTRUMENT: readonly ActivityKind[] = ['buy', 'sell', 'transfer_in', 'transfer_out', 'split'];
const WITH_UNITS: readonly ActivityKind[] = ['buy', 'sell', 'transfer_in', 'transfer_out', 'split'];
const WITH_PRICE: readonly ActivityKind[] = ['buy', 'sell', 'transfer_in'];
const TRADES: readonly ActivityKind[] = ['buy', 'sell'];

/** The form field a refusal of the core concerns (the activity's own names). */
function activityField(err: AppError | null): string | null {
  const f = errorField(err);
  if (f === 'price') return 'unit_price';
  if (f === 'instrument_id') return 'instrument';
  return f;
}

/** After a refused submit, the focus goes to the first field in error. */
function useFocusFirstError(attempt: number) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (attempt === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
  return form;
}

const text = (v: string | null | undefined) => (v ? decimalForInput(v) : '');

interface ActivityFormProps {
  account: Account;
  instruments: Instrument[];
  item: Activity | null;
  onCancel: () => void;
  onSaved: () => void;
}

export function ActivityForm({ account, instruments, item, onCancel, onSaved }: ActivityFormProps) {
  const [kind, setKind] = useState<ActivityKind>(item?.kind ?? 'deposit');
  const [date, setDate] = useState(item?.date ?? today());
  const pick = useInstrumentPick(instruments, item?.instrument_id ?? null, account.currency);
  const [quantity, setQuantity] = useState(text(item?.quantity));
  const [price, setPrice] = useState(text(item?.unit_price));
  const [fees, setFees] = useState(item && item.fees !== '0' ? text(item.fees) : '');
  const [amount, setAmount] = useState(text(item?.amount));
  const [note, setNote] = useState(item?.note ?? '');
  const [submitted, setSubmitted] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useSaving();
  useUnsavedInput(useEdited({ kind, date, pick: pick.state, quantity, price, fees, amount, note }));
  const form = useFocusFirstError(attempt);

  const cashKind = CASH_KINDS.includes(kind);
  const trade = TRADES.includes(kind);
  const withUnits = WITH_UNITS.includes(kind);
  const withPrice = WITH_PRICE.includes(kind);
  const needsInstrument = NEEDS_INSTRUMENT.includes(kind);
  const withInstrument = needsInstrument || kind === 'dividend';
  const instCurrency = withInstrument ? pick.currency : null;
  const foreign = trade && instCurrency !== null && instCurrency !== account.currency;
  // A trade's amount: asked when the instrument is in another currency, kept when it was given.
  const tradeAmount = trade && (foreign || (item !== null && item.amount !== null && TRADES.includes(item.kind)));
  const withAmount = cashKind || tradeAmount;

  const q = parseDecimalInput(quantity);
  const p = parseDecimalInput(price);
  const f = fees.trim() === '' ? '0' : parseDecimalInput(fees);
  const a = amount.trim() === '' ? null : parseDecimalInput(amount);
  const number = (s: string, v: string | null, required: boolean) =>
    s.trim() === '' ? (required ? t('common.required') : null) : v === null ? amountError(s) : null;
  const positive = (s: string, v: string | null, required: boolean) =>
    number(s, v, required) ?? (v !== null && compare(v, '0') <= 0 ? t('accountDetail.positive') : null);
  const own: Record<string, string | null> = {
    date: !isIsoDate(date) ? t('common.badDate') : null,
    instrument: needsInstrument && pick.choice === '' ? t('common.required') : null,
    // The core checks a split's ratio and a price: its sentences say why.
    quantity: withUnits ? (kind === 'split' ? number(quantity, q, true) : positive(quantity, q, true)) : null,
    unit_price: withPrice ? number(price, p, true) : null,
    fees: trade ? (number(fees, f, false) ?? (f !== null && compare(f, '0') < 0 ? t('accountDetail.notNegative') : null)) : null,
    amount: withAmount ? positive(amount, a, cashKind || foreign) : null,
  };
  const draftErrs = withInstrument ? pick.draftErrors(true) : { name: null, isin: null };
  const blocked = Object.values(own).some(Boolean) || Boolean(draftErrs.name || draftErrs.isin);

  const field = pick.error ? null : activityField(error);
  const serverErr = (name: string) => {
    if (field !== name || !error) return null;
    // A later sale refused after changing a buy (or a transfer in): the sale is not this one.
    if (error.code === 'sell_exceeds_position' && kind !== 'sell' && kind !== 'transfer_out') return t('accountDetail.laterSaleExceeds');
    return errorMessage(error);
  };
  const fieldErr = (name: string) => (submitted ? own[name] : null) ?? serverErr(name);
  const shownFields = ['date', 'note', ...(withInstrument ? ['instrument'] : []), ...(withUnits ? ['quantity'] : []),
    ...(withPrice ? ['unit_price'] : []), ...(trade ? ['fees'] : []), ...(withAmount ? ['amount'] : [])];

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (blocked) {
      setAttempt((n) => n + 1);
      return;
    }
    void run(async () => {
      const instrumentId = withInstrument ? await pick.resolve() : null;
      const input: Input<Activity> = {
        account_id: account.id, date, kind, instrument_id: instrumentId,
        quantity: withUnits ? q : null,
        unit_price: withPrice ? p : null,
        amount: withAmount ? a : null,
        fees: trade ? f! : '0',
        note: note.trim(),
      };
      if (item) await ipc.updateActivity(item.id, input);
      else await ipc.addActivity(input);
    }, onSaved).then(() => setAttempt((n) => n + 1));
  };

  const priceLabel = kind === 'transfer_in' ? t('accountDetail.costPerUnit') : t('accountDetail.unitPrice');
  return (
    <Modal title={item ? t('accountDetail.editTitle') : t('accountDetail.addTitle')} onClose={onCancel} wide>
      <form ref={form} onSubmit={submit} noValidate class="activity-form">
        <div class="form-row">
          <SelectField label={t('accountDetail.kind')} name="activity-kind" value={kind} onValue={(v) => { setError(null); setKind(v as ActivityKind); }}
            options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activityKind.${k}`) }))} />
          <DateField label={t('common.date')} name="activity-date" value={date} onValue={setDate} error={fieldErr('date')} />
        </div>
        {withInstrument && (
          <InstrumentPicker pick={pick} name="activity-instrument" submitted={submitted} error={fieldErr('instrument')}
            label={needsInstrument ? t('accountDetail.instrument') : t('accountDetail.instrumentOptional')}
            noneLabel={needsInstrument ? t('accountDetail.chooseInstrument') : t('accountDetail.noInstrument')} />
        )}
        {(withUnits || withPrice) && (
          <div class="form-row">
            {withUnits && (
              <TextField label={kind === 'split' ? t('accountDetail.ratio') : t('values.quantity')} name="activity-quantity"
                inputMode="decimal" class="input--number" autoComplete="off" value={quantity} onValue={setQuantity}
                hint={kind === 'split' ? t('accountDetail.ratioHint') : undefined} error={fieldErr('quantity')} />
            )}
            {withPrice && (
              <MoneyField label={priceLabel} currency={instCurrency ?? undefined} name="activity-price" value={price}
                onValue={setPrice} error={fieldErr('unit_price')}
                hint={kind === 'transfer_in' ? t('accountDetail.costPerUnitHint') : undefined} />
            )}
          </div>
        )}
        {(trade || withAmount) && (
          <div class="form-row">
            {trade && (
              <MoneyField label={t('accountDetail.fees')} currency={instCurrency ?? undefined} name="activity-fees" value={fees}
                onValue={setFees} error={fieldErr('fees')} hint={t('accountDetail.feesHint')} />
            )}
            {withAmount && (
              <MoneyField label={trade ? (kind === 'buy' ? t('accountDetail.amountBuy') : t('accountDetail.amountSell')) : t('accountDetail.amount')}
                currency={account.currency} name="activity-amount" value={amount} onValue={setAmount} error={fieldErr('amount')}
                hint={foreign ? t('accountDetail.tradeAmountHint', { currency: account.currency }) : undefined} />
            )}
          </div>
        )}
        <TextField label={t('accountDetail.note')} name="activity-note" value={note} onValue={setNote} maxLength={500}
          error={fieldErr('note')} />
        {error && !pick.error && !shownFields.includes(field ?? '') && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

interface OpeningProps {
  account: Account;
  instruments: Instrument[];
  onCancel: () => void;
  onSaved: () => void;
}

/** "I already hold these": units of an instrument bought for an average cost, held on a date. */
export function OpeningPositionForm({ account, instruments, onCancel, onSaved }: OpeningProps) {
  const pick = useInstrumentPick(instruments, null, account.currency);
  const [date, setDate] = useState(today());
  const [quantity, setQuantity] = useState('');
  const [cost, setCost] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, run } = useSaving();
  useUnsavedInput(useEdited({ pick: pick.state, date, quantity, cost }));
  const form = useFocusFirstError(attempt);

  const q = parseDecimalInput(quantity);
  const c = parseDecimalInput(cost);
  const own: Record<string, string | null> = {
    date: !isIsoDate(date) ? t('common.badDate') : null,
    instrument: pick.choice === '' ? t('common.required') : null,
    quantity: quantity.trim() === '' ? t('common.required') : q === null ? amountError(quantity)
      : compare(q, '0') <= 0 ? t('accountDetail.positive') : null,
    unit_price: cost.trim() === '' ? t('common.required') : c === null ? amountError(cost) : null,
  };
  const draftErrs = pick.draftErrors(true);
  const blocked = Object.values(own).some(Boolean) || Boolean(draftErrs.name || draftErrs.isin);
  const field = pick.error ? null : activityField(error);
  const fieldErr = (name: string) => (submitted ? own[name] : null) ?? (field === name ? errorMessage(error) : null);

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (blocked) {
      setAttempt((n) => n + 1);
      return;
    }
    void run(async () => {
      const id = await pick.resolve();
      await ipc.addOpeningPosition(account.id, id!, date, q!, c!);
    }, onSaved).then(() => setAttempt((n) => n + 1));
  };

  return (
    <Modal title={t('accountDetail.openingTitle')} onClose={onCancel} wide>
      <form ref={form} onSubmit={submit} noValidate>
        <p class="muted">{t('accountDetail.openingText')}</p>
        <InstrumentPicker pick={pick} name="opening-instrument" submitted={submitted} error={fieldErr('instrument')}
          label={t('accountDetail.instrument')} noneLabel={t('accountDetail.chooseInstrument')} />
        <div class="form-row form-row--3">
          <DateField label={t('accountDetail.openingDate')} name="opening-date" value={date} onValue={setDate}
            defaultHint={t('accounts.todayByDefault')} error={fieldErr('date')} />
          <TextField label={t('values.quantity')} name="opening-quantity" inputMode="decimal" class="input--number" autoComplete="off"
            value={quantity} onValue={setQuantity} error={fieldErr('quantity')} />
          <MoneyField label={t('accountDetail.averageCost')} currency={pick.currency ?? undefined} name="opening-cost" value={cost}
            onValue={setCost} error={fieldErr('unit_price')} />
        </div>
        {error && !pick.error && !['date', 'instrument', 'quantity', 'unit_price'].includes(field ?? '') && (
          <p class="field__error" role="alert">{errorMessage(error)}</p>
        )}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
