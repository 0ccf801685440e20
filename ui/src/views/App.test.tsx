import { describe, expect, it } from 'vitest';
import { emit } from '@tauri-apps/api/event';
import { fr } from '../lib/i18n/fr';
import { button, click, field, type, waitFor } from '../test/render';
import { unlockedDemo } from '../test/app';
import { today } from '../lib/dates';

const nbsp = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');


describe('unlocked app', () => {
  it('shows the net worth formatted in French and the 1-month change', async () => {
    const { root } = await unlockedDemo();
    // The demo's total today (its bare ownership follows the usufructuary's age): what the
    // backend computes, written the French way.
    const { invoke } = await import('@tauri-apps/api/core');
    const { net_worth } = await invoke<{ net_worth: string }>('net_worth', { date: today() });
    expect(net_worth).toMatch(/^\d+\.\d{2}$/);
    const shown = nbsp(root.querySelector('[data-testid="net-worth"]')?.textContent);
    expect(shown).toMatch(/^\d{1,3}( \d{3})*,\d{2} €$/);
    expect(shown.replace(/ /g, '').replace(',', '.').replace('€', '')).toBe(net_worth);
    expect(root.querySelector('.change.is-up')).not.toBeNull();
    // Every card is drawn in the same render: charts, allocation table, stale list, performance.
    expect(root.querySelectorAll('.chart__svg svg')).toHaveLength(2);
    expect(root.querySelector('.row--total')).not.toBeNull();
    expect(root.querySelector('main .loading')).toBeNull();
  });

  it('draws the other chart ranges in the background, once, and shows them without a new call', async () => {
    const { root, backend } = await unlockedDemo();
    const netWorthCharts = () => backend.calls.filter((c) => c.cmd === 'chart' && (c.args as { request: { kind: string } }).request.kind === 'networth_by_class');
    // 1Y first, then 1M, 6M, 5Y and ALL in the background (ALL without a start date).
    await waitFor(() => netWorthCharts().length === 5, 4000);
    const starts = netWorthCharts().map((c) => (c.args as { request: { from?: string } }).request.from);
    expect(starts.filter((f) => f === undefined)).toHaveLength(1);
    expect(new Set(starts).size).toBe(5);
    const svgBefore = root.querySelector('.chart__svg')!.innerHTML;
    click(button(root, fr['range.ALL']));
    await waitFor(() => root.querySelector('.chart__svg')!.innerHTML !== svgBefore);
    click(button(root, fr['range.1Y']));
    await waitFor(() => root.querySelector('.chart__svg')!.innerHTML === svgBefore);
    expect(netWorthCharts()).toHaveLength(5);
  });

  it('shows the 10 largest accounts in the performance table, and all of them on demand', async () => {
    const { root } = await unlockedDemo();
    const { invoke } = await import('@tauri-apps/api/core');
    const institutions = await invoke<{ id: number }[]>('list_institutions');
    for (let i = 0; i < 12; i += 1) {
      await invoke('create_account', {
        input: { institution_id: institutions[0]!.id, name: `Livret ${i}`, kind: 'savings', currency: 'EUR', opened_on: null, closed_on: null },
      });
    }
    const accounts = (await invoke<unknown[]>('list_accounts')).length;
    expect(accounts).toBeGreaterThan(10);
    // Reload the dashboard.
    click(root.querySelector('[data-nav="accounts"]'));
    await waitFor(() => !root.querySelector('[data-testid="net-worth"]'));
    click(root.querySelector('[data-nav="dashboard"]'));
    await waitFor(() => root.querySelector('.row--total'));
    const rows = () => root.querySelectorAll('[data-testid="performance"] .table-wrap tbody tr').length;
    expect(rows()).toBe(10 + 1);
    click(button(root, fr['perf.showAll'].replace('{count}', String(accounts))));
    expect(rows()).toBe(accounts + 1);
    click(button(root, fr['perf.showTop'].replace('{count}', '10')));
    expect(rows()).toBe(10 + 1);
  });

  it('reminds on the dashboard when the backup drive has been missing too long', async () => {
    const { root } = await unlockedDemo();
    expect(root.querySelector('[data-testid="second-destination-reminder"]')).toBeNull();
    const { invoke } = await import('@tauri-apps/api/core');
    const current = await invoke<Record<string, unknown>>('get_backup_settings');
    await invoke('set_backup_settings', { settings: { ...current, second_destination: '/media/alice/USB', missing_reminder_days: 0 } });
    await new Promise((r) => setTimeout(r, 5));
    click(root.querySelector('[data-nav="accounts"]'));
    await waitFor(() => !root.querySelector('[data-testid="net-worth"]'));
    click(root.querySelector('[data-nav="dashboard"]'));
    const banner = await waitFor(() => root.querySelector('[data-testid="second-destination-reminder"]'));
    expect(banner.textContent).toContain('/media/alice/USB');
    click(button(banner as HTMLElement, fr['backup.reminderSettings']));
    // Straight to the Backups tab of Settings.
    await waitFor(() => root.querySelector('#tab-backups[aria-selected="true"]'));
  });

  it('saves only the filled, valid values in Update values', async () => {
    const { root, backend } = await unlockedDemo();
    click(root.querySelector('[data-nav="update"]'));
    const inputs = await waitFor(() => {
      const list = root.querySelectorAll<HTMLInputElement>('input[data-asset]');
      return list.length > 0 ? [...list] : null;
    });
    type(inputs[0]!, 'abc');
    const save = root.querySelector<HTMLButtonElement>('.actions--sticky button[type="submit"]')!;
    expect(inputs[0]!.getAttribute('aria-invalid')).toBe('true');
    expect(save.disabled).toBe(true);
    expect(root.textContent).toContain('1 valeur n’est pas un nombre valide');

    type(inputs[0]!, '1 234,56');
    type(inputs[2]!, '99,5');
    expect(save.disabled).toBe(false);
    click(save);
    // A value ten times off the asset's last one asks first (the demo's are larger).
    const confirm = await waitFor(() => root.querySelector('[data-testid="update-confirm"]') ?? root.querySelector('[data-testid="update-summary"]'));
    if (confirm.getAttribute('data-testid') === 'update-confirm') {
      expect(backend.calls.some((c) => c.cmd === 'upsert_values')).toBe(false);
      click([...confirm.querySelectorAll('button')].find((b) => b.textContent === fr['update.farSave'])!);
    }
    await waitFor(() => root.querySelector('[data-testid="update-summary"]'));
    const call = backend.calls.find((c) => c.cmd === 'upsert_values')!;
    const points = (call.args as { points: { value: string; source: string }[] }).points;
    expect(points.map((p) => p.value)).toEqual(['1234.56', '99.5']);
    expect(points.every((p) => p.source === 'manual')).toBe(true);
  });

  it('shows the new last backup right after "Back up now"', async () => {
    const { root } = await unlockedDemo();
    click(root.querySelector('[data-nav="settings"]'));
    click(await waitFor(() => [...root.querySelectorAll('[role="tab"]')].find((b) => b.textContent === fr['settings.tab.backups']) ?? null));
    const lastLine = () => [...root.querySelectorAll('p')].find((p) => p.textContent?.startsWith('Dernière sauvegarde'))?.textContent ?? null;
    const before = await waitFor(lastLine);
    click(button(root, fr['backup.now']));
    await waitFor(() => (lastLine() !== before ? true : null));
    expect(lastLine()).not.toBe(before);
  });

  it('locks: calls lock and returns to the unlock screen with nothing cached', async () => {
    const { root, backend } = await unlockedDemo();
    click(root.querySelector('[data-testid="lock"]'));
    await waitFor(() => root.textContent?.includes(fr['unlock.title']));
    expect(backend.calls.some((c) => c.cmd === 'lock')).toBe(true);
    expect(root.querySelector('[data-testid="net-worth"]')).toBeNull();
    expect(root.querySelector('.sidebar')).toBeNull();
  });

  it('returns to the unlock screen, saying why, when the backend locks on suspend', async () => {
    const { root } = await unlockedDemo();
    await emit('locked', 'suspend');
    await waitFor(() => root.textContent?.includes(fr['unlock.title']));
    expect(root.querySelector('[data-testid="net-worth"]')).toBeNull();
    await waitFor(() => document.body.textContent?.includes(fr['unlock.lockedOnSuspend']));
  });

  it('opens the restore wizard when the integrity check after unlock finds the vault damaged', async () => {
    const { root } = await unlockedDemo();
    await emit('locked', 'damaged');
    const text = fr['restore.health.vault_damaged'].replace('{name}', 'Demo');
    await waitFor(() => root.textContent?.includes(text));
    expect(root.querySelector('[data-testid="net-worth"]')).toBeNull();
  });

  it('blocks saving an asset whose weights do not total 100', async () => {
    const { root, backend } = await unlockedDemo();
    click(root.querySelector('[data-nav="assets"]'));
    click(await waitFor(() => [...root.querySelectorAll('button')].find((b) => b.textContent === fr['assets.add'] && !b.disabled)));
    await waitFor(() => root.querySelector('[role="dialog"]'));
    type(field(root, fr['common.name']), 'Fonds monde');
    const region = root.querySelector('[data-testid="weights-region"]')!;
    click(button(region, fr['weights.addRow']));
    click(button(region, fr['weights.addRow']));
    const inputs = region.querySelectorAll<HTMLInputElement>('input');
    type(inputs[0]!, 'Europe');
    type(inputs[1]!, '60');
    type(inputs[2]!, 'Asie');
    type(inputs[3]!, '30,5');
    expect(nbsp(region.querySelector('.weights__sum')?.textContent)).toBe('Total 90,5 % : il doit faire exactement 100 %.');
    click(button(root, fr['common.save']));
    expect(root.textContent).toContain(fr['weights.fixBeforeSaving']);
    expect(backend.calls.some((c) => c.cmd === 'create_asset')).toBe(false);

    type(inputs[3]!, '40');
    expect(region.querySelector('.weights__sum.is-ok')).not.toBeNull();
    click(button(root, fr['common.save']));
    await waitFor(() => backend.calls.some((c) => c.cmd === 'create_asset'));
    const input = (backend.calls.find((c) => c.cmd === 'create_asset')!.args as { input: { allocations: unknown } }).input;
    expect(input.allocations).toEqual({ region: [{ bucket: 'Europe', weight: '60' }, { bucket: 'Asie', weight: '40' }] });
  });

  it('asks a second confirmation when deleting an institution that is in use', async () => {
    const { root, backend } = await unlockedDemo();
    click(root.querySelector('[data-nav="accounts"]'));
    await waitFor(() => root.textContent?.includes('Boursorama'));
    const card = [...root.querySelectorAll('section.card')].find((s) => s.querySelector('h2')?.textContent === 'Boursorama')!;
    click(button(card, fr['common.delete']));
    click(button(root.querySelector('[role="dialog"]')!, fr['common.delete']));
    await waitFor(() => root.textContent?.includes(fr['delete.inUseTitle']));
    click(button(root, fr['delete.deleteEverything']));
    await waitFor(() => !root.textContent?.includes('Boursorama'));
    const deletes = backend.calls.filter((c) => c.cmd === 'delete_institution').map((c) => (c.args as { force: boolean }).force);
    expect(deletes).toEqual([false, true]);
  });

  it('restores one of the profile\'s own backups after a warning, without asking for a password', async () => {
    const { root, backend } = await unlockedDemo();
    click(root.querySelector('[data-nav="settings"]'));
    await waitFor(() => root.querySelector('#tab-backups'));
    click(root.querySelector('#tab-backups'));
    click(await waitFor(() => button(root, fr['backup.now'])));
    const row = await waitFor(() => [...root.querySelectorAll('tbody tr')].find((r) => r.textContent?.includes(fr['backup.restoreThis'])));
    click(button(row as HTMLElement, fr['backup.restoreThis']));
    const dialog = await waitFor(() => root.querySelector('[role="dialog"]'));
    expect(dialog.textContent).toContain('30');
    expect(dialog.querySelector('input[type="password"]')).toBeNull();
    click(button(dialog as HTMLElement, fr['backup.restoreConfirm']));
    await waitFor(() => root.querySelector('[data-testid="net-worth"]'));
    const call = backend.calls.find((c) => c.cmd === 'restore_own_backup')!;
    const made = backend.calls.find((c) => c.cmd === 'backup_now');
    expect(made).toBeDefined();
    expect((call.args as { path: string }).path).toMatch(/\.patrimoine-backup$/);
    expect(backend.calls.some((c) => c.cmd === 'restore_backup')).toBe(false);
    expect(root.textContent).toContain(fr['backup.restored']);
  });
});
