//! Audit log viewer: the latest security events, with translated kinds and details.
import { ipc } from '../../lib/ipc';
import { formatDateTime, formatInteger } from '../../lib/format';
import { hasKey, t } from '../../lib/i18n';
import { useLoad } from '../../lib/shell/useLoad';
import { EmptyState, ErrorBanner, Loading } from '../../components/feedback';
import { Table } from '../../components/Table';

export const AUDIT_KINDS = [
  'profile_created', 'profile_renamed', 'unlock_ok', 'unlock_failed', 'password_changed',
  'recovery_key_regenerated', 'keychain_enabled', 'keychain_disabled', 'import', 'fx_import', 'export',
  'raw_key_revealed', 'backup', 'restore',
] as const;

/**
 * An audit entry's detail in words: a token the core emits (`audit::DETAIL_TOKENS`)
 * has a label; an import's `lines=5 imported=5 skipped=1` becomes a sentence, each
 * count through its own plural fragment (`audit.detail.import.skipped_one`: "1 ignorée");
 * anything else (an older version's text) is shown as it is.
 */
export function auditDetail(kind: string, detail: string): string {
  if (detail === '') return '';
  if (hasKey(`audit.detail.${detail}`)) return t(`audit.detail.${detail}`);
  const pairs = detail.split(' ').map((p) => /^(\w+)=(\d+)$/.exec(p));
  if (pairs.every((m) => m !== null) && hasKey(`audit.detail.${kind}`)) {
    const params: Record<string, string> = {};
    for (const m of pairs) {
      const [name, count] = [m![1]!, Number(m![2])];
      const fragment = `audit.detail.${kind}.${name}`;
      params[name] = hasKey(fragment) ? t(fragment, { count }) : formatInteger(count);
    }
    return t(`audit.detail.${kind}`, params);
  }
  return detail;
}

export function AuditSection() {
  const log = useLoad(() => ipc.auditLog(200), []);
  return (
    <section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title" class="card__title">{t('settings.tab.audit')}</h2>
      <p class="muted">{t('audit.intro')}</p>
      {log.loading && !log.data && <Loading />}
      <ErrorBanner error={log.error} onRetry={log.reload} />
      {log.data && log.data.length === 0 && <EmptyState title={t('audit.none')} />}
      {log.data && log.data.length > 0 && (
        <div class="table-wrap table-wrap--scroll">
          <Table
            variant="compact"
            columns={[t('audit.when'), t('audit.event'), t('audit.detail')]}
          >
            {log.data.map((e, i) => (
              <tr key={i} class={e.kind === 'unlock_failed' ? 'row--warn' : ''}>
                <td class="nowrap">{formatDateTime(e.at)}</td>
                <td>{hasKey(`audit.kind.${e.kind}`) ? t(`audit.kind.${e.kind}`) : e.kind}</td>
                <td>{auditDetail(e.kind, e.detail)}</td>
              </tr>
            ))}
          </Table>
        </div>
      )}
    </section>
  );
}
