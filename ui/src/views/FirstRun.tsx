//! First run (no profile yet): language, "Create my profile" or "Restore from a backup".
import { useState } from 'preact/hooks';
import type { AppInfo, SessionInfo } from '../lib/ipc';
import { t } from '../lib/i18n';
import { LangSelect } from '../components/LangSelect';
import { CreateProfileFlow } from './CreateProfileFlow';

interface Props {
  info: AppInfo;
  onSession: (s: SessionInfo) => void;
  onRestore: () => void;
}

export function FirstRun({ info, onSession, onRestore }: Props) {
  const [step, setStep] = useState('form');
  return (
    <div class="center-page">
      <main class="card narrow" aria-labelledby="first-run-title">
        <div class="card__top no-print">
          <span class="brand">Patrimoine</span>
          <LangSelect compact />
        </div>
        <h1 id="first-run-title" class={step === 'form' ? '' : 'sr-only'}>{t('firstRun.title')}</h1>
        {step === 'form' && <p class="lead">{t('firstRun.intro')}</p>}
        <CreateProfileFlow
          dataDir={info.data_dir}
          keychainAvailable={info.keychain_available}
          offerKeychain
          onStep={setStep}
          onFinished={(_, s) => onSession(s)}
          secondary={
            <button type="button" class="btn btn--secondary-start" onClick={onRestore}>{t('restore.fromBackup')}</button>
          }
        />
      </main>
    </div>
  );
}
