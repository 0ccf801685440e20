//! Audit log viewer: the latest security events, with translated kinds.
import { ipc } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';
import { hasKey, t } from '../../lib/i18n';
import { useLoad } from '../../lib/shell/useLoad';
import { EmptyState, ErrorBanner, Loading } from '../../components/feedback';
import { Table } from '../../components/Table';

export const AUDIT_KINDS = [
  'profile_created', 'profile_renamed', 'unlock_ok', 'unlock_failed', 'password_changed',
  'recovery_key_regenerated', 'keychain_enabled', 'keychain_disabled', 'import', 'fx_import', 'export',
  'raw_key_revealed', 'backup', 'restore',
] as const;

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
                <td>{e.detail}</td>
              </tr>
            ))}
          </Table>
        </div>
      )}
    </section>
  );
}
