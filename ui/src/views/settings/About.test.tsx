import { afterEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { APP_VERSION } from '../../lib/ipc/generated/constants';
import { en } from '../../lib/i18n/en';
import { setLang } from '../../lib/i18n';
import { button, click, waitFor } from '../../test/render';
import { newProfileApp } from '../../test/app';

afterEach(() => setLang('fr'));

describe('Settings › About', () => {
  it('shows the version, the data folder, the backup folder and the second destination, each copyable', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    setLang('en');
    const { root } = await newProfileApp(() => invoke('set_backup_settings', {
      settings: {
        second_destination: '/media/claire/USB', keep_daily: 7, keep_weekly: 4, keep_monthly: 12, missing_reminder_days: 14,
        last_backup_at: null, second_destination_last_seen: null, second_destination_reminder: false,
      },
    }), { dataDir: '/home/claire/.local/share/patrimoine', directories: ['/media/claire/USB'] });
    click(root.querySelector('[data-nav="settings"]'));
    click(await waitFor(() => button(root, en['settings.tab.about'])));
    const rows = await waitFor(() => (root.querySelectorAll('[data-about]').length === 4 ? root.querySelectorAll('[data-about]') : null));
    const value = (id: string) => root.querySelector(`[data-about="${id}"] code`)?.textContent;
    expect(value('version')).toBe(`Patrimoine ${APP_VERSION}`);
    expect(value('data')).toBe('/home/claire/.local/share/patrimoine');
    expect(value('backups')).toMatch(/^\/home\/claire\/\.local\/share\/patrimoine\/profiles\/[0-9a-f]+\/backups$/);
    await waitFor(() => value('second') === '/media/claire/USB');
    expect(rows).toHaveLength(4);
    click(root.querySelector('[data-about="data"] button'));
    await waitFor(() => writeText.mock.calls.length === 1);
    expect(writeText).toHaveBeenCalledWith('/home/claire/.local/share/patrimoine');
    await waitFor(() => root.querySelector('[data-about="data"] button')?.textContent === en['about.copiedShort']);
  });
});
