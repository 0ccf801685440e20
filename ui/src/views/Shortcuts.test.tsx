import { describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { fr } from '../lib/i18n/fr';
import { en } from '../lib/i18n/en';
import { setLang } from '../lib/i18n';
import { button, click, type, waitFor } from '../test/render';
import { unlockedDemo } from '../test/app';


function key(init: KeyboardEventInit, target: EventTarget = document.body) {
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  });
}

const current = (root: HTMLElement) => root.querySelector('[aria-current="page"]')?.getAttribute('data-nav');
const dialog = (root: HTMLElement) => root.querySelector<HTMLElement>('[role="dialog"]');

describe('keyboard shortcuts', () => {
  it('go to Update values (V), to a screen by its number, and open the new-asset form (N)', async () => {
    const { root } = await unlockedDemo();
    key({ key: 'v' });
    await waitFor(() => current(root) === 'update');
    key({ key: '4' });
    await waitFor(() => current(root) === 'assets');
    key({ key: '&', code: 'Digit1' });
    await waitFor(() => root.querySelector('[data-testid="net-worth"]'));
    key({ key: 'n' });
    const d = await waitFor(() => dialog(root));
    expect(current(root)).toBe('assets');
    expect(d.textContent).toContain(fr['assets.new']);
    // Over a dialog, shortcuts do nothing.
    key({ key: '1' });
    expect(current(root)).toBe('assets');
    click(button(d, fr['common.cancel']));
    // Already on Assets: N opens the form again.
    key({ key: 'n' });
    await waitFor(() => dialog(root));
  });

  it('do not fire while typing in a field', async () => {
    const { root } = await unlockedDemo();
    key({ key: '4' });
    const search = await waitFor(() => root.querySelector<HTMLInputElement>('input[name="asset-search"]'));
    key({ key: 'v' }, search);
    key({ key: '1' }, search);
    key({ key: 'n' }, search);
    expect(current(root)).toBe('assets');
    expect(dialog(root)).toBeNull();
  });

  it('lock with Ctrl+L', async () => {
    const { root, backend } = await unlockedDemo();
    key({ key: 'l', ctrlKey: true });
    await waitFor(() => root.textContent?.includes(fr['unlock.title']));
    expect(backend.calls.some((c) => c.cmd === 'lock')).toBe(true);
  });

  it('still ask before leaving unsaved input', async () => {
    const { root } = await unlockedDemo();
    key({ key: 'v' });
    type(await waitFor(() => root.querySelector('input[data-asset]')), '12');
    key({ key: '1' });
    const d = await waitFor(() => dialog(root));
    expect(d.textContent).toContain(fr['unsaved.title']);
  });

  it('are listed in a help panel opened with "?" or the help button, in French and in English', async () => {
    const { root } = await unlockedDemo();
    key({ key: '?', shiftKey: true });
    let help = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="shortcuts-help"]'));
    expect(dialog(root)!.textContent).toContain(fr['shortcuts.title']);
    const rows = () => [...help.querySelectorAll('.shortcuts__row')].map((r) => `${r.querySelector('dt')!.textContent} ${r.querySelector('dd')!.textContent}`);
    expect(rows()).toEqual([
      `N ${fr['assets.add']}`, `V ${fr['dashboard.goUpdate']}`, `Ctrl+L ${fr['shell.lock']}`, `? ${fr['shortcuts.help']}`,
      `1 ${fr['nav.dashboard']}`, `2 ${fr['nav.update']}`, `3 ${fr['nav.accounts']}`, `4 ${fr['nav.assets']}`,
      `5 ${fr['nav.instruments']}`, `6 ${fr['nav.loans']}`, `7 ${fr['nav.cashflows']}`, `8 ${fr['nav.fx']}`,
      `9 ${fr['nav.io']}`, `0 ${fr['nav.settings']}`,
    ]);
    key({ key: 'Escape' }, document.activeElement ?? document.body);
    await waitFor(() => !dialog(root));

    setLang('en', false);
    await waitFor(() => root.textContent?.includes(en['shell.shortcuts']));
    click(root.querySelector('[data-testid="shortcuts"]'));
    help = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="shortcuts-help"]'));
    expect(dialog(root)!.textContent).toContain(en['shortcuts.title']);
    expect(rows()[0]).toBe(`N ${en['assets.add']}`);
    expect(rows()[4]).toBe(`1 ${en['nav.dashboard']}`);
  });
});
