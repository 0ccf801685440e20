import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { fr } from '../lib/i18n/fr';
import { en } from '../lib/i18n/en';
import { setLang } from '../lib/i18n';
import { button, click, fakeBackend, field, flush, render, type, waitFor } from '../test/render';

async function createdBackend(options: Record<string, unknown> = {}) {
  const backend = fakeBackend(options);
  await backend.handle('create_profile', { name: 'Alice', password: 'correct horse battery', base_currency: 'EUR' });
  await backend.handle('lock');
  return backend;
}

describe('unlock screen', () => {
  it('shows the wrong-password error in French', async () => {
    await createdBackend();
    const root = render(<App />);
    await waitFor(() => root.querySelector('input[type="password"]'));
    type(field(root, fr['unlock.password']), 'not the password');
    click(button(root, fr['unlock.submit']));
    await waitFor(() => root.textContent?.includes(fr['error.wrong_password']));
  });

  it('shows it in English after switching language', async () => {
    await createdBackend();
    setLang('en', false);
    const root = render(<App />);
    await waitFor(() => root.querySelector('input[type="password"]'));
    type(field(root, en['unlock.password']), 'not the password');
    click(button(root, en['unlock.submit']));
    await waitFor(() => root.textContent?.includes(en['error.wrong_password']));
  });

  it('counts down while throttled and disables the button', async () => {
    // As the core: the failure that starts the wait is still a wrong password; the
    // next attempt is the one refused.
    await createdBackend({ throttleAfter: 1, throttleSecs: 30 });
    const root = render(<App />);
    await waitFor(() => root.querySelector('input[type="password"]'));
    type(field(root, fr['unlock.password']), 'wrong');
    click(button(root, fr['unlock.submit']));
    await waitFor(() => root.textContent?.includes(fr['error.wrong_password']));
    click(button(root, fr['unlock.submit']));
    const submit = await waitFor(() => [...root.querySelectorAll('button[type="submit"]')].find((b) => b.textContent?.includes('Patientez')) as HTMLButtonElement | undefined);
    expect(submit.disabled).toBe(true);
    expect(root.textContent).toMatch(/Réessayez dans (29|30) s/);
  });

  it('names the mistyped group of the recovery key', async () => {
    const backend = await createdBackend();
    const alice = (backend as unknown as { profiles: { recoveryKey: string }[] }).profiles[0]!;
    const groups = alice.recoveryKey.split('-');
    groups[2] = groups[2] === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA';
    const root = render(<App />);
    await waitFor(() => root.querySelector('input[type="password"]'));
    click(button(root, fr['unlock.forgot']));
    type(field(root, fr['unlock.recoveryKey']), groups.join(' ').toLowerCase());
    click(button(root, fr['unlock.submitRecovery']));
    await waitFor(() => root.textContent?.includes('Le groupe 3'));
    expect(root.querySelector('.rk-groups li.is-wrong .rk-groups__n')?.textContent).toBe('3');
  });

  it('asks for a new password after unlocking with the recovery key', async () => {
    const backend = await createdBackend();
    const alice = (backend as unknown as { profiles: { recoveryKey: string; password: string }[] }).profiles[0]!;
    const root = render(<App />);
    await waitFor(() => root.querySelector('input[type="password"]'));
    click(button(root, fr['unlock.forgot']));
    type(field(root, fr['unlock.recoveryKey']), alice.recoveryKey.replace(/-/g, ' '));
    click(button(root, fr['unlock.submitRecovery']));
    await waitFor(() => root.textContent?.includes(fr['setPassword.title']));
    type(field(root, fr['password.new']), 'a brand new passphrase');
    type(field(root, fr['password.confirm']), 'a brand new passphrase');
    click(button(root, fr['setPassword.submit']));
    await waitFor(() => root.querySelector('.sidebar'));
    expect(alice.password).toBe('a brand new passphrase');
    await flush();
  });
});
