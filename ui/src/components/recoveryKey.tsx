//! The recovery key shown once (large monospace groups, Copy, "I have saved it") and the
//! printable Emergency Kit.
import { createPortal } from 'preact/compat';
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { keyGroups } from '../lib/vault/recoveryKey';
import { formatDate } from '../lib/format';
import { today } from '../lib/dates';
import { t } from '../lib/i18n';
import { Checkbox } from './fields';

export function RecoveryKeyGroups({ recoveryKey, focusRef }: { recoveryKey: string; focusRef?: Ref<HTMLOListElement> }) {
  return (
    <ol class="rk-groups" aria-label={t('recovery.keyLabel')} ref={focusRef} tabIndex={focusRef ? -1 : undefined}>
      {keyGroups(recoveryKey).map((g, i) => (
        <li key={i}><span class="rk-groups__n" aria-hidden="true">{i + 1}</span><code>{g}</code></li>
      ))}
    </ol>
  );
}

interface ShowProps {
  recoveryKey: string;
  profileName: string;
  dataDir: string;
  onDone: () => void;
  doneLabel?: string;
}

/** Recovery key screen: copy, print the kit, confirm it is saved before continuing. */
export function RecoveryKeyStep({ recoveryKey, profileName, dataDir, onDone, doneLabel }: ShowProps) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  // Focus moves to the key when the step appears (the form that led here is gone):
  // a screen reader reads it out, and Tab goes on to Copy and Print.
  const keyRef = useRef<HTMLOListElement>(null);
  useEffect(() => keyRef.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(keyGroups(recoveryKey).join('-'));
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div class="recovery-step">
      <div class="no-print">
        <p>{t('recovery.intro')}</p>
        <RecoveryKeyGroups recoveryKey={recoveryKey} focusRef={keyRef} />
        <div class="actions actions--start">
          <button type="button" class="btn" onClick={copy}>{t('recovery.copy')}</button>
          <button type="button" class="btn" onClick={() => window.print()}>{t('recovery.printKit')}</button>
          <span class="muted" role="status">
            {copied === 'yes' ? t('recovery.copied') : copied === 'failed' ? t('recovery.copyFailed') : ''}
          </span>
        </div>
        <p class="banner banner--warn">{t('recovery.warning')}</p>
        <Checkbox label={t('recovery.saved')} checked={saved} onChecked={setSaved} name="rk-saved" />
        <div class="actions">
          <button type="button" class="btn btn--primary" disabled={!saved} onClick={onDone}>
            {doneLabel ?? t('common.continue')}
          </button>
        </div>
      </div>
      <EmergencyKit recoveryKey={recoveryKey} profileName={profileName} dataDir={dataDir} />
    </div>
  );
}

/**
 * One printable page, rendered into #print-root (outside the app) so that print.css can
 * print it alone; hidden on screen.
 */
export function EmergencyKit(props: { recoveryKey: string; profileName: string; dataDir: string }) {
  const target = typeof document !== 'undefined' ? document.getElementById('print-root') : null;
  return target ? createPortal(<KitPage {...props} />, target) : <KitPage {...props} />;
}

function KitPage({ recoveryKey, profileName, dataDir }: { recoveryKey: string; profileName: string; dataDir: string }) {
  return (
    <section class="emergency-kit" aria-label={t('kit.title')}>
      <h1>{t('kit.title')}</h1>
      <p class="kit__app">Patrimoine · {formatDate(today(), undefined, 'long')}</p>
      <dl>
        <dt>{t('kit.profile')}</dt>
        <dd>{profileName}</dd>
        <dt>{t('kit.recoveryKey')}</dt>
        <dd><RecoveryKeyGroups recoveryKey={recoveryKey} /></dd>
        <dt>{t('kit.dataDir')}</dt>
        <dd><code>{dataDir}</code></dd>
      </dl>
      <h2>{t('kit.howToRestore')}</h2>
      <ol>
        <li>{t('kit.step1')}</li>
        <li>{t('kit.step2')}</li>
        <li>{t('kit.step3')}</li>
        <li>{t('kit.step4')}</li>
      </ol>
      <p class="kit__warning">{t('kit.keepSafe')}</p>
    </section>
  );
}
