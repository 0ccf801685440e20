//! Password widgets: a new-password pair (password + confirmation) with a strength
//! meter, the validation shared by every screen that sets a password, and the
//! current-credential field that confirms a change giving lasting access.
import { MIN_PASSWORD_LENGTH, passwordStrength, STRENGTH_KEYS } from '../lib/vault/password';
import { t } from '../lib/i18n';
import { TextField } from './fields';
import { normalizeRecoveryKey } from '../lib/vault/recoveryKey';

export function StrengthMeter({ password }: { password: string }) {
  const s = passwordStrength(password);
  return (
    <div class="strength" aria-live="polite">
      <div class={`strength__bar strength__bar--${s}`} role="meter" aria-valuemin={0} aria-valuemax={4}
        aria-valuenow={s} aria-label={t('password.strength.label')}>
        {[1, 2, 3, 4].map((i) => <span key={i} class={i <= s ? 'on' : ''} />)}
      </div>
      <span class="strength__text">{t(STRENGTH_KEYS[s])}</span>
    </div>
  );
}

export interface NewPasswordState {
  password: string;
  confirm: string;
}

/** Errors of a new-password pair, keyed by field; empty when valid. */
export function newPasswordErrors(s: NewPasswordState): { password?: string; confirm?: string } {
  const errors: { password?: string; confirm?: string } = {};
  if ([...s.password].length < MIN_PASSWORD_LENGTH) {
    errors.password = t('password.tooShort', { min: MIN_PASSWORD_LENGTH });
  }
  if (s.confirm !== s.password) errors.confirm = t('password.mismatch');
  return errors;
}

interface Props {
  value: NewPasswordState;
  onChange: (v: NewPasswordState) => void;
  /** Show errors (after a first submit attempt). */
  showErrors: boolean;
  serverError?: string | null;
  labelKey?: string;
}

export function NewPasswordFields({ value, onChange, showErrors, serverError, labelKey }: Props) {
  const errors = showErrors ? newPasswordErrors(value) : {};
  return (
    <div class="password-pair">
      <TextField
        label={t(labelKey ?? 'password.new')}
        type="password"
        name="new-password"
        autoComplete="new-password"
        value={value.password}
        onValue={(password) => onChange({ ...value, password })}
        error={errors.password ?? serverError ?? null}
        hint={t('password.hint', { min: MIN_PASSWORD_LENGTH })}
      />
      <StrengthMeter password={value.password} />
      <TextField
        label={t('password.confirm')}
        type="password"
        name="confirm-password"
        autoComplete="new-password"
        value={value.confirm}
        onValue={(confirm) => onChange({ ...value, confirm })}
        error={errors.confirm ?? null}
      />
    </div>
  );
}

/**
 * The current password (or, on request, the recovery key) typed again to confirm a
 * change that gives lasting access: a new password, a new recovery key, keychain
 * unlock. The value is handed to the caller on submit and kept nowhere else.
 */
export function CurrentCredentialField({ value, onChange, error }: {
  value: CurrentCredential;
  onChange: (v: CurrentCredential) => void;
  error?: string | null;
}) {
  const useKey = value.kind === 'recoveryKey';
  return (
    <div class="current-credential">
      {useKey ? (
        <TextField label={t('reauth.recoveryKey')} name="current-recovery-key" class="input--mono" autoComplete="off"
          spellcheck={false} value={value.text} onValue={(text) => onChange({ kind: 'recoveryKey', text })}
          error={error ?? null} />
      ) : (
        <TextField label={t('reauth.password')} type="password" name="current-password" autoComplete="current-password"
          value={value.text} onValue={(text) => onChange({ kind: 'password', text })} error={error ?? null} />
      )}
      <button type="button" class="btn btn--link" onClick={() => onChange({ kind: useKey ? 'password' : 'recoveryKey', text: '' })}>
        {t(useKey ? 'reauth.usePassword' : 'reauth.useRecoveryKey')}
      </button>
    </div>
  );
}

/** What {@link CurrentCredentialField} holds. */
export interface CurrentCredential {
  kind: 'password' | 'recoveryKey';
  text: string;
}

export const EMPTY_CURRENT: CurrentCredential = { kind: 'password', text: '' };

/** The IPC form of a typed current credential. */
export function currentSecret(c: CurrentCredential): { password?: string; recoveryKey?: string } {
  return c.kind === 'recoveryKey' ? { recoveryKey: normalizeRecoveryKey(c.text) } : { password: c.text };
}
