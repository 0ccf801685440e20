import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { fr } from '../lib/i18n/fr';
import { LIMITS } from '../lib/ipc';
import { button, click, fakeBackend, field, render, type, waitFor } from '../test/render';

describe('first run', () => {
  it('validates the form, shows the recovery key once and enters the app', async () => {
    const backend = fakeBackend({ keychainAvailable: true });
    const root = render(<App />);
    await waitFor(() => root.textContent?.includes(fr['firstRun.title']));

    click(button(root, fr['profile.create']));
    expect(root.textContent).toContain(fr['profile.nameRequired']);
    expect(root.textContent).toContain('au moins 10 caractères');
    expect(backend.calls.some((c) => c.cmd === 'create_profile')).toBe(false);

    type(field(root, fr['profile.name']), 'Alice');
    type(field(root, fr['password.label']), 'correct horse battery');
    type(field(root, fr['password.confirm']), 'correct horse batterY');
    click(button(root, fr['profile.create']));
    expect(root.textContent).toContain(fr['password.mismatch']);

    type(field(root, fr['password.confirm']), 'correct horse battery');
    click(button(root, fr['profile.create']));
    await waitFor(() => root.querySelector('.rk-groups'));
    const call = backend.calls.find((c) => c.cmd === 'create_profile');
    expect(call?.args).toEqual({ name: 'Alice', password: 'correct horse battery', base_currency: 'EUR' });
    expect(root.querySelectorAll('.rk-groups li')).toHaveLength(8);
    // The printable kit is rendered too, with the data folder.
    expect(document.body.textContent).toContain('/home/user/.local/share/patrimoine');

    const cont = button(root, fr['common.continue']);
    expect(cont.disabled).toBe(true);
    click(field(root, fr['recovery.saved']));
    expect(cont.disabled).toBe(false);
    click(cont);

    await waitFor(() => root.textContent?.includes(fr['keychain.title']));
    click(button(root, fr['keychain.skip']));
    await waitFor(() => root.textContent?.includes(fr['dashboard.emptyTitle']));
    expect(root.querySelector('[data-testid="lock"]')).not.toBeNull();
  });

  it('shows a backend error code as a translated message next to its field', async () => {
    fakeBackend();
    const root = render(<App />);
    await waitFor(() => root.textContent?.includes(fr['firstRun.title']));
    type(field(root, fr['profile.name']), 'Alice\tBob');
    type(field(root, fr['password.label']), 'correct horse battery');
    type(field(root, fr['password.confirm']), 'correct horse battery');
    click(button(root, fr['profile.create']));
    const sentence = fr['error.profile_name_invalid'].replace('{name_max}', String(LIMITS.profile_name_max));
    await waitFor(() => root.textContent?.includes(sentence));
    const input = field(root, fr['profile.name']);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = input.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe(sentence);
  });
});
