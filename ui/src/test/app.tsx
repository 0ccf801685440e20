//! The app rendered over the fake backend, as the view tests start it: the demo profile
//! unlocked from the unlock screen, or a new profile (made through the contract, so the
//! app opens on its dashboard).
import { invoke } from '@tauri-apps/api/core';
import { App } from '../App';
import { fr } from '../lib/i18n/fr';
import { button, click, fakeBackend, field, render, type, waitFor } from './render';
import type { FakeOptions } from './fake';

/** The demo profile, unlocked with its password from the unlock screen in the language
 *  of `dict`; resolves on its dashboard. */
export async function unlockedDemo(dict: Record<keyof typeof fr, string> = fr) {
  const backend = fakeBackend({ demo: true });
  const root = render(<App />);
  await waitFor(() => root.querySelector('input[type="password"]'));
  type(field(root, dict['unlock.password']), 'demo password');
  click(button(root, dict['unlock.submit']));
  await waitFor(() => root.querySelector('[data-testid="net-worth"]'));
  return { backend, root };
}

/** A new profile "Alice" (EUR); `fill` enters its data through the contract before the
 *  app is drawn. Resolves once the app shell is there. */
export async function newProfileApp(fill: () => Promise<unknown> = async () => undefined, options: FakeOptions = {}) {
  const backend = fakeBackend(options);
  await invoke('create_profile', { name: 'Alice', password: 'correct horse battery', base_currency: 'EUR' });
  await fill();
  const root = render(<App />);
  await waitFor(() => root.querySelector('[data-nav="accounts"]'));
  return { backend, root };
}
