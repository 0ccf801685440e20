//! Prices of a security: written with all their decimals ("25,1234 €": a fund's price
//! is not rounded to the cent), and the form adding or editing one price point, which
//! asks first when the price is ten times off the one before it.
import { useState } from 'preact/hooks';
import { ipc, type PricePoint } from '../lib/ipc';
import { isIsoDate, today } from '../lib/dates';
import { compare, isCanonical } from '../lib/decimal';
import { decimalForInput, formatMoney, parseDecimalInput } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { errorField } from '../lib/vault/errors';
import { amountError, DateField, MoneyField } from './fields';
import { Modal } from './Modal';
import { FarOffConfirm, farFrom } from './FarOff';
import { errorMessage } from './feedback';

const priceFormats = new Map<string, Intl.NumberFormat>();

/** A unit price in its currency with the decimals it has (at least the currency's, at
 *  most six): "25,1234 €", "1 234,50 $US". */
export function formatPrice(value: string, currency: string, locale = getLocale()): string {
  if (!isCanonical(value)) return value;
  const key = `${locale}|${currency}`;
  let f = priceFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 6 });
    } catch {
      return formatMoney(value, currency, locale);
    }
    priceFormats.set(key, f);
  }
  return f.format(value as unknown as number);
}

interface PointProps {
  instrumentId: number;
  currency: string;
  item: PricePoint | null;
  /** The instrument's prices: one ten times off the one before it asks first. */
  points: PricePoint[];
  onCancel: () => void;
  onSaved: () => void;
}

/** Adds a price (or edits one: a new date replaces the old point once the new one is written). */
export function PricePointForm({ instrumentId, currency, item, points, onCancel, onSaved }: PointProps) {
  const [date, setDate] = useState(item?.date ?? today());
  const [price, setPrice] = useState(item ? decimalForInput(item.price) : '');
  const [submitted, setSubmitted] = useState(false);
  const [askFar, setAskFar] = useState(false);
  const { busy, error, run } = useSaving();
  useUnsavedInput(useEdited({ date, price }));
  // The price in force just before this one (the edited point itself left out).
  const previous = points
    .filter((p) => p.date <= date && p.date !== item?.date)
    .reduce<PricePoint | null>((best, p) => (best === null || p.date > best.date ? p : best), null);

  const p = parseDecimalInput(price);
  const errs = {
    date: !isIsoDate(date) ? t('common.badDate') : null,
    price: price.trim() === '' ? t('common.required') : p === null ? amountError(price) : null,
  };
  const field = errorField(error);
  const serverOn = (f: string) => (field === f ? errorMessage(error) : null);

  const save = () => {
    setAskFar(false);
    void run(async () => {
      await ipc.setPrices([{ instrument_id: instrumentId, date, price: p!, source: 'manual' }]);
      if (item && item.date !== date) await ipc.deletePrice(instrumentId, item.date);
    }, onSaved);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (errs.date || errs.price) return;
    // A price of zero or less is the core's to refuse (its sentence on the field), not a typo to confirm.
    if (previous && compare(p!, '0') > 0 && farFrom(p!, previous.price)) {
      setAskFar(true);
      return;
    }
    save();
  };

  return (
    <Modal title={item ? t('instruments.editPriceTitle') : t('instruments.addPriceTitle')} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <DateField label={t('common.date')} name="price-date" value={date} onValue={(v) => { setAskFar(false); setDate(v); }}
          error={(submitted ? errs.date : null) ?? serverOn('date')} />
        <MoneyField label={t('instruments.price')} currency={currency} name="price-value" value={price}
          onValue={(v) => { setAskFar(false); setPrice(v); }}
          error={(submitted ? errs.price : null) ?? serverOn('price')} />
        {error && field !== 'price' && field !== 'date' && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        {askFar && previous && (
          <FarOffConfirm previous={{ value: previous.price, date: previous.date }} next={p!} currency={currency}
            onFix={() => setAskFar(false)} onSave={save} />
        )}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          {!askFar && <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>}
        </div>
      </form>
    </Modal>
  );
}
