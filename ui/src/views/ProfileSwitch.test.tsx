import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { fr } from '../lib/i18n/fr';
import { button, cleanup, click, fakeBackend, field, render, type, waitFor } from '../test/render';

const BOB = 'mot de passe de Bob';

/** The demo profile and a second one, Bob; locked. */
async function twoProfiles() {
  const backend = fakeBackend({ demo: true });
  await backend.handle('unlock_password', { name: 'Demo', password: 'demo password' });
  await backend.handle('create_profile', { name: 'Bob', password: BOB, base_currency: 'EUR' });
  await backend.handle('lock');
  return backend;
}

const radios = (root: HTMLElement) => [...root.querySelectorAll<HTMLInputElement>('input[type="radio"][name="profile"]')];

async function unlockAs(root: HTMLElement, name: string, password: string) {
  const radio = radios(root).find((r) => r.value === name);
  if (radio && !radio.checked) click(radio);
  type(await waitFor(() => root.querySelector('input[type="password"]')), password);
  click(button(root, fr['unlock.submit']));
  await waitFor(() => root.querySelector('.sidebar'));
}

beforeEach(() => localStorage.removeItem('patrimoine.lastProfile'));

describe('the last profile used', () => {
  it('is preselected on the next start, and only its id is remembered', async () => {
    const backend = await twoProfiles();
    let root = render(<App />);
    // Nothing remembered yet: the picker is open, nothing chosen, no password field.
    await waitFor(() => radios(root).length === 2);
    expect(radios(root).some((r) => r.checked)).toBe(false);
    expect(root.querySelector('input[type="password"]')).toBeNull();
    await unlockAs(root, 'Bob', BOB);

    const bob = (await backend.handle('app_info') as { profiles: { id: string; name: string }[] }).profiles.find((p) => p.name === 'Bob')!;
    expect(localStorage.getItem('patrimoine.lastProfile')).toBe(bob.id);
    expect(JSON.stringify({ ...localStorage })).not.toContain(BOB);

    // The app closes and starts again.
    cleanup();
    await backend.handle('lock');
    root = render(<App />);
    const current = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="profile-current"]'));
    expect(current.textContent).toContain('Bob');
    expect(radios(root)).toHaveLength(0);
    expect(root.querySelector('input[type="password"]')).not.toBeNull();
    // The other profile is one click away.
    click(button(current, fr['profile.switch']));
    expect(radios(root).map((r) => [r.value, r.checked])).toEqual([['Demo', false], ['Bob', true]]);
    expect(document.activeElement).toBe(radios(root)[1]);
  });
});

describe('Switch profile', () => {
  it('locks and opens the unlock screen with the picker open and nothing chosen', async () => {
    const backend = await twoProfiles();
    const root = render(<App />);
    await waitFor(() => radios(root).length === 2);
    await unlockAs(root, 'Demo', 'demo password');
    const locks = backend.calls.filter((c) => c.cmd === 'lock').length;
    click(await waitFor(() => root.querySelector('[data-testid="switch-profile"]')));
    await waitFor(() => root.textContent?.includes(fr['unlock.title']));
    expect(backend.calls.filter((c) => c.cmd === 'lock').length).toBe(locks + 1);
    expect(root.querySelector('.sidebar')).toBeNull();
    await waitFor(() => radios(root).length === 2);
    expect(radios(root).some((r) => r.checked)).toBe(false);
    expect(root.querySelector('input[type="password"]')).toBeNull();
    expect(document.activeElement).toBe(radios(root)[0]);
    await unlockAs(root, 'Bob', BOB);
    expect(root.querySelector('.sidebar__name')?.textContent).toBe('Bob');
  });

  it('asks first when a form holds unsaved input', async () => {
    const backend = await twoProfiles();
    const root = render(<App />);
    await waitFor(() => radios(root).length === 2);
    await unlockAs(root, 'Demo', 'demo password');
    click(root.querySelector('[data-nav="update"]'));
    type(await waitFor(() => root.querySelector('input[data-asset]')), '12');
    const locks = () => backend.calls.filter((c) => c.cmd === 'lock').length;
    const before = locks();
    click(root.querySelector('[data-testid="switch-profile"]'));
    const dialog = await waitFor(() => root.querySelector<HTMLElement>('[role="dialog"]'));
    click(button(dialog, fr['unsaved.stay']));
    expect(locks()).toBe(before);
    expect(root.querySelector('.sidebar')).not.toBeNull();
  });

  it('is not offered when the computer has one profile', async () => {
    fakeBackend({ demo: true });
    const root = render(<App />);
    const current = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="profile-current"]'));
    expect(current.querySelector('button')).toBeNull();
    type(field(root, fr['unlock.password']), 'demo password');
    click(button(root, fr['unlock.submit']));
    await waitFor(() => root.querySelector('.sidebar'));
    expect(root.querySelector('[data-testid="switch-profile"]')).toBeNull();
  });
});
