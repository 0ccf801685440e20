//! Labelled form fields with hint and inline error text, wired for accessibility
//! (`aria-invalid`, `aria-describedby`). MoneyInput parses with the user's locale.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId, useState } from 'preact/hooks';
import { ambiguousReadings, formatDecimal } from '../lib/format';
import { t } from '../lib/i18n';

/**
 * Why a typed amount is refused: "22.950" in French gets a sentence showing both
 * readings (it is never guessed), anything else the generic one.
 */
export function amountError(text: string): string {
  const both = ambiguousReadings(text);
  if (!both) return t('common.badNumber');
  return t('amount.ambiguous', {
    text: text.trim(),
    thousands: formatDecimal(both.thousands),
    decimal: formatDecimal(both.decimal),
  });
}

interface FieldProps {
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
  class?: string;
}

/** Wraps one control with its label, hint and error. */
export function Field({ label, error, hint, children, class: cls }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : '';
  const errId = error ? `${id}-err` : '';
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${error ? 'field--invalid' : ''} ${cls ?? ''}`}>
      <label for={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && !error && <p class="field__hint" id={hintId}>{hint}</p>}
      {error && <p class="field__error" id={errId} role="alert">{error}</p>}
    </div>
  );
}

type InputAttrs = Omit<InputHTMLAttributes<HTMLInputElement>, 'onInput' | 'value' | 'label'>;

interface TextFieldProps extends InputAttrs {
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | null | undefined;
  hint?: string | undefined;
  fieldClass?: string;
}

export function TextField({ label, value, onValue, error, hint, fieldClass, ...rest }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="text"
          {...rest}
          value={value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps {
  label: string;
  value: string;
  onValue: (v: string) => void;
  options: { value: string; label: string }[];
  error?: string | null | undefined;
  hint?: string | undefined;
  disabled?: boolean;
  name?: string;
  fieldClass?: string;
}

export function SelectField({ label, value, onValue, options, error, hint, disabled, name, fieldClass }: SelectFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={name}
          value={value}
          disabled={disabled}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface CheckboxProps {
  label: string;
  checked: boolean;
  onChecked: (v: boolean) => void;
  disabled?: boolean;
  hint?: string;
  name?: string;
}

export function Checkbox({ label, checked, onChecked, disabled, hint, name }: CheckboxProps) {
  const id = useId();
  return (
    <div class="checkbox">
      <input
        id={id}
        type="checkbox"
        name={name}
        checked={checked}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChecked((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{label}</label>
      {hint && <p class="field__hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}

/** A decimal amount typed in the user's locale; validation is the caller's (parseDecimalInput). */
export function MoneyField(props: TextFieldProps & { currency?: string }) {
  const { currency, ...rest } = props;
  return (
    <TextField
      inputMode="decimal"
      autoComplete="off"
      spellcheck={false}
      class="input--number"
      {...rest}
      label={currency ? `${rest.label} (${currency})` : rest.label}
    />
  );
}

/**
 * A date input. `defaultHint` says what the date is until the user changes it ("Today by
 * default"), then disappears: it would no longer be true.
 */
export function DateField({ defaultHint, hint, onValue, ...props }: Omit<TextFieldProps, 'type'> & { defaultHint?: string }) {
  const [changed, setChanged] = useState(false);
  return (
    <TextField {...props} type="date" hint={hint ?? (changed ? undefined : defaultHint)}
      onValue={(v) => { setChanged(true); onValue(v); }} />
  );
}
