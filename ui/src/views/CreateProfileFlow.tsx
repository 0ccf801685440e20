//! Profile creation: the form (name, password with strength meter, base currency), then
//! the recovery key shown once with its Emergency Kit, then the optional keychain unlock.
import { useState } from 'preact/hooks';
import { AppError, ipc, LIMITS, toAppError, type CreatedProfile, type SessionInfo } from '../lib/ipc';
import { t } from '../lib/i18n';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { errorField } from '../lib/vault/errors';
import { useUnsavedInput } from '../lib/shell/unsaved';
import { SelectField, TextField } from '../components/fields';
import { NewPasswordFields, newPasswordErrors, type NewPasswordState } from '../components/password';
import { RecoveryKeyStep } from '../components/recoveryKey';
import { errorMessage } from '../components/feedback';

interface Props {
  dataDir: string;
  keychainAvailable: boolean;
  /** Offer the keychain step (only for the profile being opened). */
  offerKeychain: boolean;
  onFinished: (created: CreatedProfile, session: SessionInfo) => void;
  /** Extra buttons beside "Create my profile" (e.g. Restore from a backup). */
  secondary?: preact.ComponentChildren;
  /** Told when the flow moves on (form → recovery → keychain). */
  onStep?: (step: 'form' | 'recovery' | 'keychain') => void;
}

export function CreateProfileFlow({ dataDir, keychainAvailable, offerKeychain, onFinished, secondary, onStep }: Props) {
  const [step, setStepState] = useState<'form' | 'recovery' | 'keychain'>('form');
  const setStep = (s: 'form' | 'recovery' | 'keychain') => {
    setStepState(s);
    onStep?.(s);
  };
  const [name, setName] = useState('');
  const [pw, setPw] = useState<NewPasswordState>({ password: '', confirm: '' });
  const [currency, setCurrency] = useState('EUR');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [created, setCreated] = useState<CreatedProfile | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [kept, setKept] = useState('');
  useUnsavedInput(step === 'form' && (name !== '' || pw.password !== '' || pw.confirm !== ''));

  const nameError = submitted && name.trim() === '' ? t('profile.nameRequired') : null;
  const field = errorField(error);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (name.trim() === '' || Object.keys(newPasswordErrors(pw)).length > 0) return;
    setBusy(true);
    try {
      const result = await ipc.createProfile(name.trim(), pw.password, currency);
      setCreated(result);
      setSession(result.session);
      // Kept in memory until the keychain step: turning keychain unlock on asks for
      // the current password, which the user has just chosen.
      setKept(pw.password);
      setPw({ password: '', confirm: '' });
      setStep('recovery');
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  const afterRecovery = () => {
    if (offerKeychain && keychainAvailable) setStep('keychain');
    else {
      setKept('');
      onFinished(created!, session!);
    }
  };

  const enableKeychain = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await ipc.setKeychain(true, { password: kept });
      setKept('');
      onFinished(created!, r.session);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  if (step === 'recovery' && created) {
    return (
      <div>
        <h2>{t('recovery.title')}</h2>
        <RecoveryKeyStep
          recoveryKey={created.recovery_key}
          profileName={created.session.profile.name}
          dataDir={dataDir}
          onDone={afterRecovery}
        />
      </div>
    );
  }

  if (step === 'keychain' && created) {
    return (
      <div>
        <h2>{t('keychain.title')}</h2>
        <p>{t('keychain.explain')}</p>
        {error && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" disabled={busy} onClick={() => { setKept(''); onFinished(created, session!); }}>
            {t('keychain.skip')}
          </button>
          <button type="button" class="btn btn--primary" disabled={busy} onClick={enableKeychain}>
            {t('keychain.enable')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <TextField
        label={t('profile.name')}
        name="profile-name"
        autoComplete="username"
        value={name}
        onValue={setName}
        maxLength={LIMITS.profile_name_max}
        error={nameError ?? (field === 'name' ? errorMessage(error) : null)}
      />
      <NewPasswordFields
        value={pw}
        onChange={setPw}
        showErrors={submitted}
        labelKey="password.label"
        serverError={field === 'password' ? errorMessage(error) : null}
      />
      <SelectField
        label={t('profile.baseCurrency')}
        name="base-currency"
        value={currency}
        onValue={setCurrency}
        hint={t('profile.baseCurrencyHint')}
        options={COMMON_CURRENCIES.map((c) => ({ value: c, label: c }))}
      />
      {error && field === null && <p class="field__error" role="alert">{errorMessage(error)}</p>}
      <div class="actions">
        {secondary}
        <button type="submit" class="btn btn--primary" disabled={busy}>
          {busy ? t('profile.creating') : t('profile.create')}
        </button>
      </div>
    </form>
  );
}
