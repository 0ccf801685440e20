//! Entry point: mounts the app. In `npm run dev` outside Tauri, an in-memory fake
//! backend stands in for the Rust side (never included in the production build).
import { render } from 'preact';
import { App } from './App';
import { getLang } from './lib/i18n';
import './styles/app.css';
import './styles/print.css';

async function boot() {
  if (import.meta.env.DEV && !('__TAURI_INTERNALS__' in window)) {
    const { installFakeBackend } = await import('./test/fake');
    installFakeBackend({ demo: true });
  }
  document.documentElement.lang = getLang();
  const root = document.getElementById('app');
  if (root) render(<App />, root);
}

void boot();
