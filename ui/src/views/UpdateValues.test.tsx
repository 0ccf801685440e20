import { describe, expect, it } from 'vitest';
import { fr } from '../lib/i18n/fr';
import { button, click, field, type, waitFor } from '../test/render';
import { unlockedDemo } from '../test/app';

async function onUpdateValues() {
  const { backend, root } = await unlockedDemo();
  click(root.querySelector('[data-nav="update"]'));
  const inputs = await waitFor(() => {
    const list = root.querySelectorAll<HTMLInputElement>('input[data-asset]');
    return list.length > 0 ? [...list] : null;
  });
  return { backend, root, inputs };
}

describe('Update values', () => {
  it('says the date is today by default until the user changes it', async () => {
    const { root } = await onUpdateValues();
    const date = root.querySelector<HTMLInputElement>('input[name="update-date"]')!;
    expect(root.textContent).toContain(fr['update.dateHint']);
    expect(date.getAttribute('aria-describedby')).toBeTruthy();
    type(date, '2024-01-31');
    expect(root.textContent).not.toContain(fr['update.dateHint']);
    expect(date.getAttribute('aria-describedby')).toBeNull();
    expect(root.textContent).toContain('Valeur au 31 janv. 2024');
  });

  it('says how many values were added and replaced, each with its own plural', async () => {
    const { root, inputs } = await onUpdateValues();
    expect(inputs.length).toBeGreaterThan(3);
    // The demo has a value today for its accounts' assets (replaced), none for the flat (added).
    type(field(root, 'Compte courant'), '3 300');
    type(field(root, 'Livret A'), '21 700');
    type(field(root, 'Appartement Lyon'), '330 000');
    click(root.querySelector('.actions--sticky button[type="submit"]'));
    const shown = await waitFor(() => root.querySelector('[data-testid="update-confirm"]') ?? root.querySelector('[data-testid="update-summary"]'));
    // A value ten times off the last one is confirmed first.
    if (shown.getAttribute('data-testid') === 'update-confirm') click(button(shown as HTMLElement, fr['update.farSave']));
    const summary = await waitFor(() => root.querySelector('[data-testid="update-summary"]'));
    expect(summary.textContent).toBe('Enregistré : 1 nouvelle valeur, 2 remplacées.');
  });
});
