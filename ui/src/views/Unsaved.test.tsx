import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { fr } from '../lib/i18n/fr';
import { en } from '../lib/i18n/en';
import { setLang } from '../lib/i18n';
import { hasUnsavedInput } from '../lib/shell/unsaved';
import { button, click, fakeBackend, field, render, type, waitFor } from '../test/render';

async function unlockedDemo(password = fr['unlock.password'], submit = fr['unlock.submit']) {
  const backend = fakeBackend({ demo: true });
  const root = render(<App />);
  await waitFor(() => root.querySelector('input[type="password"]'));
  type(field(root, password), 'demo password');
  click(button(root, submit));
  await waitFor(() => root.querySelector('[data-testid="net-worth"]'));
  return { backend, root };
}

const dialog = (root: HTMLElement) => root.querySelector<HTMLElement>('[role="dialog"]');

async function typedValueOnUpdate(root: HTMLElement) {
  click(root.querySelector('[data-nav="update"]'));
  const input = await waitFor(() => root.querySelector<HTMLInputElement>('input[data-asset]'));
  type(input, '1 234,56');
  return input;
}

describe('leaving a form with unsaved input', () => {
  it('asks in French, and "Rester" keeps the page and what was typed', async () => {
    const { root } = await unlockedDemo();
    const input = await typedValueOnUpdate(root);
    click(root.querySelector('[data-nav="dashboard"]'));
    const d = await waitFor(() => dialog(root));
    expect(d.textContent).toContain(fr['unsaved.title']);
    expect(d.textContent).toContain(fr['unsaved.text']);
    // The safe choice has the focus.
    expect(document.activeElement?.textContent).toBe(fr['unsaved.stay']);
    click(button(d, fr['unsaved.stay']));
    expect(dialog(root)).toBeNull();
    expect(root.querySelector('[data-nav="update"]')?.getAttribute('aria-current')).toBe('page');
    expect(root.querySelector<HTMLInputElement>('input[data-asset]')!.value).toBe('1 234,56');
    expect(input.isConnected).toBe(true);
  });

  it('leaves and discards on "Quitter sans enregistrer", then asks no more', async () => {
    const { root, backend } = await unlockedDemo();
    await typedValueOnUpdate(root);
    click(root.querySelector('[data-nav="accounts"]'));
    click(button(await waitFor(() => dialog(root)), fr['unsaved.leave']));
    await waitFor(() => root.querySelector('[data-nav="accounts"][aria-current="page"]'));
    expect(backend.calls.some((c) => c.cmd === 'upsert_values')).toBe(false);
    expect(hasUnsavedInput()).toBe(false);
    click(root.querySelector('[data-nav="update"]'));
    await waitFor(() => root.querySelector('input[data-asset]'));
    expect(root.querySelector<HTMLInputElement>('input[data-asset]')!.value).toBe('');
    click(root.querySelector('[data-nav="dashboard"]'));
    await waitFor(() => root.querySelector('[data-testid="net-worth"]'));
    expect(dialog(root)).toBeNull();
  });

  it('does not ask when nothing was typed, nor once the values are saved', async () => {
    const { root } = await unlockedDemo();
    click(root.querySelector('[data-nav="update"]'));
    await waitFor(() => root.querySelector('input[data-asset]'));
    click(root.querySelector('[data-nav="assets"]'));
    await waitFor(() => root.querySelector('[data-nav="assets"][aria-current="page"]'));
    expect(dialog(root)).toBeNull();

    click(root.querySelector('[data-nav="update"]'));
    await waitFor(() => root.querySelector('input[data-asset]'));
    type(field(root, 'Livret A'), '21 700');
    click(root.querySelector('.actions--sticky button[type="submit"]'));
    await waitFor(() => root.querySelector('[data-testid="update-summary"]'));
    click(root.querySelector('[data-nav="dashboard"]'));
    await waitFor(() => root.querySelector('[data-testid="net-worth"]'));
    expect(dialog(root)).toBeNull();
  });

  it('asks in English too', async () => {
    setLang('en', false);
    const { root } = await unlockedDemo(en['unlock.password'], en['unlock.submit']);
    await typedValueOnUpdate(root);
    click(root.querySelector('[data-nav="settings"]'));
    const d = await waitFor(() => dialog(root));
    expect(d.textContent).toContain(en['unsaved.title']);
    expect(button(d, en['unsaved.leave'])).toBeTruthy();
    expect(button(d, en['unsaved.stay'])).toBeTruthy();
  });

  it('asks before another Settings tab drops a typed setting', async () => {
    const { root } = await unlockedDemo();
    click(root.querySelector('[data-nav="settings"]'));
    type(await waitFor(() => root.querySelector<HTMLInputElement>('input[name="auto-lock"]')), '12');
    click(root.querySelector('#tab-security'));
    click(button(await waitFor(() => dialog(root)), fr['unsaved.stay']));
    expect(root.querySelector('#tab-general')?.getAttribute('aria-selected')).toBe('true');
    expect(root.querySelector<HTMLInputElement>('input[name="auto-lock"]')!.value).toBe('12');
    click(root.querySelector('#tab-security'));
    click(button(await waitFor(() => dialog(root)), fr['unsaved.leave']));
    await waitFor(() => root.querySelector('#tab-security[aria-selected="true"]'));
    // The security tab's password fields count too.
    type(field(root, fr['reauth.password']), 'something');
    click(root.querySelector('#tab-general'));
    expect(await waitFor(() => dialog(root))).toBeTruthy();
  });

  it('is known for the forms in dialogs: asset, institution, account, cash flow, rate', async () => {
    const { root } = await unlockedDemo();
    const cases: [string, string, string][] = [
      ['assets', fr['assets.add'], fr['common.name']],
      ['accounts', fr['accounts.addInstitution'], fr['common.name']],
      ['cashflows', fr['flows.add'], `${fr['flows.amount']} (EUR)`],
      ['fx', fr['fx.add'], fr['fx.rateLabel'].replace('{currency}', 'USD')],
    ];
    for (const [nav, open, label] of cases) {
      click(root.querySelector(`[data-nav="${nav}"]`));
      click(await waitFor(() => [...root.querySelectorAll('button')].find((b) => b.textContent === open && !b.disabled)));
      const d = await waitFor(() => dialog(root));
      expect(hasUnsavedInput(), nav).toBe(false);
      type(field(d, label), '12');
      await waitFor(() => hasUnsavedInput());
      click(button(d, fr['common.cancel']));
      await waitFor(() => !dialog(root));
      expect(hasUnsavedInput(), nav).toBe(false);
    }
  });
});
