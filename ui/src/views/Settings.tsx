//! Settings: preferences (language, base currency, auto-lock), security (password,
//! recovery key, keychain), backups, audit log, and profile management for the admin.
import { useState } from 'preact/hooks';
import { ipc, LIMITS, type AppInfo, type CredentialChanged } from '../lib/ipc';
import { t } from '../lib/i18n';
import { useShell } from '../lib/shell/context';
import { useSaving } from '../lib/shell/useSaving';
import { useUnsavedInput } from '../lib/shell/unsaved';
import { toast } from '../lib/shell/toast';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { Checkbox, SelectField, TextField } from '../components/fields';
import { LangSelect } from '../components/LangSelect';
import { Modal } from '../components/Modal';
import { errorMessage } from '../components/feedback';
import {
  CurrentCredentialField, currentSecret, EMPTY_CURRENT, NewPasswordFields, newPasswordErrors,
  type CurrentCredential, type NewPasswordState,
} from '../components/password';
import { RecoveryKeyStep } from '../components/recoveryKey';
import { BackupsSection } from './settings/Backups';
import type { SettingsTab } from '../lib/shell/routes';
import { AuditSection } from './settings/Audit';
import { ProfilesSection } from './settings/Profiles';
import { AboutSection } from './settings/About';

type Tab = SettingsTab;

export function Settings({ initialTab }: { initialTab?: Tab }) {
  const { session, guard } = useShell();
  const [tab, setTab] = useState<Tab>(initialTab ?? 'general');
  const tabs: Tab[] = ['general', 'security', 'backups', 'audit', ...(session.profile.admin ? (['profiles'] as const) : []), 'about'];
  return (
    <div class="page">
      <header class="page__header"><h1>{t('nav.settings')}</h1></header>
      <div class="tabs" role="tablist" aria-label={t('nav.settings')}>
        {tabs.map((k) => (
          <button key={k} type="button" role="tab" id={`tab-${k}`} aria-selected={tab === k} aria-controls={`panel-${k}`}
            class={`tab ${tab === k ? 'is-active' : ''}`} onClick={() => { if (k !== tab) guard(() => setTab(k)); }}>
            {t(`settings.tab.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'general' && <GeneralSection />}
        {tab === 'security' && <SecuritySection />}
        {tab === 'backups' && <BackupsSection />}
        {tab === 'audit' && <AuditSection />}
        {tab === 'profiles' && <ProfilesSection />}
        {tab === 'about' && <AboutSection />}
      </div>
    </div>
  );
}

function GeneralSection() {
  const { session, setSession } = useShell();
  const [minutes, setMinutes] = useState(String(session.auto_lock_minutes || LIMITS.auto_lock_default));
  const save = useSaving();
  const m = Number(minutes);
  const bounds = { min: LIMITS.auto_lock_min, max: LIMITS.auto_lock_max };
  const minutesBad = !/^\d+$/.test(minutes.trim()) || m < LIMITS.auto_lock_min || m > LIMITS.auto_lock_max;
  useUnsavedInput(minutes !== String(session.auto_lock_minutes || LIMITS.auto_lock_default));

  const setCurrency = (baseCurrency: string) =>
    void save.run(async () => setSession(await ipc.setPreferences({ base_currency: baseCurrency })), () => toast(t('common.saved')));
  const saveMinutes = (e: Event) => {
    e.preventDefault();
    if (minutesBad) return;
    void save.run(async () => setSession(await ipc.setPreferences({ auto_lock_minutes: m })), () => toast(t('common.saved')));
  };

  return (
    <section class="card form-narrow" aria-labelledby="general-title">
      <h2 id="general-title" class="card__title">{t('settings.tab.general')}</h2>
      <LangSelect />
      <SelectField label={t('profile.baseCurrency')} name="settings-currency" value={session.base_currency} onValue={setCurrency}
        hint={t('settings.baseCurrencyHint')}
        options={(COMMON_CURRENCIES.includes(session.base_currency as never) ? [...COMMON_CURRENCIES] : [session.base_currency, ...COMMON_CURRENCIES]).map((c) => ({ value: c, label: c }))} />
      <form onSubmit={saveMinutes} noValidate class="inline-form">
        <TextField label={t('settings.autoLock')} name="auto-lock" inputMode="numeric" class="input--number input--short" value={minutes}
          onValue={setMinutes} hint={t('settings.autoLockHint', bounds)} error={minutesBad ? t('settings.autoLockInvalid', bounds) : null} />
        <button type="submit" class="btn" disabled={save.busy || minutesBad}>{t('common.save')}</button>
      </form>
      {save.error && <p class="field__error" role="alert">{errorMessage(save.error)}</p>}
    </section>
  );
}

function SecuritySection() {
  const { info, session, setSession } = useShell();
  const [current, setCurrent] = useState<CurrentCredential>(EMPTY_CURRENT);
  const [pw, setPw] = useState<NewPasswordState>({ password: '', confirm: '' });
  const [submitted, setSubmitted] = useState(false);
  const change = useSaving();
  const regen = useSaving();
  const keychain = useSaving();
  /** Which change waits for the current password or recovery key in a dialog. */
  const [confirming, setConfirming] = useState<'regenerate' | 'keychain' | null>(null);
  const [dialogSecret, setDialogSecret] = useState<CurrentCredential>(EMPTY_CURRENT);
  const [newKey, setNewKey] = useState<{ key: string; replaced: boolean } | null>(null);
  useUnsavedInput(current.text !== '' || pw.password !== '' || pw.confirm !== '' || dialogSecret.text !== '');

  /** After a change that replaced the master key: the new session, a new key to show. */
  const applied = (r: CredentialChanged, replacedKeyNote: boolean) => {
    setSession(r.session);
    if (r.new_recovery_key) setNewKey({ key: r.new_recovery_key, replaced: replacedKeyNote });
    if (r.keychain_disabled) toast(t('settings.keychainDisabledByChange'));
  };

  const changePassword = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (current.text === '' || Object.keys(newPasswordErrors(pw)).length > 0) return;
    void change.run(async () => applied(await ipc.changePassword(pw.password, currentSecret(current)), true), () => {
      setPw({ password: '', confirm: '' });
      setCurrent(EMPTY_CURRENT);
      setSubmitted(false);
      toast(t('settings.passwordChanged'));
    });
  };

  const closeDialog = () => {
    setConfirming(null);
    setDialogSecret(EMPTY_CURRENT);
  };
  const confirmDialog = () => {
    if (dialogSecret.text === '') return;
    const secret = currentSecret(dialogSecret);
    if (confirming === 'regenerate') {
      void regen.run(async () => applied(await ipc.regenerateRecoveryKey(secret), false), closeDialog);
    } else {
      void keychain.run(async () => applied(await ipc.setKeychain(true, secret), false), () => {
        closeDialog();
        toast(t('common.saved'));
      });
    }
  };
  const dialogSaving = confirming === 'regenerate' ? regen : keychain;
  const credentialError = (e: typeof change.error) =>
    e && ['wrong_password', 'wrong_recovery_key', 'recovery_key_typo', 'recovery_key_format', 'throttled'].includes(e.code)
      ? errorMessage(e) : null;

  return (
    <>
      <section class="card" aria-labelledby="pw-title">
        <h2 id="pw-title" class="card__title">{t('settings.changePassword')}</h2>
        <p class="muted">{t('settings.changePasswordIntro')}</p>
        <p class="muted">{t('settings.oldBackupsNote')}</p>
        <form onSubmit={changePassword} noValidate>
          <CurrentCredentialField value={current} onChange={setCurrent}
            error={credentialError(change.error) ?? (submitted && current.text === '' ? t('common.required') : null)} />
          <NewPasswordFields value={pw} onChange={setPw} showErrors={submitted}
            serverError={change.error?.code === 'weak_password' ? errorMessage(change.error) : null} />
          {change.error && change.error.code !== 'weak_password' && !credentialError(change.error) &&
            <p class="field__error" role="alert">{errorMessage(change.error)}</p>}
          <div class="actions actions--start">
            <button type="submit" class="btn btn--primary" disabled={change.busy}>{t('settings.changePasswordSubmit')}</button>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="rk-title">
        <h2 id="rk-title" class="card__title">{t('settings.recoveryKey')}</h2>
        <p class="muted">{t('settings.recoveryKeyIntro')}</p>
        <button type="button" class="btn" onClick={() => setConfirming('regenerate')}>{t('settings.regenerate')}</button>
      </section>

      {info.keychain_available && (
        <section class="card" aria-labelledby="kc-title">
          <h2 id="kc-title" class="card__title">{t('keychain.title')}</h2>
          <p class="muted">{t('keychain.explain')}</p>
          <Checkbox label={t('settings.keychainToggle')} name="keychain" checked={session.keychain_enabled} disabled={keychain.busy}
            onChecked={(enabled) => {
              if (enabled) setConfirming('keychain');
              else void keychain.run(async () => applied(await ipc.setKeychain(false), false), () => toast(t('common.saved')));
            }} />
          {keychain.error && !confirming && <p class="field__error" role="alert">{errorMessage(keychain.error)}</p>}
        </section>
      )}

      {confirming && (
        <Modal title={t(confirming === 'regenerate' ? 'settings.regenerate' : 'settings.keychainToggle')} onClose={closeDialog}>
          <form onSubmit={(e) => { e.preventDefault(); confirmDialog(); }} noValidate>
            <p>{t(confirming === 'regenerate' ? 'settings.regenerateWarning' : 'reauth.keychainIntro')}</p>
            <CurrentCredentialField value={dialogSecret} onChange={setDialogSecret} error={credentialError(dialogSaving.error)} />
            {dialogSaving.error && !credentialError(dialogSaving.error) &&
              <p class="field__error" role="alert">{errorMessage(dialogSaving.error)}</p>}
            <div class="actions">
              <button type="button" class="btn" onClick={closeDialog}>{t('common.cancel')}</button>
              <button type="submit" class={`btn ${confirming === 'regenerate' ? 'btn--danger' : 'btn--primary'}`}
                disabled={dialogSaving.busy || dialogSecret.text === ''}>
                {t(confirming === 'regenerate' ? 'settings.regenerateConfirm' : 'reauth.confirm')}
              </button>
            </div>
          </form>
        </Modal>
      )}
      {newKey && (
        <Modal title={t('recovery.title')} onClose={() => undefined} wide>
          {newKey.replaced && <p class="notice" role="status">{t('settings.recoveryKeyReplacedByChange')}</p>}
          <RecoveryKeyStep recoveryKey={newKey.key} profileName={session.profile.name} dataDir={info.data_dir}
            onDone={() => { setNewKey(null); toast(t('settings.recoveryKeyReplaced')); }} doneLabel={t('common.done')} />
        </Modal>
      )}
    </>
  );
}

export type { AppInfo };
