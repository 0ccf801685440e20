//! About: the app's version, the data folder, this profile's backup folder and the
//! second backup destination, each with a button that copies it (for support, or to
//! find the files by hand), and where the command-line app is.
import { useState } from 'preact/hooks';
import { ipc } from '../../lib/ipc';
import { t } from '../../lib/i18n';
import { useShell } from '../../lib/shell/context';
import { useLoad } from '../../lib/shell/useLoad';
import { toast } from '../../lib/shell/toast';

/** Copies `text` to the clipboard; WebKit without the async clipboard API falls back
 *  to a selected, hidden text area and the copy command. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      // WebKit may leave the promise pending (no permission prompt in a webview):
      // after a second, the older way.
      const done = await Promise.race([
        navigator.clipboard.writeText(text).then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 1000)),
      ]);
      if (done) return true;
    }
  } catch {
    // fall through to the older way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand?.('copy') ?? false;
  area.remove();
  return ok;
}

function Row({ label, value, id }: { label: string; value: string | null; id: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="about__row" data-about={id}>
      <dt>{label}</dt>
      <dd>
        {value === null ? (
          <span class="muted">{t('about.none')}</span>
        ) : (
          <>
            <code class="about__value">{value}</code>
            <button type="button" class="btn btn--small" onClick={async () => {
              const ok = await copyText(value);
              setCopied(ok);
              toast(ok ? t('about.copied') : t('about.copyFailed'), ok ? 'ok' : 'error');
            }}>
              {copied ? t('about.copiedShort') : t('about.copy')}
            </button>
          </>
        )}
      </dd>
    </div>
  );
}

export function AboutSection() {
  const { info, session } = useShell();
  const settings = useLoad(() => ipc.getBackupSettings().catch(() => null), []);
  return (
    <section class="card" aria-labelledby="about-title">
      <h2 id="about-title" class="card__title">{t('about.title')}</h2>
      <dl class="about">
        <Row id="version" label={t('about.version')} value={`Patrimoine ${info.version}`} />
        <Row id="data" label={t('about.dataDir')} value={info.data_dir} />
        <Row id="backups" label={t('about.backupDir')} value={session.backup_dir} />
        <Row id="second" label={t('about.secondDestination')} value={settings.data?.second_destination ?? null} />
      </dl>
      <p class="muted">{t('about.cli')}</p>
    </section>
  );
}
