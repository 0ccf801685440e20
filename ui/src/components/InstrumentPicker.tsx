//! Choosing the instrument of an activity or an opening position: a select over the
//! profile's instruments, with "New instrument…" opening its fields inline (name, ISIN,
//! currency, class). The new instrument is created when the form is saved, just before
//! the activity; once created it stays chosen, so a refused activity keeps it and
//! saving again does not create it twice.
import { useState } from 'preact/hooks';
import { ASSET_CLASSES, ipc, LIMITS, toAppError, type AppError, type AssetClass, type Instrument } from '../lib/ipc';
import { getLocale, t } from '../lib/i18n';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { errorField } from '../lib/vault/errors';
import { SelectField, TextField } from './fields';
import { errorMessage } from './feedback';

/** The select's value for "New instrument…". */
export const NEW_INSTRUMENT = 'new';

/** An instrument is never a loan (the core refuses it). */
const INSTRUMENT_CLASSES = ASSET_CLASSES.filter((c) => c !== 'loan');

const ISIN_SHAPE = /^[A-Za-z]{2}[A-Za-z0-9]{9}\d$/;

export interface InstrumentDraft {
  name: string;
  isin: string;
  currency: string;
  cls: AssetClass;
}

export interface InstrumentPick {
  /** '' (none), an instrument id, or {@link NEW_INSTRUMENT}. */
  choice: string;
  setChoice: (v: string) => void;
  draft: InstrumentDraft;
  setDraft: (d: InstrumentDraft) => void;
  /** The instruments to choose from: the profile's and the one created here. */
  instruments: Instrument[];
  /** The chosen (or drafted) instrument's currency, if any. */
  currency: string | null;
  /** Why creating the new instrument was refused, if it was. */
  error: AppError | null;
  /** What is typed, for the unsaved-input guard. */
  state: unknown;
  /** Client-side errors of the drafted instrument (after a submit). */
  draftErrors: (submitted: boolean) => { name: string | null; isin: string | null };
  /** The chosen instrument's id, creating the drafted one first (null: none chosen).
   *  Throws the core's refusal of the new instrument (also kept in `error`). */
  resolve: () => Promise<number | null>;
}

export function useInstrumentPick(instruments: Instrument[], initial: number | null, defaultCurrency: string): InstrumentPick {
  const [choice, setChoice] = useState(initial === null ? '' : String(initial));
  const [draft, setDraft] = useState<InstrumentDraft>({ name: '', isin: '', currency: defaultCurrency, cls: 'equity' });
  const [created, setCreated] = useState<Instrument | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const all = created && !instruments.some((i) => i.id === created.id) ? [...instruments, created] : instruments;
  const chosen = all.find((i) => String(i.id) === choice);
  const currency = choice === NEW_INSTRUMENT ? draft.currency : chosen?.currency ?? null;

  const draftErrors = (submitted: boolean) => {
    const drafting = submitted && choice === NEW_INSTRUMENT;
    return {
      name: drafting && draft.name.trim() === '' ? t('common.required') : null,
      isin: drafting && draft.isin.trim() !== '' && !ISIN_SHAPE.test(draft.isin.trim()) ? t('assets.isinInvalid') : null,
    };
  };

  const resolve = async (): Promise<number | null> => {
    setError(null);
    if (choice === '') return null;
    if (choice !== NEW_INSTRUMENT) return Number(choice);
    const input = {
      name: draft.name.trim(),
      isin: draft.isin.trim() === '' ? null : draft.isin.trim().toUpperCase(),
      ticker: null,
      currency: draft.currency,
      class: draft.cls,
      archived: false,
      allocations: {},
    };
    try {
      const id = await ipc.createInstrument(input);
      setCreated({ id, ...input });
      setChoice(String(id));
      return id;
    } catch (e) {
      const err = toAppError(e);
      setError(err);
      throw err;
    }
  };

  return {
    choice, setChoice: (v) => { setError(null); setChoice(v); }, draft, setDraft, instruments: all, currency, error,
    state: { choice, draft }, draftErrors, resolve,
  };
}

interface Props {
  pick: InstrumentPick;
  /** "Instrument" or "Instrument (optional)". */
  label: string;
  /** The option for no instrument: "Choose an instrument" or "None". */
  noneLabel: string;
  name: string;
  submitted: boolean;
  /** An error of the activity about its instrument (required, not found). */
  error: string | null;
}

/** The select and, for a new instrument, its fields. */
export function InstrumentPicker({ pick, label, noneLabel, name, submitted, error }: Props) {
  const locale = getLocale();
  const sorted = [...pick.instruments].sort((a, b) => a.name.localeCompare(b.name, locale));
  const { draft, setDraft } = pick;
  const field = errorField(pick.error);
  const own = pick.draftErrors(submitted);
  const fieldErr = (f: 'name' | 'isin' | 'currency' | 'class') =>
    (f === 'name' || f === 'isin' ? own[f] : null) ?? (field === f ? errorMessage(pick.error) : null);
  const currencies = COMMON_CURRENCIES.includes(draft.currency as (typeof COMMON_CURRENCIES)[number])
    ? COMMON_CURRENCIES : [draft.currency, ...COMMON_CURRENCIES];
  const known = ['name', 'isin', 'currency', 'class'];
  return (
    <>
      <SelectField label={label} name={name} value={pick.choice} onValue={pick.setChoice} error={error}
        options={[
          { value: '', label: noneLabel },
          ...sorted.map((i) => ({ value: String(i.id), label: i.isin ? `${i.name} · ${i.isin}` : i.name })),
          { value: NEW_INSTRUMENT, label: t('accountDetail.newInstrumentOption') },
        ]} />
      {pick.choice === NEW_INSTRUMENT && (
        <fieldset class="instrument-new" data-testid="new-instrument">
          <legend>{t('accountDetail.newInstrument')}</legend>
          <div class="form-row">
            <TextField label={t('accountDetail.instrumentName')} name="instrument-name" value={draft.name}
              onValue={(v) => setDraft({ ...draft, name: v })} maxLength={LIMITS.item_name_max} error={fieldErr('name')} />
            <TextField label={t('assets.isin')} name="instrument-isin" value={draft.isin} spellcheck={false} maxLength={12}
              onValue={(v) => setDraft({ ...draft, isin: v })} error={fieldErr('isin')} hint={t('accountDetail.isinHint')} />
          </div>
          <div class="form-row">
            <SelectField label={t('common.currency')} name="instrument-currency" value={draft.currency}
              onValue={(v) => setDraft({ ...draft, currency: v })} error={fieldErr('currency')}
              options={currencies.map((c) => ({ value: c, label: c }))} />
            <SelectField label={t('assets.class')} name="instrument-class" value={draft.cls}
              onValue={(v) => setDraft({ ...draft, cls: v as AssetClass })} error={fieldErr('class')}
              options={INSTRUMENT_CLASSES.map((c) => ({ value: c, label: t(`assetClass.${c}`) }))} />
          </div>
          {pick.error && !known.includes(field ?? '') && <p class="field__error" role="alert">{errorMessage(pick.error)}</p>}
        </fieldset>
      )}
    </>
  );
}
