//! The list of keyboard shortcuts, opened with "?" or the help button of the sidebar.
import { t } from '../lib/i18n';
import { shortcutList, type ShortcutHelp } from '../lib/shell/shortcuts';
import { Modal } from './Modal';

function Rows({ items }: { items: ShortcutHelp[] }) {
  return (
    <dl class="shortcuts">
      {items.map((s) => (
        <div key={s.label} class="shortcuts__row">
          <dt>
            {s.keys.map((k, i) => (
              <span key={k}>
                {i > 0 && <span class="shortcuts__plus" aria-hidden="true">+</span>}
                <kbd>{k}</kbd>
              </span>
            ))}
          </dt>
          <dd>{t(s.label)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { actions, screens } = shortcutList();
  return (
    <Modal title={t('shortcuts.title')} onClose={onClose}>
      <p class="muted">{t('shortcuts.intro')}</p>
      <div class="shortcuts__groups" data-testid="shortcuts-help">
        <section aria-labelledby="shortcuts-actions">
          <h3 id="shortcuts-actions">{t('shortcuts.actions')}</h3>
          <Rows items={actions} />
        </section>
        <section aria-labelledby="shortcuts-screens">
          <h3 id="shortcuts-screens">{t('shortcuts.screens')}</h3>
          <Rows items={screens} />
        </section>
      </div>
      <div class="actions">
        <button type="button" class="btn btn--primary" onClick={onClose}>{t('common.close')}</button>
      </div>
    </Modal>
  );
}
